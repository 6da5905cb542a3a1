//! `sansou init`: every model's starter validates as written, checks with no failure, and the
//! checklist it prints is exactly the unknown findings of `check`; it never overwrites.

use std::path::PathBuf;
use std::process::{Command, Output};

fn sansou(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sansou"))
        .args(args)
        .env("LANG", "C")
        .env("SOURCE_DATE_EPOCH", "1727740800")
        .output()
        .expect("sansou runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn temp_dir(what: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sansou-init-{what}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// `CODE subject` of every checklist line (`  [ ] CODE subject: message`).
fn checklist(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter_map(|l| l.strip_prefix("  [ ] "))
        .map(|l| {
            l.split_once(": ")
                .expect("CODE subject: message")
                .0
                .to_string()
        })
        .collect()
}

#[test]
fn each_model_validates_and_lists_its_unknowns() {
    for model in ["alpha", "alpha-prime", "beta", "beta-prime"] {
        let dir = temp_dir(model);
        let out = dir.to_str().unwrap();
        let init = sansou(&[
            "init",
            "--model",
            model,
            "--name",
            "さんそう\"市\"",
            "--output",
            out,
        ]);
        assert_eq!(
            init.status.code(),
            Some(0),
            "{model}: {}",
            text(&init.stderr)
        );
        let listed = checklist(&text(&init.stdout));
        assert!(
            !listed.is_empty(),
            "{model}: the starter leaves facts to fill in"
        );

        let topology = dir.join("topology");
        let policy = dir.join("policy.toml");
        let (topology, policy) = (topology.to_str().unwrap(), policy.to_str().unwrap());
        let validate = sansou(&["validate", topology, "--policy", policy]);
        assert_eq!(validate.status.code(), Some(0), "{model}");
        assert_eq!(text(&validate.stderr), "", "{model}: no warning either");
        assert!(text(&validate.stdout).contains("さんそう\"市\""), "{model}");

        let check = sansou(&["check", topology, "--policy", policy, "--format", "json"]);
        assert_eq!(check.status.code(), Some(0), "{model}: nothing fails");
        let json: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
        let unknown: Vec<String> = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["verdict"] == "unknown")
            .map(|f| {
                format!(
                    "{} {}",
                    f["code"].as_str().unwrap(),
                    f["subject"].as_str().unwrap()
                )
            })
            .collect();
        assert_eq!(
            listed, unknown,
            "{model}: the checklist is check's unknowns"
        );
        assert_eq!(json["summary"]["deny"], 0, "{model}");
        assert_eq!(json["summary"]["warn"], 0, "{model}");
        // The model chosen is the one declared.
        let design = std::fs::read_to_string(dir.join("topology/design.toml")).unwrap();
        assert!(design.contains(&format!("model = \"{model}\"")), "{model}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn init_never_overwrites() {
    let dir = temp_dir("overwrite");
    std::fs::create_dir_all(dir.join("topology")).unwrap();
    std::fs::write(dir.join("topology/fw-lg.toml"), "mine").unwrap();
    let out = dir.to_str().unwrap();
    let init = sansou(&["init", "--model", "alpha", "--output", out]);
    assert_eq!(init.status.code(), Some(2));
    let err = text(&init.stderr);
    assert!(err.contains("refusing to overwrite"), "{err}");
    assert!(err.contains("fw-lg.toml"), "{err}");
    // Nothing else was written, and the file is untouched.
    assert!(!dir.join("policy.toml").exists());
    assert!(!dir.join("topology/design.toml").exists());
    assert_eq!(
        std::fs::read_to_string(dir.join("topology/fw-lg.toml")).unwrap(),
        "mine"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn help_lists_the_new_commands() {
    let help = text(&sansou(&["--help"]).stdout);
    assert!(help.contains("\n  init "), "{help}");
    assert!(help.contains("import inventory"), "{help}");
}
