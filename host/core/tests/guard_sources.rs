//! Honest measurement on the development corpus (tests/fixtures/commands.tsv), per source.
//!
//! The rules were written for classes of command (docs/guard.md, "Policy by class"), not for
//! lines of any source. What this file can check mechanically:
//! - `no_rule_names_a_listed_literal`: no string literal in the guard's source names an
//!   instance from the corpus (a resource name, URL host, path below a project, id or whole
//!   command line); rules may name only programs, options, verbs and system locations.
//!   So each source is scored by rules that never looked at its lines: the per-source figures
//!   below are leave-one-source-out in that sense (not a re-derivation of the rules without
//!   each source, which is not mechanical).
//! - `per_source_figures`: dangerous blocked and safe wrongly blocked for every source, in two
//!   contexts (none, as the sources' own tests mostly run; and a loop worktree), with the worst
//!   and mean over sources. Floors are asserted on the whole corpus; per-source figures are
//!   printed (small sources make single commands swing them by whole percents).

use std::collections::BTreeMap;

use crate::guard_fixtures;

use strive_core::guard::{Context, Guard};

const CORPUS: &str = include_str!("fixtures/commands.tsv");

/// The guard's own source, where rules live.
const GUARD_SOURCES: &[(&str, &str)] = &[
    ("guard.rs", include_str!("../src/guard.rs")),
    ("guard/code.rs", include_str!("../src/guard/code.rs")),
    ("guard/context.rs", include_str!("../src/guard/context.rs")),
    ("guard/git.rs", include_str!("../src/guard/git.rs")),
    ("guard/opts.rs", include_str!("../src/guard/opts.rs")),
    ("guard/paths.rs", include_str!("../src/guard/paths.rs")),
    ("guard/policy.rs", include_str!("../src/guard/policy.rs")),
    ("guard/rules.rs", include_str!("../src/guard/rules.rs")),
    (
        "guard/rules/fs.rs",
        include_str!("../src/guard/rules/fs.rs"),
    ),
    (
        "guard/rules/infra.rs",
        include_str!("../src/guard/rules/infra.rs"),
    ),
    (
        "guard/rules/net.rs",
        include_str!("../src/guard/rules/net.rs"),
    ),
    ("guard/walk.rs", include_str!("../src/guard/walk.rs")),
    ("guard/words.rs", include_str!("../src/guard/words.rs")),
    (
        "guard/wrappers.rs",
        include_str!("../src/guard/wrappers.rs"),
    ),
];

/// `label, command, sources` of every corpus line (the 4th column lists sources, comma-separated).
fn rows() -> Vec<(String, String, Vec<String>)> {
    let cases = guard_fixtures::read_cases(CORPUS);
    let sources: BTreeMap<usize, Vec<String>> = CORPUS
        .lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let src = l.split('\t').nth(3)?;
            Some((
                i + 1,
                src.split(',').map(|s| s.trim().to_string()).collect(),
            ))
        })
        .collect();
    cases
        .into_iter()
        .map(|c| {
            let src = sources.get(&c.line).cloned().unwrap_or_default();
            (c.label, c.command, src)
        })
        .collect()
}

/// String literals in Rust source (plain `"..."` literals; raw strings hold regexes, which are
/// checked as whole text below).
fn literals(src: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = src.chars().peekable();
    let mut in_comment = false;
    let mut prev = ' ';
    while let Some(c) = chars.next() {
        if in_comment {
            if c == '\n' {
                in_comment = false;
            }
            prev = c;
            continue;
        }
        if c == '/' && chars.peek() == Some(&'/') {
            in_comment = true;
            continue;
        }
        if c == '"' && prev != '\'' && prev != 'r' && prev != '#' {
            let mut lit = String::new();
            while let Some(d) = chars.next() {
                match d {
                    '\\' => {
                        if let Some(e) = chars.next() {
                            lit.push(e);
                        }
                    }
                    '"' => break,
                    d => lit.push(d),
                }
            }
            out.push(lit);
            prev = '"';
            continue;
        }
        prev = c;
    }
    out
}

