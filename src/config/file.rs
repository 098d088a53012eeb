//! The user's own files (secret, profiles, CA), read with a size bound: a wrong path such as
//! `/dev/zero` or a disk image is refused in a moment instead of filling memory.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// The largest `--app-secret-file` (an AppSecret is one short line).
pub const SECRET_LIMIT: u64 = 64 * 1024;
/// The largest profiles file (`--config`, or a systemd credential): a few tables of a few lines.
pub const CONFIG_LIMIT: u64 = 1024 * 1024;
/// The largest `--cafile`: a whole system CA bundle is about 0.2 MiB.
pub const CA_LIMIT: u64 = 8 * 1024 * 1024;

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    Io(io::Error),
    /// More than the limit (in bytes) is in it.
    TooLarge(u64),
}

/// The whole file, if it holds at most `limit` bytes; never reads more than one byte beyond it.
pub fn read(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let file = File::open(path).map_err(ReadError::Io)?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes).map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge(limit));
    }
    Ok(bytes)
}

/// `64 KiB`, `1 MiB`: a limit as messages and docs write it.
pub fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1024 * 1024 && b % (1024 * 1024) == 0 => format!("{} MiB", b / (1024 * 1024)),
        b if b >= 1024 && b % 1024 == 0 => format!("{} KiB", b / 1024),
        b => format!("{b} bytes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_up_to_the_limit_and_refuses_beyond_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("file");
        std::fs::write(&path, vec![b'x'; 1024]).unwrap();
        assert_eq!(read(&path, 1024).unwrap().len(), 1024);
        assert!(matches!(read(&path, 1023), Err(ReadError::TooLarge(1023))));
        assert!(matches!(read(&dir.path().join("missing"), 10), Err(ReadError::Io(_))));
    }

    #[cfg(unix)]
    #[test]
    fn an_endless_file_is_refused_at_once() {
        assert!(matches!(read(Path::new("/dev/zero"), SECRET_LIMIT), Err(ReadError::TooLarge(SECRET_LIMIT))));
    }

    #[test]
    fn sizes_read_as_written() {
        assert_eq!(
            (size(SECRET_LIMIT), size(CONFIG_LIMIT), size(CA_LIMIT)),
            ("64 KiB".into(), "1 MiB".into(), "8 MiB".into())
        );
        assert_eq!(size(1000), "1000 bytes");
    }
}
