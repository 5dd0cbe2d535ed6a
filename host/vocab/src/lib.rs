//! The shared vocabulary of Strive: the words every crate uses for the same things, each with
//! exactly one parser.
//!
//! Guarantees:
//! - **One spelling table.** [`Phase`], [`Capability`] (with its [`TABLE`] of names, aliases,
//!   WIT interfaces and minimum phases), [`RunResult`] and the maker types ([`MAKER_TYPES`], with their defaults) and modes ([`MakerMode`]) are defined here and
//!   nowhere else; other crates re-export or use them.
//! - **Parsed once, at the edge.** Every `parse` accepts exactly the documented spellings
//!   (case-insensitive where the docs say so) and returns `None` for anything else; serde uses
//!   the same parsers, so a spec, a lock file, a CLI flag and an audit row agree.
//! - **No dependencies but serde**: cheap for every crate, the dashboard included.

mod capability;
mod maker;
mod phase;
mod result;

pub use capability::{Capability, CapabilityRow, Grant, TABLE};
pub use maker::{
    DEFAULT_MAX_TURNS, MAKER_TYPES, MAX_TURNS_LIMIT, MakerMode, MakerProtocol, MakerType,
};
pub use phase::Phase;
pub use result::RunResult;
