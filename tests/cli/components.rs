//! The app's components in `paas up` against the real API server (kwok pods; the test platform's
//! provisioner binds the claims): components applied and ready before the app, their Secrets
//! created once and their passwords kept across `up`, `rollback`, a removal without data, `down`
//! and adding again; no password in any output, `-v`, JSON, release record or diff; a claim that
//! stays Pending named with its reason; a major version change refused; bad input refused with
//! nothing applied.

use std::process::Output;
use std::time::Duration;

use k8s_openapi::api::apps::v1::{Deployment, StatefulSet};
use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Pod, Secret};
use kube::api::{ListParams, PostParams};
use paas::deploy::release::ReleaseStore;

use crate::sentinel::Sentinels;
use crate::support::TestEnv;
use crate::support::app::{new_content, paas_on, site, stderr};
use crate::support::platform::{Platform, eventually};

const COMPONENTS: &str = "
[components.cache]
kind = \"redis\"

[components.db]
kind = \"postgres\"
version = \"16\"
";

/// The site with `extra` appended to its `paas.toml`.
fn site_with_components(platform: &Platform, extra: &str) -> TestEnv {
    let env = site(platform, &platform.registry);
    let toml = env.read("paas.toml");
    env.write("paas.toml", &format!("{toml}{extra}"));
    env
}

/// `paas ARGS…` on the platform; panics with its stderr unless it succeeds.
fn ok(env: &TestEnv, platform: &Platform, args: &[&str]) -> Output {
    let output = paas_on(env, platform, args).output().expect("paas runs");
    assert!(
        output.status.success(),
        "`paas {}` failed:\n{}",
        args.join(" "),
        stderr(&output)
    );
    output
}

/// The Secret's password and its resource version (which changes with any write).
async fn password(platform: &Platform, secret: &str) -> (String, String) {
    let secret = platform
        .api::<Secret>()
        .get(secret)
        .await
        .unwrap_or_else(|e| panic!("Secret {secret}: {e}"));
    let value = secret.data.as_ref().expect("data")["password"].0.clone();
    (
        String::from_utf8(value).expect("a text password"),
        secret
            .metadata
            .resource_version
            .expect("a resource version"),
    )
}

/// The names of what the API holds of `K` in the test's namespace (`selector` may be empty).
async fn names<K>(platform: &Platform, selector: &str) -> Vec<String>
where
    K: kube::Resource<Scope = k8s_openapi::NamespaceResourceScope>
        + Clone
        + serde::de::DeserializeOwned
        + std::fmt::Debug,
    K::DynamicType: Default,
{
    let mut names: Vec<String> = platform
        .api::<K>()
        .list_metadata(&ListParams::default().labels(selector))
        .await
        .expect("list")
        .items
        .into_iter()
        .filter_map(|o| o.metadata.name)
        .collect();
    names.sort();
    names
}

/// The uid of a claim, which a claim made again would not have.
async fn claim_uid(platform: &Platform, name: &str) -> String {
    let claim = platform
        .api::<PersistentVolumeClaim>()
        .get(name)
        .await
        .unwrap_or_else(|e| panic!("claim {name}: {e}"));
    assert_eq!(
        claim.status.and_then(|s| s.phase).as_deref(),
        Some("Bound"),
        "claim {name} is bound by the platform's provisioner"
    );
    claim.metadata.uid.expect("uid")
}

