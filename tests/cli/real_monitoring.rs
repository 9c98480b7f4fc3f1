//! Monitoring and logs on real pods (issue 13): the nginx pack's app, deployed by `paas up` on the real node,
//! runs NGINX's Prometheus exporter beside nginx (the released 1.5.3 built from its sources:
//! tests/platform/exporter-image.sh), Pod Security "restricted" enforced. After requests, the exporter's
//! `/metrics`, read from a pod of the cluster through the Service's `metrics` port, says `nginx_up 1` and has
//! `nginx_http_requests_total` grown by them; every access-log line of the app's container is one JSON object
//! with the fields the pack's `nginx.conf` writes, and the exporter logs JSON too; `paas logs` prints the lines
//! readably and `--output json` keeps them as written. The main suite runs without prometheus-operator, so the
//! pods carry the scrape annotations and `paas status` says nothing about scraping.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::app::{paas_on, site, stderr};
use crate::support::platform::Platform;
use crate::support::real::ClientPod;

/// Pushes the exporter's test image to the open registry (idempotent, cached by its inputs), so the test also
/// runs outside `tests/test-all.sh`.
fn exporter_image_pushed() {
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/platform/exporter-image.sh"
    );
    let output = Command::new("bash")
        .arg(script)
        .output()
        .expect("bash runs");
    assert!(
        output.status.success(),
        "tests/platform/exporter-image.sh: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The value of the sample `name` (without labels) in a Prometheus text exposition.
fn sample(metrics: &str, name: &str) -> Option<f64> {
    metrics.lines().find_map(|line| {
        let (key, value) = line.split_once(' ')?;
        (key == name).then(|| value.trim().parse().ok())?
    })
}

/// The exporter's `/metrics` through the Service, from `client`, once it answers with nginx's counters.
fn metrics(client: &ClientPod, url: &str) -> String {
    let started = Instant::now();
    loop {
        let (code, text) = client.curl(url);
        if code == 0 && text.contains("HTTP 200") && sample(&text, "nginx_up").is_some() {
            return text;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{url}: no metrics within 60s; last answer ({code}): {text}"
        );
        std::thread::sleep(Duration::from_millis(500));
    }
}

#[tokio::test]
async fn nginx_exporter_counts_requests_and_access_logs_are_json() {
    let Some((platform, node)) = Platform::setup_real().await else {
        return;
    };
    exporter_image_pushed();
    let env = site(&platform, &platform.registry);
    let output = paas_on(&env, &platform, &["up", "--timeout", "240s"])
        .output()
        .expect("paas up runs");
    assert!(output.status.success(), "{}", stderr(&output));

    let pods = platform.pods("app.kubernetes.io/name=site").await;
    let pod = pods
        .iter()
        .find(|p| p.metadata.deletion_timestamp.is_none())
        .expect("a pod of site");
    let pod_name = pod.metadata.name.clone().expect("a name");
    let spec = pod.spec.as_ref().expect("a pod spec");
    assert_eq!(spec.node_name.as_deref(), Some(node.name.as_str()));
    let containers: Vec<&str> = spec.containers.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(containers, ["site", "exporter"]);
    let annotations = pod.metadata.annotations.clone().unwrap_or_default();
    for (key, value) in [
        ("prometheus.io/scrape", "true"),
        ("prometheus.io/port", "9113"),
        ("prometheus.io/path", "/metrics"),
        ("fluentbit.io/parser", "json"),
        ("kubectl.kubernetes.io/default-container", "site"),
    ] {
        assert_eq!(
            annotations.get(key).map(String::as_str),
            Some(value),
            "{key}"
        );
    }

    let client = ClientPod::start(&platform, &node, "client", &[]).await;
    let service = format!("site.{}.svc.cluster.local", platform.namespace);
    let metrics_url = format!("http://{service}:9113/metrics");
    let before = metrics(&client, &metrics_url);
    assert_eq!(sample(&before, "nginx_up"), Some(1.0), "{before}");
    let requests_before =
        sample(&before, "nginx_http_requests_total").expect("the requests counter");
    for path in ["/", "/", "/index.html", "/missing-page", "/"] {
        let (code, text) = client.curl(&format!("http://{service}{path}"));
        assert_eq!(code, 0, "{path}: {text}");
    }
    let after = metrics(&client, &metrics_url);
    let requests_after = sample(&after, "nginx_http_requests_total").expect("the requests counter");
    assert!(
        requests_after >= requests_before + 5.0,
        "nginx_http_requests_total went from {requests_before} to {requests_after} after 5 requests"
    );
    assert!(
        sample(&after, "nginx_connections_accepted").is_some_and(|n| n >= 5.0),
        "{after}"
    );
    // stub_status is on the pod's loopback only: not reachable through the pod's address.
    let pod_ip = pod
        .status
        .as_ref()
        .and_then(|s| s.pod_ip.clone())
        .expect("a pod IP");
    let (code, text) = client.curl(&format!("http://{pod_ip}:8081/stub_status"));
    assert_ne!(code, 0, "stub_status answered outside the pod: {text}");

    // Every access-log line is one JSON object with the pack's fields; nginx's own messages go to
    // stderr in its error-log format.
    let logs = Command::new(platform.kubectl().get_program())
        .args(platform.kubectl().get_args())
        .args(["logs", &pod_name, "-c", "site"])
        .output()
        .expect("kubectl logs runs");
    let text = String::from_utf8_lossy(&logs.stdout);
    let mut requests = Vec::new();
    for line in text.lines().filter(|l| l.starts_with('{')) {
        let value: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        for field in [
            "time",
            "remote_addr",
            "method",
            "path",
            "protocol",
            "status",
            "bytes",
            "duration",
            "user_agent",
        ] {
            assert!(value.get(field).is_some(), "no `{field}` in {line}");
        }
        assert!(
            value["status"].is_u64() && value["bytes"].is_u64() && value["duration"].is_number(),
            "{line}"
        );
        requests.push(format!(
            "{} {} {}",
            value["method"].as_str().unwrap_or("?"),
            value["path"].as_str().unwrap_or("?"),
            value["status"]
        ));
    }
    assert!(
        requests.contains(&"GET /missing-page 404".to_owned())
            && requests.iter().filter(|r| *r == "GET / 200").count() >= 3,
        "{requests:?}\n{text}"
    );
    let exporter = Command::new(platform.kubectl().get_program())
        .args(platform.kubectl().get_args())
        .args(["logs", &pod_name, "-c", "exporter"])
        .output()
        .expect("kubectl logs runs");
    let exporter_log = String::from_utf8_lossy(&exporter.stdout).into_owned()
        + &String::from_utf8_lossy(&exporter.stderr);
    let exporter_lines: Vec<&str> = exporter_log
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert!(!exporter_lines.is_empty(), "the exporter logs");
    for line in exporter_lines {
        let value: serde_json::Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("exporter line not JSON ({e}): {line}"));
        assert!(value.get("msg").is_some(), "{line}");
    }

    // `paas logs` shows the request readably, `--output json` as nginx wrote it.
    let output = paas_on(&env, &platform, &["logs", "--container", "site"])
        .output()
        .expect("paas logs runs");
    assert!(output.status.success(), "{}", stderr(&output));
    let shown = String::from_utf8_lossy(&output.stdout);
    let line = shown
        .lines()
        .find(|l| l.contains("GET /missing-page 404"))
        .unwrap_or_else(|| panic!("no readable request line:\n{shown}"));
    assert!(line.contains("user_agent=curl/"), "{line}");
    assert!(!line.contains('{'), "{line}");
    let output = paas_on(
        &env,
        &platform,
        &["logs", "--container", "site", "--output", "json"],
    )
    .output()
    .expect("paas logs runs");
    let raw = String::from_utf8_lossy(&output.stdout);
    let record = raw
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("one JSON record a line"))
        .find(|r| {
            r["line"]
                .as_str()
                .is_some_and(|l| l.contains("/missing-page"))
        })
        .expect("the request's record");
    let line: serde_json::Value = serde_json::from_str(record["line"].as_str().expect("the line"))
        .expect("the line as nginx wrote it");
    assert_eq!(line["status"], 404);

    // No prometheus-operator here: `paas status` cannot tell whether the annotations are scraped.
    let output = paas_on(&env, &platform, &["status"])
        .output()
        .expect("paas status runs");
    assert!(!String::from_utf8_lossy(&output.stdout).contains("scraped"));
}
