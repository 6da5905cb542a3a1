//! The column mapping of a ledger (`--map COLUMNS.toml`): which column holds which fact of a
//! host, the values to assume where a column is absent or a cell empty, and the ledger's own
//! words for the model's vocabularies.
//!
//! ```toml
//! format = 1
//! sheet = "台帳"                 # optional (spreadsheets): default the first sheet
//! header_row = 3                # optional: default the first row holding the `ip` header
//! [columns]                     # host key = the ledger's column header
//! id = "ホスト名"
//! ip = "IPアドレス"
//! kind = "機器種別"
//! [defaults]                    # optional: when the column is absent or the cell empty
//! kind = "terminal"
//! [values.kind]                 # optional: the ledger's word = the model's word
//! "端末" = "terminal"
//! [values.edr]
//! "導入済" = true
//! ```
//!
//! Read with the loader's [`TableReader`], like the device mapping: every problem is located
//! and unknown keys are errors with a suggestion.

use crate::diag::{Diagnostic, Diagnostics};
use crate::import::mapping::{check_format, parse_file};
use crate::load::doc;
use crate::load::reader::{TableReader, string, type_error};
use std::collections::BTreeMap;

/// A fact of a host that a ledger column can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Id,
    Ip,
    Kind,
    Segment,
    Name,
    Description,
    Services,
    InternetUse,
    Mfa,
    RemovableMedia,
    Edr,
    Antivirus,
    DiskEncryption,
    ClientIsolation,
}

impl Field {
    pub const ALL: [Field; 14] = [
        Field::Id,
        Field::Ip,
        Field::Kind,
        Field::Segment,
        Field::Name,
        Field::Description,
        Field::Services,
        Field::InternetUse,
        Field::Mfa,
        Field::RemovableMedia,
        Field::Edr,
        Field::Antivirus,
        Field::DiskEncryption,
        Field::ClientIsolation,
    ];