#[tokio::test]
async fn components_come_first_and_keep_their_passwords() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site_with_components(&platform, COMPONENTS);
    new_content(&env, &platform, "components");

    // A password planted before the first `up` (as a kept Secret of an earlier life would be):
    // paas uses it and never shows it.
    let planted = format!("S3NTINELcache{}", platform.namespace.replace('-', ""));
    let secret: Secret = serde_json::from_value(serde_json::json!({
        "metadata": {
            "name": "site-cache",
            "labels": paas::labels::credentials_labels("site", "cache"),
        },
        "stringData": { "password": planted },
    }))
    .expect("a Secret");
    platform
        .api::<Secret>()
        .create(&PostParams::default(), &secret)
        .await
        .expect("plant the cache's Secret");
    let mut sentinels = Sentinels::new();
    sentinels.forbid("the planted cache password", &planted);

    let output = ok(&env, &platform, &["up", "-v", "--timeout", "120s"]);
    sentinels.check_output("paas up -v", &output);
    let text = stderr(&output);
    assert!(
        text.contains("Created Secret `site-db` with a new password for component `db`"),
        "{text}"
    );
    assert!(
        !text.contains("Secret `site-cache` with a new password"),
        "the planted Secret is kept: {text}"
    );
    for component in ["cache", "db"] {
        assert!(
            text.contains(&format!("Ready component `{component}` in")),
            "{text}"
        );
    }
    let (db_password, db_version) = password(&platform, "site-db").await;
    let (_, cache_version) = password(&platform, "site-cache").await;
    assert_eq!(db_password.len(), 32, "a generated password");
    assert!(db_password.chars().all(|c| c.is_ascii_alphanumeric()));
    sentinels.forbid("the generated db password", &db_password);
    sentinels.check_output("paas up -v", &output);

    // The components ran (ready) before the app's Deployment was created.
    let deployment = platform
        .api::<Deployment>()
        .get("site")
        .await
        .expect("the app's Deployment");
    let created = deployment
        .metadata
        .creation_timestamp
        .clone()
        .expect("created")
        .0;
    for component in ["site-cache", "site-db"] {
        let set = platform
            .api::<StatefulSet>()
            .get(component)
            .await
            .expect("the component's StatefulSet");
        assert_eq!(set.status.and_then(|s| s.ready_replicas), Some(1));
        let pod = platform
            .api::<Pod>()
            .get(&format!("{component}-0"))
            .await
            .expect("the component's pod");
        let ready = pod
            .status
            .and_then(|s| s.conditions)
            .unwrap_or_default()
            .into_iter()
            .find(|c| c.type_ == "Ready" && c.status == "True")
            .and_then(|c| c.last_transition_time)
            .expect("ready")
            .0;
        assert!(
            ready <= created,
            "{component} was ready at {ready}, the app's Deployment created at {created}"
        );
    }
    // The app's variables: each password by reference, the URLs built from it by the kubelet.
    let container = &deployment
        .spec
        .expect("spec")
        .template
        .spec
        .expect("pod")
        .containers[0];
    let vars = env_lines(container);
    insta::assert_snapshot!("components_app_env", vars.join("\n"));
    let cache_claim = claim_uid(&platform, "data-v7-site-cache-0").await;
    let db_claim = claim_uid(&platform, "data-v16-site-db-0").await;

    // Nothing shows a password: every reading command, every way, and the release records.
    for args in [
        &["status"][..],
        &["history"],
        &["diff"],
        &["render"],
        &["up", "--dry-run"],
        &["down", "--dry-run", "--yes"],
    ] {
        for extra in [&[][..], &["-v"], &["--output", "json"]] {
            let all: Vec<&str> = args.iter().chain(extra).copied().collect();
            let output = paas_on(&env, &platform, &all).output().expect("paas runs");
            sentinels.check_output(&format!("paas {}", all.join(" ")), &output);
            assert!(
                output.status.success(),
                "`paas {}`: {}",
                all.join(" "),
                stderr(&output)
            );
        }
    }
    let status = ok(&env, &platform, &["status"]);
    let shown = String::from_utf8_lossy(&status.stdout).into_owned() + &stderr(&status);
    for url in [
        "redis://site-cache:6379/0",
        "postgresql://app@site-db:5432/app",
    ] {
        assert!(
            shown.contains(url),
            "status shows the internal URL {url}:\n{shown}"
        );
    }
    let store = ReleaseStore::new(platform.client.clone(), &platform.namespace, "site");
    let release = store.get(1).await.expect("release 1");
    let record = serde_json::to_string(&release).expect("a record");
    sentinels.check("release record 1", &record);
    assert!(
        record.contains("kind: StatefulSet"),
        "the record holds the components"
    );
    for name in store.record_names().await.expect("records") {
        let raw = platform.api::<Secret>().get(&name).await.expect("record");
        sentinels.check(&format!("raw record {name}"), &format!("{:?}", raw.data));
    }

    // Backup and restore name what is wrong before anything reaches a pod.
    let output = paas_on(&env, &platform, &["backup", "search"])
        .output()
        .expect("paas runs");
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("app `site` has no component `search` in namespace")
            && stderr(&output).contains("its components: cache, db"),
        "{}",
        stderr(&output)
    );
    env.write("notes.txt", "not a dump\n");
    let output = paas_on(&env, &platform, &["restore", "cache", "notes.txt", "--yes"])
        .output()
        .expect("paas runs");
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(
            "`notes.txt` is not a Redis RDB snapshot (redis-cli --rdb): it does not start as one"
        ),
        "{}",
        stderr(&output)
    );

    // A second `up` and a rollback keep both passwords (the Secrets are never written again).
    new_content(&env, &platform, "components-2");
    let output = ok(&env, &platform, &["up", "-v", "--timeout", "120s"]);
    sentinels.check_output("the second paas up", &output);
    assert!(!stderr(&output).contains("with a new password"));
    let output = ok(
        &env,
        &platform,
        &["rollback", "-v", "--yes", "--timeout", "120s"],
    );
    sentinels.check_output("paas rollback", &output);
    assert_eq!(password(&platform, "site-db").await.1, db_version);
    assert_eq!(password(&platform, "site-cache").await.1, cache_version);

    // Removed without its data: its objects go, the claim and the password stay; added back, it
    // gets both again.
    let with_db = env.read("paas.toml");
    env.write(
        "paas.toml",
        &with_db.replace(
            "\n[components.db]\nkind = \"postgres\"\nversion = \"16\"\n",
            "",
        ),
    );
    let output = ok(&env, &platform, &["up", "--timeout", "120s"]);
    sentinels.check_output("paas up without db", &output);
    assert_eq!(names::<StatefulSet>(&platform, "").await, ["site-cache"]);
    assert_eq!(claim_uid(&platform, "data-v16-site-db-0").await, db_claim);
    assert_eq!(password(&platform, "site-db").await.1, db_version);
    env.write("paas.toml", &with_db);
    let output = ok(&env, &platform, &["up", "--timeout", "120s"]);
    sentinels.check_output("paas up with db again", &output);
    assert!(!stderr(&output).contains("with a new password"));
    assert_eq!(
        names::<StatefulSet>(&platform, "").await,
        ["site-cache", "site-db"]
    );
    assert_eq!(claim_uid(&platform, "data-v16-site-db-0").await, db_claim);
    assert_eq!(password(&platform, "site-db").await.1, db_version);

    // A major version change is refused, and changes nothing.
    let releases = store.list().await.expect("releases").len();
    env.write(
        "paas.toml",
        &with_db.replace("version = \"16\"", "version = \"17\""),
    );
    let output = paas_on(&env, &platform, &["up", "--timeout", "60s"])
        .output()
        .expect("paas runs");
    sentinels.check_output("paas up to postgres 17", &output);
    let text = stderr(&output);
    assert!(!output.status.success(), "{text}");
    assert!(
        text.contains("component `db` runs postgres 16; changing it to 17 is a major upgrade"),
        "{text}"
    );
    assert_eq!(store.list().await.expect("releases").len(), releases);
    let set = platform
        .api::<StatefulSet>()
        .get("site-db")
        .await
        .expect("db");
    let image = set
        .spec
        .clone()
        .expect("spec")
        .template
        .spec
        .expect("pod")
        .containers[0]
        .image
        .clone()
        .unwrap_or_default();
    assert!(image.contains(":16"), "still postgres 16: {image}");
    // With `--major` the data is backed up first; on kwok nothing can be run in the pod, so the
    // backup fails, and that too changes nothing: no release, the same StatefulSet, no dump left.
    let dumps = tempfile::tempdir().expect("a backup folder");
    let output = paas_on(
        &env,
        &platform,
        &[
            "up",
            "--major",
            "--backup-dir",
            &dumps.path().display().to_string(),
            "--timeout",
            "60s",
        ],
    )
    .output()
    .expect("paas runs");
    sentinels.check_output("paas up --major to postgres 17", &output);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains("the major upgrade of component `db` needs a backup of its data, which failed; nothing was changed"),
        "{text}"
    );
    assert_eq!(store.list().await.expect("releases").len(), releases);
    let after = platform
        .api::<StatefulSet>()
        .get("site-db")
        .await
        .expect("db");
    assert_eq!(after.metadata.uid, set.metadata.uid, "the same StatefulSet");
    assert_eq!(claim_uid(&platform, "data-v16-site-db-0").await, db_claim);
    let left: Vec<_> = fs_err::read_dir(dumps.path())
        .expect("the backup folder")
        .map(|e| e.expect("an entry").file_name())
        .collect();
    assert!(left.is_empty(), "no dump left behind: {left:?}");
    env.write("paas.toml", &with_db);

    // `down` keeps the claims and the passwords, and says so; the next `up` gets both back.
    let output = ok(&env, &platform, &["down", "--yes"]);
    sentinels.check_output("paas down", &output);
    let said = String::from_utf8_lossy(&output.stdout).into_owned() + &stderr(&output);
    for kept in [
        "data-v7-site-cache-0",
        "data-v16-site-db-0",
        "site-cache",
        "site-db",
    ] {
        assert!(said.contains(kept), "down says it kept {kept}:\n{said}");
    }
    assert!(names::<StatefulSet>(&platform, "").await.is_empty());
    assert_eq!(
        claim_uid(&platform, "data-v7-site-cache-0").await,
        cache_claim
    );
    assert_eq!(password(&platform, "site-db").await.1, db_version);
    let output = ok(&env, &platform, &["up", "--timeout", "120s"]);
    assert!(!stderr(&output).contains("with a new password"));
    assert_eq!(claim_uid(&platform, "data-v16-site-db-0").await, db_claim);
    assert_eq!(password(&platform, "site-cache").await.1, cache_version);

    // `down --volumes` deletes them.
    let output = ok(&env, &platform, &["down", "--yes", "--volumes"]);
    sentinels.check_output("paas down --volumes", &output);
    eventually(Duration::from_secs(60), "the claims deleted", || async {
        names::<PersistentVolumeClaim>(&platform, "")
            .await
            .is_empty()
            .then_some(())
    })
    .await;
    assert!(
        names::<Secret>(&platform, &paas::labels::credentials_selector("site"))
            .await
            .is_empty(),
        "the passwords go with the data"
    );
}

