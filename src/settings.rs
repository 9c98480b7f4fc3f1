//! Flags, `PAAS_*` variables, `paas.toml`, the user config and defaults, resolved into plain
//! settings before any work starts.
//!
//! Precedence, highest first: flags, `PAAS_*` variables (clap reads them as flag defaults),
//! `paas.toml` (and its `[env.NAME]` overrides), the user config, built-in defaults.
//! Domain code receives these values and never sees clap.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::cli::{
    AppArgs, DetectArgs, GlobalArgs, InitArgs, LogsArgs, RenderArgs, TargetArgs, UpArgs,
};
use crate::config::{self, ConfigError, ProjectConfig, UserConfig};
use crate::error::CliError;
use crate::manifests::{AccessValues, AppInfo, DeployValues, IngressValues, ManifestContext};
use crate::names;
use crate::pack::{PackSet, render};

/// Defaults of values nobody set.
pub mod defaults {
    /// Replicas when nobody says.
    pub const REPLICAS: u32 = 1;
    /// CPU request.
    pub const CPU_REQUEST: &str = "100m";
    /// CPU limit.
    pub const CPU_LIMIT: &str = "500m";
    /// Memory request.
    pub const MEMORY_REQUEST: &str = "128Mi";
    /// Memory limit.
    pub const MEMORY_LIMIT: &str = "256Mi";
    /// Seconds without rollout progress before it counts as failed.
    pub const PROGRESS_DEADLINE: u32 = 300;
    /// The ingress class.
    pub const INGRESS_CLASS: &str = "nginx";
    /// The numeric user when the pack declares none.
    pub const RUN_AS_USER: i64 = 65532;
    /// The folder of manifest templates in a project.
    pub const DEPLOY_DIR: &str = "deploy";
}

/// Settings every command shares.
#[derive(Debug, Clone)]
pub struct GlobalSettings {
    /// The folder paas runs in (`-C`, else the current folder).
    pub directory: PathBuf,
    /// Answer yes to every question.
    pub yes: bool,
    /// The user config (empty with `--no-config` or when there is none).
    pub user: UserConfig,
    /// Company pack folders: flags and `PAAS_PACK_PATH` first, then the user config.
    pub pack_path: Vec<PathBuf>,
}

impl GlobalSettings {
    /// Resolves the global flags and reads the user config.
    pub fn resolve(args: &GlobalArgs) -> Result<Self, CliError> {
        let cwd = std::env::current_dir().map_err(|err| {
            CliError::failed(anyhow::Error::new(err).context("failed to read the current folder"))
        })?;
        let directory = match &args.directory {
            Some(dir) => cwd.join(dir),
            None => cwd,
        };
        let user = if args.no_config {
            UserConfig::default()
        } else if let Some(path) = &args.config {
            config::load(path).map_err(config_error)?
        } else {
            match config::default_user_config_path() {
                Some(path) if path.is_file() => config::load(&path).map_err(config_error)?,
                _ => UserConfig::default(),
            }
        };
        let mut pack_path: Vec<PathBuf> = args
            .pack_path
            .iter()
            .filter(|p| !p.as_os_str().is_empty())
            .cloned()
            .collect();
        pack_path.extend(user.pack_path.iter().cloned());
        Ok(Self {
            directory,
            yes: args.yes,
            user,
            pack_path,
        })
    }

    /// Loads the bundled packs and the company packs on the pack path.
    pub fn packs(&self) -> Result<PackSet, CliError> {
        PackSet::load(&self.pack_path).map_err(|err| {
            CliError::usage(err).hinted("check the folders given by `--pack-path`, `PAAS_PACK_PATH` or `pack_path` in the user config")
        })
    }

    fn resolve_dir(&self, dir: Option<&PathBuf>) -> PathBuf {
        dir.map_or_else(|| self.directory.clone(), |d| self.directory.join(d))
    }
}

