//! `paas add`: declare a component in `paas.toml`, checked against the catalog before a byte
//! is written; the editing is [`crate::config::edit`].

use serde::Serialize;

use crate::cli::AddArgs;
use crate::commands::output;
use crate::config::edit::{EditError, ProjectFile};
use crate::error::{CliError, ExitStatus};
use crate::settings::{AddSettings, GlobalSettings, component_error, config_error};
use crate::ui::Printer;

/// What `paas add --output json` prints.
#[derive(Debug, Serialize)]
struct Added<'a> {
    file: String,
    name: &'a str,
    kind: &'a str,
    /// The catalog version it runs.
    version: &'a str,
    /// The variable the app gets the URL in.
    env: &'a str,
    /// Other components whose variable changed (`<NAME>_URL` once a kind has several).
    renamed: Vec<Renamed>,
}

#[derive(Debug, Serialize)]
struct Renamed {
    name: String,
    from: String,
    to: String,
}

/// Runs `paas add`.
pub(crate) fn run(
    args: &AddArgs,
    global: &GlobalSettings,
    printer: &Printer,
) -> Result<ExitStatus, CliError> {
    let settings = AddSettings::resolve(args, global)?;
    let mut file = ProjectFile::load(&settings.file).map_err(edit_error)?;
    let before = file.config().map_err(config_error)?;
    let app = before.app.name.clone();
    let kind = settings
        .catalog
        .get(&settings.kind)
        .map_err(|err| CliError::usage(err).hinted("`paas add --help` lists the kinds"))?;
    let entry = kind.version(settings.version.as_deref()).map_err(|err| {
        CliError::usage(err)
            .hinted("pass one of those to `--version`, or leave it out for the catalog's default")
    })?;
    crate::component::check_name(&app, &settings.name).map_err(|err| {
        let hint = if args.name.is_some() {
            "a component name is a short DNS label: lowercase letters, digits and '-'"
        } else {
            "choose a shorter name with `--name`"
        };
        CliError::usage(err).hinted(hint)
    })?;
    let old_env = crate::component::check_declared(&before, &settings.catalog)
        .map_err(component_error)
        .map_err(|err| err.context("`paas.toml` already declares an invalid component"))?;
    file.add_component(&settings.name, &settings.kind, settings.version.as_deref())
        .map_err(edit_error)?;
    let after = file.config().map_err(config_error)?;
    let declared = crate::component::check_declared(&after, &settings.catalog)
        .map_err(component_error)
        .map_err(|err| {
            err.context(format!(
                "nothing was written to `{}`",
                file.path().display()
            ))
        })?;
    file.write().map_err(edit_error)?;

    let env = declared
        .iter()
        .find(|c| c.component.name == settings.name)
        .map(|c| c.component.env.clone())
        .unwrap_or_default();
    let renamed: Vec<Renamed> = old_env
        .iter()
        .filter_map(|old| {
            let new = declared
                .iter()
                .find(|c| c.component.name == old.component.name)?;
            (new.component.env != old.component.env).then(|| Renamed {
                name: old.component.name.clone(),
                from: old.component.env.clone(),
                to: new.component.env.clone(),
            })
        })
        .collect();
    let added = Added {
        file: file.path().display().to_string(),
        name: &settings.name,
        kind: &settings.kind,
        version: &entry.version,
        env: &env,
        renamed,
    };
    if printer.json() {
        return output(printer.data_json(&added)).map(|()| ExitStatus::Success);
    }
    printer.status(
        "Added",
        format_args!(
            "component `{}` ({} {}) to `paas.toml`",
            settings.name, settings.kind, entry.version
        ),
    );
    for renamed in &added.renamed {
        printer.warn(format_args!(
            "component `{}` now gives the app `{}` instead of `{}` (a kind with several components gives each `<NAME>_URL`); set `env = \"{}\"` under `[components.{}]` to keep it",
            renamed.name, renamed.to, renamed.from, renamed.from, renamed.name
        ));
    }
    printer.hint(format_args!(
        "`paas up` runs it beside the app, which gets `{env}`"
    ));
    Ok(ExitStatus::Success)
}

/// Turns a failed edit into an error with a hint; nothing was written.
pub(crate) fn edit_error(err: EditError) -> CliError {
    match err {
        EditError::Config(err) => config_error(err),
        EditError::Exists { ref name, .. } => {
            let hint = format!(
                "choose another name with `--name`, or remove the old one with `paas remove {name}`"
            );
            CliError::usage(err).hinted(hint)
        }
        EditError::Missing { .. } => CliError::usage(err)
            .hinted("the names are the `[components.NAME]` tables of `paas.toml`"),
        EditError::NotATable { .. } => CliError::usage(err).hinted(
            "write the components as `[components.NAME]` tables, or edit `paas.toml` by hand",
        ),
        EditError::Write { .. } => {
            CliError::failed(err).hinted("check that the folder is writable and the disk has room")
        }
    }
}
