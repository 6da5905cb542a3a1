//! A site's four firewalls and their rule bases: the MN boundary, the LGWAN core, the
//! LGWAN–internet boundary and the internet edge, with the 特定通信 and the deliberate violations.

use super::addresses::{CHUKAN, CHUKAN_NET, CLOUD_DNS, CLOUD_MAIL, CLOUD_PROXY, ELTAX, saas};
use super::catalogue::{
    AD, ADMIN_PORTS, CLOUD, DANGEROUS, GW_FILE, GW_MAIL, GW_SCREEN_LG, LGWAN, Place,
};
use super::filler::Filler;
use super::layout::{Net, Site};
use super::rng::Rng;
use super::rules::{RuleExt, addr, allow, deny, prefix, segment, segments};
use super::values::{at, tcp};
use crate::model::*;
use crate::source::Loc;
use std::collections::BTreeSet;
use std::net::Ipv4Addr;

/// An interface on a segment, named after the segment's role, at an offset in its prefix.
pub(super) fn on(n: &Net, offset: u32) -> FirewallInterface {
    FirewallInterface {
        name: Some(n.role.clone()),
        attachment: at(Attachment::Segment(n.id.clone())),
        ip: Some(at(Ipv4Addr::from(n.addr(offset)))),
        loc: Loc::default(),
    }
}

pub(super) fn facing(name: &str, external: &str) -> FirewallInterface {
    FirewallInterface {
        name: Some(name.into()),
        attachment: at(Attachment::External(external.into())),
        ip: None,
        loc: Loc::default(),
    }
}

pub(super) fn firewall(
    site: &Site,
    part: &str,
    name: &str,
    interfaces: Vec<FirewallInterface>,
) -> Firewall {
    Firewall {
        id: site.id(part),
        interfaces,
        default: Action::Deny,
        stateful: true,
        isolation_point: None,
        rules: Vec::new(),
        filters: Vec::new(),
        routes: Vec::new(),
        nat: Vec::new(),
        name: Some(format!("{} {name}", site.name)),
        description: None,
        loc: Loc::default(),
    }
}

/// Filler rules until the list is `target` long (or the filler has nothing new to add), then
/// the explicit closing deny every municipal rule base ends with.
pub(super) fn finish(
    mut rules: Vec<Rule>,
    target: usize,
    mut fill: impl FnMut(&mut Vec<Rule>) -> bool,
) -> Vec<Rule> {
    while rules.len() + 1 < target && fill(&mut rules) {}
    rules.push(closing_deny());
    rules
}

pub(super) fn closing_deny() -> Rule {
    deny(Selector::Any, Selector::Any, "any").log("その他はすべて遮断 (明示)")
}

pub(super) fn firewalls(topo: &mut Topology, site: &Site, rng: &mut Rng) {
    // The site's rule budget by role: the LGWAN core and the internet edge carry most. The
    // boundary's deny list is short and finite; what it leaves goes to the LGWAN core.
    let budget = |percent: usize| site.rules * percent / 100;
    let eltax = rng.percent(50);
    let bd = fw_bd(site, rng, budget(4));
    let left = budget(4).saturating_sub(bd.rules.len());
    let mn = fw_mn(site, rng, budget(24), eltax);
    let lg = fw_lg(site, rng, budget(40) + left, eltax);
    let inet = fw_inet(site, rng, budget(32));
    topo.firewalls.extend([mn, lg, bd, inet]);
}

/// 特定通信: one MN host to one LGWAN address on one port, logged.
pub(super) fn tokutei(site: &Site, from: &str, to: u32, what: &str) -> Rule {
    allow(site.host(from), addr(to), "tcp/443").log(format!("特定通信: {what} (1 ホスト 1 ポート)"))
}

