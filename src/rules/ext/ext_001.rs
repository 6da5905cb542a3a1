//! EXT-001: the 住基ネット line attaches only to firewalls of the My Number tier and has no
//! packet path to or from the internet side.

use crate::analysis::bdd::TRUE;
use crate::analysis::reach::Endpoint;
use crate::model::policy::Level;
use crate::model::{Attachment, ExternalId, ExternalKind, Tier};
use crate::rules::support::{
    TierIndex, delivered_to_tier, endpoint_index, pair_in, pair_loc, pair_subject,
    pairs_from_into_tier, pairs_into, reaches_tier, tier_addresses, tier_label, witnessed,
};
use crate::rules::{Context, Doc, Evidence, Levels, Meta, Outcome, Text};

pub static META: Meta = Meta {
    code: "EXT-001",
    name: "juki-net-not-isolated",
    levels: Levels::all(Level::Deny),
    guideline: "GL(R6.10) 対策基準 3.(1)①; S22, S23, S5",
    confidence: "V",
    ja: Doc {
        title: "住基ネットの接続の分離",
        what: "kind = \"juki-net\" の外部網 (住基ネットの専用回線) について、次の 2 点を確かめる。(1) 住基ネットに面するファイアウォールの他のインターフェースが、すべてマイナンバー利用事務系のセグメント (または別の住基ネット回線) にあること。(2) 住基ネットとインターネット側 (tier internet のホスト、kind internet・security-cloud の外部網) の間に、どちら向きにもパケットの経路が無いこと。",
        why: "住基ネットは専用回線で結ばれた閉じたネットワークで、その技術的基準では、ファイアウォールなどの通信機器で接続点を守ることが定められている。CS とその端末はマイナンバー利用事務系に置く。住基ネットの回線を LGWAN接続系やインターネット接続系の機器に収容したり、インターネットとの間に経路があったりすると、全国の本人確認情報を扱う網が外部からの攻撃にさらされる。",
        example: "住基ネットの回線が、LGWAN接続系のコアファイアウォールのインターフェースに直接収容されている。",
        fix: "住基ネットの回線は、CS セグメント (マイナンバー系) とだけ接続する専用の住基ネット ファイアウォールに収容する。インターネット側との経路を作っているルールを削除する。",
    },
    en: Doc {
        title: "Isolation of the 住基ネット (resident registry network) line",
        what: "For every external of kind \"juki-net\" (the resident registry network's dedicated line): (1) every other interface of each firewall facing it is on a My Number segment (or another juki-net line); (2) no packet path leads between it and the internet side (internet-tier hosts, externals of kind internet or security-cloud), in either direction.",
        why: "The 住基ネット is a closed network on dedicated circuits; its CS server and terminals belong in the My Number tier, with a firewall at each connection point, as its technical standard requires. Terminating the line on an LGWAN- or internet-tier device, or leaving any path between it and the internet, exposes the nationwide identity network to attack.",
        example: "The 住基ネット line terminates directly on an interface of the LGWAN tier's core firewall.",
        fix: "Terminate the line on a dedicated 住基ネット firewall whose only other side is the CS segment in the My Number tier. Remove the rules that make a path to the internet side.",
    },
};

