//! Waiting for a Deployment to roll out, the way `kubectl rollout status` does (kubectl's
//! `DeploymentStatusViewer`), and failing fast, the way Skaffold's pod validator does, when a new
//! pod is in a state that will not heal.
//!
//! * [`rollout_state`] is the pure state machine: one Deployment in, one [`RolloutState`] out.
//! * [`wait_for_rollout`] (and [`RolloutWait`] for the knobs) watches the Deployment, its pods and
//!   their events — three `kube::runtime::watcher` streams, which re-watch when a stream ends and
//!   relist on `410 Gone`; nothing polls — and returns when the rollout completes, fails, or the
//!   timeout passes.
//!
//! Which pods count: only those of the Deployment's *new* ReplicaSet, i.e. pods with the
//! Deployment's selector whose `pod-template-hash` label is that of the ReplicaSet controlled by
//! the Deployment whose `deployment.kubernetes.io/revision` equals the Deployment's own revision.
//! Old pods, even failing ones left by an earlier bad rollout, never fail a new rollout. Until the
//! controller has observed the current generation the new ReplicaSet is not known and no pod
//! is judged.
//!
//! Cancellation: [`wait_for_rollout`] is a plain future that owns nothing outside itself; dropping
//! it (for example the losing branch of `tokio::select!` against Ctrl-C) closes the watches and
//! leaves the cluster untouched.

#![allow(
    clippy::doc_markdown,
    reason = "Kubernetes kinds (ConfigMap, ReplicaSet) are words here"
)]

use std::collections::BTreeMap;
use std::pin::pin;
use std::time::Duration;

use futures_util::StreamExt;
use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::core::v1::{Event, Pod};
use kube::api::{Api, ListParams};
use kube::core::Selector;
use kube::runtime::{WatchStreamExt, watcher};
use tokio::time::Instant;

use super::KubeError;
use super::diagnose::{self, Diagnosis};

/// The annotation the deployment controller puts on a Deployment and its ReplicaSets.
const REVISION_ANNOTATION: &str = "deployment.kubernetes.io/revision";
/// The label the deployment controller puts on a ReplicaSet and its pods.
const POD_TEMPLATE_HASH: &str = "pod-template-hash";
/// How long a failure that may heal (unready, unschedulable) must persist before the wait gives up.
pub const DEFAULT_GRACE: Duration = Duration::from_secs(30);
/// How long the wait spends fetching log lines and events for a diagnosis before giving up on them.
const LOG_FETCH_TIMEOUT: Duration = Duration::from_secs(3);

/// Where a rollout stands, from the Deployment object alone (`kubectl rollout status`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RolloutState {
    /// Not done; the message says what is awaited, e.g. `2 of 3 updated replicas are available`.
    Waiting(String),
    /// The Deployment is paused and not done: it will not progress until it is resumed.
    Paused(String),
    /// `Progressing=False`, reason `ProgressDeadlineExceeded`; the condition's message.
    Failed(String),
    /// Every replica is updated and available, and no old replica is left.
    Complete,
}

/// Returns where the rollout of `deployment` stands, following kubectl's
/// `DeploymentStatusViewer` row by row:
///
/// 1. `metadata.generation > status.observedGeneration` → waiting for the update to be observed;
/// 2. condition `Progressing` with reason `ProgressDeadlineExceeded` → [`RolloutState::Failed`];
/// 3. `spec.replicas` set and `updatedReplicas < spec.replicas` → `U out of R new replicas have
///    been updated`;
/// 4. `status.replicas > updatedReplicas` → `N old replicas are pending termination`;
/// 5. `availableReplicas < updatedReplicas` → `A of U updated replicas are available`;
/// 6. otherwise [`RolloutState::Complete`].
///
/// One difference from kubectl: a paused Deployment that would be waiting (rows 3–5) is
/// [`RolloutState::Paused`], because kubectl would wait for it forever.
#[must_use]
pub fn rollout_state(deployment: &Deployment) -> RolloutState {
    let generation = deployment.metadata.generation.unwrap_or(0);
    let status = deployment.status.clone().unwrap_or_default();
    if generation > status.observed_generation.unwrap_or(0) {
        return RolloutState::Waiting(
            "Waiting for deployment spec update to be observed".to_owned(),
        );
    }
    if let Some(progressing) = status
        .conditions
        .iter()
        .flatten()
        .find(|c| c.type_ == "Progressing")
        && progressing.reason.as_deref() == Some("ProgressDeadlineExceeded")
    {
        return RolloutState::Failed(progressing.message.clone().unwrap_or_default());
    }
    let spec = deployment.spec.as_ref();
    let updated = status.updated_replicas.unwrap_or(0);
    let replicas = status.replicas.unwrap_or(0);
    let available = status.available_replicas.unwrap_or(0);
    let waiting = if let Some(wanted) = spec.and_then(|s| s.replicas)
        && updated < wanted
    {
        format!("{updated} out of {wanted} new replicas have been updated")
    } else if replicas > updated {
        match replicas - updated {
            1 => "1 old replica is pending termination".to_owned(),
            old => format!("{old} old replicas are pending termination"),
        }
    } else if available < updated {
        format!("{available} of {updated} updated replicas are available")
    } else {
        return RolloutState::Complete;
    };
    if spec.and_then(|s| s.paused) == Some(true) {
        RolloutState::Paused(waiting)
    } else {
        RolloutState::Waiting(waiting)
    }
}

