//! Where the locations of one version of the inputs went in the next: each file's text is the
//! same before and after one changed span (the longest common prefix and suffix), so a location
//! before the span stays, one after it moves by the span's change in length, and one that
//! overlaps it has no counterpart. `check --watch` moves the locations of rule outcomes it
//! re-uses from the last check (`rules::memo`).

use super::{Loc, SourceMap};

/// The changed span of one file: bytes `start..old_end` of the old text became
/// `start..new_end` of the new one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Span {
    start: u32,
    old_end: u32,
    new_end: u32,
}

/// Per file (by id), its changed span, if any.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Moves {
    spans: Vec<Option<Span>>,
}

impl Moves {
    /// How locations move from `old` to `new`; `None` when the two do not hold the same files
    /// in the same order (ids would not match).
    pub fn between(old: &SourceMap, new: &SourceMap) -> Option<Moves> {
        if old.files.len() != new.files.len()
            || old
                .files
                .iter()
                .zip(&new.files)
                .any(|(a, b)| a.name != b.name)
        {
            return None;
        }
        let spans = old
            .files
            .iter()
            .zip(&new.files)
            .map(|(a, b)| changed_span(a.text.as_bytes(), b.text.as_bytes()))
            .collect();
        Some(Moves { spans })
    }

    /// How locations move among `count` files of which only those in `edits` changed: each
    /// with its span (see [`edited_span`]).
    pub fn of_edits(count: usize, edits: &[(super::FileId, (u32, u32, u32))]) -> Moves {
        let mut spans = vec![None; count];
        for &(file, (start, old_end, new_end)) in edits {
            if let Some(slot) = spans.get_mut(file.0 as usize) {
                *slot = Some(Span {
                    start,
                    old_end,
                    new_end,
                });
            }
        }
        Moves { spans }
    }

    /// Where `loc` is in the new text; `None` when it overlaps or touches the changed span
    /// (what it pointed at may have been edited).
    pub fn moved(&self, loc: Loc) -> Option<Loc> {
        let Some(span) = self.spans.get(loc.file.0 as usize)? else {
            return Some(loc);
        };
        // A location that touches the span may have grown or shrunk with it (`80` edited to
        // `8080` is an insertion of `80` right after the old value): it has no counterpart.
        if loc.end < span.start {
            return Some(loc);
        }
        if loc.start > span.old_end {
            let moved = |x: u32| i64::from(x) + i64::from(span.new_end) - i64::from(span.old_end);
            return Some(Loc {
                file: loc.file,
                start: u32::try_from(moved(loc.start)).ok()?,
                end: u32::try_from(moved(loc.end)).ok()?,
            });
        }
        None
    }
}

/// The bytes `start..old_end` of `old` that became `start..new_end` of `new`, between their
/// longest common prefix and suffix (`None` when they are equal).
pub(crate) fn edited_span(old: &[u8], new: &[u8]) -> Option<(u32, u32, u32)> {
    changed_span(old, new).map(|s| (s.start, s.old_end, s.new_end))
}

/// The span where `old` and `new` differ, between their longest common prefix and suffix
/// (`None` when they are equal).
fn changed_span(old: &[u8], new: &[u8]) -> Option<Span> {
    if old == new {
        return None;
    }
    let prefix = common_len(old.iter(), new.iter(), old.chunks(BLOCK), new.chunks(BLOCK));
    let room = old.len().min(new.len()) - prefix;
    let suffix = common_len(
        old.iter().rev(),
        new.iter().rev(),
        old.rchunks(BLOCK),
        new.rchunks(BLOCK),
    )
    .min(room);
    Some(Span {
        start: prefix as u32,
        old_end: (old.len() - suffix) as u32,
        new_end: (new.len() - suffix) as u32,
    })
}

/// Bytes compared a block at a time before the first difference is looked for byte by byte:
/// a design of tens of megabytes is compared on every re-check.
const BLOCK: usize = 4096;

/// How many bytes two sequences have in common from their start (or, reversed, their end):
/// whole equal blocks first, then byte by byte.
fn common_len<'a>(
    a: impl Iterator<Item = &'a u8>,
    b: impl Iterator<Item = &'a u8>,
    a_blocks: impl Iterator<Item = &'a [u8]>,
    b_blocks: impl Iterator<Item = &'a [u8]>,
) -> usize {
    let blocks = a_blocks
        .zip(b_blocks)
        .take_while(|(x, y)| x.len() == BLOCK && x == y)
        .count();
    let skip = blocks * BLOCK;
    skip + a
        .skip(skip)
        .zip(b.skip(skip))
        .take_while(|(x, y)| x == y)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    fn map(texts: &[&str]) -> SourceMap {
        let mut m = SourceMap::default();
        for (i, t) in texts.iter().enumerate() {
            m.add(format!("f{i}"), *t);
        }
        m
    }

    fn loc(file: u32, start: u32, end: u32) -> Loc {
        Loc {
            file: FileId(file),
            start,
            end,
        }
    }

    #[test]
    fn locations_before_the_edit_stay_and_after_it_move() {
        let old = map(&["aaa port = 80 zzz", "same"]);
        let new = map(&["aaa port = 8080 zzz", "same"]);
        let m = Moves::between(&old, &new).unwrap();
        assert_eq!(m.moved(loc(0, 0, 3)), Some(loc(0, 0, 3)));
        assert_eq!(m.moved(loc(0, 14, 17)), Some(loc(0, 16, 19)));
        assert_eq!(m.moved(loc(0, 4, 13)), None, "the edited value");
        assert_eq!(m.moved(loc(0, 11, 13)), None, "`80` grew to `8080`");
        assert_eq!(m.moved(loc(1, 0, 4)), Some(loc(1, 0, 4)), "another file");
        let shorter = map(&["aaa port = 8 zzz", "same"]);
        let m = Moves::between(&old, &shorter).unwrap();
        assert_eq!(m.moved(loc(0, 14, 17)), Some(loc(0, 13, 16)));
    }

    #[test]
    fn an_insertion_moves_what_follows_it() {
        let old = map(&["[a]\n[c]\nx = 1\n"]);
        let new = map(&["[a]\n[b]\n[c]\nx = 1\n"]);
        let m = Moves::between(&old, &new).unwrap();
        assert_eq!(m.moved(loc(0, 0, 3)), Some(loc(0, 0, 3)));
        assert_eq!(m.moved(loc(0, 8, 9)), Some(loc(0, 12, 13)));
        // Right at the insertion: `[c]` or the new `[b]`, the texts cannot tell.
        assert_eq!(m.moved(loc(0, 4, 7)), None);
    }

    #[test]
    fn other_files_do_not_move() {
        let old = map(&["x"]);
        assert_eq!(Moves::between(&old, &map(&["x", "y"])), None);
        let m = Moves::between(&old, &old).unwrap();
        assert_eq!(m.moved(loc(0, 0, 1)), Some(loc(0, 0, 1)));
    }
}
