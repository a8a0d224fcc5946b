//! Enrolling the benchmark's devices on a server data directory before the server starts: the
//! same `Access::add` that `balai-server device add` runs, called in-process so that enrolling
//! 1,000 devices does not cost 1,000 process starts.

use std::path::Path;

use anyhow::Context;
use balai_server::access::{Access, Role};

use crate::server::Binaries;

/// Enroll `(name, scope)` facilitator devices on the data directory `data`; returns each one's
/// bearer token.
pub fn enroll(
    _bins: &Binaries,
    data: &Path,
    devices: &[(&str, &str)],
) -> anyhow::Result<Vec<Option<String>>> {
    std::fs::create_dir_all(data)?;
    let access = Access::open(&balai_server::access_path(data)).context("open access database")?;
    devices
        .iter()
        .map(|(name, scope)| {
            let (_, token) = access
                .add(name, Role::Facilitator, &[(*scope).to_owned()])
                .with_context(|| format!("enroll {name}"))?;
            Ok(Some(token.0))
        })
        .collect()
}
