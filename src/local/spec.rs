//! What the local target runs, read from the rendered manifests: the app's Deployment and its
//! components' `StatefulSet`s become container specs, so the company's templates are the one
//! description of how the app runs, on a cluster or on one Docker engine.
//!
//! Kept: the image, command and arguments; the variables (plain, from the rendered `ConfigMap`, from
//! Secrets through a lookup, `$(VAR)` references expanded as the kubelet does); the user and group;
//! a read-only root, no capabilities and no privilege escalation; the memory and CPU limits;
//! `emptyDir` mounts as tmpfs; claim templates as named volumes; the readiness probe; the
//! `preStop` pause and the grace period. Left out: other containers of the pod (sidecars such as a
//! metrics exporter), Services, Ingresses, `NetworkPolicy`s (the app's own network stands for them).

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::manifests::Manifest;

/// A container's readiness check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Probe {
    /// `GET path` on the port answers 200 to 399.
    Http {
        /// The path.
        path: String,
        /// The container port.
        port: u16,
    },
    /// The port accepts a connection.
    Tcp {
        /// The container port.
        port: u16,
    },
    /// The command exits 0 inside the container.
    Exec {
        /// The command.
        command: Vec<String>,
    },
}

/// One container as the local target runs it (each replica of the app is one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContainerSpec {
    /// What it stands for: the app's name, or the component's object name (`web-redis`), which is
    /// also its host name on the app's network.
    pub name: String,
    /// The component's name in `paas.toml`, for a component.
    pub component: Option<String>,
    /// The image reference.
    pub image: String,
    /// The entrypoint (`command`), if the manifest sets one.
    pub command: Option<Vec<String>>,
    /// The arguments (`args`), if the manifest sets them.
    pub args: Option<Vec<String>>,
    /// The variables, resolved, in order.
    pub env: Vec<(String, String)>,
    /// `uid:gid`, when the manifest names them.
    pub user: Option<String>,
    /// The group that owns its volumes (`fsGroup`), with the user: a new volume is given to them.
    pub volume_owner: Option<String>,
    /// A read-only root file system.
    pub read_only: bool,
    /// Every capability dropped.
    pub drop_all_capabilities: bool,
    /// `no-new-privileges`.
    pub no_new_privileges: bool,
    /// The memory limit in bytes.
    pub memory_limit: Option<u64>,
    /// The CPU limit in nano CPUs.
    pub nano_cpus: Option<i64>,
    /// Paths mounted as tmpfs (`emptyDir`), with their size limit in bytes if any.
    pub tmpfs: Vec<(String, Option<u64>)>,
    /// Named volumes (claim templates): the claim template's name and the mount path.
    pub volumes: Vec<(String, String)>,
    /// The port the app serves on (named `http`, else the first).
    pub port: Option<u16>,
    /// The readiness check.
    pub probe: Option<Probe>,
    /// Seconds between the stop signal and the kill.
    pub grace_seconds: u32,
    /// Seconds it keeps serving after it is taken out of the rotation (`preStop` sleep).
    pub pre_stop_seconds: u32,
}

/// Everything the local target runs for one release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocalPlan {
    /// The app's container.
    pub app: ContainerSpec,
    /// How many replicas.
    pub replicas: u32,
    /// The components, in apply order.
    pub components: Vec<ContainerSpec>,
}

/// Why the manifests cannot run locally.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    /// No Deployment for the app.
    #[error("the rendered manifests have no Deployment `{app}` to run")]
    NoDeployment {
        /// The app.
        app: String,
    },
    /// A pod template without a container.
    #[error("{id} has no container")]
    NoContainer {
        /// `deployment/web`.
        id: String,
    },
    /// A variable from a Secret or `ConfigMap` that is not there and not optional.
    #[error(
        "{id}: variable `{variable}` comes from {source_kind} `{name}` key `{key}`, which does not exist"
    )]
    Missing {
        /// `deployment/web`.
        id: String,
        /// The variable.
        variable: String,
        /// `Secret` or `ConfigMap`.
        source_kind: &'static str,
        /// Its name.
        name: String,
        /// The key.
        key: String,
    },
}

