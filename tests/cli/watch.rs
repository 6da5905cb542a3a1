//! `sansou check --watch` as a user runs it: the full check first, a change block after an edit,
//! an edit with a syntax error reported at its place while the watch goes on, and Ctrl-C ending
//! it with exit code 0. Waits have a generous deadline; nothing asserts how fast it is.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// How long to wait for the watch to answer before the test fails (a loaded machine is slow).
const DEADLINE: Duration = Duration::from_secs(120);

/// Lines of a stream, read on a thread of their own so a wait can time out.
fn lines(stream: impl Read + Send + 'static) -> Receiver<String> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// Reads lines until one contains `wanted`, returning every line read; fails at the deadline.
fn wait_for(rx: &Receiver<String>, wanted: &str, child: &mut Child) -> Vec<String> {
    let start = Instant::now();
    let mut seen = Vec::new();
    while start.elapsed() < DEADLINE {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(200)) {
            let done = line.contains(wanted);
            seen.push(line);
            if done {
                return seen;
            }
        }
    }
    let _ = child.kill();
    panic!("no line with `{wanted}` in time; got:\n{}", seen.join("\n"));
}

/// Writes a file so that the poll surely sees it change (its size differs, and time passes).
fn write(path: &Path, text: &str) {
    std::thread::sleep(Duration::from_millis(300));
    std::fs::write(path, text).unwrap();
}

#[test]
fn an_edit_prints_what_changed_an_error_keeps_the_last_result_and_ctrl_c_exits_0() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("watch");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("city.toml");
    let original = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/topologies/alpha-city.toml"
    ))
    .unwrap();
    std::fs::write(&file, &original).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_sansou"))
        .args(["check", "--watch", "--lang", "en"])
        .arg(&file)
        .env("LANG", "C")
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = lines(child.stdout.take().unwrap());
    let err = lines(child.stderr.take().unwrap());
    // The full check first, as `check` prints it.
    wait_for(&out, "summary:", &mut child);
    wait_for(&err, "watching the inputs", &mut child);

    // fw-mn's first rule lets one more port through.
    let widened = original.replacen(
        "to = \"172.20.1.10\"               # 自治体中間サーバー (LGWAN 上, アドレスは例示)\nservice = \"tcp/443\"",
        "to = \"172.20.1.10\"               # 自治体中間サーバー (LGWAN 上, アドレスは例示)\nservice = [\"tcp/443\", \"tcp/8080\"]",
        1,
    );
    assert_ne!(widened, original);
    write(&file, &widened);
    let block = wait_for(&out, "changed: fw-mn rule 1;", &mut child);
    let line = block.last().unwrap();
    assert!(
        line.contains("new ") && line.contains("narrowed "),
        "{line}"
    );
    wait_for(&out, "1 firewall(s) compiled", &mut child);

    // A syntax error: reported with its place, and the watch goes on.
    write(&file, &format!("{widened}\n[[firewall]\n"));
    let errors = wait_for(&err, "the last result stands", &mut child).join("\n");
    assert!(errors.contains("city.toml:"), "{errors}");

    // Back to the original: compared with the last good check, the widening is undone.
    write(&file, &original);
    wait_for(&out, "changed: fw-mn rule 1;", &mut child);

    // Ctrl-C.
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let start = Instant::now();
    loop {
        if let Some(code) = child.try_wait().unwrap() {
            assert_eq!(code.code(), Some(0));
            break;
        }
        assert!(
            start.elapsed() < DEADLINE,
            "the watch did not end on SIGINT"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn watch_refuses_another_format() {
    let o = Command::new(env!("CARGO_BIN_EXE_sansou"))
        .args([
            "check",
            "--watch",
            "--format",
            "json",
            concat!(env!("CARGO_MANIFEST_DIR"), "/topologies/alpha-city.toml"),
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}
