//! TOML text → [`Node`] tree, keeping the location of every key and value.

use super::doc::{Entry, Node, Value};
use crate::diag::{Diagnostic, Diagnostics};
use crate::source::{FileId, Loc};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// Parses a TOML document. Syntax errors (several, where the parser can recover, up to
/// `limits::MAX_SYNTAX_ERRORS`) go to `diags`; the tree is returned only when the text parsed
/// cleanly and every value could be converted.
pub fn parse<'t>(file: FileId, text: &'t str, diags: &mut Diagnostics) -> Option<Node<'t>> {
    let (table, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        let shown = super::limits::MAX_SYNTAX_ERRORS;
        for e in errors.iter().take(shown) {
            let span = e.span().unwrap_or(0..0);
            let message = e.message().trim().to_string();
            diags.push(
                Diagnostic::error(
                    Loc::new(file, span),
                    format!("TOML syntax error: {message}"),
                )
                .with_label("here"),
            );
        }
        // A file that is not TOML at all (binary, UTF-16, another format) makes an error of
        // nearly every byte; the first ones say what is wrong, the rest would bury them.
        if errors.len() > shown {
            let span = errors[shown].span().unwrap_or(0..0);
            diags.push(
                Diagnostic::error(
                    Loc::new(file, span),
                    format!("{} more TOML syntax errors not shown", errors.len() - shown),
                )
                .with_label("the next one is here")
                .with_note("fix the errors above first; is this file TOML at all?"),
            );
        }
        return None;
    }
    let loc = Loc::new(file, table.span());
    let before = diags.error_count();
    let value = convert_table(file, table.into_inner(), diags);
    // A value that could not be converted (an integer beyond 64 bits) has a placeholder in the
    // tree; decoding it would add wrong errors on top of the real one, as in `count` must be
    // at least 1. The JSON parser gives no tree in that case either.
    (diags.error_count() == before).then_some(Node { value, loc })
}

fn convert_table<'t>(file: FileId, table: DeTable<'t>, diags: &mut Diagnostics) -> Value<'t> {
    let mut entries: Vec<Entry> = table
        .into_iter()
        .map(|(k, v)| Entry {
            key_loc: Loc::new(file, k.span()),
            key: k.into_inner(),
            value: convert(file, v, diags),
        })
        .collect();
    // Keys come sorted by name; present them in the order they were written.
    entries.sort_by_key(|e| e.key_loc.start);
    Value::Table(entries)
}

fn convert<'t>(file: FileId, value: Spanned<DeValue<'t>>, diags: &mut Diagnostics) -> Node<'t> {
    let loc = Loc::new(file, value.span());
    let value = match value.into_inner() {
        DeValue::String(s) => Value::String(s),
        DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
            Ok(n) => Value::Integer(n),
            Err(_) => {
                diags.push(
                    Diagnostic::error(loc, "integer out of range")
                        .with_label("does not fit in 64 bits"),
                );
                Value::Integer(0)
            }
        },
        DeValue::Float(f) => Value::Float(f.as_str().parse().unwrap_or(f64::NAN)),
        DeValue::Boolean(b) => Value::Bool(b),
        DeValue::Datetime(d) => Value::Datetime(d.to_string()),
        DeValue::Array(items) => {
            Value::Array(items.into_iter().map(|v| convert(file, v, diags)).collect())
        }
        DeValue::Table(t) => convert_table(file, t, diags),
    };
    Node { value, loc }
}
