//! The `nginx` detector: static sites and single-page apps.
//!
//! In order: the sources of a non-Node static-site generator (Jekyll, Hugo, `MkDocs`: see
//! [`super::generators`]) unless a `Staticfile` says what to serve; a `package.json` at the root with a `build` script is a single-page app (built
//! by node, served by nginx), whether or not an `index.html` is also there; else a
//! `Staticfile` at the root (its `root:` line names the folder served); else an `index.html`
//! in `dist/`, `build/`, `public/`, `_site/`, `www/` or the root, first found in that order
//! (build output before sources, the root last). An `index.html` that starts with front
//! matter is the template of a generator, never a page: the project is refused.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde_json::{Map, Value, json};

use super::dotnet::normalize;
use super::generators;
use super::walk::Inventory;
use super::{DetectError, Evidence, Found, Outcome, Skipped, read_text};

/// What the detector looks for, for `looked_for` and errors.
pub(crate) const LOOKED_FOR: &str = "`index.html` at the root or in `public/`, `dist/`, `build/`, `www/`, `_site/`, \
a `Staticfile`, a `package.json` with a `build` script, or the sources of a Jekyll, Hugo or MkDocs site";

/// Static site folders, in order of preference.
const SITE_DIRS: &[&str] = &["dist", "build", "public", "_site", "www", "."];

/// The keys of the pack's values: every outcome fills them all (`null` when they do not apply).
const VALUE_KEYS: &[&str] = &[
    "spa",
    "site_dir",
    "build_command",
    "package_manager",
    "output_dir",
    "node_version",
    "generator",
    "generator_image",
    "generator_dependencies",
];

/// Runs the detector.
pub(crate) fn detect(
    root: &Path,
    inventory: &Inventory,
) -> Result<(Outcome, Vec<Skipped>), DetectError> {
    let (mut outcome, skipped) = if inventory.has("Staticfile") {
        detect_site(root, inventory)?
    } else if let Some(outcome) = generators::detect(root, inventory)? {
        (outcome, Vec::new())
    } else {
        detect_site(root, inventory)?
    };
    if let Outcome::Found(found) = &mut outcome {
        for key in VALUE_KEYS {
            found.values.entry((*key).to_owned()).or_insert(Value::Null);
        }
    }
    Ok((outcome, skipped))
}

/// Detects a site served as it is, or a single-page app built by node.
fn detect_site(root: &Path, inventory: &Inventory) -> Result<(Outcome, Vec<Skipped>), DetectError> {
    let mut skipped = Vec::new();
    let mut package = None;
    if inventory.has("package.json") {
        let text = read_text(root, "package.json")?;
        match serde_json::from_str::<Value>(&text) {
            Ok(Value::Object(map)) => package = Some(map),
            Ok(_) => skipped.push(Skipped {
                path: "package.json".to_owned(),
                reason: "not a JSON object".to_owned(),
            }),
            Err(error) => skipped.push(Skipped {
                path: "package.json".to_owned(),
                reason: format!("cannot be parsed: {error}"),
            }),
        }
    }
    if let Some(package) = &package
        && let Some(build) = package
            .get("scripts")
            .and_then(|scripts| scripts.get("build"))
            .and_then(Value::as_str)
    {
        return Ok((
            Outcome::Found(spa(root, inventory, package, build)?),
            skipped,
        ));
    }
    let app_name = package
        .as_ref()
        .and_then(|package| package.get("name"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let mut evidence = Vec::new();
    if let Some(package) = &package {
        let has_scripts = package
            .get("scripts")
            .is_some_and(|scripts| scripts.as_object().is_some_and(|map| !map.is_empty()));
        evidence.push(Evidence::new(
            "package.json",
            if has_scripts {
                "no `build` script: served as is"
            } else {
                "no scripts: served as is"
            },
        ));
    }
    if inventory.has("Staticfile") {
        let text = read_text(root, "Staticfile")?;
        let root_line = text.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            (key.trim() == "root").then(|| {
                value
                    .trim()
                    .trim_matches(['"', '\''])
                    .trim_end_matches('/')
                    .to_owned()
            })
        });
        let site_dir = if let Some(dir) = root_line.as_deref() {
            if let Some(dir) = normalize(dir) {
                evidence.push(Evidence::new("Staticfile", format!("root: {dir}")));
                dir
            } else {
                evidence.push(Evidence::new(
                    "Staticfile",
                    format!("root: {dir} (outside the project: `.` is used)"),
                ));
                ".".to_owned()
            }
        } else {
            evidence.push(Evidence::new(
                "Staticfile",
                "no `root:` line: the project root is served",
            ));
            ".".to_owned()
        };
        return Ok((
            Outcome::Found(static_site(&site_dir, evidence, app_name)),
            skipped,
        ));
    }
    let found: Vec<&str> = SITE_DIRS
        .iter()
        .copied()
        .filter(|dir| inventory.has(&index_of(dir)))
        .collect();
    let Some(first) = found.first() else {
        return Ok((
            Outcome::NotFound {
                reason: format!("found none of: {LOOKED_FOR}"),
            },
            skipped,
        ));
    };
    if generators::has_front_matter(root, &index_of(first))? {
        return Ok((
            Outcome::Refused {
                summary: "the sources of a generated site".to_owned(),
                evidence: vec![Evidence::new(
                    index_of(first),
                    "starts with front matter (`---`): a template, not a page",
                )],
                reason: format!(
                    "`{}` is the template of a static-site generator, not a page",
                    index_of(first)
                ),
                fix: "build the site with its generator and serve the output folder: commit a `Staticfile` \
with `root: FOLDER` (Jekyll, Hugo and MkDocs sites are built by paas when their config is found)"
                    .to_owned(),
            },
            skipped,
        ));
    }
    let served = if *first == "." {
        "the root".to_owned()
    } else {
        format!("`{first}`")
    };
    evidence.push(Evidence::new(
        index_of(first),
        format!("index page: {served} is served"),
    ));
    if found.len() > 1 {
        let others: Vec<String> = found[1..]
            .iter()
            .map(|dir| format!("`{}`", index_of(dir)))
            .collect();
        evidence.push(Evidence::new(
            index_of(first),
            format!(
                "preferred over {} (order: dist, build, public, _site, www, root)",
                others.join(", ")
            ),
        ));
    }
    Ok((
        Outcome::Found(static_site(first, evidence, app_name)),
        skipped,
    ))
}

