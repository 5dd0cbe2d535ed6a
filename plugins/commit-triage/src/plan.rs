//! Run planning for commit triage: which commits are new since the last run, the cursors to
//! store afterwards, and whether a divergence between refs is news.
//!
//! Guarantees:
//! - **Nothing twice.** A ref whose head equals its stored cursor asks for no log; a commit
//!   reachable from several refs is classified once (first ref wins, by full SHA).
//! - **Bounded first run.** A ref without a cursor is read only over its first-run window
//!   ([`FirstRun`]: a `since` window, default [`DEFAULT_FIRST_RUN_SINCE`] before the newest
//!   commit; the last N commits; since a tag; or the full history up to the host's cap).
//! - **Paged windows.** A window (or a cursor range) larger than a page is read newest first, one
//!   page per run: the rest is remembered as a [`Backfill`] (the same query and how many commits
//!   were read), continued by the next runs beside their new commits until it is exhausted.
//! - **Divergence once.** A divergence between the first and last ref is reported only when
//!   its signature (refs, tips, ahead, behind) differs from the one last reported; when the refs
//!   converge the memory is cleared, so a new divergence is reported again.
//! - Pure: the wasm glue fills the inputs from host calls and stores [`TriageState`] after a
//!   run the host accepted (cursors of a rejected run are simply not saved).
//!
//! Two steps per run: [`log_requests`] says which `git log` ranges to ask the host for;
//! [`plan`] turns the answers into the commits to classify and the next state.

use std::collections::{BTreeMap, BTreeSet};

/// The window read on a ref's first run, in git's `--since` syntax.
pub const DEFAULT_FIRST_RUN_SINCE: &str = "7 days ago";

/// What triage remembers between runs (the loop's state section holds it as
/// `{"cursors": {ref: sha}, "divergence_reported": signature|null}`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TriageState {
    /// Per ref: the full SHA of the head seen by the last accepted run.
    pub cursors: BTreeMap<String, String>,
    /// Signature of the divergence last reported, if the refs were diverged then.
    pub divergence_reported: Option<String>,
    /// Per ref: the part of a window or range still to read (paging).
    pub backfill: BTreeMap<String, Backfill>,
}

/// The rest of a ref's window or range that earlier runs did not read: the same query again,
/// skipping the commits already read (the host's walk order depends only on the commit graph).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backfill {
    /// The head the window was read from.
    pub tip: String,
    pub since_exclusive: Option<String>,
    pub since_time: Option<i64>,
    /// For a `last: N` window, how many commits are still to read.
    pub remaining: Option<u32>,
    /// Commits of the walk read so far.
    pub read: u32,
    /// First-parent mode: the first parent of the last chain commit read, where the chain
    /// continues.
    pub chain_next: Option<String>,
}

impl Backfill {
    /// As stored in the loop's state section.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "tip": self.tip,
            "since_exclusive": self.since_exclusive,
            "since_time": self.since_time,
            "remaining": self.remaining,
            "read": self.read,
            "chain_next": self.chain_next,
        })
    }

    /// Read a stored backfill; `None` for anything malformed (the caller fails the run).
    pub fn from_json(v: &serde_json::Value) -> Option<Backfill> {
        let text = |k: &str| -> Option<Option<String>> {
            match v.get(k) {
                None | Some(serde_json::Value::Null) => Some(None),
                Some(serde_json::Value::String(s)) => Some(Some(s.clone())),
                Some(_) => None,
            }
        };
        let number = |k: &str| -> Option<Option<i64>> {
            match v.get(k) {
                None | Some(serde_json::Value::Null) => Some(None),
                Some(n) => n.as_i64().map(Some),
            }
        };
        Some(Backfill {
            tip: text("tip")??,
            since_exclusive: text("since_exclusive")?,
            since_time: number("since_time")?,
            remaining: match number("remaining")? {
                None => None,
                Some(n) => Some(u32::try_from(n).ok()?),
            },
            read: u32::try_from(number("read")??).ok()?,
            chain_next: text("chain_next")?,
        })
    }
}

/// The window a ref's first run reads (`target.first_run`, or the older `first_run_since`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FirstRun {
    /// A git-style `since` expression; relative ones count back from the newest commit unless
    /// `from_newest` is false (`{"since": "7 days ago", "from": "now"}`).
    Since { expr: String, from_newest: bool },
    /// The newest N commits.
    Last(u32),
    /// Commits after a tag: the named one, or (`None`) the nearest tag reachable from the ref.
    SinceTag(Option<String>),
    /// Everything reachable (up to the host's log cap).
    All,
}

