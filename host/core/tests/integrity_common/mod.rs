//! Helpers shared by the mutation generators (`tests/integrity_mutations*.rs`): the seeded
//! picker, unified-diff writers, line splicing, bracket-aware splitting, and the per-family
//! tally that scores a batch of generated diffs against `scan_diff`.
#![allow(dead_code)] // each generator uses its own subset

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use strive_core::integrity::scan_diff;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Label {
    Hack,
    Legit,
    Clean,
}

/// One generated diff: its family (`hack.e.…`), the language or file kind, and the label.
pub struct Gen {
    pub family: String,
    pub lang: &'static str,
    pub label: Label,
    pub diff: String,
}

/// SplitMix64: seeded, so the generated diffs are the same on every run.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// `n` items in a seeded random order.
    pub fn pick<T: Clone>(&mut self, items: &[T], n: usize) -> Vec<T> {
        let mut idx: Vec<usize> = (0..items.len()).collect();
        for i in (1..idx.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            idx.swap(i, j);
        }
        idx.into_iter().take(n).map(|i| items[i].clone()).collect()
    }
}

/// A git-style unified diff of one file.
pub fn unified(path: &str, old: &str, new: &str) -> String {
    let mut patch = git2::Patch::from_buffers(
        old.as_bytes(),
        Some(Path::new(path)),
        new.as_bytes(),
        Some(Path::new(path)),
        None,
    )
    .expect("diff");
    let buf = patch.to_buf().expect("patch text");
    buf.as_str().expect("utf-8").to_string()
}

/// A new-file diff.
pub fn added_file(path: &str, new: &str) -> String {
    let mut out = format!(
        "diff --git a/{path} b/{path}\nnew file mode 100644\nindex 0000000..1111111\n--- /dev/null\n+++ b/{path}\n@@ -0,0 +1,{} @@\n",
        new.lines().count()
    );
    for l in new.lines() {
        let _ = writeln!(out, "+{l}");
    }
    out
}

pub fn join(lines: &[String]) -> String {
    lines.join("\n") + "\n"
}

pub fn lines_of(t: &str) -> Vec<String> {
    t.lines().map(str::to_string).collect()
}

pub fn splice(lines: &[String], at: usize, remove: usize, with: Vec<String>) -> Vec<String> {
    let mut v = lines.to_vec();
    v.splice(at..at + remove, with);
    v
}

pub fn indent_of(l: &str) -> &str {
    &l[..l.len() - l.trim_start().len()]
}

