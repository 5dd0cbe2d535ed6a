//! `strive plugin new`: scaffold a working loop kind from the kits embedded in the binary.
//!
//! Guarantees: the scaffold is one of the kit's example loop kinds (the ones CI builds and runs
//! in every language), renamed: nothing is generated that CI has not built. `--phase l1` is the
//! report-only example, `--phase l2` the one that proposes a change (L2) and merges it through
//! the gate (L3). An existing non-empty target directory is never written into; a name that is
//! not a valid loop kind is refused.

use std::path::{Path, PathBuf};

use strive_core::exit;

/// The kits' report-only example loop kind; `strive plugin new NAME` renames it.
const EXAMPLE_KIND: &str = "conventional-commits";
/// The kits' L2/L3 example loop kind; `strive plugin new --phase l2 NAME` renames it.
const EXAMPLE_L2_KIND: &str = "propose-change";

macro_rules! kit_file {
    ($dir:literal, $path:literal) => {
        (
            $path,
            include_str!(concat!("../../../../../", $dir, "/", $path)),
        )
    };
}

const RUST: &[(&str, &str)] = &[
    kit_file!("sdk/templates/rust", "Cargo.toml"),
    kit_file!("sdk/templates/rust", "src/lib.rs"),
    kit_file!("sdk/templates/rust", "build.sh"),
    kit_file!("sdk/templates/rust", "strive-plugin.toml"),
    kit_file!("sdk/templates/rust", "wit/world.wit"),
    kit_file!("sdk/templates/rust", "README.md"),
    kit_file!("sdk/templates/rust", ".gitignore"),
];

const RUST_L2: &[(&str, &str)] = &[
    kit_file!("sdk/templates/rust-l2", "Cargo.toml"),
    kit_file!("sdk/templates/rust-l2", "src/lib.rs"),
    kit_file!("sdk/templates/rust-l2", "build.sh"),
    kit_file!("sdk/templates/rust-l2", "strive-plugin.toml"),
    kit_file!("sdk/templates/rust-l2", "wit/world.wit"),
    kit_file!("sdk/templates/rust-l2", "README.md"),
    kit_file!("sdk/templates/rust-l2", ".gitignore"),
];

const PYTHON: &[(&str, &str)] = &[
    kit_file!("sdk/python/example", "app.py"),
    kit_file!("sdk/python/example", "build.sh"),
    kit_file!("sdk/python/example", "strive-plugin.toml"),
    kit_file!("sdk/python/example", "wit/world.wit"),
    kit_file!("sdk/python/example", "README.md"),
    kit_file!("sdk/python/example", ".gitignore"),
];

const PYTHON_L2: &[(&str, &str)] = &[
    kit_file!("sdk/python/example-l2", "app.py"),
    kit_file!("sdk/python/example-l2", "build.sh"),
    kit_file!("sdk/python/example-l2", "strive-plugin.toml"),
    kit_file!("sdk/python/example-l2", "wit/world.wit"),
    kit_file!("sdk/python/example-l2", "README.md"),
    kit_file!("sdk/python/example-l2", ".gitignore"),
];

const JS: &[(&str, &str)] = &[
    kit_file!("sdk/js/example", "app.js"),
    kit_file!("sdk/js/example", "package.json"),
    kit_file!("sdk/js/example", "build.sh"),
    kit_file!("sdk/js/example", "strive-plugin.toml"),
    kit_file!("sdk/js/example", "wit/world.wit"),
    kit_file!("sdk/js/example", "README.md"),
    kit_file!("sdk/js/example", ".gitignore"),
];

const JS_L2: &[(&str, &str)] = &[
    kit_file!("sdk/js/example-l2", "app.js"),
    kit_file!("sdk/js/example-l2", "package.json"),
    kit_file!("sdk/js/example-l2", "build.sh"),
    kit_file!("sdk/js/example-l2", "strive-plugin.toml"),
    kit_file!("sdk/js/example-l2", "wit/world.wit"),
    kit_file!("sdk/js/example-l2", "README.md"),
    kit_file!("sdk/js/example-l2", ".gitignore"),
];

