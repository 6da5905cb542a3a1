//! The JSON of `sansou diff --format json`: these types *are* the wire format (docs/OUTPUTS.md
//! describes each member). Fields are only ever added, never renamed or removed. Keys are
//! written in sorted order (through `serde_json::Value`), as they always were; every list is
//! sorted by name, so the same inputs give the same bytes.
//!
//! In short:
//!
//! ```text
//! { "schema_version": 1, "tool": {name, version},
//!   "inputs": [{path, sha256, side: "before"|"after"}],
//!   "before": {path, model, profile, summary {deny, warn, accepted, unknown}},
//!   "after":  {path, model, profile, summary {...}},
//!   "adds_deny": bool,                       (true exactly when the exit code is 1)
//!   "findings": { "added": [finding], "removed": [finding],
//!                 "changed": [{before: finding, after: finding}],
//!                 "widened": [delta], "narrowed": [delta], "rule_changed": [delta],
//!                 "unchanged": count },
//!     finding = {code, name, level, verdict, accepted, subject, message, message_ja,
//!                location {file, line, column} | null, fingerprint, services [svc] | null}
//!     delta = {before: finding, after: finding, opened [svc], closed [svc],
//!              rule {before, after} | null}     (the rule's content, when it changed)
//!   "matrix": [{from_zone, to_zone, opened [svc], closed [svc], before [svc], after [svc],
//!               channels_added [kind:gateway], channels_removed [kind:gateway]}],
//!   "pairs": [{level: "segment"|"host", from, to, opened [svc], closed [svc],
//!              before [svc], after [svc]}],
//!   "attack": { "stores": [{store, before {readable, exfiltrable}, after {...}, new_path,
//!                           path [{kind, host, step, why, why_ja}] (after the change)}],
//!               "compromised_added": [host], "compromised_removed": [host] } }
//! ```

use serde::Serialize;

use super::check_json::Summary;
use super::diff::DiffReport;
use super::json::Tool;
use crate::diff::{FindingDelta, FindingState, Snapshot, StoreState};
use crate::source::SourceMap;

/// The whole document: its own envelope, since its inputs come from two sides.
#[derive(Serialize)]
pub struct DiffJson<'a> {
    pub schema_version: u32,
    pub tool: Tool,
    /// Every input file of both sides.
    pub inputs: Vec<InputJson<'a>>,
    pub before: SideJson<'a>,
    pub after: SideJson<'a>,
    /// True exactly when the exit code is 1: the change adds a deny-level finding.
    pub adds_deny: bool,
    pub findings: FindingsJson<'a>,
    /// The zone-matrix cells that changed.
    pub matrix: Vec<CellJson<'a>>,
    /// The segment and host pairs whose services changed.
    pub pairs: Vec<PairJson<'a>>,
    pub attack: AttackJson<'a>,
}

#[derive(Serialize)]
pub struct InputJson<'a> {
    pub path: &'a str,
    pub sha256: String,
    /// `before` or `after`.
    pub side: &'static str,
}

/// One side of the change.
#[derive(Serialize)]
pub struct SideJson<'a> {
    pub path: &'a str,
    pub model: &'a str,
    pub profile: &'a str,
    pub summary: Summary,
}

/// Findings matched by fingerprint (code and subject) across the sides.
#[derive(Serialize)]
pub struct FindingsJson<'a> {
    pub added: Vec<FindingJson<'a>>,
    pub removed: Vec<FindingJson<'a>>,
    /// Same fingerprint, another level, verdict or acceptance.
    pub changed: Vec<ChangeJson<'a>>,
    /// More services get through after the change.
    pub widened: Vec<DeltaJson<'a>>,
    pub narrowed: Vec<DeltaJson<'a>>,
    /// A finding about a rule whose content changed, wider or narrower not told.
    pub rule_changed: Vec<DeltaJson<'a>>,
    /// How many findings stay as they were.
    pub unchanged: usize,
}

/// A finding on one side.
#[derive(Serialize)]
pub struct FindingJson<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub level: &'static str,
    pub verdict: &'static str,
    pub accepted: bool,
    pub subject: &'a str,
    pub message: &'a str,
    pub message_ja: &'a str,
    /// `{file, line, column}`, or `null`.
    pub location: Option<LocationJson<'a>>,
    pub fingerprint: &'a str,
    /// The services that get through, for a finding about packets; else `null`.
    pub services: Option<Vec<String>>,
}

#[derive(Serialize)]
pub struct LocationJson<'a> {
    pub file: &'a str,
    pub line: usize,
    pub column: usize,
}

#[derive(Serialize)]
pub struct ChangeJson<'a> {
    pub before: FindingJson<'a>,
    pub after: FindingJson<'a>,
}

/// A finding whose services changed.
#[derive(Serialize)]
pub struct DeltaJson<'a> {
    pub before: FindingJson<'a>,
    pub after: FindingJson<'a>,
    pub opened: Vec<String>,
    pub closed: Vec<String>,
    /// The rule's content before and after, when it changed; else `null`.
    pub rule: Option<RuleChangeJson<'a>>,
}

#[derive(Serialize)]
pub struct RuleChangeJson<'a> {
    pub before: &'a str,
    pub after: &'a str,
}

/// A zone-matrix cell that changed.
#[derive(Serialize)]
pub struct CellJson<'a> {
    pub from_zone: &'a str,
    pub to_zone: &'a str,
    pub opened: Vec<String>,
    pub closed: Vec<String>,
    pub before: Vec<String>,
    pub after: Vec<String>,
    /// `kind:gateway`.
    pub channels_added: &'a [String],
    pub channels_removed: &'a [String],
}

