//! The builtin rules: one judgement per program family over its parsed argv.
//!
//! Guarantees: every block names a stable rule id; recursion (`sh -c`, `eval`, `xargs`,
//! `find -exec`, `parallel`, wrappers, inline interpreter code) goes back through the walker,
//! so a nested command is judged exactly like a top-level one.

use super::Block;
use super::code;
use super::git;
use super::paths::{is_block_device, is_credential_store, is_secret, is_system};
use super::walk::{Invocation, Judged, Stdin, Walker};
use super::words::Arg;
use super::wrappers::{Wrapped, unwrap};

mod fs;
mod infra;
mod net;

use fs::{
    copy, dd, extract, find, kill, perms, rm, sed, system_delete, system_service, transfer,
    truncate, windows_delete,
};
use infra::{generic_destructive_verb, pkg_install, secret_store_write};
use net::{decodes, exfiltration, net};

const SHELLS: &[&str] = &[
    "sh", "bash", "zsh", "dash", "ksh", "mksh", "ash", "fish", "csh", "tcsh", "yash",
];

/// Programs whose arguments are only printed or searched: a dangerous word in their
/// arguments is a mention, not an action.
const MENTION: &[&str] = &["echo", "printf", "true", "false", ":"];

/// Programs where a positional "delete"/"drop" word is not a remote destructive action
/// (build tools, test runners, package managers, editors, read-only tools, own rules).
const GENERIC_VERB_EXEMPT: &[&str] = &[
    "echo", "printf", "grep", "egrep", "fgrep", "rg", "ag", "ack", "cat", "less", "more", "head",
    "tail", "wc", "sort", "uniq", "cut", "tr", "sed", "awk", "gawk", "jq", "yq", "man", "which",
    "type", "whereis", "whatis", "apropos", "hash", "help", "info", "tldr", "file", "stat", "ls",
    "tree", "find", "diff", "cmp", "git", "test", "[", "true", "false", "sleep", "date",
    "basename", "dirname", "realpath", "readlink", "cargo", "rustc", "rustup", "go", "make",
    "cmake", "ninja", "npm", "npx", "yarn", "pnpm", "bun", "deno", "pip", "pipx", "uv", "poetry",
    "pytest", "tox", "nox", "bundle", "gem", "mvn", "gradle", "dotnet", "swift", "clang", "gcc",
    "cc", "tsc", "eslint", "prettier", "jest", "vitest", "mocha", "rspec", "composer", "mix",
    "just", "task", "code", "vim", "nvim", "nano", "emacs", "touch", "mkdir", "cp", "mv", "rm",
    "ln", "chmod", "chown", "tee", "xargs", "parallel", "cd", "pwd", "export", "alias", "unset",
    "pnpx", "bunx", "uvx", "brew", "apt", "apt-get", "dnf", "yum", "apk", "pacman", "zypper",
    "port", "sqlite3", "hx", "tmux", "screen", "history", "kill", "pkill", "killall",
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
pub(crate) fn invocation(w: &mut Walker, argv: &[Arg], stdin: &Stdin) -> Judged<Stdin> {
    let program = normalize_program(&argv[0].text);
    if let Some(b) = w.policy.deny(&program, &argv[1..]) {
        return Err(b);
    }
    if let Some((wrapped, env)) = unwrap(&program, &argv[1..]) {
        for (name, value) in &env {
            w.assign(name, value)?;
        }
        w.policy.require_allowed(&program, &argv[1..])?;
        return match wrapped {
            Wrapped::Argv(inner) => w.run(&inner, stdin),
            Wrapped::Script(words) => {
                if words.iter().any(|a| a.dynamic) {
                    return Err(dynamic_code(&program, &words));
                }
                let script = join(&words);
                w.check_script(&script)
            }
            Wrapped::Nothing => {
                if program == "env" {
                    return env_dump("env");
                }
                Ok(Stdin::Opaque)
            }
        };
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
        if let Some(a) = args.iter().find(|a| is_credential_store(&a.text)) {
            return Err(block(
                "secrets.credential-store",
                format!(
                    "{p} touches {}, a store of user or system credentials",
                    a.text
                ),
                Some("credentials outside the project are off limits to an unattended loop"),
            ));
        }
        if let Some(dl) = w.downloads.iter().find(|d| same_file(d, &inv.argv[0].text)) {
            return Err(block(
                "rce.download-exec",
                format!("runs {dl}, which this command just downloaded"),
                Some("review downloaded code before running it"),
            ));
        }
    }
    let out = match p {
        "rm" => rm(args).map(|_| Stdin::Opaque),
        // rimraf is `rm -rf` as a package
        "rimraf" => {
            let mut as_rm = vec![Arg::literal("-rf"), Arg::literal("--")];
            as_rm.extend(args.iter().filter(|a| !a.text.starts_with('-')).cloned());
            rm(&as_rm).map(|_| Stdin::Opaque)
        }
        "rmdir" | "rd" | "del" | "erase" => windows_delete(p, args).map(|_| Stdin::Opaque),
        "unlink" => system_delete(p, args).map(|_| Stdin::Opaque),
        "shred" | "srm" | "wipe" | "wipefs" | "blkdiscard" => Err(block(
            "fs.shred",
            format!("{p} irrecoverably destroys data"),
            None,
        )),
        "truncate" => truncate(args).map(|_| Stdin::Opaque),
        "find" => find(w, args),
        "xargs" => xargs(w, args, inv.stdin),
        "parallel" => parallel(w, args, inv.stdin),
        "git" => git::judge(args).map(|_| Stdin::Opaque),
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
            for a in args.iter().filter(|a| !a.text.starts_with('-')) {
                write_target(a, "tee")?;
            }
            Ok(passthrough(inv.stdin))
        }
        "cp" | "mv" | "install" | "ln" => copy(p, args).map(|_| Stdin::Opaque),
        "rsync" | "scp" | "rclone" => transfer(p, args).map(|_| Stdin::Opaque),
        "sed" => sed(args, inv.stdin),
        "chmod" | "chown" | "chgrp" => perms(p, args).map(|_| Stdin::Opaque),
        "kill" | "killall" | "pkill" | "taskkill" => kill(p, args).map(|_| Stdin::Opaque),
        "reboot" | "shutdown" | "halt" | "poweroff" | "init" | "telinit" | "pmset" | "nvram"
        | "csrutil" | "bcdedit" | "diskpart" | "setenforce" | "swapoff" | "visudo" | "passwd"
        | "usermod" | "useradd" | "userdel" | "groupdel" => Err(block(
            "system.config",
            format!("{p} changes or stops the machine itself"),
            None,
        )),
        "systemctl" | "launchctl" | "service" | "sysctl" | "crontab" | "iptables" | "ip6tables"
        | "nft" => system_service(p, args).map(|_| Stdin::Opaque),
        "su" => Err(block(
            "privilege.root-shell",
            "su without -c opens an interactive root shell",
            None,
        )),
        "sudo" | "doas" => Err(block(
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
        | "format-volume" | "clear-disk" | "remove-item" => Err(block(
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
        "curl" | "wget" | "http" | "https" | "xh" => net(w, p, args),
        "base64" | "xxd" | "uudecode" | "openssl" | "gpg" if decodes(p, args) => Ok(Stdin::Decoded),
        "echo" => Ok(echo_output(args)),
        "printf" => Ok(Stdin::Text {
            text: args
                .iter()
                .map(|a| a.text.replace("\\n", "\n"))
                .collect::<Vec<_>>()
                .join("\n"),
            dynamic: args.iter().any(|a| a.dynamic),
        }),
        "cat" | "head" | "tail" | "less" | "more" | "sort" | "uniq" | "tr" | "cut" | "rev"
        | "tac" | "grep" | "awk" | "gunzip" | "zcat" | "gzip" | "bzcat" | "xzcat" => {
            if args
                .iter()
                .any(|a| is_secret(&a.text) || a.text.starts_with("/etc/"))
            {
                Ok(Stdin::Secret)
            } else {
                Ok(passthrough(inv.stdin))
            }
        }
        "tar" | "unzip" | "7z" | "7za" | "bsdtar" => extract(p, args).map(|_| Stdin::Opaque),
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
    pkg_install(p, args)?;
    secret_store_write(p, args)?;
    // script arguments of interpreters are the script's business, not a subcommand
    let interpreter = code::language(p).is_some() && p != "java";
    if !GENERIC_VERB_EXEMPT.contains(&p) && !SHELLS.contains(&p) && !interpreter {
        generic_destructive_verb(p, args)?;
    }
    if NETWORK.contains(&p) {
        exfiltration(p, args, inv.stdin)?;
    }
    Ok(out)
}

fn same_file(download: &str, program: &str) -> bool {
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
                "delimiter" | "max-args" | "max-procs" | "arg-file" | "max-lines" | "max-chars"
                | "eof" | "process-slot-var"
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
            "L" | "n" | "P" | "s" | "d" | "E" | "a" | "e" if attached.is_empty() => i += 1,
            _ => {}
        }
    }
    let template: Vec<Arg> = args[i..].to_vec();
    if template.is_empty() {
        return Ok(Stdin::Opaque); // xargs alone echoes its input
    }
    let known = match stdin {
        Stdin::Text {
            text,
            dynamic: false,
        } => Some(text.as_str()),
        _ => None,
    };
    match (&replace, known) {
        (None, Some(text)) => {
            let mut cmd = template;
            cmd.extend(text.split_whitespace().map(Arg::literal));
            w.run(&cmd, &Stdin::Opaque)?;
        }
        (None, None) => {
            let mut cmd = template;
            cmd.push(Arg::runtime("<xargs input>"));
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
                    a.dynamic |= a.text.contains(r.as_str());
                    a
                })
                .collect();
            w.run(&cmd, &Stdin::Opaque)?;
        }
    }
    Ok(Stdin::Opaque)
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
    }
    let sep = args[i..]
        .iter()
        .position(|a| a.text.starts_with(":::"))
        .map_or(args.len(), |p| i + p);
    let template = &args[i..sep];
    let values: Vec<&Arg> = args
        .get(sep..)
        .unwrap_or(&[])
        .iter()
        .filter(|a| !a.text.starts_with(":::"))
        .collect();
    let from_file = args.get(sep).is_some_and(|a| a.text.starts_with("::::"));
    if template.is_empty() {
        // the input lines are the commands
        return match stdin {
            Stdin::Text {
                text,
                dynamic: false,
            } if sep == args.len() => w.check_script(text),
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
        vec![Arg::runtime("<parallel input>")]
    };
    for value in known {
        let mut cmd: Vec<Arg> = template.to_vec();
        let mut substituted = false;
        for a in cmd.iter_mut() {
            if a.text.contains("{}") {
                a.text = a.text.replace("{}", &value.text);
                a.dynamic |= value.dynamic;
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
            if script.opaque {
                return Err(dynamic_code(p, std::slice::from_ref(script)));
            }
            Ok(Stdin::Opaque)
        }
        _ => stdin_code(w, p, stdin, |w, text| w.check_script(text).map(drop)),
    }
}

/// A shell or interpreter reading its program from standard input.
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
