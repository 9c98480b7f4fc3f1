//! `paas::kube::rollout` against the real control plane of the test platform: a Deployment applied
//! server-side rolls out, and each fault the kwok stages inject ends the wait fast with the right
//! diagnosis (snapshots of what the user will read). Each test skips without the platform.

#![allow(
    clippy::print_stderr,
    clippy::doc_markdown,
    reason = "detection times go to the test output; Kubernetes kinds are words here"
)]

use std::sync::Mutex;
use std::time::{Duration, Instant};

use k8s_openapi::api::apps::v1::Deployment;
use kube::api::{DeleteParams, Patch, PatchParams};
use paas::kube::diagnose::{Diagnosis, DiagnosisKind, gather};
use paas::kube::rollout::{RolloutError, RolloutOutcome, RolloutReporter, RolloutWait};
use paas::kube::{FIELD_MANAGER, KubeError};
use serde_json::{Value, json};

use crate::support::platform::{
    FAULT_CRASH_LOOP, FAULT_IMAGE_PULL, FAULT_LABEL, FAULT_NEVER_READY, FAULT_OOM, Platform,
};

const RESTRICTED: (&str, &str) = ("pod-security.kubernetes.io/enforce", "restricted");
/// The wait's timeout in the fail-fast tests: a failure must end the wait long before it.
const TIMEOUT: Duration = Duration::from_secs(60);
/// Failures must be reported within this.
const FAST: Duration = Duration::from_secs(20);
/// Grace for failures that may heal (unready, unschedulable), shorter than the default so the
/// tests stay fast.
const GRACE: Duration = Duration::from_secs(5);

/// Records progress messages and pod problems.
#[derive(Default)]
struct Recorder {
    messages: Mutex<Vec<String>>,
    problems: Mutex<Vec<(DiagnosisKind, Duration)>>,
}

impl RolloutReporter for Recorder {
    fn on_progress(&self, message: &str) {
        self.messages
            .lock()
            .expect("not poisoned")
            .push(message.to_owned());
    }

    fn on_pod_problem(&self, diagnosis: &Diagnosis, grace: Duration) {
        self.problems
            .lock()
            .expect("not poisoned")
            .push((diagnosis.kind, grace));
    }
}

impl Recorder {
    fn messages(&self) -> Vec<String> {
        self.messages.lock().expect("not poisoned").clone()
    }

    fn problems(&self) -> Vec<(DiagnosisKind, Duration)> {
        self.problems.lock().expect("not poisoned").clone()
    }
}

/// A Deployment `web` that satisfies Pod Security "restricted", with `fault` as the kwok fault
/// label, and `extra` merged into the pod spec's first container and `pod_extra` into the pod spec.
fn web(
    image: &str,
    replicas: i32,
    fault: Option<&str>,
    container_extra: &Value,
    pod_extra: &Value,
) -> Value {
    let mut labels = json!({"app.kubernetes.io/name": "web"});
    if let Some(fault) = fault {
        labels[FAULT_LABEL] = json!(fault);
    }
    let mut container = json!({
        "name": "web",
        "image": image,
        "ports": [{"containerPort": 8080}],
        "resources": {"limits": {"memory": "128Mi"}},
        "securityContext": {
            "allowPrivilegeEscalation": false,
            "readOnlyRootFilesystem": true,
            "capabilities": {"drop": ["ALL"]}
        }
    });
    merge(&mut container, container_extra);
    let mut pod_spec = json!({
        "securityContext": {
            "runAsNonRoot": true,
            "runAsUser": 65532,
            "seccompProfile": {"type": "RuntimeDefault"}
        },
        "containers": [container]
    });
    merge(&mut pod_spec, pod_extra);
    json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "labels": {"app.kubernetes.io/name": "web"}},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app.kubernetes.io/name": "web"}},
            "template": {"metadata": {"labels": labels}, "spec": pod_spec}
        }
    })
}

fn merge(target: &mut Value, extra: &Value) {
    if let (Some(target), Some(extra)) = (target.as_object_mut(), extra.as_object()) {
        target.extend(extra.clone());
    }
}

async fn apply(p: &Platform, manifest: &Value) {
    p.api::<Deployment>()
        .patch(
            "web",
            &PatchParams::apply(FIELD_MANAGER),
            &Patch::Apply(manifest),
        )
        .await
        .expect("server-side apply");
}

