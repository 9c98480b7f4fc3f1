//! Components: the app's backing services (Redis, `PostgreSQL`, `MongoDB`), declared in
//! `paas.toml` under `[components.NAME]` and run beside the app as a `StatefulSet` with its own
//! volume, a headless Service, a `NetworkPolicy` that admits only the app's pods, and a Secret with
//! a password generated once.
//!
//! This module turns a declaration and the [`catalog`] into what the templates see
//! ([`ComponentContext`]), renders the templates into manifests, and builds the variables the
//! app's container gets ([`wiring`]). It reads no file and talks to no cluster.

pub mod backup;
pub mod catalog;
pub mod password;
pub mod wiring;

use std::collections::BTreeMap;

use serde::Serialize;

pub use catalog::{Catalog, CatalogError, Kind, SECRET_TEMPLATE};

use crate::config::ComponentSection;
use crate::manifests::{self, Manifest, RenderError};
use crate::names::{self, NameError};

/// The longest `<app>-<name>`: a `StatefulSet`'s pods carry a revision label of its name plus 11
/// characters, and a label value holds at most 63.
pub const MAX_OBJECT_NAME: usize = 52;

/// A component as the templates see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComponentContext {
    /// The app it belongs to.
    pub app: AppRef,
    /// What it is.
    pub component: ComponentValues,
    /// The name of its `StatefulSet`, Service and `NetworkPolicy`: `<app>-<name>`.
    pub name: String,
    /// The name of its Secret.
    pub secret_name: String,
    /// The name of its volume claim template: `data-v<major>`, so a new major version gets a
    /// new volume and the old one stays.
    pub claim_template: String,
    /// The namespace, or none to leave it to the kube context.
    pub namespace: Option<String>,
    /// The labels of its objects and pods.
    pub labels: BTreeMap<String, String>,
    /// The labels its selector uses.
    pub selector_labels: BTreeMap<String, String>,
    /// The labels of its volume claims.
    pub claim_labels: BTreeMap<String, String>,
    /// The labels of its Secret.
    pub secret_labels: BTreeMap<String, String>,
    /// The selector labels of the app's pods, the only ones let in.
    pub app_selector_labels: BTreeMap<String, String>,
}

/// `app.*` in component templates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppRef {
    /// The app's name.
    pub name: String,
}

/// `component.*` in component templates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComponentValues {
    /// `[components.NAME]`.
    pub name: String,
    /// `redis`, `postgres`, `mongodb`.
    pub kind: String,
    /// The catalog version.
    pub version: String,
    /// Its major version.
    pub major: String,
    /// The image.
    pub image: String,
    /// The port.
    pub port: u16,
    /// The storage requested.
    pub storage: String,
    /// The storage class, when `paas.toml` names one (else the cluster's default).
    pub storage_class: Option<String>,
    /// Where the volume is mounted.
    pub mount_path: String,
    /// Where the data lives.
    pub data_path: String,
    /// The user the container runs as.
    pub uid: i64,
    /// The user the app connects as, if the kind has users.
    pub user: Option<String>,
    /// The database, if the kind has databases.
    pub database: Option<String>,
    /// The container's resources.
    pub resources: catalog::Resources,
    /// The variable the app gets its URL in.
    pub env: String,
    /// The URL without the password.
    pub shown_url: String,
}

