//! Programs that run another program: `sudo`, `env`, `nohup`, `timeout`, `nice`, `command`,
//! `builtin`, `exec`, `time`, `stdbuf`, `doas`, `busybox`, `ionice`, `setsid`, ... and those
//! that run a *shell string* (`watch`, `su -c`, `ssh host cmd`, `env -S`).
//!
//! Guarantee: the wrapped command is judged exactly as if it had been typed alone; a wrapper
//! whose command the guard cannot isolate is judged on all of its operands.

use super::opts::Opts;
use super::words::Arg;

/// Options of npm, pnpm, yarn and bun that take a value, before or after the subcommand
/// (`npm --registry URL unpublish x`): the value is not the subcommand or an operand.
pub(crate) const NODE_PM_VALUE_OPTIONS: &[&str] = &[
    "registry",
    "prefix",
    "workspace",
    "userconfig",
    "globalconfig",
    "cache",
    "dir",
    "cwd",
    "otp",
    "tag",
    "access",
    "scope",
    "filter",
];

/// What a wrapper runs.
pub(crate) enum Wrapped {
    /// Another argv (may itself be a wrapper).
    Argv(Vec<Arg>),
    /// A shell command string (the argument words joined by spaces).
    Script(Vec<Arg>),
    /// Only assignments and options (`env X=1`, `sudo -v`): nothing else runs.
    Nothing,
}

/// Environment assignments a wrapper makes (`env X=1 cmd`, `sudo X=1 cmd`).
pub(crate) type Assignments = Vec<(String, Arg)>;

fn split_assignments(operands: &[&Arg]) -> (Assignments, Vec<Arg>) {
    let mut assignments = Vec::new();
    let mut i = 0;
    while i < operands.len() {
        let a = operands[i];
        match a.text.split_once('=') {
            Some((name, value))
                if !name.is_empty()
                    && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') =>
            {
                let mut v = a.clone();
                v.text = value.to_string();
                assignments.push((name.to_string(), v));
                i += 1;
            }
            _ => break,
        }
    }
    (
        assignments,
        operands[i..].iter().map(|a| (*a).clone()).collect(),
    )
}

fn rest(operands: &[&Arg]) -> Vec<Arg> {
    operands.iter().map(|a| (*a).clone()).collect()
}

fn argv_or_nothing(v: Vec<Arg>) -> Wrapped {
    if v.is_empty() {
        Wrapped::Nothing
    } else {
        Wrapped::Argv(v)
    }
}

