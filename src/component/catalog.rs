//! The component catalog: the kinds of backing service paas can run for an app (Redis,
//! `PostgreSQL`, `MongoDB`), as data.
//!
//! A kind is a folder under `packs/_components/`: `component.toml` ([`KindManifest`]: the
//! versions with their pinned images and data paths, the port, the defaults, the formats of the
//! variables the app gets) and the templates of its objects. A company folder on the pack path
//! may hold `_components/<kind>/` too: its `component.toml` replaces the bundled one (a company
//! names its own images there), and its templates replace the bundled ones of the same name;
//! templates it does not have come from the bundled kind. This module loads and checks the
//! catalog; [`super::values`] builds what the templates see.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::files::{FileError, Root};
use crate::pack::PackSource;

/// The folder of the component kinds, in `packs/` and in a company pack folder.
pub const COMPONENTS: &str = "_components";

/// The template files every kind has; `secret.yaml` is rendered only when the Secret is absent.
pub const TEMPLATES: [&str; 4] = [
    "statefulset.yaml",
    "service.yaml",
    "networkpolicy.yaml",
    SECRET_TEMPLATE,
];

/// The exit code of a `password_check` whose password the data refused.
pub const PASSWORD_REFUSED: i32 = 3;

/// The template of a component's Secret, the only one that sees the password.
pub const SECRET_TEMPLATE: &str = "secret.yaml";

/// A kind's `component.toml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct KindManifest {
    /// The kind: `redis`, `postgres`, `mongodb` (the folder's name).
    pub kind: String,
    /// One line saying what it is.
    pub description: String,
    /// The port it serves on.
    pub port: u16,
    /// The version used when `paas add` is given none.
    pub default_version: String,
    /// The storage requested when `paas.toml` names none.
    pub storage: String,
    /// The numeric non-root user the image runs as (also the volume's group).
    pub uid: i64,
    /// The user the app connects as, for kinds with users.
    #[serde(default)]
    pub user: Option<String>,
    /// The database the app uses, for kinds with databases.
    #[serde(default)]
    pub database: Option<String>,
    /// The conventional variable the app gets (`REDIS_URL`).
    pub env: String,
    /// The resources of the component's container.
    pub resources: Resources,
    /// The formats of the values the app gets.
    pub formats: Formats,
    /// A script run in the component's container once it is ready, with the password in its
    /// Secret (the one the app gets) as a line on stdin: exit 0 when it opens the data,
    /// [`PASSWORD_REFUSED`] when the data refuses it (a Secret replaced over a kept volume). Kinds
    /// that apply the Secret's password at every start (redis) have none.
    #[serde(default)]
    pub password_check: Option<String>,
    /// How `paas backup` and `paas restore` make and load a dump; a kind without it has neither.
    #[serde(default)]
    pub backup: Option<BackupSpec>,
    /// The versions paas knows, newest first.
    pub versions: Vec<VersionEntry>,
}

/// How a kind's data is dumped and restored: shell scripts run in the component's container,
/// whose environment holds what they need (the password among it), so nothing secret passes
/// through paas. See [`super::backup`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BackupSpec {
    /// What a dump is, for messages: `a Redis RDB snapshot (redis-cli --rdb)`.
    pub format: String,
    /// The extension of a dump's file name: `rdb`.
    pub extension: String,
    /// The first bytes of every dump, in hex: how a file is told to be of this kind.
    pub magic: String,
    /// Writes a dump to stdout.
    pub dump: String,
    /// Reads a dump from stdin and makes it the component's data.
    pub restore: String,
    /// Prints one number that says what the data holds (keys, tables).
    pub verify: String,
    /// What the number of `verify` counts: `keys`.
    pub verify_unit: String,
}

/// Requests and limits of a component's container.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Resources {
    /// CPU request.
    pub cpu_request: String,
    /// CPU limit.
    pub cpu_limit: String,
    /// Memory request.
    pub memory_request: String,
    /// Memory limit.
    pub memory_limit: String,
}

