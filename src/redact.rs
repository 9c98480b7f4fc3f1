//! Secret values kept out of what paas shows and what it stores.
//!
//! * [`redact_pair`] hides the values of a Secret shown as the two sides of a diff (`paas diff`,
//!   `up --dry-run`, `rollback --dry-run`): each value, and the
//!   `kubectl.kubernetes.io/last-applied-configuration` annotation that `kubectl apply` fills
//!   with a copy of them, becomes a marker that says whether it changes. A marker never carries a
//!   digest: a digest of a short password can be checked against guesses.
//! * [`strip_record`] leaves a Secret's values out of a release record (the record keeps the
//!   keys, in [`VALUES_LEFT_OUT`]), and [`restore_values`] fills them back from the live Secret
//!   when a record is applied again (rollback, `--atomic`), since a Secret applied without its
//!   values would lose them.
//!
//! Other kinds are left as they are: paas declares no secret outside Secrets.

use std::collections::BTreeMap;

use ::kube::Api;
use base64::Engine as _;
use k8s_openapi::api::core::v1::Secret;
use serde_json::Value;

use crate::manifests::{Manifest, to_yaml};

/// The annotation `kubectl apply` writes with the whole object it applied, values included.
pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";
pub use crate::labels::VALUES_LEFT_OUT;

/// The marker of a value that a deploy leaves as it is.
pub const UNCHANGED: &str = "(redacted, unchanged)";
/// The marker of a live value that a deploy changes or removes.
pub const CHANGED_LIVE: &str = "(redacted, changed: live value)";
/// The marker of a value that a deploy sets or changes.
pub const CHANGED_NEW: &str = "(redacted, changed: new value)";
/// The marker of a value of an object that exists on one side only.
pub const REDACTED: &str = "(redacted)";

fn is_secret(value: &Value) -> bool {
    value.get("kind").and_then(Value::as_str) == Some("Secret")
}

/// A Secret's values by key as the API server would store them (`stringData` encoded into
/// `data`), plus its last-applied annotation: what is compared to tell changed from unchanged.
fn values_of(secret: &Value) -> BTreeMap<String, String> {
    let mut values = BTreeMap::new();
    if let Some(data) = secret.get("data").and_then(Value::as_object) {
        for (key, value) in data {
            values.insert(
                format!("data.{key}"),
                value.as_str().unwrap_or_default().to_owned(),
            );
        }
    }
    if let Some(data) = secret.get("stringData").and_then(Value::as_object) {
        for (key, value) in data {
            let encoded = base64::engine::general_purpose::STANDARD
                .encode(value.as_str().unwrap_or_default());
            values.insert(format!("data.{key}"), encoded);
        }
    }
    if let Some(last) = secret
        .pointer("/metadata/annotations")
        .and_then(|a| a.get(LAST_APPLIED))
    {
        values.insert(
            LAST_APPLIED.to_owned(),
            last.as_str().unwrap_or_default().to_owned(),
        );
    }
    values
}

/// Replaces the values of `side` by markers, comparing with `other`'s (`None`: the object
/// exists on one side only). `live` tells which side `side` is.
fn mark(
    side: &mut Value,
    mine: &BTreeMap<String, String>,
    other: Option<&BTreeMap<String, String>>,
    live: bool,
) {
    let marker = |key: &str| match other {
        None => REDACTED,
        Some(other) if other.get(key) == mine.get(key) => UNCHANGED,
        Some(_) if live => CHANGED_LIVE,
        Some(_) => CHANGED_NEW,
    };
    for field in ["data", "stringData"] {
        if let Some(data) = side.get_mut(field).and_then(Value::as_object_mut) {
            for (key, value) in data.iter_mut() {
                *value = Value::String(marker(&format!("data.{key}")).to_owned());
            }
        }
    }
    if let Some(last) = side
        .pointer_mut("/metadata/annotations")
        .and_then(Value::as_object_mut)
        .and_then(|a| a.get_mut(LAST_APPLIED))
    {
        *last = Value::String(marker(LAST_APPLIED).to_owned());
    }
}

/// Hides the values of a Secret shown as the two sides of a diff (`before` is the live object,
/// `after` what a deploy makes of it; either may be absent). Objects of other kinds are left as
/// they are.
pub fn redact_pair(before: Option<&mut Value>, after: Option<&mut Value>) {
    let before = before.filter(|v| is_secret(v));
    let after = after.filter(|v| is_secret(v));
    let before_values = before.as_deref().map(values_of);
    let after_values = after.as_deref().map(values_of);
    if let (Some(side), Some(mine)) = (before, &before_values) {
        mark(side, mine, after_values.as_ref(), true);
    }
    if let (Some(side), Some(mine)) = (after, &after_values) {
        mark(side, mine, before_values.as_ref(), false);
    }
}

