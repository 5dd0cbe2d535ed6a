//! Host bindings, one module per supported WIT API version (see docs/wit.md). A component's
//! version is read from its imports/exports; `strive:loops@0.1.x` binds to [`v0_1`] (wasmtime's
//! linker matches semver-compatible names, so a 0.1.0 guest loads on a 0.1.n host).

pub mod v0_1 {
    wasmtime::component::bindgen!({
        path: "../../wit/strive-loops-0.1.0",
        world: "strive:loops/loop-kind",
        imports: { default: trappable },
    });

    pub use strive::loops::types::{HostError, Outcome, Phase as WitPhase};
}
