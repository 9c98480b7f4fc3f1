//! Why a rollout is not progressing: a pure classification of pods, their events and log tails into
//! one [`Diagnosis`] (the semantics of Skaffold's pod validator, `pkg/diag/validator/pod.go`), and
//! [`gather`], which fetches those inputs from the cluster.
//!
//! What is a failure: image pull errors, crash loops, OOM kills, containers that exited non-zero,
//! `CreateContainerConfigError` (a missing ConfigMap, Secret or key), `RunContainerError` /
//! `CreateContainerError`, unschedulable pods, and running pods whose probes keep failing
//! (`Unhealthy` events). What is not: `ContainerCreating`, `PodInitializing`, pods being deleted, a
//! running pod with no failing probe yet — those are waited for.
//!
//! This module does not decide *when* to give up; [`Diagnosis::settle_time`] says how long a
//! diagnosis should persist before [`super::rollout`] treats it as final.

#![allow(
    clippy::doc_markdown,
    reason = "Kubernetes kinds (ConfigMap, ReplicaSet) are words here"
)]

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use futures_util::future::join_all;
use k8s_openapi::api::core::v1::{
    Container, ContainerStateTerminated, ContainerStatus, Event, Pod, PodCondition, Probe,
};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use k8s_openapi::jiff::Timestamp;
use kube::api::{Api, ListParams, LogParams};

use super::KubeError;

/// How many log lines of a failing container a diagnosis shows.
pub const LOG_TAIL_LINES: usize = 10;
/// Longest log line shown; longer lines are cut with `…`.
const MAX_LOG_LINE: usize = 200;

/// Log tails keyed by `(pod, container)`: the previous instance's log when the container has
/// restarted, else the current one.
pub type LogTails = BTreeMap<(String, String), Vec<String>>;

/// The class of a pod failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DiagnosisKind {
    /// `ErrImagePull`, `ImagePullBackOff`, `ErrImagePullBackOff` or `InvalidImageName`.
    ImagePull,
    /// `CrashLoopBackOff`: the container starts and exits, again and again.
    CrashLoop,
    /// The container was killed for exceeding its memory limit (`OOMKilled`).
    OutOfMemory,
    /// The container has exited with a non-zero code (not yet in back-off).
    Exited,
    /// `CreateContainerConfigError`: typically a missing ConfigMap or Secret.
    ContainerConfig,
    /// `RunContainerError` / `CreateContainerError`: the runtime could not start the command.
    RunContainer,
    /// The scheduler finds no node for the pod (`PodScheduled=False`, reason `Unschedulable`).
    Unschedulable,
    /// Running, but a probe keeps failing (`Unhealthy` events), so the pod never becomes ready.
    Unready,
}

impl DiagnosisKind {
    /// How long this state should persist before a rollout wait gives up on it.
    ///
    /// Zero for states that do not heal by waiting (Skaffold's non-retryable codes, plus a missing
    /// ConfigMap or Secret, which the same deploy cannot create); `grace` for states that may
    /// resolve on their own: a slow app that becomes ready, a node that joins the cluster.
    #[must_use]
    pub fn settle_time(self, grace: Duration) -> Duration {
        match self {
            Self::Unschedulable | Self::Unready => grace,
            _ => Duration::ZERO,
        }
    }

    /// What the pod does, as the end of a sentence starting with the pod: `keeps crashing`.
    #[must_use]
    pub fn describe(self) -> &'static str {
        match self {
            Self::ImagePull => "cannot pull its image",
            Self::CrashLoop => "keeps crashing",
            Self::OutOfMemory => "runs out of memory",
            Self::Exited => "has a container that exited with an error",
            Self::ContainerConfig => "cannot create its container",
            Self::RunContainer => "cannot start its container",
            Self::Unschedulable => "cannot be scheduled",
            Self::Unready => "never becomes ready",
        }
    }

    /// A stable lower-case name, e.g. for JSON output: `image-pull`, `crash-loop`, …
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ImagePull => "image-pull",
            Self::CrashLoop => "crash-loop",
            Self::OutOfMemory => "out-of-memory",
            Self::Exited => "exited",
            Self::ContainerConfig => "container-config",
            Self::RunContainer => "run-container",
            Self::Unschedulable => "unschedulable",
            Self::Unready => "unready",
        }
    }
}

impl fmt::Display for DiagnosisKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a pod does not become ready, in a form the command layer prints as is ([`fmt::Display`])
/// or serializes for `--output json`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnosis {
    /// The class of failure.
    pub kind: DiagnosisKind,
    /// The pod it was seen on (the first, by name, when several fail the same way).
    pub pod: String,
    /// The container, when the failure is a container's.
    pub container: Option<String>,
    /// One line: what is wrong.
    pub summary: String,
    /// Supporting facts, one per line: the kubelet's or scheduler's message, the probe, the limit.
    pub details: Vec<String>,
    /// The last lines the container logged (previous instance after a restart); may be empty.
    pub log_tail: Vec<String>,
    /// What to try next.
    pub hint: String,
    /// True when the cause may go away without changing the app (a node joins, a missing object
    /// is created, a slow app becomes ready), so retrying later can succeed.
    pub retryable: bool,
    /// True when the kubelet retries on its own and the state is known to clear while the same
    /// rollout waits: a `CreateContainerConfigError` that names nothing missing (`failed to sync
    /// configmap cache: timed out waiting for the condition`, a busy node).
    #[serde(skip)]
    pub transient: bool,
}

impl Diagnosis {
    /// How long this diagnosis should persist before a rollout wait gives up on it: the kind's
    /// [`DiagnosisKind::settle_time`], or `grace` for a [`transient`](Self::transient) state.
    #[must_use]
    pub fn settle_time(&self, grace: Duration) -> Duration {
        if self.transient {
            grace
        } else {
            self.kind.settle_time(grace)
        }
    }
}

impl fmt::Display for Diagnosis {
    /// Renders at most about 20 lines:
    ///
    /// ```text
    /// pod web-7d9c5-x2k4q: container `web` keeps crashing (exit code 1, 4 restarts)
    ///   last log lines:
    ///     …
    ///   hint: …
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "pod {}: {}", self.pod, self.summary)?;
        for detail in &self.details {
            write!(f, "\n  {detail}")?;
        }
        if !self.log_tail.is_empty() {
            let container = self
                .container
                .as_deref()
                .map(|c| format!(" of `{c}`"))
                .unwrap_or_default();
            write!(f, "\n  last log lines{container}:")?;
            for line in &self.log_tail {
                write!(f, "\n    {line}")?;
            }
        }
        if !self.hint.is_empty() {
            write!(f, "\n  hint: {}", self.hint)?;
        }
        Ok(())
    }
}

