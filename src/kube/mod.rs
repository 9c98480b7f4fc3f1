//! Kubernetes primitives: the client, rollout status and the diagnosis of failing pods.
//!
//! * [`client`] builds a [`Cluster`] (a `kube::Client` plus what the kubeconfig says about it) from
//!   the kubeconfig, honouring `KUBECONFIG`, and [`Cluster::check`] reaches the API server once so a
//!   refused connection is reported like kubectl does.
//! * [`exec`] runs a kubeconfig user's exec credential plugin with a time limit, and keeps what it
//!   prints out of every error.
//! * [`rollout`] follows a Deployment's rollout the way `kubectl rollout status` does and fails fast
//!   when one of its new pods is in a state that will not heal.
//! * [`diagnose`] turns pods, their events and log tails into a one-screen [`diagnose::Diagnosis`].
//! * [`monitoring`] reads what the cluster has of prometheus-operator (its `ServiceMonitor` kind,
//!   its `Prometheus` objects' selectors).
//! * [`logs`] reads the logs of an app's pods, following pods that come and go, and resumes a
//!   cut stream without repeating lines.
//!
//! This module never prints: progress goes through [`rollout::RolloutReporter`] and log lines
//! through a channel of [`logs::LogEvent`]s; failures are returned as values the command layer
//! renders.

pub mod diagnose;
pub mod exec;
pub mod logs;
pub mod monitoring;
pub mod remote;
pub mod rollout;
pub mod statefulset;

use std::error::Error as _;
use std::time::Duration;

use ::kube::config::{KubeConfigOptions, Kubeconfig, KubeconfigError};

/// Returns whether `err` is a 404: an object that does not exist, or a kind the cluster does not
/// serve (a CRD not installed), whose 404 has a plain-text body that [`::kube::core::Status::is_not_found`]
/// does not recognise.
#[must_use]
pub fn is_not_found(err: &::kube::Error) -> bool {
    matches!(err, ::kube::Error::Api(status) if status.code == 404 || status.is_not_found())
}

/// Whether a cluster is configured at all: `KUBECONFIG` is set, `~/.kube/config` exists, or paas
/// runs in a pod. When none is, a deploy goes to the local Docker engine (the built-in
/// environment `local`).
#[must_use]
pub fn context_configured() -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    set("KUBECONFIG")
        || set("KUBERNETES_SERVICE_HOST")
        || std::env::var_os("HOME").is_some_and(|home| {
            std::path::Path::new(&home)
                .join(".kube")
                .join("config")
                .exists()
        })
}

/// The field manager of every server-side apply `paas` sends.
pub const FIELD_MANAGER: &str = "paas";

/// Errors from talking to a cluster; each names the object or the server involved.
#[derive(Debug, thiserror::Error)]
pub enum KubeError {
    /// Neither `KUBECONFIG` nor `~/.kube/config` gives a kubeconfig, and paas does not run in a pod.
    #[error("no kubeconfig found: `KUBECONFIG` is unset and `~/.kube/config` does not exist")]
    NoKubeconfig,
    /// The kubeconfig could not be read or parsed.
    #[error("failed to load the kubeconfig")]
    Kubeconfig {
        /// What kube-rs reported (it names the file).
        #[source]
        source: KubeconfigError,
    },
    /// The requested context is not in the kubeconfig.
    #[error(
        "context `{context}` is not in the kubeconfig (contexts: {})",
        list(known)
    )]
    UnknownContext {
        /// The context asked for.
        context: String,
        /// The contexts the kubeconfig has.
        known: Vec<String>,
    },
    /// The kubeconfig has no current context and none was asked for.
    #[error("the kubeconfig has no current context (contexts: {})", list(known))]
    NoCurrentContext {
        /// The contexts the kubeconfig has.
        known: Vec<String>,
    },
    /// A client could not be built from a valid kubeconfig (certificates, proxy, TLS).
    #[error("failed to create a Kubernetes client for `{server}`")]
    Client {
        /// The API server URL.
        server: String,
        /// The cause.
        #[source]
        source: ::kube::Error,
    },
    /// The user's exec credential plugin gave no credential.
    #[error(transparent)]
    Exec(#[from] exec::ExecError),
    /// Nothing listens at the API server's address (kubectl's wording).
    #[error(
        "the connection to the server {server} was refused - did you specify the right host or port?"
    )]
    Refused {
        /// `host:port` of the API server.
        server: String,
    },
    /// The API server could not be reached for another reason (DNS, TLS, timeout).
    #[error("failed to reach the server {server}")]
    Unreachable {
        /// `host:port` of the API server.
        server: String,
        /// The cause.
        #[source]
        source: ::kube::Error,
    },
    /// An object does not exist.
    #[error("{kind} `{name}` not found in namespace `{namespace}`")]
    NotFound {
        /// `deployment`, `pod`, …
        kind: &'static str,
        /// The object's name.
        name: String,
        /// Its namespace.
        namespace: String,
    },
    /// Any other failed API request, with what was being done to which object.
    #[error("failed to {action} in namespace `{namespace}`")]
    Api {
        /// What the request did, e.g. ``get deployment `web` ``.
        action: String,
        /// The namespace.
        namespace: String,
        /// The cause.
        #[source]
        source: ::kube::Error,
    },
}

