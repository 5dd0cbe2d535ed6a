//! User policy: `[[deny]]` and `[[allow]]` rules over parsed argv, loaded from TOML.
//!
//! Guarantees:
//! - The strictest decision wins. A `[[deny]]` rule blocks even what the builtin rules allow;
//!   an `[[allow]]` rule never lifts a builtin block, with one narrow, explicit exception:
//!   `override_builtin = true` on a rule whose `args` are literal (no glob characters) and
//!   `exact = true`, for a program that does not run other commands (not a shell, interpreter,
//!   `eval`, `xargs`, `find`, `parallel`, `source` or wrapper). It lifts builtin blocks for
//!   exactly that argv and nothing else; structural blocks (parse errors, dynamic program
//!   names, obfuscation) are never lifted.
//! - `default = "block"` turns the policy into an allowlist: a command (and every wrapper
//!   around it) must match an `[[allow]]` rule.
//! - An invalid file is an error naming the file and line; it is never half-applied.
//!
//! Mechanics: `program` is a glob over the normalised program name (basename, lower case,
//! no `.exe`); `args` are globs matched positionally from the first argument (more arguments
//! may follow unless `exact = true`); `contains` globs must each match some argument.

use std::path::Path;

use globset::{Glob, GlobMatcher};
use serde::Deserialize;
use thiserror::Error;

use super::Block;
use super::rules::normalize_program;
use super::words::Arg;

