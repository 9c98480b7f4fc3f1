//! The values the manifest templates see ([`ManifestContext`]), checked and built in one place.
//!
//! The command layer resolves flags, `PAAS_*` variables, `paas.toml` with its `[env.NAME]`
//! overrides, the user config and the defaults into [`ValueInputs`], plain data. This module
//! checks every value before a template sees it, says which field a bad one came from
//! ([`ValuesError`]), and derives the rest: the image and its version, the labels
//! ([`crate::labels`]), the user the pack's image runs as and the `ConfigMap`'s name. It
//! reads no file, and knows nothing of flags or of where a value came from.

use std::collections::BTreeMap;

use serde::Serialize;

use super::manifest::PanelSpec;
use super::{PackError, PackSet, render};
use crate::config::{Autoscale, MonitoringSection};
use crate::manifests::{
    AccessValues, AppInfo, DashboardValues, DeployValues, ExporterValues, IngressValues,
    ManifestContext, MonitoringValues, ServiceMonitorValues,
};
use crate::names::{self, NameError};
use crate::registry::reference;

/// The user the container runs as when the pack declares no `uid`.
pub const DEFAULT_RUN_AS_USER: i64 = 65532;

/// The values of an app, resolved by precedence and not yet checked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValueInputs {
    /// `[app] name`.
    pub name: String,
    /// `[app] port`.
    pub port: u16,
    /// `[app] pack`.
    pub pack: String,
    /// The environment whose overrides were applied, if any.
    pub environment: Option<String>,
    /// The namespace, if anyone names one.
    pub namespace: Option<String>,
    /// The image to run, when given; else it is made from the registry, name and version.
    pub image: Option<String>,
    /// `[build] registry`.
    pub registry: Option<String>,
    /// The version when the image has no tag: the git commit, else `dev`.
    pub version: String,
    /// How the app runs.
    pub deploy: DeployInputs,
    /// The public host and its routing, if any.
    pub ingress: Option<IngressValues>,
    /// Who may call the app, if restricted.
    pub access: Option<AccessValues>,
    /// `[monitoring]`, as written (all unset when there is none).
    pub monitoring: MonitoringSection,
    /// Values of the pack's variables, lowest precedence first.
    pub pack_variables: Vec<BTreeMap<String, toml::Value>>,
}

/// `[deploy]` resolved, defaults filled in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeployInputs {
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
    /// Plain environment variables.
    pub env: BTreeMap<String, String>,
    /// Autoscaling bounds.
    pub autoscale: Option<Autoscale>,
}

/// Why the template values could not be built. Each variant knows the field it is about
/// ([`ValuesError::field`]).
#[derive(Debug, thiserror::Error)]
pub enum ValuesError {
    /// A value is not valid.
    #[error("{error}")]
    Invalid {
        /// Where the value is set, such as `deploy.cpu_request`.
        field: &'static str,
        /// What is wrong with it.
        error: NameError,
    },
    /// The namespace is not a DNS label.
    #[error("`{value}` is not a valid namespace")]
    Namespace {
        /// The value given (control characters escaped).
        value: String,
    },
    /// The autoscaling bounds contradict each other.
    #[error("invalid `autoscale`: min {} / max {} / cpu {}%", bounds.min, bounds.max, bounds.cpu)]
    Autoscale {
        /// The bounds given.
        bounds: Autoscale,
    },
    /// `[app] pack` names no pack.
    #[error(transparent)]
    UnknownPack(PackError),
    /// The pack's variables do not resolve.
    #[error(transparent)]
    PackVariables(PackError),
    /// The pack's exporter names a variable that holds no image, or its arguments do not render.
    #[error("the pack's exporter: {message}")]
    Exporter {
        /// What is wrong.
        message: String,
    },
    /// The pack's `uid` is root or not a user id.
    #[error("the pack variable `uid` must be a non-root user id, not `{uid}`")]
    RunAsUser {
        /// The value.
        uid: i64,
    },
}

