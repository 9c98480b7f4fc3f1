//! Who owns the scale of an app: the replica count of its Deployment and the bounds and CPU
//! target of its autoscaler.
//!
//! `paas scale` changes them in the cluster with manager [`FIELD_MANAGER`] (the replica count
//! through the Deployment's `scale` subresource, as `kubectl scale` does; the bounds with a
//! patch of the `HorizontalPodAutoscaler`). A deploy must neither undo that nor fail on it, so
//! every deploy (and rollback) passes through [`reconcile`]: each value keeps its live setting
//! unless what `paas.toml` declares changed since the last release, in which case the
//! declaration wins. A value that is going to change while another manager owns it is first
//! set in the cluster with the same kind of write `paas scale` uses ([`preset`]), so that the
//! server-side apply that follows sends the value the cluster already has and never meets a
//! field conflict.

use std::collections::BTreeMap;

use ::kube::api::{ListParams, Patch, PatchParams};
use ::kube::{Api, Client};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::kube::FIELD_MANAGER;
use crate::manifests::Manifest;

/// The most replicas `paas scale` sets; more is almost certainly a typo.
pub const MAX_REPLICAS: i32 = 1000;

/// The scale values of an app; `None` where the app has no such value.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scale {
    /// The Deployment's `spec.replicas` (none when an autoscaler owns it).
    pub replicas: Option<i32>,
    /// The autoscaler's `minReplicas`.
    pub min: Option<i32>,
    /// The autoscaler's `maxReplicas`.
    pub max: Option<i32>,
    /// The autoscaler's average CPU utilisation target, in percent.
    pub cpu: Option<i32>,
}

/// Why reading or changing the scale failed.
#[derive(Debug, thiserror::Error)]
pub enum ScaleError {
    /// The app has no Deployment in the namespace.
    #[error("`{app}` has no deployment in namespace `{namespace}`")]
    NotDeployed {
        /// The app.
        app: String,
        /// The namespace.
        namespace: String,
    },
    /// The app does not autoscale.
    #[error("`{app}` has no autoscaler in namespace `{namespace}`")]
    NoAutoscaler {
        /// The app.
        app: String,
        /// The namespace.
        namespace: String,
    },
    /// The object changed since it was read.
    #[error("{name} was changed by someone else since paas read it; nothing of it was overwritten")]
    Modified {
        /// `kind/name`.
        name: String,
    },
    /// The bounds make no sense together.
    #[error("invalid autoscaling bounds: {reason}")]
    Invalid {
        /// Why.
        reason: String,
    },
    /// The API call failed.
    #[error("failed to {action} `{name}` in namespace `{namespace}`")]
    Api {
        /// What was being done.
        action: &'static str,
        /// The object.
        name: String,
        /// The namespace.
        namespace: String,
        /// The cause.
        #[source]
        source: Box<::kube::Error>,
    },
}

impl Scale {
    /// Reads the declared scale out of manifests.
    #[must_use]
    pub fn declared(manifests: &[Manifest]) -> Self {
        let mut scale = Self::default();
        for manifest in manifests {
            match manifest.kind.as_str() {
                "Deployment" => scale.replicas = int(&manifest.value, "/spec/replicas"),
                "HorizontalPodAutoscaler" => {
                    scale.min = int(&manifest.value, "/spec/minReplicas");
                    scale.max = int(&manifest.value, "/spec/maxReplicas");
                    scale.cpu = cpu_target(&manifest.value);
                }
                _ => {}
            }
        }
        scale
    }

    /// Makes manifests recorded with the scale applied declare this scale again: as
    /// [`Scale::write_into`], and a Deployment without a declared count (autoscaled) gets none.
    pub fn declare_into(&self, manifests: &mut [Manifest]) {
        if self.replicas.is_none() {
            for manifest in manifests.iter_mut().filter(|m| m.kind == "Deployment") {
                if let Some(spec) = manifest
                    .value
                    .get_mut("spec")
                    .and_then(Value::as_object_mut)
                {
                    spec.remove("replicas");
                }
            }
        }
        self.write_into(manifests);
    }

