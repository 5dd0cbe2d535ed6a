use super::*;

fn file(path: &str, added: u64, deleted: u64) -> FileChange {
    FileChange {
        path: path.into(),
        status: ChangeStatus::Modified,
        added_lines: added,
        deleted_lines: deleted,
        binary: false,
    }
}

fn commit(message: &str, files: Vec<FileChange>) -> CommitInfo {
    CommitInfo {
        message: message.into(),
        author: "Ada Lovelace <ada@example.com>".into(),
        parent_count: 1,
        files,
        ..CommitInfo::default()
    }
}

fn code(message: &str) -> CommitInfo {
    CommitInfo {
        diff: Some(adding("src/lib.rs", &["let x = 1;"])),
        ..commit(message, vec![file("src/lib.rs", 10, 2)])
    }
}

fn cat(c: &CommitInfo) -> Category {
    classify(c).category
}

/// A unified diff adding `lines` to `path`.
fn adding(path: &str, lines: &[&str]) -> String {
    let mut d = format!(
        "diff --git a/{path} b/{path}\n--- a/{path}\n+++ b/{path}\n@@ -0,0 +1,{} @@\n",
        lines.len()
    );
    for l in lines {
        d.push_str(&format!("+{l}\n"));
    }
    d
}

#[test]
fn message_hints_on_code_changes() {
    use Category::*;
    let table: &[(&str, Category)] = &[
        ("fix(parser): handle empty input", Fix),
        ("Fix race in worker shutdown", Fix),
        ("cli: fix non-path sorting behavior", Fix),
        ("Handle regression in date parsing", Fix),
        ("Add prefix option to the CLI", Change),
        ("Improve debug logging for the scheduler", Change),
        ("Add fixture for the parser tests", Change),
        ("feat: bugle call sound effect", Change),
        ("Bump openssl to address CVE-2024-12345", Security),
        ("Drop atty (RUSTSEC-2021-0145)", Security),
        ("feat: escape HTML to prevent XSS in comments", Security),
        ("upgrade y18n to address prototype pollution", Security),
        ("Fix potential buffer overflow in insert_many", Security),
        ("Fix UB on out-of-bounds insert()", Soundness),
        ("Return allocation error instead of panicking", Soundness),
        ("Fix leak on panic in insert_many", Soundness),
        ("feat(api)!: drop v1 endpoints", Breaking),
        ("BREAKING: regex: remove CRLF hack", Breaking),
        (
            "feat: new config\n\nBREAKING CHANGE: old keys removed",
            Breaking,
        ),
        (
            "meta: middleware\n\nfeat(middleware)!: applied globally",
            Breaking,
        ),
        ("build: fix ts build errors", CiBuild),
        ("globset: fix build error in tests", Change),
        ("Fix clippy lints", Chore),
        ("style: run rustfmt", Chore),
        ("refactor: split runner into modules", Change),
    ];
    for (message, want) in table {
        let got = classify(&code(message));
        assert_eq!(got.category, *want, "{message:?} → {got:?}");
        assert_eq!(got.bucket, want.bucket(), "{message:?}");
        assert!(!got.reasons.is_empty(), "{message:?} has no reasons");
    }
}

#[test]
fn area_prefixes_are_not_conventional_types() {
    let got = classify(&code("ignore: tweak regex crate features"));
    assert_eq!(got.category, Category::Change);
    assert!(
        got.reasons.iter().all(|r| !r.contains("type ignore")),
        "{got:?}"
    );
}

#[test]
fn words_on_the_wrong_files_do_not_raise() {
    use Category::*;
    let cases: Vec<(CommitInfo, Category)> = vec![
        (
            commit(
                "Fix regression in the pager",
                vec![file("CHANGELOG.md", 3, 0)],
            ),
            Docs,
        ),
        (
            commit("Add more tests for UB", vec![file("src/tests.rs", 26, 0)]),
            Chore,
        ),
        (
            commit("fix deadlock", vec![file("tests/regression.rs", 20, 0)]),
            Chore,
        ),
        (
            commit(
                "docs: document the vulnerability disclosure process",
                vec![file("SECURITY.md", 20, 0)],
            ),
            Review,
        ),
        (
            commit(
                "chore: release 17.3.0\n\n### Bug Fixes\n* crash on start",
                vec![file("CHANGELOG.md", 15, 0), file("package.json", 1, 1)],
            ),
            Chore,
        ),
        (
            commit(
                "grep-cli-0.1.9",
                vec![
                    file("Cargo.lock", 1, 1),
                    file("crates/cli/Cargo.toml", 1, 1),
                ],
            ),
            Chore,
        ),
        (
            commit("deps: update everything", vec![file("Cargo.lock", 16, 16)]),
            Deps,
        ),
        (
            commit(
                "deps: bump regex\n\nThis fixes a matching bug.",
                vec![file("Cargo.lock", 5, 5)],
            ),
            Fix,
        ),
        (
            commit(
                "fix: add package.json to exports",
                vec![file("package.json", 1, 0)],
            ),
            Fix,
        ),
    ];
    for (c, want) in cases {
        let got = classify(&c);
        assert_eq!(got.category, want, "{:?} → {got:?}", c.message);
    }
}

