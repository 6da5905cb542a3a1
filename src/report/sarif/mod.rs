//! `sansou check --format sarif`: the check result as a SARIF 2.1.0 log, for code review tools
//! that show static-analysis results next to the files they point at.
//!
//! Mapping (docs/OUTPUTS.md has the full table):
//!
//! - `tool.driver.rules`: every rule of the registry (its documentation in the chosen language,
//!   its default level for the run's model, its guideline reference), then the policy's own
//!   `[[assert]]` and `[[matrix]]` checks that ran. `result.ruleIndex` points into this list.
//! - one `result` per finding: `level` is `error` for deny, `warning` for warn, `note` for a
//!   verdict of unknown; the main location is the finding's place in the topology (or policy).
//! - packet evidence becomes a `codeFlow`: the source endpoint, then every firewall decision
//!   on the witness path (at the device configuration line when the rule was imported and
//!   carries `origin = "FILE:LINE"`, else at the rule in the topology), then the destination.
//!   Evidence in steps becomes a `codeFlow` of messages.
//! - an accepted exception becomes a `suppression` of kind `external` with its reason as the
//!   justification and the exception's place in the policy as its location.
//! - the rule-list warnings of `validate` (shadowed and redundant rules) become
//!   `invocations[0].toolExecutionNotifications` (level `warning`, the rule's place first, then
//!   the rule that shadows it), with their count in the run's `properties.lint_count`: they say
//!   how a list is written, not that the design breaks a criterion, so they are not results.
//! - findings with one cause (`rules::group`: the firewall rules that let their packets
//!   through) stay one result each; each carries its group's fingerprint and name in
//!   `properties.group` and `properties.group_name`, and the run's `properties.groups` lists
//!   the groups as `check --format json` does.
//! - `artifacts`: every input file with its SHA-256; regions count columns in Unicode code
//!   points (`columnKind`), as sansou's own positions do.
//!
//! Nothing here depends on the clock or on hash-map order: the same inputs give the same bytes.
//! The objects written are the types of `wire.rs`, whose doc comments are the wire format.

use super::check_json::Summary;
use super::names;
use crate::analysis::reach::{Endpoint, Reachability};
use crate::analysis::witness::{Hop, Witness};
use crate::diag::Diagnostic;
use crate::lang::Lang;
use crate::model::policy::Level;
use crate::rules::engine::{CheckResult, Finding};
use crate::rules::{Evidence, Meta, Verdict, group};
use crate::source::{Loc, SourceMap};

mod wire;
pub use wire::*;

/// The JSON schema the log declares (the OASIS errata 01 schema of SARIF 2.1.0).
pub const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
pub const VERSION: &str = "2.1.0";

/// The SARIF level of a finding: what a code review tool shows as error, warning or note.
pub fn result_level(f: &Finding) -> &'static str {
    if f.verdict == Verdict::Unknown {
        // The rule could not decide: something for a person to look at, not a failure.
        return "note";
    }
    level_name(f.level)
}

fn level_name(l: Level) -> &'static str {
    match l {
        Level::Deny => "error",
        Level::Warn => "warning",
        Level::Allow => "none",
    }
}

/// A path as a URI reference (RFC 3986): relative paths stay relative, absolute ones become
/// `file:` URIs, and every byte outside the unreserved set and `/` is percent-encoded (so a
/// Japanese or spaced file name is still a valid URI).
pub fn path_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let (prefix, rest) = if path.starts_with('/') {
        ("file://", path.as_str())
    } else if path.len() >= 2
        && path.as_bytes()[1] == b':'
        && path.as_bytes()[0].is_ascii_alphabetic()
    {
        // A Windows drive path: C:/x → file:///C:/x (the colon must stay a colon).
        return format!("file:///{}:{}", &path[..1], encode(&path[2..]));
    } else {
        ("", path.as_str())
    };
    format!("{prefix}{}", encode(rest))
}

fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `fgt-honcho.conf:212` → (`fgt-honcho.conf`, 212). `None` when the text does not end in a
/// line number, so the caller falls back to the rule's place in the topology.
pub fn parse_origin(origin: &str) -> Option<(&str, usize)> {
    let (file, line) = origin.rsplit_once(':')?;
    let line: usize = line.trim().parse().ok()?;
    (!file.is_empty() && line > 0).then_some((file, line))
}

/// Builds locations for one run: the artifact index of every input file is known, so every
/// location into an input names it.
struct Locator<'a> {
    sources: &'a SourceMap,
}

impl Locator<'_> {
    fn physical(&self, loc: Loc) -> PhysicalLocation {
        let start = self.sources.position(loc);
        let file = self.sources.file(loc.file);
        let (end_line, end_column) = if loc.end > loc.start {
            let (line, column) = file.line_col(loc.end as usize);
            (Some(line), Some(column))
        } else {
            (None, None)
        };
        PhysicalLocation {
            artifact_location: ArtifactLocation {
                uri: path_uri(&start.file),
                index: Some(loc.file.0),
            },
            region: Region {
                start_line: start.line,
                start_column: Some(start.column),
                end_line,
                end_column,
            },
        }
    }

    fn location(&self, loc: Loc, message: Option<String>) -> Location {
        Location {
            physical_location: Some(self.physical(loc)),
            message: message.map(Message::new),
        }
    }
}

fn artifacts(sources: &SourceMap) -> Vec<Artifact> {
    sources
        .files()
        .map(|(_, f)| Artifact {
            location: ArtifactLocation {
                uri: path_uri(&f.name),
                index: None,
            },
            length: f.text.len(),
            roles: ["analysisTarget"],
            hashes: Hashes {
                sha256: f.sha256().to_string(),
            },
        })
        .collect()
}

fn doc(meta: &Meta, lang: Lang) -> &crate::rules::Doc {
    match lang {
        Lang::Ja => &meta.ja,
        Lang::En => &meta.en,
    }
}

/// One reportingDescriptor for a registry rule.
fn rule_descriptor(meta: &Meta, result: &CheckResult, lang: Lang) -> ReportingDescriptor {
    let d = doc(meta, lang);
    let default = meta.levels.for_model(result.model);
    let parts = [
        (lang.pick("なぜ重要か", "Why it matters"), d.why),
        (lang.pick("例", "Example"), d.example),
        (lang.pick("修正方法", "How to fix"), d.fix),
    ];
    // The same text twice: plain (`Heading: body`) and Markdown (`## Heading`).
    let mut help = d.what.to_string();
    let mut markdown = d.what.to_string();
    for (heading, body) in parts {
        help.push_str(&format!("\n\n{heading}: {body}"));
        markdown.push_str(&format!("\n\n## {heading}\n{body}"));
    }
    ReportingDescriptor {
        id: meta.code.to_string(),
        name: meta.name.to_string(),
        short_description: Message::new(d.title),
        full_description: Message::new(d.what),
        help: Some(Help {
            text: help,
            markdown,
        }),
        default_configuration: Configuration {
            level: level_name(default),
            enabled: default != Level::Allow,
        },
        properties: DescriptorProperties {
            guideline: crate::rules::sources::with_edition(meta.guideline, result.edition),
            confidence: Some(meta.confidence),
            levels: Some((&meta.levels).into()),
            tags: ["security", "network-separation"],
        },
    }
}

/// A reportingDescriptor for a check the policy defines (`[[assert]]`, `[[matrix]]`): it has
/// no documentation beyond its name, and it always runs at the level the policy gives it.
fn policy_descriptor(code: &str, name: &str, level: Level, lang: Lang) -> ReportingDescriptor {
    let title = match lang {
        Lang::Ja => format!("ポリシーで定義された検査 {code}"),
        Lang::En => format!("check defined by the policy: {code}"),
    };
    ReportingDescriptor {
        id: code.to_string(),
        name: name.to_string(),
        short_description: Message::new(title),
        full_description: Message::new(name),
        help: None,
        default_configuration: Configuration {
            level: level_name(level),
            enabled: level != Level::Allow,
        },
        properties: DescriptorProperties {
            guideline: "policy".into(),
            confidence: None,
            levels: None,
            tags: ["security", "policy"],
        },
    }
}

