//! The SARIF 2.1.0 objects sansou writes: these types *are* the wire format of `check --format
//! sarif` (the subset of the OASIS schema sansou uses, and sansou's `properties` bags). How
//! findings map onto them is in `mod.rs`'s doc comment and docs/OUTPUTS.md.
//!
//! SARIF's own members are camelCase; the members of `properties` bags are sansou's, in
//! snake_case, as in `check --format json`. Keys are written in sorted order (the log goes
//! through `serde_json::Value`, whose maps are sorted), as they always were. An `Option` marked
//! "only when" is left out when absent; one without is written as `null`.

use serde::Serialize;

use crate::report::check_json::{GroupJson, Summary};
use crate::report::rules::LevelsJson;

/// The log: one run.
#[derive(Serialize)]
pub struct Log {
    /// The schema the log declares (`sarif::SCHEMA`).
    #[serde(rename = "$schema")]
    pub schema: &'static str,
    /// `2.1.0`.
    pub version: &'static str,
    pub runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Run {
    pub tool: Tool,
    /// One invocation, carrying the rule-list warnings as notifications.
    pub invocations: Vec<Invocation>,
    /// `ja-JP` or `en-US`: the language of the messages.
    pub language: &'static str,
    /// `unicodeCodePoints`: columns count characters, as sansou's positions do.
    pub column_kind: &'static str,
    /// Every input file, indexed by `ArtifactLocation::index`.
    pub artifacts: Vec<Artifact>,
    pub results: Vec<SarifResult>,
    pub properties: RunProperties,
}

#[derive(Serialize)]
pub struct Tool {
    pub driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Driver {
    pub name: &'static str,
    pub version: &'static str,
    pub semantic_version: &'static str,
    /// Every registry rule, then the policy's own checks that ran; `ruleIndex` points here.
    pub rules: Vec<ReportingDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Invocation {
    pub execution_successful: bool,
    pub tool_execution_notifications: Vec<Notification>,
}

/// An input file with its length and SHA-256.
#[derive(Serialize)]
pub struct Artifact {
    pub location: ArtifactLocation,
    pub length: usize,
    /// `["analysisTarget"]`.
    pub roles: [&'static str; 1],
    pub hashes: Hashes,
}

#[derive(Serialize)]
pub struct Hashes {
    #[serde(rename = "sha-256")]
    pub sha256: String,
}

/// A rule's documentation and default level.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportingDescriptor {
    /// The rule's code, `MN-001`, or a policy check's id.
    pub id: String,
    pub name: String,
    pub short_description: Message,
    pub full_description: Message,
    /// Only for registry rules: why, example and fix, as text and as Markdown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<Help>,
    pub default_configuration: Configuration,
    pub properties: DescriptorProperties,
}

#[derive(Serialize)]
pub struct Help {
    pub text: String,
    pub markdown: String,
}

#[derive(Serialize)]
pub struct Configuration {
    /// `error` (deny), `warning` (warn) or `none` (allow).
    pub level: &'static str,
    pub enabled: bool,
}

#[derive(Serialize)]
pub struct DescriptorProperties {
    /// The guideline reference with the edition in force, or `policy`.
    pub guideline: String,
    /// Only for registry rules: the catalogue's confidence tag.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<&'static str>,
    /// Only for registry rules: the default level per network model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub levels: Option<LevelsJson>,
    /// `["security", "network-separation"]`, or `["security", "policy"]`.
    pub tags: [&'static str; 2],
}

/// One finding.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifResult {
    pub rule_id: String,
    pub rule_index: usize,
    /// `error`, `warning`, or `note` for an unknown verdict.
    pub level: &'static str,
    /// `SUBJECT: message`.
    pub message: Message,
    /// The finding's place; an imported rule's configuration line when it has one.
    pub locations: Vec<Location>,
    /// Only when `locations` names a configuration line: the rule's place in the topology.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related_locations: Option<Vec<Location>>,
    pub partial_fingerprints: Fingerprints,
    /// Only with evidence: the packet's path, or the attack path's steps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_flows: Option<Vec<CodeFlow>>,
    /// Only for a finding an exception accepts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppressions: Option<Vec<Suppression>>,
    pub properties: ResultProperties,
}

/// The key `sansou diff` follows findings by: code and subject, never the message.
#[derive(Serialize)]
pub struct Fingerprints {
    #[serde(rename = "sansouFinding/v2")]
    pub finding: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeFlow {
    /// Only for packets: `FROM → TO: services; e.g. FLOW`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<Message>,
    pub thread_flows: Vec<ThreadFlow>,
}

#[derive(Serialize)]
pub struct ThreadFlow {
    pub locations: Vec<ThreadFlowLocation>,
}

#[derive(Serialize)]
pub struct ThreadFlowLocation {
    pub location: Location,
}

/// An accepted exception.
#[derive(Serialize)]
pub struct Suppression {
    /// `external`: the exception lives in the policy.
    pub kind: &'static str,
    /// `accepted`.
    pub status: &'static str,
    /// The reason, who approved it, and until when.
    pub justification: String,
    /// The exception's place in the policy.
    pub location: Location,
    pub properties: SuppressionProperties,
}

#[derive(Serialize)]
pub struct SuppressionProperties {
    pub approved_by: String,
    pub expires: Option<String>,
}

#[derive(Serialize)]
pub struct ResultProperties {
    pub subject: String,
    /// `fail` or `unknown`.
    pub verdict: &'static str,
    /// `deny` or `warn`.
    #[serde(rename = "sansouLevel")]
    pub sansou_level: &'static str,
    pub message_en: String,
    pub message_ja: String,
    /// Only for a member of a group: its fingerprint, as in the run's `groups`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Only for a member of a group: the firewall rules behind it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
}

/// A rule-list warning of `validate`.
#[derive(Serialize)]
pub struct Notification {
    /// `warning`.
    pub level: &'static str,
    pub message: Message,
    /// The rule's place, then the related places with their messages.
    pub locations: Vec<Location>,
    pub properties: NotificationProperties,
}

#[derive(Serialize)]
pub struct NotificationProperties {
    /// `rule-list`.
    pub kind: &'static str,
    pub notes: Vec<String>,
}

/// A place: in a file, with a message, or both.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub physical_location: Option<PhysicalLocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<Message>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PhysicalLocation {
    pub artifact_location: ArtifactLocation,
    pub region: Region,
}

#[derive(Serialize)]
pub struct ArtifactLocation {
    /// A URI reference: relative paths stay relative (`sarif::path_uri`).
    pub uri: String,
    /// Only for an input file: its index in `artifacts`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<u32>,
}

/// Lines from 1, columns in characters from 1.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Region {
    pub start_line: usize,
    /// Only for places in an input file (a configuration line has no column).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_column: Option<usize>,
    /// Only when the place spans text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_column: Option<usize>,
}

#[derive(Serialize)]
pub struct Message {
    pub text: String,
}

/// sansou's members of the run.
#[derive(Serialize)]
pub struct RunProperties {
    pub model: &'static str,
    pub model_source: &'static str,
    pub profile: String,
    pub date: String,
    pub summary: Summary,
    /// How many rule-list warnings `invocations[0]` carries.
    pub lint_count: usize,
    /// The groups of findings with one cause, as `check --format json` lists them.
    pub groups: Vec<GroupJson>,
}

impl Message {
    pub fn new(text: impl Into<String>) -> Message {
        Message { text: text.into() }
    }
}

impl Location {
    /// A configuration line of an imported rule, which sansou did not read (no column).
    pub fn line_of(uri: String, line: usize, message: Option<String>) -> Location {
        Location {
            physical_location: Some(PhysicalLocation {
                artifact_location: ArtifactLocation { uri, index: None },
                region: Region {
                    start_line: line,
                    start_column: None,
                    end_line: None,
                    end_column: None,
                },
            }),
            message: message.map(Message::new),
        }
    }
}
