//! NET-004: the management network does not join two tiers: no management endpoint is both
//! reached from one tier and able to reach another.

use crate::analysis::paths::Pair;
use crate::model::policy::Level;
use crate::model::{Selector, Tier};
use crate::rules::{Context, Doc, Levels, Meta, Outcome};

pub static META: Meta = Meta {
    code: "NET-004",
    name: "management-network-joins-tiers",
    levels: Levels::all(Level::Warn),
    guideline: "GL(R6.10) 対策基準 6.1",
    confidence: "I",
    ja: Doc {
        title: "管理ネットワークが二つの層をつないでいる",
        what: "管理系 (tier management) の各エンドポイント (ホスト、ゲートウェイ、未申告アドレス) について、ある層 (マイナンバー利用事務系、LGWAN 接続系、インターネット接続系) からパケットが届き、かつそこから別の層へパケットが届く、ということが無いこと。到達性解析で調べ、入る側の経路を証跡として示す。",
        why: "ネットワーク機器やサーバの管理インターフェースを集めた管理セグメントは、すべての層の機器に届く。ある層から管理セグメントに入れれば、それを足場に別の層へ移れる。",
        example: "インターネット接続系の端末から管理サーバ mgmt-srv に tcp/3389 で届き、mgmt-srv からマイナンバー利用事務系のサーバに届く。",
        fix: "管理セグメントへは管理者端末 (PAW) からだけ入れるようにし、業務の層からの通信を拒否する。",
    },
    en: Doc {
        title: "Management network joins two tiers",
        what: "No management-tier endpoint (host, gateway, undeclared addresses) is both reached by packets from one tier (My Number, LGWAN, internet) and able to send packets into another. Checked by the reachability analysis; the inbound path is the witness.",
        why: "The management segment reaches the management interfaces of every tier's devices. Whoever gets into it from one tier can step into another.",
        example: "Internet-tier terminals reach the management server mgmt-srv on tcp/3389, and mgmt-srv reaches My Number servers.",
        fix: "Let only administrator workstations (PAWs) into the management segment and deny traffic from the business tiers.",
    },
};

pub struct Rule;

const TIERS: [Tier; 3] = [Tier::MyNumber, Tier::Lgwan, Tier::Internet];

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) -> Vec<Outcome> {
        if !cx.topo.zones.iter().any(|z| z.tier == Tier::Management) {
            return Vec::new();
        }
        let mgmt = Selector::Tier(Tier::Management);
        // Per tier, what comes in to management endpoints and what goes out of them. A host
        // with legs in both is counted as neither side's crossing.
        let mut into: Vec<(Tier, Pair)> = Vec::new();
        let mut from: Vec<(Tier, Pair)> = Vec::new();
        for t in TIERS {
            let tier = Selector::Tier(t);
            for p in cx.pairs(&tier, &mgmt, &[]) {
                if !cx.endpoint_in_tier(p.from, Tier::Management) {
                    into.push((t, p));
                }
            }
            for p in cx.pairs(&mgmt, &tier, &[]) {
                if !cx.endpoint_in_tier(p.to, Tier::Management) {
                    from.push((t, p));
                }
            }
        }
        let mut out = Vec::new();
        let mut seen = Vec::new();
        for (a, inbound) in &into {
            let m = inbound.to;
            if seen.contains(&m) {
                continue;
            }
            let Some((b, outbound)) = from.iter().find(|(b, p)| p.from == m && b != a) else {
                continue;
            };
            seen.push(m);
            let name = cx.endpoint_name(m);
            let target = cx.endpoint_name(outbound.to);
            let mut o = crate::rules::support::pair_fail(
                cx,
                inbound,
                &format!("管理系の {name} が {a} と {b} をつなぐ ({name} から {target} へも届く)"),
                &format!("management endpoint {name} joins {a} and {b} (it also reaches {target})"),
            );
            o.subject = name.clone();
            out.push(o);
        }
        if out.is_empty() {
            out.push(Outcome::pass("tier:management", None));
        }
        out
    }
}
