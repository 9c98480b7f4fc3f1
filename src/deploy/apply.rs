//! Server-side apply of an app's manifests, in dependency order, and pruning of the objects
//! the app no longer declares.
//!
//! Every object is applied with field manager [`FIELD_MANAGER`]. An object whose content
//! (all but status, resourceVersion and managed fields) is the same before and after was
//! unchanged, which is how a repeated deploy can say it changed nothing. Pruning selects by
//! paas's labels ([`crate::labels::app_selector`]) and never touches anything else.
//!
//! Replica ownership (what `paas scale` and an autoscaler change) is decided before applying,
//! in [`crate::deploy::scale`].
//!
//! The body of an apply is JSON ([`apply_body`]), but the API server reads
//! `application/apply-patch+yaml` with a YAML parser, which folds the line breaks YAML knows
//! beyond JSON's (U+0085, U+2028, U+2029) into spaces and refuses other control characters.
//! Those characters are sent as `\uXXXX` escapes, which JSON and YAML both read back as the
//! same character, so values reach the cluster byte for byte.

use ::kube::api::{DeleteParams, DynamicObject, ListParams, Patch, PatchParams};
use ::kube::core::ApiResource;
use ::kube::{Api, Client};
use k8s_openapi::api::apps::v1::{Deployment, StatefulSet};
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use k8s_openapi::api::core::v1::{ConfigMap, Namespace, Secret, Service, ServiceAccount};
use k8s_openapi::api::networking::v1::{Ingress, NetworkPolicy};
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use serde::Serialize;
use serde_json::Value;

use crate::manifests::{Manifest, Object};

pub use crate::kube::FIELD_MANAGER;

/// What happened to one object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeAction {
    /// It did not exist.
    Created,
    /// It existed and changed.
    Configured,
    /// It existed and nothing changed.
    Unchanged,
    /// The app no longer declares it; it was deleted.
    Pruned,
}

/// One object's change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ObjectChange {
    /// `kind/name`.
    pub id: String,
    /// What happened.
    pub action: ChangeAction,
}

/// How to apply.
#[derive(Debug, Clone)]
pub struct ApplySettings {
    /// The app (for prune selection).
    pub app: String,
    /// The namespace everything goes into.
    pub namespace: String,
    /// Take over fields other managers own.
    pub force_conflicts: bool,
    /// Ask the server to validate and default, and persist nothing.
    pub dry_run: bool,
}

/// A field another manager owns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldConflict {
    /// The field path, such as `.spec.replicas`.
    pub field: String,
    /// The manager that owns it.
    pub manager: String,
}

/// Why applying failed. Every variant says which objects were applied before it.
#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    /// Fields are owned by other managers.
    #[error("{id}: {} owned by another manager: {}", if conflicts.len() == 1 { "a field is" } else { "fields are" },
        conflicts.iter().map(|c| format!("`{}` (by `{}`)", c.field, c.manager)).collect::<Vec<_>>().join(", "))]
    Conflict {
        /// `kind/name`.
        id: String,
        /// The conflicting fields.
        conflicts: Vec<FieldConflict>,
        /// Applied before the failure.
        applied: Vec<String>,
        /// Not applied.
        remaining: Vec<String>,
    },
    /// The object changed since it was read (its resourceVersion precondition failed).
    #[error("{id} was changed by someone else since paas read it; nothing of it was overwritten")]
    Modified {
        /// `kind/name`.
        id: String,
        /// Applied before the failure.
        applied: Vec<String>,
        /// Not applied.
        remaining: Vec<String>,
    },
    /// The API server refused the object (422): invalid, or an immutable field changed.
    #[error("{id} was refused by the API server: {message}")]
    Invalid {
        /// `kind/name`.
        id: String,
        /// The server's message.
        message: String,
        /// Whether an immutable field (such as a Deployment's selector) was changed.
        immutable: bool,
        /// Applied before the failure.
        applied: Vec<String>,
        /// Not applied.
        remaining: Vec<String>,
    },
    /// Another API error.
    #[error("failed to {action} {id} in namespace `{namespace}`")]
    Api {
        /// What was being done.
        action: &'static str,
        /// `kind/name`, or the namespace.
        id: String,
        /// The namespace.
        namespace: String,
        /// Applied before the failure.
        applied: Vec<String>,
        /// The cause.
        #[source]
        source: ::kube::Error,
    },
}

