//! Which devices sit between tiers, and where their logs go: shared by IN-002 and MON-001.

use crate::model::{Attachment, Firewall, LogSink, Tier};
use crate::rules::Context;

/// The tiers a firewall's interfaces face; an internet external counts as the internet tier,
/// another external as `Other`.
pub fn firewall_tiers(cx: &Context<'_>, fw: &Firewall) -> Vec<Tier> {
    let mut tiers: Vec<Tier> = fw
        .interfaces
        .iter()
        .filter_map(|i| match &i.attachment.value {
            Attachment::Segment(s) => cx.topo.segment_tier(s),
            Attachment::External(x) => cx.topo.external(x).map(|e| {
                if e.kind.is_internet() {
                    Tier::Internet
                } else {
                    Tier::Other
                }
            }),
        })
        .collect();
    tiers.sort();
    tiers.dedup();
    tiers
}

/// The log sinks a device (host, firewall or gateway id) sends to.
pub fn sinks_of<'t>(cx: &Context<'t>, id: &str) -> Vec<&'t LogSink> {
    cx.topo
        .log_sinks
        .iter()
        .filter(|l| l.sources.iter().any(|s| s.value == id))
        .collect()
}
