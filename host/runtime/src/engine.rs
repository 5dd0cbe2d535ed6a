//! The process-wide wasmtime engine.
//!
//! Guarantees: one [`wasmtime::Engine`] per process, configured for the component model with
//! fuel and epoch interruption always on (so every run can be bounded in CPU and wall time),
//! a 1 MiB wasm stack (deep recursion traps instead of exhausting the host), no wasm threads
//! (the feature is not compiled in) and no component-model concurrency. A ticker thread advances the epoch every [`TICK`].

use std::sync::OnceLock;
use std::time::Duration;

/// Epoch granularity: wall-time deadlines are rounded up to this.
pub const TICK: Duration = Duration::from_millis(10);

/// The engine every run and every cache entry uses.
pub fn engine() -> &'static wasmtime::Engine {
    static ENGINE: OnceLock<wasmtime::Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let mut config = wasmtime::Config::new();
        config
            .wasm_component_model(true)
            .consume_fuel(true)
            .epoch_interruption(true)
            .max_wasm_stack(1 << 20)
            .concurrency_support(false)
            .cranelift_nan_canonicalization(true);
        let engine = wasmtime::Engine::new(&config)
            .unwrap_or_else(|e| panic!("wasmtime engine configuration rejected: {e}"));
        let ticker = engine.weak();
        std::thread::Builder::new()
            .name("strive-epoch".into())
            .spawn(move || {
                while let Some(engine) = ticker.upgrade() {
                    engine.increment_epoch();
                    drop(engine);
                    std::thread::sleep(TICK);
                }
            })
            .expect("spawn the epoch ticker thread");
        engine
    })
}

/// Epoch ticks for a wall-time budget (at least one).
pub fn ticks_for(wall_ms: u64) -> u64 {
    let tick = TICK.as_millis() as u64;
    wall_ms.div_ceil(tick).max(1)
}
