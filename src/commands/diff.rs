//! `paas diff` (and `paas up --dry-run`): what a deploy would change, as a unified diff.

use crate::cli::DiffArgs;
use crate::commands::output;
use crate::deploy::apply::ApplySettings;
use crate::deploy::diff;
use crate::deploy::pipeline::{self, UpPlan};
use crate::error::{CliError, ExitStatus};
use crate::settings::{GlobalSettings, UpSettings};
use crate::ui::Printer;

/// Runs `paas diff`.
pub(crate) fn run(
    args: &DiffArgs,
    global: &GlobalSettings,
    printer: &Printer,
) -> Result<ExitStatus, CliError> {
    let packs = global.packs()?;
    let mut settings = UpSettings::resolve_target(&args.target, global, &packs)?;
    settings.force_conflicts = args.force_conflicts;
    show(&settings, args.image.as_deref(), args.exit_code, printer)
}

/// Prints the diff of a deploy with these settings; shared with `paas up --dry-run`.
pub(crate) fn show(
    settings: &UpSettings,
    image: Option<&str>,
    exit_code: bool,
    printer: &Printer,
) -> Result<ExitStatus, CliError> {
    for warning in &settings.warnings {
        printer.warn(warning);
    }
    let runtime = crate::commands::runtime()?;
    let diffs = runtime.block_on(async {
        let (cluster, namespace) = crate::commands::connect_to(
            settings.kube_context.as_deref(),
            settings.namespace.as_deref(),
        )
        .await?;
        let plan = UpPlan {
            root: settings.root.clone(),
            dockerfile: "Dockerfile".to_owned(),
            repository: settings.repository.clone(),
            templates: settings.templates.clone(),
            context: settings.context.clone(),
            catalog: settings.catalog.clone(),
            namespace: namespace.clone(),
            environment: settings.environment.clone(),
            timeout: settings.timeout,
            grace: crate::kube::rollout::DEFAULT_GRACE,
            atomic: false,
            force_conflicts: settings.force_conflicts,
            user: settings.user.clone(),
            history: crate::deploy::release::DEFAULT_HISTORY,
            major: false,
            backup_dir: settings.backup_dir.clone(),
        };
        let last = pipeline::last_release(&cluster.client, &plan).await.map_err(|err| {
            CliError::new(err).hinted_if_retryable("check that the cluster is up and reachable")
        })?;
        let image = match (image, &last) {
            (Some(image), _) => image.to_owned(),
            (None, Some(release)) => release.image.clone(),
            (None, None) => {
                printer.warn("nothing is deployed yet and no `--image` was given; the image is a placeholder");
                format!("{}:dev", settings.repository)
            }
        };
        crate::names::check_image(&image).map_err(|err| CliError::usage(err).hinted("check `--image`"))?;
        let tag = crate::registry::reference::split(&image).tag.unwrap_or("dev").to_owned();
        let rendered = pipeline::render_for(&cluster.client, &plan, &image, &tag, last.as_ref())
            .await
            .map_err(|err| {
                let error = CliError::new(err);
                if error.kind == crate::error::ErrorKind::Retryable {
                    error.hinted("check that the cluster is up and reachable")
                } else {
                    error.hinted("fix the template under `deploy/`")
                }
            })?;
        // A scale that changes is set through the scale subresource first by `paas up`, so
        // its dry run would meet that manager: compare as if it had been.
        let scale_changes = rendered.scale != rendered.live;
        let rendered = rendered.manifests;
        let apply = ApplySettings {
            app: settings.context.app.name.clone(),
            namespace,
            force_conflicts: settings.force_conflicts || scale_changes,
            dry_run: true,
        };
        diff::diff(&cluster.client, &apply, &rendered).await.map_err(|err| match &err {
            crate::deploy::apply::ApplyError::Conflict { .. } => CliError::failed(err)
                .hinted("`paas up` would fail here; `--force-conflicts` takes the fields over"),
            _ => CliError::new(err).hinted_if_retryable("check that the cluster is up and reachable"),
        })
    })?;
    if printer.json() {
        output(printer.data_json(&diffs))?;
    } else {
        let text: String = diffs.iter().map(|d| d.diff.as_str()).collect();
        output(printer.data(&text))?;
    }
    if diffs.is_empty() {
        printer.status("Unchanged", "a deploy would change no object");
    } else {
        let ids: Vec<String> = diffs
            .iter()
            .map(|d| format!("{} ({})", d.id, d.change))
            .collect();
        printer.status("Would change", ids.join(", "));
    }
    if exit_code && !diffs.is_empty() {
        return Ok(ExitStatus::Failure);
    }
    Ok(ExitStatus::Success)
}