/// Receives the progress of a rollout wait.
///
/// Implemented by the UI layer; tests use [`NoopRolloutReporter`] or a recorder.
pub trait RolloutReporter: Send + Sync {
    /// Called when the progress message changes (each change once), e.g.
    /// `1 out of 3 new replicas have been updated`.
    fn on_progress(&self, message: &str);

    /// Called once when a new pod shows a failure that may still heal (a failing readiness
    /// probe, an unschedulable pod); the wait gives it `grace` before failing with it. Lets the
    /// user see why nothing moves while the wait continues. Does nothing by default.
    fn on_pod_problem(&self, diagnosis: &Diagnosis, grace: Duration) {
        let _ = (diagnosis, grace);
    }
}

/// A reporter that ignores everything.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoopRolloutReporter;

impl RolloutReporter for NoopRolloutReporter {
    fn on_progress(&self, _message: &str) {}
}

/// A completed rollout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RolloutOutcome {
    /// The Deployment.
    pub name: String,
    /// Its namespace.
    pub namespace: String,
    /// Replicas updated and available at the end.
    pub replicas: i32,
    /// The Deployment's revision (`deployment.kubernetes.io/revision`), when set.
    pub revision: Option<String>,
    /// How long the wait took.
    pub elapsed: Duration,
}

/// Why a rollout wait ended without a complete rollout.
#[derive(Debug, thiserror::Error)]
pub enum RolloutError {
    /// The Deployment could not be read, or does not exist ([`KubeError::NotFound`]).
    #[error(transparent)]
    Kube(#[from] KubeError),
    /// A pod of the new ReplicaSet is in a state that will not heal; the rollout cannot finish.
    #[error("deployment `{name}` in namespace `{namespace}` cannot roll out: pod `{pod}` {what}", pod = diagnosis.pod, what = diagnosis.kind.describe())]
    PodFailed {
        /// The Deployment.
        name: String,
        /// Its namespace.
        namespace: String,
        /// What is wrong, ready to print.
        diagnosis: Box<Diagnosis>,
    },
    /// The controller gave up: `ProgressDeadlineExceeded`.
    #[error("deployment `{name}` in namespace `{namespace}` exceeded its progress deadline")]
    ProgressDeadlineExceeded {
        /// The Deployment.
        name: String,
        /// Its namespace.
        namespace: String,
        /// The `Progressing` condition's message.
        message: String,
        /// What the new pods show, if anything.
        diagnosis: Option<Box<Diagnosis>>,
    },
    /// The Deployment is paused, so it will not progress.
    #[error("deployment `{name}` in namespace `{namespace}` is paused ({last})")]
    Paused {
        /// The Deployment.
        name: String,
        /// Its namespace.
        namespace: String,
        /// Where the rollout stood.
        last: String,
    },
    /// The Deployment was deleted while waiting.
    #[error(
        "deployment `{name}` in namespace `{namespace}` was deleted while waiting for its rollout"
    )]
    Deleted {
        /// The Deployment.
        name: String,
        /// Its namespace.
        namespace: String,
    },
    /// The Deployment's selector cannot be turned into a label selector.
    #[error("deployment `{name}` in namespace `{namespace}` has an invalid selector: {message}")]
    InvalidSelector {
        /// The Deployment.
        name: String,
        /// Its namespace.
        namespace: String,
        /// What is wrong with it.
        message: String,
    },
    /// The timeout passed first.
    #[error(
        "deployment `{name}` in namespace `{namespace}` did not roll out within {}s (last seen: {last}{}{})",
        timeout.as_secs(),
        waiting_on.as_ref().map(|w| format!("; {w}")).unwrap_or_default(),
        watch_error.as_ref().map(|e| format!("; last watch error: {e}")).unwrap_or_default()
    )]
    Timeout {
        /// The Deployment.
        name: String,
        /// Its namespace.
        namespace: String,
        /// The timeout.
        timeout: Duration,
        /// The last progress message.
        last: String,
        /// What the new pods showed at the time, if anything (possibly a state that could
        /// still have healed).
        diagnosis: Option<Box<Diagnosis>>,
        /// Without a diagnosis: what the first new pod that is not ready waits for, e.g.
        /// ``pod web-1: init container `migrate` is still running``.
        waiting_on: Option<String>,
        /// The last error of a watch, when the watches were failing.
        watch_error: Option<String>,
    },
}

impl RolloutError {
    /// The pod diagnosis this error carries, for the command layer to print under the error.
    #[must_use]
    pub fn diagnosis(&self) -> Option<&Diagnosis> {
        match self {
            Self::PodFailed { diagnosis, .. } => Some(diagnosis),
            Self::ProgressDeadlineExceeded { diagnosis, .. } | Self::Timeout { diagnosis, .. } => {
                diagnosis.as_deref()
            }
            _ => None,
        }
    }
}

/// Waits for the rollout of Deployment `name` in `namespace` with the default grace
/// ([`DEFAULT_GRACE`]); see [`RolloutWait::run`].
pub async fn wait_for_rollout(
    client: &kube::Client,
    namespace: &str,
    name: &str,
    timeout: Duration,
    reporter: &dyn RolloutReporter,
) -> Result<RolloutOutcome, RolloutError> {
    Box::pin(RolloutWait::new(timeout).run(client, namespace, name, reporter)).await
}

/// How to wait for a rollout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RolloutWait {
    /// Give up after this long ([`RolloutError::Timeout`]).
    pub timeout: Duration,
    /// How long a failure that may heal by itself (a pod that runs but is not ready, an
    /// unschedulable pod) must persist before the wait gives up on it. Failures that do not heal
    /// (crash loop, image pull, OOM, missing ConfigMap) end the wait at once.
    pub grace: Duration,
}