impl ValuesError {
    /// Returns the field the error is about, as `paas.toml` spells it (`deploy.cpu_request`),
    /// or `image` for the image reference.
    #[must_use]
    pub fn field(&self) -> &'static str {
        match self {
            Self::Invalid { field, .. } => field,
            Self::Namespace { .. } => "deploy.namespace",
            Self::Autoscale { .. } => "deploy.autoscale",
            Self::UnknownPack(_) => "app.pack",
            Self::PackVariables(_) | Self::Exporter { .. } => "pack",
            Self::RunAsUser { .. } => "pack.uid",
        }
    }
}

fn invalid(field: &'static str) -> impl Fn(NameError) -> ValuesError {
    move |error| ValuesError::Invalid { field, error }
}

/// Checks `inputs` and builds the template values, with the warnings found on the way.
///
/// # Errors
///
/// [`ValuesError`] naming the first field whose value is not valid.
pub fn build(
    inputs: &ValueInputs,
    packs: &PackSet,
) -> Result<(ManifestContext, Vec<String>), ValuesError> {
    let mut warnings = Vec::new();
    let name = inputs.name.clone();
    names::check_app_name(&name).map_err(invalid("app.name"))?;
    if let Some(namespace) = &inputs.namespace
        && !names::is_label(namespace)
    {
        return Err(ValuesError::Namespace {
            value: names::shown(namespace),
        });
    }
    let image = match &inputs.image {
        Some(image) => image.clone(),
        None => {
            if let Some(registry) = &inputs.registry {
                format!("{registry}/{name}:{}", inputs.version)
            } else {
                warnings.push(
                    "`paas.toml` names no registry; the image is rendered without one".to_owned(),
                );
                format!("{name}:{}", inputs.version)
            }
        }
    };
    names::check_image(&image).map_err(invalid("image"))?;
    let version = reference::split(&image)
        .tag
        .map_or_else(|| inputs.version.clone(), str::to_owned);
    let deploy = &inputs.deploy;
    for (field, quantity) in [
        ("deploy.cpu_request", &deploy.cpu_request),
        ("deploy.cpu_limit", &deploy.cpu_limit),
        ("deploy.memory_request", &deploy.memory_request),
        ("deploy.memory_limit", &deploy.memory_limit),
    ] {
        names::check_quantity(quantity).map_err(invalid(field))?;
    }
    for key in deploy.env.keys() {
        names::check_env_name(key).map_err(invalid("deploy.env"))?;
    }
    if let Some(path) = &deploy.health_path {
        names::check_http_path(path).map_err(invalid("deploy.health_path"))?;
    }
    if let Some(bounds) = deploy.autoscale
        && (bounds.min == 0 || bounds.min > bounds.max || bounds.cpu == 0)
    {
        return Err(ValuesError::Autoscale { bounds });
    }
    if let Some(ingress) = &inputs.ingress {
        check_ingress(ingress)?;
    }
    if let Some(access) = &inputs.access {
        for app in &access.allow_from {
            names::check_app_name(app).map_err(invalid("access.allow_from"))?;
        }
        if let Some(namespace) = &access.ingress_namespace
            && !names::is_label(namespace)
        {
            return Err(invalid("access.ingress_namespace")(NameError::Invalid {
                what: "namespace",
                value: names::shown(namespace),
                reason: "expected a DNS label",
            }));
        }
    }
    check_monitoring(&inputs.monitoring)?;
    let pack = packs.get(&inputs.pack).map_err(ValuesError::UnknownPack)?;
    let layers: Vec<&BTreeMap<String, toml::Value>> = inputs.pack_variables.iter().collect();
    let vars = render::resolve_variables(pack, &layers).map_err(ValuesError::PackVariables)?;
    let run_as_user = run_as_user(&vars)?;
    let crate::labels::TemplateLabels {
        mut labels,
        selector_labels,
    } = crate::labels::template_labels(&name, inputs.environment.as_deref(), &version);
    if let Some(namespace) = &inputs.namespace {
        crate::labels::set_namespace(&mut labels, namespace);
    }
    let telemetry = Telemetry::of(&pack.manifest, &inputs.monitoring, &deploy.env);
    let monitoring = monitoring_values(pack, &inputs.monitoring, &vars)?;
    let mut context = ManifestContext {
        app: AppInfo {
            name: name.clone(),
            port: inputs.port,
            version,
            pack: inputs.pack.clone(),
        },
        image,
        namespace: inputs.namespace.clone(),
        labels,
        selector_labels,
        deploy: DeployValues {
            replicas: deploy.replicas,
            health_path: deploy.health_path.clone(),
            cpu_request: deploy.cpu_request.clone(),
            cpu_limit: deploy.cpu_limit.clone(),
            memory_request: deploy.memory_request.clone(),
            memory_limit: deploy.memory_limit.clone(),
            progress_deadline_seconds: deploy.progress_deadline_seconds,
            // The pack's log settings, then `[deploy] env`, which wins.
            env: pack
                .manifest
                .logs
                .env
                .iter()
                .chain(&deploy.env)
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            autoscale: deploy.autoscale,
            run_as_user,
            config_name: names::config_name(&name),
            secrets_name: names::secrets_name(&name),
        },
        ingress: inputs.ingress.clone(),
        access: inputs.access.clone(),
        app_env: Vec::new(),
        components: Vec::new(),
        monitoring,
        pod_annotations: BTreeMap::new(),
        telemetry,
    };
    derive_telemetry(&mut context);
    Ok((context, warnings))
}

