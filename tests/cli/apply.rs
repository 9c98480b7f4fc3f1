//! Server-side apply, no-op detection, pruning, field conflicts and immutable fields against
//! the real API server.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{Patch, PatchParams};
use paas::deploy::apply::{self, ApplyError, ApplySettings, ChangeAction};
use paas::manifests::Manifest;

use crate::render::{context, standard_templates};
use crate::support::platform::Platform;

fn manifests(env: &[(&str, &str)]) -> Vec<Manifest> {
    let values: BTreeMap<String, String> = env
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let mut context = context(values, Some("/healthz".into()));
    context.namespace = None;
    context.access = None;
    paas::manifests::render(&standard_templates(), &context).expect("renders")
}

fn actions(changes: &[apply::ObjectChange]) -> Vec<(String, ChangeAction)> {
    changes.iter().map(|c| (c.id.clone(), c.action)).collect()
}

fn settings(platform: &Platform) -> ApplySettings {
    ApplySettings {
        app: "web".into(),
        namespace: platform.namespace.clone(),
        force_conflicts: false,
        dry_run: false,
    }
}

/// The `MODE` value of the live `ConfigMap`.
async fn live_mode(platform: &Platform) -> Option<String> {
    let live = platform
        .api::<ConfigMap>()
        .get("web-env")
        .await
        .expect("the ConfigMap");
    live.data.unwrap_or_default().get("MODE").cloned()
}

#[tokio::test]
async fn apply_is_idempotent_and_says_what_changed() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let settings = settings(&platform);
    let first = manifests(&[("MODE", "a")]);
    let changes = apply::apply(&platform.client, &settings, &first)
        .await
        .unwrap();
    assert!(
        changes.iter().all(|c| c.action == ChangeAction::Created),
        "{changes:?}"
    );
    assert_eq!(changes.len(), 5);

    let again = apply::apply(&platform.client, &settings, &first)
        .await
        .unwrap();
    assert!(
        again.iter().all(|c| c.action == ChangeAction::Unchanged),
        "nothing changed: {again:?}"
    );

    let edited = apply::apply(&platform.client, &settings, &manifests(&[("MODE", "b")]))
        .await
        .unwrap();
    assert_eq!(
        actions(&edited),
        [
            ("configmap/web-env".into(), ChangeAction::Configured),
            ("service/web".into(), ChangeAction::Unchanged),
            ("deployment/web".into(), ChangeAction::Unchanged),
            ("poddisruptionbudget/web".into(), ChangeAction::Unchanged),
            ("ingress/web".into(), ChangeAction::Unchanged),
        ]
    );

    // A server-side dry run persists nothing.
    let dry = ApplySettings {
        dry_run: true,
        ..settings.clone()
    };
    apply::apply(&platform.client, &dry, &manifests(&[("MODE", "c")]))
        .await
        .unwrap();
    assert_eq!(live_mode(&platform).await.as_deref(), Some("b"));
}

#[tokio::test]
async fn prune_deletes_only_what_the_app_no_longer_declares() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let settings = settings(&platform);
    let all = manifests(&[]);
    apply::apply(&platform.client, &settings, &all)
        .await
        .unwrap();
    // Someone else's ConfigMap, and one with a paas label of another app.
    for (name, app) in [("unrelated", None), ("other-app-env", Some("other"))] {
        let mut labels = BTreeMap::new();
        if let Some(app) = app {
            labels.insert("paas.dev/app".to_owned(), app.to_owned());
            labels.insert("app.kubernetes.io/managed-by".to_owned(), "paas".to_owned());
        }
        let object = serde_json::json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "labels": labels}});
        platform
            .api::<ConfigMap>()
            .patch(name, &PatchParams::apply("test"), &Patch::Apply(&object))
            .await
            .unwrap();
    }
    let without_pdb: Vec<Manifest> = all
        .iter()
        .filter(|m| m.kind != "PodDisruptionBudget")
        .cloned()
        .collect();
    let pruned = apply::prune(&platform.client, &settings, &without_pdb)
        .await
        .unwrap();
    assert_eq!(
        actions(&pruned),
        [("poddisruptionbudget/web".into(), ChangeAction::Pruned)]
    );
    for name in ["unrelated", "other-app-env", "web-env"] {
        assert!(
            platform
                .api::<ConfigMap>()
                .get_opt(name)
                .await
                .unwrap()
                .is_some(),
            "{name} stays"
        );
    }
    assert!(
        apply::prune(&platform.client, &settings, &without_pdb)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_field_owned_by_another_manager_is_a_conflict() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let settings = settings(&platform);
    apply::apply(&platform.client, &settings, &manifests(&[("MODE", "a")]))
        .await
        .unwrap();
    // kubectl (server-side) takes the value over.
    let patch = serde_json::json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "web-env"}, "data": {"MODE": "hand-edited"}});
    platform
        .api::<ConfigMap>()
        .patch(
            "web-env",
            &PatchParams::apply("kubectl").force(),
            &Patch::Apply(&patch),
        )
        .await
        .unwrap();
    let err = apply::apply(&platform.client, &settings, &manifests(&[("MODE", "b")]))
        .await
        .unwrap_err();
    match &err {
        ApplyError::Conflict {
            id,
            conflicts,
            applied,
            remaining,
        } => {
            assert_eq!(id, "configmap/web-env");
            assert_eq!(conflicts.len(), 1);
            assert_eq!(conflicts[0].manager, "kubectl");
            assert!(conflicts[0].field.contains("MODE"), "{conflicts:?}");
            assert!(applied.is_empty());
            assert_eq!(remaining.len(), 5, "nothing after the conflict was applied");
        }
        other => panic!("expected a conflict, got {other}"),
    }
    assert!(err.to_string().contains("(by `kubectl`)"), "{err}");
    let forced = ApplySettings {
        force_conflicts: true,
        ..settings
    };
    apply::apply(&platform.client, &forced, &manifests(&[("MODE", "b")]))
        .await
        .unwrap();
    assert_eq!(live_mode(&platform).await.as_deref(), Some("b"));
}

