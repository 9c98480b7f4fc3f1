//! `paas rollback` against the real API server: a release put back as a whole (compared with
//! its recorded manifests and with what `kubectl rollout undo` would do to the pod template),
//! the messages for no history, an unknown revision and a release already live, a failing
//! target diagnosed and `--atomic`, and a concurrent change that is detected, not overwritten.

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::networking::v1::Ingress;
use kube::api::{Api, DynamicObject};
use paas::deploy::release::{ReleaseStatus, ReleaseStore};
use paas::deploy::rollback::{self, RollbackError, RollbackPlan};
use serde_json::Value;

use crate::support::app::{
    filtered, new_content, paas_on, release, release_statuses, site, stderr, up_json, with_fault,
};
use crate::support::platform::Platform;

/// Checks that every field of `expected` is in `actual` with the same value (the server adds
/// defaults, which do not count).
fn contained(expected: &Value, actual: &Value, path: &str) -> Result<(), String> {
    match (expected, actual) {
        (Value::Object(want), Value::Object(have)) => {
            for (key, value) in want {
                let empty = match value {
                    Value::Object(map) => map.is_empty(),
                    Value::Array(list) => list.is_empty(),
                    other => other.is_null(),
                };
                let Some(found) = have.get(key) else {
                    // The server leaves empty maps and lists out.
                    if empty {
                        continue;
                    }
                    return Err(format!("{path}.{key} is missing"));
                };
                contained(value, found, &format!("{path}.{key}"))?;
            }
            Ok(())
        }
        (Value::Array(want), Value::Array(have)) if want.len() == have.len() => want
            .iter()
            .zip(have)
            .enumerate()
            .try_for_each(|(i, (w, h))| contained(w, h, &format!("{path}[{i}]"))),
        (want, have) if want == have => Ok(()),
        (want, have) => Err(format!("{path}: expected {want}, found {have}")),
    }
}

fn rollback_json(env: &crate::support::TestEnv, platform: &Platform, extra: &[&str]) -> Value {
    let output = paas_on(
        env,
        platform,
        &["rollback", "--timeout", "60s", "--output", "json"],
    )
    .args(extra)
    .output()
    .expect("paas rollback runs");
    assert!(output.status.success(), "{}", stderr(&output));
    serde_json::from_slice(&output.stdout).expect("one JSON result")
}

