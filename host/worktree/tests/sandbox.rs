//! The OS sandbox under worktree commands, on real repositories: what a hostile test suite
//! tries is refused, and what an ordinary one needs still works.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use strive_worktree::{Exit, Network, RunLimits, SandboxLimits, SandboxPolicy, Worktree, sandbox};

use crate::worktree::{AllowAll, git, repo};

fn sandboxed(tmp: &tempfile::TempDir, repo: &Path, policy: SandboxPolicy) -> Worktree {
    Worktree::builder(repo, "main", "sbx")
        .parent_dir(tmp.path())
        .sandbox(policy)
        .limits(RunLimits {
            timeout: Duration::from_secs(30),
            output_cap: 64 * 1024,
        })
        .create(Arc::new(AllowAll))
        .expect("worktree")
}

fn run(wt: &Worktree, command: &str) -> (Exit, String) {
    let out = wt.run(command).expect("the command runs in the sandbox");
    (out.exit, format!("{}{}", out.stdout, out.stderr))
}

#[test]
fn the_kernel_has_what_the_sandbox_needs() {
    let report = sandbox::probe().expect("sandbox available on this machine");
    assert!(report.landlock_abi >= 1);
}

#[test]
fn ordinary_work_inside_the_worktree_succeeds() {
    let (tmp, repo) = repo();
    let wt = sandboxed(&tmp, &repo, SandboxPolicy::default());
    let (exit, out) = run(
        &wt,
        "echo two > lib.txt && mkdir -p build && echo x > build/o && rm -r build \
         && echo t > \"$TMPDIR/scratch\" && cat \"$TMPDIR/scratch\" && sh tests/check.sh \
         && git status --short && ls /usr/bin >/dev/null",
    );
    assert_eq!(exit, Exit::Code(0), "{out}");
    assert!(out.contains("lib.txt"), "git status works inside: {out}");
    assert_eq!(wt.read("lib.txt").unwrap(), "two\n");
}

#[test]
fn writes_outside_the_worktree_are_refused() {
    let (tmp, repo) = repo();
    let outside = tmp.path().join("outside.txt");
    let wt = sandboxed(&tmp, &repo, SandboxPolicy::default());
    let hooks = repo.join(".git/hooks/post-checkout");
    let before = tree_digest(&repo);
    let script = format!(
        "for f in '{out}' '{hook}' '{cfg}' '{head}' '{base}'; do \
           if (echo pwned > \"$f\") 2>/dev/null; then echo WROTE \"$f\"; fi; done; \
         if (echo 'gitdir: /tmp' > .git) 2>/dev/null; then echo WROTE-GITLINK; fi; \
         if mv .git moved 2>/dev/null; then echo MOVED-GITLINK; fi; \
         if (echo x > /tmp/strive-sandbox-escape-probe) 2>/dev/null; then echo WROTE-TMP; fi; \
         exit 0",
        out = outside.display(),
        hook = hooks.display(),
        cfg = repo.join(".git/config").display(),
        head = repo.join(".git/refs/heads/main").display(),
        base = repo.join("lib.txt").display(),
    );
    let (exit, out) = run(&wt, &script);
    assert_eq!(exit, Exit::Code(0), "{out}");
    assert!(!out.contains("WROTE") && !out.contains("MOVED"), "{out}");
    assert!(!outside.exists());
    assert!(!hooks.exists());
    assert!(!Path::new("/tmp/strive-sandbox-escape-probe").exists());
    assert_eq!(
        before,
        tree_digest(&repo),
        "the target repository is unchanged"
    );
    // The host still sees its own worktree intact.
    assert!(wt.path().join(".git").is_file());
}

#[test]
fn secrets_and_host_processes_are_out_of_sight() {
    let (tmp, repo) = repo();
    let secret_dir = tmp.path().join("not-for-you");
    std::fs::create_dir(&secret_dir).unwrap();
    std::fs::write(secret_dir.join("id_ed25519"), "PRIVATE KEY").unwrap();
    let wt = sandboxed(&tmp, &repo, SandboxPolicy::default());
    let host_pid = std::process::id();
    let script = format!(
        "cat '{key}' 2>/dev/null && echo READ-KEY; \
         ls '{dir}' 2>/dev/null && echo LISTED; \
         cat /proc/{host_pid}/environ 2>/dev/null && echo READ-ENVIRON; \
         cat /etc/shadow 2>/dev/null | grep -q root && echo READ-SHADOW; \
         ls ~/.ssh 2>/dev/null; ls /root 2>/dev/null && echo LISTED-ROOT; \
         echo procs=$(ls /proc | grep -c '^[0-9]'); exit 0",
        key = secret_dir.join("id_ed25519").display(),
        dir = secret_dir.display(),
    );
    let (exit, out) = run(&wt, &script);
    assert_eq!(exit, Exit::Code(0), "{out}");
    for leak in [
        "READ-KEY",
        "LISTED",
        "READ-ENVIRON",
        "READ-SHADOW",
        "PRIVATE KEY",
    ] {
        assert!(!out.contains(leak), "{leak}: {out}");
    }
    let procs: usize = out
        .lines()
        .find_map(|l| l.strip_prefix("procs="))
        .and_then(|n| n.trim().parse().ok())
        .expect("process count printed");
    assert!(
        procs <= 6,
        "only the sandbox's own processes are visible: {out}"
    );
}

