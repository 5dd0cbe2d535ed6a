//! The builtin rules: one judgement per program family over its parsed argv.
//!
//! Guarantees: every block names a stable rule id; recursion (`sh -c`, `eval`, `xargs`,
//! `find -exec`, `parallel`, wrappers, inline interpreter code) goes back through the walker,
//! so a nested command is judged exactly like a top-level one.

use super::Block;
use super::code;
use super::git;
use super::paths::{
    is_block_device, is_credential_store, is_persistence, is_secret, is_store_dir, is_system,
    is_temp,
};
use super::walk::{Invocation, Judged, Stdin, Walker};
use super::words::Arg;
use super::wrappers::{Wrapped, unwrap};

mod fs;
mod infra;
mod net;

use fs::{
    copy, dd, extract, extract_destination, fd, find, kill, perms, remove_item, rm, sed,
    system_delete, system_service, transfer, truncate, windows_delete,
};
use infra::{
    asks_help, generic_destructive_verb, has_dry_run, pkg_install, registry_destructive,
    run_remote_package, secret_store_write,
};
use net::{archives, decodes, exfiltration, exposing_tunnel, method_delete, net};

/// Programs that run a command with raised privileges. The command they run is judged as if
/// typed alone, except that it is *elevated*: no deletion allowance inside the worktree, no
/// interactive shell, no script the guard cannot read.
const ELEVATORS: &[&str] = &[
    "sudo",
    "doas",
    "pkexec",
    "run0",
    "sudo-rs",
    "gosu",
    "su-exec",
    "please",
    "su",
    "runuser",
    "ksu",
    "setpriv",
    "machinectl",
];

/// Programs that run recipes written in a project file (a Makefile, `build.ninja`, a
/// `package.json` script) rather than the command line.
const BUILD_RUNNERS: &[&str] = &[
    "make", "gmake", "bmake", "ninja", "just", "task", "rake", "npm", "yarn", "pnpm", "cmake",
    "meson", "scons", "bazel", "gradle", "mvn", "ant",
];

/// Installers and runtimes that run or install the file they are given.
const FILE_RUNNERS: &[&str] = &[
    "dpkg",
    "rpm",
    "apt",
    "apt-get",
    "dnf",
    "yum",
    "zypper",
    "pacman",
    "installer",
    "msiexec",
    "snap",
    "flatpak",
    "java",
    "pip",
    "pipx",
    "npm",
    "pnpm",
    "yarn",
    "bun",
    "gem",
    "appimage-run",
    "docker",
    "podman",
    "kubectl",
    "helm",
];

/// Programs that only list or inspect (names, sizes, metadata) what they are given.
const LISTERS: &[&str] = &[
    "ls", "tree", "exa", "eza", "lsd", "du", "dir", "vdir", "test", "[", "stat",
];

/// Programs that only read a device they are given (never write it).
const DEVICE_READERS: &[&str] = &[
    "lsblk",
    "blkid",
    "file",
    "stat",
    "ls",
    "df",
    "du",
    "findmnt",
    "smartctl",
    "udevadm",
    "cat",
    "head",
    "tail",
    "od",
    "hexdump",
    "xxd",
    "strings",
    "md5sum",
    "sha1sum",
    "sha256sum",
    "sha512sum",
    "b2sum",
    "cksum",
    "cmp",
    "wc",
    "grep",
    "less",
    "more",
    "pv",
    "test",
    "[",
    "readlink",
    "realpath",
    "lsof",
    "fuser",
    "iostat",
];

const SHELLS: &[&str] = &[
    "sh", "bash", "zsh", "dash", "ksh", "mksh", "ash", "fish", "csh", "tcsh", "yash",
];

/// Programs whose arguments are only printed or searched: a dangerous word in their
/// arguments is a mention, not an action.
const MENTION: &[&str] = &["echo", "printf", "true", "false", ":"];

/// Programs where a positional "delete"/"drop" word is not a remote destructive action
/// (build tools, test runners, package managers, editors, read-only tools, own rules).
const GENERIC_VERB_EXEMPT: &[&str] = &[
    "echo",
    "printf",
    "grep",
    "egrep",
    "fgrep",
    "rg",
    "ag",
    "ack",
    "cat",
    "less",
    "more",
    "head",
    "tail",
    "wc",
    "sort",
    "uniq",
    "cut",
    "tr",
    "sed",
    "awk",
    "gawk",
    "jq",
    "yq",
    "man",
    "which",
    "type",
    "whereis",
    "whatis",
    "apropos",
    "hash",
    "help",
    "info",
    "tldr",
    "file",
    "stat",
    "ls",
    "tree",
    "find",
    "diff",
    "cmp",
    "git",
    "test",
    "[",
    "true",
    "false",
    "sleep",
    "date",
    "basename",
    "dirname",
    "realpath",
    "readlink",
    "cargo",
    "rustc",
    "rustup",
    "go",
    "make",
    "cmake",
    "ninja",
    "npm",
    "npx",
    "yarn",
    "pnpm",
    "bun",
    "deno",
    "pip",
    "pipx",
    "uv",
    "poetry",
    "pytest",
    "tox",
    "nox",
    "bundle",
    "gem",
    "mvn",
    "gradle",
    "dotnet",
    "swift",
    "clang",
    "gcc",
    "cc",
    "tsc",
    "eslint",
    "prettier",
    "jest",
    "vitest",
    "mocha",
    "rspec",
    "composer",
    "mix",
    "just",
    "task",
    "code",
    "vim",
    "nvim",
    "nano",
    "emacs",
    "touch",
    "mkdir",
    "cp",
    "mv",
    "rm",
    "ln",
    "chmod",
    "chown",
    "tee",
    "xargs",
    "parallel",
    "cd",
    "pwd",
    "export",
    "alias",
    "unset",
    "pnpx",
    "bunx",
    "uvx",
    "brew",
    "apt",
    "apt-get",
    "dnf",
    "yum",
    "apk",
    "pacman",
    "zypper",
    "port",
    "sqlite3",
    "hx",
    "tmux",
    "screen",
    "history",
    "kill",
    "pkill",
    "killall",
    "fd",
    "fdfind",
    "remove-item",
    "convert",
    "magick",
    "mogrify",
];

const NETWORK: &[&str] = &[
    "curl", "wget", "nc", "ncat", "netcat", "socat", "telnet", "scp", "sftp", "ftp", "dig", "host",
    "nslookup", "http", "https", "xh", "aria2c", "rsync", "ping", "whois",
];

fn block(rule: &'static str, reason: impl Into<String>, alternative: Option<&str>) -> Block {
    Block::new(rule, reason.into(), alternative.map(str::to_string))
}

/// `argv[0]` reduced to what decides its behaviour: basename, lower case, no `.exe`, no
/// interpreter version suffix (`python3.11` is `python`).
pub(crate) fn normalize_program(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or(raw).to_lowercase();
    let base = [".exe", ".cmd", ".bat", ".com"]
        .iter()
        .find_map(|ext| base.strip_suffix(ext))
        .map(str::to_string)
        .unwrap_or(base);
    for family in [
        "python", "pypy", "perl", "ruby", "node", "php", "pip", "lua", "bash", "zsh", "ksh",
        "tclsh",
    ] {
        if let Some(rest) = base.strip_prefix(family)
            && !rest.is_empty()
            && rest.chars().all(|c| c.is_ascii_digit() || c == '.')
        {
            return family.to_string();
        }
    }
    if base == "nodejs" {
        return "node".into();
    }
    base
}

// ---- structural rules used by the walker ------------------------------------------------

/// A function definition: fork bombs and shadowing of real commands are blocked.
pub(crate) fn function_definition(name: &str, body: &str) -> Judged {
    let calls_itself = body
        .split(|c: char| c.is_whitespace() || "|&;(){}".contains(c))
        .any(|t| t == name);
    if calls_itself && (body.contains('|') || body.contains('&')) {
        return Err(block(
            "shell.fork-bomb",
            format!(
                "function `{name}` starts copies of itself in the background or a pipe (a fork bomb)"
            ),
            None,
        ));
    }
    if shadows_command(name) {
        return Err(block(
            "shell.shadowing",
            format!(
                "defining a function named `{name}` changes what that command does for the rest of the session"
            ),
            Some("give the function a name that is not a command or builtin"),
        ));
    }
    Ok(())
}

fn shadows_command(name: &str) -> bool {
    const COMMON: &[&str] = &[
        "cd", "ls", "echo", "printf", "test", "[", "read", "set", "unset", "export", "source", ".",
        "eval", "exec", "exit", "return", "trap", "alias", "unalias", "builtin", "command", "type",
        "hash", "pwd", "cat", "cp", "mv", "rm", "mkdir", "chmod", "chown", "git", "sudo", "curl",
        "wget", "ssh", "grep", "find", "python", "python3", "node", "npm", "make", "cargo", "kill",
        "which", "env", "true", "false", ":", "wait", "jobs", "history",
    ];
    COMMON.contains(&name) || SHELLS.contains(&name)
}

/// Assignments that hijack later commands (`PATH`, `LD_PRELOAD`, ...) or wipe history.
pub(crate) fn assignment(name: &str, value: &Arg) -> Judged {
    const HIJACK: &[&str] = &[
        "PATH",
        "LD_PRELOAD",
        "LD_LIBRARY_PATH",
        "LD_AUDIT",
        "DYLD_INSERT_LIBRARIES",
        "DYLD_LIBRARY_PATH",
        "BASH_ENV",
        "ENV",
        "PROMPT_COMMAND",
        "GIT_SSH_COMMAND",
        "GIT_EXEC_PATH",
        "PYTHONSTARTUP",
        "NODE_OPTIONS",
        "PERL5OPT",
        "RUBYOPT",
    ];
    if name == "PATH" {
        // appending is harmless; replacing the path or putting a directory in front of it
        // decides which program every later command name means
        let parts: Vec<&str> = value.text.split(':').collect();
        let keeps_path = parts.contains(&"${PATH}");
        let front: Vec<&&str> = parts.iter().take_while(|p| **p != "${PATH}").collect();
        let trusted = |d: &str| {
            d.starts_with("${HOME}")
                || d.starts_with('~')
                || d.starts_with("/usr/local/")
                || d.starts_with("/opt/")
        };
        if keeps_path && front.iter().all(|d| trusted(d)) {
            return Ok(());
        }
        return Err(block(
            "env.hijack",
            "replacing PATH or putting an unusual directory in front of it changes which program every later command runs",
            Some("append to PATH (`PATH=$PATH:/dir`) or call the tool by its full path"),
        ));
    }
    if HIJACK.contains(&name) {
        return Err(block(
            "env.hijack",
            format!("assigning {name} changes which code every later command runs"),
            Some("call the tool by its full path instead of changing the search path or loader"),
        ));
    }
    if matches!(name, "HISTFILE" | "HISTSIZE" | "HISTFILESIZE")
        && (value.text.is_empty() || value.text == "0" || value.text == "/dev/null")
    {
        return Err(block(
            "shell.history-wipe",
            "disabling shell history hides what the loop did",
            None,
        ));
    }
    Ok(())
}

