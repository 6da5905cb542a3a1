//! Properties of the attack analysis on random small towns.
//!
//! The attacker's knowledge only grows, so the analysis must be monotone in the design:
//! adding a deny rule anywhere, or taking away a credential exposure (a log-on, an admin
//! right, a group membership), can never let the attacker take a new host, hold a new
//! credential, or read or carry out a new store. And every fix the analysis proposes, applied
//! to the design and analysed again from scratch, leaves the store out of reach, and breaks
//! no declared network flow that worked before, unless it says which (`Fix::breaks`).

use proptest::prelude::*;
use sansou::analysis::attack::{self, Attack, Options};
use sansou::analysis::intent;
use sansou::analysis::paths::{Query, pairs};
use sansou::analysis::reach::Endpoint;
use sansou::analysis::reach::Reachability;
use sansou::analysis::space::ServiceSet;
use sansou::diag::Diagnostics;
use sansou::load::{Syntax, decode_topology};
use sansou::model::Selector;
use sansou::model::StoreId;
use sansou::model::Topology;
use sansou::model::policy::Policy;
use sansou::source::SourceMap;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

const SERVICES: [&str; 4] = ["tcp/445", "tcp/3389", "tcp/443", "tcp/5432"];
const HOSTS: usize = 6;

#[derive(Clone, Debug)]
struct RuleSpec {
    allow: bool,
    from: u8,
    to: u8,
    service: u8,
}

#[derive(Clone, Debug)]
struct HostSpec {
    internet_use: bool,
    services: u8,
    vulnerable: u8,
}

#[derive(Clone, Debug)]
struct AccountSpec {
    privilege: u8,
    admin_on: u8,
    logs_on_to: u8,
    staff: bool,
    unique: bool,
}

#[derive(Clone, Debug)]
struct StoreSpec {
    host: u8,
    smb: bool,
    readers: u8,
}

#[derive(Clone, Debug)]
struct Town {
    default_allow: bool,
    stateful: bool,
    rules: Vec<RuleSpec>,
    hosts: Vec<HostSpec>,
    accounts: Vec<AccountSpec>,
    stores: Vec<StoreSpec>,
    /// Declared network flows between hosts (`[[flow]] method = "network"`): traffic the
    /// design must let through, which fixes must keep.
    flows: Vec<(u8, u8)>,
}

/// A selector for a rule end: a segment, a host, the internet, or anything.
fn end(n: u8) -> String {
    match n % 11 {
        0..=2 => format!("segment:s{}", n % 11),
        3..=8 => format!("host:h{}", n % 11 - 3),
        9 => "external:internet".into(),
        _ => "any".into(),
    }
}

fn service(n: u8) -> String {
    match n % 5 {
        4 => "any".into(),
        i => SERVICES[i as usize].into(),
    }
}

fn host_list(mask: u8) -> String {
    let hosts: Vec<String> = (0..HOSTS)
        .filter(|h| mask & (1 << h) != 0)
        .map(|h| format!("\"host:h{h}\""))
        .collect();
    hosts.join(", ")
}

fn services(mask: u8) -> String {
    let list: Vec<String> = (0..4)
        .filter(|i| mask & (1 << i) != 0)
        .map(|i| format!("\"{}\"", SERVICES[i]))
        .collect();
    list.join(", ")
}

