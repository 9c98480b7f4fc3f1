//! The verbs: each command wires settings, domain calls and output together, and nothing
//! else.

mod access;
mod add;
mod backup;
mod ci;
mod completions;
mod detect;
mod diff;
mod domains;
mod down;
mod history;
mod init;
pub(crate) mod local;
mod logs;
mod packs;
mod promote;
mod remove;
mod render;
mod rollback;
mod scale;
mod secret;
mod status;
mod up;

use crate::cli::{Cli, Command, PacksCommand, SecretCommand};
use crate::error::{CliError, ExitStatus};
use crate::kube::Cluster;
use crate::settings::{AppSettings, GlobalSettings};
use crate::ui::Printer;

/// Runs the command of a parsed command line.
pub(crate) fn dispatch(cli: &Cli, printer: &Printer) -> Result<ExitStatus, CliError> {
    if let Command::Completions(args) = &cli.command {
        return completions::run(args, printer);
    }
    let global = GlobalSettings::resolve(&cli.global)?;
    match &cli.command {
        Command::Init(args) => init::run(args, &global, printer),
        Command::Detect(args) => detect::run(args, &global, printer),
        Command::Render(args) => render::run(args, &global, printer),
        Command::Up(args) => up::run(args, &global, printer),
        Command::Diff(args) => diff::run(args, &global, printer),
        Command::Logs(args) => logs::run(args, &global, printer),
        Command::Status(args) => status::run(args, &global, printer),
        Command::Domains(args) => domains::run(args, &global, printer),
        Command::History(args) => history::run(args, &global, printer),
        Command::Scale(args) => scale::run(args, &global, printer),
        Command::Rollback(args) => rollback::run(args, &global, printer),
        Command::Promote(args) => promote::run(args, &global, printer),
        Command::Secret(SecretCommand::Set(args)) => secret::set(args, &global, printer),
        Command::Secret(SecretCommand::Unset(args)) => secret::unset(args, &global, printer),
        Command::Secret(SecretCommand::List(args)) => secret::list(args, &global, printer),
        Command::Down(args) => down::run(args, &global, printer),
        Command::Add(args) => add::run(args, &global, printer),
        Command::Remove(args) => remove::run(args, &global, printer),
        Command::Backup(args) => backup::backup(args, &global, printer),
        Command::Restore(args) => backup::restore(args, &global, printer),
        Command::Access(args) => access::run(args, &global, printer),
        Command::Ci(args) => ci::run(args, &global, printer),
        Command::Packs(PacksCommand::List) => packs::list(&global, printer),
        Command::Packs(PacksCommand::Show(args)) => packs::show(args, &global, printer),
        Command::Completions(_) => unreachable!("handled above"),
    }
}

/// Turns a failed write to stdout into an error.
pub(crate) fn output(result: std::io::Result<()>) -> Result<(), CliError> {
    result.map_err(|err| {
        CliError::failed(anyhow::Error::new(err).context("failed to write to stdout"))
    })
}

/// Starts the async runtime the cluster commands run on.
pub(crate) fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|err| {
            CliError::failed(anyhow::Error::new(err).context("failed to start the async runtime"))
        })
}

/// Connects to the cluster of `settings` and checks that it answers. Returns the cluster
/// and the namespace the app lives in (the settings', else the kube context's).
pub(crate) async fn connect(settings: &AppSettings) -> Result<(Cluster, String), CliError> {
    connect_to(
        settings.kube_context.as_deref(),
        settings.namespace.as_deref(),
    )
    .await
}

/// Connects to the cluster of a kube context (`None`: the current one) and checks that it
/// answers. Returns the cluster and `namespace`, else the context's namespace.
pub(crate) async fn connect_to(
    kube_context: Option<&str>,
    namespace: Option<&str>,
) -> Result<(Cluster, String), CliError> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let timeout = crate::settings::credential_timeout()?;
    let cluster = crate::kube::client(kube_context, timeout)
        .await
        .map_err(|err| match err {
            crate::kube::KubeError::Exec(_) if crate::failure::is_retryable(&err) => {
                CliError::new(err).hinted(format!(
                    "check what the plugin waits for (run it by hand), or raise `{}`",
                    crate::env::CREDENTIAL_TIMEOUT
                ))
            }
            crate::kube::KubeError::Exec(crate::kube::exec::ExecError::Start { .. }) => {
                CliError::failed(err).hinted(
                    "install the plugin, or fix `users[].user.exec.command` in the kubeconfig",
                )
            }
            crate::kube::KubeError::Exec(_) => CliError::failed(err)
                .hinted("run the plugin by hand to see what it reports, or log in again"),
            _ => CliError::usage(err).hinted("check `KUBECONFIG` and `--context`"),
        })?;
    cluster.check().await.map_err(|err| {
        if crate::failure::classify(&err) == crate::failure::Class::Unauthenticated {
            CliError::failed(err).hinted(crate::error::unauthenticated_hint(
                cluster.context.as_deref(),
                cluster.user.as_deref(),
            ))
        } else {
            CliError::new(err).hinted_if_retryable("check that the cluster is up and reachable")
        }
    })?;
    let namespace = namespace.map_or_else(|| cluster.default_namespace.clone(), str::to_owned);
    Ok((cluster, namespace))
}
