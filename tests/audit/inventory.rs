//! `sansou import inventory`: a ledger's rows → hosts placed in the design's segments.
//! Fixtures under tests/fixtures/inventory: a hand-written design, the column mapping, the same
//! ledger as UTF-8 CSV, with a BOM and CRLF, in Shift_JIS, and as a spreadsheet
//! (`make_xlsx.py`), and a ledger with one bad row per kind of error.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const FIXTURES: &str = "tests/fixtures/inventory";

fn sansou(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sansou"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("LANG", "C")
        .output()
        .expect("sansou runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn temp_dir(what: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sansou-inventory-{what}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Imports `ledger` (a fixture) into `out`, placing its addresses in the fixture design.
fn import(ledger: &str, out: &Path) -> Output {
    import_with(
        &format!("{FIXTURES}/{ledger}"),
        out,
        Some(&format!("{FIXTURES}/design.toml")),
    )
}

/// Imports the ledger at `path` into `out`; without a topology the design is `out` itself.
fn import_with(path: &str, out: &Path, topology: Option<&str>) -> Output {
    let mut args = vec![
        "import",
        "inventory",
        path,
        "--map",
        "tests/fixtures/inventory/columns.toml",
        "--output",
        out.to_str().unwrap(),
    ];
    if let Some(t) = topology {
        args.extend(["--topology", t]);
    }
    sansou(&args)
}

/// The written hosts, without the first line (it names the ledger).
fn hosts(out: &Path, stem: &str) -> String {
    let written = std::fs::read_to_string(out.join(format!("{stem}.toml"))).unwrap();
    written.split_once('\n').unwrap().1.to_string()
}

#[test]
fn utf8_bom_and_shift_jis_read_alike() {
    let dir = temp_dir("encodings");
    for stem in ["daicho", "daicho-bom", "daicho-sjis"] {
        let o = import(&format!("{stem}.csv"), &dir);
        assert_eq!(o.status.code(), Some(0), "{stem}: {}", text(&o.stderr));
        assert!(
            text(&o.stderr).contains("8 row(s) as 5 host entries (2 group(s)"),
            "{stem}: {}",
            text(&o.stderr)
        );
    }
    let utf8 = hosts(&dir, "daicho");
    assert_eq!(hosts(&dir, "daicho-bom"), utf8);
    assert_eq!(hosts(&dir, "daicho-sjis"), utf8);
    insta::assert_snapshot!("inventory_hosts", utf8);
}

#[test]
fn identical_terminals_at_consecutive_addresses_become_one_range() {
    let dir = temp_dir("grouping");
    assert_eq!(import("daicho.csv", &dir).status.code(), Some(0));
    let toml = hosts(&dir, "daicho");
    // Three 市民課 terminals in a row: one host with a range and a count.
    assert!(
        toml.contains("id = \"mn-pc\"\nkind = \"terminal\"\nname = \"市民課\""),
        "{toml}"
    );
    assert!(
        toml.contains("ip = \"10.1.1.10-10.1.1.12\"\ncount = 3\n"),
        "{toml}"
    );
    // Two 総務課 terminals, then a gap (10.2.1.12 is not in the ledger): the group stops.
    assert!(
        toml.contains("ip = \"10.2.1.10/31\"\ncount = 2\n"),
        "{toml}"
    );
    assert!(toml.contains("id = \"lg-pc-004\""), "{toml}");
    // The next address, but another department: not the same terminal.
    assert!(
        toml.contains("id = \"lg-pc-005\"\nkind = \"terminal\"\nname = \"税務課\""),
        "{toml}"
    );
    // Servers are never grouped, and keep their services.
    assert!(
        toml.contains("services = [\"tcp/443\", \"tcp/8443\"]"),
        "{toml}"
    );
}

#[test]
fn a_spreadsheet_reads_like_a_csv() {
    let dir = temp_dir("xlsx");
    let o = import("daicho.xlsx", &dir);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let toml = hosts(&dir, "daicho");
    // Number cells (VLAN 10) and boolean cells (多要素認証) read as typed.
    assert!(
        toml.contains("ip = \"10.1.1.10/31\"\ncount = 2\nmfa = true\n"),
        "{toml}"
    );
    assert!(
        toml.contains("ip = \"10.2.1.10-10.2.1.12\"\ncount = 3\nmfa = false\n"),
        "{toml}"
    );
}

#[test]
fn every_bad_row_is_reported_in_one_run_and_nothing_is_written() {
    let dir = temp_dir("errors");
    let o = import("errors.csv", &dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(!dir.join("errors.toml").exists());
    insta::assert_snapshot!("inventory_errors", text(&o.stderr));
}

#[test]
fn ledger_level_problems_are_located() {
    let dir = temp_dir("ledger");
    let cases: [(&str, &[u8], &str); 4] = [
        (
            "open-quote.csv",
            "ホスト名,IPアドレス\na,\"b\n".as_bytes(),
            "open-quote.csv:2:2: a quoted field is never closed",
        ),
        (
            "utf16.csv",
            b"\xff\xfea\x00",
            "utf16.csv: the file is UTF-16",
        ),
        (
            "latin.csv",
            b"a,b\n\x82\xff\n",
            "latin.csv:2: the file is neither UTF-8 nor Shift_JIS",
        ),
        (
            "noheader.csv",
            b"a,b\n1,2\n",
            "noheader.csv: no row holds the header `IPアドレス`",
        ),
    ];
    for (name, bytes, expected) in cases {
        let ledger = dir.join(name);
        std::fs::write(&ledger, bytes).unwrap();
        let o = import_with(
            ledger.to_str().unwrap(),
            &dir,
            Some(&format!("{FIXTURES}/design.toml")),
        );
        assert_eq!(o.status.code(), Some(2), "{name}");
        let err = text(&o.stderr);
        assert!(err.contains(expected), "{name}: {err}");
    }
}

#[test]
fn the_hosts_merge_with_the_hand_written_design() {
    let dir = temp_dir("merge");
    std::fs::copy(format!("{FIXTURES}/design.toml"), dir.join("design.toml")).unwrap();
    // No --topology: the output directory is the design.
    let o = import_with(&format!("{FIXTURES}/daicho.csv"), &dir, None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let design = dir.to_str().unwrap();
    let v = sansou(&["validate", design]);
    assert_eq!(v.status.code(), Some(0), "{}", text(&v.stderr));
    assert!(
        text(&v.stdout).contains("hosts          6  9 hosts in all: terminal 7"),
        "{}",
        text(&v.stdout)
    );
    let c = sansou(&["check", design, "--format", "json", "--exit-zero"]);
    assert_eq!(c.status.code(), Some(0), "{}", text(&c.stderr));
    // Importing again replaces the earlier import (which is not read as part of the design,
    // or every address would be taken) ...
    let again = import_with(&format!("{FIXTURES}/daicho.csv"), &dir, None);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again.stderr));
    // ... but a hand-written file of the same name is never overwritten.
    std::fs::write(dir.join("daicho.toml"), "format = 1\n").unwrap();
    let refused = import_with(&format!("{FIXTURES}/daicho.csv"), &dir, None);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        text(&refused.stderr).contains("refusing to overwrite"),
        "{}",
        text(&refused.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("daicho.toml")).unwrap(),
        "format = 1\n"
    );
}
