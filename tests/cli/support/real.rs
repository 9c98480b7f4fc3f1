//! The platform's real node: a kubelet with containerd, CNI, kube-proxy, `kube-router` (`NetworkPolicy`) and
//! `CoreDNS` beside the kwok nodes (`tests/platform/node.sh`). Pods on it really run.
//!
//! [`Platform::setup_real`] gives a test a namespace whose annotations put every pod on the real node
//! (the admission plugins `PodNodeSelector` and `PodTolerationRestriction` add the node selector and the
//! toleration of the node's taint), so that what `paas` generates is deployed unchanged, with the Pod
//! Security "restricted" level enforced. Without the real node (`PAAS_TEST_REAL_NODE` is not `1`) it
//! prints one `skipped: …` line with the reason `tests/platform.sh up` gave and returns `None`.
//!
//! From the test process, `ClusterIP`s and pod IPs answer directly (kube-proxy and the CNI bridge are on this
//! host): [`http_get`]. From inside the cluster, a [`ClientPod`] (curl, nc, getent) runs commands through
//! `kubectl exec`.
//!
//! Tests on real pods live in modules named `real_*`: `tests/test-all.sh` leaves them out (and says so, with
//! the reason) when the host cannot run the node, so that a skip is never counted as a pass.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::process::{Command, Output};
use std::sync::Arc;
use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::{Pod, Service};

use crate::support::platform::{Platform, eventually, platform_present};

/// The label the real node carries (and the key of its `NoSchedule` taint).
pub(crate) const REAL_NODE_LABEL: &str = "paas.dev/real";

/// What `tests/platform.sh env` says about the real node.
#[derive(Clone, Debug)]
pub(crate) struct RealNode {
    /// The node's name (the host name).
    pub(crate) name: String,
    /// `127.0.0.1:5000/paas-test/client:1`: curl, nc (OpenBSD) and getent, non-root capable.
    pub(crate) client_image: String,
    /// The cluster IP of the cluster DNS Service (`CoreDNS`), `10.96.0.10`.
    pub(crate) cluster_dns: String,
    /// `127.0.0.1:5000/paas-test/redis:7`: Debian's redis-server, for the redis component.
    pub(crate) redis_image: String,
    /// `127.0.0.1:5000/paas-test/postgres:15`: Debian's `PostgreSQL` 15 with the official image's entrypoint
    /// behaviour (a stand-in, see tests/platform/images.sh), for the postgres component.
    pub(crate) postgres_image: String,
    /// `127.0.0.1:5000/paas-test/mongo:7`: a STAND-IN for the official mongo image (`FerretDB` on `SQLite` with
    /// the official entrypoint's root user, the real mongosh, stand-ins of mongodump and mongorestore:
    /// tests/platform/images.sh), for the mongodb component.
    pub(crate) mongo_image: String,
    /// `paas-test/nginx-clients:1` (local): the nginx base image plus redis-cli, psql and mongosh.
    pub(crate) base_nginx_clients: String,
    /// `127.0.0.1:5000/paas-test/busybox:1`: Debian's busybox (httpd, wget), the probe image of
    /// `paas access check`.
    pub(crate) busybox_image: String,
    /// The test's hold on the enforcer ([`EnforcerHold`]).
    pub(crate) enforcer: Option<Arc<EnforcerHold>>,
}

/// The real node's `NetworkPolicy` enforcer: every real-node test holds it shared (its calls may
/// count on policies being enforced), and the test that stops the enforcer holds it alone.
static ENFORCER: std::sync::LazyLock<Arc<tokio::sync::RwLock<()>>> =
    std::sync::LazyLock::new(|| Arc::new(tokio::sync::RwLock::new(())));

