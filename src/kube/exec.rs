//! Exec credential plugins (a kubeconfig user's `exec:`), run by paas itself rather than by
//! kube-rs, so that each run has a time limit and nothing it prints reaches an error.
//!
//! kube-rs runs the plugin with no time limit (a hanging plugin hangs paas), and its error for a
//! plugin that fails quotes the plugin's whole stdout and stderr, which may hold a token. Here the
//! plugin runs once per command, before the client is built, under [`crate::process::run`]; its
//! credential is handed to kube-rs as a static token or client certificate. A failure names the
//! plugin's command and its exit status only.
//!
//! The plugin's stderr is shown live only when it may talk to the user (its `interactiveMode` is
//! not `Never` and stdin is a terminal), as kubectl shows it; otherwise it is captured and
//! dropped, so a CI log never holds it. A credential that expires while a command still runs is
//! not refreshed: paas commands are short, except `paas logs -f`, which then fails with 401 and
//! can be started again.

use std::io::IsTerminal as _;
use std::process::Command;
use std::time::Duration;

use ::kube::config::{AuthInfo, ExecConfig, ExecInteractiveMode};
use base64::Engine as _;
use serde::Deserialize;

use crate::process::{self, RunError, Stderr};

/// How long an exec credential plugin may take unless `PAAS_CREDENTIAL_TIMEOUT` says otherwise
/// (kubectl users expect about a minute).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// Why an exec credential plugin gave no credential. None of these carries what it printed.
#[derive(Debug, thiserror::Error)]
pub enum ExecError {
    /// The kubeconfig's `exec` has no `command`.
    #[error("the exec credential plugin of kube user `{user}` names no `command`")]
    NoCommand {
        /// The kubeconfig user.
        user: String,
    },
    /// The thread that ran the plugin stopped unexpectedly.
    #[error("the exec credential plugin could not be run: {0}")]
    Panicked(String),
    /// The plugin could not be started.
    #[error("failed to run the exec credential plugin `{command}` of kube user `{user}`")]
    Start {
        /// The plugin's command, as the kubeconfig gives it.
        command: String,
        /// The kubeconfig user.
        user: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The plugin did not finish in time and was killed.
    #[error(
        "the exec credential plugin `{command}` of kube user `{user}` did not answer within {timeout:?} and was stopped"
    )]
    TimedOut {
        /// The plugin's command.
        command: String,
        /// The kubeconfig user.
        user: String,
        /// The limit.
        timeout: Duration,
    },
    /// The plugin exited unsuccessfully.
    #[error(
        "the exec credential plugin `{command}` of kube user `{user}` failed with {status} (what it printed is not shown: it may hold a token)"
    )]
    Failed {
        /// The plugin's command.
        command: String,
        /// The kubeconfig user.
        user: String,
        /// `exit code N` or `a signal`.
        status: String,
    },
    /// The plugin printed something that is not an `ExecCredential` with a token or certificate.
    #[error(
        "the exec credential plugin `{command}` of kube user `{user}` printed no valid `ExecCredential` (not shown: it may hold a token)"
    )]
    Invalid {
        /// The plugin's command.
        command: String,
        /// The kubeconfig user.
        user: String,
    },
}

impl ExecError {
    /// Returns whether trying again later may work (the plugin hung, e.g. on a network call).
    #[must_use]
    pub fn retryable(&self) -> bool {
        matches!(self, Self::TimedOut { .. })
    }
}

