//! The organisation around the network: each site, the endpoint facts of its hosts, its Wi-Fi,
//! remote access and log sinks, and the prefecture's `[org]`, SOC monitor and LGWAN-ASP service.

use super::catalogue::LGWAN;
use super::layout::Site;
use super::rng::Rng;
use super::values::{at, tcp};
use crate::model::*;
use crate::source::Loc;

/// The site itself, endpoint facts on its hosts, its staff Wi-Fi, the log sink of its
/// firewalls and gateways (those added since `devices`), and on the first site the vendor
/// maintenance line. A few sites leave a server listening on an undeclared port (NET-002).
pub(super) fn estate(
    topo: &mut Topology,
    site: &Site,
    n: usize,
    devices: (usize, usize),
    rng: &mut Rng,
) {
    topo.sites.push(crate::model::Site {
        id: site.tag.clone(),
        kind: if n == 0 {
            SiteKind::MainOffice
        } else {
            SiteKind::Branch
        },
        isolation_playbook: Some("インシデント対応手順書 第4章 (インターネット遮断)".into()),
        name: Some(site.name.clone()),
        description: None,
        loc: Loc::default(),
    });
    let prefix = format!("{}-", site.tag);
    let undeclared_port = rng.percent(10);
    for h in topo.hosts.iter_mut().filter(|h| h.id.starts_with(&prefix)) {
        h.facts.registered = Some(true);
        if h.kind == HostKind::Terminal {
            h.facts.patch_age_days = Some(at(rng.between(3, 45)));
        } else if h.kind != HostKind::Vdi {
            let mut listening = h.services.clone();
            if undeclared_port && h.id.ends_with("-lg-fs") {
                listening.push(at(tcp(3389)));
            }
            h.facts.listening = Some(listening);
        }
    }
    let mn_nets: Vec<&str> = site.mn_offices.iter().map(|o| o.net.id.as_str()).collect();
    for h in topo.hosts.iter_mut().filter(|h| h.id.starts_with(&prefix)) {
        let in_mn = h
            .interfaces
            .iter()
            .any(|i| mn_nets.contains(&i.segment.as_str()));
        if in_mn && h.kind == HostKind::Terminal {
            h.facts.business_units = vec![h.name.clone().unwrap_or_default()];
        }
    }
    for s in topo.stores.iter_mut().filter(|s| s.id.starts_with(&prefix)) {
        let personal = s.holds_personal_data();
        s.confidentiality = Some(if personal { 3 } else { 2 });
        if personal {
            s.owner = Some(format!("{} 情報政策課", site.name));
            s.purpose = s.name.clone();
            s.retain_until = Some(at("2031-03-31".into()));
        }
    }
    for a in topo
        .accounts
        .iter_mut()
        .filter(|a| a.id.starts_with(&prefix))
    {
        if matches!(a.privilege, Privilege::ServerAdmin | Privilege::DomainAdmin) {
            a.shared = Some(false);
            a.logon_audit = Some(true);
            a.mfa = Some(a.mfa.unwrap_or(true));
        }
    }
    for fw in &mut topo.firewalls[devices.0..] {
        for r in fw.rules.iter_mut().filter(|r| r.action == Action::Allow) {
            r.log = true;
        }
    }
    if let Some(office) = site.lg_offices.first() {
        topo.wifis.push(Wifi {
            id: site.id("staff-wifi"),
            ssid: Some("STAFF".into()),
            segment: at(office.net.id.clone()),
            // Staff Wi-Fi on the office LAN with 802.1X, as the guideline expects of it.
            auth: Some(WifiAuth::Enterprise),
            name: Some(format!("{} 職員用無線LAN", site.name)),
            description: None,
            loc: Loc::default(),
        });
    }
    if n == 0 {
        topo.remote_access.push(RemoteAccess {
            id: "vendor-hoshu".into(),
            kind: RemoteKind::VendorMaintenance,
            segment: at(site.lg_servers.id.clone()),
            external: None,
            mfa: Some(true),
            source_restricted: Some(true),
            session_recording: Some(true),
            approved: Some(true),
            name: Some("ベンダー保守回線".into()),
            description: None,
            loc: Loc::default(),
        });
    }
    let sources = topo.firewalls[devices.0..]
        .iter()
        .map(|f| at(f.id.clone()))
        .chain(topo.gateways[devices.1..].iter().map(|g| at(g.id.clone())))
        .collect();
    topo.log_sinks.push(LogSink {
        id: site.id("log"),
        host: None,
        retention_days: Some(at(400)),
        soc: Some(true),
        sources,
        name: Some(format!("{} ログ管理", site.name)),
        description: None,
        loc: Loc::default(),
    });
}

/// `[org]`, the SOC monitor over the internet tier and the LGWAN-ASP service all sites use.
pub(super) fn organisation(topo: &mut Topology) {
    topo.org = Org {
        csirt: Some(true),
        last_training: Some(at("2026-10-01".into())),
        last_self_check: Some(at("2026-09-01".into())),
        last_external_audit: Some(at("2026-08-01".into())),
        loc: Some(Loc::default()),
    };
    topo.monitors.push(Monitor {
        id: "pref-soc".into(),
        kind: MonitorKind::SocFeed,
        covers: vec![at(Selector::Tier(Tier::Internet))],
        name: Some("県 SOC による監視".into()),
        description: None,
        loc: Loc::default(),
    });
    for e in &mut topo.externals {
        e.approved = Some(true);
    }
    let lgwan_zone = topo
        .zones
        .iter()
        .find(|z| z.tier == Tier::Lgwan)
        .map(|z| at(z.id.clone()));
    topo.services.push(ExternalService {
        id: "denshi-shinsei".into(),
        kind: ServiceKind::LgwanAsp,
        zone: lgwan_zone,
        external: Some(at(LGWAN.into())),
        registration: Some("ASP-0000".into()),
        assurance: None,
        handles_conf2: Some(true),
        contract_reviewed: Some(true),
        tenant_restriction: None,
        mfa: None,
        name: Some("電子申請サービス (LGWAN-ASP)".into()),
        description: None,
        loc: Loc::default(),
    });
}
