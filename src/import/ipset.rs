//! `ipset save` dumps, so that iptables rules with `-m set --match-set NAME src|dst` can be read
//! as the addresses the set held when it was dumped (`sansou import iptables --ipset FILE`).
//!
//! ```text
//! create blocklist hash:net family inet hashsize 1024 maxelem 65536
//! add blocklist 203.0.113.0/24
//! add blocklist 203.0.113.128/25 nomatch
//! create admins hash:ip family inet hashsize 1024 maxelem 65536
//! add admins 10.1.0.5
//! create both list:set size 8
//! add both blocklist
//! ```
//!
//! Sets of one address dimension (`hash:ip`, `hash:net`, `bitmap:ip`, and `list:set` of them)
//! are read exactly: `nomatch` entries are exceptions, the most specific entry decides, as in
//! the kernel. Sets of several dimensions (`hash:ip,port`, `hash:net,iface`, …) keep their
//! address part: a rule using one is read approximately (the other dimensions are not
//! tested). IPv6 sets (`family inet6`) cannot match IPv4 packets and are empty.

use super::ImportError;
use super::common;
use crate::model::AddrRange;
use std::collections::BTreeMap;

/// The sets of one dump, by name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IpSets {
    /// The dump's name as given on the command line (for messages).
    pub file: String,
    sets: BTreeMap<String, IpSet>,
}

#[derive(Clone, Debug, PartialEq)]
struct IpSet {
    line: usize,
    kind: String,
    inet6: bool,
    /// Whether entries expire (`timeout` on `create`): the dump is one moment of a set that
    /// changes at run time.
    timeout: bool,
    /// (entry, nomatch, line) in the order of the dump; a `list:set` lists set names instead.
    entries: Vec<(AddrRange, bool)>,
    members: Vec<(String, usize)>,
}

/// What a set matches on the address its first flag names.
#[derive(Clone, Debug, PartialEq)]
pub struct Resolved {
    pub ranges: Vec<AddrRange>,
    /// `None` when the set is exactly these addresses; otherwise why it is not (other
    /// dimensions, a changing set).
    pub inexact: Option<String>,
    /// Whether every address the set may match is in `ranges` (false when entries may be added
    /// at run time, or a member set is missing from the dump).
    pub bounded: bool,
}

impl IpSets {
    /// The addresses set `name` matches, or `None` when the dump has no such set.
    pub fn resolve(&self, name: &str) -> Option<Resolved> {
        self.resolve_in(name, &mut Vec::new())
    }

    fn resolve_in(&self, name: &str, seen: &mut Vec<String>) -> Option<Resolved> {
        let set = self.sets.get(name)?;
        if seen.iter().any(|s| s == name) {
            // A list that contains itself: the kernel refuses it; read as nothing more.
            return Some(Resolved {
                ranges: Vec::new(),
                inexact: None,
                bounded: true,
            });
        }
        let mut why: Vec<String> = Vec::new();
        let mut bounded = !set.timeout;
        if set.timeout {
            why.push(format!(
                "set `{name}` has timeouts: its entries as dumped (they change at run time)"
            ));
        }
        if set.kind == "list:set" {
            seen.push(name.to_string());
            let mut ranges = Vec::new();
            for (m, _) in &set.members {
                match self.resolve_in(m, seen) {
                    Some(r) => {
                        ranges.extend(r.ranges);
                        why.extend(r.inexact);
                        bounded &= r.bounded;
                    }
                    None => {
                        why.push(format!("member `{m}` of list `{name}` is not in the dump"));
                        bounded = false;
                    }
                }
            }
            seen.pop();
            return Some(Resolved {
                ranges: common::normalize(ranges),
                inexact: (!why.is_empty()).then(|| why.join("; ")),
                bounded,
            });
        }
        if set.inet6 {
            return Some(Resolved {
                ranges: Vec::new(),
                inexact: None,
                bounded: true,
            });
        }
        let dims = set
            .kind
            .split_once(':')
            .map_or(1, |(_, d)| d.split(',').count());
        let first_is_address = set
            .kind
            .split_once(':')
            .and_then(|(_, d)| d.split(',').next())
            .is_some_and(|d| d == "ip" || d == "net");
        if !first_is_address {
            // `hash:mac`, `bitmap:port`: no address to match on.
            return Some(Resolved {
                ranges: vec![AddrRange::ALL],
                inexact: Some(format!(
                    "set `{name}` is of type {} (no IPv4 address to read)",
                    set.kind
                )),
                bounded: true,
            });
        }
        if dims > 1 {
            why.push(format!(
                "set `{name}` is of type {}: only its addresses are read",
                set.kind
            ));
        }
        // The most specific entry decides: add and remove from the widest to the narrowest.
        let mut entries = set.entries.clone();
        entries.sort_by_key(|(r, _)| std::cmp::Reverse(r.last - r.first));
        let mut ranges: Vec<AddrRange> = Vec::new();
        for (r, nomatch) in entries {
            if nomatch {
                ranges = crate::model::ranges::subtract(&common::normalize(ranges), &[r]);
            } else {
                ranges.push(r);
            }
        }
        Some(Resolved {
            ranges: common::normalize(ranges),
            inexact: (!why.is_empty()).then(|| why.join("; ")),
            bounded,
        })
    }

    /// The line of set `name` in the dump.
    pub fn line_of(&self, name: &str) -> Option<usize> {
        self.sets.get(name).map(|s| s.line)
    }
}

