//! `paas rollback`: put an earlier release back; the work is [`crate::deploy::rollback`].

use crate::cli::RollbackArgs;
use crate::commands::output;
use crate::commands::up::{Failure, Reporter, print_failure, up_error};
use crate::deploy::apply::ApplySettings;
use crate::deploy::pipeline::UpError;
use crate::deploy::release::DEFAULT_HISTORY;
use crate::deploy::rollback::{self, RollbackError, RollbackPlan, RollbackResult};
use crate::error::{CliError, ExitStatus};
use crate::settings::{AppSettings, GlobalSettings};
use crate::ui::Printer;

/// Runs `paas rollback`.
pub(crate) fn run(
    args: &RollbackArgs,
    global: &GlobalSettings,
    printer: &Printer,
) -> Result<ExitStatus, CliError> {
    let settings = AppSettings::resolve(&args.app, global)?;
    if args.to == Some(0) {
        return Err(CliError::usage(anyhow::anyhow!(
            "there is no release 0: revisions start at 1"
        ))
        .hinted(
            "`paas history` lists the releases; leave out `--to` for the one before the live one",
        ));
    }
    if settings.protected && !args.dry_run {
        printer.confirm_protected(
            settings.yes,
            settings.environment.as_deref(),
            "Roll it back?",
            "rolled back",
        )?;
    }
    if settings.target.is_docker() {
        crate::commands::local::say_target(&settings.target, printer);
        if args.dry_run {
            return Err(CliError::usage(anyhow::anyhow!(
                "`--dry-run` compares with what runs in a cluster; the local target has none"
            ))
            .hinted("`paas history` lists the releases a rollback can put back"));
        }
        return crate::commands::local::rollback(&settings, args, printer);
    }
    let runtime = crate::commands::runtime()?;
    let result = runtime.block_on(async {
        let (cluster, namespace) = crate::commands::connect(&settings).await?;
        let plan = RollbackPlan {
            app: settings.app.clone(),
            namespace: namespace.clone(),
            to: args.to,
            timeout: args.timeout,
            grace: crate::kube::rollout::DEFAULT_GRACE,
            atomic: args.atomic,
            user: format!("{} pid {}", settings.user, std::process::id()),
            history: DEFAULT_HISTORY,
        };
        if args.dry_run {
            dry_run(&cluster.client, &plan, printer).await?;
            return Ok(None);
        }
        let reporter = Reporter {
            printer: printer.clone(),
        };
        let interrupt = crate::deploy::interrupt::Interrupt::on_ctrl_c();
        rollback::rollback(&cluster.client, &plan, &reporter, &interrupt)
            .await
            .map(Some)
            .map_err(|err| failure(err, printer, &namespace))
    });
    printer.progress_message("");
    let result: Option<RollbackResult> = match result {
        Ok(result) => result,
        Err(Failure { error, diagnosis }) => {
            print_failure(printer, &error, diagnosis.as_ref())?;
            return Err(error);
        }
    };
    if let Some(result) = result
        && printer.json()
    {
        output(printer.data_json(&result))?;
    }
    Ok(ExitStatus::Success)
}

/// Prints what the rollback would change, as `paas diff` does.
async fn dry_run(
    client: &::kube::Client,
    plan: &RollbackPlan,
    printer: &Printer,
) -> Result<(), Failure> {
    let prepared = rollback::prepare(client, plan)
        .await
        .map_err(|err| failure(err, printer, &plan.namespace))?;
    let settings = ApplySettings {
        app: plan.app.clone(),
        namespace: plan.namespace.clone(),
        force_conflicts: true,
        dry_run: true,
    };
    let diffs = crate::deploy::diff::diff(client, &settings, &prepared.rendered.manifests)
        .await
        .map_err(|err| failure(RollbackError::from(err), printer, &plan.namespace))?;
    if printer.json() {
        output(printer.data_json(&serde_json::json!({
            "app": plan.app,
            "namespace": plan.namespace,
            "to": prepared.target.revision,
            "from": prepared.live.as_ref().map(|l| l.revision),
            "would_change": diffs,
        })))?;
    } else {
        let text: String = diffs.iter().map(|d| d.diff.as_str()).collect();
        output(printer.data(&text))?;
    }
    if diffs.is_empty() {
        printer.status(
            "Unchanged",
            format!(
                "the cluster already runs release {}; a rollback would change nothing",
                prepared.target.revision
            ),
        );
    } else {
        let ids: Vec<String> = diffs
            .iter()
            .map(|d| format!("{} ({})", d.id, d.change))
            .collect();
        printer.status(
            "Would change",
            format!(
                "{} to put release {} back",
                ids.join(", "),
                prepared.target.revision
            ),
        );
    }
    Ok(())
}

/// Maps a rollback error to the exit code and hints, keeping the rollout diagnosis.
fn failure(err: RollbackError, printer: &Printer, namespace: &str) -> Failure {
    let error = match err {
        RollbackError::NoHistory { .. } => CliError::usage(err)
            .hinted("releases are recorded by `paas up`; check `--env`, `--namespace` and `--app`"),
        RollbackError::UnknownRevision { .. } => {
            CliError::usage(err).hinted("`paas history` lists the releases")
        }
        RollbackError::NothingEarlier { .. } => {
            CliError::usage(err).hinted("`paas history` lists the releases; `--to N` names one")
        }
        RollbackError::Deploy(err) => {
            let diagnosis = match &err {
                UpError::Rollout { error, .. } => error.diagnosis().cloned(),
                _ => None,
            };
            let unrestored = matches!(
                err,
                UpError::Rollout {
                    rolled_back_to: None,
                    ..
                }
            );
            let mut error = up_error(err, printer, namespace);
            if unrestored {
                error.hints = vec![
                    "the release put back fails too: `paas history` lists the others, and `--atomic` puts the live one back when a rollback fails".to_owned(),
                ];
            }
            return Failure { error, diagnosis };
        }
    };
    Failure {
        error,
        diagnosis: None,
    }
}
