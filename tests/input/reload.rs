//! `load::reload` (how `check --watch` loads the next version of a design) gives exactly what a
//! full load of the same files gives: the same model with the same locations, the same
//! sources and line index, the same diagnostics. Random edits of a generated design, written
//! as compact JSON, pretty JSON and TOML with a policy beside it; edits a reload must leave to a
//! full load (a host, a syntax error, two firewalls at once) are among them, and a version with
//! errors is undone to the last one exactly. TOML firewalls whose block is not the whole
//! firewall are loaded from scratch.

use sansou::generate::{Size, generate};
use sansou::load::{self, Inputs, reload};
use sansou::model::{Action, At, Service, Topology, service::PortRange};
use sansou::report::topology::{TextFormat, files};
use std::path::{Path, PathBuf};

/// A small seeded generator (xorshift), so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

const POLICY: &str = "format = 1\n\n[policy]\nprofile = \"alpha\"\n";

/// Asserts two loads are the same, locations and line index included.
fn assert_same(got: &Inputs, want: &Inputs, what: &str) {
    if got.topology != want.topology {
        let (g, w) = (
            format!("{:#?}", got.topology),
            format!("{:#?}", want.topology),
        );
        let at = g
            .lines()
            .zip(w.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        let show = |t: &str| {
            t.lines()
                .skip(at.saturating_sub(8))
                .take(12)
                .collect::<Vec<_>>()
                .join("\n")
        };
        panic!(
            "{what}: the model differs at line {at}:\n{}\n---\n{}",
            show(&g),
            show(&w)
        );
    }
    assert_eq!(got.policy, want.policy, "{what}: the policy differs");
    assert_eq!(
        format!("{:?}", got.diagnostics),
        format!("{:?}", want.diagnostics),
        "{what}: the diagnostics differ"
    );
    let (a, b): (Vec<_>, Vec<_>) = (
        got.sources.files().collect(),
        want.sources.files().collect(),
    );
    assert_eq!(a.len(), b.len(), "{what}: the files differ");
    for ((_, x), (_, y)) in a.iter().zip(&b) {
        assert_eq!(x.name, y.name, "{what}");
        assert!(x.text == y.text, "{what}: the text of {} differs", x.name);
        assert_eq!(
            x.line_count(),
            y.line_count(),
            "{what}: lines of {}",
            x.name
        );
        for line in 0..y.line_count() {
            assert_eq!(
                x.line_range(line),
                y.line_range(line),
                "{what}: line {line}"
            );
        }
    }
}

fn write(topo: &Topology, format: TextFormat, dir: &Path) -> PathBuf {
    let written = files(topo, format, false);
    std::fs::write(dir.join(&written[0].0), &written[0].1).expect("the file writes");
    dir.join(&written[0].0)
}

/// One edit of the model, named for messages.
fn edit_model(topo: &mut Topology, rng: &mut Rng) -> String {
    let f = rng.below(topo.firewalls.len());
    let fw = &mut topo.firewalls[f];
    let n = fw.rules.len();
    match rng.below(7) {
        0 if n > 0 => {
            let rule = &mut fw.rules[rng.below(n)];
            rule.action = match rule.action {
                Action::Allow => Action::Deny,
                Action::Deny => Action::Allow,
            };
            format!("{}: an action flipped", fw.id)
        }
        1 if n > 0 => {
            let port = 1024 + rng.below(60_000) as u16;
            fw.rules[rng.below(n)].services = vec![At {
                value: Service::Proto {
                    proto: 6,
                    ports: PortRange {
                        first: port,
                        last: port,
                    },
                },
                loc: Default::default(),
            }];
            format!("{}: a rule's services", fw.id)
        }
        2 if n > 1 => {
            fw.rules.remove(rng.below(n));
            format!("{}: a rule removed", fw.id)
        }
        3 if n > 0 => {
            let copy = fw.rules[rng.below(n)].clone();
            fw.rules.insert(rng.below(n + 1), copy);
            format!("{}: a rule copied", fw.id)
        }
        5 if n > 0 => {
            // The firewall's own checks find an error: the version is refused and undone.
            fw.rules[rng.below(n)].to = vec![At {
                value: sansou::model::Selector::Host("no-such-host".into()),
                loc: Default::default(),
            }];
            format!("{}: a rule names an unknown host", fw.id)
        }
        4 => {
            let h = rng.below(topo.hosts.len());
            topo.hosts[h].edr = Some(!topo.hosts[h].edr.unwrap_or(false));
            format!("host {}", topo.hosts[h].id)
        }
        _ => {
            let other = rng.below(topo.firewalls.len());
            let id = topo.firewalls[other].id.clone();
            topo.firewalls[f].id = id;
            format!("firewall {f} renamed as firewall {other}")
        }
    }
}

/// One edit of the text: whitespace or a stray brace inside a firewall, or the policy.
fn edit_text(path: &Path, policy: &Path, rng: &mut Rng) -> String {
    let mut text = std::fs::read_to_string(path).expect("the file reads");
    let actions: Vec<usize> = text.match_indices("\"action\"").map(|(i, _)| i).collect();
    let at = actions[rng.below(actions.len())];
    match rng.below(3) {
        0 => {
            text.insert_str(at, " \n ");
            std::fs::write(path, text).expect("writes");
            "whitespace in a firewall".into()
        }
        1 => {
            text.insert(at, '}');
            std::fs::write(path, text).expect("writes");
            "a stray brace in a firewall".into()
        }
        _ => edit_policy(policy, rng),
    }
}

fn edit_policy(policy: &Path, rng: &mut Rng) -> String {
    let policy_text = format!("{POLICY}# edited {}\n", rng.below(1000));
    std::fs::write(policy, policy_text).expect("writes");
    "the policy".into()
}

/// One edit of a TOML text at the start of a rule's `action` line: a comment, a stray
/// character, a key written twice, a new `[[firewall]]` or `[meta]` line, the line break before
/// the next firewall taken away, or the policy.
fn edit_toml_text(path: &Path, policy: &Path, rng: &mut Rng) -> String {
    let mut text = std::fs::read_to_string(path).expect("the file reads");
    let actions: Vec<usize> = text
        .match_indices("\naction = ")
        .map(|(i, _)| i + 1)
        .collect();
    let at = actions[rng.below(actions.len())];
    // Text put at the start of the line, and what it is.
    const INSERTED: [(&str, &str); 5] = [
        ("# a note\n\n", "a comment in a firewall"),
        ("]", "a stray bracket in a firewall"),
        ("action = \"deny\"\n", "a key written twice"),
        ("[[firewall]]\n", "a new [[firewall]] line inside one"),
        (
            "[meta]\nname = \"x\"\n[[firewall.rule]]\n",
            "a [meta] table opened inside a firewall",
        ),
    ];
    let what = match rng.below(7) {
        k @ 0..5 => {
            let (inserted, what) = INSERTED[k];
            text.insert_str(at, inserted);
            what
        }
        5 => match text[at..].find("\n[[firewall]]") {
            Some(i) => {
                let line_break = at + i;
                let from = if text[..line_break].ends_with('\n') {
                    line_break - 1
                } else {
                    line_break
                };
                text.replace_range(from..=line_break, "");
                "the line break before the next firewall taken away"
            }
            None => {
                text.insert_str(at, "# the last firewall\n");
                "a comment in the last firewall"
            }
        },
        _ => return edit_policy(policy, rng),
    };
    std::fs::write(path, text).expect("writes");
    what.into()
}

fn reloads_are_full_loads(format: TextFormat, name: &str, seed: u64) {
    let dir = std::env::temp_dir().join(format!("sansou-reload-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let policy = dir.join("policy.toml");
    std::fs::write(&policy, POLICY).expect("writes");
    let mut topo = generate(Size::S, 1);
    let path = write(&topo, format, &dir);
    let (mut inputs, mut outline) =
        load::load_inputs_outlined(&path, Some(&policy)).expect("loads");
    let mut last_good = load::load_inputs(&path, Some(&policy)).expect("loads");
    let mut rng = Rng(seed);
    let (mut spliced, mut full, mut undone) = (0, 0, 0);
    for step in 0..40 {
        let before = topo.clone();
        let (text_before, policy_before) = (
            std::fs::read_to_string(&path).expect("reads"),
            std::fs::read_to_string(&policy).expect("reads"),
        );
        let what = if rng.below(3) == 0 {
            if format == TextFormat::Toml {
                edit_toml_text(&path, &policy, &mut rng)
            } else {
                edit_text(&path, &policy, &mut rng)
            }
        } else {
            let what = edit_model(&mut topo, &mut rng);
            write(&topo, format, &dir);
            what
        };
        let what = format!("step {step}: {what}");
        let fresh = load::load_inputs(&path, Some(&policy)).expect("loads");
        match reload::reload(&mut inputs, &mut outline, &path, Some(&policy)).expect("reads") {
            Some(splice) => {
                spliced += usize::from(splice.firewall.is_some());
                assert_same(&inputs, &fresh, &what);
                if fresh.diagnostics.has_errors() {
                    // As `check --watch` refuses a version with errors: back to the last one.
                    reload::undo(&mut inputs, &mut outline, splice);
                    assert_same(&inputs, &last_good, &format!("{what}, undone"));
                    undone += 1;
                }
            }
            None => {
                full += 1;
                (inputs, outline) =
                    load::load_inputs_outlined(&path, Some(&policy)).expect("loads");
                assert_same(&inputs, &fresh, &what);
            }
        }
        if fresh.diagnostics.has_errors() {
            // The next edit starts from the last good version, on disk and (after a full load
            // with errors) in memory.
            topo = before;
            std::fs::write(&path, text_before).expect("writes");
            std::fs::write(&policy, policy_before).expect("writes");
            if inputs.diagnostics.has_errors() {
                (inputs, outline) =
                    load::load_inputs_outlined(&path, Some(&policy)).expect("loads");
            }
        } else {
            last_good = fresh;
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(spliced >= 10, "only {spliced} edits re-read one firewall");
    assert!(full >= 3, "only {full} edits loaded from scratch");
    assert!(undone >= 1, "no edit was undone");
}

#[test]
fn a_reload_of_compact_json_is_a_full_load() {
    reloads_are_full_loads(TextFormat::JsonCompact, "compact", 0x5eed_0001);
}

#[test]
fn a_reload_of_pretty_json_is_a_full_load() {
    reloads_are_full_loads(TextFormat::Json, "pretty", 0x5eed_0002);
}

#[test]
fn a_reload_of_toml_is_a_full_load() {
    reloads_are_full_loads(TextFormat::Toml, "toml", 0x5eed_0003);
}

/// The fixture's design with two firewalls, the second's rule written after `tail` (an
/// array's `[[KEY]]` line), where it still belongs to the last firewall.
fn two_firewalls(tail: &str, action: &str) -> String {
    let base = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid/base.toml"),
    )
    .expect("the fixture reads");
    format!(
        "{base}\n[[firewall.rule]]\naction = \"allow\"\nfrom = \"segment:mn-office\"\nto = \"segment:lg-office\"\nreason = \"r\"\n\n\
         [[firewall]]\nid = \"fw2\"\ninterfaces = [\n  {{ name = \"a\", segment = \"mn-office\", ip = \"10.1.0.2\" }},\n  {{ name = \"b\", segment = \"lg-office\", ip = \"10.2.0.2\" }},\n]\ndefault = \"deny\"\n\n\
         {tail}[[firewall.rule]]\naction = \"{action}\"\nfrom = \"any\"\nto = \"any\"\nreason = \"r\"\n"
    )
}

/// Loads `first`, writes `second`, and compares a reload (or a full load, where the reload
/// declines) with a full load; says whether the reload took the edit.
fn reload_toml(name: &str, first: &str, second: &str) -> bool {
    let dir = std::env::temp_dir().join(format!("sansou-reload-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let path = dir.join("topology.toml");
    std::fs::write(&path, first).expect("writes");
    let (mut inputs, mut outline) = load::load_inputs_outlined(&path, None).expect("loads");
    assert!(
        !inputs.diagnostics.has_errors(),
        "{name}: {:?}",
        inputs.diagnostics
    );
    std::fs::write(&path, second).expect("writes");
    let fresh = load::load_inputs(&path, None).expect("loads");
    let taken = reload::reload(&mut inputs, &mut outline, &path, None)
        .expect("reads")
        .is_some_and(|splice| splice.firewall.is_some());
    if !taken {
        (inputs, _) = load::load_inputs_outlined(&path, None).expect("loads");
    }
    assert_same(&inputs, &fresh, name);
    let _ = std::fs::remove_dir_all(&dir);
    taken
}

#[test]
fn a_toml_firewall_is_re_read_alone_only_when_its_block_is_all_of_it() {
    // Contiguous: the second firewall's rule follows its own line.
    let plain = two_firewalls("", "deny");
    assert!(reload_toml(
        "toml-plain",
        &plain,
        &plain.replace("\"deny\"\nfrom = \"any\"", "\"allow\"\nfrom = \"any\"")
    ));
    // The rule written after a `[[zone]]` array line belongs to the last firewall all the same:
    // an edit of that firewall's block is left to a full load.
    let split = two_firewalls("[[zone]]\nid = \"other\"\ntier = \"other\"\n\n", "deny");
    let edited = split.replace(
        "default = \"deny\"\n\n[[zone]]",
        "default = \"allow\"\n\n[[zone]]",
    );
    assert_ne!(split, edited);
    assert!(!reload_toml("toml-split", &split, &edited));
    // The line break before the next firewall taken away joins the two lines: a syntax error.
    let joined = plain.replace(
        "reason = \"r\"\n\n[[firewall]]",
        "reason = \"r\"[[firewall]]",
    );
    assert_ne!(plain, joined);
    assert!(!reload_toml("toml-joined", &plain, &joined));
    // A `[[firewall]]` line inside a multi-line string is not a firewall.
    let in_string = two_firewalls(
        "[[zone]]\nid = \"other\"\ntier = \"other\"\nname = \"\"\"\n[[firewall]]\n\"\"\"\n\n[[firewall]]\nid = \"fw3\"\ninterfaces = [\n  { name = \"a\", segment = \"mn-office\", ip = \"10.1.0.3\" },\n  { name = \"b\", segment = \"lg-office\", ip = \"10.2.0.3\" },\n]\ndefault = \"deny\"\n\n",
        "deny",
    );
    let edited = in_string.replace("\"deny\"\nfrom = \"any\"", "\"allow\"\nfrom = \"any\"");
    assert_ne!(in_string, edited);
    reload_toml("toml-in-string", &in_string, &edited);
}
