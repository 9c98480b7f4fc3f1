//! What `paas status` reports: the live release, the rollout, every pod, recent warnings, the
//! URLs and, when the cluster serves the metrics API, CPU and memory. [`gather`] reads it all
//! (independent API calls at once) into one serializable [`AppStatus`] and decides whether
//! the app is healthy. Nothing here prints.

#![allow(
    clippy::doc_markdown,
    reason = "Kubernetes kinds (ReplicaSet, PodMetrics) are words here"
)]

use std::collections::{BTreeMap, BTreeSet};

use ::kube::Api;
use ::kube::api::ListParams;
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{Event, Pod};
use k8s_openapi::jiff::Timestamp;
use serde::Serialize;

use crate::deploy::release::{Release, ReleaseError, ReleaseStatus, ReleaseStore};
use crate::kube::KubeError;
use crate::kube::diagnose::{self, Diagnosis};
use crate::kube::rollout::{RolloutState, rollout_state};
use crate::manifests;

/// How many warning events [`AppStatus::warnings`] keeps, newest first.
pub const MAX_WARNINGS: usize = 10;
/// How long the metrics API may take before usage is left out.
const METRICS_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);
/// How long fetching the log tails of failing containers may take before they are left out.
const LOG_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3);

/// Everything `paas status` shows, as `--output json` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct AppStatus {
    /// The app.
    pub app: String,
    /// The namespace.
    pub namespace: String,
    /// Whether the app is deployed, rolled out and every pod is ready.
    pub healthy: bool,
    /// One line: why it is (not) healthy.
    pub summary: String,
    /// The live release (status `deployed`), if any.
    pub release: Option<ReleaseInfo>,
    /// The newest release when it is not the live one (failed, rolled back, pending).
    pub latest_release: Option<ReleaseInfo>,
    /// The Deployment's rollout, when the Deployment exists.
    pub rollout: Option<Rollout>,
    /// Every pod of the Deployment, oldest first.
    pub pods: Vec<PodInfo>,
    /// Why pods fail, when they do (crash loop, image pull, …).
    pub diagnosis: Option<Diagnosis>,
    /// Recent warning events about the Deployment, its ReplicaSets and its pods, newest first.
    pub warnings: Vec<Warning>,
    /// Where the app answers: each Service's cluster DNS name, then each Ingress host.
    pub urls: Vec<String>,
    /// CPU and memory from the metrics API; `None` when the cluster has no metrics API.
    pub usage: Option<Usage>,
    /// The app's components (`[components]`), by name.
    pub components: Vec<ComponentStatus>,
    /// Whether Prometheus scrapes the app, when paas can tell: only for a `ServiceMonitor`,
    /// whose selection by the cluster's `Prometheus` objects it can read (scrape annotations
    /// depend on a scrape config it cannot see).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scrape: Option<Scrape>,
}

/// Whether the app's `ServiceMonitor` is selected by a `Prometheus` object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "state", content = "detail")]
pub enum Scrape {
    /// These Prometheus objects (`namespace/name`) select it.
    ScrapedBy(Vec<String>),
    /// None does; why, one line per Prometheus object (or that there is none).
    NotScraped(Vec<String>),
}

/// One component, as `paas status` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComponentStatus {
    /// `[components.NAME]`.
    pub name: String,
    /// `redis`, `postgres`, `mongodb`.
    pub kind: String,
    /// The catalog version.
    pub version: String,
    /// Whether its pods are ready at its current revision.
    pub ready: bool,
    /// Pods ready / wanted.
    pub pods: String,
    /// The storage each volume asks for.
    pub storage_requested: Option<String>,
    /// The storage of its bound volumes (empty while unbound).
    pub storage_bound: Vec<String>,
    /// Its volume claims and their phase (`data-v7-shop-cache-0: Bound`).
    pub claims: Vec<String>,
    /// Where the app reaches it, without the password.
    pub url: Option<String>,
    /// The major version its data is moving to, while `paas up --major` has not finished.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upgrade_unfinished: Option<String>,
}

/// A release, as status and history show it.
#[derive(Debug, Clone, Serialize)]
pub struct ReleaseInfo {
    /// The revision.
    pub revision: u32,
    /// How it ended.
    pub status: ReleaseStatus,
    /// The image deployed.
    pub image: String,
    /// Its manifest digest.
    pub digest: Option<String>,
    /// The git commit it was built from.
    pub git_commit: Option<String>,
    /// Whether the work tree had uncommitted changes.
    pub git_dirty: bool,
    /// Who deployed.
    pub user: String,
    /// When it started (RFC 3339).
    pub created: String,
    /// When it ended (RFC 3339).
    pub finished: Option<String>,
    /// What it was: `up`, `rollback to 2`.
    pub description: String,
}

