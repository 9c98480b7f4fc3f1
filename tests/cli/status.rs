//! `paas status` against the platform: a healthy app, a failing one (crash loop) and an app
//! with no releases, as text and as JSON; the exit code says whether it is healthy.

use serde_json::Value;

use crate::support::app::{filtered, paas_on, site, stderr, up, with_fault};
use crate::support::platform::Platform;
use crate::support::run;

/// Hides what changes from run to run in the status view: besides [`filtered`], ages,
/// nodes, who deployed, short digests, restart and event counts; runs of spaces become two
/// (column widths follow the hidden values).
pub(crate) fn status_filtered(text: &str, platform: &Platform) -> String {
    let mut text = filtered(text, platform);
    let rules = [
        (r"sha256:[0-9a-f]{12}\b", "sha256:[DIGEST]"),
        (r"-dirty-[0-9a-f]{8}\b", "-dirty-[CONTEXT]"),
        (r"kwok-node-\d", "kwok-node-[N]"),
        // `paas` runs with a cleared environment: no `USER`, so `unknown@<host>`.
        (r"unknown@[^\s,]+", "[USER]"),
        (r" {2,}", "  "),
        // CPU is a rate, about 1m per container on the platform: 1m or 2m once rounded up.
        (r"cpu \d+m,", "cpu [CPU],"),
        (r"(?m)  \d+m  ([\d.]+ [KMGT]?i?B)$", "  [CPU]  $1"),
        (r"(?m)(^|  )\d+[smhd](  | ago)", "$1[AGE]$2"),
        (r"CrashLoopBackOff  \d+", "CrashLoopBackOff  [N]"),
        (r" \(x\d+\)", ""),
        (r"\d+ restart\b", "[N] restarts"),
    ];
    for (pattern, replacement) in rules {
        text = regex::Regex::new(pattern)
            .expect("pattern")
            .replace_all(&text, replacement)
            .into_owned();
    }
    text
}

/// The JSON with what changes from run to run replaced, keys kept.
pub(crate) fn json_filtered(value: &mut Value, platform: &Platform) {
    match value {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                let time = matches!(
                    key.as_str(),
                    "created" | "finished" | "updated" | "last_seen"
                ) && value.is_string();
                let volatile = matches!(
                    key.as_str(),
                    "age_seconds" | "user" | "node" | "restarts" | "count" | "log_tail"
                ) && !value.is_null();
                if time || volatile {
                    *value = Value::String(format!("[{}]", key.to_uppercase()));
                } else {
                    json_filtered(value, platform);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                json_filtered(item, platform);
            }
        }
        Value::String(text) => status_filtered(text, platform).trim_end().clone_into(text),
        _ => {}
    }
}

/// Leaves out what the metrics API adds, when the platform has one: the usage line and
/// the CPU and MEMORY columns of the text; `usage` in JSON.
pub(crate) fn without_usage(text: &str) -> String {
    let rules = [
        (r"(?m)^usage  .*\n", ""),
        (r"(?m)  CPU  MEMORY$", ""),
        (r"(?m)  (\d+m|-)  ([\d.]+ [KMGT]?i?B|-)$", ""),
        // A CPU figure in another form (`<1m`, `1.5m`) beside a memory figure.
        (r"(?m)  \S+  [\d.]+ [KMGT]?i?B$", ""),
    ];
    let mut text = text.to_owned();
    for (pattern, replacement) in rules {
        text = regex::Regex::new(pattern)
            .expect("pattern")
            .replace_all(&text, replacement)
            .into_owned();
    }
    text
}

fn json_without_usage(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                if key == "usage" {
                    *value = Value::Null;
                } else {
                    json_without_usage(value);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(json_without_usage),
        _ => {}
    }
}

/// `paas status` (`--output json` with `json`): the filtered output and the exit code.
/// Usage is left out (it depends on the platform) unless `usage`.
fn status(env: &crate::support::TestEnv, platform: &Platform, json: bool) -> (String, i32) {
    status_with(env, platform, json, false)
}

fn status_with(
    env: &crate::support::TestEnv,
    platform: &Platform,
    json: bool,
    usage: bool,
) -> (String, i32) {
    let mut command = paas_on(env, platform, &["status"]);
    if json {
        command.args(["--output", "json"]);
    }
    let (_, output) = run(&mut command);
    let code = output.status.code().unwrap_or(-1);
    let text = if json {
        let mut value: Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|err| panic!("one JSON object ({err}): {}", stderr(&output)));
        json_filtered(&mut value, platform);
        if !usage {
            json_without_usage(&mut value);
        }
        format!(
            "{}\n----- stderr -----\n{}",
            serde_json::to_string_pretty(&value).expect("json"),
            status_filtered(&stderr(&output), platform)
        )
    } else {
        let stdout = status_filtered(&String::from_utf8_lossy(&output.stdout), platform);
        format!(
            "{}----- stderr -----\n{}",
            if usage {
                stdout
            } else {
                without_usage(&stdout)
            },
            status_filtered(&stderr(&output), platform)
        )
    };
    (text, code)
}