/// Returns a release record's manifests (a YAML stream as
/// [`crate::manifests::to_yaml_stream`] writes it) with every Secret's values and
/// last-applied annotation left out, and the keys left out named in [`VALUES_LEFT_OUT`]. Other
/// documents are kept byte for byte.
///
/// # Errors
///
/// A Secret document that is not valid YAML (the stream did not come from paas); its text is
/// not quoted.
pub fn strip_record(stream: &str) -> Result<String, String> {
    let mut out = String::with_capacity(stream.len());
    for document in split_stream(stream) {
        let (header, body) = document
            .split_once("\n# Source: ")
            .and_then(|(head, rest)| {
                rest.split_once('\n')
                    .map(|(source, body)| ((head, source), body))
            })
            .map_or(((document, None), ""), |((head, source), body)| {
                ((head, Some(source)), body)
            });
        let Some(source) = header.1 else {
            out.push_str(document);
            continue;
        };
        if !body.contains("kind: Secret") {
            out.push_str(document);
            continue;
        }
        let mut value: Value = serde_saphyr::from_str(body)
            .map_err(|_| format!("a Secret from `{source}` is not valid YAML"))?;
        if !is_secret(&value) {
            out.push_str(document);
            continue;
        }
        strip(&mut value);
        out.push_str(header.0);
        out.push_str("\n# Source: ");
        out.push_str(source);
        out.push('\n');
        out.push_str(&to_yaml(&value));
    }
    Ok(out)
}

/// Splits a stream into its documents, each starting with its `---` line.
fn split_stream(stream: &str) -> Vec<&str> {
    let mut starts: Vec<usize> = stream
        .match_indices("---\n")
        .map(|(i, _)| i)
        .filter(|&i| i == 0 || stream.as_bytes()[i - 1] == b'\n')
        .collect();
    if starts.first() != Some(&0) {
        starts.insert(0, 0);
    }
    let mut documents = Vec::new();
    for (n, &start) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(stream.len());
        if start < end {
            documents.push(&stream[start..end]);
        }
    }
    documents
}

fn strip(secret: &mut Value) {
    let mut keys: Vec<String> = Vec::new();
    if let Some(map) = secret.as_object_mut() {
        for field in ["data", "stringData"] {
            if let Some(Value::Object(data)) = map.remove(field) {
                keys.extend(data.keys().cloned());
            }
        }
    }
    keys.sort();
    keys.dedup();
    let Some(metadata) = secret.get_mut("metadata").and_then(Value::as_object_mut) else {
        return;
    };
    let annotations = metadata
        .entry("annotations")
        .or_insert_with(|| Value::Object(serde_json::Map::new()));
    if let Some(annotations) = annotations.as_object_mut() {
        annotations.remove(LAST_APPLIED);
        if !keys.is_empty() {
            annotations.insert(VALUES_LEFT_OUT.to_owned(), Value::String(keys.join(",")));
        }
        if annotations.is_empty() {
            metadata.remove("annotations");
        }
    }
}

/// Why a Secret of a release record could not get its values back.
#[derive(Debug, thiserror::Error)]
pub enum RestoreError {
    /// The live Secret is gone, or lacks keys the record had: the values exist nowhere.
    #[error(
        "release records keep no Secret values, and secret `{name}` in namespace `{namespace}` no longer has {}",
        missing.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
    )]
    Missing {
        /// The Secret.
        name: String,
        /// Its namespace.
        namespace: String,
        /// The keys without a value.
        missing: Vec<String>,
    },
    /// The live Secret could not be read.
    #[error("failed to read secret `{name}` in namespace `{namespace}`")]
    Api {
        /// The Secret.
        name: String,
        /// Its namespace.
        namespace: String,
        /// The cause.
        #[source]
        source: Box<::kube::Error>,
    },
}