#[tokio::test]
async fn rollback_restores_every_object_of_a_release() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    // Release 1: the site as initialised.
    release(&env, &platform, 1);
    // Release 2: new content and an environment variable (the ConfigMap changes).
    new_content(&env, &platform, "2");
    let toml = env.read("paas.toml");
    env.write(
        "paas.toml",
        &toml.replacen(
            "[deploy.env]",
            "[deploy.env]\nGREETING = \"release two\"\n",
            1,
        ),
    );
    assert_eq!(up_json(&env, &platform)["revision"], 2);
    // Release 3: new content and a public host (an Ingress appears; `paas init --host` would
    // have written its template).
    env.write(
        "deploy/ingress.yaml",
        include_str!("../../packs/_standard/ingress.yaml"),
    );
    new_content(&env, &platform, "3");
    let toml = env.read("paas.toml");
    env.write(
        "paas.toml",
        &toml.replacen(
            "[deploy]",
            "[ingress]\nhost = \"site.example.test\"\n\n[deploy]",
            1,
        ),
    );
    assert_eq!(up_json(&env, &platform)["revision"], 3);
    let ingresses: Api<Ingress> = platform.api();
    assert!(ingresses.get_opt("site").await.expect("read").is_some());

    // The oracle: the pod template `kubectl rollout undo --to-revision=1` puts back (its
    // dry runs print the current object, so it is run for real, then undone).
    let kubectl = |args: &[&str]| {
        let output = platform
            .kubectl()
            .args(args)
            .output()
            .expect("kubectl runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        output.stdout
    };
    let template = |deployment: Deployment| {
        let mut value = serde_json::to_value(deployment.spec.expect("spec").template).unwrap();
        if let Some(labels) = value["metadata"]["labels"].as_object_mut() {
            labels.remove("pod-template-hash");
        }
        value
    };
    kubectl(&["rollout", "undo", "deployment/site", "--to-revision=1"]);
    let undone: Deployment = platform.api().get("site").await.expect("deployment");
    let kubectl_template = template(undone);
    kubectl(&["rollout", "undo", "deployment/site"]);

    let result = rollback_json(&env, &platform, &["--to", "1"]);
    assert_eq!(result["to"], 1);
    assert_eq!(result["from"], 3);
    assert_eq!(result["revision"], 4);

    // Every object of release 1 is live as recorded; the Ingress of release 3 is gone.
    let store = ReleaseStore::new(platform.client.clone(), &platform.namespace, "site");
    let first = store.get(1).await.expect("release 1");
    let recorded = paas::manifests::parse_rendered(&first.manifests, "release 1").expect("parses");
    for manifest in &recorded {
        let api: Api<DynamicObject> = Api::namespaced_with(
            platform.client.clone(),
            &platform.namespace,
            &paas::deploy::apply::api_resource(&manifest.object),
        );
        let live = api.get(&manifest.name).await.expect("the object is live");
        let live = serde_json::to_value(&live).expect("JSON");
        if let Err(difference) = contained(&manifest.value, &live, &manifest.id()) {
            panic!("release 1 is not restored: {difference}");
        }
    }
    assert!(ingresses.get_opt("site").await.expect("read").is_none());

    // The pod template is the one kubectl's undo put back.
    let deployment: Deployment = platform.api().get("site").await.expect("deployment");
    assert_eq!(template(deployment), kubectl_template);

    // Release 4 records the rollback.
    assert_eq!(
        release_statuses(&store).await,
        [
            (1, ReleaseStatus::Superseded),
            (2, ReleaseStatus::Superseded),
            (3, ReleaseStatus::Superseded),
            (4, ReleaseStatus::Deployed)
        ]
    );
    let fourth = store.get(4).await.expect("release 4");
    assert_eq!(fourth.description, "rollback to 1");
    assert_eq!(fourth.digest, first.digest);

    // Without `--to`: the release before the live one (3), recorded as release 5.
    let result = rollback_json(&env, &platform, &[]);
    assert_eq!(result["to"], 3);
    assert_eq!(result["revision"], 5);
    assert!(ingresses.get_opt("site").await.expect("read").is_some());
}

#[tokio::test]
async fn nothing_to_roll_back_is_said_clearly() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    let run = |args: &[&str]| {
        let output = paas_on(&env, &platform, args).output().expect("runs");
        (output.status.code(), filtered(&stderr(&output), &platform))
    };

    let (code, text) = run(&["rollback"]);
    assert_eq!(code, Some(2));
    insta::assert_snapshot!("rollback_no_history", text);

    new_content(&env, &platform, "");
    assert_eq!(up_json(&env, &platform)["revision"], 1);
    let (code, text) = run(&["rollback"]);
    assert_eq!(code, Some(2));
    insta::assert_snapshot!("rollback_nothing_earlier", text);

    let (code, text) = run(&["rollback", "--to", "9"]);
    assert_eq!(code, Some(2));
    insta::assert_snapshot!("rollback_unknown_revision", text);

    let (code, text) = run(&["rollback", "--to", "1"]);
    assert_eq!(code, Some(0), "{text}");
    insta::assert_snapshot!("rollback_already_live", text);
    let store = ReleaseStore::new(platform.client.clone(), &platform.namespace, "site");
    assert_eq!(
        release_statuses(&store).await,
        [(1, ReleaseStatus::Deployed)]
    );

    let (code, text) = run(&["rollback", "--to", "0"]);
    assert_eq!(code, Some(2));
    assert!(text.contains("there is no release 0"), "{text}");
}

