//! Walking the parsed shell: every simple command that could run — in lists, pipelines,
//! subshells, compound commands, function bodies, command/process substitutions, arithmetic,
//! redirect targets — becomes an [`Invocation`] handed to the rules.
//!
//! Guarantees: parse errors block (rule `parse.error`), except an input that ends inside an
//! open quote, which bash itself refuses to run; that input is judged as if the quote were
//! closed, which covers everything bash could execute from it. Nesting deeper than
//! [`MAX_DEPTH`] blocks. A program name the guard cannot resolve blocks.

use std::collections::HashMap;

use brush_parser::ast;
use brush_parser::word::{ParameterExpr, WordPiece, WordPieceWithSource};
use brush_parser::{ParseError, ParserOptions, TokenizerError};

use super::Block;
use super::context::{self, Context, Stage};
use super::paths::{TEMP_VARS, is_temp};
use super::policy::Policy;
use super::rules;
use super::words::{Arg, decode_ansi_c, folds_under_nfkc, hides_characters, split_fields};

/// How deep `sh -c`, `eval`, substitutions and inline code may nest before the guard gives up.
pub(crate) const MAX_DEPTH: u32 = 12;

/// Bracket nesting the parser is asked to handle at most.
const MAX_BRACKET_DEPTH: usize = 48;

pub(crate) type Judged<T = ()> = Result<T, Block>;

/// What flows into a command's standard input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Stdin {
    /// Nothing the command line provides (inherited).
    Inherited,
    /// Known text (an `echo`/`printf` of literals, a here-document, a here-string).
    Text { text: String, dynamic: bool },
    /// Content fetched from the network.
    Download,
    /// Content produced by a decoder (`base64 -d`, `xxd -r`).
    Decoded,
    /// Content read from a secret or credential file.
    Secret,
    /// Output of some other command.
    Opaque,
}

/// One simple command after word resolution and wrapper unwrapping.
pub(crate) struct Invocation<'a> {
    /// argv; `argv[0]` is the program as written (after quote removal).
    pub argv: &'a [Arg],
    /// `argv[0]` normalised: basename, lower case, no `.exe`, no version suffix.
    pub program: String,
    pub stdin: &'a Stdin,
}

impl Invocation<'_> {
    pub fn args(&self) -> &[Arg] {
        &self.argv[1..]
    }
}

#[derive(Clone, Debug)]
enum Var {
    Known(String),
    Unknown,
    /// A value read from a run-time listing: `for f in $(cat list)`, `read f` (in `while
    /// read f`), `mapfile`. Deleting it is deleting a list nobody has seen.
    Listing,
}

/// A file written earlier in the same command line, with its content when the guard saw it
/// (`echo ... > x.sh`, a here-document through `cat`/`tee`), `None` when it did not.
#[derive(Clone, Debug)]
pub(crate) struct Written {
    pub path: String,
    pub content: Option<String>,
}

/// The state of one `check`: variables, downloads and written files seen so far, the
/// working directory as far as it can be followed, nesting depth.
pub(crate) struct Walker<'p> {
    pub policy: &'p Policy,
    pub ctx: &'p Context,
    vars: HashMap<String, Var>,
    /// Files written by a downloader earlier in the command (`curl -o x.sh`).
    pub downloads: Vec<String>,
    /// Files written by other commands earlier in the command line.
    pub written: Vec<Written>,
    /// Remotes this command line added or re-pointed (`git remote add NAME URL`).
    pub remotes_added: Vec<String>,
    /// The working directory now (`None`: unknown, e.g. after `cd ..` or `cd "$X"`).
    pub cwd: Option<String>,
    /// The command being judged runs with raised privileges (`sudo`, `doas`, `pkexec`, ...).
    pub elevated: bool,
    depth: u32,
    /// Positional parameters set by `set -- A B …` earlier in the command (`None`: unknown).
    positional: Option<Vec<String>>,
    options: ParserOptions,
    /// Build the syntax tree of plain command lines directly instead of running the shell
    /// parser (the same tree; see [`plain_program`]). Off only in the test that proves it.
    shortcut: bool,
}

impl<'p> Walker<'p> {
    pub fn new(policy: &'p Policy, ctx: &'p Context) -> Self {
        Walker {
            policy,
            ctx,
            vars: HashMap::new(),
            downloads: Vec::new(),
            written: Vec::new(),
            remotes_added: Vec::new(),
            cwd: ctx.start_dir(),
            elevated: false,
            depth: 0,
            positional: None,
            options: ParserOptions::default(),
            shortcut: true,
        }
    }

    /// What `$TMPDIR` means here: `${TMPDIR}` (the environment's), the value the command
    /// assigned, or `None` when it assigned something unknown.
    pub fn tmpdir(&self) -> Option<String> {
        match self.vars.get("TMPDIR") {
            None => Some("${TMPDIR}".into()),
            Some(Var::Known(v)) if v.is_empty() => None,
            Some(Var::Known(v)) => Some(v.clone()),
            Some(Var::Unknown | Var::Listing) => None,
        }
    }

    /// May `target` be deleted, recursively and by force? Inside a temp directory always;
    /// strictly inside the worktree (never `.git`) when the working directory is known, the
    /// loop is not verifying and the command is not elevated.
    pub fn deletable(&self, target: &Arg) -> bool {
        if is_temp(target) {
            return true;
        }
        match self.resolve(target) {
            Some(abs) if self.ctx.in_temp_dir(&abs) => true,
            Some(abs) => self.inside_worktree(&abs) && !self.elevated,
            None => false,
        }
    }

