//! NET-005: every external connection point is approved; vendor lines are restricted and
//! recorded.

use crate::model::RemoteKind;
use crate::model::policy::Level;
use crate::rules::required::{Need, judge};
use crate::rules::{Context, Doc, Levels, Meta, Outcome};

pub static META: Meta = Meta {
    code: "NET-005",
    name: "external-connection-unapproved",
    levels: Levels::all(Level::Deny),
    guideline: "GL(R6.10) 対策基準 4.3, 6.1",
    confidence: "G",
    ja: Doc {
        title: "外部との接続点が承認されていない",
        what: "すべての [[external]] と [[remote_access]] が approved = true であること。ベンダー保守回線 (kind vendor-maintenance) はさらに source_restricted = true (接続元の限定) と session_recording = true (操作の記録) であること。逆なら不合格、記載が無ければ判定不能。",
        why: "ガイドラインは外部ネットワークとの接続を必要最小限にし、承認を得たものに限ることを求めている。誰も承認していない回線、とくに接続元を限らず操作も記録しない保守回線は、管理されない侵入口になる。",
        example: "ベンダー保守回線 vendor-hoshu に session_recording = false と書かれている。",
        fix: "外部との接続点を一覧にして承認を得て approved = true とし、保守回線は接続元を限定して操作を記録する。",
    },
    en: Doc {
        title: "External connection point not approved",
        what: "Every [[external]] and [[remote_access]] has approved = true; a vendor-maintenance line also has source_restricted = true and session_recording = true. The opposite fails; a missing field is unknown.",
        why: "The guideline keeps connections to outside networks to the minimum and approved. A line nobody approved, above all a maintenance line open to any source and unrecorded, is an unmanaged way in.",
        example: "The vendor maintenance line vendor-hoshu has session_recording = false.",
        fix: "List the connection points, have each approved (approved = true), restrict maintenance lines to known sources and record their sessions.",
    },
};

pub struct Rule;

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) -> Vec<Outcome> {
        let rule = ("接続点の承認の要件", "the connection-approval requirement");
        let mut out = Vec::new();
        for e in &cx.topo.externals {
            out.push(judge(
                format!("external:{}", e.id),
                Some(e.loc),
                (&format!("外部網 {}", e.id), &format!("external {}", e.id)),
                rule,
                &[Need::flag("approved", e.approved, true)],
            ));
        }
        for r in &cx.topo.remote_access {
            let mut needs = vec![Need::flag("approved", r.approved, true)];
            if r.kind == RemoteKind::VendorMaintenance {
                needs.push(Need::flag("source_restricted", r.source_restricted, true));
                needs.push(Need::flag("session_recording", r.session_recording, true));
            }
            out.push(judge(
                r.id.clone(),
                Some(r.loc),
                (
                    &format!("リモート接続 {} ({})", r.id, r.kind),
                    &format!("{} line {}", r.kind, r.id),
                ),
                rule,
                &needs,
            ));
        }
        out
    }
}
