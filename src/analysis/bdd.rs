//! A small reduced ordered binary decision diagram (BDD) package.
//!
//! Sets of packets are boolean functions over the bits of the packet header. A BDD represents
//! such a function canonically: two sets are equal exactly when their BDDs are the same node, so
//! fixpoints and subset tests are cheap, and no packet is ever enumerated. This is the usual
//! representation of header spaces in network verifiers; it is written here (rather than taken
//! from a crate) because it is small and sansou needs only a handful of operations.

/// A node id. `FALSE` (the empty set) and `TRUE` (everything) are the two terminals.
pub type Bdd = u32;
pub const FALSE: Bdd = 0;
pub const TRUE: Bdd = 1;

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Node {
    var: u16,
    lo: Bdd,
    hi: Bdd,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Op {
    And,
    Or,
    Diff,
}

/// One slot of the operation cache. `epoch` tells entries written before the last
/// [`Manager::reset`] apart (node ids are reused after a reset), so a reset need not sweep the
/// cache; it fits in the padding after `op`.
#[derive(Clone, Copy)]
struct CacheEntry {
    op: u8,
    epoch: u16,
    a: Bdd,
    b: Bdd,
    result: Bdd,
}

const EMPTY_SLOT: u32 = u32::MAX;
/// A unique-table slot holds a node id in its low `ID_BITS` bits and, above them, more bits of
/// the node's hash: a probe that passes another node's slot then rarely loads that node (on
/// a large table, a cache miss for each). Ids that outgrow the field (a manager of over 134
/// million nodes) turn the table to whole ids (`Manager::id_mask`).
const ID_BITS: u32 = 27;
const ID_MASK: u32 = (1 << ID_BITS) - 1;
const CACHE_BITS: u32 = 18;
/// An operation code no entry is written with: marks a slot free.
const NO_OP: u8 = u8::MAX;
/// Cache codes of the unary operations (the binary ones use `Op as u8`).
const OP_EXISTS: u8 = 3;
const OP_RESTRICT: u8 = 4;
const OP_RENAME: u8 = 5;
const OP_INTERSECTS: u8 = 6;
const OP_KEEP: u8 = 7;

/// Owns every node; all operations go through it.
///
/// The unique table (which makes the diagram canonical) is an open-addressing hash table of
/// node ids; the operation cache is direct-mapped and lossy, as in classic BDD packages: a
/// collision only costs a recomputation. Both avoid the allocation and rehashing of a general
/// hash map, which dominated the time of compiling large rule bases.
pub struct Manager {
    num_vars: u16,
    nodes: Vec<Node>,
    /// Slots hold node ids (`EMPTY_SLOT` when free) in the bits of `id_mask`, and hash bits
    /// above them (see `ID_BITS`); the length is a power of two.
    unique: Vec<u32>,
    /// `ID_MASK`, or every bit once ids outgrow it (no hash bits kept).
    id_mask: u32,
    cache: Vec<CacheEntry>,
    epoch: u16,
    /// [`export`](Self::export)'s working memory, kept between calls.
    scratch: ExportScratch,
}

/// A copy holds the same nodes under the same ids, and the same cached results: a thread
/// given a copy computes in it what the original would (the rules' second lane).
impl Clone for Manager {
    fn clone(&self) -> Manager {
        Manager {
            num_vars: self.num_vars,
            nodes: self.nodes.clone(),
            unique: self.unique.clone(),
            id_mask: self.id_mask,
            cache: self.cache.clone(),
            epoch: self.epoch,
            // Working memory only: all zero between calls, grown again on use.
            scratch: ExportScratch::default(),
        }
    }
}

/// Working memory of [`Manager::export`], kept rather than allocated per call: workers export
/// twice per firewall, and fresh tables the size of the manager (zeroed by the kernel, with
/// TLB shootdowns across threads) showed as a tenth of the compile time.
#[derive(Default)]
struct ExportScratch {
    /// Node id → forest id, all 0 between calls.
    ids: Vec<Bdd>,
    /// The forest's nodes while it is walked, copied out at their final size.
    nodes: Vec<(u16, Bdd, Bdd)>,
    /// Node ids copied, to reset `ids` afterwards.
    copied: Vec<Bdd>,
    stack: Vec<(Bdd, bool)>,
}

/// BDDs copied out of a manager, to be copied into another ([`Manager::export`],
/// [`Manager::import`]): the nodes reachable from the roots, children before parents, with
/// ids local to the forest (0 and 1 are the terminals, the first node is 2).
///
/// This is how work is spread over threads: one manager cannot be shared, so each worker builds
/// in its own manager, and only the results (not the intermediate sets) move to the shared one.
#[derive(Clone, Debug, Default)]
pub struct Forest {
    nodes: Vec<(u16, Bdd, Bdd)>,
    pub roots: Vec<Bdd>,
}

impl Forest {
    /// Number of inner nodes (the cost of importing it).
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }
}

/// A field being built by [`Manager::ranges_over`]: where it starts, its width, and the set
/// below it.
#[derive(Clone, Copy)]
struct Field {
    first: u16,
    width: u16,
    below: Bdd,
}

/// The hash bits a slot keeps above the id: the hash's top bits, which no table is
/// large enough to index by.
fn slot_tag(hash: u64) -> u32 {
    ((hash >> (64 - (32 - ID_BITS))) as u32) << ID_BITS
}

