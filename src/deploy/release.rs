//! Releases: every deploy of an app recorded in the cluster, as Helm does, so that history,
//! rollback and "what is live" never depend on the machine that deployed.
//!
//! A release is a Secret of type [`RELEASE_TYPE`] named `paas-release.<app>.v<revision>`
//! in the app's namespace. Its labels carry what listing needs (app, revision, status) and
//! its data one gzip-compressed JSON document: the rendered manifests, the image and digest,
//! the git commit, who deployed and when, and how it ended. The manifests keep no Secret
//! values ([`crate::redact::strip_record`]). Release Secrets carry
//! `paas.dev/release-of`, never `paas.dev/app`, so pruning the app's objects never touches
//! its history.

use std::collections::BTreeMap;
use std::io::{Read as _, Write as _};

use ::kube::Api;
use ::kube::api::{DeleteParams, ListParams, Patch, PatchParams, PostParams};
use k8s_openapi::ByteString;
use k8s_openapi::api::core::v1::Secret;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::{Deserialize, Serialize};

use crate::deploy::scale::Scale;
use crate::manifests;

pub use crate::labels::{RELEASE_OF, RELEASE_TYPE, REVISION, STATUS};
/// The data key of the compressed record.
const DATA_KEY: &str = "release.json.gz";
/// How many releases are kept unless the caller says otherwise.
pub const DEFAULT_HISTORY: usize = 10;

/// How a release ended, or that it has not yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReleaseStatus {
    /// Being applied or rolled out.
    Pending,
    /// Rolled out, and live.
    Deployed,
    /// Rolled out once; a later release replaced it.
    Superseded,
    /// The rollout failed.
    Failed,
    /// Failed, and the previous release was put back (`--atomic`).
    RolledBack,
    /// Left pending by a deploy that stopped (killed, or its lock lost); marked so by the
    /// next one to take the lock.
    Interrupted,
}

impl ReleaseStatus {
    /// Returns the label value.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Deployed => "deployed",
            Self::Superseded => "superseded",
            Self::Failed => "failed",
            Self::RolledBack => "rolled-back",
            Self::Interrupted => "interrupted",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        [
            Self::Pending,
            Self::Deployed,
            Self::Superseded,
            Self::Failed,
            Self::RolledBack,
            Self::Interrupted,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// One recorded deploy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Release {
    /// The app.
    pub app: String,
    /// The revision, from 1.
    pub revision: u32,
    /// How it ended.
    pub status: ReleaseStatus,
    /// What it was: `up`, `rollback to 2`.
    pub description: String,
    /// The image reference deployed (by digest when known).
    pub image: String,
    /// The image's manifest digest.
    pub digest: Option<String>,
    /// The git commit the image was built from.
    pub git_commit: Option<String>,
    /// Whether the work tree had uncommitted changes.
    pub git_dirty: bool,
    /// Who deployed: `user@host`.
    pub user: String,
    /// When it started (RFC 3339).
    pub created: String,
    /// When it ended (RFC 3339).
    pub finished: Option<String>,
    /// The environment of `paas.toml`, if any.
    pub environment: Option<String>,
    /// The rendered manifests, as one YAML stream.
    pub manifests: String,
    /// The scale `paas.toml` declared (the manifests carry the scale applied, which may be
    /// the live one); absent in records of older versions.
    #[serde(default)]
    pub declared: Option<Scale>,
    /// The release of another environment whose image this one deploys (`paas promote`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promoted_from: Option<PromotedFrom>,
}

/// Where a promoted release's image comes from: a release of another environment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromotedFrom {
    /// The source environment (`[env.NAME]`).
    pub environment: String,
    /// Its namespace.
    pub namespace: String,
    /// The source release.
    pub revision: u32,
    /// The image as the source release deployed it, pinned by digest.
    pub image: String,
}

impl Release {
    /// Returns the scale `paas.toml` declared for this release.
    #[must_use]
    pub fn declared_scale(&self) -> Scale {
        self.declared.unwrap_or_else(|| {
            manifests::parse_rendered(&self.manifests, "release")
                .map(|m| Scale::declared(&m))
                .unwrap_or_default()
        })
    }
}

