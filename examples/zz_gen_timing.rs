use sansou::generate::{Size, generate};
use sansou::report::topology::{to_json, to_toml};
use std::time::Instant;
fn main() {
    let sizes: Vec<Size> = std::env::args()
        .skip(1)
        .filter_map(|a| Size::parse(&a))
        .collect();
    for size in sizes {
        let t = Instant::now();
        let topo = generate(size, 1);
        let gen_t = t.elapsed();
        let t = Instant::now();
        let toml = to_toml(&topo);
        let toml_t = t.elapsed();
        let t = Instant::now();
        let json = to_json(&topo);
        let json_t = t.elapsed();
        let rules: usize = topo
            .firewalls
            .iter()
            .map(|f| f.rules.len() + f.filters.iter().map(|x| x.rules.len()).sum::<usize>())
            .sum();
        println!(
            "{size}: generate {gen_t:?}, to_toml {toml_t:?} ({} MB), to_json {json_t:?} ({} MB); segments {} hosts {} (entries {}) firewalls {} rules {} stores {} accounts {}",
            toml.len() / 1_000_000,
            json.len() / 1_000_000,
            topo.segments.len(),
            topo.host_count(),
            topo.hosts.len(),
            topo.firewalls.len(),
            rules,
            topo.stores.len(),
            topo.accounts.len()
        );
        roles(&topo);
        std::fs::write(format!("/tmp/sc/out/gen-{size}.toml"), toml).unwrap();
        std::fs::write(format!("/tmp/sc/out/gen-{size}.json"), json).unwrap();
    }
}
#[allow(dead_code)]
pub fn roles(topo: &sansou::model::Topology) {
    let mut by: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    for f in &topo.firewalls {
        let role = f.id.split_once('-').unwrap().1.to_string();
        let e = by.entry(role).or_default();
        e.0 += f.rules.len() + f.filters.iter().map(|x| x.rules.len()).sum::<usize>();
        e.1 += 1;
    }
    println!("{by:?}");
}