/// Turns a config error into a usage error with a hint.
#[must_use]
pub fn config_error(err: ConfigError) -> CliError {
    let hint = match &err {
        ConfigError::Parse { .. } => {
            "fix the file, or compare it with the `paas.toml` reference in the README"
        }
        ConfigError::Read { .. } => "check that the file exists and is readable",
    };
    CliError::usage(err).hinted(hint)
}

/// Returns how long a credential program (a kube exec plugin, a Docker credential helper) may
/// run: `PAAS_CREDENTIAL_TIMEOUT`, else 60 s.
pub fn credential_timeout() -> Result<std::time::Duration, CliError> {
    credential_timeout_from(
        std::env::var(crate::env::CREDENTIAL_TIMEOUT)
            .ok()
            .as_deref(),
    )
}

fn credential_timeout_from(value: Option<&str>) -> Result<std::time::Duration, CliError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(crate::kube::exec::DEFAULT_TIMEOUT),
        Some(text) => crate::cli::parse_duration(text).map_err(|message| {
            CliError::usage(anyhow::anyhow!(
                "`{}` is not a valid time limit: {message}",
                crate::env::CREDENTIAL_TIMEOUT
            ))
            .hinted("set it like `90s` or `2m`, or unset it for 60s")
        }),
    }
}

/// Finds `paas.toml` from the working folder up, and returns the project root and its config.
fn load_project(global: &GlobalSettings) -> Result<(PathBuf, ProjectConfig), CliError> {
    let file = config::find_project_file(&global.directory).ok_or_else(|| {
        CliError::usage(anyhow::anyhow!(
            "no `paas.toml` in `{}` or its parents",
            global.directory.display()
        ))
        .hinted("run `paas init` first, or `-C DIR` to point at the project")
    })?;
    let root = file
        .parent()
        .map_or_else(|| global.directory.clone(), Path::to_owned);
    let project: ProjectConfig = config::load(&file).map_err(config_error)?;
    Ok((root, project))
}

/// What `paas detect` needs.
#[derive(Debug, Clone)]
pub struct DetectSettings {
    /// The project folder.
    pub dir: PathBuf,
    /// A forced pack.
    pub pack: Option<String>,
    /// A chosen .NET project.
    pub project: Option<String>,
}

impl DetectSettings {
    /// Resolves `paas detect`'s arguments.
    #[must_use]
    pub fn resolve(args: &DetectArgs, global: &GlobalSettings) -> Self {
        Self {
            dir: global.resolve_dir(args.dir.as_ref()),
            pack: args.detect.pack.clone(),
            project: args.detect.project.clone(),
        }
    }
}

/// What `paas init` needs.
#[derive(Debug, Clone)]
pub struct InitSettings {
    /// The project folder.
    pub dir: PathBuf,
    /// A forced pack.
    pub pack: Option<String>,
    /// A chosen .NET project.
    pub project: Option<String>,
    /// The app name, checked, if given.
    pub name: Option<String>,
    /// The container port, if given.
    pub port: Option<u16>,
    /// The registry, if given (flag, else user config).
    pub registry: Option<String>,
    /// The public host, if given.
    pub host: Option<String>,
    /// The ingress class from the user config.
    pub ingress_class: Option<String>,
    /// Replicas, if given.
    pub replicas: Option<u32>,
    /// `--set NAME=VALUE` pairs, in order.
    pub set: Vec<(String, String)>,
    /// Company defaults for pack variables, per pack.
    pub company: BTreeMap<String, BTreeMap<String, toml::Value>>,
    /// Overwrite existing files.
    pub force: bool,
    /// Write nothing.
    pub dry_run: bool,
    /// Answer yes to every question.
    pub yes: bool,
}

