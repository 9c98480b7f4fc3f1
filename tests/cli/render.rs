//! `paas render`: every pack with its defaults and with every option, environments, the
//! errors, and a property test that no value can inject YAML.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use k8s_openapi::api::core::v1::{ConfigMap, Service};
use k8s_openapi::api::networking::v1::{Ingress, NetworkPolicy};
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use paas::manifests::{AccessValues, AppInfo, DeployValues, IngressValues, ManifestContext};
use proptest::prelude::*;

use crate::paas_snapshot;
use crate::support::TestEnv;

/// Parses a YAML stream into typed objects, independently of paas's own check, and
/// returns `kind/name` of each.
fn parse_stream(yaml: &str) -> Vec<String> {
    let documents: Vec<serde_json::Value> =
        serde_saphyr::from_multiple(yaml).expect("the stream is YAML");
    let mut ids = Vec::new();
    for doc in documents.into_iter().filter(|d| !d.is_null()) {
        let kind = doc["kind"].as_str().expect("kind").to_owned();
        let name = doc["metadata"]["name"].as_str().expect("name").to_owned();
        match kind.as_str() {
            "Deployment" => drop(serde_json::from_value::<Deployment>(doc).expect("Deployment")),
            "Service" => drop(serde_json::from_value::<Service>(doc).expect("Service")),
            "ConfigMap" => drop(serde_json::from_value::<ConfigMap>(doc).expect("ConfigMap")),
            "Ingress" => drop(serde_json::from_value::<Ingress>(doc).expect("Ingress")),
            "HorizontalPodAutoscaler" => {
                drop(serde_json::from_value::<HorizontalPodAutoscaler>(doc).expect("HPA"));
            }
            "PodDisruptionBudget" => {
                drop(serde_json::from_value::<PodDisruptionBudget>(doc).expect("PDB"));
            }
            "NetworkPolicy" => {
                drop(serde_json::from_value::<NetworkPolicy>(doc).expect("NetworkPolicy"));
            }
            other => panic!("unexpected kind {other}"),
        }
        ids.push(format!("{}/{name}", kind.to_lowercase()));
    }
    ids
}