    /// Writes these values into the manifests (only where the manifests have the object).
    pub fn write_into(&self, manifests: &mut [Manifest]) {
        for manifest in manifests {
            let value = &mut manifest.value;
            match manifest.kind.as_str() {
                "Deployment" => {
                    if let (Some(replicas), Some(spec)) = (
                        self.replicas,
                        value.get_mut("spec").and_then(Value::as_object_mut),
                    ) {
                        spec.insert("replicas".into(), Value::from(replicas));
                    }
                }
                "HorizontalPodAutoscaler" => {
                    if let Some(spec) = value.get_mut("spec").and_then(Value::as_object_mut) {
                        if let Some(min) = self.min {
                            spec.insert("minReplicas".into(), Value::from(min));
                        }
                        if let Some(max) = self.max {
                            spec.insert("maxReplicas".into(), Value::from(max));
                        }
                    }
                    if let Some(cpu) = self.cpu {
                        set_cpu_target(value, cpu);
                    }
                }
                _ => {}
            }
        }
    }
}

fn int(value: &Value, pointer: &str) -> Option<i32> {
    value
        .pointer(pointer)
        .and_then(Value::as_i64)
        .and_then(|v| i32::try_from(v).ok())
}

/// The CPU `averageUtilization` target of an autoscaler.
fn cpu_target(hpa: &Value) -> Option<i32> {
    hpa.pointer("/spec/metrics")?
        .as_array()?
        .iter()
        .find(|m| m.pointer("/resource/name").and_then(Value::as_str) == Some("cpu"))
        .and_then(|m| int(m, "/resource/target/averageUtilization"))
}

fn set_cpu_target(hpa: &mut Value, cpu: i32) {
    if let Some(metric) = hpa
        .pointer_mut("/spec/metrics")
        .and_then(Value::as_array_mut)
        .and_then(|metrics| {
            metrics
                .iter_mut()
                .find(|m| m.pointer("/resource/name").and_then(Value::as_str) == Some("cpu"))
        })
        && let Some(target) = metric
            .pointer_mut("/resource/target")
            .and_then(Value::as_object_mut)
    {
        target.insert("averageUtilization".into(), Value::from(cpu));
    }
}

/// Decides one value a deploy sends: a new object gets the declared value; otherwise the
/// live value stays unless the declaration changed since the last release.
#[must_use]
pub fn keep(live: Option<i32>, declared: Option<i32>, last_declared: Option<i32>) -> Option<i32> {
    match (live, declared) {
        (None, declared) => declared,
        (Some(live), None) => Some(live),
        (Some(live), Some(declared)) if last_declared == Some(declared) => Some(live),
        (Some(_), Some(declared)) => Some(declared),
    }
}

/// Decides every scale value a deploy sends ([`keep`] for each). An autoscaled Deployment
/// declares no replica count; the live one is sent back.
#[must_use]
pub fn reconcile(live: Scale, declared: Scale, last_declared: Option<Scale>) -> Scale {
    let last = last_declared.unwrap_or_default();
    let bound = |live, declared: Option<i32>, last| {
        // A value only means something while the object declaring it exists.
        declared.and(keep(live, declared, last))
    };
    let min = bound(live.min, declared.min, last.min);
    let max = bound(live.max, declared.max, last.max);
    let mut replicas = keep(live.replicas, declared.replicas, last.replicas);
    // An autoscaled Deployment declares no count, yet one is always sent: an apply without it
    // would hand the field back to the API server's default of one pod until the autoscaler
    // acts. The count sent is what runs, within the autoscaler's bounds (its minimum for a new
    // Deployment), which is what the autoscaler itself would set.
    if declared.replicas.is_none()
        && let Some(min) = min
    {
        let count = replicas.unwrap_or(min).max(min);
        replicas = Some(max.map_or(count, |max| count.min(max)));
    }
    Scale {
        replicas,
        min,
        max,
        cpu: bound(live.cpu, declared.cpu, last.cpu),
    }
}

/// The app's Deployment and autoscaler as they are live.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Targets {
    /// The Deployment's name.
    pub deployment: String,
    /// Its replica count.
    pub replicas: i32,
    /// The autoscaler's name, if the app autoscales.
    pub autoscaler: Option<String>,
    /// The autoscaler's bounds and target.
    pub bounds: Scale,
}

