//! The part of `paas up` that concerns the app's components: their Secrets (created once, never
//! replaced), the refusal of a major version change, and the order: components are applied and
//! ready before the app rolls out.

use std::time::Duration;

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Secret};
use kube::api::{ListParams, PostParams};
use kube::{Api, Client};

use crate::component::{self, Catalog, ComponentContext, password::Password};
use crate::kube::rollout::RolloutReporter;
use crate::kube::statefulset::{self, SetError};
use crate::labels;
use crate::manifests::{Manifest, Object};

/// Why the components could not be made ready.
#[derive(Debug, thiserror::Error)]
pub enum ComponentError {
    /// The cluster refused or failed a request.
    #[error("failed to {action} in namespace `{namespace}`")]
    Api {
        /// What was being done.
        action: String,
        /// The namespace.
        namespace: String,
        /// The cause.
        #[source]
        source: kube::Error,
    },
    /// The data exists but its password is gone: a new one would never be accepted.
    #[error(
        "component `{name}` has data (volume claim {}) but its password Secret `{secret}` is gone; paas does not make a new password, because the data only accepts the one it was created with",
        claims.join(", ")
    )]
    PasswordLost {
        /// The component.
        name: String,
        /// Its Secret.
        secret: String,
        /// Its claims.
        claims: Vec<String>,
    },
    /// The data refuses the password in the Secret.
    #[error(
        "component `{name}` is running, but its data refuses the password in Secret `{secret}`: the Secret was replaced after the data was created"
    )]
    PasswordRefused {
        /// The component.
        name: String,
        /// Its Secret.
        secret: String,
    },
    /// The Secret exists without a password.
    #[error("the Secret `{secret}` of component `{name}` has no `password` key")]
    NoPassword {
        /// The component.
        name: String,
        /// Its Secret.
        secret: String,
    },
    /// The component's major version would change.
    #[error(
        "component `{name}` runs {kind} {from}; changing it to {to} is a major upgrade, which a new image cannot do on the old data"
    )]
    MajorChange {
        /// The component.
        name: String,
        /// Its kind.
        kind: String,
        /// The major version of the data.
        from: String,
        /// The major version asked for.
        to: String,
    },
    /// A template failed.
    #[error(transparent)]
    Render(#[from] crate::manifests::RenderError),
    /// A `StatefulSet` did not roll out.
    #[error("component `{name}` is not ready")]
    NotReady {
        /// The component.
        name: String,
        /// Why.
        #[source]
        source: SetError,
    },
}

impl ComponentError {
    /// What to try next.
    #[must_use]
    pub fn hint(&self) -> String {
        match self {
            Self::PasswordLost { name, secret, .. } => format!(
                "put the Secret `{secret}` back with its old password (from a backup of the cluster), or, to start over with empty data, `paas remove {name} --delete-data` then `paas add` it again"
            ),
            Self::PasswordRefused { name, secret } => format!(
                "put the old password back in Secret `{secret}` (the data only accepts the one it was created with), or restore a backup into a new instance: `paas remove {name} --delete-data`, `paas add`, `paas up`, `paas restore {name} FILE`"
            ),
            Self::NoPassword { secret, .. } => format!(
                "restore the `password` key of Secret `{secret}`; paas never replaces a component's Secret"
            ),
            Self::MajorChange { name, from, to, .. } => format!(
                "to upgrade, run `paas up --major` with `version = \"{to}\"` under `[components.{name}]`: it backs the data up, starts {to} on a new volume, restores the data into it and keeps the old volume; else keep `version = \"{from}\"`"
            ),
            Self::NotReady { source, .. } => source.hint(),
            Self::Api { .. } | Self::Render(_) => String::new(),
        }
    }
}

/// A component whose Secret was created by this deploy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedSecret {
    /// The component.
    pub component: String,
    /// The Secret.
    pub secret: String,
}

/// Returns whether `manifest` is one of a component's objects.
#[must_use]
pub fn is_component(manifest: &Manifest) -> bool {
    manifest
        .value
        .pointer("/metadata/labels")
        .and_then(|l| l.get(labels::COMPONENT))
        .is_some()
}

/// Splits manifests into the components' and the app's, each in apply order.
#[must_use]
pub fn split(manifests: &[Manifest]) -> (Vec<Manifest>, Vec<Manifest>) {
    manifests.iter().cloned().partition(is_component)
}

