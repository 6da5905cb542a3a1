//! EXT-002: 住基ネット operators are individually identified.

use crate::analysis::host_index::HostIndex;
use crate::model::HostRole;
use crate::model::policy::Level;
use crate::rules::required::{Need, judge};
use crate::rules::{Context, Doc, Levels, Meta, Outcome};

pub static META: Meta = Meta {
    code: "EXT-002",
    name: "juki-operator-not-individual",
    levels: Levels::all(Level::Deny),
    guideline: "GL(R6.10) 対策基準 3.(1)①; S22, S23",
    confidence: "V",
    ja: Doc {
        title: "住基ネットの操作者が個人として識別されない",
        what: "role に juki-terminal を持つホストごとに、そこへログオンするアカウント (logs_on_to がそのホストを含む [[account]]) があり、どれも shared = false (一人の操作者に割り当て) であること。shared = true は不合格、アカウントが無い、または shared の記載が無ければ判定不能。",
        why: "住基ネットの端末は、操作者ごとの ID とカード等で本人を確かめ、許された操作だけを行わせることとされている。共用の ID では、誰が住民の本人確認情報を照会したか追えない。",
        example: "住基ネット端末 juki-pc にログオンするアカウント juki-op が shared = true である。",
        fix: "操作者ごとに個人の操作者 ID を発行して [[account]] に記載し (shared = false)、logs_on_to で端末を示す。",
    },
    en: Doc {
        title: "住基ネット operators not individually identified",
        what: "For every host with role juki-terminal there are accounts that log on to it (an [[account]] whose logs_on_to selects it), each with shared = false (one operator). shared = true fails; no such account, or shared not stated, is unknown.",
        why: "住基ネット terminals identify each operator with a personal ID and card and allow only the operations granted. A shared ID hides who looked up a resident's identity data.",
        example: "The account juki-op that logs on to the 住基ネット terminal juki-pc has shared = true.",
        fix: "Issue a personal operator ID to each operator, declare it as an [[account]] (shared = false) and select the terminal in logs_on_to.",
    },
};

pub struct Rule;

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) -> Vec<Outcome> {
        let topo = cx.topo;
        let mut index = HostIndex::with_places(cx.reach.network.places.clone());
        // Per host, the accounts that log on to it.
        let mut users: Vec<Vec<usize>> = vec![Vec::new(); topo.hosts.len()];
        for (a, acc) in topo.accounts.iter().enumerate() {
            for sel in &acc.logs_on_to {
                for &h in index.of(sel).iter() {
                    if !users[h].contains(&a) {
                        users[h].push(a);
                    }
                }
            }
        }
        let mut out = Vec::new();
        for (i, h) in topo.hosts.iter().enumerate() {
            if !h.facts.roles.contains(&HostRole::JukiTerminal) {
                continue;
            }
            let mut needs: Vec<Need> = users[i]
                .iter()
                .map(|&a| {
                    let acc = &topo.accounts[a];
                    Need::new(
                        "shared",
                        acc.shared.map(|s| !s),
                        format!("{}: shared = true", acc.id),
                    )
                })
                .collect();
            if needs.is_empty() {
                needs.push(Need::stated("an [[account]] with logs_on_to", false));
            }
            out.push(judge(
                h.id.clone(),
                Some(h.loc),
                (
                    &format!("住基ネット端末 {}", h.id),
                    &format!("住基ネット terminal {}", h.id),
                ),
                (
                    "操作者の個人識別の要件",
                    "the individual operator requirement",
                ),
                &needs,
            ));
        }
        out
    }
}
