//! The build context: which files of the project go to the engine, as a deterministic tar.
//!
//! The walk applies `.dockerignore` exactly as the docker CLI does for the legacy builder
//! (see [`super::dockerignore`]): excluded directories are pruned without being listed unless
//! an exception names a path under them, and `Dockerfile` and `.dockerignore` are always sent.
//! `.gitignore` and hidden-file rules do not apply: a Docker context is not a git checkout.
//!
//! The archive is deterministic, so an unchanged project gives the same digest: entries in
//! walk order (each directory's names sorted bytewise, depth first), mtime 0, uid/gid 0, no
//! user or group names, permission bits kept, GNU long-name entries for paths over 100 bytes.
//!
//! Symlinks are archived as symlinks with their link text and never followed, so a link to
//! `/etc/hostname` or `../secret` never brings the host file's bytes (the `tar` crate
//! follows links by default). The Dockerfile and `.dockerignore`, which paas reads itself,
//! must stay inside the project ([`crate::files`]). FIFOs, sockets and devices are skipped with a
//! warning and never opened: opening a FIFO blocks until a writer shows up. Unlike
//! Docker, hard links are stored as separate copies.
//!
//! This module never prints; warnings are returned in [`BuildContext::warnings`].

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fmt;
use std::io::{self, Read};
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::{Component, Path, PathBuf};

use sha2::{Digest, Sha256};

use super::dockerignore::{Dockerignore, DockerignoreError, MatchInfo};
use crate::files::{FileError, Root};

/// The context size above which [`ContextWarning::Large`] is raised.
pub const LARGE_CONTEXT_BYTES: u64 = 100_000_000;

/// The file count above which [`ContextWarning::Large`] is raised: the legacy builder
/// spends most of its time unpacking files (25,000 small files took 22 s on the test engine).
pub const LARGE_CONTEXT_FILES: usize = 10_000;

/// The largest context [`build_context`] will hold: the archive is built in memory, and
/// a context this big (or a sparse multi-GB file left in the project) is almost always a
/// mistake that `.dockerignore` should fix.
pub const MAX_CONTEXT_BYTES: u64 = 4_000_000_000;

/// The mtime of every entry (the epoch), so the archive does not change when files are
/// touched without being modified.
const MTIME: u64 = 0;

/// Folders that are almost never needed in an image, suggested first for `.dockerignore`.
const USUAL_SUSPECTS: &[&str] = &[
    "node_modules",
    ".git",
    "target",
    "dist",
    "build",
    ".venv",
    "venv",
    "__pycache__",
    ".cache",
    ".next",
    "coverage",
    ".terraform",
    ".gradle",
    ".idea",
    ".vscode",
    "tmp",
    "logs",
    "vendor",
];

/// A build context ready to send to the engine.
#[derive(Debug, Clone)]
pub struct BuildContext {
    /// The uncompressed tar archive.
    pub archive: bytes::Bytes,
    /// `sha256:<hex>` of [`BuildContext::archive`].
    pub digest: String,
    /// The Dockerfile's path inside the archive (`/`-separated), as the engine wants it.
    pub dockerfile: String,
    /// The Dockerfile's text, read once (through [`crate::files`]) for the cache key.
    pub dockerfile_text: String,
    /// Entries that are not directories (regular files and symlinks).
    pub files: usize,
    /// The total size of the regular files' contents.
    pub bytes: u64,
    /// What the caller should tell the user.
    pub warnings: Vec<ContextWarning>,
}

/// Something about the context worth telling the user; the build goes on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContextWarning {
    /// A FIFO, socket or device that was left out of the context.
    Skipped {
        /// The path relative to the project.
        path: PathBuf,
        /// What kind of file it is.
        kind: SpecialFile,
    },
    /// The context is big enough to slow every build down.
    Large {
        /// Total bytes of file contents.
        bytes: u64,
        /// Number of files and symlinks.
        files: usize,
        /// The biggest top-level entries, biggest first (at most five).
        biggest: Vec<TopLevelSize>,
        /// Lines to add to `.dockerignore`.
        suggestions: Vec<String>,
    },
}

/// A file that cannot be part of a context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecialFile {
    /// A named pipe.
    Fifo,
    /// A Unix socket.
    Socket,
    /// A character device.
    CharDevice,
    /// A block device.
    BlockDevice,
}

/// The size of one top-level entry of the context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopLevelSize {
    /// The name, with a trailing `/` for a folder.
    pub name: String,
    /// Bytes of file contents under it.
    pub bytes: u64,
    /// Files and symlinks under it.
    pub files: usize,
}

