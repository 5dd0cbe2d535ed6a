//! The parser layer of the integrity scan: what the checks of a piece of test code are, read
//! from a syntax tree (tree-sitter grammars for Python, Rust, TypeScript/TSX/JavaScript, Go,
//! Java, Kotlin, C# and Ruby, behind the one function [`outline`]).
//!
//! Guarantees:
//! - **Never panics and never hides a parse error.** tree-sitter recovers from any input; every
//!   node access here is checked, and [`Outline::errors`] counts every `ERROR` and `MISSING`
//!   node (with the rows they touch), so a caller can refuse to pass what did not parse. A text
//!   the parser gives up on is reported as one error, never as "no checks".
//! - **Each check is one statement**, with its rows, the test it belongs to (when the text shows
//!   it), its normalised text, a key that ignores messages and formatting, whether it can run at
//!   all ([`State`]) and, for exception checks, the exception it expects.
//! - **One vocabulary.** What counts as an assertion is [`super::assertions::is_assertion`],
//!   the same rule the line-based fallback uses for languages without a grammar here.
//!
//! Mechanics: the text (usually the old or new side of one hunk, rebuilt from its context and
//! changed lines) is parsed; statements whose text opens with an assertion are checks. A check
//! is unreachable when an unconditional `return`/`raise`/`throw` precedes it in its block (or in
//! an enclosing block of the same function), when it sits in an `if`/`while` branch whose
//! condition folds to a constant that skips it, or behind a Rust `#[cfg(...)]` that is never
//! true. A check is a tautology when its condition folds to the value it asserts ([`fold`]:
//! constants, `!`/`not`, `&&`/`||`/`and`/`or`, `x || !x`, comparisons of a value with itself,
//! equality checks of an expression with itself).

use std::cell::RefCell;

use tree_sitter::{Language, Node, Parser};

use super::assertions;

/// A grammar this layer can parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Grammar {
    Python,
    Rust,
    TypeScript,
    /// TSX; also used for JavaScript and JSX, which it parses as a superset.
    Tsx,
    Go,
    Java,
    Kotlin,
    CSharp,
    Ruby,
}

impl Grammar {
    /// The grammar for a path, by extension.
    pub fn for_path(path: &str) -> Option<Grammar> {
        let name = path.rsplit('/').next().unwrap_or(path);
        let (_, ext) = name.rsplit_once('.')?;
        Some(match ext.to_ascii_lowercase().as_str() {
            "py" => Grammar::Python,
            "rs" => Grammar::Rust,
            "ts" | "mts" | "cts" => Grammar::TypeScript,
            "tsx" | "js" | "jsx" | "mjs" | "cjs" => Grammar::Tsx,
            "go" => Grammar::Go,
            "java" => Grammar::Java,
            "kt" | "kts" => Grammar::Kotlin,
            "cs" => Grammar::CSharp,
            "rb" | "rake" => Grammar::Ruby,
            _ => return None,
        })
    }

    fn language(self) -> Language {
        match self {
            Grammar::Python => tree_sitter_python::LANGUAGE.into(),
            Grammar::Rust => tree_sitter_rust::LANGUAGE.into(),
            Grammar::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            Grammar::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
            Grammar::Go => tree_sitter_go::LANGUAGE.into(),
            Grammar::Java => tree_sitter_java::LANGUAGE.into(),
            Grammar::Kotlin => tree_sitter_kotlin_ng::LANGUAGE.into(),
            Grammar::CSharp => tree_sitter_c_sharp::LANGUAGE.into(),
            Grammar::Ruby => tree_sitter_ruby::LANGUAGE.into(),
        }
    }

    const ALL: [Grammar; 9] = [
        Grammar::Python,
        Grammar::Rust,
        Grammar::TypeScript,
        Grammar::Tsx,
        Grammar::Go,
        Grammar::Java,
        Grammar::Kotlin,
        Grammar::CSharp,
        Grammar::Ruby,
    ];
}

/// Whether a check can run and mean something.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Live,
    /// It never runs; the reason says why.
    Unreachable(&'static str),
    /// It always passes; the reason says why.
    Tautology(&'static str),
}

/// What an exception check expects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Raises {
    /// The expected exception types (normalised), empty when any exception is accepted.
    pub types: Vec<String>,
    /// A message or pattern the exception must match.
    pub detail: bool,
}

/// One check (assertion statement) of the parsed text.
#[derive(Debug, Clone)]
pub struct Check {
    /// First and last row (0-based) of the statement in the parsed text.
    pub first_row: usize,
    pub last_row: usize,
    /// The test function it belongs to, when the text shows it.
    pub test: Option<String>,
    /// The statement with runs of whitespace collapsed (string literals kept verbatim).
    pub text: String,
    /// The statement without messages, whitespace or trailing commas: equal keys, same check.
    pub key: String,
    pub state: State,
    pub raises: Option<Raises>,
    /// Conditions of the branches around it inside its function, innermost first (`!(c)` for
    /// an else branch): a check that gains one now runs only sometimes.
    pub guards: Vec<String>,
}

/// The checks, comments and parse errors of a text.
#[derive(Debug, Clone, Default)]
pub struct Outline {
    /// `ERROR` and `MISSING` nodes.
    pub errors: usize,
    /// Rows (0-based) touched by an error node.
    pub error_rows: Vec<(usize, usize)>,
    pub checks: Vec<Check>,
    /// Comment blocks (adjacent comment lines merged; docstring-like string statements too),
    /// with markers stripped and whitespace removed, and their first row.
    pub comments: Vec<(usize, String)>,
    /// Rows of `return`/`raise`/`throw` statements inside a function with more statements
    /// after them in the same block (dead code follows).
    pub dead_exits: Vec<usize>,
    /// Rows of `#[cfg(...)]` attributes that are never true (what they guard never compiles).
    pub dead_attrs: Vec<usize>,
}

thread_local! {
    static PARSERS: RefCell<Vec<(Grammar, Parser)>> = const { RefCell::new(Vec::new()) };
}

/// Parse `text` with `grammar` and list its checks.
pub fn outline(grammar: Grammar, text: &str) -> Outline {
    let tree = PARSERS.with(|cell| {
        let mut parsers = cell.borrow_mut();
        if !parsers.iter().any(|(g, _)| *g == grammar) {
            let mut p = Parser::new();
            if p.set_language(&grammar.language()).is_err() {
                return None;
            }
            parsers.push((grammar, p));
        }
        let (_, p) = parsers.iter_mut().find(|(g, _)| *g == grammar)?;
        p.parse(text, None)
    });
    let Some(tree) = tree else {
        // The parser gave up (or the grammar failed to load): one error, never "no checks".
        return Outline {
            errors: 1,
            error_rows: vec![(0, text.lines().count())],
            ..Outline::default()
        };
    };
    let src = text.as_bytes();
    let mut out = Outline::default();
    let mut comment_rows: Vec<(usize, usize, String)> = Vec::new();
    let mut cursor = tree.walk();
    // each node with its parent's kind (`Node::parent` walks down from the root every time)
    let mut stack: Vec<(Node<'_>, &'static str)> = vec![(tree.root_node(), "")];
    let mut exits = std::collections::HashMap::new();
    while let Some((node, parent_kind)) = stack.pop() {
        if node.is_error() || node.is_missing() {
            out.errors += 1;
            out.error_rows
                .push((node.start_position().row, node.end_position().row));
        }
        let kind = node.kind();
        if kind == "attribute_item" && dead_cfg(node_text(node, src)) {
            out.dead_attrs.push(node.start_position().row);
        }
        if is_comment_kind(kind) {
            comment_rows.push((
                node.start_position().row,
                node.end_position().row,
                strip_comment(node_text(node, src)),
            ));
            continue;
        }
        if let Some(c) = check_of(grammar, node, parent_kind, src, &mut exits) {
            out.checks.push(c);
        } else if grammar == Grammar::Python
            && kind == "expression_statement"
            && node.named_child_count() == 1
            && node.named_child(0).is_some_and(|c| c.kind() == "string")
        {
            // A bare string statement: code "commented out" by quoting it.
            comment_rows.push((
                node.start_position().row,
                node.end_position().row,
                strip_comment(node_text(node, src).trim_matches(['"', '\'', 'r', 'b', 'f'])),
            ));
        }
        let children: Vec<Node<'_>> = node.children(&mut cursor).collect();
        stack.extend(children.into_iter().rev().map(|c| (c, kind)));
    }
    out.checks.sort_by_key(|c| c.first_row);
    comment_rows.sort_by_key(|c| c.0);
    let mut merged: Vec<(usize, usize, String)> = Vec::new();
    for (first, last, text) in comment_rows {
        match merged.last_mut() {
            Some((_, prev_last, prev)) if first <= *prev_last + 1 => {
                prev.push_str(&text);
                *prev_last = last;
            }
            _ => merged.push((first, last, text)),
        }
    }
    out.comments = merged.into_iter().map(|(r, _, t)| (r, t)).collect();
    out.dead_exits = dead_exits(tree.root_node(), src);
    out
}

fn is_comment_kind(kind: &str) -> bool {
    matches!(kind, "comment" | "line_comment" | "block_comment")
}

fn node_text<'s>(node: Node<'_>, src: &'s [u8]) -> &'s str {
    node.utf8_text(src).unwrap_or("")
}

/// Comment text without its markers and whitespace.
fn strip_comment(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let mut t = line.trim();
        for p in ["///", "//!", "//", "/**", "/*", "#", "*/", "*"] {
            if let Some(rest) = t.strip_prefix(p) {
                t = rest;
                break;
            }
        }
        let t = t.strip_suffix("*/").unwrap_or(t);
        out.push_str(&squash(t));
    }
    out
}

/// The statement kinds that can be a check, per grammar.
fn is_statement(grammar: Grammar, node: Node<'_>, parent_kind: &str) -> bool {
    let kind = node.kind();
    match grammar {
        Grammar::Python => matches!(kind, "expression_statement" | "assert_statement"),
        Grammar::Java => matches!(kind, "expression_statement" | "assert_statement"),
        Grammar::Rust => {
            kind == "expression_statement"
                || (kind == "macro_invocation" && matches!(parent_kind, "block" | "source_file"))
        }
        Grammar::TypeScript | Grammar::Tsx | Grammar::Go | Grammar::CSharp => {
            kind == "expression_statement"
        }
        // Kotlin and Ruby have no statement wrapper node: a check is an expression that sits
        // directly in a statement list (a block, a lambda, a method or `do` body, a branch).
        Grammar::Kotlin => {
            node.is_named()
                && !is_comment_kind(kind)
                && (matches!(parent_kind, "block" | "source_file" | "lambda_literal")
                    || (parent_kind == "function_body" && kind != "block"))
        }
        Grammar::Ruby => {
            node.is_named()
                && !is_comment_kind(kind)
                && matches!(
                    parent_kind,
                    "program"
                        | "body_statement"
                        | "block_body"
                        | "then"
                        | "else"
                        | "begin"
                        | "ensure"
                        | "do"
                        | "parenthesized_statements"
                )
        }
    }
}

fn check_of(
    grammar: Grammar,
    node: Node<'_>,
    parent_kind: &str,
    src: &[u8],
    exits: &mut std::collections::HashMap<usize, Option<usize>>,
) -> Option<Check> {
    let kind = node.kind();
    let raw = node_text(node, src);
    let (text, raises) = if grammar == Grammar::Python && kind == "with_statement" {
        // `with pytest.raises(X):` — the check is the context manager, not the body.
        let header = (0..node.named_child_count())
            .filter_map(|i| node.named_child(i))
            .find(|c| c.kind() == "with_clause")
            .map(|c| node_text(c, src))?;
        let r = raises_of(header)?;
        (collapse(header), Some(r))
    } else if grammar == Grammar::Rust && kind == "attribute_item" {
        if !raw.contains("should_panic") {
            return None;
        }
        (collapse(raw), raises_of(raw))
    } else if is_statement(grammar, node, parent_kind) {
        let lead = strip_lead(raw);
        // The statement's head decides: `it("…", () => { expect(…) })` is not itself a check.
        // A method chain continued on the next lines (`ex\n    .ShouldBeNull()`,
        // `mockMvc\n    .perform(…)\n    .andExpect(…)`) is one head.
        let head = chain_head(lead);
        if !assertions::is_assertion(&head) && raises_of(&head).is_none() {
            return None;
        }
        // A statement that only holds a closure full of checks (`it(..)`) is not itself one.
        (collapse(lead), raises_of(lead))
    } else {
        return None;
    };
    let mut key = key_of(&text);
    let mut state = reachability(node, src, exits);
    if grammar == Grammar::Go
        && let Some(cond) = go_guard(node, src)
    {
        // `if got != want { t.Errorf(...) }`: the check is the condition, the message is not.
        // `t.Error` and `t.Fatal` (and their `f` forms) fail the test alike: one check.
        let call = match callee(&text).unwrap_or("").rsplit_once('.') {
            Some((recv, "Error" | "Errorf" | "Fatal" | "Fatalf" | "Fail" | "FailNow")) => {
                format!("{recv}.fail")
            }
            _ => callee(&text).unwrap_or("").to_string(),
        };
        key = format!("if{}→{call}", symmetric(&cond));
    }
    let mut guards = guards(node, src);
    if grammar == Grammar::Go && key.starts_with("if") && !guards.is_empty() {
        // The `if` of a Go check is the check itself, not a guard around it.
        guards.remove(0);
    }
    if state == State::Live
        && let Some(reason) = tautology(&text)
    {
        state = State::Tautology(reason);
    }
    Some(Check {
        first_row: node.start_position().row,
        last_row: node.end_position().row,
        test: test_name(node, src),
        text,
        key,
        state,
        raises,
        guards,
    })
}

/// The first line of a statement joined with the lines that continue its method chain
/// (lines starting with `.` or `?.`).
fn chain_head(lead: &str) -> String {
    let mut lines = lead.lines();
    let mut head = lines.next().unwrap_or("").to_string();
    for l in lines {
        let t = l.trim_start();
        // `.m()` leading the next line, or Go's `x.` ending this one
        if t.starts_with('.') || t.starts_with("?.") || head.trim_end().ends_with('.') {
            head.push_str(t);
        } else {
            break;
        }
    }
    head
}

/// Drop `await`, `return`, `void` and similar in front of an assertion expression.
fn strip_lead(text: &str) -> &str {
    let mut t = text.trim_start();
    loop {
        let before = t;
        for p in ["await ", "return ", "void ", "try! ", "try "] {
            if let Some(rest) = t.strip_prefix(p) {
                t = rest.trim_start();
            }
        }
        if t == before {
            return t;
        }
    }
}

