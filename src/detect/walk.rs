//! The one walk over the project tree that every detector shares.
//!
//! It honours `.gitignore` (also outside a git repository) and `.ignore` files, shows
//! hidden files, never descends into `.git`, `node_modules`, `bin`, `obj` or `target`, stops
//! at [`MAX_DEPTH`], and keeps only the paths a detector may look at. It reads no file
//! contents: the detectors do that, for the few files they need.

use std::path::Path;

use ignore::WalkBuilder;

use super::{DetectError, Skipped};

/// How deep the walk goes below the project root (a file in `a/b/c/d/e/` is at depth 6).
pub(crate) const MAX_DEPTH: usize = 6;

/// Directory names the walk never enters: build output, dependencies and VCS data.
const PRUNED_DIRS: &[&str] = &[".git", "node_modules", "bin", "obj", "target"];

/// Directories at the root whose every file may be a Jexus site config.
pub(crate) const JEXUS_CONFIG_DIRS: &[&str] = &["jexus", "siteconf", "jws"];

/// Extensions (lowercase) of files kept wherever they are.
const KEPT_EXTENSIONS: &[&str] = &[
    "csproj", "fsproj", "vbproj", "sln", "slnx", "aspx", "ashx", "asax",
];

/// File names (lowercase) kept wherever they are.
const KEPT_NAMES: &[&str] = &[
    "web.config",
    "index.html",
    "global.json",
    "directory.build.props",
    "package.json",
    "project.json",
];

/// The files of a project that detectors may look at.
#[derive(Debug, Default)]
pub(crate) struct Inventory {
    /// Relative, `/`-separated paths, sorted.
    pub(crate) files: Vec<String>,
    /// Entries the walker yielded (files and directories): pruning keeps this small.
    pub(crate) entries_seen: usize,
    /// Parts of the tree that could not be read.
    pub(crate) unreadable: Vec<Skipped>,
}

impl Inventory {
    /// Walks `root` once and keeps the paths the detectors need.
    pub(crate) fn scan(root: &Path) -> Result<Self, DetectError> {
        let mut inventory = Self::default();
        let walker = WalkBuilder::new(root)
            .hidden(false)
            .require_git(false)
            // The user's global excludes differ between machines; detection must not.
            .git_global(false)
            .max_depth(Some(MAX_DEPTH))
            .follow_links(false)
            .filter_entry(|entry| {
                let is_dir = entry.file_type().is_some_and(|kind| kind.is_dir());
                !(is_dir
                    && entry.depth() > 0
                    && entry
                        .file_name()
                        .to_str()
                        .is_some_and(|name| PRUNED_DIRS.contains(&name)))
            })
            .build();
        for item in walker {
            let entry = match item {
                Ok(entry) => entry,
                Err(error) => {
                    match error_path(&error) {
                        Some(path) if path != root => {
                            inventory.unreadable.push(Skipped {
                                path: relative(root, path)
                                    .unwrap_or_else(|| path.display().to_string()),
                                reason: format!("cannot be read: {}", innermost(&error)),
                            });
                        }
                        _ => {
                            return Err(DetectError::Walk {
                                path: root.to_path_buf(),
                                source: error,
                            });
                        }
                    }
                    continue;
                }
            };
            inventory.entries_seen += 1;
            if !entry.file_type().is_some_and(|kind| kind.is_file()) {
                continue;
            }
            let Some(path) = relative(root, entry.path()) else {
                continue;
            };
            if keep(&path, entry.depth()) {
                inventory.files.push(path);
            }
        }
        inventory.files.sort();
        inventory.unreadable.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(inventory)
    }

    /// Tells whether `path` (relative) was found.
    pub(crate) fn has(&self, path: &str) -> bool {
        self.files
            .binary_search_by(|file| file.as_str().cmp(path))
            .is_ok()
    }

    /// Returns the files directly in the root whose lowercase name satisfies `accept`.
    pub(crate) fn root_files<'a>(
        &'a self,
        accept: impl Fn(&str) -> bool + 'a,
    ) -> impl Iterator<Item = &'a str> + 'a {
        self.files
            .iter()
            .map(String::as_str)
            .filter(move |path| !path.contains('/') && accept(&path.to_ascii_lowercase()))
    }

    /// Returns every file whose lowercase name satisfies `accept`.
    pub(crate) fn named<'a>(
        &'a self,
        accept: impl Fn(&str) -> bool + 'a,
    ) -> impl Iterator<Item = &'a str> + 'a {
        self.files
            .iter()
            .map(String::as_str)
            .filter(move |path| accept(&file_name(path).to_ascii_lowercase()))
    }
}

