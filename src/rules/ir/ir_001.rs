//! IR-001: every site can be cut off from the internet at a declared choke point.

use super::isolation_text;
use crate::analysis::names;
use crate::graph::Net;
use crate::model::Firewall;
use crate::model::policy::Level;
use crate::rules::{Context, Doc, Evidence, Levels, Meta, Outcome, Text};
use std::collections::{BTreeMap, VecDeque};

pub static META: Meta = Meta {
    code: "IR-001",
    name: "site-without-internet-isolation-point",
    levels: Levels::all(Level::Deny),
    guideline: "GL(R6.10) 対策基準 7.3",
    confidence: "V",
    ja: Doc {
        title: "インターネットから切り離す遮断点の無い拠点",
        what: "拠点ごと (セグメントの site。site がどこにも無ければ組織全体) に、その拠点のセグメントからインターネット (kind internet / security-cloud の外部網) へ至るすべての経路 (ファイアウォールと、その間のセグメント・外部網をたどる接続上の経路。ルールの許否は問わない) が、isolation_point = true のファイアウォールを通ること。遮断点を通らない経路があれば、その経路上のファイアウォールがすべて isolation_point = false なら不合格、記載の無いものを含めば判定不能。インターネットへの経路が無い拠点は合格。 [[site]] を宣言した拠点は isolation_playbook (遮断手順の所在) を書くこと。無ければ判定不能。",
        why: "侵害が分かったとき、拠点ごと・組織全体をすぐにインターネットから切り離せなければ、情報の持ち出しが続く。2015 年の日本年金機構の事案では、全拠点のインターネット遮断が完了したのは不審な通信の発覚から約 3 週間後の 5 月 28〜29 日で、その間に被害が広がった。遮断する場所と手順は事前に決めておく必要がある。",
        example: "拠点 shisho の端末セグメントが独自のファイアウォール fw-shisho でインターネットに出ており、fw-shisho が isolation_point = false (本庁の遮断点 fw-honcho を通らない)。",
        fix: "インターネットへの出口を遮断点となるファイアウォールに集約し、そのファイアウォールに isolation_point = true と記載する。遮断の手順 (誰が・どの設定で・何分で) を緊急時対応計画に定め、訓練する。集約できない出口は、それぞれを遮断点として手順に含める。",
    },
    en: Doc {
        title: "Site without an internet isolation point",
        what: "For each site (the segments' `site`; the whole organisation when no segment names one), every path from the site's segments to the internet (externals of kind internet or security-cloud) crosses a firewall with isolation_point = true. Paths follow the wiring: firewalls and the segments and external networks between them, whatever their rules allow. A path that avoids every isolation point fails when all its firewalls say isolation_point = false, and is unknown when some do not say. A site with no path to the internet passes. A declared [[site]] states its isolation_playbook (where the cut-off procedure is written); one that does not is unknown.",
        why: "Once a compromise is found, a site or the whole organisation must be cut off from the internet at once, or data keeps leaving. In the 2015 Japan Pension Service breach, every site was cut off only on 28-29 May, about three weeks after the first suspicious traffic, and the damage grew meanwhile. Where and how to cut must be decided beforehand.",
        example: "The terminals of site shisho reach the internet through their own firewall fw-shisho, which has isolation_point = false, without passing the main office's isolation point fw-honcho.",
        fix: "Bring internet exits together at firewalls that serve as isolation points and write isolation_point = true on them. Put the cut-off procedure (who, which setting, how fast) in the emergency response plan and rehearse it. An exit that cannot be merged becomes an isolation point of its own, in the procedure.",
    },
};

