//! Image references, registry credentials from the Docker config, pushing through the Docker
//! Engine and reading manifest digests back from the registry.
//!
//! The Engine retries a failed layer upload for about a minute before it gives up, and waits as
//! long as the registry keeps a connection open; so [`push`] asks the registry itself
//! ([`check_reachable`], bounded by [`PROBE_TIMEOUT`]) before the push, when the Engine says it
//! is retrying, when the stream has been quiet for [`QUIET_LIMIT`] and when the push failed, and
//! stops with [`RegistryError::Unreachable`] as soon as the registry does not answer.
//!
//! This module never prints (progress goes to a [`PushReporter`]) and never puts a secret
//! (password, token, their base64, `X-Registry-Auth`) into an error, a `Debug` output or a
//! reporter line. Hints ("run `docker login`") belong to the command layer.

pub mod auth;
pub mod copy;
pub mod reference;

use std::path::PathBuf;
use std::time::Duration;

use futures_util::StreamExt as _;

pub use auth::{Credential, DockerConfig, Helpers, Secret, x_registry_auth};
pub use reference::ImageRef;

/// How long the registry may take to answer `GET /v2/` (connecting included).
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(5);

/// How long the Engine's push stream may stay silent before the registry is asked whether it
/// still answers.
pub const QUIET_LIMIT: Duration = Duration::from_secs(10);

