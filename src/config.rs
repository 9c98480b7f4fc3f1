//! The `paas.toml` and user config schemas, their discovery, and writing a new `paas.toml`.
//!
//! Parsing is strict (unknown keys are errors, so a typo never silently does nothing) and a
//! parse error carries the file, line and column. Merging with flags and the environment
//! happens in [`crate::settings`], not here.

pub mod edit;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::files::{FileError, Root};
use serde::{Deserialize, Serialize};

/// The name of the project file.
pub const PROJECT_FILE: &str = "paas.toml";

/// A project's `paas.toml`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectConfig {
    /// What the app is.
    pub app: AppSection,
    /// How the image is built and where it goes.
    #[serde(default)]
    pub build: BuildSection,
    /// How the app runs.
    #[serde(default)]
    pub deploy: DeploySection,
    /// The public host, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ingress: Option<IngressSection>,
    /// Who may call the app.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access: Option<AccessSection>,
    /// How the app is monitored (metrics, dashboard, telemetry settings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monitoring: Option<MonitoringSection>,
    /// Values for the pack's variables.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub pack: BTreeMap<String, toml::Value>,
    /// The app's components (`[components.NAME]`), by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub components: BTreeMap<String, ComponentSection>,
    /// Per-environment overrides (`[env.prod]`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub env: BTreeMap<String, EnvironmentSection>,
}

/// `[app]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AppSection {
    /// The app's name: a DNS-1123 label.
    pub name: String,
    /// The pack the project was made from.
    pub pack: String,
    /// The port the app listens on in the container.
    #[serde(default = "default_port")]
    pub port: u16,
    /// The folder of paas's manifest templates, when not `deploy` (`paas init` chooses another
    /// when `deploy` holds manifests paas did not write).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub templates: Option<String>,
}

fn default_port() -> u16 {
    8080
}

/// `[build]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BuildSection {
    /// Where images are pushed; the image is `<registry>/<app.name>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry: Option<String>,
}

/// `[deploy]`, also the shape of the overrides in `[env.NAME]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DeploySection {
    /// The namespace to deploy into.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// How many pods run (ignored when `autoscale` is set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<u32>,
    /// The HTTP path the probes call; TCP probes when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_path: Option<String>,
    /// CPU request, such as `100m`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_request: Option<String>,
    /// CPU limit, such as `500m`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_limit: Option<String>,
    /// Memory request, such as `128Mi`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_request: Option<String>,
    /// Memory limit, such as `256Mi`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_limit: Option<String>,
    /// Seconds a rollout may go without progress before it counts as failed (`300` or a
    /// duration such as `"5m"`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::duration::seconds"
    )]
    pub progress_deadline: Option<u32>,
    /// Plain environment variables (a `ConfigMap`); secrets do not go here.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub env: BTreeMap<String, String>,
    /// Autoscaling bounds; an HPA then owns the replica count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub autoscale: Option<Autoscale>,
}

/// `autoscale = { min = 2, max = 10, cpu = 70 }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Autoscale {
    /// The fewest pods.
    pub min: u32,
    /// The most pods.
    pub max: u32,
    /// The average CPU use, in percent of the request, that the HPA aims for.
    #[serde(default = "default_cpu_target")]
    pub cpu: u32,
}

fn default_cpu_target() -> u32 {
    70
}

/// `[ingress]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct IngressSection {
    /// The public host name (one); `hosts` names several. Both may be set: `host` comes first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// The public host names, when there are several.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hosts: Vec<String>,
    /// Pair each apex with its `www.` host (and each `www.` host with its apex).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub www: bool,
    /// The ingress class (`nginx` unless the cluster uses another).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    /// The path prefix routed to the app.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Serve HTTPS: with a certificate from `issuer` (cert-manager), or the one in `tls_secret`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub tls: bool,
    /// The cert-manager issuer that issues the certificate (a `ClusterIssuer` unless
    /// `issuer_kind = "Issuer"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// `ClusterIssuer` (the default) or `Issuer` (one in the app's namespace).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer_kind: Option<IssuerKind>,
    /// A Secret holding the TLS certificate for the hosts (written by cert-manager when an
    /// issuer is set: `<app>-tls` unless named here).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_secret: Option<String>,
}

impl IngressSection {
    /// The host names as written: `host`, then `hosts` (no `www.` pairing, no environment).
    #[must_use]
    pub fn declared_hosts(&self) -> Vec<String> {
        let mut hosts: Vec<String> = self.host.iter().cloned().collect();
        hosts.extend(self.hosts.iter().cloned());
        hosts
    }
}

