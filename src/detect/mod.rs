//! Project detection: which pack fits a project, and the values its templates need.
//!
//! [`detect`] is a pure function over the filesystem. It walks the project once (honouring
//! `.gitignore`, skipping `.git`, `node_modules`, `bin`, `obj` and `target`), runs the
//! detector of every pack (the built-in `dotnet`, `jexus` and `nginx` detectors, or marker
//! files for packs without one), and picks the match with the highest priority. The result
//! explains itself: the files and values read, the other packs that matched and why they lost,
//! and what was set aside (test projects, class libraries…).
//!
//! It never prints, never prompts and knows nothing of the command line: the caller turns
//! `--pack` and `--project` into [`DetectOptions`], and turns errors into messages with hints.
//!
//! Choices made here:
//! - Worker and console .NET apps are never chosen: they serve no HTTP, so the standard
//!   Service, Ingress and HTTP probes would not fit them. They are listed in `skipped`.
//! - When the root holds neither a `*.sln` nor a `*.csproj`, every `*.csproj` of the tree is
//!   considered (up to the walk depth).
//! - A marker pack's markers are checked on the filesystem directly, not through the walk.
//! - The values of a pack always have the same keys; what does not apply is `null`.
//! - Tests that need an empty project create it in a temporary folder: git cannot store an
//!   empty fixture folder.

mod dotnet;
mod error;
mod generators;
mod jexus;
mod markers;
mod msbuild;
mod nginx;
mod node;
mod walk;

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

pub use error::{AmbiguityKind, Candidate, DetectError};

use crate::pack::manifest::PackManifest;

/// Choices the user made ahead of detection.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DetectOptions {
    /// The pack to use, by name, instead of the best match (`--pack`).
    pub pack: Option<String>,
    /// The project to deploy (`--project`): a project file path relative to the root
    /// (`src/Web/Web.csproj`, `\` accepted), a project folder, or a project or assembly name.
    pub project: Option<String>,
}

/// What detection found, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Detection {
    /// The chosen pack's name.
    pub pack: String,
    /// One line describing the project: ``ASP.NET Core web app `Shop.Web` (net8.0)``.
    pub summary: String,
    /// The files and the values read from them, in the order they were read.
    pub evidence: Vec<Evidence>,
    /// The variables for the pack templates, named as in the pack's `pack.toml`. Each
    /// detector always fills the same keys; `null` means nothing was read (or it does not
    /// apply in this mode): the caller keeps the pack's default.
    pub values: BTreeMap<String, serde_json::Value>,
    /// A suggested app name (assembly name, `package.json` name…), as found: the caller
    /// turns it into a DNS-1123 label.
    pub app_name: Option<String>,
    /// Other packs that matched, and why they were not chosen.
    pub alternatives: Vec<Alternative>,
    /// Things looked at and set aside, with the reason, sorted by path.
    pub skipped: Vec<Skipped>,
    /// What each pack's detector looks for, one line per pack (highest priority first).
    pub looked_for: Vec<String>,
    /// What the user should know before building: a choice paas had to guess, a build
    /// that is not reproducible, an end-of-life toolchain.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// One fact read from one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// The file, relative to the project root, `/`-separated.
    pub path: String,
    /// What was read there: `Sdk = Microsoft.NET.Sdk.Web`.
    pub fact: String,
    /// Whether the fact is also a warning: [`Detection::warnings`] repeats it, the one list the
    /// user is shown.
    #[serde(skip)]
    pub warning: bool,
}

impl Evidence {
    pub(crate) fn new(path: impl Into<String>, fact: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            fact: fact.into(),
            warning: false,
        }
    }

    /// A fact the user must see: `init` prints it as a warning.
    pub(crate) fn warning(path: impl Into<String>, fact: impl Into<String>) -> Self {
        Self {
            warning: true,
            ..Self::new(path, fact)
        }
    }
}

/// A pack that matched too but was not chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alternative {
    /// The pack's name.
    pub pack: String,
    /// What it would have deployed.
    pub summary: String,
    /// Why it was not chosen.
    pub reason: String,
}

/// Something detection looked at and set aside.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Skipped {
    /// The file or folder, relative to the project root, `/`-separated.
    pub path: String,
    /// Why it was set aside.
    pub reason: String,
}

/// What one detector concluded, before packs are compared.
#[derive(Debug, Clone)]
pub(crate) enum Outcome {
    /// It found exactly one thing to deploy.
    Found(Found),
    /// It found several projects and cannot choose.
    Ambiguous {
        /// The solution they all come from, if any.
        scope: Option<String>,
        /// The projects.
        candidates: Vec<Candidate>,
    },
    /// It found the project but it cannot be served as detected (a server framework, an
    /// unbuilt generator): detection fails with the change to make.
    Refused(Refusal),
    /// It found nothing.
    NotFound {
        /// What it looked for, and what it set aside.
        reason: String,
    },
}

/// A detector's match.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub(crate) summary: String,
    pub(crate) evidence: Vec<Evidence>,
    pub(crate) values: BTreeMap<String, serde_json::Value>,
    pub(crate) app_name: Option<String>,
    /// The project chosen (left out of `skipped`).
    pub(crate) project: Option<String>,
    /// Set by the `jexus` detector when a Jexus site config made it match.
    pub(crate) jexus_site_config: bool,
    /// See [`Detection::warnings`].
    pub(crate) warnings: Vec<String>,
}

/// Why a project a detector recognised cannot be deployed as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    /// What was recognised: ``Next.js app `shop` ``.
    pub(crate) summary: String,
    /// The files that show it (empty when the summary and reason name them).
    pub(crate) evidence: Vec<Evidence>,
    /// Why it cannot be served, naming the file read.
    pub(crate) reason: String,
    /// The change that makes it deployable.
    pub(crate) fix: String,
}

/// One pack with its detector's outcome.
struct PackResult<'a> {
    manifest: &'a PackManifest,
    outcome: Outcome,
}

/// Reads a text file of the project (`path` relative to `root`), without a UTF-8 BOM.
pub(crate) fn read_text(root: &Path, path: &str) -> Result<String, DetectError> {
    let bytes = crate::files::Root::project(root)
        .read(Path::new(path))
        .map_err(|source| DetectError::Read {
            path: root.join(path),
            source,
        })?;
    let text = String::from_utf8_lossy(&bytes);
    Ok(text.strip_prefix('\u{feff}').unwrap_or(&text).to_owned())
}

