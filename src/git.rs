//! Reading the current commit from a repository's `.git` folder, and whether the work tree
//! has uncommitted changes (the one place paas runs `git`).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The state of the work tree an image is built from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GitState {
    /// The short commit `HEAD` points to.
    pub commit: String,
    /// Whether tracked or untracked files differ from that commit (not ignored ones).
    pub dirty: bool,
}

/// Returns the commit and dirty flag of the work tree holding `dir`, or `None` outside a
/// repository or without commits. When `git` cannot be run the tree counts as dirty, so the
/// image tag never claims a clean commit it cannot vouch for.
#[must_use]
pub fn state(dir: &Path) -> Option<GitState> {
    let commit = short_commit(dir)?;
    let dirty = Command::new("git")
        .args([
            "status",
            "--porcelain",
            "--untracked-files=normal",
            "--",
            ".",
        ])
        .current_dir(dir)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .map_or(true, |out| !out.status.success() || !out.stdout.is_empty());
    Some(GitState { commit, dirty })
}

/// Returns the first 7 hex digits of the commit `HEAD` points to, if `dir` is inside a git
/// work tree with at least one commit.
#[must_use]
pub fn short_commit(dir: &Path) -> Option<String> {
    let git_dir = find_git_dir(dir)?;
    let head = fs_err::read_to_string(git_dir.join("HEAD")).ok()?;
    let head = head.trim();
    let full = if let Some(reference) = head.strip_prefix("ref: ") {
        resolve_ref(&git_dir, reference)?
    } else {
        head.to_owned()
    };
    (full.len() >= 7 && full.chars().all(|c| c.is_ascii_hexdigit())).then(|| full[..7].to_owned())
}

fn find_git_dir(dir: &Path) -> Option<PathBuf> {
    for candidate in dir.ancestors() {
        let dot_git = candidate.join(".git");
        if dot_git.is_dir() {
            return Some(dot_git);
        }
        if dot_git.is_file() {
            // A worktree or submodule: `gitdir: <path>`.
            let text = fs_err::read_to_string(&dot_git).ok()?;
            let path = text.trim().strip_prefix("gitdir: ")?;
            return Some(candidate.join(path));
        }
    }
    None
}

fn resolve_ref(git_dir: &Path, reference: &str) -> Option<String> {
    if let Ok(text) = fs_err::read_to_string(git_dir.join(reference)) {
        return Some(text.trim().to_owned());
    }
    // A worktree keeps its refs in the common dir.
    let common = fs_err::read_to_string(git_dir.join("commondir"))
        .ok()
        .map_or_else(|| git_dir.to_owned(), |c| git_dir.join(c.trim()));
    if let Ok(text) = fs_err::read_to_string(common.join(reference)) {
        return Some(text.trim().to_owned());
    }
    let packed = fs_err::read_to_string(common.join("packed-refs")).ok()?;
    packed.lines().find_map(|line| {
        let (hash, name) = line.split_once(' ')?;
        (name == reference).then(|| hash.to_owned())
    })
}
