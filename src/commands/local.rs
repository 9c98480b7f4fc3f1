//! The commands on the local target (an environment with `target = "docker"`, or the built-in
//! `local`): the work is [`crate::local`]; this prints it.

use std::fmt::Write as _;
use std::time::Duration;

use futures_util::StreamExt as _;

use crate::cli::{DownArgs, RollbackArgs, UpArgs};
use crate::commands::output;
use crate::commands::up::Reporter;
use crate::error::{CliError, ErrorKind, ExitStatus};
use crate::local::deploy::{self, LocalResult, LocalUpPlan};
use crate::local::{LocalError, Role, proxy};
use crate::settings::{AppSettings, DeployTarget, LogsSettings, UpSettings};
use crate::ui::Printer;
use crate::ui::table::Table;

/// Says, in one line, that the command works on the local engine when nobody asked for it.
pub(crate) fn say_target(target: &DeployTarget, printer: &Printer) {
    if let Some(note) = target.implied_note() {
        printer.status("Target", note);
    }
}

async fn engine() -> Result<bollard::Docker, CliError> {
    crate::build::connect().await.map_err(|err| {
        CliError::new(err).hinted_if_retryable("start the Docker Engine, or set `DOCKER_HOST`")
    })
}

/// Adds the hint of a local failure and prints its diagnosis.
fn local_error(err: LocalError, printer: &Printer) -> CliError {
    if let Some(diagnosis) = err.diagnosis()
        && !printer.json()
    {
        printer.note(format_args!("\n{diagnosis}\n"));
    }
    let hint = match &err {
        LocalError::NotReady { diagnosis, .. }
        | LocalError::ComponentNotReady { diagnosis, .. } => Some(format!(
            "{}; the replicas that served before keep serving",
            diagnosis.hint
        )),
        LocalError::NotRunning { .. } => {
            Some("`paas up` starts it on the local Docker engine".to_owned())
        }
        LocalError::NoRelease { .. } => Some("`paas history` lists the releases".to_owned()),
        LocalError::Store(_) => {
            Some("set `XDG_STATE_HOME` or `HOME` to a folder paas may write to".to_owned())
        }
        LocalError::Pull { image, .. } => Some(format!(
            "the engine could not pull `{image}`: load it (`docker load`), or name your company's image in the component's catalog"
        )),
        LocalError::Stopped { .. } => {
            Some("run `paas up` again; the replicas that served before keep serving".to_owned())
        }
        LocalError::Engine { .. } => {
            Some("check that the Docker Engine is up (`docker info`)".to_owned())
        }
        _ => None,
    };
    let stopped = matches!(err, LocalError::Stopped { .. });
    let mut cli = match err {
        LocalError::Up(inner) => crate::commands::up::up_error(*inner, printer, "local"),
        other => CliError::new(other),
    };
    if stopped {
        cli.kind = ErrorKind::Interrupted;
    }
    match hint {
        Some(hint) => cli.hinted(hint),
        None => cli,
    }
}

fn print_result(result: &LocalResult, printer: &Printer) -> Result<(), CliError> {
    if printer.json() {
        output(printer.data_json(result))?;
    } else {
        for url in &result.urls {
            printer.note(format_args!("          at {url}"));
        }
    }
    Ok(())
}

fn failure_json(
    err: &CliError,
    diagnosis: Option<&crate::local::Diagnosis>,
    printer: &Printer,
) -> Result<(), CliError> {
    if printer.json() {
        let failure = serde_json::json!({
            "ok": false,
            "exit_code": err.exit_status().code(),
            "error": crate::ui::error_lines(&err.source),
            "hints": err.hints,
            "diagnosis": diagnosis,
        });
        output(printer.data_json(&failure))?;
    }
    Ok(())
}

