//! The triage report end to end, through the `strive` binary on real repositories made here:
//! disguised commits, terminal escapes in text and Markdown, the commit encoding header,
//! `strive report` after a clean run, Markdown links checked with a Markdown parser, windows.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use git2::{Oid, Repository, Signature, Time};
use serde_json::{Value, json};

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

struct Fx {
    dir: tempfile::TempDir,
    repo: Repository,
}

impl Fx {
    fn new() -> Fx {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path().join("repo")).unwrap();
        Fx { dir, repo }
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join("repo")
    }

    fn sig(name: &str, email: &str, at: i64) -> Signature<'static> {
        Signature::new(name, email, &Time::new(at, 0)).unwrap()
    }

    /// Write `files` (path, contents) into the index and return its tree.
    fn tree(&self, files: &[(&str, &str)]) -> Oid {
        let mut index = self.repo.index().unwrap();
        for (path, contents) in files {
            let full = self.root().join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(&full, contents).unwrap();
            index.add_path(Path::new(path)).unwrap();
        }
        index.write().unwrap();
        index.write_tree().unwrap()
    }

    fn head(&self) -> Option<git2::Commit<'_>> {
        self.repo.head().ok().map(|h| h.peel_to_commit().unwrap())
    }

    /// A commit on HEAD by `author` (name <email>).
    fn commit_by(&self, author: (&str, &str), message: &str, files: &[(&str, &str)]) -> String {
        let tree = self.repo.find_tree(self.tree(files)).unwrap();
        let sig = Fx::sig(author.0, author.1, now() - 120);
        let parent = self.head();
        let parents: Vec<&git2::Commit> = parent.iter().collect();
        self.repo
            .commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
            .unwrap()
            .to_string()
    }

    fn commit(&self, message: &str, files: &[(&str, &str)]) -> String {
        self.commit_by(("Dev", "dev@example.com"), message, files)
    }

    fn spec(&self, extra: Value) -> PathBuf {
        let path = self.dir.path().join("triage.json");
        let mut target = json!({"repo": "repo", "refs": ["HEAD"], "first_run": {"last": 100}});
        if let Value::Object(m) = extra {
            for (k, v) in m {
                target[k] = v;
            }
        }
        let spec = json!({"id": "t1", "kind": "git-commit-triage", "phase": "L1",
                          "target": target, "budget": {"wall_clock_secs": 60}});
        std::fs::write(&path, spec.to_string()).unwrap();
        path
    }

    fn strive(&self, args: &[&str]) -> Output {
        let state = self.dir.path().join("state/state.json");
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--state", state.to_str().unwrap()]);
        Command::new(env!("CARGO_BIN_EXE_strive"))
            .args(&all)
            .env("STRIVE_CACHE_DIR", self.dir.path().join("cache"))
            .env("NO_COLOR", "1")
            .current_dir(self.dir.path())
            .output()
            .unwrap()
    }

    /// `strive run --format json`: the report document.
    fn run_json(&self, spec: &Path) -> Value {
        let out = self.strive(&["run", spec.to_str().unwrap(), "--format", "json"]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out.stdout)))
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn entry<'a>(doc: &'a Value, sha: &str) -> &'a Value {
    doc["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["cites"].as_array().unwrap().iter().any(|c| c == sha))
        .unwrap_or_else(|| panic!("no entry cites {sha}: {doc:#}"))
}