/// Why a policy file was rejected.
#[derive(Debug, Error)]
pub enum PolicyError {
    #[error("cannot read policy file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{origin}:{line}: {message}")]
    Invalid {
        origin: String,
        line: usize,
        message: String,
    },
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Default_ {
    #[default]
    Allow,
    Block,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    default: Default_,
    #[serde(default)]
    allow: Vec<toml::Spanned<Spec>>,
    #[serde(default)]
    deny: Vec<toml::Spanned<Spec>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Spec {
    id: Option<String>,
    program: String,
    #[serde(default)]
    args: Vec<String>,
    #[serde(default)]
    contains: Vec<String>,
    #[serde(default)]
    exact: bool,
    #[serde(default)]
    override_builtin: bool,
    reason: Option<String>,
    alternative: Option<String>,
}

#[derive(Debug, Clone)]
struct Rule {
    id: String,
    program: GlobMatcher,
    args: Vec<GlobMatcher>,
    literal_args: Vec<String>,
    contains: Vec<GlobMatcher>,
    exact: bool,
    override_builtin: bool,
    reason: String,
    alternative: Option<String>,
}

impl Rule {
    fn matches(&self, program: &str, args: &[Arg]) -> bool {
        if !self.program.is_match(program) {
            return false;
        }
        if self.exact && args.len() != self.args.len() {
            return false;
        }
        if args.len() < self.args.len() {
            return false;
        }
        let positional = self
            .args
            .iter()
            .zip(args)
            .all(|(g, a)| !a.dynamic && g.is_match(&a.text));
        positional
            && self
                .contains
                .iter()
                .all(|g| args.iter().any(|a| !a.dynamic && g.is_match(&a.text)))
    }
}

/// A compiled user policy. `Policy::default()` adds nothing to the builtin rules.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    allowlist_mode: bool,
    allow: Vec<Rule>,
    deny: Vec<Rule>,
}

/// Programs whose judgement includes other commands; an override could hide those.
const RECURSING: &[&str] = &[
    "sh", "bash", "zsh", "dash", "ksh", "fish", "eval", "source", ".", "xargs", "find", "parallel",
    "python", "node", "ruby", "perl", "php", "sudo", "env", "doas", "exec", "command", "nohup",
    "timeout", "nice", "time", "stdbuf", "watch", "ssh", "su", "busybox", "script",
];

impl Policy {
    /// Read and compile a policy file.
    pub fn load(path: &Path) -> Result<Policy, PolicyError> {
        let text = std::fs::read_to_string(path).map_err(|source| PolicyError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Policy::from_toml(&text, &path.display().to_string())
    }

    /// Compile policy text; `origin` names it in errors.
    pub fn from_toml(text: &str, origin: &str) -> Result<Policy, PolicyError> {
        let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
        let file: File = toml::from_str(text).map_err(|e| PolicyError::Invalid {
            origin: origin.to_string(),
            line: e.span().map_or(1, |s| line_of(s.start)),
            message: e.message().to_string(),
        })?;
        let compile = |spec: toml::Spanned<Spec>,
                       kind: &str,
                       n: usize|
         -> Result<Rule, PolicyError> {
            let line = line_of(spec.span().start);
            let spec = spec.into_inner();
            let invalid = |message: String| PolicyError::Invalid {
                origin: origin.to_string(),
                line,
                message,
            };
            let glob = |pattern: &str| {
                Glob::new(pattern)
                    .map(|g| g.compile_matcher())
                    .map_err(|e| invalid(format!("invalid glob `{pattern}` in [[{kind}]]: {e}")))
            };
            let program_name = normalize_program(&spec.program);
            if spec.override_builtin {
                if kind != "allow" {
                    return Err(invalid(
                        "override_builtin is only meaningful in [[allow]]".into(),
                    ));
                }
                if !spec.exact || !spec.contains.is_empty() {
                    return Err(invalid(
                        "override_builtin requires `exact = true` and literal `args` (no `contains`)".into(),
                    ));
                }
                if let Some(bad) = std::iter::once(&spec.program)
                    .chain(&spec.args)
                    .find(|a| a.contains(['*', '?', '[', '{']))
                {
                    return Err(invalid(format!(
                        "override_builtin rules must be argv-exact; `{bad}` contains glob characters"
                    )));
                }
                if RECURSING.contains(&program_name.as_str()) {
                    return Err(invalid(format!(
                        "override_builtin cannot apply to `{program_name}`, which runs other commands"
                    )));
                }
            }
            Ok(Rule {
                id: spec
                    .id
                    .unwrap_or_else(|| format!("policy.{kind}.{}", n + 1)),
                program: glob(&program_name)?,
                args: spec
                    .args
                    .iter()
                    .map(|a| glob(a))
                    .collect::<Result<_, _>>()?,
                literal_args: spec.args.clone(),
                contains: spec
                    .contains
                    .iter()
                    .map(|a| glob(a))
                    .collect::<Result<_, _>>()?,
                exact: spec.exact,
                override_builtin: spec.override_builtin,
                reason: spec
                    .reason
                    .unwrap_or_else(|| format!("matched a [[{kind}]] rule of the user policy")),
                alternative: spec.alternative,
            })
        };
        let allow = file
            .allow
            .into_iter()
            .enumerate()
            .map(|(n, s)| compile(s, "allow", n))
            .collect::<Result<_, _>>()?;
        let deny = file
            .deny
            .into_iter()
            .enumerate()
            .map(|(n, s)| compile(s, "deny", n))
            .collect::<Result<_, _>>()?;
        Ok(Policy {
            allowlist_mode: file.default == Default_::Block,
            allow,
            deny,
        })
    }

    /// The first `[[deny]]` rule matching this argv, as a block.
    pub(crate) fn deny(&self, program: &str, args: &[Arg]) -> Option<Block> {
        self.deny
            .iter()
            .find(|r| r.matches(program, args))
            .map(|r| Block::new(r.id.clone(), r.reason.clone(), r.alternative.clone()))
    }

    /// In allowlist mode, block an argv no `[[allow]]` rule matches.
    pub(crate) fn require_allowed(&self, program: &str, args: &[Arg]) -> Result<(), Block> {
        if !self.allowlist_mode || self.allow.iter().any(|r| r.matches(program, args)) {
            return Ok(());
        }
        Err(Block::new(
            "policy.not-allowed",
            format!("`{program}` is not on the policy's allowlist (default = \"block\")"),
            Some("add an [[allow]] rule for this command to the policy file".into()),
        ))
    }

    /// Does an argv-exact `override_builtin` allow rule lift `block` for this argv?
    pub(crate) fn overrides(&self, program: &str, args: &[Arg], block: &Block) -> bool {
        let structural = ["parse.", "shell.", "input."]
            .iter()
            .any(|p| block.rule.starts_with(p));
        !structural
            && self.allow.iter().any(|r| {
                r.override_builtin
                    && r.matches(program, args)
                    && r.literal_args.iter().zip(args).all(|(l, a)| *l == a.text)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_policy_names_file_and_line() {
        let err =
            Policy::from_toml("[[deny]]\nprogram = \"npm\"\nbogus = 1\n", "p.toml").unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("p.toml:"), "{msg}");
        let err = Policy::from_toml("\n\n[[deny]]\nprogram = \"[\"\n", "p.toml").unwrap_err();
        assert!(err.to_string().starts_with("p.toml:3:"), "{err}");
    }

    #[test]
    fn override_must_be_argv_exact() {
        let err = Policy::from_toml(
            "[[allow]]\nprogram = \"rm\"\nargs = [\"-rf\", \"*\"]\nexact = true\noverride_builtin = true\n",
            "p.toml",
        )
        .unwrap_err();
        assert!(err.to_string().contains("argv-exact"), "{err}");
        let err = Policy::from_toml(
            "[[allow]]\nprogram = \"bash\"\nargs = [\"-c\", \"x\"]\nexact = true\noverride_builtin = true\n",
            "p.toml",
        )
        .unwrap_err();
        assert!(err.to_string().contains("runs other commands"), "{err}");
    }
}