impl FirstRun {
    /// Read the spec's `first_run` (string or object) and legacy `first_run_since` (string).
    /// `Err` says what is wrong and what to write instead.
    pub fn from_spec(
        first_run: Option<&serde_json::Value>,
        legacy_since: Option<&serde_json::Value>,
    ) -> Result<FirstRun, String> {
        use serde_json::Value;
        let hint = "use \"7 days ago\", {\"since\": \"2024-05-01\"}, {\"last\": 50}, {\"since_tag\": true}, {\"since_tag\": \"v1.2.0\"} or \"all\"";
        let since = |expr: &str, from: Option<&Value>| -> Result<FirstRun, String> {
            if crate::since::parse_since(expr, 0).is_none() {
                return Err(format!(
                    "target.first_run: {expr:?} is not a window; {hint}"
                ));
            }
            let from_newest = match from.and_then(Value::as_str) {
                None | Some("newest") => true,
                Some("now") => false,
                Some(other) => {
                    return Err(format!(
                        "target.first_run.from: {other:?}; use \"newest\" (default) or \"now\""
                    ));
                }
            };
            Ok(FirstRun::Since {
                expr: expr.to_string(),
                from_newest,
            })
        };
        match (first_run, legacy_since) {
            (Some(Value::String(s)), _) if s.trim() == "all" => Ok(FirstRun::All),
            (Some(Value::String(s)), _) => since(s, None),
            (Some(Value::Object(m)), _) => {
                if m.len() > 2 || (m.len() == 2 && !m.contains_key("from")) {
                    return Err(format!("target.first_run: give one window; {hint}"));
                }
                if let Some(v) = m.get("since") {
                    let expr = v.as_str().ok_or_else(|| {
                        format!("target.first_run.since must be a string; {hint}")
                    })?;
                    return since(expr, m.get("from"));
                }
                if let Some(v) = m.get("last") {
                    return match v.as_u64() {
                        Some(n) if (1..=u64::from(u32::MAX)).contains(&n) => {
                            Ok(FirstRun::Last(n as u32))
                        }
                        _ => Err(format!(
                            "target.first_run.last must be a whole number of commits, at least 1; {hint}"
                        )),
                    };
                }
                if let Some(v) = m.get("since_tag") {
                    return match v {
                        Value::Bool(true) => Ok(FirstRun::SinceTag(None)),
                        Value::String(t) if !t.trim().is_empty() => {
                            Ok(FirstRun::SinceTag(Some(t.clone())))
                        }
                        _ => Err(format!(
                            "target.first_run.since_tag must be true or a tag name; {hint}"
                        )),
                    };
                }
                if m.get("all") == Some(&Value::Bool(true)) {
                    return Ok(FirstRun::All);
                }
                Err(format!("target.first_run: unknown window; {hint}"))
            }
            (Some(_), _) => Err(format!("target.first_run: {hint}")),
            (None, Some(Value::String(s))) if !s.trim().is_empty() => since(s, None),
            (None, _) => Ok(FirstRun::Since {
                expr: DEFAULT_FIRST_RUN_SINCE.into(),
                from_newest: true,
            }),
        }
    }
}

/// A ref and the full SHA it resolves to now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefHead {
    pub name: String,
    pub head: String,
}

/// Which commits of one ref to list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogRange {
    /// Head equals the cursor: nothing new, no log needed.
    UpToDate,
    /// Commits reachable from `head` but not from `cursor` (`git log cursor..head`).
    Since { cursor: String, head: String },
    /// First run: commits reachable from `head` within the first-run window.
    Window { head: String, window: FirstRun },
    /// The next page of a window or range an earlier run did not finish.
    Backfill(Backfill),
}

/// One log to fetch, in ref order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogRequest {
    pub ref_name: String,
    pub range: LogRange,
}

