//! Monitoring with and without prometheus-operator on the kwok platform (issue 13).
//!
//! The operator's CRDs are cluster-wide on a shared apiserver, and a kind that appears in the middle of the suite
//! would change what every `paas up` of an nginx app writes. So the main suite runs without them, and
//! [`without_the_operator_the_pods_carry_the_scrape_annotations`] checks that they are absent; `tests/test-all.sh`
//! then installs them (tests/platform/operator-crds.sh, from the operator's Go module) and runs the tests named
//! `operator::with_*` as a second phase, with `PAAS_TEST_OPERATOR_CRDS=1`, reporting them as their own count.
//! Outside that phase they skip, and with `PAAS_TEST_REQUIRE_PLATFORM=1` they fail: never silently passed.

use std::collections::BTreeMap;
use std::time::Duration;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::Service;
use kube::api::{Api, ApiResource, DynamicObject, Patch, PatchParams, PostParams};

use crate::support::TestEnv;
use crate::support::app::{paas_on, site, stderr};
use crate::support::platform::{Platform, eventually, random_suffix};

/// Whether this apiserver serves `ServiceMonitor`.
fn crds_installed(platform: &Platform) -> bool {
    platform
        .kubectl()
        .args(["get", "--raw", "/apis/monitoring.coreos.com/v1"])
        .output()
        .is_ok_and(|o| {
            o.status.success() && String::from_utf8_lossy(&o.stdout).contains("servicemonitors")
        })
}

fn resource(kind: &str, plural: &str) -> ApiResource {
    ApiResource {
        group: "monitoring.coreos.com".into(),
        version: "v1".into(),
        api_version: "monitoring.coreos.com/v1".into(),
        kind: kind.into(),
        plural: plural.into(),
    }
}

/// The platform for a test of the operator phase: none (after saying why) outside it.
#[allow(clippy::print_stderr)]
async fn operator_platform() -> Option<Platform> {
    let platform = Platform::setup().await?;
    let phase = std::env::var("PAAS_TEST_OPERATOR_CRDS").as_deref() == Ok("1");
    if !phase {
        assert!(
            std::env::var("PAAS_TEST_REQUIRE_PLATFORM").as_deref() != Ok("1"),
            "the operator tests run in the second phase of tests/test-all.sh (PAAS_TEST_OPERATOR_CRDS=1, after \
             tests/platform/operator-crds.sh install); leave them out of the main suite with `--skip operator::with_`"
        );
        eprintln!(
            "skipped: needs prometheus-operator's CRDs (PAAS_TEST_OPERATOR_CRDS=1, tests/platform/operator-crds.sh install)"
        );
        return None;
    }
    assert!(
        crds_installed(&platform),
        "PAAS_TEST_OPERATOR_CRDS=1 but the apiserver does not serve ServiceMonitor: tests/platform/operator-crds.sh install"
    );
    Some(platform)
}

