//! The real test platform of `tests/platform.sh`: Docker Engine, an open and an htpasswd registry on
//! 127.0.0.1, and a Kubernetes control plane (kube-apiserver, controller-manager, scheduler, etcd) whose
//! nodes are simulated by kwok.
//!
//! Tests get a [`Platform`] from [`Platform::setup`]; it reads the variables that
//! `eval "$(tests/platform.sh env)"` exports, creates a namespace `paas-t-<random>` of their own (deleted
//! when the `Platform` is dropped) and names a registry repository of their own. Without the platform
//! (`PAAS_TEST_PLATFORM` unset) `setup` prints one `skipped: …` line and returns `None`, so the test
//! returns early; with `PAAS_TEST_REQUIRE_PLATFORM=1` (CI) a missing platform is a panic instead.
//!
//! Pods never run: kwok marks them Running and Ready, serves `pods/log` from a fixed file
//! (`tests/cluster/fake-app.log`) and puts pods labelled [`FAULT_LABEL`] into failure states.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::hash::{BuildHasher, Hasher};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::Namespace;
use kube::api::{Api, ObjectMeta, PostParams};
use kube::config::{KubeConfigOptions, Kubeconfig};

/// The pod label that the platform's kwok stages react to.
pub(crate) const FAULT_LABEL: &str = "paas.dev/test-fault";
/// `FAULT_LABEL` values: container waiting `ErrImagePull`, then `ImagePullBackOff`.
pub(crate) const FAULT_IMAGE_PULL: &str = "image-pull";
/// `CrashLoopBackOff`, growing `restartCount`, `lastState.terminated.exitCode` 1.
pub(crate) const FAULT_CRASH_LOOP: &str = "crash-loop";
/// Running, container `ready=false`, condition `Ready=False`.
pub(crate) const FAULT_NEVER_READY: &str = "never-ready";
/// Like crash-loop, with `lastState.terminated.reason` `OOMKilled`, exit code 137.
pub(crate) const FAULT_OOM: &str = "oom";
/// A line of the fake container log that `pods/log` returns for every pod.
pub(crate) const FAKE_LOG_LINE: &str = "paas-test fake app: listening on :8080";
/// A line of the log that `pods/log?previous=true` returns.
pub(crate) const FAKE_PREVIOUS_LOG_LINE: &str = "paas-test fake app (previous instance)";

const SKIP_MESSAGE: &str = r#"skipped: needs the test platform: eval "$(tests/platform.sh env)""#;

/// One test's view of the platform.
pub(crate) struct Platform {
    /// A client for the test cluster (from `KUBECONFIG`).
    pub(crate) client: kube::Client,
    /// This test's namespace, `paas-t-<random>`; deleted on drop.
    pub(crate) namespace: String,
    /// This test's repository in the registries: `<namespace>/app`.
    pub(crate) repository: String,
    /// The open registry, `127.0.0.1:5000`.
    pub(crate) registry: String,
    /// The registry with htpasswd auth, `127.0.0.1:5001`.
    pub(crate) auth_registry: String,
    pub(crate) auth_user: String,
    pub(crate) auth_password: String,
    /// The kubeconfig of the test cluster (to hand to a `paas` process).
    pub(crate) kubeconfig: PathBuf,
    /// `unix:///var/run/docker.sock`.
    pub(crate) docker_host: String,
    /// The kubectl built with the cluster.
    pub(crate) kubectl: PathBuf,
    /// Local base images: `paas-test/busybox:1`, `paas-test/nginx:1`, `paas-test/debian:bookworm`.
    pub(crate) base_busybox: String,
    pub(crate) base_nginx: String,
    pub(crate) base_debian: String,
}

impl Platform {
    /// The platform with a fresh namespace, or `None` (after printing why) when it is not set up.
    pub(crate) async fn setup() -> Option<Self> {
        Self::setup_with_labels(&[]).await
    }

    /// Like [`Platform::setup`], with labels on the namespace, e.g.
    /// `("pod-security.kubernetes.io/enforce", "restricted")`.
    pub(crate) async fn setup_with_labels(labels: &[(&str, &str)]) -> Option<Self> {
        Self::setup_namespace(labels, &[]).await
    }

