//! AP-001 (α'): local breakout from the LGWAN tier is limited to named destinations and
//! logged.
//!
//! For every firewall interface that faces an internet external, the packets from LGWAN-tier
//! segments that the firewall actually hands to that external are traced back to the rules
//! that let them through (in the ingress filter, the policy list and the egress filter). A
//! packet is pinned when some allow rule on its way names specific destinations. Rules that
//! let unpinned packets out with `any` or a whole internet external as destination fail; so
//! does the firewall when its default lets them out; and every rule in play must log.

use crate::analysis::bdd::{Bdd, FALSE};
use crate::graph::Net;
use crate::model::policy::Level;
use crate::model::ranges::normalize;
use crate::model::{
    Action, AddrRange, Attachment, Firewall, Rule as FwRule, Selector, Tier, Topology,
};
use crate::rules::support::{Facts, is_any};
use crate::rules::{Context, Doc, Evidence, Levels, Meta, Outcome, Text};
use std::collections::BTreeMap;

pub static META: Meta = Meta {
    code: "AP-001",
    name: "lbo-rule-not-pinned-or-logged",
    levels: Levels {
        alpha: Level::Allow,
        alpha_prime: Level::Deny,
        beta: Level::Allow,
        beta_prime: Level::Allow,
    },
    guideline: "S12, S13, S14",
    confidence: "V",
    ja: Doc {
        title: "α'モデルのローカルブレイクアウトが宛先を限定していない、またはログを取っていない",
        what: "α'モデルで、LGWAN接続系 (tier lgwan) からインターネット側の外部網 (kind internet / security-cloud) へ出るパケットを、その外部網に面したファイアウォールで許可しているルールを調べる。宛先を特定していないルール (any、0.0.0.0/0、外部網全体 external:…) で、特定の宛先を指定した別のルールに絞られていないパケットを通しているものは不合格。既定 (default = \"allow\") で通している場合はファイアウォール自体を不合格とする。また、これらの通信を許可するルールはすべて log = true でなければならない。",
        why: "α'モデルでは、LGWAN接続系の端末から認められたクラウドサービスへ、セキュリティクラウドを経由せずに直接 (ローカルブレイクアウト) 接続できる。ただしこれは宛先 (FQDN・IP アドレス) とテナントを厳格に限定することが条件であり、宛先を限定しない許可はLGWAN接続系をインターネットに直接つなぐことと同じになる。通信記録が無ければ、不正な利用や情報の持ち出しを後から確認できない。",
        example: "LBO 用ルータ rt-lbo に「from = segment:lg-office, to = external:internet, service = tcp/443」のルールがあり、LGWAN 系端末がインターネット上のどこへでも HTTPS で出られる。",
        fix: "LBO の許可ルールの宛先を、利用を認めたクラウドサービスのアドレス範囲に限定し (例: 公表されている Microsoft 365 の範囲)、log = true とする。テナント制限はプロキシやクラウド側で設定する。限定できない通信はセキュリティクラウド経由に戻す。",
    },
    en: Doc {
        title: "α' local breakout not limited to named destinations, or not logged",
        what: "In the α' model, looks at the rules that let packets from LGWAN-tier tier out into an internet external (kind internet or security-cloud) on the firewall that faces it. A rule whose destination is not specific (any, 0.0.0.0/0, a whole external) fails when it lets out packets that no other rule with specific destinations pins down; the firewall fails when its default (\"allow\") lets them out. Every rule that allows this traffic must have log = true.",
        why: "α' lets LGWAN terminals reach approved cloud services directly (local breakout) instead of through the security cloud, on condition that destinations (FQDN, IP) and tenants are strictly limited. An allow without a destination limit joins the LGWAN tier to the internet. Without logs, misuse or data taken out cannot be traced afterwards.",
        example: "The LBO router rt-lbo allows segment:lg-office to external:internet on tcp/443, so LGWAN terminals reach any HTTPS server on the internet.",
        fix: "Limit the LBO rules' destinations to the address ranges of the approved cloud services (the published Microsoft 365 ranges, for example) and set log = true. Enforce tenant restrictions in the proxy or the cloud service. Send traffic that cannot be limited back through the security cloud.",
    },
};

pub struct Rule;

/// Which list of a firewall a rule sits in, for ordering and subjects.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum List {
    /// The policy list.
    Policy,
    /// An interface filter, by index in `Firewall::filters`.
    Filter(usize),
}

/// What one rule lets out, over every breakout interface pair.
struct Seen<'t> {
    rule: &'t FwRule,
    subject: String,
    /// Packets it lets out that no specific rule pins.
    unpinned: Bdd,
    /// Everything it lets out.
    all: Bdd,
}

