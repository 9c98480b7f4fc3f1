//! The Docker Engine side of the local target: the app's network, containers and volumes, all
//! named from the app and labelled, so that `down` removes exactly what paas made.

use std::collections::HashMap;
use std::fmt::Write as _;

use bollard::Docker;
use bollard::models::{
    ContainerCreateBody, EndpointSettings, HealthConfig, HostConfig, Mount, MountType,
    NetworkCreateRequest, NetworkingConfig, PortBinding, VolumeCreateRequest,
};
use bollard::query_parameters::{
    CreateContainerOptionsBuilder, ListContainersOptionsBuilder, ListNetworksOptionsBuilder,
    ListVolumesOptionsBuilder, LogsOptionsBuilder, RemoveContainerOptionsBuilder,
    RemoveVolumeOptions, StopContainerOptionsBuilder,
};
use futures_util::StreamExt as _;

use super::spec::{ContainerSpec, Probe};
use super::{LocalError, Role};
use crate::labels;

/// The app's network: `paas-<app>`.
#[must_use]
pub fn network_name(app: &str) -> String {
    format!("paas-{app}")
}

/// The proxy's container: `paas-<app>-proxy`.
#[must_use]
pub fn proxy_name(app: &str) -> String {
    format!("paas-{app}-proxy")
}

/// A replica's container: `paas-<app>-<revision>-<n>`.
#[must_use]
pub fn replica_name(app: &str, revision: u32, n: u32) -> String {
    format!("paas-{app}-{revision}-{n}")
}

/// A component's container: `paas-<object>` (`paas-web-cache`).
#[must_use]
pub fn component_name(object: &str) -> String {
    format!("paas-{object}")
}

/// A component's named volume: `paas-<object>-<claim>` (`paas-web-cache-data-v7`).
#[must_use]
pub fn volume_name(object: &str, claim: &str) -> String {
    format!("paas-{object}-{claim}")
}

/// The labels of everything paas makes for `app` on the engine.
#[must_use]
pub fn base_labels(app: &str) -> HashMap<String, String> {
    HashMap::from([
        (labels::MANAGED_BY.to_owned(), labels::MANAGER.to_owned()),
        (labels::APP.to_owned(), app.to_owned()),
    ])
}

fn app_filter(app: &str) -> HashMap<String, Vec<String>> {
    HashMap::from([(
        "label".to_owned(),
        vec![
            format!("{}={}", labels::MANAGED_BY, labels::MANAGER),
            format!("{}={app}", labels::APP),
        ],
    )])
}

fn engine(action: impl Into<String>) -> impl FnOnce(bollard::errors::Error) -> LocalError {
    let action = action.into();
    move |source| LocalError::Engine { action, source }
}

/// A container paas made, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// Its id.
    pub id: String,
    /// Its name, without the leading `/`.
    pub name: String,
    /// What it is.
    pub role: Role,
    /// The component's name, for a component.
    pub component: Option<String>,
    /// The release, for a replica.
    pub revision: Option<u32>,
    /// The hash of the spec it was made from.
    pub spec_hash: String,
    /// `running`, `exited`, …
    pub state: String,
    /// The engine's status line (`Up 3 minutes`).
    pub status: String,
    /// The image reference.
    pub image: String,
}

/// Every container of `app`, replicas in order of revision and number.
pub async fn list(docker: &Docker, app: &str) -> Result<Vec<Listed>, LocalError> {
    let options = ListContainersOptionsBuilder::default()
        .all(true)
        .filters(&app_filter(app))
        .build();
    let summaries = docker
        .list_containers(Some(options))
        .await
        .map_err(engine(format!("list the containers of app `{app}`")))?;
    let mut listed: Vec<Listed> = summaries
        .into_iter()
        .filter_map(|s| {
            let labels = s.labels.unwrap_or_default();
            let role = Role::parse(labels.get(labels::LOCAL_ROLE)?)?;
            Some(Listed {
                id: s.id.unwrap_or_default(),
                name: s
                    .names
                    .and_then(|n| n.into_iter().next())
                    .unwrap_or_default()
                    .trim_start_matches('/')
                    .to_owned(),
                role,
                component: labels.get(labels::COMPONENT).cloned(),
                revision: labels.get(labels::REVISION).and_then(|r| r.parse().ok()),
                spec_hash: labels.get(labels::SPEC_HASH).cloned().unwrap_or_default(),
                state: s.state.map(|state| state.to_string()).unwrap_or_default(),
                status: s.status.unwrap_or_default(),
                image: s.image.unwrap_or_default(),
            })
        })
        .collect();
    listed.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(listed)
}

