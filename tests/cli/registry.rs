//! `paas::registry` against the real platform: pushes through the Docker Engine to the open
//! (127.0.0.1:5000) and the htpasswd (127.0.0.1:5001) registry, credentials from every Docker
//! config form, credential-helper faults, and a secret sentinel that must never be shown.
//!
//! Tests that need the platform skip (one `skipped:` line) without it; the helper-fault tests need
//! only a shell.
//!
//! Identity tokens: the platform's registry (distribution 2.8, htpasswd) has no token server, so an
//! `identitytoken` cannot be exercised end to end here; its parsing and `X-Registry-Auth` encoding
//! are unit-tested in `src/registry/auth.rs`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use base64::Engine as _;
use bollard::query_parameters::{
    BuildImageOptionsBuilder, RemoveImageOptionsBuilder, TagImageOptionsBuilder,
};
use futures_util::StreamExt as _;
use paas::registry::auth::Source;
use paas::registry::{
    self, Credential, DockerConfig, Helpers, ImageRef, LayerStatus, PushReporter, RegistryError,
    x_registry_auth,
};

use crate::support::platform::{Platform, random_suffix};

/// Records every reporter call as text.
#[derive(Default)]
struct Recorder(Mutex<Vec<String>>);

impl PushReporter for Recorder {
    fn on_layer(&self, id: Option<&str>, status: LayerStatus<'_>) {
        self.0
            .lock()
            .expect("lock")
            .push(format!("{id:?} {status:?}"));
    }
}

impl Recorder {
    fn lines(&self) -> Vec<String> {
        self.0.lock().expect("lock").clone()
    }
}

/// Everything a user could ever see of an error: Display, alternate Debug and the source chain.
fn shown(err: &RegistryError) -> String {
    let mut text = format!("{err}\n{err:?}\n{err:#?}\n");
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        let _ = writeln!(text, "{cause}\n{cause:?}");
        source = cause.source();
    }
    text
}

/// Builds a two-layer image (`FROM busybox` + a file unique to this run) tagged `reference`, and
/// returns the number of layers.
async fn build(p: &Platform, docker: &bollard::Docker, reference: &str) -> usize {
    let mut context = tar::Builder::new(Vec::new());
    let dockerfile = format!("FROM {}\nCOPY hello.txt /srv/hello.txt\n", p.base_busybox);
    let unique = format!("{} {}", p.namespace, random_suffix());
    for (path, body) in [
        ("Dockerfile", dockerfile.as_str()),
        ("hello.txt", unique.as_str()),
    ] {
        let mut header = tar::Header::new_gnu();
        header.set_size(body.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        context
            .append_data(&mut header, path, body.as_bytes())
            .expect("tar entry");
    }
    let context = context.into_inner().expect("tar");
    let options = BuildImageOptionsBuilder::default()
        .dockerfile("Dockerfile")
        .t(reference)
        .rm(true)
        .build();
    let mut stream = docker.build_image(options, None, Some(bollard::body_full(context.into())));
    while let Some(item) = stream.next().await {
        item.expect("build step");
    }
    let inspect = docker.inspect_image(reference).await.expect("inspect");
    inspect
        .root_fs
        .and_then(|r| r.layers)
        .map_or(0, |l| l.len())
}

async fn tag(docker: &bollard::Docker, source: &str, target: &ImageRef) {
    let options = TagImageOptionsBuilder::default()
        .repo(&target.name())
        .tag(target.tag().expect("a tag"))
        .build();
    docker.tag_image(source, Some(options)).await.expect("tag");
}

async fn remove(docker: &bollard::Docker, images: &[&ImageRef]) {
    for image in images {
        let _ = docker
            .remove_image(
                &image.to_string(),
                Some(RemoveImageOptionsBuilder::default().force(true).build()),
                None,
            )
            .await;
    }
}

/// Writes an executable `/bin/sh` script.
fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    fs_err::write(&path, format!("#!/bin/sh\n{body}\n")).expect("write script");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        fs_err::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    path
}

/// A helper that answers `answer` (a JSON object) only for `server` on stdin.
fn answering_helper(dir: &Path, name: &str, server: &str, answer: &serde_json::Value) {
    script(
        dir,
        &format!("docker-credential-{name}"),
        &format!(
            "[ \"$1\" = get ] || exit 3\nread -r server\n[ \"$server\" = '{server}' ] || {{ echo 'credentials not found in native keychain'; exit 1; }}\ncat <<'EOF'\n{answer}\nEOF"
        ),
    );
}

fn config(dir: &Path, json: &serde_json::Value) -> DockerConfig {
    fs_err::write(dir.join("config.json"), json.to_string()).expect("config.json");
    DockerConfig::load_from_dir(dir).expect("config loads")
}