/// Why the context could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ContextError {
    /// The project root is missing or not a folder.
    #[error("the build context `{path}` is not a folder")]
    NotAFolder {
        /// The project root.
        path: PathBuf,
        /// Why it could not be used.
        #[source]
        source: io::Error,
    },
    /// The Dockerfile path is absolute or leaves the context.
    #[error("the Dockerfile `{path}` is outside the build context `{root}`")]
    DockerfileOutside {
        /// The Dockerfile as given.
        path: PathBuf,
        /// The project root.
        root: PathBuf,
    },
    /// The Dockerfile does not exist.
    #[error("cannot find the Dockerfile `{path}`")]
    DockerfileMissing {
        /// The full path looked at.
        path: PathBuf,
        /// The error from the file system.
        #[source]
        source: io::Error,
    },
    /// The Dockerfile or `.dockerignore` is a symbolic link that leads out of the project.
    #[error("refusing to build with `{}`", path.display())]
    LinkOutside {
        /// The file.
        path: PathBuf,
        /// Where it leads.
        #[source]
        source: FileError,
    },
    /// `.dockerignore` exists but cannot be read.
    #[error("failed to read `{path}`")]
    ReadIgnore {
        /// The `.dockerignore` file.
        path: PathBuf,
        /// The error from the file system.
        #[source]
        source: io::Error,
    },
    /// `.dockerignore` has a pattern Docker rejects too.
    #[error("invalid `{path}`")]
    Ignore {
        /// The `.dockerignore` file.
        path: PathBuf,
        /// The bad pattern.
        #[source]
        source: DockerignoreError,
    },
    /// A folder of the project cannot be listed.
    #[error("failed to list `{path}`")]
    ReadDir {
        /// The folder.
        path: PathBuf,
        /// The error from the file system.
        #[source]
        source: io::Error,
    },
    /// A file of the context cannot be read (for example `chmod 000`).
    #[error("cannot read `{path}`, which is part of the build context")]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// The error from the file system.
        #[source]
        source: io::Error,
    },
    /// The files to send add up to more than [`MAX_CONTEXT_BYTES`].
    #[error(
        "the build context `{root}` holds {} of files, more than the {} limit ({biggest})",
        human_bytes(*bytes),
        human_bytes(MAX_CONTEXT_BYTES)
    )]
    TooLarge {
        /// The project root.
        root: PathBuf,
        /// The total size of the files.
        bytes: u64,
        /// The large-context warning naming the biggest entries and the lines to ignore.
        biggest: Box<ContextWarning>,
    },
    /// A file changed size or type while it was archived.
    #[error("`{path}` changed while the build context was being written")]
    Changed {
        /// The file.
        path: PathBuf,
    },
    /// The tar writer failed (for example a path the format cannot hold).
    #[error("failed to add `{path}` to the build context archive")]
    Archive {
        /// The file.
        path: PathBuf,
        /// The error from the tar writer.
        #[source]
        source: io::Error,
    },
}

/// One entry of the context, found by the walk.
#[derive(Debug)]
struct Entry {
    /// The path relative to the root (the archive path).
    relative: PathBuf,
    mode: u32,
    kind: EntryKind,
}

#[derive(Debug)]
enum EntryKind {
    Dir,
    File { size: u64 },
    Symlink { target: PathBuf },
}

/// Walks `root`, applies its `.dockerignore`, and writes the context archive.
///
/// `dockerfile` is relative to `root` (`Dockerfile`, `docker/Dockerfile.prod`); it and
/// `.dockerignore` are sent even when `.dockerignore` matches them, as the docker CLI does.
///
/// This reads the whole context and blocks; from async code call it inside
/// `tokio::task::spawn_blocking`. The archive is held in memory (at most
/// [`MAX_CONTEXT_BYTES`] of file contents).
///
/// # Errors
///
/// [`ContextError`], naming the path: a missing root or Dockerfile, a Dockerfile outside the
/// root, a malformed `.dockerignore`, a folder that cannot be listed or a file that cannot be
/// read.
pub fn build_context(root: &Path, dockerfile: &Path) -> Result<BuildContext, ContextError> {
    let metadata = fs_err::metadata(root).map_err(|source| ContextError::NotAFolder {
        path: root.to_owned(),
        source,
    })?;
    if !metadata.is_dir() {
        return Err(ContextError::NotAFolder {
            path: root.to_owned(),
            source: io::Error::new(io::ErrorKind::NotADirectory, "not a directory"),
        });
    }
    let dockerfile_in_archive = archive_path(root, dockerfile)?;
    let dockerfile_text = Root::project(root)
        .read_to_string(dockerfile)
        .map_err(|source| match source {
            FileError::Io(source) => ContextError::DockerfileMissing {
                path: root.join(dockerfile),
                source,
            },
            outside @ FileError::Outside(_) => ContextError::LinkOutside {
                path: root.join(dockerfile),
                source: outside,
            },
        })?;

    let matcher = read_dockerignore(root)?.keeping_build_files(&dockerfile_in_archive);
    let mut walk = Walk {
        root,
        matcher: &matcher,
        entries: Vec::new(),
        warnings: Vec::new(),
    };
    walk.dir(Path::new(""), "", &MatchInfo::default())?;
    let Walk {
        entries,
        mut warnings,
        ..
    } = walk;

    let files = entries
        .iter()
        .filter(|e| !matches!(e.kind, EntryKind::Dir))
        .count();
    let bytes = entries
        .iter()
        .map(|e| {
            if let EntryKind::File { size } = e.kind {
                size
            } else {
                0
            }
        })
        .sum();
    if bytes > MAX_CONTEXT_BYTES {
        return Err(ContextError::TooLarge {
            root: root.to_owned(),
            bytes,
            biggest: Box::new(large_context_warning(&entries, bytes, files)),
        });
    }
    if bytes > LARGE_CONTEXT_BYTES || files > LARGE_CONTEXT_FILES {
        warnings.push(large_context_warning(&entries, bytes, files));
    }

    let archive = write_archive(root, &entries, bytes)?;
    let digest = sha256(&archive);
    Ok(BuildContext {
        archive: archive.into(),
        digest,
        dockerfile: dockerfile_in_archive,
        dockerfile_text,
        files,
        bytes,
        warnings,
    })
}