/// For a Go `t.Error*`/`t.Fatal*` call directly inside an `if` block: the `if` condition.
fn go_guard(node: Node<'_>, src: &[u8]) -> Option<String> {
    let mut block = node.parent()?;
    if block.kind() == "statement_list" {
        block = block.parent()?;
    }
    let stmt = block.parent()?;
    let cond = (block.kind() == "block" && stmt.kind() == "if_statement")
        .then(|| stmt.child_by_field_name("condition"))
        .flatten()
        .map(|c| node_text(c, src).to_string())?;
    // `if got, want := f(x), 1; got != want {`: the names stand for their values.
    let Some(init) = stmt.child_by_field_name("initializer") else {
        return Some(cond);
    };
    let Some((names, values)) = node_text(init, src).split_once(":=") else {
        return Some(cond);
    };
    let (names, values) = (split_args(names), split_args(values));
    if names.len() != values.len() {
        return Some(cond);
    }
    let mut out = cond;
    for (n, v) in names.iter().zip(&values) {
        out = replace_word(&out, n.trim(), v.trim());
    }
    Some(out)
}

/// How many times `word` occurs in `text` as a whole identifier (not glued to letters, digits
/// or `_` on either side).
pub(crate) fn count_word(text: &str, word: &str) -> usize {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(word)
        .filter(|(i, _)| {
            !text[..*i].chars().last().is_some_and(ident)
                && !text[i + word.len()..].chars().next().is_some_and(ident)
        })
        .count()
}

/// `text` with the identifier `word` (not after a `.`) replaced by `with`.
pub(crate) fn replace_word(text: &str, word: &str, with: &str) -> String {
    if word.is_empty() || !word.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(word) {
        let before = rest[..at].chars().last();
        let after = rest[at + word.len()..].chars().next();
        let ident = |c: char| c.is_alphanumeric() || c == '_';
        out.push_str(&rest[..at]);
        if before.is_some_and(|c| ident(c) || c == '.') || after.is_some_and(ident) {
            out.push_str(word);
        } else {
            out.push_str(with);
        }
        rest = &rest[at + word.len()..];
    }
    out.push_str(rest);
    out
}

/// `text` without parentheses that wrap the whole of it (`((a == b))` → `a == b`).
fn unwrap_parens(text: &str) -> &str {
    let mut t = text.trim();
    while t.starts_with('(')
        && matching_paren(t) == Some(t.len() - 1)
        && split_args(&t[1..t.len() - 1]).len() == 1
        && !t[1..t.len() - 1].trim_end().ends_with(',')
    {
        t = t[1..t.len() - 1].trim();
    }
    t
}

fn is_function(kind: &str) -> bool {
    matches!(
        kind,
        "function_definition"
            | "function_item"
            | "function_declaration"
            | "method_declaration"
            | "method_definition"
            | "arrow_function"
            | "function_expression"
            | "func_literal"
            | "lambda_expression"
            | "closure_expression"
            | "constructor_declaration"
            // Kotlin
            | "lambda_literal"
            | "anonymous_function"
            // C#
            | "local_function_statement"
            | "anonymous_method_expression"
            // Ruby (`{ }` blocks share the kind `block` with other grammars' statement blocks)
            | "method"
            | "singleton_method"
            | "do_block"
            | "lambda"
    )
}

/// A statement after which nothing in its block runs: `return`/`raise`/`throw`, or an `if`
/// whose condition folds to true and whose branch ends in one.
fn is_exit(node: Node<'_>, src: &[u8]) -> bool {
    exit_within(node, src, 0)
}

fn exit_within(node: Node<'_>, src: &[u8], depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    let is_exit = |n: Node<'_>, src: &[u8]| exit_within(n, src, depth + 1);
    match node.kind() {
        "return_statement" | "raise_statement" | "throw_statement" | "return_expression" => true,
        // Kotlin `throw`, Ruby `return` (named nodes only: other grammars' keyword tokens
        // carry the same kinds)
        "throw_expression" | "return" => node.is_named(),
        // Calls that end the test on the spot: NUnit `Assert.Pass()` (passes it),
        // `Assert.Ignore()`/`Assert.Inconclusive()`, Go `t.SkipNow()`.
        "invocation_expression" | "call_expression" => {
            let t = node_text(node, src);
            [
                "Assert.Pass(",
                "Assert.Ignore(",
                "Assert.Inconclusive(",
                "t.SkipNow(",
            ]
            .iter()
            .any(|p| t.starts_with(p))
        }
        "expression_statement" => {
            node.named_child_count() == 1 && node.named_child(0).is_some_and(|c| is_exit(c, src))
        }
        // Ruby `return if true` / `return unless false`
        "if_modifier" | "unless_modifier" => {
            let want = node.kind() == "if_modifier";
            node.child_by_field_name("condition")
                .is_some_and(|c| fold(node_text(c, src)) == Fold::Known(want))
                && node
                    .child_by_field_name("body")
                    .is_some_and(|b| is_exit(b, src))
        }
        "if_statement" | "if_expression" | "if" => {
            node.child_by_field_name("condition")
                .is_some_and(|c| fold(node_text(c, src)) == Fold::Known(true))
                && node.child_by_field_name("consequence").is_some_and(|b| {
                    let b = match b.named_child(0) {
                        Some(list) if list.kind() == "statement_list" => list,
                        _ => b,
                    };
                    is_exit(b, src)
                        || (0..b.named_child_count())
                            .rev()
                            .filter_map(|i| b.named_child(i))
                            .find(|c| !is_comment_kind(c.kind()))
                            .is_some_and(|c| is_exit(c, src))
                })
        }
        _ => false,
    }
}

/// Rows of exits inside a function that have statements after them in their block: the rest
/// of the test never runs, whether or not the diff shows its assertions.
fn dead_exits(root: Node<'_>, src: &[u8]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut cursor = root.walk();
    let mut stack = vec![(root, false)];
    while let Some((node, in_fn)) = stack.pop() {
        let in_fn = in_fn || is_function(node.kind());
        if in_fn
            && is_exit(node, src)
            && node.parent().is_some_and(|p| {
                !matches!(
                    p.kind(),
                    "if_statement"
                        | "if_expression"
                        | "else_clause"
                        | "if_modifier"
                        | "unless_modifier"
                )
            })
        {
            let mut next = node.next_named_sibling();
            while let Some(n) = next.filter(|n| is_comment_kind(n.kind())) {
                next = n.next_named_sibling();
            }
            if next.is_some() {
                out.push(node.start_position().row);
            }
        }
        let children: Vec<Node<'_>> = node.children(&mut cursor).collect();
        stack.extend(children.into_iter().map(|c| (c, in_fn)));
    }
    out
}

/// Whether the statement can run (see the module docs).
fn reachability(
    node: Node<'_>,
    src: &[u8],
    exits: &mut std::collections::HashMap<usize, Option<usize>>,
) -> State {
    // In a fragment, code before a function boundary the text does not show may belong to
    // another function: exits only count inside a function the text shows.
    let in_function = {
        let mut p = node.parent();
        let mut found = false;
        while let Some(n) = p {
            if is_function(n.kind()) {
                found = true;
                break;
            }
            p = n.parent();
        }
        found
    };
    let mut cur = node;
    loop {
        // Attributes directly in front (a few steps: sibling lookups are not O(1)).
        let mut prev = cur.prev_named_sibling();
        let mut steps = 0;
        while let Some(p) = prev.filter(|p| {
            matches!(
                p.kind(),
                "attribute_item" | "line_comment" | "block_comment"
            )
        }) {
            if p.kind() == "attribute_item" && dead_cfg(node_text(p, src)) {
                return State::Unreachable("behind a #[cfg] that is never true");
            }
            steps += 1;
            if steps > 8 {
                break;
            }
            prev = p.prev_named_sibling();
        }
        // An unconditional exit earlier in the same block (first exit per block, cached).
        if in_function && let Some(parent) = cur.parent() {
            let first = *exits.entry(parent.id()).or_insert_with(|| {
                let mut c = parent.walk();
                parent
                    .named_children(&mut c)
                    .find(|ch| is_exit(*ch, src))
                    .map(|ch| ch.end_byte())
            });
            if first.is_some_and(|end| end <= cur.start_byte()) {
                return State::Unreachable("after an unconditional return");
            }
        }
        if is_function(cur.kind()) {
            return if swallowing_closure(cur, src) {
                State::Tautology(SWALLOWED)
            } else if never_called(cur, src) {
                State::Unreachable("inside a nested function that is never called")
            } else {
                State::Live
            };
        }
        let Some(parent) = cur.parent() else {
            return State::Live;
        };
        // A loop over an empty literal never runs its body.
        if let Some(iterable) = loop_iterable(parent, cur)
            && empty_literal(node_text(iterable, src))
        {
            return State::Unreachable("inside a loop over an empty sequence");
        }
        // `with contextlib.suppress(AssertionError):` discards the failure.
        if parent.kind() == "with_statement"
            && parent
                .child_by_field_name("body")
                .is_some_and(|b| b.id() == cur.id())
            && (0..parent.named_child_count())
                .filter_map(|i| parent.named_child(i))
                .find(|c| c.kind() == "with_clause")
                .is_some_and(|c| suppresses_failures(node_text(c, src)))
        {
            return State::Tautology(SWALLOWED);
        }
        if parent.kind() == "try_statement"
            && parent
                .child_by_field_name("body")
                .is_some_and(|b| b.id() == cur.id())
            && swallowing_try(parent, src)
        {
            return State::Tautology(SWALLOWED);
        }
        // Ruby `begin … rescue Minitest::Assertion … end` (or a method-level `rescue`).
        if matches!(parent.kind(), "begin" | "body_statement")
            && !matches!(cur.kind(), "rescue" | "else" | "ensure")
            && swallowing_rescue(parent, src)
        {
            return State::Tautology(SWALLOWED);
        }
        // A branch whose condition is a constant that skips it.
        if let Some(cond) = parent.child_by_field_name("condition") {
            let c = fold(node_text(cond, src));
            let in_field = |f: &str| {
                parent
                    .child_by_field_name(f)
                    .is_some_and(|b| b.id() == cur.id())
            };
            match parent.kind() {
                "if_statement" | "if_expression" | "if" => {
                    // Kotlin's `if` names only its condition: the branch is the next child.
                    let kotlin_branch = parent.child_by_field_name("consequence").is_none()
                        && cond
                            .next_named_sibling()
                            .is_some_and(|b| b.id() == cur.id());
                    if (in_field("consequence") || kotlin_branch) && c == Fold::Known(false) {
                        return State::Unreachable("inside a branch whose condition is false");
                    }
                    if in_field("alternative") && c == Fold::Known(true) {
                        return State::Unreachable("inside the else of a condition that is true");
                    }
                }
                // C# `#if false … #endif` around statements: compiled out.
                "preproc_if" | "preproc_elif"
                    if !in_field("alternative")
                        && !in_field("condition")
                        && c == Fold::Known(false) =>
                {
                    return State::Unreachable("inside an #if whose condition is false");
                }
                "unless" if in_field("consequence") && c == Fold::Known(true) => {
                    return State::Unreachable("inside an unless whose condition is true");
                }
                "while_statement" | "while_expression" | "while"
                    if in_field("body") && c == Fold::Known(false) =>
                {
                    return State::Unreachable("inside a loop whose condition is false");
                }
                _ => {}
            }
        }
        // Go `for COND { … }` (the condition is not a named field).
        if parent.kind() == "for_statement"
            && parent
                .child_by_field_name("body")
                .is_some_and(|b| b.id() == cur.id())
            && let Some(cond) = parent.named_child(0)
            && !matches!(cond.kind(), "for_clause" | "range_clause" | "block")
            && fold(node_text(cond, src)) == Fold::Known(false)
        {
            return State::Unreachable("inside a loop whose condition is false");
        }
        cur = parent;
    }
}

/// The conditions of the `if`/`#if`/`unless` branches between `node` and its function (or
/// the text's top), innermost first, each collapsed; an else branch is `!(cond)`.
fn guards(node: Node<'_>, src: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = node;
    while let Some(parent) = cur.parent() {
        if is_function(cur.kind()) {
            break;
        }
        if matches!(
            parent.kind(),
            "if_statement"
                | "if_expression"
                | "if"
                | "unless"
                | "preproc_if"
                | "preproc_elif"
                | "preproc_ifdef"
        ) && let Some(cond) = parent
            .child_by_field_name("condition")
            .or_else(|| parent.child_by_field_name("name"))
            // a check inside the condition itself is not guarded by it
            && !(cond.start_byte() <= cur.start_byte() && cur.end_byte() <= cond.end_byte())
        {
            let text = squash(unwrap_parens(node_text(cond, src)));
            let in_alternative = parent
                .child_by_field_name("alternative")
                .is_some_and(|b| b.id() == cur.id());
            let head = if parent.kind() == "preproc_ifdef" {
                // `#ifdef X` / `#ifndef X`
                let directive = node_text(parent, src)
                    .split_whitespace()
                    .next()
                    .unwrap_or("");
                format!("{directive} {text}")
            } else {
                text
            };
            out.push(if in_alternative {
                format!("!({head})")
            } else {
                head
            });
        }
        cur = parent;
    }
    out
}

const SWALLOWED: &str = "its failure is caught and discarded";

/// The iterable of the loop `parent` when `cur` is its body.
fn loop_iterable<'t>(parent: Node<'t>, cur: Node<'t>) -> Option<Node<'t>> {
    let is_body = parent
        .child_by_field_name("body")
        .is_some_and(|b| b.id() == cur.id());
    if !is_body {
        return None;
    }
    match parent.kind() {
        // Python `for x in it:`, JS/TS `for (const x of it)` / `for (x in it)`
        "for_statement" | "for_in_statement" => parent.child_by_field_name("right").or_else(|| {
            // Go `for _, x := range it { … }`
            let mut c = parent.walk();
            let clause = parent
                .named_children(&mut c)
                .find(|n| n.kind() == "range_clause")?;
            clause.child_by_field_name("right")
        }),
        // Rust `for x in it { … }`
        "for_expression" => parent.child_by_field_name("value"),
        _ => None,
    }
}

/// A literal that holds nothing: `()`, `[]`, `{}`, `""`, `range(0)`, `[]int{}`, `0..0`, …
fn empty_literal(text: &str) -> bool {
    let t = squash(text);
    matches!(
        t.as_str(),
        "()" | "[]"
            | "{}"
            | "\"\""
            | "''"
            | "``"
            | "range(0)"
            | "set()"
            | "tuple()"
            | "list()"
            | "dict()"
            | "frozenset()"
            | "vec![]"
            | "Vec::new()"
            | "0..0"
            | "std::iter::empty()"
            | "iter::empty()"
            | "newArray()"
            | "Object.keys({})"
    ) || ((t.starts_with("[]") || t.starts_with("map[")) && t.ends_with("{}") && !t.contains('('))
}

