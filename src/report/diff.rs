//! Output of `sansou diff` as text, for the integrator reviewing a change; its JSON, for CI,
//! is `diff_json.rs`.
//!
//! Every list is sorted by name, so the same inputs give the same bytes.

use crate::diff::{Diff, FindingState, Snapshot, StoreState};
use crate::lang::Lang;
use crate::source::SourceMap;

// `diff --format json` is built by `diff_json.rs`; callers know it as `diff::json`.
pub use super::diff_json::json;
use std::fmt::Write;

/// The diff together with what the two sides were read from.
pub struct DiffReport<'a> {
    pub before_path: &'a str,
    pub after_path: &'a str,
    pub before_sources: &'a SourceMap,
    pub after_sources: &'a SourceMap,
    pub diff: &'a Diff,
}

fn mark(f: &FindingState) -> &'static str {
    super::check::mark_of(f.accepted, f.verdict, f.level)
}

fn side_line(label: &str, path: &str, s: &Snapshot, lang: Lang) -> String {
    let sum = &s.summary;
    match lang {
        Lang::Ja => format!(
            "{label} {path}: モデル {}, プロファイル {} — deny {} 件, warn {} 件, 受容済み {} 件, 判定不能 {} 件",
            s.model, s.profile, sum.deny, sum.warn, sum.accepted, sum.unknown
        ),
        Lang::En => format!(
            "{label} {path}: model {}, profile {} — {} deny, {} warn, {} accepted, {} unknown",
            s.model, s.profile, sum.deny, sum.warn, sum.accepted, sum.unknown
        ),
    }
}

fn finding_lines(f: &FindingState, lang: Lang, out: &mut String) {
    let _ = writeln!(
        out,
        "  {} {} {} [{}] {}: {}",
        mark(f),
        f.code,
        f.name,
        f.level.as_str(),
        f.subject,
        f.message.get(lang)
    );
    if let Some(p) = &f.location {
        let _ = writeln!(out, "      {} {p}", lang.pick("場所", "at"));
    }
}

fn heading(out: &mut String, title: &str, count: usize) {
    let _ = writeln!(out, "\n{title} ({count})");
}

fn services(s: &crate::analysis::space::ServiceSet) -> String {
    s.names().join(", ")
}

pub fn text(r: &DiffReport<'_>, lang: Lang) -> String {
    let d = r.diff;
    let h = |ja: &'static str, en: &'static str| lang.pick(ja, en);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        side_line(h("変更前", "before"), r.before_path, &d.before, lang)
    );
    let _ = writeln!(
        out,
        "{}",
        side_line(h("変更後", "after "), r.after_path, &d.after, lang)
    );
    if d.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            h(
                "差分なし: 指摘、ゾーン間の通信、到達可能な通信はすべて同じ",
                "no difference: the same findings, zone matrix and reachable services"
            )
        );
    }

    findings_sections(d, lang, &mut out);

    if !d.cells.is_empty() {
        heading(
            &mut out,
            h("ゾーン間の変化", "zone matrix changes"),
            d.cells.len(),
        );
        for c in &d.cells {
            let _ = writeln!(out, "  {} → {}", c.from, c.to);
            if !c.opened.is_empty() {
                let _ = writeln!(out, "    + {}", services(&c.opened));
            }
            if !c.closed.is_empty() {
                let _ = writeln!(out, "    - {}", services(&c.closed));
            }
            for ch in &c.channels_added {
                let _ = writeln!(out, "    + {} {ch}", h("経路 (ゲートウェイ)", "channel"));
            }
            for ch in &c.channels_removed {
                let _ = writeln!(out, "    - {} {ch}", h("経路 (ゲートウェイ)", "channel"));
            }
        }
    }

    let opened: Vec<_> = d.pairs.iter().filter(|p| !p.opened.is_empty()).collect();
    let closed: Vec<_> = d.pairs.iter().filter(|p| !p.closed.is_empty()).collect();
    for (title, list, opened) in [
        (
            h(
                "新たに到達可能になる通信",
                "opened: newly reachable services",
            ),
            &opened,
            true,
        ),
        (
            h(
                "到達できなくなる通信",
                "closed: services no longer reachable",
            ),
            &closed,
            false,
        ),
    ] {
        if list.is_empty() {
            continue;
        }
        heading(&mut out, title, list.len());
        for p in list.iter() {
            let set = if opened { &p.opened } else { &p.closed };
            let _ = writeln!(
                out,
                "  {:<7} {} → {}: {}",
                p.level.as_str(),
                p.from,
                p.to,
                services(set)
            );
        }
    }

    attack_text(d, lang, &mut out);

    let new_deny = d
        .findings_added
        .iter()
        .filter(|f| f.is_standing_deny())
        .count()
        + d.findings_changed
            .iter()
            .filter(|c| c.after.is_standing_deny() && !c.before.is_standing_deny())
            .count()
        + d.findings_rule_changed
            .iter()
            .filter(|c| c.after.is_standing_deny())
            .count();
    let widened = d
        .findings_widened
        .iter()
        .filter(|c| c.after.is_standing_deny())
        .count();
    let _ = writeln!(
        out,
        "\n{}",
        match (lang, d.adds_deny()) {
            (Lang::Ja, true) if widened > 0 => format!(
                "結果: この変更は deny レベルの指摘を {new_deny} 件追加し、{widened} 件を広げる"
            ),
            (Lang::En, true) if widened > 0 => format!(
                "result: the change adds {new_deny} and widens {widened} deny-level finding(s)"
            ),
            (Lang::Ja, true) =>
                format!("結果: この変更は deny レベルの指摘を {new_deny} 件追加する"),
            (Lang::Ja, false) => "結果: この変更は deny レベルの指摘を追加しない".to_string(),
            (Lang::En, true) => format!("result: the change adds {new_deny} deny-level finding(s)"),
            (Lang::En, false) => "result: the change adds no deny-level finding".to_string(),
        }
    );
    out
}