/// Violation: an LGWAN office may open RDP on an MN office (on both firewalls of the path).
pub(super) fn rdp_from_lgwan(site: &Site) -> Rule {
    let (lg, mn) = (
        segment(&site.lg_offices[0].net),
        segment(&site.mn_offices[0].net),
    );
    allow(lg, mn, "tcp/3389").log("保守ベンダーのリモート保守 (暫定・撤去予定)")
}

/// Violation: virtual browsers may write to the LGWAN file server (on every firewall of the
/// path: internet edge, boundary, LGWAN core).
pub(super) fn smb_from_internet(site: &Site) -> Rule {
    allow(segment(&site.vdis[0].net), site.host("lg-fs"), "tcp/445")
        .log("スキャナ文書の取込み (暫定)")
}

pub(super) const LG_LINK: &str = "lg-link";
pub(super) const MN_LINK: &str = "mn-link";
pub(super) const WAN: &str = "wan";

/// MN boundary: MN offices and servers, and the /29 link to the LGWAN firewall that only the
/// pinned 特定通信 may cross.
pub(super) fn fw_mn(site: &Site, rng: &mut Rng, target: usize, eltax: bool) -> Firewall {
    let mut interfaces: Vec<FirewallInterface> =
        site.mn_offices.iter().map(|o| on(&o.net, 1)).collect();
    interfaces.push(on(&site.mn_servers, 1));
    interfaces.push(FirewallInterface {
        name: Some(LG_LINK.into()),
        ..on(&site.link, 2)
    });
    let servers = site.mn_servers.role.as_str();
    let offices = segments(&site.mn_offices);

    let mut rules = vec![
        tokutei(site, "atena", CHUKAN, "団体内統合宛名 → 自治体中間サーバー")
            .entering(servers)
            .leaving(LG_LINK),
    ];
    if eltax {
        rules.push(
            tokutei(site, "kikan-ap", ELTAX, "基幹系 → eLTAX")
                .entering(servers)
                .leaving(LG_LINK),
        );
    }
    if site.violations.rdp_from_lgwan {
        rules.push(rdp_from_lgwan(site).entering(LG_LINK));
    }
    rules.extend([
        deny(Selector::Any, Selector::Any, "any")
            .leaving(LG_LINK)
            .log("特定通信以外の LGWAN 側への通信を遮断"),
        deny(Selector::Any, Selector::Any, "any")
            .entering(LG_LINK)
            .log("LGWAN 側から開始される通信を遮断"),
        allow(offices.clone(), site.host("mn-dc"), AD).why("AD 認証・グループポリシー"),
        deny(offices.clone(), segment(&site.mn_servers), ADMIN_PORTS)
            .log("端末からサーバの管理・共有ポートを禁止 (横展開防止)"),
        allow(offices, site.host("kikan-ap"), "tcp/443").why("基幹系業務システムの利用"),
    ]);
    let systems = site.systems(Place::MnServers);
    let mut filler = Filler::new(&site.mn_offices, systems, Some(site.host("kikan-ap")));
    let mut fw = firewall(site, "fw-mn", "マイナンバー系 境界FW", interfaces);
    fw.rules = finish(rules, target, |r| filler.add(rng, r));
    fw
}

