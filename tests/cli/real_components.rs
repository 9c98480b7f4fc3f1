//! The app's components on real pods: an app deployed by `paas up` with a Redis and a PostgreSQL (images
//! built locally from Debian's packages: tests/platform/images.sh) reaches both through the variables
//! paas injects (the kubelet expands the passwords into the URLs), writes and reads; a restart of the
//! components keeps the data (on the platform provisioner's volumes); a pod of another app is refused
//! by the components' `NetworkPolicy`, enforced by the real node's kube-router; `paas backup`, a wipe
//! and `paas restore` give the data back, and a dump of the wrong kind or a changed one is refused; a
//! secret set with `paas secret` reaches the rolled-out pod; a component Secret replaced over kept data is
//! named by the next `paas up`; `paas logs --component` reads a component's own lines; `paas up --major`
//! moves the data to a new major version on a new volume, and back.

#![allow(
    clippy::doc_markdown,
    reason = "PostgreSQL and StatefulSet are words here"
)]

use std::process::{Command, Output};
use std::time::{Duration, Instant};

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{Pod, Secret};
use kube::api::{DeleteParams, ListParams, PostParams};

use crate::support::TestEnv;
use crate::support::app::{new_content, paas_on, stderr};
use crate::support::platform::{Platform, eventually};
use crate::support::real::{ClientPod, RealNode};

/// The static site, initialised for the platform on the nginx image with the components' clients.
fn site_with_clients(platform: &Platform, node: &RealNode) -> TestEnv {
    let env = TestEnv::fixture("static-dist");
    crate::support::app::company_defaults(&env, platform);
    let registry = format!("{}/{}", platform.registry, platform.namespace);
    let base = format!("base_image={}", node.base_nginx_clients);
    let output = env
        .paas()
        .args(["init", "--yes", "--name", "site", "--registry", &registry])
        .args(["--set", &base])
        .output()
        .expect("paas init runs");
    assert!(output.status.success(), "{}", stderr(&output));
    env
}

/// The static site on the nginx image with redis-cli and psql, with a Redis and a PostgreSQL 15.
fn app_with_components(platform: &Platform, node: &RealNode) -> TestEnv {
    let env = site_with_clients(platform, node);
    let toml = env.read("paas.toml");
    env.write(
        "paas.toml",
        &format!(
            "{toml}\n[components.cache]\nkind = \"redis\"\nimage = \"{}\"\nstorage = \"64Mi\"\n\n\
             [components.db]\nkind = \"postgres\"\nversion = \"15\"\nimage = \"{}\"\nstorage = \"256Mi\"\n",
            node.redis_image, node.postgres_image
        ),
    );
    env
}

/// `kubectl exec POD -c site -- sh -c SCRIPT` (the app's container, with its environment).
fn in_app(platform: &Platform, pod: &str, script: &str) -> Output {
    let kubectl = platform.kubectl();
    let mut command = Command::new(kubectl.get_program());
    command
        .args(kubectl.get_args())
        .args(["exec", pod, "-c", "site", "--", "sh", "-c", script]);
    command.output().expect("kubectl exec runs")
}

/// Runs `script` in the app's pod until it prints `expected` (a component that just became ready may
/// still refuse the first connection for a moment), panicking after a minute with the last output.
fn in_app_until(platform: &Platform, pod: &str, script: &str, expected: &str) -> String {
    let started = Instant::now();
    loop {
        let output = in_app(platform, pod, script);
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        if output.status.success() && text.contains(expected) {
            return text;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "`{script}` in {pod} did not print {expected:?}: {text}"
        );
        std::thread::sleep(Duration::from_secs(1));
    }
}

/// `<file>.sha256`, where `paas backup` writes the checksum.
fn dump_checksum(file: &std::path::Path) -> std::path::PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".sha256");
    name.into()
}

