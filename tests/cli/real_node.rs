//! The platform's real node itself: pods run there (not on a kwok node) under Pod Security "restricted",
//! `kubectl exec` and `kubectl logs` reach its kubelet, and cluster DNS answers inside pods.

use crate::support::real::{ClientPod, REAL_NODE_LABEL};
use k8s_openapi::api::core::v1::Pod;

#[tokio::test]
async fn real_node_runs_pods_with_exec_and_cluster_dns() {
    let Some((platform, node)) = crate::support::platform::Platform::setup_real().await else {
        return;
    };
    let client = ClientPod::start(&platform, &node, "client", &[]).await;

    // the namespace's annotations put the pod on the real node, with the toleration of its taint
    let pod: Pod = platform
        .api::<Pod>()
        .get("client")
        .await
        .expect("the client pod");
    let spec = pod.spec.expect("a pod spec");
    assert_eq!(spec.node_name.as_deref(), Some(node.name.as_str()));
    assert!(
        spec.tolerations
            .unwrap_or_default()
            .iter()
            .any(|t| t.key.as_deref() == Some(REAL_NODE_LABEL)),
        "the namespace's default toleration was added"
    );

    // exec through the apiserver to the kubelet, as the image's non-root user
    let id = client.exec(&["id", "-u"]);
    assert!(
        id.status.success(),
        "{}",
        String::from_utf8_lossy(&id.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&id.stdout).trim(), "65532");

    // cluster DNS: the kube-dns Service itself resolves to its ClusterIP
    let lookup = client.exec(&["getent", "hosts", "kube-dns.kube-system.svc.cluster.local"]);
    let text = String::from_utf8_lossy(&lookup.stdout);
    assert!(
        text.starts_with(&format!("{} ", node.cluster_dns)),
        "getent: {text}{}",
        String::from_utf8_lossy(&lookup.stderr)
    );
    let resolv = client.exec(&["cat", "/etc/resolv.conf"]);
    let resolv = String::from_utf8_lossy(&resolv.stdout);
    assert!(
        resolv.contains(&format!("nameserver {}", node.cluster_dns))
            && resolv.contains(&format!("search {}.svc.cluster.local", platform.namespace)),
        "{resolv}"
    );
}
