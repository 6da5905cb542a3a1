//! BT-002: β and β' rest on organisational measures: a CSIRT, training, self-inspection and
//! external audit, each within the last year.

use crate::model::At;
use crate::model::policy::Level;
use crate::rules::required::{Need, judge, year_before};
use crate::rules::{Context, Doc, Levels, Meta, Outcome};

pub static META: Meta = Meta {
    code: "BT-002",
    name: "beta-without-organisational-measures",
    levels: Levels {
        alpha: Level::Allow,
        alpha_prime: Level::Allow,
        beta: Level::Deny,
        beta_prime: Level::Deny,
    },
    guideline: "GL(R6.10) 対策基準 3 (β・β'モデルの条件); S1",
    confidence: "V/G",
    ja: Doc {
        title: "β・β'モデルの組織的・人的対策 (CSIRT・訓練・自己点検・外部監査) が無い",
        what: "[org] に csirt = true があり、last_training (標的型攻撃訓練を含む職員研修)、last_self_check (自己点検)、last_external_audit (外部監査) の日付がいずれも検査日から 1 年以内であること。csirt = false または 1 年より前の日付は不合格、[org] やその項目が無ければ判定不能。β・β'モデルにだけ適用する。",
        why: "β・β'モデルでは業務端末がインターネット接続系に置かれるため、ガイドラインは技術的対策に加えて、インシデントに即応する CSIRT、職員の訓練、自己点検と外部監査を条件としている。これらが欠ければ、侵入を早く見つけて止める体制が無い。",
        example: "βモデルの設計の [org] に csirt = true とあるが、last_external_audit が 2 年前の日付である。",
        fix: "CSIRT を設置し、標的型攻撃訓練を含む研修、自己点検、外部監査を毎年実施して、その日付を [org] に記載する。",
    },
    en: Doc {
        title: "β/β' without organisational measures (CSIRT, training, self-check, external audit)",
        what: "[org] has csirt = true, and last_training (staff training with targeted-attack drills), last_self_check and last_external_audit are each within one year of the check's date. csirt = false or an older date fails; a missing [org] or field is unknown. Applies to β and β' only.",
        why: "In β and β' staff terminals sit in the internet tier, so the guideline makes a CSIRT, staff training, self-inspection and external audit conditions on top of the technical measures. Without them, nobody finds and stops an intrusion early.",
        example: "A β design's [org] has csirt = true, but last_external_audit is two years old.",
        fix: "Establish a CSIRT; run training with targeted-attack drills, a self-inspection and an external audit every year, and record their dates in [org].",
    },
};

pub struct Rule;

/// A date that must be within the year before `today`.
fn recent(key: &'static str, date: &Option<At<String>>, since: &str) -> Need {
    Need::new(
        key,
        date.as_ref().map(|d| d.value.as_str() >= since),
        format!("{key} = {}", date.as_ref().map_or("", |d| d.value.as_str())),
    )
}

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) -> Vec<Outcome> {
        let org = &cx.topo.org;
        let since = year_before(&cx.today);
        let needs = [
            Need::flag("csirt", org.csirt, true),
            recent("last_training", &org.last_training, &since),
            recent("last_self_check", &org.last_self_check, &since),
            recent("last_external_audit", &org.last_external_audit, &since),
        ];
        vec![judge(
            "org",
            org.loc,
            ("組織 ([org])", "the organisation ([org])"),
            (
                &format!("1 年以内 ({since} 以降) の組織的対策の要件"),
                &format!("the organisational measures within a year (since {since})"),
            ),
            &needs,
        )]
    }
}
