//! Metamorphic tests: every labelled command (tests/fixtures/commands.tsv and
//! guard_heldout.tsv) is rewritten in ways that must not change what it does — wrappers,
//! absolute paths and quoted program names, split/reordered/long flags, `--`, redirections in
//! the middle, line continuations, `bash -c`/`sh -lc`/`zsh -c`/`eval` nesting, subshells,
//! braces, `if`/`for` bodies, a function defined and called, a here-document or an `echo` piped
//! into a shell, and `$(...)` — and rewrites that must change the verdict are generated from
//! templates written here: a dry-run flag (block -> allow), a deletion target moved inside or
//! outside the worktree, an elevating prefix (allow -> block).
//!
//! Property (asserted): no meaning-preserving rewrite turns a blocked dangerous command into
//! an allowed one; every verdict-changing rewrite lands on the expected verdict. The figure for
//! safe commands blocked after a rewrite is printed, not asserted (a rewrite can make a safe
//! command unreadable, which the guard rightly blocks).
//!
//! Seeded and deterministic: `STRIVE_GUARD_SEED=<u64>` picks another seed; a failure prints
//! the seed, the original and the variant.

use crate::guard_fixtures;

use strive_core::guard::{Context, Guard};

/// splitmix64: small, seeded, good enough to pick rewrites.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    pub(crate) fn word(&mut self) -> String {
        let len = 3 + self.below(6);
        (0..len)
            .map(|_| (b'a' + self.below(26) as u8) as char)
            .collect()
    }
}

fn seed() -> u64 {
    std::env::var("STRIVE_GUARD_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5EED_0012)
}

fn single_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

const KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac",
    "function", "select", "time", "coproc", "{", "}", "!", "[[", "]]",
];

/// The leading program word of a command line, if it is a plain word we can rewrite
/// (`rm` in `rm -rf x; ls`), and the rest of the line after it.
fn split_program(cmd: &str) -> Option<(&str, &str)> {
    let end = cmd
        .find(|c: char| c.is_whitespace() || ";|&<>()".contains(c))
        .unwrap_or(cmd.len());
    let (p, rest) = cmd.split_at(end);
    let plain = !p.is_empty()
        && p.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && p.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-+".contains(c))
        && !KEYWORDS.contains(&p);
    // only when a space (not an operator) follows, so the rest is this command's arguments
    let spaced = rest.is_empty() || rest.starts_with(' ');
    (plain && spaced).then_some((p, rest))
}

/// A simple command of plain words: no quoting, expansions, operators or newlines.
fn plain_words(cmd: &str) -> Option<Vec<&str>> {
    let plain = cmd
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || " -_./=:,@+%".contains(c));
    (plain && split_program(cmd).is_some()).then(|| cmd.split_whitespace().collect())
}

const GETOPT: &[&str] = &[
    "rm", "rsync", "chmod", "chown", "cp", "mv", "ln", "ls", "mkdir", "grep", "shred",
];

