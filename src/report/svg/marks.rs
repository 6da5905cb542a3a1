//! Which diagram edges lie on the path of a violation: the red lines.

use std::collections::{BTreeMap, BTreeSet};

/// What to draw in red: diagram edges on the path of a violation, by the keys of their two
/// ends (`firewall:fw-mn`, `segment:mn-office`), in either order.
#[derive(Clone, Debug, Default)]
pub struct Marks {
    /// The numbers of the findings (as numbered in the report's findings section) whose path
    /// runs along each edge; empty for an edge marked without a number.
    edges: BTreeMap<(String, String), BTreeSet<usize>>,
    /// Whether the violations were computed at all (a policy or profile was checked): without
    /// it the legend says that violating paths are not drawn, rather than implying there are none.
    pub(super) checked: bool,
}

impl Marks {
    /// Marks of a run that checked the rules: what is not marked is not on a violating path.
    pub fn checked() -> Marks {
        Marks {
            checked: true,
            ..Marks::default()
        }
    }

    pub fn mark(&mut self, a: &str, b: &str) {
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        self.edges
            .entry((a.to_string(), b.to_string()))
            .or_default();
    }

    /// Marks an edge as on the path of finding `number`.
    pub fn mark_finding(&mut self, a: &str, b: &str, number: usize) {
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        self.edges
            .entry((a.to_string(), b.to_string()))
            .or_default()
            .insert(number);
    }

    pub fn has(&self, a: &str, b: &str) -> bool {
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        self.edges.contains_key(&(a.to_string(), b.to_string()))
    }

    /// The same marks with every end renamed (a segment to its zone's box in the overview).
    pub(super) fn mapped(&self, rename: impl Fn(&str) -> String) -> Marks {
        let mut out = Marks {
            checked: self.checked,
            ..Marks::default()
        };
        for ((a, b), numbers) in &self.edges {
            let (a, b) = (rename(a), rename(b));
            out.mark(&a, &b);
            for n in numbers {
                out.mark_finding(&a, &b, *n);
            }
        }
        out
    }

    /// The numbers of the findings whose path runs along an edge, in order.
    pub fn findings(&self, a: &str, b: &str) -> Vec<usize> {
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        self.edges
            .get(&(a.to_string(), b.to_string()))
            .map(|s| s.iter().copied().collect())
            .unwrap_or_default()
    }

    pub fn is_empty(&self) -> bool {
        self.edges.is_empty()
    }

    /// Whether a node lies on a marked edge.
    pub(super) fn touches(&self, key: &str) -> bool {
        self.edges.keys().any(|(a, b)| a == key || b == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_ignore_the_direction_of_an_edge() {
        let mut m = Marks::default();
        assert!(m.is_empty());
        m.mark("segment:b", "firewall:a");
        assert!(m.has("firewall:a", "segment:b"));
        assert!(m.has("segment:b", "firewall:a"));
        assert!(!m.has("firewall:a", "segment:c"));
        assert!(m.touches("firewall:a") && !m.touches("segment:c"));
        assert!(m.findings("firewall:a", "segment:b").is_empty());
        m.mark_finding("segment:b", "firewall:a", 3);
        m.mark_finding("firewall:a", "segment:b", 1);
        assert_eq!(m.findings("segment:b", "firewall:a"), vec![1, 3]);
        // Renamed ends keep their numbers and merge.
        m.mark_finding("firewall:a", "segment:c", 2);
        let zone = m.mapped(|k| {
            k.replace("segment:b", "summary:z")
                .replace("segment:c", "summary:z")
        });
        assert_eq!(zone.findings("firewall:a", "summary:z"), vec![1, 2, 3]);
        assert!(!zone.has("firewall:a", "segment:b"));
    }
}
