//! Packs: the bundled ones, the company ones on the pack path, and lookup.
//!
//! A pack is a folder: `pack.toml` ([`manifest::PackManifest`]) and templates. The folder
//! `_standard/` holds the standard Kubernetes manifests every pack shares; a pack may ship
//! its own `manifests/` instead, and a company pack folder may hold its own `_standard/`.
//! This module loads and checks packs; [`render`] fills their templates.

pub mod dashboard;
mod embedded;
pub mod manifest;
pub mod render;
pub mod values;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

pub use manifest::{PackManifest, Variable, VariableType};

use crate::files::{FileError, Root};

/// The folder of the standard manifests.
pub const STANDARD: &str = "_standard";

/// Where a pack came from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase", tag = "kind", content = "path")]
pub enum PackSource {
    /// Compiled into paas.
    Bundled,
    /// A folder on the pack path.
    Directory(PathBuf),
}

/// One pack: its manifest and its files (path relative to the pack folder → text).
#[derive(Debug, Clone)]
pub struct Pack {
    /// The parsed `pack.toml`.
    pub manifest: PackManifest,
    /// Where it came from.
    pub source: PackSource,
    /// Every file of the pack folder, by relative path (`/`-separated).
    pub files: BTreeMap<String, String>,
}

/// The packs paas knows, company packs first.
#[derive(Debug, Clone)]
pub struct PackSet {
    packs: Vec<Pack>,
    /// The standard manifests: file name → template text.
    standard: BTreeMap<String, String>,
    /// Where the standard manifests came from.
    standard_source: PackSource,
}

/// Why packs could not be loaded or used.
#[derive(Debug, thiserror::Error)]
pub enum PackError {
    /// A pack folder or file could not be read, or leads outside its folder on the pack path.
    #[error("failed to read pack file `{}`", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: FileError,
    },
    /// A `pack.toml` is invalid.
    #[error("invalid `{path}`: {message}")]
    Manifest {
        /// The file, as a path or `bundled:NAME/pack.toml`.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// No pack has this name.
    #[error("no pack named `{name}`; known packs: {}", available.join(", "))]
    Unknown {
        /// The name asked for.
        name: String,
        /// The known names.
        available: Vec<String>,
    },
    /// A variable value does not fit its declared type.
    #[error("pack `{pack}`: variable `{variable}`: {message}")]
    Variable {
        /// The pack.
        pack: String,
        /// The variable.
        variable: String,
        /// What is wrong.
        message: String,
    },
    /// A value was given for a variable the pack does not declare.
    #[error("pack `{pack}` has no variable `{variable}`; its variables: {}", known.join(", "))]
    UnknownVariable {
        /// The pack.
        pack: String,
        /// The variable.
        variable: String,
        /// The declared ones.
        known: Vec<String>,
    },
    /// A template failed to render.
    #[error("failed to render `{template}` of pack `{pack}`")]
    Template {
        /// The pack.
        pack: String,
        /// The template file.
        template: String,
        /// minijinja's error, with the line.
        #[source]
        source: minijinja::Error,
    },
}

impl PackSet {
    /// Loads the bundled packs and the company packs found in `pack_path` (earlier folders
    /// win; a company pack replaces a bundled one of the same name).
    pub fn load(pack_path: &[PathBuf]) -> Result<Self, PackError> {
        let mut packs: Vec<Pack> = Vec::new();
        let mut standard: Option<(BTreeMap<String, String>, PackSource)> = None;
        for dir in pack_path {
            let entries = fs_err::read_dir(dir).map_err(|source| PackError::Read {
                path: dir.clone(),
                source: FileError::io(source),
            })?;
            let mut folders: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| path.is_dir())
                .collect();
            folders.sort();
            for folder in folders {
                let name = folder
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                if name == crate::component::catalog::COMPONENTS {
                    continue;
                }
                if name == STANDARD {
                    if standard.is_none() {
                        standard = Some((
                            read_folder(dir, &folder)?,
                            PackSource::Directory(folder.clone()),
                        ));
                    }
                    continue;
                }
                if !folder.join("pack.toml").is_file() {
                    continue;
                }
                let files = read_folder(dir, &folder)?;
                let pack = Pack::from_files(files, PackSource::Directory(folder.clone()))?;
                if !packs.iter().any(|p| p.manifest.name == pack.manifest.name) {
                    packs.push(pack);
                }
            }
        }
        for folder in embedded::PACKS.dirs() {
            let name = folder.path().to_string_lossy().into_owned();
            if name == crate::component::catalog::COMPONENTS {
                continue;
            }
            let files = embedded_files(folder);
            if name == STANDARD {
                if standard.is_none() {
                    standard = Some((files, PackSource::Bundled));
                }
                continue;
            }
            let pack = Pack::from_files(files, PackSource::Bundled)?;
            if !packs.iter().any(|p| p.manifest.name == pack.manifest.name) {
                packs.push(pack);
            }
        }
        packs.sort_by(|a, b| a.manifest.name.cmp(&b.manifest.name));
        let (standard, standard_source) =
            standard.unwrap_or((BTreeMap::new(), PackSource::Bundled));
        Ok(Self {
            packs,
            standard,
            standard_source,
        })
    }

    /// Returns every pack, sorted by name.
    #[must_use]
    pub fn packs(&self) -> &[Pack] {
        &self.packs
    }

    /// Returns the manifests of every pack, for detection.
    #[must_use]
    pub fn manifests(&self) -> Vec<PackManifest> {
        self.packs.iter().map(|p| p.manifest.clone()).collect()
    }

    /// Returns the pack called `name`.
    pub fn get(&self, name: &str) -> Result<&Pack, PackError> {
        self.packs
            .iter()
            .find(|p| p.manifest.name == name)
            .ok_or_else(|| PackError::Unknown {
                name: name.to_owned(),
                available: self.packs.iter().map(|p| p.manifest.name.clone()).collect(),
            })
    }

    /// Returns the manifest templates for `pack`: its own `manifests/` folder when it has
    /// one, else the standard set. Keys are file names such as `deployment.yaml`.
    #[must_use]
    pub fn manifest_templates(&self, pack: &Pack) -> BTreeMap<String, String> {
        let own: BTreeMap<String, String> = pack
            .files
            .iter()
            .filter_map(|(path, text)| {
                path.strip_prefix("manifests/")
                    .map(|name| (name.to_owned(), text.clone()))
            })
            .collect();
        if own.is_empty() {
            self.standard.clone()
        } else {
            own
        }
    }

    /// Returns where the standard manifests came from.
    #[must_use]
    pub fn standard_source(&self) -> &PackSource {
        &self.standard_source
    }
}

