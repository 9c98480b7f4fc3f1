//! The deploy lock under faults, against the real API server: a Lease stolen or deleted
//! while its holder works, a lock left by a process of this host that is gone, `paas scale`
//! against a held lock, and an API server that stops answering in the middle of a deploy.

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::coordination::v1::{Lease, LeaseSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::MicroTime;
use kube::api::{DeleteParams, ObjectMeta, PostParams};
use paas::deploy::lock::{DeployLock, LockError, LostReason, lease_name};
use paas::deploy::release::{ReleaseStatus, ReleaseStore};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use crate::support::app::{paas_on, release_statuses, site, stderr, up, up_command, with_fault};
use crate::support::platform::Platform;

/// A Lease of the app `app` held by `holder`, renewed now.
fn held_by(app: &str, holder: &str) -> Lease {
    let now = MicroTime(k8s_openapi::jiff::Timestamp::now());
    Lease {
        metadata: ObjectMeta {
            name: Some(lease_name(app)),
            ..ObjectMeta::default()
        },
        spec: Some(LeaseSpec {
            holder_identity: Some(holder.to_owned()),
            lease_duration_seconds: Some(30),
            acquire_time: Some(now.clone()),
            renew_time: Some(now),
            ..LeaseSpec::default()
        }),
    }
}

/// Gives the Lease of `app` to `holder`, as another deploy taking it over would.
async fn steal(platform: &Platform, app: &str, holder: &str) {
    let leases = platform.api::<Lease>();
    let mut lease = leases.get(&lease_name(app)).await.expect("the lease");
    let spec = lease.spec.get_or_insert_with(LeaseSpec::default);
    spec.holder_identity = Some(holder.to_owned());
    spec.renew_time = Some(MicroTime(k8s_openapi::jiff::Timestamp::now()));
    leases
        .replace(&lease_name(app), &PostParams::default(), &lease)
        .await
        .expect("stolen");
}

async fn holder(platform: &Platform, app: &str) -> Option<String> {
    platform
        .api::<Lease>()
        .get_opt(&lease_name(app))
        .await
        .expect("read the lease")
        .and_then(|l| l.spec)
        .and_then(|s| s.holder_identity)
}

/// Starts `command` with its stderr read line by line on a thread.
fn spawn(mut command: Command) -> (Child, mpsc::Receiver<String>) {
    let mut child = command
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("paas starts");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { return };
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    (child, rx)
}

/// Collects lines until one satisfies `at` (panics after `limit`).
async fn until(lines: &mpsc::Receiver<String>, seen: &mut String, limit: Duration, at: &str) {
    let deadline = Instant::now() + limit;
    loop {
        while let Ok(line) = lines.try_recv() {
            seen.push_str(&line);
            seen.push('\n');
            if line.trim_start().starts_with(at) {
                return;
            }
        }
        assert!(Instant::now() < deadline, "no `{at}` line:\n{seen}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits for the child to exit within `limit` (killing it after), and returns its exit code,
/// every line of stderr and how long it took.
async fn exit_within(
    child: &mut Child,
    lines: &mpsc::Receiver<String>,
    seen: &mut String,
    limit: Duration,
) -> (Option<i32>, Duration) {
    let started = Instant::now();
    let code = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status.code();
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    // The reader thread ends with the pipe.
    tokio::time::sleep(Duration::from_millis(100)).await;
    while let Ok(line) = lines.try_recv() {
        seen.push_str(&line);
        seen.push('\n');
    }
    (code, started.elapsed())
}

#[tokio::test]
async fn a_lost_lock_is_left_to_its_new_holder() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    // Taken by someone else: the holder learns it within a couple of seconds, and giving it
    // back leaves the new holder's Lease alone.
    let lock = DeployLock::acquire(
        platform.client.clone(),
        &platform.namespace,
        "web",
        "ana@a pid 1",
    )
    .await
    .expect("taken");
    steal(&platform, "web", "bo@b pid 2").await;
    let lost = tokio::time::timeout(Duration::from_secs(5), lock.lost())
        .await
        .expect("the loss is noticed at once");
    assert_eq!(
        lost.to_string(),
        format!(
            "lost the deploy lock `paas-deploy.web` in namespace `{}`: `bo@b pid 2` holds it now",
            platform.namespace
        )
    );
    match lock.release().await {
        Err(LockError::Lost {
            reason: LostReason::TakenBy(now),
            ..
        }) => assert_eq!(now, "bo@b pid 2"),
        other => panic!("released a Lease it no longer held: {other:?}"),
    }
    assert_eq!(
        holder(&platform, "web").await.as_deref(),
        Some("bo@b pid 2")
    );

    // Deleted: noticed too.
    let lock = DeployLock::acquire(
        platform.client.clone(),
        &platform.namespace,
        "api",
        "ana@a pid 1",
    )
    .await
    .expect("taken");
    platform
        .api::<Lease>()
        .delete(&lease_name("api"), &DeleteParams::default())
        .await
        .expect("deleted");
    let lost = tokio::time::timeout(Duration::from_secs(5), lock.lost())
        .await
        .expect("the loss is noticed at once");
    assert!(
        matches!(
            lost,
            LockError::Lost {
                reason: LostReason::Deleted,
                ..
            }
        ),
        "{lost}"
    );
}

#[tokio::test]
async fn a_stolen_lease_stops_up_at_once() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    // Never ready: without the theft the wait would go on for its 30 s grace.
    with_fault(&env, "never-ready");
    let (mut child, lines) = spawn(up_command(&env, &platform, &["--timeout", "5m"]));
    let mut seen = String::new();
    until(&lines, &mut seen, Duration::from_secs(120), "Applied").await;
    steal(&platform, "site", "mallory@elsewhere pid 1").await;
    let (code, took) = exit_within(&mut child, &lines, &mut seen, Duration::from_secs(60)).await;
    assert_eq!(code, Some(1), "{seen}");
    assert!(
        took < Duration::from_secs(5),
        "stopped at once: {took:?}\n{seen}"
    );
    assert!(
        seen.contains("error: lost the deploy lock `paas-deploy.site` in namespace")
            && seen.contains("`mallory@elsewhere pid 1` holds it now"),
        "{seen}"
    );
    assert_eq!(
        holder(&platform, "site").await.as_deref(),
        Some("mallory@elsewhere pid 1"),
        "the new holder's Lease is left alone"
    );
}

/// This host's name as paas puts it in a holder identity (the tests clear `HOSTNAME`).
fn this_host() -> String {
    fs_err::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_owned())
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".into())
}

#[tokio::test]
async fn a_lock_of_a_gone_process_on_this_host_is_stale_and_taken_over() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    // Renewed a moment ago, by a pid above any Linux `pid_max`: a process that is gone.
    let gone = format!("unknown@{} pid 4194999", this_host());
    platform
        .api::<Lease>()
        .create(&PostParams::default(), &held_by("site", &gone))
        .await
        .expect("created");
    let output = up(&env, &platform, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(&format!(
            "warning: took over the stale deploy lock `paas-deploy.site` of `{gone}`: that process is no longer running on this host"
        )),
        "{}",
        stderr(&output)
    );
    assert_eq!(holder(&platform, "site").await, None, "released after");

    // Another host's holder is never called stale.
    let elsewhere = "unknown@another-host pid 4194999";
    platform
        .api::<Lease>()
        .create(&PostParams::default(), &held_by("site", elsewhere))
        .await
        .expect("created");
    let output = up(&env, &platform, &[]);
    assert_eq!(output.status.code(), Some(75), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("is running"),
        "{}",
        stderr(&output)
    );
}

