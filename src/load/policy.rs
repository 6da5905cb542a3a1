//! Decoding a policy file (format version 1) into [`Policy`].
//!
//! References to topology ids in selectors are checked in `check.rs` when a topology is given.

use super::doc::{Node, Value};
use super::reader::TableReader;
use super::values::{check_id, parsed, parsed_list, word, words};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::policy::*;
use crate::model::{At, rule_codes};
use crate::model::{GatewayKind, Selector, Service};
use crate::source::Loc;

pub fn decode(root: &Node, diags: &mut Diagnostics) -> Policy {
    let mut policy = Policy::default();
    let Some(mut t) = TableReader::new(root, "the policy file", diags) else {
        return policy;
    };
    super::topology::check_format(&mut t, root, diags);
    if let Some(node) = t.get("policy") {
        decode_header(node, &mut policy, diags);
    }
    // Custom checks first: their ids are codes `[rules]` and `[[exception]]` may name.
    let asserts: Vec<Assert> = t
        .tables("assert", diags)
        .into_iter()
        .filter_map(|n| assert(n, diags))
        .collect();
    policy.matrix = t
        .tables("matrix", diags)
        .into_iter()
        .enumerate()
        .filter_map(|(i, n)| matrix(n, i, diags))
        .collect();
    let custom: Vec<&str> = asserts
        .iter()
        .map(|a| a.id.as_str())
        .chain(policy.matrix.iter().map(|m| m.id.as_str()))
        .collect();
    if let Some(node) = t.get("rules") {
        policy.levels = decode_levels(node, &custom, diags);
    }
    if let Some(node) = t.get("attacker") {
        policy.attacker = attacker(node, diags);
    }
    policy.exceptions = t
        .tables("exception", diags)
        .into_iter()
        .filter_map(|n| exception(n, diags))
        .collect();
    for e in &policy.exceptions {
        check_code(&e.rule.value, e.rule.loc, &custom, diags);
    }
    policy.asserts = asserts;
    t.finish(diags);
    policy
}

fn decode_header(node: &Node, policy: &mut Policy, diags: &mut Diagnostics) {
    let Some(mut t) = TableReader::new(node, "[policy]", diags) else {
        return;
    };
    policy.name = t.str("name", diags).map(|s| s.value);
    policy.profile = t
        .get("profile")
        .and_then(|n| word(n, "profile", Profile::parse, Profile::WORDS, diags));
    t.finish(diags);
}

/// `[rules]`: `"MN-002" = "warn"`. Keys are catalogue codes or ids of this policy's own
/// `[[assert]]` and `[[matrix]]` entries.
fn decode_levels(
    node: &Node,
    custom: &[&str],
    diags: &mut Diagnostics,
) -> std::collections::BTreeMap<String, At<Level>> {
    let mut levels = std::collections::BTreeMap::new();
    let Value::Table(entries) = &node.value else {
        super::reader::type_error(node, "a table of CODE = level", &node.value, diags);
        return levels;
    };
    for e in entries {
        if !check_code(&e.key, e.key_loc, custom, diags) {
            continue;
        }
        if let Some(level) = word(&e.value, "level", Level::parse, Level::WORDS, diags) {
            levels.insert(e.key.to_string(), At::new(level, e.value.loc));
        }
    }
    levels
}

/// A rule code must be a catalogue code, a code of sansou's registry or the id of one of the
/// policy's own checks. A catalogue code that no rule implements yet is kept but warned about:
/// its level has no effect, and the policy's author should know.
fn check_code(code: &str, loc: Loc, custom: &[&str], diags: &mut Diagnostics) -> bool {
    let known = rule_codes::is_known(code) || custom.contains(&code);
    if !known {
        let mut d = Diagnostic::error(loc, format!("unknown rule code `{code}`")).with_label(
            "not in the rule catalogue nor an [[assert]] or [[matrix]] id of this policy",
        );
        let mut candidates: Vec<&str> = rule_codes::all().collect();
        candidates.extend(custom.iter().copied());
        candidates.sort_unstable();
        candidates.dedup();
        if let Some(s) = super::reader::suggest(code, &candidates) {
            d = d.with_note(format!("did you mean `{s}`?"));
        }
        diags.push(d.with_note("`sansou rules` lists the codes"));
    } else if !rule_codes::is_implemented(code) && !custom.contains(&code) {
        diags.push(
            Diagnostic::warning(
                loc,
                format!("rule code `{code}` is in the catalogue but not implemented yet"),
            )
            .with_label("this level has no effect")
            .with_note("`sansou rules` lists the implemented codes; the report lists every catalogue item with its status"),
        );
    }
    known
}

fn attacker(node: &Node, diags: &mut Diagnostics) -> Attacker {
    let mut a = Attacker::default();
    let Some(mut t) = TableReader::new(node, "[attacker]", diags) else {
        return a;
    };
    if let Some(n) = t.get("entry") {
        a.entry = words(n, "entry point", Entry::parse, Entry::WORDS, diags);
    }
    if let Some(n) = t.get("lateral_services") {
        a.lateral_services = parsed_list(n, "service", Service::parse, diags)
            .into_iter()
            .map(|s| s.value)
            .collect();
    }
    if let Some(b) = t.bool("sanitizer_bypass", diags) {
        a.sanitizer_bypass = b;
    }
    if let Some(n) = t.get("rogue_devices") {
        a.rogue_devices = parsed_list(n, "selector", Selector::parse, diags);
    }
    t.finish(diags);
    a
}

