//! Grounded and isomorphic verification against real repositories built in temp dirs with the
//! `git` command-line tool (git ≥ 2.29 for SHA-256).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use proptest::prelude::*;
use strive_core::exit;
use strive_core::verify::{
    IsoReport, IsoVerdict, ObjectFormat, Verdict, Verifier, verify_grounded, verify_isomorphic,
};
use tempfile::TempDir;

/// `git` in `dir` with a fixed identity and clock and no user or system config.
fn git(dir: &Path, args: &[&str]) -> String {
    git_with_input(dir, args, None)
}

fn git_with_input(dir: &Path, args: &[&str], input: Option<&str>) -> String {
    let mut command = Command::new("git");
    command
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("git runs");
    if let Some(input) = input {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// A repository with three commits, an annotated tag on the second, and a lightweight tag.
struct Fixture {
    _dir: TempDir,
    path: PathBuf,
    commits: Vec<String>,
    annotated_tag: String,
    tree: String,
}

fn fixture(format: &str) -> Fixture {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("repo");
    std::fs::create_dir(&path).unwrap();
    git(
        &path,
        &[
            "init",
            "-q",
            "-b",
            "main",
            &format!("--object-format={format}"),
        ],
    );
    let mut commits = Vec::new();
    for i in 0..3 {
        std::fs::write(path.join("file.txt"), format!("content {i}\n")).unwrap();
        git(&path, &["add", "file.txt"]);
        git(&path, &["commit", "-q", "-m", &format!("commit {i}")]);
        commits.push(git(&path, &["rev-parse", "HEAD"]));
    }
    git(&path, &["tag", "-a", "v1", "-m", "release", &commits[1]]);
    git(&path, &["tag", "light", &commits[0]]);
    let annotated_tag = git(&path, &["rev-parse", "v1"]);
    let tree = git(&path, &["rev-parse", "HEAD^{tree}"]);
    Fixture {
        _dir: dir,
        path,
        commits,
        annotated_tag,
        tree,
    }
}

fn sha1() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| fixture("sha1"))
}

fn sha256() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| fixture("sha256"))
}

fn verdict_name(v: &Verdict) -> &'static str {
    match v {
        Verdict::Grounded => "grounded",
        Verdict::Fabricated { .. } => "fabricated",
        Verdict::Unverifiable { .. } => "unverifiable",
    }
}

fn iso_name(v: &IsoVerdict) -> &'static str {
    match v {
        IsoVerdict::Consistent => "consistent",
        IsoVerdict::Gap { .. } => "gap",
        IsoVerdict::Fabricated { .. } => "fabricated",
        IsoVerdict::Unverifiable { .. } => "unverifiable",
    }
}

fn detail(v: &Verdict) -> &str {
    match v {
        Verdict::Grounded => "",
        Verdict::Fabricated { detail } | Verdict::Unverifiable { detail } => detail,
    }
}

fn iso_detail(v: &IsoVerdict) -> &str {
    match v {
        IsoVerdict::Consistent => "",
        IsoVerdict::Gap { detail }
        | IsoVerdict::Fabricated { detail }
        | IsoVerdict::Unverifiable { detail } => detail,
    }
}

/// Check a table of (claim, grounded verdict, iso verdict) against one repository.
fn assert_table(repo: &Path, table: &[(String, &str, &str)]) {
    let claims: Vec<&str> = table.iter().map(|(c, _, _)| c.as_str()).collect();
    let verifier = Verifier::open(repo);
    let grounded = verifier.grounded(&claims);
    let iso = verifier.isomorphic(&claims);
    for (i, (claim, want_grounded, want_iso)) in table.iter().enumerate() {
        assert_eq!(&grounded.claims[i].sha, claim);
        assert_eq!(
            verdict_name(&grounded.claims[i].verdict),
            *want_grounded,
            "grounded verdict for {claim}: {:?}",
            grounded.claims[i].verdict
        );
        assert_eq!(&iso.claims[i].sha, claim);
        assert_eq!(
            iso_name(&iso.claims[i].verdict),
            *want_iso,
            "iso verdict for {claim}: {:?}",
            iso.claims[i].verdict
        );
    }
}

