//! TOML text → [`Node`] tree, keeping the location of every key and value.

use super::doc::{Entry, Node, Value};
use crate::diag::{Diagnostic, Diagnostics};
use crate::source::{FileId, Loc};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// Texts of at least twice this many bytes are parsed in pieces of about this size, on
/// several threads ([`parse_in_pieces`]).
const PIECE: usize = 1 << 20;

/// Parses a TOML document. Syntax errors (several, where the parser can recover, up to
/// `limits::MAX_SYNTAX_ERRORS`) go to `diags`; the tree is returned only when the text parsed
/// cleanly and every value could be converted.
pub fn parse<'t>(file: FileId, text: &'t str, diags: &mut Diagnostics) -> Option<Node<'t>> {
    if text.len() >= 2 * PIECE
        && let Some(node) = parse_in_pieces(file, text, PIECE)
    {
        return Some(node);
    }
    parse_whole(file, text, diags)
}

/// Parses a large document in pieces on several threads, or gives `None` and leaves it to a
/// whole parse (TOML parsing is one core's work, and half the loading time of a large design).
///
/// A piece starts at a line `[[KEY]]` (a top-level array of tables): what follows, up to the
/// next cut, belongs to that array's new table or to tables it opens, exactly as in the whole
/// document. The pieces' trees are joined by appending each array of tables to the one of the
/// same key. The answer must be the whole parse's tree, so anything that could differ gives
/// `None`: a piece with any error (a cut inside a multi-line string leaves the piece before it
/// unterminated, so it is never silently wrong), or a key that two pieces define other than by
/// `[[KEY]]` headers (a duplicate, or a table extended from another piece). Errors are always
/// reported by the whole parse, so their messages do not depend on the pieces.
pub(crate) fn parse_in_pieces<'t>(file: FileId, text: &'t str, piece: usize) -> Option<Node<'t>> {
    use rayon::prelude::*;
    let cuts = cuts(text, piece);
    if cuts.len() < 2 {
        return None;
    }
    let bounds: Vec<(usize, usize)> = cuts
        .iter()
        .zip(cuts.iter().skip(1).chain([&text.len()]))
        .map(|(&a, &b)| (a, b))
        .collect();
    let trees: Vec<Option<Node<'t>>> = bounds
        .par_iter()
        .map(|&(a, b)| {
            let mut found = Diagnostics::default();
            let mut node = parse_whole(file, &text[a..b], &mut found)?;
            if !found.items.is_empty() {
                return None;
            }
            super::shift(&mut node, a as u32);
            Some(node)
        })
        .collect();
    let trees: Vec<Node<'t>> = trees.into_iter().collect::<Option<_>>()?;
    join(text, trees)
}

/// Where the pieces start: 0, then the first `[[KEY]]` line at or after every `piece` bytes.
fn cuts(text: &str, piece: usize) -> Vec<usize> {
    let mut cuts = vec![0];
    let mut at = piece;
    while at < text.len() {
        let Some(found) = next_header(text, at) else {
            break;
        };
        cuts.push(found);
        at = found + piece;
    }
    cuts
}

/// The start of the first line at or after `from` that is a top-level `[[KEY]]` header (a
/// bare key without dots).
fn next_header(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = from;
    loop {
        // Bytes, not `str`: `from` need not fall on a character's boundary.
        let line = at + bytes.get(at..)?.windows(3).position(|w| w == b"\n[[")? + 1;
        let rest = &bytes[line + 2..];
        let key = rest
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_' || **b == b'-')
            .count();
        if key > 0 && rest[key..].starts_with(b"]]") {
            return Some(line);
        }
        at = line;
    }
}

/// The blocks of the tables `[[key]]` lines add to array `key`: from each such line to the
/// next `[[KEY]]` line of any key, or the end of the text. A line that only looks like one (in
/// a multi-line string) is found too: a caller checks the blocks against the parsed document.
pub(crate) fn header_blocks(text: &str, key: &str) -> Vec<(u32, u32)> {
    let bytes = text.as_bytes();
    let start = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
    let mut headers: Vec<(usize, bool)> = Vec::new();
    let header_of = |line: usize| -> Option<bool> {
        let rest = bytes.get(line..)?.strip_prefix(b"[[")?;
        let len = rest
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_' || **b == b'-')
            .count();
        (len > 0 && rest[len..].starts_with(b"]]")).then(|| &rest[..len] == key.as_bytes())
    };
    if let Some(is_key) = header_of(start) {
        headers.push((start, is_key));
    }
    let mut at = start;
    while let Some(line) = next_header(text, at) {
        headers.push((line, header_of(line) == Some(true)));
        at = line;
    }
    headers
        .iter()
        .enumerate()
        .filter(|(_, (_, is_key))| *is_key)
        .map(|(i, &(line, _))| {
            let end = headers.get(i + 1).map_or(text.len(), |h| h.0);
            (line as u32, end as u32)
        })
        .collect()
}

