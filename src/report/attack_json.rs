//! The JSON of `sansou attack --format json`: these types *are* the wire format (docs/ATTACK.md
//! tells what the analysis means). Fields are only ever added, never renamed or removed.
//!
//! The document is the envelope of `report::json` (`schema_version`, `tool`, `inputs`) with the
//! members of [`AttackJson`] next to it. Keys are written in sorted order whatever the order of
//! the fields below (`json::document` goes through `serde_json::Value`, whose maps are sorted).
//! An `Option` marked "only" is left out when absent; one without is written as `null`.
//!
//! In short:
//!
//! ```text
//! { "schema_version", "tool", "inputs",
//!   "attacker": {"start": "internet" | "assumed", "assumed": ["host:x"], "entry": [...],
//!                "lateral_services": [...]},
//!   "compromised": [{"host", "round", "kind"}],
//!   "summary": {"stores", "readable", "exfiltrable", "fixes_skipped"},
//!   "stores": [{"store", "host", "data", "records", "readable", "exfiltrable",
//!               "paths": [{"steps": [{"kind", "host", "why", "from"?, "account"?, "store"?,
//!                                     "gateway"?, "via"?, "external"?, "way"?,
//!                                     "services"?, "witness"?}]}],
//!               "fix"?: {"minimum", "verified", "reanalyses", "breaks" [flow:ID|assert:ID],
//!                        "changes": [{"kind", "subject", "text", "keep"?}],
//!                        "alternatives": [{"changes", "breaks"}]}}] }
//! ```
//!
//! `paths` holds the shortest path found (one entry) for a readable store, and is empty for
//! one the attacker cannot read.

use serde::Serialize;

use super::attack::{change_text, data_names};
use super::paths_json::{WitnessJson, witness_json};
use crate::analysis::attack::entry;
use crate::analysis::attack::why::{account, external, host, why};
use crate::analysis::attack::{Attack, Change, HostCause, Options, Step};
use crate::analysis::reach::Reachability;
use crate::lang::Lang;
use crate::model::Topology;
use crate::model::policy::Policy;
use crate::source::SourceMap;

/// The members `attack` adds to the envelope.
#[derive(Serialize)]
pub struct AttackJson {
    pub attacker: AttackerJson,
    /// Every host the attacker takes, in host order.
    pub compromised: Vec<CompromisedJson>,
    pub summary: SummaryJson,
    /// Every store that holds personal data, in topology order.
    pub stores: Vec<StoreJson>,
}

/// What the attacker was assumed to start from.
#[derive(Serialize)]
pub struct AttackerJson {
    /// `internet` (the policy's entry kinds), or `assumed` (`--assume-compromised`).
    pub start: &'static str,
    /// The hosts assumed compromised, `host:ID`; empty unless `start` is `assumed`.
    pub assumed: Vec<String>,
    /// The policy's entry kinds: `internet-use`, `exposed-services`, `wifi`, `remote-access`.
    pub entry: Vec<&'static str>,
    /// The services lateral movement uses, `tcp/445`.
    pub lateral_services: Vec<String>,
}

#[derive(Serialize)]
pub struct CompromisedJson {
    /// `host:ID`.
    pub host: String,
    /// The round of the fixpoint it was taken in (0: an entry or an assumed host).
    pub round: u32,
    /// How: `assumed`, `entry`, `lateral`, `exploit` or `channel`.
    pub kind: &'static str,
}

#[derive(Serialize)]
pub struct SummaryJson {
    /// Stores that hold personal data.
    pub stores: usize,
    pub readable: usize,
    pub exfiltrable: usize,
    /// Readable stores whose fix was not searched: the `--fix-budget` was used up.
    pub fixes_skipped: usize,
}

#[derive(Serialize)]
pub struct StoreJson {
    /// `store:ID`.
    pub store: String,
    /// `host:ID`, the host the store is on.
    pub host: String,
    /// The data classes it holds.
    pub data: Vec<String>,
    /// How many records, as declared; `null` when not.
    pub records: Option<u64>,
    pub readable: bool,
    pub exfiltrable: bool,
    /// The shortest path found (one entry) when readable; empty otherwise.
    pub paths: Vec<PathJson>,
    /// Only when a fix was searched for this store.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<FixJson>,
}

#[derive(Serialize)]
pub struct PathJson {
    /// Entry to read, and out when the data leaves.
    pub steps: Vec<StepJson>,
}