fn verdict_table(f: &Fixture, hex_len: usize) -> Vec<(String, &'static str, &'static str)> {
    let head = &f.commits[2];
    vec![
        (head.clone(), "grounded", "consistent"),
        (head[..7].to_string(), "grounded", "consistent"),
        (head[..4].to_string(), "grounded", "consistent"),
        (head.to_uppercase(), "grounded", "consistent"),
        (
            f.commits[0][..9].to_ascii_uppercase(),
            "grounded",
            "consistent",
        ),
        // A nonexistent id of full length, and an impossible prefix (the fixture has no
        // object with this prefix: checked below).
        ("0".repeat(hex_len), "fabricated", "fabricated"),
        (f.annotated_tag.clone(), "fabricated", "gap"),
        (f.annotated_tag[..10].to_string(), "fabricated", "gap"),
        (f.tree.clone(), "fabricated", "fabricated"),
        (String::new(), "fabricated", "fabricated"),
        ("abc".into(), "fabricated", "fabricated"),
        ("HEAD".into(), "fabricated", "fabricated"),
        ("main".into(), "fabricated", "fabricated"),
        ("v1".into(), "fabricated", "fabricated"),
        (format!("{head}0"), "fabricated", "fabricated"),
        (
            format!("{}^{{commit}}", &head[..7]),
            "fabricated",
            "fabricated",
        ),
    ]
}

#[test]
fn sha1_verdicts() {
    let f = sha1();
    assert_table(&f.path, &verdict_table(f, 40));
}

#[test]
fn sha256_verdicts() {
    let f = sha256();
    assert_eq!(f.commits[0].len(), 64);
    assert_table(&f.path, &verdict_table(f, 64));
    assert_eq!(
        Verifier::open(&f.path).object_format(),
        Some(ObjectFormat::Sha256)
    );
}

#[test]
fn details_explain_the_verdict() {
    let f = sha1();
    let report = verify_grounded(
        &f.path,
        &[&f.annotated_tag, &"0".repeat(40), "xyz1", &"a".repeat(41)],
    );
    assert!(detail(&report.claims[0].verdict).contains("is a tag, not a commit"));
    assert!(detail(&report.claims[1].verdict).contains("no object"));
    assert!(detail(&report.claims[2].verdict).contains("not a hexadecimal"));
    assert!(detail(&report.claims[3].verdict).contains("at most 40"));
    let iso = verify_isomorphic(&f.path, &[&f.annotated_tag]);
    assert!(iso_detail(&iso.claims[0].verdict).contains("literal=true, isomorphic=false"));
    assert_eq!(iso.claims[0].oid.as_deref(), Some(f.annotated_tag.as_str()));
}

#[test]
fn sha256_claims_longer_than_sha1_are_prefixes_not_errors() {
    let f = sha256();
    let report = verify_grounded(&f.path, &[&f.commits[1][..50]]);
    assert!(report.valid, "{report:?}");
}

#[test]
fn batch_outcomes_and_exit_codes() {
    let f = sha1();
    let head = f.commits[2].as_str();
    let all_good = verify_grounded(&f.path, &[head, &f.commits[0][..8]]);
    assert!(all_good.valid);
    assert_eq!(all_good.exit_code(), exit::OK);

    let with_fabricated = verify_grounded(&f.path, &[head, "deadbeefdeadbeef"]);
    assert!(!with_fabricated.valid);
    assert_eq!(with_fabricated.exit_code(), exit::FABRICATED);
    assert_eq!(with_fabricated.fabricated, vec!["deadbeefdeadbeef"]);

    // A fabricated SHA never exits 0 from the isomorphic check (the earlier tool's defect).
    let iso = verify_isomorphic(&f.path, &[head, "deadbeefdeadbeef"]);
    assert!(!iso.consistent && iso.fabricated && !iso.gap);
    assert_eq!(iso.exit_code(), exit::FABRICATED);

    let iso = verify_isomorphic(&f.path, &[head, "deadbeefdeadbeef", &f.annotated_tag]);
    assert_eq!(iso.exit_code(), exit::ISOMORPHIC_GAP);

    let iso = verify_isomorphic(&f.path, &[head]);
    assert!(iso.consistent);
    assert_eq!(iso.exit_code(), exit::OK);
}

