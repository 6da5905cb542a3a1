//! CRED-001: domain administrator credentials are never exposed on terminals or on the
//! internet tier.

use super::HostIndex;
use crate::model::policy::Level;
use crate::model::{HostKind, Privilege, Tier};
use crate::rules::{Context, Doc, Evidence, Levels, Meta, Outcome, Text};

pub static META: Meta = Meta {
    code: "CRED-001",
    name: "domain-admin-logs-on-to-terminals",
    levels: Levels::all(Level::Deny),
    guideline: "GL(R6.10) 対策基準 6.2",
    confidence: "V",
    ja: Doc {
        title: "ドメイン管理者の認証情報が端末・インターネット接続系に残る",
        what: "privilege = \"domain-admin\" のアカウントの logs_on_to が、端末 (kind = \"terminal\") やインターネット接続系のホストを含まないこと。セレクタ (host: / kind: / segment: / zone: / tier: / any など) をホストに展開して調べる。logs_on_to が空のドメイン管理者は、どこに認証情報が残るか分からないため判定不能。",
        why: "ログオンしたホストには認証情報 (ハッシュやチケット) がキャッシュされる。ドメイン管理者が一般の端末にログオンすると、その端末を乗っ取った攻撃者がドメイン全体の管理者権限を得る。2015 年の日本年金機構の事案では、端末とサーバの管理者権限が奪われ、感染が 31 台に広がった。",
        example: "[[account]] id = \"domain-admin\", privilege = \"domain-admin\", logs_on_to = [\"kind:terminal\"]",
        fix: "ドメイン管理者はドメインコントローラと管理専用のサーバにだけログオンさせ、端末の保守には端末ごとに異なるローカル管理者 (LAPS 等) か権限を絞った別アカウントを使う。インターネット接続系のホストにはドメイン管理者でログオンしない。直したら logs_on_to を実態に合わせて書き換える。",
    },
    en: Doc {
        title: "Domain admin credentials exposed on terminals or the internet tier",
        what: "No account with privilege = \"domain-admin\" has a `logs_on_to` that takes in a terminal (kind = \"terminal\") or a host of the internet tier. Selectors (host:, kind:, segment:, zone:, tier:, any, ...) are expanded to hosts. A domain admin with an empty `logs_on_to` is unknown: where its credentials rest is not stated.",
        why: "A host caches the credentials (hashes, tickets) of those who log on to it. When a domain admin logs on to an ordinary terminal, whoever takes over that terminal becomes administrator of the whole domain. In the 2015 Japan Pension Service breach, administrator rights on terminals and servers were taken and the infection spread to 31 terminals.",
        example: "[[account]] id = \"domain-admin\", privilege = \"domain-admin\", logs_on_to = [\"kind:terminal\"]",
        fix: "Let domain admins log on only to domain controllers and dedicated management servers; maintain terminals with per-host local admin passwords (LAPS) or a separate, less privileged account. Never log on to internet-tier hosts as domain admin. Then write `logs_on_to` as it really is.",
    },
};

/// At most this many hosts are listed as evidence.
const LISTED: usize = 10;

pub struct Rule;

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    /// It reads the attack analysis, which the lane of the attack rules makes.
    fn lane(&self) -> crate::rules::Lane {
        crate::rules::Lane::Attack
    }

    fn check(&self, cx: &mut Context<'_>) -> Vec<Outcome> {
        let topo = cx.topo;
        let mut index = HostIndex::with_places(cx.reach.network.places.clone());
        let mut out = Vec::new();
        for a in topo
            .accounts
            .iter()
            .filter(|a| a.privilege == Privilege::DomainAdmin)
        {
            let subject = format!("account:{}", a.id);
            if a.logs_on_to.is_empty() {
                out.push(Outcome::unknown(
                    subject,
                    Some(a.loc),
                    Text::new(
                        format!(
                            "ドメイン管理者 {} の logs_on_to が記載されていない (認証情報がどこに残るか不明)",
                            a.id
                        ),
                        format!(
                            "domain admin {} does not state `logs_on_to` (where its credentials rest)",
                            a.id
                        ),
                    ),
                ));
                continue;
            }
            let exposed: Vec<_> = index
                .of_all(a.logs_on_to.iter().map(|s| &s.value))
                .into_iter()
                .filter(|(h, _)| {
                    index.hosts[*h].kind == HostKind::Terminal
                        || index.places.host_in(*h, Tier::Internet)
                })
                .collect();
            if exposed.is_empty() {
                out.push(Outcome::pass(subject, Some(a.loc)));
                continue;
            }
            let mut steps = Vec::new();
            for (h, sel) in exposed.iter().take(LISTED) {
                let host = &index.hosts[*h];
                let mut ja = Vec::new();
                let mut en = Vec::new();
                if host.kind == HostKind::Terminal {
                    if host.count > 1 {
                        ja.push(format!("端末 {} 台", host.count));
                        en.push(format!("terminal ×{}", host.count));
                    } else {
                        ja.push("端末".to_string());
                        en.push("terminal".to_string());
                    }
                }
                if index.places.host_in(*h, Tier::Internet) {
                    ja.push("インターネット接続系".to_string());
                    en.push("internet tier".to_string());
                }
                steps.push(Text::new(
                    format!("logs_on_to {sel} → {} ({})", host.id, ja.join("、")),
                    format!("logs_on_to {sel} → {} ({})", host.id, en.join(", ")),
                ));
            }
            if exposed.len() > LISTED {
                let more = exposed.len() - LISTED;
                steps.push(Text::new(
                    format!("ほか {more} 件のホスト定義"),
                    format!("and {more} more host entries"),
                ));
            }
            let machines: u64 = exposed.iter().map(|(h, _)| index.hosts[*h].count).sum();
            let terminal = exposed
                .iter()
                .any(|(h, _)| index.hosts[*h].kind == HostKind::Terminal);
            let internet = exposed
                .iter()
                .any(|(h, _)| index.places.host_in(*h, Tier::Internet));
            let (where_ja, where_en) = match (terminal, internet) {
                (true, true) => (
                    "端末とインターネット接続系のホスト",
                    "terminals and internet-tier hosts",
                ),
                (true, false) => ("端末", "terminals"),
                _ => ("インターネット接続系のホスト", "internet-tier hosts"),
            };
            let machines_en = if machines == 1 {
                "1 machine".to_string()
            } else {
                format!("{machines} machines")
            };
            out.push(
                Outcome::fail(
                    subject,
                    Some(a.loc),
                    Text::new(
                        format!(
                            "ドメイン管理者 {} が{where_ja} (計 {machines} 台) にログオンし、認証情報がそこに残る",
                            a.id
                        ),
                        format!(
                            "domain admin {} logs on to {where_en} ({machines_en}), leaving its credentials there",
                            a.id
                        ),
                    ),
                )
                .with_evidence(Evidence::Steps(steps)),
            );
        }
        if out.is_empty() {
            out.push(Outcome::pass("accounts", None));
        }
        crate::rules::attack::note_paths(cx, &mut out);
        out
    }
}
