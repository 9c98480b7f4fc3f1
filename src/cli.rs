//! The command line: clap types only, no logic.
//!
//! The doc comments are the help text. Everything here is resolved into settings by
//! [`crate::settings`] before any work is done.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::env;

/// Build, ship and run an app on Kubernetes
///
/// paas detects what kind of project a folder holds, writes a Dockerfile and the
/// company-standard Kubernetes manifests for it, and renders those manifests with the
/// values of `paas.toml`.
#[derive(Debug, Parser)]
#[command(name = "paas", version, propagate_version = true, max_term_width = 100)]
#[command(after_help = "Start with `paas init` in your project folder. \
Exit codes: 0 success, 1 the operation failed, 2 usage or configuration error, 130 interrupted.")]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags every command takes.
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
#[expect(clippy::struct_excessive_bools, reason = "clap flags")]
pub struct GlobalArgs {
    /// Run as if paas was started in DIR
    #[arg(short = 'C', long = "directory", global = true, value_name = "DIR", env = env::DIRECTORY)]
    pub directory: Option<PathBuf>,

    /// How to print results: `text` for people, `json` for programs
    #[arg(long, global = true, value_enum, env = env::OUTPUT, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,

    /// When to use colors (`NO_COLOR` is honoured)
    #[arg(long, global = true, value_enum, env = env::COLOR, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Print only errors and data
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Print more about what is being done
    #[arg(long, short, global = true)]
    pub verbose: bool,

    /// Answer yes to every question (when not on a terminal nothing is asked)
    #[arg(long, short = 'y', global = true, env = env::YES)]
    pub yes: bool,

    /// Read user settings from FILE instead of `~/.config/paas/config.toml`
    #[arg(long, global = true, value_name = "FILE", env = env::CONFIG, conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Read no user settings file
    #[arg(long, global = true)]
    pub no_config: bool,

    /// Look for company packs in DIR before the bundled ones (can be repeated)
    #[arg(long, global = true, value_name = "DIR", env = env::PACK_PATH, value_delimiter = ':')]
    pub pack_path: Vec<PathBuf>,
}

/// The format of results on stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Text for people
    Text,
    /// One JSON document for programs
    Json,
}

