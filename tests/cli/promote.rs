//! `paas promote` against the real platform: a release of `staging` deployed to `prod` with the
//! same digest and prod's values, nothing built; between the open and the htpasswd registry, the
//! image copied by digest (and a second promote uploading nothing); a failed release refused
//! with nothing applied to prod.

use k8s_openapi::api::apps::v1::Deployment;
use kube::Api;
use serde_json::Value;

use crate::support::TestEnv;
use crate::support::app::{new_content, site, stderr, with_fault};
use crate::support::platform::Platform;

/// Adds `[env.staging]` (the first namespace) and `[env.prod]` (the second: 2 replicas, its
/// own variable, and `prod_extra`) to `paas.toml`.
fn environments(env: &TestEnv, staging: &Platform, prod: &Platform, prod_extra: &str) {
    let toml = env.read("paas.toml");
    env.write(
        "paas.toml",
        &format!(
            "{toml}\n[env.staging]\nnamespace = \"{}\"\n\n[env.prod]\nnamespace = \"{}\"\nreplicas = 2\n{prod_extra}\n[env.prod.env]\nGREETING = \"hello prod\"\n",
            staging.namespace, prod.namespace
        ),
    );
}

/// `paas ARGS…` in the project against the platform (no `--namespace`: the environments say).
fn paas(env: &TestEnv, platform: &Platform, args: &[&str]) -> std::process::Output {
    env.paas()
        .args(args)
        .env("KUBECONFIG", &platform.kubeconfig)
        .env("DOCKER_HOST", &platform.docker_host)
        .output()
        .expect("paas runs")
}

fn json(output: &std::process::Output) -> Value {
    assert!(output.status.success(), "{}", stderr(output));
    serde_json::from_slice(&output.stdout).expect("one JSON result")
}

fn promote_json(env: &TestEnv, platform: &Platform) -> Value {
    json(&paas(
        env,
        platform,
        &[
            "promote",
            "--from",
            "staging",
            "--to",
            "prod",
            "--timeout",
            "60s",
            "--output",
            "json",
        ],
    ))
}

async fn deployment(platform: &Platform, namespace: &str) -> Option<Deployment> {
    Api::<Deployment>::namespaced(platform.client.clone(), namespace)
        .get_opt("site")
        .await
        .expect("read the Deployment")
}

fn image_of(deployment: &Deployment) -> String {
    deployment
        .spec
        .as_ref()
        .expect("spec")
        .template
        .spec
        .as_ref()
        .expect("pod spec")
        .containers[0]
        .image
        .clone()
        .expect("an image")
}

/// The Docker config of `env` with the htpasswd registry's credentials.
fn log_in(env: &TestEnv, platform: &Platform) {
    use base64::Engine as _;
    let docker = env.temp.path().join("home/.docker");
    fs_err::create_dir_all(&docker).expect("docker config dir");
    let auth = base64::engine::general_purpose::STANDARD
        .encode(format!("{}:{}", platform.auth_user, platform.auth_password));
    let config =
        serde_json::json!({ "auths": { platform.auth_registry.clone(): { "auth": auth } } });
    fs_err::write(docker.join("config.json"), config.to_string()).expect("config.json");
}

#[tokio::test]
async fn promote_deploys_the_staging_digest_to_prod_with_prods_values_and_builds_nothing() {
    let Some(staging) = Platform::setup().await else {
        return;
    };
    let Some(prod) = Platform::setup().await else {
        return;
    };
    let env = site(&staging, &staging.registry);
    environments(&env, &staging, &prod, "");
    new_content(&env, &staging, "promote");
    let up = json(&paas(
        &env,
        &staging,
        &[
            "up",
            "--env",
            "staging",
            "--timeout",
            "60s",
            "--output",
            "json",
        ],
    ));
    assert_eq!(up["revision"], 1, "{up}");

    let output = paas(
        &env,
        &staging,
        &[
            "promote",
            "--from",
            "staging",
            "--to",
            "prod",
            "--timeout",
            "60s",
            "--output",
            "json",
        ],
    );
    let text = stderr(&output);
    let result = json(&output);
    assert_eq!(result["built"], false, "{result}");
    assert!(
        !text.contains("Building") && !text.contains("Pushed"),
        "{text}"
    );
    assert_eq!(result["digest"], up["digest"], "{result}");
    assert_eq!(result["revision"], 1);
    assert_eq!(result["namespace"], prod.namespace.as_str());
    assert_eq!(result["promoted_from"]["environment"], "staging");
    assert_eq!(result["promoted_from"]["revision"], 1);
    // Same registry and repository: nothing to copy.
    assert!(result.get("copy").is_none(), "{result}");

    let in_staging = deployment(&staging, &staging.namespace)
        .await
        .expect("staging runs");
    let in_prod = deployment(&staging, &prod.namespace)
        .await
        .expect("prod runs");
    let digest = up["digest"].as_str().expect("a digest");
    assert!(image_of(&in_staging).ends_with(digest));
    assert_eq!(image_of(&in_prod), image_of(&in_staging));
    // prod's values: its replicas and its variable.
    assert_eq!(in_prod.spec.as_ref().unwrap().replicas, Some(2));
    assert_eq!(in_staging.spec.as_ref().unwrap().replicas, Some(1));
    let config: Api<k8s_openapi::api::core::v1::ConfigMap> =
        Api::namespaced(staging.client.clone(), &prod.namespace);
    let values = config.get("site-env").await.expect("prod's ConfigMap");
    assert_eq!(values.data.unwrap()["GREETING"], "hello prod");

    let history = json(&paas(
        &env,
        &staging,
        &["history", "--env", "prod", "--output", "json"],
    ));
    let release = &history["releases"][0];
    assert_eq!(release["description"], "promoted from staging release 1");
    assert_eq!(release["digest"], up["digest"]);
    assert_eq!(release["git_commit"], up["git"]["commit"]);
    assert_eq!(
        release["promoted_from"]["namespace"],
        staging.namespace.as_str()
    );
    let table = paas(&env, &staging, &["history", "--env", "prod"]);
    assert!(
        String::from_utf8_lossy(&table.stdout).contains("promoted from staging release 1"),
        "{}",
        String::from_utf8_lossy(&table.stdout)
    );
    let history = json(&paas(
        &env,
        &staging,
        &["history", "--env", "staging", "--output", "json"],
    ));
    assert_eq!(history["releases"][0]["description"], "up");
}

