//! `paas logs` against the test platform: kwok serves `tests/cluster/fake-app.log` for every pod
//! (`fake-app-previous.log` with `--previous`), so what differs between pods is the prefix.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead as _, BufReader};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::Pod;
use kube::api::{ListParams, Patch, PatchParams};

use crate::support::app::{filtered, paas_on, site, stderr, up, with_fault};
use crate::support::platform::{
    FAKE_LOG_LINE, FAKE_PREVIOUS_LOG_LINE, FAULT_CRASH_LOOP, Platform, eventually,
};
use crate::support::{TestEnv, run};

const TIMEOUT: Duration = Duration::from_secs(60);

async fn scale(platform: &Platform, replicas: i32) {
    platform
        .api::<Deployment>()
        .patch_scale(
            "site",
            &PatchParams::default(),
            &Patch::Merge(serde_json::json!({"spec": {"replicas": replicas}})),
        )
        .await
        .expect("scaled");
    let count = usize::try_from(replicas).expect("positive");
    eventually(TIMEOUT, "the pods run", || async {
        let pods = platform
            .api::<Pod>()
            .list(&ListParams::default().labels("paas.dev/app=site"))
            .await
            .ok()?;
        let running = pods
            .items
            .iter()
            .filter(|p| {
                p.metadata.deletion_timestamp.is_none()
                    && p.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Running")
            })
            .count();
        (running == count).then_some(())
    })
    .await;
}

/// Reads `paas logs -f` lines until `done` says the lines so far are enough.
fn read_until(
    lines: &mpsc::Receiver<String>,
    seen: &mut Vec<String>,
    what: &str,
    done: impl Fn(&[String]) -> bool,
) {
    let deadline = Instant::now() + TIMEOUT;
    while !done(seen) {
        let left = deadline.saturating_duration_since(Instant::now());
        match lines.recv_timeout(left) {
            Ok(line) => seen.push(line),
            Err(mpsc::RecvTimeoutError::Timeout | mpsc::RecvTimeoutError::Disconnected) => panic!(
                "timed out waiting for {what}; lines so far:\n{}",
                seen.join("\n")
            ),
        }
    }
}

/// Starts `command` (a `paas logs -f`) with the lines of its stdout and stderr as they come.
fn spawn(
    command: &mut std::process::Command,
) -> (
    std::process::Child,
    mpsc::Receiver<String>,
    mpsc::Receiver<String>,
) {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("paas logs -f starts");
    let out = lines_of(child.stdout.take().expect("stdout"));
    let err = lines_of(child.stderr.take().expect("stderr"));
    (child, out, err)
}

