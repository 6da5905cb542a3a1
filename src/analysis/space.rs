//! The header space: which BDD variables stand for which packet field, and conversions between
//! model values (address sets, services, interfaces) and sets of packets.
//!
//! A packet is (ingress interface, egress interface, source, destination, protocol, destination
//! port). The interface fields are only used while compiling a firewall's rule lists (a rule
//! may name the interfaces it applies to); packets travelling between networks never carry them.

use super::bdd::{Bdd, FALSE, Manager, TRUE};
use crate::model::service::{PortRange, has_ports, protocol_name};
use crate::model::{AddrRange, Service};
use std::collections::HashMap;
use std::net::Ipv4Addr;

/// Interfaces per firewall the interface fields can tell apart (the model's limit).
pub const MAX_INTERFACES: usize = crate::model::firewall::MAX_INTERFACES;

const IN: u16 = 0;
const OUT: u16 = 8;
pub const SRC: u16 = 48;
/// Not a field: the key under which [`Space::src`] keeps the senders of an address set when
/// packets may be translated (their header source, or their original one).
const SENT_FROM: u16 = u16::MAX;
pub const DST: u16 = 16;
/// Protocol (8 bits) and port (16 bits) form one 24-bit service field: `proto << 16 | port`.
pub const SVC: u16 = 80;
/// The origin tag (8 bits) of packets from tied externals; after the header, as it only ever
/// refines sets at their leaves.
pub const ORIGIN: u16 = 104;
/// What address translation has rewritten, each a flag and the original value, last of all
/// (see [`Space::translate`]): a packet whose flag is clear has never been translated there,
/// its original field is unconstrained and the header field is the original.
pub const SRC_TRANSLATED: u16 = 112;
pub const ORIGINAL_SRC: u16 = 113;
// `Space::senders` keeps the flag and the original source as one range.
const _: () = assert!(ORIGINAL_SRC == SRC_TRANSLATED + 1);
pub const DST_TRANSLATED: u16 = 145;
pub const ORIGINAL_DST: u16 = 146;
pub const SVC_TRANSLATED: u16 = 178;
pub const ORIGINAL_SVC: u16 = 179;
const VARS: u16 = 203;

/// Address ranges as the values of a 32-bit field.
fn values(ranges: &[AddrRange]) -> Vec<(u64, u64)> {
    ranges
        .iter()
        .map(|r| (u64::from(r.first), u64::from(r.last)))
        .collect()
}

/// A header field that translation may rewrite: where it is, its width, and where its flag and
/// original value are kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rewritable {
    pub field: u16,
    pub width: u16,
    pub flag: u16,
    pub original: u16,
}

pub const SOURCE: Rewritable = Rewritable {
    field: SRC,
    width: 32,
    flag: SRC_TRANSLATED,
    original: ORIGINAL_SRC,
};
pub const DESTINATION: Rewritable = Rewritable {
    field: DST,
    width: 32,
    flag: DST_TRANSLATED,
    original: ORIGINAL_DST,
};
pub const SERVICE: Rewritable = Rewritable {
    field: SVC,
    width: 24,
    flag: SVC_TRANSLATED,
    original: ORIGINAL_SVC,
};

/// A concrete flow: one packet's header.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Flow {
    pub src: u32,
    pub dst: u32,
    pub proto: u8,
    pub port: u16,
}

impl Flow {
    pub fn service(&self) -> String {
        if has_ports(self.proto) {
            format!("{}/{}", protocol_name(self.proto), self.port)
        } else {
            protocol_name(self.proto)
        }
    }
}

impl std::fmt::Display for Flow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} → {} {}",
            Ipv4Addr::from(self.src),
            Ipv4Addr::from(self.dst),
            self.service()
        )
    }
}

/// Ports preferred in examples, most familiar first.
const WELL_KNOWN: [(u8, u16); 10] = [
    (crate::model::service::TCP, 443),
    (crate::model::service::TCP, 80),
    (crate::model::service::TCP, 445),
    (crate::model::service::TCP, 22),
    (crate::model::service::TCP, 3389),
    (crate::model::service::TCP, 25),
    (crate::model::service::UDP, 53),
    (crate::model::service::TCP, 1521),
    (crate::model::service::TCP, 5432),
    (crate::model::service::TCP, 8080),
];