pub struct Rule;

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) -> Vec<Outcome> {
        let topo = cx.topo;
        // A declared site names the procedure that cuts it off; one that does not is unknown.
        let mut out: Vec<Outcome> = topo
            .sites
            .iter()
            .filter(|s| s.isolation_playbook.is_none())
            .map(|s| {
                Outcome::unknown(
                    format!("site:{}", s.id),
                    Some(s.loc),
                    Text::new(
                        format!("拠点 {} に遮断手順 (isolation_playbook) の記載が無い", s.id),
                        format!("site {} does not state its isolation_playbook", s.id),
                    ),
                )
            })
            .collect();
        if cx.internet_externals().is_empty() {
            out.push(Outcome::pass("organisation", None));
            return out;
        }
        // Segments by site; segments without one form the organisation's own group.
        let mut sites: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        let mut unsited = Vec::new();
        for (i, s) in topo.segments.iter().enumerate() {
            match &s.site {
                Some(site) => sites.entry(site.as_str()).or_default().push(i),
                None => unsited.push(i),
            }
        }
        let any_site = !sites.is_empty();
        let mut groups: Vec<(String, Text, Vec<usize>)> = sites
            .into_iter()
            .map(|(site, segs)| {
                (
                    format!("site:{site}"),
                    Text::new(format!("拠点 {site}"), format!("site {site}")),
                    segs,
                )
            })
            .collect();
        if !unsited.is_empty() {
            let name = if any_site {
                Text::new(
                    "拠点 (site) の無いセグメント",
                    "the segments that name no site",
                )
            } else {
                Text::new("組織全体", "the organisation")
            };
            groups.push(("organisation".into(), name, unsited));
        }
        for (subject, name, segs) in groups {
            let loc = Some(topo.segments[segs[0]].loc);
            let starts: Vec<Net> = segs.iter().map(|&s| Net::Segment(s)).collect();
            // A path that avoids every declared isolation point.
            let Some((x, path)) = search(cx, &starts, |fw| fw.isolation_point != Some(true)) else {
                out.push(Outcome::pass(subject, loc));
                continue;
            };
            // One that crosses only firewalls declared not to be isolation points fails.
            let declared = search(cx, &starts, |fw| fw.isolation_point == Some(false));
            let (x, path, verdict_fail) = match declared {
                Some((x, path)) => (x, path, true),
                None => (x, path, false),
            };
            let external = &topo.externals[x].id;
            let steps: Vec<Text> = path
                .iter()
                .map(|c| {
                    let fw = &topo.firewalls[c.firewall];
                    let iso = isolation_text(fw);
                    let (a, b) = (names::net(topo, c.from), names::net(topo, c.to));
                    Text::new(
                        format!("{a} → {} ({}) → {b}", fw.id, iso.0),
                        format!("{a} → {} ({}) → {b}", fw.id, iso.1),
                    )
                })
                .collect();
            let o = if verdict_fail {
                Outcome::fail(
                    subject,
                    loc,
                    Text::new(
                        format!(
                            "{} から external:{external} への経路に遮断点 (isolation_point = true のファイアウォール) が無い",
                            name.ja
                        ),
                        format!(
                            "{} reaches external:{external} by a path with no isolation point (no firewall on it has isolation_point = true)",
                            name.en
                        ),
                    ),
                )
            } else {
                let mut silent: Vec<&str> = path
                    .iter()
                    .map(|c| &topo.firewalls[c.firewall])
                    .filter(|fw| fw.isolation_point.is_none())
                    .map(|fw| fw.id.as_str())
                    .collect();
                silent.dedup();
                let silent = silent.join(", ");
                Outcome::unknown(
                    subject,
                    loc,
                    Text::new(
                        format!(
                            "{} は external:{external} に到達できるが、経路上のファイアウォールが遮断点かどうか (isolation_point) が記載されていない: {silent}",
                            name.ja
                        ),
                        format!(
                            "{} reaches external:{external} through firewalls that do not state whether they are isolation points (`isolation_point`): {silent}",
                            name.en
                        ),
                    ),
                )
            };
            out.push(o.with_evidence(Evidence::Steps(steps)));
        }
        out
    }
}

/// One firewall crossed on a wiring path.
#[derive(Clone)]
struct Crossing {
    firewall: usize,
    from: Net,
    to: Net,
}

/// A shortest wiring path from the start networks to an internet external, crossing only
/// firewalls `may_cross` accepts: the external and the crossings in order.
fn search(
    cx: &Context<'_>,
    starts: &[Net],
    may_cross: impl Fn(&Firewall) -> bool,
) -> Option<(usize, Vec<Crossing>)> {
    let topo = cx.topo;
    let network = &cx.reach.network;
    // The search state is a flat table by network (it runs once per site, over a network of
    // a thousand segments).
    let index = |net: Net| network.index(net);
    let mut seen = vec![false; network.net_count()];
    let mut parent: Vec<Option<Crossing>> = vec![None; seen.len()];
    let mut queue = VecDeque::new();
    for &s in starts {
        seen[index(s)] = true;
        queue.push_back(s);
    }
    while let Some(net) = queue.pop_front() {
        if let Net::External(x) = net
            && topo.externals[x].kind.is_internet()
        {
            let mut path = Vec::new();
            let mut at = net;
            while let Some(c) = parent[index(at)].take() {
                at = c.from;
                path.push(c);
            }
            path.reverse();
            return Some((x, path));
        }
        for p in network.ports_on(net) {
            if !may_cross(&topo.firewalls[p.firewall]) {
                continue;
            }
            for q in &network.ports[p.firewall] {
                if q.interface == p.interface || seen[index(q.net)] {
                    continue;
                }
                seen[index(q.net)] = true;
                parent[index(q.net)] = Some(Crossing {
                    firewall: p.firewall,
                    from: net,
                    to: q.net,
                });
                queue.push_back(q.net);
            }
        }
    }
    None
}
