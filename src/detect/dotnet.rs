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

use serde_json::{Value, json};

use super::msbuild::{self, MsbuildFile, SolutionEntry};
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
        .or_else(|| {
            file.property("TargetFrameworks")
                .and_then(|list| list.split(';').next())
        })
        .unwrap_or_default();
    if file.has_sdk(WEB_SDK) {
        if is_net_framework_tfm(tfm) {
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

/// The values read for a web project (shared with the `jexus` detector).
pub(crate) struct WebProject {
    /// What was read, in order.
    pub(crate) evidence: Vec<Evidence>,
    /// `project`, `project_dir`, `assembly_name`, `dotnet_version`, `sdk_version`, `solution`.
    pub(crate) values: BTreeMap<String, Value>,
    /// The assembly name.
    pub(crate) assembly_name: String,
    /// The target framework moniker, when known (`net8.0`).
    pub(crate) tfm: Option<String>,
}

impl WebProject {
    /// Reads the values of `project`: its framework (possibly from a `Directory.Build.props`),
    /// its assembly name and the SDK pinned by a `global.json`.
    pub(crate) fn read(
        root: &Path,
        inventory: &Inventory,
        scan: &DotnetScan,
        project: &Project,
    ) -> Result<Self, DetectError> {
        let mut evidence: Vec<Evidence> = scan.solution_evidence(project).into_iter().collect();
        evidence.push(Evidence::new(&project.path, format!("Sdk = {WEB_SDK}")));
        let mut tfm = framework_of(&project.file).map(|(name, value)| {
            evidence.push(Evidence::new(&project.path, format!("{name} = {value}")));
            first_framework(value)
        });
        if tfm.is_none() {
            for props in ancestors(project.dir()).map(|dir| join(dir, "Directory.Build.props")) {
                if !inventory.has(&props) {
                    continue;
                }
                let text = read_text(root, &props)?;
                let Ok(file) = MsbuildFile::parse(&text) else {
                    continue;
                };
                if let Some((name, value)) = framework_of(&file) {
                    evidence.push(Evidence::new(&props, format!("{name} = {value}")));
                    tfm = Some(first_framework(value));
                    break;
                }
            }
        }
        if tfm.is_none() {
            evidence.push(Evidence::new(&project.path, "TargetFramework not set"));
        }
        let dotnet_version = tfm.as_deref().and_then(msbuild::dotnet_version);
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
        let mut sdk_version = dotnet_version.clone();
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
        let mut values = BTreeMap::new();
        values.insert("project".to_owned(), json!(project.path));
        values.insert("project_dir".to_owned(), json!(project.dir()));
        values.insert("assembly_name".to_owned(), json!(assembly_name));
        values.insert("dotnet_version".to_owned(), json!(dotnet_version));
        values.insert("sdk_version".to_owned(), json!(sdk_version));
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

fn framework_of(file: &MsbuildFile) -> Option<(&'static str, &str)> {
    file.property("TargetFramework")
        .map(|value| ("TargetFramework", value))
        .or_else(|| {
            file.property("TargetFrameworks")
                .map(|value| ("TargetFrameworks", value))
        })
        .filter(|(_, value)| !value.contains("$("))
}

fn first_framework(list: &str) -> String {
    list.split(';')
        .map(str::trim)
        .find(|tfm| !tfm.is_empty())
        .unwrap_or_default()
        .to_owned()
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
    let mut candidates = Vec::new();
    for project in projects {
        candidates.push(Candidate {
            pack: pack.to_owned(),
            project: Some(project.path.clone()),
            summary: WebProject::read(root, inventory, scan, project)?.summary(),
        });
    }
    let mut solutions = projects.iter().map(|project| project.solution.clone());
    let first = solutions.next().flatten();
    let scope = if solutions.all(|solution| solution == first) {
        first
    } else {
        None
    };
    Ok(Outcome::Ambiguous { scope, candidates })
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
