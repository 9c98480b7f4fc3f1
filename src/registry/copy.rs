//! Copies an image from one registry repository to another by digest, registry to registry,
//! without the Docker Engine: the manifest (or index, and each manifest it lists) and the blobs
//! they name. A blob the target already has (`HEAD`) is not uploaded; on the same registry a
//! blob is mounted from the source repository (a cross-repository mount), and uploaded only when
//! the registry declines the mount. The manifests are pushed byte for byte, so the digest stays
//! the same, and the target's digest is read back and compared with the source's.
//!
//! The registry calls go through [`Remote`], so that the walk and its checks are unit-tested
//! against faults a real registry does not produce (a manifest whose bytes do not match its
//! digest, a target that answers another digest, a declined mount). Whether a failure is worth
//! retrying is decided where every registry error is ([`crate::failure`]), from the typed
//! cause each [`RegistryError::Copy`] carries. Nothing here prints: progress goes to a
//! [`CopyReporter`].

use std::collections::BTreeSet;

use futures_util::{StreamExt as _, TryStreamExt as _};
use oci_client::errors::OciDistributionError;

use crate::registry::auth::Credential;
use crate::registry::reference::ImageRef;
use crate::registry::{RegistryError, client_config};

/// The manifest media types a copy accepts: Docker's and OCI's manifests and lists.
pub const MANIFEST_TYPES: [&str; 4] = [
    oci_client::manifest::OCI_IMAGE_MEDIA_TYPE,
    oci_client::manifest::OCI_IMAGE_INDEX_MEDIA_TYPE,
    oci_client::manifest::IMAGE_MANIFEST_MEDIA_TYPE,
    oci_client::manifest::IMAGE_MANIFEST_LIST_MEDIA_TYPE,
];

/// What happened to one blob.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlobOutcome {
    /// Its bytes were uploaded to the target.
    Copied,
    /// The registry linked it from the source repository (same registry).
    Mounted,
    /// The target had it already.
    Existing,
}

/// Receives the progress of a copy; the UI layer implements it.
pub trait CopyReporter: Send + Sync {
    /// One blob is done.
    fn on_blob(&self, digest: &str, size: u64, outcome: BlobOutcome);
    /// Bytes of the blob being uploaded so far, and its size.
    fn on_bytes(&self, sent: u64, size: u64);
}

/// A copy nobody watches.
pub struct NoCopyReporter;

impl CopyReporter for NoCopyReporter {
    fn on_blob(&self, _: &str, _: u64, _: BlobOutcome) {}
    fn on_bytes(&self, _: u64, _: u64) {}
}

/// The result of a copy.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Copied {
    /// The manifest digest, the same in both repositories.
    pub digest: String,
    /// Manifests pushed (an index and the manifests it lists, or one manifest).
    pub manifests: usize,
    /// Blobs uploaded.
    pub blobs_copied: usize,
    /// Blobs mounted from the source repository.
    pub blobs_mounted: usize,
    /// Blobs the target had.
    pub blobs_existing: usize,
    /// Bytes uploaded.
    pub bytes_copied: u64,
}

/// One side of a copy: a repository in a registry. The source is read, the target written.
pub trait Remote: Sync {
    /// The registry host.
    fn host(&self) -> &str;
    /// The repository path in it.
    fn repository(&self) -> &str;
    /// Returns the manifest `digest` as stored (bytes exactly as the registry has them).
    fn manifest(
        &self,
        digest: &str,
    ) -> impl Future<Output = Result<bytes::Bytes, OciDistributionError>> + Send;
    /// Returns whether the repository has blob `digest`.
    fn has_blob(
        &self,
        digest: &str,
    ) -> impl Future<Output = Result<bool, OciDistributionError>> + Send;
    /// Asks the registry to link blob `digest` from repository `from` of the same registry;
    /// returns whether it did (false: it declined, the blob must be uploaded).
    fn mount(
        &self,
        digest: &str,
        from: &str,
    ) -> impl Future<Output = Result<bool, OciDistributionError>> + Send;
    /// Uploads blob `digest` of `size` bytes read from `source`.
    fn upload_from(
        &self,
        source: &Self,
        digest: &str,
        size: u64,
        progress: &(dyn Fn(u64) + Sync),
    ) -> impl Future<Output = Result<(), OciDistributionError>> + Send;
    /// Pushes `body` as the manifest `reference` (a tag or a digest).
    fn put_manifest(
        &self,
        reference: &str,
        body: bytes::Bytes,
        media_type: &str,
    ) -> impl Future<Output = Result<(), OciDistributionError>> + Send;
    /// Returns the digest the registry has for `reference` (a tag).
    fn resolve(
        &self,
        reference: &str,
    ) -> impl Future<Output = Result<String, OciDistributionError>> + Send;
}