/// The table one block of [`header_blocks`] adds to array `key` (`text[from..to]`), parsed on
/// its own with locations in the whole text, when it parses cleanly and adds nothing else:
/// then it is the whole document's table there, as for the pieces of [`parse_in_pieces`] (a
/// block starts at a header and ends where the next one starts, and what it defines hangs
/// below its own `[[key]]` line). Whether anything outside the block adds to that table (a
/// `[key.sub]` line further on) is for the caller to rule out.
pub(crate) fn parse_block<'t>(
    file: FileId,
    text: &'t str,
    from: usize,
    to: usize,
    key: &str,
) -> Option<Node<'t>> {
    let mut found = Diagnostics::default();
    let mut node = parse_whole(file, text.get(from..to)?, &mut found)?;
    if !found.items.is_empty() {
        return None;
    }
    super::shift(&mut node, from as u32);
    let Value::Table(entries) = node.value else {
        return None;
    };
    let [entry] = <[Entry<'t>; 1]>::try_from(entries).ok()?;
    if entry.key != key || !written_by_headers(text, &entry) {
        return None;
    }
    let Value::Array(items) = entry.value.value else {
        return None;
    };
    let [table] = <[Node<'t>; 1]>::try_from(items).ok()?;
    Some(table)
}

/// Whether a key's value was made by `[[KEY]]` headers (its key is written inside one).
fn written_by_headers(text: &str, e: &Entry<'_>) -> bool {
    let start = e.key_loc.start as usize;
    text[..start].ends_with("[[") && text[e.key_loc.end as usize..].starts_with("]]")
}

/// The pieces' root tables as one, or `None` when they do not join as the whole would.
fn join<'t>(text: &str, trees: Vec<Node<'t>>) -> Option<Node<'t>> {
    // The root's place is what the parser gives the first piece, which starts the text.
    let root = trees.first()?.loc;
    let mut entries: Vec<Entry<'t>> = Vec::new();
    let mut index: std::collections::HashMap<std::borrow::Cow<'t, str>, usize> =
        std::collections::HashMap::new();
    let by_headers = |e: &Entry<'_>| written_by_headers(text, e);
    for tree in trees {
        let Value::Table(found) = tree.value else {
            return None;
        };
        for e in found {
            match index.get(&e.key) {
                None => {
                    index.insert(e.key.clone(), entries.len());
                    entries.push(e);
                }
                Some(&k) => {
                    let kept = &mut entries[k];
                    if !by_headers(kept) || !by_headers(&e) {
                        return None;
                    }
                    let (Value::Array(items), Value::Array(more)) =
                        (&mut kept.value.value, e.value.value)
                    else {
                        return None;
                    };
                    // The array keeps its place: the first header, as the parser gives it.
                    items.extend(more);
                }
            }
        }
    }
    entries.sort_by_key(|e| e.key_loc.start);
    Some(Node {
        value: Value::Table(entries),
        loc: root,
    })
}

