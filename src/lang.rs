//! The language of text output: Japanese or English.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Ja,
    En,
}

impl Lang {
    /// Japanese when the locale is Japanese (`ja_JP.UTF-8`), else English. The binary reads
    /// the locale from the environment (`LC_ALL`, `LC_MESSAGES`, `LANG`); the library never does.
    pub fn from_locale(locale: &str) -> Lang {
        if locale.starts_with("ja") {
            Lang::Ja
        } else {
            Lang::En
        }
    }

    /// Picks the text for this language.
    pub fn pick<'a>(self, ja: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Ja => ja,
            Lang::En => en,
        }
    }
}