#[tokio::test]
async fn scale_waits_its_turn_behind_the_deploy_lock() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    assert!(up(&env, &platform, &[]).status.success());
    platform
        .api::<Lease>()
        .create(&PostParams::default(), &held_by("site", "alice@ci pid 42"))
        .await
        .expect("created");
    let output = paas_on(&env, &platform, &["scale", "3"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(75), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("is running: alice@ci pid 42"),
        "{}",
        stderr(&output)
    );
    let deployment: Deployment = platform.api().get("site").await.expect("deployment");
    assert_eq!(
        deployment.spec.and_then(|s| s.replicas),
        Some(1),
        "not scaled"
    );

    // Its own lock is given back: a deploy can follow.
    platform
        .api::<Lease>()
        .delete(&lease_name("site"), &DeleteParams::default())
        .await
        .expect("deleted");
    let output = paas_on(&env, &platform, &["scale", "2", "--no-wait"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(holder(&platform, "site").await, None);
}

/// A TCP proxy to `upstream` that forwards until `stalled` is set, then keeps every
/// connection (and every new one) open without passing a byte: an API server that went away
/// without closing anything. Returns the address it listens on.
async fn stalling_proxy(upstream: String, stalled: Arc<AtomicBool>) -> std::net::SocketAddr {
    async fn pump(
        mut from: tokio::net::tcp::OwnedReadHalf,
        mut to: tokio::net::tcp::OwnedWriteHalf,
        stalled: Arc<AtomicBool>,
    ) {
        let mut buffer = vec![0; 16 * 1024];
        loop {
            let n = match from.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            };
            if stalled.load(Ordering::SeqCst) {
                // Hold both ends open, forever.
                std::future::pending::<()>().await;
            }
            if to.write_all(&buffer[..n]).await.is_err() {
                return;
            }
        }
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let upstream = upstream.clone();
            let stalled = stalled.clone();
            tokio::spawn(async move {
                let Ok(server) = tokio::net::TcpStream::connect(&upstream).await else {
                    return;
                };
                let (client_read, client_write) = client.into_split();
                let (server_read, server_write) = server.into_split();
                tokio::join!(
                    pump(client_read, server_write, stalled.clone()),
                    pump(server_read, client_write, stalled),
                );
            });
        }
    });
    address
}

