//! MN-010: no remote-desktop or screen-transfer session into the My Number tier from outside
//! it.

use crate::analysis::reach::Endpoint;
use crate::model::policy::Level;
use crate::model::{FlowMethod, GatewayKind, HostId, Service, Tier};
use crate::rules::support::{
    TierIndex, delivered_in_tier, endpoint_index, pair_loc, pair_subject, pairs_in, tier_addresses,
    witnessed,
};
use crate::rules::{Context, Doc, Evidence, Levels, Meta, Outcome, Text};

/// Remote-desktop and screen protocols: RDP (tcp and udp 3389), VNC (5900-5903), Citrix ICA and
/// session reliability (1494, 2598), PCoIP (4172), VMware Blast (22443).
pub const SCREEN_SERVICES: &[&str] = &[
    "tcp/3389",
    "udp/3389",
    "tcp/5900-5903",
    "tcp/1494",
    "tcp/2598",
    "tcp/4172",
    "udp/4172",
    "tcp/22443",
    "udp/22443",
];

pub static META: Meta = Meta {
    code: "MN-010",
    name: "remote-screen-into-mynumber",
    levels: Levels::all(Level::Deny),
    guideline: "GL(R6.10) 対策基準 3.(1)①",
    confidence: "I",
    ja: Doc {
        title: "マイナンバー利用事務系へのリモートデスクトップ・画面転送",
        what: "マイナンバー利用事務系の外 (他の層・外部網) から、マイナンバー系のホストへリモートデスクトップ・画面転送のプロトコル (RDP tcp/udp 3389、VNC tcp/5900-5903、Citrix tcp/1494・2598、PCoIP tcp/udp 4172、VMware Blast tcp/udp 22443) のパケットが届かないこと。あわせて、マイナンバー系と他のゾーンを結ぶ画面転送ゲートウェイ (kind screen-transfer) と、マイナンバー系との間の画面による宣言済みデータフロー (method = \"screen\") も不合格とする。",
        why: "マイナンバー利用事務系は他の領域との通信を特定通信だけに限っている。LGWAN接続系やインターネット接続系の端末からマイナンバー系の端末・サーバを遠隔操作できれば、その端末が標的型攻撃で乗っ取られたとき、攻撃者も同じ画面から特定個人情報を操作できる。画面転送は LGWAN接続系とインターネット接続系の間の無害化のための仕組みであり、マイナンバー系への出入りに使うものではない。",
        example: "LGWAN接続系の管理端末から基幹系サーバへ tcp/3389 (RDP) を許可するルールがある。",
        fix: "マイナンバー系の外からのリモートデスクトップを許可しているルールを削除し、保守はマイナンバー系の中の管理端末から行う。マイナンバー系にかかる画面転送装置は撤去する。ベンダー保守などでやむを得ない場合は、特定通信として 1 対 1・多要素認証付きに限定し、承認した例外として期限付きで記録する。",
    },
    en: Doc {
        title: "Remote desktop or screen transfer into the My Number tier",
        what: "No remote-desktop or screen protocol packet (RDP tcp/udp 3389, VNC tcp/5900-5903, Citrix tcp/1494 and 2598, PCoIP tcp/udp 4172, VMware Blast tcp/udp 22443) reaches a My Number host from outside the tier (other tiers or external networks). Screen-transfer gateways joining the My Number tier to another zone, and declared screen flows (method = \"screen\") between the tier and elsewhere, fail too.",
        why: "The My Number tier talks to other domains only by pinned 特定通信. If a terminal in the LGWAN or internet tier can drive a My Number terminal or server remotely, an attacker who takes over that terminal drives it too, and reaches specific personal information through the screen. Screen transfer is the sanctioned crossing between the LGWAN and internet tiers, not a way into or out of the My Number tier.",
        example: "A rule allows tcp/3389 (RDP) from an LGWAN-tier admin terminal to a core My Number server.",
        fix: "Remove the rules that let remote-desktop protocols in from outside the tier; administer the tier from admin terminals inside it. Remove screen-transfer gateways touching the tier. Where vendor maintenance truly needs it, pin it as a one-to-one 特定通信 with MFA and record it as an approved, time-limited exception.",
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
        // Packets of screen protocols from outside the tier.
        let services: Vec<Service> = SCREEN_SERVICES
            .iter()
            .map(|s| Service::parse(s).expect("built-in service"))
            .collect();
        let mn = tier_addresses(topo, Tier::MyNumber);
        let filter = {
            let space = &mut cx.reach.space;
            let svc = space.services(&services);
            let inside = space.src(&mn);
            let outside = space.not(inside);
            space.and(svc, outside)
        };
        let index = endpoint_index(cx);
        let tier = TierIndex::new(cx.places(), Tier::MyNumber);
        let mut per_segment = std::collections::HashMap::new();
        for (h, host) in cx.hosts_in_tier(Tier::MyNumber) {
            let set = delivered_in_tier(cx, &tier, h, filter, &mut per_segment);
            for found in pairs_in(cx, &index, Endpoint::Host(HostId(h)), set) {
                let p = witnessed(cx, found);
                let subject = pair_subject(cx, &p);
                let from = cx.endpoint_name(p.from);
                out.push(
                    Outcome::fail(
                        subject,
                        pair_loc(cx, &p, true),
                        Text::new(
                            format!(
                                "マイナンバー利用事務系のホスト {} へ、系外の {from} からリモートデスクトップ・画面転送のパケットが届く ({})",
                                host.id, p.services
                            ),
                            format!(
                                "remote-desktop packets reach My Number host {} from {from} outside the tier ({})",
                                host.id, p.services
                            ),
                        ),
                    )
                    .with_evidence(Context::packet_evidence(&p)),
                );
            }
        }
        // Screen-transfer gateways joining the tier to another zone.
        for g in &topo.gateways {
            if g.kind != GatewayKind::ScreenTransfer {
                continue;
            }
            let (from, to) = (cx.zone_tier(&g.from), cx.zone_tier(&g.to));
            let mn_from = from == Some(Tier::MyNumber);
            let mn_to = to == Some(Tier::MyNumber);
            if mn_from == mn_to {
                continue;
            }
            let (ja, en) = if mn_from {
                (
                    format!(
                        "画面転送ゲートウェイ {} がマイナンバー利用事務系のゾーン {} の画面をゾーン {} へ転送する (系外からマイナンバー系を操作できる)",
                        g.id, g.from.value, g.to.value
                    ),
                    format!(
                        "screen-transfer gateway {} shows screens of My Number zone {} in zone {} (the tier can be operated from outside)",
                        g.id, g.from.value, g.to.value
                    ),
                )
            } else {
                (
                    format!(
                        "画面転送ゲートウェイ {} がゾーン {} の画面をマイナンバー利用事務系のゾーン {} へ転送する (マイナンバー系の端末が系外の操作に使われる)",
                        g.id, g.from.value, g.to.value
                    ),
                    format!(
                        "screen-transfer gateway {} shows screens of zone {} in My Number zone {} (My Number terminals work outside the tier)",
                        g.id, g.from.value, g.to.value
                    ),
                )
            };
            out.push(Outcome::fail(
                format!("gateway:{}", g.id),
                Some(g.loc),
                Text::new(ja, en),
            ));
        }
        // Declared screen flows across the boundary.
        for f in &topo.flows {
            if f.method != FlowMethod::Screen {
                continue;
            }
            let (a, b) = (cx.selector_tiers(&f.from), cx.selector_tiers(&f.to));
            let mn = |t: &[Tier]| t.contains(&Tier::MyNumber);
            let only_mn = |t: &[Tier]| t == [Tier::MyNumber];
            let crosses = (mn(&a) && !only_mn(&b)) || (mn(&b) && !only_mn(&a));
            if !crosses {
                continue;
            }
            out.push(
                Outcome::fail(
                    format!("flow:{}", f.id),
                    Some(f.loc),
                    Text::new(
                        format!(
                            "データフロー {} は {} から {} へ画面転送で運ばれ、マイナンバー利用事務系の境界を越える",
                            f.id, *f.from, *f.to
                        ),
                        format!(
                            "data flow {} goes by screen from {} to {}, across the My Number boundary",
                            f.id, *f.from, *f.to
                        ),
                    ),
                )
                .with_evidence(Evidence::Steps(vec![Text::new(
                    format!("{} → {} (画面転送)", *f.from, *f.to),
                    format!("{} → {} by screen", *f.from, *f.to),
                )])),
            );
        }
        if out.is_empty() {
            out.push(Outcome::pass("tier:mynumber", None));
        }
        out
    }
}
