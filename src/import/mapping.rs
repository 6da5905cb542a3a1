//! The mapping file: which device interface sits on which segment or external network.
//!
//! ```toml
//! format = 1
//! device = "fw-honcho"              # id of the firewall to create
//! name = "本庁舎 FortiGate"          # optional display name
//! vdom = "root"                     # optional (FortiGate): the VDOM to import
//! vsys = "vsys1"                    # optional (PAN-OS): the vsys to import
//! stateful = true                   # optional: override what the configuration implies
//! isolation_point = true            # optional: copied to the firewall (IR-001, IR-003)
//! [interfaces]                      # device interface name -> where it sits
//! port1 = "segment:lg-office"
//! wan1 = "external:pref-cloud"
//! [fqdn]                            # optional: names the device resolves at run time
//! "update.example.jp" = ["203.0.113.10", "203.0.113.64/26"]
//! ```
//!
//! It is read with the topology loader's machinery (located tree, [`TableReader`]), so every
//! problem is reported at its file:line:column and unknown keys are errors, as in topologies.

use crate::diag::{Diagnostic, Diagnostics};
use crate::load::reader::{TableReader, string};
use crate::load::{Syntax, doc, parse_document};
use crate::model::{AddrRange, Attachment};
use crate::source::{FileId, Loc, SourceMap};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Mapping {
    /// Id of the firewall to create.
    pub device: String,
    /// Device interface name → where it sits.
    pub interfaces: BTreeMap<String, Attachment>,
    /// Display name of the firewall (`name` in the topology).
    pub name: Option<String>,
    /// FortiGate: the VDOM to import (default: the only one, else the first with a warning).
    pub vdom: Option<String>,
    /// PAN-OS: the vsys to import (default: the only one, else the first with a warning).
    pub vsys: Option<String>,
    /// Overrides whether replies return, when the configuration does not say it the way the
    /// importer reads it (an iptables box whose conntrack rule sits in another table).
    pub stateful: Option<bool>,
    /// Copied to the firewall's `isolation_point`: configurations do not say it.
    pub isolation_point: Option<bool>,
    /// `[fqdn]`: addresses of names the device resolves at run time (FortiGate FQDN address
    /// objects, by object name or by FQDN; YAMAHA RTX filter host names), so they are read
    /// exactly instead of as any address.
    pub fqdn: BTreeMap<String, Vec<AddrRange>>,
    /// iptables: the `ipset save` dump given with `--ipset` (not a key of the file).
    pub ipsets: Option<super::ipset::IpSets>,
    /// iptables: the `ip route` dump given with `--routes` (not a key of the file).
    pub routes: Option<super::ip_route::RouteDump>,
}

impl Mapping {
    /// A mapping for `device` with the given interfaces, for tests and library users.
    pub fn new<'a>(
        device: &str,
        interfaces: impl IntoIterator<Item = (&'a str, Attachment)>,
    ) -> Mapping {
        Mapping {
            device: device.to_string(),
            interfaces: interfaces
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
            ..Mapping::default()
        }
    }

    /// Decodes a mapping file already in `sources`. Every problem goes to `diags`; `None` when
    /// there was any error.
    pub fn decode(file: FileId, sources: &SourceMap, diags: &mut Diagnostics) -> Option<Mapping> {
        decode_file(file, sources, diags, decode_root)
    }

    /// Parses mapping text; the error is the rendered diagnostics (file:line:column, caret).
    pub fn parse(name: &str, text: &str) -> Result<Mapping, String> {
        parse_file(name, text, decode_root)
    }
}

/// Decodes a TOML mapping file already in `sources` with `decode_root`; `None` when there was
/// any error (all of them in `diags`).
pub(crate) fn decode_file<T>(
    file: FileId,
    sources: &SourceMap,
    diags: &mut Diagnostics,
    decode_root: impl FnOnce(&doc::Node, &mut Diagnostics) -> Option<T>,
) -> Option<T> {
    let before = diags.error_count();
    let root = parse_document(file, Syntax::Toml, sources, diags)?;
    let value = decode_root(&root, diags);
    (diags.error_count() == before).then_some(value).flatten()
}

/// Parses a TOML mapping file's text; the error is the rendered diagnostics (file:line:column,
/// caret).
pub(crate) fn parse_file<T>(
    name: &str,
    text: &str,
    decode_root: impl FnOnce(&doc::Node, &mut Diagnostics) -> Option<T>,
) -> Result<T, String> {
    let mut sources = SourceMap::default();
    let file = sources.add(name, text);
    let mut diags = Diagnostics::default();
    match decode_file(file, &sources, &mut diags, decode_root) {
        Some(m) => Ok(m),
        None => {
            diags.sort();
            Err(crate::diag::render_all(&sources, &diags))
        }
    }
}

fn decode_root(root: &doc::Node, diags: &mut Diagnostics) -> Option<Mapping> {
    let mut t = TableReader::new(root, "the mapping file", diags)?;
    check_format(&mut t, root, diags);
    let device = t.required_str("device", diags);
    if let Some(d) = &device {
        crate::load::values::check_id(d, diags);
    }
    let name = t.str("name", diags).map(|s| s.value);
    let vdom = t.str("vdom", diags).map(|s| s.value);
    let vsys = t.str("vsys", diags).map(|s| s.value);
    let stateful = t.bool("stateful", diags);
    let isolation_point = t.bool("isolation_point", diags);
    let mut interfaces = BTreeMap::new();
    if let Some(node) = t.require("interfaces", diags)
        && TableReader::new(node, "[interfaces]", diags).is_some()
    {
        // Every key is an interface name, so no key of this table is unknown.
        read_interfaces(node, &mut interfaces, diags);
    }
    let mut fqdn = BTreeMap::new();
    if let Some(node) = t.get("fqdn")
        && TableReader::new(node, "[fqdn]", diags).is_some()
    {
        read_fqdn(node, &mut fqdn, diags);
    }
    t.finish(diags);
    Some(Mapping {
        device: device?.value,
        interfaces,
        name,
        vdom,
        vsys,
        stateful,
        isolation_point,
        fqdn,
        ipsets: None,
        routes: None,
    })
}

