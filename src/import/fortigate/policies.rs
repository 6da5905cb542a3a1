//! One `config firewall policy` entry as a rule of the policy list: interfaces (zones
//! expanded), addresses, services, action, and what a deny may match beyond its sure part.

use super::ImportError;
use super::common::{self, Interfaces, Match, Warnings};
use super::objects::{
    AddrBounds, Bounds, Objects, SvcBounds, merge_why, not_addrs, union_addrs, unknown_addrs,
};
use super::tree::{Block, Item};
use crate::model::{Action, AddrRange, Service};
use std::collections::{BTreeMap, BTreeSet};

/// Keys of policies that do not change which packets a policy matches or what it does to them
/// in the model.
pub(super) const POLICY_IGNORED: &[&str] = &[
    "uuid",
    "name",
    "comments",
    "global-label",
    "label",
    "logtraffic-start",
    "utm-status",
    "inspection-mode",
    "ssl-ssh-profile",
    "av-profile",
    "webfilter-profile",
    "dnsfilter-profile",
    "ips-sensor",
    "application-list",
    "profile-protocol-options",
    "file-filter-profile",
    "emailfilter-profile",
    "dlp-sensor",
    "dlp-profile",
    "waf-profile",
    "voip-profile",
    "icap-profile",
    "videofilter-profile",
    "sctp-filter-profile",
    "ssh-filter-profile",
    "casb-profile",
    "profile-type",
    "profile-group",
    "auto-asic-offload",
    "poolname",
    "ippool",
    "fixedport",
    "permit-any-host",
    "timeout-send-rst",
    "send-deny-packet",
    "captive-portal-exempt",
    "block-notification",
    "traffic-shaper",
    "traffic-shaper-reverse",
    "per-ip-shaper",
    "capture-packet",
    "match-vip",
    "match-vip-only",
    "tcp-session-without-syn",
    "anti-replay",
    "diffserv-forward",
    "diffserv-reverse",
    "tos-mask",
    "np-acceleration",
    "srcaddr6",
    "dstaddr6",
    "vpntunnel",
    "inbound",
    "outbound",
    "natinbound",
    "natoutbound",
    "nat-ip",
    "session-ttl",
    "delay-tcp-npu-session",
    "geoip-anycast",
    "geoip-match",
    "dynamic-shaping",
    "policy-expiry",
    "policy-expiry-date",
    "schedule-timeout",
    "disclaimer",
    "email-collect",
    "ntlm",
    "wccp",
    "webcache",
    "webproxy-profile",
    "rtp-nat",
    "decrypted-traffic-mirror",
    "identity-based-route",
];

/// The mapped interfaces named by `srcintf`/`dstintf` (zones expanded); `None` for `any`.
/// `Err(())` when every named interface is unmapped (the policy cannot match modelled
/// traffic).
pub(super) fn policy_interfaces(
    names: &[String],
    line: usize,
    zones: &BTreeMap<&str, (&Block, Vec<String>)>,
    ifs: &mut Interfaces<'_>,
    w: &mut Warnings,
) -> Option<BTreeSet<String>> {
    if names.is_empty() || names.iter().any(|n| n == "any") {
        return None;
    }
    let mut out = BTreeSet::new();
    for n in names {
        let members: Vec<String> = match zones.get(n.as_str()) {
            Some((_, m)) => m.clone(),
            None => vec![n.clone()],
        };
        for m in members {
            if let Some(i) = ifs.resolve(&m, line, w) {
                out.insert(i);
            }
        }
    }
    Some(out)
}

/// A policy as read: its rule (if anything of it is sure), and what a deny may match beyond
/// that (for the allows after it).
pub(super) type Policy = (Option<crate::model::Rule>, Option<(Match, String)>);

