//! The in-process backend: libgit2 opened once, claims resolved against the object database
//! by prefix (never through references). SHA-1 repositories only (see the module docs of
//! `verify` for SHA-256).

use std::ffi::OsStr;
use std::path::Path;

use git2::{ErrorCode, ObjectType, Odb, Oid, Repository, RepositoryOpenFlags};

use super::layout::Layout;
use super::{Lookup, ObjectKind};

pub(super) struct Libgit2Store {
    repo: Repository,
    shallow: bool,
}

pub(super) enum OpenError {
    /// libgit2 could not open a repository whose config declares `extensions.*` (SHA-256
    /// objects, reftable refs, ...); `git` may read it.
    UnsupportedExtension(Layout),
    /// Anything else: the reason the repository is unverifiable.
    Other(String),
}

impl Libgit2Store {
    pub(super) fn open(path: &Path) -> Result<Self, OpenError> {
        let shown = path.display();
        if !path.exists() {
            return Err(OpenError::Other(format!(
                "repository path '{shown}' does not exist; pass the path of an existing repository"
            )));
        }
        let repo = Repository::open_ext(path, RepositoryOpenFlags::NO_SEARCH, [] as [&OsStr; 0])
            .map_err(|e| {
                if let Some(layout) = Layout::find(path).filter(Layout::has_extensions) {
                    OpenError::UnsupportedExtension(layout)
                } else if e.code() == ErrorCode::NotFound {
                    OpenError::Other(format!(
                        "'{shown}' is not a git repository (parent directories are not searched; pass the work tree root, its .git directory or a bare repository)"
                    ))
                } else if e.code() == ErrorCode::Owner {
                    OpenError::Other(format!(
                        "cannot open the repository at '{shown}': {} (run as its owner, or trust it with `git config --global --add safe.directory <path>`)",
                        e.message()
                    ))
                } else {
                    OpenError::Other(format!(
                        "cannot open the repository at '{shown}': {}",
                        e.message()
                    ))
                }
            })?;
        // libgit2 treats an unreadable object directory like an empty one; probe it so that
        // "not found" below really means "looked and absent".
        let objects = repo.commondir().join("objects");
        for dir in [objects.clone(), objects.join("pack")] {
            if dir == objects || dir.exists() {
                std::fs::read_dir(&dir).map_err(|e| {
                    OpenError::Other(format!(
                        "cannot read the object store at '{}': {e}",
                        dir.display()
                    ))
                })?;
            }
        }
        let shallow = repo.is_shallow();
        Ok(Libgit2Store { repo, shallow })
    }

    pub(super) fn is_shallow(&self) -> bool {
        self.shallow
    }

    /// One lookup per claim (lower-case hex, 4..=40 digits), against one odb handle.
    pub(super) fn lookup_batch(&self, claims: &[&str], peel: bool) -> Vec<Lookup> {
        match self.repo.odb() {
            Ok(odb) => claims
                .iter()
                .map(|claim| self.lookup(&odb, claim, peel))
                .collect(),
            Err(e) => {
                let why = format!("cannot open the object database: {}", e.message());
                claims
                    .iter()
                    .map(|_| Lookup::Unreadable(why.clone()))
                    .collect()
            }
        }
    }

    fn lookup(&self, odb: &Odb<'_>, claim: &str, peel: bool) -> Lookup {
        let unreadable = |e: git2::Error| {
            Lookup::Unreadable(format!("cannot read object '{claim}': {}", e.message()))
        };
        let prefix = match Oid::from_str(claim) {
            Ok(oid) => oid,
            Err(e) => return unreadable(e),
        };
        let oid = if claim.len() == 40 {
            prefix
        } else {
            match odb.exists_prefix(prefix, claim.len()) {
                Ok(oid) => oid,
                Err(e) if e.code() == ErrorCode::NotFound => return Lookup::Missing,
                Err(e) if e.code() == ErrorCode::Ambiguous => return Lookup::Ambiguous,
                Err(e) => return unreadable(e),
            }
        };
        let kind = match odb.read_header(oid) {
            Ok((_, ObjectType::Commit)) => ObjectKind::Commit,
            Ok((_, ObjectType::Tree)) => ObjectKind::Tree,
            Ok((_, ObjectType::Blob)) => ObjectKind::Blob,
            Ok((_, ObjectType::Tag)) => ObjectKind::Tag,
            Ok((_, other)) => {
                return Lookup::Unreadable(format!("object {oid} has unexpected type {other:?}"));
            }
            Err(e) if e.code() == ErrorCode::NotFound => return Lookup::Missing,
            Err(e) => return unreadable(e),
        };
        let peels_to_commit = match kind {
            ObjectKind::Commit => true,
            ObjectKind::Tag if peel => match self.peel_tag(oid) {
                Ok(peels) => peels,
                Err(e) => return unreadable(e),
            },
            _ => false,
        };
        Lookup::Found {
            oid: oid.to_string(),
            kind,
            peels_to_commit,
        }
    }

    /// Does this tag (possibly via further tags) point to a commit?
    fn peel_tag(&self, oid: Oid) -> Result<bool, git2::Error> {
        let object = self.repo.find_object(oid, Some(ObjectType::Tag))?;
        match object.peel(ObjectType::Commit) {
            Ok(_) => Ok(true),
            Err(e) if matches!(e.code(), ErrorCode::Peel | ErrorCode::InvalidSpec) => Ok(false),
            // A tag whose target is absent does not reach a commit.
            Err(e) if e.code() == ErrorCode::NotFound => Ok(false),
            Err(e) => Err(e),
        }
    }
}
