//! The `dotnet` detector: ASP.NET Core projects.
//!
//! Projects are found through the `*.sln`/`*.slnx` files at the root and the `*.csproj`
//! files at the root; when there are none, every `*.csproj` of the tree is considered (a
//! repository with `src/Api/Api.csproj` and no solution is common). Each project is
//! classified: a web project (`Microsoft.NET.Sdk.Web`) can be chosen; test projects, class
//! libraries, worker and console apps (they serve no HTTP, so the standard probes and
//! Service would not fit them), Blazor WebAssembly apps and .NET Framework projects are set
//! aside with the reason. The classification is shared with the `jexus` detector.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::{Value, json};

use super::msbuild::{self, MsbuildFile, SolutionEntry, Step};
use super::walk::{self, Inventory};
use super::{Candidate, DetectError, Evidence, Found, Outcome, Skipped, read_text};

/// The SDK of ASP.NET Core web projects.
pub(crate) const WEB_SDK: &str = "Microsoft.NET.Sdk.Web";

/// What the detector looks for, for `looked_for` and errors.
pub(crate) const LOOKED_FOR: &str =
    "a `*.csproj` with Sdk `Microsoft.NET.Sdk.Web`, at the root or in a `*.sln`";

/// Package references that make a test project.
const TEST_REFERENCES: &[&str] = &[
    "Microsoft.NET.Test.Sdk",
    "xunit",
    "xunit.v3",
    "NUnit",
    "nunit.framework",
    "MSTest",
    "MSTest.TestFramework",
];

/// The `ProjectTypeGuids` that mark classic ASP.NET web applications and web sites.
const CLASSIC_WEB_GUIDS: &[&str] = &[
    "349C5851-65DF-11DA-9384-00065B846F21",
    "E24C65DC-7377-472B-9ABA-BC803B73C61A",
];

/// What a project is, for deployment purposes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Kind {
    /// An ASP.NET Core web project.
    Web,
    /// An old-style .NET Framework project that looks like a classic ASP.NET site.
    Classic {
        /// `TargetFrameworkVersion` without the `v` (`4.7.2`), when set.
        framework_version: Option<String>,
    },
    /// Anything else: the reason it is set aside.
    Other(String),
}

/// One project found.
#[derive(Debug, Clone)]
pub(crate) struct Project {
    /// Relative path of the project file.
    pub(crate) path: String,
    /// The name the solution gives it, else the file stem.
    pub(crate) name: String,
    /// The solution that lists it.
    pub(crate) solution: Option<String>,
    /// The file's contents, as read.
    pub(crate) file: MsbuildFile,
    /// Its classification.
    pub(crate) kind: Kind,
}

impl Project {
    /// Returns the folder of the project file, `.` for the root.
    pub(crate) fn dir(&self) -> &str {
        walk::parent_dir(&self.path)
    }

    /// Returns the file name without `.csproj`.
    pub(crate) fn stem(&self) -> &str {
        let name = walk::file_name(&self.path);
        name.rsplit_once('.').map_or(name, |(stem, _)| stem)
    }

    /// Returns the assembly name: `AssemblyName` when set to a plain value, else the stem.
    pub(crate) fn assembly_name(&self) -> &str {
        match self.file.property("AssemblyName") {
            Some(name) if !name.contains("$(") => name,
            _ => self.stem(),
        }
    }

    /// Tells whether `wanted` (a relative path or a name) designates this project.
    pub(crate) fn is_called(&self, wanted: &str) -> bool {
        self.path == wanted
            || self.dir() == wanted
            || [self.stem(), self.name.as_str(), self.assembly_name()]
                .iter()
                .any(|name| name.eq_ignore_ascii_case(wanted))
    }
}

/// The .NET projects of a tree, classified.
#[derive(Debug, Default)]
pub(crate) struct DotnetScan {
    /// The solutions read, with the evidence of what they list.
    pub(crate) solutions: Vec<(String, Vec<SolutionEntry>)>,
    /// Every project found, sorted by path.
    pub(crate) projects: Vec<Project>,
    /// Files set aside before classification (missing, not referenced, unreadable…).
    pub(crate) skipped: Vec<Skipped>,
}

impl DotnetScan {
    /// Finds and classifies the projects of the tree.
    pub(crate) fn new(root: &Path, inventory: &Inventory) -> Result<Self, DetectError> {
        let mut scan = Self::default();
        // Project path → (solution, name in the solution).
        let mut listed: BTreeMap<String, (Option<String>, String)> = BTreeMap::new();
        let solutions: Vec<&str> = inventory
            .root_files(|name| matches!(walk::extension(name).as_deref(), Some("sln" | "slnx")))
            .collect();
        for solution in solutions {
            let text = read_text(root, solution)?;
            let entries = if solution.to_ascii_lowercase().ends_with(".slnx") {
                match msbuild::parse_slnx(&text) {
                    Ok(entries) => entries,
                    Err(error) => {
                        scan.skip(solution, format!("cannot be parsed: {error}"));
                        continue;
                    }
                }
            } else {
                msbuild::parse_sln(&text)
            };
            let mut kept = Vec::new();
            for entry in entries {
                let lower = entry.path.to_ascii_lowercase();
                if !lower.ends_with("proj") {
                    continue;
                }
                let Some(path) = normalize(&entry.path) else {
                    scan.skip(
                        &entry.path,
                        format!("listed in `{solution}` but outside the project root"),
                    );
                    continue;
                };
                if !lower.ends_with(".csproj") {
                    scan.skip(&path, "not a C# project (`.csproj`)".to_owned());
                    continue;
                }
                if !root.join(&path).is_file() {
                    scan.skip(&path, format!("listed in `{solution}` but not found"));
                    continue;
                }
                listed
                    .entry(path.clone())
                    .or_insert((Some(solution.to_owned()), entry.name.clone()));
                kept.push(SolutionEntry {
                    name: entry.name,
                    path,
                });
            }
            scan.solutions.push((solution.to_owned(), kept));
        }
        for path in inventory.root_files(|name| name.ends_with(".csproj")) {
            let name = Self::stem_of(path);
            listed.entry(path.to_owned()).or_insert((None, name));
        }
        let everywhere = inventory.named(|name| name.ends_with(".csproj"));
        if listed.is_empty() {
            for path in everywhere {
                listed.insert(path.to_owned(), (None, Self::stem_of(path)));
            }
        } else {
            let reason = match scan.solutions.as_slice() {
                [] => "not at the root, and no `*.sln` lists it".to_owned(),
                [(solution, _)] => format!("not referenced by `{solution}`"),
                _ => "not referenced by any `*.sln` at the root".to_owned(),
            };
            let unlisted: Vec<String> = everywhere
                .filter(|path| !listed.contains_key(*path))
                .map(str::to_owned)
                .collect();
            for path in unlisted {
                scan.skip(&path, reason.clone());
            }
        }
        for (path, (solution, name)) in listed {
            let text = read_text(root, &path)?;
            let file = match MsbuildFile::parse(&text) {
                Ok(file) => file,
                Err(error) => {
                    scan.skip(&path, format!("cannot be parsed: {error}"));
                    continue;
                }
            };
            let dir = walk::parent_dir(&path);
            let has_web_config = ["Web.config", "web.config"]
                .iter()
                .any(|name| inventory.has(&join(dir, name)));
            let kind = classify(&file, has_web_config);
            scan.projects.push(Project {
                path,
                name,
                solution,
                file,
                kind,
            });
        }
        Ok(scan)
    }