    /// The platform with a fresh namespace that has these labels and annotations.
    pub(crate) async fn setup_namespace(
        labels: &[(&str, &str)],
        annotations: &[(&str, &str)],
    ) -> Option<Self> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        if !platform_present() {
            return None;
        }
        let need = |name: &str| {
            var(name).unwrap_or_else(|| {
                panic!(
                    "PAAS_TEST_PLATFORM=1 but {name} is unset: eval \"$(tests/platform.sh env)\""
                )
            })
        };
        // kube and oci-client share rustls; pick the provider once (a second install is a no-op error).
        let _ = rustls::crypto::ring::default_provider().install_default();

        let kubeconfig = PathBuf::from(need("KUBECONFIG"));
        let client = client_for(&kubeconfig).await;
        let namespace = format!("paas-t-{}", random_suffix());
        let ns = Namespace {
            metadata: ObjectMeta {
                name: Some(namespace.clone()),
                labels: Some(
                    [("paas.dev/test", "true")]
                        .iter()
                        .chain(labels)
                        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                        .collect::<BTreeMap<_, _>>(),
                ),
                annotations: Some(
                    annotations
                        .iter()
                        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                        .collect(),
                ),
                ..ObjectMeta::default()
            },
            ..Namespace::default()
        };
        Api::<Namespace>::all(client.clone())
            .create(&PostParams::default(), &ns)
            .await
            .unwrap_or_else(|e| panic!("creating namespace {namespace}: {e}"));
        wait_for_default_service_account(&client, &namespace).await;

        Some(Self {
            client,
            repository: format!("{namespace}/app"),
            namespace,
            registry: need("PAAS_TEST_REGISTRY"),
            auth_registry: need("PAAS_TEST_AUTH_REGISTRY"),
            auth_user: need("PAAS_TEST_AUTH_USER"),
            auth_password: need("PAAS_TEST_AUTH_PASSWORD"),
            kubeconfig,
            docker_host: need("DOCKER_HOST"),
            kubectl: PathBuf::from(need("PAAS_TEST_KUBECTL")),
            base_busybox: need("PAAS_TEST_BASE_BUSYBOX"),
            base_nginx: need("PAAS_TEST_BASE_NGINX"),
            base_debian: need("PAAS_TEST_BASE_DEBIAN"),
        })
    }

    /// `Api` for a namespaced kind in this test's namespace.
    #[must_use]
    pub(crate) fn api<K>(&self) -> Api<K>
    where
        K: kube::Resource<Scope = k8s_openapi::NamespaceResourceScope>,
        <K as kube::Resource>::DynamicType: Default,
    {
        Api::namespaced(self.client.clone(), &self.namespace)
    }

    /// `<registry>/<repository>:<tag>` in the open registry.
    #[must_use]
    pub(crate) fn image(&self, tag: &str) -> String {
        format!("{}/{}:{tag}", self.registry, self.repository)
    }

    /// The nginx Prometheus exporter in the open registry (`tests/platform/exporter-image.sh`).
    #[must_use]
    pub(crate) fn exporter_image(&self) -> String {
        format!(
            "{}/paas-test/nginx-prometheus-exporter:1.5.3",
            self.registry
        )
    }

    /// `<auth registry>/<repository>:<tag>` in the registry with htpasswd auth.
    #[must_use]
    pub(crate) fn auth_image(&self, tag: &str) -> String {
        format!("{}/{}:{tag}", self.auth_registry, self.repository)
    }

    /// A Docker client for the platform's engine, with the API version negotiated: the engine is
    /// Debian's 20.10 (API 1.41), older than bollard's default.
    pub(crate) async fn docker(&self) -> bollard::Docker {
        bollard::Docker::connect_with_unix(
            self.docker_host.trim_start_matches("unix://"),
            120,
            bollard::API_DEFAULT_VERSION,
        )
        .expect("a docker client")
        .negotiate_version()
        .await
        .expect("the docker engine answers")
    }

    /// An OCI registry client that speaks plain HTTP (both registries are HTTP on 127.0.0.1).
    #[must_use]
    #[allow(clippy::unused_self)]
    pub(crate) fn oci_client(&self) -> oci_client::Client {
        oci_client::Client::new(oci_client::client::ClientConfig {
            protocol: oci_client::client::ClientProtocol::Http,
            ..oci_client::client::ClientConfig::default()
        })
    }

    /// Basic credentials of the auth registry, for oci-client.
    #[must_use]
    pub(crate) fn oci_auth(&self) -> oci_client::secrets::RegistryAuth {
        oci_client::secrets::RegistryAuth::Basic(self.auth_user.clone(), self.auth_password.clone())
    }

    /// Credentials of the auth registry, for bollard.
    #[must_use]
    pub(crate) fn docker_credentials(&self) -> bollard::auth::DockerCredentials {
        bollard::auth::DockerCredentials {
            username: Some(self.auth_user.clone()),
            password: Some(self.auth_password.clone()),
            serveraddress: Some(self.auth_registry.clone()),
            ..bollard::auth::DockerCredentials::default()
        }
    }

    /// `kubectl` against the test cluster, in this test's namespace.
    #[must_use]
    pub(crate) fn kubectl(&self) -> Command {
        let mut command = Command::new(&self.kubectl);
        command
            .arg("--kubeconfig")
            .arg(&self.kubeconfig)
            .arg("--namespace")
            .arg(&self.namespace);
        command
    }
}