/// Copies `source` (which must carry a digest) to `target` (`repository:tag`), each registry
/// with its own credential from the Docker config.
///
/// # Errors
///
/// [`RegistryError::Copy`] naming the step and the registry, [`RegistryError::CopyMismatch`]
/// when a manifest's bytes or the target's digest differ from the source's digest,
/// [`RegistryError::UnsupportedCredential`] for an identity token.
pub async fn copy(
    source: &ImageRef,
    source_credential: &Credential,
    target: &ImageRef,
    target_credential: &Credential,
    reporter: &dyn CopyReporter,
) -> Result<Copied, RegistryError> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let source_remote = OciRemote::new(source, source_credential).await?;
    let target_remote = OciRemote::new(target, target_credential).await?;
    let digest = source.digest().ok_or_else(|| RegistryError::NotPushable {
        image: source.to_string(),
        reason: "a copy needs the source image's digest",
    })?;
    let tag = target.tag().unwrap_or("latest");
    copy_between(&source_remote, &target_remote, digest, tag, reporter).await
}

/// The walk of [`copy`], over any [`Remote`].
pub async fn copy_between<R: Remote>(
    source: &R,
    target: &R,
    digest: &str,
    tag: &str,
    reporter: &dyn CopyReporter,
) -> Result<Copied, RegistryError> {
    let same_registry = source.host() == target.host();
    let mut copied = Copied {
        digest: digest.to_owned(),
        ..Copied::default()
    };
    let mut done = BTreeSet::new();
    let (body, media_type, children) = read_manifest(source, digest).await?;
    // The manifests an index lists go first: a registry refuses an index whose manifests it
    // does not have.
    for child in &children {
        let (child_body, child_type, grandchildren) = read_manifest(source, &child.digest).await?;
        if !grandchildren.is_empty() {
            return Err(RegistryError::CopyUnsupported {
                image: image_name(source, digest),
                reason: "an index lists another index",
            });
        }
        copy_blobs(
            source,
            target,
            &blobs_of(&child_body)?,
            same_registry,
            &mut done,
            &mut copied,
            reporter,
        )
        .await?;
        target
            .put_manifest(&child.digest, child_body, &child_type)
            .await
            .map_err(|err| copy_error(target, "push the manifest", &child.digest, err))?;
        copied.manifests += 1;
    }
    if children.is_empty() {
        copy_blobs(
            source,
            target,
            &blobs_of(&body)?,
            same_registry,
            &mut done,
            &mut copied,
            reporter,
        )
        .await?;
    }
    target
        .put_manifest(tag, body, &media_type)
        .await
        .map_err(|err| copy_error(target, "push the manifest", tag, err))?;
    copied.manifests += 1;
    let found = target
        .resolve(tag)
        .await
        .map_err(|err| copy_error(target, "read the copied manifest's digest", tag, err))?;
    if found != digest {
        return Err(RegistryError::CopyMismatch {
            image: image_name(target, tag),
            expected: digest.to_owned(),
            found,
        });
    }
    Ok(copied)
}

/// A blob or manifest a manifest names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Descriptor {
    /// Its digest.
    pub digest: String,
    /// Its size in bytes.
    pub size: u64,
}

