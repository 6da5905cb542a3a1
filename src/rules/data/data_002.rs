//! DATA-002: every store is classified (personal data at least 機密性2), and stores of personal
//! data say how many records.

use crate::model::policy::Level;
use crate::rules::required::{Need, judge};
use crate::rules::{Context, Doc, Levels, Meta, Outcome};

pub static META: Meta = Meta {
    code: "DATA-002",
    name: "store-unclassified",
    levels: Levels::all(Level::Deny),
    guideline: "GL(R6.10) 対策基準 2; S29",
    confidence: "G",
    ja: Doc {
        title: "情報資産の機密性分類が誤っている、または記載が無い",
        what: "すべての [[store]] に confidentiality (機密性 1〜3) が書かれ、個人情報を含む store (data に confidential・public 以外の分類がある) は機密性 2 以上で、records (件数) も書かれていること。個人情報を機密性 1 としていれば不合格、記載が無ければ判定不能。",
        why: "ガイドラインは情報資産を機密性・完全性・可用性で分類して管理することを求めている。2015 年の年金機構の事案では、どのサーバに何件の個人情報があるか把握できず、被害の範囲が何週間もわからなかった。",
        example: "住民の個人情報を置く共有フォルダ notice-share が confidentiality = 1 とされている。",
        fix: "情報資産台帳に沿って confidentiality を記載し (個人情報は 2 以上)、個人情報を含む store には records に件数を記載する。",
    },
    en: Doc {
        title: "Store misclassified or without a confidentiality class",
        what: "Every [[store]] states confidentiality (class 1 to 3); a store of personal data (any data class but confidential and public) is class 2 or higher and states records. Personal data in class 1 fails; a missing field is unknown.",
        why: "The guideline requires information assets to be classified. In the 2015 Japan Pension Service breach nobody knew which server held how many personal records, and the extent stayed unknown for weeks.",
        example: "The share notice-share holds residents' personal data but has confidentiality = 1.",
        fix: "State confidentiality from the asset register (2 or higher for personal data), and records for every store of personal data.",
    },
};

pub struct Rule;

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) -> Vec<Outcome> {
        cx.topo
            .stores
            .iter()
            .map(|s| {
                let personal = s.holds_personal_data();
                // Personal information is at least 機密性2.
                let class = Need::new(
                    "confidentiality",
                    s.confidentiality.map(|c| !personal || c >= 2),
                    format!(
                        "confidentiality = {} for personal data",
                        s.confidentiality.unwrap_or(0)
                    ),
                );
                let mut needs = vec![class];
                if personal {
                    needs.push(Need::stated("records", s.records.is_some()));
                }
                judge(
                    s.id.clone(),
                    Some(s.loc),
                    (&format!("store {}", s.id), &format!("store {}", s.id)),
                    ("資産分類の要件", "the classification requirement"),
                    &needs,
                )
            })
            .collect()
    }
}
