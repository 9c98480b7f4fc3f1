//! `paas render`: the project's manifests, filled with the values of `paas.toml`.

use serde::Serialize;

use crate::cli::RenderArgs;
use crate::commands::output;
use crate::error::{CliError, ExitStatus};
use crate::manifests::{self, Manifest};
use crate::scaffold::{self, PlannedFile};
use crate::settings::{GlobalSettings, RenderSettings};
use crate::ui::Printer;

#[derive(Debug, Serialize)]
struct RenderedObject<'a> {
    source: &'a str,
    kind: &'a str,
    name: &'a str,
    object: &'a serde_json::Value,
}

/// Runs `paas render`.
pub(crate) fn run(
    args: &RenderArgs,
    global: &GlobalSettings,
    printer: &Printer,
) -> Result<ExitStatus, CliError> {
    let packs = global.packs()?;
    let settings = RenderSettings::resolve(args, global, &packs)?;
    for warning in &settings.warnings {
        printer.warn(warning);
    }
    let rendered =
        crate::component::render_app(&settings.templates, &settings.context, &settings.catalog)
            .map_err(|err| {
                CliError::failed(err).hinted(format!(
            "fix the template under `{}/`; values come from `paas.toml` and are always quoted",
            settings.templates_dir
        ))
            })?;
    if let Some(out_dir) = &settings.out_dir {
        let files: Vec<PlannedFile> = rendered
            .iter()
            .map(|m| PlannedFile {
                path: format!("{}-{}.yaml", m.kind.to_lowercase(), m.name),
                contents: manifests::to_yaml(&m.value),
            })
            .collect();
        fs_err::create_dir_all(out_dir).map_err(|err| {
            CliError::failed(anyhow::Error::new(err)).hinted("check that the folder can be created")
        })?;
        scaffold::write(out_dir, &files, true).map_err(CliError::failed)?;
        for file in &files {
            printer.status(
                "Wrote",
                format_args!("`{}`", out_dir.join(&file.path).display()),
            );
        }
    } else {
        // What goes to a terminal or a CI log never holds a Secret value; files do.
        let mut shown = rendered.clone();
        for manifest in &mut shown {
            crate::redact::redact_pair(None, Some(&mut manifest.value));
        }
        if shown.iter().zip(&rendered).any(|(a, b)| a.value != b.value) {
            printer.warn("Secret values are hidden here; `--out-dir` writes them to files");
        }
        if printer.json() {
            let objects: Vec<RenderedObject<'_>> = shown.iter().map(json_object).collect();
            output(printer.data_json(&objects))?;
        } else {
            output(printer.data(&manifests::to_yaml_stream(&shown)))?;
        }
    }
    let ids: Vec<String> = rendered.iter().map(Manifest::id).collect();
    printer.status("Rendered", ids.join(", "));
    Ok(ExitStatus::Success)
}

fn json_object(manifest: &Manifest) -> RenderedObject<'_> {
    RenderedObject {
        source: &manifest.source,
        kind: &manifest.kind,
        name: &manifest.name,
        object: &manifest.value,
    }
}
