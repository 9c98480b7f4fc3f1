//! Secrets never shown: every command runs with a registry password, a kube token (from an exec
//! credential plugin) and a Secret value paas must keep to itself, and none of them, nor their
//! base64, may appear in what paas prints, in the release records it keeps in the cluster, or in
//! the files it writes. The failure paths run too: a wrong registry password, a failing and a
//! hanging exec plugin, an unreachable API server, a hanging Docker credential helper.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use base64::Engine as _;
use k8s_openapi::api::core::v1::{Secret, ServiceAccount};
use k8s_openapi::api::rbac::v1::ClusterRoleBinding;
use kube::api::{Api, DeleteParams, ListParams, PostParams};

use crate::support::TestEnv;
use crate::support::app::{filtered, new_content, site};
use crate::support::platform::Platform;

/// What must never be shown, each with its base64 forms.
pub(crate) struct Sentinels {
    forbidden: Vec<(String, String)>,
}

impl Sentinels {
    pub(crate) fn new() -> Self {
        Self {
            forbidden: Vec::new(),
        }
    }

    /// Forbids `secret` and its base64, alone and inside a longer encoded text (such as
    /// `user:password`), where it starts at any of the three offsets of a base64 group.
    pub(crate) fn forbid(&mut self, name: &str, secret: &str) {
        let b64 = base64::engine::general_purpose::STANDARD;
        self.forbidden.push((name.to_owned(), secret.to_owned()));
        self.forbidden
            .push((format!("base64 of {name}"), b64.encode(secret)));
        for shift in 0..3 {
            let shifted = b64.encode(format!("{}{secret}", "x".repeat(shift)));
            let start = if shift == 0 { 0 } else { 4 };
            let core = &shifted[start..shifted.len().saturating_sub(4).max(start)];
            if core.len() >= 8 {
                self.forbidden.push((
                    format!("base64 of {name} at offset {shift}"),
                    core.to_owned(),
                ));
            }
        }
    }

    /// Panics when `text` (what `what` produced) holds a forbidden string.
    pub(crate) fn check(&self, what: &str, text: &str) {
        for (name, secret) in &self.forbidden {
            assert!(
                !text.contains(secret.as_str()),
                "{name} leaked into {what}:\n{text}"
            );
        }
    }