/// One policy, in the steps FortiOS matches it by: action, conditions, addresses, services,
/// interfaces; an allow as its upper bound, a deny as what it surely matches.
pub(super) fn policy(
    file: &str,
    p: &Block,
    objects: &mut Objects<'_>,
    zones: &BTreeMap<&str, (&Block, Vec<String>)>,
    ifs: &mut Interfaces<'_>,
    w: &mut Warnings,
) -> Result<Policy, ImportError> {
    let id = &p.name;
    if p.get1("status") == Some("disable") {
        w.warn(
            p.line_of("status"),
            format!("policy {id} is disabled (`set status disable`): skipped"),
        );
        return Ok((None, None));
    }
    let Some(action) = policy_action(p, w) else {
        return Ok((None, None));
    };
    let allow = action == Action::Allow;
    warn_unread_keys(p, w);
    // Conditions beyond addresses and services: an allow is read without them, a deny is
    // left out (it may not apply when a packet comes).
    let conditions = conditions(p, allow, w);

    let Some((src, dst)) = policy_addresses(p, objects, w)? else {
        return Ok((None, None));
    };
    let Some(svc) = policy_services(p, objects, w)? else {
        return Ok((None, None));
    };

    let in_if = policy_interfaces(
        p.get("srcintf").unwrap_or_default(),
        p.line_of("srcintf"),
        zones,
        ifs,
        w,
    );
    let out_if = policy_interfaces(
        p.get("dstintf").unwrap_or_default(),
        p.line_of("dstintf"),
        zones,
        ifs,
        w,
    );
    if in_if.as_ref().is_some_and(BTreeSet::is_empty)
        || out_if.as_ref().is_some_and(BTreeSet::is_empty)
    {
        w.warn(
            p.line,
            format!("policy {id} uses only interfaces the mapping does not place: left out"),
        );
        return Ok((None, None));
    }

    // Why the policy may match other packets on the device than read here.
    let mut why = conditions.clone();
    for part in [&src.why, &dst.why, &svc.why] {
        merge_why(&mut why, part.iter().cloned());
    }
    let origin = common::origin(file, p.line);
    let upper = Match {
        src: Some(src.upper.clone()),
        dst: Some(dst.upper.clone()),
        services: Some(svc.upper.clone()),
        in_if: in_if.clone(),
        out_if: out_if.clone(),
    };
    // A deny that rests on more than packet fields flows lack: the allows after it that
    // overlap what it may match assume it does not.
    let assumed: Vec<&str> = why
        .iter()
        .map(String::as_str)
        .filter(|w| !common::is_packet_field(w))
        .collect();
    let dropped = (!allow && !assumed.is_empty())
        .then(|| (upper, common::dropped(&origin, &assumed.join(", "))));
    if !allow && !conditions.is_empty() {
        // Users and schedules: the deny may not apply to a packet; nothing of it is sure.
        return Ok((None, dropped));
    }
    let pick = |b: Bounds<AddrRange>| if allow { b.upper } else { b.lower };
    let services = if allow { svc.upper } else { svc.lower };
    let m = Match {
        src: Some(pick(src)),
        dst: Some(pick(dst)),
        services: Some(services),
        in_if,
        out_if,
    };
    let reason = match p.get1("name").or_else(|| p.get1("comments")) {
        Some(n) if !n.is_empty() => format!("policy {id}: {n}"),
        _ => format!("policy {id}"),
    };
    let rule = m.to_rule(action, origin.clone(), Some(reason));
    match rule {
        Some(mut r) => {
            r.log = p.get1("logtraffic") == Some("all");
            // The policy id is FortiOS's own identity of the policy (names are optional and
            // editable): `policy-12`.
            common::set_rule_id(&mut r, &format!("policy-{id}"));
            if allow && !why.is_empty() {
                r.approximation = Some(common::widened(&origin, &why.join(", ")));
            }
            Ok((Some(r), dropped))
        }
        None => {
            w.warn(
                p.line,
                format!(
                    "policy {id} matches no IPv4 packet (its addresses, services or interfaces come out empty{}): left out",
                    if allow {
                        ""
                    } else {
                        ", keeping only what a deny surely matches"
                    }
                ),
            );
            Ok((None, dropped))
        }
    }
}

/// The policy's `action` (deny when absent; `ipsec` read as accept); `None` when the policy
/// is skipped.
fn policy_action(p: &Block, w: &mut Warnings) -> Option<Action> {
    let id = &p.name;
    let action = match p.get1("action") {
        Some("accept") => Action::Allow,
        Some("deny") | None => Action::Deny,
        Some("ipsec") => {
            w.warn(
                p.line_of("action"),
                format!("policy {id}: `set action ipsec` read as accept (the VPN tunnel itself is not modelled)"),
            );
            Action::Allow
        }
        Some(other) => {
            w.warn(
                p.line_of("action"),
                format!("policy {id}: unknown action `{other}`; the policy is skipped"),
            );
            return None;
        }
    };
    Some(action)
}

/// Warns about the policy's lines that are not read.
fn warn_unread_keys(p: &Block, w: &mut Warnings) {
    let id = &p.name;
    for item in &p.items {
        match item {
            Item::Set { key, line, .. } => match key.as_str() {
                "srcintf"
                | "dstintf"
                | "srcaddr"
                | "dstaddr"
                | "srcaddr-negate"
                | "dstaddr-negate"
                | "service"
                | "service-negate"
                | "action"
                | "status"
                | "schedule"
                | "logtraffic"
                | "nat"
                | "groups"
                | "users"
                | "fsso-groups"
                | "internet-service"
                | "internet-service-src"
                | "internet-service-name"
                | "internet-service-id"
                | "internet-service-group"
                | "internet-service-custom"
                | "internet-service-src-name"
                | "internet-service-src-id"
                | "internet-service-src-group" => {}
                k if POLICY_IGNORED.contains(&k) => {}
                k => w.warn(*line, format!("policy {id}: `set {k}` is not read")),
            },
            Item::Config(c) => w.warn(
                c.line,
                format!("policy {id}: `config {}` is not read", c.path),
            ),
            Item::Other { line, excerpt } => {
                w.warn(*line, format!("policy {id}: `{excerpt}` is not read"))
            }
            // Back to the default, which is how an absent key is read.
            Item::Unset { .. } => {}
            Item::Edit(b) => w.warn(b.line, format!("policy {id}: nested `edit` ignored")),
        }
    }
}

