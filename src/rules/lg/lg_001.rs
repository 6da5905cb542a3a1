//! LG-001: a firewall that joins the LGWAN and internet tiers denies by default and has no
//! allow rule between them with `any` source, destination or service.

use crate::analysis::bdd::{Bdd, FALSE};
use crate::graph::Net;
use crate::model::policy::Level;
use crate::model::{Action, Direction, Firewall, Rule as FwRule, Selector, Tier};
use crate::rules::support::{Facts, any_service, interface_name, is_any};
use crate::rules::{Context, Doc, Levels, Meta, Outcome, Text};

pub static META: Meta = Meta {
    code: "LG-001",
    name: "lgwan-internet-firewall-too-open",
    levels: Levels::all(Level::Deny),
    guideline: "GL(R6.10) 対策基準 3.(2)①",
    confidence: "V",
    ja: Doc {
        title: "LGWAN接続系とインターネット接続系をつなぐファイアウォールの許可が広すぎる",
        what: "LGWAN接続系 (tier lgwan) のセグメントとインターネット接続系 (tier internet) のセグメントの両方にインターフェースを持つファイアウォールについて、(1) 両層の間を流れるパケットが既定で拒否されること (ポリシーの default が deny、末尾に全体を拒否するルールがある、または経路上のインターフェースのフィルタが既定で拒否する)、(2) 両層の間に効く許可ルールが送信元・宛先・サービスのいずれにも any を使っていないこと、を確認する。any には 0.0.0.0/0 とサービスの省略を含む。実際に届くパケットの経路は LG-002 / LG-007 が報告する。",
        why: "三層分離では LGWAN接続系とインターネット接続系を分割し、必要な通信だけを明示的に許可することが求められる。既定許可や any を含むルールは、意図しない通信をまとめて通してしまい、設定変更のたびに分離が崩れる危険がある。両層を 1 台の機器で束ねる構成では、ルールの書き方そのものが分離の強さになる。",
        example: "LGWAN系とインターネット系の両方のセグメントを持つ fw-core に default = \"allow\" が設定されている。あるいは「from = segment:lg-office, to = any, service = tcp/443」の許可ルールがある。",
        fix: "default = \"deny\" とし、両層の間で本当に必要な通信 (無害化装置・画面転送装置への接続など) だけを、送信元・宛先のホストとポートを特定したルールで許可する。可能であれば両層を別の機器に分け、ゲートウェイ (無害化・画面転送) だけが両者をつなぐ構成にする。",
    },
    en: Doc {
        title: "Firewall joining the LGWAN and internet tiers allows too much",
        what: "For every firewall with interfaces on both an LGWAN-tier segment and an internet-tier segment: (1) packets between the two tiers are denied by default (the policy list's default is deny, or it ends with a catch-all deny rule, or an interface filter on the way denies by default); (2) no allow rule that applies between the two tiers has `any` as source, destination or service (`0.0.0.0/0` and a missing `service` count as any). Packets that actually get across are reported by LG-002 and LG-007.",
        why: "The three-tier model splits the LGWAN and internet tiers and allows only traffic that is needed, each flow explicitly. A default allow or an `any` rule lets unintended traffic through in bulk, and the separation erodes with every change. When one device joins both tiers, the way its rules are written is the separation.",
        example: "fw-core has segments in both tiers and default = \"allow\"; or it has an allow rule from segment:lg-office to any on tcp/443.",
        fix: "Set default = \"deny\" and allow only the traffic the crossing needs (to the sanitizer or screen-transfer gateway, for example) with rules that name hosts and ports. Better, split the tiers onto separate devices so that only gateways (sanitizers, screen transfer) join them.",
    },
};

pub struct Rule;

