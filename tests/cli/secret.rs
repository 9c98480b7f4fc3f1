//! `paas secret` against the real API server: a value set from stdin reaches the Secret, the
//! pod template gets a new checksum and a release is recorded; the same value again changes
//! nothing; `--no-rollout` leaves the pods to the next `paas up`; `unset` rolls out again; a
//! rollback keeps the live values; `down` keeps the Secret and `down --volumes` deletes it.
//! Bad keys and empty values are refused before any cluster is contacted.

use std::fmt::Write as _;
use std::process::{Output, Stdio};

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::Secret;
use serde_json::Value;

use crate::support::TestEnv;
use crate::support::app::{filtered, new_content, paas_on, site, stderr, up_json};
use crate::support::platform::Platform;

const CHECKSUM: &str = "paas.dev/secrets-checksum";

/// Runs `paas secret ARGS --output json` with `input` on stdin.
fn secret(env: &TestEnv, platform: &Platform, args: &[&str], input: &str) -> (Output, Value) {
    let all: Vec<&str> = std::iter::once("secret")
        .chain(args.iter().copied())
        .collect();
    let mut command = paas_on(env, platform, &all);
    if args.first() != Some(&"list") {
        command.args(["--timeout", "60s"]);
    }
    command
        .args(["--output", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("paas secret runs");
    {
        use std::io::Write as _;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(input.as_bytes()).expect("write stdin");
    }
    let output = child.wait_with_output().expect("paas secret ends");
    let json = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    (output, json)
}

/// The checksum annotation of the live Deployment's pod template.
async fn checksum(platform: &Platform) -> Option<String> {
    let deployment: Deployment = platform.api().get("site").await.expect("deployment");
    deployment
        .spec?
        .template
        .metadata?
        .annotations?
        .get(CHECKSUM)
        .cloned()
}

async fn values(platform: &Platform) -> Option<Secret> {
    platform
        .api::<Secret>()
        .get_opt("site-secrets")
        .await
        .expect("read the Secret")
}

fn value_of(secret: &Secret, key: &str) -> Option<String> {
    secret
        .data
        .as_ref()?
        .get(key)
        .map(|v| String::from_utf8_lossy(&v.0).into_owned())
}

#[tokio::test]
async fn a_secret_reaches_the_pod_template_and_is_recorded_as_a_release() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    new_content(&env, &platform, "secrets");
    assert_eq!(up_json(&env, &platform)["revision"], 1);
    assert_eq!(checksum(&platform).await, None, "no secrets, no checksum");

    // Nothing set yet.
    let (output, json) = secret(&env, &platform, &["list"], "");
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(json["exists"], false);
    assert_eq!(json["keys"], serde_json::json!([]));

    // Set from stdin: one trailing newline is dropped; rolled out as release 2.
    let (output, json) = secret(&env, &platform, &["set", "API_TOKEN"], "value-one\n");
    assert!(output.status.success(), "{}", stderr(&output));
    insta::assert_snapshot!(
        "secret_set_rolls_out",
        filtered(&stderr(&output), &platform)
    );
    assert_eq!(json["rolled_out"], true, "{json}");
    assert_eq!(json["revision"], 2, "{json}");
    assert_eq!(json["created"], true, "{json}");
    let digest = json["digest"].as_str().expect("a digest").to_owned();
    assert_eq!(digest.len(), 12);
    let live = values(&platform).await.expect("the Secret exists");
    assert_eq!(value_of(&live, "API_TOKEN").as_deref(), Some("value-one"));
    let labels = live.metadata.labels.clone().unwrap_or_default();
    assert_eq!(
        labels.get("paas.dev/secrets-of").map(String::as_str),
        Some("site")
    );
    assert!(
        !labels.contains_key("paas.dev/app"),
        "pruning must not select it"
    );
    let first = checksum(&platform).await.expect("a checksum after a set");
    assert_eq!(first.len(), 16);

    // The history says what happened, and never the value.
    let output = paas_on(&env, &platform, &["history", "--output", "json"])
        .output()
        .expect("history");
    let history: Value = serde_json::from_slice(&output.stdout).expect("json");
    let last = history["releases"]
        .as_array()
        .and_then(|r| r.last())
        .cloned()
        .expect("a release");
    assert_eq!(last["revision"], 2);
    assert_eq!(last["description"], "secret set API_TOKEN");
    assert!(!history.to_string().contains("value-one"));

    // The same value again: nothing to write and nothing to roll out.
    let (output, json) = secret(&env, &platform, &["set", "API_TOKEN"], "value-one");
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(json["changed"], false, "{json}");
    assert_eq!(json["rolled_out"], false, "{json}");
    assert_eq!(json["revision"], Value::Null, "{json}");
    assert_eq!(checksum(&platform).await.as_ref(), Some(&first));

    // `KEY=VALUE` warns about the shell's history; `--no-rollout` leaves the pods as they are.
    let (output, json) = secret(
        &env,
        &platform,
        &["set", "OTHER=inline-value", "--no-rollout"],
        "",
    );
    assert!(output.status.success(), "{}", stderr(&output));
    insta::assert_snapshot!(
        "secret_set_inline_no_rollout",
        filtered(&stderr(&output), &platform)
    );
    assert_eq!(json["rolled_out"], false);
    assert_eq!(checksum(&platform).await.as_ref(), Some(&first));

    // The list: keys, digests and times, never values.
    let (output, json) = secret(&env, &platform, &["list"], "");
    assert!(output.status.success(), "{}", stderr(&output));
    let keys: Vec<&str> = json["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .filter_map(|k| k["key"].as_str())
        .collect();
    assert_eq!(keys, ["API_TOKEN", "OTHER"]);
    assert_eq!(json["keys"][0]["digest"], digest.as_str());
    assert!(json["keys"][0]["changed"].is_string());
    let text = paas_on(&env, &platform, &["secret", "list"])
        .output()
        .expect("list");
    let table = String::from_utf8_lossy(&text.stdout).into_owned();
    assert!(!table.contains("value-one") && !table.contains("inline-value"));
    let digits = regex::Regex::new(r"\b[0-9a-f]{12}\b").expect("pattern");
    insta::assert_snapshot!(
        "secret_list",
        digits.replace_all(&filtered(&table, &platform), "[DIGEST12]")
    );

    // The next `paas up` rolls the pods out with what `--no-rollout` left.
    let up = up_json(&env, &platform);
    assert_eq!(up["revision"], 3, "{up}");
    let second = checksum(&platform).await.expect("a checksum");
    assert_ne!(second, first);
    // And the one after changes nothing: the checksum is stable.
    assert_eq!(up_json(&env, &platform)["unchanged"], true);

    // Unset rolls out again.
    let (output, json) = secret(&env, &platform, &["unset", "OTHER"], "");
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(json["revision"], 4, "{json}");
    assert_eq!(checksum(&platform).await.as_ref(), Some(&first));
    let live = values(&platform).await.expect("the Secret");
    assert_eq!(value_of(&live, "OTHER"), None);

    // An unknown key: exit 2, and nothing changed.
    let version = live.metadata.resource_version.clone();
    let (output, _) = secret(&env, &platform, &["unset", "NOPE"], "");
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    insta::assert_snapshot!(
        "secret_unset_unknown",
        filtered(&stderr(&output), &platform)
    );
    let after = values(&platform).await.expect("the Secret");
    assert_eq!(after.metadata.resource_version, version);

    // A rollback to release 1 (before any secret) keeps the live values and their checksum.
    let output = paas_on(
        &env,
        &platform,
        &["rollback", "--to", "1", "--timeout", "60s"],
    )
    .output()
    .expect("rollback");
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(checksum(&platform).await.as_ref(), Some(&first));

    // `down` keeps the Secret and says so; `down --volumes` deletes it.
    let output = paas_on(&env, &platform, &["down", "--yes"])
        .output()
        .expect("down");
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("secret/site-secrets"),
        "{}",
        stderr(&output)
    );
    assert!(values(&platform).await.is_some(), "down keeps the Secret");
    let output = paas_on(&env, &platform, &["down", "--yes", "--volumes"])
        .output()
        .expect("down --volumes");
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        values(&platform).await.is_none(),
        "down --volumes deletes it"
    );
}

