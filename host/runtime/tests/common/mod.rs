//! Test helpers: plugins from the guest build, a git repository in a tempdir, run requests.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use git2::{Repository, Signature, Time};
use strive_runtime::limits::RunLimits;
use strive_runtime::{Capability, Manifest, Phase, Plugin, RunRequest};

pub const HOSTILE_MANIFEST: &str =
    include_str!("../../../../plugins/testing/hostile/strive-plugin.toml");
pub const HOSTILE_NET_MANIFEST: &str =
    include_str!("../../../../plugins/testing/hostile-net/strive-plugin.toml");

pub fn guest(name: &str) -> Vec<u8> {
    let path = Path::new(strive_runtime::builtin::GUEST_DIR).join(format!("{name}.wasm"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn hostile() -> Plugin {
    let manifest = Manifest::parse(HOSTILE_MANIFEST, "hostile").unwrap();
    Plugin::load(&guest("hostile"), manifest, None).unwrap()
}

pub fn triage() -> Plugin {
    let b = &strive_runtime::builtin::COMMIT_TRIAGE;
    Plugin::load(b.wasm, b.manifest(), None).unwrap()
}

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// Tight limits so attacks end fast.
pub fn test_limits() -> RunLimits {
    RunLimits {
        memory_bytes: 64 << 20,
        wall_ms: 2_000,
        host_calls: 2_000,
        log_bytes: 256 << 10,
        stdio_bytes: 16 << 10,
        ..RunLimits::default()
    }
}

pub fn request(
    config: serde_json::Value,
    phase: Phase,
    grants: BTreeSet<Capability>,
    repo: Option<PathBuf>,
) -> RunRequest {
    RunRequest {
        loop_id: "test-loop".into(),
        run_id: format!("run-{}", rand_suffix()),
        phase,
        config_json: config.to_string(),
        now_unix: now(),
        repo,
        grants,
        limits: test_limits(),
        section: None,
    }
}

pub fn rand_suffix() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    format!(
        "{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// A git repository in a tempdir with commits at controlled times.
pub struct TestRepo {
    pub dir: tempfile::TempDir,
    pub repo: Repository,
}

impl TestRepo {
    pub fn new() -> TestRepo {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        TestRepo { dir, repo }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    /// Commit `files` (path, contents) on HEAD's branch at `when` (unix); returns the SHA.
    pub fn commit_at(&self, subject: &str, files: &[(&str, &str)], when: i64) -> String {
        let sig = Signature::new("Test Author", "test@example.com", &Time::new(when, 0)).unwrap();
        let mut index = self.repo.index().unwrap();
        for (path, contents) in files {
            let full = self.dir.path().join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(&full, contents).unwrap();
            index.add_path(Path::new(path)).unwrap();
        }
        index.write().unwrap();
        let tree = self.repo.find_tree(index.write_tree().unwrap()).unwrap();
        let parents: Vec<git2::Commit> = match self.repo.head() {
            Ok(h) => vec![h.peel_to_commit().unwrap()],
            Err(_) => vec![],
        };
        let refs: Vec<&git2::Commit> = parents.iter().collect();
        self.repo
            .commit(Some("HEAD"), &sig, &sig, subject, &tree, &refs)
            .unwrap()
            .to_string()
    }

    pub fn commit(&self, subject: &str, files: &[(&str, &str)]) -> String {
        self.commit_at(subject, files, now() - 60)
    }

    /// The current branch name (`master` or `main`, whatever init chose).
    pub fn branch(&self) -> String {
        self.repo.head().unwrap().shorthand().unwrap().to_string()
    }

    /// An annotated tag on HEAD; returns the tag object's id.
    pub fn annotated_tag(&self, name: &str) -> String {
        let head = self
            .repo
            .head()
            .unwrap()
            .peel(git2::ObjectType::Commit)
            .unwrap();
        let sig = Signature::new("Tagger", "tag@example.com", &Time::new(now(), 0)).unwrap();
        self.repo
            .tag(name, &head, &sig, "release", false)
            .unwrap()
            .to_string()
    }
}