impl InitSettings {
    /// Resolves and checks `paas init`'s arguments.
    pub fn resolve(args: &InitArgs, global: &GlobalSettings) -> Result<Self, CliError> {
        if let Some(name) = &args.name {
            names::check_app_name(name).map_err(|err| {
                CliError::usage(err)
                    .hinted("use lowercase letters, digits and '-', such as `--name shop-web`")
            })?;
        }
        let registry = args
            .registry
            .clone()
            .or_else(|| global.user.registry.clone());
        if let Some(registry) = &registry {
            names::check_registry(registry).map_err(|err| {
                CliError::usage(err).hinted("give the registry and path only, such as `--registry registry.example.com/team`")
            })?;
        }
        if let Some(host) = &args.host {
            names::check_host(host).map_err(CliError::usage)?;
        }
        if args.port == Some(0) {
            return Err(CliError::usage(anyhow::anyhow!("`0` is not a valid port"))
                .hinted("use the port the app listens on, such as `--port 8080`"));
        }
        let mut set = Vec::new();
        for pair in &args.set {
            let Some((name, value)) = pair.split_once('=') else {
                return Err(CliError::usage(anyhow::anyhow!(
                    "`--set {}` has no `=`",
                    names::shown(pair)
                ))
                .hinted("write `--set NAME=VALUE`; `paas packs show PACK` lists the variables"));
            };
            set.push((name.trim().to_owned(), value.to_owned()));
        }
        Ok(Self {
            dir: global.resolve_dir(args.dir.as_ref()),
            pack: args.detect.pack.clone(),
            project: args.detect.project.clone(),
            name: args.name.clone(),
            port: args.port,
            registry,
            host: args.host.clone(),
            ingress_class: global.user.ingress_class.clone(),
            replicas: args.replicas,
            set,
            company: global.user.packs.clone(),
            force: args.force,
            dry_run: args.dry_run,
            yes: global.yes,
        })
    }
}

/// What `paas render` needs.
#[derive(Debug, Clone)]
pub struct RenderSettings {
    /// The project root (the folder of `paas.toml`).
    pub root: PathBuf,
    /// The manifest templates folder.
    pub deploy_dir: PathBuf,
    /// Everything the templates see.
    pub context: ManifestContext,
    /// Where to write one file per manifest, if anywhere.
    pub out_dir: Option<PathBuf>,
    /// Warnings found while resolving (shown before the work).
    pub warnings: Vec<String>,
}

impl RenderSettings {
    /// Finds and reads `paas.toml`, applies the environment's overrides and resolves every
    /// value the manifests need.
    pub fn resolve(
        args: &RenderArgs,
        global: &GlobalSettings,
        packs: &PackSet,
    ) -> Result<Self, CliError> {
        let (root, project) = load_project(global)?;
        let (context, warnings) = manifest_context(
            &project,
            args.environment.as_deref(),
            args.namespace.as_deref(),
            args.image.as_deref(),
            &root,
            global,
            packs,
        )?;
        Ok(Self {
            deploy_dir: root.join(defaults::DEPLOY_DIR),
            root,
            context,
            out_dir: args.out_dir.as_ref().map(|d| global.directory.join(d)),
            warnings,
        })
    }
}

/// What `paas up` needs before it talks to any service.
#[derive(Debug, Clone)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent switches from flags and paas.toml"
)]
pub struct UpSettings {
    /// The project root.
    pub root: PathBuf,
    /// The manifest templates (`deploy/NAME` → text).
    pub templates: BTreeMap<String, String>,
    /// The template values (the image is filled in after the push).
    pub context: ManifestContext,
    /// `<registry>/<app>`.
    pub repository: String,
    /// The environment, if any.
    pub environment: Option<String>,
    /// The namespace, when flags or `paas.toml` name one (else the kube context's).
    pub namespace: Option<String>,
    /// The kube context, when flags or the environment name one.
    pub kube_context: Option<String>,
    /// The environment is protected: changes need a confirmation or `--yes`.
    pub protected: bool,
    /// The rollout timeout.
    pub timeout: std::time::Duration,
    /// Put the last good release back on failure.
    pub atomic: bool,
    /// Take over conflicting fields.
    pub force_conflicts: bool,
    /// Answer yes to every question.
    pub yes: bool,
    /// Who deploys: `user@host`.
    pub user: String,
    /// Warnings found while resolving.
    pub warnings: Vec<String>,
}

