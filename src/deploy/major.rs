//! `paas up --major`: a component moved to another major version as backup, new instance,
//! restore, switch. A new image cannot read the data of an older major version, so the data
//! travels as a dump: it is taken from the running instance, the `StatefulSet` is replaced (its
//! volume claim template, named after the major version, cannot change in place), the new
//! version starts on a new, empty volume, and the dump is restored into it before the app rolls
//! out. Nothing is deleted: the old volume claim stays (going back to the old version uses it
//! again) and the dump stays in the backup folder.

use std::path::{Path, PathBuf};
use std::time::Duration;

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Pod};
use kube::api::{Api, DeleteParams, ListParams, PropagationPolicy};
use serde::Serialize;

use crate::component::Catalog;
use crate::component::backup as dump;
use crate::deploy::backup::{self, Backup, BackupError, Restored, TransferReporter};
use crate::deploy::components::MajorChange;
use crate::labels;

/// A component on its way to another major version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Upgrade {
    /// The component.
    pub component: String,
    /// Its kind.
    pub kind: String,
    /// The major version of the data before.
    pub from: String,
    /// The major version after.
    pub to: String,
    /// The dump of the data before.
    pub backup: Backup,
    /// The volume claims of other major versions, kept.
    pub kept_claims: Vec<String>,
    /// The claim of the new major version, when it exists from before (the component ran that
    /// version once): its data is used again and nothing is restored.
    pub reattached: Option<String>,
    /// What the kind's check counted in the data before.
    pub count: u64,
    /// What it counts (`keys`, `tables`, `collections`).
    pub unit: String,
    /// What the restore put in the new instance.
    pub restored: Option<Restored>,
    #[serde(skip)]
    set: String,
}

/// Why a major upgrade stopped.
#[derive(Debug, thiserror::Error)]
pub enum MajorError {
    /// The data could not be backed up: nothing was changed.
    #[error(
        "the major upgrade of component `{name}` needs a backup of its data, which failed; nothing was changed"
    )]
    Backup {
        /// The component.
        name: String,
        /// The cause.
        #[source]
        source: BackupError,
    },
    /// The backup folder could not be made.
    #[error("failed to create the backup folder `{}`", dir.display())]
    Folder {
        /// The folder.
        dir: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The old `StatefulSet` could not be replaced.
    #[error(
        "failed to replace statefulset `{set}` of component `{name}` in namespace `{namespace}`"
    )]
    Replace {
        /// How to go back to the old version.
        back: String,
        /// The component.
        name: String,
        /// Its `StatefulSet`.
        set: String,
        /// The namespace.
        namespace: String,
        /// The cause.
        #[source]
        source: kube::Error,
    },
    /// The old pod did not go away in time.
    #[error("the pod of component `{name}` was still there after {}s; the old version's data is untouched", limit.as_secs())]
    StillRunning {
        /// How to go back to the old version.
        back: String,
        /// The component.
        name: String,
        /// How long paas waited.
        limit: Duration,
    },
    /// The dump could not be restored into the new instance.
    #[error("component `{name}` runs {to} now, but the restore of `{}` into it failed", file.display())]
    Restore {
        /// How to go back to the old version.
        back: String,
        /// The component.
        name: String,
        /// The new major version.
        to: String,
        /// The dump.
        file: PathBuf,
        /// The cause.
        #[source]
        source: BackupError,
    },
    /// The new instance holds another count than the old one did.
    #[error("component `{name}` held {before} {unit} before the upgrade and {after} after the restore of `{}`", file.display())]
    Count {
        /// How to go back to the old version.
        back: String,
        /// The component.
        name: String,
        /// The count before.
        before: u64,
        /// The count after.
        after: u64,
        /// What was counted.
        unit: String,
        /// The dump.
        file: PathBuf,
    },
}

impl MajorError {
    /// What to try next.
    #[must_use]
    pub fn hint(&self) -> String {
        match self {
            Self::Backup { source, .. } => source
                .hint()
                .unwrap_or_else(|| "fix the cause and run `paas up --major` again".to_owned()),
            Self::Folder { .. } => "name a folder paas can write with `--backup-dir`".to_owned(),
            Self::Replace { back, .. } | Self::StillRunning { back, .. } => {
                format!("run `paas up --major` again; {back}")
            }
            Self::Restore {
                name, file, back, ..
            }
            | Self::Count {
                name, file, back, ..
            } => {
                format!(
                    "fix the cause, then `paas restore {name} {}`; {back}",
                    file.display()
                )
            }
        }
    }
}

/// How to go back to the version before `upgrade`: its claim and dump are kept.
fn back(upgrade: &Upgrade) -> String {
    format!(
        "the data of {} is untouched in volume claim {} and in `{}`: to go back, set `version` under `[components.{}]` to a {} version and run `paas up --major` (the kept claim is used again)",
        upgrade.from,
        upgrade.kept_claims.join(", "),
        upgrade.backup.file.display(),
        upgrade.component,
        upgrade.from
    )
}

