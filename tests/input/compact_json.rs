//! A design written as compact JSON (the whole document on one line, as many programs write
//! JSON): every warning is located exactly, in characters, and its snippet is a short window of
//! the line, not the line. The design is the generated tier S, written by `sansou generate
//! --format json-compact` and `--format json` (pretty), whose warnings must agree.

use std::path::{Path, PathBuf};
use std::process::Command;

fn sansou(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_sansou"))
        .args(args)
        .env_remove("SANSOU_MAX_MEMORY")
        .output()
        .expect("sansou runs");
    let code = out.status.code().expect("sansou exits");
    (
        code,
        String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    )
}

/// Tier S written in `format`, in a directory of its own; returns the file.
fn generate(format: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "sansou-compact-json-{}-{format}",
        std::process::id()
    ));
    let dir_arg = dir.display().to_string();
    let args = ["generate", "--tier", "S", "--format", format];
    let (code, stderr) = sansou(&[&args[..], &["--output", &dir_arg]].concat());
    assert_eq!(code, 0, "{stderr}");
    dir.join("topology.json")
}

/// Every `FILE:LINE:COLUMN` that names `file` in `stderr`, in order.
fn positions(stderr: &str, file: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    for (at, _) in stderr.match_indices(file) {
        let mut parts = stderr[at + file.len()..].split(':').skip(1);
        let mut number = || {
            let digits: String = parts
                .next()?
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse().ok()
        };
        if let (Some(line), Some(column)) = (number(), number()) {
            found.push((line, column));
        }
    }
    found
}

/// The text at a one-based line and column (in characters).
fn at(text: &str, (line, column): (usize, usize)) -> String {
    let line = text.lines().nth(line - 1).expect("the line exists");
    line.chars().skip(column - 1).take(10).collect()
}

fn warnings(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("warning"))
        .collect()
}

#[test]
fn warnings_on_compact_json_are_exact_and_their_snippets_short() {
    let compact = generate("json-compact");
    let pretty = generate("json");
    let compact_text = std::fs::read_to_string(&compact).unwrap();
    let pretty_text = std::fs::read_to_string(&pretty).unwrap();
    assert_eq!(compact_text.lines().count(), 1);
    // Multi-byte characters before the warnings make columns differ from byte offsets.
    assert!(compact_text.len() > compact_text.chars().count());

    let name = |p: &Path| p.display().to_string();
    let (code, compact_err) = sansou(&["validate", &name(&compact)]);
    assert_eq!(code, 0, "{compact_err}");
    let (code, pretty_err) = sansou(&["validate", &name(&pretty)]);
    assert_eq!(code, 0, "{pretty_err}");

    // The same warnings in the same order: the shape of the text changes nothing else.
    assert!(!warnings(&compact_err).is_empty());
    assert_eq!(warnings(&compact_err), warnings(&pretty_err));

    // Each warning is about a rule (and names the rules that cover it): every position, in the
    // header and in the notes, is the opening brace of a rule, counted in characters.
    let compact_places = positions(&compact_err, &name(&compact));
    let pretty_places = positions(&pretty_err, &name(&pretty));
    assert!(compact_places.len() > warnings(&compact_err).len());
    for &p in &compact_places {
        assert!(at(&compact_text, p).starts_with("{\"action\""), "{p:?}");
    }
    for &p in &pretty_places {
        assert!(at(&pretty_text, p).starts_with('{'), "{p:?}");
    }

    // Snippets: a window of 120 characters of the 30 kB line, said as such; the pretty form's
    // short lines are shown whole.
    for line in compact_err.lines().filter(|l| l.starts_with("1 │ ")) {
        assert!(line.chars().count() <= 4 + 120, "{line}");
    }
    assert!(compact_err.contains("the snippet shows columns"));
    assert!(!pretty_err.contains("the snippet shows columns"));
}

/// Tier M written compactly is over 2 MB, so its long arrays (hosts, firewalls) are parsed on
/// several threads: the tree and every location are the whole parse's, and a problem anywhere
/// is reported exactly as the whole parse reports it.
#[test]
fn a_large_document_parsed_in_pieces_is_the_whole_parse() {
    use sansou::diag::Diagnostics;
    use sansou::load::json_doc::{parse, parse_whole};
    use sansou::source::FileId;

    let dir = std::env::temp_dir().join(format!("sansou-json-pieces-{}", std::process::id()));
    let dir_arg = dir.display().to_string();
    let args = ["generate", "--tier", "M", "--format", "json-compact"];
    let (code, stderr) = sansou(&[&args[..], &["--output", &dir_arg]].concat());
    assert_eq!(code, 0, "{stderr}");
    let text = std::fs::read_to_string(dir.join("topology.json")).unwrap();
    assert!(text.len() >= 2 << 20, "large enough to be parsed in pieces");

    let both = |text: &str| {
        let (mut in_pieces, mut whole) = (Diagnostics::default(), Diagnostics::default());
        let a = parse(FileId(0), text, &mut in_pieces).map(|n| format!("{n:?}"));
        let b = parse_whole(FileId(0), text, &mut whole).map(|n| format!("{n:?}"));
        assert_eq!(a, b);
        assert_eq!(format!("{in_pieces:?}"), format!("{whole:?}"));
        (a.is_some(), whole.items.len())
    };
    assert_eq!(both(&text), (true, 0));
    // Pretty-printed, and with a host far into the array broken in three ways.
    let pretty: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        both(&serde_json::to_string_pretty(&pretty).unwrap()),
        (true, 0)
    );
    let ids: Vec<usize> = text.match_indices("{\"id\":\"").map(|(at, _)| at).collect();
    assert!(ids.len() > 1000);
    let middle = ids[ids.len() / 2];
    for (broken, problems) in [
        ("{\"id\":null,\"id\":\"", 2),
        ("{\"id\":\"x\",\"id\":\"", 1),
        ("{\"id\":\"\\q", 1),
    ] {
        let text = format!("{}{broken}{}", &text[..middle], &text[middle + 7..]);
        assert_eq!(both(&text), (false, problems), "{broken}");
    }
    // A byte of structure inserted at places spread over the arrays (inside a string it may
    // leave the text valid): whatever the scan makes of it, the answer is the whole parse's,
    // and nothing panics.
    for (k, byte) in ["]", "\"", "\\", ",", "{", "[", "}", "é"]
        .iter()
        .enumerate()
    {
        let mut at = text.len() / 9 * (k + 1);
        while !text.is_char_boundary(at) {
            at += 1;
        }
        let text = format!("{}{byte}{}", &text[..at], &text[at..]);
        both(&text);
    }
}