/// LGWAN core: LGWAN offices and servers, the LGWAN side of the crossings, the link from the MN
/// firewall, and the shared LGWAN external.
pub(super) fn fw_lg(site: &Site, rng: &mut Rng, target: usize, eltax: bool) -> Firewall {
    let mut interfaces: Vec<FirewallInterface> =
        site.lg_offices.iter().map(|o| on(&o.net, 1)).collect();
    interfaces.extend([
        on(&site.lg_servers, 1),
        on(&site.lg_dmz, 1),
        on(&site.link, 1),
        facing(LGWAN, LGWAN),
    ]);
    let servers = site.lg_servers.role.as_str();
    let lgwan = || Selector::External(LGWAN.into());
    let offices = segments(&site.lg_offices);
    let gw = |offset| addr(site.lg_dmz.addr(offset));

    let mut rules = vec![
        tokutei(site, "atena", CHUKAN, "中間サーバー連携 (fw-mn と対)")
            .entering(MN_LINK)
            .leaving(LGWAN),
    ];
    if eltax {
        rules.push(
            tokutei(site, "kikan-ap", ELTAX, "eLTAX (fw-mn と対)")
                .entering(MN_LINK)
                .leaving(LGWAN),
        );
    }
    if site.violations.rdp_from_lgwan {
        rules.push(rdp_from_lgwan(site).leaving(MN_LINK));
    }
    rules.extend([
        deny(Selector::Any, Selector::Any, "any")
            .entering(MN_LINK)
            .log("マイナンバー系からのその他の通信を遮断"),
        deny(Selector::Any, Selector::Any, "any")
            .leaving(MN_LINK)
            .log("マイナンバー系へ向かう通信を遮断"),
        deny(Selector::Tier(Tier::Lgwan), prefix(CHUKAN_NET), "any")
            .log("中間サーバー・プラットフォームへは特定通信以外を通さない"),
        allow(site.host("lg-mail"), lgwan(), "tcp/25")
            .entering(servers)
            .leaving(LGWAN)
            .log("LGWAN メール送信"),
        allow(lgwan(), site.host("lg-mail"), "tcp/25")
            .entering(LGWAN)
            .leaving(servers)
            .log("LGWAN メール受信"),
        allow(site.host("lg-dc"), lgwan(), "tcp/53 udp/53")
            .leaving(LGWAN)
            .why("DNS フォワード"),
        allow(site.host("lg-wsus"), lgwan(), "tcp/443")
            .leaving(LGWAN)
            .why("LGWAN-ASP からパッチ取得"),
        allow(offices.clone(), lgwan(), "tcp/443")
            .leaving(LGWAN)
            .log("LGWAN-ASP の利用"),
        deny(
            offices.clone(),
            segment(&site.lg_servers),
            "tcp/22 tcp/3389 tcp/5985-5986",
        )
        .log("端末からサーバのリモート管理ポートを禁止"),
        allow(offices.clone(), site.host("lg-dc"), AD).why("AD 認証・グループポリシー"),
        allow(offices.clone(), site.host("lg-fs"), "tcp/445").why("ファイルサーバ (SMB)"),
        allow(
            offices.clone(),
            vec![site.host("zaimu"), site.host("bunsho")],
            "tcp/443",
        )
        .why("財務会計・文書管理"),
        allow(
            offices.clone(),
            site.host("lg-mail"),
            "tcp/443 tcp/587 tcp/993",
        )
        .why("LGWAN メール"),
        allow(offices.clone(), site.host("lg-wsus"), "tcp/443 tcp/8530")
            .why("パッチ・定義ファイル"),
        allow(offices, vec![gw(GW_FILE), gw(GW_SCREEN_LG)], "tcp/443")
            .log("無害化済みファイルの受取り・画面転送"),
        allow(gw(GW_MAIL), site.host("lg-mail"), "tcp/25").log("テキスト化したメールの配送"),
    ]);
    if site.violations.smb_from_internet {
        rules.push(
            smb_from_internet(site)
                .entering(&site.lg_dmz.role)
                .leaving(servers),
        );
    }
    rules.push(
        deny(segment(&site.lg_dmz), Selector::Any, "any")
            .log("無害化装置から開始される通信は上記以外禁止"),
    );

    // An outbound filter on the LGWAN uplink, like an L3 switch's access-group: a second guard
    // that only LGWAN-tier sources and the pinned 特定通信 leave towards the LGWAN.
    let mut filter = vec![tokutei(
        site,
        "atena",
        CHUKAN,
        "中間サーバー連携 (二重の歯止め)",
    )];
    if eltax {
        filter.push(tokutei(site, "kikan-ap", ELTAX, "eLTAX (二重の歯止め)"));
    }
    let lgwan_tier = allow(
        Selector::Tier(Tier::Lgwan),
        lgwan(),
        "tcp/25 tcp/53 udp/53 tcp/443",
    );
    filter.push(lgwan_tier.why("LGWAN系から LGWAN へ (メール・DNS・ASP)"));

    let systems = site.systems(Place::LgServers);
    let mut filler = Filler::new(&site.lg_offices, systems, Some(site.host("lg-fs")));
    let mut fw = firewall(site, "fw-lg", "LGWAN系 コアFW", interfaces);
    let target = target.saturating_sub(filter.len());
    fw.rules = finish(rules, target, |r| filler.add(rng, r));
    fw.filters.push(Filter {
        interface: at(LGWAN.into()),
        direction: Direction::Out,
        default: Action::Deny,
        rules: filter,
        loc: Loc::default(),
    });
    fw
}