fn b64(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(text)
}

#[tokio::test]
#[allow(clippy::print_stderr, reason = "reports push timings")]
async fn push_to_the_open_registry_then_a_repeat_push_uploads_nothing() {
    let Some(p) = Platform::setup().await else {
        return;
    };
    let docker = p.docker().await;
    let image = ImageRef::parse(&p.image("1")).expect("reference");
    let layers = build(&p, &docker, &image.to_string()).await;
    assert!(layers >= 2, "busybox + one COPY layer, got {layers}");

    let cold = Recorder::default();
    let started = Instant::now();
    let first = registry::push(&docker, &image, &Credential::Anonymous, &cold)
        .await
        .expect("push");
    let cold_ms = started.elapsed().as_millis();
    assert!(
        first.digest.starts_with("sha256:") && first.digest.len() == 71,
        "{first:?}"
    );
    assert_eq!(first.image.to_string(), format!("{image}@{}", first.digest));
    assert_eq!(
        first.layers_pushed + first.layers_existing + first.layers_mounted,
        layers,
        "{first:?}"
    );
    assert!(
        first.layers_pushed >= 1,
        "the new layer was uploaded: {first:?}"
    );
    assert!(
        cold.lines().iter().any(|l| l.contains("Pushed")),
        "{:?}",
        cold.lines()
    );

    let read_back = registry::resolve_digest(&image, &Credential::Anonymous)
        .await
        .expect("digest");
    assert_eq!(read_back, first.digest);
    let by_digest = registry::resolve_digest(&first.image, &Credential::Anonymous)
        .await
        .expect("digest");
    assert_eq!(by_digest, first.digest);

    let repeat = Recorder::default();
    let started = Instant::now();
    let second = registry::push(&docker, &image, &Credential::Anonymous, &repeat)
        .await
        .expect("repeat push");
    let repeat_ms = started.elapsed().as_millis();
    assert_eq!(second.digest, first.digest, "same image, same manifest");
    assert_eq!(
        (
            second.layers_existing,
            second.layers_pushed,
            second.layers_mounted
        ),
        (layers, 0, 0),
        "{second:?}"
    );
    assert!(
        repeat
            .lines()
            .iter()
            .all(|l| !l.contains("Uploading") && !l.contains("Pushed")),
        "nothing uploaded: {:?}",
        repeat.lines()
    );
    eprintln!(
        "push to {}: cold {cold_ms} ms (pushed {}, existing {}, mounted {}), repeat {repeat_ms} ms ({layers} layers)",
        p.registry, first.layers_pushed, first.layers_existing, first.layers_mounted
    );

    // A reference without a local image, and a dead registry, say what and where.
    let missing = ImageRef::parse(&p.image("missing")).expect("reference");
    let err = registry::push(
        &docker,
        &missing,
        &Credential::Anonymous,
        &registry::NoopReporter,
    )
    .await
    .unwrap_err();
    assert!(matches!(err, RegistryError::NoLocalImage { .. }), "{err:?}");
    let dead = ImageRef::parse(&format!("127.0.0.1:5999/{}:1", p.repository)).expect("reference");
    tag(&docker, &image.to_string(), &dead).await;
    let err = registry::push(
        &docker,
        &dead,
        &Credential::Anonymous,
        &registry::NoopReporter,
    )
    .await
    .unwrap_err();
    // The registry is asked before the push, so a dead one is retry-later, not a failed push.
    assert!(matches!(err, RegistryError::Unreachable { .. }), "{err:?}");
    assert!(paas::failure::is_retryable(&err));
    assert!(err.to_string().contains("`127.0.0.1:5999`"), "{err}");
    remove(&docker, &[&image, &dead]).await;
}