impl ApplyError {
    /// Returns the objects applied before the failure.
    #[must_use]
    pub fn applied(&self) -> &[String] {
        match self {
            Self::Conflict { applied, .. }
            | Self::Modified { applied, .. }
            | Self::Invalid { applied, .. }
            | Self::Api { applied, .. } => applied,
        }
    }
}

/// Returns the API resource of a typed object.
#[must_use]
pub fn api_resource(object: &Object) -> ApiResource {
    match object {
        Object::Deployment(_) => ApiResource::erase::<Deployment>(&()),
        Object::StatefulSet(_) => ApiResource::erase::<StatefulSet>(&()),
        Object::Service(_) => ApiResource::erase::<Service>(&()),
        Object::ConfigMap(_) => ApiResource::erase::<ConfigMap>(&()),
        Object::Secret(_) => ApiResource::erase::<Secret>(&()),
        Object::ServiceAccount(_) => ApiResource::erase::<ServiceAccount>(&()),
        Object::Ingress(_) => ApiResource::erase::<Ingress>(&()),
        Object::NetworkPolicy(_) => ApiResource::erase::<NetworkPolicy>(&()),
        Object::HorizontalPodAutoscaler(_) => ApiResource::erase::<HorizontalPodAutoscaler>(&()),
        Object::PodDisruptionBudget(_) => ApiResource::erase::<PodDisruptionBudget>(&()),
        Object::ServiceMonitor(_) => crate::kube::monitoring::service_monitor_resource(),
    }
}

/// Every kind paas applies, for pruning. `ServiceMonitor` is served only where
/// prometheus-operator's CRDs are installed: listing it elsewhere is a "not found" to skip.
#[must_use]
pub fn prunable_kinds() -> Vec<ApiResource> {
    vec![
        crate::kube::monitoring::service_monitor_resource(),
        ApiResource::erase::<NetworkPolicy>(&()),
        ApiResource::erase::<Ingress>(&()),
        ApiResource::erase::<PodDisruptionBudget>(&()),
        ApiResource::erase::<HorizontalPodAutoscaler>(&()),
        ApiResource::erase::<Deployment>(&()),
        ApiResource::erase::<StatefulSet>(&()),
        ApiResource::erase::<Service>(&()),
        ApiResource::erase::<ConfigMap>(&()),
        ApiResource::erase::<Secret>(&()),
        ApiResource::erase::<ServiceAccount>(&()),
    ]
}

/// Creates the namespace if it does not exist. Returns whether it was created.
pub async fn ensure_namespace(client: &Client, namespace: &str) -> Result<bool, ApplyError> {
    let api: Api<Namespace> = Api::all(client.clone());
    let error = |action: &'static str| {
        move |source| ApplyError::Api {
            action,
            id: format!("namespace/{namespace}"),
            namespace: namespace.to_owned(),
            applied: Vec::new(),
            source,
        }
    };
    if api
        .get_opt(namespace)
        .await
        .map_err(error("read"))?
        .is_some()
    {
        return Ok(false);
    }
    let object = serde_json::json!({
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": { "name": namespace, "labels": crate::labels::namespace_labels() },
    });
    api.patch(
        namespace,
        &PatchParams::apply(FIELD_MANAGER),
        &Patch::Apply(&object),
    )
    .await
    .map_err(error("create"))?;
    Ok(true)
}

/// Server-side applies `body` as `name` with [`apply_body`] as the request body.
async fn patch_apply(
    api: &Api<DynamicObject>,
    name: &str,
    params: &PatchParams,
    body: &Value,
) -> Result<DynamicObject, ::kube::Error> {
    let request = ::kube::core::Request::new(api.resource_url())
        .patch(name, params, &Patch::Apply(body))
        .map_err(::kube::Error::BuildRequest)?;
    let (parts, _) = request.into_parts();
    let mut request = http::Request::from_parts(parts, apply_body(body));
    request.extensions_mut().insert("patch");
    api.clone().into_client().request(request).await
}

