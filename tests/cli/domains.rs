//! `paas domains` against real DNS servers on 127.53.N.x (NSD or Unbound authoritative, Unbound
//! recursive; see [`crate::support::dns`]) and the test cluster: the app's Ingress is rendered
//! from `paas.toml` by `paas render`, applied, and its status set as an ingress controller
//! would. Every record state comes from the zone data the test writes.

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::{Command, Stdio};
use std::time::Duration;

use k8s_openapi::api::networking::v1::Ingress;
use kube::api::{Api, DeleteParams, DynamicObject, Patch, PatchParams, PostParams};
use kube::core::{ApiResource, GroupVersionKind};
use serde_json::json;

use crate::support::TestEnv;
use crate::support::app::paas_on;
use crate::support::dns::{Authoritative, DnsLab};
use crate::support::platform::{Platform, random_suffix};

/// The static site initialised as app `web`, with `[ingress]` replaced by `ingress`.
fn project(platform: &Platform, ingress: &str) -> TestEnv {
    let env = TestEnv::fixture("static-dist");
    let registry = format!("{}/{}", platform.registry, platform.namespace);
    let output = env
        .paas()
        .args([
            "init",
            "--yes",
            "--name",
            "web",
            "--registry",
            &registry,
            "--host",
            "placeholder.test",
        ])
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    set_ingress(&env, ingress);
    env
}

fn set_ingress(env: &TestEnv, ingress: &str) {
    let text = env.read("paas.toml");
    let start = text.find("[ingress]").expect("an [ingress] table");
    let end = text[start + 1..]
        .find("\n[")
        .or_else(|| text[start + 1..].find("\n# ["))
        .map_or(text.len(), |i| start + 1 + i);
    let text = format!("{}[ingress]\n{ingress}\n{}", &text[..start], &text[end..]);
    env.write("paas.toml", &text);
}

