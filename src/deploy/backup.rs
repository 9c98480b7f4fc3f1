//! `paas backup` and `paas restore`: a component's data dumped to a local file and loaded back,
//! through exec into the component's pod ([`crate::kube::remote`]), with the kind's scripts from
//! the catalog ([`crate::component::catalog::BackupSpec`]).
//!
//! A backup is written to `<file>.part` and renamed once the dump has ended well, with its
//! SHA-256 in `<file>.sha256`; a failed or cut-off dump leaves nothing behind. A restore reads the
//! file's first bytes and refuses a dump of another kind, checks the checksum file when there is
//! one, streams the file into the restore script and then runs the kind's verification.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, ListParams};
use sha2::{Digest as _, Sha256};
use tokio::io::AsyncReadExt as _;

use crate::component::backup::{self as dump, DumpError};
use crate::component::catalog::{BackupSpec, Catalog, CatalogError};
use crate::kube::remote::{self, Container, RemoteError};
use crate::labels;

/// The component a backup or restore works on, as the cluster has it.
#[derive(Debug, Clone)]
pub struct Target {
    /// The app.
    pub app: String,
    /// The component's name in `paas.toml`.
    pub name: String,
    /// Its kind (`redis`), from its labels.
    pub kind: String,
    /// Its version, from its labels.
    pub version: Option<String>,
    /// Its pod.
    pub pod: String,
    /// The container the scripts run in.
    pub container: String,
}

/// Receives the progress of a transfer.
pub trait TransferReporter: Send + Sync {
    /// A transfer of `total` bytes (unknown for a dump) starts.
    fn on_start(&self, what: &str, total: Option<u64>);
    /// `done` bytes have moved.
    fn on_bytes(&self, done: u64);
    /// The transfer ended (well or not).
    fn on_end(&self);
}

/// A finished backup.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Backup {
    /// The dump.
    pub file: PathBuf,
    /// Its checksum file.
    pub checksum_file: PathBuf,
    /// Its size.
    pub bytes: u64,
    /// Its SHA-256, hex.
    pub sha256: String,
}

/// A finished restore.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Restored {
    /// Bytes sent.
    pub bytes: u64,
    /// Whether a checksum file was there and matched.
    pub checksum_checked: bool,
    /// What the verification counted.
    pub count: u64,
    /// What it counts (`keys`, `tables`).
    pub unit: String,
}

/// Why a backup or restore did not happen or did not end well.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The app has no component of this name in the cluster.
    #[error(
        "app `{app}` has no component `{name}` in namespace `{namespace}`{}",
        known_components(known)
    )]
    NoComponent {
        /// The app.
        app: String,
        /// The name asked for.
        name: String,
        /// The namespace.
        namespace: String,
        /// The components it has.
        known: Vec<String>,
    },
    /// The component's pod is not running and ready.
    #[error("component `{name}` is not ready (pod `{pod}`: {state})")]
    NotReady {
        /// The component.
        name: String,
        /// Its pod.
        pod: String,
        /// What the pod is doing.
        state: String,
    },
    /// The kind has no backup in the catalog.
    #[error("components of kind `{kind}` have no backup in the catalog")]
    NoBackup {
        /// The kind.
        kind: String,
    },
    /// The kind is not in the catalog.
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    /// The file is not a dump of this kind.
    #[error(transparent)]
    Dump(#[from] DumpError),
    /// The file does not match its checksum file.
    #[error("`{}` does not match its checksum file `{}` (SHA-256 {actual}, expected {expected})", file.display(), checksum_file.display())]
    Checksum {
        /// The dump.
        file: PathBuf,
        /// Its checksum file.
        checksum_file: PathBuf,
        /// What the checksum file says.
        expected: String,
        /// What the file hashes to.
        actual: String,
    },
    /// What the dump script printed is not a dump.
    #[error("the dump of component `{name}` is not {format}; nothing was written")]
    BadDump {
        /// The component.
        name: String,
        /// What it should be.
        format: String,
    },
    /// The verification printed no count.
    #[error(
        "the check of the data of component `{name}` printed no count{}",
        lines(stderr)
    )]
    Unverified {
        /// The component.
        name: String,
        /// What the check wrote to stderr.
        stderr: Vec<String>,
    },
    /// A script failed or its stream broke.
    #[error(transparent)]
    Remote(Box<RemoteError>),
    /// A local file could not be read or written.
    #[error("failed to {action} `{}`", file.display())]
    Local {
        /// What was being done.
        action: &'static str,
        /// The file.
        file: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The API server refused or failed a request.
    #[error("failed to {action} in namespace `{namespace}`")]
    Api {
        /// What was being done.
        action: String,
        /// The namespace.
        namespace: String,
        /// The cause.
        #[source]
        source: kube::Error,
    },
}