    /// Is the absolute path strictly inside the worktree (and outside its `.git`)?
    pub fn inside_worktree(&self, abs: &str) -> bool {
        if self.ctx.stage == Stage::Verify {
            return false;
        }
        let Some(root) = self.ctx.root() else {
            return false;
        };
        context::is_within(abs, &root)
            && !abs[root.len()..]
                .split('/')
                .any(|c| c.eq_ignore_ascii_case(".git"))
    }

    /// The absolute path a literal argument names, from the current working directory.
    pub fn resolve(&self, target: &Arg) -> Option<String> {
        // `build.$$`: a number the shell supplies (`${$}` here) is the only run-time part
        let numbered = target.text.contains("${$}")
            && !target.text.replace("${$}", "0").contains('$')
            && !target.listing;
        if (target.dynamic && !numbered)
            || target.opaque
            || target.obfuscated
            || target.text.is_empty()
        {
            return None;
        }
        let replaced = target.text.replace("${$}", "0");
        let t = replaced.as_str();
        if t.starts_with('/') {
            context::normalize(t)
        } else if t.starts_with('~') || t.starts_with('-') || t.contains('\\') {
            None
        } else {
            context::join(self.cwd.as_deref()?, t)
        }
    }

    /// Follow `cd DIR`: a literal subdirectory keeps the working directory known; anything
    /// else (`..`, an absolute path, `-`, `~`, a variable, no operand) makes it unknown.
    pub fn change_dir(&mut self, args: &[Arg]) {
        let operands: Vec<&Arg> = args
            .iter()
            .filter(|a| !matches!(a.text.as_str(), "-L" | "-P" | "-e" | "-@" | "--"))
            .collect();
        self.cwd = match (operands.as_slice(), self.cwd.as_deref()) {
            ([dir], Some(cwd))
                if !dir.dynamic
                    && !dir.glob
                    && !dir.text.starts_with(['/', '~', '-'])
                    && !dir.text.split('/').any(|c| c == "..") =>
            {
                context::join(cwd, &dir.text)
            }
            _ => None,
        };
    }

    /// The content of a file this command line wrote earlier, if it did: `Some(None)` when the
    /// content is unknown.
    pub fn written_file(&self, path: &str) -> Option<Option<String>> {
        let p = path.trim_start_matches("./");
        self.written
            .iter()
            .rev()
            .find(|w| {
                let d = w.path.trim_start_matches("./");
                // a directory entry (`DIR/`: an archive unpacked there) covers what is under it
                if d.ends_with('/') {
                    return p.starts_with(d);
                }
                d == p || p.ends_with(&format!("/{d}")) || d.ends_with(&format!("/{p}"))
            })
            .map(|w| w.content.clone())
    }

    /// Record that `path` was written (`append`: added to, keeping what was there).
    pub fn record_write(&mut self, path: &str, content: Option<String>, append: bool) {
        let content = if append {
            match (self.written_file(path), content) {
                (Some(Some(before)), Some(more)) => Some(format!("{before}\n{more}")),
                _ => None,
            }
        } else {
            content
        };
        self.written.push(Written {
            path: path.to_string(),
            content,
        });
    }

    /// Parse and judge a whole script; returns what its last pipeline writes to stdout.
    pub fn check_script(&mut self, src: &str) -> Judged<Stdin> {
        self.depth += 1;
        let result = if self.depth > MAX_DEPTH {
            Err(Block::new(
                "parse.too-deep",
                format!(
                    "commands nest more than {MAX_DEPTH} levels deep; the guard does not judge what it cannot fully unwrap"
                ),
                None,
            ))
        } else {
            self.parse(src).and_then(|program| {
                let mut out = Stdin::Inherited;
                for list in &program.complete_commands {
                    out = self.compound_list(list)?;
                }
                Ok(out)
            })
        };
        self.depth -= 1;
        result
    }

    fn parse(&self, src: &str) -> Judged<ast::Program> {
        if self.shortcut
            && let Some(program) = plain_program(src)
        {
            return Ok(program);
        }
        // the parser recurses per bracket level; refuse absurd nesting before it can overflow
        // the stack
        if bracket_depth(src) > MAX_BRACKET_DEPTH {
            return Err(Block::new(
                "parse.too-deep",
                format!(
                    "brackets nest more than {MAX_BRACKET_DEPTH} levels deep; the guard does not judge what it cannot fully unwrap"
                ),
                None,
            ));
        }
        let parse = |s: &str| {
            brush_parser::Parser::new(std::io::Cursor::new(s.as_bytes()), &self.options)
                .parse_program()
        };
        match parse(src) {
            Ok(p) => Ok(p),
            Err(e) => {
                // bash refuses to run a command whose quote never closes; judging the closed
                // form covers everything it could run (earlier complete lines included).
                let closer = match &e {
                    ParseError::Tokenizing { inner, .. } => match inner {
                        TokenizerError::UnterminatedSingleQuote(_) => Some("'"),
                        TokenizerError::UnterminatedDoubleQuote(_) => Some("\""),
                        _ => None,
                    },
                    _ => None,
                };
                if let Some(q) = closer
                    && let Ok(p) = parse(&format!("{src}{q}"))
                {
                    return Ok(p);
                }
                Err(Block::new(
                    "parse.error",
                    format!(
                        "the command could not be parsed as shell ({e}); the guard blocks what it cannot read"
                    ),
                    Some("rewrite the command in plain POSIX/bash syntax".into()),
                ))
            }
        }
    }

    fn compound_list(&mut self, list: &ast::CompoundList) -> Judged<Stdin> {
        let mut out = Stdin::Inherited;
        for item in &list.0 {
            out = self.and_or(&item.0)?;
        }
        Ok(out)
    }

