//! The nginx pack on the platform's real node, `paas init` and `paas up` run as a user runs them: the pods
//! run there and become Ready through the kubelet's own probes of `/healthz`, the site and its SPA
//! fallback answer through the Service's `ClusterIP` (from the test process) and through its DNS name
//! (from a client pod), `paas logs` shows nginx's access-log lines for those requests and `paas status`
//! the pods Ready on the node; a rolling update under a client that never stops asking drops no
//! request while the old pods keep serving through their `preStop` pause; `paas rollback` brings
//! the previous page back.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use futures_util::StreamExt as _;
use k8s_openapi::api::core::v1::{Node, Pod};
use kube::runtime::watcher;
use serde_json::Value;

use crate::status::{status_filtered, without_usage};
use crate::support::TestEnv;
use crate::support::app::{paas_on, release, site, site_with, stderr, up};
use crate::support::platform::{Platform, eventually, random_suffix};
use crate::support::real::{ClientPod, RealNode, http_get, http_until};

const SELECTOR: &str = "app.kubernetes.io/name=site";

/// The fixture's page (`static-dist`: a built single-page app in `dist/`).
const PAGE_TITLE: &str = "<title>Brochure</title>";

/// How long the standard Deployment's `preStop` hook pauses before the container is stopped.
const PRE_STOP: Duration = Duration::from_secs(5);

/// Generous: real pods take seconds, and the node is shared by every test running beside this one.
const LIMIT: Duration = Duration::from_secs(60);

fn is_ready(pod: &Pod) -> bool {
    pod.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|c| c.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
}

fn pod_ip(pod: &Pod) -> Option<String> {
    pod.status.as_ref()?.pod_ip.clone()
}

fn name(pod: &Pod) -> String {
    pod.metadata.name.clone().unwrap_or_default()
}