/// The lines of a child's stdout or stderr, as they come.
fn lines_of(stream: impl std::io::Read + Send + 'static) -> mpsc::Receiver<String> {
    let (sender, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    lines
}

fn prefixes(lines: &[String]) -> BTreeSet<String> {
    lines
        .iter()
        .filter_map(|l| l.split_whitespace().next())
        .map(ToOwned::to_owned)
        .collect()
}

#[tokio::test]
async fn follows_a_rollout_from_two_to_three_pods() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    let output = up(&env, &platform, &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    scale(&platform, 2).await;

    let (mut child, lines, errors) =
        spawn(&mut paas_on(&env, &platform, &["logs", "-f", "-c", "site"]));
    let mut seen = Vec::new();
    read_until(&lines, &mut seen, "the two pods' lines", |s| {
        s.len() >= 6 && prefixes(s).len() == 2
    });
    scale(&platform, 3).await;
    read_until(&lines, &mut seen, "the third pod's lines", |s| {
        s.len() >= 9 && prefixes(s).len() == 3
    });
    // Ctrl-C is how a follow ends: quietly, exit 0.
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().expect("killed");
            panic!("`paas logs -f` did not stop on SIGINT");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let errors: Vec<String> = errors.iter().collect();
    assert_eq!(status.code(), Some(0), "{errors:?}");
    assert!(
        errors.is_empty(),
        "a rollout's routine waits are not news: {errors:?}"
    );

    // Each pod's three lines, once each, in order, prefixed `site-…/site`.
    let mut per_pod: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in &seen {
        let (prefix, text) = line.split_once(' ').expect("a prefix");
        assert!(prefix.ends_with("/site"), "{line}");
        per_pod
            .entry(prefix.to_owned())
            .or_default()
            .push(text.trim_start().to_owned());
    }
    assert_eq!(per_pod.len(), 3, "{seen:#?}");
    for texts in per_pod.values() {
        assert_eq!(
            texts,
            &[
                "paas-test fake app: starting",
                FAKE_LOG_LINE,
                "paas-test fake app: GET / 200"
            ],
            "{seen:#?}"
        );
    }

    // Without --follow: every container in turn, then exit 0.
    let (text, output) = run(&mut paas_on(&env, &platform, &["logs"]));
    assert!(output.status.success(), "{text}");
    insta::assert_snapshot!("logs_three_pods", filtered(&text, &platform));

    // --grep, --tail and --timestamps.
    let (text, output) = run(&mut paas_on(
        &env,
        &platform,
        &["logs", "--grep", "GET /", "--timestamps"],
    ));
    assert!(output.status.success(), "{text}");
    insta::assert_snapshot!("logs_grep_timestamps", filtered(&text, &platform));
    let output = paas_on(&env, &platform, &["logs", "--tail", "1"])
        .output()
        .expect("runs");
    let tail = String::from_utf8_lossy(&output.stdout);
    // The last line of each container: nginx's and its exporter's, in three pods.
    assert_eq!(tail.lines().count(), 6, "{tail}");
    assert!(tail.lines().all(|l| l.ends_with("GET / 200")), "{tail}");

    // --output json: one object per line.
    let output = paas_on(&env, &platform, &["logs", "--output", "json", "-c", "site"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", stderr(&output));
    let objects: Vec<serde_json::Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(objects.len(), 9);
    for object in &objects {
        assert_eq!(object["container"], "site");
        assert!(
            object["pod"]
                .as_str()
                .is_some_and(|p| p.starts_with("site-"))
        );
        assert!(
            object["time"]
                .as_str()
                .is_some_and(|t| t.starts_with("2026-01-01T"))
        );
        assert!(
            object["line"]
                .as_str()
                .is_some_and(|l| l.starts_with("paas-test fake app"))
        );
        assert!(object.get("previous").is_none());
    }

    // A container no pod has: a usage error that lists the containers.
    let (text, output) = run(&mut paas_on(&env, &platform, &["logs", "-c", "nginx"]));
    assert_eq!(output.status.code(), Some(2), "{text}");
    insta::assert_snapshot!("logs_unknown_container", filtered(&text, &platform));

    // Pods that are deleted leave the stream (`-v` says so).
    let (mut child, out, err) = spawn(&mut paas_on(&env, &platform, &["logs", "-f", "-v"]));
    let mut three = Vec::new();
    read_until(&out, &mut three, "three pods' lines", |s| {
        s.len() >= 9 && prefixes(s).len() == 3
    });
    scale(&platform, 1).await;
    let mut notes = Vec::new();
    read_until(&err, &mut notes, "two pods leaving", |s| {
        s.iter().filter(|l| l.ends_with("is gone")).count() == 2
    });
    child.kill().expect("killed");
    let _ = child.wait();
}

#[tokio::test]
async fn previous_logs_of_a_crash_looping_container() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    with_fault(&env, FAULT_CRASH_LOOP);
    // The rollout fails (the container keeps crashing), and the pod stays.
    let output = up(&env, &platform, &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));

    let (text, output) = run(&mut paas_on(&env, &platform, &["logs", "--previous"]));
    assert!(output.status.success(), "{text}");
    assert!(text.contains(FAKE_PREVIOUS_LOG_LINE), "{text}");
    insta::assert_snapshot!("logs_previous", filtered(&text, &platform));

    let output = paas_on(&env, &platform, &["logs", "-p", "--output", "json"])
        .output()
        .expect("runs");
    let first: serde_json::Value =
        serde_json::from_slice(output.stdout.split(|b| *b == b'\n').next().expect("a line"))
            .expect("JSON");
    assert_eq!(first["previous"], true, "{first}");
    assert_eq!(
        first["line"],
        format!("{FAKE_PREVIOUS_LOG_LINE}: starting"),
        "{first}"
    );
}

#[tokio::test]
async fn no_pod_waits_then_fails_with_a_hint() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = TestEnv::new();
    let started = Instant::now();
    let (text, output) = run(&mut paas_on(
        &env,
        &platform,
        &["logs", "--app", "ghost", "--pod-timeout", "2s"],
    ));
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(started.elapsed() >= Duration::from_secs(2));
    let text = text.replace(&platform.namespace, "[NAMESPACE]");
    insta::assert_snapshot!("logs_no_pod", text);
}

