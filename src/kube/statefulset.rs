//! Waiting for a component's `StatefulSet` to roll out, with the same fail-fast diagnosis as a
//! Deployment's pods, and one more cause a `StatefulSet` has: a volume claim that stays Pending.
//!
//! The wait polls (a `StatefulSet` of a component has one pod; a poll a second costs little and
//! cannot miss a state the way a lost watch can). Complete is what `kubectl rollout status`
//! says for a `StatefulSet`: the controller has seen the generation, every replica is ready, and
//! the current revision is the update revision.

use std::time::{Duration, Instant};

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{Event, PersistentVolumeClaim, Pod};
use kube::Api;
use kube::api::{DeleteParams, ListParams};

use super::KubeError;
use super::diagnose::{self, Diagnosis};
use super::rollout::RolloutReporter;

/// How often the `StatefulSet` is read.
const POLL: Duration = Duration::from_millis(750);

/// Where a `StatefulSet`'s rollout stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetState {
    /// Still going, with kubectl's message.
    Waiting(String),
    /// Every replica is ready at the update revision.
    Complete,
}

/// Returns where `set`'s rollout stands, as `kubectl rollout status` reads it.
#[must_use]
pub fn set_state(set: &StatefulSet) -> SetState {
    let generation = set.metadata.generation.unwrap_or(0);
    let Some(status) = set.status.as_ref() else {
        return SetState::Waiting("waiting for the statefulset controller".into());
    };
    if status.observed_generation.unwrap_or(0) == 0
        || generation > status.observed_generation.unwrap_or(0)
    {
        return SetState::Waiting("waiting for the statefulset spec update to be observed".into());
    }
    let replicas = set.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1);
    let ready = status.ready_replicas.unwrap_or(0);
    if ready < replicas {
        return SetState::Waiting(format!("{ready} of {replicas} pods ready"));
    }
    if status.update_revision.is_some() && status.update_revision != status.current_revision {
        return SetState::Waiting(format!(
            "waiting for the rolling update to complete: {} of {replicas} pods at the new revision",
            status.updated_replicas.unwrap_or(0)
        ));
    }
    SetState::Complete
}

/// Why a `StatefulSet` did not roll out.
#[derive(Debug, thiserror::Error)]
pub enum SetError {
    /// It could not be read.
    #[error(transparent)]
    Kube(#[from] KubeError),
    /// A pod fails in a way that does not heal.
    #[error("statefulset `{name}` cannot roll out: pod `{pod}` {what}", pod = diagnosis.pod, what = diagnosis.kind.describe())]
    PodFailed {
        /// The `StatefulSet`.
        name: String,
        /// What is wrong.
        diagnosis: Box<Diagnosis>,
    },
    /// Its volume claim stays Pending: no volume can be had for it.
    #[error("the volume claim `{claim}` of statefulset `{name}` stays Pending: {reason}")]
    ClaimPending {
        /// The `StatefulSet`.
        name: String,
        /// The claim.
        claim: String,
        /// Why, from the claim's events (or that there are none).
        reason: String,
        /// The storage class asked for, if any.
        storage_class: Option<String>,
    },
    /// The timeout passed first.
    #[error("statefulset `{name}` did not roll out within {}s (last seen: {last})", timeout.as_secs())]
    Timeout {
        /// The `StatefulSet`.
        name: String,
        /// The timeout.
        timeout: Duration,
        /// The last progress message.
        last: String,
        /// What its pod showed, if anything.
        diagnosis: Option<Box<Diagnosis>>,
    },
}

impl SetError {
    /// The pod diagnosis this error carries, for the command layer to print under it.
    #[must_use]
    pub fn diagnosis(&self) -> Option<&Diagnosis> {
        match self {
            Self::PodFailed { diagnosis, .. } => Some(diagnosis),
            Self::Timeout { diagnosis, .. } => diagnosis.as_deref(),
            _ => None,
        }
    }