    fn stem_of(path: &str) -> String {
        let name = walk::file_name(path);
        name.rsplit_once('.')
            .map_or(name, |(stem, _)| stem)
            .to_owned()
    }

    fn skip(&mut self, path: &str, reason: String) {
        self.skipped.push(Skipped {
            path: path.to_owned(),
            reason,
        });
    }

    /// Returns the web projects, restricted to `pinned` when a project was asked for.
    pub(crate) fn web_projects<'a>(
        &'a self,
        pinned: Option<&'a str>,
    ) -> impl Iterator<Item = &'a Project> {
        self.projects.iter().filter(move |project| {
            project.kind == Kind::Web && pinned.is_none_or(|path| project.path == path)
        })
    }

    /// Returns everything set aside: unclassifiable files and projects that cannot be chosen.
    pub(crate) fn all_skipped(&self) -> Vec<Skipped> {
        let mut skipped = self.skipped.clone();
        for project in &self.projects {
            match &project.kind {
                Kind::Web => {}
                Kind::Classic { framework_version } => skipped.push(Skipped {
                    path: project.path.clone(),
                    reason: format!(
                        "old-style .NET Framework project{} (classic ASP.NET: the `jexus` pack)",
                        framework_version
                            .as_ref()
                            .map(|version| format!(" (v{version})"))
                            .unwrap_or_default()
                    ),
                }),
                Kind::Other(reason) => {
                    skipped.push(Skipped {
                        path: project.path.clone(),
                        reason: reason.clone(),
                    });
                }
            }
        }
        skipped
    }

    /// Returns the evidence that the solution lists `project`.
    fn solution_evidence(&self, project: &Project) -> Option<Evidence> {
        let solution = project.solution.as_ref()?;
        let (_, entries) = self.solutions.iter().find(|(path, _)| path == solution)?;
        let list: Vec<String> = entries
            .iter()
            .map(|entry| format!("`{}`", entry.path))
            .collect();
        Some(Evidence::new(
            solution,
            format!(
                "lists {} C# project{}: {}",
                entries.len(),
                plural(entries.len()),
                list.join(", ")
            ),
        ))
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// Lexically resolves a path relative to the root; `None` when it leaves the root.
pub(crate) fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    (!parts.is_empty() && !path.starts_with('/')).then(|| parts.join("/"))
}

/// Classifies a project; `has_web_config` tells whether a `Web.config` sits beside it (an
/// old-style project with one is a web site even without the web `ProjectTypeGuids`).
fn classify(file: &MsbuildFile, has_web_config: bool) -> Kind {
    if file
        .property("IsTestProject")
        .is_some_and(|value| value.eq_ignore_ascii_case("true"))
    {
        return Kind::Other("test project (`IsTestProject` = true)".to_owned());
    }
    if let Some(reference) = file.references.iter().find(|reference| {
        TEST_REFERENCES
            .iter()
            .any(|test| test.eq_ignore_ascii_case(reference))
    }) {
        return Kind::Other(format!("test project (references `{reference}`)"));
    }
    let output_type = file.property("OutputType").unwrap_or_default();
    let is_exe =
        output_type.eq_ignore_ascii_case("Exe") || output_type.eq_ignore_ascii_case("WinExe");
    if file.sdks.is_empty() {
        let Some(version) = file.property("TargetFrameworkVersion") else {
            return Kind::Other(
                "no Sdk and no `TargetFrameworkVersion`: not a project this tool reads".to_owned(),
            );
        };
        let version = version.trim_start_matches(['v', 'V']).to_owned();
        if !version.starts_with('4') {
            return Kind::Other(format!(
                "old-style project targeting .NET Framework v{version}"
            ));
        }
        if is_exe {
            return Kind::Other(format!(
                "old-style .NET Framework console app (`OutputType` = {output_type})"
            ));
        }
        let guids = file
            .property("ProjectTypeGuids")
            .unwrap_or_default()
            .to_ascii_uppercase();
        let is_web = CLASSIC_WEB_GUIDS.iter().any(|guid| guids.contains(guid))
            || file
                .references
                .iter()
                .any(|reference| reference == "System.Web")
            || has_web_config;
        return if is_web {
            Kind::Classic {
                framework_version: Some(version),
            }
        } else {
            Kind::Other(format!(
                "old-style .NET Framework class library (v{version}), not a web site"
            ))
        };
    }
    let tfm = file
        .property("TargetFramework")
        .or_else(|| file.property("TargetFrameworks"))
        .unwrap_or_default();
    if file.has_sdk(WEB_SDK) {
        // A web project that also targets .NET (Core) can be published for it.
        let mut listed = tfm.split(';').map(str::trim).filter(|tfm| !tfm.is_empty());
        if listed.clone().next().is_some() && listed.all(is_net_framework_tfm) {
            return Kind::Other(format!("web project targeting .NET Framework (`{tfm}`)"));
        }
        return Kind::Web;
    }
    if let Some(sdk) = file
        .sdks
        .iter()
        .find(|sdk| sdk.to_ascii_lowercase().contains("blazorwebassembly"))
    {
        return Kind::Other(format!(
            "Blazor WebAssembly app (`{sdk}`): static files, no server"
        ));
    }
    if file.has_sdk("Microsoft.NET.Sdk.Worker") {
        return Kind::Other("worker app (`Microsoft.NET.Sdk.Worker`): serves no HTTP".to_owned());
    }
    if is_exe {
        return Kind::Other(format!(
            "console app (`OutputType` = {output_type}): serves no HTTP"
        ));
    }
    let sdk = file.sdks.first().map_or("", String::as_str);
    Kind::Other(format!("class library (`{sdk}` without `OutputType` Exe)"))
}

fn is_net_framework_tfm(tfm: &str) -> bool {
    msbuild::is_net_framework(tfm)
}

/// One .NET release the official images are published for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Release {
    /// `major.minor`, as in monikers and image tags (`10.0`).
    pub(crate) version: &'static str,
    /// A long-term support release.
    pub(crate) lts: bool,
    /// The last day of Microsoft's support: (year, month, day).
    pub(crate) end_of_support: (u32, u32, u32),
}