/// Finds the app's Deployment and autoscaler by paas's labels.
pub async fn targets(client: &Client, namespace: &str, app: &str) -> Result<Targets, ScaleError> {
    let params = ListParams::default().labels(&crate::labels::app_selector(app));
    let deployments: Api<Deployment> = Api::namespaced(client.clone(), namespace);
    let deployment = deployments
        .list(&params)
        .await
        .map_err(api_error("list deployments of", app, namespace))?
        .items
        .into_iter()
        .next()
        .ok_or_else(|| ScaleError::NotDeployed {
            app: app.to_owned(),
            namespace: namespace.to_owned(),
        })?;
    let hpas: Api<HorizontalPodAutoscaler> = Api::namespaced(client.clone(), namespace);
    let hpa = hpas
        .list(&params)
        .await
        .map_err(api_error("list autoscalers of", app, namespace))?
        .items
        .into_iter()
        .next();
    let bounds = hpa.as_ref().map_or_else(Scale::default, |hpa| {
        let value = serde_json::to_value(hpa).unwrap_or(Value::Null);
        Scale {
            replicas: None,
            min: int(&value, "/spec/minReplicas"),
            max: int(&value, "/spec/maxReplicas"),
            cpu: cpu_target(&value),
        }
    });
    Ok(Targets {
        deployment: deployment.metadata.name.clone().unwrap_or_default(),
        replicas: deployment.spec.and_then(|s| s.replicas).unwrap_or(1),
        autoscaler: hpa.and_then(|h| h.metadata.name),
        bounds,
    })
}

/// Reads the live scale of the app's Deployment and autoscaler, named as in `manifests`.
pub async fn live(
    client: &Client,
    namespace: &str,
    manifests: &[Manifest],
) -> Result<Scale, ScaleError> {
    let mut scale = Scale::default();
    for manifest in manifests {
        match manifest.kind.as_str() {
            "Deployment" => {
                let api: Api<Deployment> = Api::namespaced(client.clone(), namespace);
                let live = api.get_opt(&manifest.name).await.map_err(api_error(
                    "read",
                    &manifest.name,
                    namespace,
                ))?;
                scale.replicas = live.and_then(|d| d.spec).and_then(|s| s.replicas);
            }
            "HorizontalPodAutoscaler" => {
                let api: Api<HorizontalPodAutoscaler> = Api::namespaced(client.clone(), namespace);
                if let Some(hpa) = api.get_opt(&manifest.name).await.map_err(api_error(
                    "read",
                    &manifest.name,
                    namespace,
                ))? {
                    let value = serde_json::to_value(&hpa).unwrap_or(Value::Null);
                    scale.min = int(&value, "/spec/minReplicas");
                    scale.max = int(&value, "/spec/maxReplicas");
                    scale.cpu = cpu_target(&value);
                }
            }
            _ => {}
        }
    }
    Ok(scale)
}

/// Sets in the cluster, as `paas scale` would, every value of `desired` that differs from
/// `live` (and that exists live) and that another manager owns, so that applying `desired`
/// afterwards is no field conflict.
/// `versions` maps `kind/name` to the resourceVersion the caller read: a write to an object
/// listed there fails with [`ScaleError::Modified`] if it changed since, and the map gets the
/// new version. Returns whether anything was written.
pub async fn preset(
    client: &Client,
    namespace: &str,
    manifests: &[Manifest],
    live: Scale,
    desired: Scale,
    versions: &mut BTreeMap<String, String>,
) -> Result<bool, ScaleError> {
    let mut changed = false;
    for manifest in manifests {
        let id = manifest.id();
        match manifest.kind.as_str() {
            "Deployment" => {
                if let (Some(now), Some(want)) = (live.replicas, desired.replicas)
                    && now != want
                    && owned_by_another::<Deployment>(
                        client,
                        namespace,
                        &manifest.name,
                        &["f:replicas"],
                    )
                    .await?
                {
                    let version =
                        set_replicas(client, namespace, &manifest.name, want, versions.get(&id))
                            .await?;
                    if versions.contains_key(&id)
                        && let Some(version) = version
                    {
                        versions.insert(id, version);
                    }
                    changed = true;
                }
            }
            "HorizontalPodAutoscaler" => {
                let differs = |now: Option<i32>, want: Option<i32>| {
                    now.is_some() && want.is_some() && now != want
                };
                if (differs(live.min, desired.min)
                    || differs(live.max, desired.max)
                    || differs(live.cpu, desired.cpu))
                    && owned_by_another::<HorizontalPodAutoscaler>(
                        client,
                        namespace,
                        &manifest.name,
                        &["f:minReplicas", "f:maxReplicas", "f:metrics"],
                    )
                    .await?
                {
                    let bounds = Scale {
                        replicas: None,
                        ..desired
                    };
                    let (_, version) =
                        set_bounds(client, namespace, &manifest.name, bounds, versions.get(&id))
                            .await?;
                    if versions.contains_key(&id)
                        && let Some(version) = version
                    {
                        versions.insert(id, version);
                    }
                    changed = true;
                }
            }
            _ => {}
        }
    }
    Ok(changed)
}

