//! Loading: TOML/JSON files → model + every diagnostic.
//!
//! Text is parsed into a located document tree (`toml_doc`, `json_doc`), decoded into model
//! entities (`topology`, `policy`), and checked as a whole (`check`). Loading never stops at the
//! first problem; the caller gets the model together with all diagnostics and decides.

// `load` is where the library meets the file system and the environment: it reads the input
// files and directories (here) and the memory guard's `MemAvailable` and `SANSOU_MAX_MEMORY`
// (`limits.rs`). clippy refuses both everywhere else in the library (clippy.toml).
#![allow(
    clippy::disallowed_methods,
    reason = "load reads the inputs and the limits' environment (ARCHITECTURE.md, Invariants)"
)]

pub mod check;
pub mod cli_selector;
pub mod doc;
pub mod estate;
pub mod json_doc;
pub mod limits;
mod memory;
pub mod nat;
pub mod policy;
pub mod reader;
pub mod reload;
pub mod schema;
pub mod toml_doc;
pub mod topology;
pub mod values;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{CheckedTopology, Policy, Topology};
use crate::source::{FileId, Loc, SourceMap};
use std::path::{Path, PathBuf};

/// sansou could not read an input at all (as opposed to reading it and finding problems).
#[derive(Debug)]
pub enum LoadError {
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    EmptyDirectory {
        path: PathBuf,
    },
    /// The input would need more memory than the run may use, or is too large to locate into.
    Limit(limits::LimitError),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::Io { path, error } => write!(f, "cannot read {}: {error}", path.display()),
            LoadError::EmptyDirectory { path } => write!(
                f,
                "{} holds no topology files (*.toml or *.json)",
                path.display()
            ),
            LoadError::Limit(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for LoadError {}

/// A topology or policy loaded together with the files it came from and every diagnostic.
#[derive(Debug, Default)]
pub struct Loaded<T> {
    pub value: T,
    pub sources: SourceMap,
    pub diagnostics: Diagnostics,
}

impl Loaded<Topology> {
    /// The topology, when loading it found no error: the way into the analysis.
    pub fn checked(&self) -> Option<CheckedTopology<'_>> {
        (!self.diagnostics.has_errors()).then(|| CheckedTopology::vouched(&self.value))
    }
}

/// Runs the loader's whole-topology checks (ids, references, addresses, overlaps, firewall
/// wiring) on a topology built in code (generated, or a loaded one changed by hand): the
/// checked topology, or every error found. A loaded topology is checked already
/// ([`Loaded::checked`], [`Inputs::checked`]).
pub fn validate(topo: &Topology) -> Result<CheckedTopology<'_>, Diagnostics> {
    let mut diags = Diagnostics::default();
    check::check_topology(topo, &[], &mut diags);
    if diags.has_errors() {
        diags.sort();
        Err(diags)
    } else {
        Ok(CheckedTopology::vouched(topo))
    }
}

/// Text formats an input may be written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    Toml,
    Json,
}

impl Syntax {
    /// `.json` files are JSON; everything else is read as TOML.
    pub fn of(path: &Path) -> Syntax {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("json") => Syntax::Json,
            _ => Syntax::Toml,
        }
    }
}

/// The files a topology path stands for: the file itself, or a directory's `*.toml` and
/// `*.json` files sorted by name (so the merge order, and every output, is deterministic).
pub fn topology_files(path: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let io = |error| LoadError::Io {
        path: path.to_path_buf(),
        error,
    };
    if !path.is_dir() {
        std::fs::metadata(path).map_err(io)?;
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(io)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && matches!(
                    p.extension().and_then(|e| e.to_str()),
                    Some("toml" | "json")
                )
        })
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(LoadError::EmptyDirectory {
            path: path.to_path_buf(),
        });
    }
    Ok(files)
}