/// A TCP proxy to the API server that cuts every connection after `life`: log streams, the pod
/// watch and all. Returns the address it listens on.
async fn cutting_proxy(upstream: String, life: Duration) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            let upstream = upstream.clone();
            tokio::spawn(async move {
                let Ok(mut server) = tokio::net::TcpStream::connect(&upstream).await else {
                    return;
                };
                let _ = tokio::time::timeout(
                    life,
                    tokio::io::copy_bidirectional(&mut client, &mut server),
                )
                .await;
            });
        }
    });
    address
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cut_stream_resumes_without_repeating_lines() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    let output = up(&env, &platform, &[]);
    assert!(output.status.success(), "{}", stderr(&output));

    // The same kubeconfig, through a proxy that cuts every connection after 1.5 s.
    let kubeconfig = fs_err::read_to_string(&platform.kubeconfig).expect("kubeconfig");
    let server = regex::Regex::new(r"server: https://([0-9.]+:[0-9]+)").expect("pattern");
    let upstream = server.captures(&kubeconfig).expect("a server")[1].to_owned();
    let proxy = cutting_proxy(upstream, Duration::from_millis(1500)).await;
    let cut = env.temp.path().join("cut-kubeconfig.yaml");
    fs_err::write(
        &cut,
        server
            .replace(&kubeconfig, format!("server: https://{proxy}").as_str())
            .as_ref(),
    )
    .expect("written");

    let (mut child, out, err) = spawn(
        paas_on(&env, &platform, &["logs", "-f", "-v", "-c", "site"]).env("KUBECONFIG", &cut),
    );
    let mut notes = Vec::new();
    read_until(&err, &mut notes, "two reconnects", |s| {
        s.iter()
            .filter(|l| l.contains("the stream was cut") && l.contains("reconnecting in"))
            .count()
            >= 2
    });
    // A moment for a reconnected stream to send what it would repeat.
    tokio::time::sleep(Duration::from_millis(500)).await;
    child.kill().expect("killed");
    let _ = child.wait();
    let lines: Vec<String> = out.try_iter().collect();
    let texts: Vec<&str> = lines
        .iter()
        .map(|l| l.split_once(' ').expect("a prefix").1.trim_start())
        .collect();
    assert_eq!(
        texts,
        [
            "paas-test fake app: starting",
            FAKE_LOG_LINE,
            "paas-test fake app: GET / 200"
        ],
        "each line once, however often the stream was cut; stderr:\n{}",
        notes.join("\n")
    );
}

#[tokio::test]
async fn follows_a_new_release_that_replaces_two_pods_with_three() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    let toml = env.read("paas.toml");
    let declared = toml
        .lines()
        .find(|l| l.starts_with("replicas = "))
        .expect("a replica count")
        .to_owned();
    env.write("paas.toml", &toml.replace(&declared, "replicas = 2"));
    crate::support::app::release(&env, &platform, 1);
    let old: BTreeSet<String> = pod_names(&platform).await;
    assert_eq!(old.len(), 2);

    let (mut child, lines, _errors) =
        spawn(&mut paas_on(&env, &platform, &["logs", "-f", "-c", "site"]));
    let mut seen = Vec::new();
    read_until(&lines, &mut seen, "the two pods' lines", |s| {
        prefixes(s).len() == 2 && s.len() >= 6
    });

    // Release 2: a new image and three replicas; the rollout replaces every pod.
    let toml = env.read("paas.toml");
    env.write("paas.toml", &toml.replace("replicas = 2", "replicas = 3"));
    crate::support::app::release(&env, &platform, 2);
    let new: BTreeSet<String> = pod_names(&platform).await;
    assert_eq!(new.len(), 3);
    assert!(old.is_disjoint(&new), "the rollout replaced the pods");
    read_until(&lines, &mut seen, "the new pods' lines", |s| {
        new.iter().all(|pod| {
            let prefix = format!("{pod}/site");
            s.iter()
                .filter(|l| l.split_whitespace().next() == Some(prefix.as_str()))
                .count()
                >= 3
        })
    });
    let _ = child.kill();
    let _ = child.wait();

    // Every pod of both releases, each line once (the scale-up before the new template may
    // add a pod to the old release too).
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for line in &seen {
        let prefix = line.split_whitespace().next().expect("a prefix");
        *counts.entry(prefix.to_owned()).or_default() += 1;
    }
    for pod in old.iter().chain(&new) {
        assert_eq!(counts.get(&format!("{pod}/site")), Some(&3), "{seen:#?}");
    }
}

/// The names of the app's pods that are not being deleted, once the rollout settled.
async fn pod_names(platform: &Platform) -> BTreeSet<String> {
    eventually(TIMEOUT, "only the current pods run", || async {
        let pods = platform
            .api::<Pod>()
            .list(&ListParams::default().labels("paas.dev/app=site"))
            .await
            .ok()?;
        pods.items
            .iter()
            .all(|p| p.metadata.deletion_timestamp.is_none())
            .then(|| {
                pods.items
                    .iter()
                    .filter_map(|p| p.metadata.name.clone())
                    .collect()
            })
    })
    .await
}