fn check_monitoring(monitoring: &MonitoringSection) -> Result<(), ValuesError> {
    if let Some(path) = &monitoring.path {
        names::check_http_path(path).map_err(invalid("monitoring.path"))?;
    }
    if monitoring.port == Some(0) {
        return Err(invalid("monitoring.port")(NameError::Invalid {
            what: "port",
            value: "0".into(),
            reason: "expected 1 to 65535",
        }));
    }
    if let Some(namespace) = &monitoring.namespace
        && !names::is_label(namespace)
    {
        return Err(invalid("monitoring.namespace")(NameError::Invalid {
            what: "namespace",
            value: names::shown(namespace),
            reason: "expected a DNS label",
        }));
    }
    for (key, value) in &monitoring.labels {
        if !is_label_key(key) || crate::labels::label_value(value) != *value {
            return Err(invalid("monitoring.labels")(NameError::Invalid {
                what: "label",
                value: names::shown(&format!("{key}={value}")),
                reason: "expected a label key (`release`, `example.com/team`) and a value of letters, digits, '.', '_' or '-'",
            }));
        }
    }
    if let Some(endpoint) = &monitoring.otlp_endpoint {
        names::check_line("OTLP endpoint", endpoint)
            .map_err(invalid("monitoring.otlp_endpoint"))?;
    }
    Ok(())
}

/// Returns whether `key` is a label key: an optional DNS-subdomain prefix and `/`, then a name
/// of at most 63 letters, digits, '-', '_' or '.', starting and ending alphanumeric.
fn is_label_key(key: &str) -> bool {
    let (prefix, name) = key.rsplit_once('/').unwrap_or(("", key));
    let prefix_ok = prefix.is_empty() || prefix.split('.').all(names::is_label);
    prefix_ok && !name.is_empty() && crate::labels::label_value(name) == name && name.len() <= 63
}

/// What the monitoring and log values are derived from, kept in the context so that
/// [`derive_telemetry`] can derive them again once the namespace and the cluster's Prometheus
/// objects are known (at `paas up`).
#[derive(Debug, Clone, Default)]
pub struct Telemetry {
    /// The format of the app's log lines (`json`), when the pack controls it.
    pub log_format: Option<String>,
    /// The app reads OpenTelemetry's variables, and monitoring is on.
    pub opentelemetry: bool,
    /// `[monitoring] otlp_endpoint`.
    pub otlp_endpoint: Option<String>,
    /// The variables `paas.toml` sets itself (`[deploy] env`), which paas never replaces.
    pub user_env: Vec<String>,
    /// `[monitoring] labels`.
    pub extra_labels: BTreeMap<String, String>,
    /// `[monitoring] namespace`.
    pub scraper_namespace: Option<String>,
    /// `[monitoring] dashboard`, with the pack's panels.
    pub dashboard: Option<Vec<PanelSpec>>,
    /// What the cluster said about prometheus-operator, once asked ([`crate::deploy::pipeline`]):
    /// none until then, and a `ServiceMonitor` is written only when it serves the kind.
    pub cluster: Option<ClusterMonitoring>,
}

