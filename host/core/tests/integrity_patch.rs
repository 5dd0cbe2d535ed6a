//! The patch model against libgit2's full parser: on every fixture diff, the hunk lines the
//! model walks itself (kind, old/new line numbers, text) are exactly the lines libgit2 reads
//! when it parses the whole diff. Plus the formats users produce.

use strive_core::patch::{FileStatus, LineKind, Patch};

fn fixtures() -> Vec<(String, String)> {
    let base = format!("{}/tests/fixtures/diffs", env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in ["corpus", "extra", "gate"] {
        for e in std::fs::read_dir(format!("{base}/{dir}")).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "diff") {
                out.push((
                    p.display().to_string(),
                    std::fs::read_to_string(&p).unwrap(),
                ));
            }
        }
    }
    out
}

#[test]
fn walked_lines_equal_libgit2_lines() {
    let mut compared = 0;
    for (name, text) in fixtures() {
        if !text.contains("diff --git ") {
            continue; // plain diffs are converted first; covered below
        }
        let ours = Patch::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let diff = git2::Diff::from_buffer(text.as_bytes()).expect(&name);
        assert_eq!(diff.deltas().len(), ours.files.len(), "{name}");
        for (i, file) in ours.files.iter().enumerate() {
            let patch = git2::Patch::from_diff(&diff, i).unwrap().unwrap();
            assert_eq!(patch.num_hunks(), file.hunks.len(), "{name} file {i}");
            for (h, hunk) in file.hunks.iter().enumerate() {
                let mut theirs = Vec::new();
                for l in 0..patch.num_lines_in_hunk(h).unwrap() {
                    let line = patch.line_in_hunk(h, l).unwrap();
                    let kind = match line.origin() {
                        '+' => LineKind::Added,
                        '-' => LineKind::Removed,
                        ' ' => LineKind::Context,
                        _ => continue,
                    };
                    let content = String::from_utf8(line.content().to_vec()).unwrap();
                    let content = content
                        .trim_end_matches('\n')
                        .trim_end_matches('\r')
                        .to_string();
                    theirs.push((kind, line.old_lineno(), line.new_lineno(), content));
                }
                let mine: Vec<_> = hunk
                    .lines
                    .iter()
                    .map(|l| (l.kind, l.old_lineno, l.new_lineno, l.text.to_string()))
                    .collect();
                assert_eq!(mine, theirs, "{name} file {i} hunk {h}");
                compared += mine.len();
            }
        }
    }
    assert!(compared > 1000, "compared only {compared} lines");
}

#[test]
fn formats_users_produce() {
    let gate = |n: &str| {
        std::fs::read_to_string(format!(
            "{}/tests/fixtures/diffs/gate/{n}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    };
    let mixed = gate("gate-mixed-binary.diff");
    let p = Patch::parse(&mixed).unwrap();
    let by = |path: &str| p.files.iter().find(|f| f.path() == path).unwrap();
    assert_eq!(by("src/auth/guard.py").status, FileStatus::Deleted);
    assert_eq!(by("src/auth/guard.py").new_path, None);
    assert!(by("payload.bin").binary && by("payload.bin").status == FileStatus::Added);
    assert!(by("old.bin").binary);
    assert!(by("run.sh").mode_changed() && by("run.sh").hunks.is_empty());
    assert_eq!(by("docs/b.md").status, FileStatus::Renamed);
    assert_eq!(by("docs/b.md").paths(), vec!["docs/a.md", "docs/b.md"]);
    assert_eq!(by("dir with space/ä.md").hunks[0].lines.len(), 2);

    let plain_text = gate("plain-diff-u.diff");
    let plain = Patch::parse(&plain_text).unwrap();
    assert_eq!(plain.files.len(), 2);
    let f = &plain.files[0];
    assert_eq!(f.path(), "f.txt");
    // `diff -N` dates an absent side 1970-01-01: that file is new.
    assert_eq!(plain.files[1].status, FileStatus::Added);
    assert_eq!(plain.files[1].path(), "new.txt");
    // A removed line reading `-- c` is a body line, not a header.
    assert!(
        f.lines()
            .any(|l| l.kind == LineKind::Removed && l.text == "-- c")
    );

    let copy =
        "diff --git a/a.txt b/b.txt\nsimilarity index 100%\ncopy from a.txt\ncopy to b.txt\n";
    let c = Patch::parse(copy).unwrap();
    assert_eq!(c.files[0].status, FileStatus::Copied);
    assert_eq!(c.files[0].paths(), vec!["a.txt", "b.txt"]);
}

#[test]
fn malformed_input_is_an_error_never_empty() {
    for bad in [
        "hello\n",
        "@@ -1 +1 @@\n-a\n+b\n",
        "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n-a\n+b\n",
        "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n?a\n+b\n",
        "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -0,0 +0,0 @@\n",
        "--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n-a\n",
        "Only in a: secret.key\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n",
    ] {
        assert!(Patch::parse(bad).is_err(), "accepted: {bad:?}");
    }
    assert!(Patch::parse("").unwrap().is_empty());
    assert!(Patch::parse("  \n\n").unwrap().is_empty());
}

#[test]
fn missing_final_newline_is_fine() {
    let p = Patch::parse("diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b").unwrap();
    assert_eq!(p.changed_lines(), 2);
}
