//! The checks every robustness test runs on one input: the fuzz targets (`fuzz_targets/`) and the
//! property tests and regression cases of the normal test suite (`tests/input/never_panics.rs`,
//! `tests/input/malformed.rs`, which include this file by path) share them, so an input that once
//! crashed a fuzzer is re-checked by `cargo test` exactly as the fuzzer checked it.
//!
//! Each function panics when sansou breaks a promise of TESTING.md on that input:
//! a panic inside sansou itself, an error that cannot be located (a location outside its file),
//! a rendered error without `file:line:column`, or output that does not read back. A panic is
//! what libFuzzer and proptest both report, with the input that caused it.

use sansou::diag::{self, Diagnostics};
pub use sansou::import::Vendor;
use sansou::import::{self, ImportError, Imported, Mapping};
use sansou::lang::Lang;
use sansou::load::{self, Syntax};
use sansou::model::{Attachment, Policy, Topology};
use sansou::source::SourceMap;

/// The topology policies are checked against (ids for `host:`, `zone:` ... references).
pub const BASE_TOPOLOGY: &str = include_str!("../../tests/fixtures/valid/base.toml");

/// Loads one topology file from text, checks every diagnostic is located, and runs the whole
/// `check` pipeline (analysis, rules, text and JSON reports) when it loads without errors.
/// Returns the diagnostics so callers can pin expectations.
pub fn topology(name: &str, text: &str, syntax: Syntax) -> (SourceMap, Diagnostics) {
    let mut sources = SourceMap::default();
    let mut diags = Diagnostics::default();
    let file = sources.add(name, text);
    let topo = load::decode_topology(&[(file, syntax)], &sources, &mut diags);
    diags.sort();
    assert_located(&sources, &diags);
    if !diags.has_errors() {
        analyse(&topo, &Policy::default(), &sources);
        round_trip(&topo);
    }
    (sources, diags)
}

/// Loads one policy file from text against [`BASE_TOPOLOGY`], checks every diagnostic is
/// located, and runs `check` with it when it loads without errors.
pub fn policy(name: &str, text: &str, syntax: Syntax) -> (SourceMap, Diagnostics) {
    let mut sources = SourceMap::default();
    let mut base_diags = Diagnostics::default();
    let base = sources.add("base.toml", BASE_TOPOLOGY);
    let topo = load::decode_topology(&[(base, Syntax::Toml)], &sources, &mut base_diags);
    assert!(!base_diags.has_errors(), "the base topology must be valid");
    let file = sources.add(name, text);
    let mut diags = Diagnostics::default();
    let policy = match load::parse_document(file, syntax, &sources, &mut diags) {
        Some(root) => load::policy::decode(&root, &mut diags),
        None => Policy::default(),
    };
    let index = load::check::index(&topo, &[], &mut Diagnostics::default());
    load::check::check_policy(&policy, &index, &mut diags);
    diags.sort();
    assert_located(&sources, &diags);
    if !diags.has_errors() {
        analyse(&topo, &policy, &sources);
    }
    (sources, diags)
}

/// A file name of the kind each vendor's configurations usually have.
pub fn file_name(vendor: Vendor) -> &'static str {
    match vendor {
        Vendor::FortiGate => "fgt.conf",
        Vendor::Iptables => "rules.v4",
        Vendor::CiscoIos => "running-config",
        Vendor::YamahaRtx => "rtx.config",
        Vendor::CiscoAsa => "asa-running-config",
        Vendor::PaloAlto => "running-config.xml",
    }
}

/// A mapping that places the interface names common in each vendor's configurations (and in the
/// seed corpora) on segments and externals of [`BASE_TOPOLOGY`], so an importer gets as far as
/// building rules rather than stopping at "interface not in the mapping".
pub fn mapping() -> Mapping {
    let segment = |s: &str| Attachment::Segment(s.to_string());
    let external = |s: &str| Attachment::External(s.to_string());
    let interfaces = [
        ("port1", segment("mn-office")),
        ("port2", segment("lg-office")),
        ("wan1", external("lgwan")),
        ("eth0", segment("mn-office")),
        ("eth1", segment("lg-office")),
        ("eth2", external("lgwan")),
        ("GigabitEthernet0/0", segment("mn-office")),
        ("GigabitEthernet0/1", segment("lg-office")),
        ("GigabitEthernet0/2", external("lgwan")),
        ("lan1", segment("mn-office")),
        ("lan2", segment("lg-office")),
        ("lan3", external("lgwan")),
        ("inside", segment("mn-office")),
        ("dmz", segment("lg-office")),
        ("outside", external("lgwan")),
        ("ethernet1/1", segment("mn-office")),
        ("ethernet1/2", segment("lg-office")),
        ("ethernet1/3", external("lgwan")),
    ];
    Mapping::new("fw-import", interfaces)
}