/// The .NET releases, newest first, following Microsoft's .NET release policy (the "modern
/// lifecycle"): a major release each November, even versions are LTS (three years of
/// support), odd versions STS (two years since .NET 9, eighteen months before), and support
/// ends on a Patch Tuesday. Support is judged against today's date, so a release leaves
/// support without a new paas.
pub(crate) const RELEASES: &[Release] = &[
    Release {
        version: "11.0",
        lts: false,
        end_of_support: (2028, 11, 14),
    },
    Release {
        version: "10.0",
        lts: true,
        end_of_support: (2028, 11, 14),
    },
    Release {
        version: "9.0",
        lts: false,
        end_of_support: (2026, 11, 10),
    },
    Release {
        version: "8.0",
        lts: true,
        end_of_support: (2026, 11, 10),
    },
    Release {
        version: "7.0",
        lts: false,
        end_of_support: (2024, 5, 14),
    },
    Release {
        version: "6.0",
        lts: true,
        end_of_support: (2024, 11, 12),
    },
    Release {
        version: "5.0",
        lts: false,
        end_of_support: (2022, 5, 10),
    },
    Release {
        version: "3.1",
        lts: true,
        end_of_support: (2022, 12, 13),
    },
    Release {
        version: "3.0",
        lts: false,
        end_of_support: (2020, 3, 3),
    },
    Release {
        version: "2.1",
        lts: true,
        end_of_support: (2021, 8, 21),
    },
];

impl Release {
    /// Returns the release of a `major.minor` version, when the table has it.
    pub(crate) fn find(version: &str) -> Option<&'static Self> {
        RELEASES.iter().find(|release| release.version == version)
    }

    /// Tells whether Microsoft still supports the release on `today`.
    pub(crate) fn supported_on(&self, today: (u32, u32, u32)) -> bool {
        today <= self.end_of_support
    }

    fn end(&self) -> String {
        let (year, month, day) = self.end_of_support;
        format!("{year:04}-{month:02}-{day:02}")
    }
}

/// Returns the newest LTS release supported on `today`, else the newest LTS of the table.
pub(crate) fn current_lts(today: (u32, u32, u32)) -> &'static Release {
    let mut lts = RELEASES.iter().filter(|release| release.lts);
    lts.clone()
        .find(|release| release.supported_on(today))
        .or_else(|| lts.next())
        .unwrap_or(&RELEASES[0])
}

/// Returns today's date (UTC) as (year, month, day).
pub(crate) fn today() -> (u32, u32, u32) {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs() / 86_400);
    civil_from_days(days)
}

/// Converts days since 1970-01-01 to a date (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: u64) -> (u32, u32, u32) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    let narrow = |value: u64| u32::try_from(value).unwrap_or(u32::MAX);
    (narrow(year), narrow(month), narrow(day))
}

/// Orders `major.minor` versions numerically (`10.0` after `9.0`).
fn version_key(version: &str) -> (u32, u32) {
    let mut parts = version.split('.').map(|part| part.parse().unwrap_or(0));
    (parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

/// A property as evaluated for one project.
#[derive(Debug, Clone)]
struct Evaluated {
    /// The value, `$(…)` expanded.
    value: String,
    /// The value as written.
    written: String,
    /// The file that set it last.
    file: String,
    /// Whether it was set under a `Condition`.
    conditioned: bool,
    /// The properties it refers to that no file read sets.
    unknown: Vec<String>,
    /// The properties it refers to, as they were when it was set.
    sources: Vec<(String, Evaluated)>,
}

impl Evaluated {
    /// Adds the evidence of this property, after that of the properties it refers to.
    fn explain(&self, name: &str, evidence: &mut Vec<Evidence>) {
        for (source, evaluated) in &self.sources {
            evaluated.explain(source, evidence);
        }
        let mut fact = format!("{name} = {}", self.written.trim());
        if self.written.trim() != self.value {
            let _ = write!(fact, ", evaluated to {}", self.value);
        }
        if self.conditioned {
            fact.push_str(" (set under a Condition, which paas does not compute)");
        }
        evidence.push(Evidence::new(&self.file, fact));
    }
}

/// What `$(MSBuildThisFileDirectory)` and `$(MSBuildProjectDirectory)` expand to: an anchor
/// that marks the path as relative to the project root (`MSBuild` gives absolute paths).
const ROOT_ANCHOR: &str = "<root>/";

/// How deep imports are followed.
const MAX_IMPORT_DEPTH: usize = 8;

/// The properties of one project, evaluated as `MSBuild`'s property pass does for the files
/// inside the project root: the nearest `Directory.Build.props`, the nearest
/// `Directory.Packages.props`, then the project, each with its `<Import Project>`s where
/// they stand. Conditions are not computed: a conditioned value only fills a property that
/// is not set yet, the usual `Condition="'$(X)' == ''"` default.
struct Evaluation<'a> {
    root: &'a Path,
    project_dir: String,
    properties: BTreeMap<String, Evaluated>,
    /// The files read, in order.
    read: Vec<String>,
    /// Files the evaluation needs that are outside the project root.
    outside: Vec<Outside>,
}

/// A file a project needs that is outside the project root.
struct Outside {
    /// The file that refers to it.
    seen_in: String,
    /// What it is.
    what: String,
    /// How many folders above the root it is.
    levels: usize,
}

impl<'a> Evaluation<'a> {
    fn run(root: &'a Path, project: &Project) -> Result<Self, DetectError> {
        let mut evaluation = Self {
            root,
            project_dir: project.dir().to_owned(),
            properties: BTreeMap::new(),
            read: Vec::new(),
            outside: Vec::new(),
        };
        for name in ["Directory.Build.props", "Directory.Packages.props"] {
            let nearest = ancestors(project.dir())
                .map(|dir| join(dir, name))
                .find(|path| root.join(path).is_file());
            match nearest {
                Some(path) => evaluation.file(&path, 0)?,
                None => {
                    if let Some(levels) = above_root(root, name) {
                        evaluation.outside.push(Outside {
                            seen_in: project.path.clone(),
                            what: format!(
                                "`{}{name}` (MSBuild imports it into every project below it)",
                                "../".repeat(levels)
                            ),
                            levels,
                        });
                    }
                }
            }
        }
        evaluation.steps(&project.path, &project.file, 0)?;
        Ok(evaluation)
    }

    fn file(&mut self, path: &str, depth: usize) -> Result<(), DetectError> {
        if depth > MAX_IMPORT_DEPTH || self.read.iter().any(|read| read == path) {
            return Ok(());
        }
        let text = read_text(self.root, path)?;
        match MsbuildFile::parse(&text) {
            Ok(file) => self.steps(path, &file, depth),
            Err(_) => Ok(()),
        }
    }

    fn steps(&mut self, path: &str, file: &MsbuildFile, depth: usize) -> Result<(), DetectError> {
        self.read.push(path.to_owned());
        for step in &file.steps {
            match step {
                Step::Property {
                    name,
                    value,
                    conditioned,
                } => {
                    if *conditioned && self.properties.contains_key(name) {
                        continue;
                    }
                    let (expanded, unknown) =
                        msbuild::expand(value, |name| self.lookup(path, name));
                    let sources = msbuild::references(value)
                        .into_iter()
                        .filter_map(|source| {
                            self.properties
                                .get(source)
                                .map(|evaluated| (source.to_owned(), evaluated.clone()))
                        })
                        .collect();
                    self.properties.insert(
                        name.clone(),
                        Evaluated {
                            value: expanded.trim().to_owned(),
                            written: value.clone(),
                            file: path.to_owned(),
                            conditioned: *conditioned,
                            unknown,
                            sources,
                        },
                    );
                }
                Step::Import { project, .. } => self.import(path, project, depth)?,
            }
        }
        Ok(())
    }

    fn lookup(&self, path: &str, name: &str) -> Option<String> {
        match name {
            "MSBuildThisFileDirectory" => Some(format!("{ROOT_ANCHOR}{}/", walk::parent_dir(path))),
            "MSBuildProjectDirectory" => Some(format!("{ROOT_ANCHOR}{}", self.project_dir)),
            _ => self
                .properties
                .get(name)
                .map(|evaluated| evaluated.value.clone()),
        }
    }

    /// Follows an `<Import Project>`: a path relative to the importing file, or
    /// `$([MSBuild]::GetPathOfFileAbove(…))`. A missing file is left out (such imports
    /// usually carry an `Exists` condition); one outside the root is recorded.
    fn import(&mut self, path: &str, written: &str, depth: usize) -> Result<(), DetectError> {
        static PATH_OF_FILE_ABOVE: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(
                r"^\$\(\[MSBuild\]::GetPathOfFileAbove\(\s*'?([^',)]+?)'?\s*(?:,\s*(.*?)\s*)?\)\)$",
            )
            .expect("the pattern is valid")
        });
        static DIRECTORY_OF_FILE_ABOVE: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(
                r"^\$\(\[MSBuild\]::GetDirectoryNameOfFileAbove\(\s*(.*?)\s*,\s*'?([^',)]+?)'?\s*\)\)/*(.*)$",
            )
            .expect("the pattern is valid")
        });
        let dir = walk::parent_dir(path);
        let written = written.trim();
        let above = if let Some(captures) = PATH_OF_FILE_ABOVE.captures(written) {
            Some((captures.get(2), captures[1].trim().to_owned(), None))
        } else {
            DIRECTORY_OF_FILE_ABOVE.captures(written).map(|captures| {
                (
                    captures.get(1),
                    captures[2].trim().to_owned(),
                    Some(captures[3].to_owned()),
                )
            })
        };
        if let Some((start, name, rest)) = above {
            let start = match start {
                Some(start) => {
                    let start = start.as_str().trim_matches('\'');
                    msbuild::expand(start, |name| self.lookup(path, name)).0
                }
                None => format!("{ROOT_ANCHOR}{dir}/"),
            };
            let found = resolve(dir, &start).and_then(|start| {
                ancestors(&start)
                    .map(|dir| join(dir, &name))
                    .find(|candidate| self.root.join(candidate).is_file())
            });
            match (found, rest) {
                (Some(found), None) => self.file(&found, depth + 1)?,
                (Some(found), Some(rest)) => {
                    let target = join(walk::parent_dir(&found), &rest);
                    if self.root.join(&target).is_file() {
                        self.file(&target, depth + 1)?;
                    }
                }
                (None, _) => {
                    if let Some(levels) = above_root(self.root, &name) {
                        self.outside.push(Outside {
                            seen_in: path.to_owned(),
                            what: format!("the `{name}` above it (`{written}`)"),
                            levels,
                        });
                    }
                }
            }
            return Ok(());
        }
        let (expanded, unknown) = msbuild::expand(written, |name| self.lookup(path, name));
        if !unknown.is_empty() || expanded.starts_with('/') || expanded.contains(':') {
            return Ok(());
        }
        match resolve(dir, &expanded) {
            Some(target) => {
                if self.root.join(&target).is_file() {
                    self.file(&target, depth + 1)?;
                }
            }
            None => self.outside.push(Outside {
                seen_in: path.to_owned(),
                what: format!("the import `{written}`"),
                levels: levels_above(
                    &expanded
                        .strip_prefix(ROOT_ANCHOR)
                        .map_or_else(|| join(dir, &expanded), str::to_owned),
                ),
            }),
        }
        Ok(())
    }
}

