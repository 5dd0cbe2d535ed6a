//! The `git` capability's queries against real repositories: per-file line counts and binary
//! flags agree with `git log --numstat` over a few hundred generated commits (enough to take the
//! multi-threaded path), and renames are reported as renames.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::common;
use strive_runtime::bindings::v0_1::strive::loops::git::{ChangeKind, LogQuery};
use strive_runtime::gitread;

/// Deterministic pseudo-random numbers (xorshift) so a failure reproduces.
struct Rng(u64);
impl Rng {
    fn next(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % below
    }
}

/// `git args` in `dir` with git's defaults, whatever the developer's config says.
fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// Feed a fast-import stream into a fresh repository at `dir` (branch `main`).
fn fast_import(dir: &Path, stream: &[u8]) {
    git(dir, &["init", "-q", "-b", "main"]);
    let mut child = Command::new("git")
        .args(["fast-import", "--quiet"])
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stream).unwrap();
    assert!(child.wait().unwrap().success());
}

fn blob(stream: &mut Vec<u8>, path: &str, content: &[u8]) {
    stream.extend_from_slice(format!("M 644 inline {path}\ndata {}\n", content.len()).as_bytes());
    stream.extend_from_slice(content);
    stream.push(b'\n');
}

/// `commits` commits editing, adding, deleting and occasionally binary-writing files, never
/// adding and deleting in one commit (so neither side pairs them as a rename).
fn generated_history(dir: &Path, commits: usize) {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut files: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut stream = Vec::new();
    for i in 0..commits {
        stream.extend_from_slice(
            format!(
                "commit refs/heads/main\nmark :{}\ncommitter Dev <dev@example.com> {} +0000\ndata 9\nchange {:02}\n",
                i + 1,
                1_700_000_000 + i as u64 * 60,
                i % 100
            )
            .as_bytes(),
        );
        if i > 0 {
            stream.extend_from_slice(format!("from :{i}\n").as_bytes());
        }
        let deleting = i > 10 && rng.next(10) == 0 && files.len() > 3;
        if deleting {
            let victim = files
                .keys()
                .nth(rng.next(files.len() as u64) as usize)
                .cloned()
                .unwrap();
            files.remove(&victim);
            stream.extend_from_slice(format!("D {victim}\n").as_bytes());
            continue;
        }
        for _ in 0..=rng.next(3) {
            let name = format!("src/dir{}/f{}.txt", rng.next(3), rng.next(12));
            if rng.next(25) == 0 {
                let mut content = vec![0u8, 1, 2, 3];
                content.extend((0..rng.next(50)).map(|b| b as u8));
                files.remove(&name);
                blob(&mut stream, &name.replace(".txt", ".bin"), &content);
                continue;
            }
            let lines = files.entry(name.clone()).or_default();
            for _ in 0..=rng.next(6) {
                let at = rng.next(lines.len() as u64 + 1) as usize;
                match rng.next(3) {
                    0 if !lines.is_empty() && at < lines.len() => {
                        lines.remove(at);
                    }
                    1 if at < lines.len() => lines[at] = format!("edited {}", rng.next(1000)),
                    _ => lines.insert(at, format!("line {}", rng.next(40))),
                }
            }
            let mut text = lines.join("\n");
            if !text.is_empty() && rng.next(4) != 0 {
                text.push('\n');
            }
            blob(&mut stream, &name, text.as_bytes());
        }
    }
    fast_import(dir, &stream);
}

type Stats = BTreeMap<String, BTreeMap<String, (Option<u32>, Option<u32>)>>;

/// sha → path → (added, deleted), `None` for binary, per `git log --numstat --no-renames`.
fn numstat(dir: &Path) -> Stats {
    let text = git(
        dir,
        &["log", "main", "--numstat", "--no-renames", "--format=@%H"],
    );
    let mut out = Stats::new();
    let mut sha = String::new();
    for line in text.lines().filter(|l| !l.is_empty()) {
        if let Some(s) = line.strip_prefix('@') {
            sha = s.to_string();
            out.entry(sha.clone()).or_default();
            continue;
        }
        let mut parts = line.splitn(3, '\t');
        let (a, d, path) = (
            parts.next().unwrap(),
            parts.next().unwrap(),
            parts.next().unwrap(),
        );
        out.get_mut(&sha)
            .unwrap()
            .insert(path.to_string(), (a.parse().ok(), d.parse().ok()));
    }
    out
}

#[test]
fn line_counts_and_binary_flags_match_git_numstat() {
    let dir = tempfile::tempdir().unwrap();
    generated_history(dir.path(), 400);
    assert_eq!(host_stats(dir.path()), numstat(dir.path()));
    let commits = full_log(dir.path());
    assert_eq!(commits.len(), 400);
    assert!(
        commits
            .iter()
            .flat_map(|c| &c.changes)
            .any(|f| f.binary && f.kind == ChangeKind::Added),
        "the history has binary files"
    );
    assert!(
        commits
            .iter()
            .flat_map(|c| &c.changes)
            .any(|f| f.kind == ChangeKind::Deleted),
        "the history has deletions"
    );
}

