//! The local target against the real Docker Engine: `paas up` with no kube context runs the app
//! as containers behind a front door on 127.0.0.1, and `status`, `history`, `logs`, `scale`,
//! `rollback` and `down` work on it. Every app here has a name of its own, and everything made
//! for it is removed when the test ends, whatever happens.

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::support::TestEnv;
use crate::support::platform::{platform_present, random_suffix};

/// A static site as app `site-<random>` on the local base image, with no kube context, and its
/// containers, network and volumes removed on drop.
struct LocalApp {
    env: TestEnv,
    app: String,
    docker_host: String,
    /// No real-node test (and its policy enforcer) changes the host's firewall meanwhile.
    _alone: crate::support::real::EnforcerHold,
}

impl LocalApp {
    /// The app, or `None` (after saying why) without the test platform's Docker Engine.
    fn new() -> Option<Self> {
        Self::with(&[])
    }

    fn with(extra: &[&str]) -> Option<Self> {
        if !platform_present() {
            return None;
        }
        let alone = crate::support::real::enforcer_alone_blocking();
        let var = |name: &str| std::env::var(name).expect(name);
        let app = format!("site-{}", &random_suffix()[..8]);
        let env = TestEnv::fixture("static-dist");
        let base = format!("base_image={}", var("PAAS_TEST_BASE_NGINX"));
        let output = env
            .paas()
            .args(["init", "--yes", "--name", &app, "--set", &base])
            .args(extra)
            .output()
            .expect("runs");
        assert!(output.status.success(), "{}", text(&output.stderr));
        Some(Self {
            env,
            app,
            docker_host: var("DOCKER_HOST"),
            _alone: alone,
        })
    }

    /// `paas ARGS…` in the project with no kube context at all.
    fn paas(&self, args: &[&str]) -> Output {
        self.env
            .paas()
            .args(args)
            .env_remove("KUBECONFIG")
            .env("DOCKER_HOST", &self.docker_host)
            .output()
            .expect("paas runs")
    }

    fn ok(&self, args: &[&str]) -> Output {
        let output = self.paas(args);
        assert!(
            output.status.success(),
            "paas {args:?} failed:\n{}{}",
            text(&output.stdout),
            text(&output.stderr)
        );
        output
    }

    fn up_json(&self) -> serde_json::Value {
        let output = self.ok(&["up", "--output", "json", "--timeout", "60s"]);
        serde_json::from_slice(&output.stdout).expect("one JSON result")
    }

    /// `docker ARGS…` against the platform's engine.
    fn docker(&self, args: &[&str]) -> String {
        let output = Command::new("docker")
            .args(args)
            .env("DOCKER_HOST", &self.docker_host)
            .output()
            .expect("docker runs");
        assert!(
            output.status.success(),
            "docker {args:?}: {}",
            text(&output.stderr)
        );
        text(&output.stdout)
    }

    /// Names of what carries the app's label: `container` or `network` or `volume`.
    fn labelled(&self, what: &str) -> Vec<String> {
        let filter = format!("label=paas.dev/app={}", self.app);
        let args: Vec<&str> = match what {
            "container" => vec!["ps", "-a", "--filter", &filter, "--format", "{{.Names}}"],
            "network" => vec![
                "network",
                "ls",
                "--filter",
                &filter,
                "--format",
                "{{.Name}}",
            ],
            _ => vec!["volume", "ls", "--filter", &filter, "--format", "{{.Name}}"],
        };
        let mut names: Vec<String> = self.docker(&args).lines().map(str::to_owned).collect();
        names.sort();
        names
    }

    fn replicas(&self) -> Vec<String> {
        let filter = format!("label=paas.dev/app={}", self.app);
        let mut names: Vec<String> = self
            .docker(&[
                "ps",
                "--filter",
                &filter,
                "--filter",
                "label=paas.dev/local-role=app",
                "--format",
                "{{.Names}}",
            ])
            .lines()
            .map(str::to_owned)
            .collect();
        names.sort();
        names
    }
}