/// The BDD manager with the field layout.
///
/// The manager is the analysis's own: the layers above it (rules, diff) combine packet sets
/// through the set algebra below ([`and`](Self::and), [`meets`](Self::meets) ...) and build
/// them from the model's terms ([`src`](Self::src), [`dst`](Self::dst),
/// [`services`](Self::services)), so node stores, caches and field layout can change without
/// touching them.
#[derive(Clone)]
pub struct Space {
    pub(in crate::analysis) m: Manager,
    /// Address sets and service lists already built: rules share selectors and service lists
    /// (a zone, a standard set of AD ports), so each is built once.
    address_sets: HashMap<(u16, Vec<AddrRange>), Bdd>,
    service_sets: HashMap<Vec<Service>, Bdd>,
    /// Nodes kept by the last [`reset_when_grown`](Self::reset_when_grown).
    floor: usize,
    /// Whether packets may have been translated (some firewall has NAT entries): then who sent
    /// a packet is read from its original source (see [`src`](Self::src)).
    translating: bool,
}

/// Address sets of at least this many ranges are kept by
/// [`Space::reset_when_grown`] (smaller ones are cheaper to build again than to keep).
const KEPT_RANGES: usize = 16;

impl Default for Space {
    fn default() -> Space {
        Space::new()
    }
}

/// Set algebra on packet sets, for the layers above the analysis.
impl Space {
    /// The packets in both sets.
    pub fn and(&mut self, a: Bdd, b: Bdd) -> Bdd {
        self.m.and(a, b)
    }

    /// The packets in either set.
    pub fn or(&mut self, a: Bdd, b: Bdd) -> Bdd {
        self.m.or(a, b)
    }

    /// The packets in `a` and not in `b`.
    pub fn diff(&mut self, a: Bdd, b: Bdd) -> Bdd {
        self.m.diff(a, b)
    }

    /// Every packet not in `a`.
    pub fn not(&mut self, a: Bdd) -> Bdd {
        self.m.not(a)
    }

    /// Whether the two sets share a packet.
    pub fn meets(&mut self, a: Bdd, b: Bdd) -> bool {
        self.m.intersects(a, b)
    }

    /// Whether the concrete header `bits` (see [`bits`](Self::bits)) is in `set`.
    pub fn contains(&self, set: Bdd, bits: &[bool]) -> bool {
        self.m.contains(set, bits)
    }
}

impl Space {
    pub fn new() -> Space {
        Space {
            m: Manager::new(VARS),
            address_sets: HashMap::new(),
            service_sets: HashMap::new(),
            floor: 0,
            translating: false,
        }
    }

    /// A space for short jobs (one firewall at a time): an operation cache of 32,768 entries
    /// (512 KB) that stays in the CPU caches along with the job's nodes.
    pub fn small() -> Space {
        Space {
            m: Manager::with_cache_bits(VARS, 15),
            address_sets: HashMap::new(),
            service_sets: HashMap::new(),
            floor: 0,
            translating: false,
        }
    }

    /// The bytes a copy of the packet sets takes ([`Manager::footprint`]).
    pub fn footprint(&self) -> usize {
        self.m.footprint()
    }

    /// The nodes the manager holds ([`Manager::node_count`]).
    pub fn node_count(&self) -> usize {
        self.m.node_count()
    }

    /// Forgets every set (see [`Manager::reset`]), keeping the memory, for a worker that builds
    /// one firewall after another.
    pub fn reset(&mut self) {
        self.m.reset();
        self.address_sets.clear();
        self.service_sets.clear();
        self.floor = self.m.node_count();
    }