/// The rules array and, for each rule id, its index in it.
fn rules(
    result: &CheckResult,
    lang: Lang,
) -> (
    Vec<ReportingDescriptor>,
    std::collections::BTreeMap<String, usize>,
) {
    let mut list = Vec::new();
    let mut index = std::collections::BTreeMap::new();
    for rule in crate::rules::registry() {
        let meta = rule.meta();
        index.insert(meta.code.to_string(), list.len());
        list.push(rule_descriptor(meta, result, lang));
    }
    for r in &result.results {
        if !index.contains_key(&r.code) {
            index.insert(r.code.clone(), list.len());
            list.push(policy_descriptor(&r.code, &r.name, r.level, lang));
        }
    }
    (list, index)
}

fn endpoint_loc(reach: &Reachability<'_>, e: Endpoint) -> Loc {
    e.loc(reach.topo)
}

/// The thread-flow locations of one hop: one per rule list that decided on the packet.
fn hop_locations(
    reach: &Reachability<'_>,
    at: &Locator<'_>,
    hop: &Hop,
    out: &mut Vec<ThreadFlowLocation>,
) {
    let topo = reach.topo;
    let place = names::hop(topo, hop);
    for d in &hop.decisions {
        let rule = names::decision_rule(topo, hop.firewall, d);
        let mut text = format!(
            "{place}: {} {}",
            names::list(topo, hop.firewall, d),
            names::verdict(d)
        );
        if let Some(reason) = rule.and_then(|r| r.reason.as_deref()) {
            text.push_str(&format!(" 「{reason}」"));
        }
        if let Some(approx) = rule.and_then(|r| r.approximation.as_deref()) {
            text.push_str(&format!(" ≈ {approx}"));
        }
        let origin = rule.and_then(|r| r.origin.as_deref());
        let location = match origin.and_then(parse_origin) {
            // The device configuration line is what a reviewer changes: point there.
            Some((file, line)) => {
                let topo_pos = names::decision_position(reach, at.sources, hop.firewall, d);
                Location::line_of(path_uri(file), line, Some(format!("{text} ({topo_pos})")))
            }
            None => {
                let loc = match rule {
                    Some(r) => r.loc,
                    None => match d.list {
                        crate::analysis::witness::List::Policy => topo.firewalls[hop.firewall].loc,
                        crate::analysis::witness::List::Filter(k) => {
                            topo.firewalls[hop.firewall].filters[k].loc
                        }
                    },
                };
                if let Some(o) = origin {
                    text.push_str(&format!(" (from {o})"));
                }
                at.location(loc, Some(text))
            }
        };
        out.push(ThreadFlowLocation { location });
    }
    // Translations and unsolicited drops at the firewall's own place.
    let notes = names::translations(topo, hop, crate::lang::Lang::En)
        .into_iter()
        .chain(
            hop.hidden
                .then(|| names::hidden(crate::lang::Lang::En).to_string()),
        );
    for note in notes {
        let loc = topo.firewalls[hop.firewall].loc;
        let location = at.location(loc, Some(format!("{place}: {note}")));
        out.push(ThreadFlowLocation { location });
    }
}

