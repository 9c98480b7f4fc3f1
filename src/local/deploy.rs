//! `up`, `rollback`, `scale`, `status` and `down` on the local target.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use bollard::Docker;
use serde::Serialize;
use sha2::Digest as _;

use super::engine::{self, Listed, Placement};
use super::proxy;
use super::spec::{self, ContainerSpec, LocalPlan, Probe, SecretLookup};
use super::store::LocalStore;
use super::{Diagnosis, LocalError, Role};
use crate::deploy::events::UpEvent;
use crate::deploy::interrupt::Interrupt;
use crate::deploy::pipeline::{self, UpReporter};
use crate::deploy::release::{Release, ReleaseStatus};
use crate::git::GitState;
use crate::manifests::{self, Manifest, ManifestContext};

/// Lines of a failed container's output in its diagnosis.
const DIAGNOSIS_LINES: usize = 20;
/// How often readiness is checked.
const POLL: Duration = Duration::from_millis(300);

/// Everything a local `up` needs, resolved.
#[derive(Debug, Clone)]
pub struct LocalUpPlan {
    /// The project root (the build context).
    pub root: PathBuf,
    /// The Dockerfile, relative to the root.
    pub dockerfile: String,
    /// The image's repository, without a tag.
    pub repository: String,
    /// The manifest templates.
    pub templates: BTreeMap<String, String>,
    /// Their values.
    pub context: ManifestContext,
    /// The component kinds.
    pub catalog: crate::component::Catalog,
    /// The environment (`local`, or one with `target = "docker"`).
    pub environment: String,
    /// How long each container may take to become ready.
    pub timeout: Duration,
    /// Who deploys.
    pub user: String,
    /// Releases kept.
    pub history: usize,
}

/// What a local deploy did, as `--output json` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct LocalResult {
    /// The app.
    pub app: String,
    /// Always `docker`.
    pub target: &'static str,
    /// The image.
    pub image: String,
    /// Its id in the engine.
    pub digest: String,
    /// Whether an image was built.
    pub built: bool,
    /// The release recorded, or the live one when nothing changed.
    pub revision: Option<u32>,
    /// Whether nothing changed.
    pub unchanged: bool,
    /// The git state the image was built from.
    pub git: Option<GitState>,
    /// Seconds the rollout took.
    pub rollout_seconds: f64,
    /// Where the app answers.
    pub urls: Vec<String>,
    /// The app's containers now.
    pub containers: Vec<String>,
}

/// A release to run: what `up` built, or what `rollback` found recorded.
#[derive(Debug, Clone)]
pub struct Draft {
    /// The rendered manifests.
    pub manifests: Vec<Manifest>,
    /// The image reference.
    pub image: String,
    /// Whether it was built now.
    pub built: bool,
    /// `up`, `rollback to 2`.
    pub description: String,
    /// The git state.
    pub git: Option<GitState>,
    /// The environment.
    pub environment: String,
    /// Who deploys.
    pub user: String,
    /// Replicas instead of the manifests' count (`scale`).
    pub replicas: Option<u32>,
    /// Record a release (false for `scale`).
    pub record: bool,
}

/// Builds the app's image and runs it on the local engine.
pub async fn up(
    docker: &Docker,
    plan: &LocalUpPlan,
    reporter: &dyn UpReporter,
    interrupt: &Interrupt,
) -> Result<LocalResult, LocalError> {
    let app = plan.context.app.name.clone();
    let built = pipeline::build_image(
        docker,
        &plan.root,
        &plan.dockerfile,
        &plan.repository,
        &app,
        reporter,
        interrupt,
    )
    .await?;
    let mut context = plan.context.clone();
    context.image = built.image.to_string();
    built.tag.clone_into(&mut context.app.version);
    crate::labels::set_version(&mut context.labels, &built.tag);
    // The scrape annotations and the exporter mean nothing without a cluster.
    context.monitoring = None;
    crate::pack::values::derive_telemetry(&mut context);
    let manifests = crate::component::render_app(&plan.templates, &context, &plan.catalog)
        .map_err(|err| LocalError::from(pipeline::UpError::from(err)))?;
    let draft = Draft {
        manifests,
        image: built.image.to_string(),
        built: built.built,
        description: "up".to_owned(),
        git: built.git,
        environment: plan.environment.clone(),
        user: plan.user.clone(),
        replicas: None,
        record: true,
    };
    run(
        docker,
        &app,
        &draft,
        plan.timeout,
        plan.history,
        reporter,
        interrupt,
    )
    .await
}