    /// For a worker between two jobs: when the manager has grown by more than `room` nodes
    /// (at least) since the last reset, starts afresh but keeps the large address sets.
    ///
    /// A manager that stays small stays in the CPU caches, so workers start afresh often; but
    /// the address sets of a tier or of the internet's home in a design of thousands of
    /// segments are 10⁵ nodes, and rebuilding them for every firewall made compiling
    /// superlinear in the design's size. They are copied out and back in (one pass over their
    /// nodes), and the manager may then grow by as much as they take before the next reset,
    /// so the copying costs at most as much as the work between resets.
    pub fn reset_when_grown(&mut self, room: usize) {
        if self.m.node_count() <= self.floor + room.max(self.floor) {
            return;
        }
        let mut large: Vec<((u16, Vec<AddrRange>), Bdd)> = self
            .address_sets
            .drain()
            .filter(|((_, ranges), _)| ranges.len() >= KEPT_RANGES)
            .collect();
        // In a fixed order, so node ids do not depend on the map's.
        large.sort_by(|a, b| a.0.cmp(&b.0));
        let roots: Vec<Bdd> = large.iter().map(|(_, f)| *f).collect();
        let forest = self.m.export(&roots);
        self.reset();
        let ids = self.m.import(&forest);
        self.address_sets = large.into_iter().map(|(k, _)| k).zip(ids).collect();
        self.floor = self.m.node_count();
    }

    fn ranges(&mut self, first: u16, ranges: &[AddrRange]) -> Bdd {
        let key = (first, ranges.to_vec());
        if let Some(&f) = self.address_sets.get(&key) {
            return f;
        }
        let f = self.m.ranges(first, 32, &values(ranges));
        self.address_sets.insert(key, f);
        f
    }

    /// Packets of `below` (a set over the fields after the address: the service, the origin)
    /// whose address at `first` is in `ranges`. A small address set is built straight over
    /// `below`; a large one is built once, kept, and intersected.
    fn ranges_over(&mut self, first: u16, ranges: &[AddrRange], below: Bdd) -> Bdd {
        if below == TRUE || ranges.len() >= KEPT_RANGES {
            let set = self.ranges(first, ranges);
            return self.m.and(set, below);
        }
        self.m.ranges_over(first, 32, &values(ranges), below)
    }

    /// [`header_src`](Self::header_src) ∧ `below`, for a `below` over the fields after the
    /// source (see [`ranges_over`](Self::ranges_over)).
    pub fn header_src_over(&mut self, ranges: &[AddrRange], below: Bdd) -> Bdd {
        self.ranges_over(SRC, ranges, below)
    }

    /// [`dst`](Self::dst) ∧ `below`, for a `below` over the fields after the destination.
    pub fn dst_over(&mut self, ranges: &[AddrRange], below: Bdd) -> Bdd {
        self.ranges_over(DST, ranges, below)
    }

    /// Packets whose source address, as the header has it now, is in `ranges`: what a rule
    /// matches on.
    pub fn header_src(&mut self, ranges: &[AddrRange]) -> Bdd {
        self.ranges(SRC, ranges)
    }

    /// Packets sent from `ranges`: their original source, before any source NAT (the same as
    /// [`header_src`](Self::header_src) in a design without translation). Questions about who
    /// reaches what ask this.
    pub fn src(&mut self, ranges: &[AddrRange]) -> Bdd {
        let now = self.ranges(SRC, ranges);
        if !self.translating {
            return now;
        }
        // Kept like the address sets: rules ask for every segment's and endpoint's senders,
        // and the choice below is an operation on the whole set each time.
        let key = (SENT_FROM, ranges.to_vec());
        if let Some(&f) = self.address_sets.get(&key) {
            return f;
        }
        let before = self.ranges(ORIGINAL_SRC, ranges);
        let f = self.either(SOURCE, now, before);
        self.address_sets.insert(key, f);
        f
    }

    /// `now` for packets whose field `r` was never rewritten, `before` for the others.
    fn either(&mut self, r: Rewritable, now: Bdd, before: Bdd) -> Bdd {
        let flag = self.m.var(r.flag);
        self.m.ite(flag, before, now)
    }