impl From<&Release> for ReleaseInfo {
    fn from(release: &Release) -> Self {
        Self {
            revision: release.revision,
            status: release.status,
            image: release.image.clone(),
            digest: release.digest.clone(),
            git_commit: release.git_commit.clone(),
            git_dirty: release.git_dirty,
            user: release.user.clone(),
            created: release.created.clone(),
            finished: release.finished.clone(),
            description: release.description.clone(),
        }
    }
}

/// Where the Deployment's rollout stands.
#[derive(Debug, Clone, Serialize)]
pub struct Rollout {
    /// The Deployment.
    pub deployment: String,
    /// `complete`, `progressing`, `paused` or `failed`.
    pub state: &'static str,
    /// What is awaited, or why it failed (empty when complete).
    pub message: String,
    /// Replicas wanted.
    pub desired: i32,
    /// Replicas of the current template.
    pub updated: i32,
    /// Replicas ready.
    pub ready: i32,
    /// Replicas available.
    pub available: i32,
}

/// One pod, as `kubectl get pods -o wide` shows it, plus its last termination.
#[derive(Debug, Clone, Serialize)]
pub struct PodInfo {
    /// The pod.
    pub name: String,
    /// Ready containers.
    pub ready: usize,
    /// All containers.
    pub containers: usize,
    /// The pod's phase (`Pending`, `Running`, …).
    pub phase: String,
    /// What kubectl's STATUS column says: the waiting or terminated reason of a container
    /// (`CrashLoopBackOff`, `ErrImagePull`), `Terminating`, else the phase.
    pub status: String,
    /// Restarts of all containers.
    pub restarts: i32,
    /// When it was created (RFC 3339).
    pub created: Option<String>,
    /// Seconds since it was created.
    pub age_seconds: Option<i64>,
    /// The node it runs on.
    pub node: Option<String>,
    /// How a container last ended: `Error (exit code 1)`, `OOMKilled (exit code 137)`.
    pub last_termination: Option<String>,
    /// CPU and memory, when the metrics API serves them.
    pub usage: Option<PodUsage>,
}

/// A warning event.
#[derive(Debug, Clone, Serialize)]
pub struct Warning {
    /// `pod/site-7d9c5-x2k4q`, `deployment/site`.
    pub object: String,
    /// `BackOff`, `Unhealthy`, `FailedScheduling`, …
    pub reason: String,
    /// The message.
    pub message: String,
    /// How often it happened.
    pub count: i32,
    /// When it last happened (RFC 3339).
    pub last_seen: Option<String>,
    /// Seconds since it last happened.
    pub age_seconds: Option<i64>,
}

/// CPU and memory of one pod.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PodUsage {
    /// CPU in millicores.
    pub cpu_millicores: f64,
    /// Memory (working set) in bytes.
    pub memory_bytes: u64,
}

/// CPU and memory of the app's pods, summed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Usage {
    /// CPU in millicores.
    pub cpu_millicores: f64,
    /// Memory (working set) in bytes.
    pub memory_bytes: u64,
    /// How many pods the metrics API reported.
    pub pods: usize,
}

