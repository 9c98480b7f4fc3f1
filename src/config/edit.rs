//! Editing a project's `paas.toml` in place: `paas add` and `paas remove` change one
//! `[components.NAME]` table and keep every other byte as the user wrote it (comments, the
//! order of tables and keys, spacing, quoting), through [`toml_edit`].
//!
//! The edited text is parsed back with the strict schema ([`ProjectFile::config`]) before
//! anything is written, and the file is replaced atomically: a temporary file beside it,
//! synced, then renamed over it, so a failed write leaves the old file as it was.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use toml_edit::{DocumentMut, Item, Table, value};

use super::{ConfigError, ProjectConfig};

/// The comment `paas add` writes after the header of a new `[components.NAME]` table.
pub const OPTIONAL_KEYS: &str =
    "# optional: image, storage, storage_class, env (`paas add --help`)";

/// Why `paas.toml` could not be edited.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// The file could not be read or is not valid.
    #[error(transparent)]
    Config(ConfigError),
    /// A component of that name is already declared.
    #[error("`{}` already declares component `{name}`", path.display())]
    Exists {
        /// The file.
        path: PathBuf,
        /// The component.
        name: String,
    },
    /// No component of that name is declared.
    #[error("`{}` declares no component `{name}` (components: {})", path.display(), shown_list(known))]
    Missing {
        /// The file.
        path: PathBuf,
        /// The component asked for.
        name: String,
        /// The components declared.
        known: Vec<String>,
    },
    /// `components` is not a table paas can add to (an inline table or a value).
    #[error("`components` in `{}` is not a `[components.NAME]` table that paas can add to", path.display())]
    NotATable {
        /// The file.
        path: PathBuf,
    },
    /// Writing the new file failed; the old one is unchanged.
    #[error("failed to write `{}`; it is unchanged", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