/// Puts release `revision` (default: the one before the live one) back, by its recorded image
/// and manifests.
pub async fn rollback(
    docker: &Docker,
    app: &str,
    revision: Option<u32>,
    timeout: Duration,
    user: &str,
    reporter: &dyn UpReporter,
    interrupt: &Interrupt,
) -> Result<LocalResult, LocalError> {
    let store = LocalStore::open(app)?;
    let releases = store.list()?;
    let live = releases
        .iter()
        .rev()
        .find(|r| r.status == ReleaseStatus::Deployed)
        .map(|r| r.revision);
    let known = || {
        let list: Vec<String> = releases.iter().map(|r| r.revision.to_string()).collect();
        if list.is_empty() {
            "none".to_owned()
        } else {
            list.join(", ")
        }
    };
    let target = match revision {
        Some(revision) => releases
            .iter()
            .find(|r| r.revision == revision)
            .ok_or_else(|| LocalError::NoRelease {
                app: app.to_owned(),
                revision,
                known: known(),
            })?,
        None => releases
            .iter()
            .rev()
            .find(|r| {
                Some(r.revision) != live
                    && matches!(
                        r.status,
                        ReleaseStatus::Superseded | ReleaseStatus::Deployed
                    )
            })
            .ok_or_else(|| LocalError::NoRelease {
                app: app.to_owned(),
                revision: live.map_or(0, |l| l.saturating_sub(1)),
                known: known(),
            })?,
    };
    let manifests = manifests::parse_rendered(&target.manifests, "release")
        .map_err(|err| LocalError::from(pipeline::UpError::from(err)))?;
    let draft = Draft {
        manifests,
        image: target.image.clone(),
        built: false,
        description: format!("rollback to {}", target.revision),
        git: target.git_commit.clone().map(|commit| GitState {
            commit,
            dirty: target.git_dirty,
        }),
        environment: target
            .environment
            .clone()
            .unwrap_or_else(|| "local".to_owned()),
        user: user.to_owned(),
        replicas: None,
        record: true,
    };
    run(
        docker,
        app,
        &draft,
        timeout,
        crate::deploy::release::DEFAULT_HISTORY,
        reporter,
        interrupt,
    )
    .await
}

/// Runs `replicas` replicas of the live release.
pub async fn scale(
    docker: &Docker,
    app: &str,
    replicas: u32,
    timeout: Duration,
    user: &str,
    reporter: &dyn UpReporter,
    interrupt: &Interrupt,
) -> Result<LocalResult, LocalError> {
    let store = LocalStore::open(app)?;
    let live = store
        .list()?
        .into_iter()
        .rev()
        .find(|r| r.status == ReleaseStatus::Deployed)
        .ok_or_else(|| LocalError::NotRunning {
            app: app.to_owned(),
        })?;
    let manifests = manifests::parse_rendered(&live.manifests, "release")
        .map_err(|err| LocalError::from(pipeline::UpError::from(err)))?;
    let draft = Draft {
        manifests,
        image: live.image.clone(),
        built: false,
        description: live.description.clone(),
        git: None,
        environment: live.environment.clone().unwrap_or_default(),
        user: user.to_owned(),
        replicas: Some(replicas),
        record: false,
    };
    run(
        docker,
        app,
        &draft,
        timeout,
        crate::deploy::release::DEFAULT_HISTORY,
        reporter,
        interrupt,
    )
    .await
}

/// The components' passwords from the store, under their Secrets' names.
struct Credentials(BTreeMap<String, String>);

impl SecretLookup for Credentials {
    fn value(&self, name: &str, key: &str) -> Option<String> {
        (key == "password")
            .then(|| self.0.get(name).cloned())
            .flatten()
    }
    fn all(&self, name: &str) -> Option<BTreeMap<String, String>> {
        self.0
            .get(name)
            .map(|p| BTreeMap::from([("password".to_owned(), p.clone())]))
    }
}

/// The hash of what a container is made from, kept as its label: equal hashes, nothing to do.
fn spec_hash(spec: &ContainerSpec, image_id: &str, extra: &str) -> String {
    let mut hasher = sha2::Sha256::new();
    hasher.update(serde_json::to_vec(spec).expect("a spec serialises"));
    hasher.update(image_id.as_bytes());
    hasher.update(extra.as_bytes());
    crate::component::backup::hex(&hasher.finalize())[..16].to_owned()
}