/// The part of an `ExecCredential` paas reads.
#[derive(Deserialize)]
struct ExecCredential {
    status: Option<ExecStatus>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ExecStatus {
    token: Option<String>,
    client_certificate_data: Option<String>,
    client_key_data: Option<String>,
}

/// Runs the exec plugin of `auth_info`, if it has one, and replaces it by the credential the
/// plugin printed, so that kube-rs sends that credential and never runs the plugin itself.
///
/// This blocks while the plugin runs: call it from `tokio::task::spawn_blocking`.
pub fn resolve(auth_info: &mut AuthInfo, user: &str, timeout: Duration) -> Result<(), ExecError> {
    let Some(exec) = auth_info.exec.take() else {
        return Ok(());
    };
    let status = run(&exec, user, timeout)?;
    let invalid = || ExecError::Invalid {
        command: exec.command.clone().unwrap_or_default(),
        user: user.to_owned(),
    };
    // kube-rs keeps secrets in types this crate cannot build directly; its own deserializer can.
    let mut credential = serde_json::Map::new();
    match (
        status.token,
        status.client_certificate_data,
        status.client_key_data,
    ) {
        (_, Some(certificate), Some(key)) => {
            let base64 = base64::engine::general_purpose::STANDARD;
            credential.insert(
                "client-certificate-data".into(),
                base64.encode(certificate).into(),
            );
            credential.insert("client-key-data".into(), base64.encode(key).into());
        }
        (Some(token), _, _) if !token.is_empty() => {
            credential.insert("token".into(), token.into());
        }
        _ => return Err(invalid()),
    }
    let credential: AuthInfo =
        serde_json::from_value(serde_json::Value::Object(credential)).map_err(|_| invalid())?;
    if credential.token.is_some() {
        auth_info.token = credential.token;
    } else {
        auth_info.client_certificate_data = credential.client_certificate_data;
        auth_info.client_key_data = credential.client_key_data;
    }
    Ok(())
}

fn run(exec: &ExecConfig, user: &str, timeout: Duration) -> Result<ExecStatus, ExecError> {
    let Some(program) = exec.command.clone() else {
        return Err(ExecError::NoCommand {
            user: user.to_owned(),
        });
    };
    let interactive =
        exec.interactive_mode != Some(ExecInteractiveMode::Never) && std::io::stdin().is_terminal();
    let mut command = Command::new(&program);
    command.args(exec.args.iter().flatten());
    for variable in exec.env.iter().flatten() {
        if let (Some(name), Some(value)) = (variable.get("name"), variable.get("value")) {
            command.env(name, value);
        }
    }
    for name in exec.drop_env.iter().flatten() {
        command.env_remove(name);
    }
    let info = serde_json::json!({
        "apiVersion": exec.api_version.as_deref().unwrap_or("client.authentication.k8s.io/v1"),
        "kind": "ExecCredential",
        "spec": { "interactive": interactive },
    });
    command.env("KUBERNETES_EXEC_INFO", info.to_string());
    let (input, stderr): (Option<&[u8]>, Stderr) = if interactive {
        (None, Stderr::Inherit)
    } else {
        (Some(b""), Stderr::Capture)
    };
    let finished = process::run(command, input, stderr, timeout).map_err(|err| match err {
        RunError::Io(source) => ExecError::Start {
            command: program.clone(),
            user: user.to_owned(),
            source,
        },
        RunError::TimedOut(timeout) => ExecError::TimedOut {
            command: program.clone(),
            user: user.to_owned(),
            timeout,
        },
    })?;
    if !finished.status.success() {
        return Err(ExecError::Failed {
            command: program,
            user: user.to_owned(),
            status: process::describe(finished.status),
        });
    }
    // client-go reads the answer as YAML (a superset of JSON), and so does kube-rs.
    serde_saphyr::from_slice::<ExecCredential>(&finished.stdout)
        .ok()
        .and_then(|credential| credential.status)
        .ok_or(ExecError::Invalid {
            command: program,
            user: user.to_owned(),
        })
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt as _;

    use super::*;

    fn plugin(dir: &std::path::Path, body: &str) -> AuthInfo {
        let path = dir.join("plugin");
        fs_err::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        fs_err::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        serde_json::from_value(serde_json::json!({
            "exec": {
                "apiVersion": "client.authentication.k8s.io/v1",
                "command": path.display().to_string(),
                "args": ["--cluster", "dev"],
                "env": [{ "name": "GREETING", "value": "hi" }],
                "interactiveMode": "Never",
            }
        }))
        .unwrap()
    }

    fn shown(err: &ExecError) -> String {
        let mut text = format!("{err} {err:?}");
        let mut source = std::error::Error::source(err);
        while let Some(cause) = source {
            text.push(' ');
            text.push_str(&cause.to_string());
            source = cause.source();
        }
        text
    }

    #[test]
    fn the_token_replaces_the_plugin() {
        let dir = tempfile::tempdir().unwrap();
        let mut auth = plugin(
            dir.path(),
            r#"[ "$1 $2 $GREETING" = "--cluster dev hi" ] || exit 9
echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"TOK-1"}}'"#,
        );
        resolve(&mut auth, "dev", Duration::from_secs(10)).unwrap();
        assert!(auth.exec.is_none());
        // The token itself cannot be read back here; the platform test uses it for real.
        let token = auth.token.expect("a token");
        assert!(!format!("{token:?}").contains("TOK-1"));
    }

    #[test]
    fn a_failing_plugin_shows_neither_stdout_nor_stderr() {
        let dir = tempfile::tempdir().unwrap();
        let mut auth = plugin(
            dir.path(),
            "echo TOK-S3NTINEL-out; echo TOK-S3NTINEL-err >&2; exit 1",
        );
        let err = resolve(&mut auth, "dev", Duration::from_secs(10)).unwrap_err();
        let text = shown(&err);
        assert!(!text.contains("S3NTINEL"), "{text}");
        assert!(text.contains("failed with exit code 1"), "{text}");
    }

    #[test]
    fn garbage_is_not_quoted() {
        let dir = tempfile::tempdir().unwrap();
        let mut auth = plugin(
            dir.path(),
            r#"echo '{"status": {"token": ["TOK-S3NTINEL"]}}'"#,
        );
        let err = resolve(&mut auth, "dev", Duration::from_secs(10)).unwrap_err();
        assert!(matches!(err, ExecError::Invalid { .. }), "{err:?}");
        assert!(!shown(&err).contains("S3NTINEL"));
    }

    #[test]
    fn a_hanging_plugin_is_stopped() {
        let dir = tempfile::tempdir().unwrap();
        let mut auth = plugin(dir.path(), "exec sleep 30");
        let started = std::time::Instant::now();
        let err = resolve(&mut auth, "dev", Duration::from_millis(300)).unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(3));
        assert!(err.retryable());
        assert!(
            err.to_string().contains("did not answer within 300ms"),
            "{err}"
        );
    }
}
