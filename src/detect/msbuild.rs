//! Reading `MSBuild` project files (`*.csproj`, `Directory.Build.props`) and solutions
//! (`*.sln`, `*.slnx`).
//!
//! Only what detection needs is read: the SDKs, the properties of top-level
//! `PropertyGroup`s, `<Import Project>`s (in document order, so that a later definition
//! overrides an earlier one as in `MSBuild`), package and project references, the `Exec`
//! commands of targets, and the projects a solution lists. [`expand`] resolves `$(Name)`
//! references against the properties evaluated so far; conditions are not computed (the
//! caller decides what a conditioned value is worth).

use std::sync::LazyLock;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use regex::Regex;

/// One step of a file's evaluation, in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    /// A property set in a top-level `PropertyGroup`.
    Property {
        /// Its name.
        name: String,
        /// Its value as written (`$(…)` not expanded).
        value: String,
        /// Whether the group or the element has a `Condition`.
        conditioned: bool,
    },
    /// An `<Import Project="…">`, the path as written.
    Import {
        /// The `Project` attribute.
        project: String,
        /// Whether the import has a `Condition`.
        conditioned: bool,
    },
}

/// What was read from one `MSBuild` file.
#[derive(Debug, Default, Clone)]
pub(crate) struct MsbuildFile {
    /// The SDKs named by `<Project Sdk>`, `<Sdk Name>` or `<Import Sdk>`, versions removed.
    pub(crate) sdks: Vec<String>,
    /// `<Project ToolsVersion>`, set on old-style projects.
    pub(crate) tools_version: Option<String>,
    /// The properties and imports, in document order.
    pub(crate) steps: Vec<Step>,
    /// `PackageReference` and `Reference` names (the part before any `,`).
    pub(crate) references: Vec<String>,
    /// `ProjectReference` paths as written, `\` turned into `/`.
    pub(crate) project_references: Vec<String>,
    /// The `Exec` commands of targets: (target name, command).
    pub(crate) execs: Vec<(String, String)>,
}

