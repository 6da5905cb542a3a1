//! POL-004: an exception that names a firewall rule by its position and does not pin what it
//! accepted.

use crate::model::policy::Level;
use crate::rules::{Doc, Levels, Meta};

pub static META: Meta = Meta {
    code: "POL-004",
    name: "exception-on-rule-position",
    levels: Levels::all(Level::Warn),
    guideline: "GL(R6.10) 対策基準 7.4",
    confidence: "I",
    ja: Doc {
        title: "ルールを番号で指し、内容を固定していない例外",
        what: "ポリシーの [[exception]] のうち、subject が id の無いファイアウォールルールを番号 (FW-ID/番号) で指し、accepted で受容した内容を固定していないもの。例外はそのまま適用される。",
        why: "ルールの番号は、上にルールが挿入・削除されるとずれる。番号だけの例外は、気づかないうちに別の、より広いルールを受容してしまう。",
        example: "subject = \"fw-juki/2\" だけの例外。",
        fix: "ルールに id を付けて subject = \"fw-juki/ID\" とし、メッセージに示す accepted = \"…\" を例外に書いて受容した内容を固定する。",
    },
    en: Doc {
        title: "Exception naming a rule by position without pinning it",
        what: "An [[exception]] of the policy whose subject names a firewall rule without an id by its position (FW-ID/N) and that does not pin what it accepted with `accepted`. The exception still applies.",
        why: "Positions shift when rules are inserted or removed above. An exception that holds on to a position alone silently comes to accept another, perhaps broader, rule.",
        example: "An exception with only subject = \"fw-juki/2\".",
        fix: "Give the rule an `id` and write subject = \"fw-juki/ID\"; add the `accepted = \"…\"` line the message gives, which pins what was accepted.",
    },
};