#[tokio::test]
async fn a_failing_rollback_target_is_diagnosed_and_atomic_restores_the_live_release() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    // Release 1 crash-loops (recorded as failed); release 2 is good.
    with_fault(&env, "crash-loop");
    new_content(&env, &platform, "1");
    let output = paas_on(&env, &platform, &["up", "--timeout", "30s"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let deployment = env.read("deploy/deployment.yaml");
    env.write(
        "deploy/deployment.yaml",
        &deployment.replace("        paas.dev/test-fault: \"crash-loop\"\n", ""),
    );
    release(&env, &platform, 2);

    let output = paas_on(
        &env,
        &platform,
        &["rollback", "--to", "1", "--timeout", "30s", "--atomic"],
    )
    .output()
    .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let text = filtered(&stderr(&output), &platform);
    assert!(
        text.contains("CrashLoopBackOff") || text.contains("crash"),
        "{text}"
    );
    insta::assert_snapshot!("rollback_failing_target_atomic", text);
    let store = ReleaseStore::new(platform.client.clone(), &platform.namespace, "site");
    assert_eq!(
        release_statuses(&store).await,
        [
            (1, ReleaseStatus::Failed),
            (2, ReleaseStatus::Deployed),
            (3, ReleaseStatus::RolledBack)
        ]
    );
    let three = store.get(3).await.expect("release 3");
    assert_eq!(three.description, "rollback to 1");
}

#[tokio::test]
async fn a_change_between_read_and_write_is_not_overwritten() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    release(&env, &platform, 1);
    release(&env, &platform, 2);

    let plan = RollbackPlan {
        app: "site".to_owned(),
        namespace: platform.namespace.clone(),
        to: Some(1),
        timeout: std::time::Duration::from_secs(60),
        grace: std::time::Duration::from_secs(30),
        atomic: false,
        user: "tester@test".to_owned(),
        history: 10,
    };
    let prepared = rollback::prepare(&platform.client, &plan)
        .await
        .expect("prepared");
    assert!(
        !prepared.changes.is_empty(),
        "release 1 differs from release 2"
    );

    // Someone edits the Deployment between the read and the write.
    let edit = platform
        .kubectl()
        .args(["annotate", "deployment/site", "team.example/on-call=alice"])
        .output()
        .expect("kubectl runs");
    assert!(
        edit.status.success(),
        "{}",
        String::from_utf8_lossy(&edit.stderr)
    );

    let reporter = Quiet;
    let err = rollback::execute(
        &platform.client,
        &plan,
        prepared,
        &reporter,
        &paas::deploy::interrupt::Interrupt::new(),
    )
    .await
    .expect_err("the change is detected");
    assert!(
        matches!(
            &err,
            RollbackError::Deploy(paas::deploy::pipeline::UpError::Apply(
                paas::deploy::apply::ApplyError::Modified { id, .. }
            )) if id == "deployment/site"
        ),
        "{err:?}"
    );
    // The edit is kept, release 2 still runs, and no release was recorded.
    let deployment: Deployment = platform.api().get("site").await.expect("deployment");
    assert_eq!(
        deployment
            .metadata
            .annotations
            .unwrap_or_default()
            .get("team.example/on-call")
            .map(String::as_str),
        Some("alice")
    );
    let store = ReleaseStore::new(platform.client.clone(), &platform.namespace, "site");
    let live_image = deployment
        .spec
        .and_then(|s| s.template.spec)
        .map(|s| s.containers[0].image.clone());
    assert_eq!(
        live_image.flatten(),
        Some(store.get(2).await.expect("release 2").image)
    );
    assert_eq!(
        release_statuses(&store).await,
        [(1, ReleaseStatus::Superseded), (2, ReleaseStatus::Deployed)]
    );
}

/// A reporter that prints nothing.
struct Quiet;

impl paas::build::BuildReporter for Quiet {
    fn on_step(&self, _: &str) {}
    fn on_output(&self, _: &str) {}
}

impl paas::registry::PushReporter for Quiet {
    fn on_layer(&self, _: Option<&str>, _: paas::registry::LayerStatus<'_>) {}
}

impl paas::kube::rollout::RolloutReporter for Quiet {
    fn on_progress(&self, _: &str) {}
}

impl paas::deploy::pipeline::UpReporter for Quiet {
    fn event(&self, _: &paas::deploy::events::UpEvent<'_>) {}
    fn warn(&self, _: &str) {}
}
