//! Rendering the project's `deploy/` templates into typed Kubernetes objects.
//!
//! Every `{{ }}` in a manifest template prints a JSON value (strings quoted and escaped),
//! so no value from `paas.toml` can add a key or a document. The result is parsed into
//! k8s-openapi types, compared with what was written (so a misspelt field is an error, not
//! silently dropped), and checked against the defaults paas promises: matching selectors and
//! the Pod Security "restricted" level. Nothing is written here.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{Deployment, StatefulSet};
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use k8s_openapi::api::core::v1::{ConfigMap, PodSpec, Secret, Service, ServiceAccount};
use k8s_openapi::api::networking::v1::{Ingress, NetworkPolicy};
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use serde::Serialize;
use serde_json::Value;

use crate::config::Autoscale;
use crate::pack::render::environment;

/// The values the manifest templates see.
#[derive(Debug, Clone, Serialize)]
pub struct ManifestContext {
    /// The app's identity.
    pub app: AppInfo,
    /// The image reference to run.
    pub image: String,
    /// The namespace, or none to leave it to the kube context.
    pub namespace: Option<String>,
    /// The standard labels of every object.
    pub labels: BTreeMap<String, String>,
    /// The stable subset of the labels that selectors use.
    pub selector_labels: BTreeMap<String, String>,
    /// How the app runs.
    pub deploy: DeployValues,
    /// The public host, if any.
    pub ingress: Option<IngressValues>,
    /// Who may call the app, if restricted.
    pub access: Option<AccessValues>,
    /// The variables the app's container gets for its components (Kubernetes `EnvVar`s):
    /// passwords by `secretKeyRef`, URLs by `$(VAR)` reference ([`crate::component::wiring`]).
    pub app_env: Vec<Value>,
    /// The app's components, as their templates see them.
    pub components: Vec<crate::component::ComponentContext>,
    /// How the app is scraped, when monitoring is on and an endpoint is known.
    pub monitoring: Option<MonitoringValues>,
    /// The annotations of the app's pods: Fluent Bit's parser when the pack's logs are JSON,
    /// and Prometheus's scrape annotations when no `ServiceMonitor` is written.
    pub pod_annotations: BTreeMap<String, String>,
    /// What the monitoring values and annotations are derived from
    /// ([`crate::pack::values::derive_telemetry`]); not a template value.
    #[serde(skip)]
    pub telemetry: crate::pack::values::Telemetry,
}

/// `monitoring.*` in templates: present when monitoring is on and the metrics endpoint is
/// known (from the pack or `[monitoring]` in `paas.toml`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonitoringValues {
    /// The container port of the metrics endpoint; the Service's port of the same number
    /// is named [`MonitoringValues::port_name`].
    pub port: u16,
    /// The name of the metrics port of the Service and the exporter: `metrics`.
    pub port_name: String,
    /// The HTTP path of the endpoint.
    pub path: String,
    /// The exporter run beside the app, if the pack has one.
    pub exporter: Option<ExporterValues>,
    /// The `ServiceMonitor` to write, when the cluster serves prometheus-operator's
    /// `ServiceMonitor`; none means the pods carry the `prometheus.io/*` annotations instead.
    pub service_monitor: Option<ServiceMonitorValues>,
    /// The namespaces the app's scraper runs in, when known: those of the `Prometheus` objects
    /// that select the app, or `[monitoring] namespace`. Empty when unknown. A `NetworkPolicy`
    /// lets them in to the port named `metrics`.
    pub scraper_namespaces: Vec<String>,
    /// The Grafana dashboard, when `[monitoring] dashboard = true`.
    pub dashboard: Option<DashboardValues>,
}

/// `monitoring.exporter.*`: the sidecar serving the metrics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExporterValues {
    /// The container's name: `exporter`.
    pub name: String,
    /// Its image.
    pub image: String,
    /// Its arguments.
    pub args: Vec<String>,
}

/// `monitoring.service_monitor.*`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceMonitorValues {
    /// Its labels: the app's, those the cluster's Prometheus selects, and `[monitoring] labels`.
    pub labels: BTreeMap<String, String>,
}

