//! The `check --watch` benchmark: how long re-checking one edited firewall rule takes.
//!
//!     cargo bench --bench watch -- L                 # tier L, pretty JSON, 21 edits
//!     cargo bench --bench watch -- L --edits 41 --shape split
//!
//! The tier is generated (seed 1) and written as `sansou generate` writes it (`--shape`: `json`
//! pretty JSON, `compact` one line, `toml`, or `split` a directory of pretty JSON files), then
//! checked once through a `session::Session`, as `check --watch` starts. Each edit then picks a
//! firewall and a rule of its policy list at random (a seeded generator, so runs are
//! comparable), changes the rule (its action flipped, or its services set to one random TCP
//! port), writes the files again as an editor saves them (not timed), and times the re-check
//! exactly as the watch does it: `Session::check_files`, which loads the inputs (re-reading
//! only the edited firewall where it can) and checks them.
//!
//! Printed: the median re-check, min–max, the median CPU time (all threads; on a shared machine
//! the wall clock says as much about the other load as about sansou), the median of each stage
//! (wall clock, and the main thread's CPU time), how many firewalls each re-check compiled, and
//! in how many the last fixpoint was repaired (an edit of a firewall that translates recomputes
//! it) with the median re-check of those.

use sansou::generate::{Size, generate};
use sansou::model::{Action, At, Service, Topology, service::PortRange};
use sansou::report::topology::{TextFormat, files};
use sansou::session::{Session, Update};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// CPU time of this process so far, all threads (Linux; clock ticks of 10 ms).
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat[stat.rfind(')')? + 2..].split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// A small seeded generator (xorshift): the same edits on every run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

/// Changes one rule at random; returns its firewall and position, for the log.
fn edit(topo: &mut Topology, rng: &mut Rng) -> String {
    loop {
        let f = rng.below(topo.firewalls.len());
        let fw = &mut topo.firewalls[f];
        if fw.rules.is_empty() {
            continue;
        }
        let r = rng.below(fw.rules.len());
        let rule = &mut fw.rules[r];
        if rng.below(2) == 0 {
            rule.action = match rule.action {
                Action::Allow => Action::Deny,
                Action::Deny => Action::Allow,
            };
        } else {
            let port = 1024 + rng.below(60_000) as u16;
            rule.services = vec![At {
                value: Service::Proto {
                    proto: 6,
                    ports: PortRange {
                        first: port,
                        last: port,
                    },
                },
                loc: Default::default(),
            }];
        }
        return format!("{} rule {}", fw.id, r + 1);
    }
}

/// Writes the design's files into `dir`; returns what `check` is given.
fn write(topo: &Topology, shape: &str, dir: &Path) -> PathBuf {
    let (format, split) = match shape {
        "compact" => (TextFormat::JsonCompact, false),
        "toml" => (TextFormat::Toml, false),
        "split" => (TextFormat::Json, true),
        _ => (TextFormat::Json, false),
    };
    let written = files(topo, format, split);
    std::fs::create_dir_all(dir).expect("a temporary directory");
    for (name, text) in &written {
        std::fs::write(dir.join(name), text).expect("the file writes");
    }
    if split {
        dir.to_path_buf()
    } else {
        dir.join(&written[0].0)
    }
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// CPU time of the calling thread so far, to the nanosecond (Linux `schedstat`; zero where
/// unreadable). The fixpoint and the rules run on the main thread alone, so on a loaded machine
/// its CPU time per stage says what a stage costs better than the wall clock does; stages that
/// use both cores (loading, comparing, compiling) spend more than it shows.
fn thread_cpu() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .map_or(Duration::ZERO, Duration::from_nanos)
}

/// When a stage started: wall clock and the main thread's CPU time.
struct Mark(Instant, Duration);

impl Mark {
    fn now() -> Mark {
        Mark(Instant::now(), thread_cpu())
    }

    /// A stage that started at this mark, ended now: its name, wall-clock and CPU time.
    fn stage(&self, name: &'static str) -> Stage {
        (name, self.0.elapsed(), thread_cpu().saturating_sub(self.1))
    }
}

