//! `paas access check`: proves on the cluster that the access rules hold. One short-lived
//! probe pod per app and component carries that workload's labels (so every policy treats it as
//! one of its pods) and answers HTTP on the workload's port; from each app's probe paas calls
//! every other probe and compares what got through with what the rules say
//! ([`super::audit::Audit::allows`]). Two canaries decide whether the cluster enforces policies
//! at all: a probe that no policy selects must answer a caller (the probes can reach each other),
//! and one behind a policy that lets no one in must not.
//!
//! The probes never receive the app's traffic: a readiness gate that nothing sets keeps them
//! out of every Service's endpoints. A controller owner (a `ConfigMap` of the run) keeps the
//! app's `ReplicaSet` or `StatefulSet` from adopting them, and deleting it removes what is left
//! if paas is stopped.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::{ConfigMap, Pod};
use k8s_openapi::api::networking::v1::NetworkPolicy;
use kube::Api;
use kube::api::{DeleteParams, ListParams, PostParams};
use serde::Serialize;
use serde_json::json;

use super::audit::{Audit, Workload};
use crate::kube::remote::{self, Container};

pub use crate::labels::ACCESS_PROBE as PROBE_LABEL;
use crate::labels::{ACCESS_PROBE as NEVER_READY, ACCESS_PROBE_ROLE as ROLE_LABEL};
/// The port the canaries answer on.
const CANARY_PORT: u16 = 8080;
/// How long one call may take before it counts as refused.
const CALL_SECONDS: u32 = 2;
/// The text a probe answers with.
const ANSWER: &str = "paas-access-probe";

/// What the check needs.
#[derive(Debug, Clone)]
pub struct CheckPlan {
    /// The namespace.
    pub namespace: String,
    /// The probe image: a busybox (its `httpd` answers, its `nc` calls).
    pub image: String,
    /// How long the probe pods may take to start.
    pub start_timeout: Duration,
    /// How long the policy enforcer may take to act on new pods before a call that goes against
    /// the rules counts.
    pub settle: Duration,
}

/// Progress of a check.
pub trait CheckReporter {
    /// Something happened.
    fn event(&self, event: &CheckEvent<'_>);
}

/// The steps of a check.
#[derive(Debug)]
pub enum CheckEvent<'a> {
    /// The probe pods are being created.
    Starting {
        /// How many.
        pods: usize,
        /// The image.
        image: &'a str,
    },
    /// Every probe pod runs.
    Running {
        /// Since the start.
        elapsed: Duration,
    },
    /// Calls are being made.
    Calling {
        /// How many directions.
        calls: usize,
    },
    /// The probes are being removed.
    Removing,
}

/// Whether the cluster enforces `NetworkPolicy`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "state", content = "reason")]
pub enum Enforcement {
    /// A probe behind a deny-all policy refused the canary caller.
    Enforced,
    /// A probe behind a deny-all policy answered: nothing holds the rules.
    NotEnforced,
    /// The canary caller could not reach a probe that no policy selects: the check cannot tell.
    Unknown(String),
}

/// One direction tried.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Probed {
    /// The caller (`app`).
    pub from: String,
    /// The callee (`app` or `app/component`).
    pub to: String,
    /// What the rules say.
    pub expected: bool,
    /// What happened.
    pub observed: bool,
    /// Calls made until the last one.
    pub attempts: u32,
}

/// The outcome of a check.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    /// The namespace.
    pub namespace: String,
    /// Whether policies are enforced.
    pub enforcement: Enforcement,
    /// Every direction tried.
    pub calls: Vec<Probed>,
    /// How many probe pods ran.
    pub probes: usize,
    /// From the start to the verdict, in seconds.
    pub seconds: f64,
}

impl CheckReport {
    /// The directions whose outcome differs from the rules.
    #[must_use]
    pub fn mismatches(&self) -> Vec<&Probed> {
        self.calls
            .iter()
            .filter(|c| c.expected != c.observed)
            .collect()
    }
}

