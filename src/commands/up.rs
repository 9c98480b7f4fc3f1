//! `paas up`: build, push, apply, wait; the pipeline is [`crate::deploy::pipeline`].

use crate::build::BuildReporter;
use crate::cli::UpArgs;
use crate::commands::output;
use crate::deploy::apply::ApplyError;
use crate::deploy::pipeline::{self, UpError, UpPlan, UpReporter, UpResult};
use crate::error::{CliError, ErrorKind, ExitStatus};
use crate::kube::rollout::RolloutReporter;
use crate::registry::auth::{Credential, DockerConfig, Helpers};
use crate::registry::reference::ImageRef;
use crate::registry::{LayerStatus, PushReporter, RegistryError};
use crate::settings::{GlobalSettings, UpSettings};
use crate::ui::Printer;

/// The Dockerfile `paas up` builds, relative to the project.
const DOCKERFILE: &str = "Dockerfile";

/// Prints the pipeline's progress (also of `paas rollback`).
pub(crate) struct Reporter {
    pub(crate) printer: Printer,
}

impl BuildReporter for Reporter {
    fn on_step(&self, step: &str) {
        let step = step.trim();
        self.printer
            .status("Step", step.strip_prefix("Step ").unwrap_or(step));
    }

    fn on_output(&self, line: &str) {
        self.printer
            .verbose(format_args!("             {}", line.trim_end()));
    }
}

impl PushReporter for Reporter {
    fn on_layer(&self, id: Option<&str>, status: LayerStatus<'_>) {
        if let LayerStatus::Uploading {
            current: Some(current),
            total,
        } = status
        {
            let total = total.map_or_else(String::new, |t| {
                format!(" of {}", crate::build::context::human_bytes(t))
            });
            self.printer.progress_message(&format!(
                "pushing: {}{total}",
                crate::build::context::human_bytes(current)
            ));
        }
        if let LayerStatus::Pushed | LayerStatus::AlreadyExists | LayerStatus::Mounted = status {
            self.printer.verbose(format_args!(
                "             layer {}: {status:?}",
                id.unwrap_or("?")
            ));
        }
    }
}

impl RolloutReporter for Reporter {
    fn on_progress(&self, message: &str) {
        self.printer
            .progress_message(&format!("rolling out: {message}"));
        self.printer.status(
            "Waiting",
            message.strip_prefix("Waiting ").unwrap_or(message),
        );
    }
}

impl UpReporter for Reporter {
    fn event(&self, event: &crate::deploy::events::UpEvent<'_>) {
        match crate::ui::events::up_event(event) {
            crate::ui::events::Worded::Status(verb, message) => self.printer.status(verb, &message),
            crate::ui::events::Worded::Warning(message) => self.printer.warn(&message),
        }
    }

    fn warn(&self, message: &str) {
        self.printer.warn(message);
    }

    fn copy_progress(&self, sent: u64, size: u64) {
        self.printer.progress_message(&format!(
            "copying: {} of {}",
            crate::build::context::human_bytes(sent),
            crate::build::context::human_bytes(size)
        ));
    }

    fn transfer(&self) -> Box<dyn crate::deploy::backup::TransferReporter + '_> {
        Box::new(self.printer.transfer_bar())
    }
}