impl From<RemoteError> for BackupError {
    fn from(err: RemoteError) -> Self {
        Self::Remote(Box::new(err))
    }
}

fn known_components(known: &[String]) -> String {
    if known.is_empty() {
        "; it has no components there".to_owned()
    } else {
        format!("; its components: {}", known.join(", "))
    }
}

fn lines(lines: &[String]) -> String {
    lines.iter().fold(String::new(), |mut all, line| {
        all.push_str("\n  ");
        all.push_str(line);
        all
    })
}

impl BackupError {
    /// What to try next.
    #[must_use]
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            Self::NoComponent { .. } => "`paas status` lists the app's components; a component in `paas.toml` exists once `paas up` has deployed it".to_owned(),
            Self::NotReady { name, .. } => format!("`paas status` says why, and `paas logs --component {name}` what it logged"),
            Self::NoBackup { kind } => format!("add a `[backup]` section to `_components/{kind}/component.toml` in the company's pack folder"),
            Self::Dump(DumpError::WrongKind { .. }) => "restore a file that `paas backup` made of a component of the same kind".to_owned(),
            Self::Dump(DumpError::NotADump { .. }) => "restore a file that `paas backup` made; a dump made by hand must be in the same format".to_owned(),
            Self::Checksum { checksum_file, .. } => format!("the file changed or was cut short since `paas backup` wrote it; copy it again, or delete `{}` to restore it as it is", checksum_file.display()),
            Self::BadDump { name, .. } => format!("`paas logs --component {name}` shows what the server said"),
            Self::Unverified { name, .. } => format!("check the data with `paas logs --component {name}` and the app"),
            Self::Remote(err) if matches!(**err, RemoteError::Failed { .. }) => "the lines above are what the command in the pod said".to_owned(),
            Self::Remote(_) | Self::Api { .. } => "check that the cluster is reachable (`paas status`) and try again".to_owned(),
            Self::Catalog(_) | Self::Local { .. } => return None,
        })
    }
}

/// Finds component `name` of `app`: its `StatefulSet`, kind and ready pod.
pub async fn target(
    client: &kube::Client,
    namespace: &str,
    app: &str,
    name: &str,
) -> Result<Target, BackupError> {
    let api_error = |action: String| {
        move |source| BackupError::Api {
            action,
            namespace: namespace.to_owned(),
            source,
        }
    };
    let sets: Api<StatefulSet> = Api::namespaced(client.clone(), namespace);
    let found = sets
        .list(&ListParams::default().labels(&labels::component_selector(app, name)))
        .await
        .map_err(api_error(format!("find component `{name}`")))?;
    let Some(set) = found.items.into_iter().next() else {
        let all = sets
            .list_metadata(&ListParams::default().labels(&format!(
                "{},{}",
                labels::app_selector(app),
                labels::COMPONENT
            )))
            .await
            .map_err(api_error(format!("list the components of `{app}`")))?;
        let mut known: Vec<String> = all
            .items
            .into_iter()
            .filter_map(|s| s.metadata.labels?.remove(labels::COMPONENT))
            .collect();
        known.sort();
        return Err(BackupError::NoComponent {
            app: app.to_owned(),
            name: name.to_owned(),
            namespace: namespace.to_owned(),
            known,
        });
    };
    let set_labels = set.metadata.labels.clone().unwrap_or_default();
    let kind = set_labels.get(labels::ROLE).cloned().unwrap_or_default();
    let set_name = set.metadata.name.clone().unwrap_or_default();
    let container = set
        .spec
        .as_ref()
        .and_then(|s| s.template.spec.as_ref())
        .and_then(|s| s.containers.first())
        .map(|c| c.name.clone())
        .unwrap_or_default();
    let pod_name = format!("{set_name}-0");
    let pods: Api<Pod> = Api::namespaced(client.clone(), namespace);
    let pod = pods
        .get_opt(&pod_name)
        .await
        .map_err(api_error(format!("read pod `{pod_name}`")))?;
    let state = match &pod {
        None => Some("it does not exist".to_owned()),
        Some(pod) => {
            let status = pod.status.as_ref();
            let ready = status
                .and_then(|s| s.conditions.as_ref())
                .is_some_and(|c| c.iter().any(|c| c.type_ == "Ready" && c.status == "True"));
            (!ready).then(|| {
                format!(
                    "{}, not ready",
                    status
                        .and_then(|s| s.phase.clone())
                        .unwrap_or_else(|| "Unknown".to_owned())
                )
            })
        }
    };
    if let Some(state) = state {
        return Err(BackupError::NotReady {
            name: name.to_owned(),
            pod: pod_name,
            state,
        });
    }
    Ok(Target {
        app: app.to_owned(),
        name: name.to_owned(),
        kind,
        version: set_labels.get(labels::VERSION).cloned(),
        pod: pod_name,
        container,
    })
}