fn index_of(dir: &str) -> String {
    if dir == "." {
        "index.html".to_owned()
    } else {
        format!("{dir}/index.html")
    }
}

fn static_site(site_dir: &str, evidence: Vec<Evidence>, app_name: Option<String>) -> Found {
    let mut values = BTreeMap::new();
    values.insert("spa".to_owned(), json!(false));
    values.insert("site_dir".to_owned(), json!(site_dir));
    values.insert("build_command".to_owned(), Value::Null);
    values.insert("package_manager".to_owned(), Value::Null);
    values.insert("output_dir".to_owned(), Value::Null);
    values.insert("node_version".to_owned(), Value::Null);
    Found {
        summary: format!("static site in `{site_dir}`"),
        evidence,
        values,
        app_name,
        project: None,
        jexus_site_config: false,
    }
}

fn spa(
    root: &Path,
    inventory: &Inventory,
    package: &Map<String, Value>,
    build: &str,
) -> Result<Found, DetectError> {
    let mut evidence = vec![Evidence::new(
        "package.json",
        format!("scripts.build = {build}"),
    )];
    let name = package
        .get("name")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let has_dependency = |wanted: &str| {
        ["dependencies", "devDependencies"].iter().any(|section| {
            package
                .get(*section)
                .and_then(|deps| deps.get(wanted))
                .is_some()
        })
    };
    let (tool, output_dir) = if let Some(dependency) = [
        "@angular/cli",
        "@angular/build",
        "@angular-devkit/build-angular",
    ]
    .into_iter()
    .find(|dep| has_dependency(dep))
    {
        let (output_dir, fact) = angular_output(root, inventory, name.as_deref())?;
        evidence.push(Evidence::new(
            "package.json",
            format!("dependency `{dependency}`: Angular"),
        ));
        if let Some(fact) = fact {
            evidence.push(Evidence::new("angular.json", fact));
        }
        ("Angular", output_dir)
    } else if let Some((dependency, tool, dir)) = [
        ("react-scripts", "Create React App", "build"),
        ("vite", "Vite", "dist"),
        ("@vue/cli-service", "Vue CLI", "dist"),
    ]
    .into_iter()
    .find(|(dep, _, _)| has_dependency(dep))
    {
        evidence.push(Evidence::new(
            "package.json",
            format!("dependency `{dependency}`: output in `{dir}`"),
        ));
        (tool, dir.to_owned())
    } else {
        evidence.push(Evidence::new(
            "package.json",
            "no known build tool among the dependencies: output in `dist` assumed",
        ));
        ("", "dist".to_owned())
    };
    let (package_manager, lock_fact) = package_manager(inventory, package);
    evidence.push(lock_fact);
    let build_command = match package_manager {
        "yarn" => "yarn build",
        "pnpm" => "pnpm build",
        _ => "npm run build",
    };
    let node_version = node_version(root, inventory, package, &mut evidence)?;
    if inventory.has("index.html") {
        evidence.push(Evidence::new("index.html", "entry page of the build"));
    }
    let mut values = BTreeMap::new();
    values.insert("spa".to_owned(), json!(true));
    values.insert("site_dir".to_owned(), json!(output_dir));
    values.insert("build_command".to_owned(), json!(build_command));
    values.insert("package_manager".to_owned(), json!(package_manager));
    values.insert("output_dir".to_owned(), json!(output_dir));
    values.insert("node_version".to_owned(), json!(node_version));
    let what = if tool.is_empty() {
        "single-page app".to_owned()
    } else {
        format!("{tool} single-page app")
    };
    let named = name
        .as_ref()
        .map(|name| format!(" `{name}`"))
        .unwrap_or_default();
    Ok(Found {
        summary: format!("{what}{named}, built with `{build_command}` into `{output_dir}`"),
        evidence,
        values,
        app_name: name,
        project: None,
        jexus_site_config: false,
    })
}

