//! Decoding single values: vocabulary words, ids, services, selectors, addresses.
//!
//! Each function reports a problem at the value's location and returns `None`, so the caller
//! can go on decoding the rest of the file.

use super::doc::Node;
use super::reader::{TableReader, string_ref, string_refs, suggest};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::At;

/// Parses a string value with `parse`; the error text becomes the message.
pub fn parsed<T>(
    node: &Node,
    what: &str,
    parse: impl Fn(&str) -> Result<T, String>,
    diags: &mut Diagnostics,
) -> Option<At<T>> {
    let s = string_ref(node, diags)?;
    match parse(s) {
        Ok(v) => Some(At::new(v, node.loc)),
        Err(e) => {
            diags.push(Diagnostic::error(node.loc, format!("invalid {what} `{s}`")).with_label(e));
            None
        }
    }
}

/// Every element of a string-or-array value, parsed with `parse`.
pub fn parsed_list<T>(
    node: &Node,
    what: &str,
    parse: impl Fn(&str) -> Result<T, String>,
    diags: &mut Diagnostics,
) -> Vec<At<T>> {
    // Every type error first, then every parse error, as the two passes have always reported.
    string_refs(node, diags)
        .into_iter()
        .filter_map(|(s, loc)| match parse(s) {
            Ok(v) => Some(At::new(v, loc)),
            Err(e) => {
                diags.push(Diagnostic::error(loc, format!("invalid {what} `{s}`")).with_label(e));
                None
            }
        })
        .collect()
}

/// One word of a closed vocabulary (`tier = "lgwan"`).
pub fn word<T>(
    node: &Node,
    what: &str,
    parse: fn(&str) -> Option<T>,
    words: &[&str],
    diags: &mut Diagnostics,
) -> Option<T> {
    let s = string_ref(node, diags)?;
    let found = parse(s);
    if found.is_none() {
        diags.push(unknown_word(node.loc, s, what, words));
    }
    found
}

pub fn unknown_word(loc: crate::source::Loc, text: &str, what: &str, words: &[&str]) -> Diagnostic {
    let article = if what.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    let mut d = Diagnostic::error(loc, format!("unknown {what} `{text}`"))
        .with_label(format!("not {article} {what}"));
    if let Some(s) = suggest(text, words) {
        d = d.with_note(format!("did you mean `{s}`?"));
    }
    d.with_note(format!("expected one of: {}", words.join(", ")))
}

/// A list of vocabulary words (`data = ["my-number", "basic-4"]`).
pub fn words<T>(
    node: &Node,
    what: &str,
    parse: fn(&str) -> Option<T>,
    accepted: &[&str],
    diags: &mut Diagnostics,
) -> Vec<T> {
    string_refs(node, diags)
        .into_iter()
        .filter_map(|(s, loc)| {
            let found = parse(s);
            if found.is_none() {
                diags.push(unknown_word(loc, s, what, accepted));
            }
            found
        })
        .collect()
}

/// Checks the spelling of an id: ASCII letters, digits, `-`, `_` and `.`, starting with a letter
/// or digit. `/` and `:` are reserved for subjects (`fw-mn/3`) and selectors (`host:x`).
pub fn check_id(id: &At<String>, diags: &mut Diagnostics) -> bool {
    let ok = id
        .value
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
        && id
            .value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !ok {
        diags.push(
            Diagnostic::error(id.loc, format!("invalid id `{}`", id.value))
                .with_label("ids use ASCII letters, digits, `-`, `_` and `.`")
                .with_note("put a display name (Japanese is fine) in `name`"),
        );
    }
    ok
}

/// Reads the required `id` of an entity and checks its spelling.
pub fn id(table: &mut TableReader<'_>, diags: &mut Diagnostics) -> Option<At<String>> {
    let id = table.required_str("id", diags)?;
    check_id(&id, diags).then_some(id)
}

/// `name` and `description`, accepted on every entity.
pub fn labels(
    table: &mut TableReader<'_>,
    diags: &mut Diagnostics,
) -> (Option<String>, Option<String>) {
    let name = table.str("name", diags).map(|s| s.value);
    let description = table.str("description", diags).map(|s| s.value);
    (name, description)
}
