//! The build context against the real Docker Engine (the test platform): a conformance
//! table of `.dockerignore` cases, symlinks that must not leak host files, engine errors that
//! arrive inside the 200 stream, and the cache key that lets `up` skip an unchanged build.
//!
//! The reference for each case is the docker CLI's legacy builder (`DOCKER_BUILDKIT=0 docker
//! build`, which filters the context on the client with moby's `patternmatcher`), and the
//! subject is `paas::build::build_image` with our context. Both images run
//! `COPY . /ctx` and `find /ctx | sort > /list`; the two lists must be identical. That also
//! covers what the engine itself does: implied parent folders, and dropping `Dockerfile` and
//! `.dockerignore` before `COPY` when `.dockerignore` matches them.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

use paas::build::context::{self, BuildContext};
use paas::build::{self, BuildError, BuildPlan, BuildReporter, NoopReporter};

use crate::support::platform::{Platform, random_suffix};

/// One conformance case: files (path, contents; empty contents means the path itself) and
/// the `.dockerignore` text.
struct Case {
    name: &'static str,
    dockerignore: &'static str,
    files: &'static [&'static str],
    /// The Dockerfile's path in the context.
    dockerfile: &'static str,
    /// Symlinks (name, target).
    links: &'static [(&'static str, &'static str)],
}

const fn case(
    name: &'static str,
    dockerignore: &'static str,
    files: &'static [&'static str],
) -> Case {
    Case {
        name,
        dockerignore,
        files,
        dockerfile: "Dockerfile",
        links: &[],
    }
}

const CASES: &[Case] = &[
    case(
        "no-dockerignore-gitignore-ignored",
        "",
        &[".gitignore", "app.log", ".env", "src/main.rs"],
    ),
    case(
        "comments",
        "# a comment\na.txt\n #b.txt\n\n   \nc.txt   \n",
        &["a.txt", "b.txt", "#b.txt", "c.txt", "d.txt"],
    ),
    case(
        "exception",
        "*.md\n!README.md\n",
        &["README.md", "CHANGES.md", "docs/x.md", "src/a.rs"],
    ),
    case(
        "exception-inside-excluded-dir",
        "docs\n!docs/keep.md\n",
        &["docs/keep.md", "docs/drop.md", "docs/sub/keep.md", "x"],
    ),
    case(
        "double-star-exception-does-not-reinclude",
        "docs\n!**/keep.md\n",
        &["docs/keep.md", "keep.md", "other/keep.md", "other/x"],
    ),
    case(
        "last-match-wins",
        "*.txt\n!important.txt\nimportant.txt\n!b.txt\n",
        &["a.txt", "b.txt", "important.txt", "c.rs"],
    ),
    case(
        "double-star",
        "**/*.log\nbuild/**\n",
        &[
            "a.log",
            "sub/b.log",
            "sub/deep/c.log",
            "build/x",
            "build/y/z",
            "keep.txt",
        ],
    ),
    case(
        "leading-slash",
        "/secret\n/sub/tmp\n",
        &["secret", "sub/secret", "sub/tmp/x", "tmp/y"],
    ),
    case("dot-slash", "./cache\n./a/../b\n", &["cache/x", "b", "a/c"]),
    case(
        "trailing-slash",
        "logs/\nout/*/\n",
        &["logs/1", "logsx", "out/a/b", "out/c"],
    ),
    case(
        "negated-class",
        "[^a]*\n",
        &["alpha", "beta", "gamma/x", "a/b"],
    ),
    case(
        "ranges-and-question-mark",
        "file?.txt\n[a-c].bin\n",
        &["file1.txt", "file10.txt", "a.bin", "d.bin"],
    ),
    case("escapes", "\\*\nq\\?\n", &["*", "star", "q?", "qq"]),
    case(
        "dockerfile-and-dockerignore-matched",
        "Dockerfile\n.dockerignore\nx\n",
        &["x", "y"],
    ),
    case("star-md", "*.md\n", &["a.md", "docs/b.md", "docs/sub/c.md"]),
    case(
        "docs-star-md",
        "docs/*.md\n",
        &["a.md", "docs/b.md", "docs/sub/c.md"],
    ),
    case(
        "everything-but-src",
        "*\n!src\n",
        &["src/a", "src/b/c", "other/d", "e"],
    ),
    case(
        "skipped-exception-at-parent",
        "foo/x\n!foo\n",
        &["foo/x", "foo/y", "bar"],
    ),
    Case {
        name: "nested-dockerfile-in-ignored-dir",
        dockerignore: "docker\n",
        files: &["docker/notes", "app"],
        dockerfile: "docker/Dockerfile",
        links: &[],
    },
    Case {
        name: "symlinks-and-long-paths",
        dockerignore: "ignored-link\n**/*.tmp\n",
        files: &[
            "real/file.txt",
            "real/x.tmp",
            "a-very-long-directory-name-that-goes-on-and-on-for-quite-a-while-0123456789/and-a-file-name-that-is-also-rather-long-0123456789.txt",
        ],
        dockerfile: "Dockerfile",
        links: &[
            ("host", "/etc/hostname"),
            ("up", "../outside.txt"),
            ("dirlink", "real"),
            ("dangling", "nowhere"),
            ("ignored-link", "real/file.txt"),
            ("x.tmp", "real/file.txt"),
            (
                "long-target",
                "a-very-long-directory-name-that-goes-on-and-on-for-quite-a-while-0123456789/and-a-file-name-that-is-also-rather-long-0123456789.txt",
            ),
        ],
    },
];