impl RolloutWait {
    /// Waits up to `timeout`, with the default grace.
    #[must_use]
    pub fn new(timeout: Duration) -> Self {
        Self {
            timeout,
            grace: DEFAULT_GRACE,
        }
    }

    /// The same, with another grace for failures that may heal.
    #[must_use]
    pub fn grace(self, grace: Duration) -> Self {
        Self { grace, ..self }
    }

    /// Watches Deployment `name` in `namespace` until its rollout completes, reporting each change
    /// of the progress message to `reporter`.
    ///
    /// # Errors
    ///
    /// * [`RolloutError::PodFailed`] as soon as a new pod is in a failure state that does not heal
    ///   (or, for one that may, once it has lasted `grace`);
    /// * [`RolloutError::ProgressDeadlineExceeded`], [`RolloutError::Paused`],
    ///   [`RolloutError::Deleted`] from the Deployment's state;
    /// * [`RolloutError::Timeout`] after `timeout`, with the last progress message and what the
    ///   pods showed;
    /// * [`RolloutError::Kube`] when the Deployment cannot be read at the start (not found,
    ///   connection refused). Later watch errors are retried with back-off until the timeout.
    pub async fn run(
        self,
        client: &kube::Client,
        namespace: &str,
        name: &str,
        reporter: &dyn RolloutReporter,
    ) -> Result<RolloutOutcome, RolloutError> {
        let started = Instant::now();
        let mut tracker = Tracker::new(client, namespace, name, self.grace);
        match tokio::time::timeout(self.timeout, Box::pin(tracker.watch(reporter, started))).await {
            Ok(result) => result,
            Err(_elapsed) => {
                let diagnosis = tracker.diagnosis_with_logs(true).await.map(Box::new);
                let waiting_on = if diagnosis.is_none() {
                    diagnose::waiting_on(&tracker.new_pods())
                } else {
                    None
                };
                Err(RolloutError::Timeout {
                    waiting_on,
                    name: name.to_owned(),
                    namespace: namespace.to_owned(),
                    timeout: self.timeout,
                    last: tracker
                        .last_message
                        .clone()
                        .unwrap_or_else(|| "nothing yet".to_owned()),
                    diagnosis,
                    watch_error: tracker.watch_error.clone(),
                })
            }
        }
    }
}

/// What the wait has seen so far; outlives the timed-out future so the timeout can say what was
/// last seen.
struct Tracker<'a> {
    client: &'a kube::Client,
    namespace: &'a str,
    name: &'a str,
    grace: Duration,
    last_message: Option<String>,
    watch_error: Option<String>,
    /// Pods with the Deployment's selector, by name.
    pods: BTreeMap<String, Pod>,
    /// Pods buffered during a watcher (re)initialisation.
    pods_init: Option<BTreeMap<String, Pod>>,
    /// Pod events of the namespace, by event name.
    events: BTreeMap<String, Event>,
    events_init: Option<BTreeMap<String, Event>>,
    /// The revision and `pod-template-hash` of the new ReplicaSet, once known.
    new_replica_set: Option<(String, String)>,
    /// The failure currently seen (kind, pod) and since when.
    pending: Option<((diagnose::DiagnosisKind, String), Instant, Duration)>,
}

impl<'a> Tracker<'a> {
    fn new(client: &'a kube::Client, namespace: &'a str, name: &'a str, grace: Duration) -> Self {
        Self {
            client,
            namespace,
            name,
            grace,
            last_message: None,
            watch_error: None,
            pods: BTreeMap::new(),
            pods_init: None,
            events: BTreeMap::new(),
            events_init: None,
            new_replica_set: None,
            pending: None,
        }
    }

    async fn watch(
        &mut self,
        reporter: &dyn RolloutReporter,
        started: Instant,
    ) -> Result<RolloutOutcome, RolloutError> {
        let deployments: Api<Deployment> = Api::namespaced(self.client.clone(), self.namespace);
        let initial = deployments
            .get_opt(self.name)
            .await
            .map_err(|err| self.api_error(err, format!("get deployment `{}`", self.name)))?
            .ok_or_else(|| KubeError::NotFound {
                kind: "deployment",
                name: self.name.to_owned(),
                namespace: self.namespace.to_owned(),
            })?;
        let Some(spec) = initial.spec.as_ref() else {
            return Err(self.invalid_selector("no spec"));
        };
        let selector = match Selector::try_from(spec.selector.clone()) {
            Ok(selector) => selector,
            Err(err) => return Err(self.invalid_selector(&err.to_string())),
        };
        if selector.selects_all() {
            return Err(self.invalid_selector("it is empty"));
        }
        let selector = selector.to_string();

        let deployment_stream = watcher(
            deployments,
            watcher::Config::default().fields(&format!("metadata.name={}", self.name)),
        )
        .default_backoff();
        let pod_stream = watcher(
            Api::<Pod>::namespaced(self.client.clone(), self.namespace),
            watcher::Config::default().labels(&selector),
        )
        .default_backoff();
        let event_stream = watcher(
            Api::<Event>::namespaced(self.client.clone(), self.namespace),
            watcher::Config::default().fields("involvedObject.kind=Pod"),
        )
        .default_backoff();
        let mut deployment_stream = pin!(deployment_stream);
        let mut pod_stream = pin!(pod_stream);
        let mut event_stream = pin!(event_stream);

        let mut deployment = initial;
        // A relist (after `410 Gone`) that does not list the Deployment means it was deleted
        // while the watch was down.
        let mut relist_found_it = true;
        if let Some(done) = self.on_deployment(&deployment, reporter, started).await? {
            return Ok(done);
        }
        loop {
            let settle_at = self.pending_deadline();
            tokio::select! {
                Some(item) = deployment_stream.next() => match item {
                    Ok(watcher::Event::Apply(d) | watcher::Event::InitApply(d)) => {
                        relist_found_it = true;
                        deployment = d;
                        if let Some(done) = self.on_deployment(&deployment, reporter, started).await? {
                            return Ok(done);
                        }
                    }
                    Ok(watcher::Event::Delete(_)) => return Err(self.deleted()),
                    Ok(watcher::Event::Init) => relist_found_it = false,
                    Ok(watcher::Event::InitDone) if !relist_found_it => return Err(self.deleted()),
                    Ok(watcher::Event::InitDone) => {}
                    Err(err) => self.watch_error = Some(err.to_string()),
                },
                Some(item) = pod_stream.next() => match item {
                    Ok(event) => apply_event(&mut self.pods, &mut self.pods_init, event),
                    Err(err) => self.watch_error = Some(err.to_string()),
                },
                Some(item) = event_stream.next() => match item {
                    Ok(event) => apply_event(&mut self.events, &mut self.events_init, event),
                    Err(err) => self.watch_error = Some(err.to_string()),
                },
                () = sleep_until(settle_at) => {}
                else => {}
            }
            if let Some(diagnosis) = self.judge_pods(reporter).await {
                return Err(RolloutError::PodFailed {
                    name: self.name.to_owned(),
                    namespace: self.namespace.to_owned(),
                    diagnosis: Box::new(diagnosis),
                });
            }
        }
    }