/// One step. Which of the "only" fields a step has depends on its kind.
#[derive(Serialize)]
pub struct StepJson {
    /// `assumed`, `entry`, `channel`, `harvest`, `lateral`, `exploit`, `read`, `relay` or
    /// `exfiltrate`.
    pub kind: &'static str,
    /// `host:ID`: the host the step happens on (taken, read from, or sending out).
    pub host: String,
    /// The step's reason in one sentence.
    pub why: String,
    /// Only for steps acted from another host (lateral, exploit, channel, relay): `host:ID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Only for harvest and lateral: `account:ID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// Only for read: `store:ID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub store: Option<String>,
    /// Only for a channel: `gateway:ID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gateway: Option<String>,
    /// Only for exfiltration through a proxy or mail relay: `host:ID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
    /// Only for an exposed entry or exfiltration: `external:ID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external: Option<String>,
    /// Only for an entry over a line joined: `wifi:ID` or `remote_access:ID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub way: Option<String>,
    /// Only for steps that need packets: the services that get through, `tcp/445`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub services: Option<Vec<String>>,
    /// Only for steps that need packets: one concrete flow, hop by hop.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub witness: Option<WitnessJson>,
}

#[derive(Serialize)]
pub struct FixJson {
    /// Proven to be a smallest set of changes.
    pub minimum: bool,
    /// Re-analysis of the changed design found the store no longer readable.
    pub verified: bool,
    /// How many times the whole analysis ran on a changed design.
    pub reanalyses: usize,
    pub changes: Vec<ChangeJson>,
    /// The required traffic the fix breaks (`flow:ID`, `assert:ID`); empty when none.
    pub breaks: Vec<String>,
    /// When the fix breaks required traffic: other candidates, each with what it breaks.
    pub alternatives: Vec<AlternativeJson>,
}

#[derive(Serialize)]
pub struct AlternativeJson {
    pub changes: Vec<ChangeJson>,
    pub breaks: Vec<String>,
}

#[derive(Serialize)]
pub struct ChangeJson {
    /// `remove-rule`, `narrow-rule`, `narrow-default`, `default-deny`, `remove-admin-on`,
    /// `remove-logs-on`, `unique-password`, `patch`, `close-bypass`, `restrict-readers`,
    /// `remove-internet-use`, `require-mfa`, `require-wifi-auth` or `separate-wifi`.
    pub kind: &'static str,
    /// What it changes: `firewall:fw policy rule 3`, `account:x`, `host:y`...
    pub subject: String,
    /// The change in words.
    pub text: String,
    /// Only for a narrowed rule or default: the copies to write in its place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keep: Option<Vec<KeptJson>>,
}

/// One copy of a narrowed rule: the rule fields to write.
#[derive(Serialize)]
pub struct KeptJson {
    pub from: Vec<String>,
    pub to: Vec<String>,
    pub service: Vec<String>,
}

/// The body of the JSON document (the envelope adds schema_version, tool and inputs).
pub fn json(
    reach: &Reachability<'_>,
    sources: &SourceMap,
    attack: &Attack,
    policy: &Policy,
    opts: &Options,
    lang: Lang,
) -> AttackJson {
    let topo = reach.topo;
    let compromised = attack
        .taken()
        .map(|(h, t)| CompromisedJson {
            host: host(topo, h),
            round: t.round,
            kind: cause_kind(&t.cause),
        })
        .collect();
    let stores = attack
        .stores
        .iter()
        .map(|e| {
            let s = &topo.stores[e.store];
            let steps: Vec<StepJson> = e
                .steps
                .iter()
                .map(|step| step_json(reach, sources, attack, step, lang))
                .collect();
            let paths = if steps.is_empty() {
                Vec::new()
            } else {
                vec![PathJson { steps }]
            };
            let changes = |list: &[Change]| -> Vec<ChangeJson> {
                list.iter().map(|c| change_json(topo, c, lang)).collect()
            };
            StoreJson {
                store: format!("store:{}", s.id),
                host: format!("host:{}", s.host.value),
                data: data_names(topo, e),
                records: s.records,
                readable: e.readable(),
                exfiltrable: e.exfiltrable(),
                paths,
                fix: e.fix.as_ref().map(|fix| FixJson {
                    minimum: fix.minimum,
                    verified: fix.verified,
                    reanalyses: fix.reanalyses,
                    changes: changes(&fix.changes),
                    breaks: fix.breaks.clone(),
                    alternatives: fix
                        .alternatives
                        .iter()
                        .map(|a| AlternativeJson {
                            changes: changes(&a.changes),
                            breaks: a.breaks.clone(),
                        })
                        .collect(),
                }),
            }
        })
        .collect();
    AttackJson {
        attacker: AttackerJson {
            start: if opts.assume_compromised.is_empty() {
                "internet"
            } else {
                "assumed"
            },
            assumed: opts
                .assume_compromised
                .iter()
                .map(|&h| host(topo, h))
                .collect(),
            entry: policy.attacker.entry.iter().map(|e| e.as_str()).collect(),
            lateral_services: policy
                .attacker
                .lateral_services
                .iter()
                .map(ToString::to_string)
                .collect(),
        },
        compromised,
        summary: SummaryJson {
            stores: attack.stores.len(),
            readable: attack.stores.iter().filter(|e| e.readable()).count(),
            exfiltrable: attack.stores.iter().filter(|e| e.exfiltrable()).count(),
            fixes_skipped: attack.fixes_skipped,
        },
        stores,
    }
}

