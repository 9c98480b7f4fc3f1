//! `paas down`: delete everything the app owns; the work is [`crate::deploy::down`].

use std::time::Duration;

use crate::cli::DownArgs;
use crate::commands::output;
use crate::deploy::down::{self, DownError, DownPlan, DownResult};
use crate::error::{CliError, ExitStatus};
use crate::settings::{AppSettings, GlobalSettings};
use crate::ui::Printer;
use crate::ui::prompt::Confirmation;

/// Runs `paas down`.
pub(crate) fn run(
    args: &DownArgs,
    global: &GlobalSettings,
    printer: &Printer,
) -> Result<ExitStatus, CliError> {
    let settings = AppSettings::resolve(&args.app, global)?;
    if settings.target.is_docker() {
        crate::commands::local::say_target(&settings.target, printer);
        return crate::commands::local::down(&settings, args, printer);
    }
    let runtime = crate::commands::runtime()?;
    let result = runtime.block_on(async {
        let (cluster, namespace) = crate::commands::connect(&settings).await?;
        let mut plan = DownPlan {
            app: settings.app.clone(),
            namespace: namespace.clone(),
            volumes: args.volumes,
            keep_history: args.keep_history,
            dry_run: true,
            user: format!("{} pid {}", settings.user, std::process::id()),
            timeout: Duration::from_secs(60),
        };
        let listed = down::down(&cluster.client, &plan)
            .await
            .map_err(down_error)?;
        if args.dry_run || (listed.deleted.is_empty() && listed.releases == 0) {
            return Ok(listed);
        }
        confirm(printer, &settings, &listed)?;
        plan.dry_run = false;
        printer.progress_message(&format!("deleting `{}`", settings.app));
        down::down(&cluster.client, &plan).await.map_err(down_error)
    });
    printer.progress_message("");
    let result = result?;
    report(printer, &result)?;
    Ok(ExitStatus::Success)
}

/// Asks before deleting: on a protected environment the app's name must be typed.
fn confirm(printer: &Printer, settings: &AppSettings, listed: &DownResult) -> Result<(), CliError> {
    let refused = format!(
        "deleting `{}` in namespace `{}` needs a confirmation; nothing was deleted",
        settings.app, listed.namespace
    );
    if settings.yes || !printer.interactive() {
        return printer.confirm(settings.yes, "", Confirmation::YesNo, &refused);
    }
    printer.note(format_args!(
        "This deletes {}{}:",
        listed.deleted.len(),
        if listed.releases > 0 {
            format!(" objects and {} release records", listed.releases)
        } else {
            " objects".to_owned()
        }
    ));
    for id in &listed.deleted {
        printer.note(format_args!("  {id}"));
    }
    for name in &listed.records {
        printer.note(format_args!("  secret/{name} (release record)"));
    }
    if settings.protected {
        let environment = settings.environment.clone().unwrap_or_default();
        let question = format!(
            "Environment `{environment}` is protected. Type `{}` to delete it",
            settings.app
        );
        printer.confirm(
            false,
            &question,
            Confirmation::Typed(&settings.app),
            &refused,
        )
    } else {
        let question = format!(
            "Delete `{}` in namespace `{}`?",
            settings.app, listed.namespace
        );
        printer.confirm(false, &question, Confirmation::YesNo, &refused)
    }
}

fn report(printer: &Printer, result: &DownResult) -> Result<(), CliError> {
    if printer.json() {
        return output(printer.data_json(result));
    }
    let verb = if result.dry_run {
        "Would delete"
    } else {
        "Deleted"
    };
    if result.deleted.is_empty() && result.releases == 0 {
        printer.status(
            "Unchanged",
            format!(
                "`{}` owns nothing in namespace `{}`; nothing to delete",
                result.app, result.namespace
            ),
        );
    } else {
        if !result.deleted.is_empty() {
            printer.status(verb, result.deleted.join(", "));
        }
        if result.releases > 0 {
            printer.status(
                verb,
                format!(
                    "{} release record{} (`--keep-history` keeps them): {}",
                    result.releases,
                    if result.releases == 1 { "" } else { "s" },
                    result.records.join(", ")
                ),
            );
        }
    }
    for warning in &result.warnings {
        printer.warn(warning);
    }
    if !result.kept_volumes.is_empty() {
        printer.warn(format_args!(
            "kept {} with the app's data; `--volumes` deletes them",
            result.kept_volumes.join(", ")
        ));
    }
    if result.pods_left > 0 {
        printer.warn(format_args!(
            "{} pod{} still terminating; the cluster removes them",
            result.pods_left,
            if result.pods_left == 1 {
                " is"
            } else {
                "s are"
            }
        ));
    }
    Ok(())
}

fn down_error(err: DownError) -> CliError {
    match &err {
        DownError::Lock(crate::deploy::lock::LockError::Lost { .. }) => CliError::new(err).hinted(
            "another command took the app over while it was being deleted; check what is left with `paas down --dry-run`",
        ),
        DownError::Lock(crate::deploy::lock::LockError::Held { .. }) => CliError::new(err).hinted(
            "a deploy of the app is running; wait for it to finish (a lock left by a killed deploy expires after 30s)",
        ),
        _ => CliError::new(err)
            .hinted_if_retryable("check that the cluster is up and reachable; run `paas down` again"),
    }
}
