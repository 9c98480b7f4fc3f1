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
use crate::deploy::interrupt::Interrupt;
use crate::deploy::lock::{DeployLock, LockError};
use crate::deploy::release::{Release, ReleaseError, ReleaseStatus, ReleaseStore};
use crate::deploy::scale::{self, Scale, ScaleError};
use crate::git::GitState;
use crate::kube::rollout::{RolloutError, RolloutReporter, RolloutWait};
use crate::manifests::{self, Manifest, ManifestContext, RenderError};
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
}

/// Receives the progress of `up`; the UI layer implements it.
pub trait UpReporter: BuildReporter + PushReporter + RolloutReporter {
    /// A step finished or started: a cargo-style verb and a message.
    fn step(&self, verb: &str, message: &str);
    /// Something the user should know; the deploy goes on.
    fn warn(&self, message: &str);
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
        /// `build`, `push` or `deploy`.
        stage: &'static str,
    },
    /// The rendered manifests hold no Deployment.
    #[error("the manifests of `{app}` hold no Deployment")]
    NoDeployment {
        /// The app.
        app: String,
    },
}

impl UpError {
    /// Returns whether trying again later may work (infrastructure was unreachable or busy),
    /// as opposed to a failed deploy or bad input.
    #[must_use]
    pub fn retryable(&self) -> bool {
        match self {
            Self::Lock(LockError::Held { .. } | LockError::Api { .. })
            | Self::Kube { .. }
            | Self::Release(ReleaseError::Api { .. })
            | Self::Build(BuildError::Connect { .. } | BuildError::Stream { .. })
            | Self::Apply(ApplyError::Api { .. }) => true,
            Self::SecretValues(err) => err.retryable(),
            Self::Registry(err) => matches!(
                err,
                RegistryError::Engine { .. } | RegistryError::HelperTimedOut { .. }
            ),
            _ => false,
        }
    }
}

/// Deploys. When `interrupt` is requested (Ctrl-C), a build or push is abandoned with nothing
/// applied, applying runs to its end (never half an app), and a wait stops leaving what was
/// applied.
pub async fn up(
    client: &::kube::Client,
    docker: &Docker,
    credential: &Credential,
    plan: &UpPlan,
    reporter: &dyn UpReporter,
    interrupt: &Interrupt,
) -> Result<UpResult, UpError> {
    let app = plan.context.app.name.clone();
    // The lock lives in the namespace, so the namespace comes first.
    if apply::ensure_namespace(client, &plan.namespace).await? {
        reporter.step("Created", &format!("namespace `{}`", plan.namespace));
    }
    let lock = DeployLock::acquire(client.clone(), &plan.namespace, &app, &plan.user).await?;
    let result = Box::pin(run(client, docker, credential, plan, reporter, interrupt)).await;
    // A lock that cannot be released expires on its own.
    let _ = lock.release().await;
    result
}

