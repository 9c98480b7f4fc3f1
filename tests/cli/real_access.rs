//! Calling an app on real pods from inside the cluster: the addresses `paas up` and `paas status` print
//! resolve through cluster DNS and answer, and `[access] allow_from` is enforced by the real node's
//! `kube-router` on the `NetworkPolicy` paas renders. Callers are client pods labelled like an app
//! (`app.kubernetes.io/name`), which is all a policy sees of a pod; a refused call must fail at once (the
//! enforcer rejects), not time out.

#![expect(
    clippy::print_stderr,
    reason = "each call's outcome and curl's own timing go to the test output"
)]

use std::time::{Duration, Instant};

use k8s_openapi::api::networking::v1::NetworkPolicy;

use crate::support::TestEnv;
use crate::support::app::{paas_on, site, site_named, stderr, up};
use crate::support::platform::Platform;
use crate::support::real::{ClientPod, RealNode};

/// curl's exit code for "connection refused".
const REFUSED: i32 = 7;

/// How long the enforcer may take to see a new pod or policy.
const ENFORCER_LIMIT: Duration = Duration::from_secs(30);

/// The static site as app `name`, `access` (a `[access]` section, or nothing) appended to its `paas.toml`,
/// deployed with `paas up`.
fn deploy(platform: &Platform, name: &str, access: &str) -> TestEnv {
    let env = site_named(platform, &platform.registry, name);
    let toml = env.read("paas.toml");
    env.write("paas.toml", &format!("{toml}\n{access}"));
    let output = up(&env, platform, &[]);
    assert!(
        output.status.success(),
        "paas up {name}: {}",
        stderr(&output)
    );
    env
}

/// A client pod that a `NetworkPolicy` takes for a pod of app `app`. Only the name label: with the
/// instance label too, the pod would match the app's Service selector and become one of its endpoints.
async fn caller(platform: &Platform, node: &RealNode, app: &str) -> ClientPod {
    ClientPod::start(
        platform,
        node,
        &format!("caller-{app}"),
        &[(paas::labels::NAME, app)],
    )
    .await
}

/// What one curl from `from` to `url` gave.
struct Call {
    code: i32,
    text: String,
    /// The calls made until this one, this one included.
    attempts: u32,
}

/// curl from `from` to `url` until `done`, panicking after [`ENFORCER_LIMIT`] with the last answer.
fn call_until(from: &ClientPod, url: &str, what: &str, done: impl Fn(&Call) -> bool) -> Call {
    let started = Instant::now();
    let mut attempts = 0;
    loop {
        let (code, text) = from.curl(url);
        attempts += 1;
        let call = Call {
            code,
            text,
            attempts,
        };
        if done(&call) {
            return call;
        }
        assert!(
            started.elapsed() < ENFORCER_LIMIT,
            "{} -> {url}: not {what} within {ENFORCER_LIMIT:?}; last: curl exit {}, {:?}",
            from.name,
            call.code,
            call.text
        );
        std::thread::sleep(Duration::from_millis(300));
    }
}

/// `from` gets the site's page from `url`.
fn reaches(from: &ClientPod, url: &str) {
    let call = call_until(from, url, "served", |c| {
        c.code == 0 && c.text.contains("HTTP 200") && c.text.contains("<html")
    });
    eprintln!("{} -> {url}: served (call {})", from.name, call.attempts);
}

/// `from`'s connection to `host:port` is refused, at once: curl exits 7 within a second by its own
/// clock (a dropped packet would be its timeout, exit 28, after 5 s), and nc names the error.
fn refused(from: &ClientPod, host: &str, port: u16) {
    let url = format!("http://{host}:{port}/");
    let call = call_until(from, &url, "refused", |c| {
        c.code != 0 || !c.text.contains("HTTP 200")
    });
    assert_eq!(
        call.code, REFUSED,
        "{} -> {url}: {:?} (curl exit 7 is a refused connection)",
        from.name, call.text
    );
    let waited: u64 = regex::Regex::new(r"after (\d+) ms")
        .expect("pattern")
        .captures(&call.text)
        .and_then(|c| c[1].parse().ok())
        .unwrap_or_else(|| panic!("curl says how long it tried: {:?}", call.text));
    assert!(
        waited < 1000,
        "{} -> {url}: refused only after {waited} ms",
        from.name
    );
    let nc = from.exec(&["nc", "-zv", "-w", "3", host, &port.to_string()]);
    let said = String::from_utf8_lossy(&nc.stderr);
    assert!(
        !nc.status.success() && said.contains("Connection refused"),
        "{} -> {host}:{port}: nc {:?}: {said}",
        from.name,
        nc.status.code()
    );
    eprintln!(
        "{} -> {url}: refused after {waited} ms (call {}); nc: {}",
        from.name,
        call.attempts,
        said.lines().next().unwrap_or_default()
    );
}