    fn and_or(&mut self, list: &ast::AndOrList) -> Judged<Stdin> {
        let mut out = self.pipeline(&list.first)?;
        for next in &list.additional {
            let (ast::AndOr::And(p) | ast::AndOr::Or(p)) = next;
            out = self.pipeline(p)?;
        }
        Ok(out)
    }

    fn pipeline(&mut self, p: &ast::Pipeline) -> Judged<Stdin> {
        let mut flow = Stdin::Inherited;
        for cmd in &p.seq {
            flow = self.command(cmd, flow)?;
        }
        Ok(flow)
    }

    fn command(&mut self, cmd: &ast::Command, stdin: Stdin) -> Judged<Stdin> {
        match cmd {
            ast::Command::Simple(s) => self.simple(s, stdin),
            ast::Command::Compound(c, redirects) => {
                let mut stdin = stdin;
                let mut stdout_file = None;
                if let Some(list) = redirects {
                    for r in &list.0 {
                        if let Some(target) = self.redirect(r, &mut stdin)? {
                            stdout_file = Some(target);
                        }
                    }
                }
                self.compound(c)?;
                // `{ echo ...; } > x.sh`: a file written with content the guard does not
                // assemble, so running it later in the line is running an unseen script
                if let Some((target, append)) = stdout_file {
                    self.record_write(&target.text, None, append);
                }
                Ok(Stdin::Opaque)
            }
            ast::Command::Function(f) => {
                self.function(f)?;
                Ok(Stdin::Inherited)
            }
            ast::Command::ExtendedTest(t, redirects) => {
                self.extended_test(&t.expr)?;
                let mut stdin = stdin;
                if let Some(list) = redirects {
                    for r in &list.0 {
                        self.redirect(r, &mut stdin)?;
                    }
                }
                Ok(Stdin::Opaque)
            }
        }
    }

    fn extended_test(&mut self, e: &ast::ExtendedTestExpr) -> Judged {
        use ast::ExtendedTestExpr as E;
        match e {
            E::And(a, b) | E::Or(a, b) => {
                self.extended_test(a)?;
                self.extended_test(b)
            }
            E::Not(a) | E::Parenthesized(a) => self.extended_test(a),
            E::UnaryTest(_, w) => self.word(w).map(drop),
            E::BinaryTest(_, a, b) => {
                self.word(a)?;
                self.word(b).map(drop)
            }
        }
    }

    fn compound(&mut self, c: &ast::CompoundCommand) -> Judged {
        use ast::CompoundCommand as C;
        match c {
            C::Arithmetic(a) => self.arithmetic(&a.expr.value),
            C::ArithmeticForClause(f) => {
                for e in [&f.initializer, &f.condition, &f.updater]
                    .into_iter()
                    .flatten()
                {
                    self.arithmetic(&e.value)?;
                }
                let endless = f
                    .condition
                    .as_ref()
                    .is_none_or(|c| matches!(c.value.trim(), "1" | "true"));
                endless_spawner(endless, &f.body.list)?;
                self.compound_list(&f.body.list).map(drop)
            }
            C::BraceGroup(b) => self.compound_list(&b.list).map(drop),
            C::Subshell(s) => self.compound_list(&s.list).map(drop),
            C::ForClause(f) => {
                // the loop variable takes values the guard does not track; over a run-time
                // listing (`$(cat list)`, `$(ls ~)`), each value is an unseen list item
                let mut listing = false;
                for w in f.values.iter().flatten() {
                    listing |= self.word(w)?.listing;
                }
                let v = if listing { Var::Listing } else { Var::Unknown };
                self.vars.insert(f.variable_name.clone(), v);
                self.compound_list(&f.body.list).map(drop)
            }
            C::CaseClause(c) => {
                self.word(&c.value)?;
                for item in &c.cases {
                    for w in &item.patterns {
                        self.word(w)?;
                    }
                    if let Some(list) = &item.cmd {
                        self.compound_list(list)?;
                    }
                }
                Ok(())
            }
            C::IfClause(i) => {
                self.compound_list(&i.condition)?;
                self.compound_list(&i.then)?;
                for e in i.elses.iter().flatten() {
                    if let Some(c) = &e.condition {
                        self.compound_list(c)?;
                    }
                    self.compound_list(&e.body)?;
                }
                Ok(())
            }
            C::WhileClause(w) | C::UntilClause(w) => {
                let condition = w.0.to_string();
                let condition = condition.trim().trim_end_matches(';').trim();
                let endless = if matches!(c, C::WhileClause(_)) {
                    matches!(condition, "true" | ":" | "[ 1 ]" | "((1))" | "(( 1 ))")
                } else {
                    condition == "false"
                };
                endless_spawner(endless, &w.1.list)?;
                self.compound_list(&w.0)?;
                self.compound_list(&w.1.list).map(drop)
            }
            C::Coprocess(c) => self.command(&c.body, Stdin::Inherited).map(drop),
        }
    }

    fn function(&mut self, f: &ast::FunctionDefinition) -> Judged {
        let name = f.fname.value.clone();
        let body = f.body.0.to_string();
        rules::function_definition(&name, &body)?;
        // the body is judged as if it ran
        self.compound(&f.body.0)
    }

    /// Arithmetic text can hide command substitutions (`$((`cmd` + 1))`).
    fn arithmetic(&mut self, expr: &str) -> Judged {
        if expr.contains('$') || expr.contains('`') {
            self.word_text(expr, false)?;
        }
        Ok(())
    }

    // ---- words -------------------------------------------------------------------------

    pub fn word(&mut self, w: &ast::Word) -> Judged<Arg> {
        self.word_text(&w.value, false)
    }

