//! Proofs that the test platform (`tests/platform.sh`) gives the tests what they rely on: Pod Security
//! admission, server-side apply and real Deployment roll-outs, `pods/log`, the fault stages, and image
//! build + push to both registries. Each test skips (one `skipped:` line) without the platform.

use std::time::Duration;

use futures_util::StreamExt;
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{ContainerStatus, Pod};
use kube::api::{ListParams, LogParams, Patch, PatchParams, PostParams};
use serde_json::json;

use crate::support::platform::{
    self, FAKE_LOG_LINE, FAKE_PREVIOUS_LOG_LINE, FAULT_CRASH_LOOP, FAULT_IMAGE_PULL, FAULT_LABEL,
    FAULT_NEVER_READY, FAULT_OOM, Platform,
};

const RESTRICTED: (&str, &str) = ("pod-security.kubernetes.io/enforce", "restricted");
const TIMEOUT: Duration = Duration::from_secs(90);

/// A Deployment that satisfies Pod Security "restricted".
fn restricted_deployment(name: &str, image: &str, replicas: i32) -> serde_json::Value {
    json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "labels": {"app.kubernetes.io/name": name}},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app.kubernetes.io/name": name}},
            "template": {
                "metadata": {"labels": {"app.kubernetes.io/name": name}},
                "spec": {
                    "securityContext": {
                        "runAsNonRoot": true,
                        "runAsUser": 65532,
                        "seccompProfile": {"type": "RuntimeDefault"}
                    },
                    "containers": [{
                        "name": name,
                        "image": image,
                        "ports": [{"containerPort": 8080}],
                        "securityContext": {
                            "allowPrivilegeEscalation": false,
                            "readOnlyRootFilesystem": true,
                            "capabilities": {"drop": ["ALL"]}
                        }
                    }]
                }
            }
        }
    })
}

fn pod(name: &str, labels: &serde_json::Value, spec_extra: &serde_json::Value) -> Pod {
    let mut spec = json!({"containers": [{"name": "app", "image": "127.0.0.1:5000/none/app:1"}]});
    if let (Some(spec), Some(extra)) = (spec.as_object_mut(), spec_extra.as_object()) {
        spec.extend(extra.clone());
    }
    serde_json::from_value(json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "labels": labels},
        "spec": spec
    }))
    .expect("a pod")
}

/// The first container status of a pod, once there is one.
async fn container_status(p: &Platform, name: &str) -> Option<(Pod, ContainerStatus)> {
    let pod = p.api::<Pod>().get(name).await.ok()?;
    let status = pod
        .status
        .as_ref()?
        .container_statuses
        .as_ref()?
        .first()?
        .clone();
    Some((pod, status))
}

fn is_rolled_out(d: &Deployment, replicas: i32) -> bool {
    let (Some(generation), Some(status)) = (d.metadata.generation, d.status.as_ref()) else {
        return false;
    };
    status.observed_generation.unwrap_or(0) >= generation
        && status.replicas == Some(replicas)
        && status.updated_replicas == Some(replicas)
        && status.available_replicas == Some(replicas)
}