/// Resolves `path` (relative to `dir`, or anchored at the root) to a path relative to the
/// root, `.` for the root itself; `None` when it leaves the root.
fn resolve(dir: &str, path: &str) -> Option<String> {
    let joined = match path.strip_prefix(ROOT_ANCHOR) {
        Some(rest) => rest.to_owned(),
        None => join(dir, path),
    };
    if joined.split('/').all(|part| part.is_empty() || part == ".") {
        return Some(".".to_owned());
    }
    if levels_above(&joined) > 0 {
        return None;
    }
    normalize(&joined).or_else(|| Some(".".to_owned()))
}

/// Returns how many folders above the root a relative path goes (`../../x` → 2).
fn levels_above(path: &str) -> usize {
    let (mut depth, mut lowest) = (0_isize, 0_isize);
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                depth -= 1;
                lowest = lowest.min(depth);
            }
            _ => depth += 1,
        }
    }
    lowest.unsigned_abs()
}

/// Returns how many folders above `root` a file `name` is, looking up to the repository
/// root (a folder with `.git`); `None` when `root` is a repository root or there is none.
fn above_root(root: &Path, name: &str) -> Option<usize> {
    let root = fs_err::canonicalize(root).ok()?;
    if root.join(".git").exists() {
        return None;
    }
    for (levels, dir) in root.ancestors().enumerate().skip(1) {
        if dir.join(name).is_file() {
            return Some(levels);
        }
        if dir.join(".git").exists() {
            return None;
        }
    }
    None
}

/// The last `levels` folder names of `root` (canonical), `/`-joined: the path of `root`
/// from the folder that many levels up.
fn tail_of(root: &Path, levels: usize) -> Option<String> {
    let root = fs_err::canonicalize(root).ok()?;
    let names: Vec<String> = root
        .components()
        .rev()
        .take(levels)
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .collect();
    (names.len() == levels).then(|| names.into_iter().rev().collect::<Vec<_>>().join("/"))
}

/// The values read for a web project (shared with the `jexus` detector).
pub(crate) struct WebProject {
    /// What was read, in order.
    pub(crate) evidence: Vec<Evidence>,
    /// `project`, `project_dir`, `assembly_name`, `dotnet_version`, `sdk_version`,
    /// `target_framework`, `spa_root`, `solution`.
    pub(crate) values: BTreeMap<String, Value>,
    /// The assembly name.
    pub(crate) assembly_name: String,
    /// The target framework moniker chosen, when known (`net8.0`).
    pub(crate) tfm: Option<String>,
}