/// Makes the app's network unless it exists; returns whether it was made.
pub async fn ensure_network(docker: &Docker, app: &str) -> Result<bool, LocalError> {
    let name = network_name(app);
    if !networks(docker, app).await?.is_empty() {
        return Ok(false);
    }
    docker
        .create_network(NetworkCreateRequest {
            name: name.clone(),
            driver: Some("bridge".to_owned()),
            labels: Some(base_labels(app)),
            ..NetworkCreateRequest::default()
        })
        .await
        .map_err(engine(format!("create network `{name}`")))?;
    Ok(true)
}

/// The ids of the app's networks (one, unless someone made another with its labels).
pub async fn networks(docker: &Docker, app: &str) -> Result<Vec<String>, LocalError> {
    let mut filters = app_filter(app);
    filters.insert("name".to_owned(), vec![network_name(app)]);
    let options = ListNetworksOptionsBuilder::default()
        .filters(&filters)
        .build();
    let found = docker
        .list_networks(Some(options))
        .await
        .map_err(engine(format!("list the networks of app `{app}`")))?;
    Ok(found
        .into_iter()
        // The name filter matches parts of names.
        .filter(|n| n.name.as_deref() == Some(network_name(app).as_str()))
        .filter_map(|n| n.id)
        .collect())
}

/// The app's named volumes.
pub async fn volumes(docker: &Docker, app: &str) -> Result<Vec<String>, LocalError> {
    let options = ListVolumesOptionsBuilder::default()
        .filters(&app_filter(app))
        .build();
    let found = docker
        .list_volumes(Some(options))
        .await
        .map_err(engine(format!("list the volumes of app `{app}`")))?;
    Ok(found
        .volumes
        .unwrap_or_default()
        .into_iter()
        .map(|v| v.name)
        .collect())
}

/// What a new container is, besides its spec.
#[derive(Debug, Clone)]
pub struct Placement<'a> {
    /// The app.
    pub app: &'a str,
    /// The container's name.
    pub name: String,
    /// What it is.
    pub role: Role,
    /// The release, for a replica.
    pub revision: Option<u32>,
    /// The spec's hash, kept as a label.
    pub spec_hash: String,
    /// Its host names on the app's network.
    pub aliases: Vec<String>,
    /// `(host port, container port)` to publish on 127.0.0.1; host port 0 lets the engine choose.
    pub publish: Option<(u16, u16)>,
}