type Stage = (&'static str, Duration, Duration);

/// One check through the session: its wall-clock time, CPU time, and stage times.
/// One re-check: wall time, CPU time, stages, and the session's account of it.
type Rechecked = (Duration, Option<Duration>, Vec<Stage>, Update);

fn recheck(session: &mut Session, path: &Path) -> Rechecked {
    let cpu = cpu_time();
    let start = Instant::now();
    let mut stages: Vec<Stage> = Vec::new();
    let mut at = Mark::now();
    let mut current = "";
    let update = session
        .check_files(
            path,
            None,
            "2026-12-07",
            &mut |next| {
                if !current.is_empty() {
                    stages.push(at.stage(current));
                }
                current = next;
                at = Mark::now();
            },
            &mut |_| {},
            &mut |_, _| {},
        )
        .expect("the design reads")
        .expect("no errors");
    stages.push(at.stage(current));
    let took = start.elapsed();
    let cpu = cpu.zip(cpu_time()).map(|(a, b)| b.saturating_sub(a));
    (took, cpu, stages, update)
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let mut size = Size::L;
    let mut edits = 21;
    let mut shape = "json".to_string();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--edits" => edits = it.next().and_then(|n| n.parse().ok()).expect("--edits N"),
            "--shape" => shape = it.next().expect("--shape NAME").clone(),
            word => size = Size::parse(word).expect("a tier: S, M, L or XL"),
        }
    }
    let mut topo = generate(size, 1);
    let dir = std::env::temp_dir().join(format!("sansou-watch-bench-{}", std::process::id()));
    let path = write(&topo, &shape, &dir);
    let mut session = Session::new();
    let (first, _, _, _) = recheck(&mut session, &path);
    println!("tier {size}, {shape}: first check {}", ms(first));
    let mut rng = Rng(0x5eed_1234_abcd_9876);
    let (mut walls, mut cpus, mut compiled) = (Vec::new(), Vec::new(), Vec::new());
    let mut repaired = Vec::new();
    type Times = (&'static str, Vec<Duration>, Vec<Duration>);
    let mut per_stage: BTreeMap<usize, Times> = BTreeMap::new();
    for _ in 0..edits {
        let what = edit(&mut topo, &mut rng);
        write(&topo, &shape, &dir);
        let (took, cpu, stages, update) = recheck(&mut session, &path);
        let (n, repair) = (update.compiled, update.repaired);
        let how = if repair {
            "fixpoint repaired"
        } else {
            "fixpoint from scratch: the firewall translates"
        };
        println!(
            "  {what}: {} ({n} firewall(s) compiled, {how}, {} of {} rules re-used)",
            ms(took),
            update.rules_reused,
            update.rules
        );
        if repair {
            repaired.push(took);
        }
        walls.push(took);
        cpus.extend(cpu);
        compiled.push(n);
        for (i, (name, wall, cpu)) in stages.into_iter().enumerate() {
            let times = per_stage.entry(i).or_insert((name, Vec::new(), Vec::new()));
            times.1.push(wall);
            times.2.push(cpu);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    let (min, max) = (walls.iter().min().copied(), walls.iter().max().copied());
    println!(
        "re-check after one rule edit: median {} (min {} – max {}), {} edits",
        ms(median(walls)),
        ms(min.unwrap_or_default()),
        ms(max.unwrap_or_default()),
        edits
    );
    if !cpus.is_empty() {
        println!("  CPU time (all threads): median {}", ms(median(cpus)));
    }
    for (name, walls, cpus) in per_stage.into_values() {
        println!(
            "  {name:<24} median {:>9} (main thread CPU {:>9})",
            ms(median(walls)),
            ms(median(cpus))
        );
    }
    println!(
        "  firewalls compiled per re-check: max {}",
        compiled.iter().max().unwrap_or(&0)
    );
    let k = repaired.len();
    if k > 0 {
        println!(
            "  fixpoint repaired in {k} of {edits} re-checks (median of those {})",
            ms(median(repaired))
        );
    }
}