impl UpSettings {
    /// Finds and reads `paas.toml` and `deploy/`, applies the environment and checks every
    /// value, before any service is contacted.
    pub fn resolve(
        args: &UpArgs,
        global: &GlobalSettings,
        packs: &PackSet,
    ) -> Result<Self, CliError> {
        let mut settings = Self::resolve_target(&args.target, global, packs)?;
        settings.timeout = args.timeout;
        settings.atomic = args.atomic;
        settings.force_conflicts = args.force_conflicts;
        Ok(settings)
    }

    /// Resolves what every deploying command needs: the project, the environment, the
    /// namespace and context, the templates and their values.
    pub fn resolve_target(
        args: &TargetArgs,
        global: &GlobalSettings,
        packs: &PackSet,
    ) -> Result<Self, CliError> {
        let (root, project) = load_project(global)?;
        let Some(registry) = project.build.registry.clone() else {
            return Err(CliError::usage(anyhow::anyhow!(
                "`paas.toml` names no registry to push the image to"
            ))
            .hinted(
                "add `registry = \"registry.example.com/team\"` under `[build]` in `paas.toml`",
            ));
        };
        names::check_registry(&registry)
            .map_err(|err| CliError::usage(err).hinted("fix `[build] registry` in `paas.toml`"))?;
        let repository = format!("{registry}/{}", project.app.name);
        let environment = args
            .environment
            .as_deref()
            .and_then(|name| project.env.get(name));
        let kube_context = kube_context(environment.and_then(|e| e.context.clone()), args)?;
        let (context, warnings) = manifest_context(
            &project,
            args.environment.as_deref(),
            args.namespace.as_deref(),
            Some(&format!("{repository}:pending")),
            &root,
            global,
            packs,
        )?;
        let deploy_dir = root.join(defaults::DEPLOY_DIR);
        let templates = read_templates(&deploy_dir)?;
        Ok(Self {
            root,
            templates,
            namespace: context.namespace.clone(),
            context,
            repository,
            environment: args.environment.clone(),
            kube_context,
            protected: environment.is_some_and(|e| e.protected),
            timeout: std::time::Duration::from_secs(300),
            atomic: false,
            force_conflicts: false,
            yes: global.yes,
            user: who(),
            warnings,
        })
    }
}

/// What the commands that work on a deployed app (`logs`, `status`, `history`, `scale`,
/// `rollback`, `down`) need: which app, and where. `paas.toml` is read when there is one;
/// with `--app` none is needed.
#[derive(Debug, Clone)]
pub struct AppSettings {
    /// The app.
    pub app: String,
    /// The project root, when a `paas.toml` was found.
    pub root: Option<PathBuf>,
    /// The environment, if any.
    pub environment: Option<String>,
    /// The namespace, when flags or `paas.toml` name one (else the kube context's).
    pub namespace: Option<String>,
    /// The kube context, when flags or the environment name one.
    pub kube_context: Option<String>,
    /// The environment is protected: changes need a confirmation or `--yes`.
    pub protected: bool,
    /// Answer yes to every question.
    pub yes: bool,
    /// Who acts: `user@host`, for the deploy lock and release records.
    pub user: String,
}