/// Which kind of cert-manager issuer `[ingress] issuer` names.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
pub enum IssuerKind {
    /// A cluster-wide `ClusterIssuer` (annotation `cert-manager.io/cluster-issuer`).
    #[default]
    ClusterIssuer,
    /// An `Issuer` in the app's namespace (annotation `cert-manager.io/issuer`).
    Issuer,
}

/// `[access]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AccessSection {
    /// Only pods of these apps may call this app.
    #[serde(default)]
    pub allow_from: Vec<String>,
    /// The namespace of the ingress controller, allowed too when the app has a public host;
    /// `paas up` finds it from the ingress class when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ingress_namespace: Option<String>,
    /// Outgoing calls the app may make, when set: app names of the namespace and address
    /// blocks (`203.0.113.0/24`, `203.0.113.7/32:443`); the cluster DNS and the app's own
    /// components always stay reachable. Unset: outgoing calls are not restricted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub egress: Option<Vec<String>>,
}

/// `[monitoring]`: on by default where the pack knows a metrics endpoint.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MonitoringSection {
    /// `false` turns monitoring off: no metrics port, exporter, `ServiceMonitor`, scrape
    /// annotations, dashboard or OpenTelemetry variables.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// The port of the app's Prometheus endpoint, instead of the pack's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// The path of the endpoint, instead of the pack's (`/metrics`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The namespace Prometheus runs in, when paas cannot read it from the cluster's
    /// `Prometheus` objects (templates get it as `monitoring.scraper_namespaces`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Labels the `ServiceMonitor` gets besides those the cluster's Prometheus selects.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// Write a Grafana dashboard `ConfigMap` (label `grafana_dashboard: "1"`) with the app's
    /// key panels.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub dashboard: bool,
    /// The OpenTelemetry collector the app sends to (`OTEL_EXPORTER_OTLP_ENDPOINT`), for
    /// packs whose app reads the OpenTelemetry variables.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub otlp_endpoint: Option<String>,
}

/// `[components.NAME]`: a backing service of the app (`paas add` writes it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ComponentSection {
    /// `redis`, `postgres` or `mongodb` (`paas add --help` lists the catalog).
    pub kind: String,
    /// The version from the catalog; its default when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The image, instead of the catalog's (a company mirror).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// The storage requested, such as `5Gi`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage: Option<String>,
    /// The storage class of the volume; the cluster's default when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_class: Option<String>,
    /// The variable the app gets the URL in, instead of the conventional one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env: Option<String>,
}

/// `[env.NAME]`: an environment's overrides of `[deploy]` and `[ingress]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EnvironmentSection {
    /// Where it runs: a cluster (the default) or the local Docker engine (`"docker"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Target>,
    /// The kube context this environment is bound to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// Changes need confirmation or `--yes`.
    #[serde(default)]
    pub protected: bool,
    /// Another public host for this environment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// Other public hosts for this environment (with `host`, they replace `[ingress]`'s).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hosts: Vec<String>,
    /// Where this environment's images live (default: `[build] registry`); `paas up --env`
    /// pushes there and `paas promote --to` copies the image there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry: Option<String>,
    /// Overrides of `[deploy]`.
    #[serde(flatten)]
    pub deploy: DeploySection,
}

/// `target` of `[env.NAME]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    /// A Kubernetes cluster.
    Kubernetes,
    /// The local Docker engine.
    Docker,
}

/// The user's own defaults: `$XDG_CONFIG_HOME/paas/config.toml`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct UserConfig {
    /// The registry used when a project names none.
    #[serde(default)]
    pub registry: Option<String>,
    /// Company pack folders, searched before the bundled packs.
    #[serde(default)]
    pub pack_path: Vec<PathBuf>,
    /// The ingress class used when a project names none.
    #[serde(default)]
    pub ingress_class: Option<String>,
    /// The DNS resolvers `paas domains` compares (`IP` or `IP:PORT`).
    #[serde(default)]
    pub dns_resolvers: Vec<String>,
    /// Company defaults for pack variables, per pack (`[packs.nginx] base_image = …`).
    #[serde(default)]
    pub packs: BTreeMap<String, BTreeMap<String, toml::Value>>,
    /// How the pipelines of `paas ci` install paas (`[ci]`).
    #[serde(default)]
    pub ci: CiDefaults,
}

/// The `[ci]` table of the user config: the company's way of installing paas in CI.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CiDefaults {
    /// The git URL of paas's sources (installed with their `install.sh`).
    #[serde(default)]
    pub install_url: Option<String>,
    /// A shell command that installs paas and puts it on PATH.
    #[serde(default)]
    pub install_command: Option<String>,
}