fn matrix_allow(text: &str) -> Result<MatrixAllow, String> {
    if let Some(kind) = text.strip_prefix("channel:") {
        return GatewayKind::parse(kind)
            .map(MatrixAllow::Channel)
            .ok_or_else(|| {
                format!(
                    "unknown channel kind `{kind}` (expected one of {})",
                    GatewayKind::WORDS.join(", ")
                )
            });
    }
    Service::parse(text).map(MatrixAllow::Service).map_err(|e| {
        format!(
            "{e}; an allow entry is a service (`tcp/443`) or a channel (`channel:file-sanitizer`)"
        )
    })
}

fn matrix(node: &Node, index: usize, diags: &mut Diagnostics) -> Option<MatrixEntry> {
    let mut t = TableReader::new(node, "[[matrix]]", diags)?;
    let id = match t.str("id", diags) {
        Some(id) if check_id(&id, diags) => id.value,
        _ => format!("MATRIX-{}", index + 1),
    };
    let from = t
        .require("from", diags)
        .and_then(|n| parsed(n, "selector", Selector::parse, diags));
    let to = t
        .require("to", diags)
        .and_then(|n| parsed(n, "selector", Selector::parse, diags));
    let allow = t
        .get("allow")
        .map(|n| parsed_list(n, "allow entry", matrix_allow, diags))
        .unwrap_or_default();
    let loc = t.header_loc();
    t.finish(diags);
    Some(MatrixEntry {
        id,
        from: from?,
        to: to?,
        allow,
        loc,
    })
}

fn assert(node: &Node, diags: &mut Diagnostics) -> Option<Assert> {
    let mut t = TableReader::new(node, "[[assert]]", diags)?;
    let id = t.required_str("id", diags).filter(|id| check_id(id, diags));
    let description = t.str("description", diags).map(|s| s.value);
    let mut selectors = |key: &'static str, required: bool, diags: &mut Diagnostics| {
        let node = if required {
            t.require(key, diags)
        } else {
            t.get(key)
        };
        node.map(|n| parsed_list(n, "selector", Selector::parse, diags))
            .unwrap_or_default()
    };
    let from = selectors("from", true, diags);
    let to = selectors("to", true, diags);
    let except_from = selectors("except_from", false, diags);
    let via = selectors("via", false, diags);
    let expect = t.require("expect", diags).and_then(|n| {
        let parse = |s: &str| match s {
            "no-path" => Some(Expect::NoPath),
            "only-via" => Some(Expect::OnlyVia),
            "path" => Some(Expect::Path),
            _ => None,
        };
        word(
            n,
            "expectation",
            parse,
            &["no-path", "only-via", "path"],
            diags,
        )
    });
    let service_loc = t.key_loc("service");
    let services = t
        .get("service")
        .map(|n| parsed_list(n, "service", Service::parse, diags))
        .unwrap_or_default();
    let loc = t.header_loc();
    t.finish(diags);
    let expect = expect?;
    if let Some(at) = service_loc
        && expect != Expect::Path
    {
        diags.push(
            Diagnostic::error(at, "`service` is only read with `expect = \"path\"`")
                .with_label("no-path and only-via look at every service"),
        );
    }
    if expect == Expect::OnlyVia && via.is_empty() {
        diags.push(
            Diagnostic::error(loc, "`expect = \"only-via\"` needs `via`")
                .with_label("say which selectors every path must pass"),
        );
    }
    Some(Assert {
        id: id?.value,
        description,
        from,
        to,
        except_from,
        expect,
        via,
        services,
        loc,
    })
}

fn exception(node: &Node, diags: &mut Diagnostics) -> Option<Exception> {
    let mut t = TableReader::new(node, "[[exception]]", diags)?;
    let rule = t.required_str("rule", diags);
    let subject = t.required_str("subject", diags);
    // An exception without a reason or an approver is not an accepted risk, only a silenced one.
    let reason = t.required_str("reason", diags);
    let approved_by = t.required_str("approved_by", diags);
    let expires = t.get("expires").and_then(|n| date(n, diags));
    let accepted = t.str("accepted", diags);
    let loc = t.header_loc();
    t.finish(diags);
    Some(Exception {
        rule: rule?,
        subject: subject?.value,
        reason: reason?.value,
        approved_by: approved_by?.value,
        expires,
        accepted,
        loc,
    })
}

/// A date: TOML `2027-03-31` or the string `"2027-03-31"` (JSON has no dates).
pub(super) fn date(node: &Node, diags: &mut Diagnostics) -> Option<At<String>> {
    let text = match &node.value {
        Value::Datetime(d) => d.clone(),
        Value::String(d) => d.to_string(),
        other => {
            super::reader::type_error(node, "a date (2027-03-31)", other, diags);
            return None;
        }
    };
    let valid = text.len() == 10
        && text.char_indices().all(|(i, c)| match i {
            4 | 7 => c == '-',
            _ => c.is_ascii_digit(),
        })
        && matches!(text[5..7].parse::<u32>(), Ok(1..=12))
        && matches!(text[8..10].parse::<u32>(), Ok(1..=31));
    if !valid {
        diags.push(
            Diagnostic::error(node.loc, format!("invalid date `{text}`"))
                .with_label("expected a calendar date YYYY-MM-DD"),
        );
        return None;
    }
    Some(At::new(text, node.loc))
}
