//! A site's accounts (staff per department, tier administrators, the help desk) and its declared
//! network flows.

use super::catalogue::LGWAN;
use super::layout::{Group, Site};
use super::rng::Rng;
use super::values::at;
use crate::model::*;
use crate::source::Loc;

pub(super) fn account(id: String, privilege: Privilege, name: &str) -> Account {
    Account {
        id,
        privilege,
        admin_on: Vec::new(),
        logs_on_to: Vec::new(),
        groups: Vec::new(),
        mfa: None,
        unique_per_host: None,
        shared: None,
        logon_audit: None,
        name: Some(name.into()),
        description: None,
        loc: Loc::default(),
    }
}

pub(super) fn hosts<'a>(groups: impl Iterator<Item = &'a Group>) -> Vec<At<Selector>> {
    groups.map(|g| at(Selector::Host(g.host.clone()))).collect()
}

pub(super) fn accounts(topo: &mut Topology, site: &Site, rng: &mut Rng) {
    let named = |what: &str| format!("{} {what}", site.name);
    // Staff: one account per department and tier, logging on to its department's terminals.
    for (offices, tier) in [(&site.mn_offices, "mn"), (&site.lg_offices, "lg")] {
        for dept in Site::depts(offices) {
            let id = site.id(&format!("{tier}-{}-staff", dept.0));
            let mut a = account(id, Privilege::User, &named(&format!("{} 職員", dept.1)));
            let groups = offices.iter().flat_map(|o| &o.groups);
            a.logs_on_to = hosts(groups.filter(|g| g.dept == dept));
            a.groups = match tier {
                "mn" => vec![site.id(dept.0)],
                _ => vec![site.id("lg-staff"), site.id(dept.0)],
            };
            a.mfa = Some(tier == "mn");
            topo.accounts.push(a);
        }
    }
    let mut vdi = account(
        site.id("vdi-user"),
        Privilege::User,
        &named("仮想ブラウザ 利用者"),
    );
    vdi.logs_on_to = hosts(site.vdis.iter().flat_map(|o| &o.groups));
    vdi.groups = vec![site.id("vdi-users")];
    vdi.mfa = Some(false);

    // Administrators: one per tier, logging on to their own servers only...
    let mut mn = account(
        site.id("mn-admin"),
        Privilege::DomainAdmin,
        &named("MN系 管理者"),
    );
    mn.admin_on = vec![at(Selector::Zone(site.id("mn")))];
    mn.logs_on_to = vec![at(site.host("mn-dc"))];
    mn.mfa = Some(true);
    let mut lg = account(
        site.id("lg-admin"),
        Privilege::DomainAdmin,
        &named("LGWAN系 管理者"),
    );
    lg.admin_on = vec![at(Selector::Zone(site.id("lg")))];
    lg.logs_on_to = vec![at(site.host("lg-dc"))];
    if site.violations.admin_on_terminals {
        // ...except where the domain admin works from an ordinary LGWAN terminal.
        lg.logs_on_to.push(at(Selector::Host(
            site.lg_offices[0].groups[0].host.clone(),
        )));
    }
    lg.mfa = Some(rng.percent(70));
    let mut inet = account(
        site.id("inet-admin"),
        Privilege::ServerAdmin,
        &named("インターネット系 管理者"),
    );
    inet.admin_on = vec![at(Selector::Zone(site.id("inet")))];
    inet.logs_on_to = vec![at(site.host("inet-proxy")), at(site.host("inet-mail"))];
    inet.mfa = Some(true);
    // The help desk is local admin on LGWAN terminals and logs on to them to fix things; its
    // password is unique per terminal (LAPS) at most sites.
    let mut helpdesk = account(
        site.id("helpdesk"),
        Privilege::LocalAdmin,
        &named("端末保守"),
    );
    helpdesk.admin_on = site
        .lg_offices
        .iter()
        .map(|o| at(Selector::Segment(o.net.id.clone())))
        .collect();
    helpdesk.logs_on_to = hosts(site.lg_offices.iter().flat_map(|o| &o.groups).take(2));
    helpdesk.unique_per_host = Some(rng.percent(70));
    helpdesk.mfa = Some(false);
    topo.accounts.extend([vdi, mn, lg, inet, helpdesk]);
}

pub(super) fn flows(topo: &mut Topology, site: &Site) {
    let flow =
        |part: &str, from: Selector, to: Selector, method, data: &[DataClass], purpose: &str| {
            Flow {
                id: site.id(part),
                from: at(from),
                to: at(to),
                method,
                data: data.to_vec(),
                purpose: Some(purpose.into()),
                name: None,
                description: None,
                loc: Loc::default(),
            }
        };
    use DataClass::*;
    topo.flows.push(flow(
        "chukan",
        Selector::Store(site.id("atena-db")),
        Selector::External(LGWAN.into()),
        FlowMethod::Network,
        &[Tax, Welfare],
        "中間サーバーへの副本登録 (特定通信)",
    ));
    topo.flows.push(flow(
        "web-import",
        Selector::Host(site.vdis[0].groups[0].host.clone()),
        Selector::Store(site.id("lg-share")),
        FlowMethod::SanitizedFile,
        &[Public],
        "Web 取得資料の取込み (無害化済み)",
    ));
    if site.violations.copied_to_internet {
        topo.flows.push(flow(
            "extract",
            Selector::Store(site.id("juki-db")),
            Selector::Store(site.id("inet-share")),
            FlowMethod::Media,
            &[Basic4, PensionNumber],
            "通知書作成のための抽出 (USB メモリ)",
        ));
    }
}