/// `suppress(...)` naming an exception that assertion failures are.
fn suppresses_failures(with_clause: &str) -> bool {
    let Some(at) = with_clause.find("suppress(") else {
        return false;
    };
    let args = &with_clause[at..];
    ["AssertionError", "Exception", "BaseException"]
        .iter()
        .any(|t| contains_word(args, t))
}

/// A function defined inside another function and bound to a name that nothing refers to
/// again (or to `_`): its body never runs. One passed as an argument, returned or called on
/// the spot is not this.
fn never_called(func: Node<'_>, src: &[u8]) -> bool {
    let Some(parent) = func.parent() else {
        return false;
    };
    let name = match (func.kind(), parent.kind()) {
        // Python `def inner():` in a function body (decorated ones are registered somewhere).
        ("function_definition", "block") => func.child_by_field_name("name"),
        // JS/TS nested `function inner() {}`
        ("function_declaration", "statement_block") => func.child_by_field_name("name"),
        // `const inner = () => {…}`, `let inner = function () {…}`
        ("arrow_function" | "function_expression" | "function", "variable_declarator") => {
            parent.child_by_field_name("name")
        }
        // Rust `let inner = || {…};`
        ("closure_expression", "let_declaration") => parent.child_by_field_name("pattern"),
        // Go `_ = func() {…}` / `inner := func() {…}`
        ("func_literal", "expression_list") => {
            let stmt = parent.parent();
            stmt.filter(|s| {
                matches!(s.kind(), "assignment_statement" | "short_var_declaration")
                    && s.child_by_field_name("right")
                        .is_some_and(|r| r.id() == parent.id())
                    && r_single(parent)
            })
            .and_then(|s| s.child_by_field_name("left"))
            .filter(|l| l.named_child_count() == 1)
            .and_then(|l| l.named_child(0))
        }
        _ => None,
    };
    let Some(name) = name else {
        return false;
    };
    let name = node_text(name, src).trim();
    if name == "_" {
        return true;
    }
    if !name.chars().all(|c| c.is_alphanumeric() || c == '_') || name.is_empty() {
        return false;
    }
    // The nearest enclosing function: the scope the name lives in.
    let mut scope = parent.parent();
    while let Some(s) = scope {
        if is_function(s.kind()) {
            break;
        }
        scope = s.parent();
    }
    let Some(scope) = scope else {
        return false;
    };
    node_text(scope, src)
        .match_indices(name)
        .filter(|(i, _)| {
            let t = node_text(scope, src);
            let before = t[..*i].chars().last();
            let after = t[i + name.len()..].chars().next();
            !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
                && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
        })
        .count()
        <= 1
}

fn r_single(list: Node<'_>) -> bool {
    list.named_child_count() == 1
}

/// A `try` whose handler catches assertion failures (a bare/catch-all handler, or one naming
/// `AssertionError`, `Throwable`, `Error`, `Exception`, `BaseException`) and neither re-raises
/// nor fails.
fn swallowing_try(try_node: Node<'_>, src: &[u8]) -> bool {
    let mut cursor = try_node.walk();
    let handlers: Vec<Node<'_>> = try_node
        .named_children(&mut cursor)
        .filter(|c| matches!(c.kind(), "except_clause" | "catch_clause"))
        .collect();
    handlers.iter().any(|h| {
        let text = node_text(*h, src);
        let (head, body) = match text.split_once([':', '{']) {
            Some((head, body)) if h.kind() == "except_clause" => (head, body),
            _ => match text.split_once('{') {
                Some((head, body)) => (head, body),
                None => (text, ""),
            },
        };
        let head = head.trim();
        let catches_all = matches!(head, "except" | "catch" | "catch ()")
            || [
                "AssertionError",
                "AssertionFailedError",
                // the frameworks' own failure types: unittest, Shouldly, xUnit, NUnit, MSTest,
                // JUnit 4, opentest4j, FluentAssertions
                "failureException",
                "ShouldAssertException",
                "XunitException",
                "AssertionException",
                "AssertFailedException",
                "ComparisonFailure",
                "MultipleFailuresError",
                "Throwable",
                "Exception",
                "BaseException",
                "Error",
                "unknown",
                "any",
            ]
            .iter()
            .any(|t| contains_word(head, t))
            || (h.kind() == "catch_clause"
                && !head.contains(':')
                && try_node.child_by_field_name("handler").is_some());
        let rethrows = [
            "raise",
            "throw",
            "fail(",
            "pytest.fail",
            "expect(",
            "assert",
        ]
        .iter()
        .any(|w| body.contains(w));
        catches_all && !rethrows
    })
}

/// A Ruby `begin`/method body with a `rescue` that catches assertion failures (`Exception`,
/// minitest's and test-unit's assertion errors, RSpec's expectation error) and neither
/// re-raises nor fails. A bare `rescue` catches only `StandardError`, which assertion failures
/// are not.
fn swallowing_rescue(body: Node<'_>, src: &[u8]) -> bool {
    let mut cursor = body.walk();
    let rescues: Vec<Node<'_>> = body
        .named_children(&mut cursor)
        .filter(|c| c.kind() == "rescue")
        .collect();
    rescues.iter().any(|r| {
        let types = r
            .child_by_field_name("exceptions")
            .map_or("", |e| node_text(e, src));
        let handler = r
            .child_by_field_name("body")
            .map_or("", |b| node_text(b, src));
        let catches = [
            "Exception",
            "Assertion",
            "AssertionFailedError",
            "ExpectationNotMetError",
        ]
        .iter()
        .any(|t| contains_word(types, t) || types.ends_with(&format!("::{t}")));
        let rethrows = ["raise", "flunk", "fail", "assert", "refute", "expect"]
            .iter()
            .any(|w| handler.contains(w));
        catches && !rethrows
    })
}

