//! MN-005: no data leaves My Number terminals on USB memory or other removable media.

use crate::model::policy::Level;
use crate::model::{FlowMethod, HostKind, RemovableMedia, Tier};
use crate::rules::support::tiers_label;
use crate::rules::{Context, Doc, Evidence, Levels, Meta, Outcome, Text};

pub static META: Meta = Meta {
    code: "MN-005",
    name: "mynumber-removable-media-allowed",
    levels: Levels::all(Level::Deny),
    guideline: "GL(R6.10) 対策基準 3.(1)②(イ)",
    confidence: "V",
    ja: Doc {
        title: "マイナンバー利用事務系の外部記録媒体による持ち出し",
        what: "マイナンバー利用事務系の端末 (kind = \"terminal\") の removable_media が blocked (利用不可) または allowlist (登録済みの媒体のみ) であること。allowed は不合格、記載が無ければ判定不能。端末以外のホストも allowed と書かれていれば不合格。あわせて、マイナンバー系から系外へ外部記録媒体で運ぶと宣言されたデータフロー (method = \"media\") も不合格とする。",
        why: "マイナンバー利用事務系の端末からは、USB メモリなどの外部記録媒体へのデータの持ち出しができないようにすることが求められている。認めるのは事前に登録した媒体だけである。2015 年の年金機構事案では、基幹システムから外部媒体で抽出されたデータが、インターネットにつながる情報系の共有フォルダに置かれ、そこから流出した。",
        example: "[[host]] id = \"mn-pc\", kind = \"terminal\", マイナンバー系のセグメント、removable_media = \"allowed\"",
        fix: "端末の設定 (デバイス制御) で外部記録媒体を使えないようにし、removable_media = \"blocked\" と書く。業務上どうしても必要な場合は、登録した暗号化媒体だけを認めて \"allowlist\" とする。媒体による系外への持ち出しのフローは廃止するか、承認された別の方法に置き換える。",
    },
    en: Doc {
        title: "Removable media on My Number terminals",
        what: "Every terminal (kind = \"terminal\") in the My Number tier has removable_media = \"blocked\" or \"allowlist\" (registered devices only). \"allowed\" fails; no `removable_media` is unknown. Other My Number hosts fail when they say \"allowed\". A declared data flow by removable media (method = \"media\") from the tier to outside it also fails.",
        why: "The guideline requires that data cannot be written from My Number terminals to USB memory or other removable media; only devices registered in advance may be recognised. In the 2015 Japan Pension Service breach, data extracted from the core system on removable media ended up on a shared folder of the internet-connected network, and leaked from there.",
        example: "[[host]] id = \"mn-pc\", kind = \"terminal\", on a My Number segment, removable_media = \"allowed\"",
        fix: "Block removable media on the terminals (device control) and declare removable_media = \"blocked\". Where the work really needs it, recognise only registered, encrypted devices and declare \"allowlist\". Stop media flows out of the tier or replace them with an approved method.",
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
        for (_, h) in cx.hosts_in_tier(Tier::MyNumber) {
            let subject = format!("host:{}", h.id);
            let terminal = h.kind == HostKind::Terminal;
            match h.removable_media {
                Some(RemovableMedia::Allowed) => out.push(Outcome::fail(
                    subject,
                    Some(h.loc),
                    Text::new(
                        format!(
                            "マイナンバー利用事務系の{} {} で外部記録媒体が使える (removable_media = \"allowed\")",
                            if terminal { "端末" } else { "ホスト" },
                            h.id
                        ),
                        format!(
                            "My Number {} {} accepts removable media (removable_media = \"allowed\")",
                            if terminal { "terminal" } else { "host" },
                            h.id
                        ),
                    ),
                )),
                Some(_) => out.push(Outcome::pass(subject, Some(h.loc))),
                None if terminal => out.push(Outcome::unknown(
                    subject,
                    Some(h.loc),
                    Text::new(
                        format!("端末 {} の removable_media が記載されていない", h.id),
                        format!("terminal {} does not state `removable_media`", h.id),
                    ),
                )),
                None => {}
            }
        }
        for f in &topo.flows {
            if f.method != FlowMethod::Media {
                continue;
            }
            let from = cx.selector_tiers(&f.from);
            let to = cx.selector_tiers(&f.to);
            if !from.contains(&Tier::MyNumber) || to == [Tier::MyNumber] {
                continue;
            }
            let whither = if to.is_empty() {
                ("系外".to_string(), "outside the tier".to_string())
            } else {
                let (ja, en) = tiers_label(&to);
                (ja, format!("the {en} tier"))
            };
            out.push(
                Outcome::fail(
                    format!("flow:{}", f.id),
                    Some(f.loc),
                    Text::new(
                        format!(
                            "データフロー {} で、マイナンバー利用事務系の {} から{}の {} へ外部記録媒体でデータが運ばれる",
                            f.id, *f.from, whither.0, *f.to
                        ),
                        format!(
                            "data flow {} carries data from {} in the My Number tier to {} in {} on removable media",
                            f.id, *f.from, *f.to, whither.1
                        ),
                    ),
                )
                .with_evidence(Evidence::Steps(vec![Text::new(
                    format!("{} → {} (外部記録媒体)", *f.from, *f.to),
                    format!("{} → {} by removable media", *f.from, *f.to),
                )])),
            );
        }
        if out.is_empty() {
            out.push(Outcome::pass("tier:mynumber", None));
        }
        out
    }
}
