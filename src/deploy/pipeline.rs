//! `paas up` as a pipeline: lock → build (skipped when the context is unchanged) → push →
//! render with the image pinned by digest → apply and prune → record the release → wait for
//! the rollout, diagnosing failures, and with `atomic` putting the last good release back.
//!
//! A deploy that would change nothing (same digest as the live release, every object
//! unchanged by a server-side dry run, nothing to prune) records no release and says so.
//! Progress goes to an [`UpReporter`]; nothing here prints.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use bollard::Docker;
use serde::Serialize;
use serde_json::Value;

use crate::build::context::{self, BuildContext, ContextError};
use crate::build::{self, BuildError, BuildPlan, BuildReporter};
use crate::deploy::apply::{self, ApplyError, ApplySettings, ChangeAction, ObjectChange};
use crate::deploy::backup::TransferReporter;
use crate::deploy::components;
use crate::deploy::events::UpEvent;
use crate::deploy::interrupt::Interrupt;
use crate::deploy::lock::{DeployLock, LockError};
use crate::deploy::major::{self, MajorError, Upgrade};
use crate::deploy::release::{Release, ReleaseError, ReleaseStatus, ReleaseStore};
use crate::deploy::scale::{self, Scale, ScaleError};
use crate::deploy::secrets::{self, Stamp};
use crate::git::GitState;
use crate::kube::rollout::{RolloutError, RolloutReporter, RolloutWait};
use crate::manifests::{self, Manifest, ManifestContext, RenderError};
use crate::pack::values::ClusterMonitoring;
use crate::registry::auth::Credential;
use crate::registry::reference::ImageRef;
use crate::registry::{self, PushReporter, RegistryError};

/// Everything `up` needs, resolved.
#[derive(Debug, Clone)]
pub struct UpPlan {
    /// The project root (the build context).
    pub root: PathBuf,
    /// The Dockerfile, relative to the root.
    pub dockerfile: String,
    /// `<registry>/<app>`, without a tag.
    pub repository: String,
    /// The manifest templates (`deploy/*.yaml`).
    pub templates: BTreeMap<String, String>,
    /// The template values; `image` and `app.version` are filled in by the pipeline.
    pub context: ManifestContext,
    /// The component kinds the app's components come from.
    pub catalog: crate::component::Catalog,
    /// The namespace.
    pub namespace: String,
    /// The environment of `paas.toml`, if any.
    pub environment: Option<String>,
    /// How long to wait for the rollout.
    pub timeout: Duration,
    /// How long a failure that may heal must last before the wait gives up.
    pub grace: Duration,
    /// Put the last good release back when the rollout fails.
    pub atomic: bool,
    /// Take over fields other managers own.
    pub force_conflicts: bool,
    /// Who deploys, for the lock and the release record.
    pub user: String,
    /// Releases kept.
    pub history: usize,
    /// Move components to another major version (backup, new instance, restore, switch).
    pub major: bool,
    /// Where the dumps of a major upgrade are kept.
    pub backup_dir: PathBuf,
}

/// Receives the progress of `up`; the UI layer implements it.
pub trait UpReporter: BuildReporter + PushReporter + RolloutReporter {
    /// A step finished or started.
    fn event(&self, event: &UpEvent<'_>);
    /// Something the user should know; the deploy goes on.
    fn warn(&self, message: &str);
    /// Bytes of the blob a copy between registries (`paas promote`) is uploading, of `size`.
    fn copy_progress(&self, _sent: u64, _size: u64) {}
    /// Receives the progress of one transfer of a major upgrade (a dump, a restore).
    fn transfer(&self) -> Box<dyn TransferReporter + '_> {
        Box::new(NoTransfer)
    }
}

/// A transfer nobody watches.
struct NoTransfer;

impl TransferReporter for NoTransfer {
    fn on_start(&self, _: &str, _: Option<u64>) {}
    fn on_bytes(&self, _: u64) {}
    fn on_end(&self) {}
}

/// The result of a deploy, as `--output json` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct UpResult {
    /// The app.
    pub app: String,
    /// The namespace.
    pub namespace: String,
    /// The image, pinned by digest.
    pub image: String,
    /// Its manifest digest.
    pub digest: String,
    /// Whether an image was built (false: the context was unchanged).
    pub built: bool,
    /// Layers uploaded by the push.
    pub layers_pushed: usize,
    /// Layers the registry already had.
    pub layers_existing: usize,
    /// The release recorded, or the live one when nothing changed.
    pub revision: Option<u32>,
    /// Whether nothing changed at all.
    pub unchanged: bool,
    /// What happened to each object.
    pub objects: Vec<ObjectChange>,
    /// The git state the image was built from.
    pub git: Option<GitState>,
    /// Seconds the rollout took.
    pub rollout_seconds: f64,
    /// Where the app answers: the Service inside the cluster, then the public host, if any.
    pub urls: Vec<String>,
    /// The components moved to another major version (`--major`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub upgrades: Vec<Upgrade>,
    /// The release of another environment whose image was deployed (`paas promote`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub promoted_from: Option<crate::deploy::release::PromotedFrom>,
    /// What the copy between registries did (`paas promote`), when there was one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copy: Option<crate::registry::copy::Copied>,
}