    /// From now on packets may be translated (see [`src`](Self::src)).
    pub fn track_translations(&mut self) {
        self.translating = true;
    }

    pub fn translating(&self) -> bool {
        self.translating
    }

    /// Packets no translation has touched: what networks originate.
    pub fn untranslated(&mut self) -> Bdd {
        let mut all = TRUE;
        for r in [SOURCE, DESTINATION, SERVICE] {
            let flag = self.m.var(r.flag);
            let clear = self.m.not(flag);
            all = self.m.and(all, clear);
        }
        all
    }

    /// Rewrites field `r` of every packet of `f`: its top `bits` bits take a value of `to` (a
    /// set over those bits), the rest are kept (so a prefix mapped onto a prefix keeps the host
    /// bits). A packet rewritten for the first time keeps its original value in `r.original`.
    ///
    /// This is existential quantification over the rewritten bits and a constraint on their
    /// new value, never enumeration. Keeping the original of a packet whose low bits stay costs
    /// an equality between them and the original's, whose BDD doubles with each kept bit: a
    /// prefix of /24 keeps 8 bits (256 nodes per set), a single address none.
    pub fn translate(&mut self, f: Bdd, r: Rewritable, bits: u16, to: Bdd) -> Bdd {
        let fresh = self.m.restrict(f, r.flag, false);
        let seen = self.m.restrict(f, r.flag, true);
        let mut fresh = self.m.rename(fresh, r.field, r.width, r.original);
        if bits < r.width {
            let kept = self
                .m
                .equal_fields(r.field + bits, r.original + bits, r.width - bits);
            fresh = self.m.and(fresh, kept);
        }
        let seen = self.m.exists(seen, r.field, r.field + bits);
        let both = self.m.or(fresh, seen);
        let rewritten = self.m.and(both, to);
        let flag = self.m.var(r.flag);
        self.m.and(rewritten, flag)
    }

    /// `f` with the `fields` free: each field, its flag and its original quantified away (every
    /// packet a translation of those fields can turn into one of `f`, and more).
    pub fn with_free(&mut self, f: Bdd, fields: &[Rewritable]) -> Bdd {
        let mut f = f;
        for r in fields {
            f = self.m.exists(f, r.field, r.field + r.width);
            // The flag sits just before the original.
            f = self.m.exists(f, r.flag, r.original + r.width);
        }
        f
    }

    /// The packets of `f` with their header as sent: each rewritten field replaced by its
    /// original, and the flags and originals gone (a set over the header fields only).
    pub fn as_sent(&mut self, f: Bdd) -> Bdd {
        let fields = [SOURCE, DESTINATION, SERVICE];
        let mut all = FALSE;
        for rewritten in 0..8u8 {
            let mut part = f;
            for (k, r) in fields.into_iter().enumerate() {
                part = self.m.restrict(part, r.flag, rewritten >> k & 1 == 1);
            }
            for (k, r) in fields.into_iter().enumerate() {
                if rewritten >> k & 1 == 1 {
                    part = self.m.exists(part, r.field, r.field + r.width);
                    part = self.m.rename(part, r.original, r.width, r.field);
                } else {
                    part = self.m.exists(part, r.original, r.original + r.width);
                }
            }
            all = self.m.or(all, part);
        }
        all
    }

    /// The set over the top `bits` bits of field `r` holding the top bits of `value`.
    pub fn top_bits(&mut self, r: Rewritable, bits: u16, value: u64) -> Bdd {
        let v = value >> (r.width - bits);
        self.m.range(r.field, bits, v, v)
    }

    pub fn dst(&mut self, ranges: &[AddrRange]) -> Bdd {
        self.ranges(DST, ranges)
    }

    /// Packets carrying origin tag `tag` (see [`ORIGIN`]).
    pub fn origin(&mut self, tag: u8) -> Bdd {
        self.m.range(ORIGIN, 8, u64::from(tag), u64::from(tag))
    }

