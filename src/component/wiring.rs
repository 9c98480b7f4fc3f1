//! The variables the app's container gets for its components.
//!
//! For each component: a variable `PAAS_<NAME>_PASSWORD` filled from the component's Secret
//! (`secretKeyRef`), then its URL (`REDIS_URL`, `DATABASE_URL`, `MONGODB_URI`, or `<NAME>_URL`)
//! and, for packs that ask for them, the .NET connection string `ConnectionStrings__<name>`.
//! Those values are written with Kubernetes' `$(VAR)` reference to the password variable, which
//! the kubelet expands when it starts the container: the manifest, the release record and every
//! output hold the reference, never the password.

use serde_json::{Value, json};

use super::{Catalog, ComponentContext, ComponentValues, env_stem};

/// Returns the name of the variable holding component `name`'s password in the app.
#[must_use]
pub fn password_variable(name: &str) -> String {
    format!("PAAS_{}_PASSWORD", env_stem(name))
}

/// Returns the name of the .NET connection string variable of component `name`.
#[must_use]
pub fn connection_string_variable(name: &str) -> String {
    format!("ConnectionStrings__{name}")
}

/// Fills a format of the catalog: `{host}`, `{port}`, `{user}`, `{database}`, and `{password}`
/// with `password` (a `$(VAR)` reference, or nothing for the shown form).
#[must_use]
pub fn format(template: &str, host: &str, component: &ComponentValues, password: &str) -> String {
    template
        .replace("{host}", host)
        .replace("{port}", &component.port.to_string())
        .replace("{user}", component.user.as_deref().unwrap_or_default())
        .replace(
            "{database}",
            component.database.as_deref().unwrap_or_default(),
        )
        .replace("{password}", password)
}

/// Returns the `env` entries of the app's container for `components` (Kubernetes `EnvVar`s as
/// JSON), with the .NET connection strings when `connection_strings` is set.
#[must_use]
pub fn app_env(
    components: &[ComponentContext],
    catalog: &Catalog,
    connection_strings: bool,
) -> Vec<Value> {
    let mut env = Vec::new();
    for context in components {
        let Ok(kind) = catalog.get(&context.component.kind) else {
            continue;
        };
        let formats = &kind.manifest.formats;
        let secret = password_variable(&context.component.name);
        env.push(json!({
            "name": secret,
            "valueFrom": {"secretKeyRef": {"name": context.secret_name, "key": "password"}},
        }));
        let reference = format!("$({secret})");
        env.push(json!({
            "name": context.component.env,
            "value": format(&formats.url, &context.name, &context.component, &reference),
        }));
        if connection_strings {
            env.push(json!({
                "name": connection_string_variable(&context.component.name),
                "value": format(&formats.dotnet, &context.name, &context.component, &reference),
            }));
        }
    }
    env
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::config::ComponentSection;

    #[test]
    fn values_refer_to_the_password_and_never_hold_it() {
        let catalog = Catalog::load(&[]).expect("catalog");
        let declared: BTreeMap<String, ComponentSection> = ["redis", "postgres", "mongodb"]
            .into_iter()
            .map(|kind| {
                (
                    kind.to_owned(),
                    ComponentSection {
                        kind: kind.into(),
                        ..ComponentSection::default()
                    },
                )
            })
            .collect();
        let contexts =
            super::super::contexts("shop", None, None, &declared, &catalog).expect("valid");
        let env = app_env(&contexts, &catalog, true);
        insta::assert_json_snapshot!(env, @r#"
        [
          {
            "name": "PAAS_MONGODB_PASSWORD",
            "valueFrom": {
              "secretKeyRef": {
                "name": "shop-mongodb",
                "key": "password"
              }
            }
          },
          {
            "name": "MONGODB_URI",
            "value": "mongodb://app:$(PAAS_MONGODB_PASSWORD)@shop-mongodb:27017/app?authSource=admin"
          },
          {
            "name": "ConnectionStrings__mongodb",
            "value": "mongodb://app:$(PAAS_MONGODB_PASSWORD)@shop-mongodb:27017/app?authSource=admin"
          },
          {
            "name": "PAAS_POSTGRES_PASSWORD",
            "valueFrom": {
              "secretKeyRef": {
                "name": "shop-postgres",
                "key": "password"
              }
            }
          },
          {
            "name": "DATABASE_URL",
            "value": "postgresql://app:$(PAAS_POSTGRES_PASSWORD)@shop-postgres:5432/app"
          },
          {
            "name": "ConnectionStrings__postgres",
            "value": "Host=shop-postgres;Port=5432;Database=app;Username=app;Password=$(PAAS_POSTGRES_PASSWORD)"
          },
          {
            "name": "PAAS_REDIS_PASSWORD",
            "valueFrom": {
              "secretKeyRef": {
                "name": "shop-redis",
                "key": "password"
              }
            }
          },
          {
            "name": "REDIS_URL",
            "value": "redis://default:$(PAAS_REDIS_PASSWORD)@shop-redis:6379/0"
          },
          {
            "name": "ConnectionStrings__redis",
            "value": "shop-redis:6379,password=$(PAAS_REDIS_PASSWORD),abortConnect=false"
          }
        ]
        "#);
        assert_eq!(app_env(&contexts, &catalog, false).len(), 6);
    }
}