/// When to color the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Color when writing to a terminal and `NO_COLOR` is not set
    Auto,
    /// Always color
    Always,
    /// Never color
    Never,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Detect the project type and write a Dockerfile, paas.toml and Kubernetes manifests
    ///
    /// On a terminal paas asks for what it cannot detect; otherwise every answer comes
    /// from flags, `PAAS_*` variables or defaults. Nothing is overwritten without `--force`.
    ///
    /// Example: `paas init --name shop --registry registry.example.com/team --host shop.example.com`
    Init(InitArgs),

    /// Show which pack fits the project, and why
    ///
    /// Prints the chosen pack, the files and values that decided it, the other packs that
    /// also matched and the projects that were set aside.
    ///
    /// Example: `paas detect ./src/shop --output json`
    Detect(DetectArgs),

    /// Render the manifests under `deploy/` with the values of `paas.toml`
    ///
    /// Every value goes in as a quoted scalar; the result is checked against the Kubernetes
    /// types before it is printed. Without `-o` the manifests go to stdout as one YAML stream.
    ///
    /// Example: `paas render --env prod -o out/`
    Render(RenderArgs),

    /// Build, push and deploy the app, then wait until it runs
    ///
    /// Builds the image through the Docker Engine (skipped when the build context did not
    /// change), pushes it (layers the registry has are not uploaded), renders `deploy/` with
    /// the image pinned by digest, applies it server-side, prunes what the app no longer
    /// declares, records a release in the cluster and waits for the rollout. A failing pod
    /// (image pull, crash loop, OOM, unschedulable, not ready) stops the wait at once with a
    /// diagnosis. A deploy that would change nothing says so and records nothing.
    ///
    /// The app's components (`[components.*]`) are applied and ready first. A component's
    /// major version (`version = "16"` to `"17"`) is never changed in place: `--major` moves
    /// the data as backup, new instance on a new volume, restore, then the app.
    ///
    /// Exit codes: 0 deployed (or nothing to do), 1 the deploy failed, 2 usage or
    /// configuration error, 75 a service was unreachable or busy (retry later), 130 interrupted.
    ///
    /// Examples: `paas up --env prod --atomic --yes`, `paas up --major`
    Up(UpArgs),

    /// Show what `paas up` would change in the cluster, as a unified diff
    ///
    /// Renders the manifests, asks the API server for a server-side dry run of each (so
    /// defaults and admission apply as in a real deploy) and compares the result with the live
    /// object. Objects `up` would prune are listed as deletions. Secret values never show: each
    /// reads `(redacted, unchanged)` or `(redacted, changed: …)`, and so does the copy
    /// `kubectl apply` keeps in an annotation. Nothing is built or pushed: the image is
    /// `--image`, else the live release's.
    ///
    /// Example: `paas diff --env prod --exit-code`
    Diff(DiffArgs),

    /// Stream the logs of every pod and container of the app
    ///
    /// Each line is prefixed with its pod and container. With `--follow`, pods that start
    /// during a rollout join the stream and deleted ones leave it; a cut stream reconnects
    /// without repeating lines. Control characters and terminal escapes from the app are
    /// shown harmlessly. A JSON line (nginx's JSON access log, .NET's JSON console) reads as
    /// time, level, message and its other fields; `--output json` keeps it as the app wrote it.
    ///
    /// Exit codes: 0 every log was read, or Ctrl-C ended `--follow`; 1 no pod started within
    /// `--pod-timeout`, or a log could not be read; 2 usage error; 75 the cluster was
    /// unreachable; 130 Ctrl-C interrupted a read without `--follow`.
    ///
    /// Example: `paas logs --env prod -f --since 10m --grep error`
    Logs(LogsArgs),

    /// Show whether the app is healthy: rollout, pods, warnings, addresses, usage
    ///
    /// Prints the rollout state, every pod (ready, phase, restarts, age, node, last
    /// termination), the recent warning events, the app's addresses inside and outside the
    /// cluster, and CPU and memory when the cluster serves the metrics API.
    ///
    /// Exit codes: 0 healthy, 1 not healthy (so CI can gate on it), 2 usage error, 75 the
    /// cluster was unreachable.
    ///
    /// Example: `paas status --env prod --output json`
    Status(StatusArgs),

    /// Say which DNS records to create for the app's hosts, and check DNS and certificates
    ///
    /// Reads the address the ingress controller gave the app's Ingress and prints, for each
    /// host of `[ingress] hosts`, the record to create: an A (or AAAA) record to an IP address,
    /// a CNAME to a load balancer's host name, and at the apex of a domain (`example.com`,
    /// found with the public suffix list), where a CNAME is not allowed, an ALIAS/ANAME record
    /// (CNAME flattening) or A records. Then it asks the domain's authoritative name servers
    /// and the public resolvers what they answer, and says for each host:
    ///
    ///   ok             every server answers what the Ingress needs
    ///   propagating    the name servers are right; a resolver still has the old answer cached
    ///   missing        the name servers have no record for the host yet
    ///   wrong-value    the record points elsewhere
    ///   stray-aaaa     the A record is right, an AAAA record sends IPv6 clients elsewhere
    ///   cname-conflict a CNAME sits beside other records (always so at the apex)
    ///   caa-refuses    a CAA record does not allow the certificate issuer's CA
    ///   no-address     the Ingress has no address yet (no controller serves it)
    ///   not-deployed   `paas.toml` names the host, the deployed Ingress does not
    ///   unchecked      a DNS server did not answer
    ///
    /// With cert-manager installed it shows each certificate's state; it also lists the
    /// app's and its components' names inside the cluster. The resolvers are `--resolver`,
    /// else `PAAS_DNS_RESOLVERS`, else `dns_resolvers` in the user config, else 1.1.1.1,
    /// 8.8.8.8 and 9.9.9.9.
    ///
    /// Exit codes: 0 every host is ok and every certificate ready, 1 something is not (or
    /// `--wait` timed out), 2 usage error (no host in `paas.toml`, a bad resolver), 75 the
    /// cluster was unreachable.
    ///
    /// Example: `paas domains --env prod`, `paas domains --wait --timeout 30m`
    #[command(verbatim_doc_comment)]
    Domains(DomainsArgs),

    /// List the app's releases: revision, time, who, git commit, image, outcome
    ///
    /// Every `paas up` and `paas rollback` records a release in the cluster; the one marked
    /// live is what runs.
    ///
    /// Example: `paas history --env prod`
    History(HistoryArgs),

    /// Set the number of replicas, or the autoscaling bounds
    ///
    /// Changes the replica count through the scale subresource, as `kubectl scale` does; the
    /// next `paas up` keeps it unless `replicas` in `paas.toml` changes. When the app
    /// autoscales, `--min`, `--max` and `--cpu` change the autoscaler instead.
    ///
    /// Example: `paas scale 4 --env prod`, `paas scale --min 2 --max 10 --cpu 70`
    Scale(ScaleArgs),

    /// Put an earlier release back, as a whole, and wait until it runs
    ///
    /// Re-applies every object of the release (`Deployment`, `Service`, `Ingress`, `ConfigMap`,
    /// autoscaler, access rules), prunes what it did not have, records the result as a new
    /// release ("rollback to N") and waits and diagnoses as `paas up` does. Without `--to`,
    /// the release before the live one.
    ///
    /// Exit codes: 0 rolled back, 1 the rollback failed, 2 usage error (no such release,
    /// nothing to roll back), 75 the cluster was unreachable or busy, 130 interrupted.
    ///
    /// Example: `paas rollback --to 3 --env prod --yes`
    Rollback(RollbackArgs),

    /// Deploy the image of an environment's release to another environment, building nothing
    ///
    /// Takes a release recorded in the `--from` environment (its live one, or `--revision N`)
    /// and deploys the same image digest to the `--to` environment with the `--to`
    /// environment's values (`[env.NAME]`: namespace, replicas, env vars, hosts), then waits and
    /// diagnoses as `paas up` does. Nothing is built and nothing goes through the Docker Engine:
    /// when the environments use different registries (`[env.NAME] registry`) the image is
    /// copied registry to registry by digest, uploading only the blobs the target lacks. The
    /// release is recorded as "promoted from ENV release N" with the source's git commit and
    /// digest. Only a release that rolled out (deployed or superseded) can be promoted.
    ///
    /// Exit codes: 0 promoted (or nothing to do), 1 the deploy failed, 2 usage error (unknown
    /// environment, a release that failed or has no digest), 75 a service was unreachable or
    /// busy, 130 interrupted.
    #[command(after_help = "Examples:
  paas promote --from staging --to prod --yes
  paas promote --from staging --to prod --revision 3 --atomic
  paas promote --from staging --to prod --output json")]
    Promote(PromoteArgs),

    /// Set, unset or list the app's secrets: environment variables kept in a Kubernetes Secret
    ///
    /// Each app has one Secret, `<app>-secrets`, in the namespace of each environment, and its
    /// pods get every key as an environment variable. A change rolls the pods out and is
    /// recorded as a release (`paas history`). Values are never printed, recorded or diffed:
    /// only a salted digest of each. A Kubernetes Secret is base64, not encryption: see
    /// "Secrets" in the README for what it protects and how to use an external secret store.
    ///
    /// Example: `paas secret set API_TOKEN --env prod < token.txt`, `paas secret list`
    #[command(subcommand)]
    Secret(SecretCommand),

    /// Delete everything the app owns in the environment
    ///
    /// Deletes the objects carrying the app's paas labels, and nothing else; volumes only
    /// with `--volumes`. Asks on a terminal; needs `--yes` otherwise.
    ///
    /// Example: `paas down --env staging --yes`
    Down(DownArgs),

    /// Declare a component (redis, postgres, mongodb) in paas.toml
    ///
    /// Adds a `[components.NAME]` table with the kind and, when given, the version; every
    /// other line of `paas.toml` stays as it is, comments included. The next `paas up` runs it
    /// beside the app with its own volume and a password made once, and gives the app its
    /// URL (`REDIS_URL`, `DATABASE_URL`, `MONGODB_URI`; `<NAME>_URL` when a kind has several).
    ///
    /// Keys to add to the table by hand: `image` (a mirror of the catalog's image), `storage`
    /// (such as `"5Gi"`; the catalog's default is 1Gi), `storage_class` (the cluster's default
    /// when unset), `env` (the variable the app gets the URL in). The bundled catalog: redis
    /// 8.2, 7.4, 7.2; postgres 18, 17, 16, 15; mongodb 8.0, 7.0. Nothing is written when the
    /// kind, version or name is refused.
    ///
    /// Example: `paas add redis`, `paas add postgres --name db --version 17`
    Add(AddArgs),

    /// Remove a component from paas.toml; its volume and password stay unless `--delete-data`
    ///
    /// Removes `[components.NAME]` and nothing else from `paas.toml`; the next `paas up`
    /// deletes its `StatefulSet`, Service and `NetworkPolicy`. Its volume and the Secret with
    /// its password stay (paas says which), so `paas add` with the same name, kind and major
    /// version gets the data and the password back. `--delete-data` deletes them now, with the
    /// component's objects: on a terminal it asks to type the component's name, elsewhere it
    /// needs `--yes`.
    ///
    /// Example: `paas remove cache`, `paas remove db --delete-data --yes`
    Remove(RemoveArgs),

    /// Dump a component's data to a local file, with its SHA-256 beside it
    ///
    /// Runs the kind's own dump tool in the component's pod and streams what it writes to
    /// FILE, with progress: redis `redis-cli --rdb`, postgres `pg_dump -Fc`, mongodb `mongodump
    /// --archive`. The dump goes to `FILE.part` and becomes FILE only when it ended well;
    /// `FILE.sha256` holds its checksum (`sha256sum -c` reads it) and `paas restore` checks it.
    /// The password never leaves the pod.
    ///
    /// Exit codes: 0 written, 1 the dump failed (nothing is left behind), 2 usage error, 75 the
    /// cluster was unreachable.
    ///
    /// Example: `paas backup db --env prod -o db.pgdump`
    Backup(BackupArgs),

    /// Replace a component's data with a file made by `paas backup`
    ///
    /// Refuses a file that is not a dump of the component's kind (told from its first bytes)
    /// or that does not match its `FILE.sha256`, then streams it into the kind's restore tool
    /// in the pod and checks the result with a query: the keys of a redis, the tables of a
    /// postgres, the collections of a mongodb. A postgres restore is one transaction: whole or
    /// not at all. Asks on a terminal (the component's name); needs `--yes` otherwise.
    ///
    /// Exit codes: 0 restored and checked, 1 the restore failed, 2 usage error (a wrong or
    /// damaged file, no confirmation), 75 the cluster was unreachable, 130 declined.
    ///
    /// Example: `paas restore db db.pgdump --env staging --yes`
    Restore(RestoreArgs),

    /// Who may call whom: the access rules of every app in the namespace
    ///
    /// Reads the `NetworkPolicy` objects in the namespace (paas's and any others) and the apps
    /// and components paas deployed there, and prints, for each, who may call it and, when its
    /// outgoing calls are restricted, whom it may call; then the matrix of every app to every
    /// app and component. The rules come from `[access]` in each app's `paas.toml`: `allow_from`
    /// (who may call this app), the ingress controller (found from the ingress class when the
    /// app has a host), Prometheus when monitoring is on, and `egress` (whom it may call; the
    /// cluster DNS stays reachable). A component only ever lets in its own app.
    ///
    /// `paas access check` proves the rules on the cluster with short-lived probe pods.
    ///
    /// Example: `paas access --namespace shop --output json`
    Access(AccessArgs),

    /// Write a CI pipeline that deploys the app on every push to the main branch
    ///
    /// Writes `.github/workflows/paas.yml` (`github`) or `.gitlab-ci.yml` (`gitlab`): one
    /// deploy job per environment, in the order of `--env` (else `paas.toml`'s `[env.*]`,
    /// production last; a single job without `--env` when there are none). Each job checks
    /// out the code, installs paas, writes the cluster credentials, logs in to the registry
    /// when it is not a local one, and runs `paas up --env NAME --yes --output json`. Deploys
    /// to one environment never run at the same time (GitHub `concurrency`, GitLab
    /// `resource_group`); a production environment (`protected = true`, or named `prod` or
    /// `production`) waits for a person's approval (GitHub environment reviewers, GitLab
    /// `when: manual` and protected environments). Actions are pinned by commit.
    ///
    /// The credentials are a CI secret `KUBECONFIG_<ENV>` holding a kubeconfig for a
    /// `ServiceAccount` of the environment's namespace with a token that expires, or, with
    /// `--oidc`, the CI's own identity token when the cluster trusts the CI's issuer. paas
    /// prints every secret and variable the pipeline needs and the `kubectl` commands that
    /// make the `ServiceAccount`, its Role and `RoleBinding` and the kubeconfig.
    ///
    /// paas is installed with the `install.sh` of its sources, cloned from `--install-url`
    /// (else `install_url` under `[ci]` in the user config, else the CI variable
    /// `PAAS_INSTALL_URL`) at this version's tag; `--install-command` (or `install_command`)
    /// replaces that step, for a company that hosts its own binary.
    ///
    /// Exit codes: 0 written (or printed), 1 the file was not written (it exists and there is
    /// no `--force`, it is a symbolic link, the folder is read-only), 2 usage error (an unknown
    /// environment, no `paas.toml`).
    ///
    /// Example: `paas ci github --env staging --env prod`, `paas ci gitlab --oidc --dry-run`
    #[command(verbatim_doc_comment)]
    Ci(CiArgs),

    /// List or show the packs paas knows
    #[command(subcommand)]
    Packs(PacksCommand),

    /// Print shell completions
    ///
    /// Example: `paas completions bash > ~/.local/share/bash-completion/completions/paas`
    Completions(CompletionsArgs),
}