/// Detects which of `packs` fits the project in `root`, and reads the values its
/// templates need.
///
/// The pack with the highest priority among those whose detector matches is chosen; the
/// others that matched become [`Detection::alternatives`]. `opts.pack` forces a pack (its
/// detector must still find what it reads values from); `opts.project` picks one project
/// among several.
///
/// # Errors
///
/// - [`DetectError::NotADirectory`] when `root` is not a directory;
/// - [`DetectError::Read`] and [`DetectError::Walk`] when the tree or a file cannot be read;
/// - [`DetectError::UnknownPack`] when `opts.pack` is not in `packs`;
/// - [`DetectError::ProjectNotFound`] or [`DetectError::ProjectNotEligible`] when
///   `opts.project` names no deployable project;
/// - [`DetectError::PackDoesNotMatch`] when the forced pack finds nothing;
/// - [`DetectError::NothingFound`] when no pack matches;
/// - [`DetectError::Ambiguous`] when several projects, or several packs of the same
///   priority, fit.
pub fn detect(
    root: &Path,
    packs: &[PackManifest],
    opts: &DetectOptions,
) -> Result<Detection, DetectError> {
    if !root.is_dir() {
        return Err(DetectError::NotADirectory {
            path: root.to_path_buf(),
        });
    }
    if let Some(name) = &opts.pack
        && !packs.iter().any(|pack| &pack.name == name)
    {
        let mut available: Vec<String> = packs.iter().map(|pack| pack.name.clone()).collect();
        available.sort();
        available.dedup();
        return Err(DetectError::UnknownPack {
            name: name.clone(),
            available,
        });
    }
    let mut ordered: Vec<&PackManifest> = packs.iter().collect();
    ordered.sort_by(|a, b| {
        b.detect
            .priority
            .cmp(&a.detect.priority)
            .then_with(|| a.name.cmp(&b.name))
    });
    let looked_for: Vec<String> = ordered
        .iter()
        .map(|pack| format!("{}: {}", pack.name, describe(pack)))
        .collect();

    let inventory = walk::Inventory::scan(root)?;
    let uses = |detector: &str| {
        ordered
            .iter()
            .any(|pack| pack.detect.detector.as_deref() == Some(detector))
    };
    let dotnet_scan = if uses("dotnet") || uses("jexus") {
        dotnet::DotnetScan::new(root, &inventory)?
    } else {
        dotnet::DotnetScan::default()
    };
    let (classic_scan, configs) = if uses("jexus") {
        (
            jexus::classic_sites(root, &inventory, &dotnet_scan)?,
            jexus::site_configs(root, &inventory)?,
        )
    } else {
        (jexus::ClassicScan::default(), Vec::new())
    };
    let classic = &classic_scan.sites;
    let pinned = match &opts.project {
        Some(wanted) => {
            match resolve_project(root, &inventory, &dotnet_scan, classic, &ordered, wanted) {
                Ok(key) => Some(key),
                // `--project` may name an app of a Node.js workspace: the nginx detector reads it.
                Err(DetectError::ProjectNotFound { .. })
                    if uses("nginx") && inventory.has("package.json") =>
                {
                    None
                }
                Err(error) => return Err(error),
            }
        }
        None => None,
    };
    let pinned = pinned.as_deref();

    let mut skipped: Vec<Skipped> = inventory.unreadable.clone();
    if uses("dotnet") || uses("jexus") {
        skipped.extend(dotnet_scan.all_skipped());
        // The `jexus` detector knows better why an old-style project is not a site.
        let set_aside = &classic_scan.set_aside;
        skipped.retain(|entry| !set_aside.iter().any(|aside| aside.path == entry.path));
        skipped.extend(set_aside.iter().cloned());
    }
    if let Some(pinned) = pinned {
        let others = dotnet_scan
            .web_projects(None)
            .map(|project| project.path.as_str())
            .chain(classic.iter().map(jexus::ClassicSite::key))
            .filter(|key| *key != pinned);
        for other in others {
            skipped.push(Skipped {
                path: other.to_owned(),
                reason: format!("another web project: `{pinned}` was asked for"),
            });
        }
    }
    let mut results = Vec::new();
    let mut nginx_done = false;
    for pack in &ordered {
        let forced = opts.pack.as_deref() == Some(pack.name.as_str());
        let outcome = match pack.detect.detector.as_deref() {
            Some("dotnet") => dotnet::detect(root, &inventory, &dotnet_scan, &pack.name, pinned)?,
            Some("jexus") => {
                let (outcome, more) = jexus::detect(
                    root,
                    &inventory,
                    &dotnet_scan,
                    classic,
                    &configs,
                    &pack.name,
                    pinned,
                    forced,
                )?;
                skipped.extend(more);
                outcome
            }
            Some("nginx") => {
                let (mut outcome, more) = nginx::detect(root, &inventory, opts.project.as_deref())?;
                if let Outcome::Ambiguous { candidates, .. } = &mut outcome {
                    for candidate in candidates {
                        candidate.pack.clone_from(&pack.name);
                    }
                }
                if !nginx_done {
                    skipped.extend(more);
                    nginx_done = true;
                }
                outcome
            }
            Some(other) => Outcome::NotFound {
                reason: format!("unknown detector `{other}`"),
            },
            None => markers::detect(root, &pack.name, &pack.detect.markers),
        };
        results.push(PackResult {
            manifest: pack,
            outcome,
        });
    }
    choose(root, &results, opts, skipped, looked_for).map_err(|error| match error {
        DetectError::NothingFound {
            root, looked_for, ..
        } => DetectError::NothingFound {
            root,
            looked_for,
            nearby: nearby(&inventory),
        },
        other => other,
    })
}

/// Files one folder below the root that start a project of some pack (a `package.json`, an
/// `index.html`): when nothing matches at the root, the project may be one of those folders.
fn nearby(inventory: &walk::Inventory) -> Vec<String> {
    inventory
        .files
        .iter()
        .filter(|path| {
            path.matches('/').count() == 1
                && matches!(walk::file_name(path), "package.json" | "index.html")
        })
        .cloned()
        .collect()
}

/// Says what a pack's detector looks for.
fn describe(pack: &PackManifest) -> String {
    match pack.detect.detector.as_deref() {
        Some("dotnet") => dotnet::LOOKED_FOR.to_owned(),
        Some("jexus") => jexus::LOOKED_FOR.to_owned(),
        Some("nginx") => nginx::LOOKED_FOR.to_owned(),
        Some(other) => format!("nothing (unknown detector `{other}`)"),
        None => markers::looked_for(&pack.detect.markers),
    }
}

