//! The configuration tree: `config PATH` … `end` sections holding `edit NAME` … `next` entries of
//! `set KEY VALUE…` lines, each with its line, parsed before anything is read from it.

use super::ImportError;
use super::common::{self};

/// One statement of the configuration, with the line it starts on.
#[derive(Debug)]
pub(super) enum Item {
    Set {
        key: String,
        values: Vec<String>,
        line: usize,
    },
    Edit(Block),
    Config(Section),
    /// `unset KEY`: the key back to its default, which is how an absent key is read.
    Unset {
        key: String,
        line: usize,
    },
    /// `append`, and anything else: kept so nothing is dropped silently.
    Other {
        line: usize,
        excerpt: String,
    },
}

/// `config PATH` … `end`.
#[derive(Debug)]
pub(super) struct Section {
    pub(super) path: String,
    pub(super) line: usize,
    pub(super) items: Vec<Item>,
}

/// `edit NAME` … `next`.
#[derive(Debug)]
pub(super) struct Block {
    pub(super) name: String,
    pub(super) line: usize,
    pub(super) items: Vec<Item>,
}

impl Section {
    pub(super) fn edits(&self) -> impl Iterator<Item = &Block> {
        self.items.iter().filter_map(|i| match i {
            Item::Edit(b) => Some(b),
            _ => None,
        })
    }
}

impl Block {
    /// The values of `set KEY …` (the last one wins, as on the device; a later `unset KEY`
    /// takes it back to the default, which reads as absent).
    pub(super) fn get(&self, key: &str) -> Option<&[String]> {
        self.items.iter().rev().find_map(|i| match i {
            Item::Set { key: k, values, .. } if k == key => Some(Some(values.as_slice())),
            Item::Unset { key: k, .. } if k == key => Some(None),
            _ => None,
        })?
    }

    pub(super) fn get1(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(|v| v.first()).map(String::as_str)
    }

    pub(super) fn line_of(&self, key: &str) -> usize {
        self.items
            .iter()
            .rev()
            .find_map(|i| match i {
                Item::Set { key: k, line, .. } if k == key => Some(*line),
                _ => None,
            })
            .unwrap_or(self.line)
    }

    pub(super) fn enabled(&self, key: &str) -> bool {
        self.get1(key) == Some("enable")
    }
}

/// Splits the text into statements: words, with FortiOS quoting (`"…"` with backslash escapes,
/// possibly across lines, as certificates are), each with the line it starts on. Lines starting
/// with `#` are comments (the `#config-version=` header).
pub(super) fn statements(text: &str) -> Result<Vec<(usize, Vec<String>)>, ImportError> {
    let mut out = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<(char, usize)> = None;
    let mut line = 1;
    let mut start = 1;
    let mut comment = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if let Some((q, _)) = quote {
            match c {
                '\\' => {
                    if let Some(n) = chars.next() {
                        if n == '\n' {
                            line += 1;
                        }
                        word.push(n);
                    }
                }
                _ if c == q => quote = None,
                '\n' => {
                    line += 1;
                    word.push(c);
                }
                _ => word.push(c),
            }
            continue;
        }
        match c {
            '\n' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
                if !words.is_empty() {
                    out.push((start, std::mem::take(&mut words)));
                }
                comment = false;
                line += 1;
            }
            _ if comment => {}
            '#' if !in_word && words.is_empty() => comment = true,
            '"' | '\'' => {
                if words.is_empty() && !in_word {
                    start = line;
                }
                quote = Some((c, line));
                in_word = true;
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                if words.is_empty() && !in_word {
                    start = line;
                }
                word.push(c);
                in_word = true;
            }
        }
    }
    if let Some((_, opened)) = quote {
        return Err(ImportError::at_line(
            opened,
            "a quoted value is never closed (missing `\"`)",
        ));
    }
    if in_word {
        words.push(word);
    }
    if !words.is_empty() {
        out.push((start, words));
    }
    Ok(out)
}

/// Builds the `config`/`edit` tree. Unbalanced `end`/`next` are errors: the file is not a
/// backup this importer can trust.
pub(super) fn parse(text: &str) -> Result<Vec<Item>, ImportError> {
    enum Open {
        Section(Section),
        Block(Block),
    }
    let mut stack: Vec<Open> = Vec::new();
    let mut top: Vec<Item> = Vec::new();
    fn push(stack: &mut [Open], top: &mut Vec<Item>, item: Item) {
        match stack.last_mut() {
            Some(Open::Section(s)) => s.items.push(item),
            Some(Open::Block(b)) => b.items.push(item),
            None => top.push(item),
        }
    }
    for (line, words) in statements(text)? {
        let verb = words[0].as_str();
        match verb {
            "config" => {
                if words.len() < 2 {
                    return Err(ImportError::at_line(
                        line,
                        "`config` without a section name",
                    ));
                }
                stack.push(Open::Section(Section {
                    path: words[1..].join(" "),
                    line,
                    items: Vec::new(),
                }));
            }
            "edit" => {
                if !matches!(stack.last(), Some(Open::Section(_))) {
                    return Err(ImportError::at_line(
                        line,
                        "`edit` outside a `config` section",
                    ));
                }
                stack.push(Open::Block(Block {
                    name: words.get(1).cloned().unwrap_or_default(),
                    line,
                    items: Vec::new(),
                }));
            }
            "next" => match stack.pop() {
                Some(Open::Block(b)) => push(&mut stack, &mut top, Item::Edit(b)),
                _ => {
                    return Err(ImportError::at_line(
                        line,
                        "`next` without a matching `edit`",
                    ));
                }
            },
            "end" => {
                // FortiOS closes an open `edit` at `end` too; accept that.
                if let Some(Open::Block(_)) = stack.last()
                    && let Some(Open::Block(b)) = stack.pop()
                {
                    push(&mut stack, &mut top, Item::Edit(b));
                }
                match stack.pop() {
                    Some(Open::Section(s)) => push(&mut stack, &mut top, Item::Config(s)),
                    _ => {
                        return Err(ImportError::at_line(
                            line,
                            "`end` without a matching `config`",
                        ));
                    }
                }
            }
            "set" if words.len() >= 2 => push(
                &mut stack,
                &mut top,
                Item::Set {
                    key: words[1].clone(),
                    values: words[2..].to_vec(),
                    line,
                },
            ),
            "unset" if words.len() == 2 => push(
                &mut stack,
                &mut top,
                Item::Unset {
                    key: words[1].clone(),
                    line,
                },
            ),
            _ => {
                let excerpt = common::excerpt(&words.join(" "));
                push(&mut stack, &mut top, Item::Other { line, excerpt });
            }
        }
    }
    match stack.first() {
        Some(Open::Section(s)) => Err(ImportError::at_line(
            s.line,
            format!("`config {}` is never closed by `end`", s.path),
        )),
        Some(Open::Block(b)) => Err(ImportError::at_line(
            b.line,
            "`edit` is never closed by `next`",
        )),
        None => Ok(top),
    }
}
