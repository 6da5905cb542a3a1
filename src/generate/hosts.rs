//! A site's hosts: terminal groups, fixed servers, business systems with their stores, and the
//! gateways of the sanctioned crossings.

use super::catalogue::{
    FIRST_SYSTEM, GW_FILE, GW_MAIL, GW_SCREEN_LG, GW_SCREEN_VDI, INET_FS, Place, SERVERS, STORES,
};
use super::layout::{Net, Site};
use super::rng::Rng;
use super::values::{at, services, single, tcp};
use crate::model::*;
use crate::source::Loc;

pub(super) fn host(id: String, kind: HostKind, segment: &Net, ip: AddrRange) -> Host {
    let interfaces = vec![HostInterface {
        segment: at(segment.id.clone()),
        ip: at(ip),
    }];
    Host {
        antivirus: Some(true),
        ..Host::new(id, kind, interfaces, Loc::default())
    }
}

pub(super) fn terminals(topo: &mut Topology, site: &Site, rng: &mut Rng) {
    let tiers = [
        (Tier::MyNumber, &site.mn_offices),
        (Tier::Lgwan, &site.lg_offices),
    ];
    for (tier, offices) in tiers {
        for office in offices {
            for g in &office.groups {
                let range = AddrRange {
                    first: g.first,
                    last: g.first + g.count as u32 - 1,
                };
                let mut h = host(g.host.clone(), HostKind::Terminal, &office.net, range);
                h.count = g.count;
                h.name = Some(format!("{} {}", site.name, g.dept.1));
                h.disk_encryption = Some(true);
                if tier == Tier::MyNumber {
                    // A few sites leave MFA unstated: rules answer "unknown" there, as they
                    // should for a design that does not say.
                    h.mfa = rng.percent(95).then_some(true);
                    h.removable_media = Some(RemovableMedia::Blocked);
                    h.edr = Some(rng.percent(50));
                    h.client_isolation = Some(true);
                } else {
                    h.mfa = Some(false);
                    h.removable_media = Some(if rng.percent(90) {
                        RemovableMedia::Allowlist
                    } else {
                        RemovableMedia::Allowed
                    });
                    h.edr = Some(true);
                    h.client_isolation = Some(rng.percent(80));
                }
                topo.hosts.push(h);
            }
        }
    }
    // Virtual browsers open internet content: the entry points of attack analysis.
    for (k, g) in site
        .vdis
        .iter()
        .flat_map(|o| o.groups.iter().map(move |g| (o, g)))
        .enumerate()
    {
        let range = AddrRange {
            first: g.1.first,
            last: g.1.first + g.1.count as u32 - 1,
        };
        let mut h = host(g.1.host.clone(), HostKind::Vdi, &g.0.net, range);
        h.count = g.1.count;
        h.name = Some(format!("{} 仮想ブラウザ", site.name));
        h.internet_use = if k == 0 {
            vec![InternetUse::Mail, InternetUse::Web]
        } else {
            vec![InternetUse::Web]
        };
        h.mfa = Some(false);
        h.removable_media = Some(RemovableMedia::Blocked);
        h.edr = Some(true);
        topo.hosts.push(h);
    }
}

pub(super) fn servers(topo: &mut Topology, site: &Site) {
    let mut add = |part: &str, kind, place, offset, services: Vec<Service>, name: &str| {
        let segment = site.place(place);
        let mut h = host(site.id(part), kind, segment, single(segment.addr(offset)));
        h.services = services.into_iter().map(at).collect();
        h.name = Some(format!("{} {name}", site.name));
        // EDR runs on LGWAN and internet servers; the closed MN tier often goes without.
        h.edr = Some(place != Place::MnServers);
        topo.hosts.push(h);
    };
    let extra = site.violations.copied_to_internet.then_some(&INET_FS);
    for &(part, kind, place, offset, list, name) in SERVERS.iter().chain(extra) {
        add(part, kind, place, offset, services(list), name);
    }
    for place in Place::ALL {
        for &i in &site.systems[place as usize] {
            let (part, name, ports, ..) = place.systems()[i];
            let offset = FIRST_SYSTEM + i as u32;
            let services = ports.iter().map(|&p| tcp(p)).collect();
            add(part, HostKind::Server, place, offset, services, name);
        }
    }
}