fn status(env: &TestEnv, platform: &Platform) -> String {
    let output = paas_on(env, platform, &["status"])
        .output()
        .expect("paas status runs");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn metrics_line(status: &str) -> Option<String> {
    status
        .lines()
        .find(|l| l.trim_start().starts_with("metrics"))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn pod_annotations(deployment: &Deployment) -> BTreeMap<String, String> {
    deployment
        .spec
        .as_ref()
        .and_then(|s| s.template.metadata.as_ref())
        .and_then(|m| m.annotations.clone())
        .unwrap_or_default()
}

#[tokio::test]
async fn with_the_operator_the_service_monitor_matches_the_prometheus_selector() {
    let Some(platform) = operator_platform().await else {
        return;
    };
    // A Prometheus of a Helm release in the test's namespace: it selects `release: <release>` and, without a
    // namespace selector, watches its own namespace only (so the tests' Prometheus objects never meet).
    let release = format!("kube-prometheus-{}", random_suffix());
    let prometheuses: Api<DynamicObject> = Api::namespaced_with(
        platform.client.clone(),
        &platform.namespace,
        &resource("Prometheus", "prometheuses"),
    );
    let prometheus: DynamicObject = serde_json::from_value(serde_json::json!({
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "Prometheus",
        "metadata": {"name": "main", "namespace": platform.namespace},
        "spec": {"serviceMonitorSelector": {"matchLabels": {"release": release}}}
    }))
    .expect("a Prometheus");
    prometheuses
        .create(&PostParams::default(), &prometheus)
        .await
        .expect("creating the Prometheus object");

    let env = site(&platform, &platform.registry);
    let output = paas_on(&env, &platform, &["up"])
        .output()
        .expect("paas up runs");
    assert!(output.status.success(), "{}", stderr(&output));

    let monitors: Api<DynamicObject> = Api::namespaced_with(
        platform.client.clone(),
        &platform.namespace,
        &resource("ServiceMonitor", "servicemonitors"),
    );
    let monitor = monitors
        .get("site")
        .await
        .expect("the app's ServiceMonitor");
    let labels = monitor.metadata.labels.clone().unwrap_or_default();
    assert_eq!(labels.get("release"), Some(&release), "{labels:?}");
    assert_eq!(labels.get("paas.dev/app").map(String::as_str), Some("site"));
    assert_eq!(monitor.data["spec"]["endpoints"][0]["port"], "metrics");
    assert_eq!(monitor.data["spec"]["endpoints"][0]["path"], "/metrics");
    // Its selector picks the app's Service, which has the `metrics` port.
    let service = platform
        .api::<Service>()
        .get("site")
        .await
        .expect("the Service");
    let service_labels = service.metadata.labels.clone().unwrap_or_default();
    let selector: BTreeMap<String, String> =
        serde_json::from_value(monitor.data["spec"]["selector"]["matchLabels"].clone())
            .expect("matchLabels");
    assert!(
        selector
            .iter()
            .all(|(k, v)| service_labels.get(k) == Some(v)),
        "{selector:?} / {service_labels:?}"
    );
    let ports: Vec<String> = service
        .spec
        .and_then(|s| s.ports)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|p| p.name)
        .collect();
    assert_eq!(ports, ["http", "metrics"]);
    // prometheus-operator ignores the annotations: none beside a ServiceMonitor.
    let deployment = platform
        .api::<Deployment>()
        .get("site")
        .await
        .expect("the Deployment");
    let annotations = pod_annotations(&deployment);
    assert!(
        !annotations.contains_key("prometheus.io/scrape"),
        "{annotations:?}"
    );
    assert_eq!(
        annotations.get("fluentbit.io/parser").map(String::as_str),
        Some("json")
    );

    let main = format!("`{}/main`", platform.namespace);
    assert_eq!(
        metrics_line(&status(&env, &platform)),
        Some(format!("metrics scraped by Prometheus {main}"))
    );

    // The Prometheus now selects another release: `paas status` says why the app is not scraped.
    prometheuses
        .patch(
            "main",
            &PatchParams::default(),
            &Patch::Merge(serde_json::json!({"spec": {"serviceMonitorSelector": {"matchLabels": {"release": "other"}}}})),
        )
        .await
        .expect("patching the Prometheus object");
    let line = eventually(
        Duration::from_secs(10),
        "paas status names the selector",
        || {
            let line = metrics_line(&status(&env, &platform));
            async move { line.filter(|l| l.contains("release=other")) }
        },
    )
    .await;
    assert_eq!(
        line,
        format!("metrics not scraped: Prometheus {main} selects label `release=other`")
    );

    // Monitoring off: the next deploy prunes the ServiceMonitor.
    let toml = env.read("paas.toml");
    env.write(
        "paas.toml",
        &format!("{toml}\n[monitoring]\nenabled = false\n"),
    );
    let output = paas_on(&env, &platform, &["up"])
        .output()
        .expect("paas up runs");
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        monitors.get_opt("site").await.expect("a read").is_none(),
        "pruned"
    );
    assert_eq!(metrics_line(&status(&env, &platform)), None);
}

#[tokio::test]
async fn without_the_operator_the_pods_carry_the_scrape_annotations() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    if std::env::var("PAAS_TEST_OPERATOR_CRDS").as_deref() == Ok("1") {
        return; // the second phase: the CRDs are installed on purpose
    }
    assert!(
        !crds_installed(&platform),
        "the main suite runs without prometheus-operator's CRDs (tests/platform/operator-crds.sh remove)"
    );
    let env = site(&platform, &platform.registry);
    let output = paas_on(&env, &platform, &["up"])
        .output()
        .expect("paas up runs");
    assert!(output.status.success(), "{}", stderr(&output));
    let deployment = platform
        .api::<Deployment>()
        .get("site")
        .await
        .expect("the Deployment");
    let annotations = pod_annotations(&deployment);
    for (key, value) in [
        ("prometheus.io/scrape", "true"),
        ("prometheus.io/port", "9113"),
        ("prometheus.io/path", "/metrics"),
        ("fluentbit.io/parser", "json"),
    ] {
        assert_eq!(
            annotations.get(key).map(String::as_str),
            Some(value),
            "{key}"
        );
    }
    let containers: Vec<String> = deployment
        .spec
        .and_then(|s| s.template.spec)
        .map(|p| p.containers.into_iter().map(|c| c.name).collect())
        .unwrap_or_default();
    assert_eq!(containers, ["site", "exporter"]);
    // No operator: nothing to say about scraping, and `down` finds nothing of a kind the cluster lacks.
    assert_eq!(metrics_line(&status(&env, &platform)), None);
    let output = paas_on(&env, &platform, &["down", "--yes"])
        .output()
        .expect("paas down runs");
    assert!(output.status.success(), "{}", stderr(&output));
}
