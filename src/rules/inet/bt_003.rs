//! BT-003: in β and β', internet-tier terminals are patched promptly and inventoried.

use crate::model::policy::Level;
use crate::model::{HostKind, Tier};
use crate::rules::required::{Need, judge};
use crate::rules::{Context, Doc, Levels, Meta, Outcome};

/// Days a security patch may wait before the terminal counts as unpatched.
pub const MAX_PATCH_AGE_DAYS: u64 = 30;

pub static META: Meta = Meta {
    code: "BT-003",
    name: "internet-terminal-unpatched-or-unregistered",
    levels: Levels {
        alpha: Level::Allow,
        alpha_prime: Level::Allow,
        beta: Level::Deny,
        beta_prime: Level::Deny,
    },
    guideline: "GL(R6.10) 対策基準 6.4, 3 (β・β'モデルの解説)",
    confidence: "G",
    ja: Doc {
        title: "β・β'モデルのインターネット側端末にパッチが当たっていない、または資産登録が無い",
        what: "インターネット接続系 (tier internet) の端末 (kind terminal) が registered = true で、patch_age_days (最後のセキュリティ更新からの日数) が 30 日以内であること。registered = false か 30 日を超えれば不合格、記載が無ければ判定不能。β・β'モデルにだけ適用する。",
        why: "β・β'モデルでは業務端末そのものがインターネットに面する。既知の脆弱性が放置された端末や、台帳に無く誰も更新していない端末は、最初に侵入される場所になる。",
        example: "βモデルの端末 inet-pc に patch_age_days = 95 と書かれている。",
        fix: "資産管理ツールで端末を台帳に登録し (registered = true)、月例の更新を 30 日以内に適用する。",
    },
    en: Doc {
        title: "β/β' internet-side terminal unpatched or not inventoried",
        what: "Terminals (kind terminal) of the internet tier have registered = true and patch_age_days (days since the last security patch) of at most 30. registered = false or more than 30 days fails; a missing field is unknown. Applies to β and β' only.",
        why: "In β and β' the staff terminals themselves face the internet. A terminal with known holes left open, or one missing from the register that nobody updates, is where an intruder gets in first.",
        example: "The β model's terminal group inet-pc has patch_age_days = 95.",
        fix: "Register terminals in asset management (registered = true) and apply the monthly updates within 30 days.",
    },
};

pub struct Rule;

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) -> Vec<Outcome> {
        cx.hosts_in_tier(Tier::Internet)
            .into_iter()
            .filter(|(_, h)| h.kind == HostKind::Terminal)
            .map(|(_, h)| {
                let age = h.facts.patch_age_days.as_ref().map(|a| a.value);
                judge(
                    h.id.clone(),
                    Some(h.loc),
                    (&format!("端末 {}", h.id), &format!("terminal {}", h.id)),
                    (
                        "パッチ適用 (30 日以内) と資産登録の要件",
                        "the patch (within 30 days) and inventory requirement",
                    ),
                    &[
                        Need::flag("registered", h.facts.registered, true),
                        Need::new(
                            "patch_age_days",
                            age.map(|a| a <= MAX_PATCH_AGE_DAYS),
                            format!("patch_age_days = {}", age.unwrap_or(0)),
                        ),
                    ],
                )
            })
            .collect()
    }
}