fn contains_word(hay: &str, word: &str) -> bool {
    hay.match_indices(word).any(|(i, _)| {
        let before = hay[..i].chars().last();
        let after = hay[i + word.len()..].chars().next();
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
            && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

/// A Rust closure passed to `catch_unwind` whose result is thrown away.
fn swallowing_closure(closure: Node<'_>, src: &[u8]) -> bool {
    // Rust's `catch_unwind(|| …)` and Gomega's `InterceptGomegaFailures(func() { … })` collect
    // the failures of the closure and hand them back; dropping the result drops them.
    if closure.kind() == "lambda_literal" {
        // Kotlin `runCatching { … }` as a statement: the failure becomes a dropped `Result`.
        let call = closure
            .parent()
            .filter(|a| a.kind() == "annotated_lambda")
            .and_then(|a| a.parent())
            .and_then(|s| {
                if s.kind() == "call_suffix" {
                    s.parent()
                } else {
                    Some(s)
                }
            })
            .filter(|c| c.kind() == "call_expression");
        return call.is_some_and(|c| {
            c.named_child(0)
                .is_some_and(|f| matches!(node_text(f, src), "runCatching" | "kotlin.runCatching"))
                && c.parent().is_some_and(|p| {
                    matches!(
                        p.kind(),
                        "statements"
                            | "control_structure_body"
                            | "lambda_literal"
                            | "function_body"
                            | "block"
                            | "source_file"
                    )
                })
        });
    }
    if !matches!(closure.kind(), "closure_expression" | "func_literal") {
        return false;
    }
    let Some(call) = closure.parent().and_then(|a| a.parent()) else {
        return false;
    };
    if call.kind() != "call_expression"
        || !call.child_by_field_name("function").is_some_and(|f| {
            let name = node_text(f, src);
            name.ends_with("catch_unwind")
                || name.ends_with("InterceptGomegaFailures")
                || name.ends_with("InterceptGomegaFailure")
        })
    {
        return false;
    }
    match call.parent() {
        Some(p) if p.kind() == "expression_statement" => true,
        Some(p) if p.kind() == "let_declaration" => p
            .child_by_field_name("pattern")
            .is_some_and(|pat| node_text(pat, src).starts_with('_')),
        _ => false,
    }
}

/// `#[cfg(...)]` predicates that are never true.
fn dead_cfg(attr: &str) -> bool {
    let a = squash(attr);
    let Some(pred) = a.strip_prefix("#[cfg(").and_then(|r| r.strip_suffix(")]")) else {
        return false;
    };
    cfg_value(pred) == Some(false)
}

fn cfg_value(pred: &str) -> Option<bool> {
    match pred {
        _ if pred.len() > 4096 || pred.matches('(').count() > MAX_DEPTH => return None,
        "any()" | "false" | "FALSE" => return Some(false),
        "all()" | "true" => return Some(true),
        _ => {}
    }
    if let Some(inner) = pred.strip_prefix("not(").and_then(|r| r.strip_suffix(')')) {
        return cfg_value(inner).map(|v| !v);
    }
    for (head, is_all) in [("all(", true), ("any(", false)] {
        if let Some(inner) = pred.strip_prefix(head).and_then(|r| r.strip_suffix(')')) {
            let vals: Vec<Option<bool>> = split_args(inner).iter().map(|p| cfg_value(p)).collect();
            if is_all && vals.contains(&Some(false)) {
                return Some(false);
            }
            if !is_all && vals.contains(&Some(true)) {
                return Some(true);
            }
            if vals.iter().all(|v| *v == Some(!is_all)) {
                return Some(!is_all);
            }
            return None;
        }
    }
    None
}

/// The name of the test a node belongs to: the enclosing function's name, or the title of the
/// `it("…")`/`test("…")`/`t.Run("…")` call whose callback holds it.
fn test_name(node: Node<'_>, src: &[u8]) -> Option<String> {
    let mut cur = node.parent();
    while let Some(n) = cur {
        if is_function(n.kind()) {
            if let Some(name) = n.child_by_field_name("name") {
                return Some(node_text(name, src).to_string());
            }
            // A Ruby block: `it "does x" do … end` — the call's first argument names it.
            if matches!(n.kind(), "do_block" | "lambda")
                && let Some(call) = n.parent()
                && call.kind() == "call"
                && let Some(first) = call
                    .child_by_field_name("arguments")
                    .and_then(|a| a.named_child(0))
                && matches!(first.kind(), "string" | "simple_symbol")
            {
                return Some(
                    node_text(first, src)
                        .trim_matches(['"', '\'', ':'])
                        .to_string(),
                );
            }
            // A callback: the first argument of the call it is passed to names it.
            if let Some(args) = n.parent()
                && args.kind() == "arguments"
                && let Some(first) = args.named_child(0)
                && first.id() != n.id()
                && matches!(
                    first.kind(),
                    "string" | "interpreted_string_literal" | "template_string"
                )
            {
                return Some(
                    node_text(first, src)
                        .trim_matches(['"', '\'', '`'])
                        .to_string(),
                );
            }
        }
        cur = n.parent();
    }
    None
}

// ---------------------------------------------------------------------------------------
// Text helpers: normalisation, argument splitting, keys.

/// Collapse whitespace runs to one space outside string literals; trim.
pub fn collapse(text: &str) -> String {
    normalise(text, true)
}

/// Remove whitespace outside string literals, and commas before a closing bracket.
pub fn squash(text: &str) -> String {
    normalise(text, false)
}

fn normalise(text: &str, keep_space: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut pending_space = false;
    while let Some(c) = chars.next() {
        if c == '"' || c == '\'' || c == '`' {
            if pending_space && keep_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(c);
            while let Some(d) = chars.next() {
                out.push(d);
                if d == '\\' {
                    if let Some(e) = chars.next() {
                        out.push(e);
                    }
                } else if d == c || d == '\n' {
                    break;
                }
            }
            continue;
        }
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if matches!(c, ')' | ']' | '}') && out.ends_with(',') {
            out.pop();
            while out.ends_with(' ') {
                out.pop();
            }
        }
        // Two words stay apart (`x and y` is not `xandy`, which a longer check could contain).
        let word = |ch: char| ch.is_alphanumeric() || ch == '_';
        if pending_space
            && !out.is_empty()
            && (keep_space || (word(c) && out.chars().next_back().is_some_and(word)))
        {
            out.push(' ');
        }
        pending_space = false;
        out.push(c);
    }
    out
}

/// [`split_args`] for the rest of the crate.
pub(crate) fn split_top_args(text: &str) -> Vec<String> {
    split_args(text)
}

/// Split a comma-separated argument list at top level (brackets and strings respected).
fn split_args(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut cur = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' | '\'' | '`' => {
                cur.push(c);
                while let Some(d) = chars.next() {
                    cur.push(d);
                    if d == '\\' {
                        if let Some(e) = chars.next() {
                            cur.push(e);
                        }
                    } else if d == c {
                        break;
                    }
                }
            }
            '(' | '[' | '{' => {
                depth += 1;
                cur.push(c);
            }
            ')' | ']' | '}' => {
                depth -= 1;
                cur.push(c);
            }
            ',' if depth == 0 => {
                out.push(cur.trim().to_string());
                cur.clear();
            }
            _ => cur.push(c),
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

/// `callee(args)rest` → callee, args, rest. The callee is a dotted/`!` path; `rest` is what
/// follows the closing parenthesis (`.toBe(1)`).
pub(crate) fn split_call(text: &str) -> Option<(&str, Vec<String>, &str)> {
    let t = text.trim();
    // PHP's `$this->assertSame` is one callee: `->` joins like `.`
    let mut end = t.len();
    let mut chars = t.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '-' && chars.peek().is_some_and(|(_, n)| *n == '>') {
            chars.next();
            continue;
        }
        if !(c.is_alphanumeric() || matches!(c, '_' | '.' | '!' | ':' | '$')) {
            end = i;
            break;
        }
    }
    let callee = &t[..end];
    let rest = t[end..].trim_start();
    if callee.is_empty() || !rest.starts_with('(') {
        return None;
    }
    let close = matching_paren(rest)?;
    Some((callee, split_args(&rest[1..close]), &rest[close + 1..]))
}

/// Index of the parenthesis closing the one at index 0.
fn matching_paren(text: &str) -> Option<usize> {
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' | '`' => quote = Some(c),
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// `.m1(a).m2.m3(b)` → [(m1, Some([a])), (m2, None), (m3, Some([b]))].
fn split_chain(mut rest: &str) -> Vec<(String, Option<Vec<String>>)> {
    let mut out = Vec::new();
    loop {
        rest = rest.trim_start();
        // PHP's Pest chains with `->` (`expect($x)->toBe(3)`)
        let Some(r) = rest.strip_prefix('.').or_else(|| rest.strip_prefix("->")) else {
            break;
        };
        let end = r
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
            .unwrap_or(r.len());
        let name = r[..end].to_string();
        let after = r[end..].trim_start();
        if after.starts_with('(') {
            let Some(close) = matching_paren(after) else {
                break;
            };
            out.push((name, Some(split_args(&after[1..close]))));
            rest = &after[close + 1..];
        } else {
            out.push((name, None));
            rest = after;
        }
        if end == 0 {
            break;
        }
    }
    out
}

fn last_segment(callee: &str) -> &str {
    callee
        .trim_end_matches('!')
        .rsplit(['.', ':', '>'])
        .next()
        .unwrap_or(callee)
}

fn callee(text: &str) -> Option<&str> {
    split_call(text).map(|(c, _, _)| c)
}

/// Whether the whole text is one string literal (`"a"`, `'b'`, `b"c"`, `` `d` ``).
fn is_string_literal(arg: &str) -> bool {
    let a = arg
        .trim()
        .trim_start_matches(['f', 'r', 'b', 'u', 'R', 'B', 'F', 'U']);
    let Some(q) = a.chars().next().filter(|c| matches!(c, '"' | '\'' | '`')) else {
        return false;
    };
    let mut escaped = false;
    for (i, c) in a.char_indices().skip(1) {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == q {
            return i + c.len_utf8() == a.len();
        }
    }
    false
}

/// A number literal (digits first: `inf` or `nan` are names, not numbers).
fn number(a: &str) -> Option<f64> {
    let t = a.strip_prefix('-').unwrap_or(a);
    if !t.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    a.replace('_', "").parse::<f64>().ok()
}

/// How many leading arguments an assertion's check uses (the rest are messages).
fn arity(name: &str) -> Option<usize> {
    Some(match name {
        "assert" | "debug_assert" | "assertTrue" | "assertFalse" | "assert_true"
        | "assert_false" | "assertNull" | "assertNotNull" | "assertIsNone" | "assertIsNotNone"
        | "ok" | "True" | "False" | "Nil" | "NotNil" | "NoError" | "Error" | "Empty"
        | "NotEmpty" | "Zero" | "NotZero" | "expect" | "assertThat" | "isTrue" | "isFalse" => 1,
        "assert_eq" | "assert_ne" | "debug_assert_eq" | "debug_assert_ne" | "assertEqual"
        | "assertNotEqual" | "assertEquals" | "assertNotEquals" | "assertIs" | "assertIsNot"
        | "assertIn" | "assertNotIn" | "assertSame" | "assertNotSame" | "assertGreater"
        | "assertLess" | "assertGreaterEqual" | "assertLessEqual" | "assertIsInstance"
        | "assertCountEqual" | "assertListEqual" | "assertDictEqual" | "assertRegex" | "equal"
        | "notEqual" | "strictEqual" | "notStrictEqual" | "deepEqual" | "deepStrictEqual"
        | "notDeepStrictEqual" | "Equal" | "NotEqual" | "EqualValues" | "Contains"
        | "NotContains" | "Len" | "ErrorIs" | "ErrorAs" | "EqualError" | "ErrorContains"
        | "Greater" | "Less" | "Same" | "assertArrayEquals" => 2,
        // minitest / test-unit (the argument after the check is the message)
        "assert_nil" | "refute_nil" | "refute" | "assert_empty" | "refute_empty" => 1,
        "assert_equal" | "refute_equal" | "assert_same" | "refute_same" | "assert_match"
        | "refute_match" | "assert_includes" | "refute_includes" | "assert_kind_of"
        | "assert_instance_of" | "assert_predicate" | "assert_respond_to" => 2,
        "assert_in_delta" | "assert_in_epsilon" | "assert_operator" => 3,
        "assertAlmostEqual" | "assertNotAlmostEqual" | "InDelta" | "InEpsilon" => 3,
        _ => return None,
    })
}

/// Gomega's assertion verbs (`Expect(x).To(matcher)`).
const GOMEGA_VERBS: &[&str] = &["To", "ToNot", "NotTo", "Should", "ShouldNot"];

/// testify assertion methods (on the package or on an `assert.New(t)` object).
const TESTIFY_OBJECT: &[&str] = &[
    "Equal",
    "EqualValues",
    "NotEqual",
    "True",
    "False",
    "Nil",
    "NotNil",
    "NoError",
    "Error",
    "ErrorIs",
    "ErrorAs",
    "EqualError",
    "ErrorContains",
    "Contains",
    "NotContains",
    "Len",
    "Empty",
    "NotEmpty",
    "Zero",
    "NotZero",
    "Greater",
    "Less",
    "Same",
    "InDelta",
    "InEpsilon",
    "Panics",
    "NotPanics",
    "Regexp",
    "ElementsMatch",
    "Subset",
    "JSONEq",
];

/// The check without its messages: whitespace removed, message arguments dropped.
pub fn key_of(text: &str) -> String {
    // Shouldly/FluentAssertions: the checked value, the matcher and its non-message arguments.
    if let Some((recv, method, args)) = receiver_matcher(text) {
        // Matchers without an expected value take a message first; the others take the
        // expected value first and a message (a string) or a tolerance after it.
        let takes_value = !matches!(
            method.as_str(),
            "BeTrue"
                | "BeFalse"
                | "BeNull"
                | "NotBeNull"
                | "BeEmpty"
                | "NotBeEmpty"
                | "BeNullOrEmpty"
                | "NotBeNullOrEmpty"
                | "BeNullOrWhiteSpace"
        );
        let args: Vec<String> = args
            .iter()
            .enumerate()
            .filter(|(i, a)| (takes_value && *i == 0) || !is_string_literal(a))
            .map(|(_, a)| squash(unwrap_parens(a)))
            .collect();
        return format!("{}.Should{method}({})", squash(&recv), args.join(","));
    }
    if let Some(rest) = text.strip_prefix("assert ") {
        // Python `assert cond, message`.
        let args = split_args(rest);
        let mut cond = squash(args.first().map(String::as_str).unwrap_or(""));
        while cond.starts_with('(') && matching_paren(&cond) == Some(cond.len() - 1) {
            cond = cond[1..cond.len() - 1].to_string();
        }
        return format!("assert {}", symmetric(&cond));
    }
    let Some((callee, args, rest)) = split_call(text) else {
        // Ruby's paren-less call (`assert_equal a, b`) is the same check as `assert_equal(a, b)`.
        if let Some((name, rest)) = text.split_once(' ')
            && (name.starts_with("assert") || name.starts_with("refute"))
            && name
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '?')
            && !rest.trim_end().ends_with(" do")
            && !rest.trim_end().ends_with('{')
            && !rest.trim().is_empty()
        {
            return key_of(&format!("{name}({})", rest.trim()));
        }
        return squash(text);
    };
    // JUnit's qualified `Assertions.assertEquals(…)` / `Assert.assertTrue(…)` is the
    // statically imported `assertEquals(…)`.
    let callee = match callee.rsplit_once(['.', '>', ':']) {
        Some((_, last)) if last.starts_with("assert") && !callee.starts_with("self.") => last,
        _ => callee,
    };
    // testify's `is := assert.New(t)` / `is.Equal(a, b)` is `assert.Equal(t, a, b)`.
    let mut args = args;
    let callee = match callee.split_once('.') {
        Some((recv, name))
            if TESTIFY_OBJECT.contains(&name)
                && recv != "t"
                && recv.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                && recv.chars().all(|c| c.is_alphanumeric() || c == '_') =>
        {
            if matches!(recv, "assert" | "require") && args.first().is_some_and(|a| a == "t") {
                args.remove(0);
            }
            name
        }
        _ => callee,
    };
    let name = last_segment(callee);
    let mut args: Vec<String> = args
        .into_iter()
        .filter(|a| !(a.starts_with("msg=") || a.starts_with("msg =")))
        .collect();
    // testify: the leading `t` is not part of the check.
    let testify = callee.starts_with("assert.") || callee.starts_with("require.");
    let skip_t = testify && args.first().is_some_and(|a| a == "t");
    if let Some(n) = arity(name) {
        // JUnit's `assertEquals(e, a, delta)`: a number after the two values is a tolerance,
        // part of the check (a message is a string).
        let delta = matches!(
            name,
            "assertEquals" | "assertNotEquals" | "assertArrayEquals"
        ) && args
            .get(2)
            .is_some_and(|a| number(a.trim_end_matches(['d', 'f'])).is_some());
        // Dart's `expect(actual, matcher)` (no chain after it) checks both arguments
        let dart = name == "expect" && rest.trim().trim_end_matches(';').is_empty();
        let n = if dart { 2 } else { n } + usize::from(skip_t) + usize::from(delta);
        if args.len() > n {
            if callee.starts_with("assert")
                && !testify
                && is_string_literal(&args[0])
                && !is_string_literal(&args[args.len() - 1])
            {
                // JUnit 4 puts the message first.
                args.remove(0);
            }
            args.truncate(n);
        }
    }
    if has_command_call(rest) {
        // Ruby's paren-less calls (`.to eq "bar"`, `.must_equal 3`): the chain as written,
        // without whitespace, is the matcher and the expected value.
        return format!(
            "{}({}){}",
            callee,
            args.iter().map(|a| squash(a)).collect::<Vec<_>>().join(","),
            squash(rest)
        );
    }
    let gomega = matches!(name, "Expect" | "Ω" | "Eventually" | "Consistently");
    let chain: String = split_chain(rest)
        .into_iter()
        // AssertJ/Chai descriptions are messages.
        .filter(|(m, _)| {
            !matches!(
                m.as_str(),
                "as" | "describedAs" | "withFailMessage" | "overridingErrorMessage"
            )
        })
        .map(|(m, a)| match a {
            // Gomega: `.To(matcher, "message")`: the message is not part of the check
            Some(a) if gomega && GOMEGA_VERBS.contains(&m.as_str()) => {
                format!(
                    ".{m}({})",
                    a.first()
                        .map(|x| squash(unwrap_parens(x)))
                        .unwrap_or_default()
                )
            }
            Some(a) => format!(
                ".{m}({})",
                a.iter()
                    .map(|x| squash(unwrap_parens(x)))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            None => format!(".{m}"),
        })
        .collect();
    format!(
        "{}({}){}",
        callee,
        args.iter()
            .map(|a| squash(unwrap_parens(a)))
            .collect::<Vec<_>>()
            .join(","),
        chain
    )
}

/// A single equality or inequality with its operands in a fixed order: `a == b` and `b == a`
/// are the same check. Anything else comes back squashed as it is.
pub fn symmetric(cond: &str) -> String {
    let cond = unwrap_parens(cond);
    let mut toks = lex(cond);
    // `(a) == (b)`: a parenthesised atom is the atom
    let mut k = 0;
    while k + 2 < toks.len() {
        if let [Tok::Open, Tok::Atom(a), Tok::Close] = &toks[k..k + 3] {
            let a = Tok::Atom(a.clone());
            toks.splice(k..k + 3, [a]);
        } else {
            k += 1;
        }
    }
    if let [Tok::Atom(a), Tok::Cmp(op), Tok::Atom(b)] = toks.as_slice() {
        let (a, b) = (squash(unwrap_parens(a)), squash(unwrap_parens(b)));
        let (x, y) = if a <= b { (a, b) } else { (b, a) };
        return format!("{x}{op}{y}");
    }
    squash(cond)
}

/// The top-level conjuncts of a (squashed) condition: `a and b`, `a && b` → [a, b], each in
/// its [`symmetric`] form.
pub fn conjuncts(cond: &str) -> Vec<String> {
    let b = cond.as_bytes();
    let (mut depth, mut i, mut start) = (0i32, 0usize, 0usize);
    let mut out = Vec::new();
    while i < b.len() {
        match b[i] {
            c @ (b'"' | b'\'' | b'`') => {
                i += 1;
                while i < b.len() && b[i] != c {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth -= 1,
            _ if depth == 0 && b[i..].starts_with(b"&&") => {
                out.push(symmetric(&cond[start..i]));
                start = i + 2;
                i += 1;
            }
            _ if depth == 0
                && b[i..].starts_with(b"and")
                && !(i > 0
                    && (b[i - 1].is_ascii_alphanumeric()
                        || b[i - 1] >= 0x80
                        || b[i - 1] == b'_'))
                && !b
                    .get(i + 3)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c >= 0x80 || *c == b'_') =>
            {
                out.push(symmetric(cond[start..i].trim()));
                start = i + 3;
                i += 2;
            }
            _ => {}
        }
        i += 1;
    }
    out.push(symmetric(cond[start.min(cond.len())..].trim()));
    out
}

/// Whether a call chain passes an argument without parentheses (`.to eq 1`): whitespace
/// outside brackets and string literals followed by more text.
fn has_command_call(rest: &str) -> bool {
    let t = rest.trim();
    let (mut depth, mut quote) = (0i32, None::<char>);
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                if c == '\\' {
                    chars.next();
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                '"' | '\'' | '`' => quote = Some(c),
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => depth -= 1,
                c if c.is_whitespace() && depth == 0 => {
                    return chars
                        .peek()
                        .is_some_and(|n| !n.is_whitespace() && *n != '/');
                }
                _ => {}
            },
        }
    }
    false
}

// ---------------------------------------------------------------------------------------
// Exception checks.

const BROAD_EXCEPTIONS: &[&str] = &[
    "Exception",
    "BaseException",
    "Throwable",
    "Error",
    "RuntimeException",
    "StandardError",
    "object",
    "Any",
    "anyhow::Error",
    "Box<dyn Error>",
];

/// Whether `t` names a catch-all exception type.
pub fn is_broad_exception(t: &str) -> bool {
    let t = t.trim_end_matches(".class").trim_end_matches("::class");
    let last = t.rsplit('.').next().unwrap_or(t);
    BROAD_EXCEPTIONS.contains(&t) || BROAD_EXCEPTIONS.contains(&last)
}

/// The exception an exception check expects, if the text is one.
pub fn raises_of(text: &str) -> Option<Raises> {
    let t = text.trim();
    let types_of = |arg: Option<&String>| -> Vec<String> {
        match arg {
            None => Vec::new(),
            Some(a) if is_string_literal(a) || a.starts_with('/') => Vec::new(),
            Some(a) => {
                let a = a.trim().trim_start_matches('(').trim_end_matches(')');
                split_args(a)
                    .into_iter()
                    .map(|x| squash(&x).trim_end_matches(".class").to_string())
                    .filter(|x| !x.is_empty())
                    .collect()
            }
        }
    };
    if t.contains("should_panic") {
        return Some(Raises {
            types: Vec::new(),
            detail: t.contains("expected"),
        });
    }
    // Python: pytest.raises(X, match=...), self.assertRaises(X), assertRaisesRegex(X, p).
    for head in [
        "pytest.raises",
        "assertRaisesRegex",
        "assertRaisesRegexp",
        "assertRaises",
        "assertThrows",
        "assertThatExceptionOfType",
        "assertThrowsExactly",
        "assert_raises",
    ] {
        if let Some(pos) = t.find(head)
            && let Some((_, args, rest)) = split_call(&t[pos..])
        {
            let detail = head.contains("Regex")
                || args.iter().skip(1).any(|a| a.starts_with("match"))
                || rest.contains("withMessage")
                || rest.contains("hasMessage");
            return Some(Raises {
                types: types_of(args.first()),
                detail,
            });
        }
        // Ruby's paren-less `assert_raises X, Y do … end` / `assert_raises X { … }`.
        if head == "assert_raises"
            && let Some(pos) = t.find("assert_raises ")
        {
            let rest = t[pos + head.len()..].lines().next().unwrap_or("").trim();
            let rest = rest.strip_suffix(" do").unwrap_or(rest);
            let rest = rest.split(['{', '#']).next().unwrap_or(rest).trim();
            let types = split_args(rest)
                .into_iter()
                .filter(|x| !is_string_literal(x))
                .map(|x| squash(&x))
                .filter(|x| !x.is_empty())
                .collect();
            return Some(Raises {
                types,
                detail: false,
            });
        }
    }
    // Kotlin/C# generic forms: assertFailsWith<X> { … }, assertThrows<X> { … },
    // shouldThrow<X> { … }, Assert.Throws<X>(…), Assert.ThrowsAsync<X>(…)
    for head in [
        "assertFailsWith<",
        "assertThrows<",
        "shouldThrow<",
        "shouldThrowExactly<",
        "Assert.Throws<",
        "Assert.ThrowsAsync<",
        "Assert.ThrowsAny<",
        "Assert.ThrowsAnyAsync<",
        "Should.Throw<",
        "Should.ThrowAsync<",
        ".ShouldThrow<",
        ".ShouldThrowAsync<",
    ] {
        if let Some(pos) = t.find(head) {
            let rest = &t[pos + head.len()..];
            let ty = rest.split('>').next().unwrap_or("").trim();
            let types = if ty.is_empty() {
                Vec::new()
            } else {
                vec![squash(ty)]
            };
            return Some(Raises {
                types,
                detail: rest.contains("message") || rest.contains("Message"),
            });
        }
    }
    // AssertJ: assertThatThrownBy(...).isInstanceOf(X.class).hasMessage(..)
    if t.starts_with("assertThatThrownBy") || t.starts_with("assertThatCode") {
        let (_, _, rest) = split_call(t)?;
        let chain = split_chain(rest);
        let ty = chain
            .iter()
            .find(|(m, _)| m.starts_with("isInstanceOf") || m.starts_with("isExactlyInstanceOf"))
            .and_then(|(_, a)| a.as_ref())
            .map(|a| types_of(a.first()))
            .unwrap_or_default();
        let detail = chain.iter().any(|(m, _)| m.starts_with("hasMessage"));
        return Some(Raises { types: ty, detail });
    }
    // JS: expect(f).toThrow(X) / .toThrowError(/re/) / .rejects.toThrow()
    if let Some((c, _, rest)) = split_call(t)
        && c == "expect"
    {
        let chain = split_chain(rest);
        if let Some((_, args)) = chain.iter().find(|(m, _)| m.starts_with("toThrow")) {
            let args = args.clone().unwrap_or_default();
            let detail = args
                .iter()
                .any(|a| is_string_literal(a) || a.starts_with('/'));
            return Some(Raises {
                types: types_of(args.first()),
                detail,
            });
        }
    }
    // testify: assert.ErrorIs(t, err, X) is specific, assert.Error(t, err) accepts any.
    if let Some((c, args, _)) = split_call(t)
        && (c.starts_with("assert.") || c.starts_with("require."))
    {
        match last_segment(c) {
            "ErrorIs" | "ErrorAs" => {
                return Some(Raises {
                    types: types_of(args.get(2)),
                    detail: false,
                });
            }
            "EqualError" | "ErrorContains" => {
                return Some(Raises {
                    types: vec!["error".into()],
                    detail: true,
                });
            }
            "Error" => {
                return Some(Raises {
                    types: Vec::new(),
                    detail: false,
                });
            }
            _ => {}
        }
    }
    None
}

/// Whether `new` accepts failures `old` rejected: fewer constraints on the exception.
pub fn raises_broadened(old: &Raises, new: &Raises) -> bool {
    let specific =
        |r: &Raises| !r.types.is_empty() && !r.types.iter().any(|t| is_broad_exception(t));
    if specific(old) && !specific(new) {
        return true;
    }
    if specific(old)
        && specific(new)
        && new.types.len() > old.types.len()
        && old.types.iter().all(|t| new.types.contains(t))
    {
        return true;
    }
    if !old.types.is_empty() && new.types.is_empty() && !new.detail {
        return true;
    }
    old.detail && !new.detail && (new.types == old.types || new.types.is_empty())
}

// ---------------------------------------------------------------------------------------
// Constant folding.

/// What a boolean expression is known to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fold {
    Known(bool),
    /// Not known; the normalised text and whether the expression is a negation of it.
    Unknown(String, bool),
}