/// The two directions across a firewall between the tiers: (from tier, to tier).
const DIRECTIONS: [(Tier, Tier); 2] =
    [(Tier::Lgwan, Tier::Internet), (Tier::Internet, Tier::Lgwan)];

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) -> Vec<Outcome> {
        let topo = cx.topo;
        let facts = Facts::new(cx);
        let mut out = Vec::new();
        // Per direction (as in DIRECTIONS): source in one tier, destination in the other, as
        // the rules see the header (this rule reads lists, not delivered packets).
        let mut addresses = [FALSE; 2];
        for (k, (from, to)) in DIRECTIONS.into_iter().enumerate() {
            let reach = &mut cx.reach;
            let src = reach.addrs.of_selector(&Selector::Tier(from));
            let dst = reach.addrs.of_selector(&Selector::Tier(to));
            let s = reach.space.header_src(&src);
            let d = reach.space.dst(&dst);
            addresses[k] = reach.space.and(s, d);
        }
        for (f, fw) in topo.firewalls.iter().enumerate() {
            let tier_of = |i: usize| match facts.interface_net(fw, i) {
                Some(Net::Segment(s)) => facts.segment_tier(s),
                _ => None,
            };
            let tiers: Vec<Option<Tier>> = (0..fw.interfaces.len()).map(tier_of).collect();
            if !tiers.contains(&Some(Tier::Lgwan)) || !tiers.contains(&Some(Tier::Internet)) {
                continue;
            }
            out.push(check_default(cx, f, fw, &tiers, &addresses));
            check_policy_rules(cx, f, fw, &tiers, &addresses, &mut out);
            check_filter_rules(cx, f, fw, &tiers, &addresses, &mut out);
        }
        if out.is_empty() {
            out.push(Outcome::pass("tier:lgwan<->tier:internet", None));
        }
        out
    }

    /// It reads the rule lists themselves.
    fn reads_rule_lists(&self) -> bool {
        true
    }
}

/// Crossings (ingress, egress) from a `from`-tier segment to a `to`-tier segment.
fn crossings(tiers: &[Option<Tier>], from: Tier, to: Tier) -> Vec<(usize, usize)> {
    let mut v = Vec::new();
    for a in 0..tiers.len() {
        for b in 0..tiers.len() {
            if tiers[a] == Some(from) && tiers[b] == Some(to) {
                v.push((a, b));
            }
        }
    }
    v
}

/// Whether a list denies by default the packets `set` (crossing from interface `a` to `b`):
/// its `default` is deny, or its rules match every one of them (a final catch-all deny, as
/// imported configurations often have; a catch-all allow is reported as an `any` rule).
fn denies_by_default(
    cx: &mut Context<'_>,
    matches: &[Bdd],
    default: Action,
    set: Bdd,
    a: usize,
    b: usize,
) -> bool {
    if default == Action::Deny {
        return true;
    }
    let space = &mut cx.reach.space;
    let mut left = set;
    for &m in matches {
        let m = space.at_interfaces(m, a, b);
        left = space.diff(left, m);
        if left == FALSE {
            return true;
        }
    }
    false
}

fn check_default(
    cx: &mut Context<'_>,
    f: usize,
    fw: &Firewall,
    tiers: &[Option<Tier>],
    addresses: &[Bdd; 2],
) -> Outcome {
    let mut open = Vec::new();
    for (k, (from, to)) in DIRECTIONS.into_iter().enumerate() {
        for (a, b) in crossings(tiers, from, to) {
            // A deny default denies by itself (`denies_by_default`): no match set is needed.
            if fw.default == Action::Deny {
                continue;
            }
            let compiled = cx.reach.lists(f);
            let policy = compiled.policy_matches.clone();
            let lists = [
                (
                    compiled.in_filters[a].filter,
                    compiled.in_filters[a].matches.clone(),
                ),
                (
                    compiled.out_filters[b].filter,
                    compiled.out_filters[b].matches.clone(),
                ),
            ];
            let mut denied = denies_by_default(cx, &policy, fw.default, addresses[k], a, b);
            for (filter, matches) in lists {
                if denied {
                    break;
                }
                if let Some(i) = filter {
                    let default = fw.filters[i].default;
                    denied = denies_by_default(cx, &matches, default, addresses[k], a, b);
                }
            }
            if !denied {
                open.push(format!(
                    "{} → {}",
                    interface_name(fw, a),
                    interface_name(fw, b)
                ));
            }
        }
    }
    if open.is_empty() {
        return Outcome::pass(fw.id.clone(), Some(fw.loc));
    }
    let list = open.join(", ");
    Outcome::fail(
        fw.id.clone(),
        Some(fw.loc),
        Text::new(
            format!(
                "ファイアウォール {} は LGWAN接続系とインターネット接続系の間 ({list}) を既定で許可している (default = \"allow\" で、ルールにもフィルタにも既定の拒否が無い)",
                fw.id
            ),
            format!(
                "firewall {} allows traffic between the LGWAN and internet tiers by default ({list}): its default is \"allow\", and neither a catch-all deny rule nor an interface filter denies by default",
                fw.id
            ),
        ),
    )
}

/// What is `any` in a rule, in both languages.
fn broad_parts(rule: &FwRule) -> (Vec<&'static str>, Vec<&'static str>) {
    let mut ja = Vec::new();
    let mut en = Vec::new();
    if rule.from.iter().any(|s| is_any(&s.value)) {
        ja.push("送信元");
        en.push("source");
    }
    if rule.to.iter().any(|s| is_any(&s.value)) {
        ja.push("宛先");
        en.push("destination");
    }
    if any_service(rule) {
        ja.push("サービス");
        en.push("service");
    }
    (ja, en)
}