/// The key `up` uses to skip unchanged builds: a digest of the context, the Dockerfile text
/// and the build args (sorted by name), as `sha256:<hex>`.
///
/// The context digest already covers the Dockerfile when it is part of the context; the
/// text is included so a Dockerfile generated outside the context counts too. The base image
/// is not covered: a rebuilt `FROM` image needs `--no-cache` or a build arg that names it.
#[must_use]
pub fn cache_key(
    context_digest: &str,
    dockerfile_text: &str,
    build_args: &BTreeMap<String, String>,
) -> String {
    let mut hasher = Sha256::new();
    let mut field = |bytes: &[u8]| {
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    };
    field(b"paas-build-cache-key/v1");
    field(context_digest.as_bytes());
    field(dockerfile_text.as_bytes());
    for (name, value) in build_args {
        field(name.as_bytes());
        field(value.as_bytes());
    }
    format!("sha256:{}", hex(&hasher.finalize()))
}

/// The Dockerfile's `/`-separated path inside the archive; refuses absolute paths and `..`.
fn archive_path(root: &Path, dockerfile: &Path) -> Result<String, ContextError> {
    let outside = || ContextError::DockerfileOutside {
        path: dockerfile.to_owned(),
        root: root.to_owned(),
    };
    let mut parts = Vec::new();
    for component in dockerfile.components() {
        match component {
            Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => {
                return Err(outside());
            }
        }
    }
    if parts.is_empty() {
        return Err(outside());
    }
    Ok(parts.join("/"))
}

fn read_dockerignore(root: &Path) -> Result<Dockerignore, ContextError> {
    let path = root.join(".dockerignore");
    let bytes = match Root::project(root).read(Path::new(".dockerignore")) {
        Ok(bytes) => bytes,
        Err(FileError::Io(err)) if err.kind() == io::ErrorKind::NotFound => {
            return Ok(Dockerignore::default());
        }
        Err(FileError::Io(source)) => return Err(ContextError::ReadIgnore { path, source }),
        Err(outside @ FileError::Outside(_)) => {
            return Err(ContextError::LinkOutside {
                path,
                source: outside,
            });
        }
    };
    Dockerignore::parse(&String::from_utf8_lossy(&bytes))
        .map_err(|source| ContextError::Ignore { path, source })
}

struct Walk<'a> {
    root: &'a Path,
    matcher: &'a Dockerignore,
    entries: Vec<Entry>,
    warnings: Vec<ContextWarning>,
}

impl Walk<'_> {
    /// Lists one folder (`relative` to the root, `name` its `/`-separated form) in sorted order
    /// and recurses, as `filepath.WalkDir` does in the docker CLI.
    fn dir(&mut self, relative: &Path, name: &str, parent: &MatchInfo) -> Result<(), ContextError> {
        let full = self.root.join(relative);
        let read_dir_error = |source| ContextError::ReadDir {
            path: full.clone(),
            source,
        };
        let mut children: Vec<(OsString, fs_err::DirEntry)> = fs_err::read_dir(&full)
            .map_err(read_dir_error)?
            .map(|entry| entry.map(|e| (e.file_name(), e)))
            .collect::<Result<_, _>>()
            .map_err(read_dir_error)?;
        children.sort_by(|a, b| a.0.cmp(&b.0));

        for (file_name, entry) in children {
            let child = relative.join(&file_name);
            let child_name = if name.is_empty() {
                file_name.to_string_lossy().into_owned()
            } else {
                format!("{name}/{}", file_name.to_string_lossy())
            };
            let file_type = entry.file_type().map_err(|source| ContextError::ReadDir {
                path: self.root.join(&child),
                source,
            })?;
            let (excluded, info) = if self.matcher.is_empty() {
                (false, MatchInfo::default())
            } else {
                self.matcher.matches_with_parent(&child_name, parent)
            };
            if excluded {
                // Docker walks an excluded folder (without listing it) only when an exception
                // names a path under it; everything else is pruned unread.
                if file_type.is_dir() && self.matcher.must_descend(&child_name) {
                    self.dir(&child, &child_name, &info)?;
                }
                continue;
            }
            let metadata = entry
                .metadata()
                .map_err(|source| ContextError::Unreadable {
                    path: self.root.join(&child),
                    source,
                })?;
            let mode = metadata.permissions().mode() & 0o7777;
            if file_type.is_dir() {
                self.entries.push(Entry {
                    relative: child.clone(),
                    mode,
                    kind: EntryKind::Dir,
                });
                self.dir(&child, &child_name, &info)?;
            } else if file_type.is_file() {
                self.entries.push(Entry {
                    relative: child,
                    mode,
                    kind: EntryKind::File {
                        size: metadata.len(),
                    },
                });
            } else if file_type.is_symlink() {
                let target = fs_err::read_link(self.root.join(&child)).map_err(|source| {
                    ContextError::Unreadable {
                        path: self.root.join(&child),
                        source,
                    }
                })?;
                self.entries.push(Entry {
                    relative: child,
                    mode,
                    kind: EntryKind::Symlink { target },
                });
            } else {
                let kind = if file_type.is_fifo() {
                    SpecialFile::Fifo
                } else if file_type.is_socket() {
                    SpecialFile::Socket
                } else if file_type.is_block_device() {
                    SpecialFile::BlockDevice
                } else {
                    SpecialFile::CharDevice
                };
                self.warnings
                    .push(ContextWarning::Skipped { path: child, kind });
            }
        }
        Ok(())
    }
}