/// `paas up` on the local engine.
pub(crate) fn up(
    settings: &UpSettings,
    args: &UpArgs,
    printer: &Printer,
) -> Result<ExitStatus, CliError> {
    let DeployTarget::Docker { environment, .. } = &settings.target else {
        unreachable!("called for the local target only");
    };
    let plan = LocalUpPlan {
        root: settings.root.clone(),
        dockerfile: "Dockerfile".to_owned(),
        repository: settings.repository.clone(),
        templates: settings.templates.clone(),
        context: settings.context.clone(),
        catalog: settings.catalog.clone(),
        environment: environment.clone(),
        timeout: args.timeout,
        user: format!("{} pid {}", settings.user, std::process::id()),
        history: crate::deploy::release::DEFAULT_HISTORY,
    };
    let runtime = crate::commands::runtime()?;
    let reporter = Reporter {
        printer: printer.clone(),
    };
    let result = runtime.block_on(async {
        let interrupt = crate::deploy::interrupt::Interrupt::on_ctrl_c();
        let docker = engine().await?;
        deploy::up(&docker, &plan, &reporter, &interrupt)
            .await
            .map_err(|err| {
                let diagnosis = err.diagnosis().cloned();
                (local_error(err, printer), diagnosis)
            })
            .map_err(|(err, diagnosis)| {
                let _ = failure_json(&err, diagnosis.as_ref(), printer);
                err
            })
    });
    printer.progress_message("");
    print_result(&result?, printer)?;
    Ok(ExitStatus::Success)
}

/// `paas rollback` on the local engine: the recorded image and manifests, run again.
pub(crate) fn rollback(
    settings: &AppSettings,
    args: &RollbackArgs,
    printer: &Printer,
) -> Result<ExitStatus, CliError> {
    let runtime = crate::commands::runtime()?;
    let reporter = Reporter {
        printer: printer.clone(),
    };
    let user = format!("{} pid {}", settings.user, std::process::id());
    let result = runtime.block_on(async {
        let interrupt = crate::deploy::interrupt::Interrupt::on_ctrl_c();
        let docker = engine().await?;
        deploy::rollback(
            &docker,
            &settings.app,
            args.to,
            args.timeout,
            &user,
            &reporter,
            &interrupt,
        )
        .await
        .map_err(|err| local_error(err, printer))
    })?;
    print_result(&result, printer)?;
    Ok(ExitStatus::Success)
}

/// `paas scale N` on the local engine.
pub(crate) fn scale(
    settings: &AppSettings,
    replicas: u32,
    timeout: Duration,
    printer: &Printer,
) -> Result<ExitStatus, CliError> {
    let runtime = crate::commands::runtime()?;
    let reporter = Reporter {
        printer: printer.clone(),
    };
    let user = format!("{} pid {}", settings.user, std::process::id());
    let result = runtime.block_on(async {
        let interrupt = crate::deploy::interrupt::Interrupt::on_ctrl_c();
        let docker = engine().await?;
        deploy::scale(
            &docker,
            &settings.app,
            replicas,
            timeout,
            &user,
            &reporter,
            &interrupt,
        )
        .await
        .map_err(|err| local_error(err, printer))
    })?;
    if !printer.json() {
        printer.status(
            "Scaled",
            format_args!(
                "`{}` to {replicas} on the local Docker engine",
                settings.app
            ),
        );
    }
    print_result(&result, printer)?;
    Ok(ExitStatus::Success)
}

