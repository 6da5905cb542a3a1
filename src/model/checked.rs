//! [`CheckedTopology`]: a topology in which the loader found no errors, the only way into the
//! analysis (`analysis::reach::Reachability` and everything built on it).
//!
//! The analysis indexes hosts, segments, zones and firewalls by the references a design
//! makes, and trusts that every one resolves, that interfaces sit in their segments and that
//! segments do not overlap: the loader's whole-topology checks (`load::check`) make sure of it.
//! A `CheckedTopology` says those checks ran and passed. `load` makes one
//! (`Inputs::checked`, `Loaded::checked`, `load::validate` for a design built in code);
//! nothing else does (a unit test below holds every `CheckedTopology::vouched` to `src/load`).
//! The analysis derives designs of its own from a checked one (the attacker's machines
//! added at undeclared addresses, a fix's changed rules and rights): [`CheckedTopology::derived`]
//! vouches for those, and its callers answer for keeping the design valid.

use super::Topology;

/// A topology the loader's checks passed (see the module doc). Reads as the `Topology`.
#[derive(Clone, Copy, Debug)]
pub struct CheckedTopology<'t>(&'t Topology);

impl<'t> CheckedTopology<'t> {
    /// Only `load` calls this, after its checks found no error.
    pub(crate) fn vouched(topo: &'t Topology) -> CheckedTopology<'t> {
        CheckedTopology(topo)
    }

    /// The topology itself.
    pub fn topology(self) -> &'t Topology {
        self.0
    }

    /// A design derived from this checked one by the analysis, by changes that keep every
    /// reference resolved and every address in place (hosts added at undeclared addresses,
    /// rules removed or narrowed, rights or facts taken away).
    pub fn derived<'d>(self, changed: &'d Topology) -> CheckedTopology<'d> {
        CheckedTopology(changed)
    }
}

impl std::ops::Deref for CheckedTopology<'_> {
    type Target = Topology;

    fn deref(&self) -> &Topology {
        self.0
    }
}

#[cfg(test)]
mod tests {
    /// Only the loader vouches for a topology: `vouched` is called in `src/load` alone.
    #[test]
    fn only_the_loader_vouches() {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for e in std::fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|e| e == "rs") {
                    out.push(p);
                }
            }
        }
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        walk(&src, &mut files);
        let call = ["CheckedTopology", "::vouched("].concat();
        let callers: Vec<String> = files
            .iter()
            .filter(|p| std::fs::read_to_string(p).unwrap().contains(&call))
            .map(|p| p.strip_prefix(&src).unwrap().display().to_string())
            .filter(|p| !p.starts_with("load/"))
            .collect();
        assert!(callers.is_empty(), "vouched outside src/load: {callers:?}");
    }
}