/// Reads a mapping file (`sansou import --map`): an error is rendered text that must name the
/// place as `file:line:column`.
pub fn mapping_file(name: &str, text: &str) -> Result<Mapping, String> {
    let result = Mapping::parse(name, text);
    if let Err(rendered) = &result {
        assert!(
            rendered.contains(&format!("{name}:")),
            "a mapping error without its place:\n{rendered}"
        );
    }
    result
}

/// Runs one importer on text. An `Err` must say where (a line inside the file, or 0 for the
/// file as a whole) and what; an `Ok` firewall must be writable as TOML that reads back.
pub fn import(vendor: Vendor, text: &str) -> Result<Imported, ImportError> {
    let file = file_name(vendor);
    let result = (vendor.importer())(file, text, &mapping());
    let lines = text.lines().count().max(1);
    match &result {
        Err(e) => {
            assert!(
                !e.message.trim().is_empty(),
                "{vendor:?}: empty error message"
            );
            assert!(
                e.line <= lines + 1,
                "{vendor:?}: error on line {} of a {lines}-line file: {}",
                e.line,
                e.message
            );
            assert!(e.located(file).starts_with(file));
        }
        Ok(imported) => {
            for w in &imported.warnings {
                assert!(!w.message.trim().is_empty(), "{vendor:?}: empty warning");
                assert!(
                    w.line <= lines + 1,
                    "{vendor:?}: warning on line {} of a {lines}-line file: {}",
                    w.line,
                    w.message
                );
            }
            // What `sansou import` writes must read back as a topology file: names and
            // comments taken from the configuration are escaped, whatever they hold.
            let written = import::to_toml(imported, vendor, file);
            let (sources, diags) = written_file(&written);
            let syntax = diags
                .items
                .iter()
                .any(|d| d.message.starts_with("TOML syntax error"));
            assert!(
                !syntax,
                "{vendor:?}: the written topology does not parse:\n{}\n{written}",
                diag::render_all(&sources, &diags)
            );
        }
    }
    result
}

/// The column mapping ledgers are read with in the robustness tests: the headers of
/// [`LEDGER_HEADER`], every field mapped, some words translated.
pub const LEDGER_COLUMNS: &str = r#"format = 1
[columns]
id = "ホスト名"
ip = "IP"
kind = "種別"
segment = "VLAN"
name = "所属"
services = "サービス"
internet_use = "ネット"
removable_media = "USB"
mfa = "MFA"
edr = "EDR"
[defaults]
antivirus = "true"
[values.kind]
"端末" = "terminal"
[values.segment]
"1" = "mn-office"
"2" = "lg-office"
"#;

/// The header row of a ledger read with [`LEDGER_COLUMNS`].
pub const LEDGER_HEADER: &str = "ホスト名,IP,種別,VLAN,所属,サービス,ネット,USB,MFA,EDR";