/// Reads an input file's bytes, never more than the memory guard allows
/// ([`limits::read_cap`]). The guard's estimate before reading trusts the size a file reports;
/// a device, a pipe or a file still growing (`/dev/zero`, `<(yes)`) reports none, so the read
/// itself stops at the cap instead of filling memory.
pub fn read_input(path: &Path) -> Result<Vec<u8>, LoadError> {
    use std::io::Read;
    let io = |error| LoadError::Io {
        path: path.to_path_buf(),
        error,
    };
    let cap = limits::read_cap(Syntax::of(path)).map_err(LoadError::Limit)?;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| {
            // Sized from the start: a large design read by doubling held up to twice its size.
            let len = f.metadata().map_or(0, |m| m.len()).min(cap + 1);
            bytes.reserve_exact(usize::try_from(len).unwrap_or(0));
            f.take(cap + 1).read_to_end(&mut bytes)
        })
        .map_err(io)?;
    if bytes.len() as u64 > cap {
        return Err(LoadError::Limit(limits::LimitError::Unending {
            path: path.to_path_buf(),
            cap,
        }));
    }
    Ok(bytes)
}

/// Reads a file into the source map. Text that is not UTF-8 is kept (lossily) so the error can
/// point at the first bad byte.
fn read_source(
    path: &Path,
    sources: &mut SourceMap,
    diags: &mut Diagnostics,
) -> Result<(FileId, bool), LoadError> {
    let bytes = read_input(path)?;
    let name = path.display().to_string();
    if let Some(order) = utf16(&bytes) {
        // UTF-16 text of ASCII is valid UTF-8 full of NUL bytes: every character would be a
        // syntax error. Say what the file is instead, once.
        let file = sources.add(name, String::from_utf8_lossy(&bytes).into_owned());
        diags.push(
            Diagnostic::error(
                Loc::new(file, 0..0),
                format!("the file is UTF-16 ({order})"),
            )
            .with_label("not UTF-8")
            .with_note("save the file as UTF-8 (without a byte-order mark, or with the UTF-8 one)"),
        );
        return Ok((file, false));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok((sources.add(name, text), true)),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let file = sources.add(name, text);
            diags.push(
                Diagnostic::error(Loc::new(file, valid..valid + 1), "the file is not UTF-8")
                    .with_label("first byte that is not UTF-8")
                    .with_note("save the file as UTF-8 (Shift_JIS is not accepted)"),
            );
            Ok((file, false))
        }
    }
}

/// Whether `bytes` look like UTF-16, and which byte order: a UTF-16 byte-order mark, or a start
/// where every pair of bytes has exactly one NUL (ASCII text in UTF-16, as Windows tools save
/// it). Real UTF-8 text has no NUL bytes, let alone one in every pair.
fn utf16(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xFF, 0xFE, ..] => return Some("little-endian"),
        [0xFE, 0xFF, ..] => return Some("big-endian"),
        _ => {}
    }
    let pairs: Vec<&[u8]> = bytes.chunks_exact(2).take(32).collect();
    if pairs.len() < 2 {
        return None;
    }
    if pairs.iter().all(|p| p[0] != 0 && p[1] == 0) {
        Some("little-endian")
    } else if pairs.iter().all(|p| p[0] == 0 && p[1] != 0) {
        Some("big-endian")
    } else {
        None
    }
}

/// Parses one file's text into a document tree.
pub fn parse_document<'s>(
    file: FileId,
    syntax: Syntax,
    sources: &'s SourceMap,
    diags: &mut Diagnostics,
) -> Option<doc::Node<'s>> {
    let text = &sources.file(file).text;
    match syntax {
        Syntax::Toml => {
            // A UTF-8 byte-order mark is harmless; skip it rather than call it a syntax error.
            let offset = if text.starts_with('\u{feff}') { 3 } else { 0 };
            let mut found = Diagnostics::default();
            let mut node = toml_doc::parse(file, &text[offset..], &mut found);
            if offset > 0 {
                // Both the tree and the syntax errors are placed in the text after the mark;
                // move them back into the file as stored (found by fuzzing: an error in a file
                // with a BOM pointed three bytes early, inside the mark).
                if let Some(n) = node.as_mut() {
                    shift(n, offset as u32);
                }
                for d in &mut found.items {
                    shift_loc(&mut d.loc, offset as u32);
                    for r in &mut d.related {
                        shift_loc(&mut r.loc, offset as u32);
                    }
                }
            }
            diags.extend(found);
            node
        }
        Syntax::Json => json_doc::parse(file, text, diags),
    }
}

