//! Scope: the sections of the one VDOM imported (the mapping's `vdom`, else the first), and the
//! global ones.

use super::common::Warnings;
use super::tree::{Block, Item, Section};
use super::{ImportError, Mapping};
use std::collections::BTreeMap;

/// The sections that apply to the imported VDOM: global ones and the VDOM's own.
pub(super) struct Scope<'a> {
    pub(super) sections: Vec<&'a Section>,
    /// `Some(name)` in a multi-VDOM configuration.
    pub(super) vdom: Option<String>,
}

impl<'a> Scope<'a> {
    pub(super) fn all(&self, path: &str) -> impl Iterator<Item = &'a Section> + '_ {
        let path = path.to_string();
        self.sections
            .iter()
            .copied()
            .filter(move |s| s.path == path)
    }

    pub(super) fn edits(&self, path: &str) -> Vec<&'a Block> {
        self.all(path).flat_map(Section::edits).collect()
    }

    /// The value of `set KEY` directly in a section without entries (`config system global`).
    pub(super) fn setting(&self, path: &str, key: &str) -> Option<String> {
        self.all(path).find_map(|s| {
            s.items.iter().rev().find_map(|i| match i {
                Item::Set { key: k, values, .. } if k == key => values.first().cloned(),
                _ => None,
            })
        })
    }
}

pub(super) fn scope<'a>(
    items: &'a [Item],
    map: &Mapping,
    warnings: &mut Warnings,
) -> Result<Scope<'a>, ImportError> {
    let mut global: Vec<&Section> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut per_vdom: BTreeMap<&str, Vec<&Section>> = BTreeMap::new();
    let mut multi = false;
    for item in items {
        match item {
            Item::Config(s) if s.path == "vdom" => {
                multi = true;
                for b in s.edits() {
                    if !names.contains(&b.name) {
                        names.push(b.name.clone());
                    }
                    let own = per_vdom.entry(b.name.as_str()).or_default();
                    own.extend(b.items.iter().filter_map(|i| match i {
                        Item::Config(c) => Some(c),
                        _ => None,
                    }));
                }
            }
            Item::Config(s) if s.path == "global" => {
                global.extend(s.items.iter().filter_map(|i| match i {
                    Item::Config(c) => Some(c),
                    _ => None,
                }));
            }
            Item::Config(s) => global.push(s),
            Item::Set { line, .. } | Item::Unset { line, .. } | Item::Other { line, .. } => {
                warnings.warn(
                    *line,
                    "statement outside any `config` section ignored".to_string(),
                )
            }
            Item::Edit(b) => warnings.warn(b.line, "`edit` outside any `config` section ignored"),
        }
    }
    if !multi {
        if let Some(v) = &map.vdom
            && v != "root"
        {
            return Err(ImportError::at_line(
                0,
                format!(
                    "the mapping asks for VDOM `{v}`, but the configuration has no VDOMs (everything is in `root`)"
                ),
            ));
        }
        return Ok(Scope {
            sections: global,
            vdom: None,
        });
    }
    let chosen = match &map.vdom {
        Some(v) if names.contains(v) => v.clone(),
        Some(v) => {
            return Err(ImportError::at_line(
                0,
                format!(
                    "the mapping asks for VDOM `{v}`, which the configuration does not have (it has: {})",
                    names.join(", ")
                ),
            ));
        }
        None => {
            let Some(first) = names.first() else {
                return Err(ImportError::at_line(0, "`config vdom` declares no VDOM"));
            };
            if names.len() > 1 {
                warnings.warn(
                    0,
                    format!(
                        "the configuration has {} VDOMs ({}); imported `{first}` only: set `vdom` in the mapping to import another",
                        names.len(),
                        names.join(", ")
                    ),
                );
            }
            first.clone()
        }
    };
    let mut sections = global;
    sections.extend(per_vdom.remove(chosen.as_str()).unwrap_or_default());
    Ok(Scope {
        sections,
        vdom: Some(chosen),
    })
}