/// `monitoring.dashboard.*`: a `ConfigMap` Grafana's dashboard sidecar loads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DashboardValues {
    /// The `ConfigMap`'s name: `<app>-dashboard`.
    pub name: String,
    /// Its labels: the app's and `grafana_dashboard: "1"`.
    pub labels: BTreeMap<String, String>,
    /// Its data: `<app>.json` → the dashboard JSON.
    pub data: BTreeMap<String, String>,
}

/// `app.*` in templates.
#[derive(Debug, Clone, Serialize)]
pub struct AppInfo {
    /// The DNS-1123 name.
    pub name: String,
    /// The container port.
    pub port: u16,
    /// The version label: the image tag.
    pub version: String,
    /// The pack the project uses.
    pub pack: String,
}

/// `deploy.*` in templates.
#[derive(Debug, Clone, Serialize)]
pub struct DeployValues {
    /// Pods to run.
    pub replicas: u32,
    /// HTTP probe path, or none for TCP probes.
    pub health_path: Option<String>,
    /// CPU request.
    pub cpu_request: String,
    /// CPU limit.
    pub cpu_limit: String,
    /// Memory request.
    pub memory_request: String,
    /// Memory limit.
    pub memory_limit: String,
    /// Seconds without progress before a rollout counts as failed.
    pub progress_deadline_seconds: u32,
    /// Plain environment variables (the `ConfigMap`).
    pub env: BTreeMap<String, String>,
    /// Autoscaling bounds, when an HPA owns the replica count.
    pub autoscale: Option<Autoscale>,
    /// The numeric user the container runs as.
    pub run_as_user: i64,
    /// The `ConfigMap`'s name.
    pub config_name: String,
    /// The name of the app's own Secret (`paas secret`), which the container gets with
    /// `envFrom` (optional: it may not exist).
    pub secrets_name: String,
}

/// `ingress.*` in templates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IngressValues {
    /// The first public host (templates written before `hosts` existed use it).
    pub host: String,
    /// Every public host, `www.` pairs included: one rule each.
    pub hosts: Vec<String>,
    /// The ingress class.
    pub class: String,
    /// The path prefix.
    pub path: String,
    /// The TLS Secret, if any: the one named, or the one cert-manager writes for the issuer.
    pub tls_secret: Option<String>,
    /// The Ingress's annotations: cert-manager's issuer annotation when an issuer is set.
    pub annotations: BTreeMap<String, String>,
}

/// `access.*` in templates: the resolved rules of `[access]`, with what `paas up` found in the
/// cluster ([`crate::access::discover`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccessValues {
    /// The apps whose pods may call this one.
    pub allow_from: Vec<String>,
    /// The ingress controller's namespace, allowed in as well (set in `paas.toml`, or found
    /// from the ingress class when the app has a host).
    pub ingress_namespace: Option<String>,
    /// The labels of the ingress controller's pods in that namespace (AND with it), when
    /// known; empty lets in every pod of the namespace.
    pub ingress_pods: BTreeMap<String, String>,
    /// The address blocks of a host-network ingress controller (its nodes' addresses), which
    /// no pod selector can match.
    pub ingress_addresses: Vec<String>,
    /// Outgoing calls, when restricted (`[access] egress`).
    pub egress: Option<EgressValues>,
}

/// `access.egress.*` in templates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EgressValues {
    /// Apps of the namespace the app may call (on their `http` port).
    pub apps: Vec<String>,
    /// Address blocks the app may call, each on one port or all.
    pub blocks: Vec<EgressBlock>,
    /// The cluster DNS, always let through.
    pub dns: DnsValues,
}

/// An address block of `[access] egress`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EgressBlock {
    /// The CIDR.
    pub cidr: String,
    /// The TCP port, or none for every port.
    pub port: Option<u16>,
}

