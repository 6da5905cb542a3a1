//! The attack-paths section: for every store of personal data, whether an attacker starting
//! on the internet can read it and get it out, the steps of the shortest way (each packet step
//! with its hops and rules), and the smallest change found that cuts every path.

use super::escape::text as esc;
use super::findings::witness_html;
use super::{Report, badge_text};
use crate::analysis::attack::why::why;
use crate::analysis::attack::{Attack, Fix, StoreExposure};
use crate::lang::Lang;
use crate::model::Topology;
use crate::report::attack::change_text;
use std::fmt::Write;

/// The attack analysis to show, or why there is none.
pub enum AttackInput<'a> {
    /// The analysis was not run for this report; the section says so instead of guessing.
    NotIncluded,
    /// The attacker starts outside (no what-if assumption): on the internet, and on the Wi-Fi
    /// and remote-access lines open to it. The design is the one the analysis ran on: the
    /// loaded one, or a copy with the attacker's machines on those lines
    /// (`analysis::attack::entry`), whose hosts the steps index.
    FromInternet(&'a Attack, &'a Topology),
}

pub fn attack_section(out: &mut String, r: &Report<'_, '_>, n: usize) {
    let lang = r.lang;
    let title = lang.pick("個人情報への攻撃経路", "Attack paths to personal data");
    let attack = match &r.attack {
        AttackInput::NotIncluded => {
            let _ = writeln!(
                out,
                "<section id=\"attack-paths\" data-included=\"false\">\n<h2>{n}. {title}</h2>\n<p>{}</p>\n</section>",
                lang.pick(
                    "この調書には攻撃経路の分析を含まない。",
                    "This working paper does not include the attack-path analysis."
                )
            );
            return;
        }
        AttackInput::FromInternet(a, t) => (*a, *t),
    };
    let (attack, topo) = attack;
    let readable = attack.stores.iter().filter(|e| e.readable()).count();
    let exfil = attack.stores.iter().filter(|e| e.exfiltrable()).count();
    let taken = attack.compromised().count();
    let ways = crate::report::attack::joined_ways(topo, attack).join(", ");
    let _ = writeln!(
        out,
        "<section id=\"attack-paths\" data-included=\"true\" data-stores=\"{}\" data-readable=\"{readable}\" data-exfiltrable=\"{exfil}\">\n<h2>{n}. {title}</h2>",
        attack.stores.len()
    );
    let _ = writeln!(
        out,
        "<p>{}</p>",
        match lang {
            Lang::Ja if !ways.is_empty() => format!(
                "インターネット上の攻撃者と {ways} に接続した攻撃者を起点とすると、乗っ取られ得るホストは {taken} 件。個人情報の保存先 {} 件のうち {readable} 件が読まれ、{exfil} 件が外部へ持ち出され得る。",
                attack.stores.len()
            ),
            Lang::En if !ways.is_empty() => format!(
                "Starting from an attacker on the internet and one who joins {ways}, {taken} host(s) can be taken. Of {} store(s) with personal data, {readable} can be read and {exfil} can leave for the internet.",
                attack.stores.len()
            ),
            Lang::Ja => format!(
                "インターネット上の攻撃者を起点とすると、乗っ取られ得るホストは {taken} 件。個人情報の保存先 {} 件のうち {readable} 件が読まれ、{exfil} 件が外部へ持ち出され得る。",
                attack.stores.len()
            ),
            Lang::En => format!(
                "Starting from an attacker on the internet, {taken} host(s) can be taken. Of {} store(s) with personal data, {readable} can be read and {exfil} can leave for the internet.",
                attack.stores.len()
            ),
        }
    );
    let attacker = r.policy.map(|p| &p.attacker);
    let default_attacker = crate::model::policy::Attacker::default();
    let attacker = attacker.unwrap_or(&default_attacker);
    let entry: Vec<&str> = attacker.entry.iter().map(|e| e.as_str()).collect();
    let lateral: Vec<String> = attacker
        .lateral_services
        .iter()
        .map(|s| s.to_string())
        .collect();
    let _ = writeln!(
        out,
        "<p class=\"note\">{} <code>entry = [{}], lateral_services = [{}], sanitizer_bypass = {}</code>. {}</p>",
        lang.pick("攻撃者の前提:", "Attacker assumptions:"),
        esc(&entry.join(", ")),
        esc(&lateral.join(", ")),
        attacker.sanitizer_bypass,
        lang.pick(
            "経路はルーティング表を使わない保守的な近似で求めた。",
            "Paths are a conservative over-approximation without routing tables."
        )
    );
    if readable > 0 && attack.stores.iter().all(|e| e.fix.is_none()) {
        let _ = writeln!(
            out,
            "<p class=\"note\" id=\"attack-no-fix\">{}</p>",
            lang.pick(
                "最小の修正の探索は省略した (--no-fix)。",
                "The search for the smallest fix was skipped (--no-fix)."
            )
        );
    }
    if attack.stores.is_empty() {
        let _ = writeln!(
            out,
            "<p>{}</p>",
            lang.pick(
                "個人情報を保持する保存先 ([[store]]) が入力にない。",
                "The inputs declare no store holding personal data."
            )
        );
    }
    for e in &attack.stores {
        store_article(out, r, (topo, attack), e);
    }
    out.push_str("</section>\n");
}