fn exposure(s: &StoreState, lang: Lang) -> String {
    let yes_no = |b: bool| match (lang, b) {
        (Lang::Ja, true) => "可",
        (Lang::Ja, false) => "不可",
        (Lang::En, true) => "yes",
        (Lang::En, false) => "no",
    };
    format!(
        "{} {}, {} {}",
        lang.pick("読み取り", "readable"),
        yes_no(s.readable),
        lang.pick("持ち出し", "exfiltrable"),
        yes_no(s.exfiltrable)
    )
}

/// The attack section: stores whose exposure changed, with the new path, and hosts the
/// attacker now takes or no longer takes.
fn attack_text(d: &Diff, lang: Lang, out: &mut String) {
    let h = |ja: &'static str, en: &'static str| lang.pick(ja, en);
    if !d.stores.is_empty() {
        heading(
            out,
            h(
                "攻撃経路の変化 (個人情報の保管場所)",
                "attack paths: stores of personal data",
            ),
            d.stores.len(),
        );
        for c in &d.stores {
            let _ = writeln!(
                out,
                "  {}: {} → {}",
                c.store,
                exposure(&c.before, lang),
                exposure(&c.after, lang)
            );
            if c.new_path() {
                let _ = writeln!(out, "    {}", h("新たな攻撃経路:", "new attack path:"));
                for (i, step) in c.after.path.iter().enumerate() {
                    let _ = writeln!(
                        out,
                        "      {}. [{}] {} — {}",
                        i + 1,
                        step.kind,
                        step.host,
                        step.text.get(lang)
                    );
                }
            }
        }
    }
    for (title, hosts, sign) in [
        (
            h("新たに乗っ取られうるホスト", "hosts the attacker now takes"),
            &d.compromised_added,
            "+",
        ),
        (
            h(
                "乗っ取られなくなるホスト",
                "hosts the attacker no longer takes",
            ),
            &d.compromised_removed,
            "-",
        ),
    ] {
        if !hosts.is_empty() {
            heading(out, title, hosts.len());
            for host in hosts {
                let _ = writeln!(out, "  {sign} {host}");
            }
        }
    }
}

/// The findings sections of a diff (new, resolved, changed standing, widened, narrowed, rule
/// changed, the count unchanged): `diff` prints them after the two sides, `check --watch` after
/// each change.
pub fn findings_sections(d: &Diff, lang: Lang, out: &mut String) {
    let h = |ja: &'static str, en: &'static str| lang.pick(ja, en);
    if !d.findings_added.is_empty() {
        heading(out, h("新たな指摘", "new findings"), d.findings_added.len());
        for f in &d.findings_added {
            finding_lines(f, lang, out);
        }
    }
    if !d.findings_removed.is_empty() {
        heading(
            out,
            h("解消された指摘", "resolved findings"),
            d.findings_removed.len(),
        );
        for f in &d.findings_removed {
            finding_lines(f, lang, out);
        }
    }
    if !d.findings_changed.is_empty() {
        heading(
            out,
            h("扱いが変わった指摘", "findings whose standing changed"),
            d.findings_changed.len(),
        );
        for c in &d.findings_changed {
            let state = |f: &FindingState| {
                if f.accepted {
                    h("受容済み", "accepted").to_string()
                } else {
                    format!("{} {}", f.level.as_str(), f.verdict.as_str())
                }
            };
            let _ = writeln!(
                out,
                "  {} {} {}: {} → {}",
                mark(&c.after),
                c.after.code,
                c.after.subject,
                state(&c.before),
                state(&c.after)
            );
        }
    }

    for (title, deltas) in [
        (h("広がった指摘", "widened findings"), &d.findings_widened),
        (h("狭まった指摘", "narrowed findings"), &d.findings_narrowed),
        (
            h(
                "ルールの内容が変わった指摘 (広がったか判断できない)",
                "findings whose rule changed (wider or not cannot be told)",
            ),
            &d.findings_rule_changed,
        ),
    ] {
        if deltas.is_empty() {
            continue;
        }
        heading(out, title, deltas.len());
        for c in deltas {
            finding_lines(&c.after, lang, out);
            let to = &c.after.subject;
            for (set, sign, ja, en) in [
                (&c.opened, "+", "が新たに通る", "now reaches"),
                (&c.closed, "-", "はもう通らない", "no longer reaches"),
            ] {
                if !set.is_empty() {
                    let what = services(set);
                    let verb = lang.pick(ja, en);
                    let _ = writeln!(out, "    {sign} {what} {verb} ({to})");
                }
            }
            if let Some((was, now)) = &c.rule {
                let _ = writeln!(out, "    {}: {was}", lang.pick("変更前", "was"));
                let _ = writeln!(out, "    {}: {now}", lang.pick("変更後", "now"));
            }
        }
    }
    if d.findings_unchanged > 0 {
        let _ = writeln!(
            out,
            "\n{} ({})",
            h("変わらない指摘", "unchanged findings"),
            d.findings_unchanged
        );
    }
}