fn write_archive(root: &Path, entries: &[Entry], bytes: u64) -> Result<Vec<u8>, ContextError> {
    // A hint only: contents plus a header (and padding) per entry, capped so a wrong guess
    // never reserves gigabytes up front.
    let capacity = usize::try_from(bytes)
        .unwrap_or(usize::MAX)
        .saturating_add(entries.len() * 1024 + 1024)
        .min(256 << 20);
    let mut builder = tar::Builder::new(Vec::with_capacity(capacity));
    for entry in entries {
        let full = root.join(&entry.relative);
        let archive_error = |source| ContextError::Archive {
            path: full.clone(),
            source,
        };
        let mut header = tar::Header::new_gnu();
        header.set_mtime(MTIME);
        header.set_uid(0);
        header.set_gid(0);
        header.set_mode(entry.mode);
        match &entry.kind {
            EntryKind::Dir => {
                header.set_entry_type(tar::EntryType::Directory);
                header.set_size(0);
                builder
                    .append_data(&mut header, &entry.relative, io::empty())
                    .map_err(archive_error)?;
            }
            EntryKind::Symlink { target } => {
                header.set_entry_type(tar::EntryType::Symlink);
                header.set_size(0);
                builder
                    .append_link(&mut header, &entry.relative, target)
                    .map_err(archive_error)?;
            }
            EntryKind::File { size } => {
                let file =
                    fs_err::File::open(&full).map_err(|source| ContextError::Unreadable {
                        path: full.clone(),
                        source,
                    })?;
                // The walk saw a regular file; make sure the name was not swapped since.
                let opened = file.metadata().map_err(|source| ContextError::Unreadable {
                    path: full.clone(),
                    source,
                })?;
                if !opened.is_file() || opened.len() != *size {
                    return Err(ContextError::Changed { path: full });
                }
                header.set_entry_type(tar::EntryType::Regular);
                header.set_size(*size);
                let mut reader = ExactReader {
                    inner: file,
                    remaining: *size,
                    failed: false,
                };
                let appended = builder.append_data(&mut header, &entry.relative, &mut reader);
                appended.map_err(|source| match (reader.failed, source.kind()) {
                    (true, io::ErrorKind::UnexpectedEof) => {
                        ContextError::Changed { path: full.clone() }
                    }
                    (true, _) => ContextError::Unreadable {
                        path: full.clone(),
                        source,
                    },
                    (false, _) => ContextError::Archive {
                        path: full.clone(),
                        source,
                    },
                })?;
            }
        }
    }
    builder
        .into_inner()
        .map_err(|source| ContextError::Archive {
            path: root.to_owned(),
            source,
        })
}

/// Reads exactly `remaining` bytes and fails if the file is shorter, so a file that shrinks
/// while it is archived cannot corrupt the archive.
struct ExactReader<R> {
    inner: R,
    remaining: u64,
    /// Whether reading (rather than writing the archive) failed.
    failed: bool,
}

impl<R: Read> Read for ExactReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.remaining == 0 {
            return Ok(0);
        }
        let want = usize::try_from(self.remaining)
            .unwrap_or(usize::MAX)
            .min(buf.len());
        let read = self
            .inner
            .read(&mut buf[..want])
            .inspect_err(|_| self.failed = true)?;
        if read == 0 {
            self.failed = true;
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the file got shorter",
            ));
        }
        self.remaining -= read as u64;
        Ok(read)
    }
}

fn large_context_warning(entries: &[Entry], bytes: u64, files: usize) -> ContextWarning {
    let mut top: BTreeMap<String, TopLevelSize> = BTreeMap::new();
    for entry in entries {
        let mut components = entry.relative.components();
        let Some(first) = components.next() else {
            continue;
        };
        let is_folder = components.next().is_some() || matches!(entry.kind, EntryKind::Dir);
        let mut name = first.as_os_str().to_string_lossy().into_owned();
        if is_folder {
            name.push('/');
        }
        let size = top.entry(name.clone()).or_insert(TopLevelSize {
            name,
            bytes: 0,
            files: 0,
        });
        match entry.kind {
            EntryKind::Dir => {}
            EntryKind::File { size: file_size } => {
                size.bytes += file_size;
                size.files += 1;
            }
            EntryKind::Symlink { .. } => size.files += 1,
        }
    }
    let mut biggest: Vec<TopLevelSize> = top.into_values().filter(|t| t.files > 0).collect();
    biggest.sort_by(|a, b| {
        b.bytes
            .cmp(&a.bytes)
            .then(b.files.cmp(&a.files))
            .then(a.name.cmp(&b.name))
    });
    biggest.truncate(5);
    let mut suggestions: Vec<String> = biggest
        .iter()
        .filter_map(|t| t.name.strip_suffix('/'))
        .filter(|name| USUAL_SUSPECTS.contains(name))
        .map(str::to_owned)
        .collect();
    if suggestions.is_empty()
        && let Some(first) = biggest.first()
    {
        suggestions.push(first.name.trim_end_matches('/').to_owned());
    }
    ContextWarning::Large {
        bytes,
        files,
        biggest,
        suggestions,
    }
}