/// Ask for the logs this run needs: per ref its new commits, then the next page of its
/// unfinished backfill if it has one.
pub fn log_requests(prior: &TriageState, heads: &[RefHead], window: &FirstRun) -> Vec<LogRequest> {
    heads
        .iter()
        .flat_map(|h| {
            let range = match prior.cursors.get(&h.name) {
                Some(c) if *c == h.head => LogRange::UpToDate,
                Some(c) => LogRange::Since {
                    cursor: c.clone(),
                    head: h.head.clone(),
                },
                None => LogRange::Window {
                    head: h.head.clone(),
                    window: window.clone(),
                },
            };
            let backfill = prior.backfill.get(&h.name).map(|b| LogRequest {
                ref_name: h.name.clone(),
                range: LogRange::Backfill(b.clone()),
            });
            std::iter::once(LogRequest {
                ref_name: h.name.clone(),
                range,
            })
            .chain(backfill)
        })
        .collect()
}

/// Commits the host listed for one ref (full SHAs, newest first as `git log` gives them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefLog {
    pub ref_name: String,
    pub commits: Vec<String>,
}

/// `git rev-list --left-right --count` between the first ref (`base`) and the last (`tip`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AheadBehind {
    /// Commits on `base` that `tip` lacks.
    pub ahead: u64,
    /// Commits on `tip` that `base` lacks.
    pub behind: u64,
}

/// A divergence worth reporting, with the tip to cite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Divergence {
    pub base_ref: String,
    pub base_head: String,
    pub tip_ref: String,
    pub tip_head: String,
    pub ahead: u64,
    pub behind: u64,
    /// One-line description for the report.
    pub text: String,
}

/// Everything the run does after classification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Full SHAs to classify, each once, in ref order then log order.
    pub to_classify: Vec<String>,
    /// A divergence not reported before, if any.
    pub divergence: Option<Divergence>,
    /// State to store once the host accepts the run.
    pub next: TriageState,
}

/// The stable identity of a divergence: same refs, same tips, same counts ⇒ same signature.
pub fn divergence_signature(base: &RefHead, tip: &RefHead, counts: &AheadBehind) -> String {
    format!(
        "{}@{}..{}@{}:+{}/-{}",
        base.name, base.head, tip.name, tip.head, counts.ahead, counts.behind
    )
}

/// Plan the run. `counts` is the ahead/behind of the first ref against the last; pass `None`
/// when there are fewer than two refs.
pub fn plan(
    prior: &TriageState,
    heads: &[RefHead],
    logs: &[RefLog],
    counts: Option<&AheadBehind>,
) -> Plan {
    let mut seen = BTreeSet::new();
    let mut to_classify = Vec::new();
    for log in logs {
        for sha in &log.commits {
            if seen.insert(sha.to_ascii_lowercase()) {
                to_classify.push(sha.clone());
            }
        }
    }

    let mut cursors = prior.cursors.clone();
    for h in heads {
        cursors.insert(h.name.clone(), h.head.clone());
    }

    let mut divergence = None;
    let mut divergence_reported = None;
    let diverged = match (heads.first(), heads.last(), counts) {
        (Some(base), Some(tip), Some(c)) if heads.len() >= 2 && c.ahead > 0 => Some((base, tip, c)),
        _ => None,
    };
    if let Some((base, tip, c)) = diverged {
        let signature = divergence_signature(base, tip, c);
        if prior.divergence_reported.as_deref() != Some(signature.as_str()) {
            let mut text = format!(
                "{} is {} commit{} ahead of {}",
                base.name,
                c.ahead,
                if c.ahead == 1 { "" } else { "s" },
                tip.name
            );
            if c.behind > 0 {
                text.push_str(&format!(" and {} behind", c.behind));
            }
            divergence = Some(Divergence {
                base_ref: base.name.clone(),
                base_head: base.head.clone(),
                tip_ref: tip.name.clone(),
                tip_head: tip.head.clone(),
                ahead: c.ahead,
                behind: c.behind,
                text,
            });
        }
        divergence_reported = Some(signature);
    }

    Plan {
        to_classify,
        divergence,
        next: TriageState {
            cursors,
            divergence_reported,
            // The caller fills it from what each page read.
            backfill: BTreeMap::new(),
        },
    }
}