/// Where Secret values come from (the local store); `None` when there is no such value.
pub trait SecretLookup {
    /// The value of `key` in Secret `name`.
    fn value(&self, name: &str, key: &str) -> Option<String>;
    /// Every key and value of Secret `name`, if it exists.
    fn all(&self, name: &str) -> Option<BTreeMap<String, String>>;
}

/// Reads the plan of `app` from `manifests`, with Secret values from `secrets`.
pub fn plan(
    manifests: &[Manifest],
    app: &str,
    secrets: &dyn SecretLookup,
) -> Result<LocalPlan, SpecError> {
    let config_maps = config_maps(manifests);
    let deployment = manifests
        .iter()
        .find(|m| m.kind == "Deployment" && m.name == app)
        .ok_or_else(|| SpecError::NoDeployment {
            app: app.to_owned(),
        })?;
    let replicas = deployment
        .value
        .pointer("/spec/replicas")
        .and_then(Value::as_u64)
        .map_or(1, |r| u32::try_from(r).unwrap_or(u32::MAX));
    let app_spec = container(deployment, app, None, &config_maps, secrets)?;
    let mut components = Vec::new();
    for set in manifests.iter().filter(|m| m.kind == "StatefulSet") {
        let component = set
            .value
            .pointer("/metadata/labels")
            .and_then(|l| l.get(crate::labels::COMPONENT))
            .and_then(Value::as_str)
            .map(str::to_owned);
        let mut spec = container(set, &set.name, component, &config_maps, secrets)?;
        let claims: Vec<String> = set
            .value
            .pointer("/spec/volumeClaimTemplates")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|c| c.pointer("/metadata/name").and_then(Value::as_str))
            .map(str::to_owned)
            .collect();
        spec.volumes.retain(|(claim, _)| claims.contains(claim));
        components.push(spec);
    }
    Ok(LocalPlan {
        app: app_spec,
        replicas,
        components,
    })
}

fn config_maps(manifests: &[Manifest]) -> BTreeMap<String, BTreeMap<String, String>> {
    manifests
        .iter()
        .filter(|m| m.kind == "ConfigMap")
        .map(|m| {
            let data = m
                .value
                .get("data")
                .and_then(Value::as_object)
                .map(|d| {
                    d.iter()
                        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                        .collect()
                })
                .unwrap_or_default();
            (m.name.clone(), data)
        })
        .collect()
}