/// Where the cluster DNS answers: its pods (by namespace and labels) and the addresses no pod
/// selector matches (host-network DNS pods, `NodeLocal DNSCache`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DnsValues {
    /// The namespace of the DNS pods.
    pub namespace: String,
    /// The labels of the DNS pods.
    pub pods: BTreeMap<String, String>,
    /// Address blocks of DNS servers that are no pod's.
    pub addresses: Vec<String>,
}

impl Default for DnsValues {
    /// kube-dns (`k8s-app=kube-dns` in `kube-system`), as `CoreDNS` and kube-dns both label it.
    fn default() -> Self {
        Self {
            namespace: "kube-system".to_owned(),
            pods: BTreeMap::from([("k8s-app".to_owned(), "kube-dns".to_owned())]),
            addresses: Vec::new(),
        }
    }
}

/// The `apiVersion` of prometheus-operator's `ServiceMonitor`.
pub const SERVICE_MONITOR_API_VERSION: &str = "monitoring.coreos.com/v1";
/// The kind of prometheus-operator's `ServiceMonitor`.
pub const SERVICE_MONITOR_KIND: &str = "ServiceMonitor";

/// A typed Kubernetes object paas knows how to apply.
#[derive(Debug, Clone)]
pub enum Object {
    /// apps/v1 Deployment.
    Deployment(Box<Deployment>),
    /// apps/v1 `StatefulSet` (a component).
    StatefulSet(Box<StatefulSet>),
    /// v1 Service.
    Service(Box<Service>),
    /// v1 `ConfigMap`.
    ConfigMap(Box<ConfigMap>),
    /// v1 Secret.
    Secret(Box<Secret>),
    /// v1 `ServiceAccount`.
    ServiceAccount(Box<ServiceAccount>),
    /// networking.k8s.io/v1 Ingress.
    Ingress(Box<Ingress>),
    /// networking.k8s.io/v1 `NetworkPolicy`.
    NetworkPolicy(Box<NetworkPolicy>),
    /// autoscaling/v2 `HorizontalPodAutoscaler`.
    HorizontalPodAutoscaler(Box<HorizontalPodAutoscaler>),
    /// policy/v1 `PodDisruptionBudget`.
    PodDisruptionBudget(Box<PodDisruptionBudget>),
    /// monitoring.coreos.com/v1 `ServiceMonitor` (prometheus-operator's; no typed schema here,
    /// so its fields are checked by the API server).
    ServiceMonitor(Box<::kube::api::DynamicObject>),
}

impl Object {
    /// Returns the order objects are applied in: what others refer to comes first.
    #[must_use]
    pub fn apply_order(&self) -> u8 {
        match self {
            Self::ServiceAccount(_) => 0,
            Self::ConfigMap(_) | Self::Secret(_) => 1,
            Self::Service(_) => 2,
            Self::Deployment(_) | Self::StatefulSet(_) => 3,
            Self::HorizontalPodAutoscaler(_) | Self::PodDisruptionBudget(_) => 4,
            Self::Ingress(_) | Self::NetworkPolicy(_) | Self::ServiceMonitor(_) => 5,
        }
    }
}

/// One rendered manifest.
#[derive(Debug, Clone)]
pub struct Manifest {
    /// The template it came from, such as `deploy/deployment.yaml`.
    pub source: String,
    /// `Kind`.
    pub kind: String,
    /// `metadata.name`.
    pub name: String,
    /// The typed object.
    pub object: Object,
    /// The object as JSON, as it will be sent.
    pub value: Value,
}

impl Manifest {
    /// Returns `kind/name` in lowercase, as kubectl prints it.
    #[must_use]
    pub fn id(&self) -> String {
        format!("{}/{}", self.kind.to_lowercase(), self.name)
    }
}