/// The framework chosen for a project.
struct Framework {
    /// The moniker (`net10.0`).
    tfm: String,
    /// Its .NET version (`10.0`).
    version: String,
    /// The SDK every listed framework needs: the highest version listed.
    sdk: String,
    /// Whether it came from `TargetFrameworks` (the publish needs `-f`).
    from_list: bool,
}

impl WebProject {
    /// Reads the values of `project`: its framework (evaluated through properties,
    /// `Directory.Build.props`, `Directory.Packages.props` and imports), its assembly name,
    /// the SDK pinned by a `global.json`, whether its publish runs npm, and whether it needs
    /// files outside the project root.
    pub(crate) fn read(
        root: &Path,
        inventory: &Inventory,
        scan: &DotnetScan,
        project: &Project,
    ) -> Result<Self, DetectError> {
        let mut evidence: Vec<Evidence> = scan.solution_evidence(project).into_iter().collect();
        evidence.push(Evidence::new(&project.path, format!("Sdk = {WEB_SDK}")));
        let evaluation = Evaluation::run(root, project)?;
        let framework = framework(&project.path, &evaluation, today(), &mut evidence);
        let tfm = framework.as_ref().map(|framework| framework.tfm.clone());
        let dotnet_version = framework
            .as_ref()
            .map(|framework| framework.version.clone());
        let assembly_name = project.assembly_name().to_owned();
        match project.file.property("AssemblyName") {
            Some(name) if !name.contains("$(") => {
                evidence.push(Evidence::new(
                    &project.path,
                    format!("AssemblyName = {name}"),
                ));
            }
            Some(name) => evidence.push(Evidence::new(
                &project.path,
                format!(
                    "AssemblyName = {name} (not evaluated: the file name `{assembly_name}` is used)"
                ),
            )),
            None => evidence.push(Evidence::new(
                &project.path,
                format!("AssemblyName not set: the file name `{assembly_name}` is used"),
            )),
        }
        let mut sdk_version = framework.as_ref().map(|framework| framework.sdk.clone());
        for global in ancestors(project.dir()).map(|dir| join(dir, "global.json")) {
            if !inventory.has(&global) {
                continue;
            }
            let text = read_text(root, &global)?;
            let version = serde_json::from_str::<Value>(&text).ok().and_then(|json| {
                json.pointer("/sdk/version")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            });
            match version {
                Some(version) => {
                    let major_minor: Vec<&str> = version.split('.').take(2).collect();
                    evidence.push(Evidence::new(&global, format!("sdk.version = {version}")));
                    if major_minor.len() == 2 {
                        sdk_version = Some(major_minor.join("."));
                    }
                }
                None => evidence.push(Evidence::new(
                    &global,
                    "no `sdk.version`: the SDK follows TargetFramework",
                )),
            }
            break;
        }
        let spa_root = spa_root(root, project, &evaluation, &mut evidence);
        outside_root(root, project, &evaluation, &mut evidence);
        let mut values = BTreeMap::new();
        values.insert("project".to_owned(), json!(project.path));
        values.insert("project_dir".to_owned(), json!(project.dir()));
        values.insert("assembly_name".to_owned(), json!(assembly_name));
        values.insert("dotnet_version".to_owned(), json!(dotnet_version));
        values.insert("sdk_version".to_owned(), json!(sdk_version));
        values.insert(
            "target_framework".to_owned(),
            json!(
                framework
                    .as_ref()
                    .filter(|framework| framework.from_list)
                    .map(|framework| framework.tfm.clone())
            ),
        );
        values.insert("spa_root".to_owned(), json!(spa_root));
        values.insert("solution".to_owned(), json!(project.solution));
        Ok(Self {
            evidence,
            values,
            assembly_name,
            tfm,
        })
    }

    /// Returns the one-line description of the project.
    pub(crate) fn summary(&self) -> String {
        match &self.tfm {
            Some(tfm) => format!("ASP.NET Core web app `{}` ({tfm})", self.assembly_name),
            None => format!("ASP.NET Core web app `{}`", self.assembly_name),
        }
    }
}

/// Chooses the framework of a project from its evaluated `TargetFramework` or
/// `TargetFrameworks`: of several, the highest that Microsoft still supports on `today`
/// (else the highest). Says what it read, and warns when the framework is out of support
/// or cannot be found (the pack's default, the current LTS, is then used).
fn framework(
    project: &str,
    evaluation: &Evaluation<'_>,
    today: (u32, u32, u32),
    evidence: &mut Vec<Evidence>,
) -> Option<Framework> {
    let lts = current_lts(today);
    let fallback = format!(
        "the pack's default `dotnet_version` is used (the current LTS, {}); set TargetFramework, or `dotnet_version` under `[pack]` in `paas.toml`",
        lts.version
    );
    let found = ["TargetFramework", "TargetFrameworks"]
        .into_iter()
        .find_map(|name| {
            evaluation
                .properties
                .get(name)
                .filter(|evaluated| !evaluated.value.is_empty())
                .map(|evaluated| (name, evaluated))
        });
    let Some((name, evaluated)) = found else {
        let read: Vec<String> = evaluation
            .read
            .iter()
            .map(|path| format!("`{path}`"))
            .collect();
        evidence.push(Evidence::warning(
            project,
            format!(
                "TargetFramework is set in none of {}: {fallback}",
                read.join(", ")
            ),
        ));
        return None;
    };
    evaluated.explain(name, evidence);
    let listed: Vec<&str> = evaluated
        .value
        .split(';')
        .map(str::trim)
        .filter(|tfm| !tfm.is_empty() && !tfm.contains("$("))
        .collect();
    let mut core: Vec<(&str, String)> = listed
        .iter()
        .filter_map(|tfm| msbuild::dotnet_version(tfm).map(|version| (*tfm, version)))
        .collect();
    core.sort_by_key(|(_, version)| version_key(version));
    let Some(highest) = core.last() else {
        let why = if listed.is_empty() {
            let unknown: Vec<String> = evaluated
                .unknown
                .iter()
                .map(|name| format!("`$({name})`"))
                .collect();
            format!(
                "{name} cannot be evaluated ({} set in no file paas read)",
                unknown.join(", ")
            )
        } else {
            format!("{name} names no .NET (Core) framework")
        };
        evidence.push(Evidence::warning(
            &evaluated.file,
            format!("{why}: {fallback}"),
        ));
        return None;
    };
    let sdk = highest.1.clone();
    let supported = core.iter().rev().find(|(_, version)| {
        Release::find(version).is_some_and(|release| release.supported_on(today))
    });
    let (tfm, version) = supported.unwrap_or(highest).clone();
    let from_list = name == "TargetFrameworks";
    if from_list {
        let reason = if supported.is_some() {
            "the highest still supported"
        } else {
            "the highest, though none is supported any more"
        };
        evidence.push(Evidence::new(
            &evaluated.file,
            format!("{tfm} chosen: {reason}; published with `-f {tfm}`"),
        ));
    }
    match Release::find(&version) {
        Some(release) if release.supported_on(today) => {}
        Some(release) => evidence.push(Evidence::warning(
            &evaluated.file,
            format!(
                "{tfm}: .NET {version} is out of support since {} and its images get no security fixes; the `{version}` images are written as the project asks: retarget to net{} (the current LTS)",
                release.end(),
                lts.version
            ),
        )),
        None if version_key(&version) > version_key(RELEASES[0].version) => {
            evidence.push(Evidence::warning(
                &evaluated.file,
                format!(
                    "{tfm}: .NET {version} is newer than the releases paas knows (up to {}): check that the `{version}` images exist",
                    RELEASES[0].version
                ),
            ));
        }
        None => evidence.push(Evidence::warning(
            &evaluated.file,
            format!(
                "{tfm}: .NET {version} is out of support and may have no `{version}` images: retarget to net{} (the current LTS)",
                lts.version
            ),
        )),
    }
    Some(Framework {
        tfm: tfm.to_owned(),
        version,
        sdk,
        from_list,
    })
}

