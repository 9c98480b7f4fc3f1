//! `paas rollback`: put a recorded release back as a whole (every object it had, and the
//! pruning of the ones it did not), record that as a new release, and wait for it as `up`
//! does.
//!
//! Unlike `kubectl rollout undo`, which copies one `ReplicaSet`'s pod template back and sends it
//! without any precondition, a rollback here reads the live objects first ([`prepare`]) and
//! writes each with the resourceVersion it read ([`execute`]): an object someone changed in
//! between makes the rollback stop, rather than being silently overwritten.

use std::collections::BTreeMap;
use std::time::Duration;

use ::kube::api::DynamicObject;
use ::kube::{Api, Client};
use serde::Serialize;
use serde_json::Value;

use crate::deploy::apply::{self, ApplyError, ApplySettings, ChangeAction, ObjectChange};
use crate::deploy::events::UpEvent;
use crate::deploy::interrupt::Interrupt;
use crate::deploy::lock::DeployLock;
use crate::deploy::pipeline::{self, Rendered, UpError, UpReporter};
use crate::deploy::release::{Release, ReleaseStatus, ReleaseStore};
use crate::deploy::scale;
use crate::kube::rollout::RolloutWait;
use crate::manifests;

/// What a rollback needs.
#[derive(Debug, Clone)]
pub struct RollbackPlan {
    /// The app.
    pub app: String,
    /// The namespace.
    pub namespace: String,
    /// The revision to put back; `None`: the newest good release before the live one.
    pub to: Option<u32>,
    /// How long to wait for the rollout.
    pub timeout: Duration,
    /// How long a failure that may heal must last before the wait gives up.
    pub grace: Duration,
    /// When the rollback fails, put back the release that was live.
    pub atomic: bool,
    /// Who rolls back.
    pub user: String,
    /// Releases kept.
    pub history: usize,
}

/// The result of a rollback, as `--output json` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct RollbackResult {
    /// The app.
    pub app: String,
    /// The namespace.
    pub namespace: String,
    /// The release put back.
    pub to: u32,
    /// The release that was live before, if any.
    pub from: Option<u32>,
    /// The release recorded for the rollback (none when nothing changed).
    pub revision: Option<u32>,
    /// Whether the cluster already ran the target release, so nothing was done.
    pub unchanged: bool,
    /// The image of the release put back.
    pub image: String,
    /// What happened to each object.
    pub objects: Vec<ObjectChange>,
    /// Seconds the rollout took.
    pub rollout_seconds: f64,
}

/// Why a rollback could not be done.
#[derive(Debug, thiserror::Error)]
pub enum RollbackError {
    /// The app has no release records.
    #[error("`{app}` has no releases in namespace `{namespace}`: there is nothing to roll back to")]
    NoHistory {
        /// The app.
        app: String,
        /// The namespace.
        namespace: String,
    },
    /// The revision asked for does not exist.
    #[error("`{app}` has no release {revision} (releases: {})", known.iter().map(u32::to_string).collect::<Vec<_>>().join(", "))]
    UnknownRevision {
        /// The app.
        app: String,
        /// The revision asked for.
        revision: u32,
        /// The revisions there are.
        known: Vec<u32>,
    },
    /// No release before the live one rolled out.
    #[error("`{app}` has no release that rolled out {}: there is nothing to roll back to", match live {
        Some(live) => format!("before release {live}"),
        None => "at all".to_owned(),
    })]
    NothingEarlier {
        /// The app.
        app: String,
        /// The live release, if any.
        live: Option<u32>,
    },
    /// Deploying failed (lock, apply, rollout…).
    #[error(transparent)]
    Deploy(#[from] UpError),
}

impl From<ApplyError> for RollbackError {
    fn from(err: ApplyError) -> Self {
        Self::Deploy(err.into())
    }
}

impl From<crate::deploy::release::ReleaseError> for RollbackError {
    fn from(err: crate::deploy::release::ReleaseError) -> Self {
        Self::Deploy(err.into())
    }
}