    pub(crate) fn check_output(&self, what: &str, output: &Output) {
        let text = format!(
            "{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        self.check(what, &text);
    }
}

/// Writes an executable `/bin/sh` script.
fn script(path: &Path, body: &str) {
    use std::os::unix::fs::PermissionsExt as _;
    fs_err::write(path, format!("#!/bin/sh\n{body}\n")).expect("write script");
    fs_err::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

/// A kubeconfig for the test cluster's API server (or `server`) whose user runs `plugin`.
fn kubeconfig(platform: &Platform, server: Option<&str>, plugin: &Path) -> String {
    let config = kube::config::Kubeconfig::read_from(&platform.kubeconfig).expect("kubeconfig");
    let cluster = config.clusters[0].cluster.clone().expect("a cluster");
    let mut text = format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: test\n  cluster:\n    server: {}\n",
        server.unwrap_or(cluster.server.as_deref().expect("server"))
    );
    if let Some(data) = &cluster.certificate_authority_data {
        let _ = writeln!(text, "    certificate-authority-data: {data}");
    }
    if let Some(path) = &cluster.certificate_authority {
        let path = platform
            .kubeconfig
            .parent()
            .expect("kubeconfig dir")
            .join(path);
        let _ = writeln!(text, "    certificate-authority: {}", path.display());
    }
    if cluster.insecure_skip_tls_verify == Some(true) {
        text.push_str("    insecure-skip-tls-verify: true\n");
    }
    let _ = write!(
        text,
        "contexts:\n- name: test\n  context:\n    cluster: test\n    user: plugin\ncurrent-context: test\nusers:\n- name: plugin\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: {}\n      interactiveMode: Never\n",
        plugin.display()
    );
    text
}

/// A service account of the test's namespace bound to `cluster-admin`, and a token for it: the
/// kube token the exec plugin hands out. The binding is deleted on drop.
struct Account {
    kubeconfig: PathBuf,
    binding: String,
    token: String,
}

impl Account {
    async fn new(platform: &Platform) -> Self {
        let accounts: Api<ServiceAccount> = platform.api();
        let account: ServiceAccount = serde_json::from_value(serde_json::json!({
            "metadata": { "name": "deployer" }
        }))
        .expect("account");
        accounts
            .create(&PostParams::default(), &account)
            .await
            .expect("create the service account");
        let binding = format!("{}-deployer", platform.namespace);
        let bindings: Api<ClusterRoleBinding> = Api::all(platform.client.clone());
        let body: ClusterRoleBinding = serde_json::from_value(serde_json::json!({
            "metadata": { "name": binding, "labels": { "paas.dev/test": "true" } },
            "roleRef": { "apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin" },
            "subjects": [{ "kind": "ServiceAccount", "name": "deployer", "namespace": platform.namespace }]
        }))
        .expect("binding");
        bindings
            .create(&PostParams::default(), &body)
            .await
            .expect("create the binding");
        let request = serde_json::json!({
            "apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest",
            "spec": { "expirationSeconds": 3600 }
        });
        let answer: serde_json::Value = accounts
            .create_subresource("token", "deployer", &PostParams::default(), &request)
            .await
            .expect("a token for the service account");
        let token = answer["status"]["token"]
            .as_str()
            .expect("a token")
            .to_owned();
        Self {
            kubeconfig: platform.kubeconfig.clone(),
            binding,
            token,
        }
    }
}

impl Drop for Account {
    fn drop(&mut self) {
        let kubeconfig = self.kubeconfig.clone();
        let binding = self.binding.clone();
        // Drop runs inside the test's runtime, which cannot drive the test's client while it
        // waits here: a thread of its own, with a client of its own.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async move {
                let Ok(config) = kube::config::Kubeconfig::read_from(&kubeconfig) else {
                    return;
                };
                let Ok(config) = kube::Config::from_custom_kubeconfig(
                    config,
                    &kube::config::KubeConfigOptions::default(),
                )
                .await
                else {
                    return;
                };
                let Ok(client) = kube::Client::try_from(config) else {
                    return;
                };
                let _ = Api::<ClusterRoleBinding>::all(client)
                    .delete(&binding, &DeleteParams::default())
                    .await;
            });
        })
        .join();
    }
}

/// The test's world: the project, and the credentials paas is given, outside the project.
struct World<'a> {
    platform: &'a Platform,
    env: TestEnv,
    credentials: tempfile::TempDir,
    sentinels: Sentinels,
    ran: usize,
}

