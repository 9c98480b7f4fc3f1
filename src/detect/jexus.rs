//! The `jexus` detector: sites served by the Jexus web server.
//!
//! Two modes. `classic`: a classic ASP.NET site (WebForms/MVC on .NET Framework, run by the
//! Mono bundled with Jexus). A Web Application Project is an old-style `*.csproj` targeting
//! v4.x that is a site by its own signs: a web `ProjectTypeGuids`, or a `Web.config` with
//! `<system.web>`/`<pages>`, or a `Global.asax`, in its own folder. A class library that only
//! references `System.Web`, and a test project (test `ProjectTypeGuids`, MSTest/NUnit/xUnit
//! references), are set aside with the reason. Such a project is built in the image (`nuget
//! restore` of its `packages.config`, then a Release build and publish with Mono's tools). A
//! Web Site Project (no project file: a `Web.config` at the root or beside a project file,
//! with `.aspx`, `.ashx` or `Global.asax` files below it) is copied as it is. When several
//! sites remain, they are offered most likely first (see [`ClassicSite::score`]).
//!
//! `apphost`: an ASP.NET Core web project with a Jexus site config in the repository
//! (`jexus/`, `siteconf/`, `jws/`, or a `*.conf`/`default` file at the root), or with no site
//! config when the pack is asked for explicitly. A site config is a file of `key=value` lines
//! naming an `AppHost`, a `root=` of the Jexus form or a numeric `port=`; an INI file with
//! `[sections]` (`supervisord.conf`) or an nginx-style config is not one. When both a classic
//! site and an ASP.NET Core project exist, the classic site is taken. A site config alone
//! (with no application to host) does not match.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::{Value, json};

use super::dotnet::{self, DotnetScan, Kind, WebProject, join};
use super::msbuild::MsbuildFile;
use super::walk::{self, Inventory, JEXUS_CONFIG_DIRS};
use super::{Candidate, DetectError, Evidence, Found, Outcome, Skipped, read_text};

/// What the detector looks for, for `looked_for` and errors.
pub(crate) const LOOKED_FOR: &str = "a classic ASP.NET site (`Web.config` with `*.aspx`, `*.ashx` or `Global.asax` files, \
or an old-style `*.csproj` targeting .NET Framework v4.x), or an ASP.NET Core project with a Jexus site config \
(`jexus/`, `siteconf/`, `jws/`, or a `*.conf` or `default` file at the root, with `port=`, `root=` or `AppHost=`)";

/// The framework version assumed when nothing names one.
const DEFAULT_FRAMEWORK: &str = "4.8";

/// Site config files larger than this are not site configs.
const MAX_CONFIG_BYTES: u64 = 64 * 1024;

/// A Jexus site config found in the repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SiteConfig {
    /// Its relative path.
    pub(crate) path: String,
    /// The site keys read (`port`, `root`, `hosts`…), in file order, keys as written.
    pub(crate) keys: Vec<(String, String)>,
    /// The `AppHost` settings (`Cmd`, `AppRoot`, `AppPort`, `Port`…), from an `AppHost={…}`
    /// block or `AppHost.X=` lines.
    pub(crate) apphost: Vec<(String, String)>,
}