/// Why the status could not be read.
#[derive(Debug, thiserror::Error)]
pub enum StatusError {
    /// The release records could not be read.
    #[error(transparent)]
    Release(#[from] ReleaseError),
    /// A Kubernetes API call failed.
    #[error(transparent)]
    Kube(#[from] KubeError),
}

/// Reads the status of `app` in `namespace`: the releases, the Deployment (named by the live
/// release's manifests, else after the app), warning events and pod metrics at once, then
/// the Deployment's pods, then the log tails of failing containers for the diagnosis.
pub async fn gather(
    client: &::kube::Client,
    namespace: &str,
    app: &str,
) -> Result<AppStatus, StatusError> {
    let now = Timestamp::now();
    let store = ReleaseStore::new(client.clone(), namespace, app);
    let deployments: Api<Deployment> = Api::namespaced(client.clone(), namespace);
    let (releases, deployment, events, metrics) = tokio::join!(
        releases(&store),
        get_deployment(&deployments, namespace, app),
        warning_events(client, namespace),
        pod_metrics(client, namespace),
    );
    let (live, latest) = releases?;
    let mut deployment = deployment?;
    let events = events?;

    // The Deployment the live (else the newest) release declares, when it is not named after the app.
    let shown = live.as_ref().or(latest.as_ref());
    let mut urls = Vec::new();
    // A record whose manifests do not parse back still has a status; it only lacks URLs.
    if let Some(rendered) =
        shown.and_then(|r| manifests::parse_rendered(&r.manifests, "release").ok())
    {
        urls = crate::deploy::pipeline::urls(&rendered, namespace);
        if let Some(name) = rendered
            .iter()
            .find(|m| m.kind == "Deployment")
            .map(|m| m.name.clone())
            && name != app
        {
            deployment = get_deployment(&deployments, namespace, &name).await?;
        }
    }

    let pods = match &deployment {
        Some(deployment) => deployment_pods(client, namespace, deployment).await?,
        None => Vec::new(),
    };
    let log_tail = if pods.iter().any(needs_logs) {
        tokio::time::timeout(LOG_TIMEOUT, diagnose::log_tails(client, namespace, &pods))
            .await
            .unwrap_or_default()
    } else {
        diagnose::LogTails::new()
    };
    let diagnosis = diagnose::diagnose(&pods, &events, &log_tail);

    let deployment_name = deployment
        .as_ref()
        .and_then(|d| d.metadata.name.clone())
        .unwrap_or_else(|| app.to_owned());
    let warnings = warnings_about(&events, &deployment_name, &pods, now);
    // Only the app's pods count; `None` (no metrics API) stays `None`.
    let usage_by_pod: Option<BTreeMap<String, PodUsage>> = metrics.map(|all| {
        all.into_iter()
            .filter(|(name, _)| pods.iter().any(|p| p.metadata.name.as_ref() == Some(name)))
            .collect()
    });
    let usage = usage_by_pod.as_ref().map(|by_pod| Usage {
        cpu_millicores: by_pod.values().fold(0.0, |sum, u| sum + u.cpu_millicores),
        memory_bytes: by_pod.values().map(|u| u.memory_bytes).sum(),
        pods: by_pod.len(),
    });
    let usage_by_pod = usage_by_pod.unwrap_or_default();
    let mut pod_infos: Vec<PodInfo> = pods
        .iter()
        .map(|pod| pod_info(pod, now, &usage_by_pod))
        .collect();
    // Oldest first: during a rollout the pods of the old release come before the new ones.
    pod_infos.sort_by(|a, b| a.created.cmp(&b.created).then(a.name.cmp(&b.name)));
    let rollout = deployment.as_ref().map(rollout_of);

    let components = components(client, namespace, app).await?;
    let scrape = match shown.and_then(|r| manifests::parse_rendered(&r.manifests, "release").ok()) {
        Some(rendered) => match rendered
            .iter()
            .find(|m| m.kind == manifests::SERVICE_MONITOR_KIND)
        {
            Some(monitor) => scrape(client, namespace, monitor).await,
            None => None,
        },
        None => None,
    };
    let mut status = AppStatus {
        app: app.to_owned(),
        namespace: namespace.to_owned(),
        healthy: false,
        summary: String::new(),
        release: live.as_ref().map(ReleaseInfo::from),
        latest_release: latest.as_ref().map(ReleaseInfo::from),
        rollout,
        pods: pod_infos,
        diagnosis,
        warnings,
        urls,
        usage,
        components,
        scrape,
    };
    (status.healthy, status.summary) = judge(&status);
    Ok(status)
}

/// Tells whether the cluster's `Prometheus` objects select the app's `ServiceMonitor` (its live
/// labels, else those of the release); none when the cluster cannot tell (no operator, or the
/// `Prometheus` objects may not be read).
async fn scrape(
    client: &::kube::Client,
    namespace: &str,
    monitor: &manifests::Manifest,
) -> Option<Scrape> {
    use crate::kube::monitoring::{Operator, Prometheuses};
    let Ok(Operator::Present {
        prometheuses: Prometheuses::Read(scrapers),
        namespace_labels,
    }) = crate::kube::monitoring::discover(client, namespace).await
    else {
        return None;
    };
    let recorded: BTreeMap<String, String> = monitor
        .value
        .pointer("/metadata/labels")
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .unwrap_or_default();
    let labels = match crate::kube::monitoring::live_labels(client, namespace, &monitor.name).await
    {
        Ok(Some(live)) => live,
        Ok(None) => {
            return Some(Scrape::NotScraped(vec![format!(
                "ServiceMonitor `{}` is not in the cluster",
                monitor.name
            )]));
        }
        Err(_) => recorded,
    };
    if scrapers.is_empty() {
        return Some(Scrape::NotScraped(vec![
            "the cluster has no Prometheus object".to_owned(),
        ]));
    }
    let scraped = crate::monitoring::scraped_by(&scrapers, namespace, &namespace_labels, &labels);
    Some(if scraped.by.is_empty() {
        Scrape::NotScraped(scraped.unselected.iter().map(ToString::to_string).collect())
    } else {
        Scrape::ScrapedBy(scraped.by)
    })
}

/// Decides whether the app is healthy and says why in one line.
#[must_use]
pub fn judge(status: &AppStatus) -> (bool, String) {
    let app = &status.app;
    let Some(rollout) = &status.rollout else {
        return match (&status.release, &status.latest_release) {
            (None, None) => (
                false,
                format!(
                    "`{app}` is not deployed in namespace `{}`",
                    status.namespace
                ),
            ),
            _ => (
                false,
                format!(
                    "deployment `{app}` is missing from namespace `{}`",
                    status.namespace
                ),
            ),
        };
    };
    let ready = status
        .pods
        .iter()
        .filter(|p| p.ready == p.containers)
        .count();
    let pods = format!("{ready} of {} pods ready", status.pods.len());
    if let Some(diagnosis) = &status.diagnosis
        && rollout.state != "complete"
    {
        return (
            false,
            format!("pod {}: {}", diagnosis.pod, diagnosis.summary),
        );
    }
    match rollout.state {
        "complete" if rollout.desired == 0 => (true, "scaled to 0: no pods run".to_owned()),
        "complete" => {
            if status.release.is_none() {
                (
                    false,
                    format!("{pods}, but no release is live (the last deploy did not finish)"),
                )
            } else if let Some(component) = status.components.iter().find(|c| !c.ready) {
                (
                    false,
                    format!(
                        "{pods}, but component `{}` is not ready ({} pods ready)",
                        component.name, component.pods
                    ),
                )
            } else {
                (true, pods)
            }
        }
        "failed" => (false, format!("the rollout failed: {}", rollout.message)),
        "paused" => (false, format!("the rollout is paused: {}", rollout.message)),
        _ => (
            false,
            format!("{pods}; {}", lowercase_first(&rollout.message)),
        ),
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Reads the app's components: their StatefulSets, volume claims and Services.
pub(crate) async fn components(
    client: &::kube::Client,
    namespace: &str,
    app: &str,
) -> Result<Vec<ComponentStatus>, StatusError> {
    use k8s_openapi::api::apps::v1::StatefulSet;
    use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Service};
    let selector = format!(
        "{},{}",
        crate::labels::app_selector(app),
        crate::labels::COMPONENT
    );
    let params = ListParams::default().labels(&selector);
    let api_error = |what: &str| {
        let action = format!("list the {what} of `{app}`'s components");
        move |source| {
            StatusError::Kube(KubeError::Api {
                action,
                namespace: namespace.to_owned(),
                source,
            })
        }
    };
    let sets = Api::<StatefulSet>::namespaced(client.clone(), namespace)
        .list(&params)
        .await
        .map_err(api_error("statefulsets"))?;
    let claims = Api::<PersistentVolumeClaim>::namespaced(client.clone(), namespace)
        .list(&params)
        .await
        .map_err(api_error("volume claims"))?;
    let services = Api::<Service>::namespaced(client.clone(), namespace)
        .list(&params)
        .await
        .map_err(api_error("services"))?;
    let label = |labels: Option<&BTreeMap<String, String>>, key: &str| {
        labels.and_then(|l| l.get(key)).cloned().unwrap_or_default()
    };
    let mut found = Vec::new();
    for set in sets.items {
        let labels = set.metadata.labels.as_ref();
        let name = label(labels, crate::labels::COMPONENT);
        let wanted = set.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1);
        let ready = set
            .status
            .as_ref()
            .and_then(|s| s.ready_replicas)
            .unwrap_or(0);
        let complete = crate::kube::statefulset::set_state(&set)
            == crate::kube::statefulset::SetState::Complete;
        let storage_requested = set
            .spec
            .as_ref()
            .and_then(|s| s.volume_claim_templates.as_ref())
            .and_then(|t| t.first())
            .and_then(|t| t.spec.as_ref())
            .and_then(|s| s.resources.as_ref())
            .and_then(|r| r.requests.as_ref())
            .and_then(|r| r.get("storage"))
            .map(|q| q.0.clone());
        let own: Vec<&PersistentVolumeClaim> = claims
            .items
            .iter()
            .filter(|c| label(c.metadata.labels.as_ref(), crate::labels::COMPONENT) == name)
            .collect();
        let storage_bound = own
            .iter()
            .filter_map(|c| c.status.as_ref()?.capacity.as_ref()?.get("storage"))
            .map(|q| q.0.clone())
            .collect();
        let claim_lines = own
            .iter()
            .map(|c| {
                format!(
                    "{}: {}",
                    c.metadata.name.as_deref().unwrap_or_default(),
                    c.status
                        .as_ref()
                        .and_then(|s| s.phase.as_deref())
                        .unwrap_or("unknown")
                )
            })
            .collect();
        let url = services
            .items
            .iter()
            .find(|s| label(s.metadata.labels.as_ref(), crate::labels::COMPONENT) == name)
            .and_then(|s| {
                s.metadata
                    .annotations
                    .as_ref()?
                    .get(crate::labels::URL_ANNOTATION)
                    .cloned()
            });
        found.push(ComponentStatus {
            kind: label(labels, crate::labels::ROLE),
            version: label(labels, crate::labels::VERSION),
            ready: complete && ready >= wanted,
            pods: format!("{ready}/{wanted}"),
            storage_requested,
            storage_bound,
            claims: claim_lines,
            upgrade_unfinished: own.iter().find_map(|c| crate::deploy::major::moving_to(c)),
            url,
            name,
        });
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(found)
}

async fn releases(
    store: &ReleaseStore,
) -> Result<(Option<Release>, Option<Release>), ReleaseError> {
    let list = store.list().await?;
    let live = list
        .iter()
        .rev()
        .find(|r| r.status == ReleaseStatus::Deployed)
        .map(|r| r.revision);
    let newest = list.last().map(|r| r.revision).filter(|r| Some(*r) != live);
    let get = |revision: Option<u32>| async move {
        match revision {
            Some(revision) => store.get(revision).await.map(Some),
            None => Ok(None),
        }
    };
    let (live, newest) = tokio::join!(get(live), get(newest));
    Ok((live?, newest?))
}

async fn get_deployment(
    api: &Api<Deployment>,
    namespace: &str,
    name: &str,
) -> Result<Option<Deployment>, KubeError> {
    api.get_opt(name).await.map_err(|source| KubeError::Api {
        action: format!("get deployment `{name}`"),
        namespace: namespace.to_owned(),
        source,
    })
}

async fn deployment_pods(
    client: &::kube::Client,
    namespace: &str,
    deployment: &Deployment,
) -> Result<Vec<Pod>, KubeError> {
    let labels = deployment
        .spec
        .as_ref()
        .and_then(|s| s.selector.match_labels.clone())
        .unwrap_or_default();
    if labels.is_empty() {
        return Ok(Vec::new());
    }
    let selector = labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",");
    let api: Api<Pod> = Api::namespaced(client.clone(), namespace);
    Ok(api
        .list(&ListParams::default().labels(&selector))
        .await
        .map_err(|source| KubeError::Api {
            action: format!("list pods with labels `{selector}`"),
            namespace: namespace.to_owned(),
            source,
        })?
        .items)
}

async fn warning_events(client: &::kube::Client, namespace: &str) -> Result<Vec<Event>, KubeError> {
    let api: Api<Event> = Api::namespaced(client.clone(), namespace);
    Ok(api
        .list(&ListParams::default().fields("type=Warning"))
        .await
        .map_err(|source| KubeError::Api {
            action: "list warning events".to_owned(),
            namespace: namespace.to_owned(),
            source,
        })?
        .items)
}

/// Whether a pod has a container whose log a diagnosis shows (restarted, terminated or unready).
fn needs_logs(pod: &Pod) -> bool {
    pod.status
        .as_ref()
        .and_then(|s| s.container_statuses.as_ref())
        .is_some_and(|statuses| statuses.iter().any(|c| !c.ready || c.restart_count > 0))
}

fn rollout_of(deployment: &Deployment) -> Rollout {
    let status = deployment.status.clone().unwrap_or_default();
    let (state, message) = match rollout_state(deployment) {
        RolloutState::Complete => ("complete", String::new()),
        RolloutState::Waiting(message) => ("progressing", message),
        RolloutState::Paused(message) => ("paused", message),
        RolloutState::Failed(message) => ("failed", message),
    };
    Rollout {
        deployment: deployment.metadata.name.clone().unwrap_or_default(),
        state,
        message,
        desired: deployment
            .spec
            .as_ref()
            .and_then(|s| s.replicas)
            .unwrap_or(1),
        updated: status.updated_replicas.unwrap_or(0),
        ready: status.ready_replicas.unwrap_or(0),
        available: status.available_replicas.unwrap_or(0),
    }
}

fn seconds_since(then: Timestamp, now: Timestamp) -> i64 {
    now.as_second() - then.as_second()
}

fn pod_info(pod: &Pod, now: Timestamp, usage: &BTreeMap<String, PodUsage>) -> PodInfo {
    let name = pod.metadata.name.clone().unwrap_or_default();
    let status = pod.status.clone().unwrap_or_default();
    let containers = status.container_statuses.clone().unwrap_or_default();
    let total = pod
        .spec
        .as_ref()
        .map_or(containers.len(), |s| s.containers.len());
    let phase = status.phase.clone().unwrap_or_else(|| "Unknown".to_owned());
    let mut shown = status.reason.clone().unwrap_or_else(|| phase.clone());
    for container in status
        .init_container_statuses
        .iter()
        .flatten()
        .chain(&containers)
    {
        let state = container.state.as_ref();
        if let Some(reason) = state
            .and_then(|s| s.waiting.as_ref())
            .and_then(|w| w.reason.clone())
            .or_else(|| {
                state
                    .and_then(|s| s.terminated.as_ref())
                    .and_then(|t| t.reason.clone())
            })
        {
            shown = reason;
            break;
        }
    }
    if pod.metadata.deletion_timestamp.is_some() {
        "Terminating".clone_into(&mut shown);
    }
    let last_termination = containers.iter().find_map(|c| {
        let terminated = c.last_state.as_ref()?.terminated.as_ref()?;
        let reason = terminated.reason.as_deref().unwrap_or("Terminated");
        Some(format!("{reason} (exit code {})", terminated.exit_code))
    });
    let created = pod.metadata.creation_timestamp.as_ref().map(|t| t.0);
    PodInfo {
        ready: containers.iter().filter(|c| c.ready).count(),
        containers: total,
        phase,
        status: shown,
        restarts: containers.iter().map(|c| c.restart_count).sum(),
        created: created.map(|t| t.to_string()),
        age_seconds: created.map(|t| seconds_since(t, now)),
        node: pod.spec.as_ref().and_then(|s| s.node_name.clone()),
        last_termination,
        usage: usage.get(&name).copied(),
        name,
    }
}

/// The warnings about the Deployment, its ReplicaSets (`<deployment>-<hash>`) and the pods
/// that still exist, newest first; warnings about pods gone since are history, not status.
fn warnings_about(
    events: &[Event],
    deployment: &str,
    pods: &[Pod],
    now: Timestamp,
) -> Vec<Warning> {
    let pod_names: BTreeSet<&str> = pods
        .iter()
        .filter_map(|p| p.metadata.name.as_deref())
        .collect();
    let prefix = format!("{deployment}-");
    let mut mine: Vec<(Option<Timestamp>, Warning)> = events
        .iter()
        .filter(|e| e.type_.as_deref() == Some("Warning"))
        .filter_map(|e| {
            let object = &e.involved_object;
            let name = object.name.as_deref()?;
            let kind = object.kind.as_deref().unwrap_or_default();
            let about = match kind {
                "Pod" => pod_names.contains(name),
                "Deployment" => name == deployment,
                "ReplicaSet" => name
                    .strip_prefix(&prefix)
                    .is_some_and(|hash| !hash.contains('-')),
                _ => false,
            };
            if !about {
                return None;
            }
            let time = crate::kube::diagnose::event_time(e);
            Some((
                time,
                Warning {
                    object: format!("{}/{name}", kind.to_lowercase()),
                    reason: e.reason.clone().unwrap_or_default(),
                    message: e
                        .message
                        .as_deref()
                        .unwrap_or_default()
                        .trim()
                        .replace('\n', " "),
                    count: e.count.unwrap_or(1),
                    last_seen: time.map(|t| t.to_string()),
                    age_seconds: time.map(|t| seconds_since(t, now)),
                },
            ))
        })
        .collect();
    mine.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.object.cmp(&b.1.object)));
    mine.into_iter()
        .take(MAX_WARNINGS)
        .map(|(_, w)| w)
        .collect()
}

