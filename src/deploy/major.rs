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
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::api::{Api, DeleteParams, ListParams, Patch, PatchParams, PropagationPolicy};
use serde::{Deserialize, Serialize};

use crate::component::backup as dump;
use crate::component::{Catalog, ComponentContext, claim_name, claim_template};
use crate::deploy::backup::{self, Backup, BackupError, Restored, TransferReporter};
use crate::deploy::components::{MajorChange, data_major};
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
    /// A major upgrade was cut short, and `--major` was not given to finish it.
    #[error("the major upgrade of component `{name}` from {from} to {to} did not finish; its data is in volume claim {claim} and in `{}`", file.display())]
    Unfinished {
        /// The component.
        name: String,
        /// The major version before.
        from: String,
        /// The major version it was moving to.
        to: String,
        /// The old claim, which holds the data.
        claim: String,
        /// The dump.
        file: PathBuf,
    },
    /// The note on the old claim could not be written or removed.
    #[error(
        "failed to {action} the upgrade note on volume claim `{claim}` in namespace `{namespace}`"
    )]
    Note {
        /// `write` or `remove`.
        action: &'static str,
        /// The claim.
        claim: String,
        /// The namespace.
        namespace: String,
        /// The cause.
        #[source]
        source: kube::Error,
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
            Self::Unfinished { name, from, to, .. } => format!(
                "run `paas up --major` to finish it (the dump is restored into {to}), or set `version` under `[components.{name}]` back to a {from} version and run `paas up --major` to go back to the kept data"
            ),
            Self::Note { .. } => "check that the cluster is reachable (`paas status`) and run `paas up --major` again".to_owned(),
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

/// What the old claim of a component says while its data moves ([`crate::labels::MAJOR_UPGRADE`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Note {
    to: String,
    file: PathBuf,
    bytes: u64,
    sha256: String,
    count: u64,
    unit: String,
}

/// The major version the data of `claim` is moving to, while an upgrade is not finished.
#[must_use]
pub fn moving_to(claim: &PersistentVolumeClaim) -> Option<String> {
    note_of(&claim.metadata).map(|note| note.to)
}

fn note_of(meta: &ObjectMeta) -> Option<Note> {
    let text = meta.annotations.as_ref()?.get(labels::MAJOR_UPGRADE)?;
    serde_json::from_str(text).ok()
}

/// Returns the upgrades of `components` that were cut short (the old claim still carries its
/// note) and that the rendered version is the target of: they are finished from their dump,
/// not backed up again.
pub async fn unfinished(
    client: &kube::Client,
    namespace: &str,
    app: &str,
    components: &[ComponentContext],
) -> Result<Vec<Upgrade>, MajorError> {
    let claims: Api<PersistentVolumeClaim> = Api::namespaced(client.clone(), namespace);
    let mut upgrades = Vec::new();
    for context in components {
        let name = &context.component.name;
        let listed = claims
            .list_metadata(&ListParams::default().labels(&labels::component_selector(app, name)))
            .await
            .map_err(|source| MajorError::Note {
                action: "read",
                claim: format!("of component `{name}`"),
                namespace: namespace.to_owned(),
                source,
            })?;
        let names: Vec<String> = listed
            .items
            .iter()
            .filter_map(|c| c.metadata.name.clone())
            .collect();
        let new_claim = claim_name(&context.claim_template, &context.name);
        for claim in &listed.items {
            let Some(note) = note_of(&claim.metadata) else {
                continue;
            };
            if note.to != context.component.major {
                continue;
            }
            let from = claim
                .metadata
                .labels
                .as_ref()
                .and_then(|l| l.get(labels::DATA_MAJOR))
                .cloned()
                .unwrap_or_default();
            upgrades.push(Upgrade {
                component: name.clone(),
                kind: context.component.kind.clone(),
                from,
                to: note.to,
                backup: Backup {
                    checksum_file: dump::checksum_path(&note.file),
                    file: note.file,
                    bytes: note.bytes,
                    sha256: note.sha256,
                },
                kept_claims: names.iter().filter(|c| **c != new_claim).cloned().collect(),
                reattached: None,
                count: note.count,
                unit: note.unit,
                restored: None,
                set: context.name.clone(),
            });
            break;
        }
    }
    Ok(upgrades)
}