/// Reads manifest `digest` from `source`, checks that its bytes have that digest, and returns
/// it with its media type and, for an index, the manifests it lists.
async fn read_manifest<R: Remote>(
    source: &R,
    digest: &str,
) -> Result<(bytes::Bytes, String, Vec<Descriptor>), RegistryError> {
    let body = source
        .manifest(digest)
        .await
        .map_err(|err| copy_error(source, "read the manifest", digest, err))?;
    let found = crate::build::context::sha256(&body);
    if found != digest {
        return Err(RegistryError::CopyMismatch {
            image: image_name(source, digest),
            expected: digest.to_owned(),
            found,
        });
    }
    let (media_type, children) =
        parse_manifest(&body).map_err(|reason| RegistryError::CopyUnsupported {
            image: image_name(source, digest),
            reason,
        })?;
    Ok((body, media_type, children))
}

/// Returns a manifest's media type (its `mediaType`, else what its shape says) and, for an
/// index or manifest list, the manifests it lists.
pub fn parse_manifest(body: &[u8]) -> Result<(String, Vec<Descriptor>), &'static str> {
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|_| "the manifest is not JSON")?;
    let listed = value.get("manifests").and_then(serde_json::Value::as_array);
    let media_type = match value.get("mediaType").and_then(serde_json::Value::as_str) {
        Some(media_type) => media_type.to_owned(),
        None if listed.is_some() => oci_client::manifest::OCI_IMAGE_INDEX_MEDIA_TYPE.to_owned(),
        None => oci_client::manifest::OCI_IMAGE_MEDIA_TYPE.to_owned(),
    };
    if !MANIFEST_TYPES.contains(&media_type.as_str()) {
        return Err("its media type is not an image manifest or index");
    }
    let children = listed
        .map(|list| list.iter().map(descriptor).collect::<Result<Vec<_>, _>>())
        .transpose()?
        .unwrap_or_default();
    Ok((media_type, children))
}

/// Returns the blobs an image manifest names: its config, then its layers.
pub fn blobs_of(body: &[u8]) -> Result<Vec<Descriptor>, RegistryError> {
    let unsupported = |reason| RegistryError::CopyUnsupported {
        image: "the manifest".to_owned(),
        reason,
    };
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|_| unsupported("the manifest is not JSON"))?;
    let config = value
        .get("config")
        .ok_or_else(|| unsupported("the manifest names no config"))?;
    let mut blobs = vec![descriptor(config).map_err(unsupported)?];
    for layer in value
        .get("layers")
        .and_then(serde_json::Value::as_array)
        .into_iter()
        .flatten()
    {
        blobs.push(descriptor(layer).map_err(unsupported)?);
    }
    Ok(blobs)
}

fn descriptor(value: &serde_json::Value) -> Result<Descriptor, &'static str> {
    let digest = value
        .get("digest")
        .and_then(serde_json::Value::as_str)
        .ok_or("a descriptor has no digest")?;
    let size = value
        .get("size")
        .and_then(serde_json::Value::as_u64)
        .ok_or("a descriptor has no size")?;
    Ok(Descriptor {
        digest: digest.to_owned(),
        size,
    })
}