/// Why a component declaration cannot be used. Each names the field it is about.
#[derive(Debug, thiserror::Error)]
pub enum ComponentError {
    /// The name is not a DNS label.
    #[error("invalid component name: {0}")]
    Name(NameError),
    /// `<app>-<name>` is too long.
    #[error("the component name `{name}` is too long for app `{app}`: `{app}-{name}` has {} characters, at most {MAX_OBJECT_NAME} fit", app.len() + 1 + name.len())]
    TooLong {
        /// The app.
        app: String,
        /// The component.
        name: String,
    },
    /// The kind or version is not in the catalog.
    #[error("component `{name}`: {source}")]
    Catalog {
        /// The component.
        name: String,
        /// The cause.
        #[source]
        source: CatalogError,
    },
    /// A value is invalid.
    #[error("component `{name}`: {error}")]
    Invalid {
        /// The component.
        name: String,
        /// The field: `image`, `storage`, `env`.
        field: &'static str,
        /// What is wrong.
        error: NameError,
    },
    /// Two components would set the same variable.
    #[error("components `{first}` and `{second}` both set `{variable}` in the app")]
    SameVariable {
        /// The variable.
        variable: String,
        /// One component.
        first: String,
        /// The other.
        second: String,
    },
    /// A component's variable is also in `[deploy.env]`.
    #[error("`{variable}` is set both by component `{name}` and in `[deploy.env]`")]
    SetTwice {
        /// The variable.
        variable: String,
        /// The component.
        name: String,
    },
}

impl ComponentError {
    /// Returns the field of `paas.toml` the error is about.
    #[must_use]
    pub fn field(&self) -> String {
        match self {
            Self::Name(_) | Self::TooLong { .. } => "components".to_owned(),
            Self::Catalog { name, source } => match source {
                CatalogError::UnknownVersion { .. } => format!("components.{name}.version"),
                _ => format!("components.{name}.kind"),
            },
            Self::Invalid { name, field, .. } => format!("components.{name}.{field}"),
            Self::SameVariable { second, .. } => format!("components.{second}.env"),
            Self::SetTwice { .. } => "deploy.env".to_owned(),
        }
    }
}

/// Checks a component name given by the user (`paas add --name`, `[components.NAME]`).
pub fn check_name(app: &str, name: &str) -> Result<(), ComponentError> {
    names::check_app_name(name).map_err(|err| {
        ComponentError::Name(match err {
            NameError::AppName { value, reason } => NameError::Invalid {
                what: "component name",
                value,
                reason,
            },
            other @ NameError::Invalid { .. } => other,
        })
    })?;
    if app.len() + 1 + name.len() > MAX_OBJECT_NAME {
        return Err(ComponentError::TooLong {
            app: app.to_owned(),
            name: name.to_owned(),
        });
    }
    Ok(())
}

/// Builds what the templates of each declared component see, in name order.
pub fn contexts(
    app: &str,
    environment: Option<&str>,
    namespace: Option<&str>,
    declared: &BTreeMap<String, ComponentSection>,
    catalog: &Catalog,
) -> Result<Vec<ComponentContext>, ComponentError> {
    let mut contexts = Vec::new();
    for (name, section) in declared {
        contexts.push(context(
            app,
            environment,
            namespace,
            name,
            section,
            catalog,
        )?);
    }
    // The conventional variable goes to a kind's only instance; with several, each gets
    // `<NAME>_URL`.
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for context in &contexts {
        *counts.entry(context.component.kind.clone()).or_default() += 1;
    }
    for (context, section) in contexts.iter_mut().zip(declared.values()) {
        if section.env.is_none() && counts[&context.component.kind] > 1 {
            context.component.env = format!("{}_URL", env_stem(&context.component.name));
        }
    }
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for context in &contexts {
        if let Some(first) = seen.insert(&context.component.env, &context.component.name) {
            return Err(ComponentError::SameVariable {
                variable: context.component.env.clone(),
                first: first.to_owned(),
                second: context.component.name.clone(),
            });
        }
    }
    Ok(contexts)
}

