//! IR-002: end-user hosts reach the internet only through a proxy, never directly.

use crate::analysis::bdd::{Bdd, FALSE};
use crate::analysis::paths::EndpointIndex;
use crate::analysis::reach::Endpoint;
use crate::model::policy::Level;
use crate::model::ranges::{intersects, normalize};
use crate::model::{
    AddrRange, ExternalId, GatewayKind, Host, HostId, HostKind, InternetUse, Service,
};
use crate::rules::data::count_note;
use crate::rules::{Context, Doc, Evidence, Levels, Meta, Outcome, Text};
use std::collections::BTreeMap;

pub static META: Meta = Meta {
    code: "IR-002",
    name: "terminal-direct-internet-egress",
    levels: Levels::all(Level::Deny),
    guideline: "S28, S33",
    confidence: "V",
    ja: Doc {
        title: "端末からインターネットへの直接通信",
        what: "利用者の端末 (kind = \"terminal\"、仮想ブラウザ等の kind = \"vdi\"、および internet_use を持つその他のホスト。プロキシとメールリレーを除く) から、インターネット (kind internet / security-cloud の外部網) へパケットが直接届かないこと。インターネットに出てよいのはプロキシとメールリレーだけである。また、internet_use に web を持つ端末が、どのプロキシ (kind = \"proxy\" のホスト、または自ゾーン向けの proxy ゲートウェイ) にも到達できない場合も指摘する (Web 閲覧の経路が設計に無い)。",
        why: "外向き通信をプロキシに集約しておけば、攻撃者の指令サーバのドメインを組織全体で一度に遮断でき、ログから感染端末も分かる。端末から直接インターネットに出られると、マルウェアは指令サーバと自由に通信し、データを持ち出せる。2015 年の日本年金機構の事案では、乗っ取られた第三者のサーバへ段階的に持ち出され、ドメイン単位で遮断していれば 5 月 8 日の通信は止められたと指摘された。",
        example: "インターネット境界 FW に from = \"tier:internet\", to = \"external:internet\", service = [\"tcp/80\", \"tcp/443\"] の許可があり、端末から直接 Web に出られる。",
        fix: "端末からインターネットへの許可ルールを削除し、Web はドメイン遮断のできるプロキシ経由だけにする (プロキシからセキュリティクラウドへは許可)。端末からプロキシへの通信は許可し、メールはメールリレー経由にする。",
    },
    en: Doc {
        title: "Direct internet egress from terminals",
        what: "No packet gets from an end-user host (kind = \"terminal\", virtual browsers with kind = \"vdi\", and any other host with `internet_use`, proxies and mail relays excepted) straight to the internet (externals of kind internet or security-cloud): only proxies and mail relays may go out. A terminal with internet_use = [\"web\"] that reaches no proxy (a host of kind = \"proxy\", or a proxy gateway into its zone) is a finding too: the design has no way for its web use.",
        why: "When outbound traffic goes through a proxy, one block of the attacker's command-and-control domain protects the whole organisation, and the logs show which machines are infected. With direct egress, malware talks to its server and carries data out freely. In the 2015 Japan Pension Service breach, data left in stages for a hijacked third-party server; domain-level blocking would have stopped the traffic of 8 May.",
        example: "The internet border firewall allows from = \"tier:internet\", to = \"external:internet\", service = [\"tcp/80\", \"tcp/443\"], so terminals browse directly.",
        fix: "Remove the rules that let terminals out; send web traffic only through a proxy that can block domains (and allow the proxy, not the terminals, towards the security cloud). Allow terminals to reach the proxy, and mail through the mail relay.",
    },
};

pub struct Rule;