/// How the values the app gets are written. Each may use `{host}`, `{port}`, `{user}`,
/// `{database}` and `{password}`; `{password}` becomes a `$(VAR)` reference to a variable
/// filled from the Secret, so no value paas writes holds the password.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Formats {
    /// The URL (`REDIS_URL`, `DATABASE_URL`, `MONGODB_URI`).
    pub url: String,
    /// The URL without the password, as `paas status` shows it.
    pub shown_url: String,
    /// The .NET client library's connection string (`ConnectionStrings__<Name>`).
    pub dotnet: String,
}

/// One version of a kind.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VersionEntry {
    /// The version as `paas.toml` names it (`7.4`, `17`).
    pub version: String,
    /// The image, pinned to a release.
    pub image: String,
    /// Where the volume is mounted.
    pub mount_path: String,
    /// Where the server keeps its data (the volume or a folder in it), pinned per major
    /// version because images move it (`PostgreSQL` 18 did).
    pub data_path: String,
}

impl VersionEntry {
    /// Returns the major version: what a data directory is bound to.
    #[must_use]
    pub fn major(&self) -> &str {
        major_of(&self.version)
    }
}

/// Returns the major part of a version (`17.2` → `17`).
#[must_use]
pub fn major_of(version: &str) -> &str {
    version.split('.').next().unwrap_or(version)
}

/// One kind: its manifest and templates.
#[derive(Debug, Clone)]
pub struct Kind {
    /// `component.toml`.
    pub manifest: KindManifest,
    /// Template file name → text.
    pub templates: BTreeMap<String, String>,
    /// Where `component.toml` came from.
    pub source: PackSource,
}

/// Every kind paas knows.
#[derive(Debug, Clone)]
pub struct Catalog {
    kinds: Vec<Kind>,
}

/// Why the catalog could not be loaded or used.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// A file could not be read.
    #[error("failed to read component file `{}`", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: FileError,
    },
    /// A `component.toml` is invalid.
    #[error("invalid `{path}`: {message}")]
    Manifest {
        /// The file, as a path or `bundled:_components/KIND/component.toml`.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// No kind has this name.
    #[error("`{kind}` is not a component kind paas knows; known kinds: {}", known.join(", "))]
    UnknownKind {
        /// The kind asked for.
        kind: String,
        /// The known kinds.
        known: Vec<String>,
    },
    /// The kind has no such version.
    #[error("{kind} has no version `{version}` in the catalog; known versions: {}", known.join(", "))]
    UnknownVersion {
        /// The kind.
        kind: String,
        /// The version asked for.
        version: String,
        /// The known versions.
        known: Vec<String>,
    },
}

impl Catalog {
    /// Loads the bundled kinds and the company ones in `pack_path` (earlier folders win).
    pub fn load(pack_path: &[PathBuf]) -> Result<Self, CatalogError> {
        let mut kinds: Vec<Kind> = Vec::new();
        for folder in crate::pack::bundled_folder(COMPONENTS)
            .map(|dir| dir.dirs().collect::<Vec<_>>())
            .unwrap_or_default()
        {
            let files = crate::pack::embedded_files(folder);
            let name = folder
                .path()
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let label = format!("bundled:{COMPONENTS}/{name}");
            kinds.push(Kind::from_files(&label, files, PackSource::Bundled, None)?);
        }
        for dir in pack_path.iter().rev() {
            let folder = dir.join(COMPONENTS);
            if !folder.is_dir() {
                continue;
            }
            let mut entries: Vec<PathBuf> = fs_err::read_dir(&folder)
                .map_err(|source| CatalogError::Read {
                    path: folder.clone(),
                    source: FileError::io(source),
                })?
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| path.is_dir())
                .collect();
            entries.sort();
            for kind_dir in entries {
                let files = read_kind(dir, &kind_dir)?;
                let label = kind_dir.display().to_string();
                let position = kinds.iter().position(|k| {
                    Some(k.manifest.kind.as_str()) == kind_dir.file_name().and_then(|n| n.to_str())
                });
                let base = position.map(|i| kinds.remove(i));
                let kind = Kind::from_files(
                    &label,
                    files,
                    PackSource::Directory(kind_dir.clone()),
                    base.as_ref(),
                )?;
                kinds.push(kind);
            }
        }
        kinds.sort_by(|a, b| a.manifest.kind.cmp(&b.manifest.kind));
        Ok(Self { kinds })
    }

    /// Returns every kind, sorted by name.
    #[must_use]
    pub fn kinds(&self) -> &[Kind] {
        &self.kinds
    }

    /// Returns the kind called `kind`.
    pub fn get(&self, kind: &str) -> Result<&Kind, CatalogError> {
        self.kinds
            .iter()
            .find(|k| k.manifest.kind == kind)
            .ok_or_else(|| CatalogError::UnknownKind {
                kind: crate::names::shown(kind),
                known: self.kinds.iter().map(|k| k.manifest.kind.clone()).collect(),
            })
    }
}

