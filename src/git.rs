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

/// The repository's default branch: what `origin/HEAD` points to, else `main` or `master` when
/// exactly one of them exists. `None` outside a repository or when neither tells.
#[must_use]
pub fn default_branch(dir: &Path) -> Option<String> {
    let git_dir = find_git_dir(dir)?;
    let common = common_dir(&git_dir);
    if let Ok(text) = fs_err::read_to_string(common.join("refs/remotes/origin/HEAD"))
        && let Some(branch) = text.trim().strip_prefix("ref: refs/remotes/origin/")
    {
        return Some(branch.to_owned());
    }
    let found: Vec<&str> = ["main", "master"]
        .into_iter()
        .filter(|b| resolve_ref(&git_dir, &format!("refs/heads/{b}")).is_some())
        .collect();
    match found.as_slice() {
        [one] => Some((*one).to_owned()),
        _ => None,
    }
}

/// The `owner/name` path of the `origin` remote's URL (`git@host:owner/name.git`,
/// `https://host/owner/name`), when the repository has one.
#[must_use]
pub fn origin_path(dir: &Path) -> Option<String> {
    let git_dir = find_git_dir(dir)?;
    let config = fs_err::read_to_string(common_dir(&git_dir).join("config")).ok()?;
    let mut in_origin = false;
    for line in config.lines().map(str::trim) {
        if line.starts_with('[') {
            in_origin = line == "[remote \"origin\"]";
        } else if in_origin
            && let Some((key, value)) = line.split_once('=')
            && key.trim() == "url"
        {
            let url = value.trim().trim_end_matches('/');
            let url = url.strip_suffix(".git").unwrap_or(url);
            let path = match url.split_once("://") {
                Some((_, rest)) => rest.split_once('/')?.1,
                None => url.split_once(':')?.1,
            };
            return (path.contains('/') && !path.starts_with('/')).then(|| path.to_owned());
        }
    }
    None
}

fn common_dir(git_dir: &Path) -> PathBuf {
    fs_err::read_to_string(git_dir.join("commondir"))
        .ok()
        .map_or_else(|| git_dir.to_owned(), |c| git_dir.join(c.trim()))
}

/// The top folder of the work tree holding `dir` (where `.git` is), if any.
#[must_use]
pub fn work_tree_root(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|candidate| candidate.join(".git").exists())
        .map(Path::to_owned)
}
