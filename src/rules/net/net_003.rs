//! NET-003: a wireless network belongs to one tier, never the My Number tier, and its clients
//! reach no tier more trusted than its own.

use crate::analysis::bdd::{Bdd, FALSE};
use crate::graph::Net;
use crate::model::policy::Level;
use crate::model::{AddrRange, Selector, Tier};
use crate::rules::support::pair_fail;
use crate::rules::{Context, Doc, Levels, Meta, Outcome, Text};

pub static META: Meta = Meta {
    code: "NET-003",
    name: "wifi-reaches-protected-tier",
    levels: Levels::all(Level::Warn),
    guideline: "GL(R6.10) 対策基準 6.1",
    confidence: "I",
    ja: Doc {
        title: "無線 LAN がマイナンバー利用事務系にある、または上位の層に届く",
        what: "[[wifi]] ごとに、クライアントが着くセグメントがマイナンバー利用事務系でないこと、そこからマイナンバー利用事務系へパケットが届かないこと、LGWAN 接続系以外の無線 LAN (来庁者用やインターネット接続系のもの) からは LGWAN 接続系へも届かないこと。到達性解析で調べ、無線 LAN と層の組ごとに、届くパケットの一つを経路とともに証跡として示す。",
        why: "無線 LAN は建物の外からも電波が届き、認証情報が漏れれば誰でも接続できる。一つの層に閉じ、より守るべき層へ届かないようにする必要がある。マイナンバー利用事務系に無線 LAN を置いてはならない。",
        example: "来庁者用の無線 LAN guest-wifi のセグメントから、ファイアウォールの広すぎる許可で LGWAN 接続系のファイルサーバに届く。",
        fix: "無線 LAN ごとにセグメントを分けて一つの層に閉じ、ファイアウォールで上位の層への通信を拒否する。マイナンバー利用事務系では無線 LAN を使わない。",
    },
    en: Doc {
        title: "Wireless network in the My Number tier, or reaching a more protected tier",
        what: "For every [[wifi]]: the segment its clients land on is not in the My Number tier; no packets from it reach the My Number tier; and a wireless network outside the LGWAN tier (guest or internet-tier Wi-Fi) reaches no LGWAN-tier endpoint either. Checked by the reachability analysis; each Wi-Fi and tier reached is one finding, with one pair that gets through as its witness.",
        why: "Radio reaches beyond the building, and a leaked key lets anyone join. A wireless network must stay inside one tier and reach nothing more protected; none belongs in the My Number tier.",
        example: "The guest Wi-Fi guest-wifi reaches an LGWAN file server through a too-broad firewall rule.",
        fix: "Give each wireless network its own segment inside one tier, deny traffic to more protected tiers at the firewall, and use no Wi-Fi in the My Number tier.",
    },
};

pub struct Rule;

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    /// It follows packets from every host (or Wi-Fi client) it looks at: one of the longest.
    fn lane(&self) -> crate::rules::Lane {
        crate::rules::Lane::Second
    }

    fn check(&self, cx: &mut Context<'_>) -> Vec<Outcome> {
        let topo = cx.topo;
        let mut out = Vec::new();
        // What each Wi-Fi (in order) is checked for.
        let plans: Vec<Plan> = topo
            .wifis
            .iter()
            .map(|w| {
                let tier = topo.segment_tier(&w.segment);
                if tier == Some(Tier::MyNumber) {
                    return Plan::InMyNumber;
                }
                let Some(seg) = topo.segment(&w.segment) else {
                    return Plan::Unplaced;
                };
                let mut above = vec![Tier::MyNumber];
                if tier != Some(Tier::Lgwan) {
                    above.push(Tier::Lgwan);
                }
                let src = cx.reach.space.src(&[AddrRange::from_net(*seg.cidr)]);
                Plan::Reaches { src, above }
            })
            .collect();
        // What the Wi-Fis asking about a tier send that arrives on its segments, addressed
        // there: a Wi-Fi that meets none of it reaches nothing in the tier and needs no pair
        // search (exact: the search below runs whenever any such packet exists).
        let mut arriving = std::collections::BTreeMap::new();
        for t in [Tier::MyNumber, Tier::Lgwan] {
            let mut senders = FALSE;
            for plan in &plans {
                if let Plan::Reaches { src, above } = plan
                    && above.contains(&t)
                {
                    senders = cx.reach.space.or(senders, *src);
                }
            }
            if senders != FALSE {
                arriving.insert(t, arriving_in(cx, t, senders));
            }
        }
        for (w, plan) in topo.wifis.iter().zip(plans) {
            let (src, above) = match plan {
                Plan::InMyNumber => {
                    out.push(Outcome::fail(
                        w.id.clone(),
                        Some(w.loc),
                        Text::new(
                            format!(
                                "無線 LAN {} がマイナンバー利用事務系のセグメント {} にある",
                                w.id, w.segment.value
                            ),
                            format!(
                                "Wi-Fi {} lands in the My Number tier (segment {})",
                                w.id, w.segment.value
                            ),
                        ),
                    ));
                    continue;
                }
                Plan::Unplaced => continue,
                Plan::Reaches { src, above } => (src, above),
            };
            let from = Selector::Segment(w.segment.value.clone());
            let mut any = false;
            for t in above {
                let into = arriving.get(&t).copied().unwrap_or(FALSE);
                if !cx.reach.space.meets(into, src) {
                    continue;
                }
                // One proof per tier is enough: the finding is about the Wi-Fi.
                let Some(p) = cx.first_pair(&from, &Selector::Tier(t), &[]) else {
                    continue;
                };
                any = true;
                let mut o = pair_fail(
                    cx,
                    &p,
                    &format!("無線 LAN {} から {t} に届く", w.id),
                    &format!("Wi-Fi {} reaches the {t} tier", w.id),
                );
                o.subject = format!("{}->tier:{t}", w.id);
                out.push(o);
            }
            if !any {
                out.push(Outcome::pass(w.id.clone(), Some(w.loc)));
            }
        }
        out
    }
}

/// What a Wi-Fi is checked for.
enum Plan {
    /// Its clients land in the My Number tier: a finding without any search.
    InMyNumber,
    /// Its segment is not in the design (the loader reports it): nothing to check.
    Unplaced,
    /// Whether its sources reach the tiers `above` it.
    Reaches { src: Bdd, above: Vec<Tier> },
}

/// The packets of `senders` present on a segment of the tier with a destination in that
/// segment. Each segment's packets are cut to its own addresses first (the destination lies
/// above the source in the variable order, so that cut is cheap) and then to the senders, so
/// the union stays as small as what the Wi-Fis send.
fn arriving_in(cx: &mut Context<'_>, tier: Tier, senders: Bdd) -> Bdd {
    let mut all = FALSE;
    for (i, s) in cx.topo.segments.iter().enumerate() {
        if cx.topo.segment_tier(&s.id) != Some(tier) {
            continue;
        }
        let here = cx.reach.present(Net::Segment(i));
        let dst = cx.reach.space.dst(&[AddrRange::from_net(*s.cidr)]);
        let here = cx.reach.space.and(here, dst);
        let sent = cx.reach.space.and(here, senders);
        all = cx.reach.space.or(all, sent);
    }
    all
}
