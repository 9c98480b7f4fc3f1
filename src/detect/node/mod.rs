//! The Node.js side of the `nginx` detector: a `package.json` project that node builds into a
//! folder nginx serves.
//!
//! It owns three questions, each answered from the project's own files, with evidence:
//! - which app: the root package, or one app of an Nx, Turbo or npm/pnpm/yarn workspace
//!   (several apps are an ambiguity `--project` settles);
//! - which build tool or site generator, and the folder it writes, read from the tool's
//!   configuration (`vite.config.*`, `angular.json`, `next.config.*`, `astro.config.*`,
//!   `svelte.config.*`, `.eleventy.js`…) by a light parse of literals: a value that is not a
//!   literal is reported and the tool's default used. A project whose build is not a static
//!   site (Next.js without `output: 'export'`, Astro `output: 'server'`, `SvelteKit` without
//!   `adapter-static`) is refused with the change to make;
//! - which Node.js line and package manager ([`version`], [`install`]).
//!
//! It does not run node: a configuration computed at build time cannot be read, only named.

mod install;
mod tools;
mod version;

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Map, Value, json};

use super::walk::{Inventory, parent_dir};
use super::{DetectError, Evidence, Found, Outcome, Refusal, read_text};
use install::{Install, dependency};
use tools::Tool;
use version::Range;

/// The workspace a root `package.json` (or `nx.json`, `pnpm-workspace.yaml`) declares.
#[derive(Debug, Clone)]
pub(crate) struct Workspace {
    /// `Nx`, `Turborepo`, `npm workspaces`…
    kind: &'static str,
    /// The member folders that have a `package.json`, sorted.
    members: Vec<String>,
    /// The folders of Nx projects (`project.json`).
    nx_projects: Vec<String>,
}

/// One app candidate: its folder and its manifest.
struct App {
    dir: String,
    name: String,
    package: Map<String, Value>,
}

/// Tells whether the root `package.json` is a Node.js build this module handles: a `build`
/// script, a known build tool or generator, or a workspace.
pub(crate) fn applies(inventory: &Inventory, package: &Map<String, Value>) -> bool {
    package
        .get("scripts")
        .and_then(|scripts| scripts.get("build"))
        .is_some()
        || tools::known(package).is_some()
        || package.get("workspaces").is_some()
        || ["nx.json", "turbo.json", "pnpm-workspace.yaml"]
            .iter()
            .any(|file| inventory.has(file))
}

