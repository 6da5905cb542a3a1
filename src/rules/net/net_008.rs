//! NET-008 (sansou's own): packets that firewalls with routing tables pass round in a circle.

use super::{hop_loc, hop_step};
use crate::analysis::names;
use crate::analysis::routing::loops::loops;
use crate::model::policy::Level;
use crate::rules::{Context, Doc, Evidence, Levels, Meta, Outcome, Text};

pub static META: Meta = Meta {
    code: "NET-008",
    name: "routing-loop",
    levels: Levels::all(Level::Warn),
    guideline: "GL(R6.10) 対策基準 4.3",
    confidence: "I",
    ja: Doc {
        title: "経路ループ (sansou 独自の検査)",
        what: "経路表 ([[firewall.route]]) を持つファイアウォール・ルータの間で、パケットが経路表に従って同じ機器に戻ってくる (回り続ける) ことがないこと。宛先アドレス空間を全経路表のプレフィックスの境界で区切り、区間ごとに転送の有向グラフの強連結成分を求め、その中をフィルタとポリシーを通って回り続けるパケットの集合を厳密に求める。実際にそこへ届くパケットがあるループだけを報告し、1 周する具体的なパケットと各ホップの経路を示す。経路表を持たない機器は対象外 (任意の許可経路を仮定するため)。ガイドラインのカタログ項目ではなく、sansou 独自の検査。",
        why: "経路ループに入ったパケットは TTL が尽きるまで機器の間を往復し、宛先に届かないうえに回線と機器の処理能力を浪費する。業務通信が止まり、障害時の切り分けも難しくなる。経路表を設計書どおりに読むと、ループは静的経路の書き間違い (互いを既定経路に向けるなど) から生じることが多い。",
        example: "core の既定経路 0.0.0.0/0 が edge (10.9.0.2) を向き、edge の 10.0.0.0/8 への経路が core (10.9.0.1) を向いているが、10.5.0.0/16 を持つ機器はどちらにもない。10.5.0.0/16 宛てのパケットは core と edge の間を回り続ける。",
        fix: "ループに含まれる経路のうち、どちらかの機器で宛先をより具体的な経路で正しい出口に向けるか、存在しない宛先は discard = true (Null 経路) で破棄する。",
    },
    en: Doc {
        title: "Routing loop (sansou's own check)",
        what: "Between firewalls and routers with routing tables ([[firewall.route]]), no packet follows the tables back to a device it has crossed (round and round). The destination space is cut at every prefix boundary of every table; per class, the strongly connected components of the forwarding graph are where a packet can go round, and within them the packets that pass the filters and policies round and round are computed exactly. Only loops that some packet gets to are reported, each with one concrete packet that goes round once and the route of every hop. Devices without a table take no part (any allowed path is assumed there). This is not a catalogue item: it is sansou's own check.",
        why: "A packet caught in a routing loop travels between the devices until its TTL runs out: it never arrives, and it wastes the lines and the devices' capacity. Business traffic stops and faults are hard to trace. Read as designed, loops usually come from mistyped static routes (two devices pointing their default routes at each other).",
        example: "core's default route 0.0.0.0/0 points at edge (10.9.0.2), edge's route for 10.0.0.0/8 points at core (10.9.0.1), and neither has 10.5.0.0/16: packets for 10.5.0.0/16 go round between core and edge.",
        fix: "On one device of the loop, send the destinations to the right exit with a more specific route, or drop destinations that do not exist with a discard route (discard = true, a null route).",
    },
};

pub struct Rule;

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) -> Vec<Outcome> {
        let topo = cx.topo;
        let found = loops(&mut cx.reach);
        if found.is_empty() {
            return vec![Outcome::pass("routing-tables", None)];
        }
        found
            .into_iter()
            .map(|l| {
                let ids: Vec<&str> = l
                    .firewalls
                    .iter()
                    .map(|&f| topo.firewalls[f].id.as_str())
                    .collect();
                let ids = ids.join(", ");
                let dst = names::ranges(&l.destinations);
                let first = &topo.firewalls[l.hops[0].firewall].id;
                let mut steps = vec![Text::new(
                    format!("例: {}", l.flow),
                    format!("e.g. {}", l.flow),
                )];
                steps.extend(l.hops.iter().map(|h| hop_step(topo, h)));
                steps.push(Text::new(
                    format!("{first} に戻り、同じ経路を繰り返す"),
                    format!("back at {first}: the packet goes round again"),
                ));
                let (ecmp_ja, ecmp_en) = if l.ecmp {
                    (
                        " (等コスト経路があり、その一部の通信がループする)",
                        " (equal-cost routes: the share of the traffic sent this way loops)",
                    )
                } else {
                    ("", "")
                };
                Outcome::fail(
                    format!("loop:{}", ids.replace(", ", ",")),
                    Some(hop_loc(topo, &l.hops[0])),
                    Text::new(
                        format!("宛先 {dst} のパケットがファイアウォール {ids} の間を回り続ける (経路ループ){ecmp_ja}"),
                        format!("packets for {dst} go round between firewalls {ids} (routing loop){ecmp_en}"),
                    ),
                )
                .with_evidence(Evidence::Steps(steps))
            })
            .collect()
    }
}