async fn wait(
    p: &Platform,
    settings: RolloutWait,
    reporter: &Recorder,
) -> (Result<RolloutOutcome, RolloutError>, Duration) {
    let started = Instant::now();
    let result = settings.run(&p.client, &p.namespace, "web", reporter).await;
    (result, started.elapsed())
}

/// What the user reads: the error, then the diagnosis under it.
fn transcript(err: &RolloutError) -> String {
    match err.diagnosis() {
        Some(diagnosis) => format!("error: {err}\n\n{diagnosis}"),
        None => format!("error: {err}"),
    }
}

/// Hides what changes from run to run: the namespace, pod name hashes, restart and event counts.
fn snapshot(name: &str, p: &Platform, text: &str) {
    let namespace = regex::escape(&p.namespace);
    insta::with_settings!({filters => vec![
        (namespace.as_str(), "[NAMESPACE]"),
        (r"\bweb-[0-9a-z]{6,10}-[0-9a-z]{5}\b", "web-[HASH]-[ID]"),
        (r"ReplicaSet \\?.web-[0-9a-z]{6,10}\\?.", "ReplicaSet \"web-[HASH]\""),
        (r"\b\d+ restarts?\b", "[N] restarts"),
        (r", \d+ times\b", ", [N] times"),
        // the real node (tainted) is in the count only where the host can run one
        (r"0/\d+ nodes are available: (1 node\(s\) had untolerated taint\(s\), )?", "0/[NODES] nodes are available: "),
    ]}, {
        insta::assert_snapshot!(name, text);
    });
}

/// Applies `web` with a fault and returns the failed wait, asserting it ended fast.
/// The Deployment of image `1` with its pods labelled with a kwok fault.
fn faulty(p: &Platform, replicas: i32, fault: &str) -> Value {
    web(&p.image("1"), replicas, Some(fault), &json!({}), &json!({}))
}

async fn fails_fast(p: &Platform, manifest: &Value) -> (RolloutError, Duration, Recorder) {
    apply(p, manifest).await;
    let reporter = Recorder::default();
    let (result, elapsed) = wait(p, RolloutWait::new(TIMEOUT).grace(GRACE), &reporter).await;
    let err = result.expect_err("the rollout fails");
    assert!(elapsed < FAST, "took {elapsed:?}: {err}");
    eprintln!("detected in {:.1}s: {err}", elapsed.as_secs_f64());
    (err, elapsed, reporter)
}

fn kind(err: &RolloutError) -> Option<DiagnosisKind> {
    err.diagnosis().map(|d| d.kind)
}

#[tokio::test]
async fn restricted_deployment_rolls_out_with_progress() {
    let Some(p) = Platform::setup_with_labels(&[RESTRICTED]).await else {
        return;
    };
    apply(&p, &web(&p.image("1"), 2, None, &json!({}), &json!({}))).await;
    let reporter = Recorder::default();
    let (result, elapsed) = wait(&p, RolloutWait::new(TIMEOUT), &reporter).await;
    let outcome = result.expect("rolled out");
    eprintln!(
        "rolled out in {:.1}s: {:?}",
        elapsed.as_secs_f64(),
        reporter.messages()
    );
    assert_eq!(outcome.replicas, 2);
    assert_eq!(outcome.revision.as_deref(), Some("1"));
    let messages = reporter.messages();
    assert!(!messages.is_empty(), "no progress reported");
    let mut unique = messages.clone();
    unique.dedup();
    assert_eq!(unique, messages, "each change is reported once");

    // A second revision: waits again, through the new ReplicaSet, to revision 2.
    apply(&p, &web(&p.image("2"), 2, None, &json!({}), &json!({}))).await;
    let reporter = Recorder::default();
    let (result, _) = wait(&p, RolloutWait::new(TIMEOUT), &reporter).await;
    assert_eq!(result.expect("rolled out").revision.as_deref(), Some("2"));
    // Which step the watch sees first depends on how fast the controller is: the spec not yet
    // observed, or already some replicas updated. Either way the rollout was followed.
    let first = reporter.messages().first().cloned().unwrap_or_default();
    assert!(
        first == "Waiting for deployment spec update to be observed"
            || first.contains("new replicas have been updated")
            || first.contains("pending termination")
            || first.contains("updated replicas are available"),
        "{:?}",
        reporter.messages()
    );
}

