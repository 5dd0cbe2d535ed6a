//! File backend (see crate docs). TODO(state owner).
