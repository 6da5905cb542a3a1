//! LG-006: LGWAN-side services from outside the municipality are registered LGWAN-ASP services.

use crate::model::ServiceKind;
use crate::model::policy::Level;
use crate::rules::required::{Need, judge};
use crate::rules::{Context, Doc, Levels, Meta, Outcome};

pub static META: Meta = Meta {
    code: "LG-006",
    name: "lgwan-asp-unregistered",
    levels: Levels::all(Level::Deny),
    guideline: "GL(R6.10) 対策基準 3.(2)",
    confidence: "V",
    ja: Doc {
        title: "LGWAN-ASP サービスに J-LIS の登録が無い",
        what: "kind = \"lgwan-asp\" の [[service]] に registration (J-LIS による LGWAN-ASP の登録番号) が書かれていること。無ければ不合格。",
        why: "LGWAN 接続系から使う外部のサービスは、閉域性の確認を含む J-LIS の LGWAN-ASP 登録を受けたものに限られる。登録の無いサービスは、LGWAN 接続系とインターネットの分離を保証しない。",
        example: "電子決裁サービス denshi-kessai (kind lgwan-asp) に registration が無い。",
        fix: "J-LIS に登録された LGWAN-ASP サービスを選び、その登録番号を registration に記載する。登録の無いサービスは LGWAN 接続系から使わない。",
    },
    en: Doc {
        title: "LGWAN-ASP service without J-LIS registration",
        what: "Every [[service]] with kind = \"lgwan-asp\" states registration (its LGWAN-ASP registration with J-LIS). Missing fails.",
        why: "Services used from the LGWAN tier must be LGWAN-ASP services registered with J-LIS, a registration that includes a check of the closed network. An unregistered service does not guarantee the split from the internet.",
        example: "The e-approval service denshi-kessai (kind lgwan-asp) has no registration.",
        fix: "Use a service registered with J-LIS and state its registration; do not use unregistered services from the LGWAN tier.",
    },
};

pub struct Rule;

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) -> Vec<Outcome> {
        cx.topo
            .services
            .iter()
            .filter(|s| s.kind == ServiceKind::LgwanAsp)
            .map(|s| {
                let registered = s
                    .registration
                    .as_deref()
                    .is_some_and(|r| !r.trim().is_empty());
                judge(
                    s.id.clone(),
                    Some(s.loc),
                    (&format!("サービス {}", s.id), &format!("service {}", s.id)),
                    (
                        "LGWAN-ASP 登録の要件",
                        "the LGWAN-ASP registration requirement",
                    ),
                    &[Need::new(
                        "registration",
                        Some(registered),
                        "registration not stated",
                    )],
                )
            })
            .collect()
    }
}
