//! A deployed app on the test platform: a static site initialised for the local nginx base
//! image and a registry, `paas up` and the other cluster commands run against the platform,
//! and the filters that make their output comparable from run to run.

#![allow(dead_code)]

use std::process::{Command, Output};

use paas::deploy::release::{ReleaseStatus, ReleaseStore};

use crate::support::TestEnv;
use crate::support::platform::Platform;

/// The test platform's company defaults in the user config of `env` (written once): the nginx
/// pack's Prometheus exporter from the open registry (`tests/platform/exporter-image.sh` builds
/// and pushes it), since the official image cannot be pulled here.
pub(crate) fn company_defaults(env: &TestEnv, platform: &Platform) {
    let file = env.temp.path().join("home/.config/paas/config.toml");
    if file.exists() {
        return;
    }
    fs_err::create_dir_all(file.parent().expect("a folder")).expect("the config folder");
    fs_err::write(
        &file,
        format!(
            "[packs.nginx]\nexporter_image = \"{}\"\n",
            platform.exporter_image()
        ),
    )
    .expect("the user config");
}

/// `paas ARGS…` in the project, against the platform: `KUBECONFIG`, `DOCKER_HOST` and
/// `--namespace` of the test are set.
pub(crate) fn paas_on(env: &TestEnv, platform: &Platform, args: &[&str]) -> Command {
    company_defaults(env, platform);
    let mut command = env.paas();
    command
        .args(args)
        .args(["--namespace", &platform.namespace])
        .env("KUBECONFIG", &platform.kubeconfig)
        .env("DOCKER_HOST", &platform.docker_host);
    command
}

/// A static site initialised for the platform: local nginx base image, the open registry.
pub(crate) fn site(platform: &Platform, registry: &str) -> TestEnv {
    site_app(platform, registry, "site", &[])
}

/// [`site`] under another app name, for tests with several apps in one namespace.
pub(crate) fn site_named(platform: &Platform, registry: &str, name: &str) -> TestEnv {
    site_app(platform, registry, name, &[])
}

/// [`site`] with more `paas init` arguments (`&["--set", "spa=true"]`).
pub(crate) fn site_with(platform: &Platform, registry: &str, extra: &[&str]) -> TestEnv {
    site_app(platform, registry, "site", extra)
}

/// The static site initialised as app `name`, with more `paas init` arguments.
fn site_app(platform: &Platform, registry: &str, name: &str, extra: &[&str]) -> TestEnv {
    let env = TestEnv::fixture("static-dist");
    company_defaults(&env, platform);
    let base = format!("base_image={}", platform.base_nginx);
    let registry = format!("{registry}/{}", platform.namespace);
    let output = env
        .paas()
        .args([
            "init",
            "--yes",
            "--name",
            name,
            "--registry",
            &registry,
            "--set",
            &base,
        ])
        .args(extra)
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    env
}

pub(crate) fn up(env: &TestEnv, platform: &Platform, extra: &[&str]) -> Output {
    company_defaults(env, platform);
    env.paas()
        .args(["up", "--namespace", &platform.namespace, "--timeout", "60s"])
        .args(extra)
        .env("KUBECONFIG", &platform.kubeconfig)
        .env("DOCKER_HOST", &platform.docker_host)
        .output()
        .expect("paas up runs")
}