/// One meaning-preserving rewrite, chosen at random among those that apply.
pub(crate) fn preserve(rng: &mut Rng, cmd: &str) -> Option<(&'static str, String)> {
    let mut options: Vec<(&'static str, String)> = vec![
        ("bash -c", format!("bash -c {}", single_quote(cmd))),
        ("sh -lc", format!("sh -lc {}", single_quote(cmd))),
        ("eval", format!("eval {}", single_quote(cmd))),
        ("subshell", format!("(\n{cmd}\n)")),
        ("braces", format!("{{\n{cmd}\n}}")),
        ("$(...)", format!(": \"$(\n{cmd}\n)\"")),
        ("chain", format!("true && {cmd}")),
        ("sequence", format!("echo start;\n{cmd}")),
        ("zsh -c", format!("zsh -c {}", single_quote(cmd))),
        ("if", format!("if true; then\n{cmd}\nfi")),
        ("for", format!("for _i in 1; do\n{cmd}\ndone")),
        ("function", format!("strive_fn() {{\n{cmd}\n}}; strive_fn")),
        ("heredoc to bash", {
            // a delimiter no earlier heredoc rewrite used, so nested ones stay well formed
            let d = format!("STRIVE_EOF{}", cmd.matches("STRIVE_EOF").count());
            format!("bash <<'{d}'\n{cmd}\n{d}")
        }),
        ("pipe to sh", format!("echo {} | sh", single_quote(cmd))),
    ];
    if let Some((p, rest)) = split_program(cmd) {
        let wrappers = [
            ("nohup", "nohup"),
            ("env A=1", "env A=1"),
            ("nice -n 5", "nice -n 5"),
            ("timeout 5", "timeout 5"),
            ("command", "command"),
            ("exec", "exec"),
            ("env -i", "env -i"),
            ("stdbuf", "stdbuf -oL"),
            ("time", "time"),
            ("setsid", "setsid"),
            ("env VAR= prefix", "LC_ALL=C"),
        ];
        let (name, w) = rng.pick(&wrappers);
        options.push((name, format!("{w} {p}{rest}")));
        if !p.contains('/') {
            options.push(("absolute path", format!("/usr/bin/{p}{rest}")));
        }
        options.push(("backslash", format!("\\{p}{rest}")));
        options.push(("quoted program", format!("\"{p}\"{rest}")));
        if p.len() > 1 {
            options.push(("split quotes", format!("{}''{}{rest}", &p[..1], &p[1..])));
        }
        options.push(("mid redirect", format!("{p} 2>/dev/null{rest}")));
        if !rest.is_empty() {
            options.push(("continuation", format!("{p} \\\n {}", rest.trim_start())));
        }
    }
    if let Some(words) = plain_words(cmd) {
        let program = words[0];
        let is_getopt = GETOPT.contains(&program);
        let clusters: Vec<usize> = (1..words.len())
            .filter(|&i| {
                let w = words[i];
                w.len() >= 3
                    && w.len() <= 5
                    && w.starts_with('-')
                    && w[1..].chars().all(|c| c.is_ascii_alphabetic())
            })
            .collect();
        if is_getopt && !clusters.is_empty() {
            let i = *rng.pick(&clusters);
            let split: Vec<String> = words[i][1..].chars().map(|c| format!("-{c}")).collect();
            let mut v: Vec<String> = words.iter().map(|s| s.to_string()).collect();
            v[i] = split.join(" ");
            options.push(("split flags", v.join(" ")));
            let mut v: Vec<String> = words.iter().map(|s| s.to_string()).collect();
            v[i] = format!("-{}", words[i][1..].chars().rev().collect::<String>());
            options.push(("reorder flags", v.join(" ")));
        }
        if program == "rm" {
            let long = |w: &str| -> String {
                if w.starts_with('-') && !w.starts_with("--") && w.len() > 1 {
                    w[1..]
                        .chars()
                        .map(|c| match c {
                            'r' | 'R' => "--recursive".to_string(),
                            'f' => "--force".to_string(),
                            'i' => "--interactive".to_string(),
                            'v' => "--verbose".to_string(),
                            c => format!("-{c}"),
                        })
                        .collect::<Vec<_>>()
                        .join(" ")
                } else {
                    w.to_string()
                }
            };
            let v: Vec<String> = words.iter().map(|w| long(w)).collect();
            options.push(("long options", v.join(" ")));
            if let Some(first) = words.iter().skip(1).position(|w| !w.starts_with('-')) {
                let first = first + 1;
                if words[first..].iter().all(|w| !w.starts_with('-')) {
                    let mut v: Vec<&str> = words.clone();
                    v.insert(first, "--");
                    options.push(("-- placement", v.join(" ")));
                }
                // options after the operands (GNU rm reads them anywhere)
                let opts: Vec<&str> = words[1..first].to_vec();
                if !opts.is_empty() && !opts.contains(&"--") {
                    let mut v: Vec<&str> = vec![words[0]];
                    v.extend(&words[first..]);
                    v.extend(opts);
                    options.push(("options last", v.join(" ")));
                }
            }
        }
        if program == "git" && words.get(1) == Some(&"push") {
            let v: Vec<&str> = words
                .iter()
                .map(|w| if *w == "-f" { "--force" } else { w })
                .collect();
            options.push(("long options", v.join(" ")));
        }
        let quotable: Vec<usize> = (1..words.len())
            .filter(|&i| !words[i].starts_with('-') && !words[i].starts_with('~'))
            .collect();
        if !quotable.is_empty() {
            let i = *rng.pick(&quotable);
            let mut v: Vec<String> = words.iter().map(|s| s.to_string()).collect();
            v[i] = format!("\"{}\"", words[i]);
            options.push(("quoted name", v.join(" ")));
        }
    }
    let (name, text) = options.swap_remove(rng.below(options.len()));
    Some((name, text))
}

