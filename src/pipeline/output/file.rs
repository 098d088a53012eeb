//! `--output PATH`: a file the tool opens itself, so that it can sync it before a durable session
//! acknowledges (group commit) and open it anew on SIGHUP, after logrotate renamed it: rotation
//! then loses nothing and needs no restart. stdout stays the default; when it is a regular file it
//! is synced the same way ([`stdout_syncer`]).

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use super::sink::{Reopener, Syncer};

/// An output file shared by the sink's writer, syncer and reopener.
#[derive(Clone)]
pub struct OutputFile {
    path: Arc<PathBuf>,
    file: Arc<Mutex<File>>,
}

impl OutputFile {
    /// Opens `path` for appending, creating it with mode 0600 (pushes are the user's data) if it
    /// does not exist; an existing file keeps its mode.
    pub fn open(path: &Path) -> io::Result<OutputFile> {
        Ok(OutputFile { path: Arc::new(path.to_owned()), file: Arc::new(Mutex::new(open(path)?)) })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Makes every line written so far durable (`fdatasync`).
    pub fn syncer(&self) -> Syncer {
        let file = Arc::clone(&self.file);
        Box::new(move || lock(&file).sync_data())
    }

    /// Opens the path anew, after whatever was written to the old file is synced; from then on lines
    /// go to the new file. The old one (renamed by logrotate) is closed.
    pub fn reopener(&self) -> Reopener {
        let (file, path) = (Arc::clone(&self.file), Arc::clone(&self.path));
        Box::new(move || {
            let mut current = lock(&file);
            current.sync_data()?;
            *current = open(&path)?;
            Ok(())
        })
    }
}

impl Write for OutputFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        lock(&self.file).write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        lock(&self.file).write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn open(path: &Path) -> io::Result<File> {
    OpenOptions::new().create(true).append(true).mode(0o600).open(path)
}

fn lock(file: &Mutex<File>) -> MutexGuard<'_, File> {
    file.lock().unwrap_or_else(PoisonError::into_inner)
}

/// When stdout is a regular file (`>> pushes.ndjson`, systemd's `StandardOutput=append:`): a syncer
/// for it. A pipe or a terminal has nothing to sync.
pub fn stdout_syncer() -> Option<Syncer> {
    use rustix::fs::{FileType, fdatasync, fstat};
    let stdout = io::stdout();
    let regular = fstat(&stdout).is_ok_and(|stat| FileType::from_raw_mode(stat.st_mode) == FileType::RegularFile);
    regular.then(|| Box::new(|| fdatasync(io::stdout()).map_err(io::Error::from)) as Syncer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_new_file_is_private_and_reopening_follows_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pushes.ndjson");
        let mut out = OutputFile::open(&path).unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        out.write_all(b"a\n").unwrap();
        (out.syncer())().unwrap();
        let rotated = dir.path().join("pushes.ndjson.1");
        std::fs::rename(&path, &rotated).unwrap();
        out.write_all(b"b\n").unwrap();
        (out.reopener())().unwrap();
        out.write_all(b"c\n").unwrap();
        assert_eq!(std::fs::read_to_string(&rotated).unwrap(), "a\nb\n");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "c\n");
    }
}