    /// What to try next.
    #[must_use]
    pub fn hint(&self) -> String {
        match self {
            Self::ClaimPending { storage_class, .. } => match storage_class {
                Some(class) => format!(
                    "check that storage class `{class}` exists and can provision volumes (`kubectl get storageclass`), or remove `storage_class` from the component in `paas.toml` to use the cluster's default"
                ),
                None => "the cluster has no default storage class that can provision a volume: ask for one, or name one with `storage_class = \"...\"` under the component in `paas.toml`".to_owned(),
            },
            Self::PodFailed { diagnosis, .. } => diagnosis.hint.clone(),
            Self::Timeout { .. } => "raise `--timeout`, or see `paas status` for where it stands".to_owned(),
            Self::Kube(_) => String::new(),
        }
    }
}

/// Waits up to `timeout` for `StatefulSet` `name` in `namespace`, whose claims carry
/// `claim_selector`. A failure that may heal (unready, unschedulable, a claim not yet bound) is
/// given `grace` before the wait gives up on it.
pub async fn wait(
    client: &kube::Client,
    namespace: &str,
    name: &str,
    claim_selector: &str,
    timeout: Duration,
    grace: Duration,
    reporter: &dyn RolloutReporter,
) -> Result<Duration, SetError> {
    let started = Instant::now();
    let sets: Api<StatefulSet> = Api::namespaced(client.clone(), namespace);
    let claims: Api<PersistentVolumeClaim> = Api::namespaced(client.clone(), namespace);
    let api_error = |action: String| api_error(namespace, action);
    let mut last = String::new();
    let mut pending_since: Option<(String, Instant)> = None;
    let mut claim_pending_since: Option<Instant> = None;
    loop {
        let set = sets
            .get_opt(name)
            .await
            .map_err(api_error(format!("get statefulset `{name}`")))?
            .ok_or_else(|| KubeError::NotFound {
                kind: "statefulset",
                name: name.to_owned(),
                namespace: namespace.to_owned(),
            })?;
        match set_state(&set) {
            SetState::Complete => return Ok(started.elapsed()),
            SetState::Waiting(message) => {
                if message != last {
                    reporter.on_progress(&format!("statefulset `{name}`: {message}"));
                    last = message;
                }
            }
        }
        // A claim that cannot be bound is the cause, whatever the pod then says.
        let pending: Vec<PersistentVolumeClaim> = claims
            .list(&ListParams::default().labels(claim_selector))
            .await
            .map_err(api_error(format!("list the volume claims of `{name}`")))?
            .items
            .into_iter()
            .filter(|c| c.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Pending"))
            .collect();
        if let Some(claim) = pending.first() {
            let since = *claim_pending_since.get_or_insert_with(Instant::now);
            if since.elapsed() >= grace {
                return Err(claim_pending(client, namespace, name, claim).await);
            }
        } else {
            claim_pending_since = None;
        }
        let selector = set
            .spec
            .as_ref()
            .and_then(|s| s.selector.match_labels.as_ref())
            .map(|labels| {
                labels
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .unwrap_or_default();
        // Only the pods of the revision being rolled out say why it does not roll out; an old
        // one stuck unready is replaced (the controller waits for it forever otherwise). Until
        // the controller has seen the new spec, no pod says anything about it.
        let revision = observed_update_revision(&set);
        let selector = match &revision {
            Some(revision) if !selector.is_empty() => {
                replace_stuck(client, namespace, &selector, revision, reporter).await?;
                format!("{selector},{REVISION_LABEL}={revision}")
            }
            _ => String::new(),
        };
        if !selector.is_empty() && pending.is_empty() {
            let inputs = diagnose::gather(client, namespace, &selector).await?;
            if let Some(diagnosis) = inputs.diagnose() {
                let settle = diagnosis.settle_time(grace);
                let key = format!("{}/{}", diagnosis.kind, diagnosis.pod);
                let since = match &pending_since {
                    Some((seen, since)) if *seen == key => *since,
                    _ => {
                        if !settle.is_zero() {
                            reporter.on_pod_problem(&diagnosis, settle);
                        }
                        pending_since = Some((key, Instant::now()));
                        Instant::now()
                    }
                };
                if since.elapsed() >= settle {
                    return Err(SetError::PodFailed {
                        name: name.to_owned(),
                        diagnosis: Box::new(diagnosis),
                    });
                }
            } else {
                pending_since = None;
            }
        }
        if started.elapsed() >= timeout {
            let diagnosis = if selector.is_empty() {
                None
            } else {
                diagnose::gather(client, namespace, &selector)
                    .await
                    .ok()
                    .and_then(|inputs| inputs.diagnose())
                    .map(Box::new)
            };
            return Err(SetError::Timeout {
                name: name.to_owned(),
                timeout,
                last,
                diagnosis,
            });
        }
        tokio::time::sleep(POLL).await;
    }
}

/// The error of a failed request about `action` in `namespace`.
fn api_error(namespace: &str, action: String) -> impl FnOnce(kube::Error) -> SetError + '_ {
    move |source| {
        SetError::Kube(KubeError::Api {
            action,
            namespace: namespace.to_owned(),
            source,
        })
    }
}

/// The label of a `StatefulSet`'s pod naming the revision it was made from.
const REVISION_LABEL: &str = "controller-revision-hash";

/// The revision being rolled out, once the controller has seen the set's generation.
fn observed_update_revision(set: &StatefulSet) -> Option<String> {
    let status = set.status.as_ref()?;
    let observed = status.observed_generation.unwrap_or(0);
    (observed > 0 && observed >= set.metadata.generation.unwrap_or(0))
        .then(|| status.update_revision.clone())
        .flatten()
}

/// Deletes the pods of an older revision that are not ready: with the default ordered pod
/// management the controller never replaces a pod that is not running and ready, so a broken
/// revision (an image that cannot be pulled, a crash) would block every later one. Kubernetes'
/// documentation tells users to delete such pods by hand; a ready old pod is left to the
/// controller's rolling update.
async fn replace_stuck(
    client: &kube::Client,
    namespace: &str,
    selector: &str,
    revision: &str,
    reporter: &dyn RolloutReporter,
) -> Result<(), SetError> {
    let pods: Api<Pod> = Api::namespaced(client.clone(), namespace);
    let api_error = |action: String| api_error(namespace, action);
    let listed = pods
        .list(&ListParams::default().labels(selector))
        .await
        .map_err(api_error(format!("list the pods of `{selector}`")))?;
    for pod in listed.items {
        let old = pod
            .metadata
            .labels
            .as_ref()
            .and_then(|l| l.get(REVISION_LABEL))
            .is_some_and(|r| r != revision);
        let ready = pod
            .status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .is_some_and(|c| c.iter().any(|c| c.type_ == "Ready" && c.status == "True"));
        let Some(name) = pod.metadata.name.clone() else {
            continue;
        };
        if old && !ready && pod.metadata.deletion_timestamp.is_none() {
            reporter.on_progress(&format!(
                "pod `{name}` of an older revision is not ready: replacing it"
            ));
            match pods.delete(&name, &DeleteParams::default()).await {
                Ok(_) => {}
                Err(kube::Error::Api(status)) if status.code == 404 => {}
                Err(err) => return Err(api_error(format!("delete pod `{name}`"))(err)),
            }
        }
    }
    Ok(())
}

/// Explains why `claim` stays Pending, from its newest warning event.
async fn claim_pending(
    client: &kube::Client,
    namespace: &str,
    name: &str,
    claim: &PersistentVolumeClaim,
) -> SetError {
    let claim_name = claim.metadata.name.clone().unwrap_or_default();
    let events: Api<Event> = Api::namespaced(client.clone(), namespace);
    let params = ListParams::default().fields(&format!(
        "involvedObject.kind=PersistentVolumeClaim,involvedObject.name={claim_name}"
    ));
    let mut found = events
        .list(&params)
        .await
        .map(|l| l.items)
        .unwrap_or_default();
    found.sort_by_key(diagnose::event_time);
    let reason = found.last().map_or_else(
        || "no event says why (no provisioner answered)".to_owned(),
        |event| {
            let message = diagnose::sanitize_log_line(event.message.as_deref().unwrap_or_default());
            match event.reason.as_deref() {
                Some(reason) => format!("{reason}: {message}"),
                None => message,
            }
        },
    );
    SetError::ClaimPending {
        name: name.to_owned(),
        claim: claim_name,
        reason,
        storage_class: claim
            .spec
            .as_ref()
            .and_then(|s| s.storage_class_name.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[expect(
        clippy::needless_pass_by_value,
        reason = "the tests build the status inline"
    )]
    fn set(generation: i64, status: serde_json::Value) -> StatefulSet {
        serde_json::from_value(json!({
            "metadata": {"name": "shop-cache", "generation": generation},
            "spec": {"replicas": 1, "serviceName": "shop-cache", "selector": {"matchLabels": {"a": "b"}}, "template": {}},
            "status": status,
        }))
        .expect("a statefulset")
    }

    #[test]
    fn complete_needs_the_generation_ready_pods_and_one_revision() {
        assert!(
            matches!(set_state(&set(2, json!({"replicas": 1, "observedGeneration": 1}))), SetState::Waiting(m) if m.contains("observed"))
        );
        assert_eq!(
            set_state(&set(
                1,
                json!({"replicas": 1, "observedGeneration": 1, "readyReplicas": 0})
            )),
            SetState::Waiting("0 of 1 pods ready".into())
        );
        assert!(matches!(
            set_state(&set(1, json!({"replicas": 1, "observedGeneration": 1, "readyReplicas": 1, "currentRevision": "a", "updateRevision": "b"}))),
            SetState::Waiting(m) if m.contains("rolling update")
        ));
        assert_eq!(
            set_state(&set(
                1,
                json!({"replicas": 1, "observedGeneration": 1, "readyReplicas": 1, "currentRevision": "b", "updateRevision": "b"})
            )),
            SetState::Complete
        );
    }
}
