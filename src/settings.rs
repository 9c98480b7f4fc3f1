//! Flags, `PAAS_*` variables, `paas.toml`, the user config and defaults, resolved into plain
//! settings before any work starts.
//!
//! Precedence, highest first: flags, `PAAS_*` variables (clap reads them as flag defaults),
//! `paas.toml` (and its `[env.NAME]` overrides), the user config, built-in defaults.
//! Domain code receives these values and never sees clap.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::cli::{
    AddArgs, AppArgs, CiArgs, CiPlatform, DetectArgs, DomainsArgs, GlobalArgs, InitArgs, LogsArgs,
    RemoveArgs, RenderArgs, TargetArgs, UpArgs,
};
use crate::config::{self, ConfigError, ProjectConfig, UserConfig};
use crate::deploy::scale::MAX_REPLICAS;
use crate::error::CliError;
use crate::files::{FileError, Root};
use crate::manifests::{AccessValues, IngressValues, ManifestContext};
use crate::names;
use crate::pack::PackSet;
use crate::pack::values::{self, DeployInputs, ValueInputs, ValuesError};
use crate::scaffold::templates::{self, Placement};

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
    /// The image of `paas access check`'s probe pods.
    pub const PROBE_IMAGE: &str = "busybox:1.37";
    /// The built-in environment on the local Docker engine.
    pub const LOCAL_ENVIRONMENT: &str = "local";
    /// The repository of local images when `paas.toml` names no registry: `paas.local/<app>`.
    pub const LOCAL_REGISTRY: &str = "paas.local";
}

/// Where a deploying command works.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeployTarget {
    /// A Kubernetes cluster.
    Cluster,
    /// The local Docker engine.
    Docker {
        /// The environment: `local`, or one with `target = "docker"`.
        environment: String,
        /// Chosen because no kube context is configured and no `--env` was given.
        implied: bool,
    },
}

impl DeployTarget {
    /// Decides the target from `--env`, `--context` and the project's environments: an
    /// environment with `target = "docker"` or the built-in `local` runs on the Docker engine,
    /// and so does a command with no `--env` and no `--context` when no kube context is
    /// configured at all.
    #[must_use]
    pub fn resolve(project: Option<&ProjectConfig>, target: &TargetArgs) -> Self {
        let docker = |environment: &str, implied| Self::Docker {
            environment: environment.to_owned(),
            implied,
        };
        match &target.environment {
            Some(name) => match project.and_then(|p| p.env.get(name)) {
                Some(section) if section.target == Some(config::Target::Docker) => {
                    docker(name, false)
                }
                None if name == defaults::LOCAL_ENVIRONMENT => docker(name, false),
                Some(_) | None => Self::Cluster,
            },
            None if target.context.is_none()
                && target.namespace.is_none()
                && !crate::kube::context_configured() =>
            {
                docker(defaults::LOCAL_ENVIRONMENT, true)
            }
            None => Self::Cluster,
        }
    }

    /// The one line that says why a command works on the local engine, if it was not asked for.
    #[must_use]
    pub fn implied_note(&self) -> Option<String> {
        match self {
            Self::Docker {
                implied: true,
                environment,
            } => Some(format!(
                "no kube context is configured (no `KUBECONFIG`, no `~/.kube/config`): using environment `{environment}`, the local Docker engine"
            )),
            _ => None,
        }
    }

    /// Whether it is the local engine.
    #[must_use]
    pub fn is_docker(&self) -> bool {
        matches!(self, Self::Docker { .. })
    }
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