/// Everything that can go wrong in this module. Each variant names the image, registry, helper or
/// file involved, and none carries a secret.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// The text is not an image reference.
    #[error("`{reference}` is not a valid image reference: {reason}")]
    InvalidReference {
        /// The text as given.
        reference: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The Docker config exists but cannot be read.
    #[error("failed to read the Docker config `{}`", path.display())]
    ReadDockerConfig {
        /// `config.json`.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The Docker config is not JSON of the expected shape (the parser's own message is left out:
    /// it can quote a value).
    #[error("the Docker config `{}` is not valid (line {line}, column {column})", path.display())]
    ParseDockerConfig {
        /// `config.json`.
        path: PathBuf,
        /// Where the problem is.
        line: usize,
        /// Where the problem is.
        column: usize,
    },
    /// An `auths` entry cannot be used.
    #[error("the credentials for registry `{registry}` in `{}` are malformed: {what}", path.display())]
    MalformedAuth {
        /// The registry host.
        registry: String,
        /// `config.json`.
        path: PathBuf,
        /// What is wrong (never the value).
        what: &'static str,
    },
    /// A credential helper named in the config is not installed.
    #[error("credential helper `{helper}` for registry `{registry}` is not on PATH")]
    HelperNotFound {
        /// `docker-credential-NAME`.
        helper: String,
        /// The registry host.
        registry: String,
    },
    /// A credential helper could not be run or talked to.
    #[error("failed to run credential helper `{helper}` for registry `{registry}`")]
    HelperIo {
        /// `docker-credential-NAME`.
        helper: String,
        /// The registry host.
        registry: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A credential helper failed (other than "credentials not found").
    #[error("credential helper `{helper}` failed for registry `{registry}` with {status}{}", if message.is_empty() { String::new() } else { format!(": {message}") })]
    HelperFailed {
        /// `docker-credential-NAME`.
        helper: String,
        /// The registry host.
        registry: String,
        /// `exit code N` or `a signal`.
        status: String,
        /// The first line of its stderr (at most 200 characters).
        message: String,
    },
    /// A credential helper did not answer in time.
    #[error(
        "credential helper `{helper}` for registry `{registry}` did not answer within {timeout:?}"
    )]
    HelperTimedOut {
        /// `docker-credential-NAME`.
        helper: String,
        /// The registry host.
        registry: String,
        /// The limit.
        timeout: Duration,
    },
    /// A credential helper printed something that is not `{"Username","Secret"}` (not quoted here:
    /// it may hold a secret).
    #[error("credential helper `{helper}` printed no valid credentials for registry `{registry}`")]
    HelperGarbage {
        /// `docker-credential-NAME`.
        helper: String,
        /// The registry host.
        registry: String,
    },
    /// A kind of credential this code path cannot use.
    #[error("{kind} for registry `{registry}` cannot be used to read manifests")]
    UnsupportedCredential {
        /// The registry host.
        registry: String,
        /// What kind of credential.
        kind: &'static str,
    },
    /// The reference cannot be pushed as is.
    #[error("cannot push `{image}`: {reason}")]
    NotPushable {
        /// The image.
        image: String,
        /// Why.
        reason: &'static str,
    },
    /// The Engine has no local image by that name.
    #[error("there is no local image `{image}` to push")]
    NoLocalImage {
        /// The image.
        image: String,
    },
    /// The registry wants credentials and got none.
    #[error("registry `{registry}` needs credentials to push `{image}`")]
    NeedsCredentials {
        /// The registry host.
        registry: String,
        /// The image.
        image: String,
    },
    /// The registry rejected the credentials.
    #[error("registry `{registry}` rejected {credential} while pushing `{image}` (unauthorized)")]
    Unauthorized {
        /// The registry host.
        registry: String,
        /// The image.
        image: String,
        /// What was sent, e.g. "user `alice` with a password".
        credential: String,
    },
    /// The registry accepted the credentials but refused the push.
    #[error("registry `{registry}` denied the push of `{image}`: {message}")]
    Denied {
        /// The registry host.
        registry: String,
        /// The image.
        image: String,
        /// The registry's message.
        message: String,
    },
    /// The push failed for another reason the Engine reported.
    #[error("failed to push `{image}` to registry `{registry}`: {message}")]
    PushFailed {
        /// The registry host.
        registry: String,
        /// The image.
        image: String,
        /// The Engine's message.
        message: String,
    },
    /// The Engine could not be asked to push.
    #[error("the Docker Engine failed while pushing `{image}`")]
    Engine {
        /// The image.
        image: String,
        /// Why.
        #[source]
        source: bollard::errors::Error,
    },
    /// The registry did not answer (refused, reset, or silent for longer than the limit).
    #[error("registry `{registry}` cannot be reached (`GET /v2/` within {}s){}", timeout.as_secs(), if *during_push { " while pushing" } else { "" })]
    Unreachable {
        /// The registry host.
        registry: String,
        /// The limit the check had.
        timeout: Duration,
        /// Whether the push had started.
        during_push: bool,
        /// Why.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The push ended without a manifest digest.
    #[error("the push of `{image}` ended without a manifest digest")]
    NoDigest {
        /// The image.
        image: String,
    },
    /// The manifest digest could not be read from the registry.
    #[error("failed to read the manifest digest of `{image}` from registry `{registry}`")]
    Manifest {
        /// The registry host.
        registry: String,
        /// The image.
        image: String,
        /// Why.
        #[source]
        source: oci_client::errors::OciDistributionError,
    },
    /// A step of a registry-to-registry copy failed.
    #[error("failed to {step} `{image}` in registry `{registry}`")]
    Copy {
        /// The registry host.
        registry: String,
        /// The image or blob, `<registry>/<repository>@<digest>` or `…:<tag>`.
        image: String,
        /// What was being done: `read the manifest`, `upload the blob`, ….
        step: &'static str,
        /// Why.
        #[source]
        source: oci_client::errors::OciDistributionError,
    },
    /// A copied manifest's digest is not the source's.
    #[error("the digest of `{image}` is `{found}`, not `{expected}` as in the source")]
    CopyMismatch {
        /// The image.
        image: String,
        /// The source's digest.
        expected: String,
        /// The digest found.
        found: String,
    },
    /// The image cannot be copied.
    #[error("cannot copy `{image}`: {reason}")]
    CopyUnsupported {
        /// The image.
        image: String,
        /// Why.
        reason: &'static str,
    },
}

/// What the Engine said about one layer during a push.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LayerStatus<'a> {
    /// Waiting for its turn, or being checked (`Preparing`, `Waiting`).
    Preparing,
    /// Being uploaded (`Pushing`), with bytes sent and total when known.
    Uploading {
        /// Bytes sent so far.
        current: Option<u64>,
        /// Total bytes.
        total: Option<u64>,
    },
    /// Uploaded (`Pushed`).
    Pushed,
    /// The registry had it already (`Layer already exists`): nothing was uploaded.
    AlreadyExists,
    /// Mounted from another repository of the same registry (`Mounted from …`).
    Mounted,
    /// Any other line, as the Engine wrote it.
    Other(&'a str),
}

/// Receives progress from a push.
///
/// Implemented by the UI layer; tests use [`NoopReporter`] or a recorder.
pub trait PushReporter: Send + Sync {
    /// Called for each layer status line. `id` is the layer's short id when the Engine's stream
    /// gives it; bollard 0.21's `PushImageInfo` drops the `id` field, so it is `None` with bollard.
    fn on_layer(&self, id: Option<&str>, status: LayerStatus<'_>);
}

/// A [`PushReporter`] that ignores everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoopReporter;

impl PushReporter for NoopReporter {
    fn on_layer(&self, _id: Option<&str>, _status: LayerStatus<'_>) {}
}

/// The result of a push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pushed {
    /// The pushed reference pinned to its manifest digest (`…:tag@sha256:…`).
    pub image: ImageRef,
    /// The manifest digest, `sha256:…`.
    pub digest: String,
    /// The manifest size in bytes, when the Engine reported it.
    pub size: Option<u64>,
    /// Layers uploaded.
    pub layers_pushed: usize,
    /// Layers the registry already had.
    pub layers_existing: usize,
    /// Layers mounted from another repository.
    pub layers_mounted: usize,
}

/// Pushes the local image `image` (which must carry a tag) through the Engine, sending
/// `credential` for that registry only, and returns the manifest digest.
///
/// The credentials go in an `X-Registry-Auth` header encoded as base64url (see
/// [`x_registry_auth`]), marked sensitive. bollard 0.21 encodes its `DockerCredentials` with
/// standard base64, which the Engine (it decodes base64url) silently turns into an anonymous push
/// when a password contains `?`, `>` or `~` at some positions. So the header is set by a request
/// modifier on a clone of `docker`; any request modifier `docker` had is replaced on that clone.
///
/// # Errors
///
/// [`RegistryError::NeedsCredentials`] when the registry wants credentials and got none,
/// [`RegistryError::Unauthorized`] when it rejected them, [`RegistryError::NoLocalImage`],
/// [`RegistryError::PushFailed`] / [`RegistryError::Denied`] for other errors inside the Engine's
/// stream, [`RegistryError::Engine`] when the Engine cannot be reached, and
/// [`RegistryError::NoDigest`].
pub async fn push(
    docker: &bollard::Docker,
    image: &ImageRef,
    credential: &Credential,
    reporter: &dyn PushReporter,
) -> Result<Pushed, RegistryError> {
    let shown = image.to_string();
    let Some(tag) = image.tag() else {
        return Err(RegistryError::NotPushable {
            image: shown,
            reason: "it has no tag",
        });
    };
    if image.digest().is_some() {
        return Err(RegistryError::NotPushable {
            image: shown,
            reason: "push a tag, not a digest",
        });
    }
    check_reachable(image, false).await?;
    let registry = image.registry_host().to_owned();
    let mut header = http::HeaderValue::from_str(&x_registry_auth(
        credential,
        &auth::helper_server(&registry),
    ))
    .expect("base64url is a valid header value");
    header.set_sensitive(true);
    let docker = docker.clone().with_request_modifier(move |mut request| {
        if request.uri().path().ends_with("/push") {
            request
                .headers_mut()
                .insert("X-Registry-Auth", header.clone());
        }
        request
    });
    let options = bollard::query_parameters::PushImageOptionsBuilder::default()
        .tag(tag)
        .build();
    let mut stream = docker.push_image(&image.name(), Some(options), None);
    let mut digest = None;
    let mut size = None;
    let (mut layers_pushed, mut layers_existing, mut layers_mounted) = (0, 0, 0);
    loop {
        let item = match tokio::time::timeout(QUIET_LIMIT, stream.next()).await {
            Ok(Some(item)) => item,
            Ok(None) => break,
            Err(_quiet) => {
                check_reachable(image, true).await?;
                continue;
            }
        };
        let info = match item {
            Ok(info) => info,
            Err(bollard::errors::Error::DockerStreamError { error }) => {
                // The Engine's message is text; whether the registry went away is asked of it.
                check_reachable(image, true).await?;
                return Err(stream_error(&error, image, credential));
            }
            Err(bollard::errors::Error::DockerResponseServerError {
                status_code: 404, ..
            }) => {
                return Err(RegistryError::NoLocalImage { image: shown });
            }
            Err(source) => {
                return Err(RegistryError::Engine {
                    image: shown,
                    source,
                });
            }
        };
        let Some(status) = info.status.as_deref() else {
            continue;
        };
        if let Some((d, s)) = parse_digest_line(status) {
            digest = Some(d.to_owned());
            size = s;
            continue;
        }
        if status.starts_with("The push refers to") {
            continue;
        }
        if status.starts_with("Retrying in") {
            check_reachable(image, true).await?;
        }
        let status = match status {
            "Preparing" | "Waiting" => LayerStatus::Preparing,
            "Pushing" => {
                let detail = info.progress_detail.as_ref();
                LayerStatus::Uploading {
                    current: detail
                        .and_then(|d| d.current)
                        .and_then(|c| u64::try_from(c).ok()),
                    total: detail
                        .and_then(|d| d.total)
                        .and_then(|t| u64::try_from(t).ok()),
                }
            }
            "Pushed" => {
                layers_pushed += 1;
                LayerStatus::Pushed
            }
            "Layer already exists" => {
                layers_existing += 1;
                LayerStatus::AlreadyExists
            }
            s if s.starts_with("Mounted from") => {
                layers_mounted += 1;
                LayerStatus::Mounted
            }
            other => LayerStatus::Other(other),
        };
        reporter.on_layer(None, status);
    }
    let digest = digest.ok_or_else(|| RegistryError::NoDigest { image: shown })?;
    Ok(Pushed {
        image: image.with_digest(&digest)?,
        digest,
        size,
        layers_pushed,
        layers_existing,
        layers_mounted,
    })
}

/// Reads the manifest digest of `image` (by tag, else by digest) from its registry with
/// oci-client. Plain HTTP is used only for loopback registries (`localhost`, 127.0.0.0/8, `::1`);
/// every other registry is spoken to over HTTPS.
///
/// # Errors
///
/// [`RegistryError::Manifest`] naming the image and registry,
/// [`RegistryError::UnsupportedCredential`] for an identity token.
pub async fn resolve_digest(
    image: &ImageRef,
    credential: &Credential,
) -> Result<String, RegistryError> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let registry = image.registry_host().to_owned();
    let auth = credential.to_oci_auth(&registry)?;
    let reference = match (image.tag(), image.digest()) {
        (_, Some(digest)) => oci_client::Reference::with_digest(
            registry.clone(),
            image.repository().to_owned(),
            digest.to_owned(),
        ),
        (tag, None) => oci_client::Reference::with_tag(
            registry.clone(),
            image.repository().to_owned(),
            tag.unwrap_or("latest").to_owned(),
        ),
    };
    let client = oci_client::Client::new(client_config(image));
    client
        .fetch_manifest_digest(&reference, &auth)
        .await
        .map_err(|source| RegistryError::Manifest {
            registry,
            image: image.to_string(),
            source,
        })
}

/// Checks that the registry of `image` answers `GET /v2/` within [`PROBE_TIMEOUT`]. Any HTTP
/// answer counts, 401 included (credentials are the push's business).
///
/// # Errors
///
/// [`RegistryError::Unreachable`] when the connection is refused, reset or times out.
pub async fn check_reachable(image: &ImageRef, during_push: bool) -> Result<(), RegistryError> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let unreachable =
        |source: Box<dyn std::error::Error + Send + Sync>| RegistryError::Unreachable {
            registry: image.registry_host().to_owned(),
            timeout: PROBE_TIMEOUT,
            during_push,
            source,
        };
    // One bound for connecting and answering; reqwest's own timeout errors are not typed.
    let client = oci_client::Client::new(client_config(image));
    let reference = oci_client::Reference::with_tag(
        image.registry_host().to_owned(),
        image.repository().to_owned(),
        image.tag().unwrap_or("latest").to_owned(),
    );
    let answer = tokio::time::timeout(
        PROBE_TIMEOUT,
        client.auth(
            &reference,
            &oci_client::secrets::RegistryAuth::Anonymous,
            oci_client::RegistryOperation::Pull,
        ),
    )
    .await;
    match answer {
        Err(elapsed) => Err(unreachable(Box::new(elapsed))),
        Ok(Err(err)) if crate::failure::is_retryable(&err) => Err(unreachable(Box::new(err))),
        Ok(_) => Ok(()),
    }
}

