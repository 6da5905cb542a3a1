//! The JSON envelope every command's JSON output shares (docs/OUTPUTS.md):
//! `schema_version`, `tool` {name, version} and `inputs` [{path, sha256}]. Command-specific
//! members are added next to them. Fields are only ever added, never renamed or removed.

use crate::source::SourceMap;
use serde::Serialize;
use serde_json::Value;

pub const SCHEMA_VERSION: u32 = 1;

pub use crate::source::sha256_hex;

/// The members every JSON document starts with (the wire format; fields are only added).
#[derive(Serialize)]
pub struct Envelope<'a> {
    /// Bumped only if a field is ever removed or renamed (never so far).
    pub schema_version: u32,
    pub tool: Tool,
    /// Every input file of the run, in the order read.
    pub inputs: Vec<Input<'a>>,
}

#[derive(Serialize)]
pub struct Tool {
    /// `sansou`.
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Serialize)]
pub struct Input<'a> {
    pub path: &'a str,
    pub sha256: String,
}

impl Tool {
    /// This build of sansou.
    pub fn sansou() -> Tool {
        Tool {
            name: "sansou",
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}

/// The envelope with every input file of the run and its SHA-256.
pub fn envelope(sources: &SourceMap) -> Envelope<'_> {
    Envelope {
        schema_version: SCHEMA_VERSION,
        tool: Tool::sansou(),
        inputs: sources
            .files()
            .map(|(_, f)| Input {
                path: &f.name,
                sha256: f.sha256().to_string(),
            })
            .collect(),
    }
}

/// The envelope with a command's members merged in, pretty-printed with a final newline.
/// `body` is a command's typed output (its module's doc comment is the wire format); going
/// through `Value` writes every object's keys in sorted order, as sansou always has.
pub fn document(sources: &SourceMap, body: impl serde::Serialize) -> String {
    let mut doc = serde_json::to_value(envelope(sources)).expect("output types always serialize");
    let body = serde_json::to_value(body).expect("output types always serialize");
    if let (Value::Object(d), Value::Object(b)) = (&mut doc, body) {
        d.extend(b);
    }
    let mut text = serde_json::to_string_pretty(&doc).expect("JSON values always serialize");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    #[test]
    fn sha256_of_abc() {
        assert_eq!(
            super::sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