/// Reads `metrics.k8s.io/v1beta1` PodMetrics of the namespace, by pod name. `None` when the
/// cluster has no metrics API (404, 503), it fails in any way or takes longer than 2 s:
/// usage is extra, never a reason for `status` to fail or hang.
pub async fn pod_metrics(
    client: &::kube::Client,
    namespace: &str,
) -> Option<BTreeMap<String, PodUsage>> {
    let request = http::Request::get(format!(
        "/apis/metrics.k8s.io/v1beta1/namespaces/{namespace}/pods"
    ))
    .body(Vec::new())
    .ok()?;
    // An APIService whose backend is down can keep a request waiting; usage is not worth it.
    let text = tokio::time::timeout(METRICS_TIMEOUT, client.request_text(request))
        .await
        .ok()?
        .ok()?;
    parse_pod_metrics(&text)
}

/// Parses a `PodMetricsList`: per pod, the sum over its containers.
#[must_use]
pub fn parse_pod_metrics(text: &str) -> Option<BTreeMap<String, PodUsage>> {
    #[derive(serde::Deserialize)]
    struct List {
        items: Vec<Item>,
    }
    #[derive(serde::Deserialize)]
    struct Item {
        metadata: Meta,
        #[serde(default)]
        containers: Vec<Container>,
    }
    #[derive(serde::Deserialize)]
    struct Meta {
        name: String,
    }
    #[derive(serde::Deserialize)]
    struct Container {
        #[serde(default)]
        usage: BTreeMap<String, String>,
    }
    let list: List = serde_json::from_str(text).ok()?;
    Some(
        list.items
            .into_iter()
            .map(|item| {
                let mut usage = PodUsage {
                    cpu_millicores: 0.0,
                    memory_bytes: 0,
                };
                for container in &item.containers {
                    if let Some(cpu) = container.usage.get("cpu").and_then(|q| cpu_millicores(q)) {
                        usage.cpu_millicores += cpu;
                    }
                    if let Some(memory) = container.usage.get("memory").and_then(|q| bytes(q)) {
                        usage.memory_bytes += memory;
                    }
                }
                (item.metadata.name, usage)
            })
            .collect(),
    )
}