/// Returns whether any of `fields` (under `spec`) of the object has a manager other than
/// paas's server-side apply: `paas scale`, `kubectl scale`, an autoscaler. Only then would an
/// apply of another value conflict, and only then is the value set first.
async fn owned_by_another<K>(
    client: &Client,
    namespace: &str,
    name: &str,
    fields: &[&str],
) -> Result<bool, ScaleError>
where
    K: ::kube::Resource<Scope = k8s_openapi::NamespaceResourceScope>
        + Clone
        + serde::de::DeserializeOwned
        + std::fmt::Debug,
    <K as ::kube::Resource>::DynamicType: Default,
{
    let api: Api<K> = Api::namespaced(client.clone(), namespace);
    let Some(object) = api
        .get_opt(name)
        .await
        .map_err(api_error("read", name, namespace))?
    else {
        return Ok(false);
    };
    Ok(object
        .meta()
        .managed_fields
        .iter()
        .flatten()
        .filter(|entry| {
            !(entry.manager.as_deref() == Some(FIELD_MANAGER)
                && entry.operation.as_deref() == Some("Apply")
                && entry.subresource.as_deref().unwrap_or_default().is_empty())
        })
        .any(|entry| {
            let spec = entry
                .fields_v1
                .as_ref()
                .and_then(|f| f.0.get("f:spec"))
                .and_then(Value::as_object);
            spec.is_some_and(|spec| fields.iter().any(|field| spec.contains_key(*field)))
        }))
}

fn api_error<'a>(
    action: &'static str,
    name: &'a str,
    namespace: &'a str,
) -> impl FnOnce(::kube::Error) -> ScaleError + 'a {
    move |source| ScaleError::Api {
        action,
        name: name.to_owned(),
        namespace: namespace.to_owned(),
        source: Box::new(source),
    }
}

fn params() -> PatchParams {
    PatchParams {
        field_manager: Some(FIELD_MANAGER.to_owned()),
        ..PatchParams::default()
    }
}

/// Sets a Deployment's replica count through its `scale` subresource (manager `paas`), only
/// if it is still at `version` when one is given. Returns the Deployment's new
/// resourceVersion.
pub async fn set_replicas(
    client: &Client,
    namespace: &str,
    deployment: &str,
    replicas: i32,
    version: Option<&String>,
) -> Result<Option<String>, ScaleError> {
    let api: Api<Deployment> = Api::namespaced(client.clone(), namespace);
    let mut patch = json!({ "spec": { "replicas": replicas } });
    if let Some(version) = version {
        patch["metadata"] = json!({ "resourceVersion": version });
    }
    match api
        .patch_scale(deployment, &params(), &Patch::Merge(patch))
        .await
    {
        Ok(scale) => Ok(scale.metadata.resource_version),
        Err(::kube::Error::Api(status)) if status.code == 409 => Err(ScaleError::Modified {
            name: format!("deployment/{deployment}"),
        }),
        Err(::kube::Error::Api(status)) if status.code == 404 => Err(ScaleError::NotDeployed {
            app: deployment.to_owned(),
            namespace: namespace.to_owned(),
        }),
        Err(source) => Err(api_error("scale", deployment, namespace)(source)),
    }
}

