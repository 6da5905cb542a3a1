//! The JSON of `sansou check --format json`: these types *are* the wire format (docs/OUTPUTS.md).
//! Fields are only ever added, never renamed or removed; a change here is a change of the
//! format, so it shows up in review in this one file.
//!
//! The document is the envelope of `report::json` (`schema_version`, `tool`, `inputs`) with
//! the members of [`CheckJson`] next to it. Keys are written in sorted order whatever the
//! order of the fields below (`json::document` goes through `serde_json::Value`, whose maps
//! are sorted), as they always were. A field that is `Option` without `skip` is written as
//! `null` when absent; one marked "only when" is left out.
//!
//! In short (each type below says what its fields mean):
//!
//! ```text
//! { "schema_version": 1, "tool": {name, version}, "inputs": [{path, sha256}],
//!   "model": "alpha", "model_source": "policy|topology|default", "profile": "alpha",
//!   "date": "2026-11-22", "guideline_edition": "R6.10",
//!   "catalogue_summary": {items, evaluated, not_applied, not_implemented, manual_evidence},
//!   "catalogue": [{code, title, title_ja, severity, tag, interpretive, status,
//!                  evidence_needed?, evidence_needed_ja?}],
//!   "summary": {deny, warn, accepted, unknown},
//!   "rules": [{code, name, level, verdict, guideline, checked, failed, unknown, accepted}],
//!   "findings": [{code, name, level, verdict, message, message_ja, subject,
//!                 location {file, line, column} | null,
//!                 path [hops] (packet witness hops; [] when none),
//!                 evidence {kind: "packets", from, to, services, witness} | {kind: "steps", steps},
//!                 approximated? (true when it rests on an imported rule read approximately),
//!                 exception? {reason, approved_by, expires},
//!                 fingerprint (code and subject, `rules::fingerprint`),
//!                 content | null (what an exception's `accepted` pins, `rules::content`),
//!                 group? (the fingerprint of its group in `groups`)}],
//!   "groups": [{fingerprint, code, name ("fw-lg/3 + fw-mn/3"),
//!               rules [{subject, firewall, list, default, content | null, location}],
//!               count, findings [finding fingerprints]}] }
//! ```

use serde::Serialize;

use super::check::{catalogue_counts, rests_on_approximation};
use super::names;
use super::paths_json::{HopJson, WitnessJson, witness_json};
use crate::analysis::reach::Reachability;
use crate::rules::engine::{CheckResult, Finding};
use crate::rules::{Evidence, catalogue, group};
use crate::source::{Loc, SourceMap};

/// The members `check` adds to the envelope.
#[derive(Serialize)]
pub struct CheckJson {
    /// The network model the rules were chosen for: `alpha`, `alpha-prime`, `beta`...
    pub model: &'static str,
    /// Where the model came from: `policy`, `topology` or `default`.
    pub model_source: &'static str,
    /// The profile whose levels applied (the model's name unless the policy says otherwise).
    pub profile: String,
    /// The run's date, `YYYY-MM-DD` (`SOURCE_DATE_EPOCH` fixes it).
    pub date: String,
    /// The guideline edition in force, e.g. `R6.10`.
    pub guideline_edition: &'static str,
    pub catalogue_summary: CatalogueSummary,
    /// Every item of the guideline catalogue, in catalogue order.
    pub catalogue: Vec<CatalogueItem>,
    pub summary: Summary,
    /// Every rule evaluated (level not `allow`), in registry order.
    pub rules: Vec<RuleResult>,
    pub findings: Vec<FindingJson>,
    /// Findings of one code that the same firewall rules let through (`rules::group`).
    pub groups: Vec<GroupJson>,
}

/// The catalogue's 62 items counted by their status in this run.
#[derive(Serialize)]
pub struct CatalogueSummary {
    pub items: usize,
    pub evaluated: usize,
    pub not_applied: usize,
    pub not_implemented: usize,
    pub manual_evidence: usize,
}

/// One catalogue item with its status.
#[derive(Serialize)]
pub struct CatalogueItem {
    pub code: &'static str,
    /// The title in English; `title_ja` in Japanese.
    pub title: &'static str,
    pub title_ja: &'static str,
    /// `MUST`, `SHOULD`, `ADVISORY` or `VERIFY`.
    pub severity: &'static str,
    /// The confidence tag: `V`, `G`, `I`, `V-lesson`... joined by `/`.
    pub tag: &'static str,
    /// Whether the item is an interpretation rather than the guideline's words.
    pub interpretive: bool,
    /// `evaluated`, `not-applied`, `not-implemented` or `manual-evidence`.
    pub status: &'static str,
    /// Only for items no design settles: the evidence an auditor must see instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence_needed: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence_needed_ja: Option<&'static str>,
}