fn container(
    manifest: &Manifest,
    container_name: &str,
    component: Option<String>,
    config_maps: &BTreeMap<String, BTreeMap<String, String>>,
    secrets: &dyn SecretLookup,
) -> Result<ContainerSpec, SpecError> {
    let id = manifest.id();
    let pod = manifest
        .value
        .pointer("/spec/template/spec")
        .cloned()
        .unwrap_or(Value::Null);
    let containers = pod
        .get("containers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let main = containers
        .iter()
        .find(|c| c.get("name").and_then(Value::as_str) == Some(container_name))
        .or_else(|| containers.first())
        .ok_or_else(|| SpecError::NoContainer { id: id.clone() })?;
    let strings = |value: Option<&Value>| {
        value.and_then(Value::as_array).map(|items| {
            items
                .iter()
                .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_owned))
                .collect::<Vec<_>>()
        })
    };
    let env = environment(&id, main, config_maps, secrets)?;
    let pod_security = pod.get("securityContext");
    let security = main.get("securityContext");
    let user = security
        .and_then(|s| s.get("runAsUser"))
        .or_else(|| pod_security.and_then(|s| s.get("runAsUser")))
        .and_then(Value::as_u64)
        .map(|uid| {
            let gid = security
                .and_then(|s| s.get("runAsGroup"))
                .or_else(|| pod_security.and_then(|s| s.get("runAsGroup")))
                .and_then(Value::as_u64)
                .unwrap_or(uid);
            format!("{uid}:{gid}")
        });
    let volume_owner = pod_security
        .and_then(|s| s.get("fsGroup"))
        .and_then(Value::as_u64)
        .map(|group| {
            let uid = user
                .as_deref()
                .and_then(|u| u.split(':').next())
                .unwrap_or("0")
                .to_owned();
            format!("{uid}:{group}")
        });
    let flag = |key: &str| {
        security
            .and_then(|s| s.get(key))
            .and_then(Value::as_bool)
            .unwrap_or(false)
    };
    let drop_all = security
        .and_then(|s| s.pointer("/capabilities/drop"))
        .and_then(Value::as_array)
        .is_some_and(|d| d.iter().any(|c| c.as_str() == Some("ALL")));
    let limits = main.pointer("/resources/limits");
    let quantity = |key: &str| limits.and_then(|l| l.get(key)).map(quantity_text);
    let memory_limit = quantity("memory").and_then(|q| crate::deploy::status::bytes(&q));
    #[expect(
        clippy::cast_possible_truncation,
        reason = "a CPU limit in nano CPUs is far below 2^63"
    )]
    let nano_cpus = quantity("cpu")
        .and_then(|q| crate::deploy::status::cpu_millicores(&q))
        .map(|milli| (milli * 1_000_000.0).round() as i64);
    let ports: Vec<(Option<&str>, u16)> = main
        .get("ports")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| {
            let number = u16::try_from(p.get("containerPort")?.as_u64()?).ok()?;
            Some((p.get("name").and_then(Value::as_str), number))
        })
        .collect();
    let port = ports
        .iter()
        .find(|(name, _)| *name == Some("http"))
        .or_else(|| ports.first())
        .map(|(_, number)| *number);
    let port_of = |value: Option<&Value>| -> Option<u16> {
        match value? {
            Value::Number(n) => u16::try_from(n.as_u64()?).ok(),
            Value::String(name) => ports
                .iter()
                .find(|(n, _)| *n == Some(name.as_str()))
                .map(|(_, p)| *p),
            _ => None,
        }
    };
    let probe = main.get("readinessProbe").and_then(|probe| {
        if let Some(http) = probe.get("httpGet") {
            Some(Probe::Http {
                path: http
                    .get("path")
                    .and_then(Value::as_str)
                    .unwrap_or("/")
                    .to_owned(),
                port: port_of(http.get("port"))?,
            })
        } else if let Some(tcp) = probe.get("tcpSocket") {
            Some(Probe::Tcp {
                port: port_of(tcp.get("port"))?,
            })
        } else {
            strings(probe.pointer("/exec/command")).map(|command| Probe::Exec { command })
        }
    });
    let volumes = pod
        .get("volumes")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut tmpfs = Vec::new();
    let mut named = Vec::new();
    for mount in main
        .get("volumeMounts")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let (Some(name), Some(path)) = (
            mount.get("name").and_then(Value::as_str),
            mount.get("mountPath").and_then(Value::as_str),
        ) else {
            continue;
        };
        match volumes
            .iter()
            .find(|v| v.get("name").and_then(Value::as_str) == Some(name))
        {
            Some(volume) if volume.get("emptyDir").is_some() => {
                let size = volume
                    .pointer("/emptyDir/sizeLimit")
                    .map(quantity_text)
                    .and_then(|q| crate::deploy::status::bytes(&q));
                tmpfs.push((path.to_owned(), size));
            }
            Some(_) => {}
            // Not a pod volume: a claim template's, checked by the caller.
            None => named.push((name.to_owned(), path.to_owned())),
        }
    }
    let seconds = |value: Option<&Value>, default: u32| {
        value
            .and_then(Value::as_u64)
            .map_or(default, |s| u32::try_from(s).unwrap_or(u32::MAX))
    };
    Ok(ContainerSpec {
        name: container_name.to_owned(),
        component,
        image: main
            .get("image")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        command: strings(main.get("command")),
        args: strings(main.get("args")),
        env,
        user,
        volume_owner,
        read_only: flag("readOnlyRootFilesystem"),
        drop_all_capabilities: drop_all,
        no_new_privileges: security
            .and_then(|s| s.get("allowPrivilegeEscalation"))
            .and_then(Value::as_bool)
            == Some(false),
        memory_limit,
        nano_cpus,
        tmpfs,
        volumes: named,
        port,
        probe,
        grace_seconds: seconds(pod.get("terminationGracePeriodSeconds"), 30),
        pre_stop_seconds: seconds(main.pointer("/lifecycle/preStop/sleep/seconds"), 0),
    })
}

