//! File backend: the embedded default store, in the earlier loopengine's layout.
//!
//! Guarantees:
//! - **No lost updates.** Every section update holds an exclusive advisory lock on
//!   `<state path>.lock` across the whole read-modify-write, so concurrent threads and processes
//!   serialise; each writer sees the others' committed sections (and a loop's `notes`).
//! - **No torn files.** The new state is written to a temporary file in the same directory,
//!   fsynced, renamed over `state.json`, and the directory is fsynced. A reader or a crash sees
//!   the old file or the new one, never a mix.
//! - **Corruption is reported, never overwritten.** A `state.json` that does not parse (or has
//!   the wrong shape) makes every call fail with the path, what is wrong and how to fix it; no
//!   update touches it.
//! - **A missing file reads as empty**; the first update creates it and its parent directories.
//! - **Logs are append-only.** A run-log row is one `write` on an `O_APPEND` descriptor under
//!   the lock; an audit line is one `O_APPEND` write to its run's file. A torn last line (a
//!   crash mid-append) is cut off before the next append and skipped by readers, so a later
//!   row is never glued onto it.
//! - **A run commits in order, with O(1) syncs** ([`Store::commit_run`]): under the lock, the
//!   new section is computed first (a refused update writes nothing), then all the run's audit
//!   lines are written with one write and one sync, then its run-log row (one sync), then the
//!   state file (temp file sync, rename, directory sync). A crash therefore never leaves a
//!   section without its run-log row; at worst a row (or audit lines) without the section.
//! - **Private files.** Everything this backend creates is mode 0600; temp files a crash left
//!   behind are removed by the next state write.
//!
//! Layout (paths relative to the state file's directory; default `.loop-state/state.json`):
//! ```text
//! state.json               {"version": 1, "loops": {<loop id>: section, ...}}
//! state.json.lock          lock file (empty)
//! state.runlog.jsonl       one JSON object per line: {"ts", "loop", "result", ...}
//! audit/<run id>.jsonl     the run's hash-chained audit lines
//! ```

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use fs4::FileExt;
use serde_json::{Map, Value};

use crate::{RunCommit, Store, StoreError};

/// The state file used when a spec names none.
pub const DEFAULT_STATE_PATH: &str = ".loop-state/state.json";

/// Every section of a state file, keyed by loop id.
pub type Sections = BTreeMap<String, Value>;

/// The only layout version this backend reads and writes.
pub const LAYOUT_VERSION: u64 = 1;

/// A state file plus its run log and audit directory. Cheap to construct; opens files per call.
#[derive(Debug, Clone)]
pub struct FileStore {
    path: PathBuf,
    lock_path: PathBuf,
    runlog_path: PathBuf,
    audit_dir: PathBuf,
}

/// Held while the lock file is exclusively locked; unlocks on drop (closing the file).
struct LockGuard {
    _file: File,
}

fn io_err(path: &Path, source: std::io::Error) -> StoreError {
    StoreError::Io {
        path: path.display().to_string(),
        source,
    }
}

