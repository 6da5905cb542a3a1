//! Loading the next version of the same inputs from the last one, when an edit allows it
//! (`check --watch`).
//!
//! A tier L design is a JSON text of tens of megabytes, nearly all of it firewalls; loading it
//! from scratch takes a good part of a second, while an edit mostly changes one rule. When
//! exactly one topology file changed, and its text differs from the last version only inside
//! one element of its `firewall` array, that element is parsed again at its place and depth
//! (`json_doc::parse_element`: the tree a parse of the whole text gives there), decoded, and put
//! in place of the old firewall; every location after the edit in that file moves by the edit's
//! change in length (`model::relocate`). The whole-topology checks and the policy then run as a
//! full load runs them. In a TOML file, a firewall is the block from its `[[firewall]]` line to
//! the next `[[KEY]]` line (`toml_doc::parse_block`), re-read when it adds that one table and
//! nothing else, and when the last version's block gave the firewall the whole text did.
//! Anything else (an edit outside one firewall, an element that no longer parses cleanly on its
//! own, a block that opens another table, files added or removed) is left to a full load, so the
//! result is always exactly what [`super::load_inputs`] gives: the same model, locations,
//! sources and diagnostics. `tests/input/reload.rs` compares the two after random edits.
//!
//! A reload changes the last inputs in place and gives back what it replaced ([`Splice`]), so a
//! caller that refuses the new version (it has errors) can put the last one back ([`undo`]).

use super::{LoadError, Syntax, check, doc, json_doc, limits, toml_doc, topology};
use crate::diag::Diagnostics;
use crate::model::relocate::Relocate;
use crate::model::{Firewall, Policy};
use crate::source::{FileId, Loc, Moves, SourceFile, SourceMap, edited_span};
use std::path::{Path, PathBuf};

/// The top-level array whose elements are re-read one at a time.
const FIREWALLS: &str = "firewall";

/// A file's top-level arrays: each key, with each element's first byte and the byte just past it.
type Arrays = Vec<(String, Vec<(u32, u32)>)>;

/// What a load notes for the next: the files it read, where each JSON file's top-level arrays
/// have their elements, and the diagnostics of reading, parsing and decoding (the whole-topology
/// checks and the policy's are made again on every load).
#[derive(Debug, Default)]
pub struct Outline {
    paths: Vec<PathBuf>,
    policy: Option<PathBuf>,
    /// By topology file: its top-level arrays (for a TOML file, the blocks of its
    /// `[[firewall]]` lines), or `None` for a file that did not parse.
    files: Vec<Option<Arrays>>,
    /// By topology file: how it is written.
    syntax: Vec<Option<Syntax>>,
    decoded: Diagnostics,
    /// What each firewall's own whole-topology checks found, by firewall.
    checked: check::FirewallFindings,
}

impl Outline {
    pub(super) fn new(paths: Vec<PathBuf>, policy: Option<&Path>) -> Outline {
        Outline {
            paths,
            policy: policy.map(Path::to_path_buf),
            ..Outline::default()
        }
    }

    /// Notes a file's tree (`None` when it did not parse).
    pub(super) fn note_file(
        &mut self,
        file: FileId,
        syntax: Syntax,
        text: &str,
        root: Option<&doc::Node>,
    ) {
        let arrays = root.and_then(|root| match (&root.value, syntax) {
            (doc::Value::Table(entries), Syntax::Json) => Some(
                entries
                    .iter()
                    .filter_map(|e| match &e.value.value {
                        doc::Value::Array(items) => Some((
                            e.key.to_string(),
                            items.iter().map(|n| (n.loc.start, n.loc.end)).collect(),
                        )),
                        _ => None,
                    })
                    .collect(),
            ),
            // A TOML file's firewalls are re-read block by block (`toml_doc::parse_block`).
            (doc::Value::Table(_), Syntax::Toml) => Some(vec![(
                FIREWALLS.to_string(),
                toml_doc::header_blocks(text, FIREWALLS),
            )]),
            _ => None,
        });
        let slot = file.0 as usize;
        if self.files.len() <= slot {
            self.files.resize(slot + 1, None);
            self.syntax.resize(slot + 1, None);
        }
        self.files[slot] = arrays;
        self.syntax[slot] = Some(syntax);
    }