/// Tells whether a publish runs npm, and where the JavaScript app is: the `SpaRoot`
/// property, a referenced JavaScript project (`*.esproj`), a `ClientApp` folder or a
/// `package.json` beside the project. Returns the folder (relative to the root).
fn spa_root(
    root: &Path,
    project: &Project,
    evaluation: &Evaluation<'_>,
    evidence: &mut Vec<Evidence>,
) -> Option<String> {
    let dir = project.dir();
    let mut found: Option<String> = None;
    if let Some(spa) = evaluation
        .properties
        .get("SpaRoot")
        .filter(|evaluated| !evaluated.value.is_empty())
    {
        let value = spa.value.replace('\\', "/");
        evidence.push(Evidence::new(
            &spa.file,
            format!("SpaRoot = {}", spa.written.trim()),
        ));
        found = resolve(dir, value.trim_end_matches('/'));
    }
    for (target, command) in &project.file.execs {
        let runs_npm = command
            .split(|c: char| c.is_whitespace() || c == '&' || c == ';')
            .any(|word| matches!(word, "npm" | "npx" | "yarn" | "pnpm"));
        if runs_npm {
            evidence.push(Evidence::new(
                &project.path,
                format!("target `{target}` runs `{}`", command.trim()),
            ));
            found.get_or_insert_with(|| dir.to_owned());
        }
    }
    for reference in &project.file.project_references {
        if reference.to_ascii_lowercase().ends_with(".esproj") {
            evidence.push(Evidence::new(
                &project.path,
                format!("ProjectReference `{reference}`: a JavaScript project, built with npm"),
            ));
            if let Some(path) = resolve(dir, reference) {
                found.get_or_insert_with(|| walk::parent_dir(&path).to_owned());
            }
        }
    }
    for folder in [join(dir, "ClientApp"), dir.to_owned()] {
        let package = join(&folder, "package.json");
        if root.join(&package).is_file() {
            evidence.push(Evidence::new(&package, "a JavaScript app"));
            found.get_or_insert(folder);
            break;
        }
    }
    if let Some(folder) = &found {
        evidence.push(Evidence::new(
            &project.path,
            format!(
                "the publish needs Node (for `{folder}`): the build stage gets it from `node_image`"
            ),
        ));
    }
    found
}

/// Warns when the project needs files outside the project root (the build context):
/// project references, imports, or a `Directory.Build.props` above it.
fn outside_root(
    root: &Path,
    project: &Project,
    evaluation: &Evaluation<'_>,
    evidence: &mut Vec<Evidence>,
) {
    let mut levels = 0;
    for reference in &project.file.project_references {
        let joined = join(project.dir(), reference);
        let above = levels_above(&joined);
        if above > 0 {
            evidence.push(Evidence::new(
                &project.path,
                format!("ProjectReference `{reference}` is outside the project folder"),
            ));
            levels = levels.max(above);
        }
    }
    for outside in &evaluation.outside {
        evidence.push(Evidence::new(
            &outside.seen_in,
            format!("needs {}, outside the project folder", outside.what),
        ));
        levels = levels.max(outside.levels);
    }
    if levels == 0 {
        return;
    }
    let up = vec![".."; levels].join("/");
    let project_there = match tail_of(root, levels) {
        Some(tail) => format!("{tail}/{}", project.path),
        None => format!("…/{}", project.path),
    };
    evidence.push(Evidence::warning(
        &project.path,
        format!(
            "the build needs files outside the project folder, which `docker build` cannot see: run paas at the repository root (`{up}` from the project folder) with `paas init --project {project_there}`"
        ),
    ));
}

/// Returns `dir` and each folder above it, up to the root (`.`).
pub(crate) fn ancestors(dir: &str) -> impl Iterator<Item = &str> {
    let mut next = Some(dir);
    std::iter::from_fn(move || {
        let current = next?;
        next = (current != ".").then(|| walk::parent_dir(current));
        Some(current)
    })
}

/// Joins a relative folder (`.` for the root) and a name.
pub(crate) fn join(dir: &str, name: &str) -> String {
    if dir == "." {
        name.to_owned()
    } else {
        format!("{dir}/{name}")
    }
}

/// Runs the detector: one web project (or the one asked for) gives the values.
pub(crate) fn detect(
    root: &Path,
    inventory: &Inventory,
    scan: &DotnetScan,
    pack: &str,
    pinned: Option<&str>,
) -> Result<Outcome, DetectError> {
    let web: Vec<&Project> = scan.web_projects(pinned).collect();
    match web.as_slice() {
        [] => Ok(Outcome::NotFound {
            reason: not_found_reason(scan),
        }),
        [project] => {
            let read = WebProject::read(root, inventory, scan, project)?;
            Ok(Outcome::Found(Found {
                summary: read.summary(),
                evidence: read.evidence,
                values: read.values,
                app_name: Some(read.assembly_name),
                project: Some(project.path.clone()),
                jexus_site_config: false,
                warnings: Vec::new(),
            }))
        }
        several => Ok(ambiguous(root, inventory, scan, pack, several)?),
    }
}

/// Returns the ambiguity between several web projects.
pub(crate) fn ambiguous(
    root: &Path,
    inventory: &Inventory,
    scan: &DotnetScan,
    pack: &str,
    projects: &[&Project],
) -> Result<Outcome, DetectError> {
    let mut scored = Vec::new();
    for project in projects {
        scored.push((
            site_score(root, project),
            Candidate {
                pack: pack.to_owned(),
                project: Some(project.path.clone()),
                summary: WebProject::read(root, inventory, scan, project)?.summary(),
            },
        ));
    }
    // The most likely site first (the hint names it); equal scores keep their order.
    scored.sort_by_key(|(score, _)| std::cmp::Reverse(*score));
    let candidates = scored.into_iter().map(|(_, candidate)| candidate).collect();
    let mut solutions = projects.iter().map(|project| project.solution.clone());
    let first = solutions.next().flatten();
    let scope = if solutions.all(|solution| solution == first) {
        first
    } else {
        None
    };
    Ok(Outcome::Ambiguous { scope, candidates })
}

