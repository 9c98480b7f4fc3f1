//! The test environment: a scratch project and an isolated `paas` process.
//!
//! Every run clears the environment except `PATH`, points `HOME`, `XDG_CONFIG_HOME`,
//! `KUBECONFIG` and `DOCKER_CONFIG` inside the scratch folder, and turns off colors and
//! progress, so snapshots show exactly what a user in CI would see.

#![allow(dead_code)]

pub mod app;
pub mod cert_manager;
pub mod dns;
pub mod platform;
pub mod real;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The `paas` binary under test: `PAAS_TEST_BIN` when set, else the one cargo built. With a
/// target folder shared by several work trees, `target/debug/paas` is whichever tree built last;
/// a copy taken right after the build, named by `PAAS_TEST_BIN`, stays this tree's.
#[must_use]
pub fn paas_binary() -> std::path::PathBuf {
    std::env::var_os("PAAS_TEST_BIN")
        .filter(|v| !v.is_empty())
        .map_or_else(
            || std::path::PathBuf::from(env!("CARGO_BIN_EXE_paas")),
            Into::into,
        )
}

/// A scratch folder with a project inside.
pub struct TestEnv {
    pub temp: tempfile::TempDir,
    pub project: PathBuf,
}

impl TestEnv {
    /// An empty project folder named `app`.
    #[must_use]
    pub fn new() -> Self {
        Self::named("app")
    }

    /// An empty project folder with the given name.
    #[must_use]
    pub fn named(name: &str) -> Self {
        let temp = tempfile::tempdir().expect("a temp dir");
        let project = temp.path().join(name);
        fs_err::create_dir_all(&project).expect("the project dir");
        fs_err::create_dir_all(temp.path().join("home")).expect("home");
        Self { temp, project }
    }

    /// A copy of a fixture from `tests/fixtures/projects/NAME`, in a folder of that name.
    #[must_use]
    pub fn fixture(name: &str) -> Self {
        let env = Self::named(name);
        copy_dir(&fixtures().join(name), &env.project);
        env
    }

    /// The `paas` command, run in the project folder.
    #[must_use]
    pub fn paas(&self) -> Command {
        let mut command = Command::new(paas_binary());
        command.env_clear();
        if let Some(path) = std::env::var_os("PATH") {
            command.env("PATH", path);
        }
        let home = self.temp.path().join("home");
        command
            .current_dir(&self.project)
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("KUBECONFIG", home.join(".kube/config"))
            .env("DOCKER_CONFIG", home.join(".docker"))
            .env("NO_COLOR", "1")
            .env("COLUMNS", "100")
            .env("PAAS_NO_PROGRESS", "1");
        command
    }

    /// Writes a file in the project, creating folders.
    pub fn write(&self, path: &str, text: &str) {
        let path = self.project.join(path);
        if let Some(parent) = path.parent() {
            fs_err::create_dir_all(parent).expect("parent dir");
        }
        fs_err::write(path, text).expect("write");
    }

    /// Reads a file of the project.
    #[must_use]
    pub fn read(&self, path: &str) -> String {
        fs_err::read_to_string(self.project.join(path)).expect("read")
    }

    /// Every file under the project, sorted, with its text.
    #[must_use]
    pub fn tree(&self) -> Vec<(String, String)> {
        let mut files = Vec::new();
        collect(&self.project, &self.project, &mut files);
        files.sort();
        files
    }

    /// The insta filters that hide what changes from run to run.
    #[must_use]
    pub fn filters(&self) -> Vec<(String, String)> {
        let temp = self.temp.path().display().to_string();
        vec![
            (regex_escape(&temp), "[TEMP]".to_owned()),
            (
                r"paas \d+\.\d+\.\d+".to_owned(),
                "paas [VERSION]".to_owned(),
            ),
            (
                r"sha256:[0-9a-f]{64}".to_owned(),
                "sha256:[DIGEST]".to_owned(),
            ),
        ]
    }
}

/// The fixtures folder.
#[must_use]
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/projects")
}

fn regex_escape(text: &str) -> String {
    regex::escape(text)
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in fs_err::read_dir(from).expect("fixture dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            fs_err::create_dir_all(&target).expect("dir");
            copy_dir(&entry.path(), &target);
        } else {
            fs_err::copy(entry.path(), &target).expect("copy");
        }
    }
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, String)>) {
    for entry in fs_err::read_dir(dir).expect("dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            collect(root, &path, files);
        } else {
            let rel = path
                .strip_prefix(root)
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/");
            let text = fs_err::read_to_string(&path).unwrap_or_else(|_| "<binary>".into());
            files.push((rel, text));
        }
    }
}

/// Runs a command and formats its exit code, stdout and stderr for a snapshot.
#[must_use]
pub fn run(command: &mut Command) -> (String, std::process::Output) {
    let output = command.output().expect("paas runs");
    let text = format!(
        "success: {}\nexit_code: {}\n----- stdout -----\n{}\n----- stderr -----\n{}",
        output.status.success(),
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (text, output)
}

/// Snapshots a command's exit code, stdout and stderr, with the env's filters.
#[macro_export]
macro_rules! paas_snapshot {
    ($env:expr, $command:expr, @$snapshot:literal) => {{
        let (text, output) = $crate::support::run($command);
        let filters: Vec<(String, String)> = $env.filters();
        let filters: Vec<(&str, &str)> = filters.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        insta::with_settings!({ filters => filters }, {
            insta::assert_snapshot!(text, @$snapshot);
        });
        output
    }};
    ($env:expr, $command:expr) => {{
        let (text, output) = $crate::support::run($command);
        let filters: Vec<(String, String)> = $env.filters();
        let filters: Vec<(&str, &str)> = filters.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        insta::with_settings!({ filters => filters }, {
            insta::assert_snapshot!(text);
        });
        output
    }};
    ($env:expr, $command:expr, $name:expr) => {{
        let (text, output) = $crate::support::run($command);
        let filters: Vec<(String, String)> = $env.filters();
        let filters: Vec<(&str, &str)> = filters.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        insta::with_settings!({ filters => filters }, {
            insta::assert_snapshot!($name, text);
        });
        output
    }};
}
