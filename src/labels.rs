//! The labels paas puts on what it creates, and the selectors that find those objects again.
//!
//! This module owns every label key and the value `app.kubernetes.io/managed-by` carries:
//! the labels of an app's objects (which the templates receive), of its image, of the
//! namespaces paas creates, of the deploy lock's Lease and of release records, and the
//! selectors `up` (pruning), `down`, `logs` and `scale` list with. An object counts as the app's
//! only when it carries both [`APP`] and [`MANAGED_BY`]; release records and the Lease carry
//! [`RELEASE_OF`] instead of [`APP`], so pruning the app's objects never touches its history or
//! its lock. It does not decide which kinds are pruned or deleted (see
//! [`crate::deploy::apply::prunable_kinds`]).

use std::collections::BTreeMap;

/// The annotation a release record's Secret carries instead of its values: the keys left out,
/// separated by commas.
pub const VALUES_LEFT_OUT: &str = "paas.dev/values-left-out";

/// The app an object belongs to.
pub const APP: &str = "paas.dev/app";
/// The environment (`--env`) an object was deployed for.
pub const ENVIRONMENT: &str = "paas.dev/environment";
/// The namespace an object was deployed to. It repeats `metadata.namespace` so that log
/// pipelines that keep only labels (Loki, ELK) can group by it.
pub const NAMESPACE: &str = "paas.dev/namespace";
/// The label Grafana's dashboard sidecar looks for on `ConfigMap`s (its default `label`).
pub const GRAFANA_DASHBOARD: &str = "grafana_dashboard";
/// The pod annotation naming the Fluent Bit parser of the pod's log lines.
pub const FLUENT_BIT_PARSER: &str = "fluentbit.io/parser";
/// The pod annotation naming the container `kubectl logs` and `kubectl exec` use without `-c`.
pub const DEFAULT_CONTAINER: &str = "kubectl.kubernetes.io/default-container";
/// The scrape annotations Prometheus's `kubernetes-pods` job reads (prometheus-operator ignores
/// them).
pub const PROMETHEUS_SCRAPE: &str = "prometheus.io/scrape";
/// The port of the scrape annotations.
pub const PROMETHEUS_PORT: &str = "prometheus.io/port";
/// The path of the scrape annotations.
pub const PROMETHEUS_PATH: &str = "prometheus.io/path";
/// The app's name, as the Kubernetes recommended labels spell it; selectors use it.
pub const NAME: &str = "app.kubernetes.io/name";
/// The instance of the app; selectors use it.
pub const INSTANCE: &str = "app.kubernetes.io/instance";
/// The version: the image tag.
pub const VERSION: &str = "app.kubernetes.io/version";
/// The tool that manages the object; paas sets it to [`MANAGER`].
pub const MANAGED_BY: &str = "app.kubernetes.io/managed-by";
/// The value of [`MANAGED_BY`] on everything paas creates.
pub const MANAGER: &str = "paas";
/// The component (`[components.NAME]`) an object belongs to; the app's own objects have none.
pub const COMPONENT: &str = "paas.dev/component";
/// The app a component's Secret belongs to. The Secret carries it instead of [`APP`], so that
/// pruning and `down` never delete a password while the data that needs it stays.
pub const CREDENTIALS_OF: &str = "paas.dev/credentials-of";
/// The app a component is part of, as the Kubernetes recommended labels spell it.
pub const PART_OF: &str = "app.kubernetes.io/part-of";
/// The role of an object within the app, as the Kubernetes recommended labels spell it; on a
/// component's objects, its kind.
pub const ROLE: &str = "app.kubernetes.io/component";
/// The major version a component's data was created with (on its pods and volume claims).
pub const DATA_MAJOR: &str = "paas.dev/data-major";
/// Annotation of a component's old volume claim while `paas up --major` moves its data away
/// (JSON: the new major version and the dump): an upgrade cut short is finished, not repeated.
pub const MAJOR_UPGRADE: &str = "paas.dev/major-upgrade";
/// The app whose own Secret (`paas secret`) an object is. The Secret carries it instead of
/// [`APP`], so that pruning and `down` never delete values only the user knows.
pub const SECRETS_OF: &str = "paas.dev/secrets-of";
/// The pod-template annotation holding the checksum of the app's Secret
/// ([`crate::deploy::secrets::checksum`]): a change of a value changes it, and rolls the pods.
pub const SECRETS_CHECKSUM: &str = "paas.dev/secrets-checksum";
/// The annotation of the app's Secret holding the random salt of its checksum and digests, so
/// that neither says anything about a value to someone without the Secret.
pub const SECRETS_SALT: &str = "paas.dev/secrets-salt";
/// The annotation of the app's Secret holding when each key last changed: a JSON object of
/// key → RFC 3339 time.
pub const SECRETS_CHANGED: &str = "paas.dev/secrets-changed";
/// The annotation of a component's Service holding its URL without the password, which
/// `paas status` shows.
pub const URL_ANNOTATION: &str = "paas.dev/url";
/// The label of every probe pod of `paas access check` (and of the run's owner and canary
/// policy): the run's id. Also the readiness gate no one sets, which keeps a probe out of
/// every Service's endpoints.
pub const ACCESS_PROBE: &str = "paas.dev/access-probe";
/// The label of a probe's role in `paas access check`: `app`, `caller`, `open` or `closed`.
pub const ACCESS_PROBE_ROLE: &str = "paas.dev/access-probe-role";
/// What a container of the local target is: `app`, `component` or `proxy`.
pub const LOCAL_ROLE: &str = "paas.dev/local-role";
/// The hash of the spec a local container was made from: the same hash, nothing to replace.
pub const SPEC_HASH: &str = "paas.dev/spec-hash";
/// The app a release record or deploy lock belongs to.
pub const RELEASE_OF: &str = "paas.dev/release-of";
/// The revision number of a release record.
pub const REVISION: &str = "paas.dev/revision";
/// The status of a release record.
pub const STATUS: &str = "paas.dev/status";
/// The Secret type of release records.
pub const RELEASE_TYPE: &str = "paas.dev/release.v1";
/// The image label holding the build's cache key, looked up by
/// [`crate::build::find_cached`].
pub const CACHE_KEY_LABEL: &str = "dev.paas.cache-key";
/// The image label holding the context digest (`sha256:…` of the context archive).
pub const CONTEXT_DIGEST_LABEL: &str = "dev.paas.context-digest";