/// Detects the app, its build and its toolchain. `pinned` is what `--project` named.
pub(crate) fn detect(
    root: &Path,
    inventory: &Inventory,
    package: &Map<String, Value>,
    pinned: Option<&str>,
) -> Result<Outcome, DetectError> {
    let mut evidence = Vec::new();
    let mut warnings = Vec::new();
    let workspace = workspace(root, inventory, package)?;
    let app = match &workspace {
        Some(workspace) => {
            evidence.push(Evidence::new(
                workspace_file(inventory, workspace),
                format!(
                    "{}: {} member(s)",
                    workspace.kind,
                    workspace.members.len().max(workspace.nx_projects.len())
                ),
            ));
            match choose_app(root, workspace, package, pinned)? {
                Ok(Some(app)) => app,
                Ok(None) => root_app(package),
                Err(outcome) => return Ok(outcome),
            }
        }
        None => root_app(package),
    };
    // In a workspace the app's tools may be declared at the root.
    let mut merged = package.clone();
    if app.dir != "." {
        for section in ["dependencies", "devDependencies"] {
            if let Some(Value::Object(own)) = app.package.get(section) {
                let entry = merged
                    .entry(section.to_owned())
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(all) = entry {
                    for (name, range) in own {
                        all.insert(name.clone(), range.clone());
                    }
                }
            }
        }
        merged.insert(
            "scripts".to_owned(),
            app.package.get("scripts").cloned().unwrap_or(Value::Null),
        );
    }
    let nx_target = if workspace.as_ref().is_some_and(|w| w.kind == "Nx") && app.dir != "." {
        nx_build_target(root, &app.dir)?.map(|target| {
            target
                .get("executor")
                .and_then(Value::as_str)
                .unwrap_or("(inferred)")
                .to_owned()
        })
    } else {
        None
    };
    let tool = match tools::tool(
        root,
        &app.dir,
        &merged,
        &app.name,
        nx_target.as_deref(),
        &mut evidence,
        &mut warnings,
    )? {
        Ok(tool) => tool,
        Err(refusal) => return Ok(Outcome::Refused(refusal)),
    };
    let install = match install::install(
        root,
        inventory,
        package,
        workspace.as_ref(),
        &mut evidence,
        &mut warnings,
    )? {
        Ok(install) => install,
        Err(refusal) => return Ok(Outcome::Refused(refusal)),
    };
    let build_command = build_command(
        root,
        &app,
        workspace.as_ref(),
        &tool,
        &install,
        &mut evidence,
    )?;
    let node = node_line(
        root,
        inventory,
        package,
        &install,
        &mut evidence,
        &mut warnings,
    )?;
    let node_options = legacy_openssl(&merged, node, &mut evidence, &mut warnings);
    if install.corepack() {
        evidence.push(Evidence::new(
            "package.json",
            format!(
                "{} {} from corepack",
                install.manager,
                install.pinned.as_deref().unwrap_or("(corepack's default)")
            ),
        ));
    }
    let output_dir = match nx_output(root, &app, workspace.as_ref(), &mut evidence)? {
        Some(folder) => folder,
        None => tool.output.clone(),
    };
    let mut values = BTreeMap::new();
    values.insert("spa".to_owned(), json!(tool.spa));
    values.insert("site_dir".to_owned(), json!(output_dir));
    values.insert("build_command".to_owned(), json!(build_command));
    values.insert("package_manager".to_owned(), json!(install.manager));
    // The template's own install for the manager needs no value: `--set package_manager` then
    // changes both.
    let default_install = match install.manager {
        "yarn" => "yarn install --frozen-lockfile --non-interactive",
        "pnpm" => "pnpm install --frozen-lockfile",
        _ => "npm ci --no-audit --no-fund",
    };
    values.insert(
        "install_command".to_owned(),
        if install.command == default_install {
            Value::Null
        } else {
            json!(install.command)
        },
    );
    values.insert("install_files".to_owned(), json!(install.files.join(" ")));
    values.insert("output_dir".to_owned(), json!(output_dir));
    values.insert("node_version".to_owned(), json!(node.to_string()));
    values.insert(
        "node_options".to_owned(),
        if node_options.is_empty() {
            Value::Null
        } else {
            json!(node_options)
        },
    );
    let what = if tool.spa {
        format!("{} single-page app", tool.name)
    } else {
        format!("{} site", tool.name)
    };
    let named = if app.name.is_empty() {
        String::new()
    } else {
        format!(" `{}`", app.name)
    };
    let place = if app.dir == "." {
        String::new()
    } else {
        format!(" in `{}`", app.dir)
    };
    Ok(Outcome::Found(Found {
        summary: format!(
            "{what}{named}{place}, built with `{build_command}` into `{output_dir}` (Node.js {node})"
        ),
        evidence,
        values,
        app_name: (!app.name.is_empty()).then(|| app.name.clone()),
        project: (app.dir != ".").then(|| app.dir.clone()),
        jexus_site_config: false,
        warnings,
    }))
}

fn root_app(package: &Map<String, Value>) -> App {
    App {
        dir: ".".to_owned(),
        name: package
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        package: package.clone(),
    }
}

/// `dir/path`, or `path` for the root.
pub(crate) fn join(dir: &str, path: &str) -> String {
    if dir == "." || dir.is_empty() {
        path.to_owned()
    } else if path == "." {
        dir.to_owned()
    } else {
        format!("{dir}/{path}")
    }
}

fn workspace_file<'a>(inventory: &Inventory, workspace: &Workspace) -> &'a str {
    match workspace.kind {
        "Nx" => "nx.json",
        "Turborepo" => "turbo.json",
        _ if inventory.has("pnpm-workspace.yaml") => "pnpm-workspace.yaml",
        _ => "package.json",
    }
}