/// `paas render` the project and apply the manifests, as `paas up` would (without the build).
fn deploy(env: &TestEnv, platform: &Platform) {
    let rendered = paas_on(
        env,
        platform,
        &["render", "--image", "127.0.0.1:5000/t/web:1"],
    )
    .output()
    .expect("paas render runs");
    assert!(
        rendered.status.success(),
        "{}",
        String::from_utf8_lossy(&rendered.stderr)
    );
    let mut apply = platform
        .kubectl()
        .args(["apply", "-f", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kubectl runs");
    apply
        .stdin
        .take()
        .expect("stdin")
        .write_all(&rendered.stdout)
        .expect("the manifests");
    let output = apply.wait_with_output().expect("kubectl ends");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Sets the Ingress's `status.loadBalancer.ingress`, as an ingress controller does.
async fn set_address(platform: &Platform, addresses: serde_json::Value) {
    platform
        .api::<Ingress>()
        .patch_status(
            "web",
            &PatchParams::default(),
            &Patch::Merge(json!({"status": {"loadBalancer": {"ingress": addresses}}})),
        )
        .await
        .expect("the Ingress status");
}

fn domains(env: &TestEnv, platform: &Platform, lab: &DnsLab, args: &[&str]) -> Command {
    let mut command = paas_on(env, platform, &["domains"]);
    command.args(args).env("PAAS_DNS_RESOLVERS", &lab.resolver);
    command
}

/// Runs and returns exit code, stdout, stderr, with what changes from run to run hidden.
fn run(command: &mut Command, platform: &Platform, lab: &DnsLab) -> (i32, String) {
    let output = command.output().expect("paas runs");
    let text = format!(
        "exit_code: {}\n----- stdout -----\n{}\n----- stderr -----\n{}",
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (
        output.status.code().unwrap_or(-1),
        filter(&text, platform, lab),
    )
}

fn filter(text: &str, platform: &Platform, lab: &DnsLab) -> String {
    let (resolver_ip, _) = lab.resolver.split_once(':').expect("ip:port");
    let mut text = text
        .replace(&platform.namespace, "[NAMESPACE]")
        .replace(&lab.authoritative_ip, "[AUTHORITATIVE]")
        .replace(resolver_ip, "[RESOLVER]");
    for (pattern, replacement) in [
        (
            r"cached for up to \d+[smh]( \d+m)? more",
            "cached for up to [TTL] more",
        ),
        (r#""ttl": \d+"#, r#""ttl": "[TTL]""#),
        (r"le-[0-9a-f]{8}", "le-[ID]"),
    ] {
        text = regex::Regex::new(pattern)
            .expect("pattern")
            .replace_all(&text, replacement)
            .into_owned();
    }
    text
}

fn states(json: &serde_json::Value) -> Vec<(String, String)> {
    json["hosts"]
        .as_array()
        .expect("hosts")
        .iter()
        .map(|h| {
            (
                h["host"].as_str().expect("host").to_owned(),
                h["state"].as_str().expect("state").to_owned(),
            )
        })
        .collect()
}

fn json_of(command: &mut Command) -> serde_json::Value {
    let output = command.args(["--output", "json"]).output().expect("runs");
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "JSON from paas domains ({e}): {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

fn cert_manager(kind: &str) -> ApiResource {
    ApiResource::from_gvk(&GroupVersionKind::gvk("cert-manager.io", "v1", kind))
}

/// The A and AAAA records an IPv4+IPv6 load balancer needs, at the apex and `www`, all right:
/// `ok` everywhere, exit 0; the human view and the JSON.
#[tokio::test]
async fn domains_ok_for_an_apex_and_www_with_ipv4_and_ipv6() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let Some(lab) = DnsLab::start(
        "dual.test",
        "@ 300 A 203.0.113.20\n@ 300 AAAA 2001:db8::20\nwww 300 A 203.0.113.20\nwww 300 AAAA 2001:db8::20",
        Authoritative::Nsd,
    ) else {
        return;
    };
    let env = project(&platform, "hosts = [\"dual.test\"]\nwww = true");
    deploy(&env, &platform);
    set_address(
        &platform,
        json!([{"ip": "203.0.113.20"}, {"ip": "2001:db8::20"}]),
    )
    .await;
    let (code, text) = run(&mut domains(&env, &platform, &lab, &[]), &platform, &lab);
    assert_eq!(code, 0, "{text}");
    insta::assert_snapshot!("domains_ok_human", text);
    let json = json_of(&mut domains(&env, &platform, &lab, &[]));
    let text = filter(
        &serde_json::to_string_pretty(&json).expect("JSON"),
        &platform,
        &lab,
    );
    insta::assert_snapshot!("domains_ok_json", text);
}

/// One Ingress, one zone served by NSD, a host for each state: ok, wrong value, missing, stray
/// AAAA, CAA refusing the issuer's CA, a host only in `paas.toml`, and a record changed at the
/// authoritative server while the resolver still has the old one cached (propagating). The
/// certificate: none yet, then ready.
#[tokio::test]
async fn domains_reports_each_record_state_from_real_zone_data() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    if !crate::support::cert_manager::install_crds(&platform) {
        return;
    }
    let records = |moved: &str| {
        format!(
            "@ 300 A 203.0.113.10\nwww 300 A 203.0.113.10\nwrong 300 A 198.51.100.7\nstray 300 A 203.0.113.10\nstray 300 AAAA 2001:db8::bad\nmoved 3600 A {moved}\ncaa 300 A 203.0.113.10\ncaa 300 CAA 0 issue \"sectigo.com\""
        )
    };
    let Some(mut lab) = DnsLab::start("shop.test", &records("198.51.100.7"), Authoritative::Nsd)
    else {
        return;
    };
    // cert-manager's ClusterIssuer (cluster-wide, so named for this test) with Let's Encrypt.
    let issuer = format!("le-{}", random_suffix());
    let issuers: Api<DynamicObject> =
        Api::all_with(platform.client.clone(), &cert_manager("ClusterIssuer"));
    let mut object = DynamicObject::new(&issuer, &cert_manager("ClusterIssuer"));
    object.data = json!({"spec": {"acme": {
        "server": "https://acme-v02.api.letsencrypt.org/directory",
        "privateKeySecretRef": {"name": "le-account"},
        "solvers": [{"http01": {"ingress": {"ingressClassName": "nginx"}}}]
    }}});
    issuers
        .create(&PostParams::default(), &object)
        .await
        .expect("the ClusterIssuer");

    let hosts = "hosts = [\"shop.test\", \"wrong.shop.test\", \"missing.shop.test\", \"stray.shop.test\", \"moved.shop.test\", \"caa.shop.test\"]\nwww = true\ntls = true";
    let env = project(&platform, &format!("{hosts}\nissuer = \"{issuer}\""));
    deploy(&env, &platform);
    set_address(&platform, json!([{"ip": "203.0.113.10"}])).await;
    // A host added to `paas.toml` after the deploy.
    set_ingress(
        &env,
        &format!(
            "{}, \"new.shop.test\"]\nwww = true\ntls = true\nissuer = \"{issuer}\"",
            hosts.lines().next().expect("hosts").trim_end_matches(']')
        ),
    );

    // First look: `moved` still has its old address everywhere; the resolver caches it (1h TTL).
    let json = json_of(&mut domains(&env, &platform, &lab, &[]));
    let moved = states(&json)
        .into_iter()
        .find(|(h, _)| h == "moved.shop.test");
    assert_eq!(
        moved,
        Some(("moved.shop.test".into(), "wrong-value".into()))
    );
    assert_eq!(json["tls"][0]["state"], "no-certificate", "{json:#}");

    // The record changes at the authoritative server; the resolver still has the old one.
    lab.set_records(&records("203.0.113.10"));
    // cert-manager made the Certificate from the annotation and issued it.
    let certificates: Api<DynamicObject> = Api::namespaced_with(
        platform.client.clone(),
        &platform.namespace,
        &cert_manager("Certificate"),
    );
    let mut certificate = DynamicObject::new("web-tls", &cert_manager("Certificate"));
    certificate.data = json!({"spec": {
        "secretName": "web-tls",
        "dnsNames": ["shop.test", "www.shop.test"],
        "issuerRef": {"name": issuer, "kind": "ClusterIssuer"}
    }});
    certificates
        .create(&PostParams::default(), &certificate)
        .await
        .expect("the Certificate");
    certificates
        .patch_status(
            "web-tls",
            &PatchParams::default(),
            &Patch::Merge(json!({"status": {
                "conditions": [{"type": "Ready", "status": "True", "reason": "Ready",
                    "message": "Certificate is up to date and has not expired",
                    "lastTransitionTime": "2026-12-01T10:00:00Z"}],
                "notAfter": "2027-03-01T10:00:00Z"
            }})),
        )
        .await
        .expect("the Certificate's status");

    let (code, text) = run(&mut domains(&env, &platform, &lab, &[]), &platform, &lab);
    assert_eq!(code, 1, "{text}");
    insta::assert_snapshot!("domains_states_human", text);
    let json = json_of(&mut domains(&env, &platform, &lab, &[]));
    assert_eq!(
        states(&json),
        [
            ("shop.test", "ok"),
            ("www.shop.test", "ok"),
            ("wrong.shop.test", "wrong-value"),
            ("missing.shop.test", "missing"),
            ("stray.shop.test", "stray-aaaa"),
            ("moved.shop.test", "propagating"),
            ("caa.shop.test", "caa-refuses"),
            ("new.shop.test", "not-deployed"),
        ]
        .map(|(h, s)| (h.to_owned(), s.to_owned()))
    );
    assert_eq!(json["tls"][0]["state"], "ready", "{json:#}");
    let _ = issuers.delete(&issuer, &DeleteParams::default()).await;
}

/// A load balancer known by host name: a CNAME where it is allowed, and a CNAME beside an A
/// record, which NSD refuses to load but Unbound's auth-zone serves.
#[tokio::test]
async fn domains_finds_a_cname_beside_other_records() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let Some(lab) = DnsLab::start(
        "edge.test",
        "www 300 CNAME lb-7.elb.example.\napp 300 CNAME lb-7.elb.example.\napp 300 A 198.51.100.7",
        Authoritative::UnboundAuthZone,
    ) else {
        return;
    };
    let env = project(&platform, "hosts = [\"www.edge.test\", \"app.edge.test\"]");
    deploy(&env, &platform);
    set_address(&platform, json!([{"hostname": "lb-7.elb.example"}])).await;
    let (code, text) = run(&mut domains(&env, &platform, &lab, &[]), &platform, &lab);
    assert_eq!(code, 1, "{text}");
    insta::assert_snapshot!("domains_cname_conflict", text);
}

/// A load balancer known by host name, at the apex: the plan says ALIAS (flattening) or A
/// records, and A records equal to what the name resolves to are right; `www` is a CNAME.
#[tokio::test]
async fn domains_accepts_a_flattened_apex() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let Some(lab) = DnsLab::start(
        "flat.test",
        "lb 300 A 203.0.113.40\n@ 300 A 203.0.113.40\nwww 300 CNAME lb.flat.test.",
        Authoritative::Nsd,
    ) else {
        return;
    };
    let env = project(&platform, "host = \"flat.test\"\nwww = true");
    deploy(&env, &platform);
    set_address(&platform, json!([{"hostname": "lb.flat.test"}])).await;
    let (code, text) = run(&mut domains(&env, &platform, &lab, &[]), &platform, &lab);
    assert_eq!(code, 0, "{text}");
    insta::assert_snapshot!("domains_flattened_apex", text);
}

/// No address on the Ingress yet: `no-address`, exit 1; `--wait` then waits until the
/// controller publishes one and DNS agrees.
#[tokio::test]
async fn domains_waits_for_the_ingress_address() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let Some(lab) = DnsLab::start("later.test", "@ 300 A 203.0.113.30", Authoritative::Nsd) else {
        return;
    };
    let env = project(&platform, "host = \"later.test\"");
    deploy(&env, &platform);
    let (code, text) = run(&mut domains(&env, &platform, &lab, &[]), &platform, &lab);
    assert_eq!(code, 1, "{text}");
    insta::assert_snapshot!("domains_no_address", text);

    let child = domains(&env, &platform, &lab, &["--wait", "--timeout", "60s"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("paas runs");
    tokio::time::sleep(Duration::from_secs(3)).await;
    set_address(&platform, json!([{"ip": "203.0.113.30"}])).await;
    let output = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .expect("joined")
        .expect("paas ends");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("Waiting `later.test` (no-address)"),
        "{stderr}"
    );
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("later.test  ok"),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

/// The app has no Ingress in the namespace: exit 1 with what to do.
#[tokio::test]
async fn domains_without_an_ingress() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = project(&platform, "host = \"nowhere.test\"");
    let output = paas_on(&env, &platform, &["domains", "--resolver", "127.0.0.1"])
        .output()
        .expect("runs");
    let text = format!(
        "exit_code: {}\n{}",
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).replace(&platform.namespace, "[NAMESPACE]")
    );
    insta::assert_snapshot!("domains_no_ingress", text);
}

/// An API server that refuses connections: exit 75, as every cluster command.
#[test]
fn domains_exits_75_when_the_cluster_is_unreachable() {
    let env = TestEnv::new();
    env.write(
        "paas.toml",
        "[app]\nname = \"web\"\npack = \"nginx\"\n[ingress]\nhost = \"example.com\"\n",
    );
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("a free port")
        .local_addr()
        .expect("address")
        .port();
    let kubeconfig = env.temp.path().join("kubeconfig");
    fs_err::write(
        &kubeconfig,
        format!("apiVersion: v1\nkind: Config\ncurrent-context: gone\nclusters:\n- name: gone\n  cluster:\n    server: https://127.0.0.1:{port}\ncontexts:\n- name: gone\n  context:\n    cluster: gone\n    user: gone\nusers:\n- name: gone\n  user:\n    token: x\n"),
    )
    .expect("kubeconfig");
    let output = env
        .paas()
        .args(["domains", "--resolver", "127.0.0.1"])
        .env("KUBECONFIG", &kubeconfig)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(75), "{stderr}");
    assert!(stderr.contains("was refused"), "{stderr}");
}