/// Classifies the pods of a rollout and returns the most telling failure, or `None` while
/// nothing is wrong yet.
///
/// Pods being deleted are ignored. A failure that will not heal by waiting wins over one that may
/// (`retryable`); among equals the first pod by name wins, and the diagnosis says how many other
/// pods fail the same way. `events` may hold events of other objects: only those whose
/// `involvedObject` is one of `pods` are read. `log_tail` is shown for the diagnosed container.
#[must_use]
pub fn diagnose(pods: &[Pod], events: &[Event], log_tail: &LogTails) -> Option<Diagnosis> {
    let mut sorted: Vec<&Pod> = pods
        .iter()
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        .collect();
    sorted.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    let found: Vec<Diagnosis> = sorted
        .into_iter()
        .filter_map(|pod| diagnose_pod(pod, &events_of(pod, events), log_tail))
        .collect();
    let best = found
        .iter()
        .find(|d| !d.retryable)
        .or_else(|| found.first())?
        .clone();
    let others: Vec<&str> = found
        .iter()
        .filter(|d| d.kind == best.kind && d.pod != best.pod)
        .map(|d| d.pod.as_str())
        .collect();
    let mut best = best;
    match others.len() {
        0 => {}
        1 => best
            .details
            .push(format!("pod {} fails the same way", others[0])),
        n => best
            .details
            .push(format!("{n} more pods fail the same way")),
    }
    Some(best)
}

/// Says what the first pod (by name) that is not ready is waiting for, when [`diagnose`] finds
/// nothing wrong: e.g. ``pod web-1: init container `migrate` is still running`` or
/// ``pod web-1: container `web` is waiting (ContainerCreating)``. For a timeout message.
#[must_use]
pub fn waiting_on(pods: &[Pod]) -> Option<String> {
    let mut sorted: Vec<&Pod> = pods
        .iter()
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        .filter(|p| condition(p, "Ready").is_none_or(|c| c.status != "True"))
        .collect();
    sorted.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    let pod = sorted.first()?;
    let name = pod.metadata.name.as_deref().unwrap_or_default();
    let Some(status) = pod.status.as_ref() else {
        return Some(format!("pod {name} has no status yet"));
    };
    if pod
        .spec
        .as_ref()
        .and_then(|s| s.node_name.as_ref())
        .is_none()
        && condition(pod, "PodScheduled").is_none_or(|c| c.status != "True")
    {
        return Some(format!("pod {name} is not scheduled yet"));
    }
    for init in status.init_container_statuses.iter().flatten() {
        let state = init.state.as_ref();
        if state.is_some_and(|s| s.running.is_some()) {
            return Some(format!(
                "pod {name}: init container `{}` is still running",
                init.name
            ));
        }
        if let Some(reason) = state
            .and_then(|s| s.waiting.as_ref())
            .and_then(|w| w.reason.as_deref())
        {
            return Some(format!(
                "pod {name}: init container `{}` is waiting ({reason})",
                init.name
            ));
        }
    }
    for container in status
        .container_statuses
        .iter()
        .flatten()
        .filter(|c| !c.ready)
    {
        let state = container.state.as_ref();
        if let Some(reason) = state
            .and_then(|s| s.waiting.as_ref())
            .and_then(|w| w.reason.as_deref())
        {
            return Some(format!(
                "pod {name}: container `{}` is waiting ({reason})",
                container.name
            ));
        }
        if state.is_some_and(|s| s.running.is_some()) {
            return Some(format!(
                "pod {name}: container `{}` is running but not ready",
                container.name
            ));
        }
    }
    Some(format!(
        "pod {name} is {}",
        status.phase.as_deref().unwrap_or("Pending")
    ))
}

/// The events about `pod`, oldest first.
fn events_of<'a>(pod: &Pod, events: &'a [Event]) -> Vec<&'a Event> {
    let mut mine: Vec<&Event> = events
        .iter()
        .filter(|e| {
            let object = &e.involved_object;
            object.kind.as_deref().is_none_or(|k| k == "Pod")
                && object.name == pod.metadata.name
                && match (&object.uid, &pod.metadata.uid) {
                    (Some(a), Some(b)) => a == b,
                    _ => true,
                }
        })
        .collect();
    mine.sort_by_key(|e| event_time(e));
    mine
}

/// When an event last happened (the newest of the times it carries).
#[must_use]
pub fn event_time(event: &Event) -> Option<Timestamp> {
    event
        .last_timestamp
        .as_ref()
        .map(|t| t.0)
        .or_else(|| event.event_time.as_ref().map(|t| t.0))
        .or_else(|| event.first_timestamp.as_ref().map(|t| t.0))
        .or_else(|| event.metadata.creation_timestamp.as_ref().map(|t| t.0))
}

/// The latest event with one of `reasons`.
fn latest<'a>(events: &[&'a Event], reasons: &[&str]) -> Option<&'a Event> {
    events
        .iter()
        .rev()
        .find(|e| e.reason.as_deref().is_some_and(|r| reasons.contains(&r)))
        .copied()
}

fn condition<'a>(pod: &'a Pod, type_: &str) -> Option<&'a PodCondition> {
    pod.status
        .as_ref()?
        .conditions
        .as_ref()?
        .iter()
        .find(|c| c.type_ == type_)
}

fn diagnose_pod(pod: &Pod, events: &[&Event], logs: &LogTails) -> Option<Diagnosis> {
    let name = pod.metadata.name.clone().unwrap_or_default();
    let status = pod.status.as_ref()?;

    if let Some(scheduled) = condition(pod, "PodScheduled")
        && scheduled.status == "False"
        && scheduled.reason.as_deref() == Some("Unschedulable")
    {
        // The cluster autoscaler is adding a node for this pod: that is waited for.
        if latest(events, &["TriggeredScaleUp", "NotTriggerScaleUp"])
            .is_some_and(|e| e.reason.as_deref() == Some("TriggeredScaleUp"))
        {
            return None;
        }
        let message = scheduled
            .message
            .clone()
            .or_else(|| latest(events, &["FailedScheduling"]).and_then(|e| e.message.clone()))
            .unwrap_or_default();
        return Some(unschedulable(pod, name, &message));
    }

    let init = status.init_container_statuses.iter().flatten();
    let regular = status.container_statuses.iter().flatten();
    for container in init.chain(regular) {
        if let Some(diagnosis) = diagnose_container(pod, &name, container, events, logs) {
            return Some(diagnosis);
        }
    }

    let running = status.phase.as_deref() == Some("Running");
    let ready = condition(pod, "Ready").is_some_and(|c| c.status == "True");
    if running && !ready {
        return unready(pod, name, events, logs);
    }
    None
}

const IMAGE_PULL_REASONS: [&str; 4] = [
    "ErrImagePull",
    "ImagePullBackOff",
    "ErrImagePullBackOff",
    "InvalidImageName",
];