impl From<scale::ScaleError> for RollbackError {
    fn from(err: scale::ScaleError) -> Self {
        Self::Deploy(err.into())
    }
}

/// Why a recorded release is applied again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    /// `paas rollback`: the release recorded as "rollback to N".
    Rollback,
    /// `paas secret`: the live release again, for the app's changed Secret.
    Secrets {
        /// The record's description, such as `secret set API_TOKEN`.
        description: String,
    },
}

/// A rollback read and decided, not yet written.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// Why it is applied (a rollback, unless the caller says otherwise).
    pub purpose: Purpose,
    /// The release to put back.
    pub target: Release,
    /// The release live now, if any.
    pub live: Option<Release>,
    /// The next free revision.
    pub revision: u32,
    /// The manifests to apply, with the scale decided.
    pub rendered: Rendered,
    /// `kind/name` → what was read, for every object that exists.
    pub versions: BTreeMap<String, Read>,
    /// What a server-side dry run says would change (empty: the cluster runs the target).
    pub changes: Vec<ObjectChange>,
    /// Whether the release's Deployment passes the app's Secret to its pods.
    pub stamp: crate::deploy::secrets::Stamp,
}

/// Reads the releases and the live objects, and decides what a rollback would do. Writes
/// nothing.
pub async fn prepare(client: &Client, plan: &RollbackPlan) -> Result<Prepared, RollbackError> {
    let store = ReleaseStore::new(client.clone(), &plan.namespace, &plan.app);
    let releases = store.list().await?;
    if releases.is_empty() {
        return Err(RollbackError::NoHistory {
            app: plan.app.clone(),
            namespace: plan.namespace.clone(),
        });
    }
    let live_summary = releases
        .iter()
        .rev()
        .find(|r| r.status == ReleaseStatus::Deployed);
    let target = if let Some(revision) = plan.to {
        if !releases.iter().any(|r| r.revision == revision) {
            return Err(RollbackError::UnknownRevision {
                app: plan.app.clone(),
                revision,
                known: releases.iter().map(|r| r.revision).collect(),
            });
        }
        revision
    } else {
        let before = live_summary.map_or(u32::MAX, |l| l.revision);
        releases
            .iter()
            .rev()
            .find(|r| {
                r.revision < before
                    && matches!(
                        r.status,
                        ReleaseStatus::Deployed | ReleaseStatus::Superseded
                    )
            })
            .map(|r| r.revision)
            .ok_or_else(|| RollbackError::NothingEarlier {
                app: plan.app.clone(),
                live: live_summary.map(|l| l.revision),
            })?
    };
    let target = store.get(target).await?;
    let live = match live_summary {
        Some(summary) => Some(store.get(summary.revision).await?),
        None => None,
    };
    let mut parsed =
        manifests::parse_rendered(&target.manifests, &format!("release {}", target.revision))
            .map_err(UpError::from)?;
    crate::deploy::components::check_recorded_majors(client, &plan.namespace, &parsed)
        .await
        .map_err(UpError::from)?;
    target.declared_scale().declare_into(&mut parsed);
    crate::redact::restore_values(client, &plan.namespace, &mut parsed)
        .await
        .map_err(UpError::from)?;
    // The app's Secret is not part of a release: the pods get the values it has now, and the
    // pod template the checksum of those.
    let stamp = crate::deploy::secrets::stamp_live(client, &plan.namespace, &plan.app, &mut parsed)
        .await
        .map_err(UpError::from)?;
    let rendered = pipeline::with_scale(client, &plan.namespace, parsed, live.as_ref()).await?;
    let versions = versions_of(client, &plan.namespace, &rendered.manifests).await?;
    let settings = apply_settings(plan, true);
    let mut changes = if rendered.scale == rendered.live {
        apply::apply(client, &settings, &rendered.manifests).await?
    } else {
        // The scale changes: a dry run would meet the scale's own manager; say so instead.
        rendered
            .manifests
            .iter()
            .map(|m| ObjectChange {
                id: m.id(),
                action: ChangeAction::Configured,
            })
            .collect()
    };
    changes.extend(apply::prune(client, &settings, &rendered.manifests).await?);
    changes.retain(|c| c.action != ChangeAction::Unchanged);
    Ok(Prepared {
        purpose: Purpose::Rollback,
        stamp,
        revision: store.next_revision().await?,
        target,
        live,
        rendered,
        versions,
        changes,
    })
}