fn shown_list(names: &[String]) -> String {
    if names.is_empty() {
        "none".to_owned()
    } else {
        names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A `paas.toml` open for editing.
#[derive(Debug, Clone)]
pub struct ProjectFile {
    path: PathBuf,
    original: String,
    doc: DocumentMut,
}

impl ProjectFile {
    /// Reads `path` (which must stay inside its folder, as [`super::load_project`] reads it).
    pub fn load(path: &Path) -> Result<Self, EditError> {
        let text = super::read_project_text(path).map_err(EditError::Config)?;
        Self::parse(path, &text)
    }

    /// Parses `text` as the content of `path`.
    pub fn parse(path: &Path, text: &str) -> Result<Self, EditError> {
        let doc: DocumentMut = text.parse().map_err(|err: toml_edit::TomlError| {
            EditError::Config(ConfigError::Parse {
                path: path.to_owned(),
                message: err.to_string().replace("TOML parse error", "parse error"),
            })
        })?;
        Ok(Self {
            path: path.to_owned(),
            original: text.to_owned(),
            doc,
        })
    }

    /// Returns the file's path.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Returns the names of the declared components, in file order.
    #[must_use]
    pub fn component_names(&self) -> Vec<String> {
        self.doc
            .get("components")
            .and_then(Item::as_table_like)
            .map(|t| t.iter().map(|(k, _)| k.to_owned()).collect())
            .unwrap_or_default()
    }

    /// Adds `[components.NAME]` with `kind` and, when given, `version`, after the last
    /// declared component (at the end of the file when there is none).
    pub fn add_component(
        &mut self,
        name: &str,
        kind: &str,
        version: Option<&str>,
    ) -> Result<(), EditError> {
        if self.component_names().iter().any(|n| n == name) {
            return Err(EditError::Exists {
                path: self.path.clone(),
                name: name.to_owned(),
            });
        }
        let root = self.doc.as_table_mut();
        if !root.contains_key("components") {
            let mut components = Table::new();
            components.set_implicit(true);
            root.insert("components", Item::Table(components));
        }
        let Some(Item::Table(components)) = root.get_mut("components") else {
            return Err(EditError::NotATable {
                path: self.path.clone(),
            });
        };
        let mut table = Table::new();
        table.decor_mut().set_suffix(format!("   {OPTIONAL_KEYS}"));
        table.insert("kind", value(kind));
        if let Some(version) = version {
            table.insert("version", value(version));
        }
        // A table made here has no position: it prints after the table visited before it,
        // which is the last component (or the last table of the file).
        components.insert(name, Item::Table(table));
        Ok(())
    }

    /// Removes `[components.NAME]` (with the comment lines right above its header, which
    /// belong to it); every other line stays.
    pub fn remove_component(&mut self, name: &str) -> Result<(), EditError> {
        let known = self.component_names();
        let removed = self
            .doc
            .get_mut("components")
            .and_then(Item::as_table_like_mut)
            .and_then(|t| t.remove(name));
        if removed.is_none() {
            return Err(EditError::Missing {
                path: self.path.clone(),
                name: name.to_owned(),
                known,
            });
        }
        Ok(())
    }

    /// Returns the text of the file as edited.
    #[must_use]
    pub fn text(&self) -> String {
        self.doc.to_string()
    }

    /// Returns whether the edits changed the text.
    #[must_use]
    pub fn changed(&self) -> bool {
        self.text() != self.original
    }

    /// Parses the edited text with the strict schema, as every command will read it.
    pub fn config(&self) -> Result<ProjectConfig, ConfigError> {
        super::parse(&self.path, &self.text())
    }

    /// Writes the edited text over the file, atomically (keeping the file's permissions).
    pub fn write(&self) -> Result<(), EditError> {
        write_atomically(&self.path, self.text().as_bytes(), false).map_err(|source| {
            EditError::Write {
                path: self.path.clone(),
                source,
            }
        })
    }
}

/// Writes `bytes` to a temporary file beside `path`, syncs it and renames it over `path`, so a
/// reader sees the old file or the new one, never a part. A `private` file is readable by its
/// owner only; otherwise an existing file keeps its permissions.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8], private: bool) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.paas-tmp-{}", std::process::id()));
    let result = (|| {
        use fs_err::os::unix::fs::OpenOptionsExt as _;
        let mut options = fs_err::OpenOptions::new();
        options.write(true).create_new(true);
        if private {
            options.mode(0o600);
        }
        let mut file = options.open(&temp)?;
        if !private && let Ok(metadata) = fs_err::metadata(path) {
            file.file().set_permissions(metadata.permissions())?;
        }
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        fs_err::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = fs_err::remove_file(&temp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    const HAND_WRITTEN: &str = r#"# Our shop. Ask #team-shop before changing the registry.
[app]
name    = "shop"   # the DNS name
pack = 'nginx'
port = 8080

[build]
registry = "reg.example.com/team"

# the cache we always had
[components.cache]
kind = "redis"  # sessions live here
version = "7.4"

[deploy]
replicas = 2
  # indented comment, kept
env = { A = "1" }

[env.prod]   # production
namespace = "shop"
"#;

    fn file(text: &str) -> ProjectFile {
        ProjectFile::parse(Path::new("paas.toml"), text).unwrap()
    }

    #[test]
    fn add_keeps_every_other_byte() {
        let mut edited = file(HAND_WRITTEN);
        edited.add_component("db", "postgres", Some("17")).unwrap();
        let text = edited.text();
        insta::assert_snapshot!(similar::TextDiff::from_lines(HAND_WRITTEN, &text).unified_diff().to_string(), @r#"
        @@ -12,6 +12,10 @@
         kind = "redis"  # sessions live here
         version = "7.4"
         
        +[components.db]   # optional: image, storage, storage_class, env (`paas add --help`)
        +kind = "postgres"
        +version = "17"
        +
         [deploy]
         replicas = 2
           # indented comment, kept
        "#);
        let config = edited.config().unwrap();
        assert_eq!(config.components["db"].kind, "postgres");
        assert_eq!(config.components["db"].version.as_deref(), Some("17"));
        assert_eq!(config.components["cache"].version.as_deref(), Some("7.4"));
    }

    #[test]
    fn add_then_remove_gives_the_file_back() {
        let mut edited = file(HAND_WRITTEN);
        edited.add_component("db", "postgres", None).unwrap();
        edited.remove_component("db").unwrap();
        assert_eq!(edited.text(), HAND_WRITTEN);
        assert!(!edited.changed());
    }

    #[test]
    fn remove_takes_the_table_and_its_own_comment() {
        let mut edited = file(HAND_WRITTEN);
        edited.remove_component("cache").unwrap();
        let text = edited.text();
        insta::assert_snapshot!(similar::TextDiff::from_lines(HAND_WRITTEN, &text).unified_diff().to_string(), @r#"
        @@ -7,11 +7,6 @@
         [build]
         registry = "reg.example.com/team"
         
        -# the cache we always had
        -[components.cache]
        -kind = "redis"  # sessions live here
        -version = "7.4"
        -
         [deploy]
         replicas = 2
           # indented comment, kept
        "#);
        assert!(edited.config().unwrap().components.is_empty());
    }

    #[test]
    fn first_component_goes_at_the_end_of_a_file_without_one() {
        let before =
            "[app]\nname = \"shop\"\npack = \"nginx\"\n\n# [env.prod]\n# namespace = \"shop\"\n";
        let mut edited = file(before);
        edited.add_component("cache", "redis", None).unwrap();
        insta::assert_snapshot!(edited.text(), @r#"
        [app]
        name = "shop"
        pack = "nginx"

        [components.cache]   # optional: image, storage, storage_class, env (`paas add --help`)
        kind = "redis"

        # [env.prod]
        # namespace = "shop"
        "#);
        edited.remove_component("cache").unwrap();
        assert_eq!(edited.text(), before);
    }

    #[test]
    fn duplicate_and_missing_names_are_errors() {
        let mut edited = file(HAND_WRITTEN);
        let err = edited.add_component("cache", "redis", None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`paas.toml` already declares component `cache`"
        );
        let err = edited.remove_component("db").unwrap_err();
        assert_eq!(
            err.to_string(),
            "`paas.toml` declares no component `db` (components: `cache`)"
        );
        assert!(!edited.changed());
    }

    #[test]
    fn inline_components_can_be_removed_but_not_added_to() {
        let text = "components = { cache = { kind = \"redis\" } }\n[app]\nname = \"a\"\npack = \"nginx\"\n";
        let mut edited = file(text);
        let err = edited.add_component("db", "postgres", None).unwrap_err();
        assert!(matches!(err, EditError::NotATable { .. }), "{err}");
        edited.remove_component("cache").unwrap();
        assert!(edited.config().unwrap().components.is_empty());
    }

    #[test]
    fn write_replaces_the_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("paas.toml");
        fs_err::write(&path, HAND_WRITTEN).unwrap();
        let mut edited = ProjectFile::load(&path).unwrap();
        edited.add_component("db", "postgres", None).unwrap();
        edited.write().unwrap();
        assert_eq!(fs_err::read_to_string(&path).unwrap(), edited.text());
        let names: Vec<_> = fs_err::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("paas.toml")]);
    }
}
