//! Diagnostics: problems found in the input, each pointing at file, line and column.
//!
//! The loader never stops at the first problem: it collects every [`Diagnostic`] of a run, and the
//! caller decides what to do (errors make the run fail with exit code 2, warnings are printed).
//! Rendering uses codespan-reporting, which draws the offending line with a caret under the text.

mod window;

use crate::source::{FileId, Loc, SourceMap};
use codespan_reporting::diagnostic as cs;
use codespan_reporting::term;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A secondary place shown with a diagnostic (for example the first definition of a duplicate id).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub loc: Loc,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    /// Where the problem is; the caret goes under this text.
    pub loc: Loc,
    /// Short text shown next to the caret.
    pub label: String,
    pub related: Vec<Related>,
    /// Hints shown below the snippet ("expected one of ...").
    pub notes: Vec<String>,
}

impl Diagnostic {
    pub fn error(loc: Loc, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            loc,
            label: String::new(),
            related: Vec::new(),
            notes: Vec::new(),
        }
    }

    pub fn warning(loc: Loc, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(loc, message)
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = label.into();
        self
    }

    pub fn with_related(mut self, loc: Loc, message: impl Into<String>) -> Diagnostic {
        self.related.push(Related {
            loc,
            message: message.into(),
        });
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The diagnostics of one run, in the order they were found.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn error(&mut self, loc: Loc, message: impl Into<String>) {
        self.push(Diagnostic::error(loc, message));
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    /// Sorts by file and position so output does not depend on the order checks ran in.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            (a.loc.file, a.loc.start, a.severity, &a.message).cmp(&(
                b.loc.file,
                b.loc.start,
                b.severity,
                &b.message,
            ))
        });
        self.items.dedup();
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }
}

/// Renders one diagnostic as plain text with the source line and a caret under the location.
/// A very long line is shown as a window around the location ([`window`]).
pub fn render(sources: &SourceMap, d: &Diagnostic) -> String {
    let severity = match d.severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
    };
    let places: Vec<(FileId, std::ops::Range<usize>, &str)> =
        std::iter::once((d.loc, d.label.as_str()))
            .chain(d.related.iter().map(|r| (r.loc, r.message.as_str())))
            .map(|(loc, message)| (loc.file, clamp(sources, loc), message))
            .collect();
    let ranges: Vec<_> = places.iter().map(|(f, r, _)| (*f, r.clone())).collect();
    let files = window::Clipped::new(sources, &ranges);
    let mut labels = Vec::new();
    let mut notes = d.notes.clone();
    for (i, (file, range, message)) in places.into_iter().enumerate() {
        let Some(shown) = files.fit(file, range.clone()) else {
            // A related place on the same long line, outside the window: said in words.
            let at = sources.position(Loc::new(file, range));
            notes.push(format!("{message}: {at}"));
            continue;
        };
        let label = if i == 0 {
            cs::Label::primary(file, shown)
        } else {
            cs::Label::secondary(file, shown)
        };
        labels.push(label.with_message(message));
    }
    notes.extend(files.notes());
    let diagnostic = cs::Diagnostic::new(severity)
        .with_message(&d.message)
        .with_labels(labels)
        .with_notes(notes);
    let config = term::Config::default();
    term::emit_into_string(&config, &files, &diagnostic)
        .unwrap_or_else(|_| format!("{}: {}\n", sources.position(d.loc), d.message))
}

/// Keeps a range inside its file and on character boundaries, so rendering cannot fail.
fn clamp(sources: &SourceMap, loc: Loc) -> std::ops::Range<usize> {
    let text = &sources.file(loc.file).text;
    let mut start = (loc.start as usize).min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (loc.end as usize).clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// Renders every diagnostic, then a one-line count.
pub fn render_all(sources: &SourceMap, diags: &Diagnostics) -> String {
    let mut out = String::new();
    for d in &diags.items {
        out.push_str(&render(sources, d));
    }
    out
}