/// Whether a rule names specific destinations: no `any`, no whole internet external.
fn specific(topo: &Topology, rule: &FwRule) -> bool {
    !rule.to.iter().any(|s| match &s.value {
        Selector::External(x) => topo.external(x).is_some_and(|e| e.kind.is_internet()),
        other => is_any(other),
    })
}

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) -> Vec<Outcome> {
        let topo = cx.topo;
        let facts = Facts::new(cx);
        // LGWAN sources: the LGWAN-tier segments (prefixes: a small set).
        let lg = cx.reach.addrs.of_selector(&Selector::Tier(Tier::Lgwan));
        let lg = cx.reach.space.src(&lg);
        let mut out = Vec::new();
        let mut wanted_by_external: BTreeMap<usize, Bdd> = BTreeMap::new();
        for (f, fw) in topo.firewalls.iter().enumerate() {
            let mut seen: BTreeMap<(List, usize), Seen<'_>> = BTreeMap::new();
            let mut by_default = FALSE;
            for b in 0..fw.interfaces.len() {
                let Attachment::External(xid) = &fw.interfaces[b].attachment.value else {
                    continue;
                };
                let Some(x) = topo.externals.iter().position(|e| e.id == *xid) else {
                    continue;
                };
                if !topo.externals[x].kind.is_internet() {
                    continue;
                }
                let wanted = *wanted_by_external.entry(x).or_insert_with(|| {
                    let home = cx.reach.addrs.external_home[x].clone();
                    let home = cx.reach.space.dst(&home);
                    cx.reach.space.and(lg, home)
                });
                for a in 0..fw.interfaces.len() {
                    if a == b {
                        continue;
                    }
                    let Some(net) = facts.interface_net(fw, a) else {
                        continue;
                    };
                    let through = breakout(cx, f, a, b, net, wanted);
                    if through == FALSE {
                        continue;
                    }
                    by_default = trace(cx, f, fw, a, b, through, &mut seen, by_default);
                }
            }
            report(cx, fw, seen, by_default, &mut out);
        }
        if out.is_empty() {
            out.push(Outcome::pass("tier:lgwan->internet", None));
        }
        out
    }

    /// It reads the rule lists themselves.
    fn reads_rule_lists(&self) -> bool {
        true
    }
}

/// Packets from the LGWAN tier that firewall `f` forwards from interface `a` (on `net`) out
/// of interface `b` into an internet external (`wanted`: LGWAN sources, that external's
/// addresses as destinations).
fn breakout(cx: &mut Context<'_>, f: usize, a: usize, b: usize, net: Net, wanted: Bdd) -> Bdd {
    let reach = &mut cx.reach;
    let t = reach.transfer(f, a, b);
    let s = reach.space.and(t, wanted);
    if s == FALSE {
        return FALSE;
    }
    let p = reach.present(net);
    reach.space.and(s, p)
}