/// Changes an autoscaler's bounds and CPU target (the values given; manager `paas`). The
/// patch carries the resourceVersion read (or `version`, when given), so a concurrent change
/// fails instead of being overwritten. Returns the bounds now, and the new resourceVersion.
pub async fn set_bounds(
    client: &Client,
    namespace: &str,
    hpa: &str,
    bounds: Scale,
    version: Option<&String>,
) -> Result<(Scale, Option<String>), ScaleError> {
    let api: Api<HorizontalPodAutoscaler> = Api::namespaced(client.clone(), namespace);
    let modified = || ScaleError::Modified {
        name: format!("horizontalpodautoscaler/{hpa}"),
    };
    let Some(live) = api
        .get_opt(hpa)
        .await
        .map_err(api_error("read", hpa, namespace))?
    else {
        return Err(ScaleError::NoAutoscaler {
            app: hpa.to_owned(),
            namespace: namespace.to_owned(),
        });
    };
    if version.is_some() && version != live.metadata.resource_version.as_ref() {
        return Err(modified());
    }
    let mut value = serde_json::to_value(&live).unwrap_or(Value::Null);
    let before = Scale {
        replicas: None,
        min: int(&value, "/spec/minReplicas"),
        max: int(&value, "/spec/maxReplicas"),
        cpu: cpu_target(&value),
    };
    let after = Scale {
        replicas: None,
        min: bounds.min.or(before.min),
        max: bounds.max.or(before.max),
        cpu: bounds.cpu.or(before.cpu),
    };
    check_bounds(after)?;
    if bounds.cpu.is_some() && before.cpu.is_none() {
        return Err(ScaleError::Invalid {
            reason: format!("autoscaler `{hpa}` does not scale on CPU"),
        });
    }
    let mut spec = serde_json::Map::new();
    if let Some(min) = after.min {
        spec.insert("minReplicas".into(), Value::from(min));
    }
    if let Some(max) = after.max {
        spec.insert("maxReplicas".into(), Value::from(max));
    }
    if let Some(cpu) = after.cpu {
        set_cpu_target(&mut value, cpu);
        if let Some(metrics) = value.pointer("/spec/metrics") {
            spec.insert("metrics".into(), metrics.clone());
        }
    }
    let patch = json!({
        "metadata": { "resourceVersion": live.metadata.resource_version },
        "spec": spec,
    });
    match api.patch(hpa, &params(), &Patch::Merge(patch)).await {
        Ok(patched) => Ok((after, patched.metadata.resource_version)),
        Err(::kube::Error::Api(status)) if status.code == 409 => Err(modified()),
        Err(source) => Err(api_error("change", hpa, namespace)(source)),
    }
}

