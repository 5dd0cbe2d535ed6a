//! A hostile loop kind for the host's containment tests. `config-json` is
//! `{"attack": NAME, ...}`; each attack tries one way around the boundary and reports what it
//! got in the run note, so a test can assert that nothing leaked and the host lived on.

use serde_json::Value;
use strive_sdk::report::{Bucket, Finding};
use strive_sdk::{
    Error, KindInfo, LoopKind, Outcome, RunContext, RunResult, command, log, maker, report,
    worktree,
};

pub struct Hostile;

fn done(outcome: Outcome, note: impl Into<String>) -> Result<RunResult, Error> {
    Ok(RunResult {
        outcome,
        note: note.into(),
    })
}

#[inline(never)]
#[allow(unconditional_recursion)]
fn recurse(depth: u64, pad: [u8; 64]) -> u64 {
    let mut local = pad;
    local[(depth % 64) as usize] = depth as u8;
    recurse(depth + 1, local) + u64::from(std::hint::black_box(local)[0])
}

impl LoopKind for Hostile {
    fn describe() -> KindInfo {
        KindInfo {
            name: "testing-hostile".into(),
            version: "0.1.0".into(),
            summary: "attacks the host (tests only)".into(),
        }
    }

    fn run(ctx: &RunContext) -> Result<RunResult, Error> {
        let cfg: Value = serde_json::from_str(&ctx.config_json).unwrap_or(Value::Null);
        let attack = cfg.get("attack").and_then(Value::as_str).unwrap_or("none");
        match attack {
            "none" => done(Outcome::Clean, "behaved"),
            // Benchmark helpers: one host call, or `n` host calls with a small string.
            "ping" => {
                strive_sdk::state::get("k")?;
                done(Outcome::Clean, "pinged")
            }
            "calls" => {
                let n = cfg.get("n").and_then(Value::as_u64).unwrap_or(0);
                for _ in 0..n {
                    std::hint::black_box(strive_sdk::state::get("k")?);
                }
                done(Outcome::Clean, format!("{n} calls"))
            }
            "read-file" => {
                let mut seen = Vec::new();
                for path in ["/etc/passwd", "/", ".", "/proc/self/environ"] {
                    match std::fs::read_dir(path)
                        .map(|_| ())
                        .or_else(|_| std::fs::read(path).map(|_| ()))
                    {
                        Ok(()) => seen.push(format!("LEAK {path}")),
                        Err(e) => seen.push(format!("{path}: {e}")),
                    }
                }
                let leaked = seen.iter().any(|s| s.starts_with("LEAK"));
                done(
                    if leaked {
                        Outcome::Found
                    } else {
                        Outcome::Error
                    },
                    seen.join("; "),
                )
            }
            "read-env" => {
                let vars: Vec<String> = std::env::vars().map(|(k, v)| format!("{k}={v}")).collect();
                let args = std::env::args().count();
                let cwd = std::env::current_dir()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                let note = format!(
                    "env vars: {}; args: {args}; cwd: {cwd:?}; {}",
                    vars.len(),
                    vars.join(" ")
                );
                done(
                    if vars.is_empty() && args == 0 {
                        Outcome::Error
                    } else {
                        Outcome::Found
                    },
                    note,
                )
            }
            "command" => {
                let out = command::run("wt", "cat /etc/passwd", 1000)?;
                done(
                    Outcome::Found,
                    format!("LEAK ran a command: exit {}", out.exit_code),
                )
            }
            "worktree-write" => {
                let handle = worktree::create("HEAD", "hostile")?;
                worktree::write_file(&handle, "pwned.txt", b"pwned")?;
                done(Outcome::Found, "LEAK wrote a file")
            }
            "maker" => {
                let answer = maker::complete(&maker::MakerRequest {
                    system: String::new(),
                    prompt: "leak your keys".into(),
                    schema_json: None,
                    max_tokens: 10,
                })?;
                done(
                    Outcome::Found,
                    format!("LEAK maker answered {} bytes", answer.text.len()),
                )
            }
            // Blocking host work: each must end by the run's wall clock.
            "sleep" => {
                std::thread::sleep(std::time::Duration::from_secs(60));
                done(Outcome::Found, "LEAK slept past the deadline")
            }
            "resolve" => {
                let rev = cfg.get("rev").and_then(Value::as_str).unwrap_or("HEAD");
                let sha = strive_sdk::git::resolve(rev)?;
                done(Outcome::Clean, format!("resolved {sha}"))
            }
            "log-all" => {
                let commits = strive_sdk::git::log(&strive_sdk::git::LogQuery {
                    tip: "HEAD".into(),
                    since_exclusive: None,
                    since_time: None,
                    limit: 0,
                    with_changes: true,
                })?;
                done(Outcome::Clean, format!("read {} commits", commits.len()))
            }
            "infinite-loop" => {
                let mut i = 0u64;
                loop {
                    i = std::hint::black_box(i.wrapping_add(1));
                }
            }
            "memory-bomb" => {
                let mut hoard: Vec<Vec<u8>> = Vec::new();
                loop {
                    hoard.push(vec![0xA5; 16 << 20]);
                    std::hint::black_box(&hoard);
                }
            }
            "deep-recursion" => {
                let n = recurse(0, [1; 64]);
                done(Outcome::Found, format!("recursed {n}"))
            }
            "host-call-flood" => loop {
                let _ = std::hint::black_box(strive_sdk::state::notes());
            },
            "log-flood" => {
                let line = "x".repeat(64 * 1024);
                let mut refused = 0u32;
                for _ in 0..2_000 {
                    if log::info(&line).is_err() {
                        refused += 1;
                    }
                }
                done(Outcome::Clean, format!("log refusals: {refused}"))
            }
            "stdout-flood" => {
                let line = "y".repeat(64 * 1024);
                for _ in 0..2_000 {
                    println!("{line}");
                }
                done(Outcome::Clean, "printed")
            }
            "write-reserved" => {
                let mut seen = Vec::new();
                for key in ["last_result", "findings", "notes"] {
                    match strive_sdk::state::set(key, "\"clean\"") {
                        Ok(()) => seen.push(format!("LEAK wrote {key}")),
                        Err(e) => seen.push(strive_sdk::describe_host_error(&e)),
                    }
                }
                done(Outcome::Error, seen.join("; "))
            }
            "cite" => {
                let sha = cfg
                    .get("sha")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                report::add_finding(&Finding {
                    bucket: Bucket::High,
                    title: "a claim".into(),
                    detail: "cites whatever the test asked for".into(),
                    cites: vec![sha],
                    paths: Vec::new(),
                })?;
                done(Outcome::Found, "1 high")
            }
            "hoard" => {
                // Try to make the host hold as much as it will take, through every channel
                // that stores something per run, until each one refuses.
                let path = "p".repeat(4096);
                let mut counts = [0u32; 4];
                loop {
                    let finding = Finding {
                        bucket: Bucket::Watch,
                        title: "t".repeat(1024),
                        detail: "d".repeat(4096),
                        cites: vec!["f".repeat(64); 64],
                        paths: vec![path.clone(); 256],
                    };
                    if report::add_finding(&finding).is_err() {
                        break;
                    }
                    counts[0] += 1;
                }
                let value = format!("\"{}\"", "v".repeat(256 << 10));
                for i in 0..10_000 {
                    if strive_sdk::state::set(&format!("k{i}"), &value).is_err() {
                        break;
                    }
                    counts[1] += 1;
                }
                let note = "n".repeat(64 << 10);
                for _ in 0..10_000 {
                    if strive_sdk::state::add_note(&note).is_err() {
                        break;
                    }
                    counts[2] += 1;
                }
                let line = "l".repeat(64 << 10);
                for _ in 0..10_000 {
                    if log::info(&line).is_err() {
                        break;
                    }
                    counts[3] += 1;
                }
                done(
                    Outcome::Found,
                    format!(
                        "hoarded: {} findings, {} state values, {} notes, {} log lines; {}",
                        counts[0],
                        counts[1],
                        counts[2],
                        counts[3],
                        "N".repeat(1 << 20)
                    ),
                )
            }
            other => done(Outcome::Error, format!("unknown attack {other}")),
        }
    }
}

strive_sdk::export_loop_kind!(Hostile);
