//! Identical terminals in a row of consecutive addresses become one host with a range and a
//! `count`, as a hand-written design would say "200 office PCs in 10.2.1.10-10.2.1.209".
//!
//! Only terminals are grouped (servers are looked at one by one), and only runs whose
//! addresses follow each other with no gap, so a group never claims an address the ledger
//! does not list. Identical means every fact but the id and the address.

use super::hosts::Entry;
use crate::model::{AddrRange, Host, HostKind};
use std::collections::BTreeSet;

/// One host written out, and the ledger rows it stands for.
#[derive(Clone, Debug)]
pub struct Grouped {
    pub host: Host,
    pub rows: Vec<usize>,
}

/// Groups `entries` (in ledger order). Hosts come out in the order of their first row;
/// `taken` are the ids the design and the ledger already use.
pub fn group(mut entries: Vec<Entry>, taken: &BTreeSet<String>) -> Vec<Grouped> {
    let mut used: BTreeSet<String> = taken.clone();
    used.extend(entries.iter().map(|e| e.host.id.clone()));
    // Runs are found in address order; the output goes back to ledger order afterwards.
    entries.sort_by_key(|e| (e.address, e.row));
    let mut out: Vec<Grouped> = Vec::new();
    let mut run: Vec<Entry> = Vec::new();
    for e in entries {
        let joins = run.last().is_some_and(|last| {
            last.host.kind == HostKind::Terminal
                && last.address.checked_add(1) == Some(e.address)
                && same(&last.host, &e.host)
        });
        if !joins {
            flush(&mut run, &mut used, &mut out);
        }
        run.push(e);
    }
    flush(&mut run, &mut used, &mut out);
    out.sort_by_key(|g| g.rows.iter().min().copied());
    out
}

/// Equal in every fact a rule reads, and in name and segment.
fn same(a: &Host, b: &Host) -> bool {
    a.kind == b.kind
        && a.interfaces[0].segment.value == b.interfaces[0].segment.value
        && a.name == b.name
        && a.description == b.description
        && a.services
            .iter()
            .map(|s| s.value)
            .eq(b.services.iter().map(|s| s.value))
        && a.internet_use == b.internet_use
        && a.mfa == b.mfa
        && a.removable_media == b.removable_media
        && a.edr == b.edr
        && a.antivirus == b.antivirus
        && a.disk_encryption == b.disk_encryption
        && a.client_isolation == b.client_isolation
}

fn flush(run: &mut Vec<Entry>, used: &mut BTreeSet<String>, out: &mut Vec<Grouped>) {
    match run.len() {
        0 => {}
        1 => {
            let e = run.remove(0);
            out.push(Grouped {
                host: e.host,
                rows: vec![e.row],
            });
        }
        n => {
            let first = &run[0];
            let last = &run[n - 1];
            let ids: Vec<&str> = run.iter().map(|e| e.host.id.as_str()).collect();
            let id = group_id(&ids, used);
            used.insert(id.clone());
            let mut host = first.host.clone();
            host.id = id;
            host.count = n as u64;
            host.interfaces[0].ip.value = AddrRange {
                first: first.address,
                last: last.address,
            };
            let members = format!("{} … {} ({n} 台 / hosts)", first.host.id, last.host.id);
            host.description = Some(match &first.host.description {
                Some(d) => format!("{d} ({members})"),
                None => members,
            });
            out.push(Grouped {
                host,
                rows: run.iter().map(|e| e.row).collect(),
            });
            run.clear();
        }
    }
}

/// The group's id: what its members' ids share (`lg-pc-001` … `lg-pc-060` → `lg-pc`), else
/// the first and last ids joined; made unique with a number when taken.
fn group_id(ids: &[&str], used: &BTreeSet<String>) -> String {
    let first = ids[0];
    let mut common = first.len();
    for id in &ids[1..] {
        common = common.min(
            first
                .char_indices()
                .zip(id.chars())
                .find(|((_, a), b)| a != b)
                .map_or(first.len().min(id.len()), |((i, _), _)| i),
        );
    }
    let prefix = first[..common]
        .trim_end_matches(|c: char| c.is_ascii_digit())
        .trim_end_matches(['-', '_', '.']);
    let base = if prefix.is_empty() || !prefix.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        format!("{first}-{}", ids[ids.len() - 1])
    } else {
        prefix.to_string()
    };
    if !used.contains(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| !used.contains(id))
        .unwrap_or(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_ids() {
        let none = BTreeSet::new();
        assert_eq!(group_id(&["lg-pc-001", "lg-pc-002"], &none), "lg-pc");
        assert_eq!(group_id(&["pc1", "pc2"], &none), "pc");
        assert_eq!(group_id(&["a1", "b1"], &none), "a1-b1");
        let taken: BTreeSet<String> = ["lg-pc".to_string(), "lg-pc-2".to_string()].into();
        assert_eq!(group_id(&["lg-pc-001", "lg-pc-002"], &taken), "lg-pc-3");
        // Multi-byte text never splits inside a character (ids are ASCII, but be safe).
        assert_eq!(group_id(&["pc-1", "pc-2"], &none), "pc");
    }
}