#[tokio::test]
async fn the_auth_registry_takes_credentials_from_every_config_form_and_never_shows_them() {
    let Some(p) = Platform::setup().await else {
        return;
    };
    let docker = p.docker().await;
    let open = ImageRef::parse(&p.image("1")).expect("reference");
    let image = ImageRef::parse(&p.auth_image("1")).expect("reference");
    build(&p, &docker, &open.to_string()).await;
    tag(&docker, &open.to_string(), &image).await;
    let open_digest = registry::push(
        &docker,
        &open,
        &Credential::Anonymous,
        &registry::NoopReporter,
    )
    .await
    .expect("open push")
    .digest;

    let temp = tempfile::tempdir().expect("temp");
    let bin = temp.path().join("bin");
    fs_err::create_dir_all(&bin).expect("bin");
    let helpers = Helpers::with_search_path(bin.as_os_str()).timeout(Duration::from_secs(5));
    let host = p.auth_registry.as_str();
    let user = p.auth_user.as_str();
    let password = p.auth_password.as_str();
    // `???` and `>>>` put a `?`/`>` at a byte offset ≡ 2 (mod 3) of the header JSON, where standard
    // base64 (bollard's) writes `/` or `+`, which the Engine's base64url decoder rejects.
    let sentinel = format!("S3NTINEL-{}???>>>~~~", random_suffix());
    let recorder = Recorder::default();
    let mut seen = String::new();

    // No credentials at all.
    let anonymous = config(temp.path(), &serde_json::json!({}));
    let credential = anonymous.credential_for(host, &helpers).expect("lookup");
    assert_eq!(credential, Credential::Anonymous);
    let err = registry::push(&docker, &image, &credential, &recorder)
        .await
        .unwrap_err();
    seen += &shown(&err);
    assert!(
        matches!(err, RegistryError::NeedsCredentials { .. }),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .starts_with(&format!("registry `{host}` needs credentials")),
        "{err}"
    );

    // A wrong password (the sentinel) in `auths`, inline base64: rejected as unauthorized, which also
    // proves the header reached the registry (a mangled header would read as "no credentials").
    let wrong = config(
        temp.path(),
        &serde_json::json!({"auths": {format!("http://{host}/v2/"): {"auth": b64(&format!("{user}:{sentinel}"))}}}),
    );
    let credential = wrong.credential_for(host, &helpers).expect("lookup");
    let _ = writeln!(seen, "{credential}\n{credential:?}");
    let err = registry::push(&docker, &image, &credential, &recorder)
        .await
        .unwrap_err();
    seen += &shown(&err);
    assert!(matches!(err, RegistryError::Unauthorized { .. }), "{err:?}");
    let err = registry::resolve_digest(&image, &credential)
        .await
        .unwrap_err();
    seen += &shown(&err);

    // The right password, in each config form.
    let helper_answer =
        serde_json::json!({"ServerURL": host, "Username": user, "Secret": password});
    answering_helper(&bin, "paastest", host, &helper_answer);
    let forms = [
        (
            "auths inline base64",
            serde_json::json!({"auths": {host: {"auth": b64(&format!("{user}:{password}"))}}}),
        ),
        (
            "auths username/password",
            serde_json::json!({"auths": {format!("https://{host}"): {"username": user, "password": password}}}),
        ),
        (
            "credHelpers",
            serde_json::json!({"credHelpers": {host: "paastest"}, "credsStore": "missing-store", "auths": {host: {}}}),
        ),
        (
            "credsStore",
            serde_json::json!({"credsStore": "paastest", "auths": {host: {}}}),
        ),
    ];
    for (form, json) in forms {
        let docker_config = config(temp.path(), &json);
        let credential = docker_config
            .credential_for(host, &helpers)
            .unwrap_or_else(|e| panic!("{form}: {e}"));
        let _ = writeln!(seen, "{credential}\n{credential:?}\n{docker_config:?}");
        assert!(
            matches!(credential, Credential::Basic { .. }),
            "{form}: {credential:?}"
        );
        let pushed = registry::push(&docker, &image, &credential, &recorder)
            .await
            .unwrap_or_else(|e| panic!("{form}: {e}"));
        assert_eq!(
            pushed.digest, open_digest,
            "{form}: same image, same manifest"
        );
        let read_back = registry::resolve_digest(&image, &credential)
            .await
            .unwrap_or_else(|e| panic!("{form}: {e}"));
        assert_eq!(read_back, pushed.digest, "{form}");
    }
    let err = registry::resolve_digest(&image, &Credential::Anonymous)
        .await
        .unwrap_err();
    seen += &shown(&err);
    assert!(matches!(err, RegistryError::Manifest { .. }), "{err:?}");
    assert!(err.to_string().contains(&format!("`{host}`")), "{err}");

    // A configured helper that is not installed: an error naming it, not a silent anonymous push.
    let missing = config(
        temp.path(),
        &serde_json::json!({"credsStore": "nope", "auths": {host: {"auth": b64("u:p")}}}),
    );
    assert_eq!(missing.source_for(host), Source::Store("nope".into()));
    let err = missing.credential_for(host, &helpers).unwrap_err();
    seen += &shown(&err);
    assert!(
        matches!(err, RegistryError::HelperNotFound { .. }),
        "{err:?}"
    );

    // The sentinel: neither password, nor its base64, nor any header value, was ever shown.
    seen += &recorder.lines().join("\n");
    let right = Credential::Basic {
        username: user.into(),
        password: registry::Secret::new(password),
    };
    let wrong = Credential::Basic {
        username: user.into(),
        password: registry::Secret::new(&sentinel),
    };
    let forbidden = [
        sentinel.clone(),
        password.to_owned(),
        b64(&format!("{user}:{sentinel}")),
        b64(&format!("{user}:{password}")),
        b64(password),
        b64(&sentinel),
        x_registry_auth(&right, host),
        x_registry_auth(&wrong, host),
    ];
    for secret in &forbidden {
        assert!(
            !seen.contains(secret.as_str()),
            "a secret leaked into:\n{seen}"
        );
    }
    assert!(
        !seen.contains("S3NTINEL") && seen.contains("<redacted>"),
        "{seen}"
    );
    remove(&docker, &[&open, &image]).await;
}