impl Drop for LocalApp {
    fn drop(&mut self) {
        let _ = self.paas(&["down", "--volumes"]);
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `GET path` on `url` (`http://127.0.0.1:PORT`): the status code and the body.
fn get(url: &str, path: &str) -> Result<(u16, String), String> {
    let address = url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .map_err(|e| e.to_string())?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    let mut answer = String::new();
    stream
        .read_to_string(&mut answer)
        .map_err(|e| e.to_string())?;
    let code = answer
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| format!("no HTTP answer: {answer:?}"))?;
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    Ok((code, body))
}

fn url_of(result: &serde_json::Value) -> String {
    result["urls"][0].as_str().expect("a URL").to_owned()
}

#[test]
fn up_with_no_kube_context_serves_locked_down_containers_and_a_second_up_changes_nothing() {
    let Some(site) = LocalApp::new() else {
        return;
    };
    let output = site.ok(&["up", "--timeout", "60s"]);
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("no kube context is configured") && stderr.contains("environment `local`"),
        "says where it deploys, in one line: {stderr}"
    );
    let url_line = stderr
        .lines()
        .find(|l| l.trim_start().starts_with("at http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("prints the URL: {stderr}"));
    let url = url_line.trim().trim_start_matches("at ").to_owned();
    let (code, body) = get(&url, "/").expect("the app answers");
    assert_eq!(code, 200, "{body}");

    // As in the cluster: non-root, read-only root with a writable /tmp, no capabilities, the limits.
    let replicas = site.replicas();
    assert_eq!(replicas.len(), 1, "{replicas:?}");
    let inspected = site.docker(&[
        "inspect",
        &replicas[0],
        "--format",
        "{{.Config.User}}|{{.HostConfig.ReadonlyRootfs}}|{{.HostConfig.CapDrop}}|{{.HostConfig.Memory}}|{{.HostConfig.NanoCpus}}|{{.HostConfig.SecurityOpt}}|{{json .HostConfig.Tmpfs}}|{{json .HostConfig.PortBindings}}",
    ]);
    let fields: Vec<&str> = inspected.trim().split('|').collect();
    assert_eq!(fields[0], "101:101", "{inspected}");
    assert_eq!(fields[1], "true", "{inspected}");
    assert_eq!(fields[2], "[ALL]", "{inspected}");
    assert_eq!(fields[3], (256 * 1024 * 1024).to_string(), "{inspected}");
    assert_eq!(fields[4], "500000000", "{inspected}");
    assert_eq!(fields[5], "[no-new-privileges]", "{inspected}");
    assert!(fields[6].contains("\"/tmp\""), "{inspected}");
    // Only the front door publishes a port, on 127.0.0.1.
    assert!(fields[7] == "{}" || fields[7] == "null", "{inspected}");
    let ports = site.docker(&["port", &format!("paas-{}-proxy", site.app)]);
    assert!(ports.lines().all(|l| l.contains("127.0.0.1:")), "{ports}");
    // The root really is read-only and /tmp writable, for the app's user.
    let writes = Command::new("docker")
        .args([
            "exec",
            &replicas[0],
            "sh",
            "-c",
            "touch /x 2>&1; touch /tmp/x && id -u",
        ])
        .env("DOCKER_HOST", &site.docker_host)
        .output()
        .expect("docker exec");
    let said = text(&writes.stdout);
    assert!(said.contains("Read-only file system"), "{said}");
    assert!(said.trim_end().ends_with("101"), "{said}");

    // The same project again: nothing built, nothing replaced.
    let again = site.up_json();
    assert_eq!(again["unchanged"], true, "{again}");
    assert_eq!(again["built"], false, "{again}");
    assert_eq!(again["revision"], 1, "{again}");
    assert_eq!(url_of(&again), url);
    assert_eq!(site.replicas(), replicas, "the same container serves");

    // status and history say what runs.
    let status: serde_json::Value =
        serde_json::from_slice(&site.ok(&["status", "--output", "json"]).stdout).expect("JSON");
    assert_eq!(status["target"], "docker");
    assert_eq!(status["url"], url.as_str());
    assert_eq!(status["release"]["revision"], 1);
    let history = text(&site.ok(&["history"]).stdout);
    assert!(
        history.contains("1 (live)") && history.contains("deployed"),
        "{history}"
    );
}

#[test]
#[expect(
    clippy::print_stderr,
    reason = "the request counts are the measurement"
)]
fn a_changed_file_replaces_the_replicas_one_by_one_with_no_failed_request() {
    let Some(site) = LocalApp::new() else {
        return;
    };
    let toml = site
        .env
        .read("paas.toml")
        .replace("replicas = 1", "replicas = 2");
    site.env.write("paas.toml", &toml);
    let first = site.up_json();
    let url = url_of(&first);
    let before = site.replicas();
    assert_eq!(before.len(), 2, "{before:?}");

    // A client opening a connection for each request while the release changes.
    let stop = Arc::new(AtomicBool::new(false));
    let (ok, failed) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let errors = Arc::new(std::sync::Mutex::new(Vec::new()));
    let client = {
        let (stop, ok, failed, errors, url) = (
            Arc::clone(&stop),
            Arc::clone(&ok),
            Arc::clone(&failed),
            Arc::clone(&errors),
            url.clone(),
        );
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                match get(&url, "/") {
                    Ok((200, _)) => ok.fetch_add(1, Ordering::Relaxed),
                    other => {
                        errors.lock().expect("lock").push(format!("{other:?}"));
                        failed.fetch_add(1, Ordering::Relaxed)
                    }
                };
            }
        })
    };
    site.env
        .write("dist/index.html", "<h1>the second release</h1>\n");
    let second = site.up_json();
    stop.store(true, Ordering::Relaxed);
    client.join().expect("the client");
    assert_eq!(second["revision"], 2, "{second}");
    assert_eq!(url_of(&second), url, "the URL stays");
    let after = site.replicas();
    assert_eq!(after.len(), 2, "{after:?}");
    assert!(
        after.iter().all(|n| !before.contains(n)),
        "{before:?} → {after:?}"
    );
    let (ok, failed) = (ok.load(Ordering::Relaxed), failed.load(Ordering::Relaxed));
    eprintln!("during the switch: {ok} requests answered, {failed} failed");
    assert!(ok > 20, "the client ran: {ok}");
    assert_eq!(failed, 0, "{:?}", errors.lock().expect("lock"));
    let (_, body) = get(&url, "/").expect("answers");
    assert!(body.contains("the second release"), "{body}");

    // rollback puts release 1's image back; scale changes the count of replicas.
    let rolled = site.ok(&["rollback", "--output", "json"]);
    let rolled: serde_json::Value = serde_json::from_slice(&rolled.stdout).expect("JSON");
    assert_eq!(rolled["revision"], 3, "{rolled}");
    let (_, body) = get(&url, "/").expect("answers");
    assert!(!body.contains("the second release"), "{body}");
    let history = text(&site.ok(&["history"]).stdout);
    assert!(history.contains("rollback to 1"), "{history}");
    site.ok(&["scale", "3"]);
    assert_eq!(site.replicas().len(), 3);
    site.ok(&["scale", "1"]);
    assert_eq!(site.replicas().len(), 1);

    // logs: the replicas' own lines (nginx's JSON access log).
    for _ in 0..5 {
        get(&url, "/").expect("answers");
    }
    let logs = text(&site.ok(&["logs", "--tail", "50"]).stdout);
    assert!(logs.contains("\"method\":\"GET\""), "{logs}");
}