fn read_interfaces(
    node: &doc::Node,
    out: &mut BTreeMap<String, Attachment>,
    diags: &mut Diagnostics,
) {
    let doc::Value::Table(entries) = &node.value else {
        return;
    };
    if entries.is_empty() {
        diags.push(
            Diagnostic::error(node.loc, "`[interfaces]` is empty")
                .with_label("map at least the interfaces the policies use")
                .with_note("write `PORT = \"segment:ID\"` or `PORT = \"external:ID\"`"),
        );
    }
    for e in entries {
        let Some(value) = string(&e.value, diags) else {
            continue;
        };
        match parse_attachment(&value.value) {
            Ok(a) => {
                out.insert(e.key.to_string(), a);
            }
            Err(msg) => diags.push(
                Diagnostic::error(value.loc, format!("invalid attachment `{}`", value.value))
                    .with_label(msg)
                    .with_note("write `segment:ID` or `external:ID`"),
            ),
        }
    }
}

/// Reports a mapping file without `format = 1`, or with another version (shared by the
/// device mapping and the ledger's column mapping).
pub(crate) fn check_format(t: &mut TableReader<'_>, root: &doc::Node, diags: &mut Diagnostics) {
    let start = Loc {
        file: root.loc.file,
        start: 0,
        end: 0,
    };
    match t.get("format") {
        Some(doc::Node {
            value: doc::Value::Integer(1),
            ..
        }) => {}
        Some(n) => diags.push(
            Diagnostic::error(n.loc, "unsupported mapping format")
                .with_label("this version of sansou reads `format = 1`"),
        ),
        None => diags.push(
            Diagnostic::error(start, "the mapping file has no `format = 1`")
                .with_label("expected `format = 1` first")
                .with_note("every sansou input starts with `format = 1`"),
        ),
    }
}

/// `[fqdn]`: `NAME = "ADDRESS"` or `NAME = ["ADDRESS", ...]`, each an address, a prefix or a
/// range (`10.0.0.1-10.0.0.9`), as in topologies.
fn read_fqdn(
    node: &doc::Node,
    out: &mut BTreeMap<String, Vec<AddrRange>>,
    diags: &mut Diagnostics,
) {
    let doc::Value::Table(entries) = &node.value else {
        return;
    };
    for e in entries {
        let items: Vec<&doc::Node> = match &e.value.value {
            doc::Value::Array(list) => list.iter().collect(),
            _ => vec![&e.value],
        };
        let mut ranges = Vec::new();
        for item in items {
            let Some(value) = string(item, diags) else {
                continue;
            };
            match AddrRange::parse(&value.value) {
                Ok(r) => ranges.push(r),
                Err(msg) => diags.push(
                    Diagnostic::error(value.loc, format!("invalid address `{}`", value.value))
                        .with_label(msg)
                        .with_note("write an address, a prefix (`10.0.0.0/24`) or a range (`10.0.0.1-10.0.0.9`)"),
                ),
            }
        }
        out.insert(e.key.to_string(), crate::model::ranges::normalize(ranges));
    }
}

/// `segment:ID` or `external:ID`.
pub fn parse_attachment(text: &str) -> Result<Attachment, String> {
    let (kind, id) = text
        .split_once(':')
        .ok_or("expected `segment:ID` or `external:ID`")?;
    if id.is_empty() {
        return Err(format!("`{kind}:` names nothing"));
    }
    match kind {
        "segment" => Ok(Attachment::Segment(id.to_string())),
        "external" => Ok(Attachment::External(id.to_string())),
        _ => Err(format!(
            "an interface sits on a `segment:` or an `external:`, not `{kind}:`"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_mapping() {
        let m = Mapping::parse(
            "m.toml",
            "format = 1\ndevice = \"fw1\"\nvdom = \"root\"\n[interfaces]\nport1 = \"segment:a\"\n\"port 2\" = \"external:b\"\n",
        )
        .unwrap();
        assert_eq!(m.device, "fw1");
        assert_eq!(m.vdom.as_deref(), Some("root"));
        assert_eq!(
            m.interfaces.get("port1"),
            Some(&Attachment::Segment("a".into()))
        );
        assert_eq!(
            m.interfaces.get("port 2"),
            Some(&Attachment::External("b".into()))
        );
    }

    #[test]
    fn reports_problems_with_their_place() {
        let err = Mapping::parse(
            "m.toml",
            "format = 1\ndevice = \"fw1\"\nstatefull = true\n[interfaces]\nport1 = \"zone:a\"\n",
        )
        .unwrap_err();
        assert!(err.contains("m.toml:3:1"), "{err}");
        assert!(err.contains("unknown key `statefull`"), "{err}");
        assert!(err.contains("did you mean `stateful`"), "{err}");
        assert!(err.contains("m.toml:5:9"), "{err}");
        let err = Mapping::parse(
            "m.toml",
            "device = \"fw1\"\n[interfaces]\na = \"segment:x\"\n",
        )
        .unwrap_err();
        assert!(err.contains("format = 1"), "{err}");
        let err =
            Mapping::parse("m.toml", "format = 1\n[interfaces]\na = \"segment:x\"\n").unwrap_err();
        assert!(err.contains("missing `device`"), "{err}");
    }
}
