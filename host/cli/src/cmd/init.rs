//! `strive init ID`: scaffold a loop spec that validates.

use std::io::Write;
use std::path::Path;

use strive_core::exit;
use strive_spec::authoring::{REPO_PLACEHOLDER, scaffold};

/// Scaffold a loop spec (loop.json) that passes `strive validate`.
///
/// Without --out (or with `--out -`) the spec is printed; with --out it is written to the file,
/// which must not exist unless --force is given (exit 1 otherwise). A relative --repo is made
/// absolute so the spec means the same wherever it is moved. A triage spec for a --repo lists
/// that repository's default branch in `target.refs` (what `origin/HEAD` or HEAD names). A
/// spec of an installed plugin's kind names that plugin's id in `plugin`.
///
/// Examples:
///   strive init nightly-triage --repo . --out loops/nightly-triage.json
///   strive init fix-parser --kind assisted-fix --out loops/fix-parser.json
///   strive init flaky --kind flaky-test-triage > loops/flaky.json
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Loop id (letters, digits, '.', '_', '-'); names the loop's state section.
    id: String,
    /// Loop kind: git-commit-triage, assisted-fix, or an installed plugin's kind name.
    #[arg(long, default_value = "git-commit-triage")]
    kind: String,
    /// Where to write the spec (`-` prints it).
    #[arg(long, value_name = "PATH")]
    out: Option<String>,
    /// Overwrite an existing --out file.
    #[arg(long)]
    force: bool,
    /// Target repository (default: a placeholder to edit).
    #[arg(long, value_name = "PATH")]
    repo: Option<String>,
}

pub fn run(args: Args) -> i32 {
    let repo = match &args.repo {
        None => None,
        Some(r) => match std::path::absolute(r) {
            Ok(p) => Some(p.display().to_string()),
            Err(e) => {
                eprintln!("error: --repo {r}: cannot make the path absolute ({e})");
                return exit::USAGE;
            }
        },
    };
    let mut spec = scaffold(&args.id, &args.kind, repo.as_deref());
    // Triage the repository's default branch, not a guessed `main`.
    if let (Some(path), Some(refs)) = (repo.as_deref(), spec.pointer_mut("/target/refs"))
        && let Some(branch) = default_branch(Path::new(path))
    {
        *refs = serde_json::json!([branch]);
    }
    // A custom kind runs the installed plugin serving it: name that plugin by its id (the
    // scaffold's placeholder is the kind, which is rarely the id).
    if let Some(plugin) = spec.get_mut("plugin")
        && let Some(entry) = strive_runtime::registry::Registry::new(
            crate::project::Project::discover(args.out.as_deref().map(Path::new))
                .registry()
                .0,
        )
        .find(&args.kind)
        .ok()
        .flatten()
        .filter(|e| e.kind == args.kind)
    {
        *plugin = serde_json::Value::from(entry.id);
    }
    // A scaffold that does not validate means a bad id or kind: say which, using the
    // validator's own wording.
    if let Err(problems) = strive_spec::validate(&spec, &strive_spec::Checks::default()) {
        for p in problems {
            let arg = match p.pointer.as_str() {
                "/id" => "ID",
                "/kind" | "/plugin" => "--kind",
                "/target/repo" => "--repo",
                _ => "spec",
            };
            eprintln!("error: {arg}: {}: {} — {}", p.pointer, p.message, p.fix);
        }
        return exit::USAGE;
    }
    let mut text = serde_json::to_string_pretty(&spec).expect("a JSON value serialises");
    text.push('\n');
    match args.out.as_deref() {
        None | Some("-") => {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(text.as_bytes());
            exit::OK
        }
        Some(path) => write_spec(Path::new(path), &text, args.force, repo.is_none()),
    }
}

fn write_spec(path: &Path, text: &str, force: bool, placeholder: bool) -> i32 {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && let Err(e) = std::fs::create_dir_all(dir)
    {
        eprintln!("error: cannot create {}: {e}", dir.display());
        return exit::USAGE;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if force {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    let mut file = match options.open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            eprintln!(
                "error: {} already exists — pass --force to overwrite it, or choose another --out",
                path.display()
            );
            return 1;
        }
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", path.display());
            return exit::USAGE;
        }
    };
    if let Err(e) = file.write_all(text.as_bytes()) {
        eprintln!("error: cannot write {}: {e}", path.display());
        return exit::USAGE;
    }
    let next = format!("strive audit {}", path.display());
    if placeholder {
        outln!(
            "wrote {} — edit target.repo (now {REPO_PLACEHOLDER}), then `{next}`",
            path.display()
        );
    } else {
        outln!("wrote {} — next: `{next}`", path.display());
    }
    exit::OK
}

/// The default branch of the repository at `path`: what `origin/HEAD` points at, else the
/// branch HEAD names (also on an unborn HEAD), else `main` or `master` if one exists.
pub fn default_branch(path: &Path) -> Option<String> {
    let repo = git2::Repository::open(path).ok()?;
    if let Ok(r) = repo.find_reference("refs/remotes/origin/HEAD")
        && let Ok(Some(target)) = r.symbolic_target()
        && let Some(name) = target.strip_prefix("refs/remotes/origin/")
    {
        return Some(name.to_string());
    }
    if let Ok(head) = repo.find_reference("HEAD")
        && let Ok(Some(target)) = head.symbolic_target()
        && let Some(name) = target.strip_prefix("refs/heads/")
    {
        return Some(name.to_string());
    }
    ["main", "master"]
        .into_iter()
        .find(|b| repo.find_branch(b, git2::BranchType::Local).is_ok())
        .map(str::to_string)
}