/// Schedules and user authentication: the conditions a policy has beyond addresses and
/// services, each warned about.
fn conditions(p: &Block, allow: bool, w: &mut Warnings) -> Vec<String> {
    let id = &p.name;
    let mut conditions: Vec<String> = Vec::new();
    if let Some(s) = p.get1("schedule")
        && s != "always"
    {
        w.warn_on(
            p.line_of("schedule"),
            "schedules not modelled (allow policies always active, deny policies left out)",
            format!(
                "policy {id}: schedule `{s}` is not modelled; {}",
                if allow {
                    "the policy is read as always active"
                } else {
                    "the deny is left out (it may not be active)"
                }
            ),
        );
        conditions.push(format!("schedule `{s}`"));
    }
    for key in ["groups", "users", "fsso-groups"] {
        if p.get(key).is_some() {
            w.warn_on(
                p.line_of(key),
                "user authentication not modelled (allow policies apply to every user, deny policies left out)",
                format!(
                    "policy {id}: `set {key}` (user authentication) is not modelled; {}",
                    if allow {
                        "the policy is read as applying to every user"
                    } else {
                        "the deny is left out"
                    }
                ),
            );
            conditions.push(format!("`set {key}` (user authentication)"));
        }
    }
    conditions
}

/// The source and destination addresses (Internet Service Database entries and negation
/// included); `None` when the policy is skipped for want of an IPv4 address.
fn policy_addresses(
    p: &Block,
    objects: &mut Objects<'_>,
    w: &mut Warnings,
) -> Result<Option<(AddrBounds, AddrBounds)>, ImportError> {
    let id = &p.name;
    let src_names = p.get("srcaddr").unwrap_or_default();
    let dst_names = p.get("dstaddr").unwrap_or_default();
    let mut src = objects.addresses(src_names, p.line_of("srcaddr"), w)?;
    let mut dst = objects.addresses(dst_names, p.line_of("dstaddr"), w)?;
    for (key, side, set) in [
        ("internet-service-src", "source", &mut src),
        ("internet-service", "destination", &mut dst),
    ] {
        if p.enabled(key) {
            w.warn(
                p.line_of(key),
                format!(
                    "policy {id}: the {side} is an Internet Service Database entry, which is not modelled: read as any address for allow policies, as none for deny policies"
                ),
            );
            *set = union_addrs([
                set.clone(),
                unknown_addrs(format!(
                    "the Internet Service Database {side} (`set {key}`)"
                )),
            ]);
        }
    }
    if src_names.is_empty() && !p.enabled("internet-service-src") {
        w.warn(
            p.line,
            format!("policy {id} has no IPv4 source address (`srcaddr`): it matches no IPv4 traffic and is skipped"),
        );
        return Ok(None);
    }
    if dst_names.is_empty() && !p.enabled("internet-service") {
        w.warn(
            p.line,
            format!("policy {id} has no IPv4 destination address (`dstaddr`): it matches no IPv4 traffic and is skipped"),
        );
        return Ok(None);
    }
    if p.enabled("srcaddr-negate") {
        src = not_addrs(&src);
    }
    if p.enabled("dstaddr-negate") {
        dst = not_addrs(&dst);
    }
    Ok(Some((src, dst)))
}

/// The services (negation included); `None` when the policy names none and is skipped.
fn policy_services(
    p: &Block,
    objects: &mut Objects<'_>,
    w: &mut Warnings,
) -> Result<Option<SvcBounds>, ImportError> {
    let id = &p.name;
    let svc_names = p.get("service").unwrap_or_default();
    let mut svc = if svc_names.is_empty() {
        if p.enabled("internet-service") {
            Bounds::exact(vec![Service::Any])
        } else {
            w.warn(
                p.line,
                format!("policy {id} names no service: it matches nothing and is skipped"),
            );
            return Ok(None);
        }
    } else {
        objects.services(svc_names, p.line_of("service"), w)?
    };
    if p.enabled("service-negate") {
        svc = Bounds {
            lower: common::complement_services(&svc.upper),
            upper: common::complement_services(&svc.lower),
            why: svc.why,
        };
    }
    Ok(Some(svc))
}
