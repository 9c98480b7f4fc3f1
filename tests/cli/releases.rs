//! Release records and the deploy lock against the real API server.

use k8s_openapi::api::coordination::v1::Lease;
use k8s_openapi::api::core::v1::Secret;
use paas::deploy::lock::{DeployLock, LockError, lease_name};
use paas::deploy::release::{Release, ReleaseError, ReleaseStatus, ReleaseStore};

use crate::support::platform::Platform;

fn release(revision: u32, status: ReleaseStatus) -> Release {
    Release {
        app: "web".into(),
        revision,
        status,
        description: "up".into(),
        image: format!("127.0.0.1:5000/web:v{revision}"),
        digest: None,
        git_commit: Some("3f2a1c9".into()),
        git_dirty: revision.is_multiple_of(2),
        user: "dev@host".into(),
        created: "2026-11-27T10:00:00Z".into(),
        finished: None,
        environment: None,
        manifests: format!(
            "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-env\n  # v{revision}\n"
        ),
        declared: None,
        promoted_from: None,
    }
}

#[tokio::test]
async fn releases_are_recorded_listed_and_pruned() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let store = ReleaseStore::new(platform.client.clone(), &platform.namespace, "web");
    assert_eq!(store.list().await.unwrap(), vec![]);
    assert_eq!(store.next_revision().await.unwrap(), 1);
    assert!(matches!(
        store.get(1).await,
        Err(ReleaseError::NotFound { revision: 1, .. })
    ));

    for revision in 1..=4 {
        let mut record = release(revision, ReleaseStatus::Pending);
        store.create(&record).await.unwrap();
        record.status = if revision == 3 {
            ReleaseStatus::Failed
        } else {
            ReleaseStatus::Deployed
        };
        record.finished = Some("2026-11-27T10:01:00Z".into());
        store.update(&record).await.unwrap();
        if record.status == ReleaseStatus::Deployed {
            store.supersede_others(revision).await.unwrap();
        }
        assert_eq!(store.get(revision).await.unwrap(), record);
    }
    // The same revision twice: the second deploy is told, not silently merged.
    assert!(matches!(
        store.create(&release(4, ReleaseStatus::Pending)).await,
        Err(ReleaseError::Conflict { revision: 4, .. })
    ));

    let statuses: Vec<(u32, ReleaseStatus)> = store
        .list()
        .await
        .unwrap()
        .iter()
        .map(|r| (r.revision, r.status))
        .collect();
    assert_eq!(
        statuses,
        [
            (1, ReleaseStatus::Superseded),
            (2, ReleaseStatus::Superseded),
            (3, ReleaseStatus::Failed),
            (4, ReleaseStatus::Deployed)
        ]
    );
    assert_eq!(store.next_revision().await.unwrap(), 5);
    assert_eq!(
        store.last_good(Some(4)).await.unwrap().map(|r| r.revision),
        Some(2),
        "the failed release is skipped"
    );

    // The record is a Secret of paas's own type, compressed, and not labelled as an app object.
    let secret = platform
        .api::<Secret>()
        .get("paas-release.web.v4")
        .await
        .unwrap();
    assert_eq!(secret.type_.as_deref(), Some("paas.dev/release.v1"));
    let labels = secret.metadata.labels.unwrap_or_default();
    assert!(
        !labels.contains_key("paas.dev/app"),
        "pruning by app label never deletes history: {labels:?}"
    );

    assert_eq!(store.prune_history(2).await.unwrap(), vec![1, 2]);
    let left: Vec<u32> = store
        .list()
        .await
        .unwrap()
        .iter()
        .map(|r| r.revision)
        .collect();
    assert_eq!(left, [3, 4]);
}

