//! Source files and locations.
//!
//! Every entity of the model remembers where it was written as a [`Loc`]: a file id and a byte
//! range. The [`SourceMap`] owns the texts, so locations can be turned into `file:line:column`
//! (columns counted in characters, so a Japanese name points at the right place) and rendered
//! with a caret by the diagnostics printer.

use std::ops::Range;
use std::sync::OnceLock;

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
    /// Byte offset of the start of each line, for line/column look-ups. Computed on first use
    /// (or ahead of it by [`SourceMap::index_lines`]), so that a large file's index can be built
    /// on another core while the file is parsed.
    line_starts: OnceLock<Vec<usize>>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> SourceFile {
        SourceFile {
            name: name.into(),
            text: text.into(),
            line_starts: OnceLock::new(),
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| line_starts(&self.text))
    }

    /// Byte range of a zero-based line, including its line break.
    pub fn line_range(&self, line: usize) -> Option<std::ops::Range<usize>> {
        let starts = self.line_starts();
        let start = *starts.get(line)?;
        let end = starts.get(line + 1).copied().unwrap_or(self.text.len());
        Some(start..end)
    }

    /// Number of lines.
    pub fn line_count(&self) -> usize {
        self.line_starts().len()
    }

    /// One-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let starts = self.line_starts();
        let line = match starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = starts[line];
        // The offset may fall inside a multi-byte character when a parser reports one; count
        // the characters that start before it.
        let column = self.text[start..]
            .char_indices()
            .take_while(|(i, _)| start + i < offset)
            .count();
        (line + 1, column + 1)
    }
}

/// Byte offset of the start of each line.
///
/// Inputs reach tens of megabytes of short lines (pretty-printed JSON), so this works on blocks
/// of 64 bytes: a branch-free comparison the compiler turns into vector instructions gives a bit
/// mask of the line breaks in the block, and only the set bits are visited. `'\n'` is ASCII, so
/// it is never part of a multi-byte character.
fn line_starts(text: &str) -> Vec<usize> {
    const BLOCK: usize = 64;
    let bytes = text.as_bytes();
    let mut starts = Vec::with_capacity(bytes.len() / 32 + 1);
    starts.push(0);
    let blocks = bytes.chunks_exact(BLOCK);
    let tail = blocks.remainder();
    for (n, block) in blocks.enumerate() {
        let mut mask = block
            .iter()
            .enumerate()
            .fold(0u64, |m, (i, &b)| m | (u64::from(b == b'\n') << i));
        while mask != 0 {
            starts.push(n * BLOCK + mask.trailing_zeros() as usize + 1);
            mask &= mask - 1;
        }
    }
    let tail_start = bytes.len() - tail.len();
    starts.extend(
        tail.iter()
            .enumerate()
            .filter(|&(_, &b)| b == b'\n')
            .map(|(i, _)| tail_start + i + 1),
    );
    starts
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

    /// Builds the line index of every file now rather than on first use, for a caller that has a
    /// core to spare for it.
    pub fn index_lines(&self) {
        for f in &self.files {
            f.line_starts();
        }
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
    fn line_starts_match_a_plain_search() {
        // Line breaks at block edges, in the tail, and next to multi-byte characters.
        let mut text = String::new();
        for n in 0..300 {
            text.push_str(&"x".repeat(n % 70));
            text.push(if n % 7 == 0 { '住' } else { 'a' });
            text.push('\n');
        }
        for len in 0..text.len() {
            let Some(t) = text.get(..len) else { continue };
            let expected: Vec<usize> = std::iter::once(0)
                .chain(t.match_indices('\n').map(|(i, _)| i + 1))
                .collect();
            assert_eq!(line_starts(t), expected, "{len}");
        }
    }

    #[test]
    fn offset_past_the_end_is_clamped() {
        let f = SourceFile::new("a.toml", "ab");
        assert_eq!(f.line_col(99), (1, 3));
    }
}