    pub fn service(&mut self, s: Service) -> Bdd {
        match s {
            Service::Any => TRUE,
            Service::Proto { proto, ports } => {
                let ports = if has_ports(proto) {
                    ports
                } else {
                    PortRange::ALL
                };
                let base = u64::from(proto) << 16;
                self.m.range(
                    SVC,
                    24,
                    base | u64::from(ports.first),
                    base | u64::from(ports.last),
                )
            }
        }
    }

    pub fn services<'a>(&mut self, list: impl IntoIterator<Item = &'a Service>) -> Bdd {
        let list: Vec<Service> = list.into_iter().copied().collect();
        if let Some(&f) = self.service_sets.get(&list) {
            return f;
        }
        let mut f = FALSE;
        for s in &list {
            let b = self.service(*s);
            f = self.m.or(f, b);
        }
        self.service_sets.insert(list, f);
        f
    }

    /// Packets entering through interface `i` (only `i < MAX_INTERFACES`).
    pub fn ingress(&mut self, i: usize) -> Bdd {
        self.m.range(IN, 8, i as u64, i as u64)
    }

    pub fn egress(&mut self, i: usize) -> Bdd {
        self.m.range(OUT, 8, i as u64, i as u64)
    }

    /// Fixes the interface fields, leaving a set over addresses and services.
    pub fn at_interfaces(&mut self, f: Bdd, ingress: usize, egress: usize) -> Bdd {
        let mut f = f;
        for (first, value) in [(IN, ingress), (OUT, egress)] {
            for bit in 0..8u16 {
                let set = (value >> (7 - bit)) & 1 == 1;
                f = self.m.restrict(f, first + bit, set);
            }
        }
        f
    }

    /// The services of a set, whatever its addresses.
    pub fn services_of(&mut self, f: Bdd) -> ServiceSet {
        let projected = self.project(f, SVC, 24);
        ServiceSet(self.m.field_intervals(projected, SVC, 24))
    }

    /// The set projected onto one field (every other variable quantified away), in one pass
    /// ([`Manager::keep_only`]): the unions above the field are of sets already cut below it.
    pub fn project(&mut self, f: Bdd, first: u16, width: u16) -> Bdd {
        let end = first + width;
        self.m.keep_only(f, [(first, end), (end, end)])
    }

    /// `f` with every field but those [`src`](Self::src) reads quantified away (the source
    /// address and, in a design that translates, its flag and original): a small set that
    /// meets `src(r)` exactly when `f` does, for testing many senders against one large set.
    /// One pass over `f` ([`Manager::keep_only`]), so the unions over destinations are of
    /// sets already cut down to the senders.
    pub fn senders(&mut self, f: Bdd) -> Bdd {
        let source = (SRC, SRC + 32);
        if self.translating {
            // The flag comes right before the original source.
            self.m
                .keep_only(f, [source, (SRC_TRANSLATED, ORIGINAL_SRC + 32)])
        } else {
            self.m.keep_only(f, [source, (SRC + 32, SRC + 32)])
        }
    }

    /// The values of one 32-bit address field (`SRC` or `DST`) in a set of packets, as
    /// sorted ranges.
    pub fn address_field(&mut self, f: Bdd, field: u16) -> Vec<AddrRange> {
        let only = self.project(f, field, 32);
        self.m
            .field_intervals(only, field, 32)
            .into_iter()
            .map(|(a, b)| AddrRange {
                first: a as u32,
                last: b as u32,
            })
            .collect()
    }

    /// The addresses that sent a set of packets (their original sources), as sorted ranges.
    pub fn sources_of(&mut self, f: Bdd) -> Vec<AddrRange> {
        if !self.translating {
            return self.address_field(f, SRC);
        }
        // Projected once onto what the senders are read from, then split by the flag: two
        // restrictions of the whole set cost two passes over it.
        let senders = self.senders(f);
        let untouched = self.m.restrict(senders, SRC_TRANSLATED, false);
        let rewritten = self.m.restrict(senders, SRC_TRANSLATED, true);
        let mut all = self.address_field(untouched, SRC);
        all.extend(self.address_field(rewritten, ORIGINAL_SRC));
        crate::model::ranges::normalize(all)
    }

    /// The destination addresses of a set of packets, as sorted ranges.
    pub fn destinations_of(&mut self, f: Bdd) -> Vec<AddrRange> {
        self.address_field(f, DST)
    }

    /// The least packet of a set, as it was sent (before any translation).
    pub fn example(&self, f: Bdd) -> Option<Flow> {
        let bits = self.m.sat_one(f)?;
        let field = |first: u16, width: u16| {
            bits[first as usize..(first + width) as usize]
                .iter()
                .fold(0u64, |v, b| v << 1 | u64::from(*b))
        };
        let sent = |r: Rewritable| {
            if bits[r.flag as usize] {
                field(r.original, r.width)
            } else {
                field(r.field, r.width)
            }
        };
        let svc = sent(SERVICE);
        Some(Flow {
            src: sent(SOURCE) as u32,
            dst: sent(DESTINATION) as u32,
            proto: (svc >> 16) as u8,
            port: svc as u16,
        })
    }

    /// The header bits of a concrete packet entering through `ingress` and leaving through
    /// `egress`, for evaluating rule lists on it.
    pub fn bits(&self, flow: Flow, ingress: usize, egress: usize) -> Vec<bool> {
        let mut bits = vec![false; VARS as usize];
        let mut put = |first: u16, width: u16, value: u64| {
            for i in 0..width {
                bits[(first + i) as usize] = (value >> (width - 1 - i)) & 1 == 1;
            }
        };
        put(IN, 8, ingress as u64);
        put(OUT, 8, egress as u64);
        put(SRC, 32, u64::from(flow.src));
        put(DST, 32, u64::from(flow.dst));
        put(
            SVC,
            24,
            (u64::from(flow.proto) << 16) | u64::from(flow.port),
        );
        bits
    }

    /// A member of `f` that reads naturally in a witness: addresses outside 0.0.0.0/8 and a TCP
    /// port above 0 when the set has such packets, else the least member.
    pub fn pleasant_example(&mut self, f: Bdd) -> Option<Flow> {
        let zero = [AddrRange {
            first: 0,
            last: (1 << 24) - 1,
        }];
        let not_zero_dst = {
            let d = self.dst(&zero);
            self.m.not(d)
        };
        let not_zero_src = {
            let s = self.src(&zero);
            self.m.not(s)
        };
        let tcp = self.service(Service::Proto {
            proto: crate::model::service::TCP,
            ports: PortRange {
                first: 1,
                last: u16::MAX,
            },
        });
        // An address ending in .0 or .255 reads as a network or broadcast address (a witness
        // from `10.20.0.0` looks like a mistake even where the segment is wider than a /24).
        let host_dst = self.sent_host_octet(DESTINATION);
        let host_src = self.sent_host_octet(SOURCE);
        let mut set = f;
        for preference in [not_zero_dst, not_zero_src, host_dst, host_src, tcp] {
            let narrowed = self.m.and(set, preference);
            if narrowed != FALSE {
                set = narrowed;
            }
        }
        // A well-known port reads better than the lowest one (tcp/443 rather than tcp/1).
        for (proto, port) in WELL_KNOWN {
            let one = self.service(Service::Proto {
                proto,
                ports: PortRange {
                    first: port,
                    last: port,
                },
            });
            let narrowed = self.m.and(set, one);
            if narrowed != FALSE {
                set = narrowed;
                break;
            }
        }
        self.example(set)
    }

    /// Packets whose address `r`, as sent, ends in an octet other than 0 and 255.
    fn sent_host_octet(&mut self, r: Rewritable) -> Bdd {
        let now = self.m.range(r.field + 24, 8, 1, 254);
        if !self.translating {
            return now;
        }
        let before = self.m.range(r.original + 24, 8, 1, 254);
        self.either(r, now, before)
    }

    /// A concrete flow as sent, as a set: the packets it may have become (for checks and
    /// tests).
    pub fn flow(&mut self, flow: Flow) -> Bdd {
        let svc = (u64::from(flow.proto) << 16) | u64::from(flow.port);
        let mut all = TRUE;
        for (r, value) in [
            (SOURCE, u64::from(flow.src)),
            (DESTINATION, u64::from(flow.dst)),
            (SERVICE, svc),
        ] {
            let now = self.m.range(r.field, r.width, value, value);
            let one = if self.translating {
                let before = self.m.range(r.original, r.width, value, value);
                self.either(r, now, before)
            } else {
                now
            };
            all = self.m.and(all, one);
        }
        all
    }
}