/// Findings counted by how they stand.
#[derive(Serialize)]
pub struct Summary {
    pub deny: usize,
    pub warn: usize,
    pub accepted: usize,
    pub unknown: usize,
}

/// One evaluated rule's result.
#[derive(Serialize)]
pub struct RuleResult {
    pub code: String,
    pub name: String,
    /// `deny` or `warn`.
    pub level: &'static str,
    /// `pass`, `fail` or `unknown`.
    pub verdict: &'static str,
    /// The guideline reference, with the edition in force.
    pub guideline: String,
    pub checked: usize,
    pub failed: usize,
    pub unknown: usize,
    pub accepted: usize,
}

/// A place in an input file; `origin` and `approximation` only for an imported rule.
#[derive(Clone, Serialize)]
pub struct Location {
    pub file: String,
    pub line: usize,
    /// In characters, from 1.
    pub column: usize,
    /// Only when the place is an imported rule: its configuration line, `FILE:LINE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// Only when that rule was read approximately: what the importer could not represent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approximation: Option<String>,
}

/// A failed or unknown verdict.
#[derive(Serialize)]
pub struct FindingJson {
    pub code: String,
    pub name: String,
    pub level: &'static str,
    pub verdict: &'static str,
    /// In English; `message_ja` in Japanese.
    pub message: String,
    pub message_ja: String,
    /// What the finding is about (`host:ID`, `FROM -> TO`...), which exceptions match.
    pub subject: String,
    /// `null` when the subject has no place in the inputs.
    pub location: Option<Location>,
    /// The hops of the packet witness (`[]` when there is none), as `paths` writes them.
    pub path: Vec<HopJson>,
    pub evidence: Option<EvidenceJson>,
    /// Only when the finding rests on an imported rule read approximately: `true`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub approximated: bool,
    /// Only for a finding an exception accepts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exception: Option<ExceptionJson>,
    /// The key that follows the finding from run to run: code and subject
    /// (`rules::fingerprint`).
    pub fingerprint: String,
    /// What an exception's `accepted` pins (`rules::content`), or `null`.
    pub content: Option<String>,
    /// Only for a member of a group: the group's fingerprint in `groups`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

/// Why a finding holds: packets that get through, or steps of an attack path.
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum EvidenceJson {
    Packets {
        from: String,
        to: String,
        /// `tcp/445`, `udp/53`, `any`...
        services: Vec<String>,
        /// A concrete flow followed hop by hop, as `paths` writes it, or `null`.
        witness: Option<Box<WitnessJson>>,
    },
    Steps {
        /// In English; `steps_ja` in Japanese.
        steps: Vec<String>,
        steps_ja: Vec<String>,
    },
}

/// The exception that accepts a finding.
#[derive(Serialize)]
pub struct ExceptionJson {
    pub reason: String,
    pub approved_by: String,
    /// `YYYY-MM-DD`, or `null` when it does not expire.
    pub expires: Option<String>,
}

/// Findings of one code whose witnesses the same firewall rules let through.
#[derive(Serialize)]
pub struct GroupJson {
    pub fingerprint: String,
    pub code: String,
    /// The rules, e.g. `fw-lg/3 + fw-mn/3`.
    pub name: String,
    pub rules: Vec<GroupRule>,
    pub count: usize,
    /// The fingerprints of its findings, which stay in `findings` too.
    pub findings: Vec<String>,
}

/// A firewall rule (or a list's default) that lets a group's findings through.
#[derive(Serialize)]
pub struct GroupRule {
    pub subject: String,
    pub firewall: String,
    pub list: String,
    /// Whether it is the list's default action rather than a written rule.
    pub default: bool,
    /// The rule's content as exceptions pin it, or `null` for a default.
    pub content: Option<String>,
    pub location: Location,
}

/// The `check` members for a run.
pub fn json(reach: &Reachability<'_>, sources: &SourceMap, result: &CheckResult) -> CheckJson {
    let s = result.summary();
    let c = catalogue_counts(result);
    let groups = group::groups(reach.topo, &result.findings);
    let member_of = group::membership(&groups, result.findings.len());
    let origins = names::Origins::new(reach.topo);
    CheckJson {
        model: result.model.as_str(),
        model_source: result.model_source,
        profile: result.profile.clone(),
        date: result.today.clone(),
        guideline_edition: result.edition.code,
        catalogue_summary: CatalogueSummary {
            items: catalogue::ITEMS.len(),
            evaluated: c.evaluated,
            not_applied: c.not_applied,
            not_implemented: c.not_implemented,
            manual_evidence: c.manual,
        },
        catalogue: catalogue_items(result),
        summary: Summary {
            deny: s.deny,
            warn: s.warn,
            accepted: s.accepted,
            unknown: s.unknown,
        },
        rules: result.results.iter().map(rule_result).collect(),
        findings: result
            .findings
            .iter()
            .zip(&member_of)
            .map(|(f, g)| {
                let group = g.map(|g| groups[g].fingerprint());
                finding(reach, sources, &origins, f, group)
            })
            .collect(),
        groups: groups_json(reach, sources, result, &groups),
    }
}

fn catalogue_items(result: &CheckResult) -> Vec<CatalogueItem> {
    let evaluated = |code: &str| result.results.iter().any(|r| r.code == code);
    catalogue::ITEMS
        .iter()
        .map(|i| CatalogueItem {
            code: i.code,
            title: i.title_en,
            title_ja: i.title_ja,
            severity: i.severity.as_str(),
            tag: i.tag,
            interpretive: i.interpretive(),
            status: catalogue::status(i, &evaluated).as_str(),
            evidence_needed: i.manual.map(|(_, en)| en),
            evidence_needed_ja: i.manual.map(|(ja, _)| ja),
        })
        .collect()
}

fn rule_result(r: &crate::rules::engine::RuleResult) -> RuleResult {
    RuleResult {
        code: r.code.clone(),
        name: r.name.clone(),
        level: r.level.as_str(),
        verdict: r.verdict.as_str(),
        guideline: r.guideline.clone(),
        checked: r.checked,
        failed: r.failed,
        unknown: r.unknown,
        accepted: r.accepted,
    }
}

/// A place, with the configuration line and approximation of an imported rule there.
fn location(sources: &SourceMap, origins: &names::Origins<'_>, l: Loc) -> Location {
    let p = sources.position(l);
    Location {
        file: p.file,
        line: p.line,
        column: p.column,
        origin: origins.at(l).map(str::to_string),
        approximation: origins.approximation(l).map(str::to_string),
    }
}

fn finding(
    reach: &Reachability<'_>,
    sources: &SourceMap,
    origins: &names::Origins<'_>,
    f: &Finding,
    group: Option<String>,
) -> FindingJson {
    let topo = reach.topo;
    let (path, evidence) = match &f.evidence {
        Some(Evidence::Packets {
            from,
            to,
            services,
            witness,
        }) => {
            let w = witness.as_ref().map(|w| witness_json(reach, sources, w));
            let hops = w.as_ref().map(|w| w.hops.clone()).unwrap_or_default();
            let evidence = EvidenceJson::Packets {
                from: names::endpoint(topo, *from),
                to: names::endpoint(topo, *to),
                services: services.names(),
                witness: w.map(Box::new),
            };
            (hops, Some(evidence))
        }
        Some(Evidence::Steps(steps)) => {
            let evidence = EvidenceJson::Steps {
                steps: steps.iter().map(|s| s.en.clone()).collect(),
                steps_ja: steps.iter().map(|s| s.ja.clone()).collect(),
            };
            (Vec::new(), Some(evidence))
        }
        None => (Vec::new(), None),
    };
    FindingJson {
        code: f.code.clone(),
        name: f.name.clone(),
        level: f.level.as_str(),
        verdict: f.verdict.as_str(),
        message: f.message.en.clone(),
        message_ja: f.message.ja.clone(),
        subject: f.subject.clone(),
        location: f.loc.map(|l| location(sources, origins, l)),
        path,
        evidence,
        approximated: rests_on_approximation(topo, origins, f),
        exception: f.exception.as_ref().map(|x| ExceptionJson {
            reason: x.reason.clone(),
            approved_by: x.approved_by.clone(),
            expires: x.expires.clone(),
        }),
        fingerprint: f.fingerprint(),
        content: f.content.clone(),
        group,
    }
}

/// The groups of findings with one cause (`rules::group`): each with its rules and the
/// fingerprints of its findings. SARIF carries the same list in its run properties.
pub fn groups_json(
    reach: &Reachability<'_>,
    sources: &SourceMap,
    result: &CheckResult,
    groups: &[group::Group],
) -> Vec<GroupJson> {
    let topo = reach.topo;
    groups
        .iter()
        .map(|g| GroupJson {
            fingerprint: g.fingerprint(),
            code: g.code.clone(),
            name: g.name(),
            rules: g
                .rules
                .iter()
                .map(|c| {
                    let p = names::decision_position(reach, sources, c.firewall, &c.decision);
                    let rule = names::decision_rule(topo, c.firewall, &c.decision);
                    GroupRule {
                        subject: c.subject.clone(),
                        firewall: topo.firewalls[c.firewall].id.to_string(),
                        list: names::list(topo, c.firewall, &c.decision),
                        default: rule.is_none(),
                        content: rule.map(crate::rules::content::rule_text),
                        location: Location {
                            file: p.file,
                            line: p.line,
                            column: p.column,
                            origin: None,
                            approximation: None,
                        },
                    }
                })
                .collect(),
            count: g.members.len(),
            findings: g
                .members
                .iter()
                .map(|&m| result.findings[m].fingerprint())
                .collect(),
        })
        .collect()
}