impl FileStore {
    /// A store whose state file is `path` (need not exist yet).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let dir = parent_dir(&path);
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "state".to_string());
        let mut lock_name = path.file_name().unwrap_or_default().to_os_string();
        lock_name.push(".lock");
        FileStore {
            lock_path: dir.join(lock_name),
            runlog_path: dir.join(format!("{stem}.runlog.jsonl")),
            audit_dir: dir.join("audit"),
            path,
        }
    }

    /// The state file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The run log beside the state file (`<stem>.runlog.jsonl`).
    pub fn runlog_path(&self) -> &Path {
        &self.runlog_path
    }

    /// The audit log file of one run (the run id is checked to be a plain file name).
    pub fn audit_path(&self, run_id: &str) -> Result<PathBuf, StoreError> {
        check_run_id(run_id)?;
        Ok(self.audit_dir.join(format!("{run_id}.jsonl")))
    }

    /// Update any number of sections in one locked read-modify-write (one file rewrite, however
    /// many sections change): the scheduler's bookkeeping for a whole tick costs one write.
    /// `update` sees every section; removing a key deletes that section. If `update` fails,
    /// nothing is written.
    pub fn update_many(
        &self,
        update: &mut dyn FnMut(&mut Sections) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let _lock = self.lock()?;
        let mut sections: Sections = self.load()?.into_iter().collect();
        update(&mut sections)?;
        self.save(sections.into_iter().collect())
    }

    fn lock(&self) -> Result<LockGuard, StoreError> {
        let dir = parent_dir(&self.path);
        fs::create_dir_all(&dir).map_err(|e| io_err(&dir, e))?;
        let file = private(OpenOptions::new().create(true).truncate(false).write(true))
            .open(&self.lock_path)
            .map_err(|e| io_err(&self.lock_path, e))?;
        FileExt::lock(&file).map_err(|e| io_err(&self.lock_path, e))?;
        Ok(LockGuard { _file: file })
    }

    /// The whole `loops` map; empty when the file does not exist.
    fn load(&self) -> Result<Map<String, Value>, StoreError> {
        let bytes = match fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Map::new()),
            Err(e) => return Err(io_err(&self.path, e)),
        };
        parse_state(&self.path, &bytes)
    }

    fn save(&self, loops: Map<String, Value>) -> Result<(), StoreError> {
        let dir = parent_dir(&self.path);
        let mut doc = Map::new();
        doc.insert("version".into(), Value::from(LAYOUT_VERSION));
        doc.insert("loops".into(), Value::Object(loops));
        let mut text = serde_json::to_vec_pretty(&Value::Object(doc)).map_err(|e| {
            StoreError::Other(format!(
                "{}: cannot serialise state: {e}",
                self.path.display()
            ))
        })?;
        text.push(b'\n');
        let prefix = self.temp_prefix();
        let mut tmp = tempfile::Builder::new()
            .prefix(&prefix)
            .suffix(".tmp")
            .tempfile_in(&dir)
            .map_err(|e| io_err(&dir, e))?;
        tmp.write_all(&text).map_err(|e| io_err(tmp.path(), e))?;
        tmp.as_file()
            .sync_all()
            .map_err(|e| io_err(tmp.path(), e))?;
        tmp.persist(&self.path)
            .map_err(|e| io_err(&self.path, e.error))?;
        sync_dir(&dir)?;
        self.sweep_temp_files(&dir);
        Ok(())
    }

    /// Remove temp files of this state file that a crash left behind. Called under the lock, so
    /// no writer of this state file is mid-save; best effort.
    fn sweep_temp_files(&self, dir: &Path) {
        let prefix = self.temp_prefix();
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(&prefix) && name.ends_with(".tmp") {
                let _ = fs::remove_file(entry.path());
            }
        }
    }

    /// Temp files of this state file are `.<file name>-<random>.tmp`.
    fn temp_prefix(&self) -> String {
        format!(
            ".{}-",
            self.path.file_name().unwrap_or_default().to_string_lossy()
        )
    }
}

/// Parse a state document; any deviation from `{"version": 1, "loops": {...}}` is corruption.
fn parse_state(path: &Path, bytes: &[u8]) -> Result<Map<String, Value>, StoreError> {
    let corrupt = |what: String| {
        StoreError::Other(format!(
            "{}: {what}; expected {{\"version\": 1, \"loops\": {{...}}}} — fix or move the file aside (it was left untouched)",
            path.display()
        ))
    };
    let doc: Value = serde_json::from_slice(bytes).map_err(|source| StoreError::Corrupt {
        path: path.display().to_string(),
        source,
    })?;
    let Value::Object(mut doc) = doc else {
        return Err(corrupt("state is not a JSON object".into()));
    };
    match doc.get("version") {
        None => {}
        Some(v) if v.as_u64() == Some(LAYOUT_VERSION) => {}
        Some(v) => return Err(corrupt(format!("unsupported layout version {v}"))),
    }
    match doc.remove("loops") {
        None => Ok(Map::new()),
        Some(Value::Object(loops)) => Ok(loops),
        Some(other) => Err(corrupt(format!(
            "\"loops\" is {} instead of an object",
            json_type(&other)
        ))),
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| io_err(dir, e))
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> Result<(), StoreError> {
    Ok(())
}

/// A run id becomes a file name: it must be non-empty, short, and made of `[A-Za-z0-9._-]`
/// without a leading dot, so it can never name a path outside the audit directory.
fn check_run_id(run_id: &str) -> Result<(), StoreError> {
    let ok = !run_id.is_empty()
        && run_id.len() <= 128
        && !run_id.starts_with('.')
        && run_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(StoreError::Other(format!(
            "invalid run id {run_id:?}: use 1-128 characters from [A-Za-z0-9._-], not starting with '.'"
        )))
    }
}

