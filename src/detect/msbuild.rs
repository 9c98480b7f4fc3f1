//! Reading `MSBuild` project files (`*.csproj`, `Directory.Build.props`) and solutions
//! (`*.sln`, `*.slnx`).
//!
//! Only what detection needs is read: the SDKs, a handful of properties, package references
//! and the projects a solution lists. Nothing is evaluated: a property that refers to
//! another (`$(…)`) is reported as unresolved, and conditions are not computed (a value from
//! an unconditioned `PropertyGroup` wins over one from a conditioned group).

use std::sync::LazyLock;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use regex::Regex;

/// The properties detection reads.
const PROPERTIES: &[&str] = &[
    "TargetFramework",
    "TargetFrameworks",
    "TargetFrameworkVersion",
    "AssemblyName",
    "OutputType",
    "IsTestProject",
    "ProjectTypeGuids",
];

/// What was read from one `MSBuild` file.
#[derive(Debug, Default, Clone)]
pub(crate) struct MsbuildFile {
    /// The SDKs named by `<Project Sdk>`, `<Sdk Name>` or `<Import Sdk>`, versions removed.
    pub(crate) sdks: Vec<String>,
    /// `<Project ToolsVersion>`, set on old-style projects.
    pub(crate) tools_version: Option<String>,
    /// The properties of [`PROPERTIES`] that are set, with their value.
    properties: Vec<(String, String, bool)>,
    /// `PackageReference` and `Reference` names (the part before any `,`).
    pub(crate) references: Vec<String>,
}

impl MsbuildFile {
    /// Parses the text of a project file.
    pub(crate) fn parse(text: &str) -> Result<Self, String> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut reader = Reader::from_str(text);
        reader.config_mut().trim_text(true);
        let mut file = Self::default();
        // Element names from the document element down; with whether a `Condition` is set.
        let mut stack: Vec<(String, bool)> = Vec::new();
        let mut capture: Option<(String, String)> = None;
        loop {
            let event = reader.read_event().map_err(|error| {
                format!("not valid XML at byte {}: {error}", reader.error_position())
            })?;
            match event {
                Event::Start(element) => {
                    let name = local_name(&element);
                    file.element(&stack, &name, &element)?;
                    if stack.len() == 2
                        && stack[1].0 == "PropertyGroup"
                        && PROPERTIES.contains(&name.as_str())
                    {
                        capture = Some((name.clone(), String::new()));
                    }
                    let conditioned = has_attribute(&element, "Condition")?;
                    stack.push((name, conditioned));
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
                            file.properties.push((name, value, conditioned));
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
        stack: &[(String, bool)],
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

    /// Returns a property's value: the first from an unconditioned `PropertyGroup`, else the
    /// first from a conditioned one.
    pub(crate) fn property(&self, name: &str) -> Option<&str> {
        let mut matching = self.properties.iter().filter(|(key, _, _)| key == name);
        let first_unconditioned = matching.clone().find(|(_, _, conditioned)| !conditioned);
        first_unconditioned
            .or_else(|| matching.next())
            .map(|(_, value, _)| value.as_str())
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
