//! AP-002: in α', the cloud services LGWAN terminals reach directly are ISMAP-registered,
//! tenant-restricted and behind MFA, and those terminals run EDR.

use crate::model::policy::Level;
use crate::model::{Assurance, HostKind, ServiceKind, Tier};
use crate::rules::required::{Need, judge};
use crate::rules::{Context, Doc, Levels, Meta, Outcome};

pub static META: Meta = Meta {
    code: "AP-002",
    name: "alpha-prime-breakout-without-controls",
    levels: Levels {
        alpha: Level::Allow,
        alpha_prime: Level::Warn,
        beta: Level::Allow,
        beta_prime: Level::Allow,
    },
    guideline: "GL(R6.10) 対策基準 3 (α'モデル); S12, S13",
    confidence: "G/I",
    ja: Doc {
        title: "α'モデル: ローカルブレイクアウト先のクラウドと利用端末の追加対策が無い",
        what: "α'モデルで、LGWAN 接続系の zone から使う kind = \"cloud\" の [[service]] が assurance = ismap または ismap-liu、tenant_restriction = true、mfa = true であること。そのようなサービスがあるとき、LGWAN 接続系の端末が edr = true であること。逆なら不合格、記載が無ければ判定不能。α'モデルにだけ警告として適用する (ガイドラインの条件の詳細は要確認)。",
        why: "α'モデルは LGWAN 接続系の端末から特定のクラウドサービスへ直接つなぐことを認めるが、その条件として、接続先とテナントの限定に加え、端末の検知・対応の強化やクラウドへの多要素認証といった追加の対策が示されている。",
        example: "α'モデルで LGWAN 接続系から使うオフィススイート office-suite に assurance = \"none\" と書かれている。あるいは LGWAN 接続系の端末 lg-pc に edr = false と書かれている。",
        fix: "ISMAP (または ISMAP-LIU) 登録のサービスを選び、自組織のテナントだけに制限し、多要素認証を有効にして、利用端末に EDR を導入する。",
    },
    en: Doc {
        title: "α': breakout cloud service or its terminals without the additional controls",
        what: "In α', every [[service]] of kind cloud used from an LGWAN-tier zone has assurance = ismap or ismap-liu, tenant_restriction = true and mfa = true; when there is one, the LGWAN tier's terminals have edr = true. The opposite fails; a missing field is unknown. A warning in α' only (the guideline's exact conditions are still to be verified).",
        why: "α' lets LGWAN terminals reach named cloud services directly, on condition of destination and tenant restriction and of additional controls such as stronger endpoint detection and MFA to the cloud.",
        example: "In α', the office suite office-suite used from the LGWAN tier has assurance = \"none\"; or the LGWAN terminal group lg-pc has edr = false.",
        fix: "Choose an ISMAP (or ISMAP-LIU) registered service, restrict it to the organisation's tenant, require MFA, and run EDR on the terminals that use it.",
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
            let from_lgwan = s
                .zone
                .as_ref()
                .is_some_and(|z| cx.zone_tier(z) == Some(Tier::Lgwan));
            if s.kind != ServiceKind::Cloud || !from_lgwan {
                continue;
            }
            let assured = s
                .assurance
                .map(|a| matches!(a, Assurance::Ismap | Assurance::IsmapLiu));
            let shown = format!("assurance = {}", s.assurance.map_or("", |a| a.as_str()));
            out.push(judge(
                s.id.clone(),
                Some(s.loc),
                (&format!("サービス {}", s.id), &format!("service {}", s.id)),
                ("α'の追加対策の要件", "the α' additional controls"),
                &[
                    Need::new("assurance", assured, shown),
                    Need::flag("tenant_restriction", s.tenant_restriction, true),
                    Need::flag("mfa", s.mfa, true),
                ],
            ));
        }
        if out.is_empty() {
            return out;
        }
        for (_, h) in cx.hosts_in_tier(Tier::Lgwan) {
            if h.kind != HostKind::Terminal {
                continue;
            }
            out.push(judge(
                h.id.clone(),
                Some(h.loc),
                (&format!("端末 {}", h.id), &format!("terminal {}", h.id)),
                ("α'の追加対策の要件", "the α' additional controls"),
                &[Need::flag("edr", h.edr, true)],
            ));
        }
        out
    }
}
