//! Long source lines cut to a readable window for a diagnostic's snippet.
//!
//! Why: many programs write JSON compactly, so a whole topology can be one line of tens of
//! megabytes. codespan-reporting prints every line a label touches in full, which made one
//! warning print the whole design to the terminal. Here a line longer than [`MAX_LINE_CHARS`] is
//! shown as a window of [`WIDTH`] characters around the first place a label marks on it. The
//! `file:line:column` in the header stays exact (it is computed from the whole file), and a note
//! says which columns the snippet shows.

use crate::source::{FileId, SourceFile, SourceMap};
use codespan_reporting::files::{Error as FilesError, Files, Location};
use std::ops::Range;

/// Lines up to this many characters are shown whole.
const MAX_LINE_CHARS: usize = 160;
/// Characters shown of a longer line.
const WIDTH: usize = 120;
/// Characters shown before the first marked place, when the line has them.
const BEFORE: usize = 40;

/// The window shown of one long line.
struct Window {
    file: FileId,
    line: usize,
    range: Range<usize>,
}

/// The source map as codespan sees it for one diagnostic: long lines replaced by their windows.
pub(super) struct Clipped<'a> {
    sources: &'a SourceMap,
    windows: Vec<Window>,
}

impl<'a> Clipped<'a> {
    /// Windows for the lines the label ranges start and end on, each around the first place
    /// marked on that line (the primary label's start when it is first in `ranges`).
    pub(super) fn new(sources: &'a SourceMap, ranges: &[(FileId, Range<usize>)]) -> Clipped<'a> {
        let mut windows: Vec<Window> = Vec::new();
        for (file, range) in ranges {
            let f = sources.file(*file);
            for point in [range.start, range.end] {
                let line = f.line_index(point);
                if windows.iter().any(|w| w.file == *file && w.line == line) {
                    continue;
                }
                let content = content(f, line);
                if f.chars(content.clone()) > MAX_LINE_CHARS {
                    let range = around(&f.text, content, point);
                    windows.push(Window {
                        file: *file,
                        line,
                        range,
                    });
                }
            }
        }
        Clipped { sources, windows }
    }

    fn window(&self, file: FileId, line: usize) -> Option<&Window> {
        self.windows
            .iter()
            .find(|w| w.file == file && w.line == line)
    }

    /// A label range as it can be drawn: `None` when its start is outside the window of its line
    /// (the caller says where it is instead), else with its end kept inside the window of the
    /// line it ends on.
    pub(super) fn fit(&self, file: FileId, range: Range<usize>) -> Option<Range<usize>> {
        let f = self.sources.file(file);
        if let Some(w) = self.window(file, f.line_index(range.start))
            && !w.range.contains(&range.start)
            && w.range.end != range.start
        {
            return None;
        }
        let end = match self.window(file, f.line_index(range.end)) {
            Some(w) => range.end.clamp(w.range.start, w.range.end),
            None => range.end,
        };
        Some(range.start..end.max(range.start))
    }

    /// One note per cut line: how long it is and which columns the snippet shows.
    pub(super) fn notes(&self) -> Vec<String> {
        self.windows
            .iter()
            .map(|w| {
                let f = self.sources.file(w.file);
                let content = content(f, w.line);
                let first = f.chars(content.start..w.range.start) + 1;
                let last = first + f.chars(w.range.clone()) - 1;
                format!(
                    "line {} is {} characters long; the snippet shows columns {first}-{last}",
                    w.line + 1,
                    f.chars(content),
                )
            })
            .collect()
    }
}

/// A line's byte range without its line break.
fn content(f: &SourceFile, line: usize) -> Range<usize> {
    let range = f.line_range(line).unwrap_or(0..0);
    let text = &f.text[range.clone()];
    let kept = text.trim_end_matches(['\n', '\r']).len();
    range.start..range.start + kept
}

/// [`WIDTH`] characters of `line` starting [`BEFORE`] characters before `point`, moved back
/// when the line ends sooner.
fn around(text: &str, line: Range<usize>, point: usize) -> Range<usize> {
    let point = point.clamp(line.start, line.end);
    let start = back(text, line.start, point, BEFORE);
    let end = forward(text, start, line.end, WIDTH);
    let missing = WIDTH - text[start..end].chars().count();
    back(text, line.start, start, missing)..end
}

/// The offset `n` characters before `from`, not before `floor`.
fn back(text: &str, floor: usize, from: usize, n: usize) -> usize {
    let mut at = floor_boundary(text, from);
    for _ in 0..n {
        if at <= floor {
            break;
        }
        at = floor_boundary(text, at - 1);
    }
    at.max(floor)
}

/// The offset `n` characters after `from`, not after `ceiling`.
fn forward(text: &str, from: usize, ceiling: usize, n: usize) -> usize {
    text[from..ceiling]
        .char_indices()
        .nth(n)
        .map_or(ceiling, |(i, _)| from + i)
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

impl<'a> Files<'a> for Clipped<'a> {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.sources.file(id).name)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.sources.file(id).text)
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        Ok(self.sources.file(id).line_index(byte_index))
    }