fn quantity_text(value: &Value) -> String {
    value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_owned)
}

/// The container's variables as the kubelet gives them: `envFrom` first (later sources win),
/// then `env` in order, each `$(VAR)` replaced by a variable defined before it (`$$` is a `$`).
fn environment(
    id: &str,
    container: &Value,
    config_maps: &BTreeMap<String, BTreeMap<String, String>>,
    secrets: &dyn SecretLookup,
) -> Result<Vec<(String, String)>, SpecError> {
    let mut values: Vec<(String, String)> = Vec::new();
    let set = |values: &mut Vec<(String, String)>, name: String, value: String| {
        if let Some(existing) = values.iter_mut().find(|(n, _)| *n == name) {
            existing.1 = value;
        } else {
            values.push((name, value));
        }
    };
    for source in container
        .get("envFrom")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let prefix = source.get("prefix").and_then(Value::as_str).unwrap_or("");
        if let Some(name) = source.pointer("/configMapRef/name").and_then(Value::as_str) {
            for (key, value) in config_maps.get(name).into_iter().flatten() {
                set(&mut values, format!("{prefix}{key}"), value.clone());
            }
        }
        if let Some(name) = source.pointer("/secretRef/name").and_then(Value::as_str) {
            for (key, value) in secrets.all(name).into_iter().flatten() {
                set(&mut values, format!("{prefix}{key}"), value);
            }
        }
    }
    for entry in container
        .get("env")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(name) = entry.get("name").and_then(Value::as_str) else {
            continue;
        };
        let value = if let Some(text) = entry.get("value").and_then(Value::as_str) {
            expand(text, &values)
        } else if let Some(reference) = entry.pointer("/valueFrom/secretKeyRef") {
            let (secret, key) = reference_of(reference);
            match secrets.value(secret, key) {
                Some(value) => value,
                None if optional(reference) => continue,
                None => {
                    return Err(missing(id, name, "Secret", secret, key));
                }
            }
        } else if let Some(reference) = entry.pointer("/valueFrom/configMapKeyRef") {
            let (map, key) = reference_of(reference);
            match config_maps.get(map).and_then(|m| m.get(key)) {
                Some(value) => value.clone(),
                None if optional(reference) => continue,
                None => return Err(missing(id, name, "ConfigMap", map, key)),
            }
        } else {
            String::new()
        };
        set(&mut values, name.to_owned(), value);
    }
    Ok(values)
}

fn reference_of(reference: &Value) -> (&str, &str) {
    (
        reference
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default(),
        reference
            .get("key")
            .and_then(Value::as_str)
            .unwrap_or_default(),
    )
}