/// `paas ARGS…` against the platform, which must succeed; its stdout.
fn paas_ok(env: &TestEnv, platform: &Platform, args: &[&str]) -> String {
    let output = paas_on(env, platform, args).output().expect("paas runs");
    assert!(
        output.status.success(),
        "paas {args:?}: {}",
        stderr(&output)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The first line of `paas logs` containing every one of `parts`, waiting for it (the kubelet's log
/// files are read as they grow).
async fn log_line(env: &TestEnv, platform: &Platform, parts: &[&str]) -> String {
    eventually(LIMIT, &format!("a `paas logs` line with {parts:?}"), || {
        let text = paas_ok(env, platform, &["logs"]);
        let line = text
            .lines()
            .find(|l| parts.iter().all(|p| l.contains(p)))
            .map(str::to_owned);
        async move { line }
    })
    .await
}

/// The kubelet's own count of the probes it ran on `pod`, as `(probe type, result) → count`, from its
/// `/metrics/probes`. Read at the node's host name and kubelet port (where the API server reaches it
/// for logs and exec) with the test's kubeconfig: the kubelet's serving certificate is signed by the
/// cluster CA, and it authorises the cluster's admin.
async fn probe_counts(
    platform: &Platform,
    node: &RealNode,
    pod: &str,
) -> BTreeMap<(String, String), f64> {
    let status = kube::Api::<Node>::all(platform.client.clone())
        .get(&node.name)
        .await
        .expect("the real node")
        .status
        .expect("a node status");
    let host = status
        .addresses
        .iter()
        .flatten()
        .find(|a| a.type_ == "Hostname")
        .map(|a| a.address.clone())
        .expect("a Hostname address");
    let port = status
        .daemon_endpoints
        .and_then(|d| d.kubelet_endpoint)
        .map(|e| e.port)
        .expect("the kubelet's port");
    let output = platform
        .kubectl()
        .args(["--server", &format!("https://{host}:{port}")])
        .args(["get", "--raw", "/metrics/probes"])
        .output()
        .expect("kubectl runs");
    assert!(output.status.success(), "{}", stderr(&output));
    let text = String::from_utf8_lossy(&output.stdout);
    let sample =
        regex::Regex::new(r"^prober_probe_total\{(?P<labels>[^}]*)\} (?P<value>[0-9.e+]+)$")
            .expect("pattern");
    let label = |labels: &str, key: &str| {
        labels
            .split(',')
            .find_map(|l| l.strip_prefix(&format!("{key}=\"")))
            .and_then(|v| v.strip_suffix('"'))
            .map(str::to_owned)
    };
    let mut counts = BTreeMap::new();
    for captures in text.lines().filter_map(|l| sample.captures(l)) {
        let labels = &captures["labels"];
        if label(labels, "namespace").as_deref() != Some(platform.namespace.as_str())
            || label(labels, "pod").as_deref() != Some(pod)
        {
            continue;
        }
        let key = (
            label(labels, "probe_type").expect("probe_type"),
            label(labels, "result").expect("result"),
        );
        counts.insert(key, captures["value"].parse().expect("a count"));
    }
    counts
}

#[tokio::test]
async fn nginx_site_serves_on_the_real_node() {
    let Some((platform, node)) = Platform::setup_real().await else {
        return;
    };
    // A single-page app built beforehand: `dist/` is served as it is, unknown paths get index.html.
    let env = site_with(&platform, &platform.registry, &["--set", "spa=true"]);
    let output = up(&env, &platform, &[]);
    assert!(output.status.success(), "{}", stderr(&output));

    // Running on the real node, Ready: the kubelet ran the startup and readiness probes, which ask
    // nginx for /healthz on the container's port, and both passed.
    let pods = platform.pods(SELECTOR).await;
    assert_eq!(pods.len(), 1, "one replica");
    let pod = &pods[0];
    let pod_name = name(pod);
    let spec = pod.spec.as_ref().expect("a pod spec");
    assert_eq!(spec.node_name.as_deref(), Some(node.name.as_str()));
    let container = &spec.containers[0];
    for (kind, probe) in [
        ("startup", &container.startup_probe),
        ("readiness", &container.readiness_probe),
        ("liveness", &container.liveness_probe),
    ] {
        let get = probe
            .as_ref()
            .and_then(|p| p.http_get.as_ref())
            .unwrap_or_else(|| panic!("an HTTP {kind} probe: {probe:?}"));
        assert_eq!(get.path.as_deref(), Some("/healthz"), "{kind} probe");
    }
    let status = pod.status.as_ref().expect("a pod status");
    assert_eq!(status.phase.as_deref(), Some("Running"));
    assert!(is_ready(pod), "the pod is Ready: {status:?}");
    let container_status = status
        .container_statuses
        .as_ref()
        .and_then(|all| all.iter().find(|c| c.name == "site"))
        .expect("the app container's status");
    assert_eq!(
        container_status.started,
        Some(true),
        "the startup probe passed"
    );
    assert_eq!(container_status.restart_count, 0, "no liveness restart");
    // nginx started without a complaint (a path it cannot write on the read-only root, the pid
    // file, a temp folder, would be an `[emerg]` or a `[warn]` on stderr).
    let log = platform.pod_logs(&pod_name);
    for level in ["[emerg]", "[alert]", "[crit]", "[error]", "[warn]"] {
        assert!(!log.contains(level), "nginx's log of {pod_name}:\n{log}");
    }
    // The kubelet's own record: each of the three probes ran and passed (liveness runs once the
    // startup probe has passed, at its own 10 s period).
    let counts = eventually(LIMIT, "the kubelet's probes of the pod", || async {
        let counts = probe_counts(&platform, &node, &pod_name).await;
        ["Startup", "Readiness", "Liveness"]
            .iter()
            .all(|kind| counts.get(&((*kind).to_owned(), "successful".to_owned())) >= Some(&1.0))
            .then_some(counts)
    })
    .await;
    #[expect(clippy::print_stderr, reason = "the kubelet's figures, for the report")]
    {
        eprintln!("kubelet probes of {pod_name}: {counts:?}");
    }
    // What the kubelet was answered: nginx's own health location, not the SPA's index.html.
    let ip = pod_ip(pod).expect("a pod IP");
    let (code, _, body) = http_get(format!("{ip}:8080"), "/healthz").expect("the pod answers");
    assert_eq!((code, body.as_str()), (200, "ok\n"), "/healthz of the pod");

    // Through the Service's ClusterIP, from the test process: the page, a hashed asset and the
    // fallback of a path that is no file.
    let suffix = random_suffix();
    let addr = platform.service_addr("site").await;
    let (head, body) = http_until(addr, "/", 200, LIMIT);
    assert!(body.contains(PAGE_TITLE), "{body}");
    assert!(head.contains("cache-control: no-cache"), "{head}");
    let (head, _) = http_until(addr, "/assets/app.3f2a1c.js", 200, LIMIT);
    assert!(
        head.contains("cache-control: public, max-age=31536000, immutable"),
        "{head}"
    );
    let route = format!("/orders/{suffix}");
    let (_, fallback) = http_until(addr, &route, 200, LIMIT);
    assert!(fallback.contains(PAGE_TITLE), "SPA fallback: {fallback}");

    // Through the Service's DNS name, from a pod on the node (cluster DNS, kube-proxy, the bridge).
    let client = ClientPod::start(&platform, &node, "client", &[]).await;
    let dns_route = format!("/account/{suffix}");
    let url = format!(
        "http://site.{}.svc.cluster.local{dns_route}",
        platform.namespace
    );
    let (code, text) = client.curl(&url);
    assert_eq!(code, 0, "curl {url}: {text}");
    assert!(
        text.contains(PAGE_TITLE) && text.contains("HTTP 200"),
        "{text}"
    );

    // `paas logs`: nginx's JSON access-log lines for both requests, shown readably.
    let line = log_line(&env, &platform, &[&format!(" GET {route} 200 ")]).await;
    assert!(line.starts_with(&format!("{pod_name}/site ")), "{line}");
    let line = log_line(
        &env,
        &platform,
        &[&format!(" GET {dns_route} 200 "), " user_agent=curl/"],
    )
    .await;
    assert!(line.starts_with(&format!("{pod_name}/site ")), "{line}");

    // `paas status`: healthy, every pod Ready on the real node.
    let json: Value =
        serde_json::from_str(&paas_ok(&env, &platform, &["status", "--output", "json"]))
            .expect("one JSON document");
    assert_eq!(json["healthy"], true, "{json:#}");
    let pods = json["pods"].as_array().expect("pods");
    assert_eq!(pods.len(), 1, "{json:#}");
    for pod in pods {
        assert_eq!(pod["node"], node.name.as_str(), "{pod:#}");
        assert_eq!(pod["status"], "Running", "{pod:#}");
        assert_eq!(pod["ready"], pod["containers"], "{pod:#}");
    }
    let text = paas_ok(&env, &platform, &["status"]);
    let row = text
        .lines()
        .find(|l| l.starts_with(&pod_name))
        .unwrap_or_else(|| panic!("a row for the pod:\n{text}"));
    let columns: Vec<&str> = row.split_whitespace().collect();
    // nginx and its Prometheus exporter.
    assert_eq!(columns[1..3], ["2/2", "Running"], "READY and STATUS: {row}");
    assert!(columns.contains(&node.name.as_str()), "NODE: {row}");
    let node_name =
        regex::Regex::new(&format!(r"\b{}\b", regex::escape(&node.name))).expect("pattern");
    let text = status_filtered(&without_usage(&text), &platform);
    insta::assert_snapshot!(node_name.replace_all(&text, "[REAL NODE]"), @r"
    app  site (namespace [NAMESPACE])
    health  healthy: 1 of 1 pods ready
    release  1 (deployed, up) [AGO] by [USER], commit -, image sha256:[SHORT]
    rollout  complete (deployment site: 1 desired, 1 updated, 1 ready, 1 available)
    urls  http://site.[NAMESPACE].svc.cluster.local:80

    POD  READY  STATUS  RESTARTS  AGE  NODE  LAST TERMINATION
    site-[POD]  2/2  Running  0  [AGE]  [REAL NODE]  -
    ");
}

/// What one client saw: answers by body, and each failed request.
#[derive(Debug, Default)]
struct Tally {
    ok: BTreeMap<String, usize>,
    /// When each body was last answered.
    last: BTreeMap<String, Instant>,
    failed: Vec<String>,
}

impl Tally {
    fn requests(&self) -> usize {
        self.ok.values().sum::<usize>() + self.failed.len()
    }
}

/// A client asking `addr` for `/` in a loop, one new connection per request (so every request goes
/// through kube-proxy's choice of endpoint again), until stopped.
struct Hammer {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<Tally>,
}

impl Hammer {
    fn start(addr: SocketAddr) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let stop = stop.clone();
            std::thread::spawn(move || {
                let mut tally = Tally::default();
                let started = Instant::now();
                while !stop.load(Ordering::SeqCst) {
                    match http_get(addr, "/") {
                        Some((200, _, body)) => {
                            let body = body.trim().to_owned();
                            tally.last.insert(body.clone(), Instant::now());
                            *tally.ok.entry(body).or_default() += 1;
                        }
                        other => tally
                            .failed
                            .push(format!("at {:?}: {other:?}", started.elapsed())),
                    }
                    std::thread::sleep(Duration::from_millis(10));
                }
                tally
            })
        };
        Self { stop, thread }
    }

    fn stop(self) -> Tally {
        self.stop.store(true, Ordering::SeqCst);
        self.thread.join().expect("the client thread")
    }
}

/// How one old pod went away, as the API server and a client of its own IP saw it.
#[derive(Debug)]
struct Termination {
    pod: String,
    /// When its deletion was asked for (`deletionTimestamp` less the grace period), in seconds.
    requested: i64,
    /// When its container stopped (`finishedAt`), in seconds.
    finished: i64,
    /// 0 when nginx stopped by itself on the stop signal, 137 when the kubelet had to kill it.
    exit_code: i32,
    /// Its last answer on its own IP, in seconds since the epoch (this host's clock, the node's).
    last_answer: f64,
}

impl Termination {
    /// How long it kept answering after its deletion was asked for: a little less than that (the
    /// request time is floored, its IP is asked every 100 ms), never more.
    fn served_after_deletion(&self) -> f64 {
        #[expect(
            clippy::cast_precision_loss,
            reason = "seconds since the epoch fit in f64"
        )]
        let requested = self.requested as f64;
        self.last_answer - requested
    }
}