/// A set of services as sorted intervals of `proto << 16 | port`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ServiceSet(pub Vec<(u64, u64)>);

impl ServiceSet {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The set as services (one per protocol and port range), for queries.
    pub fn to_services(&self) -> Vec<Service> {
        let mut out = Vec::new();
        for &(lo, hi) in &self.0 {
            let mut lo = lo;
            while lo <= hi {
                let proto = (lo >> 16) as u8;
                let end = ((u64::from(proto) << 16) | 0xffff).min(hi);
                out.push(Service::Proto {
                    proto,
                    ports: PortRange {
                        first: (lo & 0xffff) as u16,
                        last: (end & 0xffff) as u16,
                    },
                });
                lo = end + 1;
            }
        }
        out
    }

    /// The services in either set.
    pub fn union(&self, other: &ServiceSet) -> ServiceSet {
        let mut all: Vec<(u64, u64)> = self.0.iter().chain(&other.0).copied().collect();
        all.sort_unstable();
        let mut out: Vec<(u64, u64)> = Vec::with_capacity(all.len());
        for (lo, hi) in all {
            match out.last_mut() {
                // Overlapping or adjacent intervals merge.
                Some(last) if lo <= last.1.saturating_add(1) => last.1 = last.1.max(hi),
                _ => out.push((lo, hi)),
            }
        }
        ServiceSet(out)
    }