#[test]
fn repeated_claims_are_reported_once() {
    let f = sha1();
    let head = f.commits[2].as_str();
    let report = verify_grounded(&f.path, &[head, "beef", head, "beef", &head[..7]]);
    let shas: Vec<&str> = report.claims.iter().map(|c| c.sha.as_str()).collect();
    assert_eq!(shas, vec![head, "beef", &head[..7]]);
    let iso = verify_isomorphic(&f.path, &[head, head]);
    assert_eq!(iso.claims.len(), 1);
}

#[test]
fn missing_path_and_non_repository_are_unverifiable() {
    let dir = TempDir::new().unwrap();
    let plain = dir.path().join("plain");
    std::fs::create_dir(&plain).unwrap();
    let missing = dir.path().join("does-not-exist");
    let file = dir.path().join("file");
    std::fs::write(&file, "x").unwrap();
    for repo in [&plain, &missing, &file] {
        let report = verify_grounded(
            repo,
            &["abcdef1", "0123456789abcdef0123456789abcdef01234567"],
        );
        assert_eq!(report.exit_code(), exit::UNVERIFIABLE, "{}", repo.display());
        assert_eq!(report.unverifiable.len(), 2);
        assert!(report.object_format.is_none());
        let iso = verify_isomorphic(repo, &["abcdef1"]);
        assert!(iso.unverifiable);
        assert_eq!(iso.exit_code(), exit::UNVERIFIABLE);
    }
    let report = verify_grounded(&plain, &["abcdef1"]);
    assert!(detail(&report.claims[0].verdict).contains("is not a git repository"));
    // Looking for a repository config must not create one.
    assert_eq!(std::fs::read_dir(&plain).unwrap().count(), 0);
    let report = verify_grounded(&missing, &["abcdef1"]);
    assert!(detail(&report.claims[0].verdict).contains("does not exist"));
    // Malformed claims are fabricated whatever the repository; the batch still exits 4.
    let report = verify_grounded(&missing, &["abcdef1", "nothex"]);
    assert_eq!(verdict_name(&report.claims[1].verdict), "fabricated");
    assert_eq!(report.exit_code(), exit::UNVERIFIABLE);
}

#[test]
fn a_subdirectory_of_a_repository_is_not_searched_upward() {
    let f = sha1();
    let sub = f.path.join("sub");
    std::fs::create_dir_all(&sub).unwrap();
    let report = verify_grounded(&sub, &[&f.commits[0]]);
    assert_eq!(report.exit_code(), exit::UNVERIFIABLE);
    // The .git directory itself is a valid repository path.
    let report = verify_grounded(&f.path.join(".git"), &[&f.commits[0]]);
    assert!(report.valid);
}

#[test]
fn bare_repository_and_worktree_are_verifiable() {
    let f = sha1();
    let dir = TempDir::new().unwrap();
    let bare = dir.path().join("bare.git");
    git(
        dir.path(),
        &[
            "clone",
            "-q",
            "--bare",
            f.path.to_str().unwrap(),
            bare.to_str().unwrap(),
        ],
    );
    assert!(verify_grounded(&bare, &[&f.commits[1]]).valid);
    let worktree = dir.path().join("wt");
    git(
        &f.path,
        &[
            "worktree",
            "add",
            "-q",
            "--detach",
            worktree.to_str().unwrap(),
            &f.commits[0],
        ],
    );
    assert!(verify_grounded(&worktree, &[&f.commits[2]]).valid);
    git(
        &f.path,
        &["worktree", "remove", "--force", worktree.to_str().unwrap()],
    );
}