pub struct Rule;

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) -> Vec<Outcome> {
        let topo = cx.topo;
        let juki: Vec<ExternalId> = (0..topo.externals.len())
            .filter(|&x| topo.externals[x].kind == ExternalKind::JukiNet)
            .map(ExternalId)
            .collect();
        if juki.is_empty() {
            return vec![Outcome::pass("kind:juki-net", None)];
        }
        let mut out = Vec::new();
        // (1) Firewalls facing the line.
        for fw in &topo.firewalls {
            let faces = |a: &Attachment| match a {
                Attachment::External(x) => topo
                    .external(x)
                    .is_some_and(|e| e.kind == ExternalKind::JukiNet),
                Attachment::Segment(_) => false,
            };
            let Some(line) = fw.interfaces.iter().find(|i| faces(&i.attachment.value)) else {
                continue;
            };
            let line_id = match &line.attachment.value {
                Attachment::External(x) => x.clone(),
                Attachment::Segment(s) => s.clone(),
            };
            let subject = format!("firewall:{}", fw.id);
            let mut stray: Vec<Text> = Vec::new();
            for i in &fw.interfaces {
                let name = i.name.as_deref().unwrap_or("-");
                match &i.attachment.value {
                    a if faces(a) => {}
                    Attachment::Segment(s) => {
                        let tier = topo.segment_tier(s);
                        if tier != Some(Tier::MyNumber) {
                            let (tja, ten) = tier.map(tier_label).unwrap_or(("?", "?"));
                            stray.push(Text::new(
                                format!("インターフェース {name}: segment:{s} ({tja})"),
                                format!("interface {name}: segment:{s} ({ten} tier)"),
                            ));
                        }
                    }
                    Attachment::External(x) => {
                        let kind = topo.external(x).map(|e| e.kind.as_str()).unwrap_or("?");
                        stray.push(Text::new(
                            format!("インターフェース {name}: external:{x} (種別 {kind})"),
                            format!("interface {name}: external:{x} (kind {kind})"),
                        ));
                    }
                }
            }
            if stray.is_empty() {
                out.push(Outcome::pass(subject, Some(fw.loc)));
                continue;
            }
            let ja: Vec<&str> = stray.iter().map(|t| t.ja.as_str()).collect();
            let en: Vec<&str> = stray.iter().map(|t| t.en.as_str()).collect();
            out.push(
                Outcome::fail(
                    subject,
                    Some(fw.loc),
                    Text::new(
                        format!(
                            "ファイアウォール {} は住基ネットの回線 external:{line_id} に面しているが、マイナンバー利用事務系以外にもつながっている: {}",
                            fw.id,
                            ja.join("、")
                        ),
                        format!(
                            "firewall {} faces the 住基ネット line external:{line_id} but also connects outside the My Number tier: {}",
                            fw.id,
                            en.join("; ")
                        ),
                    ),
                )
                .with_evidence(Evidence::Steps(stray)),
            );
        }
        // (2) Packet paths between the line and the internet side.
        let internet_tier_src = tier_addresses(topo, Tier::Internet);
        let internet: Vec<ExternalId> = cx.internet_externals();
        let from_tier = cx.reach.space.src(&internet_tier_src);
        let from_externals = cx.reach.externals_sources(&internet);
        let from_internet = cx.reach.space.or(from_tier, from_externals);
        let index = endpoint_index(cx);
        let internet_tier = TierIndex::new(cx.places(), Tier::Internet);
        for &j in &juki {
            let line = Endpoint::External(j);
            let mut pairs = pairs_into(cx, &index, line, from_internet);
            let home = cx.reach.endpoint_sources(line);
            if reaches_tier(cx, &internet_tier, home) {
                let into_internet = delivered_to_tier(cx, Tier::Internet);
                pairs.extend(pairs_from_into_tier(
                    cx,
                    &index,
                    line,
                    Tier::Internet,
                    into_internet,
                    TRUE,
                ));
            }
            for &x in &internet {
                let d = cx.reach.delivered_to(Endpoint::External(x));
                pairs.extend(pair_in(cx, line, Endpoint::External(x), d));
            }
            if pairs.is_empty() {
                out.push(Outcome::pass(
                    format!("external:{}", topo.externals[j].id),
                    Some(topo.externals[j].loc),
                ));
            }
            for found in pairs {
                let p = witnessed(cx, found);
                let subject = pair_subject(cx, &p);
                let inward = p.to == line;
                let loc = pair_loc(cx, &p, !inward);
                out.push(
                    Outcome::fail(
                        subject.clone(),
                        loc,
                        Text::new(
                            format!(
                                "住基ネットの回線 external:{} とインターネット側の間にパケットの経路がある: {} から {} へ届く ({})",
                                topo.externals[j].id,
                                cx.endpoint_name(p.from),
                                cx.endpoint_name(p.to),
                                p.services
                            ),
                            format!(
                                "the 住基ネット line external:{} has a packet path to or from the internet side: {} reaches {} ({})",
                                topo.externals[j].id,
                                cx.endpoint_name(p.from),
                                cx.endpoint_name(p.to),
                                p.services
                            ),
                        ),
                    )
                    .with_evidence(Context::packet_evidence(&p)),
                );
            }
        }
        out
    }
}
