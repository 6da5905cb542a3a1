//! DATA-001: personal data taken out of the My Number tier is never copied to a store in a
//! lower-trust tier, by network or by media.

use super::{classes, host_tiers, method_ja, personal, place_tiers, stores_by_id, tiers_text};
use crate::model::policy::Level;
use crate::model::{DataClass, FlowMethod, Selector, Store, Tier};
use crate::rules::{Context, Doc, Evidence, Levels, Meta, Outcome, Text};
use std::collections::BTreeMap;

pub static META: Meta = Meta {
    code: "DATA-001",
    name: "personal-data-copied-out-of-mynumber",
    levels: Levels::all(Level::Deny),
    guideline: "GL(R6.10) 対策基準 3.(1)",
    confidence: "V",
    ja: Doc {
        title: "マイナンバー利用事務系から持ち出された個人情報の複製",
        what: "マイナンバー利用事務系のデータストア・ホスト・ゾーンを起点とし、同系の外のデータストアやホスト (セグメント・ゾーン・層も含む) へ個人情報を運ぶデータフロー ([[flow]]) が無いこと。紙 (paper) は対象外、外部網 (中間サーバー等) への国の特定通信は MN-003 / EXT-003 で扱う。flow に data が無いときは起点のデータストアの区分で判断し、それも分からなければ判定不能とする。あわせて、マイナンバー利用事務系のデータストアを copied_from に持つデータストアが同系の外にあれば不合格 (複製の data が空なら判定不能、個人情報を含まない統計等なら合格)。",
        why: "ネットワークを分離していても、基幹系から抽出したデータを USB メモリ等で情報系に置けば、分離は意味を失う。2015 年の日本年金機構の事案では、基幹システムから取り出した年金情報が、インターネットメールを扱う LAN の共有フォルダに置かれ、そこから約 125 万件が流出した。",
        example: "[[flow]] from = \"store:juki-db\" (マイナンバー系), to = \"store:lg-share\" (LGWAN 系のファイルサーバ), method = \"media\", data = [\"basic-4\"]。または [[store]] id = \"extract\" (LGWAN 系) に copied_from = \"juki-db\"。",
        fix: "抽出データを同系の外に置く業務をやめ、処理はマイナンバー利用事務系の中で行う。どうしても必要なら個人を特定できない形 (統計値など) に加工してから移し、data をその区分 (public 等) で記載する。国等への提供は LGWAN 経由の特定通信 (外部網宛ての flow) で行う。",
    },
    en: Doc {
        title: "Personal data copied out of the My Number tier",
        what: "No declared data flow ([[flow]]) starts at a store, host or zone of the My Number tier and carries personal data to a store or host (or a segment, zone or tier) outside it. Paper is out of scope, and national 特定通信 to external networks (the intermediate server) are MN-003 / EXT-003's concern. A flow without `data` is judged by its source store's classes, else unknown. Also, a store outside the My Number tier whose `copied_from` names a My Number store fails (unknown when the copy states no `data`; it passes when the copy holds no personal data, e.g. statistics).",
        why: "Network separation is void if data extracted from the core system is carried on a USB stick to the office network. In the 2015 Japan Pension Service breach, pension records taken out of the core system sat in shared folders of the LAN that handled internet mail; about 1.25 million records were stolen from there.",
        example: "[[flow]] from = \"store:juki-db\" (My Number tier), to = \"store:lg-share\" (an LGWAN file server), method = \"media\", data = [\"basic-4\"]; or a [[store]] \"extract\" on the LGWAN side with copied_from = \"juki-db\".",
        fix: "Stop placing extracts outside the tier: do the work inside the My Number tier. If something must leave, reduce it to data that identifies nobody (statistics) first and classify it so (`public`). Exchanges with national systems go as 特定通信 via LGWAN (a flow to an external network).",
    },
};

pub struct Rule;

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) -> Vec<Outcome> {
        let stores = stores_by_id(cx);
        let mut out = flows_out(cx, &stores);
        out.extend(copies_out(cx, &stores));
        if out.is_empty() {
            out.push(Outcome::pass("tier:mynumber", None));
        }
        out
    }
}

