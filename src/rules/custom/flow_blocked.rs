//! FLOW-001: a declared network business flow that the firewalls do not let through.

use crate::model::FlowMethod;
use crate::model::policy::Level;
use crate::rules::{Context, Doc, Levels, Meta, Outcome, Text};

pub static META: Meta = Meta {
    code: "FLOW-001",
    name: "declared-network-flow-blocked",
    levels: Levels::all(Level::Warn),
    guideline: "GL(R6.10) 対策基準 6.1",
    confidence: "I",
    ja: Doc {
        title: "通らない業務通信 (宣言されたネットワークのフロー)",
        what: "method = \"network\" の [[flow]] について、from の各ホストから to の各ホスト (宛先がデータストアならその service) へ実際にパケットが届くこと。届かない組ごとに、最初に遮断するファイアウォールとルール (または既定) を示す。",
        why: "業務に必要と宣言した通信が設計上通らないなら、設計か宣言のどちらかが誤っている。遮断する変更 (攻撃経路の修正を含む) が業務を止めていないかを、変更のたびに確かめられる。",
        example: "基幹系 AP サーバから CS への住民異動情報の送信 (tcp/443) を宣言しているが、住基ネット FW に許可ルールが無い。",
        fix: "必要な通信なら、宛先・サービスを絞った許可ルールを追加する。不要になった業務通信なら [[flow]] を削除する。",
    },
    en: Doc {
        title: "Declared network business flow that does not get through",
        what: "For every [[flow]] with method = \"network\": packets from each host of `from` reach each host of `to` (on the store's `service` when the destination is a data store). Each pair that does not is reported with the firewall and rule (or default) that drops it first.",
        why: "If traffic the organisation declares necessary cannot pass, the design or the declaration is wrong. Checking it on every change shows when a tightening (including a fix for an attack path) cuts off business.",
        example: "The flow of resident changes from the core application server to the CS (tcp/443) is declared, but the Juki-net firewall has no rule allowing it.",
        fix: "If the traffic is needed, add an allow rule narrowed to its source, destination and service. If the business flow is gone, remove the [[flow]].",
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
        for flow in topo
            .flows
            .iter()
            .filter(|f| f.method == FlowMethod::Network)
        {
            // A store is read on its service; anything else on any service.
            let services = crate::analysis::intent::store_service(topo, &flow.to.value);
            let broken = super::must_reach::broken(
                &mut cx.reach,
                &flow.from.value,
                &flow.to.value,
                &services,
                &[],
            )
            .unwrap_or_default();
            if broken.is_empty() {
                out.push(Outcome::pass(format!("flow:{}", flow.id), Some(flow.loc)));
            }
            let what = Text::new(
                format!("業務フロー {}", flow.id),
                format!("business flow {}", flow.id),
            );
            for b in broken {
                let mut o = super::must_reach::outcome(&cx.reach, &b, &what, flow.loc);
                // Two flows may join the same pair: the flow's id keeps their subjects apart.
                o.subject = format!("{}:{}", flow.id, o.subject);
                out.push(o);
            }
        }
        if out.is_empty() {
            out.push(Outcome::pass("flows", None));
        }
        out
    }
}
