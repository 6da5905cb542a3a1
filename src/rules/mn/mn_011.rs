//! MN-011: ガバメントクラウド (the standardised systems) is part of the My Number tier: no
//! packets between it and anything outside that tier.

use crate::model::policy::Level;
use crate::model::{ExternalKind, Selector, Tier};
use crate::rules::support::pair_fail;
use crate::rules::{Context, Doc, Levels, Meta, Outcome};

pub static META: Meta = Meta {
    code: "MN-011",
    name: "gov-cloud-reached-outside-mynumber",
    levels: Levels::all(Level::Deny),
    guideline: "GL(R6.10) 対策基準 3.(1)①",
    confidence: "V/G",
    ja: Doc {
        title: "ガバメントクラウドにマイナンバー利用事務系の外から届く",
        what: "kind = \"gov-cloud\" の外部網 (標準準拠システムを載せたガバメントクラウド) と、マイナンバー利用事務系以外 (LGWAN 接続系、インターネット接続系、DMZ、管理系、その他の層、インターネット) との間に、どちら向きにもパケットが届かないこと。到達性解析で調べ、届く組ごとに経路を証跡として示す。回線の種類は EXT-005 が検査する。",
        why: "ガバメントクラウド上の標準準拠システムは住民記録や税を扱い、マイナンバー利用事務系として扱うこととされている。ほかの層やインターネットから届けば、マイナンバー利用事務系の分離に穴が開く。",
        example: "LGWAN 接続系のファイアウォールにガバメントクラウドへの許可ルールがあり、LGWAN 接続系の端末から届く。",
        fix: "ガバメントクラウドへの経路をマイナンバー利用事務系の中だけに置き、ほかの層からの許可ルールを削除する。",
    },
    en: Doc {
        title: "Government Cloud reached from outside the My Number tier",
        what: "No packets, either way, between an external of kind gov-cloud (the Government Cloud hosting the standardised systems) and anything outside the My Number tier (the LGWAN, internet, DMZ, management and other tiers, and the internet). Checked by the reachability analysis; every pair that gets through is a finding with its witness. EXT-005 checks the line.",
        why: "The standardised systems on the Government Cloud handle residents' records and tax and are treated as the My Number tier. A path from another tier or the internet opens the My Number tier's separation.",
        example: "The LGWAN tier's firewall allows traffic to the Government Cloud, and LGWAN terminals reach it.",
        fix: "Keep the path to the Government Cloud inside the My Number tier and remove the allow rules from other tiers.",
    },
};

pub struct Rule;

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) -> Vec<Outcome> {
        let topo = cx.topo;
        // Every tier but My Number (the internet tier comes with the internet externals).
        let mut outside: Vec<Selector> = Tier::ALL
            .iter()
            .filter(|t| !matches!(t, Tier::MyNumber | Tier::Internet))
            .map(|t| Selector::Tier(*t))
            .collect();
        outside.extend(cx.internet_side());
        let mut out = Vec::new();
        for e in topo
            .externals
            .iter()
            .filter(|e| e.kind == ExternalKind::GovCloud)
        {
            let cloud = Selector::External(e.id.clone());
            let mut found = Vec::new();
            for side in &outside {
                found.extend(cx.pairs(side, &cloud, &[]));
                found.extend(cx.pairs(&cloud, side, &[]));
            }
            if found.is_empty() {
                out.push(Outcome::pass(format!("external:{}", e.id), Some(e.loc)));
            }
            for p in &found {
                out.push(pair_fail(
                    cx,
                    p,
                    "ガバメントクラウドとマイナンバー利用事務系の外がつながる",
                    "the Government Cloud and the outside of the My Number tier connect",
                ));
            }
        }
        out
    }
}
