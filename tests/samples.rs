//! The bundled samples are what users read first: every one must load without a problem.

use sansou::diag::render_all;
use sansou::load::{load_inputs, load_topology};
use std::path::{Path, PathBuf};

fn files(dir: &str, ext: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    files
}

#[test]
fn every_sample_topology_validates_without_diagnostics() {
    let samples = files("topologies", "toml");
    assert!(samples.len() >= 3, "the three sample designs are missing");
    for path in samples.into_iter().chain(files("topologies", "json")) {
        let loaded = load_topology(&path).unwrap();
        assert!(
            loaded.diagnostics.items.is_empty(),
            "{}:\n{}",
            path.display(),
            render_all(&loaded.sources, &loaded.diagnostics)
        );
        let topo = &loaded.value;
        assert!(
            topo.host_count() >= 20,
            "{}: a sample has tens of hosts",
            path.display()
        );
        assert!(
            topo.firewalls.len() >= 2,
            "{}: several firewalls",
            path.display()
        );
    }
}

#[test]
fn every_policy_validates_against_the_sample_of_its_model() {
    let policies = files("policies", "toml");
    assert!(policies.len() >= 4, "one policy per built-in profile");
    for policy in policies {
        let name = policy.file_stem().unwrap().to_string_lossy().to_string();
        let topology = if name.starts_with("beta") {
            "topologies/beta-town.toml"
        } else {
            "topologies/alpha-city.toml"
        };
        let topology = Path::new(env!("CARGO_MANIFEST_DIR")).join(topology);
        let inputs = load_inputs(&topology, Some(&policy)).unwrap();
        assert!(
            !inputs.diagnostics.has_errors(),
            "{name}:\n{}",
            render_all(&inputs.sources, &inputs.diagnostics)
        );
        assert!(
            inputs.policy.unwrap().profile.is_some(),
            "{name} names its profile"
        );
    }
}

/// The model's Debug text with every location removed: what remains is the content.
fn content(debug: &str) -> String {
    let mut out = String::with_capacity(debug.len());
    let mut rest = debug;
    while let Some(i) = rest.find("Loc {") {
        out.push_str(&rest[..i]);
        let end = rest[i..].find('}').unwrap();
        rest = &rest[i + end + 1..];
    }
    out.push_str(rest);
    out
}

#[test]
fn json_and_toml_forms_of_a_sample_load_to_the_same_model() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("topologies");
    let toml = load_topology(&dir.join("alpha-city.toml")).unwrap();
    let json = load_topology(&dir.join("alpha-city.json")).unwrap();
    assert!(!json.diagnostics.has_errors());
    let (a, b) = (
        content(&format!("{:#?}", toml.value)),
        content(&format!("{:#?}", json.value)),
    );
    assert!(a.len() > 10_000, "the sample has content");
    assert_eq!(a, b);
}
