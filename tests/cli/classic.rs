//! Classic ASP.NET (the jexus pack) for real: `paas init` writes the files, the Docker Engine
//! builds them (`nuget restore` from a company folder feed, Release build and publish with
//! Debian's Mono), the published site runs on a stand-in Jexus base image as Kubernetes will
//! run it (non-root, read-only root, a tmpfs `/tmp`), and HTTP shows the Web Forms page and the
//! MVC route; the sources are neither served nor in the image.
//!
//! The images come from `tests/platform/mono-image.sh` (Debian's Mono packages; no Jexus and no
//! MVC 5 can be had here: the stand-in serves with Mono's own ASP.NET server, and the feed's
//! `Microsoft.AspNet.Mvc` 5.2.9 package holds Debian's MVC 3 assembly).

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::docker::{Running, build_and_start, docker, first_answer, must_get};
use crate::paas_snapshot;
use crate::support::TestEnv;
use crate::support::platform::Platform;

/// The classic ASP.NET fixtures, and the ASP.NET Core one with a `supervisord.conf`.
const FIXTURES: [&str; 5] = [
    "classic-webforms",
    "classic-mvc",
    "classic-website",
    "classic-two-sites",
    "aspnet-core-supervisord",
];

const BUILD_IMAGE: &str = "paas-test/mono-build:6.8";
const JEXUS_IMAGE: &str = "paas-test/jexus-mono:1";

/// How long the first answer may take: Mono compiles the site on the first request.
const MONO_FIRST_ANSWER: Duration = Duration::from_secs(90);

/// The pack's default uid, which the stand-in image knows.
const UID: &str = "1000";

/// Tells whether the Mono images are there; a missing one is a skip, or a failure when the
/// platform is required.
#[expect(
    clippy::print_stderr,
    reason = "the one line that says a test was skipped"
)]
fn mono_images() -> bool {
    let missing: Vec<&str> = [BUILD_IMAGE, JEXUS_IMAGE]
        .into_iter()
        .filter(|image| {
            !Command::new("docker")
                .args(["image", "inspect", image])
                .output()
                .is_ok_and(|output| output.status.success())
        })
        .collect();
    if missing.is_empty() {
        return true;
    }
    let message = format!(
        "the images {missing:?} are missing: run `bash tests/platform/mono-image.sh` (tests/test-all.sh does)"
    );
    assert!(
        std::env::var("PAAS_TEST_REQUIRE_PLATFORM").as_deref() != Ok("1"),
        "PAAS_TEST_REQUIRE_PLATFORM=1 but {message}"
    );
    eprintln!("SKIPPED: {message}");
    false
}