fn init(env: &TestEnv, extra: &[&str]) {
    let output = env
        .paas()
        .args([
            "init",
            "--yes",
            "--name",
            "web",
            "--registry",
            "registry.example.com/team",
        ])
        .args(extra)
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

const ENV_VARS: &str = "ASPNETCORE_ENVIRONMENT = \"Production\"\nFEATURE_FLAG = \"yes\"\n";

const ALL_OPTIONS: &str = r#"
[access]
allow_from = ["frontend", "admin"]
ingress_namespace = "ingress-nginx"

[env.prod]
namespace = "shop"
protected = true
replicas = 4
host = "shop.example.com"
cpu_request = "250m"
memory_limit = "512Mi"
autoscale = { min = 3, max = 12, cpu = 60 }
env = { ASPNETCORE_ENVIRONMENT = "Production-EU" }
"#;

#[test]
fn every_pack_with_defaults_and_every_option() {
    for fixture in [
        "dotnet-web",
        "dotnet-sln",
        "aspnet-webforms",
        "jexus-core",
        "static-dist",
        "spa-vite",
    ] {
        let env = TestEnv::fixture(fixture);
        init(&env, &["--host", "web.example.com", "--replicas", "2"]);
        let output = env.paas().arg("render").output().expect("runs");
        assert!(
            output.status.success(),
            "{fixture}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let ids = parse_stream(&String::from_utf8_lossy(&output.stdout));
        assert_eq!(
            ids,
            [
                "configmap/web-env",
                "service/web",
                "deployment/web",
                "poddisruptionbudget/web",
                "ingress/web"
            ],
            "{fixture}"
        );
        insta::assert_snapshot!(
            format!("render_{fixture}"),
            String::from_utf8_lossy(&output.stdout)
        );

        // Every option, through an environment. `init` did not write the HPA and
        // NetworkPolicy templates, so bring the whole standard set.
        let mut toml = env.read("paas.toml");
        let table = toml
            .lines()
            .find(|l| l.starts_with("[deploy.env]"))
            .expect("a [deploy.env] table")
            .to_owned();
        toml = toml.replace(&table, &format!("{table}\n{ENV_VARS}"));
        toml.push_str(ALL_OPTIONS);
        env.write("paas.toml", &toml);
        for name in ["hpa.yaml", "networkpolicy.yaml"] {
            let text = fs_err::read_to_string(format!(
                "{}/packs/_standard/{name}",
                env!("CARGO_MANIFEST_DIR")
            ))
            .expect("standard");
            env.write(&format!("deploy/{name}"), &text);
        }
        let output = env
            .paas()
            .args(["render", "--env", "prod"])
            .output()
            .expect("runs");
        assert!(
            output.status.success(),
            "{fixture}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let stdout = String::from_utf8_lossy(&output.stdout);
        let ids = parse_stream(&stdout);
        assert_eq!(
            ids,
            [
                "configmap/web-env",
                "service/web",
                "deployment/web",
                "horizontalpodautoscaler/web",
                "poddisruptionbudget/web",
                "ingress/web",
                "networkpolicy/web"
            ],
            "{fixture}"
        );
        assert!(stdout.contains("namespace: shop"), "{fixture}");
        assert!(stdout.contains("Production-EU"), "{fixture}");
        assert!(
            !stdout.contains("replicas: 4"),
            "{fixture}: the HPA owns replicas"
        );
        insta::assert_snapshot!(format!("render_{fixture}_prod"), stdout);
    }
}

#[test]
fn render_to_a_folder_and_as_json() {
    let env = TestEnv::fixture("static-dist");
    init(&env, &[]);
    let output = paas_snapshot!(
        env,
        env.paas()
            .args(["render", "-o", "out", "--image", "127.0.0.1:5000/web:v1"]),
        "render_out_dir"
    );
    assert!(output.status.success());
    let mut files: Vec<String> = fs_err::read_dir(env.project.join("out"))
        .expect("out")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "configmap-web-env.yaml",
            "deployment-web.yaml",
            "service-web.yaml"
        ]
    );
    assert!(
        env.read("out/deployment-web.yaml")
            .contains("image: 127.0.0.1:5000/web:v1")
    );
    let output = env
        .paas()
        .args(["render", "--output", "json"])
        .output()
        .expect("runs");
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(value.as_array().map(Vec::len), Some(3));
}

#[test]
fn malformed_paas_toml_names_line_and_column() {
    let env = TestEnv::fixture("static-dist");
    init(&env, &[]);
    let toml = env
        .read("paas.toml")
        .replace("port = 8080", "port = \"eighty\"");
    env.write("paas.toml", &toml);
    let output = paas_snapshot!(env, env.paas().arg("render"), "render_malformed_toml");
    assert_eq!(output.status.code(), Some(2));
    env.write("paas.toml", "[app\nname = 1\n");
    let output = paas_snapshot!(
        env,
        env.paas().arg("render"),
        "render_malformed_toml_syntax"
    );
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn render_errors() {
    let env = TestEnv::named("nothing");
    let output = paas_snapshot!(env, env.paas().arg("render"), "render_no_project");
    assert_eq!(output.status.code(), Some(2));

    let env = TestEnv::fixture("static-dist");
    init(&env, &[]);
    let output = paas_snapshot!(
        env,
        env.paas().args(["render", "--env", "prod"]),
        "render_unknown_env"
    );
    assert_eq!(output.status.code(), Some(2));

    // A broken template fails with its file and line.
    let text = env
        .read("deploy/service.yaml")
        .replace("kind: Service", "kind: Service\n{{ app.nmae }}");
    env.write("deploy/service.yaml", &text);
    let output = paas_snapshot!(env, env.paas().arg("render"), "render_broken_template");
    assert_eq!(output.status.code(), Some(1));

    // A misspelt field is not silently dropped.
    let env = TestEnv::fixture("static-dist");
    init(&env, &[]);
    let text = env
        .read("deploy/deployment.yaml")
        .replace("revisionHistoryLimit", "revisionHistoryLimt");
    env.write("deploy/deployment.yaml", &text);
    let output = paas_snapshot!(env, env.paas().arg("render"), "render_unknown_field");
    assert_eq!(output.status.code(), Some(1));

    // A template that drops the restricted defaults is refused.
    let env = TestEnv::fixture("static-dist");
    init(&env, &[]);
    let text = env.read("deploy/deployment.yaml").replace(
        "allowPrivilegeEscalation: false",
        "allowPrivilegeEscalation: true",
    );
    env.write("deploy/deployment.yaml", &text);
    let output = paas_snapshot!(env, env.paas().arg("render"), "render_not_restricted");
    assert_eq!(output.status.code(), Some(1));
}

pub(crate) fn standard_templates() -> BTreeMap<String, String> {
    let dir = format!("{}/packs/_standard", env!("CARGO_MANIFEST_DIR"));
    fs_err::read_dir(&dir)
        .expect("standard dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| {
            (
                p.file_name().expect("name").to_string_lossy().into_owned(),
                fs_err::read_to_string(&p).expect("read"),
            )
        })
        .collect()
}

pub(crate) fn context(env: BTreeMap<String, String>, health: Option<String>) -> ManifestContext {
    let mut selector = BTreeMap::new();
    selector.insert("app.kubernetes.io/name".to_owned(), "web".to_owned());
    selector.insert("app.kubernetes.io/instance".to_owned(), "web".to_owned());
    let mut labels = selector.clone();
    labels.insert("app.kubernetes.io/managed-by".to_owned(), "paas".to_owned());
    labels.insert("paas.dev/app".to_owned(), "web".to_owned());
    ManifestContext {
        app: AppInfo {
            name: "web".into(),
            port: 8080,
            version: "abc1234".into(),
            pack: "nginx".into(),
        },
        image: "registry.example.com/web:abc1234".into(),
        namespace: Some("shop".into()),
        labels,
        selector_labels: selector,
        deploy: DeployValues {
            replicas: 2,
            health_path: health,
            cpu_request: "100m".into(),
            cpu_limit: "500m".into(),
            memory_request: "128Mi".into(),
            memory_limit: "256Mi".into(),
            progress_deadline_seconds: 300,
            env,
            autoscale: None,
            run_as_user: 101,
            config_name: "web-env".into(),
            secrets_name: "web-secrets".into(),
        },
        ingress: Some(IngressValues {
            host: "shop.example.com".into(),
            hosts: vec!["shop.example.com".into()],
            class: "nginx".into(),
            path: "/".into(),
            tls_secret: None,
            annotations: BTreeMap::new(),
        }),
        access: Some(AccessValues {
            allow_from: vec!["frontend".into()],
            ingress_namespace: Some("ingress-nginx".into()),
            ingress_pods: BTreeMap::new(),
            ingress_addresses: Vec::new(),
            egress: None,
        }),
        app_env: Vec::new(),
        components: Vec::new(),
        monitoring: None,
        pod_annotations: BTreeMap::new(),
        telemetry: paas::pack::values::Telemetry::default(),
    }
}

const PAYLOADS: &[&str] = &[
    "a\"\nkind: Secret",
    "x: y",
    "{{ .X }}",
    "{{ app.name }}",
    "${HOME}",
    "---",
    "\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: evil\n",
    "#",
    "\0",
    "yes",
    "on",
    "12:30",
    "0x1F",
    "~",
    "null",
    "- a\n- b",
    "'",
    "\\",
    "&anchor *alias",
    "!!binary aGk=",
    "{%raw%}",
    "\u{202e}rtl",
];

fn payload() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(PAYLOADS).prop_map(str::to_owned),
        any::<String>(),
        "[ -~\\n]{0,40}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Whatever the values, the manifests are exactly the expected objects and the
    /// ConfigMap holds exactly the given values.
    #[test]
    fn no_value_can_inject_yaml(
        values in proptest::collection::btree_map("[A-Z][A-Z0-9_]{0,8}", payload(), 0..5),
        health in proptest::option::of("/[A-Za-z0-9._~/-]{0,20}"),
    ) {
        let templates = standard_templates();
        let rendered = paas::manifests::render(&templates, &context(values.clone(), health.clone()))
            .expect("renders");
        let ids: Vec<String> = rendered.iter().map(paas::manifests::Manifest::id).collect();
        prop_assert_eq!(ids, vec![
            "configmap/web-env", "service/web", "deployment/web", "poddisruptionbudget/web",
            "ingress/web", "networkpolicy/web",
        ]);
        let yaml = paas::manifests::to_yaml_stream(&rendered);
        let reparsed = parse_stream(&yaml);
        prop_assert_eq!(reparsed.len(), 6);
        let documents: Vec<serde_json::Value> = serde_saphyr::from_multiple(&yaml).expect("yaml");
        let config: ConfigMap = serde_json::from_value(documents[0].clone()).expect("configmap");
        prop_assert_eq!(config.data.unwrap_or_default(), values);
        let deployment: Deployment = serde_json::from_value(documents[2].clone()).expect("deployment");
        let probe = deployment.spec.and_then(|s| s.template.spec).and_then(|s| s.containers[0].readiness_probe.clone());
        let path = probe.and_then(|p| p.http_get).and_then(|h| h.path);
        prop_assert_eq!(path, health);
    }
}