/// Brackets and quotes balanced on this text (strings skipped).
pub fn balanced(s: &str) -> bool {
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut esc = false;
    for c in s.chars() {
        if let Some(q) = quote {
            if esc {
                esc = false;
            } else if c == '\\' {
                esc = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' | '`' => quote = Some(c),
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            _ => {}
        }
        if depth < 0 {
            return false;
        }
    }
    depth == 0 && quote.is_none()
}

/// Top-level pieces of `s` split at `sep` (outside brackets and strings).
pub fn split_top(s: &str, sep: u8) -> Vec<String> {
    let b = s.as_bytes();
    let mut depth = 0i32;
    let mut quote: Option<u8> = None;
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if let Some(q) = quote {
            if c == b'\\' {
                i += 2;
                continue;
            }
            if c == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        match c {
            b'"' | b'\'' | b'`' => quote = Some(c),
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth -= 1,
            _ if c == sep && depth == 0 => {
                out.push(s[start..i].trim().to_string());
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    out.push(s[start..].trim().to_string());
    out
}

/// Write every generated diff to the file `STRIVE_MUTATION_DUMP` names, if it is set (for
/// reading a generator's output).
pub fn dump_if_asked(gens: &[Gen]) {
    if let Ok(dump) = std::env::var("STRIVE_MUTATION_DUMP") {
        let mut all = String::new();
        for g in gens {
            let _ = writeln!(all, "=== {} ({}) ===\n{}", g.family, g.lang, g.diff);
        }
        std::fs::write(dump, all).expect("dump file");
    }
}

#[derive(Default)]
pub struct Tally {
    pub n: usize,
    pub ok: usize,
    pub misses: Vec<String>,
}

pub type Tallies = BTreeMap<(Label, String, &'static str), Tally>;

/// Scan every diff; a diff is right when it is flagged exactly when it is not clean. An
/// unparseable diff is an error, never a pass, so it counts as flagged.
pub fn measure(title: &str, gens: Vec<Gen>) -> (Tallies, String) {
    let mut by: Tallies = BTreeMap::new();
    for g in gens {
        let t = by.entry((g.label, g.family.clone(), g.lang)).or_default();
        t.n += 1;
        let (flagged, rules) = match scan_diff(&g.diff) {
            Ok(r) => (
                !r.clean,
                r.findings
                    .iter()
                    .map(|f| format!("{} {:?} {}", f.rule.id(), f.line, f.text))
                    .collect::<Vec<_>>(),
            ),
            Err(e) => (true, vec![format!("error: {e}")]),
        };
        if flagged == (g.label != Label::Clean) {
            t.ok += 1;
        } else {
            if let Ok(dump) = std::env::var("STRIVE_MUTATION_MISSES") {
                use std::io::Write as _;
                let mut f = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(dump)
                    .expect("dump file");
                let _ = writeln!(
                    f,
                    "=== {} ({}) ===\n{}\n{rules:#?}",
                    g.family, g.lang, g.diff
                );
            }
            if t.misses.len() < 2 {
                t.misses.push(format!("{}\n{rules:#?}", g.diff));
            }
        }
    }
    let mut table = format!(
        "{:<44} {:<7} {:>4} {:>5} {:>7}\n",
        title, "lang", "n", "right", "rate"
    );
    let mut totals: BTreeMap<Label, (usize, usize)> = BTreeMap::new();
    for ((label, fam, lang), t) in &by {
        let _ = writeln!(
            table,
            "{fam:<44} {lang:<7} {:>4} {:>5} {:>6.1}%",
            t.n,
            t.ok,
            100.0 * t.ok as f64 / t.n as f64
        );
        let e = totals.entry(*label).or_default();
        e.0 += t.n;
        e.1 += t.ok;
    }
    for (label, (n, ok)) in &totals {
        let what = match label {
            Label::Hack => "hacks flagged",
            Label::Legit => "legit edits flagged for review",
            Label::Clean => "clean diffs passed",
        };
        let _ = writeln!(
            table,
            "TOTAL {what:<46} {n:>4} {ok:>5} {:>6.1}%",
            100.0 * *ok as f64 / *n as f64
        );
    }
    (by, table)
}

/// Assert the floor (hacks 100%, clean >= 98%, legit >= 95%) on a measured batch.
pub fn check_targets(by: &Tallies, table: &str) {
    let mut totals: BTreeMap<Label, (usize, usize)> = BTreeMap::new();
    let mut misses = String::new();
    for ((label, fam, lang), t) in by {
        let e = totals.entry(*label).or_default();
        e.0 += t.n;
        e.1 += t.ok;
        for m in &t.misses {
            let _ = writeln!(misses, "--- {fam} ({lang}) ---\n{m}");
        }
    }
    let rate = |l: Label| totals.get(&l).map_or(1.0, |(n, ok)| *ok as f64 / *n as f64);
    assert!(
        rate(Label::Hack) == 1.0 && rate(Label::Clean) >= 0.98 && rate(Label::Legit) >= 0.95,
        "targets missed (hacks 100%, clean >= 98%, legit >= 95%):\n{table}\n{misses}"
    );
}

/// Every file section of a unified diff is well formed: `diff --git a/P b/P`, `---`/`+++`
/// headers naming the same path, at least one hunk, and hunk bodies whose line counts match
/// their `@@ -a,b +c,d @@` header.
pub fn well_formed(diff: &str) -> Result<usize, String> {
    let lines: Vec<&str> = diff.lines().collect();
    let mut i = 0;
    let mut files = 0;
    let count = |spec: &str| -> Result<usize, String> {
        let n = spec.split(',').nth(1).unwrap_or("1");
        n.parse::<usize>().map_err(|e| format!("{spec}: {e}"))
    };
    while i < lines.len() {
        let Some(rest) = lines[i].strip_prefix("diff --git a/") else {
            return Err(format!(
                "expected a file header at line {}: {:?}",
                i + 1,
                lines[i]
            ));
        };
        let path = rest
            .split(" b/")
            .next()
            .ok_or_else(|| format!("no b/ path: {rest:?}"))?;
        if rest != format!("{path} b/{path}") {
            return Err(format!("a/ and b/ differ: {rest:?}"));
        }
        i += 1;
        while i < lines.len() && !lines[i].starts_with("--- ") {
            if !(lines[i].starts_with("index ") || lines[i].starts_with("new file mode")) {
                return Err(format!("unexpected header line {:?}", lines[i]));
            }
            i += 1;
        }
        let minus = lines.get(i).ok_or("no --- line")?;
        let plus = lines.get(i + 1).ok_or("no +++ line")?;
        if *minus != format!("--- a/{path}") && *minus != "--- /dev/null" {
            return Err(format!("bad --- line {minus:?}"));
        }
        if *plus != format!("+++ b/{path}") {
            return Err(format!("bad +++ line {plus:?}"));
        }
        i += 2;
        let mut hunks = 0;
        while i < lines.len() && lines[i].starts_with("@@ ") {
            let h = lines[i];
            let spec: Vec<&str> = h.split(' ').collect();
            if spec.len() < 4 || spec[3] != "@@" || !spec[1].starts_with('-') {
                return Err(format!("bad hunk header {h:?}"));
            }
            let (mut old_n, mut new_n) = (count(&spec[1][1..])?, count(&spec[2][1..])?);
            i += 1;
            let mut changed = false;
            while old_n > 0 || new_n > 0 {
                let l = lines
                    .get(i)
                    .ok_or_else(|| format!("hunk {h:?} cut short"))?;
                match l.as_bytes().first() {
                    Some(b' ') | None => {
                        old_n = old_n.checked_sub(1).ok_or("old count")?;
                        new_n = new_n.checked_sub(1).ok_or("new count")?;
                    }
                    Some(b'-') => {
                        old_n = old_n.checked_sub(1).ok_or("old count")?;
                        changed = true;
                    }
                    Some(b'+') => {
                        new_n = new_n.checked_sub(1).ok_or("new count")?;
                        changed = true;
                    }
                    Some(b'\\') => {}
                    _ => return Err(format!("bad hunk line {l:?}")),
                }
                i += 1;
            }
            while lines.get(i).is_some_and(|l| l.starts_with('\\')) {
                i += 1;
            }
            if !changed {
                return Err(format!("hunk {h:?} changes nothing"));
            }
            hunks += 1;
        }
        if hunks == 0 {
            return Err(format!("{path}: no hunk"));
        }
        files += 1;
    }
    if files == 0 {
        return Err("empty diff".into());
    }
    Ok(files)
}

/// Split `a, b, c` at top-level commas (brackets and strings respected), dropping empty parts.
pub fn split_args(s: &str) -> Vec<String> {
    split_top(s, b',')
        .into_iter()
        .filter(|a| !a.is_empty())
        .collect()
}

/// The byte index where `pat` first occurs in `s` outside brackets and strings.
pub fn find_top(s: &str, pat: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut depth = 0i32;
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if let Some(q) = quote {
            if c == b'\\' {
                i += 2;
                continue;
            }
            if c == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        if depth == 0 && s[i..].starts_with(pat) {
            return Some(i);
        }
        match c {
            b'"' | b'\'' => quote = Some(c),
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    None
}

/// The index of the bracket closing the one at `open`, skipping strings delimited by any byte
/// of `quotes`.
pub fn close_bracket(s: &str, open: usize, quotes: &[u8]) -> Option<usize> {
    let mut depth = 0i32;
    let mut quote: Option<u8> = None;
    let b = s.as_bytes();
    let mut i = open;
    while i < b.len() {
        let c = b[i];
        if let Some(q) = quote {
            if c == b'\\' {
                i += 1;
            } else if c == q {
                quote = None;
            }
        } else {
            match c {
                q if quotes.contains(&q) => quote = Some(q),
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(i);
                    }
                }
                _ => {}
            }
        }
        i += 1;
    }
    None
}

/// A generated batch's shape: 450–700 diffs, 50–70% hacks, 5–15% legit, 20–40% clean.
pub fn check_batch_shares(total: usize, per_label: &BTreeMap<Label, usize>) {
    assert!((450..=700).contains(&total), "batch size {total}");
    let share = |l| per_label.get(&l).copied().unwrap_or(0) as f64 / total as f64;
    for (label, range) in [
        (Label::Hack, 0.5..=0.7),
        (Label::Legit, 0.05..=0.15),
        (Label::Clean, 0.2..=0.4),
    ] {
        assert!(
            range.contains(&share(label)),
            "{label:?} share {:.2}",
            share(label)
        );
    }
}

/// `lines` without rows `a..=b` (and one blank line after them when a blank line precedes).
pub fn remove_rows(lines: &[String], a: usize, b: usize) -> Vec<String> {
    let mut v = lines.to_vec();
    let b =
        if v.get(b + 1).is_some_and(|l| l.trim().is_empty()) && a > 0 && v[a - 1].trim().is_empty()
        {
            b + 1
        } else {
            b
        };
    v.drain(a..=b);
    v
}

/// The byte after the string literal that opens at `open` (its quote byte), escapes skipped.
pub fn literal_end(s: &str, open: usize) -> Option<usize> {
    let b = s.as_bytes();
    let q = b[open];
    let mut i = open + 1;
    while i < b.len() {
        if b[i] == b'\\' {
            i += 2;
            continue;
        }
        if b[i] == q {
            return Some(i + 1);
        }
        i += 1;
    }
    None
}

/// A unified diff of `path` from `old` to `new` lines; `None` when nothing changed.
pub fn diff_of(path: &str, old: &[String], new: &[String]) -> Option<String> {
    (old != new).then(|| unified(path, &join(old), &join(new)))
}
