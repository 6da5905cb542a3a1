//! How a witness's replies are told: whether they get back, and the way they take when it is
//! not the flow's path reversed. Shared by `paths`, `check` and `attack` text and the HTML
//! report, so they say the same thing.

use super::names;
use crate::analysis::witness::{Replies, ReplyPath, Witness};
use crate::lang::Lang;
use crate::model::Topology;

/// What the replies of a way back through a firewall without a table rest on.
pub const ASSUMED: &str = "no routing table: the reply is assumed to go back the way the flow came";

fn assumed_in(lang: Lang) -> &'static str {
    lang.pick("経路表なし: 応答は往路を逆にたどると仮定", ASSUMED)
}

/// Why a stateful firewall off the flow's path drops the replies.
pub const UNSEEN: &str = "stateful, did not see the connection";

/// Why a firewall whose table has no route back drops the replies.
pub const NO_ROUTE: &str = "no route back";

/// The sentence for replies that a stateful firewall off the path, or a missing route, drops;
/// `None` for the other outcomes, which each output words itself.
pub fn dropped(topo: &Topology, r: &Replies, lang: Lang) -> Option<String> {
    let (firewall, reply, why) = match r {
        Replies::Unseen { firewall, reply } => (
            *firewall,
            reply,
            lang.pick("ステートフルで、この接続を見ていない", UNSEEN),
        ),
        Replies::NoRoute { firewall, reply } => {
            (*firewall, reply, lang.pick("戻りの経路がない", NO_ROUTE))
        }
        Replies::Return { .. } | Replies::Blocked { .. } => return None,
    };
    let fw = &topo.firewalls[firewall].id;
    Some(match lang {
        Lang::Ja => format!("応答は {fw} で遮断される: {why} — {reply}"),
        Lang::En => format!("reply dropped at {fw}: {why} — {reply}"),
    })
}

/// The lines that describe the way back when it is not the flow's path reversed (a heading,
/// then one line per firewall with its route), or, on the path reversed, the firewalls where
/// it is assumed when others on it have tables. Empty when there is nothing to add.
pub fn way(topo: &Topology, w: &Witness, lang: Lang) -> Vec<String> {
    let path = &w.reply_path;
    if path.reversed {
        let tables = path
            .hops
            .iter()
            .any(|h| !topo.firewalls[h.firewall].routes.is_empty());
        if !tables || path.assumed.is_empty() {
            return Vec::new();
        }
        let ids = ids(topo, path);
        return vec![match lang {
            Lang::Ja => format!("応答は往路を逆にたどる ({ids} は経路表なしのため仮定)"),
            Lang::En => format!(
                "replies go back along the flow's path (assumed at {ids}: no routing table)"
            ),
        }];
    }
    let mut lines = vec![
        lang.pick(
            "応答は往路と別の経路を通る (経路表による):",
            "replies take another way back (routing tables):",
        )
        .to_string(),
    ];
    for (i, hop) in path.hops.iter().enumerate() {
        lines.push(format!("  {}. {}", i + 1, names::hop(topo, hop)));
        let route = if topo.firewalls[hop.firewall].routes.is_empty() {
            Some(assumed_in(lang).to_string())
        } else {
            names::route(topo, hop, lang)
        };
        if let Some(route) = route {
            lines.push(format!("     {route}"));
        }
    }
    lines
}

fn ids(topo: &Topology, path: &ReplyPath) -> String {
    path.assumed
        .iter()
        .map(|&f| topo.firewalls[f].id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