/// Makes what `draft` describes run: the network, the front door, the components, then the
/// replicas one by one; records the release.
async fn run(
    docker: &Docker,
    app: &str,
    draft: &Draft,
    timeout: Duration,
    history: usize,
    reporter: &dyn UpReporter,
    interrupt: &Interrupt,
) -> Result<LocalResult, LocalError> {
    let store = LocalStore::open(app)?;
    // The components' passwords, made once and kept.
    let mut credentials = store.credentials()?;
    for set in draft
        .manifests
        .iter()
        .filter(|m| m.kind == "StatefulSet" && components_label(m).is_some())
    {
        let (password, made) = store.credential(&set.name)?;
        if made {
            reporter.event(&UpEvent::LocalCredentialCreated {
                component: components_label(set).unwrap_or_default(),
            });
        }
        credentials.insert(set.name.clone(), password);
    }
    let mut plan: LocalPlan = spec::plan(&draft.manifests, app, &Credentials(credentials))?;
    if let Some(replicas) = draft.replicas {
        plan.replicas = replicas;
    }
    let image_id = engine::image_id(docker, &draft.image).await?;

    if engine::ensure_network(docker, app).await? {
        reporter.event(&UpEvent::NetworkCreated {
            network: &engine::network_name(app),
        });
    }
    let url = ensure_proxy(docker, app, reporter).await?;
    let proxy_name = engine::proxy_name(app);

    // The components, each ready before the app that needs it.
    let listed = engine::list(docker, app).await?;
    for component in &plan.components {
        let name = engine::component_name(&component.name);
        engine::ensure_image(docker, &component.image).await?;
        let component_image = engine::image_id(docker, &component.image).await?;
        let hash = spec_hash(component, &component_image, "");
        let existing = listed.iter().find(|l| l.name == name);
        if existing.is_some_and(|l| l.spec_hash == hash && l.state == "running") {
            continue;
        }
        if existing.is_some() {
            engine::remove(docker, &name, component.grace_seconds).await?;
            reporter.event(&UpEvent::ContainerRemoved { container: &name });
        }
        let started = Instant::now();
        engine::run(
            docker,
            component,
            &Placement {
                app,
                name: name.clone(),
                role: Role::Component,
                revision: None,
                spec_hash: hash,
                aliases: vec![component.name.clone()],
                publish: None,
            },
        )
        .await?;
        reporter.event(&UpEvent::ContainerStarted { container: &name });
        let ready = tokio::select! {
            ready = wait_ready(docker, app, &proxy_name, &name, component, timeout) => ready,
            () = interrupt.wait() => return Err(LocalError::Stopped { app: app.to_owned(), stage: "the start of the components" }),
        };
        ready.map_err(|diagnosis| LocalError::ComponentNotReady {
            component: component.component.clone().unwrap_or_default(),
            diagnosis: Box::new(diagnosis),
        })?;
        reporter.event(&UpEvent::ComponentReady {
            component: component.component.as_deref().unwrap_or(&component.name),
            elapsed: started.elapsed(),
        });
    }
    // Components no longer declared go; their volumes stay, as their claims do in the cluster.
    for gone in listed.iter().filter(|l| {
        l.role == Role::Component
            && !plan
                .components
                .iter()
                .any(|c| engine::component_name(&c.name) == l.name)
    }) {
        engine::remove(docker, &gone.name, 30).await?;
        reporter.event(&UpEvent::ContainerRemoved {
            container: &gone.name,
        });
    }

    // The replicas.
    let hash = spec_hash(&plan.app, &image_id, "");
    let releases = store.list()?;
    let live = releases
        .iter()
        .rev()
        .find(|r| r.status == ReleaseStatus::Deployed)
        .cloned();
    let replicas: Vec<Listed> = listed
        .iter()
        .filter(|l| l.role == Role::App)
        .cloned()
        .collect();
    let (serving, broken): (Vec<Listed>, Vec<Listed>) =
        replicas.into_iter().partition(|l| l.state == "running");
    for old in &broken {
        engine::remove(docker, &old.name, 0).await?;
    }
    let mut backends: Vec<(String, String)> = Vec::new();
    for old in &serving {
        let state = engine::inspect(docker, &old.name, app).await?;
        if let (Some(address), Some(port)) = (state.address, plan.app.port) {
            backends.push((old.name.clone(), format!("{address}:{port}")));
        }
    }
    set_backends(docker, &proxy_name, &backends).await?;
    let same = serving.iter().filter(|l| l.spec_hash == hash).count();
    let replicas = usize::try_from(plan.replicas).unwrap_or(usize::MAX);
    if same == serving.len()
        && draft.record
        && let Some(live) = &live
        && same == replicas
    {
        reporter.event(&UpEvent::UpToDate {
            app,
            revision: live.revision,
        });
        return Ok(LocalResult {
            app: app.to_owned(),
            target: "docker",
            image: draft.image.clone(),
            digest: image_id,
            built: draft.built,
            revision: Some(live.revision),
            unchanged: true,
            git: draft.git.clone(),
            rollout_seconds: 0.0,
            urls: vec![url],
            containers: serving.iter().map(|l| l.name.clone()).collect(),
        });
    }

    let started = Instant::now();
    // `scale` keeps the live release and its containers, adding or removing replicas.
    let (revision, mut release) = if draft.record {
        let revision = releases.last().map_or(1, |r| r.revision + 1);
        let release = Release {
            app: app.to_owned(),
            revision,
            status: ReleaseStatus::Pending,
            description: draft.description.clone(),
            image: draft.image.clone(),
            digest: Some(image_id.clone()),
            git_commit: draft.git.as_ref().map(|g| g.commit.clone()),
            git_dirty: draft.git.as_ref().is_some_and(|g| g.dirty),
            user: draft.user.clone(),
            created: k8s_openapi::jiff::Timestamp::now().to_string(),
            finished: None,
            environment: Some(draft.environment.clone()),
            manifests: manifests::to_yaml_stream(&draft.manifests),
            declared: None,
            promoted_from: None,
        };
        store.save(&release)?;
        (revision, Some(release))
    } else {
        let revision = live.as_ref().map_or(1, |l| l.revision);
        (revision, None)
    };
    let mut old: std::collections::VecDeque<Listed> = serving
        .iter()
        .filter(|l| !draft.record && l.spec_hash == hash)
        .cloned()
        .collect();
    // With `scale`, the replicas that already run the release stay; the others are replaced.
    let keep: Vec<Listed> = if draft.record {
        Vec::new()
    } else {
        old.drain(..).take(replicas).collect()
    };
    old.extend(
        serving
            .iter()
            .filter(|l| draft.record || l.spec_hash != hash)
            .cloned(),
    );
    if !draft.record {
        // Surplus replicas of the release go too.
        let surplus: Vec<Listed> = serving
            .iter()
            .filter(|l| l.spec_hash == hash && !keep.iter().any(|k| k.name == l.name))
            .cloned()
            .collect();
        old.extend(surplus);
    }
    let mut used: Vec<String> = keep.iter().map(|k| k.name.clone()).collect();
    let mut made = Vec::new();
    let mut n = 0;
    while keep.len() + made.len() < replicas {
        n += 1;
        let name = engine::replica_name(app, revision, n);
        if used.contains(&name) || serving.iter().any(|s| s.name == name) {
            continue;
        }
        used.push(name.clone());
        engine::run(
            docker,
            &plan.app,
            &Placement {
                app,
                name: name.clone(),
                role: Role::App,
                revision: Some(revision),
                spec_hash: hash.clone(),
                aliases: Vec::new(),
                publish: None,
            },
        )
        .await?;
        reporter.event(&UpEvent::ContainerStarted { container: &name });
        let ready_started = Instant::now();
        let ready = tokio::select! {
            ready = wait_ready(docker, app, &proxy_name, &name, &plan.app, timeout) => ready,
            () = interrupt.wait() => {
                if let Some(release) = &mut release {
                    finish(&store, release, ReleaseStatus::Interrupted)?;
                }
                return Err(LocalError::Stopped { app: app.to_owned(), stage: "the rollout" });
            }
        };
        if let Err(diagnosis) = ready {
            if let Some(release) = &mut release {
                finish(&store, release, ReleaseStatus::Failed)?;
            }
            // The old replicas keep serving; the failed one stays for `paas logs` until the next run.
            return Err(LocalError::NotReady {
                app: app.to_owned(),
                revision,
                diagnosis: Box::new(diagnosis),
            });
        }
        reporter.event(&UpEvent::ContainerReady {
            container: &name,
            elapsed: ready_started.elapsed(),
        });
        let state = engine::inspect(docker, &name, app).await?;
        if let (Some(address), Some(port)) = (state.address, plan.app.port) {
            backends.push((name.clone(), format!("{address}:{port}")));
        }
        set_backends(docker, &proxy_name, &backends).await?;
        made.push(name);
        // One new replica ready, one old one leaves.
        if let Some(leaving) = old.pop_front() {
            retire(
                docker,
                &proxy_name,
                &mut backends,
                &leaving,
                &plan.app,
                reporter,
            )
            .await?;
        }
    }
    while let Some(leaving) = old.pop_front() {
        retire(
            docker,
            &proxy_name,
            &mut backends,
            &leaving,
            &plan.app,
            reporter,
        )
        .await?;
    }
    if let Some(release) = &mut release {
        finish(&store, release, ReleaseStatus::Deployed)?;
        store.conclude(revision, history)?;
    }
    let elapsed = started.elapsed();
    reporter.event(&UpEvent::RolledOut {
        app,
        revision,
        elapsed,
    });
    let mut containers: Vec<String> = keep.into_iter().map(|k| k.name).collect();
    containers.extend(made);
    Ok(LocalResult {
        app: app.to_owned(),
        target: "docker",
        image: draft.image.clone(),
        digest: image_id,
        built: draft.built,
        revision: Some(revision),
        unchanged: false,
        git: draft.git.clone(),
        rollout_seconds: elapsed.as_secs_f64(),
        urls: vec![url],
        containers,
    })
}