/// Writing to `target` (redirect, `tee`, `cp`/`mv` destination, `dd of=`...).
pub(crate) fn write_target(target: &Arg, via: &str) -> Judged {
    let t = target.text.as_str();
    if t.starts_with("/dev/tcp/") || t.starts_with("/dev/udp/") {
        return Err(block(
            "net.reverse-shell",
            format!("{via} to {t} connects the shell to the network (a reverse shell)"),
            None,
        ));
    }
    if is_block_device(t) {
        return Err(block(
            "disk.device-write",
            format!("writing to the device {t} via {via} destroys the filesystem on it"),
            None,
        ));
    }
    if is_persistence(t) {
        return Err(block(
            "persist.startup",
            format!(
                "{via} writes {t}, which makes code run later (start-up file, service, schedule, hook or git config)"
            ),
            Some(
                "change the project's own files; leave start-up, service and hook files to a person",
            ),
        ));
    }
    if is_secret(t) {
        return Err(block(
            "secrets.write",
            format!("{via} writes to {t}, which holds secrets or keys"),
            Some("ask a person to change secrets; read them only if you must"),
        ));
    }
    if is_system(t) {
        return Err(block(
            "fs.system-write",
            format!("{via} writes into the system location {t}"),
            Some("write inside the project or a temp directory"),
        ));
    }
    if target.opaque {
        return Err(block(
            "shell.dynamic-target",
            format!("{via} writes to a file whose name is computed at run time"),
            Some("name the file literally"),
        ));
    }
    Ok(())
}

// ---- one invocation ---------------------------------------------------------------------

/// Judge one argv: wrappers, policy, builtin rules. Returns what it writes to stdout.
/// `docker run|create …` with host privileges or namespaces (`--privileged`, `--pid=host`,
/// `--cap-add=SYS_ADMIN|ALL`, an `unconfined` security profile) or a bind mount whose host
/// side is `/`, a system directory, a home directory or inside one, or the container socket.
fn container_escape(args: &[Arg]) -> bool {
    if !matches!(first_word(args), Some("run" | "create")) {
        return false;
    }
    let host_side_escapes = |spec: &str| {
        // `-v HOST:CONTAINER[:opts]`, `--mount type=bind,source=HOST,…`
        let host = spec
            .split(',')
            .find_map(|kv| {
                kv.strip_prefix("source=")
                    .or_else(|| kv.strip_prefix("src="))
            })
            .unwrap_or_else(|| spec.split(':').next().unwrap_or_default());
        let t = host.trim_end_matches('/');
        t.is_empty()
            || t == "~"
            || t.starts_with("~/")
            || t.starts_with("$HOME")
            || t.starts_with("/home/")
            || t.starts_with("/Users/")
            || t.starts_with("/root")
            || t.ends_with("docker.sock")
            || t.ends_with("podman.sock")
            || is_system(t)
    };
    args.iter().enumerate().any(|(i, a)| {
        let t = a.text.as_str();
        let value = |flag: &str| {
            t.strip_prefix(flag)
                .and_then(|r| r.strip_prefix('='))
                .map(str::to_string)
                .or_else(|| {
                    (t == flag)
                        .then(|| args.get(i + 1).map(|n| n.text.clone()))
                        .flatten()
                })
        };
        t == "--privileged"
            || ["--pid", "--ipc", "--uts", "--userns", "--cgroupns"]
                .iter()
                .any(|f| value(f).is_some_and(|v| v == "host"))
            || value("--cap-add").is_some_and(|v| {
                let v = v.to_ascii_uppercase();
                v == "ALL"
                    || v.ends_with("SYS_ADMIN")
                    || v.ends_with("SYS_MODULE")
                    || v.ends_with("SYS_PTRACE")
            })
            || value("--security-opt").is_some_and(|v| v.contains("unconfined"))
            || ["-v", "--volume", "--mount"]
                .iter()
                .any(|f| value(f).is_some_and(|v| host_side_escapes(&v)))
    })
}

/// The index of a search tool's pattern operand (`grep [OPTS] PATTERN FILE…`), when the
/// pattern is not given by `-e`/`-f`.
fn search_pattern(p: &str, args: &[Arg]) -> Option<usize> {
    if !matches!(
        p,
        "grep" | "egrep" | "fgrep" | "rg" | "ag" | "ack" | "ugrep" | "zgrep"
    ) {
        return None;
    }
    let by_option = args.iter().any(|a| {
        matches!(a.text.as_str(), "-e" | "-f" | "--regexp" | "--file")
            || a.text.starts_with("--regexp=")
            || a.text.starts_with("--file=")
    });
    if by_option {
        return None;
    }
    let mut i = 0;
    while i < args.len() {
        let t = args[i].text.as_str();
        if t == "--" {
            return (i + 1 < args.len()).then_some(i + 1);
        }
        if !t.starts_with('-') || t == "-" {
            return Some(i);
        }
        // options that take a value in the next word
        if matches!(
            t,
            "-A" | "-B"
                | "-C"
                | "-m"
                | "--max-count"
                | "-g"
                | "--glob"
                | "-t"
                | "--type"
                | "--include"
                | "--exclude"
        ) {
            i += 1;
        }
        i += 1;
    }
    None
}

/// A file read into a command's standard input (`base64 < ~/.config/gh/hosts.yml`) is read
/// like an operand: a credential store is off limits.
pub(crate) fn read_source(file: &Arg) -> Judged {
    if is_credential_store(&file.text) {
        return Err(block(
            "secrets.credential-store",
            format!(
                "a redirect reads {}, a store of user or system credentials",
                file.text
            ),
            Some("credentials outside the project are off limits to an unattended loop"),
        ));
    }
    Ok(())
}

pub(crate) fn invocation(w: &mut Walker, argv: &[Arg], stdin: &Stdin) -> Judged<Stdin> {
    let program = normalize_program(&argv[0].text);
    if let Some(b) = w.policy.deny(&program, &argv[1..]) {
        return Err(b);
    }
    run_remote_package(&program, &argv[1..])?;
    exposing_tunnel(&program, &argv[1..])?;
    if let Some((wrapped, env)) = unwrap(&program, &argv[1..]) {
        for (name, value) in &env {
            w.assign(name, value)?;
        }
        w.policy.require_allowed(&program, &argv[1..])?;
        // `setpriv` raises nothing unless it sets ids, groups or capabilities
        // (`setpriv --no-new-privs make test` only drops privileges)
        let elevates = ELEVATORS.contains(&program.as_str())
            && (program != "setpriv"
                || argv[1..].iter().any(|a| {
                    [
                        "--reuid",
                        "--ruid",
                        "--euid",
                        "--regid",
                        "--rgid",
                        "--egid",
                        "--init-groups",
                        "--groups",
                        "--keep-groups",
                        "--inh-caps",
                        "--ambient-caps",
                        "--bounding-set",
                        "--securebits",
                    ]
                    .iter()
                    .any(|o| a.text.starts_with(o))
                }));
        if elevates
            && matches!(wrapped, Wrapped::Nothing)
            && matches!(program.as_str(), "pkexec" | "run0" | "machinectl")
        {
            return Err(block(
                "privilege.root-shell",
                format!("{program} without a command opens a root shell"),
                None,
            ));
        }
        if elevates && matches!(wrapped, Wrapped::Script(_)) {
            // `su -c CODE`, `runuser -c CODE`: the user's shell runs the string as root
            return Err(block(
                "privilege.root-shell",
                format!("{program} -c runs a shell with raised privileges"),
                Some("run the specific command without elevation"),
            ));
        }
        let was_elevated = w.elevated;
        w.elevated |= elevates;
        let result = match wrapped {
            Wrapped::Argv(inner) => {
                if let Some(first) = inner.first() {
                    super::walk::check_program_name(first)?;
                }
                w.run(&inner, stdin)
            }
            Wrapped::Script(words) => {
                if words.iter().any(|a| a.dynamic) {
                    return Err(dynamic_code(&program, &words));
                }
                let script = join(&words);
                w.check_script(&script)
            }
            Wrapped::Nothing => {
                if program == "env" {
                    env_dump("env")
                } else {
                    Ok(Stdin::Opaque)
                }
            }
        };
        w.elevated = was_elevated;
        return result;
    }
    let inv = Invocation {
        argv,
        program,
        stdin,
    };
    let builtin = judge(w, &inv);
    match builtin {
        Err(b) if !w.policy.overrides(&inv.program, inv.args(), &b) => Err(b),
        Err(_) => Ok(Stdin::Opaque),
        Ok(out) => {
            w.policy.require_allowed(&inv.program, inv.args())?;
            Ok(out)
        }
    }
}