/// Reads an `ipset save` dump (also the older `ipset -S` form: `-N NAME TYPE`, `-A NAME ENTRY`).
/// Anything else is an error with its line: a mistyped dump must not silently empty a set.
pub fn parse(file: &str, text: &str) -> Result<IpSets, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut sets: BTreeMap<String, IpSet> = BTreeMap::new();
    for (n, raw) in text.lines().enumerate() {
        let line = n + 1;
        if raw.contains('\0') {
            return Err(ImportError::at_line(
                line,
                "the file contains a NUL byte: not an `ipset save` dump",
            ));
        }
        let t = raw.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let words: Vec<&str> = t.split_whitespace().collect();
        match words[0] {
            "create" | "-N" | "n" if words.len() >= 3 => {
                let (name, kind) = (words[1], words[2]);
                let opt = |key: &str| words.iter().position(|w| *w == key);
                let inet6 = opt("family").and_then(|i| words.get(i + 1)) == Some(&"inet6");
                if kind != "list:set" && !kind.starts_with("hash:") && !kind.starts_with("bitmap:")
                {
                    return Err(ImportError::at_line(
                        line,
                        format!("unknown set type `{}`", common::excerpt(kind)),
                    ));
                }
                sets.insert(
                    name.to_string(),
                    IpSet {
                        line,
                        kind: kind.to_string(),
                        inet6,
                        timeout: opt("timeout").is_some(),
                        entries: Vec::new(),
                        members: Vec::new(),
                    },
                );
            }
            "add" | "-A" | "a" if words.len() >= 3 => {
                let name = words[1];
                let Some(set) = sets.get_mut(name) else {
                    return Err(ImportError::at_line(
                        line,
                        format!(
                            "`add` to set `{}`, which no `create` before it defines",
                            common::excerpt(name)
                        ),
                    ));
                };
                let entry = words[2];
                let nomatch = words[3..].contains(&"nomatch");
                if set.kind == "list:set" {
                    set.members.push((entry.to_string(), line));
                    continue;
                }
                if set.inet6 {
                    continue;
                }
                // The address is the first dimension: `10.0.0.1,tcp:80` → `10.0.0.1`.
                let addr = entry.split(',').next().unwrap_or(entry);
                let range = match addr.split_once('-') {
                    Some((a, b)) => AddrRange::parse(&format!("{a}-{b}")).ok(),
                    None => common::parse_cidr(addr),
                };
                let Some(range) = range else {
                    if set
                        .kind
                        .split_once(':')
                        .is_some_and(|(_, d)| d.starts_with("ip") || d.starts_with("net"))
                    {
                        return Err(ImportError::at_line(
                            line,
                            format!(
                                "`{}` is not an IPv4 address, range or prefix",
                                common::excerpt(addr)
                            ),
                        ));
                    }
                    continue;
                };
                set.entries.push((range, nomatch));
            }
            "flush" | "destroy" | "-F" | "-X" | "swap" | "rename" | "del" | "-D" | "COMMIT" => {
                return Err(ImportError::at_line(
                    line,
                    format!(
                        "`{}` is not part of an `ipset save` dump: give the output of `ipset save`",
                        common::excerpt(words[0])
                    ),
                ));
            }
            _ => {
                return Err(ImportError::at_line(
                    line,
                    format!(
                        "`{}` not understood: an `ipset save` dump has `create` and `add` lines",
                        common::excerpt(t)
                    ),
                ));
            }
        }
    }
    if sets.is_empty() {
        return Err(ImportError::at_line(
            1,
            "no `create` line: this is not an `ipset save` dump",
        ));
    }
    Ok(IpSets {
        file: file.to_string(),
        sets,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> AddrRange {
        AddrRange::parse(s).unwrap()
    }

    #[test]
    fn sets_resolve_with_exceptions_lists_and_other_dimensions() {
        let text = "create block hash:net family inet hashsize 1024 maxelem 65536\n\
                    add block 203.0.113.0/24\n\
                    add block 203.0.113.128/25 nomatch\n\
                    add block 198.51.100.7\n\
                    create admins hash:ip family inet hashsize 1024 maxelem 65536 timeout 600\n\
                    add admins 10.1.0.5 timeout 300\n\
                    create web hash:ip,port family inet\n\
                    add web 10.0.0.1,tcp:80\n\
                    create six hash:ip family inet6\n\
                    add six 2001:db8::1\n\
                    create all list:set size 8\n\
                    add all block\n\
                    add all admins\n";
        let sets = parse("sets.txt", text).unwrap();
        let block = sets.resolve("block").unwrap();
        assert_eq!(block.ranges, vec![r("198.51.100.7"), r("203.0.113.0/25")]);
        assert_eq!(block.inexact, None);
        let admins = sets.resolve("admins").unwrap();
        assert!(!admins.bounded, "entries come and go");
        assert!(admins.inexact.unwrap().contains("timeouts"));
        let web = sets.resolve("web").unwrap();
        assert_eq!(web.ranges, vec![r("10.0.0.1")]);
        assert!(web.inexact.unwrap().contains("hash:ip,port"));
        assert_eq!(sets.resolve("six").unwrap().ranges, vec![]);
        let all = sets.resolve("all").unwrap();
        assert_eq!(all.ranges.len(), 3);
        assert!(sets.resolve("nope").is_none());
        assert_eq!(sets.line_of("admins"), Some(5));
    }

    #[test]
    fn broken_dumps_are_located_errors() {
        let e = parse("s", "create a hash:ip\nadd b 10.0.0.1\n").unwrap_err();
        assert_eq!(e.line, 2);
        let e = parse("s", "create a hash:ip\nadd a 10.0.0.300\n").unwrap_err();
        assert_eq!(e.line, 2);
        let e = parse("s", "*filter\n").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(parse("s", "").is_err());
    }
}