#[tokio::test]
async fn image_pull_failure_fails_fast() {
    let Some(p) = Platform::setup_with_labels(&[RESTRICTED]).await else {
        return;
    };
    let (err, _, _) = fails_fast(&p, &faulty(&p, 1, FAULT_IMAGE_PULL)).await;
    assert_eq!(kind(&err), Some(DiagnosisKind::ImagePull), "{err}");
    // ErrImagePull turns into ImagePullBackOff after 1–2.5 s; which one is seen first varies.
    let text = transcript(&err).replace("(ErrImagePull)", "(ImagePullBackOff)");
    // The kubelet line is the `Failed` event's message, or the waiting state's when the event is
    // recorded after the status change (both are asynchronous in kwok as in a real kubelet).
    let kubelet = regex::Regex::new(r"(?m)^  kubelet: .+$").expect("regex");
    assert!(kubelet.is_match(&text), "{text}");
    let text = kubelet.replace(&text, "  kubelet: [PULL ERROR]");
    snapshot("rollout_image_pull", &p, &text);
}

#[tokio::test]
async fn crash_loop_fails_fast_with_the_previous_log() {
    let Some(p) = Platform::setup_with_labels(&[RESTRICTED]).await else {
        return;
    };
    let (err, _, _) = fails_fast(&p, &faulty(&p, 1, FAULT_CRASH_LOOP)).await;
    assert_eq!(kind(&err), Some(DiagnosisKind::CrashLoop), "{err}");
    let diagnosis = err.diagnosis().expect("a diagnosis");
    assert!(
        diagnosis
            .log_tail
            .iter()
            .any(|l| l.contains("(previous instance)")),
        "{diagnosis:?}"
    );
    snapshot("rollout_crash_loop", &p, &transcript(&err));

    // `gather` fetches the same inputs on its own (pods by selector, their events, log tails).
    let inputs = gather(&p.client, &p.namespace, "app.kubernetes.io/name=web")
        .await
        .expect("gather");
    assert_eq!(inputs.pods.len(), 1);
    assert!(
        inputs
            .events
            .iter()
            .any(|e| e.reason.as_deref() == Some("BackOff")),
        "{:?}",
        inputs.events
    );
    let again = inputs.diagnose().expect("a diagnosis");
    assert_eq!(again.kind, DiagnosisKind::CrashLoop);
    assert_eq!(again.log_tail, diagnosis.log_tail);
}

#[tokio::test]
async fn oom_kill_fails_fast_naming_the_limit() {
    let Some(p) = Platform::setup_with_labels(&[RESTRICTED]).await else {
        return;
    };
    let (err, _, _) = fails_fast(&p, &faulty(&p, 1, FAULT_OOM)).await;
    assert_eq!(kind(&err), Some(DiagnosisKind::OutOfMemory), "{err}");
    snapshot("rollout_oom", &p, &transcript(&err));
}

fn readiness_probe() -> Value {
    json!({"readinessProbe": {"httpGet": {"path": "/healthz", "port": 8080}, "periodSeconds": 5}})
}

#[tokio::test]
async fn never_ready_fails_after_the_grace() {
    let Some(p) = Platform::setup_with_labels(&[RESTRICTED]).await else {
        return;
    };
    let (err, elapsed, reporter) = fails_fast(
        &p,
        &web(
            &p.image("1"),
            1,
            Some(FAULT_NEVER_READY),
            &readiness_probe(),
            &json!({}),
        ),
    )
    .await;
    assert_eq!(kind(&err), Some(DiagnosisKind::Unready), "{err}");
    assert!(
        elapsed >= GRACE,
        "a failure that may heal waits out the grace: {elapsed:?}"
    );
    assert_eq!(reporter.problems(), [(DiagnosisKind::Unready, GRACE)]);
    snapshot("rollout_never_ready", &p, &transcript(&err));
}

#[tokio::test]
async fn unschedulable_fails_after_the_grace_with_the_scheduler_message() {
    let Some(p) = Platform::setup_with_labels(&[RESTRICTED]).await else {
        return;
    };
    let pod_extra = json!({"nodeSelector": {"paas.dev/no-such-node": "true"}});
    let (err, _, reporter) =
        fails_fast(&p, &web(&p.image("1"), 1, None, &json!({}), &pod_extra)).await;
    assert_eq!(kind(&err), Some(DiagnosisKind::Unschedulable), "{err}");
    assert_eq!(reporter.problems(), [(DiagnosisKind::Unschedulable, GRACE)]);
    snapshot("rollout_unschedulable", &p, &transcript(&err));
}