/// Moves every location of a tree by `by` bytes (after parsing text that skipped a prefix).
fn shift(node: &mut doc::Node, by: u32) {
    shift_loc(&mut node.loc, by);
    match &mut node.value {
        doc::Value::Array(items) => items.iter_mut().for_each(|n| shift(n, by)),
        doc::Value::Table(entries) => {
            for e in entries {
                shift_loc(&mut e.key_loc, by);
                shift(&mut e.value, by);
            }
        }
        _ => {}
    }
}

fn shift_loc(loc: &mut Loc, by: u32) {
    loc.start += by;
    loc.end += by;
}

/// The location of a document's start, for messages about the whole file.
pub(crate) fn doc_start(root: &doc::Node) -> Loc {
    Loc {
        file: root.loc.file,
        start: 0,
        end: 0,
    }
}

/// Decodes topology text already in `sources` (used by tests and by `load_topology`).
pub fn decode_topology(
    files: &[(FileId, Syntax)],
    sources: &SourceMap,
    diags: &mut Diagnostics,
) -> Topology {
    decode_outlined(files, sources, diags, None)
}

/// [`decode_topology`], also noting in `outline` what [`reload`] needs of each file.
fn decode_outlined(
    files: &[(FileId, Syntax)],
    sources: &SourceMap,
    diags: &mut Diagnostics,
    mut outline: Option<&mut reload::Outline>,
) -> Topology {
    let mut topo = Topology::default();
    let mut broken = Vec::new();
    // The tree of the last file decoded. Freeing a large tree takes a while (millions of small
    // allocations); the last one is freed on another core while the whole-topology checks run.
    // Earlier ones are freed before the next file is parsed, so only one tree is ever held.
    let mut last = None;
    for &(file, syntax) in files {
        drop(last.take());
        let root = parse_document(file, syntax, sources, diags);
        if let Some(outline) = outline.as_deref_mut() {
            outline.note_file(file, syntax, &sources.file(file).text, root.as_ref());
        }
        if let Some(root) = root {
            topology::decode_file(&root, &mut topo, &mut broken, diags);
            last = Some(root);
        }
    }
    let mut by_firewall = Vec::new();
    if let Some(outline) = outline.as_deref_mut() {
        outline.note_decoded(diags);
    }
    rayon::join(
        || check::check_keeping(&topo, &broken, diags, &mut by_firewall, None),
        || drop(last),
    );
    if let Some(outline) = outline {
        outline.note_checked(by_firewall);
    }
    topo
}

/// Loads a topology file or directory. `Err` only when a file cannot be read; problems in the
/// content are in the returned diagnostics.
pub fn load_topology(path: &Path) -> Result<Loaded<Topology>, LoadError> {
    load_topology_files(topology_files(path)?)
}

/// Loads the topology of these files, merged in this order (`sansou import inventory` leaves
/// out the file it is about to rewrite).
pub fn load_topology_files(paths: Vec<PathBuf>) -> Result<Loaded<Topology>, LoadError> {
    load_files_outlined(paths, None)
}