/// The backup section of the target's kind.
pub fn spec<'a>(catalog: &'a Catalog, target: &Target) -> Result<&'a BackupSpec, BackupError> {
    catalog
        .get(&target.kind)?
        .manifest
        .backup
        .as_ref()
        .ok_or_else(|| BackupError::NoBackup {
            kind: target.kind.clone(),
        })
}

/// Dumps the component into `file` (and its checksum into `<file>.sha256`).
pub async fn backup(
    client: &kube::Client,
    namespace: &str,
    target: &Target,
    spec: &BackupSpec,
    file: &Path,
    reporter: &dyn TransferReporter,
) -> Result<Backup, BackupError> {
    let local = |action: &'static str, file: &Path| {
        let file = file.to_owned();
        move |source| BackupError::Local {
            action,
            file,
            source,
        }
    };
    let mut part = file.as_os_str().to_owned();
    part.push(".part");
    let part = PathBuf::from(part);
    let out = fs_err::File::create(&part).map_err(local("create", &part))?;
    // Removes the partial file on every way out but the rename, a dropped future (Ctrl-C) too.
    let mut guard = PartFile(Some(part.clone()));
    let mut out = std::io::BufWriter::with_capacity(1 << 20, out);
    let mut hasher = Sha256::new();
    let mut head = Vec::with_capacity(dump::HEAD_LEN);
    let mut bytes = 0_u64;
    let container = Container {
        client,
        namespace,
        pod: &target.pod,
        container: &target.container,
    };
    reporter.on_start(&format!("component `{}`", target.name), None);
    let mut sink = |chunk: &[u8]| {
        if head.len() < dump::HEAD_LEN {
            let take = (dump::HEAD_LEN - head.len()).min(chunk.len());
            head.extend_from_slice(&chunk[..take]);
        }
        hasher.update(chunk);
        bytes += chunk.len() as u64;
        out.write_all(chunk)
    };
    let ran = remote::run(
        &container,
        "the dump",
        &spec.dump,
        None,
        &mut sink,
        &|done| reporter.on_bytes(done),
    )
    .await;
    reporter.on_end();
    let flushed = out.flush().and_then(|()| {
        out.get_ref().sync_all()?;
        Ok(())
    });
    drop(out);
    if let Err(err) = ran {
        return Err(err.into());
    }
    if let Err(err) = flushed {
        return Err(local("write", &part)(err));
    }
    if !head.starts_with(&dump::magic(spec)) {
        return Err(BackupError::BadDump {
            name: target.name.clone(),
            format: spec.format.clone(),
        });
    }
    let digest = hasher.finalize();
    let sha256 = dump::hex(&digest);
    let checksum_file = dump::checksum_path(file);
    let file_name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    fs_err::write(&checksum_file, dump::checksum_line(&digest, &file_name))
        .map_err(local("write", &checksum_file))?;
    fs_err::rename(&part, file).map_err(local("rename the finished dump to", file))?;
    guard.0 = None;
    Ok(Backup {
        file: file.to_owned(),
        checksum_file,
        bytes,
        sha256,
    })
}

/// A dump being written: removed when dropped unless it was finished.
struct PartFile(Option<PathBuf>);