impl AppSettings {
    /// Resolves the app, environment, namespace and kube context from the flags and, when
    /// there is one, `paas.toml`.
    pub fn resolve(args: &AppArgs, global: &GlobalSettings) -> Result<Self, CliError> {
        let project = match config::find_project_file(&global.directory) {
            Some(_) => Some(load_project(global)?),
            None => None,
        };
        let target = &args.target;
        let Some((root, project)) = project else {
            let Some(app) = args.app.clone() else {
                return Err(CliError::usage(anyhow::anyhow!(
                    "no `paas.toml` in `{}` or its parents, and no `--app`",
                    global.directory.display()
                ))
                .hinted(
                    "run this in the project, use `-C DIR`, or name the app with `--app NAME`",
                ));
            };
            if let Some(environment) = &target.environment {
                return Err(CliError::usage(anyhow::anyhow!(
                    "`--env {environment}` needs the environments of a `paas.toml`, and there is none"
                ))
                .hinted("use `--namespace` and `--context` instead, or run this in the project"));
            }
            check_app(&app)?;
            let namespace = target.namespace.clone();
            check_namespace(namespace.as_deref())?;
            return Ok(Self {
                app,
                root: None,
                environment: None,
                namespace,
                kube_context: target.context.clone(),
                protected: false,
                yes: global.yes,
                user: who(),
            });
        };
        let app = args.app.clone().unwrap_or_else(|| project.app.name.clone());
        check_app(&app)?;
        let mut namespace = project.deploy.namespace.clone();
        let mut bound = None;
        let mut protected = false;
        if let Some(name) = &target.environment {
            let environment = environment_named(&project, name)?;
            if environment.deploy.namespace.is_some() {
                namespace.clone_from(&environment.deploy.namespace);
            }
            bound.clone_from(&environment.context);
            protected = environment.protected;
        }
        if target.namespace.is_some() {
            namespace.clone_from(&target.namespace);
        }
        check_namespace(namespace.as_deref())?;
        let kube_context = kube_context(bound, target)?;
        Ok(Self {
            app,
            root: Some(root),
            environment: target.environment.clone(),
            namespace,
            kube_context,
            protected,
            yes: global.yes,
            user: who(),
        })
    }
}

/// Returns the `[env.NAME]` table, or an error listing the environments there are.
fn environment_named<'a>(
    project: &'a ProjectConfig,
    name: &str,
) -> Result<&'a config::EnvironmentSection, CliError> {
    project.env.get(name).ok_or_else(|| {
        let known: Vec<String> = project.env.keys().map(|k| format!("`{k}`")).collect();
        let known = if known.is_empty() {
            "none".to_owned()
        } else {
            known.join(", ")
        };
        CliError::usage(anyhow::anyhow!(
            "no environment `{name}` in `paas.toml` (environments: {known})"
        ))
        .hinted(format!("add an `[env.{name}]` table to `paas.toml`"))
    })
}

/// The kube context to use: the one an environment is bound to (which `--context` may only
/// repeat), else `--context`.
fn kube_context(bound: Option<String>, target: &TargetArgs) -> Result<Option<String>, CliError> {
    match (bound, &target.context) {
        (Some(bound), Some(given)) if &bound != given => Err(CliError::usage(anyhow::anyhow!(
            "environment `{}` is bound to kube context `{bound}`, not `{given}`",
            target.environment.as_deref().unwrap_or_default()
        ))
        .hinted(format!("drop `--context`, or use `--context {bound}`"))),
        (Some(bound), _) => Ok(Some(bound)),
        (None, given) => Ok(given.clone()),
    }
}

/// What `paas logs` does, resolved from its flags.
#[derive(Debug, Clone)]
pub struct LogsSettings {
    /// Which app, and where.
    pub app: AppSettings,
    /// Keep streaming.
    pub follow: bool,
    /// Only lines newer than this.
    pub since: Option<std::time::Duration>,
    /// The last N lines of each container: `--tail`, else 10 with `--follow`, else every line.
    pub tail: Option<u32>,
    /// The previous instance's log.
    pub previous: bool,
    /// Only this container.
    pub container: Option<String>,
    /// Only lines matching this.
    pub grep: Option<regex::Regex>,
    /// Show the time of each line.
    pub timestamps: bool,
    /// How long to wait for a first pod.
    pub pod_timeout: std::time::Duration,
}

impl LogsSettings {
    /// Resolves the app (see [`AppSettings::resolve`]), the default tail and the `--grep`
    /// pattern.
    pub fn resolve(args: &LogsArgs, global: &GlobalSettings) -> Result<Self, CliError> {
        let grep = args
            .grep
            .as_deref()
            .map(regex::Regex::new)
            .transpose()
            .map_err(|err| {
                CliError::usage(anyhow::Error::new(err).context("invalid `--grep` pattern"))
                    .hinted("`--grep` takes a regular expression, such as `error|warn`")
            })?;
        let app = AppSettings::resolve(&args.app, global)?;
        Ok(Self {
            app,
            follow: args.follow,
            since: args.since,
            tail: args.tail.or(args.follow.then_some(10)),
            previous: args.previous,
            container: args.container.clone(),
            grep,
            timestamps: args.timestamps,
            pod_timeout: args.pod_timeout,
        })
    }
}