impl fmt::Display for SpecialFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SpecialFile::Fifo => "named pipe",
            SpecialFile::Socket => "socket",
            SpecialFile::CharDevice => "character device",
            SpecialFile::BlockDevice => "block device",
        })
    }
}

impl fmt::Display for ContextWarning {
    /// One line, lowercase, values in backticks, for `warning: …`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ContextWarning::Skipped { path, kind } => {
                write!(
                    f,
                    "skipped `{}` in the build context: a {kind} cannot be sent to the engine",
                    path.display()
                )
            }
            ContextWarning::Large {
                bytes,
                files,
                biggest,
                suggestions,
            } => {
                write!(
                    f,
                    "the build context is large ({} in {})",
                    human_bytes(*bytes),
                    files_count(*files)
                )?;
                if !biggest.is_empty() {
                    let list: Vec<String> = biggest
                        .iter()
                        .map(|t| {
                            format!(
                                "`{}` {} ({})",
                                t.name,
                                human_bytes(t.bytes),
                                files_count(t.files)
                            )
                        })
                        .collect();
                    write!(f, "; biggest: {}", list.join(", "))?;
                }
                if !suggestions.is_empty() {
                    let lines: Vec<String> = suggestions.iter().map(|s| format!("`{s}`")).collect();
                    write!(
                        f,
                        "; consider adding {} to `.dockerignore`",
                        lines.join(", ")
                    )?;
                }
                Ok(())
            }
        }
    }
}

/// `12.3 MB`, decimal units.
#[must_use]
#[expect(clippy::cast_precision_loss, reason = "a size for people to read")]
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "kB", "MB", "GB", "TB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// `1 file`, `25,002 files`.
fn files_count(files: usize) -> String {
    let digits = files.to_string();
    let mut grouped = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    format!("{grouped} {}", if files == 1 { "file" } else { "files" })
}

/// Returns `sha256:<hex>` of `bytes`: the digest form of image content and build contexts.
pub(crate) fn sha256(bytes: &[u8]) -> String {
    format!("sha256:{}", hex(&Sha256::digest(bytes)))
}