fn diagnose_container(
    pod: &Pod,
    pod_name: &str,
    status: &ContainerStatus,
    events: &[&Event],
    logs: &LogTails,
) -> Option<Diagnosis> {
    let container = status.name.clone();
    let state = status.state.as_ref()?;
    let last_terminated = status
        .last_state
        .as_ref()
        .and_then(|s| s.terminated.as_ref());
    let log_tail = || {
        logs.get(&(pod_name.to_owned(), container.clone()))
            .cloned()
            .unwrap_or_default()
    };
    let base = |kind, summary: String, details: Vec<String>, hint: String, retryable| Diagnosis {
        kind,
        pod: pod_name.to_owned(),
        container: Some(container.clone()),
        summary,
        details,
        log_tail: Vec::new(),
        hint,
        retryable,
        transient: false,
    };

    if let Some(waiting) = &state.waiting {
        let reason = waiting.reason.as_deref().unwrap_or_default();
        let message = waiting.message.clone().unwrap_or_default();
        if IMAGE_PULL_REASONS.contains(&reason) {
            let image = spec_container(pod, &container)
                .and_then(|c| c.image.clone())
                .unwrap_or_else(|| status.image.clone());
            let host = crate::registry::reference::registry_of(&image);
            // The kubelet's `Failed` event has the registry's answer; the back-off message does not.
            let cause = latest(events, &["Failed"])
                .and_then(|e| e.message.clone())
                .filter(|m| m.contains("pull") || m.contains("image"))
                .unwrap_or(message);
            let mut details = vec![format!("registry: {host}")];
            if !cause.is_empty() {
                details.push(format!("kubelet: {}", one_line(&cause)));
            }
            let hint = if reason == "InvalidImageName" {
                format!("`{image}` is not a valid image reference")
            } else {
                format!(
                    "check that `{image}` was pushed to `{host}` and that the cluster can pull from it: \
                     a private registry needs an imagePullSecret, and `paas up` must push to the \
                     registry the cluster pulls from"
                )
            };
            return Some(base(
                DiagnosisKind::ImagePull,
                format!("container `{container}` cannot pull image `{image}` ({reason})"),
                details,
                hint,
                false,
            ));
        }
        match reason {
            "CrashLoopBackOff" => {
                let mut diagnosis = crashed(pod, &container, status, last_terminated, &base, true);
                diagnosis.log_tail = log_tail();
                return Some(diagnosis);
            }
            "CreateContainerConfigError" => {
                let cause = if message.is_empty() {
                    latest(events, &["Failed"])
                        .and_then(|e| e.message.clone())
                        .unwrap_or_default()
                } else {
                    message
                };
                return Some(container_config(pod, &container, &cause, &base));
            }
            "RunContainerError" | "CreateContainerError" | "StartError" => {
                let mut details = Vec::new();
                if !message.is_empty() {
                    details.push(format!("runtime: {}", one_line(&message)));
                }
                let mut diagnosis = base(
                    DiagnosisKind::RunContainer,
                    format!("container `{container}` could not be started ({reason})"),
                    details,
                    "check the image's entrypoint and the container's command, args and working directory"
                        .to_owned(),
                    false,
                );
                diagnosis.log_tail = log_tail();
                return Some(diagnosis);
            }
            _ => return None,
        }
    }
    if let Some(terminated) = &state.terminated
        && terminated.exit_code != 0
    {
        // While it backs off before the next restart, a kubelet may report the last exit as the
        // state, never `CrashLoopBackOff` (the real node of the tests, 1.36, does): a container that
        // has restarted, or that the kubelet backs off, is looping all the same.
        let looping = status.restart_count > 0 || backed_off(events, &container);
        let mut diagnosis = crashed(pod, &container, status, Some(terminated), &base, looping);
        diagnosis.log_tail = log_tail();
        return Some(diagnosis);
    }
    None
}

/// Whether the kubelet backs off restarting `container` (its `BackOff` event: "Back-off restarting
/// failed container web in pod …"; the same reason also means an image pull back-off).
fn backed_off(events: &[&Event], container: &str) -> bool {
    let needle = format!("restarting failed container {container} ");
    events.iter().any(|e| {
        e.reason.as_deref() == Some("BackOff")
            && e.message.as_deref().is_some_and(|m| m.contains(&needle))
    })
}

/// A container that exited: in back-off (`looping`) or just terminated.
fn crashed(
    pod: &Pod,
    container: &str,
    status: &ContainerStatus,
    terminated: Option<&ContainerStateTerminated>,
    base: &dyn Fn(DiagnosisKind, String, Vec<String>, String, bool) -> Diagnosis,
    looping: bool,
) -> Diagnosis {
    let restarts = match status.restart_count {
        1 => "1 restart".to_owned(),
        n => format!("{n} restarts"),
    };
    let exit = terminated.map(|t| t.exit_code);
    let reason = terminated.and_then(|t| t.reason.as_deref());
    let mut details = Vec::new();
    if let Some(message) = terminated
        .and_then(|t| t.message.as_deref())
        .filter(|m| !m.trim().is_empty())
    {
        details.push(format!("termination message: {}", one_line(message)));
    }
    if reason == Some("OOMKilled") || exit == Some(137) && reason != Some("Error") {
        let limit = spec_container(pod, container)
            .and_then(|c| c.resources.as_ref())
            .and_then(|r| r.limits.as_ref())
            .and_then(|l| l.get("memory"))
            .map(|q| q.0.clone());
        let (summary, hint) = match &limit {
            Some(limit) => (
                format!("container `{container}` was killed for using more than its memory limit of {limit} ({restarts})"),
                format!("raise `memory_limit` in paas.toml (now {limit}), or find what makes the app use more memory"),
            ),
            None => (
                format!("container `{container}` was killed for running out of memory ({restarts})"),
                "it has no memory limit, so the node ran out of memory: set `memory_request` and `memory_limit` in paas.toml"
                    .to_owned(),
            ),
        };
        details.insert(0, "last exit: OOMKilled (exit code 137)".to_owned());
        return base(DiagnosisKind::OutOfMemory, summary, details, hint, false);
    }
    let code = exit.map_or_else(
        || "exit code unknown".to_owned(),
        |c| format!("exit code {c}"),
    );
    let (kind, summary) = if looping {
        (
            DiagnosisKind::CrashLoop,
            format!("container `{container}` keeps crashing ({code}, {restarts})"),
        )
    } else {
        (
            DiagnosisKind::Exited,
            format!("container `{container}` exited ({code})"),
        )
    };
    if let Some(reason) = reason.filter(|r| *r != "Error" && *r != "Completed") {
        details.insert(0, format!("last exit: {reason}"));
    }
    base(
        kind,
        summary,
        details,
        "the app exits right after it starts: read its log above, and check its command, environment and configuration"
            .to_owned(),
        false,
    )
}

fn container_config(
    pod: &Pod,
    container: &str,
    cause: &str,
    base: &dyn Fn(DiagnosisKind, String, Vec<String>, String, bool) -> Diagnosis,
) -> Diagnosis {
    let namespace = pod.metadata.namespace.as_deref().unwrap_or("default");
    let mut details = Vec::new();
    if !cause.is_empty() {
        details.push(format!("kubelet: {}", one_line(cause)));
    }
    let missing = missing_reference(cause);
    let transient = missing.is_none();
    let (summary, hint) = match missing {
        Some(Missing::Object { kind, name }) => (
            format!("container `{container}` cannot start: {kind} `{name}` does not exist"),
            format!(
                "create {kind} `{name}` in namespace `{namespace}`, or stop referencing it \
                 (env, envFrom, volumes); the pod starts once it exists"
            ),
        ),
        Some(Missing::Key { kind, name, key }) => (
            format!("container `{container}` cannot start: {kind} `{name}` has no key `{key}`"),
            format!(
                "add key `{key}` to {kind} `{name}` in namespace `{namespace}`, or stop referencing it \
                 (env valueFrom, or mark the reference `optional: true`); the pod starts once the key exists"
            ),
        ),
        None => (
            format!("container `{container}` cannot start: its configuration is invalid (CreateContainerConfigError)"),
            "check the ConfigMaps, Secrets and keys the container's env, envFrom and volumes reference".to_owned(),
        ),
    };
    Diagnosis {
        transient,
        ..base(DiagnosisKind::ContainerConfig, summary, details, hint, true)
    }
}

