//! The shipped model (`src/injection/model.bin`) is reproducible: training on the labelled
//! fixtures ([`injection_common::training_set`]: development corpus, generated set, held-back
//! authors' sets) with the default settings gives the committed file bit for bit.
//!
//! Regenerate after changing the fixtures, the windows or the training code:
//! `STRIVE_WRITE_INJECTION_MODEL=1 cargo test -p strive-core --test injection_model`
//! (or `tools/injection-model/train.sh`).

use crate::injection_common;

use injection_common::{train, training_set};
use strive_core::injection::model;

#[test]
fn committed_model_is_reproducible() {
    let items = training_set();
    let trained = train(items.iter()).to_bytes();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/injection/model.bin");
    if std::env::var_os("STRIVE_WRITE_INJECTION_MODEL").is_some() {
        // The compiled-in copy is the old one until the next build: write and stop here.
        std::fs::write(path, &trained).expect("write model.bin");
        println!("wrote {path} ({} bytes)", trained.len());
        return;
    }
    let committed = std::fs::read(path).expect("model.bin is committed");
    assert!(
        committed == trained,
        "model.bin differs from a fresh training run; regenerate it with \
         STRIVE_WRITE_INJECTION_MODEL=1 cargo test -p strive-core --test injection_model"
    );
    assert_eq!(
        model::Model::from_bytes(&committed).as_ref(),
        Some(model::shipped())
    );
}