/// Parses a document (or a piece of one) with one parser.
fn parse_whole<'t>(file: FileId, text: &'t str, diags: &mut Diagnostics) -> Option<Node<'t>> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceMap;

    /// The whole parse's tree, and the pieces' (small pieces, so that a small text is cut).
    fn both(text: &str, piece: usize) -> (Option<Node<'_>>, Option<Node<'_>>) {
        let mut sources = SourceMap::default();
        let file = sources.add("t.toml", "");
        let mut diags = Diagnostics::default();
        (
            parse_whole(file, text, &mut diags),
            parse_in_pieces(file, text, piece),
        )
    }

    #[test]
    fn header_blocks_run_from_a_key_line_to_the_next_array_line_of_any_key() {
        let text = "\u{FEFF}[[fw]]\nid = 1\n[[fw.rule]]\nx = 1\n[meta]\n[[host]]\n[[fw]]\ns = '''\n[[fw]]\n'''\n";
        let at = |s: &str| text.find(s).unwrap() as u32;
        let host = at("[[host]]");
        let second = text.rfind("[[fw]]\ns").unwrap() as u32;
        let in_string = text.rfind("[[fw]]\n'''").unwrap() as u32;
        // `[[fw.rule]]` and `[meta]` do not end a block; a line in a multi-line string looks
        // like a header (the reload checks each block against the whole parse).
        assert_eq!(
            header_blocks(text, "fw"),
            vec![
                (3, host),
                (second, in_string),
                (in_string, text.len() as u32)
            ]
        );
        assert_eq!(header_blocks(text, "host"), vec![(host, second)]);
        assert!(header_blocks(text, "meta").is_empty());
    }

    #[test]
    fn a_block_is_parsed_only_when_it_adds_one_table_to_its_array() {
        let mut sources = SourceMap::default();
        let file = sources.add("t.toml", "");
        let text = "[[fw]]\nid = 1\n[[fw.rule]]\nx = 2\n[[fw]]\nid = 3\n[t]\ny = 4\n[[fw]]\nid = 5\n[[fw]]\n[[fw]]\n";
        let blocks = header_blocks(text, "fw");
        assert_eq!(blocks.len(), 5);
        let block = |k: usize| {
            let (from, to) = blocks[k];
            parse_block(file, text, from as usize, to as usize, "fw")
        };
        let first = block(0).expect("one table with its rules");
        // Locations are in the whole text.
        let Value::Table(entries) = &first.value else {
            panic!("a table")
        };
        assert_eq!(entries[0].key, "id");
        assert_eq!(
            entries[0].key_loc.start as usize,
            text.find("id = 1").unwrap()
        );
        // A block that opens another table is refused, as is a key of another array.
        assert!(block(1).is_none());
        assert!(block(2).is_some());
        assert!(parse_block(file, text, 0, text.len(), "fw").is_none());
        assert!(
            parse_block(
                file,
                text,
                blocks[0].0 as usize,
                blocks[0].1 as usize,
                "host"
            )
            .is_none()
        );
    }

    #[test]
    fn pieces_give_the_whole_parse_tree_on_generated_designs_and_samples() {
        let mut texts: Vec<String> = [1, 2]
            .iter()
            .map(|&seed| {
                let topo = crate::generate::generate(crate::generate::Size::S, seed);
                crate::report::topology::to_toml(&topo)
            })
            .collect();
        for sample in ["alpha-city", "alpha-prime-city", "beta-town", "jps-2015"] {
            let path = format!("{}/topologies/{sample}.toml", env!("CARGO_MANIFEST_DIR"));
            texts.push(std::fs::read_to_string(path).unwrap());
        }
        for text in &texts {
            for piece in [512, 4096, 65536] {
                let (whole, pieces) = both(text, piece);
                let whole = whole.expect("the text parses");
                if text.len() > 4 * piece {
                    assert!(
                        pieces.is_some(),
                        "a design of {} bytes was not cut",
                        text.len()
                    );
                }
                if let Some(pieces) = pieces {
                    assert!(
                        pieces == whole,
                        "pieces of {piece} bytes differ from the whole"
                    );
                }
            }
        }
    }

    #[test]
    fn pieces_give_way_where_the_whole_would_differ() {
        // A cut inside a multi-line string, a table extended from another piece, a key
        // defined twice, and a static array continued by headers: the whole parse decides.
        // Keys of their own, so that the only errors are the ones each case is about.
        let body: String = (0..40).map(|i| format!("k{i} = {i}\n")).collect();
        for text in [
            format!("[[a]]\n{body}s = \"\"\"\n[[a]]\n{body}\"\"\"\n[[a]]\n{body}"),
            format!("[[a]]\n{body}[[b]]\n{body}[a.c]\ny = 2\n[[b]]\n{body}"),
            format!("[[a]]\n{body}[t]\ny = 1\n[[a]]\n{body}[t]\ny = 1\n"),
            format!("a = [{{ x = 1 }}]\n{body}[[b]]\n{body}[[a]]\n{body}"),
        ] {
            let (whole, pieces) = both(&text, 64);
            assert!(pieces.is_none() || pieces == whole, "{text}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1000))]
        /// Random documents from fragments that make pieces go wrong in every way we know (a
        /// cut in a multi-line string, tables reopened across pieces, static arrays, dotted
        /// and quoted keys, headers in comments): the pieces give the whole parse's tree or
        /// nothing, and nothing whenever the whole parse finds an error.
        #[test]
        fn pieces_never_differ_from_the_whole(
            root in 0usize..ROOTS.len(),
            parts in proptest::collection::vec(0usize..FRAGMENTS.len(), 1..12),
            piece in 8usize..80,
        ) {
            // `@` becomes the fragment's position, so that keys are their own unless a
            // fragment means to repeat one.
            let text: String = std::iter::once(ROOTS[root].to_string())
                .chain(
                    parts
                        .iter()
                        .enumerate()
                        .map(|(n, &i)| FRAGMENTS[i].replace('@', &n.to_string())),
                )
                .collect();
            let (whole, pieces) = both(&text, piece);
            match (whole, pieces) {
                (_, None) => {}
                (Some(w), Some(p)) => proptest::prop_assert!(w == p, "{text}"),
                (None, Some(_)) => proptest::prop_assert!(false, "pieces read a text the whole refuses: {text}"),
            }
        }
    }

    /// What a document may start with, before any header: root keys, among them a static
    /// array that a later `[[a]]` may not extend.
    const ROOTS: [&str; 3] = ["", "a = [{ x = 1 }]\n", "format = 1\n"];

    const FRAGMENTS: [&str; 16] = [
        "[[a]]\n",
        "[[b]]\n",
        "[a.c]\n",
        "[[a.d]]\n",
        "[t]\n",
        "x@ = 1\n",
        "y@ = \"s\"\n",
        "s@ = \"\"\"\n",
        "\"\"\"\n",
        "a = [{ x = 1 }]\n",
        "[[ a ]]\n",
        "z.w@ = 2\n",
        "# [[a]]\n",
        "k@ = \'\'\'\n[[a]]\n\'\'\'\n",
        "[[\"a\"]]\n",
        "n@ = 99999999999999999999\n",
    ];
}
