//! The nginx pack for real: `paas init` writes the files, the Docker Engine builds them on the
//! locally made nginx base image, the container runs as Kubernetes will run it (non-root,
//! read-only root, no capabilities) and HTTP shows the site, the SPA fallback, the cache
//! headers and `/healthz`, the site's own 404 page, and that no source, config or dotfile of
//! the project is served.
//!
//! Generator sites (Hugo, `MkDocs`) run their real build stage on stand-in generator images made
//! from Debian's packages by `tests/platform/images.sh` (no generator image can be pulled here).

use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::TestEnv;
use crate::support::platform::{Platform, random_suffix};

/// A container and image removed when the test ends, whatever happens.
pub(crate) struct Running {
    pub(crate) container: String,
    pub(crate) image: String,
    pub(crate) port: u16,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = Command::new("docker")
            .args(["rm", "-f", &self.container])
            .output();
        let _ = Command::new("docker")
            .args(["rmi", "-f", &self.image])
            .output();
    }
}

pub(crate) fn docker(args: &[&str]) -> String {
    let output = Command::new("docker")
        .args(args)
        .output()
        .expect("docker runs");
    assert!(
        output.status.success(),
        "docker {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

/// Runs `paas init --yes` with `args` and asserts it succeeded.
fn init(env: &TestEnv, args: &[&str]) {
    let output = env
        .paas()
        .args(["init", "--yes"])
        .args(args)
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The files of the web root in `image`, relative and sorted.
fn served_files(image: &str) -> Vec<String> {
    let root = "/usr/share/nginx/html/";
    let listing = docker(&[
        "run",
        "--rm",
        "--entrypoint",
        "find",
        image,
        root,
        "-type",
        "f",
    ]);
    let mut files: Vec<String> = listing
        .lines()
        .map(|line| line.trim_start_matches(root).to_owned())
        .collect();
    files.sort();
    files
}

/// A local stand-in generator image, or `None` (after printing why) when it was not built.
#[expect(clippy::print_stderr, reason = "a skipped test says why")]
fn generator_image(name: &str) -> Option<String> {
    let image = format!("paas-test/{name}:1");
    let found = Command::new("docker")
        .args(["image", "inspect", &image])
        .output()
        .is_ok_and(|output| output.status.success());
    if found {
        return Some(image);
    }
    let why = format!(
        "{image} is missing: build it with `tests/platform/images.sh {name}` (tests/test-all.sh does)"
    );
    assert!(
        std::env::var("PAAS_TEST_REQUIRE_PLATFORM").as_deref() != Ok("1"),
        "PAAS_TEST_REQUIRE_PLATFORM=1 but {why}"
    );
    eprintln!("skipped: {why}");
    None
}

/// Asks for every path of `refused` and checks each is a 404 answered with `not_found` (the
/// site's own 404 page).
fn assert_refused(port: u16, refused: &[&str], not_found: &str) {
    for path in refused {
        let (status, _, body) = must_get(port, path);
        assert_eq!(
            (status, body.as_str()),
            (404, not_found),
            "{path} must be a 404 with the site's 404 page"
        );
    }
}

/// Builds the project's image and runs it as Kubernetes runs the pack's pods: as `uid`, with a
/// read-only root, a writable `/tmp`, no capabilities; port 8080 published on 127.0.0.1.
pub(crate) fn build_and_start(env: &TestEnv, name: &str, uid: &str) -> Running {
    let image = format!("paas-test-build/{name}-{}:1", random_suffix());
    let project = env.project.to_string_lossy().into_owned();
    docker(&["build", "--quiet", "--tag", &image, &project]);
    let container = docker(&[
        "run",
        "--detach",
        "--user",
        uid,
        "--read-only",
        "--tmpfs",
        "/tmp:rw,mode=1777",
        "--cap-drop",
        "ALL",
        "--security-opt",
        "no-new-privileges",
        "--publish",
        "127.0.0.1::8080",
        &image,
    ]);
    let mut running = Running {
        container,
        image,
        port: 0,
    };
    let mapping = docker(&["port", &running.container, "8080/tcp"]);
    running.port = mapping
        .lines()
        .next()
        .and_then(|l| l.rsplit(':').next())
        .and_then(|p| p.parse().ok())
        .expect("a port");
    running
}

fn build_and_run(env: &TestEnv, name: &str) -> Running {
    let running = build_and_start(env, name, "101");
    first_answer(&running, "/healthz", Duration::from_secs(20));
    running
}

/// Waits for the first answer on `path` that is not a 502 (a proxy in front of an app that is
/// still starting), failing at once if the container stops and after `limit` if none comes.
pub(crate) fn first_answer(
    running: &Running,
    path: &str,
    limit: Duration,
) -> (u16, String, String) {
    let started = Instant::now();
    loop {
        if let Some(answer) = get(running.port, path)
            && answer.0 != 502
        {
            return answer;
        }
        let state = docker(&[
            "inspect",
            "--format",
            "{{.State.Running}}",
            &running.container,
        ]);
        assert!(
            state == "true",
            "the container stopped: {}",
            docker(&["logs", &running.container])
        );
        assert!(
            started.elapsed() < limit,
            "no answer on {path} within {limit:?}: {}",
            docker(&["logs", &running.container])
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A minimal HTTP/1.0 GET on 127.0.0.1: (status, lowercased headers, body).
pub(crate) fn get(port: u16, path: &str) -> Option<(u16, String, String)> {
    crate::support::real::http_get(("127.0.0.1", port), path)
}

pub(crate) fn must_get(port: u16, path: &str) -> (u16, String, String) {
    get(port, path).unwrap_or_else(|| panic!("no HTTP answer for {path}"))
}

#[tokio::test]
async fn nginx_pack_static_site_builds_runs_and_serves() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = TestEnv::fixture("static-dist");
    let base = format!("base_image={}", platform.base_nginx);
    let output = env
        .paas()
        .args(["init", "--yes", "--name", "site", "--set", &base])
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let asset = fs_err::read_dir(env.project.join("dist/assets"))
        .expect("assets")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .find(|n| {
            std::path::Path::new(n)
                .extension()
                .is_some_and(|e| e == "js")
        })
        .expect("a hashed js asset in the fixture");
    let index = env.read("dist/index.html");

    let running = build_and_run(&env, "static");
    let (status, _, body) = must_get(running.port, "/");
    assert_eq!((status, body.as_str()), (200, index.as_str()));
    let (status, headers, body) = must_get(running.port, "/healthz");
    assert_eq!((status, body.as_str()), (200, "ok\n"));
    assert!(headers.contains("content-type: text/plain"), "{headers}");
    let (status, headers, _) = must_get(running.port, &format!("/assets/{asset}"));
    assert_eq!(status, 200);
    assert!(
        headers.contains("cache-control: public, max-age=31536000, immutable"),
        "{headers}"
    );
    assert!(
        headers.contains("javascript"),
        "served with a JavaScript type: {headers}"
    );
    // Not an SPA: an unknown path is a 404, not the index page.
    assert_eq!(must_get(running.port, "/products/42").0, 404);
    // Hidden files are never served.
    assert_eq!(must_get(running.port, "/.env").0, 404);
    let (_, headers, _) = must_get(running.port, "/");
    assert!(
        !headers.contains("server: nginx/"),
        "no version in the Server header: {headers}"
    );
}

#[tokio::test]
async fn nginx_pack_spa_falls_back_to_index() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = TestEnv::fixture("spa-vite");
    // The built output, as `npm run build` would leave it (no Node.js image can be had here,
    // so the build stage is covered by hadolint and snapshots; this test serves its result).
    env.write("dist/index.html", "<!doctype html><div id=\"root\"></div><script src=\"/assets/index-4f2a9c1b.js\"></script>\n");
    env.write(
        "dist/assets/index-4f2a9c1b.js",
        "console.log('storefront');\n",
    );
    let base = format!("base_image={}", platform.base_nginx);
    let output = env
        .paas()
        .args([
            "init",
            "--yes",
            "--name",
            "shop",
            "--set",
            &base,
            "--set",
            "build_command=",
            "--set",
            "site_dir=dist",
        ])
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        !env.read("Dockerfile").contains("AS build"),
        "no build stage without a build command"
    );
    let index = env.read("dist/index.html");

    let running = build_and_run(&env, "spa");
    for deep_link in ["/", "/products/42", "/account/orders?page=2"] {
        let (status, headers, body) = must_get(running.port, deep_link);
        assert_eq!(
            (status, body.as_str()),
            (200, index.as_str()),
            "{deep_link}"
        );
        assert!(
            headers.contains("cache-control: no-cache"),
            "{deep_link}: the page is revalidated: {headers}"
        );
    }
    let (status, headers, _) = must_get(running.port, "/assets/index-4f2a9c1b.js");
    assert_eq!(status, 200);
    assert!(headers.contains("immutable"), "{headers}");
    // A missing asset is a 404, never the index page (a broken deploy must not serve HTML as JS).
    assert_eq!(must_get(running.port, "/assets/missing-00000000.js").0, 404);
    assert_eq!(must_get(running.port, "/healthz").2, "ok\n");
}

/// The files `paas init` writes and the project's own tool files: none may be served.
const PROJECT_FILES: &[&str] = &[
    "/Dockerfile",
    "/.dockerignore",
    "/nginx.conf",
    "/paas.toml",
    "/deploy/deployment.yaml",
    "/deploy/service.yaml",
    "/README.md",
    "/.git/config",
    "/.git/HEAD",
    "/.env",
    "/.gitignore",
];

#[tokio::test]
async fn nginx_pack_multipage_site_answers_404_with_its_page_and_serves_no_source() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = TestEnv::fixture("static-multipage");
    // What a real checkout has beside the pages, that git cannot keep in a fixture.
    env.write(".git/HEAD", "ref: refs/heads/main\n");
    env.write(
        ".git/config",
        "[remote \"origin\"]\n\turl = git@example.org:bakery/site.git\n",
    );
    env.write(".env", "SMTP_PASSWORD=hunter2\n");
    env.write(".gitignore", "node_modules/\n");
    env.write(".htpasswd", "admin:$apr1$x$y\n");
    env.write("Gemfile", "source 'https://rubygems.org'\ngem 'rake'\n");
    env.write("Makefile", "serve:\n\tnpx serve .\n");
    env.write("notes/todo.md", "- new photos\n");
    env.write("package-lock.json", "{}\n");
    let base = format!("base_image={}", platform.base_nginx);
    init(&env, &["--name", "bakery", "--set", &base]);
    assert!(
        !env.read("Dockerfile").contains("AS build"),
        "a plain site is served as it is"
    );
    let index = env.read("index.html");
    let about = env.read("about/index.html");
    let not_found = env.read("404.html");

    let running = build_and_run(&env, "multipage");
    assert_eq!(
        served_files(&running.image),
        [
            ".well-known/security.txt",
            "404.html",
            "about/index.html",
            "contact.html",
            "css/site.css",
            "index.html",
            // The Dockerfile copies the context's nginx.conf to /etc/nginx; the root copy is
            // refused by nginx (checked below).
            "nginx.conf",
        ],
        "only the site is in the image"
    );
    let (status, _, body) = must_get(running.port, "/");
    assert_eq!((status, body.as_str()), (200, index.as_str()));
    let (status, _, body) = must_get(running.port, "/about/");
    assert_eq!((status, body.as_str()), (200, about.as_str()));
    let (status, headers, _) = must_get(running.port, "/about");
    assert_eq!(status, 301);
    assert!(headers.contains("location: /about/"), "{headers}");
    // A clean URL finds `contact.html` (how static exports write their pages).
    let (status, _, body) = must_get(running.port, "/contact");
    assert_eq!((status, body.contains("Contact us")), (200, true), "{body}");
    assert_eq!(must_get(running.port, "/css/site.css").0, 200);
    assert_eq!(must_get(running.port, "/.well-known/security.txt").0, 200);
    // A multi-page site is not an SPA: an unknown path is a 404 with the site's own page.
    assert_refused(
        running.port,
        &["/menu/croissants", "/about/team.html"],
        &not_found,
    );
    assert_refused(running.port, PROJECT_FILES, &not_found);
    assert_refused(
        running.port,
        &[
            "/_config.yml",
            "/package.json",
            "/package-lock.json",
            "/docker-compose.yml",
            "/Gemfile",
            "/Makefile",
            "/notes/todo.md",
            "/.htpasswd",
            "/.well-known/../.env",
            "/README.MD",
            "/nginx.conf?x=1",
        ],
        &not_found,
    );
}

#[tokio::test]
async fn nginx_pack_hugo_site_is_built_by_hugo_and_only_its_output_served() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let Some(hugo) = generator_image("hugo") else {
        return;
    };
    let env = TestEnv::fixture("hugo-site");
    env.write(".git/HEAD", "ref: refs/heads/main\n");
    env.write(".env", "DEPLOY_TOKEN=x\n");
    let base = format!("base_image={}", platform.base_nginx);
    let image = format!("generator_image={hugo}");
    init(&env, &["--name", "trail", "--set", &base, "--set", &image]);
    let dockerfile = env.read("Dockerfile");
    assert!(
        dockerfile.contains(&format!("FROM {hugo} AS build"))
            && dockerfile.contains("RUN hugo --minify --destination public"),
        "{dockerfile}"
    );

    // The Hugo stage runs for real (Debian's hugo).
    let running = build_and_run(&env, "hugo");
    assert_eq!(
        served_files(&running.image),
        [
            "404.html",
            "css/site.css",
            "index.html",
            "posts/index.html",
            "posts/ridge-walk/index.html",
        ],
        "only Hugo's output is in the image"
    );
    let (status, _, body) = must_get(running.port, "/");
    assert_eq!(status, 200);
    assert!(
        body.contains("<h1>Trail Log</h1>") && body.contains("/posts/ridge-walk/"),
        "the home page lists the post: {body}"
    );
    let (status, _, body) = must_get(running.port, "/posts/ridge-walk/");
    assert_eq!(status, 200);
    assert!(body.contains("Twelve kilometres along the ridge"), "{body}");
    let (status, _, not_found) = must_get(running.port, "/maps/north");
    assert_eq!(status, 404);
    assert!(
        not_found.contains("Off the trail"),
        "Hugo's 404 page: {not_found}"
    );
    assert_refused(running.port, PROJECT_FILES, &not_found);
    assert_refused(
        running.port,
        &[
            "/hugo.toml",
            "/content/_index.md",
            "/content/posts/ridge-walk.md",
            "/layouts/index.html",
            "/layouts/404.html",
            "/static/css/site.css",
        ],
        &not_found,
    );
}

#[tokio::test]
async fn nginx_pack_mkdocs_site_is_built_by_mkdocs_into_its_site_dir() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let Some(mkdocs) = generator_image("mkdocs") else {
        return;
    };
    let env = TestEnv::fixture("mkdocs-docs");
    env.write(".git/HEAD", "ref: refs/heads/main\n");
    env.write(".env", "DEPLOY_TOKEN=x\n");
    // A stale local build is never sent: the stage builds its own.
    env.write("build/site/index.html", "<h1>stale</h1>\n");
    let base = format!("base_image={}", platform.base_nginx);
    let image = format!("generator_image={mkdocs}");
    init(
        &env,
        &["--name", "handbook", "--set", &base, "--set", &image],
    );
    assert!(
        env.read("Dockerfile")
            .contains("COPY --from=build [\"/src/build/site/\", \"/usr/share/nginx/html/\"]"),
        "the output folder is mkdocs.yml's site_dir"
    );

    // The MkDocs stage runs for real (Debian's mkdocs; pip finds the requirement installed).
    let running = build_and_run(&env, "mkdocs");
    let files = served_files(&running.image);
    assert!(
        files.iter().any(|file| file == "invoices/index.html")
            && !files.iter().any(|file| std::path::Path::new(file)
                .extension()
                .is_some_and(|ext| ext == "md")),
        "MkDocs' output, no Markdown: {files:?}"
    );
    let (status, _, body) = must_get(running.port, "/");
    assert_eq!(status, 200);
    assert!(
        body.contains("How the billing team works") && !body.contains("stale"),
        "{body}"
    );
    let (status, _, body) = must_get(running.port, "/invoices/");
    assert_eq!(status, 200);
    assert!(body.contains("first working day"), "{body}");
    let (status, _, not_found) = must_get(running.port, "/refunds/");
    assert_eq!(status, 404);
    assert!(not_found.contains("404"), "MkDocs' 404 page: {not_found}");
    assert_refused(running.port, PROJECT_FILES, &not_found);
    assert_refused(
        running.port,
        &[
            "/mkdocs.yml",
            "/docs/index.md",
            "/index.md",
            "/invoices.md",
            // MkDocs copies every file of docs/ that is not a page: nginx refuses it.
            "/requirements.txt",
            "/docs/requirements.txt",
        ],
        &not_found,
    );
}

