//! POL-002: an exception that matches no finding.

use crate::model::policy::Level;
use crate::rules::{Doc, Levels, Meta};

pub static META: Meta = Meta {
    code: "POL-002",
    name: "unused-exception",
    levels: Levels::all(Level::Warn),
    guideline: "GL(R6.10) 対策基準 7.4",
    confidence: "I",
    ja: Doc {
        title: "該当する指摘のない例外",
        what: "ポリシーの [[exception]] のうち、rule と subject に一致する指摘が無いもの。",
        why: "是正済みの例外が残っていると、将来同じ問題が再発したときに黙って受容されてしまう。subject の綴り違いなら、意図した指摘が受容されていない。",
        example: "subject = \"fw-mn/3\" の例外があるが、ルールの並びが変わり指摘は fw-mn/4 になった。",
        fix: "是正済みなら例外を削除する。綴り違いなら sansou check の出力にある subject をそのまま書く。",
    },
    en: Doc {
        title: "Exception that matches no finding",
        what: "An [[exception]] of the policy whose `rule` and `subject` match no finding.",
        why: "A leftover exception silently accepts the same problem if it comes back; a misspelt subject means the finding meant to be accepted is not.",
        example: "An exception for subject \"fw-mn/3\" after the rules were reordered and the finding became fw-mn/4.",
        fix: "Remove exceptions for fixed findings; copy the subject exactly as `sansou check` prints it.",
    },
};
