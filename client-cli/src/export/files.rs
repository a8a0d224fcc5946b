//! Writing an export into place: under a temporary name beside the output, then renamed, so the
//! output path holds either the old content or the whole new export, never half of one. Export
//! folders carry a marker (`.balai-export`) listing what they hold, so `--force` replaces only
//! what an export wrote.

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

/// The file an export folder carries, listing what the export wrote there.
pub(super) const MARKER: &str = ".balai-export";

/// Files a file manager drops into any folder it shows; they do not make a folder someone's.
const JUNK: [&str; 3] = [".DS_Store", "desktop.ini", "Thumbs.db"];

/// `--force` replaces a folder only if an export wrote it: it holds the marker, and nothing but
/// the files the marker lists (and a file manager's junk). So a mistyped `--out ~` or a folder of
/// one's own CSV files is never deleted.
fn check_export_dir(dir: &Path) -> Result<(), ExportError> {
    let refuse = |why: String| ExportError::Io {
        path: dir.to_owned(),
        source: std::io::Error::other(why),
    };
    let listed = match fs::read_to_string(dir.join(MARKER)) {
        Ok(text) => text.lines().map(str::to_owned).collect::<Vec<_>>(),
        Err(_) => {
            return Err(refuse(
                "was not written by balai export (it has no .balai-export file), so --force will \
                 not replace it. Choose another --out"
                    .to_owned(),
            ));
        }
    };
    for entry in fs::read_dir(dir).map_err(io(dir))? {
        let entry = entry.map_err(io(dir))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_file = entry.file_type().map_err(io(&entry.path()))?.is_file();
        let ours = name == MARKER || listed.contains(&name) || JUNK.contains(&name.as_str());
        if !(is_file && ours) {
            return Err(refuse(format!(
                "holds {}, which the export there did not write; --force replaces only what an \
                 export wrote. Choose another --out",
                entry.path().display()
            )));
        }
    }
    Ok(())
}

/// An output path must name a file or folder of its own: not `.` or `..`, and not inside the
/// device's home (a mistaken `--out` must never replace its store or config).
pub(super) fn check_out(out: &Path, home: Option<&Path>) -> Result<(), ExportError> {
    let refuse = |why: &str| ExportError::Io {
        path: out.to_owned(),
        source: std::io::Error::other(why.to_owned()),
    };
    // `Path` reads `dir/.` as `dir`, so the text itself is checked for a trailing `.`.
    let raw = out.as_os_str().as_encoded_bytes();
    let dot = raw == b"." || raw.ends_with(b"/.") || raw.ends_with(b"\\.");
    if dot || out.file_name().is_none() {
        return Err(refuse(
            "is not a file or folder name; give one, e.g. --out kalianda.xlsx",
        ));
    }
    if let Some(home) = home {
        let canonical = |p: &Path| fs::canonicalize(p).unwrap_or_else(|_| p.to_owned());
        let home = canonical(home);
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if canonical(parent).starts_with(&home) {
            return Err(refuse(
                "is inside this device's home, which holds its records; export somewhere else",
            ));
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
    readable(tmp.path(), 0o644)?;
    tmp.as_file().sync_all().map_err(io(tmp.path()))?;
    // `persist` renames over an existing file, atomically.
    tmp.persist(out).map_err(|e| ExportError::Io {
        path: out.to_owned(),
        source: e.error,
    })?;
    Ok(())
}

/// Write a folder at `out`: `write` fills a temporary folder beside it and returns the names of
/// the files it wrote; the folder gets the marker and then takes `out`'s place. An earlier export
/// there is moved aside first, put back if the new one cannot take its place, and removed last.
pub(super) fn write_dir(
    out: &Path,
    force: bool,
    write: impl FnOnce(&Path) -> Result<Vec<String>, ExportError>,
) -> Result<(), ExportError> {
    check_target(out, force, true)?;
    let parent = parent_of(out)?;
    // Removed on every early return until it has become `out`.
    let tmp = tempfile::Builder::new()
        .prefix(".balai-export-")
        .tempdir_in(&parent)
        .map_err(io(&parent))?;
    readable(tmp.path(), 0o755)?;
    let mut names = write(tmp.path())?;
    names.sort();
    write_all(
        &tmp.path().join(MARKER),
        format!("{}\n", names.join("\n")).as_bytes(),
    )?;
    if !out.exists() {
        fs::rename(tmp.path(), out).map_err(io(out))?;
        drop(tmp.keep());
        return Ok(());
    }
    // A fresh name for the earlier export (renaming onto an existing folder is not portable).
    let aside = (0u32..1000)
        .map(|i| parent.join(format!(".balai-export-old-{}-{i}", std::process::id())))
        .find(|p| !p.exists())
        .ok_or_else(|| ExportError::Io {
            path: parent.clone(),
            source: std::io::Error::other("no free name to move the earlier export aside"),
        })?;
    fs::rename(out, &aside).map_err(io(out))?;
    if let Err(e) = fs::rename(tmp.path(), out) {
        // Put the earlier export back; the new one is removed with `tmp`.
        let _ = fs::rename(&aside, out);
        return Err(io(out)(e));
    }
    drop(tmp.keep());
    if let Err(e) = fs::remove_dir_all(&aside) {
        // The new export is in place; only the old copy is left over.
        tracing::warn!(path = %aside.display(), error = %e, "cannot remove the earlier export");
    }
    Ok(())
}

/// Temporary files and folders are made private (0600, 0700); an export is for sharing, so it
/// gets the modes a file or folder a user makes usually has.
fn readable(path: &Path, mode: u32) -> Result<(), ExportError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).map_err(io(path))?;
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
    Ok(())
}

/// Write `bytes` to `path` and flush them to disk.
pub(super) fn write_all(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    let mut f = fs::File::create(path).map_err(io(path))?;
    std::io::Write::write_all(&mut f, bytes).map_err(io(path))?;
    f.sync_all().map_err(io(path))
}