/// Why the manifests could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A template failed to compile or render; minijinja's message names the line.
    #[error("failed to render `{file}`: {message}")]
    Template {
        /// The template.
        file: String,
        /// The message, with the line.
        message: String,
    },
    /// The rendered text is not YAML.
    #[error("`{file}` does not render to valid YAML: {message}")]
    Yaml {
        /// The template.
        file: String,
        /// The parser's message, with the line of the rendered text.
        message: String,
    },
    /// A document is not an object paas knows, or does not fit its type.
    #[error("`{file}`, document {document}: {message}")]
    Object {
        /// The template.
        file: String,
        /// The document's number in the file, from 1.
        document: usize,
        /// What is wrong.
        message: String,
    },
    /// A rule paas promises does not hold.
    #[error("`{file}`: {id} {message}")]
    Policy {
        /// The template.
        file: String,
        /// `kind/name`.
        id: String,
        /// The broken rule.
        message: String,
    },
    /// Two documents describe the same object.
    #[error("{id} is defined twice, in `{first}` and `{second}`")]
    Duplicate {
        /// `kind/name`.
        id: String,
        /// One template.
        first: String,
        /// The other.
        second: String,
    },
    /// There is nothing to deploy.
    #[error("the templates render no Deployment")]
    NoDeployment,
}

/// Renders the templates (file name → text) with `context`, in file-name order, and
/// returns the objects sorted in apply order.
pub fn render(
    templates: &BTreeMap<String, String>,
    context: &ManifestContext,
) -> Result<Vec<Manifest>, RenderError> {
    let manifests = render_objects(templates, context)?;
    if !manifests
        .iter()
        .any(|m| matches!(m.object, Object::Deployment(_)))
    {
        return Err(RenderError::NoDeployment);
    }
    if !context.app_env.is_empty() {
        check_app_env(&manifests, context)?;
    }
    Ok(manifests)
}

/// Checks that the Deployment passes the components' variables to its container: templates
/// written before components existed do not.
fn check_app_env(manifests: &[Manifest], context: &ManifestContext) -> Result<(), RenderError> {
    for manifest in manifests {
        let Object::Deployment(deployment) = &manifest.object else {
            continue;
        };
        let containers = deployment
            .spec
            .as_ref()
            .and_then(|s| s.template.spec.as_ref())
            .map(|p| p.containers.clone())
            .unwrap_or_default();
        let has = |name: &str| {
            containers
                .iter()
                .any(|c| c.env.iter().flatten().any(|e| e.name == name))
        };
        if let Some(missing) = context
            .app_env
            .iter()
            .filter_map(|e| e.get("name").and_then(Value::as_str))
            .find(|name| !has(name))
        {
            return Err(RenderError::Policy {
                file: manifest.source.clone(),
                id: manifest.id(),
                message: format!(
                    "does not give its container `{missing}`: the template must pass the components' variables with `env: {{{{ app_env }}}}` (`paas init --force` writes the current templates)"
                ),
            });
        }
    }
    Ok(())
}

/// Renders templates (file name → text) with any `context` and checks each object, without
/// asking for a Deployment; returns the objects sorted in apply order.
pub fn render_objects<C: Serialize>(
    templates: &BTreeMap<String, String>,
    context: &C,
) -> Result<Vec<Manifest>, RenderError> {
    let env = environment(true);
    let mut manifests: Vec<Manifest> = Vec::new();
    for (file, text) in templates {
        let template_error = |err: minijinja::Error| RenderError::Template {
            file: file.clone(),
            message: describe(&err),
        };
        let template = env
            .template_from_named_str(file.as_str(), text.as_str())
            .map_err(template_error)?;
        let rendered = template
            .render(minijinja::value::Serde(context))
            .map_err(template_error)?;
        let documents: Vec<Value> =
            serde_saphyr::from_multiple(&rendered).map_err(|err| RenderError::Yaml {
                file: file.clone(),
                message: err.to_string(),
            })?;
        for (index, document) in documents.into_iter().enumerate() {
            if document.is_null() {
                continue;
            }
            let manifest = typed(file, index + 1, document)?;
            if let Some(other) = manifests.iter().find(|m| m.id() == manifest.id()) {
                return Err(RenderError::Duplicate {
                    id: manifest.id(),
                    first: other.source.clone(),
                    second: file.clone(),
                });
            }
            manifests.push(manifest);
        }
    }
    for manifest in &manifests {
        check_policy(manifest)?;
    }
    sort(&mut manifests);
    Ok(manifests)
}

