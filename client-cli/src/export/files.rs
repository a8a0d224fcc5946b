//! Writing an export into place: under a temporary name beside the output, then renamed, so the
//! output path holds either the old content or the whole new export, never half of one.

use std::fs;
use std::path::{Path, PathBuf};

use super::ExportError;

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ExportError + '_ {
    move |source| ExportError::Io {
        path: path.to_owned(),
        source,
    }
}

/// The directory an output goes in (`.` for a bare file name), created if missing.
fn parent_of(out: &Path) -> Result<PathBuf, ExportError> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(io(&parent))?;
    Ok(parent)
}

/// Refuse to replace `out` unless `force`; refuse to replace a directory with a file whatever
/// `force` says.
fn check_target(out: &Path, force: bool, want_dir: bool) -> Result<(), ExportError> {
    let Ok(meta) = fs::symlink_metadata(out) else {
        return Ok(());
    };
    if !force {
        return Err(ExportError::Exists(out.to_owned()));
    }
    match (meta.is_dir(), want_dir) {
        (true, false) => Err(ExportError::Io {
            path: out.to_owned(),
            source: std::io::Error::other("is a directory; an export file cannot replace it"),
        }),
        (false, true) => Err(ExportError::Io {
            path: out.to_owned(),
            source: std::io::Error::other("is a file; an export folder cannot replace it"),
        }),
        (true, true) => check_export_dir(out),
        (false, false) => Ok(()),
    }
}

/// `--force` replaces a folder only if it looks like an earlier export (nothing but `.csv` and
/// `.automerge` files), so a mistyped `--out ~` can never delete a home directory.
fn check_export_dir(dir: &Path) -> Result<(), ExportError> {
    for entry in fs::read_dir(dir).map_err(io(dir))? {
        let entry = entry.map_err(io(dir))?;
        let path = entry.path();
        let ours = entry.file_type().map_err(io(&path))?.is_file()
            && path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e, "csv" | "automerge"));
        if !ours {
            return Err(ExportError::Io {
                path: dir.to_owned(),
                source: std::io::Error::other(format!(
                    "holds {}, which an export did not write; --force replaces only a folder of \
                     .csv or .automerge files. Choose another --out",
                    path.display()
                )),
            });
        }
    }
    Ok(())
}

/// Write one file at `out`: `write` fills a temporary file beside it, which then replaces `out`.
pub(super) fn write_file(
    out: &Path,
    force: bool,
    write: impl FnOnce(&Path) -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    check_target(out, force, false)?;
    let parent = parent_of(out)?;
    let tmp = tempfile::Builder::new()
        .prefix(".balai-export-")
        .tempfile_in(&parent)
        .map_err(io(&parent))?;
    write(tmp.path())?;
    tmp.as_file().sync_all().map_err(io(tmp.path()))?;
    // `persist` renames over an existing file, atomically.
    tmp.persist(out).map_err(|e| ExportError::Io {
        path: out.to_owned(),
        source: e.error,
    })?;
    Ok(())
}

/// Write a folder at `out`: `write` fills a temporary folder beside it, which then takes its
/// place (an earlier export there is removed only after the new one is complete).
pub(super) fn write_dir(
    out: &Path,
    force: bool,
    write: impl FnOnce(&Path) -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    check_target(out, force, true)?;
    let parent = parent_of(out)?;
    let tmp = tempfile::Builder::new()
        .prefix(".balai-export-")
        .tempdir_in(&parent)
        .map_err(io(&parent))?;
    write(tmp.path())?;
    let new = tmp.keep();
    if out.exists() {
        let old = tempfile::Builder::new()
            .prefix(".balai-export-old-")
            .tempdir_in(&parent)
            .map_err(io(&parent))?
            .keep();
        fs::rename(out, &old).map_err(io(out))?;
        fs::rename(&new, out).map_err(io(out))?;
        fs::remove_dir_all(&old).map_err(io(&old))?;
    } else {
        fs::rename(&new, out).map_err(io(out))?;
    }
    Ok(())
}

/// Write `bytes` to `path` and flush them to disk.
pub(super) fn write_all(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    let mut f = fs::File::create(path).map_err(io(path))?;
    std::io::Write::write_all(&mut f, bytes).map_err(io(path))?;
    f.sync_all().map_err(io(path))
}