/// Writes a kubeconfig whose API server is reached through a [`stalling_proxy`]; returns its
/// path and the switch that stalls the proxy.
async fn stalling_kubeconfig(
    platform: &Platform,
    env: &crate::support::TestEnv,
) -> (std::path::PathBuf, Arc<AtomicBool>) {
    let kubeconfig = fs_err::read_to_string(&platform.kubeconfig).expect("kubeconfig");
    let server = regex::Regex::new(r"server: https://([0-9.]+:[0-9]+)").expect("pattern");
    let upstream = server.captures(&kubeconfig).expect("a server")[1].to_owned();
    let stalled = Arc::new(AtomicBool::new(false));
    let proxy = stalling_proxy(upstream, stalled.clone()).await;
    let through = env.temp.path().join("proxied-kubeconfig.yaml");
    fs_err::write(
        &through,
        server
            .replace(&kubeconfig, format!("server: https://{proxy}").as_str())
            .as_ref(),
    )
    .expect("written");
    (through, stalled)
}

/// Runs `paas up --timeout TIMEOUT` of a never-ready app through a [`stalling_proxy`] that
/// stalls once the objects are applied; returns the exit code, how long it took to end after
/// the stall, and what it printed.
async fn up_stalled_after_apply(
    platform: &Platform,
    timeout: &str,
) -> (Option<i32>, Duration, String) {
    let env = site(platform, &platform.registry);
    with_fault(&env, "never-ready");
    let (through, stalled) = stalling_kubeconfig(platform, &env).await;
    let mut command = up_command(&env, platform, &["--timeout", timeout]);
    command.env("KUBECONFIG", &through);
    let (mut child, lines) = spawn(command);
    let mut seen = String::new();
    until(&lines, &mut seen, Duration::from_secs(120), "Applied").await;
    stalled.store(true, Ordering::SeqCst);
    let (code, took) = exit_within(&mut child, &lines, &mut seen, Duration::from_secs(90)).await;
    (code, took, seen)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_api_server_gone_mid_deploy_gets_the_first_error_and_a_bounded_clean_up() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let (code, took, seen) = up_stalled_after_apply(&platform, "6s").await;
    // The rest of the wait's 6 s, then at most 6 s for the record and 6 s for the lock.
    assert_eq!(code, Some(1), "{seen}");
    let error = seen
        .lines()
        .find(|l| l.starts_with("error: "))
        .unwrap_or_default();
    assert_eq!(
        error, "error: release 1 of `site` failed to roll out",
        "the first failure is the one reported:\n{seen}"
    );
    assert!(
        seen.contains("warning: release 1 could not be recorded as failed: the API server did not answer within 6s"),
        "{seen}"
    );
    assert!(
        seen.contains("warning: the deploy lock `paas-deploy.site` was not released: the API server did not answer within 6s"),
        "{seen}"
    );
    assert!(took < Duration::from_secs(30), "bounded: {took:?}\n{seen}");

    // The record stays pending; the next holder of the lock marks it interrupted.
    let store = ReleaseStore::new(platform.client.clone(), &platform.namespace, "site");
    assert_eq!(
        release_statuses(&store).await,
        [(1, ReleaseStatus::Pending)]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lock_that_cannot_be_renewed_for_a_lease_duration_stops_up() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    // A wait far longer than the lease: only the lost lock can end it early.
    let (code, took, seen) = up_stalled_after_apply(&platform, "5m").await;
    assert_eq!(code, Some(1), "{seen}");
    assert!(
        seen.contains(&format!(
            "error: lost the deploy lock `paas-deploy.site` in namespace `{}`: it could not be renewed for 30s, so another deploy may hold it",
            platform.namespace
        )),
        "{seen}"
    );
    // The last renewal was at most 10 s before the API server went away.
    assert!(
        took >= Duration::from_secs(15) && took < Duration::from_secs(40),
        "stopped when the lease ran out: {took:?}\n{seen}"
    );
}