/// Finds the project `wanted` names among the .NET projects and classic sites; returns the
/// key the detectors filter on (the project path, or the site folder).
fn resolve_project(
    root: &Path,
    inventory: &walk::Inventory,
    scan: &dotnet::DotnetScan,
    classic: &[jexus::ClassicSite],
    ordered: &[&PackManifest],
    wanted: &str,
) -> Result<String, DetectError> {
    let normalized = wanted.replace('\\', "/");
    let normalized = normalized.trim_start_matches("./").trim_end_matches('/');
    let pack_for = |detector: &str| {
        ordered
            .iter()
            .find(|pack| pack.detect.detector.as_deref() == Some(detector))
            .map_or_else(|| detector.to_owned(), |pack| pack.name.clone())
    };
    let mut matching: Vec<(String, Option<String>)> = Vec::new(); // (key, reason when not eligible)
    for site in classic.iter().filter(|site| site.is_called(normalized)) {
        matching.push((site.key().to_owned(), None));
    }
    for project in scan
        .projects
        .iter()
        .filter(|project| project.is_called(normalized))
    {
        if matching.iter().any(|(key, _)| key == &project.path) {
            continue;
        }
        let reason = match &project.kind {
            dotnet::Kind::Web => None,
            dotnet::Kind::Classic { .. } => {
                Some("old-style .NET Framework project without a site".to_owned())
            }
            dotnet::Kind::Other(reason) => Some(reason.clone()),
        };
        matching.push((project.path.clone(), reason));
    }
    let eligible: Vec<&(String, Option<String>)> = matching
        .iter()
        .filter(|(_, reason)| reason.is_none())
        .collect();
    match (eligible.as_slice(), matching.as_slice()) {
        ([(key, _)], _) => Ok(key.clone()),
        ([], [(key, Some(reason))]) => Err(DetectError::ProjectNotEligible {
            project: key.clone(),
            reason: reason.clone(),
        }),
        ([], _) => {
            let mut candidates = Vec::new();
            for site in classic {
                candidates.push(Candidate {
                    pack: pack_for("jexus"),
                    project: Some(site.key().to_owned()),
                    summary: site.summary(),
                });
            }
            for project in scan.web_projects(None) {
                let read = dotnet::WebProject::read(root, inventory, scan, project)?;
                candidates.push(Candidate {
                    pack: pack_for("dotnet"),
                    project: Some(project.path.clone()),
                    summary: read.summary(),
                });
            }
            candidates.sort_by(|a, b| a.project.cmp(&b.project));
            Err(DetectError::ProjectNotFound {
                project: wanted.to_owned(),
                candidates,
            })
        }
        (several, _) => {
            let mut candidates = Vec::new();
            for (key, _) in several {
                let summary = match scan.projects.iter().find(|project| &project.path == key) {
                    Some(project) => {
                        dotnet::WebProject::read(root, inventory, scan, project)?.summary()
                    }
                    None => classic
                        .iter()
                        .find(|site| site.key() == key)
                        .map(jexus::ClassicSite::summary)
                        .unwrap_or_default(),
                };
                let pack = if classic.iter().any(|site| site.key() == key) {
                    pack_for("jexus")
                } else {
                    pack_for("dotnet")
                };
                candidates.push(Candidate {
                    pack,
                    project: Some(key.clone()),
                    summary,
                });
            }
            Err(DetectError::Ambiguous {
                root: root.to_path_buf(),
                what: AmbiguityKind::Project,
                scope: None,
                candidates,
            })
        }
    }
}

/// Compares the packs' outcomes and builds the result.
fn choose(
    root: &Path,
    results: &[PackResult<'_>],
    opts: &DetectOptions,
    mut skipped: Vec<Skipped>,
    looked_for: Vec<String>,
) -> Result<Detection, DetectError> {
    let matched: Vec<&PackResult<'_>> = results
        .iter()
        .filter(|result| !matches!(result.outcome, Outcome::NotFound { .. }))
        .collect();
    let chosen: &PackResult<'_> = if let Some(name) = &opts.pack {
        let Some(result) = results.iter().find(|result| &result.manifest.name == name) else {
            return Err(DetectError::UnknownPack {
                name: name.clone(),
                available: Vec::new(),
            });
        };
        if let Outcome::NotFound { reason } = &result.outcome {
            return Err(DetectError::PackDoesNotMatch {
                pack: name.clone(),
                reason: reason.clone(),
            });
        }
        result
    } else {
        // `results` is sorted by priority (highest first), then name.
        let Some(best) = matched.first() else {
            return Err(DetectError::NothingFound {
                root: root.to_path_buf(),
                looked_for,
                nearby: Vec::new(),
            });
        };
        let tied: Vec<&&PackResult<'_>> = matched
            .iter()
            .filter(|result| result.manifest.detect.priority == best.manifest.detect.priority)
            .collect();
        if tied.len() > 1 {
            let candidates = tied
                .iter()
                .map(|result| Candidate {
                    pack: result.manifest.name.clone(),
                    project: None,
                    summary: summary_of(&result.outcome),
                })
                .collect();
            return Err(DetectError::Ambiguous {
                root: root.to_path_buf(),
                what: AmbiguityKind::Pack,
                scope: None,
                candidates,
            });
        }
        best
    };
    let found = match &chosen.outcome {
        Outcome::Found(found) => found,
        Outcome::Ambiguous { scope, candidates } => {
            return Err(DetectError::Ambiguous {
                root: root.to_path_buf(),
                what: AmbiguityKind::Project,
                scope: scope.clone(),
                candidates: candidates.clone(),
            });
        }
        Outcome::Refused(refusal) => {
            return Err(DetectError::Refused {
                pack: chosen.manifest.name.clone(),
                summary: refusal.summary.clone(),
                evidence: refusal.evidence.clone(),
                reason: refusal.reason.clone(),
                fix: refusal.fix.clone(),
            });
        }
        Outcome::NotFound { .. } => unreachable!("a pack that found nothing is never chosen"),
    };
    let alternatives = matched
        .iter()
        .filter(|result| result.manifest.name != chosen.manifest.name)
        .map(|result| Alternative {
            pack: result.manifest.name.clone(),
            summary: summary_of(&result.outcome),
            reason: if opts.pack.is_some() {
                format!("`{}` was asked for", chosen.manifest.name)
            } else if found.jexus_site_config
                && result.manifest.detect.detector.as_deref() == Some("dotnet")
            {
                "a Jexus site config is present".to_owned()
            } else {
                format!("lower priority than `{}`", chosen.manifest.name)
            },
        })
        .collect();
    skipped.retain(|entry| found.project.as_deref() != Some(entry.path.as_str()));
    skipped.sort();
    skipped.dedup_by(|a, b| a.path == b.path);
    Ok(Detection {
        pack: chosen.manifest.name.clone(),
        summary: found.summary.clone(),
        evidence: found.evidence.clone(),
        values: found.values.clone(),
        app_name: found.app_name.clone(),
        alternatives,
        skipped,
        looked_for,
        warnings: found
            .evidence
            .iter()
            .filter(|evidence| evidence.warning)
            .map(|evidence| format!("{}: {}", evidence.path, evidence.fact))
            .chain(found.warnings.iter().cloned())
            .collect(),
    })
}