    /// Loads the bundled component kinds and the company ones on the pack path.
    pub fn catalog(&self) -> Result<crate::component::Catalog, CliError> {
        crate::component::Catalog::load(&self.pack_path).map_err(|err| {
            CliError::usage(err).hinted("check the `_components` folders on the pack path (`--pack-path`, `PAAS_PACK_PATH`, `pack_path` in the user config)")
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
        ConfigError::Read { source, .. } if source.is_outside() => OUTSIDE_HINT,
        ConfigError::Read { .. } => "check that the file exists and is readable",
    };
    CliError::usage(err).hinted(hint)
}

/// The hint of a file refused because it links outside its root.
pub(crate) const OUTSIDE_HINT: &str =
    "paas reads only files inside the project; put the file itself there instead of a link";

/// Turns a project file that could not be read into an error: a link leaving the project is
/// a usage error (exit 2) with a hint, any other failure a failed read.
#[must_use]
pub fn file_error(path: &Path, err: FileError) -> CliError {
    let outside = err.is_outside();
    let source = anyhow::Error::new(err).context(format!("failed to read `{}`", path.display()));
    if outside {
        CliError::usage(source).hinted(OUTSIDE_HINT)
    } else {
        CliError::failed(source)
    }
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
        Some(text) => crate::duration::parse(text).map_err(|message| {
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
    let project: ProjectConfig = config::load_project(&file).map_err(config_error)?;
    Ok((root, project))
}

/// What `paas ci` needs: where to write, and the pipeline.
#[derive(Debug, Clone)]
pub struct CiSettings {
    /// The repository root (else the project root, where `paas.toml` is): the file goes under it.
    pub root: PathBuf,
    /// The pipeline.
    pub plan: crate::ci::Plan,
    /// Replace an existing file.
    pub force: bool,
    /// Print the file, write nothing.
    pub dry_run: bool,
}

impl CiSettings {
    /// Resolves `paas ci`: the environments (`--env` in order; else `paas.toml`'s, production
    /// last; else one job without an environment), each one's namespace, kube context and
    /// gate; the branch (`--branch`, else the repository's default branch, else `main`); the
    /// install step (`--install-command`/`--install-url` or their `PAAS_CI_*` variables, else
    /// `[ci]` in the user config, else the sources' URL as a CI variable).
    pub fn resolve(args: &CiArgs, global: &GlobalSettings) -> Result<Self, CliError> {
        let (root, project) = load_project(global)?;
        let names: Vec<String> = if args.environments.is_empty() {
            let mut names: Vec<&String> = project.env.keys().collect();
            names.sort_by_key(|name| {
                crate::ci::production_gate(name, project.env[*name].protected).is_some()
            });
            names.into_iter().cloned().collect()
        } else {
            let mut seen = Vec::new();
            for name in &args.environments {
                environment_named(&project, name)?;
                if seen.contains(name) {
                    return Err(
                        CliError::usage(anyhow::anyhow!("`--env {name}` is given twice"))
                            .hinted("name each environment once, in the order they deploy"),
                    );
                }
                seen.push(name.clone());
            }
            seen
        };
        let mut targets = Vec::new();
        for name in names
            .iter()
            .map(Some)
            .chain(names.is_empty().then_some(None))
        {
            if let Some(name) = name
                && !name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                return Err(CliError::usage(anyhow::anyhow!(
                    "environment `{name}` cannot name a CI job: use lowercase letters, digits and `-`"
                ))
                .hinted(format!("rename `[env.{name}]` in `paas.toml`")));
            }
            let (deploy, _) = merged_deploy(&project, name.map(String::as_str))?;
            let section = name.and_then(|n| project.env.get(n));
            targets.push(crate::ci::Target {
                environment: name.cloned(),
                namespace: deploy
                    .namespace
                    .clone()
                    .unwrap_or_else(|| project.app.name.clone()),
                context: section.and_then(|s| s.context.clone()),
                gate: name.and_then(|n| {
                    crate::ci::production_gate(n, section.is_some_and(|s| s.protected))
                }),
            });
        }
        let branch = match &args.branch {
            Some(branch) => branch.clone(),
            None => crate::git::default_branch(&root).unwrap_or_else(|| "main".to_owned()),
        };
        if branch.is_empty()
            || branch.starts_with(['-', '/'])
            || !branch
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '/' | '-'))
        {
            return Err(CliError::usage(anyhow::anyhow!(
                "`{branch}` is not a branch name paas can write into a pipeline"
            ))
            .hinted("give `--branch` letters, digits and `.`, `_`, `/`, `-`"));
        }
        let install_command = args
            .install_command
            .clone()
            .or_else(|| global.user.ci.install_command.clone())
            .filter(|c| !c.trim().is_empty());
        let install_url = args
            .install_url
            .clone()
            .or_else(|| global.user.ci.install_url.clone())
            .filter(|u| !u.trim().is_empty());
        if let Some(url) = &install_url {
            names::check_line("install URL", url).map_err(|err| {
                CliError::usage(err).hinted("give `--install-url` one git URL, such as `https://git.example.com/tools/paas.git`")
            })?;
        }
        let install = match install_command {
            Some(command) => crate::ci::Install::Command(command),
            None => crate::ci::Install::Source {
                url: install_url,
                tag: format!("v{}", env!("CARGO_PKG_VERSION")),
            },
        };
        if args.token_duration < std::time::Duration::from_secs(600) {
            return Err(CliError::usage(anyhow::anyhow!(
                "`--token-duration` is shorter than 10m, the least Kubernetes issues a token for"
            ))
            .hinted("give `--token-duration 10m` or more (the default is 720h)"));
        }
        let registry_login = project
            .build
            .registry
            .as_deref()
            .map(|r| {
                crate::registry::reference::registry_of(&format!("{r}/{}", project.app.name))
                    .to_owned()
            })
            .filter(|host| !crate::registry::reference::is_loopback_host(host));
        // The pipeline file belongs at the repository's root; the jobs run in the project.
        let repo_root = crate::git::work_tree_root(&root).unwrap_or_else(|| root.clone());
        let project_dir = root
            .strip_prefix(&repo_root)
            .ok()
            .filter(|rel| !rel.as_os_str().is_empty())
            .map(|rel| rel.to_string_lossy().replace('\\', "/"));
        if let Some(dir) = &project_dir
            && !dir
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '/' | '-'))
        {
            return Err(CliError::usage(anyhow::anyhow!(
                "the project folder `{dir}` has characters paas cannot write into a pipeline"
            ))
            .hinted("use letters, digits and `.`, `_`, `/`, `-` in the folder's path"));
        }
        Ok(Self {
            plan: crate::ci::Plan {
                platform: match args.platform {
                    CiPlatform::Github => crate::ci::Platform::Github,
                    CiPlatform::Gitlab => crate::ci::Platform::Gitlab,
                },
                app: project.app.name.clone(),
                branch,
                targets,
                install,
                auth: if args.oidc {
                    crate::ci::Auth::Oidc {
                        audience: args.oidc_audience.clone(),
                    }
                } else {
                    crate::ci::Auth::Kubeconfig
                },
                registry_login,
                repository: crate::git::origin_path(&root),
                token_duration: crate::ci::go_duration(args.token_duration),
                version: env!("CARGO_PKG_VERSION").to_owned(),
                project_dir,
            },
            root: repo_root,
            force: args.force,
            dry_run: args.dry_run,
        })
    }
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
    /// Where the manifest templates go: the folder an existing `paas.toml` names, else
    /// `deploy` unless it holds manifests paas did not write.
    pub templates: Placement,
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
        let dir = global.resolve_dir(args.dir.as_ref());
        let templates = init_placement(&dir)?;
        Ok(Self {
            dir,
            templates,
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

/// Where `paas init` writes the manifest templates in `dir`: the folder its `paas.toml`
/// names when it has a readable one (the project is paas's already), else
/// [`templates::place`]'s choice.
fn init_placement(dir: &Path) -> Result<Placement, CliError> {
    let file = dir.join(config::PROJECT_FILE);
    if file.is_file()
        && let Ok(project) = config::load_project::<ProjectConfig>(&file)
    {
        return Ok(Placement {
            dir: templates_dir(&project)?,
            beside: None,
        });
    }
    templates::place(dir).map_err(|err| match &err {
        templates::PlacementError::Taken { .. } => CliError::usage(err).hinted(format!(
            "move those files, or write `templates = \"FOLDER\"` under `[app]` in `{}` and run `paas init` again",
            config::PROJECT_FILE
        )),
        templates::PlacementError::Io { .. } => CliError::failed(err),
    })
}

/// The project's templates folder, relative to its root: `[app] templates`, else `deploy`.
pub fn templates_dir(project: &ProjectConfig) -> Result<String, CliError> {
    let Some(dir) = &project.app.templates else {
        return Ok(templates::DEFAULT_DIR.to_owned());
    };
    templates::check_dir(dir).map_err(|reason| {
        CliError::usage(anyhow::anyhow!(
            "`app.templates` in `paas.toml` is invalid: {reason}"
        ))
        .hinted("name a folder inside the project, or remove the key for `deploy`")
    })?;
    Ok(dir.trim_end_matches('/').to_owned())
}

/// What `paas render` needs.
#[derive(Debug, Clone)]
pub struct RenderSettings {
    /// The project root (the folder of `paas.toml`).
    pub root: PathBuf,
    /// The manifest templates folder, relative to the root.
    pub templates_dir: String,
    /// The manifest templates (`FOLDER/NAME` → text).
    pub templates: BTreeMap<String, String>,
    /// Everything the templates see.
    pub context: ManifestContext,
    /// The component kinds.
    pub catalog: crate::component::Catalog,
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
        let (context, mut warnings) = manifest_context(
            &project,
            args.environment.as_deref(),
            args.namespace.as_deref(),
            args.image.as_deref(),
            &root,
            global,
            packs,
        )?;
        let templates_dir = templates_dir(&project)?;
        let (templates, skipped) = read_templates(&root, &templates_dir)?;
        warnings.extend(skipped);
        if let (Some(access), Some(ingress)) = (&context.access, &context.ingress)
            && access.ingress_namespace.is_none()
        {
            warnings.push(format!(
                "the NetworkPolicy rendered here lets in no ingress controller, so it refuses the traffic for `{}`: `paas up` finds the controller of ingress class `{}` in the cluster, `paas render` does not look; set `ingress_namespace` under `[access]` to render it here",
                ingress.host, ingress.class
            ));
        }
        Ok(Self {
            templates_dir,
            templates,
            root,
            context,
            catalog: global.catalog()?,
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
    /// Where it deploys.
    pub target: DeployTarget,
    /// The project root.
    pub root: PathBuf,
    /// The manifest templates (`deploy/NAME` → text).
    pub templates: BTreeMap<String, String>,
    /// The template values (the image is filled in after the push).
    pub context: ManifestContext,
    /// The component kinds.
    pub catalog: crate::component::Catalog,
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
    /// Move components to another major version.
    pub major: bool,
    /// Where a major upgrade keeps its dumps (with `major`).
    pub backup_dir: PathBuf,
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
        settings.major = args.major;
        if args.major {
            settings.backup_dir = match &args.backup_dir {
                Some(dir) => global.directory.join(dir),
                None => crate::config::default_backup_dir().ok_or_else(|| {
                    CliError::usage(anyhow::anyhow!(
                        "`--major` keeps a dump of the data, and there is no folder for it: neither `XDG_DATA_HOME` nor `HOME` is set"
                    ))
                    .hinted(format!("name a folder with `--backup-dir DIR` or `{}`", crate::env::BACKUP_DIR))
                })?,
            };
        }
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
        let target = DeployTarget::resolve(Some(&project), args);
        let environment = args
            .environment
            .as_deref()
            .and_then(|name| project.env.get(name));
        let repository = repository(&project, args.environment.as_deref(), target.is_docker())?;
        let kube_context = kube_context(environment.and_then(|e| e.context.clone()), args)?;
        // The built-in `local` has no overrides unless `paas.toml` declares it.
        let overrides = args
            .environment
            .as_deref()
            .filter(|name| project.env.contains_key(*name));
        let overrides = match &target {
            DeployTarget::Docker { .. } => overrides,
            DeployTarget::Cluster => args.environment.as_deref(),
        };
        let (context, mut warnings) = manifest_context(
            &project,
            overrides,
            args.namespace.as_deref(),
            Some(&format!("{repository}:pending")),
            &root,
            global,
            packs,
        )?;
        let (templates, skipped) = read_templates(&root, &templates_dir(&project)?)?;
        warnings.extend(skipped);
        let protected = environment.is_some_and(|e| e.protected);
        let environment = match &target {
            DeployTarget::Docker { environment, .. } => Some(environment.clone()),
            DeployTarget::Cluster => args.environment.clone(),
        };
        Ok(Self {
            target,
            root,
            templates,
            namespace: context.namespace.clone(),
            context,
            catalog: global.catalog()?,
            repository,
            environment,
            kube_context,
            protected,
            timeout: std::time::Duration::from_secs(300),
            atomic: false,
            force_conflicts: false,
            major: false,
            backup_dir: PathBuf::new(),
            yes: global.yes,
            user: who(),
            warnings,
        })
    }
}

/// Returns `<registry>/<app>` for `environment`: its `registry`, else `[build] registry`.
fn repository(
    project: &ProjectConfig,
    environment: Option<&str>,
    local: bool,
) -> Result<String, CliError> {
    let own = environment
        .and_then(|name| project.env.get(name))
        .and_then(|e| e.registry.clone());
    let (registry, field) = match (own, environment) {
        (Some(registry), Some(name)) => (registry, format!("[env.{name}] registry")),
        _ => match project.build.registry.clone() {
            Some(registry) => (registry, "[build] registry".to_owned()),
            // The local target pushes nothing: the image only needs a name.
            None if local => (
                defaults::LOCAL_REGISTRY.to_owned(),
                "[build] registry".to_owned(),
            ),
            None => {
                return Err(CliError::usage(anyhow::anyhow!(
                    "`paas.toml` names no registry to push the image to"
                ))
                .hinted(
                    "add `registry = \"registry.example.com/team\"` under `[build]` in `paas.toml`",
                ));
            }
        },
    };
    names::check_registry(&registry)
        .map_err(|err| CliError::usage(err).hinted(format!("fix `{field}` in `paas.toml`")))?;
    Ok(format!("{registry}/{}", project.app.name))
}

/// What `paas promote` needs: where the source release is, and everything a deploy to the
/// target environment needs, resolved with the target's values.
#[derive(Debug, Clone)]
pub struct PromoteSettings {
    /// The source environment.
    pub from: String,
    /// The source's app, namespace and kube context.
    pub source: AppSettings,
    /// The release to promote (default: the source's live one).
    pub revision: Option<u32>,
    /// The deploy to the target environment, as `paas up --env TO` would resolve it.
    pub target: UpSettings,
}

impl PromoteSettings {
    /// Resolves both environments from `paas.toml`; refuses `--from` = `--to`, unknown
    /// environments, and two environments that are the same namespace of the same cluster.
    pub fn resolve(
        args: &crate::cli::PromoteArgs,
        global: &GlobalSettings,
        packs: &PackSet,
    ) -> Result<Self, CliError> {
        if args.from == args.to {
            return Err(CliError::usage(anyhow::anyhow!(
                "`--from` and `--to` both name environment `{}`: a promotion goes from one environment to another",
                args.from
            ))
            .hinted("name the environment to deploy to with `--to`, such as `--from staging --to prod`"));
        }
        if args.revision == Some(0) {
            return Err(CliError::usage(anyhow::anyhow!(
                "there is no release 0: revisions start at 1"
            ))
            .hinted(format!(
                "`paas history --env {}` lists the releases; leave out `--revision` for the live one",
                args.from
            )));
        }
        let target_of = |environment: &str| TargetArgs {
            environment: Some(environment.to_owned()),
            namespace: None,
            context: None,
        };
        let source = AppSettings::resolve_target(&target_of(&args.from), None, global)?;
        if source.root.is_none() {
            return Err(CliError::usage(anyhow::anyhow!(
                "`paas promote` needs the environments of a `paas.toml`, and there is none in `{}` or its parents",
                global.directory.display()
            ))
            .hinted("run it in the project, or use `-C DIR`"));
        }
        let to = AppSettings::resolve_target(&target_of(&args.to), None, global)?;
        for (settings, name) in [(&source, &args.from), (&to, &args.to)] {
            if settings.target.is_docker() {
                return Err(CliError::usage(anyhow::anyhow!(
                    "environment `{name}` runs on the local Docker engine: `paas promote` moves a release between cluster environments"
                ))
                .hinted("`paas up` builds and runs the app on the local target; promote between the environments of a cluster"));
            }
        }
        if source.namespace == to.namespace && source.kube_context == to.kube_context {
            return Err(CliError::usage(anyhow::anyhow!(
                "environments `{}` and `{}` are the same place ({}, {}): there is nothing to promote to",
                args.from,
                args.to,
                source.namespace.as_deref().map_or_else(|| "the kube context's namespace".to_owned(), |n| format!("namespace `{n}`")),
                source.kube_context.as_deref().map_or_else(|| "the current kube context".to_owned(), |c| format!("kube context `{c}`")),
            ))
            .hinted(format!("give `[env.{}]` a namespace or a context of its own in `paas.toml`", args.to)));
        }
        let mut target = UpSettings::resolve_target(&target_of(&args.to), global, packs)?;
        target.timeout = args.timeout;
        target.atomic = args.atomic;
        target.force_conflicts = args.force_conflicts;
        Ok(Self {
            from: args.from.clone(),
            source,
            revision: args.revision,
            target,
        })
    }
}

/// What the commands that work on a deployed app (`logs`, `status`, `history`, `scale`,
/// `rollback`, `down`) need: which app, and where. `paas.toml` is read when there is one;
/// with `--app` none is needed.
#[derive(Debug, Clone)]
pub struct AppSettings {
    /// Where the app runs.
    pub target: DeployTarget,
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
        Self::resolve_target(&args.target, args.app.as_deref(), global)
    }

    /// Resolves as [`Self::resolve`] does, from the target flags and the app, if given.
    pub fn resolve_target(
        target: &TargetArgs,
        app: Option<&str>,
        global: &GlobalSettings,
    ) -> Result<Self, CliError> {
        let project = match config::find_project_file(&global.directory) {
            Some(_) => Some(load_project(global)?),
            None => None,
        };
        let Some((root, project)) = project else {
            let Some(app) = app.map(str::to_owned) else {
                return Err(CliError::usage(anyhow::anyhow!(
                    "no `paas.toml` in `{}` or its parents, and no `--app`",
                    global.directory.display()
                ))
                .hinted(
                    "run this in the project, use `-C DIR`, or name the app with `--app NAME`",
                ));
            };
            if let Some(environment) = &target.environment
                && environment != defaults::LOCAL_ENVIRONMENT
            {
                return Err(CliError::usage(anyhow::anyhow!(
                    "`--env {environment}` needs the environments of a `paas.toml`, and there is none"
                ))
                .hinted("use `--namespace` and `--context` instead, or run this in the project"));
            }
            check_app(&app)?;
            let namespace = target.namespace.clone();
            check_namespace(namespace.as_deref())?;
            return Ok(Self {
                target: DeployTarget::resolve(None, target),
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
        let app = app.map_or_else(|| project.app.name.clone(), str::to_owned);
        check_app(&app)?;
        let mut namespace = project.deploy.namespace.clone();
        let mut bound = None;
        let mut protected = false;
        let deploy_target = DeployTarget::resolve(Some(&project), target);
        if let Some(name) = &target.environment
            && (!deploy_target.is_docker() || project.env.contains_key(name))
        {
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
            target: deploy_target,
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

/// Where `paas access` looks: a namespace and kube context, from the flags and, when there is
/// one, `paas.toml` (its namespace and environments); no app is needed.
#[derive(Debug, Clone)]
pub struct AccessSettings {
    /// The namespace, when flags or `paas.toml` name one (else the kube context's).
    pub namespace: Option<String>,
    /// The kube context, when flags or the environment name one.
    pub kube_context: Option<String>,
    /// `paas access check`'s settings, for that subcommand.
    pub check: Option<ProbeSettings>,
}

/// What `paas access check` needs beside the namespace.
#[derive(Debug, Clone)]
pub struct ProbeSettings {
    /// Exit 1 when policies are not enforced.
    pub strict: bool,
    /// The probe image.
    pub image: String,
    /// How long the probes may take to start.
    pub start_timeout: std::time::Duration,
    /// How long the enforcer may take.
    pub settle: std::time::Duration,
}

impl AccessSettings {
    /// Resolves `paas access [check]`: the subcommand's target flags win over the parent's.
    pub fn resolve(
        args: &crate::cli::AccessArgs,
        global: &GlobalSettings,
    ) -> Result<Self, CliError> {
        let (target, check) = match &args.command {
            Some(crate::cli::AccessCommand::Check(check)) => {
                let merged = TargetArgs {
                    environment: check
                        .target
                        .environment
                        .clone()
                        .or(args.target.environment.clone()),
                    namespace: check
                        .target
                        .namespace
                        .clone()
                        .or(args.target.namespace.clone()),
                    context: check.target.context.clone().or(args.target.context.clone()),
                };
                if check.image.trim().is_empty() {
                    return Err(
                        CliError::usage(anyhow::anyhow!("`--image` is empty")).hinted(
                            "name a busybox image, such as `busybox:1.37` or your mirror of it",
                        ),
                    );
                }
                (
                    merged,
                    Some(ProbeSettings {
                        strict: check.strict,
                        image: check.image.clone(),
                        start_timeout: check.timeout,
                        settle: check.settle,
                    }),
                )
            }
            None => (
                TargetArgs {
                    environment: args.target.environment.clone(),
                    namespace: args.target.namespace.clone(),
                    context: args.target.context.clone(),
                },
                None,
            ),
        };
        if config::find_project_file(&global.directory).is_some() {
            let app = AppSettings::resolve_target(&target, None, global)?;
            return Ok(Self {
                namespace: app.namespace,
                kube_context: app.kube_context,
                check,
            });
        }
        if let Some(environment) = &target.environment {
            return Err(CliError::usage(anyhow::anyhow!(
                "`--env {environment}` needs the environments of a `paas.toml`, and there is none"
            ))
            .hinted("use `--namespace` and `--context` instead, or run this in the project"));
        }
        check_namespace(target.namespace.as_deref())?;
        Ok(Self {
            namespace: target.namespace,
            kube_context: target.context,
            check,
        })
    }
}

/// What `paas domains` checks, resolved from its flags, `paas.toml` and the user config.
#[derive(Debug, Clone)]
pub struct DomainsSettings {
    /// Which app, and where.
    pub app: AppSettings,
    /// The hosts `paas.toml` names for the environment (with `www.` pairs), when there is one.
    pub configured_hosts: Option<Vec<String>>,
    /// The resolvers to compare and how long a query may take.
    pub dns: crate::domains::dns::DnsSettings,
    /// Check again until all is ok.
    pub wait: bool,
    /// How long `--wait` waits.
    pub timeout: std::time::Duration,
}

impl DomainsSettings {
    /// Resolves the app (as [`AppSettings`] does), its hosts and the resolvers: `--resolver`
    /// (or `PAAS_DNS_RESOLVERS`), else `dns_resolvers` in the user config, else the public
    /// defaults. A `paas.toml` that names no host is a usage error.
    pub fn resolve(args: &DomainsArgs, global: &GlobalSettings) -> Result<Self, CliError> {
        let app = AppSettings::resolve(&args.app, global)?;
        let configured_hosts = match &app.root {
            Some(_) => {
                let (_, project) = load_project(global)?;
                let (deploy, hosts) = merged_deploy(&project, app.environment.as_deref())?;
                check_deploy_values(&project, app.environment.as_deref(), &deploy, &hosts)?;
                let hosts = app_hosts(&project, app.environment.as_deref())?;
                if hosts.is_empty() {
                    return Err(CliError::usage(anyhow::anyhow!(
                        "`paas.toml` names no public host for `{}`",
                        app.app
                    ))
                    .hinted(
                        "add `hosts = [\"shop.example.com\"]` under `[ingress]` and run `paas up`",
                    ));
                }
                Some(hosts)
            }
            None => None,
        };
        let (given, from) = if args.resolvers.is_empty() {
            (
                global.user.dns_resolvers.clone(),
                "`dns_resolvers` in the user config",
            )
        } else {
            (args.resolvers.clone(), "`--resolver`")
        };
        let given: Vec<String> = if given.is_empty() {
            crate::domains::dns::DEFAULT_RESOLVERS
                .iter()
                .map(|s| (*s).to_owned())
                .collect()
        } else {
            given
        };
        let resolvers = given
            .iter()
            .map(|text| parse_resolver(text).ok_or_else(|| {
                CliError::usage(anyhow::anyhow!(
                    "{from} names `{text}`, which is not a resolver address"
                ))
                .hinted(format!(
                    "give an IP address, optionally with a port: `1.1.1.1`, `127.0.0.1:5353`, `[2606:4700:4700::1111]:53` (`{}` takes them separated by commas)",
                    crate::env::DNS_RESOLVERS
                ))
            }))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            app,
            configured_hosts,
            dns: crate::domains::dns::DnsSettings {
                resolvers,
                timeout: std::time::Duration::from_secs(3),
            },
            wait: args.wait,
            timeout: args.timeout,
        })
    }
}

/// `1.1.1.1`, `127.0.0.1:5353`, `::1`, `[::1]:53` → a socket address (port 53 by default).
fn parse_resolver(text: &str) -> Option<std::net::SocketAddr> {
    let text = text.trim();
    if let Ok(address) = text.parse::<std::net::SocketAddr>() {
        return Some(address);
    }
    text.trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<std::net::IpAddr>()
        .ok()
        .map(|ip| std::net::SocketAddr::new(ip, 53))
}

/// What `paas secret set` and `unset` do, resolved from their flags.
#[derive(Debug, Clone)]
pub struct SecretSettings {
    /// Which app, and where.
    pub app: AppSettings,
    /// The key, checked ([`names::check_secret_key`]).
    pub key: String,
    /// The value given as `KEY=VALUE` on the command line, if it was.
    pub inline_value: Option<crate::deploy::secrets::SecretValue>,
    /// Roll the pods out with the change.
    pub rollout: bool,
    /// How long to wait for the rollout.
    pub timeout: std::time::Duration,
}

impl SecretSettings {
    /// Resolves `paas secret set` (`allow_value`: `KEY=VALUE` gives the value) or `unset`.
    /// Only the key is ever shown in an error, never what follows the `=`.
    pub fn resolve(
        app: &AppArgs,
        key: &str,
        rollout: &crate::cli::SecretRolloutArgs,
        allow_value: bool,
        global: &GlobalSettings,
    ) -> Result<Self, CliError> {
        let (key, inline_value) = split_key_value(key);
        if inline_value.is_some() && !allow_value {
            return Err(CliError::usage(anyhow::anyhow!(
                "`paas secret unset` takes a key, not `KEY=VALUE`"
            ))
            .hinted(format!("run `paas secret unset {}`", names::shown(key))));
        }
        names::check_secret_key(key).map_err(|err| {
            CliError::usage(err).hinted("`paas secret list` shows the keys there are")
        })?;
        Ok(Self {
            app: AppSettings::resolve(app, global)?,
            key: key.to_owned(),
            inline_value: inline_value
                .map(|v| crate::deploy::secrets::SecretValue::new(v.as_bytes().to_vec())),
            rollout: !rollout.no_rollout,
            timeout: rollout.timeout,
        })
    }
}

/// Splits `KEY=VALUE` at the first `=`; a plain `KEY` has no value.
#[must_use]
pub fn split_key_value(argument: &str) -> (&str, Option<&str>) {
    match argument.split_once('=') {
        Some((key, value)) => (key, Some(value)),
        None => (argument, None),
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

/// What `paas add` needs: the project file, its app, and the component asked for.
#[derive(Debug, Clone)]
pub struct AddSettings {
    /// The project's `paas.toml`.
    pub file: PathBuf,
    /// The kind.
    pub kind: String,
    /// The component's name (the kind unless `--name`).
    pub name: String,
    /// The version asked for.
    pub version: Option<String>,
    /// The catalog.
    pub catalog: crate::component::Catalog,
}

impl AddSettings {
    /// Resolves `paas add`'s arguments.
    pub fn resolve(args: &AddArgs, global: &GlobalSettings) -> Result<Self, CliError> {
        Ok(Self {
            file: project_file(global)?,
            kind: args.kind.clone(),
            name: args.name.clone().unwrap_or_else(|| args.kind.clone()),
            version: args.version.clone(),
            catalog: global.catalog()?,
        })
    }
}

/// What `paas remove` needs: the project file, the component, and where its data lives.
#[derive(Debug, Clone)]
pub struct RemoveSettings {
    /// The project's `paas.toml`.
    pub file: PathBuf,
    /// The component.
    pub name: String,
    /// Delete its volumes, password and objects too.
    pub delete_data: bool,
    /// The app and where it runs.
    pub app: AppSettings,
}

impl RemoveSettings {
    /// Resolves `paas remove`'s arguments.
    pub fn resolve(args: &RemoveArgs, global: &GlobalSettings) -> Result<Self, CliError> {
        let file = project_file(global)?;
        Ok(Self {
            file,
            name: args.name.clone(),
            delete_data: args.delete_data,
            app: AppSettings::resolve_target(&args.target, None, global)?,
        })
    }
}

/// Returns the project's `paas.toml`, or an error saying there is none.
fn project_file(global: &GlobalSettings) -> Result<PathBuf, CliError> {
    config::find_project_file(&global.directory).ok_or_else(|| {
        CliError::usage(anyhow::anyhow!(
            "no `paas.toml` in `{}` or its parents",
            global.directory.display()
        ))
        .hinted("run `paas init` first, or `-C DIR` to point at the project")
    })
}

/// What `paas backup` does, resolved from its flags.
#[derive(Debug)]
pub struct BackupSettings {
    /// Which app, and where.
    pub app: AppSettings,
    /// The component.
    pub name: String,
    /// The file, when `-o` names one (else one is named after the app, component and time).
    pub file: Option<PathBuf>,
    /// Replace the file.
    pub force: bool,
    /// The component kinds, with their backup scripts.
    pub catalog: crate::component::Catalog,
}

impl BackupSettings {
    /// Resolves the app and checks the component's name.
    pub fn resolve(
        args: &crate::cli::BackupArgs,
        global: &GlobalSettings,
    ) -> Result<Self, CliError> {
        let app = AppSettings::resolve(&args.app, global)?;
        check_component_name(&args.name)?;
        Ok(Self {
            app,
            name: args.name.clone(),
            file: args.file.as_ref().map(|f| global.directory.join(f)),
            force: args.force,
            catalog: global.catalog()?,
        })
    }
}

/// What `paas restore` does, resolved from its flags.
#[derive(Debug)]
pub struct RestoreSettings {
    /// Which app, and where.
    pub app: AppSettings,
    /// The component.
    pub name: String,
    /// The dump.
    pub file: PathBuf,
    /// The dump as the user named it, for messages.
    pub shown: String,
    /// The component kinds, with their restore scripts.
    pub catalog: crate::component::Catalog,
}

impl RestoreSettings {
    /// Resolves the app, checks the component's name and that the file exists.
    pub fn resolve(
        args: &crate::cli::RestoreArgs,
        global: &GlobalSettings,
    ) -> Result<Self, CliError> {
        let app = AppSettings::resolve(&args.app, global)?;
        check_component_name(&args.name)?;
        let file = global.directory.join(&args.file);
        if !file.is_file() {
            return Err(CliError::usage(anyhow::anyhow!(
                "`{}` is not a file",
                args.file.display()
            ))
            .hinted("name a file that `paas backup` wrote"));
        }
        Ok(Self {
            app,
            name: args.name.clone(),
            file,
            shown: args.file.display().to_string(),
            catalog: global.catalog()?,
        })
    }
}

fn check_component_name(name: &str) -> Result<(), CliError> {
    if names::is_label(name) {
        Ok(())
    } else {
        Err(CliError::usage(anyhow::anyhow!(
            "`{}` is not a component name",
            names::shown(name)
        ))
        .hinted("a component is named by its key under `[components]` in `paas.toml`, a DNS label such as `db`"))
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
    /// The component whose pods are read, instead of the app's own.
    pub component: Option<String>,
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
            component: args.component.clone(),
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

/// Reads every `*.yaml` / `*.yml` template in `dir` (relative to the project `root`), keyed
/// by `DIR/NAME`. Another tool's control file (a Helm `Chart.yaml`, a `kustomization.yaml`) is
/// never a template: it is left out, with a warning in the list returned.
pub fn read_templates(
    root: &Path,
    dir: &str,
) -> Result<(BTreeMap<String, String>, Vec<String>), CliError> {
    let folder = root.join(dir);
    let entries = fs_err::read_dir(&folder).map_err(|err| {
        CliError::usage(anyhow::Error::new(err)).hinted(format!(
            "run `paas init` to write the manifest templates under `{dir}/`"
        ))
    })?;
    let project = Root::project(root);
    let mut found = BTreeMap::new();
    let mut warnings = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|err| CliError::failed(anyhow::Error::new(err)))?;
        let path = entry.path();
        let is_yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
        if !is_yaml || !path.is_file() {
            continue;
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let file = format!("{dir}/{name}");
        if let Some(other) = templates::other_tool(&name, &file) {
            warnings.push(format!(
                "`{file}` belongs to {}, not to paas; it is not read as a template (`paas init` in a new project writes paas's templates to `{}/` beside such a folder)",
                other.what(),
                templates::SEPARATE_DIR
            ));
            continue;
        }
        let text = project
            .read_to_string(&path)
            .map_err(|err| file_error(&path, err))?;
        found.insert(file, text);
    }
    if found.is_empty() {
        return Err(CliError::usage(anyhow::anyhow!(
            "no manifest templates in `{}`",
            folder.display()
        ))
        .hinted("run `paas init --force` to write them again"));
    }
    Ok((found, warnings))
}

/// Resolves the values the manifest templates see from `paas.toml`, one of its environments
/// and the flags, and has [`values::build`] check them and build the template values.
pub fn manifest_context(
    project: &ProjectConfig,
    environment: Option<&str>,
    namespace_flag: Option<&str>,
    image_flag: Option<&str>,
    root: &Path,
    global: &GlobalSettings,
    packs: &PackSet,
) -> Result<(ManifestContext, Vec<String>), CliError> {
    let (deploy, hosts) = merged_deploy(project, environment)?;
    let mut warnings = check_deploy_values(project, environment, &deploy, &hosts)?;
    let inputs = value_inputs(
        project,
        environment,
        namespace_flag,
        image_flag,
        root_version(root),
        &global.user,
    )?;
    let (mut context, more) =
        values::build(&inputs, packs).map_err(|err| values_error(err, &project.app.pack))?;
    warnings.extend(more);
    if !project.components.is_empty() {
        let catalog = global.catalog()?;
        let components = crate::component::contexts(
            &project.app.name,
            environment,
            context.namespace.as_deref(),
            &project.components,
            &catalog,
        )
        .map_err(component_error)?;
        let connection_strings = packs
            .get(&project.app.pack)
            .is_ok_and(|pack| pack.manifest.connection_strings);
        context.app_env =
            crate::component::wiring::app_env(&components, &catalog, connection_strings);
        for component in &components {
            let name = &component.component.name;
            let variables = [
                crate::component::wiring::password_variable(name),
                component.component.env.clone(),
                crate::component::wiring::connection_string_variable(name),
            ];
            if let Some(variable) = variables
                .iter()
                .find(|v| context.deploy.env.contains_key(*v))
            {
                return Err(component_error(
                    crate::component::ComponentError::SetTwice {
                        variable: variable.clone(),
                        name: name.clone(),
                    },
                ));
            }
        }
        context.components = components;
    }
    Ok((context, warnings))
}

/// Returns `[deploy]` with the environment's overrides merged in, and the hosts as declared
/// (`host` then `hosts`; an environment that names any replaces `[ingress]`'s), without the
/// `www.` pairing ([`app_hosts`] adds it).
fn merged_deploy(
    project: &ProjectConfig,
    environment: Option<&str>,
) -> Result<(config::DeploySection, Vec<String>), CliError> {
    let mut deploy = project.deploy.clone();
    let mut hosts = project
        .ingress
        .as_ref()
        .map(config::IngressSection::declared_hosts)
        .unwrap_or_default();
    if let Some(name) = environment {
        let overrides = environment_named(project, name)?;
        merge_deploy(&mut deploy, &overrides.deploy);
        if overrides.host.is_some() || !overrides.hosts.is_empty() {
            hosts = overrides.host.iter().cloned().collect();
            hosts.extend(overrides.hosts.iter().cloned());
        }
    }
    Ok((deploy, hosts))
}

/// The app's public hosts in an environment: the one home of that list. The declared hosts
/// (see [`merged_deploy`]), each apex paired with its `www.` host and back when `www = true`.
pub fn app_hosts(
    project: &ProjectConfig,
    environment: Option<&str>,
) -> Result<Vec<String>, CliError> {
    let (_, hosts) = merged_deploy(project, environment)?;
    let www = project.ingress.as_ref().is_some_and(|i| i.www);
    Ok(if www {
        crate::domains::plan::pair_www(&hosts)
    } else {
        hosts
    })
}

/// Resolves the app's values by precedence: flags (and the `PAAS_*` variables clap reads as
/// their defaults), then `[env.NAME]`, then `paas.toml`, then the user config, then the
/// defaults. Nothing is checked here but that the environment exists.
pub fn value_inputs(
    project: &ProjectConfig,
    environment: Option<&str>,
    namespace_flag: Option<&str>,
    image_flag: Option<&str>,
    version: String,
    user: &UserConfig,
) -> Result<ValueInputs, CliError> {
    let (deploy, _) = merged_deploy(project, environment)?;
    let hosts = app_hosts(project, environment)?;
    let namespace = namespace_flag
        .map(str::to_owned)
        .or(deploy.namespace.clone());
    let ingress = (!hosts.is_empty()).then(|| {
        let section = project.ingress.clone().unwrap_or_default();
        let issuer = section.issuer.clone().filter(|_| section.tls);
        let tls_secret = section.tls_secret.clone().or_else(|| {
            issuer
                .as_ref()
                .map(|_| crate::names::tls_secret_name(&project.app.name))
        });
        let mut annotations = BTreeMap::new();
        if let Some(issuer) = issuer {
            let key = match section.issuer_kind.unwrap_or_default() {
                config::IssuerKind::ClusterIssuer => crate::domains::CLUSTER_ISSUER_ANNOTATION,
                config::IssuerKind::Issuer => crate::domains::ISSUER_ANNOTATION,
            };
            annotations.insert(key.to_owned(), issuer);
        }
        IngressValues {
            host: hosts[0].clone(),
            hosts: hosts.clone(),
            class: section
                .class
                .or(user.ingress_class.clone())
                .unwrap_or_else(|| defaults::INGRESS_CLASS.into()),
            path: section.path.unwrap_or_else(|| "/".into()),
            tls_secret,
            annotations,
        }
    });
    let access = project
        .access
        .as_ref()
        .map(|access| {
            Ok::<_, CliError>(AccessValues {
                allow_from: access.allow_from.clone(),
                ingress_namespace: access.ingress_namespace.clone(),
                ingress_pods: BTreeMap::new(),
                ingress_addresses: Vec::new(),
                egress: access
                    .egress
                    .as_deref()
                    .map(crate::access::egress_values)
                    .transpose()
                    .map_err(|err| {
                        CliError::usage(err)
                            .context("`[access] egress` in `paas.toml` is invalid")
                            .hinted("list app names such as `billing` and address blocks such as `203.0.113.0/24` or `203.0.113.7/32:443`; the cluster DNS and the app's components are always let through")
                    })?,
            })
        })
        .transpose()?;
    let company = user
        .packs
        .get(&project.app.pack)
        .cloned()
        .unwrap_or_default();
    Ok(ValueInputs {
        name: project.app.name.clone(),
        port: project.app.port,
        pack: project.app.pack.clone(),
        environment: environment.map(str::to_owned),
        namespace,
        image: image_flag.map(str::to_owned),
        registry: environment
            .and_then(|name| project.env.get(name))
            .and_then(|e| e.registry.clone())
            .or_else(|| project.build.registry.clone()),
        version,
        deploy: DeployInputs {
            replicas: deploy.replicas.unwrap_or(defaults::REPLICAS),
            health_path: deploy.health_path,
            cpu_request: deploy
                .cpu_request
                .unwrap_or_else(|| defaults::CPU_REQUEST.into()),
            cpu_limit: deploy
                .cpu_limit
                .unwrap_or_else(|| defaults::CPU_LIMIT.into()),
            memory_request: deploy
                .memory_request
                .unwrap_or_else(|| defaults::MEMORY_REQUEST.into()),
            memory_limit: deploy
                .memory_limit
                .unwrap_or_else(|| defaults::MEMORY_LIMIT.into()),
            progress_deadline_seconds: deploy
                .progress_deadline
                .unwrap_or(defaults::PROGRESS_DEADLINE),
            env: deploy.env,
            autoscale: deploy.autoscale,
        },
        ingress,
        access,
        monitoring: project.monitoring.clone().unwrap_or_default(),
        pack_variables: vec![company, project.pack.clone()],
    })
}

/// Turns an invalid component declaration into a usage error with a hint.
pub(crate) fn component_error(err: crate::component::ComponentError) -> CliError {
    use crate::component::{CatalogError, ComponentError};
    let hint = match &err {
        ComponentError::Catalog {
            source: CatalogError::UnknownKind { .. },
            ..
        } => "`paas add --help` lists the kinds".to_owned(),
        ComponentError::Catalog { .. } => format!(
            "fix `{}` in `paas.toml`; the catalog's versions are listed above",
            err.field()
        ),
        ComponentError::Name(_) | ComponentError::TooLong { .. } => {
            "a component name is a short DNS label: lowercase letters, digits and '-'".to_owned()
        }
        ComponentError::SameVariable { .. } => {
            "give one of them another variable with `env = \"NAME\"` under its `[components.NAME]`"
                .to_owned()
        }
        ComponentError::SetTwice { .. } => {
            "remove the variable from `[deploy.env]`: paas sets it from the component".to_owned()
        }
        ComponentError::Invalid { .. } => format!("fix `{}` in `paas.toml`", err.field()),
    };
    CliError::usage(err).hinted(hint)
}

/// Turns a template value error into a usage error with a hint.
fn values_error(err: ValuesError, pack: &str) -> CliError {
    let hint = match &err {
        ValuesError::Invalid { field: "image", .. } => {
            "check `--image` or `[build] registry`".to_owned()
        }
        ValuesError::Invalid { .. } => "fix the value in `paas.toml`".to_owned(),
        ValuesError::Namespace { .. } => {
            "a namespace is a DNS label: lowercase letters, digits and '-'".to_owned()
        }
        ValuesError::Autoscale { .. } => {
            "use 1 <= min <= max and a CPU target in percent of the request, such as `cpu = 70`"
                .to_owned()
        }
        ValuesError::UnknownPack(_) => {
            "check `[app] pack` in `paas.toml`; `paas packs list` shows the packs".to_owned()
        }
        ValuesError::PackVariables(_) => format!("`paas packs show {pack}` lists the variables"),
        ValuesError::RunAsUser { .. } | ValuesError::Exporter { .. } => {
            return CliError::usage(err);
        }
    };
    CliError::usage(err).hinted(hint)
}

/// Checks the values of `[deploy]` (with the environment's overrides) and the host against what
/// Kubernetes and paas accept, so that a bad value stops paas before anything is built or
/// contacted; each error names the field. Returns the warnings: a host behind a `NetworkPolicy`
/// that does not let the ingress controller in.
fn check_deploy_values(
    project: &ProjectConfig,
    environment: Option<&str>,
    deploy: &config::DeploySection,
    hosts: &[String],
) -> Result<Vec<String>, CliError> {
    let overrides = environment.and_then(|name| project.env.get(name).map(|e| (name, e)));
    // Where a value came from: the environment's table when it sets it, else `section`.
    let field = |section: &str, name: &str, in_environment: bool| match overrides {
        Some((environment, _)) if in_environment => format!("env.{environment}.{name}"),
        _ => format!("{section}.{name}"),
    };
    let from_env = |pick: fn(&config::DeploySection) -> bool| {
        overrides.is_some_and(|(_, section)| pick(&section.deploy))
    };
    let invalid = |field: String, value: String, reason: String, hint: &str| {
        CliError::usage(anyhow::anyhow!(
            "`{field}` in `paas.toml` is {value}: {reason}"
        ))
        .hinted(hint)
    };
    if project.app.port == 0 {
        return Err(invalid(
            "app.port".into(),
            "`0`".into(),
            "a port is a number from 1 to 65535".into(),
            "set the port the app listens on, such as `port = 8080` under `[app]`",
        ));
    }
    if let Some(replicas) = deploy.replicas
        && i32::try_from(replicas).map_or(true, |r| r > MAX_REPLICAS)
    {
        return Err(invalid(
            field("deploy", "replicas", from_env(|d| d.replicas.is_some())),
            format!("`{replicas}`"),
            format!("at most {MAX_REPLICAS} replicas, the most `paas scale` sets"),
            "give a smaller count, or let an autoscaler decide with `autoscale = { min = 2, max = 10, cpu = 70 }`",
        ));
    }
    if let Some(autoscale) = deploy.autoscale {
        let count = |n: u32| Some(i32::try_from(n).unwrap_or(i32::MAX));
        let bounds = crate::deploy::scale::Scale {
            replicas: None,
            min: count(autoscale.min),
            max: count(autoscale.max),
            cpu: count(autoscale.cpu),
        };
        if let Err(err) = crate::deploy::scale::check_bounds(bounds) {
            return Err(CliError::usage(err)
                .context(format!(
                    "`{}` in `paas.toml` is invalid",
                    field("deploy", "autoscale", from_env(|d| d.autoscale.is_some()))
                ))
                .hinted("use 1 <= min <= max and a CPU target in percent of the request, such as `autoscale = { min = 2, max = 10, cpu = 70 }`"));
        }
    }
    if deploy.progress_deadline == Some(0) {
        return Err(invalid(
            field(
                "deploy",
                "progress_deadline",
                from_env(|d| d.progress_deadline.is_some()),
            ),
            "`0`".into(),
            "a rollout needs at least a second to make progress".into(),
            "give the seconds a rollout may go without progress, such as `progress_deadline = 300`",
        ));
    }
    let quantity = |name, set: &Option<String>, default, in_env| Quantity {
        name,
        value: set.clone().unwrap_or_else(|| String::from(default)),
        set: set.is_some(),
        in_env,
    };
    for (request, limit) in [
        (
            quantity(
                "cpu_request",
                &deploy.cpu_request,
                defaults::CPU_REQUEST,
                from_env(|d| d.cpu_request.is_some()),
            ),
            quantity(
                "cpu_limit",
                &deploy.cpu_limit,
                defaults::CPU_LIMIT,
                from_env(|d| d.cpu_limit.is_some()),
            ),
        ),
        (
            quantity(
                "memory_request",
                &deploy.memory_request,
                defaults::MEMORY_REQUEST,
                from_env(|d| d.memory_request.is_some()),
            ),
            quantity(
                "memory_limit",
                &deploy.memory_limit,
                defaults::MEMORY_LIMIT,
                from_env(|d| d.memory_limit.is_some()),
            ),
        ),
    ] {
        let (Some(request_amount), Some(limit_amount)) = (
            names::quantity_amount(&request.value),
            names::quantity_amount(&limit.value),
        ) else {
            continue;
        };
        if request_amount <= limit_amount {
            continue;
        }
        // Name the field the user set: the request, unless only the limit was set.
        let (named, reason) = if request.set || !limit.set {
            (&request, format!("above its limit {}", limit.shown()))
        } else {
            (&limit, format!("below the request {}", request.shown()))
        };
        return Err(invalid(
            field("deploy", named.name, named.in_env),
            format!("`{}`", named.value),
            reason,
            &format!(
                "a request cannot be above its limit: lower `{}` or raise `{}`",
                request.name, limit.name
            ),
        ));
    }
    let warnings = Vec::new();
    let in_env = overrides.is_some_and(|(_, e)| e.host.is_some() || !e.hosts.is_empty());
    // Name the key the host was written under: `host` or `hosts`.
    let host_field = |host: &str| {
        let single = match overrides {
            Some((_, e)) if in_env => e.host.as_deref() == Some(host),
            _ => project.ingress.as_ref().and_then(|i| i.host.as_deref()) == Some(host),
        };
        field("ingress", if single { "host" } else { "hosts" }, in_env)
    };
    check_ingress_section(project, hosts, &host_field)?;
    Ok(warnings)
}

/// Checks the hosts (each a DNS name, none twice), the `www.` pairing and the TLS keys of
/// `[ingress]`; `hosts_field` names the key a host came from.
fn check_ingress_section(
    project: &ProjectConfig,
    hosts: &[String],
    hosts_field: &dyn Fn(&str) -> String,
) -> Result<(), CliError> {
    let section = project.ingress.clone().unwrap_or_default();
    let usage =
        |message: String, hint: &str| CliError::usage(anyhow::anyhow!(message)).hinted(hint);
    let mut seen = std::collections::BTreeSet::new();
    for host in hosts {
        names::check_host(host).map_err(|err| {
            CliError::usage(err)
                .context(format!("`{}` in `paas.toml` is invalid", hosts_field(host)))
                .hinted(
                    "give the public DNS name the Ingress answers to, such as `shop.example.com`",
                )
        })?;
        if !seen.insert(host.as_str()) {
            return Err(usage(
                format!(
                    "`{}` in `paas.toml` names `{host}` twice",
                    hosts_field(host)
                ),
                "name each host once (`host` and `hosts` together make the list)",
            ));
        }
    }
    if hosts.is_empty() {
        if section.www || section.tls || section.issuer.is_some() {
            return Err(usage(
                "`[ingress]` in `paas.toml` sets `www`, `tls` or `issuer` but names no host".into(),
                "add the public host names, such as `hosts = [\"shop.example.com\"]`",
            ));
        }
        return Ok(());
    }
    if section.www
        && !hosts
            .iter()
            .any(|h| crate::domains::plan::www_pair(h).is_some())
    {
        return Err(usage(
            format!(
                "`ingress.www = true` pairs a domain with its `www.` host, but none of {} is a registered domain or its `www.` host",
                hosts
                    .iter()
                    .map(|h| format!("`{h}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            "list the domain itself (such as `example.com`) in `hosts`, or remove `www = true`",
        ));
    }
    if section.issuer.is_some() && !section.tls {
        return Err(usage(
            "`ingress.issuer` in `paas.toml` is set, but `tls` is not".into(),
            "add `tls = true` under `[ingress]` to serve HTTPS with the issuer's certificate",
        ));
    }
    if section.tls && section.issuer.is_none() && section.tls_secret.is_none() {
        return Err(usage(
            "`ingress.tls = true` in `paas.toml` needs a certificate: an `issuer` or a `tls_secret`".into(),
            "name cert-manager's issuer with `issuer = \"letsencrypt-prod\"`, or the Secret holding the certificate with `tls_secret = \"shop-tls\"`",
        ));
    }
    if let Some(issuer) = &section.issuer
        && !names::is_label(issuer)
        && !issuer.split('.').all(names::is_label)
    {
        return Err(usage(
            format!(
                "`ingress.issuer` in `paas.toml` is `{issuer}`: expected the name of a cert-manager issuer"
            ),
            "give the issuer's name as `kubectl get clusterissuers` shows it",
        ));
    }
    Ok(())
}

/// A resource quantity of `[deploy]` as [`check_deploy_values`] compares it.
struct Quantity {
    /// The key, e.g. `cpu_request`.
    name: &'static str,
    /// The value set, else the default.
    value: String,
    /// Whether `paas.toml` sets it.
    set: bool,
    /// Whether the environment's table sets it.
    in_env: bool,
}

impl Quantity {
    fn shown(&self) -> String {
        if self.set {
            format!("`{}`", self.value)
        } else {
            format!("`{}` (the default)", self.value)
        }
    }
}

fn root_version(root: &Path) -> String {
    crate::git::short_commit(root).unwrap_or_else(|| "dev".to_owned())
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
mod tests {
    use super::*;

    #[test]
    fn a_secret_argument_splits_at_the_first_equals_sign() {
        assert_eq!(split_key_value("API_TOKEN"), ("API_TOKEN", None));
        assert_eq!(split_key_value("A=b=c"), ("A", Some("b=c")));
        assert_eq!(split_key_value("A="), ("A", Some("")));
        assert_eq!(split_key_value("=x"), ("", Some("x")));
    }

    const PROJECT: &str = r#"
[app]
name = "web"
pack = "nginx"
port = 8080

[build]
registry = "127.0.0.1:5000/team"

[deploy]
namespace = "shop"
replicas = 2
cpu_request = "200m"
env = { MODE = "base", LEVEL = "info" }

[ingress]
host = "web.example.com"

[pack]
uid = 1001

[env.prod]
namespace = "shop-prod"
replicas = 5
host = "web.prod.example.com"
env = { MODE = "prod" }
"#;

    const USER: &str = r#"
ingress_class = "traefik"

[packs.nginx]
uid = 2002
spa = true
"#;

    fn project() -> ProjectConfig {
        config::parse(Path::new("paas.toml"), PROJECT).expect("paas.toml")
    }

    fn user() -> UserConfig {
        config::parse(Path::new("config.toml"), USER).expect("config.toml")
    }

    fn resolve(
        project: &ProjectConfig,
        environment: Option<&str>,
        namespace: Option<&str>,
        user: &UserConfig,
    ) -> ValueInputs {
        value_inputs(
            project,
            environment,
            namespace,
            None,
            "3f2a1c9".into(),
            user,
        )
        .expect("resolves")
    }

    #[test]
    fn hosts_pair_with_www_and_an_issuer_names_the_tls_secret() {
        let text = "[app]\nname = \"web\"\npack = \"nginx\"\n[ingress]\nhost = \"example.com\"\nhosts = [\"api.example.com\"]\nwww = true\ntls = true\nissuer = \"letsencrypt-prod\"\n[env.staging]\nhosts = [\"staging.example.com\"]\n";
        let project: ProjectConfig =
            config::parse(Path::new("paas.toml"), text).expect("paas.toml");
        assert_eq!(
            app_hosts(&project, None).expect("hosts"),
            ["example.com", "www.example.com", "api.example.com"]
        );
        // An environment that names hosts replaces them.
        assert_eq!(
            app_hosts(&project, Some("staging")).expect("hosts"),
            ["staging.example.com"]
        );
        let ingress = resolve(&project, None, None, &UserConfig::default())
            .ingress
            .expect("an ingress");
        assert_eq!(ingress.host, "example.com");
        assert_eq!(ingress.tls_secret.as_deref(), Some("web-tls"));
        assert_eq!(
            ingress
                .annotations
                .get(crate::domains::CLUSTER_ISSUER_ANNOTATION)
                .map(String::as_str),
            Some("letsencrypt-prod")
        );
        // A namespaced issuer takes the other annotation; a named secret wins over the derived one.
        let text = text.replace(
            "issuer = \"letsencrypt-prod\"\n",
            "issuer = \"ca\"\nissuer_kind = \"Issuer\"\ntls_secret = \"given\"\n",
        );
        let project: ProjectConfig =
            config::parse(Path::new("paas.toml"), &text).expect("paas.toml");
        let ingress = resolve(&project, None, None, &UserConfig::default())
            .ingress
            .expect("an ingress");
        assert_eq!(ingress.tls_secret.as_deref(), Some("given"));
        assert_eq!(
            ingress
                .annotations
                .get(crate::domains::ISSUER_ANNOTATION)
                .map(String::as_str),
            Some("ca")
        );
    }

    #[test]
    fn resolvers_take_an_ip_with_or_without_a_port() {
        assert_eq!(
            parse_resolver("1.1.1.1"),
            Some("1.1.1.1:53".parse().expect("addr"))
        );
        assert_eq!(
            parse_resolver("127.0.0.1:5353"),
            Some("127.0.0.1:5353".parse().expect("addr"))
        );
        assert_eq!(
            parse_resolver("::1"),
            Some("[::1]:53".parse().expect("addr"))
        );
        assert_eq!(
            parse_resolver("[::1]:54"),
            Some("[::1]:54".parse().expect("addr"))
        );
        assert_eq!(parse_resolver("dns.example"), None);
    }

    #[test]
    fn a_resolved_app_with_every_source() {
        // `--env prod` over `paas.toml` over the user config over the defaults.
        let inputs = resolve(&project(), Some("prod"), None, &user());
        insta::assert_yaml_snapshot!(inputs, @r#"
        name: web
        port: 8080
        pack: nginx
        environment: prod
        namespace: shop-prod
        image: ~
        registry: "127.0.0.1:5000/team"
        version: 3f2a1c9
        deploy:
          replicas: 5
          health_path: ~
          cpu_request: 200m
          cpu_limit: 500m
          memory_request: 128Mi
          memory_limit: 256Mi
          progress_deadline_seconds: 300
          env:
            LEVEL: info
            MODE: prod
          autoscale: ~
        ingress:
          host: web.prod.example.com
          hosts:
            - web.prod.example.com
          class: traefik
          path: /
          tls_secret: ~
          annotations: {}
        access: ~
        monitoring: {}
        pack_variables:
          - spa: true
            uid: 2002
          - uid: 1001
        "#);
    }

    #[test]
    fn each_source_yields_to_the_one_above() {
        let project = project();
        let user = user();
        // A flag (or the `PAAS_*` variable clap reads for it) over `[env.NAME]`.
        assert_eq!(
            resolve(&project, Some("prod"), Some("flagged"), &user)
                .namespace
                .as_deref(),
            Some("flagged")
        );
        // `[env.NAME]` over `paas.toml`.
        let prod = resolve(&project, Some("prod"), None, &user);
        assert_eq!(
            (prod.namespace.as_deref(), prod.deploy.replicas),
            (Some("shop-prod"), 5)
        );
        // `paas.toml` without an environment; its own values over the defaults.
        let base = resolve(&project, None, None, &user);
        assert_eq!(
            (base.namespace.as_deref(), base.deploy.replicas),
            (Some("shop"), 2)
        );
        assert_eq!(base.deploy.cpu_request, "200m");
        assert_eq!(base.deploy.cpu_limit, defaults::CPU_LIMIT);
        // `paas.toml` over the user config.
        let mut classed = project.clone();
        if let Some(ingress) = classed.ingress.as_mut() {
            ingress.class = Some("haproxy".into());
        }
        let class = |inputs: ValueInputs| inputs.ingress.map(|i| i.class);
        assert_eq!(
            class(resolve(&classed, None, None, &user)).as_deref(),
            Some("haproxy")
        );
        // The user config over the defaults.
        assert_eq!(
            class(resolve(&project, None, None, &user)).as_deref(),
            Some("traefik")
        );
        assert_eq!(
            class(resolve(&project, None, None, &UserConfig::default())).as_deref(),
            Some(defaults::INGRESS_CLASS)
        );
        // Pack variables: `paas.toml` is the last layer, so it wins.
        let (context, _) =
            values::build(&base, &PackSet::load(&[]).expect("packs")).expect("valid values");
        assert_eq!(context.deploy.run_as_user, 1001);
    }

    #[test]
    fn an_unknown_environment_is_refused() {
        let err = value_inputs(&project(), Some("qa"), None, None, "dev".into(), &user())
            .expect_err("no [env.qa]");
        assert_eq!(
            err.source.to_string(),
            "no environment `qa` in `paas.toml` (environments: `prod`)"
        );
    }

    #[test]
    fn paas_variables_are_the_flags_defaults() {
        // clap reads these variables only when the flag is absent, which is what puts them
        // below the flags and above every file.
        use clap::CommandFactory as _;
        let command = crate::cli::Cli::command();
        for (subcommand, flag, variable) in [
            ("render", "namespace", crate::env::NAMESPACE),
            ("render", "image", crate::env::IMAGE),
            ("render", "environment", crate::env::ENVIRONMENT),
            ("up", "namespace", crate::env::NAMESPACE),
            ("up", "environment", crate::env::ENVIRONMENT),
            ("diff", "image", crate::env::IMAGE),
        ] {
            let arg = command
                .find_subcommand(subcommand)
                .and_then(|c| c.get_arguments().find(|a| a.get_id() == flag))
                .unwrap_or_else(|| panic!("`paas {subcommand}` has `{flag}`"));
            assert_eq!(
                arg.get_env().and_then(|e| e.to_str()),
                Some(variable),
                "`paas {subcommand} --{flag}`"
            );
        }
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