#[tokio::test]
async fn promote_copies_the_image_between_registries_by_digest_and_a_second_time_uploads_nothing() {
    let Some(staging) = Platform::setup().await else {
        return;
    };
    let Some(prod) = Platform::setup().await else {
        return;
    };
    let env = site(&staging, &staging.registry);
    log_in(&env, &staging);
    let prod_registry = format!("{}/{}", staging.auth_registry, prod.namespace);
    environments(
        &env,
        &staging,
        &prod,
        &format!("registry = \"{prod_registry}\"\n"),
    );
    new_content(&env, &staging, "copy");
    let up = json(&paas(
        &env,
        &staging,
        &[
            "up",
            "--env",
            "staging",
            "--timeout",
            "60s",
            "--output",
            "json",
        ],
    ));
    let digest = up["digest"].as_str().expect("a digest").to_owned();

    let first = promote_json(&env, &staging);
    assert_eq!(first["digest"], digest.as_str(), "{first}");
    assert!(
        first["copy"]["blobs_copied"].as_u64().unwrap() > 0,
        "{first}"
    );
    assert!(
        first["copy"]["bytes_copied"].as_u64().unwrap() > 0,
        "{first}"
    );
    let image = first["image"].as_str().unwrap();
    assert!(
        image.starts_with(&format!("{prod_registry}/site:")),
        "{image}"
    );
    let in_prod = deployment(&staging, &prod.namespace)
        .await
        .expect("prod runs");
    assert_eq!(image_of(&in_prod), image);

    // The same digest in the htpasswd registry, read back with its credentials.
    let copied = paas::registry::ImageRef::parse(image).unwrap();
    let credential = paas::registry::Credential::Basic {
        username: staging.auth_user.clone(),
        password: paas::registry::Secret::new(staging.auth_password.clone()),
    };
    let unpinned =
        paas::registry::ImageRef::parse(&format!("{}:{}", copied.name(), copied.tag().unwrap()))
            .unwrap();
    assert_eq!(
        paas::registry::resolve_digest(&unpinned, &credential)
            .await
            .expect("the digest"),
        digest
    );

    // Again: every blob is there, none is uploaded, and nothing changed in prod.
    let output = paas(
        &env,
        &staging,
        &[
            "promote",
            "--from",
            "staging",
            "--to",
            "prod",
            "--timeout",
            "60s",
            "--output",
            "json",
        ],
    );
    let text = stderr(&output);
    let second = json(&output);
    assert_eq!(second["copy"]["blobs_copied"], 0, "{second}");
    assert_eq!(second["copy"]["blobs_mounted"], 0, "{second}");
    assert_eq!(second["copy"]["bytes_copied"], 0, "{second}");
    assert_eq!(
        second["copy"]["blobs_existing"],
        first["copy"]["blobs_copied"].as_u64().unwrap()
            + first["copy"]["blobs_existing"].as_u64().unwrap()
    );
    assert!(text.contains("Skipped blob"), "{text}");
    assert_eq!(second["unchanged"], true, "{second}");
}

#[tokio::test]
async fn promote_refuses_a_failed_release_and_applies_nothing_to_prod() {
    let Some(staging) = Platform::setup().await else {
        return;
    };
    let Some(prod) = Platform::setup().await else {
        return;
    };
    let env = site(&staging, &staging.registry);
    environments(&env, &staging, &prod, "");
    with_fault(&env, "crash-loop");
    new_content(&env, &staging, "failing");
    let output = paas(
        &env,
        &staging,
        &["up", "--env", "staging", "--timeout", "30s"],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));

    // The live one: there is none.
    let output = paas(
        &env,
        &staging,
        &["promote", "--from", "staging", "--to", "prod"],
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("has no live release in environment `staging`"),
        "{}",
        stderr(&output)
    );
    // Release 1 by number: it failed.
    let output = paas(
        &env,
        &staging,
        &[
            "promote",
            "--from",
            "staging",
            "--to",
            "prod",
            "--revision",
            "1",
        ],
    );
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(
        text.contains(
            "release 1 of `site` in environment `staging` is failed, not a release that rolled out"
        ),
        "{text}"
    );
    assert!(
        text.contains("hint: promote a release that rolled out"),
        "{text}"
    );
    assert!(deployment(&staging, &prod.namespace).await.is_none());
    let history = json(&paas(
        &env,
        &staging,
        &["history", "--env", "prod", "--output", "json"],
    ));
    assert_eq!(history["releases"], serde_json::json!([]));

    // Usage errors, before any cluster is asked.
    let output = paas(
        &env,
        &staging,
        &["promote", "--from", "staging", "--to", "staging"],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("`--from` and `--to` both name environment `staging`"));
    let output = paas(
        &env,
        &staging,
        &["promote", "--from", "staging", "--to", "qa"],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output)
            .contains("no environment `qa` in `paas.toml` (environments: `prod`, `staging`)"),
        "{}",
        stderr(&output)
    );
}