fn hex(bytes: &[u8]) -> String {
    use fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

#[cfg(test)]
mod tests {
    use std::process::Command;
    use std::time::{Duration, Instant};

    use super::*;

    fn write(root: &Path, path: &str, text: &str) {
        let path = root.join(path);
        fs_err::create_dir_all(path.parent().expect("a parent")).expect("dir");
        fs_err::write(path, text).expect("write");
    }

    /// The entries of an archive: path, type and link text or contents.
    fn listing(archive: &[u8]) -> Vec<(String, char, String)> {
        let mut reader = tar::Archive::new(archive);
        reader
            .entries()
            .expect("entries")
            .map(|entry| {
                let mut entry = entry.expect("entry");
                let path = entry.path().expect("path").to_string_lossy().into_owned();
                let kind = entry.header().entry_type();
                let (kind, body) = if kind.is_symlink() {
                    (
                        'l',
                        entry
                            .link_name()
                            .expect("link")
                            .expect("target")
                            .to_string_lossy()
                            .into_owned(),
                    )
                } else if kind.is_dir() {
                    ('d', String::new())
                } else {
                    let mut body = String::new();
                    entry.read_to_string(&mut body).expect("body");
                    ('f', body)
                };
                (path, kind, body)
            })
            .collect()
    }

    fn paths(context: &BuildContext) -> Vec<String> {
        listing(&context.archive)
            .into_iter()
            .map(|(p, _, _)| p)
            .collect()
    }

    fn project() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), "Dockerfile", "FROM scratch\n");
        dir
    }

    #[test]
    fn same_tree_twice_gives_the_same_digest() {
        let a = project();
        let b = project();
        for dir in [&a, &b] {
            write(dir.path(), "src/main.rs", "fn main() {}\n");
            write(dir.path(), "README.md", "hello\n");
        }
        // Different mtimes must not matter.
        Command::new("touch")
            .args(["-d", "2001-01-01"])
            .arg(a.path().join("README.md"))
            .status()
            .expect("touch");
        let first = build_context(a.path(), Path::new("Dockerfile")).expect("context");
        let second = build_context(b.path(), Path::new("Dockerfile")).expect("context");
        assert_eq!(first.digest, second.digest);
        assert!(
            first.digest.starts_with("sha256:") && first.digest.len() == 71,
            "{}",
            first.digest
        );
        assert_eq!(
            paths(&first),
            ["Dockerfile", "README.md", "src", "src/main.rs"]
        );
        assert_eq!((first.files, first.bytes), (3, 13 + 6 + 13));

        write(b.path(), "README.md", "hello!\n");
        let changed = build_context(b.path(), Path::new("Dockerfile")).expect("context");
        assert_ne!(first.digest, changed.digest);
    }

    #[test]
    fn headers_are_normalised_and_modes_kept() {
        let dir = project();
        write(dir.path(), "run.sh", "#!/bin/sh\n");
        Command::new("chmod")
            .arg("0750")
            .arg(dir.path().join("run.sh"))
            .status()
            .expect("chmod");
        let context = build_context(dir.path(), Path::new("Dockerfile")).expect("context");
        let mut reader = tar::Archive::new(&context.archive[..]);
        for entry in reader.entries().expect("entries") {
            let entry = entry.expect("entry");
            let header = entry.header();
            assert_eq!(header.mtime().expect("mtime"), 0);
            assert_eq!(
                (header.uid().expect("uid"), header.gid().expect("gid")),
                (0, 0)
            );
            assert_eq!(header.username().expect("utf8"), Some(""));
            assert_eq!(header.groupname().expect("utf8"), Some(""));
            if entry.path().expect("path").ends_with("run.sh") {
                assert_eq!(header.mode().expect("mode"), 0o750);
            }
        }
    }

    #[test]
    fn symlinks_are_archived_as_links_never_followed() {
        let outer = tempfile::tempdir().expect("tempdir");
        write(outer.path(), "secret", "TOP SECRET BYTES\n");
        let root = outer.path().join("app");
        write(&root, "Dockerfile", "FROM scratch\n");
        write(&root, "real/file.txt", "in context\n");
        let link = |target: &str, name: &str| {
            std::os::unix::fs::symlink(target, root.join(name)).expect("symlink");
        };
        link("/etc/hostname", "host");
        link("../secret", "up");
        link("missing", "dangling");
        link("loop", "loop");
        link("real", "dirlink");
        let context = build_context(&root, Path::new("Dockerfile")).expect("context");
        let entries = listing(&context.archive);
        let find = |name: &str| {
            entries
                .iter()
                .find(|(p, _, _)| p == name)
                .cloned()
                .expect(name)
        };
        assert_eq!(find("host"), ("host".into(), 'l', "/etc/hostname".into()));
        assert_eq!(find("up"), ("up".into(), 'l', "../secret".into()));
        assert_eq!(find("dangling").1, 'l');
        assert_eq!(find("loop").1, 'l');
        assert_eq!(find("dirlink"), ("dirlink".into(), 'l', "real".into()));
        assert!(!entries.iter().any(|(p, _, _)| p.starts_with("dirlink/")));
        let raw = String::from_utf8_lossy(&context.archive);
        assert!(!raw.contains("TOP SECRET BYTES"));
        if let Ok(hostname) = fs_err::read_to_string("/etc/hostname") {
            let hostname = hostname.trim();
            assert!(
                hostname.len() < 4 || !raw.contains(hostname),
                "host file bytes leaked"
            );
        }
    }

    #[test]
    fn dockerfile_may_be_a_symlink() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), "docker/Dockerfile.real", "FROM scratch\n");
        std::os::unix::fs::symlink("docker/Dockerfile.real", dir.path().join("Dockerfile"))
            .expect("symlink");
        let context = build_context(dir.path(), Path::new("Dockerfile")).expect("context");
        assert_eq!(
            listing(&context.archive)[0],
            ("Dockerfile".into(), 'l', "docker/Dockerfile.real".into())
        );
    }

    #[test]
    fn fifo_is_skipped_with_a_warning_without_blocking() {
        let dir = project();
        let status = Command::new("mkfifo")
            .arg(dir.path().join("pipe"))
            .status()
            .expect("mkfifo");
        assert!(status.success());
        let root = dir.path().to_owned();
        let (send, receive) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = send.send(build_context(&root, Path::new("Dockerfile")));
        });
        let context = receive
            .recv_timeout(Duration::from_secs(10))
            .expect("the context is built without opening the FIFO")
            .expect("context");
        assert_eq!(paths(&context), ["Dockerfile"]);
        assert_eq!(
            context.warnings,
            [ContextWarning::Skipped {
                path: "pipe".into(),
                kind: SpecialFile::Fifo
            }]
        );
        assert_eq!(
            context.warnings[0].to_string(),
            "skipped `pipe` in the build context: a named pipe cannot be sent to the engine"
        );
    }

    #[test]
    fn socket_is_skipped_with_a_warning() {
        let dir = project();
        let _listener =
            std::os::unix::net::UnixListener::bind(dir.path().join("app.sock")).expect("bind");
        let context = build_context(dir.path(), Path::new("Dockerfile")).expect("context");
        assert_eq!(
            context.warnings,
            [ContextWarning::Skipped {
                path: "app.sock".into(),
                kind: SpecialFile::Socket
            }]
        );
    }

    #[test]
    fn unreadable_file_is_an_error_naming_it() {
        let dir = project();
        write(dir.path(), "private.key", "k");
        let path = dir.path().join("private.key");
        Command::new("chmod")
            .arg("000")
            .arg(&path)
            .status()
            .expect("chmod");
        if fs_err::File::open(&path).is_ok() {
            // Running as root: permission bits do not stop reads.
            return;
        }
        let err = build_context(dir.path(), Path::new("Dockerfile")).expect_err("unreadable");
        assert!(
            matches!(&err, ContextError::Unreadable { path: p, .. } if *p == path),
            "{err:?}"
        );
        assert!(err.to_string().contains("private.key"), "{err}");
    }

    #[test]
    fn unreadable_but_ignored_file_is_fine() {
        let dir = project();
        write(dir.path(), ".dockerignore", "secret\n");
        write(dir.path(), "secret/key", "k");
        Command::new("chmod")
            .arg("000")
            .arg(dir.path().join("secret"))
            .status()
            .expect("chmod");
        let context = build_context(dir.path(), Path::new("Dockerfile"));
        Command::new("chmod")
            .arg("755")
            .arg(dir.path().join("secret"))
            .status()
            .expect("chmod");
        assert_eq!(
            paths(&context.expect("context")),
            [".dockerignore", "Dockerfile"]
        );
    }

    #[test]
    fn long_paths_use_gnu_long_names() {
        let dir = project();
        let long = format!("{}/{}.txt", "d".repeat(80), "f".repeat(60));
        write(dir.path(), &long, "x");
        let target = "t".repeat(150);
        std::os::unix::fs::symlink(&target, dir.path().join("l".repeat(120))).expect("symlink");
        let context = build_context(dir.path(), Path::new("Dockerfile")).expect("context");
        let entries = listing(&context.archive);
        assert!(entries.contains(&(long, 'f', "x".into())));
        assert!(entries.contains(&("l".repeat(120), 'l', target)));
    }

    #[test]
    fn non_utf8_names_are_kept() {
        use std::os::unix::ffi::OsStrExt;
        let dir = project();
        let name = std::ffi::OsStr::from_bytes(b"caf\xe9.txt");
        fs_err::write(dir.path().join(name), "x").expect("write");
        let context = build_context(dir.path(), Path::new("Dockerfile")).expect("context");
        let mut reader = tar::Archive::new(&context.archive[..]);
        let names: Vec<Vec<u8>> = reader
            .entries()
            .expect("entries")
            .map(|e| e.expect("entry").path_bytes().into_owned())
            .collect();
        assert!(names.contains(&b"caf\xe9.txt".to_vec()), "{names:?}");
    }

    #[test]
    fn gitignore_does_not_apply() {
        let dir = project();
        write(dir.path(), ".gitignore", "*.log\nsecret/\n");
        write(dir.path(), "app.log", "x");
        write(dir.path(), ".hidden", "x");
        let context = build_context(dir.path(), Path::new("Dockerfile")).expect("context");
        assert_eq!(
            paths(&context),
            [".gitignore", ".hidden", "Dockerfile", "app.log"]
        );
    }

    #[test]
    fn dockerignore_prunes_and_keeps_build_files() {
        let dir = project();
        write(dir.path(), ".dockerignore", "*\n!src\nsrc/**/*.tmp\n");
        write(dir.path(), "src/a.rs", "a");
        write(dir.path(), "src/x/b.tmp", "b");
        write(dir.path(), "docs/c.md", "c");
        let context = build_context(dir.path(), Path::new("Dockerfile")).expect("context");
        assert_eq!(
            paths(&context),
            [".dockerignore", "Dockerfile", "src", "src/a.rs", "src/x"]
        );
    }

    #[test]
    fn exception_under_an_excluded_folder_lists_only_the_file() {
        let dir = project();
        write(dir.path(), ".dockerignore", "docs\n!docs/keep.md\n");
        write(dir.path(), "docs/keep.md", "k");
        write(dir.path(), "docs/drop.md", "d");
        let context = build_context(dir.path(), Path::new("Dockerfile")).expect("context");
        // Like Docker: the folder itself is not an entry; the engine creates it.
        assert_eq!(
            paths(&context),
            [".dockerignore", "Dockerfile", "docs/keep.md"]
        );
    }

    #[test]
    fn nested_dockerfile_in_an_ignored_folder_is_sent() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), "docker/Dockerfile", "FROM scratch\n");
        write(dir.path(), "docker/notes.txt", "n");
        write(dir.path(), ".dockerignore", "docker\n.dockerignore\n");
        let context = build_context(dir.path(), Path::new("./docker/Dockerfile")).expect("context");
        assert_eq!(context.dockerfile, "docker/Dockerfile");
        assert_eq!(paths(&context), [".dockerignore", "docker/Dockerfile"]);
    }

    #[test]
    fn bad_inputs_are_errors_naming_the_path() {
        let dir = project();
        let err = build_context(dir.path(), Path::new("../Dockerfile")).expect_err("outside");
        assert!(
            matches!(err, ContextError::DockerfileOutside { .. }),
            "{err}"
        );
        let err = build_context(dir.path(), Path::new("/etc/Dockerfile")).expect_err("absolute");
        assert!(
            matches!(err, ContextError::DockerfileOutside { .. }),
            "{err}"
        );
        let err = build_context(dir.path(), Path::new("Containerfile")).expect_err("missing");
        assert!(err.to_string().contains("Containerfile"), "{err}");
        let err =
            build_context(&dir.path().join("nope"), Path::new("Dockerfile")).expect_err("no root");
        assert!(matches!(err, ContextError::NotAFolder { .. }), "{err}");
        write(dir.path(), ".dockerignore", "ok\n[oops\n");
        let err = build_context(dir.path(), Path::new("Dockerfile")).expect_err("bad pattern");
        assert!(matches!(err, ContextError::Ignore { .. }), "{err}");
        assert!(err.to_string().contains(".dockerignore"), "{err}");
    }

    #[test]
    fn large_context_warns_with_the_biggest_folders() {
        let dir = project();
        for i in 0..=LARGE_CONTEXT_FILES {
            write(
                dir.path(),
                &format!("node_modules/p{}/f{i}.js", i % 50),
                "x",
            );
        }
        write(dir.path(), "src/main.js", "console.log(1)\n");
        let context = build_context(dir.path(), Path::new("Dockerfile")).expect("context");
        let Some(ContextWarning::Large {
            files,
            biggest,
            suggestions,
            ..
        }) = context.warnings.last()
        else {
            panic!("no large-context warning: {:?}", context.warnings);
        };
        assert_eq!(*files, LARGE_CONTEXT_FILES + 3);
        assert_eq!(biggest[0].name, "node_modules/");
        assert_eq!(suggestions, &["node_modules"]);
        let text = context.warnings.last().expect("warning").to_string();
        assert!(
            text.starts_with(
                "the build context is large (10.0 kB in 10,003 files); biggest: `node_modules/`"
            ),
            "{text}"
        );
        assert!(
            text.ends_with("consider adding `node_modules` to `.dockerignore`"),
            "{text}"
        );
    }

    #[test]
    fn huge_sparse_file_is_a_clear_error_without_reading_it() {
        let dir = project();
        let file = fs_err::File::create(dir.path().join("disk.img")).expect("create");
        file.set_len(MAX_CONTEXT_BYTES + 1).expect("sparse file");
        let started = Instant::now();
        let err = build_context(dir.path(), Path::new("Dockerfile")).expect_err("too large");
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "took {:?}",
            started.elapsed()
        );
        assert!(matches!(err, ContextError::TooLarge { .. }), "{err:?}");
        let text = err.to_string();
        assert!(
            text.contains("4.0 GB of files, more than the 4.0 GB limit"),
            "{text}"
        );
        assert!(
            text.contains("consider adding `disk.img` to `.dockerignore`"),
            "{text}"
        );
    }

    /// 25,000 files under `node_modules/` and `.git/`, both ignored: the walk must prune them.
    #[test]
    fn ignored_folders_are_pruned_fast() {
        let dir = project();
        write(dir.path(), ".dockerignore", ".git\nnode_modules\n");
        write(dir.path(), "public/index.html", "<h1>hi</h1>\n");
        for i in 0..20_000 {
            write(
                dir.path(),
                &format!("node_modules/p{}/f{i}.js", i % 200),
                "x",
            );
        }
        for i in 0..5_000 {
            write(
                dir.path(),
                &format!(".git/objects/{:02x}/o{i}", i % 256),
                "x",
            );
        }
        let started = Instant::now();
        let context = build_context(dir.path(), Path::new("Dockerfile")).expect("context");
        let elapsed = started.elapsed();
        assert_eq!(
            paths(&context),
            [".dockerignore", "Dockerfile", "public", "public/index.html"]
        );
        assert!(context.warnings.is_empty());
        assert!(elapsed < Duration::from_millis(100), "took {elapsed:?}");
    }

    #[test]
    fn cache_key_covers_context_dockerfile_and_args() {
        let args = BTreeMap::from([("A".to_owned(), "1".to_owned())]);
        let key = cache_key("sha256:aa", "FROM x", &args);
        assert!(key.starts_with("sha256:") && key.len() == 71);
        assert_eq!(key, cache_key("sha256:aa", "FROM x", &args.clone()));
        assert_ne!(key, cache_key("sha256:ab", "FROM x", &args));
        assert_ne!(key, cache_key("sha256:aa", "FROM y", &args));
        assert_ne!(key, cache_key("sha256:aa", "FROM x", &BTreeMap::new()));
        let moved = BTreeMap::from([
            ("A".to_owned(), String::new()),
            ("1".to_owned(), String::new()),
        ]);
        assert_ne!(key, cache_key("sha256:aa", "FROM x", &moved));
    }

    #[test]
    fn human_sizes() {
        assert_eq!(human_bytes(999), "999 B");
        assert_eq!(human_bytes(26_000_000), "26.0 MB");
        assert_eq!(human_bytes(1_500_000_000), "1.5 GB");
        assert_eq!(files_count(1), "1 file");
        assert_eq!(files_count(999), "999 files");
        assert_eq!(files_count(25_002), "25,002 files");
        assert_eq!(files_count(1_000_000), "1,000,000 files");
    }
}