fn check_app(app: &str) -> Result<(), CliError> {
    names::check_app_name(app).map_err(|err| {
        CliError::usage(err).hinted("an app name is a DNS label: lowercase letters, digits and '-'")
    })
}

fn check_namespace(namespace: Option<&str>) -> Result<(), CliError> {
    match namespace {
        Some(namespace) if !names::is_label(namespace) => Err(CliError::usage(anyhow::anyhow!(
            "`{}` is not a valid namespace",
            names::shown(namespace)
        ))
        .hinted("a namespace is a DNS label: lowercase letters, digits and '-'")),
        _ => Ok(()),
    }
}

/// Returns `user@host`, for the deploy lock and release records.
fn who() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_else(|_| "unknown".into());
    let host = std::env::var("HOSTNAME")
        .ok()
        .or_else(|| {
            fs_err::read_to_string("/etc/hostname")
                .ok()
                .map(|h| h.trim().to_owned())
        })
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".into());
    format!("{user}@{host}")
}

/// Reads every `*.yaml` / `*.yml` template in `dir`, keyed by `deploy/NAME`.
pub fn read_templates(dir: &Path) -> Result<BTreeMap<String, String>, CliError> {
    let entries = fs_err::read_dir(dir).map_err(|err| {
        CliError::usage(anyhow::Error::new(err))
            .hinted("run `paas init` to write the manifest templates under `deploy/`")
    })?;
    let mut templates = BTreeMap::new();
    for entry in entries {
        let entry = entry.map_err(|err| CliError::failed(anyhow::Error::new(err)))?;
        let path = entry.path();
        let is_yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
        if !is_yaml || !path.is_file() {
            continue;
        }
        let text = fs_err::read_to_string(&path)
            .map_err(|err| CliError::failed(anyhow::Error::new(err)))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        templates.insert(format!("{}/{name}", defaults::DEPLOY_DIR), text);
    }
    if templates.is_empty() {
        return Err(CliError::usage(anyhow::anyhow!(
            "no manifest templates in `{}`",
            dir.display()
        ))
        .hinted("run `paas init --force` to write them again"));
    }
    Ok(templates)
}