/// A test's hold on the enforcer.
#[derive(Debug)]
pub(crate) enum EnforcerHold {
    /// Policies are enforced while the test runs.
    Shared(#[allow(dead_code)] tokio::sync::OwnedRwLockReadGuard<()>),
    /// No other real-node test runs: the test may stop the enforcer.
    Alone(#[allow(dead_code)] tokio::sync::OwnedRwLockWriteGuard<()>),
}

/// Holds the enforcer alone, from a test that is not async: no real-node test runs meanwhile.
/// The local target's tests take it: on this host kube-router rewrites the filter table when
/// policies change and when it is stopped, and a rewrite can drop the forwarding rules Docker adds
/// for a network made at that moment (then the containers of that network cannot reach each other).
pub(crate) fn enforcer_alone_blocking() -> EnforcerHold {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime to wait on the lock");
    EnforcerHold::Alone(runtime.block_on(Arc::clone(&ENFORCER).write_owned()))
}

impl RealNode {
    /// The real node, or the reason there is none.
    pub(crate) fn from_env() -> Result<Self, String> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        if var("PAAS_TEST_REAL_NODE").as_deref() != Some("1") {
            return Err(var("PAAS_TEST_REAL_NODE_SKIP").unwrap_or_else(|| {
                "PAAS_TEST_REAL_NODE is not 1: eval \"$(tests/platform.sh env)\" after `tests/platform.sh up`"
                    .to_owned()
            }));
        }
        let need = |name: &str| {
            var(name).unwrap_or_else(|| panic!("PAAS_TEST_REAL_NODE=1 but {name} is unset"))
        };
        Ok(Self {
            name: need("PAAS_TEST_REAL_NODE_NAME"),
            client_image: need("PAAS_TEST_CLIENT_IMAGE"),
            cluster_dns: need("PAAS_TEST_CLUSTER_DNS"),
            redis_image: need("PAAS_TEST_REDIS_IMAGE"),
            postgres_image: need("PAAS_TEST_POSTGRES_IMAGE"),
            mongo_image: need("PAAS_TEST_MONGO_IMAGE"),
            base_nginx_clients: need("PAAS_TEST_BASE_NGINX_CLIENTS"),
            busybox_image: need("PAAS_TEST_BUSYBOX_IMAGE"),
            enforcer: None,
        })
    }
}

impl Platform {
    /// A namespace whose pods run on the real node, Pod Security "restricted" enforced; `None` (after
    /// printing why) without the platform or without the real node.
    pub(crate) async fn setup_real() -> Option<(Self, RealNode)> {
        Self::setup_real_with_labels(&[]).await
    }

    /// Like [`Platform::setup_real`], with no other real-node test running: the test may stop
    /// the policy enforcer.
    pub(crate) async fn setup_real_alone() -> Option<(Self, RealNode)> {
        let hold = EnforcerHold::Alone(Arc::clone(&ENFORCER).write_owned().await);
        let (platform, mut node) = Self::setup_real_namespace(&[], None).await?;
        node.enforcer = Some(Arc::new(hold));
        Some((platform, node))
    }

    /// Another namespace on the real node for a test that already holds one (and the
    /// enforcer).
    pub(crate) async fn another_real(node: &RealNode) -> Option<Self> {
        Some(Self::setup_real_namespace(&[], Some(node)).await?.0)
    }

    /// Like [`Platform::setup_real`], with more namespace labels.
    pub(crate) async fn setup_real_with_labels(
        labels: &[(&str, &str)],
    ) -> Option<(Self, RealNode)> {
        if !platform_present() {
            return None;
        }
        let hold = EnforcerHold::Shared(Arc::clone(&ENFORCER).read_owned().await);
        let (platform, mut node) = Self::setup_real_namespace(labels, None).await?;
        node.enforcer = Some(Arc::new(hold));
        Some((platform, node))
    }

