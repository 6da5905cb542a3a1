//! Output of `sansou rules` (the registry as a table or JSON) and `sansou explain CODE`.

use super::text::{display_width, pad};
use crate::lang::Lang;
use crate::model::policy::Level;
use crate::rules::{Meta, Registered};
use serde::Serialize;
use serde_json::Value;
use std::fmt::Write;

fn short(l: Level) -> &'static str {
    match l {
        Level::Deny => "deny",
        Level::Warn => "warn",
        Level::Allow => "-",
    }
}

fn doc(meta: &'static Meta, lang: Lang) -> &'static crate::rules::Doc {
    match lang {
        Lang::Ja => &meta.ja,
        Lang::En => &meta.en,
    }
}

pub fn table(rules: &[Registered], lang: Lang) -> String {
    let header = ["code", "name", "α", "α'", "β", "β'", ""];
    let rows: Vec<[String; 7]> = rules
        .iter()
        .map(|r| {
            let m = r.meta();
            [
                m.code.to_string(),
                m.name.to_string(),
                short(m.levels.alpha).into(),
                short(m.levels.alpha_prime).into(),
                short(m.levels.beta).into(),
                short(m.levels.beta_prime).into(),
                doc(m, lang).title.to_string(),
            ]
        })
        .collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            rows.iter()
                .map(|r| display_width(&r[i]))
                .chain([display_width(header[i])])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    let line = |cells: Vec<String>, out: &mut String| {
        let mut l = String::new();
        for (c, w) in cells.iter().zip(&widths) {
            let _ = write!(l, "{}  ", pad(c, *w));
        }
        out.push_str(l.trim_end());
        out.push('\n');
    };
    line(header.iter().map(|s| s.to_string()).collect(), &mut out);
    for r in rows {
        line(r.to_vec(), &mut out);
    }
    out
}

/// `sansou rules --format json`: `{"rules": [RuleJson]}`, every registry rule in registry
/// order. These types are the wire format; fields are only ever added.
#[derive(Serialize)]
pub struct RulesJson {
    pub rules: Vec<RuleJson>,
}

/// One rule's documentation and default levels.
#[derive(Serialize)]
pub struct RuleJson {
    pub code: &'static str,
    pub name: &'static str,
    /// The default level (`deny`, `warn`, `allow`) per network model.
    pub levels: LevelsJson,
    /// The guideline reference (without the edition: no design is in view).
    pub guideline: &'static str,
    /// The catalogue's confidence tag: `V`, `G` or `I`.
    pub confidence: &'static str,
    pub docs: DocsJson,
}

/// A rule's default level per network model (`sansou rules`, and SARIF's rule properties).
#[derive(Serialize)]
pub struct LevelsJson {
    pub alpha: &'static str,
    #[serde(rename = "alpha-prime")]
    pub alpha_prime: &'static str,
    pub beta: &'static str,
    #[serde(rename = "beta-prime")]
    pub beta_prime: &'static str,
}

/// The documentation in both languages, under the fixed headings.
#[derive(Serialize)]
pub struct DocsJson {
    pub ja: DocJson,
    pub en: DocJson,
}

#[derive(Serialize)]
pub struct DocJson {
    pub title: &'static str,
    pub what: &'static str,
    pub why: &'static str,
    pub example: &'static str,
    pub fix: &'static str,
}

impl From<&crate::rules::Levels> for LevelsJson {
    fn from(l: &crate::rules::Levels) -> LevelsJson {
        LevelsJson {
            alpha: l.alpha.as_str(),
            alpha_prime: l.alpha_prime.as_str(),
            beta: l.beta.as_str(),
            beta_prime: l.beta_prime.as_str(),
        }
    }
}

impl From<&'static crate::rules::Doc> for DocJson {
    fn from(d: &'static crate::rules::Doc) -> DocJson {
        DocJson {
            title: d.title,
            what: d.what,
            why: d.why,
            example: d.example,
            fix: d.fix,
        }
    }
}

/// The document as a `Value`, so its keys are written in sorted order (the binary
/// pretty-prints it), as they always were.
pub fn json(rules: &[Registered]) -> Value {
    let rules = rules
        .iter()
        .map(|r| {
            let m = r.meta();
            RuleJson {
                code: m.code,
                name: m.name,
                levels: (&m.levels).into(),
                guideline: m.guideline,
                confidence: m.confidence,
                docs: DocsJson {
                    ja: (&m.ja).into(),
                    en: (&m.en).into(),
                },
            }
        })
        .collect();
    serde_json::to_value(RulesJson { rules }).expect("output types always serialize")
}

pub fn explain(meta: &'static Meta, lang: Lang) -> String {
    let d = doc(meta, lang);
    let h = |ja: &'static str, en: &'static str| lang.pick(ja, en);
    let mut out = String::new();
    let _ = writeln!(out, "{} {} — {}", meta.code, meta.name, d.title);
    let _ = writeln!(
        out,
        "{}: α {}, α' {}, β {}, β' {}",
        h("既定レベル", "default level"),
        short(meta.levels.alpha),
        short(meta.levels.alpha_prime),
        short(meta.levels.beta),
        short(meta.levels.beta_prime)
    );
    let _ = writeln!(
        out,
        "{}: {}",
        h("根拠", "reference"),
        crate::rules::sources::localised(meta.guideline, lang)
    );
    // Each source key resolved, so a reader of the terminal can look it up as the report's
    // bibliography lets them.
    for key in crate::rules::sources::keys_in(meta.guideline) {
        if let Some(src) = crate::rules::sources::source(key) {
            let _ = writeln!(out, "  {key}: {} <{}>", lang.pick(src.ja, src.en), src.url);
        }
    }
    let confidence = match meta.confidence {
        "V" => h("出典で確認済み [V]", "confirmed by the source [V]"),
        "G" => h("ガイドライン本文による [G]", "from the guideline text [G]"),
        _ => h(
            "工学的解釈 (助言) [I]",
            "engineering interpretation (advisory) [I]",
        ),
    };
    let _ = writeln!(out, "{}: {confidence}", h("確度", "confidence"));
    for (title_ja, title_en, body) in [
        ("何を検査するか", "What it checks", d.what),
        ("なぜ重要か", "Why it matters", d.why),
        ("例", "Example", d.example),
        ("修正方法", "How to fix", d.fix),
    ] {
        let _ = writeln!(out, "\n## {}\n{body}", h(title_ja, title_en));
    }
    out
}
