//! Using sansou as a library: load a topology, print every diagnostic, then walk the model.
//!
//!     cargo run --example inventory -- topologies/alpha-city.toml

use sansou::diag::render_all;
use sansou::load::load_topology;
use sansou::model::Tier;
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: inventory TOPOLOGY");
        return ExitCode::from(2);
    };
    let loaded = match load_topology(path.as_ref()) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    eprint!("{}", render_all(&loaded.sources, &loaded.diagnostics));
    if loaded.diagnostics.has_errors() {
        return ExitCode::from(2);
    }
    let topo = &loaded.value;
    // Where does personal data rest, and in which tier?
    for store in topo.stores.iter().filter(|s| s.holds_personal_data()) {
        let host = topo.host(&store.host).expect("validated");
        let segment = &host.interfaces[0].segment;
        let tier = topo.segment_tier(segment).expect("validated");
        let warning = if tier == Tier::MyNumber {
            ""
        } else {
            "  ← outside the My Number tier"
        };
        let data: Vec<String> = store.data.iter().map(|d| d.to_string()).collect();
        println!(
            "{:<20} on {:<16} in {:<9} [{}]{warning}",
            store.id,
            host.id,
            tier.as_str(),
            data.join(", ")
        );
    }
    ExitCode::SUCCESS
}