/// Returns the Angular output folder and what `angular.json` said about it.
fn angular_output(
    root: &Path,
    inventory: &Inventory,
    package_name: Option<&str>,
) -> Result<(String, Option<String>), DetectError> {
    let fallback = format!("dist/{}", package_name.unwrap_or("app"));
    if !inventory.has("angular.json") {
        return Ok((fallback, None));
    }
    let text = read_text(root, "angular.json")?;
    let Ok(json) = serde_json::from_str::<Value>(&text) else {
        return Ok((
            fallback.clone(),
            Some(format!("cannot be parsed: `{fallback}` assumed")),
        ));
    };
    let projects = json.get("projects").and_then(Value::as_object);
    let name = json
        .get("defaultProject")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| projects.and_then(|projects| projects.keys().next().cloned()));
    let Some(name) = name else {
        return Ok((
            fallback.clone(),
            Some(format!("no project: `{fallback}` assumed")),
        ));
    };
    let build = projects
        .and_then(|projects| projects.get(&name))
        .and_then(|project| project.pointer("/architect/build"));
    let builder = build
        .and_then(|build| build.get("builder"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    let application = builder.ends_with(":application");
    let output = build.and_then(|build| build.pointer("/options/outputPath"));
    let dir = match output {
        Some(Value::String(path)) if application => {
            format!("{}/browser", path.trim_end_matches('/'))
        }
        Some(Value::String(path)) => path.trim_end_matches('/').to_owned(),
        Some(Value::Object(paths)) => {
            let base = paths
                .get("base")
                .and_then(Value::as_str)
                .unwrap_or("dist")
                .trim_end_matches('/');
            match paths
                .get("browser")
                .and_then(Value::as_str)
                .unwrap_or("browser")
            {
                "" => base.to_owned(),
                browser => format!("{base}/{browser}"),
            }
        }
        _ if application => format!("dist/{name}/browser"),
        _ => format!("dist/{name}"),
    };
    let mut fact = format!("project `{name}`");
    if !builder.is_empty() {
        let _ = write!(fact, ", builder `{builder}`");
    }
    let _ = write!(fact, ": output in `{dir}`");
    Ok((dir, Some(fact)))
}

/// Returns the package manager and the fact that decided it.
fn package_manager(
    inventory: &Inventory,
    package: &Map<String, Value>,
) -> (&'static str, Evidence) {
    if let Some(declared) = package.get("packageManager").and_then(Value::as_str) {
        for manager in ["pnpm", "yarn", "npm"] {
            if declared.starts_with(&format!("{manager}@")) {
                return (
                    manager,
                    Evidence::new("package.json", format!("packageManager = {declared}")),
                );
            }
        }
    }
    for (lock, manager) in [
        ("pnpm-lock.yaml", "pnpm"),
        ("yarn.lock", "yarn"),
        ("package-lock.json", "npm"),
    ] {
        if inventory.has(lock) {
            return (
                manager,
                Evidence::new(lock, format!("lock file of {manager}")),
            );
        }
    }
    (
        "npm",
        Evidence::new("package.json", "no lock file: npm is used"),
    )
}

/// Returns the node major version from `.nvmrc`, else `engines.node`.
fn node_version(
    root: &Path,
    inventory: &Inventory,
    package: &Map<String, Value>,
    evidence: &mut Vec<Evidence>,
) -> Result<Option<String>, DetectError> {
    if inventory.has(".nvmrc") {
        let text = read_text(root, ".nvmrc")?;
        let line = text.lines().next().unwrap_or_default().trim().to_owned();
        if let Some(major) = major_of(&line) {
            evidence.push(Evidence::new(".nvmrc", format!("node {line}")));
            return Ok(Some(major));
        }
        evidence.push(Evidence::new(
            ".nvmrc",
            format!("`{line}` names no version number"),
        ));
    }
    if let Some(range) = package
        .get("engines")
        .and_then(|engines| engines.get("node"))
        .and_then(Value::as_str)
        && let Some(major) = major_of(range)
    {
        evidence.push(Evidence::new(
            "package.json",
            format!("engines.node = {range}"),
        ));
        return Ok(Some(major));
    }
    Ok(None)
}

/// Returns the first run of digits: `v20.11.1` → `20`, `>=18 <21` → `18`.
fn major_of(text: &str) -> Option<String> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let digits: String = text[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    Some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_node_majors() {
        assert_eq!(major_of("v20.11.1").as_deref(), Some("20"));
        assert_eq!(major_of(">=18 <21").as_deref(), Some("18"));
        assert_eq!(major_of("^22.1").as_deref(), Some("22"));
        assert_eq!(major_of("lts/iron"), None);
    }
}