impl SiteConfig {
    /// Parses a site config; `None` when the text is not one: it has no `AppHost`, no `root=`
    /// of the Jexus form (`/virtual /physical/folder`) and no numeric `port=`, or it has
    /// `[sections]` (an INI file such as `supervisord.conf`, whose `port=127.0.0.1:9001` and
    /// `command=dotnet App.dll` say nothing about Jexus) or `{ … }` blocks other than `AppHost`.
    pub(crate) fn parse(path: &str, text: &str) -> Option<Self> {
        let mut config = Self {
            path: path.to_owned(),
            keys: Vec::new(),
            apphost: Vec::new(),
        };
        let mut in_block = false;
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or_default().trim();
            if line.is_empty() {
                continue;
            }
            if in_block {
                let (inside, closed) = match line.split_once('}') {
                    Some((inside, _)) => (inside, true),
                    None => (line, false),
                };
                config.block_entries(inside);
                in_block = !closed;
                continue;
            }
            if line.starts_with('[') && line.ends_with(']') {
                return None;
            }
            let Some((key, value)) = line.split_once('=') else {
                if line.ends_with('{') || line == "}" {
                    return None;
                }
                continue;
            };
            let key = key.trim();
            let value = value.trim();
            if key.eq_ignore_ascii_case("AppHost") && value.starts_with('{') {
                let rest = &value[1..];
                let (inside, closed) = match rest.split_once('}') {
                    Some((inside, _)) => (inside, true),
                    None => (rest, false),
                };
                config.block_entries(inside);
                in_block = !closed;
            } else if let Some(setting) = key
                .strip_prefix("AppHost.")
                .or_else(|| key.strip_prefix("apphost."))
            {
                config.apphost.push((
                    setting.to_owned(),
                    value.trim_end_matches(';').trim().to_owned(),
                ));
            } else if !key.is_empty() && !key.contains(char::is_whitespace) {
                config.keys.push((key.to_owned(), value.to_owned()));
            }
        }
        let is_site = !config.apphost.is_empty()
            || config.keys.iter().any(|(key, value)| {
                (key.eq_ignore_ascii_case("port")
                    && !value.is_empty()
                    && value.bytes().all(|byte| byte.is_ascii_digit()))
                    || (key.eq_ignore_ascii_case("root") && is_jexus_root(value))
            });
        is_site.then_some(config)
    }

    fn block_entries(&mut self, text: &str) {
        for entry in text.split(';') {
            if let Some((key, value)) = entry.split_once('=') {
                let key = key.trim();
                if !key.is_empty() {
                    self.apphost.push((key.to_owned(), value.trim().to_owned()));
                }
            }
        }
    }

    fn key(&self, name: &str) -> Option<&str> {
        self.keys
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    fn apphost(&self, name: &str) -> Option<&str> {
        self.apphost
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// Returns the facts read, for evidence: the site keys, then the `AppHost` settings.
    fn facts(&self) -> Vec<Evidence> {
        let mut facts = Vec::new();
        for name in ["port", "root", "hosts"] {
            if let Some(value) = self.key(name) {
                facts.push(Evidence::new(&self.path, format!("{name} = {value}")));
            }
        }
        for name in ["Cmd", "AppRoot", "AppPort", "Port"] {
            if let Some(value) = self.apphost(name) {
                facts.push(Evidence::new(
                    &self.path,
                    format!("AppHost {name} = {value}"),
                ));
            }
        }
        if facts.is_empty() {
            facts.push(Evidence::new(&self.path, "Jexus site config"));
        }
        facts
    }

    /// Returns the port the hosted app listens on (`AppHost AppPort`, or `AppHost.Port`).
    fn app_port(&self) -> Option<u16> {
        self.apphost("AppPort")
            .or_else(|| self.apphost("Port"))
            .and_then(|port| port.trim().parse().ok())
    }

    /// Returns the file name of the dll `AppHost Cmd` starts (`Shop.Web.dll`), if any.
    fn dll(&self) -> Option<&str> {
        let command = self.apphost("Cmd")?;
        command
            .split_whitespace()
            .find(|word| word.to_ascii_lowercase().ends_with(".dll"))
            .map(|word| word.rsplit(['/', '\\']).next().unwrap_or(word))
    }
}

/// Tells whether a `root=` value has the Jexus form: a virtual path, then a folder.
fn is_jexus_root(value: &str) -> bool {
    let mut words = value.split_whitespace();
    matches!((words.next(), words.next(), words.next()), (Some(virtual_path), Some(_), None) if virtual_path.starts_with('/'))
}

/// Finds the Jexus site configs of the tree, sorted by path; those with `AppHost` first.
pub(crate) fn site_configs(
    root: &Path,
    inventory: &Inventory,
) -> Result<Vec<SiteConfig>, DetectError> {
    let mut configs = Vec::new();
    for path in &inventory.files {
        let lower = path.to_ascii_lowercase();
        let in_config_dir = matches!(lower.split_once('/'), Some((dir, rest))
            if JEXUS_CONFIG_DIRS.contains(&dir) && !rest.contains('/'));
        let at_root = !lower.contains('/')
            && (walk::extension(&lower).as_deref() == Some("conf") || lower == "default");
        if !(in_config_dir || at_root) {
            continue;
        }
        let too_big =
            fs_err::metadata(root.join(path)).map_or(true, |meta| meta.len() > MAX_CONFIG_BYTES);
        if too_big {
            continue;
        }
        let bytes = crate::files::Root::project(root)
            .read(Path::new(path))
            .map_err(|source| DetectError::Read {
                path: root.join(path),
                source,
            })?;
        if let Some(config) = SiteConfig::parse(path, &String::from_utf8_lossy(&bytes)) {
            configs.push(config);
        }
    }
    configs.sort_by_key(|config| (config.apphost.is_empty(), config.path.clone()));
    Ok(configs)
}

/// `ProjectTypeGuids` of classic ASP.NET sites: Web Application, MVC 1 to 5 and Web Site.
const SITE_TYPE_GUIDS: &[&str] = &[
    "349C5851-65DF-11DA-9384-00065B846F21",
    "E24C65DC-7377-472B-9ABA-BC803B73C61A",
    "603C0E0B-DB56-11DC-BE95-000D561079B0",
    "F85E285D-A4E0-4152-9332-AB1D724D3325",
    "E53F8FEA-EAE0-44A6-8774-FFD645390401",
    "E3E379DF-F4C6-4180-9B81-6769533ABE47",
    "349C5853-65DF-11DA-9384-00065B846F21",
];

/// The `ProjectTypeGuids` of a test project.
const TEST_TYPE_GUID: &str = "3AC096D0-A1C2-E12C-1390-A8335801FDAB";

/// Assembly or package names (lowercase prefixes) that make a .NET Framework test project.
const TEST_REFERENCE_PREFIXES: &[&str] = &[
    "microsoft.visualstudio.qualitytools.unittestframework",
    "mstest.",
    "nunit",
    "xunit",
];

/// A classic ASP.NET site.
#[derive(Debug, Clone)]
pub(crate) struct ClassicSite {
    /// The folder holding `Web.config` (or the project file).
    pub(crate) site_dir: String,
    /// The old-style project file, when the site has one.
    pub(crate) project: Option<String>,
    /// The assembly name of that project.
    pub(crate) assembly_name: Option<String>,
    /// The `.NET Framework` version (`4.7.2`).
    pub(crate) framework_version: String,
    /// What `nuget restore` is given (the solution, else the project's `packages.config`);
    /// `None` when the project has no `packages.config`.
    pub(crate) restore: Option<String>,
    /// The solution the project is listed in.
    pub(crate) solution: Option<String>,
    /// The `NuGet.config` of the restore (the company feed), nearest to the restored file.
    pub(crate) nuget_config: Option<String>,
    /// How likely it is the site to deploy, with the signs counted (see [`Self::score`]).
    pub(crate) signs: Vec<&'static str>,
    /// What was read.
    pub(crate) evidence: Vec<Evidence>,
}

/// The signs of a site, strongest first, with their weight: a web project type decides over
/// everything else together, then `Global.asax`, `Web.config`, `Views/` and pages.
const SIGNS: &[(&str, u32)] = &[
    ("web project type", 16),
    ("`Global.asax`", 8),
    ("`Web.config`", 4),
    ("`Views/`", 2),
    ("pages", 1),
];

impl ClassicSite {
    /// Returns how likely this is the site to deploy: the sum of the weights of its signs.
    pub(crate) fn score(&self) -> u32 {
        SIGNS
            .iter()
            .filter(|(sign, _)| self.signs.contains(sign))
            .map(|(_, weight)| weight)
            .sum()
    }

    /// Tells whether `wanted` (a relative path or a name) designates this site.
    pub(crate) fn is_called(&self, wanted: &str) -> bool {
        self.site_dir == wanted
            || self.project.as_deref() == Some(wanted)
            || self
                .assembly_name
                .as_deref()
                .is_some_and(|name| name.eq_ignore_ascii_case(wanted))
            || self.project.as_deref().is_some_and(|project| {
                let name = walk::file_name(project);
                name.rsplit_once('.')
                    .is_some_and(|(stem, _)| stem.eq_ignore_ascii_case(wanted))
            })
    }

    /// Returns what to pass to `--project` for this site.
    pub(crate) fn key(&self) -> &str {
        self.project.as_deref().unwrap_or(&self.site_dir)
    }

    /// Returns the one-line description.
    pub(crate) fn summary(&self) -> String {
        let name = self
            .assembly_name
            .as_ref()
            .map(|name| format!(" `{name}`"))
            .unwrap_or_default();
        let kind = if self.project.is_some() {
            "built with Mono"
        } else {
            "Web Site Project, copied as it is"
        };
        format!(
            "classic ASP.NET site{name} in `{}` (.NET Framework {}, {kind}) on Jexus",
            self.site_dir, self.framework_version
        )
    }
}

/// The classic ASP.NET sites of a tree, and the old-style projects that are not sites.
#[derive(Debug, Default)]
pub(crate) struct ClassicScan {
    /// The sites, most likely first (highest [`ClassicSite::score`]), then by folder.
    pub(crate) sites: Vec<ClassicSite>,
    /// Old-style .NET Framework projects set aside (class libraries, test projects), with why.
    pub(crate) set_aside: Vec<Skipped>,
}

/// Finds the classic ASP.NET sites of the tree.
pub(crate) fn classic_sites(
    root: &Path,
    inventory: &Inventory,
    scan: &DotnetScan,
) -> Result<ClassicScan, DetectError> {
    let mut found = ClassicScan::default();
    for project in &scan.projects {
        let Kind::Classic { framework_version } = &project.kind else {
            continue;
        };
        let dir = project.dir().to_owned();
        if let Some(reason) = test_project(&project.file) {
            found.set_aside.push(Skipped {
                path: project.path.clone(),
                reason,
            });
            continue;
        }
        let guids = project
            .file
            .property("ProjectTypeGuids")
            .unwrap_or_default()
            .to_ascii_uppercase();
        let config = web_config(inventory, &dir);
        let config_text = config.map(|config| read_text(root, config)).transpose()?;
        let mut signs = Vec::new();
        if SITE_TYPE_GUIDS.iter().any(|guid| guids.contains(guid)) {
            signs.push(SIGNS[0].0);
        }
        if global_asax(inventory, &dir).is_some() {
            signs.push(SIGNS[1].0);
        }
        if config_text.as_deref().is_some_and(configures_pages) {
            signs.push(SIGNS[2].0);
        }
        if signs.is_empty() {
            let reason = if project
                .file
                .references
                .iter()
                .any(|reference| reference == "System.Web")
            {
                "class library referencing `System.Web`: no web project type, and no `Web.config` \
with `<system.web>` or `Global.asax` in its folder"
            } else {
                "old-style .NET Framework project: no web project type, and no `Web.config` with \
`<system.web>` or `Global.asax` in its folder"
            };
            found.set_aside.push(Skipped {
                path: project.path.clone(),
                reason: reason.to_owned(),
            });
            continue;
        }
        let mut evidence = vec![Evidence::new(
            &project.path,
            match &project.file.tools_version {
                Some(version) => format!("ToolsVersion = {version}, no Sdk: an old-style project"),
                None => "no Sdk: an old-style project".to_owned(),
            },
        )];
        if let Some(version) = project.file.property("TargetFrameworkVersion") {
            evidence.push(Evidence::new(
                &project.path,
                format!("TargetFrameworkVersion = {version}"),
            ));
        }
        if let Some(guids) = project.file.property("ProjectTypeGuids") {
            evidence.push(Evidence::new(
                &project.path,
                format!("ProjectTypeGuids = {guids}"),
            ));
        }
        let packages_config = join(&dir, "packages.config");
        let restore = root.join(&packages_config).is_file().then(|| {
            evidence.push(Evidence::new(
                &packages_config,
                "NuGet packages: restored in the build stage",
            ));
            project
                .solution
                .clone()
                .unwrap_or_else(|| packages_config.clone())
        });
        let nuget_config = match &restore {
            Some(restored) => nuget_config(root, walk::parent_dir(restored)),
            None => None,
        };
        if let Some(nuget_config) = &nuget_config {
            evidence.push(Evidence::new(nuget_config, "NuGet sources of the restore"));
        }
        let mut site = ClassicSite {
            site_dir: dir.clone(),
            project: Some(project.path.clone()),
            assembly_name: Some(project.assembly_name().to_owned()),
            framework_version: framework_version
                .clone()
                .unwrap_or_else(|| DEFAULT_FRAMEWORK.to_owned()),
            restore,
            solution: project.solution.clone(),
            nuget_config,
            signs,
            evidence,
        };
        if let (Some(config), Some(text)) = (config, &config_text) {
            let fact = match config_framework(text) {
                Some(version) => format!("targetFramework = {version}"),
                None => "site configuration".to_owned(),
            };
            site.evidence.push(Evidence::new(config, fact));
        }
        add_views(root, &mut site);
        add_pages(inventory, &mut site);
        found.sites.push(site);
    }
    // A Web Site Project: a `Web.config` with pages, at the root or beside a project file that
    // is not SDK-style (and is no site itself).
    let mut dirs: Vec<String> = vec![".".to_owned()];
    for path in inventory.named(|name| name.ends_with(".csproj")) {
        dirs.push(walk::parent_dir(path).to_owned());
    }
    dirs.sort();
    dirs.dedup();
    for dir in dirs {
        let set_aside = found
            .set_aside
            .iter()
            .any(|aside| walk::parent_dir(&aside.path) == dir);
        if set_aside || found.sites.iter().any(|site| site.site_dir == dir) {
            continue;
        }
        let sdk_style = scan
            .projects
            .iter()
            .any(|project| project.dir() == dir && !project.file.sdks.is_empty());
        let Some(config) = web_config(inventory, &dir) else {
            continue;
        };
        if sdk_style {
            continue;
        }
        let text = read_text(root, config)?;
        let mut site = ClassicSite {
            site_dir: dir.clone(),
            project: None,
            assembly_name: None,
            framework_version: DEFAULT_FRAMEWORK.to_owned(),
            restore: None,
            solution: None,
            nuget_config: None,
            signs: vec![SIGNS[2].0],
            evidence: Vec::new(),
        };
        match config_framework(&text) {
            Some(version) => {
                site.evidence.push(Evidence::new(
                    config,
                    format!("targetFramework = {version}"),
                ));
                site.framework_version = version;
            }
            None => site.evidence.push(Evidence::new(
                config,
                format!("Web.config names no targetFramework: {DEFAULT_FRAMEWORK} is assumed"),
            )),
        }
        if global_asax(inventory, &dir).is_some() {
            site.signs.push(SIGNS[1].0);
        }
        add_views(root, &mut site);
        if add_pages(inventory, &mut site) {
            found.sites.push(site);
        }
    }
    found.sites.sort_by(|a, b| {
        b.score()
            .cmp(&a.score())
            .then_with(|| a.site_dir.cmp(&b.site_dir))
    });
    Ok(found)
}

/// Returns why an old-style project is a test project, if it is one.
fn test_project(file: &MsbuildFile) -> Option<String> {
    let guids = file
        .property("ProjectTypeGuids")
        .unwrap_or_default()
        .to_ascii_uppercase();
    if guids.contains(TEST_TYPE_GUID) {
        return Some(format!(
            "test project (`ProjectTypeGuids` has the test type `{{{TEST_TYPE_GUID}}}`)"
        ));
    }
    file.references
        .iter()
        .find(|reference| {
            let lower = reference.to_ascii_lowercase();
            TEST_REFERENCE_PREFIXES
                .iter()
                .any(|prefix| lower.starts_with(prefix))
        })
        .map(|reference| format!("test project (references `{reference}`)"))
}

/// Tells whether a `Web.config` configures ASP.NET (`<system.web>` or `<pages>`).
fn configures_pages(text: &str) -> bool {
    text.contains("<system.web") || text.contains("<pages")
}

fn global_asax<'a>(inventory: &'a Inventory, dir: &str) -> Option<&'a str> {
    let wanted = join(dir, "global.asax");
    inventory
        .files
        .iter()
        .find(|file| file.eq_ignore_ascii_case(&wanted))
        .map(String::as_str)
}