/// Makes sure each component has its Secret: an existing one is kept as it is (never updated);
/// a missing one is created with a new password, unless the component's data exists (then the
/// password is lost and a new one would not open the data: an error). Returns the Secrets
/// created.
pub async fn ensure_credentials(
    client: &Client,
    namespace: &str,
    components: &[ComponentContext],
    catalog: &Catalog,
) -> Result<Vec<CreatedSecret>, ComponentError> {
    let secrets: Api<Secret> = Api::namespaced(client.clone(), namespace);
    let claims: Api<PersistentVolumeClaim> = Api::namespaced(client.clone(), namespace);
    let api = |action: String| {
        move |source| ComponentError::Api {
            action,
            namespace: namespace.to_owned(),
            source,
        }
    };
    let mut created = Vec::new();
    for context in components {
        let name = &context.component.name;
        let secret_name = &context.secret_name;
        if let Some(secret) = secrets
            .get_opt(secret_name)
            .await
            .map_err(api(format!("read the Secret `{secret_name}`")))?
        {
            let has = secret
                .data
                .as_ref()
                .is_some_and(|d| d.contains_key("password"));
            if !has {
                return Err(ComponentError::NoPassword {
                    name: name.clone(),
                    secret: secret_name.clone(),
                });
            }
            continue;
        }
        let selector = labels::component_selector(&context.app.name, name);
        let existing: Vec<String> = claims
            .list_metadata(&ListParams::default().labels(&selector))
            .await
            .map_err(api(format!("list the volume claims of component `{name}`")))?
            .items
            .into_iter()
            .filter_map(|c| c.metadata.name)
            .collect();
        if !existing.is_empty() {
            return Err(ComponentError::PasswordLost {
                name: name.clone(),
                secret: secret_name.clone(),
                claims: existing,
            });
        }
        let kind = catalog.get(&context.component.kind).map_err(|err| {
            crate::manifests::RenderError::Policy {
                file: format!("paas.toml [components.{name}]"),
                id: format!("secret/{secret_name}"),
                message: err.to_string(),
            }
        })?;
        let password = Password::generate();
        let mut manifest = component::render_secret(context, kind, &password)?;
        if let Some(meta) = manifest
            .value
            .get_mut("metadata")
            .and_then(|m| m.as_object_mut())
        {
            meta.insert("namespace".into(), namespace.into());
        }
        let secret: Secret = serde_json::from_value(manifest.value).map_err(|err| {
            crate::manifests::RenderError::Object {
                file: manifest.source.clone(),
                document: 1,
                message: err.to_string(),
            }
        })?;
        let params = PostParams {
            field_manager: Some(crate::kube::FIELD_MANAGER.to_owned()),
            ..PostParams::default()
        };
        match secrets.create(&params, &secret).await {
            Ok(_) => created.push(CreatedSecret {
                component: name.clone(),
                secret: secret_name.clone(),
            }),
            // Another deploy created it first: that one is kept.
            Err(kube::Error::Api(status)) if status.code == 409 => {}
            Err(err) => return Err(api(format!("create the Secret `{secret_name}`"))(err)),
        }
    }
    Ok(created)
}

/// A component whose live `StatefulSet` holds data of another major version than the one
/// rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MajorChange {
    /// The component.
    pub name: String,
    /// Its kind.
    pub kind: String,
    /// The major version of the live data.
    pub from: String,
    /// The major version asked for.
    pub to: String,
    /// Its `StatefulSet`.
    pub set: String,
    /// The claim template of the new major version.
    pub claim_template: String,
}

impl From<MajorChange> for ComponentError {
    fn from(change: MajorChange) -> Self {
        Self::MajorChange {
            name: change.name,
            kind: change.kind,
            from: change.from,
            to: change.to,
        }
    }
}

/// Returns the components whose live `StatefulSet` holds data of another major version than
/// the one rendered, in the order of `components`.
pub async fn major_changes(
    client: &Client,
    namespace: &str,
    components: &[ComponentContext],
) -> Result<Vec<MajorChange>, ComponentError> {
    let sets: Api<StatefulSet> = Api::namespaced(client.clone(), namespace);
    let mut changes = Vec::new();
    for context in components {
        let Some(live) =
            sets.get_opt(&context.name)
                .await
                .map_err(|source| ComponentError::Api {
                    action: format!("read statefulset `{}`", context.name),
                    namespace: namespace.to_owned(),
                    source,
                })?
        else {
            continue;
        };
        if let Some(from) = data_major(&live)
            && from != context.component.major
        {
            changes.push(MajorChange {
                name: context.component.name.clone(),
                kind: context.component.kind.clone(),
                from,
                to: context.component.major.clone(),
                set: context.name.clone(),
                claim_template: context.claim_template.clone(),
            });
        }
    }
    Ok(changes)
}

/// Refuses to apply recorded `manifests` (a rollback) whose components hold another major
/// version than the live ones: the old version cannot read the newer data.
pub async fn check_recorded_majors(
    client: &Client,
    namespace: &str,
    manifests: &[Manifest],
) -> Result<(), ComponentError> {
    let sets: Api<StatefulSet> = Api::namespaced(client.clone(), namespace);
    for manifest in manifests {
        let Object::StatefulSet(recorded) = &manifest.object else {
            continue;
        };
        let Some(to) = data_major(recorded) else {
            continue;
        };
        let live = sets
            .get_opt(&manifest.name)
            .await
            .map_err(|source| ComponentError::Api {
                action: format!("read statefulset `{}`", manifest.name),
                namespace: namespace.to_owned(),
                source,
            })?;
        if let Some(from) = live.as_ref().and_then(data_major)
            && from != to
        {
            let labels = recorded.metadata.labels.clone().unwrap_or_default();
            return Err(ComponentError::MajorChange {
                name: labels.get(labels::COMPONENT).cloned().unwrap_or_default(),
                kind: labels.get(labels::ROLE).cloned().unwrap_or_default(),
                from,
                to,
            });
        }
    }
    Ok(())
}

