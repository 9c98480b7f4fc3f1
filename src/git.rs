//! Reading the current commit from a repository's `.git` folder, without running git.

use std::path::{Path, PathBuf};

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
