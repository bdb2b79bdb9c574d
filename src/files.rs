//! Writing the files a reply attaches into a folder, for `bridgebot preview --out DIR`.

use std::path::{Path, PathBuf};

use crate::reply::Reply;

/// Why the files could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("a file is named `{0}`, which is not a plain file name")]
    BadName(String),
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Writes every file `reply` attaches into `dir` (created if missing) under its own name and
/// returns the paths written: none when the reply attaches nothing, and then `dir` is left
/// alone.
pub fn write_attachments(reply: &Reply, dir: &Path) -> Result<Vec<PathBuf>, WriteError> {
    if reply.attachments.is_empty() {
        return Ok(Vec::new());
    }
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| WriteError::Io { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let mut written = Vec::new();
    for file in &reply.attachments {
        let plain = Path::new(&file.name)
            .file_name()
            .filter(|name| *name == file.name.as_str())
            .ok_or_else(|| WriteError::BadName(file.name.clone()))?;
        let path = dir.join(plain);
        std::fs::write(&path, &file.bytes).map_err(io(&path))?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_attached_file_is_written_under_its_name() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("charts");
        let reply = Reply::private_note("x")
            .with_attachment("pulse.png", vec![1, 2, 3])
            .with_attachment("other.png", vec![4]);
        let written = write_attachments(&reply, &out).expect("written");
        assert_eq!(written, [out.join("pulse.png"), out.join("other.png")]);
        assert_eq!(
            std::fs::read(out.join("pulse.png")).expect("read"),
            [1, 2, 3]
        );
    }

    #[test]
    fn a_reply_without_files_writes_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("charts");
        let written = write_attachments(&Reply::private_note("x"), &out).expect("fine");
        assert!(written.is_empty());
        assert!(!out.exists(), "no folder made for nothing");
    }

    #[test]
    fn a_name_with_a_path_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        for name in ["../x.png", "a/b.png", ".."] {
            let reply = Reply::private_note("x").with_attachment(name, vec![1]);
            assert!(
                matches!(
                    write_attachments(&reply, dir.path()),
                    Err(WriteError::BadName(_))
                ),
                "{name}"
            );
        }
    }
}