#[tokio::test]
async fn a_claim_that_stays_pending_is_named_with_its_reason() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site_with_components(
        &platform,
        "\n[components.cache]\nkind = \"redis\"\nstorage_class = \"none\"\n",
    );
    let output = paas_on(&env, &platform, &["up", "--timeout", "90s"])
        .output()
        .expect("paas runs");
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains("data-v7-site-cache-0"),
        "the claim is named:\n{text}"
    );
    assert!(
        text.contains("storageclass.storage.k8s.io \"none\" not found"),
        "with the reason from its events:\n{text}"
    );
    assert!(
        names::<Deployment>(&platform, "").await.is_empty(),
        "the app does not roll out without its components"
    );
}

#[tokio::test]
async fn bad_components_are_refused_before_anything_is_applied() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    for (section, says) in [
        (
            "[components.cache]\nkind = \"memcached\"\n",
            "`memcached` is not a component kind paas knows",
        ),
        ("[components.Cache_1]\nkind = \"redis\"\n", "Cache_1"),
        (
            "[components.cache]\nkind = \"redis\"\nversion = \"6.0\"\n",
            "6.0",
        ),
        (
            "[components.cache]\nkind = \"redis\"\nstorage = \"lots\"\n",
            "lots",
        ),
    ] {
        let env = site_with_components(&platform, &format!("\n{section}"));
        for command in [&["render"][..], &["up", "--timeout", "30s"]] {
            let output = paas_on(&env, &platform, command)
                .output()
                .expect("paas runs");
            let text = stderr(&output);
            assert_eq!(
                output.status.code(),
                Some(2),
                "`paas {}` with {section}: {text}",
                command.join(" ")
            );
            assert!(text.contains(says), "{section}: {text}");
            assert!(text.contains("hint:"), "{section}: {text}");
        }
    }
    assert!(names::<StatefulSet>(&platform, "").await.is_empty());
    assert!(names::<Deployment>(&platform, "").await.is_empty());
    assert!(names::<Secret>(&platform, "").await.is_empty());
}