/// Credential-helper faults; needs no platform.
#[test]
fn credential_helper_faults_are_clear_and_fast() {
    let temp = tempfile::tempdir().expect("temp");
    let bin = temp.path().join("bin");
    fs_err::create_dir_all(&bin).expect("bin");
    let helpers = Helpers::with_search_path(bin.as_os_str()).timeout(Duration::from_millis(300));
    let host = "127.0.0.1:5001";
    let with_store = |name: &str| config(temp.path(), &serde_json::json!({"credsStore": name}));

    // Missing binary.
    let err = with_store("absent")
        .credential_for(host, &helpers)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "credential helper `docker-credential-absent` for registry `127.0.0.1:5001` is not on PATH"
    );

    // Exit 1 "credentials not found": anonymous, as the protocol says.
    script(
        &bin,
        "docker-credential-none",
        "echo 'credentials not found in native keychain'; exit 1",
    );
    assert_eq!(
        with_store("none")
            .credential_for(host, &helpers)
            .expect("anonymous"),
        Credential::Anonymous
    );

    // Another failure: exit code and the first stderr line.
    script(
        &bin,
        "docker-credential-broken",
        "echo 'gpg: decryption failed' >&2; exit 2",
    );
    let err = with_store("broken")
        .credential_for(host, &helpers)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "credential helper `docker-credential-broken` failed for registry `127.0.0.1:5001` with exit code 2: gpg: decryption failed"
    );

    // docker-credential-helpers report errors on stdout.
    script(
        &bin,
        "docker-credential-stdout",
        "echo 'error getting credentials: pass not initialized'; exit 1",
    );
    let err = with_store("stdout")
        .credential_for(host, &helpers)
        .unwrap_err();
    assert!(
        err.to_string()
            .ends_with("with exit code 1: error getting credentials: pass not initialized"),
        "{err}"
    );

    // Garbage on stdout is not quoted back (it might be a secret).
    script(
        &bin,
        "docker-credential-garbage",
        "echo 'S3NTINEL-garbage {not json'",
    );
    let err = with_store("garbage")
        .credential_for(host, &helpers)
        .unwrap_err();
    assert!(
        matches!(err, RegistryError::HelperGarbage { .. }),
        "{err:?}"
    );
    assert!(!shown(&err).contains("S3NTINEL"), "{}", shown(&err));

    // A hanging helper is killed after the timeout.
    script(&bin, "docker-credential-hang", "exec sleep 30");
    let started = Instant::now();
    let err = with_store("hang")
        .credential_for(host, &helpers)
        .unwrap_err();
    assert!(
        matches!(err, RegistryError::HelperTimedOut { .. }),
        "{err:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert!(
        err.to_string().contains("did not answer within 300ms"),
        "{err}"
    );

    // `<token>` means an identity token; Docker Hub is asked for under its legacy server URL.
    answering_helper(
        &bin,
        "hub",
        "https://index.docker.io/v1/",
        &serde_json::json!({"ServerURL": "https://index.docker.io/v1/", "Username": "<token>", "Secret": "TOK-S3NTINEL"}),
    );
    let hub = config(
        temp.path(),
        &serde_json::json!({"credHelpers": {"docker.io": "hub"}}),
    );
    let credential = hub.credential_for("docker.io", &helpers).expect("token");
    assert!(
        matches!(credential, Credential::IdentityToken(_)),
        "{credential:?}"
    );
    assert!(!format!("{credential} {credential:?}").contains("S3NTINEL"));
    let err = credential.to_oci_auth("docker.io").unwrap_err();
    assert!(!shown(&err).contains("S3NTINEL"));
    // The same helper has nothing for another registry.
    let other = config(
        temp.path(),
        &serde_json::json!({"credHelpers": {"ghcr.io": "hub"}}),
    );
    assert_eq!(
        other
            .credential_for("ghcr.io", &helpers)
            .expect("anonymous"),
        Credential::Anonymous
    );
}