/// If `program` is a wrapper, what it runs (and the environment it sets).
pub(crate) fn unwrap(program: &str, args: &[Arg]) -> Option<(Wrapped, Assignments)> {
    let none = Vec::new;
    let w = match program {
        "nohup" | "setsid" | "unbuffer" | "chronic" | "builtin" | "catchsegv" | "torsocks"
        | "proxychains" | "proxychains4" | "xvfb-run" | "dbus-launch" | "fakeroot" => {
            let o = Opts::parse(args, "", &[], true);
            (argv_or_nothing(rest(&o.operands)), none())
        }
        "sudo" | "sudo-rs" | "please" => {
            let o = Opts::parse(
                args,
                "CDghprtTUu",
                &[
                    "user",
                    "group",
                    "host",
                    "prompt",
                    "role",
                    "type",
                    "other-user",
                    "chdir",
                    "close-from",
                    "command-timeout",
                    "chroot",
                ],
                true,
            );
            let (env, cmd) = split_assignments(&o.operands);
            if cmd.is_empty() && (o.has('i', "login") || o.has('s', "shell")) {
                return None; // a root shell: judged by the rules
            }
            if o.has('e', "edit") {
                // `sudo -e FILE` is `sudoedit FILE`: an editor writing the files as root
                let mut v = vec![Arg::literal("sudoedit")];
                v.extend(rest(&o.operands));
                return Some((Wrapped::Argv(v), none()));
            }
            (argv_or_nothing(cmd), env)
        }
        "setpriv" => {
            // `setpriv --reuid=0 --init-groups CMD`: runs CMD with other credentials
            let o = Opts::parse(
                args,
                "",
                &[
                    "reuid",
                    "regid",
                    "ruid",
                    "rgid",
                    "euid",
                    "egid",
                    "groups",
                    "inh-caps",
                    "ambient-caps",
                    "bounding-set",
                    "securebits",
                    "selinux-label",
                    "apparmor-profile",
                    "pdeathsig",
                ],
                true,
            );
            (argv_or_nothing(rest(&o.operands)), none())
        }
        "machinectl" => {
            // `machinectl shell [USER@]HOST [CMD...]`, `machinectl login`: a (root) shell
            let o = Opts::parse(
                args,
                "EMpH",
                &["uid", "setenv", "machine", "property", "host"],
                true,
            );
            match o.operands.first().map(|a| a.text.as_str()) {
                Some("shell") => (
                    argv_or_nothing(rest(o.operands.get(2..).unwrap_or(&[]))),
                    none(),
                ),
                Some("login") => (Wrapped::Nothing, none()),
                _ => return None,
            }
        }
        "gosu" | "su-exec" => {
            // `gosu USER CMD ...`
            let o = Opts::parse(args, "", &[], true);
            (
                argv_or_nothing(rest(o.operands.get(1..).unwrap_or(&[]))),
                none(),
            )
        }
        "pkexec" => {
            let o = Opts::parse(args, "", &["user"], true);
            (argv_or_nothing(rest(&o.operands)), none())
        }
        "run0" => {
            let o = Opts::parse(
                args,
                "ugDp",
                &[
                    "user",
                    "group",
                    "nice",
                    "chdir",
                    "setenv",
                    "property",
                    "unit",
                    "description",
                    "slice",
                    "background",
                ],
                true,
            );
            (argv_or_nothing(rest(&o.operands)), none())
        }
        "doas" => {
            let o = Opts::parse(args, "uC", &[], true);
            if o.operands.is_empty() && o.short('s') {
                return None;
            }
            (argv_or_nothing(rest(&o.operands)), none())
        }
        "env" => {
            let o = Opts::parse(
                args,
                "uCPS",
                &[
                    "unset",
                    "chdir",
                    "split-string",
                    "default-signal",
                    "ignore-signal",
                    "block-signal",
                ],
                true,
            );
            // `env - cmd` is `env -i cmd`
            let operands = match o.operands.split_first() {
                Some((first, rest)) if first.text == "-" => rest,
                _ => &o.operands[..],
            };
            let (env, mut cmd) = split_assignments(operands);
            if let Some(s) = o.short_value('S').or(o.long_value("split-string")) {
                // `env -S 'cmd args'` splits a string into argv
                let mut v: Vec<Arg> = s.split_whitespace().map(Arg::literal).collect();
                v.append(&mut cmd);
                return Some((Wrapped::Script(v), env));
            }
            (argv_or_nothing(cmd), env)
        }
        "timeout" => {
            let o = Opts::parse(args, "sk", &["signal", "kill-after"], true);
            (
                argv_or_nothing(rest(o.operands.get(1..).unwrap_or(&[]))),
                none(),
            )
        }
        "nice" => {
            // `nice -n 5 cmd`, `nice -5 cmd`, `nice --adjustment=5 cmd`
            let start = args
                .iter()
                .position(|a| !(a.text.starts_with('-') && a.text.len() > 1))
                .unwrap_or(args.len());
            let skip_value = args
                .get(start.wrapping_sub(1))
                .is_some_and(|a| a.text == "-n");
            let start = if skip_value { start + 1 } else { start };
            (
                argv_or_nothing(args.get(start..).unwrap_or(&[]).to_vec()),
                none(),
            )
        }
        // `chrt [-f|-r|-i|…] PRIORITY CMD…`, `taskset [-c] MASK CMD…`: the first operand is a
        // number or a CPU list; the rest runs
        "chrt" | "taskset" => {
            let o = Opts::parse(args, "", &[], true);
            if o.short('p') || o.long("pid") {
                return Some((Wrapped::Nothing, none()));
            }
            (
                argv_or_nothing(rest(o.operands.get(1..).unwrap_or(&[]))),
                none(),
            )
        }
        "ionice" => {
            let o = Opts::parse(args, "cnp", &["class", "classdata", "pid"], true);
            (argv_or_nothing(rest(&o.operands)), none())
        }
        "stdbuf" => {
            let o = Opts::parse(args, "ioe", &["input", "output", "error"], true);
            (argv_or_nothing(rest(&o.operands)), none())
        }
        "time" => {
            let o = Opts::parse(args, "fo", &["format", "output"], true);
            (argv_or_nothing(rest(&o.operands)), none())
        }
        "exec" => {
            let o = Opts::parse(args, "a", &[], true);
            (argv_or_nothing(rest(&o.operands)), none())
        }
        "command" => {
            let o = Opts::parse(args, "", &[], true);
            // `command -v NAME` only looks a name up; with more operands, fail closed and
            // judge them as a command.
            if (o.short('v') || o.short('V')) && o.operands.len() <= 1 {
                return Some((Wrapped::Nothing, none()));
            }
            (argv_or_nothing(rest(&o.operands)), none())
        }
        // package runners: judge the tool they run (`npx prisma migrate reset`)
        "npx" | "pnpx" | "bunx" | "uvx" => {
            let o = Opts::parse(args, "pc", &["package", "call", "from", "with"], true);
            if let Some(c) = o.short_value('c').or(o.long_value("call")) {
                return Some((Wrapped::Script(vec![Arg::literal(c)]), none()));
            }
            (argv_or_nothing(rest(&o.operands)), none())
        }
        // the same runners as subcommands: `npm exec [--] TOOL`, `npm x`, `pnpm dlx`,
        // `pnpm exec`, `yarn dlx`, `yarn exec`, `bun x`
        "npm" | "pnpm" | "yarn" | "bun" => {
            let global = Opts::parse(args, "Cw", NODE_PM_VALUE_OPTIONS, true);
            let verb = global.operands.first()?;
            let runs = matches!(
                (program, verb.text.as_str()),
                ("npm", "exec" | "x")
                    | ("pnpm", "dlx" | "exec")
                    | ("yarn", "dlx" | "exec")
                    | ("bun", "x")
            );
            if !runs {
                return None;
            }
            let at = args.iter().position(|a| std::ptr::eq(a, *verb))?;
            let o = Opts::parse(&args[at + 1..], "pc", &["package", "call"], true);
            if let Some(c) = o.short_value('c').or(o.long_value("call")) {
                return Some((Wrapped::Script(vec![Arg::literal(c)]), none()));
            }
            (argv_or_nothing(rest(&o.operands)), none())
        }
        "busybox" | "toybox" => (argv_or_nothing(args.to_vec()), none()),
        // `script -qc CMD FILE` (util-linux) runs CMD in a shell; `script -q FILE CMD…` (BSD)
        // runs CMD; with neither it starts an interactive shell, judged by the rules
        "script" => {
            let o = Opts::parse(
                args,
                "cEIOBTmo",
                &[
                    "command",
                    "echo",
                    "log-in",
                    "log-out",
                    "log-io",
                    "log-timing",
                    "logging-format",
                    "output-limit",
                ],
                true,
            );
            // GNU getopt also takes `-c CMD` after the file (`script log -c CMD`)
            let late_command = match o.operands.get(1).map(|a| a.text.as_str()) {
                Some("-c" | "--command") => o.operands.get(2).map(|a| a.text.as_str()),
                Some(t) => t.strip_prefix("--command="),
                None => None,
            };
            match o
                .short_value('c')
                .or(o.long_value("command"))
                .or(late_command)
            {
                Some(c) => (Wrapped::Script(vec![Arg::literal(c)]), none()),
                None if o.operands.len() > 1 => (argv_or_nothing(rest(&o.operands[1..])), none()),
                None => return None,
            }
        }
        "watch" => {
            let o = Opts::parse(args, "nd", &["interval", "differences"], true);
            (Wrapped::Script(rest(&o.operands)), none())
        }
        "su" | "runuser" | "ksu" => {
            let o = Opts::parse(
                args,
                "cgGsuw",
                &["command", "group", "shell", "user"],
                false,
            );
            match o.short_value('c').or(o.long_value("command")) {
                Some(c) => (Wrapped::Script(vec![Arg::literal(c)]), none()),
                None if program == "runuser" && o.double_dash => {
                    let pos = args.iter().position(|a| a.text == "--").unwrap_or(0);
                    (argv_or_nothing(args[pos + 1..].to_vec()), none())
                }
                None => return None, // a login shell: judged by the rules
            }
        }
        "ssh" => {
            let o = Opts::parse(args, "BbcDEeFIiJLlmOoPpQRSWw", &[], true);
            if o.operands.len() <= 1 {
                return None;
            }
            (Wrapped::Script(rest(&o.operands[1..])), none())
        }
        "chroot" => {
            let o = Opts::parse(args, "", &["userspec", "groups"], true);
            (
                argv_or_nothing(rest(o.operands.get(1..).unwrap_or(&[]))),
                none(),
            )
        }
        "flock" => {
            let o = Opts::parse(
                args,
                "cwE",
                &["command", "timeout", "conflict-exit-code"],
                true,
            );
            if let Some(c) = o.short_value('c').or(o.long_value("command")) {
                return Some((Wrapped::Script(vec![Arg::literal(c)]), none()));
            }
            (
                argv_or_nothing(rest(o.operands.get(1..).unwrap_or(&[]))),
                none(),
            )
        }
        "strace" | "ltrace" | "valgrind" | "caffeinate" => {
            let o = Opts::parse(args, "eopsuE", &[], true);
            (argv_or_nothing(rest(&o.operands)), none())
        }
        _ => return None,
    };
    Some(w)
}
