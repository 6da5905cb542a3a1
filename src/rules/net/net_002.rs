//! NET-002: hosts listen only on the services they are declared to offer.

use crate::analysis::reach::Endpoint;
use crate::model::policy::Level;
use crate::model::{HostId, HostKind, Selector, Service};
use crate::rules::required::covers;
use crate::rules::support::pair_fail;
use crate::rules::{Context, Doc, Levels, Meta, Outcome, Text};

pub static META: Meta = Meta {
    code: "NET-002",
    name: "undeclared-listening-service",
    levels: Levels::all(Level::Deny),
    guideline: "GL(R6.10) 対策基準 6.5",
    confidence: "G",
    ja: Doc {
        title: "サーバが申告外のサービスで待ち受けている",
        what: "listening (スキャンや機器自身が示す待ち受けサービス) を書いたホストについて、そのすべてが services (提供すると申告したサービス) に含まれること。含まれないものがあれば不合格で、ほかの機器からそのポートへ届くパケットがあれば証跡 (経路) を示す。サーバ類 (server、file-server、database、domain-controller、mail-relay、proxy) で listening が無ければ判定不能。",
        why: "使わないサービスのポートが開いていれば、パッチの当たらない入口になる。ガイドラインは不要なサービスを止めることを求めている。申告と実際の差を、実際に届く経路とともに示す。",
        example: "ファイルサーバ lg-fs は services = [\"tcp/445\"] だが、listening = [\"tcp/445\", \"tcp/3389\"] で、LGWAN 接続系の端末から tcp/3389 に届く。",
        fix: "不要なサービスを止めて listening から外すか、必要なら services に申告し、ファイアウォールで届く範囲を絞る。",
    },
    en: Doc {
        title: "Server listens on an undeclared service",
        what: "For every host that states listening (what a scan or the host itself says it listens on), each of those services is within its services (what it is declared to offer). Anything else fails, with a witness when packets from another endpoint reach it. Servers (server, file-server, database, domain-controller, mail-relay, proxy) without listening are unknown.",
        why: "An open port of an unused service is an unpatched way in; the guideline asks for unnecessary services to be stopped. The finding shows the difference between what is declared and what listens, with the path that reaches it.",
        example: "The file server lg-fs has services = [\"tcp/445\"] but listening = [\"tcp/445\", \"tcp/3389\"], and LGWAN terminals reach tcp/3389.",
        fix: "Stop the unneeded service and drop it from listening, or declare it in services and narrow who reaches it at the firewall.",
    },
};

pub struct Rule;

fn is_server(kind: HostKind) -> bool {
    matches!(
        kind,
        HostKind::Server
            | HostKind::FileServer
            | HostKind::Database
            | HostKind::DomainController
            | HostKind::MailRelay
            | HostKind::Proxy
    )
}

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    /// It follows packets from every host (or Wi-Fi client) it looks at: one of the longest.
    fn lane(&self) -> crate::rules::Lane {
        crate::rules::Lane::Second
    }

    fn check(&self, cx: &mut Context<'_>) -> Vec<Outcome> {
        let topo = cx.topo;
        let mut out = Vec::new();
        for (i, h) in topo.hosts.iter().enumerate() {
            let Some(listening) = &h.facts.listening else {
                if is_server(h.kind) {
                    out.push(Outcome::unknown(
                        h.id.clone(),
                        Some(h.loc),
                        Text::new(
                            format!("{} ({}) に listening の記載が無い", h.id, h.kind),
                            format!("{} {} does not state listening", h.kind, h.id),
                        ),
                    ));
                }
                continue;
            };
            let extra: Vec<Service> = listening
                .iter()
                .map(|s| s.value)
                .filter(|s| !h.services.iter().any(|d| covers(d, s)))
                .collect();
            if extra.is_empty() {
                out.push(Outcome::pass(h.id.clone(), Some(h.loc)));
                continue;
            }
            let shown = extra
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join(", ");
            let pairs = cx.pairs(&Selector::Any, &Selector::Host(h.id.clone()), &extra);
            let reached = pairs.iter().find(|p| p.from != Endpoint::Host(HostId(i)));
            let mut o = match reached {
                Some(p) => pair_fail(
                    cx,
                    p,
                    &format!("{} が申告外のサービス ({shown}) で待ち受けている", h.id),
                    &format!("{} listens on undeclared services ({shown})", h.id),
                ),
                None => Outcome::fail(
                    h.id.clone(),
                    Some(h.loc),
                    Text::new(
                        format!(
                            "{} が申告外のサービス ({shown}) で待ち受けている (ほかの機器からは届かない)",
                            h.id
                        ),
                        format!(
                            "{} listens on undeclared services ({shown}); no other endpoint reaches them",
                            h.id
                        ),
                    ),
                ),
            };
            // One finding per host, whoever reaches it.
            o.subject = h.id.clone();
            o.loc = Some(h.loc);
            out.push(o);
        }
        out
    }
}