/// Creates and starts a container of `spec`.
pub async fn run(
    docker: &Docker,
    spec: &ContainerSpec,
    placement: &Placement<'_>,
) -> Result<String, LocalError> {
    let mut labels = base_labels(placement.app);
    labels.insert(
        labels::LOCAL_ROLE.to_owned(),
        placement.role.as_str().to_owned(),
    );
    labels.insert(labels::SPEC_HASH.to_owned(), placement.spec_hash.clone());
    if let Some(component) = &spec.component {
        labels.insert(labels::COMPONENT.to_owned(), component.clone());
    }
    if let Some(revision) = placement.revision {
        labels.insert(labels::REVISION.to_owned(), revision.to_string());
    }
    let mut mounts = Vec::new();
    for (claim, path) in &spec.volumes {
        let volume = volume_name(&spec.name, claim);
        let existed = docker.inspect_volume(&volume).await.is_ok();
        let mut volume_labels = base_labels(placement.app);
        if let Some(component) = &spec.component {
            volume_labels.insert(labels::COMPONENT.to_owned(), component.clone());
        }
        docker
            .create_volume(VolumeCreateRequest {
                name: Some(volume.clone()),
                labels: Some(volume_labels),
                ..VolumeCreateRequest::default()
            })
            .await
            .map_err(engine(format!("create volume `{volume}`")))?;
        if !existed && let Some(owner) = &spec.volume_owner {
            give_volume(docker, &spec.image, &volume, path, owner).await?;
        }
        mounts.push(Mount {
            target: Some(path.clone()),
            source: Some(volume),
            typ: Some(MountType::VOLUME),
            ..Mount::default()
        });
    }
    let tmpfs: HashMap<String, String> = spec
        .tmpfs
        .iter()
        .map(|(path, size)| {
            // Writable by the container's user, whoever it is, as an emptyDir is.
            let mut options = "rw,nosuid,nodev,mode=1777".to_owned();
            if let Some(size) = size {
                let _ = write!(options, ",size={size}");
            }
            (path.clone(), options)
        })
        .collect();
    let port_bindings = placement.publish.map(|(host, container)| {
        HashMap::from([(
            format!("{container}/tcp"),
            Some(vec![PortBinding {
                host_ip: Some("127.0.0.1".to_owned()),
                host_port: Some(if host == 0 {
                    String::new()
                } else {
                    host.to_string()
                }),
            }]),
        )])
    });
    let healthcheck = match &spec.probe {
        // Exec probes run in the container, as the kubelet runs them; the others from the proxy.
        Some(Probe::Exec { command }) => Some(HealthConfig {
            test: Some(
                std::iter::once("CMD".to_owned())
                    .chain(command.iter().cloned())
                    .collect(),
            ),
            interval: Some(2_000_000_000),
            timeout: Some(3_000_000_000),
            retries: Some(3),
            start_period: Some(0),
            start_interval: None,
        }),
        _ => None,
    };
    let network = network_name(placement.app);
    let body = ContainerCreateBody {
        image: Some(spec.image.clone()),
        entrypoint: spec.command.clone(),
        cmd: spec.args.clone(),
        env: Some(spec.env.iter().map(|(k, v)| format!("{k}={v}")).collect()),
        user: spec.user.clone(),
        labels: Some(labels),
        exposed_ports: placement.publish.map(|(_, c)| vec![format!("{c}/tcp")]),
        healthcheck,
        stop_timeout: Some(i64::from(spec.grace_seconds)),
        host_config: Some(HostConfig {
            readonly_rootfs: Some(spec.read_only),
            cap_drop: spec.drop_all_capabilities.then(|| vec!["ALL".to_owned()]),
            security_opt: spec
                .no_new_privileges
                .then(|| vec!["no-new-privileges".to_owned()]),
            memory: spec.memory_limit.and_then(|m| i64::try_from(m).ok()),
            // No swap beyond the limit, as on a node.
            memory_swap: spec.memory_limit.and_then(|m| i64::try_from(m).ok()),
            nano_cpus: spec.nano_cpus,
            tmpfs: Some(tmpfs),
            mounts: Some(mounts),
            port_bindings,
            network_mode: Some(network.clone()),
            init: Some(false),
            ..HostConfig::default()
        }),
        networking_config: Some(NetworkingConfig {
            endpoints_config: Some(HashMap::from([(
                network,
                EndpointSettings {
                    aliases: Some(placement.aliases.clone()),
                    ..EndpointSettings::default()
                },
            )])),
        }),
        ..ContainerCreateBody::default()
    };
    let options = CreateContainerOptionsBuilder::default()
        .name(&placement.name)
        .build();
    let created = docker
        .create_container(Some(options), body)
        .await
        .map_err(engine(format!("create container `{}`", placement.name)))?;
    docker
        .start_container(&created.id, None)
        .await
        .map_err(engine(format!("start container `{}`", placement.name)))?;
    Ok(created.id)
}

