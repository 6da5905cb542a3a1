//! EXT-003: packets from the My Number tier into the LGWAN go only to a few pinned
//! destinations (the intermediate server) on a few explicit ports, from single servers.

use crate::analysis::reach::Endpoint;
use crate::model::policy::Level;
use crate::model::service::{TCP, UDP};
use crate::model::{ExternalId, ExternalKind, Tier};
use crate::rules::support::{
    EndpointIndex, address_count, destinations_of, endpoint_index, pair_subject, pairs_into,
    show_ranges, thousands, tier_addresses, witnessed,
};
use crate::rules::{Context, Doc, Levels, Meta, Outcome, Text};

/// At most this many destination addresses per My Number host count as pinned (the
/// intermediate server platform has a primary and a backup site, each with a few addresses).
pub const MAX_DESTINATIONS: u64 = 4;
/// At most this many ports per My Number host count as pinned.
pub const MAX_PORTS: u64 = 4;

pub static META: Meta = Meta {
    code: "EXT-003",
    name: "mynumber-to-lgwan-not-pinned",
    levels: Levels::all(Level::Deny),
    guideline: "GL(R6.10) 対策基準 3.(1)①; S5, S24",
    confidence: "V",
    ja: Doc {
        title: "マイナンバー利用事務系から LGWAN への通信の限定",
        what: "マイナンバー利用事務系のホストから LGWAN (kind lgwan の外部網) に届くパケットを、送信元のホストごとに実際の到達範囲で調べる。送信元が 1 台のホスト (count = 1、アドレス 1 つ) であり、宛先のアドレスが 4 個以下、サービスが個別の TCP・UDP ポートで 4 個以下であれば合格。端末のグループからの通信、LGWAN の広い範囲への通信、ポート範囲やプロトコル全体の通信は不合格。",
        why: "マイナンバー利用事務系から LGWAN へ出てよいのは、団体内統合宛名システムから自治体中間サーバーへの情報連携のような、特定の相手・特定のポートに限った特定通信だけである。ファイアウォールの個々のルールが正しく見えても、ルールの組み合わせや順序によって、思わぬ送信元や宛先まで通ってしまうことがある。この規則は、ルールの書き方ではなく実際に届くパケットで確かめる。",
        example: "マイナンバー系の端末 60 台 (host:mn-pc) から、LGWAN 全体 (172.16.0.0/12) へ tcp/443 が届く。",
        fix: "LGWAN へ出るルールを、連携を行うサーバ 1 台から中間サーバーのアドレスとポートだけへの許可にし、それ以外のマイナンバー系から LGWAN 向けの通信を明示的に拒否する。",
    },
    en: Doc {
        title: "My Number traffic into the LGWAN is pinned",
        what: "Looks at the packets that actually reach the LGWAN (externals of kind lgwan) from each My Number host. A host passes when it is one host (count 1, one address), reaches at most 4 destination addresses, and uses at most 4 explicit TCP or UDP ports. Traffic from a group of terminals, to a wide part of the LGWAN, or on port ranges or whole protocols fails.",
        why: "The only traffic from the My Number tier into the LGWAN should be pinned 特定通信 such as the integrated addressee system (団体内統合宛名) talking to the intermediate server, to one peer on one port. Rules that each look right can still combine, through order or overlap, to let other sources or destinations through; this rule checks the packets that get through, not how the rules are written.",
        example: "60 My Number terminals (host:mn-pc) reach the whole LGWAN (172.16.0.0/12) on tcp/443.",
        fix: "Allow into the LGWAN only the one server that does the exchange, to the intermediate server's address and port, and deny every other My Number traffic towards the LGWAN explicitly.",
    },
};

pub struct Rule;

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) -> Vec<Outcome> {
        let topo = cx.topo;
        let mn = tier_addresses(topo, Tier::MyNumber);
        let from_mn = cx.reach.space.src(&mn);
        let mut index: Option<EndpointIndex> = None;
        let mut out = Vec::new();
        for (x, ext) in topo.externals.iter().enumerate() {
            if ext.kind != ExternalKind::Lgwan {
                continue;
            }
            let to = Endpoint::External(ExternalId(x));
            let delivered = cx.reach.delivered_to(to);
            if !cx.reach.space.meets(delivered, from_mn) {
                continue;
            }
            let index = index.get_or_insert_with(|| endpoint_index(cx));
            for found in pairs_into(cx, index, to, from_mn) {
                let (p, set) = (&found.0, found.1);
                let subject = pair_subject(cx, p);
                let dests = destinations_of(cx, set);
                let n_dest = address_count(&dests);
                let ports: u64 = p.services.0.iter().map(|(lo, hi)| hi - lo + 1).sum();
                let explicit = p.services.0.iter().all(|&(lo, _)| {
                    let proto = (lo >> 16) as u8;
                    proto == TCP || proto == UDP
                });
                let mut problems: Vec<Text> = Vec::new();
                let mut loc = None;
                if let Endpoint::Host(h) = p.from {
                    let host = &topo.hosts[h];
                    loc = Some(host.loc);
                    let n = address_count(&cx.reach.addrs.host_addresses(host));
                    if host.count > 1 {
                        problems.push(Text::new(
                            format!(
                                "送信元が {} 台のホストのグループである",
                                thousands(host.count)
                            ),
                            format!("the source is a group of {} hosts", thousands(host.count)),
                        ));
                    } else if n > 1 {
                        problems.push(Text::new(
                            format!("送信元が {n} 個のアドレスを持つ"),
                            format!("the source has {n} addresses"),
                        ));
                    }
                }
                if n_dest > MAX_DESTINATIONS {
                    problems.push(Text::new(
                        format!(
                            "宛先が {} アドレス ({}) あり、{MAX_DESTINATIONS} 個以下に限定されていない",
                            thousands(n_dest),
                            show_ranges(&dests)
                        ),
                        format!(
                            "it reaches {} destination addresses ({}), more than {MAX_DESTINATIONS}",
                            thousands(n_dest),
                            show_ranges(&dests)
                        ),
                    ));
                }
                if !explicit || ports > MAX_PORTS {
                    problems.push(Text::new(
                        format!(
                            "サービス {} が、{MAX_PORTS} 個以下の個別の TCP・UDP ポートに限定されていない",
                            p.services
                        ),
                        format!(
                            "it uses {}, not at most {MAX_PORTS} explicit TCP or UDP ports",
                            p.services
                        ),
                    ));
                }
                if problems.is_empty() {
                    out.push(Outcome::pass(subject, loc));
                    continue;
                }
                let p = witnessed(cx, found);
                let ja: Vec<&str> = problems.iter().map(|t| t.ja.as_str()).collect();
                let en: Vec<&str> = problems.iter().map(|t| t.en.as_str()).collect();
                out.push(
                    Outcome::fail(
                        subject,
                        loc,
                        Text::new(
                            format!(
                                "{} から LGWAN (external:{}) への通信が特定されていない: {}",
                                cx.endpoint_name(p.from),
                                ext.id,
                                ja.join("、")
                            ),
                            format!(
                                "traffic from {} into the LGWAN (external:{}) is not pinned: {}",
                                cx.endpoint_name(p.from),
                                ext.id,
                                en.join("; ")
                            ),
                        ),
                    )
                    .with_evidence(Context::packet_evidence(&p)),
                );
            }
        }
        if out.is_empty() {
            out.push(Outcome::pass("tier:mynumber", None));
        }
        out
    }
}
