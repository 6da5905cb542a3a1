//! NET-009 (sansou's own): packets a firewall's lists allow but its routing table cannot
//! forward.

use super::{hop_loc, hop_step};
use crate::analysis::names;
use crate::analysis::routing::blackholes::{Cause, blackholes};
use crate::model::FirewallId;
use crate::model::policy::Level;
use crate::rules::{Context, Doc, Evidence, Levels, Meta, Outcome, Text};
use std::collections::BTreeSet;

pub static META: Meta = Meta {
    code: "NET-009",
    name: "routing-blackhole",
    levels: Levels::all(Level::Warn),
    guideline: "GL(R6.10) 対策基準 4.3",
    confidence: "I",
    ja: Doc {
        title: "経路のブラックホール (sansou 独自の検査)",
        what: "経路表 ([[firewall.route]]) を持つファイアウォール・ルータに届き、フィルタとポリシーが通すパケットを、経路表が転送できない箇所がないこと。(1) 経路なし: 直結経路を含むどの経路にも宛先が当たらない。(2) 行き先なし: 経路が出すネットワークに宛先が無く、そこに他のファイアウォールもいない。(3) 次ホップなし: 経路の next_hop が、出口のネットワークにいる他のファイアウォールのどのアドレスでもない (他のファイアウォールがすべてアドレスを記載している場合に限る。ホストのアドレスなら、そのホストは転送しない)。discard = true の経路は意図した破棄なので対象外。設計上どこかに所属する宛先 (セグメント、外部網) だけを数え、実際にその機器に届くパケットだけを報告し、具体的なパケットと経路を示す。ガイドラインのカタログ項目ではなく、sansou 独自の検査。",
        why: "ポリシーが許可しているのに経路が無い通信は、設計者が通すつもりの業務通信が実際には届かないことを示す。逆に通すつもりがないなら、ポリシーと経路表の意図が食い違っており、後の経路追加で意図しない通信が通りうる。次ホップの誤記は、構成変更のたびに起きやすい誤りである。",
        example: "ルータ core の経路表に既定経路がなく、LGWAN 172.16.0.0/12 への経路だけがある。ポリシーは全許可 (default = \"allow\") なので、インターネット宛てのパケットは許可されるが転送先が無い。",
        fix: "通すべき通信なら経路を追加する (next_hop は隣接する機器の実アドレスにする)。通さない通信なら、ポリシーで拒否するか、discard = true の経路で意図した破棄として明示する。",
    },
    en: Doc {
        title: "Routing blackhole (sansou's own check)",
        what: "No packet that gets to a firewall or router with a routing table ([[firewall.route]]) and passes its filters and policy is one the table cannot forward: (1) no route: no route, connected ones included, holds the destination; (2) leads nowhere: the route sends it onto a network where the destination is not and no other firewall sits; (3) no neighbour: the route's next_hop is none of the addresses of the other firewalls on the network it leaves onto (judged only when all of them declare their address; a host's address does not count, hosts never forward). A discard route (discard = true) is a deliberate drop and never flagged. Only destinations at home somewhere in the design (a segment, an external network) count, and only packets that get to the device; each finding shows a concrete packet and its route. This is not a catalogue item: it is sansou's own check.",
        why: "Traffic the policy allows but no route carries is business traffic the designer meant to pass that never arrives. If it is not meant to pass, the policy and the table disagree, and a later route can open what nobody intended. A mistyped next hop is a common slip of every configuration change.",
        example: "Router core has no default route, only one for the LGWAN (172.16.0.0/12); its policy allows everything (default = \"allow\"), so packets for the internet are allowed and have nowhere to go.",
        fix: "Add the route if the traffic should pass (with the next_hop the real address of the neighbouring device). If it should not, deny it in the policy, or make the drop deliberate with a discard route (discard = true).",
    },
};