    /// The services of `self` not in `other`.
    pub fn minus(&self, other: &ServiceSet) -> ServiceSet {
        let mut out = Vec::new();
        for &(lo, hi) in &self.0 {
            let mut cur = lo;
            for &(olo, ohi) in &other.0 {
                if ohi < cur || olo > hi {
                    continue;
                }
                if olo > cur {
                    out.push((cur, olo - 1));
                }
                cur = ohi.saturating_add(1);
                if cur > hi {
                    break;
                }
            }
            if cur <= hi {
                out.push((cur, hi));
            }
        }
        ServiceSet(out)
    }

    /// The set as service strings: merged, sorted, `any` when everything gets through.
    pub fn names(&self) -> Vec<String> {
        if self.0 == [(0, (1 << 24) - 1)] {
            return vec!["any".into()];
        }
        let mut out = Vec::new();
        // Cut the intervals at protocol boundaries, then print each protocol's port ranges.
        let mut proto_run: Option<(u8, u8)> = None;
        let flush = |run: &mut Option<(u8, u8)>, out: &mut Vec<String>| {
            if let Some((a, b)) = run.take() {
                if a == b {
                    out.push(protocol_name(a));
                } else {
                    out.push(format!("ip/{a}-{b}"));
                }
            }
        };
        for &(lo, hi) in &self.0 {
            let mut lo = lo;
            while lo <= hi {
                let proto = (lo >> 16) as u8;
                let end = ((u64::from(proto) << 16) | 0xffff).min(hi);
                let (p1, p2) = ((lo & 0xffff) as u16, (end & 0xffff) as u16);
                let whole = p1 == 0 && p2 == u16::MAX;
                if has_ports(proto) {
                    flush(&mut proto_run, &mut out);
                    let name = protocol_name(proto);
                    out.push(if whole {
                        name
                    } else if p1 == p2 {
                        format!("{name}/{p1}")
                    } else {
                        format!("{name}/{p1}-{p2}")
                    });
                } else if is_named(proto) {
                    flush(&mut proto_run, &mut out);
                    out.push(protocol_name(proto));
                } else {
                    // Unnamed protocols print as runs: ip/47 alone, or ip/52-255.
                    proto_run = match proto_run {
                        Some((a, b)) if u16::from(b) + 1 == u16::from(proto) => Some((a, proto)),
                        other => {
                            let mut run = other;
                            flush(&mut run, &mut out);
                            Some((proto, proto))
                        }
                    };
                }
                lo = end + 1;
            }
        }
        flush(&mut proto_run, &mut out);
        out
    }
}

