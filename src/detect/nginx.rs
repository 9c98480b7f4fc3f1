//! The `nginx` detector: static sites and single-page apps.
//!
//! In order: the sources of a non-Node static-site generator (Jekyll, Hugo, `MkDocs`: see
//! [`super::generators`]) unless a `Staticfile` says what to serve; a `package.json` at the root
//! with a `build` script, a known build tool or site generator, or a workspace is a Node.js build
//! (see [`super::node`]), whether or not an `index.html` is also there; else a
//! `Staticfile` at the root (its `root:` line names the folder served); else an `index.html`
//! in `dist/`, `build/`, `public/`, `_site/`, `www/` or the root, first found in that order
//! (build output before sources, the root last). An `index.html` that starts with front
//! matter is the template of a generator, never a page: the project is refused.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Value, json};

use super::dotnet::normalize;
use super::generators;
use super::walk::Inventory;
use super::{DetectError, Evidence, Found, Outcome, Refusal, Skipped, read_text};

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
    project: Option<&str>,
) -> Result<(Outcome, Vec<Skipped>), DetectError> {
    let (mut outcome, skipped) = if inventory.has("Staticfile") {
        detect_site(root, inventory, project)?
    } else if let Some(outcome) = generators::detect(root, inventory)? {
        (outcome, Vec::new())
    } else {
        detect_site(root, inventory, project)?
    };
    if let Outcome::Found(found) = &mut outcome {
        for key in VALUE_KEYS {
            found.values.entry((*key).to_owned()).or_insert(Value::Null);
        }
    }
    Ok((outcome, skipped))
}

/// Detects a site served as it is, or a single-page app built by node.
fn detect_site(
    root: &Path,
    inventory: &Inventory,
    project: Option<&str>,
) -> Result<(Outcome, Vec<Skipped>), DetectError> {
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
        && super::node::applies(inventory, package)
    {
        return Ok((
            super::node::detect(root, inventory, package, project)?,
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
            Outcome::Refused(Refusal {
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
            }),
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
    values.insert("install_command".to_owned(), Value::Null);
    values.insert("install_files".to_owned(), Value::Null);
    values.insert("node_options".to_owned(), Value::Null);
    Found {
        summary: format!("static site in `{site_dir}`"),
        evidence,
        values,
        app_name,
        project: None,
        jexus_site_config: false,
        warnings: Vec::new(),
    }
}
