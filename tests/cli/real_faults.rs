//! Real failures on the platform's real node, diagnosed by `paas up` as on kwok (`up.rs`): a container
//! over its memory limit, a crash loop with the app's own last log lines, a readiness probe that fails
//! (a wrong health path, a port nothing listens on), a missing `ConfigMap` key; and `--atomic` putting the
//! last good release back, which then serves again through the Service.
//!
//! Each fault is made the way a team would make it: the nginx site's `Dockerfile` (theirs to edit) runs
//! another command, `paas.toml` sets a limit or a health path, `deploy/deployment.yaml` references a key.
//! Nothing is simulated: the kernel kills, the kubelet probes and refuses to create the container.

use std::time::{Duration, Instant};

use k8s_openapi::api::apps::v1::Deployment;
use paas::deploy::release::{ReleaseStatus, ReleaseStore};
use paas::kube::diagnose::{DiagnosisKind, gather};

use crate::support::TestEnv;
use crate::support::app::{filtered, new_content, release_statuses, site, stderr, up};
use crate::support::platform::{Platform, eventually};
use crate::support::real::{http_get, http_until};

/// A real pod takes seconds to start, pull and be probed.
const SERVING: Duration = Duration::from_secs(90);

/// The site's container runs `script` (`sh -c`) instead of nginx: the app a team might ship.
fn with_command(env: &TestEnv, script: &str) {
    let dockerfile = env.read("Dockerfile");
    let cmd = dockerfile
        .lines()
        .find(|l| l.starts_with("CMD "))
        .expect("the nginx Dockerfile has a CMD");
    let json = serde_json::json!(["sh", "-c", script]).to_string();
    env.write(
        "Dockerfile",
        &dockerfile.replace(cmd, &format!("CMD {json}")),
    );
}

/// Adds `line` to `[deploy]` of paas.toml.
fn deploy_setting(env: &TestEnv, line: &str) {
    let toml = env.read("paas.toml");
    assert!(toml.contains("\n[deploy]\n"), "{toml}");
    env.write(
        "paas.toml",
        &toml.replacen("\n[deploy]\n", &format!("\n[deploy]\n{line}\n"), 1),
    );
}

/// `paas up` that must fail with exit code 1, before the timeout: its filtered stderr.
fn up_fails(env: &TestEnv, platform: &Platform, extra: &[&str]) -> String {
    let started = Instant::now();
    let output = up(env, platform, extra);
    let elapsed = started.elapsed();
    let text = filtered(&stderr(&output), platform);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        elapsed < Duration::from_secs(58),
        "diagnosed before the 60 s timeout, not at it: {elapsed:?}\n{text}"
    );
    text
}

/// What a snapshot shows: the output after the build and apply lines (the diagnosis and the error),
/// without what changes from run to run on a real node: pod IPs, access-log times, probe counts.
fn diagnosis(text: &str) -> String {
    let (_, after) = text.split_once("\n\n").unwrap_or(("", text));
    let mut text = after.to_owned();
    for (pattern, replacement) in [
        (r"\b10\.244\.\d+\.\d+\b", "[POD IP]"),
        (r"\[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d \+0000\]", "[TIME]"),
        (r"\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00\b", "[TIME]"),
        (r", \d+ times\b", ", [N] times"),
    ] {
        text = regex::Regex::new(pattern)
            .expect("pattern")
            .replace_all(&text, replacement)
            .into_owned();
    }
    text
}

/// The summary of a crashed `site` container with exit code `code`, asserted and replaced by
/// `[CRASHED]`. The kubelet restarts a crashed container at once the first time, then backs off: the
/// wait sees the first exit (`exited`) or a later one in back-off (`keeps crashing`), depending on
/// when it reads the pod; both are right.
fn crashed(text: &str, code: i32) -> String {
    let first_exit = format!("container `site` exited (exit code {code})");
    let looping = regex::Regex::new(&format!(
        r"container `site` keeps crashing \(exit code {code}, \[N\] restarts\)"
    ))
    .expect("pattern");
    assert!(
        text.contains(&first_exit) || looping.is_match(text),
        "{text}"
    );
    looping
        .replace(&text.replace(&first_exit, "[CRASHED]"), "[CRASHED]")
        .replace("has a container that exited with an error", "[CRASHED]")
        .replace("keeps crashing", "[CRASHED]")
}