fn components_label(manifest: &Manifest) -> Option<&str> {
    manifest
        .value
        .pointer("/metadata/labels")?
        .get(crate::labels::COMPONENT)?
        .as_str()
}

fn finish(
    store: &LocalStore,
    release: &mut Release,
    status: ReleaseStatus,
) -> Result<(), LocalError> {
    release.status = status;
    release.finished = Some(k8s_openapi::jiff::Timestamp::now().to_string());
    store.save(release)?;
    Ok(())
}

/// Takes a replica out of the rotation, lets it finish what it serves (the `preStop` pause),
/// then stops it within its grace period and removes it.
async fn retire(
    docker: &Docker,
    proxy_name: &str,
    backends: &mut Vec<(String, String)>,
    leaving: &Listed,
    spec: &ContainerSpec,
    reporter: &dyn UpReporter,
) -> Result<(), LocalError> {
    backends.retain(|(name, _)| *name != leaving.name);
    set_backends(docker, proxy_name, backends).await?;
    tokio::time::sleep(Duration::from_secs(u64::from(spec.pre_stop_seconds))).await;
    engine::remove(docker, &leaving.name, spec.grace_seconds).await?;
    reporter.event(&UpEvent::ContainerRemoved {
        container: &leaving.name,
    });
    Ok(())
}