fn optional(reference: &Value) -> bool {
    reference
        .get("optional")
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

fn missing(id: &str, variable: &str, kind: &'static str, name: &str, key: &str) -> SpecError {
    SpecError::Missing {
        id: id.to_owned(),
        variable: variable.to_owned(),
        source_kind: kind,
        name: name.to_owned(),
        key: key.to_owned(),
    }
}

/// Kubernetes' `$(VAR)` expansion: a defined variable is replaced, an undefined reference is
/// kept as written, `$$` is one `$`.
fn expand(text: &str, defined: &[(String, String)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some(inner) = after.strip_prefix('(')
            && let Some(end) = inner.find(')')
        {
            let name = &inner[..end];
            if let Some((_, value)) = defined.iter().find(|(n, _)| n == name) {
                out.push_str(value);
            } else {
                out.push_str("$(");
                out.push_str(name);
                out.push(')');
            }
            rest = &inner[end + 1..];
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Store(BTreeMap<String, BTreeMap<String, String>>);

    impl SecretLookup for Store {
        fn value(&self, name: &str, key: &str) -> Option<String> {
            self.0.get(name)?.get(key).cloned()
        }
        fn all(&self, name: &str) -> Option<BTreeMap<String, String>> {
            self.0.get(name).cloned()
        }
    }

    fn manifest(_kind: &str, _name: &str, value: &Value) -> Manifest {
        crate::manifests::parse_rendered(&serde_json::to_string(value).unwrap(), "test")
            .unwrap()
            .remove(0)
    }

    #[test]
    fn expansion_follows_the_kubelet() {
        let defined = vec![("P".to_owned(), "s3cret".to_owned())];
        assert_eq!(expand("redis://:$(P)@h", &defined), "redis://:s3cret@h");
        assert_eq!(expand("$(Q) $$ $x", &defined), "$(Q) $ $x");
    }

    #[test]
    fn a_deployment_becomes_a_locked_down_container() {
        let deployment = serde_json::json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web"},
            "spec": {"replicas": 2, "template": {"spec": {
                "securityContext": {"runAsUser": 101, "runAsGroup": 101},
                "terminationGracePeriodSeconds": 20,
                "containers": [{
                    "name": "web", "image": "r/web:1",
                    "ports": [{"name": "http", "containerPort": 8080}],
                    "envFrom": [{"configMapRef": {"name": "web-config"}}, {"secretRef": {"name": "web-secrets", "optional": true}}],
                    "env": [
                        {"name": "PAAS_CACHE_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "web-cache-credentials", "key": "password"}}},
                        {"name": "REDIS_URL", "value": "redis://default:$(PAAS_CACHE_PASSWORD)@web-cache:6379/0"}
                    ],
                    "resources": {"limits": {"cpu": "500m", "memory": "256Mi"}},
                    "readinessProbe": {"httpGet": {"path": "/healthz", "port": "http"}},
                    "lifecycle": {"preStop": {"sleep": {"seconds": 5}}},
                    "securityContext": {"allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true, "capabilities": {"drop": ["ALL"]}},
                    "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}]
                }],
                "volumes": [{"name": "tmp", "emptyDir": {}}]
            }}}
        });
        let config = serde_json::json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "web-config"}, "data": {"MODE": "prod"}});
        let store = Store(BTreeMap::from([(
            "web-cache-credentials".to_owned(),
            BTreeMap::from([("password".to_owned(), "pw".to_owned())]),
        )]));
        let plan = plan(
            &[
                manifest("ConfigMap", "web-config", &config),
                manifest("Deployment", "web", &deployment),
            ],
            "web",
            &store,
        )
        .unwrap();
        assert_eq!(plan.replicas, 2);
        let app = plan.app;
        assert_eq!(app.user.as_deref(), Some("101:101"));
        assert!(app.read_only && app.drop_all_capabilities && app.no_new_privileges);
        assert_eq!(app.memory_limit, Some(256 * 1024 * 1024));
        assert_eq!(app.nano_cpus, Some(500_000_000));
        assert_eq!(app.tmpfs, vec![("/tmp".to_owned(), None)]);
        assert_eq!(app.port, Some(8080));
        assert_eq!(
            app.probe,
            Some(Probe::Http {
                path: "/healthz".into(),
                port: 8080
            })
        );
        assert_eq!(app.pre_stop_seconds, 5);
        assert_eq!(app.grace_seconds, 20);
        assert_eq!(
            app.env,
            vec![
                ("MODE".to_owned(), "prod".to_owned()),
                ("PAAS_CACHE_PASSWORD".to_owned(), "pw".to_owned()),
                (
                    "REDIS_URL".to_owned(),
                    "redis://default:pw@web-cache:6379/0".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn a_missing_secret_is_named() {
        let deployment = serde_json::json!({
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
            "spec": {"template": {"spec": {"containers": [{"name": "web", "image": "i",
                "env": [{"name": "P", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}]}]}}}
        });
        let err = plan(
            &[manifest("Deployment", "web", &deployment)],
            "web",
            &Store(BTreeMap::new()),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "deployment/web: variable `P` comes from Secret `s` key `k`, which does not exist"
        );
    }
}