/// LGWAN–internet boundary, between the two DMZs. Only the sanitizers' own transfers should
/// cross it; the rest of its rule base is explicit denies of dangerous ports.
pub(super) fn fw_bd(site: &Site, rng: &mut Rng, target: usize) -> Firewall {
    let interfaces = vec![on(&site.lg_dmz, 2), on(&site.inet_dmz, 2)];
    let (lg_side, inet_side) = (site.lg_dmz.role.as_str(), site.inet_dmz.role.as_str());
    let inet_gw = |offset| addr(site.inet_dmz.addr(offset));
    let lg_gw = |offset| addr(site.lg_dmz.addr(offset));
    let (inet_dmz, lg_dmz) = (segment(&site.inet_dmz), segment(&site.lg_dmz));

    let mut rules = vec![
        allow(inet_gw(GW_FILE), lg_gw(GW_FILE), "tcp/443")
            .entering(inet_side)
            .leaving(lg_side)
            .log("ファイル無害化装置 内部転送 (インターネット側 → LGWAN側)"),
        allow(inet_gw(GW_MAIL), lg_gw(GW_MAIL), "tcp/25")
            .entering(inet_side)
            .leaving(lg_side)
            .log("メール無害化装置 内部転送"),
        allow(inet_gw(GW_FILE), lg_gw(GW_FILE), "tcp/8443 tcp/22")
            .entering(inet_side)
            .leaving(lg_side)
            .why("無害化装置 管理・同期"),
    ];
    if site.violations.smb_from_internet {
        rules.push(smb_from_internet(site));
    }
    rules.extend([
        deny(inet_dmz.clone(), lg_dmz.clone(), "any")
            .log("インターネット系 DMZ → LGWAN系 DMZ を遮断"),
        deny(lg_dmz, inet_dmz, "any").log("LGWAN系 DMZ → インターネット系 DMZ を遮断"),
    ]);
    // The deny list, grown one advisory at a time: each (source, target, port) once and none
    // covering another, so every entry still decides something. Sources further away than the
    // DMZ are what it guards against.
    let sources: Vec<Selector> = std::iter::once(segment(&site.inet_dmz))
        .chain(segments(&site.vdis))
        .collect();
    let targets: Vec<Selector> = std::iter::once(segment(&site.lg_servers))
        .chain(segments(&site.lg_offices))
        .collect();
    let mut entries: Vec<(usize, usize, usize)> = (0..sources.len())
        .flat_map(|s| {
            (0..targets.len()).flat_map(move |t| (0..DANGEROUS.len()).map(move |p| (s, t, p)))
        })
        .collect();
    // Fisher-Yates, so the list reads in the order advisories happened to arrive.
    for i in (1..entries.len()).rev() {
        entries.swap(i, rng.below(i as u64 + 1) as usize);
    }
    let mut entries = entries.into_iter();
    let mut fw = firewall(site, "fw-bd", "LGWAN・インターネット境界FW", interfaces);
    fw.rules = finish(rules, target, |r| match entries.next() {
        Some((s, t, p)) => {
            let (from, to) = (sources[s].clone(), targets[t].clone());
            r.push(deny(from, to, DANGEROUS[p]).log("危険ポート遮断"));
            true
        }
        None => false,
    });
    fw
}