fn join(words: &[Arg]) -> String {
    words
        .iter()
        .map(|a| a.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

fn dynamic_code(program: &str, words: &[Arg]) -> Block {
    if words.iter().any(|a| a.remote_content) {
        return block(
            "rce.download-exec",
            format!("{program} runs code fetched or decoded at run time"),
            Some("download to a file, review it, then run the reviewed file"),
        );
    }
    block(
        "shell.dynamic-code",
        format!("{program} runs code that is only known at run time (a variable or substitution)"),
        Some("pass the command text literally"),
    )
}

/// `--help`/`--version` before any operand: getopt-style tools print and exit before acting.
/// (After an operand, BSD-style parsers would take it as a file name, so it does not count.)
fn is_help(args: &[Arg]) -> bool {
    for a in args {
        if a.dynamic || !a.text.starts_with('-') || a.text == "--" {
            return false;
        }
        if matches!(a.text.as_str(), "--help" | "--version") {
            return true;
        }
    }
    false
}

fn judge(w: &mut Walker, inv: &Invocation) -> Judged<Stdin> {
    let p = inv.program.as_str();
    let args = inv.args();
    if args.iter().any(|a| a.obfuscated) {
        return Err(block(
            "shell.obfuscated-argument",
            format!("an argument of {p} is disguised with escapes or look-alike characters"),
            Some("spell arguments plainly"),
        ));
    }
    if is_help(args) && !SHELLS.contains(&p) {
        return Ok(Stdin::Opaque);
    }
    if !MENTION.contains(&p) {
        let look_only = LISTERS.contains(&p);
        // a search pattern is text, not a file (`grep -rn 'cat ~/.aws/credentials' README.md`)
        let pattern = search_pattern(p, args);
        if let Some(a) = args.iter().enumerate().find_map(|(i, a)| {
            (Some(i) != pattern
                && is_credential_store(&a.text)
                && !(look_only && is_store_dir(&a.text)))
            .then_some(a)
        }) {
            return Err(block(
                "secrets.credential-store",
                format!(
                    "{p} touches {}, a store of user or system credentials",
                    a.text
                ),
                Some("credentials outside the project are off limits to an unattended loop"),
            ));
        }
        // a program named by a URL (`npx -y https://…/pkg.tgz`, `uvx git+https://…`)
        if inv.argv[0].text.contains("://") {
            return Err(block(
                "rce.download-exec",
                format!("runs {}, a program fetched from a URL", inv.argv[0].text),
                Some("add the tool to the project's manifest for review, then run it from there"),
            ));
        }
        if let Some(dl) = w.downloads.iter().find(|d| same_file(d, &inv.argv[0].text)) {
            return Err(block(
                "rce.download-exec",
                format!("runs {dl}, which this command just downloaded"),
                Some("review downloaded code before running it"),
            ));
        }
        // a program named by a path (`./x`, `/tmp/x`) that this line wrote
        if is_script_path(&inv.argv[0].text) || inv.argv[0].text.contains('/') {
            if let Some(content) = w.written_file(&inv.argv[0].text) {
                return run_written(w, &inv.argv[0].text, content, None).map(|_| Stdin::Opaque);
            }
            if w.elevated {
                return Err(elevated_unseen(&inv.argv[0].text));
            }
        }
    }
    // A build runner runs recipes from a file in the project (Makefile, build.ninja,
    // package.json scripts) that the guard does not read: elevated, that is an unseen script.
    if w.elevated && BUILD_RUNNERS.contains(&p) {
        return Err(elevated_unseen(&format!("{p}'s project recipes")));
    }
    if matches!(
        p,
        "gh" | "glab" | "curl" | "wget" | "http" | "https" | "xh" | "curlie"
    ) && archives(args)
    {
        return Err(block(
            "infra.destructive",
            format!("{p} sets `archived` on a hosted resource (archiving a repository or project)"),
            Some("have a person archive repositories"),
        ));
    }
    if method_delete(args) {
        return Err(block(
            "net.http-delete",
            format!("{p} sends an HTTP DELETE, removing a remote resource"),
            Some("have a person run deletions against live services"),
        ));
    }
    let out = match p {
        "rm" => rm(w, args).map(|_| Stdin::Opaque),
        // rimraf is `rm -rf` as a package
        "rimraf" => {
            let mut as_rm = vec![Arg::literal("-rf"), Arg::literal("--")];
            as_rm.extend(args.iter().filter(|a| !a.text.starts_with('-')).cloned());
            rm(w, &as_rm).map(|_| Stdin::Opaque)
        }
        "cd" | "pushd" | "popd" | "chdir" => {
            w.change_dir(args);
            Ok(Stdin::Inherited)
        }
        "pwd" => Ok(match &w.cwd {
            Some(cwd) => Stdin::Text {
                text: cwd.clone(),
                dynamic: false,
            },
            None => Stdin::Opaque,
        }),
        "mktemp" => Ok(mktemp(w, args)),
        // `read f` (as in `while read f`): the variables hold items of a run-time listing
        "read" => {
            let o = super::opts::Opts::parse(args, "adinNptu", &[], false);
            let mut names: Vec<&str> = o.operands.iter().map(|a| a.text.as_str()).collect();
            if let Some(a) = o.short_value('a') {
                names.push(a);
            }
            if names.is_empty() {
                names.push("REPLY");
            }
            w.assign_listing(&names);
            Ok(Stdin::Opaque)
        }
        "insmod" | "rmmod" | "modprobe" | "kmod" | "kextload" | "kextunload" | "kmutil"
        | "kldload" | "kldunload" | "dkms" | "depmod" => kernel_module(p, args),
        "at" | "batch" | "atrm" | "systemd-run" | "schtasks" | "update-rc.d" | "chkconfig"
        | "rc-update" | "loginctl" => scheduler(p, args),
        "rmdir" | "rd" | "del" | "erase" => windows_delete(p, args).map(|_| Stdin::Opaque),
        "unlink" => system_delete(p, args).map(|_| Stdin::Opaque),
        "shred" | "srm" | "wipe" | "wipefs" | "blkdiscard" => Err(block(
            "fs.shred",
            format!("{p} irrecoverably destroys data"),
            None,
        )),
        "truncate" => truncate(args).map(|_| Stdin::Opaque),
        "find" => find(w, args),
        "fd" | "fdfind" => fd(w, args),
        // PowerShell's cmdlet typed into a POSIX shell (pwsh aliases, WSL): judged as `rm`
        "remove-item" => remove_item(w, args).map(|_| Stdin::Opaque),
        // downloaders that save to a file: running that file later in the line is running
        // fetched code
        "aria2c" | "axel" => {
            record_download(w, args)?;
            Ok(Stdin::Opaque)
        }
        "xargs" => xargs(w, args, inv.stdin),
        "parallel" => parallel(w, args, inv.stdin),
        "git" => git::judge(w, args).map(|_| Stdin::Opaque),
        "eval" => {
            if args.iter().any(|a| a.dynamic) {
                return Err(dynamic_code("eval", args));
            }
            w.check_script(&join(args))
        }
        "source" | "." => source(w, p, args, inv.stdin),
        "alias" => alias(w, args).map(|_| Stdin::Inherited),
        "export" | "declare" | "typeset" | "local" | "readonly" => {
            declaration(w, p, args).map(|_| Stdin::Inherited)
        }
        "printenv" | "set" if args.is_empty() => env_dump(p),
        "history"
            if args
                .iter()
                .any(|a| a.text.starts_with('-') && a.text.contains(['c', 'd'])) =>
        {
            Err(block(
                "shell.history-wipe",
                "clearing shell history hides what the loop did",
                None,
            ))
        }
        "unset" if args.iter().any(|a| a.text.starts_with("HIST")) => Err(block(
            "shell.history-wipe",
            "unsetting shell history variables hides what the loop did",
            None,
        )),
        "dd" => dd(args).map(|_| Stdin::Opaque),
        "tee" => {
            let append = args.iter().any(|a| a.text == "-a" || a.text == "--append");
            let content = match inv.stdin {
                Stdin::Text {
                    text,
                    dynamic: false,
                } => Some(text.clone()),
                _ => None,
            };
            for a in args.iter().filter(|a| !a.text.starts_with('-')) {
                write_target(a, "tee")?;
                w.record_write(&a.text, content.clone(), append);
            }
            Ok(match inv.stdin {
                Stdin::Text { .. } => inv.stdin.clone(),
                other => passthrough(other),
            })
        }
        // `sponge [-a] FILE` soaks up its input and writes (or appends) it to FILE
        "sponge" => {
            let append = args.iter().any(|a| a.text == "-a");
            let content = match inv.stdin {
                Stdin::Text {
                    text,
                    dynamic: false,
                } => Some(text.clone()),
                _ => None,
            };
            for a in args.iter().filter(|a| !a.text.starts_with('-')) {
                write_target(a, "sponge")?;
                w.record_write(&a.text, content.clone(), append);
            }
            Ok(Stdin::Opaque)
        }
        "cp" | "mv" | "install" | "ln" => {
            copy(p, args)?;
            if let Some(dest) = args.iter().rev().find(|a| !a.text.starts_with('-')) {
                w.record_write(&dest.text, None, false);
            }
            Ok(Stdin::Opaque)
        }
        "rsync" | "scp" | "rclone" => transfer(p, args).map(|_| Stdin::Opaque),
        "gsutil"
            if args.iter().any(|a| a.text == "rsync")
                && args.iter().any(|a| a.text == "-d")
                && !has_dry_run(p, args) =>
        {
            Err(block(
                "fs.sync-delete",
                "gsutil rsync -d deletes destination objects missing from the source",
                Some("sync without -d, or review with -n first"),
            ))
        }
        "sed" => sed(w, args, inv.stdin),
        "chmod" | "chown" | "chgrp" | "chattr" => perms(w, p, args).map(|_| Stdin::Opaque),
        "kill" | "killall" | "pkill" | "taskkill" => kill(p, args).map(|_| Stdin::Opaque),
        "reboot" | "shutdown" | "halt" | "poweroff" | "init" | "telinit" | "pmset" | "nvram"
        | "csrutil" | "bcdedit" | "diskpart" | "setenforce" | "swapoff" | "visudo" | "passwd"
        | "usermod" | "useradd" | "userdel" | "groupdel" | "gpasswd" | "adduser" | "deluser"
        | "addgroup" | "delgroup" | "groupadd" | "groupmod" | "chpasswd" | "chsh" | "chage"
        | "newusers" | "vipw" | "vigr" | "setcap" | "sudoedit" | "killall5" => Err(block(
            "system.config",
            format!("{p} changes or stops the machine itself"),
            None,
        )),
        "systemctl" | "launchctl" | "service" | "sysctl" | "crontab" | "iptables" | "ip6tables"
        | "nft" => system_service(p, args).map(|_| Stdin::Opaque),
        "pfctl" | "netsh" | "nmcli" | "ip" | "ifconfig" | "ifdown" | "ufw" | "firewall-cmd"
        | "tc"
            if network_teardown(p, args) =>
        {
            Err(block(
                "net.teardown",
                format!("{p} takes down the machine's network or firewall"),
                Some("leave network and firewall changes to a person"),
            ))
        }
        _ if infra::prints_credential(p, args) => Err(block(
            "secrets.credential-store",
            format!("{p} prints a credential (a token, a secret key or a raw kubeconfig)"),
            Some("credentials outside the project are off limits to an unattended loop"),
        )),
        // macOS keychain reads (`security find-generic-password -w`, `dump-keychain`)
        "security"
            if args.iter().any(|a| {
                a.text.starts_with("find-") && a.text.ends_with("-password")
                    || a.text == "dump-keychain"
                    || a.text == "export"
            }) =>
        {
            Err(block(
                "secrets.credential-store",
                "security reads passwords out of the keychain",
                None,
            ))
        }
        "gpg" | "gpg2"
            if args.iter().any(|a| {
                a.text.starts_with("--export-secret-keys")
                    || a.text.starts_with("--export-secret-subkeys")
            }) =>
        {
            Err(block(
                "secrets.credential-store",
                format!("{p} exports private keys"),
                None,
            ))
        }
        "setfacl" if setfacl_wide(args) => Err(block(
            "perm.system",
            "setfacl -R changes the permissions of a home or system tree",
            None,
        )),
        _ if starts_outside(p, args) => Err(block(
            "persist.scheduler",
            format!(
                "{p} hands a process to a service manager or an existing session, which runs it outside this command and its sandbox"
            ),
            Some("run the process directly; leave services, daemons and sessions to a person"),
        )),
        "su" | "runuser" | "ksu" => Err(block(
            "privilege.root-shell",
            "su without -c opens an interactive root shell",
            None,
        )),
        // `machinectl list`, `setpriv --dump`: not running anything elevated
        "machinectl" | "setpriv" => Ok(Stdin::Opaque),
        _ if ELEVATORS.contains(&p) => Err(block(
            "privilege.root-shell",
            format!("{p} without a command opens a root shell or changes credentials"),
            None,
        )),
        "cmd" | "powershell" | "pwsh" | "wsl" => Err(block(
            "shell.foreign",
            format!("{p} runs a non-POSIX shell whose command language the guard does not parse"),
            Some("run the equivalent POSIX command"),
        )),
        "format" if args.iter().any(|a| is_drive(&a.text)) => Err(block(
            "disk.format",
            "formatting a drive destroys everything on it",
            None,
        )),
        "takeown" | "icacls" | "cacls" | "cipher" | "vssadmin" | "wmic" | "reg" | "fsutil"
        | "format-volume" | "clear-disk" => Err(block(
            "windows.destructive",
            format!("{p} changes ownership, permissions, disks or system state on Windows"),
            None,
        )),
        "nc" | "ncat" | "netcat" | "socat"
            if args.iter().any(|a| {
                let t = a.text.to_ascii_lowercase();
                matches!(
                    t.as_str(),
                    "-e" | "-c" | "--exec" | "--sh-exec" | "--lua-exec"
                ) || t.starts_with("exec:")
                    || t.starts_with("system:")
            }) =>
        {
            Err(block(
                "net.reverse-shell",
                format!("{p} hands a shell or program to a network peer"),
                None,
            ))
        }
        "curl" | "curlie" | "wget" | "http" | "https" | "xh" => net(w, p, args),
        "base64" | "xxd" | "uudecode" | "openssl" | "gpg" if decodes(p, args) => {
            // a decoder saving to a file (`openssl enc -d -out x.sh`, `gpg -o x.sh -d`,
            // `xxd -r in out`): that file's content is hidden; running it later blocks
            if let Some(out) = decoder_output(p, args) {
                write_target(&out, p)?;
                w.record_write(&out.text, None, false);
                return Ok(Stdin::Opaque);
            }
            Ok(Stdin::Decoded)
        }
        "echo" => Ok(echo_output(args)),
        "printf" => Ok(printf_output(args)),
        // `cat` with no files copies its input (a here-document, an echo) through unchanged
        "cat" if args.iter().all(|a| a.text.starts_with('-')) => Ok(inv.stdin.clone()),
        "cat" | "head" | "tail" | "less" | "more" | "sort" | "uniq" | "tr" | "cut" | "rev"
        | "tac" | "grep" | "awk" | "gawk" | "mawk" | "nawk" | "gunzip" | "zcat" | "gzip"
        | "bzcat" | "xzcat" => {
            if matches!(p, "awk" | "gawk" | "mawk" | "nawk") {
                // the program text: files it prints to (`print > "/dev/sda"`, `>> "~/.profile"`)
                if let Some(prog) = args.iter().find(|a| !a.text.starts_with('-')) {
                    code::literal_targets("awk", &prog.text)?;
                    code::awk_commands(w, &prog.text)?;
                }
            }
            if args
                .iter()
                .any(|a| is_secret(&a.text) || a.text.starts_with("/etc/"))
            {
                Ok(Stdin::Secret)
            } else {
                Ok(passthrough(inv.stdin))
            }
        }
        "tar" | "unzip" | "7z" | "7za" | "bsdtar" => {
            let fetched = matches!(inv.stdin, Stdin::Download)
                || args
                    .iter()
                    .any(|a| w.downloads.iter().any(|d| same_file(d, &a.text)));
            extract(p, args)?;
            // what lands in a named directory: fetched, it is a download (running any of it
            // is running fetched code); unpacked outside the worktree, it is a tree of files
            // this line wrote with content the guard has not seen
            let tree =
                extract_destination(p, args).map(|d| format!("{}/", d.trim_end_matches('/')));
            if fetched {
                w.downloads.push(EXTRACTED_DOWNLOAD.to_string());
                w.downloads.extend(tree);
            } else if let Some(tree) = tree
                && !w
                    .resolve(&Arg::literal(&tree))
                    .is_some_and(|abs| w.inside_worktree(&abs))
            {
                w.record_write(&tree, None, false);
            }
            Ok(Stdin::Opaque)
        }
        "rg" => {
            if args
                .iter()
                .any(|a| a.text.starts_with("--pre") || a.text.starts_with("--hostname-bin"))
            {
                return Err(block(
                    "exec.option",
                    "rg --pre/--hostname-bin runs another program",
                    None,
                ));
            }
            Ok(Stdin::Opaque)
        }
        "docker" | "podman" | "nerdctl" if container_escape(args) => Err(block(
            "privilege.container-escape",
            format!(
                "{p} starts a container with the host's privileges, namespaces, root, home, system directories or container socket"
            ),
            Some("run containers unprivileged, mounting only the worktree"),
        )),
        // entering the namespaces of PID 1 is a root shell on the host
        "nsenter"
            if args.iter().enumerate().any(|(i, a)| {
                matches!(a.text.as_str(), "-t" | "--target")
                    && args.get(i + 1).is_some_and(|n| n.text == "1")
                    || matches!(a.text.as_str(), "-t1" | "--target=1")
            }) =>
        {
            Err(block(
                "privilege.container-escape",
                "nsenter --target 1 enters the host's namespaces",
                None,
            ))
        }
        "docker" | "docker-compose" | "podman" | "podman-compose"
            if args.iter().any(|a| a.text == "down")
                && args.iter().any(|a| a.text == "-v" || a.text == "--volumes") =>
        {
            Err(block(
                "infra.destructive",
                format!("{p} down -v deletes the project's volumes (their data)"),
                Some("run `down` without -v"),
            ))
        }
        "kubectl" | "oc"
            if first_word(args) == Some("scale")
                && args.iter().any(|a| a.text == "--replicas=0") =>
        {
            Err(block(
                "infra.destructive",
                format!("{p} scale --replicas=0 takes a workload down"),
                None,
            ))
        }
        "kubectl" | "oc" if first_word(args) == Some("exec") => Err(block(
            "remote.exec",
            format!("{p} exec runs commands inside a live workload"),
            None,
        )),
        _ if SHELLS.contains(&p) => shell(w, p, args, inv.stdin),
        _ if code::language(p).is_some() => code::interpreter(w, p, args, inv.stdin),
        _ if code::is_db_client(p) => code::db_client(p, args, inv.stdin).map(|_| Stdin::Opaque),
        // volume managers: removing or shrinking a volume, group or physical volume
        "lvremove" | "vgremove" | "pvremove" | "lvreduce" | "vgreduce" => Err(block(
            "disk.format",
            format!("{p} removes or shrinks a storage volume, destroying the data on it"),
            None,
        )),
        "lvm"
            if matches!(
                first_word(args),
                Some("lvremove" | "vgremove" | "pvremove" | "lvreduce" | "vgreduce")
            ) =>
        {
            Err(block(
                "disk.format",
                "lvm removes or shrinks a storage volume, destroying the data on it",
                None,
            ))
        }
        "dmsetup"
            if matches!(
                first_word(args),
                Some("remove" | "remove_all" | "wipe_table" | "clear" | "reload")
            ) =>
        {
            Err(block(
                "disk.format",
                "dmsetup removes or replaces a device-mapper table (volumes, encrypted disks)",
                None,
            ))
        }
        // partitioners that only print the table (`parted DEV print`, `fdisk -l`)
        "parted" | "fdisk" | "sfdisk" | "gdisk" | "sgdisk" | "cfdisk"
            if partition_listing(p, args) =>
        {
            return Ok(Stdin::Opaque);
        }
        _ if p.starts_with("mkfs")
            || matches!(
                p,
                "mke2fs"
                    | "mkswap"
                    | "fdisk"
                    | "sfdisk"
                    | "parted"
                    | "gdisk"
                    | "sgdisk"
                    | "cryptsetup"
                    | "hdparm"
            ) =>
        {
            Err(block(
                "disk.format",
                format!("{p} rewrites a disk or its partition table"),
                None,
            ))
        }
        _ => Ok(Stdin::Opaque),
    }?;
    if !MENTION.contains(&p)
        && !DEVICE_READERS.contains(&p)
        && !device_query(p, args)
        && !matches!(
            p,
            "dd" | "cp" | "mv" | "install" | "ln" | "rsync" | "scp" | "tee" | "rm" | "shred"
        )
        && let Some(dev) = args.iter().find(|a| {
            // `of=/dev/sda`, `--device=/dev/sda`; text with spaces before the `=` (a commit
            // message that names `dd of=/dev/sda`) is prose, not an option
            let value = a
                .text
                .split_once('=')
                .filter(|(k, _)| !k.contains(char::is_whitespace))
                .map_or(a.text.as_str(), |(_, v)| v);
            is_block_device(&a.text) || is_block_device(value)
        })
    {
        return Err(block(
            "disk.device-write",
            format!(
                "{p} is given the device {}; any program but a reader may overwrite the filesystem on it",
                dev.text
            ),
            None,
        ));
    }
    // `curl -o x.deb URL && sudo dpkg -i x.deb`, `java -jar /tmp/x.jar`: an installer or a
    // runtime given a file this command downloaded runs code nobody reviewed
    if FILE_RUNNERS.contains(&p)
        && let Some(f) = args.iter().find(|a| {
            !a.text.starts_with('-')
                && w.downloads
                    .iter()
                    .any(|d| d != EXTRACTED_DOWNLOAD && same_file(d, &a.text))
        })
    {
        return Err(block(
            "rce.download-exec",
            format!(
                "{p} installs or runs {}, which this command just downloaded",
                f.text
            ),
            Some("download to a file, review it, then install the reviewed file"),
        ));
    }
    pkg_install(p, args)?;
    // `curl … | pip install -r /dev/stdin`: a requirement list (and so the code installed)
    // fetched from the network
    if matches!(inv.stdin, Stdin::Download | Stdin::Decoded)
        && matches!(
            p,
            "pip" | "pip3" | "uv" | "pipx" | "npm" | "gem" | "bundle" | "poetry"
        )
        && args.iter().enumerate().any(|(i, a)| {
            let value = a.text.split_once('=').map_or(a.text.as_str(), |(_, v)| v);
            let from_stdin = |t: &str| matches!(t, "-" | "/dev/stdin" | "/dev/fd/0");
            from_stdin(value)
                || (a.text.starts_with('-') && args.get(i + 1).is_some_and(|n| from_stdin(&n.text)))
        })
    {
        return Err(block(
            "rce.download-exec",
            format!("{p} installs what a download piped into it lists"),
            Some("download the list to a file, review it, then install from the reviewed file"),
        ));
    }
    registry_destructive(p, args)?;
    secret_store_write(p, args)?;
    // script arguments of interpreters are the script's business, not a subcommand
    let interpreter = code::language(p).is_some() && p != "java";
    if !GENERIC_VERB_EXEMPT.contains(&p)
        && !SHELLS.contains(&p)
        && !interpreter
        && !has_dry_run(p, args)
        && !asks_help(args)
    {
        generic_destructive_verb(p, args)?;
    }
    if NETWORK.contains(&p) {
        exfiltration(p, args, inv.stdin)?;
    }
    Ok(out)
}

/// Record the file a downloader saves to: `-o NAME`/`--out=NAME`/`--output=NAME` (under
/// `-d DIR`), else the URL's last path segment.
fn record_download(w: &mut Walker, args: &[Arg]) -> Judged {
    let mut out = None;
    let mut dir = None;
    let mut urls = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let t = args[i].text.as_str();
        let next = args.get(i + 1).map(|a| a.text.clone());
        if let Some(v) = t.strip_prefix("--out=").or(t.strip_prefix("--output=")) {
            out = Some(v.to_string());
        } else if let Some(v) = t.strip_prefix("--dir=") {
            dir = Some(v.to_string());
        } else if t == "-o" || t == "--out" || t == "--output" {
            out = next;
            i += 1;
        } else if t == "-d" || t == "--dir" {
            dir = next;
            i += 1;
        } else if t.contains("://") {
            urls.push(t.to_string());
        }
        i += 1;
    }
    let names: Vec<String> = match out {
        Some(o) => vec![o],
        None => urls
            .iter()
            .filter_map(|u| u.rsplit('/').next().filter(|n| !n.is_empty()))
            .map(str::to_string)
            .collect(),
    };
    for n in names {
        // the saved file is a write like any other (`aria2c -d ~ -o .bashrc URL`)
        let path = match &dir {
            Some(d) => format!("{}/{n}", d.trim_end_matches('/')),
            None => n.clone(),
        };
        write_target(&Arg::literal(path), "download")?;
        if dir.is_some() {
            w.downloads.push(format!(
                "{}/{n}",
                dir.as_deref().unwrap_or_default().trim_end_matches('/')
            ));
        }
        w.downloads.push(n);
    }
    Ok(())
}

/// The file a decoder writes its output to, if it is not standard output.
fn decoder_output(p: &str, args: &[Arg]) -> Option<Arg> {
    let value_after = |names: &[&str]| {
        args.iter().enumerate().find_map(|(i, a)| {
            if names.contains(&a.text.as_str()) {
                return args.get(i + 1).cloned();
            }
            names.iter().find_map(|n| {
                a.text
                    .strip_prefix(&format!("{n}="))
                    .filter(|_| n.starts_with("--"))
                    .map(|v| Arg {
                        text: v.to_string(),
                        ..a.clone()
                    })
            })
        })
    };
    let out = match p {
        "openssl" => value_after(&["-out"]),
        "gpg" => value_after(&["-o", "--output"]),
        "base64" | "uudecode" => value_after(&["-o", "--output"]),
        "xxd" => args
            .iter()
            .filter(|a| !a.text.starts_with('-'))
            .nth(1)
            .cloned(),
        _ => None,
    };
    out.filter(|a| a.text != "-" && a.text != "/dev/stdout")
}

/// A device tool asked only to report (`blockdev --getsize64 DEV`, `blockdev --report`):
/// every option is a query and nothing is set, flushed or re-read.
fn device_query(p: &str, args: &[Arg]) -> bool {
    p == "blockdev"
        && args.iter().any(|a| a.text.starts_with('-'))
        && args.iter().all(|a| {
            !a.dynamic
                && (!a.text.starts_with('-')
                    || a.text.starts_with("--get")
                    || matches!(a.text.as_str(), "--report" | "-q" | "-v"))
        })
}

/// A partitioner invocation that only prints: `parted -l`, `parted DEV print` (with `unit`),
/// `fdisk -l`, `sfdisk -l/-d/--json`, `gdisk -l`, `sgdisk -p/-i`.
fn partition_listing(p: &str, args: &[Arg]) -> bool {
    if args.iter().any(|a| a.dynamic) {
        return false;
    }
    let flags: &[&str] = match p {
        "parted" => &["-l", "--list"],
        "fdisk" => &["-l", "--list"],
        "sfdisk" => &[
            "-l",
            "--list",
            "-d",
            "--dump",
            "-J",
            "--json",
            "-s",
            "--show-size",
        ],
        "gdisk" => &["-l"],
        "sgdisk" => &["-p", "--print", "-i", "--info"],
        _ => &[],
    };
    let lists = args.iter().any(|a| {
        let t = a.text.split_once('=').map_or(a.text.as_str(), |(n, _)| n);
        flags.contains(&t)
    });
    if p != "parted" {
        // every other argument is a device or a plain option (no write mode exists with these)
        return lists
            && !args.iter().any(|a| {
                matches!(
                    a.text.as_str(),
                    "-w" | "--wipe" | "--delete" | "-o" | "--clear" | "-Z" | "--zap-all" | "-z"
                )
            });
    }
    if lists {
        return true;
    }
    // parted [-s] DEV print [unit U]: the script words are only `print` and units
    let words: Vec<&str> = args
        .iter()
        .map(|a| a.text.as_str())
        .filter(|t| !t.starts_with('-'))
        .collect();
    let Some((_dev, script)) = words.split_first() else {
        return false;
    };
    script.contains(&"print")
        && script.iter().all(|t| {
            matches!(
                t.to_ascii_lowercase().as_str(),
                "print"
                    | "p"
                    | "unit"
                    | "s"
                    | "b"
                    | "kb"
                    | "mb"
                    | "gb"
                    | "tb"
                    | "kib"
                    | "mib"
                    | "gib"
                    | "tib"
                    | "%"
                    | "cyl"
                    | "chs"
                    | "compact"
                    | "free"
                    | "all"
                    | "list"
            )
        })
}

/// A command that has a long-lived manager start or keep a process for it: `brew services
/// start`, `supervisorctl start`, `pm2 start|startup`, a container with a restart policy
/// (`docker run --restart=always`), a new tmux/screen session or keys sent to one (an existing
/// tmux server runs it outside the sandbox), systemd's `StartUnit` over D-Bus.
fn starts_outside(p: &str, args: &[Arg]) -> bool {
    let words: Vec<String> = args.iter().map(|a| a.text.to_ascii_lowercase()).collect();
    let has = |w: &str| words.iter().any(|x| x == w);
    let first = words
        .iter()
        .find(|w| !w.starts_with('-'))
        .map(String::as_str);
    match p {
        "brew" => {
            has("services")
                && words
                    .iter()
                    .any(|w| matches!(w.as_str(), "start" | "restart" | "run"))
        }
        "supervisorctl" => matches!(
            first,
            Some("start" | "restart" | "add" | "update" | "reload")
        ),
        "pm2" | "forever" => matches!(
            first,
            Some("start" | "restart" | "startup" | "resurrect" | "save")
        ),
        "docker" | "podman" => {
            matches!(first, Some("run" | "create" | "update" | "container"))
                && words.iter().enumerate().any(|(i, w)| {
                    let policy = w
                        .strip_prefix("--restart=")
                        .map(str::to_string)
                        .or_else(|| {
                            (w == "--restart")
                                .then(|| words.get(i + 1).cloned())
                                .flatten()
                        });
                    policy.is_some_and(|v| v != "no")
                })
        }
        "tmux" => matches!(
            first,
            Some(
                "new"
                    | "new-session"
                    | "new-window"
                    | "neww"
                    | "split-window"
                    | "splitw"
                    | "send-keys"
                    | "send"
                    | "run-shell"
                    | "run"
                    | "respawn-pane"
                    | "respawn-window"
            )
        ),
        "screen" => words
            .iter()
            .any(|w| w.starts_with("-dm") || w == "-x" || w.starts_with("-x")),
        "busctl" | "dbus-send" | "gdbus" => words.iter().any(|w| {
            w.contains("startunit")
                || w.contains("startservicebyname")
                || w.contains("enableunitfiles")
        }),
        _ => false,
    }
}

/// A program named by a path to a script or a file in the project (`./x`, `bin/x`, `x.sh`),
/// not a command found on `PATH` or in a system directory.
fn is_script_path(t: &str) -> bool {
    let relative = !t.starts_with('/') && t.contains('/');
    let script_ext = [
        ".sh", ".bash", ".zsh", ".py", ".pl", ".rb", ".js", ".mjs", ".php",
    ]
    .iter()
    .any(|e| t.ends_with(e));
    relative || script_ext
}

pub(crate) fn elevated_unseen(script: &str) -> Block {
    block(
        "privilege.elevated-script",
        format!("runs {script} with raised privileges; the guard cannot see what it does"),
        Some("run reviewed commands directly, without elevation"),
    )
}

/// Run a file this command line wrote: known content is judged as what it is (shell, or the
/// interpreter its `#!` line or `lang` names); unknown content blocks.
pub(crate) fn run_written(
    w: &mut Walker,
    file: &str,
    content: Option<String>,
    lang: Option<&str>,
) -> Judged {
    let Some(text) = content else {
        return Err(block(
            "exec.written-file",
            format!(
                "runs {file}, which an earlier part of this command line wrote with content the guard cannot see"
            ),
            Some("write the script in one step, review it, then run it in another"),
        ));
    };
    let shebang_lang = text
        .lines()
        .next()
        .filter(|l| l.starts_with("#!"))
        .and_then(|l| {
            l.split(|c: char| c.is_whitespace() || c == '/')
                .map(normalize_program)
                .find_map(|t| code::language(&t))
        });
    match lang.or(shebang_lang) {
        Some(lang) => code::scan(w, lang, file, &Arg::literal(text)),
        None => w.check_script(&text).map(drop),
    }
}

/// `mktemp`: the path it prints is a fresh entry in the temp directory (`-t`, `-p DIR`,
/// `--tmpdir`, or no template) or next to its template.
fn mktemp(w: &Walker, args: &[Arg]) -> Stdin {
    // Some(None): a directory the guard cannot read
    let mut dir: Option<Option<String>> = None;
    let mut template: Option<&Arg> = None;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        let t = a.text.as_str();
        i += 1;
        if t == "-p" {
            dir = Some(
                args.get(i)
                    .filter(|a| !a.dynamic || is_temp(a))
                    .map(|a| a.text.clone()),
            );
            i += 1;
        } else if let Some(d) = t.strip_prefix("--tmpdir=").or(t.strip_prefix("-p")) {
            dir = Some((!a.dynamic || is_temp(a)).then(|| d.to_string()));
        } else if t == "--suffix" {
            i += 1;
        } else if t == "--tmpdir" || (t.starts_with('-') && !t.starts_with("--") && t.contains('t'))
        {
            dir = dir.or(Some(w.tmpdir()));
        } else if !t.starts_with('-') {
            template = Some(a);
        }
    }
    let opaque = Stdin::Opaque;
    if template.is_some_and(|t| t.dynamic) {
        return opaque;
    }
    let name = template.map_or("tmp.XXXXXXXXXX".to_string(), |t| t.text.clone());
    let path = match dir {
        Some(Some(d)) => format!("{}/{name}", d.trim_end_matches('/')),
        Some(None) => return opaque,
        None if template.is_none() => match w.tmpdir() {
            Some(d) => format!("{d}/{name}"),
            None => return opaque,
        },
        None => name,
    };
    Stdin::Text {
        text: path,
        dynamic: false,
    }
}