/// Runs `paas up`.
pub(crate) fn run(
    args: &UpArgs,
    global: &GlobalSettings,
    printer: &Printer,
) -> Result<ExitStatus, CliError> {
    let packs = global.packs()?;
    let settings = UpSettings::resolve(args, global, &packs)?;
    crate::commands::local::say_target(&settings.target, printer);
    if settings.target.is_docker() && args.dry_run {
        return Err(CliError::usage(anyhow::anyhow!(
            "`--dry-run` compares with what runs in a cluster; the local target has none"
        ))
        .hinted("`paas render` shows the manifests the local target runs"));
    }
    if args.dry_run {
        return crate::commands::diff::show(&settings, None, false, printer);
    }
    for warning in &settings.warnings {
        printer.warn(warning);
    }
    // Refused before any work, as a configuration error; the build refuses it too.
    let dockerfile = std::path::Path::new(DOCKERFILE);
    if let Err(err) = crate::files::Root::project(&settings.root).resolve(dockerfile)
        && err.is_outside()
    {
        return Err(crate::settings::file_error(
            &settings.root.join(dockerfile),
            err,
        ));
    }
    if settings.protected {
        printer.confirm_protected(
            settings.yes,
            settings.environment.as_deref(),
            "Deploy to it?",
            "deployed",
        )?;
    }
    if settings.target.is_docker() {
        return crate::commands::local::up(&settings, args, printer);
    }
    let runtime = crate::commands::runtime()?;
    let result = runtime.block_on(deploy(&settings, printer));
    printer.progress_message("");
    let result = match result {
        Ok(result) => result,
        Err(Failure {
            error: err,
            diagnosis,
        }) => {
            print_failure(printer, &err, diagnosis.as_ref())?;
            return Err(err);
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

/// With `--output json`, prints the one object CI reads on stdout whatever happened.
pub(crate) fn print_failure(
    printer: &Printer,
    err: &CliError,
    diagnosis: Option<&crate::kube::diagnose::Diagnosis>,
) -> Result<(), CliError> {
    if printer.json() {
        let failure = serde_json::json!({
            "ok": false,
            "exit_code": err.exit_status().code(),
            "error": crate::ui::error_lines(&err.source),
            "hints": err.hints,
            "diagnosis": diagnosis,
        });
        output(printer.data_json(&failure))?;
    }
    Ok(())
}

/// A failed deploy: the error, and the rollout diagnosis when there is one.
pub(crate) struct Failure {
    pub(crate) error: CliError,
    pub(crate) diagnosis: Option<crate::kube::diagnose::Diagnosis>,
}

impl From<CliError> for Failure {
    fn from(error: CliError) -> Self {
        Self {
            error,
            diagnosis: None,
        }
    }
}

async fn deploy(settings: &UpSettings, printer: &Printer) -> Result<UpResult, Failure> {
    // From here on Ctrl-C stops the deploy where stopping is safe, rather than killing it.
    let interrupt = crate::deploy::interrupt::Interrupt::on_ctrl_c();
    let (cluster, namespace) = crate::commands::connect_to(
        settings.kube_context.as_deref(),
        settings.namespace.as_deref(),
    )
    .await?;
    let docker = crate::build::connect().await.map_err(|err| {
        CliError::new(err).hinted_if_retryable("start the Docker Engine, or set `DOCKER_HOST`")
    })?;
    let image = ImageRef::parse(&settings.repository).map_err(CliError::usage)?;
    let credential = credential_for(image.registry_host()).await?;
    let plan = plan(settings, &namespace);
    let reporter = Reporter {
        printer: printer.clone(),
    };
    pipeline::up(
        &cluster.client,
        &docker,
        &credential,
        &plan,
        &reporter,
        &interrupt,
    )
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

/// Returns the credential for registry `host` from the Docker config (or its helper).
pub(crate) async fn credential_for(host: &str) -> Result<Credential, CliError> {
    let host = host.to_owned();
    let helpers = Helpers::default().timeout(crate::settings::credential_timeout()?);
    tokio::task::spawn_blocking(move || {
        let config = DockerConfig::load()?;
        config.credential_for(&host, &helpers)
    })
    .await
    .map_err(|err| CliError::failed(anyhow::Error::new(err)))?
    .map_err(|err| match err {
        crate::registry::RegistryError::HelperTimedOut { .. } => {
            CliError::new(err).hinted(format!(
                "check what the helper waits for (run it by hand), or raise `{}`",
                crate::env::CREDENTIAL_TIMEOUT
            ))
        }
        _ => CliError::failed(err).hinted(
            "fix the Docker config (`docker login`), or install the credential helper it names",
        ),
    })
}

/// The pipeline's plan of a deploy resolved as `settings` into `namespace`.
pub(crate) fn plan(settings: &UpSettings, namespace: &str) -> UpPlan {
    UpPlan {
        root: settings.root.clone(),
        dockerfile: DOCKERFILE.to_owned(),
        repository: settings.repository.clone(),
        templates: settings.templates.clone(),
        context: settings.context.clone(),
        catalog: settings.catalog.clone(),
        namespace: namespace.to_owned(),
        environment: settings.environment.clone(),
        timeout: settings.timeout,
        grace: crate::kube::rollout::DEFAULT_GRACE,
        atomic: settings.atomic,
        force_conflicts: settings.force_conflicts,
        user: format!("{} pid {}", settings.user, std::process::id()),
        history: crate::deploy::release::DEFAULT_HISTORY,
        major: settings.major,
        backup_dir: settings.backup_dir.clone(),
    }
}

/// Adds the exit code and the hints, and prints a rollout diagnosis before the error.
pub(crate) fn up_error(err: UpError, printer: &Printer, namespace: &str) -> CliError {
    if let UpError::Rollout { error, .. } = &err
        && let Some(diagnosis) = error.diagnosis()
        && !printer.json()
    {
        printer.note(format_args!("\n{diagnosis}\n"));
    }
    if let UpError::Component(crate::deploy::components::ComponentError::NotReady {
        source, ..
    }) = &err
        && let Some(diagnosis) = source.diagnosis()
        && !printer.json()
    {
        printer.note(format_args!("\n{diagnosis}\n"));
    }
    if let UpError::Build(crate::build::BuildError::Failed { step, output, .. }) = &err
        && !printer.json()
    {
        printer.failed_step(step.as_deref(), output);
    }
    // A partly applied release gets the hint of what stopped it, after what state it left.
    let (inner, partly) = match &err {
        UpError::PartlyApplied {
            source, revision, ..
        } => (source.as_ref(), Some(*revision)),
        other => (other, None),
    };
    let partly = partly.map(|revision| format!(
        "what was applied runs release {revision}, the rest is as it was before; `paas up` again applies the whole release"
    ));
    let hint = match inner {
        UpError::Lock(crate::deploy::lock::LockError::Lost { .. }) => Some(
            "another command took the deploy over; what was applied so far stays: check it with `paas status` and `paas history`".to_owned(),
        ),
        UpError::Lock(crate::deploy::lock::LockError::Held { .. }) => Some("wait for the other deploy to finish; a lock left by a killed deploy expires after 30s".to_owned()),
        UpError::Registry(RegistryError::NeedsCredentials { .. } | RegistryError::Unauthorized { .. }) => {
            Some("log in with `docker login REGISTRY`, or set the credentials in the Docker config".to_owned())
        }
        UpError::Registry(RegistryError::Copy { registry, .. }) => Some(format!(
            "check that registry `{registry}` is up and that the Docker config has credentials for it (`docker login {registry}`)"
        )),
        UpError::Registry(RegistryError::CopyMismatch { .. }) => Some(
            "the target registry stores the image under another digest; nothing was deployed: copy it with a tool that keeps manifests as they are, or use the source's registry".to_owned(),
        ),
        UpError::Registry(RegistryError::Unreachable { registry, .. }) => Some(format!(
            "check that registry `{registry}` is up and reachable from here, then run `paas up` again"
        )),
        UpError::Apply(ApplyError::Conflict { .. }) => Some(
            "another tool changed these fields; pass `--force-conflicts` to take them over, or remove them from `deploy/`".to_owned(),
        ),
        UpError::Apply(ApplyError::Modified { .. }) | UpError::Scale(crate::deploy::scale::ScaleError::Modified { .. }) => Some(
            "someone changed it while paas was working; check it with `paas status` and run the command again".to_owned(),
        ),
        UpError::Apply(ApplyError::Invalid { immutable: true, id, .. }) => Some(format!(
            "this field cannot change in place: delete `{id}` in namespace `{namespace}` and run `paas up` again"
        )),
        UpError::Rollout { rolled_back_to: None, .. } => {
            Some("fix the cause and run `paas up` again; `--atomic` puts the last good release back automatically".to_owned())
        }
        UpError::Interrupted { .. } => Some("nothing was deleted; run `paas up` again to wait for it".to_owned()),
        UpError::Stopped { .. } => Some("run `paas up` again when you are ready".to_owned()),
        UpError::Component(err) => Some(err.hint()).filter(|h| !h.is_empty()),
        UpError::Major(err) => Some(err.hint()),
        _ => None,
    };
    let interrupted = matches!(err, UpError::Interrupted { .. } | UpError::Stopped { .. });
    let mut cli = CliError::new(err);
    if interrupted {
        cli.kind = ErrorKind::Interrupted;
    }
    for hint in partly.into_iter().chain(hint) {
        cli = cli.hinted(hint);
    }
    cli
}