/// Gives a new volume to `owner` (`uid:gid`), as the kubelet does for a pod's `fsGroup`: a
/// one-off container of the component's own image, as root, runs `chown` on it and is removed.
async fn give_volume(
    docker: &Docker,
    image: &str,
    volume: &str,
    path: &str,
    owner: &str,
) -> Result<(), LocalError> {
    let action = format!("give volume `{volume}` to `{owner}`");
    let name = format!("{volume}-owner");
    let body = ContainerCreateBody {
        image: Some(image.to_owned()),
        entrypoint: Some(vec![
            "chown".to_owned(),
            "-R".to_owned(),
            owner.to_owned(),
            path.to_owned(),
        ]),
        cmd: Some(Vec::new()),
        user: Some("0:0".to_owned()),
        host_config: Some(HostConfig {
            network_mode: Some("none".to_owned()),
            cap_drop: Some(vec!["ALL".to_owned()]),
            cap_add: Some(vec![
                "CHOWN".to_owned(),
                "DAC_OVERRIDE".to_owned(),
                "FOWNER".to_owned(),
            ]),
            mounts: Some(vec![Mount {
                target: Some(path.to_owned()),
                source: Some(volume.to_owned()),
                typ: Some(MountType::VOLUME),
                ..Mount::default()
            }]),
            ..HostConfig::default()
        }),
        ..ContainerCreateBody::default()
    };
    let options = CreateContainerOptionsBuilder::default().name(&name).build();
    let created = docker
        .create_container(Some(options), body)
        .await
        .map_err(engine(action.clone()))?;
    let result = async {
        docker
            .start_container(&created.id, None)
            .await
            .map_err(engine(action.clone()))?;
        let mut waited = docker.wait_container(
            &created.id,
            None::<bollard::query_parameters::WaitContainerOptions>,
        );
        while let Some(status) = waited.next().await {
            match status {
                Ok(status) if status.status_code != 0 => {
                    return Err(LocalError::Engine {
                        action: action.clone(),
                        source: bollard::errors::Error::DockerResponseServerError {
                            status_code: 500,
                            message: format!("chown exited with code {}", status.status_code),
                        },
                    });
                }
                Ok(_) => {}
                // The engine reports a non-zero exit as an error of the wait.
                Err(bollard::errors::Error::DockerContainerWaitError { code, .. }) if code != 0 => {
                    return Err(LocalError::Engine {
                        action: action.clone(),
                        source: bollard::errors::Error::DockerResponseServerError {
                            status_code: 500,
                            message: format!("chown exited with code {code}"),
                        },
                    });
                }
                Err(err) => return Err(engine(action.clone())(err)),
            }
        }
        Ok(())
    }
    .await;
    let options = RemoveContainerOptionsBuilder::default().force(true).build();
    let _ = docker.remove_container(&created.id, Some(options)).await;
    result
}

/// Stops a container within its grace period, then removes it.
pub async fn remove(docker: &Docker, name: &str, grace: u32) -> Result<(), LocalError> {
    let stop = StopContainerOptionsBuilder::default()
        .t(i32::try_from(grace).unwrap_or(i32::MAX))
        .build();
    match docker.stop_container(name, Some(stop)).await {
        Ok(()) => {}
        Err(err) if gone(&err) || not_modified(&err) => {}
        Err(err) => return Err(engine(format!("stop container `{name}`"))(err)),
    }
    let options = RemoveContainerOptionsBuilder::default().force(true).build();
    match docker.remove_container(name, Some(options)).await {
        Ok(()) => Ok(()),
        Err(err) if gone(&err) => Ok(()),
        Err(err) => Err(engine(format!("remove container `{name}`"))(err)),
    }
}

/// Removes the app's network.
pub async fn remove_network(docker: &Docker, id: &str) -> Result<(), LocalError> {
    match docker.remove_network(id).await {
        Ok(()) => Ok(()),
        Err(err) if gone(&err) => Ok(()),
        Err(err) => Err(engine(format!("remove network `{id}`"))(err)),
    }
}

/// Removes a named volume.
pub async fn remove_volume(docker: &Docker, name: &str) -> Result<(), LocalError> {
    match docker
        .remove_volume(name, None::<RemoveVolumeOptions>)
        .await
    {
        Ok(()) => Ok(()),
        Err(err) if gone(&err) => Ok(()),
        Err(err) => Err(engine(format!("remove volume `{name}`"))(err)),
    }
}

fn gone(err: &bollard::errors::Error) -> bool {
    matches!(
        err,
        bollard::errors::Error::DockerResponseServerError {
            status_code: 404,
            ..
        }
    )
}

fn not_modified(err: &bollard::errors::Error) -> bool {
    matches!(
        err,
        bollard::errors::Error::DockerResponseServerError {
            status_code: 304,
            ..
        }
    )
}

/// How a container is doing, from `inspect`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    /// Running.
    pub running: bool,
    /// Killed for using more memory than its limit.
    pub oom_killed: bool,
    /// Its exit code, once it exited.
    pub exit_code: Option<i64>,
    /// The engine's error, if it could not start it.
    pub error: Option<String>,
    /// The Docker health status (`starting`, `healthy`, `unhealthy`), for exec probes.
    pub health: Option<String>,
    /// The last health check's output.
    pub health_output: Option<String>,
    /// Its address on the app's network.
    pub address: Option<String>,
    /// The host port the engine published, if any.
    pub published: Option<u16>,
}