#[tokio::test]
async fn nginx_pack_jekyll_site_is_built_by_jekyll_and_its_copies_refused() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let Some(jekyll) = generator_image("jekyll") else {
        return;
    };
    let env = TestEnv::fixture("jekyll-blog");
    env.write(".env", "DEPLOY_TOKEN=x\n");
    // The user locked their gems: here, with the gems Debian ships (rubygems.org cannot be
    // reached, and `bundle install` then installs nothing).
    let project = format!("{}:/src", env.project.display());
    docker(&[
        "run",
        "--rm",
        "--network",
        "none",
        "--volume",
        &project,
        "--workdir",
        "/src",
        &jekyll,
        "bundle",
        "lock",
        "--local",
    ]);
    let base = format!("base_image={}", platform.base_nginx);
    let image = format!("generator_image={jekyll}");
    init(&env, &["--name", "notes", "--set", &base, "--set", &image]);
    assert!(
        env.read("Dockerfile")
            .contains("RUN bundle exec jekyll build --destination _site"),
        "a Jekyll stage"
    );

    // The Jekyll stage runs for real (Debian's jekyll).
    let running = build_and_run(&env, "jekyll");
    assert_eq!(
        served_files(&running.image),
        [
            "2026/11/30/first-frost/index.html",
            "404.html",
            "index.html",
            // Jekyll copies every file it does not know into its output: nginx refuses it.
            "nginx.conf",
        ],
        "only Jekyll's output is in the image"
    );
    let (status, _, body) = must_get(running.port, "/");
    assert_eq!(status, 200);
    assert!(
        body.contains("<title>Home - Field Notes</title>")
            && body.contains("/2026/11/30/first-frost/"),
        "the layout is applied and the post listed: {body}"
    );
    assert!(!body.contains("{{"), "no Liquid left: {body}");
    let (status, _, body) = must_get(running.port, "/2026/11/30/first-frost/");
    assert_eq!(status, 200);
    assert!(body.contains("The first frost came early"), "{body}");
    let (status, _, not_found) = must_get(running.port, "/2027/");
    assert_eq!(status, 404);
    assert!(
        not_found.contains("No note here"),
        "Jekyll's 404 page: {not_found}"
    );
    assert_refused(running.port, PROJECT_FILES, &not_found);
    assert_refused(
        running.port,
        &[
            "/_config.yml",
            "/Gemfile",
            "/Gemfile.lock",
            "/index.md",
            "/_layouts/default.html",
            "/_posts/2026-11-30-first-frost.md",
        ],
        &not_found,
    );
}

