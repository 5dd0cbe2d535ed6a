//! `strive plugin new`: scaffold a working loop kind from the kits embedded in the binary.
//!
//! Guarantees: the scaffold is the kit's example loop kind (the one CI builds and runs in every
//! language), renamed: nothing is generated that CI has not built. An existing non-empty target
//! directory is never written into; a name that is not a valid loop kind is refused.

use std::path::{Path, PathBuf};

use strive_core::exit;

/// The kits' example loop kind; `strive plugin new NAME` renames it.
const EXAMPLE_KIND: &str = "conventional-commits";
const EXAMPLE_ID: &str = "example.conventional-commits";

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

const PYTHON: &[(&str, &str)] = &[
    kit_file!("sdk/python/example", "app.py"),
    kit_file!("sdk/python/example", "build.sh"),
    kit_file!("sdk/python/example", "strive-plugin.toml"),
    kit_file!("sdk/python/example", "wit/world.wit"),
    kit_file!("sdk/python/example", "README.md"),
    kit_file!("sdk/python/example", ".gitignore"),
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

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Lang {
    Rust,
    Python,
    Js,
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
    /// Where to write it (default: ./NAME). Must not exist or be empty.
    #[arg(long)]
    dir: Option<PathBuf>,
}

pub fn run(args: Args) -> i32 {
    match scaffold(&args.name, args.lang, args.dir.as_deref()) {
        Ok(dir) => {
            outln!("scaffolded {} in {}", args.name, dir.display());
            outln!(
                "next: cd {} && ./build.sh && strive plugin add dist/{}.wasm",
                dir.display(),
                args.name
            );
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

/// Write the kit for `lang` as loop kind `name` into `dir` (default `./name`).
pub fn scaffold(name: &str, lang: Lang, dir: Option<&Path>) -> Result<PathBuf, String> {
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
    let files = match lang {
        Lang::Rust => RUST,
        Lang::Python => PYTHON,
        Lang::Js => JS,
    };
    let wit = WIT
        .iter()
        .map(|(p, text)| (format!("wit/deps/strive-loops-0.1.0/{p}"), *text));
    let kit = files.iter().map(|(p, text)| (p.to_string(), *text));
    for (rel, text) in kit.chain(wit) {
        let path = dir.join(&rel);
        let text = rename(text, name);
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

fn rename(text: &str, name: &str) -> String {
    text.replace(EXAMPLE_ID, &format!("local.{name}"))
        .replace(EXAMPLE_KIND, name)
        .replace(&EXAMPLE_KIND.replace('-', "_"), &name.replace('-', "_"))
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
        scaffold("flaky-tests", Lang::Python, Some(&dir)).unwrap();
        let manifest = std::fs::read_to_string(dir.join("strive-plugin.toml")).unwrap();
        assert!(manifest.contains("kind = \"flaky-tests\""), "{manifest}");
        assert!(
            manifest.contains("id = \"local.flaky-tests\""),
            "{manifest}"
        );
        assert!(!manifest.contains(EXAMPLE_KIND));
        assert!(dir.join("wit/deps/strive-loops-0.1.0/git.wit").is_file());
        let err = scaffold("flaky-tests", Lang::Js, Some(&dir)).unwrap_err();
        assert!(err.contains("not empty"), "{err}");
    }
}