fn kernel_module(p: &str, args: &[Arg]) -> Judged<Stdin> {
    let first = first_word(args);
    let looks_only = match p {
        "modprobe" => args.iter().any(|a| {
            matches!(
                a.text.as_str(),
                "-n" | "--dry-run" | "--show-depends" | "-D" | "-c" | "--showconfig"
            )
        }),
        "kmod" => matches!(first, Some("list" | "static-nodes") | None),
        "kmutil" => matches!(
            first,
            Some("showloaded" | "inspect" | "print-diagnostics") | None
        ),
        "dkms" => matches!(first, Some("status") | None),
        "depmod" => args.iter().any(|a| a.text == "-n" || a.text == "--dry-run"),
        _ => false,
    };
    if looks_only {
        return Ok(Stdin::Opaque);
    }
    Err(block(
        "system.kernel-module",
        format!("{p} loads or removes kernel code"),
        None,
    ))
}

fn scheduler(p: &str, args: &[Arg]) -> Judged<Stdin> {
    let lists = match p {
        "at" => args
            .iter()
            .any(|a| matches!(a.text.as_str(), "-l" | "-c" | "-V")),
        "loginctl" => !matches!(
            first_word(args),
            Some(
                "enable-linger"
                    | "terminate-user"
                    | "terminate-session"
                    | "kill-user"
                    | "kill-session"
            )
        ),
        "schtasks" => !args.iter().any(|a| {
            matches!(
                a.text.to_ascii_lowercase().as_str(),
                "/create" | "/change" | "/delete" | "/run"
            )
        }),
        "chkconfig" => args.iter().all(|a| a.text == "--list"),
        "rc-update" => matches!(first_word(args), Some("show") | None),
        _ => false,
    };
    if lists {
        return Ok(Stdin::Opaque);
    }
    Err(block(
        "persist.scheduler",
        format!("{p} schedules or installs code to run later, outside this command"),
        Some("run the command now, in the foreground, or leave scheduling to a person"),
    ))
}