/// Parses a YAML stream paas rendered before (a release's manifests) back into manifests,
/// in apply order. `source` names the stream in errors.
pub fn parse_rendered(yaml: &str, source: &str) -> Result<Vec<Manifest>, RenderError> {
    let documents: Vec<Value> =
        serde_saphyr::from_multiple(yaml).map_err(|err| RenderError::Yaml {
            file: source.to_owned(),
            message: err.to_string(),
        })?;
    let mut manifests = Vec::new();
    for (index, document) in documents.into_iter().enumerate() {
        if !document.is_null() {
            manifests.push(typed(source, index + 1, document)?);
        }
    }
    sort(&mut manifests);
    Ok(manifests)
}

/// Sorts manifests in apply order (what others refer to first), then by `kind/name`.
pub fn sort(manifests: &mut [Manifest]) {
    manifests.sort_by(|a, b| {
        a.object
            .apply_order()
            .cmp(&b.object.apply_order())
            .then(a.id().cmp(&b.id()))
    });
}

/// Writes manifests as one YAML stream.
#[must_use]
pub fn to_yaml_stream(manifests: &[Manifest]) -> String {
    let mut out = String::new();
    for manifest in manifests {
        out.push_str("---\n# Source: ");
        out.push_str(&manifest.source);
        out.push('\n');
        out.push_str(&to_yaml(&manifest.value));
    }
    out
}

/// Writes one value as YAML.
#[must_use]
pub fn to_yaml(value: &Value) -> String {
    let text = serde_saphyr::to_string(value).unwrap_or_default();
    if text.ends_with('\n') {
        text
    } else {
        text + "\n"
    }
}

fn describe(err: &minijinja::Error) -> String {
    let mut message = err
        .detail()
        .map_or_else(|| err.kind().to_string(), ToOwned::to_owned);
    if let Some(line) = err.line() {
        message = format!("line {line}: {message}");
    }
    message
}

fn typed(file: &str, document: usize, value: Value) -> Result<Manifest, RenderError> {
    let fail = |message: String| RenderError::Object {
        file: file.to_owned(),
        document,
        message,
    };
    let api_version = value
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let kind = value
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let name = value
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .ok_or_else(|| fail("no `metadata.name`".into()))?
        .to_owned();
    if !crate::names::is_label(&name) && !is_subdomain(&name) {
        return Err(fail(format!(
            "`{}` is not a valid object name",
            crate::names::shown(&name)
        )));
    }
    macro_rules! parse {
        ($variant:ident, $ty:ty) => {{
            let object: $ty = serde_json::from_value(value.clone())
                .map_err(|err| fail(format!("invalid {kind}: {err}")))?;
            let back = serde_json::to_value(&object).map_err(|err| fail(err.to_string()))?;
            if let Some(path) = first_unknown(&value, &back, "") {
                return Err(fail(format!(
                    "unknown or misplaced field `{path}` in {kind} `{name}`"
                )));
            }
            (Object::$variant(Box::new(object)), back)
        }};
    }
    let (object, value) = match (api_version.as_str(), kind.as_str()) {
        ("apps/v1", "Deployment") => parse!(Deployment, Deployment),
        ("apps/v1", "StatefulSet") => parse!(StatefulSet, StatefulSet),
        ("v1", "Service") => parse!(Service, Service),
        ("v1", "ConfigMap") => parse!(ConfigMap, ConfigMap),
        ("v1", "Secret") => parse!(Secret, Secret),
        ("v1", "ServiceAccount") => parse!(ServiceAccount, ServiceAccount),
        ("networking.k8s.io/v1", "Ingress") => parse!(Ingress, Ingress),
        ("networking.k8s.io/v1", "NetworkPolicy") => parse!(NetworkPolicy, NetworkPolicy),
        ("autoscaling/v2", "HorizontalPodAutoscaler") => {
            parse!(HorizontalPodAutoscaler, HorizontalPodAutoscaler)
        }
        ("policy/v1", "PodDisruptionBudget") => parse!(PodDisruptionBudget, PodDisruptionBudget),
        (SERVICE_MONITOR_API_VERSION, SERVICE_MONITOR_KIND) => {
            if value.get("spec").and_then(Value::as_object).is_none() {
                return Err(fail(format!("{kind} `{name}` has no `spec`")));
            }
            let object: ::kube::api::DynamicObject = serde_json::from_value(value.clone())
                .map_err(|err| fail(format!("invalid {kind}: {err}")))?;
            (Object::ServiceMonitor(Box::new(object)), value)
        }
        _ => {
            return Err(fail(format!(
                "`{api_version}` `{kind}` is not a kind paas deploys (Deployment, StatefulSet, Service, ConfigMap, Secret, \
                 ServiceAccount, Ingress, NetworkPolicy, HorizontalPodAutoscaler, PodDisruptionBudget, ServiceMonitor)"
            )));
        }
    };
    Ok(Manifest {
        source: file.to_owned(),
        kind,
        name,
        object,
        value,
    })
}