/// Locations a rule may legitimately name although a corpus line also names them: system
/// paths, home-relative stores, temp roots, devices.
fn class_location(t: &str) -> bool {
    [
        "/etc",
        "/usr",
        "/bin",
        "/sbin",
        "/dev",
        "/var",
        "/tmp",
        "/home",
        "/root",
        "/proc",
        "/sys",
        "/boot",
        "/lib",
        "/opt",
        "~/.",
        "${TMPDIR}",
        "$TMPDIR",
        "C:",
        "c:",
    ]
    .iter()
    .any(|p| t.starts_with(p))
}

/// Instance tokens of a corpus command: operands that name one particular thing — hosts,
/// buckets, ids, project paths, refs: at least 8 characters with a digit, `@` or `:`, or two
/// path separators — and not options, program or API names (`python3.11`, `shutil.rmtree`)
/// or class locations (`/etc/...`, `~/.ssh/...`, `$TMPDIR/...`).
fn instances(command: &str) -> Vec<String> {
    let api_name = |t: &str| {
        t.split('.').count() <= 3
            && t.split('.')
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
            && !t.chars().any(|c| c == '/' || c == ':')
    };
    command
        .split(|c: char| c.is_whitespace() || "'\"=,;|&()<>`{}[]".contains(c))
        .map(|t| t.trim_matches(|c: char| "$*?!.:".contains(c)))
        .map(|t| {
            t.trim_start_matches("https://")
                .trim_start_matches("http://")
        })
        .filter(|t| t.len() >= 8 && !t.starts_with('-') && !class_location(t) && !api_name(t))
        .filter(|t| {
            t.chars()
                .any(|c| c.is_ascii_digit() || c == '@' || c == ':')
                || t.matches(['/', '.']).count() >= 2
        })
        .filter(|t| t.chars().any(|c| c.is_ascii_alphabetic()))
        .map(str::to_string)
        .collect()
}

#[test]
fn no_rule_names_a_listed_literal() {
    let mut hits = Vec::new();
    let mut checked = 0usize;
    let mut sample: Vec<String> = Vec::new();
    let all_literals: Vec<(&str, String)> = GUARD_SOURCES
        .iter()
        .flat_map(|(file, src)| literals(src).into_iter().map(move |l| (*file, l)))
        .collect();
    assert!(
        all_literals.len() > 500,
        "literal extraction found too little"
    );
    for (_, command, _) in rows() {
        let whole = command.trim();
        for (file, lit) in &all_literals {
            if whole.len() >= 12 && lit.contains(whole) {
                hits.push(format!(
                    "{file}: literal {lit:?} contains the corpus command {whole:?}"
                ));
            }
        }
        for token in instances(&command) {
            checked += 1;
            if sample.len() < 12 && checked.is_multiple_of(20) {
                sample.push(token.clone());
            }
            for (file, src) in GUARD_SOURCES {
                if src.contains(&token) {
                    hits.push(format!(
                        "{file}: names {token:?} from the corpus command {whole:?}"
                    ));
                }
            }
        }
    }
    println!(
        "checked {checked} instance tokens of the corpus against the guard's source, e.g. {sample:?}"
    );
    assert!(
        checked > 100,
        "too few instance tokens extracted ({checked})"
    );
    assert!(
        hits.is_empty(),
        "{} listed literals in rules:\n{}",
        hits.len(),
        hits.join("\n")
    );
}

#[derive(Default, Clone, Copy)]
struct Score {
    dangerous: usize,
    dangerous_blocked: usize,
    safe: usize,
    safe_blocked: usize,
}

fn score(ctx: &Context) -> (Score, BTreeMap<String, Score>) {
    let guard = Guard::default();
    let mut total = Score::default();
    let mut by_source: BTreeMap<String, Score> = BTreeMap::new();
    for (label, command, sources) in rows() {
        let blocked = !guard.check_in(&command, ctx).is_allowed();
        for s in sources
            .iter()
            .map(String::as_str)
            .chain(std::iter::once("*"))
        {
            let e = if s == "*" {
                &mut total
            } else {
                by_source.entry(s.to_string()).or_default()
            };
            match label.as_str() {
                "dangerous" => {
                    e.dangerous += 1;
                    e.dangerous_blocked += blocked as usize;
                }
                "safe" => {
                    e.safe += 1;
                    e.safe_blocked += blocked as usize;
                }
                _ => {}
            }
        }
    }
    (total, by_source)
}