/// Options that create files readable and writable by the owner only.
fn private(opts: &mut OpenOptions) -> &mut OpenOptions {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts
}

/// Append `line` plus a newline with one write on an `O_APPEND` descriptor, then sync.
fn append_line(path: &Path, line: &str) -> Result<(), StoreError> {
    append_lines(path, std::slice::from_ref(&line))
}

/// Append every line (each plus a newline) with one write on an `O_APPEND` descriptor and one
/// sync. A torn last line left by a crash is cut off first. Callers that append to a shared
/// file hold the store's lock.
fn append_lines(path: &Path, lines: &[&str]) -> Result<(), StoreError> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| io_err(dir, e))?;
    }
    let mut buf = Vec::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
    for line in lines {
        buf.extend_from_slice(line.as_bytes());
        buf.push(b'\n');
    }
    let mut file = private(OpenOptions::new().create(true).append(true).read(true))
        .open(path)
        .map_err(|e| io_err(path, e))?;
    repair_torn_tail(&mut file).map_err(|e| io_err(path, e))?;
    file.write_all(&buf).map_err(|e| io_err(path, e))?;
    file.sync_data().map_err(|e| io_err(path, e))
}

/// If the file does not end with a newline, its last line was torn by a crash mid-append (its
/// write was never acknowledged): cut it off so the next line starts clean.
fn repair_torn_tail(file: &mut File) -> std::io::Result<()> {
    use std::io::{Read, Seek, SeekFrom};
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok(());
    }
    let mut last = [0u8; 1];
    file.seek(SeekFrom::Start(len - 1))?;
    file.read_exact(&mut last)?;
    if last[0] == b'\n' {
        return Ok(());
    }
    // Find the end of the last whole line, reading backwards in blocks.
    let mut end = len;
    let mut keep = 0;
    let mut block = vec![0u8; 64 * 1024];
    while end > 0 {
        let start = end.saturating_sub(block.len() as u64);
        let n = (end - start) as usize;
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(&mut block[..n])?;
        if let Some(i) = block[..n].iter().rposition(|&b| b == b'\n') {
            keep = start + i as u64 + 1;
            break;
        }
        end = start;
    }
    file.set_len(keep)?;
    file.sync_data()
}

/// The whole lines of a file; a torn last line (no newline after it) is not one.
fn read_lines(path: &Path) -> Result<Vec<String>, StoreError> {
    match fs::read_to_string(path) {
        Ok(text) => {
            let whole = match text.rfind('\n') {
                Some(i) => &text[..=i],
                None => "",
            };
            Ok(whole.lines().map(str::to_owned).collect())
        }
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(io_err(path, e)),
    }
}

impl Store for FileStore {
    fn describe(&self) -> String {
        self.path.display().to_string()
    }

    fn read_section(&self, loop_id: &str) -> Result<Option<Value>, StoreError> {
        // Renames are atomic, so a reader needs no lock to see a whole file.
        Ok(self.load()?.remove(loop_id))
    }

    fn update_section(
        &self,
        loop_id: &str,
        update: &mut dyn FnMut(Option<Value>) -> Result<Option<Value>, StoreError>,
    ) -> Result<Option<Value>, StoreError> {
        let _lock = self.lock()?;
        let mut loops = self.load()?;
        let new = update(loops.remove(loop_id))?;
        if let Some(v) = &new {
            loops.insert(loop_id.to_string(), v.clone());
        }
        self.save(loops)?;
        Ok(new)
    }

    fn all_sections(&self) -> Result<BTreeMap<String, Value>, StoreError> {
        Ok(self.load()?.into_iter().collect())
    }

