//! Hosts by selector: which hosts a `kind:`, `host:`, `zone:`, `tier:`, `segment:`, `store:`,
//! `data:`, address or `any` selector names. Accounts (`admin_on`, `logs_on_to`) and rules use
//! selectors for hosts; the attack analysis and the CRED rules resolve them here, once.

use crate::model::ids::IdMap;
use crate::model::{Host, Places, Selector, Topology};
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

/// Hosts by the selectors accounts use (`kind:`, `host:`, `zone:`, `tier:`, `segment:`,
/// `store:`, `data:`, addresses, `any`), resolved once per selector: each host's zones and tiers
/// are computed once, so a topology with many accounts costs one pass over the hosts per distinct
/// selector.
pub struct HostIndex<'t> {
    topo: &'t Topology,
    pub hosts: &'t [Host],
    /// Where every host is: its zones and tiers (sorted, deduplicated).
    pub places: Arc<Places<'t>>,
    /// Hosts by id (looked up, never walked in order).
    by_id: IdMap<&'t str, usize>,
    cache: BTreeMap<Selector, Rc<Vec<usize>>>,
    /// Hosts by segment, made on the first `segment:` selector.
    by_segment: Option<BTreeMap<&'t str, Vec<usize>>>,
    /// Hosts by zone, made on the first `zone:` selector (a topology names every zone in its
    /// accounts, and a scan of all hosts per zone adds up).
    by_zone: Option<BTreeMap<&'t str, Vec<usize>>>,
    /// Per host, the last `of_all` call that took it (deduplication without a set).
    stamp: Vec<u32>,
    epoch: u32,
}

impl<'t> HostIndex<'t> {
    /// The index over a topology's hosts, resolving where each is.
    pub fn new(topo: &'t Topology) -> HostIndex<'t> {
        HostIndex::with_places(Arc::new(Places::of(topo)))
    }

    /// The index over the hosts of `places`' topology (each host's zones and tiers come from
    /// there, resolved once per topology).
    pub fn with_places(places: Arc<Places<'t>>) -> HostIndex<'t> {
        let topo = places.topo;
        HostIndex {
            topo,
            places,
            hosts: &topo.hosts,
            by_id: topo
                .hosts
                .iter()
                .enumerate()
                .map(|(i, h)| (h.id.as_str(), i))
                .collect(),
            cache: BTreeMap::new(),
            by_segment: None,
            by_zone: None,
            stamp: vec![0; topo.hosts.len()],
            epoch: 0,
        }
    }

    /// The host with this id.
    pub fn index(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// The hosts a selector names, in topology order.
    pub fn of(&mut self, sel: &Selector) -> Rc<Vec<usize>> {
        if let Selector::Host(id) = sel {
            // One look-up by id: as cheap as the cache's, which would also keep a copy of
            // the selector (accounts name their hosts one by one, thousands of them).
            return Rc::new(self.index(id).into_iter().collect());
        }
        if let Some(found) = self.cache.get(sel) {
            return Rc::clone(found);
        }
        let topo = self.topo;
        let all = 0..self.hosts.len();
        let found: Vec<usize> = match sel {
            Selector::Any => all.collect(),
            Selector::Host(id) => self.index(id).into_iter().collect(),
            Selector::Kind(k) => all.filter(|&h| self.hosts[h].kind == *k).collect(),
            Selector::Segment(id) => {
                let hosts = self.hosts;
                let map = self.by_segment.get_or_insert_with(|| {
                    let mut m: BTreeMap<&'t str, Vec<usize>> = BTreeMap::new();
                    for (h, host) in hosts.iter().enumerate() {
                        for i in &host.interfaces {
                            let v = m.entry(i.segment.value.as_str()).or_default();
                            if v.last() != Some(&h) {
                                v.push(h);
                            }
                        }
                    }
                    m
                });
                map.get(id.as_str()).cloned().unwrap_or_default()
            }

            Selector::Zone(z) => {
                let zones = &self.places.host_zones;
                let map = self.by_zone.get_or_insert_with(|| {
                    let mut m: BTreeMap<&'t str, Vec<usize>> = BTreeMap::new();
                    // Hosts in order, each zone once per host: every list is in topology order.
                    for (h, host_zones) in zones.iter().enumerate() {
                        for &zone in host_zones {
                            m.entry(zone).or_default().push(h);
                        }
                    }
                    m
                });
                map.get(z.as_str()).cloned().unwrap_or_default()
            }
            Selector::Tier(t) => all.filter(|&h| self.places.host_in(h, *t)).collect(),
            Selector::Store(id) => {
                let mut v: Vec<usize> = topo
                    .stores
                    .iter()
                    .filter(|s| s.id == *id)
                    .filter_map(|s| self.index(&s.host))
                    .collect();
                v.sort();
                v.dedup();
                v
            }
            Selector::Data(d) => {
                let mut v: Vec<usize> = topo
                    .stores
                    .iter()
                    .filter(|s| s.data.contains(d))
                    .filter_map(|s| self.index(&s.host))
                    .collect();
                v.sort();
                v.dedup();
                v
            }
            Selector::Addr(r) => all
                .filter(|&h| {
                    self.hosts[h]
                        .interfaces
                        .iter()
                        .any(|i| i.ip.value.overlaps(r))
                })
                .collect(),
            Selector::External(_) | Selector::Channel(_) => Vec::new(),
        };
        let found = Rc::new(found);
        self.cache.insert(sel.clone(), Rc::clone(&found));
        found
    }

    /// The hosts several selectors name, each with the first selector that names it, in
    /// topology order.
    pub fn of_all<'s>(
        &mut self,
        sels: impl IntoIterator<Item = &'s Selector>,
    ) -> Vec<(usize, &'s Selector)> {
        self.epoch += 1;
        let mut out = Vec::new();
        for sel in sels {
            for &h in self.of(sel).iter() {
                if self.stamp[h] != self.epoch {
                    self.stamp[h] = self.epoch;
                    out.push((h, sel));
                }
            }
        }
        out.sort_by_key(|&(h, _)| h);
        out
    }
}