/// When the deletion of a pod that is terminating was asked for, in whole seconds: its
/// `deletionTimestamp` is that moment plus the grace period. Only right after the request: the
/// kubelet's final delete (grace 0) rewrites both.
fn deletion_requested(pod: &Pod) -> Option<i64> {
    let meta = &pod.metadata;
    Some(meta.deletion_timestamp.as_ref()?.0.as_second() - meta.deletion_grace_period_seconds?)
}

/// When the pod's container stopped (`finishedAt`, in whole seconds) and its exit code.
fn container_finished(pod: &Pod) -> Option<(i64, i32)> {
    let status = pod
        .status
        .as_ref()?
        .container_statuses
        .as_ref()?
        .iter()
        .find(|c| c.name == "site")?;
    let terminated = status.state.as_ref()?.terminated.as_ref()?;
    Some((
        terminated.finished_at.as_ref()?.0.as_second(),
        terminated.exit_code,
    ))
}

/// Watches the pods of `names` until each is deleted; meanwhile asks each terminating pod's IP for
/// `/healthz` every 100 ms until it stops answering.
fn watch_terminations(
    platform: &Platform,
    names: Vec<String>,
) -> tokio::task::JoinHandle<Vec<Termination>> {
    let api = platform.api::<Pod>();
    tokio::spawn(async move {
        let mut stream = watcher(api, watcher::Config::default().labels(SELECTOR)).boxed();
        // Per terminating pod: when its deletion was asked for, the client of its IP, its last state.
        let mut terminating: BTreeMap<String, (i64, JoinHandle<f64>)> = BTreeMap::new();
        let mut last: BTreeMap<String, Pod> = BTreeMap::new();
        let mut gone = Vec::new();
        while gone.len() < names.len() {
            let event = stream
                .next()
                .await
                .expect("the watch goes on")
                .expect("a watch event");
            let (pod, deleted) = match event {
                watcher::Event::Apply(pod) | watcher::Event::InitApply(pod) => (pod, false),
                watcher::Event::Delete(pod) => (pod, true),
                watcher::Event::Init | watcher::Event::InitDone => continue,
            };
            let pod_name = name(&pod);
            if !names.contains(&pod_name) {
                continue;
            }
            if !terminating.contains_key(&pod_name)
                && let Some(requested) = deletion_requested(&pod)
            {
                let ip = pod_ip(&pod).expect("a terminating pod keeps its IP");
                terminating.insert(pod_name.clone(), (requested, serve_while_answering(ip)));
            }
            last.insert(pod_name.clone(), pod);
            if deleted && !gone.contains(&pod_name) {
                gone.push(pod_name);
            }
        }
        gone.into_iter()
            .map(|pod_name| {
                let (finished, exit_code) =
                    container_finished(&last[&pod_name]).unwrap_or_else(|| {
                        panic!(
                            "{pod_name} was deleted with its container terminated: {:?}",
                            last[&pod_name].status
                        )
                    });
                let (requested, client) = terminating
                    .remove(&pod_name)
                    .unwrap_or_else(|| panic!("{pod_name} was seen terminating"));
                Termination {
                    requested,
                    finished,
                    exit_code,
                    last_answer: client.join().expect("the pod's client"),
                    pod: pod_name,
                }
            })
            .collect()
    })
}