#[test]
fn rewrites_never_flip_dangerous_to_allow() {
    let guard = Guard::default();
    let mut rng = Rng(seed());
    let mut cases = guard_fixtures::read_cases(include_str!("fixtures/commands.tsv"));
    cases.extend(guard_fixtures::read_cases(include_str!(
        "fixtures/guard_heldout.tsv"
    )));
    let mut flips = Vec::new();
    let (mut dangerous_variants, mut safe_variants, mut safe_blocked) = (0usize, 0usize, 0usize);
    let mut safe_blocked_by: std::collections::BTreeMap<&str, usize> = Default::default();
    for case in cases.iter().filter(|c| c.label != "ask") {
        let base_blocked = !guard.check(&case.command).is_allowed();
        for _ in 0..8 {
            // one to three rewrites in a row
            let mut text = case.command.clone();
            let mut path: Vec<&str> = Vec::new();
            for _ in 0..1 + rng.below(3) {
                if let Some((name, next)) = preserve(&mut rng, &text) {
                    text = next;
                    path.push(name);
                }
            }
            let d = guard.check(&text);
            match case.label.as_str() {
                "dangerous" if base_blocked => {
                    dangerous_variants += 1;
                    if d.is_allowed() {
                        flips.push(format!(
                            "{}: {:?}\n  via {}\n  -> {:?}",
                            case.line,
                            case.command,
                            path.join(" + "),
                            text
                        ));
                    }
                }
                "safe" if !base_blocked => {
                    safe_variants += 1;
                    if !d.is_allowed() {
                        safe_blocked += 1;
                        *safe_blocked_by.entry(path[path.len() - 1]).or_default() += 1;
                    }
                }
                _ => {}
            }
        }
    }
    println!(
        "variants (seed {}): {} of blocked dangerous commands, {} flipped to allow; {} of allowed safe commands, {} blocked ({:.2}%) by last rewrite {:?}",
        seed(),
        dangerous_variants,
        flips.len(),
        safe_variants,
        safe_blocked,
        100.0 * safe_blocked as f64 / safe_variants.max(1) as f64,
        safe_blocked_by
    );
    assert!(dangerous_variants > 2000, "too few variants generated");
    assert!(
        flips.is_empty(),
        "seed {}: {} dangerous -> allow flips:\n{}",
        seed(),
        flips.len(),
        flips.join("\n")
    );
}

fn worktree() -> Context {
    let mut c = Context::in_dir("/work/project");
    c.home = Some("/home/dev".into());
    c
}

const RF: &[&str] = &[
    "-rf",
    "-fr",
    "-r -f",
    "-Rf",
    "-f -R",
    "--recursive --force",
    "-rfv",
];
const REDIRECT: &[&str] = &[
    "",
    " 2>/dev/null",
    " >/dev/null 2>&1",
    " &>/dev/null",
    " >log.txt",
];
const ELEVATE: &[&str] = &[
    "sudo ",
    "sudo -E ",
    "SUDO ",
    "/usr/bin/sudo ",
    "doas ",
    "pkexec ",
];

/// Deletion of a random project directory: the `inside`, `outside`, `temp` and elevated
/// forms of one command.
struct Deletion {
    inside: String,
    outside: String,
    temp: String,
    elevated: String,
}

fn deletion(rng: &mut Rng) -> Deletion {
    let dir = if rng.below(3) == 0 {
        format!("{}/{}", rng.word(), rng.word())
    } else {
        rng.word()
    };
    let rf = rng.pick(RF);
    let redirect = rng.pick(REDIRECT);
    let inside = [
        dir.clone(),
        format!("./{dir}"),
        format!("/work/project/{dir}"),
        format!("{dir}/"),
        format!("{dir}/*"),
    ];
    let outside = [
        format!("../{dir}"),
        format!("/work/other/{dir}"),
        format!("x/../../{dir}"),
        format!("~/{dir}"),
        format!("$HOME/{dir}"),
        format!("/home/dev/{dir}"),
        format!("\"$X\"/{dir}"),
        "$(cat list)".to_string(),
        ".".to_string(),
        ".git".to_string(),
    ];
    let temp = [
        format!("/tmp/{dir}"),
        format!("/var/tmp/{dir}"),
        format!("\"${{TMPDIR:-/tmp}}/{dir}\""),
        format!("$TMPDIR/{dir}"),
    ];
    let form = rng.below(4);
    let render = |target: &str, elevate: &str| -> String {
        match form {
            0 => format!("{elevate}rm {rf} {target}{redirect}"),
            1 => format!("{elevate}parallel rm {rf} {{}} ::: {target}{redirect}"),
            2 => format!("echo {target} | {elevate}xargs rm {rf}"),
            _ => format!("{elevate}nice rm {rf} -- {target}{redirect}"),
        }
    };
    // echo prints `${TMPDIR:-/tmp}` as an unknown value, so xargs gets literal temp paths
    let temp = if form == 2 { &temp[..2] } else { &temp[..] };
    let target = rng.pick(&inside[..]).clone();
    Deletion {
        inside: render(&target, ""),
        outside: render(&rng.pick(&outside[..]).clone(), ""),
        temp: render(&rng.pick(temp).clone(), ""),
        elevated: render(&target, rng.pick::<&str>(ELEVATE)),
    }
}