/// What a `CreateContainerConfigError` says is missing.
#[derive(Debug, PartialEq, Eq)]
enum Missing {
    /// `configmap "x" not found` / `secret "x" not found`.
    Object { kind: &'static str, name: String },
    /// The kubelet's `couldn't find key K in ConfigMap NS/NAME` (or `in Secret NS/NAME`): the object
    /// exists, one key an `env` entry takes its value from does not.
    Key {
        kind: &'static str,
        name: String,
        key: String,
    },
}

fn missing_reference(message: &str) -> Option<Missing> {
    let lower = message.to_ascii_lowercase();
    for (needle, kind) in [("configmap \"", "ConfigMap"), ("secret \"", "Secret")] {
        if let Some(start) = lower.find(needle) {
            let rest = &message[start + needle.len()..];
            if let Some(end) = rest.find('"')
                && rest[end..].contains("not found")
            {
                return Some(Missing::Object {
                    kind,
                    name: rest[..end].to_owned(),
                });
            }
        }
    }
    let rest = &message[message.find("couldn't find key ")? + "couldn't find key ".len()..];
    let (key, rest) = rest.split_once(" in ")?;
    let (kind, object) = rest.split_once(' ')?;
    let kind = match kind {
        "ConfigMap" => "ConfigMap",
        "Secret" => "Secret",
        _ => return None,
    };
    let object = object.split_whitespace().next()?;
    let name = object.rsplit_once('/').map_or(object, |(_, name)| name);
    Some(Missing::Key {
        kind,
        name: name.to_owned(),
        key: key.to_owned(),
    })
}

fn unschedulable(pod: &Pod, name: String, message: &str) -> Diagnosis {
    let spec = pod.spec.as_ref();
    let selector: Vec<String> = spec
        .and_then(|s| s.node_selector.as_ref())
        .map(|s| s.iter().map(|(k, v)| format!("{k}={v}")).collect())
        .unwrap_or_default();
    // The scheduler appends "preemption: …", which only repeats the count, and (1.34+, DRA)
    // "no new claims to deallocate", which says nothing here.
    let reason = message
        .split(" preemption:")
        .next()
        .unwrap_or(message)
        .replace(" no new claims to deallocate", "");
    let reason = reason.trim().trim_end_matches(',');
    let mut details = vec![format!("scheduler: {}", one_line(reason))];
    if !selector.is_empty() {
        details.push(format!("nodeSelector: {}", selector.join(", ")));
    }
    let hint = if reason.contains("node affinity/selector") {
        "no node has the labels the pod's nodeSelector or affinity asks for: label a node, or remove the selector"
    } else if reason.contains("Insufficient") {
        "the nodes lack the CPU or memory the pod requests: lower `cpu_request` / `memory_request` in paas.toml, or add nodes"
    } else if reason.contains("taint") {
        "every node has a taint the pod does not tolerate: add a toleration, or schedule on untainted nodes"
    } else {
        "no node can run the pod: check its nodeSelector, affinity, tolerations and resource requests against the nodes"
    };
    Diagnosis {
        kind: DiagnosisKind::Unschedulable,
        pod: name,
        container: None,
        summary: "no node can run the pod (Unschedulable)".to_owned(),
        details,
        log_tail: Vec::new(),
        hint: hint.to_owned(),
        retryable: true,
        transient: false,
    }
}

/// A running pod that is not ready is a failure only once the kubelet reports a failing probe.
fn unready(pod: &Pod, name: String, events: &[&Event], logs: &LogTails) -> Option<Diagnosis> {
    let event = latest(events, &["Unhealthy"])?;
    let message = event.message.clone().unwrap_or_default();
    let kind = if message.starts_with("Liveness") {
        "liveness"
    } else if message.starts_with("Startup") {
        "startup"
    } else {
        "readiness"
    };
    // `spec.containers{web}` names the container; otherwise take the first not-ready one.
    let container = event
        .involved_object
        .field_path
        .as_deref()
        .and_then(|p| p.strip_prefix("spec.containers{"))
        .and_then(|p| p.strip_suffix('}'))
        .map(str::to_owned)
        .or_else(|| {
            pod.status
                .as_ref()?
                .container_statuses
                .as_ref()?
                .iter()
                .find(|s| !s.ready)
                .map(|s| s.name.clone())
        })
        .or_else(|| {
            pod.spec
                .as_ref()?
                .containers
                .first()
                .map(|c| c.name.clone())
        })?;
    let spec = spec_container(pod, &container);
    let probe = spec.and_then(|c| match kind {
        "liveness" => c.liveness_probe.as_ref(),
        "startup" => c.startup_probe.as_ref(),
        _ => c.readiness_probe.as_ref(),
    });
    let times = match event
        .count
        .or_else(|| event.series.as_ref().and_then(|s| s.count))
    {
        Some(n) if n > 1 => format!(", {n} times"),
        _ => String::new(),
    };
    let mut details = Vec::new();
    if let Some(probe) = probe {
        details.push(format!("{kind} probe: {}", describe_probe(probe)));
    }
    details.push(format!("kubelet: {}", one_line(&message)));
    let hint = match probe.and_then(|p| p.http_get.as_ref()) {
        Some(http) => format!(
            "the app must answer GET {} on port {} with a 2xx status once it is ready: check the port \
             it listens on (`port`) and `health_path` in paas.toml",
            http.path.as_deref().unwrap_or("/"),
            port(&http.port),
        ),
        None => "check that the app listens on the port in paas.toml (`port`) and that the probe can reach it"
            .to_owned(),
    };
    Some(Diagnosis {
        kind: DiagnosisKind::Unready,
        pod: name.clone(),
        summary: format!("container `{container}` runs but its {kind} probe fails{times}"),
        log_tail: logs
            .get(&(name, container.clone()))
            .cloned()
            .unwrap_or_default(),
        container: Some(container),
        details,
        hint,
        retryable: true,
        transient: false,
    })
}

fn describe_probe(probe: &Probe) -> String {
    if let Some(http) = &probe.http_get {
        let scheme = http.scheme.as_deref().unwrap_or("HTTP");
        format!(
            "{scheme} GET {} on port {}",
            http.path.as_deref().unwrap_or("/"),
            port(&http.port)
        )
    } else if let Some(tcp) = &probe.tcp_socket {
        format!("TCP connect to port {}", port(&tcp.port))
    } else if let Some(grpc) = &probe.grpc {
        format!("gRPC health check on port {}", grpc.port)
    } else if let Some(exec) = &probe.exec {
        format!(
            "exec `{}`",
            exec.command
                .iter()
                .flatten()
                .cloned()
                .collect::<Vec<_>>()
                .join(" ")
        )
    } else {
        "unknown".to_owned()
    }
}

fn port(port: &IntOrString) -> String {
    match port {
        IntOrString::Int(n) => n.to_string(),
        IntOrString::String(s) => s.clone(),
    }
}

fn spec_container<'a>(pod: &'a Pod, name: &str) -> Option<&'a Container> {
    let spec = pod.spec.as_ref()?;
    spec.containers
        .iter()
        .chain(spec.init_containers.iter().flatten())
        .find(|c| c.name == name)
}