#[test]
fn down_removes_exactly_what_up_made_and_ten_cycles_leave_no_network() {
    let Some(site) = LocalApp::new() else {
        return;
    };
    for cycle in 0..10 {
        let result = site.up_json();
        assert!(result["revision"].is_u64(), "cycle {cycle}: {result}");
        assert_eq!(site.labelled("network"), vec![format!("paas-{}", site.app)]);
        let down = site.ok(&["down"]);
        assert!(
            text(&down.stderr).contains(&format!("network `paas-{}`", site.app)),
            "{}",
            text(&down.stderr)
        );
        assert!(site.labelled("container").is_empty(), "cycle {cycle}");
        assert!(site.labelled("network").is_empty(), "cycle {cycle}");
    }
    // Not one network of the app's name is left, labelled or not.
    let named = site.docker(&[
        "network",
        "ls",
        "--filter",
        &format!("name=paas-{}", site.app),
        "--format",
        "{{.Name}}",
    ]);
    assert!(named.trim().is_empty(), "left behind: {named}");
    let again = site.ok(&["down"]);
    assert!(
        text(&again.stderr).contains("nothing of"),
        "{}",
        text(&again.stderr)
    );
}

#[test]
fn a_crash_and_a_memory_kill_are_diagnosed_and_the_old_replica_keeps_serving() {
    let Some(site) = LocalApp::new() else {
        return;
    };
    let first = site.up_json();
    let url = url_of(&first);
    let base = std::env::var("PAAS_TEST_BASE_NGINX").expect("base image");
    let dockerfile = site.env.read("Dockerfile");

    // A process that exits at once.
    site.env.write(
        "Dockerfile",
        &format!("FROM {base}\nUSER 101\nCMD [\"sh\", \"-c\", \"echo the config is missing >&2; exit 3\"]\n"),
    );
    let crashed = site.paas(&["up", "--output", "json", "--timeout", "30s"]);
    assert_eq!(crashed.status.code(), Some(1), "{}", text(&crashed.stderr));
    let result: serde_json::Value = serde_json::from_slice(&crashed.stdout).expect("JSON");
    assert_eq!(result["ok"], false);
    assert_eq!(result["diagnosis"]["cause"], "Crashed", "{result}");
    assert!(
        result["diagnosis"]["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("exited with code 3"),
        "{result}"
    );
    assert!(
        result["diagnosis"]["logs"]
            .to_string()
            .contains("the config is missing"),
        "{result}"
    );
    assert_eq!(
        get(&url, "/").expect("answers").0,
        200,
        "release 1 keeps serving"
    );
    let human = site.paas(&["up", "--timeout", "30s"]);
    let stderr = text(&human.stderr);
    assert!(
        stderr.contains("exited with code 3") && stderr.contains("the config is missing"),
        "{stderr}"
    );

    // A process that uses more memory than its limit.
    let toml = site.env.read("paas.toml").replace(
        "[deploy]\n",
        "[deploy]\nmemory_limit = \"16Mi\"\nmemory_request = \"16Mi\"\n",
    );
    site.env.write("paas.toml", &toml);
    site.env.write(
        "Dockerfile",
        &format!("FROM {base}\nUSER 101\nCMD [\"sh\", \"-c\", \"x=$(head -c 200000000 /dev/zero | tr '\\\\0' a); sleep 60\"]\n"),
    );
    let killed = site.paas(&["up", "--output", "json", "--timeout", "30s"]);
    assert_eq!(killed.status.code(), Some(1), "{}", text(&killed.stderr));
    let result: serde_json::Value = serde_json::from_slice(&killed.stdout).expect("JSON");
    assert_eq!(result["diagnosis"]["cause"], "OOMKilled", "{result}");
    assert!(
        result["hints"].to_string().contains("memory_limit"),
        "{result}"
    );
    let history = text(&site.ok(&["history"]).stdout);
    assert!(history.contains("failed"), "{history}");
    assert_eq!(
        get(&url, "/").expect("answers").0,
        200,
        "release 1 still serves"
    );

    site.env.write("Dockerfile", &dockerfile);
    site.env.write(
        "paas.toml",
        &site
            .env
            .read("paas.toml")
            .replace("memory_limit = \"16Mi\"\nmemory_request = \"16Mi\"\n", ""),
    );
    // Fixed: release 1 never stopped serving, so nothing changes; the failed containers are gone.
    let fixed = site.up_json();
    assert_eq!(fixed["unchanged"], true, "{fixed}");
    assert_eq!(fixed["revision"], 1, "{fixed}");
    let containers = site.labelled("container");
    assert_eq!(
        containers.len(),
        2,
        "one replica and the front door: {containers:?}"
    );
}

#[test]
#[expect(clippy::print_stderr, reason = "a skipped test says why")]
fn a_redis_component_keeps_its_data_across_down_without_volumes() {
    let Ok(redis) = std::env::var("PAAS_TEST_REDIS_IMAGE") else {
        assert!(
            std::env::var("PAAS_TEST_REQUIRE_REAL_NODE").as_deref() != Ok("1"),
            "PAAS_TEST_REDIS_IMAGE is unset"
        );
        eprintln!(
            "skipped: needs the Redis test image (PAAS_TEST_REDIS_IMAGE, built by `tests/platform.sh up`)"
        );
        return;
    };
    let Some(site) = LocalApp::new() else {
        return;
    };
    let toml = site.env.read("paas.toml");
    site.env.write(
        "paas.toml",
        &format!("{toml}\n[components.cache]\nkind = \"redis\"\nimage = \"{redis}\"\nstorage = \"64Mi\"\n"),
    );
    let output = site.ok(&["up", "--timeout", "90s"]);
    let stderr = text(&output.stderr);
    assert!(stderr.contains("component `cache`"), "{stderr}");
    let cache = format!("paas-{}-cache", site.app);
    let redis_cli = |command: &str| {
        let output = Command::new("docker")
            .args([
                "exec",
                &cache,
                "sh",
                "-c",
                &format!("REDISCLI_AUTH=\"$REDIS_PASSWORD\" redis-cli --no-auth-warning {command}"),
            ])
            .env("DOCKER_HOST", &site.docker_host)
            .output()
            .expect("docker exec");
        text(&output.stdout).trim().to_owned()
    };
    assert_eq!(redis_cli("SET kept yes"), "OK");
    // The app gets the URL with the same password, its host the component's name on the network.
    let replica = site.replicas().remove(0);
    let url = site.docker(&["exec", &replica, "sh", "-c", "echo \"$REDIS_URL\""]);
    assert!(url.contains(&format!("@{}-cache:6379", site.app)), "{url}");
    assert!(
        !stderr.contains(
            url.trim()
                .split('@')
                .next()
                .unwrap_or_default()
                .trim_start_matches("redis://default:")
        ),
        "no password in the output"
    );
    let reached = site.docker(&[
        "exec",
        &cache,
        "sh",
        "-c",
        &format!(
            "REDISCLI_AUTH=\"$REDIS_PASSWORD\" redis-cli --no-auth-warning -h {}-cache PING",
            site.app
        ),
    ]);
    assert_eq!(reached.trim(), "PONG");

    let down = site.ok(&["down"]);
    assert!(
        text(&down.stderr).contains("kept the volumes"),
        "{}",
        text(&down.stderr)
    );
    assert!(site.labelled("container").is_empty());
    assert_eq!(site.labelled("volume").len(), 1, "the data stays");
    site.ok(&["up", "--timeout", "90s"]);
    assert_eq!(redis_cli("GET kept"), "yes", "the data survived `down`");

    site.ok(&["down", "--volumes"]);
    assert!(site.labelled("volume").is_empty());
}

#[test]
fn an_environment_with_target_docker_runs_locally_even_with_a_kube_context() {
    let Some(site) = LocalApp::new() else {
        return;
    };
    let toml = site.env.read("paas.toml");
    site.env.write(
        "paas.toml",
        &format!("{toml}\n[env.dev]\ntarget = \"docker\"\nreplicas = 2\n"),
    );
    // A kubeconfig that points nowhere: `--env dev` never reads it.
    let output = site
        .env
        .paas()
        .args(["up", "--env", "dev", "--output", "json", "--timeout", "60s"])
        .env("DOCKER_HOST", &site.docker_host)
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        !text(&output.stderr).contains("no kube context"),
        "asked for, not implied"
    );
    let result: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(result["target"], "docker");
    assert_eq!(site.replicas().len(), 2, "the environment's values");
    let started = Instant::now();
    site.ok(&["down"]);
    assert!(started.elapsed() < Duration::from_secs(60));
}