/// Returns the last component of a relative `/`-separated path.
pub(crate) fn file_name(path: &str) -> &str {
    path.rsplit_once('/').map_or(path, |(_, name)| name)
}

/// Returns the folder of a relative `/`-separated path, `.` for the root.
pub(crate) fn parent_dir(path: &str) -> &str {
    path.rsplit_once('/').map_or(".", |(dir, _)| dir)
}

/// Returns the lowercase extension of a file name, without the dot.
pub(crate) fn extension(name: &str) -> Option<String> {
    name.rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
}

fn keep(path: &str, depth: usize) -> bool {
    if depth <= 1 {
        return true;
    }
    let name = file_name(path).to_ascii_lowercase();
    if depth == 2 {
        let dir = parent_dir(path).to_ascii_lowercase();
        if JEXUS_CONFIG_DIRS.contains(&dir.as_str()) {
            return true;
        }
    }
    KEPT_NAMES.contains(&name.as_str())
        || extension(&name).is_some_and(|ext| KEPT_EXTENSIONS.contains(&ext.as_str()))
}

/// Returns `path` relative to `root`, `/`-separated; `None` for the root itself or a
/// non-UTF-8 path (no detector cares about those).
fn relative(root: &Path, path: &Path) -> Option<String> {
    let rest = path.strip_prefix(root).ok()?;
    let mut out = String::new();
    for component in rest.components() {
        if !out.is_empty() {
            out.push('/');
        }
        out.push_str(component.as_os_str().to_str()?);
    }
    (!out.is_empty()).then_some(out)
}

fn error_path(error: &ignore::Error) -> Option<&Path> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        _ => None,
    }
}

fn innermost(error: &ignore::Error) -> String {
    match error {
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => innermost(err),
        ignore::Error::Io(io) => io.kind().to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, path: &str, text: &str) {
        let full = root.join(path);
        fs_err::create_dir_all(full.parent().expect("has a parent")).expect("create dir");
        fs_err::write(full, text).expect("write file");
    }

    #[test]
    fn keeps_what_detectors_need_and_prunes_the_rest() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        write(root, "package.json", "{}");
        write(root, "src/App/App.csproj", "<Project/>");
        write(root, "src/App/Program.cs", "");
        write(root, "node_modules/pkg/index.html", "");
        write(root, "node_modules/pkg/Evil.csproj", "");
        write(root, ".git/HEAD", "");
        write(root, "src/App/bin/Debug/App.csproj", "");
        write(root, "src/App/obj/project.assets.json", "");
        write(root, "target/index.html", "");
        write(root, "jexus/default", "port=80");
        write(root, "a/b/c/d/e/f/Deep.csproj", "");
        write(root, "a/b/c/d/e/Shallow.csproj", "");
        let inventory = Inventory::scan(root).expect("scan");
        assert_eq!(
            inventory.files,
            [
                "a/b/c/d/e/Shallow.csproj",
                "jexus/default",
                "package.json",
                "src/App/App.csproj"
            ]
        );
        assert!(inventory.has("package.json"));
        assert!(!inventory.has("src/App/Program.cs"));
    }

    #[test]
    fn honours_gitignore_outside_a_git_repository() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        write(root, ".gitignore", "generated/\n");
        write(root, "generated/index.html", "");
        write(root, "public/index.html", "");
        let inventory = Inventory::scan(root).expect("scan");
        assert_eq!(inventory.files, [".gitignore", "public/index.html"]);
    }

    #[test]
    fn never_visits_pruned_folders() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        for index in 0..200 {
            write(root, &format!("node_modules/pkg{index}/package.json"), "{}");
            write(root, &format!(".git/objects/{index:02x}/obj"), "");
        }
        write(root, "index.html", "");
        let inventory = Inventory::scan(root).expect("scan");
        // The root and `index.html`: pruned folders are neither yielded nor entered.
        assert!(
            inventory.entries_seen <= 2,
            "saw {} entries",
            inventory.entries_seen
        );
        assert_eq!(inventory.files, ["index.html"]);
    }
}
