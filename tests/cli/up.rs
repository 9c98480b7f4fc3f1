//! `paas up` against the real engine, registry and API server: first deploy, a no-op
//! deploy, a changed file, failing rollouts with their diagnosis (and `--atomic`), the lock,
//! protected environments and registry credentials.

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::coordination::v1::Lease;
use paas::deploy::release::{ReleaseStatus, ReleaseStore};

use crate::support::app::{
    filtered, interrupt_at, release_statuses, site, stderr, up, up_command, up_json, with_fault,
};
use crate::support::platform::Platform;

#[tokio::test]
async fn first_deploy_noop_and_change() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    // Content of this test's own, so the first build is not an image another run left.
    env.write(
        "dist/index.html",
        &format!("<h1>{}</h1>\n", platform.namespace),
    );

    let first = up_json(&env, &platform);
    assert_eq!(first["revision"], 1);
    assert_eq!(first["built"], true);
    assert_eq!(first["unchanged"], false);
    assert_eq!(
        first["urls"],
        serde_json::json!([format!(
            "http://site.{}.svc.cluster.local:80",
            platform.namespace
        )])
    );
    let image = first["image"].as_str().expect("image").to_owned();
    assert!(image.contains("@sha256:"), "deployed by digest: {image}");

    // The Deployment runs the image by digest, and the registry has that digest.
    let deployment = platform
        .api::<Deployment>()
        .get("site")
        .await
        .expect("deployment");
    let live_image = deployment
        .spec
        .and_then(|s| s.template.spec)
        .map(|s| s.containers[0].image.clone().unwrap_or_default());
    assert_eq!(live_image.as_deref(), Some(image.as_str()));
    let (reference, digest) = image.split_once('@').expect("a digest");
    let auth = oci_client::secrets::RegistryAuth::Anonymous;
    let reference: oci_client::Reference = reference.parse().expect("reference");
    let in_registry = platform
        .oci_client()
        .fetch_manifest_digest(&reference, &auth)
        .await
        .expect("manifest");
    assert_eq!(in_registry, digest);

    // Nothing changed: nothing built, no layer uploaded, no object changed, no new release.
    let output = up(&env, &platform, &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    insta::assert_snapshot!("up_noop", filtered(&stderr(&output), &platform));
    let again = up_json(&env, &platform);
    assert_eq!(again["built"], false);
    assert_eq!(again["layers_pushed"], 0);
    assert_eq!(again["unchanged"], true);
    assert_eq!(again["revision"], 1);
    assert!(
        again["objects"]
            .as_array()
            .expect("objects")
            .iter()
            .all(|o| o["action"] == "unchanged")
    );

    // A changed file: a new image and release 2.
    env.write(
        "dist/index.html",
        &format!("<h1>{} v2</h1>\n", platform.namespace),
    );
    let second = up_json(&env, &platform);
    assert_eq!(second["revision"], 2);
    assert_eq!(second["built"], true);
    let store = ReleaseStore::new(platform.client.clone(), &platform.namespace, "site");
    let statuses = release_statuses(&store).await;
    assert_eq!(
        statuses,
        [(1, ReleaseStatus::Superseded), (2, ReleaseStatus::Deployed)]
    );
    let record = store.get(2).await.expect("release 2");
    assert_eq!(record.digest.as_deref(), second["digest"].as_str());
    assert!(record.manifests.contains("kind: Deployment"));
}

