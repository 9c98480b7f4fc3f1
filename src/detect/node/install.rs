//! The package manager of a Node.js project and what its install reads.
//!
//! The manager is the one `package.json` `packageManager` names, else the one whose lock file
//! is there; two lock files without `packageManager` cannot be settled. The install runs in
//! its own Docker layer before the sources are copied, so every file it reads must be copied
//! first: the manifest and lock file, the manager's settings (`.npmrc`, `.yarnrc.yml`,
//! `pnpm-workspace.yaml`, `.pnpmfile.cjs`), Yarn's committed releases, plugins and patches,
//! patch folders, and the `package.json` of every workspace.

use std::path::Path;

use serde_json::{Map, Value};

use super::version::{self, Version};
use super::{Refusal, Workspace};
use crate::detect::walk::Inventory;
use crate::detect::{DetectError, Evidence, read_text};

/// The package managers, with their lock files.
const LOCKS: &[(&str, &str)] = &[
    ("package-lock.json", "npm"),
    ("npm-shrinkwrap.json", "npm"),
    ("yarn.lock", "yarn"),
    ("pnpm-lock.yaml", "pnpm"),
    ("bun.lock", "bun"),
    ("bun.lockb", "bun"),
];

/// The oldest Node.js each package-manager major runs on, from their release notes (`engines`
/// of the published package); a later major needs at least what the newest listed one needs.
const MANAGER_NEEDS: &[(&str, u64, Version)] = &[
    ("pnpm", 11, (22, 13, 0)),
    ("pnpm", 9, (18, 12, 0)),
    ("pnpm", 8, (16, 14, 0)),
    ("yarn", 4, (18, 12, 0)),
    ("npm", 11, (20, 17, 0)),
];

/// What the install needs.
#[derive(Debug, Clone)]
pub(crate) struct Install {
    /// `npm`, `yarn` or `pnpm`.
    pub(crate) manager: &'static str,
    /// The version `packageManager` pins, if any.
    pub(crate) pinned: Option<String>,
    /// The command that installs the dependencies.
    pub(crate) command: String,
    /// The files and folders copied before it, in order.
    pub(crate) files: Vec<String>,
    /// The oldest Node.js the manager runs on, with the reason.
    pub(crate) needs: Option<(Version, String)>,
}

impl Install {
    /// Tells whether the manager comes from corepack.
    pub(crate) fn corepack(&self) -> bool {
        self.manager != "npm"
    }

    /// `npm run build`, `yarn build`, `pnpm build`: runs a script of the root package.
    pub(crate) fn run(&self, script: &str) -> String {
        match self.manager {
            "npm" => format!("npm run {script}"),
            manager => format!("{manager} run {script}"),
        }
    }

    /// Runs a binary of the dependencies: `npx nx`, `pnpm exec nx`, `yarn nx`.
    pub(crate) fn exec(&self, binary: &str) -> String {
        match self.manager {
            "pnpm" => format!("pnpm exec {binary}"),
            "yarn" => format!("yarn {binary}"),
            _ => format!("npx --no-install {binary}"),
        }
    }

    /// Runs `script` of one workspace package.
    pub(crate) fn run_in(&self, dir: &str, name: &str, script: &str) -> String {
        match self.manager {
            "pnpm" => format!("pnpm --filter {name}... run {script}"),
            "yarn" => format!("yarn workspace {name} run {script}"),
            _ => format!("npm run {script} --workspace={dir}"),
        }
    }
}