async fn set_backends(
    docker: &Docker,
    proxy_name: &str,
    backends: &[(String, String)],
) -> Result<(), LocalError> {
    let mut command = vec![
        proxy::EXECUTABLE.to_owned(),
        proxy::SUBCOMMAND.to_owned(),
        "backends".to_owned(),
    ];
    command.extend(backends.iter().map(|(_, address)| address.clone()));
    let (code, output) = engine::exec(docker, proxy_name, command).await?;
    if code == 0 {
        Ok(())
    } else {
        Err(LocalError::ProxyImage {
            image: proxy_name.to_owned(),
            source: anyhow::anyhow!(
                "setting its replicas failed with exit code {code}: {}",
                output.trim()
            ),
        })
    }
}

/// Waits until `name` passes its readiness check; a container that exits is diagnosed at once.
async fn wait_ready(
    docker: &Docker,
    app: &str,
    proxy_name: &str,
    name: &str,
    spec: &ContainerSpec,
    timeout: Duration,
) -> Result<(), Diagnosis> {
    let started = Instant::now();
    let mut last;
    loop {
        let state = match engine::inspect(docker, name, app).await {
            Ok(state) => state,
            Err(err) => {
                return Err(Diagnosis {
                    container: name.to_owned(),
                    reason: pipeline::error_chain(&err),
                    cause: "StartFailed",
                    logs: Vec::new(),
                    hint: "check the Docker engine and run `paas up` again".to_owned(),
                });
            }
        };
        if !state.running {
            let logs = engine::tail(docker, name, DIAGNOSIS_LINES).await;
            return Err(if state.oom_killed {
                Diagnosis {
                    container: name.to_owned(),
                    reason: format!(
                        "it was killed for using more memory than its limit{} (OOMKilled)",
                        spec.memory_limit
                            .map(|m| format!(" of {}", crate::build::context::human_bytes(m)))
                            .unwrap_or_default()
                    ),
                    cause: "OOMKilled",
                    logs,
                    hint: "raise `memory_limit` under `[deploy]` in `paas.toml`, or find what uses the memory".to_owned(),
                }
            } else {
                Diagnosis {
                    container: name.to_owned(),
                    reason: match (&state.error, state.exit_code) {
                        (Some(error), _) => format!("it could not start: {error}"),
                        (None, Some(code)) => format!("it exited with code {code} before it was ready"),
                        (None, None) => "it stopped before it was ready".to_owned(),
                    },
                    cause: "Crashed",
                    logs,
                    hint: "fix the cause (its last lines above), then run `paas up` again; `paas logs` shows its output".to_owned(),
                }
            });
        }
        let check = match (&spec.probe, &state.address) {
            (Some(Probe::Exec { .. }), _) => match state.health.as_deref() {
                Some("healthy") => Ok(()),
                _ => Err(state
                    .health_output
                    .clone()
                    .unwrap_or_else(|| "its check has not passed yet".to_owned())),
            },
            (Some(Probe::Http { path, port }), Some(address)) => {
                probe_from(
                    docker,
                    proxy_name,
                    &["--http", &format!("{address}:{port}"), path],
                )
                .await
            }
            (Some(Probe::Tcp { port }), Some(address)) => {
                probe_from(docker, proxy_name, &["--tcp", &format!("{address}:{port}")]).await
            }
            (Some(_), None) => Err("it has no address on the app's network yet".to_owned()),
            (None, _) => Ok(()),
        };
        match check {
            Ok(()) => return Ok(()),
            Err(message) => last = message,
        }
        if started.elapsed() > timeout {
            return Err(Diagnosis {
                container: name.to_owned(),
                reason: format!(
                    "its readiness check did not pass within {}s: {last}",
                    timeout.as_secs()
                ),
                cause: "NotReady",
                logs: engine::tail(docker, name, DIAGNOSIS_LINES).await,
                hint: "check `health_path` under `[deploy]` in `paas.toml` and what the app logs (`paas logs`); `--timeout` waits longer".to_owned(),
            });
        }
        tokio::time::sleep(POLL).await;
    }
}