#[tokio::test]
async fn allow_from_lets_in_only_the_listed_apps_and_removing_it_opens_the_app() {
    let Some((platform, node)) = Platform::setup_real().await else {
        return;
    };
    // Another namespace, standing for an ingress controller's: namespaces carry
    // `kubernetes.io/metadata.name`, which is what `ingress_namespace` selects.
    let Some(outside) = Platform::another_real(&node).await else {
        return;
    };
    let ns = &platform.namespace;

    // A lets in only C; B only A and the other namespace; C nobody.
    let _a = deploy(&platform, "a", "[access]\nallow_from = [\"c\"]\n");
    let b = deploy(
        &platform,
        "b",
        &format!(
            "[access]\nallow_from = [\"a\"]\ningress_namespace = \"{}\"\n",
            outside.namespace
        ),
    );
    let _c = deploy(&platform, "c", "[access]\nallow_from = []\n");
    let b_addr = platform.service_addr("b").await;

    let (from_a, from_b, from_c, from_outside) = tokio::join!(
        caller(&platform, &node, "a"),
        caller(&platform, &node, "b"),
        caller(&platform, &node, "c"),
        // labelled like C, which A lets in from its own namespace only
        caller(&outside, &node, "c"),
    );

    // A reaches B through its ClusterIP, its short name and its full DNS name.
    reaches(&from_a, &format!("http://{b_addr}/"));
    reaches(&from_a, "http://b/");
    reaches(&from_a, &format!("http://b.{ns}.svc.cluster.local/"));
    // B's call to A and C's call to B are refused, and so is every call to C (an empty list).
    refused(&from_b, "a", 80);
    refused(&from_c, "b", 80);
    refused(&from_c, &b_addr.ip().to_string(), b_addr.port());
    refused(&from_a, "c", 80);
    refused(&from_b, "c", 80);
    // A lets C in.
    reaches(&from_c, "http://a/");
    // The ingress namespace reaches B; `allow_from` names apps of B's own namespace only.
    reaches(&from_outside, &format!("http://b.{ns}.svc.cluster.local/"));
    refused(&from_outside, &format!("a.{ns}.svc.cluster.local"), 80);

    // The kubelet's probes get through every policy: each app's pods stay ready, never restarted.
    probes_pass(&platform, &["a", "b", "c"]).await;

    // Without [access], B's policy is pruned and C's call goes through.
    let toml = b.read("paas.toml");
    let (without, _) = toml.split_once("[access]").expect("the [access] section");
    b.write("paas.toml", without);
    let output = up(&b, &platform, &[]);
    assert!(output.status.success(), "paas up b: {}", stderr(&output));
    let policies = platform.api::<NetworkPolicy>();
    assert!(
        policies
            .get_opt("b")
            .await
            .expect("reading policies")
            .is_none(),
        "the NetworkPolicy of b is pruned"
    );
    let opened = Instant::now();
    reaches(&from_c, "http://b/");
    eprintln!(
        "c reached b {:?} after the deploy without [access]",
        opened.elapsed()
    );
    refused(&from_b, "c", 80);
    probes_pass(&platform, &["a", "c"]).await;
}

/// Every pod of each of `apps` is ready and has never restarted.
async fn probes_pass(platform: &Platform, apps: &[&str]) {
    for app in apps {
        let pods = platform.pods(&paas::labels::app_selector(app)).await;
        assert!(!pods.is_empty(), "no pods of {app}");
        for pod in pods {
            let name = pod.metadata.name.unwrap_or_default();
            let status = pod.status.expect("a pod status");
            for container in status.container_statuses.unwrap_or_default() {
                assert!(container.ready, "{name} is not ready");
                assert_eq!(container.restart_count, 0, "{name} restarted");
            }
        }
    }
}

