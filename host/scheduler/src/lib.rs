//! Strive's scheduler: which loops run when, and who runs them.
//!
//! Guarantees:
//! - **One bad apple spoils nothing.** A malformed spec, a failing or panicking run, or a store
//!   error for one loop is reported for that loop; every other loop is still considered.
//! - **The scheduler's own clock.** Due-ness compares the injected `now` with times the
//!   scheduler recorded itself (`<id>::sched`), never with wall-clock fields a runtime wrote.
//! - **Halts that mean something.** A stall (the same error or escalation three times) halts a
//!   loop and notifies once; a `found`/`clean` flip-flop never halts; `resume` lifts a halt.
//! - **One writer per repository.** Loops that write their target (phase L2/L3) take a writer
//!   lock on the repository across processes (OS file lock, or a PostgreSQL advisory lock).
//! - **Each due slot runs once** across any number of lease workers (see [`worker`]).
//!
//! Mechanics: [`spec`] loads specs from a directory, [`cadence`] parses intervals and cron
//! expressions, [`tick::Scheduler`] runs one tick, [`record`] keeps per-loop history and halts,
//! [`inbox`] keeps notifications, [`lock`] is the collision guard, [`worker`] claims slots
//! from a [`strive_state::lease::LeaseQueue`]. Running a loop is delegated to a
//! [`tick::LoopRunner`], the same code path as `strive run`.

pub mod cadence;
pub mod inbox;
pub mod lock;
pub mod record;
pub mod spec;
pub mod tick;
pub mod worker;

pub use cadence::Cadence;
pub use spec::{ScheduledSpec, load_dir};
pub use tick::{LoopRunner, RunContext, RunOutcome, Scheduler, TickReport};