/// Internet edge: the internet-tier DMZ and virtual browsers, and the shared security cloud.
pub(super) fn fw_inet(site: &Site, rng: &mut Rng, target: usize) -> Firewall {
    let mut interfaces = vec![on(&site.inet_dmz, 1)];
    interfaces.extend(site.vdis.iter().map(|o| on(&o.net, 1)));
    interfaces.push(facing(WAN, CLOUD));
    let dmz = site.inet_dmz.role.as_str();
    let cloud = || Selector::External(CLOUD.into());
    let (proxy, mail) = (site.host("inet-proxy"), site.host("inet-mail"));
    let vdis = segments(&site.vdis);

    let mut rules = vec![
        deny(
            Selector::Any,
            cloud(),
            "tcp/135 tcp/137-139 udp/137-138 tcp/445",
        )
        .log("SMB / NetBIOS の外部送信を禁止"),
        allow(proxy.clone(), addr(CLOUD_PROXY), "tcp/8080")
            .entering(dmz)
            .leaving(WAN)
            .log("上位プロキシ (セキュリティクラウド)"),
        allow(mail.clone(), addr(CLOUD_MAIL), "tcp/25")
            .entering(dmz)
            .leaving(WAN)
            .log("メール送信 (クラウドのリレーへ)"),
        allow(addr(CLOUD_MAIL), mail.clone(), "tcp/25")
            .entering(WAN)
            .leaving(dmz)
            .log("メール受信 (クラウドのリレーからのみ)"),
        allow(
            vec![proxy.clone(), mail.clone()],
            addr(CLOUD_DNS),
            "tcp/53 udp/53",
        )
        .leaving(WAN)
        .why("名前解決"),
    ];
    let mut tail = vec![
        deny(Selector::Any, cloud(), "any").log("上記以外のインターネット向け通信を遮断"),
        allow(vdis.clone(), proxy.clone(), "tcp/8080").why("仮想ブラウザ → プロキシ"),
        allow(vdis.clone(), mail, "tcp/443").why("Web メールで原本を閲覧"),
        allow(vdis, addr(site.inet_dmz.addr(GW_FILE)), "tcp/443")
            .log("ダウンロードしたファイルを無害化装置へ"),
    ];
    if site.violations.smb_from_internet {
        let rule = smb_from_internet(site).entering(&site.vdis[0].net.role);
        tail.push(rule.leaving(dmz));
    }
    // The virtual browsers' side has few systems; it takes at most half of the filler, and
    // pinned egress to cloud services (one request at a time, each address and port once)
    // takes the rest, in front of the deny that closes the way out.
    let room = target.saturating_sub(rules.len() + tail.len() + 1);
    let mut office = Vec::new();
    let mut filler = Filler::new(&site.vdis, site.systems(Place::InetDmz), None);
    while office.len() < room / 2 && filler.add(rng, &mut office) {}
    let mut pinned = BTreeSet::new();
    for _ in 0..(room - office.len()) * 2 {
        if rules.len() + tail.len() + office.len() + 1 >= target {
            break;
        }
        let (to, port) = (saas(rng), *rng.pick(&[443, 8443, 993, 587, 465]));
        if pinned.insert((to, port)) {
            let pin = allow(proxy.clone(), addr(to), vec![tcp(port)]);
            let pin = pin.entering(dmz).leaving(WAN);
            rules.push(pin.log("クラウドサービス連携 (個別申請)"));
        }
    }
    rules.extend(tail);
    rules.extend(office);
    rules.push(closing_deny());
    let mut fw = firewall(site, "fw-inet", "インターネット接続系 FW", interfaces);
    fw.rules = rules;
    fw.isolation_point = Some(true);
    fw.description = Some(
        "セキュリティクラウドへの唯一の出口。ここで遮断すれば拠点をインターネットから切り離せる。"
            .into(),
    );
    fw
}