/// Arguments of `paas ci`.
#[derive(Debug, Args)]
pub struct CiArgs {
    /// The CI service to write the pipeline for
    #[arg(value_enum)]
    pub platform: CiPlatform,

    /// An environment of `paas.toml` to deploy, in order (repeat: `--env staging --env prod`)
    #[arg(long = "env", short = 'e', value_name = "NAME")]
    pub environments: Vec<String>,

    /// The branch whose pushes deploy (default: the repository's default branch, else `main`)
    #[arg(long, value_name = "BRANCH")]
    pub branch: Option<String>,

    /// Authenticate to the cluster with the CI's OIDC identity token instead of a kubeconfig secret
    #[arg(long)]
    pub oidc: bool,

    /// The audience of the OIDC token, as the cluster's authenticator expects it
    #[arg(
        long,
        value_name = "AUDIENCE",
        default_value = "paas",
        requires = "oidc"
    )]
    pub oidc_audience: String,

    /// The git URL of paas's sources the pipeline installs from (with their `install.sh`)
    #[arg(long, value_name = "URL", env = env::CI_INSTALL_URL, conflicts_with = "install_command")]
    pub install_url: Option<String>,

    /// A shell command that installs paas on the CI machine and puts it on PATH, instead of `install.sh`
    #[arg(long, value_name = "COMMAND", env = env::CI_INSTALL_COMMAND)]
    pub install_command: Option<String>,

    /// How long the printed `ServiceAccount` tokens stay valid (`kubectl create token --duration`)
    #[arg(long, value_name = "DURATION", default_value = "720h", value_parser = crate::duration::parse)]
    pub token_duration: std::time::Duration,

    /// Replace the file when it exists
    #[arg(long)]
    pub force: bool,

    /// Print the file on stdout and write nothing
    #[arg(long, alias = "stdout")]
    pub dry_run: bool,
}