/// Backs up each component of `changes` into `dir` before anything changes. A component that
/// is not running and ready cannot be backed up, and stops the upgrade.
pub async fn back_up(
    client: &kube::Client,
    namespace: &str,
    app: &str,
    changes: &[MajorChange],
    catalog: &Catalog,
    dir: &Path,
    reporter: &dyn TransferReporter,
) -> Result<Vec<Upgrade>, MajorError> {
    let mut upgrades = Vec::new();
    for change in changes {
        let failed = |source| MajorError::Backup {
            name: change.name.clone(),
            source,
        };
        let target = backup::target(client, namespace, app, &change.name)
            .await
            .map_err(failed)?;
        let spec = backup::spec(catalog, &target).map_err(failed)?;
        let claims: Api<PersistentVolumeClaim> = Api::namespaced(client.clone(), namespace);
        let existing: Vec<String> = claims
            .list_metadata(
                &ListParams::default().labels(&labels::component_selector(app, &change.name)),
            )
            .await
            .map_err(|source| {
                failed(BackupError::Api {
                    action: format!("list the volume claims of component `{}`", change.name),
                    namespace: namespace.to_owned(),
                    source,
                })
            })?
            .items
            .into_iter()
            .filter_map(|c| c.metadata.name)
            .collect();
        let new_claim = format!("{}-{}-0", change.claim_template, change.set);
        let reattached = existing.contains(&new_claim).then(|| new_claim.clone());
        let kept_claims = existing.into_iter().filter(|c| *c != new_claim).collect();
        fs_err::create_dir_all(dir).map_err(|source| MajorError::Folder {
            dir: dir.to_owned(),
            source,
        })?;
        let file = dir.join(dump::default_file(
            app,
            &change.name,
            spec,
            k8s_openapi::jiff::Timestamp::now(),
        ));
        let count = backup::count(client, namespace, &target, spec)
            .await
            .map_err(failed)?;
        let done = backup::backup(client, namespace, &target, spec, &file, reporter)
            .await
            .map_err(failed)?;
        upgrades.push(Upgrade {
            component: change.name.clone(),
            kind: change.kind.clone(),
            from: change.from.clone(),
            to: change.to.clone(),
            backup: done,
            kept_claims,
            reattached,
            count,
            unit: spec.verify_unit.clone(),
            restored: None,
            set: change.set.clone(),
        });
    }
    Ok(upgrades)
}

/// How often the old pod's end is looked for.
const POLL: Duration = Duration::from_millis(500);

/// Deletes the component's `StatefulSet` (its volume claims stay: their retention policy says
/// so, and paas never deletes them here) and waits until its pod is gone, so that the new
/// version never runs beside the old one on the same name.
pub async fn replace(
    client: &kube::Client,
    namespace: &str,
    upgrade: &Upgrade,
    limit: Duration,
) -> Result<(), MajorError> {
    let sets: Api<StatefulSet> = Api::namespaced(client.clone(), namespace);
    let pods: Api<Pod> = Api::namespaced(client.clone(), namespace);
    let failed = |source| MajorError::Replace {
        back: back(upgrade),
        name: upgrade.component.clone(),
        set: upgrade.set.clone(),
        namespace: namespace.to_owned(),
        source,
    };
    let params = DeleteParams {
        propagation_policy: Some(PropagationPolicy::Foreground),
        ..DeleteParams::default()
    };
    match sets.delete(&upgrade.set, &params).await {
        Ok(_) => {}
        Err(kube::Error::Api(status)) if status.code == 404 => {}
        Err(err) => return Err(failed(err)),
    }
    let pod = format!("{}-0", upgrade.set);
    let started = tokio::time::Instant::now();
    loop {
        let set = sets.get_opt(&upgrade.set).await.map_err(failed)?;
        let running = pods.get_opt(&pod).await.map_err(failed)?;
        if set.is_none() && running.is_none() {
            return Ok(());
        }
        if started.elapsed() >= limit {
            return Err(MajorError::StillRunning {
                back: back(upgrade),
                name: upgrade.component.clone(),
                limit,
            });
        }
        tokio::time::sleep(POLL).await;
    }
}

/// Restores the dump into the new, ready instance and verifies it; a reattached claim already
/// holds its data and gets nothing.
pub async fn restore(
    client: &kube::Client,
    namespace: &str,
    app: &str,
    upgrade: &mut Upgrade,
    catalog: &Catalog,
    reporter: &dyn TransferReporter,
) -> Result<(), MajorError> {
    if upgrade.reattached.is_some() {
        return Ok(());
    }
    let failed = |source| MajorError::Restore {
        back: back(upgrade),
        name: upgrade.component.clone(),
        to: upgrade.to.clone(),
        file: upgrade.backup.file.clone(),
        source,
    };
    let target = backup::target(client, namespace, app, &upgrade.component)
        .await
        .map_err(failed)?;
    let spec = backup::spec(catalog, &target).map_err(failed)?;
    let file = &upgrade.backup.file;
    let checked = backup::check_file(file, &file.display().to_string(), &target, catalog)
        .await
        .map_err(failed)?;
    let restored = backup::restore(client, namespace, &target, spec, &checked, reporter)
        .await
        .map_err(failed)?;
    if restored.count != upgrade.count {
        return Err(MajorError::Count {
            back: back(upgrade),
            name: upgrade.component.clone(),
            before: upgrade.count,
            after: restored.count,
            unit: restored.unit,
            file: file.clone(),
        });
    }
    upgrade.restored = Some(restored);
    Ok(())
}