/// Every commit of `dir`'s `main`, with changes, through the host's query.
fn full_log(dir: &Path) -> Vec<strive_runtime::bindings::v0_1::strive::loops::git::Commit> {
    let repo = gitread::open(dir).unwrap();
    let query = LogQuery {
        tip: "main".into(),
        since_exclusive: None,
        since_time: None,
        limit: 0,
        with_changes: true,
    };
    gitread::log(&repo, &query, 10_000, None).unwrap()
}

/// Per-commit stats of `dir`'s `main` as this host computes them.
fn host_stats(dir: &Path) -> Stats {
    let mut got = Stats::new();
    for c in full_log(dir) {
        let files = got.entry(c.sha.clone()).or_default();
        for f in &c.changes {
            let counts = if f.binary {
                (None, None)
            } else {
                (Some(f.additions), Some(f.deletions))
            };
            files.insert(f.path.clone(), counts);
        }
    }
    got
}

#[test]
fn modes_symlinks_submodules_and_dir_file_swaps_match_git_numstat() {
    let dir = tempfile::tempdir().unwrap();
    let mut stream = Vec::new();
    let mut commit = |n: usize, body: &[u8]| {
        stream.extend_from_slice(
            format!(
                "commit refs/heads/main\nmark :{n}\ncommitter Dev <dev@example.com> {} +0000\ndata 2\nc\n",
                1_700_000_000 + n * 60
            )
            .as_bytes(),
        );
        if n > 1 {
            stream.extend_from_slice(format!("from :{}\n", n - 1).as_bytes());
        }
        stream.extend_from_slice(body);
    };
    let sub = "1111111111111111111111111111111111111111";
    let sub2 = "2222222222222222222222222222222222222222";
    commit(1, b"M 644 inline run.sh\ndata 8\necho hi\n\nM 644 inline thing\ndata 2\nx\n\nM 644 inline a-b\ndata 2\ny\n\nM 644 inline a/z\ndata 2\nz\n\n");
    commit(2, b"M 755 inline run.sh\ndata 8\necho hi\n\n");
    commit(
        3,
        format!("M 120000 inline link\ndata 6\nrun.sh\nM 160000 {sub} vendor/lib\n").as_bytes(),
    );
    commit(
        4,
        format!("M 160000 {sub2} vendor/lib\nM 644 inline a-b\ndata 3\ny2\n\n").as_bytes(),
    );
    commit(5, b"D thing\nM 644 inline thing/inside.txt\ndata 2\nq\n\n");
    commit(6, b"D a\nM 644 inline a\ndata 8\nnow a f\n\n");
    fast_import(dir.path(), &stream);
    assert_eq!(host_stats(dir.path()), numstat(dir.path()));
}

#[test]
fn a_moved_file_is_a_rename_with_its_old_path() {
    let dir = tempfile::tempdir().unwrap();
    let body: String = (0..30).map(|i| format!("line {i}\n")).collect();
    let mut stream = Vec::new();
    stream.extend_from_slice(
        b"commit refs/heads/main\nmark :1\ncommitter Dev <dev@example.com> 1700000000 +0000\ndata 4\nadd\n",
    );
    blob(&mut stream, "old/name.txt", body.as_bytes());
    stream.extend_from_slice(
        b"commit refs/heads/main\nmark :2\ncommitter Dev <dev@example.com> 1700000060 +0000\ndata 5\nmove\nfrom :1\nD old/name.txt\n",
    );
    blob(
        &mut stream,
        "new/name.txt",
        format!("{body}one more\n").as_bytes(),
    );
    fast_import(dir.path(), &stream);
    let repo = gitread::open(dir.path()).unwrap();
    let changes = gitread::changes(&repo, "main").unwrap();
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].kind, ChangeKind::Renamed);
    assert_eq!(changes[0].path, "new/name.txt");
    assert_eq!(changes[0].old_path.as_deref(), Some("old/name.txt"));
    assert_eq!((changes[0].additions, changes[0].deletions), (1, 0));
}

/// A walk whose deadline has passed stops between commits with an error saying so, instead of
/// reading the rest of the history.
#[test]
fn a_log_walk_stops_at_its_deadline() {
    let repo = common::TestRepo::new();
    for i in 0..5 {
        repo.commit(&format!("c{i}"), &[("f.txt", &format!("{i}\n"))]);
    }
    let handle = gitread::open(&repo.path()).unwrap();
    let query = LogQuery {
        tip: "HEAD".into(),
        since_exclusive: None,
        since_time: None,
        limit: 0,
        with_changes: true,
    };
    let past = std::time::Instant::now();
    let err = gitread::log(&handle, &query, 10_000, Some(past)).unwrap_err();
    assert!(format!("{err:?}").contains("wall-time limit"), "{err:?}");
    let later = std::time::Instant::now() + std::time::Duration::from_secs(60);
    assert_eq!(
        gitread::log(&handle, &query, 10_000, Some(later))
            .unwrap()
            .len(),
        5
    );
}

