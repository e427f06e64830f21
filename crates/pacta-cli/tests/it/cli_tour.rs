//! The README's tour, run as written: each line of its first `sh` block, in order, in a fresh
//! directory holding a copy of `examples/`, with `pacta` on the `PATH` as the binary under
//! test (the block's `alias` line is what a reader types instead). A line succeeds, or exits
//! with the code its comment documents (`# exit 3: …`).

use std::path::Path;
use std::process::Command as Process;

/// The tour's command lines: the first fenced `sh` block after `## A tour`.
fn tour_lines(readme: &str) -> Vec<String> {
    let after = readme
        .split("## A tour")
        .nth(1)
        .expect("the README has a tour");
    let block = after
        .split("```sh\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("the tour has an sh block");
    block
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with("alias "))
        .map(String::from)
        .collect()
}

/// The exit codes a line may end with: 0, and the one its comment names (`# exit 3: …`).
fn allowed_codes(line: &str) -> Vec<i32> {
    let mut codes = vec![0];
    if let Some(comment) = line.split("  # ").nth(1)
        && let Some(code) = comment
            .strip_prefix("exit ")
            .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|n| n.parse().ok())
    {
        codes.push(code);
    }
    codes
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}

#[test]
fn the_readme_tour_runs_as_written_in_a_fresh_directory() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README");
    let lines = tour_lines(&readme);
    assert!(lines.len() > 20, "{} tour lines", lines.len());
    assert_eq!(allowed_codes("pacta plan x   # exit 3: at risk"), [0, 3]);

    let dir = tempfile::tempdir().expect("temp dir");
    let work = dir.path().join("tour");
    copy_dir(&root.join("examples"), &work.join("examples"));
    let bin = dir.path().join("bin");
    std::fs::create_dir_all(&bin).expect("bin dir");
    let pacta = assert_cmd::cargo::cargo_bin("pacta");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&pacta, bin.join("pacta")).expect("link pacta");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for line in &lines {
        let out = Process::new("sh")
            .arg("-c")
            .arg(line)
            .current_dir(&work)
            .env("PATH", &path)
            .env_remove("PACTA_LANG")
            .env_remove("PACTA_DB")
            .env("PACTA_ACTOR", "reader")
            .output()
            .expect("sh runs");
        let code = out.status.code().unwrap_or(-1);
        assert!(
            allowed_codes(line).contains(&code),
            "`{line}` exited {code}:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