    fn append_runlog(&self, row: &Value) -> Result<(), StoreError> {
        if !row.is_object() {
            return Err(StoreError::Other(format!(
                "{}: a run-log row must be a JSON object, got {}",
                self.runlog_path.display(),
                json_type(row)
            )));
        }
        let line = row.to_string();
        let _lock = self.lock()?;
        append_line(&self.runlog_path, &line)
    }

    fn read_runlog(&self, loop_id: Option<&str>) -> Result<Vec<Value>, StoreError> {
        let mut rows = Vec::new();
        for (n, line) in read_lines(&self.runlog_path)?.iter().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let row: Value = serde_json::from_str(line).map_err(|e| {
                StoreError::Other(format!(
                    "{}:{}: run-log row is not valid JSON ({e}); fix or delete that line",
                    self.runlog_path.display(),
                    n + 1
                ))
            })?;
            if loop_id.is_none_or(|id| row.get("loop").and_then(Value::as_str) == Some(id)) {
                rows.push(row);
            }
        }
        Ok(rows)
    }

    fn append_audit(&self, run_id: &str, line: &str) -> Result<(), StoreError> {
        let path = self.audit_path(run_id)?;
        if line.contains('\n') || line.contains('\r') {
            return Err(StoreError::Other(format!(
                "{}: an audit line must be a single line (serialise it as compact JSON)",
                path.display()
            )));
        }
        append_line(&path, line)
    }

    fn read_audit(&self, run_id: &str) -> Result<Vec<String>, StoreError> {
        read_lines(&self.audit_path(run_id)?)
    }

    fn commit_run(&self, run: &mut RunCommit<'_>) -> Result<Option<Value>, StoreError> {
        let audit_path = self.audit_path(run.run_id)?;
        if run
            .audit
            .iter()
            .any(|l| l.contains('\n') || l.contains('\r'))
        {
            return Err(StoreError::Other(format!(
                "{}: an audit line must be a single line (serialise it as compact JSON)",
                audit_path.display()
            )));
        }
        if !run.runlog_row.is_object() {
            return Err(StoreError::Other(format!(
                "{}: a run-log row must be a JSON object",
                self.runlog_path.display()
            )));
        }
        let row = run.runlog_row.to_string();
        let _lock = self.lock()?;
        let mut loops = self.load()?;
        let new = (run.update)(loops.remove(run.loop_id))?;
        let lines: Vec<&str> = run.audit.iter().map(String::as_str).collect();
        if !lines.is_empty() {
            append_lines(&audit_path, &lines)?;
        }
        append_line(&self.runlog_path, &row)?;
        if let Some(v) = &new {
            loops.insert(run.loop_id.to_string(), v.clone());
        }
        self.save(loops)?;
        Ok(new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn layout_paths_follow_the_state_file() {
        let s = FileStore::new("/x/.loop-state/state.json");
        assert_eq!(
            s.runlog_path(),
            Path::new("/x/.loop-state/state.runlog.jsonl")
        );
        assert_eq!(s.lock_path, Path::new("/x/.loop-state/state.json.lock"));
        assert_eq!(
            s.audit_path("run-1").unwrap(),
            Path::new("/x/.loop-state/audit/run-1.jsonl")
        );
        let bare = FileStore::new("st.json");
        assert_eq!(bare.runlog_path(), Path::new("./st.runlog.jsonl"));
    }

    #[test]
    fn run_ids_cannot_escape_the_audit_dir() {
        let s = FileStore::new("/x/state.json");
        for bad in ["", "../x", "a/b", ".hidden", "a\\b", "a b"] {
            assert!(s.audit_path(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn parse_rejects_wrong_shapes() {
        let p = Path::new("s.json");
        assert!(parse_state(p, b"[]").is_err());
        assert!(parse_state(p, br#"{"version":2,"loops":{}}"#).is_err());
        assert!(parse_state(p, br#"{"version":1,"loops":[]}"#).is_err());
        assert!(parse_state(p, b"{\"version\":1,").is_err());
        let ok = parse_state(p, br#"{"version":1,"loops":{"a":{"x":1}}}"#).unwrap();
        assert_eq!(ok["a"], json!({"x": 1}));
        assert!(parse_state(p, br#"{}"#).unwrap().is_empty());
    }
}
