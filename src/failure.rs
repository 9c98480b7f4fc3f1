//! What kind of failure an error is, decided once for every command from the error's typed
//! causes.
//!
//! [`classify`] walks an error chain from the outside in and lets the first cause that knows
//! decide: a Kubernetes API status (401, 403, 429, 5xx), a connection that was refused, reset or
//! timed out (`std::io::Error`, `tokio`'s `Elapsed`), a Docker Engine or registry client error,
//! or one of paas's own errors whose meaning is the answer (another deploy holds the lock).
//! Nothing here matches on message text, except to lift the user and the verb out of a 403's
//! message, which is the only place the API server says them.
//!
//! This module does not choose exit codes or hints: [`crate::error`] turns a [`Class`] into both.

use std::error::Error;

/// How a failure counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Class {
    /// A service (API server, Docker Engine, registry) could not be reached, timed out or said it
    /// was busy; the same command may work later.
    Unavailable,
    /// The API server did not accept the credentials (HTTP 401).
    Unauthenticated,
    /// The API server refused the request for this user (HTTP 403).
    Forbidden(Forbidden),
    /// Anything else: the operation failed.
    Failed,
}

/// What a 403 said: who was refused what.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Forbidden {
    /// The user the API server saw (`User "alice"`), when its message names one.
    pub user: Option<String>,
    /// The verb refused (`list`), when its message names one.
    pub verb: Option<String>,
    /// The resource (`pods`), when its message names one.
    pub resource: Option<String>,
    /// The server's whole message.
    pub message: String,
}

impl Class {
    /// Returns whether trying again later may work.
    #[must_use]
    pub fn is_retryable(&self) -> bool {
        matches!(self, Self::Unavailable)
    }
}