impl Pack {
    fn from_files(files: BTreeMap<String, String>, source: PackSource) -> Result<Self, PackError> {
        let label = match &source {
            PackSource::Bundled => "bundled pack".to_owned(),
            PackSource::Directory(dir) => dir.display().to_string(),
        };
        let Some(text) = files.get("pack.toml") else {
            return Err(PackError::Manifest {
                path: label,
                message: "no `pack.toml`".into(),
            });
        };
        let path = format!("{label}/pack.toml");
        let manifest: PackManifest = toml::from_str(text).map_err(|err| PackError::Manifest {
            path: path.clone(),
            message: err
                .to_string()
                .trim_end()
                .replace("TOML parse error", "parse error"),
        })?;
        if !crate::names::is_label(&manifest.name) {
            return Err(PackError::Manifest {
                path,
                message: format!("`{}` is not a DNS label", manifest.name),
            });
        }
        for (destination, template) in &manifest.files {
            if !files.contains_key(template) {
                return Err(PackError::Manifest {
                    path,
                    message: format!(
                        "`{destination}` names template `{template}`, which the pack does not have"
                    ),
                });
            }
        }
        for variable in &manifest.variables {
            render::check_value(&manifest.name, variable, &variable.default)?;
        }
        Ok(Self {
            manifest,
            source,
            files,
        })
    }
}

/// Returns the bundled folder `name` of `packs/`, if there is one.
pub(crate) fn bundled_folder(name: &str) -> Option<&'static include_dir::Dir<'static>> {
    embedded::PACKS.get_dir(name)
}

/// Returns every file of a bundled folder, by path relative to it.
pub(crate) fn embedded_files(dir: &include_dir::Dir<'_>) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    let root = dir.path();
    let mut stack = vec![dir];
    while let Some(dir) = stack.pop() {
        for file in dir.files() {
            if let (Ok(rel), Some(text)) = (file.path().strip_prefix(root), file.contents_utf8()) {
                files.insert(slash_path(rel), text.to_owned());
            }
        }
        stack.extend(dir.dirs());
    }
    files
}

/// Reads every file of the pack `folder`, which sits in `pack_dir` on the pack path; no file
/// may lead outside `pack_dir`, and a folder linked twice is read once.
fn read_folder(pack_dir: &Path, folder: &Path) -> Result<BTreeMap<String, String>, PackError> {
    let within = Root::pack_folder(pack_dir);
    let inside = |path: &Path| path.strip_prefix(pack_dir).unwrap_or(path).to_owned();
    let read_error = |path: &Path| {
        let path = path.to_owned();
        move |source| PackError::Read { path, source }
    };
    let mut files = BTreeMap::new();
    let mut seen = BTreeSet::new();
    let mut stack = vec![folder.to_owned()];
    while let Some(dir) = stack.pop() {
        let real = within.resolve(&inside(&dir)).map_err(read_error(&dir))?;
        if !seen.insert(real) {
            continue;
        }
        let entries = fs_err::read_dir(&dir)
            .map_err(|source| PackError::Read {
                path: dir.clone(),
                source: FileError::io(source),
            })?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|source| PackError::Read {
                path: dir.clone(),
                source: FileError::io(source),
            })?;
        for entry in entries {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(rel) = path.strip_prefix(folder) {
                let text = within
                    .read_to_string(&inside(&path))
                    .map_err(read_error(&path))?;
                files.insert(slash_path(rel), text);
            }
        }
    }
    Ok(files)
}

fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
