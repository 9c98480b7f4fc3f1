//! `paas packs list|show`: the packs paas knows.

use std::fmt::Write as _;

use serde::Serialize;

use crate::cli::PacksShowArgs;
use crate::commands::output;
use crate::error::{CliError, ExitStatus};
use crate::pack::{Pack, PackSource, Variable};
use crate::settings::GlobalSettings;
use crate::ui::{HEADING, Printer};

#[derive(Debug, Serialize)]
struct PackSummary<'a> {
    name: &'a str,
    description: &'a str,
    source: &'a PackSource,
    detector: Option<&'a str>,
    markers: &'a [String],
    priority: i32,
}

#[derive(Debug, Serialize)]
struct PackDetail<'a> {
    #[serde(flatten)]
    summary: PackSummary<'a>,
    port: u16,
    health_path: Option<&'a str>,
    variables: &'a [Variable],
    files: Vec<&'a str>,
    manifests: Vec<String>,
}

fn summary(pack: &Pack) -> PackSummary<'_> {
    PackSummary {
        name: &pack.manifest.name,
        description: &pack.manifest.description,
        source: &pack.source,
        detector: pack.manifest.detect.detector.as_deref(),
        markers: &pack.manifest.detect.markers,
        priority: pack.manifest.detect.priority,
    }
}

fn source_text(source: &PackSource) -> String {
    match source {
        PackSource::Bundled => "bundled".to_owned(),
        PackSource::Directory(dir) => dir.display().to_string(),
    }
}

/// Runs `paas packs list`.
pub(crate) fn list(global: &GlobalSettings, printer: &Printer) -> Result<ExitStatus, CliError> {
    let packs = global.packs()?;
    if printer.json() {
        let list: Vec<PackSummary<'_>> = packs.packs().iter().map(summary).collect();
        output(printer.data_json(&list))?;
        return Ok(ExitStatus::Success);
    }
    let width = packs
        .packs()
        .iter()
        .map(|p| p.manifest.name.len())
        .max()
        .unwrap_or(0);
    let mut text = String::new();
    for pack in packs.packs() {
        let _ = writeln!(
            text,
            "{:<width$}  {}  [{}]",
            pack.manifest.name,
            pack.manifest.description,
            source_text(&pack.source)
        );
    }
    output(printer.data(&text))?;
    Ok(ExitStatus::Success)
}

/// Runs `paas packs show NAME`.
pub(crate) fn show(
    args: &PacksShowArgs,
    global: &GlobalSettings,
    printer: &Printer,
) -> Result<ExitStatus, CliError> {
    let packs = global.packs()?;
    let pack = packs
        .get(&args.name)
        .map_err(|err| CliError::usage(err).hinted("`paas packs list` shows the packs"))?;
    let manifests: Vec<String> = packs
        .manifest_templates(pack)
        .into_keys()
        .map(|n| format!("deploy/{n}"))
        .collect();
    if printer.json() {
        let detail = PackDetail {
            summary: summary(pack),
            port: pack.manifest.port,
            health_path: pack.manifest.health_path.as_deref(),
            variables: &pack.manifest.variables,
            files: pack.manifest.files.keys().map(String::as_str).collect(),
            manifests,
        };
        output(printer.data_json(&detail))?;
        return Ok(ExitStatus::Success);
    }
    let heading = |t: &str| printer.paint_data(HEADING, t);
    let manifest = &pack.manifest;
    let mut text = String::new();
    let _ = writeln!(text, "{} {}", heading(&manifest.name), manifest.description);
    let _ = writeln!(text, "source: {}", source_text(&pack.source));
    match (
        &manifest.detect.detector,
        manifest.detect.markers.is_empty(),
    ) {
        (Some(detector), _) => {
            let _ = writeln!(
                text,
                "detected by: the built-in `{detector}` detector (priority {})",
                manifest.detect.priority
            );
        }
        (None, false) => {
            let _ = writeln!(
                text,
                "detected by: any of {} (priority {})",
                manifest.detect.markers.join(", "),
                manifest.detect.priority
            );
        }
        (None, true) => {
            let _ = writeln!(
                text,
                "detected by: nothing; choose it with `--pack {}`",
                manifest.name
            );
        }
    }
    let _ = writeln!(text, "port: {}", manifest.port);
    if let Some(path) = &manifest.health_path {
        let _ = writeln!(text, "health check: {path}");
    }
    let _ = writeln!(
        text,
        "\n{}",
        heading("variables (set with `--set NAME=VALUE` or under `[pack]` in paas.toml):")
    );
    let width = manifest
        .variables
        .iter()
        .map(|v| v.name.len())
        .max()
        .unwrap_or(0);
    for variable in &manifest.variables {
        let kind = format!("{:?}", variable.kind).to_lowercase();
        let _ = writeln!(
            text,
            "  {:<width$}  {kind:<7}  {}  (default: {})",
            variable.name, variable.description, variable.default
        );
    }
    let _ = writeln!(text, "\n{}", heading("writes:"));
    for file in manifest
        .files
        .keys()
        .map(String::as_str)
        .chain(manifests.iter().map(String::as_str))
    {
        let _ = writeln!(text, "  {file}");
    }
    let _ = writeln!(text, "  paas.toml");
    output(printer.data(&text))?;
    Ok(ExitStatus::Success)
}