/// Revision grep scans the whole history with no bound: refused, with what to use instead.
#[test]
fn revision_grep_is_refused() {
    let repo = common::TestRepo::new();
    repo.commit("fix: something", &[("f.txt", "1\n")]);
    let handle = gitread::open(&repo.path()).unwrap();
    for rev in [":/fix", "HEAD^{/fix}", "main:/x"] {
        let err = gitread::resolve(&handle, rev).unwrap_err();
        assert!(
            format!("{err:?}").contains("revision grep"),
            "{rev}: {err:?}"
        );
    }
    assert!(gitread::resolve(&handle, "HEAD").is_ok());
    assert!(
        gitread::resolve(&handle, "HEAD:f.txt").is_err(),
        "a blob is not a commit"
    );
}

/// sha → the changed lines (`+…`/`-…`) of its zero-context patch, in order, per
/// `git log -p -U0 --no-renames` (binary files contribute none).
fn changed_lines_by_git(dir: &Path) -> BTreeMap<String, Vec<String>> {
    let text = git(
        dir,
        &[
            "log",
            "main",
            "-p",
            "-U0",
            "--no-renames",
            "--no-color",
            "--format=@%H",
        ],
    );
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut sha = String::new();
    for line in text.lines() {
        if let Some(s) = line.strip_prefix('@')
            && s.len() == 40
        {
            sha = s.to_string();
            out.entry(sha.clone()).or_default();
            continue;
        }
        if (line.starts_with('+') && !line.starts_with("+++ "))
            || (line.starts_with('-') && !line.starts_with("--- "))
        {
            out.get_mut(&sha).unwrap().push(line.to_string());
        }
    }
    out
}

/// `log-page` patches carry the same changed lines as git's own zero-context patches, page
/// after page, and the pages (by `skip`) partition the walk exactly.
#[test]
fn log_page_patches_match_git_and_pages_partition_the_walk() {
    use strive_runtime::bindings::v0_1::strive::loops::git::PageQuery;
    let dir = tempfile::tempdir().unwrap();
    generated_history(dir.path(), 300);
    let repo = gitread::open(dir.path()).unwrap();
    let expected = changed_lines_by_git(dir.path());
    let whole = full_log(dir.path());
    let mut seen: Vec<String> = Vec::new();
    let mut skip = 0u32;
    loop {
        let query = PageQuery {
            log: LogQuery {
                tip: "main".into(),
                since_exclusive: None,
                since_time: None,
                limit: 64,
                with_changes: true,
            },
            skip,
            patch_bytes: 1 << 20,
        };
        let page = gitread::log_page(&repo, &query, 10_000, None).unwrap();
        if page.is_empty() {
            break;
        }
        for p in &page {
            let patch = p.patch.as_deref().expect("every patch fits");
            let got: Vec<String> = patch
                .lines()
                .filter(|l| {
                    (l.starts_with('+') && !l.starts_with("+++ "))
                        || (l.starts_with('-') && !l.starts_with("--- "))
                })
                .map(str::to_string)
                .collect();
            // Renamed files are whole deletions plus additions for `--no-renames` git; the
            // host pairs them, so compare those commits by counts only.
            if p.commit
                .changes
                .iter()
                .any(|f| f.kind == ChangeKind::Renamed)
            {
                let counted: u32 = p
                    .commit
                    .changes
                    .iter()
                    .map(|f| f.additions + f.deletions)
                    .sum();
                assert_eq!(got.len() as u32, counted, "{}", p.commit.sha);
            } else {
                assert_eq!(got, expected[&p.commit.sha], "patch of {}", p.commit.sha);
            }
            seen.push(p.commit.sha.clone());
        }
        skip += page.len() as u32;
    }
    let walk: Vec<String> = whole.iter().map(|c| c.sha.clone()).collect();
    assert_eq!(seen, walk, "pages partition the walk in its order");

    // A patch over the byte cap is left out, the commit is still listed.
    let tiny = PageQuery {
        log: LogQuery {
            tip: "main".into(),
            since_exclusive: None,
            since_time: None,
            limit: 10,
            with_changes: false,
        },
        skip: 0,
        patch_bytes: 1,
    };
    let page = gitread::log_page(&repo, &tiny, 10_000, None).unwrap();
    assert_eq!(page.len(), 10);
    assert!(
        page.iter()
            .all(|p| p.patch.is_none() && p.commit.changes.is_empty())
    );
}

/// The report document's facts taken from the run's own log (the fast path) are the facts read
/// from git commit by commit (the path for a cited commit the run did not read).
#[test]
fn report_facts_from_the_log_equal_facts_read_from_git() {
    let tmp = std::env::temp_dir().join(format!("strive-facts-{}", common::rand_suffix()));
    std::fs::create_dir_all(&tmp).unwrap();
    generated_history(&tmp, 300);
    let repo = gitread::open(&tmp).unwrap();
    let log = full_log(&tmp);
    assert!(log.len() >= 300);
    for commit in &log {
        let fast = strive_runtime::triage_report::CommitFacts::of(commit);
        let read = strive_runtime::triage_report::CommitFacts::read(&repo, &commit.sha)
            .expect("a logged commit reads");
        assert_eq!(fast, read, "commit {}", commit.sha);
    }
    let _ = std::fs::remove_dir_all(&tmp);
}