/// The CI services `paas ci` writes pipelines for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CiPlatform {
    /// GitHub Actions: `.github/workflows/paas.yml`
    Github,
    /// GitLab CI/CD: `.gitlab-ci.yml`
    Gitlab,
}

/// Arguments of `paas access`.
#[derive(Debug, Args)]
pub struct AccessArgs {
    #[command(subcommand)]
    pub command: Option<AccessCommand>,

    #[command(flatten)]
    pub target: TargetArgs,
}

/// The subcommands of `paas access`.
#[derive(Debug, Subcommand)]
pub enum AccessCommand {
    /// Prove on the cluster that the access rules hold, with short-lived probe pods
    ///
    /// Starts one probe pod per app and component with that workload's labels (so every
    /// `NetworkPolicy` treats it as one of its pods; a readiness gate keeps it out of the
    /// Services), calls from each app's probe every other probe, and prints what got through
    /// beside what the rules say. Two canaries tell whether the cluster enforces `NetworkPolicy` at
    /// all: many network plugins (flannel, k3s' default) accept the objects and enforce nothing.
    /// The probes are removed when the check ends, Ctrl-C included.
    ///
    /// Exit codes: 0 every call went as the rules say (or policies are not enforced, without
    /// `--strict`), 1 a call went against the rules, or with `--strict` policies are not
    /// enforced, 2 usage error, 75 the cluster was unreachable.
    ///
    /// Example: `paas access check --namespace shop --strict`
    Check(AccessCheckArgs),
}

