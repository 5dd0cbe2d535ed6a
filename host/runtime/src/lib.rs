//! TODO: the wasmtime host (owner: runtime).
pub struct Placeholder;
