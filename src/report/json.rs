//! The JSON envelope every command's JSON output shares (docs/OUTPUTS.md):
//! `schema_version`, `tool` {name, version} and `inputs` [{path, sha256}]. Command-specific
//! members are added next to them. Fields are only ever added, never renamed or removed.

use crate::source::SourceMap;
use serde_json::{Value, json};

pub const SCHEMA_VERSION: u32 = 1;

pub use crate::source::sha256_hex;

/// The envelope with every input file of the run and its SHA-256.
pub fn envelope(sources: &SourceMap) -> Value {
    let inputs: Vec<Value> = sources
        .files()
        .map(|(_, f)| json!({"path": f.name, "sha256": sha256_hex(f.text.as_bytes())}))
        .collect();
    json!({
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "sansou", "version": env!("CARGO_PKG_VERSION")},
        "inputs": inputs,
    })
}

/// The envelope with a command's members merged in, pretty-printed with a final newline.
/// `body` is a command's typed output (its module's doc comment is the wire format); going
/// through `Value` writes every object's keys in sorted order, as sansou always has.
pub fn document(sources: &SourceMap, body: impl serde::Serialize) -> String {
    let mut doc = envelope(sources);
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
