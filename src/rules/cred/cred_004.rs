//! CRED-004: no account is valid in both the My Number and the internet tier.

use super::HostIndex;
use crate::model::policy::Level;
use crate::model::{Selector, Tier};
use crate::rules::{Context, Doc, Evidence, Levels, Meta, Outcome, Text};

pub static META: Meta = Meta {
    code: "CRED-004",
    name: "account-spans-mynumber-and-internet",
    levels: Levels::all(Level::Warn),
    guideline: "GL(R6.10) 対策基準 3.(1)",
    confidence: "I",
    ja: Doc {
        title: "マイナンバー利用事務系とインターネット接続系にまたがるアカウント",
        what: "どのアカウントも、logs_on_to と admin_on を合わせて、マイナンバー利用事務系のホストとインターネット接続系のホストの両方に及ばないこと。セレクタはホストに展開して調べる。",
        why: "同じ ID とパスワード (または同じ AD ドメイン) が両方の系で使えると、インターネット接続系で盗まれた認証情報でマイナンバー利用事務系にログオンできる。ネットワークを分けても、認証が共通なら分離は弱まる。系ごとに別のドメイン・別の ID を使うのが原則である。",
        example: "[[account]] id = \"tanaka\", logs_on_to = [\"host:mn-pc\", \"host:inet-pc\"]、または admin_on = [\"any\"] のシステム管理者。",
        fix: "系ごとに別のアカウント (別の AD ドメイン) を発行し、パスワードの同期もしない。1 人が両方の系を扱う場合も、ID を分けて [[account]] を 2 つ記載する。",
    },
    en: Doc {
        title: "Account valid in both the My Number and the internet tier",
        what: "No account reaches, through `logs_on_to` and `admin_on` together, both a host of the My Number tier and a host of the internet tier. Selectors are expanded to hosts.",
        why: "When one ID and password (or one AD domain) works in both tiers, a credential stolen on the internet side logs on to the My Number side. Separate networks with a shared identity are only half separated: each tier should have its own domain and its own IDs.",
        example: "[[account]] id = \"tanaka\", logs_on_to = [\"host:mn-pc\", \"host:inet-pc\"]; or a system administrator with admin_on = [\"any\"].",
        fix: "Issue separate accounts per tier (separate AD domains), with no password synchronisation. A person who works in both tiers gets two IDs, written as two [[account]] entries.",
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
        let mut out = Vec::new();
        for a in &topo.accounts {
            let subject = format!("account:{}", a.id);
            // Where it is used, with the key that says so.
            let uses: Vec<(&str, &Selector)> = a
                .logs_on_to
                .iter()
                .map(|s| ("logs_on_to", &s.value))
                .chain(a.admin_on.iter().map(|s| ("admin_on", &s.value)))
                .collect();
            let mut found: [Option<(usize, &str, &Selector)>; 2] = [None, None];
            for (key, sel) in &uses {
                for &h in index.of(sel).iter() {
                    for (slot, tier) in [(0, Tier::MyNumber), (1, Tier::Internet)] {
                        if found[slot].is_none() && index.places.host_in(h, tier) {
                            found[slot] = Some((h, key, sel));
                        }
                    }
                }
                if found.iter().all(Option::is_some) {
                    break;
                }
            }
            let [Some(mn), Some(inet)] = found else {
                out.push(Outcome::pass(subject, Some(a.loc)));
                continue;
            };
            let step = |(h, key, sel): (usize, &str, &Selector), ja: &str, en: &str| {
                Text::new(
                    format!("{key} {sel} → {} ({ja})", index.hosts[h].id),
                    format!("{key} {sel} → {} ({en})", index.hosts[h].id),
                )
            };
            let steps = vec![
                step(mn, "マイナンバー利用事務系", "My Number tier"),
                step(inet, "インターネット接続系", "internet tier"),
            ];
            out.push(
                Outcome::fail(
                    subject,
                    Some(a.loc),
                    Text::new(
                        format!(
                            "アカウント {} はマイナンバー利用事務系 ({}) とインターネット接続系 ({}) の両方で使える",
                            a.id, index.hosts[mn.0].id, index.hosts[inet.0].id
                        ),
                        format!(
                            "account {} is valid in both the My Number tier ({}) and the internet tier ({})",
                            a.id, index.hosts[mn.0].id, index.hosts[inet.0].id
                        ),
                    ),
                )
                .with_evidence(Evidence::Steps(steps)),
            );
        }
        if out.is_empty() {
            out.push(Outcome::pass("accounts", None));
        }
        out
    }
}
