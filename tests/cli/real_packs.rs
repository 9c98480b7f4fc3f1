//! Every pack's pods on the real node under the Pod Security "restricted" level (enforced on the
//! namespace by `setup_real`): `paas init` with the test's images, `paas up` as a user runs it, the
//! pods admitted, Running and Ready on the real node, and an HTTP answer through the Service's
//! `ClusterIP`.
//!
//! Images: nginx runs the local Debian nginx (`paas-test/nginx:1`). The jexus pack runs on the
//! stand-in Jexus of `tests/platform/mono-image.sh` (Debian's Mono ASP.NET server behind nginx, no
//! Jexus). The dotnet pack is built and run with the STAND-INS `paas-test/dotnet-sdk:1` and
//! `paas-test/dotnet-aspnet:1` of `tests/platform/images.sh`: shell scripts named `dotnet`, no .NET.
//! They prove the pack's Dockerfile (stages, paths, user, port variable, entrypoint) and manifests on a
//! real kubelet, not that a real ASP.NET Core app starts under these limits.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use k8s_openapi::api::core::v1::Pod;

use crate::support::TestEnv;
use crate::support::app::{paas_on, stderr};
use crate::support::platform::Platform;
use crate::support::real::{RealNode, http_until};

/// A real pod pulls, starts and is probed in seconds; the Mono stand-in compiles the site on the
/// first request.
const SERVING: Duration = Duration::from_secs(180);

/// `paas init --yes --name NAME --registry … --set …` in the fixture `fixture`.
fn init(platform: &Platform, fixture: &str, name: &str, sets: &[String]) -> TestEnv {
    let env = TestEnv::fixture(fixture);
    crate::support::app::company_defaults(&env, platform);
    let registry = format!("{}/{}", platform.registry, platform.namespace);
    let mut command = env.paas();
    command.args(["init", "--yes", "--name", name, "--registry", &registry]);
    for set in sets {
        command.args(["--set", set]);
    }
    let output = command.output().expect("paas init runs");
    assert!(output.status.success(), "{}", stderr(&output));
    env
}

/// `paas up` with a timeout for real pods; it must succeed.
fn up(env: &TestEnv, platform: &Platform) {
    let output = paas_on(env, platform, &["up", "--timeout", "240s"])
        .output()
        .expect("paas up runs");
    assert!(output.status.success(), "{}", stderr(&output));
}

/// The app's pods, all Ready on the real node, with the containers' security context Pod Security
/// "restricted" asks for (the namespace enforces it: an admitted pod has it).
async fn ready_on_the_real_node(platform: &Platform, node: &RealNode, app: &str) {
    let pods: Vec<Pod> = platform
        .pods(&format!("app.kubernetes.io/name={app}"))
        .await
        .into_iter()
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        .collect();
    assert!(!pods.is_empty(), "no pod of {app}");
    for pod in pods {
        let name = pod.metadata.name.clone().unwrap_or_default();
        let spec = pod.spec.expect("a pod spec");
        assert_eq!(
            spec.node_name.as_deref(),
            Some(node.name.as_str()),
            "{name} runs on the real node"
        );
        let ready = pod
            .status
            .and_then(|s| s.conditions)
            .unwrap_or_default()
            .iter()
            .any(|c| c.type_ == "Ready" && c.status == "True");
        assert!(ready, "{name} is Ready");
        let security = spec.containers[0]
            .security_context
            .clone()
            .expect("a container security context");
        assert_eq!(security.allow_privilege_escalation, Some(false), "{name}");
        assert_eq!(security.read_only_root_filesystem, Some(true), "{name}");
    }
}

/// Builds the stand-in images a test needs (cached: seconds when they are there).
fn images(script: &str, targets: &[&str]) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join(script);
    let output = Command::new("bash")
        .arg(&script)
        .args(targets)
        .output()
        .expect("bash runs");
    assert!(
        output.status.success(),
        "{}: {}",
        script.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test]
async fn nginx_pack_runs_restricted_on_the_real_node() {
    let Some((platform, node)) = Platform::setup_real().await else {
        return;
    };
    let base = format!("base_image={}", platform.base_nginx);
    let env = init(&platform, "static-dist", "site", &[base]);
    let page = format!("<h1>{} nginx</h1>\n", platform.namespace);
    env.write("dist/index.html", &page);
    up(&env, &platform);
    ready_on_the_real_node(&platform, &node, "site").await;
    let service = platform.service_addr("site").await;
    let (_, body) = http_until(service, "/", 200, SERVING);
    assert_eq!(body, page);
    http_until(service, "/healthz", 200, SERVING);
}

#[tokio::test]
async fn dotnet_pack_runs_restricted_on_the_real_node_with_stand_in_images() {
    let Some((platform, node)) = Platform::setup_real().await else {
        return;
    };
    images("tests/platform/images.sh", &["dotnet"]);
    let env = init(
        &platform,
        "dotnet-web",
        "catalog",
        &[
            "sdk_image=paas-test/dotnet-sdk:1".to_owned(),
            "runtime_image=paas-test/dotnet-aspnet:1".to_owned(),
        ],
    );
    // A route of this test's own, so the image is new.
    let program = env.read("Program.cs");
    let route = format!("/{}", platform.namespace);
    env.write(
        "Program.cs",
        &program.replace(
            "app.Run();",
            &format!("app.MapGet(\"{route}\", () => \"hello\");\n\napp.Run();"),
        ),
    );
    up(&env, &platform);
    ready_on_the_real_node(&platform, &node, "catalog").await;
    let service = platform.service_addr("catalog").await;
    let (_, body) = http_until(service, "/products", 200, SERVING);
    assert_eq!(body, "Catalog (dotnet stand-in): GET /products\n");
    let (_, body) = http_until(service, &route, 200, SERVING);
    assert!(body.contains(&route), "{body}");
}

#[tokio::test]
async fn jexus_pack_runs_restricted_on_the_real_node_with_the_stand_in_jexus() {
    let Some((platform, node)) = Platform::setup_real().await else {
        return;
    };
    images("tests/platform/mono-image.sh", &["jexus"]);
    let env = init(
        &platform,
        "classic-website",
        "intranet",
        &["base_image=paas-test/jexus-mono:1".to_owned()],
    );
    // A page of this test's own, so the image is new.
    env.write(
        "About.aspx",
        &format!(
            "<%@ Page Language=\"C#\" %>\n<html><body><h1>{} <%= 6 * 7 %></h1></body></html>\n",
            platform.namespace
        ),
    );
    up(&env, &platform);
    ready_on_the_real_node(&platform, &node, "intranet").await;
    let service = platform.service_addr("intranet").await;
    // ASP.NET compiles the page (and App_Code) on the first request, on the node.
    let (_, body) = http_until(service, "/About.aspx", 200, SERVING);
    assert!(
        body.contains(&format!("<h1>{} 42</h1>", platform.namespace)),
        "{body}"
    );
    let (_, body) = http_until(service, "/", 200, SERVING);
    assert!(body.contains("<h1>Intranet</h1>"), "{body}");
}