    /// Notes the diagnostics found before the whole-topology checks.
    pub(super) fn note_decoded(&mut self, diags: &Diagnostics) {
        self.decoded = diags.clone();
    }

    /// Notes what each firewall's own checks found.
    pub(super) fn note_checked(&mut self, by_firewall: check::FirewallFindings) {
        self.checked = by_firewall;
    }

    /// How many firewalls the files before `file` define, and where the firewall elements of
    /// `file` are; `None` unless every topology file is outlined.
    fn firewalls_of(&self, file: usize) -> Option<(usize, &[(u32, u32)])> {
        let before = self.files[..file]
            .iter()
            .map(|f| firewall_spans(f.as_ref()).map(<[_]>::len))
            .sum::<Option<usize>>()?;
        Some((before, firewall_spans(self.files.get(file)?.as_ref())?))
    }

    /// Every element span of `file` at or after `from` moves by `by` bytes.
    fn shift(&mut self, file: usize, from: u32, by: i64) {
        for (_, spans) in self.files[file].iter_mut().flatten() {
            for span in spans.iter_mut().filter(|s| s.0 >= from) {
                *span = (moved(span.0, by), moved(span.1, by));
            }
        }
    }

    /// Sets the end of firewall element `k` of `file`.
    fn set_end(&mut self, file: usize, k: usize, end: u32) {
        for (key, spans) in self.files[file].iter_mut().flatten() {
            if key == FIREWALLS {
                spans[k].1 = end;
            }
        }
    }
}

/// A file's firewall elements (none when it has no firewall array); `None` for a file not
/// outlined.
fn firewall_spans(arrays: Option<&Arrays>) -> Option<&[(u32, u32)]> {
    arrays.map(|arrays| {
        arrays
            .iter()
            .find(|(key, _)| key == FIREWALLS)
            .map_or(&[][..], |(_, spans)| spans.as_slice())
    })
}

fn moved(offset: u32, by: i64) -> u32 {
    // The offsets moved are those after an edit, which stay within the new text.
    (i64::from(offset) + by) as u32
}

/// What a reload replaced, to tell what changed and to undo it.
#[derive(Debug)]
pub struct Splice {
    /// The firewall re-read: its index and its last version. `None` when no topology file
    /// changed (only the policy did, or nothing).
    pub firewall: Option<(usize, Firewall)>,
    /// The topology file edited, if one was.
    edited: Option<Edited>,
    /// The last policy, its file and every diagnostic of the last load.
    policy: Option<Policy>,
    policy_file: Option<SourceFile>,
    diagnostics: Diagnostics,
    decoded: Diagnostics,
    checked: check::FirewallFindings,
}

/// The topology file a reload edited: its last version, where the edit is, and the firewall
/// element it lies in.
#[derive(Debug)]
struct Edited {
    file: FileId,
    old: SourceFile,
    /// Bytes `start..old_end` of the last text became `start..new_end` of the new one.
    span: (u32, u32, u32),
    /// The index of the firewall's element in its array, and where the element ended.
    element: usize,
    end: u32,
}

impl Edited {
    /// The edit's change in length.
    fn by(&self) -> i64 {
        i64::from(self.span.2) - i64::from(self.span.1)
    }
}