/// Copies each blob the target does not have yet: mounted on the same registry, else uploaded.
async fn copy_blobs<R: Remote>(
    source: &R,
    target: &R,
    blobs: &[Descriptor],
    same_registry: bool,
    done: &mut BTreeSet<String>,
    copied: &mut Copied,
    reporter: &dyn CopyReporter,
) -> Result<(), RegistryError> {
    for blob in blobs {
        if !done.insert(blob.digest.clone()) {
            continue;
        }
        let has = target
            .has_blob(&blob.digest)
            .await
            .map_err(|err| copy_error(target, "ask for the blob", &blob.digest, err))?;
        if has {
            copied.blobs_existing += 1;
            reporter.on_blob(&blob.digest, blob.size, BlobOutcome::Existing);
            continue;
        }
        if same_registry {
            let mounted = target
                .mount(&blob.digest, source.repository())
                .await
                .map_err(|err| copy_error(target, "mount the blob", &blob.digest, err))?;
            if mounted {
                copied.blobs_mounted += 1;
                reporter.on_blob(&blob.digest, blob.size, BlobOutcome::Mounted);
                continue;
            }
        }
        let size = blob.size;
        target
            .upload_from(source, &blob.digest, size, &|sent| {
                reporter.on_bytes(sent, size);
            })
            .await
            .map_err(|err| copy_error(target, "upload the blob", &blob.digest, err))?;
        copied.blobs_copied += 1;
        copied.bytes_copied += size;
        reporter.on_blob(&blob.digest, size, BlobOutcome::Copied);
    }
    Ok(())
}

fn image_name<R: Remote>(remote: &R, reference: &str) -> String {
    let separator = if reference.contains(':') && reference.starts_with("sha") {
        '@'
    } else {
        ':'
    };
    format!(
        "{}/{}{separator}{reference}",
        remote.host(),
        remote.repository()
    )
}

fn copy_error<R: Remote>(
    remote: &R,
    step: &'static str,
    reference: &str,
    source: OciDistributionError,
) -> RegistryError {
    RegistryError::Copy {
        registry: remote.host().to_owned(),
        image: image_name(remote, reference),
        step,
        source,
    }
}

/// A repository of a real registry, through oci-client.
pub struct OciRemote {
    client: oci_client::Client,
    host: String,
    repository: String,
}

impl OciRemote {
    /// A client for `image`'s repository, with `credential` for its registry.
    ///
    /// # Errors
    ///
    /// [`RegistryError::UnsupportedCredential`] for an identity token.
    pub async fn new(image: &ImageRef, credential: &Credential) -> Result<Self, RegistryError> {
        let host = image.registry_host().to_owned();
        let auth = credential.to_oci_auth(&host)?;
        let client = oci_client::Client::new(client_config(image));
        client.store_auth_if_needed(&host, &auth).await;
        Ok(Self {
            client,
            host,
            repository: image.repository().to_owned(),
        })
    }

    fn by_digest(&self, digest: &str) -> oci_client::Reference {
        oci_client::Reference::with_digest(
            self.host.clone(),
            self.repository.clone(),
            digest.to_owned(),
        )
    }

    fn by_tag(&self, tag: &str) -> oci_client::Reference {
        if tag.starts_with("sha256:") {
            return self.by_digest(tag);
        }
        oci_client::Reference::with_tag(self.host.clone(), self.repository.clone(), tag.to_owned())
    }
}

impl Remote for OciRemote {
    fn host(&self) -> &str {
        &self.host
    }

    fn repository(&self) -> &str {
        &self.repository
    }

    async fn manifest(&self, digest: &str) -> Result<bytes::Bytes, OciDistributionError> {
        let auth = oci_client::secrets::RegistryAuth::Anonymous;
        // The stored credential is used; `Anonymous` only stands in for "already stored".
        let (body, _) = self
            .client
            .pull_manifest_raw(&self.by_digest(digest), &auth, &MANIFEST_TYPES)
            .await?;
        Ok(body)
    }

    async fn has_blob(&self, digest: &str) -> Result<bool, OciDistributionError> {
        self.client
            .blob_exists(&self.by_digest(digest), digest)
            .await
    }

    async fn mount(&self, digest: &str, from: &str) -> Result<bool, OciDistributionError> {
        let source = oci_client::Reference::with_digest(
            self.host.clone(),
            from.to_owned(),
            digest.to_owned(),
        );
        match self
            .client
            .mount_blob(&self.by_digest(digest), &source, digest)
            .await
        {
            Ok(()) => Ok(true),
            // A declined mount answers 202 with an upload session instead of 201.
            Err(OciDistributionError::SpecViolationError(_)) => Ok(false),
            Err(err) => Err(err),
        }
    }