/// Serializes `value` as JSON in which every character that the API server's YAML reader would
/// change or refuse is a `\uXXXX` escape.
#[must_use]
pub fn apply_body(value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, YamlSafe);
    value
        .serialize(&mut serializer)
        .expect("a JSON value serializes into memory");
    out
}

/// Whether YAML reads `c` differently from JSON inside a double-quoted string: its extra line
/// breaks (folded), the characters outside its printable set (refused: DEL, C1 controls,
/// U+FFFE, U+FFFF) and the byte order mark. JSON's own escapes cover C0 controls.
fn yaml_changes(c: char) -> bool {
    matches!(
        c,
        '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
    )
}

/// `serde_json`'s compact formatter, escaping what [`yaml_changes`] names.
struct YamlSafe;

impl serde_json::ser::Formatter for YamlSafe {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut start = 0;
        for (at, c) in fragment.char_indices() {
            if yaml_changes(c) {
                writer.write_all(&fragment.as_bytes()[start..at])?;
                write!(writer, "\\u{:04x}", u32::from(c))?;
                start = at + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }
}

/// Applies the manifests in order (they come sorted from [`crate::manifests::render`]).
pub async fn apply(
    client: &Client,
    settings: &ApplySettings,
    manifests: &[Manifest],
) -> Result<Vec<ObjectChange>, ApplyError> {
    let mut params = PatchParams::apply(FIELD_MANAGER);
    if settings.force_conflicts {
        params = params.force();
    }
    if settings.dry_run {
        params = params.dry_run();
    }
    let mut changes = Vec::with_capacity(manifests.len());
    for (index, manifest) in manifests.iter().enumerate() {
        let resource = api_resource(&manifest.object);
        let api: Api<DynamicObject> =
            Api::namespaced_with(client.clone(), &settings.namespace, &resource);
        let applied: Vec<String> = changes
            .iter()
            .map(|c: &ObjectChange| c.id.clone())
            .collect();
        let remaining: Vec<String> = manifests[index..].iter().map(Manifest::id).collect();
        let id = manifest.id();
        let api_error = |action: &'static str, source| ApplyError::Api {
            action,
            id: id.clone(),
            namespace: settings.namespace.clone(),
            applied: applied.clone(),
            source,
        };
        let before = api
            .get_opt(&manifest.name)
            .await
            .map_err(|e| api_error("read", e))?;
        let mut body = manifest.value.clone();
        if let Some(metadata) = body.get_mut("metadata").and_then(Value::as_object_mut) {
            metadata.insert(
                "namespace".into(),
                Value::String(settings.namespace.clone()),
            );
        }
        let after = match patch_apply(&api, &manifest.name, &params, &body).await {
            Ok(after) => after,
            Err(::kube::Error::Api(status))
                if status.code == 409 && status.message.contains("has been modified") =>
            {
                return Err(ApplyError::Modified {
                    id,
                    applied,
                    remaining,
                });
            }
            Err(::kube::Error::Api(status)) if status.code == 409 => {
                let conflicts = conflicts_of(&status);
                return Err(ApplyError::Conflict {
                    id,
                    conflicts,
                    applied,
                    remaining,
                });
            }
            Err(::kube::Error::Api(status)) if status.code == 422 => {
                let immutable = status.message.contains("immutable");
                return Err(ApplyError::Invalid {
                    id,
                    message: status.message.clone(),
                    immutable,
                    applied,
                    remaining,
                });
            }
            Err(source) => return Err(api_error("apply", source)),
        };
        let action = match before {
            None => ChangeAction::Created,
            Some(before) if comparable(&before) == comparable(&after) => ChangeAction::Unchanged,
            Some(_) => ChangeAction::Configured,
        };
        changes.push(ObjectChange { id, action });
    }
    Ok(changes)
}

