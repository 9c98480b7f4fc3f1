//! The project's manifest templates as paas knows them: the folder they live in (`deploy`
//! unless `[app] templates` in `paas.toml` names another), the marker line that tells a
//! template paas wrote from any other file, and whether a folder already holds manifests paas
//! did not write (a Helm chart, a kustomize base), so that paas never mixes its templates in.

use std::path::{Component, Path};

use crate::files::Root;

/// The templates folder of a project whose `paas.toml` names none.
pub const DEFAULT_DIR: &str = "deploy";

/// Where `paas init` writes its templates when [`DEFAULT_DIR`] holds someone else's manifests.
pub const SEPARATE_DIR: &str = "deploy/paas";

/// The first line of every template `paas init` writes: how `paas init` tells a folder of
/// paas's templates from one holding manifests paas did not write.
pub const MARKER: &str = "# paas: manifest template";

/// `text` as `paas init` writes it: the marker line first.
#[must_use]
pub fn mark(text: &str) -> String {
    format!(
        "{MARKER}, written by `paas init`; `paas render` and `paas up` fill it from paas.toml\n{text}"
    )
}

/// Whether `text` begins with the marker line.
#[must_use]
pub fn is_marked(text: &str) -> bool {
    text.lines()
        .next()
        .is_some_and(|line| line.starts_with(MARKER))
}

/// Manifests paas did not write, found in a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Foreign {
    /// A Helm chart (`Chart.yaml`).
    Helm(String),
    /// A kustomize folder (`kustomization.yaml`).
    Kustomize(String),
    /// A YAML file without paas's marker.
    Other(String),
}

impl Foreign {
    /// The file that shows it, relative to the project.
    #[must_use]
    pub fn file(&self) -> &str {
        match self {
            Self::Helm(file) | Self::Kustomize(file) | Self::Other(file) => file,
        }
    }

    /// What it is, in words: `a Helm chart`.
    #[must_use]
    pub fn what(&self) -> &'static str {
        match self {
            Self::Helm(_) => "a Helm chart",
            Self::Kustomize(_) => "a kustomize folder",
            Self::Other(_) => "YAML that paas did not write",
        }
    }
}

/// Where `paas init` writes the templates of a project that has no `paas.toml` yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// The folder, relative to the project.
    pub dir: String,
    /// Why it is not [`DEFAULT_DIR`]: what that folder holds.
    pub beside: Option<Foreign>,
}