/// Reads the workspace declaration and lists its members.
fn workspace(
    root: &Path,
    inventory: &Inventory,
    package: &Map<String, Value>,
) -> Result<Option<Workspace>, DetectError> {
    let mut patterns: Vec<String> = match package.get("workspaces") {
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        Some(Value::Object(map)) => map
            .get("packages")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    };
    let mut kind = "npm workspaces";
    if inventory.has("pnpm-workspace.yaml") {
        kind = "pnpm workspace";
        let text = read_text(root, "pnpm-workspace.yaml")?;
        let mut in_packages = false;
        for line in text.lines() {
            let trimmed = line.trim();
            if !line.starts_with([' ', '\t', '-']) {
                in_packages = trimmed.starts_with("packages:");
                continue;
            }
            if in_packages && let Some(item) = trimmed.strip_prefix('-') {
                patterns.push(item.trim().trim_matches(['"', '\'']).to_owned());
            }
        }
    } else if inventory.has("yarn.lock") {
        kind = "yarn workspaces";
    }
    let nx = inventory.has("nx.json");
    if nx {
        kind = "Nx";
    } else if inventory.has("turbo.json") {
        kind = "Turborepo";
    }
    let mut members: Vec<String> = inventory
        .named(|name| name == "package.json")
        .map(parent_dir)
        .filter(|dir| *dir != "." && patterns.iter().any(|pattern| glob(pattern, dir)))
        .map(str::to_owned)
        .collect();
    members.sort();
    members.dedup();
    let nx_projects: Vec<String> = if nx {
        inventory
            .named(|name| name == "project.json")
            .map(parent_dir)
            .filter(|dir| *dir != ".")
            .map(str::to_owned)
            .collect()
    } else {
        Vec::new()
    };
    if members.is_empty() && nx_projects.is_empty() && patterns.is_empty() && !nx {
        return Ok(None);
    }
    Ok(Some(Workspace {
        kind,
        members,
        nx_projects,
    }))
}

/// Matches a workspace pattern (`apps/*`, `packages/**`, `web`) against a folder.
fn glob(pattern: &str, dir: &str) -> bool {
    fn matches(pattern: &[&str], dir: &[&str]) -> bool {
        match (pattern.first(), dir.first()) {
            (None, None) => true,
            (Some(&"**"), _) => {
                matches(&pattern[1..], dir) || (!dir.is_empty() && matches(pattern, &dir[1..]))
            }
            (Some(segment), Some(name)) => {
                segment_matches(segment, name) && matches(&pattern[1..], &dir[1..])
            }
            _ => false,
        }
    }
    fn segment_matches(segment: &str, name: &str) -> bool {
        match segment.split_once('*') {
            None => segment == name,
            Some((prefix, suffix)) => {
                name.len() >= prefix.len() + suffix.len()
                    && name.starts_with(prefix)
                    && name.ends_with(suffix)
            }
        }
    }
    if pattern.starts_with('!') {
        return false;
    }
    let pattern = pattern.trim_start_matches("./").trim_end_matches('/');
    let pattern: Vec<&str> = pattern.split('/').collect();
    let dir: Vec<&str> = dir.split('/').collect();
    matches(&pattern, &dir)
}

/// Picks the app of a workspace: the one with a build and a known tool; `pinned` (a folder or
/// a package name) when several. `Ok(None)`: the root package itself is the app.
fn choose_app(
    root: &Path,
    workspace: &Workspace,
    package: &Map<String, Value>,
    pinned: Option<&str>,
) -> Result<Result<Option<App>, Outcome>, DetectError> {
    let mut apps = Vec::new();
    let mut dirs: Vec<&String> = workspace
        .members
        .iter()
        .chain(&workspace.nx_projects)
        .collect();
    dirs.sort();
    dirs.dedup();
    for dir in dirs {
        let manifest = join(dir, "package.json");
        let own = if root.join(&manifest).is_file() {
            match serde_json::from_str::<Value>(&read_text(root, &manifest)?) {
                Ok(Value::Object(map)) => map,
                _ => continue,
            }
        } else {
            Map::new()
        };
        let nx_build = workspace.nx_projects.contains(dir) && nx_build_target(root, dir)?.is_some();
        let has_build = own
            .get("scripts")
            .and_then(|scripts| scripts.get("build"))
            .is_some();
        // An Nx app's tools are often declared only at the root: its `build` target and
        // `projectType` (or a tool's config file in its folder) make it an app.
        let tool_known = tools::known(&own).is_some()
            || (nx_build
                && (tools::config_tool(root, dir).is_some()
                    || nx_project_type(root, dir)?.as_deref() == Some("application")));
        if !(nx_build || has_build) || !tool_known {
            continue;
        }
        let name = nx_project_name(root, dir)?
            .or_else(|| own.get("name").and_then(Value::as_str).map(str::to_owned))
            .unwrap_or_else(|| super::walk::file_name(dir).to_owned());
        apps.push(App {
            dir: dir.clone(),
            name,
            package: own,
        });
    }
    if let Some(wanted) = pinned {
        let wanted = wanted.trim_start_matches("./").trim_end_matches('/');
        if let Some(index) = apps
            .iter()
            .position(|app| app.dir == wanted || app.name == wanted)
        {
            return Ok(Ok(Some(apps.swap_remove(index))));
        }
        let list: Vec<String> = apps.iter().map(|app| format!("`{}`", app.dir)).collect();
        return Ok(Err(Outcome::Refused(Refusal {
            evidence: Vec::new(),
            summary: format!("{} app `{wanted}`", workspace.kind),
            reason: format!(
                "`--project {wanted}` names no app of the {} (apps: {})",
                workspace.kind,
                if list.is_empty() {
                    "none".to_owned()
                } else {
                    list.join(", ")
                }
            ),
            fix: "give the folder or the package name of an app with `--project`".to_owned(),
        })));
    }
    match apps.len() {
        0 => {
            let root_builds = package
                .get("scripts")
                .and_then(|scripts| scripts.get("build"))
                .is_some();
            if root_builds && tools::known(package).is_some() {
                Ok(Ok(None))
            } else {
                Ok(Err(Outcome::Refused(Refusal {
                    evidence: Vec::new(),
                    summary: format!("{} without an app", workspace.kind),
                    reason: format!(
                        "no member of the {} has a `build` script and a known build tool",
                        workspace.kind
                    ),
                    fix: "run `paas init` in the app's folder, or give the app with `--project`"
                        .to_owned(),
                })))
            }
        }
        1 => Ok(Ok(apps.pop())),
        _ => Ok(Err(Outcome::Ambiguous {
            scope: None,
            candidates: apps
                .iter()
                .map(|app| super::Candidate {
                    pack: String::new(),
                    project: Some(app.dir.clone()),
                    summary: format!("{} app `{}`", workspace.kind, app.name),
                })
                .collect(),
        })),
    }
}