/// Returns an object without what changes on its own (status, resourceVersion, managed
/// fields), so two versions compare equal exactly when someone changed its content.
pub fn comparable(object: &DynamicObject) -> Value {
    let mut value = serde_json::to_value(object).unwrap_or(Value::Null);
    if let Some(map) = value.as_object_mut() {
        map.remove("status");
        if let Some(metadata) = map.get_mut("metadata").and_then(Value::as_object_mut) {
            metadata.remove("resourceVersion");
            metadata.remove("managedFields");
        }
    }
    value
}

/// Deletes the app's objects (by paas's labels) that `keep` no longer declares.
pub async fn prune(
    client: &Client,
    settings: &ApplySettings,
    keep: &[Manifest],
) -> Result<Vec<ObjectChange>, ApplyError> {
    let selector = crate::labels::app_selector(&settings.app);
    let mut pruned = Vec::new();
    for resource in prunable_kinds() {
        let api: Api<DynamicObject> =
            Api::namespaced_with(client.clone(), &settings.namespace, &resource);
        let error = |action: &'static str, id: String, source| ApplyError::Api {
            action,
            id,
            namespace: settings.namespace.clone(),
            applied: Vec::new(),
            source,
        };
        let list = match api.list(&ListParams::default().labels(&selector)).await {
            Ok(list) => list,
            // A kind the cluster does not serve (a CRD not installed) holds nothing to prune.
            Err(e) if crate::kube::is_not_found(&e) => continue,
            Err(e) => return Err(error("list", resource.plural.clone(), e)),
        };
        for object in list.items {
            let Some(name) = object.metadata.name.clone() else {
                continue;
            };
            let id = format!("{}/{name}", resource.kind.to_lowercase());
            if keep.iter().any(|m| m.id() == id) {
                continue;
            }
            let mut params = DeleteParams::background();
            if settings.dry_run {
                params = params.dry_run();
            }
            match api.delete(&name, &params).await {
                Ok(_) => pruned.push(ObjectChange {
                    id,
                    action: ChangeAction::Pruned,
                }),
                Err(::kube::Error::Api(status)) if status.is_not_found() => {}
                Err(source) => return Err(error("prune", id, source)),
            }
        }
    }
    Ok(pruned)
}

/// Reads the fields and managers out of a 409 from server-side apply.
fn conflicts_of(status: &::kube::core::Status) -> Vec<FieldConflict> {
    let causes = status
        .details
        .as_ref()
        .map(|d| d.causes.clone())
        .unwrap_or_default();
    let mut conflicts: Vec<FieldConflict> = causes
        .iter()
        .filter(|c| c.reason == "FieldManagerConflict" || !c.field.is_empty())
        .map(|cause| FieldConflict {
            field: cause.field.clone(),
            // `conflict with "kubectl-client-side-apply" using apps/v1`
            manager: cause
                .message
                .split('"')
                .nth(1)
                .unwrap_or("another manager")
                .to_owned(),
        })
        .collect();
    if conflicts.is_empty() {
        conflicts.push(FieldConflict {
            field: "?".into(),
            manager: status.message.clone(),
        });
    }
    conflicts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_apply_body_escapes_what_yaml_reads_differently() {
        let text = "a\u{85}b\u{2028}c\u{2029}d\u{feff}e\u{7f}f\u{9f}g\r\th\u{1}é😀";
        let body = apply_body(&serde_json::json!({ "v": text }));
        let body = String::from_utf8(body).unwrap();
        assert_eq!(
            body,
            r#"{"v":"a\u0085b\u2028c\u2029d\ufeffe\u007ff\u009fg\r\th\u0001é😀"}"#
        );
        let back: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(back["v"], text);
    }

    #[test]
    fn conflicts_name_field_and_manager() {
        let status: ::kube::core::Status = serde_json::from_value(serde_json::json!({
            "status": "Failure", "code": 409, "reason": "Conflict",
            "message": "Apply failed with 1 conflict: conflict with \"kubectl\" using apps/v1: .spec.replicas",
            "details": { "causes": [{ "reason": "FieldManagerConflict", "message": "conflict with \"kubectl\" using apps/v1", "field": ".spec.replicas" }] }
        }))
        .unwrap();
        assert_eq!(
            conflicts_of(&status),
            vec![FieldConflict {
                field: ".spec.replicas".into(),
                manager: "kubectl".into()
            }]
        );
    }
}