pub(crate) fn up_json(env: &TestEnv, platform: &Platform) -> serde_json::Value {
    let output = up(env, platform, &["--output", "json"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("one JSON result")
}

/// Every release of the app, oldest first, as (revision, status).
pub(crate) async fn release_statuses(store: &ReleaseStore) -> Vec<(u32, ReleaseStatus)> {
    store
        .list()
        .await
        .expect("releases")
        .iter()
        .map(|r| (r.revision, r.status))
        .collect()
}

pub(crate) fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Hides what changes from run to run: digests, content tags, pod names, timings, namespaces.
pub(crate) fn filtered(text: &str, platform: &Platform) -> String {
    let rules = [
        (r"sha256:[0-9a-f]{64}", "sha256:[DIGEST]"),
        (r"sha256:[0-9a-f]{12}\b", "sha256:[SHORT]"),
        (r"ctx-[0-9a-f]{12}", "ctx-[CONTEXT]"),
        (r"site-[0-9a-z]{1,10}-[0-9a-z]{5}\b", "site-[POD]"),
        (r"in \d+(\.\d+)?s", "in [ELAPSED]"),
        (r"\d+(\.\d+)?s ago", "[AGO]"),
        (r"restarts?\)", "restarts)"),
        (r"\d+ restarts", "[N] restarts"),
        // the real node (tainted) is in the count only where the host can run one
        (
            r"0/\d+ nodes are available: (1 node\(s\) had untolerated taint\(s\), )?",
            "0/[NODES] nodes are available: ",
        ),
    ];
    // Rollout progress lines depend on timing; what a snapshot shows is the rest.
    let mut text: String = text
        .lines()
        .filter(|line| !line.trim_start().starts_with("Waiting "))
        .fold(String::new(), |mut all, line| {
            all.push_str(line);
            all.push('\n');
            all
        });
    text = text.replace(&platform.namespace, "[NAMESPACE]");
    for (pattern, replacement) in rules {
        text = regex::Regex::new(pattern)
            .expect("pattern")
            .replace_all(&text, replacement)
            .into_owned();
    }
    text
}

/// Adds the test-fault label to the pod template, as a team could edit `deploy/`.
pub(crate) fn with_fault(env: &TestEnv, fault: &str) {
    let text = env.read("deploy/deployment.yaml");
    if let Some(current) = text.lines().find(|l| l.contains("paas.dev/test-fault:")) {
        let changed = text.replace(current, &format!("        paas.dev/test-fault: {fault:?}"));
        env.write("deploy/deployment.yaml", &changed);
        return;
    }
    let line = "      labels: {{ labels }}\n";
    assert!(
        text.contains(line),
        "the pod template labels are where this test expects them:\n{text}"
    );
    let labelled = text.replacen(
        line,
        &format!("      labels:\n        paas.dev/test-fault: {fault:?}\n{{% for key, value in labels|items %}}\n        {{{{ key }}}}: {{{{ value }}}}\n{{% endfor %}}\n"),
        1,
    );
    env.write("deploy/deployment.yaml", &labelled);
}

/// Writes page content of this test's own (`<h1>NAMESPACE LABEL</h1>`), so each build is a new
/// image that no other run left.
pub(crate) fn new_content(env: &TestEnv, platform: &Platform, label: &str) {
    env.write(
        "dist/index.html",
        &format!("<h1>{} {label}</h1>\n", platform.namespace),
    );
}

/// New content, then `paas up`, which must record release `revision`.
pub(crate) fn release(env: &TestEnv, platform: &Platform, revision: u32) -> serde_json::Value {
    new_content(env, platform, &revision.to_string());
    let result = up_json(env, platform);
    assert_eq!(result["revision"], revision, "{result}");
    result
}

/// Adds a protected environment `prod` bound to the test's namespace to `paas.toml`.
pub(crate) fn protected_prod(env: &TestEnv, platform: &Platform) {
    let toml = env.read("paas.toml");
    env.write(
        "paas.toml",
        &format!(
            "{toml}\n[env.prod]\nnamespace = \"{}\"\nprotected = true\n",
            platform.namespace
        ),
    );
}

/// `paas up` in the project, against the platform, with `extra` arguments.
pub(crate) fn up_command(env: &TestEnv, platform: &Platform, extra: &[&str]) -> Command {
    let mut command = paas_on(env, platform, &["up"]);
    command.args(extra);
    command
}

/// Runs `command`, sends it SIGINT half a second after a line of its stderr satisfies `at`,
/// and returns its exit code, its whole stderr and how long it took to exit after the signal.
pub(crate) fn interrupt_at(
    mut command: Command,
    at: impl Fn(&str) -> bool,
) -> (Option<i32>, String, std::time::Duration) {
    use std::io::{BufRead as _, BufReader};
    let mut child = command
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("paas starts");
    let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
    let mut seen = String::new();
    for line in lines.by_ref() {
        let line = line.expect("a line");
        seen.push_str(&line);
        seen.push('\n');
        if at(&line) {
            break;
        }
    }
    std::thread::sleep(std::time::Duration::from_millis(500));
    let signalled = std::time::Instant::now();
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    for line in lines {
        seen.push_str(&line.expect("a line"));
        seen.push('\n');
    }
    let code = child.wait().expect("exit").code();
    (code, seen, signalled.elapsed())
}