impl Drop for Platform {
    /// Deletes the namespace without waiting (a synchronous kubectl: `Drop` cannot await, and the
    /// test's runtime may already be shutting down).
    fn drop(&mut self) {
        let _ = Command::new(&self.kubectl)
            .arg("--kubeconfig")
            .arg(&self.kubeconfig)
            .args([
                "delete",
                "namespace",
                &self.namespace,
                "--wait=false",
                "--ignore-not-found",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

/// Whether the platform's variables are set; prints the skip line when not (and panics instead with
/// `PAAS_TEST_REQUIRE_PLATFORM=1`).
#[allow(clippy::print_stderr)]
pub(crate) fn platform_present() -> bool {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let required = var("PAAS_TEST_REQUIRE_PLATFORM").is_some_and(|v| v == "1");
    if var("PAAS_TEST_PLATFORM").is_none() {
        assert!(
            !required,
            "PAAS_TEST_REQUIRE_PLATFORM=1 but the platform is missing: {SKIP_MESSAGE}"
        );
        eprintln!("{SKIP_MESSAGE}");
        return false;
    }
    true
}

async fn client_for(kubeconfig: &PathBuf) -> kube::Client {
    let config = Kubeconfig::read_from(kubeconfig)
        .unwrap_or_else(|e| panic!("reading kubeconfig {}: {e}", kubeconfig.display()));
    let config = kube::Config::from_custom_kubeconfig(config, &KubeConfigOptions::default())
        .await
        .expect("a kube config");
    kube::Client::try_from(config).expect("a kube client")
}

/// Pods are rejected until the service-account controller has created `default` in a new namespace.
async fn wait_for_default_service_account(client: &kube::Client, namespace: &str) {
    let api: Api<k8s_openapi::api::core::v1::ServiceAccount> =
        Api::namespaced(client.clone(), namespace);
    let deadline = Instant::now() + Duration::from_secs(30);
    while api.get_opt("default").await.ok().flatten().is_none() {
        assert!(
            Instant::now() < deadline,
            "no default ServiceAccount in {namespace} after 30s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// 8 random hex digits, different in every call (process-random hasher keys, time and a counter).
#[must_use]
pub(crate) fn random_suffix() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    hasher.write_u32(std::process::id());
    format!("{:08x}", hasher.finish() & 0xffff_ffff)
}

/// Polls `probe` every 200 ms until it returns `Some`, panicking with `what` after `timeout`.
pub(crate) async fn eventually<T, F, Fut>(timeout: Duration, what: &str, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(value) = probe().await {
            return value;
        }
        assert!(
            Instant::now() < deadline,
            "timed out after {timeout:?} waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
