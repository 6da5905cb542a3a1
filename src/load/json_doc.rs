//! JSON text → [`Node`] tree, keeping the location of every key and value.
//!
//! Why by hand: serde_json reports a line and column only for syntax errors; the values it hands
//! back carry no location. The decoder needs `file:line:column` on every key and value, so that a
//! message such as "expected a string, found an integer" points at the offending text in a JSON
//! file exactly as it does in a TOML file. JSON is small enough that a strict recursive-descent
//! parser (RFC 8259, no extensions) is shorter than working around a library for spans.
//!
//! Syntax errors stop the parse at the first one: after a syntax error the rest of the text
//! rarely means what the user intended. Problems in well-formed text (`null`, duplicate keys,
//! numbers out of range) are all collected before giving up.

use super::doc::{Entry, Node, Value};
use crate::diag::{Diagnostic, Diagnostics};
use crate::source::{FileId, Loc};
use std::borrow::Cow;
use std::collections::HashMap;

mod pieces;
use pieces::Pieces;

/// Deeper documents are rejected rather than risking a stack overflow in the recursion.
const MAX_DEPTH: usize = 128;

/// Parses a JSON document. Problems go to `diags`; the tree is returned only when there were none.
///
/// A large text's long arrays are parsed ahead on every core (see `pieces`); the answer is
/// always [`parse_whole`]'s.
pub fn parse<'t>(file: FileId, text: &'t str, diags: &mut Diagnostics) -> Option<Node<'t>> {
    let start = after_bom(text);
    let pieces = (text.len() >= pieces::FROM_BYTES && rayon::current_num_threads() > 1)
        .then(|| pieces::parse_ahead(file, text, start))
        .flatten()
        .unwrap_or_default();
    parse_from(file, text, start, pieces, diags)
}

/// [`parse`] on one thread, the whole text in one pass.
pub fn parse_whole<'t>(file: FileId, text: &'t str, diags: &mut Diagnostics) -> Option<Node<'t>> {
    parse_from(file, text, after_bom(text), Pieces::default(), diags)
}

/// The element of a top-level array written at `from..to`: parsed at its place and depth, as a
/// parse of the whole text reads it there, when it parses without a problem and ends at `to`
/// (`load::reload` re-reads one edited element of a large document this way).
pub fn parse_element(file: FileId, text: &str, from: usize, to: usize) -> Option<Node<'_>> {
    pieces::parse_element(file, text, from, to)
}

/// Where the document starts: after a BOM (3 bytes in UTF-8), which is skipped; offsets stay
/// relative to the whole text, as the source map stores it.
fn after_bom(text: &str) -> usize {
    if text.starts_with('\u{FEFF}') { 3 } else { 0 }
}

fn parse_from<'t>(
    file: FileId,
    text: &'t str,
    start: usize,
    pieces: Pieces<'t>,
    diags: &mut Diagnostics,
) -> Option<Node<'t>> {
    let mut parser = Parser {
        file,
        text,
        pos: start,
        depth: 0,
        diags,
        failed: false,
        entries: Vec::new(),
        items: Vec::new(),
        pieces,
    };
    match parser.document() {
        Ok(node) if !parser.failed => Some(node),
        _ => None,
    }
}

/// A syntax error has been reported; parsing stops.
struct Stop;

type Parsed<T> = Result<T, Stop>;

struct Parser<'t, 'd> {
    file: FileId,
    text: &'t str,
    /// Byte offset of the next unread byte. It only moves over ASCII bytes or whole runs of string
    /// text ending before an ASCII byte, so it is always on a character boundary.
    pos: usize,
    depth: usize,
    diags: &'d mut Diagnostics,
    /// Set by every reported error, including those that let parsing go on.
    failed: bool,
    /// The entries of the objects being read, innermost last; an object's are moved out into a
    /// vector of exactly their number when it closes. Growing a vector per object instead
    /// allocated several times per object and left up to half of each unused, which at tier XL
    /// is hundreds of megabytes of the tree.
    entries: Vec<Entry<'t>>,
    /// The same for the elements of the arrays being read.
    items: Vec<Node<'t>>,
    /// The top-level object's long arrays, parsed ahead.
    pieces: Pieces<'t>,
}