#[tokio::test]
async fn status_of_an_app_with_no_releases() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    let (text, code) = status(&env, &platform, false);
    assert_eq!(code, 1, "not deployed is not healthy: {text}");
    insta::assert_snapshot!("status_no_releases", text);
    let (json, code) = status(&env, &platform, true);
    assert_eq!(code, 1, "{json}");
    insta::assert_snapshot!("status_no_releases_json", json);
}

#[tokio::test]
async fn status_of_a_healthy_then_a_crash_looping_app() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    let output = up(&env, &platform, &[]);
    assert!(output.status.success(), "{}", stderr(&output));

    let (text, code) = status(&env, &platform, false);
    assert_eq!(code, 0, "healthy: {text}");
    insta::assert_snapshot!("status_healthy", text);
    let (json, code) = status(&env, &platform, true);
    assert_eq!(code, 0, "{json}");
    insta::assert_snapshot!("status_healthy_json", json);

    // A crash-looping release: the old pod keeps serving, the new one crashes. Pods are listed
    // oldest first, by creation time in seconds: the new pod must not start in the same second.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    with_fault(&env, "crash-loop");
    let output = up(&env, &platform, &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let (text, code) = status(&env, &platform, false);
    assert_eq!(code, 1, "unhealthy: {text}");
    assert!(text.contains("keeps crashing"), "{text}");
    insta::assert_snapshot!("status_crash_loop", text);
    let (json, code) = status(&env, &platform, true);
    assert_eq!(code, 1, "{json}");
    insta::assert_snapshot!("status_crash_loop_json", json);

    // Deleted by hand: the releases remain, the Deployment does not.
    platform
        .api::<k8s_openapi::api::apps::v1::Deployment>()
        .delete("site", &kube::api::DeleteParams::default())
        .await
        .expect("deleted");
    let (text, code) = status(&env, &platform, false);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("deployment `site` is missing from namespace `[NAMESPACE]`")
            && text.contains("`paas rollback`"),
        "{text}"
    );
}

#[tokio::test]
async fn an_unreachable_cluster_exits_75() {
    let env = crate::support::TestEnv::new();
    let kubeconfig = env.temp.path().join("kubeconfig");
    fs_err::write(
        &kubeconfig,
        "apiVersion: v1\nkind: Config\ncurrent-context: gone\nclusters:\n- name: gone\n  cluster:\n    server: https://127.0.0.1:1\ncontexts:\n- name: gone\n  context:\n    cluster: gone\n    user: gone\nusers:\n- name: gone\n  user:\n    token: x\n",
    )
    .expect("kubeconfig");
    let output = env
        .paas()
        .args(["status", "--app", "site"])
        .env("KUBECONFIG", &kubeconfig)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(75), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("was refused"),
        "{}",
        stderr(&output)
    );
}

/// Whether the cluster serves `metrics.k8s.io` (the platform started with metrics-server).
async fn has_metrics_api(platform: &Platform) -> bool {
    let request = http::Request::get("/apis/metrics.k8s.io/v1beta1")
        .body(Vec::new())
        .expect("request");
    platform.client.request_text(request).await.is_ok()
}

#[tokio::test]
#[allow(clippy::print_stderr)]
async fn status_shows_usage_from_the_metrics_api() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    if !has_metrics_api(&platform).await {
        eprintln!(
            "skipped: the platform has no metrics API (started before tests/platform.sh ran metrics-server)"
        );
        return;
    }
    let env = site(&platform, &platform.registry);
    let output = up(&env, &platform, &[]);
    assert!(output.status.success(), "{}", stderr(&output));

    // metrics-server scrapes every 10 s and needs two scrapes for a CPU rate.
    let status = crate::support::platform::eventually(
        std::time::Duration::from_secs(90),
        "pod usage in `paas status --output json`",
        || async {
            let output = paas_on(&env, &platform, &["status", "--output", "json"])
                .output()
                .expect("runs");
            let status: Value = serde_json::from_slice(&output.stdout).ok()?;
            (!status["pods"][0]["usage"].is_null()).then_some(status)
        },
    )
    .await;
    // kwok's default ClusterResourceUsage: 1m CPU and 1 MiB per container; the nginx app's pod has
    // two (nginx and its Prometheus exporter).
    assert_eq!(status["usage"]["pods"], 1, "{status}");
    assert_eq!(status["pods"][0]["containers"], 2, "{status}");
    assert_eq!(status["usage"]["memory_bytes"], 2 * 1024 * 1024, "{status}");
    let cpu = status["usage"]["cpu_millicores"].as_f64().expect("cpu");
    assert!((1.0..4.0).contains(&cpu), "about 2m of CPU: {status}");

    let (text, code) = status_with(&env, &platform, false, true);
    assert_eq!(code, 0, "{text}");
    insta::assert_snapshot!("status_usage", text);
}
