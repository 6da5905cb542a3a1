//! NET-007: terminals of a zone cannot reach each other's administration and file-sharing
//! ports, unless each terminal blocks them itself (client isolation).

use crate::analysis::bdd::FALSE;
use crate::analysis::paths::EndpointIndex;
use crate::analysis::reach::Endpoint;
use crate::analysis::space::Flow;
use crate::analysis::witness::{Replies, ReplyPath, Witness};
use crate::model::policy::Level;
use crate::model::{AddrRange, HostId, HostKind, Service};
use crate::rules::cred::HostIndex;
use crate::rules::data::count_note;
use crate::rules::{Context, Doc, Evidence, Levels, Meta, Outcome, Text};
use std::collections::BTreeMap;

pub static META: Meta = Meta {
    code: "NET-007",
    name: "terminals-reach-each-other",
    levels: Levels::all(Level::Warn),
    guideline: "GL(R6.10) 対策基準 6.5",
    confidence: "I",
    ja: Doc {
        title: "端末間で管理・ファイル共有ポートに到達できる",
        what: "同じゾーンの端末 (kind = \"terminal\") どうしが、管理・ファイル共有のポート (tcp/22, 135, 139, 445, 3389, 5985-5986) に到達できるなら、到達される側の端末が client_isolation = true (ホストファイアウォール等で他の端末からの受信を遮断) であること。false は不合格、記載がなければ判定不能。同じセグメントの端末は常に互いに到達できるものとして扱い、count が 2 以上の端末群はその中で互いに到達できる。端末のホスト定義ごとに判定する。",
        why: "標的型攻撃では、最初に感染した 1 台から、SMB・RPC・RDP などで同じネットワークの他の端末へ感染が広がる。端末どうしが通信する業務上の必要はほとんど無い。2015 年の日本年金機構の事案では、1 台の端末を起点に 26 台へ感染が広がった。",
        example: "120 台の端末群 lg-pc が同じセグメントにあり、client_isolation の記載が無い (または false)。",
        fix: "ホストファイアウォール (Windows Defender ファイアウォールのグループポリシー等) で、他の端末からの受信 (SMB、RPC、RDP、WinRM、SSH) を遮断し、client_isolation = true と記載する。あわせて、スイッチのプライベート VLAN やセグメント間のファイアウォールで端末間の通信を止めるとよい。",
    },
    en: Doc {
        title: "Terminals reach each other's admin and file-sharing ports",
        what: "When terminals (kind = \"terminal\") of one zone can reach each other's administration or file-sharing ports (tcp/22, 135, 139, 445, 3389, 5985-5986), the terminal reached has client_isolation = true (a host firewall or similar blocks these from other terminals). false fails; a missing value is unknown. Terminals in one segment always reach each other, and a group with count > 1 reaches its own members. Each terminal host entry is judged on its own.",
        why: "A targeted attack spreads from the first infected machine to the other terminals of its network over SMB, RPC or RDP, while terminals almost never need to talk to one another. In the 2015 Japan Pension Service breach, one terminal was the origin of 26 further infections.",
        example: "A group of 120 terminals lg-pc in one segment, with client_isolation not stated (or false).",
        fix: "Block inbound SMB, RPC, RDP, WinRM and SSH from other terminals with the host firewall (e.g. Windows Defender Firewall by group policy) and write client_isolation = true. Private VLANs or firewalls between terminal segments help too.",
    },
};

/// Administration and file-sharing ports used to move from terminal to terminal.
const LATERAL: &[&str] = &[
    "tcp/22",
    "tcp/135",
    "tcp/139",
    "tcp/445",
    "tcp/3389",
    "tcp/5985-5986",
];

