//! Writing generated files into a project: all of them or none, never outside the project,
//! never through a symlink, never over an existing file without `force`.
//!
//! The plan is checked completely before anything is written. Each file is then written to a
//! temporary file beside its destination and renamed into place once every temporary file
//! exists, so a failure (a read-only folder, a full disk) leaves the project as it was.

pub mod templates;

use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

/// One file to write: a path relative to the project root, `/`-separated, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedFile {
    /// The destination, relative to the root.
    pub path: String,
    /// The text.
    pub contents: String,
}

/// What writing a file did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WriteAction {
    /// The file did not exist.
    Created,
    /// The file existed and was replaced (`--force`).
    Overwritten,
    /// The file already had exactly this text.
    Unchanged,
}

/// Why the files could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    /// A destination is absolute or climbs out of the project.
    #[error("refusing to write `{path}`: it is outside `{}`", root.display())]
    Outside {
        /// The destination as given.
        path: String,
        /// The project root.
        root: PathBuf,
    },
    /// A destination or one of its parent folders is a symlink.
    #[error("refusing to write `{path}`: `{}` is a symbolic link", link.display())]
    Symlink {
        /// The destination.
        path: String,
        /// The link found on the way.
        link: PathBuf,
    },
    /// Files exist and `force` was not given.
    #[error("{} already exist{}: {}", if paths.len() == 1 { "a file" } else { "files" },
        if paths.len() == 1 { "s" } else { "" },
        paths.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", "))]
    Exists {
        /// The existing destinations.
        paths: Vec<String>,
    },
    /// A destination exists but is not a file.
    #[error("refusing to write `{path}`: it exists and is not a regular file")]
    NotAFile {
        /// The destination.
        path: String,
    },
    /// Writing failed; nothing was changed.
    #[error("failed to write `{}`; nothing was changed", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

/// What `paas init --dry-run` reports for a file: what writing it would do, with the force
/// given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlannedAction {
    /// The file does not exist yet.
    Create,
    /// The file exists with other text and `force` replaces it.
    Overwrite,
    /// The file already has exactly this text.
    Unchanged,
    /// The file exists with other text; writing it needs `force`.
    NeedsForce,
}

/// Checks the plan and returns what writing each file would do, writing nothing.
pub fn check(
    root: &Path,
    files: &[PlannedFile],
    force: bool,
) -> Result<Vec<WriteAction>, ScaffoldError> {
    let actions = inspect(root, files)?;
    let existing: Vec<String> = files
        .iter()
        .zip(&actions)
        .filter(|(_, action)| **action == WriteAction::Overwritten)
        .map(|(file, _)| file.path.clone())
        .collect();
    if !existing.is_empty() && !force {
        return Err(ScaffoldError::Exists { paths: existing });
    }
    Ok(actions)
}

/// What a dry run shows: the action for each file, existing files that differ included (they
/// need `force`). Fails only on what no `force` could write (a symlink, a folder in the way).
pub fn preview(
    root: &Path,
    files: &[PlannedFile],
    force: bool,
) -> Result<Vec<PlannedAction>, ScaffoldError> {
    Ok(inspect(root, files)?
        .into_iter()
        .map(|action| match action {
            WriteAction::Created => PlannedAction::Create,
            WriteAction::Unchanged => PlannedAction::Unchanged,
            WriteAction::Overwritten if force => PlannedAction::Overwrite,
            WriteAction::Overwritten => PlannedAction::NeedsForce,
        })
        .collect())
}

/// What writing each file would do if `force` were given.
fn inspect(root: &Path, files: &[PlannedFile]) -> Result<Vec<WriteAction>, ScaffoldError> {
    let mut actions = Vec::with_capacity(files.len());
    for file in files {
        let destination = destination(root, &file.path)?;
        match fs_err::symlink_metadata(&destination) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(ScaffoldError::Symlink {
                    path: file.path.clone(),
                    link: destination,
                });
            }
            Ok(meta) if !meta.is_file() => {
                return Err(ScaffoldError::NotAFile {
                    path: file.path.clone(),
                });
            }
            Ok(_) => {
                let current = fs_err::read(&destination).map_err(|source| ScaffoldError::Io {
                    path: destination.clone(),
                    source,
                })?;
                if current == file.contents.as_bytes() {
                    actions.push(WriteAction::Unchanged);
                } else {
                    actions.push(WriteAction::Overwritten);
                }
            }
            Err(_) => actions.push(WriteAction::Created),
        }
    }
    Ok(actions)
}