/// [`load_topology_files`], also noting in `outline` what [`reload`] needs.
fn load_files_outlined(
    paths: Vec<PathBuf>,
    outline: Option<&mut reload::Outline>,
) -> Result<Loaded<Topology>, LoadError> {
    let mut sources = SourceMap::default();
    let mut diagnostics = Diagnostics::default();
    let mut files = Vec::new();
    limits::check_inputs(&paths).map_err(LoadError::Limit)?;
    // The model is decoded on every core, in worker threads' arenas: see `memory`.
    memory::grow_in_large_steps();
    for p in paths {
        let (file, utf8) = read_source(&p, &mut sources, &mut diagnostics)?;
        if utf8 {
            files.push((file, Syntax::of(&p)));
        }
    }
    // Every run turns locations into lines and columns and names its inputs by their hash
    // sooner or later; both are computed on the other core while the files are parsed.
    let (value, ()) = rayon::join(
        || decode_outlined(&files, &sources, &mut diagnostics, outline),
        || sources.index_files(),
    );
    diagnostics.sort();
    // The document trees are gone; their pages would otherwise stay resident all run.
    memory::release_free_memory();
    Ok(Loaded {
        value,
        sources,
        diagnostics,
    })
}

/// Loads a policy file into an existing run (its sources and diagnostics), checking its
/// references against `topology` when one is given.
pub fn load_policy_into(
    path: &Path,
    topology: Option<&Topology>,
    sources: &mut SourceMap,
    diags: &mut Diagnostics,
) -> Result<Policy, LoadError> {
    limits::check_inputs(&[path.to_path_buf()]).map_err(LoadError::Limit)?;
    let (file, utf8) = read_source(path, sources, diags)?;
    let mut policy_diags = Diagnostics::default();
    let policy = match utf8
        .then(|| parse_document(file, Syntax::of(path), sources, &mut policy_diags))
        .flatten()
    {
        Some(root) => policy::decode(&root, &mut policy_diags),
        None => Policy::default(),
    };
    if let Some(topo) = topology {
        // The topology's own problems were reported when it was loaded; only its ids are needed.
        let mut scratch = Diagnostics::default();
        let index = check::index(topo, &[], &mut scratch);
        check::check_policy(&policy, &index, &mut policy_diags);
    }
    policy_diags.sort();
    diags.extend(policy_diags);
    Ok(policy)
}

/// The inputs of one command: a topology, an optional policy, their sources and diagnostics.
#[derive(Debug, Default)]
pub struct Inputs {
    pub topology: Topology,
    pub policy: Option<Policy>,
    pub sources: SourceMap,
    pub diagnostics: Diagnostics,
}

impl Inputs {
    /// The topology, when neither it nor the policy has an error: the way into the analysis.
    pub fn checked(&self) -> Option<CheckedTopology<'_>> {
        (!self.diagnostics.has_errors()).then(|| CheckedTopology::vouched(&self.topology))
    }
}

/// Loads a topology and, when given, a policy checked against it.
pub fn load_inputs(topology: &Path, policy: Option<&Path>) -> Result<Inputs, LoadError> {
    inputs_of(load_topology(topology)?, policy)
}

/// [`load_inputs`], with what [`reload::reload`] needs to load the next version of the same
/// files from this one.
pub fn load_inputs_outlined(
    topology: &Path,
    policy: Option<&Path>,
) -> Result<(Inputs, reload::Outline), LoadError> {
    let paths = topology_files(topology)?;
    let mut outline = reload::Outline::new(paths.clone(), policy);
    let loaded = load_files_outlined(paths, Some(&mut outline))?;
    Ok((inputs_of(loaded, policy)?, outline))
}

/// A loaded topology with the policy loaded against it, when given.
fn inputs_of(loaded: Loaded<Topology>, policy: Option<&Path>) -> Result<Inputs, LoadError> {
    let Loaded {
        value: topology,
        mut sources,
        mut diagnostics,
    } = loaded;
    let policy = match policy {
        Some(p) => Some(load_policy_into(
            p,
            Some(&topology),
            &mut sources,
            &mut diagnostics,
        )?),
        None => None,
    };
    Ok(Inputs {
        topology,
        policy,
        sources,
        diagnostics,
    })
}