#[tokio::test]
async fn the_addresses_paas_prints_resolve_to_the_service_and_serve_the_site() {
    let Some((platform, node)) = Platform::setup_real().await else {
        return;
    };
    let ns = &platform.namespace;
    let env = site(&platform, &platform.registry);
    let output = up(&env, &platform, &[]);
    assert!(output.status.success(), "paas up: {}", stderr(&output));
    let from_up: Vec<String> = stderr(&output)
        .lines()
        .filter_map(|line| line.trim().strip_prefix("at "))
        .map(str::to_owned)
        .collect();
    let status = paas_on(&env, &platform, &["status"])
        .output()
        .expect("paas status runs");
    assert!(status.status.success(), "paas status: {}", stderr(&status));
    let from_status: Vec<String> = String::from_utf8_lossy(&status.stdout)
        .split_whitespace()
        .filter(|word| word.starts_with("http://"))
        .map(str::to_owned)
        .collect();
    assert_eq!(
        from_up, from_status,
        "paas up and paas status print the same addresses"
    );
    assert_eq!(from_up.len(), 1, "one address, the Service's: {from_up:?}");

    let service = platform.service_addr("site").await;
    let client = ClientPod::start(&platform, &node, "client", &[]).await;
    // The short name (through the pod's DNS search list) and every longer form, up to the one paas
    // prints, resolve to the Service's ClusterIP.
    for name in [
        "site".to_owned(),
        format!("site.{ns}"),
        format!("site.{ns}.svc"),
        format!("site.{ns}.svc.cluster.local"),
    ] {
        let lookup = client.exec(&["getent", "hosts", &name]);
        let text = String::from_utf8_lossy(&lookup.stdout);
        assert_eq!(
            text.split_whitespace().next(),
            Some(service.ip().to_string().as_str()),
            "getent hosts {name}: {text}{}",
            String::from_utf8_lossy(&lookup.stderr)
        );
    }
    for url in &from_up {
        let host = url
            .strip_prefix("http://")
            .and_then(|rest| rest.split([':', '/']).next())
            .unwrap_or_else(|| panic!("an http address: {url}"));
        assert_eq!(host, format!("site.{ns}.svc.cluster.local"), "{url}");
        assert!(
            url.ends_with(&format!(":{}", service.port())),
            "{url} names the Service's port {}",
            service.port()
        );
        let (code, text) = client.curl(url);
        assert!(
            code == 0 && text.contains("HTTP 200") && text.contains("<title>Brochure</title>"),
            "curl {url}: exit {code}: {text}"
        );
    }
}

/// Stops the real node's enforcer for a test, and starts it again however the test ends.
struct EnforcerStopped;

impl EnforcerStopped {
    fn stop() -> Self {
        enforcer("stop");
        Self
    }
}

impl Drop for EnforcerStopped {
    fn drop(&mut self) {
        enforcer("start");
    }
}