/// Adds `Views/` (MVC) to the signs when the site folder has one.
fn add_views(root: &Path, site: &mut ClassicSite) {
    let views = join(&site.site_dir, "Views");
    if root.join(&views).is_dir() {
        site.signs.push(SIGNS[3].0);
        site.evidence
            .push(Evidence::new(format!("{views}/"), "MVC views"));
    }
}

/// Finds the `NuGet.config` that applies to a restore run in `dir`: the nearest one in `dir`
/// or a folder above it (any case), or `.nuget/NuGet.config` beside a solution.
fn nuget_config(root: &Path, dir: &str) -> Option<String> {
    let mut dir = dir.to_owned();
    loop {
        for candidate in [
            join(&dir, "NuGet.config"),
            join(&dir, ".nuget/NuGet.config"),
        ] {
            let folder = walk::parent_dir(&candidate).to_owned();
            let Ok(entries) = fs_err::read_dir(root.join(&folder)) else {
                continue;
            };
            let name = entries
                .filter_map(Result::ok)
                .filter_map(|entry| entry.file_name().into_string().ok())
                .find(|name| name.eq_ignore_ascii_case("nuget.config"));
            if let Some(name) = name {
                return Some(join(&folder, &name));
            }
        }
        if dir == "." {
            return None;
        }
        dir = walk::parent_dir(&dir).to_owned();
    }
}

