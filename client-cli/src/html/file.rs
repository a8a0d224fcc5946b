//! Writing the page into place: into a temporary file beside the output, flushed, then renamed,
//! so the output path holds either nothing (or the old page) or the whole new page, never half
//! of one. An existing file is replaced only when asked; without that, the rename itself refuses
//! to replace one, so a file created meanwhile is not lost either.

use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Why the page was not written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{} already exists; choose another file, or add --force to replace it", .0.display())]
    Exists(PathBuf),
    #[error("{} is a directory, not a file", .0.display())]
    IsDirectory(PathBuf),
    #[error("cannot write {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Write `bytes` at `out`, replacing a file there only if `force`.
pub fn write(out: &Path, bytes: &[u8], force: bool) -> Result<(), WriteError> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| WriteError::Io { path, source }
    };
    match std::fs::symlink_metadata(out) {
        Ok(meta) if meta.is_dir() => return Err(WriteError::IsDirectory(out.to_owned())),
        Ok(_) if !force => return Err(WriteError::Exists(out.to_owned())),
        _ => {}
    }
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".balai-report-")
        .tempfile_in(dir)
        .map_err(io(dir))?;
    tmp.write_all(bytes).map_err(io(tmp.path()))?;
    tmp.as_file().sync_all().map_err(io(tmp.path()))?;
    let persisted = if force {
        tmp.persist(out)
    } else {
        tmp.persist_noclobber(out)
    };
    persisted.map(drop).map_err(|e| {
        if e.error.kind() == std::io::ErrorKind::AlreadyExists {
            WriteError::Exists(out.to_owned())
        } else {
            WriteError::Io {
                path: out.to_owned(),
                source: e.error,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_existing_file_is_kept_unless_forced_and_no_temporary_file_is_left() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("district.html");
        write(&out, b"first", false).expect("a new file");
        assert!(matches!(
            write(&out, b"second", false),
            Err(WriteError::Exists(p)) if p == out
        ));
        assert_eq!(std::fs::read(&out).expect("read"), b"first");
        write(&out, b"second", true).expect("forced");
        assert_eq!(std::fs::read(&out).expect("read"), b"second");
        assert!(matches!(
            write(dir.path(), b"x", true),
            Err(WriteError::IsDirectory(_))
        ));
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, ["district.html"]);
    }
}
