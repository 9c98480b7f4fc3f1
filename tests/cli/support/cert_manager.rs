//! cert-manager's CRDs on the test cluster, taken from its Go module as the Go module proxy
//! serves it (`go mod download`; the files under `deploy/crds/`), cached in the Go module cache
//! outside the repository, keyed by version. No controller runs: a test creates the objects and
//! sets their status as cert-manager would.
//!
//! The CRDs stay installed: only `paas domains` reads cert-manager's objects, so other tests see
//! no difference.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;
use std::sync::Mutex;

use crate::support::platform::Platform;

/// The cert-manager release whose CRDs the tests install.
pub(crate) const VERSION: &str = "v1.19.1";

/// Installs cert-manager's CRDs (once per test process) and waits until they are served.
/// Returns `false` (after printing why) when Go is missing and the platform is not required.
#[allow(clippy::print_stderr)]
pub(crate) fn install_crds(platform: &Platform) -> bool {
    static DONE: Mutex<bool> = Mutex::new(false);
    let mut done = DONE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if *done {
        return true;
    }
    let module = format!("github.com/cert-manager/cert-manager@{VERSION}");
    let output = match Command::new("go")
        .args(["mod", "download", "-json", &module])
        .current_dir(std::env::temp_dir())
        .env("GOFLAGS", "-mod=mod")
        .output()
    {
        Ok(output) => output,
        Err(err) => {
            let required = std::env::var("PAAS_TEST_REQUIRE_PLATFORM").is_ok_and(|v| v == "1");
            assert!(
                !required,
                "PAAS_TEST_REQUIRE_PLATFORM=1 but `go` does not run: {err}"
            );
            eprintln!("skipped: needs `go` to fetch cert-manager's CRDs ({err})");
            return false;
        }
    };
    assert!(
        output.status.success(),
        "go mod download {module}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let info: serde_json::Value = serde_json::from_slice(&output.stdout).expect("go's JSON");
    let dir = PathBuf::from(info["Dir"].as_str().expect("the module's folder"));
    let crds = dir.join("deploy/crds");
    let status = platform
        .kubectl()
        .args(["apply", "--server-side", "--force-conflicts", "-f"])
        .arg(&crds)
        .output()
        .expect("kubectl runs");
    assert!(
        status.status.success(),
        "applying {}: {}",
        crds.display(),
        String::from_utf8_lossy(&status.stderr)
    );
    for crd in [
        "certificates.cert-manager.io",
        "clusterissuers.cert-manager.io",
        "issuers.cert-manager.io",
    ] {
        let wait = platform
            .kubectl()
            .args([
                "wait",
                "--for",
                "condition=established",
                "--timeout",
                "60s",
                &format!("crd/{crd}"),
            ])
            .output()
            .expect("kubectl runs");
        assert!(
            wait.status.success(),
            "{crd}: {}",
            String::from_utf8_lossy(&wait.stderr)
        );
    }
    *done = true;
    true
}
