//! The inventory summary `sansou validate` prints on success: what the topology holds, so a
//! reader can see at a glance that sansou understood the design the way they meant it.

use crate::lang::Lang;
use crate::model::{DataClass, Tier, Topology};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Counts of things by a name, printed as `mynumber 1, lgwan 2`.
fn tally<K: Ord + std::fmt::Display>(items: impl IntoIterator<Item = (K, u64)>) -> String {
    let mut counts: BTreeMap<K, u64> = BTreeMap::new();
    for (k, n) in items {
        *counts.entry(k).or_default() += n;
    }
    counts
        .iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn render(topo: &Topology, lang: Lang) -> String {
    let mut out = String::new();
    let name = topo.meta.name.as_deref().unwrap_or("(unnamed)");
    let model = topo
        .meta
        .model
        .as_ref()
        .map_or("-".to_string(), |m| m.value.to_string());
    let guideline = topo.meta.guideline.as_deref().unwrap_or("-");
    let _ = writeln!(
        out,
        "{name}  ({} {model}, {} {guideline})",
        lang.pick("モデル", "model"),
        lang.pick("ガイドライン", "guideline")
    );
    let rows: Vec<(&str, usize, String)> = vec![
        (
            lang.pick("ゾーン", "zones"),
            topo.zones.len(),
            tally(topo.zones.iter().map(|z| (z.tier, 1))),
        ),
        (
            lang.pick("外部網", "externals"),
            topo.externals.len(),
            tally(topo.externals.iter().map(|e| (e.kind, 1))),
        ),
        (
            lang.pick("セグメント", "segments"),
            topo.segments.len(),
            {
                let tiers = topo
                    .segments
                    .iter()
                    .filter_map(|s| topo.zone(&s.zone).map(|z| (z.tier, 1)));
                tally(tiers)
            },
        ),
        (lang.pick("ホスト", "hosts"), topo.hosts.len(), {
            let hosts = lang.pick("台", "hosts in all");
            let by_kind = tally(topo.hosts.iter().map(|h| (h.kind, h.count)));
            format!("{} {hosts}: {by_kind}", topo.host_count())
        }),
        (
            lang.pick("データストア", "stores"),
            topo.stores.len(),
            tally(
                topo.stores
                    .iter()
                    .flat_map(|s| s.data.iter().map(|d: &DataClass| (*d, 1))),
            ),
        ),
        (
            lang.pick("ファイアウォール", "firewalls"),
            topo.firewalls.len(),
            {
                let rules: usize = topo.firewalls.iter().map(|f| f.rules.len()).sum();
                let filters: usize = topo.firewalls.iter().map(|f| f.filters.len()).sum();
                let filter_rules: usize = topo
                    .firewalls
                    .iter()
                    .flat_map(|f| &f.filters)
                    .map(|f| f.rules.len())
                    .sum();
                match lang {
                    Lang::Ja => format!(
                        "ルール {rules}, インターフェースフィルタ {filters} (ルール {filter_rules})"
                    ),
                    Lang::En => {
                        format!("{rules} rules, {filters} interface filters ({filter_rules} rules)")
                    }
                }
            },
        ),
        (
            lang.pick("ゲートウェイ", "gateways"),
            topo.gateways.len(),
            tally(topo.gateways.iter().map(|g| (g.kind, 1))),
        ),
        (
            lang.pick("アカウント", "accounts"),
            topo.accounts.len(),
            tally(topo.accounts.iter().map(|a| (a.privilege, 1))),
        ),
        (
            lang.pick("データフロー", "flows"),
            topo.flows.len(),
            tally(topo.flows.iter().map(|f| (f.method, 1))),
        ),
    ];
    let width = rows
        .iter()
        .map(|(label, _, _)| crate::report::text::display_width(label))
        .max()
        .unwrap_or(0);
    for (label, count, detail) in rows {
        let pad = width - crate::report::text::display_width(label);
        let _ = writeln!(out, "  {label}{}  {count:>5}  {detail}", " ".repeat(pad));
    }
    let personal = topo
        .stores
        .iter()
        .filter(|s| s.holds_personal_data())
        .count();
    let mn_zones = topo
        .zones
        .iter()
        .filter(|z| z.tier == Tier::MyNumber)
        .count();
    let _ = writeln!(
        out,
        "{}",
        match lang {
            Lang::Ja => format!(
                "個人情報を保持するデータストア {personal} 件、マイナンバー利用事務系ゾーン {mn_zones} 件"
            ),
            Lang::En =>
                format!("{personal} stores hold personal data; {mn_zones} My Number zone(s)"),
        }
    );
    out
}