pub struct Rule;

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) -> Vec<Outcome> {
        let topo = cx.topo;
        let found = blackholes(&mut cx.reach);
        let lossy: BTreeSet<FirewallId> = found.iter().map(|b| b.firewall).collect();
        let mut out: Vec<Outcome> = (0..topo.firewalls.len())
            .filter(|&f| cx.reach.network.routing[f].is_some() && !lossy.contains(&FirewallId(f)))
            .map(|f| Outcome::pass(&topo.firewalls[f].id, Some(topo.firewalls[f].loc)))
            .collect();
        if out.is_empty() && found.is_empty() {
            out.push(Outcome::pass("routing-tables", None));
        }
        for b in found {
            let fw = &topo.firewalls[b.firewall];
            let dst = names::ranges(&b.destinations);
            let out_name = names::interface(topo, b.firewall, b.hop.egress);
            let net = names::net(topo, b.hop.to);
            let (subject, text) = match b.cause {
                Cause::NoRoute => (
                    format!("{}/no-route", fw.id),
                    Text::new(
                        format!(
                            "ファイアウォール {} はリストが許可する宛先 {dst} への経路を持たない (ブラックホール)",
                            fw.id
                        ),
                        format!(
                            "firewall {} has no route for {dst}, which its lists allow (blackhole)",
                            fw.id
                        ),
                    ),
                ),
                Cause::LeadsNowhere(k) | Cause::NoNeighbour { route: k, .. } => {
                    let r = &fw.routes[k];
                    let via = match &r.next_hop {
                        Some(h) => h.value.to_string(),
                        None => out_name.clone(),
                    };
                    let route = format!("{} via {via}", r.destination.value);
                    let text = match b.cause {
                        Cause::NoNeighbour { holder, .. } => {
                            let (h_ja, h_en) = match holder {
                                Some(h) => (
                                    format!(
                                        "。このアドレスはホスト {} のもので、ホストは転送しない",
                                        topo.hosts[h].id
                                    ),
                                    format!(
                                        "; the address is host {}'s, and hosts do not forward",
                                        topo.hosts[h].id
                                    ),
                                ),
                                None => (String::new(), String::new()),
                            };
                            Text::new(
                                format!(
                                    "ファイアウォール {} の経路 {route} の次ホップは {net} にいる他のファイアウォールのどのアドレスでもなく、宛先 {dst} のパケットが失われる (ブラックホール){h_ja}",
                                    fw.id
                                ),
                                format!(
                                    "the next hop of route {route} of firewall {} is no other firewall's address on {net}, so packets for {dst} are lost (blackhole){h_en}",
                                    fw.id
                                ),
                            )
                        }
                        _ => Text::new(
                            format!(
                                "ファイアウォール {} の経路 {route} は宛先 {dst} のパケットを {out_name} から {net} へ出すが、そこに宛先も他のファイアウォールも無い (ブラックホール)",
                                fw.id
                            ),
                            format!(
                                "route {route} of firewall {} sends packets for {dst} out through {out_name} onto {net}, where neither the destination nor another firewall is (blackhole)",
                                fw.id
                            ),
                        ),
                    };
                    (format!("{}/route {route}", fw.id), text)
                }
            };
            let mut steps = vec![
                Text::new(format!("例: {}", b.flow), format!("e.g. {}", b.flow)),
                hop_step(topo, &b.hop),
            ];
            if b.cause == Cause::NoRoute {
                steps.push(Text::new(
                    format!(
                        "{} の経路表に宛先 {} への経路が無い",
                        fw.id,
                        std::net::Ipv4Addr::from(b.flow.dst)
                    ),
                    format!(
                        "{}'s table has no route for {}",
                        fw.id,
                        std::net::Ipv4Addr::from(b.flow.dst)
                    ),
                ));
            }
            out.push(
                Outcome::fail(subject, Some(hop_loc(topo, &b.hop)), text)
                    .with_evidence(Evidence::Steps(steps)),
            );
        }
        out
    }
}