fn list(names: &[String]) -> String {
    if names.is_empty() {
        "none".to_owned()
    } else {
        names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Returns true when an error (or one of its causes) is an IO "connection refused".
pub(crate) fn is_connection_refused(err: &::kube::Error) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = err.source();
    while let Some(current) = cause {
        if let Some(io) = current.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::ConnectionRefused
        {
            return true;
        }
        cause = current.source();
    }
    false
}

/// A client for one cluster, with what the kubeconfig says about it.
#[derive(Clone)]
pub struct Cluster {
    /// The client.
    pub client: ::kube::Client,
    /// The namespace of the context (`default` when it names none).
    pub default_namespace: String,
    /// `host:port` of the API server, as error messages show it.
    pub server: String,
    /// The context used, or `None` for the in-cluster config.
    pub context: Option<String>,
    /// The kubeconfig user of that context, when it names one.
    pub user: Option<String>,
}

impl std::fmt::Debug for Cluster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cluster")
            .field("server", &self.server)
            .field("context", &self.context)
            .field("user", &self.user)
            .field("default_namespace", &self.default_namespace)
            .finish_non_exhaustive()
    }
}

impl Cluster {
    /// Reaches the API server once (`GET /version`), so that a wrong address fails here with
    /// [`KubeError::Refused`] or [`KubeError::Unreachable`] rather than in the middle of a deploy.
    pub async fn check(&self) -> Result<(), KubeError> {
        match self.client.apiserver_version().await {
            Ok(_) => Ok(()),
            Err(err) if is_connection_refused(&err) => Err(KubeError::Refused {
                server: self.server.clone(),
            }),
            Err(::kube::Error::Api(status)) => Err(KubeError::Api {
                action: "get the server version".to_owned(),
                namespace: self.default_namespace.clone(),
                source: ::kube::Error::Api(status),
            }),
            Err(source) => Err(KubeError::Unreachable {
                server: self.server.clone(),
                source,
            }),
        }
    }
}

/// Builds a client from the kubeconfig (`KUBECONFIG`, several files merged as kubectl does, else
/// `~/.kube/config`), using `context` or the current context. Without any kubeconfig and without a
/// `context`, the in-cluster service account is used when paas runs in a pod.
///
/// An exec credential plugin of the user is run here, stopped after `credential_timeout`.
/// Nothing is sent to the server; call [`Cluster::check`] for that.
pub async fn client(
    context: Option<&str>,
    credential_timeout: Duration,
) -> Result<Cluster, KubeError> {
    let kubeconfig = match Kubeconfig::read() {
        Ok(kubeconfig) => kubeconfig,
        Err(KubeconfigError::FindPath) => return in_cluster(context),
        Err(KubeconfigError::ReadConfig(io, _))
            if io.kind() == std::io::ErrorKind::NotFound
                && std::env::var_os("KUBECONFIG").is_none() =>
        {
            return in_cluster(context);
        }
        Err(source) => return Err(KubeError::Kubeconfig { source }),
    };
    client_from_kubeconfig(kubeconfig, context, credential_timeout).await
}

