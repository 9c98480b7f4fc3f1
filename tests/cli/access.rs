//! Access rules (`[access]`): the `NetworkPolicy` rendered for every combination lets in and out
//! exactly what the rules say (read with the API's semantics: two `from` items are OR, selectors
//! in one item are AND), the ingress controller found from a real `IngressClass` and controller
//! in the cluster (by its pods' labels, or on the host network by its nodes' addresses), and the
//! audit view `paas access`. The probes of `paas access check` are proven on the real node
//! (`real_access`).

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{DaemonSet, Deployment};
use k8s_openapi::api::core::v1::{Namespace, Node};
use k8s_openapi::api::networking::v1::{IngressClass, NetworkPolicy};
use kube::Api;
use kube::api::{DeleteParams, ListParams, PostParams};
use paas::access::rules::{self, Endpoint, PodRef, Port};

use crate::support::TestEnv;
use crate::support::app::{paas_on, site_named, stderr, up};
use crate::support::platform::{Platform, random_suffix};

/// The app's namespace in the rendered manifests.
const NS: &str = "prod";

/// One combination of `[access]` settings.
#[derive(Debug, Clone, Copy)]
struct Combination {
    allow_from: bool,
    host: bool,
    egress: Option<bool>,
    component: bool,
}

impl Combination {
    fn all() -> Vec<Self> {
        let mut all = Vec::new();
        for allow_from in [false, true] {
            for host in [false, true] {
                for egress in [None, Some(false), Some(true)] {
                    for component in [false, true] {
                        all.push(Self {
                            allow_from,
                            host,
                            egress,
                            component,
                        });
                    }
                }
            }
        }
        all
    }

    fn name(self) -> String {
        format!(
            "allow_from={} host={} egress={} component={}",
            self.allow_from,
            self.host,
            match self.egress {
                None => "unset",
                Some(false) => "empty",
                Some(true) => "listed",
            },
            self.component
        )
    }

    fn toml(self) -> String {
        let mut toml = String::from("\n[access]\n");
        if self.allow_from {
            toml.push_str("allow_from = [\"web\", \"admin\"]\n");
        }
        if self.host {
            toml.push_str("ingress_namespace = \"ingress-nginx\"\n");
        }
        match self.egress {
            None => {}
            Some(false) => toml.push_str("egress = []\n"),
            Some(true) => {
                toml.push_str("egress = [\"billing\", \"203.0.113.0/24:443\", \"10.20.0.0/16\"]\n");
            }
        }
        if self.host {
            toml.push_str("\n[ingress]\nhost = \"shop.example.com\"\n");
        }
        if self.component {
            toml.push_str("\n[components.cache]\nkind = \"redis\"\n");
        }
        toml
    }
}

/// The static site initialised as app `shop`.
fn shop_project() -> TestEnv {
    let env = TestEnv::fixture("static-dist");
    let output = env
        .paas()
        .args([
            "init",
            "--yes",
            "--name",
            "shop",
            "--registry",
            "registry.example.com/team",
        ])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", stderr(&output));
    env
}