/// Why a config file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read, or leads outside the project.
    #[error("failed to read `{}`", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: FileError,
    },
    /// The file is not valid TOML or does not fit the schema.
    #[error("invalid `{}`: {}", path.display(), message.trim_end())]
    Parse {
        /// The file.
        path: PathBuf,
        /// toml's message, with the line and column.
        message: String,
    },
}

/// Reads and parses a project's `paas.toml`: the file must stay inside its folder (see
/// [`crate::files`]). Parse errors quote the offending line.
pub fn load_project<T: serde::de::DeserializeOwned>(file: &Path) -> Result<T, ConfigError> {
    let text = read_project_text(file)?;
    parse(file, &text)
}

/// Reads a project's `paas.toml` as text: the file must stay inside its folder.
pub fn read_project_text(file: &Path) -> Result<String, ConfigError> {
    let root = file
        .parent()
        .filter(|dir| !dir.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = file
        .file_name()
        .map_or_else(|| file.to_owned(), PathBuf::from);
    Root::project(root)
        .read_to_string(&name)
        .map_err(|source| ConfigError::Read {
            path: file.to_owned(),
            source,
        })
}

/// Reads and parses the user config, wherever it is. Its parse errors give the line and
/// column but quote nothing: the file may be any file the user or `PAAS_CONFIG` names.
pub fn load<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, ConfigError> {
    let text = fs_err::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_owned(),
        source: FileError::io(source),
    })?;
    toml::from_str(&text).map_err(|err| ConfigError::Parse {
        path: path.to_owned(),
        message: unquoted_message(&err, &text),
    })
}

/// Parses a TOML config text; `path` only names it in errors.
pub fn parse<T: serde::de::DeserializeOwned>(path: &Path, text: &str) -> Result<T, ConfigError> {
    toml::from_str(text).map_err(|err| ConfigError::Parse {
        path: path.to_owned(),
        message: err.to_string().replace("TOML parse error", "parse error"),
    })
}

/// Returns toml's message with its position and without the quoted line.
fn unquoted_message(err: &toml::de::Error, text: &str) -> String {
    let message = err.message().trim_end();
    let Some(span) = err.span() else {
        return message.to_owned();
    };
    let before = &text[..span.start.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    format!("line {line}, column {column}: {message}")
}

/// Returns the `paas.toml` in `dir` or the nearest parent up to the repository root.
#[must_use]
pub fn find_project_file(dir: &Path) -> Option<PathBuf> {
    for candidate in dir.ancestors() {
        let file = candidate.join(PROJECT_FILE);
        if file.is_file() {
            return Some(file);
        }
        if candidate.join(".git").exists() {
            break;
        }
    }
    None
}

/// Returns the default user config path: `$XDG_CONFIG_HOME/paas/config.toml`, else
/// `~/.config/paas/config.toml`.
#[must_use]
pub fn default_user_config_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".config")))?;
    Some(base.join("paas").join("config.toml"))
}

/// Returns the default folder of the dumps `paas up --major` keeps:
/// `$XDG_DATA_HOME/paas/backups`, else `~/.local/share/paas/backups`.
#[must_use]
pub fn default_backup_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local").join("share"))
        })?;
    Some(base.join("paas").join("backups"))
}

