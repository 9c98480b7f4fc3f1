//! Each class of failure through every command, with the exit code the README's table promises:
//! a usage error (2), an API server that cannot be reached (75), a kube user that RBAC refuses
//! (1, with a hint naming the user and the verb), a registry that cannot be reached or dies in
//! the middle of a push (75, noticed in seconds).

use std::fmt::Write as _;
use std::io::{Read as _, Write as _};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::TestEnv;
use crate::support::app::{paas_on, site, stderr};
use crate::support::platform::Platform;

/// The commands that talk to the cluster, with the arguments that make each do its work.
const CLUSTER_COMMANDS: &[&[&str]] = &[
    &["up", "--timeout", "60s"],
    &["up", "--dry-run"],
    &["diff"],
    &["logs"],
    &["status"],
    &["history"],
    &["scale", "2"],
    &["rollback", "--yes"],
    &["down", "--yes"],
];

/// Every command of the CLI.
const ALL_COMMANDS: &[&[&str]] = &[
    &["init"],
    &["detect"],
    &["render"],
    &["up"],
    &["diff"],
    &["logs"],
    &["status"],
    &["domains"],
    &["history"],
    &["scale"],
    &["rollback"],
    &["down"],
    &["packs", "list"],
    &["completions", "bash"],
];

/// A static site project whose images go to `registry` (not contacted by `init`).
fn project(registry: &str) -> TestEnv {
    let env = TestEnv::fixture("static-dist");
    let output = env
        .paas()
        .args(["init", "--yes", "--name", "site", "--registry", registry])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", stderr(&output));
    env
}

/// A kubeconfig whose API server refuses connections.
fn unreachable_kubeconfig(env: &TestEnv) -> std::path::PathBuf {
    let port = closed_port();
    let kubeconfig = env.temp.path().join("unreachable-kubeconfig");
    fs_err::write(
        &kubeconfig,
        format!("apiVersion: v1\nkind: Config\ncurrent-context: gone\nclusters:\n- name: gone\n  cluster:\n    server: https://127.0.0.1:{port}\ncontexts:\n- name: gone\n  context:\n    cluster: gone\n    user: gone\n    namespace: shop\nusers:\n- name: gone\n  user:\n    token: x\n"),
    )
    .expect("kubeconfig");
    kubeconfig
}

/// A loopback port nothing listens on (bound once, then released).
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("address").port()
}

fn code(output: &Output) -> Option<i32> {
    output.status.code()
}

