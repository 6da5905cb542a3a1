//! EXT-006: cloud services handling 機密性2 information meet the outsourcing requirements.

use crate::model::policy::Level;
use crate::model::{Assurance, ServiceKind};
use crate::rules::required::{Need, judge};
use crate::rules::{Context, Doc, Levels, Meta, Outcome};

pub static META: Meta = Meta {
    code: "EXT-006",
    name: "external-service-unreviewed",
    levels: Levels::all(Level::Deny),
    guideline: "GL(R6.10) 対策基準 8.3; S14",
    confidence: "V-structure/G",
    ja: Doc {
        title: "機密性2以上の情報を扱う外部サービスの契約・認証・接続先が確認されていない",
        what: "[[service]] ごとに handles_conf2 (機密性2以上の情報を扱うか) が書かれ、扱うものは contract_reviewed = true、zone (使う層) の記載、assurance が ismap または ismap-liu であること (LGWAN-ASP は assurance の代わりに registration)。contract_reviewed = false や assurance = none は不合格、記載が無ければ判定不能。",
        why: "ガイドラインは外部サービスの利用について、契約 (データの保管場所、終了時の扱い、監査) の確認と、第三者認証などによる安全性の確認を求めている。どの層から使うかが分からなければ、分離の検査からも漏れる。",
        example: "クラウドのグループウェア groupware に handles_conf2 = true とあるが contract_reviewed = false。",
        fix: "契約内容を確認して contract_reviewed = true とし、ISMAP (または ISMAP-LIU) 登録のサービスを選んで assurance に、使う層を zone に記載する。",
    },
    en: Doc {
        title: "External service handling class-2 information not reviewed",
        what: "Every [[service]] states handles_conf2; one that handles 機密性2 or higher information has contract_reviewed = true, a zone it is used from, and assurance = ismap or ismap-liu (for an LGWAN-ASP service, its registration instead). contract_reviewed = false or assurance = none fails; a missing field is unknown.",
        why: "The guideline requires a reviewed contract (data location, termination, audits) and an assurance of security (such as a third-party registration) for external services. A service whose tier is unknown escapes the separation checks too.",
        example: "The cloud groupware groupware has handles_conf2 = true but contract_reviewed = false.",
        fix: "Review the contract (contract_reviewed = true), choose an ISMAP (or ISMAP-LIU) registered service (assurance), and state the zone it is used from.",
    },
};

pub struct Rule;

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) -> Vec<Outcome> {
        let mut out = Vec::new();
        for s in &cx.topo.services {
            let what = (format!("サービス {}", s.id), format!("service {}", s.id));
            let rule = (
                "外部サービス利用の要件",
                "the external-service requirements",
            );
            let needs = match s.handles_conf2 {
                Some(false) => vec![],
                None => vec![Need::flag("handles_conf2", None, true)],
                Some(true) => vec![
                    Need::flag("contract_reviewed", s.contract_reviewed, true),
                    Need::stated("zone", s.zone.is_some()),
                    // An LGWAN-ASP service is vetted by its J-LIS registration (LG-006).
                    if s.kind == ServiceKind::LgwanAsp {
                        Need::stated("registration", s.registration.is_some())
                    } else {
                        Need::new(
                            "assurance",
                            s.assurance.map(|a| a != Assurance::None),
                            "assurance = none",
                        )
                    },
                ],
            };
            out.push(judge(
                s.id.clone(),
                Some(s.loc),
                (&what.0, &what.1),
                rule,
                &needs,
            ));
        }
        out
    }
}
