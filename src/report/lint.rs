//! The rule-list warnings of `validate` (shadowed and redundant rules): a large design has
//! thousands, so the text shows a count and the first ones; JSON keeps them all.

use crate::diag::{Diagnostic, Diagnostics, Severity, render};
use crate::lang::Lang;
use crate::source::{Loc, SourceMap};
use serde_json::{Value, json};
use std::fmt::Write;

/// The warnings rendered with their source lines, at most `cap` of them, then how many were
/// left out and the count.
pub fn text(sources: &SourceMap, lint: &Diagnostics, cap: Option<usize>, lang: Lang) -> String {
    let mut out = String::new();
    let shown = cap.unwrap_or(usize::MAX);
    for d in lint.items.iter().take(shown) {
        out.push_str(&render(sources, d));
    }
    let n = lint.items.len();
    if n == 0 {
        return out;
    }
    super::causes::more(n.saturating_sub(shown), lang, &mut out);
    let _ = match lang {
        Lang::Ja => writeln!(out, "ルールリストの警告: {n} 件"),
        Lang::En => writeln!(out, "rule-list warnings: {n}"),
    };
    out
}

fn location(sources: &SourceMap, loc: Loc) -> Value {
    let p = sources.position(loc);
    json!({"file": p.file, "line": p.line, "column": p.column})
}

fn diagnostic_json(sources: &SourceMap, d: &Diagnostic) -> Value {
    json!({
        "severity": match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        },
        "message": d.message,
        "label": d.label,
        "location": location(sources, d.loc),
        "related": d.related.iter().map(|r| json!({
            "message": r.message, "location": location(sources, r.loc),
        })).collect::<Vec<_>>(),
        "notes": d.notes,
    })
}

/// The members `validate --format json` adds to the envelope: the loader's warnings and the
/// rule-list warnings, each complete.
pub fn json(sources: &SourceMap, load: &Diagnostics, lint: &Diagnostics) -> Value {
    let all = |ds: &Diagnostics| -> Vec<Value> {
        ds.items
            .iter()
            .map(|d| diagnostic_json(sources, d))
            .collect()
    };
    json!({
        "warnings": all(load),
        "lint": {"count": lint.items.len(), "warnings": all(lint)},
    })
}
