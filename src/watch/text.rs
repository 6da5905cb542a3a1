//! Output of `sansou check --watch` after each change: one line saying what changed in the
//! inputs and how many findings are new, resolved, widened and narrowed, then those findings
//! as `diff` prints them (`report::diff::findings_sections`). Part of the binary, because
//! `report` sits below `session` (which reads `load::Inputs`).

use sansou::lang::Lang;
use sansou::report::diff::findings_sections;
use sansou::session::{Change, Edit, Update};
use std::fmt::Write;

/// Changes named on the summary line; more are counted.
const NAMED: usize = 5;

/// The block printed for one re-check.
pub fn text(u: &Update, lang: Lang) -> String {
    let d = &u.diff;
    let mut out = String::new();
    let mut what: Vec<String> = u
        .changes
        .iter()
        .take(NAMED)
        .map(|c| change(c, lang))
        .collect();
    if u.changes.len() > NAMED {
        what.push(match lang {
            Lang::Ja => format!("ほか {} 件", u.changes.len() - NAMED),
            Lang::En => format!("{} more", u.changes.len() - NAMED),
        });
    }
    if what.is_empty() {
        what.push(
            lang.pick("意味の変わらない編集", "an edit that changes nothing")
                .to_string(),
        );
    }
    let counts = [
        (lang.pick("新規", "new"), d.findings_added.len()),
        (lang.pick("解消", "resolved"), d.findings_removed.len()),
        (lang.pick("拡大", "widened"), d.findings_widened.len()),
        (lang.pick("縮小", "narrowed"), d.findings_narrowed.len()),
    ]
    .iter()
    .map(|(name, n)| format!("{name} {n}"))
    .collect::<Vec<_>>()
    .join(" / ");
    let _ = writeln!(
        out,
        "{}: {}; {counts}",
        lang.pick("変更", "changed"),
        what.join(", ")
    );
    // What was analysed again, and what was kept from the last check.
    let mut work = match lang {
        Lang::Ja => vec![
            format!("ファイアウォール {} 台を再コンパイル", u.compiled),
            format!("{} 台は前回の結果を再利用", u.reused),
        ],
        Lang::En => vec![
            format!("{} firewall(s) compiled", u.compiled),
            format!("{} re-used from the last check", u.reused),
        ],
    };
    if u.repaired {
        work.push(
            lang.pick(
                "到達性は変更の影響範囲だけ再計算",
                "reachability recomputed only where the edit can matter",
            )
            .to_string(),
        );
    }
    if u.rules_reused > 0 {
        work.push(match lang {
            Lang::Ja => format!(
                "規則 {} 件中 {} 件は読む対象が変わらず前回の結果を再利用",
                u.rules, u.rules_reused
            ),
            Lang::En => format!(
                "{} of {} rules re-used their outcomes (nothing they read changed)",
                u.rules_reused, u.rules
            ),
        });
    }
    let _ = writeln!(out, "  ({})", work.join(lang.pick("、", "; ")));
    findings_sections(d, lang, &mut out);
    out
}

/// One change, as the summary line names it: `fw-x rule 12`, `fw-x port1-in rule 3 (added)`.
fn change(c: &Change, lang: Lang) -> String {
    match c {
        Change::First => lang.pick("初回の検査", "first check").to_string(),
        Change::Rule {
            firewall,
            filter,
            rule,
            edit,
        } => {
            let list = filter
                .as_deref()
                .map(|f| format!(" {f}"))
                .unwrap_or_default();
            let edit = match edit {
                Edit::Changed => "",
                Edit::Added => lang.pick(" (追加)", " (added)"),
                Edit::Removed => lang.pick(" (削除)", " (removed)"),
            };
            let word = lang.pick("ルール", "rule");
            format!("{firewall}{list} {word} {rule}{edit}")
        }
        Change::Firewall(id) => match lang {
            Lang::Ja => format!("{id} の設定 (ルール以外)"),
            Lang::En => format!("{id} settings (besides its rules)"),
        },
        Change::Firewalls => lang
            .pick(
                "ファイアウォールの追加・削除・並べ替え",
                "firewalls added, removed or reordered",
            )
            .to_string(),
        Change::Design => lang
            .pick(
                "ファイアウォール以外の設計",
                "the design outside the firewalls",
            )
            .to_string(),
        Change::Policy => lang.pick("ポリシー", "the policy").to_string(),
    }
}