impl World<'_> {
    fn path(&self, name: &str) -> PathBuf {
        self.credentials.path().join(name)
    }

    /// `paas ARGS…` with the exec-plugin kubeconfig and the Docker config of the credentials.
    fn paas(&self, args: &[&str]) -> Command {
        let mut command = self.env.paas();
        let path = format!(
            "{}:{}",
            self.path("bin").display(),
            std::env::var("PATH").unwrap_or_default()
        );
        command
            .args(args)
            .env("PATH", path)
            .env("KUBECONFIG", self.path("kubeconfig"))
            .env("DOCKER_CONFIG", self.path("docker"))
            .env("DOCKER_HOST", &self.platform.docker_host);
        command
    }

    /// Runs `paas ARGS…` against the test's namespace, checks its output, and returns it.
    fn run(&mut self, args: &[&str]) -> Output {
        let mut command = self.paas(args);
        command.args(["--namespace", &self.platform.namespace]);
        self.run_command(&args.join(" "), command)
    }

    /// Runs a command (no namespace added), checks its output, and returns it.
    #[expect(
        clippy::print_stderr,
        reason = "the test's own progress, shown with --nocapture"
    )]
    fn run_command(&mut self, what: &str, mut command: Command) -> Output {
        let started = Instant::now();
        let output = command.output().expect("paas runs");
        eprintln!(
            "sentinel: `paas {what}` exit {:?} in {:.1}s",
            output.status.code(),
            started.elapsed().as_secs_f64()
        );
        self.sentinels
            .check_output(&format!("the output of `paas {what}`"), &output);
        self.ran += 1;
        output
    }

    /// Like [`World::run`], and the command must succeed.
    fn ok(&mut self, args: &[&str]) -> Output {
        let output = self.run(args);
        assert!(
            output.status.success(),
            "`paas {}` failed:\n{}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }

    /// Runs `args` as it is, with `-v`, and with `--output json`; each must succeed.
    fn ok_every_way(&mut self, args: &[&str]) {
        for extra in [&[][..], &["-v"], &["--output", "json"]] {
            let all: Vec<&str> = args.iter().chain(extra).copied().collect();
            self.ok(&all);
        }
    }

    fn docker_config(&self, password: &str) {
        let auth = base64::engine::general_purpose::STANDARD
            .encode(format!("{}:{password}", self.platform.auth_user));
        let config = serde_json::json!({ "auths": { self.platform.auth_registry.clone(): { "auth": auth } } });
        fs_err::create_dir_all(self.path("docker")).expect("docker dir");
        fs_err::write(self.path("docker/config.json"), config.to_string()).expect("config.json");
    }

    fn secret_manifest(&self, value: &str) {
        self.env.write(
            "deploy/secret.yaml",
            &format!("apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{{{ app.name ~ \"-db\" }}}}\n  labels: {{{{ labels }}}}\nstringData:\n  PASSWORD: \"{value}\"\n"),
        );
    }
}

#[tokio::test]
async fn no_secret_ever_shows() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let account = Account::new(&platform).await;
    let secret_value = format!("S3NTINEL-db-{}", platform.namespace);
    let second_value = format!("S3NTINEL-db2-{}", platform.namespace);
    let wrong_password = format!("S3NTINEL-wrong-{}", platform.namespace);
    let plugin_output = "TOK-S3NTINEL-plugin-output";
    let mut sentinels = Sentinels::new();
    sentinels.forbid("the registry password", &platform.auth_password);
    sentinels.forbid("the kube token", &account.token);
    sentinels.forbid("the Secret value", &secret_value);
    sentinels.forbid("the second Secret value", &second_value);
    sentinels.forbid("the wrong registry password", &wrong_password);
    let app_secret = format!("S3NTINEL-app-{}", platform.namespace);
    let inline_secret = format!("S3NTINEL-inline-{}", platform.namespace);
    sentinels.forbid("the value set with `paas secret set`", &app_secret);
    sentinels.forbid("the value set as `KEY=VALUE`", &inline_secret);
    sentinels.forbid("what the failing plugin printed", plugin_output);
    let mut world = World {
        platform: &platform,
        env: site(&platform, &platform.auth_registry),
        credentials: tempfile::tempdir().expect("temp"),
        sentinels,
        ran: 0,
    };
    new_content(&world.env, &platform, "sentinel");
    fs_err::create_dir_all(world.path("bin")).expect("bin");
    fs_err::write(world.path("token"), &account.token).expect("token");
    script(
        &world.path("plugin"),
        &format!(
            "printf '{{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{{\"token\":\"%s\"}}}}\\n' \"$(cat {})\"",
            world.path("token").display()
        ),
    );
    script(
        &world.path("failing-plugin"),
        &format!("echo '{plugin_output}-stdout'; echo '{plugin_output}-stderr' >&2; exit 1"),
    );
    script(&world.path("hanging-plugin"), "exec sleep 30");
    script(&world.path("bin/docker-credential-hang"), "exec sleep 30");
    fs_err::write(
        world.path("kubeconfig"),
        kubeconfig(&platform, None, &world.path("plugin")),
    )
    .expect("kubeconfig");
    world.docker_config(&platform.auth_password);
    world.secret_manifest(&secret_value);

    // The commands that need no cluster.
    let init = TestEnv::fixture("static-dist");
    let mut command = world.paas(&[
        "init",
        "--yes",
        "--name",
        "other",
        "--registry",
        "127.0.0.1:5001/x",
    ]);
    command.current_dir(&init.project);
    world.run_command("init", command);
    for args in [
        &["detect"][..],
        &["render"],
        &["packs", "list"],
        &["packs", "show", "nginx"],
    ] {
        for extra in [&[][..], &["-v"], &["--output", "json"]] {
            let all: Vec<&str> = args.iter().chain(extra).copied().collect();
            let output = world.run_command(&all.join(" "), world.paas(&all));
            assert!(
                output.status.success(),
                "`paas {}`: {}",
                all.join(" "),
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }

    // A Secret first created by `kubectl apply`, whose last-applied annotation holds its value.
    let applied = world.path("applied.yaml");
    fs_err::write(
        &applied,
        format!("apiVersion: v1\nkind: Secret\nmetadata:\n  name: site-db\nstringData:\n  PASSWORD: \"{secret_value}\"\n"),
    )
    .expect("applied.yaml");
    let status = Command::new(&platform.kubectl)
        .args(["--kubeconfig"])
        .arg(&platform.kubeconfig)
        .args(["-n", &platform.namespace, "apply", "-f"])
        .arg(&applied)
        .output()
        .expect("kubectl runs");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let live = platform
        .api::<Secret>()
        .get("site-db")
        .await
        .expect("the applied Secret");
    let annotation = live.metadata.annotations.unwrap_or_default();
    assert!(
        annotation["kubectl.kubernetes.io/last-applied-configuration"].contains(&secret_value),
        "kubectl keeps the value in its annotation, so the diff must hide it"
    );
    let output = world.ok(&["diff"]);
    insta::assert_snapshot!(
        "sentinel_diff_of_a_kubectl_applied_secret",
        filtered(&String::from_utf8_lossy(&output.stdout), &platform)
            .lines()
            .skip_while(|l| !l.contains("secret/site-db"))
            .take_while(|l| !l.starts_with("--- ") || l.contains("secret/site-db"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    world.ok_every_way(&["diff"]);
    world.ok_every_way(&["up", "--dry-run"]);

    // Failure: a wrong registry password.
    world.docker_config(&wrong_password);
    let output = world.run(&["up", "-v", "--timeout", "60s"]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    world.docker_config(&platform.auth_password);

    // Deploy, change the Secret, deploy again.
    world.ok(&["up", "-v", "--timeout", "60s"]);
    world.secret_manifest(&second_value);
    let output = world.ok(&["diff"]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("-  PASSWORD: \"(redacted, changed: live value)\"")
            && text.contains("+  PASSWORD: \"(redacted, changed: new value)\""),
        "{text}"
    );
    world.ok_every_way(&["diff"]);
    // New content too, so that rolling back to release 1 changes the Deployment.
    new_content(&world.env, &platform, "sentinel two");
    world.ok(&["up", "--output", "json", "--timeout", "60s"]);

    // The day-2 commands, each every way.
    world.ok_every_way(&["status"]);
    world.ok_every_way(&["history"]);
    world.ok_every_way(&["logs"]);
    world.ok_every_way(&["rollback", "--dry-run"]);
    world.ok(&["scale", "2", "-v"]);
    world.ok(&["scale", "1", "--output", "json"]);

    // The records keep no Secret value, and say which keys were left out.
    let records = platform
        .api::<Secret>()
        .list(&ListParams::default().labels("paas.dev/release-of=site"))
        .await
        .expect("records");
    assert!(records.items.len() >= 2, "{} records", records.items.len());
    for record in &records.items {
        let name = record.metadata.name.clone().unwrap_or_default();
        for bytes in record.data.iter().flat_map(|d| d.values()) {
            use std::io::Read as _;
            let mut json = Vec::new();
            flate2::read::GzDecoder::new(bytes.0.as_slice())
                .read_to_end(&mut json)
                .expect("a gzip record");
            let text = String::from_utf8_lossy(&json);
            world
                .sentinels
                .check(&format!("release record `{name}`"), &text);
            assert!(
                text.contains("paas.dev/values-left-out: PASSWORD"),
                "{text}"
            );
        }
        world.sentinels.check(
            &format!("release record `{name}`"),
            &serde_json::to_string(record).expect("json"),
        );
    }

    // A rollback keeps the live Secret value (the records have none) and rolls out.
    let output = world.ok(&["rollback", "-v", "--yes", "--timeout", "60s"]);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(stderr.contains("to release 1 as release 3"), "{stderr}");
    let live = platform
        .api::<Secret>()
        .get("site-db")
        .await
        .expect("the Secret");
    let value = live
        .data
        .unwrap_or_default()
        .remove("PASSWORD")
        .expect("PASSWORD");
    assert!(
        value.0 == second_value.as_bytes(),
        "the rollback kept the live value"
    );

    // The app's own secrets: a value from stdin and one as `KEY=VALUE`, each rolled out and
    // recorded as a release, then listed, diffed and in the history, every way.
    let value_file = world.path("app-secret");
    fs_err::write(&value_file, format!("{app_secret}\n")).expect("value file");
    for extra in [&["-v"][..], &["--output", "json"]] {
        let mut command = world.paas(&["secret", "set", "APP_TOKEN", "--timeout", "60s"]);
        command
            .args(extra)
            .args(["--namespace", &platform.namespace])
            .stdin(
                fs_err::File::open(&value_file)
                    .expect("open the value")
                    .into_parts()
                    .0,
            );
        let output = world.run_command(
            &format!("secret set APP_TOKEN {}", extra.join(" ")),
            command,
        );
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let inline = format!("INLINE_TOKEN={inline_secret}");
    world.ok(&["secret", "set", &inline, "-v", "--timeout", "60s"]);
    world.ok(&[
        "secret",
        "set",
        &inline,
        "--output",
        "json",
        "--timeout",
        "60s",
    ]);
    world.ok_every_way(&["secret", "list"]);
    world.ok_every_way(&["diff"]);
    world.ok_every_way(&["history"]);
    world.ok_every_way(&["status"]);
    world.ok(&["secret", "unset", "INLINE_TOKEN", "-v", "--timeout", "60s"]);
    let live = platform
        .api::<Secret>()
        .get("site-secrets")
        .await
        .expect("the app's Secret");
    assert_eq!(
        live.data
            .unwrap_or_default()
            .get("APP_TOKEN")
            .map(|v| v.0.clone()),
        Some(app_secret.clone().into_bytes()),
        "the value reached the Secret, without its trailing newline"
    );
    let records = platform
        .api::<Secret>()
        .list(&ListParams::default().labels("paas.dev/release-of=site"))
        .await
        .expect("records");
    for record in &records.items {
        use std::io::Read as _;
        let name = record.metadata.name.clone().unwrap_or_default();
        for bytes in record.data.iter().flat_map(|d| d.values()) {
            let mut json = Vec::new();
            flate2::read::GzDecoder::new(bytes.0.as_slice())
                .read_to_end(&mut json)
                .expect("a gzip record");
            world.sentinels.check(
                &format!("release record `{name}`"),
                &String::from_utf8_lossy(&json),
            );
        }
    }

    // Failure: an exec plugin that prints a token-like text and fails.
    let failing = world.path("failing-kubeconfig");
    fs_err::write(
        &failing,
        kubeconfig(&platform, None, &world.path("failing-plugin")),
    )
    .expect("kubeconfig");
    let mut command = world.paas(&["status", "--namespace", &platform.namespace]);
    command.env("KUBECONFIG", &failing);
    let output = world.run_command("status (failing exec plugin)", command);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "the exec credential plugin `{}`",
            world.path("failing-plugin").display()
        )) && stderr.contains("failed with exit code 1"),
        "{stderr}"
    );

    // Failure: a hanging exec plugin is stopped at the configured limit, exit 75.
    let hanging = world.path("hanging-kubeconfig");
    fs_err::write(
        &hanging,
        kubeconfig(&platform, None, &world.path("hanging-plugin")),
    )
    .expect("kubeconfig");
    let mut command = world.paas(&["history", "--namespace", &platform.namespace]);
    command
        .env("KUBECONFIG", &hanging)
        .env("PAAS_CREDENTIAL_TIMEOUT", "1s");
    let started = Instant::now();
    let output = world.run_command("history (hanging exec plugin)", command);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(75), "{stderr}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert!(
        stderr.contains("hanging-plugin") && stderr.contains("did not answer within 1s"),
        "{stderr}"
    );

    // Failure: a hanging Docker credential helper, the same way.
    fs_err::write(
        world.path("docker/config.json"),
        r#"{"credsStore": "hang"}"#,
    )
    .expect("config");
    let mut command = world.paas(&["up", "--namespace", &platform.namespace]);
    command.env("PAAS_CREDENTIAL_TIMEOUT", "1s");
    let started = Instant::now();
    let output = world.run_command("up (hanging credential helper)", command);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(75), "{stderr}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert!(
        stderr.contains("docker-credential-hang") && stderr.contains("within 1s"),
        "{stderr}"
    );
    world.docker_config(&platform.auth_password);

    // Failure: an API server that cannot be reached.
    let unreachable = world.path("unreachable-kubeconfig");
    fs_err::write(
        &unreachable,
        kubeconfig(
            &platform,
            Some("https://127.0.0.1:1"),
            &world.path("plugin"),
        ),
    )
    .expect("kubeconfig");
    for args in [
        &["status"][..],
        &["diff", "-v"],
        &["rollback", "--dry-run", "--output", "json"],
    ] {
        let mut command = world.paas(args);
        command
            .args(["--namespace", &platform.namespace])
            .env("KUBECONFIG", &unreachable);
        let output = world.run_command(
            &format!("{} (unreachable API server)", args.join(" ")),
            command,
        );
        assert_eq!(
            output.status.code(),
            Some(75),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    // Down, dry and real.
    world.ok(&["down", "--dry-run", "--yes", "-v"]);
    world.ok(&["down", "--dry-run", "--yes", "--output", "json"]);
    world.ok(&["down", "--yes", "--output", "json"]);

    // The files paas wrote: the project (less the Secret template this test wrote) and home.
    for (path, text) in world.env.tree() {
        if path != "deploy/secret.yaml" {
            world.sentinels.check(&format!("`{path}`"), &text);
        }
    }
    let mut home = Vec::new();
    collect(&world.env.temp.path().join("home"), &mut home);
    collect(&init.project, &mut home);
    for path in home {
        let text = String::from_utf8_lossy(&fs_err::read(&path).expect("read")).into_owned();
        world
            .sentinels
            .check(&format!("`{}`", path.display()), &text);
    }
    assert!(world.ran >= 50, "{} commands ran", world.ran);
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs_err::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// The exec plugin's faults as a user sees them; needs no platform (the plugin runs before any
/// request, so the API server's address is never reached).
#[test]
fn exec_plugin_faults_name_the_plugin_and_nothing_it_printed() {
    let env = TestEnv::new();
    let bin = env.temp.path().join("bin");
    fs_err::create_dir_all(&bin).expect("bin");
    let kubeconfig = |plugin: &str| {
        let path = env.temp.path().join(format!("{plugin}.kubeconfig"));
        fs_err::write(
            &path,
            format!(
                "apiVersion: v1\nkind: Config\nclusters:\n- name: test\n  cluster:\n    server: https://127.0.0.1:1\ncontexts:\n- name: test\n  context:\n    cluster: test\n    user: plugin\ncurrent-context: test\nusers:\n- name: plugin\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: {}\n      args: [\"--token\", \"TOK-S3NTINEL-arg\"]\n      interactiveMode: Never\n",
                bin.join(plugin).display()
            ),
        )
        .expect("kubeconfig");
        path
    };
    script(
        &bin.join("failing"),
        "echo 'TOK-S3NTINEL-stdout'; echo 'TOK-S3NTINEL-stderr' >&2; exit 1",
    );
    script(&bin.join("hanging"), "exec sleep 30");
    script(
        &bin.join("garbage"),
        "echo '{\"status\": {\"token\": [\"TOK-S3NTINEL\"]}}'",
    );
    for (plugin, code) in [("failing", 1), ("garbage", 1), ("hanging", 75)] {
        let mut command = env.paas();
        command
            .args(["status", "--app", "web", "--namespace", "shop"])
            .env("KUBECONFIG", kubeconfig(plugin))
            .env("PAAS_CREDENTIAL_TIMEOUT", "1s");
        let started = Instant::now();
        let output =
            crate::paas_snapshot!(env, &mut command, format!("sentinel_exec_plugin_{plugin}"));
        assert_eq!(output.status.code(), Some(code));
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{:?}",
            started.elapsed()
        );
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(!all.contains("S3NTINEL"), "{all}");
    }
}
