//! Source files and locations.
//!
//! Every entity of the model remembers where it was written as a [`Loc`]: a file id and a byte
//! range. The [`SourceMap`] owns the texts, so locations can be turned into `file:line:column`
//! (columns counted in characters, so a Japanese name points at the right place) and rendered
//! with a caret by the diagnostics printer.

mod moves;
pub use moves::Moves;
pub(crate) use moves::edited_span;

use std::ops::Range;
use std::sync::OnceLock;

/// Index of a file in a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(pub u32);

/// A place in an input file: a byte range in one file.
///
/// Two locations are equal when they name the same bytes, except inside [`ignoring_locs`],
/// where every two are equal (see there).
#[derive(Clone, Copy, Debug, Eq, PartialOrd, Ord, Default)]
pub struct Loc {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

thread_local! {
    /// Set while [`ignoring_locs`] runs on this thread.
    static IGNORE_LOCS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

impl PartialEq for Loc {
    fn eq(&self, other: &Loc) -> bool {
        IGNORE_LOCS.with(std::cell::Cell::get)
            || (self.file, self.start, self.end) == (other.file, other.start, other.end)
    }
}

impl std::hash::Hash for Loc {
    // Written out because `PartialEq` is: the same fields, so equal locations (outside
    // `ignoring_locs`, where nothing hashes) hash alike.
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (self.file, self.start, self.end).hash(state);
    }
}

/// Runs `f` with every two [`Loc`]s comparing equal, so the model's derived `==` tells whether
/// two versions of an entity say the same thing wherever they are written. Editing one rule
/// moves every entity after it in its file; `check --watch` must still see that the others
/// did not change (`session`), and a hand-written comparison of every model type beside the
/// derived one would drift from it as fields are added.
pub fn ignoring_locs<T>(f: impl FnOnce() -> T) -> T {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            IGNORE_LOCS.with(|c| c.set(self.0));
        }
    }
    let _restore = Restore(IGNORE_LOCS.with(|c| c.replace(true)));
    f()
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
    /// (or ahead of it by [`SourceMap::index_files`]), so that a large file's index can be built
    /// on another core while the file is parsed.
    /// 32-bit like every offset of a [`Loc`]: a pretty-printed file of hundreds of megabytes
    /// has tens of millions of lines.
    line_starts: OnceLock<Vec<u32>>,
    /// Characters before each block of [`COLUMN_BLOCK`] bytes, built on the first column asked
    /// for far from its line's start (see [`SourceFile::line_col`]).
    char_marks: OnceLock<Vec<u32>>,
    /// The text's SHA-256 in hex, as the outputs name their inputs; like the line index,
    /// computed on first use or ahead of it on a spare core.
    sha256: OnceLock<String>,
}

/// Block size of the character counts that columns on long lines are computed from: a column
/// costs at most two scans of this many bytes, however long the line.
const COLUMN_BLOCK: usize = 256;

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> SourceFile {
        SourceFile {
            name: name.into(),
            text: text.into(),
            line_starts: OnceLock::new(),
            char_marks: OnceLock::new(),
            sha256: OnceLock::new(),
        }
    }

    /// This file after an edit: bytes `start..old_end` of its text became `start..new_end` of
    /// `text`. A line index already built is carried over (the lines before the edit stay,
    /// those after it move by the edit's change in length), so a re-read design does not scan
    /// its tens of megabytes for line breaks again.
    pub fn edited(&self, text: String, (start, old_end, new_end): (u32, u32, u32)) -> SourceFile {
        let line_starts = OnceLock::new();
        if let Some(old) = self.line_starts.get() {
            // A line starts after a line break; a break inside the edit is gone or new.
            let kept = old.partition_point(|&s| s <= start);
            let after = old.partition_point(|&s| s <= old_end);
            let mut starts = Vec::with_capacity(old.len() + 16);
            starts.extend_from_slice(&old[..kept]);
            let edited = &text.as_bytes()[start as usize..new_end as usize];
            starts.extend(
                edited
                    .iter()
                    .enumerate()
                    .filter(|&(_, &b)| b == b'\n')
                    .map(|(i, _)| start + i as u32 + 1),
            );
            starts.extend(old[after..].iter().map(|&s| s - old_end + new_end));
            let _ = line_starts.set(starts);
        }
        SourceFile {
            name: self.name.clone(),
            text,
            line_starts,
            char_marks: OnceLock::new(),
            sha256: OnceLock::new(),
        }
    }

    /// The SHA-256 of the text, in lower-case hex.
    pub fn sha256(&self) -> &str {
        self.sha256.get_or_init(|| sha256_hex(self.text.as_bytes()))
    }

    fn line_starts(&self) -> &[u32] {
        self.line_starts.get_or_init(|| line_starts(&self.text))
    }

    /// Byte range of a zero-based line, including its line break.
    pub fn line_range(&self, line: usize) -> Option<std::ops::Range<usize>> {
        let starts = self.line_starts();
        let start = *starts.get(line)? as usize;
        let end = starts
            .get(line + 1)
            .map_or(self.text.len(), |&s| s as usize);
        Some(start..end)
    }

    /// Number of lines.
    pub fn line_count(&self) -> usize {
        self.line_starts().len()
    }

    /// Zero-based line of a byte offset (clamped to the text), by binary search.
    pub fn line_index(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        match self.line_starts().binary_search(&(offset as u32)) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// One-based line and column (in characters) of a byte offset.
    ///
    /// The column costs O(1) on any line, also a JSON document written on one line of tens of
    /// megabytes: the characters from the line's start are counted directly when it is near,
    /// else taken from per-block counts built once for the file.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_index(offset);
        let start = self.line_starts()[line] as usize;
        (line + 1, self.chars(start..offset) + 1)
    }

    /// Number of characters that start in a byte range (its start on a character boundary). An
    /// end inside a multi-byte character, as a parser may report one, counts that character.
    pub fn chars(&self, range: Range<usize>) -> usize {
        // Clamped like `line_col`, so no range panics.
        let end = range.end.min(self.text.len());
        let start = range.start.min(end);
        let bytes = &self.text.as_bytes()[..end];
        if end - start <= 2 * COLUMN_BLOCK {
            return char_starts(&bytes[start..]);
        }
        let marks = self.char_marks.get_or_init(|| char_marks(&self.text));
        let before = |at: usize| {
            let block = at / COLUMN_BLOCK;
            marks[block] as usize + char_starts(&bytes[block * COLUMN_BLOCK..at])
        };
        before(end) - before(start)
    }
}