/// An object as [`prepare`] read it.
#[derive(Debug, Clone, PartialEq)]
pub struct Read {
    /// Its resourceVersion.
    pub version: String,
    /// Its content, without what changes on its own ([`content`]).
    pub content: Value,
}

/// Returns what someone may have changed of an object: all but status, versions, managed
/// fields and the controller's revision bookkeeping. A controller updating the status (which
/// changes the resourceVersion) is not a change.
fn content(object: &DynamicObject) -> Value {
    let mut value = apply::comparable(object);
    if let Some(metadata) = value.get_mut("metadata").and_then(Value::as_object_mut) {
        metadata.remove("generation");
        if let Some(annotations) = metadata
            .get_mut("annotations")
            .and_then(Value::as_object_mut)
        {
            annotations.remove("deployment.kubernetes.io/revision");
        }
    }
    value
}

/// Reads every object of `manifests` that exists.
async fn versions_of(
    client: &Client,
    namespace: &str,
    manifests: &[manifests::Manifest],
) -> Result<BTreeMap<String, Read>, RollbackError> {
    let mut versions = BTreeMap::new();
    for manifest in manifests {
        let api: Api<DynamicObject> = Api::namespaced_with(
            client.clone(),
            namespace,
            &apply::api_resource(&manifest.object),
        );
        let live = api
            .get_opt(&manifest.name)
            .await
            .map_err(|source| ApplyError::Api {
                action: "read",
                id: manifest.id(),
                namespace: namespace.to_owned(),
                applied: Vec::new(),
                source,
            })?;
        if let Some(object) = live
            && let Some(version) = object.metadata.resource_version.clone()
        {
            versions.insert(
                manifest.id(),
                Read {
                    version,
                    content: content(&object),
                },
            );
        }
    }
    Ok(versions)
}

fn apply_settings(plan: &RollbackPlan, dry_run: bool) -> ApplySettings {
    ApplySettings {
        app: plan.app.clone(),
        namespace: plan.namespace.clone(),
        // A rollback restores the release whole, also fields another tool changed since.
        force_conflicts: true,
        dry_run,
    }
}

/// Rolls back: takes the deploy lock, prepares, and executes.
pub async fn rollback(
    client: &Client,
    plan: &RollbackPlan,
    reporter: &dyn UpReporter,
    interrupt: &Interrupt,
) -> Result<RollbackResult, RollbackError> {
    // No history is said before any lock is taken (the namespace may not even exist).
    let store = ReleaseStore::new(client.clone(), &plan.namespace, &plan.app);
    if store.list().await?.is_empty() {
        return Err(RollbackError::NoHistory {
            app: plan.app.clone(),
            namespace: plan.namespace.clone(),
        });
    }
    let lock = DeployLock::acquire(client.clone(), &plan.namespace, &plan.app, &plan.user)
        .await
        .map_err(UpError::from)?;
    let result = pipeline::guarded(&lock, async {
        pipeline::took_lock(&lock, &store, reporter).await?;
        let prepared = prepare(client, plan).await?;
        Box::pin(execute(client, plan, prepared, reporter, interrupt)).await
    })
    .await;
    let lost = matches!(&result, Err(RollbackError::Deploy(err)) if err.lost_lock());
    pipeline::settle_lock(lock, lost, pipeline::cleanup_limit(plan.timeout), reporter).await;
    result
}

