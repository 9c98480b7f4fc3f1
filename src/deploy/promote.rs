//! `paas promote`: deploys the image of a recorded release of one environment to another,
//! with the other environment's values. Nothing is built and nothing goes through the Docker
//! Engine: when the environments use different registries or repositories the image is copied
//! registry to registry by digest ([`crate::registry::copy`]), then the rest is the `up`
//! pipeline after its push ([`pipeline::deploy_image`]), under the target's deploy lock.
//!
//! Only a release that rolled out can be promoted: `deployed`, or `superseded` (it ran, and a
//! later release replaced it). Nothing here prints.

use crate::deploy::events::UpEvent;
use crate::deploy::interrupt::Interrupt;
use crate::deploy::pipeline::{self, Origin, PinnedImage, UpError, UpPlan, UpReporter, UpResult};
use crate::deploy::release::{PromotedFrom, Release, ReleaseError, ReleaseStatus, ReleaseStore};
use crate::git::GitState;
use crate::registry::copy::{self, BlobOutcome, CopyReporter};
use crate::registry::{Credential, ImageRef};

/// Why a release cannot be promoted.
#[derive(Debug, thiserror::Error)]
pub enum PromoteError {
    /// The release asked for does not exist.
    #[error(
        "`{app}` has no release {revision} in environment `{environment}` (namespace `{namespace}`)"
    )]
    NoSuchRelease {
        /// The app.
        app: String,
        /// The source environment.
        environment: String,
        /// Its namespace.
        namespace: String,
        /// The release asked for.
        revision: u32,
    },
    /// No release is live in the source environment.
    #[error("`{app}` has no live release in environment `{environment}` (namespace `{namespace}`)")]
    NothingLive {
        /// The app.
        app: String,
        /// The source environment.
        environment: String,
        /// Its namespace.
        namespace: String,
    },
    /// The release did not roll out.
    #[error(
        "release {revision} of `{app}` in environment `{environment}` is {}, not a release that rolled out",
        status.as_str()
    )]
    NotSucceeded {
        /// The app.
        app: String,
        /// The source environment.
        environment: String,
        /// The release.
        revision: u32,
        /// How it ended.
        status: ReleaseStatus,
    },
    /// The release records no image digest.
    #[error(
        "release {revision} of `{app}` in environment `{environment}` records no image digest (`{image}`)"
    )]
    NoDigest {
        /// The app.
        app: String,
        /// The source environment.
        environment: String,
        /// The release.
        revision: u32,
        /// Its image as recorded.
        image: String,
    },
    /// The release records could not be read.
    #[error(transparent)]
    Release(#[from] ReleaseError),
}

/// The release to promote, and where it is.
#[derive(Debug, Clone)]
pub struct Source {
    /// The source environment.
    pub environment: String,
    /// Its namespace.
    pub namespace: String,
    /// The release.
    pub release: Release,
}

/// Reads the release of `app` to promote from the source environment's `store`: `revision`,
/// else the live one; refuses one that did not roll out or has no digest.
pub async fn source_release(
    store: &ReleaseStore,
    app: &str,
    environment: &str,
    namespace: &str,
    revision: Option<u32>,
) -> Result<Source, PromoteError> {
    let revision = match revision {
        Some(revision) => revision,
        None => store
            .list()
            .await?
            .iter()
            .rev()
            .find(|r| r.status == ReleaseStatus::Deployed)
            .map(|r| r.revision)
            .ok_or_else(|| PromoteError::NothingLive {
                app: app.to_owned(),
                environment: environment.to_owned(),
                namespace: namespace.to_owned(),
            })?,
    };
    let release = match store.get(revision).await {
        Ok(release) => release,
        Err(ReleaseError::NotFound { .. }) => {
            return Err(PromoteError::NoSuchRelease {
                app: app.to_owned(),
                environment: environment.to_owned(),
                namespace: namespace.to_owned(),
                revision,
            });
        }
        Err(err) => return Err(err.into()),
    };
    check(&release, environment)?;
    Ok(Source {
        environment: environment.to_owned(),
        namespace: namespace.to_owned(),
        release,
    })
}

/// Refuses a release that did not roll out, or that records no digest.
pub fn check(release: &Release, environment: &str) -> Result<(), PromoteError> {
    if !matches!(
        release.status,
        ReleaseStatus::Deployed | ReleaseStatus::Superseded
    ) {
        return Err(PromoteError::NotSucceeded {
            app: release.app.clone(),
            environment: environment.to_owned(),
            revision: release.revision,
            status: release.status,
        });
    }
    if release.digest.is_none() {
        return Err(PromoteError::NoDigest {
            app: release.app.clone(),
            environment: environment.to_owned(),
            revision: release.revision,
            image: release.image.clone(),
        });
    }
    Ok(())
}

/// Returns the description a promoted release records: `promoted from staging release 3`.
#[must_use]
pub fn description(environment: &str, revision: u32) -> String {
    format!("promoted from {environment} release {revision}")
}

/// Credentials of both registries of a promotion.
#[derive(Debug, Clone)]
pub struct Credentials {
    /// For the source image's registry.
    pub source: Credential,
    /// For the target's registry.
    pub target: Credential,
}

