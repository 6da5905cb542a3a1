//! ZN-002: no host spans two tiers; gateways sit only in the zones they join.

use crate::model::policy::Level;
use crate::model::{HostInterface, Tier, Topology};
use crate::rules::support::{tier_label, tiers_label};
use crate::rules::{Context, Doc, Evidence, Levels, Meta, Outcome, Text};

pub static META: Meta = Meta {
    code: "ZN-002",
    name: "host-bridges-tiers",
    levels: Levels::all(Level::Deny),
    guideline: "GL(R6.10) 対策基準 3; S6",
    confidence: "I",
    ja: Doc {
        title: "複数の層にまたがるホスト",
        what: "ホスト ([[host]]) のインターフェースが、異なる層 (tier) のゾーンにまたがっていないこと。2 つの層にインターフェースを持つホストはブリッジとして不合格とする。ゲートウェイ ([[gateway]]) は from と to の 2 つのゾーンを結ぶ境界装置として宣言されているので、その 2 つの層以外のゾーンにインターフェースがある場合だけ不合格とする。",
        why: "層の間の通信は、ルールで制御されたファイアウォールか、無害化・画面転送などの認められた経路だけを通るのが三層分離の前提である。2 つの層に接続しているサーバや端末は、どちらの層からも到達でき、乗っ取られれば層の間を自由に行き来する踏み台になる。ファイアウォールのルールをいくら絞っても、この経路は塞がらない。",
        example: "LGWAN接続系とインターネット接続系の両方のセグメントに NIC を持つ共用のファイルサーバ (interfaces = [{ segment = \"lg-servers\", ... }, { segment = \"inet-servers\", ... }])。",
        fix: "ホストを層ごとに分け、それぞれ 1 つの層のセグメントだけに置く。層の間でデータを渡す必要があるなら、ファイル無害化などのゲートウェイか、特定通信として限定したファイアウォールのルールを使う。ゲートウェイは、宣言した from・to のゾーンだけにインターフェースを置く。",
    },
    en: Doc {
        title: "Hosts spanning tiers",
        what: "No host ([[host]]) has interfaces in zones of different tiers: a host with interfaces in two tiers is a bridge and fails. A gateway ([[gateway]]) is a declared boundary device between its `from` and `to` zones; it fails only with an interface in a zone of some third tier.",
        why: "The three-tier model assumes traffic between tiers passes only a rule-controlled firewall or a sanctioned crossing (sanitizer, screen transfer). A server or terminal with interfaces in two tiers is reachable from both and, once compromised, carries an attacker across at will. No firewall rule closes that path.",
        example: "A shared file server with NICs on both the LGWAN and the internet tier (interfaces = [{ segment = \"lg-servers\", ... }, { segment = \"inet-servers\", ... }]).",
        fix: "Split the host per tier, each copy on segments of one tier only. Data that must cross goes through a gateway (e.g. file sanitization) or a firewall rule pinned as 特定通信. Give gateways interfaces only in their declared `from` and `to` zones.",
    },
};

pub struct Rule;

/// Each interface as a step: `segment (zone, tier) ip`.
fn interface_steps(topo: &Topology, interfaces: &[HostInterface]) -> Vec<Text> {
    interfaces
        .iter()
        .map(|i| {
            let seg = topo.segment(&i.segment);
            let zone = seg.map(|s| s.zone.value.as_str()).unwrap_or("?");
            let (tja, ten) = topo
                .segment_tier(&i.segment)
                .map(tier_label)
                .unwrap_or(("?", "?"));
            Text::new(
                format!(
                    "segment:{} (ゾーン {zone}、{tja}) {}",
                    i.segment.value, i.ip.value
                ),
                format!(
                    "segment:{} (zone {zone}, {ten} tier) {}",
                    i.segment.value, i.ip.value
                ),
            )
        })
        .collect()
}

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) -> Vec<Outcome> {
        let topo = cx.topo;
        let mut out = Vec::new();
        for h in &topo.hosts {
            if h.interfaces.len() < 2 {
                continue;
            }
            let subject = format!("host:{}", h.id);
            let tiers = cx.host_tiers(h);
            if tiers.len() < 2 {
                out.push(Outcome::pass(subject, Some(h.loc)));
                continue;
            }
            let (ja, en) = tiers_label(&tiers);
            out.push(
                Outcome::fail(
                    subject,
                    Some(h.loc),
                    Text::new(
                        format!(
                            "ホスト {} が{}の両方にインターフェースを持ち、層の間のブリッジになっている",
                            h.id, ja
                        ),
                        format!(
                            "host {} has interfaces in the {} tiers: it bridges them",
                            h.id, en
                        ),
                    ),
                )
                .with_evidence(Evidence::Steps(interface_steps(topo, &h.interfaces))),
            );
        }
        for g in &topo.gateways {
            let subject = format!("gateway:{}", g.id);
            let joined = [cx.zone_tier(&g.from), cx.zone_tier(&g.to)];
            let mut stray: Vec<(String, Tier)> = g
                .interfaces
                .iter()
                .filter_map(|i| topo.segment(&i.segment))
                .filter_map(|s| Some((s.zone.value.clone(), cx.zone_tier(&s.zone)?)))
                .filter(|(_, t)| !joined.contains(&Some(*t)))
                .collect();
            stray.sort();
            stray.dedup();
            if stray.is_empty() {
                out.push(Outcome::pass(subject, Some(g.loc)));
                continue;
            }
            out.push(
                Outcome::fail(
                    subject,
                    Some(g.loc),
                    Text::new(
                        format!(
                            "ゲートウェイ {} は {} と {} を結ぶと宣言されているが、{}にもインターフェースを持つ",
                            g.id,
                            g.from.value,
                            g.to.value,
                            stray
                                .iter()
                                .map(|(z, t)| format!("{}のゾーン {z} ", tier_label(*t).0))
                                .collect::<Vec<_>>()
                                .join("・")
                        ),
                        format!(
                            "gateway {} is declared between {} and {} but also has an interface in {}",
                            g.id,
                            g.from.value,
                            g.to.value,
                            stray
                                .iter()
                                .map(|(z, t)| format!("zone {z} ({} tier)", tier_label(*t).1))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ),
                )
                .with_evidence(Evidence::Steps(interface_steps(topo, &g.interfaces))),
            );
        }
        if out.is_empty() {
            out.push(Outcome::pass("topology", None));
        }
        out
    }
}