#[test]
fn sha256_worktree_and_bare_clone_are_verifiable() {
    let f = fixture("sha256");
    let dir = TempDir::new().unwrap();
    let worktree = dir.path().join("wt");
    git(
        &f.path,
        &[
            "worktree",
            "add",
            "-q",
            "--detach",
            worktree.to_str().unwrap(),
            &f.commits[0],
        ],
    );
    let report = verify_grounded(&worktree, &[&f.commits[2][..12]]);
    assert!(report.valid, "{report:?}");
    let bare = dir.path().join("bare.git");
    git(
        dir.path(),
        &[
            "clone",
            "-q",
            "--bare",
            f.path.to_str().unwrap(),
            bare.to_str().unwrap(),
        ],
    );
    let iso = verify_isomorphic(&bare, &[&f.commits[1], &f.annotated_tag]);
    assert_eq!(iso.exit_code(), exit::ISOMORPHIC_GAP, "{iso:?}");
    assert_eq!(iso_name(&iso.claims[0].verdict), "consistent");
}

/// Build a repository with many commits (fixed dates, so the ids are deterministic) and find a
/// 4-hex prefix shared by two commits.
#[test]
fn ambiguous_prefix_is_not_grounded_and_is_a_gap() {
    let dir = TempDir::new().unwrap();
    let repo = dir.path().join("many");
    std::fs::create_dir(&repo).unwrap();
    git(&repo, &["init", "-q", "-b", "main"]);
    let mut stream = String::new();
    for i in 0..1200u32 {
        let message = format!("commit {i}");
        stream.push_str(&format!(
            "commit refs/heads/main\nmark :{}\ncommitter T <t@e> {} +0000\ndata {}\n{message}\n",
            i + 1,
            1_700_000_000 + i,
            message.len()
        ));
        if i > 0 {
            stream.push_str(&format!("from :{i}\n"));
        }
    }
    git_with_input(&repo, &["fast-import", "--quiet"], Some(&stream));
    let log = git(&repo, &["log", "--format=%H", "main"]);
    let mut by_prefix: HashMap<&str, Vec<&str>> = HashMap::new();
    for oid in log.lines() {
        by_prefix.entry(&oid[..4]).or_default().push(oid);
    }
    let (prefix, shared) = by_prefix
        .iter()
        .filter(|(_, oids)| oids.len() >= 2)
        .min()
        .expect("1200 commits share some 4-hex prefix");
    let report = verify_grounded(&repo, &[*prefix, shared[0], shared[1]]);
    assert_eq!(verdict_name(&report.claims[0].verdict), "fabricated");
    assert!(detail(&report.claims[0].verdict).contains("ambiguous"));
    assert_eq!(verdict_name(&report.claims[1].verdict), "grounded");
    assert_eq!(verdict_name(&report.claims[2].verdict), "grounded");
    let iso = verify_isomorphic(&repo, &[*prefix, shared[0]]);
    assert_eq!(iso_name(&iso.claims[0].verdict), "gap");
    assert!(iso.claims[0].oid.is_none());
    assert_eq!(iso_name(&iso.claims[1].verdict), "consistent");
    assert_eq!(iso.exit_code(), exit::ISOMORPHIC_GAP);
    // The same prefix upper-cased is just as ambiguous.
    let iso = verify_isomorphic(&repo, &[prefix.to_uppercase()]);
    assert_eq!(iso.exit_code(), exit::ISOMORPHIC_GAP);
}

#[test]
fn a_reference_named_like_a_short_id_is_a_gap_in_sha256_repos() {
    // `git cat-file` resolves `deadbeef` through refs/heads/deadbeef before abbreviated ids.
    let f = fixture("sha256");
    git(&f.path, &["branch", "deadbeef", &f.commits[0]]);
    let report = verify_grounded(&f.path, &["deadbeef"]);
    assert_eq!(verdict_name(&report.claims[0].verdict), "fabricated");
    let iso = verify_isomorphic(&f.path, &["deadbeef"]);
    assert_eq!(iso.exit_code(), exit::ISOMORPHIC_GAP, "{iso:?}");
}