/// The `strive:loops` WIT every kit builds against (written to `wit/deps/`).
const WIT: &[(&str, &str)] = &[
    kit_file!("wit/strive-loops-0.1.0", "command.wit"),
    kit_file!("wit/strive-loops-0.1.0", "connector.wit"),
    kit_file!("wit/strive-loops-0.1.0", "escalation.wit"),
    kit_file!("wit/strive-loops-0.1.0", "git.wit"),
    kit_file!("wit/strive-loops-0.1.0", "log.wit"),
    kit_file!("wit/strive-loops-0.1.0", "maker.wit"),
    kit_file!("wit/strive-loops-0.1.0", "merge.wit"),
    kit_file!("wit/strive-loops-0.1.0", "report.wit"),
    kit_file!("wit/strive-loops-0.1.0", "state.wit"),
    kit_file!("wit/strive-loops-0.1.0", "types.wit"),
    kit_file!("wit/strive-loops-0.1.0", "verify.wit"),
    kit_file!("wit/strive-loops-0.1.0", "worktree.wit"),
    kit_file!("wit/strive-loops-0.1.0", "world.wit"),
];

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Lang {
    Rust,
    Python,
    Js,
}

/// Which example the scaffold starts from.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug, clap::ValueEnum)]
pub enum KitPhase {
    /// Report only (L1): reads the commit log and reports one finding.
    #[default]
    L1,
    /// Changes the target (L2/L3): worktree, test command, commit, merge gate.
    L2,
}

/// Scaffold a loop kind.
///
/// Example: `strive plugin new --lang python flaky-tests && cd flaky-tests && ./build.sh`
#[derive(clap::Args)]
pub struct Args {
    /// The loop kind's name (lowercase letters, digits and dashes; used as `kind` in loop.json).
    name: String,
    /// The language of the kit.
    #[arg(long, value_enum)]
    lang: Lang,
    /// The example to start from: l1 reports (git.read, report); l2 proposes a change at L2
    /// and merges it through the allowlist gate at L3 (worktree, command, merge).
    #[arg(long, value_enum, default_value = "l1")]
    phase: KitPhase,
    /// Where to write it (default: ./NAME). Must not exist or be empty.
    #[arg(long)]
    dir: Option<PathBuf>,
}

pub fn run(args: Args) -> i32 {
    match scaffold(&args.name, args.lang, args.phase, args.dir.as_deref()) {
        Ok(dir) => {
            outln!("scaffolded {} in {}", args.name, dir.display());
            outln!(
                "next: cd {} && ./build.sh && strive plugin add dist/{}.wasm",
                dir.display(),
                args.name
            );
            if args.phase == KitPhase::L2 {
                outln!(
                    "then: strive run a spec with \"kind\": \"{}\", \"phase\": \"L2\" (or \"L3\" with an allowlist), a test_command and \"config\": {{\"change\": {{\"path\": ..., \"append\": ...}}}} (see {}/README.md)",
                    args.name,
                    dir.display()
                );
            }
            exit::OK
        }
        Err(message) => {
            eprintln!("error: {message}");
            exit::USAGE
        }
    }
}

/// A loop-kind name: `^[a-z][a-z0-9-]*$`, at most 64 characters, not a built-in kind.
fn check_name(name: &str) -> Result<(), String> {
    let shape = name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.ends_with('-');
    if !shape {
        return Err(format!(
            "`{name}` is not a loop-kind name: use lowercase letters, digits and dashes, starting with a letter (e.g. flaky-tests)"
        ));
    }
    if strive_runtime::builtin::for_kind(name).is_some() {
        return Err(format!(
            "`{name}` is a built-in loop kind; pick another name"
        ));
    }
    Ok(())
}