#[tokio::test]
async fn crash_loop_is_diagnosed_fast_and_atomic_puts_the_last_release_back() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    assert!(up(&env, &platform, &[]).status.success());

    with_fault(&env, "crash-loop");
    let started = std::time::Instant::now();
    let output = up(&env, &platform, &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        started.elapsed() < std::time::Duration::from_secs(45),
        "failed fast, not at the timeout"
    );
    let text = filtered(&stderr(&output), &platform);
    assert!(
        text.contains("keeps crashing") || text.contains("crash"),
        "{text}"
    );
    assert!(
        text.contains("last log lines"),
        "the last log lines are shown: {text}"
    );
    insta::assert_snapshot!("up_crash_loop", text);

    // With --atomic the last good release comes back, and the exit code still says it failed.
    with_fault(&env, "image-pull");
    let output = up(&env, &platform, &["--atomic"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = filtered(&stderr(&output), &platform);
    assert!(text.contains("release 1 was put back"), "{text}");
    insta::assert_snapshot!("up_image_pull_atomic", text);
    let store = ReleaseStore::new(platform.client.clone(), &platform.namespace, "site");
    let statuses = release_statuses(&store).await;
    assert_eq!(
        statuses,
        [
            (1, ReleaseStatus::Deployed),
            (2, ReleaseStatus::Failed),
            (3, ReleaseStatus::RolledBack)
        ]
    );
    let deployment = platform
        .api::<Deployment>()
        .get("site")
        .await
        .expect("deployment");
    let labels = deployment
        .spec
        .and_then(|s| s.template.metadata)
        .and_then(|m| m.labels)
        .unwrap_or_default();
    assert!(
        !labels.contains_key("paas.dev/test-fault"),
        "release 1's pod template is back: {labels:?}"
    );

    // With `--output json` a failed deploy still prints one object for CI.
    with_fault(&env, "crash-loop");
    let output = up(&env, &platform, &["--output", "json"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let failure: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("one JSON object");
    assert_eq!(failure["ok"], false);
    assert_eq!(failure["exit_code"], 1);
    assert_eq!(failure["diagnosis"]["kind"], "crash-loop", "{failure}");
    assert!(
        failure["error"][0]
            .as_str()
            .is_some_and(|e| e.contains("failed to roll out")),
        "{failure}"
    );
}

#[tokio::test]
async fn a_second_deploy_at_once_is_refused() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    let now = k8s_openapi::apimachinery::pkg::apis::meta::v1::MicroTime(
        k8s_openapi::jiff::Timestamp::now(),
    );
    let lease = Lease {
        metadata: kube::api::ObjectMeta {
            name: Some("paas-deploy.site".into()),
            ..Default::default()
        },
        spec: Some(k8s_openapi::api::coordination::v1::LeaseSpec {
            holder_identity: Some("alice@ci pid 42".into()),
            lease_duration_seconds: Some(30),
            acquire_time: Some(now.clone()),
            renew_time: Some(now),
            ..Default::default()
        }),
    };
    platform
        .api::<Lease>()
        .create(&kube::api::PostParams::default(), &lease)
        .await
        .expect("lease created");
    let output = up(&env, &platform, &[]);
    assert_eq!(
        output.status.code(),
        Some(75),
        "retryable: {}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains("alice@ci pid 42"),
        "{}",
        stderr(&output)
    );
}

#[tokio::test]
async fn protected_environment_needs_yes() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    let mut toml = env.read("paas.toml");
    toml.push_str("\n[env.prod]\nprotected = true\n");
    env.write("paas.toml", &toml);
    let output = up(&env, &platform, &["--env", "prod"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    insta::assert_snapshot!("up_protected", filtered(&stderr(&output), &platform));
    let output = up(&env, &platform, &["--env", "prod", "--yes"]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[tokio::test]
async fn registry_credentials_are_required_and_never_shown() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.auth_registry);
    let output = up(&env, &platform, &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("needs credentials"),
        "{}",
        stderr(&output)
    );

    let docker = env.temp.path().join("home/.docker");
    fs_err::create_dir_all(&docker).expect("docker config dir");
    let encode = |text: &str| {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(text)
    };
    let auth = encode(&format!(
        "{}:{}",
        platform.auth_user, platform.auth_password
    ));
    let config =
        serde_json::json!({ "auths": { platform.auth_registry.clone(): { "auth": auth } } });
    fs_err::write(docker.join("config.json"), config.to_string()).expect("config.json");
    let output = up(&env, &platform, &["--verbose", "--output", "json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        stderr(&output)
    );
    assert!(
        !all.contains(&platform.auth_password) && !all.contains(&auth),
        "the password never appears in any output"
    );
}

#[tokio::test]
async fn diff_shows_changes_prunes_and_never_secret_values() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    let diff = |extra: &[&str]| {
        env.paas()
            .args(["diff", "--namespace", &platform.namespace])
            .args(extra)
            .env("KUBECONFIG", &platform.kubeconfig)
            .output()
            .expect("paas diff runs")
    };
    // Before the first deploy: everything would be created.
    let output = diff(&[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(String::from_utf8_lossy(&output.stdout).contains("+++ paas/deployment/site"));
    assert!(up(&env, &platform, &[]).status.success());

    let output = diff(&["--exit-code"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(output.stdout.is_empty());
    assert!(stderr(&output).contains("a deploy would change no object"));

    // A new env value and a Secret: shown, with the Secret's value hidden.
    let toml = env.read("paas.toml").replace(
        "[deploy.env]   # plain environment variables; never secrets\n",
        "[deploy.env]\nMODE = \"canary\"\n",
    );
    env.write("paas.toml", &toml);
    env.write(
        "deploy/secret.yaml",
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ app.name ~ \"-db\" }}\n  labels: {{ labels }}\nstringData:\n  PASSWORD: \"S3NTINEL-diff\"\n",
    );
    let output = diff(&["--exit-code"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(stdout.contains("+  MODE: canary"), "{stdout}");
    assert!(
        stdout.contains("+++ paas/secret/site-db") && stdout.contains("PASSWORD: (redacted)"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("S3NTINEL") && !stderr(&output).contains("S3NTINEL"),
        "{stdout}"
    );
    // `up --dry-run` shows the same and changes nothing.
    let dry = up(&env, &platform, &["--dry-run"]);
    assert!(dry.status.success(), "{}", stderr(&dry));
    assert_eq!(String::from_utf8_lossy(&dry.stdout), stdout);
    assert_eq!(
        diff(&["--exit-code"]).status.code(),
        Some(1),
        "the dry run applied nothing"
    );

    // Deployed, then the Secret removed from deploy/: it would be pruned.
    assert!(up(&env, &platform, &[]).status.success());
    fs_err::remove_file(env.project.join("deploy/secret.yaml")).expect("remove");
    let output = diff(&["--output", "json"]);
    let diffs: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let changes: Vec<(String, String)> = diffs
        .as_array()
        .expect("array")
        .iter()
        .map(|d| {
            (
                d["id"].as_str().unwrap_or_default().to_owned(),
                d["change"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        [("secret/site-db".to_owned(), "delete".to_owned())]
    );
}

#[tokio::test]
async fn every_fault_is_diagnosed_before_the_timeout() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    assert!(up(&env, &platform, &[]).status.success());
    // Faults that cannot heal stop the wait at once; `never-ready` and an unschedulable pod
    // may heal, so paas gives them a 30 s grace, still before the 60 s timeout these tests use.
    for (fault, expected) in [
        ("missing-secret", "cannot create its container"),
        ("oom", "OOMKilled"),
        ("never-ready", "never becomes ready"),
        ("unschedulable", "cannot be scheduled"),
    ] {
        if fault == "unschedulable" {
            let text = env.read("deploy/deployment.yaml");
            let text = text.replace(
                "      containers:\n",
                "      nodeSelector:\n        paas.dev/no-such-node: \"true\"\n      containers:\n",
            );
            env.write("deploy/deployment.yaml", &text);
            with_fault(&env, "none");
        } else {
            with_fault(&env, fault);
        }
        let started = std::time::Instant::now();
        let output = up(&env, &platform, &[]);
        let elapsed = started.elapsed();
        assert_eq!(
            output.status.code(),
            Some(1),
            "{fault}: {}",
            stderr(&output)
        );
        assert!(
            elapsed < std::time::Duration::from_secs(50),
            "{fault}: took {elapsed:?}, not a timeout"
        );
        let text = filtered(&stderr(&output), &platform);
        assert!(text.contains(expected), "{fault}: {text}");
        insta::assert_snapshot!(format!("up_fault_{fault}"), text);
    }
}

#[tokio::test]
async fn a_field_set_by_another_tool_is_a_conflict_until_forced() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    let with_mode = |mode: &str| {
        let toml = env.read("paas.toml");
        let toml = match toml.lines().find(|l| l.starts_with("MODE = ")) {
            Some(line) => toml.replace(line, &format!("MODE = {mode:?}")),
            None => toml.replace(
                "[deploy.env]   # plain environment variables; never secrets\n",
                &format!("[deploy.env]\nMODE = {mode:?}\n"),
            ),
        };
        env.write("paas.toml", &toml);
    };
    with_mode("blue");
    assert!(up(&env, &platform, &[]).status.success());
    // kubectl takes the value over; the next deploy that changes it says who owns it.
    let patch = serde_json::json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "site-env"},
        "data": {"MODE": "hand-edited"}});
    platform
        .api::<k8s_openapi::api::core::v1::ConfigMap>()
        .patch(
            "site-env",
            &kube::api::PatchParams::apply("kubectl").force(),
            &kube::api::Patch::Apply(&patch),
        )
        .await
        .expect("kubectl's change");
    with_mode("green");
    let output = up(&env, &platform, &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stderr(&output);
    assert!(
        text.contains("(by `kubectl`)") && text.contains("--force-conflicts"),
        "{text}"
    );
    let output = up(&env, &platform, &["--force-conflicts"]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[tokio::test]
async fn an_environment_bound_to_a_context_refuses_another() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    let mut toml = env.read("paas.toml");
    toml.push_str("\n[env.prod]\ncontext = \"prod-cluster\"\n");
    env.write("paas.toml", &toml);
    let output = up(
        &env,
        &platform,
        &["--env", "prod", "--context", "kwok-paas-test"],
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("bound to kube context `prod-cluster`"),
        "{}",
        stderr(&output)
    );
    let output = up(&env, &platform, &["--env", "prod"]);
    assert_eq!(
        output.status.code(),
        Some(2),
        "the bound context is not in the kubeconfig: {}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains("prod-cluster"),
        "{}",
        stderr(&output)
    );
}

#[cfg(unix)]
#[tokio::test]
async fn ctrl_c_stops_waiting_and_deletes_nothing() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    assert!(up(&env, &platform, &[]).status.success());
    with_fault(&env, "never-ready");
    let (code, seen, _) = interrupt_at(up_command(&env, &platform, &["--timeout", "5m"]), |line| {
        line.trim_start().starts_with("Applied")
    });
    assert_eq!(code, Some(130), "{seen}");
    assert!(
        seen.contains("interrupted while waiting for release 2")
            && seen.contains("nothing was deleted"),
        "{seen}"
    );
    assert!(
        platform
            .api::<Deployment>()
            .get_opt("site")
            .await
            .expect("read")
            .is_some(),
        "nothing deleted"
    );
}

#[tokio::test]
async fn ctrl_c_during_the_build_applies_nothing() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    crate::support::app::new_content(&env, &platform, "slow build");
    // A build step that takes long enough to be interrupted.
    let dockerfile = env.read("Dockerfile");
    env.write(
        "Dockerfile",
        &format!("{dockerfile}\nRUN sleep 60 # {}\n", platform.namespace),
    );
    let (code, seen, after_signal) =
        interrupt_at(up_command(&env, &platform, &["--verbose"]), |line| {
            line.contains("RUN sleep 60")
        });
    assert_eq!(code, Some(130), "{seen}");
    assert!(
        after_signal < std::time::Duration::from_secs(10),
        "stopped at once, not after the step: {seen}"
    );
    assert!(
        seen.contains("interrupted during the build of `site`; nothing was applied"),
        "{seen}"
    );
    assert!(
        platform
            .api::<Deployment>()
            .get_opt("site")
            .await
            .expect("read")
            .is_none(),
        "nothing applied"
    );
    let store = ReleaseStore::new(platform.client.clone(), &platform.namespace, "site");
    assert!(store.list().await.expect("list").is_empty(), "no release");
}

#[tokio::test]
async fn a_failure_after_some_objects_says_what_was_applied() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    // A budget the API server refuses (both bounds set): applied after the Deployment.
    env.write(
        "deploy/budget.yaml",
        "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: site-budget\n  labels: {{ labels }}\nspec:\n  minAvailable: 1\n  maxUnavailable: 1\n  selector:\n    matchLabels: {{ selector_labels }}\n",
    );
    let output = up(&env, &platform, &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = filtered(&stderr(&output), &platform);
    let error = text
        .lines()
        .skip_while(|l| !l.starts_with("error: "))
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!("up_partly_applied", error);
    assert!(
        platform
            .api::<Deployment>()
            .get_opt("site")
            .await
            .expect("read")
            .is_some(),
        "the Deployment was applied, as the error says"
    );
    let store = ReleaseStore::new(platform.client.clone(), &platform.namespace, "site");
    assert_eq!(release_statuses(&store).await, [(1, ReleaseStatus::Failed)]);
}

#[tokio::test]
async fn a_replica_count_changed_between_read_and_apply_is_read_again() {
    use paas::deploy::apply::{self, ApplyError, ApplySettings};
    use paas::deploy::pipeline;
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    assert!(up(&env, &platform, &[]).status.success());
    let store = ReleaseStore::new(platform.client.clone(), &platform.namespace, "site");
    let last = store.get(1).await.expect("release 1");
    // What a deploy decides: release 1's manifests, the live count kept.
    let mut manifests =
        paas::manifests::parse_rendered(&last.manifests, "release 1").expect("parsed");
    last.declared_scale().declare_into(&mut manifests);
    let mut rendered = pipeline::with_scale(
        &platform.client,
        &platform.namespace,
        manifests,
        Some(&last),
    )
    .await
    .expect("decided");
    // Then, before the apply, `kubectl scale` changes the count.
    let scaled = platform
        .kubectl()
        .args(["scale", "deployment/site", "--replicas=4"])
        .output()
        .expect("kubectl runs");
    assert!(scaled.status.success(), "{scaled:?}");
    let settings = ApplySettings {
        app: "site".into(),
        namespace: platform.namespace.clone(),
        force_conflicts: false,
        dry_run: false,
    };
    // Applied as decided, this is a conflict on the count...
    match apply::apply(&platform.client, &settings, &rendered.manifests).await {
        Err(ApplyError::Conflict { conflicts, .. }) => {
            assert_eq!(conflicts[0].field, ".spec.replicas", "{conflicts:?}");
        }
        other => panic!("expected a conflict on the replica count: {other:?}"),
    }
    // ...which the deploy's apply meets by reading the count again and keeping it.
    pipeline::apply_scaled(&platform.client, &settings, &mut rendered, Some(&last))
        .await
        .expect("applied after reading the count again");
    let deployment: Deployment = platform.api().get("site").await.expect("deployment");
    assert_eq!(deployment.spec.and_then(|s| s.replicas), Some(4));
}

#[tokio::test]
async fn a_first_deploy_whose_build_fails_leaves_no_namespace() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    let dockerfile = env.read("Dockerfile");
    env.write(
        "Dockerfile",
        &format!("{dockerfile}\nRUN false # {}\n", platform.namespace),
    );
    let fresh = format!("{}-new", platform.namespace);
    let namespaces: kube::Api<k8s_openapi::api::core::v1::Namespace> =
        kube::Api::all(platform.client.clone());
    let output = env
        .paas()
        .args(["up", "--namespace", &fresh, "--timeout", "60s"])
        .env("KUBECONFIG", &platform.kubeconfig)
        .env("DOCKER_HOST", &platform.docker_host)
        .output()
        .expect("runs");
    let left = namespaces.get_opt(&fresh).await.expect("read");
    let _ = namespaces
        .delete(&fresh, &kube::api::DeleteParams::default())
        .await;
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stderr(&output);
    assert!(
        text.contains(&format!("Created namespace `{fresh}`"))
            && text.contains(&format!(
                "Removed namespace `{fresh}`: it was created for this deploy, which left nothing in it"
            )),
        "{text}"
    );
    assert!(
        left.is_none_or(|n| n.metadata.deletion_timestamp.is_some()),
        "the namespace is gone"
    );

    // A namespace that was there before is never removed.
    let output = up(&env, &platform, &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let left = namespaces.get_opt(&platform.namespace).await.expect("read");
    assert!(left.is_some_and(|n| n.metadata.deletion_timestamp.is_none()));
}