impl Town {
    fn render(&self) -> String {
        let mut t = String::from("format = 1\n[meta]\nmodel = \"alpha\"\n");
        for (z, tier) in [("inet", "internet"), ("lg", "lgwan"), ("mn", "mynumber")] {
            let _ = writeln!(t, "[[zone]]\nid = \"{z}\"\ntier = \"{tier}\"");
        }
        t.push_str("[[external]]\nid = \"internet\"\nkind = \"internet\"\n");
        for (s, z) in ["inet", "lg", "mn"].iter().enumerate() {
            let _ = writeln!(
                t,
                "[[segment]]\nid = \"s{s}\"\nzone = \"{z}\"\ncidr = \"10.0.{s}.0/24\""
            );
        }
        let _ = writeln!(
            t,
            "[[firewall]]\nid = \"fw\"\ndefault = \"{}\"\nstateful = {}\ninterfaces = [{{ segment = \"s0\", ip = \"10.0.0.1\" }}, {{ segment = \"s1\", ip = \"10.0.1.1\" }}, {{ segment = \"s2\", ip = \"10.0.2.1\" }}, {{ external = \"internet\" }}]",
            if self.default_allow { "allow" } else { "deny" },
            self.stateful
        );
        for r in &self.rules {
            let _ = writeln!(
                t,
                "[[firewall.rule]]\naction = \"{}\"\nfrom = \"{}\"\nto = \"{}\"\nservice = [\"{}\"]",
                if r.allow { "allow" } else { "deny" },
                end(r.from),
                end(r.to),
                service(r.service)
            );
        }
        for (i, h) in self.hosts.iter().enumerate() {
            let _ = writeln!(
                t,
                "[[host]]\nid = \"h{i}\"\nkind = \"{}\"\nsegment = \"s{}\"\nip = \"10.0.{}.{}\"\nservices = [{}]\nvulnerable = [{}]\ninternet_use = [{}]",
                if i % 2 == 0 { "terminal" } else { "server" },
                i / 2,
                i / 2,
                10 + i,
                services(h.services),
                services(h.vulnerable & h.services),
                if h.internet_use { "\"mail\"" } else { "" }
            );
        }
        for (i, a) in self.accounts.iter().enumerate() {
            let privilege =
                ["user", "local-admin", "server-admin", "domain-admin"][a.privilege as usize % 4];
            let _ = writeln!(
                t,
                "[[account]]\nid = \"a{i}\"\nprivilege = \"{privilege}\"\nadmin_on = [{}]\nlogs_on_to = [{}]\ngroups = [{}]\nunique_per_host = {}",
                host_list(a.admin_on),
                host_list(a.logs_on_to),
                if a.staff { "\"staff\"" } else { "" },
                a.unique
            );
        }
        for (i, s) in self.stores.iter().enumerate() {
            let readers = match s.readers % 3 {
                0 => "\"everyone\"",
                1 => "\"group:staff\"",
                _ => "\"account:a0\"",
            };
            let _ = writeln!(
                t,
                "[[store]]\nid = \"d{i}\"\nhost = \"h{}\"\nservice = \"{}\"\ndata = [\"personal\"]\nreaders = [{readers}]",
                s.host as usize % HOSTS,
                if s.smb { "tcp/445" } else { "tcp/5432" }
            );
        }
        for (i, (a, b)) in self.flows.iter().enumerate() {
            let (a, b) = (*a as usize % HOSTS, *b as usize % HOSTS);
            if a != b {
                let _ = writeln!(
                    t,
                    "[[flow]]\nid = \"f{i}\"\nfrom = \"host:h{a}\"\nto = \"host:h{b}\"\nmethod = \"network\"\ndata = [\"personal\"]"
                );
            }
        }
        t
    }
}

