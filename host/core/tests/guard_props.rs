//! Properties of the guard on arbitrary input: it never panics, and it never allows input
//! the shell parser rejects (except the documented repair of an unterminated final quote,
//! which is judged with the quote closed).

use brush_parser::{Parser, ParserOptions};
use proptest::prelude::*;
use strive_core::guard::{Guard, Verdict};

fn parses(src: &str) -> bool {
    let parse = |s: &str| {
        Parser::new(
            std::io::Cursor::new(s.as_bytes()),
            &ParserOptions::default(),
        )
        .parse_program()
        .is_ok()
    };
    parse(src) || parse(&format!("{src}'")) || parse(&format!("{src}\""))
}

fn shellish() -> impl Strategy<Value = String> {
    // fragments that exercise the parser and the rules far more than uniform text does
    let frag = prop::sample::select(vec![
        "rm",
        "-rf",
        "/",
        "git",
        "push",
        "-f",
        "reset",
        "--hard",
        "|",
        "||",
        "&&",
        ";",
        "&",
        "(",
        ")",
        "{",
        "}",
        "$(",
        "`",
        "'",
        "\"",
        "<<EOF\n",
        "\nEOF\n",
        "<(",
        ">",
        ">>",
        "2>&1",
        "sh -c",
        "eval",
        "xargs",
        "find . -exec",
        "{}",
        "\\;",
        "sudo",
        "env X=1",
        "$X",
        "${!y}",
        "$'\\x72'",
        "curl x |",
        "python -c",
        "'import os; os.system(\"rm -rf /\")'",
        "\n",
        " ",
        "*",
        "~",
        ".env",
        "=",
    ]);
    prop::collection::vec(frag, 0..24).prop_map(|v| v.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn never_panics_on_arbitrary_text(s in any::<String>()) {
        let _ = Guard::default().check(&s);
    }

    #[test]
    fn never_panics_on_lossy_bytes(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let s = String::from_utf8_lossy(&bytes);
        let _ = Guard::default().check(&s);
    }

    #[test]
    fn unparseable_shell_is_never_allowed(s in shellish()) {
        let d = Guard::default().check(&s);
        if !parses(&s) {
            prop_assert_eq!(d.decision, Verdict::Block, "allowed unparseable input {:?}", s);
        }
    }

    // the sed script reader: any script text, never a panic; and an `e` command that runs a
    // destructive command line blocks whatever address and commands come before it
    #[test]
    fn sed_scripts_never_panic(script in "[-a-z0-9/\\\\;{}!$~,.+ \n#&|'\"]{0,60}") {
        let quoted = script.replace('\'', "");
        let _ = Guard::default().check(&format!("sed -n '{quoted}' notes.txt"));
        let _ = Guard::default().check(&format!("sed -e '{quoted}' -e p notes.txt"));
    }

    #[test]
    fn sed_e_command_is_judged_after_any_prefix(
        address in prop::sample::select(vec!["", "1", "$", "/x/", "2,4", "1~3", "\\,a,", "/a/!"]),
        before in prop::sample::select(vec!["", "p;", "s/a/b/g;", "y/ab/ba/;", "/q/d;", "{p};"]),
    ) {
        let command = format!("sed '{before}{address}e rm -rf /home/dev' notes.txt");
        let d = Guard::default().check(&command);
        prop_assert_eq!(d.decision, Verdict::Block, "{:?}", command);
    }

    #[test]
    fn prefixing_a_blocked_command_keeps_it_blocked(s in shellish(), sep in prop::sample::select(vec![";", "&&", "||", "|", "\n"])) {
        let guard = Guard::default();
        if guard.check(&s).decision == Verdict::Block && parses(&s) {
            let combined = format!("true {sep} {s}");
            prop_assert_eq!(guard.check(&combined).decision, Verdict::Block, "{:?}", combined);
        }
    }
}

#[test]
fn absurd_nesting_blocks_instead_of_overflowing() {
    let deep = format!("echo {}ls{}", "$(".repeat(5000), ")".repeat(5000));
    let d = Guard::default().check(&deep);
    assert_eq!(d.decision, Verdict::Block);
    assert_eq!(d.rule, "parse.too-deep");
    let long = "a".repeat(strive_core::guard::MAX_COMMAND_BYTES + 1);
    assert_eq!(Guard::default().check(&long).rule, "input.too-long");
}
