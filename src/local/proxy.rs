//! The local target's front door: one container per app that owns the published port on
//! 127.0.0.1 and passes each connection to a ready replica, so a replica can be replaced
//! without the URL going away (what a Service does in the cluster).
//!
//! It is paas itself (`paas __local-proxy serve`), in an image paas makes from its own executable
//! and the shared libraries it has loaded, so nothing is pulled and any engine can run it. The
//! replicas it passes to are a file in its tmpfs that paas rewrites (`paas __local-proxy
//! backends`, through `docker exec`) as replicas become ready or leave; probes of a replica's
//! health path run from it too (`paas __local-proxy probe`), so they work wherever the engine is.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

/// The port the proxy listens on inside its container.
pub const LISTEN_PORT: u16 = 8080;
/// Where the proxy reads its replicas from (one `IP:PORT` a line).
pub const BACKENDS_FILE: &str = "/tmp/backends";
/// The executable's path in the proxy image.
pub const EXECUTABLE: &str = "/paas";
/// The hidden subcommand the image runs.
pub const SUBCOMMAND: &str = "__local-proxy";
/// How long a connection to a replica may take before the next one is tried.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);

/// Serves on `listen`, passing each connection to the next replica of `backends` that accepts it.
pub async fn serve(listen: &str, backends: &Path) -> std::io::Result<()> {
    let listener = TcpListener::bind(listen).await?;
    let table = std::sync::Arc::new(std::sync::Mutex::new(Table::default()));
    let mut next = 0usize;
    loop {
        let (client, _) = listener.accept().await?;
        let list = table
            .lock()
            .expect("the table lock is never poisoned")
            .current(backends);
        next = next.wrapping_add(1);
        tokio::spawn(async move {
            let _ = pass(client, &list, next).await;
        });
    }
}

/// The replicas, read again when the file changes.
#[derive(Default)]
struct Table {
    modified: Option<SystemTime>,
    backends: Vec<String>,
}

impl Table {
    fn current(&mut self, path: &Path) -> Vec<String> {
        let modified = fs_err::metadata(path).and_then(|m| m.modified()).ok();
        if modified != self.modified {
            self.backends = fs_err::read_to_string(path)
                .map(|text| parse_backends(&text))
                .unwrap_or_default();
            self.modified = modified;
        }
        self.backends.clone()
    }
}

fn parse_backends(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

async fn pass(mut client: TcpStream, backends: &[String], start: usize) -> std::io::Result<()> {
    for offset in 0..backends.len() {
        let backend = &backends[(start + offset) % backends.len()];
        let Ok(Ok(mut upstream)) =
            tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect(backend)).await
        else {
            continue;
        };
        tokio::io::copy_bidirectional(&mut client, &mut upstream).await?;
        return Ok(());
    }
    Ok(())
}

/// Writes the replicas' addresses (whole, or not at all).
pub fn write_backends(path: &Path, backends: &[String]) -> std::io::Result<()> {
    let mut text = backends.join("\n");
    text.push('\n');
    crate::config::edit::write_atomically(path, text.as_bytes(), false)
}

/// What a probe checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    /// `GET http://ADDR/PATH` answers 200 to 399.
    Http {
        /// `IP:PORT`.
        address: String,
        /// The path.
        path: String,
    },
    /// `ADDR` accepts a connection.
    Tcp {
        /// `IP:PORT`.
        address: String,
    },
}