/// The labels the manifest templates give an app's objects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateLabels {
    /// Every label of every object.
    pub labels: BTreeMap<String, String>,
    /// The stable subset that selectors use (never the version or the environment, which
    /// change between deploys while a Deployment's selector cannot).
    pub selector_labels: BTreeMap<String, String>,
}

/// Returns the labels of `app`'s objects, deployed for `environment` at `version` (an image
/// tag, made a valid label value).
#[must_use]
pub fn template_labels(app: &str, environment: Option<&str>, version: &str) -> TemplateLabels {
    labels_of(app, app, app, environment, version)
}

/// The labels every object paas applies carries: a selector of `name` and `instance`, the
/// environment, the version, paas as the manager and the app it belongs to.
fn labels_of(
    app: &str,
    name: &str,
    instance: &str,
    environment: Option<&str>,
    version: &str,
) -> TemplateLabels {
    let selector_labels = BTreeMap::from([
        (NAME.to_owned(), name.to_owned()),
        (INSTANCE.to_owned(), instance.to_owned()),
    ]);
    let mut labels = selector_labels.clone();
    if let Some(environment) = environment {
        labels.insert(ENVIRONMENT.to_owned(), label_value(environment));
    }
    labels.insert(VERSION.to_owned(), label_value(version));
    labels.insert(MANAGED_BY.to_owned(), MANAGER.to_owned());
    labels.insert(APP.to_owned(), app.to_owned());
    TemplateLabels {
        labels,
        selector_labels,
    }
}

/// Returns the labels of component `name` (of kind `kind`, at `version`) of `app`: every object
/// and pod of it carries [`APP`] (so `up` prunes it and `down` deletes it like the app's own)
/// and [`COMPONENT`] (so the app's own pods are told from it). The selector names the instance
/// `<app>-<name>`, which no app's selector matches.
#[must_use]
pub fn component_labels(
    app: &str,
    environment: Option<&str>,
    name: &str,
    kind: &str,
    version: &str,
) -> TemplateLabels {
    let mut labels = labels_of(app, kind, &format!("{app}-{name}"), environment, version);
    labels.labels.insert(COMPONENT.to_owned(), name.to_owned());
    labels.labels.insert(PART_OF.to_owned(), app.to_owned());
    labels.labels.insert(ROLE.to_owned(), kind.to_owned());
    labels
}