#[test]
fn reftable_repository_is_verifiable_through_git() {
    // libgit2 1.9 refuses `extensions.refstorage = reftable`; the verifier falls back to git.
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("reftable");
    std::fs::create_dir(&path).unwrap();
    git(&path, &["init", "-q", "--ref-format=reftable"]);
    git(&path, &["commit", "-q", "--allow-empty", "-m", "one"]);
    let head = git(&path, &["rev-parse", "HEAD"]);
    let report = verify_grounded(&path, &[&head[..10], "deadbeef"]);
    assert_eq!(
        verdict_name(&report.claims[0].verdict),
        "grounded",
        "{report:?}"
    );
    assert_eq!(verdict_name(&report.claims[1].verdict), "fabricated");
    assert_eq!(report.object_format, Some(ObjectFormat::Sha1));
}

#[test]
fn references_are_never_consulted_in_sha1_repos() {
    let f = fixture("sha1");
    git(&f.path, &["branch", "deadbeef", &f.commits[0]]);
    git(&f.path, &["tag", "cafe", &f.commits[0]]);
    let report = verify_grounded(&f.path, &["deadbeef", "cafe"]);
    assert_eq!(report.fabricated.len(), 2, "{report:?}");
}

#[test]
fn shallow_clone_missing_objects_are_unverifiable() {
    let f = sha1();
    let dir = TempDir::new().unwrap();
    let shallow = dir.path().join("shallow");
    let url = format!("file://{}", f.path.display());
    git(
        dir.path(),
        &[
            "clone",
            "-q",
            "--depth",
            "1",
            &url,
            shallow.to_str().unwrap(),
        ],
    );
    let report = verify_grounded(&shallow, &[&f.commits[2], &f.commits[0]]);
    assert_eq!(verdict_name(&report.claims[0].verdict), "grounded");
    assert_eq!(verdict_name(&report.claims[1].verdict), "unverifiable");
    assert!(detail(&report.claims[1].verdict).contains("shallow"));
    assert_eq!(report.exit_code(), exit::UNVERIFIABLE);
}

#[test]
fn shallow_sha256_clone_missing_objects_are_unverifiable() {
    let f = sha256();
    let dir = TempDir::new().unwrap();
    let shallow = dir.path().join("shallow");
    let url = format!("file://{}", f.path.display());
    git(
        dir.path(),
        &[
            "clone",
            "-q",
            "--depth",
            "1",
            &url,
            shallow.to_str().unwrap(),
        ],
    );
    let report = verify_grounded(&shallow, &[&f.commits[2], &f.commits[0]]);
    assert_eq!(
        verdict_name(&report.claims[0].verdict),
        "grounded",
        "{report:?}"
    );
    assert_eq!(verdict_name(&report.claims[1].verdict), "unverifiable");
}

#[test]
fn corrupt_object_is_unverifiable_not_fabricated() {
    let f = fixture("sha1");
    // Loose objects: overwrite HEAD's commit object with garbage.
    let head = &f.commits[2];
    let object = f
        .path
        .join(".git/objects")
        .join(&head[..2])
        .join(&head[2..]);
    let mut permissions = std::fs::metadata(&object).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    permissions.set_readonly(false);
    std::fs::set_permissions(&object, permissions).unwrap();
    std::fs::write(&object, b"this is not zlib data").unwrap();
    for claim in [head.as_str(), &head[..8]] {
        let report = verify_grounded(&f.path, &[claim]);
        assert_eq!(
            verdict_name(&report.claims[0].verdict),
            "unverifiable",
            "{claim}: {report:?}"
        );
        let iso: IsoReport = verify_isomorphic(&f.path, &[claim]);
        assert_eq!(iso.exit_code(), exit::UNVERIFIABLE);
    }
}

#[test]
fn missing_object_store_is_unverifiable() {
    let f = fixture("sha1");
    std::fs::remove_dir_all(f.path.join(".git/objects")).unwrap();
    std::fs::write(f.path.join(".git/objects"), "not a directory").unwrap();
    let report = verify_grounded(&f.path, &[&f.commits[0], "0123456789"]);
    assert_eq!(report.exit_code(), exit::UNVERIFIABLE, "{report:?}");
    assert_eq!(report.unverifiable.len(), 2);
}

#[test]
fn packed_repository_verifies_the_same() {
    let f = fixture("sha1");
    git(&f.path, &["gc", "-q", "--prune=now"]);
    assert_table(&f.path, &verdict_table(&f, 40));
}

