//! The platform's real node itself: pods run there (not on a kwok node) under Pod Security "restricted",
//! `kubectl exec`, `kubectl logs` and `kubectl port-forward` reach its kubelet, and cluster DNS answers
//! inside pods.

use std::io::Read as _;
use std::process::Stdio;
use std::time::{Duration, Instant};

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

#[tokio::test]
async fn real_node_serves_logs_and_port_forward_through_the_apiserver() {
    let Some((platform, node)) = crate::support::platform::Platform::setup_real().await else {
        return;
    };
    let client = ClientPod::start(&platform, &node, "server", &[]).await;
    // one connection on 8080 inside the pod, answered with a line; a line in the container log first
    let serve = client.exec(&[
        "sh",
        "-c",
        "echo serving-on-8080 > /proc/1/fd/1; (echo hello-from-the-pod | nc -l -N 8080 >/dev/null 2>&1 &)",
    ]);
    assert!(
        serve.status.success(),
        "{}",
        String::from_utf8_lossy(&serve.stderr)
    );
    assert!(
        platform.pod_logs("server").contains("serving-on-8080"),
        "kubectl logs reaches the kubelet: {}",
        platform.pod_logs("server")
    );

    let mut forward = platform
        .kubectl()
        .args([
            "port-forward",
            "pod/server",
            ":8080",
            "--address",
            "127.0.0.1",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kubectl port-forward starts");
    // "Forwarding from 127.0.0.1:PORT -> 8080"
    let mut stdout = forward.stdout.take().expect("stdout");
    let mut seen = String::new();
    let started = Instant::now();
    let port: u16 = loop {
        let mut byte = [0u8; 1];
        if stdout.read(&mut byte).unwrap_or(0) == 0 {
            break 0;
        }
        seen.push(char::from(byte[0]));
        if let Some(line) = seen.lines().find(|l| l.contains(" -> 8080"))
            && seen.ends_with('\n')
        {
            break line
                .split("127.0.0.1:")
                .nth(1)
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|p| p.parse().ok())
                .unwrap_or(0);
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "port-forward: {seen}"
        );
    };
    assert_ne!(port, 0, "port-forward printed no local port: {seen}");
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("the forwarded port");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("a timeout");
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    let _ = forward.kill();
    let _ = forward.wait();
    assert_eq!(answer.trim(), "hello-from-the-pod");
}