/// A release as listed: what its labels and metadata say, without decoding its data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseSummary {
    /// The revision.
    pub revision: u32,
    /// The status.
    pub status: ReleaseStatus,
    /// The Secret's name.
    pub name: String,
}

/// Why release records could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum ReleaseError {
    /// The API call failed.
    #[error("failed to {action} release records of `{app}` in namespace `{namespace}`")]
    Api {
        /// What was being done.
        action: &'static str,
        /// The app.
        app: String,
        /// The namespace.
        namespace: String,
        /// The cause.
        #[source]
        source: Box<::kube::Error>,
    },
    /// Another deploy recorded the same revision first.
    #[error("release {revision} of `{app}` was recorded by another deploy at the same time")]
    Conflict {
        /// The app.
        app: String,
        /// The revision.
        revision: u32,
    },
    /// No release has this revision.
    #[error("`{app}` has no release {revision}")]
    NotFound {
        /// The app.
        app: String,
        /// The revision.
        revision: u32,
    },
    /// The record cannot be decoded.
    #[error("release record `{name}` is damaged: {message}")]
    Damaged {
        /// The Secret.
        name: String,
        /// What is wrong.
        message: String,
    },
}

/// Reads and writes the release records of one app in one namespace.
#[derive(Clone)]
pub struct ReleaseStore {
    api: Api<Secret>,
    app: String,
    namespace: String,
}

impl ReleaseStore {
    /// Makes a store for `app` in `namespace`.
    #[must_use]
    pub fn new(client: ::kube::Client, namespace: &str, app: &str) -> Self {
        Self {
            api: Api::namespaced(client, namespace),
            app: app.to_owned(),
            namespace: namespace.to_owned(),
        }
    }