fn hash3(a: u32, b: u32, c: u32) -> u64 {
    let mut h = u64::from(a).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    h = (h ^ u64::from(b)).wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
    h = (h ^ u64::from(c)).wrapping_mul(0x1656_67B1_9E37_79F9);
    h ^ (h >> 29)
}

impl Manager {
    pub fn new(num_vars: u16) -> Manager {
        Manager::with_cache_bits(num_vars, CACHE_BITS)
    }

    /// A manager with an operation cache of `2^cache_bits` entries (16 bytes each): small for
    /// short-lived managers that build one firewall, large for the shared one.
    pub fn with_cache_bits(num_vars: u16, cache_bits: u32) -> Manager {
        // Terminals sit below every variable: their `var` is `num_vars`.
        let terminal = |b| Node {
            var: num_vars,
            lo: b,
            hi: b,
        };
        Manager {
            num_vars,
            nodes: vec![terminal(FALSE), terminal(TRUE)],
            unique: vec![EMPTY_SLOT; 1 << 12],
            id_mask: ID_MASK,
            cache: vec![
                CacheEntry {
                    op: NO_OP,
                    epoch: 0,
                    a: 0,
                    b: 0,
                    result: 0,
                };
                1 << cache_bits
            ],
            epoch: 0,
            scratch: ExportScratch::default(),
        }
    }

    /// Makes room for `more` nodes, so that a known amount of work does not grow the tables
    /// step by step (each step rehashes every node).
    pub fn reserve(&mut self, more: usize) {
        self.nodes.reserve(more);
        let want = ((self.nodes.len() + more) * 2).next_power_of_two();
        if want > self.unique.len() {
            self.rehash(want);
        }
    }

