//! ZN-004: shared infrastructure serving several tiers is a declared and approved bridge.

use crate::model::policy::Level;
use crate::model::{Host, Tier};
use crate::rules::{Context, Doc, Levels, Meta, Outcome, Text};

pub static META: Meta = Meta {
    code: "ZN-004",
    name: "shared-infrastructure-across-tiers",
    levels: Levels::all(Level::Warn),
    guideline: "GL(R6.10) 対策基準 3; S5",
    confidence: "I",
    ja: Doc {
        title: "複数の層にまたがる共用基盤が承認されていない",
        what: "serves_zones が 2 つ以上の層 (management を除く) のゾーンを含むホスト (共用ストレージ、バックアップ、ウイルス対策・更新サーバ等) と、runs_on で載る仮想マシンの層が 2 つ以上になる (または自身の層と異なる) ハイパーバイザが、shared_approved_by と shared_reason (承認者と理由) を持つこと。無ければ不合格。",
        why: "ネットワークを分けても、一台のハイパーバイザや共用ストレージ、ウイルス対策サーバが複数の層に仕えていれば、それを乗っ取った攻撃者は層をまたげる。共用するなら、その判断と理由を記録し承認を得る必要がある。",
        example: "ハイパーバイザ hv1 の上に、マイナンバー利用事務系の VM と LGWAN 接続系の VM が載っている。",
        fix: "層ごとに基盤を分けるか、共用を承認して shared_approved_by と shared_reason に記載し、管理インターフェースを層の外の管理セグメントに置く。",
    },
    en: Doc {
        title: "Shared infrastructure across tiers not approved",
        what: "A host whose serves_zones include zones of two or more tiers (management aside) (shared storage, backup, anti-virus or update server), and a hypervisor whose virtual machines (runs_on) sit in two or more tiers or in a tier other than its own, have shared_approved_by and shared_reason. Missing fails.",
        why: "Separate networks do not help when one hypervisor, storage array or anti-virus server serves several tiers: whoever takes it crosses them. Sharing must be a recorded, approved decision.",
        example: "The hypervisor hv1 runs a My Number tier VM and an LGWAN tier VM.",
        fix: "Give each tier its own infrastructure, or approve the sharing and record it in shared_approved_by and shared_reason, with its management interfaces on a management segment outside the tiers.",
    },
};

pub struct Rule;

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) -> Vec<Outcome> {
        let topo = cx.topo;
        // The tiers each host serves: its serves_zones, its own legs once it serves anything,
        // and the legs of the virtual machines that run on it.
        let mut serves: Vec<Vec<Tier>> = vec![Vec::new(); topo.hosts.len()];
        for (i, h) in topo.hosts.iter().enumerate() {
            let zones: Vec<Tier> = h
                .facts
                .serves_zones
                .iter()
                .filter_map(|z| cx.zone_tier(z))
                .collect();
            if !zones.is_empty() {
                serves[i].extend(zones);
                serves[i].extend(cx.host_tiers(h));
            }
            if let Some(hv) = h.facts.runs_on.as_ref().and_then(|r| topo.host_index(r)) {
                serves[hv].extend(cx.host_tiers(h));
                serves[hv].extend(cx.host_tiers(&topo.hosts[hv]));
            }
        }
        let mut out = Vec::new();
        for (h, mut tiers) in topo.hosts.iter().zip(serves) {
            // A management leg is how shared infrastructure is administered, not a tier it
            // serves.
            tiers.retain(|t| *t != Tier::Management);
            tiers.sort();
            tiers.dedup();
            if tiers.len() < 2 {
                continue;
            }
            out.push(judge(h, &tiers));
        }
        out
    }
}

fn judge(h: &Host, tiers: &[Tier]) -> Outcome {
    let approved = h.facts.shared_approved_by.is_some() && h.facts.shared_reason.is_some();
    if approved {
        return Outcome::pass(h.id.clone(), Some(h.loc));
    }
    let list = tiers
        .iter()
        .map(|t| t.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    Outcome::fail(
        h.id.clone(),
        Some(h.loc),
        Text::new(
            format!(
                "{} は複数の層 ({list}) に仕える共用基盤だが、承認 (shared_approved_by, shared_reason) が無い",
                h.id
            ),
            format!(
                "{} serves several tiers ({list}) without an approval (shared_approved_by, shared_reason)",
                h.id
            ),
        ),
    )
}
