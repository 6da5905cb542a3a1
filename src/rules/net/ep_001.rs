//! EP-001: every terminal and server runs anti-malware (EPP).

use crate::model::HostKind;
use crate::model::policy::Level;
use crate::rules::required::{Need, judge};
use crate::rules::{Context, Doc, Levels, Meta, Outcome};

pub static META: Meta = Meta {
    code: "EP-001",
    name: "host-without-anti-malware",
    levels: Levels::all(Level::Deny),
    guideline: "GL(R6.10) 対策基準 6.4",
    confidence: "G",
    ja: Doc {
        title: "端末・サーバにウイルス対策ソフト (EPP) が無い",
        what: "すべての層の端末とサーバ (kind appliance 以外) が antivirus = true であること。false なら不合格、記載が無ければ判定不能。専用機器 (appliance) は対象外。",
        why: "ガイドラインは不正プログラム対策として、すべてのサーバと端末にウイルス対策ソフトを導入し、パターンを更新することを求めている。一台でも対策の無い機器があれば、そこが感染の足場になる。",
        example: "LGWAN 接続系の文書管理サーバ doc-srv に antivirus = false と書かれている。",
        fix: "ウイルス対策ソフトを導入してパターン更新の仕組みを整え、antivirus = true と記載する。導入できない機器は kind = \"appliance\" とし、代わりの対策を例外として記録する。",
    },
    en: Doc {
        title: "Terminal or server without anti-malware (EPP)",
        what: "Every terminal and server of every tier (every kind but appliance) has antivirus = true. false fails; a missing field is unknown. Appliances are out of scope.",
        why: "The guideline requires anti-malware with updated patterns on every server and terminal. One unprotected device is a foothold.",
        example: "The LGWAN-tier document server doc-srv has antivirus = false.",
        fix: "Install anti-malware with pattern updates and declare antivirus = true. A device that cannot run it is kind = \"appliance\", with its compensating control recorded as an exception.",
    },
};

pub struct Rule;

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) -> Vec<Outcome> {
        cx.topo
            .hosts
            .iter()
            .filter(|h| h.kind != HostKind::Appliance)
            .map(|h| {
                judge(
                    h.id.clone(),
                    Some(h.loc),
                    (
                        &format!("{} ({})", h.id, h.kind),
                        &format!("{} {}", h.kind, h.id),
                    ),
                    ("ウイルス対策の要件", "the anti-malware requirement"),
                    &[Need::flag("antivirus", h.antivirus, true)],
                )
            })
            .collect()
    }
}
