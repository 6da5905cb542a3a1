//! Typed access to a [`Node`] tree that records every problem instead of stopping.
//!
//! A [`TableReader`] hands out the keys a decoder asks for and, when finished, reports every key
//! nobody asked for as unknown, with a "did you mean" suggestion. Typed getters report wrong
//! types at the value's location and return `None`, so decoding goes on and the user sees all
//! problems of a file in one run.

use super::doc::{Entry, Node, Value};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::At;
use crate::source::Loc;

pub struct TableReader<'a> {
    /// What the table is, for messages: `[[host]]`, `[meta]`, `firewall interface`.
    pub what: &'static str,
    pub loc: Loc,
    entries: &'a [Entry<'a>],
    used: Vec<bool>,
    /// Every key a decoder asked for, in order and possibly more than once: the keys this table
    /// accepts, for "unknown key" messages. Keys are the decoder's literals, so recording one
    /// costs a push; repeats are dropped only when a message needs the list.
    asked: Vec<&'static str>,
}

impl<'a> TableReader<'a> {
    /// Starts reading `node` as a table; reports and returns `None` when it is something else.
    pub fn new(
        node: &'a Node<'a>,
        what: &'static str,
        diags: &mut Diagnostics,
    ) -> Option<TableReader<'a>> {
        match &node.value {
            Value::Table(entries) => Some(TableReader {
                what,
                loc: node.loc,
                entries,
                used: vec![false; entries.len()],
                // Room for the keys of the largest table (`[[host]]`): one allocation.
                asked: Vec::with_capacity(20),
            }),
            other => {
                diags.push(
                    Diagnostic::error(node.loc, format!("{what} must be a table"))
                        .with_label(format!("found {}", other.type_name())),
                );
                None
            }
        }
    }

    /// The value of `key`, if present.
    pub fn get(&mut self, key: &'static str) -> Option<&'a Node<'a>> {
        self.asked.push(key);
        let i = self.entries.iter().position(|e| e.key == key)?;
        self.used[i] = true;
        Some(&self.entries[i].value)
    }

    /// Where `key` was written, for messages about the key rather than its value.
    pub fn key_loc(&self, key: &str) -> Option<Loc> {
        self.entries
            .iter()
            .find(|e| e.key == key)
            .map(|e| e.key_loc)
    }

    /// The value of a required key; reports its absence at the table.
    pub fn require(&mut self, key: &'static str, diags: &mut Diagnostics) -> Option<&'a Node<'a>> {
        let node = self.get(key);
        if node.is_none() {
            diags.push(
                Diagnostic::error(
                    self.header_loc(),
                    format!("{} is missing `{key}`", self.what),
                )
                .with_label(format!("`{key}` is required here")),
            );
        }
        node
    }

    /// A short location for messages about the whole table: a TOML header (`[[firewall.rule]]`),
    /// or the opening brace of an inline table or JSON object, up to its first key.
    pub fn header_loc(&self) -> Loc {
        let first_key = self.entries.iter().map(|e| e.key_loc.start).min();
        match first_key {
            Some(k) if k > self.loc.start => Loc {
                end: self.loc.end.min(k),
                ..self.loc
            },
            // A dotted-key table (`[a]` written as `a.b = 1`) has no header of its own.
            Some(_) => self
                .entries
                .iter()
                .map(|e| e.key_loc)
                .min_by_key(|l| l.start)
                .unwrap_or(self.loc),
            None => self.loc,
        }
    }

    pub fn str(&mut self, key: &'static str, diags: &mut Diagnostics) -> Option<At<String>> {
        self.get(key).and_then(|n| string(n, diags))
    }

    pub fn required_str(
        &mut self,
        key: &'static str,
        diags: &mut Diagnostics,
    ) -> Option<At<String>> {
        self.require(key, diags).and_then(|n| string(n, diags))
    }

    pub fn bool(&mut self, key: &'static str, diags: &mut Diagnostics) -> Option<bool> {
        let node = self.get(key)?;
        match node.value {
            Value::Bool(b) => Some(b),
            ref other => {
                type_error(node, "a boolean (true or false)", other, diags);
                None
            }
        }
    }

    pub fn u64(&mut self, key: &'static str, diags: &mut Diagnostics) -> Option<At<u64>> {
        let node = self.get(key)?;
        match node.value {
            Value::Integer(n) if n >= 0 => Some(At::new(n as u64, node.loc)),
            Value::Integer(_) => {
                diags.push(
                    Diagnostic::error(node.loc, format!("`{key}` must not be negative"))
                        .with_label("negative"),
                );
                None
            }
            ref other => {
                type_error(node, "a non-negative integer", other, diags);
                None
            }
        }
    }

    /// A string or an array of strings (a single value is a list of one).
    pub fn strings(&mut self, key: &'static str, diags: &mut Diagnostics) -> Vec<At<String>> {
        self.get(key).map(|n| strings(n, diags)).unwrap_or_default()
    }

    /// An array of tables (or a single inline table).
    pub fn tables(&mut self, key: &'static str, diags: &mut Diagnostics) -> Vec<&'a Node<'a>> {
        let Some(node) = self.get(key) else {
            return Vec::new();
        };
        match &node.value {
            Value::Array(items) => items.iter().collect(),
            Value::Table(_) => vec![node],
            other => {
                type_error(node, "an array of tables", other, diags);
                Vec::new()
            }
        }
    }

    /// Reports every key that was not asked for. Call it after reading every accepted key.
    pub fn finish(self, diags: &mut Diagnostics) {
        let mut known: Vec<&str> = Vec::new();
        if self.used.contains(&false) {
            for key in &self.asked {
                if !known.contains(key) {
                    known.push(key);
                }
            }
        }
        for (entry, used) in self.entries.iter().zip(&self.used) {
            if *used {
                continue;
            }
            let mut d = Diagnostic::error(
                entry.key_loc,
                format!("unknown key `{}` in {}", entry.key, self.what),
            )
            .with_label("not part of format 1");
            if let Some(s) = suggest(&entry.key, &known) {
                d = d.with_note(format!("did you mean `{s}`?"));
            }
            if !known.is_empty() {
                d = d.with_note(format!("accepted keys: {}", known.join(", ")));
            }
            diags.push(d);
        }
    }
}

