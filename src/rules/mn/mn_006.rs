//! MN-006: My Number terminals are dedicated: one business, no leg or client into other tiers.

use crate::model::policy::Level;
use crate::model::{HostKind, Tier};
use crate::rules::required::{Need, judge};
use crate::rules::{Context, Doc, Levels, Meta, Outcome};

pub static META: Meta = Meta {
    code: "MN-006",
    name: "mynumber-terminal-not-dedicated",
    levels: Levels::all(Level::Warn),
    guideline: "GL(R6.10) 対策基準 3.(1)②(ア)",
    confidence: "G",
    ja: Doc {
        title: "マイナンバー利用事務系の端末が業務ごとの専用端末でない",
        what: "マイナンバー利用事務系 (tier mynumber) の端末が、ほかの層に脚を持たず、business_units (扱う業務) が 1 つだけであること。ほかの層に脚がある、または業務が 2 つ以上なら不合格、business_units が無ければ判定不能。",
        why: "ガイドラインは、マイナンバー利用事務系の端末を業務ごとの専用端末とすることが望ましいとしている。一台で複数の業務やほかの層の作業をすれば、権限と情報がその端末で混ざる。",
        example: "端末 mn-pc に business_units = [\"住民記録\", \"税務\"] と書かれている。",
        fix: "業務ごとに端末を分け、business_units に 1 つの業務を記載する。ほかの層の作業は別の端末で行う。",
    },
    en: Doc {
        title: "My Number terminal not dedicated to one business",
        what: "Terminals of the My Number tier have no leg in another tier and exactly one entry in business_units. A leg elsewhere or two businesses fail; missing business_units is unknown.",
        why: "The guideline recommends dedicated terminals per business in the My Number tier. One terminal for several businesses, or for work in other tiers, mixes their rights and data.",
        example: "The terminal group mn-pc has business_units = [\"住民記録\", \"税務\"].",
        fix: "Give each business its own terminals and list the one business in business_units; do other tiers' work on other terminals.",
    },
};

pub struct Rule;

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) -> Vec<Outcome> {
        cx.hosts_in_tier(Tier::MyNumber)
            .into_iter()
            .filter(|(_, h)| h.kind == HostKind::Terminal)
            .map(|(_, h)| {
                let tiers = cx.host_tiers(h);
                let units = &h.facts.business_units;
                judge(
                    h.id.clone(),
                    Some(h.loc),
                    (&format!("端末 {}", h.id), &format!("terminal {}", h.id)),
                    ("専用端末の要件", "the dedicated-terminal recommendation"),
                    &[
                        Need::new(
                            "interfaces",
                            Some(tiers == [Tier::MyNumber]),
                            format!(
                                "tiers = {}",
                                tiers
                                    .iter()
                                    .map(|t| t.as_str())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        ),
                        Need::new(
                            "business_units",
                            (!units.is_empty()).then_some(units.len() == 1),
                            format!("business_units = [{}]", units.join(", ")),
                        ),
                    ],
                )
            })
            .collect()
    }
}