fn reasons(e: &Value) -> String {
    e["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect::<Vec<_>>()
        .join("; ")
}

#[test]
fn disguised_commits_are_reported_with_the_reason() {
    let fx = Fx::new();
    fx.commit("feat: start", &[("src/engine.rs", "fn a() {}\n")]);
    // 1. A docs-titled rewrite of code.
    let body: String = (0..200)
        .map(|i| format!("fn f{i}() -> u32 {{ {i} }}\n"))
        .collect();
    let rewrite = fx.commit("docs: fix typo", &[("src/engine.rs", &body)]);
    // 2. A one-parent commit titled like a merge that writes a password.
    let fake = fx.commit(
        "Merge branch 'main' into release",
        &[("config/settings.py", "DB_PASSWORD = \"h7Gq2vLp9Xz4Rk1w\"\n")],
    );
    // 3. A [bot] author editing a release workflow.
    let bot = fx.commit_by(
        (
            "github-actions[bot]",
            "41898282+github-actions[bot]@users.noreply.github.com",
        ),
        "chore: update release workflow",
        &[(".github/workflows/release.yml", "on: push\njobs: {}\n")],
    );
    // 4. An evil merge: the branch changes src/b.rs; the merge itself adds .env with a key.
    let base = fx.head().unwrap();
    let side_tree = fx
        .repo
        .find_tree(fx.tree(&[("src/b.rs", "fn b() {}\n")]))
        .unwrap();
    let sig = Fx::sig("Dev", "dev@example.com", now() - 60);
    let side = fx
        .repo
        .commit(None, &sig, &sig, "feat: add b", &side_tree, &[&base])
        .unwrap();
    let side = fx.repo.find_commit(side).unwrap();
    let merged_tree = fx
        .repo
        .find_tree(fx.tree(&[
            ("src/b.rs", "fn b() {}\n"),
            (".env", "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPL3\n"),
        ]))
        .unwrap();
    let evil = fx
        .repo
        .commit(
            Some("HEAD"),
            &sig,
            &sig,
            "Merge branch 'feature'",
            &merged_tree,
            &[&base, &side],
        )
        .unwrap()
        .to_string();

    let doc = fx.run_json(&fx.spec(json!({})));
    let e = entry(&doc, &rewrite);
    assert_ne!(e["bucket"], "noise", "{e}");
    assert!(reasons(e).contains("judged by the change"), "{e}");
    let e = entry(&doc, &fake);
    assert_eq!(e["bucket"], "high", "{e}");
    assert!(reasons(e).contains("one parent"), "{e}");
    assert!(reasons(e).contains("credential assignment"), "{e}");
    let e = entry(&doc, &bot);
    assert_eq!(e["bucket"], "watch", "{e}");
    assert!(
        reasons(e).contains("CI configuration by a bot account"),
        "{e}"
    );
    let e = entry(&doc, &evil);
    assert_eq!(e["category"], "security", "{e}");
    assert!(reasons(e).contains("AWS access key id"), "{e}");
    assert!(
        reasons(e).contains("none of its 1 branch commit(s) touched"),
        "{e}"
    );
    // The branch commit itself is judged on its own; the order is by severity.
    let cats: Vec<&str> = doc["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["category"].as_str().unwrap())
        .collect();
    let ranks: Vec<usize> = cats
        .iter()
        .map(|c| {
            strive_runtime::triage_report::CATEGORIES
                .iter()
                .position(|(id, _)| id == c)
                .unwrap()
        })
        .collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{cats:?}");
}

#[test]
fn subjects_cannot_drive_the_terminal_or_plant_links() {
    let fx = Fx::new();
    fx.repo
        .remote("origin", "https://github.com/acme/widgets.git")
        .unwrap();
    let evil = "fix: parser\u{1b}[2K\r  HIGH  security  forged (0000000000) \u{1b}]8;;https://evil.example/\u{7}click\u{1b}]8;;\u{7} [x](https://evil.example/) <img src=x>";
    let sha = fx.commit(evil, &[("src/parser.rs", "fn parse() {}\n")]);
    let spec = fx.spec(json!({}));
    let out = fx.strive(&["run", spec.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    assert!(
        !shown.contains('\u{1b}') && !shown.contains('\r') && !shown.contains('\u{7}'),
        "{shown:?}"
    );
    assert!(shown.contains("\\x1b[2K\\r"), "{shown}");
    assert!(
        !shown
            .lines()
            .any(|l| l.trim_start().starts_with("HIGH  security  forged")),
        "{shown}"
    );
    assert!(shown.contains(&sha[..10]), "{shown}");

    for args in [
        vec!["report", "t1", "--format", "markdown"],
        vec!["report", "t1", "--format", "text"],
    ] {
        let out = fx.strive(&args);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let shown = text(&out.stdout);
        assert!(
            !shown.contains('\u{1b}') && !shown.contains('\r') && !shown.contains('\u{7}'),
            "{args:?}: {shown:?}"
        );
        if args[3] == "markdown" {
            let links = markdown_links(&shown);
            assert!(links.iter().all(|l| !l.contains("evil")), "{links:?}");
            assert!(
                links
                    .iter()
                    .all(|l| !l.starts_with("html:") && !l.starts_with("image:")),
                "{links:?}"
            );
            assert!(links.iter().any(|l| l.contains(&sha)), "{links:?}");
        }
    }
}

#[test]
fn the_encoding_header_is_honoured() {
    let fx = Fx::new();
    fx.commit("feat: start", &[("a.txt", "a\n")]);
    // A Latin-1 commit, as `git -c i18n.commitEncoding=ISO-8859-1 commit` writes it.
    let tree = fx
        .repo
        .find_tree(fx.tree(&[("src/cafe.rs", "fn cafe() {}\n")]))
        .unwrap();
    let sig = Fx::sig("Ren\u{e9}", "rene@example.com", now() - 60);
    let parent = fx.head().unwrap();
    let buf = fx
        .repo
        .commit_create_buffer(&sig, &sig, "PLACEHOLDER", &tree, &[&parent])
        .unwrap();
    let raw = buf.as_str().unwrap().to_string();
    let (headers, _) = raw.split_once("\n\n").unwrap();
    // Author name and message in Latin-1 bytes.
    let headers = headers.replace("Ren\u{e9}", "Ren\u{0}");
    let mut bytes: Vec<u8> = Vec::new();
    for part in headers.split('\u{0}').enumerate() {
        if part.0 > 0 {
            bytes.push(0xe9);
        }
        bytes.extend_from_slice(part.1.as_bytes());
    }
    bytes.extend_from_slice(b"\nencoding ISO-8859-1\n\nfeat: caf\xe9 cr\xe8me\n");
    let oid = fx
        .repo
        .odb()
        .unwrap()
        .write(git2::ObjectType::Commit, &bytes)
        .unwrap();
    fx.repo
        .reference("refs/heads/latin", oid, true, "test")
        .unwrap();
    let spec = fx.spec(json!({"refs": ["latin"]}));
    let doc = fx.run_json(&spec);
    let e = entry(&doc, &oid.to_string());
    assert_eq!(e["title"], "feat: café crème", "{e}");
    assert_eq!(e["author"], "René", "{e}");
}

#[test]
fn report_reprints_the_last_report_after_a_clean_run_and_digests() {
    let fx = Fx::new();
    let fix = fx.commit(
        "fix(auth): reject expired tokens (#12)",
        &[("src/auth.rs", "fn check() {}\n")],
    );
    let spec = fx.spec(json!({}));
    let spec = spec.to_str().unwrap();
    let first = fx.strive(&["run", spec, "--json"]);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    let first: Value = serde_json::from_slice(&first.stdout).unwrap();
    let run_id = first["run_id"].as_str().unwrap().to_string();
    let clean = fx.strive(&["run", spec, "--json"]);
    let clean: Value = serde_json::from_slice(&clean.stdout).unwrap();
    assert_eq!(clean["result"], "clean", "{clean}");

    let out = fx.strive(&["report", "t1"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    assert!(
        shown.contains("1 newer run(s) reported nothing new"),
        "{shown}"
    );
    assert!(
        shown.contains(&format!(
            "fix(auth): reject expired tokens (#12) ({})",
            &fix[..10]
        )),
        "{shown}"
    );
    assert!(shown.contains("why: "), "{shown}");
    // The same by run id, as JSON; the clean run kept no entries.
    let out = fx.strive(&["report", "t1", "--run", &run_id, "--format", "json"]);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["entries"][0]["cites"][0], fix.as_str());
    assert_eq!(
        doc["entries"][0]["refs"][0],
        json!({"kind": "pr", "number": 12})
    );
    let clean_id = clean["run_id"].as_str().unwrap();
    let out = fx.strive(&["report", "t1", "--run", clean_id, "--format", "json"]);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["entries"], json!([]), "{doc}");
    // A week's digest lists the commit once.
    let out = fx.strive(&["report", "t1", "--digest", "--format", "json"]);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["entries"].as_array().unwrap().len(), 1, "{doc}");
    assert_eq!(doc["runs"].as_array().unwrap().len(), 2, "{doc}");
    // Unknown run: usage error naming the fix.
    let out = fx.strive(&["report", "t1", "--run", "nope"]);
    assert_eq!(out.status.code(), Some(64));
    assert!(
        text(&out.stderr).contains("strive log t1"),
        "{}",
        text(&out.stderr)
    );
}

/// Every link of a Markdown text, by a Markdown parser.
fn markdown_links(md: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Parser, Tag};
    Parser::new(md)
        .filter_map(|ev| match ev {
            Event::Start(Tag::Link { dest_url, .. }) => Some(dest_url.to_string()),
            Event::Start(Tag::Image { dest_url, .. }) => Some(format!("image:{dest_url}")),
            Event::Html(h) | Event::InlineHtml(h) => Some(format!("html:{h}")),
            _ => None,
        })
        .collect()
}

#[test]
fn markdown_links_follow_the_remote() {
    for (remote, commit_prefix, pr_prefix) in [
        (
            "git@github.com:acme/widgets.git",
            "https://github.com/acme/widgets/commit/",
            "https://github.com/acme/widgets/pull/",
        ),
        (
            "https://gitlab.com/acme/tools/widgets.git",
            "https://gitlab.com/acme/tools/widgets/-/commit/",
            "https://gitlab.com/acme/tools/widgets/-/merge_requests/",
        ),
        (
            "https://codeberg.org/acme/widgets",
            "https://codeberg.org/acme/widgets/commit/",
            "https://codeberg.org/acme/widgets/pulls/",
        ),
    ] {
        let fx = Fx::new();
        fx.repo.remote("origin", remote).unwrap();
        let a = fx.commit(
            "fix: handle empty input (#41)\n\nFixes #40",
            &[("src/a.rs", "fn a() {}\n")],
        );
        let b = fx.commit(
            "docs: explain [the](https://evil.example/) *flags*",
            &[("README.md", "# r\n")],
        );
        let out = fx.strive(&[
            "run",
            fx.spec(json!({})).to_str().unwrap(),
            "--format",
            "markdown",
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let md = text(&out.stdout);
        let links = markdown_links(&md);
        for l in &links {
            let ok = l
                .strip_prefix(commit_prefix)
                .is_some_and(|sha| sha == a || sha == b)
                || l.strip_prefix(pr_prefix).is_some_and(|n| n == "41")
                || l.ends_with("/issues/40");
            assert!(ok, "{remote}: unexpected link {l} in\n{md}");
        }
        assert!(links.contains(&format!("{commit_prefix}{a}")), "{md}");
        assert!(links.contains(&format!("{commit_prefix}{b}")), "{md}");
        assert!(links.contains(&format!("{pr_prefix}41")), "{md}");
        // Sections in severity order.
        let fixes = md.find("## Fixes").unwrap_or_else(|| panic!("{md}"));
        let docs = md
            .find("## Documentation")
            .unwrap_or_else(|| panic!("{md}"));
        assert!(fixes < docs, "{md}");
    }
    // A plain remote gets no links at all.
    let fx = Fx::new();
    fx.repo.remote("origin", "/srv/git/widgets.git").unwrap();
    fx.commit("fix: crash (#3)", &[("src/a.rs", "fn a() {}\n")]);
    let out = fx.strive(&[
        "run",
        fx.spec(json!({})).to_str().unwrap(),
        "--format",
        "markdown",
    ]);
    assert!(
        markdown_links(&text(&out.stdout)).is_empty(),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn windows_empty_repositories_and_first_parent() {
    // An empty repository is "no commits yet", not an error.
    let fx = Fx::new();
    let out = fx.strive(&["run", fx.spec(json!({})).to_str().unwrap(), "--json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["result"], "clean", "{v}");
    assert!(
        v["note"].as_str().unwrap().contains("no commits yet"),
        "{v}"
    );

    // An idle repository: its newest commit is 40 days old; the default window counts back
    // from the newest commit, so the first run still reads it.
    let fx = Fx::new();
    let tree = fx
        .repo
        .find_tree(fx.tree(&[("src/a.rs", "fn a() {}\n")]))
        .unwrap();
    let old = Fx::sig("Dev", "dev@example.com", now() - 40 * 86_400);
    let sha = fx
        .repo
        .commit(Some("HEAD"), &old, &old, "fix: old crash", &tree, &[])
        .unwrap()
        .to_string();
    let spec = fx.dir.path().join("idle.json");
    std::fs::write(
        &spec,
        json!({"id": "idle", "kind": "git-commit-triage", "phase": "L1",
               "target": {"repo": "repo", "refs": ["HEAD"]}, "budget": {}})
        .to_string(),
    )
    .unwrap();
    let doc = fx.run_json(&spec);
    assert_eq!(doc["entries"][0]["cites"][0], sha.as_str(), "{doc}");
    assert!(
        doc["note"]
            .as_str()
            .unwrap()
            .contains("before the newest commit"),
        "{doc}"
    );

    // `last: N` and `first_parent`.
    let fx = Fx::new();
    fx.commit("feat: one", &[("a.txt", "1\n")]);
    let base = fx.head().unwrap();
    let side_tree = fx.repo.find_tree(fx.tree(&[("b.txt", "2\n")])).unwrap();
    let sig = Fx::sig("Dev", "dev@example.com", now() - 60);
    let side = fx
        .repo
        .commit(None, &sig, &sig, "feat: side work", &side_tree, &[&base])
        .unwrap();
    let side = fx.repo.find_commit(side).unwrap();
    let merge = fx
        .repo
        .commit(
            Some("HEAD"),
            &sig,
            &sig,
            "Merge branch 'side'",
            &side_tree,
            &[&base, &side],
        )
        .unwrap()
        .to_string();
    let doc = fx.run_json(&fx.spec(json!({"first_run": {"last": 1}})));
    assert_eq!(doc["entries"].as_array().unwrap().len(), 1, "{doc}");
    let fx2 = Fx {
        dir: tempfile::tempdir().unwrap(),
        repo: Repository::open(fx.root()).unwrap(),
    };
    let spec = fx2.dir.path().join("fp.json");
    std::fs::write(
        &spec,
        json!({"id": "fp", "kind": "git-commit-triage", "phase": "L1",
               "target": {"repo": fx.root(), "refs": ["HEAD"], "first_run": "all", "first_parent": true}, "budget": {}})
        .to_string(),
    )
    .unwrap();
    let doc = fx2.run_json(&spec);
    let cited: Vec<&str> = doc["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["cites"][0].as_str().unwrap())
        .collect();
    assert!(cited.contains(&merge.as_str()), "{doc}");
    assert!(
        !cited.contains(&side.id().to_string().as_str()),
        "first-parent mode skips branch commits: {doc}"
    );

    // A window that does not parse is refused with what to write instead.
    let out = fx.strive(&[
        "run",
        fx.spec(json!({"first_run": {"last": 0}})).to_str().unwrap(),
    ]);
    assert_ne!(out.status.code(), Some(0));
}

#[test]
fn init_writes_the_default_branch() {
    let fx = Fx::new();
    fx.repo.set_head("refs/heads/trunk").unwrap();
    fx.commit("feat: one", &[("a.txt", "1\n")]);
    let out = Command::new(env!("CARGO_BIN_EXE_strive"))
        .args(["init", "t", "--repo", fx.root().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let spec: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(spec["target"]["refs"], json!(["trunk"]), "{spec}");
}

#[test]
fn a_cherry_pick_is_one_entry_citing_both_commits() {
    let fx = Fx::new();
    fx.commit("feat: base", &[("src/x.rs", "fn x() -> u8 { 1 }\n")]);
    let base = fx.head().unwrap();
    fx.repo.branch("release", &base, false).unwrap();
    let picked = fx.commit("fix: x returns 2", &[("src/x.rs", "fn x() -> u8 { 2 }\n")]);
    // The same patch on release (as `git cherry-pick -x` leaves it).
    let tree = fx.repo.head().unwrap().peel_to_tree().unwrap();
    let sig = Fx::sig("Dev", "dev@example.com", now() - 30);
    let copy = fx
        .repo
        .commit(
            Some("refs/heads/release"),
            &sig,
            &sig,
            &format!("fix: x returns 2\n\n(cherry picked from commit {picked})"),
            &tree,
            &[&base],
        )
        .unwrap()
        .to_string();
    let doc = fx.run_json(&fx.spec(json!({"refs": ["HEAD", "release"]})));
    let e = entry(&doc, &picked);
    let cites: Vec<&str> = e["cites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(cites, [picked.as_str(), copy.as_str()], "{doc:#}");
    assert!(reasons(e).contains("the same patch also landed as"), "{e}");
}

#[test]
fn a_shallow_clone_is_flagged() {
    let fx = Fx::new();
    fx.commit("feat: one", &[("src/a.rs", "fn a() {}\n")]);
    fx.commit("fix: two", &[("src/a.rs", "fn a() -> u8 { 2 }\n")]);
    let shallow = fx.dir.path().join("shallow");
    let url = format!("file://{}", fx.root().display());
    let out = Command::new("git")
        .args([
            "clone",
            "-q",
            "--depth",
            "1",
            &url,
            shallow.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let spec = fx.dir.path().join("shallow.json");
    std::fs::write(
        &spec,
        json!({"id": "sh", "kind": "git-commit-triage", "phase": "L1",
               "target": {"repo": "shallow", "refs": ["HEAD"], "first_run": "all"}, "budget": {}})
        .to_string(),
    )
    .unwrap();
    let doc = fx.run_json(&spec);
    assert_eq!(doc["shallow"], true, "{doc}");
    let out = fx.strive(&["report", "sh"]);
    assert!(
        text(&out.stdout).contains("shallow clone"),
        "{}",
        text(&out.stdout)
    );
}