/// A pair of segments or hosts whose services changed.
#[derive(Serialize)]
pub struct PairJson<'a> {
    /// `segment` or `host`.
    pub level: &'static str,
    pub from: &'a str,
    pub to: &'a str,
    pub opened: Vec<String>,
    pub closed: Vec<String>,
    pub before: Vec<String>,
    pub after: Vec<String>,
}

/// Attack exposure per store, and hosts newly taken or no longer taken.
#[derive(Serialize)]
pub struct AttackJson<'a> {
    pub stores: Vec<StoreJson<'a>>,
    pub compromised_added: &'a [String],
    pub compromised_removed: &'a [String],
}

#[derive(Serialize)]
pub struct StoreJson<'a> {
    pub store: &'a str,
    pub before: ExposureJson,
    pub after: ExposureJson,
    /// Whether the path after the change is new.
    pub new_path: bool,
    /// The attack path after the change.
    pub path: Vec<StepJson<'a>>,
}

#[derive(Serialize)]
pub struct ExposureJson {
    pub readable: bool,
    pub exfiltrable: bool,
}

#[derive(Serialize)]
pub struct StepJson<'a> {
    pub kind: &'a str,
    pub host: &'a str,
    /// The step's key, as diff matches steps.
    pub step: &'a str,
    /// In English; `why_ja` in Japanese.
    pub why: &'a str,
    pub why_ja: &'a str,
}

fn finding_json(f: &FindingState) -> FindingJson<'_> {
    FindingJson {
        code: &f.code,
        name: &f.name,
        level: f.level.as_str(),
        verdict: f.verdict.as_str(),
        accepted: f.accepted,
        subject: &f.subject,
        message: &f.message.en,
        message_ja: &f.message.ja,
        location: f.location.as_ref().map(|p| LocationJson {
            file: &p.file,
            line: p.line,
            column: p.column,
        }),
        fingerprint: &f.fingerprint,
        services: f.services.as_ref().map(|s| s.names()),
    }
}

fn delta_json(c: &FindingDelta) -> DeltaJson<'_> {
    DeltaJson {
        before: finding_json(&c.before),
        after: finding_json(&c.after),
        opened: c.opened.names(),
        closed: c.closed.names(),
        rule: c
            .rule
            .as_ref()
            .map(|(before, after)| RuleChangeJson { before, after }),
    }
}

fn side_json<'a>(path: &'a str, s: &'a Snapshot) -> SideJson<'a> {
    let sum = &s.summary;
    SideJson {
        path,
        model: &s.model,
        profile: &s.profile,
        summary: Summary {
            deny: sum.deny,
            warn: sum.warn,
            accepted: sum.accepted,
            unknown: sum.unknown,
        },
    }
}

fn inputs<'a>(sources: &'a SourceMap, side: &'static str) -> impl Iterator<Item = InputJson<'a>> {
    sources.files().map(move |(_, f)| InputJson {
        path: &f.name,
        sha256: f.sha256().to_string(),
        side,
    })
}

fn exposure(s: &StoreState) -> ExposureJson {
    ExposureJson {
        readable: s.readable,
        exfiltrable: s.exfiltrable,
    }
}

/// The document's members.
pub fn document<'a>(r: &DiffReport<'a>) -> DiffJson<'a> {
    let d = r.diff;
    DiffJson {
        schema_version: super::json::SCHEMA_VERSION,
        tool: Tool::sansou(),
        inputs: inputs(r.before_sources, "before")
            .chain(inputs(r.after_sources, "after"))
            .collect(),
        before: side_json(r.before_path, &d.before),
        after: side_json(r.after_path, &d.after),
        adds_deny: d.adds_deny(),
        findings: FindingsJson {
            added: d.findings_added.iter().map(finding_json).collect(),
            removed: d.findings_removed.iter().map(finding_json).collect(),
            changed: d
                .findings_changed
                .iter()
                .map(|c| ChangeJson {
                    before: finding_json(&c.before),
                    after: finding_json(&c.after),
                })
                .collect(),
            widened: d.findings_widened.iter().map(delta_json).collect(),
            narrowed: d.findings_narrowed.iter().map(delta_json).collect(),
            rule_changed: d.findings_rule_changed.iter().map(delta_json).collect(),
            unchanged: d.findings_unchanged,
        },
        matrix: d
            .cells
            .iter()
            .map(|c| CellJson {
                from_zone: &c.from,
                to_zone: &c.to,
                opened: c.opened.names(),
                closed: c.closed.names(),
                before: c.before.services.names(),
                after: c.after.services.names(),
                channels_added: &c.channels_added,
                channels_removed: &c.channels_removed,
            })
            .collect(),
        pairs: d
            .pairs
            .iter()
            .map(|p| PairJson {
                level: p.level.as_str(),
                from: &p.from,
                to: &p.to,
                opened: p.opened.names(),
                closed: p.closed.names(),
                before: p.before.names(),
                after: p.after.names(),
            })
            .collect(),
        attack: AttackJson {
            stores: d
                .stores
                .iter()
                .map(|c| StoreJson {
                    store: &c.store,
                    before: exposure(&c.before),
                    after: exposure(&c.after),
                    new_path: c.new_path(),
                    path: c
                        .after
                        .path
                        .iter()
                        .map(|p| StepJson {
                            kind: &p.kind,
                            host: &p.host,
                            step: &p.key,
                            why: &p.text.en,
                            why_ja: &p.text.ja,
                        })
                        .collect(),
                })
                .collect(),
            compromised_added: &d.compromised_added,
            compromised_removed: &d.compromised_removed,
        },
    }
}

/// The whole JSON document, pretty-printed with a final newline.
pub fn json(r: &DiffReport<'_>) -> String {
    let doc = serde_json::to_value(document(r)).expect("output types always serialize");
    let mut text = serde_json::to_string_pretty(&doc).expect("JSON values always serialize");
    text.push('\n');
    text
}
