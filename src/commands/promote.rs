//! `paas promote`: deploy a recorded release's image to another environment; the work is
//! [`crate::deploy::promote`], the deploy after the copy `up`'s pipeline.

use crate::cli::PromoteArgs;
use crate::commands::output;
use crate::commands::up::{Failure, Reporter, credential_for, plan, print_failure, up_error};
use crate::deploy::pipeline::{UpError, UpResult};
use crate::deploy::promote::{self, Credentials, PromoteError};
use crate::deploy::release::ReleaseStore;
use crate::error::{CliError, ExitStatus};
use crate::registry::ImageRef;
use crate::settings::{GlobalSettings, PromoteSettings};
use crate::ui::Printer;

/// Runs `paas promote`.
pub(crate) fn run(
    args: &PromoteArgs,
    global: &GlobalSettings,
    printer: &Printer,
) -> Result<ExitStatus, CliError> {
    let packs = global.packs()?;
    let settings = PromoteSettings::resolve(args, global, &packs)?;
    for warning in &settings.target.warnings {
        printer.warn(warning);
    }
    if settings.target.protected {
        printer.confirm_protected(
            settings.target.yes,
            settings.target.environment.as_deref(),
            "Promote to it?",
            "promoted",
        )?;
    }
    let runtime = crate::commands::runtime()?;
    let result = runtime.block_on(deploy(&settings, printer));
    printer.progress_message("");
    let result = match result {
        Ok(result) => result,
        Err(Failure { error, diagnosis }) => {
            print_failure(printer, &error, diagnosis.as_ref())?;
            return Err(error);
        }
    };
    if printer.json() {
        output(printer.data_json(&result))?;
    } else {
        for url in &result.urls {
            printer.note(format_args!("          at {url}"));
        }
    }
    Ok(ExitStatus::Success)
}

async fn deploy(settings: &PromoteSettings, printer: &Printer) -> Result<UpResult, Failure> {
    let interrupt = crate::deploy::interrupt::Interrupt::on_ctrl_c();
    let source_settings = &settings.source;
    let (source_cluster, source_namespace) = crate::commands::connect(source_settings).await?;
    let store = ReleaseStore::new(
        source_cluster.client.clone(),
        &source_namespace,
        &source_settings.app,
    );
    let source = promote::source_release(
        &store,
        &source_settings.app,
        &settings.from,
        &source_namespace,
        settings.revision,
    )
    .await
    .map_err(|err| promote_error(err, settings))?;

    let target = &settings.target;
    let (cluster, namespace) =
        crate::commands::connect_to(target.kube_context.as_deref(), target.namespace.as_deref())
            .await?;
    let source_image = ImageRef::parse(&source.release.image).map_err(CliError::failed)?;
    let target_image = ImageRef::parse(&target.repository).map_err(CliError::usage)?;
    let credentials = Credentials {
        source: credential_for(source_image.registry_host()).await?,
        target: credential_for(target_image.registry_host()).await?,
    };
    let plan = plan(target, &namespace);
    let reporter = Reporter {
        printer: printer.clone(),
    };
    Box::pin(promote::promote(
        &cluster.client,
        &plan,
        &source,
        &credentials,
        &reporter,
        &interrupt,
    ))
    .await
    .map_err(|err| {
        let diagnosis = match &err {
            UpError::Rollout { error, .. } => error.diagnosis().cloned(),
            _ => None,
        };
        Failure {
            error: up_error(err, printer, &namespace),
            diagnosis,
        }
    })
}

/// Adds the exit code and a hint to a refused source release.
fn promote_error(err: PromoteError, settings: &PromoteSettings) -> Failure {
    let from = &settings.from;
    let error = match err {
        PromoteError::Release(err) => crate::commands::history::release_error(err),
        PromoteError::NotSucceeded { .. } => CliError::usage(err).hinted(format!(
            "promote a release that rolled out: `paas history --env {from}` lists them; `--revision N` picks one"
        )),
        PromoteError::NoDigest { .. } => CliError::usage(err).hinted(format!(
            "deploy it to `{from}` again with `paas up --env {from}`, which records the digest, then promote that release"
        )),
        PromoteError::NothingLive { .. } => CliError::usage(err).hinted(format!(
            "deploy it with `paas up --env {from}` first, or name a release with `--revision N`"
        )),
        PromoteError::NoSuchRelease { .. } => CliError::usage(err).hinted(format!(
            "`paas history --env {from}` lists the releases"
        )),
    };
    error.into()
}
