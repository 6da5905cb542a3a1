//! Selectors typed on the command line (`paths --from zone:inet`, `attack --assume-compromised
//! host:pc1`): parsed, and their id checked against the topology with the same help the file
//! loader gives: a "did you mean", and the ids that do exist.

use crate::model::{Selector, Tier, Topology};

/// At most this many known ids are listed in a message.
const LISTED: usize = 30;

/// The ids of one kind of entity, sorted.
fn ids<'t>(topo: &'t Topology, kind: &str) -> Vec<&'t str> {
    let mut ids: Vec<&str> = match kind {
        "zone" => topo.zones.iter().map(|z| z.id.as_str()).collect(),
        "segment" => topo.segments.iter().map(|s| s.id.as_str()).collect(),
        "host" => topo.hosts.iter().map(|h| h.id.as_str()).collect(),
        "store" => topo.stores.iter().map(|s| s.id.as_str()).collect(),
        "external" => topo.externals.iter().map(|x| x.id.as_str()).collect(),
        _ => Vec::new(),
    };
    ids.sort_unstable();
    ids
}

/// Parses `text` given to `flag` and checks its id; the error says what to write instead.
pub fn resolve(text: &str, flag: &str, topo: &Topology) -> Result<Selector, String> {
    let sel = Selector::parse(text).map_err(|e| format!("{flag} {text}: {e}"))?;
    let Some((kind, id)) = sel.reference() else {
        return Ok(sel);
    };
    if topo.contains(kind, id) {
        return Ok(sel);
    }
    let known = ids(topo, kind);
    let mut msg = format!("{flag} {text}: the topology has no {kind} `{id}`");
    if let Some(s) = super::reader::suggest(id, &known) {
        msg.push_str(&format!("\n  did you mean `{kind}:{s}`?"));
    } else if kind == "zone" && Tier::parse(id).is_some() {
        // `zone:internet` where `internet` is a tier, not a zone id.
        msg.push_str(&format!("\n  `{id}` is a tier: did you mean `tier:{id}`?"));
    }
    if known.is_empty() {
        msg.push_str(&format!("\n  the topology has no {kind} at all"));
    } else {
        let shown: Vec<&str> = known.iter().take(LISTED).copied().collect();
        let more = known.len().saturating_sub(LISTED);
        msg.push_str(&format!(
            "\n  known {kind} ids: {}{}",
            shown.join(", "),
            if more > 0 {
                format!(" (and {more} more)")
            } else {
                String::new()
            }
        ));
    }
    Err(msg)
}
