//! `paas remove`: what a component leaves in the cluster when its declaration goes (its
//! volume claims and the Secret with its password, which `paas up` never prunes), and deleting
//! all of it with `--delete-data`: its `StatefulSet`, Service and `NetworkPolicy` (so its pods
//! let go of the claims), its claims and its Secret. Every object is found by the labels of
//! [`crate::labels`], never by name alone.

use ::kube::api::{DeleteParams, DynamicObject, ListParams};
use ::kube::core::ApiResource;
use ::kube::{Api, Client};
use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Secret, Service};
use k8s_openapi::api::networking::v1::NetworkPolicy;
use serde::Serialize;

use crate::deploy::lock::DeployLock;

/// Which component, of which app, where.
#[derive(Debug, Clone)]
pub struct ComponentRef {
    /// The app.
    pub app: String,
    /// The component (`[components.NAME]`).
    pub name: String,
    /// The namespace.
    pub namespace: String,
}

/// What holds a component's data in the cluster.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ComponentData {
    /// `persistentvolumeclaim/NAME` of each of its volume claims.
    pub volumes: Vec<String>,
    /// `secret/NAME` of the Secret with its password.
    pub secrets: Vec<String>,
}

impl ComponentData {
    /// Returns whether nothing holds data.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.volumes.is_empty() && self.secrets.is_empty()
    }
}

/// Why the cluster could not be read or changed.
#[derive(Debug, thiserror::Error)]
pub enum RemoveError {
    /// Another deploy holds the lock.
    #[error(transparent)]
    Lock(#[from] crate::deploy::lock::LockError),
    /// The API call failed.
    #[error(
        "failed to {action} {what} of component `{name}` of `{app}` in namespace `{namespace}`"
    )]
    Api {
        /// What was being done.
        action: &'static str,
        /// What.
        what: String,
        /// The component.
        name: String,
        /// The app.
        app: String,
        /// The namespace.
        namespace: String,
        /// The cause.
        #[source]
        source: Box<::kube::Error>,
    },
}

impl ComponentRef {
    fn error(&self, action: &'static str, what: &str) -> impl FnOnce(::kube::Error) -> RemoveError {
        let (what, name, app, namespace) = (
            what.to_owned(),
            self.name.clone(),
            self.app.clone(),
            self.namespace.clone(),
        );
        move |source| RemoveError::Api {
            action,
            what,
            name,
            app,
            namespace,
            source: Box::new(source),
        }
    }

    /// Lists `resource` objects matching `selector`, as names.
    async fn names(
        &self,
        client: &Client,
        resource: &ApiResource,
        selector: &str,
    ) -> Result<Vec<String>, RemoveError> {
        let api: Api<DynamicObject> =
            Api::namespaced_with(client.clone(), &self.namespace, resource);
        let list = match api
            .list_metadata(&ListParams::default().labels(selector))
            .await
        {
            Ok(list) => list,
            Err(::kube::Error::Api(status)) if status.is_not_found() => return Ok(Vec::new()),
            Err(source) => return Err(self.error("list", &resource.plural)(source)),
        };
        let mut names: Vec<String> = list
            .items
            .into_iter()
            .filter_map(|o| o.metadata.name)
            .collect();
        names.sort();
        Ok(names)
    }
}

/// Returns the volume claims and the password Secret of component `component`.
pub async fn data(client: &Client, component: &ComponentRef) -> Result<ComponentData, RemoveError> {
    let claims = ApiResource::erase::<PersistentVolumeClaim>(&());
    let secrets = ApiResource::erase::<Secret>(&());
    let volumes = component
        .names(
            client,
            &claims,
            &crate::labels::component_selector(&component.app, &component.name),
        )
        .await?;
    let credentials = component
        .names(
            client,
            &secrets,
            &crate::labels::component_credentials_selector(&component.app, &component.name),
        )
        .await?;
    Ok(ComponentData {
        volumes: volumes
            .into_iter()
            .map(|n| format!("persistentvolumeclaim/{n}"))
            .collect(),
        secrets: credentials
            .into_iter()
            .map(|n| format!("secret/{n}"))
            .collect(),
    })
}

/// Deletes component `component` and its data, holding the app's deploy lock (so no `paas up`
/// applies it again meanwhile): its `StatefulSet`, Service and `NetworkPolicy` first, then its
/// volume claims, then its password Secret. Returns `kind/name` of what was deleted.
pub async fn delete(
    client: &Client,
    component: &ComponentRef,
    user: &str,
) -> Result<Vec<String>, RemoveError> {
    let lock =
        DeployLock::acquire(client.clone(), &component.namespace, &component.app, user).await?;
    let work = delete_objects(client, component);
    let outcome = tokio::select! {
        outcome = work => outcome,
        lost = lock.lost() => return Err(lost.into()),
    };
    let _ = lock.release().await;
    outcome
}

async fn delete_objects(
    client: &Client,
    component: &ComponentRef,
) -> Result<Vec<String>, RemoveError> {
    let objects = crate::labels::component_selector(&component.app, &component.name);
    let credentials =
        crate::labels::component_credentials_selector(&component.app, &component.name);
    let steps = [
        (ApiResource::erase::<StatefulSet>(&()), &objects),
        (ApiResource::erase::<Service>(&()), &objects),
        (ApiResource::erase::<NetworkPolicy>(&()), &objects),
        (ApiResource::erase::<PersistentVolumeClaim>(&()), &objects),
        (ApiResource::erase::<Secret>(&()), &credentials),
    ];
    let mut deleted = Vec::new();
    for (resource, selector) in steps {
        let api: Api<DynamicObject> =
            Api::namespaced_with(client.clone(), &component.namespace, &resource);
        for name in component.names(client, &resource, selector).await? {
            let id = format!("{}/{name}", resource.kind.to_lowercase());
            match api.delete(&name, &DeleteParams::background()).await {
                Ok(_) => deleted.push(id),
                Err(::kube::Error::Api(status)) if status.is_not_found() => {}
                Err(source) => return Err(component.error("delete", &id)(source)),
            }
        }
    }
    Ok(deleted)
}
