//! Running the credential programs paas starts itself (Docker credential helpers, kube exec
//! credential plugins): one place that gives each a time limit, captures its output (bounded) and
//! kills it at the limit.
//!
//! What such a program prints may be a password or a token, so this module hands the output back
//! to its caller and never puts it in an error: [`RunError`] says only that the program could not
//! be started or did not finish in time. Callers word their errors with the program's name and
//! exit status, never with its output.

use std::io::{Read as _, Write as _};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

/// How much of a program's stdout or stderr is kept.
const OUTPUT_LIMIT: u64 = 1 << 20;

/// What a program did before it exited.
pub struct Finished {
    /// How it exited.
    pub status: ExitStatus,
    /// What it printed on stdout (at most 1 MiB).
    pub stdout: Vec<u8>,
    /// What it printed on stderr (at most 1 MiB; empty when stderr was passed through).
    pub stderr: Vec<u8>,
}

impl std::fmt::Debug for Finished {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The output may hold a secret: only its size is shown.
        f.debug_struct("Finished")
            .field("status", &self.status)
            .field("stdout_bytes", &self.stdout.len())
            .field("stderr_bytes", &self.stderr.len())
            .finish()
    }
}

/// Why a program did not finish.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// It could not be started (not found, not executable) or talked to.
    #[error("failed to run it")]
    Io(#[source] std::io::Error),
    /// It was still running at the limit, and was killed.
    #[error("it did not finish within {0:?}")]
    TimedOut(Duration),
}

/// How a program's stderr is handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stderr {
    /// Captured into [`Finished::stderr`].
    Capture,
    /// Passed through to paas's own stderr (a program that talks to the user at a terminal).
    Inherit,
}

/// Runs `command` with `input` on its stdin (`None`: stdin is passed through, for a program that
/// talks to the user), stdout captured, and stderr as `stderr` says; kills it when it is still
/// running after `timeout`.
///
/// This blocks while the program runs: call it from `tokio::task::spawn_blocking` inside a
/// runtime.
pub fn run(
    mut command: Command,
    input: Option<&[u8]>,
    stderr: Stderr,
    timeout: Duration,
) -> Result<Finished, RunError> {
    command.stdout(Stdio::piped());
    command.stdin(if input.is_some() {
        Stdio::piped()
    } else {
        Stdio::inherit()
    });
    command.stderr(match stderr {
        Stderr::Capture => Stdio::piped(),
        Stderr::Inherit => Stdio::inherit(),
    });
    let mut child = spawn(&mut command).map_err(RunError::Io)?;
    if let (Some(input), Some(mut stdin)) = (input, child.stdin.take()) {
        // A program that exits without reading stdin is judged by its exit status.
        let _ = stdin.write_all(input);
    }
    let stdout = read_in_background(child.stdout.take());
    let stderr = read_in_background(child.stderr.take());
    let deadline = Instant::now() + timeout;
    let status = loop {
        if let Some(status) = child.try_wait().map_err(RunError::Io)? {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(RunError::TimedOut(timeout));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    // A grandchild that keeps the pipe open must not hold paas: what came by then is enough.
    let collect = |rx: Receiver<Vec<u8>>| {
        rx.recv_timeout(Duration::from_millis(500))
            .unwrap_or_default()
    };
    Ok(Finished {
        status,
        stdout: collect(stdout),
        stderr: collect(stderr),
    })
}

/// Describes an exit status as errors show it: `exit code 1` or `a signal`.
#[must_use]
pub fn describe(status: ExitStatus) -> String {
    status
        .code()
        .map_or_else(|| "a signal".to_owned(), |c| format!("exit code {c}"))
}

fn spawn(command: &mut Command) -> std::io::Result<Child> {
    let mut attempts = 0;
    loop {
        match command.spawn() {
            // ETXTBSY: another thread forked while the program's file was open for writing.
            Err(err) if err.kind() == std::io::ErrorKind::ExecutableFileBusy && attempts < 10 => {
                attempts += 1;
                std::thread::sleep(Duration::from_millis(20));
            }
            other => return other,
        }
    }
}

fn read_in_background(pipe: Option<impl std::io::Read + Send + 'static>) -> Receiver<Vec<u8>> {
    let (tx, rx) = std::sync::mpsc::channel();
    if let Some(mut pipe) = pipe {
        std::thread::spawn(move || {
            let mut buffer = Vec::new();
            let _ = pipe.by_ref().take(OUTPUT_LIMIT).read_to_end(&mut buffer);
            let _ = tx.send(buffer);
        });
    } else {
        let _ = tx.send(Vec::new());
    }
    rx
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> Command {
        let mut command = Command::new("/bin/sh");
        command.args(["-c", script]);
        command
    }

    #[test]
    fn output_and_status_come_back() {
        let done = run(
            sh("read x; echo \"got $x\"; echo err >&2; exit 3"),
            Some(b"in\n"),
            Stderr::Capture,
            Duration::from_secs(10),
        )
        .unwrap();
        assert_eq!(done.stdout, b"got in\n");
        assert_eq!(done.stderr, b"err\n");
        assert_eq!(describe(done.status), "exit code 3");
        assert!(!format!("{done:?}").contains("got in"));
    }

    #[test]
    fn a_hanging_program_is_killed_at_the_limit() {
        let started = Instant::now();
        let err = run(
            sh("exec sleep 30"),
            Some(b""),
            Stderr::Capture,
            Duration::from_millis(200),
        )
        .unwrap_err();
        assert!(matches!(err, RunError::TimedOut(_)), "{err:?}");
        assert!(started.elapsed() < Duration::from_secs(3));
    }
}