#[test]
fn bots_on_dependencies_are_noise_but_on_ci_they_are_watched() {
    let bump = CommitInfo {
        author: "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>".into(),
        ..commit(
            "build(deps): bump serde from 1.0.1 to 1.0.2",
            vec![file("Cargo.toml", 1, 1), file("Cargo.lock", 4, 4)],
        )
    };
    let got = classify(&bump);
    assert_eq!((got.category, got.bucket), (Category::Deps, Bucket::Noise));
    let cve = CommitInfo {
        message: "chore(deps): bump lodash (CVE-2021-23337)".into(),
        ..bump.clone()
    };
    assert_eq!(cat(&cve), Category::Security);
    let ci = CommitInfo {
        files: vec![file(".github/workflows/release.yml", 3, 1)],
        message: "chore: tidy".into(),
        ..bump
    };
    let got = classify(&ci);
    assert_eq!(got.bucket, Bucket::Watch, "{got:?}");
    assert!(got.reasons[0].contains("by a bot"), "{got:?}");
}

#[test]
fn disguises_are_judged_by_the_change() {
    // "docs: fix typo" on a 400-line rewrite of code.
    let rewrite = commit(
        "docs: fix typo",
        vec![file("src/engine.rs", 220, 180), file("README.md", 1, 1)],
    );
    let got = classify(&rewrite);
    assert_eq!(got.bucket, Bucket::Watch, "{got:?}");
    assert!(got.reasons[0].contains("400 line(s) of code"), "{got:?}");
    // A one-parent commit titled like a merge.
    let fake = commit(
        "Merge branch 'main' into release",
        vec![file("src/auth/password.rs", 3, 0)],
    );
    let got = classify(&fake);
    assert_eq!(got.bucket, Bucket::Watch, "{got:?}");
    assert!(
        got.reasons.iter().any(|r| r.contains("one parent")),
        "{got:?}"
    );
    // A revert claim naming no commit of the repository.
    let claim = code("Revert \"feat: add cache\"\n\nThis reverts commit 0123456789abcdef.");
    assert_eq!(cat(&claim), Category::Review);
    // The same, verified.
    let verified = CommitInfo {
        mentioned: vec![Mentioned {
            token: "0123456789abcdef".into(),
            sha: "0123456789abcdef0123456789abcdef01234567".into(),
            subject: "feat: add cache".into(),
        }],
        ..claim
    };
    let got = classify(&verified);
    assert_eq!(got.category, Category::Revert);
    assert!(
        got.reasons[0].contains("0123456789 \"feat: add cache\""),
        "{got:?}"
    );
}

#[test]
fn merges_fold_unless_they_change_something_of_their_own() {
    let files = vec![file("src/a.rs", 10, 0), file(".env", 2, 0)];
    let mut m = commit("Merge pull request #7 from x/y", files.clone());
    m.parent_count = 2;
    m.merge = Some(MergeFacts {
        own_paths: vec![],
        branch_in_report: true,
        brings: 3,
    });
    let got = classify(&m);
    assert_eq!(
        (got.category, got.bucket),
        (Category::Chore, Bucket::Noise),
        "{got:?}"
    );

    // An evil merge: it adds .env with a credential none of its branch commits added.
    m.merge = Some(MergeFacts {
        own_paths: vec![".env".into()],
        branch_in_report: true,
        brings: 3,
    });
    m.diff = Some(format!(
        "{}{}",
        adding("src/a.rs", &["fn a() {}"]),
        adding(".env", &["DB_PASSWORD=h7Gq2vLp9Xz4Rk1w"])
    ));
    let got = classify(&m);
    assert_eq!(got.category, Category::Security, "{got:?}");
    assert!(
        got.reasons
            .iter()
            .any(|r| r.contains("none of its 3 branch commit(s)")),
        "{got:?}"
    );

    // A merge whose branch is not in the report speaks for it (judged as a whole).
    let mut whole = commit(
        "Auto merge of #228\n\nAllocating zero bytes is Undefined Behavior.",
        vec![file("lib.rs", 38, 12)],
    );
    whole.parent_count = 2;
    whole.merge = Some(MergeFacts {
        own_paths: vec![],
        branch_in_report: false,
        brings: 1,
    });
    assert_eq!(cat(&whole), Category::Soundness);
}