    /// Evaluates the Deployment: reports progress, and returns `Some` when the rollout is done.
    async fn on_deployment(
        &mut self,
        deployment: &Deployment,
        reporter: &dyn RolloutReporter,
        started: Instant,
    ) -> Result<Option<RolloutOutcome>, RolloutError> {
        let revision = deployment
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(REVISION_ANNOTATION))
            .cloned();
        let observed = deployment
            .status
            .as_ref()
            .and_then(|s| s.observed_generation)
            .unwrap_or(0)
            >= deployment.metadata.generation.unwrap_or(0);
        if observed
            && let Some(revision) = &revision
            && self
                .new_replica_set
                .as_ref()
                .is_none_or(|(known, _)| known != revision)
        {
            self.new_replica_set = self.find_new_replica_set(deployment, revision).await;
        }
        match rollout_state(deployment) {
            RolloutState::Complete => Ok(Some(RolloutOutcome {
                name: self.name.to_owned(),
                namespace: self.namespace.to_owned(),
                replicas: deployment
                    .status
                    .as_ref()
                    .and_then(|s| s.available_replicas)
                    .unwrap_or(0),
                revision,
                elapsed: started.elapsed(),
            })),
            RolloutState::Waiting(message) => {
                if self.last_message.as_deref() != Some(message.as_str()) {
                    reporter.on_progress(&message);
                    self.last_message = Some(message);
                }
                Ok(None)
            }
            RolloutState::Paused(last) => Err(RolloutError::Paused {
                name: self.name.to_owned(),
                namespace: self.namespace.to_owned(),
                last,
            }),
            RolloutState::Failed(message) => Err(RolloutError::ProgressDeadlineExceeded {
                name: self.name.to_owned(),
                namespace: self.namespace.to_owned(),
                message,
                diagnosis: self.diagnosis_with_logs(true).await.map(Box::new),
            }),
        }
    }

    /// The `pod-template-hash` of the ReplicaSet controlled by `deployment` with its revision.
    /// A failed lookup is retried at the next Deployment event.
    async fn find_new_replica_set(
        &mut self,
        deployment: &Deployment,
        revision: &str,
    ) -> Option<(String, String)> {
        let uid = deployment.metadata.uid.as_deref()?;
        let selector = deployment
            .spec
            .as_ref()
            .and_then(|s| Selector::try_from(s.selector.clone()).ok())?
            .to_string();
        let api: Api<ReplicaSet> = Api::namespaced(self.client.clone(), self.namespace);
        let list = match api.list(&ListParams::default().labels(&selector)).await {
            Ok(list) => list,
            Err(err) => {
                self.watch_error = Some(err.to_string());
                return None;
            }
        };
        list.items.into_iter().find_map(|rs| {
            let controlled = rs
                .metadata
                .owner_references
                .iter()
                .flatten()
                .any(|o| o.uid == uid && o.controller == Some(true));
            let same_revision = rs
                .metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get(REVISION_ANNOTATION))
                .is_some_and(|r| r == revision);
            let hash = rs.metadata.labels.as_ref()?.get(POD_TEMPLATE_HASH)?.clone();
            (controlled && same_revision).then(|| (revision.to_owned(), hash))
        })
    }

    /// The pods of the new ReplicaSet (none while it is unknown).
    fn new_pods(&self) -> Vec<Pod> {
        let Some((_, hash)) = &self.new_replica_set else {
            return Vec::new();
        };
        self.pods
            .values()
            .filter(|p| {
                p.metadata
                    .labels
                    .as_ref()
                    .and_then(|l| l.get(POD_TEMPLATE_HASH))
                    .is_some_and(|h| h == hash)
            })
            .cloned()
            .collect()
    }

    fn current_diagnosis(&self) -> Option<Diagnosis> {
        let events: Vec<Event> = self.events.values().cloned().collect();
        diagnose::diagnose(&self.new_pods(), &events, &diagnose::LogTails::new())
    }

    /// The current diagnosis with the diagnosed pod's log tails, when there is one. With
    /// `any` false only a diagnosis that has settled counts.
    async fn diagnosis_with_logs(&self, any: bool) -> Option<Diagnosis> {
        let diagnosis = self.current_diagnosis()?;
        if !any && !self.settled(&diagnosis) {
            return None;
        }
        let pods: Vec<Pod> = self
            .new_pods()
            .into_iter()
            .filter(|p| p.metadata.name.as_deref() == Some(diagnosis.pod.as_str()))
            .collect();
        // The kubelet records events asynchronously, so the watch may not have delivered the
        // one that explains the state yet: read the pod's events once more, with its logs.
        let events_api: Api<Event> = Api::namespaced(self.client.clone(), self.namespace);
        let params =
            ListParams::default().fields(&format!("involvedObject.name={}", diagnosis.pod));
        let fresh_events = events_api.list(&params);
        let logs = diagnose::log_tails(self.client, self.namespace, &pods);
        let (fresh_events, logs) = match tokio::time::timeout(
            LOG_FETCH_TIMEOUT,
            futures_util::future::join(fresh_events, logs),
        )
        .await
        {
            Ok((events, logs)) => (events.map(|list| list.items).unwrap_or_default(), logs),
            Err(_elapsed) => (Vec::new(), diagnose::LogTails::new()),
        };
        let mut events = self.events.clone();
        for event in fresh_events {
            events.insert(event.metadata.name.clone().unwrap_or_default(), event);
        }
        let events: Vec<Event> = events.into_values().collect();
        diagnose::diagnose(&self.new_pods(), &events, &logs).or(Some(diagnosis))
    }

    fn settled(&self, diagnosis: &Diagnosis) -> bool {
        let settle = diagnosis.settle_time(self.grace);
        settle.is_zero()
            || self
                .pending
                .as_ref()
                .is_some_and(|((kind, pod), since, _)| {
                    *kind == diagnosis.kind && *pod == diagnosis.pod && since.elapsed() >= settle
                })
    }

    /// Judges the new pods: returns the diagnosis once it is final, and otherwise remembers since
    /// when a failure that may heal has been seen.
    async fn judge_pods(&mut self, reporter: &dyn RolloutReporter) -> Option<Diagnosis> {
        let Some(diagnosis) = self.current_diagnosis() else {
            self.pending = None;
            return None;
        };
        let key = (diagnosis.kind, diagnosis.pod.clone());
        if self
            .pending
            .as_ref()
            .is_none_or(|(seen, _, _)| *seen != key)
        {
            let settle = diagnosis.settle_time(self.grace);
            self.pending = Some((key, Instant::now(), settle));
            if !settle.is_zero() {
                reporter.on_pod_problem(&diagnosis, settle);
            }
        }
        if !self.settled(&diagnosis) {
            return None;
        }
        self.diagnosis_with_logs(false).await.or(Some(diagnosis))
    }

    /// When the pending failure, if any, becomes final.
    fn pending_deadline(&self) -> Option<Instant> {
        let (_, since, settle) = self.pending.as_ref()?;
        Some(*since + *settle)
    }

    fn api_error(&self, source: kube::Error, action: String) -> RolloutError {
        RolloutError::Kube(KubeError::Api {
            action,
            namespace: self.namespace.to_owned(),
            source,
        })
    }

    fn deleted(&self) -> RolloutError {
        RolloutError::Deleted {
            name: self.name.to_owned(),
            namespace: self.namespace.to_owned(),
        }
    }

    fn invalid_selector(&self, message: &str) -> RolloutError {
        RolloutError::InvalidSelector {
            name: self.name.to_owned(),
            namespace: self.namespace.to_owned(),
            message: message.to_owned(),
        }
    }
}