    /// A real-node namespace with `labels`, for `holder`'s test when it has one.
    #[allow(clippy::print_stderr)]
    async fn setup_real_namespace(
        labels: &[(&str, &str)],
        holder: Option<&RealNode>,
    ) -> Option<(Self, RealNode)> {
        if !platform_present() {
            return None;
        }
        let node = match holder.cloned().map_or_else(RealNode::from_env, Ok) {
            Ok(node) => node,
            Err(reason) => {
                assert!(
                    std::env::var("PAAS_TEST_REQUIRE_REAL_NODE").as_deref() != Ok("1"),
                    "PAAS_TEST_REQUIRE_REAL_NODE=1 but there is no real node: {reason}"
                );
                eprintln!("skipped: needs the platform's real node: {reason}");
                return None;
            }
        };
        let tolerations =
            format!(r#"[{{"key":"{REAL_NODE_LABEL}","operator":"Exists","effect":"NoSchedule"}}]"#);
        let selector = format!("{REAL_NODE_LABEL}=true");
        let mut all_labels = vec![
            ("pod-security.kubernetes.io/enforce", "restricted"),
            ("pod-security.kubernetes.io/enforce-version", "latest"),
        ];
        all_labels.extend_from_slice(labels);
        let platform = Self::setup_namespace(
            &all_labels,
            &[
                ("scheduler.alpha.kubernetes.io/node-selector", &selector),
                (
                    "scheduler.alpha.kubernetes.io/defaultTolerations",
                    &tolerations,
                ),
            ],
        )
        .await?;
        Some((platform, node))
    }

    /// The pods of this namespace with this label selector (e.g. `app.kubernetes.io/name=site`).
    pub(crate) async fn pods(&self, selector: &str) -> Vec<Pod> {
        self.api::<Pod>()
            .list(&kube::api::ListParams::default().labels(selector))
            .await
            .unwrap_or_else(|e| panic!("listing pods {selector} in {}: {e}", self.namespace))
            .items
    }

    /// The cluster IP and first port of a Service of this namespace.
    pub(crate) async fn service_addr(&self, name: &str) -> SocketAddr {
        let service = self
            .api::<Service>()
            .get(name)
            .await
            .unwrap_or_else(|e| panic!("Service {name} in {}: {e}", self.namespace));
        let spec = service.spec.expect("a Service spec");
        let ip = spec.cluster_ip.expect("a ClusterIP");
        let port = spec
            .ports
            .and_then(|p| p.first().map(|p| p.port))
            .expect("a port");
        format!("{ip}:{port}").parse().expect("an address")
    }

    /// `kubectl logs` of a pod of this namespace (all containers' current logs).
    #[must_use]
    pub(crate) fn pod_logs(&self, pod: &str) -> String {
        let output = self
            .kubectl()
            .args(["logs", pod])
            .output()
            .expect("kubectl runs");
        String::from_utf8_lossy(&output.stdout).into_owned()
    }
}

/// One HTTP/1.0 GET from the test process to `addr` (a cluster IP or pod IP and port): the status, the
/// head (lower-cased) and the body; `None` when nothing answered within 5 s.
#[must_use]
pub(crate) fn http_get(addr: impl ToSocketAddrs, path: &str) -> Option<(u16, String, String)> {
    let addr = addr.to_socket_addrs().ok()?.next()?;
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(stream, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").ok()?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).ok()?;
    let text = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = text.split_once("\r\n\r\n")?;
    let status = head.split_whitespace().nth(1)?.parse().ok()?;
    Some((status, head.to_lowercase(), body.to_owned()))
}

/// [`http_get`] until it answers with `want`, panicking after `limit` with the last answer.
pub(crate) fn http_until(
    addr: SocketAddr,
    path: &str,
    want: u16,
    limit: Duration,
) -> (String, String) {
    let started = Instant::now();
    loop {
        let last = match http_get(addr, path) {
            Some((status, head, body)) if status == want => return (head, body),
            other => other,
        };
        assert!(
            started.elapsed() < limit,
            "{addr}{path}: no {want} within {limit:?}; last answer {last:?}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// A long-running pod of the client image in a test's namespace, to run commands in the cluster through
/// `kubectl exec` (which also proves exec works on the real node). Labels make it look like a pod of
/// another app to a `NetworkPolicy`: `ClientPod::start(p, node, "caller", &[("app.kubernetes.io/name", "a")])`.
pub(crate) struct ClientPod {
    pub(crate) name: String,
    kubectl: Command,
}

impl ClientPod {
    /// Creates the pod (restricted security context, no grace period) and waits until it runs.
    pub(crate) async fn start(
        platform: &Platform,
        node: &RealNode,
        name: &str,
        labels: &[(&str, &str)],
    ) -> Self {
        let labels: serde_json::Map<String, serde_json::Value> = labels
            .iter()
            .map(|(k, v)| ((*k).to_owned(), serde_json::Value::from(*v)))
            .collect();
        let pod: Pod = serde_json::from_value(serde_json::json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": name, "labels": labels},
            "spec": {
                "terminationGracePeriodSeconds": 0,
                "automountServiceAccountToken": false,
                "securityContext": {
                    "runAsNonRoot": true, "runAsUser": 65532, "runAsGroup": 65532,
                    "seccompProfile": {"type": "RuntimeDefault"}
                },
                "containers": [{
                    "name": "client",
                    "image": node.client_image,
                    "command": ["sleep", "infinity"],
                    "securityContext": {
                        "allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true,
                        "capabilities": {"drop": ["ALL"]}
                    },
                    "resources": {"limits": {"cpu": "200m", "memory": "64Mi"}}
                }]
            }
        }))
        .expect("a client pod");
        let api = platform.api::<Pod>();
        api.create(&kube::api::PostParams::default(), &pod)
            .await
            .unwrap_or_else(|e| panic!("creating client pod {name}: {e}"));
        eventually(
            Duration::from_secs(60),
            &format!("client pod {name} running"),
            || {
                let api = api.clone();
                async move {
                    let pod = api.get(name).await.ok()?;
                    let ready = pod
                        .status?
                        .conditions?
                        .iter()
                        .any(|c| c.type_ == "Ready" && c.status == "True");
                    ready.then_some(())
                }
            },
        )
        .await;
        Self {
            name: name.to_owned(),
            kubectl: platform.kubectl(),
        }
    }

    /// `kubectl exec <pod> -- ARGS…`.
    #[must_use]
    pub(crate) fn exec(&self, args: &[&str]) -> Output {
        let mut command = Command::new(self.kubectl.get_program());
        command
            .args(self.kubectl.get_args())
            .args(["exec", &self.name, "--"])
            .args(args);
        command.output().expect("kubectl exec runs")
    }

    /// `curl` from the pod: `(exit code, stdout + stderr)`. Exit code 7 is "connection refused", 28 a
    /// timeout.
    #[must_use]
    pub(crate) fn curl(&self, url: &str) -> (i32, String) {
        let output = self.exec(&[
            "curl",
            "-sS",
            "--max-time",
            "5",
            "-o",
            "/dev/stdout",
            "-w",
            "\nHTTP %{http_code}\n",
            url,
        ]);
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        (output.status.code().unwrap_or(-1), text)
    }
}