/// Arguments of `paas access check`.
#[derive(Debug, Args)]
pub struct AccessCheckArgs {
    #[command(flatten)]
    pub target: TargetArgs,

    /// Exit 1 when the cluster does not enforce `NetworkPolicy` at all (default: a warning)
    #[arg(long)]
    pub strict: bool,

    /// The probe image: a busybox (its `httpd` answers, its `nc` calls); a company mirror
    /// of it
    #[arg(long, value_name = "IMAGE", env = env::PROBE_IMAGE, default_value = crate::settings::defaults::PROBE_IMAGE)]
    pub image: String,

    /// How long the probe pods may take to start
    #[arg(long, value_name = "DURATION", default_value = "2m", value_parser = crate::duration::parse)]
    pub timeout: std::time::Duration,

    /// How long the policy enforcer may take to act on the new pods before a call that goes
    /// against the rules counts
    #[arg(long, value_name = "DURATION", default_value = "20s", value_parser = crate::duration::parse)]
    pub settle: std::time::Duration,
}

/// Arguments of `paas init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The project folder (default: the current folder)
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,

    #[command(flatten)]
    pub detect: DetectFlags,

    /// The app name, a DNS label such as `shop-web` (default: from the project)
    #[arg(long, env = env::NAME)]
    pub name: Option<String>,

    /// The port the app listens on in the container (default: the pack's, 8080)
    #[arg(long, env = env::PORT)]
    pub port: Option<u16>,

    /// Where images are pushed, such as `registry.example.com/team`
    #[arg(long, env = env::REGISTRY)]
    pub registry: Option<String>,

    /// The public host name; writes an Ingress for it
    #[arg(long, env = env::HOST)]
    pub host: Option<String>,

    /// The number of replicas (2 or more also writes a `PodDisruptionBudget`)
    #[arg(long)]
    pub replicas: Option<u32>,

    /// Set a pack variable, such as `base_image=registry.corp/nginx:1.27` (can be repeated)
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,

    /// Overwrite files that already exist
    #[arg(long)]
    pub force: bool,

    /// Print what would be written, and write nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// The flags that steer detection.
#[derive(Debug, Args)]
pub struct DetectFlags {
    /// Use this pack instead of the detected one
    #[arg(long, env = env::PACK)]
    pub pack: Option<String>,

    /// The .NET project to use when a solution has several web projects (path or name)
    #[arg(long, env = env::PROJECT)]
    pub project: Option<String>,
}

/// Arguments of `paas detect`.
#[derive(Debug, Args)]
pub struct DetectArgs {
    /// The project folder (default: the current folder)
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,