/// Why `up` failed.
#[derive(Debug, thiserror::Error)]
pub enum UpError {
    /// Another deploy holds the lock.
    #[error(transparent)]
    Lock(#[from] LockError),
    /// The build context could not be read.
    #[error(transparent)]
    Context(#[from] ContextError),
    /// The build failed.
    #[error(transparent)]
    Build(#[from] BuildError),
    /// The push failed.
    #[error(transparent)]
    Registry(#[from] RegistryError),
    /// The manifests did not render.
    #[error(transparent)]
    Render(#[from] RenderError),
    /// Applying failed.
    #[error(transparent)]
    Apply(#[from] ApplyError),
    /// Release records could not be read or written.
    #[error(transparent)]
    Release(#[from] ReleaseError),
    /// The scale could not be read or set.
    #[error(transparent)]
    Scale(#[from] ScaleError),
    /// The Secret values of a recorded release could not be taken from the live Secrets.
    #[error(transparent)]
    SecretValues(#[from] crate::redact::RestoreError),
    /// The app's own Secret could not be read.
    #[error(transparent)]
    AppSecret(#[from] crate::deploy::secrets::ReadError),
    /// A component could not be made ready.
    #[error(transparent)]
    Component(#[from] crate::deploy::components::ComponentError),
    /// A component's major upgrade stopped.
    #[error(transparent)]
    Major(#[from] MajorError),
    /// The Kubernetes API failed outside applying.
    #[error("failed to read deployment `{name}` in namespace `{namespace}`")]
    Kube {
        /// The Deployment.
        name: String,
        /// The namespace.
        namespace: String,
        /// The cause.
        #[source]
        source: ::kube::Error,
    },
    /// The cluster could not be asked whether it runs prometheus-operator.
    #[error(
        "failed to read prometheus-operator's `Prometheus` objects for namespace `{namespace}`"
    )]
    Monitoring {
        /// The app's namespace.
        namespace: String,
        /// The cause.
        #[source]
        source: ::kube::Error,
    },
    /// The rollout failed.
    #[error("release {revision} of `{app}` failed to roll out{}", match rolled_back_to {
        Some(good) => format!("; release {good} was put back (`--atomic`)"),
        None => String::new(),
    })]
    Rollout {
        /// The app.
        app: String,
        /// The failed release.
        revision: u32,
        /// The release put back by `atomic`, if any.
        rolled_back_to: Option<u32>,
        /// Why.
        #[source]
        error: RolloutError,
    },
    /// The user interrupted the wait.
    #[error(
        "interrupted while waiting for release {revision} of `{app}` to roll out; the cluster keeps what was applied"
    )]
    Interrupted {
        /// The app.
        app: String,
        /// The release being rolled out.
        revision: u32,
    },
    /// The user stopped the deploy before anything was applied.
    #[error("interrupted during the {stage} of `{app}`; nothing was applied to the cluster")]
    Stopped {
        /// The app.
        app: String,
        /// `build`, `push`, `backup` or `deploy`.
        stage: &'static str,
    },
    /// Applying stopped after some objects reached the cluster.
    #[error(
        "release {revision} of `{app}` was applied only in part (applied: {}; not applied: {}); it is recorded as failed",
        list(applied),
        list(not_applied)
    )]
    PartlyApplied {
        /// The app.
        app: String,
        /// The release being applied.
        revision: u32,
        /// `kind/name` of what reached the cluster.
        applied: Vec<String>,
        /// `kind/name` of what did not.
        not_applied: Vec<String>,
        /// What stopped it.
        #[source]
        source: Box<UpError>,
    },
    /// The rendered manifests hold no Deployment.
    #[error("the manifests of `{app}` hold no Deployment")]
    NoDeployment {
        /// The app.
        app: String,
    },
}

impl UpError {
    /// Returns whether the deploy lock was lost (so it must be left alone).
    #[must_use]
    pub fn lost_lock(&self) -> bool {
        matches!(self, Self::Lock(LockError::Lost { .. }))
    }
}

/// Deploys. When `interrupt` is requested (Ctrl-C), a build or push is abandoned with nothing
/// applied, applying runs to its end (never half an app), and a wait stops leaving what was
/// applied. When the deploy lock is lost, everything stops at once and the Lease is left to
/// whoever has it. A namespace created for this deploy is removed again when the deploy
/// fails and left it empty.
pub async fn up(
    client: &::kube::Client,
    docker: &Docker,
    credential: &Credential,
    plan: &UpPlan,
    reporter: &dyn UpReporter,
    interrupt: &Interrupt,
) -> Result<UpResult, UpError> {
    locked(client, plan, reporter, async {
        let image = Box::pin(push_image(docker, credential, plan, reporter, interrupt)).await?;
        Box::pin(deploy_image(
            client,
            plan,
            &image,
            &Origin::up(),
            reporter,
            interrupt,
        ))
        .await
    })
    .await
}

/// Runs `work` (a deploy into the plan's namespace) holding the app's deploy lock: the
/// namespace is made first (the lock lives in it), records left pending by a deploy that
/// stopped are marked interrupted, the lock is given back at the end, and a namespace created
/// for a deploy that failed is removed again when the failure left it empty.
pub async fn locked(
    client: &::kube::Client,
    plan: &UpPlan,
    reporter: &dyn UpReporter,
    work: impl Future<Output = Result<UpResult, UpError>>,
) -> Result<UpResult, UpError> {
    let app = plan.context.app.name.clone();
    let limit = cleanup_limit(plan.timeout);
    // The lock lives in the namespace, so the namespace comes first.
    let created = apply::ensure_namespace(client, &plan.namespace).await?;
    if created {
        reporter.event(&UpEvent::NamespaceCreated {
            namespace: &plan.namespace,
        });
    }
    let lock = DeployLock::acquire(client.clone(), &plan.namespace, &app, &plan.user).await?;
    let store = ReleaseStore::new(client.clone(), &plan.namespace, &app);
    let result = guarded(&lock, async {
        took_lock(&lock, &store, reporter).await?;
        work.await
    })
    .await;
    let lost = matches!(&result, Err(err) if err.lost_lock());
    settle_lock(lock, lost, limit, reporter).await;
    if created
        && result.is_err()
        && let Ok(Ok(true)) =
            tokio::time::timeout(limit, remove_if_empty(client, &plan.namespace)).await
    {
        reporter.event(&UpEvent::NamespaceRemoved {
            namespace: &plan.namespace,
        });
    }
    result
}

/// How long the clean-up after a failure (recording how the release ended, giving the lock
/// back) may take: an API server that went away must not keep paas hanging.
#[must_use]
pub fn cleanup_limit(timeout: Duration) -> Duration {
    timeout.min(Duration::from_secs(10))
}

/// Runs `work` while `lock` is held; stops it at once when the lock is lost.
pub(crate) async fn guarded<T, E: From<UpError>>(
    lock: &DeployLock,
    work: impl Future<Output = Result<T, E>>,
) -> Result<T, E> {
    tokio::select! {
        result = work => result,
        lost = lock.lost() => Err(UpError::Lock(lost).into()),
    }
}

/// What every holder does on taking the lock: says whom it was taken from, and marks the
/// records that deploys which stopped left pending as interrupted.
pub(crate) async fn took_lock(
    lock: &DeployLock,
    store: &ReleaseStore,
    reporter: &dyn UpReporter,
) -> Result<(), UpError> {
    if let Some(message) = takeover_message(lock) {
        reporter.warn(&message);
    }
    for revision in store.interrupt_pending().await? {
        reporter.warn(&format!(
            "release {revision} was left pending by a deploy that stopped; it is recorded as interrupted"
        ));
    }
    Ok(())
}

/// Says whom a lock was taken over from, if it was.
#[must_use]
pub fn takeover_message(lock: &DeployLock) -> Option<String> {
    lock.took_over().map(|previous| {
        if previous.stale {
            format!(
                "took over the stale deploy lock `{}` of `{}`: that process is no longer running on this host",
                lock.name(),
                previous.holder
            )
        } else {
            format!(
                "took over the deploy lock `{}` of `{}`: it expired without being renewed",
                lock.name(),
                previous.holder
            )
        }
    })
}

/// Gives the lock back within `limit`, unless it was `lost` (then it is left to whoever has
/// it); a lock that cannot be released is reported, and expires on its own.
pub(crate) async fn settle_lock(
    lock: DeployLock,
    lost: bool,
    limit: Duration,
    reporter: &dyn UpReporter,
) {
    if lost {
        return;
    }
    let name = lock.name().to_owned();
    match tokio::time::timeout(limit, lock.release()).await {
        Ok(Ok(())) => {}
        Ok(Err(err)) => reporter.warn(&format!("{}; it was left as it is", error_chain(&err))),
        Err(_) => reporter.warn(&format!(
            "the deploy lock `{name}` was not released: the API server did not answer within {}s; it expires after {}s",
            limit.as_secs(),
            crate::deploy::lock::LEASE_SECONDS
        )),
    }
}

/// An error and its causes on one line: `a: b: c`.
pub(crate) fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut next = err.source();
    while let Some(cause) = next {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        next = cause.source();
    }
    text
}

/// Deletes `namespace` if nothing is in it but what Kubernetes puts in every namespace and it
/// carries paas's label. Returns whether it was deleted.
async fn remove_if_empty(client: &::kube::Client, namespace: &str) -> Result<bool, ::kube::Error> {
    use ::kube::api::{DeleteParams, DynamicObject, ListParams, Preconditions};
    use ::kube::core::ApiResource;
    use k8s_openapi::api::apps::v1::{ReplicaSet, StatefulSet};
    use k8s_openapi::api::batch::v1::Job;
    use k8s_openapi::api::coordination::v1::Lease;
    use k8s_openapi::api::core::v1::{Namespace, PersistentVolumeClaim, Pod};

    let namespaces: ::kube::Api<Namespace> = ::kube::Api::all(client.clone());
    let Some(current) = namespaces.get_opt(namespace).await? else {
        return Ok(false);
    };
    let ours = current
        .metadata
        .labels
        .as_ref()
        .and_then(|l| l.get(crate::labels::MANAGED_BY))
        .is_some_and(|v| v == crate::labels::MANAGER);
    if !ours || current.metadata.deletion_timestamp.is_some() {
        return Ok(false);
    }
    let mut kinds = apply::prunable_kinds();
    kinds.extend([
        ApiResource::erase::<Pod>(&()),
        ApiResource::erase::<ReplicaSet>(&()),
        ApiResource::erase::<StatefulSet>(&()),
        ApiResource::erase::<Job>(&()),
        ApiResource::erase::<PersistentVolumeClaim>(&()),
        ApiResource::erase::<Lease>(&()),
    ]);
    for resource in kinds {
        let api: ::kube::Api<DynamicObject> =
            ::kube::Api::namespaced_with(client.clone(), namespace, &resource);
        let list = match api.list_metadata(&ListParams::default()).await {
            Ok(list) => list,
            // A kind the cluster does not serve (a CRD not installed).
            Err(err) if crate::kube::is_not_found(&err) => continue,
            Err(err) => return Err(err),
        };
        // What the control plane creates in every namespace.
        let built_in = |name: &str| match resource.kind.as_str() {
            "ConfigMap" => name == "kube-root-ca.crt",
            "ServiceAccount" => name == "default",
            _ => false,
        };
        if list
            .items
            .iter()
            .any(|o| !built_in(o.metadata.name.as_deref().unwrap_or_default()))
        {
            return Ok(false);
        }
    }
    let params = DeleteParams {
        preconditions: Some(Preconditions {
            uid: current.metadata.uid.clone(),
            resource_version: None,
        }),
        ..DeleteParams::default()
    };
    namespaces.delete(namespace, &params).await?;
    Ok(true)
}

/// The image a deploy rolls out: in the target's repository, pinned by digest.
#[derive(Debug, Clone)]
pub struct PinnedImage {
    /// `<repository>:<tag>@<digest>`.
    pub image: String,
    /// The manifest digest.
    pub digest: String,
    /// The tag, the app's version label.
    pub tag: String,
    /// The git state the image was built from.
    pub git: Option<GitState>,
    /// Whether it was built by this deploy.
    pub built: bool,
    /// Layers (blobs) uploaded to the registry by this deploy.
    pub layers_pushed: usize,
    /// Layers (blobs) the registry already had.
    pub layers_existing: usize,
}

/// What a release records about where it came from.
#[derive(Debug, Clone)]
pub struct Origin {
    /// The release's description: `up`, `promoted from staging release 3`.
    pub description: String,
    /// The release of another environment it deploys the image of.
    pub promoted_from: Option<crate::deploy::release::PromotedFrom>,
}

impl Origin {
    /// A release of `paas up`.
    #[must_use]
    pub fn up() -> Self {
        Self {
            description: "up".to_owned(),
            promoted_from: None,
        }
    }
}

/// Builds the project's image (unless its context is unchanged) and pushes it through the
/// Engine; layers the registry has are not uploaded.
async fn push_image(
    docker: &Docker,
    credential: &Credential,
    plan: &UpPlan,
    reporter: &dyn UpReporter,
    interrupt: &Interrupt,
) -> Result<PinnedImage, UpError> {
    let app = plan.context.app.name.clone();
    // A registry that does not answer is found before a build that may take minutes.
    let target = ImageRef::parse(&plan.repository)?;
    crate::registry::check_reachable(&target, false).await?;
    let BuiltImage {
        image,
        tag,
        built,
        git,
    } = build_image(
        docker,
        &plan.root,
        &plan.dockerfile,
        &plan.repository,
        &app,
        reporter,
        interrupt,
    )
    .await?;

    let pushed = tokio::select! {
        pushed = registry::push(docker, &image, credential, reporter) => pushed?,
        () = interrupt.wait() => return Err(UpError::Stopped { app, stage: "push" }),
    };
    let pinned = pushed.image.to_string();
    reporter.event(&UpEvent::Pushed {
        image: &pinned,
        uploaded: pushed.layers_pushed + pushed.layers_mounted,
        existing: pushed.layers_existing,
    });
    Ok(PinnedImage {
        image: pinned,
        digest: pushed.digest,
        tag,
        git,
        built,
        layers_pushed: pushed.layers_pushed + pushed.layers_mounted,
        layers_existing: pushed.layers_existing,
    })
}

/// Deploys `image`, which is in the registry already: renders the manifests with it pinned,
/// checks the components' major versions, says "unchanged" when nothing would change, records
/// a release described by `origin`, applies the components and the app, prunes, waits and
/// diagnoses, and with `atomic` puts the last good release back. `paas up` calls it after the
/// push, `paas promote` after the copy. The caller holds the deploy lock ([`locked`]).
pub async fn deploy_image(
    client: &::kube::Client,
    plan: &UpPlan,
    image: &PinnedImage,
    origin: &Origin,
    reporter: &dyn UpReporter,
    interrupt: &Interrupt,
) -> Result<UpResult, UpError> {
    let app = plan.context.app.name.clone();
    let store = ReleaseStore::new(client.clone(), &plan.namespace, &app);
    let PinnedImage {
        image: pinned,
        tag,
        git,
        built,
        ..
    } = image.clone();

    // Render with the image by digest, and keep the live replica count unless paas.toml
    // changed it since the last release that reached the cluster (a failed, rolled-back,
    // pending or interrupted record may never have been applied).
    let releases = store.list().await?;
    let last = store.last_good(None).await?;
    let mut prepared = render_for(client, plan, &pinned, &tag, last.as_ref()).await?;
    for note in &prepared.access {
        if note.is_problem() {
            reporter.warn(&note.to_string());
        } else {
            reporter.event(&UpEvent::Access { note });
        }
    }
    let rendered = prepared.manifests.clone();
    let (declared, live_scale, desired_scale) = (prepared.declared, prepared.live, prepared.scale);
    // What every outcome reports; the revision, objects and timing are filled in below.
    let report = UpResult {
        app: app.clone(),
        namespace: plan.namespace.clone(),
        image: pinned.clone(),
        digest: image.digest.clone(),
        built,
        layers_pushed: image.layers_pushed,
        layers_existing: image.layers_existing,
        revision: None,
        unchanged: false,
        objects: Vec::new(),
        git: git.clone(),
        rollout_seconds: 0.0,
        urls: urls(&rendered, &plan.namespace),
        upgrades: Vec::new(),
        promoted_from: origin.promoted_from.clone(),
        copy: None,
    };
    let yaml = manifests::to_yaml_stream(&rendered);

    // A component's data is bound to its major version: a change of it is refused before
    // anything else (the API server would refuse the claim template's change in the dry run too,
    // without saying why).
    let mut components = plan.context.components.clone();
    for component in &mut components {
        component.namespace = Some(plan.namespace.clone());
    }
    // An upgrade cut short is finished from its dump, never backed up again (the new instance
    // may hold part of the data by now).
    let unfinished = major::unfinished(client, &plan.namespace, &app, &components).await?;
    let changes: Vec<_> = components::major_changes(client, &plan.namespace, &components)
        .await?
        .into_iter()
        .filter(|change| !unfinished.iter().any(|u| u.component == change.name))
        .collect();
    if !plan.major {
        if let Some(upgrade) = unfinished.first() {
            return Err(upgrade.unfinished().into());
        }
        if let Some(change) = changes.first() {
            return Err(components::ComponentError::from(change.clone()).into());
        }
    }
    if plan.major && changes.is_empty() && unfinished.is_empty() {
        reporter.warn("`--major`: no component changes its major version; this is a normal deploy");
    }

    // Nothing changed? A server-side dry run tells, without writing.
    let settings = ApplySettings {
        app: app.clone(),
        namespace: plan.namespace.clone(),
        force_conflicts: plan.force_conflicts,
        dry_run: false,
    };
    let live = last
        .as_ref()
        .filter(|r| r.status == ReleaseStatus::Deployed);
    if let Some(live) = live
        && live.digest.as_deref() == Some(image.digest.as_str())
        && desired_scale == live_scale
        && changes.is_empty()
        && unfinished.is_empty()
    {
        let dry = ApplySettings {
            dry_run: true,
            ..settings.clone()
        };
        let changes = apply::apply(client, &dry, &rendered).await?;
        let pruned = apply::prune(client, &dry, &rendered).await?;
        if pruned.is_empty() && changes.iter().all(|c| c.action == ChangeAction::Unchanged) {
            let wait = RolloutWait::new(plan.timeout).grace(plan.grace);
            let deployment = deployment_name(&rendered, &app)?;
            let waited = tokio::select! {
                waited = wait.run(client, &plan.namespace, &deployment, reporter) => waited,
                () = interrupt.wait() => {
                    return Err(UpError::Interrupted { app, revision: live.revision });
                }
            };
            let outcome = waited.map_err(|error| UpError::Rollout {
                app: app.clone(),
                revision: live.revision,
                rolled_back_to: None,
                error,
            })?;
            reporter.event(&UpEvent::UpToDate {
                app: &app,
                revision: live.revision,
            });
            return Ok(UpResult {
                revision: Some(live.revision),
                unchanged: true,
                objects: changes,
                rollout_seconds: outcome.elapsed.as_secs_f64(),
                ..report
            });
        }
    }

    // Record, apply, prune: from here on the cluster changes, so a stop comes only after it.
    if interrupt.requested() {
        return Err(UpError::Stopped {
            app,
            stage: "deploy",
        });
    }
    // A component's data is bound to its password: a missing one is made (or its loss refused)
    // before anything is recorded or applied.
    if !components.is_empty() {
        for created in
            components::ensure_credentials(client, &plan.namespace, &components, &plan.catalog)
                .await?
        {
            reporter.event(&UpEvent::SecretCreated {
                component: &created.component,
                secret: &created.secret,
            });
        }
    }
    // A major upgrade starts from a dump of the data as it is, taken before anything changes.
    let backed_up = if changes.is_empty() {
        Vec::new()
    } else {
        reporter.warn("a major upgrade copies the data as it is when the backup starts: what the app writes after that is not copied (stop writes first, `paas scale 0`, when that matters)");
        let transfer = reporter.transfer();
        tokio::select! {
            upgrades = major::back_up(client, &plan.namespace, &app, &changes, &plan.catalog, &plan.backup_dir, transfer.as_ref()) => upgrades?,
            () = interrupt.wait() => return Err(UpError::Stopped { app, stage: "backup" }),
        }
    };
    for upgrade in &backed_up {
        reporter.event(&UpEvent::MajorBackedUp { upgrade });
        major::note(client, &plan.namespace, upgrade).await?;
    }
    for upgrade in &unfinished {
        reporter.warn(&format!(
            "the major upgrade of component `{}` from {} to {} did not finish; it is finished now from `{}`",
            upgrade.component,
            upgrade.from,
            upgrade.to,
            upgrade.backup.file.display()
        ));
    }
    let mut upgrades = unfinished;
    upgrades.extend(backed_up);
    let revision = releases.last().map_or(1, |r| r.revision + 1);
    let mut release = Release {
        app: app.clone(),
        revision,
        status: ReleaseStatus::Pending,
        description: origin.description.clone(),
        image: pinned.clone(),
        digest: Some(image.digest.clone()),
        git_commit: git.as_ref().map(|g| g.commit.clone()),
        git_dirty: git.as_ref().is_some_and(|g| g.dirty),
        user: plan.user.clone(),
        created: k8s_openapi::jiff::Timestamp::now().to_string(),
        finished: None,
        environment: plan.environment.clone(),
        manifests: yaml,
        declared: Some(declared),
        promoted_from: origin.promoted_from.clone(),
    };
    store.create(&release).await?;
    let limit = cleanup_limit(plan.timeout);
    // The components first, ready before the app that needs them rolls out.
    let (component_manifests, app_manifests) = components::split(&prepared.manifests);
    let mut objects = Vec::new();
    for upgrade in &upgrades {
        let replaced = tokio::select! {
            replaced = major::replace(client, &plan.namespace, upgrade, plan.timeout) => replaced,
            () = interrupt.wait() => return Err(UpError::Interrupted { app, revision }),
        };
        match replaced {
            Ok(true) => reporter.event(&UpEvent::MajorReplaced { upgrade }),
            Ok(false) => {}
            Err(err) => {
                settle(&store, &mut release, ReleaseStatus::Failed, limit, reporter).await;
                return Err(err.into());
            }
        }
    }
    if !component_manifests.is_empty() {
        let applied = apply::apply(client, &settings, &component_manifests).await;
        match applied {
            Ok(changes) => objects.extend(changes),
            Err(err) => {
                settle(&store, &mut release, ReleaseStatus::Failed, limit, reporter).await;
                return Err(partly_applied(
                    err.into(),
                    &app,
                    revision,
                    &prepared.manifests,
                ));
            }
        }
        let waited = tokio::select! {
            waited = components::wait_ready(client, &plan.namespace, &app, &component_manifests, &plan.catalog, plan.timeout, plan.grace, reporter) => waited,
            () = interrupt.wait() => return Err(UpError::Interrupted { app, revision }),
        };
        match waited {
            Ok(ready) => {
                for (component, elapsed) in &ready {
                    reporter.event(&UpEvent::ComponentReady {
                        component,
                        elapsed: *elapsed,
                    });
                }
            }
            Err(err) => {
                settle(&store, &mut release, ReleaseStatus::Failed, limit, reporter).await;
                return Err(err.into());
            }
        }
    }
    for upgrade in &mut upgrades {
        let transfer = reporter.transfer();
        let restored = tokio::select! {
            restored = major::restore(client, &plan.namespace, &app, upgrade, &plan.catalog, transfer.as_ref()) => restored,
            () = interrupt.wait() => return Err(UpError::Interrupted { app, revision }),
        };
        drop(transfer);
        if let Err(err) = restored {
            settle(&store, &mut release, ReleaseStatus::Failed, limit, reporter).await;
            return Err(err.into());
        }
        reporter.event(&UpEvent::MajorRestored { upgrade });
    }
    prepared.manifests = app_manifests;
    match apply_scaled(client, &settings, &mut prepared, last.as_ref()).await {
        Ok(changes) => objects.extend(changes),
        Err(err) => {
            settle(&store, &mut release, ReleaseStatus::Failed, limit, reporter).await;
            let mut all = component_manifests.clone();
            all.extend(prepared.manifests.iter().cloned());
            return Err(partly_applied(err, &app, revision, &all));
        }
    }
    let mut rendered = component_manifests;
    rendered.extend(prepared.manifests);
    manifests::sort(&mut rendered);
    match apply::prune(client, &settings, &rendered).await {
        Ok(pruned) => objects.extend(pruned),
        Err(err) => {
            settle(&store, &mut release, ReleaseStatus::Failed, limit, reporter).await;
            return Err(err.into());
        }
    }
    reporter.event(&UpEvent::Applied { changes: &objects });

    // Wait.
    let deployment = deployment_name(&rendered, &app)?;
    let wait = RolloutWait::new(plan.timeout).grace(plan.grace);
    let waited = tokio::select! {
        result = wait.run(client, &plan.namespace, &deployment, reporter) => result,
        () = interrupt.wait() => {
            return Err(UpError::Interrupted { app, revision });
        }
    };
    match waited {
        Ok(outcome) => {
            conclude(&store, &mut release, plan.history).await?;
            reporter.event(&UpEvent::RolledOut {
                app: &app,
                revision,
                elapsed: outcome.elapsed,
            });
            Ok(UpResult {
                revision: Some(revision),
                objects,
                rollout_seconds: outcome.elapsed.as_secs_f64(),
                upgrades,
                ..report
            })
        }
        Err(error) => {
            settle(&store, &mut release, ReleaseStatus::Failed, limit, reporter).await;
            // The rollout's failure is what is reported; a failing put-back is said beside it.
            let rolled_back_to = if plan.atomic {
                match roll_back(client, plan, &store, &settings, &mut release, reporter).await {
                    Ok(good) => good,
                    Err(err) => {
                        reporter.warn(&format!(
                            "`--atomic` could not put the last good release back: {}",
                            error_chain(&err)
                        ));
                        None
                    }
                }
            } else {
                None
            };
            Err(UpError::Rollout {
                app,
                revision,
                rolled_back_to,
                error,
            })
        }
    }
}

/// An image `paas up` built, or found already built from the same context.
#[derive(Debug, Clone)]
pub struct BuiltImage {
    /// `<repository>:<tag>`.
    pub image: ImageRef,
    /// The tag: the git commit, `<commit>-dirty-<context>` or `ctx-<context>`.
    pub tag: String,
    /// Whether it was built now (false: an image of the same context existed).
    pub built: bool,
    /// The git state of the project.
    pub git: Option<GitState>,
}

/// Builds the project's image as `<repository>:<tag>`, unless an image of the same context,
/// Dockerfile and arguments exists (then that one is tagged). Both targets use it: the cluster's
/// pipeline pushes the result, the local one runs it.
pub async fn build_image(
    docker: &Docker,
    root: &std::path::Path,
    dockerfile: &str,
    repository: &str,
    app: &str,
    reporter: &dyn UpReporter,
    interrupt: &Interrupt,
) -> Result<BuiltImage, UpError> {
    let git = crate::git::state(root);
    let context_root = root.to_path_buf();
    let dockerfile = PathBuf::from(dockerfile);
    let build_context: BuildContext =
        tokio::task::spawn_blocking(move || context::build_context(&context_root, &dockerfile))
            .await
            .map_err(|err| ContextError::ReadDir {
                path: root.to_path_buf(),
                source: std::io::Error::other(err),
            })??;
    for warning in &build_context.warnings {
        reporter.warn(&warning.to_string());
    }
    let cache_key = context::cache_key(
        &build_context.digest,
        &build_context.dockerfile_text,
        &BTreeMap::new(),
    );
    let short = build_context
        .digest
        .trim_start_matches("sha256:")
        .chars()
        .take(12)
        .collect::<String>();
    let tag = match &git {
        Some(GitState {
            commit,
            dirty: false,
        }) => commit.clone(),
        Some(GitState {
            commit,
            dirty: true,
        }) => format!("{commit}-dirty-{}", &short[..8]),
        None => format!("ctx-{short}"),
    };
    let image = ImageRef::parse(&format!("{repository}:{tag}"))?;
    let built = if let Some(id) = build::find_cached(docker, &cache_key).await? {
        build::add_tags(docker, &id, &[image.to_string()]).await?;
        reporter.event(&UpEvent::Fresh {
            image: &image.to_string(),
        });
        false
    } else {
        reporter.event(&UpEvent::Building {
            image: &image.to_string(),
            files: build_context.files,
            bytes: build_context.bytes,
        });
        let labels = crate::labels::image_labels(app);
        let build_plan = BuildPlan {
            context: build_context,
            tags: vec![image.to_string()],
            build_args: BTreeMap::new(),
            labels,
            cache_key: Some(cache_key),
            no_cache: false,
        };
        tokio::select! {
            built = build::build_image(docker, &build_plan, reporter) => built?,
            () = interrupt.wait() => return Err(UpError::Stopped { app: app.to_owned(), stage: "build" }),
        };
        reporter.event(&UpEvent::Built {
            image: &image.to_string(),
        });
        true
    };

    Ok(BuiltImage {
        image,
        tag,
        built,
        git,
    })
}

/// What a deploy applies: the manifests with the image pinned and the scale decided.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The manifests, ready to apply.
    pub manifests: Vec<Manifest>,
    /// The scale `paas.toml` declares (recorded with the release).
    pub declared: Scale,
    /// The scale in the cluster now.
    pub live: Scale,
    /// The scale the manifests carry ([`scale::reconcile`]).
    pub scale: Scale,
    /// What the access rules found in the cluster, or could not find.
    pub access: Vec<crate::access::discover::Note>,
}

/// Renders the manifests a deploy of `image` (tagged `tag`) would apply: the image pinned,
/// the version label set, the namespace filled in, and the live scale kept unless
/// `paas.toml` changed it since `last` ([`scale::reconcile`]).
pub async fn render_for(
    client: &::kube::Client,
    plan: &UpPlan,
    image: &str,
    tag: &str,
    last: Option<&Release>,
) -> Result<Rendered, UpError> {
    let mut context = plan.context.clone();
    image.clone_into(&mut context.image);
    tag.clone_into(&mut context.app.version);
    crate::labels::set_version(&mut context.labels, tag);
    context.namespace = Some(plan.namespace.clone());
    for component in &mut context.components {
        component.namespace = Some(plan.namespace.clone());
        crate::labels::set_namespace(&mut component.labels, &plan.namespace);
    }
    if context.monitoring.is_some() {
        context.telemetry.cluster =
            Some(cluster_monitoring(client, &plan.namespace, &context.labels).await?);
    }
    crate::pack::values::derive_telemetry(&mut context);
    let class = context.ingress.as_ref().map(|i| i.class.clone());
    let notes = match &mut context.access {
        Some(access) => crate::access::discover::resolve(client, access, class.as_deref()).await,
        None => Vec::new(),
    };
    let mut manifests = crate::component::render_app(&plan.templates, &context, &plan.catalog)?;
    let app = &plan.context.app.name;
    if let Stamp::NotReferenced { id, source } =
        secrets::stamp_live(client, &plan.namespace, app, &mut manifests).await?
    {
        return Err(RenderError::Policy {
            file: source,
            id,
            message: format!(
                "does not pass Secret `{}` (set with `paas secret`) to its container: add `- secretRef: {{name: {{{{ deploy.secrets_name }}}}, optional: true}}` under `envFrom` (`paas init --force` writes the current templates)",
                crate::names::secrets_name(app)
            ),
        }
        .into());
    }
    let mut rendered = with_scale(client, &plan.namespace, manifests, last).await?;
    rendered.access = notes;
    Ok(rendered)
}

/// Asks the cluster whether it serves prometheus-operator's `ServiceMonitor` and, if so, which
/// labels its `Prometheus` objects select a monitor of `labels` in `namespace` by. When they
/// may not be read, the monitor gets only the app's labels and `[monitoring] labels`.
async fn cluster_monitoring(
    client: &::kube::Client,
    namespace: &str,
    labels: &BTreeMap<String, String>,
) -> Result<ClusterMonitoring, UpError> {
    use crate::kube::monitoring::{Operator, Prometheuses};
    let operator = crate::kube::monitoring::discover(client, namespace)
        .await
        .map_err(|source| UpError::Monitoring {
            namespace: namespace.to_owned(),
            source,
        })?;
    Ok(match operator {
        Operator::Absent => ClusterMonitoring::NoOperator,
        Operator::Present {
            prometheuses: Prometheuses::Read(scrapers),
            namespace_labels,
        } => ClusterMonitoring::Operator(crate::monitoring::choose(
            &scrapers,
            namespace,
            &namespace_labels,
            labels,
        )),
        Operator::Present {
            prometheuses: Prometheuses::Unreadable(_),
            ..
        } => ClusterMonitoring::Operator(crate::monitoring::Choice::default()),
    })
}

/// Decides the scale of `manifests` against the cluster and the last release, and writes it
/// into them.
pub async fn with_scale(
    client: &::kube::Client,
    namespace: &str,
    mut manifests: Vec<Manifest>,
    last: Option<&Release>,
) -> Result<Rendered, UpError> {
    let declared = Scale::declared(&manifests);
    let live = scale::live(client, namespace, &manifests).await?;
    let scale = scale::reconcile(live, declared, last.map(Release::declared_scale));
    scale.write_into(&mut manifests);
    Ok(Rendered {
        manifests,
        declared,
        live,
        scale,
        access: Vec::new(),
    })
}

/// Returns the newest release of the plan's app that reached the cluster (deployed or
/// superseded), whose declared scale a deploy compares with, if any.
pub async fn last_release(
    client: &::kube::Client,
    plan: &UpPlan,
) -> Result<Option<Release>, UpError> {
    let store = ReleaseStore::new(client.clone(), &plan.namespace, &plan.context.app.name);
    Ok(store.last_good(None).await?)
}

/// Puts the last good release back (`atomic`) and waits for it. Returns its revision, or
/// `None` when there is none.
async fn roll_back(
    client: &::kube::Client,
    plan: &UpPlan,
    store: &ReleaseStore,
    settings: &ApplySettings,
    failed: &mut Release,
    reporter: &dyn UpReporter,
) -> Result<Option<u32>, UpError> {
    let Some(good) = store.last_good(Some(failed.revision)).await? else {
        reporter
            .warn("`--atomic`: there is no earlier release that rolled out; nothing to put back");
        return Ok(None);
    };
    let wait = RolloutWait::new(plan.timeout).grace(plan.grace);
    put_back(client, settings, &wait, store, good, failed, reporter)
        .await
        .map(Some)
}

/// Puts `good` back after `failed` did not roll out (`--atomic` of `up` and `rollback`): its
/// manifests with the scale a deploy would send, applied taking every field over, pruned, and
/// waited for. Marks `failed` rolled back and `good` deployed; returns `good`'s revision.
pub async fn put_back(
    client: &::kube::Client,
    settings: &ApplySettings,
    wait: &RolloutWait,
    store: &ReleaseStore,
    mut good: Release,
    failed: &mut Release,
    reporter: &dyn UpReporter,
) -> Result<u32, UpError> {
    reporter.event(&UpEvent::Restoring {
        revision: good.revision,
    });
    let mut parsed =
        manifests::parse_rendered(&good.manifests, &format!("release {}", good.revision))?;
    components::check_recorded_majors(client, &settings.namespace, &parsed).await?;
    good.declared_scale().declare_into(&mut parsed);
    crate::redact::restore_values(client, &settings.namespace, &mut parsed).await?;
    secrets::stamp_live(client, &settings.namespace, &good.app, &mut parsed).await?;
    // The scale as a deploy would send it: what `paas scale` set stays. The release compared
    // with is the failed one, because it is what was just applied to the cluster.
    let rendered = with_scale(client, &settings.namespace, parsed, Some(failed)).await?;
    scale::preset(
        client,
        &settings.namespace,
        &rendered.manifests,
        rendered.live,
        rendered.scale,
        &mut BTreeMap::new(),
    )
    .await?;
    let manifests = rendered.manifests;
    let settings = ApplySettings {
        force_conflicts: true,
        dry_run: false,
        ..settings.clone()
    };
    apply::apply(client, &settings, &manifests).await?;
    apply::prune(client, &settings, &manifests).await?;
    let deployment = deployment_name(&manifests, &good.app)?;
    wait.run(client, &settings.namespace, &deployment, reporter)
        .await
        .map_err(|error| UpError::Rollout {
            app: good.app.clone(),
            revision: good.revision,
            rolled_back_to: None,
            error,
        })?;
    finish(store, failed, ReleaseStatus::RolledBack).await?;
    good.status = ReleaseStatus::Deployed;
    store.update(&good).await?;
    reporter.event(&UpEvent::Restored {
        app: &good.app,
        revision: good.revision,
    });
    Ok(good.revision)
}

/// Marks a release that rolled out deployed, the ones before it superseded, and drops the
/// records beyond `history`.
pub(crate) async fn conclude(
    store: &ReleaseStore,
    release: &mut Release,
    history: usize,
) -> Result<(), UpError> {
    finish(store, release, ReleaseStatus::Deployed).await?;
    store.supersede_others(release.revision).await?;
    store.prune_history(history).await?;
    Ok(())
}

/// Records how a release ended, and when.
pub(crate) async fn finish(
    store: &ReleaseStore,
    release: &mut Release,
    status: ReleaseStatus,
) -> Result<(), UpError> {
    release.status = status;
    release.finished = Some(k8s_openapi::jiff::Timestamp::now().to_string());
    store.update(release).await?;
    Ok(())
}

/// Records how a release ended as part of the clean-up after a failure: within `limit`, and
/// a failure to record is said, never put in place of the failure being reported.
pub(crate) async fn settle(
    store: &ReleaseStore,
    release: &mut Release,
    status: ReleaseStatus,
    limit: Duration,
    reporter: &dyn UpReporter,
) {
    let revision = release.revision;
    let problem = match tokio::time::timeout(limit, finish(store, release, status)).await {
        Ok(Ok(())) => return,
        Ok(Err(err)) => error_chain(&err),
        Err(_) => format!("the API server did not answer within {}s", limit.as_secs()),
    };
    reporter.warn(&format!(
        "release {revision} could not be recorded as {}: {problem}",
        status.as_str()
    ));
}

/// Returns whether every field of a conflict belongs to the scale: a Deployment's replica
/// count, an autoscaler's bounds and metrics.
fn scale_conflict(err: &ApplyError) -> bool {
    matches!(err, ApplyError::Conflict { conflicts, .. } if !conflicts.is_empty()
    && conflicts.iter().all(|c| {
        matches!(c.field.as_str(), ".spec.replicas" | ".spec.minReplicas" | ".spec.maxReplicas")
            || c.field.starts_with(".spec.metrics")
    }))
}

/// Applies `rendered`: a scale that changes while another manager owns it is first set the
/// way `paas scale` sets it ([`scale::preset`]), so the apply meets no conflict. A conflict on
/// the scale all the same means someone changed it after it was read (`kubectl scale`, an
/// autoscaler): the live scale is read again and decided anew against `last`, as a deploy
/// starting then would have, and the apply is tried again.
pub async fn apply_scaled(
    client: &::kube::Client,
    settings: &ApplySettings,
    rendered: &mut Rendered,
    last: Option<&Release>,
) -> Result<Vec<ObjectChange>, UpError> {
    let mut attempts = 0;
    loop {
        scale::preset(
            client,
            &settings.namespace,
            &rendered.manifests,
            rendered.live,
            rendered.scale,
            &mut BTreeMap::new(),
        )
        .await?;
        match apply::apply(client, settings, &rendered.manifests).await {
            Err(err) if attempts < 3 && scale_conflict(&err) => {
                attempts += 1;
                let mut manifests = rendered.manifests.clone();
                rendered.declared.declare_into(&mut manifests);
                *rendered = with_scale(client, &settings.namespace, manifests, last).await?;
            }
            result => return result.map_err(UpError::from),
        }
    }
}

/// Says what reached the cluster when applying `manifests` stopped after some of them.
fn partly_applied(err: UpError, app: &str, revision: u32, manifests: &[Manifest]) -> UpError {
    let applied = match &err {
        UpError::Apply(apply) => apply.applied().to_vec(),
        _ => Vec::new(),
    };
    if applied.is_empty() {
        return err;
    }
    let not_applied = manifests
        .iter()
        .map(Manifest::id)
        .filter(|id| !applied.contains(id))
        .collect();
    UpError::PartlyApplied {
        app: app.to_owned(),
        revision,
        applied,
        not_applied,
        source: Box::new(err),
    }
}

fn list(ids: &[String]) -> String {
    if ids.is_empty() {
        "nothing".to_owned()
    } else {
        ids.join(", ")
    }
}

#[expect(
    clippy::result_large_err,
    reason = "the error is built once, at the end of a deploy"
)]
fn deployment_name(manifests: &[Manifest], app: &str) -> Result<String, UpError> {
    manifests
        .iter()
        .find(|m| m.kind == "Deployment")
        .map(|m| m.name.clone())
        .ok_or_else(|| no_deployment(app))
}

