//! Source files and locations.
//!
//! Every entity of the model remembers where it was written as a [`Loc`]: a file id and a byte
//! range. The [`SourceMap`] owns the texts, so locations can be turned into `file:line:column`
//! (columns counted in characters, so a Japanese name points at the right place) and rendered
//! with a caret by the diagnostics printer.

use std::ops::Range;

/// Index of a file in a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(pub u32);

/// A place in an input file: a byte range in one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Loc {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Loc {
    pub fn new(file: FileId, span: Range<usize>) -> Loc {
        Loc {
            file,
            start: span.start as u32,
            end: span.end.max(span.start) as u32,
        }
    }

    pub fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// One input file: its name as the user gave it, and its text.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
    /// Byte offset of the start of each line, for line/column look-ups.
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> SourceFile {
        let text = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            name: name.into(),
            text,
            line_starts,
        }
    }

    /// Byte range of a zero-based line, including its line break.
    pub fn line_range(&self, line: usize) -> Option<std::ops::Range<usize>> {
        let start = *self.line_starts.get(line)?;
        let end = self
            .line_starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.text.len());
        Some(start..end)
    }

    /// Number of lines.
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// One-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        // The offset may fall inside a multi-byte character when a parser reports one; count
        // the characters that start before it.
        let column = self.text[start..]
            .char_indices()
            .take_while(|(i, _)| start + i < offset)
            .count();
        (line + 1, column + 1)
    }
}

/// All input files of one run.
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

/// A location resolved to what a user reads: file name, line and column (both one-based).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

impl std::fmt::Display for Position {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

impl SourceMap {
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> FileId {
        self.files.push(SourceFile::new(name, text));
        FileId(self.files.len() as u32 - 1)
    }

    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    pub fn position(&self, loc: Loc) -> Position {
        let file = self.file(loc.file);
        let (line, column) = file.line_col(loc.start as usize);
        Position {
            file: file.name.clone(),
            line,
            column,
        }
    }

    /// The text a location covers.
    pub fn snippet(&self, loc: Loc) -> &str {
        let text = &self.file(loc.file).text;
        text.get(loc.range()).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let f = SourceFile::new("a.toml", "name = \"住民\"\nid = 1\n");
        // `住民` starts at byte 8; the closing quote is at byte 14 (two 3-byte characters).
        assert_eq!(f.line_col(8), (1, 9));
        assert_eq!(f.line_col(14), (1, 11));
        assert_eq!(f.line_col(16), (2, 1));
        assert_eq!(f.line_col(21), (2, 6));
    }

    #[test]
    fn offset_past_the_end_is_clamped() {
        let f = SourceFile::new("a.toml", "ab");
        assert_eq!(f.line_col(99), (1, 3));
    }
}