#[test]
fn backup_and_restore_refuse_bad_input_before_any_cluster() {
    let env = TestEnv::new();
    for (args, says) in [
        (
            &["backup", "Bad_Name", "--app", "site"][..],
            "`Bad_Name` is not a component name",
        ),
        (
            &["restore", "db", "nothere.pgdump", "--app", "site"],
            "`nothere.pgdump` is not a file",
        ),
    ] {
        let output = env.paas().args(args).output().expect("paas runs");
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        assert!(stderr(&output).contains(says), "{}", stderr(&output));
        assert!(stderr(&output).contains("hint:"), "{}", stderr(&output));
    }
}

/// `NAME=value`, or `NAME=secret SECRET/KEY` for a value from a Secret, of each variable of `container`.
fn env_lines(container: &k8s_openapi::api::core::v1::Container) -> Vec<String> {
    container
        .env
        .clone()
        .unwrap_or_default()
        .into_iter()
        .map(|v| match v.value_from.and_then(|f| f.secret_key_ref) {
            Some(from) => format!("{}=secret {}/{}", v.name, from.name, from.key),
            None => format!("{}={}", v.name, v.value.unwrap_or_default()),
        })
        .collect()
}

#[test]
fn every_pack_gets_each_kinds_variables_without_a_password() {
    // One project per pack; each gets a Redis, a PostgreSQL and a MongoDB, and `paas render`'s app
    // container must carry their URLs (and, in the .NET packs, the client libraries' connection
    // strings), each password only as a reference to the component's Secret.
    let in_url = regex::Regex::new(r"://[^:/@]+:([^@]*)@").expect("a regex");
    for (fixture, pack) in [
        ("static-dist", "nginx"),
        ("dotnet-web", "dotnet"),
        ("classic-mvc", "jexus"),
    ] {
        let env = TestEnv::fixture(fixture);
        let output = env
            .paas()
            .args(["init", "--yes", "--name", "web", "--pack", pack])
            .args(["--registry", "registry.example.com/team"])
            .output()
            .expect("paas init runs");
        assert!(output.status.success(), "{pack}: {}", stderr(&output));
        let toml = env.read("paas.toml");
        env.write(
            "paas.toml",
            &format!(
                "{toml}\n[components.cache]\nkind = \"redis\"\n\n[components.db]\nkind = \"postgres\"\n\n\
                 [components.docs]\nkind = \"mongodb\"\n"
            ),
        );
        let output = env
            .paas()
            .args(["render", "--image", "registry.example.com/team/web:1"])
            .output()
            .expect("paas render runs");
        assert!(output.status.success(), "{pack}: {}", stderr(&output));
        let yaml = String::from_utf8_lossy(&output.stdout);
        let documents: Vec<serde_json::Value> =
            serde_saphyr::from_multiple(&yaml).expect("the stream is YAML");
        let deployment = documents
            .into_iter()
            .find(|d| d["kind"] == "Deployment")
            .expect("a Deployment");
        let deployment: Deployment = serde_json::from_value(deployment).expect("a Deployment");
        let container = &deployment
            .spec
            .expect("spec")
            .template
            .spec
            .expect("pod")
            .containers[0];
        let lines = env_lines(container);
        let text = lines.join("\n");
        // Every password in a value is the kubelet's reference to the Secret's variable.
        for line in lines.iter().filter(|l| !l.contains("=secret ")) {
            for after in line.split("assword=").skip(1) {
                assert!(after.starts_with("$(PAAS_"), "{pack}: {line}");
            }
            for found in in_url.captures_iter(line) {
                assert!(found[1].starts_with("$(PAAS_"), "{pack}: {line}");
            }
        }
        insta::assert_snapshot!(format!("components_env_{pack}"), text);
    }
}
