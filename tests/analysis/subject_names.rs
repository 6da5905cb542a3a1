//! The names findings' subjects are built from (`analysis::names`). Exceptions and fingerprints
//! match on subjects, so a change here silently changes what existing exceptions accept: these
//! names are pinned, and a change to them is a change to the policy format.

use sansou::analysis::names;
use sansou::analysis::reach::Endpoint;
use sansou::load::load_topology;
use sansou::model::{AddrRange, ExternalId, GatewayId, HostId, SegmentId};
use std::net::Ipv4Addr;
use std::path::Path;

fn city() -> sansou::model::Topology {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("topologies/alpha-city.toml");
    load_topology(&path).unwrap().value
}

#[test]
fn every_kind_of_endpoint_is_named_kind_colon_id() {
    let topo = city();
    let cases = [
        (
            Endpoint::Host(HostId(0)),
            format!("host:{}", topo.hosts[0].id),
        ),
        (
            Endpoint::Gateway(GatewayId(0)),
            format!("gateway:{}", topo.gateways[0].id),
        ),
        (
            Endpoint::Undeclared(SegmentId(0)),
            format!("undeclared:{}", topo.segments[0].id),
        ),
        (
            Endpoint::External(ExternalId(0)),
            format!("external:{}", topo.externals[0].id),
        ),
    ];
    for (endpoint, name) in cases {
        assert_eq!(names::endpoint(&topo, endpoint), name);
        let kind = name.split(':').next().unwrap();
        assert_eq!(names::endpoint_kind(endpoint), kind);
    }
}

#[test]
fn undeclared_ends_name_their_addresses_and_report_sees_the_same_names() {
    let topo = city();
    let one = AddrRange::single(Ipv4Addr::new(10, 1, 0, 50));
    let end = Endpoint::Undeclared(SegmentId(0));
    assert_eq!(
        names::pair_end(&topo, end, Some(&[one])),
        format!("undeclared:{} (10.1.0.50)", topo.segments[0].id)
    );
    // Without addresses, or with none, an end is its plain name.
    assert_eq!(
        names::pair_end(&topo, end, Some(&[])),
        names::endpoint(&topo, end)
    );
    // `report::names` is the same module, not a copy that could drift.
    assert_eq!(
        sansou::report::names::endpoint(&topo, end),
        names::endpoint(&topo, end)
    );
}