/// Writes the plan: every file or none.
pub fn write(
    root: &Path,
    files: &[PlannedFile],
    force: bool,
) -> Result<Vec<WriteAction>, ScaffoldError> {
    let actions = check(root, files, force)?;
    let mut created_dirs: Vec<PathBuf> = Vec::new();
    let mut temps: Vec<(PathBuf, PathBuf)> = Vec::new();
    let result = (|| {
        for (file, action) in files.iter().zip(&actions) {
            if *action == WriteAction::Unchanged {
                continue;
            }
            let destination = destination(root, &file.path)?;
            let parent = destination.parent().unwrap_or(root);
            create_dirs(root, parent, &mut created_dirs)?;
            let temp = parent.join(format!(
                ".{}.paas-tmp-{}",
                destination
                    .file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default(),
                std::process::id()
            ));
            let io = |source: std::io::Error| ScaffoldError::Io {
                path: destination.clone(),
                source,
            };
            let mut handle = fs_err::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&temp)
                .map_err(&io)?;
            temps.push((temp.clone(), destination.clone()));
            handle.write_all(file.contents.as_bytes()).map_err(&io)?;
            handle.sync_all().map_err(io)?;
        }
        for (temp, destination) in &temps {
            fs_err::rename(temp, destination).map_err(|source| ScaffoldError::Io {
                path: destination.clone(),
                source,
            })?;
        }
        Ok(())
    })();
    if let Err(err) = result {
        for (temp, _) in &temps {
            let _ = fs_err::remove_file(temp);
        }
        for dir in created_dirs.iter().rev() {
            let _ = fs_err::remove_dir(dir);
        }
        return Err(err);
    }
    Ok(actions)
}

/// Resolves a relative destination under `root`, refusing anything that leaves it or passes
/// through a symlink.
fn destination(root: &Path, relative: &str) -> Result<PathBuf, ScaffoldError> {
    let path = Path::new(relative);
    let outside = || ScaffoldError::Outside {
        path: relative.to_owned(),
        root: root.to_owned(),
    };
    if relative.is_empty() || path.is_absolute() {
        return Err(outside());
    }
    let mut current = root.to_owned();
    for component in path.components() {
        match component {
            Component::Normal(part) => {
                if let Ok(meta) = fs_err::symlink_metadata(&current)
                    && meta.file_type().is_symlink()
                    && current != root
                {
                    return Err(ScaffoldError::Symlink {
                        path: relative.to_owned(),
                        link: current,
                    });
                }
                current.push(part);
            }
            Component::CurDir => {}
            _ => return Err(outside()),
        }
    }
    Ok(current)
}

fn create_dirs(root: &Path, dir: &Path, created: &mut Vec<PathBuf>) -> Result<(), ScaffoldError> {
    let mut missing = Vec::new();
    let mut current = dir.to_owned();
    while current != root && !current.exists() {
        missing.push(current.clone());
        if !current.pop() {
            break;
        }
    }
    for dir in missing.into_iter().rev() {
        fs_err::create_dir(&dir).map_err(|source| ScaffoldError::Io {
            path: dir.clone(),
            source,
        })?;
        created.push(dir);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(path: &str) -> Vec<PlannedFile> {
        vec![PlannedFile {
            path: path.into(),
            contents: "x\n".into(),
        }]
    }

    #[test]
    fn refuses_paths_outside_the_root() {
        let dir = tempfile::tempdir().unwrap();
        for bad in ["../x", "/etc/passwd", "a/../../x", ""] {
            assert!(
                matches!(
                    check(dir.path(), &plan(bad), false),
                    Err(ScaffoldError::Outside { .. })
                ),
                "{bad}"
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn refuses_symlinks() {
        let dir = tempfile::tempdir().unwrap();
        let target = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(target.path().join("bashrc"), dir.path().join("Dockerfile"))
            .unwrap();
        std::os::unix::fs::symlink(target.path(), dir.path().join("deploy")).unwrap();
        assert!(matches!(
            write(dir.path(), &plan("Dockerfile"), true),
            Err(ScaffoldError::Symlink { .. })
        ));
        assert!(matches!(
            write(dir.path(), &plan("deploy/x.yaml"), true),
            Err(ScaffoldError::Symlink { .. })
        ));
        assert!(!target.path().join("bashrc").exists());
        assert!(!target.path().join("x.yaml").exists());
    }

    #[test]
    fn all_or_nothing() {
        let dir = tempfile::tempdir().unwrap();
        fs_err::write(dir.path().join("Dockerfile"), "mine\n").unwrap();
        let files = vec![
            PlannedFile {
                path: "deploy/a.yaml".into(),
                contents: "a\n".into(),
            },
            PlannedFile {
                path: "Dockerfile".into(),
                contents: "new\n".into(),
            },
        ];
        assert!(matches!(
            write(dir.path(), &files, false),
            Err(ScaffoldError::Exists { .. })
        ));
        assert!(!dir.path().join("deploy").exists());
        assert_eq!(
            fs_err::read_to_string(dir.path().join("Dockerfile")).unwrap(),
            "mine\n"
        );
        let actions = write(dir.path(), &files, true).unwrap();
        assert_eq!(
            actions,
            vec![WriteAction::Created, WriteAction::Overwritten]
        );
        assert_eq!(
            write(dir.path(), &files, false).unwrap(),
            vec![WriteAction::Unchanged, WriteAction::Unchanged]
        );
    }
}