/// Reads a ledger's bytes (CSV in any encoding, or a workbook) with [`LEDGER_COLUMNS`] into
/// hosts of [`BASE_TOPOLOGY`]. Every error must name a row inside the file and say something;
/// the hosts must be writable as TOML that reads back.
pub fn ledger(
    bytes: &[u8],
) -> Result<import::inventory::Inventory, Vec<import::inventory::CellError>> {
    let columns =
        ledger_columns("columns.toml", LEDGER_COLUMNS).expect("the test mapping is valid");
    let mut sources = SourceMap::default();
    let mut diags = Diagnostics::default();
    let base = sources.add("base.toml", BASE_TOPOLOGY);
    let topo = load::decode_topology(&[(base, Syntax::Toml)], &sources, &mut diags);
    let result = import::inventory::import(bytes.to_vec(), &columns, &topo);
    // A record starts on a line of the file; a spreadsheet's rows are not lines, so only an
    // upper bound no ledger can pass is checked for them.
    let lines = if import::inventory::is_spreadsheet(bytes) {
        usize::MAX - 1
    } else {
        bytes.iter().filter(|&&b| b == b'\n' || b == b'\r').count() + 1
    };
    match &result {
        Err(errors) => {
            assert!(!errors.is_empty(), "an error list with nothing in it");
            for e in errors {
                assert!(
                    !e.message.trim().is_empty(),
                    "a ledger error without a message"
                );
                assert!(
                    e.row <= lines,
                    "error on row {} of a {lines}-line ledger: {}",
                    e.row,
                    e.message
                );
                assert!(e.located("l.csv").starts_with("l.csv"));
            }
        }
        Ok(inventory) => {
            // What `sansou import inventory` writes merges with the design it was placed in.
            let written = import::inventory::to_toml(inventory, "l.csv");
            let mut sources = SourceMap::default();
            let mut diags = Diagnostics::default();
            let files = [
                (sources.add("base.toml", BASE_TOPOLOGY), Syntax::Toml),
                (sources.add("l.toml", written.as_str()), Syntax::Toml),
            ];
            load::decode_topology(&files, &sources, &mut diags);
            assert_located(&sources, &diags);
            assert!(
                !diags.has_errors(),
                "the written hosts do not merge with the design:\n{}\n{written}",
                diag::render_all(&sources, &diags)
            );
        }
    }
    result
}

/// Reads a ledger's column mapping (`sansou import inventory --map`): an error is rendered
/// text that must name the place as `file:line:column`.
pub fn ledger_columns(name: &str, text: &str) -> Result<import::inventory::Columns, String> {
    let result = import::inventory::Columns::parse(name, text);
    if let Err(rendered) = &result {
        assert!(
            rendered.contains(&format!("{name}:")),
            "a column mapping error without its place:\n{rendered}"
        );
    }
    result
}

/// Loads a written topology file on its own: its references to the rest of the design are
/// unknown here, but every diagnostic must still be located.
fn written_file(text: &str) -> (SourceMap, Diagnostics) {
    let mut sources = SourceMap::default();
    let mut diags = Diagnostics::default();
    let file = sources.add("written.toml", text);
    load::decode_topology(&[(file, Syntax::Toml)], &sources, &mut diags);
    assert_located(&sources, &diags);
    (sources, diags)
}

/// Every diagnostic points inside a file of the run, and its rendering names that place as
/// `file:line:column`.
pub fn assert_located(sources: &SourceMap, diags: &Diagnostics) {
    let files = sources.files().count();
    for d in &diags.items {
        let places = std::iter::once(d.loc).chain(d.related.iter().map(|r| r.loc));
        for loc in places {
            assert!(
                (loc.file.0 as usize) < files,
                "{:?}: location in an unknown file",
                d.message
            );
            let len = sources.file(loc.file).text.len();
            assert!(
                loc.start <= loc.end && loc.end as usize <= len,
                "{:?}: location {}..{} outside a {len}-byte file",
                d.message,
                loc.start,
                loc.end
            );
        }
        assert!(
            !d.message.trim().is_empty(),
            "a diagnostic without a message"
        );
        let rendered = diag::render(sources, d);
        let position = sources.position(d.loc).to_string();
        assert!(
            rendered.contains(&position),
            "rendering does not name {position}:\n{rendered}"
        );
    }
}

/// What `sansou check` does with a topology that loaded cleanly: analysis, rules, reports.
fn analyse(topo: &Topology, policy: &Policy, sources: &SourceMap) {
    let mut cx = sansou::rules::Context::new(sansou::load::validate(topo).unwrap(), policy);
    let result = sansou::rules::engine::run(&mut cx, &Default::default());
    sansou::report::check::text(&cx.reach, sources, &result, Lang::En);
    sansou::report::check::json(&cx.reach, sources, &result);
}

/// A topology written as TOML reads back without errors: names taken from an input are
/// escaped, whatever they hold, and the writer leaves nothing out that the loader requires.
fn round_trip(topo: &Topology) {
    let text = sansou::report::topology::to_toml(topo);
    let (sources, diags) = written_file(&text);
    assert!(
        !diags.has_errors(),
        "the written topology does not load:\n{}\n{text}",
        diag::render_all(&sources, &diags)
    );
}