fn step_json(
    reach: &Reachability<'_>,
    sources: &SourceMap,
    attack: &Attack,
    step: &Step,
    lang: Lang,
) -> StepJson {
    let topo = reach.topo;
    StepJson {
        kind: step.kind().word(),
        host: host(topo, step.host()),
        why: why(topo, attack, step, lang),
        from: step.from().map(|f| host(topo, f)),
        account: step.account().map(|a| account(topo, a)),
        store: step.store().map(|s| format!("store:{}", topo.stores[s].id)),
        gateway: step
            .gateway()
            .map(|g| format!("gateway:{}", topo.gateways[g].id)),
        via: step.via().map(|v| host(topo, v)),
        external: step.external().map(|x| external(topo, x)),
        way: step.way().map(|w| entry::name(topo, w)),
        services: step.services().map(|s| s.names()),
        witness: step.witness().map(|w| witness_json(reach, sources, w)),
    }
}

/// A change: its kind, subject and words; a narrowed rule's or default's copies as `keep`,
/// the rule fields to write in its place.
fn change_json(topo: &Topology, c: &Change, lang: Lang) -> ChangeJson {
    let (subject, text) = change_text(topo, c, lang);
    let words = |l: &[crate::model::Selector]| -> Vec<String> {
        l.iter().map(ToString::to_string).collect()
    };
    let keep = match c {
        Change::NarrowRule { keep, .. } | Change::NarrowDefault { keep, .. } => Some(
            keep.iter()
                .map(|k| KeptJson {
                    from: words(&k.from),
                    to: words(&k.to),
                    service: k.services.iter().map(ToString::to_string).collect(),
                })
                .collect(),
        ),
        _ => None,
    };
    ChangeJson {
        kind: change_kind(c),
        subject,
        text,
        keep,
    }
}

fn change_kind(c: &Change) -> &'static str {
    match c {
        Change::RemoveRule { .. } => "remove-rule",
        Change::NarrowRule { .. } => "narrow-rule",
        Change::NarrowDefault { .. } => "narrow-default",
        Change::DefaultDeny { .. } => "default-deny",
        Change::RemoveAdminOn { .. } => "remove-admin-on",
        Change::RemoveLogsOn { .. } => "remove-logs-on",
        Change::UniquePassword { .. } => "unique-password",
        Change::Patch { .. } => "patch",
        Change::CloseBypass { .. } => "close-bypass",
        Change::RestrictReaders { .. } => "restrict-readers",
        Change::RemoveInternetUse { .. } => "remove-internet-use",
        Change::RequireMfa { .. } => "require-mfa",
        Change::RequireWifiAuth { .. } => "require-wifi-auth",
        Change::SeparateWifi { .. } => "separate-wifi",
    }
}

fn cause_kind(c: &HostCause) -> &'static str {
    match c {
        HostCause::Assumed => "assumed",
        HostCause::InternetUse | HostCause::Exposed { .. } | HostCause::Joined { .. } => "entry",
        HostCause::Lateral { .. } => "lateral",
        HostCause::Exploit { .. } => "exploit",
        HostCause::Channel { .. } => "channel",
    }
}
