//! `paas detect`: which pack fits the project, and why.

use std::fmt::Write as _;
use std::path::Path;

use crate::cli::DetectArgs;
use crate::commands::output;
use crate::detect::{self, AmbiguityKind, DetectError, DetectOptions, Detection};
use crate::error::{CliError, ExitStatus};
use crate::pack::PackSet;
use crate::settings::{DetectSettings, GlobalSettings};
use crate::ui::{HEADING, Printer};

/// Runs `paas detect`.
pub(crate) fn run(
    args: &DetectArgs,
    global: &GlobalSettings,
    printer: &Printer,
) -> Result<ExitStatus, CliError> {
    let settings = DetectSettings::resolve(args, global);
    let packs = global.packs()?;
    let detection = detect_interactive(
        &settings.dir,
        &packs,
        settings.pack,
        settings.project,
        printer,
    )?;
    if printer.json() {
        output(printer.data_json(&detection))?;
    } else {
        output(printer.data(&describe(&detection, printer)))?;
    }
    Ok(ExitStatus::Success)
}

/// Detects the project, asking the user to choose on a terminal when several projects or
/// packs fit; otherwise an ambiguity is an error naming `--project` / `--pack`.
pub(crate) fn detect_interactive(
    dir: &Path,
    packs: &PackSet,
    mut pack: Option<String>,
    mut project: Option<String>,
    printer: &Printer,
) -> Result<Detection, CliError> {
    let manifests = packs.manifests();
    loop {
        let options = DetectOptions {
            pack: pack.clone(),
            project: project.clone(),
        };
        match detect::detect(dir, &manifests, &options) {
            Ok(detection) => return Ok(detection),
            Err(DetectError::Ambiguous {
                what, candidates, ..
            }) if printer.interactive() && !candidates.is_empty() => {
                let prompt = match what {
                    AmbiguityKind::Project => "Several web projects fit; which one is the app?",
                    AmbiguityKind::Pack => "Several packs fit; which one should paas use?",
                };
                let items: Vec<String> = candidates
                    .iter()
                    .map(|c| match &c.project {
                        Some(project) => format!("{project}: {} ({})", c.summary, c.pack),
                        None => format!("{}: {}", c.pack, c.summary),
                    })
                    .collect();
                let choice = printer.ask_choice(prompt, &items, 0)?;
                let Some(index) = choice else {
                    return Err(crate::ui::prompt::interrupted("no choice made"));
                };
                let chosen = &candidates[index];
                pack = Some(chosen.pack.clone());
                if chosen.project.is_some() {
                    project.clone_from(&chosen.project);
                }
            }
            Err(err) => return Err(detect_error(err)),
        }
    }
}

/// Adds the hints that name flags to a detection error.
fn detect_error(err: DetectError) -> CliError {
    match &err {
        DetectError::NothingFound {
            looked_for, nearby, ..
        } => {
            let looked: Vec<String> = looked_for.iter().map(|l| format!("  - {l}")).collect();
            let looked = format!("paas looked for:\n{}", looked.join("\n"));
            let hint = "choose a pack with `--pack NAME` (see `paas packs list`), or add a company pack to the pack path";
            let below = nearby.first().map(|file| {
                let folder = file.split('/').next().unwrap_or(file);
                let files: Vec<String> = nearby.iter().map(|f| format!("`{f}`")).collect();
                format!(
                    "the project may be in a folder below: {} (run `paas init {folder}`)",
                    files.join(", ")
                )
            });
            let error = CliError::failed(err).hinted(looked);
            match below {
                Some(below) => error.hinted(below).hinted(hint),
                None => error.hinted(hint),
            }
        }
        DetectError::Ambiguous {
            what: AmbiguityKind::Project,
            candidates,
            ..
        } => {
            let first = candidates
                .first()
                .and_then(|c| c.project.clone())
                .unwrap_or_else(|| "PATH".into());
            CliError::usage(err).hinted(format!("choose one with `--project {first}`"))
        }
        DetectError::Ambiguous { candidates, .. } => {
            let first = candidates
                .first()
                .map_or("NAME", |c| c.pack.as_str())
                .to_owned();
            CliError::usage(err).hinted(format!("choose one with `--pack {first}`"))
        }
        DetectError::UnknownPack { .. } => {
            CliError::usage(err).hinted("`paas packs list` shows the packs")
        }
        DetectError::ProjectNotFound { .. } => CliError::usage(err)
            .hinted("give the path of a web `.csproj` relative to the project, or its name"),
        DetectError::ProjectNotEligible { .. } => CliError::usage(err)
            .hinted("choose a web project with `--project`; `paas detect` lists the candidates"),
        DetectError::Read { source, .. } if source.is_outside() => {
            CliError::usage(err).hinted(crate::settings::OUTSIDE_HINT)
        }
        DetectError::Refused { fix, evidence, .. } => {
            let seen: Vec<String> = evidence
                .iter()
                .map(|fact| format!("  - `{}`: {}", fact.path, fact.fact))
                .collect();
            let hint = format!("{fix}, then run `paas init` again");
            CliError::failed(err)
                .hinted(format!("paas found:\n{}", seen.join("\n")))
                .hinted(hint)
        }
        DetectError::PackDoesNotMatch { .. } => CliError::failed(err)
            .hinted("run `paas detect` without `--pack` to see what paas finds"),
        _ => CliError::failed(err),
    }
}

/// Renders a detection as text for people.
pub(crate) fn describe(detection: &Detection, printer: &Printer) -> String {
    let heading = |text: &str| printer.paint_data(HEADING, text);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {}",
        heading(&format!("pack: {}", detection.pack)),
        detection.summary
    );
    if let Some(name) = &detection.app_name {
        let _ = writeln!(out, "app name: {name}");
    }
    let width = |paths: &mut dyn Iterator<Item = usize>| paths.max().unwrap_or(0).min(48);
    if !detection.evidence.is_empty() {
        let _ = writeln!(out, "\n{}", heading("evidence:"));
        let w = width(&mut detection.evidence.iter().map(|e| e.path.len()));
        for evidence in &detection.evidence {
            let _ = writeln!(out, "  {:<w$}  {}", evidence.path, evidence.fact);
        }
    }
    if !detection.values.is_empty() {
        let _ = writeln!(out, "\n{}", heading("values:"));
        for (key, value) in &detection.values {
            let _ = writeln!(out, "  {key} = {value}");
        }
    }
    if !detection.warnings.is_empty() {
        let _ = writeln!(out, "\n{}", heading("warnings:"));
        for warning in &detection.warnings {
            let _ = writeln!(out, "  {warning}");
        }
    }
    if !detection.skipped.is_empty() {
        let _ = writeln!(out, "\n{}", heading("set aside:"));
        let w = width(&mut detection.skipped.iter().map(|s| s.path.len()));
        for skipped in &detection.skipped {
            let _ = writeln!(out, "  {:<w$}  {}", skipped.path, skipped.reason);
        }
    }
    if !detection.alternatives.is_empty() {
        let _ = writeln!(out, "\n{}", heading("also matched:"));
        for alternative in &detection.alternatives {
            let _ = writeln!(
                out,
                "  {}: {} ({})",
                alternative.pack, alternative.summary, alternative.reason
            );
        }
    }
    out
}
