//! POL-003: an exception whose accepted content changed, so it no longer applies.

use crate::model::policy::Level;
use crate::rules::{Doc, Levels, Meta};

pub static META: Meta = Meta {
    code: "POL-003",
    name: "drifted-exception",
    levels: Levels::all(Level::Warn),
    guideline: "GL(R6.10) 対策基準 7.4",
    confidence: "I",
    ja: Doc {
        title: "受容した内容が変わった例外",
        what: "ポリシーの [[exception]] のうち、accepted に書いた内容 (ファイアウォールルールの条件、または指摘の通信のサービス) が、いまの指摘の内容と一致しないもの。その例外は適用されず、元の指摘が有効になる。",
        why: "例外は、承認した時点のルールや通信に対するリスクの受容である。ルールの挿入で番号がずれたり、ルールが広げられたりすると、同じ名前の対象が別の、より広い内容を指す。黙って受容し続けると、承認の理由に合わない穴が隠れる。",
        example: "subject = \"fw-juki/2\", accepted = \"allow segment:juki-pcs → host:juki-srv (tcp/443)\" の例外がある状態で、上にルールが 1 つ挿入され、fw-juki/2 が「allow any → segment:juki (tcp)」になった。",
        fix: "新しい内容を確認し、受容できるなら改めて承認を得て accepted を更新する。できなければ是正する。ルールには id を付け、subject で id を指定する。",
    },
    en: Doc {
        title: "Exception whose accepted content changed",
        what: "An [[exception]] of the policy whose `accepted` content (a firewall rule's match fields, or the services of the finding's flows) differs from the finding's content now. The exception no longer applies and the finding stands.",
        why: "An exception accepts a risk as it was approved: one rule, one set of flows. When a rule inserted above shifts positions, or a rule is widened, the same subject names different, broader content; accepting it silently hides an opening its justification does not cover.",
        example: "An exception with subject = \"fw-juki/2\" and accepted = \"allow segment:juki-pcs → host:juki-srv (tcp/443)\"; a rule inserted above makes fw-juki/2 \"allow any → segment:juki (tcp)\".",
        fix: "Review the new content; if it is acceptable, have it approved again and update `accepted`, else fix the design. Give rules an `id` and name them by it in `subject`.",
    },
};