/// The `outputPath` of an Nx app's `build` target, relative to the root.
fn nx_output(
    root: &Path,
    app: &App,
    workspace: Option<&Workspace>,
    evidence: &mut Vec<Evidence>,
) -> Result<Option<String>, DetectError> {
    if workspace.is_none_or(|workspace| workspace.kind != "Nx") || app.dir == "." {
        return Ok(None);
    }
    let Some(target) = nx_build_target(root, &app.dir)? else {
        return Ok(None);
    };
    let Some(path) = target
        .pointer("/options/outputPath")
        .and_then(Value::as_str)
    else {
        return Ok(None);
    };
    let resolved = path
        .replace("{workspaceRoot}/", "")
        .replace("{projectRoot}", &app.dir);
    let Some(mut folder) = super::dotnet::normalize(&resolved) else {
        return Ok(None);
    };
    // Angular's application builder writes the browser bundle under `browser/`.
    let executor = target
        .get("executor")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if executor.starts_with("@angular") && executor.ends_with(":application") {
        folder.push_str("/browser");
    }
    evidence.push(Evidence::new(
        join(&app.dir, "project.json"),
        format!("targets.build.options.outputPath = {path}: output in `{folder}`"),
    ));
    Ok(Some(folder))
}

fn read_json(root: &Path, path: &str) -> Result<Option<Value>, DetectError> {
    if !root.join(path).is_file() {
        return Ok(None);
    }
    Ok(serde_json::from_str(&read_text(root, path)?).ok())
}

fn nx_project_name(root: &Path, dir: &str) -> Result<Option<String>, DetectError> {
    Ok(read_json(root, &join(dir, "project.json"))?
        .and_then(|json| json.get("name").and_then(Value::as_str).map(str::to_owned)))
}

fn nx_project_type(root: &Path, dir: &str) -> Result<Option<String>, DetectError> {
    Ok(
        read_json(root, &join(dir, "project.json"))?.and_then(|json| {
            json.get("projectType")
                .and_then(Value::as_str)
                .map(str::to_owned)
        }),
    )
}

/// The `build` target of an Nx `project.json`.
fn nx_build_target(root: &Path, dir: &str) -> Result<Option<Value>, DetectError> {
    Ok(read_json(root, &join(dir, "project.json"))?
        .and_then(|json| json.pointer("/targets/build").cloned()))
}