fn docker_cli(args: &[&str]) -> Output {
    Command::new("docker")
        .args(args)
        .output()
        .expect("the docker CLI runs")
}

fn docker_ok(args: &[&str]) -> String {
    let output = docker_cli(args);
    assert!(
        output.status.success(),
        "docker {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn write_tree(root: &Path, case: &Case, base: &str) {
    for file in case.files {
        let path = root.join(file);
        fs_err::create_dir_all(path.parent().expect("parent")).expect("dir");
        fs_err::write(&path, file).expect("file");
    }
    for (name, target) in case.links {
        std::os::unix::fs::symlink(target, root.join(name)).expect("symlink");
    }
    let dockerfile = root.join(case.dockerfile);
    fs_err::create_dir_all(dockerfile.parent().expect("parent")).expect("dir");
    fs_err::write(
        dockerfile,
        format!("FROM {base}\nCOPY . /ctx\nRUN find /ctx | sort > /list\n"),
    )
    .expect("Dockerfile");
    if !case.dockerignore.is_empty() {
        fs_err::write(root.join(".dockerignore"), case.dockerignore).expect(".dockerignore");
    }
}

/// `/list` of an image.
fn list(image: &str) -> String {
    docker_ok(&["run", "--rm", image, "cat", "/list"])
}

async fn build_ours(
    docker: &bollard::Docker,
    root: &Path,
    dockerfile: &str,
    tag: &str,
) -> Result<build::BuiltImage, BuildError> {
    let context = context::build_context(root, Path::new(dockerfile)).expect("context");
    let plan = BuildPlan {
        context,
        tags: vec![tag.to_owned()],
        build_args: BTreeMap::new(),
        labels: BTreeMap::new(),
        cache_key: None,
        no_cache: false,
    };
    build::build_image(docker, &plan, &NoopReporter).await
}

/// The conformance table: for every case the image built by the docker CLI and the image
/// built from our context hold the same files.
#[tokio::test]
async fn dockerignore_conformance_with_the_docker_cli() {
    let Some(p) = Platform::setup().await else {
        return;
    };
    let docker = p.docker().await;
    let run = random_suffix();
    let mut mismatches = Vec::new();
    for case in CASES {
        let dir = tempfile::tempdir().expect("tempdir");
        write_tree(dir.path(), case, &p.base_busybox);
        let reference_tag = format!("paas-test-ctx/{run}:{}-cli", case.name);
        let ours_tag = format!("paas-test-ctx/{run}:{}-paas", case.name);

        let cli = Command::new("docker")
            .env("DOCKER_BUILDKIT", "0")
            .args(["build", "-q", "-t", &reference_tag, "-f"])
            .arg(dir.path().join(case.dockerfile))
            .arg(dir.path())
            .output()
            .expect("docker build");
        assert!(
            cli.status.success(),
            "{}: docker build: {}",
            case.name,
            String::from_utf8_lossy(&cli.stderr)
        );
        let expected = list(&reference_tag);
        assert!(expected.starts_with("/ctx\n"), "{}: {expected}", case.name);

        build_ours(&docker, dir.path(), case.dockerfile, &ours_tag)
            .await
            .unwrap_or_else(|e| panic!("{}: {e:?}", case.name));
        let got = list(&ours_tag);
        if got != expected {
            mismatches.push(format!(
                "case `{}`:\n--- docker CLI\n{expected}--- paas\n{got}",
                case.name
            ));
        }
        let _ = docker_cli(&["rmi", "-f", &reference_tag, &ours_tag]);
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

/// Symlinks that leave the context are sent as links: the image holds the link text and
/// never the bytes of the host file they point to.
#[tokio::test]
async fn symlinks_out_of_the_context_never_bring_host_bytes() {
    let Some(p) = Platform::setup().await else {
        return;
    };
    let docker = p.docker().await;
    let outer = tempfile::tempdir().expect("tempdir");
    let sentinel = format!("PAAS-SENTINEL-{}", random_suffix());
    fs_err::write(outer.path().join("outside.txt"), &sentinel).expect("outside");
    let root = outer.path().join("app");
    fs_err::create_dir_all(root.join("real")).expect("dir");
    fs_err::write(root.join("real/file.txt"), "inside\n").expect("file");
    fs_err::write(
        root.join("Dockerfile"),
        format!("FROM {}\nCOPY . /ctx\n", p.base_busybox),
    )
    .expect("Dockerfile");
    for (target, name) in [
        ("/etc/hostname", "host"),
        ("../outside.txt", "up"),
        ("real", "dirlink"),
        ("nowhere", "dangling"),
    ] {
        std::os::unix::fs::symlink(target, root.join(name)).expect("symlink");
    }
    let tag = format!("paas-test-ctx/{}:symlinks", random_suffix());
    build_ours(&docker, &root, "Dockerfile", &tag)
        .await
        .expect("build");

    let links = docker_ok(&[
        "run",
        "--rm",
        &tag,
        "sh",
        "-c",
        "for l in host up dirlink dangling; do readlink /ctx/$l; done",
    ]);
    assert_eq!(links, "/etc/hostname\n../outside.txt\nreal\nnowhere\n");
    let up = docker_cli(&["run", "--rm", &tag, "cat", "/ctx/up"]);
    assert!(!up.status.success(), "`up` must dangle in the image");
    let saved = Command::new("docker")
        .args(["save", &tag])
        .output()
        .expect("docker save");
    assert!(saved.status.success());
    let haystack = String::from_utf8_lossy(&saved.stdout);
    assert!(
        !haystack.contains(&sentinel),
        "the host file's bytes are in the image"
    );
    if let Ok(hostname) = fs_err::read_to_string("/etc/hostname") {
        let hostname = hostname.trim();
        assert!(
            hostname.len() < 6 || !haystack.contains(hostname),
            "the host's /etc/hostname is in the image"
        );
    }
    let _ = docker_cli(&["rmi", "-f", &tag]);
}

/// Errors inside the HTTP 200 stream and an empty context are build errors with the
/// engine's message, and a failed step leaves no intermediate container.
#[tokio::test]
async fn engine_errors_are_build_errors_with_the_engine_message() {
    let Some(p) = Platform::setup().await else {
        return;
    };
    let docker = p.docker().await;
    let marker = random_suffix();

    let dir = tempfile::tempdir().expect("tempdir");
    fs_err::write(
        dir.path().join("Dockerfile"),
        format!("FROM {}\nRUN echo {marker} && exit 3\n", p.base_busybox),
    )
    .expect("Dockerfile");
    let err = build_ours(
        &docker,
        dir.path(),
        "Dockerfile",
        &format!("paas-test-ctx/{marker}:fail"),
    )
    .await
    .expect_err("RUN exits 3");
    let BuildError::Failed { message, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(message.contains("returned a non-zero code: 3"), "{message}");
    let containers = docker_ok(&["ps", "-a", "--no-trunc", "--format", "{{.Command}}"]);
    assert!(
        !containers.contains(&marker),
        "an intermediate container was left behind: {containers}"
    );

    fs_err::write(
        dir.path().join("Dockerfile"),
        "FROM 127.0.0.1:1/paas-missing/nothing:1\n",
    )
    .expect("Dockerfile");
    let err = build_ours(
        &docker,
        dir.path(),
        "Dockerfile",
        &format!("paas-test-ctx/{marker}:from"),
    )
    .await
    .expect_err("unpullable");
    let BuildError::Failed { message, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(message.contains("127.0.0.1:1"), "{message}");

    let mut context = context::build_context(dir.path(), Path::new("Dockerfile")).expect("context");
    context.archive = bytes::Bytes::new();
    let plan = BuildPlan {
        context,
        tags: vec![],
        build_args: BTreeMap::new(),
        labels: BTreeMap::new(),
        cache_key: None,
        no_cache: false,
    };
    let err = build::build_image(&docker, &plan, &NoopReporter)
        .await
        .expect_err("empty context");
    assert!(
        matches!(&err, BuildError::Refused { status: 500, .. }),
        "{err:?}"
    );
}

#[derive(Default)]
struct Steps(std::sync::Mutex<Vec<String>>);

impl BuildReporter for Steps {
    fn on_step(&self, step: &str) {
        self.0.lock().expect("lock").push(step.to_owned());
    }
    fn on_output(&self, _line: &str) {}
}

/// An unchanged context gives the same cache key, and `find_cached` finds the image built
/// the first time, so the second build is skipped.
#[tokio::test]
async fn unchanged_context_is_found_in_the_cache() {
    let Some(p) = Platform::setup().await else {
        return;
    };
    // `connect` reads DOCKER_HOST (the platform's engine, API 1.41) and negotiates down to
    // the engine's version.
    let docker = build::connect().await.expect("connect");
    let version = docker.client_version();
    let engine = docker.version().await.expect("version").api_version;
    assert_eq!(
        Some(format!(
            "{}.{}",
            version.major_version, version.minor_version
        )),
        engine
    );
    let unique = random_suffix();
    let dir = tempfile::tempdir().expect("tempdir");
    let dockerfile = format!(
        "FROM {}\nCOPY hello.txt /hello.txt\nLABEL run={unique}\n",
        p.base_busybox
    );
    fs_err::write(dir.path().join("Dockerfile"), &dockerfile).expect("Dockerfile");
    fs_err::write(dir.path().join("hello.txt"), &unique).expect("file");
    let args = BTreeMap::from([("VERSION".to_owned(), "1".to_owned())]);
    let tags = vec![format!("paas-test-ctx/{unique}:1"), p.image("cached")];

    let plan_for = |context: BuildContext| {
        let key = context::cache_key(&context.digest, &dockerfile, &args);
        BuildPlan {
            context,
            tags: tags.clone(),
            build_args: args.clone(),
            labels: BTreeMap::new(),
            cache_key: Some(key),
            no_cache: false,
        }
    };
    let first =
        plan_for(context::build_context(dir.path(), Path::new("Dockerfile")).expect("context"));
    let key = first.cache_key.clone().expect("key");
    assert_eq!(
        build::find_cached(&docker, &key).await.expect("lookup"),
        None
    );
    let steps = Steps::default();
    let built = build::build_image(&docker, &first, &steps)
        .await
        .expect("build");
    assert!(built.id.starts_with("sha256:"), "{}", built.id);
    // The legacy builder adds a step per `labels` entry: 3 steps + 2 labels.
    assert_eq!(
        steps.0.lock().expect("lock")[0],
        format!("Step 1/5 : FROM {}", p.base_busybox)
    );
    for tag in &tags {
        let inspect = docker.inspect_image(tag).await.expect("tagged");
        assert_eq!(inspect.id.as_deref(), Some(built.id.as_str()));
    }

    // Same tree again: same digest, same key, found without building.
    let second =
        plan_for(context::build_context(dir.path(), Path::new("Dockerfile")).expect("context"));
    assert_eq!(second.context.digest, first.context.digest);
    assert_eq!(second.cache_key.as_deref(), Some(key.as_str()));
    assert_eq!(
        build::find_cached(&docker, &key).await.expect("lookup"),
        Some(built.id.clone())
    );
    let labels = docker
        .inspect_image(&built.id)
        .await
        .expect("inspect")
        .config
        .and_then(|c| c.labels)
        .unwrap_or_default();
    assert_eq!(
        labels.get(build::CONTEXT_DIGEST_LABEL),
        Some(&first.context.digest)
    );

    // What `up` does on a hit: tag the cached image instead of building.
    let extra = format!("paas-test-ctx/{unique}:2");
    build::add_tags(&docker, &built.id, std::slice::from_ref(&extra))
        .await
        .expect("tag");
    let inspect = docker.inspect_image(&extra).await.expect("tagged");
    assert_eq!(inspect.id.as_deref(), Some(built.id.as_str()));

    // A changed file changes the key.
    fs_err::write(dir.path().join("hello.txt"), "changed").expect("file");
    let third =
        plan_for(context::build_context(dir.path(), Path::new("Dockerfile")).expect("context"));
    assert_ne!(third.cache_key, second.cache_key);
    assert_eq!(
        build::find_cached(&docker, third.cache_key.as_deref().expect("key"))
            .await
            .expect("lookup"),
        None
    );

    let _ = docker_ok(&["rmi", "-f", &tags[0], &tags[1], &extra]);
}

/// Dropping the build future (what Ctrl-C does) cancels the request; with `forcerm` the
/// engine then removes the container of the running step.
#[tokio::test]
async fn cancelled_build_leaves_no_container() {
    let Some(p) = Platform::setup().await else {
        return;
    };
    let docker = p.docker().await;
    let marker = random_suffix();
    let dir = tempfile::tempdir().expect("tempdir");
    fs_err::write(
        dir.path().join("Dockerfile"),
        format!("FROM {}\nRUN echo {marker} && sleep 60\n", p.base_busybox),
    )
    .expect("Dockerfile");
    let tag = format!("paas-test-ctx/{marker}:cancelled");
    let build = build_ours(&docker, dir.path(), "Dockerfile", &tag);
    let running =
        || docker_ok(&["ps", "-a", "--no-trunc", "--format", "{{.Command}}"]).contains(&marker);
    tokio::select! {
        result = build => panic!("the build finished: {result:?}"),
        () = async {
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
            while !running() {
                assert!(std::time::Instant::now() < deadline, "the RUN step never started");
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
        } => {}
    }
    // The future is dropped here; the engine notices the closed connection.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while running() {
        assert!(
            std::time::Instant::now() < deadline,
            "the step's container is still there 20 s after the build was cancelled"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}
