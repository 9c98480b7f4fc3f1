//! Reading what the cluster has of prometheus-operator: whether it serves `ServiceMonitor`, its
//! `Prometheus` objects' selectors, and an app's live `ServiceMonitor`.
//!
//! The decisions made from them (which labels, scraped or not) are pure functions in
//! [`crate::monitoring`]. Reading `Prometheus` objects in every namespace needs a cluster-wide
//! `list` that a developer's account may lack: that is reported as [`Prometheuses::Unreadable`],
//! never as an error, because the app deploys the same either way.

use std::collections::BTreeMap;

use ::kube::Client;
use ::kube::api::{Api, ApiResource, DynamicObject, ListParams};
use k8s_openapi::api::core::v1::Namespace;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

use crate::monitoring::Scraper;

/// The API group and version of prometheus-operator's resources.
pub const GROUP_VERSION: &str = "monitoring.coreos.com/v1";

fn resource(kind: &str, plural: &str) -> ApiResource {
    ApiResource {
        group: "monitoring.coreos.com".into(),
        version: "v1".into(),
        api_version: GROUP_VERSION.into(),
        kind: kind.into(),
        plural: plural.into(),
    }
}

/// Returns the API resource of `ServiceMonitor`.
#[must_use]
pub fn service_monitor_resource() -> ApiResource {
    resource(crate::manifests::SERVICE_MONITOR_KIND, "servicemonitors")
}

/// Returns the API resource of `Prometheus`.
#[must_use]
pub fn prometheus_resource() -> ApiResource {
    resource("Prometheus", "prometheuses")
}

/// The cluster's `Prometheus` objects, as far as paas may read them.
#[derive(Debug, Clone, PartialEq)]
pub enum Prometheuses {
    /// Every one, in every namespace.
    Read(Vec<Scraper>),
    /// The account may not list them (the API server's message).
    Unreadable(String),
}

/// What the cluster has of prometheus-operator.
#[derive(Debug, Clone, PartialEq)]
pub enum Operator {
    /// The cluster does not serve `ServiceMonitor` (the operator's CRDs are not installed).
    Absent,
    /// It does.
    Present {
        /// Its `Prometheus` objects.
        prometheuses: Prometheuses,
        /// The labels of the app's namespace (only `kubernetes.io/metadata.name` when the
        /// namespace does not exist yet or cannot be read).
        namespace_labels: BTreeMap<String, String>,
    },
}

/// Finds out whether the cluster serves `ServiceMonitor` and reads its `Prometheus` objects
/// and the labels of `namespace`.
///
/// # Errors
///
/// A [`::kube::Error`] when the API server cannot be asked at all (discovery failed for
/// another reason than the group being absent).
pub async fn discover(client: &Client, namespace: &str) -> Result<Operator, ::kube::Error> {
    let resources = match client.list_api_group_resources(GROUP_VERSION).await {
        Ok(list) => list,
        Err(err) if super::is_not_found(&err) => return Ok(Operator::Absent),
        Err(err) => return Err(err),
    };
    if !resources
        .resources
        .iter()
        .any(|r| r.name == "servicemonitors")
    {
        return Ok(Operator::Absent);
    }
    let api: Api<DynamicObject> = Api::all_with(client.clone(), &prometheus_resource());
    let prometheuses = match api.list(&ListParams::default()).await {
        Ok(list) => Prometheuses::Read(list.items.iter().map(scraper).collect()),
        Err(err) if super::is_not_found(&err) => Prometheuses::Read(Vec::new()),
        Err(::kube::Error::Api(status)) if status.is_forbidden() => {
            Prometheuses::Unreadable(status.message)
        }
        Err(err) => return Err(err),
    };
    Ok(Operator::Present {
        prometheuses,
        namespace_labels: namespace_labels(client, namespace).await,
    })
}

/// Returns the labels of `namespace`, or only the name label Kubernetes sets on every
/// namespace when it does not exist (yet) or may not be read.
pub async fn namespace_labels(client: &Client, namespace: &str) -> BTreeMap<String, String> {
    let api: Api<Namespace> = Api::all(client.clone());
    let mut labels = match api.get_opt(namespace).await {
        Ok(Some(found)) => found.metadata.labels.unwrap_or_default(),
        _ => BTreeMap::new(),
    };
    labels
        .entry("kubernetes.io/metadata.name".to_owned())
        .or_insert_with(|| namespace.to_owned());
    labels
}

/// Returns the labels of the live `ServiceMonitor` `name` in `namespace`, or none when there
/// is none (or the cluster does not serve the kind).
///
/// # Errors
///
/// A [`::kube::Error`] other than "not found".
pub async fn live_labels(
    client: &Client,
    namespace: &str,
    name: &str,
) -> Result<Option<BTreeMap<String, String>>, ::kube::Error> {
    let api: Api<DynamicObject> =
        Api::namespaced_with(client.clone(), namespace, &service_monitor_resource());
    match api.get_opt(name).await {
        Ok(found) => Ok(found.map(|o| o.metadata.labels.unwrap_or_default())),
        Err(err) if super::is_not_found(&err) => Ok(None),
        Err(err) => Err(err),
    }
}

fn scraper(object: &DynamicObject) -> Scraper {
    let selector = |field: &str| -> Option<LabelSelector> {
        object
            .data
            .pointer(&format!("/spec/{field}"))
            .filter(|v| !v.is_null())
            .and_then(|v| serde_json::from_value(v.clone()).ok())
    };
    Scraper {
        namespace: object.metadata.namespace.clone().unwrap_or_default(),
        name: object.metadata.name.clone().unwrap_or_default(),
        selector: selector("serviceMonitorSelector"),
        namespace_selector: selector("serviceMonitorNamespaceSelector"),
    }
}