#[tokio::test]
async fn one_deploy_at_a_time() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let first = DeployLock::acquire(
        platform.client.clone(),
        &platform.namespace,
        "web",
        "alice@a pid 1",
    )
    .await
    .unwrap();
    let started = std::time::Instant::now();
    let second = DeployLock::acquire(
        platform.client.clone(),
        &platform.namespace,
        "web",
        "bob@b pid 2",
    )
    .await;
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "the second deploy fails fast"
    );
    match second {
        Err(err @ LockError::Held { .. }) => {
            let message = err.to_string();
            assert!(
                message.contains("alice@a pid 1") && message.contains("another deploy of `web`"),
                "{message}"
            );
        }
        Err(other) => panic!("unexpected error: {other}"),
        Ok(_) => panic!("two deploys held the lock at once"),
    }
    // Another app is independent.
    let other_app = DeployLock::acquire(
        platform.client.clone(),
        &platform.namespace,
        "api",
        "bob@b pid 2",
    )
    .await
    .unwrap();
    other_app.release().await.unwrap();
    first.release().await.unwrap();
    let second = DeployLock::acquire(
        platform.client.clone(),
        &platform.namespace,
        "web",
        "bob@b pid 2",
    )
    .await
    .unwrap();
    assert_eq!(second.holder(), "bob@b pid 2");
    second.release().await.unwrap();
}

#[tokio::test]
async fn a_lock_left_by_a_killed_deploy_expires() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    // A Lease as a killed process leaves it: last renewed long ago.
    let stale = serde_json::json!({
        "apiVersion": "coordination.k8s.io/v1",
        "kind": "Lease",
        "metadata": { "name": lease_name("web") },
        "spec": {
            "holderIdentity": "ghost@gone pid 9",
            "leaseDurationSeconds": 30,
            "acquireTime": "2026-01-01T00:00:00.000000Z",
            "renewTime": "2026-01-01T00:00:00.000000Z"
        }
    });
    let lease: Lease = serde_json::from_value(stale).unwrap();
    platform
        .api::<Lease>()
        .create(&kube::api::PostParams::default(), &lease)
        .await
        .unwrap();
    let lock = DeployLock::acquire(
        platform.client.clone(),
        &platform.namespace,
        "web",
        "carol@c pid 3",
    )
    .await
    .unwrap();
    let held = platform
        .api::<Lease>()
        .get(&lease_name("web"))
        .await
        .unwrap();
    assert_eq!(
        held.spec.and_then(|s| s.holder_identity).as_deref(),
        Some("carol@c pid 3")
    );
    lock.release().await.unwrap();
}

#[tokio::test]
async fn a_pending_record_never_decides_the_scale_and_is_marked_interrupted() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = crate::support::app::site(&platform, &platform.registry);
    crate::support::app::release(&env, &platform, 1);
    // A deploy that declared 3 replicas and was killed before applying anything: its record
    // stays pending, and the cluster still runs 1.
    let store = ReleaseStore::new(platform.client.clone(), &platform.namespace, "site");
    let mut killed = store.get(1).await.expect("release 1");
    killed.revision = 2;
    killed.status = ReleaseStatus::Pending;
    killed.declared = Some(paas::deploy::scale::Scale {
        replicas: Some(3),
        ..paas::deploy::scale::Scale::default()
    });
    store.create(&killed).await.expect("recorded");

    // paas.toml now declares 3: a change since the last release that reached the cluster.
    let toml = env.read("paas.toml");
    let declared = toml
        .lines()
        .find(|l| l.starts_with("replicas = "))
        .expect("a replica count")
        .to_owned();
    env.write("paas.toml", &toml.replace(&declared, "replicas = 3"));
    let output = crate::support::app::up(&env, &platform, &[]);
    assert!(
        output.status.success(),
        "{}",
        crate::support::app::stderr(&output)
    );
    assert!(
        crate::support::app::stderr(&output).contains(
            "warning: release 2 was left pending by a deploy that stopped; it is recorded as interrupted"
        ),
        "{}",
        crate::support::app::stderr(&output)
    );
    let deployment: k8s_openapi::api::apps::v1::Deployment =
        platform.api().get("site").await.expect("deployment");
    assert_eq!(
        deployment.spec.and_then(|s| s.replicas),
        Some(3),
        "the declared change is applied, not forgotten"
    );
    assert_eq!(
        crate::support::app::release_statuses(&store).await,
        [
            (1, ReleaseStatus::Superseded),
            (2, ReleaseStatus::Interrupted),
            (3, ReleaseStatus::Deployed)
        ]
    );
}