async fn run(
    client: &::kube::Client,
    docker: &Docker,
    credential: &Credential,
    plan: &UpPlan,
    reporter: &dyn UpReporter,
    interrupt: &Interrupt,
) -> Result<UpResult, UpError> {
    let app = plan.context.app.name.clone();
    let store = ReleaseStore::new(client.clone(), &plan.namespace, &app);

    // Build, unless an image of the same context, Dockerfile and arguments exists.
    let git = crate::git::state(&plan.root);
    let root = plan.root.clone();
    let dockerfile = PathBuf::from(&plan.dockerfile);
    let build_context: BuildContext =
        tokio::task::spawn_blocking(move || context::build_context(&root, &dockerfile))
            .await
            .map_err(|err| ContextError::ReadDir {
                path: plan.root.clone(),
                source: std::io::Error::other(err),
            })??;
    for warning in &build_context.warnings {
        reporter.warn(&warning.to_string());
    }
    let dockerfile_text =
        fs_err::read_to_string(plan.root.join(&plan.dockerfile)).unwrap_or_default();
    let cache_key = context::cache_key(&build_context.digest, &dockerfile_text, &BTreeMap::new());
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
    let image = ImageRef::parse(&format!("{}:{tag}", plan.repository))?;
    let built = if let Some(id) = build::find_cached(docker, &cache_key).await? {
        build::add_tags(docker, &id, &[image.to_string()]).await?;
        reporter.step(
            "Fresh",
            &format!("`{image}` (the build context is unchanged)"),
        );
        false
    } else {
        reporter.step(
            "Building",
            &format!(
                "`{image}` ({} files, {})",
                build_context.files,
                context::human_bytes(build_context.bytes)
            ),
        );
        let mut labels = BTreeMap::new();
        labels.insert("app.kubernetes.io/name".to_owned(), app.clone());
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
            () = interrupt.wait() => return Err(UpError::Stopped { app, stage: "build" }),
        };
        reporter.step("Built", &format!("`{image}`"));
        true
    };

    // Push: layers the registry has are not uploaded.
    let pushed = tokio::select! {
        pushed = registry::push(docker, &image, credential, reporter) => pushed?,
        () = interrupt.wait() => return Err(UpError::Stopped { app, stage: "push" }),
    };
    let pinned = pushed.image.to_string();
    reporter.step(
        "Pushed",
        &format!(
            "`{pinned}` ({} uploaded, {} already there)",
            pushed.layers_pushed + pushed.layers_mounted,
            pushed.layers_existing
        ),
    );

    // Render with the image by digest, and keep the live replica count unless paas.toml changed it.
    let releases = store.list().await?;
    let last = match releases.last() {
        Some(summary) => Some(store.get(summary.revision).await?),
        None => None,
    };
    let Rendered {
        manifests: rendered,
        declared,
        live: live_scale,
        scale: desired_scale,
    } = render_for(client, plan, &pinned, &tag, last.as_ref()).await?;
    // What every outcome reports; the revision, objects and timing are filled in below.
    let report = UpResult {
        app: app.clone(),
        namespace: plan.namespace.clone(),
        image: pinned.clone(),
        digest: pushed.digest.clone(),
        built,
        layers_pushed: pushed.layers_pushed + pushed.layers_mounted,
        layers_existing: pushed.layers_existing,
        revision: None,
        unchanged: false,
        objects: Vec::new(),
        git: git.clone(),
        rollout_seconds: 0.0,
        urls: urls(&rendered, &plan.namespace),
    };
    let yaml = manifests::to_yaml_stream(&rendered);

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
        && live.digest.as_deref() == Some(pushed.digest.as_str())
        && desired_scale == live_scale
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
            reporter.step(
                "Unchanged",
                &format!(
                    "release {} of `{app}` is live; nothing to build, push or apply",
                    live.revision
                ),
            );
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
    let revision = releases.last().map_or(1, |r| r.revision + 1);
    let mut release = Release {
        app: app.clone(),
        revision,
        status: ReleaseStatus::Pending,
        description: "up".to_owned(),
        image: pinned.clone(),
        digest: Some(pushed.digest.clone()),
        git_commit: git.as_ref().map(|g| g.commit.clone()),
        git_dirty: git.as_ref().is_some_and(|g| g.dirty),
        user: plan.user.clone(),
        created: k8s_openapi::jiff::Timestamp::now().to_string(),
        finished: None,
        environment: plan.environment.clone(),
        manifests: yaml,
        declared: Some(declared),
    };
    store.create(&release).await?;
    // A scale that changes is set the way `paas scale` sets it, so the apply meets no conflict.
    if let Err(err) = scale::preset(
        client,
        &plan.namespace,
        &rendered,
        live_scale,
        desired_scale,
        &mut BTreeMap::new(),
    )
    .await
    {
        finish(&store, &mut release, ReleaseStatus::Failed).await?;
        return Err(err.into());
    }
    let mut objects = match apply::apply(client, &settings, &rendered).await {
        Ok(changes) => changes,
        Err(err) => {
            finish(&store, &mut release, ReleaseStatus::Failed).await?;
            return Err(err.into());
        }
    };
    objects.extend(apply::prune(client, &settings, &rendered).await?);
    let changed: Vec<String> = objects
        .iter()
        .filter(|c| c.action != ChangeAction::Unchanged)
        .map(|c| format!("{} ({})", c.id, action_word(c.action)))
        .collect();
    reporter.step(
        "Applied",
        &if changed.is_empty() {
            "no object changed".to_owned()
        } else {
            changed.join(", ")
        },
    );

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
            reporter.step(
                "Rolled out",
                &format!(
                    "`{app}` release {revision} in {:.1}s",
                    outcome.elapsed.as_secs_f64()
                ),
            );
            Ok(UpResult {
                revision: Some(revision),
                objects,
                rollout_seconds: outcome.elapsed.as_secs_f64(),
                ..report
            })
        }
        Err(error) => {
            finish(&store, &mut release, ReleaseStatus::Failed).await?;
            let rolled_back_to = if plan.atomic {
                roll_back(client, plan, &store, &settings, &mut release, reporter).await?
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
    context
        .labels
        .insert("app.kubernetes.io/version".to_owned(), tag.to_owned());
    context.namespace = Some(plan.namespace.clone());
    let manifests = manifests::render(&plan.templates, &context)?;
    with_scale(client, &plan.namespace, manifests, last).await
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
    })
}

/// Returns the newest release of the plan's app, if any.
pub async fn last_release(
    client: &::kube::Client,
    plan: &UpPlan,
) -> Result<Option<Release>, UpError> {
    let store = ReleaseStore::new(client.clone(), &plan.namespace, &plan.context.app.name);
    match store.list().await?.last() {
        Some(summary) => Ok(Some(store.get(summary.revision).await?)),
        None => Ok(None),
    }
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
    reporter.step(
        "Restoring",
        &format!("release {} (`--atomic`)", good.revision),
    );
    let mut parsed =
        manifests::parse_rendered(&good.manifests, &format!("release {}", good.revision))?;
    good.declared_scale().declare_into(&mut parsed);
    crate::redact::restore_values(client, &settings.namespace, &mut parsed).await?;
    // The scale as a deploy would send it: what `paas scale` set stays.
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
    reporter.step(
        "Restored",
        &format!("release {} of `{}` is live again", good.revision, good.app),
    );
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

/// Returns the app's addresses: each Service's cluster DNS name and port, then each
/// Ingress host and path.
#[must_use]
pub fn urls(manifests: &[Manifest], namespace: &str) -> Vec<String> {
    let mut urls = Vec::new();
    for manifest in manifests {
        match manifest.kind.as_str() {
            "Service" => {
                let port = manifest
                    .value
                    .pointer("/spec/ports/0/port")
                    .and_then(Value::as_i64)
                    .unwrap_or(80);
                urls.push(format!(
                    "http://{}.{namespace}.svc.cluster.local:{port}",
                    manifest.name
                ));
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

fn action_word(action: ChangeAction) -> &'static str {
    match action {
        ChangeAction::Created => "created",
        ChangeAction::Configured => "configured",
        ChangeAction::Unchanged => "unchanged",
        ChangeAction::Pruned => "pruned",
    }
}