/// oci-client's config for `image`'s registry: HTTPS, except plain HTTP for a loopback registry.
pub(crate) fn client_config(image: &ImageRef) -> oci_client::client::ClientConfig {
    let exceptions = if image.is_loopback_registry() {
        vec![image.registry_host().to_owned()]
    } else {
        Vec::new()
    };
    oci_client::client::ClientConfig {
        protocol: oci_client::client::ClientProtocol::HttpsExcept(exceptions),
        ..oci_client::client::ClientConfig::default()
    }
}

/// Parses the Engine's `TAG: digest: sha256:… size: N` line.
fn parse_digest_line(status: &str) -> Option<(&str, Option<u64>)> {
    let rest = status.split_once("digest: ")?.1;
    let mut words = rest.split_whitespace();
    let digest = words
        .next()
        .filter(|d| d.starts_with("sha256:") || d.starts_with("sha512:"))?;
    let size = match (words.next(), words.next()) {
        (Some("size:"), Some(n)) => n.parse().ok(),
        _ => None,
    };
    Some((digest, size))
}

/// Turns an `errorDetail` of the push stream into an error that says what and where.
fn stream_error(message: &str, image: &ImageRef, credential: &Credential) -> RegistryError {
    let registry = image.registry_host().to_owned();
    let shown = image.to_string();
    let lower = message.to_ascii_lowercase();
    if lower.starts_with("tag does not exist") || lower.contains("does not exist locally") {
        return RegistryError::NoLocalImage { image: shown };
    }
    let unauthorized = lower.contains("no basic auth credentials")
        || lower.contains("unauthorized")
        || lower.contains("authentication required");
    if unauthorized {
        if credential.is_anonymous() || lower.contains("no basic auth credentials") {
            return RegistryError::NeedsCredentials {
                registry,
                image: shown,
            };
        }
        return RegistryError::Unauthorized {
            registry,
            image: shown,
            credential: credential.to_string(),
        };
    }
    if lower.starts_with("denied") || lower.contains("requested access to the resource is denied") {
        return RegistryError::Denied {
            registry,
            image: shown,
            message: message.to_owned(),
        };
    }
    RegistryError::PushFailed {
        registry,
        image: shown,
        message: message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image() -> ImageRef {
        ImageRef::parse("127.0.0.1:5001/ns/app:1").unwrap()
    }

    #[test]
    fn digest_lines() {
        let d = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        assert_eq!(
            parse_digest_line(&format!("1: digest: {d} size: 527")),
            Some((d, Some(527)))
        );
        assert_eq!(
            parse_digest_line(&format!("latest: digest: {d}")),
            Some((d, None))
        );
        assert_eq!(parse_digest_line("Pushed"), None);
        assert_eq!(parse_digest_line("digest: md5:abc"), None);
    }

    #[test]
    fn stream_errors_say_what_and_where() {
        let anonymous = stream_error(
            "no basic auth credentials",
            &image(),
            &Credential::Anonymous,
        );
        assert_eq!(
            anonymous.to_string(),
            "registry `127.0.0.1:5001` needs credentials to push `127.0.0.1:5001/ns/app:1`"
        );
        let alice = Credential::Basic {
            username: "alice".into(),
            password: Secret::new("S3NTINEL"),
        };
        let wrong = stream_error("unauthorized: authentication required", &image(), &alice);
        assert_eq!(
            wrong.to_string(),
            "registry `127.0.0.1:5001` rejected user `alice` with a password while pushing `127.0.0.1:5001/ns/app:1` (unauthorized)"
        );
        assert!(!format!("{wrong:?}").contains("S3NTINEL"));
        let refused = stream_error(
            "Get \"http://127.0.0.1:5999/v2/\": dial tcp 127.0.0.1:5999: connect: connection refused",
            &image(),
            &alice,
        );
        assert!(matches!(refused, RegistryError::PushFailed { .. }));
        assert!(refused.to_string().contains("connection refused"));
        let denied = stream_error(
            "denied: requested access to the resource is denied",
            &image(),
            &alice,
        );
        assert!(matches!(denied, RegistryError::Denied { .. }), "{denied:?}");
        let missing = stream_error(
            "tag does not exist: 127.0.0.1:5001/ns/app:1",
            &image(),
            &alice,
        );
        assert_eq!(
            missing.to_string(),
            "there is no local image `127.0.0.1:5001/ns/app:1` to push"
        );
    }

    #[tokio::test]
    async fn a_registry_that_refuses_or_stalls_is_unreachable_within_the_limit() {
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = closed.local_addr().unwrap().port();
        drop(closed);
        let image = ImageRef::parse(&format!("127.0.0.1:{port}/ns/app:1")).unwrap();
        let started = std::time::Instant::now();
        let err = check_reachable(&image, false).await.unwrap_err();
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
        assert!(matches!(err, RegistryError::Unreachable { .. }), "{err:?}");
        assert!(crate::failure::is_retryable(&err));
        assert_eq!(
            err.to_string(),
            format!("registry `127.0.0.1:{port}` cannot be reached (`GET /v2/` within 5s)")
        );

        // Accepts the connection and never answers.
        let stalled = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = stalled.local_addr().unwrap().port();
        let hold = tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((socket, _)) = stalled.accept().await {
                held.push(socket);
            }
        });
        let image = ImageRef::parse(&format!("127.0.0.1:{port}/ns/app:1")).unwrap();
        let started = std::time::Instant::now();
        let err = check_reachable(&image, true).await.unwrap_err();
        let took = started.elapsed();
        assert!(
            took >= PROBE_TIMEOUT && took < PROBE_TIMEOUT + Duration::from_secs(2),
            "{took:?}"
        );
        assert!(err.to_string().ends_with("while pushing"), "{err}");
        hold.abort();
    }

    #[test]
    fn plain_http_only_for_loopback() {
        use oci_client::client::ClientProtocol;
        for (reference, exceptions) in [
            ("127.0.0.1:5000/a:1", vec!["127.0.0.1:5000"]),
            ("localhost:5000/a:1", vec!["localhost:5000"]),
            ("[::1]:5000/a:1", vec!["[::1]:5000"]),
            ("ghcr.io/a:1", vec![]),
            ("10.0.0.1:5000/a:1", vec![]),
        ] {
            let config = client_config(&ImageRef::parse(reference).unwrap());
            let ClientProtocol::HttpsExcept(list) = config.protocol else {
                panic!("{reference}")
            };
            assert_eq!(list, exceptions, "{reference}");
        }
    }
}