/// Returns whether `name` is a DNS-1123 subdomain (the rule for most object names): labels of
/// lowercase letters, digits and '-' joined by dots, at most 253 characters in all.
fn is_subdomain(name: &str) -> bool {
    name.len() <= 253
        && name.split('.').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !part.starts_with('-')
                && !part.ends_with('-')
        })
}

/// Returns the path of the first field of `written` that did not survive the typed round
/// trip. Scalars that differ only in JSON type (`80` vs `"80"`) count as equal.
fn first_unknown(written: &Value, back: &Value, path: &str) -> Option<String> {
    match (written, back) {
        (Value::Object(a), Value::Object(b)) => a.iter().find_map(|(key, value)| {
            let child = format!("{path}.{key}");
            match b.get(key) {
                None if value.is_null() => None,
                None => Some(child),
                Some(other) => first_unknown(value, other, &child),
            }
        }),
        (Value::Array(a), Value::Array(b)) => a
            .iter()
            .zip(b)
            .enumerate()
            .find_map(|(i, (x, y))| first_unknown(x, y, &format!("{path}[{i}]"))),
        _ => None,
    }
}

fn check_policy(manifest: &Manifest) -> Result<(), RenderError> {
    let fail = |message: String| RenderError::Policy {
        file: manifest.source.clone(),
        id: manifest.id(),
        message,
    };
    let (selector, template, claims) = match &manifest.object {
        Object::Deployment(deployment) => {
            let spec = deployment
                .spec
                .as_ref()
                .ok_or_else(|| fail("has no spec".into()))?;
            (&spec.selector, &spec.template, Vec::new())
        }
        Object::StatefulSet(set) => {
            let spec = set
                .spec
                .as_ref()
                .ok_or_else(|| fail("has no spec".into()))?;
            let claims: Vec<String> = spec
                .volume_claim_templates
                .iter()
                .flatten()
                .filter_map(|c| c.metadata.name.clone())
                .collect();
            (&spec.selector, &spec.template, claims)
        }
        Object::NetworkPolicy(policy) => {
            return match crate::access::rules::over_permits(policy)
                .into_iter()
                .next()
            {
                Some(problem) => Err(fail(format!(
                    "lets in or out more than an access rule should: {problem}"
                ))),
                None => Ok(()),
            };
        }
        _ => return Ok(()),
    };
    let selector = selector.match_labels.clone().unwrap_or_default();
    if selector.is_empty() {
        return Err(fail("has an empty selector".into()));
    }
    let pod_labels = template
        .metadata
        .as_ref()
        .and_then(|m| m.labels.clone())
        .unwrap_or_default();
    for (key, value) in &selector {
        if pod_labels.get(key) != Some(value) {
            return Err(fail(format!(
                "selects `{key}={value}`, which its pod template does not carry"
            )));
        }
    }
    let pod = template
        .spec
        .as_ref()
        .ok_or_else(|| fail("has no pod spec".into()))?;
    // The API server refuses a mount of a volume the pod does not have (a StatefulSet's claim
    // templates count as volumes): said here, with the template's file, before anything is applied.
    let volumes: Vec<&str> = pod
        .volumes
        .iter()
        .flatten()
        .map(|v| v.name.as_str())
        .chain(claims.iter().map(String::as_str))
        .collect();
    for container in pod.init_containers.iter().flatten().chain(&pod.containers) {
        for mount in container.volume_mounts.iter().flatten() {
            if !volumes.contains(&mount.name.as_str()) {
                return Err(fail(format!(
                    "container `{}` mounts volume `{}`, which the pod does not have (its volumes: {})",
                    container.name,
                    mount.name,
                    if volumes.is_empty() {
                        "none".to_owned()
                    } else {
                        volumes.join(", ")
                    }
                )));
            }
        }
    }
    if let Some(problem) = restricted_violations(pod).into_iter().next() {
        return Err(fail(format!(
            "does not meet the Pod Security \"restricted\" level: {problem}"
        )));
    }
    Ok(())
}

