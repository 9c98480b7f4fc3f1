//! `paas down`: delete everything an app owns in a namespace, selected by kind and by both of
//! paas's labels only: the objects `paas up` applied, their pods (through the Deployment),
//! the release records (Secrets of paas's release type carrying paas's and the app's labels)
//! unless kept, and the deploy lock. Volumes (persistent volume claims carrying the app's
//! labels) only when asked, because deleting them deletes data; the same holds for the
//! components' passwords and the app's own Secret (`paas secret`), which hold what cannot be
//! made again. A dry run lists exactly what a real run deletes, records and lock included.

use std::time::{Duration, Instant};

use ::kube::api::{DeleteParams, DynamicObject, ListParams};
use ::kube::core::ApiResource;
use ::kube::{Api, Client};
use k8s_openapi::api::apps::v1::ReplicaSet;
use k8s_openapi::api::coordination::v1::Lease;
use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Pod, Secret};
use serde::Serialize;

use crate::deploy::apply::prunable_kinds;
use crate::deploy::lock::{DeployLock, lease_name};
use crate::deploy::release::ReleaseStore;

/// What to delete.
#[derive(Debug, Clone)]
pub struct DownPlan {
    /// The app.
    pub app: String,
    /// The namespace.
    pub namespace: String,
    /// Also delete the app's persistent volume claims.
    pub volumes: bool,
    /// Keep the release records.
    pub keep_history: bool,
    /// List only.
    pub dry_run: bool,
    /// Who deletes (for the lock).
    pub user: String,
    /// How long to wait for the pods to go.
    pub timeout: Duration,
}

/// What was (or, in a dry run, would be) deleted.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DownResult {
    /// The app.
    pub app: String,
    /// The namespace.
    pub namespace: String,
    /// `kind/name` of every object deleted.
    pub deleted: Vec<String>,
    /// How many release records were (or would be) deleted.
    pub releases: usize,
    /// The Secret names of those records.
    pub records: Vec<String>,
    /// What the user should know: a lock taken over, a lock left in place.
    pub warnings: Vec<String>,
    /// Volumes left in place (without `--volumes`).
    pub kept_volumes: Vec<String>,
    /// Whether this was a dry run.
    pub dry_run: bool,
    /// Pods still terminating when the wait ended.
    pub pods_left: usize,
}

/// Why deleting failed.
#[derive(Debug, thiserror::Error)]
pub enum DownError {
    /// Another deploy holds the lock.
    #[error(transparent)]
    Lock(#[from] crate::deploy::lock::LockError),
    /// Release records could not be read.
    #[error(transparent)]
    Release(#[from] crate::deploy::release::ReleaseError),
    /// The API call failed.
    #[error("failed to {action} {what} of `{app}` in namespace `{namespace}`")]
    Api {
        /// What was being done.
        action: &'static str,
        /// What.
        what: String,
        /// The app.
        app: String,
        /// The namespace.
        namespace: String,
        /// The cause.
        #[source]
        source: Box<::kube::Error>,
    },
}

impl DownPlan {
    fn error(&self, action: &'static str, what: &str) -> impl FnOnce(::kube::Error) -> DownError {
        let (what, app, namespace) = (what.to_owned(), self.app.clone(), self.namespace.clone());
        move |source| DownError::Api {
            action,
            what,
            app,
            namespace,
            source: Box::new(source),
        }
    }
}

/// Lists what `down` deletes, as `(resource, name)`, in deletion order (the reverse of
/// apply order: what is reached first goes first).
pub async fn owned(
    client: &Client,
    plan: &DownPlan,
) -> Result<(Vec<(ApiResource, String)>, Vec<String>), DownError> {
    let selector = crate::labels::app_selector(&plan.app);
    let params = ListParams::default().labels(&selector);
    let mut objects = Vec::new();
    let mut kinds = prunable_kinds();
    kinds.push(ApiResource::erase::<PersistentVolumeClaim>(&()));
    let mut kept_volumes = Vec::new();
    for resource in kinds {
        let api: Api<DynamicObject> =
            Api::namespaced_with(client.clone(), &plan.namespace, &resource);
        let list = match api.list(&params).await {
            Ok(list) => list,
            Err(err) if crate::kube::is_not_found(&err) => continue,
            Err(source) => return Err(plan.error("list", &resource.plural)(source)),
        };
        for object in list.items {
            let Some(name) = object.metadata.name else {
                continue;
            };
            let is_volume = resource.kind == "PersistentVolumeClaim";
            // Release records never carry the app label; a Secret with it is the app's own.
            if is_volume && !plan.volumes {
                kept_volumes.push(format!("persistentvolumeclaim/{name}"));
                continue;
            }
            objects.push((resource.clone(), name));
        }
    }
    // A component's password stays as long as its data, and the app's own Secret (`paas
    // secret`) holds values only the user knows: both go with `--volumes` only.
    let secrets = ApiResource::erase::<Secret>(&());
    let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), &plan.namespace, &secrets);
    for selector in [
        crate::labels::credentials_selector(&plan.app),
        crate::labels::secrets_selector(&plan.app),
    ] {
        let list = api
            .list_metadata(&ListParams::default().labels(&selector))
            .await
            .map_err(|source| plan.error("list", "secrets")(source))?;
        for name in list.items.into_iter().filter_map(|o| o.metadata.name) {
            if plan.volumes {
                objects.push((secrets.clone(), name));
            } else {
                kept_volumes.push(format!("secret/{name}"));
            }
        }
    }
    Ok((objects, kept_volumes))
}

