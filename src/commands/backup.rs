//! `paas backup` and `paas restore`: settings, the confirmation, the progress bar and what is
//! said at the end; the work is [`crate::deploy::backup`].

use serde::Serialize;

use crate::cli::{BackupArgs, RestoreArgs};
use crate::commands::{connect, output, runtime};
use crate::component::backup as dump;
use crate::deploy::backup::{self, BackupError};
use crate::deploy::interrupt::Interrupt;
use crate::error::{CliError, ErrorKind, ExitStatus};
use crate::settings::{BackupSettings, GlobalSettings, RestoreSettings};
use crate::ui::Printer;
use crate::ui::prompt::Confirmation;

/// What `paas backup --output json` prints.
#[derive(Debug, Serialize)]
struct BackupResult<'a> {
    app: &'a str,
    namespace: &'a str,
    component: &'a str,
    kind: &'a str,
    #[serde(flatten)]
    backup: &'a backup::Backup,
}

/// What `paas restore --output json` prints.
#[derive(Debug, Serialize)]
struct RestoreResult<'a> {
    app: &'a str,
    namespace: &'a str,
    component: &'a str,
    kind: &'a str,
    file: &'a std::path::Path,
    #[serde(flatten)]
    restored: &'a backup::Restored,
}

/// Runs `paas backup`.
pub(crate) fn backup(
    args: &BackupArgs,
    global: &GlobalSettings,
    printer: &Printer,
) -> Result<ExitStatus, CliError> {
    let settings = BackupSettings::resolve(args, global)?;
    runtime()?.block_on(async {
        let (cluster, namespace, target) = find(&settings.app, &settings.name).await?;
        let client = &cluster.client;
        let spec = backup::spec(&settings.catalog, &target).map_err(failure)?;
        let file = settings.file.clone().unwrap_or_else(|| {
            global.directory.join(dump::default_file(
                &settings.app.app,
                &settings.name,
                spec,
                k8s_openapi::jiff::Timestamp::now(),
            ))
        });
        if file.exists() && !settings.force {
            return Err(CliError::usage(anyhow::anyhow!(
                "`{}` exists; nothing was written",
                file.strip_prefix(&global.directory)
                    .unwrap_or(&file)
                    .display()
            ))
            .hinted("name another file with `-o FILE`, or pass `--force` to replace it"));
        }
        let shown = file
            .strip_prefix(&global.directory)
            .unwrap_or(&file)
            .display()
            .to_string();
        let bar = printer.transfer_bar();
        let interrupt = Interrupt::on_ctrl_c();
        // A stopped dump leaves no file behind (the partial one is removed when dropped).
        let done = tokio::select! {
            done = backup::backup(client, &namespace, &target, spec, &file, &bar) => done.map_err(failure)?,
            () = interrupt.wait() => return Err(stopped(format!(
                "the backup of component `{}` was stopped; nothing was written",
                settings.name
            ), "run `paas backup` again when you are ready")),
        };
        if printer.json() {
            output(printer.data_json(&BackupResult {
                app: &settings.app.app,
                namespace: &namespace,
                component: &settings.name,
                kind: &target.kind,
                backup: &done,
            }))?;
        } else {
            printer.status(
                "Backed up",
                format!(
                    "component `{}` ({} {}) to `{}` ({}, sha256 {})",
                    settings.name,
                    target.kind,
                    target.version.as_deref().unwrap_or("?"),
                    shown,
                    crate::build::context::human_bytes(done.bytes),
                    done.sha256
                ),
            );
            printer.note(format!(
                "`{shown}.sha256` holds the checksum; `paas restore {} {shown}` checks it",
                settings.name,
            ));
        }
        Ok(ExitStatus::Success)
    })
}

/// Runs `paas restore`.
pub(crate) fn restore(
    args: &RestoreArgs,
    global: &GlobalSettings,
    printer: &Printer,
) -> Result<ExitStatus, CliError> {
    let settings = RestoreSettings::resolve(args, global)?;
    runtime()?.block_on(async {
        let (cluster, namespace, target) = find(&settings.app, &settings.name).await?;
        let client = &cluster.client;
        let spec = backup::spec(&settings.catalog, &target).map_err(failure)?;
        let checked = backup::check_file(&settings.file, &settings.shown, &target, &settings.catalog)
            .await
            .map_err(failure)?;
        let environment = settings
            .app
            .environment
            .as_deref()
            .map(|e| format!(" in environment `{e}`"))
            .unwrap_or_default();
        printer.confirm(
            settings.app.yes,
            &format!(
                "This replaces the data of component `{}` of `{}`{environment} with `{}`. Type the component's name to go on",
                settings.name,
                settings.app.app,
                settings.shown
            ),
            Confirmation::Typed(&settings.name),
            &format!("the data of component `{}` was not replaced", settings.name),
        )?;
        let bar = printer.transfer_bar();
        let interrupt = Interrupt::on_ctrl_c();
        let restored = tokio::select! {
            restored = backup::restore(client, &namespace, &target, spec, &checked, &bar) => restored.map_err(failure)?,
            () = interrupt.wait() => return Err(stopped(format!(
                "the restore of component `{}` was stopped part way",
                settings.name
            ), &format!("the component may hold part of `{}`; run `paas restore` again to replace it whole", settings.shown))),
        };
        if printer.json() {
            output(printer.data_json(&RestoreResult {
                app: &settings.app.app,
                namespace: &namespace,
                component: &settings.name,
                kind: &target.kind,
                file: &settings.file,
                restored: &restored,
            }))?;
        } else {
            printer.status(
                "Restored",
                format!(
                    "component `{}` from `{}` ({}{}); it holds {} {}",
                    settings.name,
                    settings.shown,
                    crate::build::context::human_bytes(restored.bytes),
                    if restored.checksum_checked {
                        ", checksum matched"
                    } else {
                        ", no checksum file"
                    },
                    restored.count,
                    restored.unit
                ),
            );
        }
        Ok(ExitStatus::Success)
    })
}

/// Connects and finds the component's ready pod.
async fn find(
    app: &crate::settings::AppSettings,
    name: &str,
) -> Result<(crate::kube::Cluster, String, backup::Target), CliError> {
    let (cluster, namespace) = connect(app).await?;
    let target = backup::target(&cluster.client, &namespace, &app.app, name)
        .await
        .map_err(failure)?;
    Ok((cluster, namespace, target))
}

/// A transfer stopped by Ctrl-C.
fn stopped(message: String, hint: &str) -> CliError {
    let mut error = CliError::new(anyhow::anyhow!(message)).hinted(hint);
    error.kind = ErrorKind::Interrupted;
    error
}

/// How a backup or restore error counts, with its hint.
fn failure(err: BackupError) -> CliError {
    let hint = err.hint();
    let error = match &err {
        BackupError::Dump(_) | BackupError::Checksum { .. } | BackupError::NoComponent { .. } => {
            CliError::usage(err)
        }
        BackupError::Catalog(_) | BackupError::NoBackup { .. } => CliError::usage(err),
        _ => CliError::new(err),
    };
    match hint {
        Some(hint) => error.hinted(hint),
        None => error,
    }
}