async fn probe_from(docker: &Docker, proxy_name: &str, args: &[&str]) -> Result<(), String> {
    let mut command = vec![
        proxy::EXECUTABLE.to_owned(),
        proxy::SUBCOMMAND.to_owned(),
        "probe".to_owned(),
    ];
    command.extend(args.iter().map(|a| (*a).to_owned()));
    match engine::exec(docker, proxy_name, command).await {
        Ok((0, _)) => Ok(()),
        Ok((_, output)) => Err(output.trim().to_owned()),
        Err(err) => Err(pipeline::error_chain(&err)),
    }
}

/// The front door's spec: locked down like the app.
fn proxy_spec(image: &str) -> ContainerSpec {
    ContainerSpec {
        name: "proxy".to_owned(),
        component: None,
        image: image.to_owned(),
        command: Some(vec![
            proxy::EXECUTABLE.to_owned(),
            proxy::SUBCOMMAND.to_owned(),
            "serve".to_owned(),
            "--listen".to_owned(),
            format!("0.0.0.0:{}", proxy::LISTEN_PORT),
        ]),
        args: None,
        env: Vec::new(),
        user: Some("65534:65534".to_owned()),
        volume_owner: None,
        read_only: true,
        drop_all_capabilities: true,
        no_new_privileges: true,
        memory_limit: Some(64 * 1024 * 1024),
        nano_cpus: Some(500_000_000),
        tmpfs: vec![("/tmp".to_owned(), Some(1024 * 1024))],
        volumes: Vec::new(),
        port: Some(proxy::LISTEN_PORT),
        probe: None,
        grace_seconds: 2,
        pre_stop_seconds: 0,
    }
}