fn summary_of(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Found(found) => found.summary.clone(),
        Outcome::Ambiguous { candidates, .. } => {
            let list: Vec<String> = candidates
                .iter()
                .filter_map(|candidate| candidate.project.as_ref())
                .map(|project| format!("`{project}`"))
                .collect();
            format!("several projects: {}", list.join(", "))
        }
        Outcome::Refused(refusal) => format!("{}: {}", refusal.summary, refusal.reason),
        Outcome::NotFound { reason } => reason.clone(),
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::time::Instant;

    use serde_json::json;

    use super::*;
    use crate::pack::manifest::DetectSpec;

    fn pack(name: &str, detector: Option<&str>, markers: &[&str], priority: i32) -> PackManifest {
        PackManifest {
            name: name.to_owned(),
            description: format!("the {name} pack"),
            detect: DetectSpec {
                detector: detector.map(str::to_owned),
                markers: markers.iter().map(|marker| (*marker).to_owned()).collect(),
                priority,
            },
            port: 8080,
            health_path: None,
            connection_strings: false,
            logs: crate::pack::manifest::LogsSpec::default(),
            monitoring: crate::pack::manifest::MonitoringSpec::default(),
            variables: Vec::new(),
            files: BTreeMap::new(),
        }
    }

    /// The built-in packs, as their `pack.toml` files declare them.
    fn builtin() -> Vec<PackManifest> {
        vec![
            pack("dotnet", Some("dotnet"), &[], 20),
            pack("jexus", Some("jexus"), &[], 30),
            pack("nginx", Some("nginx"), &[], 10),
        ]
    }

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/projects")
            .join(name)
    }

    fn options(pack: Option<&str>, project: Option<&str>) -> DetectOptions {
        DetectOptions {
            pack: pack.map(str::to_owned),
            project: project.map(str::to_owned),
        }
    }

    fn detect_fixture(name: &str) -> Detection {
        detect(&fixture(name), &builtin(), &DetectOptions::default()).expect("detects")
    }

    fn write(root: &Path, path: &str, text: &str) {
        let full = root.join(path);
        fs_err::create_dir_all(full.parent().expect("has a parent")).expect("create dir");
        fs_err::write(full, text).expect("write file");
    }

    const WEB_CSPROJ: &str = r#"<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>"#;

    #[test]
    fn fixture_dotnet_web() {
        let detection = detect_fixture("dotnet-web");
        assert_eq!(detection.pack, "dotnet");
        assert_eq!(detection.values["assembly_name"], json!("Catalog"));
        insta::assert_yaml_snapshot!("dotnet-web", detection);
    }

    #[test]
    fn fixture_dotnet_sln() {
        let detection = detect_fixture("dotnet-sln");
        assert_eq!(
            detection.values["project"],
            json!("src/Shop.Web/Shop.Web.csproj")
        );
        assert_eq!(detection.values["solution"], json!("Shop.sln"));
        insta::assert_yaml_snapshot!("dotnet-sln", detection);
    }

    #[test]
    fn fixture_aspnet_webforms() {
        let detection = detect_fixture("aspnet-webforms");
        assert_eq!(detection.pack, "jexus");
        assert_eq!(detection.values["mode"], json!("classic"));
        insta::assert_yaml_snapshot!("aspnet-webforms", detection);
    }

    #[test]
    fn fixture_classic_mvc_sets_aside_the_library_and_the_tests() {
        let detection = detect_fixture("classic-mvc");
        assert_eq!(detection.pack, "jexus");
        assert_eq!(
            detection.values["project"],
            json!("Store.Web/Store.Web.csproj")
        );
        assert_eq!(detection.values["restore"], json!("Store.sln"));
        assert_eq!(detection.values["nuget_config"], json!("NuGet.config"));
        let reasons: Vec<(&str, &str)> = detection
            .skipped
            .iter()
            .map(|entry| (entry.path.as_str(), entry.reason.as_str()))
            .collect();
        assert_eq!(
            reasons,
            [
                (
                    "Store.Core/Store.Core.csproj",
                    "class library referencing `System.Web`: no web project type, and no `Web.config` with `<system.web>` or `Global.asax` in its folder"
                ),
                (
                    "Store.Tests/Store.Tests.csproj",
                    "test project (`ProjectTypeGuids` has the test type `{3AC096D0-A1C2-E12C-1390-A8335801FDAB}`)"
                )
            ]
        );
        insta::assert_yaml_snapshot!("classic-mvc", detection);
    }

    #[test]
    fn classic_test_projects_are_never_sites() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        // References `System.Web` and has a `Web.config` (a test app config), but tests.
        write(
            root,
            "Tests/Tests.csproj",
            r#"<Project ToolsVersion="15.0"><PropertyGroup><TargetFrameworkVersion>v4.8</TargetFrameworkVersion></PropertyGroup><ItemGroup><Reference Include="System.Web" /><Reference Include="xunit.core, Version=2.4.2" /></ItemGroup></Project>"#,
        );
        write(
            root,
            "Tests/Web.config",
            "<configuration><system.web/></configuration>",
        );
        write(root, "Tests/Fake.aspx", "<%@ Page %>");
        let error = detect(root, &builtin(), &DetectOptions::default()).expect_err("no site");
        let DetectError::NothingFound { .. } = &error else {
            panic!("{error:?}")
        };
    }

    #[test]
    fn several_classic_sites_are_offered_most_likely_first() {
        let error = detect(
            &fixture("classic-two-sites"),
            &builtin(),
            &DetectOptions::default(),
        )
        .expect_err("ambiguous");
        let DetectError::Ambiguous { candidates, .. } = &error else {
            panic!("{error:?}")
        };
        let keys: Vec<&str> = candidates
            .iter()
            .filter_map(|candidate| candidate.project.as_deref())
            .collect();
        // `Admin` comes first in the alphabet; `Shop` has the MVC project type, a
        // `Global.asax` and `Views/`.
        assert_eq!(keys, ["Shop/Shop.csproj", "Admin/Admin.csproj"]);
        assert!(
            candidates[0]
                .summary
                .ends_with("(signs: web project type, `Global.asax`, `Web.config`, `Views/`)"),
            "{}",
            candidates[0].summary
        );
    }

    #[test]
    fn several_core_web_projects_are_offered_the_site_first() {
        let dir = tempfile::tempdir().expect("tempdir");
        let web = r#"<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>"#;
        for (path, text) in [
            ("Api/Api.csproj", web),
            ("Store/Store.csproj", web),
            ("Store/Pages/Index.cshtml", ""),
            ("Store/wwwroot/site.css", ""),
        ] {
            let path = dir.path().join(path);
            fs_err::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            fs_err::write(path, text).expect("write");
        }
        let error = detect(dir.path(), &builtin(), &DetectOptions::default()).expect_err("two");
        let DetectError::Ambiguous { candidates, .. } = &error else {
            panic!("{error:?}")
        };
        let keys: Vec<&str> = candidates
            .iter()
            .filter_map(|candidate| candidate.project.as_deref())
            .collect();
        // `Api` comes first in the alphabet; `Store` has pages and static files.
        assert_eq!(keys, ["Store/Store.csproj", "Api/Api.csproj"]);
    }

    #[test]
    fn a_supervisord_conf_does_not_make_an_aspnet_core_app_jexus() {
        let detection = detect_fixture("aspnet-core-supervisord");
        assert_eq!(detection.pack, "dotnet");
        assert!(
            detection
                .alternatives
                .iter()
                .all(|alternative| alternative.pack != "jexus"),
            "{:?}",
            detection.alternatives
        );
    }

    #[test]
    fn fixture_jexus_core() {
        let detection = detect_fixture("jexus-core");
        assert_eq!(detection.pack, "jexus");
        assert_eq!(detection.values["mode"], json!("apphost"));
        assert_eq!(
            detection.alternatives[0].reason,
            "a Jexus site config is present"
        );
        insta::assert_yaml_snapshot!("jexus-core", detection);
    }

    #[test]
    fn fixture_static_dist() {
        let detection = detect_fixture("static-dist");
        assert_eq!(detection.values["site_dir"], json!("dist"));
        insta::assert_yaml_snapshot!("static-dist", detection);
    }

    #[test]
    fn fixture_spa_vite() {
        let detection = detect_fixture("spa-vite");
        assert_eq!(detection.values["spa"], json!(true));
        insta::assert_yaml_snapshot!("spa-vite", detection);
    }

    #[test]
    fn fixture_spa_cra() {
        let detection = detect_fixture("spa-cra");
        assert_eq!(detection.values["output_dir"], json!("build"));
        insta::assert_yaml_snapshot!("spa-cra", detection);
    }

    #[test]
    fn fixture_company_marker() {
        let mut packs = builtin();
        packs.push(pack(
            "company-java",
            None,
            &["pom.xml", "build.gradle*"],
            40,
        ));
        let detection = detect(
            &fixture("company-marker"),
            &packs,
            &DetectOptions::default(),
        )
        .expect("detects");
        assert_eq!(detection.pack, "company-java");
        insta::assert_yaml_snapshot!("company-marker", detection);
    }

    #[test]
    fn fixture_dotnet_two_web_is_ambiguous() {
        let error = detect(
            &fixture("dotnet-two-web"),
            &builtin(),
            &DetectOptions::default(),
        )
        .expect_err("ambiguous");
        assert_eq!(
            error.to_string(),
            "several web projects in `Portal.sln`: `src/Admin/Admin.csproj`, `src/Web/Web.csproj`"
        );
        let DetectError::Ambiguous {
            what, candidates, ..
        } = error
        else {
            panic!("not ambiguous: {error:?}")
        };
        assert_eq!(what, AmbiguityKind::Project);
        insta::assert_yaml_snapshot!("dotnet-two-web-candidates", candidates);
    }

    #[test]
    fn project_option_picks_by_path_name_or_assembly() {
        for wanted in [
            "src/Admin/Admin.csproj",
            "src\\Admin\\Admin.csproj",
            "./src/Admin/Admin.csproj",
            "Admin",
            "Portal.Admin",
            "src/Admin",
        ] {
            let detection = detect(
                &fixture("dotnet-two-web"),
                &builtin(),
                &options(None, Some(wanted)),
            )
            .unwrap_or_else(|error| panic!("`{wanted}`: {error}"));
            assert_eq!(
                detection.values["project"],
                json!("src/Admin/Admin.csproj"),
                "{wanted}"
            );
            assert_eq!(detection.app_name.as_deref(), Some("Portal.Admin"));
            assert!(
                detection.skipped.contains(&Skipped {
                    path: "src/Web/Web.csproj".to_owned(),
                    reason: "another web project: `src/Admin/Admin.csproj` was asked for"
                        .to_owned()
                }),
                "{:?}",
                detection.skipped
            );
        }
    }

    #[test]
    fn project_option_errors() {
        let error = detect(
            &fixture("dotnet-two-web"),
            &builtin(),
            &options(None, Some("Api")),
        )
        .expect_err("missing");
        assert_eq!(
            error.to_string(),
            "no project `Api` found among `src/Admin/Admin.csproj`, `src/Web/Web.csproj`"
        );
        assert!(
            matches!(&error, DetectError::ProjectNotFound { candidates, .. } if candidates.len() == 2)
        );
        let error = detect(
            &fixture("dotnet-sln"),
            &builtin(),
            &options(None, Some("Shop.Tests")),
        )
        .expect_err("a test");
        assert_eq!(
            error.to_string(),
            "project `tests/Shop.Tests/Shop.Tests.csproj` cannot be deployed: test project (references `Microsoft.NET.Test.Sdk`)"
        );
        let error = detect(
            &fixture("dotnet-sln"),
            &builtin(),
            &options(None, Some("Shop.Core")),
        )
        .expect_err("a library");
        assert!(
            matches!(error, DetectError::ProjectNotEligible { .. }),
            "{error:?}"
        );
    }

    #[test]
    fn pack_option_forces_a_pack() {
        let detection = detect(
            &fixture("dotnet-web"),
            &builtin(),
            &options(Some("jexus"), None),
        )
        .expect("forced");
        assert_eq!(detection.pack, "jexus");
        assert_eq!(detection.values["mode"], json!("apphost"));
        assert_eq!(detection.values["site_config"], json!(null));
        assert_eq!(
            detection.summary,
            "ASP.NET Core web app `Catalog` (net9.0) behind Jexus AppHost"
        );
        assert_eq!(
            detection.alternatives,
            [Alternative {
                pack: "dotnet".to_owned(),
                summary: "ASP.NET Core web app `Catalog` (net9.0)".to_owned(),
                reason: "`jexus` was asked for".to_owned()
            }]
        );
        let detection = detect(
            &fixture("jexus-core"),
            &builtin(),
            &options(Some("dotnet"), None),
        )
        .expect("forced");
        assert_eq!(detection.pack, "dotnet");
        assert_eq!(detection.alternatives[0].pack, "jexus");
    }

    #[test]
    fn pack_option_errors() {
        let error = detect(
            &fixture("static-dist"),
            &builtin(),
            &options(Some("java"), None),
        )
        .expect_err("unknown");
        assert_eq!(
            error.to_string(),
            "unknown pack `java` (available: `dotnet`, `jexus`, `nginx`)"
        );
        let error = detect(
            &fixture("dotnet-sln"),
            &builtin(),
            &options(Some("nginx"), None),
        )
        .expect_err("no match");
        assert_eq!(
            error.to_string(),
            "pack `nginx` does not match the project: found none of: `index.html` at the root or in `public/`, `dist/`, \
`build/`, `www/`, `_site/`, a `Staticfile`, a `package.json` with a `build` script, or the sources of a Jekyll, \
Hugo or MkDocs site"
        );
        let error = detect(
            &fixture("static-dist"),
            &builtin(),
            &options(Some("dotnet"), None),
        )
        .expect_err("no match");
        assert!(
            matches!(error, DetectError::PackDoesNotMatch { ref pack, .. } if pack == "dotnet"),
            "{error:?}"
        );
        let error = detect(
            &fixture("aspnet-webforms"),
            &builtin(),
            &options(Some("dotnet"), None),
        )
        .expect_err("classic");
        assert_eq!(
            error.to_string(),
            "pack `dotnet` does not match the project: found none of: a `*.csproj` with Sdk `Microsoft.NET.Sdk.Web`, at the root \
or in a `*.sln` (set aside: `Intranet.csproj`: old-style .NET Framework project (v4.7.2) (classic ASP.NET: the `jexus` pack))"
        );
    }

    #[test]
    fn an_empty_folder_matches_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let error = detect(dir.path(), &builtin(), &DetectOptions::default()).expect_err("nothing");
        assert_eq!(
            error.to_string(),
            format!("no pack matches the project in `{}`", dir.path().display())
        );
        let DetectError::NothingFound { looked_for, .. } = error else {
            panic!("{error:?}")
        };
        insta::assert_yaml_snapshot!("looked-for", looked_for);
    }

    #[test]
    fn a_file_is_not_a_directory() {
        let error = detect(
            &fixture("dotnet-web").join("Program.cs"),
            &builtin(),
            &DetectOptions::default(),
        )
        .expect_err("a file");
        assert!(matches!(error, DetectError::NotADirectory { .. }));
        assert!(
            error
                .to_string()
                .ends_with("Program.cs` is not a directory")
        );
    }

    #[test]
    fn ignores_dependencies_build_output_and_gitignored_folders() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        write(root, "node_modules/some-lib/index.html", "<html></html>");
        write(root, "node_modules/some-lib/Lib.csproj", WEB_CSPROJ);
        write(root, "bin/Release/index.html", "");
        write(root, "obj/Api.csproj", WEB_CSPROJ);
        write(root, "target/site/index.html", "");
        write(root, ".git/index.html", "");
        write(root, ".gitignore", "/www/\n");
        write(root, "www/index.html", "");
        let error = detect(root, &builtin(), &DetectOptions::default()).expect_err("nothing");
        assert!(
            matches!(error, DetectError::NothingFound { .. }),
            "{error:?}"
        );
        write(root, "public/index.html", "");
        let detection = detect(root, &builtin(), &DetectOptions::default()).expect("static");
        assert_eq!(detection.values["site_dir"], json!("public"));
        assert_eq!(
            detection.evidence,
            [Evidence::new(
                "public/index.html",
                "index page: `public` is served"
            )]
        );
    }

    #[test]
    fn detection_is_deterministic_whatever_the_pack_order() {
        let mut packs = builtin();
        let first =
            detect(&fixture("jexus-core"), &packs, &DetectOptions::default()).expect("detects");
        packs.reverse();
        let second =
            detect(&fixture("jexus-core"), &packs, &DetectOptions::default()).expect("detects");
        assert_eq!(first, second);
        assert_eq!(
            serde_json::to_string(&first).expect("json"),
            serde_json::to_string(&second).expect("json")
        );
    }

    #[test]
    fn packs_of_equal_priority_are_ambiguous() {
        let mut packs = builtin();
        packs.push(pack("company-static", None, &["dist/index.html"], 10));
        let error =
            detect(&fixture("static-dist"), &packs, &DetectOptions::default()).expect_err("tie");
        let DetectError::Ambiguous {
            what, candidates, ..
        } = &error
        else {
            panic!("{error:?}")
        };
        assert_eq!(*what, AmbiguityKind::Pack);
        assert_eq!(
            candidates
                .iter()
                .map(|candidate| candidate.pack.as_str())
                .collect::<Vec<_>>(),
            ["company-static", "nginx"]
        );
        // Forcing one of them settles it.
        let detection = detect(
            &fixture("static-dist"),
            &packs,
            &options(Some("nginx"), None),
        )
        .expect("forced");
        assert_eq!(detection.alternatives[0].reason, "`nginx` was asked for");
    }

    #[test]
    fn a_company_pack_with_higher_priority_wins() {
        let mut packs = builtin();
        packs.push(pack("company-static", None, &["dist/*.html"], 50));
        let detection =
            detect(&fixture("static-dist"), &packs, &DetectOptions::default()).expect("detects");
        assert_eq!(detection.pack, "company-static");
        assert_eq!(
            detection.evidence,
            [Evidence::new(
                "dist/index.html",
                "marker `dist/*.html` of pack `company-static`"
            )]
        );
        assert_eq!(
            detection.alternatives[0].reason,
            "lower priority than `company-static`"
        );
        let error = detect(
            &fixture("dotnet-web"),
            &packs,
            &options(Some("company-static"), None),
        )
        .expect_err("no marker");
        assert_eq!(
            error.to_string(),
            "pack `company-static` does not match the project: found none of its markers: `dist/*.html`"
        );
    }

    #[test]
    fn a_classic_site_with_an_index_html_is_jexus() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        write(
            root,
            "Web.config",
            r#"<configuration><system.web><httpRuntime targetFramework="4.6.1"/></system.web></configuration>"#,
        );
        write(root, "Default.aspx", "<%@ Page %>");
        write(root, "api/Upload.ashx", "<%@ WebHandler %>");
        write(root, "index.html", "<html></html>");
        let detection = detect(root, &builtin(), &DetectOptions::default()).expect("detects");
        assert_eq!(detection.pack, "jexus");
        assert_eq!(detection.values["framework_version"], json!("4.6.1"));
        assert_eq!(detection.values["site_dir"], json!("."));
        assert_eq!(detection.values["project"], json!(""));
        assert_eq!(
            detection.summary,
            "classic ASP.NET site in `.` (.NET Framework 4.6.1, Web Site Project, copied as it is) on Jexus"
        );
        assert_eq!(
            detection.evidence,
            [
                Evidence::new("Web.config", "targetFramework = 4.6.1"),
                Evidence::new("Default.aspx", "ASP.NET page (and 1 more)"),
            ]
        );
        assert_eq!(detection.alternatives[0].pack, "nginx");
        assert_eq!(
            detection.alternatives[0].reason,
            "lower priority than `jexus`"
        );
    }

    #[test]
    fn several_classic_sites_are_ambiguous_until_one_is_asked_for() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        for site in ["sites/public", "sites/admin"] {
            write(
                root,
                &format!("{site}/Site.csproj"),
                "<Project ToolsVersion=\"4.0\"><PropertyGroup><TargetFrameworkVersion>v4.5</TargetFrameworkVersion></PropertyGroup></Project>",
            );
            write(
                root,
                &format!("{site}/web.config"),
                "<configuration><system.web/></configuration>",
            );
            write(root, &format!("{site}/Default.aspx"), "<%@ Page %>");
        }
        let error = detect(root, &builtin(), &DetectOptions::default()).expect_err("ambiguous");
        let DetectError::Ambiguous {
            what, candidates, ..
        } = &error
        else {
            panic!("{error:?}")
        };
        assert_eq!(*what, AmbiguityKind::Project);
        assert_eq!(candidates.len(), 2);
        let error =
            detect(root, &builtin(), &options(None, Some("Site"))).expect_err("same name twice");
        assert!(
            matches!(
                error,
                DetectError::Ambiguous {
                    what: AmbiguityKind::Project,
                    ..
                }
            ),
            "{error:?}"
        );
        let detection =
            detect(root, &builtin(), &options(None, Some("sites/admin"))).expect("detects");
        assert_eq!(detection.values["site_dir"], json!("sites/admin"));
        assert_eq!(
            detection.values["project"],
            json!("sites/admin/Site.csproj")
        );
        assert_eq!(detection.values["framework_version"], json!("4.5"));
        assert_eq!(
            detection.skipped,
            [Skipped {
                path: "sites/public/Site.csproj".to_owned(),
                reason: "another web project: `sites/admin/Site.csproj` was asked for".to_owned()
            }]
        );
    }

    #[test]
    fn an_aspnet_core_web_config_is_not_classic() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        write(root, "Api.csproj", WEB_CSPROJ);
        write(root, "web.config", "<configuration/>");
        let detection = detect(root, &builtin(), &DetectOptions::default()).expect("detects");
        assert_eq!(detection.pack, "dotnet");
        assert!(detection.alternatives.is_empty());
    }

    #[test]
    fn global_json_picks_the_sdk_and_target_framework_the_runtime() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        write(
            root,
            "global.json",
            r#"{ "sdk": { "version": "11.0.100" } }"#,
        );
        write(
            root,
            "src/Api/Api.csproj",
            r#"<Project><Sdk Name="Microsoft.NET.Sdk.Web" /><PropertyGroup><TargetFrameworks>net10.0;net8.0</TargetFrameworks></PropertyGroup></Project>"#,
        );
        let detection = detect(root, &builtin(), &DetectOptions::default()).expect("detects");
        assert_eq!(detection.values["dotnet_version"], json!("10.0"));
        assert_eq!(detection.values["target_framework"], json!("net10.0"));
        assert_eq!(detection.values["sdk_version"], json!("11.0"));
        assert_eq!(detection.values["project_dir"], json!("src/Api"));
        assert_eq!(detection.values["solution"], json!(null));
        assert_eq!(detection.summary, "ASP.NET Core web app `Api` (net10.0)");
        assert_eq!(
            detection.evidence,
            [
                Evidence::new("src/Api/Api.csproj", "Sdk = Microsoft.NET.Sdk.Web"),
                Evidence::new("src/Api/Api.csproj", "TargetFrameworks = net10.0;net8.0"),
                Evidence::new(
                    "src/Api/Api.csproj",
                    "net10.0 chosen: the highest still supported; published with `-f net10.0`"
                ),
                Evidence::new(
                    "src/Api/Api.csproj",
                    "AssemblyName not set: the file name `Api` is used"
                ),
                Evidence::new("global.json", "sdk.version = 11.0.100"),
            ]
        );
    }

    #[test]
    fn target_framework_from_directory_build_props() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        write(
            root,
            "Directory.Build.props",
            "<Project><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>",
        );
        write(
            root,
            "App.sln",
            "Project(\"{9A19103F-16F7-4668-BE54-9A1E7A4F7556}\") = \"App\", \"src\\App\\App.csproj\", \"{1}\"\nEndProject\n",
        );
        write(
            root,
            "src/App/App.csproj",
            r#"<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><AssemblyName>$(MSBuildProjectName).Host</AssemblyName></PropertyGroup></Project>"#,
        );
        let detection = detect(root, &builtin(), &DetectOptions::default()).expect("detects");
        assert_eq!(detection.values["dotnet_version"], json!("10.0"));
        assert_eq!(detection.values["sdk_version"], json!("10.0"));
        assert_eq!(detection.values["assembly_name"], json!("App"));
        assert!(detection.evidence.contains(&Evidence::new(
            "Directory.Build.props",
            "TargetFramework = net10.0"
        )));
    }

    #[test]
    fn slnx_solutions_and_unreferenced_projects() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        write(
            root,
            "Shop.slnx",
            r#"<Solution><Folder Name="/src/"><Project Path="src/Web/Web.csproj" /></Folder><Project Path="tools/Gone/Gone.csproj" /></Solution>"#,
        );
        write(root, "src/Web/Web.csproj", WEB_CSPROJ);
        write(root, "samples/Demo/Demo.csproj", WEB_CSPROJ);
        let detection = detect(root, &builtin(), &DetectOptions::default()).expect("detects");
        assert_eq!(detection.values["project"], json!("src/Web/Web.csproj"));
        assert_eq!(detection.values["solution"], json!("Shop.slnx"));
        assert_eq!(
            detection.skipped,
            [
                Skipped {
                    path: "samples/Demo/Demo.csproj".to_owned(),
                    reason: "not referenced by `Shop.slnx`".to_owned()
                },
                Skipped {
                    path: "tools/Gone/Gone.csproj".to_owned(),
                    reason: "listed in `Shop.slnx` but not found".to_owned()
                },
            ]
        );
    }

    #[test]
    fn worker_apps_are_never_chosen() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        write(
            root,
            "Jobs.csproj",
            r#"<Project Sdk="Microsoft.NET.Sdk.Worker"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>"#,
        );
        let error = detect(root, &builtin(), &DetectOptions::default()).expect_err("nothing");
        assert!(
            matches!(error, DetectError::NothingFound { .. }),
            "{error:?}"
        );
        let error =
            detect(root, &builtin(), &options(Some("dotnet"), None)).expect_err("no web project");
        assert!(error.to_string().ends_with("(set aside: `Jobs.csproj`: worker app (`Microsoft.NET.Sdk.Worker`): serves no HTTP)"), "{error}");
        let error =
            detect(root, &builtin(), &options(None, Some("Jobs"))).expect_err("not eligible");
        assert!(
            matches!(error, DetectError::ProjectNotEligible { .. }),
            "{error:?}"
        );
    }

    #[test]
    fn apphost_cmd_picks_among_web_projects() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        write(root, "src/Web/Web.csproj", WEB_CSPROJ);
        write(root, "src/Admin/Admin.csproj", WEB_CSPROJ);
        write(
            root,
            "siteconf/admin.conf",
            "port=8081\nroot=/ /var/www/admin\nAppHost.Cmd=dotnet /var/www/admin/Admin.dll\nAppHost.Port=5001\n",
        );
        let detection = detect(root, &builtin(), &DetectOptions::default()).expect("detects");
        assert_eq!(detection.pack, "jexus");
        assert_eq!(detection.values["project"], json!("src/Admin/Admin.csproj"));
        assert_eq!(detection.values["app_port"], json!(5001));
        assert_eq!(
            detection.values["site_config"],
            json!("siteconf/admin.conf")
        );
        assert_eq!(
            detection.alternatives[0].summary,
            "several projects: `src/Admin/Admin.csproj`, `src/Web/Web.csproj`"
        );
        assert!(
            detection
                .skipped
                .iter()
                .any(|skipped| skipped.path == "src/Web/Web.csproj")
        );
    }

    #[test]
    fn a_site_config_alone_is_not_jexus() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        write(root, "jexus/default", "port=80\nroot=/ /var/www/default\n");
        write(root, "index.html", "<html></html>");
        let detection = detect(root, &builtin(), &DetectOptions::default()).expect("detects");
        assert_eq!(detection.pack, "nginx");
        let error =
            detect(root, &builtin(), &options(Some("jexus"), None)).expect_err("nothing to host");
        assert_eq!(
            error.to_string(),
            "pack `jexus` does not match the project: the Jexus site config `jexus/default` has no ASP.NET Core project to host"
        );
    }

    #[test]
    fn static_folders_are_preferred_in_order() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        write(root, "index.html", "");
        write(root, "public/index.html", "");
        write(root, "build/index.html", "");
        let detection = detect(root, &builtin(), &DetectOptions::default()).expect("detects");
        assert_eq!(detection.values["site_dir"], json!("build"));
        assert_eq!(
            detection.evidence,
            [
                Evidence::new("build/index.html", "index page: `build` is served"),
                Evidence::new(
                    "build/index.html",
                    "preferred over `public/index.html`, `index.html` (order: dist, build, public, _site, www, root)"
                ),
            ]
        );
    }

    #[test]
    fn staticfile_root_names_the_folder() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        write(root, "Staticfile", "root: site/\npushstate: enabled\n");
        write(root, "site/home.html", "");
        let detection = detect(root, &builtin(), &DetectOptions::default()).expect("detects");
        assert_eq!(detection.values["site_dir"], json!("site"));
        assert_eq!(
            detection.evidence,
            [Evidence::new("Staticfile", "root: site")]
        );
    }

    #[test]
    fn package_json_without_build_script_is_static() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        write(
            root,
            "package.json",
            r#"{ "name": "brochure", "scripts": { "start": "serve ." } }"#,
        );
        write(root, "index.html", "");
        let detection = detect(root, &builtin(), &DetectOptions::default()).expect("detects");
        assert_eq!(detection.values["spa"], json!(false));
        assert_eq!(detection.values["site_dir"], json!("."));
        assert_eq!(detection.values["build_command"], json!(null));
        assert_eq!(detection.app_name.as_deref(), Some("brochure"));
    }

    #[test]
    fn spa_package_manager_and_angular_output() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        write(
            root,
            "package.json",
            r#"{ "name": "admin", "scripts": { "build": "ng build" }, "devDependencies": { "@angular/cli": "^19.0.0" } }"#,
        );
        write(root, "pnpm-lock.yaml", "lockfileVersion: '9.0'\n");
        write(root, ".nvmrc", "lts/jod\n");
        write(
            root,
            "angular.json",
            r#"{ "projects": { "admin": { "architect": { "build": { "builder": "@angular-devkit/build-angular:application", "options": { "outputPath": "dist/admin" } } } } } }"#,
        );
        let detection = detect(root, &builtin(), &DetectOptions::default()).expect("detects");
        assert_eq!(detection.values["output_dir"], json!("dist/admin/browser"));
        assert_eq!(detection.values["build_command"], json!("pnpm run build"));
        assert_eq!(detection.values["package_manager"], json!("pnpm"));
        assert_eq!(
            detection.values["node_version"],
            json!("22"),
            "`lts/jod` in .nvmrc"
        );
        assert_eq!(
            detection.summary,
            "Angular single-page app `admin`, built with `pnpm run build` into `dist/admin/browser` (Node.js 22)"
        );
        // Without angular.json, the package name decides.
        fs_err::remove_file(root.join("angular.json")).expect("remove");
        let detection = detect(root, &builtin(), &DetectOptions::default()).expect("detects");
        assert_eq!(detection.values["output_dir"], json!("dist/admin"));
    }

    #[test]
    fn broken_files_are_set_aside_not_fatal() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        write(root, "package.json", "{ not json");
        write(
            root,
            "Broken.csproj",
            "<Project Sdk=\"Microsoft.NET.Sdk.Web\"><PropertyGroup></Project>",
        );
        write(root, "public/index.html", "");
        let detection = detect(root, &builtin(), &DetectOptions::default()).expect("detects");
        assert_eq!(detection.pack, "nginx");
        assert_eq!(detection.skipped.len(), 2, "{:?}", detection.skipped);
        assert!(
            detection.skipped[0]
                .reason
                .starts_with("cannot be parsed: not valid XML"),
            "{:?}",
            detection.skipped
        );
        assert!(
            detection.skipped[1]
                .reason
                .starts_with("cannot be parsed: "),
            "{:?}",
            detection.skipped
        );
    }

    /// Builds a tree with 25,000 files under `node_modules` and `.git` and checks that
    /// detection stays fast. Run with `cargo test --lib detect -- --ignored`.
    #[test]
    #[ignore = "creates 25,000 files; a benchmark"]
    fn large_dependency_trees_are_not_walked() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        for package in 0..250 {
            for file in 0..50 {
                write(
                    root,
                    &format!("node_modules/pkg{package}/lib/f{file}.js"),
                    "",
                );
                write(root, &format!(".git/objects/{package:03}/{file:038}"), "");
            }
        }
        write(
            root,
            "package.json",
            r#"{ "name": "big", "scripts": { "build": "vite build" }, "devDependencies": { "vite": "6" } }"#,
        );
        let start = Instant::now();
        let detection = detect(root, &builtin(), &DetectOptions::default()).expect("detects");
        let elapsed = start.elapsed();
        assert_eq!(detection.pack, "nginx");
        assert!(elapsed.as_millis() < 50, "took {elapsed:?}");
    }
}
