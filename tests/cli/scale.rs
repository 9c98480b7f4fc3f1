//! `paas scale` against the real API server: a replica count set through the scale
//! subresource that later deploys keep (and a changed `paas.toml` count that wins without a
//! field conflict), autoscaler bounds edited and kept, and bad values refused before any
//! cluster is contacted.

use std::fmt::Write as _;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use serde_json::Value;

use crate::support::TestEnv;
use crate::support::app::{filtered, new_content, paas_on, release, site, stderr, up_json};
use crate::support::platform::Platform;

async fn replicas(platform: &Platform) -> (i32, i32) {
    let deployment: Deployment = platform.api().get("site").await.expect("deployment");
    (
        deployment.spec.and_then(|s| s.replicas).unwrap_or(-1),
        deployment
            .status
            .and_then(|s| s.ready_replicas)
            .unwrap_or(0),
    )
}

fn scale(env: &TestEnv, platform: &Platform, args: &[&str]) -> (Option<i32>, String, Value) {
    let output = paas_on(env, platform, &["scale", "--output", "json"])
        .args(args)
        .output()
        .expect("paas scale runs");
    let json = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    (
        output.status.code(),
        filtered(&stderr(&output), platform),
        json,
    )
}

#[tokio::test]
async fn a_scaled_app_stays_scaled_across_deploys() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    new_content(&env, &platform, "1");
    up_json(&env, &platform);
    assert_eq!(replicas(&platform).await, (1, 1));

    // Up: the command waits until the pods are ready.
    let (code, text, json) = scale(&env, &platform, &["3"]);
    assert_eq!(code, Some(0), "{text}");
    assert_eq!(json["replicas"], serde_json::json!({ "from": 1, "to": 3 }));
    assert_eq!(replicas(&platform).await, (3, 3));
    // Down.
    let (code, text, _) = scale(&env, &platform, &["2"]);
    assert_eq!(code, Some(0), "{text}");
    insta::assert_snapshot!("scale_down", text);
    assert_eq!(replicas(&platform).await.0, 2);

    // A deploy that changes nothing keeps the scale; so do two deploys of new content (the
    // second reads a release recorded while the app was scaled).
    assert_eq!(up_json(&env, &platform)["unchanged"], true);
    assert_eq!(replicas(&platform).await.0, 2);
    for n in [2, 3] {
        release(&env, &platform, n);
        assert_eq!(replicas(&platform).await.0, 2, "after release {n}");
    }

    // A changed count in paas.toml is deliberate: it wins, with no field conflict.
    let toml = env.read("paas.toml");
    let declared = toml
        .lines()
        .find(|l| l.starts_with("replicas = "))
        .expect("a replica count in paas.toml")
        .to_owned();
    env.write("paas.toml", &toml.replace(&declared, "replicas = 4"));
    assert_eq!(up_json(&env, &platform)["revision"], 4);
    assert_eq!(replicas(&platform).await.0, 4);
    // And a later scale is again kept.
    let (code, text, _) = scale(&env, &platform, &["1"]);
    assert_eq!(code, Some(0), "{text}");
    release(&env, &platform, 5);
    assert_eq!(replicas(&platform).await.0, 1);
}

#[tokio::test]
async fn autoscaler_bounds_are_edited_and_kept() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    env.write(
        "deploy/hpa.yaml",
        include_str!("../../packs/_standard/hpa.yaml"),
    );
    let toml = env.read("paas.toml");
    env.write(
        "paas.toml",
        &toml.replacen("# autoscale = ", "autoscale = ", 1),
    );
    new_content(&env, &platform, "1");
    up_json(&env, &platform);
    let bounds = || async {
        let hpa: HorizontalPodAutoscaler = platform.api().get("site").await.expect("hpa");
        let spec = hpa.spec.expect("spec");
        let cpu = spec.metrics.unwrap_or_default()[0]
            .resource
            .as_ref()
            .and_then(|r| r.target.average_utilization);
        (spec.min_replicas, spec.max_replicas, cpu)
    };
    assert_eq!(bounds().await, (Some(2), 10, Some(70)));

    let (code, text, json) = scale(
        &env,
        &platform,
        &["--min", "3", "--max", "8", "--cpu", "60"],
    );
    assert_eq!(code, Some(0), "{text}");
    insta::assert_snapshot!("scale_bounds", text);
    assert_eq!(json["autoscaler"]["to"]["max"], 8);
    assert_eq!(bounds().await, (Some(3), 8, Some(60)));

    // A plain count warns that the autoscaler decides.
    let (code, text, json) = scale(&env, &platform, &["5", "--no-wait"]);
    assert_eq!(code, Some(0), "{text}");
    assert_eq!(json["autoscaled"], true);
    insta::assert_snapshot!("scale_count_with_autoscaler", text);

    // New content: the edited bounds stay.
    release(&env, &platform, 2);
    assert_eq!(bounds().await, (Some(3), 8, Some(60)));
    // paas.toml's max changes: max follows it, the edited min and target stay.
    let toml = env.read("paas.toml");
    env.write("paas.toml", &toml.replacen("max = 10", "max = 12", 1));
    assert_eq!(up_json(&env, &platform)["revision"], 3);
    assert_eq!(bounds().await, (Some(3), 12, Some(60)));
}

#[tokio::test]
async fn scaling_what_is_not_there_is_explained() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    let (code, text, _) = scale(&env, &platform, &["2"]);
    assert_eq!(code, Some(1));
    insta::assert_snapshot!("scale_not_deployed", text);
    new_content(&env, &platform, "");
    up_json(&env, &platform);
    let (code, text, _) = scale(&env, &platform, &["--max", "4"]);
    assert_eq!(code, Some(1));
    insta::assert_snapshot!("scale_no_autoscaler", text);
}

#[test]
fn bad_values_are_refused_with_the_reason() {
    let env = TestEnv::new();
    let mut all = String::new();
    for args in [
        &["-1"][..],
        &["2.5"],
        &["many"],
        &["1001"],
        &["--min", "0"],
        &["--min", "5", "--max", "2"],
        &["--cpu", "0"],
        &["3", "--min", "2"],
    ] {
        let output = env.paas().arg("scale").args(args).output().expect("runs");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let _ = writeln!(
            all,
            "$ paas scale {}\n{}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    insta::assert_snapshot!("scale_bad_values", all);
}
