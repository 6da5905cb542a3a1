//! Every malformed input yields located errors: one fixture file per case under
//! `tests/fixtures/invalid` (topologies) and `tests/fixtures/invalid-policy` (policies checked
//! against `tests/fixtures/valid/base.toml`), with the rendered diagnostics pinned by snapshots.

use sansou::diag::{Diagnostics, render_all};
use sansou::load::{self, Syntax};
use sansou::source::SourceMap;
use std::path::{Path, PathBuf};

fn fixtures(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

/// The name a fixture is shown under: relative, so snapshots do not depend on the checkout.
fn display_name(path: &Path) -> String {
    let parent = path
        .parent()
        .unwrap()
        .file_name()
        .unwrap()
        .to_string_lossy();
    format!("{parent}/{}", path.file_name().unwrap().to_string_lossy())
}

/// Loads a fixture the way `load_topology` does, but under its relative name.
fn load_topology_fixture(path: &Path) -> (SourceMap, Diagnostics) {
    let mut sources = SourceMap::default();
    let mut diags = Diagnostics::default();
    let bytes = std::fs::read(path).unwrap();
    let files = match String::from_utf8(bytes) {
        Ok(text) => vec![(sources.add(display_name(path), text), Syntax::of(path))],
        Err(_) => {
            // Not UTF-8: go through the real loader, which locates the first bad byte.
            let loaded = load::load_topology(path).unwrap();
            let mut renamed = SourceMap::default();
            for (_, f) in loaded.sources.files() {
                renamed.add(display_name(path), f.text.clone());
            }
            return (renamed, loaded.diagnostics);
        }
    };
    load::decode_topology(&files, &sources, &mut diags);
    diags.sort();
    (sources, diags)
}

#[test]
fn every_invalid_topology_is_reported_with_its_location() {
    let cases = fixtures("invalid");
    assert!(cases.len() >= 20, "fixtures are missing");
    for path in cases {
        let (sources, diags) = load_topology_fixture(&path);
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        assert!(diags.has_errors(), "{name}: expected errors, got none");
        insta::assert_snapshot!(format!("topology-{name}"), render_all(&sources, &diags));
    }
}

#[test]
fn every_invalid_policy_is_reported_with_its_location() {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid/base.toml");
    let topology = load::load_topology(&base).unwrap();
    assert!(!topology.diagnostics.has_errors());
    for path in fixtures("invalid-policy") {
        let mut sources = SourceMap::default();
        let mut diags = Diagnostics::default();
        let text = std::fs::read_to_string(&path).unwrap();
        // Register under the relative name, then decode as load_policy_into does.
        let file = sources.add(display_name(&path), text);
        let root = load::parse_document(file, Syntax::Toml, &sources, &mut diags);
        if let Some(root) = root {
            let policy = load::policy::decode(&root, &mut diags);
            let index =
                load::check::check_topology(&topology.value, &[], &mut Diagnostics::default());
            load::check::check_policy(&policy, &index, &mut diags);
        }
        diags.sort();
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        assert!(diags.has_errors(), "{name}: expected errors, got none");
        insta::assert_snapshot!(format!("policy-{name}"), render_all(&sources, &diags));
    }
}

#[test]
fn japanese_text_before_an_error_does_not_shift_the_column() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid/japanese-column.toml");
    let (sources, diags) = load_topology_fixture(&path);
    let d = &diags.items[0];
    let pos = sources.position(d.loc);
    // `  { id = "mn", name = "マイナンバー利用事務系", tier = "mynumbr" }`: the value starts at
    // character 45 of line 3 (byte 67: the 11-character name takes 33 bytes).
    assert_eq!(
        (pos.line, pos.column),
        (3, 45),
        "{}",
        render_all(&sources, &diags)
    );
}