#[tokio::test]
async fn a_secret_set_before_the_first_deploy_reaches_it() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    let (output, json) = secret(&env, &platform, &["set", "EARLY"], "early-value");
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(json["live"], Value::Null);
    assert_eq!(json["rolled_out"], false);
    insta::assert_snapshot!(
        "secret_set_not_deployed",
        filtered(&stderr(&output), &platform)
    );
    new_content(&env, &platform, "early");
    assert_eq!(up_json(&env, &platform)["revision"], 1);
    assert!(
        checksum(&platform).await.is_some(),
        "the first deploy carries the checksum"
    );
}

#[tokio::test]
async fn a_template_without_the_secret_is_refused_once_there_are_secrets() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    let template = env.read("deploy/deployment.yaml");
    let old = "            - secretRef:\n                name: {{ deploy.secrets_name }}\n                optional: true\n";
    assert!(template.contains(old), "{template}");
    env.write("deploy/deployment.yaml", &template.replace(old, ""));
    new_content(&env, &platform, "old template");
    assert_eq!(up_json(&env, &platform)["revision"], 1);
    // The live release cannot pass the Secret: nothing is written.
    let (output, _) = secret(&env, &platform, &["set", "API_TOKEN"], "value");
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    insta::assert_snapshot!(
        "secret_set_not_referenced",
        filtered(&stderr(&output), &platform)
    );
    assert!(values(&platform).await.is_none(), "nothing was written");
    // With `--no-rollout` too: a value that would never reach the pods is refused.
    let (output, _) = secret(
        &env,
        &platform,
        &["set", "API_TOKEN", "--no-rollout"],
        "value",
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(values(&platform).await.is_none(), "nothing was written");

    // A Secret written by another tool (an external secret store's controller): `up` refuses
    // the template that would ignore it, and `secret set` refuses to change it.
    let external: Secret = serde_json::from_value(serde_json::json!({
        "metadata": { "name": "site-secrets" },
        "stringData": { "FROM_STORE": "store-value" }
    }))
    .expect("a Secret");
    platform
        .api::<Secret>()
        .create(&kube::api::PostParams::default(), &external)
        .await
        .expect("create the Secret");
    new_content(&env, &platform, "old template 2");
    let output = paas_on(&env, &platform, &["up", "--timeout", "60s"])
        .output()
        .expect("up");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    insta::assert_snapshot!(
        "secret_up_not_referenced",
        filtered(&stderr(&output), &platform)
            .lines()
            .filter(|l| l.starts_with("error") || l.contains("caused by") || l.starts_with("hint"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    env.write("deploy/deployment.yaml", &template);
    let (output, json) = secret(&env, &platform, &["list"], "");
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(json["managed"], false, "{json}");
    assert_eq!(json["keys"][0]["key"], "FROM_STORE");
    let (output, _) = secret(&env, &platform, &["set", "API_TOKEN"], "value");
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    insta::assert_snapshot!("secret_set_not_ours", filtered(&stderr(&output), &platform));
    // With the current template, `up` passes it and carries its checksum.
    assert_eq!(up_json(&env, &platform)["revision"], 2);
    assert!(checksum(&platform).await.is_some());
}

#[test]
fn bad_keys_and_empty_values_are_refused_before_the_cluster() {
    let env = TestEnv::new();
    let mut all = String::new();
    for (args, input) in [
        (&["set", "1BAD"][..], "x"),
        (&["set", "API-TOKEN=s3cr3t-never-shown"], ""),
        (&["set", "=s3cr3t-never-shown"], ""),
        (&["unset", "API_TOKEN=s3cr3t-never-shown"], ""),
        (&["unset", "a.b"], ""),
        (&["set", "API_TOKEN"], "\n"),
        (&["set", "API_TOKEN="], ""),
    ] {
        let mut child = env
            .paas()
            .arg("secret")
            .args(args)
            .args(["--app", "web"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("runs");
        {
            use std::io::Write as _;
            let mut stdin = child.stdin.take().expect("stdin");
            stdin.write_all(input.as_bytes()).expect("stdin");
        }
        let output = child.wait_with_output().expect("ends");
        let text = String::from_utf8_lossy(&output.stderr).into_owned();
        assert_eq!(output.status.code(), Some(2), "{args:?}: {text}");
        assert!(!text.contains("s3cr3t"), "{args:?}: {text}");
        let _ = writeln!(all, "$ paas secret {}\n{text}", args.join(" "));
    }
    insta::assert_snapshot!("secret_bad_input", all);
}