/// Writes a prepared rollback: records the new release, applies every object with the
/// resourceVersion read by [`prepare`], prunes, and waits.
pub async fn execute(
    client: &Client,
    plan: &RollbackPlan,
    prepared: Prepared,
    reporter: &dyn UpReporter,
    interrupt: &Interrupt,
) -> Result<RollbackResult, RollbackError> {
    let Prepared {
        purpose,
        stamp,
        target,
        live,
        revision,
        rendered,
        mut versions,
        changes,
    } = prepared;
    let app = plan.app.clone();
    let result = RollbackResult {
        app: app.clone(),
        namespace: plan.namespace.clone(),
        to: target.revision,
        from: live.as_ref().map(|l| l.revision),
        revision: None,
        unchanged: false,
        image: target.image.clone(),
        objects: Vec::new(),
        rollout_seconds: 0.0,
    };
    let deployment = rendered
        .manifests
        .iter()
        .find(|m| m.kind == "Deployment")
        .map(|m| m.name.clone())
        .ok_or_else(|| UpError::NoDeployment { app: app.clone() })?;
    if changes.is_empty() {
        reporter.event(&match purpose {
            Purpose::Rollback => UpEvent::AlreadyLive {
                app: &app,
                revision: target.revision,
            },
            Purpose::Secrets { .. } => UpEvent::SecretsLive {
                app: &app,
                revision: target.revision,
            },
        });
        return Ok(RollbackResult {
            unchanged: true,
            ..result
        });
    }
    if let crate::deploy::secrets::Stamp::NotReferenced { id, .. } = &stamp {
        reporter.warn(&format!(
            "{id} of release {} does not pass Secret `{}` to its container: its pods get none of the values `paas secret` set",
            target.revision,
            crate::names::secrets_name(&app)
        ));
    }
    reporter.event(&match &purpose {
        Purpose::Rollback => UpEvent::RollingBack {
            app: &app,
            revision: target.revision,
            commit: target.git_commit.as_deref(),
            digest: target.digest.as_deref(),
        },
        Purpose::Secrets { .. } => UpEvent::RollingOutSecrets {
            app: &app,
            revision: target.revision,
        },
    });
    if interrupt.requested() {
        return Err(UpError::Stopped {
            app,
            stage: "rollback",
        }
        .into());
    }
    // Before the first write (and before recording): has anyone changed anything since it
    // was read?
    for manifest in &rendered.manifests {
        recheck(client, plan, manifest, &mut versions).await?;
    }
    let store = ReleaseStore::new(client.clone(), &plan.namespace, &app);
    let mut release = Release {
        revision,
        status: ReleaseStatus::Pending,
        description: match &purpose {
            Purpose::Rollback => format!("rollback to {}", target.revision),
            Purpose::Secrets { description } => description.clone(),
        },
        user: plan.user.clone(),
        created: k8s_openapi::jiff::Timestamp::now().to_string(),
        finished: None,
        declared: Some(target.declared_scale()),
        manifests: manifests::to_yaml_stream(&rendered.manifests),
        ..target.clone()
    };
    store.create(&release).await?;
    let limit = pipeline::cleanup_limit(plan.timeout);
    let written = write(client, plan, &rendered, &mut versions).await;
    let objects = match written {
        Ok(objects) => objects,
        Err(err) => {
            pipeline::settle(&store, &mut release, ReleaseStatus::Failed, limit, reporter).await;
            return Err(err);
        }
    };
    reporter.event(&UpEvent::Applied { changes: &objects });
    let wait = RolloutWait::new(plan.timeout).grace(plan.grace);
    let waited = tokio::select! {
        result = wait.run(client, &plan.namespace, &deployment, reporter) => result,
        () = interrupt.wait() => {
            return Err(UpError::Interrupted { app, revision }.into());
        }
    };
    match waited {
        Ok(outcome) => {
            pipeline::conclude(&store, &mut release, plan.history).await?;
            reporter.event(&match purpose {
                Purpose::Rollback => UpEvent::RolledBack {
                    app: &app,
                    target: target.revision,
                    revision,
                    elapsed: outcome.elapsed,
                },
                Purpose::Secrets { .. } => UpEvent::RolledOut {
                    app: &app,
                    revision,
                    elapsed: outcome.elapsed,
                },
            });
            Ok(RollbackResult {
                revision: Some(revision),
                objects,
                rollout_seconds: outcome.elapsed.as_secs_f64(),
                ..result
            })
        }
        Err(error) => {
            pipeline::settle(&store, &mut release, ReleaseStatus::Failed, limit, reporter).await;
            let rolled_back_to = match (&live, plan.atomic) {
                (Some(previous), true) => {
                    let wait = RolloutWait::new(plan.timeout).grace(plan.grace);
                    let settings = apply_settings(plan, false);
                    // The rollout's failure is what is reported; a failing put-back is said
                    // beside it.
                    match pipeline::put_back(
                        client,
                        &settings,
                        &wait,
                        &store,
                        previous.clone(),
                        &mut release,
                        reporter,
                    )
                    .await
                    {
                        Ok(good) => Some(good),
                        Err(err) => {
                            reporter.warn(&format!(
                                "`--atomic` could not put release {} back: {}",
                                previous.revision,
                                pipeline::error_chain(&err)
                            ));
                            None
                        }
                    }
                }
                (None, true) => {
                    reporter.event(&UpEvent::NothingToRestore);
                    None
                }
                _ => None,
            };
            Err(UpError::Rollout {
                app,
                revision,
                rolled_back_to,
                error,
            }
            .into())
        }
    }
}

