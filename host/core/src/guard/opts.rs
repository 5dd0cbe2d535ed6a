//! getopt-style reading of an argv: short clusters (`-uf`), long options (`--force`,
//! `--force=true`), options that take a value (attached or separate), and `--`.
//!
//! Guarantee: an option is only read as taking a value when the caller says so; anything
//! else is a flag, so an unknown option never swallows the argument after it.

use super::words::Arg;

/// The options and operands of one argv.
#[derive(Debug, Default)]
pub(crate) struct Opts<'a> {
    /// Short flags in order (`-uf` gives `u`, `f`), with their value if they take one.
    pub shorts: Vec<(char, Option<&'a str>)>,
    /// Long options (`--name`, `--name=value`, `--name value` when it takes a value).
    pub longs: Vec<(String, Option<&'a str>)>,
    /// Operands (non-options, and everything after `--`).
    pub operands: Vec<&'a Arg>,
    /// `--` was present.
    pub double_dash: bool,
}

impl<'a> Opts<'a> {
    /// Read `args`. `short_values` lists short options taking a value; `long_values` lists
    /// long options taking a value. With `stop_at_operand`, the first operand ends option
    /// processing (POSIX order, as for wrappers such as `sudo` and `env`).
    pub fn parse(
        args: &'a [Arg],
        short_values: &str,
        long_values: &[&str],
        stop_at_operand: bool,
    ) -> Self {
        let mut o = Opts::default();
        let mut i = 0;
        while i < args.len() {
            let a = &args[i];
            let t = a.text.as_str();
            i += 1;
            if o.double_dash || a.dynamic || t == "-" || !t.starts_with('-') {
                o.operands.push(a);
                if stop_at_operand && !o.double_dash {
                    o.operands.extend(args[i..].iter());
                    break;
                }
                continue;
            }
            if t == "--" {
                o.double_dash = true;
                if stop_at_operand {
                    o.operands.extend(args[i..].iter());
                    break;
                }
                continue;
            }
            if let Some(long) = t.strip_prefix("--") {
                let (name, value) = match long.split_once('=') {
                    Some((n, v)) => (n, Some(v)),
                    None => (long, None),
                };
                let value = if value.is_none() && long_values.contains(&name) && i < args.len() {
                    i += 1;
                    Some(args[i - 1].text.as_str())
                } else {
                    value
                };
                o.longs.push((name.to_ascii_lowercase(), value));
                continue;
            }
            let cluster = &t[1..];
            for (pos, c) in cluster.char_indices() {
                if short_values.contains(c) {
                    let rest = &cluster[pos + c.len_utf8()..];
                    let value = if !rest.is_empty() {
                        Some(rest)
                    } else if i < args.len() {
                        i += 1;
                        Some(args[i - 1].text.as_str())
                    } else {
                        None
                    };
                    o.shorts.push((c, value));
                    break;
                }
                o.shorts.push((c, None));
            }
        }
        o
    }

    pub fn short(&self, c: char) -> bool {
        self.shorts.iter().any(|(s, _)| *s == c)
    }

    pub fn short_value(&self, c: char) -> Option<&'a str> {
        self.shorts
            .iter()
            .find(|(s, _)| *s == c)
            .and_then(|(_, v)| *v)
    }

    pub fn long(&self, name: &str) -> bool {
        self.longs.iter().any(|(n, _)| n == name)
    }

    pub fn long_value(&self, name: &str) -> Option<&'a str> {
        self.longs
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| *v)
    }

    /// Any long option whose name starts with `prefix`.
    pub fn long_prefix(&self, prefix: &str) -> bool {
        self.longs.iter().any(|(n, _)| n.starts_with(prefix))
    }

    pub fn has(&self, short: char, long: &str) -> bool {
        self.short(short) || self.long(long)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<Arg> {
        s.split_whitespace().map(Arg::literal).collect()
    }

    #[test]
    fn clusters_values_and_double_dash() {
        let a = args("-uf origin -o x --repo=r --exec y -- -rf");
        let o = Opts::parse(&a, "o", &["exec"], false);
        assert!(o.short('u') && o.short('f'));
        assert_eq!(o.short_value('o'), Some("x"));
        assert_eq!(o.long_value("repo"), Some("r"));
        assert_eq!(o.long_value("exec"), Some("y"));
        let ops: Vec<&str> = o.operands.iter().map(|a| a.text.as_str()).collect();
        assert_eq!(ops, ["origin", "-rf"]);
    }

    #[test]
    fn attached_short_value() {
        let a = args("-Bnew-branch -qbfeature");
        let o = Opts::parse(&a, "bB", &[], false);
        assert_eq!(o.short_value('B'), Some("new-branch"));
        assert_eq!(o.short_value('b'), Some("feature"));
        assert!(o.operands.is_empty());
    }
}
