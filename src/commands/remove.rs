//! `paas remove`: take a component out of `paas.toml`, and say what of its data stays in the
//! cluster; with `--delete-data`, delete that data and the component's objects first. The
//! editing is [`crate::config::edit`], the cluster work [`crate::deploy::remove`].

use serde::Serialize;

use crate::cli::RemoveArgs;
use crate::commands::add::edit_error;
use crate::commands::output;
use crate::config::edit::EditError;
use crate::config::edit::ProjectFile;
use crate::deploy::remove::{self, ComponentData, ComponentRef, RemoveError};
use crate::error::{CliError, ExitStatus};
use crate::settings::{GlobalSettings, RemoveSettings, config_error};
use crate::ui::Printer;
use crate::ui::prompt::Confirmation;

/// What `paas remove --output json` prints.
#[derive(Debug, Default, Serialize)]
struct Removed {
    file: String,
    name: String,
    /// Whether `paas.toml` was changed (not when only the data of a component removed
    /// before was deleted).
    edited: bool,
    /// The namespace looked in, when the cluster answered.
    namespace: Option<String>,
    /// Whether the cluster was checked for the component's data.
    checked: bool,
    /// The volume claims and Secret that stay.
    kept: Vec<String>,
    /// What `--delete-data` deleted.
    deleted: Vec<String>,
    /// Why the cluster was not checked.
    #[serde(skip_serializing_if = "Option::is_none")]
    not_checked: Option<String>,
}

/// Runs `paas remove`.
pub(crate) fn run(
    args: &RemoveArgs,
    global: &GlobalSettings,
    printer: &Printer,
) -> Result<ExitStatus, CliError> {
    let settings = RemoveSettings::resolve(args, global)?;
    let mut file = ProjectFile::load(&settings.file).map_err(edit_error)?;
    let before = file.config().map_err(config_error)?;
    let name = settings.name.clone();
    let declared = before.components.get(&name).cloned();
    let edited = match file.remove_component(&name) {
        Ok(()) => true,
        // The data of a component removed before can still be deleted.
        Err(EditError::Missing { .. }) if settings.delete_data => false,
        Err(err) => return Err(edit_error(err)),
    };
    file.config().map_err(config_error)?;
    let mut result = Removed {
        file: file.path().display().to_string(),
        name: name.clone(),
        edited,
        ..Removed::default()
    };
    let again = declared.as_ref().map_or_else(
        || format!("`paas add KIND --name {name}`"),
        |section| match &section.version {
            Some(version) => format!(
                "`paas add {} --name {name} --version {version}`",
                section.kind
            ),
            None => format!("`paas add {} --name {name}`", section.kind),
        },
    );
    let app = &settings.app;
    if settings.delete_data {
        let refused = format!(
            "deleting the data of component `{name}` needs a confirmation; nothing was changed"
        );
        if !printer.interactive() || app.yes {
            printer.confirm(app.yes, "", Confirmation::YesNo, &refused)?;
        }
        let runtime = crate::commands::runtime()?;
        let (namespace, deleted) = runtime.block_on(async {
            let (cluster, namespace) = crate::commands::connect(app).await.map_err(|err| {
                err.context(format!(
                    "nothing was changed; `{name}` is still in `paas.toml`"
                ))
            })?;
            let target = ComponentRef {
                app: app.app.clone(),
                name: name.clone(),
                namespace: namespace.clone(),
            };
            let data = remove::data(&cluster.client, &target)
                .await
                .map_err(remove_error)?;
            if !edited && data.is_empty() {
                return Err(edit_error(EditError::Missing {
                    path: file.path().to_owned(),
                    name: name.clone(),
                    known: file.component_names(),
                })
                .context(format!(
                    "no volume or password of component `{name}` in namespace `{namespace}` either"
                )));
            }
            if !app.yes {
                list(printer, &data, &namespace);
                printer.confirm(
                    false,
                    &format!("Type `{name}` to delete component `{name}` and its data for good"),
                    Confirmation::Typed(&name),
                    &refused,
                )?;
            }
            printer.progress_message(&format!("deleting component `{name}`"));
            let deleted = remove::delete(&cluster.client, &target, &app.user)
                .await
                .map_err(remove_error);
            printer.progress_message("");
            Ok::<_, CliError>((namespace, deleted?))
        })?;
        result.namespace = Some(namespace);
        result.checked = true;
        result.deleted = deleted;
        if edited {
            file.write().map_err(|err| {
                edit_error(err).context(format!(
                    "the data of `{name}` was deleted, but `paas.toml` still declares it"
                ))
            })?;
        }
    } else {
        file.write().map_err(edit_error)?;
        let runtime = crate::commands::runtime()?;
        let checked = runtime.block_on(async {
            let (cluster, namespace) = crate::commands::connect(app).await?;
            let target = ComponentRef {
                app: app.app.clone(),
                name: name.clone(),
                namespace: namespace.clone(),
            };
            let data = remove::data(&cluster.client, &target)
                .await
                .map_err(remove_error)?;
            Ok::<_, CliError>((namespace, data))
        });
        match checked {
            Ok((namespace, data)) => {
                result.namespace = Some(namespace);
                result.checked = true;
                result.kept = data.volumes.into_iter().chain(data.secrets).collect();
            }
            Err(err) => {
                let lines = crate::ui::error_lines(&err.source);
                result.not_checked = Some(lines.join(": "));
            }
        }
    }
    report(printer, &result, &again)?;
    Ok(ExitStatus::Success)
}

/// Lists what `--delete-data` is about to delete, before asking.
fn list(printer: &Printer, data: &ComponentData, namespace: &str) {
    if data.is_empty() {
        printer.note(format_args!(
            "No volume or password of it in namespace `{namespace}`; its objects go too."
        ));
        return;
    }
    printer.note(format_args!(
        "This deletes, in namespace `{namespace}`, with the component's objects:"
    ));
    for id in data.volumes.iter().chain(&data.secrets) {
        printer.note(format_args!("  {id}"));
    }
}

fn report(printer: &Printer, result: &Removed, again: &str) -> Result<(), CliError> {
    if printer.json() {
        return output(printer.data_json(result));
    }
    let name = &result.name;
    if result.edited {
        printer.status(
            "Removed",
            format_args!("component `{name}` from `paas.toml`"),
        );
    }
    if !result.deleted.is_empty() {
        printer.status("Deleted", result.deleted.join(", "));
    } else if result.checked && !result.kept.is_empty() {
        let what = if result
            .kept
            .iter()
            .any(|id| id.starts_with("persistentvolumeclaim/"))
        {
            "its data and password"
        } else {
            "its password"
        };
        printer.warn(format_args!(
            "kept {} ({what}); {again} gets them back; `paas remove {name} --delete-data` deletes them",
            result.kept.join(", ")
        ));
    } else if let Some(why) = &result.not_checked {
        printer.warn(format_args!(
            "its volumes were not checked ({why}); any it has stay, and `paas remove {name} --delete-data` deletes them"
        ));
    }
    if result.edited && result.deleted.is_empty() {
        printer.hint("`paas up` deletes its `StatefulSet`, Service and `NetworkPolicy`");
    }
    Ok(())
}

fn remove_error(err: RemoveError) -> CliError {
    match &err {
        RemoveError::Lock(crate::deploy::lock::LockError::Held { .. }) => CliError::new(err).hinted(
            "a deploy of the app is running; wait for it to finish (a lock left by a killed deploy expires after 30s)",
        ),
        _ => CliError::new(err).hinted_if_retryable("check that the cluster is up and reachable"),
    }
}