/// Whether the check compares an expression with itself (calls included: as a replacement
/// for a real check, `expect(f(x)).toEqual(f(x))` checks nothing).
/// An NUnit/xUnit truth check read as (expected truth, condition): `Assert.IsTrue(c)`,
/// `Assert.True(c)`, `Assert.That(c)`, `Assert.That(c, Is.True)` and their false forms.
pub fn truth_check(text: &str) -> Option<(bool, String)> {
    let t = strip_lead(text.trim()).trim_end_matches(';').trim_end();
    let (callee, args, rest) = split_call(t)?;
    if !rest.trim().is_empty() {
        return None;
    }
    let callee = callee.strip_prefix("Classic").unwrap_or(callee);
    let want = match (callee, args.len()) {
        ("Assert.IsTrue" | "Assert.True", 1) | ("Assert.That", 1) => true,
        ("Assert.IsFalse" | "Assert.False", 1) => false,
        ("Assert.That", 2) => match squash(&args[1]).as_str() {
            "Is.True" => true,
            "Is.False" => false,
            _ => return None,
        },
        _ => return None,
    };
    Some((want, squash(unwrap_parens(&args[0]))))
}

pub fn self_comparison(text: &str) -> bool {
    if let Some((_, a, b)) = equality(text)
        && a == b
    {
        return true;
    }
    let pair = |a: &str, b: &str| squash(a) == squash(b) && !a.trim().is_empty();
    let split_eq = |cond: &str| {
        [" === ", " == ", " is "]
            .iter()
            .any(|op| cond.split_once(op).is_some_and(|(a, b)| pair(a, b)))
    };
    if let Some(rest) = text.strip_prefix("assert ") {
        let cond = split_args(rest).into_iter().next().unwrap_or_default();
        return split_eq(&cond);
    }
    let Some((callee, args, rest)) = split_call(text) else {
        return false;
    };
    let name = last_segment(callee);
    if matches!(name, "expect" | "assertThat") {
        return split_chain(rest).iter().any(|(m, a)| {
            matches!(
                m.as_str(),
                "toBe" | "toEqual" | "toStrictEqual" | "isEqualTo" | "isSameAs"
            ) && a
                .as_ref()
                .and_then(|a| a.first())
                .is_some_and(|b| args.first().is_some_and(|s| pair(s, b)))
        });
    }
    let args: Vec<&String> = args.iter().filter(|a| *a != "t").collect();
    let eq_callee = matches!(
        name,
        "assert_eq"
            | "assertEqual"
            | "assertEquals"
            | "Equal"
            | "equal"
            | "strictEqual"
            | "deepEqual"
            | "assertSame"
    );
    if eq_callee && args.len() >= 2 {
        return pair(args[0], args[1]);
    }
    matches!(name, "assert" | "assertTrue" | "True" | "ok")
        && args.first().is_some_and(|c| split_eq(c))
}

/// Why an assertion always passes, if it does.
pub fn tautology(text: &str) -> Option<&'static str> {
    if let Some(rest) = text.strip_prefix("assert ") {
        let args = split_args(rest);
        let cond = args.first()?.trim();
        // `assert (x, "message")`: a non-empty tuple, always true.
        if cond.starts_with('(')
            && matching_paren(cond) == Some(cond.len() - 1)
            && (split_args(&cond[1..cond.len() - 1]).len() >= 2
                || cond[1..cond.len() - 1].trim_end().ends_with(','))
        {
            return Some("it asserts a tuple, which is always true");
        }
        return (fold(cond) == Fold::Known(true))
            .then_some("the asserted condition is always true");
    }
    if let Some(why) = receiver_tautology(text) {
        return Some(why);
    }
    if let Some(why) = gomega_tautology(text) {
        return Some(why);
    }
    let (callee, args, rest) = split_call(text)?;
    let name = last_segment(callee);
    let testify = callee.starts_with("assert.") || callee.starts_with("require.");
    let args: Vec<&String> = args
        .iter()
        .skip(usize::from(
            testify && args.first().is_some_and(|a| a == "t"),
        ))
        .collect();
    let chain = split_chain(rest);
    let negated = chain
        .iter()
        .filter(|(m, a)| m == "not" && a.is_none())
        .count()
        % 2
        == 1;
    let want = |v: bool| if negated { !v } else { v };
    let same = same_value;
    let first = args.first().map(|s| s.as_str());
    // Matchers on a subject: expect(x).toBe(y), assertThat(x).isEqualTo(y).
    if matches!(name, "expect" | "assertThat") {
        let subject = first?;
        let (m, margs) = chain.iter().rfind(|(m, _)| m != "not")?;
        let marg = margs.as_ref().and_then(|a| a.first()).map(String::as_str);
        return match (m.as_str(), marg) {
            ("toBeTruthy" | "toBeTrue" | "isTrue", _) => (fold(subject) == Fold::Known(want(true)))
                .then_some("the subject is a constant that satisfies it"),
            ("toBeFalsy" | "toBeFalse" | "isFalse", _) => (fold(subject)
                == Fold::Known(want(false)))
            .then_some("the subject is a constant that satisfies it"),
            (
                "toBe" | "toEqual" | "toStrictEqual" | "isEqualTo" | "isSameAs" | "eq" | "equal",
                Some(b),
            ) if !negated && same(subject, b) => Some("it compares a value with itself"),
            _ => None,
        };
    }
    match name {
        "assert" | "debug_assert" | "assertTrue" | "assert_true" | "ok" | "True" | "XCTAssert"
        | "XCTAssertTrue" | "isTrue" => {
            (fold(first?) == Fold::Known(true)).then_some("the asserted condition is always true")
        }
        "assertFalse" | "assert_false" | "False" | "XCTAssertFalse" | "isFalse" => {
            (fold(first?) == Fold::Known(false)).then_some("the asserted condition is always false")
        }
        "assert_eq" | "debug_assert_eq" | "assertEqual" | "assertEquals" | "Equal"
        | "EqualValues" | "equal" | "strictEqual" | "deepEqual" | "deepStrictEqual"
        | "assertSame" | "assertIs" | "Same" | "XCTAssertEqual" | "AreEqual" => {
            let (a, b) = (args.first()?, args.get(1)?);
            same(a, b).then_some("it compares a value with itself")
        }
        _ => None,
    }
}

/// A matcher called on the checked value (Shouldly `x.ShouldBe(y)`, FluentAssertions
/// `x.Should().Be(y)`): the receiver with earlier matchers of the chain dropped
/// (`x.ShouldNotBeNull().ShouldBe(2)` checks `x`), the last matcher's name without its
/// `Should` prefix, and its arguments.
pub fn receiver_matcher(text: &str) -> Option<(String, String, Vec<String>)> {
    let t = text.trim().trim_end_matches(';').trim_end();
    let t = strip_lead(t);
    // Kotest spells the same matchers infix (`x shouldBe y`) or as calls (`x.shouldBe(y)`):
    // read both as the Shouldly form.
    let kotest = kotest_as_shouldly(t);
    let t = kotest.as_deref().unwrap_or(t);
    let shouldly_at = |t: &str| -> Vec<usize> {
        t.match_indices(".Should")
            .filter(|(i, _)| {
                t[i + ".Should".len()..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_uppercase())
            })
            .map(|(i, _)| i)
            .collect()
    };
    let (recv, call) = if let Some(at) = t.rfind(".Should().") {
        (&t[..at], &t[at + ".Should().".len()..])
    } else {
        let at = *shouldly_at(t).last()?;
        (&t[..at], &t[at + 1..])
    };
    let mut recv = recv.trim();
    // Earlier matchers in the same chain check the same value.
    while let Some(&at) = shouldly_at(recv).first() {
        recv = recv[..at].trim_end();
    }
    if let Some(at) = recv.find(".Should()") {
        recv = recv[..at].trim_end();
    }
    if recv.is_empty() {
        return None;
    }
    let (method, args, _) = split_call(call)?;
    Some((
        recv.to_string(),
        method.trim_start_matches("Should").to_string(),
        args,
    ))
}

/// How strictly an equality check compares (weakest first): loose (`==`, node's
/// `assert.equal`, Gomega's `BeEquivalentTo`), strict (`assertEqual`, `toEqual`, `Equal`),
/// identity (`assertSame`, `toBe`, `isSameAs`, `BeIdenticalTo`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EqualityKind {
    Loose,
    Strict,
    Identity,
}

/// The value a definedness or no-throw check is about: `refute is_nil(x)`,
/// `XCTAssertNotNil(x)`, `assertNotNull(x)`, `EXPECT_NO_THROW((void)(x))` → `x` (squashed).
/// Only such wrappers are unwrapped, so `x` keeps its own calls.
pub fn definedness_subject(text: &str) -> Option<String> {
    // checks that pass when the value is there (or does not throw)
    const PRESENT: &[&str] = &[
        "isNotNull",
        "notNull",
        "NotNull",
        "NotNil",
        "isDefined",
        "XCTAssertNotNil",
        "XCTAssertNoThrow",
        "assertNotNull",
        "assertIsNotNone",
        "assert_not_nil",
        "refute_nil",
        "EXPECT_NO_THROW",
        "ASSERT_NO_THROW",
        "assertDoesNotThrow",
        "EXPECT_TRUE",
        "ASSERT_TRUE",
    ];
    // predicates that hold when it is missing: only under a negation (`refute is_nil(x)`)
    const MISSING: &[&str] = &["is_nil", "isNil", "is_none", "isNone", "isNull", "is_null"];
    let mut t = text.trim().trim_end_matches(';').trim().to_string();
    let mut negated = false;
    for (p, neg) in [
        ("refute ", true),
        ("assert not ", true),
        ("assert !", true),
        ("assert ", false),
    ] {
        if let Some(r) = t.strip_prefix(p) {
            t = r.trim().to_string();
            negated = neg;
            break;
        }
    }
    let mut unwrapped = false;
    while let Some((callee, args, rest)) = split_call(&t) {
        let name = last_segment(callee);
        let wraps = PRESENT.contains(&name) || (negated && MISSING.contains(&name));
        if !wraps || args.len() != 1 || !rest.trim().is_empty() {
            break;
        }
        negated &= !MISSING.contains(&name);
        let arg = args[0].trim();
        // a cast to `void` (`(void)(x)`) only silences an unused value
        let arg = arg.strip_prefix("(void)").unwrap_or(arg).trim();
        let next = unwrap_parens(arg).to_string();
        t = next;
        unwrapped = true;
    }
    unwrapped.then(|| squash(&t))
}