    fn word_text(&mut self, raw: &str, heredoc: bool) -> Judged<Arg> {
        if !heredoc && is_plain_word(raw) {
            // What the word parser returns for such a word is one unquoted `Text` piece holding
            // all of it (or nothing for an empty word); judged exactly as `pieces` would, without
            // the parser's cost.
            let mut arg = Arg {
                text: raw.to_string(),
                ..Arg::default()
            };
            arg.glob = raw.contains(['*', '?'])
                || (raw.len() > 1 && raw.contains('[') && raw.contains(']'));
            if folds_under_nfkc(raw) || hides_characters(raw) {
                arg.obfuscated = true;
            }
            arg.brace = raw.contains('{') && raw.contains(',') && raw.contains('}');
            return Ok(arg);
        }
        self.word_text_parsed(raw, heredoc)
    }

    /// [`Self::word_text`] through the word parser, for every word.
    fn word_text_parsed(&mut self, raw: &str, heredoc: bool) -> Judged<Arg> {
        let pieces = if heredoc {
            brush_parser::word::parse_heredoc(raw, &self.options)
        } else {
            brush_parser::word::parse(raw, &self.options)
        };
        let pieces = pieces.map_err(|e| {
            Block::new(
                "parse.error",
                format!("a word could not be parsed ({e}); the guard blocks what it cannot read"),
                None,
            )
        })?;
        let mut arg = Arg::default();
        self.pieces(&pieces, &mut arg, false)?;
        // a listing is a word that is nothing but a command's output (`$(ls)`), not a path
        // built around one (`$(pwd)/dist`)
        arg.listing &= arg.text == "$(...)";
        if !heredoc {
            if folds_under_nfkc(&arg.text) || hides_characters(&arg.text) {
                arg.obfuscated = true;
            }
            let unquoted_brace = pieces.iter().any(|p| {
                matches!(&p.piece, WordPiece::Text(t) if t.contains('{') && t.contains(',') && t.contains('}'))
            });
            arg.brace = unquoted_brace;
        }
        Ok(arg)
    }

    fn pieces(&mut self, pieces: &[WordPieceWithSource], arg: &mut Arg, quoted: bool) -> Judged {
        for p in pieces {
            match &p.piece {
                WordPiece::Text(t) => {
                    if !quoted
                        && (t.contains(['*', '?'])
                            || (t.len() > 1 && t.contains('[') && t.contains(']')))
                    {
                        arg.glob = true;
                    }
                    arg.text.push_str(t);
                }
                WordPiece::SingleQuotedText(t) => arg.text.push_str(t),
                WordPiece::AnsiCQuotedText(t) => {
                    let (decoded, hidden) = decode_ansi_c(t);
                    arg.obfuscated |= hidden;
                    arg.text.push_str(&decoded);
                }
                WordPiece::DoubleQuotedSequence(inner)
                | WordPiece::GettextDoubleQuotedSequence(inner) => {
                    self.pieces(inner, arg, true)?;
                }
                WordPiece::TildeExpansion(t) => {
                    use brush_parser::word::TildeExpr;
                    match t {
                        TildeExpr::Home => arg.text.push('~'),
                        TildeExpr::UserHome(u) => {
                            arg.text.push('~');
                            arg.text.push_str(u);
                        }
                        _ => {
                            arg.text.push('~');
                            arg.dynamic = true;
                        }
                    }
                }
                WordPiece::ParameterExpansion(expr) => self.parameter(expr, arg),
                WordPiece::CommandSubstitution(code)
                | WordPiece::BackquotedCommandSubstitution(code) => {
                    let code = if matches!(p.piece, WordPiece::BackquotedCommandSubstitution(_)) {
                        unescape_backquoted(code)
                    } else {
                        code.clone()
                    };
                    match self.check_script(&code)? {
                        Stdin::Text {
                            text,
                            dynamic: false,
                        } => arg.text.push_str(text.trim_end_matches('\n')),
                        out => {
                            arg.remote_content |= matches!(out, Stdin::Download | Stdin::Decoded);
                            arg.dynamic = true;
                            arg.opaque = true;
                            arg.listing = true;
                            arg.text.push_str("$(...)");
                        }
                    }
                }
                WordPiece::EscapeSequence(s) => {
                    arg.text.push_str(s.strip_prefix('\\').unwrap_or(s))
                }
                WordPiece::ArithmeticExpression(e) => {
                    self.arithmetic(&e.value)?;
                    arg.dynamic = true;
                    arg.text.push_str("$((...))");
                }
            }
        }
        Ok(())
    }