/// Returns the major version a `StatefulSet`'s data was created with (its claim template's
/// label).
#[must_use]
pub fn data_major(set: &StatefulSet) -> Option<String> {
    set.spec
        .as_ref()?
        .volume_claim_templates
        .as_ref()?
        .iter()
        .find_map(|claim| {
            claim
                .metadata
                .labels
                .as_ref()?
                .get(labels::DATA_MAJOR)
                .cloned()
        })
}

/// Returns the major versions of the components in `manifests`: component name → major.
#[must_use]
pub fn majors(manifests: &[Manifest]) -> Vec<(String, String)> {
    manifests
        .iter()
        .filter_map(|m| match &m.object {
            Object::StatefulSet(set) => {
                let name = set
                    .metadata
                    .labels
                    .as_ref()?
                    .get(labels::COMPONENT)?
                    .clone();
                Some((name, data_major(set)?))
            }
            _ => None,
        })
        .collect()
}

/// Waits for every component `StatefulSet` in `manifests`, one after the other.
#[expect(
    clippy::too_many_arguments,
    reason = "one wait's inputs, each from another part of the plan"
)]
pub async fn wait_ready(
    client: &Client,
    namespace: &str,
    app: &str,
    manifests: &[Manifest],
    catalog: &Catalog,
    timeout: Duration,
    grace: Duration,
    reporter: &dyn RolloutReporter,
) -> Result<Vec<(String, Duration)>, ComponentError> {
    let mut ready = Vec::new();
    for manifest in manifests {
        let Object::StatefulSet(set) = &manifest.object else {
            continue;
        };
        let component = set
            .metadata
            .labels
            .as_ref()
            .and_then(|l| l.get(labels::COMPONENT))
            .cloned()
            .unwrap_or_default();
        let selector = labels::component_selector(app, &component);
        let elapsed = statefulset::wait(
            client,
            namespace,
            &manifest.name,
            &selector,
            timeout,
            grace,
            reporter,
        )
        .await
        .map_err(|source| ComponentError::NotReady {
            name: component.clone(),
            source,
        })?;
        let kind = set
            .metadata
            .labels
            .as_ref()
            .and_then(|l| l.get(labels::ROLE))
            .and_then(|kind| catalog.get(kind).ok());
        if let Some(script) = kind.and_then(|k| k.manifest.password_check.as_deref()) {
            check_password(client, namespace, &manifest.name, set, &component, script).await?;
        }
        ready.push((component, elapsed));
    }
    Ok(ready)
}

/// How long the password check may take; a check that cannot finish in time is skipped.
const PASSWORD_CHECK_LIMIT: Duration = Duration::from_secs(15);

/// Runs the kind's password check in the ready component. Only a refusal is an error: a check
/// that cannot run (no exec on the node, a timeout) says nothing about the password.
async fn check_password(
    client: &Client,
    namespace: &str,
    set_name: &str,
    set: &StatefulSet,
    component: &str,
    script: &str,
) -> Result<(), ComponentError> {
    let container = set
        .spec
        .as_ref()
        .and_then(|s| s.template.spec.as_ref())
        .and_then(|s| s.containers.first())
        .map(|c| c.name.clone())
        .unwrap_or_default();
    let secrets: Api<Secret> = Api::namespaced(client.clone(), namespace);
    let Some(password) = secrets
        .get_opt(set_name)
        .await
        .ok()
        .flatten()
        .and_then(|s| s.data?.remove("password"))
    else {
        return Ok(());
    };
    let mut line = password.0;
    line.push(b'\n');
    let mut stdin = std::io::Cursor::new(line);
    let pod = format!("{set_name}-0");
    let target = crate::kube::remote::Container {
        client,
        namespace,
        pod: &pod,
        container: &container,
    };
    let mut discard = |_: &[u8]| Ok(());
    let run = crate::kube::remote::run(
        &target,
        "the password check",
        script,
        Some(&mut stdin),
        &mut discard,
        &|_| {},
    );
    match tokio::time::timeout(PASSWORD_CHECK_LIMIT, run).await {
        Ok(Err(crate::kube::remote::RemoteError::Failed { exit_code, .. }))
            if exit_code == Some(crate::component::catalog::PASSWORD_REFUSED) =>
        {
            Err(ComponentError::PasswordRefused {
                name: component.to_owned(),
                secret: set_name.to_owned(),
            })
        }
        _ => Ok(()),
    }
}