impl Splice {
    /// Where the last version's locations are in the new one.
    pub fn moves(&self, new: &SourceMap) -> Moves {
        let count = new.files().count();
        let mut edits = Vec::new();
        if let Some(edited) = &self.edited {
            edits.push((edited.file, edited.span));
        }
        if let Some(old) = &self.policy_file {
            let file = FileId(count as u32 - 1);
            let now = new.file(file).text.as_bytes();
            edits.extend(edited_span(old.text.as_bytes(), now).map(|span| (file, span)));
        }
        Moves::of_edits(count, &edits)
    }

    /// The last version's policy.
    pub fn old_policy(&self) -> Option<&Policy> {
        self.policy.as_ref()
    }
}

/// Loads the same files again into `inputs` (loaded from them before, with `outline`), re-using
/// what did not change; `None`, with `inputs` untouched, when the edit is not one a reload takes
/// (see the module documentation): the caller then loads from scratch.
pub fn reload(
    inputs: &mut super::Inputs,
    outline: &mut Outline,
    topology: &Path,
    policy: Option<&Path>,
) -> Result<Option<Splice>, LoadError> {
    let paths = super::topology_files(topology)?;
    if paths != outline.paths
        || policy != outline.policy.as_deref()
        || outline.files.len() != paths.len()
        || outline.decoded.has_errors()
    {
        return Ok(None);
    }
    let mut all = paths.clone();
    all.extend(policy.map(Path::to_path_buf));
    limits::check_inputs(&all).map_err(LoadError::Limit)?;
    let mut changed = Vec::new();
    for (i, path) in paths.iter().enumerate() {
        let bytes = super::read_input(path)?;
        if bytes != inputs.sources.file(FileId(i as u32)).text.as_bytes() {
            changed.push((i, bytes));
        }
    }
    let edit = match changed.len() {
        0 => None,
        1 => {
            let (i, bytes) = changed.pop().expect("one");
            let old = &inputs.sources.file(FileId(i as u32)).text;
            let Some((text, span)) = edited_text(old, bytes) else {
                return Ok(None);
            };
            match firewall_edit(inputs, outline, i, &text, span) {
                Some(edit) => Some((i, text, edit)),
                None => return Ok(None),
            }
        }
        _ => return Ok(None),
    };
    let count = paths.len();
    let mut files = std::mem::take(&mut inputs.sources).into_files();
    let old_policy_file = (files.len() > count).then(|| files.pop()).flatten();
    let mut splice = Splice {
        firewall: None,
        edited: None,
        policy: None,
        policy_file: None,
        diagnostics: std::mem::take(&mut inputs.diagnostics),
        decoded: outline.decoded.clone(),
        checked: outline.checked.clone(),
    };
    if let Some((i, text, edit)) = edit {
        let file = FileId(i as u32);
        let (span, (from, end), index, element, new) = edit;
        let by = i64::from(span.2) - i64::from(span.1);
        // Everything after the element moves; the element itself is replaced whole (the old
        // firewall lies before `end`, so it is not moved before it is replaced).
        relocate_all(inputs, outline, file, end, by);
        outline.set_end(i, element, moved(end, by));
        // The old element's warnings go with it (the new one has none).
        outline
            .decoded
            .items
            .retain(|d| !(d.loc.file == file && (from..end).contains(&d.loc.start)));
        let old = std::mem::replace(&mut inputs.topology.firewalls[index], new);
        let new_file = files[i].edited(text, span);
        let old_file = std::mem::replace(&mut files[i], new_file);
        splice.firewall = Some((index, old));
        splice.edited = Some(Edited {
            file,
            old: old_file,
            span,
            element,
            end,
        });
    }
    let mut sources = SourceMap::default();
    for f in files {
        sources.push(f);
    }
    splice.policy_file = old_policy_file;
    splice.policy = inputs.policy.take();
    // The whole-topology checks and the policy, as a full load makes them. The firewalls'
    // own checks are most of it: when the edited firewall kept its id (so every id is the
    // same) and no other firewall's checks found anything, theirs stand as they were.
    let mut diagnostics = outline.decoded.clone();
    let reuse = splice.firewall.as_ref().and_then(|(index, old)| {
        let same_id = inputs.topology.firewalls[*index].id == old.id;
        let quiet = outline
            .checked
            .iter()
            .enumerate()
            .all(|(i, found)| i == *index || found.is_empty());
        (same_id && quiet && outline.checked.len() == inputs.topology.firewalls.len())
            .then_some(*index)
    });
    let kept = std::mem::take(&mut outline.checked);
    check::check_keeping(
        &inputs.topology,
        &[],
        &mut diagnostics,
        &mut outline.checked,
        reuse.map(|edited| (&kept, edited)),
    );
    diagnostics.sort();
    let policy = match policy {
        Some(p) => {
            super::load_policy_into(p, Some(&inputs.topology), &mut sources, &mut diagnostics)
                .map(Some)
        }
        None => Ok(None),
    };
    inputs.sources = sources;
    inputs.diagnostics = diagnostics;
    match policy {
        Ok(policy) => {
            inputs.policy = policy;
            Ok(Some(splice))
        }
        Err(e) => {
            // The policy could not be read after all: the inputs go back as they came.
            undo(inputs, outline, splice);
            Err(e)
        }
    }
}