    fn parameter(&mut self, expr: &ParameterExpr, arg: &mut Arg) {
        use brush_parser::word::{Parameter, SpecialParameter};
        if let ParameterExpr::Parameter {
            parameter: Parameter::Named(name),
            indirect: false,
        } = expr
        {
            match self.vars.get(name) {
                Some(Var::Known(v)) => {
                    arg.text.push_str(v);
                    arg.via_variable = true;
                }
                Some(Var::Unknown) => {
                    arg.dynamic = true;
                    arg.opaque = true;
                    arg.text.push_str(&format!("${{{name}}}"));
                }
                Some(Var::Listing) => {
                    // judged like the listing itself (`rm "$f"` is `rm $(cat list)`)
                    arg.dynamic = true;
                    arg.opaque = true;
                    arg.listing = true;
                    arg.text.push_str("$(...)");
                }
                None if name == "PWD" && self.cwd.is_some() => {
                    // `$PWD` is the working directory while the command has not changed it
                    // to somewhere unknown (then `cwd` is `None`)
                    arg.text.push_str(self.cwd.as_deref().unwrap_or_default());
                }
                None => {
                    arg.dynamic = true;
                    arg.text.push_str(&format!("${{{name}}}"));
                }
            }
            return;
        }
        // `${TMPDIR:-/tmp}`: a temp variable the command did not set, defaulting to a temp
        // path, is a temp path either way
        if let ParameterExpr::UseDefaultValues {
            parameter: Parameter::Named(name),
            indirect: false,
            default_value: Some(default),
            ..
        }
        | ParameterExpr::AssignDefaultValues {
            parameter: Parameter::Named(name),
            indirect: false,
            default_value: Some(default),
            ..
        } = expr
            && TEMP_VARS.contains(&name.as_str())
            && !self.vars.contains_key(name)
            && !default.contains(['$', '`', '\\', '\'', '"'])
            && is_temp(&Arg::literal(default.clone()))
        {
            arg.dynamic = true;
            arg.text.push_str(&format!("${{{name}}}"));
            return;
        }
        // `${TMPDIR%/}`: the temp variable with a trailing slash removed names the same
        // directory
        if let ParameterExpr::RemoveSmallestSuffixPattern {
            parameter: Parameter::Named(name),
            indirect: false,
            pattern: Some(pat),
        }
        | ParameterExpr::RemoveLargestSuffixPattern {
            parameter: Parameter::Named(name),
            indirect: false,
            pattern: Some(pat),
        } = expr
            && pat == "/"
            && TEMP_VARS.contains(&name.as_str())
            && !self.vars.contains_key(name)
        {
            arg.dynamic = true;
            arg.text.push_str(&format!("${{{name}}}"));
            return;
        }
        // `$1`, `"$@"`, `$*` after `set -- -rf ~`: the parameters that command set
        if let (
            ParameterExpr::Parameter {
                parameter,
                indirect: false,
            },
            Some(list),
        ) = (expr, &self.positional)
        {
            match parameter {
                Parameter::Positional(n) if *n > 0 => {
                    arg.text
                        .push_str(list.get(*n as usize - 1).map_or("", String::as_str));
                    arg.via_variable = true;
                    return;
                }
                Parameter::Special(SpecialParameter::AllPositionalParameters { .. }) => {
                    arg.text.push_str(&list.join(" "));
                    arg.via_variable = true;
                    arg.positional_list = true;
                    return;
                }
                _ => {}
            }
        }
        // `$$`, `$!`, `$#`, `$?`: always a number, never a `/` or `..`
        if let ParameterExpr::Parameter {
            parameter:
                Parameter::Special(
                    SpecialParameter::ProcessId
                    | SpecialParameter::LastBackgroundProcessId
                    | SpecialParameter::PositionalParameterCount
                    | SpecialParameter::LastExitStatus,
                ),
            indirect: false,
        } = expr
        {
            arg.dynamic = true;
            arg.text.push_str("${$}");
            return;
        }
        // any other form (${!x}, ${x:-y}, $1, $@, ${x/a/b} ...) is not tracked
        arg.dynamic = true;
        arg.opaque = true;
        arg.text.push_str("${...}");
    }

    // ---- simple commands ---------------------------------------------------------------

    /// Record `NAME=value` (an assignment statement, a prefix, `export NAME=value`).
    /// Mark variables as holding run-time listing items (`read f`, `mapfile -t L`).
    pub fn assign_listing(&mut self, names: &[&str]) {
        for n in names {
            self.vars.insert((*n).to_string(), Var::Listing);
        }
    }

    pub fn assign(&mut self, name: &str, value: &Arg) -> Judged {
        rules::assignment(name, value)?;
        // a temp path with a defaulted temp variable (`tmp=${TMPDIR:-/tmp}/x`) stays a temp
        // path when expanded later (`rm -rf "$tmp"`), as `d=$(mktemp -d)` does
        let v = if value.dynamic && !is_temp(value) {
            Var::Unknown
        } else {
            Var::Known(value.text.clone())
        };
        self.vars.insert(name.to_string(), v);
        Ok(())
    }

    /// `set -- A B` (or `set A B`) replaces the positional parameters; a dynamic operand
    /// makes them unknown.
    fn record_positional(&mut self, words: &[Arg]) {
        if words[0].text != "set" || words.len() < 2 {
            return;
        }
        let mut rest = &words[1..];
        while let Some(w) = rest.first() {
            if w.text == "--" {
                rest = &rest[1..];
                break;
            }
            if w.text.starts_with(['-', '+']) && w.text.len() > 1 {
                if w.text == "-o" || w.text == "+o" {
                    rest = &rest[1.min(rest.len())..];
                }
                rest = &rest[1.min(rest.len())..];
                continue;
            }
            break;
        }
        let explicit = words.iter().any(|w| w.text == "--") || !rest.is_empty();
        if !explicit {
            return;
        }
        self.positional = if rest.iter().any(|w| w.dynamic) {
            None
        } else {
            Some(rest.iter().map(|w| w.text.clone()).collect())
        };
    }