/// What a deploy learnt from the cluster about who scrapes the app.
#[derive(Debug, Clone)]
pub enum ClusterMonitoring {
    /// The cluster does not serve `ServiceMonitor`: the pods get the scrape annotations.
    NoOperator,
    /// It does; the labels the selecting Prometheus objects need, and which they are.
    Operator(crate::monitoring::Choice),
}

impl Telemetry {
    fn of(
        pack: &super::PackManifest,
        section: &MonitoringSection,
        user_env: &BTreeMap<String, String>,
    ) -> Self {
        let on = section.enabled != Some(false);
        Self {
            log_format: pack.logs.format.clone(),
            opentelemetry: on && pack.monitoring.opentelemetry,
            otlp_endpoint: section.otlp_endpoint.clone(),
            user_env: user_env.keys().cloned().collect(),
            extra_labels: section.labels.clone(),
            scraper_namespace: section.namespace.clone(),
            dashboard: section.dashboard.then(|| pack.monitoring.panels.clone()),
            cluster: None,
        }
    }
}

/// The name of the metrics port of the Service and the exporter container.
pub const METRICS_PORT_NAME: &str = "metrics";
/// The name of the exporter container.
pub const EXPORTER_CONTAINER: &str = "exporter";
/// The default path of a Prometheus endpoint.
pub const DEFAULT_METRICS_PATH: &str = "/metrics";

/// Returns the monitoring values when monitoring is on and an endpoint is known: the pack's,
/// or the port `paas.toml` names. The pack's exporter runs only for the pack's own port.
fn monitoring_values(
    pack: &super::Pack,
    section: &MonitoringSection,
    vars: &BTreeMap<String, toml::Value>,
) -> Result<Option<MonitoringValues>, ValuesError> {
    let spec = &pack.manifest.monitoring;
    if section.enabled == Some(false) {
        return Ok(None);
    }
    let Some(port) = section.port.or(spec.port) else {
        return Ok(None);
    };
    let exporter = match &spec.exporter {
        Some(exporter) if section.port.is_none_or(|p| Some(p) == spec.port) => {
            let image = vars
                .get(&exporter.image_variable)
                .and_then(toml::Value::as_str)
                .ok_or_else(|| ValuesError::Exporter {
                    message: format!(
                        "`image_variable = \"{}\"` names no image variable of the pack",
                        exporter.image_variable
                    ),
                })?;
            let env = render::environment(false);
            let context = BTreeMap::from([("vars", vars)]);
            let args = exporter
                .args
                .iter()
                .map(|arg| {
                    env.template_from_str(arg)
                        .and_then(|t| t.render(minijinja::value::Serde(&context)))
                })
                .collect::<Result<Vec<String>, _>>()
                .map_err(|err| ValuesError::Exporter {
                    message: format!("its arguments do not render: {err}"),
                })?;
            Some(ExporterValues {
                name: EXPORTER_CONTAINER.to_owned(),
                image: image.to_owned(),
                args,
            })
        }
        _ => None,
    };
    Ok(Some(MonitoringValues {
        port,
        port_name: METRICS_PORT_NAME.to_owned(),
        path: section
            .path
            .clone()
            .or_else(|| spec.path.clone())
            .unwrap_or_else(|| DEFAULT_METRICS_PATH.to_owned()),
        exporter,
        service_monitor: None,
        scraper_namespaces: Vec::new(),
        dashboard: None,
    }))
}

