//! `paas history` against the platform: no releases, one live release, then a failed one;
//! as text and as JSON.

use serde_json::Value;

use crate::status::{json_filtered, status_filtered};
use crate::support::app::{paas_on, site, stderr, up, with_fault};
use crate::support::platform::Platform;
use crate::support::run;

fn history(env: &crate::support::TestEnv, platform: &Platform, json: bool) -> String {
    let mut command = paas_on(env, platform, &["history"]);
    if json {
        command.args(["--output", "json"]);
    }
    let (_, output) = run(&mut command);
    assert_eq!(
        output.status.code(),
        Some(0),
        "history never fails for a reachable cluster: {}",
        stderr(&output)
    );
    let stdout = if json {
        let mut value: Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|err| panic!("one JSON object ({err}): {}", stderr(&output)));
        json_filtered(&mut value, platform);
        serde_json::to_string_pretty(&value).expect("json") + "\n"
    } else {
        status_filtered(&String::from_utf8_lossy(&output.stdout), platform)
    };
    format!(
        "{stdout}----- stderr -----\n{}",
        status_filtered(&stderr(&output), platform)
    )
}

#[tokio::test]
async fn history_of_an_app_with_no_releases() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    insta::assert_snapshot!("history_no_releases", history(&env, &platform, false));
    insta::assert_snapshot!("history_no_releases_json", history(&env, &platform, true));
}

#[tokio::test]
async fn history_of_a_live_then_a_failed_release() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    let output = up(&env, &platform, &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    insta::assert_snapshot!("history_healthy", history(&env, &platform, false));
    insta::assert_snapshot!("history_healthy_json", history(&env, &platform, true));

    with_fault(&env, "crash-loop");
    let output = up(&env, &platform, &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = history(&env, &platform, false);
    assert!(text.contains("1 (live)"), "release 1 stays live: {text}");
    insta::assert_snapshot!("history_failed", text);
    insta::assert_snapshot!("history_failed_json", history(&env, &platform, true));
}
