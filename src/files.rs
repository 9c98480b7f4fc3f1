//! Reading the files a project or a company pack folder hands to paas: `paas.toml`, the
//! templates under `deploy/`, the Dockerfile, `.dockerignore`, the files detection reads and
//! every file of a pack.
//!
//! A file is read only when its real path, with every symbolic link resolved, stays inside
//! its root (the project, or the pack folder on the pack path). A cloned repository whose
//! `paas.toml` links to `~/.ssh/id_rsa` would otherwise make paas read the key, and a parse
//! error would quote its first line into a CI log. Links that stay inside the root are
//! followed. The read goes through the resolved path, the one that was checked.
//!
//! Not here: the user's own files (the user config, the Docker config, the kubeconfig), which
//! live outside any project by design, git metadata (a worktree's `.git` names a folder
//! elsewhere), and the build context, whose symbolic links are archived as links and never
//! followed (`build::context`).

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// What a root is, for the wording of errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RootKind {
    /// The project folder (the folder of `paas.toml`, or the folder `paas init` works in).
    Project,
    /// A folder on the pack path.
    PackFolder,
}

impl fmt::Display for RootKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Project => "the project",
            Self::PackFolder => "the pack folder",
        })
    }
}

/// Why a file under a root could not be read.
///
/// The callers name the file ("failed to read `paas.toml`"); this says why.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// The file, or a folder on its way, is a symbolic link that leaves the root (or the path
    /// itself climbs out with `..`).
    #[error("{0}")]
    Outside(Box<Outside>),
    /// The file could not be opened or read; `fs_err`'s message names the path and the cause.
    #[error(transparent)]
    Io(io::Error),
}

/// A file whose real path leaves its root.
#[derive(Debug)]
pub struct Outside {
    /// The file asked for.
    pub path: PathBuf,
    /// The link that leaves the root: the file itself or one of its folders; `None` when the
    /// path leaves by `..`.
    pub link: Option<PathBuf>,
    /// Where the link leads, resolved.
    pub target: PathBuf,
    /// The root.
    pub root: PathBuf,
    /// What the root is.
    pub kind: RootKind,
}

impl fmt::Display for Outside {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (target, root, kind) = (self.target.display(), self.root.display(), self.kind);
        match &self.link {
            Some(link) => write!(
                f,
                "`{}` is a symbolic link to `{target}`, outside {kind} `{root}`",
                link.display()
            ),
            None => write!(
                f,
                "`{}` is `{target}`, outside {kind} `{root}`",
                self.path.display()
            ),
        }
    }
}

impl FileError {
    /// Returns whether the file was refused for leaving its root (a configuration error,
    /// unlike a failed read).
    #[must_use]
    pub fn is_outside(&self) -> bool {
        matches!(self, Self::Outside(_))
    }

    /// Wraps an IO error (from `fs_err`, so that it names the path).
    #[must_use]
    pub fn io(err: io::Error) -> Self {
        Self::Io(err)
    }
}

/// A folder whose files paas reads, with what it is.
#[derive(Debug, Clone, Copy)]
pub struct Root<'a> {
    path: &'a Path,
    kind: RootKind,
}

impl<'a> Root<'a> {
    /// The project in `path`.
    #[must_use]
    pub fn project(path: &'a Path) -> Self {
        Self {
            path,
            kind: RootKind::Project,
        }
    }

    /// A folder on the pack path.
    #[must_use]
    pub fn pack_folder(path: &'a Path) -> Self {
        Self {
            path,
            kind: RootKind::PackFolder,
        }
    }

    /// Returns the real path of `path` (relative to the root, or absolute) once it is known
    /// to stay inside the root.
    ///
    /// # Errors
    ///
    /// [`FileError::Outside`] when the real path leaves the root; [`FileError::Io`] when the
    /// root or the file does not exist (a dangling link among them).
    pub fn resolve(&self, path: &Path) -> Result<PathBuf, FileError> {
        let full = self.path.join(path);
        let root = fs_err::canonicalize(self.path).map_err(FileError::io)?;
        let real = fs_err::canonicalize(&full).map_err(|err| {
            // "failed to open file" says it better than "failed to canonicalize path"; opening
            // is safe here, as nothing that exists failed to resolve.
            FileError::io(fs_err::File::open(&full).err().unwrap_or(err))
        })?;
        if real.starts_with(&root) {
            return Ok(real);
        }
        let (link, target) = match self.leaving_link(&full, &root) {
            Some((link, target)) => (Some(link), target),
            None => (None, real),
        };
        Err(FileError::Outside(Box::new(Outside {
            path: full,
            link,
            target,
            root: self.path.to_owned(),
            kind: self.kind,
        })))
    }