/// The command the build stage runs, and where it came from.
fn build_command(
    root: &Path,
    app: &App,
    workspace: Option<&Workspace>,
    tool: &Tool,
    install: &Install,
    evidence: &mut Vec<Evidence>,
) -> Result<String, DetectError> {
    let Some(workspace) = workspace.filter(|_| app.dir != ".") else {
        return Ok(install.run(&tool.script));
    };
    let command = match workspace.kind {
        "Nx" => format!("{} build {}", install.exec("nx"), app.name),
        "Turborepo" => format!("{} run build --filter={}", install.exec("turbo"), app.name),
        _ => install.run_in(&app.dir, &app.name, &tool.script),
    };
    let source = if workspace.kind == "Nx" && nx_build_target(root, &app.dir)?.is_some() {
        join(&app.dir, "project.json")
    } else {
        join(&app.dir, "package.json")
    };
    evidence.push(Evidence::new(
        source,
        format!(
            "{} app `{}`: built with `{command}`",
            workspace.kind, app.name
        ),
    ));
    Ok(command)
}

/// The Node.js major of the build stage: `volta.node`, `.nvmrc`, `.node-version`, then
/// `engines.node` (the newest supported LTS line the range allows), within what the package
/// manager needs; else the current LTS.
fn node_line(
    root: &Path,
    inventory: &Inventory,
    package: &Map<String, Value>,
    install: &Install,
    evidence: &mut Vec<Evidence>,
    warnings: &mut Vec<String>,
) -> Result<u64, DetectError> {
    let minimum = install.needs.as_ref().map(|(version, _)| *version);
    let mut asked: Option<(String, String)> = None; // (file, text)
    if let Some(volta) = package
        .get("volta")
        .and_then(|volta| volta.get("node"))
        .and_then(Value::as_str)
    {
        asked = Some(("package.json".to_owned(), volta.to_owned()));
    }
    for file in [".nvmrc", ".node-version"] {
        if asked.is_none() && inventory.has(file) {
            let text = read_text(root, file)?;
            let line = text.lines().next().unwrap_or_default().trim().to_owned();
            if !line.is_empty() {
                asked = Some((file.to_owned(), line));
            }
        }
    }
    if asked.is_none()
        && let Some(range) = package
            .get("engines")
            .and_then(|engines| engines.get("node"))
            .and_then(Value::as_str)
    {
        asked = Some(("package.json".to_owned(), range.to_owned()));
    }
    let lts = version::current_lts();
    let Some((file, text)) = asked else {
        let chosen = Range::parse("*")
            .and_then(|range| highest(&range, minimum))
            .unwrap_or(lts.major);
        evidence.push(Evidence::new(
            "package.json",
            format!("no Node.js version asked for: the current LTS, {chosen}"),
        ));
        return Ok(chosen);
    };
    let label = match (
        file.as_str(),
        package
            .get("volta")
            .and_then(|volta| volta.get("node"))
            .is_some(),
    ) {
        ("package.json", true) => "volta.node",
        ("package.json", false) => "engines.node",
        _ => "node",
    };
    let lowered = text.to_ascii_lowercase();
    let range =
        if lowered == "node" || lowered == "lts/*" || lowered == "current" || lowered == "latest" {
            Range::parse(&format!("{}", lts.major))
        } else if let Some(codename) = lowered.strip_prefix("lts/") {
            version::NODE_LINES
                .iter()
                .find(|line| line.codename == codename)
                .and_then(|line| Range::parse(&line.major.to_string()))
        } else {
            Range::parse(&text)
        };
    let Some(range) = range else {
        evidence.push(Evidence::new(
            &file,
            format!(
                "{label} `{text}` is not a version: the current LTS, {}",
                lts.major
            ),
        ));
        warnings.push(format!(
            "`{file}` asks for Node.js `{text}`, which paas cannot read: Node.js {} is used",
            lts.major
        ));
        return Ok(lts.major);
    };
    if let Some(chosen) = highest(&range, minimum) {
        let why = match &install.needs {
            Some((_, reason)) if highest(&range, None) != Some(chosen) => format!(" ({reason})"),
            _ => String::new(),
        };
        evidence.push(Evidence::new(
            &file,
            format!("{label} = {text}: Node.js {chosen}, the newest supported LTS it allows{why}"),
        ));
        return Ok(chosen);
    }
    // No supported LTS line fits: the newest line that does, named as end of life.
    let old = version::NODE_LINES
        .iter()
        .find(|line| range.allows_line(line.major, minimum))
        .map(|line| line.major)
        .or_else(|| {
            range
                .lowest_major()
                .filter(|major| *major > 0 && range.allows_line(*major, minimum))
        });
    if let Some(major) = old {
        let status = match version::line(major) {
            Some(line) => format!("end of life since {}", line.end_of_life),
            None => "not an LTS line".to_owned(),
        };
        evidence.push(Evidence::new(
            &file,
            format!("{label} = {text}: Node.js {major} ({status})"),
        ));
        warnings.push(format!(
            "`{file}` asks for Node.js `{text}`: Node.js {major} is {status}; the build uses it, but move the project to Node.js {}",
            lts.major
        ));
        return Ok(major);
    }
    let conflict = install
        .needs
        .as_ref()
        .map(|(_, reason)| format!(" ({reason})"))
        .unwrap_or_default();
    evidence.push(Evidence::new(
        &file,
        format!(
            "{label} = {text}: no Node.js line fits{conflict}; the current LTS, {}",
            lts.major
        ),
    ));
    warnings.push(format!(
        "`{file}` asks for Node.js `{text}`, which no Node.js line fits{conflict}: Node.js {} is used",
        lts.major
    ));
    Ok(lts.major)
}