    async fn upload_from(
        &self,
        source: &Self,
        digest: &str,
        size: u64,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<(), OciDistributionError> {
        let stream = source
            .client
            .pull_blob_stream(&source.by_digest(digest), digest)
            .await?;
        // The upload wants the whole blob (a monolithic PUT sends its length); layers of the
        // images paas deploys fit in memory, and the digest is checked by the registry.
        let mut body = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        let mut chunks = stream.stream.map_err(OciDistributionError::from);
        while let Some(chunk) = chunks.next().await {
            body.extend_from_slice(&chunk?);
            progress(body.len() as u64);
        }
        self.client
            .push_blob(&self.by_digest(digest), body, digest)
            .await?;
        Ok(())
    }

    async fn put_manifest(
        &self,
        reference: &str,
        body: bytes::Bytes,
        media_type: &str,
    ) -> Result<(), OciDistributionError> {
        let content_type = http::HeaderValue::from_str(media_type)
            .map_err(|_| OciDistributionError::GenericError(Some("media type".to_owned())))?;
        self.client
            .push_manifest_raw(&self.by_tag(reference), body, content_type)
            .await?;
        Ok(())
    }

    async fn resolve(&self, reference: &str) -> Result<String, OciDistributionError> {
        let auth = oci_client::secrets::RegistryAuth::Anonymous;
        self.client
            .fetch_manifest_digest(&self.by_tag(reference), &auth)
            .await
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::sync::Mutex;

    use super::*;

    fn sha(body: &[u8]) -> String {
        crate::build::context::sha256(body)
    }

    /// A registry repository in memory, with faults to inject.
    #[derive(Default)]
    struct Fake {
        host: String,
        repository: String,
        blobs: Mutex<BTreeMap<String, Vec<u8>>>,
        manifests: Mutex<BTreeMap<String, bytes::Bytes>>,
        uploads: Mutex<Vec<String>>,
        mounts: Mutex<Vec<String>>,
        /// Declines every mount.
        decline_mounts: bool,
        /// Answers this digest for every tag.
        wrong_digest: Option<String>,
        /// Serves these bytes for every manifest read.
        tampered: Option<bytes::Bytes>,
    }

    impl Fake {
        fn new(host: &str, repository: &str) -> Self {
            Self {
                host: host.to_owned(),
                repository: repository.to_owned(),
                ..Self::default()
            }
        }

        fn blob(&self, body: &[u8]) -> serde_json::Value {
            let digest = sha(body);
            self.blobs
                .lock()
                .unwrap()
                .insert(digest.clone(), body.to_vec());
            serde_json::json!({"mediaType": "application/octet-stream", "digest": digest, "size": body.len()})
        }

        /// A two-layer image; returns its manifest digest.
        fn image(&self, unique: &str) -> String {
            let config = self.blob(format!("config {unique}").as_bytes());
            let base = self.blob(b"base layer");
            let top = self.blob(format!("top {unique}").as_bytes());
            let body = serde_json::to_vec(&serde_json::json!({
                "schemaVersion": 2,
                "mediaType": oci_client::manifest::IMAGE_MANIFEST_MEDIA_TYPE,
                "config": config,
                "layers": [base, top],
            }))
            .unwrap();
            let digest = sha(&body);
            self.manifests
                .lock()
                .unwrap()
                .insert(digest.clone(), body.into());
            digest
        }
    }

    impl Remote for Fake {
        fn host(&self) -> &str {
            &self.host
        }
        fn repository(&self) -> &str {
            &self.repository
        }
        async fn manifest(&self, digest: &str) -> Result<bytes::Bytes, OciDistributionError> {
            if let Some(tampered) = &self.tampered {
                return Ok(tampered.clone());
            }
            self.manifests
                .lock()
                .unwrap()
                .get(digest)
                .cloned()
                .ok_or_else(|| OciDistributionError::ImageManifestNotFoundError(digest.to_owned()))
        }
        async fn has_blob(&self, digest: &str) -> Result<bool, OciDistributionError> {
            Ok(self.blobs.lock().unwrap().contains_key(digest))
        }
        async fn mount(&self, digest: &str, _from: &str) -> Result<bool, OciDistributionError> {
            if self.decline_mounts {
                return Ok(false);
            }
            self.mounts.lock().unwrap().push(digest.to_owned());
            self.blobs
                .lock()
                .unwrap()
                .insert(digest.to_owned(), Vec::new());
            Ok(true)
        }
        async fn upload_from(
            &self,
            source: &Self,
            digest: &str,
            _size: u64,
            progress: &(dyn Fn(u64) + Sync),
        ) -> Result<(), OciDistributionError> {
            let body = source
                .blobs
                .lock()
                .unwrap()
                .get(digest)
                .cloned()
                .ok_or_else(|| {
                    OciDistributionError::GenericError(Some(format!("no blob {digest}")))
                })?;
            progress(body.len() as u64);
            self.uploads.lock().unwrap().push(digest.to_owned());
            self.blobs.lock().unwrap().insert(digest.to_owned(), body);
            Ok(())
        }
        async fn put_manifest(
            &self,
            reference: &str,
            body: bytes::Bytes,
            _media_type: &str,
        ) -> Result<(), OciDistributionError> {
            let mut manifests = self.manifests.lock().unwrap();
            manifests.insert(sha(&body), body.clone());
            manifests.insert(reference.to_owned(), body);
            Ok(())
        }
        async fn resolve(&self, reference: &str) -> Result<String, OciDistributionError> {
            if let Some(wrong) = &self.wrong_digest {
                return Ok(wrong.clone());
            }
            let manifests = self.manifests.lock().unwrap();
            manifests
                .get(reference)
                .map(|body| sha(body))
                .ok_or_else(|| {
                    OciDistributionError::ImageManifestNotFoundError(reference.to_owned())
                })
        }
    }

    #[derive(Default)]
    struct Seen(Mutex<Vec<(String, BlobOutcome)>>);

    impl CopyReporter for Seen {
        fn on_blob(&self, digest: &str, _: u64, outcome: BlobOutcome) {
            self.0.lock().unwrap().push((digest.to_owned(), outcome));
        }
        fn on_bytes(&self, _: u64, _: u64) {}
    }

    fn block_on<T>(future: impl Future<Output = T>) -> T {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(future)
    }

    #[test]
    fn a_copy_uploads_what_the_target_lacks_and_a_second_copy_nothing() {
        let source = Fake::new("127.0.0.1:5000", "team/app");
        let digest = source.image("one");
        let target = Fake::new("127.0.0.1:5001", "team/app");
        let first = block_on(copy_between(
            &source,
            &target,
            &digest,
            "abc",
            &NoCopyReporter,
        ))
        .expect("copies");
        assert_eq!((first.blobs_copied, first.blobs_existing), (3, 0));
        assert_eq!(first.digest, digest);
        let seen = Seen::default();
        let second = block_on(copy_between(&source, &target, &digest, "abc", &seen)).unwrap();
        assert_eq!((second.blobs_copied, second.blobs_existing), (0, 3));
        assert_eq!(second.bytes_copied, 0);
        assert!(
            seen.0
                .lock()
                .unwrap()
                .iter()
                .all(|(_, o)| *o == BlobOutcome::Existing)
        );
    }

    #[test]
    fn on_one_registry_blobs_are_mounted_and_uploaded_when_the_mount_is_declined() {
        let source = Fake::new("127.0.0.1:5000", "staging/app");
        let digest = source.image("one");
        let target = Fake::new("127.0.0.1:5000", "prod/app");
        let copied = block_on(copy_between(
            &source,
            &target,
            &digest,
            "t",
            &NoCopyReporter,
        ))
        .unwrap();
        assert_eq!((copied.blobs_mounted, copied.blobs_copied), (3, 0));
        assert!(target.uploads.lock().unwrap().is_empty());

        let declining = Fake {
            decline_mounts: true,
            ..Fake::new("127.0.0.1:5000", "prod/app")
        };
        let copied = block_on(copy_between(
            &source,
            &declining,
            &digest,
            "t",
            &NoCopyReporter,
        ))
        .unwrap();
        assert_eq!((copied.blobs_mounted, copied.blobs_copied), (0, 3));
    }

    #[test]
    fn a_target_that_answers_another_digest_fails_the_copy() {
        let source = Fake::new("127.0.0.1:5000", "team/app");
        let digest = source.image("one");
        let target = Fake {
            wrong_digest: Some(sha(b"other")),
            ..Fake::new("127.0.0.1:5001", "team/app")
        };
        let err = block_on(copy_between(
            &source,
            &target,
            &digest,
            "t",
            &NoCopyReporter,
        ))
        .unwrap_err();
        assert!(matches!(err, RegistryError::CopyMismatch { .. }), "{err}");
        assert!(
            err.to_string().contains("127.0.0.1:5001/team/app:t"),
            "{err}"
        );
    }

    #[test]
    fn a_source_manifest_that_does_not_match_its_digest_is_refused_before_any_upload() {
        let mut source = Fake::new("127.0.0.1:5000", "team/app");
        let digest = source.image("one");
        source.tampered = Some(bytes::Bytes::from_static(b"{\"schemaVersion\":2}"));
        let target = Fake::new("127.0.0.1:5001", "team/app");
        let err = block_on(copy_between(
            &source,
            &target,
            &digest,
            "t",
            &NoCopyReporter,
        ))
        .unwrap_err();
        assert!(matches!(err, RegistryError::CopyMismatch { .. }), "{err}");
        assert!(target.uploads.lock().unwrap().is_empty());
        assert!(target.manifests.lock().unwrap().is_empty());
    }

    #[test]
    fn an_index_is_copied_with_the_manifests_it_lists_first() {
        let source = Fake::new("127.0.0.1:5000", "team/app");
        let amd = source.image("amd64");
        let arm = source.image("arm64");
        let index = serde_json::to_vec(&serde_json::json!({
            "schemaVersion": 2,
            "mediaType": oci_client::manifest::OCI_IMAGE_INDEX_MEDIA_TYPE,
            "manifests": [
                {"mediaType": oci_client::manifest::IMAGE_MANIFEST_MEDIA_TYPE, "digest": amd, "size": 1},
                {"mediaType": oci_client::manifest::IMAGE_MANIFEST_MEDIA_TYPE, "digest": arm, "size": 1},
            ],
        }))
        .unwrap();
        let digest = sha(&index);
        source
            .manifests
            .lock()
            .unwrap()
            .insert(digest.clone(), index.into());
        let target = Fake::new("127.0.0.1:5001", "team/app");
        let copied = block_on(copy_between(
            &source,
            &target,
            &digest,
            "t",
            &NoCopyReporter,
        ))
        .unwrap();
        // The base layer is shared: uploaded once.
        assert_eq!((copied.manifests, copied.blobs_copied), (3, 5));
        let manifests = target.manifests.lock().unwrap();
        assert!(manifests.contains_key(&amd) && manifests.contains_key(&arm));
    }

    #[test]
    fn manifests_of_other_kinds_are_refused() {
        let body =
            br#"{"schemaVersion":2,"mediaType":"application/vnd.example.thing","config":{}}"#;
        assert!(parse_manifest(body).is_err());
        let body = br#"{"schemaVersion":2,"config":{"digest":"sha256:a","size":1},"layers":[]}"#;
        let (media_type, children) = parse_manifest(body).unwrap();
        assert_eq!(media_type, oci_client::manifest::OCI_IMAGE_MEDIA_TYPE);
        assert!(children.is_empty());
        assert_eq!(blobs_of(body).unwrap().len(), 1);
    }
}
