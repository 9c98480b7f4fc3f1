//! `paas up` with a build step that fails: what the step printed is shown without
//! `--verbose` (its last lines), before the error, and nothing is applied.

use k8s_openapi::api::apps::v1::Deployment;

use crate::support::app::{filtered, new_content, site, stderr, up};
use crate::support::platform::Platform;

#[tokio::test]
async fn a_failing_step_shows_its_last_lines_without_verbose() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    new_content(&env, &platform, "failing build");
    let dockerfile = env.read("Dockerfile");
    env.write(
        "Dockerfile",
        &format!(
            "{dockerfile}\nRUN i=0; while [ $i -lt 30 ]; do i=$((i+1)); echo \"compiling part $i\"; done; sleep 1; echo 'error: part 31 is missing' >&2; exit 1\n"
        ),
    );
    // The engine forwards stdout and stderr separately, in no fixed order: the pause puts the
    // error (on stderr) after the other lines.
    let output = up(&env, &platform, &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = filtered(&stderr(&output), &platform);
    // The status lines before the failing step depend on the base image; the rest is the
    // point.
    let from = text.find("\n`RUN").expect("the step's lines are shown");
    insta::assert_snapshot!("build_failing_step", &text[from..]);
    assert!(
        platform
            .api::<Deployment>()
            .get_opt("site")
            .await
            .expect("read")
            .is_none(),
        "nothing applied"
    );
}