/// Attributes the packets `through` (a → b) to the allow rules of each list that let them
/// pass; returns `by_default` grown by the packets the policy list's default lets out without
/// a specific rule in any list.
#[allow(clippy::too_many_arguments)]
fn trace<'t>(
    cx: &mut Context<'_>,
    f: usize,
    fw: &'t Firewall,
    a: usize,
    b: usize,
    through: Bdd,
    seen: &mut BTreeMap<(List, usize), Seen<'t>>,
    by_default: Bdd,
) -> Bdd {
    let topo = cx.topo;
    let reach = &mut cx.reach;
    let compiled = reach.lists(f);
    // (list, its rules, their match sets, its default)
    let mut lists: Vec<(List, &'t [FwRule], Vec<Bdd>, Action)> = Vec::new();
    for (iface, is_in) in [(a, true), (b, false)] {
        let c = if is_in {
            &compiled.in_filters[iface]
        } else {
            &compiled.out_filters[iface]
        };
        if let Some(k) = c.filter {
            let filter = &fw.filters[k];
            lists.push((
                List::Filter(k),
                &filter.rules,
                c.matches.clone(),
                filter.default,
            ));
        }
    }
    lists.push((
        List::Policy,
        &fw.rules,
        compiled.policy_matches.clone(),
        fw.default,
    ));
    // The packets each allow rule lets out (first match: what no earlier rule matched).
    let mut hits: Vec<(List, usize, Bdd, bool)> = Vec::new();
    let mut pinned = FALSE;
    let mut policy_default = FALSE;
    for (list, rules, matches, default) in &lists {
        let mut before = FALSE;
        for (k, rule) in rules.iter().enumerate() {
            let m = reach.space.at_interfaces(matches[k], a, b);
            let eff = reach.space.diff(m, before);
            before = reach.space.or(before, m);
            if rule.action != Action::Allow {
                continue;
            }
            let hit = reach.space.and(eff, through);
            if hit == FALSE {
                continue;
            }
            let spec = specific(topo, rule);
            if spec {
                pinned = reach.space.or(pinned, hit);
            }
            hits.push((*list, k, hit, spec));
        }
        if *list == List::Policy && *default == Action::Allow {
            policy_default = reach.space.diff(through, before);
        }
    }
    for (list, k, hit, _) in hits {
        let rule = match list {
            List::Policy => &fw.rules[k],
            List::Filter(i) => &fw.filters[i].rules[k],
        };
        let subject = match list {
            List::Policy => fw.rule_subject(k),
            List::Filter(i) => fw.filter_rule_subject(&fw.filters[i], k),
        };
        let unpinned = reach.space.diff(hit, pinned);
        let entry = seen.entry((list, k)).or_insert(Seen {
            rule,
            subject,
            unpinned: FALSE,
            all: FALSE,
        });
        entry.unpinned = reach.space.or(entry.unpinned, unpinned);
        entry.all = reach.space.or(entry.all, hit);
    }
    let loose = reach.space.diff(policy_default, pinned);
    reach.space.or(by_default, loose)
}

fn report<'t>(
    cx: &mut Context<'_>,
    fw: &'t Firewall,
    seen: BTreeMap<(List, usize), Seen<'t>>,
    by_default: Bdd,
    out: &mut Vec<Outcome>,
) {
    if seen.is_empty() && by_default == FALSE {
        return;
    }
    // Examples start, when they can, on a host next to the firewall (packets may also arrive
    // from farther away, through other networks).
    let near: Vec<AddrRange> = fw
        .interfaces
        .iter()
        .filter_map(|i| match &i.attachment.value {
            Attachment::Segment(s) => Some(s.as_str()),
            Attachment::External(_) => None,
        })
        .flat_map(|seg| {
            cx.topo
                .hosts
                .iter()
                .flat_map(|h| h.interfaces.iter())
                .filter(move |i| i.segment.value == seg)
                .map(|i| i.ip.value)
        })
        .collect();
    let near = cx.reach.space.src(&normalize(near));
    let example = |cx: &mut Context<'_>, set: Bdd| -> Option<Evidence> {
        let local = cx.reach.space.and(set, near);
        let set = if local == FALSE { set } else { local };
        let https = cx.reach.space.service(crate::model::Service::Proto {
            proto: crate::model::service::TCP,
            ports: crate::model::service::PortRange {
                first: 443,
                last: 443,
            },
        });
        let web = cx.reach.space.and(set, https);
        let set = if web == FALSE { set } else { web };
        let flow = cx.reach.space.pleasant_example(set)?;
        Some(Evidence::Steps(vec![Text::new(
            format!("例: {flow} ({} を経由してインターネットへ)", fw.id),
            format!("e.g. {flow} (out to the internet through {})", fw.id),
        )]))
    };
    // Policy rules first, then filters, each in order.
    let mut entries: Vec<((List, usize), Seen<'t>)> = seen.into_iter().collect();
    entries.sort_by_key(|((l, k), _)| (*l != List::Policy, *l, *k));
    for ((_, _), s) in entries {
        let broad = s.unpinned != FALSE;
        let unlogged = !s.rule.log;
        if !broad && !unlogged {
            out.push(Outcome::pass(s.subject, Some(s.rule.loc)));
            continue;
        }
        let to = s
            .rule
            .to
            .iter()
            .map(|x| x.value.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let mut ja = Vec::new();
        let mut en = Vec::new();
        if broad {
            ja.push(format!(
                "宛先を特定していない (to = {to}) まま LGWAN接続系からインターネットへの通信を通している"
            ));
            en.push(format!(
                "lets LGWAN-tier traffic out to the internet without specific destinations (to = {to})"
            ));
        }
        if unlogged {
            ja.push("ログを取っていない (log = false)".to_string());
            en.push("does not log (log = false)".to_string());
        }
        let origin = s
            .rule
            .origin
            .as_ref()
            .map(|o| format!(" [{o}]"))
            .unwrap_or_default();
        let evidence = example(cx, if broad { s.unpinned } else { s.all });
        let mut o = Outcome::fail(
            s.subject.clone(),
            Some(s.rule.loc),
            Text::new(
                format!(
                    "ローカルブレイクアウトのルール {}{origin}: {}",
                    s.subject,
                    ja.join("、")
                ),
                format!(
                    "local breakout rule {}{origin} {}",
                    s.subject,
                    en.join(", and ")
                ),
            ),
        );
        if let Some(e) = evidence {
            o = o.with_evidence(e);
        }
        out.push(o);
    }
    if by_default != FALSE {
        let mut o = Outcome::fail(
            fw.id.clone(),
            Some(fw.loc),
            Text::new(
                format!(
                    "ファイアウォール {} は既定 (default = \"allow\") で LGWAN接続系からインターネットへの通信を通している",
                    fw.id
                ),
                format!(
                    "firewall {} lets LGWAN-tier traffic out to the internet by its default (default = \"allow\")",
                    fw.id
                ),
            ),
        );
        if let Some(e) = example(cx, by_default) {
            o = o.with_evidence(e);
        }
        out.push(o);
    }
}
