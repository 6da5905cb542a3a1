//! IR-003: every firewall facing the internet is a declared isolation point.

use crate::model::Attachment;
use crate::model::policy::Level;
use crate::rules::{Context, Doc, Levels, Meta, Outcome, Text};

pub static META: Meta = Meta {
    code: "IR-003",
    name: "internet-line-outside-isolation-scope",
    levels: Levels::all(Level::Deny),
    guideline: "S28",
    confidence: "V",
    ja: Doc {
        title: "遮断の対象に入っていないインターネット回線",
        what: "インターネットまたはセキュリティクラウド (kind internet / security-cloud の外部網) に面するインターフェースを持つファイアウォールが、すべて isolation_point = true (緊急時の遮断手順の対象) であること。false は不合格、記載がなければ判定不能。メール専用回線や保守用回線も、外部網として書かれていれば対象になる。",
        why: "緊急時の遮断手順に入っていない回線は、遮断した後も外部との通り道として残る。2015 年の日本年金機構の事案では、全拠点のインターネット接続を止めた後も、メール専用回線の遮断は 6 月 4 日まで遅れた。インターネットに面する出口は漏れなく把握し、遮断の対象にしておく必要がある。",
        example: "メール専用回線のファイアウォール fw-mail-line が external:internet に面しているが、isolation_point = false (遮断手順に含まれていない)。",
        fix: "インターネットに面するすべてのファイアウォールを緊急時対応計画の遮断対象に加え、isolation_point = true と記載する。不要な回線は撤去する。",
    },
    en: Doc {
        title: "Internet line outside the isolation scope",
        what: "Every firewall with an interface facing the internet or the security cloud (externals of kind internet or security-cloud) has isolation_point = true: it is covered by the emergency cut-off procedure. false fails; a missing value is unknown. Mail-only lines and maintenance lines count as soon as they are written as externals.",
        why: "A line left out of the cut-off procedure stays open after everything else is cut. In the 2015 Japan Pension Service breach, the mail-only line was cut only on 4 June, after the internet connections of all sites. Every exit to the internet must be known and covered.",
        example: "The mail-only line's firewall fw-mail-line faces external:internet with isolation_point = false (not in the cut-off procedure).",
        fix: "Add every internet-facing firewall to the cut-off procedure of the emergency response plan and write isolation_point = true. Remove lines that are not needed.",
    },
};

pub struct Rule;

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) -> Vec<Outcome> {
        let topo = cx.topo;
        let mut out = Vec::new();
        for fw in &topo.firewalls {
            let facing: Vec<&str> = fw
                .interfaces
                .iter()
                .filter_map(|i| match &i.attachment.value {
                    Attachment::External(x) => topo
                        .external(x)
                        .filter(|e| e.kind.is_internet())
                        .map(|e| e.id.as_str()),
                    Attachment::Segment(_) => None,
                })
                .collect();
            if facing.is_empty() {
                continue;
            }
            let facing = facing
                .iter()
                .map(|x| format!("external:{x}"))
                .collect::<Vec<_>>()
                .join(", ");
            out.push(Outcome::from_property(
                fw.isolation_point,
                &fw.id,
                Some(fw.loc),
                Text::new(
                    format!(
                        "{facing} に面するファイアウォール {} が遮断の対象になっていない (isolation_point = false)",
                        fw.id
                    ),
                    format!(
                        "firewall {} faces {facing} but is not an isolation point (isolation_point = false)",
                        fw.id
                    ),
                ),
                Text::new(
                    format!(
                        "{facing} に面するファイアウォール {} が遮断の対象かどうか (isolation_point) が記載されていない",
                        fw.id
                    ),
                    format!(
                        "firewall {} faces {facing} but does not state `isolation_point`",
                        fw.id
                    ),
                ),
            ));
        }
        if out.is_empty() {
            out.push(Outcome::pass("firewalls", None));
        }
        out
    }
}
