//! POL-001: an exception whose expiry date has passed.

use crate::model::policy::Level;
use crate::rules::{Doc, Levels, Meta};

pub static META: Meta = Meta {
    code: "POL-001",
    name: "expired-exception",
    levels: Levels::all(Level::Warn),
    guideline: "GL(R6.10) 対策基準 7.4",
    confidence: "I",
    ja: Doc {
        title: "期限切れの例外",
        what: "ポリシーの [[exception]] のうち、expires の日付を過ぎたもの。",
        why: "例外は期間を限って承認されたリスクの受容である。期限を過ぎた例外はもう指摘を抑止せず、元の指摘が再び有効になる。更新か是正のどちらかが必要であることを知らせる。",
        example: "expires = 2025-03-31 の例外が 2026 年に残っている。",
        fix: "是正して例外を削除するか、改めて承認を得て expires を更新する。",
    },
    en: Doc {
        title: "Expired exception",
        what: "An [[exception]] of the policy whose `expires` date has passed.",
        why: "An exception is a risk accepted for a limited time. Once expired it no longer suppresses its finding, which stands again; someone has to renew the approval or fix the design.",
        example: "An exception with expires = 2025-03-31 still in the policy in 2026.",
        fix: "Fix the finding and remove the exception, or have it approved again with a new `expires`.",
    },
};
