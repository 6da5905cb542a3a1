//! A reader that stops early (`sansou check city.toml | head`) must not change what sansou
//! answers: no panic (exit 101), and the exit code the command has with its output read to the
//! end (1 for deny-level findings, 2 for an input that does not load).
//!
//! Each command runs three ways, many times:
//! - stdout and stderr closed before sansou writes a byte: every write fails (deterministic);
//! - stdout closed, stderr read to the end: it must not mention a panic;
//! - stdout and stderr one pipe, read up to the first line and then closed, like
//!   `2>&1 | head -1`: whether sansou's later writes fail depends on timing, which is what the
//!   repetition is for.

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Runs of the timing-dependent way per command; `CLOSED_PIPE_RUNS=100` asks for more when
/// hunting a rare failure. The two deterministic ways run twice.
fn runs() -> usize {
    std::env::var("CLOSED_PIPE_RUNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(20)
}

fn command(args: &[String]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_sansou"));
    c.args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("LANG", "C")
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .env_remove("SANSOU_TIMINGS")
        .stdin(Stdio::null());
    c
}

/// A fresh empty directory for commands that write files (`init` refuses to overwrite).
fn fresh_dir(what: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("closed_pipes")
        .join(format!("{what}-{}", NEXT.fetch_add(1, Ordering::Relaxed)));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// sansou with stdout and stderr piped to us, and stdout closed before its first write.
fn spawn_with_stdout_closed(args: &[String]) -> std::process::Child {
    let mut child = command(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sansou runs");
    drop(child.stdout.take());
    child
}

/// Both pipes closed before the first write.
fn both_closed(args: &[String]) -> Option<i32> {
    let mut child = spawn_with_stdout_closed(args);
    drop(child.stderr.take());
    child.wait().expect("sansou ends").code()
}

/// stdout closed before the first write; stderr read to the end.
fn stdout_closed(args: &[String]) -> (Option<i32>, String) {
    let mut child = spawn_with_stdout_closed(args);
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .expect("stderr is text");
    (child.wait().expect("sansou ends").code(), err)
}

/// stdout and stderr into one pipe, read up to the first line, then closed (`2>&1 | head -1`).
fn first_line_only(args: &[String]) -> Option<i32> {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    let mut child = command(args)
        .stdout(writer.try_clone().expect("a pipe end"))
        .stderr(writer)
        .spawn()
        .expect("sansou runs");
    // The command holds our copies of the write end until it is dropped with it.
    let mut line = String::new();
    let _ = BufReader::new(reader).read_line(&mut line);
    child.wait().expect("sansou ends").code()
}

/// Runs `args` (rebuilt per run, for commands that need a fresh directory) every way, many
/// times, and checks every exit code is `expected`, the code of a run read to the end.
fn closing_early_keeps_the_exit_code(expected: i32, args: impl Fn() -> Vec<String>) {
    let a = args();
    let full = command(&a).output().expect("sansou runs");
    assert_eq!(
        full.status.code(),
        Some(expected),
        "{a:?} read to the end: {}",
        String::from_utf8_lossy(&full.stderr)
    );
    for run in 0..2 {
        assert_eq!(
            both_closed(&args()),
            Some(expected),
            "{a:?}, both pipes closed (run {run})"
        );
        let (code, err) = stdout_closed(&args());
        assert_eq!(
            code,
            Some(expected),
            "{a:?}, stdout closed (run {run}): {err}"
        );
        assert!(!err.contains("panicked"), "{a:?}: {err}");
    }
    for run in 0..runs() {
        assert_eq!(
            first_line_only(&args()),
            Some(expected),
            "{a:?}, 2>&1 | head -1 (run {run})"
        );
    }
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

const CITY: &str = "topologies/alpha-city.toml";
/// Personal data within the internet's reach: `attack` exits 1.
const BETA: &str = "topologies/beta-town.toml";
const BASE: &str = "tests/fixtures/valid/base.toml";
const BAD: &str = "tests/fixtures/invalid/bad-services.toml";

#[test]
fn validate() {
    closing_early_keeps_the_exit_code(0, || strings(&["validate", CITY]));
    closing_early_keeps_the_exit_code(2, || strings(&["validate", BAD]));
}

#[test]
fn check_in_every_format() {
    for format in ["text", "json", "sarif", "csv"] {
        closing_early_keeps_the_exit_code(1, || strings(&["check", CITY, "--format", format]));
    }
    closing_early_keeps_the_exit_code(0, || strings(&["check", CITY, "--exit-zero"]));
    closing_early_keeps_the_exit_code(2, || strings(&["check", BAD]));
}

#[test]
fn paths_matrix_and_graph() {
    closing_early_keeps_the_exit_code(0, || {
        strings(&["paths", CITY, "--from", "any", "--to", "any"])
    });
    closing_early_keeps_the_exit_code(0, || strings(&["matrix", CITY, "--format", "json"]));
    closing_early_keeps_the_exit_code(0, || strings(&["graph", CITY, "--format", "svg"]));
    closing_early_keeps_the_exit_code(0, || strings(&["graph", BASE, "--format", "mermaid"]));
}

#[test]
fn attack_in_every_format() {
    for format in ["text", "json", "dot"] {
        closing_early_keeps_the_exit_code(1, || {
            strings(&["attack", BETA, "--no-fix", "--format", format])
        });
    }
}

#[test]
fn diff() {
    closing_early_keeps_the_exit_code(1, || {
        strings(&[
            "diff",
            "tests/fixtures/diff/opens-smb/before.toml",
            "tests/fixtures/diff/opens-smb/after.toml",
        ])
    });
}

#[test]
fn rules_explain_schema_and_usage() {
    closing_early_keeps_the_exit_code(0, || strings(&["rules"]));
    closing_early_keeps_the_exit_code(0, || strings(&["rules", "--format", "json"]));
    closing_early_keeps_the_exit_code(0, || strings(&["explain", "MN-001"]));
    closing_early_keeps_the_exit_code(2, || strings(&["explain", "MN-00"]));
    closing_early_keeps_the_exit_code(0, || strings(&["schema", "topology"]));
    closing_early_keeps_the_exit_code(0, || strings(&["--help"]));
    closing_early_keeps_the_exit_code(2, || strings(&["check"]));
}

#[test]
fn commands_that_write_files() {
    closing_early_keeps_the_exit_code(0, || {
        let dir = fresh_dir("init");
        strings(&[
            "init",
            "--model",
            "alpha",
            "--output",
            dir.to_str().unwrap(),
        ])
    });
    closing_early_keeps_the_exit_code(1, || {
        let out = fresh_dir("report").join("report.html");
        strings(&[
            "report",
            CITY,
            "--no-fix",
            "--output",
            out.to_str().unwrap(),
        ])
    });
    closing_early_keeps_the_exit_code(0, || {
        let dir = fresh_dir("generate");
        strings(&["generate", "--tier", "S", "--output", dir.to_str().unwrap()])
    });
    closing_early_keeps_the_exit_code(0, || {
        let dir = fresh_dir("import");
        strings(&[
            "import",
            "fortigate",
            "tests/fixtures/import/e2e/fgt-honcho.conf",
            "--map",
            "tests/fixtures/import/e2e/fgt-honcho.map.toml",
            "--output",
            dir.to_str().unwrap(),
        ])
    });
    closing_early_keeps_the_exit_code(0, || {
        let dir = fresh_dir("inventory");
        strings(&[
            "import",
            "inventory",
            "tests/fixtures/inventory/daicho.csv",
            "--map",
            "tests/fixtures/inventory/columns.toml",
            "--topology",
            "tests/fixtures/inventory/design.toml",
            "--output",
            dir.to_str().unwrap(),
        ])
    });
}
