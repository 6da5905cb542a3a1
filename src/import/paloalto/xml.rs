//! The XML of a PAN-OS configuration as a small tree of elements, each with the line and column
//! of its `<`, so every imported rule and every warning can point at the configuration line.
//!
//! quick-xml does the parsing (it checks that end tags match their start tags and reports the
//! byte where a document stops being XML); this module only keeps what the importer reads:
//! element names, attributes, text, children and places. Entities are resolved (`&amp;`,
//! `&#38;`), comments, processing instructions and the declaration are dropped.

use crate::import::ImportError;
use quick_xml::events::Event;
use quick_xml::reader::Reader;

/// How deep elements may nest. PAN-OS configurations stay under 20 levels; a deeper document
/// is refused before its tree could exhaust the stack.
pub const MAX_DEPTH: usize = 128;

/// One element: `<entry name="web">…</entry>`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    /// The element's own text, trimmed (`<port>80,443</port>` → `80,443`).
    pub text: String,
    /// 1-based line and column (in characters) of the element's `<`.
    pub line: usize,
    pub col: usize,
    pub children: Vec<Element>,
}

impl Element {
    pub fn attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The `name` attribute of an `<entry>` (empty when it has none).
    pub fn entry_name(&self) -> &str {
        self.attr("name").unwrap_or("")
    }

    /// The first child of that name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child of that name, in document order.
    pub fn children_named<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s Element> {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The element at a path of child names (`["network", "interface"]`).
    pub fn at(&self, path: &[&str]) -> Option<&Element> {
        path.iter().try_fold(self, |e, name| e.child(name))
    }

    /// The `<entry>` children of the element at `path` (none when it is absent).
    pub fn entries<'s>(&'s self, path: &[&str]) -> Vec<&'s Element> {
        self.at(path)
            .map(|e| e.children_named("entry").collect())
            .unwrap_or_default()
    }

    /// The `<entry name=…>` child of the element at `path` with that name.
    pub fn entry<'s>(&'s self, path: &[&str], name: &str) -> Option<&'s Element> {
        self.entries(path)
            .into_iter()
            .find(|e| e.entry_name() == name)
    }

    /// The text of the child `name` (`<action>allow</action>` → `allow`).
    pub fn text_of(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.as_str())
    }

    /// Whether the child `name` says `yes`.
    pub fn yes(&self, name: &str) -> bool {
        self.text_of(name) == Some("yes")
    }

    /// The `<member>` children of the child `name` (`<source><member>any</member></source>`),
    /// with their lines; `None` when the child is absent.
    pub fn members(&self, name: &str) -> Option<Vec<(&str, usize)>> {
        self.child(name).map(Element::own_members)
    }

    /// This element's `<member>` children with their lines.
    pub fn own_members(&self) -> Vec<(&str, usize)> {
        self.children_named("member")
            .map(|m| (m.text.as_str(), m.line))
            .collect()
    }

    /// Every element of the tree with that name, depth first.
    pub fn find_all<'s>(&'s self, name: &str, out: &mut Vec<&'s Element>) {
        for c in &self.children {
            if c.name == name {
                out.push(c);
            }
            c.find_all(name, out);
        }
    }
}

/// Line starts of a text, to turn byte offsets into lines and columns.
struct Lines<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Lines<'t> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { text, starts }
    }

    /// 1-based line and column (in characters) of a byte offset.
    fn place(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|s| *s <= offset).max(1);
        let start = self.starts[line - 1];
        let mut end = offset;
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let col = self.text[start..end].chars().count() + 1;
        (line, col)
    }
}