/// Bad input stops before the cluster is contacted: no host, an invalid host, `www` without a
/// domain to pair, `tls` without a certificate, a resolver that is not an address.
#[test]
fn domains_refuses_bad_input() {
    let env = TestEnv::new();
    let base = "[app]\nname = \"web\"\npack = \"nginx\"\n";
    let mut out = String::new();
    for (toml, args) in [
        ("", &[][..]),
        ("[ingress]\nhosts = [\"Shop_Example.com\"]\n", &[][..]),
        (
            "[ingress]\nhosts = [\"api.example.com\"]\nwww = true\n",
            &[][..],
        ),
        (
            "[ingress]\nhosts = [\"example.com\", \"example.com\"]\n",
            &[][..],
        ),
        ("[ingress]\nhost = \"example.com\"\ntls = true\n", &[][..]),
        (
            "[ingress]\nhost = \"example.com\"\n",
            &["--resolver", "dns.example"][..],
        ),
    ] {
        env.write("paas.toml", &format!("{base}{toml}"));
        let output = env.paas().arg("domains").args(args).output().expect("runs");
        let _ = write!(
            out,
            "--- {}{}\nexit_code: {}\n{}\n",
            toml.replace('\n', " "),
            args.join(" "),
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    insta::assert_snapshot!("domains_bad_input", out);
}