/// Makes the front door's image unless the engine has it: this executable and its libraries.
async fn ensure_proxy_image(docker: &Docker) -> Result<String, LocalError> {
    let files = proxy::image_files().map_err(|err| LocalError::ProxyImage {
        image: "paas-local-proxy".to_owned(),
        source: err.into(),
    })?;
    let executable = &files[0].0;
    let metadata = fs_err::metadata(executable).map_err(|err| LocalError::ProxyImage {
        image: "paas-local-proxy".to_owned(),
        source: err.into(),
    })?;
    let mut hasher = sha2::Sha256::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    hasher.update(metadata.len().to_le_bytes());
    if let Ok(modified) = metadata.modified()
        && let Ok(since) = modified.duration_since(std::time::UNIX_EPOCH)
    {
        hasher.update(since.as_nanos().to_le_bytes());
    }
    let key = crate::component::backup::hex(&hasher.finalize())[..12].to_owned();
    let image = format!("paas-local-proxy:{key}");
    if engine::has_image(docker, &image).await {
        return Ok(image);
    }
    let failed = |source: anyhow::Error| LocalError::ProxyImage {
        image: image.clone(),
        source,
    };
    let dockerfile = format!(
        "FROM scratch\nCOPY rootfs/ /\nENV LD_LIBRARY_PATH={}\nUSER 65534:65534\nENTRYPOINT [\"{}\", \"{}\"]\n",
        proxy::library_path(&files),
        proxy::EXECUTABLE,
        proxy::SUBCOMMAND
    );
    let archive = tokio::task::spawn_blocking(move || -> std::io::Result<Vec<u8>> {
        let mut tar = tar::Builder::new(Vec::new());
        let mut header = tar::Header::new_gnu();
        header.set_size(dockerfile.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        tar.append_data(&mut header, "Dockerfile", dockerfile.as_bytes())?;
        for (source, inside) in &files {
            // Whole files in plain entries: the engine refuses GNU sparse ones.
            let bytes = fs_err::read(source)?;
            let mut header = tar::Header::new_ustar();
            header.set_size(bytes.len() as u64);
            header.set_mode(0o755);
            header.set_cksum();
            tar.append_data(
                &mut header,
                PathBuf::from("rootfs").join(inside),
                bytes.as_slice(),
            )?;
        }
        tar.into_inner()
    })
    .await
    .map_err(|err| failed(err.into()))?
    .map_err(|err| failed(err.into()))?;
    let digest = format!(
        "sha256:{}",
        crate::component::backup::hex(&sha2::Sha256::digest(&archive))
    );
    let plan = crate::build::BuildPlan {
        context: crate::build::context::BuildContext {
            bytes: archive.len() as u64,
            archive: archive.into(),
            digest,
            dockerfile: "Dockerfile".to_owned(),
            dockerfile_text: String::new(),
            files: 0,
            warnings: Vec::new(),
        },
        tags: vec![image.clone()],
        build_args: BTreeMap::new(),
        labels: BTreeMap::from([(
            crate::labels::MANAGED_BY.to_owned(),
            crate::labels::MANAGER.to_owned(),
        )]),
        cache_key: None,
        no_cache: false,
    };
    crate::build::build_image(docker, &plan, &crate::build::NoopReporter)
        .await
        .map_err(|err| failed(err.into()))?;
    Ok(image)
}

/// Starts the front door unless it runs; returns the app's URL.
async fn ensure_proxy(
    docker: &Docker,
    app: &str,
    reporter: &dyn UpReporter,
) -> Result<String, LocalError> {
    let name = engine::proxy_name(app);
    let image = ensure_proxy_image(docker).await?;
    let spec = proxy_spec(&image);
    let hash = spec_hash(&spec, &image, "");
    let listed = engine::list(docker, app).await?;
    let existing = listed.iter().find(|l| l.role == Role::Proxy);
    let mut port = 0;
    if let Some(existing) = existing {
        let state = engine::inspect(docker, &existing.name, app).await?;
        if existing.spec_hash == hash
            && state.running
            && let Some(published) = state.published
        {
            return Ok(format!("http://127.0.0.1:{published}"));
        }
        // A new paas: the same port, a new front door.
        port = state.published.unwrap_or(0);
        engine::remove(docker, &existing.name, 0).await?;
    }
    engine::run(
        docker,
        &spec,
        &Placement {
            app,
            name: name.clone(),
            role: Role::Proxy,
            revision: None,
            spec_hash: hash,
            aliases: Vec::new(),
            publish: Some((port, proxy::LISTEN_PORT)),
        },
    )
    .await?;
    let state = engine::inspect(docker, &name, app).await?;
    let url = format!("http://127.0.0.1:{}", state.published.unwrap_or(0));
    reporter.event(&UpEvent::ProxyStarted {
        container: &name,
        url: &url,
    });
    Ok(url)
}

/// What `down` removed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Removed {
    /// The containers.
    pub containers: Vec<String>,
    /// The network, if it existed.
    pub network: Option<String>,
    /// The volumes (with `--volumes`).
    pub volumes: Vec<String>,
    /// The volumes kept (without `--volumes`).
    pub kept_volumes: Vec<String>,
}