/// Returns the labels of a component's volume claims: stable (a `StatefulSet`'s claim template
/// cannot change, so no version and no environment), found by `down --volumes` through [`APP`],
/// and naming the major version the data was created with.
#[must_use]
pub fn claim_labels(app: &str, name: &str, kind: &str, major: &str) -> BTreeMap<String, String> {
    let mut labels = component_labels(app, None, name, kind, "").labels;
    for not_on_claims in [VERSION, PART_OF, ROLE] {
        labels.remove(not_on_claims);
    }
    labels.insert(DATA_MAJOR.to_owned(), label_value(major));
    labels
}

/// Returns the labels of the Secret holding component `name`'s password: not [`APP`], so
/// nothing that prunes or deletes the app's objects touches it.
#[must_use]
pub fn credentials_labels(app: &str, name: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        (MANAGED_BY.to_owned(), MANAGER.to_owned()),
        (CREDENTIALS_OF.to_owned(), app.to_owned()),
        (COMPONENT.to_owned(), name.to_owned()),
    ])
}

/// Returns the labels of `app`'s own Secret (`paas secret`): not [`APP`], so nothing that
/// prunes or deletes the app's objects touches it.
#[must_use]
pub fn secrets_labels(app: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        (MANAGED_BY.to_owned(), MANAGER.to_owned()),
        (SECRETS_OF.to_owned(), app.to_owned()),
    ])
}

/// The labels that log and metrics pipelines may keep on every line: few, and each with few
/// values (never the version, which changes with every deploy). The app's own objects carry no
/// [`COMPONENT`].
pub const LOG_LABELS: [&str; 4] = [APP, ENVIRONMENT, NAMESPACE, COMPONENT];

/// Sets the namespace label of `labels` (a valid label value: a namespace is a DNS label).
pub fn set_namespace(labels: &mut BTreeMap<String, String>, namespace: &str) {
    labels.insert(NAMESPACE.to_owned(), label_value(namespace));
}

/// Returns the labels of `app`'s Grafana dashboard `ConfigMap`: the app's, and the one
/// Grafana's dashboard sidecar loads.
#[must_use]
pub fn dashboard_labels(labels: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let mut labels = labels.clone();
    labels.insert(GRAFANA_DASHBOARD.to_owned(), "1".to_owned());
    labels
}

/// Sets the version label of `labels` to the tag being deployed.
pub fn set_version(labels: &mut BTreeMap<String, String>, tag: &str) {
    labels.insert(VERSION.to_owned(), tag.to_owned());
}

/// Returns the labels of the image built for `app`.
#[must_use]
pub fn image_labels(app: &str) -> BTreeMap<String, String> {
    BTreeMap::from([(NAME.to_owned(), app.to_owned())])
}

/// Returns the labels of a namespace paas creates.
#[must_use]
pub fn namespace_labels() -> BTreeMap<String, String> {
    BTreeMap::from([(MANAGED_BY.to_owned(), MANAGER.to_owned())])
}

/// Returns the labels of `app`'s deploy lock (its Lease).
#[must_use]
pub fn lock_labels(app: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        (MANAGED_BY.to_owned(), MANAGER.to_owned()),
        (RELEASE_OF.to_owned(), app.to_owned()),
    ])
}

/// Returns the labels of release record `revision` of `app`, with its status.
#[must_use]
pub fn release_labels(app: &str, revision: u32, status: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        (MANAGED_BY.to_owned(), MANAGER.to_owned()),
        (RELEASE_OF.to_owned(), app.to_owned()),
        (REVISION.to_owned(), revision.to_string()),
        (STATUS.to_owned(), status.to_owned()),
    ])
}

/// Returns the label selector of every object paas applied for `app` (its pods included,
/// whose template carries the same labels).
#[must_use]
pub fn app_selector(app: &str) -> String {
    format!("{APP}={app},{MANAGED_BY}={MANAGER}")
}

/// Returns the label selector of `app`'s own pods (and objects): paas's, of the app, and of no
/// component.
#[must_use]
pub fn app_pods_selector(app: &str) -> String {
    format!("{APP}={app},{MANAGED_BY}={MANAGER},!{COMPONENT}")
}

