//! CRED-002: a local or server administrator credential is not shared by several hosts.

use super::HostIndex;
use crate::model::Privilege;
use crate::model::policy::Level;
use crate::rules::{Context, Doc, Evidence, Levels, Meta, Outcome, Text};

pub static META: Meta = Meta {
    code: "CRED-002",
    name: "shared-admin-password",
    levels: Levels::all(Level::Deny),
    guideline: "S28",
    confidence: "I",
    ja: Doc {
        title: "複数のホストで共有される管理者パスワード",
        what: "privilege が local-admin または server-admin のアカウントで、admin_on が 2 台以上のホスト (count で表した台数を含む) に及ぶものは、unique_per_host = true (ホストごとに異なるパスワード、LAPS 等) であること。false は不合格、記載がなければ判定不能。ドメイン管理者はドメインの 1 アカウントであり、認証情報の露出は CRED-001 で扱う。",
        why: "同じローカル管理者パスワードを全端末で使っていると、1 台から取り出したハッシュだけで他のすべての端末の管理者になれる (pass-the-hash)。2015 年の日本年金機構の事案では、1 台の端末を起点に 26 台へ感染が広がった。",
        example: "[[account]] id = \"pc-admin\", privilege = \"local-admin\", admin_on = [\"kind:terminal\"], unique_per_host = false",
        fix: "LAPS などでローカル管理者のパスワードをホストごとに異なる値にし、定期的に変更する。対応したら unique_per_host = true と記載する。保守ベンダーの共通 ID はやめ、担当者ごとの ID にする。",
    },
    en: Doc {
        title: "Administrator password shared by several hosts",
        what: "An account with privilege local-admin or server-admin whose `admin_on` covers more than one host (counting `count`) has unique_per_host = true (a different password on every host, e.g. LAPS). false fails; a missing value is unknown. Domain admins are one domain account; where their credentials rest is CRED-001's concern.",
        why: "With one local administrator password on every terminal, a hash taken from one machine makes the attacker administrator of all the others (pass-the-hash). In the 2015 Japan Pension Service breach, one terminal was the origin of 26 further infections.",
        example: "[[account]] id = \"pc-admin\", privilege = \"local-admin\", admin_on = [\"kind:terminal\"], unique_per_host = false",
        fix: "Give every host its own local administrator password, rotated automatically (LAPS or similar), and write unique_per_host = true. Replace a maintenance vendor's common ID with personal IDs.",
    },
};

/// At most this many host entries are listed as evidence.
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
            .filter(|a| matches!(a.privilege, Privilege::LocalAdmin | Privilege::ServerAdmin))
        {
            let subject = format!("account:{}", a.id);
            let hosts = index.of_all(a.admin_on.iter().map(|s| &s.value));
            let machines: u64 = hosts.iter().map(|(h, _)| index.hosts[*h].count).sum();
            if machines <= 1 {
                out.push(Outcome::pass(subject, Some(a.loc)));
                continue;
            }
            let entries: Vec<String> = hosts
                .iter()
                .take(LISTED)
                .map(|(h, _)| index.hosts[*h].id.clone())
                .collect();
            let more = hosts.len().saturating_sub(LISTED);
            let list = if more > 0 {
                (
                    format!("{} ほか {more} 件", entries.join(", ")),
                    format!("{} and {more} more", entries.join(", ")),
                )
            } else {
                (entries.join(", "), entries.join(", "))
            };
            let steps = hosts
                .iter()
                .take(LISTED)
                .map(|(h, sel)| {
                    let host = &index.hosts[*h];
                    let n = crate::rules::data::count_note(host);
                    Text::new(
                        format!("admin_on {sel} → {}{}", host.id, n.ja),
                        format!("admin_on {sel} → {}{}", host.id, n.en),
                    )
                })
                .collect();
            let role = match a.privilege {
                Privilege::LocalAdmin => ("ローカル管理者", "local admin"),
                _ => ("サーバ管理者", "server admin"),
            };
            let o = match a.unique_per_host {
                Some(true) => Outcome::pass(subject, Some(a.loc)),
                Some(false) => Outcome::fail(
                    subject,
                    Some(a.loc),
                    Text::new(
                        format!(
                            "{} {} は {machines} 台のホストで同じパスワード (unique_per_host = false): {}",
                            role.0, a.id, list.0
                        ),
                        format!(
                            "{} {} has one password on {machines} hosts (unique_per_host = false): {}",
                            role.1, a.id, list.1
                        ),
                    ),
                )
                .with_evidence(Evidence::Steps(steps)),
                None => Outcome::unknown(
                    subject,
                    Some(a.loc),
                    Text::new(
                        format!(
                            "{} {} は {machines} 台のホストの管理者だが、パスワードがホストごとに異なるか (unique_per_host) が記載されていない: {}",
                            role.0, a.id, list.0
                        ),
                        format!(
                            "{} {} is administrator of {machines} hosts but does not state whether its password differs per host (`unique_per_host`): {}",
                            role.1, a.id, list.1
                        ),
                    ),
                ),
            };
            out.push(o);
        }
        if out.is_empty() {
            out.push(Outcome::pass("accounts", None));
        }
        crate::rules::attack::note_paths(cx, &mut out);
        out
    }
}