#[test]
fn no_network_by_default_and_full_network_when_allowed() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    listener.set_nonblocking(true).unwrap();
    let (tmp, repo) = repo();
    let probe = format!(
        "python3 -c \"import socket; s=socket.create_connection(('127.0.0.1', {port}), 2); \
         s.sendall(b'hello'); print('CONNECTED')\""
    );
    let wt = sandboxed(&tmp, &repo, SandboxPolicy::default());
    let (_, out) = run(&wt, &probe);
    assert!(!out.contains("CONNECTED"), "{out}");
    assert!(
        listener.accept().is_err(),
        "nothing reached the host's listener"
    );

    let open = SandboxPolicy {
        network: Network::Full {
            reason: "test".into(),
        },
        ..SandboxPolicy::default()
    };
    let wt = sandboxed(&tmp, &repo, open);
    let (exit, out) = run(&wt, &probe);
    assert_eq!(exit, Exit::Code(0), "{out}");
    listener.set_nonblocking(false).unwrap();
    let (mut conn, _) = listener.accept().unwrap();
    let mut buf = [0u8; 5];
    conn.read_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"hello");
    let _ = conn.write_all(b"");
}

#[test]
fn a_fork_bomb_and_a_disk_filler_are_contained() {
    let (tmp, repo) = repo();
    let policy = SandboxPolicy {
        limits: SandboxLimits {
            processes: 64,
            file_size_bytes: 1 << 20,
            ..SandboxLimits::default()
        },
        ..SandboxPolicy::default()
    };
    let wt = sandboxed(&tmp, &repo, policy);
    // Thousands of processes asked for; the cap refuses most; all die at the end.
    let (_, out) = run(
        &wt,
        "n=0; while [ $n -lt 2000 ]; do (sleep 30 &) 2>/dev/null || true; n=$((n+1)); done; \
         echo started; exit 0",
    );
    assert!(out.contains("started"), "{out}");
    let (_, out) = run(
        &wt,
        "dd if=/dev/zero of=big bs=1M count=64 2>&1; ls -l big | awk '{print \"size=\" $5}'",
    );
    let size: u64 = out
        .lines()
        .find_map(|l| l.strip_prefix("size="))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0);
    assert!(size <= 1 << 20, "file capped at 1 MiB: {out}");
}

#[test]
fn the_whole_process_tree_dies_at_the_timeout() {
    let (tmp, repo) = repo();
    let wt = sandboxed(&tmp, &repo, SandboxPolicy::default());
    let marker = wt.path().join("late");
    let out = wt
        .run_with(
            &format!(
                "(setsid sh -c 'sleep 2; touch {}' &); sleep 60",
                marker.display()
            ),
            RunLimits {
                timeout: Duration::from_millis(500),
                output_cap: 1024,
            },
            None,
        )
        .unwrap();
    assert_eq!(out.exit, Exit::TimedOut);
    std::thread::sleep(Duration::from_secs(3));
    assert!(
        !marker.exists(),
        "a detached grandchild died with the sandbox"
    );
}

#[test]
fn known_secret_values_are_redacted_and_never_in_the_environment() {
    let (tmp, repo) = repo();
    // PATH's value is certainly set in the host: treat it as a "secret" for this test.
    let wt = Worktree::builder(&repo, "main", "sbx")
        .parent_dir(tmp.path())
        .secret_env(["PATH"])
        .create(Arc::new(AllowAll))
        .unwrap();
    let path = std::env::var("PATH").unwrap();
    let out = wt
        .run(&format!("echo '{path}'; printenv PATH || echo no-path-var"))
        .unwrap();
    assert!(!out.stdout.contains(&path), "{}", out.stdout);
    assert!(out.stdout.contains("[redacted PATH]"), "{}", out.stdout);
    assert!(out.stdout.contains("no-path-var"), "{}", out.stdout);
}

#[test]
fn sandbox_off_is_an_explicit_choice() {
    let (tmp, repo) = repo();
    let outside = tmp.path().join("outside-off.txt");
    let policy = SandboxPolicy {
        mode: strive_worktree::SandboxMode::Off,
        ..SandboxPolicy::default()
    };
    let wt = sandboxed(&tmp, &repo, policy);
    let (exit, _) = run(&wt, &format!("echo x > '{}'", outside.display()));
    assert_eq!(exit, Exit::Code(0));
    assert!(outside.exists(), "mode off runs unconfined, as documented");
    git(&repo, &["status", "--short"]);
}

/// Content digest of every file under `dir` (including `.git`), for before/after comparisons.
pub(crate) fn tree_digest(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            let ft = e.file_type().unwrap();
            if ft.is_dir() {
                // git's worktree bookkeeping for this test's own worktree changes legitimately.
                if p.ends_with(".git/worktrees") {
                    continue;
                }
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().display().to_string();
                out.push((rel, std::fs::read(&p).unwrap_or_default()));
            }
        }
    }
    out.sort();
    out
}
