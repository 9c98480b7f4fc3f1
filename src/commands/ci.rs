//! `paas ci`: write the CI pipeline and tell what it needs. What is written is
//! [`crate::ci`]; this wires settings, the file and the output.

use std::fmt::Write as _;

use serde::Serialize;

use crate::ci::{self, Explanation};
use crate::cli::CiArgs;
use crate::commands::output;
use crate::error::{CliError, ExitStatus};
use crate::scaffold::{self, PlannedFile, ScaffoldError};
use crate::settings::{CiSettings, GlobalSettings};
use crate::ui::Printer;

/// The JSON result of `paas ci`.
#[derive(Debug, Serialize)]
struct CiReport<'a> {
    /// `created`, `overwritten`, `unchanged`; with `--dry-run` what writing would do.
    action: String,
    dry_run: bool,
    #[serde(flatten)]
    explanation: &'a Explanation,
    contents: &'a str,
}

/// Runs `paas ci`.
pub(crate) fn run(
    args: &CiArgs,
    global: &GlobalSettings,
    printer: &Printer,
) -> Result<ExitStatus, CliError> {
    let settings = CiSettings::resolve(args, global)?;
    let text = ci::render(&settings.plan);
    let explanation = ci::explain(&settings.plan);
    let files = [PlannedFile {
        path: explanation.file.to_owned(),
        contents: text.clone(),
    }];
    let action = if settings.dry_run {
        let actions =
            scaffold::preview(&settings.root, &files, settings.force).map_err(scaffold_error)?;
        serde_json::to_value(actions[0])
    } else {
        let actions =
            scaffold::write(&settings.root, &files, settings.force).map_err(scaffold_error)?;
        serde_json::to_value(actions[0])
    }
    .ok()
    .and_then(|v| v.as_str().map(str::to_owned))
    .unwrap_or_default();
    if printer.json() {
        output(printer.data_json(&CiReport {
            action,
            dry_run: settings.dry_run,
            explanation: &explanation,
            contents: &text,
        }))?;
        return Ok(ExitStatus::Success);
    }
    if settings.dry_run {
        output(printer.data(&text))?;
        printer.note(format_args!(
            "nothing was written (`--dry-run`); `{}` would be {}",
            explanation.file,
            action.replace('-', " ")
        ));
        printer.note(explain_text(&explanation));
    } else {
        printer.status(
            "Wrote",
            format_args!(
                "`{}` ({action}): {}",
                explanation.file,
                settings.plan.platform.title()
            ),
        );
        output(printer.data(&explain_text(&explanation)))?;
    }
    Ok(ExitStatus::Success)
}

/// The explanation for people: the secrets, then per environment the cluster commands.
fn explain_text(explanation: &Explanation) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "The pipeline deploys on every push to `{}`. Create these in {} before the first push:\n",
        explanation.branch,
        match explanation.platform {
            ci::Platform::Github =>
                "the repository's Settings > Secrets and variables > Actions (a secret of an environment goes in that environment)",
            ci::Platform::Gitlab =>
                "the project's Settings > CI/CD > Variables (masked and protected; a kubeconfig as a variable of type File, scoped to its environment)",
        }
    );
    for input in &explanation.inputs {
        let _ = writeln!(
            out,
            "  {} `{}`{}: {}",
            input.kind,
            input.name,
            input
                .environment
                .as_ref()
                .map_or_else(String::new, |e| format!(" (environment `{e}`)")),
            input.holds
        );
    }
    for setup in &explanation.setup {
        let _ = writeln!(
            out,
            "\n{} (job `{}`, namespace `{}`{}): as a cluster admin, run\n",
            setup
                .environment
                .as_ref()
                .map_or_else(|| "The app".to_owned(), |e| format!("Environment `{e}`")),
            setup.job,
            setup.namespace,
            setup
                .gate
                .as_ref()
                .map_or_else(String::new, |g| format!("; waits for an approval: {g}"))
        );
        for command in &setup.commands {
            for line in command.lines() {
                let _ = writeln!(out, "  {line}");
            }
        }
    }
    if let Some(approval) = &explanation.approval {
        let _ = writeln!(out, "\nApproval: {approval}.");
    }
    if !explanation.notes.is_empty() {
        let _ = writeln!(out);
        for note in &explanation.notes {
            let _ = writeln!(out, "Note: {note}.");
        }
    }
    out
}

fn scaffold_error(err: ScaffoldError) -> CliError {
    match &err {
        ScaffoldError::Exists { .. } => CliError::failed(err).hinted(
            "nothing was written; pass `--force` to replace it, or `--dry-run` to see the new file",
        ),
        ScaffoldError::Symlink { .. }
        | ScaffoldError::Outside { .. }
        | ScaffoldError::NotAFile { .. } => CliError::failed(err).hinted(
            "nothing was written; remove the link or folder in the way, then run `paas ci` again",
        ),
        ScaffoldError::Io { .. } => {
            CliError::failed(err).hinted("check that the folder is writable and the disk has room")
        }
    }
}