/// How much a web project looks like the site people browse rather than an API beside it:
/// pages (`Pages/`, `Views/`, Blazor `Components/`) and static files (`wwwroot/`) count for it,
/// a name ending in `Api` against it.
fn site_score(root: &Path, project: &Project) -> i32 {
    let dir = root.join(super::walk::parent_dir(&project.path));
    let mut score = 0;
    if ["Pages", "Views", "Components"]
        .iter()
        .any(|name| dir.join(name).is_dir())
    {
        score += 2;
    }
    if dir.join("wwwroot").is_dir() {
        score += 1;
    }
    if project.name.to_ascii_lowercase().ends_with("api") {
        score -= 1;
    }
    score
}

/// Says why no web project was found, naming what was set aside.
pub(crate) fn not_found_reason(scan: &DotnetScan) -> String {
    let mut reason = format!("found none of: {LOOKED_FOR}");
    let skipped = scan.all_skipped();
    if !skipped.is_empty() {
        let list: Vec<String> = skipped
            .iter()
            .map(|skipped| format!("`{}`: {}", skipped.path, skipped.reason))
            .collect();
        let _ = write!(reason, " (set aside: {})", list.join("; "));
    }
    reason
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(text: &str) -> Kind {
        classify(&MsbuildFile::parse(text).expect("parses"), false)
    }

    #[test]
    fn classifies_projects() {
        assert_eq!(
            kind(
                r#"<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>"#
            ),
            Kind::Web
        );
        assert_eq!(
            kind(
                r#"<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>"#
            ),
            Kind::Other("class library (`Microsoft.NET.Sdk` without `OutputType` Exe)".to_owned())
        );
        assert_eq!(
            kind(
                r#"<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="xunit" Version="2.9.2" /></ItemGroup></Project>"#
            ),
            Kind::Other("test project (references `xunit`)".to_owned())
        );
        assert_eq!(
            kind(
                r#"<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><IsTestProject>true</IsTestProject></PropertyGroup></Project>"#
            ),
            Kind::Other("test project (`IsTestProject` = true)".to_owned())
        );
        assert_eq!(
            kind(
                r#"<Project Sdk="Microsoft.NET.Sdk.Worker"><PropertyGroup><OutputType>Exe</OutputType></PropertyGroup></Project>"#
            ),
            Kind::Other("worker app (`Microsoft.NET.Sdk.Worker`): serves no HTTP".to_owned())
        );
        assert_eq!(
            kind(
                r#"<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><OutputType>Exe</OutputType></PropertyGroup></Project>"#
            ),
            Kind::Other("console app (`OutputType` = Exe): serves no HTTP".to_owned())
        );
        assert_eq!(
            kind(
                r#"<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFramework>net48</TargetFramework></PropertyGroup></Project>"#
            ),
            Kind::Other("web project targeting .NET Framework (`net48`)".to_owned())
        );
        assert_eq!(
            kind(r#"<Project Sdk="Microsoft.NET.Sdk.BlazorWebAssembly"></Project>"#),
            Kind::Other("Blazor WebAssembly app (`Microsoft.NET.Sdk.BlazorWebAssembly`): static files, no server".to_owned())
        );
        assert_eq!(
            kind(
                r#"<Project ToolsVersion="15.0"><PropertyGroup><ProjectTypeGuids>{349c5851-65df-11da-9384-00065b846f21};{fae04ec0-301f-11d3-bf4b-00c04f79efbc}</ProjectTypeGuids><TargetFrameworkVersion>v4.8</TargetFrameworkVersion></PropertyGroup></Project>"#
            ),
            Kind::Classic {
                framework_version: Some("4.8".to_owned())
            }
        );
        assert_eq!(
            kind(
                r#"<Project ToolsVersion="15.0"><PropertyGroup><TargetFrameworkVersion>v4.8</TargetFrameworkVersion></PropertyGroup></Project>"#
            ),
            Kind::Other("old-style .NET Framework class library (v4.8), not a web site".to_owned())
        );
    }

    #[test]
    fn normalizes_solution_paths() {
        assert_eq!(
            normalize("src/./Web/../Web/Web.csproj").as_deref(),
            Some("src/Web/Web.csproj")
        );
        assert_eq!(normalize("../Other/Other.csproj"), None);
        assert_eq!(normalize("/abs/X.csproj"), None);
    }

    /// A project folder with the given files, and the `Evaluation` of `project` in it.
    fn evaluate(
        files: &[(&str, &str)],
        project: &str,
    ) -> (tempfile::TempDir, Vec<Evidence>, Option<Framework>) {
        let dir = tempfile::tempdir().expect("a temp dir");
        for (path, text) in files {
            let path = dir.path().join(path);
            fs_err::create_dir_all(path.parent().expect("a parent")).expect("folders");
            fs_err::write(path, text).expect("write");
        }
        let text = fs_err::read_to_string(dir.path().join(project)).expect("the project");
        let file = MsbuildFile::parse(&text).expect("parses");
        let project = Project {
            path: project.to_owned(),
            name: "App".to_owned(),
            solution: None,
            kind: classify(&file, false),
            file,
        };
        let evaluation = Evaluation::run(dir.path(), &project).expect("evaluates");
        let mut evidence = Vec::new();
        let framework = framework(&project.path, &evaluation, (2026, 12, 2), &mut evidence);
        (dir, evidence, framework)
    }

    fn facts(evidence: &[Evidence]) -> Vec<String> {
        evidence
            .iter()
            .map(|evidence| {
                let warning = if evidence.warning { "warning: " } else { "" };
                format!("{}: {warning}{}", evidence.path, evidence.fact)
            })
            .collect()
    }

    const WEB: &str = r#"<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFramework>$(AppTfm)</TargetFramework></PropertyGroup></Project>"#;

    #[test]
    fn dates_and_the_current_lts() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(20_789), (2026, 12, 2));
        assert_eq!(current_lts((2026, 12, 2)).version, "10.0");
        assert_eq!(current_lts((2026, 11, 10)).version, "10.0");
        assert_eq!(current_lts((2025, 1, 1)).version, "10.0");
        assert!(Release::find("8.0").is_some_and(|release| release.supported_on((2026, 11, 10))));
        assert!(!Release::find("8.0").is_some_and(|release| release.supported_on((2026, 11, 11))));
        // Past the table, the newest LTS it knows, never an older line.
        assert_eq!(current_lts((2031, 1, 1)).version, "10.0");
        assert!(version_key("10.0") > version_key("9.0"));
    }

    #[test]
    fn the_pack_defaults_are_the_current_lts() {
        let packs = crate::pack::PackSet::load(&[]).expect("the bundled packs load");
        for pack in ["dotnet", "jexus"] {
            let manifest = &packs.get(pack).expect("the pack").manifest;
            for name in ["dotnet_version", "sdk_version"] {
                let variable = manifest
                    .variables
                    .iter()
                    .find(|variable| variable.name == name)
                    .expect("the variable");
                assert_eq!(
                    variable.default.as_str(),
                    Some(current_lts((2026, 12, 2)).version),
                    "{pack}.{name}"
                );
            }
        }
    }

    #[test]
    fn several_frameworks_give_the_highest_supported() {
        let (_dir, evidence, framework) = evaluate(
            &[(
                "App.csproj",
                r#"<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFrameworks>net9.0;net10.0;net8.0;netstandard2.0;net12.0</TargetFrameworks></PropertyGroup></Project>"#,
            )],
            "App.csproj",
        );
        let framework = framework.expect("a framework");
        assert_eq!(
            (
                framework.tfm.as_str(),
                framework.version.as_str(),
                framework.sdk.as_str(),
                framework.from_list
            ),
            ("net10.0", "10.0", "12.0", true)
        );
        assert_eq!(
            facts(&evidence),
            [
                "App.csproj: TargetFrameworks = net9.0;net10.0;net8.0;netstandard2.0;net12.0",
                "App.csproj: net10.0 chosen: the highest still supported; published with `-f net10.0`",
            ]
        );
        // None supported: the highest, with a warning.
        let (_dir, evidence, framework) = evaluate(
            &[(
                "App.csproj",
                r#"<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFrameworks>net6.0;netcoreapp3.1;net7.0</TargetFrameworks></PropertyGroup></Project>"#,
            )],
            "App.csproj",
        );
        assert_eq!(framework.expect("a framework").tfm, "net7.0");
        assert!(
            facts(&evidence)[2].starts_with(
                "App.csproj: warning: net7.0: .NET 7.0 is out of support since 2024-05-14"
            ),
            "{evidence:?}"
        );
    }

    #[test]
    fn properties_come_through_directory_props_and_imports() {
        let (_dir, evidence, framework) = evaluate(
            &[
                (
                    "Directory.Build.props",
                    r#"<Project><Import Project="$(MSBuildThisFileDirectory)eng/Versions.props" /><PropertyGroup><AppTfm>$(Tfm)</AppTfm></PropertyGroup></Project>"#,
                ),
                (
                    "eng/Versions.props",
                    r"<Project><PropertyGroup><Tfm>net10.0</Tfm></PropertyGroup></Project>",
                ),
                // Read after Directory.Build.props: too late for AppTfm, as in MSBuild.
                (
                    "Directory.Packages.props",
                    r"<Project><PropertyGroup><Tfm>net8.0</Tfm></PropertyGroup></Project>",
                ),
                (
                    "src/Web/Directory.Build.props",
                    r#"<Project><Import Project="$([MSBuild]::GetPathOfFileAbove('Directory.Build.props', '$(MSBuildThisFileDirectory)../'))" /></Project>"#,
                ),
                ("src/Web/App.csproj", WEB),
            ],
            "src/Web/App.csproj",
        );
        assert_eq!(framework.expect("a framework").tfm, "net10.0");
        // The other way of importing the parent's props.
        let (_dir, _, framework) = evaluate(
            &[
                (
                    "Directory.Build.props",
                    r"<Project><PropertyGroup><AppTfm>net11.0</AppTfm></PropertyGroup></Project>",
                ),
                (
                    "src/Directory.Build.props",
                    r#"<Project><Import Project="$([MSBuild]::GetDirectoryNameOfFileAbove($(MSBuildThisFileDirectory).., Directory.Build.props))\Directory.Build.props" /></Project>"#,
                ),
                ("src/App.csproj", WEB),
            ],
            "src/App.csproj",
        );
        assert_eq!(framework.expect("a framework").tfm, "net11.0");
        assert_eq!(
            facts(&evidence),
            [
                "eng/Versions.props: Tfm = net10.0",
                "Directory.Build.props: AppTfm = $(Tfm), evaluated to net10.0",
                "src/Web/App.csproj: TargetFramework = $(AppTfm), evaluated to net10.0"
            ]
        );
    }

    #[test]
    fn a_conditioned_value_only_fills_an_unset_property() {
        let (_dir, _, framework) = evaluate(
            &[
                (
                    "Directory.Build.props",
                    r"<Project><PropertyGroup><AppTfm>net10.0</AppTfm></PropertyGroup></Project>",
                ),
                (
                    "App.csproj",
                    r#"<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><AppTfm Condition="'$(AppTfm)' == ''">net8.0</AppTfm><TargetFramework>$(AppTfm)</TargetFramework></PropertyGroup></Project>"#,
                ),
            ],
            "App.csproj",
        );
        assert_eq!(framework.expect("a framework").tfm, "net10.0");
    }

    #[test]
    fn a_framework_not_found_is_said_and_the_lts_used() {
        let (_dir, evidence, framework) = evaluate(&[("App.csproj", WEB)], "App.csproj");
        assert!(framework.is_none());
        assert_eq!(
            facts(&evidence),
            [
                "App.csproj: TargetFramework = $(AppTfm)",
                "App.csproj: warning: TargetFramework cannot be evaluated (`$(AppTfm)` set in no file paas read): the pack's default `dotnet_version` is used (the current LTS, 10.0); set TargetFramework, or `dotnet_version` under `[pack]` in `paas.toml`"
            ]
        );
        let (_dir, evidence, _) = evaluate(
            &[(
                "App.csproj",
                r#"<Project Sdk="Microsoft.NET.Sdk.Web"></Project>"#,
            )],
            "App.csproj",
        );
        assert_eq!(
            facts(&evidence),
            [
                "App.csproj: warning: TargetFramework is set in none of `App.csproj`: the pack's default `dotnet_version` is used (the current LTS, 10.0); set TargetFramework, or `dotnet_version` under `[pack]` in `paas.toml`"
            ]
        );
    }

    #[test]
    fn paths_resolve_inside_the_root_only() {
        assert_eq!(
            resolve("src/Web", "ClientApp").as_deref(),
            Some("src/Web/ClientApp")
        );
        assert_eq!(
            resolve("src/Web", "<root>/src/Web/../").as_deref(),
            Some("src")
        );
        assert_eq!(resolve(".", "<root>/./").as_deref(), Some("."));
        assert_eq!(resolve("src", "../../x.props"), None);
        assert_eq!(levels_above("Web/../../shared/Shared.csproj"), 1);
        assert_eq!(levels_above("a/../../../b"), 2);
        assert_eq!(levels_above("a/b"), 0);
    }

    #[test]
    fn walks_up_to_the_root() {
        assert_eq!(
            ancestors("src/Web").collect::<Vec<_>>(),
            ["src/Web", "src", "."]
        );
        assert_eq!(ancestors(".").collect::<Vec<_>>(), ["."]);
        assert_eq!(join(".", "global.json"), "global.json");
        assert_eq!(join("src", "global.json"), "src/global.json");
    }
}