/// The newest supported LTS line `range` allows at or above `minimum`.
fn highest(range: &Range, minimum: Option<version::Version>) -> Option<u64> {
    version::NODE_LINES
        .iter()
        .filter(|line| line.supported())
        .find(|line| range.allows_line(line.major, minimum))
        .map(|line| line.major)
}

/// webpack 4 and older (directly, or through react-scripts 4 and older, Vue CLI 4 and older or
/// the 2.0.0 alphas of Docusaurus, before its betas moved to webpack 5) hashes
/// with MD4, which the OpenSSL 3 of Node.js 17 and later refuses (`ERR_OSSL_EVP_UNSUPPORTED`):
/// the build stage sets `NODE_OPTIONS=--openssl-legacy-provider`.
fn legacy_openssl(
    package: &Map<String, Value>,
    node: u64,
    evidence: &mut Vec<Evidence>,
    warnings: &mut Vec<String>,
) -> String {
    let major_of = |name: &str| {
        dependency(package, name).and_then(|range| {
            let digits: String = range
                .trim_start_matches(|c: char| !c.is_ascii_digit())
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits
                .parse::<u64>()
                .ok()
                .map(|major| (major, range.to_owned()))
        })
    };
    let old = [
        ("webpack", 4),
        ("react-scripts", 4),
        ("@vue/cli-service", 4),
    ]
    .into_iter()
    .find_map(|(name, last)| {
        major_of(name)
            .filter(|(major, _)| *major <= last)
            .map(|(_, range)| (name, range))
    })
    .or_else(|| {
        dependency(package, "@docusaurus/core")
            .filter(|range| range.contains("2.0.0-alpha"))
            .map(|range| ("@docusaurus/core", range.to_owned()))
    });
    let Some((name, range)) = old else {
        return String::new();
    };
    if node < 17 {
        evidence.push(Evidence::new(
            "package.json",
            format!("`{name}` {range} uses webpack 4 or older: fine on Node.js {node}"),
        ));
        return String::new();
    }
    evidence.push(Evidence::new(
        "package.json",
        format!(
            "`{name}` {range} uses webpack 4 or older: built with NODE_OPTIONS=--openssl-legacy-provider"
        ),
    ));
    warnings.push(format!(
        "`{name}` {range} uses webpack 4 or older, which fails on Node.js 17 and later without `NODE_OPTIONS=--openssl-legacy-provider` (set in the Dockerfile); upgrade `{name}` to drop it"
    ));
    "--openssl-legacy-provider".to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docusaurus_alphas_and_old_react_scripts_need_the_legacy_openssl_provider() {
        for (name, range, wanted) in [
            ("@docusaurus/core", "^2.0.0-alpha.43", true),
            ("@docusaurus/core", "^2.0.0-beta.9", false),
            ("@docusaurus/core", "3.5.2", false),
            ("react-scripts", "1.1.1", true),
            ("react-scripts", "5.0.1", false),
        ] {
            let package: Map<String, Value> =
                serde_json::from_value(serde_json::json!({ "dependencies": { name: range } }))
                    .expect("a package");
            let (mut evidence, mut warnings) = (Vec::new(), Vec::new());
            let options = legacy_openssl(&package, 26, &mut evidence, &mut warnings);
            assert_eq!(
                options == "--openssl-legacy-provider",
                wanted,
                "{name} {range}"
            );
            assert_eq!(warnings.len(), usize::from(wanted), "{name} {range}");
        }
    }

    #[test]
    fn workspace_patterns() {
        assert!(glob("apps/*", "apps/web"));
        assert!(!glob("apps/*", "apps/web/nested"));
        assert!(glob("packages/**", "packages/a/b"));
        assert!(glob("./web/", "web"));
        assert!(glob("apps/site-*", "apps/site-docs"));
        assert!(!glob("!apps/legacy", "apps/legacy"));
    }
}