    fn simple(&mut self, s: &ast::SimpleCommand, stdin: Stdin) -> Judged<Stdin> {
        let mut stdin = stdin;
        let mut words: Vec<Arg> = Vec::new();
        let mut stdout_file: Option<(Arg, bool)> = None;
        let prefix = s
            .prefix
            .iter()
            .flat_map(|p| p.0.iter())
            .map(|i| (true, Some(i)));
        let suffix = s
            .suffix
            .iter()
            .flat_map(|p| p.0.iter())
            .map(|i| (false, Some(i)));
        let items = prefix.chain(std::iter::once((false, None))).chain(suffix);
        for (in_prefix, item) in items {
            let Some(item) = item else {
                if let Some(w) = &s.word_or_name {
                    words.push(self.word(w)?);
                }
                continue;
            };
            use ast::CommandPrefixOrSuffixItem as I;
            match item {
                I::IoRedirect(r) => {
                    if let Some(target) = self.redirect(r, &mut stdin)? {
                        stdout_file = Some(target);
                    }
                }
                I::Word(w) => words.push(self.word(w)?),
                // after the program name, `k=v` is an ordinary argument (`git -c k=v`)
                I::AssignmentWord(_, w) if !in_prefix => words.push(self.word(w)?),
                I::AssignmentWord(a, _) => {
                    let name = match &a.name {
                        ast::AssignmentName::VariableName(n) => n.clone(),
                        ast::AssignmentName::ArrayElementName(n, _) => n.clone(),
                    };
                    let value = match &a.value {
                        ast::AssignmentValue::Scalar(w) => self.word(w)?,
                        ast::AssignmentValue::Array(items) => {
                            for (k, v) in items {
                                if let Some(k) = k {
                                    self.word(k)?;
                                }
                                self.word(v)?;
                            }
                            Arg::runtime("(...)")
                        }
                    };
                    // recorded at once: later words of this command see it (fail closed)
                    self.assign(&name, &value)?;
                }
                I::ProcessSubstitution(_, sub) => {
                    let out = self.compound_list(&sub.list)?;
                    let mut a = Arg::runtime("/dev/fd/63");
                    a.opaque = true;
                    a.remote_content = matches!(out, Stdin::Download | Stdin::Decoded);
                    words.push(a);
                }
            }
        }
        // `1A=2 git ...`: a word that looks like an assignment but is not one; bash would
        // fail to find it, the guard judges the rest (fail closed).
        while words
            .first()
            .is_some_and(|w| !w.dynamic && looks_like_assignment(&w.text))
        {
            words.remove(0);
        }
        if words.is_empty() {
            return Ok(Stdin::Inherited);
        }
        // `"$@"` of known parameters is one word per parameter
        if words.iter().any(|w| w.positional_list) {
            words = words
                .into_iter()
                .flat_map(|w| {
                    if w.positional_list {
                        split_fields(&w)
                    } else {
                        vec![w]
                    }
                })
                .collect();
            if words.is_empty() {
                return Ok(Stdin::Inherited);
            }
        }
        self.record_positional(&words);
        let program = &words[0];
        check_program_name(program)?;
        if program.via_variable {
            let mut expanded = split_fields(program);
            expanded.extend(words.drain(1..));
            words = expanded;
            if words.is_empty() {
                return Ok(Stdin::Inherited);
            }
        }
        let out = self.run(&words, &stdin)?;
        match (out, stdout_file) {
            // `curl URL > x.sh`: running x.sh later in this command runs downloaded code
            (Stdin::Download, Some((file, _))) => {
                self.downloads.push(file.text);
                Ok(Stdin::Inherited)
            }
            (out, None) => Ok(out),
            // `echo ... > x.sh`: running x.sh later in this command runs what was written
            (out, Some((file, append))) => {
                let content = match out {
                    Stdin::Text {
                        text,
                        dynamic: false,
                    } => Some(text),
                    _ => None,
                };
                self.record_write(&file.text, content, append);
                Ok(Stdin::Inherited)
            }
        }
    }

    /// Judge one argv (after word resolution): unwrap wrappers, apply policy and rules.
    /// Returns what the command writes to stdout.
    pub fn run(&mut self, argv: &[Arg], stdin: &Stdin) -> Judged<Stdin> {
        self.depth += 1;
        let result = if self.depth > MAX_DEPTH {
            Err(Block::new(
                "parse.too-deep",
                format!("commands nest more than {MAX_DEPTH} levels deep"),
                None,
            ))
        } else {
            rules::invocation(self, argv, stdin)
        };
        self.depth -= 1;
        result
    }

    /// Judge one redirect; returns the file that receives stdout, if any, and whether it is
    /// appended to.
    fn redirect(&mut self, r: &ast::IoRedirect, stdin: &mut Stdin) -> Judged<Option<(Arg, bool)>> {
        use ast::{IoFileRedirectKind as K, IoFileRedirectTarget as T, IoRedirect as R};
        match r {
            R::File(fd, kind, target) => {
                let write = !matches!(kind, K::Read | K::DuplicateInput);
                match target {
                    T::Filename(w) => {
                        let a = self.word(w)?;
                        if write {
                            rules::write_target(&a, "a redirect")?;
                            if fd.is_none_or(|f| f == 1) {
                                return Ok(Some((a, matches!(kind, K::Append))));
                            }
                        } else if fd.is_none_or(|f| f == 0) {
                            rules::read_source(&a)?;
                            *stdin = if super::paths::is_secret(&a.text) {
                                Stdin::Secret
                            } else {
                                Stdin::Opaque
                            };
                        }
                    }
                    T::Fd(_) => {}
                    T::Duplicate(w) => {
                        let a = self.word(w)?;
                        let is_fd = a.text == "-" || a.text.chars().all(|c| c.is_ascii_digit());
                        if write && !is_fd {
                            rules::write_target(&a, "a redirect")?;
                            return Ok(Some((a, false)));
                        }
                    }
                    T::ProcessSubstitution(_, sub) => {
                        let out = self.compound_list(&sub.list)?;
                        if !write {
                            *stdin = out;
                        }
                    }
                }
                Ok(None)
            }
            R::HereDocument(_, doc) => {
                let (text, dynamic) = if doc.requires_expansion {
                    let a = self.word_text(&doc.doc.value, true)?;
                    (a.text, a.dynamic)
                } else {
                    (doc.doc.value.clone(), false)
                };
                *stdin = Stdin::Text { text, dynamic };
                Ok(None)
            }
            R::HereString(_, w) => {
                let a = self.word(w)?;
                *stdin = Stdin::Text {
                    text: a.text,
                    dynamic: a.dynamic,
                };
                Ok(None)
            }
            R::OutputAndError(w, append) => {
                let a = self.word(w)?;
                rules::write_target(&a, "a redirect")?;
                Ok(Some((a, *append)))
            }
        }
    }
}