impl<'t> Parser<'t, '_> {
    fn document(&mut self) -> Parsed<Node<'t>> {
        self.skip_whitespace();
        let node = self.value("a JSON value")?;
        self.skip_whitespace();
        if self.pos < self.text.len() {
            return self.expected("end of input after the JSON document");
        }
        Ok(node)
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn loc(&self, start: usize, end: usize) -> Loc {
        Loc::new(self.file, start..end)
    }

    /// Skips whitespace with a slice scan: indentation is a good part of pretty-printed JSON.
    fn skip_whitespace(&mut self) {
        self.pos = after_whitespace(self.text.as_bytes(), self.pos);
    }

    /// Reports an error that lets parsing go on.
    fn report(&mut self, diagnostic: Diagnostic) {
        self.failed = true;
        self.diags.push(diagnostic);
    }

    /// Reports a syntax error, which ends the parse.
    fn fail<T>(&mut self, diagnostic: Diagnostic) -> Parsed<T> {
        self.report(diagnostic);
        Err(Stop)
    }

    fn expected<T>(&mut self, expected: &str) -> Parsed<T> {
        self.fail(self.unexpected(expected))
    }

    /// Consumes `byte` if it comes next.
    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        self.pos += usize::from(found);
        found
    }

    /// "expected X, found Y" at the current position, naming what is actually there.
    fn unexpected(&self, expected: &str) -> Diagnostic {
        let rest = self.text.get(self.pos..).unwrap_or_default();
        let Some(c) = rest.chars().next() else {
            return Diagnostic::error(self.loc(self.pos, self.pos), "unexpected end of input")
                .with_label(format!("expected {expected}"));
        };
        // Show a whole word (`undefined`, `NaN`), capped so a huge token makes a short message.
        let word = rest
            .bytes()
            .take(32)
            .take_while(u8::is_ascii_alphanumeric)
            .count();
        let len = if word > 0 { word } else { c.len_utf8() };
        let found = if c.is_control() || c.is_whitespace() || c == '\u{FEFF}' {
            format!("U+{:04X}", c as u32)
        } else {
            format!("'{}'", &rest[..len])
        };
        let mut d = Diagnostic::error(
            self.loc(self.pos, self.pos + len),
            format!("expected {expected}, found {found}"),
        )
        .with_label(format!("expected {expected}"));
        if expected.ends_with("after ','") && matches!(c, '}' | ']') {
            d = d.with_note("JSON does not allow a trailing comma");
        } else if c == '/' {
            d = d.with_note("JSON does not allow comments");
        } else if c == '\'' {
            d = d.with_note("JSON strings are written in double quotes");
        }
        d
    }

    fn value(&mut self, expected: &str) -> Parsed<Node<'t>> {
        let start = self.pos;
        let value = match self.peek() {
            Some(b'{') => self.nested(Self::object)?,
            Some(b'[') => self.nested(Self::array)?,
            Some(b'"') => Value::String(self.string()?),
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(b'a'..=b'z' | b'A'..=b'Z') => self.literal(expected)?,
            _ => return self.expected(expected),
        };
        Ok(Node {
            value,
            loc: self.loc(start, self.pos),
        })
    }

    /// Runs `parse` for an object or array one level deeper, refusing to go past [`MAX_DEPTH`].
    fn nested(&mut self, parse: fn(&mut Self) -> Parsed<Value<'t>>) -> Parsed<Value<'t>> {
        if self.depth == MAX_DEPTH {
            let loc = self.loc(self.pos, self.pos + 1);
            let message = format!("nesting deeper than {MAX_DEPTH} levels");
            return self.fail(Diagnostic::error(loc, message).with_label("too deep"));
        }
        self.depth += 1;
        let value = parse(self)?;
        self.depth -= 1;
        Ok(value)
    }

    /// `{ "key": value, ... }` from the `{` to just past the `}`.
    fn object(&mut self) -> Parsed<Value<'t>> {
        self.pos += 1;
        let start = self.entries.len();
        let mut keys = KeyIndex::default();
        self.skip_whitespace();
        if self.eat(b'}') {
            return Ok(Value::Table(Vec::new()));
        }
        let mut expected_key = "a string key or '}'";
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return self.expected(expected_key);
            }
            let key_start = self.pos;
            let key = self.string()?;
            let key_loc = self.loc(key_start, self.pos);
            self.skip_whitespace();
            if !self.eat(b':') {
                return self.expected("':' after the key");
            }
            self.skip_whitespace();
            let value = self.value("a value after ':'")?;
            if let Some(first) = keys.first_definition(&self.entries[start..], &key) {
                let message = format!("duplicate key {key:?}");
                self.report(
                    Diagnostic::error(key_loc, message)
                        .with_label("defined again here")
                        .with_related(first, "first defined here"),
                );
            } else {
                keys.add(&self.entries[start..], &key, key_loc);
                self.entries.push(Entry {
                    key,
                    key_loc,
                    value,
                });
            }
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Table(self.entries.drain(start..).collect()));
                }
                _ => return self.expected("',' or '}' after an object entry"),
            }
            expected_key = "a string key after ','";
        }
    }

    /// `[ value, ... ]` from the `[` to just past the `]`.
    fn array(&mut self) -> Parsed<Value<'t>> {
        // A value of the top-level object (inside it and this array: depth 2) may have been
        // parsed ahead.
        if self.depth == 2
            && let Some((items, end)) = self.pieces.take(self.pos)
        {
            self.pos = end;
            return Ok(Value::Array(items));
        }
        self.pos += 1;
        let start = self.items.len();
        self.skip_whitespace();
        if self.eat(b']') {
            return Ok(Value::Array(Vec::new()));
        }
        let mut expected = "a value or ']'";
        loop {
            self.skip_whitespace();
            let item = self.value(expected)?;
            self.items.push(item);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(self.items.drain(start..).collect()));
                }
                _ => return self.expected("',' or ']' after an array element"),
            }
            expected = "a value after ','";
        }
    }

    /// A string from its opening quote to just past the closing one, with escapes decoded. A
    /// string without escapes (nearly every one) is borrowed from the text, not copied.
    fn string(&mut self) -> Parsed<Cow<'t, str>> {
        let open = self.pos;
        self.pos += 1;
        let text = self.text;
        self.pos += plain_run(&text.as_bytes()[self.pos..]);
        if self.peek() == Some(b'"') {
            self.pos += 1;
            return Ok(Cow::Borrowed(&text[open + 1..self.pos - 1]));
        }
        let mut out = text[open + 1..self.pos].to_string();
        loop {
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    self.escape(&mut out)?;
                    // Copy plain text in runs; a run ends at an ASCII byte, so the slice is
                    // well-formed.
                    let run = self.pos;
                    self.pos += plain_run(&text.as_bytes()[run..]);
                    out.push_str(&text[run..self.pos]);
                }
                Some(b) => {
                    let loc = self.loc(self.pos, self.pos + 1);
                    let d =
                        Diagnostic::error(loc, format!("control character U+{b:04X} in string"))
                            .with_label("must be escaped")
                            .with_note("write it as an escape, for example \\n for a line break");
                    return self.fail(d);
                }
                None => {
                    let d = Diagnostic::error(self.loc(open, open + 1), "unterminated string")
                        .with_label("this string is never closed");
                    return self.fail(d);
                }
            }
        }
    }

    /// One escape sequence, with `pos` on its backslash.
    fn escape(&mut self, out: &mut String) -> Parsed<()> {
        let start = self.pos;
        self.pos += 1;
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                return self.unicode_escape(start, out);
            }
            _ => {
                let d = self
                    .unexpected("an escape character after '\\'")
                    .with_note("valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX");
                return self.fail(d);
            }
        };
        self.pos += 1;
        out.push(c);
        Ok(())
    }

    /// The rest of `\uXXXX` (or of a surrogate pair `\uD83D\uDE00`); `start` is the backslash.
    fn unicode_escape(&mut self, start: usize, out: &mut String) -> Parsed<()> {
        let mut code = self.hex4()?;
        let escape_follows = self.text.as_bytes()[self.pos..].starts_with(b"\\u");
        if (0xD800..0xDC00).contains(&code) && escape_follows {
            let low_start = self.pos;
            self.pos += 2;
            let low = self.hex4()?;
            if (0xDC00..0xE000).contains(&low) {
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
            } else {
                // Not a pair: report the high half below and leave `low` unread.
                self.pos = low_start;
            }
        }
        // Only a surrogate that is not part of a pair can fail to be a `char` here.
        match char::from_u32(code) {
            Some(c) => {
                out.push(c);
                Ok(())
            }
            None => {
                let d = Diagnostic::error(
                    self.loc(start, start + 6),
                    format!("lone surrogate \\u{code:04X} in string"),
                )
                .with_label("not part of a surrogate pair")
                .with_note("a character above U+FFFF is written as a pair, as in \\uD83D\\uDE00");
                self.fail(d)
            }
        }
    }

    fn hex4(&mut self) -> Parsed<u32> {
        let mut code = 0;
        for _ in 0..4 {
            match self.peek().and_then(|b| char::from(b).to_digit(16)) {
                Some(digit) => code = code * 16 + digit,
                None => return self.expected("a hex digit in a \\u escape"),
            }
            self.pos += 1;
        }
        Ok(code)
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`: an integer unless it has a
    /// fraction or an exponent.
    fn number(&mut self) -> Parsed<Value<'t>> {
        let start = self.pos;
        self.eat(b'-');
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if matches!(self.peek(), Some(b'0'..=b'9')) {
                    let loc = self.loc(self.pos - 1, self.pos);
                    let d = Diagnostic::error(loc, "leading zeros are not allowed in numbers")
                        .with_label("leading zero");
                    return self.fail(d);
                }
            }
            Some(b'1'..=b'9') => self.skip_digits(),
            _ => return self.expected("a digit after '-'"),
        }
        let mut is_float = false;
        if self.eat(b'.') {
            is_float = true;
            self.require_digits("a digit after the decimal point")?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            is_float = true;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            self.require_digits("a digit in the exponent")?;
        }
        let literal = &self.text[start..self.pos];
        let (value, message, label) = if is_float {
            let float = literal.parse().ok().filter(|f: &f64| f.is_finite());
            (
                float.map(Value::Float),
                "number out of range",
                "too large for a 64-bit float",
            )
        } else {
            let integer = literal.parse().ok();
            (
                integer.map(Value::Integer),
                "integer out of range",
                "does not fit in 64 bits",
            )
        };
        Ok(value.unwrap_or_else(|| {
            let loc = self.loc(start, self.pos);
            self.report(Diagnostic::error(loc, message).with_label(label));
            // A placeholder: the document is rejected anyway.
            Value::Integer(0)
        }))
    }

    fn skip_digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
    }

    fn require_digits(&mut self, expected: &str) -> Parsed<()> {
        if !matches!(self.peek(), Some(b'0'..=b'9')) {
            return self.expected(expected);
        }
        self.skip_digits();
        Ok(())
    }

    /// `true`, `false` or `null`; any other word is an error naming the whole word.
    fn literal(&mut self, expected: &str) -> Parsed<Value<'t>> {
        let start = self.pos;
        while matches!(self.peek(), Some(b) if b.is_ascii_alphanumeric()) {
            self.pos += 1;
        }
        match &self.text[start..self.pos] {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            "null" => {
                let d = Diagnostic::error(self.loc(start, self.pos), "null is not allowed")
                    .with_label("null")
                    .with_note("leave the key or element out instead");
                self.report(d);
                Ok(Value::Bool(false))
            }
            _ => {
                self.pos = start;
                self.expected(expected)
            }
        }
    }
}

/// The first byte at or after `pos` that is not JSON whitespace (or the end).
fn after_whitespace(bytes: &[u8], pos: usize) -> usize {
    let rest = bytes.get(pos..).unwrap_or_default();
    pos + rest
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        .unwrap_or(rest.len())
}

/// Length of the run of string text at the start of `bytes` that needs no attention: up to a
/// quote, a backslash or a control character (or the end). A tight slice scan rather than one
/// `peek` per byte: strings are most of a topology's text.
fn plain_run(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        .unwrap_or(bytes.len())
}

/// Objects with more keys than this get a hash map for the duplicate-key check.
const LINEAR_KEYS: usize = 16;

/// Where each key of the object being parsed was first written, for duplicate-key errors.
///
/// Nearly every object of a topology has a handful of keys; comparing against the entries read so
/// far is then much cheaper than hashing and copying every key. A larger object gets a hash map
/// once it passes [`LINEAR_KEYS`], so a huge object does not turn quadratic. The entries hold
/// exactly the first definition of each key (a duplicate is reported, not added).
#[derive(Default)]
struct KeyIndex {
    map: Option<HashMap<String, Loc>>,
}

impl KeyIndex {
    fn first_definition(&self, entries: &[Entry], key: &str) -> Option<Loc> {
        match &self.map {
            Some(map) => map.get(key).copied(),
            None => entries.iter().find(|e| e.key == key).map(|e| e.key_loc),
        }
    }

    /// Records `key` before it is pushed after `entries`.
    fn add(&mut self, entries: &[Entry], key: &str, loc: Loc) {
        if self.map.is_none() && entries.len() >= LINEAR_KEYS {
            let map = entries
                .iter()
                .map(|e| (e.key.to_string(), e.key_loc))
                .collect();
            self.map = Some(map);
        }
        if let Some(map) = &mut self.map {
            map.insert(key.to_string(), loc);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn run(text: &str) -> (Option<Node<'_>>, Diagnostics) {
        let mut diags = Diagnostics::default();
        let node = parse(FileId(0), text, &mut diags);
        (node, diags)
    }

    fn ok(text: &str) -> Node<'_> {
        let (node, diags) = run(text);
        assert!(diags.items.is_empty(), "{text:?}: {:?}", diags.items);
        node.expect("a tree when there are no errors")
    }

    /// The first error's message and its one-based line and column.
    fn first_error(text: &str) -> (String, (usize, usize)) {
        let (node, diags) = run(text);
        assert!(node.is_none(), "{text:?} should fail");
        let d = &diags.items[0];
        let position = SourceFile::new("t.json", text).line_col(d.loc.start as usize);
        (d.message.clone(), position)
    }

    fn snippet(text: &str, loc: Loc) -> &str {
        &text[loc.range()]
    }

    #[test]
    fn structure_and_locations() {
        let text = "{\n  \"name\": \"住民\",\n  \"ports\": [80, -443],\n  \"ratio\": 1.5e2,\n  \"on\": true\n}\n";
        let root = ok(text);
        assert_eq!(snippet(text, root.loc), text.trim_end());
        let Value::Table(entries) = &root.value else {
            panic!("not a table")
        };
        let keys: Vec<&str> = entries.iter().map(|e| &*e.key).collect();
        assert_eq!(keys, ["name", "ports", "ratio", "on"]);
        assert_eq!(snippet(text, entries[0].key_loc), "\"name\"");
        assert_eq!(entries[0].value.value, Value::String("住民".into()));
        assert_eq!(snippet(text, entries[0].value.loc), "\"住民\"");
        assert_eq!(snippet(text, entries[1].value.loc), "[80, -443]");
        let Value::Array(ports) = &entries[1].value.value else {
            panic!("not an array")
        };
        assert_eq!(ports[1].value, Value::Integer(-443));
        assert_eq!(snippet(text, ports[1].loc), "-443");
        let file = SourceFile::new("t.json", text);
        assert_eq!(file.line_col(ports[1].loc.start as usize), (3, 17));
        assert_eq!(entries[2].value.value, Value::Float(150.0));
        assert_eq!(snippet(text, entries[3].value.loc), "true");
        assert_eq!(ok(" [ ] ").value, Value::Array(vec![]));
        assert_eq!(ok("{}").value, Value::Table(vec![]));
    }

    #[test]
    fn escapes_and_surrogate_pairs() {
        let text = r#""q\"b\\s\/ \b\f\n\r\t \u00e9\u65E5 \uD83D\uDE00""#;
        let node = ok(text);
        let expected = "q\"b\\s/ \u{8}\u{c}\n\r\t é日 😀";
        assert_eq!(node.value, Value::String(expected.into()));
        assert_eq!(snippet(text, node.loc), text);
    }

    #[test]
    fn plain_strings_are_borrowed_and_escaped_ones_decoded_whole() {
        let cases = [
            (r#""住民 id""#, "住民 id", true),
            (r#""\nx""#, "\nx", false),
            (r#""x\n""#, "x\n", false),
            (r#""a\tb\u00e9c""#, "a\tbéc", false),
            (r#""""#, "", true),
        ];
        for (text, expected, borrowed) in cases {
            let Value::String(s) = ok(text).value else {
                panic!("{text}: not a string");
            };
            assert_eq!(s, expected, "{text}");
            assert_eq!(matches!(s, Cow::Borrowed(_)), borrowed, "{text}");
        }
    }

    #[test]
    fn numbers() {
        assert_eq!(ok("9223372036854775807").value, Value::Integer(i64::MAX));
        assert_eq!(ok("-9223372036854775808").value, Value::Integer(i64::MIN));
        assert_eq!(ok("-0").value, Value::Integer(0));
        assert_eq!(ok("0.5").value, Value::Float(0.5));
        assert_eq!(ok("2E-1").value, Value::Float(0.2));
        let (message, position) = first_error("[1, 9223372036854775808]");
        assert_eq!(
            (message.as_str(), position),
            ("integer out of range", (1, 5))
        );
        assert_eq!(first_error("1e400").0, "number out of range");
    }

    #[test]
    fn syntax_errors_name_expected_and_found_at_the_offending_byte() {
        #[rustfmt::skip]
        let cases = [
            ("{\"a\": 1 x}", (1, 9), "expected ',' or '}' after an object entry, found 'x'"),
            ("[1 2]", (1, 4), "expected ',' or ']' after an array element, found '2'"),
            ("{\"a\": 1,}", (1, 9), "expected a string key after ',', found '}'"),
            ("[1,\n ]", (2, 2), "expected a value after ',', found ']'"),
            ("{\n  \"a\": 1,\n  \"b\" 2\n}", (3, 7), "expected ':' after the key, found '2'"),
            ("{1: 2}", (1, 2), "expected a string key or '}', found '1'"),
            ("// note\n1", (1, 1), "expected a JSON value, found '/'"),
            ("['a']", (1, 2), "expected a value or ']', found '''"),
            ("[undefined]", (1, 2), "expected a value or ']', found 'undefined'"),
            ("NaN", (1, 1), "expected a JSON value, found 'NaN'"),
            ("[\"ok\", \"abc", (1, 8), "unterminated string"),
            ("[1,", (1, 4), "unexpected end of input"),
            ("", (1, 1), "unexpected end of input"),
            ("\"a\nb\"", (1, 3), "control character U+000A in string"),
            ("\"a\tb\"", (1, 3), "control character U+0009 in string"),
            (r#""\x""#, (1, 3), "expected an escape character after '\\', found 'x'"),
            (r#""\u12G4""#, (1, 6), "expected a hex digit in a \\u escape, found 'G4'"),
            (r#""a\uD800""#, (1, 3), "lone surrogate \\uD800 in string"),
            (r#""\uDC00\uD800""#, (1, 2), "lone surrogate \\uDC00 in string"),
            (r#""\uD800\u0041""#, (1, 2), "lone surrogate \\uD800 in string"),
            ("[01]", (1, 2), "leading zeros are not allowed in numbers"),
            ("-", (1, 2), "unexpected end of input"),
            ("-x", (1, 2), "expected a digit after '-', found 'x'"),
            ("1.e5", (1, 3), "expected a digit after the decimal point, found 'e5'"),
            ("1e+", (1, 4), "unexpected end of input"),
            (".5", (1, 1), "expected a JSON value, found '.'"),
            ("+1", (1, 1), "expected a JSON value, found '+'"),
            ("{\"a\": 1} 2", (1, 10), "expected end of input after the JSON document, found '2'"),
            ("1\n\u{FEFF}", (2, 1), "expected end of input after the JSON document, found U+FEFF"),
        ];
        for (text, position, message) in cases {
            assert_eq!(
                first_error(text),
                (message.to_string(), position),
                "{text:?}"
            );
        }
    }

    #[test]
    fn trailing_comma_gets_a_note() {
        let (_, diags) = run("[1, 2,]");
        assert_eq!(
            diags.items[0].notes,
            ["JSON does not allow a trailing comma"]
        );
    }

    #[test]
    fn null_and_duplicates_are_all_reported() {
        let text = "{\"a\": null, \"b\": 1, \"a\": 2, \"b\": [null]}";
        let (node, diags) = run(text);
        assert!(node.is_none());
        let messages: Vec<&str> = diags.items.iter().map(|d| d.message.as_str()).collect();
        let expected = [
            "null is not allowed",
            "duplicate key \"a\"",
            "null is not allowed",
            "duplicate key \"b\"",
        ];
        assert_eq!(messages, expected);
        assert_eq!(snippet(text, diags.items[0].loc), "null");
        let dup = &diags.items[1];
        assert_eq!(dup.loc.start, 20);
        assert_eq!(snippet(text, dup.loc), "\"a\"");
        assert_eq!(dup.related[0].message, "first defined here");
        assert_eq!(dup.related[0].loc.start, 1);
    }

    #[test]
    fn duplicates_are_found_in_large_objects_too() {
        // More keys than `LINEAR_KEYS`, so the later look-ups go through the hash map.
        let mut text: String = (0..40).map(|n| format!("\"k{n}\": {n}, ")).collect();
        text = format!("{{{text}\"k3\": 0, \"k39\": 1}}");
        let (node, diags) = run(&text);
        assert!(node.is_none());
        let found: Vec<(&str, &str)> = diags
            .items
            .iter()
            .map(|d| (d.message.as_str(), snippet(&text, d.related[0].loc)))
            .collect();
        let expected = [
            ("duplicate key \"k3\"", "\"k3\""),
            ("duplicate key \"k39\"", "\"k39\""),
        ];
        assert_eq!(found, expected);
    }

    #[test]
    fn a_leading_bom_is_skipped() {
        let text = "\u{FEFF}{\"a\": 1}";
        let root = ok(text);
        assert_eq!(root.loc.start, 3);
        assert_eq!(snippet(text, root.loc), "{\"a\": 1}");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let (message, position) = first_error(&"[".repeat(10_000));
        assert_eq!(
            (message.as_str(), position),
            ("nesting deeper than 128 levels", (1, 129))
        );
        let deepest = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        ok(&deepest);
        assert_eq!(
            first_error(&"{\"a\":".repeat(200)).0,
            "nesting deeper than 128 levels"
        );
    }

    #[test]
    fn never_panics_on_mutated_documents() {
        let valid = "{\"名前\": \"w\\u00e9b\\uD83D\\uDE00\", \"n\": [0, -1.5e3, 12], \"t\": true}";
        let chars: Vec<char> = valid.chars().collect();
        let alphabet: Vec<char> = "\"\\{}[],:0-1e.+uDt/ \n\u{1}é😀".chars().collect();
        let mut variants: Vec<String> = (0..chars.len())
            .map(|n| chars[..n].iter().collect())
            .collect();
        // A fixed linear congruential generator keeps the test deterministic.
        let mut seed: u64 = 0x5eed;
        let mut next = |bound: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % bound
        };
        for _ in 0..400 {
            let mut mutated = chars.clone();
            for _ in 0..=next(3) {
                let at = next(mutated.len());
                let c = alphabet[next(alphabet.len())];
                match next(3) {
                    0 => mutated[at] = c,
                    1 => mutated.insert(at, c),
                    _ => drop(mutated.remove(at)),
                }
            }
            variants.push(mutated.into_iter().collect());
        }
        for text in &variants {
            let (node, diags) = run(text);
            assert_eq!(node.is_some(), diags.items.is_empty(), "{text:?}");
            for d in &diags.items {
                assert!(d.loc.end as usize <= text.len(), "{text:?}: {d:?}");
            }
        }
    }
}