/// The download list's entry for "an archive fetched by this command was unpacked here":
/// any relative path run afterwards may come from it (`curl … | tar xz && ./x/install.sh`).
/// (An archive unpacked into a named directory also adds that directory, `DIR/`: any path
/// under it may come from the download.)
pub(crate) const EXTRACTED_DOWNLOAD: &str = "<unpacked download>/";

pub(crate) fn same_file(download: &str, program: &str) -> bool {
    if download == EXTRACTED_DOWNLOAD {
        return !program.starts_with(['/', '~', '$']) && program.contains('/');
    }
    // a directory an archive was unpacked into: anything under it
    if download.ends_with('/') {
        let d = download.trim_start_matches("./");
        return program.trim_start_matches("./").starts_with(d);
    }
    let d = download.trim_start_matches("./");
    let p = program.trim_start_matches("./");
    d == p || (d != "*" && p.ends_with(&format!("/{d}")))
}

fn is_drive(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() == 2 && b[0].is_ascii_alphabetic() && b[1] == b':'
}

fn first_word(args: &[Arg]) -> Option<&str> {
    args.iter()
        .find(|a| !a.text.starts_with('-'))
        .map(|a| a.text.as_str())
}

fn passthrough(stdin: &Stdin) -> Stdin {
    match stdin {
        Stdin::Download | Stdin::Decoded | Stdin::Secret => stdin.clone(),
        _ => Stdin::Opaque,
    }
}

