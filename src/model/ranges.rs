//! Sets of IPv4 addresses as sorted, disjoint, non-adjacent ranges.

use super::address::AddrRange;

/// Sorts and merges overlapping or adjacent ranges.
pub fn normalize(mut v: Vec<AddrRange>) -> Vec<AddrRange> {
    v.sort();
    let mut out: Vec<AddrRange> = Vec::with_capacity(v.len());
    for r in v {
        match out.last_mut() {
            Some(last) if u64::from(r.first) <= u64::from(last.last) + 1 => {
                last.last = last.last.max(r.last)
            }
            _ => out.push(r),
        }
    }
    out
}

/// `a` without `b` (both normalized); the result is normalized.
pub fn subtract(a: &[AddrRange], b: &[AddrRange]) -> Vec<AddrRange> {
    let mut out = Vec::new();
    let mut j = 0;
    for r in a {
        let mut first = u64::from(r.first);
        let last = u64::from(r.last);
        while j < b.len() && u64::from(b[j].last) < first {
            j += 1;
        }
        let mut k = j;
        while first <= last {
            match b.get(k) {
                Some(cut) if u64::from(cut.first) <= last => {
                    if u64::from(cut.first) > first {
                        out.push(AddrRange {
                            first: first as u32,
                            last: cut.first - 1,
                        });
                    }
                    first = u64::from(cut.last) + 1;
                    k += 1;
                }
                _ => {
                    out.push(AddrRange {
                        first: first as u32,
                        last: last as u32,
                    });
                    break;
                }
            }
        }
    }
    out
}

/// The addresses in both `a` and `b` (both normalized); the result is normalized.
pub fn intersect(a: &[AddrRange], b: &[AddrRange]) -> Vec<AddrRange> {
    subtract(a, &subtract(a, b))
}

/// Whether two normalized sets share an address.
pub fn intersects(a: &[AddrRange], b: &[AddrRange]) -> bool {
    // A few ranges against many (a rule's addresses against a tier's): search each of the few
    // in the many, rather than walking the many.
    let (few, many) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if few.len() * 8 < many.len() {
        return few.iter().any(|r| overlaps_any(many, r));
    }
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i].overlaps(&b[j]) {
            return true;
        }
        if a[i].last < b[j].last {
            i += 1;
        } else {
            j += 1;
        }
    }
    false
}

/// Whether `r` shares an address with the normalized set `set` (a binary search).
pub fn overlaps_any(set: &[AddrRange], r: &AddrRange) -> bool {
    // The first range ending at or after r's start is the only one that can overlap it first.
    let k = set.partition_point(|s| s.last < r.first);
    set.get(k).is_some_and(|s| s.first <= r.last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(first: u32, last: u32) -> AddrRange {
        AddrRange { first, last }
    }

    #[test]
    fn intersects_agrees_with_a_pairwise_search_for_few_against_many() {
        // 40 ranges: 10..=12, 20..=22, ...; probes inside, between and at the edges.
        let many: Vec<AddrRange> = (1..=40).map(|k| r(k * 10, k * 10 + 2)).collect();
        for first in 0..420 {
            for len in [0, 1, 5, 9] {
                let few = [r(first, first + len)];
                let pairwise = many.iter().any(|m| m.overlaps(&few[0]));
                assert_eq!(intersects(&few, &many), pairwise, "{first}+{len}");
                assert_eq!(intersects(&many, &few), pairwise, "{first}+{len}");
            }
        }
    }

    #[test]
    fn normalize_merges_adjacent_and_overlapping() {
        let v = normalize(vec![r(10, 20), r(0, 5), r(6, 8), r(15, 30), r(40, 41)]);
        assert_eq!(v, vec![r(0, 8), r(10, 30), r(40, 41)]);
        assert_eq!(
            normalize(vec![r(0, u32::MAX), r(5, 6)]),
            vec![r(0, u32::MAX)]
        );
    }

    #[test]
    fn subtract_cuts_holes() {
        let a = vec![r(0, 100), r(200, 300)];
        let b = vec![r(0, 9), r(50, 60), r(100, 210), r(300, 300)];
        assert_eq!(subtract(&a, &b), vec![r(10, 49), r(61, 99), r(211, 299)]);
        assert_eq!(subtract(&[r(0, u32::MAX)], &[r(0, u32::MAX)]), vec![]);
        assert_eq!(subtract(&[r(5, 5)], &[]), vec![r(5, 5)]);
        assert!(intersects(&a, &[r(101, 200)]) && !intersects(&a, &[r(101, 199)]));
    }
}

/// Things by address: which of them have an address in given ranges. Entries are sorted by
/// range start with a running maximum of range ends, so a look-up stops as soon as nothing
/// further left can overlap.
#[derive(Clone, Debug)]
pub struct RangeIndex<T> {
    entries: Vec<(AddrRange, T)>,
    /// The largest range end among `entries[..=i]`.
    max_last: Vec<u32>,
}

impl<T: Copy + Ord> RangeIndex<T> {
    pub fn new(mut entries: Vec<(AddrRange, T)>) -> RangeIndex<T> {
        entries.sort();
        let mut max_last = Vec::with_capacity(entries.len());
        let mut m = 0u32;
        for (r, _) in &entries {
            m = m.max(r.last);
            max_last.push(m);
        }
        RangeIndex { entries, max_last }
    }

    /// The things with an address in `ranges`, sorted, without duplicates.
    pub fn at(&self, ranges: &[AddrRange]) -> Vec<T> {
        let mut out = Vec::new();
        for q in ranges {
            let mut i = self.entries.partition_point(|(r, _)| r.first <= q.last);
            while i > 0 {
                i -= 1;
                if self.max_last[i] < q.first {
                    break;
                }
                let (r, t) = self.entries[i];
                if r.overlaps(q) {
                    out.push(t);
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }
}