/// Collapses a message to one line.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Makes a log line safe and short for a terminal: control characters (escape sequences
/// included) are shown escaped, and long lines are cut.
#[must_use]
pub fn sanitize_log_line(line: &str) -> String {
    let line = line.trim_end_matches(['\r', '\n']);
    // A JSON line reads as time, level, message and fields (as `paas logs` shows it), before it
    // is cut: a cut JSON object no longer parses.
    let readable = crate::logline::readable(line);
    let line = readable.as_deref().unwrap_or(line);
    let cut = line.char_indices().nth(MAX_LOG_LINE).map(|(at, _)| at);
    let mut out = super::logs::neutralize(&line[..cut.unwrap_or(line.len())]).into_owned();
    if cut.is_some() {
        out.push('…');
    }
    out
}

/// What [`diagnose`] reads, fetched from the cluster.
#[derive(Debug, Clone, Default)]
pub struct DiagnosisInputs {
    /// The pods matching the selector.
    pub pods: Vec<Pod>,
    /// The events about those pods.
    pub events: Vec<Event>,
    /// Log tails of their restarted or unready containers.
    pub log_tail: LogTails,
}

impl DiagnosisInputs {
    /// Runs [`diagnose`] on these inputs.
    #[must_use]
    pub fn diagnose(&self) -> Option<Diagnosis> {
        diagnose(&self.pods, &self.events, &self.log_tail)
    }
}

/// Fetches what [`diagnose`] needs for the pods matching `label_selector` in `namespace`: the
/// pods, their events (`fieldSelector=involvedObject.name=POD`), and the last
/// [`LOG_TAIL_LINES`] log lines of each container worth reading (see [`log_tails`]).
///
/// A missing log (the container never ran, the node does not serve logs) is skipped, not an
/// error.
pub async fn gather(
    client: &kube::Client,
    namespace: &str,
    label_selector: &str,
) -> Result<DiagnosisInputs, KubeError> {
    let pods_api: Api<Pod> = Api::namespaced(client.clone(), namespace);
    let pods = pods_api
        .list(&ListParams::default().labels(label_selector))
        .await
        .map_err(|source| KubeError::Api {
            action: format!("list pods with labels `{label_selector}`"),
            namespace: namespace.to_owned(),
            source,
        })?
        .items;
    let events_api: Api<Event> = Api::namespaced(client.clone(), namespace);
    let lists = join_all(
        pods.iter()
            .filter_map(|p| p.metadata.name.as_deref())
            .map(|name| {
                let events_api = events_api.clone();
                async move {
                    events_api
                        .list(&ListParams::default().fields(&format!("involvedObject.name={name}")))
                        .await
                        .map_err(|source| KubeError::Api {
                            action: format!("list the events of pod `{name}`"),
                            namespace: namespace.to_owned(),
                            source,
                        })
                }
            }),
    )
    .await;
    let mut events = Vec::new();
    for list in lists {
        events.extend(list?.items);
    }
    let log_tail = log_tails(client, namespace, &pods).await;
    Ok(DiagnosisInputs {
        pods,
        events,
        log_tail,
    })
}

/// Fetches the last [`LOG_TAIL_LINES`] lines of every container of `pods` that has restarted or
/// terminated (the previous instance's log, `previous=true`, after a restart) or runs without
/// being ready (the current log). Lines are passed through [`sanitize_log_line`]. Logs that
/// cannot be read are left out.
pub async fn log_tails(client: &kube::Client, namespace: &str, pods: &[Pod]) -> LogTails {
    let api: Api<Pod> = Api::namespaced(client.clone(), namespace);
    let mut wanted = Vec::new();
    for pod in pods {
        let Some(name) = pod.metadata.name.clone() else {
            continue;
        };
        let statuses = pod.status.as_ref().into_iter().flat_map(|s| {
            s.init_container_statuses
                .iter()
                .flatten()
                .chain(s.container_statuses.iter().flatten())
        });
        for status in statuses {
            let restarted = status.restart_count > 0
                || status
                    .last_state
                    .as_ref()
                    .is_some_and(|s| s.terminated.is_some());
            let state = status.state.as_ref();
            let terminated = state.is_some_and(|s| s.terminated.is_some());
            let running_unready = state.is_some_and(|s| s.running.is_some()) && !status.ready;
            if restarted && !terminated {
                wanted.push((name.clone(), status.name.clone(), true));
            } else if terminated || running_unready {
                wanted.push((name.clone(), status.name.clone(), false));
            }
        }
    }
    let fetched = join_all(wanted.into_iter().map(|(pod, container, previous)| {
        let api = api.clone();
        async move {
            let params = LogParams {
                container: Some(container.clone()),
                previous,
                tail_lines: Some(i64::try_from(LOG_TAIL_LINES).unwrap_or(10)),
                ..LogParams::default()
            };
            let text = api.logs(&pod, &params).await.ok()?;
            let lines: Vec<String> = text.lines().map(sanitize_log_line).collect();
            let start = lines.len().saturating_sub(LOG_TAIL_LINES);
            Some(((pod, container), lines[start..].to_vec()))
        }
    }))
    .await;
    fetched
        .into_iter()
        .flatten()
        .filter(|(_, lines)| !lines.is_empty())
        .collect()
}