/// The declared flows from the My Number tier to a place outside it, by what they carry.
fn flows_out(cx: &Context<'_>, stores: &BTreeMap<&str, &Store>) -> Vec<Outcome> {
    let topo = cx.topo;
    let mut out = Vec::new();
    for f in &topo.flows {
        if f.method == FlowMethod::Paper
            || !matches!(
                *f.to,
                Selector::Store(_)
                    | Selector::Host(_)
                    | Selector::Segment(_)
                    | Selector::Zone(_)
                    | Selector::Tier(_)
            )
            || !place_tiers(cx, stores, &f.from).contains(&Tier::MyNumber)
        {
            continue;
        }
        let to_tiers = place_tiers(cx, stores, &f.to);
        if to_tiers.is_empty() || to_tiers.contains(&Tier::MyNumber) {
            continue;
        }
        let subject = format!("flow:{}", f.id);
        let (from, to, method) = (&*f.from, &*f.to, f.method);
        let to_tiers = tiers_text(&to_tiers);
        // What the flow carries: its own `data`, else what its source store holds.
        let source_data = match from {
            Selector::Store(s) => stores.get(s.as_str()).map(|s| s.data.as_slice()),
            _ => None,
        };
        let (carried, inferred): (&[DataClass], bool) = if !f.data.is_empty() {
            (&f.data, false)
        } else {
            match source_data {
                Some(d) if !d.is_empty() => (d, true),
                _ => {
                    out.push(Outcome::unknown(
                        subject,
                        Some(f.loc),
                        Text::new(
                            format!(
                                "データフロー {} ({}) はマイナンバー利用事務系の {from} から {to} ({}) へ向かうが、運ぶデータの区分 (data) が記載されていない",
                                f.id, method_ja(method), to_tiers.ja
                            ),
                            format!(
                                "data flow {} ({method}) goes from {from} in the My Number tier to {to} ({}) but does not state what it carries (`data`)",
                                f.id, to_tiers.en
                            ),
                        ),
                    ));
                    continue;
                }
            }
        };
        let personal = personal(carried);
        if personal.is_empty() {
            out.push(Outcome::pass(subject, Some(f.loc)));
            continue;
        }
        let what = classes(&personal);
        let note = if inferred {
            (
                " (flow に data が無いため、起点のデータストアの区分)",
                " (the classes of its source store: the flow states no `data`)",
            )
        } else {
            ("", "")
        };
        out.push(
            Outcome::fail(
                subject,
                Some(f.loc),
                Text::new(
                    format!(
                        "データフロー {} ({}) がマイナンバー利用事務系の {from} から {to} ({}) へ個人情報を運ぶ: {what}{}",
                        f.id, method_ja(method), to_tiers.ja, note.0
                    ),
                    format!(
                        "data flow {} ({method}) carries personal data from {from} in the My Number tier to {to} ({}): {what}{}",
                        f.id, to_tiers.en, note.1
                    ),
                ),
            )
            .with_evidence(Evidence::Steps(vec![
                Text::new(
                    format!("{from} (マイナンバー利用事務系) から取り出す"),
                    format!("taken from {from} (My Number tier)"),
                ),
                Text::new(
                    format!("{} で {to} ({}) へ移す: {what}", method_ja(method), to_tiers.ja),
                    format!("moved by {method} to {to} ({}): {what}", to_tiers.en),
                ),
            ])),
        );
    }
    out
}

/// Stores outside the tier that say they were extracted from a My Number store.
fn copies_out(cx: &Context<'_>, stores: &BTreeMap<&str, &Store>) -> Vec<Outcome> {
    let topo = cx.topo;
    let mut out = Vec::new();
    for s in &topo.stores {
        let Some(src) = &s.copied_from else { continue };
        let Some(origin) = stores.get(src.value.as_str()) else {
            continue;
        };
        if !host_tiers(cx, &origin.host).contains(&Tier::MyNumber) {
            continue;
        }
        let here = host_tiers(cx, &s.host);
        if here.is_empty() || here.contains(&Tier::MyNumber) {
            continue;
        }
        let here = tiers_text(&here);
        let subject = format!("store:{}", s.id);
        if s.data.is_empty() {
            out.push(Outcome::unknown(
                subject,
                Some(s.loc),
                Text::new(
                    format!(
                        "データストア {} ({}) はマイナンバー利用事務系の {} の複製だが、データの区分 (data) が記載されていない",
                        s.id, here.ja, origin.id
                    ),
                    format!(
                        "store {} ({}) is a copy of My Number store {} but does not state its data classes (`data`)",
                        s.id, here.en, origin.id
                    ),
                ),
            ));
            continue;
        }
        let personal = personal(&s.data);
        if personal.is_empty() {
            out.push(Outcome::pass(subject, Some(s.loc)));
            continue;
        }
        let what = classes(&personal);
        let records = s
            .records
            .map(|n| (format!("、{n} 件"), format!(", {n} records")))
            .unwrap_or_default();
        out.push(
            Outcome::fail(
                subject,
                Some(s.loc),
                Text::new(
                    format!(
                        "データストア {} ({}) はマイナンバー利用事務系の {} から複製された個人情報 ({what}{}) を保持している",
                        s.id, here.ja, origin.id, records.0
                    ),
                    format!(
                        "store {} ({}) holds personal data ({what}{}) copied from My Number store {}",
                        s.id, here.en, records.1, origin.id
                    ),
                ),
            )
            .with_evidence(Evidence::Steps(vec![
                Text::new(
                    format!(
                        "store:{} (ホスト {}、マイナンバー利用事務系)",
                        origin.id, origin.host.value
                    ),
                    format!(
                        "store:{} on host {} (My Number tier)",
                        origin.id, origin.host.value
                    ),
                ),
                Text::new(
                    format!(
                        "複製先 store:{} (ホスト {}、{}): {what}",
                        s.id, s.host.value, here.ja
                    ),
                    format!(
                        "copied to store:{} on host {} ({}): {what}",
                        s.id, s.host.value, here.en
                    ),
                ),
            ])),
        );
    }
    out
}