/// Builds the values the manifest templates see from `paas.toml`, one of its environments
/// and the flags. Every value is checked here, before any template sees it.
pub fn manifest_context(
    project: &ProjectConfig,
    environment: Option<&str>,
    namespace_flag: Option<&str>,
    image_flag: Option<&str>,
    root: &Path,
    global: &GlobalSettings,
    packs: &PackSet,
) -> Result<(ManifestContext, Vec<String>), CliError> {
    let mut warnings = Vec::new();
    let invalid =
        |err: names::NameError| CliError::usage(err).hinted("fix the value in `paas.toml`");
    names::check_app_name(&project.app.name).map_err(invalid)?;
    let mut deploy = project.deploy.clone();
    let mut host = project.ingress.as_ref().map(|i| i.host.clone());
    if let Some(name) = environment {
        let overrides = environment_named(project, name)?;
        merge_deploy(&mut deploy, &overrides.deploy);
        if overrides.host.is_some() {
            host.clone_from(&overrides.host);
        }
    }
    let namespace = namespace_flag
        .map(str::to_owned)
        .or(deploy.namespace.clone());
    if let Some(namespace) = &namespace
        && !names::is_label(namespace)
    {
        return Err(CliError::usage(anyhow::anyhow!(
            "`{}` is not a valid namespace",
            names::shown(namespace)
        ))
        .hinted("a namespace is a DNS label: lowercase letters, digits and '-'"));
    }
    let version = root_version(root);
    let image = match image_flag {
        Some(image) => image.to_owned(),
        None => {
            if let Some(registry) = &project.build.registry {
                format!("{registry}/{}:{version}", project.app.name)
            } else {
                warnings.push(
                    "`paas.toml` names no registry; the image is rendered without one".to_owned(),
                );
                format!("{}:{version}", project.app.name)
            }
        }
    };
    names::check_image(&image)
        .map_err(|err| CliError::usage(err).hinted("check `--image` or `[build] registry`"))?;
    let version = image
        .rsplit_once('@')
        .map_or(image.as_str(), |(name, _)| name)
        .rsplit_once(':')
        .filter(|(_, tag)| !tag.contains('/'))
        .map_or_else(|| version.clone(), |(_, tag)| tag.to_owned());
    for quantity in [
        &deploy.cpu_request,
        &deploy.cpu_limit,
        &deploy.memory_request,
        &deploy.memory_limit,
    ]
    .into_iter()
    .flatten()
    {
        names::check_quantity(quantity).map_err(invalid)?;
    }
    for key in deploy.env.keys() {
        names::check_env_name(key).map_err(invalid)?;
    }
    if let Some(path) = &deploy.health_path {
        names::check_http_path(path).map_err(invalid)?;
    }
    if let Some(autoscale) = deploy.autoscale
        && (autoscale.min == 0
            || autoscale.min > autoscale.max
            || autoscale.cpu == 0
            || autoscale.cpu > 100)
    {
        return Err(CliError::usage(anyhow::anyhow!(
            "invalid `autoscale`: min {} / max {} / cpu {}%",
            autoscale.min,
            autoscale.max,
            autoscale.cpu
        ))
        .hinted("use 1 <= min <= max and a cpu target between 1 and 100"));
    }
    let ingress = match host {
        Some(host) => {
            names::check_host(&host).map_err(invalid)?;
            let section = project.ingress.clone().unwrap_or_default();
            let class = section
                .class
                .or(global.user.ingress_class.clone())
                .unwrap_or_else(|| defaults::INGRESS_CLASS.into());
            if !names::is_label(&class) && !class.split('.').all(names::is_label) {
                return Err(invalid(names::NameError::Invalid {
                    what: "ingress class",
                    value: names::shown(&class),
                    reason: "expected a DNS name",
                }));
            }
            let path = section.path.unwrap_or_else(|| "/".into());
            names::check_http_path(&path).map_err(invalid)?;
            if let Some(secret) = &section.tls_secret
                && !names::is_label(secret)
            {
                return Err(invalid(names::NameError::Invalid {
                    what: "TLS secret name",
                    value: names::shown(secret),
                    reason: "expected a DNS label",
                }));
            }
            Some(IngressValues {
                host,
                class,
                path,
                tls_secret: section.tls_secret,
            })
        }
        None => None,
    };
    let access = match &project.access {
        Some(access) => {
            for app in &access.allow_from {
                names::check_app_name(app).map_err(invalid)?;
            }
            if let Some(namespace) = &access.ingress_namespace
                && !names::is_label(namespace)
            {
                return Err(invalid(names::NameError::Invalid {
                    what: "namespace",
                    value: names::shown(namespace),
                    reason: "expected a DNS label",
                }));
            }
            Some(AccessValues {
                allow_from: access.allow_from.clone(),
                ingress_namespace: access.ingress_namespace.clone(),
            })
        }
        None => None,
    };
    let run_as_user = match packs.get(&project.app.pack) {
        Ok(pack) => {
            let company = global
                .user
                .packs
                .get(&project.app.pack)
                .cloned()
                .unwrap_or_default();
            let values =
                render::resolve_variables(pack, &[&company, &project.pack]).map_err(|err| {
                    CliError::usage(err).hinted(format!(
                        "`paas packs show {}` lists the variables",
                        project.app.pack
                    ))
                })?;
            values
                .get("uid")
                .and_then(toml::Value::as_integer)
                .unwrap_or(defaults::RUN_AS_USER)
        }
        Err(err) => {
            return Err(CliError::usage(err)
                .hinted("check `[app] pack` in `paas.toml`; `paas packs list` shows the packs"));
        }
    };
    if run_as_user <= 0 {
        return Err(CliError::usage(anyhow::anyhow!(
            "the pack variable `uid` must be a non-root user id, not `{run_as_user}`"
        )));
    }
    let name = project.app.name.clone();
    let mut selector_labels = BTreeMap::new();
    selector_labels.insert("app.kubernetes.io/name".to_owned(), name.clone());
    selector_labels.insert("app.kubernetes.io/instance".to_owned(), name.clone());
    let mut labels = selector_labels.clone();
    if let Some(environment) = environment {
        labels.insert("paas.dev/environment".to_owned(), label_value(environment));
    }
    labels.insert(
        "app.kubernetes.io/version".to_owned(),
        label_value(&version),
    );
    labels.insert("app.kubernetes.io/managed-by".to_owned(), "paas".to_owned());
    labels.insert("paas.dev/app".to_owned(), name.clone());
    let context = ManifestContext {
        app: AppInfo {
            name: name.clone(),
            port: project.app.port,
            version,
            pack: project.app.pack.clone(),
        },
        image,
        namespace,
        labels,
        selector_labels,
        deploy: DeployValues {
            replicas: deploy.replicas.unwrap_or(defaults::REPLICAS),
            health_path: deploy.health_path.clone(),
            cpu_request: deploy
                .cpu_request
                .clone()
                .unwrap_or_else(|| defaults::CPU_REQUEST.into()),
            cpu_limit: deploy
                .cpu_limit
                .clone()
                .unwrap_or_else(|| defaults::CPU_LIMIT.into()),
            memory_request: deploy
                .memory_request
                .clone()
                .unwrap_or_else(|| defaults::MEMORY_REQUEST.into()),
            memory_limit: deploy
                .memory_limit
                .clone()
                .unwrap_or_else(|| defaults::MEMORY_LIMIT.into()),
            progress_deadline_seconds: deploy
                .progress_deadline
                .unwrap_or(defaults::PROGRESS_DEADLINE),
            env: deploy.env.clone(),
            autoscale: deploy.autoscale,
            run_as_user,
            config_name: format!("{name}-env"),
        },
        ingress,
        access,
    };
    Ok((context, warnings))
}