/// Returns why a pod spec would be refused in a namespace that enforces the Pod Security
/// "restricted" level (the checks of the Kubernetes Pod Security Standards).
#[must_use]
pub fn restricted_violations(pod: &PodSpec) -> Vec<String> {
    let mut problems = Vec::new();
    if pod.host_network == Some(true) || pod.host_pid == Some(true) || pod.host_ipc == Some(true) {
        problems.push("it shares a host namespace".to_owned());
    }
    for volume in pod.volumes.iter().flatten() {
        if volume.host_path.is_some() {
            problems.push(format!("volume `{}` is a hostPath", volume.name));
        }
    }
    let pod_context = pod.security_context.as_ref();
    let pod_non_root = pod_context.and_then(|c| c.run_as_non_root);
    let pod_user = pod_context.and_then(|c| c.run_as_user);
    let pod_seccomp = pod_context
        .and_then(|c| c.seccomp_profile.as_ref())
        .map(|p| p.type_.clone());
    let containers = pod
        .containers
        .iter()
        .chain(pod.init_containers.iter().flatten());
    for container in containers {
        let name = &container.name;
        let context = container.security_context.as_ref();
        if context.and_then(|c| c.privileged) == Some(true) {
            problems.push(format!("container `{name}` is privileged"));
        }
        if context.and_then(|c| c.allow_privilege_escalation) != Some(false) {
            problems.push(format!(
                "container `{name}` must set `allowPrivilegeEscalation: false`"
            ));
        }
        let drops_all = context
            .and_then(|c| c.capabilities.as_ref())
            .and_then(|c| c.drop.as_ref())
            .is_some_and(|d| d.iter().any(|c| c == "ALL"));
        if !drops_all {
            problems.push(format!("container `{name}` must drop capability `ALL`"));
        }
        let adds = context
            .and_then(|c| c.capabilities.as_ref())
            .and_then(|c| c.add.clone())
            .unwrap_or_default();
        if adds.iter().any(|c| c != "NET_BIND_SERVICE") {
            problems.push(format!(
                "container `{name}` adds capabilities other than `NET_BIND_SERVICE`"
            ));
        }
        let non_root = context.and_then(|c| c.run_as_non_root).or(pod_non_root);
        if non_root != Some(true) {
            problems.push(format!(
                "container `{name}` must run with `runAsNonRoot: true`"
            ));
        }
        if context.and_then(|c| c.run_as_user).or(pod_user) == Some(0) {
            problems.push(format!("container `{name}` runs as user 0"));
        }
        let seccomp = context
            .and_then(|c| c.seccomp_profile.as_ref())
            .map(|p| p.type_.clone())
            .or(pod_seccomp.clone());
        if !matches!(seccomp.as_deref(), Some("RuntimeDefault" | "Localhost")) {
            problems.push(format!(
                "container `{name}` needs seccomp profile `RuntimeDefault`"
            ));
        }
        for port in container.ports.iter().flatten() {
            if port.host_port.is_some_and(|p| p != 0) {
                problems.push(format!("container `{name}` uses a host port"));
            }
        }
    }
    problems
}
