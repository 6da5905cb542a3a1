//! The pipeline runs one way: every `crate::MODULE` path in `src/` must go to a module that
//! ARCHITECTURE.md ("Invariants", the table of directions) allows. The table is repeated here
//! as [`ALLOWED`]; a change to one is a change to both.
//!
//! Code under `#[cfg(test)]` is not read: a module's unit tests may load a fixture with `load`
//! or print with `report` without the module depending on them.
//!
//! There are no exceptions: a use that breaks the table is fixed by moving what it needs below
//! it (as the rule codes the policy loader checks moved from `rules` to `model::rule_codes`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Each top-level module of the library and the modules it may use besides itself. `source`,
/// `lang` and `diag` are the foundation every layer may use (locations, the output language,
/// diagnostics as data). The binary (`main.rs`, `cli/`, `console.rs`, `progress.rs`...) may
/// use anything and is not listed.
const ALLOWED: &[(&str, &[&str])] = &[
    ("source", &[]),
    ("lang", &[]),
    ("diag", &["source"]),
    ("model", &["source", "lang"]),
    ("load", &["model", "source", "lang", "diag"]),
    ("graph", &["model", "source", "lang", "diag"]),
    ("analysis", &["graph", "model", "source", "lang", "diag"]),
    (
        "rules",
        &["analysis", "graph", "model", "source", "lang", "diag"],
    ),
    (
        "diff",
        &[
            "rules", "analysis", "graph", "model", "source", "lang", "diag",
        ],
    ),
    (
        "report",
        &[
            "diff", "rules", "analysis", "graph", "model", "source", "lang", "diag",
        ],
    ),
    (
        "import",
        &["report", "load", "model", "source", "lang", "diag"],
    ),
    (
        "pipeline",
        &[
            "rules", "analysis", "graph", "model", "source", "lang", "diag",
        ],
    ),
    ("init", &["rules", "model", "source", "lang", "diag"]),
    (
        "session",
        &[
            "pipeline", "diff", "rules", "analysis", "graph", "load", "model", "source", "lang",
            "diag",
        ],
    ),
    ("generate", &["model", "source", "lang", "diag"]),
];

/// Files of the binary: command-line glue, allowed everything.
const BINARY: &[&str] = &["main", "cli", "clock", "console", "progress", "watch"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The top-level module a file of `src/` belongs to.
fn module_of(relative: &str) -> &str {
    let rest = relative.strip_prefix("src/").unwrap();
    let first = rest.split('/').next().unwrap();
    first.strip_suffix(".rs").unwrap_or(first)
}

/// The modules a file's code names as `crate::MODULE`, with the line, up to its first
/// `#[cfg(test)]`, comments left out.
fn uses(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let code = line.trim_start();
        if code.starts_with("#[cfg(test)]") {
            break;
        }
        if code.starts_with("//") {
            continue;
        }
        let code = code.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.push((i + 1, name));
            }
        }
    }
    found
}

/// Every (file, used module, line) that the table does not allow.
fn breaks() -> Vec<(String, String, usize)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let mut out = Vec::new();
    for path in files {
        let relative = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let module = module_of(&relative).to_string();
        if BINARY.contains(&module.as_str()) || module == "lib" {
            continue;
        }
        let allowed = ALLOWED
            .iter()
            .find(|(m, _)| *m == module)
            .unwrap_or_else(|| panic!("{relative}: module `{module}` is not in the table"))
            .1;
        let text = std::fs::read_to_string(&path).unwrap();
        for (line, used) in uses(&text) {
            if used != module && !allowed.contains(&used.as_str()) {
                out.push((relative.clone(), used, line));
            }
        }
    }
    out
}

#[test]
fn every_use_goes_down_the_pipeline() {
    let found: Vec<String> = breaks()
        .iter()
        .map(|(f, m, line)| format!("{f}:{line} uses crate::{m}"))
        .collect();
    assert!(
        found.is_empty(),
        "uses against the pipeline's direction (ARCHITECTURE.md, Invariants):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_table_names_every_module_of_the_library() {
    let lib = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/lib.rs")).unwrap();
    let declared: BTreeSet<&str> = lib
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub mod "))
        .map(|l| l.trim_end_matches(';'))
        .collect();
    let tabled: BTreeSet<&str> = ALLOWED.iter().map(|(m, _)| *m).collect();
    assert_eq!(declared, tabled);
}

#[test]
fn the_reader_sees_paths_in_use_lines_and_in_code_but_not_in_comments_or_tests() {
    let text = "use crate::model::Topology;\n\
                // crate::report in a comment\n\
                let x = crate::rules::find(code); // crate::diff\n\
                macro_rules! m { () => { $crate::lang::Lang::Ja } }\n\
                #[cfg(test)]\n\
                use crate::load;\n";
    let names: Vec<(usize, String)> = uses(text);
    assert_eq!(
        names,
        [
            (1, "model".to_string()),
            (3, "rules".to_string()),
            (4, "lang".to_string())
        ]
    );
}
