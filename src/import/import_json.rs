//! The JSON of `sansou import --format json`: these types *are* the wire format. Fields are
//! only ever added, never renamed or removed.
//!
//! The document is the envelope of `report::json` (inputs: the configuration, the mapping, an
//! ipset or route dump) with the members of [`ImportJson`] next to it; keys are written in
//! sorted order (through `serde_json::Value`).
//!
//! ```text
//! { "schema_version", "tool", "inputs": [{path, sha256}],
//!   "import": {vendor, config, device, written, interfaces, policy_rules, filters,
//!              filter_rules, default, stateful, approximated_rules},
//!   "warnings": [{line, topic, message}],
//!   "topics": [{topic, count, first_line, first_message, lines}] }
//! ```

use serde::Serialize;

use super::common::warning_groups;
use super::{Imported, Vendor, Warning, approximated_rules};

/// The members `import` adds to the envelope.
#[derive(Serialize)]
pub struct ImportJson<'a> {
    pub import: SummaryJson<'a>,
    #[serde(flatten)]
    pub warnings: WarningsJson<'a>,
}

/// What was imported.
#[derive(Serialize)]
pub struct SummaryJson<'a> {
    /// `fortigate`, `cisco-ios`, `asa`, `yamaha-rtx`, `iptables` or `paloalto`.
    pub vendor: &'static str,
    /// The configuration file, as named on the command line.
    pub config: &'a str,
    /// The firewall's id (the mapping's `device`).
    pub device: &'a str,
    /// The topology file written.
    pub written: &'a str,
    pub interfaces: usize,
    /// Rules of the policy list.
    pub policy_rules: usize,
    /// Interface filters, and the rules they hold in all.
    pub filters: usize,
    pub filter_rules: usize,
    /// The policy list's default: `allow` or `deny`.
    pub default: &'static str,
    pub stateful: bool,
    /// Rules (policy list and filters) read approximately, marked `approximation`.
    pub approximated_rules: usize,
}

/// Every warning, and the topics they group into.
#[derive(Serialize)]
pub struct WarningsJson<'a> {
    /// In line order.
    pub warnings: Vec<WarningJson<'a>>,
    /// In the order of each topic's first warning.
    pub topics: Vec<TopicJson<'a>>,
}

#[derive(Serialize)]
pub struct WarningJson<'a> {
    /// The configuration line, from 1 (0: the file as a whole).
    pub line: usize,
    /// What the warning is about; its message when it has no topic of its own.
    pub topic: &'a str,
    pub message: &'a str,
}

#[derive(Serialize)]
pub struct TopicJson<'a> {
    pub topic: &'a str,
    /// How many warnings share it.
    pub count: usize,
    pub first_line: usize,
    pub first_message: &'a str,
    /// The line of every warning of the topic.
    pub lines: Vec<usize>,
}

/// The warnings as JSON: every warning, and the groups.
pub fn warnings_json(warnings: &[Warning]) -> WarningsJson<'_> {
    WarningsJson {
        warnings: warnings
            .iter()
            .map(|w| WarningJson {
                line: w.line,
                topic: w.key(),
                message: &w.message,
            })
            .collect(),
        topics: warning_groups(warnings)
            .into_iter()
            .map(|g| TopicJson {
                topic: g.topic,
                count: g.lines.len(),
                first_line: g.first.line,
                first_message: &g.first.message,
                lines: g.lines,
            })
            .collect(),
    }
}

/// `sansou import --format json`: the shared envelope, what was imported, and every warning
/// with the topics they group into.
pub fn json(
    inputs: &[(String, String)],
    imported: &Imported,
    vendor: Vendor,
    config: &str,
    written: &str,
) -> String {
    let mut sources = crate::source::SourceMap::default();
    for (name, text) in inputs {
        sources.add(name.as_str(), text.as_str());
    }
    let fw = &imported.firewall;
    let body = ImportJson {
        import: SummaryJson {
            vendor: vendor.name(),
            config,
            device: &fw.id,
            written,
            interfaces: fw.interfaces.len(),
            policy_rules: fw.rules.len(),
            filters: fw.filters.len(),
            filter_rules: fw.filters.iter().map(|f| f.rules.len()).sum(),
            default: fw.default.as_str(),
            stateful: fw.stateful,
            approximated_rules: approximated_rules(imported),
        },
        warnings: warnings_json(&imported.warnings),
    };
    crate::report::json::document(&sources, body)
}
