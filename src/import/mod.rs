//! Importers: device configurations (FortiGate, Cisco IOS, Cisco ASA, YAMAHA RTX, iptables, PAN-OS) → one
//! [`Firewall`] of the topology model, written out as a topology file that merges with the
//! hand-written rest of the topology.
//!
//! Every vendor module has the same entry point, [`Importer`]: it reads the configuration text,
//! keeps the vendor's semantics (order, implicit deny, direction, objects and groups), and
//! returns the firewall with every rule's `origin` set to `FILE:LINE` of the configuration,
//! plus the warnings for everything it could not use. Nothing is ever silently dropped, and
//! no secret (password, key, community) is ever copied into the output or a message.
//!
//! Shared pieces (warnings, interface resolution, address and service sets, port names) live
//! in [`common`]; the mapping file in [`mapping`]. Coverage and limits per vendor are in
//! `docs/IMPORTERS.md`.

pub mod cisco_asa;
pub mod cisco_ios;
pub mod common;
pub mod fortigate;
pub mod import_json;
pub mod inventory;
pub mod ip_route;
pub mod ipset;
pub mod iptables;
pub mod mapping;
pub mod paloalto;
pub mod routes;
pub mod yamaha_rtx;

pub use import_json::json;
pub use mapping::Mapping;

use crate::model::{Firewall, Topology};

/// Something in the configuration that the importer could not use, or used with a caveat.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    /// 1-based line of the configuration the warning is about (0: the file as a whole).
    pub line: usize,
    pub message: String,
    /// What the warning is about when many lines share it (`` `ip inspect` not modelled ``):
    /// the import prints such warnings as one group with a count and the first line
    /// ([`common::warning_groups`]). `None`: the warning is its own topic (warnings with the
    /// same message still group).
    pub topic: Option<String>,
}

impl Warning {
    pub fn new(line: usize, message: impl Into<String>) -> Warning {
        Warning {
            line,
            message: message.into(),
            topic: None,
        }
    }

    /// A warning that groups with the others of its topic.
    pub fn on(line: usize, topic: impl Into<String>, message: impl Into<String>) -> Warning {
        Warning {
            line,
            message: message.into(),
            topic: Some(topic.into()),
        }
    }

    /// The key warnings are grouped by.
    pub fn key(&self) -> &str {
        self.topic.as_deref().unwrap_or(&self.message)
    }
}

/// A configuration the importer cannot read at all (not a device configuration of this
/// vendor, or structurally broken): reported with its line, exit code 2.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl ImportError {
    /// An error about a whole line (column 1).
    pub fn at_line(line: usize, message: impl Into<String>) -> ImportError {
        ImportError {
            line,
            column: 1,
            message: message.into(),
        }
    }

    /// `FILE:LINE:COLUMN: message`, as every located message of sansou reads.
    pub fn located(&self, file: &str) -> String {
        if self.line == 0 {
            format!("{file}: {}", self.message)
        } else {
            format!(
                "{file}:{}:{}: {}",
                self.line,
                self.column.max(1),
                self.message
            )
        }
    }
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ImportError {}

/// The result of importing one configuration.
#[derive(Clone, Debug)]
pub struct Imported {
    pub firewall: Firewall,
    pub warnings: Vec<Warning>,
}

/// What every vendor module provides.
///
/// `file` is the configuration's name as it should appear in `origin` (`fgt.conf`), `text`
/// its contents, `map` where the device's interfaces sit.
pub type Importer = fn(file: &str, text: &str, map: &Mapping) -> Result<Imported, ImportError>;

/// The vendors `sansou import` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Vendor {
    FortiGate,
    CiscoIos,
    YamahaRtx,
    Iptables,
    CiscoAsa,
    PaloAlto,
}