#[tokio::test]
async fn real_oom_kill_is_diagnosed_with_the_limit() {
    let Some((platform, _node)) = Platform::setup_real().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    new_content(&env, &platform, "oom");
    // `tail` keeps a line that never ends in memory: the kernel's OOM killer stops it at the limit.
    with_command(
        &env,
        "echo 'site: loading the catalogue into memory'; exec tail /dev/zero",
    );
    deploy_setting(&env, "memory_request = \"16Mi\"\nmemory_limit = \"32Mi\"");
    let text = up_fails(&env, &platform, &[]);
    assert!(
        text.contains("killed for using more than its memory limit of 32Mi")
            && text.contains("last exit: OOMKilled (exit code 137)"),
        "{text}"
    );
    assert!(
        text.contains("raise `memory_limit` in paas.toml (now 32Mi)"),
        "{text}"
    );
    insta::assert_snapshot!("real_oom", diagnosis(&text));
}

#[tokio::test]
async fn real_crash_loop_shows_the_apps_last_log_lines() {
    let Some((platform, _node)) = Platform::setup_real().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    new_content(&env, &platform, "crash");
    // Both lines on stderr: the runtime reads stdout and stderr from two pipes, so lines of the two
    // streams may be logged in either order.
    with_command(
        &env,
        "echo 'site: reading /etc/site/settings.ini' >&2; echo 'site: fatal: DATABASE_URL is not set' >&2; exit 3",
    );
    let text = up_fails(&env, &platform, &[]);
    assert!(
        text.contains("    site: reading /etc/site/settings.ini\n")
            && text.contains("    site: fatal: DATABASE_URL is not set\n"),
        "the app's own last lines are shown: {text}"
    );
    let text = crashed(&text, 3);
    insta::assert_snapshot!("real_crash_loop", diagnosis(&text));

    // Once the kubelet has restarted it, the pod is a crash loop, though the kubelet reports the
    // last exit as its state (not `CrashLoopBackOff`), and the log tail is the app's.
    let selector = "app.kubernetes.io/name=site";
    let inputs = eventually(SERVING, "a restart of the crashing container", || async {
        let inputs = gather(&platform.client, &platform.namespace, selector)
            .await
            .ok()?;
        let restarted = inputs
            .pods
            .iter()
            .filter_map(|p| p.status.as_ref()?.container_statuses.as_ref())
            .flatten()
            .any(|c| c.restart_count > 0 && c.state.as_ref().is_some_and(|s| s.running.is_none()));
        restarted.then_some(inputs)
    })
    .await;
    let again = inputs.diagnose().expect("a diagnosis");
    assert_eq!(again.kind, DiagnosisKind::CrashLoop, "{again}");
    assert!(
        again
            .summary
            .starts_with("container `site` keeps crashing (exit code 3, "),
        "{again}"
    );
    assert_eq!(
        again.log_tail,
        [
            "site: reading /etc/site/settings.ini",
            "site: fatal: DATABASE_URL is not set"
        ],
        "{again}"
    );
}