/// The new version of a text as a string, when it is UTF-8, with the span where it differs
/// from the last version (see [`edited_span`]). Only the bytes around the edit are checked:
/// the rest is the last version's, which was.
fn edited_text(old: &str, bytes: Vec<u8>) -> Option<(String, (u32, u32, u32))> {
    let span @ (start, old_end, new_end) = edited_span(old.as_bytes(), &bytes)?;
    // Widened to whole characters of the old text: the edit may begin or end inside one.
    let mut from = start as usize;
    while !old.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = old_end as usize;
    while !old.is_char_boundary(to) {
        to += 1;
    }
    let to = to + new_end as usize - old_end as usize;
    std::str::from_utf8(&bytes[from..to]).ok()?;
    // SAFETY: `bytes[..from]` and `bytes[to..]` are the same as whole characters of `old`
    // (before and after the edit), and `bytes[from..to]` was just found to be UTF-8: the
    // concatenation of valid UTF-8 sequences is valid UTF-8.
    Some((unsafe { String::from_utf8_unchecked(bytes) }, span))
}

/// The edit of file `i` to `text`, when it lies inside one element of its firewall array and
/// that element parses and decodes on its own without a word to say: the changed span, the
/// element's old span, the firewall's index, the element's index in its array, and the firewall.
type FirewallEdit = ((u32, u32, u32), (u32, u32), usize, usize, Firewall);

fn firewall_edit(
    inputs: &super::Inputs,
    outline: &Outline,
    i: usize,
    text: &str,
    span @ (start, old_end, new_end): (u32, u32, u32),
) -> Option<FirewallEdit> {
    let (before, elements) = outline.firewalls_of(i)?;
    let total: usize = (0..outline.files.len())
        .map(|f| outline.firewalls_of(f).map(|(_, e)| e.len()))
        .sum::<Option<usize>>()?;
    if total != inputs.topology.firewalls.len() {
        return None;
    }
    let k = elements.partition_point(|&(_, end)| end < old_end);
    let &(from, end) = elements.get(k)?;
    if from > start {
        return None;
    }
    let new_end_of_element = i64::from(end) + i64::from(new_end) - i64::from(old_end);
    let to = usize::try_from(new_end_of_element).ok()?;
    let file = FileId(i as u32);
    let syntax = (*outline.syntax.get(i)?)?;
    let node = match syntax {
        Syntax::Json => json_doc::parse_element(file, text, from as usize, to)?,
        Syntax::Toml => {
            // The block must still end where a line starts (the next `[[KEY]]` line, or the
            // end of the text): an edit that took the last line break away joins the two.
            if to < text.len() && text.as_bytes().get(to.wrapping_sub(1)) != Some(&b'\n') {
                return None;
            }
            toml_doc::parse_block(file, text, from as usize, to, FIREWALLS)?
        }
    };
    let mut found = Diagnostics::default();
    let firewall = topology::firewall(&node, &mut found)?;
    let index = before + k;
    // The firewall decoded from the old element is where its location says.
    let old = inputs.topology.firewalls.get(index)?;
    if !found.items.is_empty() || old.loc.file != file || old.loc.start < from || old.loc.end > end
    {
        return None;
    }
    // A TOML block is the whole firewall only if nothing outside it added to the table (a
    // `[firewall.x]` line after another array's `[[KEY]]` line still belongs to the last
    // firewall) and its first line is a header indeed (not in a multi-line string): the last
    // version's block, read on its own, must give the firewall the whole text gave.
    if syntax == Syntax::Toml {
        let last = &inputs.sources.file(file).text;
        let node = toml_doc::parse_block(file, last, from as usize, end as usize, FIREWALLS)?;
        let mut found = Diagnostics::default();
        if topology::firewall(&node, &mut found).as_ref() != Some(old) || !found.items.is_empty() {
            return None;
        }
    }
    Some((span, (from, end), index, k, firewall))
}