    fn error(&self, action: &'static str) -> impl FnOnce(::kube::Error) -> ReleaseError + '_ {
        move |source| ReleaseError::Api {
            action,
            app: self.app.clone(),
            namespace: self.namespace.clone(),
            source: Box::new(source),
        }
    }

    /// Returns the Secret name of a revision.
    #[must_use]
    pub fn secret_name(&self, revision: u32) -> String {
        format!("paas-release.{}.v{revision}", self.app)
    }

    /// Returns every Secret that is one of the app's release records: of type
    /// [`RELEASE_TYPE`] and labelled both as paas's and as the app's, whatever its other
    /// labels say (also a record whose revision or status label is damaged).
    async fn records(&self) -> Result<Vec<Secret>, ReleaseError> {
        let params = ListParams::default().labels(&crate::labels::release_selector(&self.app));
        let secrets = self.api.list(&params).await.map_err(self.error("list"))?;
        Ok(secrets
            .items
            .into_iter()
            .filter(|s| s.type_.as_deref() == Some(RELEASE_TYPE))
            .collect())
    }

    /// Returns the Secret names of every release record of the app ([`ReleaseStore::list`]
    /// skips records with damaged labels; this does not), sorted.
    pub async fn record_names(&self) -> Result<Vec<String>, ReleaseError> {
        let mut names: Vec<String> = self
            .records()
            .await?
            .into_iter()
            .filter_map(|s| s.metadata.name)
            .collect();
        names.sort();
        Ok(names)
    }

    /// Lists the app's releases, oldest first.
    pub async fn list(&self) -> Result<Vec<ReleaseSummary>, ReleaseError> {
        let mut releases: Vec<ReleaseSummary> = self
            .records()
            .await?
            .into_iter()
            .filter_map(|secret| {
                let labels = secret.metadata.labels.as_ref()?;
                Some(ReleaseSummary {
                    revision: labels.get(REVISION)?.parse().ok()?,
                    status: ReleaseStatus::parse(labels.get(STATUS)?)?,
                    name: secret.metadata.name.clone()?,
                })
            })
            .collect();
        releases.sort_by_key(|r| r.revision);
        Ok(releases)
    }

    /// Returns the next free revision number.
    pub async fn next_revision(&self) -> Result<u32, ReleaseError> {
        Ok(self.list().await?.last().map_or(1, |r| r.revision + 1))
    }

    /// Reads one release in full.
    pub async fn get(&self, revision: u32) -> Result<Release, ReleaseError> {
        let name = self.secret_name(revision);
        let secret = self
            .api
            .get_opt(&name)
            .await
            .map_err(self.error("read"))?
            .ok_or_else(|| ReleaseError::NotFound {
                app: self.app.clone(),
                revision,
            })?;
        decode(&secret)
    }

    /// Records a new release. Fails with [`ReleaseError::Conflict`] when another deploy
    /// recorded the same revision first.
    pub async fn create(&self, release: &Release) -> Result<(), ReleaseError> {
        let secret = encode(self, release)?;
        match self.api.create(&PostParams::default(), &secret).await {
            Ok(_) => Ok(()),
            Err(::kube::Error::Api(status)) if status.is_already_exists() => {
                Err(ReleaseError::Conflict {
                    app: self.app.clone(),
                    revision: release.revision,
                })
            }
            Err(source) => Err(self.error("create")(source)),
        }
    }

    /// Rewrites a release (its status, end time…).
    pub async fn update(&self, release: &Release) -> Result<(), ReleaseError> {
        let secret = encode(self, release)?;
        let name = self.secret_name(release.revision);
        let patch = serde_json::json!({
            "metadata": { "labels": secret.metadata.labels },
            "data": secret.data,
        });
        self.api
            .patch(&name, &PatchParams::default(), &Patch::Merge(&patch))
            .await
            .map_err(self.error("update"))?;
        Ok(())
    }

    /// Marks every `deployed` release other than `live` as `superseded`.
    pub async fn supersede_others(&self, live: u32) -> Result<(), ReleaseError> {
        for summary in self.list().await? {
            if summary.revision != live && summary.status == ReleaseStatus::Deployed {
                let mut release = self.get(summary.revision).await?;
                release.status = ReleaseStatus::Superseded;
                self.update(&release).await?;
            }
        }
        Ok(())
    }

    /// Marks every `pending` release as `interrupted`: called by whoever takes the deploy
    /// lock, so a pending record is one being worked on now. Returns the revisions marked.
    pub async fn interrupt_pending(&self) -> Result<Vec<u32>, ReleaseError> {
        let mut marked = Vec::new();
        for summary in self.list().await? {
            if summary.status == ReleaseStatus::Pending {
                let mut release = self.get(summary.revision).await?;
                release.status = ReleaseStatus::Interrupted;
                self.update(&release).await?;
                marked.push(summary.revision);
            }
        }
        Ok(marked)
    }

    /// Returns the newest release that rolled out (deployed or superseded), other than `except`.
    pub async fn last_good(&self, except: Option<u32>) -> Result<Option<Release>, ReleaseError> {
        let releases = self.list().await?;
        let good = releases.iter().rev().find(|r| {
            Some(r.revision) != except
                && matches!(
                    r.status,
                    ReleaseStatus::Deployed | ReleaseStatus::Superseded
                )
        });
        match good {
            Some(summary) => Ok(Some(self.get(summary.revision).await?)),
            None => Ok(None),
        }
    }

    /// Deletes the oldest records beyond `keep`, never the live one. Returns the revisions
    /// deleted.
    pub async fn prune_history(&self, keep: usize) -> Result<Vec<u32>, ReleaseError> {
        let releases = self.list().await?;
        let excess = releases.len().saturating_sub(keep.max(1));
        let mut deleted = Vec::new();
        for summary in releases.iter().take(excess) {
            if summary.status == ReleaseStatus::Deployed {
                continue;
            }
            match self
                .api
                .delete(&summary.name, &DeleteParams::default())
                .await
            {
                Ok(_) => deleted.push(summary.revision),
                Err(::kube::Error::Api(status)) if status.is_not_found() => {}
                Err(source) => return Err(self.error("delete")(source)),
            }
        }
        Ok(deleted)
    }
}

fn encode(store: &ReleaseStore, release: &Release) -> Result<Secret, ReleaseError> {
    let damaged = |message: String| ReleaseError::Damaged {
        name: store.secret_name(release.revision),
        message,
    };
    // A record never keeps Secret values: they are left out here, the one place records are
    // written, and a rollback takes them from the live Secret.
    let release = &Release {
        manifests: crate::redact::strip_record(&release.manifests).map_err(damaged)?,
        ..release.clone()
    };
    let json = serde_json::to_vec(release).map_err(|err| damaged(err.to_string()))?;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder
        .write_all(&json)
        .map_err(|err| damaged(err.to_string()))?;
    let compressed = encoder.finish().map_err(|err| damaged(err.to_string()))?;
    let labels =
        crate::labels::release_labels(&release.app, release.revision, release.status.as_str());
    let mut data = BTreeMap::new();
    data.insert(DATA_KEY.to_owned(), ByteString(compressed));
    Ok(Secret {
        metadata: ObjectMeta {
            name: Some(store.secret_name(release.revision)),
            namespace: Some(store.namespace.clone()),
            labels: Some(labels),
            ..ObjectMeta::default()
        },
        type_: Some(RELEASE_TYPE.to_owned()),
        data: Some(data),
        ..Secret::default()
    })
}

fn decode(secret: &Secret) -> Result<Release, ReleaseError> {
    let name = secret.metadata.name.clone().unwrap_or_default();
    let damaged = |message: &str| ReleaseError::Damaged {
        name: name.clone(),
        message: message.to_owned(),
    };
    let bytes = secret
        .data
        .as_ref()
        .and_then(|d| d.get(DATA_KEY))
        .ok_or_else(|| damaged("no `release.json.gz` key"))?;
    let mut json = Vec::new();
    flate2::read::GzDecoder::new(bytes.0.as_slice())
        .read_to_end(&mut json)
        .map_err(|err| damaged(&err.to_string()))?;
    serde_json::from_slice(&json).map_err(|err| damaged(&err.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Release {
        Release {
            app: "web".into(),
            revision: 3,
            status: ReleaseStatus::Deployed,
            description: "up".into(),
            image: "127.0.0.1:5000/web@sha256:00".into(),
            digest: Some("sha256:00".into()),
            git_commit: Some("3f2a1c9".into()),
            git_dirty: false,
            user: "dev@host".into(),
            created: "2026-11-27T10:00:00Z".into(),
            finished: None,
            environment: None,
            manifests: "---\nkind: Service\n".repeat(200),
            declared: None,
            promoted_from: None,
        }
    }

    #[test]
    fn records_round_trip_compressed() {
        let client_free_store = |app: &str| (app.to_owned(), "ns".to_owned());
        let (app, namespace) = client_free_store("web");
        let release = sample();
        let json = serde_json::to_vec(&release).unwrap();
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(&json).unwrap();
        let compressed = encoder.finish().unwrap();
        assert!(
            compressed.len() * 5 < json.len(),
            "the record is compressed"
        );
        let mut data = BTreeMap::new();
        data.insert(DATA_KEY.to_owned(), ByteString(compressed));
        let secret = Secret {
            metadata: ObjectMeta {
                name: Some(format!("paas-release.{app}.v3")),
                namespace: Some(namespace),
                ..ObjectMeta::default()
            },
            data: Some(data),
            ..Secret::default()
        };
        assert_eq!(decode(&secret).unwrap(), release);
    }

    #[test]
    fn damaged_records_are_named() {
        let secret = Secret {
            metadata: ObjectMeta {
                name: Some("x".into()),
                ..ObjectMeta::default()
            },
            ..Secret::default()
        };
        assert!(decode(&secret).unwrap_err().to_string().contains("`x`"));
    }

    #[test]
    fn statuses_round_trip_as_labels() {
        for status in [
            ReleaseStatus::Pending,
            ReleaseStatus::Deployed,
            ReleaseStatus::Superseded,
            ReleaseStatus::Failed,
            ReleaseStatus::RolledBack,
            ReleaseStatus::Interrupted,
        ] {
            assert_eq!(ReleaseStatus::parse(status.as_str()), Some(status));
        }
    }
}
