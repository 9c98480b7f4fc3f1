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

use super::{PackError, PackSet, render};
use crate::config::Autoscale;
use crate::manifests::{AccessValues, AppInfo, DeployValues, IngressValues, ManifestContext};
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
            Self::PackVariables(_) => "pack",
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
    let run_as_user = run_as_user(inputs, packs)?;
    let crate::labels::TemplateLabels {
        labels,
        selector_labels,
    } = crate::labels::template_labels(&name, inputs.environment.as_deref(), &version);
    let context = ManifestContext {
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
            env: deploy.env.clone(),
            autoscale: deploy.autoscale,
            run_as_user,
            config_name: names::config_name(&name),
            secrets_name: names::secrets_name(&name),
        },
        ingress: inputs.ingress.clone(),
        access: inputs.access.clone(),
        app_env: Vec::new(),
        components: Vec::new(),
    };
    Ok((context, warnings))
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
fn run_as_user(inputs: &ValueInputs, packs: &PackSet) -> Result<i64, ValuesError> {
    let pack = packs.get(&inputs.pack).map_err(ValuesError::UnknownPack)?;
    let layers: Vec<&BTreeMap<String, toml::Value>> = inputs.pack_variables.iter().collect();
    let values = render::resolve_variables(pack, &layers).map_err(ValuesError::PackVariables)?;
    let uid = values
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