#[test]
fn json_shapes_match_the_earlier_tool() {
    let f = sha1();
    let report = verify_grounded(&f.path, &[&f.commits[0], "nothex"]);
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["valid"], false);
    assert_eq!(json["claims"][0]["sha"], f.commits[0].as_str());
    assert_eq!(
        json["claims"][0]["verdict"],
        serde_json::json!({"verdict": "grounded"})
    );
    assert_eq!(json["claims"][1]["verdict"]["verdict"], "fabricated");
    assert!(json["claims"][1]["verdict"]["detail"].is_string());
    assert_eq!(json["object_format"], "sha1");

    let iso = verify_isomorphic(&f.path, &[&f.commits[0], &f.annotated_tag]);
    let json = serde_json::to_value(&iso).unwrap();
    assert_eq!(json["consistent"], false);
    assert_eq!(json["gap"], true);
    assert_eq!(json["unverifiable"], false);
    assert_eq!(
        json["claims"][0]["verdict"],
        serde_json::json!({"iso": "consistent"})
    );
    assert_eq!(json["claims"][0]["oid"], f.commits[0].as_str());
    assert_eq!(json["claims"][1]["verdict"]["iso"], "gap");
}

fn all_object_ids(f: &Fixture) -> Vec<(String, String)> {
    git(
        &f.path,
        &[
            "cat-file",
            "--batch-all-objects",
            "--batch-check=%(objectname) %(objecttype)",
        ],
    )
    .lines()
    .map(|l| {
        let (oid, kind) = l.split_once(' ').unwrap();
        (oid.to_string(), kind.to_string())
    })
    .collect()
}

/// A claim may only be grounded if it is a case-insensitive prefix of exactly one object id,
/// and that object is a commit.
fn check_never_grounded_unless_resolves(f: &Fixture, objects: &[(String, String)], claim: &str) {
    let report = verify_grounded(&f.path, &[claim]);
    let iso = verify_isomorphic(&f.path, &[claim]);
    let lower = claim.to_ascii_lowercase();
    let matches: Vec<&(String, String)> = objects
        .iter()
        .filter(|(oid, _)| claim.len() >= 4 && oid.starts_with(&lower))
        .collect();
    let resolves = claim.bytes().all(|b| b.is_ascii_hexdigit())
        && matches.len() == 1
        && matches[0].1 == "commit";
    assert_eq!(report.valid, resolves, "{claim:?}: {report:?}");
    assert_eq!(iso.consistent, resolves, "{claim:?}: {iso:?}");
    assert_ne!(report.exit_code(), exit::UNVERIFIABLE);
}

fn sha1_objects() -> &'static Vec<(String, String)> {
    static OBJECTS: OnceLock<Vec<(String, String)>> = OnceLock::new();
    OBJECTS.get_or_init(|| all_object_ids(sha1()))
}

fn sha256_objects() -> &'static Vec<(String, String)> {
    static OBJECTS: OnceLock<Vec<(String, String)>> = OnceLock::new();
    OBJECTS.get_or_init(|| all_object_ids(sha256()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_claims_never_panic_and_are_never_grounded_unless_they_resolve(claim in ".{0,80}") {
        check_never_grounded_unless_resolves(sha1(), sha1_objects(), &claim);
    }

    #[test]
    fn arbitrary_hex_claims_are_grounded_only_when_they_resolve(claim in "[0-9a-fA-F]{0,44}") {
        check_never_grounded_unless_resolves(sha1(), sha1_objects(), &claim);
    }

    #[test]
    fn sha256_hex_claims_are_grounded_only_when_they_resolve(claim in "[0-9a-fA-F]{0,66}") {
        check_never_grounded_unless_resolves(sha256(), sha256_objects(), &claim);
    }

    #[test]
    fn prefixes_of_real_objects_get_the_right_verdict(index in 0usize..64, len in 4usize..=40, upper: bool) {
        let objects = sha1_objects();
        let (oid, _) = &objects[index % objects.len()];
        let claim = if upper { oid[..len].to_uppercase() } else { oid[..len].to_string() };
        check_never_grounded_unless_resolves(sha1(), objects, &claim);
    }
}