#[cfg(test)]
mod detect_tests {
    use super::*;

    /// Detects the Node.js app of a project made of `files`.
    fn run(files: &[(&str, &str)]) -> Outcome {
        let dir = tempfile::tempdir().expect("tempdir");
        for (path, text) in files {
            let path = dir.path().join(path);
            fs_err::create_dir_all(path.parent().expect("parent")).expect("dir");
            fs_err::write(path, text).expect("write");
        }
        let inventory = Inventory::scan(dir.path()).expect("scan");
        let text = read_text(dir.path(), "package.json").expect("read");
        let Ok(Value::Object(package)) = serde_json::from_str(&text) else {
            panic!("package.json is an object")
        };
        detect(dir.path(), &inventory, &package, None).expect("detects")
    }

    fn found(files: &[(&str, &str)]) -> Found {
        match run(files) {
            Outcome::Found(found) => found,
            other => panic!("not found: {other:?}"),
        }
    }

    fn refused(files: &[(&str, &str)]) -> Refusal {
        match run(files) {
            Outcome::Refused(refusal) => refusal,
            other => panic!("not refused: {other:?}"),
        }
    }

    fn vite(engines: &str) -> String {
        format!(
            r#"{{ "name": "web", "scripts": {{ "build": "vite build" }}, "devDependencies": {{ "vite": "6" }}{engines} }}"#
        )
    }

    const LOCK: (&str, &str) = ("package-lock.json", "{}");

