//! `[[firewall.nat]]` decodes into the model's translations (the JSON form: `analysis::samples`).

use sansou::diag::Diagnostics;
use sansou::load::{self, Syntax};
use sansou::model::{SourceAddress, Topology, Translation};
use sansou::source::SourceMap;
use std::path::Path;

fn fixture() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reach/nat-edge.toml");
    std::fs::read_to_string(path).unwrap()
}

fn decode(text: String, syntax: Syntax) -> (Topology, Diagnostics) {
    let mut sources = SourceMap::default();
    let mut diags = Diagnostics::default();
    let file = sources.add("nat-edge", text);
    let topo = load::decode_topology(&[(file, syntax)], &sources, &mut diags);
    (topo, diags)
}

#[test]
fn a_port_forward_and_a_masquerade_decode_in_order() {
    let (topo, diags) = decode(fixture(), Syntax::Toml);
    assert!(diags.items.is_empty(), "no diagnostics");
    let nat = &topo.firewalls[0].nat;
    assert_eq!(nat.len(), 2);
    assert_eq!(nat[0].key(0), "web-https");
    assert_eq!(nat[0].origin.as_deref(), Some("fgt.conf:212"));
    match &nat[0].translation {
        Translation::Destination {
            interface,
            destination,
            service,
            translated,
            port,
            ..
        } => {
            assert_eq!(interface.as_ref().unwrap().value, "wan");
            assert_eq!(destination.value.to_string(), "203.0.113.10/32");
            assert_eq!(service.value.to_string(), "tcp/8443");
            assert_eq!(translated.value.to_string(), "10.3.9.20/32");
            assert_eq!(port.as_ref().unwrap().value, 443);
        }
        other => panic!("not a destination NAT: {other:?}"),
    }
    match &nat[1].translation {
        Translation::Source {
            interface,
            from,
            to_source,
            ..
        } => {
            assert_eq!(interface.value, "wan");
            assert_eq!(from.len(), 2);
            assert!(matches!(to_source, SourceAddress::Masquerade(_)));
        }
        other => panic!("not a source NAT: {other:?}"),
    }
}
