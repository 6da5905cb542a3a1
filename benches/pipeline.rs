//! The pipeline benchmark: generates a topology of a BENCHMARKS.md tier, then times each
//! stage of a full `sansou check` several times and prints the medians, with peak memory.
//!
//!     cargo bench --bench pipeline -- M          # one tier (S, M, L or XL)
//!     cargo bench --bench pipeline -- S M --runs 7
//!     cargo bench --bench pipeline -- L --shapes compact,toml
//!
//! Each tier is written in four shapes, as `sansou generate` writes them: compact JSON (one
//! line), pretty JSON, TOML, and a directory of split pretty JSON files (`--split`). `--shapes`
//! picks some (`compact`, `json`, `toml`, `split`); all four by default.
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
use sansou::model::Topology;
use sansou::report;
use sansou::report::topology::TextFormat;
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

/// Parsing alone, on texts already in memory (the "of which parse" line).
fn parse_only(texts: &[(String, String)], syntax: Syntax) -> Duration {
    let mut sources = SourceMap::default();
    let files: Vec<_> = texts
        .iter()
        .map(|(name, text)| sources.add(name.as_str(), text.as_str()))
        .collect();
    let mut diags = Diagnostics::default();
    let mut parse = Duration::ZERO;
    for file in files {
        let t = Instant::now();
        let root = load::parse_document(file, syntax, &sources, &mut diags)
            .expect("generated text parses");
        parse += t.elapsed();
        drop(root);
    }
    parse
}

/// One input shape of a tier: its files (name and text), and the path `check` is given.
struct Shape {
    name: &'static str,
    syntax: Syntax,
    files: Vec<(String, String)>,
    split: bool,
}

impl Shape {
    fn of(name: &'static str, topo: &Topology) -> Shape {
        let (syntax, format, split) = match name {
            "compact" => (Syntax::Json, TextFormat::JsonCompact, false),
            "json" => (Syntax::Json, TextFormat::Json, false),
            "toml" => (Syntax::Toml, TextFormat::Toml, false),
            _ => (Syntax::Json, TextFormat::Json, true),
        };
        let files = report::topology::files(topo, format, split);
        Shape {
            name,
            syntax,
            files,
            split,
        }
    }

    fn title(&self) -> &'static str {
        match self.name {
            "compact" => "compact JSON, one line",
            "json" => "pretty JSON",
            "toml" => "TOML",
            _ => "split directory, pretty JSON",
        }
    }

    fn bytes(&self) -> usize {
        self.files.iter().map(|(_, t)| t.len()).sum()
    }

    /// Writes the files into `dir`; returns what `check` is given: the file, or the directory.
    fn write(&self, dir: &Path) -> std::path::PathBuf {
        let dir = dir.join(self.name);
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        for (name, text) in &self.files {
            std::fs::write(dir.join(name), text).expect("the generated file writes");
        }
        if self.split {
            dir
        } else {
            dir.join(&self.files[0].0)
        }
    }
}

fn run_once(path: &Path, shape: &Shape) -> Stages {
    let cpu_before = cpu_time();
    let t = Instant::now();
    let loaded = load::load_topology(path).expect("the generated file reads");
    let load = t.elapsed();
    assert!(
        !loaded.diagnostics.has_errors(),
        "the generated topology has errors"
    );
    let checked = loaded.checked().expect("checked above");
    let (topo, sources) = (checked.topology(), &loaded.sources);
    let t = Instant::now();
    let mut reach = Reachability::prepare(checked);
    let graph = t.elapsed();
    let t = Instant::now();
    reach.propagate(&[]);
    let reach_time = t.elapsed();
    let policy = sansou::model::policy::Policy::default();
    let mut cx = Context::with_reachability(topo, &policy, reach);
    let t = Instant::now();
    std::hint::black_box(cx.attack());
    let attack = t.elapsed();
    let t = Instant::now();
    let result = engine::run(&mut cx, &Default::default());
    let rules = t.elapsed();
    let t = Instant::now();
    let json = report::json::document(sources, report::check::json(&cx.reach, sources, &result));
    std::hint::black_box(json.len());
    let report_time = t.elapsed();
    let cpu = cpu_time()
        .zip(cpu_before)
        .map(|(after, before)| after - before);
    let parse = parse_only(&shape.files, shape.syntax);
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
    let mut shapes = vec!["compact", "json", "toml", "split"];
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--runs" {
            runs = it.next().and_then(|n| n.parse().ok()).unwrap_or(5);
        } else if a == "--shapes" {
            let list = it.next().map_or("", String::as_str);
            shapes.retain(|s| list.split(',').any(|x| x == *s));
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
        println!(
            "tier {size}: {} segments, {} hosts ({} entries), {} firewalls, {} rules; generated in {:.2} s",
            topo.segments.len(),
            topo.host_count(),
            topo.hosts.len(),
            topo.firewalls.len(),
            topo.firewalls.iter().map(|f| f.rules.len()).sum::<usize>(),
            t.elapsed().as_secs_f64(),
        );
        let dir = std::env::temp_dir().join(format!("sansou-bench-{}", std::process::id()));
        for &name in &shapes {
            // One shape's texts at a time: at XL each is hundreds of megabytes.
            let shape = Shape::of(name, &topo);
            let path = shape.write(&dir);
            let all: Vec<Stages> = (0..runs).map(|_| run_once(&path, &shape)).collect();
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
            let _ = std::fs::remove_dir_all(dir.join(name));
            println!(
                "  {} ({:.1} MB in {} file(s)), median of {runs} runs:",
                shape.title(),
                shape.bytes() as f64 / 1e6,
                shape.files.len()
            );
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