/// Parses a whole document; its root element (the first one, after any declaration).
pub fn parse(text: &str) -> Result<Element, ImportError> {
    let lines = Lines::new(text);
    let error = |offset: usize, message: String| {
        let (line, column) = lines.place(offset);
        ImportError {
            line,
            column,
            message,
        }
    };
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| {
            error(
                reader.error_position() as usize,
                format!("not well-formed XML: {e}"),
            )
        })?;
        let after = reader.buffer_position() as usize;
        // The element's `<` is the last one before the end of its tag: attribute values cannot
        // hold a raw `<`.
        let tag_start = || text[..after.min(text.len())].rfind('<').unwrap_or(before);
        match event {
            Event::Start(e) | Event::Empty(e) if root.is_some() && stack.is_empty() => {
                let _ = e;
                return Err(error(
                    tag_start(),
                    "a second top-level element: a configuration has one root element".into(),
                ));
            }
            Event::Start(ref e) | Event::Empty(ref e) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(error(
                        tag_start(),
                        format!("elements nested deeper than {MAX_DEPTH} levels"),
                    ));
                }
                let (line, col) = lines.place(tag_start());
                let mut attrs = Vec::new();
                for a in e.attributes() {
                    let a = a.map_err(|x| error(tag_start(), format!("bad attribute: {x}")))?;
                    let value = a
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map_err(|x| error(tag_start(), format!("bad attribute value: {x}")))?;
                    attrs.push((a.key.as_ref().to_string(), value.into_owned()));
                }
                let element = Element {
                    name: e.name().as_ref().to_string(),
                    attrs,
                    line,
                    col,
                    ..Element::default()
                };
                if matches!(event, Event::Start(_)) {
                    stack.push(element);
                } else {
                    close(element, &mut stack, &mut root);
                }
            }
            Event::End(_) => {
                // quick-xml has checked that the name matches the open element.
                if let Some(mut element) = stack.pop() {
                    element.text = element.text.trim().to_string();
                    close(element, &mut stack, &mut root);
                }
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t.xml10_content());
                } else if !t.xml10_content().trim().is_empty() {
                    return Err(error(
                        before + (t.len() - t.trim_ascii_start().len()),
                        "text outside the root element: this is not an XML configuration".into(),
                    ));
                }
            }
            Event::CData(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                let resolved = if r.is_char_ref() {
                    r.resolve_char_ref().ok().flatten().map(String::from)
                } else {
                    quick_xml::escape::resolve_predefined_entity(&r).map(str::to_string)
                };
                let Some(top) = stack.last_mut() else {
                    return Err(error(
                        before,
                        "text outside the root element: this is not an XML configuration".into(),
                    ));
                };
                match resolved {
                    Some(s) => top.text.push_str(&s),
                    None => {
                        top.text.push('&');
                        top.text.push_str(&r);
                        top.text.push(';');
                    }
                }
            }
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
            Event::Eof => break,
        }
    }
    if let Some(open) = stack.first() {
        let innermost = stack.last().unwrap_or(open);
        return Err(ImportError {
            line: innermost.line,
            column: innermost.col,
            message: format!(
                "the file ends before `<{}>` is closed (a truncated configuration?)",
                shown_name(&innermost.name)
            ),
        });
    }
    root.ok_or_else(|| ImportError::at_line(1, "no XML element found"))
}

/// Attaches a finished element to its parent, or makes it the root.
fn close(element: Element, stack: &mut [Element], root: &mut Option<Element>) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(element),
        None => *root = Some(element),
    }
}

/// An element name as messages show it (cut when long or odd).
pub fn shown_name(name: &str) -> &str {
    crate::import::cisco_ios::shown(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_keep_their_places_text_and_attributes() {
        let text = "<?xml version=\"1.0\"?>\n<config version=\"10.1\">\n  <a name=\"x&amp;y\">\n    <b>1&#44;2 &lt;3</b>\n    <c/>\n  </a>\n</config>\n";
        let root = parse(text).unwrap();
        assert_eq!(root.name, "config");
        assert_eq!((root.line, root.col), (2, 1));
        let a = root.child("a").unwrap();
        assert_eq!(a.attr("name"), Some("x&y"));
        assert_eq!((a.line, a.col), (3, 3));
        assert_eq!(a.text_of("b"), Some("1,2 <3"));
        assert_eq!(a.child("c").unwrap().line, 5);
    }

    #[test]
    fn broken_documents_are_located() {
        let e = parse("<config>\n  <a>\n  </b>\n</config>\n").unwrap_err();
        assert_eq!(e.line, 3, "{e:?}");
        let e = parse("<config>\n  <a>\n    <b>x</b>\n").unwrap_err();
        assert_eq!(e.line, 2, "{e:?}");
        assert!(e.message.contains("`<a>`"), "{e:?}");
        let e = parse("set deviceconfig system hostname fw1\n").unwrap_err();
        assert_eq!(e.line, 1);
        let deep = "<a>".repeat(MAX_DEPTH + 1);
        assert!(parse(&deep).unwrap_err().message.contains("nested deeper"));
        assert!(parse("").is_err());
    }
}