/// Why a check could not be made.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    /// The API refused or could not be reached.
    #[error("failed to {action} in namespace `{namespace}`")]
    Api {
        /// What was being done.
        action: String,
        /// The namespace.
        namespace: String,
        /// The cause.
        #[source]
        source: kube::Error,
    },
    /// A probe pod did not run in time.
    #[error("probe pod `{pod}` did not run within {seconds} s: {state}")]
    NotRunning {
        /// The pod.
        pod: String,
        /// The limit.
        seconds: u64,
        /// What it was doing.
        state: String,
    },
    /// A call could not be made (exec refused).
    #[error("failed to call from probe pod `{pod}`")]
    Exec {
        /// The pod.
        pod: String,
        /// The cause.
        #[source]
        source: Box<remote::RemoteError>,
    },
    /// Nothing to check.
    #[error("no app deployed by paas in namespace `{namespace}`")]
    NoApps {
        /// The namespace.
        namespace: String,
    },
    /// Stopped by Ctrl-C; the probes were removed.
    #[error("stopped; the probe pods were removed")]
    Stopped,
}

/// One probe pod: who it stands for, and where it answers.
struct Probe {
    /// The pod's name.
    name: String,
    /// The workload's id, or the canary's role.
    id: String,
    /// The port it answers on.
    port: u16,
    /// Its address, once it runs.
    ip: Option<String>,
}

/// Runs the check: probes for every workload of `audit` and the canaries, the calls, the
/// verdict; the probes are removed however it ends (Ctrl-C included).
///
/// # Errors
///
/// See [`CheckError`].
pub async fn check(
    client: &kube::Client,
    plan: &CheckPlan,
    audit: &Audit,
    reporter: &dyn CheckReporter,
) -> Result<CheckReport, CheckError> {
    if !audit.entries.iter().any(|e| e.workload.component.is_none()) {
        return Err(CheckError::NoApps {
            namespace: plan.namespace.clone(),
        });
    }
    let started = Instant::now();
    let run = run_id();
    let api_error = |action: &str| {
        let namespace = plan.namespace.clone();
        let action = action.to_owned();
        move |source| CheckError::Api {
            action,
            namespace,
            source,
        }
    };
    let owners: Api<ConfigMap> = Api::namespaced(client.clone(), &plan.namespace);
    let owner_name = format!("paas-access-check-{run}");
    let owner: ConfigMap = serde_json::from_value(json!({
        "metadata": {"name": owner_name, "labels": {PROBE_LABEL: run}},
        "data": {"purpose": "owns the probe pods of one `paas access check`; deleting it removes them"}
    }))
    .expect("a valid ConfigMap");
    let owner = owners
        .create(&PostParams::default(), &owner)
        .await
        .map_err(api_error("create the probes' owner ConfigMap"))?;
    let uid = owner.metadata.uid.clone().unwrap_or_default();
    let result = tokio::select! {
        result = probe_all(client, plan, audit, reporter, &run, &owner_name, &uid, started) => result,
        _ = tokio::signal::ctrl_c() => Err(CheckError::Stopped),
    };
    reporter.event(&CheckEvent::Removing);
    remove(client, &plan.namespace, &run, &owner_name).await;
    result
}

/// A short random id of lowercase letters and digits.
fn run_id() -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut bytes = [0_u8; 6];
    getrandom::fill(&mut bytes).expect("the system's random source works");
    bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect()
}

