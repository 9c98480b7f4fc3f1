//! What the local target keeps between runs, in the user's state directory
//! (`$XDG_STATE_HOME/paas/local/<app>/`, by default `~/.local/state/paas/local/<app>/`):
//!
//! * `releases/<revision>.json`: each release, the same record the cluster keeps in a Secret
//!   ([`Release`]), so `history` and `rollback` read one shape on both targets;
//! * `credentials.json` (mode 600): the components' passwords, made once and kept, as the
//!   cluster keeps them in Secrets that `down` leaves.
//!
//! Why not the engine's labels: the containers go with `down`, and a release history or a
//! password that went with them would be lost, while the named volumes holding the data stay.
//! Why not the project folder: nothing that holds a password may end up in a commit.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::deploy::release::{Release, ReleaseStatus};

/// Why the state directory could not be used.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Neither `XDG_STATE_HOME` nor `HOME` is set.
    #[error(
        "there is no state directory for the local target: neither `XDG_STATE_HOME` nor `HOME` is set"
    )]
    NoHome,
    /// A file could not be read or written.
    #[error("failed to {action} `{}`", path.display())]
    Io {
        /// `read`, `write`.
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A file is not what paas wrote.
    #[error("`{}` is damaged: {message}", path.display())]
    Damaged {
        /// The file.
        path: PathBuf,
        /// serde's message.
        message: String,
    },
}

/// The state of one app on the local target.
#[derive(Debug, Clone)]
pub struct LocalStore {
    dir: PathBuf,
}

/// The state directory of every app: `$XDG_STATE_HOME/paas/local`.
pub fn base_dir() -> Result<PathBuf, StoreError> {
    let base = std::env::var_os("XDG_STATE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|home| PathBuf::from(home).join(".local").join("state"))
        })
        .ok_or(StoreError::NoHome)?;
    Ok(base.join("paas").join("local"))
}

impl LocalStore {
    /// The store of `app` under [`base_dir`].
    pub fn open(app: &str) -> Result<Self, StoreError> {
        Ok(Self {
            dir: base_dir()?.join(app),
        })
    }

    /// Its folder.
    #[must_use]
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn releases_dir(&self) -> PathBuf {
        self.dir.join("releases")
    }

    /// Every recorded release, oldest first.
    pub fn list(&self) -> Result<Vec<Release>, StoreError> {
        let dir = self.releases_dir();
        let entries = match fs_err::read_dir(&dir) {
            Ok(entries) => entries,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => {
                return Err(StoreError::Io {
                    action: "read",
                    path: dir,
                    source,
                });
            }
        };
        let mut releases = Vec::new();
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().and_then(|e| e.to_str()) != Some("json") {
                continue;
            }
            releases.push(read_json::<Release>(&path)?);
        }
        releases.sort_by_key(|r| r.revision);
        Ok(releases)
    }

    /// Release `revision`, if recorded.
    pub fn get(&self, revision: u32) -> Result<Option<Release>, StoreError> {
        let path = self.releases_dir().join(format!("{revision}.json"));
        if !path.exists() {
            return Ok(None);
        }
        read_json(&path).map(Some)
    }

    /// Writes `release` (whole, or not at all).
    pub fn save(&self, release: &Release) -> Result<(), StoreError> {
        let path = self
            .releases_dir()
            .join(format!("{}.json", release.revision));
        let text = serde_json::to_vec_pretty(release).expect("a release serialises");
        write_atomic(&path, &text, false)
    }

    /// Marks every other deployed release superseded, and keeps the newest `keep`.
    pub fn conclude(&self, live: u32, keep: usize) -> Result<(), StoreError> {
        let releases = self.list()?;
        for mut release in releases.iter().cloned() {
            if release.revision != live && release.status == ReleaseStatus::Deployed {
                release.status = ReleaseStatus::Superseded;
                self.save(&release)?;
            }
        }
        if releases.len() > keep {
            for old in &releases[..releases.len() - keep] {
                let path = self.releases_dir().join(format!("{}.json", old.revision));
                fs_err::remove_file(&path).map_err(|source| StoreError::Io {
                    action: "remove",
                    path,
                    source,
                })?;
            }
        }
        Ok(())
    }

    /// The password of the component whose Secret is `secret`, made now when there is none.
    /// Returns it, and whether it was made.
    pub fn credential(&self, secret: &str) -> Result<(String, bool), StoreError> {
        let path = self.dir.join("credentials.json");
        let mut all: BTreeMap<String, String> = if path.exists() {
            read_json(&path)?
        } else {
            BTreeMap::new()
        };
        if let Some(password) = all.get(secret) {
            return Ok((password.clone(), false));
        }
        let password = crate::component::password::Password::generate()
            .expose()
            .to_owned();
        all.insert(secret.to_owned(), password.clone());
        let text = serde_json::to_vec_pretty(&all).expect("a map serialises");
        write_atomic(&path, &text, true)?;
        Ok((password, true))
    }

    /// The components' passwords, by Secret name.
    pub fn credentials(&self) -> Result<BTreeMap<String, String>, StoreError> {
        let path = self.dir.join("credentials.json");
        if path.exists() {
            read_json(&path)
        } else {
            Ok(BTreeMap::new())
        }
    }

    /// Forgets the release history.
    pub fn forget_releases(&self) -> Result<(), StoreError> {
        let dir = self.releases_dir();
        match fs_err::remove_dir_all(&dir) {
            Ok(()) => Ok(()),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(source) => Err(StoreError::Io {
                action: "remove",
                path: dir,
                source,
            }),
        }
    }

    /// Forgets the components' passwords (with the volumes that they protect).
    pub fn forget_credentials(&self) -> Result<(), StoreError> {
        let path = self.dir.join("credentials.json");
        match fs_err::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(source) => Err(StoreError::Io {
                action: "remove",
                path,
                source,
            }),
        }
    }
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, StoreError> {
    let bytes = fs_err::read(path).map_err(|source| StoreError::Io {
        action: "read",
        path: path.to_path_buf(),
        source,
    })?;
    serde_json::from_slice(&bytes).map_err(|err| StoreError::Damaged {
        path: path.to_path_buf(),
        message: err.to_string(),
    })
}

fn write_atomic(path: &Path, bytes: &[u8], private: bool) -> Result<(), StoreError> {
    let io = |action, source| StoreError::Io {
        action,
        path: path.to_path_buf(),
        source,
    };
    let dir = path.parent().expect("a store file has a folder");
    fs_err::create_dir_all(dir).map_err(|e| io("create the folder of", e))?;
    crate::config::edit::write_atomically(path, bytes, private).map_err(|e| io("write", e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_is_made_once_and_kept_private() {
        let dir = tempfile::tempdir().unwrap();
        let store = LocalStore {
            dir: dir.path().join("web"),
        };
        let (first, made) = store.credential("web-cache-credentials").unwrap();
        assert!(made);
        let (again, made) = store.credential("web-cache-credentials").unwrap();
        assert!(!made);
        assert_eq!(first, again);
        let permissions = fs_err::metadata(dir.path().join("web/credentials.json"))
            .unwrap()
            .permissions();
        assert_eq!(
            std::os::unix::fs::PermissionsExt::mode(&permissions) & 0o777,
            0o600
        );
    }
}
