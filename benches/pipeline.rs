//! The pipeline benchmark: generates a topology of a DESIGN.md section 11 tier, then times each
//! stage of a full `check` several times and prints the medians, with peak memory.
//!
//!     cargo bench --bench pipeline -- M          # one tier (S, M, L or XL)
//!     cargo bench --bench pipeline -- S M --runs 7
//!
//! Stages: parse (TOML or JSON text → located tree), decode + validate (tree → model, every
//! whole-topology check), graph (forwarding graph, address sets, compiled rule lists),
//! reachability (the fixpoint), matrix (zone matrix), stores (internet → every store),
//! rules (every rule of the α profile, reusing the analysis), attack (attack paths from the
//! internet, default options), report (JSON of the findings).
//!
//! Besides wall-clock medians it prints the CPU time of the whole run (all threads): on a
//! shared machine the wall clock says as much about the other load as about sansou.

use sansou::analysis::paths::{Query, pairs};
use sansou::analysis::reach::Reachability;
use sansou::diag::Diagnostics;
use sansou::generate::{Size, generate};
use sansou::load::{self, Syntax};
use sansou::model::{Selector, Topology};
use sansou::report;
use sansou::rules::{Context, engine};
use sansou::source::SourceMap;
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Peak resident memory of this process so far (Linux), in MiB.
fn peak_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn ms(d: Duration) -> String {
    format!("{:>9.1} ms", d.as_secs_f64() * 1e3)
}

struct Stages {
    parse: Duration,
    decode: Duration,
    graph: Duration,
    reach: Duration,
    matrix: Duration,
    stores: Duration,
    rules: Duration,
    attack: Duration,
    report: Duration,
}

/// CPU time used by this process so far, all threads (Linux; clock ticks of 10 ms).
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) start after the last ')'.
    let fields: Vec<&str> = stat[stat.rfind(')')? + 2..].split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

fn load(text: &str, syntax: Syntax) -> (Topology, SourceMap, Duration, Duration) {
    let mut sources = SourceMap::default();
    let file = sources.add("generated", text.to_string());
    let mut diags = Diagnostics::default();
    let t = Instant::now();
    let root =
        load::parse_document(file, syntax, &sources, &mut diags).expect("generated text parses");
    let parse = t.elapsed();
    let t = Instant::now();
    let mut topo = Topology::default();
    let mut broken = Vec::new();
    load::topology::decode_file(&root, &mut topo, &mut broken, &mut diags);
    load::check::check_topology(&topo, &broken, &mut diags);
    let decode = t.elapsed();
    assert!(!diags.has_errors(), "the generated topology has errors");
    (topo, sources, parse, decode)
}

fn run_once(text: &str, syntax: Syntax) -> Stages {
    let (topo, sources, parse, decode) = load(text, syntax);
    let t = Instant::now();
    let mut reach = Reachability::prepare(&topo);
    let graph = t.elapsed();
    let t = Instant::now();
    reach.propagate(&[]);
    let reach_time = t.elapsed();
    let t = Instant::now();
    let m = sansou::analysis::matrix::compute(&mut reach);
    assert!(!m.cells.is_empty());
    let matrix = t.elapsed();
    // Internet → every store's host, on the store's service.
    let t = Instant::now();
    let internet: Vec<Selector> = topo
        .externals
        .iter()
        .filter(|e| e.kind.is_internet())
        .map(|e| Selector::External(e.id.clone()))
        .collect();
    let mut reachable = 0;
    for s in &topo.stores {
        let to = Selector::Store(s.id.clone());
        let services: Vec<_> = s.service.iter().map(|x| x.value).collect();
        for from in &internet {
            let q = Query {
                from,
                to: &to,
                services: &services,
            };
            reachable += pairs(&mut reach, &q).unwrap().len();
        }
    }
    std::hint::black_box(reachable);
    let stores = t.elapsed();
    let t = Instant::now();
    let policy = sansou::model::policy::Policy::default();
    let mut cx = Context::with_reachability(&topo, &policy, reach);
    let result = engine::run(&mut cx, &Default::default());
    let rules = t.elapsed();
    let t = Instant::now();
    let attack = sansou::analysis::attack::analyze(&mut cx.reach, &policy, &Default::default());
    std::hint::black_box(&attack);
    let attack_time = t.elapsed();
    let t = Instant::now();
    let json = report::json::document(&sources, report::check::json(&cx.reach, &sources, &result));
    std::hint::black_box(json.len());
    let report_time = t.elapsed();
    Stages {
        parse,
        decode,
        graph,
        reach: reach_time,
        matrix,
        stores,
        rules,
        attack: attack_time,
        report: report_time,
    }
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let mut runs = 5;
    let mut sizes = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--runs" {
            runs = it.next().and_then(|n| n.parse().ok()).unwrap_or(5);
        } else if let Some(s) = Size::parse(a) {
            sizes.push(s);
        }
    }
    if sizes.is_empty() {
        sizes = vec![Size::S, Size::M];
    }
    for size in sizes {
        let t = Instant::now();
        let topo = generate(size, 1);
        let toml = report::topology::to_toml(&topo);
        let json = report::topology::to_json(&topo);
        println!(
            "tier {size}: {} segments, {} hosts ({} entries), {} firewalls, {} rules; generated in {:.2} s; TOML {:.1} MB, JSON {:.1} MB",
            topo.segments.len(),
            topo.host_count(),
            topo.hosts.len(),
            topo.firewalls.len(),
            topo.firewalls.iter().map(|f| f.rules.len()).sum::<usize>(),
            t.elapsed().as_secs_f64(),
            toml.len() as f64 / 1e6,
            json.len() as f64 / 1e6,
        );
        drop(topo);
        for (syntax, text, name) in [(Syntax::Json, &json, "JSON"), (Syntax::Toml, &toml, "TOML")] {
            let cpu_before = cpu_time();
            let all: Vec<Stages> = (0..runs).map(|_| run_once(text, syntax)).collect();
            let cpu = cpu_time()
                .zip(cpu_before)
                .map(|(after, before)| (after - before) / runs as u32);
            let pick = |f: fn(&Stages) -> Duration| median(all.iter().map(f).collect());
            let stages = [
                ("parse", pick(|s| s.parse)),
                ("decode + validate", pick(|s| s.decode)),
                ("build graph", pick(|s| s.graph)),
                ("reachability", pick(|s| s.reach)),
                ("zone matrix", pick(|s| s.matrix)),
                ("internet → stores", pick(|s| s.stores)),
                ("rules (check)", pick(|s| s.rules)),
                ("attack paths", pick(|s| s.attack)),
                ("report (JSON)", pick(|s| s.report)),
            ];
            let total = median(
                all.iter()
                    .map(|s| {
                        s.parse
                            + s.decode
                            + s.graph
                            + s.reach
                            + s.matrix
                            + s.stores
                            + s.rules
                            + s.attack
                            + s.report
                    })
                    .collect(),
            );
            println!("  {name} input, median of {runs} runs:");
            for (stage, d) in stages {
                println!("    {stage:<20}{}", ms(d));
            }
            println!("    {:<20}{}", "total", ms(total));
            if let Some(cpu) = cpu {
                println!(
                    "    {:<20}{} (mean per run, all threads)",
                    "CPU time",
                    ms(cpu)
                );
            }
        }
        if let Some(mib) = peak_mib() {
            println!("  peak memory so far: {mib:.0} MiB");
        }
    }
}