/// (Re)derives from `context.telemetry`, its namespace and its labels: the namespace label,
/// the pods' annotations, the OpenTelemetry variables, the `ServiceMonitor`'s labels, the
/// scraper's namespaces and the dashboard. Called when the values are built and again once a
/// deploy knows the namespace and the cluster.
pub fn derive_telemetry(context: &mut ManifestContext) {
    let telemetry = context.telemetry.clone();
    let namespace = context.namespace.clone();
    if let Some(namespace) = &namespace {
        crate::labels::set_namespace(&mut context.labels, namespace);
    }
    let env = &mut context.deploy.env;
    let mut set = |key: &str, value: Option<String>| {
        if telemetry.user_env.iter().any(|k| k == key) {
            return;
        }
        match value {
            Some(value) => env.insert(key.to_owned(), value),
            None => env.remove(key),
        };
    };
    if telemetry.opentelemetry {
        set("OTEL_SERVICE_NAME", Some(context.app.name.clone()));
        let mut attributes = Vec::new();
        if let Some(environment) = context.labels.get(crate::labels::ENVIRONMENT) {
            attributes.push(format!("deployment.environment.name={environment}"));
        }
        if let Some(namespace) = &namespace {
            attributes.push(format!("service.namespace={namespace}"));
        }
        set(
            "OTEL_RESOURCE_ATTRIBUTES",
            (!attributes.is_empty()).then(|| attributes.join(",")),
        );
        set(
            "OTEL_EXPORTER_OTLP_ENDPOINT",
            telemetry.otlp_endpoint.clone(),
        );
    }
    let mut annotations = BTreeMap::new();
    if telemetry.log_format.as_deref() == Some("json") {
        annotations.insert(
            crate::labels::FLUENT_BIT_PARSER.to_owned(),
            "json".to_owned(),
        );
    }
    if let Some(monitoring) = &mut context.monitoring {
        if monitoring.exporter.is_some() {
            // `kubectl logs` and `kubectl exec` without `-c` pick the app, not the exporter.
            annotations.insert(
                crate::labels::DEFAULT_CONTAINER.to_owned(),
                context.app.name.clone(),
            );
        }
        let mut scrapers: Vec<String> = Vec::new();
        monitoring.service_monitor = match &telemetry.cluster {
            Some(ClusterMonitoring::Operator(choice)) => {
                let mut labels = context.labels.clone();
                labels.extend(choice.labels.clone());
                labels.extend(telemetry.extra_labels.clone());
                scrapers.extend(choice.scrapers.iter().map(|s| s.namespace.clone()));
                Some(ServiceMonitorValues { labels })
            }
            Some(ClusterMonitoring::NoOperator) | None => None,
        };
        if monitoring.service_monitor.is_none() {
            annotations.insert(
                crate::labels::PROMETHEUS_SCRAPE.to_owned(),
                "true".to_owned(),
            );
            annotations.insert(
                crate::labels::PROMETHEUS_PORT.to_owned(),
                monitoring.port.to_string(),
            );
            annotations.insert(
                crate::labels::PROMETHEUS_PATH.to_owned(),
                monitoring.path.clone(),
            );
        }
        if let Some(namespace) = &telemetry.scraper_namespace {
            scrapers = vec![namespace.clone()];
        }
        scrapers.sort();
        scrapers.dedup();
        monitoring.scraper_namespaces = scrapers;
        monitoring.dashboard = telemetry.dashboard.as_ref().map(|panels| {
            let app = &context.app.name;
            DashboardValues {
                name: format!("{app}-dashboard"),
                labels: crate::labels::dashboard_labels(&context.labels),
                data: BTreeMap::from([(
                    format!("{app}.json"),
                    super::dashboard::json(app, namespace.as_deref(), panels),
                )]),
            }
        });
    }
    context.pod_annotations = annotations;
}

fn check_ingress(ingress: &IngressValues) -> Result<(), ValuesError> {
    for host in &ingress.hosts {
        names::check_host(host).map_err(invalid("ingress.host"))?;
    }
    let class = &ingress.class;
    if !names::is_label(class) && !class.split('.').all(names::is_label) {
        return Err(invalid("ingress.class")(NameError::Invalid {
            what: "ingress class",
            value: names::shown(class),
            reason: "expected a DNS name",
        }));
    }
    names::check_http_path(&ingress.path).map_err(invalid("ingress.path"))?;
    if let Some(secret) = &ingress.tls_secret
        && !names::is_label(secret)
    {
        return Err(invalid("ingress.tls_secret")(NameError::Invalid {
            what: "TLS secret name",
            value: names::shown(secret),
            reason: "expected a DNS label",
        }));
    }
    Ok(())
}

