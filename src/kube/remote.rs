//! Running a shell script in a pod's container through the exec API (a WebSocket; protocol v5,
//! so that the end of stdin reaches the command), with stdout and stdin streamed: what `paas
//! backup` and `paas restore` move is never held in memory whole.
//!
//! The script's stderr is kept (its last lines, for the error); its stdout goes to the caller's
//! sink chunk by chunk; its exit status comes from the API server's status message.

use std::io;

use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, AttachParams};
use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncWriteExt as _};

/// How many bytes are moved at a time.
const CHUNK: usize = 64 * 1024;
/// The size of the pipes between this process and the exec stream.
const PIPE: usize = 1 << 20;
/// How many of the last stderr lines an error shows.
const STDERR_LINES: usize = 8;
/// How much stderr is kept at most.
const STDERR_LIMIT: usize = 16 * 1024;

/// Where a script runs.
#[derive(Clone)]
pub struct Container<'a> {
    /// The client.
    pub client: &'a kube::Client,
    /// The namespace.
    pub namespace: &'a str,
    /// The pod.
    pub pod: &'a str,
    /// The container.
    pub container: &'a str,
}

/// Why a script could not run or did not succeed. No variant holds what the script printed on
/// stdout (a dump, or data).
#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    /// The exec request was refused or could not be made.
    #[error("failed to start {what} in container `{container}` of pod `{pod}`")]
    Start {
        /// What the script does.
        what: String,
        /// The pod.
        pod: String,
        /// The container.
        container: String,
        /// The cause.
        #[source]
        source: kube::Error,
    },
    /// The script ran and failed.
    #[error("{what} failed in pod `{pod}`: {status}{}", stderr_lines(stderr))]
    Failed {
        /// What the script does.
        what: String,
        /// The pod.
        pod: String,
        /// The API server's status message (`command terminated with non-zero exit code: 1`).
        status: String,
        /// The command's exit code, when the status gives it.
        exit_code: Option<i32>,
        /// The last lines the script wrote to stderr.
        stderr: Vec<String>,
    },
    /// The stream broke, or the local side could not be read or written.
    #[error("{what} in pod `{pod}` was cut off")]
    Stream {
        /// What the script does.
        what: String,
        /// The pod.
        pod: String,
        /// The cause.
        #[source]
        source: io::Error,
    },
}

fn stderr_lines(lines: &[String]) -> String {
    lines.iter().fold(String::new(), |mut all, line| {
        all.push_str("\n  ");
        all.push_str(line);
        all
    })
}