/// The static site as app `shop`, with the standard `NetworkPolicy` template and `extra` appended
/// to its `paas.toml`; returns the rendered `NetworkPolicy` of the app (and stderr).
fn render_policy(extra: &str) -> (NetworkPolicy, String) {
    let env = shop_project();
    let template = fs_err::read_to_string(format!(
        "{}/packs/_standard/networkpolicy.yaml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("the standard template");
    env.write("deploy/networkpolicy.yaml", &template);
    let toml = env.read("paas.toml");
    env.write("paas.toml", &format!("{toml}{extra}"));
    let output = env
        .paas()
        .args(["render", "--namespace", NS, "--output", "json"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{extra}: {}", stderr(&output));
    let objects: Vec<serde_json::Value> =
        serde_json::from_slice(&output.stdout).expect("JSON objects");
    let policy = objects
        .iter()
        .find(|o| o["kind"] == "NetworkPolicy" && o["name"] == "shop")
        .unwrap_or_else(|| panic!("{extra}: no NetworkPolicy shop in {objects:?}"));
    (
        serde_json::from_value(policy["object"].clone()).expect("a NetworkPolicy"),
        stderr(&output),
    )
}

fn pod(namespace: &str, labels: &[(&str, &str)]) -> Endpoint {
    Endpoint::pod(PodRef::new(namespace, labels))
}

fn address(ip: &str) -> Endpoint {
    Endpoint::address(ip.parse().expect("an address"))
}

/// The app's own pods.
fn shop() -> PodRef {
    PodRef::new(
        NS,
        &[
            ("app.kubernetes.io/name", "shop"),
            ("app.kubernetes.io/instance", "shop"),
        ],
    )
}

/// Who may call the app, and on which port, for each kind of caller: what the rules say.
#[test]
fn every_combination_lets_in_and_out_exactly_what_the_rules_say() {
    let http = Port::tcp(8080, Some("http"));
    let metrics = Port::tcp(9113, Some("metrics"));
    for combination in Combination::all() {
        let name = combination.name();
        let (policy, _) = render_policy(&combination.toml());
        assert_eq!(
            rules::over_permits(&policy),
            Vec::<String>::new(),
            "{name}: over-permits"
        );
        let policies = std::slice::from_ref(&policy);
        let can_call =
            |source: &Endpoint, port: &Port| rules::allowed(policies, source, &shop(), port);
        let incoming: [(&str, Endpoint, &Port, bool); 9] = [
            ("its own pods", Endpoint::pod(shop()), &metrics, true),
            (
                "an allowed app",
                pod(NS, &[("app.kubernetes.io/name", "web")]),
                &http,
                combination.allow_from,
            ),
            (
                "an allowed app on another port",
                pod(NS, &[("app.kubernetes.io/name", "web")]),
                &metrics,
                false,
            ),
            (
                "a component named like an allowed app",
                pod(
                    NS,
                    &[
                        ("app.kubernetes.io/name", "web"),
                        ("paas.dev/component", "db"),
                    ],
                ),
                &http,
                false,
            ),
            (
                "another app",
                pod(NS, &[("app.kubernetes.io/name", "other")]),
                &http,
                false,
            ),
            (
                "an allowed app's name in another namespace",
                pod("dev", &[("app.kubernetes.io/name", "web")]),
                &http,
                false,
            ),
            (
                "the ingress controller's namespace",
                pod("ingress-nginx", &[("app", "controller")]),
                &http,
                combination.host,
            ),
            (
                "another namespace",
                pod("other", &[("app.kubernetes.io/name", "web")]),
                &http,
                false,
            ),
            ("an address outside", address("198.51.100.7"), &http, false),
        ];
        for (who, source, port, expected) in incoming {
            assert_eq!(
                can_call(&source, port),
                expected,
                "{name}: {who} → shop:{}",
                port.number
            );
        }

        // Outgoing: only when `egress` is set; DNS always, the app's component always.
        let restricted = combination.egress.is_some();
        let listed = combination.egress == Some(true);
        let dns = PodRef::new("kube-system", &[("k8s-app", "kube-dns")]);
        let udp53 = Port {
            number: 53,
            name: None,
            protocol: "UDP",
        };
        let tcp53 = Port::tcp(53, None);
        let redis = PodRef::new(
            NS,
            &[
                ("app.kubernetes.io/name", "redis"),
                ("app.kubernetes.io/instance", "shop-cache"),
            ],
        );
        let other_redis = PodRef::new(
            NS,
            &[
                ("app.kubernetes.io/name", "redis"),
                ("app.kubernetes.io/instance", "web-cache"),
            ],
        );
        let billing = PodRef::new(NS, &[("app.kubernetes.io/name", "billing")]);
        let other = PodRef::new(NS, &[("app.kubernetes.io/name", "other")]);
        let from = Endpoint::pod(shop());
        let out = |to: &PodRef, port: &Port| rules::allowed(policies, &from, to, port);
        let out_to = |ip: &str, port: u16| {
            rules::lets_out(&policy, &address(ip), &Port::tcp(port, None)).unwrap_or(true)
        };
        let redis_port = Port::tcp(6379, Some("redis"));
        let outgoing: [(&str, bool, bool); 11] = [
            ("DNS over UDP", out(&dns, &udp53), true),
            ("DNS over TCP", out(&dns, &tcp53), true),
            (
                "the DNS pods on another port",
                out(&dns, &http),
                !restricted,
            ),
            (
                "its own component",
                out(&redis, &redis_port),
                !restricted || combination.component,
            ),
            (
                "another app's component",
                out(&other_redis, &redis_port),
                !restricted,
            ),
            ("a listed app", out(&billing, &http), !restricted || listed),
            ("another app", out(&other, &http), !restricted),
            (
                "a listed block on its port",
                out_to("203.0.113.9", 443),
                !restricted || listed,
            ),
            (
                "a listed block on another port",
                out_to("203.0.113.9", 80),
                !restricted,
            ),
            (
                "a listed block on every port",
                out_to("10.20.3.4", 5432),
                !restricted || listed,
            ),
            (
                "an address outside",
                out_to("198.51.100.7", 443),
                !restricted,
            ),
        ];
        for (what, got, expected) in outgoing {
            assert_eq!(got, expected, "{name}: shop → {what}");
        }
    }
}

/// What the template writes for the richest combinations, read by a person.
#[test]
fn rendered_policies() {
    for (name, combination) in [
        (
            "allow_from_only",
            Combination {
                allow_from: true,
                host: false,
                egress: None,
                component: false,
            },
        ),
        (
            "host_and_egress_listed_with_component",
            Combination {
                allow_from: true,
                host: true,
                egress: Some(true),
                component: true,
            },
        ),
        (
            "egress_empty",
            Combination {
                allow_from: false,
                host: false,
                egress: Some(false),
                component: false,
            },
        ),
    ] {
        let (policy, _) = render_policy(&combination.toml());
        let yaml = serde_saphyr::to_string(&policy.spec).expect("YAML");
        insta::assert_snapshot!(format!("access_policy_{name}"), yaml);
    }
}

/// A bad `egress` entry is a usage error naming the entry, and nothing is rendered.
#[test]
fn a_bad_egress_entry_is_refused() {
    let env = shop_project();
    let toml = env.read("paas.toml");
    env.write(
        "paas.toml",
        &format!("{toml}\n[access]\negress = [\"0.0.0.0/0\"]\n"),
    );
    let output = env.paas().arg("render").output().expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    insta::assert_snapshot!(stderr(&output), @r"
        error: `[access] egress` in `paas.toml` is invalid
          caused by: `0.0.0.0/0` in `[access] egress` is not an app name or an address block: that is every address: leave `egress` out to not restrict outgoing calls

        hint: list app names such as `billing` and address blocks such as `203.0.113.0/24` or `203.0.113.7/32:443`; the cluster DNS and the app's components are always let through
        ");
}

/// `paas render` cannot look for the ingress controller, and says so.
#[test]
fn render_says_it_does_not_look_for_the_ingress_controller() {
    let (policy, stderr) = render_policy(
        "\n[access]\nallow_from = [\"web\"]\n\n[ingress]\nhost = \"shop.example.com\"\n",
    );
    assert!(
        stderr.contains("`paas up` finds the controller of ingress class `nginx` in the cluster, `paas render` does not look"),
        "{stderr}"
    );
    let from_namespaces = policy
        .spec
        .unwrap()
        .ingress
        .unwrap()
        .iter()
        .flat_map(|r| r.from.clone().unwrap_or_default())
        .filter(|p| p.namespace_selector.is_some())
        .count();
    assert_eq!(from_namespaces, 0);
}

/// A namespace of the test's own, deleted at the end.
async fn side_namespace(platform: &Platform, prefix: &str) -> String {
    let name = format!("{prefix}-{}", random_suffix());
    let ns: Namespace = serde_json::from_value(serde_json::json!({
        "metadata": {"name": name, "labels": {"paas.dev/test": "true"}}
    }))
    .expect("a namespace");
    Api::<Namespace>::all(platform.client.clone())
        .create(&PostParams::default(), &ns)
        .await
        .expect("namespace created");
    name
}

async fn delete_namespace(platform: &Platform, name: &str) {
    let _ = Api::<Namespace>::all(platform.client.clone())
        .delete(name, &DeleteParams::background())
        .await;
}

/// The controller workloads of an ingress-nginx install, as its chart labels them.
fn controller_labels(instance: &str) -> serde_json::Value {
    serde_json::json!({
        "app.kubernetes.io/name": "ingress-nginx",
        "app.kubernetes.io/instance": instance,
        "app.kubernetes.io/component": "controller"
    })
}

/// `paas up` with a host finds the controller of the app's ingress class from the cluster's own
/// objects: by the class's labels on a controller Deployment (namespace AND pod labels in one
/// item), and a host-network controller named by its arguments (its nodes' addresses); a class
/// with no controller is a warning with the way out.
#[tokio::test]
async fn up_finds_the_ingress_controller_from_its_class() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let suffix = random_suffix();
    let controller_ns = side_namespace(&platform, "ctl").await;
    let classes: Api<IngressClass> = Api::all(platform.client.clone());
    let labelled = format!("paas-t-labelled-{suffix}");
    let host_network = format!("paas-t-hostnet-{suffix}");
    let orphan = format!("paas-t-orphan-{suffix}");
    let instance = format!("ctl-{suffix}");
    for (class, labels, controller) in [
        (
            &labelled,
            controller_labels(&instance),
            "k8s.io/ingress-nginx",
        ),
        (
            &host_network,
            serde_json::json!({}),
            "example.com/hostnet-controller",
        ),
        (&orphan, serde_json::json!({}), "example.com/nobody"),
    ] {
        let object: IngressClass = serde_json::from_value(serde_json::json!({
            "metadata": {"name": class, "labels": labels},
            "spec": {"controller": controller}
        }))
        .unwrap();
        classes
            .create(&PostParams::default(), &object)
            .await
            .expect("class created");
    }
    let deployment: Deployment = serde_json::from_value(serde_json::json!({
        "metadata": {"name": "ingress-nginx-controller", "labels": controller_labels(&instance)},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": controller_labels(&instance)},
            "template": {
                "metadata": {"labels": controller_labels(&instance)},
                "spec": {"containers": [{"name": "controller", "image": "registry.k8s.io/ingress-nginx/controller:v1.12.0",
                    "args": ["/nginx-ingress-controller", format!("--ingress-class={labelled}")]}]}
            }
        }
    }))
    .unwrap();
    Api::<Deployment>::namespaced(platform.client.clone(), &controller_ns)
        .create(&PostParams::default(), &deployment)
        .await
        .expect("controller created");
    let set: DaemonSet = serde_json::from_value(serde_json::json!({
        "metadata": {"name": "edge"},
        "spec": {
            "selector": {"matchLabels": {"app": "edge"}},
            "template": {
                "metadata": {"labels": {"app": "edge"}},
                "spec": {"hostNetwork": true, "containers": [{"name": "edge", "image": "example.com/edge:1",
                    "args": [format!("--ingress-class={host_network}")]}]}
            }
        }
    }))
    .unwrap();
    Api::<DaemonSet>::namespaced(platform.client.clone(), &controller_ns)
        .create(&PostParams::default(), &set)
        .await
        .expect("daemon set created");

    let mut node_blocks: Vec<String> = Api::<Node>::all(platform.client.clone())
        .list(&ListParams::default())
        .await
        .unwrap()
        .into_iter()
        .filter_map(|n| n.status?.addresses)
        .flatten()
        .filter(|a| a.type_ == "InternalIP")
        .map(|a| format!("{}/32", a.address))
        .collect();
    node_blocks.sort();
    node_blocks.dedup();

    let policies = platform.api::<NetworkPolicy>();
    for (app, class) in [
        ("labelled", &labelled),
        ("hostnet", &host_network),
        ("orphan", &orphan),
    ] {
        let env = site_named(&platform, &platform.registry, app);
        let toml = env.read("paas.toml");
        env.write(
            "paas.toml",
            &format!("{toml}\n[ingress]\nhost = \"{app}.example.com\"\nclass = \"{class}\"\n\n[access]\nallow_from = [\"web\"]\n"),
        );
        let output = up(&env, &platform, &[]);
        assert!(output.status.success(), "{app}: {}", stderr(&output));
        let text = stderr(&output);
        let policy = policies.get(app).await.expect("the app's policy");
        let from: Vec<serde_json::Value> = policy
            .spec
            .unwrap()
            .ingress
            .unwrap()
            .into_iter()
            .flat_map(|r| r.from.unwrap_or_default())
            .map(|p| serde_json::to_value(p).unwrap())
            .collect();
        match app {
            "labelled" => {
                assert!(
                    text.contains(&format!("Access the ingress controller `{controller_ns}/Deployment/ingress-nginx-controller` (class `{labelled}`) is let in")),
                    "{text}"
                );
                assert!(
                    from.contains(&serde_json::json!({
                        "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": controller_ns}},
                        "podSelector": {"matchLabels": controller_labels(&instance)}
                    })),
                    "{from:?}"
                );
            }
            "hostnet" => {
                assert!(!node_blocks.is_empty(), "the nodes have addresses");
                assert!(
                    text.contains(
                        "runs on the host network, so it is let in by its nodes' addresses"
                    ),
                    "{text}"
                );
                for block in &node_blocks {
                    assert!(
                        from.contains(&serde_json::json!({"ipBlock": {"cidr": block}})),
                        "{block} in {from:?}"
                    );
                }
            }
            _ => {
                assert!(
                    text.contains(&format!("warning: the access rules let in no ingress controller, so the app's host does not answer: no Deployment or DaemonSet carries the labels of ingress class `{orphan}`")),
                    "{text}"
                );
                assert!(from.iter().all(|p| p.get("namespaceSelector").is_none() && p.get("ipBlock").is_none()), "{from:?}");
            }
        }
    }
    for class in [&labelled, &host_network, &orphan] {
        let _ = classes.delete(class, &DeleteParams::default()).await;
    }
    delete_namespace(&platform, &controller_ns).await;
}

/// `paas access` answers "who may call whom" for the namespace's apps from what the cluster holds,
/// policies paas did not write included.
#[tokio::test]
async fn the_audit_lists_who_may_call_whom() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    for (app, access) in [
        ("api", "[access]\nallow_from = [\"web\"]\n"),
        (
            "web",
            "[access]\nallow_from = []\negress = [\"api\", \"203.0.113.0/24:443\"]\n",
        ),
        ("batch", ""),
    ] {
        let env = site_named(&platform, &platform.registry, app);
        let toml = env.read("paas.toml");
        env.write("paas.toml", &format!("{toml}\n{access}"));
        let output = up(&env, &platform, &[]);
        assert!(output.status.success(), "{app}: {}", stderr(&output));
    }
    // a policy of someone else's: everyone may reach `batch` on 8080 only from `monitoring`
    let foreign: NetworkPolicy = serde_json::from_value(serde_json::json!({
        "metadata": {"name": "team-rule"},
        "spec": {
            "podSelector": {"matchLabels": {"app.kubernetes.io/name": "batch"}},
            "policyTypes": ["Ingress"],
            "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}}]}]
        }
    }))
    .unwrap();
    platform
        .api::<NetworkPolicy>()
        .create(&PostParams::default(), &foreign)
        .await
        .expect("foreign policy created");

    let env = TestEnv::new();
    let output = paas_on(&env, &platform, &["access"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", stderr(&output));
    // The cluster DNS's host-network pods (the real node's CoreDNS, when the platform has one) are
    // let through by address: which addresses depends on the platform.
    let text: String = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter(|l| !(l.contains("addresses ") && l.ends_with("53/UDP, 53/TCP")))
        .fold(String::new(), |mut text, line| {
            text.push_str(line);
            text.push('\n');
            text
        });
    insta::assert_snapshot!(text, @r"
        APP    MAY BE CALLED BY                     ON PORT
        api    its own pods                         any
               apps `web`                           http/TCP
        batch  every pod of namespace `monitoring`  any
        web    its own pods                         any

        APP  MAY CALL                                            ON PORT
        web  pods `k8s-app=kube-dns` of namespace `kube-system`  53/UDP, 53/TCP
             its own pods                                        any
             apps `api`                                          http/TCP
             addresses 203.0.113.0/24                            443/TCP

        CALLER \ CALLEE  api  batch  web
        api              -    no     no
        batch            no   -      no
        web              yes  no     -
        ");
    assert!(
        stderr(&output)
            .contains("policies not written by paas also apply here (counted above): `team-rule`")
    );

    let output = paas_on(&env, &platform, &["access", "--output", "json"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let allowed: BTreeMap<String, bool> = json["matrix"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                format!(
                    "{} -> {}",
                    c["from"].as_str().unwrap(),
                    c["to"].as_str().unwrap()
                ),
                c["allowed"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        allowed,
        BTreeMap::from([
            ("api -> batch".to_owned(), false),
            ("api -> web".to_owned(), false),
            ("batch -> api".to_owned(), false),
            ("batch -> web".to_owned(), false),
            ("web -> api".to_owned(), true),
            ("web -> batch".to_owned(), false),
        ])
    );
    assert_eq!(json["other_policies"], serde_json::json!(["team-rule"]));
}

/// On kwok nothing runs a command, so `paas access check` ends with the exec error and its hint,
/// and leaves no probe behind.
#[tokio::test]
async fn check_without_a_real_node_fails_cleanly() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = TestEnv::new();
    let output = paas_on(&env, &platform, &["access", "check"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("no app deployed by paas in namespace"),
        "{}",
        stderr(&output)
    );
    let site = site_named(&platform, &platform.registry, "api");
    assert!(up(&site, &platform, &[]).status.success());
    let output = paas_on(&env, &platform, &["access", "check", "--timeout", "30s"])
        .output()
        .expect("runs");
    assert_ne!(output.status.code(), Some(0), "{}", stderr(&output));
    let pods = platform
        .api::<k8s_openapi::api::core::v1::Pod>()
        .list(&ListParams::default().labels(paas::access::check::PROBE_LABEL))
        .await
        .unwrap();
    let left: Vec<_> = pods
        .items
        .iter()
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        .filter_map(|p| p.metadata.name.clone())
        .collect();
    assert!(left.is_empty(), "probes left: {left:?}");
}

/// With monitoring on and Prometheus's namespace known, the policy lets it in on the metrics port
/// only; other pods of that namespace get no further than anyone else.
#[test]
fn prometheus_is_let_in_on_the_metrics_port_only() {
    let (policy, _) =
        render_policy("\n[access]\nallow_from = []\n\n[monitoring]\nnamespace = \"monitoring\"\n");
    assert_eq!(rules::over_permits(&policy), Vec::<String>::new());
    let policies = std::slice::from_ref(&policy);
    let prometheus = pod("monitoring", &[("app.kubernetes.io/name", "prometheus")]);
    let metrics = Port::tcp(9113, Some("metrics"));
    let http = Port::tcp(8080, Some("http"));
    assert!(rules::allowed(policies, &prometheus, &shop(), &metrics));
    assert!(!rules::allowed(policies, &prometheus, &shop(), &http));
    assert!(!rules::allowed(
        policies,
        &pod("other", &[("app.kubernetes.io/name", "prometheus")]),
        &shop(),
        &metrics
    ));
}
