//! `strive sandbox`: run any command under the OS sandbox that confines a loop's commands, or
//! check that this machine can provide it.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::json;
use strive_core::exit;
use strive_worktree::exec::{EnvPolicy, Secrets, run_confined};
use strive_worktree::sandbox::{self, Confinement};
use strive_worktree::{Exit, Network, RunLimits, SandboxPolicy};

/// Run a command inside the same OS sandbox as a loop's tests, builds and command makers, or
/// check what this machine provides.
///
/// The sandbox lets a command write only inside the directory it runs in and a private temporary
/// HOME/TMPDIR; read system and toolchain directories (see `strive sandbox check`); see none of
/// the host's processes; reach no network (unless `--network full`); and it caps CPU, memory,
/// processes and file size. Use it to find out what your test suite needs before a loop runs it.
///
/// Examples:
///   strive sandbox check
///   strive sandbox run -- python3 -m pytest -q
///   strive sandbox run --worktree ../myrepo --spec loops/fix.json -- cargo test --offline
///   strive sandbox run --read ~/.m2 --network full --json -- mvn -o test
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand)]
enum Action {
    /// Run CMD in the sandbox; exit with its exit code (124 on timeout, 128+N when killed by
    /// signal N, 64 when the sandbox cannot start).
    Run(RunArgs),
    /// Report whether the kernel provides what the sandbox needs and which paths it may read.
    Check(CheckArgs),
}

#[derive(clap::Args)]
struct RunArgs {
    /// The directory the command runs in and may write (default: the current directory).
    #[arg(long, value_name = "DIR")]
    worktree: Option<PathBuf>,
    /// Take the sandbox policy (network, read paths, limits) from this loop spec.
    #[arg(long, value_name = "SPEC")]
    spec: Option<PathBuf>,
    /// Network: `none` (default) or `full` (the host's network).
    #[arg(long, value_name = "none|full")]
    network: Option<String>,
    /// An extra directory the command may read (repeatable).
    #[arg(long = "read", value_name = "PATH")]
    read: Vec<PathBuf>,
    /// Wall-clock limit in seconds.
    #[arg(long, default_value_t = 600)]
    timeout: u64,
    /// Print JSON {exit, stdout, stderr, truncated, elapsed_ms, sandbox{write, read, network}}.
    #[arg(long)]
    json: bool,
    /// The command and its arguments (after `--`).
    #[arg(required = true, trailing_var_arg = true, allow_hyphen_values = true)]
    command: Vec<String>,
}

#[derive(clap::Args)]
struct CheckArgs {
    /// Print JSON {ok, landlock_abi, process_cap, read_paths, error}.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> i32 {
    match args.action {
        Action::Run(a) => run_command(a),
        Action::Check(a) => check(a),
    }
}

fn check(args: CheckArgs) -> i32 {
    let probe = sandbox::probe();
    let reads = Confinement::new(&SandboxPolicy::default(), vec![], vec![]).read;
    if args.json {
        super::io::print_json(&json!({
            "ok": probe.is_ok(),
            "landlock_abi": probe.as_ref().ok().map(|r| r.landlock_abi),
            "process_cap": probe.as_ref().ok().map(|r| r.process_cap),
            "read_paths": reads,
            "error": probe.as_ref().err().map(ToString::to_string),
        }));
    } else {
        match &probe {
            Ok(r) => {
                println!("sandbox: available");
                println!(
                    "  landlock ABI {}, processes capped by {}",
                    r.landlock_abi, r.process_cap
                );
                println!("  namespaces: user, mount, PID, network, IPC, UTS");
            }
            Err(e) => println!("sandbox: NOT available — {e}"),
        }
        println!("  readable (besides the worktree and a private HOME):");
        for p in &reads {
            println!("    {}", p.display());
        }
    }
    if probe.is_ok() { exit::OK } else { exit::USAGE }
}

fn run_command(args: RunArgs) -> i32 {
    let dir = match args.worktree.clone().map_or_else(std::env::current_dir, Ok) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: cannot determine the current directory: {e}");
            return exit::USAGE;
        }
    };
    let dir = match dir.canonicalize() {
        Ok(d) if d.is_dir() => d,
        Ok(d) => {
            eprintln!("error: --worktree {} is not a directory", d.display());
            return exit::USAGE;
        }
        Err(e) => {
            eprintln!("error: --worktree {}: {e}", dir.display());
            return exit::USAGE;
        }
    };
    let mut policy = match &args.spec {
        None => SandboxPolicy::default(),
        Some(path) => match crate::spec_check::load(
            path,
            &crate::project::Project::discover(Some(path)).registry().0,
        ) {
            Ok(checked) => strive_runtime::sandbox::policy_of(&checked.loaded.spec),
            Err(e) => {
                eprintln!("error: --spec {}: {e}", path.display());
                return exit::USAGE;
            }
        },
    };
    match args.network.as_deref() {
        None => {}
        Some("none") => policy.network = Network::None,
        Some("full") => {
            policy.network = Network::Full {
                reason: "strive sandbox run --network full".into(),
            }
        }
        Some(other) => {
            eprintln!("error: --network takes `none` or `full`, not `{other}`");
            return exit::USAGE;
        }
    }
    policy.read_paths.extend(args.read.iter().cloned());

    let home = match tempfile::Builder::new()
        .prefix("strive-sbx-home-")
        .tempdir()
    {
        Ok(h) => h,
        Err(e) => {
            eprintln!("error: creating the sandbox's private HOME: {e}");
            return exit::USAGE;
        }
    };
    // Inside a git repository, `git` in the sandbox needs to read its git directory.
    let extra_read: Vec<PathBuf> = git2::Repository::discover(&dir)
        .ok()
        .map(|r| r.commondir().to_path_buf())
        .into_iter()
        .collect();
    let mut confinement = Confinement::new(
        &policy,
        vec![dir.clone(), home.path().to_path_buf()],
        extra_read,
    );
    let git_link = dir.join(".git");
    if git_link.is_file() {
        confinement.read_only_files.push(git_link);
    }
    let env = EnvPolicy {
        home: home.path().to_path_buf(),
        allow: Vec::new(),
        secrets: Secrets::from_host_env(Vec::<String>::new()),
    };
    let limits = RunLimits {
        timeout: Duration::from_secs(args.timeout.max(1)),
        output_cap: 8 << 20,
    };
    let out = match run_confined(&dir, &args.command, &env, &confinement, limits, None) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::USAGE;
        }
    };
    let code = match out.exit {
        Exit::Code(c) => c,
        Exit::Signal(s) => 128 + s,
        Exit::TimedOut => 124,
    };
    if args.json {
        super::io::print_json(&json!({
            "exit": code,
            "timed_out": out.exit == Exit::TimedOut,
            "stdout": out.stdout,
            "stderr": out.stderr,
            "truncated": out.truncated,
            "elapsed_ms": out.elapsed.as_millis() as u64,
            "sandbox": {
                "write": confinement.write,
                "read": confinement.read,
                "network": match &confinement.network { Network::None => "none", Network::Full { .. } => "full" },
            },
        }));
    } else {
        use std::io::Write;
        let _ = std::io::stdout().write_all(out.stdout.as_bytes());
        let _ = std::io::stderr().write_all(out.stderr.as_bytes());
        if out.exit == Exit::TimedOut {
            eprintln!(
                "strive sandbox: timed out after {}s; the process tree was killed",
                args.timeout
            );
        }
    }
    code.clamp(0, 255)
}
