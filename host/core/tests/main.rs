//! Every integration test of `strive-core`, linked into one test binary: each `tests/*.rs` file
//! is a module here (one link instead of one per file — less disk and build time in CI).
//! A new test file must be added to this list; `autotests = false` in Cargo.toml.

mod guard_fixtures;
mod injection_common;
mod integrity_common;

mod allowlist_gate;
mod budget;
mod guard_classes;
mod guard_corpus;
mod guard_families;
mod guard_families_held10;
mod guard_families_held11;
mod guard_families_held12;
mod guard_families_held2;
mod guard_families_held3;
mod guard_families_held4;
mod guard_families_held5;
mod guard_families_held6;
mod guard_families_held7;
mod guard_families_held8;
mod guard_families_held9;
mod guard_props;
mod guard_sources;
mod guard_table;
mod guard_variants;
mod injection_cases;
mod injection_corpus;
mod injection_generalisation;
mod injection_heldback;
#[cfg(feature = "learned")]
mod injection_learned;
mod injection_model;
mod injection_props;
mod integrity_corpus;
mod integrity_mutations;
mod integrity_mutations_c;
mod integrity_mutations_e;
mod integrity_mutations_f;
mod integrity_mutations_g;
mod integrity_mutations_h;
mod integrity_mutations_i;
mod integrity_mutations_j;
mod integrity_mutations_k;
mod integrity_mutations_l;
mod integrity_mutations_langs;
mod integrity_patch;
mod integrity_props;
mod verify;
