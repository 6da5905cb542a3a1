//! Rules of the `DATA` family of the catalogue: where personal data rests and how it is
//! protected (copies out of the My Number tier, encryption at rest, share permissions, data on
//! terminals).

pub mod data_001;
pub mod data_002;
pub mod data_003;
pub mod data_004;
pub mod data_005;
pub mod data_006;

use super::{Context, Rule, Text};
use crate::model::{DataClass, Selector, Store, Tier};
use std::collections::BTreeMap;

/// The family's rules, in code order.
pub fn all() -> Vec<&'static dyn Rule> {
    vec![
        &data_001::Rule,
        &data_002::Rule,
        &data_003::Rule,
        &data_004::Rule,
        &data_005::Rule,
        &data_006::Rule,
    ]
}

/// A tier as a reader calls it, in both languages.
pub fn tier_name(t: Tier) -> (&'static str, &'static str) {
    match t {
        Tier::MyNumber => ("マイナンバー利用事務系", "My Number tier"),
        Tier::Lgwan => ("LGWAN接続系", "LGWAN tier"),
        Tier::Internet => ("インターネット接続系", "internet tier"),
        Tier::Dmz => ("DMZ", "DMZ tier"),
        Tier::Management => ("運用管理系", "management tier"),
        Tier::Other => ("その他の領域", "other tier"),
    }
}

/// Several tiers as `LGWAN接続系・インターネット接続系` / `LGWAN tier, internet tier`.
pub fn tiers_text(tiers: &[Tier]) -> Text {
    let ja: Vec<&str> = tiers.iter().map(|t| tier_name(*t).0).collect();
    let en: Vec<&str> = tiers.iter().map(|t| tier_name(*t).1).collect();
    Text::new(ja.join("・"), en.join(", "))
}

/// Data classes as `pension-number, basic-4`.
pub fn classes(data: &[DataClass]) -> String {
    data.iter()
        .map(|d| d.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The personal classes among some data classes.
pub fn personal(data: &[DataClass]) -> Vec<DataClass> {
    data.iter().copied().filter(|d| d.is_personal()).collect()
}

/// Stores by id.
pub fn stores_by_id<'t>(cx: &Context<'t>) -> BTreeMap<&'t str, &'t Store> {
    cx.topo.stores.iter().map(|s| (s.id.as_str(), s)).collect()
}

/// The tiers a place named by a flow end stands in: a store (its host's), a host, a segment, a
/// zone or a tier. Other selectors (kinds, data classes, addresses, externals, `any`) name no
/// single place inside the organisation: empty.
pub fn place_tiers(cx: &Context<'_>, stores: &BTreeMap<&str, &Store>, sel: &Selector) -> Vec<Tier> {
    let topo = cx.topo;
    match sel {
        Selector::Tier(t) => vec![*t],
        Selector::Zone(z) => cx.zone_tier(z).into_iter().collect(),
        Selector::Segment(s) => topo.segment_tier(s).into_iter().collect(),
        Selector::Host(h) => host_tiers(cx, h),
        Selector::Store(s) => stores
            .get(s.as_str())
            .map(|s| host_tiers(cx, &s.host))
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// The tiers of the host with this id (looked up by index, not by scanning the hosts).
pub fn host_tiers(cx: &Context<'_>, id: &str) -> Vec<Tier> {
    cx.reach
        .addrs
        .host(id)
        .map(|h| cx.host_tiers(h))
        .unwrap_or_default()
}

/// ` (120 台)` / ` (120 hosts)` for a group entry; empty for a single host.
pub fn count_note(h: &crate::model::Host) -> Text {
    if h.count > 1 {
        Text::new(
            format!(" ({} 台)", h.count),
            format!(" ({} hosts)", h.count),
        )
    } else {
        Text::new("", "")
    }
}

/// How a flow moves data, in Japanese with the format's word: `外部媒体 (media)`.
pub fn method_ja(m: crate::model::FlowMethod) -> String {
    use crate::model::FlowMethod::*;
    let ja = match m {
        Network => "ネットワーク",
        SanitizedFile => "無害化ファイル",
        MailText => "メールテキスト",
        Screen => "画面転送",
        Media => "外部媒体",
        Paper => "紙",
    };
    format!("{ja} ({m})")
}
