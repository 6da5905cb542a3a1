//! MN-001: no path of any kind between the My Number tier and the internet.

use crate::model::policy::Level;
use crate::model::{FlowMethod, GatewayKind, Tier};
use crate::rules::{Context, Doc, Evidence, Levels, Meta, Outcome, Text};

pub static META: Meta = Meta {
    code: "MN-001",
    name: "mynumber-internet-path",
    levels: Levels::all(Level::Deny),
    guideline: "GL(R6.10) 対策基準 3.(1)①",
    confidence: "V",
    ja: Doc {
        title: "マイナンバー利用事務系とインターネットの間の経路",
        what: "マイナンバー利用事務系 (tier mynumber) とインターネット側 (tier internet のゾーン、kind internet / security-cloud の外部網) の間に、どちら向きにも経路が無いこと。経路には、ファイアウォールを通るパケット、両方の層に足を持つホスト、両者を結ぶゲートウェイ (画面転送・無害化を含む)、宣言されたデータフロー (USB 等の媒体、ネットワーク、画面)、インターネット側に置かれたマイナンバー系データの複製 (copied_from) を含む。",
        why: "マイナンバー利用事務系は他の領域との通信ができないようにすることが三層分離の第一の要件である。一本でも経路があれば、標的型攻撃で侵入された端末から特定個人情報に到達でき、持ち出しも可能になる。2015 年の年金機構事案では、基幹系から抽出されたデータがインターネットに接続された情報系に置かれていた。",
        example: "マイナンバー系のファイアウォールに「any から any へ tcp/443 許可」のルールがあり、セキュリティクラウドへ抜けられる。",
        fix: "経路となるルール・接続・フローを削除する。やむを得ない外部連携は LGWAN 経由の特定通信 (MN-003, EXT-003) に限る。",
    },
    en: Doc {
        title: "Path between the My Number tier and the internet",
        what: "No path, in either direction, between the My Number tier and the internet side (internet-tier zones and externals of kind internet or security-cloud). Paths are packets through firewalls, hosts with interfaces in both, gateways joining them (screen transfer and sanitizers included), declared data flows (USB media, network, screen) and copies of My Number data on the internet side (`copied_from`).",
        why: "Blocking every connection between the My Number tier and other domains is the first requirement of the three-tier model. One path is enough for a phished terminal to reach specific personal information and carry it out. In the 2015 Japan Pension Service breach, data extracted from the core system sat on an internet-connected network.",
        example: "The My Number firewall allows tcp/443 from any to any, so packets reach the security cloud.",
        fix: "Remove the rule, connection or flow that forms the path. Necessary external exchange goes only as pinned 特定通信 via LGWAN (MN-003, EXT-003).",
    },
};

pub struct Rule;

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) -> Vec<Outcome> {
        let topo = cx.topo;
        let mut out = Vec::new();
        // Packets, both ways.
        let mut pairs = cx.tier_to_internet(Tier::MyNumber, false);
        pairs.extend(cx.tier_to_internet(Tier::MyNumber, true));
        for p in pairs {
            let subject = crate::analysis::names::pair_subject(topo, &p);
            let shown = crate::analysis::names::pair(topo, &p);
            let loc = crate::rules::support::pair_loc(cx, &p, false);
            out.push(
                Outcome::fail(
                    subject.clone(),
                    loc,
                    Text::new(
                        format!("パケットが {shown} に届く ({})", p.services),
                        format!("packets get {shown} ({})", p.services),
                    ),
                )
                .with_evidence(Context::packet_evidence(&p)),
            );
        }
        // Hosts with a foot in both.
        for h in &topo.hosts {
            let tiers = cx.host_tiers(h);
            if tiers.contains(&Tier::MyNumber) && tiers.contains(&Tier::Internet) {
                out.push(Outcome::fail(
                    format!("host:{}", h.id),
                    Some(h.loc),
                    Text::new(
                        format!("ホスト {} がマイナンバー利用事務系とインターネット接続系の両方に接続している", h.id),
                        format!("host {} has interfaces in both the My Number and the internet tier", h.id),
                    ),
                ));
            }
        }
        // Gateways between the two tiers carry content (pixels, files, mail).
        for g in &topo.gateways {
            let (a, b) = (cx.zone_tier(&g.from), cx.zone_tier(&g.to));
            let joins = |x, y| a == Some(x) && b == Some(y);
            if joins(Tier::MyNumber, Tier::Internet) || joins(Tier::Internet, Tier::MyNumber) {
                let kind = g.kind;
                let what = if kind == GatewayKind::ScreenTransfer {
                    ("画面転送", "screen transfer")
                } else {
                    ("ゲートウェイ", "gateway")
                };
                out.push(Outcome::fail(
                    format!("gateway:{}", g.id),
                    Some(g.loc),
                    Text::new(
                        format!(
                            "{} {} ({kind}) が {} から {} へ内容を運ぶ",
                            what.0, g.id, g.from.value, g.to.value
                        ),
                        format!(
                            "{} {} ({kind}) carries content from {} to {}",
                            what.1, g.id, g.from.value, g.to.value
                        ),
                    ),
                ));
            }
        }
        // Declared flows (USB media, network, screen) between the tiers, either way.
        for f in &topo.flows {
            if f.method == FlowMethod::Paper {
                continue;
            }
            let (a, b) = (cx.selector_tiers(&f.from), cx.selector_tiers(&f.to));
            let crosses = (a.contains(&Tier::MyNumber) && b.contains(&Tier::Internet))
                || (a.contains(&Tier::Internet) && b.contains(&Tier::MyNumber));
            if crosses {
                out.push(
                    Outcome::fail(
                        format!("flow:{}", f.id),
                        Some(f.loc),
                        Text::new(
                            format!(
                                "データフロー {} ({}) が {} から {} へ",
                                f.id, f.method, *f.from, *f.to
                            ),
                            format!(
                                "data flow {} ({}) goes from {} to {}",
                                f.id, f.method, *f.from, *f.to
                            ),
                        ),
                    )
                    .with_evidence(Evidence::Steps(vec![Text::new(
                        format!("{} → {} ({})", *f.from, *f.to, f.method),
                        format!("{} → {} by {}", *f.from, *f.to, f.method),
                    )])),
                );
            }
        }
        // Copies of My Number data placed on the internet side.
        for s in &topo.stores {
            let Some(src) = &s.copied_from else { continue };
            let Some(origin) = topo.stores.iter().find(|o| o.id == src.value) else {
                continue;
            };
            if cx.store_tiers(origin).contains(&Tier::MyNumber)
                && cx.store_tiers(s).contains(&Tier::Internet)
            {
                out.push(Outcome::fail(
                    format!("store:{}", s.id),
                    Some(s.loc),
                    Text::new(
                        format!(
                            "インターネット接続系のデータストア {} はマイナンバー系の {} の複製",
                            s.id, origin.id
                        ),
                        format!(
                            "store {} on the internet side is a copy of My Number store {}",
                            s.id, origin.id
                        ),
                    ),
                ));
            }
        }
        if out.is_empty() {
            out.push(Outcome::pass("tier:mynumber", None));
        }
        out
    }
}