    #[command(flatten)]
    pub detect: DetectFlags,
}

/// Arguments of `paas render`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// Use the overrides of this environment from `paas.toml` (`[env.NAME]`)
    #[arg(long = "env", short = 'e', value_name = "NAME", env = env::ENVIRONMENT)]
    pub environment: Option<String>,

    /// The namespace to put in the manifests (default: the environment's, then none)
    #[arg(long, short = 'n', env = env::NAMESPACE)]
    pub namespace: Option<String>,

    /// The image to deploy (default: `<registry>/<name>:<git commit>`)
    #[arg(long, env = env::IMAGE)]
    pub image: Option<String>,

    /// Write one file per manifest into DIR instead of printing them
    #[arg(long = "out-dir", short = 'o', value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}

/// Where a deploy goes: the environment, namespace and kube context.
#[derive(Debug, Args)]
pub struct TargetArgs {
    /// Use the overrides of this environment from `paas.toml` (`[env.NAME]`)
    #[arg(long = "env", short = 'e', value_name = "NAME", env = env::ENVIRONMENT)]
    pub environment: Option<String>,

    /// The namespace to deploy into (default: the environment's, then the kube context's)
    #[arg(long, short = 'n', env = env::NAMESPACE)]
    pub namespace: Option<String>,

    /// The kube context to use (default: the environment's, then the current one)
    #[arg(long, env = env::CONTEXT)]
    pub context: Option<String>,
}

/// Arguments of `paas diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    #[command(flatten)]
    pub target: TargetArgs,

    /// The image to compare with (default: the live release's image; nothing is built)
    #[arg(long, env = env::IMAGE)]
    pub image: Option<String>,

    /// Exit with 1 when something would change (as `git diff --exit-code`)
    #[arg(long)]
    pub exit_code: bool,

    /// Compare as if `--force-conflicts` were given to `paas up`
    #[arg(long)]
    pub force_conflicts: bool,
}

/// Arguments of `paas up`.
#[derive(Debug, Args)]
#[expect(clippy::struct_excessive_bools, reason = "clap flags")]
pub struct UpArgs {
    #[command(flatten)]
    pub target: TargetArgs,

    /// How long to wait for the rollout, such as `90s`, `5m` or `1h30m`
    #[arg(long, default_value = "5m", value_parser = crate::duration::parse)]
    pub timeout: std::time::Duration,

    /// When the rollout fails, put the last good release back (the exit code still says it failed)
    #[arg(long)]
    pub atomic: bool,

    /// Take over fields that another tool (kubectl, an operator) set on the app's objects
    #[arg(long)]
    pub force_conflicts: bool,

    /// Show what would change (as `paas diff`), and build, push and apply nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Move a component to a new major version: back its data up, start the new version on a
    /// new volume, restore the data into it, then roll the app out (the old volume and the dump
    /// are kept)
    #[arg(long)]
    pub major: bool,

    /// Where `--major` keeps the dumps (default: `$XDG_DATA_HOME/paas/backups`, else
    /// `~/.local/share/paas/backups`)
    #[arg(long, value_name = "DIR", env = env::BACKUP_DIR)]
    pub backup_dir: Option<std::path::PathBuf>,
}

/// Which deployed app a command works on, and where.
#[derive(Debug, Args)]
pub struct AppArgs {
    #[command(flatten)]
    pub target: TargetArgs,

    /// The app (default: `[app] name` in `paas.toml`; with it, no project is needed)
    #[arg(long, env = env::APP)]
    pub app: Option<String>,
}

/// Arguments of `paas logs`.
#[derive(Debug, Args)]
pub struct LogsArgs {
    #[command(flatten)]
    pub app: AppArgs,

    /// Keep streaming: new lines, and the pods that start later
    #[arg(long, short)]
    pub follow: bool,

    /// Only lines newer than this, such as `30s`, `10m` or `1h30m`
    #[arg(long, value_name = "DURATION", value_parser = crate::duration::parse)]
    pub since: Option<std::time::Duration>,

    /// The last N lines of each container (default: every line; with `--follow`, 10)
    #[arg(long, value_name = "N")]
    pub tail: Option<u32>,

    /// The logs of the previous, crashed instance of each container
    #[arg(long, short, conflicts_with = "follow")]
    pub previous: bool,

    /// Only this container (default: every container of every pod)
    #[arg(long, short, value_name = "NAME")]
    pub container: Option<String>,

    /// The logs of component NAME (`[components.NAME]`) instead of the app's own pods
    #[arg(long, value_name = "NAME")]
    pub component: Option<String>,

    /// Only lines matching this regular expression
    #[arg(long, value_name = "REGEX")]
    pub grep: Option<String>,

    /// Prefix each line with the time the cluster received it
    #[arg(long)]
    pub timestamps: bool,

    /// How long to wait for a first pod when none runs yet
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = crate::duration::parse)]
    pub pod_timeout: std::time::Duration,
}