/// End-user hosts: terminals, virtual desktops / browsers, and anything else that opens
/// internet content, except the hosts whose job is to go out.
fn is_end_user(h: &Host) -> bool {
    match h.kind {
        HostKind::Proxy | HostKind::MailRelay => false,
        HostKind::Terminal | HostKind::Vdi => true,
        _ => !h.internet_use.is_empty(),
    }
}

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) -> Vec<Outcome> {
        let topo = cx.topo;
        let users: Vec<usize> = (0..topo.hosts.len())
            .filter(|&h| is_end_user(&topo.hosts[h]))
            .collect();
        if users.is_empty() {
            return vec![Outcome::pass("terminals", None)];
        }
        // Who sends what each internet external receives, and what the proxies receive: read
        // off the delivered packets' source addresses, so the cost follows the externals and
        // proxies, not the number of end-user hosts.
        let ends: Vec<Endpoint> = users.iter().map(|&h| Endpoint::Host(HostId(h))).collect();
        let by_address = EndpointIndex::new(&cx.reach, &ends);
        let mut direct: BTreeMap<usize, (ExternalId, Bdd)> = BTreeMap::new();
        for x in cx.internet_externals() {
            let delivered = cx.reach.delivered_to(Endpoint::External(x));
            if delivered == FALSE {
                continue;
            }
            let senders = cx.reach.space.sources_of(delivered);
            for e in by_address.at(&senders) {
                let Endpoint::Host(HostId(h)) = e else {
                    continue;
                };
                if direct.contains_key(&h) {
                    continue;
                }
                let addrs = cx.reach.endpoint_addresses(e);
                let src = cx.reach.space.src(&addrs);
                let set = cx.reach.space.and(delivered, src);
                if set != FALSE {
                    direct.insert(h, (x, set));
                }
            }
        }
        let mut proxy_senders = Vec::new();
        for h in 0..topo.hosts.len() {
            if topo.hosts[h].kind == HostKind::Proxy {
                let d = cx.reach.delivered_to(Endpoint::Host(HostId(h)));
                if d != FALSE {
                    proxy_senders.extend(cx.reach.space.sources_of(d));
                }
            }
        }
        let proxy_senders = normalize(proxy_senders);
        let mut out = Vec::new();
        for h in users {
            let host = &topo.hosts[h];
            let subject = format!("host:{}", host.id);
            let n = count_note(host);
            let direct = direct.get(&h).copied();
            if let Some((x, set)) = direct {
                let (from, to) = (Endpoint::Host(HostId(h)), Endpoint::External(x));
                let services = cx.reach.space.services_of(set);
                let example = web_example(cx, set);
                let witness = cx.reach.witness(from, to, example);
                let external = &topo.externals[x].id;
                out.push(
                    Outcome::fail(
                        subject,
                        Some(host.loc),
                        Text::new(
                            format!(
                                "{} {}{} からプロキシを通らずに external:{external} へパケットが届く ({services})",
                                kind_ja(host),
                                host.id,
                                n.ja
                            ),
                            format!(
                                "{} {}{} reaches external:{external} directly, not through a proxy ({services})",
                                kind_en(host),
                                host.id,
                                n.en
                            ),
                        ),
                    )
                    .with_evidence(Evidence::Packets {
                        from,
                        to,
                        services,
                        witness,
                    }),
                );
                continue;
            }
            if host.internet_use.contains(&InternetUse::Web)
                && !reaches_proxy(cx, host, &proxy_senders)
            {
                out.push(Outcome::fail(
                    subject,
                    Some(host.loc),
                    Text::new(
                        format!(
                            "{} {}{} は Web を閲覧する (internet_use = web) が、到達できるプロキシが無い: Web 閲覧の経路が設計に無い",
                            kind_ja(host),
                            host.id,
                            n.ja
                        ),
                        format!(
                            "{} {}{} browses the web (internet_use = web) but reaches no proxy: the design has no path for its web use",
                            kind_en(host),
                            host.id,
                            n.en
                        ),
                    ),
                ));
                continue;
            }
            out.push(Outcome::pass(subject, Some(host.loc)));
        }
        out
    }
}

/// Whether a host's packets reach some proxy host (`proxy_senders`: the source addresses of
/// what the proxies receive), or a proxy gateway serves one of its zones.
fn reaches_proxy(cx: &Context<'_>, host: &Host, proxy_senders: &[AddrRange]) -> bool {
    let zones = cx.host_zones(host);
    if cx
        .topo
        .gateways
        .iter()
        .any(|g| g.kind == GatewayKind::Proxy && zones.contains(&g.to.value.as_str()))
    {
        return true;
    }
    let addrs = normalize(host.interfaces.iter().map(|i| i.ip.value).collect());
    intersects(&addrs, proxy_senders)
}

/// The packets to show as an example: web traffic (tcp/443, else tcp/80) when the set has
/// some, since that is what a browser or malware sends first; else the whole set.
fn web_example(cx: &mut Context<'_>, set: Bdd) -> Bdd {
    for port in ["tcp/443", "tcp/80"] {
        let Ok(service) = Service::parse(port) else {
            continue;
        };
        let web = cx.reach.space.service(service);
        let narrowed = cx.reach.space.and(set, web);
        if narrowed != FALSE {
            return narrowed;
        }
    }
    set
}

fn kind_ja(h: &Host) -> &'static str {
    match h.kind {
        HostKind::Terminal => "端末",
        HostKind::Vdi => "仮想デスクトップ",
        _ => "ホスト",
    }
}

fn kind_en(h: &Host) -> &'static str {
    match h.kind {
        HostKind::Terminal => "terminal",
        HostKind::Vdi => "virtual desktop",
        _ => "host",
    }
}