/// Checks the components `config` declares as `paas up` reads them (names, kinds, versions,
/// values, the variables they give the app, none of them also in `[deploy.env]`) and returns
/// their contexts.
pub fn check_declared(
    config: &crate::config::ProjectConfig,
    catalog: &Catalog,
) -> Result<Vec<ComponentContext>, ComponentError> {
    let declared = contexts(&config.app.name, None, None, &config.components, catalog)?;
    for component in &declared {
        let name = &component.component.name;
        let variables = [
            wiring::password_variable(name),
            component.component.env.clone(),
            wiring::connection_string_variable(name),
        ];
        if let Some(variable) = variables
            .iter()
            .find(|v| config.deploy.env.contains_key(*v))
        {
            return Err(ComponentError::SetTwice {
                variable: variable.clone(),
                name: name.clone(),
            });
        }
    }
    Ok(declared)
}

/// Returns `name` as the stem of a variable name: `user-cache` → `USER_CACHE`.
#[must_use]
pub fn env_stem(name: &str) -> String {
    name.to_ascii_uppercase().replace('-', "_")
}

fn context(
    app: &str,
    environment: Option<&str>,
    namespace: Option<&str>,
    name: &str,
    section: &ComponentSection,
    catalog: &Catalog,
) -> Result<ComponentContext, ComponentError> {
    check_name(app, name)?;
    let catalog_error = |source| ComponentError::Catalog {
        name: name.to_owned(),
        source,
    };
    let kind = catalog.get(&section.kind).map_err(catalog_error)?;
    let entry = kind
        .version(section.version.as_deref())
        .map_err(catalog_error)?;
    let invalid = |field: &'static str| {
        move |error| ComponentError::Invalid {
            name: name.to_owned(),
            field,
            error,
        }
    };
    let manifest = &kind.manifest;
    let image = section.image.clone().unwrap_or_else(|| entry.image.clone());
    names::check_image(&image).map_err(invalid("image"))?;
    let storage = section
        .storage
        .clone()
        .unwrap_or_else(|| manifest.storage.clone());
    names::check_quantity(&storage).map_err(invalid("storage"))?;
    if let Some(class) = &section.storage_class
        && !names::is_label(class)
        && !class.split('.').all(names::is_label)
    {
        return Err(invalid("storage_class")(NameError::Invalid {
            what: "storage class",
            value: names::shown(class),
            reason: "expected a DNS name",
        }));
    }
    let env = section.env.clone().unwrap_or_else(|| manifest.env.clone());
    names::check_env_name(&env).map_err(invalid("env"))?;
    let object = format!("{app}-{name}");
    let major = entry.major().to_owned();
    let crate::labels::TemplateLabels {
        mut labels,
        selector_labels,
    } = crate::labels::component_labels(app, environment, name, &manifest.kind, &entry.version);
    if let Some(namespace) = namespace {
        crate::labels::set_namespace(&mut labels, namespace);
    }
    let mut component = ComponentValues {
        name: name.to_owned(),
        kind: manifest.kind.clone(),
        version: entry.version.clone(),
        major: major.clone(),
        image,
        port: manifest.port,
        storage,
        storage_class: section.storage_class.clone(),
        mount_path: entry.mount_path.clone(),
        data_path: entry.data_path.clone(),
        uid: manifest.uid,
        user: manifest.user.clone(),
        database: manifest.database.clone(),
        resources: manifest.resources.clone(),
        env,
        shown_url: String::new(),
    };
    component.shown_url = wiring::format(&manifest.formats.shown_url, &object, &component, "");
    Ok(ComponentContext {
        app: AppRef {
            name: app.to_owned(),
        },
        claim_template: claim_template(&major),
        claim_labels: crate::labels::claim_labels(app, name, &manifest.kind, &major),
        secret_labels: crate::labels::credentials_labels(app, name),
        app_selector_labels: crate::labels::template_labels(app, None, "").selector_labels,
        secret_name: object.clone(),
        name: object,
        namespace: namespace.map(str::to_owned),
        labels,
        selector_labels,
        component,
    })
}

/// The name of the volume claim template of a component's data of major version `major`:
/// `data-v<major>`. Data of another major version is on another claim.
#[must_use]
pub fn claim_template(major: &str) -> String {
    format!("data-v{}", crate::labels::label_value(major))
}