/// Commands that destroy something, each with its tool's dry-run spelling.
const DRY_RUNS: &[(&str, &[&str])] = &[
    ("rsync -a --delete src/ dst/", &["--dry-run", "-n"]),
    (
        "rsync -av --del ./site/ host:/srv/site/",
        &["--dry-run", "-n"],
    ),
    ("git clean -fdx", &["-n", "--dry-run"]),
    ("git clean -f -d", &["-n", "--dry-run"]),
    ("git push --force origin feature", &["--dry-run", "-n"]),
    ("git push origin --delete feature", &["--dry-run", "-n"]),
    (
        "kubectl delete deployment web",
        &["--dry-run=client", "--dry-run=server"],
    ),
    (
        "kubectl delete ns staging --wait",
        &["--dry-run=client", "--dry-run"],
    ),
    ("helm uninstall web", &["--dry-run"]),
    ("aws s3 rm s3://bucket/logs --recursive", &["--dryrun"]),
    (
        "aws ec2 terminate-instances --instance-ids i-0abc",
        &["--dry-run"],
    ),
    ("rclone sync ./site remote:site", &["--dry-run", "-n"]),
    ("restic forget --keep-last 3 --prune", &["--dry-run", "-n"]),
    ("borg delete repo::old", &["--dry-run", "-n"]),
];

#[test]
fn rewrites_that_must_change_the_verdict() {
    let guard = Guard::default();
    let ctx = worktree();
    let mut rng = Rng(seed() ^ 0xD1CE);
    let mut wrong = Vec::new();
    let mut count = 0usize;
    let mut expect = |command: &str, ctx: &Context, allow: bool, why: &str| {
        count += 1;
        let d = guard.check_in(command, ctx);
        if d.is_allowed() != allow {
            wrong.push(format!(
                "{why}: {command:?} should be {} but got {} ({})",
                if allow { "allowed" } else { "blocked" },
                d.rule,
                d.reason
            ));
        }
    };
    for _ in 0..600 {
        let Deletion {
            inside,
            outside,
            temp,
            elevated,
        } = deletion(&mut rng);
        expect(&inside, &ctx, true, "inside the worktree");
        expect(&inside, &Context::default(), false, "no context");
        expect(&outside, &ctx, false, "moved outside the worktree");
        expect(
            &temp,
            &Context::default(),
            true,
            "moved into a temp directory",
        );
        expect(&elevated, &ctx, false, "elevating prefix");
        // the same inside deletion survives meaning-preserving rewrites
        if let Some((_, v)) = preserve(&mut rng, &inside) {
            expect(&v, &ctx, true, "inside the worktree, rewritten");
        }
    }
    for (command, flags) in DRY_RUNS {
        expect(
            command,
            &Context::default(),
            false,
            "destructive without a dry run",
        );
        for flag in *flags {
            // the flag at the end, or right after the subcommand
            let words: Vec<&str> = command.split(' ').collect();
            let at = 1 + rng.below(words.len());
            let mut v = words.clone();
            v.insert(at.max(2).min(v.len()), flag);
            for with_flag in [format!("{command} {flag}"), v.join(" ")] {
                expect(&with_flag, &Context::default(), true, "dry-run flag");
                let wrapped = format!(
                    "{} {with_flag}",
                    rng.pick(&["nohup", "env A=1", "timeout 60"])
                );
                expect(&wrapped, &Context::default(), true, "dry-run flag, wrapped");
            }
        }
    }
    expect("terraform destroy", &Context::default(), false, "destroy");
    expect(
        "terraform plan -destroy",
        &Context::default(),
        true,
        "plan is a dry run",
    );
    println!("verdict-changing variants (seed {}): {count}", seed());
    assert!(
        wrong.is_empty(),
        "seed {}: {} wrong verdicts:\n{}",
        seed(),
        wrong.len(),
        wrong.join("\n")
    );
}