fn packet_flow(
    reach: &Reachability<'_>,
    at: &Locator<'_>,
    from: Endpoint,
    to: Endpoint,
    services: &str,
    witness: Option<&Witness>,
) -> CodeFlow {
    let topo = reach.topo;
    let mut locations = vec![ThreadFlowLocation {
        location: at.location(
            endpoint_loc(reach, from),
            Some(format!("{} ({services})", names::endpoint(topo, from))),
        ),
    }];
    if let Some(w) = witness {
        for hop in &w.hops {
            hop_locations(reach, at, hop, &mut locations);
        }
    }
    locations.push(ThreadFlowLocation {
        location: at.location(endpoint_loc(reach, to), Some(names::endpoint(topo, to))),
    });
    let message = match witness {
        Some(w) => format!(
            "{} → {}: {services}; e.g. {}",
            names::endpoint(topo, from),
            names::endpoint(topo, to),
            w.flow
        ),
        None => format!(
            "{} → {}: {services}",
            names::endpoint(topo, from),
            names::endpoint(topo, to)
        ),
    };
    CodeFlow {
        message: Some(Message::new(message)),
        thread_flows: vec![ThreadFlow { locations }],
    }
}

fn result_value(
    reach: &Reachability<'_>,
    at: &Locator<'_>,
    origins: &names::Origins<'_>,
    f: &Finding,
    rule_index: usize,
    lang: Lang,
) -> SarifResult {
    // A finding about an imported rule points at the device configuration line (what a
    // reviewer changes), with the generated topology line as a related location.
    let origin = f.loc.and_then(|l| origins.at(l)).and_then(parse_origin);
    let (locations, related_locations) = match (f.loc, origin) {
        (Some(l), Some((file, line))) => (
            vec![Location::line_of(path_uri(file), line, None)],
            Some(vec![at.location(l, None)]),
        ),
        (l, _) => (l.map(|l| at.location(l, None)).into_iter().collect(), None),
    };
    let code_flows = match &f.evidence {
        Some(Evidence::Packets {
            from,
            to,
            services,
            witness,
        }) => {
            let flow = packet_flow(
                reach,
                at,
                *from,
                *to,
                &services.to_string(),
                witness.as_ref(),
            );
            Some(vec![flow])
        }
        Some(Evidence::Steps(steps)) if !steps.is_empty() => {
            let locations = steps
                .iter()
                .map(|s| ThreadFlowLocation {
                    location: Location {
                        physical_location: None,
                        message: Some(Message::new(s.get(lang))),
                    },
                })
                .collect();
            Some(vec![CodeFlow {
                message: None,
                thread_flows: vec![ThreadFlow { locations }],
            }])
        }
        _ => None,
    };
    let suppressions = f.exception.as_ref().map(|x| {
        let mut justification = format!(
            "{} ({}: {}",
            x.reason,
            lang.pick("承認", "approved by"),
            x.approved_by
        );
        if let Some(e) = &x.expires {
            justification.push_str(&format!(", {} {e}", lang.pick("期限", "until")));
        }
        justification.push(')');
        vec![Suppression {
            kind: "external",
            status: "accepted",
            justification,
            location: at.location(x.loc, None),
            properties: SuppressionProperties {
                approved_by: x.approved_by.clone(),
                expires: x.expires.clone(),
            },
        }]
    });
    SarifResult {
        rule_id: f.code.clone(),
        rule_index,
        level: result_level(f),
        message: Message::new(format!("{}: {}", f.subject, f.message.get(lang))),
        locations,
        related_locations,
        // The same key `sansou diff` compares findings by (code and subject, never the
        // message), so a review tool follows a finding from one run to the next.
        partial_fingerprints: Fingerprints {
            finding: f.fingerprint(),
        },
        code_flows,
        suppressions,
        properties: ResultProperties {
            subject: f.subject.clone(),
            verdict: f.verdict.as_str(),
            sansou_level: f.level.as_str(),
            message_en: f.message.en.clone(),
            message_ja: f.message.ja.clone(),
            group: None,
            group_name: None,
        },
    }
}

