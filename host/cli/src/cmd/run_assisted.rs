//! The `assisted-fix` path of `strive run`: one judged run, recorded, with the exit code of the
//! result.
//!
//! Guarantees: the printed result is the host's verdict (see `strive_runtime::assisted`). Exit 0
//! for `proposed`, `merged` (and `clean` for a paused loop); 1 for `escalated` and `error`; 64
//! for a spec that cannot be run at all.

use std::collections::BTreeSet;
use std::path::Path;

use strive_core::exit;
use strive_runtime::Capability;
use strive_runtime::assisted::run_assisted;
use strive_runtime::loops::RunOptions;
use strive_runtime::run::RunResultKind;
use strive_spec::LoadedSpec;

use super::io::print_json;
use crate::ui::{self, esc, paint};

/// Run `loaded` (kind `assisted-fix`) once and print the result.
pub fn run(
    loaded: &LoadedSpec,
    spec_path: &Path,
    state_path: &Path,
    grants: Option<BTreeSet<Capability>>,
    json: bool,
) -> i32 {
    let store = match super::io::open_store(state_path) {
        Ok(store) => store,
        Err(code) => return code,
    };
    let opts = RunOptions {
        grants,
        ..RunOptions::default()
    };
    // Maker calls can take many seconds each: say so on a terminal.
    let progress = crate::ui::Progress::start(format!(
        "running {} (assisted-fix: maker calls, verifier)",
        esc(&loaded.spec.id)
    ));
    let done = run_assisted(loaded, store.as_ref(), &opts);
    progress.done();
    let done = match done {
        Ok(done) => done,
        Err(e) => {
            eprintln!("error: {}: {}", spec_path.display(), esc(&e.to_string()));
            return exit::USAGE;
        }
    };
    super::run::print_plugin_log(&done.report);
    let report = &done.report;
    let outcome = &done.outcome;
    if json {
        print_json(&serde_json::json!({
            "run_id": report.run_id,
            "loop": report.loop_id,
            "result": report.result.as_str(),
            "action": done.runlog_row.get("action"),
            "note": report.note,
            "branch": outcome.branch,
            "commit": outcome.commit,
            "attempts": outcome.attempts,
            "maker_calls": outcome.maker_calls,
            "reflections": outcome.reflections,
            "merged": outcome.merged,
            "tokens_spent": outcome.tokens_spent,
            "claimed": report.claimed,
            "failure": report.failure,
            "host_calls": report.host_calls,
            "wall_ms": report.wall_ms,
            "state": state_path.display().to_string(),
        }));
    } else {
        let result = report.result.as_str();
        outln!(
            "[{}] {}: {} attempt(s) — {}",
            paint(ui::result_tone(result), result),
            esc(&report.loop_id),
            outcome.attempts,
            esc(&report.note)
        );
        if let Some(branch) = &outcome.branch {
            outln!("  branch {}", esc(branch));
        }
    }
    match report.result {
        RunResultKind::Proposed | RunResultKind::Merged | RunResultKind::Clean => exit::OK,
        RunResultKind::Found | RunResultKind::Escalated | RunResultKind::Error => 1,
    }
}