/// Gives every Secret of `manifests` that came from a release record ([`strip_record`]) the
/// values of the live Secret of the same name, for the keys the record names: a rollback keeps
/// the Secret values that are live.
///
/// # Errors
///
/// [`RestoreError::Missing`] when the live Secret is gone or lacks a key, so the values cannot
/// be had; [`RestoreError::Api`] when it cannot be read.
pub async fn restore_values(
    client: &::kube::Client,
    namespace: &str,
    manifests: &mut [Manifest],
) -> Result<(), RestoreError> {
    let api: Api<Secret> = Api::namespaced(client.clone(), namespace);
    for manifest in manifests.iter_mut().filter(|m| is_secret(&m.value)) {
        let Some(keys) = manifest
            .value
            .pointer_mut("/metadata/annotations")
            .and_then(Value::as_object_mut)
            .and_then(|a| a.remove(VALUES_LEFT_OUT))
        else {
            continue;
        };
        if let Some(metadata) = manifest
            .value
            .get_mut("metadata")
            .and_then(Value::as_object_mut)
            && metadata
                .get("annotations")
                .and_then(Value::as_object)
                .is_some_and(serde_json::Map::is_empty)
        {
            metadata.remove("annotations");
        }
        let keys: Vec<&str> = keys
            .as_str()
            .unwrap_or_default()
            .split(',')
            .filter(|k| !k.is_empty())
            .collect();
        let live = api
            .get_opt(&manifest.name)
            .await
            .map_err(|source| RestoreError::Api {
                name: manifest.name.clone(),
                namespace: namespace.to_owned(),
                source: Box::new(source),
            })?;
        let live_data = live.and_then(|s| s.data).unwrap_or_default();
        let missing: Vec<String> = keys
            .iter()
            .filter(|k| !live_data.contains_key(**k))
            .map(|k| (*k).to_owned())
            .collect();
        if !missing.is_empty() {
            return Err(RestoreError::Missing {
                name: manifest.name.clone(),
                namespace: namespace.to_owned(),
                missing,
            });
        }
        let mut data = serde_json::Map::new();
        for key in keys {
            if let Some(bytes) = live_data.get(key) {
                data.insert(
                    key.to_owned(),
                    Value::String(base64::engine::general_purpose::STANDARD.encode(&bytes.0)),
                );
            }
        }
        if let Some(map) = manifest.value.as_object_mut() {
            map.insert("data".to_owned(), Value::Object(data));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(data: &[(&str, &str)], last_applied: Option<&str>) -> Value {
        let mut value = serde_json::json!({
            "apiVersion": "v1", "kind": "Secret",
            "metadata": { "name": "db" },
            "data": data.iter().map(|(k, v)| ((*k).to_owned(), Value::String((*v).to_owned()))).collect::<serde_json::Map<_, _>>(),
        });
        if let Some(last) = last_applied {
            value["metadata"]["annotations"] = serde_json::json!({ LAST_APPLIED: last });
        }
        value
    }

    #[test]
    fn markers_say_changed_or_unchanged_and_never_a_digest() {
        let mut before = secret(
            &[("PASSWORD", "UzNOVElORUw="), ("USER", "YWRtaW4=")],
            Some(r#"{"data":{"PASSWORD":"UzNOVElORUw="}}"#),
        );
        let mut after = secret(
            &[("PASSWORD", "bmV3"), ("USER", "YWRtaW4=")],
            Some(r#"{"data":{"PASSWORD":"UzNOVElORUw="}}"#),
        );
        redact_pair(Some(&mut before), Some(&mut after));
        assert_eq!(before["data"]["PASSWORD"], CHANGED_LIVE);
        assert_eq!(after["data"]["PASSWORD"], CHANGED_NEW);
        assert_eq!(before["data"]["USER"], UNCHANGED);
        assert_eq!(after["data"]["USER"], UNCHANGED);
        assert_eq!(after["metadata"]["annotations"][LAST_APPLIED], UNCHANGED);
        let text = format!("{before}{after}");
        for hidden in ["UzNOVElORUw", "bmV3", "YWRtaW4", "sha256"] {
            assert!(!text.contains(hidden), "{text}");
        }
    }

    #[test]
    fn string_data_compares_with_the_live_data() {
        let mut before = secret(&[("PASSWORD", "UzNOVElORUw=")], None);
        let mut after = serde_json::json!({
            "kind": "Secret", "metadata": { "name": "db" },
            "stringData": { "PASSWORD": "S3NTINEL" },
        });
        redact_pair(Some(&mut before), Some(&mut after));
        assert_eq!(after["stringData"]["PASSWORD"], UNCHANGED);
        let mut fresh =
            serde_json::json!({"kind": "Secret", "stringData": { "PASSWORD": "S3NTINEL" }});
        redact_pair(None, Some(&mut fresh));
        assert_eq!(fresh["stringData"]["PASSWORD"], REDACTED);
    }

    #[test]
    fn other_kinds_are_left_alone() {
        let mut config = serde_json::json!({"kind": "ConfigMap", "data": { "A": "1" }});
        redact_pair(None, Some(&mut config));
        assert_eq!(config["data"]["A"], "1");
    }

    #[test]
    fn records_keep_the_keys_and_not_the_values() {
        let stream = "---\n# Source: deploy/configmap.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  A: '1'\n\
---\n# Source: deploy/secret.yaml\napiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: '{\"data\":{\"P\":\"UzNOVElORUw=\"}}'\ndata:\n  PASSWORD: UzNOVElORUw=\nstringData:\n  TOKEN: TOK-S3NTINEL\n";
        let stripped = strip_record(stream).unwrap();
        assert!(
            !stripped.contains("S3NTINEL") && !stripped.contains("UzNOVElORUw"),
            "{stripped}"
        );
        assert!(stripped.starts_with("---\n# Source: deploy/configmap.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  A: '1'\n---\n# Source: deploy/secret.yaml\n"), "{stripped}");
        assert!(
            stripped.contains("paas.dev/values-left-out: PASSWORD,TOKEN"),
            "{stripped}"
        );
        assert_eq!(
            strip_record(&stripped).unwrap(),
            stripped,
            "stripping twice changes nothing"
        );
        let parsed = crate::manifests::parse_rendered(&stripped, "release").unwrap();
        assert_eq!(parsed.len(), 2);
    }
}