impl Kind {
    /// Returns the catalog entry of `version`, or of the default version when `None`. A
    /// version matches an entry with the same text, or the newest entry of the same major
    /// when only the major is given (`7` → `7.4`).
    pub fn version(&self, version: Option<&str>) -> Result<&VersionEntry, CatalogError> {
        let wanted = version.unwrap_or(&self.manifest.default_version);
        let versions = &self.manifest.versions;
        versions
            .iter()
            .find(|v| v.version == wanted)
            .or_else(|| {
                (!wanted.contains('.'))
                    .then(|| versions.iter().find(|v| v.major() == wanted))
                    .flatten()
            })
            .ok_or_else(|| CatalogError::UnknownVersion {
                kind: self.manifest.kind.clone(),
                version: crate::names::shown(wanted),
                known: versions.iter().map(|v| v.version.clone()).collect(),
            })
    }

    fn from_files(
        label: &str,
        mut files: BTreeMap<String, String>,
        source: PackSource,
        base: Option<&Kind>,
    ) -> Result<Self, CatalogError> {
        let path = format!("{label}/component.toml");
        let manifest: KindManifest = match (files.remove("component.toml"), base) {
            (Some(text), _) => toml::from_str(&text).map_err(|err| CatalogError::Manifest {
                path: path.clone(),
                message: err
                    .to_string()
                    .trim_end()
                    .replace("TOML parse error", "parse error"),
            })?,
            (None, Some(base)) => base.manifest.clone(),
            (None, None) => {
                return Err(CatalogError::Manifest {
                    path,
                    message: "no `component.toml`".into(),
                });
            }
        };
        let mut templates = base.map(|b| b.templates.clone()).unwrap_or_default();
        templates.extend(files.into_iter().filter(|(name, _)| {
            std::path::Path::new(name)
                .extension()
                .is_some_and(|e| e == "yaml")
        }));
        check(&path, &manifest, &templates)?;
        Ok(Self {
            manifest,
            templates,
            source,
        })
    }
}

fn check(
    path: &str,
    manifest: &KindManifest,
    templates: &BTreeMap<String, String>,
) -> Result<(), CatalogError> {
    let fail = |message: String| CatalogError::Manifest {
        path: path.to_owned(),
        message,
    };
    if !crate::names::is_label(&manifest.kind) {
        return Err(fail(format!("kind `{}` is not a DNS label", manifest.kind)));
    }
    crate::names::check_env_name(&manifest.env).map_err(|err| fail(err.to_string()))?;
    crate::names::check_quantity(&manifest.storage).map_err(|err| fail(err.to_string()))?;
    if manifest.uid <= 0 {
        return Err(fail(format!(
            "`uid` must be a non-root user id, not `{}`",
            manifest.uid
        )));
    }
    if manifest.versions.is_empty() {
        return Err(fail("lists no versions".into()));
    }
    for version in &manifest.versions {
        crate::names::check_image(&version.image).map_err(|err| fail(err.to_string()))?;
        for (field, dir) in [
            ("mount_path", &version.mount_path),
            ("data_path", &version.data_path),
        ] {
            if !dir.starts_with('/') {
                return Err(fail(format!(
                    "version {}: `{field}` must be an absolute path, not `{dir}`",
                    version.version
                )));
            }
        }
        if !version.data_path.starts_with(&version.mount_path) {
            return Err(fail(format!(
                "version {}: `data_path` `{}` is not on the volume mounted at `{}`",
                version.version, version.data_path, version.mount_path
            )));
        }
    }
    if !manifest
        .versions
        .iter()
        .any(|v| v.version == manifest.default_version)
    {
        return Err(fail(format!(
            "the default version `{}` is not among the versions",
            manifest.default_version
        )));
    }
    if let Some(backup) = &manifest.backup {
        if !super::backup::valid_magic(&backup.magic) {
            return Err(fail(format!(
                "[backup] `magic` must be the first bytes of a dump in hex (at most {} bytes), not `{}`",
                super::backup::HEAD_LEN,
                backup.magic
            )));
        }
        if !crate::names::is_label(&backup.extension) {
            return Err(fail(format!(
                "[backup] `extension` must be lowercase letters and digits, not `{}`",
                backup.extension
            )));
        }
    }
    for name in TEMPLATES {
        if !templates.contains_key(name) {
            return Err(fail(format!("the kind has no template `{name}`")));
        }
    }
    Ok(())
}