impl Drop for PartFile {
    fn drop(&mut self) {
        if let Some(part) = self.0.take() {
            let _ = fs_err::remove_file(part);
        }
    }
}

/// What a restore is about to do, checked before anything is sent: the file is a dump of the
/// component's kind and matches its checksum file, if any.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The dump.
    pub file: PathBuf,
    /// Its size.
    pub bytes: u64,
    /// Whether a checksum file was there (and matched).
    pub checksum_checked: bool,
}

/// Checks `file` (`shown` as the user named it) against the component's kind and its checksum
/// file.
pub async fn check_file(
    file: &Path,
    shown: &str,
    target: &Target,
    catalog: &Catalog,
) -> Result<Checked, BackupError> {
    let local = |action: &'static str| {
        let file = file.to_owned();
        move |source| BackupError::Local {
            action,
            file,
            source,
        }
    };
    let mut input = tokio::fs::File::open(file).await.map_err(local("open"))?;
    let bytes = input.metadata().await.map_err(local("read"))?.len();
    let mut head = vec![0; dump::HEAD_LEN];
    let mut filled = 0;
    while filled < head.len() {
        let n = input
            .read(&mut head[filled..])
            .await
            .map_err(local("read"))?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    head.truncate(filled);
    let kind = catalog.get(&target.kind)?;
    dump::check_head(&head, shown, kind, catalog)?;
    let checksum_file = dump::checksum_path(file);
    let expected = match fs_err::read_to_string(&checksum_file) {
        Ok(text) => dump::parse_checksum(&text),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
        Err(err) => return Err(local("read the checksum of")(err)),
    };
    let checksum_checked = expected.is_some();
    if let Some(expected) = expected {
        let mut input = tokio::fs::File::open(file).await.map_err(local("open"))?;
        let mut hasher = Sha256::new();
        let mut buffer = vec![0; 1 << 20];
        loop {
            let n = input.read(&mut buffer).await.map_err(local("read"))?;
            if n == 0 {
                break;
            }
            hasher.update(&buffer[..n]);
        }
        let actual = dump::hex(&hasher.finalize());
        if actual != expected {
            return Err(BackupError::Checksum {
                file: PathBuf::from(shown),
                checksum_file: dump::checksum_path(Path::new(shown)),
                expected,
                actual,
            });
        }
    }
    Ok(Checked {
        file: file.to_owned(),
        bytes,
        checksum_checked,
    })
}

/// Streams a checked dump into the component and verifies the result.
pub async fn restore(
    client: &kube::Client,
    namespace: &str,
    target: &Target,
    spec: &BackupSpec,
    checked: &Checked,
    reporter: &dyn TransferReporter,
) -> Result<Restored, BackupError> {
    let mut input = tokio::fs::File::open(&checked.file)
        .await
        .map_err(|source| BackupError::Local {
            action: "open",
            file: checked.file.clone(),
            source,
        })?;
    let container = Container {
        client,
        namespace,
        pod: &target.pod,
        container: &target.container,
    };
    reporter.on_start(&format!("component `{}`", target.name), Some(checked.bytes));
    let ran = remote::run(
        &container,
        "the restore",
        &spec.restore,
        Some(&mut input),
        &mut |_| Ok(()),
        &|done| reporter.on_bytes(done),
    )
    .await;
    reporter.on_end();
    ran?;
    Ok(Restored {
        bytes: checked.bytes,
        checksum_checked: checked.checksum_checked,
        count: count(client, namespace, target, spec).await?,
        unit: spec.verify_unit.clone(),
    })
}

/// Runs the kind's verification in the component: what it counts (keys, tables, collections).
pub async fn count(
    client: &kube::Client,
    namespace: &str,
    target: &Target,
    spec: &BackupSpec,
) -> Result<u64, BackupError> {
    let container = Container {
        client,
        namespace,
        pod: &target.pod,
        container: &target.container,
    };
    let mut printed = Vec::new();
    let stderr = remote::run(
        &container,
        "the check of the data",
        &spec.verify,
        None,
        &mut |chunk| {
            printed.extend_from_slice(chunk);
            Ok(())
        },
        &|_| {},
    )
    .await?;
    dump::parse_count(&String::from_utf8_lossy(&printed)).ok_or_else(|| BackupError::Unverified {
        name: target.name.clone(),
        stderr: stderr
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_owned)
            .collect(),
    })
}
