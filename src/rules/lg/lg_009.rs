//! LG-009: update distribution from the internet side to LGWAN servers is pinned like specific
//! communication.

use crate::analysis::reach::Endpoint;
use crate::model::policy::Level;
use crate::model::service::PortRange;
use crate::model::{HostRole, Selector, Service, Tier};
use crate::rules::support::pair_fail;
use crate::rules::{Context, Doc, Levels, Meta, Outcome};

pub static META: Meta = Meta {
    code: "LG-009",
    name: "update-channel-not-pinned",
    levels: Levels::all(Level::Warn),
    guideline: "GL(R6.10) 対策基準 3.(2); S5",
    confidence: "V/I",
    ja: Doc {
        title: "インターネット側から LGWAN 接続系の更新サーバへの通信が固定されていない",
        what: "role に update-server を持つ LGWAN 接続系のホスト (WSUS、ウイルス対策パターン配信) について、インターネット側 (インターネット接続系とインターネット) から届くパケットが、宣言された単一のホスト (count = 1) から、ポートを限ったサービスでだけ届くこと。未申告のアドレス、外部網、ホスト群からの到達、すべてのポートへの到達は不合格で、経路を証跡に示す。",
        why: "更新の配信は LGWAN-ASP や無害化を経由するのが望ましい。インターネット側のサーバから直接受けるなら、それは特定通信であり、送り元とポートを固定しなければ、LGWAN 接続系への入口になる。",
        example: "インターネット接続系のセグメント全体から WSUS サーバ wsus-lg へ tcp/8530 が届く。",
        fix: "更新は LGWAN-ASP または無害化経由で受けるか、インターネット側の上位サーバ一台から必要なポートだけを許可する。",
    },
    en: Doc {
        title: "Update channel from the internet side to an LGWAN server not pinned",
        what: "For LGWAN-tier hosts with role update-server (WSUS, pattern distribution), packets from the internet side (the internet tier and the internet) come only from a declared single host (count = 1) on services with named ports. Packets from undeclared addresses, externals or host groups, or to every port, fail, with the witness.",
        why: "Updates should arrive through an LGWAN-ASP service or sanitized transfer. Received directly from an internet-side server, they are specific communication, and unpinned they are a way into the LGWAN tier.",
        example: "The whole internet-tier office segment reaches the WSUS server wsus-lg on tcp/8530.",
        fix: "Receive updates through LGWAN-ASP or the sanitizer, or allow only the one upstream server on the ports needed.",
    },
};

pub struct Rule;

/// Whether every service of a set names its ports (no whole protocol, no `any`).
fn ports_named(services: &[Service]) -> bool {
    services.iter().all(|s| match s {
        Service::Any => false,
        Service::Proto { proto, ports } => {
            !crate::model::service::has_ports(*proto) || *ports != PortRange::ALL
        }
    })
}

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) -> Vec<Outcome> {
        let topo = cx.topo;
        let sides = cx.internet_side();
        let mut out = Vec::new();
        for (_, h) in cx.hosts_in_tier(Tier::Lgwan) {
            if !h.facts.roles.contains(&HostRole::UpdateServer) {
                continue;
            }
            let target = Selector::Host(h.id.clone());
            let mut loose = Vec::new();
            for side in &sides {
                for p in cx.pairs(side, &target, &[]) {
                    let single = matches!(p.from, Endpoint::Host(i) if topo.hosts[i].count == 1);
                    if !single || !ports_named(&p.services.to_services()) {
                        loose.push(p);
                    }
                }
            }
            if loose.is_empty() {
                out.push(Outcome::pass(h.id.clone(), Some(h.loc)));
            }
            for p in &loose {
                out.push(pair_fail(
                    cx,
                    p,
                    &format!("更新サーバ {} への通信が固定されていない", h.id),
                    &format!("the channel to update server {} is not pinned", h.id),
                ));
            }
        }
        out
    }
}