/// Deploys `source`'s image to the plan's environment: copies it to the plan's repository when
/// it is not there (same digest, checked), then deploys it as `up` does after its push, under
/// the target's deploy lock, recorded as "promoted from ENV release N" with the source's git
/// commit and digest.
pub async fn promote(
    client: &::kube::Client,
    plan: &UpPlan,
    source: &Source,
    credentials: &Credentials,
    reporter: &dyn UpReporter,
    interrupt: &Interrupt,
) -> Result<UpResult, UpError> {
    let release = &source.release;
    reporter.event(&UpEvent::Promoting {
        app: &release.app,
        environment: &source.environment,
        revision: release.revision,
        image: &release.image,
    });
    Box::pin(pipeline::locked(client, plan, reporter, async {
        let app = plan.context.app.name.clone();
        let (image, copied) = tokio::select! {
            copied = Box::pin(copy_image(plan, release, credentials, reporter)) => copied?,
            () = interrupt.wait() => return Err(UpError::Stopped { app, stage: "copy" }),
        };
        let origin = Origin {
            description: description(&source.environment, release.revision),
            promoted_from: Some(PromotedFrom {
                environment: source.environment.clone(),
                namespace: source.namespace.clone(),
                revision: release.revision,
                image: release.image.clone(),
            }),
        };
        let mut result = Box::pin(pipeline::deploy_image(
            client, plan, &image, &origin, reporter, interrupt,
        ))
        .await?;
        result.copy = copied;
        Ok(result)
    }))
    .await
}

/// Makes the release's image available in the plan's repository: copied there by digest when
/// it is in another registry or repository, else used as it is.
async fn copy_image(
    plan: &UpPlan,
    release: &Release,
    credentials: &Credentials,
    reporter: &dyn UpReporter,
) -> Result<(PinnedImage, Option<copy::Copied>), UpError> {
    let source = ImageRef::parse(&release.image)?;
    let digest = release
        .digest
        .clone()
        .or_else(|| source.digest().map(str::to_owned))
        .unwrap_or_default();
    let source = source.with_digest(&digest)?;
    let tag = source
        .tag()
        .map(str::to_owned)
        .or_else(|| release.git_commit.clone())
        .unwrap_or_else(|| format!("r{}", release.revision));
    let target = ImageRef::parse(&format!("{}:{tag}", plan.repository))?;
    let git = release.git_commit.clone().map(|commit| GitState {
        commit,
        dirty: release.git_dirty,
    });
    let same = source.registry_host() == target.registry_host()
        && source.repository() == target.repository();
    let copied = if same {
        None
    } else {
        crate::registry::check_reachable(&target, false).await?;
        let events = Events(reporter);
        let copied = copy::copy(
            &source,
            &credentials.source,
            &target,
            &credentials.target,
            &events,
        )
        .await?;
        Some(copied)
    };
    let pinned = target.with_digest(&digest)?.to_string();
    if let Some(copied) = &copied {
        reporter.event(&UpEvent::Copied {
            image: &pinned,
            copied,
        });
    }
    Ok((
        PinnedImage {
            image: pinned,
            digest,
            tag,
            git,
            built: false,
            layers_pushed: copied
                .as_ref()
                .map_or(0, |c| c.blobs_copied + c.blobs_mounted),
            layers_existing: copied.as_ref().map_or(0, |c| c.blobs_existing),
        },
        copied,
    ))
}

/// A copy's progress as the deploy's events.
struct Events<'a>(&'a dyn UpReporter);

impl CopyReporter for Events<'_> {
    fn on_blob(&self, digest: &str, size: u64, outcome: BlobOutcome) {
        self.0.event(&UpEvent::BlobCopied {
            digest,
            size,
            outcome,
        });
    }

    fn on_bytes(&self, sent: u64, size: u64) {
        self.0.copy_progress(sent, size);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn release(status: ReleaseStatus, digest: Option<&str>) -> Release {
        Release {
            app: "web".into(),
            revision: 3,
            status,
            description: "up".into(),
            image: "127.0.0.1:5000/team/web:3f2a1c9@sha256:00".into(),
            digest: digest.map(str::to_owned),
            git_commit: Some("3f2a1c9".into()),
            git_dirty: false,
            user: "dev@host".into(),
            created: "2026-12-03T10:00:00Z".into(),
            finished: None,
            environment: Some("staging".into()),
            manifests: String::new(),
            declared: None,
            promoted_from: None,
        }
    }

    #[test]
    fn only_releases_that_rolled_out_are_promoted() {
        for status in [ReleaseStatus::Deployed, ReleaseStatus::Superseded] {
            assert!(check(&release(status, Some("sha256:00")), "staging").is_ok());
        }
        for status in [
            ReleaseStatus::Failed,
            ReleaseStatus::RolledBack,
            ReleaseStatus::Pending,
            ReleaseStatus::Interrupted,
        ] {
            let err = check(&release(status, Some("sha256:00")), "staging").unwrap_err();
            assert_eq!(
                err.to_string(),
                format!(
                    "release 3 of `web` in environment `staging` is {}, not a release that rolled out",
                    status.as_str()
                )
            );
        }
        let err = check(&release(ReleaseStatus::Deployed, None), "staging").unwrap_err();
        assert!(matches!(err, PromoteError::NoDigest { .. }), "{err}");
    }

    #[test]
    fn the_description_names_the_source() {
        assert_eq!(description("staging", 1), "promoted from staging release 1");
    }
}