/// Every value of `paas.toml`, one at a time, set to each payload: `paas render` either
/// refuses it as bad input (exit 2) or renders exactly the expected objects.
#[test]
fn payloads_in_every_paas_toml_value() {
    let env = TestEnv::fixture("static-dist");
    init(&env, &["--host", "web.example.com", "--replicas", "2"]);
    let base: toml::Table = toml::from_str(&env.read("paas.toml")).expect("paas.toml parses");
    let expected = [
        "configmap/web-env",
        "service/web",
        "deployment/web",
        "poddisruptionbudget/web",
        "ingress/web",
    ];
    let fields: [&[&str]; 14] = [
        &["app", "name"],
        &["app", "pack"],
        &["build", "registry"],
        &["deploy", "namespace"],
        &["deploy", "health_path"],
        &["deploy", "cpu_request"],
        &["deploy", "memory_limit"],
        &["deploy", "env", "VALUE"],
        &["ingress", "host"],
        &["ingress", "class"],
        &["ingress", "path"],
        &["ingress", "tls_secret"],
        &["pack", "base_image"],
        &["pack", "site_dir"],
    ];
    let mut accepted = 0;
    for field in fields {
        for payload in PAYLOADS {
            let mut config = base.clone();
            let mut table = &mut config;
            for key in &field[..field.len() - 1] {
                table = table
                    .entry((*key).to_owned())
                    .or_insert_with(|| toml::Value::Table(toml::Table::new()))
                    .as_table_mut()
                    .expect("a table");
            }
            table.insert(
                field[field.len() - 1].to_owned(),
                toml::Value::String((*payload).to_owned()),
            );
            env.write("paas.toml", &toml::to_string(&config).expect("serialises"));
            let output = env.paas().arg("render").output().expect("runs");
            match output.status.code() {
                Some(2) => {}
                Some(0) => {
                    accepted += 1;
                    let ids = parse_stream(&String::from_utf8_lossy(&output.stdout));
                    let name = if field == ["app", "name"] {
                        *payload
                    } else {
                        "web"
                    };
                    let expected: Vec<String> =
                        expected.iter().map(|id| id.replace("web", name)).collect();
                    assert_eq!(ids, expected, "{field:?} = {payload:?}");
                }
                other => panic!(
                    "{field:?} = {payload:?}: exit {other:?}\n{}",
                    String::from_utf8_lossy(&output.stderr)
                ),
            }
        }
    }
    // The free-text values (an env value, for one) must be accepted, not all refused.
    assert!(
        accepted >= PAYLOADS.len(),
        "only {accepted} payloads were accepted"
    );
}