fn web_config<'a>(inventory: &'a Inventory, dir: &str) -> Option<&'a str> {
    ["Web.config", "web.config"]
        .into_iter()
        .map(|name| join(dir, name))
        .find_map(|path| inventory.files.iter().find(|file| **file == path))
        .map(String::as_str)
}

/// Adds the ASP.NET pages below the site folder to the evidence; tells whether any exist.
fn add_pages(inventory: &Inventory, site: &mut ClassicSite) -> bool {
    let prefix = if site.site_dir == "." {
        String::new()
    } else {
        format!("{}/", site.site_dir)
    };
    let pages: Vec<&String> = inventory
        .files
        .iter()
        .filter(|path| path.starts_with(&prefix))
        .filter(|path| {
            let name = walk::file_name(path).to_ascii_lowercase();
            name == "global.asax"
                || matches!(walk::extension(&name).as_deref(), Some("aspx" | "ashx"))
        })
        .collect();
    match pages.as_slice() {
        [] => false,
        [first, rest @ ..] => {
            let more = if rest.is_empty() {
                String::new()
            } else {
                format!(" (and {} more)", rest.len())
            };
            site.evidence
                .push(Evidence::new(first.as_str(), format!("ASP.NET page{more}")));
            let has_pages = pages
                .iter()
                .any(|path| matches!(walk::extension(path).as_deref(), Some("aspx" | "ashx")));
            if has_pages {
                site.signs.push(SIGNS[4].0);
            }
            true
        }
    }
}