/// Write the `phase` example of the kit for `lang` as loop kind `name` into `dir` (default
/// `./name`).
pub fn scaffold(
    name: &str,
    lang: Lang,
    phase: KitPhase,
    dir: Option<&Path>,
) -> Result<PathBuf, String> {
    check_name(name)?;
    let dir = dir
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(name));
    if dir
        .read_dir()
        .is_ok_and(|mut entries| entries.next().is_some())
    {
        return Err(format!(
            "{} exists and is not empty; pass --dir to choose another place",
            dir.display()
        ));
    }
    let (files, example) = match (lang, phase) {
        (Lang::Rust, KitPhase::L1) => (RUST, EXAMPLE_KIND),
        (Lang::Python, KitPhase::L1) => (PYTHON, EXAMPLE_KIND),
        (Lang::Js, KitPhase::L1) => (JS, EXAMPLE_KIND),
        (Lang::Rust, KitPhase::L2) => (RUST_L2, EXAMPLE_L2_KIND),
        (Lang::Python, KitPhase::L2) => (PYTHON_L2, EXAMPLE_L2_KIND),
        (Lang::Js, KitPhase::L2) => (JS_L2, EXAMPLE_L2_KIND),
    };
    let wit = WIT
        .iter()
        .map(|(p, text)| (format!("wit/deps/strive-loops-0.1.0/{p}"), *text));
    let kit = files.iter().map(|(p, text)| (p.to_string(), *text));
    for (rel, text) in kit.chain(wit) {
        let path = dir.join(&rel);
        let text = rename(text, example, name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        #[cfg(unix)]
        if rel.ends_with(".sh") {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755));
        }
    }
    Ok(dir)
}

/// The example `example` renamed to `name`: id `example.<kind>` → `local.<name>`, the kind, and
/// its snake_case form (the Rust crate's library name).
fn rename(text: &str, example: &str, name: &str) -> String {
    text.replace(&format!("example.{example}"), &format!("local.{name}"))
        .replace(example, name)
        .replace(&example.replace('-', "_"), &name.replace('-', "_"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(check_name("flaky-tests").is_ok());
        for bad in [
            "",
            "Flaky",
            "1x",
            "a_b",
            "a-",
            "git-commit-triage",
            &"a".repeat(65),
        ] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn scaffolds_renamed_and_refuses_non_empty_dirs() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("p");
        scaffold("flaky-tests", Lang::Python, KitPhase::L1, Some(&dir)).unwrap();
        let manifest = std::fs::read_to_string(dir.join("strive-plugin.toml")).unwrap();
        assert!(manifest.contains("kind = \"flaky-tests\""), "{manifest}");
        assert!(
            manifest.contains("id = \"local.flaky-tests\""),
            "{manifest}"
        );
        assert!(!manifest.contains(EXAMPLE_KIND));
        assert!(dir.join("wit/deps/strive-loops-0.1.0/git.wit").is_file());
        let err = scaffold("flaky-tests", Lang::Js, KitPhase::L1, Some(&dir)).unwrap_err();
        assert!(err.contains("not empty"), "{err}");
    }

    #[test]
    fn l2_scaffolds_declare_the_change_capabilities_and_phases_in_every_language() {
        let tmp = tempfile::tempdir().unwrap();
        for lang in [Lang::Rust, Lang::Python, Lang::Js] {
            let dir = tmp.path().join(format!("{lang:?}"));
            scaffold("bump-changelog", lang, KitPhase::L2, Some(&dir)).unwrap();
            let manifest = std::fs::read_to_string(dir.join("strive-plugin.toml")).unwrap();
            assert!(manifest.contains("kind = \"bump-changelog\""), "{manifest}");
            assert!(
                manifest.contains("id = \"local.bump-changelog\""),
                "{manifest}"
            );
            assert!(manifest.contains("phases = [\"L2\", \"L3\"]"), "{manifest}");
            for cap in ["worktree", "command", "merge"] {
                assert!(
                    manifest.contains(&format!("name = \"{cap}\"")),
                    "{cap}: {manifest}"
                );
            }
            let world = std::fs::read_to_string(dir.join("wit/world.wit")).unwrap();
            assert!(world.contains("package plugin:bump-changelog;"), "{world}");
            assert!(
                world.contains("import strive:loops/merge@0.1.0;"),
                "{world}"
            );
            let all: String = walk(&dir);
            assert!(
                !all.contains(EXAMPLE_L2_KIND),
                "{lang:?}: example name left"
            );
            assert!(
                !all.contains("propose_change"),
                "{lang:?}: example name left"
            );
        }
        let rust = std::fs::read_to_string(tmp.path().join("Rust/Cargo.toml")).unwrap();
        assert!(rust.contains("name = \"bump-changelog\""), "{rust}");
    }

    /// Every file under `dir` (not following the WIT deps), concatenated.
    fn walk(dir: &Path) -> String {
        let mut out = String::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.ends_with("deps") {
                continue;
            }
            if path.is_dir() {
                out.push_str(&walk(&path));
            } else {
                out.push_str(&std::fs::read_to_string(&path).unwrap());
            }
        }
        out
    }
}
