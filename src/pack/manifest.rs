//! The `pack.toml` schema: what a pack declares about itself.
//!
//! A pack is a folder of data. `pack.toml` names the pack, says how it is detected and
//! which typed variables its templates take; the templates sit beside it. This module only
//! parses and checks that file; rendering lives in [`super::render`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The parsed `pack.toml` of one pack.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PackManifest {
    /// The pack's name: a DNS-1123 label, the same as its folder.
    pub name: String,
    /// One line saying what kind of project the pack serves.
    pub description: String,
    /// How the pack is detected.
    #[serde(default)]
    pub detect: DetectSpec,
    /// The port the container listens on.
    #[serde(default = "default_port")]
    pub port: u16,
    /// The health check path the generated server answers on, if any.
    #[serde(default)]
    pub health_path: Option<String>,
    /// The app's container gets each component's .NET connection string too
    /// (`ConnectionStrings__<name>`), for packs of .NET apps.
    #[serde(default)]
    pub connection_strings: bool,
    /// What the app writes to its log, and how it is told to.
    #[serde(default)]
    pub logs: LogsSpec,
    /// Where the app's metrics are, and what reads its telemetry settings.
    #[serde(default)]
    pub monitoring: MonitoringSpec,
    /// Typed variables, in the order they are shown.
    #[serde(default)]
    pub variables: Vec<Variable>,
    /// Files written into the project by `paas init`: destination path → template file
    /// (relative to the pack folder). Manifests come from the standard set unless the
    /// pack ships its own `manifests/` folder.
    #[serde(default)]
    pub files: BTreeMap<String, String>,
}

fn default_port() -> u16 {
    8080
}

/// `[logs]` of `pack.toml`: the format of the lines the pack's app writes to stdout.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LogsSpec {
    /// The format of the lines, when the pack controls it: `json` gives the pods Fluent Bit's
    /// parser annotation (`fluentbit.io/parser: json`).
    #[serde(default)]
    pub format: Option<String>,
    /// Plain variables that make the app log in that format (.NET's
    /// `Logging__Console__FormatterName = "json"`); `[deploy] env` in `paas.toml` overrides them.
    #[serde(default)]
    pub env: BTreeMap<String, String>,
}

/// `[monitoring]` of `pack.toml`: where the pack's app can be scraped, if anywhere.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MonitoringSpec {
    /// The port of the Prometheus endpoint (the exporter's, when the pack runs one); none when the
    /// pack knows no endpoint, and monitoring is then off unless `paas.toml` names one.
    #[serde(default)]
    pub port: Option<u16>,
    /// The path of the endpoint (`/metrics` when unset).
    #[serde(default)]
    pub path: Option<String>,
    /// The app reads OpenTelemetry's variables: paas sets `OTEL_SERVICE_NAME`,
    /// `OTEL_RESOURCE_ATTRIBUTES` and, when configured, `OTEL_EXPORTER_OTLP_ENDPOINT`.
    #[serde(default)]
    pub opentelemetry: bool,
    /// A Prometheus exporter run beside the app, serving the endpoint.
    #[serde(default)]
    pub exporter: Option<ExporterSpec>,
    /// The panels of the app's Grafana dashboard, after the ones every app gets.
    #[serde(default)]
    pub panels: Vec<PanelSpec>,
}

/// An exporter container run beside the app's (a sidecar).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ExporterSpec {
    /// The pack variable (of type `image`) holding the exporter's image, so a company can set
    /// its mirror in `[pack]` or in the user config.
    pub image_variable: String,
    /// Its arguments; each may use the pack's variables (`{{ vars.status_port }}`).
    #[serde(default)]
    pub args: Vec<String>,
}

/// One panel of the app's Grafana dashboard.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PanelSpec {
    /// The panel's title.
    pub title: String,
    /// The `PromQL` query; `$selector` stands for the matchers of the app's series.
    pub expr: String,
    /// Grafana's unit (`reqps`, `short`, `s`).
    #[serde(default)]
    pub unit: Option<String>,
}

/// How a pack is recognised in a project.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DetectSpec {
    /// A built-in detector that reads the project's own files (`dotnet`, `jexus`, `nginx`).
    #[serde(default)]
    pub detector: Option<String>,
    /// Marker files (paths relative to the project root, `*` wildcards in the file name
    /// allowed): the pack matches when any exists. Used by company packs.
    #[serde(default)]
    pub markers: Vec<String>,
    /// Higher wins when several packs match a project.
    #[serde(default)]
    pub priority: i32,
}

/// The type of a pack variable; values are checked against it before any template sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum VariableType {
    /// One line of text without control characters.
    String,
    /// A container image reference: `name[:tag][@digest]`.
    Image,
    /// A relative path inside the project, without `..`.
    Path,
    /// A whole number.
    Integer,
    /// `true` or `false`.
    Boolean,
}

/// One typed variable of a pack.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Variable {
    /// The name used in templates (`{{ vars.NAME }}`) and in `paas.toml` `[pack]`.
    pub name: String,
    /// The value's type.
    #[serde(rename = "type")]
    pub kind: VariableType,
    /// The default value; a detector may replace it with what it read from the project.
    pub default: toml::Value,
    /// What the variable means.
    pub description: String,
}