/// Deletes the component's pod and waits until its StatefulSet has a ready one again.
async fn restart(platform: &Platform, component: &str) {
    let pod = format!("{component}-0");
    let old = platform
        .api::<Pod>()
        .get(&pod)
        .await
        .expect("the component's pod")
        .metadata
        .uid;
    platform
        .api::<Pod>()
        .delete(&pod, &DeleteParams::default())
        .await
        .expect("delete the component's pod");
    eventually(
        Duration::from_secs(120),
        &format!("{component} ready again"),
        || async {
            let set = platform.api::<StatefulSet>().get(component).await.ok()?;
            let new = platform.api::<Pod>().get(&pod).await.ok()?;
            (new.metadata.uid != old && set.status?.ready_replicas == Some(1)).then_some(())
        },
    )
    .await;
}

#[tokio::test]
async fn an_app_uses_its_redis_and_postgres_and_the_data_outlives_a_restart() {
    let Some((platform, node)) = Platform::setup_real().await else {
        return;
    };
    let env = app_with_components(&platform, &node);
    let output = paas_on(&env, &platform, &["up", "--timeout", "240s"])
        .output()
        .expect("paas up runs");
    assert!(output.status.success(), "paas up: {}", stderr(&output));

    let pod = app_pod(&platform).await;

    // Each component's own log lines, by its name in paas.toml.
    for (name, line) in [
        ("cache", "Ready to accept connections"),
        ("db", "database system is ready to accept connections"),
    ] {
        let output = paas_on(&env, &platform, &["logs", "--component", name])
            .output()
            .expect("paas logs runs");
        assert!(
            output.status.success(),
            "paas logs --component {name}: {}",
            stderr(&output)
        );
        let printed = String::from_utf8_lossy(&output.stdout);
        assert!(
            printed.contains(line),
            "paas logs --component {name}:\n{printed}"
        );
        assert!(
            !printed.contains("GET /"),
            "only the component's pod, not the app's:\n{printed}"
        );
    }

    // Write and read through the injected variables only.
    let redis = "redis-cli --no-auth-warning -u \"$REDIS_URL\" SET greeting kept-by-redis && \
                 redis-cli --no-auth-warning -u \"$REDIS_URL\" GET greeting";
    in_app_until(&platform, &pod, redis, "kept-by-redis");
    let postgres = "psql \"$DATABASE_URL\" -v ON_ERROR_STOP=1 -qtAc \
                    \"CREATE TABLE notes (text text); INSERT INTO notes VALUES ('kept-by-postgres'); SELECT text FROM notes\"";
    in_app_until(&platform, &pod, postgres, "kept-by-postgres");
    // A wrong password is refused, so the one in the URL is what the server checks.
    let wrong = in_app(
        &platform,
        &pod,
        "psql \"postgresql://app:wrong@site-db:5432/app\" -qtAc 'SELECT 1'",
    );
    assert!(!wrong.status.success(), "a wrong password is refused");
    assert!(
        String::from_utf8_lossy(&wrong.stderr).contains("password authentication failed"),
        "{}",
        String::from_utf8_lossy(&wrong.stderr)
    );

    // The data is on the volumes: restarted components still have it.
    restart(&platform, "site-cache").await;
    restart(&platform, "site-db").await;
    in_app_until(
        &platform,
        &pod,
        "redis-cli --no-auth-warning -u \"$REDIS_URL\" GET greeting",
        "kept-by-redis",
    );
    in_app_until(
        &platform,
        &pod,
        "psql \"$DATABASE_URL\" -qtAc 'SELECT text FROM notes'",
        "kept-by-postgres",
    );

    // Backup, wipe, restore: the data comes back; a dump of the wrong kind or a changed file is refused.
    let dir = tempfile::tempdir().expect("a folder for the dumps");
    let rdb = dir.path().join("cache.rdb");
    let pgdump = dir.path().join("db.pgdump");
    for (name, file) in [("cache", &rdb), ("db", &pgdump)] {
        let output = paas_on(
            &env,
            &platform,
            &["backup", name, "-o", &file.display().to_string()],
        )
        .output()
        .expect("paas backup runs");
        assert!(
            output.status.success(),
            "paas backup {name}: {}",
            stderr(&output)
        );
        let said = stderr(&output);
        assert!(said.contains("Backed up"), "{said}");
        let sum = fs_err::read_to_string(dump_checksum(file)).expect("a checksum file");
        assert!(
            sum.ends_with(&format!(
                "  {}\n",
                file.file_name().expect("name").to_string_lossy()
            )),
            "{sum}"
        );
    }
    in_app_until(
        &platform,
        &pod,
        "redis-cli --no-auth-warning -u \"$REDIS_URL\" FLUSHALL && redis-cli --no-auth-warning -u \"$REDIS_URL\" DBSIZE",
        "0",
    );
    in_app_until(
        &platform,
        &pod,
        "psql \"$DATABASE_URL\" -qtAc 'DROP TABLE notes' && psql \"$DATABASE_URL\" -qtAc \"SELECT count(*) FROM pg_tables WHERE tablename = 'notes'\"",
        "0",
    );
    let wrong = paas_on(&env, &platform, &["restore", "db", "--yes"])
        .arg(&rdb)
        .output()
        .expect("paas restore runs");
    assert_eq!(wrong.status.code(), Some(2), "{}", stderr(&wrong));
    assert!(
        stderr(&wrong).contains(
            "is a Redis RDB snapshot (redis-cli --rdb), not a PostgreSQL custom-format dump"
        ),
        "{}",
        stderr(&wrong)
    );
    let unconfirmed = paas_on(&env, &platform, &["restore", "db"])
        .arg(&pgdump)
        .output()
        .expect("paas restore runs");
    assert_eq!(
        unconfirmed.status.code(),
        Some(2),
        "off a terminal without --yes: {}",
        stderr(&unconfirmed)
    );
    for (name, file, says) in [
        ("cache", &rdb, "it holds 1 keys"),
        ("db", &pgdump, "it holds 1 tables"),
    ] {
        let output = paas_on(&env, &platform, &["restore", name, "--yes"])
            .arg(file)
            .output()
            .expect("paas restore runs");
        assert!(
            output.status.success(),
            "paas restore {name}: {}",
            stderr(&output)
        );
        assert!(stderr(&output).contains(says), "{}", stderr(&output));
        assert!(
            stderr(&output).contains("checksum matched"),
            "{}",
            stderr(&output)
        );
    }
    in_app_until(
        &platform,
        &pod,
        "redis-cli --no-auth-warning -u \"$REDIS_URL\" GET greeting",
        "kept-by-redis",
    );
    in_app_until(
        &platform,
        &pod,
        "psql \"$DATABASE_URL\" -qtAc 'SELECT text FROM notes'",
        "kept-by-postgres",
    );
    // A restored Redis keeps the data across a restart too (the append-only file was rewritten).
    restart(&platform, "site-cache").await;
    in_app_until(
        &platform,
        &pod,
        "redis-cli --no-auth-warning -u \"$REDIS_URL\" GET greeting",
        "kept-by-redis",
    );
    let mut bytes = fs_err::read(&pgdump).expect("the dump");
    bytes.push(b'x');
    fs_err::write(&pgdump, bytes).expect("change the dump");
    let changed = paas_on(&env, &platform, &["restore", "db", "--yes"])
        .arg(&pgdump)
        .output()
        .expect("paas restore runs");
    assert_eq!(changed.status.code(), Some(2), "{}", stderr(&changed));
    assert!(
        stderr(&changed).contains("does not match its checksum file"),
        "{}",
        stderr(&changed)
    );

    // A snapshot cut short (the right first bytes, no checksum file) is refused in the pod, and the
    // data stays as it was.
    let cut = dir.path().join("cut.rdb");
    fs_err::write(&cut, &fs_err::read(&rdb).expect("the snapshot")[..64]).expect("a cut snapshot");
    let output = paas_on(&env, &platform, &["restore", "cache", "--yes"])
        .arg(&cut)
        .output()
        .expect("paas restore runs");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("the snapshot is damaged or incomplete; the data was not changed"),
        "{}",
        stderr(&output)
    );
    in_app_until(
        &platform,
        &pod,
        "redis-cli --no-auth-warning -u \"$REDIS_URL\" GET greeting",
        "kept-by-redis",
    );

    // Another app's pod resolves the components but may not connect: their policies admit the app only.
    let other = ClientPod::start(
        &platform,
        &node,
        "caller-other",
        &[(paas::labels::NAME, "other")],
    )
    .await;
    for (host, port) in [("site-cache", "6379"), ("site-db", "5432")] {
        let resolved = other.exec(&["getent", "hosts", host]);
        assert!(
            resolved.status.success(),
            "{host} resolves from another app's pod"
        );
        let started = Instant::now();
        let refused = loop {
            let call = other.exec(&["nc", "-z", "-w", "3", host, port]);
            if !call.status.success() {
                break call;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "another app's pod still reaches {host}:{port} after 30s"
            );
            std::thread::sleep(Duration::from_secs(1));
        };
        assert!(!refused.status.success(), "{host}:{port} refused");
    }

    // A secret set with `paas secret` reaches the app's running pods after the rollout it makes.
    let mut set = paas_on(&env, &platform, &["secret", "set", "GREETING"]);
    set.stdin(std::process::Stdio::piped());
    let mut child = set
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("paas secret set runs");
    {
        use std::io::Write as _;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin
            .write_all(b"hello-from-a-secret\n")
            .expect("the value");
    }
    let output = child.wait_with_output().expect("paas secret set ends");
    assert!(
        output.status.success(),
        "paas secret set: {}",
        stderr(&output)
    );
    assert!(
        !stderr(&output).contains("hello-from-a-secret"),
        "{}",
        stderr(&output)
    );
    let pod = eventually(
        Duration::from_secs(60),
        "the rolled-out app pod",
        || async {
            let pods = platform
                .api::<Pod>()
                .list(&ListParams::default().labels(&paas::labels::app_pods_selector("site")))
                .await
                .ok()?;
            let running: Vec<String> = pods
                .items
                .into_iter()
                .filter(|p| p.metadata.deletion_timestamp.is_none())
                .filter_map(|p| p.metadata.name)
                .collect();
            (running.len() == 1 && running[0] != pod).then(|| running[0].clone())
        },
    )
    .await;
    in_app_until(&platform, &pod, "printenv GREETING", "hello-from-a-secret");

    // A Secret replaced over the kept data: the next `paas up` says the data refuses its password
    // (and never shows it), before the app rolls out with it.
    a_replaced_password_is_refused(&env, &platform, "site-db").await;
}