    /// The key, as in `[[host]]` of a topology.
    pub fn key(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Ip => "ip",
            Field::Kind => "kind",
            Field::Segment => "segment",
            Field::Name => "name",
            Field::Description => "description",
            Field::Services => "services",
            Field::InternetUse => "internet_use",
            Field::Mfa => "mfa",
            Field::RemovableMedia => "removable_media",
            Field::Edr => "edr",
            Field::Antivirus => "antivirus",
            Field::DiskEncryption => "disk_encryption",
            Field::ClientIsolation => "client_isolation",
        }
    }

    /// Yes-or-no facts.
    pub fn is_bool(self) -> bool {
        matches!(
            self,
            Field::Mfa
                | Field::Edr
                | Field::Antivirus
                | Field::DiskEncryption
                | Field::ClientIsolation
        )
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Columns {
    /// Spreadsheets: the sheet to read (default: the first).
    pub sheet: Option<String>,
    /// 1-based row of the headers (default: the first row holding the `ip` column's header).
    pub header_row: Option<usize>,
    /// Field → the header of its column.
    pub columns: BTreeMap<Field, String>,
    /// Field → the value when its column is absent or the cell empty.
    pub defaults: BTreeMap<Field, String>,
    /// Field → (the ledger's word → the model's word).
    pub values: BTreeMap<Field, BTreeMap<String, String>>,
}

impl Columns {
    /// Parses the mapping text; the error is the rendered diagnostics.
    pub fn parse(name: &str, text: &str) -> Result<Columns, String> {
        parse_file(name, text, decode_root)
    }

    /// The model's word for what a cell of `field` says (mapped through `[values]`).
    pub fn word<'a>(&'a self, field: Field, cell: &'a str) -> &'a str {
        self.values
            .get(&field)
            .and_then(|words| words.get(cell))
            .map_or(cell, String::as_str)
    }
}

fn decode_root(root: &doc::Node, diags: &mut Diagnostics) -> Option<Columns> {
    let mut t = TableReader::new(root, "the column mapping", diags)?;
    check_format(&mut t, root, diags);
    let sheet = t.str("sheet", diags).map(|s| s.value);
    let header_row = t.u64("header_row", diags).and_then(|n| {
        if n.value == 0 {
            diags.push(Diagnostic::error(n.loc, "`header_row` counts from 1").with_label("row 0"));
            None
        } else {
            usize::try_from(n.value).ok()
        }
    });
    let columns = match t.require("columns", diags) {
        Some(node) => fields(node, "[columns]", diags, |n, d| {
            string(n, d).map(|s| s.value)
        }),
        None => BTreeMap::new(),
    };
    for required in [Field::Id, Field::Ip] {
        if !columns.contains_key(&required) && t.key_loc("columns").is_some() {
            diags.push(
                Diagnostic::error(
                    t.key_loc("columns").unwrap_or(t.loc),
                    format!("`[columns]` has no `{}`", required.key()),
                )
                .with_label("every host needs an id and an address")
                .with_note(format!(
                    "write `{} = \"HEADER\"` with the ledger's column header",
                    required.key()
                )),
            );
        }
    }
    let defaults = match t.get("defaults") {
        Some(node) => fields(node, "[defaults]", diags, scalar),
        None => BTreeMap::new(),
    };
    let values = match t.get("values") {
        Some(node) => fields(node, "[values]", diags, |n, d| match &n.value {
            // Every key is one of the ledger's words, so no key of this table is unknown.
            doc::Value::Table(entries) => Some(
                entries
                    .iter()
                    .filter_map(|e| scalar(&e.value, d).map(|v| (e.key.to_string(), v)))
                    .collect(),
            ),
            other => {
                type_error(n, "a table of the ledger's words", other, d);
                None
            }
        }),
        None => BTreeMap::new(),
    };
    t.finish(diags);
    Some(Columns {
        sheet,
        header_row,
        columns,
        defaults,
        values,
    })
}

/// A table whose keys are fields, each value read with `read`; unknown keys reported with a
/// suggestion.
fn fields<T>(
    node: &doc::Node,
    what: &'static str,
    diags: &mut Diagnostics,
    mut read: impl FnMut(&doc::Node, &mut Diagnostics) -> Option<T>,
) -> BTreeMap<Field, T> {
    let mut out = BTreeMap::new();
    let Some(mut t) = TableReader::new(node, what, diags) else {
        return out;
    };
    for field in Field::ALL {
        if let Some(value) = t.get(field.key()).and_then(|n| read(n, diags)) {
            out.insert(field, value);
        }
    }
    t.finish(diags);
    out
}

/// A string, or a boolean / integer written without quotes (`"導入済" = true`, `"10" = 10`),
/// as the text a cell would hold.
fn scalar(node: &doc::Node, diags: &mut Diagnostics) -> Option<String> {
    match &node.value {
        doc::Value::Bool(b) => Some(b.to_string()),
        doc::Value::Integer(i) => Some(i.to_string()),
        _ => string(node, diags).map(|s| s.value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_columns_defaults_and_values() {
        let c = Columns::parse(
            "c.toml",
            "format = 1\nheader_row = 2\n[columns]\nid = \"ホスト名\"\nip = \"IP\"\n[defaults]\nkind = \"terminal\"\n[values.edr]\n\"導入済\" = true\n",
        )
        .unwrap();
        assert_eq!(c.columns[&Field::Id], "ホスト名");
        assert_eq!(c.header_row, Some(2));
        assert_eq!(c.defaults[&Field::Kind], "terminal");
        assert_eq!(c.word(Field::Edr, "導入済"), "true");
        assert_eq!(c.word(Field::Edr, "未"), "未");
    }

    #[test]
    fn problems_are_located() {
        let err = Columns::parse(
            "c.toml",
            "format = 1\n[columns]\nid = \"a\"\nipp = \"b\"\n[values.kind]\nx = [1]\n",
        )
        .unwrap_err();
        assert!(err.contains("c.toml:4:1"), "{err}");
        assert!(err.contains("did you mean `ip`"), "{err}");
        assert!(err.contains("`[columns]` has no `ip`"), "{err}");
        assert!(err.contains("c.toml:6:5"), "{err}");
    }
}
