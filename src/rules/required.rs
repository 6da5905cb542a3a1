//! Outcomes from facts a design states about one subject: each requirement is met, not met
//! (the finding lists what is wrong), or not stated (*unknown*, never a pass). Most rules
//! about hosts, services, accounts and the organisation are a list of such requirements.

use super::{Outcome, Text};
use crate::source::Loc;

/// One requirement on a subject.
pub struct Need {
    /// The key as written in the design (`antivirus`), named when it is not stated.
    pub key: String,
    /// Whether it is met; `None` when the design does not say.
    pub met: Option<bool>,
    /// What the design says, shown when it is not met (`antivirus = false`).
    pub shown: String,
}

impl Need {
    /// A boolean fact that must be `want`.
    pub fn flag(key: &'static str, value: Option<bool>, want: bool) -> Need {
        Need {
            key: key.to_string(),
            met: value.map(|v| v == want),
            shown: format!("{key} = {}", value.unwrap_or(!want)),
        }
    }

    /// A fact that must be stated at all (any value meets it).
    pub fn stated(key: &'static str, present: bool) -> Need {
        Need {
            key: key.to_string(),
            met: present.then_some(true),
            shown: String::new(),
        }
    }

    pub fn new(key: impl Into<String>, met: Option<bool>, shown: impl Into<String>) -> Need {
        Need {
            key: key.into(),
            met,
            shown: shown.into(),
        }
    }
}

/// Fails when a requirement is not met, is unknown when one is not stated, else passes.
/// `what` names the subject in both languages (`端末 pc` / `terminal pc`) and `rule` says
/// what is required.
pub fn judge(
    subject: impl Into<String>,
    loc: Option<Loc>,
    what: (&str, &str),
    rule: (&str, &str),
    needs: &[Need],
) -> Outcome {
    let unmet: Vec<&str> = needs
        .iter()
        .filter(|n| n.met == Some(false))
        .map(|n| n.shown.as_str())
        .collect();
    let missing: Vec<&str> = needs
        .iter()
        .filter(|n| n.met.is_none())
        .map(|n| n.key.as_str())
        .collect();
    if !unmet.is_empty() {
        let list = unmet.join(", ");
        return Outcome::fail(
            subject,
            loc,
            Text::new(
                format!("{} は{}を満たさない ({list})", what.0, rule.0),
                format!("{} does not meet {} ({list})", what.1, rule.1),
            ),
        );
    }
    if !missing.is_empty() {
        let list = missing.join(", ");
        return Outcome::unknown(
            subject,
            loc,
            Text::new(
                format!("{} に {list} の記載が無い", what.0),
                format!("{} does not state {list}", what.1),
            ),
        );
    }
    Outcome::pass(subject, loc)
}

/// The date one year before `today` (`YYYY-MM-DD`); dates compare as strings.
pub fn year_before(today: &str) -> String {
    let year: i32 = today.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0);
    format!("{:04}{}", year - 1, today.get(4..).unwrap_or(""))
}

/// Whether a declared service covers another (same protocol, ports inside).
pub fn covers(declared: &crate::model::Service, s: &crate::model::Service) -> bool {
    use crate::model::Service;
    match (declared, s) {
        (Service::Any, _) => true,
        (Service::Proto { .. }, Service::Any) => false,
        (Service::Proto { proto: p, ports: a }, Service::Proto { proto: q, ports: b }) => {
            p == q && a.first <= b.first && b.last <= a.last
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Verdict;

    #[test]
    fn unmet_fails_before_missing_is_unknown() {
        let what = ("x", "x");
        let needs = [
            Need::flag("a", None, true),
            Need::flag("b", Some(false), true),
        ];
        let o = judge("s", None, what, what, &needs);
        assert_eq!(o.verdict, Verdict::Fail);
        assert!(o.message.en.contains("b = false"), "{}", o.message.en);
        let o = judge("s", None, what, what, &needs[..1]);
        assert_eq!(o.verdict, Verdict::Unknown);
        let o = judge("s", None, what, what, &[Need::flag("a", Some(true), true)]);
        assert_eq!(o.verdict, Verdict::Pass);
    }

    #[test]
    fn services_cover_by_protocol_and_port_range() {
        let s = |t: &str| crate::model::Service::parse(t).unwrap();
        assert!(covers(&s("tcp/400-500"), &s("tcp/443")));
        assert!(!covers(&s("tcp/443"), &s("udp/443")));
        assert!(!covers(&s("tcp/443"), &s("tcp")));
        assert!(covers(&s("any"), &s("tcp/22")));
        assert_eq!(year_before("2026-04-01"), "2025-04-01");
    }
}