/// Keep only the commits on the first-parent chain from some start (a head, or where a paged
/// chain continues; `parent_of` gives a commit's first parent when it is among the listed
/// commits), in the given order.
pub fn first_parent_only(
    shas: &[String],
    starts: &[String],
    parent_of: impl Fn(&str) -> Option<String>,
) -> Vec<String> {
    let listed: BTreeSet<&str> = shas.iter().map(String::as_str).collect();
    let mut chain = BTreeSet::new();
    for start in starts {
        let mut at = Some(start.clone());
        while let Some(sha) = at {
            if !listed.contains(sha.as_str()) || !chain.insert(sha.clone()) {
                break;
            }
            at = parent_of(&sha);
        }
    }
    shas.iter()
        .filter(|s| chain.contains(*s))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(name: &str, sha: &str) -> RefHead {
        RefHead {
            name: name.into(),
            head: sha.into(),
        }
    }

    fn log(name: &str, shas: &[&str]) -> RefLog {
        RefLog {
            ref_name: name.into(),
            commits: shas.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn first_run_reads_the_window_and_sets_cursors() {
        let heads = [head("main", "a1"), head("release", "b1")];
        let default = FirstRun::from_spec(None, None).unwrap();
        let reqs = log_requests(&TriageState::default(), &heads, &default);
        assert_eq!(
            reqs[0].range,
            LogRange::Window {
                head: "a1".into(),
                window: FirstRun::Since {
                    expr: DEFAULT_FIRST_RUN_SINCE.into(),
                    from_newest: true
                }
            }
        );
        let last = FirstRun::Last(50);
        let reqs = log_requests(&TriageState::default(), &heads, &last);
        assert!(matches!(&reqs[1].range, LogRange::Window { window, .. } if *window == last));

        let p = plan(
            &TriageState::default(),
            &heads,
            &[log("main", &["a1", "c0"]), log("release", &["b1", "c0"])],
            None,
        );
        assert_eq!(p.to_classify, ["a1", "c0", "b1"]);
        assert_eq!(p.next.cursors["main"], "a1");
        assert_eq!(p.next.cursors["release"], "b1");
    }

    #[test]
    fn second_run_without_new_commits_reports_nothing() {
        let heads = [head("main", "a1")];
        let first = plan(
            &TriageState::default(),
            &heads,
            &[log("main", &["a1"])],
            None,
        );
        let reqs = log_requests(&first.next, &heads, &FirstRun::All);
        assert_eq!(reqs[0].range, LogRange::UpToDate);
        let second = plan(&first.next, &heads, &[], None);
        assert!(second.to_classify.is_empty());
        assert!(second.divergence.is_none());
        assert_eq!(second.next, first.next);
    }

    #[test]
    fn only_new_commits_are_classified() {
        let prior = TriageState {
            cursors: [("main".to_string(), "a1".to_string())].into(),
            ..TriageState::default()
        };
        let heads = [head("main", "a2")];
        let reqs = log_requests(&prior, &heads, &FirstRun::All);
        assert_eq!(
            reqs[0].range,
            LogRange::Since {
                cursor: "a1".into(),
                head: "a2".into()
            }
        );
        let p = plan(&prior, &heads, &[log("main", &["a2"])], None);
        assert_eq!(p.to_classify, ["a2"]);
        assert_eq!(p.next.cursors["main"], "a2");
    }

    #[test]
    fn dedupe_ignores_sha_case() {
        let heads = [head("a", "X"), head("b", "Y")];
        let p = plan(
            &TriageState::default(),
            &heads,
            &[log("a", &["ABC"]), log("b", &["abc"])],
            None,
        );
        assert_eq!(p.to_classify, ["ABC"]);
    }

    #[test]
    fn divergence_is_reported_once_until_it_changes() {
        let heads = [head("main", "m1"), head("release", "r1")];
        let counts = AheadBehind {
            ahead: 3,
            behind: 0,
        };
        let first = plan(&TriageState::default(), &heads, &[], Some(&counts));
        let d = first
            .divergence
            .as_ref()
            .expect("first divergence reported");
        assert_eq!(d.text, "main is 3 commits ahead of release");
        assert_eq!(d.tip_head, "r1");

        let again = plan(&first.next, &heads, &[], Some(&counts));
        assert!(again.divergence.is_none(), "same divergence reported twice");
        assert_eq!(
            again.next.divergence_reported,
            first.next.divergence_reported
        );

        let moved = [head("main", "m2"), head("release", "r1")];
        let grown = AheadBehind {
            ahead: 4,
            behind: 1,
        };
        let changed = plan(&again.next, &moved, &[], Some(&grown));
        assert_eq!(
            changed.divergence.unwrap().text,
            "main is 4 commits ahead of release and 1 behind"
        );

        // Converged: memory cleared, so a later divergence is news again.
        let level = AheadBehind {
            ahead: 0,
            behind: 0,
        };
        let converged = plan(&changed.next, &moved, &[], Some(&level));
        assert!(converged.divergence.is_none());
        assert_eq!(converged.next.divergence_reported, None);
        let back = plan(&converged.next, &moved, &[], Some(&grown));
        assert!(back.divergence.is_some());
    }

    #[test]
    fn first_run_windows_from_the_spec() {
        use serde_json::json;
        let ok = |v: serde_json::Value| FirstRun::from_spec(Some(&v), None);
        assert_eq!(ok(json!("all")), Ok(FirstRun::All));
        assert_eq!(ok(json!({"last": 50})), Ok(FirstRun::Last(50)));
        assert_eq!(ok(json!({"since_tag": true})), Ok(FirstRun::SinceTag(None)));
        assert_eq!(
            ok(json!({"since_tag": "v1.0"})),
            Ok(FirstRun::SinceTag(Some("v1.0".into())))
        );
        assert_eq!(
            ok(json!({"since": "2 weeks ago", "from": "now"})),
            Ok(FirstRun::Since {
                expr: "2 weeks ago".into(),
                from_newest: false
            })
        );
        assert_eq!(
            FirstRun::from_spec(None, Some(&json!("3 days ago"))),
            Ok(FirstRun::Since {
                expr: "3 days ago".into(),
                from_newest: true
            })
        );
        for bad in [
            json!({"last": 0}),
            json!({"last": "ten"}),
            json!({"since": "soon"}),
            json!("whenever"),
            json!({"since_tag": false}),
            json!({"since": "7 days ago", "from": "tomorrow"}),
            json!({"last": 5, "all": true}),
            json!(7),
        ] {
            let err = ok(bad.clone()).unwrap_err();
            assert!(err.starts_with("target.first_run"), "{bad} → {err}");
        }
    }

    #[test]
    fn first_parent_chain() {
        // m (merge of b onto a) ← a ← root; b is on the branch.
        let parents = |s: &str| match s {
            "m" => Some("a".to_string()),
            "a" => Some("root".to_string()),
            "b" => Some("root".to_string()),
            _ => None,
        };
        let shas: Vec<String> = ["m", "b", "a", "root"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            first_parent_only(&shas, &["m".to_string()], parents),
            ["m", "a", "root"]
        );
    }

    proptest::proptest! {
        #[test]
        fn window_parsing_never_panics(s in ".{0,20}", n in proptest::num::i64::ANY) {
            let _ = FirstRun::from_spec(Some(&serde_json::json!(s)), None);
            let _ = FirstRun::from_spec(Some(&serde_json::json!({"last": n})), None);
        }
    }

    #[test]
    fn one_ref_has_no_divergence() {
        let heads = [head("main", "m1")];
        let counts = AheadBehind {
            ahead: 5,
            behind: 0,
        };
        assert!(
            plan(&TriageState::default(), &heads, &[], Some(&counts))
                .divergence
                .is_none()
        );
    }

    #[test]
    fn an_unfinished_backfill_is_asked_for_after_the_new_commits() {
        let b = Backfill {
            tip: "a1".into(),
            since_exclusive: None,
            since_time: Some(100),
            remaining: None,
            read: 10,
            chain_next: None,
        };
        let prior = TriageState {
            cursors: [("main".to_string(), "a1".to_string())].into(),
            backfill: [("main".to_string(), b.clone())].into(),
            ..TriageState::default()
        };
        let reqs = log_requests(&prior, &[head("main", "a2")], &FirstRun::All);
        assert_eq!(reqs.len(), 2);
        assert!(matches!(reqs[0].range, LogRange::Since { .. }));
        assert_eq!(reqs[1].range, LogRange::Backfill(b.clone()));
        // Up to date: only the backfill.
        let reqs = log_requests(&prior, &[head("main", "a1")], &FirstRun::All);
        assert_eq!(reqs[0].range, LogRange::UpToDate);
        assert_eq!(reqs[1].range, LogRange::Backfill(b.clone()));
        assert_eq!(Backfill::from_json(&b.to_json()), Some(b));
        assert_eq!(Backfill::from_json(&serde_json::json!({"tip": 3})), None);
    }

    #[test]
    fn cursors_of_refs_no_longer_listed_are_kept() {
        let prior = TriageState {
            cursors: [("old".to_string(), "o1".to_string())].into(),
            ..TriageState::default()
        };
        let p = plan(&prior, &[head("main", "m1")], &[], None);
        assert_eq!(p.next.cursors["old"], "o1");
        assert_eq!(p.next.cursors["main"], "m1");
    }
}