/// Sleeps until `deadline`, or forever without one.
async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline).await,
        None => std::future::pending().await,
    }
}

/// Applies one watcher event to a by-name store, buffering a re-list until it is complete (so a
/// relist after `410 Gone` drops objects deleted meanwhile).
fn apply_event<K: kube::Resource>(
    store: &mut BTreeMap<String, K>,
    init: &mut Option<BTreeMap<String, K>>,
    event: watcher::Event<K>,
) {
    let key = |k: &K| k.meta().name.clone().unwrap_or_default();
    match event {
        watcher::Event::Apply(object) => {
            store.insert(key(&object), object);
        }
        watcher::Event::Delete(object) => {
            store.remove(&key(&object));
        }
        watcher::Event::Init => *init = Some(BTreeMap::new()),
        watcher::Event::InitApply(object) => {
            init.get_or_insert_with(BTreeMap::new)
                .insert(key(&object), object);
        }
        watcher::Event::InitDone => *store = init.take().unwrap_or_default(),
    }
}

#[cfg(test)]
#[allow(
    clippy::needless_pass_by_value,
    reason = "test builders take JSON literals"
)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn deployment(spec: Value, generation: i64, status: Value) -> Deployment {
        let mut spec_full = json!({
            "selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "web"}]}}
        });
        if let (Some(full), Some(extra)) = (spec_full.as_object_mut(), spec.as_object()) {
            full.extend(extra.clone());
        }
        serde_json::from_value(json!({
            "metadata": {"name": "web", "namespace": "shop", "generation": generation},
            "spec": spec_full,
            "status": status,
        }))
        .expect("a deployment")
    }

    fn waiting(message: &str) -> RolloutState {
        RolloutState::Waiting(message.to_owned())
    }

    #[test]
    fn observed_generation_lag_waits_for_the_controller() {
        let d = deployment(
            json!({"replicas": 3}),
            2,
            json!({"observedGeneration": 1, "replicas": 3, "updatedReplicas": 3, "availableReplicas": 3}),
        );
        assert_eq!(
            rollout_state(&d),
            waiting("Waiting for deployment spec update to be observed")
        );
        // No status at all (just created): generation 1 > observed 0.
        let d = deployment(json!({"replicas": 3}), 1, json!({}));
        assert_eq!(
            rollout_state(&d),
            waiting("Waiting for deployment spec update to be observed")
        );
    }

    #[test]
    fn progress_deadline_exceeded_fails() {
        let d = deployment(
            json!({"replicas": 3, "progressDeadlineSeconds": 3}),
            1,
            json!({"observedGeneration": 1, "replicas": 3, "updatedReplicas": 3, "availableReplicas": 0,
                   "conditions": [{"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded",
                                   "message": "ReplicaSet \"web-5d8f\" has timed out progressing."}]}),
        );
        assert_eq!(
            rollout_state(&d),
            RolloutState::Failed("ReplicaSet \"web-5d8f\" has timed out progressing.".to_owned())
        );
    }

    #[test]
    fn progress_deadline_is_checked_only_after_the_generation_is_observed() {
        let d = deployment(
            json!({"replicas": 3}),
            2,
            json!({"observedGeneration": 1, "conditions": [{"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded"}]}),
        );
        assert_eq!(
            rollout_state(&d),
            waiting("Waiting for deployment spec update to be observed")
        );
    }

    #[test]
    fn fewer_updated_than_wanted_waits_for_updates() {
        let d = deployment(
            json!({"replicas": 3}),
            1,
            json!({"observedGeneration": 1, "replicas": 3, "updatedReplicas": 1, "availableReplicas": 2}),
        );
        assert_eq!(
            rollout_state(&d),
            waiting("1 out of 3 new replicas have been updated")
        );
    }

    #[test]
    fn old_replicas_pending_termination_are_waited_for() {
        let d = deployment(
            json!({"replicas": 3}),
            1,
            json!({"observedGeneration": 1, "replicas": 4, "updatedReplicas": 3, "availableReplicas": 3}),
        );
        assert_eq!(
            rollout_state(&d),
            waiting("1 old replica is pending termination")
        );
        let d = deployment(
            json!({"replicas": 3}),
            1,
            json!({"observedGeneration": 1, "replicas": 5, "updatedReplicas": 3, "availableReplicas": 3}),
        );
        assert_eq!(
            rollout_state(&d),
            waiting("2 old replicas are pending termination")
        );
    }

    #[test]
    fn unavailable_updated_replicas_are_waited_for() {
        let d = deployment(
            json!({"replicas": 3}),
            1,
            json!({"observedGeneration": 1, "replicas": 3, "updatedReplicas": 3, "availableReplicas": 2}),
        );
        assert_eq!(
            rollout_state(&d),
            waiting("2 of 3 updated replicas are available")
        );
    }

    #[test]
    fn all_updated_and_available_is_complete() {
        let d = deployment(
            json!({"replicas": 3}),
            4,
            json!({"observedGeneration": 4, "replicas": 3, "updatedReplicas": 3, "availableReplicas": 3,
                   "conditions": [{"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable"}]}),
        );
        assert_eq!(rollout_state(&d), RolloutState::Complete);
    }

    #[test]
    fn golden_sequence_of_kubectl() {
        // The messages kubectl prints through a rolling update, in paas's wording.
        let steps = [
            (
                2,
                json!({"observedGeneration": 1, "replicas": 3, "updatedReplicas": 0, "availableReplicas": 3}),
            ),
            (
                2,
                json!({"observedGeneration": 2, "replicas": 4, "updatedReplicas": 1, "availableReplicas": 3}),
            ),
            (
                2,
                json!({"observedGeneration": 2, "replicas": 4, "updatedReplicas": 3, "availableReplicas": 3}),
            ),
            (
                2,
                json!({"observedGeneration": 2, "replicas": 3, "updatedReplicas": 3, "availableReplicas": 2}),
            ),
            (
                2,
                json!({"observedGeneration": 2, "replicas": 3, "updatedReplicas": 3, "availableReplicas": 3}),
            ),
        ];
        let states: Vec<RolloutState> = steps
            .into_iter()
            .map(|(generation, status)| {
                rollout_state(&deployment(json!({"replicas": 3}), generation, status))
            })
            .collect();
        assert_eq!(
            states,
            [
                waiting("Waiting for deployment spec update to be observed"),
                waiting("1 out of 3 new replicas have been updated"),
                waiting("1 old replica is pending termination"),
                waiting("2 of 3 updated replicas are available"),
                RolloutState::Complete,
            ]
        );
    }

    #[test]
    fn paused_deployment_that_is_not_done_is_paused() {
        let d = deployment(
            json!({"replicas": 3, "paused": true}),
            2,
            json!({"observedGeneration": 2, "replicas": 3, "updatedReplicas": 0, "availableReplicas": 3}),
        );
        assert_eq!(
            rollout_state(&d),
            RolloutState::Paused("0 out of 3 new replicas have been updated".to_owned())
        );
        // Paused but already rolled out: kubectl says done, so do we.
        let d = deployment(
            json!({"replicas": 3, "paused": true}),
            2,
            json!({"observedGeneration": 2, "replicas": 3, "updatedReplicas": 3, "availableReplicas": 3}),
        );
        assert_eq!(rollout_state(&d), RolloutState::Complete);
    }

    #[test]
    fn zero_replicas_is_complete_once_old_pods_are_gone() {
        let d = deployment(json!({"replicas": 0}), 3, json!({"observedGeneration": 3}));
        assert_eq!(rollout_state(&d), RolloutState::Complete);
        let d = deployment(
            json!({"replicas": 0}),
            3,
            json!({"observedGeneration": 3, "replicas": 2}),
        );
        assert_eq!(
            rollout_state(&d),
            waiting("2 old replicas are pending termination")
        );
    }

    #[test]
    fn omitted_replicas_skip_the_updated_row_like_kubectl() {
        // With spec.replicas nil kubectl skips row 4 and goes on with the status counts.
        let d = deployment(
            json!({}),
            1,
            json!({"observedGeneration": 1, "replicas": 1, "updatedReplicas": 1, "availableReplicas": 0}),
        );
        assert_eq!(
            rollout_state(&d),
            waiting("0 of 1 updated replicas are available")
        );
        let d = deployment(json!({}), 1, json!({"observedGeneration": 1}));
        assert_eq!(rollout_state(&d), RolloutState::Complete);
    }

    #[test]
    fn without_progress_deadline_a_stuck_rollout_only_waits() {
        // No progressDeadlineSeconds: the controller never sets ProgressDeadlineExceeded, so the
        // state stays Waiting (only the client timeout or the pod diagnosis ends it).
        let d = deployment(
            json!({"replicas": 2}),
            1,
            json!({"observedGeneration": 1, "replicas": 2, "updatedReplicas": 2, "availableReplicas": 0,
                   "conditions": [{"type": "Progressing", "status": "True", "reason": "ReplicaSetUpdated"}]}),
        );
        assert_eq!(
            rollout_state(&d),
            waiting("0 of 2 updated replicas are available")
        );
    }

    #[test]
    fn apply_event_relists_atomically() {
        let pod = |name: &str| -> Pod {
            serde_json::from_value(json!({"metadata": {"name": name}})).expect("a pod")
        };
        let mut store = BTreeMap::new();
        let mut init = None;
        apply_event(&mut store, &mut init, watcher::Event::Apply(pod("a")));
        apply_event(&mut store, &mut init, watcher::Event::Apply(pod("b")));
        apply_event(&mut store, &mut init, watcher::Event::Delete(pod("a")));
        assert_eq!(store.keys().collect::<Vec<_>>(), ["b"]);
        // A relist (after 410 Gone) replaces the store only when complete.
        apply_event(&mut store, &mut init, watcher::Event::Init);
        apply_event(&mut store, &mut init, watcher::Event::InitApply(pod("c")));
        assert_eq!(store.keys().collect::<Vec<_>>(), ["b"]);
        apply_event(&mut store, &mut init, watcher::Event::InitDone);
        assert_eq!(store.keys().collect::<Vec<_>>(), ["c"]);
    }

    #[test]
    fn errors_name_the_deployment_and_what_was_seen() {
        let err = RolloutError::Timeout {
            name: "web".to_owned(),
            namespace: "shop".to_owned(),
            timeout: Duration::from_secs(3),
            last: "0 of 1 updated replicas are available".to_owned(),
            diagnosis: None,
            waiting_on: None,
            watch_error: None,
        };
        assert_eq!(
            err.to_string(),
            "deployment `web` in namespace `shop` did not roll out within 3s (last seen: 0 of 1 updated replicas are available)"
        );
        let err = RolloutError::Timeout {
            name: "web".to_owned(),
            namespace: "shop".to_owned(),
            timeout: Duration::from_secs(300),
            last: "0 of 1 updated replicas are available".to_owned(),
            diagnosis: None,
            waiting_on: Some("pod web-1: init container `migrate` is still running".to_owned()),
            watch_error: Some("watch stream failed: connection reset".to_owned()),
        };
        assert_eq!(
            err.to_string(),
            "deployment `web` in namespace `shop` did not roll out within 300s (last seen: 0 of 1 \
             updated replicas are available; pod web-1: init container `migrate` is still running; \
             last watch error: watch stream failed: connection reset)"
        );
    }

    /// A scripted API server for the watch behaviour kubectl has (`watchtools.UntilWithSync`): the
    /// Deployment's watch stream ends (→ re-watch from the last resourceVersion), then answers
    /// `410 Expired` (→ relist), and the relist shows the rollout complete.
    mod scripted {
        use std::convert::Infallible;
        use std::sync::{Arc, Mutex};

        use http::{Request, Response};
        use kube::client::Body;
        use serde_json::{Value, json};

        use super::super::*;

        fn deployment(
            resource_version: &str,
            observed: i64,
            updated: i32,
            available: i32,
        ) -> Value {
            json!({
                "apiVersion": "apps/v1", "kind": "Deployment",
                "metadata": {"name": "web", "namespace": "shop", "uid": "uid-web", "generation": 2,
                             "resourceVersion": resource_version,
                             "annotations": {"deployment.kubernetes.io/revision": "2"}},
                "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                         "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "web"}]}}},
                "status": {"observedGeneration": observed, "replicas": 1, "updatedReplicas": updated,
                           "availableReplicas": available}
            })
        }

        fn list(kind: &str, resource_version: &str, items: Vec<Value>) -> Value {
            json!({"apiVersion": "v1", "kind": kind, "metadata": {"resourceVersion": resource_version}, "items": items})
        }

        #[derive(Default)]
        struct Messages(Mutex<Vec<String>>);

        impl RolloutReporter for Messages {
            fn on_progress(&self, message: &str) {
                self.0
                    .lock()
                    .expect("not poisoned")
                    .push(message.to_owned());
            }
        }

        #[derive(Default)]
        struct Script {
            /// The relist after the 410 no longer has the Deployment.
            deleted_meanwhile: bool,
            requests: Vec<String>,
            deployment_lists: usize,
            deployment_watches: usize,
        }

        fn respond(script: &Mutex<Script>, request: &Request<Body>) -> Option<String> {
            let mut script = script.lock().expect("not poisoned");
            let uri = request.uri();
            script.requests.push(uri.to_string());
            let watch = uri.query().unwrap_or_default().contains("watch=true");
            let body = match uri.path() {
                "/apis/apps/v1/namespaces/shop/deployments/web" => deployment("1", 1, 1, 1).to_string(),
                "/apis/apps/v1/namespaces/shop/deployments" if !watch => {
                    script.deployment_lists += 1;
                    if script.deployment_lists == 1 {
                        list("DeploymentList", "1", vec![deployment("1", 1, 1, 1)]).to_string()
                    } else if script.deleted_meanwhile {
                        list("DeploymentList", "10", vec![]).to_string()
                    } else {
                        list("DeploymentList", "10", vec![deployment("10", 2, 1, 1)]).to_string()
                    }
                }
                "/apis/apps/v1/namespaces/shop/deployments" => {
                    script.deployment_watches += 1;
                    match script.deployment_watches {
                        // One change, then the stream ends.
                        1 => json!({"type": "MODIFIED", "object": deployment("2", 2, 0, 1)}).to_string() + "\n",
                        2 => json!({"type": "ERROR", "object": {
                            "apiVersion": "v1", "kind": "Status", "metadata": {}, "status": "Failure",
                            "message": "too old resource version: 2 (9)", "reason": "Expired", "code": 410
                        }})
                        .to_string()
                            + "\n",
                        _ => return None,
                    }
                }
                "/apis/apps/v1/namespaces/shop/replicasets" => list(
                    "ReplicaSetList",
                    "1",
                    vec![json!({
                        "metadata": {"name": "web-abc", "namespace": "shop",
                                     "labels": {"app": "web", "pod-template-hash": "abc"},
                                     "annotations": {"deployment.kubernetes.io/revision": "2"},
                                     "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "web",
                                                          "uid": "uid-web", "controller": true}]},
                        "spec": {"selector": {"matchLabels": {"app": "web"}}}
                    })],
                )
                .to_string(),
                "/api/v1/namespaces/shop/pods" | "/api/v1/namespaces/shop/events" if watch => return None,
                "/api/v1/namespaces/shop/pods" => list("PodList", "1", vec![]).to_string(),
                "/api/v1/namespaces/shop/events" => list("EventList", "1", vec![]).to_string(),
                other => panic!("unexpected request {other}"),
            };
            Some(body)
        }

        fn client(script: &Arc<Mutex<Script>>) -> kube::Client {
            let script = Arc::clone(script);
            let service = tower::service_fn(move |request: Request<Body>| {
                let body = respond(&script, &request);
                async move {
                    // Watches with nothing scripted stay open, like a quiet API server.
                    let Some(body) = body else {
                        std::future::pending::<()>().await;
                        unreachable!()
                    };
                    Ok::<_, Infallible>(Response::new(Body::from(body.into_bytes())))
                }
            });
            kube::Client::new(service, "shop")
        }

        #[tokio::test]
        async fn relist_without_the_deployment_means_it_was_deleted() {
            let script = Arc::new(Mutex::new(Script {
                deleted_meanwhile: true,
                ..Script::default()
            }));
            let err = RolloutWait::new(Duration::from_secs(20))
                .run(&client(&script), "shop", "web", &NoopRolloutReporter)
                .await
                .expect_err("deleted");
            assert!(matches!(err, RolloutError::Deleted { .. }), "{err}");
        }

        #[tokio::test]
        async fn stream_end_rewatches_and_410_relists() {
            let script = Arc::new(Mutex::new(Script::default()));
            let client = client(&script);

            let messages = Messages::default();
            let outcome = RolloutWait::new(Duration::from_secs(20))
                .run(&client, "shop", "web", &messages)
                .await
                .expect("complete after the relist");
            assert_eq!(
                (outcome.replicas, outcome.revision.as_deref()),
                (1, Some("2"))
            );
            assert_eq!(
                *messages.0.lock().expect("not poisoned"),
                [
                    "Waiting for deployment spec update to be observed",
                    "0 out of 1 new replicas have been updated",
                ]
            );
            let script = script.lock().expect("not poisoned");
            let deployment_requests: Vec<&String> = script
                .requests
                .iter()
                .filter(|r| r.contains("/deployments?"))
                .collect();
            assert_eq!(
                script.deployment_lists, 2,
                "relisted after 410: {deployment_requests:#?}"
            );
            assert_eq!(script.deployment_watches, 2, "{deployment_requests:#?}");
            assert!(
                deployment_requests[2].contains("watch=true")
                    && deployment_requests[2].contains("resourceVersion=2"),
                "re-watched from the last resourceVersion after the stream ended: {deployment_requests:#?}"
            );
            assert!(
                !script
                    .requests
                    .iter()
                    .any(|r| r.contains("/pods") && !r.contains("labelSelector=app%3Dweb")),
                "pods are selected by the Deployment's selector: {:#?}",
                script.requests
            );
        }
    }
}