/// `paas init` with the test's build and base images, then the company feed: the fixture's
/// `NuGet.config` names `https://nuget.contoso.example`, which the test replaces by a folder
/// feed in the build context (the Dockerfile's restore copies `*.nupkg` and `NuGet.config`).
fn init_with_feed(env: &TestEnv, name: &str) {
    let build = format!("build_image={BUILD_IMAGE}");
    let base = format!("base_image={JEXUS_IMAGE}");
    let output = env
        .paas()
        .args([
            "init", "--yes", "--name", name, "--set", &build, "--set", &base,
        ])
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let config = env.read("NuGet.config");
    assert!(
        config.contains("https://nuget.contoso.example/v2/"),
        "{config}"
    );
    env.write(
        "NuGet.config",
        &config.replace("https://nuget.contoso.example/v2/", "/src/nuget-feed"),
    );
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/platform/mono-image.sh");
    let feed = env.project.join("nuget-feed");
    let output = Command::new("bash")
        .arg(&script)
        .arg("feed")
        .arg(&feed)
        .output()
        .expect("bash runs");
    assert!(
        output.status.success(),
        "the feed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn build_and_run(env: &TestEnv, name: &str) -> Running {
    build_and_start(env, name, UID)
}

/// The files of the site in the image, relative to its folder.
fn site_files(running: &Running, app: &str) -> Vec<String> {
    let folder = format!("/var/www/{app}");
    let listing = docker(&[
        "run",
        "--rm",
        "--entrypoint",
        "find",
        &running.image,
        &folder,
        "-type",
        "f",
    ]);
    let mut files: Vec<String> = listing
        .lines()
        .map(|line| line.trim_start_matches(&folder).to_owned())
        .collect();
    files.sort();
    files
}

/// Asserts that none of `paths` is served (404, or 403 from ASP.NET's forbidden handler).
fn not_served(running: &Running, paths: &[&str]) {
    for path in paths {
        let (status, _, body) = must_get(running.port, path);
        assert!(
            status == 404 || status == 403,
            "{path} answered {status}: {body}"
        );
    }
}

#[tokio::test]
async fn classic_webforms_site_is_restored_built_published_and_served() {
    let Some(_platform) = Platform::setup().await else {
        return;
    };
    if !mono_images() {
        return;
    }
    let env = TestEnv::fixture("classic-webforms");
    init_with_feed(&env, "timesheets");
    let running = build_and_run(&env, "classic-webforms");

    let (status, _, body) = first_answer(&running, "/Default.aspx", MONO_FIRST_ANSWER);
    assert_eq!(status, 200, "{body}");
    // The label is set by the code-behind, compiled in the build stage against the package
    // restored from the company feed.
    assert!(
        body.contains(
            "Hello from Contoso.Greetings, timesheets (code-behind compiled in the build stage)"
        ),
        "{body}"
    );
    let (status, _, root) = must_get(running.port, "/");
    assert_eq!(status, 200, "the default document: {root}");
    assert!(root.contains("<h1>Timesheets</h1>"), "{root}");
    not_served(
        &running,
        &[
            "/Default.aspx.cs",
            "/Default.aspx.designer.cs",
            "/Timesheets.csproj",
            "/packages.config",
            "/NuGet.config",
            "/nuget-feed/Contoso.Greetings.1.0.0.nupkg",
        ],
    );
    assert_eq!(
        site_files(&running, "timesheets"),
        [
            "/Default.aspx",
            "/Web.config",
            "/bin/Contoso.Greetings.dll",
            "/bin/Timesheets.dll"
        ]
    );
}

#[tokio::test]
async fn classic_mvc_site_is_restored_built_published_and_routes() {
    let Some(_platform) = Platform::setup().await else {
        return;
    };
    if !mono_images() {
        return;
    }
    let env = TestEnv::fixture("classic-mvc");
    init_with_feed(&env, "store");
    let running = build_and_run(&env, "classic-mvc");

    let (status, _, body) = first_answer(&running, "/products/7", MONO_FIRST_ANSWER);
    assert_eq!((status, body.trim()), (200, "MVC route: product 7"));
    // The route's constraint: not a number, no route.
    assert_eq!(must_get(running.port, "/products/seven").0, 404);
    not_served(
        &running,
        &[
            "/Global.asax.cs",
            "/Controllers/ProductsController.cs",
            "/Store.Web.csproj",
            "/packages.config",
            "/Views/Web.config",
        ],
    );
    // Only the web project's published site: the class library as a dll, never the test project.
    assert_eq!(
        site_files(&running, "store"),
        [
            "/Global.asax",
            "/Views/Web.config",
            "/Web.config",
            "/bin/Store.Core.dll",
            "/bin/Store.Web.dll",
            "/bin/System.Web.Mvc.dll"
        ]
    );
}

#[test]
fn detect_and_init_every_classic_fixture() {
    for fixture in FIXTURES {
        let env = TestEnv::fixture(fixture);
        let output = paas_snapshot!(
            env,
            &mut env.paas().arg("detect"),
            format!("classic_detect_{fixture}")
        );
        if fixture == "classic-two-sites" {
            assert_eq!(output.status.code(), Some(2), "ambiguous is a usage error");
            // The site the hint names: the others are set aside, each with why.
            let output = paas_snapshot!(
                env,
                env.paas().args(["detect", "--project", "Shop/Shop.csproj"]),
                "classic_detect_classic-two-sites_project"
            );
            assert!(output.status.success());
            continue;
        }
        assert!(output.status.success(), "{fixture}");
        let json = env
            .paas()
            .args(["detect", "--output", "json"])
            .output()
            .expect("runs");
        let value: serde_json::Value =
            serde_json::from_slice(&json.stdout).expect("detect --output json is JSON");
        insta::assert_json_snapshot!(format!("classic_detect_json_{fixture}"), value);

        let before = env.tree();
        let output = paas_snapshot!(
            env,
            env.paas()
                .args(["init", "--yes", "--registry", "registry.example.com/team"]),
            format!("classic_init_{fixture}")
        );
        assert!(output.status.success(), "{fixture}");
        crate::lint::lint(&env, fixture);
        let written: Vec<(String, String)> = env
            .tree()
            .into_iter()
            .filter(|file| !before.contains(file))
            .collect();
        assert!(
            written.iter().any(|(path, _)| path == "Dockerfile"),
            "{fixture}"
        );
        for (path, text) in &written {
            insta::assert_snapshot!(
                format!("classic_init_{fixture}__{}", path.replace('/', "_")),
                text
            );
        }
    }
}