/// Whether the brackets of an expression (outside strings) balance.
fn balanced_parens(e: &str) -> bool {
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for c in e.chars() {
        match quote {
            Some(q) => {
                if c == q && prev != '\\' {
                    quote = None;
                }
            }
            None => match c {
                '"' | '\'' | '`' => quote = Some(c),
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => {
                    depth -= 1;
                    if depth < 0 {
                        return false;
                    }
                }
                _ => {}
            },
        }
        prev = c;
    }
    depth == 0 && quote.is_none()
}

/// An exact equality check as (how strict, its two operands in a fixed order), whatever the
/// framework spells it: `assertEqual(a, b)`, `assert a == b`, `expect(a).toEqual(b)`,
/// `assertThat(a).isEqualTo(b)` (also behind other matchers of the chain), `a.ShouldBe(b)`,
/// `Assert.Equal(b, a)`, `$this->assertSame(b, a)`, `Expect(a).To(Equal(b))`,
/// `EXPECT_EQ(b, a)` / `ASSERT_EQ(a, b)` (GoogleTest; fatal or not, the same check), Dart
/// `expect(a, equals(b))`, busted `assert.are.equal(b, a)`, testthat `expect_equal(a, b)`,
/// Test::More `is($a, $b)`, Julia `@test a == b`. Swapping the
/// operands or changing the spelling keeps the check; changing the kind does not.
pub fn equality(text: &str) -> Option<(EqualityKind, String, String)> {
    use EqualityKind::*;
    let pair = |kind: EqualityKind, a: &str, b: &str| {
        let (a, b) = (squash(unwrap_parens(a)), squash(unwrap_parens(b)));
        if a.is_empty() || b.is_empty() {
            return None;
        }
        Some(if a <= b { (kind, a, b) } else { (kind, b, a) })
    };
    let t = strip_lead(text.trim());
    // Julia's `@test a == b` reads like Python's `assert a == b`
    if let Some(rest) = t
        .strip_prefix("assert ")
        .or_else(|| t.strip_prefix("@test "))
    {
        let cond = split_args(rest).into_iter().next()?;
        let (a, b) = cond.split_once(" == ")?;
        if b.contains(" == ")
            || [" and ", " or ", "&&", "||"]
                .iter()
                .any(|w| cond.contains(w))
        {
            return None;
        }
        return pair(Strict, a, b);
    }
    if let Some((recv, method, args)) = receiver_matcher(t) {
        // `x.ShouldBe(2.0, 0.01)`, kotest `x shouldBe (2.0 plusOrMinus 0.01)`: a tolerance,
        // not a plain equality
        if args.get(1).is_some_and(|a| number(a).is_some())
            || args.first().is_some_and(|a| a.contains("plusOrMinus"))
        {
            return None;
        }
        let kind = match method.as_str() {
            "Be" | "Equal" => Strict,
            "BeEquivalentTo" => Loose,
            "BeSameAs" | "BeSameInstanceAs" => Identity,
            _ => return None,
        };
        return pair(kind, &recv, args.first()?);
    }
    let (callee, args, rest) = split_call(t)?;
    let name = last_segment(callee);
    // a truth check of one top-level `==` (`assert(a == b)`, `XCTAssert(a == b)`,
    // `CHECK(a == b)`, `EXPECT_TRUE(a == b)`) is that equality
    if matches!(
        name,
        "assert"
            | "XCTAssert"
            | "XCTAssertTrue"
            | "CHECK"
            | "REQUIRE"
            | "EXPECT_TRUE"
            | "ASSERT_TRUE"
            | "assertTrue"
    ) && rest.trim().trim_end_matches(';').is_empty()
        && let Some(cond) = args.first()
        && let Some((a, b)) = cond.split_once(" == ")
        && !b.contains(" == ")
        && !["&&", "||", " and ", " or "]
            .iter()
            .any(|w| cond.contains(w))
        && balanced_parens(a)
        && balanced_parens(b)
    {
        return pair(Strict, a, b);
    }
    if callee == "Assert.That" || callee == "ClassicAssert.That" {
        // NUnit constraints: `Assert.That(actual, Is.EqualTo(expected))`; `.Within(d)` is a
        // tolerance, `Is.Not…` no equality.
        let constraint = args.get(1)?;
        let (m, m_args, m_rest) = split_call(constraint)?;
        if !m_rest.trim().is_empty() {
            return None;
        }
        let kind = match m {
            "Is.EqualTo" => Strict,
            "Is.SameAs" => Identity,
            "Is.EquivalentTo" => Loose,
            _ => return None,
        };
        return pair(kind, args.first()?, m_args.first()?);
    }
    if matches!(name, "Expect" | "Ω") {
        // Gomega: `Expect(a).To(Equal(b))`, `.Should(BeEquivalentTo(b))`
        let chain = split_chain(rest);
        let (verb, margs) = chain.first()?;
        if !matches!(verb.as_str(), "To" | "Should") {
            return None;
        }
        let (matcher, m_args, _) = split_call(margs.as_ref()?.first()?)?;
        let kind = match matcher {
            "Equal" => Strict,
            "BeEquivalentTo" => Loose,
            "BeIdenticalTo" => Identity,
            _ => return None,
        };
        return pair(kind, args.first()?, m_args.first()?);
    }
    // Dart's `expect(actual, expected)` / `expect(actual, equals(expected))`: a matcher
    // argument (`isNotNull`, `contains(x)`, `closeTo(a, b)`) is not a plain equality
    if name == "expect" && args.len() >= 2 && split_chain(rest).is_empty() {
        let expected = args[1].trim();
        // a matcher is a bare lower-case function (`equals(x)`, `contains(x)`); a method or
        // constructor call (`context.join(a)`, `Foo(1)`) is the expected value itself
        if let Some((m, m_args, m_rest)) = split_call(expected)
            && m_rest.trim().is_empty()
            && !m.contains('.')
            && m.starts_with(|c: char| c.is_ascii_lowercase())
        {
            return match m {
                "equals" => pair(Strict, &args[0], m_args.first()?),
                "same" => pair(Identity, &args[0], m_args.first()?),
                _ => None,
            };
        }
        // `isTrue`/`isFalse`/`isNull` match exactly that value
        let expected = match expected {
            "isTrue" => "true",
            "isFalse" => "false",
            "isNull" => "null",
            e => e,
        };
        let matcher = expected.starts_with(|c: char| c.is_ascii_lowercase())
            && expected.chars().all(|c| c.is_alphanumeric() || c == '_')
            && (expected.starts_with("is") || expected == "anything");
        return (!matcher)
            .then(|| pair(Strict, &args[0], expected))
            .flatten();
    }
    if matches!(name, "expect" | "assertThat" | "then") {
        let chain = split_chain(rest);
        if chain.iter().any(|(m, _)| m == "not") {
            return None;
        }
        let (m, margs) = chain.iter().rfind(|(m, _)| {
            matches!(
                m.as_str(),
                "toEqual" | "toStrictEqual" | "isEqualTo" | "toBe" | "isSameAs"
            )
        })?;
        let kind = if matches!(m.as_str(), "toBe" | "isSameAs") {
            Identity
        } else {
            Strict
        };
        return pair(kind, args.first()?, margs.as_ref()?.first()?);
    }
    let node_assert = callee == "assert.equal" || callee == "assert.deepEqual";
    let kind = match name {
        _ if node_assert => Loose,
        "assertEqual" | "assertEquals" | "Equal" | "AreEqual" | "assert_eq" | "equal"
        | "strictEqual" | "deepEqual" | "deepStrictEqual" | "assert_equal" | "XCTAssertEqual"
        | "EXPECT_EQ" | "ASSERT_EQ" | "EXPECT_STREQ" | "ASSERT_STREQ" | "CHECK_EQ"
        | "REQUIRE_EQ" | "equals" | "expect_equal" | "expect_identical" | "is" | "is_deeply"
        | "assertNoDiff" | "expectEqual" => Strict,
        "assertSame" | "Same" | "AreSame" | "assert_same" => Identity,
        _ => return None,
    };
    let testify = callee.starts_with("assert.") || callee.starts_with("require.");
    let args: Vec<&String> = args
        .iter()
        .skip(usize::from(
            testify && args.first().is_some_and(|a| a == "t"),
        ))
        .collect();
    // a third argument that is a number, or a named tolerance (`accuracy: 0.1`), is a
    // tolerance: not a plain equality
    if args.get(2).is_some_and(|a| number(a).is_some())
        || super::assertions::tolerance(text).is_some()
    {
        return None;
    }
    pair(kind, args.first()?, args.get(1)?)
}

/// Gomega on a constant: `Expect(true).To(BeTrue())`, `Expect(true || x).Should(BeTrue())`,
/// `Expect(1).To(Equal(1))`, `Expect(nil).To(BeNil())`.
fn gomega_tautology(text: &str) -> Option<&'static str> {
    let (callee, args, rest) = split_call(strip_lead(text.trim()))?;
    if !matches!(callee, "Expect" | "Ω") {
        return None;
    }
    let subject = args.first()?;
    let chain = split_chain(rest);
    let (verb, margs) = chain.first()?;
    let positive = match verb.as_str() {
        "To" | "Should" => true,
        "ToNot" | "NotTo" | "ShouldNot" => false,
        _ => return None,
    };
    let (matcher, m_args, _) = split_call(margs.as_ref()?.first()?)?;
    let holds = match (matcher, positive) {
        ("BeTrue", true) | ("BeFalse", false) => fold(subject) == Fold::Known(true),
        ("BeFalse", true) | ("BeTrue", false) => fold(subject) == Fold::Known(false),
        ("Equal" | "BeEquivalentTo", true) => {
            m_args.first().is_some_and(|b| same_value(subject, b))
        }
        ("BeNil", true) => matches!(subject.trim(), "nil"),
        ("BeNil", false) => literal(subject).is_some(),
        _ => false,
    };
    holds.then_some("the checked value is a constant that satisfies the matcher")
}

/// Two operands that are the same value: the same call-free expression, constants that fold
/// alike, or equal literals.
fn same_value(a: &str, b: &str) -> bool {
    let (fa, fb) = (fold(a), fold(b));
    (squash(a) == squash(b) && pure(a))
        || matches!((&fa, &fb), (Fold::Known(x), Fold::Known(y)) if x == y)
        || (literal(a).is_some() && literal(a) == literal(b))
}

/// Matchers called on the checked value itself (Shouldly `x.ShouldBe(y)`, FluentAssertions
/// `x.Should().Be(y)`): always true when the receiver is a constant that satisfies the matcher
/// or the expected value is the receiver.
/// A Kotest matcher statement rewritten as `recv.ShouldX(args)`: `a shouldBe b` (infix, at
/// the top level of the statement, outside strings) or `a.shouldBe(b)`; None otherwise.
fn kotest_as_shouldly(t: &str) -> Option<String> {
    let bytes = t.as_bytes();
    let (mut depth, mut quote) = (0i32, None::<u8>);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if let Some(q) = quote {
            if b == b'\\' {
                i += 1;
            } else if b == q {
                quote = None;
            }
        } else {
            match b {
                b'"' | b'\'' => quote = Some(b),
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => depth -= 1,
                b' ' | b'.' if depth == 0 && t[i + 1..].starts_with("should") => {
                    let rest = &t[i + 1 + "should".len()..];
                    let name_len = rest
                        .find(|c: char| !c.is_alphanumeric() && c != '_')
                        .unwrap_or(rest.len());
                    let name = &rest[..name_len];
                    let after = &rest[name_len..];
                    if name.starts_with(|c: char| c.is_ascii_uppercase()) && i > 0 {
                        let recv = t[..i].trim_end();
                        return if b == b'.' {
                            after
                                .starts_with(['(', '<'])
                                .then(|| format!("{recv}.Should{name}{after}"))
                        } else {
                            let arg = after.trim();
                            (!arg.is_empty() && after.starts_with(' '))
                                .then(|| format!("{recv}.Should{name}({arg})"))
                        };
                    }
                }
                _ => {}
            }
        }
        i += 1;
    }
    None
}

fn receiver_tautology(text: &str) -> Option<&'static str> {
    let (recv, method, args) = receiver_matcher(text)?;
    let recv = recv.as_str();
    let arg = args.first().map(String::as_str);
    let constant = |want: bool| fold(recv) == Fold::Known(want);
    let ordered = |op: fn(f64, f64) -> bool| matches!((number(&squash(recv)), arg.and_then(|a| number(&squash(a)))), (Some(a), Some(b)) if op(a, b));
    let holds = match method.as_str() {
        "BeTrue" => constant(true),
        "BeFalse" => constant(false),
        "Be" | "Equal" | "BeSameAs" | "BeSameInstanceAs" | "BeEquivalentTo" => {
            arg.is_some_and(|a| same_value(recv, a))
        }
        "BeLessThan" => ordered(|a, b| a < b),
        "BeLessThanOrEqualTo" => ordered(|a, b| a <= b),
        "BeGreaterThan" => ordered(|a, b| a > b),
        "BeGreaterThanOrEqualTo" => ordered(|a, b| a >= b),
        "NotBeNull" | "NotBeNullOrEmpty" => literal(recv).is_some(),
        _ => false,
    };
    holds.then_some("the checked value is a constant or the expected value itself")
}

/// An expression without calls: comparing it with itself says nothing. (`f(x) == f(x)` may
/// test an `Eq` implementation or determinism, so calls are not folded.)
fn pure(a: &str) -> bool {
    !a.contains('(') || a.starts_with('(') && !a[1..].contains('(')
}

fn literal(a: &str) -> Option<String> {
    let s = squash(a);
    let num = number(&s).map(|v| format!("n{v}"));
    num.or_else(|| is_string_literal(&s).then(|| format!("s{}", s.trim_matches(['"', '\'', '`']))))
}

/// Fold a boolean expression of any of the supported languages.
pub fn fold(expr: &str) -> Fold {
    fold_at(expr, 0)
}