/// Sets the scale, applies every
/// object with the resourceVersion read as a precondition, and prunes. A precondition that
/// fails because a controller only updated the status is retried with the new version; a
/// real change stops the rollback with [`ApplyError::Modified`].
async fn write(
    client: &Client,
    plan: &RollbackPlan,
    rendered: &Rendered,
    versions: &mut BTreeMap<String, Read>,
) -> Result<Vec<ObjectChange>, RollbackError> {
    let manifests = &rendered.manifests;
    let scaled = scale::preset(
        client,
        &plan.namespace,
        manifests,
        rendered.live,
        rendered.scale,
        &mut BTreeMap::new(),
    )
    .await?;
    if scaled {
        // paas's own write: what it changed is the new baseline.
        let ours = versions_of(client, &plan.namespace, manifests).await?;
        for (id, read) in ours {
            versions.insert(id, read);
        }
    }
    let settings = apply_settings(plan, false);
    let mut attempts = 0;
    let mut objects = loop {
        let mut pinned = manifests.clone();
        for manifest in &mut pinned {
            if let Some(read) = versions.get(&manifest.id())
                && let Some(metadata) = manifest
                    .value
                    .get_mut("metadata")
                    .and_then(Value::as_object_mut)
            {
                metadata.insert(
                    "resourceVersion".into(),
                    Value::String(read.version.clone()),
                );
            }
        }
        match apply::apply(client, &settings, &pinned).await {
            Ok(objects) => break objects,
            Err(ApplyError::Modified { id, .. }) if attempts < 5 => {
                attempts += 1;
                let manifest = manifests.iter().find(|m| m.id() == id).ok_or_else(|| {
                    UpError::NoDeployment {
                        app: plan.app.clone(),
                    }
                })?;
                recheck(client, plan, manifest, versions).await?;
            }
            Err(err) => return Err(err.into()),
        }
    };
    objects.extend(apply::prune(client, &settings, manifests).await?);
    Ok(objects)
}

/// Reads an object again: the same content gets its new resourceVersion; changed content is
/// [`ApplyError::Modified`].
async fn recheck(
    client: &Client,
    plan: &RollbackPlan,
    manifest: &manifests::Manifest,
    versions: &mut BTreeMap<String, Read>,
) -> Result<(), RollbackError> {
    let id = manifest.id();
    let fresh = versions_of(client, &plan.namespace, std::slice::from_ref(manifest)).await?;
    let modified = || ApplyError::Modified {
        id: id.clone(),
        applied: Vec::new(),
        remaining: Vec::new(),
    };
    let Some(read) = versions.get_mut(&id) else {
        return Ok(());
    };
    match fresh.get(&id) {
        Some(now) if now.content == read.content => {
            read.version.clone_from(&now.version);
            Ok(())
        }
        _ => Err(modified().into()),
    }
}