fn echo_output(args: &[Arg]) -> Stdin {
    let words: Vec<&Arg> = args
        .iter()
        .skip_while(|a| matches!(a.text.as_str(), "-n" | "-e" | "-E" | "-ne" | "-en"))
        .collect();
    Stdin::Text {
        text: words
            .iter()
            .map(|a| a.text.as_str())
            .collect::<Vec<_>>()
            .join(" "),
        dynamic: words.iter().any(|a| a.dynamic),
    }
}

/// What `printf FORMAT ARGS...` prints, as far as a reader of its output cares: with a `%`
/// conversion and arguments, the arguments one per line (`printf '%s\n' a b`); otherwise the
/// format with `\n` escapes applied.
fn printf_output(args: &[Arg]) -> Stdin {
    let dynamic = args.iter().any(|a| a.dynamic);
    let text = match args.split_first() {
        Some((format, rest)) => {
            let rest: Vec<&str> = rest.iter().map(|a| a.text.as_str()).collect();
            render_printf(&format.text, &rest)
        }
        None => String::new(),
    };
    Stdin::Text { text, dynamic }
}

/// What `printf FORMAT ARGS…` prints: each conversion takes the next argument (`%s`, `%d`,
/// `%b` alike), the format is reused while arguments remain, and `\n`/`\t` are escapes.
fn render_printf(format: &str, args: &[&str]) -> String {
    let mut out = String::new();
    let mut next = 0;
    loop {
        let mut chars = format.chars().peekable();
        let mut consumed = false;
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    // `\xHH` and `\0NNN`: a byte by its code (`printf '\x72m'` is `rm`)
                    Some(base @ ('x' | '0')) => {
                        let (radix, max) = if base == 'x' { (16, 2) } else { (8, 3) };
                        let mut code = 0u32;
                        let mut digits = 0;
                        while digits < max
                            && let Some(d) = chars.peek().and_then(|c| c.to_digit(radix))
                        {
                            code = code * radix + d;
                            digits += 1;
                            chars.next();
                        }
                        match char::from_u32(code).filter(|_| digits > 0) {
                            Some(c) => out.push(c),
                            None if base == '0' => out.push('\0'),
                            None => out.push_str("\\x"),
                        }
                    }
                    Some(other) => out.push(other),
                    None => out.push('\\'),
                },
                '%' if chars.peek() == Some(&'%') => {
                    chars.next();
                    out.push('%');
                }
                '%' => {
                    // flags, width and precision, then the conversion letter
                    while chars
                        .peek()
                        .is_some_and(|c| !c.is_ascii_alphabetic() && *c != '%')
                    {
                        chars.next();
                    }
                    chars.next();
                    out.push_str(args.get(next).copied().unwrap_or(""));
                    next += 1;
                    consumed = true;
                }
                c => out.push(c),
            }
        }
        if !consumed || next >= args.len() || out.len() > 1 << 16 {
            return out;
        }
    }
}

fn env_dump(p: &str) -> Judged<Stdin> {
    Err(block(
        "secrets.env-dump",
        format!("{p} without a command prints every environment variable, secrets included"),
        Some("print only the variable you need, e.g. `printenv HOME`"),
    ))
}