pub fn type_error(node: &Node, expected: &str, found: &Value, diags: &mut Diagnostics) {
    diags.push(
        Diagnostic::error(
            node.loc,
            format!("expected {expected}, found {}", found.type_name()),
        )
        .with_label(format!("this is {}", found.type_name())),
    );
}

pub fn string(node: &Node, diags: &mut Diagnostics) -> Option<At<String>> {
    string_ref(node, diags).map(|s| At::new(s.to_string(), node.loc))
}

/// [`string`] without a copy, for values that are parsed rather than kept.
pub fn string_ref<'n>(node: &'n Node<'_>, diags: &mut Diagnostics) -> Option<&'n str> {
    match &node.value {
        Value::String(s) => Some(s),
        other => {
            type_error(node, "a string", other, diags);
            None
        }
    }
}

pub fn strings(node: &Node, diags: &mut Diagnostics) -> Vec<At<String>> {
    string_refs(node, diags)
        .into_iter()
        .map(|(s, loc)| At::new(s.to_string(), loc))
        .collect()
}

/// [`strings`] without copies: each string with its location.
pub fn string_refs<'n>(node: &'n Node<'_>, diags: &mut Diagnostics) -> Vec<(&'n str, Loc)> {
    let located =
        |n: &'n Node<'_>, diags: &mut Diagnostics| string_ref(n, diags).map(|s| (s, n.loc));
    match &node.value {
        Value::Array(items) => items.iter().filter_map(|n| located(n, diags)).collect(),
        Value::String(_) => located(node, diags).into_iter().collect(),
        other => {
            type_error(node, "a string or an array of strings", other, diags);
            Vec::new()
        }
    }
}

/// The closest known word, when it is close enough to be a likely typo.
pub fn suggest<'k>(word: &str, known: &[&'k str]) -> Option<&'k str> {
    let mut unlimited = u64::MAX;
    suggest_within(word, known.iter().copied(), &mut unlimited)
}