/// Number of bytes that start a character (every byte but UTF-8 continuation bytes).
fn char_starts(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

/// Characters before each block of [`COLUMN_BLOCK`] bytes: entry `k` counts `0..k * COLUMN_BLOCK`.
/// Counts fit in 32 bits because offsets do ([`Loc`]).
fn char_marks(text: &str) -> Vec<u32> {
    let mut marks = Vec::with_capacity(text.len() / COLUMN_BLOCK + 1);
    let mut count = 0u32;
    marks.push(0);
    for block in text.as_bytes().chunks(COLUMN_BLOCK) {
        count += char_starts(block) as u32;
        marks.push(count);
    }
    marks
}

/// Byte offset of the start of each line.
///
/// Inputs reach tens of megabytes of short lines (pretty-printed JSON), so this works on blocks
/// of 64 bytes: a branch-free comparison the compiler turns into vector instructions gives a bit
/// mask of the line breaks in the block, and only the set bits are visited. `'\n'` is ASCII, so
/// it is never part of a multi-byte character.
fn line_starts(text: &str) -> Vec<u32> {
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
            starts.push((n * BLOCK + mask.trailing_zeros() as usize + 1) as u32);
            mask &= mask - 1;
        }
    }
    let tail_start = bytes.len() - tail.len();
    starts.extend(
        tail.iter()
            .enumerate()
            .filter(|&(_, &b)| b == b'\n')
            .map(|(i, _)| (tail_start + i + 1) as u32),
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

    /// Builds the line index and the hash of every file now rather than on first use, for a
    /// caller that has a core to spare for them.
    pub fn index_files(&self) {
        for f in &self.files {
            f.line_starts();
            f.sha256();
        }
    }

    /// The files, to be put back (some of them changed) with [`SourceMap::push`].
    pub fn into_files(self) -> Vec<SourceFile> {
        self.files
    }

    /// Adds a file as it is (its line index and hash with it).
    pub fn push(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
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

/// The SHA-256 of some bytes, in lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
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
            let expected: Vec<u32> = std::iter::once(0)
                .chain(t.match_indices('\n').map(|(i, _)| i as u32 + 1))
                .collect();
            assert_eq!(line_starts(t), expected, "{len}");
        }
    }

    #[test]
    fn columns_on_a_long_line_match_a_plain_count() {
        // One long line (as compact JSON is written) with multi-byte characters across block
        // edges, then a short one: every offset, also inside a character, against a plain count.
        let mut text = String::new();
        for n in 0..400 {
            text.push_str(if n % 3 == 0 {
                "\"住民\":"
            } else {
                "{\"id\":1},"
            });
        }
        text.push_str("\nend");
        let f = SourceFile::new("a.json", text.as_str());
        for offset in 0..=text.len() {
            let before = &text.as_bytes()[..offset];
            let line_start = before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            let column = before[line_start..]
                .iter()
                .filter(|&&b| !(0x80..0xC0).contains(&b))
                .count();
            let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
            assert_eq!(f.line_col(offset), (line, column + 1), "{offset}");
        }
    }

    #[test]
    fn an_edited_file_carries_its_line_index_over() {
        let old = "a\nbb\nccc\ndddd\ne";
        for new in [
            "a\nbb\nXY\nZ\ndddd\ne",
            "a\nbb\ndddd\ne",
            "a\nb\nb\nccc\ndddd\ne",
            "\na\nbb\nccc\ndddd\ne",
            "a\nbb\nccc\ndddd\ne\n",
            "a\nbb\ncc\n\nc\ndddd\ne",
        ] {
            let span = moves::edited_span(old.as_bytes(), new.as_bytes()).unwrap();
            let file = SourceFile::new("a.json", old);
            file.line_count();
            let edited = file.edited(new.to_string(), span);
            assert_eq!(edited.line_starts(), line_starts(new), "{new:?}");
        }
    }

    #[test]
    fn offset_past_the_end_is_clamped() {
        let f = SourceFile::new("a.toml", "ab");
        assert_eq!(f.line_col(99), (1, 3));
    }
}