fn town() -> impl Strategy<Value = Town> {
    let rule =
        (any::<bool>(), 0u8..11, 0u8..11, 0u8..5).prop_map(|(allow, from, to, service)| RuleSpec {
            allow,
            from,
            to,
            service,
        });
    let host = (prop::bool::weighted(0.3), 0u8..16, 0u8..16).prop_map(
        |(internet_use, services, vulnerable)| HostSpec {
            internet_use,
            services,
            vulnerable: vulnerable & 0b1001,
        },
    );
    let account = (
        0u8..4,
        0u8..64,
        0u8..64,
        any::<bool>(),
        prop::bool::weighted(0.3),
    )
        .prop_map(
            |(privilege, admin_on, logs_on_to, staff, unique)| AccountSpec {
                privilege,
                admin_on,
                logs_on_to,
                staff,
                unique,
            },
        );
    let store = (0u8..6, any::<bool>(), 0u8..3).prop_map(|(host, smb, readers)| StoreSpec {
        host,
        smb,
        readers,
    });
    (
        prop::bool::weighted(0.2),
        any::<bool>(),
        prop::collection::vec(rule, 0..7),
        prop::collection::vec(host, HOSTS..=HOSTS),
        prop::collection::vec(account, 1..3),
        prop::collection::vec(store, 1..3),
        prop::collection::vec((0u8..6, 0u8..6), 0..5),
    )
        .prop_map(
            |(default_allow, stateful, rules, hosts, accounts, stores, flows)| Town {
                default_allow,
                stateful,
                rules,
                hosts,
                accounts,
                stores,
                flows,
            },
        )
}

fn load(text: &str) -> Topology {
    let mut sources = SourceMap::default();
    let file = sources.add("town.toml", text);
    let mut diags = Diagnostics::default();
    let topo = decode_topology(&[(file, Syntax::Toml)], &sources, &mut diags);
    assert!(
        !diags.has_errors(),
        "{}\n{text}",
        sansou::diag::render_all(&sources, &diags)
    );
    topo
}

fn analyze(topo: &Topology, fixes: bool) -> Attack {
    let mut reach = Reachability::compute(sansou::load::validate(topo).unwrap());
    attack::analyze(
        &mut reach,
        &Policy::default(),
        &Options {
            fixes,
            ..Options::default()
        },
    )
}

/// Everything the attacker gets: hosts, credentials, readable and exfiltrable stores.
type Gains = (Vec<bool>, Vec<bool>, Vec<(StoreId, bool, bool)>);

fn gains(a: &Attack) -> Gains {
    (
        a.spread.hosts.iter().map(Option::is_some).collect(),
        a.spread.accounts.iter().map(Option::is_some).collect(),
        a.stores
            .iter()
            .map(|e| (e.store, e.readable(), e.exfiltrable()))
            .collect(),
    )
}

fn at_most(before: &Attack, after: &Attack) -> Result<(), TestCaseError> {
    let (h0, c0, s0) = gains(before);
    let (h1, c1, s1) = gains(after);
    for (i, (a, b)) in h0.iter().zip(&h1).enumerate() {
        prop_assert!(!b || *a, "host h{i} newly taken");
    }
    for (i, (a, b)) in c0.iter().zip(&c1).enumerate() {
        prop_assert!(!b || *a, "account a{i} newly held");
    }
    for (a, b) in s0.iter().zip(&s1) {
        prop_assert!(!b.1 || a.1, "store {} newly readable", a.0.0);
        prop_assert!(!b.2 || a.2, "store {} newly exfiltrable", a.0.0);
    }
    Ok(())
}