/// Builds a client from an already loaded kubeconfig, using `context` or its current context;
/// the user's exec credential plugin, if any, is run here and stopped after `credential_timeout`.
pub async fn client_from_kubeconfig(
    mut kubeconfig: Kubeconfig,
    context: Option<&str>,
    credential_timeout: Duration,
) -> Result<Cluster, KubeError> {
    let known: Vec<String> = kubeconfig.contexts.iter().map(|c| c.name.clone()).collect();
    let chosen = match context {
        Some(name) if !known.iter().any(|k| k == name) => {
            return Err(KubeError::UnknownContext {
                context: name.to_owned(),
                known,
            });
        }
        Some(name) => name.to_owned(),
        None => match kubeconfig.current_context.clone().filter(|c| !c.is_empty()) {
            Some(current) if known.contains(&current) => current,
            Some(current) => {
                return Err(KubeError::UnknownContext {
                    context: current,
                    known,
                });
            }
            None => return Err(KubeError::NoCurrentContext { known }),
        },
    };
    let user = kubeconfig
        .contexts
        .iter()
        .find(|c| c.name == chosen)
        .and_then(|c| c.context.as_ref())
        .and_then(|c| c.user.clone());
    run_exec_plugin(&mut kubeconfig, &chosen, credential_timeout).await?;
    let options = KubeConfigOptions {
        context: Some(chosen.clone()),
        ..KubeConfigOptions::default()
    };
    let config = ::kube::Config::from_custom_kubeconfig(kubeconfig, &options)
        .await
        .map_err(|source| KubeError::Kubeconfig { source })?;
    build(config, Some(chosen), user)
}

/// Runs the exec credential plugin of `context`'s user, if it has one, and puts the credential
/// it printed in its place ([`exec::resolve`]).
async fn run_exec_plugin(
    kubeconfig: &mut Kubeconfig,
    context: &str,
    timeout: Duration,
) -> Result<(), KubeError> {
    let user = kubeconfig
        .contexts
        .iter()
        .find(|c| c.name == context)
        .and_then(|c| c.context.as_ref())
        .and_then(|c| c.user.clone());
    let Some(user) = user else {
        return Ok(());
    };
    let Some(named) = kubeconfig.auth_infos.iter_mut().find(|a| a.name == user) else {
        return Ok(());
    };
    if named.auth_info.as_ref().is_none_or(|a| a.exec.is_none()) {
        return Ok(());
    }
    let Some(mut auth_info) = named.auth_info.take() else {
        return Ok(());
    };
    let (auth_info, result) = tokio::task::spawn_blocking(move || {
        let result = exec::resolve(&mut auth_info, &user, timeout);
        (auth_info, result)
    })
    .await
    .map_err(|err| KubeError::Exec(exec::ExecError::Panicked(err.to_string())))?;
    named.auth_info = Some(auth_info);
    Ok(result?)
}

fn in_cluster(context: Option<&str>) -> Result<Cluster, KubeError> {
    if context.is_some() {
        return Err(KubeError::NoKubeconfig);
    }
    let config = ::kube::Config::incluster().map_err(|_| KubeError::NoKubeconfig)?;
    build(config, None, None)
}

fn build(
    config: ::kube::Config,
    context: Option<String>,
    user: Option<String>,
) -> Result<Cluster, KubeError> {
    let url = &config.cluster_url;
    let server = server_address(url.scheme_str(), url.host(), url.port_u16());
    let default_namespace = config.default_namespace.clone();
    let client = ::kube::Client::try_from(config).map_err(|source| KubeError::Client {
        server: server.clone(),
        source,
    })?;
    Ok(Cluster {
        client,
        default_namespace,
        server,
        context,
        user,
    })
}

/// `host:port` of a URL, with the scheme's default port when it has none (kubectl's message shows
/// the port).
fn server_address(scheme: Option<&str>, host: Option<&str>, port: Option<u16>) -> String {
    let host = host.unwrap_or("localhost");
    let port = port.unwrap_or(if scheme == Some("http") { 80 } else { 443 });
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// A one-line account of an API error for a warning: the API's own message and code, or the
/// transport error.
#[must_use]
pub fn describe_error(err: &::kube::Error) -> String {
    match err {
        ::kube::Error::Api(status) => format!("{} (HTTP {})", status.message, status.code),
        other => crate::deploy::pipeline::error_chain(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_address_shows_the_port() {
        assert_eq!(
            server_address(Some("https"), Some("127.0.0.1"), Some(6443)),
            "127.0.0.1:6443"
        );
        assert_eq!(
            server_address(Some("https"), Some("k8s.example.com"), None),
            "k8s.example.com:443"
        );
        assert_eq!(server_address(Some("http"), None, None), "localhost:80");
        assert_eq!(
            server_address(Some("https"), Some("::1"), Some(6443)),
            "[::1]:6443"
        );
    }

    #[test]
    fn refused_message_matches_kubectl() {
        let err = KubeError::Refused {
            server: "127.0.0.1:6443".to_owned(),
        };
        assert_eq!(
            err.to_string(),
            "the connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?"
        );
        let err = KubeError::UnknownContext {
            context: "prod".to_owned(),
            known: vec!["dev".to_owned()],
        };
        assert_eq!(
            err.to_string(),
            "context `prod` is not in the kubeconfig (contexts: `dev`)"
        );
    }
}