/// Runs `script` with `sh -c` in the container. `stdin`, when given, is sent whole and then
/// closed; every chunk of stdout goes to `stdout` (which may refuse it, ending the run); `on_bytes`
/// is told how many bytes have moved so far (sent when there is a `stdin`, else received).
/// Returns the script's stderr.
pub async fn run(
    target: &Container<'_>,
    what: &str,
    script: &str,
    stdin: Option<&mut (dyn AsyncRead + Unpin + Send)>,
    stdout: &mut (dyn FnMut(&[u8]) -> io::Result<()> + Send),
    on_bytes: &(dyn Fn(u64) + Send + Sync),
) -> Result<String, RemoteError> {
    let pods: Api<Pod> = Api::namespaced(target.client.clone(), target.namespace);
    // kube's pipes default to 1 KiB, which cuts a stream into 1 KiB WebSocket frames (its
    // reader takes 4 KiB at a time): larger pipes let it send
    // 4 KiB frames.
    let params = AttachParams::default()
        .container(target.container)
        .stdin(stdin.is_some())
        .stdout(true)
        .stderr(true)
        .max_stdin_buf_size(PIPE)
        .max_stdout_buf_size(PIPE);
    let mut attached = pods
        .exec(target.pod, ["sh", "-c", script], &params)
        .await
        .map_err(|source| RemoteError::Start {
            what: what.to_owned(),
            pod: target.pod.to_owned(),
            container: target.container.to_owned(),
            source,
        })?;
    let cut = |source: io::Error| RemoteError::Stream {
        what: what.to_owned(),
        pod: target.pod.to_owned(),
        source,
    };
    let mut out = attached
        .stdout()
        .ok_or_else(|| cut(io::ErrorKind::BrokenPipe.into()))?;
    let mut err = attached
        .stderr()
        .ok_or_else(|| cut(io::ErrorKind::BrokenPipe.into()))?;
    let status = attached.take_status();
    let sending = stdin.is_some();
    let writer = attached.stdin();
    let send = async {
        let (Some(input), Some(mut writer)) = (stdin, writer) else {
            return Ok(());
        };
        let mut buffer = vec![0; CHUNK];
        let mut sent = 0_u64;
        loop {
            let n = input.read(&mut buffer).await?;
            if n == 0 {
                break;
            }
            writer.write_all(&buffer[..n]).await?;
            sent += n as u64;
            on_bytes(sent);
        }
        writer.shutdown().await
    };
    let receive = async {
        let mut buffer = vec![0; CHUNK];
        let mut received = 0_u64;
        loop {
            let n = out.read(&mut buffer).await?;
            if n == 0 {
                return Ok::<_, io::Error>(());
            }
            stdout(&buffer[..n])?;
            received += n as u64;
            if !sending {
                on_bytes(received);
            }
        }
    };
    let errors = async {
        let mut kept = Vec::new();
        let mut buffer = vec![0; 4096];
        loop {
            let n = err.read(&mut buffer).await?;
            if n == 0 {
                return Ok::<_, io::Error>(kept);
            }
            kept.extend_from_slice(&buffer[..n]);
            if kept.len() > STDERR_LIMIT {
                kept.drain(..kept.len() - STDERR_LIMIT);
            }
        }
    };
    let (input_done, output_done, stderr) = tokio::join!(send, receive, errors);
    let stderr = stderr.map_or_else(
        |_| String::new(),
        |e| String::from_utf8_lossy(&e).into_owned(),
    );
    let status = match status {
        Some(status) => status.await,
        None => None,
    };
    let _ = attached.join().await;
    // A command that fails may stop reading its stdin: its status says why, not the broken pipe.
    match status {
        Some(status) if status.status.as_deref() != Some("Success") => Err(RemoteError::Failed {
            what: what.to_owned(),
            pod: target.pod.to_owned(),
            exit_code: exit_code(&status),
            status: status
                .message
                .unwrap_or_else(|| "the command failed".to_owned()),
            stderr: last_lines(&stderr),
        }),
        Some(_) => {
            input_done.map_err(cut)?;
            output_done.map_err(cut)?;
            Ok(stderr)
        }
        None => {
            input_done.map_err(cut)?;
            output_done.map_err(cut)?;
            Err(cut(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the connection closed before the command's exit status came",
            )))
        }
    }
}

/// The exit code in a failure status: its `ExitCode` cause (`{"reason": "ExitCode", "message": "3"}`).
fn exit_code(status: &k8s_openapi::apimachinery::pkg::apis::meta::v1::Status) -> Option<i32> {
    status
        .details
        .as_ref()?
        .causes
        .as_ref()?
        .iter()
        .find(|c| c.reason.as_deref() == Some("ExitCode"))?
        .message
        .as_deref()?
        .parse()
        .ok()
}

/// The last [`STDERR_LINES`] non-empty lines.
fn last_lines(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(STDERR_LINES)..]
        .iter()
        .map(|l| (*l).to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_show_the_last_stderr_lines() {
        let text: String = (1..=12)
            .map(|i| format!("line {i}"))
            .collect::<Vec<_>>()
            .join("\n");
        let lines = last_lines(&text);
        assert_eq!(lines.len(), STDERR_LINES);
        assert_eq!(lines[0], "line 5");
        let err = RemoteError::Failed {
            what: "the dump".into(),
            pod: "shop-db-0".into(),
            status: "command terminated with non-zero exit code: 1".into(),
            exit_code: Some(1),
            stderr: vec!["pg_dump: error: connection failed".into()],
        };
        assert_eq!(
            err.to_string(),
            "the dump failed in pod `shop-db-0`: command terminated with non-zero exit code: 1\n  pg_dump: error: connection failed"
        );
    }

    #[test]
    fn the_exit_code_comes_from_the_status_details() {
        let status: k8s_openapi::apimachinery::pkg::apis::meta::v1::Status =
            serde_json::from_value(serde_json::json!({
                "status": "Failure",
                "message": "command terminated with non-zero exit code: command terminated with exit code 3",
                "reason": "NonZeroExitCode",
                "details": {"causes": [{"reason": "ExitCode", "message": "3"}]}
            }))
            .expect("a status");
        assert_eq!(exit_code(&status), Some(3));
        assert_eq!(
            exit_code(&k8s_openapi::apimachinery::pkg::apis::meta::v1::Status::default()),
            None
        );
    }
}
