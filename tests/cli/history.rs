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

/// Commits the whole project; returns the short commit as paas records it (7 digits).
fn commit_all(env: &crate::support::TestEnv) -> String {
    let git = |args: &[&str]| {
        let output = std::process::Command::new("git")
            .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
            .args(args)
            .current_dir(&env.project)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", env.temp.path())
            .output()
            .expect("git runs");
        assert!(output.status.success(), "git {args:?}: {}", stderr(&output));
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "site"]);
    git(&["rev-parse", "HEAD"])[..7].to_owned()
}

#[tokio::test]
async fn history_of_a_live_then_a_failed_release() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    let commit = commit_all(&env);
    let output = up(&env, &platform, &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let hide_commit = |text: String| text.replace(&commit, "[COMMIT]");
    insta::assert_snapshot!(
        "history_healthy",
        hide_commit(history(&env, &platform, false))
    );
    insta::assert_snapshot!(
        "history_healthy_json",
        hide_commit(history(&env, &platform, true))
    );

    // The fault is an uncommitted change: the failed release's commit says `-dirty`.
    with_fault(&env, "crash-loop");
    let output = up(&env, &platform, &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = hide_commit(history(&env, &platform, false));
    assert!(text.contains("1 (live)"), "release 1 stays live: {text}");
    assert!(text.contains("[COMMIT]-dirty"), "{text}");
    insta::assert_snapshot!("history_failed", text);
    insta::assert_snapshot!(
        "history_failed_json",
        hide_commit(history(&env, &platform, true))
    );
}