#[tokio::test]
async fn changing_an_immutable_selector_is_explained() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let settings = settings(&platform);
    let first = manifests(&[]);
    apply::apply(&platform.client, &settings, &first)
        .await
        .unwrap();
    let mut changed = first.clone();
    let deployment = changed.iter_mut().find(|m| m.kind == "Deployment").unwrap();
    for path in [
        "/spec/selector/matchLabels",
        "/spec/template/metadata/labels",
    ] {
        deployment
            .value
            .pointer_mut(path)
            .unwrap()
            .as_object_mut()
            .unwrap()
            .insert("tier".into(), "web".into());
    }
    let err = apply::apply(&platform.client, &settings, &changed)
        .await
        .unwrap_err();
    match err {
        ApplyError::Invalid {
            id,
            immutable,
            applied,
            ..
        } => {
            assert_eq!(id, "deployment/web");
            assert!(immutable);
            assert_eq!(applied, ["configmap/web-env", "service/web"]);
        }
        other => panic!("expected an immutable-field error, got {other}"),
    }
}

/// Characters that YAML reads differently from JSON (line breaks it folds, characters outside
/// its printable set, the byte order mark), and others around them that must stay as they are.
const TRICKY: &str = "nel\u{85}|ls\u{2028}|ps\u{2029}|cr\r|crlf\r\n|lf\n|tab\t|bom\u{feff}|c0\u{1}\u{1b}\u{1f}|del\u{7f}|c1\u{80}\u{9f}|nbsp\u{a0}|nonchar\u{fffe}\u{ffff}|astral😀|  two spaces  ";

#[tokio::test]
async fn config_values_reach_the_cluster_byte_for_byte() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let settings = settings(&platform);
    let each: Vec<(String, String)> = TRICKY
        .split('|')
        .enumerate()
        .map(|(i, part)| (format!("V{i}"), part.to_owned()))
        .chain([("ALL".to_owned(), TRICKY.to_owned())])
        .collect();
    let env: Vec<(&str, &str)> = each.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    apply::apply(&platform.client, &settings, &manifests(&env))
        .await
        .expect("applies");
    // The object as the API server stores it: its own JSON, decoded here and nowhere else.
    let request = http::Request::get(format!(
        "/api/v1/namespaces/{}/configmaps/web-env",
        platform.namespace
    ))
    .body(Vec::new())
    .expect("request");
    let raw = platform.client.request_text(request).await.expect("GET");
    let live: serde_json::Value = serde_json::from_str(&raw).expect("JSON");
    for (key, value) in &each {
        let stored = live["data"][key].as_str().unwrap_or_default();
        assert_eq!(
            stored.as_bytes(),
            value.as_bytes(),
            "{key}: sent {value:?}, stored {stored:?}"
        );
    }
    // Applying the same values again changes nothing.
    let again = apply::apply(&platform.client, &settings, &manifests(&env))
        .await
        .expect("applies");
    assert!(
        again.iter().all(|c| c.action == ChangeAction::Unchanged),
        "{again:?}"
    );
}