/// Decides how `err` counts from the first of its causes (itself included) that says.
#[must_use]
pub fn classify(err: &(dyn Error + 'static)) -> Class {
    first_decision(err).unwrap_or(Class::Failed)
}

/// The class the first deciding cause of `err` (itself included) gives, if any does.
fn first_decision(err: &(dyn Error + 'static)) -> Option<Class> {
    let mut cause = Some(err);
    while let Some(current) = cause {
        if let Some(class) = decide(current) {
            return Some(class);
        }
        cause = current.source();
    }
    None
}

/// Like [`classify`], for an `anyhow` chain.
#[must_use]
pub fn classify_chain(err: &anyhow::Error) -> Class {
    for cause in err.chain() {
        if let Some(class) = decide(cause) {
            return class;
        }
    }
    Class::Failed
}

/// The error a `#[error(transparent)]` variant wraps. Such a variant's `source()` is its inner
/// error's source, so the inner error itself (a held lock, a refused connection) would be
/// skipped by a walk of `source()` alone.
fn transparent_inner<'a>(err: &'a (dyn Error + 'static)) -> Option<&'a (dyn Error + 'static)> {
    use crate::deploy::pipeline::UpError;
    if let Some(err) = err.downcast_ref::<UpError>() {
        return match err {
            UpError::Lock(inner) => Some(inner),
            UpError::Context(inner) => Some(inner),
            UpError::Build(inner) => Some(inner),
            UpError::Registry(inner) => Some(inner),
            UpError::Render(inner) => Some(inner),
            UpError::Apply(inner) => Some(inner),
            UpError::Release(inner) => Some(inner),
            UpError::Scale(inner) => Some(inner),
            UpError::SecretValues(inner) => Some(inner),
            UpError::Component(inner) => Some(inner),
            _ => None,
        };
    }
    if let Some(crate::deploy::rollback::RollbackError::Deploy(inner)) = err.downcast_ref() {
        return Some(inner);
    }
    if let Some(err) = err.downcast_ref::<crate::deploy::down::DownError>() {
        return match err {
            crate::deploy::down::DownError::Lock(inner) => Some(inner),
            crate::deploy::down::DownError::Release(inner) => Some(inner),
            crate::deploy::down::DownError::Api { .. } => None,
        };
    }
    if let Some(err) = err.downcast_ref::<crate::deploy::status::StatusError>() {
        return match err {
            crate::deploy::status::StatusError::Release(inner) => Some(inner),
            crate::deploy::status::StatusError::Kube(inner) => Some(inner),
        };
    }
    if let Some(crate::kube::rollout::RolloutError::Kube(inner)) = err.downcast_ref() {
        return Some(inner);
    }
    if let Some(crate::kube::logs::LogsError::Kube(inner)) = err.downcast_ref() {
        return Some(inner);
    }
    if let Some(crate::build::ConnectFailure::Engine(inner)) = err.downcast_ref() {
        return Some(inner);
    }
    None
}

/// Returns whether `err` is worth retrying later (shorthand for the domain's own checks).
#[must_use]
pub fn is_retryable(err: &(dyn Error + 'static)) -> bool {
    classify(err).is_retryable()
}

/// The class one link of a chain decides on its own, or `None` to look at its cause.
fn decide(err: &(dyn Error + 'static)) -> Option<Class> {
    if let Some(inner) = transparent_inner(err) {
        return decide(inner);
    }
    if let Some(err) = err.downcast_ref::<::kube::Error>() {
        return kube_error(err);
    }
    if let Some(err) = err.downcast_ref::<Box<::kube::Error>>() {
        return kube_error(err);
    }
    if let Some(err) = err.downcast_ref::<crate::kube::KubeError>() {
        return match err {
            crate::kube::KubeError::Refused { .. } => Some(Class::Unavailable),
            // Not reached for another reason: a cause may say it will not heal (a TLS error),
            // else waiting may help (DNS, a route, a timeout).
            crate::kube::KubeError::Unreachable { source, .. } => {
                Some(first_decision(source).unwrap_or(Class::Unavailable))
            }
            crate::kube::KubeError::Exec(inner) => decide(inner),
            _ => None,
        };
    }
    if let Some(err) = err.downcast_ref::<crate::deploy::lock::LockError>() {
        return match err {
            crate::deploy::lock::LockError::Held { .. } => Some(Class::Unavailable),
            crate::deploy::lock::LockError::Lost { .. } => Some(Class::Failed),
            crate::deploy::lock::LockError::Api { .. } => None,
        };
    }
    if let Some(err) = err.downcast_ref::<crate::kube::exec::ExecError>() {
        return Some(if err.retryable() {
            Class::Unavailable
        } else {
            Class::Failed
        });
    }
    if let Some(err) = err.downcast_ref::<crate::registry::RegistryError>() {
        return match err {
            crate::registry::RegistryError::HelperTimedOut { .. }
            | crate::registry::RegistryError::Unreachable { .. } => Some(Class::Unavailable),
            crate::registry::RegistryError::NeedsCredentials { .. }
            | crate::registry::RegistryError::Unauthorized { .. }
            | crate::registry::RegistryError::Denied { .. } => Some(Class::Failed),
            _ => None,
        };
    }
    if let Some(err) = err.downcast_ref::<crate::build::BuildError>() {
        return match err {
            crate::build::BuildError::Connect { .. } => Some(Class::Unavailable),
            _ => None,
        };
    }
    if let Some(err) = err.downcast_ref::<bollard::errors::Error>() {
        return bollard_error(err);
    }
    if let Some(err) = err.downcast_ref::<oci_client::errors::OciDistributionError>() {
        return oci_error(err);
    }
    if err.downcast_ref::<tokio::time::error::Elapsed>().is_some() {
        return Some(Class::Unavailable);
    }
    if let Some(err) = err.downcast_ref::<std::io::Error>() {
        return io_error(err);
    }
    None
}

fn kube_error(err: &::kube::Error) -> Option<Class> {
    match err {
        ::kube::Error::Api(status) => Some(match status.code {
            401 => Class::Unauthenticated,
            403 => Class::Forbidden(forbidden(&status.message)),
            429 | 500.. => Class::Unavailable,
            _ => Class::Failed,
        }),
        // A transport failure (connection closed, incomplete message, timeout) below the API.
        ::kube::Error::HyperError(_) | ::kube::Error::ReadEvents(_) => Some(Class::Unavailable),
        // The service stack wraps connection errors (decided by their io cause) and TLS or
        // credential-plugin failures (which waiting does not cure).
        ::kube::Error::Service(_) => None,
        _ => Some(Class::Failed),
    }
}

fn bollard_error(err: &bollard::errors::Error) -> Option<Class> {
    use bollard::errors::Error as E;
    match err {
        E::IOError { err } => io_error(err).or(Some(Class::Failed)),
        E::RequestTimeoutError
        | E::HyperResponseError { .. }
        | E::HyperLegacyError { .. }
        | E::SocketNotFoundError(_) => Some(Class::Unavailable),
        E::DockerResponseServerError { status_code, .. } if *status_code >= 500 => {
            Some(Class::Unavailable)
        }
        _ => Some(Class::Failed),
    }
}

fn oci_error(err: &oci_client::errors::OciDistributionError) -> Option<Class> {
    use oci_client::errors::OciDistributionError as E;
    match err {
        // `reqwest::Error` is transparent: its causes (hyper, io) follow in the chain.
        E::RequestError(_) => None,
        E::IoError(err) => io_error(err),
        E::ServerError { code, .. } if *code == 429 || *code >= 500 => Some(Class::Unavailable),
        _ => Some(Class::Failed),
    }
}

fn io_error(err: &std::io::Error) -> Option<Class> {
    use std::io::ErrorKind as K;
    match err.kind() {
        K::ConnectionRefused
        | K::ConnectionReset
        | K::ConnectionAborted
        | K::NotConnected
        | K::BrokenPipe
        | K::TimedOut
        | K::UnexpectedEof
        | K::HostUnreachable
        | K::NetworkUnreachable
        | K::NetworkDown
        | K::AddrNotAvailable => Some(Class::Unavailable),
        // An io error that wraps another (hyper's, rustls') lets that one decide; `source()` of
        // an io error skips the wrapped error itself, so it is classified here.
        K::Other => err.get_ref().and_then(|inner| first_decision(inner)),
        _ => Some(Class::Failed),
    }
}

/// Reads `User "x" cannot list resource "pods"` out of a 403's message.
fn forbidden(message: &str) -> Forbidden {
    let quoted_after = |marker: &str| {
        let rest = &message[message.find(marker)? + marker.len()..];
        let rest = rest.strip_prefix('"')?;
        rest.find('"').map(|end| rest[..end].to_owned())
    };
    let user = quoted_after("User ");
    let verb = message.find("\" cannot ").and_then(|at| {
        message[at + "\" cannot ".len()..]
            .split_whitespace()
            .next()
            .map(str::to_owned)
    });
    let resource = quoted_after("resource ");
    Forbidden {
        user,
        verb,
        resource,
        message: message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(code: u16, message: &str) -> ::kube::Error {
        ::kube::Error::Api(Box::new(
            ::kube::core::Status::failure(message, "").with_code(code),
        ))
    }

    #[test]
    fn api_statuses() {
        assert_eq!(classify(&api(401, "Unauthorized")), Class::Unauthenticated);
        assert_eq!(classify(&api(503, "unavailable")), Class::Unavailable);
        assert_eq!(classify(&api(429, "slow down")), Class::Unavailable);
        assert_eq!(classify(&api(404, "not found")), Class::Failed);
        assert_eq!(classify(&api(422, "invalid")), Class::Failed);
    }

    #[test]
    fn a_403_names_the_user_and_the_verb() {
        let message = r#"pods is forbidden: User "system:serviceaccount:t:viewer" cannot list resource "pods" in API group "" in the namespace "t""#;
        let Class::Forbidden(forbidden) = classify(&api(403, message)) else {
            panic!("a 403 is forbidden")
        };
        assert_eq!(
            forbidden.user.as_deref(),
            Some("system:serviceaccount:t:viewer")
        );
        assert_eq!(forbidden.verb.as_deref(), Some("list"));
        assert_eq!(forbidden.resource.as_deref(), Some("pods"));
        let bare = classify(&api(403, "forbidden"));
        assert_eq!(
            bare,
            Class::Forbidden(Forbidden {
                message: "forbidden".into(),
                ..Forbidden::default()
            })
        );
    }

    #[test]
    fn the_first_cause_that_knows_decides() {
        let lock = crate::deploy::lock::LockError::Api {
            action: "take",
            name: "paas-lock-web".into(),
            namespace: "t".into(),
            source: api(403, "forbidden"),
        };
        assert!(matches!(classify(&lock), Class::Forbidden(_)));
        let wrapped =
            anyhow::Error::new(std::io::Error::from(std::io::ErrorKind::ConnectionRefused))
                .context("failed to push");
        assert_eq!(classify_chain(&wrapped), Class::Unavailable);
        let service = ::kube::Error::Service(Box::new(std::io::Error::from(
            std::io::ErrorKind::ConnectionReset,
        )));
        assert_eq!(classify(&service), Class::Unavailable);
        let file = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert_eq!(classify(&file), Class::Failed);
        assert_eq!(
            classify_chain(&anyhow::anyhow!("no cause at all")),
            Class::Failed
        );
    }

    #[test]
    fn paas_s_own_answers() {
        let held = crate::deploy::lock::LockError::Held {
            app: "web".into(),
            namespace: "t".into(),
            holder: "ci".into(),
            since: "now".into(),
        };
        assert_eq!(classify(&held), Class::Unavailable);
        let refused = crate::kube::KubeError::Refused {
            server: "127.0.0.1:1".into(),
        };
        assert_eq!(classify(&refused), Class::Unavailable);
        let engine = bollard::errors::Error::DockerResponseServerError {
            status_code: 500,
            message: "boom".into(),
        };
        assert_eq!(classify(&engine), Class::Unavailable);
        let bad_request = bollard::errors::Error::DockerResponseServerError {
            status_code: 400,
            message: "bad".into(),
        };
        assert_eq!(classify(&bad_request), Class::Failed);
    }
}