/// The names of the volume claims in the test's namespace.
async fn claims(platform: &Platform) -> Vec<String> {
    let mut names: Vec<String> = platform
        .api::<k8s_openapi::api::core::v1::PersistentVolumeClaim>()
        .list_metadata(&ListParams::default())
        .await
        .expect("the claims")
        .items
        .into_iter()
        .filter_map(|c| c.metadata.name)
        .collect();
    names.sort();
    names
}

/// The app's one running pod.
async fn app_pod(platform: &Platform) -> String {
    eventually(Duration::from_secs(60), "the app's pod", || async {
        let pods = platform
            .api::<Pod>()
            .list(&ListParams::default().labels(&paas::labels::app_pods_selector("site")))
            .await
            .ok()?;
        let running: Vec<String> = pods
            .items
            .into_iter()
            .filter(|p| p.metadata.deletion_timestamp.is_none())
            .filter_map(|p| p.metadata.name)
            .collect();
        (running.len() == 1).then(|| running[0].clone())
    })
    .await
}

#[tokio::test]
async fn a_major_upgrade_moves_the_data_to_a_new_volume_and_going_back_uses_the_old_one() {
    let Some((platform, node)) = Platform::setup_real().await else {
        return;
    };
    // Redis 7.4 and PostgreSQL 15 on the locally built images; the "new" majors run the same
    // images (no other server version can be built here), which is what the move itself needs:
    // a dump, a new StatefulSet on a new claim, a restore, the app switched.
    let env = app_with_components(&platform, &node);
    let output = paas_on(&env, &platform, &["up", "--timeout", "240s"])
        .output()
        .expect("paas up runs");
    assert!(output.status.success(), "paas up: {}", stderr(&output));
    let pod = app_pod(&platform).await;
    in_app_until(
        &platform,
        &pod,
        "redis-cli --no-auth-warning -u \"$REDIS_URL\" MSET greeting kept-by-redis other 2 && \
         redis-cli --no-auth-warning -u \"$REDIS_URL\" GET greeting",
        "kept-by-redis",
    );
    in_app_until(
        &platform,
        &pod,
        "psql \"$DATABASE_URL\" -v ON_ERROR_STOP=1 -qtAc \
         \"CREATE TABLE notes (text text); INSERT INTO notes VALUES ('kept-by-postgres'); SELECT text FROM notes\"",
        "kept-by-postgres",
    );
    let before = claims(&platform).await;
    assert_eq!(before, ["data-v15-site-db-0", "data-v7-site-cache-0"]);

    let toml = env.read("paas.toml");
    let upgraded = toml
        .replace(
            "kind = \"redis\"\n",
            "kind = \"redis\"\nversion = \"8.2\"\n",
        )
        .replace("version = \"15\"", "version = \"16\"");
    env.write("paas.toml", &upgraded);
    let dumps = tempfile::tempdir().expect("a backup folder");
    let dir = dumps.path().display().to_string();
    let output = paas_on(
        &env,
        &platform,
        &["up", "--major", "--backup-dir", &dir, "--timeout", "240s"],
    )
    .output()
    .expect("paas up --major runs");
    let text = stderr(&output);
    assert!(output.status.success(), "paas up --major: {text}");
    for said in [
        "component `cache` (redis 7) to",
        "2 keys, for the upgrade to 8",
        "component `db` (postgres 15) to",
        "1 tables, for the upgrade to 16",
        "component `db` 15; its volume claim data-v15-site-db-0 is kept",
        "component `cache` 8 from",
        "2 keys, as before",
        "1 tables, as before",
    ] {
        assert!(
            text.contains(said),
            "paas up --major says {said:?}:\n{text}"
        );
    }
    assert_eq!(
        claims(&platform).await,
        [
            "data-v15-site-db-0",
            "data-v16-site-db-0",
            "data-v7-site-cache-0",
            "data-v8-site-cache-0"
        ]
    );
    let mut kept: Vec<String> = fs_err::read_dir(dumps.path())
        .expect("the backup folder")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    kept.sort();
    assert_eq!(kept.len(), 4, "two dumps and their checksums: {kept:?}");
    assert!(
        kept.iter()
            .any(|f| f.starts_with("site-db-") && f.ends_with(".pgdump")),
        "{kept:?}"
    );
    assert!(
        kept.iter()
            .any(|f| f.starts_with("site-cache-") && f.ends_with(".rdb.sha256")),
        "{kept:?}"
    );
    // The app reaches the new instances, with the data.
    let pod = app_pod(&platform).await;
    in_app_until(
        &platform,
        &pod,
        "redis-cli --no-auth-warning -u \"$REDIS_URL\" GET greeting",
        "kept-by-redis",
    );
    in_app_until(
        &platform,
        &pod,
        "psql \"$DATABASE_URL\" -qtAc 'SELECT text FROM notes'",
        "kept-by-postgres",
    );
    let set = platform
        .api::<StatefulSet>()
        .get("site-db")
        .await
        .expect("db");
    assert_eq!(
        set.metadata
            .labels
            .expect("labels")
            .get(paas::labels::VERSION)
            .map(String::as_str),
        Some("16")
    );
    // A rollback would put postgres 15 on the data of 16: refused.
    let output = paas_on(&env, &platform, &["rollback", "--yes", "--timeout", "60s"])
        .output()
        .expect("paas rollback runs");
    assert!(!output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("is a major upgrade"),
        "{}",
        stderr(&output)
    );

    // An upgrade cut short (the new version's image cannot be pulled): the release fails after the
    // old StatefulSet is gone; a deploy without `--major` is refused, and `--major` finishes the
    // upgrade from its dump instead of backing the empty new instance up.
    let db_16 = format!("version = \"16\"\nimage = \"{}\"", node.postgres_image);
    assert!(upgraded.contains(&db_16), "{upgraded}");
    let broken = upgraded.replace(
        &db_16,
        &format!(
            "version = \"17\"\nimage = \"{}/paas-test/no-such-image:1\"",
            platform.registry
        ),
    );
    env.write("paas.toml", &broken);
    let output = paas_on(
        &env,
        &platform,
        &["up", "--major", "--backup-dir", &dir, "--timeout", "120s"],
    )
    .output()
    .expect("paas up --major runs");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("component `db` is not ready"),
        "{}",
        stderr(&output)
    );
    let fixed = upgraded.replace("version = \"16\"", "version = \"17\"");
    env.write("paas.toml", &fixed);
    let output = paas_on(&env, &platform, &["up", "--timeout", "120s"])
        .output()
        .expect("paas up runs");
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains("the major upgrade of component `db` from 16 to 17 did not finish; its data is in volume claim data-v16-site-db-0"),
        "{text}"
    );
    assert!(
        text.contains("run `paas up --major` to finish it"),
        "{text}"
    );
    let output = paas_on(&env, &platform, &["status"])
        .output()
        .expect("paas status runs");
    let said = String::from_utf8_lossy(&output.stdout).into_owned() + &stderr(&output);
    assert!(
        said.contains(
            "component `db`: its upgrade to 17 did not finish; `paas up --major` finishes it"
        ),
        "{said}"
    );
    let output = paas_on(
        &env,
        &platform,
        &["up", "--major", "--backup-dir", &dir, "--timeout", "240s"],
    )
    .output()
    .expect("paas up --major runs");
    let text = stderr(&output);
    assert!(output.status.success(), "{text}");
    assert!(
        text.contains("the major upgrade of component `db` from 16 to 17 did not finish; it is finished now from"),
        "{text}"
    );
    assert!(text.contains("component `db` 17 from"), "{text}");
    assert!(
        !text.contains("Backed up"),
        "nothing backed up again: {text}"
    );
    in_app_until(
        &platform,
        &pod,
        "psql \"$DATABASE_URL\" -qtAc 'SELECT text FROM notes'",
        "kept-by-postgres",
    );
    let noted = platform
        .api::<k8s_openapi::api::core::v1::PersistentVolumeClaim>()
        .get("data-v16-site-db-0")
        .await
        .expect("the claim of 16")
        .metadata
        .annotations
        .unwrap_or_default();
    assert!(
        !noted.contains_key(paas::labels::MAJOR_UPGRADE),
        "{noted:?}"
    );
    let upgraded = fixed;

    // Back to Redis 7: its kept claim is used again as it was (nothing restored), and what was
    // written since the upgrade is in the dump of 8, not in 7's data.
    in_app_until(
        &platform,
        &pod,
        "redis-cli --no-auth-warning -u \"$REDIS_URL\" SET written-on-8 yes",
        "OK",
    );
    env.write("paas.toml", &upgraded.replace("version = \"8.2\"\n", ""));
    let output = paas_on(
        &env,
        &platform,
        &[
            "--output",
            "json",
            "up",
            "--major",
            "--backup-dir",
            &dir,
            "--timeout",
            "240s",
        ],
    )
    .output()
    .expect("paas up --major runs");
    assert!(
        output.status.success(),
        "paas up --major back to 7: {}",
        stderr(&output)
    );
    let result: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("one JSON object");
    let moved = result["upgrades"].as_array().expect("upgrades");
    assert_eq!(moved.len(), 1, "{result}");
    assert_eq!(moved[0]["component"], "cache");
    assert_eq!(moved[0]["from"], "8");
    assert_eq!(moved[0]["to"], "7");
    assert_eq!(moved[0]["count"], 3);
    assert_eq!(moved[0]["reattached"], "data-v7-site-cache-0");
    assert!(moved[0]["restored"].is_null(), "{result}");
    assert_eq!(
        moved[0]["kept_claims"],
        serde_json::json!(["data-v8-site-cache-0"])
    );
    let pod = app_pod(&platform).await;
    in_app_until(
        &platform,
        &pod,
        "redis-cli --no-auth-warning -u \"$REDIS_URL\" GET greeting && redis-cli --no-auth-warning -u \"$REDIS_URL\" DBSIZE",
        "kept-by-redis\n2",
    );
}

