//! Shared by the runtime bench and the CLI's end-to-end triage bench (`#[path]`-included):
//! the generated history both measure, and median timing.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Commits in the generated history (all within the last ~33 hours).
pub const COMMITS: usize = 2_000;

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

pub fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

pub fn time<T>(reps: usize, mut f: impl FnMut() -> T) -> Duration {
    median(
        (0..reps)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(f());
                t.elapsed()
            })
            .collect(),
    )
}

/// A linear repository of `COMMITS` commits over the last ~33 hours, built with fast-import.
pub fn build_repo(dir: &Path) {
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(dir)
            .output()
            .expect("git")
    };
    git(&["init", "-q", "-b", "main"]);
    let subjects = [
        "feat: add option {}",
        "fix: handle empty input in {}",
        "chore: bump deps {}",
        "docs: explain {}",
        "Merge pull request #{} from dev/x",
        "security: tighten token check {}",
        "refactor: split module {}",
        "Revert \"feat: add option {}\"",
    ];
    let start = now() - 33 * 3600;
    let mut stream = String::new();
    for i in 0..COMMITS {
        let subject = subjects[i % subjects.len()].replace("{}", &i.to_string());
        let when = start + (i as i64) * 59;
        let content = format!("line {i}\n");
        stream.push_str(&format!(
            "commit refs/heads/main\nmark :{}\ncommitter Dev <dev@example.com> {when} +0000\ndata {}\n{subject}\n",
            i + 1,
            subject.len() + 1
        ));
        if i > 0 {
            stream.push_str(&format!("from :{i}\n"));
        }
        stream.push_str(&format!(
            "M 644 inline src/file{}.txt\ndata {}\n{content}\n",
            i % 50,
            content.len()
        ));
    }
    let mut child = Command::new("git")
        .args(["fast-import", "--quiet"])
        .current_dir(dir)
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stream.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
    git(&["reset", "-q", "--hard", "main"]);
}
