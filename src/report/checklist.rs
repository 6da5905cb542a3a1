//! The checklist `sansou init` prints: the facts a design still lacks, one line per unknown
//! finding of `check` (rule code, subject, what is missing, where to write it).

use crate::lang::Lang;
use crate::rules::engine::Finding;
use crate::source::SourceMap;
use std::fmt::Write;

pub fn text(sources: &SourceMap, items: &[&Finding], lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        if lang == Lang::Ja {
            format!(
                "記入が必要な事実 ({} 件: check が判定不能と報告する項目):",
                items.len()
            )
        } else {
            format!(
                "facts still to fill in ({}: what check reports as unknown):",
                items.len()
            )
        }
    );
    for f in items {
        let _ = writeln!(
            out,
            "  [ ] {} {}: {}",
            f.code,
            f.subject,
            f.message.get(lang)
        );
        if let Some(loc) = f.loc {
            let _ = writeln!(
                out,
                "      {} {}",
                lang.pick("場所", "at"),
                sources.position(loc)
            );
        }
    }
    out
}
