//! sansou's attack-path rules (beyond the catalogue, like the POL rules): personal data within
//! an outside attacker's reach (docs/ATTACK.md), with the attack path as evidence. The same
//! analysis tells the CRED rules when a credential they flag is really used on such a path.

pub mod atk_001;
pub mod atk_002;

use super::{Context, Rule, Text};
use crate::analysis::attack::{Attack, Step, StepKind, StoreExposure};
use crate::lang::Lang;
use crate::model::Topology;

/// The family's rules, in code order.
pub fn all() -> Vec<&'static dyn Rule> {
    vec![&atk_001::Rule, &atk_002::Rule]
}

/// The attack path of a store as numbered steps in words (both languages).
pub fn path_steps(topo: &Topology, attack: &Attack, e: &StoreExposure) -> Vec<Text> {
    e.steps
        .iter()
        .map(|s| {
            let host = &topo.hosts[s.host()].id;
            let why = |lang| crate::analysis::attack::why::why(topo, attack, s, lang);
            Text::new(
                format!(
                    "[{}] host:{host} — {}",
                    crate::analysis::attack::why::kind_label(s.kind(), Lang::Ja),
                    why(Lang::Ja)
                ),
                format!("[{}] host:{host} — {}", s.kind().word(), why(Lang::En)),
            )
        })
        .collect()
}

/// Where the attacker of a store's path came in, as a phrase: "from the internet", or the
/// Wi-Fi or remote-access line it joined.
pub fn entered(topo: &Topology, e: &StoreExposure) -> Text {
    use crate::analysis::attack::Way;
    let way = e
        .steps
        .iter()
        .find(|s| s.kind() == StepKind::Entry)
        .and_then(Step::way);
    match way {
        None => Text::new("インターネットから", "from the internet"),
        Some(Way::Wifi(w)) => {
            let id = &topo.wifis[w].id;
            Text::new(
                format!("無線LAN wifi:{id} から"),
                format!("from the Wi-Fi wifi:{id}"),
            )
        }
        Some(Way::Remote(r)) => {
            let id = &topo.remote_access[r].id;
            Text::new(
                format!("リモート接続 remote_access:{id} から"),
                format!("from the remote access remote_access:{id}"),
            )
        }
    }
}

/// A note for a credential finding when the attacker from outside really uses the
/// account on a path to personal data (such findings matter first).
pub fn path_note(cx: &mut Context<'_>, account_id: &str) -> Option<Text> {
    let (topo, attack) = cx.attack();
    let a = topo.accounts.iter().position(|x| x.id == account_id)?;
    let e = attack.stores.iter().find(|e| {
        e.steps.iter().any(|s| {
            matches!(s, Step::Harvest { account, .. } | Step::Lateral { account, .. } if account.0 == a)
        })
    })?;
    let store = &topo.stores[e.store].id;
    let from = entered(topo, e);
    Some(Text::new(
        format!(
            "。攻撃経路上で実際に使われる: {}store:{store} (個人情報) へ (sansou attack で詳細)",
            from.ja
        ),
        format!(
            "; it is used on a real attack path {} to store:{store} (personal data; see sansou attack)",
            from.en
        ),
    ))
}

/// Adds [`path_note`] to the failing outcomes about accounts (`account:ID` subjects).
pub fn note_paths(cx: &mut Context<'_>, outcomes: &mut [super::Outcome]) {
    for o in outcomes.iter_mut() {
        if o.verdict != super::Verdict::Fail {
            continue;
        }
        let Some(id) = o.subject.strip_prefix("account:") else {
            continue;
        };
        if let Some(note) = path_note(cx, id) {
            o.message.ja.push_str(&note.ja);
            o.message.en.push_str(&note.en);
        }
    }
}