/// Reads `targetFramework="4.7.2"` from `<compilation>` or `<httpRuntime>` in a `Web.config`.
fn config_framework(text: &str) -> Option<String> {
    static FRAMEWORK: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"<(?:compilation|httpRuntime)\b[^>]*\btargetFramework\s*=\s*"([0-9.]+)""#)
            .expect("the pattern is valid")
    });
    FRAMEWORK
        .captures(text)
        .map(|captures| captures[1].to_owned())
}

/// Runs the detector. `forced` is set when the pack was asked for explicitly: an ASP.NET
/// Core project is then hosted even without a site config.
#[expect(
    clippy::too_many_arguments,
    reason = "the shared scans are passed in, not recomputed"
)]
pub(crate) fn detect(
    root: &Path,
    inventory: &Inventory,
    scan: &DotnetScan,
    classic: &[ClassicSite],
    configs: &[SiteConfig],
    pack: &str,
    pinned: Option<&str>,
    forced: bool,
) -> Result<(Outcome, Vec<Skipped>), DetectError> {
    let mut skipped: Vec<Skipped> = configs
        .iter()
        .skip(1)
        .map(|config| Skipped {
            path: config.path.clone(),
            reason: format!("another Jexus site config: `{}` is used", configs[0].path),
        })
        .collect();
    let config = configs.first();
    let sites: Vec<&ClassicSite> = classic
        .iter()
        .filter(|site| pinned.is_none_or(|key| site.key() == key))
        .collect();
    match sites.as_slice() {
        [site] => return Ok((Outcome::Found(classic_found(site, config)), skipped)),
        [_, _, ..] => {
            let candidates = sites
                .iter()
                .map(|site| Candidate {
                    pack: pack.to_owned(),
                    project: Some(site.key().to_owned()),
                    summary: format!("{} (signs: {})", site.summary(), site.signs.join(", ")),
                })
                .collect();
            return Ok((
                Outcome::Ambiguous {
                    scope: None,
                    candidates,
                },
                skipped,
            ));
        }
        [] => {}
    }
    if config.is_none() && !forced {
        return Ok((
            Outcome::NotFound {
                reason: format!("found none of: {LOOKED_FOR}"),
            },
            skipped,
        ));
    }
    let mut web: Vec<&dotnet::Project> = scan.web_projects(pinned).collect();
    if web.len() > 1
        && let Some(dll) = config.and_then(SiteConfig::dll)
    {
        let named: Vec<&dotnet::Project> = web
            .iter()
            .copied()
            .filter(|project| format!("{}.dll", project.assembly_name()).eq_ignore_ascii_case(dll))
            .collect();
        if named.len() == 1 {
            for other in web.iter().filter(|project| project.path != named[0].path) {
                skipped.push(Skipped {
                    path: other.path.clone(),
                    reason: format!("web project not started by the AppHost `Cmd` (`{dll}`)"),
                });
            }
            web = named;
        }
    }
    match web.as_slice() {
        [] => {
            let reason = match config {
                Some(config) => format!(
                    "the Jexus site config `{}` has no ASP.NET Core project to host",
                    config.path
                ),
                None => format!("found none of: {LOOKED_FOR}"),
            };
            Ok((Outcome::NotFound { reason }, skipped))
        }
        [project] => {
            let read = WebProject::read(root, inventory, scan, project)?;
            let mut evidence = Vec::new();
            let mut values = read.values.clone();
            insert_common(&mut values, "apphost", config);
            values.insert("site_dir".to_owned(), Value::Null);
            values.insert("framework_version".to_owned(), Value::Null);
            let summary = match config {
                Some(config) => {
                    evidence.extend(config.facts());
                    format!(
                        "{} behind Jexus AppHost (`{}`)",
                        read.summary(),
                        config.path
                    )
                }
                None => format!("{} behind Jexus AppHost", read.summary()),
            };
            evidence.extend(read.evidence);
            Ok((
                Outcome::Found(Found {
                    summary,
                    evidence,
                    values,
                    app_name: Some(read.assembly_name),
                    project: Some(project.path.clone()),
                    jexus_site_config: config.is_some(),
                    warnings: Vec::new(),
                }),
                skipped,
            ))
        }
        several => Ok((
            dotnet::ambiguous(root, inventory, scan, pack, several)?,
            skipped,
        )),
    }
}

