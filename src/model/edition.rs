//! The editions of the MIC guideline (地方公共団体における情報セキュリティポリシーに関するガイドライン)
//! that carry the three-tier measures in their example policy (対策基準 3), and what each
//! brought that sansou's rules depend on: the β and β' models from 令和2年12月版, α' from
//! 令和6年10月版.

use super::NetworkModel;

/// One edition: its code as a topology writes it (`R6.10`) and its name in Japanese.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Edition {
    /// Western year and month, for ordering.
    pub year: u16,
    pub month: u8,
    pub code: &'static str,
    pub ja: &'static str,
}

/// Every edition sansou knows, oldest first. Earlier editions predate the three-tier measures'
/// place in the example policy, so a design cannot claim them.
pub const EDITIONS: &[Edition] = &[
    Edition {
        year: 2018,
        month: 9,
        code: "H30.9",
        ja: "平成30年9月版",
    },
    Edition {
        year: 2020,
        month: 12,
        code: "R2.12",
        ja: "令和2年12月版",
    },
    Edition {
        year: 2022,
        month: 3,
        code: "R4.3",
        ja: "令和4年3月版",
    },
    Edition {
        year: 2023,
        month: 3,
        code: "R5.3",
        ja: "令和5年3月版",
    },
    Edition {
        year: 2024,
        month: 10,
        code: "R6.10",
        ja: "令和6年10月版",
    },
];

/// The codes, as the loader lists them.
pub const WORDS: &[&str] = &["H30.9", "R2.12", "R4.3", "R5.3", "R6.10"];

/// The newest edition: the one in force when a design claims none.
pub fn latest() -> &'static Edition {
    &EDITIONS[EDITIONS.len() - 1]
}

pub fn parse(code: &str) -> Option<&'static Edition> {
    EDITIONS.iter().find(|e| e.code == code)
}

/// The edition in force for a design: the one it claims, else the newest.
pub fn in_force(claimed: Option<&str>) -> &'static Edition {
    claimed.and_then(parse).unwrap_or_else(latest)
}

/// The first edition that defines a network model.
pub fn introducing(model: NetworkModel) -> &'static Edition {
    let code = match model {
        NetworkModel::Alpha => "H30.9",
        NetworkModel::Beta | NetworkModel::BetaPrime => "R2.12",
        NetworkModel::AlphaPrime => "R6.10",
    };
    parse(code).unwrap_or_else(latest)
}

/// The guideline's title with the edition, as a citation: 総務省「…ガイドライン」(令和6年10月版).
pub fn citation_ja(e: &Edition) -> String {
    format!(
        "総務省「地方公共団体における情報セキュリティポリシーに関するガイドライン」({})",
        e.ja
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_match_editions_in_order() {
        let codes: Vec<&str> = EDITIONS.iter().map(|e| e.code).collect();
        assert_eq!(codes, WORDS);
        assert!(EDITIONS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn models_follow_their_editions() {
        assert_eq!(introducing(NetworkModel::AlphaPrime).code, "R6.10");
        assert_eq!(introducing(NetworkModel::Beta).code, "R2.12");
        assert_eq!(in_force(None).code, "R6.10");
        assert_eq!(in_force(Some("R4.3")).ja, "令和4年3月版");
    }
}