/// An endless loop that starts a background job on every pass and never waits, breaks or
/// exits: processes pile up until the machine stops (`while true; do sleep 1 & done`).
fn endless_spawner(endless: bool, body: &ast::CompoundList) -> Judged {
    let spawns = body
        .0
        .iter()
        .any(|item| matches!(item.1, ast::SeparatorOperator::Async));
    let text = body.to_string();
    let stops = ["wait", "break", "exit", "return"].iter().any(|w| {
        text.split(|c: char| !c.is_ascii_alphanumeric())
            .any(|t| t == *w)
    });
    if endless && spawns && !stops {
        return Err(Block::new(
            "shell.fork-bomb",
            "an endless loop starts a background job on every pass (processes pile up without end)"
                .into(),
            Some("bound the loop, or wait for each job".into()),
        ));
    }
    Ok(())
}

/// Deepest nesting of `(`, `{`, `[` and backquotes in raw text (quotes not considered, so
/// this over-counts, which only ever blocks).
fn bracket_depth(src: &str) -> usize {
    let (mut depth, mut max, mut backquote) = (0usize, 0usize, false);
    for c in src.chars() {
        match c {
            '(' | '{' | '[' => depth += 1,
            ')' | '}' | ']' => depth = depth.saturating_sub(1),
            '`' => backquote = !backquote,
            _ => continue,
        }
        max = max.max(depth + usize::from(backquote));
    }
    max
}

fn looks_like_assignment(text: &str) -> bool {
    match text.split_once('=') {
        Some((name, _)) => {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        }
        None => false,
    }
}

/// Inside backquotes, `\\`, `` \` `` and `\$` are escapes; undo them before parsing.
fn unescape_backquoted(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut chars = code.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\'
            && let Some(&n) = chars.peek()
            && matches!(n, '\\' | '`' | '$')
        {
            out.push(n);
            chars.next();
            continue;
        }
        out.push(c);
    }
    out
}

/// A word with no quotes, escapes, expansions or tilde: the word parser would return it as one
/// literal text piece.
fn is_plain_word(raw: &str) -> bool {
    !raw.is_empty() && !raw.contains(['\'', '"', '$', '`', '\\', '~'])
}

/// Reserved words of the shell: a plain line holding one anywhere goes to the real parser.
const RESERVED: &[&str] = &[
    "if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "while", "until", "for",
    "in", "function", "select", "time", "coproc",
];

/// The syntax tree of a plain command line, built without the shell parser: plain words
/// (ASCII letters, digits and `_ . / : = , + @ % -`) separated by single spaces, optionally
/// joined by `|`, `&&`, `||` or `;` standing alone. Anything else — quotes, escapes,
/// expansions, globs, redirections, comments, newlines, tabs, reserved words, a leading
/// assignment — returns `None` and is parsed by brush-parser. The tree is the one brush-parser
/// builds for such a line (pipelines of simple commands in and-or lists), as
/// `plain_lines_build_the_parsers_tree` checks against the parser.
fn plain_program(src: &str) -> Option<ast::Program> {
    let line = src.strip_suffix('\n').unwrap_or(src);
    if line.is_empty()
        || line.len() > 512
        || !line
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b" _./:=,+@%-|&;".contains(&b))
    {
        return None;
    }
    let mut items: Vec<ast::CompoundListItem> = Vec::new();
    let mut and_or: Option<ast::AndOrList> = None;
    let mut pending_op: Option<bool> = None; // Some(true): `&&`, Some(false): `||`
    let mut pipeline: Vec<ast::Command> = Vec::new();
    let mut words: Vec<ast::Word> = Vec::new();
    let word = |w: &str| ast::Word {
        value: w.to_string(),
        loc: None,
    };
    // close the simple command being read into the pipeline
    fn end_command(words: &mut Vec<ast::Word>, pipeline: &mut Vec<ast::Command>) -> Option<()> {
        if words.is_empty() {
            return None;
        }
        let mut rest = std::mem::take(words).into_iter();
        let name = rest.next()?;
        let suffix: Vec<ast::CommandPrefixOrSuffixItem> =
            rest.map(ast::CommandPrefixOrSuffixItem::Word).collect();
        pipeline.push(ast::Command::Simple(ast::SimpleCommand {
            prefix: None,
            word_or_name: Some(name),
            suffix: (!suffix.is_empty()).then_some(ast::CommandSuffix(suffix)),
        }));
        Some(())
    }
    let end_pipeline = |pipeline: &mut Vec<ast::Command>,
                        and_or: &mut Option<ast::AndOrList>,
                        pending: &mut Option<bool>|
     -> Option<()> {
        if pipeline.is_empty() {
            return None;
        }
        let p = ast::Pipeline {
            timed: None,
            bang: false,
            seq: std::mem::take(pipeline),
        };
        match (and_or.as_mut(), pending.take()) {
            (None, None) => {
                *and_or = Some(ast::AndOrList {
                    first: p,
                    additional: Vec::new(),
                })
            }
            (Some(list), Some(and)) => list.additional.push(if and {
                ast::AndOr::And(p)
            } else {
                ast::AndOr::Or(p)
            }),
            _ => return None,
        }
        Some(())
    };
    for tok in line.split(' ') {
        match tok {
            "" => return None, // runs of spaces, leading or trailing space
            "|" => end_command(&mut words, &mut pipeline)?,
            "&&" | "||" => {
                end_command(&mut words, &mut pipeline)?;
                end_pipeline(&mut pipeline, &mut and_or, &mut pending_op)?;
                pending_op = Some(tok == "&&");
            }
            ";" => {
                end_command(&mut words, &mut pipeline)?;
                end_pipeline(&mut pipeline, &mut and_or, &mut pending_op)?;
                items.push(ast::CompoundListItem(
                    and_or.take()?,
                    ast::SeparatorOperator::Sequence,
                ));
            }
            t if t.contains(['|', '&', ';']) => return None,
            t if RESERVED.contains(&t) => return None,
            t => {
                if words.is_empty() && t.contains('=') {
                    return None; // an assignment, not a program name
                }
                words.push(word(t));
            }
        }
    }
    if !words.is_empty() {
        end_command(&mut words, &mut pipeline)?;
        end_pipeline(&mut pipeline, &mut and_or, &mut pending_op)?;
        items.push(ast::CompoundListItem(
            and_or.take()?,
            ast::SeparatorOperator::Sequence,
        ));
    } else if pending_op.is_some() || !pipeline.is_empty() {
        return None; // ends in an operator
    }
    if items.is_empty() {
        return None;
    }
    Some(ast::Program {
        complete_commands: vec![ast::CompoundList(items)],
    })
}

