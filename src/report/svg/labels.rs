//! Names fitted into boxes: one line of text per name, wrapped at terminal columns.

use crate::report::text::display_width;

pub(super) fn kind_id(key: &str) -> (&str, &str) {
    key.split_once(':').unwrap_or(("", key))
}

/// A name for a box: the input's name, else its id; line breaks in names become spaces.
pub(super) fn display(id: &str, name: Option<&str>) -> String {
    let s = match name {
        Some(n) if !n.trim().is_empty() && n != id => format!("{n} ({id})"),
        _ => id.to_string(),
    };
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Splits text into at most `lines` lines of at most `cols` terminal columns; the last line
/// ends with `…` when text was cut.
pub(super) fn wrap(s: &str, cols: usize, lines: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut width = 0;
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let cw = display_width(c.encode_utf8(&mut [0; 4]));
        if width + cw > cols {
            // Prefer to break after a space or before an opening parenthesis when one is in
            // the second half of the line, so `name (id)` splits between name and id.
            if out.len() + 1 < lines
                && let Some(k) = cur.rfind([' ', '('])
                && display_width(&cur[..k]) * 2 >= cols
            {
                let rest = cur.split_off(k);
                out.push(cur.trim_end().to_string());
                cur = rest.trim_start().to_string();
                width = display_width(&cur);
                continue;
            }
            if out.len() + 1 == lines {
                // Last line: make room for the ellipsis.
                while display_width(&cur) + 1 > cols {
                    cur.pop();
                }
                cur.push('…');
                out.push(cur);
                return out;
            }
            out.push(std::mem::take(&mut cur));
            width = 0;
            continue;
        }
        cur.push(c);
        width += cw;
        i += 1;
    }
    if !cur.is_empty() || out.is_empty() {
        out.push(cur);
    }
    out
}

/// Terminal columns that fit in `px` pixels at a font size: a wide character is about one
/// em, so a column is half an em.
pub(super) fn cols_for(px: i64, font_px: i64) -> usize {
    (px * 2 / font_px).max(4) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_wrap_between_name_and_id_then_end_with_an_ellipsis() {
        assert_eq!(
            wrap("LGWAN系 業務端末 (lg-office)", 20, 2),
            vec!["LGWAN系 業務端末", "(lg-office)"]
        );
        let cut = wrap(
            "マイナンバー利用事務系 基幹系サーバ セグメント (mn-servers)",
            16,
            2,
        );
        assert_eq!(cut.len(), 2);
        assert!(cut[1].ends_with('…'), "{cut:?}");
        assert!(cut.iter().all(|l| display_width(l) <= 16), "{cut:?}");
        assert_eq!(wrap("", 10, 2), vec![String::new()]);
        assert_eq!(wrap("short", 10, 1), vec!["short"]);
    }

    #[test]
    fn names_become_one_line_of_text() {
        assert_eq!(display("mn", Some("番号\n系")), "番号 系 (mn)");
        assert_eq!(display("mn", Some("mn")), "mn");
        assert_eq!(display("mn", None), "mn");
    }
}
