//! How things read in findings: tiers, counts, address sets and lists of names, in Japanese
//! and English.

use crate::model::*;

/// How a tier reads in messages (Japanese, English).
pub fn tier_label(t: Tier) -> (&'static str, &'static str) {
    match t {
        Tier::MyNumber => ("マイナンバー利用事務系", "My Number"),
        Tier::Lgwan => ("LGWAN接続系", "LGWAN"),
        Tier::Internet => ("インターネット接続系", "internet"),
        Tier::Dmz => ("DMZ", "DMZ"),
        Tier::Management => ("運用管理系", "management"),
        Tier::Other => ("未分類 (other)", "unclassified (other)"),
    }
}

/// Several tiers for a message: `LGWAN接続系・インターネット接続系`, `LGWAN and internet`.
pub fn tiers_label(tiers: &[Tier]) -> (String, String) {
    let ja: Vec<&str> = tiers.iter().map(|t| tier_label(*t).0).collect();
    let en: Vec<&str> = tiers.iter().map(|t| tier_label(*t).1).collect();
    (ja.join("・"), en.join(" and "))
}

/// A count with thousands separators: `1,048,576`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Number of addresses in a normalized set.
pub fn address_count(ranges: &[AddrRange]) -> u64 {
    ranges.iter().map(|r| r.size()).sum()
}

/// A set of addresses for a message: up to three ranges, then "...".
pub fn show_ranges(ranges: &[AddrRange]) -> String {
    let mut parts: Vec<String> = ranges.iter().take(3).map(|r| r.to_string()).collect();
    if ranges.len() > 3 {
        parts.push("...".into());
    }
    parts.join(", ")
}

/// A list of names for a message: up to `max`, then how many more.
pub fn show_list(names: &[String], max: usize) -> (String, String) {
    let shown = names
        .iter()
        .take(max)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > max {
        let more = names.len() - max;
        (
            format!("{shown} ほか {more} 件"),
            format!("{shown} and {more} more"),
        )
    } else {
        (shown.clone(), shown)
    }
}

/// A firewall interface as printed: its name, else `#N` (1-based).
pub fn interface_name(fw: &Firewall, i: usize) -> String {
    fw.interfaces[i]
        .name
        .clone()
        .unwrap_or_else(|| format!("#{}", i + 1))
}
