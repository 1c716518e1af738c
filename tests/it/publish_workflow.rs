//! The GitHub Pages workflow `archive new` writes: where it installs the tool from, and what its
//! first step does when that is not set. The step's shell script is taken out of the YAML and run
//! with bash as the runner would run it, so the test sees the message a user would see.
//! (`scripts/test.sh` also runs actionlint on the same files.)

use std::path::Path;
use std::process::{Command, Output};

fn archive_new(dir: &Path, tool_repo: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_archive"));
    command.arg("new").arg(dir);
    if let Some(url) = tool_repo {
        command.args(["--tool-repo", url]);
    }
    command.output().expect("run archive new")
}

/// The `run: |` block of the step with `id: <id>`, unindented.
fn step_script(workflow: &str, id: &str) -> String {
    let lines: Vec<&str> = workflow.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.trim() == format!("id: {id}"))
        .unwrap_or_else(|| panic!("a step with id {id}"));
    let run = at
        + lines[at..]
            .iter()
            .position(|l| l.trim() == "run: |")
            .expect("the step has a run: | block");
    let body: Vec<&str> = lines[run + 1..]
        .iter()
        .take_while(|l| l.starts_with("          ") || l.trim().is_empty())
        .copied()
        .collect();
    assert!(
        !body.iter().any(|l| l.contains("${{")),
        "the script reads only environment variables (no expression pasted into shell)"
    );
    body.iter()
        .map(|l| l.get(10..).unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs the first step as a GitHub runner would (`bash -eo pipefail`, its default shell), with ARCHIVE_TOOL_REPO as given; returns the
/// output, and what it wrote to GITHUB_OUTPUT.
fn run_first_step(workflow: &str, tool_repo: &str) -> (Output, String) {
    let dir = tempfile::tempdir().unwrap();
    let (outputs, path) = (dir.path().join("output"), dir.path().join("path"));
    std::fs::write(&outputs, "").unwrap();
    let out = Command::new("bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail", "-c"])
        .arg(step_script(workflow, "tool"))
        .env("ARCHIVE_TOOL_REPO", tool_repo)
        .env("GITHUB_OUTPUT", &outputs)
        .env("GITHUB_PATH", &path)
        .env("HOME", dir.path())
        .output()
        .expect("run bash");
    (out, std::fs::read_to_string(&outputs).unwrap())
}

#[test]
fn without_tool_repo_the_workflow_reads_the_variable_and_its_first_step_says_what_to_set() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("a");
    let out = archive_new(&site, None);
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("ARCHIVE_TOOL_REPO"),
        "new tells what to set: {stdout}"
    );
    let workflow = std::fs::read_to_string(site.join(".github/workflows/pages.yml")).unwrap();
    assert_eq!(
        workflow,
        std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/github-pages.yml")
        )
        .unwrap(),
        "without --tool-repo the workflow is docs/github-pages.yml as it is"
    );
    assert!(workflow.contains("ARCHIVE_TOOL_REPO: ${{ vars.ARCHIVE_TOOL_REPO }}"));
    assert!(
        !workflow.contains("github.com/"),
        "no tool repository is made up"
    );

    let (run, written) = run_first_step(&workflow, "");
    assert_eq!(run.status.code(), Some(1), "the first step fails at once");
    let said = String::from_utf8_lossy(&run.stdout);
    assert!(
        said.starts_with("::error")
            && said.contains("Set the repository variable ARCHIVE_TOOL_REPO"),
        "an error annotation that says what to set: {said}"
    );
    assert!(said.contains("--tool-repo"), "and the other way: {said}");
    assert_eq!(written, "", "no commit is given to the cache step");
}

#[test]
fn with_tool_repo_the_workflow_installs_from_that_url_and_keys_the_cache_on_its_commit() {
    // A real git repository: a clone of this one, by path. A clone has
    // `refs/remotes/origin/HEAD` besides `HEAD`, as CI's checkout and most
    // hosted repositories do, so `ls-remote HEAD` lists two lines.
    let dir = tempfile::tempdir().unwrap();
    let clone = dir.path().join("tool");
    let cloned = Command::new("git")
        .args(["clone", "--quiet", env!("CARGO_MANIFEST_DIR")])
        .arg(&clone)
        .output()
        .unwrap();
    assert!(cloned.status.success(), "{cloned:?}");
    let repo = clone.to_str().unwrap();
    let url = format!("file://{repo}");
    let site = dir.path().join("b");
    let out = archive_new(&site, Some(&url));
    assert!(out.status.success(), "{out:?}");
    let workflow = std::fs::read_to_string(site.join(".github/workflows/pages.yml")).unwrap();
    assert!(
        workflow.contains(&format!("  ARCHIVE_TOOL_REPO: '{url}'\n")),
        "{workflow}"
    );
    assert!(!workflow.contains("ARCHIVE_TOOL_REPO: ${{ vars."));
    assert!(workflow.contains("cargo install --locked"));
    assert!(workflow.contains("--git \"$ARCHIVE_TOOL_REPO\""));
    assert!(
        workflow.contains("key: archive-tool-${{ runner.os }}-${{ steps.tool.outputs.commit }}")
    );
    assert!(workflow.contains("if: steps.cache.outputs.cache-hit != 'true'"));

    let head = Command::new("git")
        .args(["-C", repo, "rev-parse", "HEAD"])
        .output()
        .unwrap();
    assert!(head.status.success(), "{head:?}");
    let head = String::from_utf8(head.stdout).unwrap();
    let (run, written) = run_first_step(&workflow, &url);
    assert!(run.status.success(), "{run:?}");
    assert_eq!(
        written,
        format!("commit={}", head),
        "the cache key is the tool repository's HEAD commit"
    );

    // A repository that is not there stops the job with a message too.
    let (run, _) = run_first_step(&workflow, &format!("file://{repo}/no-such-repository"));
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stdout).contains("::error title=Archive tool not found"));
}

#[test]
fn a_tool_repo_that_would_break_the_yaml_is_refused_and_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    for bad in ["", "https://x/a b", "x' }}", "${{ secrets.TOKEN }}", "a\nb"] {
        let site = dir.path().join("c");
        let out = archive_new(&site, Some(bad));
        assert!(!out.status.success(), "{bad:?} refused");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("--tool-repo"),
            "{out:?}"
        );
        assert!(!site.exists(), "nothing written for {bad:?}");
    }
}