#[tokio::test]
async fn restricted_namespace_rejects_a_privileged_pod() {
    let Some(p) = Platform::setup_with_labels(&[RESTRICTED]).await else {
        return;
    };
    let privileged = pod(
        "privileged",
        &json!({}),
        &json!({"containers": [{"name": "app", "image": p.image("1"), "securityContext": {"privileged": true}}]}),
    );
    let err = p
        .api::<Pod>()
        .create(&PostParams::default(), &privileged)
        .await
        .expect_err("a privileged pod is rejected");
    let kube::Error::Api(status) = err else {
        panic!("unexpected error: {err}")
    };
    assert_eq!(status.code, 403, "{status:?}");
    assert!(
        status
            .message
            .contains(r#"violates PodSecurity "restricted:"#),
        "{}",
        status.message
    );
}

#[tokio::test]
async fn restricted_deployment_applied_server_side_rolls_out_and_serves_logs() {
    let Some(p) = Platform::setup_with_labels(&[RESTRICTED]).await else {
        return;
    };
    let deployments = p.api::<Deployment>();
    let apply = PatchParams::apply("paas");

    for (round, tag) in ["1", "2"].iter().enumerate() {
        let manifest = restricted_deployment("web", &p.image(tag), 2);
        let applied = deployments
            .patch("web", &apply, &Patch::Apply(&manifest))
            .await
            .expect("server-side apply");
        assert_eq!(
            applied.metadata.generation,
            Some(i64::try_from(round).expect("small") + 1)
        );
        let managers: Vec<_> = applied
            .metadata
            .managed_fields
            .iter()
            .flatten()
            .map(|m| {
                (
                    m.manager.clone().unwrap_or_default(),
                    m.operation.clone().unwrap_or_default(),
                )
            })
            .collect();
        assert!(
            managers.contains(&("paas".to_owned(), "Apply".to_owned())),
            "{managers:?}"
        );

        let done = platform::eventually(TIMEOUT, "the Deployment to roll out", || async {
            deployments
                .get("web")
                .await
                .ok()
                .filter(|d| is_rolled_out(d, 2))
        })
        .await;
        assert_eq!(done.status.and_then(|s| s.unavailable_replicas), None);
    }

    // Only the new ReplicaSet's pods remain (the old ones are deleted), and each serves the fake log.
    let pods = platform::eventually(TIMEOUT, "the old pods to go away", || async {
        let pods = p
            .api::<Pod>()
            .list(&ListParams::default().labels("app.kubernetes.io/name=web"))
            .await
            .ok()?;
        (pods.items.len() == 2
            && pods.items.iter().all(|pod| {
                pod.spec.as_ref().is_some_and(|s| {
                    s.containers[0].image.as_deref() == Some(p.image("2").as_str())
                })
            }))
        .then_some(pods.items)
    })
    .await;
    for pod in &pods {
        let name = pod.metadata.name.as_deref().expect("a name");
        let ready = pod
            .status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .is_some_and(|c| c.iter().any(|c| c.type_ == "Ready" && c.status == "True"));
        assert!(ready, "pod {name} is not Ready");
        let log = p
            .api::<Pod>()
            .logs(name, &LogParams::default())
            .await
            .expect("pods/log");
        assert!(log.contains(FAKE_LOG_LINE), "{log}");
        let previous = LogParams {
            previous: true,
            ..LogParams::default()
        };
        let log = p
            .api::<Pod>()
            .logs(name, &previous)
            .await
            .expect("pods/log?previous=true");
        assert!(log.contains(FAKE_PREVIOUS_LOG_LINE), "{log}");
    }
}

#[tokio::test]
async fn crash_loop_pod_backs_off_with_growing_restarts() {
    let Some(p) = Platform::setup().await else {
        return;
    };
    let crashing = pod(
        "crasher",
        &json!({FAULT_LABEL: FAULT_CRASH_LOOP}),
        &json!({}),
    );
    p.api::<Pod>()
        .create(&PostParams::default(), &crashing)
        .await
        .expect("create pod");

    let (pod, status) = platform::eventually(TIMEOUT, "CrashLoopBackOff with restarts", || async {
        container_status(&p, "crasher").await.filter(|(_, s)| {
            s.restart_count > 1
                && s.state
                    .as_ref()
                    .and_then(|s| s.waiting.as_ref())
                    .and_then(|w| w.reason.as_deref())
                    == Some("CrashLoopBackOff")
        })
    })
    .await;
    let last = status
        .last_state
        .and_then(|s| s.terminated)
        .expect("lastState.terminated");
    assert_eq!(last.exit_code, 1);
    assert!(!status.ready);
    assert_eq!(pod.status.and_then(|s| s.phase).as_deref(), Some("Running"));
}

#[tokio::test]
async fn fault_labels_and_node_selectors_give_failure_states() {
    let Some(p) = Platform::setup().await else {
        return;
    };
    let pods = p.api::<Pod>();
    for fault in [FAULT_IMAGE_PULL, FAULT_NEVER_READY, FAULT_OOM] {
        pods.create(
            &PostParams::default(),
            &pod(fault, &json!({FAULT_LABEL: fault}), &json!({})),
        )
        .await
        .expect("create");
    }
    let unschedulable = pod(
        "unschedulable",
        &json!({}),
        &json!({"nodeSelector": {"paas.dev/no-such-node": "true"}}),
    );
    pods.create(&PostParams::default(), &unschedulable)
        .await
        .expect("create");

    let waiting = |s: &ContainerStatus| {
        s.state
            .as_ref()
            .and_then(|s| s.waiting.as_ref())
            .and_then(|w| w.reason.clone())
            .unwrap_or_default()
    };
    platform::eventually(TIMEOUT, "ImagePullBackOff", || async {
        container_status(&p, FAULT_IMAGE_PULL)
            .await
            .filter(|(_, s)| waiting(s) == "ImagePullBackOff")
    })
    .await;
    let (_, oom) = platform::eventually(TIMEOUT, "OOMKilled", || async {
        container_status(&p, FAULT_OOM)
            .await
            .filter(|(_, s)| waiting(s) == "CrashLoopBackOff")
    })
    .await;
    let last = oom
        .last_state
        .and_then(|s| s.terminated)
        .expect("lastState.terminated");
    assert_eq!(
        (last.reason.as_deref(), last.exit_code),
        (Some("OOMKilled"), 137)
    );

    let condition = |pod: &Pod, type_: &str| {
        pod.status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .and_then(|c| c.iter().find(|c| c.type_ == type_).cloned())
    };
    platform::eventually(TIMEOUT, "a running pod that never gets ready", || async {
        container_status(&p, FAULT_NEVER_READY)
            .await
            .filter(|(pod, s)| {
                s.state.as_ref().is_some_and(|s| s.running.is_some())
                    && !s.ready
                    && condition(pod, "Ready").is_some_and(|c| c.status == "False")
            })
    })
    .await;
    platform::eventually(TIMEOUT, "PodScheduled=False/Unschedulable", || async {
        let pod = pods.get("unschedulable").await.ok()?;
        condition(&pod, "PodScheduled")
            .filter(|c| c.status == "False" && c.reason.as_deref() == Some("Unschedulable"))
    })
    .await;
}

/// Builds a one-layer image FROM the busybox base through the Engine API, tags it for both registries,
/// pushes it, and reads the manifest digest back from each registry with oci-client.
#[tokio::test]
async fn image_built_with_bollard_is_pushed_to_both_registries() {
    use bollard::query_parameters::{
        BuildImageOptionsBuilder, PushImageOptionsBuilder, RemoveImageOptionsBuilder,
        TagImageOptionsBuilder,
    };
    use oci_client::secrets::RegistryAuth;

    let Some(p) = Platform::setup().await else {
        return;
    };
    let docker = p.docker().await;

    // The build context: a Dockerfile and one file whose content is unique to this test run.
    let mut context = tar::Builder::new(Vec::new());
    let dockerfile = format!(
        "FROM {}\nCOPY hello.txt /srv/hello.txt\nUSER 65534:65534\nCMD [\"cat\", \"/srv/hello.txt\"]\n",
        p.base_busybox
    );
    for (path, body) in [
        ("Dockerfile", dockerfile.as_str()),
        ("hello.txt", p.namespace.as_str()),
    ] {
        let mut header = tar::Header::new_gnu();
        header.set_size(body.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        context
            .append_data(&mut header, path, body.as_bytes())
            .expect("tar entry");
    }
    let context = context.into_inner().expect("tar");

    let open_ref = p.image("1");
    let options = BuildImageOptionsBuilder::default()
        .dockerfile("Dockerfile")
        .t(&open_ref)
        .rm(true)
        .build();
    let mut build = docker.build_image(options, None, Some(bollard::body_full(context.into())));
    while let Some(item) = build.next().await {
        item.expect("build step");
    }
    let auth_repo = format!("{}/{}", p.auth_registry, p.repository);
    docker
        .tag_image(
            &open_ref,
            Some(
                TagImageOptionsBuilder::default()
                    .repo(&auth_repo)
                    .tag("1")
                    .build(),
            ),
        )
        .await
        .expect("tag");

    // Push; the Engine reports the manifest digest in a status line "1: digest: sha256:… size: N".
    let push = |repo: String, credentials: Option<bollard::auth::DockerCredentials>| {
        let docker = docker.clone();
        async move {
            let mut stream = docker.push_image(
                &repo,
                Some(PushImageOptionsBuilder::default().tag("1").build()),
                credentials,
            );
            let mut digest = None;
            while let Some(item) = stream.next().await {
                let info = item.map_err(|e| e.to_string())?;
                if let Some(d) = info
                    .status
                    .as_deref()
                    .and_then(|s| s.split("digest: ").nth(1))
                {
                    digest = d.split_whitespace().next().map(str::to_owned);
                }
            }
            digest.ok_or_else(|| "no digest in the push output".to_owned())
        }
    };
    let open_digest = push(format!("{}/{}", p.registry, p.repository), None)
        .await
        .expect("push to the open registry");
    let anonymous = push(auth_repo.clone(), None).await;
    let err = anonymous.expect_err("the auth registry rejects an anonymous push");
    assert!(
        err.contains("no basic auth credentials") || err.contains("unauthorized"),
        "{err}"
    );
    let auth_digest = push(auth_repo.clone(), Some(p.docker_credentials()))
        .await
        .expect("authenticated push");
    assert_eq!(open_digest, auth_digest, "same image, same manifest");

    let oci = p.oci_client();
    let reference: oci_client::Reference = open_ref.parse().expect("reference");
    let digest = oci
        .fetch_manifest_digest(&reference, &RegistryAuth::Anonymous)
        .await
        .expect("manifest digest");
    assert_eq!(digest, open_digest);

    let reference: oci_client::Reference = p.auth_image("1").parse().expect("reference");
    assert!(
        p.oci_client()
            .fetch_manifest_digest(&reference, &RegistryAuth::Anonymous)
            .await
            .is_err(),
        "the auth registry refuses anonymous reads"
    );
    let digest = oci
        .fetch_manifest_digest(&reference, &p.oci_auth())
        .await
        .expect("manifest digest with credentials");
    assert_eq!(digest, auth_digest);

    for image in [open_ref, p.auth_image("1")] {
        let _ = docker
            .remove_image(
                &image,
                Some(RemoveImageOptionsBuilder::default().force(true).build()),
                None,
            )
            .await;
    }
}