#[test]
fn a_usage_error_exits_2_in_every_command() {
    let env = project("127.0.0.1:5000/t");
    let mut table = String::new();
    for args in ALL_COMMANDS {
        let output = env
            .paas()
            .args(*args)
            .arg("--no-such-flag")
            .output()
            .expect("runs");
        let _ = writeln!(table, "{:<16} {:?}", args.join(" "), code(&output));
    }
    insta::assert_snapshot!(table, @r"
    init             Some(2)
    detect           Some(2)
    render           Some(2)
    up               Some(2)
    diff             Some(2)
    logs             Some(2)
    status           Some(2)
    domains          Some(2)
    history          Some(2)
    scale            Some(2)
    rollback         Some(2)
    down             Some(2)
    packs list       Some(2)
    completions bash Some(2)
    ");
}

#[test]
fn a_bad_value_in_paas_toml_exits_2_before_anything_is_contacted() {
    let env = project("127.0.0.1:5000/t");
    let toml = env.read("paas.toml");
    env.write(
        "paas.toml",
        &toml.replace("[deploy]\n", "[deploy]\nprogress_deadline = 0\n"),
    );
    assert!(env.read("paas.toml").contains("progress_deadline = 0"));
    // The cluster and the engine are unreachable: a 2 proves nothing was contacted first.
    let kubeconfig = unreachable_kubeconfig(&env);
    let mut table = String::new();
    for args in [&["render"][..], &["up"], &["up", "--dry-run"], &["diff"]] {
        let output = env
            .paas()
            .args(args)
            .env("KUBECONFIG", &kubeconfig)
            .env("DOCKER_HOST", format!("tcp://127.0.0.1:{}", closed_port()))
            .output()
            .expect("runs");
        let first = stderr(&output)
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned();
        let _ = writeln!(table, "{:<12} {:?} {first}", args.join(" "), code(&output));
    }
    insta::assert_snapshot!(table, @r"
    render       Some(2) error: `deploy.progress_deadline` in `paas.toml` is `0`: a rollout needs at least a second to make progress
    up           Some(2) error: `deploy.progress_deadline` in `paas.toml` is `0`: a rollout needs at least a second to make progress
    up --dry-run Some(2) error: `deploy.progress_deadline` in `paas.toml` is `0`: a rollout needs at least a second to make progress
    diff         Some(2) error: `deploy.progress_deadline` in `paas.toml` is `0`: a rollout needs at least a second to make progress
    ");
}

#[test]
fn an_unreachable_api_server_exits_75_in_every_command() {
    let env = project("127.0.0.1:5000/t");
    let kubeconfig = unreachable_kubeconfig(&env);
    let port = regex::Regex::new(r"127\.0\.0\.1:\d+").expect("pattern");
    let mut table = String::new();
    for args in CLUSTER_COMMANDS {
        let started = Instant::now();
        let output = env
            .paas()
            .args(*args)
            .env("KUBECONFIG", &kubeconfig)
            .output()
            .expect("runs");
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "`{}` took {:?}",
            args.join(" "),
            started.elapsed()
        );
        let text = stderr(&output);
        let refused = text
            .lines()
            .find(|l| l.contains("was refused"))
            .map_or_else(
                || format!("<no refused line> {text}"),
                |l| port.replace(l, "127.0.0.1:[PORT]").into_owned(),
            );
        let _ = writeln!(
            table,
            "{:<22} {:?} {refused}",
            args.join(" "),
            code(&output)
        );
    }
    insta::assert_snapshot!(table, @r"
    up --timeout 60s       Some(75) error: the connection to the server 127.0.0.1:[PORT] was refused - did you specify the right host or port?
    up --dry-run           Some(75) error: the connection to the server 127.0.0.1:[PORT] was refused - did you specify the right host or port?
    diff                   Some(75) error: the connection to the server 127.0.0.1:[PORT] was refused - did you specify the right host or port?
    logs                   Some(75) error: the connection to the server 127.0.0.1:[PORT] was refused - did you specify the right host or port?
    status                 Some(75) error: the connection to the server 127.0.0.1:[PORT] was refused - did you specify the right host or port?
    history                Some(75) error: the connection to the server 127.0.0.1:[PORT] was refused - did you specify the right host or port?
    scale 2                Some(75) error: the connection to the server 127.0.0.1:[PORT] was refused - did you specify the right host or port?
    rollback --yes         Some(75) error: the connection to the server 127.0.0.1:[PORT] was refused - did you specify the right host or port?
    down --yes             Some(75) error: the connection to the server 127.0.0.1:[PORT] was refused - did you specify the right host or port?
    ");
}

/// A `ServiceAccount` of the test's namespace with no permissions at all, and a kubeconfig that
/// authenticates as it with a token.
fn restricted_kubeconfig(
    platform: &Platform,
    dir: &std::path::Path,
) -> (String, std::path::PathBuf) {
    let name = "restricted";
    let created = platform
        .kubectl()
        .args(["create", "serviceaccount", name])
        .output()
        .expect("kubectl runs");
    assert!(created.status.success(), "{}", stderr(&created));
    let token = platform
        .kubectl()
        .args(["create", "token", name, "--duration", "1h"])
        .output()
        .expect("kubectl runs");
    assert!(token.status.success(), "{}", stderr(&token));
    let token = String::from_utf8(token.stdout)
        .expect("utf-8")
        .trim()
        .to_owned();
    (
        format!("system:serviceaccount:{}:{name}", platform.namespace),
        token_kubeconfig(platform, dir, name, &token),
    )
}

/// A kubeconfig for the test cluster whose context `context` sends `token`.
fn token_kubeconfig(
    platform: &Platform,
    dir: &std::path::Path,
    context: &str,
    token: &str,
) -> std::path::PathBuf {
    let admin = kube::config::Kubeconfig::read_from(&platform.kubeconfig).expect("kubeconfig");
    let cluster = admin.clusters[0].cluster.clone().expect("a cluster");
    let config = serde_json::json!({
        "apiVersion": "v1",
        "kind": "Config",
        "current-context": context,
        "clusters": [{ "name": "test", "cluster": {
            "server": cluster.server,
            "certificate-authority-data": cluster.certificate_authority_data,
            "certificate-authority": cluster.certificate_authority,
        }}],
        "contexts": [{ "name": context, "context": {
            "cluster": "test", "user": context, "namespace": platform.namespace,
        }}],
        "users": [{ "name": context, "user": { "token": token } }],
    });
    let path = dir.join(format!("{context}-kubeconfig"));
    fs_err::write(&path, serde_json::to_string(&config).expect("json")).expect("kubeconfig");
    path
}

#[tokio::test]
async fn credentials_the_api_server_rejects_exit_1_naming_the_context() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    let kubeconfig = token_kubeconfig(&platform, env.temp.path(), "expired", "not-a-valid-token");
    let mut table = String::new();
    for args in CLUSTER_COMMANDS {
        let output = paas_on(&env, &platform, args)
            .env("KUBECONFIG", &kubeconfig)
            .output()
            .expect("runs");
        let text = stderr(&output);
        let hint = text
            .lines()
            .find(|l| l.starts_with("hint:"))
            .map_or_else(|| format!("<no hint> {text}"), str::to_owned);
        let _ = writeln!(table, "{:<22} {:?} {hint}", args.join(" "), code(&output));
    }
    insta::assert_snapshot!(table, @r"
    up --timeout 60s       Some(1) hint: the API server did not accept the credentials of kube user `expired` in kube context `expired` (an expired token or certificate?); check them with `kubectl config view --minify`, or choose another context with `--context`
    up --dry-run           Some(1) hint: the API server did not accept the credentials of kube user `expired` in kube context `expired` (an expired token or certificate?); check them with `kubectl config view --minify`, or choose another context with `--context`
    diff                   Some(1) hint: the API server did not accept the credentials of kube user `expired` in kube context `expired` (an expired token or certificate?); check them with `kubectl config view --minify`, or choose another context with `--context`
    logs                   Some(1) hint: the API server did not accept the credentials of kube user `expired` in kube context `expired` (an expired token or certificate?); check them with `kubectl config view --minify`, or choose another context with `--context`
    status                 Some(1) hint: the API server did not accept the credentials of kube user `expired` in kube context `expired` (an expired token or certificate?); check them with `kubectl config view --minify`, or choose another context with `--context`
    history                Some(1) hint: the API server did not accept the credentials of kube user `expired` in kube context `expired` (an expired token or certificate?); check them with `kubectl config view --minify`, or choose another context with `--context`
    scale 2                Some(1) hint: the API server did not accept the credentials of kube user `expired` in kube context `expired` (an expired token or certificate?); check them with `kubectl config view --minify`, or choose another context with `--context`
    rollback --yes         Some(1) hint: the API server did not accept the credentials of kube user `expired` in kube context `expired` (an expired token or certificate?); check them with `kubectl config view --minify`, or choose another context with `--context`
    down --yes             Some(1) hint: the API server did not accept the credentials of kube user `expired` in kube context `expired` (an expired token or certificate?); check them with `kubectl config view --minify`, or choose another context with `--context`
    ");
}

#[tokio::test]
async fn a_user_that_rbac_refuses_exits_1_with_a_hint_naming_the_user_and_the_verb() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    let (user, kubeconfig) = restricted_kubeconfig(&platform, env.temp.path());
    let mut table = String::new();
    for args in CLUSTER_COMMANDS {
        let output = paas_on(&env, &platform, args)
            .env("KUBECONFIG", &kubeconfig)
            .output()
            .expect("runs");
        let text = stderr(&output);
        assert!(!text.contains("retry"), "{text}");
        let hint = text
            .lines()
            .find(|l| l.starts_with("hint: kube user"))
            .map_or_else(
                || format!("<no hint> {text}"),
                |l| l.replace(&user, "[USER]"),
            );
        let _ = writeln!(table, "{:<22} {:?} {hint}", args.join(" "), code(&output));
    }
    insta::assert_snapshot!(table, @r"
    up --timeout 60s       Some(1) hint: kube user `[USER]` may not `get` `namespaces`: ask a cluster admin for a Role that allows it, or choose another context with `--context`
    up --dry-run           Some(1) hint: kube user `[USER]` may not `list` `secrets`: ask a cluster admin for a Role that allows it, or choose another context with `--context`
    diff                   Some(1) hint: kube user `[USER]` may not `list` `secrets`: ask a cluster admin for a Role that allows it, or choose another context with `--context`
    logs                   Some(1) hint: kube user `[USER]` may not `list` `pods`: ask a cluster admin for a Role that allows it, or choose another context with `--context`
    status                 Some(1) hint: kube user `[USER]` may not `list` `secrets`: ask a cluster admin for a Role that allows it, or choose another context with `--context`
    history                Some(1) hint: kube user `[USER]` may not `list` `secrets`: ask a cluster admin for a Role that allows it, or choose another context with `--context`
    scale 2                Some(1) hint: kube user `[USER]` may not `list` `deployments`: ask a cluster admin for a Role that allows it, or choose another context with `--context`
    rollback --yes         Some(1) hint: kube user `[USER]` may not `list` `secrets`: ask a cluster admin for a Role that allows it, or choose another context with `--context`
    down --yes             Some(1) hint: kube user `[USER]` may not `list` `secrets`: ask a cluster admin for a Role that allows it, or choose another context with `--context`
    ");
}

/// Runs `command` and returns its output and how long it ran after its stderr first had a line
/// satisfying `at` (the whole run when none did).
fn timed_after(mut command: Command, at: impl Fn(&str) -> bool) -> (Option<i32>, String, Duration) {
    use std::io::{BufRead as _, BufReader};
    let started = Instant::now();
    let mut child = command
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("paas starts");
    let lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
    let mut seen = String::new();
    let mut mark = None;
    for line in lines {
        let line = line.expect("a line");
        if mark.is_none() && at(&line) {
            mark = Some(Instant::now());
        }
        seen.push_str(&line);
        seen.push('\n');
    }
    let status = child.wait().expect("paas ends");
    let since = mark.unwrap_or(started).elapsed();
    (status.code(), seen, since)
}

#[tokio::test]
async fn an_unreachable_registry_exits_75_in_seconds() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let registry = format!("127.0.0.1:{}", closed_port());
    let env = site(&platform, &registry);
    let command = paas_on(&env, &platform, &["up", "--timeout", "60s"]);
    let (code, text, after_build) = timed_after(command, |line| {
        line.trim_start().starts_with("Built") || line.trim_start().starts_with("Fresh")
    });
    assert_eq!(code, Some(75), "{text}");
    assert!(
        text.contains(&format!("registry `{registry}` cannot be reached")),
        "{text}"
    );
    assert!(
        text.contains(&format!("hint: check that registry `{registry}` is up")),
        "{text}"
    );
    assert!(
        after_build < Duration::from_secs(8),
        "{after_build:?}\n{text}"
    );
    // It is found before the build, not after it.
    assert!(
        !text.lines().any(|l| l.trim_start().starts_with("Building")),
        "{text}"
    );
}

/// A TCP proxy to `target` that, once `limit` bytes went from clients to `target`, resets every
/// connection and stops listening, as a registry that dies in the middle of a push.
struct DyingProxy {
    port: u16,
    cut_at: Arc<Mutex<Option<Instant>>>,
}

impl DyingProxy {
    fn start(target: &str, limit: usize) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
        listener.set_nonblocking(true).expect("nonblocking");
        let port = listener.local_addr().expect("address").port();
        let cut = Arc::new(AtomicBool::new(false));
        let cut_at = Arc::new(Mutex::new(None));
        let sent = Arc::new(AtomicUsize::new(0));
        let open: Arc<Mutex<Vec<TcpStream>>> = Arc::default();
        let target = target.to_owned();
        {
            let cut_at = Arc::clone(&cut_at);
            std::thread::spawn(move || {
                while !cut.load(Ordering::SeqCst) {
                    let Ok((client, _)) = listener.accept() else {
                        std::thread::sleep(Duration::from_millis(5));
                        continue;
                    };
                    client.set_nonblocking(false).expect("blocking");
                    let server = TcpStream::connect(&target).expect("the registry");
                    open.lock().expect("lock").extend([
                        client.try_clone().expect("clone"),
                        server.try_clone().expect("clone"),
                    ]);
                    let pump = |mut from: TcpStream, mut to: TcpStream, count: bool| {
                        let (cut, cut_at, sent, open) = (
                            Arc::clone(&cut),
                            Arc::clone(&cut_at),
                            Arc::clone(&sent),
                            Arc::clone(&open),
                        );
                        std::thread::spawn(move || {
                            let mut buffer = [0u8; 16 * 1024];
                            while let Ok(n) = from.read(&mut buffer) {
                                if n == 0 || cut.load(Ordering::SeqCst) {
                                    break;
                                }
                                if to.write_all(&buffer[..n]).is_err() {
                                    break;
                                }
                                if count && sent.fetch_add(n, Ordering::SeqCst) + n > limit {
                                    cut.store(true, Ordering::SeqCst);
                                    *cut_at.lock().expect("lock") = Some(Instant::now());
                                    for stream in open.lock().expect("lock").iter() {
                                        let _ = stream.shutdown(Shutdown::Both);
                                    }
                                    break;
                                }
                            }
                            let _ = to.shutdown(Shutdown::Write);
                        });
                    };
                    pump(
                        client.try_clone().expect("clone"),
                        server.try_clone().expect("clone"),
                        true,
                    );
                    pump(server, client, false);
                }
                // The listener is dropped here: new connections are refused.
            });
        }
        Self { port, cut_at }
    }
}

#[tokio::test]
async fn a_registry_that_dies_in_the_middle_of_a_push_exits_75_in_seconds() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let proxy = DyingProxy::start(&platform.registry, 1024 * 1024);
    let registry = format!("127.0.0.1:{}", proxy.port);
    let env = site(&platform, &registry);
    let mut command = paas_on(&env, &platform, &["up", "--timeout", "60s"]);
    command.arg("-v");
    let (code, text, _) = timed_after(command, |_| false);
    let ended = Instant::now();
    let cut_at = proxy
        .cut_at
        .lock()
        .expect("lock")
        .expect("the proxy cut the push");
    assert_eq!(code, Some(75), "{text}");
    assert!(
        text.contains(&format!("registry `{registry}` cannot be reached"))
            && text.contains("while pushing"),
        "{text}"
    );
    let noticed = ended.duration_since(cut_at);
    assert!(
        noticed < Duration::from_secs(12),
        "noticed after {noticed:?}\n{text}"
    );
}