/// Decides the package manager and what its install reads.
pub(crate) fn install(
    root: &Path,
    inventory: &Inventory,
    package: &Map<String, Value>,
    workspace: Option<&Workspace>,
    evidence: &mut Vec<Evidence>,
    warnings: &mut Vec<String>,
) -> Result<Result<Install, Refusal>, DetectError> {
    let locks: Vec<(&str, &str)> = LOCKS
        .iter()
        .copied()
        .filter(|(lock, _)| inventory.has(lock))
        .collect();
    let declared = package
        .get("packageManager")
        .and_then(Value::as_str)
        .and_then(|text| {
            // `<name>@<version>[+<hash>]`, as corepack reads it (names are never scoped).
            let name: String = text.chars().take_while(|c| *c != '@').collect();
            let version = text.get(name.len() + 1..)?;
            let version = version.split('+').next().unwrap_or_default().to_owned();
            Some((name, version, text.to_owned()))
        });
    let manager: &'static str = if let Some((name, _, text)) = &declared {
        let Some(manager) = ["npm", "yarn", "pnpm"].into_iter().find(|m| m == name) else {
            return Ok(Err(Refusal {
                evidence: Vec::new(),
                summary: format!("package manager `{name}`"),
                reason: format!("`packageManager` in `package.json` is `{text}`: paas builds with npm, yarn or pnpm"),
                fix: "set `packageManager` to an npm, yarn or pnpm version, or write the Dockerfile yourself".to_owned(),
            }));
        };
        evidence.push(Evidence::new(
            "package.json",
            format!("packageManager = {text}"),
        ));
        let others: Vec<&str> = locks
            .iter()
            .filter(|(_, owner)| *owner != manager)
            .map(|(lock, _)| *lock)
            .collect();
        if !others.is_empty() {
            let list = others
                .iter()
                .map(|l| format!("`{l}`"))
                .collect::<Vec<_>>()
                .join(", ");
            evidence.push(Evidence::new(
                others[0],
                "lock file of another manager: ignored, `packageManager` decides",
            ));
            warnings.push(format!(
                "{list} left over beside `packageManager` {text}: delete it so nobody installs with the wrong manager"
            ));
        }
        manager
    } else {
        let mut managers: Vec<&str> = locks.iter().map(|(_, manager)| *manager).collect();
        managers.dedup();
        match managers.as_slice() {
            [] => {
                evidence.push(Evidence::new(
                    "package.json",
                    "no lock file: `npm install` resolves the dependencies at build time",
                ));
                warnings.push(
                    "no lock file: every build resolves the dependencies anew, so builds are not reproducible; commit a lock file (`npm install` writes `package-lock.json`)"
                        .to_owned(),
                );
                "npm"
            }
            ["bun"] => {
                return Ok(Err(Refusal {
                    evidence: Vec::new(),
                    summary: "bun project".to_owned(),
                    reason: format!("`{}` is the lock file of bun: paas builds with npm, yarn or pnpm", locks[0].0),
                    fix: "commit the lock file of npm, yarn or pnpm, or write the Dockerfile yourself".to_owned(),
                }));
            }
            [one] => {
                let (lock, _) = locks[0];
                evidence.push(Evidence::new(lock, format!("lock file of {one}")));
                ["npm", "yarn", "pnpm"]
                    .into_iter()
                    .find(|m| m == one)
                    .unwrap_or("npm")
            }
            _ => {
                let list: Vec<String> = locks
                    .iter()
                    .map(|(lock, m)| format!("`{lock}` ({m})"))
                    .collect();
                return Ok(Err(Refusal {
                    evidence: Vec::new(),
                    summary: "project with several lock files".to_owned(),
                    reason: format!("several lock files and no `packageManager` in `package.json`: {}", list.join(", ")),
                    fix: "delete the stale lock file, or name the manager in `package.json`, such as `\"packageManager\": \"pnpm@10.4.1\"`".to_owned(),
                }));
            }
        }
    };
    let pinned = declared
        .as_ref()
        .filter(|(name, _, _)| name == manager)
        .map(|(_, version, _)| version.clone());
    let pinned_major = pinned
        .as_deref()
        .and_then(version::version)
        .map(|(major, _, _)| major);
    let berry = manager == "yarn"
        && (pinned_major.is_some_and(|major| major >= 2)
            || inventory.has(".yarnrc.yml")
            || (inventory.has("yarn.lock")
                && read_text(root, "yarn.lock")?.contains("__metadata:")));
    if berry {
        evidence.push(Evidence::new(
            if inventory.has(".yarnrc.yml") {
                ".yarnrc.yml"
            } else {
                "yarn.lock"
            },
            "Yarn 2 or later (Berry)",
        ));
    }
    if manager != "npm" && pinned.is_none() {
        warnings.push(format!(
            "no `packageManager` in `package.json`: corepack installs its default {manager} version; pin yours with `corepack use {manager}@<version>`"
        ));
    }
    let lock = locks
        .iter()
        .find(|(_, owner)| *owner == manager)
        .map(|(lock, _)| (*lock).to_owned());
    let locked = lock.is_some();
    if !locked && declared.is_some() {
        warnings.push(format!(
            "no lock file of {manager}: every build resolves the dependencies anew, so builds are not reproducible; commit the lock file"
        ));
    }
    let command = match (manager, berry, locked) {
        ("yarn", true, true) => "yarn install --immutable",
        ("yarn", true, false) => "yarn install",
        ("yarn", false, true) => "yarn install --frozen-lockfile --non-interactive",
        ("yarn", false, false) => "yarn install --non-interactive",
        ("pnpm", _, true) => "pnpm install --frozen-lockfile",
        ("pnpm", _, false) => "pnpm install",
        (_, _, true) => "npm ci --no-audit --no-fund",
        _ => "npm install --no-audit --no-fund",
    }
    .to_owned();

    let mut files = vec!["package.json".to_owned()];
    files.extend(lock);
    for file in [
        ".yarnrc",
        ".yarnrc.yml",
        "pnpm-workspace.yaml",
        ".pnpmfile.cjs",
    ] {
        if inventory.has(file) {
            files.push(file.to_owned());
        }
    }
    if inventory.has(".npmrc") {
        let text = read_text(root, ".npmrc")?;
        if text.contains("_auth") || text.contains("_password") {
            warnings.push(
                "`.npmrc` holds a credential (`_auth…`): it is not copied into the image; pass it to the install as a build secret (`RUN --mount=type=secret`)"
                    .to_owned(),
            );
        } else {
            files.push(".npmrc".to_owned());
        }
    }
    for dir in [
        ".yarn/releases",
        ".yarn/plugins",
        ".yarn/patches",
        ".yarn/cache",
    ] {
        if root.join(dir).is_dir() {
            files.push(format!("{dir}/"));
        }
    }
    let mut patch_dirs: Vec<String> = Vec::new();
    if has_dependency(package, "patch-package") && root.join("patches").is_dir() {
        patch_dirs.push("patches".to_owned());
    }
    let patched = package
        .get("pnpm")
        .and_then(|pnpm| pnpm.get("patchedDependencies"))
        .and_then(Value::as_object);
    for path in patched
        .into_iter()
        .flat_map(|map| map.values())
        .filter_map(Value::as_str)
    {
        if let Some((dir, _)) = path.trim_start_matches("./").rsplit_once('/')
            && !patch_dirs.iter().any(|known| known == dir)
        {
            patch_dirs.push(dir.to_owned());
        }
    }
    if inventory.has("pnpm-workspace.yaml") {
        let text = read_text(root, "pnpm-workspace.yaml")?;
        if text.contains("patchedDependencies")
            && root.join("patches").is_dir()
            && !patch_dirs.iter().any(|d| d == "patches")
        {
            patch_dirs.push("patches".to_owned());
        }
    }
    for dir in patch_dirs {
        if root.join(&dir).is_dir() {
            files.push(format!("{dir}/"));
        }
    }
    if let Some(workspace) = workspace {
        for member in &workspace.members {
            files.push(format!("{member}/package.json"));
        }
    }
    files.retain(|file| !file.contains(char::is_whitespace));
    evidence.push(Evidence::new(
        "package.json",
        format!("install: `{command}` after copying {}", files.join(" ")),
    ));

    let needs = pinned_major.and_then(|major| {
        MANAGER_NEEDS
            .iter()
            .filter(|(name, from, _)| *name == manager && *from <= major)
            .max_by_key(|(_, from, _)| *from)
            .map(|(_, from, node)| {
                (
                    *node,
                    format!(
                        "{manager} {from} and later need Node.js {}.{}.{} or later",
                        node.0, node.1, node.2
                    ),
                )
            })
    });
    Ok(Ok(Install {
        manager,
        pinned,
        command,
        files,
        needs,
    }))
}

/// Tells whether `package` depends on `name` (any dependency section).
pub(crate) fn has_dependency(package: &Map<String, Value>, name: &str) -> bool {
    dependency(package, name).is_some()
}

/// The version range `package` asks for `name`.
pub(crate) fn dependency<'a>(package: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    [
        "dependencies",
        "devDependencies",
        "peerDependencies",
        "optionalDependencies",
    ]
    .iter()
    .find_map(|section| package.get(*section)?.get(name)?.as_str())
}