pub struct Rule;

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) -> Vec<Outcome> {
        let topo = cx.topo;
        let index = HostIndex::with_places(cx.reach.network.places.clone());
        let terminals: Vec<usize> = (0..topo.hosts.len())
            .filter(|&h| topo.hosts[h].kind == HostKind::Terminal)
            .collect();
        if terminals.is_empty() {
            return vec![Outcome::pass("terminals", None)];
        }
        let lateral: Vec<Service> = LATERAL
            .iter()
            .filter_map(|s| Service::parse(s).ok())
            .collect();
        let svc = cx.reach.space.services(&lateral);
        let lateral_set = cx.reach.space.services_of(svc);
        let addrs = |h: usize| host_addresses(&topo.hosts[h]);
        // Terminals by zone and by segment, and the source addresses of each zone's terminals.
        let mut by_zone: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        let mut by_segment: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for &t in &terminals {
            for z in &index.places.host_zones[t] {
                by_zone.entry(z).or_default().push(t);
            }
            for i in &topo.hosts[t].interfaces {
                by_segment
                    .entry(i.segment.value.as_str())
                    .or_default()
                    .push(t);
            }
        }
        // The terminals of each zone, by address (to read who sends what a terminal receives).
        let zone_index: BTreeMap<&str, EndpointIndex> = by_zone
            .iter()
            .map(|(z, ts)| {
                let ends: Vec<Endpoint> = ts.iter().map(|&t| Endpoint::Host(HostId(t))).collect();
                (*z, EndpointIndex::new(&cx.reach, &ends))
            })
            .collect();
        let mut out = Vec::new();
        for &t in &terminals {
            let host = &topo.hosts[t];
            let subject = format!("host:{}", host.id);
            // A terminal that blocks its peers itself passes whatever reaches it.
            if host.client_isolation == Some(true) {
                out.push(Outcome::pass(subject, Some(host.loc)));
                continue;
            }
            let to = Endpoint::Host(HostId(t));
            // Who reaches it, cheapest question first. Hosts of one segment reach each other on
            // every port with no firewall between them, so another terminal of its segment, or
            // a member of its own group, settles it without computing anything; only a
            // terminal alone in its segment needs the packets from the rest of its zones.
            let same_segment = host
                .interfaces
                .iter()
                .flat_map(|i| by_segment[i.segment.value.as_str()].iter().copied())
                .find(|&p| p != t);
            let local = same_segment.or((host.count > 1).then_some(t));
            let (from, services, witness) = if let Some(from) = local {
                let witness = local_witness(topo, from, t, &lateral_set);
                (from, lateral_set.clone(), witness)
            } else {
                // What reaches it on those ports, and which terminals of its zones send it.
                let delivered = cx.reach.delivered_to(to);
                let delivered = cx.reach.space.and(delivered, svc);
                let senders = if delivered == FALSE {
                    Vec::new()
                } else {
                    cx.reach.space.sources_of(delivered)
                };
                let peer = index.places.host_zones[t]
                    .iter()
                    .flat_map(|z| zone_index[z].at(&senders))
                    .filter_map(|e| match e {
                        Endpoint::Host(HostId(p)) if p != t => Some(p),
                        _ => None,
                    })
                    .min();
                let Some(from) = peer else {
                    out.push(Outcome::pass(subject, Some(host.loc)));
                    continue;
                };
                let s = cx.reach.space.src(&addrs(from));
                let set = cx.reach.space.and(delivered, s);
                let services = cx.reach.space.services_of(set);
                let witness = cx.reach.witness(Endpoint::Host(HostId(from)), to, set);
                (from, services, witness)
            };
            let zones = index.places.host_zones[t].join(", ");
            let n = count_note(host);
            let (ja, en) = if from == t {
                (
                    format!(
                        "端末群 {}{n_ja} の端末どうしが管理・ファイル共有ポート ({services}) で互いに到達できる (ゾーン {zones})",
                        host.id,
                        n_ja = n.ja
                    ),
                    format!(
                        "the terminals of group {}{n_en} reach each other on admin/file-sharing ports ({services}) (zone {zones})",
                        host.id,
                        n_en = n.en
                    ),
                )
            } else {
                let peer = &topo.hosts[from].id;
                (
                    format!(
                        "端末 {}{n_ja} に同じゾーン ({zones}) の端末 {peer} から管理・ファイル共有ポート ({services}) で到達できる",
                        host.id,
                        n_ja = n.ja
                    ),
                    format!(
                        "terminal {}{n_en} can be reached on admin/file-sharing ports ({services}) from terminal {peer} of the same zone ({zones})",
                        host.id,
                        n_en = n.en
                    ),
                )
            };
            let evidence = Evidence::Packets {
                from: Endpoint::Host(HostId(from)),
                to,
                services,
                witness,
            };
            let o = match host.client_isolation {
                Some(false) => Outcome::fail(
                    subject,
                    Some(host.loc),
                    Text::new(
                        format!("{ja}。クライアント分離が無い (client_isolation = false)"),
                        format!("{en}, with no client isolation (client_isolation = false)"),
                    ),
                ),
                _ => Outcome::unknown(
                    subject,
                    Some(host.loc),
                    Text::new(
                        format!("{ja}。client_isolation が記載されていない"),
                        format!("{en}, and `client_isolation` is not stated"),
                    ),
                ),
            };
            out.push(o.with_evidence(evidence));
        }
        out
    }
}

/// Every address of a host (all interfaces), normalized.
fn host_addresses(h: &crate::model::Host) -> Vec<AddrRange> {
    crate::model::ranges::normalize(h.interfaces.iter().map(|i| i.ip.value).collect())
}

/// The witness of a packet between two hosts of one segment (or two members of one group):
/// their first addresses there and the first service of the set; no hop.
fn local_witness(
    topo: &crate::model::Topology,
    from: usize,
    to: usize,
    services: &crate::analysis::space::ServiceSet,
) -> Option<Witness> {
    let (a, b) = (&topo.hosts[from], &topo.hosts[to]);
    let (src, dst) = if from == to {
        let r = b.interfaces.first()?.ip.value;
        (r.first.checked_add(1).filter(|&x| x <= r.last)?, r.first)
    } else {
        b.interfaces.iter().find_map(|ib| {
            a.interfaces
                .iter()
                .find(|ia| ia.segment.value == ib.segment.value)
                .map(|ia| (ia.ip.value.first, ib.ip.value.first))
        })?
    };
    let &(lo, _) = services.0.first()?;
    Some(Witness {
        flow: Flow {
            src,
            dst,
            proto: (lo >> 16) as u8,
            port: (lo & 0xffff) as u16,
        },
        hops: Vec::new(),
        replies: Replies::Return {
            stateless_example: None,
        },
        reply_path: ReplyPath::direct(),
    })
}