fn insert_common(values: &mut BTreeMap<String, Value>, mode: &str, config: Option<&SiteConfig>) {
    values.insert("mode".to_owned(), json!(mode));
    values.insert(
        "site_config".to_owned(),
        json!(config.map(|config| config.path.clone())),
    );
    values.insert(
        "app_port".to_owned(),
        json!(config.and_then(SiteConfig::app_port)),
    );
}

fn classic_found(site: &ClassicSite, config: Option<&SiteConfig>) -> Found {
    let mut evidence = site.evidence.clone();
    if let Some(config) = config {
        evidence.extend(config.facts());
    }
    let mut values = BTreeMap::new();
    insert_common(&mut values, "classic", config);
    values.insert("site_dir".to_owned(), json!(site.site_dir));
    values.insert(
        "framework_version".to_owned(),
        json!(site.framework_version),
    );
    // Empty strings, not nulls: a null would let the pack's (ASP.NET Core) defaults in.
    let or_empty = |value: Option<&String>| json!(value.map_or("", String::as_str));
    values.insert("project".to_owned(), or_empty(site.project.as_ref()));
    values.insert(
        "project_dir".to_owned(),
        json!(site.project.as_ref().map(|_| site.site_dir.clone())),
    );
    values.insert("assembly_name".to_owned(), json!(site.assembly_name));
    values.insert("dotnet_version".to_owned(), Value::Null);
    values.insert("sdk_version".to_owned(), Value::Null);
    values.insert("solution".to_owned(), or_empty(site.solution.as_ref()));
    values.insert("restore".to_owned(), or_empty(site.restore.as_ref()));
    values.insert(
        "nuget_config".to_owned(),
        or_empty(site.nuget_config.as_ref()),
    );
    Found {
        summary: site.summary(),
        evidence,
        values,
        app_name: site.assembly_name.clone(),
        project: site.project.clone().or_else(|| Some(site.site_dir.clone())),
        jexus_site_config: false,
        warnings: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_site_config_with_an_apphost_block() {
        let config = SiteConfig::parse(
            "jexus/default",
            "# shop\nport=80\nroot=/ /var/www/shop\nhosts=shop.example.com\n\nAppHost={\n  Cmd=dotnet /var/www/shop/Shop.Web.dll;\n  AppRoot=/var/www/shop;\n  AppPort=5000;\n}\nUseGzip=true\n",
        )
        .expect("is a site config");
        assert_eq!(config.keys.len(), 4);
        assert_eq!(
            config.apphost("cmd"),
            Some("dotnet /var/www/shop/Shop.Web.dll")
        );
        assert_eq!(config.app_port(), Some(5000));
        assert_eq!(config.dll(), Some("Shop.Web.dll"));
        assert_eq!(
            config
                .facts()
                .iter()
                .map(|fact| fact.fact.as_str())
                .collect::<Vec<_>>(),
            [
                "port = 80",
                "root = / /var/www/shop",
                "hosts = shop.example.com",
                "AppHost Cmd = dotnet /var/www/shop/Shop.Web.dll",
                "AppHost AppRoot = /var/www/shop",
                "AppHost AppPort = 5000"
            ]
        );
    }

    #[test]
    fn parses_one_line_blocks_and_dotted_keys() {
        let config = SiteConfig::parse("x.conf", "AppHost={Cmd=dotnet App.dll; AppPort=5001}\n")
            .expect("site");
        assert_eq!(config.app_port(), Some(5001));
        let config = SiteConfig::parse("x.conf", "port=8080\nAppHost.Port=5002\n").expect("site");
        assert_eq!(config.app_port(), Some(5002));
    }

    #[test]
    fn rejects_files_that_are_not_site_configs() {
        assert_eq!(
            SiteConfig::parse(
                "nginx.conf",
                "server {\n  listen 80;\n  root /usr/share/nginx/html;\n}\n"
            ),
            None
        );
        assert_eq!(
            SiteConfig::parse("jws.conf", "SiteConfigDir=siteconf\nSiteLogDir=log\n"),
            None
        );
    }

    #[test]
    fn a_supervisord_conf_is_not_a_site_config() {
        // `port=` of `[inet_http_server]` made it a Jexus site config.
        assert_eq!(
            SiteConfig::parse(
                "supervisord.conf",
                "[supervisord]\nnodaemon=true\n[inet_http_server]\nport=127.0.0.1:9001\n[program:api]\ncommand=dotnet /app/Api.dll\n"
            ),
            None
        );
        // Keys alone are not enough: a root without a virtual path, a port that is no number.
        assert_eq!(SiteConfig::parse("app.conf", "root=/var/www\n"), None);
        assert_eq!(SiteConfig::parse("app.conf", "port=${PORT}\n"), None);
        assert!(SiteConfig::parse("default", "port=8080\nhosts=*\n").is_some());
    }

    #[test]
    fn reads_the_framework_of_a_web_config() {
        assert_eq!(
            config_framework(
                r#"<system.web><compilation debug="true" targetFramework="4.7.2" /></system.web>"#
            )
            .as_deref(),
            Some("4.7.2")
        );
        assert_eq!(config_framework("<configuration/>"), None);
    }
}