/// The volume claim of the one pod of `StatefulSet` `set` from claim template `template`.
#[must_use]
pub fn claim_name(template: &str, set: &str) -> String {
    format!("{template}-{set}-0")
}

/// Renders a component's objects (all but its Secret, see [`render_secret`]) in apply order.
pub fn render(context: &ComponentContext, kind: &Kind) -> Result<Vec<Manifest>, RenderError> {
    let templates: BTreeMap<String, String> = kind
        .templates
        .iter()
        .filter(|(name, _)| name.as_str() != SECRET_TEMPLATE)
        .map(|(name, text)| (source(context, name), text.clone()))
        .collect();
    manifests::render_objects(&templates, context)
}

/// Renders the app's manifests and those of its components (`context.components`, all but
/// their Secrets), in apply order.
pub fn render_app(
    templates: &BTreeMap<String, String>,
    context: &manifests::ManifestContext,
    catalog: &Catalog,
) -> Result<Vec<Manifest>, RenderError> {
    let mut all = manifests::render(templates, context)?;
    for component in &context.components {
        let kind = catalog
            .get(&component.component.kind)
            .map_err(|err| RenderError::Policy {
                file: format!("paas.toml [components.{}]", component.component.name),
                id: format!("statefulset/{}", component.name),
                message: err.to_string(),
            })?;
        for manifest in render(component, kind)? {
            if let Some(other) = all.iter().find(|m| m.id() == manifest.id()) {
                return Err(RenderError::Duplicate {
                    id: manifest.id(),
                    first: other.source.clone(),
                    second: manifest.source.clone(),
                });
            }
            all.push(manifest);
        }
    }
    manifests::sort(&mut all);
    Ok(all)
}

/// Renders a component's Secret with `password`. Only `paas up` calls it, when the Secret does
/// not exist; what it returns is created and never recorded or shown.
pub fn render_secret(
    context: &ComponentContext,
    kind: &Kind,
    password: &password::Password,
) -> Result<Manifest, RenderError> {
    #[derive(Serialize)]
    struct WithPassword<'a> {
        #[serde(flatten)]
        context: &'a ComponentContext,
        password: &'a str,
    }
    let file = source(context, SECRET_TEMPLATE);
    let text = kind
        .templates
        .get(SECRET_TEMPLATE)
        .cloned()
        .unwrap_or_default();
    let templates = BTreeMap::from([(file.clone(), text)]);
    let values = WithPassword {
        context,
        password: password.expose(),
    };
    let mut rendered = manifests::render_objects(&templates, &values)?;
    match (rendered.pop(), rendered.is_empty()) {
        (Some(secret), true) if secret.kind == "Secret" && secret.name == context.secret_name => {
            Ok(secret)
        }
        _ => Err(RenderError::Policy {
            file,
            id: format!("secret/{}", context.secret_name),
            message: "must render exactly the component's Secret".into(),
        }),
    }
}

