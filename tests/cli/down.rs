//! `paas down` against the real API server: refused without `--yes` off a terminal, a dry
//! run that lists, the deletion of everything with the app's paas labels (and nothing else),
//! volumes only with `--volumes`, and protected environments.

use k8s_openapi::api::core::v1::{ConfigMap, PersistentVolumeClaim};
use kube::api::{Api, DynamicObject, ListParams, PostParams};
use kube::core::ApiResource;
use paas::deploy::release::ReleaseStore;

use crate::support::app::{filtered, new_content, paas_on, protected_prod, site, stderr, up_json};
use crate::support::platform::Platform;

/// Every object in the namespace with the label `paas.dev/app=site`, as `kind/name`.
async fn labelled(platform: &Platform) -> Vec<String> {
    let kinds = [
        ("apps", "v1", "Deployment", "deployments"),
        ("apps", "v1", "ReplicaSet", "replicasets"),
        ("", "v1", "Pod", "pods"),
        ("", "v1", "Service", "services"),
        ("", "v1", "ConfigMap", "configmaps"),
        ("", "v1", "Secret", "secrets"),
        ("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims"),
        ("networking.k8s.io", "v1", "Ingress", "ingresses"),
        (
            "networking.k8s.io",
            "v1",
            "NetworkPolicy",
            "networkpolicies",
        ),
        (
            "policy",
            "v1",
            "PodDisruptionBudget",
            "poddisruptionbudgets",
        ),
        (
            "autoscaling",
            "v2",
            "HorizontalPodAutoscaler",
            "horizontalpodautoscalers",
        ),
    ];
    let mut found = Vec::new();
    for (group, version, kind, plural) in kinds {
        let resource = ApiResource {
            group: group.to_owned(),
            version: version.to_owned(),
            api_version: if group.is_empty() {
                version.to_owned()
            } else {
                format!("{group}/{version}")
            },
            kind: kind.to_owned(),
            plural: plural.to_owned(),
        };
        let api: Api<DynamicObject> =
            Api::namespaced_with(platform.client.clone(), &platform.namespace, &resource);
        for object in api
            .list(&ListParams::default().labels("paas.dev/app=site"))
            .await
            .expect("list")
            .items
        {
            found.push(format!(
                "{}/{}",
                kind.to_lowercase(),
                object.metadata.name.unwrap_or_default()
            ));
        }
    }
    found.sort();
    found
}