fn fold_at(expr: &str, depth: usize) -> Fold {
    // A conditional expression whose condition is a constant is the branch it picks:
    // `x if False else True`, `false ? x : true`.
    if depth < MAX_DEPTH
        && let Some((cond, yes, no)) = conditional(expr)
    {
        return match fold_at(cond, depth + 1) {
            Fold::Known(true) => fold_at(yes, depth + 1),
            Fold::Known(false) => fold_at(no, depth + 1),
            Fold::Unknown(..) => match (fold_at(yes, depth + 1), fold_at(no, depth + 1)) {
                (Fold::Known(a), Fold::Known(b)) if a == b => Fold::Known(a),
                _ => Fold::Unknown(squash(expr), false),
            },
        };
    }
    let toks = lex(expr);
    let mut p = FoldParser {
        toks,
        pos: 0,
        depth: 0,
    };
    let v = p.or();
    if p.pos < p.toks.len() {
        return Fold::Unknown(squash(expr), false);
    }
    v
}

/// Split a top-level conditional expression into (condition, then, else): Python
/// `a if c else b` or C-family `c ? a : b` (optional chaining `?.` and `??` are not it).
fn conditional(expr: &str) -> Option<(&str, &str, &str)> {
    let e = expr.trim();
    let e = if e.starts_with('(') && matching_paren(e) == Some(e.len() - 1) {
        &e[1..e.len() - 1]
    } else {
        e
    };
    let b = e.as_bytes();
    let (mut depth, mut i) = (0i32, 0usize);
    let (mut py_if, mut py_else, mut q, mut colon) = (None, None, None, None);
    let word_at = |i: usize, w: &str| {
        b[i..].starts_with(w.as_bytes())
            && i > 0
            && b[i - 1].is_ascii_whitespace()
            && b.get(i + w.len()).is_some_and(|c| c.is_ascii_whitespace())
    };
    while i < b.len() {
        match b[i] {
            c @ (b'"' | b'\'' | b'`') => {
                i += 1;
                while i < b.len() && b[i] != c {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth -= 1,
            b'?' if depth == 0
                && q.is_none()
                && !matches!(b.get(i + 1), Some(b'.' | b'?'))
                && (i == 0 || b[i - 1] != b'?') =>
            {
                q = Some(i)
            }
            b':' if depth == 0
                && q.is_some()
                && colon.is_none()
                && b.get(i + 1) != Some(&b':')
                && b[i - 1] != b':' =>
            {
                colon = Some(i)
            }
            _ if depth == 0 && py_if.is_none() && word_at(i, "if") => py_if = Some(i),
            _ if depth == 0 && py_if.is_some() && py_else.is_none() && word_at(i, "else") => {
                py_else = Some(i)
            }
            _ => {}
        }
        i += 1;
    }
    if let (Some(a), Some(z)) = (py_if, py_else) {
        return Some((&e[a + 2..z], &e[..a], &e[z + 4..]));
    }
    if let (Some(a), Some(z)) = (q, colon) {
        return Some((&e[..a], &e[a + 1..z], &e[z + 1..]));
    }
    None
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Or,
    And,
    Not,
    Cmp(&'static str),
    Open,
    Close,
    Atom(String),
}

fn lex(expr: &str) -> Vec<Tok> {
    let b = expr.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    // Byte-wise: `i` may sit inside a multi-byte character while an atom is scanned.
    let word_at = |i: usize, w: &str| {
        b[i..].starts_with(w.as_bytes())
            && !b
                .get(i + w.len())
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c >= 0x80 || *c == b'_')
            && (i == 0
                || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_' || b[i - 1] == b'.'))
    };
    while i < b.len() {
        let c = b[i];
        let rest = &expr[i..];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if rest.starts_with("||") {
            out.push(Tok::Or);
            i += 2;
        } else if rest.starts_with("&&") {
            out.push(Tok::And);
            i += 2;
        } else if word_at(i, "or") {
            out.push(Tok::Or);
            i += 2;
        } else if word_at(i, "and") {
            out.push(Tok::And);
            i += 3;
        } else if word_at(i, "is") && expr[i + 2..].trim_start().starts_with("not ") {
            out.push(Tok::Cmp("!="));
            i += 2;
            i += expr[i..].len() - expr[i..].trim_start().len() + 3;
        } else if word_at(i, "is") {
            out.push(Tok::Cmp("=="));
            i += 2;
        } else if word_at(i, "not") {
            out.push(Tok::Not);
            i += 3;
        } else if rest.starts_with("===") || rest.starts_with("!==") {
            out.push(Tok::Cmp(if c == b'=' { "==" } else { "!=" }));
            i += 3;
        } else if rest.starts_with("==") || rest.starts_with("!=") {
            out.push(Tok::Cmp(if c == b'=' { "==" } else { "!=" }));
            i += 2;
        } else if c == b'!' {
            out.push(Tok::Not);
            i += 1;
        } else if c == b'(' {
            out.push(Tok::Open);
            i += 1;
        } else if c == b')' {
            out.push(Tok::Close);
            i += 1;
        } else {
            // An atom: up to the next operator at bracket depth 0 (calls, indexing, strings
            // and comparisons other than ==/!= stay inside it).
            let start = i;
            let mut depth = 0i32;
            while i < b.len() {
                let r = &b[i..];
                let ch = b[i];
                if depth == 0
                    && (r.starts_with(b"||")
                        || r.starts_with(b"&&")
                        || r.starts_with(b"==")
                        || r.starts_with(b"!=")
                        || ch == b')'
                        || (i > start
                            && (word_at(i, "or") || word_at(i, "and") || word_at(i, "is"))))
                {
                    break;
                }
                match ch {
                    b'"' | b'\'' | b'`' => {
                        i += 1;
                        while i < b.len() && b[i] != ch {
                            if b[i] == b'\\' {
                                i += 1;
                            }
                            i += 1;
                        }
                    }
                    b'(' | b'[' | b'{' => depth += 1,
                    b')' | b']' | b'}' => depth -= 1,
                    _ => {}
                }
                i += 1;
            }
            let i_end = i.min(b.len());
            let atom = expr.get(start..i_end).unwrap_or("").trim();
            if atom.is_empty() {
                i = i_end + expr[i_end..].chars().next().map_or(1, char::len_utf8);
                continue;
            }
            out.push(Tok::Atom(atom.to_string()));
            i = i_end;
        }
    }
    out
}

struct FoldParser {
    toks: Vec<Tok>,
    pos: usize,
    /// Nesting depth; past [`MAX_DEPTH`] the rest is opaque (no unbounded recursion).
    depth: usize,
}

/// How deep constant folding, `#[cfg]` evaluation and exit detection recurse.
const MAX_DEPTH: usize = 48;

impl FoldParser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn or(&mut self) -> Fold {
        if self.depth > MAX_DEPTH {
            self.pos = self.toks.len();
            return Fold::Unknown(String::new(), false);
        }
        self.depth += 1;
        let v = self.or_inner();
        self.depth -= 1;
        v
    }

    fn or_inner(&mut self) -> Fold {
        let mut terms = vec![self.and()];
        while self.peek() == Some(&Tok::Or) {
            self.pos += 1;
            terms.push(self.and());
        }
        combine(terms, true)
    }

    fn and(&mut self) -> Fold {
        let mut terms = vec![self.not()];
        while self.peek() == Some(&Tok::And) {
            self.pos += 1;
            terms.push(self.not());
        }
        combine(terms, false)
    }

    fn not(&mut self) -> Fold {
        if self.peek() == Some(&Tok::Not) {
            self.pos += 1;
            if self.depth > MAX_DEPTH {
                self.pos = self.toks.len();
                return Fold::Unknown(String::new(), false);
            }
            self.depth += 1;
            let inner = self.not();
            self.depth -= 1;
            return match inner {
                Fold::Known(v) => Fold::Known(!v),
                Fold::Unknown(t, neg) => Fold::Unknown(t, !neg),
            };
        }
        self.cmp()
    }

    fn cmp(&mut self) -> Fold {
        let (left, ltext) = self.primary();
        if let Some(Tok::Cmp(op)) = self.peek().cloned() {
            self.pos += 1;
            let (right, rtext) = self.primary();
            let eq = if ltext == rtext && !ltext.is_empty() && pure(&ltext) {
                Some(true)
            } else {
                match (&left, &right, literal(&ltext), literal(&rtext)) {
                    (_, _, Some(a), Some(b)) => Some(a == b),
                    (Fold::Known(a), Fold::Known(b), _, _) => Some(a == b),
                    _ => None,
                }
            };
            return match eq {
                Some(e) => Fold::Known(if op == "==" { e } else { !e }),
                None => Fold::Unknown(format!("{ltext}{op}{rtext}"), false),
            };
        }
        left
    }

    /// A parenthesised expression or an atom, with its normalised text.
    fn primary(&mut self) -> (Fold, String) {
        match self.peek().cloned() {
            Some(Tok::Open) => {
                self.pos += 1;
                let start = self.pos;
                let v = self.or();
                let end = self.pos.min(self.toks.len());
                let text = format!("({:?})", &self.toks[start.min(end)..end]);
                if self.peek() == Some(&Tok::Close) {
                    self.pos += 1;
                }
                (v, text)
            }
            Some(Tok::Atom(a)) => {
                self.pos += 1;
                let text = squash(&a);
                (atom_value(&text), text)
            }
            _ => {
                // Stray token (or the end): skip it so parsing always advances.
                if self.pos < self.toks.len() {
                    self.pos += 1;
                }
                (Fold::Unknown(String::new(), false), String::new())
            }
        }
    }
}

fn atom_value(a: &str) -> Fold {
    match a {
        "true" | "True" => Fold::Known(true),
        "false" | "False" | "None" | "null" | "nil" | "undefined" => Fold::Known(false),
        _ => {
            if let Some(v) = number(a) {
                return Fold::Known(v != 0.0);
            }
            // A comparison of two number literals (`1 > 0`, `2 <= 1`).
            for op in ["<=", ">=", "<", ">"] {
                if let Some((l, r)) = a.split_once(op)
                    && let (Some(l), Some(r)) = (number(l), number(r))
                {
                    return Fold::Known(match op {
                        "<=" => l <= r,
                        ">=" => l >= r,
                        "<" => l < r,
                        _ => l > r,
                    });
                }
            }
            // A non-empty array or list literal is truthy (JS, Python, Ruby).
            if a.len() > 2 && a.starts_with('[') && matching_paren(a) == Some(a.len() - 1) {
                return Fold::Known(true);
            }
            if is_string_literal(a) && !a.starts_with('`') && !a.contains('{') {
                let inner = a.trim_start_matches(['f', 'r', 'b', 'u', 'R', 'B', 'F', 'U']);
                return Fold::Known(inner.len() > 2);
            }
            Fold::Unknown(a.to_string(), false)
        }
    }
}

/// Fold a disjunction (`or`) or conjunction of terms, recognising `x || !x` and `x && !x`.
fn combine(terms: Vec<Fold>, or: bool) -> Fold {
    if terms.len() == 1 {
        return terms
            .into_iter()
            .next()
            .unwrap_or(Fold::Unknown(String::new(), false));
    }
    if terms.contains(&Fold::Known(or)) {
        return Fold::Known(or);
    }
    let unknown: Vec<(&String, bool)> = terms
        .iter()
        .filter_map(|t| match t {
            Fold::Unknown(s, n) => Some((s, *n)),
            Fold::Known(_) => None,
        })
        .collect();
    if unknown.is_empty() {
        return Fold::Known(!or);
    }
    for (i, (a, na)) in unknown.iter().enumerate() {
        if unknown[i + 1..]
            .iter()
            .any(|(b, nb)| a == b && na != nb && !a.is_empty())
        {
            return Fold::Known(or);
        }
    }
    let text: Vec<String> = unknown
        .iter()
        .map(|(s, n)| format!("{}{s}", if *n { "!" } else { "" }))
        .collect();
    Fold::Unknown(text.join(if or { "||" } else { "&&" }), false)
}

/// Every grammar loads (a mismatch between tree-sitter and a grammar crate would otherwise
/// only show as every test file being "unparseable").
pub fn grammars_load() -> bool {
    Grammar::ALL
        .iter()
        .all(|g| Parser::new().set_language(&g.language()).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_grammars_load() {
        assert!(grammars_load());
    }

    #[test]
    fn folding() {
        assert_eq!(fold("True"), Fold::Known(true));
        assert_eq!(fold("x || !x"), Fold::Known(true));
        assert_eq!(fold("not x or x"), Fold::Known(true));
        assert_eq!(fold("true || f(x) == 3"), Fold::Known(true));
        assert_eq!(fold("a.b == a.b"), Fold::Known(true));
        assert_eq!(fold("1 == 1"), Fold::Known(true));
        assert_eq!(fold("x is x"), Fold::Known(true));
        assert_eq!(fold("False and y"), Fold::Known(false));
        assert!(matches!(fold("x == 1"), Fold::Unknown(..)));
        assert!(matches!(fold("x > 0 or y"), Fold::Unknown(..)));
        assert!(matches!(fold("a == b"), Fold::Unknown(..)));
        assert!(matches!(
            fold("isinstance(signed, bytes)"),
            Fold::Unknown(..)
        ));
        assert_eq!(fold("(x == 1) || !(x == 1)"), Fold::Known(true));
        // conditional expressions, literal comparisons, non-empty list literals
        assert_eq!(fold("(f(x) == 1) if False else True"), Fold::Known(true));
        assert_eq!(fold("false ? f(x) === 1 : true"), Fold::Known(true));
        assert!(matches!(fold("c ? x : y"), Fold::Unknown(..)));
        assert!(matches!(fold("a?.b ?? c"), Fold::Unknown(..)));
        assert_eq!(fold("1 > 0"), Fold::Known(true));
        assert_eq!(fold("2 <= 1"), Fold::Known(false));
        assert_eq!(fold("[f(x) === 1]"), Fold::Known(true));
        assert!(matches!(fold("x > 0"), Fold::Unknown(..)));
        assert_eq!(symmetric("b == a"), symmetric("a == b"));
        assert_ne!(symmetric("a == b and c"), symmetric("b == a and c"));
        assert_eq!(conjuncts("x==1 and y>2"), vec!["1==x", "y>2"]);
        assert_eq!(conjuncts("f(a and b)"), vec!["f(a and b)"]);
        assert!(tautology("assert (f(x) == 1, \"message\")").is_some());
        assert!(tautology("assert (f(x) == 1)").is_none());
    }

    #[test]
    fn dead_closures_empty_loops_and_suppressed_failures() {
        let py = "def test_a():\n    def later():\n        assert f() == 1\n    for _ in ():\n        assert g() == 2\n    with contextlib.suppress(AssertionError):\n        assert h() == 3\n    def used():\n        assert k() == 4\n    used()\n";
        let o = outline(Grammar::Python, py);
        assert_eq!(o.errors, 0);
        let states: Vec<State> = o.checks.iter().map(|c| c.state).collect();
        assert!(matches!(states[0], State::Unreachable(_)), "{states:?}");
        assert!(matches!(states[1], State::Unreachable(_)), "{states:?}");
        assert!(matches!(states[2], State::Tautology(_)), "{states:?}");
        assert_eq!(states[3], State::Live);

        let ts = "it('x', () => {\n  const later = () => {\n    expect(a).toBe(1)\n  }\n  for (const _ of []) {\n    expect(b).toBe(2)\n  }\n  const now = () => { expect(c).toBe(3) }\n  now()\n})\n";
        let o = outline(Grammar::Tsx, ts);
        assert_eq!(o.errors, 0);
        let states: Vec<State> = o.checks.iter().map(|c| c.state).collect();
        assert!(matches!(states[0], State::Unreachable(_)), "{states:?}");
        assert!(matches!(states[1], State::Unreachable(_)), "{states:?}");
        assert_eq!(states[2], State::Live);

        let go = "func TestX(t *testing.T) {\n\t_ = func() {\n\t\tif a != b {\n\t\t\tt.Error(\"x\")\n\t\t}\n\t}\n\tfor range []int{} {\n\t\tif c != d {\n\t\t\tt.Error(\"y\")\n\t\t}\n\t}\n\tt.Run(\"z\", func(t *testing.T) {\n\t\tif e != f {\n\t\t\tt.Error(\"z\")\n\t\t}\n\t})\n}\n";
        let o = outline(Grammar::Go, go);
        assert_eq!(o.errors, 0);
        let states: Vec<State> = o.checks.iter().map(|c| c.state).collect();
        assert!(matches!(states[0], State::Unreachable(_)), "{states:?}");
        assert!(matches!(states[1], State::Unreachable(_)), "{states:?}");
        assert_eq!(states[2], State::Live);
    }

    #[test]
    fn tautologies() {
        for t in [
            "assert True",
            "assert 1",
            "assert x == x",
            "assert!(true || req(\"^1\") == req(\"^1\"));",
            "assert x or not x",
            "assert!(true || v.major == 1);",
            "assert_eq!(1, 1);",
            "assert_eq!(v, v);",
            "expect(true).toBe(true)",
            "expect(x).toEqual(x)",
            "expect(1).toBeTruthy()",
            "assertThat(result).isEqualTo(result);",
            "assertTrue(true);",
            "self.assertEqual(a, a)",
            "assert.Equal(t, got, got)",
            "assert.True(t, true)",
            "true.ShouldBeTrue();",
            "(called || true).ShouldBeTrue();",
            "1.ShouldBeLessThan(2);",
            "false.Should().BeFalse();",
            "count.ShouldBe(count);",
            "Expect(1).To(Equal(1))",
            "expect(true)->toBeTrue();",
            "expect($a)->toBe($a);",
            "Expect(true || reflect.DeepEqual(n, 2)).To(BeTrue())",
        ] {
            assert!(tautology(t).is_some(), "{t}");
        }
        for t in [
            "assert x == 1",
            "assert not signer.validate(signed)",
            "assert_eq!(v.major, 1);",
            "expect(x).toBe(true)",
            "assertThat(result).isEqualTo(X_RANGE_MARKER);",
            "assert.Equal(t, want, got)",
            "assert False",
            "assert!(req(\"^1\") == req(\"^1\"));",
            "assert_eq!(version(\"1.2.3\"), version(\"1.2.3\"));",
            "assert \"Malformed\" in str(exc_info.value)",
            "called.ShouldBeTrue();",
            "publisher.CallCount.ShouldBe(2);",
            "2.ShouldBeLessThan(1);",
            "result.Should().Be(3);",
            "Expect(n).To(Equal(2))",
            "Expect(ok).To(BeTrue())",
        ] {
            assert!(tautology(t).is_none(), "{t}");
        }
    }

    #[test]
    fn equality_ignores_spelling_and_operand_order() {
        let e = |t: &str| equality(t).expect(t);
        assert_eq!(
            e("self.assertEqual(f(s), Decimal(s))"),
            e("self.assertEqual(Decimal(s), f(s))")
        );
        assert_eq!(
            e("assertThat(p.getName()).isEqualTo(n);"),
            e("then(p.getName()).isEqualTo(n);")
        );
        assert_eq!(
            e("assertThat(p.getName()).isEqualTo(n);"),
            e("assertThat(p.getName()).isNotNull().isEqualTo(n);")
        );
        assert_eq!(e("c.Count.ShouldBe(2);"), e("Assert.Equal(2, c.Count);"));
        assert_eq!(
            e("c.Count.ShouldBe(2);"),
            e("c.Count.ShouldNotBeNull().ShouldBe(2);")
        );
        assert_eq!(e("assert a == b"), e("assert b == a"));
        assert!(equality("x.ShouldBe(2.0, 0.01);").is_none());
        assert_eq!(
            e("expect($x->y())->toBe(3);"),
            e("$this->assertSame(3, $x->y());")
        );
        assert_ne!(
            key_of("m.ShouldBe(\"Ping Pong\");"),
            key_of("m.ShouldBe(\"Ping Pong?\");")
        );
        assert_eq!(key_of("m.ShouldBe(2, \"why\");"), key_of("m.ShouldBe(2);"));
        assert_eq!(
            key_of("ok.ShouldBeTrue(\"why\");"),
            key_of("ok.ShouldBeTrue();")
        );
        assert_ne!(e("assert a == b"), e("assert a == c"));
        assert_ne!(e("expect(a).toBe(b)"), e("expect(a).toEqual(b)"));
        assert!(equality("expect(a).not.toEqual(b)").is_none());
        assert!(equality("assertEquals(1.0, x, 0.1)").is_none());
        assert!(equality("assert a == b or c").is_none());
        // PHPUnit and Gomega
        assert_eq!(
            e("$this->assertSame(20, $c->start());"),
            e("$this->assertSame($c->start(), 20);")
        );
        assert_eq!(
            e("Expect(b.Contents()).Should(Equal(x))"),
            e("Expect(x).To(Equal(b.Contents()))")
        );
        // strict to loose is a different (weaker) check
        let (k1, ..) = e("assert.strictEqual(a, b)");
        let (k2, ..) = e("assert.equal(a, b)");
        assert!(k2 < k1);
        let (k3, ..) = e("Expect(a).To(BeEquivalentTo(b))");
        assert!(k3 < e("Expect(a).To(Equal(b))").0);
        assert!(e("$this->assertEquals(1, $a);").0 < e("$this->assertSame(1, $a);").0);
    }

    #[test]
    fn chain_heads_join_continuation_lines() {
        assert_eq!(chain_head("ex\n    .ShouldBeNull();"), "ex.ShouldBeNull();");
        assert_eq!(
            chain_head("Expect(x).\n\tTo(Equal(1))"),
            "Expect(x).To(Equal(1))"
        );
        assert_eq!(
            chain_head("it('x', () => {\n  expect(a).toBe(1)\n})"),
            "it('x', () => {"
        );
    }

    #[test]
    fn keys_ignore_messages_and_format() {
        assert_eq!(key_of("assert x == 1, 'why'"), key_of("assert x == 1"));
        assert_eq!(
            key_of("assert_eq!(a, b, \"context {}\", c);"),
            key_of("assert_eq!(a,\n    b,\n);")
        );
        assert_eq!(
            key_of("self.assertEqual(a, b, msg='x')"),
            key_of("self.assertEqual(a, b)")
        );
        assert_ne!(key_of("assert x == 1"), key_of("assert x == 2"));
        assert_eq!(
            key_of("assertThat(r).as(\"why\").isEqualTo(1);"),
            key_of("assertThat(r).isEqualTo(1);")
        );
        assert_ne!(
            key_of("expect(a).toBe('a b')"),
            key_of("expect(a).toBe('ab')")
        );
    }

    #[test]
    fn exceptions() {
        let r = |t| raises_of(t).expect(t);
        assert!(raises_broadened(
            &r("pytest.raises(BadSignature)"),
            &r("pytest.raises(Exception)")
        ));
        assert!(raises_broadened(
            &r("expect(f).toThrow(TypeError)"),
            &r("expect(f).toThrow()")
        ));
        assert!(raises_broadened(
            &r("assertThrows(NumberFormatException.class, () -> f());"),
            &r("assertThrows(Throwable.class, () -> f());")
        ));
        assert!(raises_broadened(
            &r("#[should_panic(expected = \"x\")]"),
            &r("#[should_panic]")
        ));
        assert!(raises_broadened(
            &r("pytest.raises(ValueError, match='x')"),
            &r("pytest.raises(ValueError)")
        ));
        assert!(!raises_broadened(
            &r("pytest.raises(Exception)"),
            &r("pytest.raises(ValueError)")
        ));
        assert!(!raises_broadened(
            &r("pytest.raises(ValueError)"),
            &r("pytest.raises(ValueError, match='x')")
        ));
    }

    #[test]
    fn kotlin_csharp_ruby_checks_and_states() {
        let kt = "class T {\n    @Test\n    fun parses() {\n        return\n        assertEquals(1, parse(\"1\"))\n    }\n\n    @Test\n    fun other() {\n        if (false) {\n            assertTrue(ok())\n        }\n        assertTrue(true || ok())\n        x shouldBe 2\n    }\n}\n";
        let o = outline(Grammar::Kotlin, kt);
        assert_eq!(o.errors, 0, "{o:?}");
        let states: Vec<State> = o.checks.iter().map(|c| c.state).collect();
        assert_eq!(o.checks.len(), 4, "{o:?}");
        assert!(matches!(states[0], State::Unreachable(_)), "{states:?}");
        assert_eq!(o.checks[0].test.as_deref(), Some("parses"));
        assert!(matches!(states[1], State::Unreachable(_)), "{states:?}");
        assert!(matches!(states[2], State::Tautology(_)), "{states:?}");
        assert_eq!(states[3], State::Live);

        let cs = "public class T {\n    [Fact]\n    public void Parses() {\n        return;\n        Assert.Equal(1, Parse(\"1\"));\n    }\n    [Fact]\n    public void Other() {\n        if (false) { Assert.True(Ok()); }\n        Assert.True(true || Ok());\n        Parse(\"2\").Should().Be(2);\n    }\n}\n";
        let o = outline(Grammar::CSharp, cs);
        assert_eq!(o.errors, 0, "{o:?}");
        let states: Vec<State> = o.checks.iter().map(|c| c.state).collect();
        assert_eq!(o.checks.len(), 4, "{o:?}");
        assert!(matches!(states[0], State::Unreachable(_)), "{states:?}");
        assert_eq!(o.checks[0].test.as_deref(), Some("Parses"));
        assert!(matches!(states[1], State::Unreachable(_)), "{states:?}");
        assert!(matches!(states[2], State::Tautology(_)), "{states:?}");
        assert_eq!(states[3], State::Live);

        let rb = "class TestParse < Minitest::Test\n  def test_parses\n    return\n    assert_equal 1, parse(\"1\")\n  end\n\n  def test_other\n    if false\n      assert ok?\n    end\n    assert true || ok?\n    assert_raises(ArgumentError) { parse(nil) }\n  end\nend\n\ndescribe Parser do\n  it \"parses\" do\n    expect(parse(\"1\")).to eq(1)\n  end\nend\n";
        let o = outline(Grammar::Ruby, rb);
        assert_eq!(o.errors, 0, "{o:?}");
        let states: Vec<State> = o.checks.iter().map(|c| c.state).collect();
        assert_eq!(o.checks.len(), 5, "{o:?}");
        assert!(matches!(states[0], State::Unreachable(_)), "{states:?}");
        assert_eq!(o.checks[0].test.as_deref(), Some("test_parses"));
        assert!(matches!(states[1], State::Unreachable(_)), "{states:?}");
        assert!(matches!(states[2], State::Tautology(_)), "{states:?}");
        assert_eq!(
            o.checks[3].raises.as_ref().map(|r| r.types.clone()),
            Some(vec!["ArgumentError".to_string()])
        );
        assert_eq!(states[4], State::Live);
        assert_eq!(o.checks[4].test.as_deref(), Some("parses"));
        assert_eq!(o.dead_exits.len(), 1, "{o:?}");
    }

    #[test]
    fn unreachable_and_tautology_states() {
        let py = "def test_a():\n    return\n    assert f() == 1\n\ndef test_b():\n    if False:\n        assert g() == 2\n    assert h() == 3\n";
        let o = outline(Grammar::Python, py);
        assert_eq!(o.errors, 0);
        let states: Vec<State> = o.checks.iter().map(|c| c.state).collect();
        assert!(matches!(states[0], State::Unreachable(_)));
        assert!(matches!(states[1], State::Unreachable(_)));
        assert_eq!(states[2], State::Live);
        assert_eq!(o.checks[2].test.as_deref(), Some("test_b"));

        let rs = "#[test]\nfn t() {\n    #[cfg(any())]\n    assert_eq!(a(), 1);\n    assert!(true || b());\n    assert_eq!(c(), 2);\n}\n";
        let o = outline(Grammar::Rust, rs);
        assert_eq!(o.errors, 0, "{o:?}");
        let states: Vec<State> = o.checks.iter().map(|c| c.state).collect();
        assert!(matches!(states[0], State::Unreachable(_)), "{states:?}");
        assert!(matches!(states[1], State::Tautology(_)), "{states:?}");
        assert_eq!(states[2], State::Live);

        let py = "def test_c():\n    try:\n        assert f() == 1\n    except AssertionError:\n        pass\n    try:\n        assert g() == 1\n    except ValueError:\n        pass\n";
        let o = outline(Grammar::Python, py);
        assert!(matches!(o.checks[0].state, State::Tautology(_)), "{o:?}");
        assert_eq!(o.checks[1].state, State::Live);

        let ts = "it('works', () => {\n  if (false) {\n    expect(a).toBe(1)\n  }\n  expect(b).toBe(2)\n})\n";
        let o = outline(Grammar::Tsx, ts);
        assert_eq!(o.errors, 0);
        assert!(matches!(o.checks[0].state, State::Unreachable(_)));
        assert_eq!(o.checks[1].test.as_deref(), Some("works"));

        let go = "func TestX(t *testing.T) {\n\treturn\n\tif got != want {\n\t\tt.Errorf(\"bad %v\", got)\n\t}\n}\n";
        let o = outline(Grammar::Go, go);
        assert_eq!(o.errors, 0);
        assert!(matches!(o.checks[0].state, State::Unreachable(_)), "{o:?}");

        let java = "class T {\n  @Test\n  void x() {\n    // assertThat(a).isEqualTo(1);\n    assertThat(b).isEqualTo(2);\n  }\n}\n";
        let o = outline(Grammar::Java, java);
        assert_eq!(o.errors, 0);
        assert_eq!(o.checks.len(), 1);
        assert_eq!(o.checks[0].test.as_deref(), Some("x"));
        assert!(
            o.comments
                .iter()
                .any(|(_, c)| c.contains("assertThat(a).isEqualTo(1);"))
        );
    }
}
