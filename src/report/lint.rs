//! The rule-list warnings of `validate` (shadowed and redundant rules): a large design has
//! thousands, so the text shows a count and the first ones; JSON keeps them all.
//!
//! `validate --format json` is the envelope of `report::json` with the members of
//! [`ValidateJson`]; these types *are* its wire format. Fields are only ever added; keys are
//! written in sorted order (through `serde_json::Value`).
//!
//! ```text
//! { "schema_version", "tool", "inputs",
//!   "warnings": [diagnostic]   (the loader's warnings),
//!   "lint": {"count", "warnings": [diagnostic]}   (shadowed and redundant rules),
//!     diagnostic = {severity: "error" | "warning", message, label,
//!                   location {file, line, column},
//!                   related [{message, location}], notes [text]} }
//! ```

use super::check_json::Location;
use crate::diag::{Diagnostic, Diagnostics, Severity, render};
use crate::lang::Lang;
use crate::source::{Loc, SourceMap};
use serde::Serialize;
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

/// The members `validate --format json` adds to the envelope.
#[derive(Serialize)]
pub struct ValidateJson {
    /// The loader's warnings, complete.
    pub warnings: Vec<DiagnosticJson>,
    pub lint: LintJson,
}

/// The rule-list warnings (shadowed and redundant rules), complete.
#[derive(Serialize)]
pub struct LintJson {
    pub count: usize,
    pub warnings: Vec<DiagnosticJson>,
}

/// A diagnostic as the terminal shows it, with its places resolved.
#[derive(Serialize)]
pub struct DiagnosticJson {
    /// `error` or `warning`.
    pub severity: &'static str,
    pub message: String,
    /// The short text next to the caret.
    pub label: String,
    pub location: Location,
    /// The other places it names.
    pub related: Vec<RelatedJson>,
    /// Hints below the snippet.
    pub notes: Vec<String>,
}

#[derive(Serialize)]
pub struct RelatedJson {
    pub message: String,
    pub location: Location,
}

fn location(sources: &SourceMap, loc: Loc) -> Location {
    let p = sources.position(loc);
    Location {
        file: p.file,
        line: p.line,
        column: p.column,
        origin: None,
        approximation: None,
    }
}

fn diagnostic_json(sources: &SourceMap, d: &Diagnostic) -> DiagnosticJson {
    DiagnosticJson {
        severity: match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        },
        message: d.message.clone(),
        label: d.label.clone(),
        location: location(sources, d.loc),
        related: d
            .related
            .iter()
            .map(|r| RelatedJson {
                message: r.message.clone(),
                location: location(sources, r.loc),
            })
            .collect(),
        notes: d.notes.clone(),
    }
}

/// The members `validate --format json` adds to the envelope: the loader's warnings and the
/// rule-list warnings, each complete.
pub fn json(sources: &SourceMap, load: &Diagnostics, lint: &Diagnostics) -> ValidateJson {
    let all = |ds: &Diagnostics| -> Vec<DiagnosticJson> {
        ds.items
            .iter()
            .map(|d| diagnostic_json(sources, d))
            .collect()
    };
    ValidateJson {
        warnings: all(load),
        lint: LintJson {
            count: lint.items.len(),
            warnings: all(lint),
        },
    }
}
