//! DATA-006: stores of personal data have an owner, a purpose and a deletion date.

use crate::model::policy::Level;
use crate::rules::required::{Need, judge};
use crate::rules::{Context, Doc, Levels, Meta, Outcome};

pub static META: Meta = Meta {
    code: "DATA-006",
    name: "personal-store-without-owner-or-retention",
    levels: Levels::all(Level::Warn),
    guideline: "S29, S32",
    confidence: "I",
    ja: Doc {
        title: "個人情報の store に管理者・目的・廃棄期限が無い",
        what: "個人情報を含む [[store]] に owner (管理する課)、purpose (目的)、retain_until (廃棄期限) が書かれ、廃棄期限が検査日を過ぎていないこと。期限切れなら不合格、記載が無ければ判定不能。",
        why: "抽出した個人情報は、誰のために何のために置いたかが分からなくなると消されずに残り続ける。年金機構の事案では、基幹系から抽出されたデータが共有フォルダに残り、流出した。",
        example: "通知書作成用の抽出データ notice-share に retain_until が無い。",
        fix: "管理する課、目的、廃棄期限を決めて owner、purpose、retain_until に記載し、期限が来たら削除する。",
    },
    en: Doc {
        title: "Store of personal data without owner, purpose or deletion date",
        what: "Every [[store]] of personal data states owner, purpose and retain_until (its deletion date), and that date has not passed. An expired date fails; a missing field is unknown.",
        why: "Extracted personal data whose owner and purpose nobody remembers is never deleted. In the Japan Pension Service breach, data extracted from the core system sat in shared folders and leaked.",
        example: "The extract notice-share has no retain_until.",
        fix: "Decide who owns it, why it exists and when it goes; state owner, purpose and retain_until, and delete it on that date.",
    },
};

pub struct Rule;

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) -> Vec<Outcome> {
        let today = cx.today.clone();
        cx.topo
            .stores
            .iter()
            .filter(|s| s.holds_personal_data())
            .map(|s| {
                let until = s.retain_until.as_ref().map(|d| d.value.as_str());
                let needs = [
                    Need::stated("owner", s.owner.is_some()),
                    Need::stated("purpose", s.purpose.is_some()),
                    Need::new(
                        "retain_until",
                        until.map(|d| d >= today.as_str()),
                        format!("retain_until = {} has passed", until.unwrap_or("")),
                    ),
                ];
                judge(
                    s.id.clone(),
                    Some(s.loc),
                    (&format!("store {}", s.id), &format!("store {}", s.id)),
                    (
                        "管理者・目的・廃棄期限の要件",
                        "the owner, purpose and retention requirement",
                    ),
                    &needs,
                )
            })
            .collect()
    }
}