/// Asks the pod at `ip` for `/healthz` on port 8080 every 100 ms until it stops answering: the time of
/// its last answer, in seconds since the epoch (0 if it never answered).
fn serve_while_answering(ip: String) -> JoinHandle<f64> {
    std::thread::spawn(move || {
        let started = Instant::now();
        let mut last = 0.0;
        while started.elapsed() < LIMIT {
            match http_get(format!("{ip}:8080"), "/healthz") {
                Some((200, _, _)) => {
                    last = SystemTime::now()
                        .duration_since(UNIX_EPOCH)
                        .expect("after the epoch")
                        .as_secs_f64();
                }
                _ => break,
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        last
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rolling_update_drops_no_request_and_keeps_the_pre_stop_pause() {
    let Some((platform, _node)) = Platform::setup_real().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    let toml = env.read("paas.toml");
    assert!(toml.contains("\nreplicas = 1\n"), "{toml}");
    env.write(
        "paas.toml",
        &toml.replace("\nreplicas = 1\n", "\nreplicas = 2\n"),
    );
    release(&env, &platform, 1);
    let old: Vec<String> = platform.pods(SELECTOR).await.iter().map(name).collect();
    assert_eq!(old.len(), 2, "{old:?}");
    let addr = platform.service_addr("site").await;
    let first = format!("<h1>{} 1</h1>", platform.namespace);
    serves_only(addr, &first);

    let terminations = watch_terminations(&platform, old.clone());
    let hammer = Hammer::start(addr);
    std::thread::sleep(Duration::from_secs(1));
    tokio::task::block_in_place(|| release(&env, &platform, 2));
    let returned = Instant::now();
    let terminations = tokio::time::timeout(LIMIT, terminations)
        .await
        .unwrap_or_else(|_| panic!("the old pods {old:?} are gone within {LIMIT:?}"))
        .expect("the watch task");
    let tally = hammer.stop();

    #[expect(clippy::print_stderr, reason = "the figure the test reports")]
    {
        eprintln!(
            "rolling update: {} requests, {} failed ({:?})",
            tally.requests(),
            tally.failed.len(),
            tally.ok
        );
        if let Some(last) = tally.last.get(&first) {
            eprintln!(
                "rolling update: the old page was last served {:?} after `paas up` returned",
                last.saturating_duration_since(returned)
            );
        }
        for t in &terminations {
            eprintln!(
                "pre-stop: {} stopped {} s after its deletion was asked for, answered until {:.1} s after (exit code {})",
                t.pod,
                t.finished - t.requested,
                t.served_after_deletion(),
                t.exit_code
            );
        }
    }
    assert!(
        tally.failed.is_empty(),
        "failed requests: {:?}",
        tally.failed
    );
    let second = format!("<h1>{} 2</h1>", platform.namespace);
    assert!(
        tally.ok.contains_key(&first) && tally.ok.contains_key(&second),
        "the client asked before and after the new pods took over: {:?}",
        tally.ok
    );
    assert_eq!(
        tally.ok.len(),
        2,
        "only the two releases answered: {:?}",
        tally.ok
    );
    serves_only(addr, &second);

    // The preStop pause: each old pod's container stopped no earlier than 5 s after its deletion
    // was asked for (both times are whole seconds, floored: a real gap of 5 s or more shows as at
    // least 5), and it kept answering on its own IP until then (0.5 s of slack for the 100 ms
    // between two asks; without the pause nginx stops at once and the gap is under 2 s).
    assert_eq!(terminations.len(), 2, "{terminations:?}");
    for t in &terminations {
        assert!(
            t.finished - t.requested >= i64::try_from(PRE_STOP.as_secs()).expect("seconds"),
            "{t:?}"
        );
        assert!(
            t.served_after_deletion() >= PRE_STOP.as_secs_f64() - 0.5,
            "{t:?}"
        );
        assert_eq!(t.exit_code, 0, "nginx stopped gracefully: {t:?}");
    }
}

/// Waits until the Service at `addr` answers `/` with the page `want` 20 times in a row (every pod
/// serves it). `paas up` and `paas rollback` return when the rollout is complete; the old pods are
/// then terminating, still serving through their `preStop` pause, and kube-proxy takes them out of
/// its rules a moment later (it syncs at most once a second), so both pages answer for a while.
fn serves_only(addr: SocketAddr, want: &str) {
    let started = Instant::now();
    let mut in_a_row = 0;
    while in_a_row < 20 {
        let answer = http_get(addr, "/");
        if answer.as_ref().map(|(code, _, body)| (*code, body.trim())) == Some((200, want)) {
            in_a_row += 1;
        } else {
            in_a_row = 0;
            assert!(
                started.elapsed() < LIMIT,
                "{addr} serves only {want} within {LIMIT:?}; last {answer:?}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

#[tokio::test]
async fn rollback_serves_the_previous_page_again() {
    let Some((platform, _node)) = Platform::setup_real().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    release(&env, &platform, 1);
    let addr = platform.service_addr("site").await;
    let first = format!("<h1>{} 1</h1>", platform.namespace);
    serves_only(addr, &first);

    release(&env, &platform, 2);
    serves_only(addr, &format!("<h1>{} 2</h1>", platform.namespace));

    let result: Value = serde_json::from_str(&paas_ok(
        &env,
        &platform,
        &["rollback", "--timeout", "60s", "--output", "json"],
    ))
    .expect("one JSON result");
    assert_eq!(
        (&result["from"], &result["to"], &result["revision"]),
        (&2.into(), &1.into(), &3.into()),
        "{result:#}"
    );
    serves_only(addr, &first);
}