#[test]
fn content_rules() {
    let mut secret = code("chore: add config");
    secret.diff = Some(adding(
        "src/lib.rs",
        &["const KEY: &str = \"AKIAIOSFODNN7EXAMPL3\";"],
    ));
    let got = classify(&secret);
    assert_eq!(got.category, Category::Security);
    assert!(got.reasons[0].contains("AWS access key id"), "{got:?}");

    let mut unsafe_code = code("perf: faster push");
    unsafe_code.diff = Some(adding("src/lib.rs", &["unsafe { ptr.write(v) }"]));
    let got = classify(&unsafe_code);
    assert_eq!(got.category, Category::Review);
    assert!(got.reasons[0].contains("`unsafe`"), "{got:?}");

    let mut breaking_log = commit(
        "core: don't let context flags override each other",
        vec![
            file("crates/core/args.rs", 3, 3),
            file("CHANGELOG.md", 8, 0),
        ],
    );
    breaking_log.diff = Some(adding(
        "CHANGELOG.md",
        &["**BREAKING CHANGES**", "* -A no longer overrides -C"],
    ));
    assert_eq!(cat(&breaking_log), Category::Breaking);

    let mut bad = code("feat: thing");
    bad.diff = Some("garbage\n".into());
    let got = classify(&bad);
    assert_eq!(got.bucket, Bucket::Watch, "{got:?}");
    assert!(got.reasons[0].contains("could not be read"), "{got:?}");

    let unread = CommitInfo {
        diff: None,
        ..code("feat: thing")
    };
    let got = classify(&unread);
    assert_eq!(got.bucket, Bucket::Watch, "{got:?}");
    assert!(got.reasons[0].contains("diff was not read"), "{got:?}");

    let mut blob = file("assets/model.bin", 0, 0);
    blob.binary = true;
    blob.status = ChangeStatus::Added;
    let got = classify(&commit("feat: ship model", vec![blob]));
    assert_eq!(got.category, Category::Review);
}

#[test]
fn categories_are_in_severity_order() {
    let ids: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(
        ids,
        [
            "security",
            "revert",
            "breaking",
            "soundness",
            "fix",
            "review",
            "ci-build",
            "deps",
            "change",
            "docs",
            "chore"
        ]
    );
    for c in Category::ALL {
        assert_eq!(Category::parse(c.as_str()), Some(c));
    }
    assert!(Category::ALL.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn header_parsing() {
    let h = parse_header("feat(api)!: drop v1").unwrap();
    assert_eq!(
        (h.kind.as_str(), h.scope, h.breaking, h.subject),
        ("feat", Some("api"), true, "drop v1")
    );
    assert!(parse_header("no header here").is_none());
    assert!(parse_header("feat(: broken").is_none());
    assert!(parse_header("a very long sentence with spaces: x").is_none());
}

#[test]
fn advisory_ids_are_whole_identifiers() {
    assert_eq!(
        advisory_ids("fixes cve-2023-4567, RUSTSEC-2021-0145 and GHSA-abcd-1234-wxyz."),
        ["CVE-2023-4567", "RUSTSEC-2021-0145", "GHSA-ABCD-1234-WXYZ"]
    );
    assert!(advisory_ids("CVE-20-1").is_empty());
    assert!(advisory_ids("XCVE-2023-4567").is_empty());
}

#[test]
fn paths() {
    use FileClass::*;
    for (path, want) in [
        ("CHANGELOG.md", Changelog),
        ("docs/api.md", Docs),
        ("README", Docs),
        ("tests/regression.rs", Test),
        ("src/foo_test.go", Test),
        ("lib/a.spec.ts", Test),
        (".github/workflows/ci.yml", Ci),
        ("Cargo.lock", Lockfile),
        ("crates/cli/Cargo.toml", Manifest),
        ("package.json", Manifest),
        ("build.rs", BuildScript),
        ("Makefile", BuildScript),
        ("src/lib.rs", Code),
        ("lib/yargs-factory.ts", Code),
    ] {
        assert_eq!(file_class(path), want, "{path}");
    }
}

proptest::proptest! {
    #[test]
    fn any_commit_gets_a_reasoned_verdict(
        message in "(fix|feat|docs|Revert \"|Merge branch|BREAKING|CVE-2024-1234|[a-z ]{0,12}|\n|:|!|\\(|\\)| ){0,10}",
        paths in proptest::collection::vec("(src|docs|tests|\\.github/workflows|)/[a-z]{1,5}\\.(rs|md|yml|lock|toml)", 0..4),
        diff in proptest::option::of("(diff --git a/x b/x\n|@@ -1 \\+1 @@\n|[-+ ][a-z=]{0,8}\n){0,6}"),
        parents in 0u32..3,
    ) {
        let files = paths.iter().map(|p| file(p, 7, 3)).collect();
        let c = CommitInfo { parent_count: parents, diff, ..commit(&message, files) };
        let got = classify(&c);
        proptest::prop_assert!(!got.reasons.is_empty());
        proptest::prop_assert_eq!(got.bucket == Bucket::High, got.category.bucket() == Bucket::High);
    }
}
