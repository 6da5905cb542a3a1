//! Parsing a large JSON document on several threads.
//!
//! A design's bulk is in a few long arrays of the top-level object (`host`, `firewall`). A
//! quick scan, which checks nothing but where each value ends, finds those arrays' elements;
//! the elements are parsed on every core, each by a parser set at the element's place in the
//! text and at its depth, so every node and location is the one a parse of the whole text gives.
//! The document is then parsed as usual, taking those arrays as parsed ([`Pieces`]).
//!
//! Anything a piece finds (a syntax error, `null`, a duplicate key) or an element that does not
//! end where the scan said drops the pieces: the text is then parsed whole, so its problems are
//! reported exactly as they always are. A scan that goes wrong on malformed text therefore
//! costs time, never a different answer: an element parsed cleanly from the scan's start to
//! the scan's end is the element the whole parse reads there, because the scan starts at the
//! array's first element and each next element starts after the previous one's end, a comma
//! and whitespace, which is where the whole parse looks for it.

use super::{Node, Parser, after_whitespace};
use crate::diag::Diagnostics;
use crate::source::FileId;
use rayon::prelude::*;

/// Texts from this size on are parsed in pieces (below it, the scan and the threads cost more
/// than they save).
pub(super) const FROM_BYTES: usize = 2 << 20;

/// Arrays with fewer elements are left to the whole parse.
const MIN_ELEMENTS: usize = 64;

/// The arrays of the top-level object parsed ahead, in text order: where each opens (its `[`),
/// where it ends (just past its `]`), and its elements.
#[derive(Default)]
pub(super) struct Pieces<'t> {
    /// In reverse text order, so the next array the parse reaches is the last.
    arrays: Vec<(usize, usize, Vec<Node<'t>>)>,
}

impl<'t> Pieces<'t> {
    /// The elements of the array opening at `open`, and where it ends, if it was parsed ahead.
    pub(super) fn take(&mut self, open: usize) -> Option<(Vec<Node<'t>>, usize)> {
        match self.arrays.last() {
            Some(&(at, _, _)) if at == open => {
                let (_, end, items) = self.arrays.pop()?;
                Some((items, end))
            }
            _ => None,
        }
    }
}

/// One long array of the top-level object as the scan found it.
struct Scanned {
    open: usize,
    end: usize,
    /// Each element's first byte and the byte just past it.
    elements: Vec<(usize, usize)>,
}

/// The long arrays of the document parsed ahead, or `None` when the text is not an object
/// with such arrays, or a piece found anything to report (the whole parse then reports it).
pub(super) fn parse_ahead<'t>(file: FileId, text: &'t str, start: usize) -> Option<Pieces<'t>> {
    let scanned = scan(text.as_bytes(), start)?;
    if scanned.is_empty() {
        return None;
    }
    let mut arrays = Vec::with_capacity(scanned.len());
    for array in scanned {
        // Elements are handed out in runs (`with_min_len`), each run to a parser whose
        // working vectors are kept from element to element.
        let items: Option<Vec<Node<'t>>> = array
            .elements
            .par_iter()
            .with_min_len(64)
            .map_init(Scratch::default, |scratch, &(from, to)| {
                scratch.element(file, text, from, to)
            })
            .collect();
        arrays.push((array.open, array.end, items?));
    }
    arrays.reverse();
    Some(Pieces { arrays })
}

/// One element parsed on its own: see [`Scratch::element`].
pub(super) fn parse_element(file: FileId, text: &str, from: usize, to: usize) -> Option<Node<'_>> {
    Scratch::default().element(file, text, from, to)
}

/// A piece parser's working memory, kept between the elements of a run.
#[derive(Default)]
struct Scratch<'t> {
    diags: Diagnostics,
    entries: Vec<super::Entry<'t>>,
    items: Vec<Node<'t>>,
}