#[tokio::test]
async fn an_app_uses_its_mongodb_and_a_backup_brings_the_data_back() {
    let Some((platform, node)) = Platform::setup_real().await else {
        return;
    };
    let env = site_with_clients(&platform, &node);
    let toml = env.read("paas.toml");
    env.write(
        "paas.toml",
        &format!(
            "{toml}\n[components.docs]\nkind = \"mongodb\"\nversion = \"7.0\"\nimage = \"{}\"\nstorage = \"256Mi\"\n",
            node.mongo_image
        ),
    );
    let output = paas_on(&env, &platform, &["up", "--timeout", "240s"])
        .output()
        .expect("paas up runs");
    assert!(output.status.success(), "paas up: {}", stderr(&output));
    let pod = app_pod(&platform).await;

    // mongosh writes its history under $HOME, which the app's read-only image does not let it.
    let mongo = |eval: &str| format!("HOME=/tmp mongosh --quiet \"$MONGODB_URI\" --eval '{eval}'");
    in_app_until(
        &platform,
        &pod,
        &mongo("db.notes.insertOne({text: \"kept-by-mongodb\"}); db.notes.findOne().text"),
        "kept-by-mongodb",
    );
    let wrong = in_app(
        &platform,
        &pod,
        "HOME=/tmp mongosh --quiet 'mongodb://app:wrong@site-docs:27017/app?authSource=admin' --eval 1",
    );
    assert!(!wrong.status.success(), "a wrong password is refused");
    let said = String::from_utf8_lossy(&wrong.stdout).into_owned()
        + &String::from_utf8_lossy(&wrong.stderr);
    assert!(said.contains("Authentication failed"), "{said}");

    restart(&platform, "site-docs").await;
    in_app_until(
        &platform,
        &pod,
        &mongo("db.notes.findOne().text"),
        "kept-by-mongodb",
    );

    // Backup, drop, restore.
    let dir = tempfile::tempdir().expect("a folder for the dump");
    let archive = dir.path().join("docs.archive");
    let output = paas_on(
        &env,
        &platform,
        &["backup", "docs", "-o", &archive.display().to_string()],
    )
    .output()
    .expect("paas backup runs");
    assert!(
        output.status.success(),
        "paas backup docs: {}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains("(mongodb 7.0)"),
        "{}",
        stderr(&output)
    );
    let head = fs_err::read(&archive).expect("the archive");
    assert_eq!(head[..4], [0x6d, 0xe2, 0x99, 0x81], "a mongodump archive");
    in_app_until(
        &platform,
        &pod,
        &mongo("db.notes.drop(); db.getCollectionNames().length"),
        "0",
    );
    let output = paas_on(&env, &platform, &["restore", "docs", "--yes"])
        .arg(&archive)
        .output()
        .expect("paas restore runs");
    assert!(
        output.status.success(),
        "paas restore docs: {}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains("it holds 1 collections"),
        "{}",
        stderr(&output)
    );
    in_app_until(
        &platform,
        &pod,
        &mongo("db.notes.findOne().text"),
        "kept-by-mongodb",
    );

    // A Secret replaced over the kept data: the password check (mongosh in the component) refuses it.
    a_replaced_password_is_refused(&env, &platform, "site-docs").await;
}

/// Replaces the password in component Secret `secret` (over the kept data) and checks that the next
/// `paas up` stops on it, naming the Secret and never showing the password.
async fn a_replaced_password_is_refused(env: &TestEnv, platform: &Platform, secret: &str) {
    let secrets = platform.api::<Secret>();
    let mut replaced = secrets.get(secret).await.expect("the component's Secret");
    replaced.data = Some(std::collections::BTreeMap::from([(
        "password".to_owned(),
        k8s_openapi::ByteString(b"Replaced0Password".to_vec()),
    )]));
    secrets
        .replace(secret, &PostParams::default(), &replaced)
        .await
        .expect("replace the Secret");
    new_content(env, platform, "after-the-secret-changed");
    let output = paas_on(env, platform, &["up", "--timeout", "120s"])
        .output()
        .expect("paas up runs");
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains(&format!(
            "its data refuses the password in Secret `{secret}`"
        )),
        "{text}"
    );
    assert!(!text.contains("Replaced0Password"), "{text}");
}