#[cfg(test)]
#[allow(
    clippy::needless_pass_by_value,
    reason = "test builders take JSON literals"
)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn pod(name: &str, spec: Value, status: Value) -> Pod {
        serde_json::from_value(json!({
            "metadata": {"name": name, "namespace": "shop", "uid": format!("uid-{name}")},
            "spec": spec,
            "status": status,
        }))
        .expect("a pod")
    }

    fn web_spec() -> Value {
        json!({"containers": [{
            "name": "web",
            "image": "registry.example.com/shop/web:3f2a1c9",
            "resources": {"limits": {"memory": "256Mi"}},
            "readinessProbe": {"httpGet": {"path": "/healthz", "port": 8080}}
        }]})
    }

    fn waiting(reason: &str, message: &str) -> Value {
        json!({
            "phase": "Pending",
            "containerStatuses": [{
                "name": "web", "image": "registry.example.com/shop/web:3f2a1c9", "imageID": "",
                "ready": false, "restartCount": 0,
                "state": {"waiting": {"reason": reason, "message": message}}
            }]
        })
    }

    fn crash_status(reason: &str, exit: i32, restarts: i32) -> Value {
        json!({
            "phase": "Running",
            "conditions": [{"type": "Ready", "status": "False"}],
            "containerStatuses": [{
                "name": "web", "image": "registry.example.com/shop/web:3f2a1c9", "imageID": "",
                "ready": false, "restartCount": restarts,
                "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 10s"}},
                "lastState": {"terminated": {"exitCode": exit, "reason": reason}}
            }]
        })
    }

    fn event(pod: &str, reason: &str, message: &str, count: i32, at: &str) -> Event {
        serde_json::from_value(json!({
            "metadata": {"name": format!("{pod}.{reason}"), "namespace": "shop"},
            "involvedObject": {"kind": "Pod", "name": pod, "uid": format!("uid-{pod}"), "fieldPath": "spec.containers{web}"},
            "reason": reason, "message": message, "count": count, "type": "Warning",
            "lastTimestamp": at,
        }))
        .expect("an event")
    }

    fn logs(pod: &str, lines: &[&str]) -> LogTails {
        [(
            (pod.to_owned(), "web".to_owned()),
            lines.iter().map(|l| (*l).to_owned()).collect(),
        )]
        .into_iter()
        .collect()
    }

    #[test]
    fn image_pull_back_off_names_image_and_registry() {
        let pods = [pod(
            "web-1",
            web_spec(),
            waiting("ImagePullBackOff", "Back-off pulling image"),
        )];
        let events = [event(
            "web-1",
            "Failed",
            "Failed to pull image \"registry.example.com/shop/web:3f2a1c9\": manifest unknown",
            3,
            "2026-11-27T10:00:00Z",
        )];
        let d = diagnose(&pods, &events, &LogTails::new()).expect("a diagnosis");
        assert_eq!(d.kind, DiagnosisKind::ImagePull);
        assert!(!d.retryable);
        assert_eq!(
            d.to_string(),
            "pod web-1: container `web` cannot pull image `registry.example.com/shop/web:3f2a1c9` (ImagePullBackOff)\n  \
             registry: registry.example.com\n  \
             kubelet: Failed to pull image \"registry.example.com/shop/web:3f2a1c9\": manifest unknown\n  \
             hint: check that `registry.example.com/shop/web:3f2a1c9` was pushed to `registry.example.com` and that the cluster can pull from it: a private registry needs an imagePullSecret, and `paas up` must push to the registry the cluster pulls from"
        );
    }

    #[test]
    fn every_image_pull_reason_is_an_image_pull_failure() {
        for reason in IMAGE_PULL_REASONS {
            let pods = [pod("web-1", web_spec(), waiting(reason, "boom"))];
            let d = diagnose(&pods, &[], &LogTails::new()).expect(reason);
            assert_eq!(d.kind, DiagnosisKind::ImagePull, "{reason}");
            assert!(
                d.details.contains(&"kubelet: boom".to_owned()),
                "{reason}: {d:?}"
            );
        }
        let pods = [pod("web-1", web_spec(), waiting("InvalidImageName", "bad"))];
        let d = diagnose(&pods, &[], &LogTails::new()).expect("a diagnosis");
        assert!(d.hint.contains("not a valid image reference"), "{}", d.hint);
    }

    #[test]
    fn crash_loop_shows_exit_code_restarts_and_log_tail() {
        let pods = [pod("web-1", web_spec(), crash_status("Error", 1, 4))];
        let d = diagnose(
            &pods,
            &[],
            &logs("web-1", &["starting", "fatal: no DATABASE_URL"]),
        )
        .expect("a diagnosis");
        assert_eq!(d.kind, DiagnosisKind::CrashLoop);
        assert_eq!(
            d.to_string(),
            "pod web-1: container `web` keeps crashing (exit code 1, 4 restarts)\n  \
             last log lines of `web`:\n    \
             starting\n    \
             fatal: no DATABASE_URL\n  \
             hint: the app exits right after it starts: read its log above, and check its command, environment and configuration"
        );
    }

    #[test]
    fn oom_killed_names_the_memory_limit() {
        let pods = [pod("web-1", web_spec(), crash_status("OOMKilled", 137, 1))];
        let d = diagnose(&pods, &[], &LogTails::new()).expect("a diagnosis");
        assert_eq!(d.kind, DiagnosisKind::OutOfMemory);
        assert_eq!(
            d.summary,
            "container `web` was killed for using more than its memory limit of 256Mi (1 restart)"
        );
        assert!(
            d.hint
                .contains("raise `memory_limit` in paas.toml (now 256Mi)"),
            "{}",
            d.hint
        );

        let no_limit = json!({"containers": [{"name": "web", "image": "web:1"}]});
        let pods = [pod("web-1", no_limit, crash_status("OOMKilled", 137, 2))];
        let d = diagnose(&pods, &[], &LogTails::new()).expect("a diagnosis");
        assert_eq!(
            d.summary,
            "container `web` was killed for running out of memory (2 restarts)"
        );
    }

    #[test]
    fn terminated_non_zero_is_an_exit_and_zero_is_not() {
        let status = |code: i32| {
            json!({"phase": "Running", "containerStatuses": [{
                "name": "web", "image": "web:1", "imageID": "", "ready": false, "restartCount": 0,
                "state": {"terminated": {"exitCode": code, "reason": if code == 0 { "Completed" } else { "Error" }}}
            }]})
        };
        let d = diagnose(
            &[pod("web-1", web_spec(), status(2))],
            &[],
            &LogTails::new(),
        )
        .expect("a diagnosis");
        assert_eq!(
            (d.kind, d.summary.as_str()),
            (
                DiagnosisKind::Exited,
                "container `web` exited (exit code 2)"
            )
        );
        assert_eq!(
            diagnose(
                &[pod("web-1", web_spec(), status(0))],
                &[],
                &LogTails::new()
            ),
            None
        );
    }

    /// What the real node of the tests reports for a crash loop: the last exit as the state (no
    /// `CrashLoopBackOff`), a restart count and the kubelet's `BackOff` event.
    #[test]
    fn terminated_after_restarts_or_while_backed_off_is_a_crash_loop() {
        let terminated = |restarts: i32| {
            json!({"phase": "Running", "containerStatuses": [{
                "name": "web", "image": "web:1", "imageID": "", "ready": false, "restartCount": restarts,
                "state": {"terminated": {"exitCode": 3, "reason": "Error"}},
                "lastState": {"terminated": {"exitCode": 3, "reason": "Error"}}
            }]})
        };
        let d = diagnose(
            &[pod("web-1", web_spec(), terminated(3))],
            &[],
            &logs("web-1", &["fatal: DATABASE_URL is not set"]),
        )
        .expect("a diagnosis");
        assert_eq!(d.kind, DiagnosisKind::CrashLoop);
        assert_eq!(
            d.summary,
            "container `web` keeps crashing (exit code 3, 3 restarts)"
        );
        assert_eq!(d.log_tail, ["fatal: DATABASE_URL is not set"]);

        let back_off = event(
            "web-1",
            "BackOff",
            "Back-off restarting failed container web in pod web-1_shop(0c0f)",
            1,
            "2026-12-02T07:02:01Z",
        );
        let d = diagnose(
            &[pod("web-1", web_spec(), terminated(0))],
            &[back_off],
            &LogTails::new(),
        )
        .expect("a diagnosis");
        assert_eq!(d.kind, DiagnosisKind::CrashLoop);

        // An image pull back-off is no crash.
        let pull = event(
            "web-1",
            "BackOff",
            "Back-off pulling image \"web:1\"",
            1,
            "2026-12-02T07:02:01Z",
        );
        let d = diagnose(
            &[pod("web-1", web_spec(), terminated(0))],
            &[pull],
            &LogTails::new(),
        )
        .expect("a diagnosis");
        assert_eq!(d.kind, DiagnosisKind::Exited);
    }

    #[test]
    fn missing_config_map_and_secret_are_named() {
        let pods = [pod(
            "web-1",
            web_spec(),
            waiting(
                "CreateContainerConfigError",
                "configmap \"web-config\" not found",
            ),
        )];
        let d = diagnose(&pods, &[], &LogTails::new()).expect("a diagnosis");
        assert_eq!(d.kind, DiagnosisKind::ContainerConfig);
        assert!(d.retryable);
        assert_eq!(
            d.summary,
            "container `web` cannot start: ConfigMap `web-config` does not exist"
        );
        assert!(
            d.hint
                .starts_with("create ConfigMap `web-config` in namespace `shop`"),
            "{}",
            d.hint
        );

        // The message may only be in the kubelet's event.
        let pods = [pod(
            "web-1",
            web_spec(),
            waiting("CreateContainerConfigError", ""),
        )];
        let events = [event(
            "web-1",
            "Failed",
            "Error: secret \"db\" not found",
            2,
            "2026-11-27T10:00:00Z",
        )];
        let d = diagnose(&pods, &events, &LogTails::new()).expect("a diagnosis");
        assert_eq!(
            d.summary,
            "container `web` cannot start: Secret `db` does not exist"
        );

        let pods = [pod(
            "web-1",
            web_spec(),
            waiting(
                "CreateContainerConfigError",
                "the kubelet says something new",
            ),
        )];
        let d = diagnose(&pods, &[], &LogTails::new()).expect("a diagnosis");
        assert!(
            d.summary.contains("configuration is invalid"),
            "{}",
            d.summary
        );
    }

    /// A missing object is final at once; what names nothing missing is the kubelet's own state,
    /// which it retries: a busy node's "failed to sync configmap cache: timed out waiting for the
    /// condition" (seen on the test platform's real node, then the pod started) is waited for.
    #[test]
    fn unexplained_container_config_errors_are_waited_for() {
        let grace = Duration::from_secs(30);
        let diagnosis = |message: &str| {
            let pods = [pod(
                "web-1",
                web_spec(),
                waiting("CreateContainerConfigError", message),
            )];
            diagnose(&pods, &[], &LogTails::new()).expect("a diagnosis")
        };
        let missing = diagnosis("configmap \"web-config\" not found");
        assert!(!missing.transient);
        assert_eq!(missing.settle_time(grace), Duration::ZERO);
        let missing_key = diagnosis("couldn't find key FEATURES in ConfigMap shop/web-env");
        assert_eq!(missing_key.settle_time(grace), Duration::ZERO);
        let cache =
            diagnosis("failed to sync configmap cache: timed out waiting for the condition");
        assert!(cache.transient);
        assert_eq!(cache.kind, DiagnosisKind::ContainerConfig);
        assert_eq!(cache.settle_time(grace), grace);
    }

    /// The kubelet's message for an `env` entry whose `configMapKeyRef` / `secretKeyRef` names a key
    /// the object lacks (seen on the test platform's real node).
    #[test]
    fn missing_config_map_or_secret_key_is_named() {
        let pods = [pod(
            "web-1",
            web_spec(),
            waiting(
                "CreateContainerConfigError",
                "couldn't find key FEATURES in ConfigMap shop/web-env",
            ),
        )];
        let d = diagnose(&pods, &[], &LogTails::new()).expect("a diagnosis");
        assert_eq!(d.kind, DiagnosisKind::ContainerConfig);
        assert_eq!(
            d.summary,
            "container `web` cannot start: ConfigMap `web-env` has no key `FEATURES`"
        );
        assert!(
            d.hint
                .starts_with("add key `FEATURES` to ConfigMap `web-env` in namespace `shop`"),
            "{}",
            d.hint
        );
        assert_eq!(
            missing_reference("couldn't find key PASSWORD in Secret shop/db"),
            Some(Missing::Key {
                kind: "Secret",
                name: "db".into(),
                key: "PASSWORD".into()
            })
        );
        assert_eq!(missing_reference("couldn't find key PORT"), None);
    }

    #[test]
    fn run_container_error_carries_the_runtime_message() {
        let message =
            "failed to create containerd task: exec: \"/app/server\": no such file or directory";
        for reason in ["RunContainerError", "CreateContainerError"] {
            let pods = [pod("web-1", web_spec(), waiting(reason, message))];
            let d = diagnose(&pods, &[], &LogTails::new()).expect(reason);
            assert_eq!(d.kind, DiagnosisKind::RunContainer);
            assert_eq!(d.details, vec![format!("runtime: {message}")]);
        }
    }

    #[test]
    fn unschedulable_shows_the_scheduler_message_and_selector() {
        let spec = json!({"nodeSelector": {"disk": "ssd"}, "containers": [{"name": "web", "image": "web:1"}]});
        let status = json!({"phase": "Pending", "conditions": [{
            "type": "PodScheduled", "status": "False", "reason": "Unschedulable",
            "message": "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. no new claims to deallocate, preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."
        }]});
        let d =
            diagnose(&[pod("web-1", spec, status)], &[], &LogTails::new()).expect("a diagnosis");
        assert_eq!(d.kind, DiagnosisKind::Unschedulable);
        assert!(d.retryable);
        assert_eq!(
            d.to_string(),
            "pod web-1: no node can run the pod (Unschedulable)\n  \
             scheduler: 0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector.\n  \
             nodeSelector: disk=ssd\n  \
             hint: no node has the labels the pod's nodeSelector or affinity asks for: label a node, or remove the selector"
        );
    }

    #[test]
    fn unschedulable_while_the_autoscaler_adds_a_node_is_waited_for() {
        let status = json!({"phase": "Pending", "conditions": [{
            "type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": "0/1 nodes are available: 1 Insufficient cpu."
        }]});
        let pods = [pod("web-1", web_spec(), status)];
        let scale_up = event(
            "web-1",
            "TriggeredScaleUp",
            "pod triggered scale-up: [{pool 1->2 (max: 5)}]",
            1,
            "2026-11-27T10:00:01Z",
        );
        assert_eq!(
            diagnose(&pods, std::slice::from_ref(&scale_up), &LogTails::new()),
            None
        );
        // The autoscaler later gave up: unschedulable again.
        let gave_up = event(
            "web-1",
            "NotTriggerScaleUp",
            "pod didn't trigger scale-up: max node group size reached",
            1,
            "2026-11-27T10:00:09Z",
        );
        let d = diagnose(&pods, &[scale_up, gave_up], &LogTails::new()).expect("a diagnosis");
        assert_eq!(d.kind, DiagnosisKind::Unschedulable);
    }

    #[test]
    fn unschedulable_with_taints_or_resources_gets_its_own_hint() {
        let status = |message: &str| {
            json!({"phase": "Pending", "conditions": [{
                "type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": message
            }]})
        };
        let taint = "0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/disk-pressure: }.";
        let d = diagnose(
            &[pod("p", web_spec(), status(taint))],
            &[],
            &LogTails::new(),
        )
        .expect("taint");
        assert!(d.hint.contains("taint"), "{}", d.hint);
        let cpu = "0/1 nodes are available: 1 Insufficient cpu.";
        let d = diagnose(&[pod("p", web_spec(), status(cpu))], &[], &LogTails::new()).expect("cpu");
        assert!(d.hint.contains("cpu_request"), "{}", d.hint);
    }

    fn running_unready() -> Value {
        json!({
            "phase": "Running",
            "conditions": [{"type": "PodScheduled", "status": "True"}, {"type": "Ready", "status": "False"}],
            "containerStatuses": [{
                "name": "web", "image": "web:1", "imageID": "", "ready": false, "restartCount": 0,
                "state": {"running": {"startedAt": "2026-11-27T10:00:00Z"}}
            }]
        })
    }

    #[test]
    fn unready_with_unhealthy_events_names_the_probe() {
        let events = [event(
            "web-1",
            "Unhealthy",
            "Readiness probe failed: HTTP probe failed with statuscode: 503",
            7,
            "2026-11-27T10:00:30Z",
        )];
        let d = diagnose(
            &[pod("web-1", web_spec(), running_unready())],
            &events,
            &LogTails::new(),
        )
        .expect("a diagnosis");
        assert_eq!(d.kind, DiagnosisKind::Unready);
        assert!(d.retryable);
        assert_eq!(
            d.to_string(),
            "pod web-1: container `web` runs but its readiness probe fails, 7 times\n  \
             readiness probe: HTTP GET /healthz on port 8080\n  \
             kubelet: Readiness probe failed: HTTP probe failed with statuscode: 503\n  \
             hint: the app must answer GET /healthz on port 8080 with a 2xx status once it is ready: check the port it listens on (`port`) and `health_path` in paas.toml"
        );
    }

    #[test]
    fn running_unready_without_events_and_creating_are_not_failures() {
        let pods = [
            pod("web-1", web_spec(), running_unready()),
            pod("web-2", web_spec(), waiting("ContainerCreating", "")),
            pod("web-3", web_spec(), waiting("PodInitializing", "")),
        ];
        // An Unhealthy event of another pod does not count.
        let events = [event(
            "other",
            "Unhealthy",
            "Readiness probe failed",
            1,
            "2026-11-27T10:00:00Z",
        )];
        assert_eq!(diagnose(&pods, &events, &LogTails::new()), None);
    }

    #[test]
    fn waiting_on_names_what_a_slow_pod_waits_for() {
        let init_running = json!({"phase": "Pending",
        "conditions": [{"type": "PodScheduled", "status": "True"}],
        "initContainerStatuses": [{
            "name": "migrate", "image": "web:1", "imageID": "", "ready": false, "restartCount": 0,
            "state": {"running": {"startedAt": "2026-11-27T10:00:00Z"}}
        }]});
        let pods = [pod("web-1", web_spec(), init_running)];
        assert_eq!(diagnose(&pods, &[], &LogTails::new()), None);
        assert_eq!(
            waiting_on(&pods).as_deref(),
            Some("pod web-1: init container `migrate` is still running")
        );

        let mut creating = waiting("ContainerCreating", "");
        creating["conditions"] = json!([{"type": "PodScheduled", "status": "True"}]);
        let pods = [pod("web-1", web_spec(), creating)];
        assert_eq!(
            waiting_on(&pods).as_deref(),
            Some("pod web-1: container `web` is waiting (ContainerCreating)")
        );

        let pods = [pod("web-1", web_spec(), json!({"phase": "Pending"}))];
        assert_eq!(
            waiting_on(&pods).as_deref(),
            Some("pod web-1 is not scheduled yet")
        );
        assert_eq!(waiting_on(&[]), None);
    }

    #[test]
    fn diagnosis_serializes_for_json_output() {
        let pods = [pod("web-1", web_spec(), crash_status("Error", 1, 4))];
        let d = diagnose(&pods, &[], &LogTails::new()).expect("a diagnosis");
        let value = serde_json::to_value(&d).expect("json");
        assert_eq!(value["kind"], "crash-loop");
        assert_eq!(value["pod"], "web-1");
        assert_eq!(value["retryable"], false);
    }

    #[test]
    fn terminating_pods_are_ignored() {
        let mut crashing = pod("web-1", web_spec(), crash_status("Error", 1, 3));
        crashing.metadata.deletion_timestamp =
            Some(k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(
                "2026-11-27T10:00:00Z".parse().expect("time"),
            ));
        assert_eq!(diagnose(&[crashing], &[], &LogTails::new()), None);
    }

    #[test]
    fn a_definite_failure_wins_over_a_retryable_one_and_others_are_counted() {
        let unschedulable = json!({"phase": "Pending", "conditions": [{
            "type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": "0/2 nodes are available"
        }]});
        let pods = [
            pod("web-a", web_spec(), unschedulable),
            pod("web-b", web_spec(), crash_status("Error", 1, 2)),
            pod("web-c", web_spec(), crash_status("Error", 1, 5)),
            pod("web-d", web_spec(), crash_status("Error", 1, 1)),
        ];
        let d = diagnose(&pods, &[], &LogTails::new()).expect("a diagnosis");
        assert_eq!(
            (d.kind, d.pod.as_str()),
            (DiagnosisKind::CrashLoop, "web-b")
        );
        assert_eq!(
            d.details.last().map(String::as_str),
            Some("2 more pods fail the same way")
        );
    }

    #[test]
    fn init_container_failures_are_diagnosed_first() {
        let spec = json!({
            "initContainers": [{"name": "migrate", "image": "web:1"}],
            "containers": [{"name": "web", "image": "web:1"}]
        });
        let status = json!({"phase": "Pending", "initContainerStatuses": [{
            "name": "migrate", "image": "web:1", "imageID": "", "ready": false, "restartCount": 3,
            "state": {"waiting": {"reason": "CrashLoopBackOff"}},
            "lastState": {"terminated": {"exitCode": 2, "reason": "Error"}}
        }], "containerStatuses": [{
            "name": "web", "image": "web:1", "imageID": "", "ready": false, "restartCount": 0,
            "state": {"waiting": {"reason": "PodInitializing"}}
        }]});
        let d =
            diagnose(&[pod("web-1", spec, status)], &[], &LogTails::new()).expect("a diagnosis");
        assert_eq!(d.container.as_deref(), Some("migrate"));
        assert_eq!(
            d.summary,
            "container `migrate` keeps crashing (exit code 2, 3 restarts)"
        );
    }

    #[test]
    fn log_lines_are_made_safe() {
        assert_eq!(
            sanitize_log_line("\u{1b}[31mred\u{1b}[0m\r\n"),
            "\\u{1b}[31mred\\u{1b}[0m"
        );
        assert_eq!(
            sanitize_log_line(&"x".repeat(300)).chars().count(),
            MAX_LOG_LINE + 1
        );
    }

    #[test]
    fn settle_time_waits_only_for_states_that_can_heal() {
        let grace = Duration::from_secs(10);
        assert_eq!(DiagnosisKind::Unready.settle_time(grace), grace);
        assert_eq!(DiagnosisKind::Unschedulable.settle_time(grace), grace);
        assert_eq!(DiagnosisKind::CrashLoop.settle_time(grace), Duration::ZERO);
        assert_eq!(
            DiagnosisKind::ContainerConfig.settle_time(grace),
            Duration::ZERO
        );
    }
}