    #[test]
    fn engines_gives_the_newest_supported_lts_it_allows() {
        for (range, major) in [
            (">=18 <25", "24"),
            (">=20", "26"),
            ("^22 || ^24", "24"),
            ("22.x", "22"),
        ] {
            let package = vite(&format!(r#", "engines": {{ "node": "{range}" }}"#));
            let found = found(&[("package.json", &package), LOCK]);
            assert_eq!(found.values["node_version"], json!(major), "{range}");
            assert!(found.warnings.is_empty(), "{range}: {:?}", found.warnings);
        }
    }

    #[test]
    fn an_end_of_life_line_is_used_only_when_asked_for_and_named() {
        let package = vite(r#", "engines": { "node": "^20.11" }"#);
        let found = found(&[("package.json", &package), LOCK]);
        assert_eq!(found.values["node_version"], json!("20"));
        assert!(
            found.warnings[0].contains("end of life since 2026-04-30"),
            "{:?}",
            found.warnings
        );
        // Nothing asked: the current LTS, never an end-of-life line.
        let found = super::detect_tests::found(&[("package.json", &vite("")), LOCK]);
        assert_eq!(found.values["node_version"], json!("26"));
    }

    #[test]
    fn version_files_come_before_engines_and_volta_first() {
        let package = vite(r#", "engines": { "node": ">=18" }"#);
        let found = found(&[
            ("package.json", &package),
            LOCK,
            (".node-version", "22.12.0\n"),
        ]);
        assert_eq!(found.values["node_version"], json!("22"));
        let package = vite(r#", "engines": { "node": ">=18" }, "volta": { "node": "24.1.0" }"#);
        let found =
            super::detect_tests::found(&[("package.json", &package), LOCK, (".nvmrc", "22\n")]);
        assert_eq!(found.values["node_version"], json!("24"));
        let found =
            super::detect_tests::found(&[("package.json", &vite("")), LOCK, (".nvmrc", "lts/*\n")]);
        assert_eq!(found.values["node_version"], json!("26"));
    }

    #[test]
    fn pnpm_11_needs_node_22_13() {
        let package =
            vite(r#", "packageManager": "pnpm@11.0.0", "engines": { "node": "~22.12.0" }"#);
        let found = found(&[
            ("package.json", &package),
            ("pnpm-lock.yaml", "lockfileVersion: '9.0'\n"),
        ]);
        assert_eq!(found.values["node_version"], json!("26"));
        assert!(
            found
                .warnings
                .iter()
                .any(|w| w.contains("pnpm 11 and later need Node.js 22.13.0")),
            "{:?}",
            found.warnings
        );
        let package =
            vite(r#", "packageManager": "pnpm@11.0.0", "engines": { "node": "^22.0.0" }"#);
        let found =
            super::detect_tests::found(&[("package.json", &package), ("pnpm-lock.yaml", "")]);
        assert_eq!(
            found.values["node_version"],
            json!("22"),
            "22.13 and later are in `^22`"
        );
    }

    #[test]
    fn two_lock_files_are_refused_unless_package_manager_decides() {
        let refusal = refused(&[("package.json", &vite("")), LOCK, ("yarn.lock", "")]);
        assert!(
            refusal
                .reason
                .contains("`package-lock.json` (npm), `yarn.lock` (yarn)"),
            "{refusal:?}"
        );
        assert!(refusal.fix.contains("packageManager"), "{refusal:?}");
        let package = vite(r#", "packageManager": "yarn@1.22.22""#);
        let found = found(&[("package.json", &package), LOCK, ("yarn.lock", "")]);
        assert_eq!(found.values["package_manager"], json!("yarn"));
        assert!(
            found.warnings[0].contains("`package-lock.json` left over"),
            "{:?}",
            found.warnings
        );
    }

    #[test]
    fn no_lock_file_installs_with_a_warning() {
        let found = found(&[("package.json", &vite(""))]);
        assert_eq!(
            found.values["install_command"],
            json!("npm install --no-audit --no-fund")
        );
        assert!(
            found.warnings[0].contains("not reproducible"),
            "{:?}",
            found.warnings
        );
    }

    #[test]
    fn a_computed_out_dir_is_named_and_the_default_used() {
        let found = found(&[
            ("package.json", &vite("")),
            LOCK,
            (
                "vite.config.ts",
                "export default { build: { outDir: resolve(__dirname, 'out') } }\n",
            ),
        ]);
        assert_eq!(found.values["output_dir"], json!("dist"));
        assert!(
            found.warnings[0].contains("computes outDir (`resolve(__dirname, 'out')`)"),
            "{:?}",
            found.warnings
        );
    }

    #[test]
    fn server_builds_and_unbuilt_generators_are_refused() {
        let astro = r#"{ "name": "a", "scripts": { "build": "astro build" }, "dependencies": { "astro": "5" } }"#;
        let refusal = refused(&[
            ("package.json", astro),
            LOCK,
            (
                "astro.config.mjs",
                "export default defineConfig({ output: 'server', adapter: node() })\n",
            ),
        ]);
        assert!(refusal.reason.contains("`output: 'server'`"), "{refusal:?}");
        let kit = r#"{ "name": "k", "scripts": { "build": "vite build" }, "devDependencies": { "@sveltejs/kit": "2", "vite": "6" } }"#;
        let refusal = refused(&[
            ("package.json", kit),
            LOCK,
            (
                "svelte.config.js",
                "import adapter from '@sveltejs/adapter-auto';\n",
            ),
        ]);
        assert!(refusal.reason.contains("`adapter-auto`"), "{refusal:?}");
        assert!(
            refusal.fix.contains("@sveltejs/adapter-static"),
            "{refusal:?}"
        );
        let docs = r#"{ "name": "d", "scripts": { "start": "docusaurus start" }, "dependencies": { "@docusaurus/core": "3" } }"#;
        let refusal = refused(&[("package.json", docs), LOCK]);
        assert_eq!(
            refusal.fix,
            "add `\"build\": \"docusaurus build\"` to `scripts` in `package.json`"
        );
    }

    #[test]
    fn an_nx_app_with_its_tools_at_the_root_is_found() {
        let root = r#"{ "name": "org", "devDependencies": { "nx": "20", "@angular/cli": "19", "@angular/build": "19" } }"#;
        let project = r#"{ "name": "crm", "projectType": "application", "targets": { "build": { "executor": "@angular/build:application", "options": { "outputPath": "dist/apps/crm" } } } }"#;
        let found = found(&[
            ("package.json", root),
            LOCK,
            ("nx.json", "{}"),
            ("apps/crm/project.json", project),
            (
                "libs/ui/project.json",
                r#"{ "name": "ui", "projectType": "library", "targets": { "build": {} } }"#,
            ),
        ]);
        assert_eq!(
            found.values["build_command"],
            json!("npx --no-install nx build crm")
        );
        assert_eq!(found.values["output_dir"], json!("dist/apps/crm/browser"));
        assert_eq!(found.values["spa"], json!(true));
    }

    #[test]
    fn npmrc_with_a_credential_is_not_copied() {
        let found = found(&[
            ("package.json", &vite("")),
            LOCK,
            (".npmrc", "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n"),
        ]);
        assert_eq!(
            found.values["install_files"],
            json!("package.json package-lock.json")
        );
        assert!(
            found.warnings[0].contains("build secret"),
            "{:?}",
            found.warnings
        );
    }
}