/// Arguments of `paas status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub app: AppArgs,
}

/// Arguments of `paas domains`.
#[derive(Debug, Args)]
pub struct DomainsArgs {
    #[command(flatten)]
    pub app: AppArgs,

    /// Check again until every host is ok and every certificate ready
    #[arg(long)]
    pub wait: bool,

    /// How long `--wait` waits, such as `90s`, `10m` or `1h`
    #[arg(long, value_name = "DURATION", default_value = "10m", value_parser = crate::duration::parse)]
    pub timeout: std::time::Duration,

    /// A DNS resolver to compare, as `IP` or `IP:PORT` (repeat, or separate with commas)
    #[arg(long = "resolver", value_name = "IP[:PORT]", env = env::DNS_RESOLVERS, value_delimiter = ',')]
    pub resolvers: Vec<String>,
}

/// Arguments of `paas history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    #[command(flatten)]
    pub app: AppArgs,
}

/// Arguments of `paas scale`.
#[derive(Debug, Args)]
pub struct ScaleArgs {
    #[command(flatten)]
    pub app: AppArgs,

    /// The number of replicas (0 stops every pod and keeps the app)
    #[arg(value_name = "REPLICAS", allow_hyphen_values = true, conflicts_with_all = ["min", "max", "cpu"], required_unless_present_any = ["min", "max", "cpu"])]
    pub replicas: Option<String>,

    /// The fewest replicas the autoscaler may run
    #[arg(long, value_name = "N")]
    pub min: Option<String>,

    /// The most replicas the autoscaler may run
    #[arg(long, value_name = "N")]
    pub max: Option<String>,

    /// The average CPU use, in percent of the request, the autoscaler aims at
    #[arg(long, value_name = "PERCENT")]
    pub cpu: Option<String>,

    /// How long to wait until the replicas run, such as `90s`, `5m` or `1h30m`
    #[arg(long, default_value = "5m", value_parser = crate::duration::parse)]
    pub timeout: std::time::Duration,

    /// Change the count and do not wait for the pods
    #[arg(long)]
    pub no_wait: bool,
}

/// Arguments of `paas backup`.
#[derive(Debug, Args)]
pub struct BackupArgs {
    #[command(flatten)]
    pub app: AppArgs,

    /// The component, as named under `[components]` in `paas.toml`
    #[arg(value_name = "NAME")]
    pub name: String,

    /// The file to write (default: `<app>-<NAME>-<UTC time>.<rdb|pgdump|archive>` here)
    #[arg(long = "out-file", short = 'o', value_name = "FILE")]
    pub file: Option<PathBuf>,

    /// Replace FILE if it exists
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `paas restore`.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    #[command(flatten)]
    pub app: AppArgs,

    /// The component, as named under `[components]` in `paas.toml`
    #[arg(value_name = "NAME")]
    pub name: String,

    /// A file written by `paas backup` (its `FILE.sha256` is checked when it is there)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

/// Arguments of `paas rollback`.
#[derive(Debug, Args)]
pub struct RollbackArgs {
    #[command(flatten)]
    pub app: AppArgs,

    /// The revision to put back, as `paas history` lists it (default: the one before the live one)
    #[arg(long, value_name = "REVISION")]
    pub to: Option<u32>,

    /// How long to wait for the rollout, such as `90s`, `5m` or `1h30m`
    #[arg(long, default_value = "5m", value_parser = crate::duration::parse)]
    pub timeout: std::time::Duration,

    /// When the rollback fails, put the release that was live back
    #[arg(long)]
    pub atomic: bool,

    /// Show what would change, and change nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// Arguments of `paas promote`.
#[derive(Debug, Args)]
pub struct PromoteArgs {
    /// The environment whose release is promoted (`[env.NAME]` in `paas.toml`)
    #[arg(long, value_name = "ENV")]
    pub from: String,

    /// The environment it is deployed to, with that environment's values
    #[arg(long, value_name = "ENV")]
    pub to: String,

    /// The release of `--from` to promote, as `paas history --env ENV` lists it (default: its
    /// live release)
    #[arg(long, value_name = "N")]
    pub revision: Option<u32>,

    /// How long to wait for the rollout, such as `90s`, `5m` or `1h30m`
    #[arg(long, default_value = "5m", value_parser = crate::duration::parse)]
    pub timeout: std::time::Duration,

    /// When the rollout fails, put the last good release of `--to` back (the exit code still
    /// says it failed)
    #[arg(long)]
    pub atomic: bool,

    /// Take over fields that another tool (kubectl, an operator) set on the app's objects
    #[arg(long)]
    pub force_conflicts: bool,
}

/// Arguments of `paas down`.
#[derive(Debug, Args)]
pub struct DownArgs {
    #[command(flatten)]
    pub app: AppArgs,