/// `xargs [opts] CMD ARGS`: CMD runs with arguments read from stdin. Known input (`echo x |`)
/// is substituted; unknown input is a run-time placeholder.
fn xargs(w: &mut Walker, args: &[Arg], stdin: &Stdin) -> Judged<Stdin> {
    let mut i = 0;
    let mut replace: Option<String> = None;
    // `-a FILE`/`--arg-file=FILE`: the input is FILE's content, not standard input
    let mut arg_file: Option<Arg> = None;
    while i < args.len() {
        let t = args[i].text.as_str();
        if !t.starts_with('-') || t == "-" {
            break;
        }
        i += 1;
        if t == "--" {
            break;
        }
        if let Some(long) = t.strip_prefix("--") {
            let (name, value) = long
                .split_once('=')
                .map_or((long, None), |(n, v)| (n, Some(v)));
            match name {
                "replace" => {
                    replace = Some(value.filter(|v| !v.is_empty()).unwrap_or("{}").to_string())
                }
                "arg-file" => {
                    arg_file = Some(match value {
                        Some(v) => Arg {
                            text: v.to_string(),
                            ..args[i - 1].clone()
                        },
                        None => {
                            i += 1;
                            args.get(i - 1).cloned().unwrap_or_else(|| Arg::runtime(""))
                        }
                    })
                }
                "delimiter" | "max-args" | "max-procs" | "max-lines" | "max-chars" | "eof"
                | "process-slot-var"
                    if value.is_none() =>
                {
                    i += 1
                }
                _ => {}
            }
            continue;
        }
        let flag = &t[1..2.min(t.len())];
        let attached = &t[1 + flag.len()..];
        match flag {
            "I" | "J" => {
                replace = Some(if attached.is_empty() {
                    i += 1;
                    args.get(i - 1).map_or("{}".into(), |a| a.text.clone())
                } else {
                    attached.to_string()
                })
            }
            "i" => {
                replace = Some(if attached.is_empty() {
                    "{}".into()
                } else {
                    attached.into()
                })
            }
            "a" => {
                arg_file = Some(if attached.is_empty() {
                    i += 1;
                    args.get(i - 1).cloned().unwrap_or_else(|| Arg::runtime(""))
                } else {
                    Arg {
                        text: attached.to_string(),
                        ..args[i - 1].clone()
                    }
                })
            }
            "L" | "n" | "P" | "s" | "d" | "E" | "e" if attached.is_empty() => i += 1,
            _ => {}
        }
    }
    let template: Vec<Arg> = args[i..].to_vec();
    if template.is_empty() {
        return Ok(Stdin::Opaque); // xargs alone echoes its input
    }
    fed_shell("xargs", &template, replace.as_deref())?;
    // what the arguments are read from: a file this line wrote with content the guard saw,
    // else standard input when it is known text; anything else is a listing nobody saw
    let written;
    let known = match &arg_file {
        Some(f) if f.dynamic => None,
        Some(f) => {
            written = w.written_file(&f.text).flatten();
            written.as_deref()
        }
        None => match stdin {
            Stdin::Text {
                text,
                dynamic: false,
            } => Some(text.as_str()),
            _ => None,
        },
    };
    match (&replace, known) {
        (None, Some(text)) => {
            let mut cmd = template;
            // a glob in the input (`echo *.sh | xargs sh`) selects names at run time
            cmd.extend(text.split_whitespace().map(|t| Arg {
                glob: t.contains(['*', '?', '[']),
                ..Arg::literal(t)
            }));
            w.run(&cmd, &Stdin::Opaque)?;
        }
        (None, None) => {
            let mut cmd = template;
            cmd.push(Arg::listing("<xargs input>"));
            w.run(&cmd, &Stdin::Opaque)?;
        }
        (Some(r), Some(text)) => {
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                let cmd: Vec<Arg> = template
                    .iter()
                    .map(|a| {
                        let mut a = a.clone();
                        a.text = a.text.replace(r.as_str(), line.trim());
                        a
                    })
                    .collect();
                w.run(&cmd, &Stdin::Opaque)?;
            }
        }
        (Some(r), None) => {
            let cmd: Vec<Arg> = template
                .into_iter()
                .map(|mut a| {
                    if a.text.contains(r.as_str()) {
                        a.dynamic = true;
                        a.listing = true;
                        a.opaque = true;
                    }
                    a
                })
                .collect();
            w.run(&cmd, &Stdin::Opaque)?;
        }
    }
    Ok(Stdin::Opaque)
}

/// A shell as the command of `xargs`/`parallel` (after wrappers): fed script names from the
/// input (`echo x.sh | xargs ksh`, `parallel bash ::: *.sh`) or given an input item as its
/// whole code (`xargs -I{} sh -c '{}'`) it runs whatever the listing holds, seen or not;
/// `sh -n` only checks syntax. Shell code that merely uses the item (`sh -c 'gzip {}'`) is
/// judged with the item substituted, like any other command.
fn fed_shell(via: &str, template: &[Arg], replace: Option<&str>) -> Judged {
    let mut argv: Vec<Arg> = template.to_vec();
    for _ in 0..8 {
        let Some(first) = argv.first() else {
            return Ok(());
        };
        match unwrap(&normalize_program(&first.text), &argv[1..]) {
            Some((Wrapped::Argv(inner), _)) => argv = inner,
            Some(_) => return Ok(()),
            None => break,
        }
    }
    let Some(prog) = argv.first() else {
        return Ok(());
    };
    let p = normalize_program(&prog.text);
    if !SHELLS.contains(&p.as_str()) {
        return Ok(());
    }
    let rest = &argv[1..];
    let flags: Vec<&str> = rest
        .iter()
        .map(|a| a.text.as_str())
        .take_while(|t| t.starts_with('-') && *t != "-" && *t != "--")
        .collect();
    let short = |c: char| {
        flags
            .iter()
            .any(|f| !f.starts_with("--") && f[1..].contains(c))
    };
    if short('n') {
        return Ok(());
    }
    if !short('c') {
        return Err(fed_scripts(&format!("{via} {p}")));
    }
    let code = rest.get(flags.len());
    let item_is_code = match (code, replace) {
        (Some(c), Some(r)) => c.text.trim() == r,
        (Some(c), None) => via == "parallel" && c.text.trim() == "{}",
        _ => false,
    };
    if item_is_code {
        return Err(dynamic_code(
            &format!("{via} {p} -c"),
            &[Arg::listing("<input item>")],
        ));
    }
    Ok(())
}

fn parallel(w: &mut Walker, args: &[Arg], stdin: &Stdin) -> Judged<Stdin> {
    const VALUE_OPTS: &[&str] = &[
        "-S",
        "--sshlogin",
        "-j",
        "--jobs",
        "-a",
        "--arg-file",
        "--colsep",
        "-d",
        "--delimiter",
        "-E",
        "-I",
        "--joblog",
        "--results",
        "--tmpdir",
        "--workdir",
        "--wd",
        "-N",
        "-n",
        "-L",
        "--delay",
        "--timeout",
        "--retries",
        "--halt",
        "--basefile",
        "--return",
        "--env",
    ];
    let mut i = 0;
    let mut arg_file = false;
    while i < args.len() {
        let t = args[i].text.as_str();
        if !t.starts_with('-') || t.starts_with(":::") {
            break;
        }
        i += 1;
        if t == "--" {
            break;
        }
        if VALUE_OPTS.contains(&t) {
            i += 1;
        }
        // `-a FILE`: the input is FILE's content, which the guard has not seen
        arg_file |= t == "-a" || t == "--arg-file" || t.starts_with("--arg-file=");
    }
    let sep = args[i..]
        .iter()
        .position(|a| a.text.starts_with(":::"))
        .map_or(args.len(), |p| i + p);
    let mut template: Vec<Arg> = args[i..sep].to_vec();
    let values: Vec<&Arg> = args
        .get(sep..)
        .unwrap_or(&[])
        .iter()
        .filter(|a| !a.text.starts_with(":::"))
        .collect();
    let from_file = arg_file || args.get(sep).is_some_and(|a| a.text.starts_with("::::"));
    // parallel runs its command through a shell: one word with spaces (`'bash {}'`) is a
    // command line, not a program name
    if let [only] = template.as_slice()
        && !only.dynamic
        && only.text.contains(char::is_whitespace)
    {
        let line = only.text.clone();
        if line.contains(['|', ';', '&', '<', '>', '`', '$', '(', ')', '\'', '"', '\\']) {
            // a pipeline or redirection: judge each known value substituted into it
            if sep < args.len() && !from_file {
                for v in &values {
                    if v.dynamic {
                        return Err(dynamic_code("parallel", &[(*v).clone()]));
                    }
                    let filled = if line.contains("{}") {
                        line.replace("{}", &v.text)
                    } else {
                        format!("{line} {}", v.text)
                    };
                    w.check_script(&filled)?;
                }
                return Ok(Stdin::Opaque);
            }
            return Err(dynamic_code("parallel", &[Arg::runtime("<input>")]));
        }
        template = line
            .split_whitespace()
            .map(|t| Arg {
                text: t.to_string(),
                ..only.clone()
            })
            .collect();
    }
    if !template.is_empty() {
        fed_shell("parallel", &template, Some("{}"))?;
    }
    if template.is_empty() {
        // the input lines are the commands
        return match stdin {
            Stdin::Text {
                text,
                dynamic: false,
            } if sep == args.len() && !arg_file => w.check_script(text),
            _ if sep < args.len() && !from_file => {
                for v in &values {
                    if v.dynamic {
                        return Err(dynamic_code("parallel", &[(*v).clone()]));
                    }
                    w.check_script(&v.text)?;
                }
                Ok(Stdin::Opaque)
            }
            _ => Err(dynamic_code("parallel", &[Arg::runtime("<input>")])),
        };
    }
    let known: Vec<Arg> = if sep < args.len() && !from_file {
        values.iter().map(|a| (*a).clone()).collect()
    } else {
        vec![Arg::listing("<parallel input>")]
    };
    for value in known {
        let mut cmd: Vec<Arg> = template.clone();
        let mut substituted = false;
        for a in cmd.iter_mut() {
            if a.text.contains("{}") {
                a.text = a.text.replace("{}", &value.text);
                a.dynamic |= value.dynamic;
                a.listing |= value.listing;
                a.opaque |= value.opaque;
                substituted = true;
            }
        }
        if !substituted {
            cmd.push(value.clone());
        }
        w.run(&cmd, &Stdin::Opaque)?;
    }
    Ok(Stdin::Opaque)
}

