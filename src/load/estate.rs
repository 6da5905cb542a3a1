//! Decoding the organisation around the network (`[org]`, `[[site]]`, `[[service]]`,
//! `[[wifi]]`, `[[remote_access]]`, `[[log_sink]]`, `[[monitor]]`) and a host's endpoint facts.
//! Shapes only; references are checked after merging (`check.rs`).

use super::doc::Node;
use super::reader::TableReader;
use super::values::{id, labels, parsed_list, word, words};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::*;

/// A word of a vocabulary under `key`, if written.
fn opt_word<T>(
    t: &mut TableReader<'_>,
    key: &'static str,
    what: &str,
    parse: fn(&str) -> Option<T>,
    accepted: &[&str],
    diags: &mut Diagnostics,
) -> Option<T> {
    t.get(key)
        .and_then(|n| word(n, what, parse, accepted, diags))
}

fn opt_date(
    t: &mut TableReader<'_>,
    key: &'static str,
    diags: &mut Diagnostics,
) -> Option<At<String>> {
    t.get(key).and_then(|n| super::policy::date(n, diags))
}

pub fn decode_org(node: &Node, topo: &mut Topology, diags: &mut Diagnostics) {
    let Some(mut t) = TableReader::new(node, "[org]", diags) else {
        return;
    };
    if let Some(first) = topo.org.loc {
        diags.push(
            Diagnostic::error(t.header_loc(), "[org] appears in more than one file")
                .with_label("second [org]")
                .with_related(first, "first [org] here"),
        );
    }
    topo.org = Org {
        csirt: t.bool("csirt", diags),
        last_training: opt_date(&mut t, "last_training", diags),
        last_self_check: opt_date(&mut t, "last_self_check", diags),
        last_external_audit: opt_date(&mut t, "last_external_audit", diags),
        loc: Some(t.header_loc()),
    };
    t.finish(diags);
}

pub fn site(node: &Node, diags: &mut Diagnostics) -> Option<Site> {
    let mut t = TableReader::new(node, "[[site]]", diags)?;
    let id = id(&mut t, diags);
    let kind = t
        .require("kind", diags)
        .and_then(|n| word(n, "site kind", SiteKind::parse, SiteKind::WORDS, diags));
    let isolation_playbook = t.str("isolation_playbook", diags).map(|s| s.value);
    let (name, description) = labels(&mut t, diags);
    t.finish(diags);
    let id = id?;
    Some(Site {
        loc: id.loc,
        id: id.value,
        kind: kind?,
        isolation_playbook,
        name,
        description,
    })
}

pub fn service(node: &Node, diags: &mut Diagnostics) -> Option<ExternalService> {
    let mut t = TableReader::new(node, "[[service]]", diags)?;
    let id = id(&mut t, diags);
    let kind = t.require("kind", diags).and_then(|n| {
        word(
            n,
            "service kind",
            ServiceKind::parse,
            ServiceKind::WORDS,
            diags,
        )
    });
    let zone = t.str("zone", diags);
    let external = t.str("external", diags);
    let registration = t.str("registration", diags).map(|s| s.value);
    let assurance = opt_word(
        &mut t,
        "assurance",
        "kind of assurance",
        Assurance::parse,
        Assurance::WORDS,
        diags,
    );
    let handles_conf2 = t.bool("handles_conf2", diags);
    let contract_reviewed = t.bool("contract_reviewed", diags);
    let tenant_restriction = t.bool("tenant_restriction", diags);
    let mfa = t.bool("mfa", diags);
    let (name, description) = labels(&mut t, diags);
    t.finish(diags);
    let id = id?;
    Some(ExternalService {
        loc: id.loc,
        id: id.value,
        kind: kind?,
        zone,
        external,
        registration,
        assurance,
        handles_conf2,
        contract_reviewed,
        tenant_restriction,
        mfa,
        name,
        description,
    })
}

pub fn wifi(node: &Node, diags: &mut Diagnostics) -> Option<Wifi> {
    let mut t = TableReader::new(node, "[[wifi]]", diags)?;
    let id = id(&mut t, diags);
    let ssid = t.str("ssid", diags).map(|s| s.value);
    let segment = t.required_str("segment", diags);
    let auth = t.get("auth").and_then(|n| {
        word(
            n,
            "Wi-Fi authentication",
            WifiAuth::parse,
            WifiAuth::WORDS,
            diags,
        )
    });
    let (name, description) = labels(&mut t, diags);
    t.finish(diags);
    let id = id?;
    Some(Wifi {
        loc: id.loc,
        id: id.value,
        ssid,
        segment: segment?,
        auth,
        name,
        description,
    })
}

pub fn remote_access(node: &Node, diags: &mut Diagnostics) -> Option<RemoteAccess> {
    let mut t = TableReader::new(node, "[[remote_access]]", diags)?;
    let id = id(&mut t, diags);
    let kind = t.require("kind", diags).and_then(|n| {
        word(
            n,
            "remote access kind",
            RemoteKind::parse,
            RemoteKind::WORDS,
            diags,
        )
    });
    let segment = t.required_str("segment", diags);
    let external = t.str("external", diags);
    let mfa = t.bool("mfa", diags);
    let source_restricted = t.bool("source_restricted", diags);
    let session_recording = t.bool("session_recording", diags);
    let approved = t.bool("approved", diags);
    let (name, description) = labels(&mut t, diags);
    t.finish(diags);
    let id = id?;
    Some(RemoteAccess {
        loc: id.loc,
        id: id.value,
        kind: kind?,
        segment: segment?,
        external,
        mfa,
        source_restricted,
        session_recording,
        approved,
        name,
        description,
    })
}