fn is_named(proto: u8) -> bool {
    !protocol_name(proto).starts_with("ip/")
}

impl std::fmt::Display for ServiceSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.names().join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(space: &mut Space, services: &[&str]) -> ServiceSet {
        let list: Vec<Service> = services
            .iter()
            .map(|s| Service::parse(s).unwrap())
            .collect();
        let f = space.services(&list);
        space.services_of(f)
    }

    #[test]
    fn service_sets_print_merged_and_sorted() {
        let mut s = Space::new();
        assert_eq!(set(&mut s, &["any"]).to_string(), "any");
        assert_eq!(
            set(
                &mut s,
                &["tcp/8000-8080", "udp/53", "tcp/22", "tcp/8081", "icmp"]
            )
            .to_string(),
            "icmp, tcp/22, tcp/8000-8081, udp/53"
        );
        assert_eq!(set(&mut s, &["tcp", "tcp/80"]).to_string(), "tcp");
        assert_eq!(
            set(&mut s, &["ip/89", "ip/90", "esp"]).to_string(),
            "esp, ip/89-90"
        );
        assert!(set(&mut s, &[]).is_empty());
    }

    #[test]
    fn examples_are_members() {
        let mut s = Space::new();
        let src = s.src(&[AddrRange::parse("10.0.0.0/24").unwrap()]);
        let dst = s.dst(&[AddrRange::parse("10.1.0.5").unwrap()]);
        let svc = s.services(&[Service::parse("tcp/445").unwrap()]);
        let sd = s.m.and(src, dst);
        let all = s.m.and(sd, svc);
        let flow = s.example(all).unwrap();
        assert_eq!(flow.to_string(), "10.0.0.0 → 10.1.0.5 tcp/445");
        let one = s.flow(flow);
        assert!(s.m.subset(one, all));
    }

    #[test]
    fn senders_meet_a_source_set_exactly_when_the_packets_do() {
        // Random packet sets (sources, destinations, services, some translated at their
        // source) against random source sets, with and without translation tracked: the
        // projection answers "does anyone in r send one of these?" as the set itself does.
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let range = |next: &mut dyn FnMut(u64) -> u64| {
            let a = 0x0A00_0000 + next(512) as u32;
            AddrRange {
                first: a,
                last: a + next(64) as u32,
            }
        };
        for translating in [false, true] {
            let mut s = Space::new();
            if translating {
                s.track_translations();
            }
            for _ in 0..150 {
                let mut f = FALSE;
                for _ in 0..1 + next(4) {
                    let src = s.header_src(&[range(&mut next)]);
                    let dst = s.dst(&[range(&mut next)]);
                    let port = 1 + next(1000) as u16;
                    let svc = s.services(&[Service::Proto {
                        proto: crate::model::service::TCP,
                        ports: PortRange {
                            first: port,
                            last: port + next(10) as u16,
                        },
                    }]);
                    let sd = s.m.and(src, dst);
                    let mut part = s.m.and(sd, svc);
                    if translating {
                        // As networks send them: not yet translated.
                        let fresh = s.untranslated();
                        part = s.m.and(part, fresh);
                    }
                    if translating && next(2) == 0 {
                        let to = s.top_bits(SOURCE, 32, u64::from(0x6440_0001u32));
                        part = s.translate(part, SOURCE, 32, to);
                    }
                    f = s.m.or(f, part);
                }
                let senders = s.senders(f);
                for _ in 0..5 {
                    // Often beside the senders, not only among them.
                    let mut wide = |n: u64| next(n * 8);
                    let r = s.src(&[range(&mut wide)]);
                    assert_eq!(s.meets(senders, r), s.meets(f, r));
                }
            }
        }
    }
}
