//! Grounded verification of 1,000 abbreviated SHAs in a 2,000-commit repository (built with
//! `git fast-import` like the earlier tool's benchmark, inventory §8), against the same lookups
//! done by one `git cat-file --batch-check` process spawned per iteration. Once for a SHA-1
//! repository (libgit2, in-process) and once for a SHA-256 one (one `git` process per batch).
//!
//! Run: `cargo bench -p strive-core --bench verify`. Target: strive no slower than git.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use criterion::{Criterion, criterion_group, criterion_main};
use strive_core::verify::Verifier;

fn git(dir: &Path, args: &[&str], input: Option<&str>) -> String {
    let mut child = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("git runs");
    let mut stdin = child.stdin.take().unwrap();
    if let Some(input) = input {
        stdin.write_all(input.as_bytes()).unwrap();
    }
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "git {args:?} failed");
    String::from_utf8(out.stdout).unwrap()
}

/// A linear 2,000-commit history whose subjects cycle through 8 templates, one file changed per
/// commit, committed one minute apart.
fn build_repo(dir: &Path, object_format: &str) {
    const SUBJECTS: [&str; 8] = [
        "feat: add widget",
        "fix: crash in parser",
        "chore: bump deps",
        "docs: update readme",
        "Merge pull request from dev/x",
        "security: harden input",
        "refactor: tidy module",
        "revert: undo change",
    ];
    let mut stream = String::new();
    for i in 0..2000usize {
        let subject = format!("{} {i}", SUBJECTS[i % 8]);
        let content = format!("content {i}\n");
        stream.push_str(&format!(
            "commit refs/heads/main\nmark :{}\ncommitter Bench <b@e> {} +0000\ndata {}\n{subject}\n",
            i + 1,
            1_700_000_000 + i * 60,
            subject.len()
        ));
        if i > 0 {
            stream.push_str(&format!("from :{i}\n"));
        }
        stream.push_str(&format!(
            "M 100644 inline file{}.txt\ndata {}\n{content}\n",
            i % 50,
            content.len()
        ));
    }
    let format = format!("--object-format={object_format}");
    git(dir, &["init", "-q", "-b", "main", &format], None);
    git(dir, &["fast-import", "--quiet"], Some(&stream));
}

/// What `git cat-file --batch-check` answers for `<sha>^{commit}` lines, spawned fresh:
/// the earlier tool's "reference floor".
fn cat_file_batch_check(repo: &Path, input: &str) -> usize {
    let mut child = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["cat-file", "--batch-check"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let answers = std::thread::scope(|scope| {
        scope.spawn(move || stdin.write_all(input.as_bytes()).unwrap());
        let mut answers = String::new();
        stdout.read_to_string(&mut answers).unwrap();
        answers
    });
    assert!(child.wait().unwrap().success());
    answers.lines().filter(|l| l.contains(" commit ")).count()
}

fn bench_verify(c: &mut Criterion) {
    for object_format in ["sha1", "sha256"] {
        let dir = tempfile::TempDir::new().unwrap();
        let repo = dir.path();
        build_repo(repo, object_format);
        let log = |format: &str| -> Vec<String> {
            git(repo, &["log", format, "-n", "1000", "main"], None)
                .lines()
                .map(str::to_string)
                .collect()
        };
        let short = log("--format=%h");
        let full = log("--format=%H");
        assert_eq!(short.len(), 1000);
        let batch_input: String = short.iter().map(|s| format!("{s}^{{commit}}\n")).collect();
        assert_eq!(cat_file_batch_check(repo, &batch_input), 1000);
        assert!(Verifier::open(repo).grounded(&short).valid);
        assert!(Verifier::open(repo).isomorphic(&short).consistent);

        let mut group = c.benchmark_group(format!("verify_1000_shas_2000_commits_{object_format}"));
        group.bench_function("git_cat_file_batch_check_short", |b| {
            b.iter(|| cat_file_batch_check(repo, &batch_input))
        });
        group.bench_function("strive_grounded_short", |b| {
            b.iter(|| Verifier::open(repo).grounded(&short))
        });
        group.bench_function("strive_grounded_full", |b| {
            b.iter(|| Verifier::open(repo).grounded(&full))
        });
        group.bench_function("strive_isomorphic_short", |b| {
            b.iter(|| Verifier::open(repo).isomorphic(&short))
        });
        group.finish();
    }
}

criterion_group!(benches, bench_verify);
criterion_main!(benches);