#[tokio::test]
async fn down_deletes_what_the_app_owns_and_nothing_else() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    // A public host and two replicas: an Ingress and a PodDisruptionBudget too.
    for template in ["ingress.yaml", "pdb.yaml"] {
        let text = std::fs::read_to_string(format!("packs/_standard/{template}"))
            .expect("the standard template");
        env.write(&format!("deploy/{template}"), &text);
    }
    let toml = env.read("paas.toml");
    let declared = toml
        .lines()
        .find(|l| l.starts_with("replicas = "))
        .expect("a replica count")
        .to_owned();
    env.write(
        "paas.toml",
        &toml.replace(&declared, "replicas = 2").replacen(
            "# [ingress]",
            "[ingress]\nhost = \"site.example.test\"\n",
            1,
        ),
    );
    new_content(&env, &platform, "");
    assert_eq!(up_json(&env, &platform)["revision"], 1);
    // What is not the app's: an unlabelled ConfigMap, and one with the app label that paas
    // did not apply. A volume of the app (as a component would have).
    let configmaps: Api<ConfigMap> = platform.api();
    for (name, labels) in [
        ("other", serde_json::json!({})),
        ("hand-made", serde_json::json!({ "paas.dev/app": "site" })),
    ] {
        let object: ConfigMap = serde_json::from_value(serde_json::json!({
            "metadata": { "name": name, "labels": labels }
        }))
        .unwrap();
        configmaps
            .create(&PostParams::default(), &object)
            .await
            .expect("create");
    }
    let claim: PersistentVolumeClaim = serde_json::from_value(serde_json::json!({
        "metadata": { "name": "site-data", "labels": {
            "paas.dev/app": "site", "app.kubernetes.io/managed-by": "paas" } },
        "spec": { "accessModes": ["ReadWriteOnce"], "resources": { "requests": { "storage": "1Gi" } } }
    }))
    .unwrap();
    let claims: Api<PersistentVolumeClaim> = platform.api();
    claims
        .create(&PostParams::default(), &claim)
        .await
        .expect("create the claim");
    let before = labelled(&platform).await;
    for id in [
        "deployment/site",
        "service/site",
        "ingress/site",
        "poddisruptionbudget/site",
        "configmap/site-env",
    ] {
        assert!(before.contains(&id.to_owned()), "{id} in {before:?}");
    }
    assert!(before.iter().any(|id| id.starts_with("pod/")), "{before:?}");

    // Off a terminal, without `--yes`: refused, nothing deleted.
    let output = paas_on(&env, &platform, &["down"]).output().expect("runs");
    assert_eq!(output.status.code(), Some(2));
    insta::assert_snapshot!("down_needs_yes", filtered(&stderr(&output), &platform));
    assert_eq!(labelled(&platform).await.len(), before.len());

    // A dry run lists.
    let output = paas_on(&env, &platform, &["down", "--dry-run"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));
    insta::assert_snapshot!("down_dry_run", filtered(&stderr(&output), &platform));
    assert_eq!(labelled(&platform).await.len(), before.len());

    // Down: everything with paas's labels goes, pods and releases included; the volume stays.
    let output = paas_on(&env, &platform, &["down", "--yes", "--output", "json"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let result: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(result["releases"], 1);
    assert_eq!(
        result["kept_volumes"],
        serde_json::json!(["persistentvolumeclaim/site-data"])
    );
    assert_eq!(
        labelled(&platform).await,
        ["configmap/hand-made", "persistentvolumeclaim/site-data"]
    );
    assert!(configmaps.get_opt("other").await.expect("read").is_some());
    let store = ReleaseStore::new(platform.client.clone(), &platform.namespace, "site");
    assert!(store.list().await.expect("list").is_empty());

    // With `--volumes` the claim goes too; then there is nothing left to delete.
    let output = paas_on(&env, &platform, &["down", "--yes", "--volumes"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(labelled(&platform).await, ["configmap/hand-made"]);
    let output = paas_on(&env, &platform, &["down", "--yes"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));
    insta::assert_snapshot!("down_nothing", filtered(&stderr(&output), &platform));
}

#[tokio::test]
async fn a_protected_environment_is_not_taken_down_without_yes() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    protected_prod(&env, &platform);
    new_content(&env, &platform, "");
    let output = env
        .paas()
        .args(["up", "--env", "prod", "--yes", "--timeout", "60s"])
        .env("KUBECONFIG", &platform.kubeconfig)
        .env("DOCKER_HOST", &platform.docker_host)
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", stderr(&output));
    let down = |yes: bool| {
        let mut command = env.paas();
        command
            .args(["down", "--env", "prod"])
            .env("KUBECONFIG", &platform.kubeconfig);
        if yes {
            command.arg("--yes");
        }
        command.output().expect("runs")
    };
    let output = down(false);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("nothing was deleted"),
        "{}",
        stderr(&output)
    );
    assert!(
        labelled(&platform)
            .await
            .contains(&"deployment/site".to_owned())
    );
    let output = down(true);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(labelled(&platform).await.is_empty());
}

#[tokio::test]
async fn down_deletes_only_paas_records_and_lists_records_and_lock_in_a_dry_run() {
    use k8s_openapi::api::coordination::v1::Lease;
    use k8s_openapi::api::core::v1::Secret;
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    new_content(&env, &platform, "");
    assert_eq!(up_json(&env, &platform)["revision"], 1);
    // Secrets that look like records but are not paas's: the app's label on a plain Secret,
    // and paas's type without paas's label.
    let secrets: Api<Secret> = platform.api();
    for (name, type_, labels) in [
        (
            "look-alike",
            "Opaque",
            serde_json::json!({ "paas.dev/release-of": "site" }),
        ),
        (
            "foreign-record",
            "paas.dev/release.v1",
            serde_json::json!({ "paas.dev/release-of": "site", "app.kubernetes.io/managed-by": "helm" }),
        ),
    ] {
        let secret: Secret = serde_json::from_value(serde_json::json!({
            "metadata": { "name": name, "labels": labels }, "type": type_,
        }))
        .unwrap();
        secrets
            .create(&PostParams::default(), &secret)
            .await
            .expect("create");
    }
    // A lock left by a killed deploy.
    let stale: Lease = serde_json::from_value(serde_json::json!({
        "metadata": { "name": "paas-deploy.site" },
        "spec": { "holderIdentity": "ghost@gone pid 9", "leaseDurationSeconds": 30,
            "acquireTime": "2026-01-01T00:00:00.000000Z", "renewTime": "2026-01-01T00:00:00.000000Z" }
    }))
    .unwrap();
    platform
        .api::<Lease>()
        .create(&PostParams::default(), &stale)
        .await
        .expect("create the lease");

    let output = paas_on(&env, &platform, &["down", "--dry-run"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    insta::assert_snapshot!(
        "down_dry_run_records_and_lock",
        filtered(&stderr(&output), &platform)
    );
    let output = paas_on(&env, &platform, &["down", "--yes", "--output", "json"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let result: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(
        result["records"],
        serde_json::json!(["paas-release.site.v1"])
    );
    assert!(
        result["deleted"]
            .as_array()
            .expect("a list")
            .contains(&serde_json::json!("lease/paas-deploy.site")),
        "{result}"
    );
    for name in ["look-alike", "foreign-record"] {
        assert!(
            secrets.get_opt(name).await.expect("read").is_some(),
            "`{name}` is not paas's and stays"
        );
    }
    assert!(
        secrets
            .get_opt("paas-release.site.v1")
            .await
            .expect("read")
            .is_none()
    );
    assert!(
        platform
            .api::<Lease>()
            .get_opt("paas-deploy.site")
            .await
            .expect("read")
            .is_none()
    );
}

#[tokio::test]
async fn down_while_another_holds_the_lock_deletes_nothing() {
    use k8s_openapi::api::coordination::v1::Lease;
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    new_content(&env, &platform, "");
    assert_eq!(up_json(&env, &platform)["revision"], 1);
    let now = k8s_openapi::jiff::Timestamp::now().to_string();
    let held: Lease = serde_json::from_value(serde_json::json!({
        "metadata": { "name": "paas-deploy.site" },
        "spec": { "holderIdentity": "alice@ci pid 42", "leaseDurationSeconds": 30,
            "acquireTime": now, "renewTime": now }
    }))
    .unwrap();
    platform
        .api::<Lease>()
        .create(&PostParams::default(), &held)
        .await
        .expect("create the lease");
    let before = labelled(&platform).await;
    let output = paas_on(&env, &platform, &["down", "--yes"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(75), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("is running: alice@ci pid 42"),
        "{}",
        stderr(&output)
    );
    assert_eq!(labelled(&platform).await, before);
    let lease = platform
        .api::<Lease>()
        .get("paas-deploy.site")
        .await
        .expect("the other holder's lease is left");
    assert_eq!(
        lease.spec.and_then(|s| s.holder_identity).as_deref(),
        Some("alice@ci pid 42")
    );
}