/// The program word must be spelled plainly and known before run time: a disguised name
/// (escapes, non-ASCII or invisible characters, brace expansion) or one only known at run time
/// (a variable, substitution or glob) blocks. Checked for the command's first word and again
/// for the program a wrapper runs (`env рm …`, `sudo "$X" …`).
pub(crate) fn check_program_name(program: &Arg) -> Judged<()> {
    if program.obfuscated || program.brace || !program.text.is_ascii() {
        return Err(Block::new(
            "shell.obfuscated-program",
            format!(
                "the program name is disguised (escapes, non-ASCII or invisible characters, or brace expansion resolve it to `{}`)",
                program.text.escape_debug()
            ),
            Some("spell the program name plainly".into()),
        ));
    }
    if program.dynamic || program.glob {
        return Err(Block::new(
            "shell.dynamic-program",
            format!(
                "the program name `{}` is only known at run time (a variable, substitution or glob)",
                program.text
            ),
            Some("name the program literally".into()),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn plain_line() -> impl Strategy<Value = String> {
        let word = prop_oneof![
            Just("rm"),
            Just("git"),
            Just("echo"),
            Just("sudo"),
            Just("bash"),
            Just("xargs"),
            Just("find"),
            Just("curl"),
            Just("env"),
            Just("ls"),
            Just("chmod"),
            Just("cd"),
            Just("-rf"),
            Just("-f"),
            Just("-r"),
            Just("/"),
            Just("/tmp/x"),
            Just("build"),
            Just("../x"),
            Just("push"),
            Just("--force"),
            Just("origin"),
            Just("main"),
            Just("+main"),
            Just("-c"),
            Just("k=v"),
            Just("A=1"),
            Just("reset"),
            Just("--hard"),
            Just("-delete"),
            Just("."),
            Just("sh"),
            Just("eval"),
            Just("kill"),
            Just("-9"),
            Just("|"),
            Just("&&"),
            Just("||"),
            Just(";"),
            Just("done"),
            Just("time"),
            Just("dd"),
            Just("of=/dev/sda"),
            Just("npm"),
            Just("install"),
            Just("x"),
        ];
        proptest::collection::vec(word, 1..9).prop_map(|w| w.join(" "))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// A plain line's tree, built without the shell parser, gets exactly the decision the
        /// parser's tree gets (and the shortcut declines whatever the parser would reject).
        #[test]
        fn plain_lines_build_the_parsers_tree(line in plain_line()) {
            let policy = Policy::default();
            for ctx in [Context::default(), Context::in_dir("/work/project")] {
                let mut fast = Walker::new(&policy, &ctx);
                let mut slow = Walker::new(&policy, &ctx);
                slow.shortcut = false;
                let (a, b) = (fast.check_script(&line), slow.check_script(&line));
                match (a, b) {
                    (Ok(x), Ok(y)) => prop_assert_eq!(x, y, "{}", line),
                    (Err(x), Err(y)) => {
                        prop_assert_eq!(&x.rule, &y.rule, "{}", line);
                        prop_assert_eq!(&x.reason, &y.reason, "{}", line);
                    }
                    (x, y) => prop_assert!(false, "{:?}: shortcut {:?} vs parser {:?}", line,
                        x.err().map(|b| b.rule), y.err().map(|b| b.rule)),
                }
            }
        }
    }

    proptest! {
        /// The plain-word shortcut gives exactly what the word parser gives.
        #[test]
        fn plain_word_shortcut_matches_the_parser(raw in "[a-zA-Z0-9_./:=,+@%^!*?\\[\\]{}#-]{1,24}|\\PC{1,12}") {
            prop_assume!(is_plain_word(&raw));
            let policy = Policy::default();
            let ctx = Context::default();
            let mut w = Walker::new(&policy, &ctx);
            let fast = w.word_text(&raw, false);
            let slow = w.word_text_parsed(&raw, false);
            match (fast, slow) {
                (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
                (Err(_), Err(_)) => {}
                (a, b) => prop_assert!(false, "fast {:?} vs parsed {:?}", a.is_ok(), b.is_ok()),
            }
        }
    }
}