/// One store: the verdict, the steps of the shortest way with their witnesses, and the fix.
fn store_article(
    out: &mut String,
    r: &Report<'_, '_>,
    (topo, attack): (&Topology, &Attack),
    e: &StoreExposure,
) {
    let lang = r.lang;
    let s = &topo.stores[e.store];
    let data: Vec<String> = s.data.iter().map(|d| d.to_string()).collect();
    let (class, verdict) = match (e.readable(), e.exfiltrable()) {
        (false, _) => (
            "pass",
            lang.pick("攻撃者は読めない", "the attacker cannot read it"),
        ),
        (true, false) => (
            "warn",
            lang.pick("読める (外部への持ち出しは不可)", "READABLE (cannot leave)"),
        ),
        (true, true) => (
            "fail",
            lang.pick("読める・外部へ持ち出せる", "READABLE and EXFILTRABLE"),
        ),
    };
    let _ = writeln!(
        out,
        "<article class=\"finding {}\" data-store=\"{}\" data-readable=\"{}\" data-exfiltrable=\"{}\">",
        if class == "pass" { "pass" } else { "deny" },
        esc(&s.id),
        e.readable(),
        e.exfiltrable()
    );
    let _ = writeln!(
        out,
        "<h4>{} <code>store:{}</code> <code>[{}]</code> — <code>host:{}</code></h4>",
        badge_text(class, verdict),
        esc(&s.id),
        esc(&data.join(", ")),
        esc(&s.host.value)
    );
    if !e.steps.is_empty() {
        out.push_str("<ol class=\"attack-steps\">\n");
        for step in &e.steps {
            let _ = writeln!(
                out,
                "<li data-kind=\"{}\"><strong>{}</strong> <code>host:{}</code> — {}",
                step.kind().word(),
                crate::analysis::attack::why::kind_label(step.kind(), lang),
                esc(&topo.hosts[step.host()].id),
                esc(&why(topo, attack, step, lang))
            );
            if let Some(w) = step.witness() {
                witness_html(out, r, w);
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ol>\n");
    }
    if let Some(fix) = &e.fix {
        fix_html(out, topo, fix, lang);
    }
    out.push_str("</article>\n");
}

/// The change found that cuts every path to a store, what it breaks, and the other
/// candidates.
fn fix_html(out: &mut String, topo: &Topology, fix: &Fix, lang: Lang) {
    let head = match (fix.minimum, fix.verified, lang) {
        (true, _, Lang::Ja) => "最小の修正 (最小であることを確認済み)",
        (true, _, Lang::En) => "Smallest fix (proven minimum)",
        (false, true, Lang::Ja) => "修正案 (再解析で効果を確認済み、最小とは限らない)",
        (false, true, Lang::En) => "A fix (verified by re-analysis, not proven minimum)",
        (false, false, Lang::Ja) => "修正案を見つけられなかった (探索の上限に達した)",
        (false, false, Lang::En) => "No fix found within the search bounds",
    };
    let _ = writeln!(out, "<p><strong>{head}</strong></p>\n<ul class=\"fix\">");
    for c in &fix.changes {
        let _ = writeln!(out, "<li>{}</li>", esc(&change_text(topo, c, lang).1));
    }
    out.push_str("</ul>\n");
    if !fix.breaks.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"fix-breaks\">{} {}</p>",
            crate::report::attack::breaks_note(lang),
            esc(&fix.breaks.join(", "))
        );
    }
    for a in &fix.alternatives {
        let _ = writeln!(
            out,
            "<p class=\"fix-alternative\">{}</p>",
            esc(&crate::report::attack::alternative_text(topo, a, lang))
        );
    }
}
