//! What a deploy would change: each rendered object against the live one, through a
//! server-side dry run (so defaults and admission apply as they would), as a unified diff.
//!
//! Fields that change on their own (status, resourceVersion, managed fields, uid,
//! timestamps, generation) are left out of both sides, and Secret values are replaced by a
//! short digest, so a diff can be shown in CI logs: a changed value still shows as changed.

use std::fmt::Write as _;

use ::kube::Client;
use ::kube::api::{Api, DynamicObject, Patch, PatchParams};
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest as _, Sha256};

use crate::deploy::apply::{self, ApplyError, ApplySettings, FIELD_MANAGER, api_resource};
use crate::manifests::{Manifest, to_yaml};

/// How one object would change.
#[derive(Debug, Clone, Serialize)]
pub struct ObjectDiff {
    /// `kind/name`.
    pub id: String,
    /// `create`, `update` or `delete`.
    pub change: &'static str,
    /// The unified diff (live → after the deploy).
    pub diff: String,
}

/// Returns the diff of every object that would change, in apply order, then the objects a
/// deploy would prune.
pub async fn diff(
    client: &Client,
    settings: &ApplySettings,
    manifests: &[Manifest],
) -> Result<Vec<ObjectDiff>, ApplyError> {
    let mut params = PatchParams::apply(FIELD_MANAGER).dry_run();
    if settings.force_conflicts {
        params = params.force();
    }
    let mut diffs = Vec::new();
    let namespaces: Api<k8s_openapi::api::core::v1::Namespace> = Api::all(client.clone());
    let namespace_exists = namespaces
        .get_opt(&settings.namespace)
        .await
        .map_err(|source| ApplyError::Api {
            action: "read",
            id: format!("namespace/{}", settings.namespace),
            namespace: settings.namespace.clone(),
            applied: Vec::new(),
            source,
        })?;
    if namespace_exists.is_none() {
        // Nothing exists yet, and a dry run cannot go into a namespace that does not: every
        // object would be created as rendered.
        for manifest in manifests {
            let id = manifest.id();
            let mut value = manifest.value.clone();
            if value.get("kind").and_then(Value::as_str) == Some("Secret") {
                value = clean_value(value);
            }
            diffs.push(ObjectDiff {
                diff: unified(&id, "", &to_yaml(&value)),
                change: "create",
                id,
            });
        }
        return Ok(diffs);
    }
    for manifest in manifests {
        let resource = api_resource(&manifest.object);
        let api: Api<DynamicObject> =
            Api::namespaced_with(client.clone(), &settings.namespace, &resource);
        let id = manifest.id();
        let fail = |action: &'static str, source| ApplyError::Api {
            action,
            id: id.clone(),
            namespace: settings.namespace.clone(),
            applied: Vec::new(),
            source,
        };
        let live = api
            .get_opt(&manifest.name)
            .await
            .map_err(|e| fail("read", e))?;
        let mut body = manifest.value.clone();
        if let Some(metadata) = body.get_mut("metadata").and_then(Value::as_object_mut) {
            metadata.insert(
                "namespace".into(),
                Value::String(settings.namespace.clone()),
            );
        }
        let Ok(after) = api
            .patch(&manifest.name, &params, &Patch::Apply(&body))
            .await
        else {
            // A conflict or an invalid object is reported the way `up` would report it.
            let settings = ApplySettings {
                dry_run: true,
                ..settings.clone()
            };
            apply::apply(client, &settings, std::slice::from_ref(manifest)).await?;
            continue;
        };
        let before_text = live
            .as_ref()
            .map(|o| to_yaml(&clean(o)))
            .unwrap_or_default();
        let after_text = to_yaml(&clean(&after));
        if before_text != after_text {
            diffs.push(ObjectDiff {
                change: if live.is_some() { "update" } else { "create" },
                diff: unified(&id, &before_text, &after_text),
                id,
            });
        }
    }
    let dry = ApplySettings {
        dry_run: true,
        ..settings.clone()
    };
    for pruned in apply::prune(client, &dry, manifests).await? {
        diffs.push(ObjectDiff {
            diff: format!(
                "--- {0}\n+++ /dev/null\n(deleted: the app no longer declares it)\n",
                pruned.id
            ),
            change: "delete",
            id: pruned.id,
        });
    }
    Ok(diffs)
}

fn unified(id: &str, before: &str, after: &str) -> String {
    let diff = similar::TextDiff::from_lines(before, after);
    let mut out = String::new();
    let old = if before.is_empty() {
        "/dev/null".to_owned()
    } else {
        format!("live/{id}")
    };
    let _ = write!(
        out,
        "{}",
        diff.unified_diff()
            .context_radius(3)
            .header(&old, &format!("paas/{id}"))
    );
    out
}

/// Returns the object without what changes on its own, and with Secret values hidden.
fn clean(object: &DynamicObject) -> Value {
    clean_value(serde_json::to_value(object).unwrap_or(Value::Null))
}

fn clean_value(mut value: Value) -> Value {
    if let Some(map) = value.as_object_mut() {
        map.remove("status");
        if let Some(metadata) = map.get_mut("metadata").and_then(Value::as_object_mut) {
            for key in [
                "resourceVersion",
                "managedFields",
                "uid",
                "creationTimestamp",
                "generation",
                "selfLink",
            ] {
                metadata.remove(key);
            }
            if let Some(annotations) = metadata
                .get_mut("annotations")
                .and_then(Value::as_object_mut)
            {
                annotations.remove("deployment.kubernetes.io/revision");
                if annotations.is_empty() {
                    metadata.remove("annotations");
                }
            }
        }
        if map.get("kind").and_then(Value::as_str) == Some("Secret") {
            for field in ["data", "stringData"] {
                if let Some(data) = map.get_mut(field).and_then(Value::as_object_mut) {
                    for value in data.values_mut() {
                        *value = Value::String(redacted(value));
                    }
                }
            }
        }
    }
    value
}

/// A Secret value as diffs show it: never the value, but a digest that changes with it.
fn redacted(value: &Value) -> String {
    let text = value.as_str().unwrap_or_default();
    let digest = Sha256::digest(text.as_bytes());
    let short = digest.iter().take(4).fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    });
    format!("<redacted, sha256 {short}…>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_values_never_show() {
        let object: DynamicObject = serde_json::from_value(serde_json::json!({
            "apiVersion": "v1", "kind": "Secret",
            "metadata": { "name": "db", "resourceVersion": "7", "uid": "u" },
            "data": { "password": "UzNOVElORUw=" },
            "stringData": { "token": "TOK-SENTINEL" }
        }))
        .unwrap();
        let text = to_yaml(&clean(&object));
        assert!(
            !text.contains("UzNOVElORUw=") && !text.contains("TOK-SENTINEL"),
            "{text}"
        );
        assert!(text.contains("<redacted, sha256"), "{text}");
        assert!(!text.contains("resourceVersion"), "{text}");
    }

    #[test]
    fn unified_diff_names_both_sides() {
        let text = unified(
            "configmap/web-env",
            "data:\n  A: '1'\n",
            "data:\n  A: '2'\n",
        );
        assert!(
            text.contains("--- live/configmap/web-env")
                && text.contains("+++ paas/configmap/web-env"),
            "{text}"
        );
        assert!(
            text.contains("-  A: '1'") && text.contains("+  A: '2'"),
            "{text}"
        );
    }
}
