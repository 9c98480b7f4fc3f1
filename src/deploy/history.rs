//! What `paas history` lists: every recorded release of an app, oldest first, read in full
//! (at once) so that each row can say who deployed which commit and digest. Nothing here
//! prints.

use futures_util::future::join_all;
use serde::Serialize;

use crate::deploy::release::{ReleaseError, ReleaseStatus, ReleaseStore};

/// One release as `paas history` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryEntry {
    /// The revision.
    pub revision: u32,
    /// Whether it is the live release (status `deployed`).
    pub live: bool,
    /// How it ended.
    pub status: ReleaseStatus,
    /// When it ended, else when it started (RFC 3339).
    pub updated: String,
    /// When it started (RFC 3339).
    pub created: String,
    /// Who deployed: `user@host pid N`.
    pub user: String,
    /// The git commit the image was built from.
    pub git_commit: Option<String>,
    /// Whether the work tree had uncommitted changes.
    pub git_dirty: bool,
    /// The image deployed.
    pub image: String,
    /// Its manifest digest.
    pub digest: Option<String>,
    /// What it was: `up`, `rollback to 2`.
    pub description: String,
    /// The environment of `paas.toml`, if any.
    pub environment: Option<String>,
    /// The release of another environment whose image it deploys (`paas promote`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub promoted_from: Option<crate::deploy::release::PromotedFrom>,
}

impl From<crate::deploy::release::Release> for HistoryEntry {
    fn from(release: crate::deploy::release::Release) -> Self {
        Self {
            revision: release.revision,
            live: release.status == ReleaseStatus::Deployed,
            status: release.status,
            updated: release
                .finished
                .clone()
                .unwrap_or_else(|| release.created.clone()),
            created: release.created,
            user: release.user,
            git_commit: release.git_commit,
            git_dirty: release.git_dirty,
            image: release.image,
            digest: release.digest,
            description: release.description,
            environment: release.environment,
            promoted_from: release.promoted_from,
        }
    }
}

/// The releases of one app, as `--output json` prints them.
#[derive(Debug, Clone, Serialize)]
pub struct History {
    /// The app.
    pub app: String,
    /// The namespace.
    pub namespace: String,
    /// The releases, oldest first.
    pub releases: Vec<HistoryEntry>,
}

/// Reads every release of the app in `store`, oldest first. A record deleted between the
/// listing and the read (history pruned by a concurrent deploy) is left out.
pub async fn history(
    store: &ReleaseStore,
    app: &str,
    namespace: &str,
) -> Result<History, ReleaseError> {
    let summaries = store.list().await?;
    let records = join_all(summaries.iter().map(|s| store.get(s.revision))).await;
    let mut releases = Vec::new();
    for record in records {
        let release = match record {
            Ok(release) => release,
            Err(ReleaseError::NotFound { .. }) => continue,
            Err(err) => return Err(err),
        };
        releases.push(HistoryEntry::from(release));
    }
    Ok(History {
        app: app.to_owned(),
        namespace: namespace.to_owned(),
        releases,
    })
}