fn read_kind(pack_dir: &Path, folder: &Path) -> Result<BTreeMap<String, String>, CatalogError> {
    let within = Root::pack_folder(pack_dir);
    let mut files = BTreeMap::new();
    let entries = fs_err::read_dir(folder).map_err(|source| CatalogError::Read {
        path: folder.to_owned(),
        source: FileError::io(source),
    })?;
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if !path.is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let inside = path.strip_prefix(pack_dir).unwrap_or(&path).to_owned();
        let text = within
            .read_to_string(&inside)
            .map_err(|source| CatalogError::Read {
                path: path.clone(),
                source,
            })?;
        files.insert(name, text);
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_catalog_loads() {
        let catalog = Catalog::load(&[]).expect("the bundled kinds load");
        let kinds: Vec<&str> = catalog
            .kinds()
            .iter()
            .map(|k| k.manifest.kind.as_str())
            .collect();
        assert_eq!(kinds, ["mongodb", "postgres", "redis"]);
        let postgres = catalog.get("postgres").expect("postgres");
        assert_eq!(postgres.version(Some("17")).expect("17").major(), "17");
        let redis = catalog.get("redis").expect("redis");
        assert_eq!(redis.version(Some("7")).expect("7").version, "7.4");
        let err = redis.version(Some("6.0")).expect_err("unknown");
        assert!(
            err.to_string()
                .starts_with("redis has no version `6.0` in the catalog; known versions: "),
            "{err}"
        );
        let err = catalog.get("mysql").expect_err("unknown");
        assert_eq!(
            err.to_string(),
            "`mysql` is not a component kind paas knows; known kinds: mongodb, postgres, redis"
        );
    }

    #[test]
    fn postgres_18_keeps_its_data_where_the_image_does() {
        let catalog = Catalog::load(&[]).expect("the bundled kinds load");
        let postgres = catalog.get("postgres").expect("postgres");
        let v18 = postgres.version(Some("18")).expect("18");
        assert_eq!(v18.mount_path, "/var/lib/postgresql");
        assert_eq!(v18.data_path, "/var/lib/postgresql/18/docker");
        let v17 = postgres.version(Some("17")).expect("17");
        assert_eq!(v17.mount_path, "/var/lib/postgresql/data");
    }

    #[test]
    fn a_company_folder_replaces_the_image_and_keeps_the_templates() {
        let dir = tempfile::tempdir().expect("tempdir");
        let kind = dir.path().join(COMPONENTS).join("redis");
        fs_err::create_dir_all(&kind).expect("mkdir");
        let bundled = Catalog::load(&[]).expect("bundled");
        let mut manifest = bundled.get("redis").expect("redis").manifest.clone();
        for version in &mut manifest.versions {
            version.image = format!("registry.corp/base/redis:{}", version.version);
        }
        fs_err::write(
            kind.join("component.toml"),
            toml::to_string(&manifest).expect("toml"),
        )
        .expect("write");
        let catalog = Catalog::load(&[dir.path().to_owned()]).expect("loads");
        let redis = catalog.get("redis").expect("redis");
        assert_eq!(
            redis.version(None).expect("default").image,
            "registry.corp/base/redis:7.4"
        );
        assert_eq!(redis.templates.len(), TEMPLATES.len());
        assert!(matches!(redis.source, PackSource::Directory(_)));
    }
}
