//! ZN-001: every zone is classified as one of the tiers of the model.

use crate::model::Tier;
use crate::model::policy::Level;
use crate::rules::support::thousands;
use crate::rules::{Context, Doc, Levels, Meta, Outcome, Text};

pub static META: Meta = Meta {
    code: "ZN-001",
    name: "unclassified-zone",
    levels: Levels::all(Level::Deny),
    guideline: "GL(R6.10) 対策基準 3; S41",
    confidence: "I",
    ja: Doc {
        title: "ゾーンの層への分類",
        what: "すべてのゾーンが三層分離のいずれかの層 (mynumber、lgwan、internet) か、dmz・management に分類されていること。tier = \"other\" のゾーンは未分類として不合格とし、そこにあるセグメントとホストの数を示す。セグメント・ホスト・データストア・ゲートウェイはゾーンを通じて層が決まるので、ゾーンの分類が資産全体の分類になる。",
        why: "三層分離のどの規則も、資産がどの層に属するかを前提にしている。未分類のゾーンにある端末やサーバは、マイナンバー系との遮断や、LGWAN接続系とインターネット接続系の分割のどの確認の対象にもならず、気づかれない抜け道になる。",
        example: "[[zone]] id = \"kyotsu\", tier = \"other\" に、全庁の端末から使う共用のファイルサーバとプリントサーバが置かれている。",
        fix: "ゾーンにある資産の用途に合わせて tier を mynumber、lgwan、internet、dmz、management のいずれかにする。複数の層の資産が混在しているなら、層ごとにゾーン (とセグメント) を分ける。",
    },
    en: Doc {
        title: "Zones classified into tiers",
        what: "Every zone is classified as one of the three tiers (mynumber, lgwan, internet) or as dmz or management. A zone with tier = \"other\" is unclassified and fails, with the number of segments and hosts in it. Segments, hosts, stores and gateways get their tier through their zone, so classifying the zones classifies every asset.",
        why: "Every rule of the three-tier model starts from which tier an asset belongs to. Terminals and servers in an unclassified zone fall outside every check (isolation of the My Number tier, the split between LGWAN and internet tiers) and become an unnoticed way around them.",
        example: "[[zone]] id = \"kyotsu\", tier = \"other\", holding a shared file server and print server used by terminals of every department.",
        fix: "Set the zone's tier to mynumber, lgwan, internet, dmz or management according to what its assets do. If it mixes assets of several tiers, split it into one zone (and segments) per tier.",
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
        for z in &topo.zones {
            let subject = format!("zone:{}", z.id);
            if z.tier != Tier::Other {
                out.push(Outcome::pass(subject, Some(z.loc)));
                continue;
            }
            let segments: Vec<&str> = topo
                .segments
                .iter()
                .filter(|s| s.zone.value == z.id)
                .map(|s| s.id.as_str())
                .collect();
            let (mut entries, mut hosts) = (0usize, 0u64);
            for h in &topo.hosts {
                if h.interfaces
                    .iter()
                    .any(|i| segments.contains(&i.segment.value.as_str()))
                {
                    entries += 1;
                    hosts += h.count;
                }
            }
            let gateways = topo
                .gateways
                .iter()
                .filter(|g| {
                    g.interfaces
                        .iter()
                        .any(|i| segments.contains(&i.segment.value.as_str()))
                })
                .count();
            if segments.is_empty() {
                out.push(Outcome::fail(
                    subject,
                    Some(z.loc),
                    Text::new(
                        format!(
                            "ゾーン {} は tier = \"other\" で、どの層にも分類されていない (セグメントはまだ無い)",
                            z.id
                        ),
                        format!(
                            "zone {} has tier = \"other\": it is in no tier of the model (it has no segments yet)",
                            z.id
                        ),
                    ),
                ));
                continue;
            }
            let mut ja = format!(
                "ゾーン {} は tier = \"other\" で、どの層にも分類されていない (セグメント {} 個、ホスト {} 台",
                z.id,
                segments.len(),
                thousands(hosts)
            );
            let mut en = format!(
                "zone {} has tier = \"other\": it is in no tier of the model ({} segment(s), {} host(s)",
                z.id,
                segments.len(),
                thousands(hosts)
            );
            if entries as u64 != hosts {
                ja.push_str(&format!(" ({entries} 件の定義)"));
                en.push_str(&format!(" in {entries} entries"));
            }
            if gateways > 0 {
                ja.push_str(&format!("、ゲートウェイ {gateways} 台"));
                en.push_str(&format!(", {gateways} gateway(s)"));
            }
            ja.push(')');
            en.push(')');
            out.push(Outcome::fail(subject, Some(z.loc), Text::new(ja, en)));
        }
        if out.is_empty() {
            out.push(Outcome::pass("topology", None));
        }
        out
    }
}