    /// Also delete the app's volumes (persistent volume claims) and the data on them, the
    /// components' passwords and the app's Secret (`paas secret`)
    #[arg(long)]
    pub volumes: bool,

    /// Keep the release records, so that `paas history` still lists them
    #[arg(long)]
    pub keep_history: bool,

    /// List what would be deleted, and delete nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// Arguments of `paas add`. Its `--version` is the component's, so it has no version flag
/// of its own (`paas --version` prints paas's).
#[derive(Debug, Args)]
#[command(disable_version_flag = true)]
pub struct AddArgs {
    /// The kind of component: `redis`, `postgres`, `mongodb` (or a company kind on the pack path)
    #[arg(value_name = "KIND")]
    pub kind: String,

    /// The component's name, a DNS label; its objects are named `<app>-<name>` (default: the kind)
    #[arg(long)]
    pub name: Option<String>,

    /// The version from the catalog, such as `17` or `7.4` (default: the catalog's default)
    #[arg(long)]
    pub version: Option<String>,
}

/// Arguments of `paas remove`.
#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// The component's name, as in `[components.NAME]`
    #[arg(value_name = "NAME")]
    pub name: String,

    #[command(flatten)]
    pub target: TargetArgs,

    /// Also delete its volumes and password now, and its objects (the data is gone for good)
    #[arg(long)]
    pub delete_data: bool,
}

/// `paas secret` subcommands.
#[derive(Debug, Subcommand)]
pub enum SecretCommand {
    /// Set a secret, and roll the app's pods out with it
    ///
    /// The value comes from a hidden prompt on a terminal, else from stdin (one trailing
    /// newline is dropped). `KEY=VALUE` works too, but leaves the value in the shell's history
    /// and the process list, so paas warns. When the app is not deployed yet, its first
    /// `paas up` passes the Secret.
    ///
    /// Exit codes: 0 set (and rolled out), 1 the rollout failed (the Secret keeps the new
    /// value), 2 usage error (a bad key, an empty value), 75 the cluster was unreachable or
    /// busy, 130 interrupted.
    ///
    /// Example: `paas secret set DATABASE_PASSWORD --env prod`, `printf %s "$TOKEN" | paas secret set API_TOKEN`
    Set(SecretSetArgs),

    /// Remove a secret, and roll the app's pods out without it
    ///
    /// Exit codes: 0 removed (and rolled out), 1 the rollout failed, 2 usage error (no such
    /// key), 75 the cluster was unreachable or busy, 130 interrupted.
    ///
    /// Example: `paas secret unset API_TOKEN --env prod`
    Unset(SecretUnsetArgs),

    /// List the secrets: each key, a digest of its value, and when it changed
    ///
    /// Never shows a value. The digest is salted: it changes when the value does, and says
    /// nothing about the value to someone who cannot read the Secret.
    ///
    /// Example: `paas secret list --env prod --output json`
    List(SecretListArgs),
}

/// Arguments of `paas secret set`.
#[derive(Debug, Args)]
pub struct SecretSetArgs {
    #[command(flatten)]
    pub app: AppArgs,

    /// The key, an environment variable name such as `API_TOKEN` (`KEY=VALUE` gives the value too)
    #[arg(value_name = "KEY", allow_hyphen_values = true)]
    pub key: String,

    #[command(flatten)]
    pub rollout: SecretRolloutArgs,
}

/// Arguments of `paas secret unset`.
#[derive(Debug, Args)]
pub struct SecretUnsetArgs {
    #[command(flatten)]
    pub app: AppArgs,

    /// The key to remove, as `paas secret list` shows it
    #[arg(value_name = "KEY")]
    pub key: String,

    #[command(flatten)]
    pub rollout: SecretRolloutArgs,
}

/// How a secret change reaches the pods.
#[derive(Debug, Args)]
pub struct SecretRolloutArgs {
    /// Change the Secret only: the pods keep the old values until the next `paas up`
    #[arg(long)]
    pub no_rollout: bool,

    /// How long to wait for the rollout, such as `90s`, `5m` or `1h30m`
    #[arg(long, default_value = "5m", value_parser = crate::duration::parse)]
    pub timeout: std::time::Duration,
}

/// Arguments of `paas secret list`.
#[derive(Debug, Args)]
pub struct SecretListArgs {
    #[command(flatten)]
    pub app: AppArgs,
}

/// `paas packs` subcommands.
#[derive(Debug, Subcommand)]
pub enum PacksCommand {
    /// List the bundled packs and the company packs on the pack path
    List,
    /// Show a pack: what it detects, its variables and the files it writes
    Show(PacksShowArgs),
}

/// Arguments of `paas packs show`.
#[derive(Debug, Args)]
pub struct PacksShowArgs {
    /// The pack's name, as `paas packs list` prints it
    pub name: String,
}

/// Arguments of `paas completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to print completions for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory as _;

    use super::Cli;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
