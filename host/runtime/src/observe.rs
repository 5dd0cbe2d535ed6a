//! Watching a run while it happens: what the host is doing now, each plugin `log.emit` line and
//! each host decision, delivered to an [`Observer`] as they occur.
//!
//! Guarantees:
//! - **Read-only.** An observer sees copies of what the run records (the audit log, the run's
//!   log lines); it cannot change a decision, and a run without one behaves the same.
//! - **Untrusted text stays marked.** [`Event::Log`] messages and decision arguments come from
//!   the plugin: the observer must escape them before a terminal
//!   (`strive_core::text::escape_line`), as the CLI's `-v` does.
//! - **Bounded.** Events follow the audit log: a host-call flood past the audit cap stops
//!   producing decision events as it stops producing audit rows.

use std::fmt;
use std::sync::Arc;

/// One thing that happened during a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event<'a> {
    /// The host starts long work: loading (and on first use precompiling) the component, a
    /// host call (`capability`.`function`) such as a maker call or the test command.
    Stage(Stage<'a>),
    /// A `log.emit` line the host accepted from the plugin (untrusted text).
    Log { level: &'a str, message: &'a str },
    /// A host decision, as written to the audit log: `allowed`, a refusal, a budget stop, or a
    /// host event (`run.start`, the verdict).
    Decision {
        capability: &'a str,
        function: &'a str,
        /// What the call asked for, summarised (untrusted text).
        args: &'a str,
        decision: &'a str,
    },
}

/// What long work the host starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage<'a> {
    /// Loading the component of `kind` (precompiled on first use, then cached).
    Load { kind: &'a str },
    /// A host call starts.
    Call {
        capability: &'a str,
        function: &'a str,
    },
}

impl Event<'_> {
    /// Whether this decision is anything but a plain `allowed`.
    pub fn is_refusal(&self) -> bool {
        matches!(self, Event::Decision { decision, capability, .. }
            if *decision != "allowed" && *capability != "host")
    }
}

/// A callback that sees a run's [`Event`]s as they happen (see the module guarantees).
#[derive(Clone)]
pub struct Observer(Arc<dyn Fn(&Event<'_>) + Send + Sync>);

impl Observer {
    /// Observe with `f`.
    pub fn new(f: impl Fn(&Event<'_>) + Send + Sync + 'static) -> Observer {
        Observer(Arc::new(f))
    }

    /// Deliver `event`.
    pub fn emit(&self, event: &Event<'_>) {
        (self.0)(event)
    }
}

impl fmt::Debug for Observer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Observer(..)")
    }
}

/// Deliver `event` to `observer`, if there is one.
pub fn emit(observer: Option<&Observer>, event: &Event<'_>) {
    if let Some(o) = observer {
        o.emit(event);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn an_observer_sees_what_is_emitted_in_order() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = seen.clone();
        let o = Observer::new(move |e| sink.lock().unwrap().push(format!("{e:?}")));
        emit(
            Some(&o),
            &Event::Log {
                level: "info",
                message: "hello",
            },
        );
        emit(None, &Event::Stage(Stage::Load { kind: "k" }));
        emit(Some(&o), &Event::Stage(Stage::Load { kind: "k" }));
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 2);
        assert!(seen[0].contains("hello"));
        assert!(seen[1].contains("Load"));
    }

    #[test]
    fn only_non_host_non_allowed_decisions_are_refusals() {
        let d = |capability, decision| Event::Decision {
            capability,
            function: "f",
            args: "",
            decision,
        };
        assert!(!d("git.read", "allowed").is_refusal());
        assert!(d("git.read", "denied: not granted").is_refusal());
        assert!(!d("host", "verdict clean").is_refusal());
    }
}