fn no_deployment(app: &str) -> UpError {
    UpError::NoDeployment {
        app: app.to_owned(),
    }
}

/// Returns the address of Service `name` inside the cluster: its cluster DNS name and port.
#[must_use]
pub fn service_url(name: &str, namespace: &str, port: i64) -> String {
    format!("http://{name}.{namespace}.svc.cluster.local:{port}")
}

/// Returns the app's addresses: each Service's cluster DNS name and port, then each
/// Ingress host and path.
#[must_use]
pub fn urls(manifests: &[Manifest], namespace: &str) -> Vec<String> {
    let mut urls = Vec::new();
    for manifest in manifests {
        if crate::deploy::components::is_component(manifest) {
            continue;
        }
        match manifest.kind.as_str() {
            "Service" => {
                let port = manifest
                    .value
                    .pointer("/spec/ports/0/port")
                    .and_then(Value::as_i64)
                    .unwrap_or(80);
                urls.push(service_url(&manifest.name, namespace, port));
            }
            "Ingress" => {
                for rule in manifest
                    .value
                    .pointer("/spec/rules")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let Some(host) = rule.get("host").and_then(Value::as_str) else {
                        continue;
                    };
                    let tls = manifest.value.pointer("/spec/tls").is_some();
                    let path = rule
                        .pointer("/http/paths/0/path")
                        .and_then(Value::as_str)
                        .unwrap_or("/");
                    urls.push(format!(
                        "{}://{host}{path}",
                        if tls { "https" } else { "http" }
                    ));
                }
            }
            _ => {}
        }
    }
    urls
}