impl MsbuildFile {
    /// Parses the text of a project file.
    pub(crate) fn parse(text: &str) -> Result<Self, String> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut reader = Reader::from_str(text);
        reader.config_mut().trim_text(true);
        let mut file = Self::default();
        // Element names from the document element down; with whether a `Condition` is set
        // and the `Name` attribute (of targets).
        let mut stack: Vec<(String, bool, String)> = Vec::new();
        let mut capture: Option<(String, String)> = None;
        loop {
            let event = reader.read_event().map_err(|error| {
                format!("not valid XML at byte {}: {error}", reader.error_position())
            })?;
            match event {
                Event::Start(element) => {
                    let name = local_name(&element);
                    file.element(&stack, &name, &element)?;
                    if stack.len() == 2 && stack[1].0 == "PropertyGroup" {
                        capture = Some((name.clone(), String::new()));
                    }
                    let conditioned = has_attribute(&element, "Condition")?;
                    let element_name = attribute(&element, "Name")?.unwrap_or_default();
                    stack.push((name, conditioned, element_name));
                }
                Event::Empty(element) => {
                    let name = local_name(&element);
                    file.element(&stack, &name, &element)?;
                }
                Event::Text(text) => {
                    if let Some((_, value)) = capture.as_mut() {
                        value.push_str(&text.decode().map_err(|error| error.to_string())?);
                    }
                }
                Event::GeneralRef(reference) => {
                    if let Some((_, value)) = capture.as_mut() {
                        let name = reference.decode().map_err(|error| error.to_string())?;
                        value.push_str(match name.as_ref() {
                            "amp" => "&",
                            "lt" => "<",
                            "gt" => ">",
                            "quot" => "\"",
                            "apos" => "'",
                            _ => "",
                        });
                    }
                }
                Event::CData(data) => {
                    if let Some((_, value)) = capture.as_mut() {
                        value.push_str(&String::from_utf8_lossy(&data));
                    }
                }
                Event::End(_) => {
                    if stack.len() == 3
                        && let Some((name, value)) = capture.take()
                    {
                        let conditioned = stack[1].1 || stack[2].1;
                        let value = value.trim().to_owned();
                        if !value.is_empty() {
                            file.steps.push(Step::Property {
                                name,
                                value,
                                conditioned,
                            });
                        }
                    }
                    stack.pop();
                }
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(file)
    }

    fn element(
        &mut self,
        stack: &[(String, bool, String)],
        name: &str,
        element: &BytesStart<'_>,
    ) -> Result<(), String> {
        match (stack.len(), name) {
            (0, "Project") => {
                if let Some(sdk) = attribute(element, "Sdk")? {
                    self.add_sdks(&sdk);
                }
                self.tools_version = attribute(element, "ToolsVersion")?;
            }
            (1, "Sdk") => {
                if let Some(sdk) = attribute(element, "Name")? {
                    self.add_sdks(&sdk);
                }
            }
            (_, "Import") => {
                if let Some(sdk) = attribute(element, "Sdk")? {
                    self.add_sdks(&sdk);
                } else if let Some(project) = attribute(element, "Project")? {
                    let conditioned = has_attribute(element, "Condition")?;
                    self.steps.push(Step::Import {
                        project: project.replace('\\', "/"),
                        conditioned,
                    });
                }
            }
            (_, "ProjectReference") => {
                if let Some(include) = attribute(element, "Include")? {
                    self.project_references.push(include.replace('\\', "/"));
                }
            }
            (2, "Exec") if stack[1].0 == "Target" => {
                if let Some(command) = attribute(element, "Command")? {
                    let target = stack[1].2.clone();
                    self.execs.push((target, command));
                }
            }
            (_, "PackageReference" | "Reference") => {
                if let Some(include) = attribute(element, "Include")? {
                    let name = include.split(',').next().unwrap_or_default().trim();
                    if !name.is_empty() && !self.references.iter().any(|known| known == name) {
                        self.references.push(name.to_owned());
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn add_sdks(&mut self, list: &str) {
        for sdk in list.split(';') {
            let sdk = sdk.split('/').next().unwrap_or_default().trim();
            if !sdk.is_empty()
                && !self
                    .sdks
                    .iter()
                    .any(|known| known.eq_ignore_ascii_case(sdk))
            {
                self.sdks.push(sdk.to_owned());
            }
        }
    }

    /// Returns a property's value as written in this file alone: the first from an
    /// unconditioned `PropertyGroup`, else the first from a conditioned one.
    pub(crate) fn property(&self, wanted: &str) -> Option<&str> {
        let mut matching = self.steps.iter().filter_map(|step| match step {
            Step::Property {
                name,
                value,
                conditioned,
            } if name == wanted => Some((value.as_str(), *conditioned)),
            _ => None,
        });
        let first_unconditioned = matching.clone().find(|(_, conditioned)| !conditioned);
        first_unconditioned
            .or_else(|| matching.next())
            .map(|(value, _)| value)
    }

    /// Tells whether the project names `sdk` (case-insensitively).
    pub(crate) fn has_sdk(&self, sdk: &str) -> bool {
        self.sdks
            .iter()
            .any(|known| known.eq_ignore_ascii_case(sdk))
    }
}

fn local_name(element: &BytesStart<'_>) -> String {
    String::from_utf8_lossy(element.local_name().as_ref()).into_owned()
}

fn attribute(element: &BytesStart<'_>, name: &str) -> Result<Option<String>, String> {
    for attribute in element.attributes() {
        let attribute = attribute.map_err(|error| error.to_string())?;
        if attribute.key.local_name().as_ref() == name.as_bytes() {
            let value = attribute
                .unescape_value()
                .map_err(|error| error.to_string())?;
            return Ok(Some(value.trim().to_owned()));
        }
    }
    Ok(None)
}

fn has_attribute(element: &BytesStart<'_>, name: &str) -> Result<bool, String> {
    Ok(attribute(element, name)?.is_some())
}

/// A `$(Name)` reference, or the start of a property function (`$([`).
static REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\$\(\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\)|\$\(\[").expect("the pattern is valid")
});

/// Returns the names of the properties `value` refers to with `$(Name)`.
pub(crate) fn references(value: &str) -> Vec<&str> {
    REFERENCE
        .captures_iter(value)
        .filter_map(|captures| captures.get(1).map(|name| name.as_str()))
        .collect()
}

/// Expands the `$(Name)` references of `value` with `lookup`; returns the expanded text and
/// the names `lookup` does not know (left as written). Property functions (`$([…])`) are
/// left as written and count as unknown.
pub(crate) fn expand(
    value: &str,
    lookup: impl Fn(&str) -> Option<String>,
) -> (String, Vec<String>) {
    let mut unknown = Vec::new();
    let mut out = String::new();
    let mut last = 0;
    for captures in REFERENCE.captures_iter(value) {
        let whole = captures.get(0).expect("a match");
        out.push_str(&value[last..whole.start()]);
        last = whole.end();
        let Some(name) = captures.get(1) else {
            // A property function: keep the rest as written.
            out.push_str(&value[whole.start()..]);
            last = value.len();
            unknown.push(value[whole.start()..].to_owned());
            break;
        };
        if let Some(found) = lookup(name.as_str()) {
            out.push_str(&found);
        } else {
            out.push_str(whole.as_str());
            unknown.push(name.as_str().to_owned());
        }
    }
    out.push_str(&value[last..]);
    (out, unknown)
}

/// Returns the .NET version of a target framework moniker: `net8.0` → `8.0`,
/// `netcoreapp3.1` → `3.1`, `net8.0-windows` → `8.0`. `None` for .NET Framework (`net48`),
/// .NET Standard and anything else.
pub(crate) fn dotnet_version(tfm: &str) -> Option<String> {
    static MONIKER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?i:net|netcoreapp)(\d+\.\d+)(?:-.*)?$").expect("the pattern is valid")
    });
    MONIKER
        .captures(tfm.trim())
        .map(|captures| captures[1].to_owned())
}

/// Tells whether a moniker names .NET Framework (`net48`, `net472`).
pub(crate) fn is_net_framework(tfm: &str) -> bool {
    static MONIKER: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(?i)net[1-4]\d{1,2}$").expect("the pattern is valid"));
    MONIKER.is_match(tfm.trim())
}

/// One project a solution lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SolutionEntry {
    /// The name the solution gives it.
    pub(crate) name: String,
    /// Its path as written, with `\` turned into `/`.
    pub(crate) path: String,
}

/// Returns the projects of a classic `.sln` file (solution folders are left out).
pub(crate) fn parse_sln(text: &str) -> Vec<SolutionEntry> {
    static PROJECT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?m)^\s*Project\("\{([^}]*)\}"\)\s*=\s*"([^"]*)"\s*,\s*"([^"]*)""#)
            .expect("the pattern is valid")
    });
    const SOLUTION_FOLDER: &str = "2150E333-8FDC-42A3-9474-1A3956D46DE8";
    PROJECT
        .captures_iter(text)
        .filter(|captures| !captures[1].eq_ignore_ascii_case(SOLUTION_FOLDER))
        .map(|captures| SolutionEntry {
            name: captures[2].to_owned(),
            path: captures[3].replace('\\', "/"),
        })
        .collect()
}