/// `paas down` on the local engine: exactly the app's labelled containers and network; the
/// volumes and passwords only with `--volumes`; the history unless `--keep-history`.
pub(crate) fn down(
    settings: &AppSettings,
    args: &DownArgs,
    printer: &Printer,
) -> Result<ExitStatus, CliError> {
    let runtime = crate::commands::runtime()?;
    let removed = runtime.block_on(async {
        let docker = engine().await?;
        if args.dry_run {
            return deploy::plan_down(&docker, &settings.app, args.volumes)
                .await
                .map_err(|err| local_error(err, printer));
        }
        deploy::down(&docker, &settings.app, args.volumes, args.keep_history)
            .await
            .map_err(|err| local_error(err, printer))
    })?;
    if printer.json() {
        output(printer.data_json(&removed))?;
        return Ok(ExitStatus::Success);
    }
    let verb = if args.dry_run {
        "Would remove"
    } else {
        "Removed"
    };
    for container in &removed.containers {
        printer.status(verb, format_args!("container `{container}`"));
    }
    if let Some(network) = &removed.network {
        printer.status(verb, format_args!("network `{network}`"));
    }
    for volume in &removed.volumes {
        printer.status(verb, format_args!("volume `{volume}` and the data on it"));
    }
    if removed.containers.is_empty() && removed.network.is_none() && removed.volumes.is_empty() {
        printer.note(format_args!(
            "nothing of `{}` runs on the local Docker engine",
            settings.app
        ));
    }
    if !removed.kept_volumes.is_empty() {
        printer.note(format_args!(
            "kept the volumes {} (the components' data); `paas down --volumes` deletes them",
            removed
                .kept_volumes
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Ok(ExitStatus::Success)
}

/// `paas status` on the local engine.
pub(crate) fn status(settings: &AppSettings, printer: &Printer) -> Result<ExitStatus, CliError> {
    let runtime = crate::commands::runtime()?;
    let status = runtime.block_on(async {
        let docker = engine().await?;
        deploy::status(&docker, &settings.app)
            .await
            .map_err(|err| local_error(err, printer))
    })?;
    if printer.json() {
        output(printer.data_json(&status))?;
        return Ok(ExitStatus::Success);
    }
    let mut text = format!("app:      {} (local Docker engine)\n", status.app);
    match &status.release {
        Some(release) => {
            let _ = writeln!(
                text,
                "release:  {} ({}), image {}",
                release.revision, release.description, release.image
            );
        }
        None => text.push_str("release:  none deployed\n"),
    }
    if let Some(url) = &status.url {
        let _ = writeln!(text, "url:      {url}");
    }
    let mut table = Table::new(&["CONTAINER", "ROLE", "RELEASE", "STATE", "STATUS"]);
    for container in &status.containers {
        let state = if container.oom_killed {
            "OOMKilled".to_owned()
        } else {
            match container.exit_code {
                Some(code) if container.state != "running" => {
                    format!("{} ({code})", container.state)
                }
                _ => container.state.clone(),
            }
        };
        table.row(vec![
            container.name.clone(),
            match (container.role, &container.component) {
                (Role::Component, Some(component)) => format!("component {component}"),
                (role, _) => role.as_str().to_owned(),
            },
            container
                .revision
                .map_or_else(|| "-".to_owned(), |r| r.to_string()),
            state,
            container.status.clone(),
        ]);
    }
    if !status.containers.is_empty() {
        text.push('\n');
        text.push_str(&table.render(""));
    }
    if !status.volumes.is_empty() {
        let _ = writeln!(text, "\nvolumes:  {}", status.volumes.join(", "));
    }
    output(printer.data(&text))?;
    if status.containers.is_empty() {
        printer.hint(format_args!("`paas up` runs it on the local Docker engine"));
    }
    Ok(ExitStatus::Success)
}

/// `paas logs` on the local engine: the replicas' output (or a component's), each line after
/// its container's name.
pub(crate) fn logs(settings: &LogsSettings, printer: &Printer) -> Result<ExitStatus, CliError> {
    let runtime = crate::commands::runtime()?;
    runtime.block_on(async {
        let docker = engine().await?;
        let app = &settings.app.app;
        let listed = crate::local::engine::list(&docker, app)
            .await
            .map_err(|err| local_error(err, printer))?;
        let chosen: Vec<_> = listed
            .into_iter()
            .filter(|l| match &settings.component {
                Some(component) => l.component.as_deref() == Some(component.as_str()),
                None => l.role == Role::App,
            })
            .collect();
        if chosen.is_empty() {
            return Err(local_error(
                LocalError::NotRunning { app: app.clone() },
                printer,
            ));
        }
        let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel::<(String, String)>();
        for container in &chosen {
            let mut builder = bollard::query_parameters::LogsOptionsBuilder::default()
                .stdout(true)
                .stderr(true)
                .follow(settings.follow)
                .timestamps(settings.timestamps);
            if let Some(tail) = settings.tail {
                builder = builder.tail(&tail.to_string());
            }
            if let Some(since) = settings.since {
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap_or_default();
                builder = builder
                    .since(i32::try_from(now.saturating_sub(since).as_secs()).unwrap_or(i32::MAX));
            }
            let mut stream = docker.logs(&container.name, Some(builder.build()));
            let sender = sender.clone();
            let name = container.name.clone();
            tokio::spawn(async move {
                let mut partial = String::new();
                while let Some(Ok(chunk)) = stream.next().await {
                    partial.push_str(&chunk.to_string());
                    while let Some(at) = partial.find('\n') {
                        let line: String = partial.drain(..=at).collect();
                        let _ = sender.send((name.clone(), line.trim_end().to_owned()));
                    }
                }
                if !partial.is_empty() {
                    let _ = sender.send((name, partial));
                }
            });
        }
        drop(sender);
        let width = chosen.iter().map(|c| c.name.len()).max().unwrap_or(0);
        while let Some((name, line)) = receiver.recv().await {
            if settings.grep.as_ref().is_some_and(|g| !g.is_match(&line)) {
                continue;
            }
            let text = if printer.json() {
                serde_json::json!({"container": name, "line": line}).to_string()
            } else if chosen.len() > 1 {
                format!("{name:width$} | {line}")
            } else {
                line
            };
            let open = printer.data_stream(&format!("{text}\n")).map_err(|err| {
                CliError::failed(anyhow::Error::new(err).context("failed to write to stdout"))
            })?;
            if !open {
                break;
            }
        }
        Ok::<_, CliError>(())
    })?;
    Ok(ExitStatus::Success)
}

/// `paas __local-proxy serve [--listen ADDR]`, `backends ADDR…`, `probe --http ADDR PATH` or
/// `probe --tcp ADDR`: the front door's own work, inside its container.
pub(crate) fn proxy_command(words: &[String]) -> Result<ExitStatus, CliError> {
    let runtime = crate::commands::runtime()?;
    let usage = || {
        CliError::usage(anyhow::anyhow!(
            "usage: paas {} serve [--listen ADDR] | backends ADDR... | probe (--http ADDR PATH | --tcp ADDR)",
            proxy::SUBCOMMAND
        ))
    };
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    match words.as_slice() {
        ["serve", rest @ ..] => {
            let listen = match rest {
                [] => format!("0.0.0.0:{}", proxy::LISTEN_PORT),
                ["--listen", listen] => (*listen).to_owned(),
                _ => return Err(usage()),
            };
            runtime
                .block_on(proxy::serve(
                    &listen,
                    std::path::Path::new(proxy::BACKENDS_FILE),
                ))
                .map_err(|err| {
                    CliError::failed(
                        anyhow::Error::new(err).context(format!("failed to serve on {listen}")),
                    )
                })?;
            Ok(ExitStatus::Success)
        }
        ["backends", addresses @ ..] => {
            let addresses: Vec<String> = addresses.iter().map(|a| (*a).to_owned()).collect();
            proxy::write_backends(std::path::Path::new(proxy::BACKENDS_FILE), &addresses).map_err(
                |err| {
                    CliError::failed(
                        anyhow::Error::new(err).context("failed to write the replicas' addresses"),
                    )
                },
            )?;
            Ok(ExitStatus::Success)
        }
        ["probe", "--http", address, path] => probe(
            &runtime,
            &proxy::Check::Http {
                address: (*address).to_owned(),
                path: (*path).to_owned(),
            },
        ),
        ["probe", "--tcp", address] => probe(
            &runtime,
            &proxy::Check::Tcp {
                address: (*address).to_owned(),
            },
        ),
        _ => Err(usage()),
    }
}

fn probe(runtime: &tokio::runtime::Runtime, check: &proxy::Check) -> Result<ExitStatus, CliError> {
    runtime
        .block_on(proxy::probe(check, Duration::from_secs(2)))
        .map_err(|message| CliError::failed(anyhow::anyhow!(message)))?;
    Ok(ExitStatus::Success)
}
