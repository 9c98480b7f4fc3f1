//! What a deploy would change: each rendered object against the live one, through a
//! server-side dry run (so defaults and admission apply as they would), as a unified diff.
//!
//! Fields that change on their own (status, resourceVersion, managed fields, uid,
//! timestamps, generation) are left out of both sides, and a Secret's values and its
//! last-applied annotation are replaced by markers that say whether they change
//! ([`crate::redact::redact_pair`]), so a diff can be shown in CI logs.
//!
//! An object whose dry run fails makes the whole diff fail with that object's error: a diff
//! that left it out would claim it does not change.

use std::fmt::Write as _;

use ::kube::Client;
use ::kube::api::{Api, DynamicObject, Patch, PatchParams};
use serde::Serialize;
use serde_json::Value;

use crate::deploy::apply::{self, ApplyError, ApplySettings, FIELD_MANAGER, api_resource};
use crate::manifests::{Manifest, to_yaml};
use crate::redact;

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
            let mut value = clean_value(manifest.value.clone());
            redact::redact_pair(None, Some(&mut value));
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
        let after = match api
            .patch(&manifest.name, &params, &Patch::Apply(&body))
            .await
        {
            Ok(after) => after,
            Err(first) => {
                // A conflict or an invalid object is reported the way `up` would report it.
                let settings = ApplySettings {
                    dry_run: true,
                    ..settings.clone()
                };
                apply::apply(client, &settings, std::slice::from_ref(manifest)).await?;
                // It passed the second time: the diff still lacks what the first answer would
                // have said, so it fails rather than leave the object out.
                return Err(fail("dry-run apply", first));
            }
        };
        let mut before = live.as_ref().map(clean);
        let mut after = clean(&after);
        redact::redact_pair(before.as_mut(), Some(&mut after));
        let before_text = before.as_ref().map(to_yaml).unwrap_or_default();
        let after_text = to_yaml(&after);
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

/// Returns the object without what changes on its own.
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
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleaning_drops_what_changes_on_its_own() {
        let object: DynamicObject = serde_json::from_value(serde_json::json!({
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": { "name": "web", "resourceVersion": "7", "uid": "u", "generation": 2 },
            "data": { "A": "1" }
        }))
        .unwrap();
        let text = to_yaml(&clean(&object));
        assert_eq!(
            text,
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  A: \"1\"\n"
        );
    }

    /// A dry run that fails once (a 500) and passes when `up`'s own dry run retries it.
    mod scripted {
        use std::convert::Infallible;
        use std::sync::Arc;
        use std::sync::atomic::{AtomicUsize, Ordering};

        use http::{Method, Request, Response, StatusCode};
        use kube::client::Body;

        use super::super::diff;
        use crate::deploy::apply::{ApplyError, ApplySettings};

        fn respond(status: StatusCode, body: &str) -> Response<Body> {
            let mut response = Response::new(Body::from(body.as_bytes().to_vec()));
            *response.status_mut() = status;
            response
        }

        #[tokio::test]
        async fn a_failed_dry_run_never_drops_the_object() {
            let patches = Arc::new(AtomicUsize::new(0));
            let seen = patches.clone();
            let service = tower::service_fn(move |request: Request<Body>| {
                let patches = seen.clone();
                async move {
                    let path = request.uri().path().to_owned();
                    let response = match (request.method().clone(), path.as_str()) {
                        (Method::GET, "/api/v1/namespaces/shop") => respond(
                            StatusCode::OK,
                            r#"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"shop"}}"#,
                        ),
                        (Method::GET, "/api/v1/namespaces/shop/configmaps/web") => respond(
                            StatusCode::NOT_FOUND,
                            r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","reason":"NotFound","code":404}"#,
                        ),
                        (Method::PATCH, _) if patches.fetch_add(1, Ordering::SeqCst) == 0 => {
                            respond(
                                StatusCode::INTERNAL_SERVER_ERROR,
                                r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"etcdserver: request timed out","code":500}"#,
                            )
                        }
                        (Method::PATCH, _) => respond(
                            StatusCode::OK,
                            r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"web","namespace":"shop"},"data":{"A":"1"}}"#,
                        ),
                        _ => respond(
                            StatusCode::OK,
                            r#"{"kind":"List","apiVersion":"v1","metadata":{},"items":[]}"#,
                        ),
                    };
                    Ok::<_, Infallible>(response)
                }
            });
            let client = kube::Client::new(service, "shop");
            let manifests = crate::manifests::parse_rendered(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  A: '1'\n",
                "deploy/configmap.yaml",
            )
            .unwrap();
            let settings = ApplySettings {
                app: "web".into(),
                namespace: "shop".into(),
                force_conflicts: false,
                dry_run: true,
            };
            let err = diff(&client, &settings, &manifests).await.unwrap_err();
            assert!(
                matches!(&err, ApplyError::Api { id, .. } if id == "configmap/web"),
                "{err:?}"
            );
            assert_eq!(
                err.to_string(),
                "failed to dry-run apply configmap/web in namespace `shop`"
            );
        }
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
