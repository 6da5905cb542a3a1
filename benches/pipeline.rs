//! The pipeline benchmark: generates a topology of a BENCHMARKS.md tier, then times each
//! stage of a full `sansou check` several times and prints the medians, with peak memory.
//!
//!     cargo bench --bench pipeline -- M          # one tier (S, M, L or XL)
//!     cargo bench --bench pipeline -- S M --runs 7
//!
//! The stages are those of `sansou check` (no policy: the α profile), run through the same
//! library calls: load (read the file, parse, decode, every whole-topology check: exactly
//! `load::load_topology`), build graph (forwarding graph, address sets, rule lists compiled to
//! transfer sets), reachability (the fixpoint), attack paths (from the internet, default
//! options; `check` computes them for CRED-001 and the ATK rules), rules (every rule, reusing
//! the analysis and the attack paths), report (the JSON document). They add up to the total.
//! Three lines more split and extend that: "of which parse" times parsing the same text alone
//! ("decode + validate" is the rest of load: reading, decoding, the whole-topology checks), and
//! "zone matrix" times what `sansou matrix` adds (not part of `check` or the total).
//!
//! Besides wall-clock medians it prints the CPU time of the whole run (all threads): on a
//! shared machine the wall clock says as much about the other load as about sansou.

use sansou::analysis::reach::Reachability;
use sansou::diag::Diagnostics;
use sansou::generate::{Size, generate};
use sansou::load::{self, Syntax};
use sansou::report;
use sansou::rules::{Context, engine};
use sansou::source::SourceMap;
use std::path::Path;
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
    load: Duration,
    parse: Duration,
    graph: Duration,
    reach: Duration,
    attack: Duration,
    rules: Duration,
    report: Duration,
    matrix: Duration,
    /// CPU time of the `check` stages, all threads (not the two extra lines).
    cpu: Option<Duration>,
}

impl Stages {
    /// The stages of `sansou check` (parse is inside load; the matrix is not in `check`).
    fn total(&self) -> Duration {
        self.load + self.graph + self.reach + self.attack + self.rules + self.report
    }
}

/// CPU time used by this process so far, all threads (Linux; clock ticks of 10 ms).
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) start after the last ')'.
    let fields: Vec<&str> = stat[stat.rfind(')')? + 2..].split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// Parsing alone, on text already in memory (the "of which parse" line).
fn parse_only(text: &str, syntax: Syntax) -> Duration {
    let mut sources = SourceMap::default();
    let file = sources.add("generated", text.to_string());
    let mut diags = Diagnostics::default();
    let t = Instant::now();
    let root =
        load::parse_document(file, syntax, &sources, &mut diags).expect("generated text parses");
    let parse = t.elapsed();
    drop(root);
    parse
}

fn run_once(path: &Path, text: &str, syntax: Syntax) -> Stages {
    let cpu_before = cpu_time();
    let t = Instant::now();
    let loaded = load::load_topology(path).expect("the generated file reads");
    let load = t.elapsed();
    assert!(
        !loaded.diagnostics.has_errors(),
        "the generated topology has errors"
    );
    let (topo, sources) = (loaded.value, loaded.sources);
    let t = Instant::now();
    let mut reach = Reachability::prepare(&topo);
    let graph = t.elapsed();
    let t = Instant::now();
    reach.propagate(&[]);
    let reach_time = t.elapsed();
    let policy = sansou::model::policy::Policy::default();
    let mut cx = Context::with_reachability(&topo, &policy, reach);
    let t = Instant::now();
    std::hint::black_box(cx.attack());
    let attack = t.elapsed();
    let t = Instant::now();
    let result = engine::run(&mut cx, &Default::default());
    let rules = t.elapsed();
    let t = Instant::now();
    let json = report::json::document(&sources, report::check::json(&cx.reach, &sources, &result));
    std::hint::black_box(json.len());
    let report_time = t.elapsed();
    let cpu = cpu_time()
        .zip(cpu_before)
        .map(|(after, before)| after - before);
    let parse = parse_only(text, syntax);
    let t = Instant::now();
    let m = sansou::analysis::matrix::compute(&mut cx.reach);
    assert!(!m.cells.is_empty());
    let matrix = t.elapsed();
    Stages {
        load,
        parse,
        graph,
        reach: reach_time,
        attack,
        rules,
        report: report_time,
        matrix,
        cpu,
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
        let dir = std::env::temp_dir().join(format!("sansou-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        for (syntax, text, name) in [(Syntax::Json, &json, "JSON"), (Syntax::Toml, &toml, "TOML")] {
            let path = dir.join(format!("topology.{}", name.to_lowercase()));
            std::fs::write(&path, text.as_bytes()).expect("the generated file writes");
            let all: Vec<Stages> = (0..runs).map(|_| run_once(&path, text, syntax)).collect();
            let cpu: Option<Vec<Duration>> = all.iter().map(|s| s.cpu).collect();
            let cpu = cpu.map(median);
            let pick = |f: fn(&Stages) -> Duration| median(all.iter().map(f).collect());
            let stages = [
                ("load", pick(|s| s.load)),
                ("  of which parse", pick(|s| s.parse)),
                (
                    "  decode + validate",
                    pick(|s| s.load.saturating_sub(s.parse)),
                ),
                ("build graph", pick(|s| s.graph)),
                ("reachability", pick(|s| s.reach)),
                ("attack paths", pick(|s| s.attack)),
                ("rules (check)", pick(|s| s.rules)),
                ("report (JSON)", pick(|s| s.report)),
            ];
            let total = median(all.iter().map(Stages::total).collect());
            let _ = std::fs::remove_file(&path);
            println!("  {name} input, median of {runs} runs:");
            for (stage, d) in stages {
                println!("    {stage:<20}{}", ms(d));
            }
            println!("    {:<20}{}", "total", ms(total));
            println!(
                "    {:<20}{} (sansou matrix; not in check or the total)",
                "zone matrix",
                ms(pick(|s| s.matrix))
            );
            if let Some(cpu) = cpu {
                println!(
                    "    {:<20}{} (median of the check stages, all threads)",
                    "CPU time",
                    ms(cpu)
                );
            }
        }
        let _ = std::fs::remove_dir(&dir);
        if let Some(mib) = peak_mib() {
            println!(
                "  peak memory so far: {mib:.0} MiB (with the generated texts held by the benchmark)"
            );
        }
    }
}
