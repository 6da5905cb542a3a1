//! LG-008: internet mail relays and proxies are not placed in the LGWAN or My Number tiers.

use crate::analysis::bdd::TRUE;
use crate::analysis::reach::Endpoint;
use crate::model::policy::Level;
use crate::model::{HostId, HostKind, Tier};
use crate::rules::support::{Ends, Facts, crossing_pairs};
use crate::rules::{Context, Doc, Levels, Meta, Outcome, Text};
use std::collections::BTreeMap;

pub static META: Meta = Meta {
    code: "LG-008",
    name: "internet-server-in-lgwan-or-mynumber",
    levels: Levels::all(Level::Deny),
    guideline: "GL(R6.10) 対策基準 3; S2",
    confidence: "I",
    ja: Doc {
        title: "インターネット用のメールリレー・プロキシが LGWAN接続系やマイナンバー利用事務系にある",
        what: "LGWAN接続系 (tier lgwan) またはマイナンバー利用事務系 (tier mynumber) にある kind mail-relay / proxy のホストが、インターネット側の外部網 (kind internet / security-cloud) とパケットをやり取りしていないこと (どちら向きでも)。LGWAN 内だけで使うメールリレーやプロキシは対象外。",
        why: "インターネットメールの中継サーバや Web プロキシは、インターネットから届く内容を最初に受け取る機器であり、インターネット接続系 (またはセキュリティクラウド) に置くのが三層分離の前提である。これらを LGWAN接続系やマイナンバー利用事務系に置くと、その層がインターネットと直接つながり、無害化や画面転送による分離を迂回してしまう。",
        example: "LGWAN 系サーバセグメントにあるプロキシ lg-proxy が、セキュリティクラウドへ tcp/8080 で接続している。",
        fix: "インターネット向けのメールリレー・プロキシはインターネット接続系 (またはセキュリティクラウド) に移し、LGWAN接続系へはメール無害化・画面転送を通して渡す。LGWAN 内専用の中継であれば、インターネット側への許可を削除する。",
    },
    en: Doc {
        title: "Internet mail relay or proxy in the LGWAN or My Number tier",
        what: "No host of kind mail-relay or proxy in the LGWAN tier or the My Number tier exchanges packets, in either direction, with an internet external (kind internet or security-cloud). Relays and proxies used only inside LGWAN are fine.",
        why: "Internet mail relays and web proxies are the first devices to receive content from the internet; the three-tier model places them in the internet tier (or the security cloud). Placed in the LGWAN or My Number tier, they join that tier to the internet directly and bypass the sanitization and screen-transfer crossings.",
        example: "Proxy lg-proxy sits on an LGWAN server segment and connects to the security cloud on tcp/8080.",
        fix: "Move internet mail relays and proxies to the internet tier (or leave the job to the security cloud), and pass content to the LGWAN side through the mail sanitizer and screen transfer. If the relay serves LGWAN only, remove its internet-side rules.",
    },
};

pub struct Rule;

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) -> Vec<Outcome> {
        let topo = cx.topo;
        let facts = Facts::new(cx);
        let hosts: Vec<usize> = (0..topo.hosts.len())
            .filter(|&i| {
                let h = &topo.hosts[i];
                matches!(h.kind, HostKind::MailRelay | HostKind::Proxy)
                    && (facts.host_in(h, Tier::Lgwan) || facts.host_in(h, Tier::MyNumber))
            })
            .collect();
        if hosts.is_empty() {
            return vec![Outcome::pass("kind:mail-relay,kind:proxy", None)];
        }
        let internet = Ends {
            externals: facts.internet_externals(),
            ..Ends::default()
        };
        let ends = Ends::hosts(hosts.clone());
        let mut found: BTreeMap<usize, Vec<crate::analysis::paths::Pair>> = BTreeMap::new();
        for p in crossing_pairs(cx, &ends, &internet, &|_| TRUE) {
            if let Endpoint::Host(HostId(h)) = p.from {
                found.entry(h).or_default().push(p);
            }
        }
        for p in crossing_pairs(cx, &internet, &ends, &|_| TRUE) {
            if let Endpoint::Host(HostId(h)) = p.to {
                found.entry(h).or_default().push(p);
            }
        }
        let mut out = Vec::new();
        for h in hosts {
            let host = &topo.hosts[h];
            let Some(pairs) = found.get(&h) else {
                out.push(Outcome::pass(host.id.clone(), Some(host.loc)));
                continue;
            };
            let tier = if facts.host_in(host, Tier::MyNumber) {
                ("マイナンバー利用事務系", "My Number")
            } else {
                ("LGWAN接続系", "LGWAN")
            };
            let list: Vec<String> = pairs
                .iter()
                .map(|p| {
                    format!(
                        "{} → {} ({})",
                        cx.endpoint_name(p.from),
                        cx.endpoint_name(p.to),
                        p.services
                    )
                })
                .collect();
            out.push(
                Outcome::fail(
                    host.id.clone(),
                    Some(host.loc),
                    Text::new(
                        format!(
                            "{}の {} ({}) がインターネットとパケットをやり取りする: {}",
                            tier.0,
                            host.id,
                            host.kind,
                            list.join(", ")
                        ),
                        format!(
                            "{} {} in the {} tier exchanges packets with the internet: {}",
                            host.kind,
                            host.id,
                            tier.1,
                            list.join(", ")
                        ),
                    ),
                )
                .with_evidence(Context::packet_evidence(&pairs[0])),
            );
        }
        out
    }
}