/// A rule-list warning as a SARIF notification: its message (with the label), the rule's place,
/// then the related places with their messages.
fn notification(at: &Locator<'_>, d: &Diagnostic) -> Notification {
    let mut text = d.message.clone();
    if !d.label.is_empty() {
        text = format!("{text}: {}", d.label);
    }
    let mut locations = vec![at.location(d.loc, None)];
    locations.extend(
        d.related
            .iter()
            .map(|r| at.location(r.loc, Some(r.message.clone()))),
    );
    Notification {
        level: "warning",
        message: Message::new(text),
        locations,
        properties: NotificationProperties {
            kind: "rule-list",
            notes: d.notes.clone(),
        },
    }
}

/// The SARIF log; `lint` are the rule-list warnings (`validate`'s), given as notifications of
/// the run's invocation.
pub fn log(
    reach: &Reachability<'_>,
    sources: &SourceMap,
    result: &CheckResult,
    lint: &[Diagnostic],
    lang: Lang,
) -> Log {
    let at = Locator { sources };
    let origins = names::Origins::new(reach.topo);
    let (rules, index) = rules(result, lang);
    let groups = group::groups(reach.topo, &result.findings);
    let member_of = group::membership(&groups, result.findings.len());
    let results = result
        .findings
        .iter()
        .zip(&member_of)
        .map(|(f, g)| {
            let i = index.get(&f.code).copied().unwrap_or_default();
            let mut r = result_value(reach, &at, &origins, f, i, lang);
            if let Some(g) = g {
                r.properties.group = Some(groups[*g].fingerprint());
                r.properties.group_name = Some(groups[*g].name());
            }
            r
        })
        .collect();
    let s = result.summary();
    Log {
        schema: SCHEMA,
        version: VERSION,
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "sansou",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    rules,
                },
            },
            invocations: vec![Invocation {
                execution_successful: true,
                tool_execution_notifications: lint.iter().map(|d| notification(&at, d)).collect(),
            }],
            language: lang.pick("ja-JP", "en-US"),
            column_kind: "unicodeCodePoints",
            artifacts: artifacts(sources),
            results,
            properties: RunProperties {
                model: result.model.as_str(),
                model_source: result.model_source,
                profile: result.profile.clone(),
                date: result.today.clone(),
                summary: Summary {
                    deny: s.deny,
                    warn: s.warn,
                    accepted: s.accepted,
                    unknown: s.unknown,
                },
                lint_count: lint.len(),
                groups: super::check_json::groups_json(reach, sources, result, &groups),
            },
        }],
    }
}

/// The SARIF log pretty-printed with a final newline. Through `serde_json::Value`, so every
/// object's keys come out sorted, as they always have.
pub fn document(
    reach: &Reachability<'_>,
    sources: &SourceMap,
    result: &CheckResult,
    lint: &[Diagnostic],
    lang: Lang,
) -> String {
    let log = serde_json::to_value(log(reach, sources, result, lint, lang))
        .expect("output types always serialize");
    let mut text = serde_json::to_string_pretty(&log).expect("JSON values always serialize");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_encoded_and_absolute_paths_become_file_uris() {
        assert_eq!(path_uri("topo/city.toml"), "topo/city.toml");
        assert_eq!(path_uri("/tmp/a b.toml"), "file:///tmp/a%20b.toml");
        assert_eq!(path_uri("市/x.toml"), "%E5%B8%82/x.toml");
        assert_eq!(path_uri(r"C:\work\x.toml"), "file:///C:/work/x.toml");
    }

    #[test]
    fn origins_split_at_the_last_colon() {
        assert_eq!(
            parse_origin("fgt-honcho.conf:212"),
            Some(("fgt-honcho.conf", 212))
        );
        assert_eq!(parse_origin("C:/cfg/r.conf:7"), Some(("C:/cfg/r.conf", 7)));
        assert_eq!(parse_origin("iptables-save"), None);
        assert_eq!(parse_origin("x.conf:0"), None);
        assert_eq!(parse_origin(":3"), None);
    }
}