    /// From the whole file, not from the (possibly cut) line range codespan would count in.
    fn column_number(
        &'a self,
        id: FileId,
        _line_index: usize,
        byte_index: usize,
    ) -> Result<usize, FilesError> {
        Ok(self.sources.file(id).line_col(byte_index).1)
    }

    fn location(&'a self, id: FileId, byte_index: usize) -> Result<Location, FilesError> {
        let (line_number, column_number) = self.sources.file(id).line_col(byte_index);
        Ok(Location {
            line_number,
            column_number,
        })
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, FilesError> {
        if let Some(w) = self.window(id, line_index) {
            return Ok(w.range.clone());
        }
        let file = self.sources.file(id);
        let range = file
            .line_range(line_index)
            .ok_or(FilesError::LineTooLarge {
                given: line_index,
                max: file.line_count() - 1,
            })?;
        // A long line no label marks (inside a label over several lines): its start.
        let content = content(file, line_index);
        if file.chars(content.clone()) > MAX_LINE_CHARS {
            return Ok(content.start..forward(&file.text, content.start, content.end, WIDTH));
        }
        Ok(range)
    }
}

#[cfg(test)]
mod tests {
    use crate::diag::{Diagnostic, render};
    use crate::source::{FileId, Loc, SourceMap};

    /// One line of 10,000 characters (Japanese every tenth), then a short line.
    fn long_line_file() -> (SourceMap, FileId, String) {
        let mut text: String = (0..10_000)
            .map(|i| if i % 10 == 0 { '住' } else { 'x' })
            .collect();
        text.push_str("\nshort\n");
        let mut sources = SourceMap::default();
        let file = sources.add("long.json", text.as_str());
        (sources, file, text)
    }

    /// Byte offset of a zero-based character index.
    fn at(text: &str, chars: usize) -> usize {
        text.char_indices().nth(chars).unwrap().0
    }

    #[test]
    fn a_related_place_outside_the_window_is_named_in_a_note() {
        let (sources, file, text) = long_line_file();
        let primary = Loc::new(file, at(&text, 5000)..at(&text, 5003));
        let related = Loc::new(file, at(&text, 9)..at(&text, 10));
        let d = Diagnostic::error(primary, "duplicate")
            .with_label("here")
            .with_related(related, "first defined here");
        let out = render(&sources, &d);
        assert!(out.contains("long.json:1:5001"), "{out}");
        assert!(
            out.contains("= first defined here: long.json:1:10"),
            "{out}"
        );
        assert!(
            out.contains("line 1 is 10000 characters long; the snippet shows columns 4961-5080")
        );
        assert!(out.lines().all(|l| l.chars().count() < 140), "{out}");
    }

    #[test]
    fn a_label_from_a_long_line_onto_the_next_renders_exactly() {
        let (sources, file, text) = long_line_file();
        let start = at(&text, 9990);
        let d = Diagnostic::warning(Loc::new(file, start..text.len() - 2), "spans two lines");
        let out = render(&sources, &d);
        assert!(out.contains("long.json:1:9991"), "{out}");
        assert!(out.contains("2 │"), "{out}");
        assert!(out.contains("shows columns 9881-10000"), "{out}");
        assert!(out.lines().all(|l| l.chars().count() < 140), "{out}");
    }
}
