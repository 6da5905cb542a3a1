//! Every command of the README's quick start works as written, from the repository root: no
//! command fails to run (exit 2 or a missing program), the ones marked `exit 0` pass, and
//! nothing is written into the repository.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

/// The shell lines of the README's code blocks before "## Commands".
fn commands() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let start = readme.find("## Quick start").unwrap();
    let end = readme.find("## Commands").unwrap();
    let mut out = Vec::new();
    let mut in_block = false;
    for line in readme[start..end].lines() {
        match line.trim() {
            "```sh" => in_block = true,
            "```" => in_block = false,
            l if in_block && !l.is_empty() => out.push(l.to_string()),
            _ => {}
        }
    }
    out
}

fn root_entries() -> BTreeSet<String> {
    std::fs::read_dir(env!("CARGO_MANIFEST_DIR"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn every_quick_start_command_runs() {
    let before = root_entries();
    let all = commands();
    assert!(all.len() >= 20, "{all:?}");
    let bin = env!("CARGO_BIN_EXE_sansou");
    let mut ran = 0;
    for line in &all {
        // The tests themselves, and an example binary cargo would have to build, are not run
        // from inside a test.
        if line.starts_with("cargo test") || line.starts_with("cargo run --example") {
            continue;
        }
        let script = line.replace("cargo run -- ", &format!("{bin} "));
        assert!(!script.contains("cargo "), "{line}");
        let o = Command::new("sh")
            .args(["-c", &script])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("LANG", "C")
            .output()
            .expect("sh runs");
        let code = o.status.code();
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            matches!(code, Some(0) | Some(1)),
            "{line}\nexit {code:?}\n{err}"
        );
        if line.contains("exit 0") {
            assert_eq!(code, Some(0), "{line}\n{err}");
        }
        ran += 1;
    }
    assert!(ran >= 18);
    assert_eq!(
        root_entries(),
        before,
        "a README command wrote into the repository"
    );
}
