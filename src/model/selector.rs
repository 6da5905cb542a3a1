//! Selectors name sets of things in rules, policies and commands: `zone:lg`, `tier:mynumber`,
//! `host:fs1`, `10.1.0.0/16`, `any`, ...

use super::address::AddrRange;
use super::vocab::{DataClass, GatewayKind, HostKind, Tier};

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Selector {
    Any,
    Zone(String),
    Tier(Tier),
    Segment(String),
    Host(String),
    Kind(HostKind),
    Store(String),
    Data(DataClass),
    External(String),
    Channel(GatewayKind),
    /// An address prefix or range (`10.1.0.0/16`, `10.1.0.5`).
    Addr(AddrRange),
}

/// The selector prefixes, for messages.
pub const PREFIXES: &[&str] = &[
    "any",
    "zone:",
    "tier:",
    "segment:",
    "host:",
    "kind:",
    "store:",
    "data:",
    "external:",
    "channel:",
    "a CIDR",
];

impl Selector {
    /// Parses the text of a selector. Ids are not checked here (that needs the whole topology).
    pub fn parse(text: &str) -> Result<Selector, String> {
        let text = text.trim();
        if text == "any" {
            return Ok(Selector::Any);
        }
        let Some((prefix, rest)) = text.split_once(':') else {
            return AddrRange::parse(text).map(Selector::Addr).map_err(|e| {
                if text.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                    e
                } else {
                    format!(
                        "`{text}` is not a selector (expected {})",
                        PREFIXES.join(", ")
                    )
                }
            });
        };
        let word = |words: &[&str], what: &str| {
            format!(
                "unknown {what} `{rest}` (expected one of {})",
                words.join(", ")
            )
        };
        if rest.is_empty() {
            return Err(format!("selector `{text}` names nothing after `{prefix}:`"));
        }
        Ok(match prefix {
            "zone" => Selector::Zone(rest.into()),
            "segment" => Selector::Segment(rest.into()),
            "host" => Selector::Host(rest.into()),
            "store" => Selector::Store(rest.into()),
            "external" => Selector::External(rest.into()),
            "tier" => Selector::Tier(Tier::parse(rest).ok_or_else(|| word(Tier::WORDS, "tier"))?),
            "kind" => Selector::Kind(
                HostKind::parse(rest).ok_or_else(|| word(HostKind::WORDS, "host kind"))?,
            ),
            "data" => Selector::Data(
                DataClass::parse(rest).ok_or_else(|| word(DataClass::WORDS, "data class"))?,
            ),
            "channel" => Selector::Channel(
                GatewayKind::parse(rest).ok_or_else(|| word(GatewayKind::WORDS, "channel kind"))?,
            ),
            _ => {
                return Err(format!(
                    "unknown selector prefix `{prefix}:` (expected {})",
                    PREFIXES.join(", ")
                ));
            }
        })
    }

    /// The id a selector refers to, with what kind of thing it must be, for reference checks.
    pub fn reference(&self) -> Option<(&'static str, &str)> {
        match self {
            Selector::Zone(id) => Some(("zone", id)),
            Selector::Segment(id) => Some(("segment", id)),
            Selector::Host(id) => Some(("host", id)),
            Selector::Store(id) => Some(("store", id)),
            Selector::External(id) => Some(("external", id)),
            _ => None,
        }
    }
}

impl std::fmt::Display for Selector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Selector::Any => f.write_str("any"),
            Selector::Zone(id) => write!(f, "zone:{id}"),
            Selector::Tier(t) => write!(f, "tier:{t}"),
            Selector::Segment(id) => write!(f, "segment:{id}"),
            Selector::Host(id) => write!(f, "host:{id}"),
            Selector::Kind(k) => write!(f, "kind:{k}"),
            Selector::Store(id) => write!(f, "store:{id}"),
            Selector::Data(d) => write!(f, "data:{d}"),
            Selector::External(id) => write!(f, "external:{id}"),
            Selector::Channel(k) => write!(f, "channel:{k}"),
            Selector::Addr(r) => write!(f, "{r}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_form() {
        for s in [
            "any",
            "zone:mn",
            "tier:lgwan",
            "segment:a",
            "host:h",
            "kind:file-server",
            "store:s",
            "data:my-number",
            "external:internet",
            "channel:screen-transfer",
            "10.1.0.0/16",
            "10.1.0.5",
        ] {
            assert_eq!(Selector::parse(s).unwrap().to_string(), s);
        }
    }

    #[test]
    fn rejects_unknown_words() {
        assert!(
            Selector::parse("tier:cloud")
                .unwrap_err()
                .contains("unknown tier")
        );
        assert!(Selector::parse("room:1").unwrap_err().contains("prefix"));
        assert!(Selector::parse("zone:").is_err());
        assert!(
            Selector::parse("mn-office")
                .unwrap_err()
                .contains("not a selector")
        );
    }
}
