//! The `PAAS_*` environment variables, named in one place.
//!
//! clap reads the ones that mirror flags (`env = …` in [`crate::cli`]); the settings layer
//! reads the rest. Tests set [`NO_PROGRESS`].

/// The project directory (`-C`).
pub const DIRECTORY: &str = "PAAS_DIRECTORY";
/// `text` or `json` (`--output`).
pub const OUTPUT: &str = "PAAS_OUTPUT";
/// `auto`, `always` or `never` (`--color`).
pub const COLOR: &str = "PAAS_COLOR";
/// The environment of `paas.toml` to use (`--env`).
pub const ENVIRONMENT: &str = "PAAS_ENV";
/// The Kubernetes namespace (`--namespace`).
pub const NAMESPACE: &str = "PAAS_NAMESPACE";
/// The kube context (`--context`).
pub const CONTEXT: &str = "PAAS_CONTEXT";
/// A user config file to read instead of the default one (`--config`).
pub const CONFIG: &str = "PAAS_CONFIG";
/// Extra pack directories, separated like `PATH` (`--pack-path`).
pub const PACK_PATH: &str = "PAAS_PACK_PATH";
/// Answer yes to every confirmation (`--yes`).
pub const YES: &str = "PAAS_YES";
/// The pack to use in `paas init` / `paas detect` (`--pack`).
pub const PACK: &str = "PAAS_PACK";
/// The .NET project to use when a solution has several (`--project`).
pub const PROJECT: &str = "PAAS_PROJECT";
/// The app name (`--name`).
pub const NAME: &str = "PAAS_NAME";
/// The app the day-2 commands work on (`--app`).
pub const APP: &str = "PAAS_APP";
/// The container port (`--port`).
pub const PORT: &str = "PAAS_PORT";
/// The image registry (`--registry`).
pub const REGISTRY: &str = "PAAS_REGISTRY";
/// The public host name (`--host`).
pub const HOST: &str = "PAAS_HOST";
/// The image to render manifests with (`paas render --image`).
pub const IMAGE: &str = "PAAS_IMAGE";
/// How long a credential program (a kube exec plugin, a Docker credential helper) may run before
/// it is stopped: `90s`, `2m` (default 60s).
pub const CREDENTIAL_TIMEOUT: &str = "PAAS_CREDENTIAL_TIMEOUT";
/// Where `paas up --major` keeps the dumps of the data it moves (`--backup-dir`).
pub const BACKUP_DIR: &str = "PAAS_BACKUP_DIR";
/// The DNS resolvers `paas domains` compares, as `IP[:PORT]` separated by commas (default:
/// Cloudflare's, Google's and Quad9's public resolvers).
pub const DNS_RESOLVERS: &str = "PAAS_DNS_RESOLVERS";
/// The git URL of paas's sources the pipelines of `paas ci` install from (`--install-url`).
pub const CI_INSTALL_URL: &str = "PAAS_CI_INSTALL_URL";
/// The shell command the pipelines of `paas ci` install paas with (`--install-command`).
pub const CI_INSTALL_COMMAND: &str = "PAAS_CI_INSTALL_COMMAND";
/// Set to anything to turn off progress bars and spinners.
pub const NO_PROGRESS: &str = "PAAS_NO_PROGRESS";
/// The standard `NO_COLOR` convention.
pub const NO_COLOR: &str = "NO_COLOR";

/// The image of `paas access check`'s probe pods.
pub const PROBE_IMAGE: &str = "PAAS_PROBE_IMAGE";