#[tokio::test]
async fn real_failing_readiness_probe_is_diagnosed_with_the_kubelets_message() {
    let Some((platform, _node)) = Platform::setup_real().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    new_content(&env, &platform, "probe");
    // nginx answers 404 for a health path it does not serve.
    let toml = env.read("paas.toml");
    env.write(
        "paas.toml",
        &toml.replace("health_path = \"/healthz\"", "health_path = \"/ready\""),
    );
    let text = up_fails(&env, &platform, &[]);
    assert!(
        text.contains("never becomes ready") && text.contains("probe failed with statuscode: 404"),
        "{text}"
    );
    insta::assert_snapshot!("real_probe_404", diagnosis(&text));

    // The container listens on 8080, the probes call the port paas.toml names: refused.
    env.write("paas.toml", &toml.replace("port = 8080", "port = 8081"));
    let text = up_fails(&env, &platform, &[]);
    assert!(
        text.contains("never becomes ready") && text.contains("connection refused"),
        "{text}"
    );
    insta::assert_snapshot!("real_probe_refused", diagnosis(&text));
}

#[tokio::test]
async fn real_missing_config_map_key_is_named() {
    let Some((platform, _node)) = Platform::setup_real().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    new_content(&env, &platform, "config");
    // A variable taken from one key of the app's ConfigMap, which `[deploy.env]` does not set.
    let deployment = env.read("deploy/deployment.yaml");
    let envfrom = "          envFrom:\n";
    assert!(deployment.contains(envfrom), "{deployment}");
    env.write(
        "deploy/deployment.yaml",
        &deployment.replacen(
            envfrom,
            "          env:\n            - name: FEATURES\n              valueFrom:\n                configMapKeyRef:\n                  name: {{ deploy.config_name }}\n                  key: FEATURES\n          envFrom:\n",
            1,
        ),
    );
    let text = up_fails(&env, &platform, &[]);
    assert!(
        text.contains("container `site` cannot start: ConfigMap `site-env` has no key `FEATURES`"),
        "the key and the ConfigMap are named: {text}"
    );
    insta::assert_snapshot!("real_missing_config_key", diagnosis(&text));
}

#[tokio::test]
async fn real_atomic_puts_the_last_good_release_back_and_it_serves_again() {
    let Some((platform, _node)) = Platform::setup_real().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    new_content(&env, &platform, "good");
    let output = up(&env, &platform, &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let service = platform.service_addr("site").await;
    let good = format!("<h1>{} good</h1>", platform.namespace);
    let (_, body) = http_until(service, "/", 200, SERVING);
    assert!(body.contains(&good), "{body}");

    new_content(&env, &platform, "broken");
    with_command(
        &env,
        "echo 'site: fatal: cannot open /srv/data' >&2; exit 1",
    );
    let text = up_fails(&env, &platform, &["--atomic"]);
    assert!(
        text.contains("release 1 was put back (`--atomic`)")
            && text.contains("site: fatal: cannot open /srv/data"),
        "{text}"
    );
    insta::assert_snapshot!("real_atomic", diagnosis(&crashed(&text, 1)));
    let store = ReleaseStore::new(platform.client.clone(), &platform.namespace, "site");
    assert_eq!(
        release_statuses(&store).await,
        [(1, ReleaseStatus::Deployed), (2, ReleaseStatus::RolledBack)]
    );
    let live = |d: Deployment| {
        d.spec
            .and_then(|s| s.template.spec)
            .and_then(|s| s.containers[0].image.clone())
    };
    let deployment = platform
        .api::<Deployment>()
        .get("site")
        .await
        .expect("deployment");
    let first = store.get(1).await.expect("release 1");
    let image = live(deployment).expect("an image");
    assert!(
        first.digest.as_deref().is_some_and(|d| image.ends_with(d)),
        "release 1's image runs again: {image} vs {:?}",
        first.digest
    );

    // Release 1's pods serve, through the Service, every time: no broken pod is behind it.
    let (_, body) = http_until(service, "/", 200, SERVING);
    assert!(body.contains(&good), "{body}");
    for _ in 0..20 {
        let answer = http_get(service, "/");
        assert!(
            answer
                .as_ref()
                .is_some_and(|(status, _, body)| *status == 200 && body.contains(&good)),
            "{answer:?}"
        );
    }
}
