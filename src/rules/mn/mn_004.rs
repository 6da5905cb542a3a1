//! MN-004: My Number terminals need multi-factor authentication.

use crate::model::policy::Level;
use crate::model::{HostKind, Tier};
use crate::rules::{Context, Doc, Levels, Meta, Outcome, Text};

pub static META: Meta = Meta {
    code: "MN-004",
    name: "mynumber-terminal-without-mfa",
    levels: Levels::all(Level::Deny),
    guideline: "GL(R6.10) 対策基準 3.(1)②(ア), 4.4",
    confidence: "V",
    ja: Doc {
        title: "マイナンバー利用事務系端末の多要素認証",
        what: "マイナンバー利用事務系のゾーンにある端末 (kind = \"terminal\") が mfa = true であること。mfa = false は不合格、記載がなければ判定不能。",
        why: "マイナンバー利用事務系の端末には、知識・所持・生体のうち異なる 2 要素以上の認証が求められる。パスワードだけでは、盗まれた認証情報で特定個人情報に到達できてしまう。",
        example: "[[host]] id = \"juki-pc\", kind = \"terminal\", segment = マイナンバー系, mfa = false",
        fix: "生体認証や IC カードとパスワードを組み合わせた認証を導入し、mfa = true と記載する。",
    },
    en: Doc {
        title: "Multi-factor authentication on My Number terminals",
        what: "Every terminal (kind = \"terminal\") in a My Number zone has mfa = true. mfa = false fails; no `mfa` is unknown.",
        why: "The guideline requires at least two different factor types (knowledge, possession, inherence) on My Number terminals: a stolen password alone must not reach specific personal information.",
        example: "[[host]] id = \"juki-pc\", kind = \"terminal\", in the My Number tier, mfa = false",
        fix: "Add biometrics or an IC card to the password log-on and declare mfa = true.",
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
                Outcome::from_property(
                    h.mfa,
                    &h.id,
                    Some(h.loc),
                    Text::new(
                        format!("マイナンバー利用事務系の端末 {} に多要素認証がない (mfa = false)", h.id),
                        format!("My Number terminal {} has no multi-factor authentication (mfa = false)", h.id),
                    ),
                    Text::new(
                        format!("端末 {} の mfa が記載されていない", h.id),
                        format!("terminal {} does not state `mfa`", h.id),
                    ),
                )
            })
            .collect()
    }
}