/// What [`down`] would remove, removing nothing.
pub async fn plan_down(docker: &Docker, app: &str, volumes: bool) -> Result<Removed, LocalError> {
    let found = engine::volumes(docker, app).await?;
    Ok(Removed {
        containers: engine::list(docker, app)
            .await?
            .into_iter()
            .map(|l| l.name)
            .collect(),
        network: (!engine::networks(docker, app).await?.is_empty())
            .then(|| engine::network_name(app)),
        volumes: if volumes { found.clone() } else { Vec::new() },
        kept_volumes: if volumes { Vec::new() } else { found },
    })
}

/// Removes the app's containers and network; with `volumes` its volumes and passwords; the
/// release history unless `keep_history` (as `down` does in the cluster).
pub async fn down(
    docker: &Docker,
    app: &str,
    volumes: bool,
    keep_history: bool,
) -> Result<Removed, LocalError> {
    let mut removed = Removed::default();
    for container in engine::list(docker, app).await? {
        let grace = if container.state == "running" { 10 } else { 0 };
        engine::remove(docker, &container.name, grace).await?;
        removed.containers.push(container.name);
    }
    for network in engine::networks(docker, app).await? {
        engine::remove_network(docker, &network).await?;
        removed.network = Some(engine::network_name(app));
    }
    let store = LocalStore::open(app)?;
    let found = engine::volumes(docker, app).await?;
    if volumes {
        for volume in found {
            engine::remove_volume(docker, &volume).await?;
            removed.volumes.push(volume);
        }
        store.forget_credentials()?;
    } else {
        removed.kept_volumes = found;
    }
    if !keep_history {
        store.forget_releases()?;
    }
    Ok(removed)
}

/// The app on the local engine, as `paas status` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct LocalStatus {
    /// The app.
    pub app: String,
    /// Always `docker`.
    pub target: &'static str,
    /// The live release.
    pub release: Option<Release>,
    /// Where it answers.
    pub url: Option<String>,
    /// Its containers.
    pub containers: Vec<ContainerStatus>,
    /// Its named volumes.
    pub volumes: Vec<String>,
}

/// One container in `paas status`.
#[derive(Debug, Clone, Serialize)]
pub struct ContainerStatus {
    /// Its name.
    pub name: String,
    /// What it is.
    pub role: Role,
    /// The component, for a component.
    pub component: Option<String>,
    /// The release, for a replica.
    pub revision: Option<u32>,
    /// `running`, `exited`, …
    pub state: String,
    /// The engine's status line.
    pub status: String,
    /// Killed for memory.
    pub oom_killed: bool,
    /// Its exit code, once exited.
    pub exit_code: Option<i64>,
}

/// Reads the app's state on the local engine.
pub async fn status(docker: &Docker, app: &str) -> Result<LocalStatus, LocalError> {
    let store = LocalStore::open(app)?;
    let release = store
        .list()?
        .into_iter()
        .rev()
        .find(|r| r.status == ReleaseStatus::Deployed);
    let mut containers = Vec::new();
    let mut url = None;
    for listed in engine::list(docker, app).await? {
        let state = engine::inspect(docker, &listed.name, app).await?;
        if listed.role == Role::Proxy && state.running {
            url = state.published.map(|p| format!("http://127.0.0.1:{p}"));
        }
        containers.push(ContainerStatus {
            name: listed.name,
            role: listed.role,
            component: listed.component,
            revision: listed.revision,
            state: listed.state,
            status: listed.status,
            oom_killed: state.oom_killed,
            exit_code: state.exit_code,
        });
    }
    Ok(LocalStatus {
        app: app.to_owned(),
        target: "docker",
        release,
        url,
        containers,
        volumes: engine::volumes(docker, app).await?,
    })
}

/// The app's recorded releases on the local target, oldest first.
pub fn history(app: &str) -> Result<Vec<Release>, LocalError> {
    Ok(LocalStore::open(app)?.list()?)
}
