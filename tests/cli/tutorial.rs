//! The tutorials cannot rot: every command of their `sh` blocks is run, in order, against the
//! built binary in a fresh directory holding the tutorial's example files, as a reader would.
//! `sansou check` and `sansou report` may exit 1 (the tutorial's design has findings on
//! purpose); every other command must exit 0.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The commands of a Markdown file's fenced `sh` blocks, one per line (comments and blank
/// lines left out, `\` continuations joined).
fn commands(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_sh = false;
    let mut pending = String::new();
    for line in markdown.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            in_sh = !in_sh && trimmed == "```sh";
            continue;
        }
        if !in_sh || trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if let Some(head) = trimmed.strip_suffix('\\') {
            pending.push_str(head);
            continue;
        }
        pending.push_str(trimmed);
        out.push(std::mem::take(&mut pending));
    }
    out
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
    }
}

fn run_tutorial(doc: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let markdown = std::fs::read_to_string(root.join("docs").join(doc)).unwrap();
    let dir = std::env::temp_dir().join(format!("sansou-tutorial-{doc}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(
        &root.join("examples/tutorial"),
        &dir.join("examples/tutorial"),
    );
    let bin = Path::new(env!("CARGO_BIN_EXE_sansou")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let cmds = commands(&markdown);
    assert!(cmds.len() >= 6, "{doc}: {cmds:?}");
    for cmd in &cmds {
        let o = Command::new("sh")
            .args(["-c", cmd])
            .current_dir(&dir)
            .env("PATH", &path)
            .env("LANG", "ja_JP.UTF-8")
            .env("SOURCE_DATE_EPOCH", "1727740800")
            .output()
            .unwrap();
        let may_find = cmd.starts_with("sansou check") || cmd.starts_with("sansou report");
        let ok = o.status.code() == Some(0) || (may_find && o.status.code() == Some(1));
        assert!(
            ok,
            "{doc}: `{cmd}` exited {:?}\n{}{}",
            o.status.code(),
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
    }
    dir
}

#[test]
fn the_japanese_tutorial_runs_as_written() {
    let dir = run_tutorial("TUTORIAL.md");
    // It ends where it promises: the ledger's hosts, the firewall, a report.
    let hosts = std::fs::read_to_string(dir.join("sansou-city/topology/daicho.toml")).unwrap();
    assert!(hosts.contains("count = 12"), "{hosts}");
    let fw = std::fs::read_to_string(dir.join("sansou-city/topology/fw-lg.toml")).unwrap();
    assert!(fw.contains("fgt-honcho.conf:154"), "{fw}");
    let report = std::fs::read_to_string(dir.join("sansou-city/report.html")).unwrap();
    assert!(report.contains("LG-001"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_english_tutorial_runs_as_written() {
    let dir = run_tutorial("TUTORIAL.en.md");
    assert!(dir.join("sansou-city/report.html").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn both_tutorials_run_the_same_commands() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    let ja = commands(&std::fs::read_to_string(root.join("TUTORIAL.md")).unwrap());
    let en = commands(&std::fs::read_to_string(root.join("TUTORIAL.en.md")).unwrap());
    assert_eq!(ja, en);
}

#[test]
fn commands_are_read_from_sh_blocks_only() {
    let md = "text\n```sh\n# comment\nsansou a \\\n  --b\n\nsansou c\n```\n```toml\nx = 1\n```\n```\nsansou d\n```\n";
    assert_eq!(commands(md), ["sansou a --b", "sansou c"]);
}