// ---- shells, eval, source ------------------------------------------------------------------

fn shell(w: &mut Walker, p: &str, args: &[Arg], stdin: &Stdin) -> Judged<Stdin> {
    let mut i = 0;
    let mut command_mode = false;
    let mut read_stdin = false;
    let mut no_exec = false;
    while i < args.len() {
        let t = args[i].text.as_str();
        if t == "--" {
            i += 1;
            break;
        }
        if !(t.starts_with('-') || t.starts_with('+')) || t == "-" || args[i].dynamic {
            break;
        }
        i += 1;
        if t.starts_with("--") {
            if matches!(t, "--rcfile" | "--init-file") {
                i += 1;
            }
            continue;
        }
        let flags = &t[1..];
        command_mode |= flags.contains('c');
        read_stdin |= flags.contains('s');
        no_exec |= flags.contains('n') && t.starts_with('-');
        if flags.contains('o') || flags.contains('O') {
            i += 1;
        }
    }
    let operands = &args[i.min(args.len())..];
    if no_exec {
        return Ok(Stdin::Opaque);
    }
    let reads_stdin = !command_mode && (operands.is_empty() || read_stdin);
    let interactive = reads_stdin && matches!(stdin, Stdin::Inherited);
    if w.elevated && (reads_stdin || command_mode) {
        // shell code run as root: any spelling of an elevated shell is an escalation, and
        // so is one reading its commands from a pipe (`echo pw | sudo -S bash`)
        if command_mode {
            return Err(block(
                "privilege.root-shell",
                format!("{p} -c with raised privileges runs shell code as root"),
                Some("run the specific command without elevation"),
            ));
        }
        return Err(block(
            "privilege.root-shell",
            if interactive {
                format!("{p} with raised privileges and no command is an interactive root shell")
            } else {
                format!("{p} with raised privileges runs the shell code on its input as root")
            },
            None,
        ));
    }
    if command_mode {
        let Some(code) = operands.first() else {
            return Err(block(
                "parse.error",
                format!("{p} -c without a command"),
                None,
            ));
        };
        if code.dynamic {
            return Err(dynamic_code(p, std::slice::from_ref(code)));
        }
        return w.check_script(&code.text);
    }
    match operands.first() {
        Some(script) if !read_stdin && script.text != "/dev/stdin" && script.text != "-" => {
            if script.remote_content || w.downloads.iter().any(|d| same_file(d, &script.text)) {
                return Err(block(
                    "rce.download-exec",
                    format!("{p} runs a script fetched from the network"),
                    Some("download to a file, review it, then run the reviewed file"),
                ));
            }
            if script.opaque || script.listing || script.placeholder || script.glob {
                return Err(fed_scripts(p));
            }
            if let Some(content) = w.written_file(&script.text) {
                run_written(w, &script.text, content, None)?;
                return Ok(Stdin::Opaque);
            }
            if w.elevated {
                return Err(elevated_unseen(&script.text));
            }
            Ok(Stdin::Opaque)
        }
        _ => stdin_code(w, p, stdin, |w, text| w.check_script(text).map(drop)),
    }
}

fn fed_scripts(p: &str) -> Block {
    block(
        "shell.fed-scripts",
        format!(
            "{p} runs scripts named by another command's output or a glob (a listing, xargs or parallel input), which the guard cannot see"
        ),
        Some("run the specific, reviewed scripts by name"),
    )
}

/// A shell or interpreter reading its program from standard input.
/// Network or firewall switched off: `pfctl -d`/`-F all`, `netsh advfirewall … state off`,
/// `nmcli networking off`/`radio … off`, `ip link set DEV down`, `ip route|addr flush`,
/// `ifconfig DEV down`, `ifdown`, `ufw disable`/`reset`, `firewall-cmd --panic-on`.
fn network_teardown(p: &str, args: &[Arg]) -> bool {
    let words: Vec<String> = args.iter().map(|a| a.text.to_ascii_lowercase()).collect();
    let has = |w: &str| words.iter().any(|x| x == w);
    if infra::asks_help(args) {
        return false;
    }
    match p {
        "pfctl" => has("-d") || (has("-f") && words.iter().any(|w| w == "all")),
        "netsh" => has("advfirewall") && (has("off") || has("reset")),
        "nmcli" => (has("networking") || has("radio")) && has("off"),
        "ip" => {
            (has("link") && has("down"))
                || ((has("route") || has("addr") || has("address")) && has("flush"))
        }
        "ifconfig" => has("down"),
        "ifdown" => true,
        "ufw" => has("disable") || has("reset"),
        "firewall-cmd" => {
            has("--panic-on")
                || words.iter().any(|w| {
                    matches!(
                        w.as_str(),
                        "--set-default-zone=trusted" | "--set-default-zone=drop"
                    )
                })
        }
        // traffic control that drops every packet (`tc qdisc add dev eth0 root netem loss 100%`)
        "tc" => {
            has("qdisc")
                && (has("add") || has("replace") || has("change"))
                && (words.iter().any(|w| w == "100%") && has("loss") || has("blackhole"))
        }
        _ => false,
    }
}

/// `setfacl -R …` on a home directory itself or a system tree.
fn setfacl_wide(args: &[Arg]) -> bool {
    let recursive = args.iter().any(|a| {
        a.text == "-R"
            || a.text == "--recursive"
            || (a.text.starts_with('-') && !a.text.starts_with("--") && a.text.contains('R'))
    });
    recursive && args.iter().any(|a| wide_tree(&a.text))
}

/// A whole home directory, the root, or a system tree.
pub(crate) fn wide_tree(root: &str) -> bool {
    let t = root.trim_end_matches('/');
    matches!(t, "" | "~" | "$HOME" | "${HOME}") || is_system(root) || home_root(t)
}

/// A user's home directory itself (`/home/dev`, `/Users/ann`, `/root`), not a path inside it.
pub(crate) fn home_root(t: &str) -> bool {
    let t = t.trim_end_matches('/');
    t == "/root"
        || ["/home/", "/Users/"].iter().any(|p| {
            t.strip_prefix(p)
                .is_some_and(|u| !u.is_empty() && !u.contains('/'))
        })
}

pub(crate) fn stdin_code(
    w: &mut Walker,
    p: &str,
    stdin: &Stdin,
    judge_text: impl FnOnce(&mut Walker, &str) -> Judged,
) -> Judged<Stdin> {
    match stdin {
        Stdin::Text {
            text,
            dynamic: false,
        } => {
            judge_text(w, text)?;
            Ok(Stdin::Opaque)
        }
        Stdin::Download => Err(block(
            "rce.download-exec",
            format!("{p} executes content piped from a download"),
            Some("download to a file, review it, then run the reviewed file"),
        )),
        Stdin::Decoded => Err(block(
            "rce.decoded-exec",
            format!("{p} executes content piped from a decoder (hidden code)"),
            None,
        )),
        Stdin::Inherited => Ok(Stdin::Opaque),
        Stdin::Text { dynamic: true, .. } | Stdin::Secret | Stdin::Opaque => Err(block(
            "shell.opaque-stdin",
            format!("{p} executes code piped from another command, which the guard cannot see"),
            Some("pass the code literally (e.g. `sh -c '...'`) or run a script file"),
        )),
    }
}

fn source(w: &mut Walker, p: &str, args: &[Arg], stdin: &Stdin) -> Judged<Stdin> {
    let Some(file) = args.first() else {
        return Ok(Stdin::Opaque);
    };
    if file.remote_content || w.downloads.iter().any(|d| same_file(d, &file.text)) {
        return Err(block(
            "rce.download-exec",
            format!("{p} runs code fetched from the network"),
            Some("download to a file, review it, then source the reviewed file"),
        ));
    }
    if file.text == "/dev/stdin" || file.text == "-" {
        return stdin_code(w, p, stdin, |w, t| w.check_script(t).map(drop));
    }
    if file.opaque {
        return Err(dynamic_code(p, std::slice::from_ref(file)));
    }
    if let Some(content) = w.written_file(&file.text) {
        run_written(w, &file.text, content, None)?;
    }
    Ok(Stdin::Opaque)
}

fn alias(w: &mut Walker, args: &[Arg]) -> Judged {
    for a in args {
        let Some((name, value)) = a.text.split_once('=') else {
            continue;
        };
        if a.dynamic {
            return Err(dynamic_code("alias", std::slice::from_ref(a)));
        }
        if shadows_command(name) {
            return Err(block(
                "shell.shadowing",
                format!("alias `{name}` changes what that command does"),
                None,
            ));
        }
        w.check_script(value)?;
    }
    Ok(())
}

fn declaration(w: &mut Walker, p: &str, args: &[Arg]) -> Judged {
    if args.iter().all(|a| a.text.starts_with('-')) && p != "local" {
        return env_dump(p).map(drop);
    }
    for a in args.iter().filter(|a| !a.text.starts_with('-')) {
        if let Some((name, value)) = a.text.split_once('=') {
            let mut v = a.clone();
            v.text = value.to_string();
            w.assign(name, &v)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::render_printf;
    use proptest::prelude::*;

    #[test]
    fn printf_fills_conversions_and_decodes_escapes() {
        assert_eq!(
            render_printf("DROP DATABASE %s;\\n", &["x"]),
            "DROP DATABASE x;\n"
        );
        assert_eq!(
            render_printf("%s-%d\\n", &["a", "1", "b", "2"]),
            "a-1\nb-2\n"
        );
        assert_eq!(render_printf("\\x72m -%s", &["rf"]), "rm -rf");
        assert_eq!(render_printf("\\0162m 100%%", &[]), "rm 100%");
        assert_eq!(render_printf("plain", &["ignored"]), "plain");
    }

    proptest! {
        /// Any format and arguments render without panicking, in bounded size; text without
        /// `%` or `\` is printed as it is.
        #[test]
        fn printf_rendering_is_total(format in ".{0,40}", args in prop::collection::vec(".{0,12}", 0..6)) {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let out = render_printf(&format, &args);
            prop_assert!(out.len() <= (1 << 16) + format.len() * 4 + 64 * args.len());
            if !format.contains(['%', '\\']) {
                prop_assert_eq!(out, format);
            }
        }
    }
}