impl ProjectConfig {
    /// Returns the text of a new, commented `paas.toml` for this config.
    ///
    /// The document is built with [`toml_edit`], as `paas add` edits it later: every value is
    /// written by the TOML encoder, so no value can break the file, and the comments are
    /// the decor of the keys and tables they sit beside. The result parses back to `self` (a
    /// unit test checks it).
    #[must_use]
    pub fn to_commented_toml(&self) -> String {
        let mut doc = Commented::default();
        doc.table(
            &["app"],
            "# paas.toml: how paas builds and runs this app. Reference: `paas --help` and the README.\n\n",
            "",
        );
        doc.key(
            "name",
            self.app.name.as_str(),
            "          # a DNS label: lowercase letters, digits and '-'",
        );
        doc.key("pack", self.app.pack.as_str(), "");
        doc.key(
            "port",
            i64::from(self.app.port),
            "               # the port the app listens on in the container",
        );
        if let Some(templates) = &self.app.templates {
            doc.key(
                "templates",
                templates.as_str(),
                "   # paas's manifest templates (`deploy` when unset)",
            );
        }
        doc.table(&["build"], "", "");
        match &self.build.registry {
            Some(registry) => doc.key(
                "registry",
                registry.as_str(),
                "   # images go to <registry>/<app.name>",
            ),
            None => doc.comment(
                "# registry = \"registry.example.com/team\"   # images go to <registry>/<app.name>\n",
            ),
        }
        doc.table(&["deploy"], "", "");
        let deploy = &self.deploy;
        if let Some(replicas) = deploy.replicas {
            doc.key("replicas", i64::from(replicas), "");
        }
        match &deploy.health_path {
            Some(path) => doc.key(
                "health_path",
                path.as_str(),
                "   # readiness and liveness probes call it",
            ),
            None => {
                doc.comment(
                    "# health_path = \"/healthz\"   # HTTP probes; TCP probes when unset\n",
                );
            }
        }
        for (key, value) in [
            ("namespace", &deploy.namespace),
            ("cpu_request", &deploy.cpu_request),
            ("cpu_limit", &deploy.cpu_limit),
            ("memory_request", &deploy.memory_request),
            ("memory_limit", &deploy.memory_limit),
        ] {
            if let Some(value) = value {
                doc.key(key, value.as_str(), "");
            }
        }
        if let Some(deadline) = deploy.progress_deadline {
            doc.key("progress_deadline", i64::from(deadline), "");
        }
        if let Some(autoscale) = deploy.autoscale {
            let mut table = toml_edit::InlineTable::new();
            table.insert("min", i64::from(autoscale.min).into());
            table.insert("max", i64::from(autoscale.max).into());
            table.insert("cpu", i64::from(autoscale.cpu).into());
            doc.key("autoscale", table, "");
        } else {
            doc.comment("# autoscale = { min = 2, max = 10, cpu = 70 }   # an autoscaler then owns the replica count\n");
        }
        if deploy.env.is_empty() {
            doc.table(
                &["deploy", "env"],
                "",
                "   # plain environment variables; never secrets",
            );
        } else {
            doc.table(&["deploy", "env"], "", "");
            for (key, value) in &deploy.env {
                doc.key(key, value.as_str(), "");
            }
        }
        match &self.ingress {
            Some(ingress) => {
                doc.table(&["ingress"], "", "");
                if let Some(host) = &ingress.host {
                    doc.key("host", host.as_str(), "");
                }
                if !ingress.hosts.is_empty() {
                    let list: toml_edit::Array = ingress.hosts.iter().map(String::as_str).collect();
                    doc.key("hosts", list, "");
                }
                if ingress.www {
                    doc.key("www", true, "");
                }
                if ingress.tls {
                    doc.key("tls", true, "");
                }
                for (key, value) in [
                    ("class", &ingress.class),
                    ("path", &ingress.path),
                    ("issuer", &ingress.issuer),
                    ("tls_secret", &ingress.tls_secret),
                ] {
                    if let Some(value) = value {
                        doc.key(key, value.as_str(), "");
                    }
                }
                if ingress.issuer_kind == Some(IssuerKind::Issuer) {
                    doc.key("issuer_kind", "Issuer", "");
                }
            }
            None => doc.comment(
                "\n# [ingress]\n# host = \"shop.example.com\"   # a public host name; writes an Ingress\n",
            ),
        }
        if let Some(access) = &self.access {
            doc.table(&["access"], "", "");
            let list: toml_edit::Array = access.allow_from.iter().map(String::as_str).collect();
            doc.key("allow_from", list, "");
            if let Some(namespace) = &access.ingress_namespace {
                doc.key("ingress_namespace", namespace.as_str(), "");
            }
            if let Some(egress) = &access.egress {
                let list: toml_edit::Array = egress.iter().map(String::as_str).collect();
                doc.key("egress", list, "");
            }
        }
        if !self.pack.is_empty() {
            let suffix = format!(
                "   # values for the pack's variables: `paas packs show {}`",
                self.app.pack
            );
            doc.table(&["pack"], "", &suffix);
            for (key, value) in &self.pack {
                doc.key(key, toml_value(value), "");
            }
        }
        doc.comment("\n# [env.prod]\n# namespace = \"shop\"\n# protected = true\n# replicas = 4\n");
        doc.finish()
    }
}

/// Converts a value of the `toml` crate into one of `toml_edit`, written the same way.
fn toml_value(value: &toml::Value) -> toml_edit::Value {
    match value {
        toml::Value::String(s) => s.as_str().into(),
        toml::Value::Integer(i) => (*i).into(),
        toml::Value::Float(f) => (*f).into(),
        toml::Value::Boolean(b) => (*b).into(),
        toml::Value::Datetime(d) => value_from_text(&d.to_string()),
        toml::Value::Array(items) => {
            toml_edit::Value::Array(items.iter().map(toml_value).collect())
        }
        toml::Value::Table(table) => toml_edit::Value::InlineTable(
            table
                .iter()
                .map(|(k, v)| (k.as_str(), toml_value(v)))
                .collect(),
        ),
    }
}