    /// Reads a file under the root.
    ///
    /// # Errors
    ///
    /// As [`Root::resolve`], and [`FileError::Io`] when the file cannot be read.
    pub fn read(&self, path: &Path) -> Result<Vec<u8>, FileError> {
        let real = self.resolve(path)?;
        fs_err::read(real).map_err(FileError::io)
    }

    /// Reads a UTF-8 text file under the root.
    ///
    /// # Errors
    ///
    /// As [`Root::read`], and [`FileError::Io`] when the file is not UTF-8.
    pub fn read_to_string(&self, path: &Path) -> Result<String, FileError> {
        let real = self.resolve(path)?;
        fs_err::read_to_string(real).map_err(FileError::io)
    }

    /// Returns the first symbolic link on the way from the root to `full` that leads out of
    /// `root` (the canonical root), with where it leads.
    fn leaving_link(&self, full: &Path, root: &Path) -> Option<(PathBuf, PathBuf)> {
        let mut steps: Vec<&Path> = full
            .ancestors()
            .take_while(|step| step.starts_with(self.path) && *step != self.path)
            .collect();
        steps.reverse();
        steps.into_iter().find_map(|step| {
            let is_link = fs_err::symlink_metadata(step).is_ok_and(|m| m.file_type().is_symlink());
            let target = fs_err::canonicalize(step).ok()?;
            (is_link && !target.starts_with(root)).then(|| (step.to_owned(), target))
        })
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::symlink;

    use super::*;

    #[test]
    fn links_inside_are_followed_and_links_outside_are_refused() {
        let outside = tempfile::tempdir().unwrap();
        fs_err::write(outside.path().join("passwd"), "root:x:0:0:SENTINEL\n").unwrap();
        let project = tempfile::tempdir().unwrap();
        let root = project.path();
        fs_err::write(root.join("real.toml"), "a = 1\n").unwrap();
        symlink("real.toml", root.join("inside.toml")).unwrap();
        symlink(outside.path().join("passwd"), root.join("paas.toml")).unwrap();
        symlink(outside.path(), root.join("deploy")).unwrap();
        let files = Root::project(root);

        assert_eq!(
            files.read_to_string(Path::new("inside.toml")).unwrap(),
            "a = 1\n"
        );
        let err = files.read_to_string(Path::new("paas.toml")).unwrap_err();
        let real_outside = fs_err::canonicalize(outside.path()).unwrap();
        match &err {
            FileError::Outside(outside) => {
                assert_eq!(outside.link, Some(root.join("paas.toml")));
                assert_eq!(outside.target, real_outside.join("passwd"));
            }
            FileError::Io(other) => panic!("expected Outside, got {other}"),
        }
        assert!(!err.to_string().contains("SENTINEL"));
        // A folder on the way is named as the link.
        match files.read(Path::new("deploy/passwd")).unwrap_err() {
            FileError::Outside(outside) => {
                assert_eq!(outside.link, Some(root.join("deploy")));
                assert_eq!(outside.target, real_outside);
            }
            FileError::Io(other) => panic!("expected Outside, got {other}"),
        }
    }

    #[test]
    fn a_path_that_climbs_out_is_refused_without_a_link() {
        let base = tempfile::tempdir().unwrap();
        fs_err::create_dir_all(base.path().join("project")).unwrap();
        fs_err::write(base.path().join("secret"), "SENTINEL\n").unwrap();
        let project = base.path().join("project");
        let err = Root::project(&project)
            .read(Path::new("../secret"))
            .unwrap_err();
        let real = fs_err::canonicalize(base.path().join("secret")).unwrap();
        assert_eq!(
            err.to_string(),
            format!(
                "`{}` is `{}`, outside the project `{}`",
                project.join("../secret").display(),
                real.display(),
                project.display()
            )
        );
    }

    #[test]
    fn a_missing_file_is_an_io_error_naming_it() {
        let project = tempfile::tempdir().unwrap();
        let err = Root::project(project.path())
            .read(Path::new("paas.toml"))
            .unwrap_err();
        assert!(!err.is_outside());
        let path = project.path().join("paas.toml");
        assert_eq!(
            err.to_string(),
            format!(
                "failed to open file `{}`: No such file or directory (os error 2)",
                path.display()
            )
        );
    }
}