/// Returns the user the pack's image runs as: its `uid` variable, else the default.
fn run_as_user(vars: &BTreeMap<String, toml::Value>) -> Result<i64, ValuesError> {
    let uid = vars
        .get("uid")
        .and_then(toml::Value::as_integer)
        .unwrap_or(DEFAULT_RUN_AS_USER);
    if uid <= 0 {
        return Err(ValuesError::RunAsUser { uid });
    }
    Ok(uid)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs() -> ValueInputs {
        ValueInputs {
            name: "web".into(),
            port: 8080,
            pack: "nginx".into(),
            environment: Some("prod".into()),
            namespace: Some("shop".into()),
            image: None,
            registry: Some("127.0.0.1:5000/team".into()),
            version: "3f2a1c9".into(),
            deploy: DeployInputs {
                replicas: 2,
                health_path: Some("/healthz".into()),
                cpu_request: "100m".into(),
                cpu_limit: "500m".into(),
                memory_request: "128Mi".into(),
                memory_limit: "256Mi".into(),
                progress_deadline_seconds: 300,
                env: BTreeMap::new(),
                autoscale: None,
            },
            ingress: Some(IngressValues {
                host: "web.example.com".into(),
                hosts: vec!["web.example.com".into()],
                class: "nginx".into(),
                path: "/".into(),
                tls_secret: None,
                annotations: BTreeMap::new(),
            }),
            access: None,
            monitoring: MonitoringSection::default(),
            pack_variables: Vec::new(),
        }
    }

    fn packs() -> PackSet {
        PackSet::load(&[]).expect("the bundled packs load")
    }

    fn field_of(change: impl FnOnce(&mut ValueInputs)) -> (&'static str, String) {
        let mut inputs = inputs();
        change(&mut inputs);
        let err = build(&inputs, &packs()).expect_err("invalid");
        (err.field(), err.to_string())
    }

    #[test]
    fn builds_the_image_version_and_labels() {
        let (context, warnings) = build(&inputs(), &packs()).expect("valid");
        assert!(warnings.is_empty());
        assert_eq!(context.image, "127.0.0.1:5000/team/web:3f2a1c9");
        assert_eq!(context.app.version, "3f2a1c9");
        assert_eq!(context.deploy.config_name, "web-env");
        assert_eq!(context.deploy.run_as_user, 101, "the nginx pack's `uid`");
        assert_eq!(
            context
                .labels
                .get(crate::labels::ENVIRONMENT)
                .map(String::as_str),
            Some("prod")
        );
        let mut given = inputs();
        given.image = Some("ghcr.io/acme/web:v2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef".into());
        given.registry = None;
        let (context, _) = build(&given, &packs()).expect("valid");
        assert_eq!(context.app.version, "v2", "the tag of the image given");
        let mut bare = inputs();
        bare.registry = None;
        let (context, warnings) = build(&bare, &packs()).expect("valid");
        assert_eq!(context.image, "web:3f2a1c9");
        assert_eq!(warnings.len(), 1);
    }

    #[test]
    fn monitoring_follows_the_pack_and_paas_toml() {
        let (context, _) = build(&inputs(), &packs()).expect("valid");
        let monitoring = context
            .monitoring
            .as_ref()
            .expect("nginx knows an endpoint");
        assert_eq!(
            (monitoring.port, monitoring.path.as_str()),
            (9113, "/metrics")
        );
        let exporter = monitoring.exporter.as_ref().expect("the exporter");
        assert_eq!(exporter.image, "nginx/nginx-prometheus-exporter:1.5.3");
        assert_eq!(
            exporter.args[0],
            "--nginx.scrape-uri=http://127.0.0.1:8081/stub_status"
        );
        assert_eq!(
            context
                .pod_annotations
                .get(crate::labels::PROMETHEUS_PORT)
                .map(String::as_str),
            Some("9113")
        );
        assert_eq!(
            context
                .labels
                .get(crate::labels::NAMESPACE)
                .map(String::as_str),
            Some("shop")
        );
        let mut own = inputs();
        own.monitoring.port = Some(8080);
        own.monitoring.namespace = Some("monitoring".into());
        own.pack_variables = vec![BTreeMap::from([(
            "status_port".to_owned(),
            toml::Value::Integer(9000),
        )])];
        let (context, _) = build(&own, &packs()).expect("valid");
        let monitoring = context.monitoring.expect("on");
        assert!(
            monitoring.exporter.is_none(),
            "the app's own endpoint needs no exporter"
        );
        assert_eq!(monitoring.scraper_namespaces, ["monitoring"]);
        let mut off = inputs();
        off.monitoring.enabled = Some(false);
        let (context, _) = build(&off, &packs()).expect("valid");
        assert!(context.monitoring.is_none());
        assert_eq!(
            context.pod_annotations.keys().collect::<Vec<_>>(),
            [crate::labels::FLUENT_BIT_PARSER]
        );
        let mut dotnet = inputs();
        dotnet.pack = "dotnet".into();
        dotnet.monitoring.otlp_endpoint = Some("http://collector:4317".into());
        dotnet.deploy.env =
            BTreeMap::from([("OTEL_SERVICE_NAME".to_owned(), "shop-web".to_owned())]);
        let (context, _) = build(&dotnet, &packs()).expect("valid");
        assert!(context.monitoring.is_none(), "no endpoint known");
        let env = &context.deploy.env;
        assert_eq!(env["OTEL_SERVICE_NAME"], "shop-web", "paas.toml wins");
        assert_eq!(
            env["OTEL_RESOURCE_ATTRIBUTES"],
            "deployment.environment.name=prod,service.namespace=shop"
        );
        assert_eq!(env["OTEL_EXPORTER_OTLP_ENDPOINT"], "http://collector:4317");
        assert_eq!(env["Logging__Console__FormatterName"], "json");
    }

    #[test]
    fn errors_name_the_field() {
        assert_eq!(
            field_of(|i| i.deploy.memory_limit = "lots".into()),
            (
                "deploy.memory_limit",
                "`lots` is not a valid resource quantity: expected a number with an optional unit, such as `250m` or `256Mi`".into()
            )
        );
        assert_eq!(
            field_of(|i| i.namespace = Some("Shop".into())).0,
            "deploy.namespace"
        );
        assert_eq!(field_of(|i| i.image = Some("Web".into())).0, "image");
        assert_eq!(
            field_of(|i| {
                i.deploy.autoscale = Some(Autoscale {
                    min: 3,
                    max: 2,
                    cpu: 70,
                });
            }),
            (
                "deploy.autoscale",
                "invalid `autoscale`: min 3 / max 2 / cpu 70%".into()
            )
        );
        assert_eq!(
            field_of(|i| i.ingress.as_mut().expect("ingress").class = "-x".into()).0,
            "ingress.class"
        );
        assert_eq!(field_of(|i| i.pack = "cobol".into()).0, "app.pack");
        assert_eq!(
            field_of(|i| {
                i.monitoring.labels = BTreeMap::from([("release".into(), "a b".into())]);
            }),
            (
                "monitoring.labels",
                "`release=a b` is not a valid label: expected a label key (`release`, `example.com/team`) and a value of letters, digits, '.', '_' or '-'".into()
            )
        );
        assert_eq!(
            field_of(|i| i.monitoring.path = Some("metrics".into())).0,
            "monitoring.path"
        );
        assert_eq!(
            field_of(|i| i.monitoring.namespace = Some("Monitoring".into())).0,
            "monitoring.namespace"
        );
        let root = BTreeMap::from([("uid".to_owned(), toml::Value::Integer(0))]);
        assert_eq!(
            field_of(|i| i.pack_variables = vec![root]),
            (
                "pack.uid",
                "the pack variable `uid` must be a non-root user id, not `0`".into()
            )
        );
    }
}