pub fn log_sink(node: &Node, diags: &mut Diagnostics) -> Option<LogSink> {
    let mut t = TableReader::new(node, "[[log_sink]]", diags)?;
    let id = id(&mut t, diags);
    let host = t.str("host", diags);
    let retention_days = t.u64("retention_days", diags);
    let soc = t.bool("soc", diags);
    let sources = t.strings("sources", diags);
    let (name, description) = labels(&mut t, diags);
    t.finish(diags);
    let id = id?;
    Some(LogSink {
        loc: id.loc,
        id: id.value,
        host,
        retention_days,
        soc,
        sources,
        name,
        description,
    })
}

pub fn monitor(node: &Node, diags: &mut Diagnostics) -> Option<Monitor> {
    let mut t = TableReader::new(node, "[[monitor]]", diags)?;
    let id = id(&mut t, diags);
    let kind = t.require("kind", diags).and_then(|n| {
        word(
            n,
            "monitor kind",
            MonitorKind::parse,
            MonitorKind::WORDS,
            diags,
        )
    });
    let covers = t
        .require("covers", diags)
        .map(|n| parsed_list(n, "selector", Selector::parse, diags))
        .unwrap_or_default();
    let (name, description) = labels(&mut t, diags);
    t.finish(diags);
    let id = id?;
    Some(Monitor {
        loc: id.loc,
        id: id.value,
        kind: kind?,
        covers,
        name,
        description,
    })
}

/// The endpoint facts of a `[[host]]` (read before its `finish`).
pub fn host_facts(t: &mut TableReader<'_>, diags: &mut Diagnostics) -> HostFacts {
    let roles = t
        .get("role")
        .map(|n| words(n, "host role", HostRole::parse, HostRole::WORDS, diags))
        .unwrap_or_default();
    let registered = t.bool("registered", diags);
    let issued_by_org = t.bool("issued_by_org", diags);
    let patch_age_days = t.u64("patch_age_days", diags);
    let listening = t
        .get("listening")
        .map(|n| parsed_list(n, "service", Service::parse, diags));
    let log_source = t.bool("log_source", diags);
    let ntp_server = t.str("ntp_server", diags);
    let runs_on = t.str("runs_on", diags);
    let serves_zones = t.strings("serves_zones", diags);
    let shared_approved_by = t.str("shared_approved_by", diags).map(|s| s.value);
    let shared_reason = t.str("shared_reason", diags).map(|s| s.value);
    let business_units = t
        .strings("business_units", diags)
        .into_iter()
        .map(|s| s.value)
        .collect();
    HostFacts {
        roles,
        registered,
        issued_by_org,
        patch_age_days,
        listening,
        log_source,
        ntp_server,
        runs_on,
        serves_zones,
        shared_approved_by,
        shared_reason,
        business_units,
    }
}

/// References of the organisation's tables and of hosts' endpoint facts.
pub fn check_references(
    topo: &Topology,
    broken: &[super::topology::BrokenId],
    index: &super::check::Index<'_>,
    diags: &mut Diagnostics,
) {
    // A segment's `site` is free text until the design declares its sites; from then on it
    // must name one, so a typo cannot leave a segment outside every site.
    if !topo.sites.is_empty() || broken.iter().any(|b| b.kind == "site") {
        for s in &topo.segments {
            if let Some(site) = &s.site {
                index.expect("site", site, &|| format!("segment `{}`", s.id), diags);
            }
        }
    }
    for h in &topo.hosts {
        let context = || format!("host `{}`", h.id);
        let f = &h.facts;
        if let Some(n) = &f.ntp_server {
            index.expect("host", n, &context, diags);
        }
        if let Some(r) = &f.runs_on {
            index.expect("host", r, &context, diags);
        }
        for z in &f.serves_zones {
            index.expect("zone", z, &context, diags);
        }
    }
    for s in &topo.services {
        let context = || format!("service `{}`", s.id);
        if let Some(z) = &s.zone {
            index.expect("zone", z, &context, diags);
        }
        if let Some(x) = &s.external {
            index.expect("external", x, &context, diags);
        }
    }
    for w in &topo.wifis {
        index.expect("segment", &w.segment, &|| format!("wifi `{}`", w.id), diags);
    }
    for r in &topo.remote_access {
        let context = || format!("remote_access `{}`", r.id);
        index.expect("segment", &r.segment, &context, diags);
        if let Some(x) = &r.external {
            index.expect("external", x, &context, diags);
        }
    }
    for l in &topo.log_sinks {
        let context = || format!("log_sink `{}`", l.id);
        if let Some(h) = &l.host {
            index.expect("host", h, &context, diags);
        }
        for s in &l.sources {
            // Any device may send logs: a host, a firewall or a gateway.
            let device = ["host", "firewall", "gateway"]
                .iter()
                .find(|k| index.contains(k, &s.value));
            if device.is_none() {
                index.expect("host", s, &context, diags);
            }
        }
    }
    for m in &topo.monitors {
        for c in &m.covers {
            index.selector(c, &|| format!("monitor `{}`", m.id), diags);
        }
    }
}