/// Moves every location of file `file` at or after `from` by `by` bytes: the model's, the
/// outline's and the noted diagnostics'.
fn relocate_all(
    inputs: &mut super::Inputs,
    outline: &mut Outline,
    file: FileId,
    from: u32,
    by: i64,
) {
    let to = |loc: &mut Loc| {
        if loc.file == file && loc.start >= from {
            *loc = Loc {
                file,
                start: moved(loc.start, by),
                end: moved(loc.end, by),
            };
        }
    };
    // The firewalls are nearly all of a large design: only those written in this file after
    // the edit are walked, on every core. A firewall's locations all lie in its element, which
    // starts where its own location (its id) does not come before.
    let mut firewalls = std::mem::take(&mut inputs.topology.firewalls);
    // In the order they were decoded: file by file, in text order.
    let first = firewalls.partition_point(|f| (f.loc.file, f.loc.start) < (file, from));
    {
        use rayon::prelude::*;
        firewalls[first..]
            .par_iter_mut()
            .filter(|f| f.loc.file == file)
            .for_each(|f| f.relocate(&mut |loc| to(loc)));
    }
    inputs.topology.relocate(&mut |loc| to(loc));
    inputs.topology.firewalls = firewalls;
    outline.shift(file.0 as usize, from, by);
    for d in outline
        .decoded
        .items
        .iter_mut()
        .chain(outline.checked.iter_mut().flatten())
    {
        to(&mut d.loc);
        for r in &mut d.related {
            to(&mut r.loc);
        }
    }
}

/// Puts back the inputs a reload replaced.
pub fn undo(inputs: &mut super::Inputs, outline: &mut Outline, splice: Splice) {
    let Splice {
        firewall,
        edited,
        policy,
        policy_file,
        diagnostics,
        decoded,
        checked,
    } = splice;
    let mut files = std::mem::take(&mut inputs.sources).into_files();
    let count = outline.paths.len();
    files.truncate(count);
    if let (Some((index, old)), Some(edited)) = (firewall, edited) {
        // The new firewall lies before `now`, so it is not moved before it is replaced.
        let (file, by) = (edited.file, edited.by());
        let now = moved(edited.end, by);
        relocate_all(inputs, outline, file, now, -by);
        inputs.topology.firewalls[index] = old;
        outline.set_end(file.0 as usize, edited.element, edited.end);
        files[file.0 as usize] = edited.old;
    }
    files.extend(policy_file);
    let mut sources = SourceMap::default();
    for f in files {
        sources.push(f);
    }
    inputs.sources = sources;
    inputs.policy = policy;
    inputs.diagnostics = diagnostics;
    outline.decoded = decoded;
    outline.checked = checked;
}