/// Renders the project of `env` after appending `extra` to its `paas.toml`; returns the typed
/// objects' ids and the stream.
fn render_with(env: &TestEnv, extra: &str) -> (Vec<String>, String) {
    let toml = env.read("paas.toml");
    env.write("paas.toml", &format!("{toml}{extra}"));
    let output = env.paas().arg("render").output().expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    env.write("paas.toml", &toml);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    (parse_stream(&stdout), stdout)
}

fn deployment_of(stream: &str) -> Deployment {
    serde_saphyr::from_multiple::<serde_json::Value>(stream)
        .expect("YAML")
        .into_iter()
        .find(|d| d["kind"] == "Deployment")
        .map(|d| serde_json::from_value(d).expect("a Deployment"))
        .expect("a Deployment")
}

/// Issue 13, monitoring and logs: every pack with monitoring on (its default where the pack
/// knows an endpoint), off, with a dashboard, a company exporter image, an OTLP endpoint, and
/// an endpoint of the app's own.
#[test]
fn every_pack_with_monitoring_on_and_off() {
    for fixture in ["static-dist", "dotnet-web", "jexus-core"] {
        let env = TestEnv::fixture(fixture);
        init(&env, &[]);
        let pack =
            toml::from_str::<toml::Value>(&env.read("paas.toml")).expect("toml")["app"]["pack"]
                .as_str()
                .expect("pack")
                .to_owned();
        let (_, on) = render_with(&env, "");
        let deployment = deployment_of(&on);
        let pod = deployment
            .spec
            .as_ref()
            .and_then(|s| s.template.spec.clone())
            .expect("pod");
        let annotations = deployment
            .spec
            .as_ref()
            .and_then(|s| s.template.metadata.as_ref())
            .and_then(|m| m.annotations.clone())
            .unwrap_or_default();
        let containers: Vec<&str> = pod.containers.iter().map(|c| c.name.as_str()).collect();
        match pack.as_str() {
            "nginx" => {
                assert_eq!(containers, ["web", "exporter"], "{fixture}");
                assert_eq!(
                    annotations.get("prometheus.io/port").map(String::as_str),
                    Some("9113")
                );
                assert_eq!(
                    annotations.get("fluentbit.io/parser").map(String::as_str),
                    Some("json")
                );
                assert!(
                    on.contains("name: metrics"),
                    "{fixture}: the Service's metrics port"
                );
                assert!(
                    env.read("nginx.conf").contains("listen 127.0.0.1:8081;"),
                    "stub_status on the loopback only"
                );
                assert!(
                    env.read("nginx.conf")
                        .contains("log_format json escape=json")
                );
            }
            "dotnet" => {
                assert_eq!(
                    containers,
                    ["web"],
                    "{fixture}: no endpoint known, no exporter"
                );
                assert_eq!(
                    annotations.keys().collect::<Vec<_>>(),
                    ["fluentbit.io/parser"],
                    "{fixture}"
                );
                for variable in [
                    "Logging__Console__FormatterName: json",
                    "OTEL_SERVICE_NAME: web",
                ] {
                    assert!(on.contains(variable), "{fixture}: {variable}");
                }
                assert!(
                    !on.contains("OTEL_EXPORTER_OTLP_ENDPOINT"),
                    "only when configured"
                );
            }
            _ => {
                assert_eq!(containers, ["web"], "{fixture}");
                assert!(
                    annotations.is_empty(),
                    "{fixture}: the pack controls no log format"
                );
            }
        }

        let (ids, off) = render_with(&env, "\n[monitoring]\nenabled = false\n");
        assert!(!ids.iter().any(|id| id.contains("dashboard")));
        let pod = deployment_of(&off)
            .spec
            .and_then(|s| s.template.spec)
            .expect("pod");
        assert_eq!(pod.containers.len(), 1, "{fixture}: no exporter when off");
        for gone in ["name: metrics", "prometheus.io/", "OTEL_"] {
            assert!(
                !off.contains(gone),
                "{fixture}: `{gone}` when monitoring is off"
            );
        }

        let (ids, full) = render_with(
            &env,
            "\n[monitoring]\ndashboard = true\notlp_endpoint = \"http://otel-collector.observability:4317\"\nnamespace = \"monitoring\"\n",
        );
        if pack == "nginx" {
            assert!(
                ids.contains(&"configmap/web-dashboard".to_owned()),
                "{ids:?}"
            );
            let dashboards: Vec<serde_json::Value> =
                serde_saphyr::from_multiple(&full).expect("YAML");
            let dashboard = dashboards
                .iter()
                .find(|d| d["metadata"]["name"] == "web-dashboard")
                .expect("dashboard");
            assert_eq!(dashboard["metadata"]["labels"]["grafana_dashboard"], "1");
            assert_eq!(dashboard["metadata"]["labels"]["paas.dev/app"], "web");
            let json: serde_json::Value = serde_json::from_str(
                dashboard["data"]["web.json"]
                    .as_str()
                    .expect("the dashboard's JSON"),
            )
            .expect("JSON");
            let titles: Vec<&str> = json["panels"]
                .as_array()
                .expect("panels")
                .iter()
                .filter_map(|p| p["title"].as_str())
                .collect();
            insta::assert_debug_snapshot!(titles, @r#"
            [
                "Targets up",
                "CPU (cores)",
                "Memory (working set)",
                "Requests per second",
                "Active connections",
                "Idle keep-alive connections",
                "nginx up (pods answering)",
            ]
            "#);
            insta::assert_snapshot!(format!("render_{fixture}_monitoring"), full);
        } else {
            assert!(
                !ids.iter().any(|id| id.contains("dashboard")),
                "{fixture}: no endpoint, no dashboard"
            );
        }
        if pack == "dotnet" {
            assert!(
                full.contains(
                    "OTEL_EXPORTER_OTLP_ENDPOINT: http://otel-collector.observability:4317"
                ),
                "{full}"
            );
            // The app's own endpoint (prometheus-net, OpenTelemetry's Prometheus exporter).
            let (_, own) = render_with(
                &env,
                "\n[monitoring]\nport = 8080\npath = \"/internal/metrics\"\n",
            );
            let deployment = deployment_of(&own);
            let annotations = deployment
                .spec
                .and_then(|s| s.template.metadata)
                .and_then(|m| m.annotations)
                .unwrap_or_default();
            assert_eq!(
                annotations.get("prometheus.io/path").map(String::as_str),
                Some("/internal/metrics")
            );
            assert_eq!(
                annotations.get("prometheus.io/port").map(String::as_str),
                Some("8080")
            );
        }
    }
    // A company mirror of the exporter, as a pack variable (here in `[pack]`; the user config's
    // `[packs.nginx]` works the same).
    let env = TestEnv::fixture("static-dist");
    init(&env, &[]);
    let (_, mirrored) = render_with(
        &env,
        "\n[pack]\nexporter_image = \"registry.corp/nginx/nginx-prometheus-exporter:1.5.3\"\n",
    );
    assert!(mirrored.contains("image: registry.corp/nginx/nginx-prometheus-exporter:1.5.3"));
}

/// The `ServiceMonitor` a deploy writes when the cluster's Prometheus selects `release: main`:
/// rendered from the standard templates with what the deploy learnt (no cluster here; the
/// platform tests apply it).
#[test]
fn the_service_monitor_carries_the_labels_prometheus_selects() {
    use paas::monitoring::{Scraper, choose};
    use paas::pack::values::{ClusterMonitoring, derive_telemetry};
    let mut context = context(BTreeMap::new(), Some("/healthz".into()));
    context.monitoring = Some(paas::manifests::MonitoringValues {
        port: 9113,
        port_name: "metrics".into(),
        path: "/metrics".into(),
        exporter: None,
        service_monitor: None,
        scraper_namespaces: Vec::new(),
        dashboard: None,
    });
    let scraper = Scraper {
        namespace: "monitoring".into(),
        name: "main".into(),
        selector: Some(
            serde_json::from_value(serde_json::json!({"matchLabels": {"release": "main"}}))
                .expect("selector"),
        ),
        namespace_selector: Some(
            k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector::default(),
        ),
    };
    let choice = choose(&[scraper], "shop", &BTreeMap::new(), &context.labels);
    context.telemetry.cluster = Some(ClusterMonitoring::Operator(choice));
    derive_telemetry(&mut context);
    assert_eq!(
        context
            .monitoring
            .as_ref()
            .map(|m| m.scraper_namespaces.clone()),
        Some(vec!["monitoring".to_owned()])
    );
    assert!(
        !context.pod_annotations.contains_key("prometheus.io/scrape"),
        "prometheus-operator ignores the annotations: none beside a ServiceMonitor"
    );
    let manifests = paas::manifests::render(&standard_templates(), &context).expect("renders");
    let monitor = manifests
        .iter()
        .find(|m| m.kind == "ServiceMonitor")
        .expect("a ServiceMonitor");
    insta::assert_snapshot!(paas::manifests::to_yaml(&monitor.value), @r"
    apiVersion: monitoring.coreos.com/v1
    kind: ServiceMonitor
    metadata:
      name: web
      namespace: shop
      labels:
        app.kubernetes.io/instance: web
        app.kubernetes.io/managed-by: paas
        app.kubernetes.io/name: web
        paas.dev/app: web
        paas.dev/namespace: shop
        release: main
    spec:
      selector:
        matchLabels:
          app.kubernetes.io/instance: web
          app.kubernetes.io/name: web
      endpoints:
      - port: metrics
        path: /metrics
        interval: 30s
    ");
}