/// Deletes everything the app owns (or, in a dry run, lists it): holding the deploy lock, and
/// stopping at once if it is lost. The lock's Lease goes last, deleted only while it is still
/// this run's.
pub async fn down(client: &Client, plan: &DownPlan) -> Result<DownResult, DownError> {
    let mut result = DownResult {
        app: plan.app.clone(),
        namespace: plan.namespace.clone(),
        dry_run: plan.dry_run,
        ..DownResult::default()
    };
    let store = ReleaseStore::new(client.clone(), &plan.namespace, &plan.app);
    let records = if plan.keep_history {
        Vec::new()
    } else {
        store.record_names().await?
    };
    let (objects, kept_volumes) = owned(client, plan).await?;
    let lease = existing_lease(client, plan).await?;
    result.kept_volumes = kept_volumes;
    if plan.dry_run {
        result.deleted = objects.iter().map(|(r, n)| id(r, n)).collect();
        result.deleted.extend(lease);
        result.releases = records.len();
        result.records = records;
        return Ok(result);
    }
    if objects.is_empty() && records.is_empty() && lease.is_none() {
        return Ok(result);
    }
    let lock = DeployLock::acquire(client.clone(), &plan.namespace, &plan.app, &plan.user).await?;
    if let Some(message) = crate::deploy::pipeline::takeover_message(&lock) {
        result.warnings.push(message);
    }
    let work = async {
        let deleted = delete_all(client, plan, &objects, &records).await?;
        let pods_left = wait_for_pods(client, plan).await?;
        Ok::<_, DownError>((deleted, pods_left))
    };
    let outcome = tokio::select! {
        outcome = work => outcome,
        lost = lock.lost() => return Err(lost.into()),
    };
    let (deleted, pods_left) = outcome?;
    result.deleted = deleted;
    result.releases = records.len();
    result.records = records;
    result.pods_left = pods_left;
    // The lock's Lease is the app's too; a later deploy creates it again.
    match tokio::time::timeout(Duration::from_secs(10), lock.release()).await {
        Ok(Ok(())) => result.deleted.extend(lease),
        Ok(Err(err)) => result.warnings.push(format!("{err}; it was left as it is")),
        Err(_) => result.warnings.push(format!(
            "the deploy lock `{}` was not deleted: the API server did not answer within 10s",
            lease_name(&plan.app)
        )),
    }
    Ok(result)
}

/// Returns `lease/<name>` when the app's deploy lock exists (a deploy runs, or one that was
/// killed left it).
async fn existing_lease(client: &Client, plan: &DownPlan) -> Result<Option<String>, DownError> {
    let leases: Api<Lease> = Api::namespaced(client.clone(), &plan.namespace);
    let name = lease_name(&plan.app);
    let found = leases
        .get_metadata_opt(&name)
        .await
        .map_err(plan.error("read", "the deploy lock"))?;
    Ok(found.map(|_| format!("lease/{name}")))
}

async fn delete_all(
    client: &Client,
    plan: &DownPlan,
    objects: &[(ApiResource, String)],
    records: &[String],
) -> Result<Vec<String>, DownError> {
    let mut deleted = Vec::new();
    for (resource, name) in objects {
        let api: Api<DynamicObject> =
            Api::namespaced_with(client.clone(), &plan.namespace, resource);
        match api.delete(name, &DeleteParams::background()).await {
            Ok(_) => deleted.push(id(resource, name)),
            Err(::kube::Error::Api(status)) if status.is_not_found() => {}
            Err(source) => return Err(plan.error("delete", &id(resource, name))(source)),
        }
    }
    // Each record by name, as listed: of paas's release type and with both of paas's labels.
    let secrets: Api<Secret> = Api::namespaced(client.clone(), &plan.namespace);
    for name in records {
        match secrets.delete(name, &DeleteParams::default()).await {
            Ok(_) => {}
            Err(::kube::Error::Api(status)) if status.is_not_found() => {}
            Err(source) => return Err(plan.error("delete", &format!("secret/{name}"))(source)),
        }
    }
    Ok(deleted)
}

/// Waits until no pod or `ReplicaSet` with the app's labels is left (the garbage collector
/// deletes them after their Deployment). Returns how many pods were still there at the end.
async fn wait_for_pods(client: &Client, plan: &DownPlan) -> Result<usize, DownError> {
    let params = ListParams::default().labels(&crate::labels::app_label_selector(&plan.app));
    let pods: Api<Pod> = Api::namespaced(client.clone(), &plan.namespace);
    let sets: Api<ReplicaSet> = Api::namespaced(client.clone(), &plan.namespace);
    let start = Instant::now();
    loop {
        let left = pods
            .list_metadata(&params)
            .await
            .map_err(plan.error("list", "pods"))?
            .items
            .len();
        let sets_left = sets
            .list_metadata(&params)
            .await
            .map_err(plan.error("list", "replica sets"))?
            .items
            .len();
        if left + sets_left == 0 || start.elapsed() >= plan.timeout {
            return Ok(left);
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

fn id(resource: &ApiResource, name: &str) -> String {
    format!("{}/{name}", resource.kind.to_lowercase())
}