#[expect(clippy::too_many_arguments, reason = "one run's shared values")]
async fn probe_all(
    client: &kube::Client,
    plan: &CheckPlan,
    audit: &Audit,
    reporter: &dyn CheckReporter,
    run: &str,
    owner: &str,
    uid: &str,
    started: Instant,
) -> Result<CheckReport, CheckError> {
    let namespace = plan.namespace.as_str();
    let pods: Api<Pod> = Api::namespaced(client.clone(), namespace);
    let policies: Api<NetworkPolicy> = Api::namespaced(client.clone(), namespace);
    let owner_ref = json!([{
        "apiVersion": "v1", "kind": "ConfigMap", "name": owner, "uid": uid,
        "controller": true, "blockOwnerDeletion": false
    }]);
    let closed: NetworkPolicy = serde_json::from_value(json!({
        "metadata": {"name": format!("paas-access-check-{run}"), "labels": {PROBE_LABEL: run}, "ownerReferences": owner_ref},
        "spec": {
            "podSelector": {"matchLabels": {PROBE_LABEL: run, ROLE_LABEL: "closed"}},
            "policyTypes": ["Ingress"],
            "ingress": []
        }
    }))
    .expect("a valid NetworkPolicy");
    policies
        .create(&PostParams::default(), &closed)
        .await
        .map_err(|source| CheckError::Api {
            action: "create the canary's deny-all NetworkPolicy".into(),
            namespace: namespace.to_owned(),
            source,
        })?;

    let mut probes: Vec<Probe> = Vec::new();
    let mut specs: Vec<Pod> = Vec::new();
    let workloads: Vec<&Workload> = audit
        .entries
        .iter()
        .map(|e| &e.workload)
        .filter(|w| w.port.is_some())
        .collect();
    for (index, workload) in workloads.iter().enumerate() {
        let (port, port_name) = workload.port.clone().expect("filtered on a port");
        let name = format!("paas-probe-{run}-{index}");
        let mut labels = workload.pod_labels.clone();
        labels.insert(PROBE_LABEL.to_owned(), run.to_owned());
        labels.insert(ROLE_LABEL.to_owned(), "app".to_owned());
        specs.push(probe_pod(
            &name,
            &labels,
            port,
            port_name.as_deref(),
            plan,
            &owner_ref,
        ));
        probes.push(Probe {
            name,
            id: workload.id(),
            port,
            ip: None,
        });
    }
    for role in ["caller", "open", "closed"] {
        let name = format!("paas-probe-{run}-{role}");
        let labels = BTreeMap::from([
            (PROBE_LABEL.to_owned(), run.to_owned()),
            (ROLE_LABEL.to_owned(), role.to_owned()),
        ]);
        specs.push(probe_pod(
            &name,
            &labels,
            CANARY_PORT,
            None,
            plan,
            &owner_ref,
        ));
        probes.push(Probe {
            name,
            id: role.to_owned(),
            port: CANARY_PORT,
            ip: None,
        });
    }
    reporter.event(&CheckEvent::Starting {
        pods: specs.len(),
        image: &plan.image,
    });
    for spec in &specs {
        pods.create(&PostParams::default(), spec)
            .await
            .map_err(|source| CheckError::Api {
                action: format!(
                    "create probe pod `{}`",
                    spec.metadata.name.as_deref().unwrap_or_default()
                ),
                namespace: namespace.to_owned(),
                source,
            })?;
    }
    wait_running(&pods, plan, &mut probes).await?;
    reporter.event(&CheckEvent::Running {
        elapsed: started.elapsed(),
    });

    // What to try: the canaries, then every app to every other workload.
    let find = |id: &str| probes.iter().find(|p| p.id == id).expect("a probe per id");
    let mut directions: Vec<(&Probe, &Probe, bool)> = vec![
        (find("caller"), find("open"), true),
        (find("caller"), find("closed"), false),
    ];
    for from in workloads.iter().filter(|w| w.component.is_none()) {
        for to in &workloads {
            if from.id() == to.id() {
                continue;
            }
            let expected = audit.allows(&from.id(), &to.id()).unwrap_or(true);
            directions.push((find(&from.id()), find(&to.id()), expected));
        }
    }
    reporter.event(&CheckEvent::Calling {
        calls: directions.len(),
    });
    let settle_until = Instant::now() + plan.settle;
    let mut outcomes: Vec<Option<(bool, u32)>> = vec![None; directions.len()];
    // Every direction is called until it goes as expected or the enforcer's time is up; the
    // last outcome counts.
    loop {
        let mut pending = false;
        for (i, (from, to, expected)) in directions.iter().enumerate() {
            if outcomes[i].is_some_and(|(observed, _)| observed == *expected) {
                continue;
            }
            let observed = call(client, namespace, from, to).await?;
            let attempts = outcomes[i].map_or(1, |(_, n)| n + 1);
            outcomes[i] = Some((observed, attempts));
            pending |= observed != *expected;
        }
        if !pending || Instant::now() >= settle_until {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let observed = |i: usize| outcomes[i].map_or((false, 0), |o| o);
    let enforcement = match (observed(0).0, observed(1).0) {
        (false, _) => Enforcement::Unknown(format!(
            "the probes cannot reach one another: `{}` got no answer from `{}`, which no policy selects",
            directions[0].0.name, directions[0].1.name
        )),
        (true, true) => Enforcement::NotEnforced,
        (true, false) => Enforcement::Enforced,
    };
    let calls = directions
        .iter()
        .enumerate()
        .skip(2)
        .map(|(i, (from, to, expected))| {
            let (observed, attempts) = observed(i);
            Probed {
                from: from.id.clone(),
                to: to.id.clone(),
                expected: *expected,
                observed,
                attempts,
            }
        })
        .collect();
    Ok(CheckReport {
        namespace: namespace.to_owned(),
        enforcement,
        calls,
        probes: probes.len(),
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// A probe pod: restricted-PSA clean, answering `ANSWER` on `port` with busybox's `httpd`, never
/// ready.
fn probe_pod(
    name: &str,
    labels: &BTreeMap<String, String>,
    port: u16,
    port_name: Option<&str>,
    plan: &CheckPlan,
    owner_ref: &serde_json::Value,
) -> Pod {
    let mut container_port = json!({"containerPort": port, "protocol": "TCP"});
    if let Some(port_name) = port_name {
        container_port["name"] = json!(port_name);
    }
    // A port below 1024 needs the one capability the restricted level allows adding.
    let capabilities = if port < 1024 {
        json!({"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]})
    } else {
        json!({"drop": ["ALL"]})
    };
    let script = format!(
        "mkdir -p /tmp/www && echo {ANSWER} > /tmp/www/index.html && exec httpd -f -p {port} -h /tmp/www"
    );
    serde_json::from_value(json!({
        "metadata": {"name": name, "labels": labels, "ownerReferences": owner_ref},
        "spec": {
            "terminationGracePeriodSeconds": 0,
            "automountServiceAccountToken": false,
            "enableServiceLinks": false,
            "restartPolicy": "Never",
            "activeDeadlineSeconds": 600,
            "readinessGates": [{"conditionType": NEVER_READY}],
            "securityContext": {
                "runAsNonRoot": true, "runAsUser": 65534, "runAsGroup": 65534,
                "seccompProfile": {"type": "RuntimeDefault"}
            },
            "containers": [{
                "name": "probe",
                "image": plan.image,
                "command": ["sh", "-c", script],
                "ports": [container_port],
                "securityContext": {
                    "allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true,
                    "capabilities": capabilities
                },
                "resources": {
                    "requests": {"cpu": "10m", "memory": "16Mi"},
                    "limits": {"cpu": "100m", "memory": "32Mi"}
                },
                "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}]
            }],
            "volumes": [{"name": "tmp", "emptyDir": {"sizeLimit": "1Mi"}}]
        }
    }))
    .expect("a valid probe pod")
}

/// Waits until every probe runs with an address and answers on its own port.
async fn wait_running(
    pods: &Api<Pod>,
    plan: &CheckPlan,
    probes: &mut [Probe],
) -> Result<(), CheckError> {
    let deadline = Instant::now() + plan.start_timeout;
    loop {
        let mut waiting = None;
        for probe in probes.iter_mut().filter(|p| p.ip.is_none()) {
            let pod = pods
                .get(&probe.name)
                .await
                .map_err(|source| CheckError::Api {
                    action: format!("read probe pod `{}`", probe.name),
                    namespace: plan.namespace.clone(),
                    source,
                })?;
            let status = pod.status.unwrap_or_default();
            let running = status.phase.as_deref() == Some("Running")
                && status
                    .container_statuses
                    .iter()
                    .flatten()
                    .all(|c| c.state.as_ref().is_some_and(|s| s.running.is_some()));
            match status.pod_ip.clone().filter(|_| running) {
                Some(ip) => probe.ip = Some(ip),
                None => {
                    waiting = Some((probe.name.clone(), pod_state(&status)));
                }
            }
        }
        let Some((pod, state)) = waiting else {
            return Ok(());
        };
        if Instant::now() >= deadline {
            return Err(CheckError::NotRunning {
                pod,
                seconds: plan.start_timeout.as_secs(),
                state,
            });
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// A pod's state in a few words: its phase and the reason its container waits.
fn pod_state(status: &k8s_openapi::api::core::v1::PodStatus) -> String {
    let waiting = status
        .container_statuses
        .iter()
        .flatten()
        .find_map(|c| c.state.as_ref()?.waiting.as_ref())
        .map(|w| {
            let reason = w.reason.clone().unwrap_or_default();
            match &w.message {
                Some(message) => format!("{reason}: {message}"),
                None => reason,
            }
        });
    let phase = status.phase.clone().unwrap_or_else(|| "Pending".into());
    match waiting {
        Some(waiting) => format!("{phase}, {waiting}"),
        None => phase,
    }
}

/// Calls `to` from `from`: whether `to`'s answer came back within the time limit.
async fn call(
    client: &kube::Client,
    namespace: &str,
    from: &Probe,
    to: &Probe,
) -> Result<bool, CheckError> {
    let ip = to.ip.as_deref().unwrap_or_default();
    // busybox's `nc`, not its `wget`: Debian's static busybox `wget` crashes on a lookup.
    let script = format!(
        "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | timeout {} nc -w {CALL_SECONDS} {ip} {} 2>/dev/null || true",
        CALL_SECONDS + 2,
        to.port
    );
    let mut answer = Vec::new();
    let target = Container {
        client,
        namespace,
        pod: &from.name,
        container: "probe",
    };
    remote::run(
        &target,
        "a probe call",
        &script,
        None,
        &mut |chunk: &[u8]| {
            answer.extend_from_slice(chunk);
            Ok(())
        },
        &|_| {},
    )
    .await
    .map_err(|source| CheckError::Exec {
        pod: from.name.clone(),
        source: Box::new(source),
    })?;
    Ok(String::from_utf8_lossy(&answer).contains(ANSWER))
}

/// Deletes the run's pods, policy and owner (each on its own: one refusal does not keep the
/// rest).
async fn remove(client: &kube::Client, namespace: &str, run: &str, owner: &str) {
    let selector = ListParams::default().labels(&format!("{PROBE_LABEL}={run}"));
    let now = DeleteParams {
        grace_period_seconds: Some(0),
        ..DeleteParams::default()
    };
    let pods: Api<Pod> = Api::namespaced(client.clone(), namespace);
    let _ = pods.delete_collection(&now, &selector).await;
    let policies: Api<NetworkPolicy> = Api::namespaced(client.clone(), namespace);
    let _ = policies
        .delete_collection(&DeleteParams::default(), &selector)
        .await;
    let owners: Api<ConfigMap> = Api::namespaced(client.clone(), namespace);
    let _ = owners.delete(owner, &DeleteParams::background()).await;
}
