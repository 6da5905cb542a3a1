//! The two sections that say what the criteria were: every item of the guideline catalogue
//! with what became of it in this run (evaluated, not applied, not implemented yet, or needing
//! evidence an auditor must see), and the bibliography (参考文献) that resolves every source
//! key the paper cites.

use super::escape::text as esc;
use super::sections::{close, open};
use super::{Report, badge, thead};
use crate::lang::Lang;
use crate::model::edition;
use crate::rules::catalogue::{self, Status};
use crate::rules::{interpretation, sources};
use std::fmt::Write;

pub fn catalogue(out: &mut String, r: &Report<'_, '_>, n: usize) {
    let lang = r.lang;
    let res = r.result;
    open(
        out,
        "catalogue",
        n,
        lang.pick("ガイドライン項目の一覧", "Guideline catalogue items"),
    );
    let evaluated = |code: &str| res.results.iter().any(|x| x.code == code);
    let counts = catalogue::counts(&evaluated);
    let _ = writeln!(
        out,
        "<p id=\"catalogue-counts\" data-evaluated=\"{}\" data-not-applied=\"{}\" data-not-implemented=\"{}\" data-manual=\"{}\">{}</p>",
        counts.evaluated,
        counts.not_applied,
        counts.not_implemented,
        counts.manual,
        esc(&counts.line(lang))
    );
    let _ = writeln!(
        out,
        "<p class=\"note\">{}</p>",
        lang.pick(
            "sansou が照合する項目の全体。自動評価: この調書の規則ごとの評価結果に載る。適用外: 規則はあるが、適用したモデルに該当しないかポリシーで無効にした。未実装: 設計から判定できるが sansou がまだ検査しない。証跡の確認が必要: 設計ファイルからは判定できず、記した証跡を監査人が確認する。未実装と証跡の確認が必要な項目について、この調書は何も保証しない。",
            "Every item sansou checks against. Evaluated: in the result per rule. Not applied: a rule exists but does not apply to the model or the policy turned it off. Not implemented yet: the design could settle it but sansou does not check it yet. Needs manual evidence: no design file settles it; the auditor must see the evidence named. This paper assures nothing about items not implemented or needing evidence.",
        )
    );
    let head = thead(&[
        lang.pick("コード", "Code"),
        lang.pick("項目", "Item"),
        lang.pick("義務", "Obligation"),
        lang.pick("根拠の確度", "Confidence"),
        lang.pick("状態", "Status"),
        lang.pick("判定", "Verdict"),
        lang.pick(
            "必要な証跡・解釈の理由",
            "Evidence needed, or why interpreted",
        ),
    ]);
    let _ = writeln!(out, "<table id=\"catalogue-items\">{head}<tbody>");
    for item in catalogue::ITEMS {
        let status = catalogue::status(item, &evaluated);
        let verdict = res
            .results
            .iter()
            .find(|x| x.code == item.code)
            .map(|x| badge(super::sections::rule_verdict_of(x), lang))
            .unwrap_or_else(|| "—".to_string());
        let mut notes = Vec::new();
        if let Some((ja, en)) = item.manual {
            notes.push(format!(
                "{} {}",
                lang.pick("証跡:", "Evidence:"),
                esc(lang.pick(ja, en))
            ));
        }
        if let Some(why) = interpretation::reasoning(item.code, lang) {
            notes.push(format!(
                "{} {}",
                lang.pick("解釈の理由:", "Why interpreted:"),
                esc(why)
            ));
        }
        let _ = writeln!(
            out,
            "<tr data-item=\"{}\" data-status=\"{}\" data-interpretive=\"{}\"><td><code>{}</code></td><td>{}{}</td><td>{}</td><td>{}</td><td>{}</td><td>{verdict}</td><td>{}</td></tr>",
            item.code,
            status.as_str(),
            item.interpretive(),
            item.code,
            esc(item.title(lang)),
            super::interpretive_badge(item.code, lang),
            item.severity.label(lang),
            esc(&catalogue::tag_label(item.tag, lang)),
            status_label(status, lang),
            notes.join("<br>")
        );
    }
    out.push_str("</tbody></table>\n");
    close(out);
}

fn status_label(s: Status, lang: Lang) -> String {
    format!(
        "<span class=\"status s-{}\">{}</span>",
        s.as_str(),
        s.label(lang)
    )
}

pub fn bibliography(out: &mut String, r: &Report<'_, '_>, n: usize) {
    let lang = r.lang;
    let res = r.result;
    open(out, "bibliography", n, lang.pick("参考文献", "References"));
    let mut keys: Vec<&'static str> = Vec::new();
    for x in &res.results {
        for k in sources::keys_in(&x.guideline) {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
    }
    keys.sort_by_key(|k| k[1..].parse::<u32>().unwrap_or(u32::MAX));
    let _ = writeln!(
        out,
        "<p class=\"note\">{}</p>",
        lang.pick(
            "ガイドラインの節番号は下記の版の対策基準 (第2編) による。S で始まる記号は、規則の根拠として引用した文献を示す。",
            "Guideline section numbers are those of the example policy (part 2) of the edition below. Keys starting with S name the sources the rules cite.",
        )
    );
    let head = thead(&[
        lang.pick("記号", "Key"),
        lang.pick("文献", "Source"),
        lang.pick("所在", "Where to find it"),
    ]);
    let _ = writeln!(out, "<table id=\"references\">{head}<tbody>");
    let e = res.edition;
    let _ = writeln!(
        out,
        "<tr data-key=\"GL\"><td>{}</td><td>{}</td><td></td></tr>",
        lang.pick("ガイドライン", "GL"),
        match lang {
            Lang::Ja => format!(
                "{}。この調書が適用した版。sansou が知る版: {}",
                edition::citation_ja(e),
                edition::EDITIONS
                    .iter()
                    .map(|x| x.ja)
                    .collect::<Vec<_>>()
                    .join("、")
            ),
            Lang::En => format!(
                "MIC, guideline on information security policies of local governments, edition {} (the edition in force; known editions: {})",
                e.code,
                edition::WORDS.join(", ")
            ),
        }
    );
    for k in keys {
        let Some(s) = sources::source(k) else {
            continue;
        };
        // Written without the scheme: the page links to nothing and fetches nothing.
        let place = s
            .url
            .trim_start_matches("https://")
            .trim_start_matches("http://");
        let _ = writeln!(
            out,
            "<tr data-key=\"{}\"><td>{}</td><td>{}</td><td class=\"url\">{}</td></tr>",
            s.key,
            s.key,
            esc(lang.pick(s.ja, s.en)),
            esc(place)
        );
    }
    out.push_str("</tbody></table>\n");
    close(out);
}
