//! Open the store a `--state` argument names: a PostgreSQL URL (`postgres://…` or
//! `postgresql://…`) or the path of a `state.json` file.
//!
//! Guarantee: nothing is created or written by opening a file store; opening a PostgreSQL store
//! connects and applies missing schema migrations, and fails with a message naming the URL
//! (password redacted) when it cannot.

use crate::file::FileStore;
use crate::postgres::{PgStore, is_postgres_url};
use crate::{Store, StoreError};

/// Open `url_or_path` as a [`Store`].
pub fn open(url_or_path: &str) -> Result<Box<dyn Store>, StoreError> {
    if is_postgres_url(url_or_path) {
        Ok(Box::new(PgStore::connect(url_or_path)?))
    } else {
        Ok(Box::new(FileStore::new(url_or_path)))
    }
}