    /// Forgets every node but the terminals, keeping the tables' memory: a worker reuses one
    /// manager for many independent jobs. Every `Bdd` of this manager is invalid afterwards.
    pub fn reset(&mut self) {
        self.nodes.truncate(2);
        self.unique.fill(EMPTY_SLOT);
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            // The tag wrapped: entries from 65,536 resets ago would look current.
            for e in &mut self.cache {
                e.op = NO_OP;
            }
        }
    }

    /// Copies the BDDs `roots` out (see [`Forest`]).
    pub fn export(&mut self, roots: &[Bdd]) -> Forest {
        let ExportScratch {
            ids: local,
            nodes,
            copied,
            stack,
        } = &mut self.scratch;
        // local[id]: the node's id in the forest, 0 while not yet copied (no inner node maps
        // to 0, which is FALSE).
        if local.len() < self.nodes.len() {
            local.resize(self.nodes.len(), 0);
        }
        local[TRUE as usize] = TRUE;
        let mut roots_out = Vec::with_capacity(roots.len());
        for &root in roots {
            stack.push((root, false));
            while let Some((f, children_done)) = stack.pop() {
                if f <= TRUE || local[f as usize] != 0 {
                    continue;
                }
                let n = self.nodes[f as usize];
                if children_done {
                    nodes.push((n.var, local[n.lo as usize], local[n.hi as usize]));
                    local[f as usize] = nodes.len() as Bdd + 1;
                    copied.push(f);
                } else {
                    stack.push((f, true));
                    stack.push((n.hi, false));
                    stack.push((n.lo, false));
                }
            }
            roots_out.push(local[root as usize]);
        }
        for f in copied.drain(..) {
            local[f as usize] = 0;
        }
        local[TRUE as usize] = 0;
        let forest = Forest {
            nodes: nodes.as_slice().to_vec(),
            roots: roots_out,
        };
        nodes.clear();
        forest
    }

    /// Copies a forest in; returns its roots as BDDs of this manager, in order.
    pub fn import(&mut self, forest: &Forest) -> Vec<Bdd> {
        assert!(
            forest.nodes.iter().all(|&(var, _, _)| var < self.num_vars),
            "a forest from a manager with more variables"
        );
        let mut ids: Vec<Bdd> = Vec::with_capacity(forest.nodes.len() + 2);
        ids.extend([FALSE, TRUE]);
        for &(var, lo, hi) in &forest.nodes {
            let id = self.mk(var, ids[lo as usize], ids[hi as usize]);
            ids.push(id);
        }
        forest.roots.iter().map(|&r| ids[r as usize]).collect()
    }

    pub fn num_vars(&self) -> u16 {
        self.num_vars
    }

    /// Number of nodes ever made (a measure of work and memory).
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// The bytes a copy of the manager takes: its nodes, unique table and operation cache.
    pub fn footprint(&self) -> usize {
        self.nodes.len() * std::mem::size_of::<Node>()
            + self.unique.len() * std::mem::size_of_val(&EMPTY_SLOT)
            + self.cache.len() * std::mem::size_of::<CacheEntry>()
    }

    fn mk(&mut self, var: u16, lo: Bdd, hi: Bdd) -> Bdd {
        if lo == hi {
            return lo;
        }
        if self.id_mask == ID_MASK && self.nodes.len() >= ID_MASK as usize {
            // The next id would not fit beside the hash bits (nor differ from `EMPTY_SLOT`).
            self.id_mask = u32::MAX;
            self.rehash(self.unique.len());
        }
        let node = Node { var, lo, hi };
        let mask = self.unique.len() - 1;
        let hash = hash3(u32::from(var), lo, hi);
        let mut slot = hash as usize & mask;
        let tag = slot_tag(hash) & !self.id_mask;
        loop {
            match self.unique[slot] {
                EMPTY_SLOT => break,
                v if v & !self.id_mask == tag
                    && self.nodes[(v & self.id_mask) as usize] == node =>
                {
                    return v & self.id_mask;
                }
                _ => slot = (slot + 1) & mask,
            }
        }
        let id = self.nodes.len() as Bdd;
        self.nodes.push(node);
        self.unique[slot] = id | tag;
        // Keep the table at most half full so probes stay short.
        if self.nodes.len() * 2 > self.unique.len() {
            self.grow_unique();
        }
        id
    }

    fn grow_unique(&mut self) {
        self.rehash(self.unique.len() * 2);
    }

    fn rehash(&mut self, size: usize) {
        let mask = size - 1;
        let mut table = vec![EMPTY_SLOT; size];
        for (id, n) in self.nodes.iter().enumerate().skip(2) {
            let hash = hash3(u32::from(n.var), n.lo, n.hi);
            let mut slot = hash as usize & mask;
            while table[slot] != EMPTY_SLOT {
                slot = (slot + 1) & mask;
            }
            table[slot] = id as u32 | (slot_tag(hash) & !self.id_mask);
        }
        self.unique = table;
    }

    /// The set where bit `var` is 1.
    pub fn var(&mut self, var: u16) -> Bdd {
        self.mk(var, FALSE, TRUE)
    }

    fn apply(&mut self, op: Op, a: Bdd, b: Bdd) -> Bdd {
        // Terminal cases.
        match op {
            Op::And => {
                if a == FALSE || b == FALSE {
                    return FALSE;
                }
                if a == TRUE || a == b {
                    return b;
                }
                if b == TRUE {
                    return a;
                }
            }
            Op::Or => {
                if a == TRUE || b == TRUE {
                    return TRUE;
                }
                if a == FALSE || a == b {
                    return b;
                }
                if b == FALSE {
                    return a;
                }
            }
            Op::Diff => {
                if a == FALSE || b == TRUE || a == b {
                    return FALSE;
                }
                if b == FALSE {
                    return a;
                }
            }
        }
        // And and Or are symmetric: order the operands so both orders share a cache entry.
        let (a, b) = if op != Op::Diff && a > b {
            (b, a)
        } else {
            (a, b)
        };
        let op_code = op as u8;
        // One slot computation serves the look-up and the store.
        let slot = self.cache_slot(op_code, a, b);
        let e = self.cache[slot];
        if e.op == op_code && e.epoch == self.epoch && e.a == a && e.b == b {
            return e.result;
        }
        let (var, (a0, a1), (b0, b1)) = self.cofactors(a, b);
        let lo = self.apply(op, a0, b0);
        let hi = self.apply(op, a1, b1);
        let r = self.mk(var, lo, hi);
        self.cache[slot] = CacheEntry {
            op: op_code,
            epoch: self.epoch,
            a,
            b,
            result: r,
        };
        r
    }

    /// The top variable of two nodes and each one's halves below it (a node that does not
    /// test it is both of its halves).
    #[inline]
    fn cofactors(&self, a: Bdd, b: Bdd) -> (u16, (Bdd, Bdd), (Bdd, Bdd)) {
        let (na, nb) = (self.nodes[a as usize], self.nodes[b as usize]);
        let var = na.var.min(nb.var);
        let halves = |n: Node, f: Bdd| if n.var == var { (n.lo, n.hi) } else { (f, f) };
        (var, halves(na, a), halves(nb, b))
    }

    pub fn and(&mut self, a: Bdd, b: Bdd) -> Bdd {
        self.apply(Op::And, a, b)
    }

    pub fn or(&mut self, a: Bdd, b: Bdd) -> Bdd {
        self.apply(Op::Or, a, b)
    }

    /// `a` without `b`.
    pub fn diff(&mut self, a: Bdd, b: Bdd) -> Bdd {
        self.apply(Op::Diff, a, b)
    }

    pub fn not(&mut self, a: Bdd) -> Bdd {
        self.diff(TRUE, a)
    }

    /// f with the `width` variables from `from` renamed to those from `to`, which f must not
    /// depend on (address translation keeps a packet's original address in a field of its own).
    /// A node whose new variable comes before both its children's is made directly; any other
    /// is rebuilt with `ite` on its new variable, which is right whatever the order of the two
    /// fields. Below the field nothing changes, so the walk stops there. Results are memoized in
    /// the operation cache, like [`exists`](Self::exists).
    pub fn rename(&mut self, f: Bdd, from: u16, width: u16, to: u16) -> Bdd {
        // The operation cache's key holds each in a byte.
        assert!(
            from + width <= 256 && to + width <= 256,
            "fields within 256 variables"
        );
        self.rename_in(f, (from, width, to))
    }

    fn rename_in(&mut self, f: Bdd, fields: (u16, u16, u16)) -> Bdd {
        let (from, width, to) = fields;
        let n = self.nodes[f as usize];
        // Terminals too: their variable is `num_vars`.
        if n.var >= from + width {
            return f;
        }
        let key = (u32::from(from) << 16) | (u32::from(width) << 8) | u32::from(to);
        if let Some(r) = self.cached(OP_RENAME, f, key) {
            return r;
        }
        let lo = self.rename_in(n.lo, fields);
        let hi = self.rename_in(n.hi, fields);
        let var = if n.var >= from {
            to + (n.var - from)
        } else {
            n.var
        };
        let r = if var < self.nodes[lo as usize].var && var < self.nodes[hi as usize].var {
            self.mk(var, lo, hi)
        } else {
            let x = self.var(var);
            self.ite(x, hi, lo)
        };
        self.remember(OP_RENAME, f, key, r);
        r
    }

    /// The set where the `width`-bit fields at `a` and `b` hold the same value.
    pub fn equal_fields(&mut self, a: u16, b: u16, width: u16) -> Bdd {
        let mut all = TRUE;
        for i in (0..width).rev() {
            let (x, y) = (self.var(a + i), self.var(b + i));
            let not_y = self.not(y);
            let same = self.ite(x, y, not_y);
            all = self.and(all, same);
        }
        all
    }

    /// `c ? t : e`.
    pub fn ite(&mut self, c: Bdd, t: Bdd, e: Bdd) -> Bdd {
        let ct = self.and(c, t);
        let ce = self.diff(e, c);
        self.or(ct, ce)
    }

    /// Whether `a ∧ b` is not empty, without building it: the walk stops at the first
    /// assignment both hold, and what it learns of each pair of nodes is memoized in the
    /// operation cache (as `TRUE` or `FALSE`), like the binary operations.
    pub fn intersects(&mut self, a: Bdd, b: Bdd) -> bool {
        if a == FALSE || b == FALSE {
            return false;
        }
        // A set that is not empty meets everything; a set meets itself.
        if a == TRUE || b == TRUE || a == b {
            return true;
        }
        let (a, b) = if a > b { (b, a) } else { (a, b) };
        if let Some(r) = self.cached(OP_INTERSECTS, a, b) {
            return r == TRUE;
        }
        let (_, (a0, a1), (b0, b1)) = self.cofactors(a, b);
        let r = self.intersects(a0, b0) || self.intersects(a1, b1);
        self.remember(OP_INTERSECTS, a, b, if r { TRUE } else { FALSE });
        r
    }

    /// Whether `a ⊆ b`.
    pub fn subset(&mut self, a: Bdd, b: Bdd) -> bool {
        self.diff(a, b) == FALSE
    }

    /// ∃ vars in `first..last`: f. Used to project a set of packets onto some header fields.
    pub fn exists(&mut self, f: Bdd, first: u16, last: u16) -> Bdd {
        let n = self.nodes[f as usize];
        if f <= TRUE || n.var >= last {
            return f;
        }
        if n.var >= first && last >= self.num_vars {
            // Every variable f depends on is quantified, and f is not empty.
            return TRUE;
        }
        // Results are memoized in the operation cache (keyed by the variable range), like
        // the binary operations: no table to allocate per call, and repeated projections of
        // related sets (the matrix projects one per area) share their work.
        let key = (u32::from(first) << 16) | u32::from(last);
        if let Some(r) = self.cached(OP_EXISTS, f, key) {
            return r;
        }
        let lo = self.exists(n.lo, first, last);
        let r = if n.var >= first {
            // Everything already: the other branch cannot add to it.
            if lo == TRUE {
                TRUE
            } else {
                let hi = self.exists(n.hi, first, last);
                self.or(lo, hi)
            }
        } else {
            let hi = self.exists(n.hi, first, last);
            self.rebuilt(f, n, lo, hi)
        };
        self.remember(OP_EXISTS, f, key, r);
        r
    }

    /// f with every variable outside the `keep` ranges (half-open, at most two; an empty
    /// range keeps nothing) quantified away, in one pass: what [`exists`](Self::exists) over
    /// each gap in turn gives, without building the sets in between (each of those passes
    /// rebuilt every node above its gap, and the unions above a field were of sets still
    /// holding the fields below it). Every bound must be below 256.
    pub fn keep_only(&mut self, f: Bdd, keep: [(u16, u16); 2]) -> Bdd {
        let [(a0, a1), (b0, b1)] = keep;
        assert!(
            a0 <= a1 && b0 <= b1 && a1 < 256 && b1 < 256,
            "ranges within 256 variables"
        );
        let key =
            (u32::from(a0) << 24) | (u32::from(a1) << 16) | (u32::from(b0) << 8) | u32::from(b1);
        self.keep_in(f, keep, a1.max(b1), key)
    }

    fn keep_in(&mut self, f: Bdd, keep: [(u16, u16); 2], end: u16, key: u32) -> Bdd {
        let n = self.nodes[f as usize];
        if f <= TRUE {
            return f;
        }
        if n.var >= end {
            // Every variable f depends on is quantified, and f is not empty.
            return TRUE;
        }
        if let Some(r) = self.cached(OP_KEEP, f, key) {
            return r;
        }
        let [(a0, a1), (b0, b1)] = keep;
        let kept = (a0..a1).contains(&n.var) || (b0..b1).contains(&n.var);
        let lo = self.keep_in(n.lo, keep, end, key);
        let r = if kept {
            let hi = self.keep_in(n.hi, keep, end, key);
            self.rebuilt(f, n, lo, hi)
        } else if lo == TRUE {
            // Everything already: the other branch cannot add to it.
            TRUE
        } else {
            let hi = self.keep_in(n.hi, keep, end, key);
            self.or(lo, hi)
        };
        self.remember(OP_KEEP, f, key, r);
        r
    }

    /// Node `f` (`n`) with its children replaced by `lo` and `hi`: `f` itself when they are
    /// its own, without looking the node up again (the unique table is large and its slots
    /// scattered, and projections and restrictions leave most nodes above their cut as they
    /// were).
    fn rebuilt(&mut self, f: Bdd, n: Node, lo: Bdd, hi: Bdd) -> Bdd {
        if lo == n.lo && hi == n.hi {
            f
        } else {
            self.mk(n.var, lo, hi)
        }
    }

    /// f with bit `var` fixed to `value`.
    pub fn restrict(&mut self, f: Bdd, var: u16, value: bool) -> Bdd {
        let n = self.nodes[f as usize];
        if f <= TRUE || n.var > var {
            return f;
        }
        if n.var == var {
            return if value { n.hi } else { n.lo };
        }
        let key = (u32::from(var) << 1) | u32::from(value);
        if let Some(r) = self.cached(OP_RESTRICT, f, key) {
            return r;
        }
        let lo = self.restrict(n.lo, var, value);
        let hi = self.restrict(n.hi, var, value);
        let r = self.rebuilt(f, n, lo, hi);
        self.remember(OP_RESTRICT, f, key, r);
        r
    }

    fn cache_slot(&self, op: u8, a: Bdd, b: u32) -> usize {
        hash3(u32::from(op), a, b) as usize & (self.cache.len() - 1)
    }

    fn cached(&self, op: u8, a: Bdd, b: u32) -> Option<Bdd> {
        let e = self.cache[self.cache_slot(op, a, b)];
        (e.op == op && e.epoch == self.epoch && e.a == a && e.b == b).then_some(e.result)
    }

    fn remember(&mut self, op: u8, a: Bdd, b: u32, result: Bdd) {
        let slot = self.cache_slot(op, a, b);
        self.cache[slot] = CacheEntry {
            op,
            epoch: self.epoch,
            a,
            b,
            result,
        };
    }

    /// The set where the `width`-bit field starting at `first` (most significant bit first)
    /// holds a value in `lo..=hi`.
    pub fn range(&mut self, first: u16, width: u16, lo: u64, hi: u64) -> Bdd {
        if lo > hi {
            return FALSE;
        }
        let ge = self.bound(first, width, lo, true);
        let le = self.bound(first, width, hi, false);
        self.and(ge, le)
    }

    /// The set where the `width`-bit field starting at `first` holds a value in one of
    /// `ranges` (inclusive, in any order, overlaps allowed).
    ///
    /// Built in one pass down the field's bits, halving the value space at each bit, rather
    /// than as a union of one set per range: a union of n ranges built range by range redoes
    /// the growing set n times, which made large address sets (a tier, the internet's home
    /// around a thousand segments) a visible part of compiling rule lists.
    pub fn ranges(&mut self, first: u16, width: u16, ranges: &[(u64, u64)]) -> Bdd {
        self.ranges_over(first, width, ranges, TRUE)
    }

    /// [`ranges`](Self::ranges) ∧ `below`, where `below` tests only variables after the
    /// field: built in the same one pass, with `below` where the field's set has its `TRUE`
    /// leaf, so a rule's match (destination over source over service) is made node by node
    /// rather than by intersecting sets each made on its own.
    pub fn ranges_over(
        &mut self,
        first: u16,
        width: u16,
        ranges: &[(u64, u64)],
        below: Bdd,
    ) -> Bdd {
        debug_assert!(below <= TRUE || self.nodes[below as usize].var >= first + width);
        if below == FALSE {
            return FALSE;
        }
        let mut sorted: Vec<(u64, u64)> = ranges.iter().copied().filter(|r| r.0 <= r.1).collect();
        sorted.sort_unstable();
        let mut merged: Vec<(u64, u64)> = Vec::with_capacity(sorted.len());
        for (lo, hi) in sorted {
            match merged.last_mut() {
                Some(last) if lo <= last.1.saturating_add(1) => last.1 = last.1.max(hi),
                _ => merged.push((lo, hi)),
            }
        }
        let field = Field {
            first,
            width,
            below,
        };
        self.ranges_rec(field, 0, 0, &merged)
    }

    /// The block of values sharing the `depth` leading bits of `base`, given the sorted,
    /// disjoint ranges that overlap it.
    fn ranges_rec(&mut self, field: Field, depth: u16, base: u64, ranges: &[(u64, u64)]) -> Bdd {
        let Some(&(lo, hi)) = ranges.first() else {
            return FALSE;
        };
        let Field {
            first,
            width,
            below,
        } = field;
        let last = base + ((1u64 << (width - depth)) - 1);
        if lo <= base && hi >= last {
            return below;
        }
        let mid = base + (1u64 << (width - depth - 1));
        let left = &ranges[..ranges.partition_point(|r| r.0 < mid)];
        let right = &ranges[ranges.partition_point(|r| r.1 < mid)..];
        let l = self.ranges_rec(field, depth + 1, base, left);
        let h = self.ranges_rec(field, depth + 1, mid, right);
        self.mk(first + depth, l, h)
    }

    /// `field >= value` (when `ge`) or `field <= value`, built from the least significant bit up.
    fn bound(&mut self, first: u16, width: u16, value: u64, ge: bool) -> Bdd {
        let mut f = TRUE;
        for i in (0..width).rev() {
            let bit = (value >> (width - 1 - i)) & 1 == 1;
            let var = first + i;
            f = match (ge, bit) {
                // >= with bit 1: this bit must be 1 and the rest >= ; with bit 0: 1 here wins.
                (true, true) => self.mk(var, FALSE, f),
                (true, false) => self.mk(var, f, TRUE),
                // <= with bit 0: this bit must be 0 and the rest <= ; with bit 1: 0 here wins.
                (false, false) => self.mk(var, f, FALSE),
                (false, true) => self.mk(var, TRUE, f),
            };
        }
        f
    }

    /// One element of `f`: the least assignment in variable order (unconstrained bits are 0).
    pub fn sat_one(&self, f: Bdd) -> Option<Vec<bool>> {
        if f == FALSE {
            return None;
        }
        let mut bits = vec![false; self.num_vars as usize];
        let mut n = f;
        while n > TRUE {
            let node = self.nodes[n as usize];
            if node.lo != FALSE {
                n = node.lo;
            } else {
                bits[node.var as usize] = true;
                n = node.hi;
            }
        }
        Some(bits)
    }

    /// The values of a `width`-bit field (starting at `first`) in a set that tests no variable
    /// outside the field, as sorted, merged inclusive intervals.
    pub fn field_intervals(&self, f: Bdd, first: u16, width: u16) -> Vec<(u64, u64)> {
        let mut out: Vec<(u64, u64)> = Vec::new();
        self.intervals_rec(f, first, width, 0, 0, &mut out);
        out
    }

    fn intervals_rec(
        &self,
        f: Bdd,
        first: u16,
        width: u16,
        depth: u16,
        prefix: u64,
        out: &mut Vec<(u64, u64)>,
    ) {
        if f == FALSE {
            return;
        }
        let free = width - depth;
        if f == TRUE {
            let lo = prefix << free;
            let hi = lo | ((1u64 << free) - 1);
            match out.last_mut() {
                Some(last) if last.1 + 1 == lo => last.1 = hi,
                _ => out.push((lo, hi)),
            }
            return;
        }
        let node = self.nodes[f as usize];
        let var = first + depth;
        debug_assert!(node.var >= var, "set tests a variable before the field");
        let (lo, hi) = if node.var == var {
            (node.lo, node.hi)
        } else {
            (f, f)
        };
        self.intervals_rec(lo, first, width, depth + 1, prefix << 1, out);
        self.intervals_rec(hi, first, width, depth + 1, (prefix << 1) | 1, out);
    }

    /// Whether a concrete assignment lies in `f`.
    pub fn contains(&self, f: Bdd, bits: &[bool]) -> bool {
        let mut n = f;
        while n > TRUE {
            let node = self.nodes[n as usize];
            n = if bits[node.var as usize] {
                node.hi
            } else {
                node.lo
            };
        }
        n == TRUE
    }

    /// Forgets cached operation results (nodes stay valid). The cache is lossy and bounded, so
    /// this is only needed to make timings independent of earlier work.
    pub fn clear_caches(&mut self) {
        for e in &mut self.cache {
            e.op = NO_OP;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every value of a 6-bit field, checked against the set by brute force.
    fn members(m: &Manager, f: Bdd) -> Vec<u64> {
        (0..64u64)
            .filter(|v| {
                let bits: Vec<bool> = (0..6).map(|i| (v >> (5 - i)) & 1 == 1).collect();
                m.contains(f, &bits)
            })
            .collect()
    }

    #[test]
    fn keeping_some_variables_equals_quantifying_the_others_by_brute_force() {
        // Random sets over 10 variables, projected onto up to two ranges of them in one pass:
        // the same node as quantifying each gap with `exists`, and by brute force the set of
        // assignments that agree on the kept variables with some member.
        const N: u16 = 10;
        let bits_of =
            |v: u64| -> Vec<bool> { (0..N).map(|i| (v >> (N - 1 - i)) & 1 == 1).collect() };
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for case in 0..300 {
            let mut m = Manager::with_cache_bits(N, 6);
            let mut f = FALSE;
            for _ in 0..(next() % 8) {
                let mut cube = TRUE;
                for v in 0..N {
                    match next() % 3 {
                        0 => {
                            let x = m.var(v);
                            cube = m.and(cube, x);
                        }
                        1 => {
                            let x = m.var(v);
                            let not = m.not(x);
                            cube = m.and(cube, not);
                        }
                        _ => {}
                    }
                }
                f = m.or(f, cube);
            }
            let mut bound = || (next() % u64::from(N + 1)) as u16;
            let (mut a0, mut a1, mut b0, mut b1) = (bound(), bound(), bound(), bound());
            if a0 > a1 {
                std::mem::swap(&mut a0, &mut a1);
            }
            if b0 > b1 {
                std::mem::swap(&mut b0, &mut b1);
            }
            if case % 4 == 0 {
                b0 = b1;
            }
            let kept = |v: u16| (a0..a1).contains(&v) || (b0..b1).contains(&v);
            let g = m.keep_only(f, [(a0, a1), (b0, b1)]);
            // Quantify every maximal run of variables that is not kept, one `exists` each.
            let mut by_exists = f;
            let mut v = 0;
            while v < N {
                if kept(v) {
                    v += 1;
                    continue;
                }
                let first = v;
                while v < N && !kept(v) {
                    v += 1;
                }
                by_exists = m.exists(by_exists, first, v);
            }
            assert_eq!(g, by_exists, "case {case}: keep {a0}..{a1}, {b0}..{b1}");
            let mask: u64 = (0..N)
                .filter(|&v| kept(v))
                .map(|v| 1u64 << (N - 1 - v))
                .sum();
            let members: Vec<u64> = (0..1u64 << N)
                .filter(|&x| m.contains(f, &bits_of(x)))
                .collect();
            for x in 0..1u64 << N {
                let want = members.iter().any(|&y| y & mask == x & mask);
                assert_eq!(m.contains(g, &bits_of(x)), want, "case {case}: {x:b}");
            }
        }
    }

    #[test]
    fn renaming_moves_a_field_below_another_and_keeps_the_relation() {
        // Fields: a (bits 0-2), b (3-5), c (6-8). A relation between a and b, renamed a → c,
        // must hold the same pairs between c and b, brute force over every value.
        let mut m = Manager::new(9);
        let mut f = FALSE;
        for (x, y) in [(1u64, 5u64), (2, 2), (7, 0), (3, 6)] {
            let a = m.range(0, 3, x, x);
            let b = m.range(3, 3, y, y);
            let ab = m.and(a, b);
            f = m.or(f, ab);
        }
        let g = m.rename(f, 0, 3, 6);
        for v in 0..512u64 {
            let bits: Vec<bool> = (0..9).map(|i| (v >> (8 - i)) & 1 == 1).collect();
            let (a, b, c) = (v >> 6, (v >> 3) & 7, v & 7);
            let in_f = m.contains(f, &bits);
            let want_f = [(1, 5), (2, 2), (7, 0), (3, 6)].contains(&(a, b));
            assert_eq!(in_f, want_f);
            let want_g = [(1, 5), (2, 2), (7, 0), (3, 6)].contains(&(c, b));
            assert_eq!(m.contains(g, &bits), want_g, "a={a} b={b} c={c}");
        }
        let eq = m.equal_fields(0, 6, 3);
        for v in 0..512u64 {
            let bits: Vec<bool> = (0..9).map(|i| (v >> (8 - i)) & 1 == 1).collect();
            assert_eq!(m.contains(eq, &bits), v >> 6 == v & 7);
        }
    }

    #[test]
    fn renaming_either_way_equals_brute_force_on_random_relations() {
        // Fields a (bits 0-2), b (3-5), c (6-8). A random set over two of them, renamed onto
        // the third (down past b: a → c; up past b: c → a), must hold exactly the renamed
        // members, brute force over all 512 values.
        let bits_of = |v: u64| -> Vec<bool> { (0..9).map(|i| (v >> (8 - i)) & 1 == 1).collect() };
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for case in 0..200 {
            let mut m = Manager::new(9);
            // (from, to, the field left alone besides b)
            let (from, to) = if case % 2 == 0 { (0, 6) } else { (6, 0) };
            let mut f = FALSE;
            let mut pairs = Vec::new();
            for _ in 0..(next() % 12) {
                let (x, y) = (next() % 8, next() % 8);
                let (lo, hi) = (next() % 8, next() % 8);
                let x_set = m.range(from, 3, x, x);
                let y_set = m.range(3, 3, y.min(lo), y.max(hi));
                let both = m.and(x_set, y_set);
                f = m.or(f, both);
                pairs.push((x, y.min(lo), y.max(hi)));
            }
            let g = m.rename(f, from, 3, to);
            for v in 0..512u64 {
                let (a, b, c) = (v >> 6, (v >> 3) & 7, v & 7);
                let renamed = if from == 0 { c } else { a };
                let want = pairs
                    .iter()
                    .any(|&(x, lo, hi)| x == renamed && lo <= b && b <= hi);
                assert_eq!(
                    m.contains(g, &bits_of(v)),
                    want,
                    "case {case}: a={a} b={b} c={c}"
                );
            }
        }
    }

    #[test]
    fn ranges_hold_exactly_their_values() {
        let mut m = Manager::new(6);
        for lo in 0..64 {
            for hi in lo..64 {
                let f = m.range(0, 6, lo, hi);
                assert_eq!(members(&m, f), (lo..=hi).collect::<Vec<_>>());
                assert_eq!(m.field_intervals(f, 0, 6), vec![(lo, hi)]);
            }
        }
    }

    #[test]
    fn range_lists_hold_exactly_their_values() {
        let mut m = Manager::new(6);
        let lists: [&[(u64, u64)]; 5] = [
            &[],
            &[(0, 63)],
            &[(40, 50), (3, 9), (10, 12), (62, 63)],
            &[(5, 20), (8, 30), (31, 31)],
            &[(7, 7), (9, 9), (33, 32)],
        ];
        for list in lists {
            let f = m.ranges(0, 6, list);
            let want: Vec<u64> = (0..64)
                .filter(|v| list.iter().any(|r| r.0 <= *v && *v <= r.1))
                .collect();
            assert_eq!(members(&m, f), want, "{list:?}");
            // The same set as the union of single ranges (canonical: the same node).
            let mut union = FALSE;
            for &(lo, hi) in list {
                let r = m.range(0, 6, lo, hi);
                union = m.or(union, r);
            }
            assert_eq!(f, union);
        }
    }

    #[test]
    fn set_operations_match_brute_force() {
        let mut m = Manager::new(6);
        let a = m.range(0, 6, 3, 40);
        let b = m.range(0, 6, 20, 63);
        let and = m.and(a, b);
        let or = m.or(a, b);
        let diff = m.diff(a, b);
        let not = m.not(a);
        assert_eq!(members(&m, and), (20..=40).collect::<Vec<_>>());
        assert_eq!(members(&m, or), (3..=63).collect::<Vec<_>>());
        assert_eq!(members(&m, diff), (3..20).collect::<Vec<_>>());
        assert_eq!(m.field_intervals(not, 0, 6), vec![(0, 2), (41, 63)]);
        assert!(m.subset(and, a) && !m.subset(a, and));
        // Canonical: the same set built two ways is the same node.
        let again = m.range(0, 6, 20, 40);
        assert_eq!(and, again);
    }

    #[test]
    fn the_unique_table_stays_canonical_when_it_turns_to_whole_ids() {
        // Tagged slots until ids outgrow the tag's field, whole ids after: every set built
        // before the switch is found again after it, and new sets are canonical either way.
        let mut m = Manager::new(8);
        let before: Vec<Bdd> = (0..40).map(|i| m.range(0, 8, i * 3, i * 5 + 7)).collect();
        let unions: Vec<Bdd> = before.windows(2).map(|w| m.or(w[0], w[1])).collect();
        m.id_mask = u32::MAX;
        m.rehash(m.unique.len());
        for (i, &set) in before.iter().enumerate() {
            let i = i as u64;
            assert_eq!(m.range(0, 8, i * 3, i * 5 + 7), set);
        }
        m.cache.iter_mut().for_each(|e| e.op = NO_OP);
        for (w, &u) in before.windows(2).zip(&unions) {
            assert_eq!(m.or(w[0], w[1]), u);
        }
        let a = m.range(0, 8, 100, 200);
        let b = m.range(0, 8, 150, 250);
        let and = m.and(a, b);
        assert_eq!(m.field_intervals(and, 0, 8), vec![(150, 200)]);
        assert_eq!(m.range(0, 8, 150, 200), and);
    }

    #[test]
    fn intersects_is_a_non_empty_intersection() {
        // Random unions of ranges over 6 bits, against a brute-force look at their members;
        // also across a small cache, so entries are overwritten while the walks go on.
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for cache_bits in [4, 18] {
            let mut m = Manager::with_cache_bits(6, cache_bits);
            let mut sets = vec![FALSE, TRUE];
            for _ in 0..60 {
                let mut f = FALSE;
                for _ in 0..1 + next(4) {
                    let lo = next(64);
                    let hi = (lo + next(12)).min(63);
                    let r = m.range(0, 6, lo, hi);
                    f = m.or(f, r);
                }
                sets.push(f);
            }
            for &a in &sets {
                for &b in &sets {
                    let (ma, mb) = (members(&m, a), members(&m, b));
                    let expected = ma.iter().any(|x| mb.contains(x));
                    assert_eq!(m.intersects(a, b), expected);
                }
            }
        }
    }

    #[test]
    fn forests_carry_sets_between_managers() {
        let mut a = Manager::with_cache_bits(6, 8);
        let x = a.range(0, 6, 3, 40);
        let y = a.range(0, 6, 20, 63);
        let both = a.and(x, y);
        let forest = a.export(&[x, both, FALSE, TRUE, x]);
        let mut b = Manager::new(6);
        // Something already in the target shares its nodes with what comes in.
        let already = b.range(0, 6, 3, 40);
        let roots = b.import(&forest);
        assert_eq!(roots[0], already);
        assert_eq!(members(&b, roots[1]), (20..=40).collect::<Vec<_>>());
        assert_eq!(&roots[2..], &[FALSE, TRUE, already]);
        // After a reset the source builds the same sets afresh.
        a.reset();
        assert_eq!(a.node_count(), 2);
        let again = a.range(0, 6, 20, 40);
        assert_eq!(members(&a, again), (20..=40).collect::<Vec<_>>());
    }

    #[test]
    fn exists_projects_and_sat_one_finds_the_least_member() {
        // Two 3-bit fields x (vars 0-2) and y (vars 3-5); the set x in 2..=5 and y in 4..=6.
        let mut m = Manager::new(6);
        let x = m.range(0, 3, 2, 5);
        let y = m.range(3, 3, 4, 6);
        let both = m.and(x, y);
        let only_y = m.exists(both, 0, 3);
        assert_eq!(only_y, y);
        let bits = m.sat_one(both).unwrap();
        let value = |from: usize| {
            bits[from..from + 3]
                .iter()
                .fold(0, |v, b| v * 2 + u64::from(*b))
        };
        assert_eq!((value(0), value(3)), (2, 4));
        // x with its top bit set holds 4 and 5: the two low bits are 0 and anything.
        let v1 = m.var(1);
        let low_zero = m.not(v1);
        assert_eq!(m.restrict(x, 0, true), low_zero);
        assert!(m.sat_one(FALSE).is_none());
    }
}