/// Inspects a container.
pub async fn inspect(docker: &Docker, name: &str, app: &str) -> Result<State, LocalError> {
    let found = docker
        .inspect_container(name, None)
        .await
        .map_err(engine(format!("inspect container `{name}`")))?;
    let state = found.state.unwrap_or_default();
    let health = state.health.clone();
    let network = network_name(app);
    let settings = found.network_settings.unwrap_or_default();
    let address = settings
        .networks
        .as_ref()
        .and_then(|n| n.get(&network))
        .and_then(|e| e.ip_address.clone())
        .filter(|ip| !ip.is_empty());
    let published = settings
        .ports
        .as_ref()
        .and_then(|ports| ports.values().flatten().flatten().next().cloned())
        .and_then(|binding| binding.host_port)
        .and_then(|port| port.parse().ok());
    Ok(State {
        running: state.running.unwrap_or(false),
        oom_killed: state.oom_killed.unwrap_or(false),
        exit_code: (!state.running.unwrap_or(false))
            .then_some(state.exit_code)
            .flatten(),
        error: state.error.filter(|e| !e.is_empty()),
        health: health
            .as_ref()
            .and_then(|h| h.status)
            .map(|s| s.to_string()),
        health_output: health
            .and_then(|h| h.log)
            .and_then(|log| log.into_iter().last())
            .and_then(|r| r.output)
            .map(|o| o.trim().to_owned())
            .filter(|o| !o.is_empty()),
        address,
        published,
    })
}

/// Runs `command` in a container and returns its exit code and what it printed.
pub async fn exec(
    docker: &Docker,
    container: &str,
    command: Vec<String>,
) -> Result<(i64, String), LocalError> {
    use bollard::exec::{CreateExecOptions, StartExecResults};
    let created = docker
        .create_exec(
            container,
            CreateExecOptions {
                cmd: Some(command),
                attach_stdout: Some(true),
                attach_stderr: Some(true),
                ..CreateExecOptions::default()
            },
        )
        .await
        .map_err(engine(format!("run a command in container `{container}`")))?;
    let mut text = String::new();
    if let StartExecResults::Attached { mut output, .. } = docker
        .start_exec(&created.id, None)
        .await
        .map_err(engine(format!("run a command in container `{container}`")))?
    {
        while let Some(Ok(chunk)) = output.next().await {
            text.push_str(&chunk.to_string());
        }
    }
    let inspected = docker
        .inspect_exec(&created.id)
        .await
        .map_err(engine(format!("run a command in container `{container}`")))?;
    Ok((inspected.exit_code.unwrap_or(-1), text))
}

/// The last `lines` lines a container wrote.
pub async fn tail(docker: &Docker, container: &str, lines: usize) -> Vec<String> {
    let options = LogsOptionsBuilder::default()
        .stdout(true)
        .stderr(true)
        .tail(&lines.to_string())
        .build();
    let mut stream = docker.logs(container, Some(options));
    let mut text = String::new();
    while let Some(Ok(chunk)) = stream.next().await {
        text.push_str(&chunk.to_string());
    }
    text.lines().map(str::to_owned).collect()
}

/// Whether an image is in the engine.
pub async fn has_image(docker: &Docker, reference: &str) -> bool {
    docker.inspect_image(reference).await.is_ok()
}

/// The image's id (`sha256:…`).
pub async fn image_id(docker: &Docker, reference: &str) -> Result<String, LocalError> {
    docker
        .inspect_image(reference)
        .await
        .map_err(engine(format!("inspect image `{reference}`")))?
        .id
        .ok_or_else(|| LocalError::Engine {
            action: format!("inspect image `{reference}`"),
            source: bollard::errors::Error::DockerResponseServerError {
                status_code: 500,
                message: "the engine gave no image id".to_owned(),
            },
        })
}

/// Pulls `reference` when the engine does not have it.
pub async fn ensure_image(docker: &Docker, reference: &str) -> Result<bool, LocalError> {
    if has_image(docker, reference).await {
        return Ok(false);
    }
    let options = bollard::query_parameters::CreateImageOptionsBuilder::default()
        .from_image(reference)
        .build();
    let mut stream = docker.create_image(Some(options), None, None);
    while let Some(item) = stream.next().await {
        item.map_err(|source| LocalError::Pull {
            image: reference.to_owned(),
            source,
        })?;
    }
    Ok(true)
}
