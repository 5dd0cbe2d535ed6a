//! Host bindings, one module per supported WIT API version (see docs/wit.md). A component's
//! version is read from its imports/exports; `strive:loops@0.1.x` binds to [`v0_1`], generated from the newest 0.1 patch (0.1.2); wasmtime's
//! linker matches semver-compatible names, so a 0.1.0 or 0.1.1 guest loads on this 0.1.2 host.

pub mod v0_1 {
    wasmtime::component::bindgen!({
        path: "../../wit/strive-loops-0.1.2",
        world: "strive:loops/loop-kind",
        imports: { default: trappable },
    });

    pub use strive::loops::types::{HostError, Outcome, Phase as WitPhase};
}