impl<'t> Scratch<'t> {
    /// The element at `from..to`, parsed at depth 2 (inside the top-level object and the
    /// array), as the whole parse reads it; `None` if it has anything to report or ends
    /// elsewhere.
    fn element(&mut self, file: FileId, text: &'t str, from: usize, to: usize) -> Option<Node<'t>> {
        let mut parser = Parser {
            file,
            text,
            pos: from,
            depth: 2,
            diags: &mut self.diags,
            failed: false,
            entries: std::mem::take(&mut self.entries),
            items: std::mem::take(&mut self.items),
            pieces: Pieces::default(),
        };
        let node = parser.value("an array element").ok();
        let clean = !parser.failed && parser.pos == to;
        self.entries = std::mem::take(&mut parser.entries);
        self.items = std::mem::take(&mut parser.items);
        self.diags.items.clear();
        node.filter(|_| clean)
    }
}

/// The arrays of at least [`MIN_ELEMENTS`] elements that are values of the top-level object,
/// with their elements; `None` when the text is not such an object as far as the scan can tell.
fn scan(bytes: &[u8], start: usize) -> Option<Vec<Scanned>> {
    let mut found = Vec::new();
    let mut pos = after_whitespace(bytes, start);
    if bytes.get(pos) != Some(&b'{') {
        return None;
    }
    pos += 1;
    loop {
        pos = after_whitespace(bytes, pos);
        match bytes.get(pos)? {
            b'}' if found.is_empty() => return Some(found),
            b'"' => {}
            _ => return None,
        }
        pos = after_whitespace(bytes, skip_string(bytes, pos)?);
        if bytes.get(pos) != Some(&b':') {
            return None;
        }
        pos = after_whitespace(bytes, pos + 1);
        if bytes.get(pos) == Some(&b'[') {
            let array = scan_array(bytes, pos)?;
            pos = array.end;
            if array.elements.len() >= MIN_ELEMENTS {
                found.push(array);
            }
        } else {
            pos = skip_value(bytes, pos)?;
        }
        pos = after_whitespace(bytes, pos);
        match bytes.get(pos)? {
            b',' => pos += 1,
            b'}' => return Some(found),
            _ => return None,
        }
    }
}

/// The elements of the array opening at `open`.
fn scan_array(bytes: &[u8], open: usize) -> Option<Scanned> {
    let mut elements = Vec::new();
    let mut pos = after_whitespace(bytes, open + 1);
    if bytes.get(pos) == Some(&b']') {
        return Some(Scanned {
            open,
            end: pos + 1,
            elements,
        });
    }
    loop {
        pos = after_whitespace(bytes, pos);
        let end = skip_value(bytes, pos)?;
        elements.push((pos, end));
        pos = after_whitespace(bytes, end);
        match bytes.get(pos)? {
            b',' => pos += 1,
            b']' => {
                return Some(Scanned {
                    open,
                    end: pos + 1,
                    elements,
                });
            }
            _ => return None,
        }
    }
}

/// Just past the string whose opening quote is at `pos`.
fn skip_string(bytes: &[u8], pos: usize) -> Option<usize> {
    let mut at = pos + 1;
    loop {
        at += bytes
            .get(at..)?
            .iter()
            .position(|&b| b == b'"' || b == b'\\')?;
        if bytes[at] == b'"' {
            return Some(at + 1);
        }
        at += 2;
    }
}

/// Just past the value starting at `pos`: a string, an object or array (by nesting, with
/// strings skipped whole), or a word or number (up to the next delimiter).
fn skip_value(bytes: &[u8], pos: usize) -> Option<usize> {
    match bytes.get(pos)? {
        b'"' => skip_string(bytes, pos),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut at = pos;
            loop {
                at += bytes
                    .get(at..)?
                    .iter()
                    .position(|&b| matches!(b, b'"' | b'{' | b'[' | b'}' | b']'))?;
                match bytes[at] {
                    b'"' => {
                        at = skip_string(bytes, at)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    _ => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(at + 1);
                        }
                    }
                }
                at += 1;
            }
        }
        _ => {
            let rest = &bytes[pos..];
            let len = rest
                .iter()
                .position(|b| matches!(b, b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r'))
                .unwrap_or(rest.len());
            (len > 0).then_some(pos + len)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(text: &str) -> Option<Vec<(usize, usize, Vec<&str>)>> {
        let found = scan(text.as_bytes(), 0)?;
        Some(
            found
                .into_iter()
                .map(|a| {
                    let elements = a.elements.iter().map(|&(s, e)| &text[s..e]).collect();
                    (a.open, a.end, elements)
                })
                .collect(),
        )
    }

    fn long_array(element: &str) -> String {
        vec![element; MIN_ELEMENTS].join(", ")
    }

    #[test]
    fn the_scan_finds_the_elements_of_long_top_level_arrays_only() {
        let many = long_array(r#"{"id": "a]\"}{", "n": [1, {"x": 2}]}"#);
        let text = format!(r#"{{"meta": {{"a": [1]}}, "short": [1, 2], "host": [ {many} ] }}"#);
        let found = spans(&text).expect("an object");
        assert_eq!(found.len(), 1, "only the long array");
        let (open, end, elements) = &found[0];
        assert_eq!(&text[*open..*open + 1], "[");
        assert_eq!(&text[*end - 1..*end], "]");
        assert_eq!(elements.len(), MIN_ELEMENTS);
        assert!(
            elements
                .iter()
                .all(|e| *e == r#"{"id": "a]\"}{", "n": [1, {"x": 2}]}"#)
        );
    }

    #[test]
    fn the_scan_gives_up_on_what_is_not_an_object_of_values() {
        assert!(spans("[1, 2]").is_none());
        assert!(spans(r#"{"a" 1}"#).is_none());
        assert!(spans(r#"{"a": [1, 2,]}"#).is_none(), "a trailing comma");
        assert!(spans(r#"{"a": "unterminated}"#).is_none());
        assert!(spans(r#"{"a": [1, 2"#).is_none());
    }

    #[test]
    fn pieces_give_the_whole_parse_tree_and_errors_fall_back_to_it() {
        let element = r#"{"id": "h\u00e9", "tags": ["a", "b"], "n": -1.5e3, "ok": true}"#;
        let text = format!(
            r#"{{"format": 1, "host": [{}], "zone": []}}"#,
            long_array(element)
        );
        let file = FileId(0);
        let ahead = parse_ahead(file, &text, 0).expect("parsed ahead");
        assert_eq!(ahead.arrays.len(), 1);
        let whole = super::super::parse_whole(file, &text, &mut Diagnostics::default());
        let whole = whole.expect("parses");
        let (_, _, items) = &ahead.arrays[0];
        let super::super::Value::Table(entries) = &whole.value else {
            panic!("an object")
        };
        let super::super::Value::Array(hosts) = &entries[1].value.value else {
            panic!("an array")
        };
        assert_eq!(items, hosts);

        for bad in [
            r#"{"id": null}"#,
            r#"{"id": 1, "id": 2}"#,
            r#"{"id": 01}"#,
            r#"{"id": tru}"#,
        ] {
            let many = format!("{}, {bad}", long_array(element));
            let text = format!(r#"{{"host": [{many}]}}"#);
            assert!(parse_ahead(file, &text, 0).is_none(), "{bad}");
        }
    }
}
