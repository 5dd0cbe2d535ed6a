//! Shared helpers for the guard tests: reading the labelled TSV fixtures.

/// One labelled command.
pub struct Case {
    pub label: String,
    pub category: String,
    pub command: String,
    pub line: usize,
}

/// Undo the TSV escapes (`\\`, `\n`, `\t`, `\r`).
pub fn unescape(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut chars = field.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// Read `label<TAB>category<TAB>command[<TAB>...]` lines; `#` comments and the header skipped.
pub fn read_cases(text: &str) -> Vec<Case> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty() && !l.starts_with("label\t"))
        .map(|(i, l)| {
            let mut f = l.split('\t');
            let label = f.next().unwrap_or_default().to_string();
            let category = f.next().unwrap_or_default().to_string();
            let command = unescape(f.next().unwrap_or_default());
            Case {
                label,
                category,
                command,
                line: i + 1,
            }
        })
        .collect()
}
