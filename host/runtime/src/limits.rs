//! Per-run limits and the memory limiter.
//!
//! Guarantees: a run never holds more than [`RunLimits::memory_bytes`] of linear memory in
//! total (summed over every memory of every instance); growing past it traps with a message
//! naming the cap. Wall time (epoch deadline), CPU (fuel), host calls, host output volume, log
//! volume, captured stdio and findings are each capped; what a plugin's manifest requests is
//! clamped to the host's defaults, never raised above them.

use crate::manifest::RequestedLimits;

/// Every cap that applies to one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunLimits {
    /// Total linear memory across all memories.
    pub memory_bytes: usize,
    /// Wall-clock time for the whole run, in milliseconds (epoch ticks of [`crate::engine::TICK`]).
    pub wall_ms: u64,
    /// Fuel (roughly: wasm instructions).
    pub fuel: u64,
    /// Host calls; past this they return `budget-exceeded`, past twice this the run traps.
    pub host_calls: u64,
    /// Bytes the host returns to the plugin (git output, state values...).
    pub output_bytes: u64,
    /// Log lines and bytes through the `log` interface.
    pub log_lines: u64,
    pub log_bytes: u64,
    /// Captured WASI stdout + stderr, each.
    pub stdio_bytes: usize,
    /// Findings in one report.
    pub findings: u64,
    /// Bytes of staged state writes.
    pub state_bytes: u64,
    /// Commits one `git.log` may return.
    pub log_commits: u64,
}

impl Default for RunLimits {
    fn default() -> Self {
        RunLimits {
            memory_bytes: 256 << 20,
            wall_ms: 60_000,
            fuel: 50_000_000_000,
            host_calls: 100_000,
            output_bytes: 256 << 20,
            log_lines: 2_000,
            log_bytes: 1 << 20,
            stdio_bytes: 64 << 10,
            findings: 20_000,
            state_bytes: 4 << 20,
            log_commits: 100_000,
        }
    }
}

impl RunLimits {
    /// The host's limits narrowed by what a manifest requests (never widened).
    pub fn clamped(&self, requested: &RequestedLimits) -> RunLimits {
        let mut out = self.clone();
        if let Some(mib) = requested.memory_mib {
            out.memory_bytes = out
                .memory_bytes
                .min(usize::try_from(mib.saturating_mul(1 << 20)).unwrap_or(usize::MAX));
        }
        if let Some(ms) = requested.wall_ms {
            out.wall_ms = out.wall_ms.min(ms);
        }
        if let Some(fuel) = requested.fuel {
            out.fuel = out.fuel.min(fuel);
        }
        out
    }
}

/// Caps linear memory summed over all memories, plus instance/table/memory counts.
pub struct TotalMemoryLimiter {
    cap: usize,
    in_use: usize,
    /// The request that was refused, for the run's error message.
    pub refused: Option<usize>,
}

impl TotalMemoryLimiter {
    pub fn new(cap: usize) -> Self {
        TotalMemoryLimiter {
            cap,
            in_use: 0,
            refused: None,
        }
    }
}

impl wasmtime::ResourceLimiter for TotalMemoryLimiter {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let total = self.in_use - current.min(self.in_use) + desired;
        if total > self.cap {
            self.refused = Some(total);
            return Err(wasmtime::Error::msg(format!(
                "memory limit: the plugin tried to hold {total} bytes of linear memory (cap {} bytes)",
                self.cap
            )));
        }
        self.in_use = total;
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        if desired > 100_000 {
            return Err(wasmtime::Error::msg(format!(
                "table limit: the plugin tried to grow a table to {desired} elements (cap 100000)"
            )));
        }
        Ok(true)
    }

    fn instances(&self) -> usize {
        64
    }
    fn tables(&self) -> usize {
        64
    }
    fn memories(&self) -> usize {
        16
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasmtime::ResourceLimiter;

    #[test]
    fn total_is_summed_across_memories() {
        let mut lim = TotalMemoryLimiter::new(100);
        assert!(lim.memory_growing(0, 60, None).unwrap());
        assert!(lim.memory_growing(0, 40, None).unwrap());
        let err = lim.memory_growing(0, 1, None).unwrap_err();
        assert!(err.to_string().contains("cap 100"), "{err}");
        assert_eq!(lim.refused, Some(101));
    }

    #[test]
    fn manifest_narrows_never_widens() {
        let host = RunLimits::default();
        let narrowed = host.clamped(&RequestedLimits {
            memory_mib: Some(16),
            wall_ms: Some(u64::MAX),
            fuel: None,
        });
        assert_eq!(narrowed.memory_bytes, 16 << 20);
        assert_eq!(narrowed.wall_ms, host.wall_ms);
        assert_eq!(narrowed.fuel, host.fuel);
    }
}