pub(super) fn stores(topo: &mut Topology, site: &Site, rng: &mut Rng) {
    let present: Vec<&str> = Site::depts(&site.mn_offices)
        .into_iter()
        .chain(Site::depts(&site.lg_offices))
        .map(|d| d.0)
        .chain(["lg-staff", "vdi-users"])
        .collect();
    // Readers are the site's groups; a department the site lacks is left out, and a store no
    // group can read falls back to the administrator of its tier.
    let readers = |groups: &[&str], admin: &str| -> Vec<At<Reader>> {
        let found: Vec<At<Reader>> = groups
            .iter()
            .filter(|g| present.contains(g))
            .map(|g| at(Reader::Group(site.id(g))))
            .collect();
        if found.is_empty() {
            vec![at(Reader::Account(site.id(admin)))]
        } else {
            found
        }
    };
    let residents = rng.between(8_000, 350_000);
    let mut add = |part: &str,
                   host: &str,
                   service: Service,
                   data: &[DataClass],
                   per_mille: u64,
                   readers: Vec<At<Reader>>,
                   name: &str| {
        let records = residents * per_mille / 1000;
        topo.stores.push(Store {
            id: site.id(part),
            host: at(site.id(host)),
            service: Some(at(service)),
            data: data.to_vec(),
            records: (records > 0).then_some(records),
            encrypted: Some(true),
            readers,
            copied_from: None,
            confidentiality: None,
            owner: None,
            purpose: None,
            retain_until: None,
            name: Some(format!("{} {name}", site.name)),
            description: None,
            loc: Loc::default(),
        });
    };
    for &(part, host, service, data, per_mille, groups, name) in STORES {
        let admin = if data.contains(&DataClass::MyNumber) {
            "mn-admin"
        } else {
            "lg-admin"
        };
        add(
            part,
            host,
            services(service)[0],
            data,
            per_mille,
            readers(groups, admin),
            name,
        );
    }
    for place in Place::ALL {
        // A system used by every department is read by the tier's everyone-group.
        let (everyone, admin) = match place {
            Place::MnServers => ("", "mn-admin"),
            Place::LgServers => ("lg-staff", "lg-admin"),
            Place::InetDmz => ("vdi-users", "inet-admin"),
        };
        for &i in &site.systems[place as usize] {
            let (part, name, ports, dept, data, per_mille) = place.systems()[i];
            if !data.is_empty() {
                let group = if dept.is_empty() { everyone } else { dept };
                let (id, name) = (format!("{part}-db"), format!("{name} DB"));
                let readers = readers(&[group], admin);
                add(&id, part, tcp(ports[0]), data, per_mille, readers, &name);
            }
        }
    }
    if site.violations.copied_to_internet {
        topo.stores.push(Store {
            id: site.id("inet-share"),
            host: at(site.id("inet-fs")),
            service: Some(at(tcp(445))),
            data: vec![DataClass::Basic4, DataClass::PensionNumber],
            records: Some(residents / 2),
            encrypted: Some(false),
            readers: vec![at(Reader::Everyone)],
            copied_from: Some(at(site.id("juki-db"))),
            confidentiality: None,
            owner: None,
            purpose: None,
            retain_until: None,
            name: Some(format!("{} 通知書作成用 抽出データ", site.name)),
            description: Some(
                "基幹系から抽出し、インターネット系の共有フォルダに置いたもの。".into(),
            ),
            loc: Loc::default(),
        });
    }
}

pub(super) fn gateways(topo: &mut Topology, site: &Site, rng: &mut Rng) {
    let side = |segment: &Net, offset: u32| HostInterface {
        segment: at(segment.id.clone()),
        ip: at(single(segment.addr(offset))),
    };
    let gateway = |part: &str, kind, inet: HostInterface, lg: HostInterface, name: &str| Gateway {
        id: site.id(part),
        kind,
        from: at(site.id("inet")),
        to: at(site.id("lg")),
        interfaces: vec![inet, lg],
        method: None,
        bypass: false,
        clipboard: None,
        file_transfer: None,
        drive_redirection: None,
        name: Some(format!("{} {name}", site.name)),
        description: None,
        loc: Loc::default(),
    };
    let (inet, lg) = (&site.inet_dmz, &site.lg_dmz);
    let mut file = gateway(
        "mufuka",
        GatewayKind::FileSanitizer,
        side(inet, GW_FILE),
        side(lg, GW_FILE),
        "ファイル無害化",
    );
    let methods = [
        SanitizeMethod::Cdr,
        SanitizeMethod::Cdr,
        SanitizeMethod::Image,
    ];
    file.method = Some(*rng.pick(&methods));
    if site.violations.sanitizer_bypass {
        file.bypass = true;
        file.description = Some("管理者による無害化省略 (原本取出し) 機能が有効。".into());
    }
    let mut mail = gateway(
        "mail-mufuka",
        GatewayKind::MailSanitizer,
        side(inet, GW_MAIL),
        side(lg, GW_MAIL),
        "メール無害化",
    );
    mail.method = Some(SanitizeMethod::Text);
    let mut screen = gateway(
        "gamen",
        GatewayKind::ScreenTransfer,
        side(&site.vdis[0].net, GW_SCREEN_VDI),
        side(lg, GW_SCREEN_LG),
        "画面転送",
    );
    screen.clipboard = Some(if rng.percent(80) {
        Clipboard::Disabled
    } else {
        Clipboard::TextIn
    });
    screen.file_transfer = Some(false);
    screen.drive_redirection = Some(false);
    topo.gateways.extend([file, mail, screen]);
}