fn root_version(root: &Path) -> String {
    crate::git::short_commit(root).unwrap_or_else(|| "dev".to_owned())
}

/// Makes a label value (at most 63 characters of `[A-Za-z0-9._-]`) from a tag.
fn label_value(tag: &str) -> String {
    let value: String = tag
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        .take(63)
        .collect();
    value
        .trim_matches(|c: char| !c.is_ascii_alphanumeric())
        .to_owned()
}

fn merge_deploy(base: &mut config::DeploySection, over: &config::DeploySection) {
    macro_rules! take {
        ($($field:ident),*) => {$(if over.$field.is_some() { base.$field.clone_from(&over.$field); })*};
    }
    take!(
        namespace,
        replicas,
        health_path,
        cpu_request,
        cpu_limit,
        memory_request,
        memory_limit,
        progress_deadline,
        autoscale
    );
    for (key, value) in &over.env {
        base.env.insert(key.clone(), value.clone());
    }
}

#[cfg(test)]
mod credential_timeout_tests {
    use std::time::Duration;

    use super::credential_timeout_from;

    #[test]
    fn credential_timeout_defaults_to_a_minute_and_reads_durations() {
        assert_eq!(
            credential_timeout_from(None).unwrap(),
            Duration::from_secs(60)
        );
        assert_eq!(
            credential_timeout_from(Some(" ")).unwrap(),
            Duration::from_secs(60)
        );
        assert_eq!(
            credential_timeout_from(Some("2m")).unwrap(),
            Duration::from_secs(120)
        );
        let Err(err) = credential_timeout_from(Some("soon")) else {
            panic!("`soon` is no duration");
        };
        let message = err.source.to_string();
        assert!(message.contains("PAAS_CREDENTIAL_TIMEOUT"), "{message}");
    }
}