/// Checks autoscaling bounds: `1 <= min <= max <= MAX_REPLICAS`, CPU target 1–1000 %.
pub fn check_bounds(bounds: Scale) -> Result<(), ScaleError> {
    let invalid = |reason: String| Err(ScaleError::Invalid { reason });
    if let Some(min) = bounds.min
        && !(1..=MAX_REPLICAS).contains(&min)
    {
        return invalid(format!(
            "min {min} is out of range: the autoscaler runs at least 1 and at most {MAX_REPLICAS} replicas"
        ));
    }
    if let Some(max) = bounds.max
        && !(1..=MAX_REPLICAS).contains(&max)
    {
        return invalid(format!(
            "max {max} is out of range: the autoscaler runs at least 1 and at most {MAX_REPLICAS} replicas"
        ));
    }
    if let (Some(min), Some(max)) = (bounds.min, bounds.max)
        && min > max
    {
        return invalid(format!("min {min} is above max {max}"));
    }
    if let Some(cpu) = bounds.cpu
        && !(1..=1000).contains(&cpu)
    {
        return invalid(format!(
            "a CPU target of {cpu}% is out of range: use 1 to 1000 (percent of the CPU request)"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_value_keeps_its_live_setting_unless_the_declaration_changed() {
        // First deploy: what paas.toml says.
        assert_eq!(keep(None, Some(2), None), Some(2));
        // `paas scale 5` since: kept.
        assert_eq!(keep(Some(5), Some(2), Some(2)), Some(5));
        // paas.toml changed to 3 since the last release: the change wins.
        assert_eq!(keep(Some(5), Some(3), Some(2)), Some(3));
        // Autoscaled: the live count stays.
        assert_eq!(keep(Some(7), None, Some(2)), Some(7));
        assert_eq!(keep(None, None, None), None);
    }

    #[test]
    fn bounds_only_exist_with_an_autoscaler() {
        let live = Scale {
            replicas: Some(4),
            min: Some(3),
            max: Some(9),
            cpu: Some(50),
        };
        let declared = Scale {
            replicas: None,
            min: Some(2),
            max: Some(10),
            cpu: Some(70),
        };
        // Bounds edited by `paas scale`, paas.toml unchanged: all kept.
        assert_eq!(reconcile(live, declared, Some(declared)), live);
        // paas.toml's max changed: only max follows it.
        let mut changed = declared;
        changed.max = Some(12);
        assert_eq!(
            reconcile(live, changed, Some(declared)),
            Scale {
                max: Some(12),
                ..live
            }
        );
        // Autoscaling turned off: no bounds, the fixed count declared applies.
        let fixed = Scale {
            replicas: Some(2),
            ..Scale::default()
        };
        assert_eq!(
            reconcile(live, fixed, Some(declared)),
            Scale {
                replicas: Some(2),
                ..Scale::default()
            }
        );
    }

    #[test]
    fn autoscaling_turned_on_keeps_the_pods_that_run() {
        let autoscaled = Scale {
            replicas: None,
            min: Some(2),
            max: Some(5),
            cpu: Some(70),
        };
        let fixed = |count| Scale {
            replicas: Some(count),
            ..Scale::default()
        };
        // Three pods ran with `replicas = 3`; the autoscaler is new: the three stay.
        let live = fixed(3);
        assert_eq!(
            reconcile(live, autoscaled, Some(fixed(3))).replicas,
            Some(3)
        );
        // One pod ran: the autoscaler's minimum, at once.
        assert_eq!(
            reconcile(fixed(1), autoscaled, Some(fixed(1))).replicas,
            Some(2)
        );
        // More than its maximum: the maximum.
        assert_eq!(
            reconcile(fixed(9), autoscaled, Some(fixed(9))).replicas,
            Some(5)
        );
        // A new app that autoscales starts at the minimum, not at one pod.
        assert_eq!(
            reconcile(Scale::default(), autoscaled, None),
            Scale {
                replicas: Some(2),
                ..autoscaled
            }
        );
        // Within the bounds, what the autoscaler set stays.
        let scaled = Scale {
            replicas: Some(4),
            ..autoscaled
        };
        assert_eq!(reconcile(scaled, autoscaled, Some(autoscaled)), scaled);
    }

    #[test]
    fn bounds_are_checked() {
        let bounds = |min, max, cpu| Scale {
            replicas: None,
            min,
            max,
            cpu,
        };
        assert!(check_bounds(bounds(Some(2), Some(10), Some(70))).is_ok());
        for (bad, reason) in [
            (bounds(Some(0), None, None), "min 0 is out of range"),
            (bounds(Some(5), Some(3), None), "min 5 is above max 3"),
            (bounds(None, Some(5000), None), "max 5000 is out of range"),
            (bounds(None, None, Some(0)), "CPU target of 0%"),
        ] {
            let err = check_bounds(bad).unwrap_err().to_string();
            assert!(err.contains(reason), "{err}");
        }
    }

    #[test]
    fn hpa_values_are_read_and_written() {
        let value = json!({
            "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
            "metadata": { "name": "web" },
            "spec": { "minReplicas": 2, "maxReplicas": 10, "metrics": [
                { "type": "Resource", "resource": { "name": "cpu", "target": { "type": "Utilization", "averageUtilization": 70 } } }
            ] }
        });
        let mut manifests = vec![Manifest {
            source: "deploy/hpa.yaml".into(),
            kind: "HorizontalPodAutoscaler".into(),
            name: "web".into(),
            object: crate::manifests::Object::HorizontalPodAutoscaler(Box::new(
                serde_json::from_value(value.clone()).unwrap(),
            )),
            value,
        }];
        let declared = Scale::declared(&manifests);
        assert_eq!(
            declared,
            Scale {
                replicas: None,
                min: Some(2),
                max: Some(10),
                cpu: Some(70)
            }
        );
        Scale {
            replicas: None,
            min: Some(3),
            max: Some(12),
            cpu: Some(55),
        }
        .write_into(&mut manifests);
        assert_eq!(
            Scale::declared(&manifests),
            Scale {
                replicas: None,
                min: Some(3),
                max: Some(12),
                cpu: Some(55)
            }
        );
    }
}