/// Every reachable pair of the design with its services.
fn all_pairs(topo: &Topology) -> BTreeMap<(Endpoint, Endpoint), ServiceSet> {
    let mut reach = Reachability::compute(sansou::load::validate(topo).unwrap());
    let any = Selector::Any;
    let q = Query {
        from: &any,
        to: &any,
        services: &[],
    };
    pairs(&mut reach, &q)
        .unwrap()
        .into_iter()
        .map(|p| ((p.from, p.to), p.services))
        .collect()
}

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(96);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn adding_a_deny_rule_never_opens_a_path(town in town(), at in 0usize..8, deny in (0u8..11, 0u8..11, 0u8..5)) {
        let before = analyze(&load(&town.render()), false);
        let mut changed = town.clone();
        let at = at.min(changed.rules.len());
        changed.rules.insert(at, RuleSpec { allow: false, from: deny.0, to: deny.1, service: deny.2 });
        let after = analyze(&load(&changed.render()), false);
        at_most(&before, &after)?;
    }

    #[test]
    fn taking_a_credential_away_never_opens_a_path(town in town(), which in 0usize..2, what in 0u8..3, bit in 0u8..6) {
        let before = analyze(&load(&town.render()), false);
        let mut changed = town.clone();
        let a = which % changed.accounts.len();
        match what {
            0 => changed.accounts[a].logs_on_to &= !(1 << bit),
            1 => changed.accounts[a].admin_on &= !(1 << bit),
            _ => changed.accounts[a].staff = false,
        }
        let after = analyze(&load(&changed.render()), false);
        at_most(&before, &after)?;
    }

    #[test]
    fn every_fix_cuts_the_store_off(town in town()) {
        let topo = load(&town.render());
        let result = analyze(&topo, true);
        for e in result.stores.iter().filter(|e| e.readable()) {
            let fix = e.fix.as_ref().expect("readable stores get a fix");
            if !fix.verified {
                continue;
            }
            let fixed = attack::fix::apply(&topo, &fix.changes);
            let again = analyze(&fixed, false);
            let still = again.stores.iter().find(|x| x.store == e.store).is_some_and(|x| x.readable());
            prop_assert!(!still, "fix {:?} leaves store d{} readable\n{}", fix.changes, e.store.0, town.render());
        }
    }

    #[test]
    fn narrowing_a_rule_or_default_to_its_declared_flows_never_opens_anything(town in town()) {
        let topo = load(&town.render());
        let required = intent::required(&topo, &Policy::default());
        let narrowings = attack::narrow::narrowings(&mut Reachability::compute(sansou::load::validate(&topo).unwrap()), &required);
        let before = all_pairs(&topo);
        for (&(firewall, list, rule), keep) in &narrowings {
            let keep = keep.clone();
            let change = match rule {
                Some(rule) => attack::Change::NarrowRule { firewall, list, rule, keep },
                None => attack::Change::NarrowDefault { firewall, list, keep },
            };
            let after = all_pairs(&attack::fix::apply(&topo, std::slice::from_ref(&change)));
            for (ends, services) in &after {
                let was = before.get(ends);
                prop_assert!(
                    was.is_some_and(|b| services.minus(b).0.is_empty()),
                    "{:?} opens {:?} {:?} (was {:?})\n{}",
                    change, ends, services.names(), was.map(|b| b.names()), town.render()
                );
            }
        }
    }

    #[test]
    fn a_fix_breaks_no_declared_flow_unless_it_says_which(town in town()) {
        let topo = load(&town.render());
        let result = analyze(&topo, true);
        let required = intent::required(&topo, &Policy::default());
        let before: BTreeSet<String> =
            intent::broken_labels(&mut Reachability::compute(sansou::load::validate(&topo).unwrap()), &required).into_iter().collect();
        for e in result.stores.iter().filter(|e| e.readable()) {
            let fix = e.fix.as_ref().expect("readable stores get a fix");
            if !fix.verified {
                continue;
            }
            // The fix and every alternative it lists break exactly what they say.
            let candidates = std::iter::once((&fix.changes, &fix.breaks))
                .chain(fix.alternatives.iter().map(|a| (&a.changes, &a.breaks)));
            for (changes, breaks) in candidates {
                let fixed = attack::fix::apply(&topo, changes);
                let after: BTreeSet<String> =
                    intent::broken_labels(&mut Reachability::compute(sansou::load::validate(&fixed).unwrap()), &required).into_iter().collect();
                let newly: BTreeSet<String> = after.difference(&before).cloned().collect();
                let said: BTreeSet<String> = breaks.iter().cloned().collect();
                prop_assert_eq!(&newly, &said, "fix {:?} of store d{}\n{}", changes, e.store.0, town.render());
            }
            prop_assert!(fix.breaks.is_empty() || fix.alternatives.iter().all(|a| !a.breaks.is_empty()));
        }
    }
}