impl Vendor {
    pub const ALL: [Vendor; 6] = [
        Vendor::FortiGate,
        Vendor::CiscoIos,
        Vendor::YamahaRtx,
        Vendor::Iptables,
        Vendor::CiscoAsa,
        Vendor::PaloAlto,
    ];

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Vendor::FortiGate => "fortigate",
            Vendor::CiscoIos => "cisco-ios",
            Vendor::YamahaRtx => "yamaha-rtx",
            Vendor::Iptables => "iptables",
            Vendor::CiscoAsa => "asa",
            Vendor::PaloAlto => "paloalto",
        }
    }

    pub fn parse(name: &str) -> Option<Vendor> {
        Vendor::ALL.into_iter().find(|v| v.name() == name)
    }

    pub fn importer(self) -> Importer {
        match self {
            Vendor::FortiGate => fortigate::import,
            Vendor::CiscoIos => cisco_ios::import,
            Vendor::YamahaRtx => yamaha_rtx::import,
            Vendor::Iptables => iptables::import,
            Vendor::CiscoAsa => cisco_asa::import,
            Vendor::PaloAlto => paloalto::import,
        }
    }
}

/// The imported firewall as a topology file (`DIR/DEVICE.toml`): `format = 1` and one
/// `[[firewall]]`, after a comment saying where it came from, so it merges with the
/// hand-written files of a topology directory.
pub fn to_toml(imported: &Imported, vendor: Vendor, config: &str) -> String {
    let topology = Topology {
        firewalls: vec![imported.firewall.clone()],
        ..Topology::default()
    };
    let header = format!(
        "# Imported by sansou from {} ({}). Re-run `sansou import` rather than editing:\n# every rule's `origin` points at the configuration line it came from.\n",
        config.replace(['\n', '\r'], " "),
        vendor.name()
    );
    header + &crate::report::topology::to_toml(&topology)
}

/// One line saying what was imported: interfaces, rules, filters, default, warnings.
pub fn summary(imported: &Imported, vendor: Vendor, config: &str) -> String {
    let fw = &imported.firewall;
    let filter_rules: usize = fw.filters.iter().map(|f| f.rules.len()).sum();
    let approximated = approximated_rules(imported);
    format!(
        "imported {config} ({}) as firewall `{}`: {} interface(s), {} policy rule(s), {} filter(s) with {} rule(s), default {}, {}, {} warning(s){}",
        vendor.name(),
        fw.id,
        fw.interfaces.len(),
        fw.rules.len(),
        fw.filters.len(),
        filter_rules,
        fw.default,
        if fw.stateful { "stateful" } else { "stateless" },
        imported.warnings.len(),
        if approximated > 0 {
            format!(", {approximated} rule(s) read approximately (marked `approximation`)")
        } else {
            String::new()
        }
    )
}

/// How many imported rules carry an `approximation` (policy list and filters).
pub fn approximated_rules(imported: &Imported) -> usize {
    let fw = &imported.firewall;
    fw.rules
        .iter()
        .chain(fw.filters.iter().flat_map(|f| f.rules.iter()))
        .filter(|r| r.approximation.is_some())
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vendors_round_trip_their_names() {
        for v in Vendor::ALL {
            assert_eq!(Vendor::parse(v.name()), Some(v));
        }
        assert_eq!(Vendor::parse("juniper"), None);
    }

    #[test]
    fn the_written_file_says_where_it_came_from() {
        let map = Mapping::new(
            "fw1",
            [
                ("a", crate::model::Attachment::Segment("s1".into())),
                ("b", crate::model::Attachment::External("x".into())),
            ],
        );
        let imported = Imported {
            firewall: common::firewall(&map, &[], crate::model::Action::Deny, false),
            warnings: Vec::new(),
        };
        let text = to_toml(&imported, Vendor::Iptables, "rules\nwith newline");
        // A newline in the name must not end the comment and start TOML.
        assert!(text.starts_with("# Imported by sansou from rules with newline (iptables)"));
        assert!(text.contains("format = 1\n"));
        assert!(text.contains("id = \"fw1\""));
        assert!(text.contains("stateful = false"));
        let e = ImportError::at_line(3, "bad");
        assert_eq!(e.located("f.conf"), "f.conf:3:1: bad");
        assert_eq!(
            ImportError::at_line(0, "bad").located("f.conf"),
            "f.conf: bad"
        );
    }
}