/// Why no folder could be chosen.
#[derive(Debug, thiserror::Error)]
pub enum PlacementError {
    /// Both the default and the separate folder hold manifests paas did not write.
    #[error("`{DEFAULT_DIR}` holds {} (`{}`) and so does `{SEPARATE_DIR}` (`{}`)", first.what(), first.file(), second.file())]
    Taken {
        /// What `deploy/` holds.
        first: Foreign,
        /// What `deploy/paas/` holds.
        second: Foreign,
    },
    /// A folder could not be read.
    #[error("failed to read `{path}`")]
    Io {
        /// The folder, relative to the project.
        path: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

/// Chooses the templates folder for a new project under `root`: [`DEFAULT_DIR`] unless it holds
/// manifests paas did not write, then [`SEPARATE_DIR`].
pub fn place(root: &Path) -> Result<Placement, PlacementError> {
    let Some(first) = foreign(root, DEFAULT_DIR, Some(SEPARATE_DIR))? else {
        return Ok(Placement {
            dir: DEFAULT_DIR.to_owned(),
            beside: None,
        });
    };
    if let Some(second) = foreign(root, SEPARATE_DIR, None)? {
        return Err(PlacementError::Taken { first, second });
    }
    Ok(Placement {
        dir: SEPARATE_DIR.to_owned(),
        beside: Some(first),
    })
}

/// A sign that `dir` (under `root`) holds manifests paas did not
/// write: a Helm chart or a kustomize folder anywhere below it, else a YAML file without the
/// marker. `skip` is a subfolder left out. Symbolic links are not followed.
fn foreign(root: &Path, dir: &str, skip: Option<&str>) -> Result<Option<Foreign>, PlacementError> {
    let mut other = None;
    let mut pending = vec![dir.to_owned()];
    while let Some(folder) = pending.pop() {
        let io = |source| PlacementError::Io {
            path: folder.clone(),
            source,
        };
        let entries = match fs_err::read_dir(root.join(&folder)) {
            Ok(entries) => entries,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => continue,
            Err(err) => return Err(io(err)),
        };
        let mut names: Vec<(String, bool, bool)> = Vec::new();
        for entry in entries {
            let entry = entry.map_err(io)?;
            let kind = entry.file_type().map_err(io)?;
            names.push((
                entry.file_name().to_string_lossy().into_owned(),
                kind.is_dir(),
                kind.is_file(),
            ));
        }
        names.sort();
        for (name, is_dir, is_file) in names {
            let path = format!("{folder}/{name}");
            if is_dir {
                if Some(path.as_str()) != skip {
                    pending.push(path);
                }
                continue;
            }
            if !is_file {
                continue;
            }
            if let Some(found) = other_tool(&name, &path) {
                return Ok(Some(found));
            }
            let yaml = Path::new(&name)
                .extension()
                .is_some_and(|e| e == "yaml" || e == "yml");
            if yaml && other.is_none() {
                let text = Root::project(root)
                    .read_to_string(&root.join(&path))
                    .unwrap_or_default();
                if !is_marked(&text) {
                    other = Some(Foreign::Other(path));
                }
            }
        }
    }
    Ok(other)
}

/// The file `name` (at `path`) when it is another tool's control file, never a manifest: Helm's
/// `Chart.yaml`, kustomize's `kustomization.yaml`.
#[must_use]
pub fn other_tool(name: &str, path: &str) -> Option<Foreign> {
    match name {
        "Chart.yaml" | "Chart.yml" => Some(Foreign::Helm(path.to_owned())),
        "kustomization.yaml" | "kustomization.yml" | "Kustomization" => {
            Some(Foreign::Kustomize(path.to_owned()))
        }
        _ => None,
    }
}

/// Checks a templates folder named in `paas.toml`: relative, inside the project, `/`-separated.
pub fn check_dir(dir: &str) -> Result<(), String> {
    let path = Path::new(dir);
    if dir.is_empty()
        || dir.contains('\\')
        || !path
            .components()
            .all(|component| matches!(component, Component::Normal(_)))
    {
        return Err(format!(
            "`{dir}` is not a folder inside the project, such as `{SEPARATE_DIR}`"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let full = dir.path().join(path);
            fs_err::create_dir_all(full.parent().unwrap()).unwrap();
            fs_err::write(full, text).unwrap();
        }
        dir
    }

    #[test]
    fn marked_text_is_recognised() {
        assert!(is_marked(&mark("kind: Service\n")));
        assert!(!is_marked("kind: Service\n"));
        assert!(!is_marked(&format!("\n{}", mark("x"))));
    }

    #[test]
    fn a_new_or_paas_folder_is_the_default() {
        let empty = project(&[]);
        assert_eq!(place(empty.path()).unwrap().dir, DEFAULT_DIR);
        let ours = project(&[("deploy/service.yaml", &mark("kind: Service\n"))]);
        assert_eq!(place(ours.path()).unwrap().dir, DEFAULT_DIR);
        let notes = project(&[("deploy/README.md", "how we deploy\n")]);
        assert_eq!(place(notes.path()).unwrap().dir, DEFAULT_DIR);
    }

    #[test]
    fn someone_elses_manifests_move_paas_aside() {
        for (file, expected) in [
            (
                "deploy/Chart.yaml",
                Foreign::Helm("deploy/Chart.yaml".into()),
            ),
            (
                "deploy/base/kustomization.yaml",
                Foreign::Kustomize("deploy/base/kustomization.yaml".into()),
            ),
            ("deploy/app.yml", Foreign::Other("deploy/app.yml".into())),
        ] {
            let dir = project(&[(file, "apiVersion: v1\n")]);
            let placement = place(dir.path()).unwrap();
            assert_eq!(placement.dir, SEPARATE_DIR, "{file}");
            assert_eq!(placement.beside, Some(expected), "{file}");
        }
        // paas's own folder inside is left out of the look at `deploy/`.
        let again = project(&[
            ("deploy/Chart.yaml", "name: web\n"),
            ("deploy/paas/service.yaml", &mark("kind: Service\n")),
        ]);
        assert_eq!(place(again.path()).unwrap().dir, SEPARATE_DIR);
        let both = project(&[
            ("deploy/Chart.yaml", "name: web\n"),
            ("deploy/paas/app.yaml", "kind: Service\n"),
        ]);
        assert!(matches!(
            place(both.path()),
            Err(PlacementError::Taken { .. })
        ));
    }

    #[test]
    fn only_folders_inside_the_project_are_accepted() {
        for good in ["deploy", "deploy/paas", "k8s"] {
            assert!(check_dir(good).is_ok(), "{good}");
        }
        for bad in ["", "/etc", "../other", "deploy/../..", "./deploy", "a\\b"] {
            assert!(check_dir(bad).is_err(), "{bad}");
        }
    }
}