fn rule_outcome(subject: String, what_ja: &str, what_en: &str, rule: &FwRule) -> Outcome {
    let (ja, en) = broad_parts(rule);
    if ja.is_empty() {
        return Outcome::pass(subject, Some(rule.loc));
    }
    let sels = |v: &[crate::model::At<Selector>]| {
        v.iter()
            .map(|s| s.value.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let services = if rule.services.is_empty() {
        "any".to_string()
    } else {
        rule.services
            .iter()
            .map(|s| s.value.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut shape = format!("{} → {} ({services})", sels(&rule.from), sels(&rule.to));
    if let Some(origin) = &rule.origin {
        shape.push_str(&format!(" [{origin}]"));
    }
    Outcome::fail(
        subject.clone(),
        Some(rule.loc),
        Text::new(
            format!(
                "{what_ja} {subject} は LGWAN接続系とインターネット接続系の間の通信を許可し、{}が any になっている: {shape}",
                ja.join("・")
            ),
            format!(
                "{what_en} {subject} allows traffic between the LGWAN and internet tiers with any {}: {shape}",
                en.join(", ")
            ),
        ),
    )
}

fn check_policy_rules(
    cx: &mut Context<'_>,
    f: usize,
    fw: &Firewall,
    tiers: &[Option<Tier>],
    addresses: &[Bdd; 2],
    out: &mut Vec<Outcome>,
) {
    let reach = &mut cx.reach;
    // Per direction: packets entering from one tier's interfaces and leaving through the
    // other's, with addresses of the first tier as source and of the second as destination.
    let mut across = Vec::new();
    for (from, to) in DIRECTIONS {
        let mut ingress = FALSE;
        let mut egress = FALSE;
        for (i, t) in tiers.iter().enumerate() {
            if *t == Some(from) {
                let b = reach.space.ingress(i);
                ingress = reach.space.or(ingress, b);
            }
            if *t == Some(to) {
                let b = reach.space.egress(i);
                egress = reach.space.or(egress, b);
            }
        }
        let set = reach.space.and(ingress, egress);
        across.push(set);
    }
    let across: Vec<Bdd> = across
        .into_iter()
        .zip(addresses)
        .map(|(x, sd)| reach.space.and(x, *sd))
        .collect();
    for (k, rule) in fw.rules.iter().enumerate() {
        // Only rules with an `any` can fail; the others need no packet test (on 100k-rule
        // designs the test is what costs).
        if rule.action != Action::Allow || broad_parts(rule).0.is_empty() {
            continue;
        }
        let m = reach.lists(f).policy_matches[k];
        if across.iter().any(|&x| reach.space.meets(m, x)) {
            let subject = fw.rule_subject(k);
            out.push(rule_outcome(subject, "ルール", "rule", rule));
        }
    }
}

fn check_filter_rules(
    cx: &mut Context<'_>,
    f: usize,
    fw: &Firewall,
    tiers: &[Option<Tier>],
    addresses: &[Bdd; 2],
    out: &mut Vec<Outcome>,
) {
    let reach = &mut cx.reach;
    for filter in &fw.filters {
        let Some(i) = fw.interface_index(&filter.interface) else {
            continue;
        };
        let Some(here) = tiers[i] else { continue };
        let other = match here {
            Tier::Lgwan => Tier::Internet,
            Tier::Internet => Tier::Lgwan,
            _ => continue,
        };
        // Only broad allow rules can fail (and only then are the match sets needed).
        let broad = |rule: &FwRule| rule.action == Action::Allow && !broad_parts(rule).0.is_empty();
        if !filter.rules.iter().any(broad) {
            continue;
        }
        // An `in` filter sees packets leaving its own tier; an `out` filter, packets arriving.
        let lists = reach.lists(f);
        let (from, compiled) = match filter.direction {
            Direction::In => (here, &lists.in_filters[i]),
            Direction::Out => (other, &lists.out_filters[i]),
        };
        let matches = compiled.matches.clone();
        let sd = addresses[if from == Tier::Lgwan { 0 } else { 1 }];
        for (k, rule) in filter.rules.iter().enumerate() {
            if rule.action != Action::Allow || broad_parts(rule).0.is_empty() {
                continue;
            }
            let m = matches[k];
            if reach.space.meets(m, sd) {
                let subject = fw.filter_rule_subject(filter, k);
                out.push(rule_outcome(
                    subject,
                    "フィルタのルール",
                    "filter rule",
                    rule,
                ));
            }
        }
    }
}