/// `tests/platform.sh enforcer stop|start`.
fn enforcer(action: &str) {
    let script = format!("{}/tests/platform.sh", env!("CARGO_MANIFEST_DIR"));
    let output = std::process::Command::new("bash")
        .args([script.as_str(), "enforcer", action])
        .output()
        .expect("platform.sh runs");
    assert!(
        output.status.success(),
        "enforcer {action}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// `paas access check --output json` with the probe image: its exit code and JSON.
fn check(
    env: &TestEnv,
    platform: &Platform,
    node: &RealNode,
    extra: &[&str],
) -> (Option<i32>, serde_json::Value, String) {
    let output = paas_on(
        env,
        platform,
        &[
            "access",
            "check",
            "--image",
            &node.busybox_image,
            "--output",
            "json",
        ],
    )
    .args(extra)
    .output()
    .expect("paas access check runs");
    let json = serde_json::from_slice(&output.stdout).unwrap_or(serde_json::Value::Null);
    (output.status.code(), json, stderr(&output))
}

/// The outcome of each direction in a check's JSON: `from -> to` → (rules allow, got through).
fn directions(json: &serde_json::Value) -> Vec<(String, bool, bool)> {
    json["calls"]
        .as_array()
        .expect("calls")
        .iter()
        .map(|c| {
            (
                format!(
                    "{} -> {}",
                    c["from"].as_str().unwrap_or_default(),
                    c["to"].as_str().unwrap_or_default()
                ),
                c["expected"].as_bool().unwrap_or_default(),
                c["observed"].as_bool().unwrap_or_default(),
            )
        })
        .collect()
}

/// `paas access check` on real pods: A may call B and B may not call A, each proven by a probe,
/// A's component only by A, D only B (with the cluster DNS still answering D); and with the
/// enforcer stopped (as a network plugin that ignores `NetworkPolicy`), the check says so: a
/// warning, and an error with `--strict`. No probe is left.
#[tokio::test]
async fn access_check_proves_the_rules_and_says_when_nothing_enforces_them() {
    let Some((platform, node)) = Platform::setup_real_alone().await else {
        return;
    };
    let _a = deploy(
        &platform,
        "a",
        &format!(
            "[access]\nallow_from = []\n\n[components.cache]\nkind = \"redis\"\nimage = \"{}\"\n",
            node.redis_image
        ),
    );
    let _b = deploy(&platform, "b", "[access]\nallow_from = [\"a\", \"d\"]\n");
    // d may call only b (and DNS): the real node's CoreDNS runs on the host network, so the DNS rule
    // needs its address, which `paas up` finds
    let d = deploy(&platform, "d", "[access]\negress = [\"b\"]\n");
    let env = TestEnv::new();

    // A pod d's policy selects resolves names and reaches b, and nothing else.
    let from_d = ClientPod::start(
        &platform,
        &node,
        "caller-d",
        &[(paas::labels::NAME, "d"), (paas::labels::INSTANCE, "d")],
    )
    .await;
    let ns = &platform.namespace;
    let resolved = from_d.exec(&["getent", "hosts", &format!("b.{ns}.svc.cluster.local")]);
    assert!(
        resolved.status.success(),
        "d resolves b through the cluster DNS: {}",
        String::from_utf8_lossy(&resolved.stderr)
    );
    reaches(&from_d, "http://b/");
    refused(&from_d, &format!("a.{ns}.svc.cluster.local"), 80);
    let policy = platform
        .api::<NetworkPolicy>()
        .get("d")
        .await
        .expect("d's policy");
    let dns_rule = serde_json::to_value(&policy.spec.expect("a spec").egress.expect("egress")[0])
        .expect("JSON");
    assert!(
        dns_rule.to_string().contains("\"ipBlock\""),
        "the DNS rule lets in the host-network CoreDNS by address: {dns_rule}"
    );
    drop(d);

    let started = Instant::now();
    let (code, json, said) = check(&env, &platform, &node, &[]);
    eprintln!("verdict after {:?}", started.elapsed());
    assert_eq!(code, Some(0), "{said}");
    assert_eq!(json["enforcement"]["state"], "enforced", "{json}");
    assert_eq!(
        directions(&json),
        [
            ("a -> b".to_owned(), true, true),
            ("a -> d".to_owned(), false, false),
            ("a -> a/cache".to_owned(), true, true),
            ("b -> a".to_owned(), false, false),
            ("b -> d".to_owned(), false, false),
            ("b -> a/cache".to_owned(), false, false),
            ("d -> a".to_owned(), false, false),
            ("d -> b".to_owned(), true, true),
            ("d -> a/cache".to_owned(), false, false),
        ],
        "{json}"
    );
    assert_eq!(json["as_the_rules_say"], true);
    assert!(said.contains("Starting 7 probe pods"), "{said}");
    assert!(
        said.contains("NetworkPolicy is enforced, and each of the 9 calls went as the rules say"),
        "{said}"
    );

    // The human view: the matrix.
    let output = paas_on(
        &env,
        &platform,
        &["access", "check", "--image", &node.busybox_image],
    )
    .output()
    .expect("runs");
    assert!(output.status.success(), "{}", stderr(&output));
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stdout), @r"
        CALLER  CALLEE   RULES   PROBE
        a       b        allow   let through  ok
        a       d        refuse  refused      ok
        a       a/cache  allow   let through  ok
        b       a        refuse  refused      ok
        b       d        refuse  refused      ok
        b       a/cache  refuse  refused      ok
        d       a        refuse  refused      ok
        d       b        allow   let through  ok
        d       a/cache  refuse  refused      ok
        ");

    {
        let _stopped = EnforcerStopped::stop();
        let (code, json, said) = check(&env, &platform, &node, &["--settle", "5s"]);
        assert_eq!(code, Some(0), "{said}");
        assert_eq!(json["enforcement"]["state"], "not_enforced", "{json}");
        assert!(
            said.contains("warning: NetworkPolicy is NOT enforced in this cluster"),
            "{said}"
        );
        // b -> a went through, against the rules
        assert!(
            directions(&json).contains(&("b -> a".to_owned(), false, true)),
            "{json}"
        );
        let (code, _, said) = check(&env, &platform, &node, &["--settle", "5s", "--strict"]);
        assert_eq!(code, Some(1), "{said}");
        assert!(
            said.contains("error: NetworkPolicy is NOT enforced in this cluster"),
            "{said}"
        );
    }

    let left = platform
        .api::<k8s_openapi::api::core::v1::Pod>()
        .list(&kube::api::ListParams::default().labels(paas::access::check::PROBE_LABEL))
        .await
        .expect("pods listed");
    let left: Vec<_> = left
        .items
        .iter()
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        .filter_map(|p| p.metadata.name.clone())
        .collect();
    assert!(left.is_empty(), "probes left: {left:?}");
}