/// Runs `check` once: `Ok(())` when it passes, else what happened.
pub async fn probe(check: &Check, timeout: Duration) -> Result<(), String> {
    let address = match check {
        Check::Http { address, .. } | Check::Tcp { address } => address,
    };
    let attempt = async {
        let mut stream = TcpStream::connect(address)
            .await
            .map_err(|err| format!("connecting to {address}: {err}"))?;
        let Check::Http { path, .. } = check else {
            return Ok(());
        };
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: {address}\r\nUser-Agent: paas-probe\r\nConnection: close\r\n\r\n"
        );
        stream
            .write_all(request.as_bytes())
            .await
            .map_err(|err| format!("sending to {address}: {err}"))?;
        let mut head = Vec::new();
        let mut buffer = [0u8; 512];
        while !head.contains(&b'\n') && head.len() < 4096 {
            let read = stream
                .read(&mut buffer)
                .await
                .map_err(|err| format!("reading from {address}: {err}"))?;
            if read == 0 {
                break;
            }
            head.extend_from_slice(&buffer[..read]);
        }
        let line = String::from_utf8_lossy(&head);
        let status = line
            .split_whitespace()
            .nth(1)
            .and_then(|code| code.parse::<u16>().ok())
            .ok_or_else(|| format!("GET {path} on {address}: no HTTP answer"))?;
        if (200..400).contains(&status) {
            Ok(())
        } else {
            Err(format!("GET {path} on {address} answered {status}"))
        }
    };
    tokio::time::timeout(timeout, attempt)
        .await
        .unwrap_or_else(|_| {
            Err(format!(
                "no answer from {address} within {}s",
                timeout.as_secs()
            ))
        })
}

/// The files of the proxy image: this executable and every shared library it has loaded, at
/// the paths the dynamic loader looks for them.
pub fn image_files() -> std::io::Result<Vec<(PathBuf, PathBuf)>> {
    let executable = std::env::current_exe()?;
    let mut files = vec![(
        executable,
        PathBuf::from(EXECUTABLE.trim_start_matches('/')),
    )];
    let maps = fs_err::read_to_string("/proc/self/maps")?;
    let mut seen = std::collections::BTreeSet::new();
    for line in maps.lines() {
        let Some(path) = line.split_whitespace().nth(5) else {
            continue;
        };
        if !path.starts_with('/') || !path.contains(".so") || !seen.insert(path.to_owned()) {
            continue;
        }
        let path = PathBuf::from(path);
        files.push((
            path.clone(),
            path.strip_prefix("/").unwrap_or(&path).to_path_buf(),
        ));
    }
    // The interpreter the executable names (`/lib64/ld-linux-x86-64.so.2` is a link to it).
    for interpreter in ["/lib64/ld-linux-x86-64.so.2", "/lib/ld-linux-aarch64.so.1"] {
        let path = Path::new(interpreter);
        if path.exists() {
            files.push((
                fs_err::canonicalize(path)?,
                path.strip_prefix("/").unwrap_or(path).to_path_buf(),
            ));
        }
    }
    Ok(files)
}

/// The folders of the libraries among `files`, for the image's `LD_LIBRARY_PATH`.
#[must_use]
pub fn library_path(files: &[(PathBuf, PathBuf)]) -> String {
    let mut dirs: Vec<String> = Vec::new();
    for (_, inside) in files.iter().skip(1) {
        if let Some(dir) = Path::new("/").join(inside).parent() {
            let dir = dir.display().to_string();
            if !dirs.contains(&dir) {
                dirs.push(dir);
            }
        }
    }
    dirs.join(":")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_proxy_passes_to_a_replica_that_answers_and_skips_one_that_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("backends");
        // A replica that answers, and an address nothing listens on.
        let replica = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let good = replica.local_addr().unwrap().to_string();
        let dead = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().to_string()
        };
        write_backends(&file, &[dead, good.clone()]).unwrap();
        tokio::spawn(async move {
            loop {
                let (mut s, _) = replica.accept().await.unwrap();
                tokio::spawn(async move {
                    let mut buf = [0u8; 1024];
                    let _ = s.read(&mut buf).await;
                    let _ = s
                        .write_all(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n")
                        .await;
                });
            }
        });
        let front = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let listen = front.local_addr().unwrap().to_string();
        drop(front);
        let serve_file = file.clone();
        let serve_listen = listen.clone();
        tokio::spawn(async move { serve(&serve_listen, &serve_file).await });
        tokio::time::sleep(Duration::from_millis(100)).await;
        for _ in 0..4 {
            probe(
                &Check::Http {
                    address: listen.clone(),
                    path: "/".into(),
                },
                Duration::from_secs(5),
            )
            .await
            .unwrap();
        }
        let refused = probe(
            &Check::Tcp {
                address: {
                    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
                    l.local_addr().unwrap().to_string()
                },
            },
            Duration::from_secs(1),
        )
        .await;
        assert!(refused.is_err());
    }
}