/// The sources of the `COPY` lines of a Dockerfile that read the build context (not another
/// stage), in order: `COPY a b ./` and `COPY ["a", "b", "./"]` give `a`, `b`.
fn context_sources(dockerfile: &str) -> Vec<String> {
    dockerfile
        .lines()
        .filter_map(|line| line.strip_prefix("COPY "))
        .filter(|rest| !rest.starts_with("--from="))
        .flat_map(|rest| {
            let parts: Vec<String> = if rest.starts_with('[') {
                serde_json::from_str(rest).expect("a JSON COPY")
            } else {
                rest.split_whitespace().map(str::to_owned).collect()
            };
            parts[..parts.len() - 1].to_vec()
        })
        .collect()
}

/// Every file a generator stage copies before `COPY . .` is in the fixture (an optional
/// `*` source such as `Gemfile.lock*` may match nothing), without building anything: this
/// holds where the stand-in images are missing too.
#[test]
fn generator_stages_copy_only_files_the_fixture_has() {
    for (fixture, expected) in [
        (
            "jekyll-blog",
            ["Gemfile", "Gemfile.lock*", ".", "nginx.conf"].as_slice(),
        ),
        ("hugo-site", [".", "nginx.conf"].as_slice()),
        (
            "mkdocs-docs",
            ["docs/requirements.txt", ".", "nginx.conf"].as_slice(),
        ),
    ] {
        let env = TestEnv::fixture(fixture);
        init(&env, &[]);
        let sources = context_sources(&env.read("Dockerfile"));
        assert_eq!(
            sources, expected,
            "{fixture}: the files each COPY reads, in order"
        );
        for source in sources.iter().filter(|source| !source.contains('*')) {
            assert!(
                env.project.join(source).exists(),
                "{fixture}: `COPY {source}` needs a file the project does not have"
            );
        }
    }
}