/// Returns the label selector of the pods and objects of component `name` of `app`.
#[must_use]
pub fn component_selector(app: &str, name: &str) -> String {
    format!("{APP}={app},{MANAGED_BY}={MANAGER},{COMPONENT}={name}")
}

/// Returns the label selector of the Secrets holding the passwords of `app`'s components.
#[must_use]
pub fn credentials_selector(app: &str) -> String {
    format!("{CREDENTIALS_OF}={app},{MANAGED_BY}={MANAGER}")
}

/// Returns the label selector of the Secret holding the password of component `name` of `app`.
#[must_use]
pub fn component_credentials_selector(app: &str, name: &str) -> String {
    format!("{},{COMPONENT}={name}", credentials_selector(app))
}

/// Returns the label selector of `app`'s own Secret (`paas secret`).
#[must_use]
pub fn secrets_selector(app: &str) -> String {
    format!("{SECRETS_OF}={app},{MANAGED_BY}={MANAGER}")
}

/// Returns the label selector of `app`'s objects by the app label alone.
#[must_use]
pub fn app_label_selector(app: &str) -> String {
    format!("{APP}={app}")
}

/// Returns the label selector of `app`'s release records (and its deploy lock): both the
/// app's record label and paas's managed-by label.
#[must_use]
pub fn release_selector(app: &str) -> String {
    format!("{RELEASE_OF}={app},{MANAGED_BY}={MANAGER}")
}

/// Makes a label value (at most 63 characters of `[A-Za-z0-9._-]`, starting and ending with
/// an alphanumeric) from free text such as a tag.
#[must_use]
pub fn label_value(text: &str) -> String {
    let value: String = text
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        .take(63)
        .collect();
    value
        .trim_matches(|c: char| !c.is_ascii_alphanumeric())
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_labels_of_an_app() {
        let labels = template_labels("web", Some("prod"), "3f2a1c9");
        insta::assert_debug_snapshot!(labels, @r#"
        TemplateLabels {
            labels: {
                "app.kubernetes.io/instance": "web",
                "app.kubernetes.io/managed-by": "paas",
                "app.kubernetes.io/name": "web",
                "app.kubernetes.io/version": "3f2a1c9",
                "paas.dev/app": "web",
                "paas.dev/environment": "prod",
            },
            selector_labels: {
                "app.kubernetes.io/instance": "web",
                "app.kubernetes.io/name": "web",
            },
        }
        "#);
        let without = template_labels("web", None, "dev");
        assert!(!without.labels.contains_key(ENVIRONMENT));
    }

    #[test]
    fn every_selector_matches_the_labels_it_selects_by() {
        let labels = template_labels("web", None, "1").labels;
        for selector in [app_selector("web"), app_label_selector("web")] {
            for pair in selector.split(',') {
                let (key, value) = pair.split_once('=').expect("key=value");
                assert_eq!(
                    labels.get(key).map(String::as_str),
                    Some(value),
                    "{selector}"
                );
            }
        }
        assert_eq!(
            app_selector("web"),
            "paas.dev/app=web,app.kubernetes.io/managed-by=paas"
        );
        assert_eq!(
            release_selector("web"),
            "paas.dev/release-of=web,app.kubernetes.io/managed-by=paas"
        );
        let record = release_labels("web", 3, "deployed");
        assert_eq!(record.get(RELEASE_OF).map(String::as_str), Some("web"));
        assert!(!record.contains_key(APP), "pruning must not select records");
        assert!(
            !secrets_labels("web").contains_key(APP),
            "pruning must not select the app's Secret"
        );
        for pair in secrets_selector("web").split(',') {
            let (key, value) = pair.split_once('=').expect("key=value");
            assert_eq!(
                secrets_labels("web").get(key).map(String::as_str),
                Some(value)
            );
        }
        assert!(
            !lock_labels("web").contains_key(APP),
            "pruning must not select the lock"
        );
    }

    #[test]
    fn label_values_are_valid() {
        assert_eq!(label_value("v1.2.3"), "v1.2.3");
        assert_eq!(label_value("-feature/x_"), "featurex");
        assert_eq!(label_value(&"a".repeat(70)).len(), 63);
        assert_eq!(label_value("@@"), "");
    }
}