/// kwok does not model `CreateContainerConfigError`: a pod whose `envFrom` names a missing
/// ConfigMap becomes Running and Ready like any other, so the rollout completes. The diagnosis of
/// that state is covered by the unit tests of `paas::kube::diagnose`. If kwok ever models it, this
/// test says so.
#[tokio::test]
async fn missing_config_map_is_not_modelled_by_kwok() {
    let Some(p) = Platform::setup_with_labels(&[RESTRICTED]).await else {
        return;
    };
    let env_from = json!({"envFrom": [{"configMapRef": {"name": "web-config"}}]});
    apply(&p, &web(&p.image("1"), 1, None, &env_from, &json!({}))).await;
    let (result, _) = wait(
        &p,
        RolloutWait::new(TIMEOUT).grace(GRACE),
        &Recorder::default(),
    )
    .await;
    match result {
        Ok(_) => eprintln!("kwok does not model CreateContainerConfigError: the rollout completed"),
        Err(err) => assert_eq!(kind(&err), Some(DiagnosisKind::ContainerConfig), "{err}"),
    }
}

#[tokio::test]
async fn timeout_names_what_was_last_seen() {
    let Some(p) = Platform::setup_with_labels(&[RESTRICTED]).await else {
        return;
    };
    apply(
        &p,
        &web(
            &p.image("1"),
            1,
            Some(FAULT_NEVER_READY),
            &readiness_probe(),
            &json!({}),
        ),
    )
    .await;
    let (result, elapsed) = wait(
        &p,
        RolloutWait::new(Duration::from_secs(3)),
        &Recorder::default(),
    )
    .await;
    let err = result.expect_err("times out");
    assert!(matches!(err, RolloutError::Timeout { .. }), "{err}");
    assert!(
        elapsed < Duration::from_secs(3) + Duration::from_secs(4),
        "{elapsed:?}"
    );
    assert_eq!(kind(&err), Some(DiagnosisKind::Unready), "{err}");
    snapshot("rollout_timeout", &p, &transcript(&err));
}

#[tokio::test]
async fn progress_deadline_exceeded_ends_the_wait_with_a_diagnosis() {
    let Some(p) = Platform::setup_with_labels(&[RESTRICTED]).await else {
        return;
    };
    let mut manifest = web(
        &p.image("1"),
        1,
        Some(FAULT_NEVER_READY),
        &readiness_probe(),
        &json!({}),
    );
    manifest["spec"]["progressDeadlineSeconds"] = json!(2);
    apply(&p, &manifest).await;
    // A grace longer than the deadline, so the controller's verdict comes first.
    let (result, elapsed) = wait(
        &p,
        RolloutWait::new(TIMEOUT).grace(Duration::from_secs(50)),
        &Recorder::default(),
    )
    .await;
    let err = result.expect_err("deadline exceeded");
    assert!(
        matches!(err, RolloutError::ProgressDeadlineExceeded { .. }),
        "{err}"
    );
    assert!(elapsed < FAST, "{elapsed:?}");
    assert_eq!(kind(&err), Some(DiagnosisKind::Unready), "{err}");
}

/// Only the new ReplicaSet's pods count: crashing pods of a bad revision do not fail the rollout
/// of the fixed one.
#[tokio::test]
async fn old_failing_pods_do_not_fail_a_new_rollout() {
    let Some(p) = Platform::setup_with_labels(&[RESTRICTED]).await else {
        return;
    };
    let (err, _, _) = fails_fast(&p, &faulty(&p, 2, FAULT_CRASH_LOOP)).await;
    assert_eq!(kind(&err), Some(DiagnosisKind::CrashLoop), "{err}");
    apply(&p, &web(&p.image("2"), 2, None, &json!({}), &json!({}))).await;
    let (result, _) = wait(
        &p,
        RolloutWait::new(TIMEOUT).grace(GRACE),
        &Recorder::default(),
    )
    .await;
    let outcome = result.expect("the fixed revision rolls out");
    assert_eq!(outcome.revision.as_deref(), Some("2"));
}

#[tokio::test]
async fn paused_deployment_is_reported() {
    let Some(p) = Platform::setup_with_labels(&[RESTRICTED]).await else {
        return;
    };
    let mut manifest = web(&p.image("1"), 1, None, &json!({}), &json!({}));
    manifest["spec"]["paused"] = json!(true);
    apply(&p, &manifest).await;
    let (result, elapsed) = wait(&p, RolloutWait::new(TIMEOUT), &Recorder::default()).await;
    let err = result.expect_err("paused");
    assert!(matches!(err, RolloutError::Paused { .. }), "{err}");
    assert!(elapsed < FAST, "{elapsed:?}");
}