/// [`suggest`] that spends at most `budget` units of work (one per candidate, plus one per
/// edit-distance cell computed) and takes what it spent off `budget`. When the budget runs out
/// it gives no suggestion: a hint is a courtesy, and on a huge input full of mistakes the edit
/// distances alone could take hours (see `limits::SUGGESTION_WORK`).
pub fn suggest_within<'k>(
    word: &str,
    known: impl IntoIterator<Item = &'k str>,
    budget: &mut u64,
) -> Option<&'k str> {
    let word: Vec<char> = word.chars().collect();
    if word.len() > super::limits::MAX_SUGGESTED_WORD {
        return None;
    }
    let (mut prev, mut cur) = (Vec::new(), Vec::new());
    let mut best: Option<(usize, &'k str)> = None;
    for k in known {
        let k_len = k.chars().count();
        let threshold = (k_len / 3).max(1);
        // Stop before a candidate that might cost more than is left, so the bound holds.
        let worst = 1 + (word.len() * k_len) as u64;
        if worst > *budget {
            *budget = 0;
            return None;
        }
        // The distance is at least the difference in length: skip the table when that is too far.
        if k_len.abs_diff(word.len()) > threshold {
            *budget -= 1;
            continue;
        }
        let mut rows = 0;
        let d = edit_distance(&word, k, threshold, (&mut prev, &mut cur), &mut rows);
        *budget -= 1 + rows * word.len() as u64;
        if let Some(d) = d
            && best.is_none_or(|b| (d, k) < b)
        {
            best = Some((d, k));
        }
    }
    best.map(|(_, k)| k)
}

/// The edit distance from `word` to `candidate`, or `None` as soon as it must exceed `limit`:
/// the smallest value of a row never decreases in later rows, so once it is past the limit the
/// rest of the table cannot matter. `rows` counts the rows computed; the buffers are reused
/// across candidates to keep allocation out of the loop.
fn edit_distance(
    word: &[char],
    candidate: &str,
    limit: usize,
    (prev, cur): (&mut Vec<usize>, &mut Vec<usize>),
    rows: &mut u64,
) -> Option<usize> {
    prev.clear();
    prev.extend(0..=word.len());
    for (i, c) in candidate.chars().enumerate() {
        *rows += 1;
        cur.clear();
        cur.push(i + 1);
        for (j, w) in word.iter().enumerate() {
            let substitution = prev[j] + usize::from(c != *w);
            cur.push(substitution.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        if cur.iter().min().is_some_and(|&m| m > limit) {
            return None;
        }
        std::mem::swap(prev, cur);
    }
    Some(prev[word.len()]).filter(|&d| d <= limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_words_only() {
        assert_eq!(suggest("segmnet", &["segment", "site"]), Some("segment"));
        assert_eq!(suggest("sit", &["segment", "site"]), Some("site"));
        assert_eq!(suggest("siet", &["site", "sit"]), Some("sit"));
        assert_eq!(suggest("segmnet", &["segment", "site"]), Some("segment"));
        assert_eq!(suggest("colour", &["segment", "site"]), None);
    }

    #[test]
    fn suggestions_stop_when_the_budget_is_spent() {
        let known = ["segment", "site"];
        let mut budget = u64::MAX;
        assert_eq!(
            suggest_within("segmnet", known, &mut budget),
            Some("segment")
        );
        // 1 + 7 * 7 for `segment`; 1 for `site`, too short to be within 1 edit.
        assert_eq!(u64::MAX - budget, 51);
        // A far candidate stops after the first rows whose best is past the limit.
        let mut budget = u64::MAX;
        assert_eq!(suggest_within("zzzzzzz", ["segment"], &mut budget), None);
        assert_eq!(u64::MAX - budget, 1 + 3 * 7);
        let mut small = 40;
        assert_eq!(suggest_within("segmnet", known, &mut small), None);
        assert_eq!(small, 0);
        let long = "s".repeat(super::super::limits::MAX_SUGGESTED_WORD + 1);
        assert_eq!(suggest_within(&long, known, &mut budget), None);
    }
}