/// Returns the projects of an XML `.slnx` solution.
pub(crate) fn parse_slnx(text: &str) -> Result<Vec<SolutionEntry>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = Reader::from_str(text);
    let mut entries = Vec::new();
    loop {
        match reader.read_event().map_err(|error| {
            format!("not valid XML at byte {}: {error}", reader.error_position())
        })? {
            Event::Start(element) | Event::Empty(element) if local_name(&element) == "Project" => {
                if let Some(path) = attribute(&element, "Path")? {
                    let path = path.replace('\\', "/");
                    let name = path
                        .rsplit('/')
                        .next()
                        .and_then(|file| file.rsplit_once('.').map(|(stem, _)| stem.to_owned()))
                        .unwrap_or_else(|| path.clone());
                    entries.push(SolutionEntry { name, path });
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_an_sdk_style_web_project() {
        let file = MsbuildFile::parse(
            r#"<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup>
    <TargetFramework>net8.0</TargetFramework>
    <AssemblyName>Shop.Web</AssemblyName>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Serilog.AspNetCore" Version="8.0.0" />
  </ItemGroup>
</Project>"#,
        )
        .expect("parses");
        assert_eq!(file.sdks, ["Microsoft.NET.Sdk.Web"]);
        assert_eq!(file.property("TargetFramework"), Some("net8.0"));
        assert_eq!(file.property("AssemblyName"), Some("Shop.Web"));
        assert_eq!(file.references, ["Serilog.AspNetCore"]);
        assert!(file.tools_version.is_none());
    }

    #[test]
    fn reads_sdk_elements_imports_and_versioned_sdks() {
        let file = MsbuildFile::parse(
            r#"<Project>
  <Sdk Name="Microsoft.NET.Sdk.Web" Version="8.0.0" />
  <Import Project="Sdk.props" Sdk="Microsoft.NET.Sdk.Worker/8.0.0" />
</Project>"#,
        )
        .expect("parses");
        assert_eq!(
            file.sdks,
            ["Microsoft.NET.Sdk.Web", "Microsoft.NET.Sdk.Worker"]
        );
        assert!(file.has_sdk("microsoft.net.sdk.web"));
    }

    #[test]
    fn reads_an_old_style_project_with_bom_and_namespace() {
        let file = MsbuildFile::parse(
            "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?>
<Project ToolsVersion=\"15.0\" DefaultTargets=\"Build\" xmlns=\"http://schemas.microsoft.com/developer/msbuild/2003\">
  <PropertyGroup Condition=\" '$(Configuration)|$(Platform)' == 'Debug|AnyCPU' \">
    <OutputType>Exe</OutputType>
  </PropertyGroup>
  <PropertyGroup>
    <OutputType>Library</OutputType>
    <TargetFrameworkVersion>v4.7.2</TargetFrameworkVersion>
  </PropertyGroup>
  <ItemGroup>
    <Reference Include=\"System.Web, Version=4.0.0.0, Culture=neutral\" />
  </ItemGroup>
</Project>",
        )
        .expect("parses");
        assert!(file.sdks.is_empty());
        assert_eq!(file.tools_version.as_deref(), Some("15.0"));
        assert_eq!(file.property("OutputType"), Some("Library"));
        assert_eq!(file.property("TargetFrameworkVersion"), Some("v4.7.2"));
        assert_eq!(file.references, ["System.Web"]);
    }

    #[test]
    fn reads_steps_references_and_execs_in_order() {
        let file = MsbuildFile::parse(
            r#"<Project Sdk="Microsoft.NET.Sdk.Web">
  <Import Project="..\build\Common.props" Condition="Exists('..\build\Common.props')" />
  <PropertyGroup Condition="'$(Configuration)' == 'Release'">
    <SpaRoot>ClientApp\</SpaRoot>
  </PropertyGroup>
  <ItemGroup>
    <ProjectReference Include="..\Shared\Shared.csproj" />
  </ItemGroup>
  <Target Name="PublishRunWebpack" AfterTargets="ComputeFilesToPublish">
    <Exec WorkingDirectory="$(SpaRoot)" Command="npm ci" />
  </Target>
</Project>"#,
        )
        .expect("parses");
        assert_eq!(
            file.steps,
            [
                Step::Import {
                    project: "../build/Common.props".to_owned(),
                    conditioned: true
                },
                Step::Property {
                    name: "SpaRoot".to_owned(),
                    value: "ClientApp\\".to_owned(),
                    conditioned: true
                },
            ]
        );
        assert_eq!(file.project_references, ["../Shared/Shared.csproj"]);
        assert_eq!(
            file.execs,
            [("PublishRunWebpack".to_owned(), "npm ci".to_owned())]
        );
    }

    #[test]
    fn expands_property_references() {
        let lookup = |name: &str| (name == "Tfm").then(|| "net10.0".to_owned());
        assert_eq!(
            expand("$(Tfm);net8.0", lookup),
            ("net10.0;net8.0".to_owned(), Vec::new())
        );
        assert_eq!(
            expand("$( Other );$(Tfm)", lookup),
            ("$( Other );net10.0".to_owned(), vec!["Other".to_owned()])
        );
        let (text, unknown) = expand("$([MSBuild]::GetTargetFrameworkVersion('x'))", lookup);
        assert_eq!(text, "$([MSBuild]::GetTargetFrameworkVersion('x'))");
        assert_eq!(unknown.len(), 1);
    }

    #[test]
    fn rejects_broken_xml() {
        assert!(MsbuildFile::parse("<Project><PropertyGroup></Project>").is_err());
    }

    #[test]
    fn maps_target_frameworks() {
        assert_eq!(dotnet_version("net8.0").as_deref(), Some("8.0"));
        assert_eq!(dotnet_version("net10.0").as_deref(), Some("10.0"));
        assert_eq!(dotnet_version("netcoreapp3.1").as_deref(), Some("3.1"));
        assert_eq!(dotnet_version("net8.0-windows").as_deref(), Some("8.0"));
        assert_eq!(dotnet_version("net48"), None);
        assert_eq!(dotnet_version("netstandard2.0"), None);
        assert!(is_net_framework("net48"));
        assert!(is_net_framework("net472"));
        assert!(!is_net_framework("net8.0"));
    }

    #[test]
    fn lists_solution_projects_without_folders() {
        let entries = parse_sln(
            "\u{feff}
Microsoft Visual Studio Solution File, Format Version 12.00
Project(\"{2150E333-8FDC-42A3-9474-1A3956D46DE8}\") = \"src\", \"src\", \"{1}\"
EndProject
Project(\"{9A19103F-16F7-4668-BE54-9A1E7A4F7556}\") = \"Shop.Web\", \"src\\Shop.Web\\Shop.Web.csproj\", \"{2}\"
EndProject
",
        );
        assert_eq!(
            entries,
            [SolutionEntry {
                name: "Shop.Web".to_owned(),
                path: "src/Shop.Web/Shop.Web.csproj".to_owned()
            }]
        );
    }

    #[test]
    fn lists_slnx_projects() {
        let entries = parse_slnx(
            r#"<Solution>
  <Folder Name="/src/">
    <Project Path="src/Shop.Web/Shop.Web.csproj" />
  </Folder>
  <Project Path="tests\Shop.Tests\Shop.Tests.csproj" />
</Solution>"#,
        )
        .expect("parses");
        assert_eq!(
            entries,
            [
                SolutionEntry {
                    name: "Shop.Web".to_owned(),
                    path: "src/Shop.Web/Shop.Web.csproj".to_owned()
                },
                SolutionEntry {
                    name: "Shop.Tests".to_owned(),
                    path: "tests/Shop.Tests/Shop.Tests.csproj".to_owned()
                },
            ]
        );
    }
}