impl Upgrade {
    /// The claim of the data before.
    #[must_use]
    pub fn old_claim(&self) -> String {
        claim_name(&claim_template(&self.from), &self.set)
    }

    /// The error of an upgrade that was cut short, for a deploy without `--major`.
    #[must_use]
    pub fn unfinished(&self) -> MajorError {
        MajorError::Unfinished {
            name: self.component.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            claim: self.old_claim(),
            file: self.backup.file.clone(),
        }
    }
}

/// Writes the upgrade's note on the old claim before anything changes, so that an upgrade cut
/// short (Ctrl-C, a lost connection) is finished by the next `paas up --major` from its dump.
pub async fn note(
    client: &kube::Client,
    namespace: &str,
    upgrade: &Upgrade,
) -> Result<(), MajorError> {
    let note = Note {
        to: upgrade.to.clone(),
        file: upgrade.backup.file.clone(),
        bytes: upgrade.backup.bytes,
        sha256: upgrade.backup.sha256.clone(),
        count: upgrade.count,
        unit: upgrade.unit.clone(),
    };
    let text = serde_json::to_string(&note).unwrap_or_default();
    annotate(
        client,
        namespace,
        &upgrade.old_claim(),
        Some(&text),
        "write",
    )
    .await
}

/// Removes the notes of every claim of the upgrade's component: the data moved.
async fn clear(
    client: &kube::Client,
    namespace: &str,
    app: &str,
    upgrade: &Upgrade,
) -> Result<(), MajorError> {
    let claims: Api<PersistentVolumeClaim> = Api::namespaced(client.clone(), namespace);
    let listed = claims
        .list_metadata(
            &ListParams::default().labels(&labels::component_selector(app, &upgrade.component)),
        )
        .await
        .map_err(|source| MajorError::Note {
            action: "remove",
            claim: format!("of component `{}`", upgrade.component),
            namespace: namespace.to_owned(),
            source,
        })?;
    for claim in listed.items {
        let noted = claim
            .metadata
            .annotations
            .as_ref()
            .is_some_and(|a| a.contains_key(labels::MAJOR_UPGRADE));
        if let (true, Some(name)) = (noted, claim.metadata.name) {
            annotate(client, namespace, &name, None, "remove").await?;
        }
    }
    Ok(())
}

async fn annotate(
    client: &kube::Client,
    namespace: &str,
    claim: &str,
    value: Option<&str>,
    action: &'static str,
) -> Result<(), MajorError> {
    let claims: Api<PersistentVolumeClaim> = Api::namespaced(client.clone(), namespace);
    let patch =
        serde_json::json!({ "metadata": { "annotations": { labels::MAJOR_UPGRADE: value } } });
    let params = PatchParams {
        field_manager: Some(crate::kube::FIELD_MANAGER.to_owned()),
        ..PatchParams::default()
    };
    claims
        .patch(claim, &params, &Patch::Merge(&patch))
        .await
        .map(|_| ())
        .map_err(|source| MajorError::Note {
            action,
            claim: claim.to_owned(),
            namespace: namespace.to_owned(),
            source,
        })
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
        let new_claim = claim_name(&change.claim_template, &change.set);
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
/// version never runs beside the old one on the same name. Returns whether an old one was
/// stopped (not when an upgrade cut short already runs the new version).
pub async fn replace(
    client: &kube::Client,
    namespace: &str,
    upgrade: &Upgrade,
    limit: Duration,
) -> Result<bool, MajorError> {
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
    // An upgrade cut short after the new version was applied keeps it: its data is restored.
    let live = sets.get_opt(&upgrade.set).await.map_err(failed)?;
    if live.as_ref().and_then(data_major).as_deref() == Some(upgrade.to.as_str()) {
        return Ok(false);
    }
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
            return Ok(true);
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
        return clear(client, namespace, app, upgrade).await;
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
    clear(client, namespace, app, upgrade).await
}