/// Parses a TOML value that the `toml` crate wrote (a date-time).
fn value_from_text(text: &str) -> toml_edit::Value {
    text.parse()
        .unwrap_or_else(|_| toml_edit::Value::from(text))
}

/// A `paas.toml` being built, table by table and key by key, with the comment lines that
/// come before the next key or table header (or end the file).
#[derive(Default)]
struct Commented {
    doc: toml_edit::DocumentMut,
    /// The path of the table keys go into.
    current: Vec<&'static str>,
    /// Comment lines waiting for the next key or table header.
    pending: String,
    /// Whether a table was written (the first one has no blank line before it).
    started: bool,
}

impl Commented {
    /// Starts table `path`, with a blank line before it (not the first), `prefix` lines right
    /// above its header and `suffix` after the header on its line.
    fn table(&mut self, path: &[&'static str], prefix: &str, suffix: &str) {
        let mut decor = std::mem::take(&mut self.pending);
        if self.started {
            decor.push('\n');
        }
        self.started = true;
        decor.push_str(prefix);
        let mut table = toml_edit::Table::new();
        table.decor_mut().set_prefix(decor);
        table.decor_mut().set_suffix(suffix);
        let (last, parents) = path.split_last().expect("a table path is not empty");
        let mut parent = self.doc.as_table_mut();
        for key in parents {
            parent = parent
                .get_mut(key)
                .and_then(toml_edit::Item::as_table_mut)
                .expect("a parent table is written before its children");
        }
        parent.insert(last, toml_edit::Item::Table(table));
        self.current = path.to_vec();
    }

    /// Writes `key = value` into the current table, with `comment` after the value.
    fn key(&mut self, key: &str, value: impl Into<toml_edit::Value>, comment: &str) {
        let mut value = value.into();
        value.decor_mut().set_suffix(comment);
        let mut key = toml_edit::Key::new(key);
        key.leaf_decor_mut()
            .set_prefix(std::mem::take(&mut self.pending));
        let mut table = self.doc.as_table_mut();
        for part in &self.current {
            table = table
                .get_mut(part)
                .and_then(toml_edit::Item::as_table_mut)
                .expect("keys go into a table written before");
        }
        table.insert_formatted(&key, toml_edit::Item::Value(value));
    }

    /// Writes comment lines (each ending in a newline) before what comes next.
    fn comment(&mut self, lines: &str) {
        self.pending.push_str(lines);
    }

    /// Returns the text, with the pending comment lines at its end.
    fn finish(mut self) -> String {
        self.doc.set_trailing(std::mem::take(&mut self.pending));
        self.doc.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commented_toml_round_trips() {
        let mut config = ProjectConfig {
            app: AppSection {
                name: "shop".into(),
                pack: "nginx".into(),
                port: 8080,
                templates: Some("deploy/paas".into()),
            },
            build: BuildSection {
                registry: Some("reg.example.com/team\"\n[x]".into()),
            },
            ..ProjectConfig::default()
        };
        config.deploy.replicas = Some(2);
        config.deploy.health_path = Some("/healthz".into());
        config.deploy.env.insert("A B".into(), "x\ny = 1".into());
        config.deploy.autoscale = Some(Autoscale {
            min: 2,
            max: 5,
            cpu: 60,
        });
        config.ingress = Some(IngressSection {
            host: Some("shop.example.com".into()),
            ..Default::default()
        });
        config
            .pack
            .insert("base_image".into(), toml::Value::String("nginx:1".into()));
        let text = config.to_commented_toml();
        let back: ProjectConfig = parse(Path::new("paas.toml"), &text).unwrap();
        assert_eq!(back, config);
    }

    #[test]
    fn parse_error_has_line_and_column() {
        let err = parse::<ProjectConfig>(Path::new("paas.toml"), "[app]\nname = \"x\"\npack = 3\n")
            .unwrap_err();
        let message = err.to_string();
        assert!(message.contains("line 3, column 8"), "{message}");
    }

    #[test]
    fn unknown_keys_are_errors() {
        let err = parse::<ProjectConfig>(
            Path::new("paas.toml"),
            "[app]\nname = \"x\"\npack = \"nginx\"\nprot = 1\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("unknown field `prot`"), "{err}");
    }
}