#[tokio::test]
async fn deleted_deployment_ends_the_wait() {
    let Some(p) = Platform::setup_with_labels(&[RESTRICTED]).await else {
        return;
    };
    apply(
        &p,
        &web(
            &p.image("1"),
            1,
            Some(FAULT_NEVER_READY),
            &json!({}),
            &json!({}),
        ),
    )
    .await;
    let deployments = p.api::<Deployment>();
    let reporter = Recorder::default();
    let waiting =
        RolloutWait::new(TIMEOUT)
            .grace(TIMEOUT)
            .run(&p.client, &p.namespace, "web", &reporter);
    let delete = async {
        tokio::time::sleep(Duration::from_secs(1)).await;
        deployments
            .delete("web", &DeleteParams::default())
            .await
            .expect("delete");
        std::future::pending::<()>().await;
    };
    let err = tokio::select! {
        result = waiting => result.expect_err("deleted"),
        () = delete => unreachable!(),
    };
    assert!(matches!(err, RolloutError::Deleted { .. }), "{err}");
}

#[tokio::test]
async fn missing_deployment_is_not_found() {
    let Some(p) = Platform::setup().await else {
        return;
    };
    let (result, _) = wait(&p, RolloutWait::new(TIMEOUT), &Recorder::default()).await;
    let err = result.expect_err("not found");
    assert!(
        matches!(
            err,
            RolloutError::Kube(KubeError::NotFound {
                kind: "deployment",
                ..
            })
        ),
        "{err}"
    );
    assert_eq!(
        err.to_string().replace(&p.namespace, "[NAMESPACE]"),
        "deployment `web` not found in namespace `[NAMESPACE]`"
    );
}

/// The wait is a plain future: dropping it (here, losing a `select!`) cancels it.
#[tokio::test]
async fn wait_is_cancelled_by_dropping_it() {
    let Some(p) = Platform::setup_with_labels(&[RESTRICTED]).await else {
        return;
    };
    apply(
        &p,
        &web(
            &p.image("1"),
            1,
            Some(FAULT_NEVER_READY),
            &json!({}),
            &json!({}),
        ),
    )
    .await;
    let reporter = Recorder::default();
    let started = Instant::now();
    tokio::select! {
        _ = RolloutWait::new(TIMEOUT).grace(TIMEOUT).run(&p.client, &p.namespace, "web", &reporter) => {
            panic!("the wait should still be running")
        }
        () = tokio::time::sleep(Duration::from_millis(1500)) => {}
    }
    assert!(started.elapsed() < Duration::from_secs(3));
}

/// `paas::kube::client` semantics against the platform's kubeconfig: an unknown context is named,
/// and a server that refuses connections gets kubectl's message.
#[tokio::test]
async fn client_reports_unknown_context_and_refused_connection() {
    const TIMEOUT: Duration = paas::kube::exec::DEFAULT_TIMEOUT;
    let Some(p) = Platform::setup().await else {
        return;
    };
    let kubeconfig = kube::config::Kubeconfig::read_from(&p.kubeconfig).expect("kubeconfig");
    let err = paas::kube::client_from_kubeconfig(kubeconfig.clone(), Some("nope"), TIMEOUT)
        .await
        .expect_err("unknown context");
    assert!(
        err.to_string()
            .starts_with("context `nope` is not in the kubeconfig (contexts: `"),
        "{err}"
    );

    let cluster = paas::kube::client_from_kubeconfig(kubeconfig.clone(), None, TIMEOUT)
        .await
        .expect("client");
    cluster.check().await.expect("the platform answers");

    // The same kubeconfig pointed at a port nothing listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = closed.local_addr().expect("addr").port();
    drop(closed);
    let mut refused = kubeconfig;
    for cluster in &mut refused.clusters {
        if let Some(c) = cluster.cluster.as_mut() {
            c.server = Some(format!("https://127.0.0.1:{port}"));
        }
    }
    let cluster = paas::kube::client_from_kubeconfig(refused, None, TIMEOUT)
        .await
        .expect("client");
    let err = cluster.check().await.expect_err("refused");
    assert_eq!(
        err.to_string(),
        format!(
            "the connection to the server 127.0.0.1:{port} was refused - did you specify the right host or port?"
        )
    );
}