fn pct(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| 100.0 * a as f64 / b as f64)
}

/// Print per-source figures; returns (dangerous blocked %, safe blocked %) over the corpus.
pub fn report(name: &str, ctx: &Context) -> (f64, f64) {
    let (total, by_source) = score(ctx);
    println!("guard per source, {name} (source: dangerous blocked, safe wrongly blocked):");
    let (mut d, mut s) = (Vec::new(), Vec::new());
    for (source, sc) in &by_source {
        let dp = pct(sc.dangerous_blocked, sc.dangerous);
        let sp = pct(sc.safe_blocked, sc.safe);
        d.extend(dp);
        s.extend(sp);
        println!(
            "  {source}: {}/{} ({}), {}/{} ({})",
            sc.dangerous_blocked,
            sc.dangerous,
            dp.map_or("-".into(), |p| format!("{p:.1}%")),
            sc.safe_blocked,
            sc.safe,
            sp.map_or("-".into(), |p| format!("{p:.1}%"))
        );
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    let worst_d = d.iter().cloned().fold(100.0, f64::min);
    let worst_s = s.iter().cloned().fold(0.0, f64::max);
    println!(
        "  per-source dangerous blocked: worst {worst_d:.1}%, mean {:.1}%; safe wrongly blocked: worst {worst_s:.1}%, mean {:.2}%",
        mean(&d),
        mean(&s)
    );
    let td = pct(total.dangerous_blocked, total.dangerous).unwrap_or(0.0);
    let ts = pct(total.safe_blocked, total.safe).unwrap_or(0.0);
    println!(
        "  whole corpus: dangerous blocked {}/{} ({td:.2}%), safe wrongly blocked {}/{} ({ts:.2}%)",
        total.dangerous_blocked, total.dangerous, total.safe_blocked, total.safe
    );
    (td, ts)
}

/// Pessimistic leave-one-source-out, a procedure a reader can audit. A rule that blocks
/// dangerous or gray-zone lines of no source but S may have been written for S, so when S is
/// scored it is taken away: S's dangerous lines whose blocking rule (the first that fires) no
/// other source's dangerous/ask lines exercise count as let through. (The count is pessimistic:
/// another rule might still have blocked such a line.) Safe lines are scored as measured —
/// removing a rule can only lower their false-block figure.
/// Prints per source: measured dangerous blocked, leave-one-out dangerous blocked, safe
/// wrongly blocked and the rules only S exercises; then worst and mean over sources. Returns
/// the leave-one-out dangerous blocked % over the whole corpus and every rule id that only one
/// source exercises.
pub fn leave_one_source_out(name: &str, ctx: &Context) -> (f64, Vec<String>) {
    let guard = Guard::default();
    let judged: Vec<(String, Vec<String>, Option<String>)> = rows()
        .into_iter()
        .map(|(label, command, sources)| {
            let d = guard.check_in(&command, ctx);
            (label, sources, (!d.is_allowed()).then_some(d.rule))
        })
        .collect();
    // rule id -> sources whose dangerous or ask lines it blocks
    let mut exercised: BTreeMap<&str, std::collections::BTreeSet<&str>> = BTreeMap::new();
    for (label, sources, rule) in &judged {
        if let (Some(rule), "dangerous" | "ask") = (rule, label.as_str()) {
            exercised
                .entry(rule)
                .or_default()
                .extend(sources.iter().map(String::as_str));
        }
    }
    let all_sources: std::collections::BTreeSet<&str> = judged
        .iter()
        .flat_map(|(_, s, _)| s.iter().map(String::as_str))
        .collect();
    println!(
        "guard leave-one-source-out (pessimistic), {name} (source: dangerous blocked as measured -> with the rules only that source exercises taken away; safe wrongly blocked):"
    );
    let (mut loo, mut safe_pct) = (Vec::new(), Vec::new());
    let mut single_source_rules = Vec::new();
    let (mut all_d, mut all_kept) = (0usize, 0usize);
    for s in &all_sources {
        let only_here: Vec<&str> = exercised
            .iter()
            .filter(|(_, srcs)| srcs.len() == 1 && srcs.contains(s))
            .map(|(r, _)| *r)
            .collect();
        single_source_rules.extend(only_here.iter().map(|r| r.to_string()));
        let (mut d, mut blocked, mut kept, mut safe, mut safe_blocked) = (0, 0, 0, 0, 0);
        for (label, _, rule) in judged
            .iter()
            .filter(|(_, src, _)| src.iter().any(|x| x == s))
        {
            match label.as_str() {
                "dangerous" => {
                    d += 1;
                    if let Some(r) = rule {
                        blocked += 1;
                        // kept when a source other than S exercises the rule
                        let others = exercised
                            .get(r.as_str())
                            .is_some_and(|srcs| srcs.iter().any(|x| x != s));
                        kept += others as usize;
                    }
                }
                "safe" => {
                    safe += 1;
                    safe_blocked += rule.is_some() as usize;
                }
                _ => {}
            }
        }
        all_d += d;
        all_kept += kept;
        let fmt = |a: usize, b: usize| pct(a, b).map_or("-".into(), |p| format!("{p:.1}%"));
        if let Some(p) = pct(kept, d) {
            loo.push(p);
        }
        if let Some(p) = pct(safe_blocked, safe) {
            safe_pct.push(p);
        }
        println!(
            "  {s}: {blocked}/{d} ({}) -> {kept}/{d} ({}); {safe_blocked}/{safe} ({}); rules only here: {}",
            fmt(blocked, d),
            fmt(kept, d),
            fmt(safe_blocked, safe),
            if only_here.is_empty() {
                "none".to_string()
            } else {
                only_here.join(", ")
            }
        );
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    let total = pct(all_kept, all_d).unwrap_or(0.0);
    println!(
        "  leave-one-source-out dangerous blocked: worst {:.1}%, mean {:.1}%, pooled {all_kept}/{all_d} ({total:.2}%); safe wrongly blocked: worst {:.1}%, mean {:.2}%",
        loo.iter().cloned().fold(100.0, f64::min),
        mean(&loo),
        safe_pct.iter().cloned().fold(0.0, f64::max),
        mean(&safe_pct)
    );
    (total, single_source_rules)
}

/// The pessimistic figure is printed, and two things are asserted: every rule that only one
/// source exercises is a documented class rule (named in docs/guard.md, whose policy a reader
/// can check is not about that source's lines), and the pooled figure does not fall below the
/// 80% it stood at when this procedure was introduced (a regression floor, not a target: the
/// target of 99% is asserted on the per-source figures of `per_source_figures`).
#[test]
fn leave_one_source_out_figures() {
    let doc = include_str!("../../../docs/guard.md");
    let mut wt = Context::in_dir("/work/project");
    wt.home = Some("/home/dev".into());
    for (name, ctx) in [
        ("no context", Context::default()),
        ("loop worktree /work/project", wt),
    ] {
        let (pooled, single) = leave_one_source_out(name, &ctx);
        let undocumented: Vec<&String> = single
            .iter()
            .filter(|r| !doc.contains(&format!("`{r}`")))
            .collect();
        assert!(
            undocumented.is_empty(),
            "{name}: rules exercised by one source only and not documented by class in docs/guard.md: {undocumented:?}"
        );
        assert!(
            pooled >= 80.0,
            "{name}: pooled pessimistic leave-one-source-out fell to {pooled:.2}%"
        );
    }
}

#[test]
fn per_source_figures() {
    let (d, s) = report("no context", &Context::default());
    assert!(d >= 99.0 && s <= 1.0, "no context: {d:.2}% / {s:.2}%");
    let mut wt = Context::in_dir("/work/project");
    wt.home = Some("/home/dev".into());
    let (d, s) = report("loop worktree /work/project", &wt);
    assert!(d >= 99.0 && s <= 1.0, "worktree: {d:.2}% / {s:.2}%");
}