/// A CPU quantity in millicores: `250m` → 250, `1` → 1000, `1234567n` → 1.234567.
#[must_use]
pub fn cpu_millicores(quantity: &str) -> Option<f64> {
    Some(crate::names::quantity_value(quantity)? * 1000.0)
}

/// A memory quantity in bytes: `12Mi` → 12582912, `1G` → 10⁹.
#[must_use]
pub fn bytes(quantity: &str) -> Option<u64> {
    let value = crate::names::quantity_value(quantity)?.round();
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "checked to be a non-negative whole number below 2^64 first"
    )]
    (0.0..1.8e19).contains(&value).then_some(value as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(rollout: Option<(&'static str, i32)>, live: bool) -> AppStatus {
        let release = ReleaseInfo {
            revision: 1,
            status: ReleaseStatus::Deployed,
            image: "r/web@sha256:00".into(),
            digest: Some("sha256:00".into()),
            git_commit: None,
            git_dirty: false,
            user: "dev@host".into(),
            created: "2026-11-27T10:00:00Z".into(),
            finished: None,
            description: "up".into(),
        };
        AppStatus {
            app: "web".into(),
            namespace: "shop".into(),
            healthy: false,
            summary: String::new(),
            release: live.then_some(release),
            latest_release: None,
            rollout: rollout.map(|(state, desired)| Rollout {
                deployment: "web".into(),
                state,
                message: if state == "complete" {
                    String::new()
                } else {
                    "0 of 1 updated replicas are available".into()
                },
                desired,
                updated: desired,
                ready: 0,
                available: 0,
            }),
            pods: Vec::new(),
            diagnosis: None,
            warnings: Vec::new(),
            urls: Vec::new(),
            usage: None,
            components: Vec::new(),
            scrape: None,
        }
    }

    #[test]
    fn health_needs_a_complete_rollout_and_a_live_release() {
        assert_eq!(
            judge(&app(None, false)),
            (false, "`web` is not deployed in namespace `shop`".into())
        );
        assert_eq!(
            judge(&app(None, true)),
            (
                false,
                "deployment `web` is missing from namespace `shop`".into()
            )
        );
        assert_eq!(
            judge(&app(Some(("complete", 0)), true)),
            (true, "scaled to 0: no pods run".into())
        );
        assert!(judge(&app(Some(("complete", 1)), true)).0);
        assert!(
            !judge(&app(Some(("complete", 1)), false)).0,
            "no live release"
        );
        assert_eq!(
            judge(&app(Some(("progressing", 1)), true)),
            (
                false,
                "0 of 0 pods ready; 0 of 1 updated replicas are available".into()
            )
        );
        let mut failing = app(Some(("progressing", 1)), true);
        failing.diagnosis = Some(Diagnosis {
            kind: diagnose::DiagnosisKind::CrashLoop,
            pod: "web-1".into(),
            container: Some("web".into()),
            summary: "container `web` keeps crashing".into(),
            details: Vec::new(),
            log_tail: Vec::new(),
            hint: String::new(),
            retryable: false,
            transient: false,
        });
        assert_eq!(
            judge(&failing),
            (false, "pod web-1: container `web` keeps crashing".into())
        );
    }

    #[test]
    fn refused_requests_are_not_retryable() {
        let api = |code: u16, reason: &str| {
            ::kube::Error::Api(
                ::kube::core::Status::failure("no", reason)
                    .with_code(code)
                    .boxed(),
            )
        };
        let retryable = |err: ::kube::Error| crate::failure::is_retryable(&err);
        assert!(!retryable(api(403, "Forbidden")));
        assert!(!retryable(api(401, "Unauthorized")));
        assert!(retryable(api(503, "ServiceUnavailable")));
        assert!(retryable(api(429, "TooManyRequests")));
    }

    #[test]
    fn quantities_parse() {
        assert_eq!(cpu_millicores("250m"), Some(250.0));
        assert_eq!(cpu_millicores("1"), Some(1000.0));
        assert_eq!(cpu_millicores("0.5"), Some(500.0));
        let nano = cpu_millicores("1234567n").expect("nanocores");
        assert!((nano - 1.234_567).abs() < 1e-9, "{nano}");
        assert_eq!(cpu_millicores("250u"), Some(0.25));
        assert_eq!(bytes("12Mi"), Some(12 * 1024 * 1024));
        assert_eq!(bytes("2048Ki"), Some(2 * 1024 * 1024));
        assert_eq!(bytes("1G"), Some(1_000_000_000));
        assert_eq!(bytes("1e3"), Some(1000));
        assert_eq!(bytes("123"), Some(123));
        assert_eq!(bytes("12Qi"), None);
        assert_eq!(bytes("abc"), None);
        assert_eq!(bytes("-1"), None);
    }

    #[test]
    fn pod_metrics_sum_the_containers_of_each_pod() {
        let text = serde_json::json!({
            "kind": "PodMetricsList",
            "apiVersion": "metrics.k8s.io/v1beta1",
            "metadata": {},
            "items": [
                {"metadata": {"name": "web-1", "namespace": "shop"}, "timestamp": "2026-11-27T10:00:00Z",
                 "window": "10.5s",
                 "containers": [
                     {"name": "web", "usage": {"cpu": "2500000n", "memory": "10Mi"}},
                     {"name": "proxy", "usage": {"cpu": "1m", "memory": "2048Ki"}}
                 ]},
                {"metadata": {"name": "web-2", "namespace": "shop"}, "containers": []}
            ]
        })
        .to_string();
        let usage = parse_pod_metrics(&text).expect("a list");
        let web1 = usage["web-1"];
        assert!((web1.cpu_millicores - 3.5).abs() < 1e-9, "{web1:?}");
        assert_eq!(web1.memory_bytes, 12 * 1024 * 1024);
        assert_eq!(usage["web-2"].memory_bytes, 0);
        assert_eq!(parse_pod_metrics("not json"), None);
    }

    mod scripted {
        use std::convert::Infallible;

        use http::{Request, Response, StatusCode};
        use kube::client::Body;

        use super::super::pod_metrics;

        fn client(status: StatusCode, body: &'static str) -> kube::Client {
            let service = tower::service_fn(move |request: Request<Body>| async move {
                assert_eq!(
                    request.uri().path(),
                    "/apis/metrics.k8s.io/v1beta1/namespaces/shop/pods"
                );
                let mut response = Response::new(Body::from(body.as_bytes().to_vec()));
                *response.status_mut() = status;
                Ok::<_, Infallible>(response)
            });
            kube::Client::new(service, "shop")
        }

        #[tokio::test]
        async fn metrics_are_read_when_the_api_serves_them() {
            let body = r#"{"kind":"PodMetricsList","apiVersion":"metrics.k8s.io/v1beta1","metadata":{},
                "items":[{"metadata":{"name":"web-1"},"containers":[{"name":"web","usage":{"cpu":"5m","memory":"1Mi"}}]}]}"#;
            let usage = pod_metrics(&client(StatusCode::OK, body), "shop")
                .await
                .expect("usage");
            assert_eq!(usage["web-1"].memory_bytes, 1024 * 1024);
            assert!((usage["web-1"].cpu_millicores - 5.0).abs() < 1e-9);
        }

        #[tokio::test]
        async fn no_metrics_api_means_no_usage() {
            let not_found = r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
                "message":"the server could not find the requested resource","reason":"NotFound","code":404}"#;
            assert_eq!(
                pod_metrics(&client(StatusCode::NOT_FOUND, not_found), "shop").await,
                None
            );
            let unavailable = r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
                "message":"the server is currently unable to handle the request","reason":"ServiceUnavailable","code":503}"#;
            assert_eq!(
                pod_metrics(
                    &client(StatusCode::SERVICE_UNAVAILABLE, unavailable),
                    "shop"
                )
                .await,
                None
            );
        }
    }
}