/// Names a component template in messages and release records: `components/NAME/FILE`.
fn source(context: &ComponentContext, file: &str) -> String {
    format!("components/{}/{file}", context.component.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(kind: &str) -> ComponentSection {
        ComponentSection {
            kind: kind.into(),
            ..ComponentSection::default()
        }
    }

    #[test]
    fn every_kind_renders_restricted_objects() {
        let catalog = Catalog::load(&[]).expect("catalog");
        for kind in catalog.kinds() {
            let declared = BTreeMap::from([("data".to_owned(), section(&kind.manifest.kind))]);
            let contexts =
                contexts("shop", Some("prod"), Some("shop"), &declared, &catalog).expect("valid");
            let manifests = render(&contexts[0], kind).expect("renders");
            let ids: Vec<String> = manifests.iter().map(Manifest::id).collect();
            assert_eq!(
                ids,
                [
                    "service/shop-data",
                    "statefulset/shop-data",
                    "networkpolicy/shop-data"
                ],
                "{}",
                kind.manifest.kind
            );
            let secret = render_secret(&contexts[0], kind, &password::Password::generate())
                .expect("secret renders");
            assert_eq!(secret.id(), "secret/shop-data");
        }
    }

    /// A `StatefulSet`'s container mounts its data by the claim template's name (`data-v7`), and a
    /// template that mounts a volume the pod lacks is refused when it renders, not by the API server.
    #[test]
    fn data_is_mounted_by_the_claim_templates_name() {
        let catalog = Catalog::load(&[]).expect("catalog");
        for kind in catalog.kinds() {
            let declared = BTreeMap::from([("data".to_owned(), section(&kind.manifest.kind))]);
            let contexts = contexts("shop", None, None, &declared, &catalog).expect("valid");
            let manifests = render(&contexts[0], kind).expect("renders");
            let set = &manifests[1].value;
            let claim = set
                .pointer("/spec/volumeClaimTemplates/0/metadata/name")
                .and_then(serde_json::Value::as_str)
                .expect("a claim template");
            assert_eq!(claim, contexts[0].claim_template);
            let mounts = set
                .pointer("/spec/template/spec/containers/0/volumeMounts")
                .and_then(serde_json::Value::as_array)
                .expect("mounts");
            assert!(
                mounts.iter().any(|m| m["name"] == claim),
                "{}: {mounts:?}",
                kind.manifest.kind
            );
        }
        let mut kind = catalog.get("redis").expect("redis").clone();
        let template = kind.templates["statefulset.yaml"]
            .replace("- name: {{ claim_template }}\n", "- name: data\n");
        kind.templates.insert("statefulset.yaml".into(), template);
        let declared = BTreeMap::from([("cache".to_owned(), section("redis"))]);
        let contexts = contexts("shop", None, None, &declared, &catalog).expect("valid");
        let err = render(&contexts[0], &kind).expect_err("a mount of a missing volume");
        assert!(
            err.to_string()
                .contains("container `redis` mounts volume `data`, which the pod does not have"),
            "{err}"
        );
    }

    #[test]
    fn a_second_instance_of_a_kind_gets_its_own_variable() {
        let catalog = Catalog::load(&[]).expect("catalog");
        let declared = BTreeMap::from([
            ("cache".to_owned(), section("redis")),
            ("db".to_owned(), section("postgres")),
            ("sessions".to_owned(), section("redis")),
        ]);
        let contexts = contexts("shop", None, None, &declared, &catalog).expect("valid");
        let env: Vec<&str> = contexts.iter().map(|c| c.component.env.as_str()).collect();
        assert_eq!(env, ["CACHE_URL", "DATABASE_URL", "SESSIONS_URL"]);
        assert_eq!(
            contexts[1].component.shown_url,
            "postgresql://app@shop-db:5432/app"
        );
    }

    #[test]
    fn bad_declarations_name_their_field() {
        let catalog = Catalog::load(&[]).expect("catalog");
        let err = |name: &str, section: ComponentSection| {
            let declared = BTreeMap::from([(name.to_owned(), section)]);
            let err = contexts("shop", None, None, &declared, &catalog).expect_err("invalid");
            (err.field(), err.to_string())
        };
        assert_eq!(
            err("cache", section("mysql")),
            (
                "components.cache.kind".to_owned(),
                "component `cache`: `mysql` is not a component kind paas knows; known kinds: mongodb, postgres, redis".to_owned()
            )
        );
        let mut old = section("postgres");
        old.version = Some("9.6".into());
        assert_eq!(err("db", old).0, "components.db.version");
        assert_eq!(err("Cache", section("redis")).0, "components");
        assert_eq!(err(&"c".repeat(50), section("redis")).0, "components");
        let mut bad = section("redis");
        bad.storage = Some("lots".into());
        assert_eq!(err("cache", bad).0, "components.cache.storage");
    }
}
