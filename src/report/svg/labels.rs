//! Names fitted into boxes, wrapped by their measured width: a wide (CJK) character is one em,
//! a space or thin punctuation 0.4 em, any other 0.6 em (a little more than most Latin letters
//! take in the diagram's fonts), so a measured line never overflows its box.

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

/// Width of a text in tenths of an em.
pub(super) fn measure(s: &str) -> usize {
    s.chars().map(tenths).sum()
}

fn tenths(c: char) -> usize {
    match display_width(c.encode_utf8(&mut [0; 4])) {
        0 => 0,
        // Spaces and thin punctuation take less than half an em.
        1 if NARROW.contains(c) => 4,
        1 => 6,
        _ => 10,
    }
}

/// Characters measured as 0.4 em.
const NARROW: &str = " .,:;/()[]|'!-·";

/// Splits text into at most `lines` lines of at most `room` tenths of an em; the last line
/// ends with `…` when text was cut (the diagram passes `usize::MAX` lines: nothing is cut).
pub(super) fn wrap(s: &str, room: usize, lines: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut width = 0;
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let cw = tenths(c);
        if width + cw > room && !cur.is_empty() {
            // Prefer to break after a space or before an opening parenthesis when one is in
            // the second half of the line, so `name (id)` splits between name and id.
            if out.len() + 1 < lines
                && let Some(k) = cur.rfind([' ', '('])
                && measure(&cur[..k]) * 2 >= room
            {
                let rest = cur.split_off(k);
                out.push(cur.trim_end().to_string());
                cur = rest.trim_start().to_string();
                width = measure(&cur);
                continue;
            }
            if out.len() + 1 == lines {
                // Last line: make room for the ellipsis.
                while measure(&cur) + 6 > room && !cur.is_empty() {
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

/// The room, in tenths of an em, of `px` pixels at a font size.
pub(super) fn room_for(px: i64, font_px: i64) -> usize {
    (px * 10 / font_px).max(40) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_wrap_between_name_and_id_then_end_with_an_ellipsis() {
        assert_eq!(
            wrap("LGWAN系 業務端末 (lg-office)", 100, 2),
            vec!["LGWAN系 業務端末", "(lg-office)"]
        );
        let cut = wrap(
            "マイナンバー利用事務系 基幹系サーバ セグメント (mn-servers)",
            80,
            2,
        );
        assert_eq!(cut.len(), 2);
        assert!(cut[1].ends_with('…'), "{cut:?}");
        assert!(cut.iter().all(|l| measure(l) <= 80), "{cut:?}");
        assert_eq!(wrap("", 60, 2), vec![String::new()]);
        assert_eq!(wrap("short", 60, 1), vec!["short"]);
        // With no limit on lines nothing is cut, and every line fits.
        let all = wrap(
            "マイナンバー利用事務系 基幹系サーバ セグメント (mn-servers)",
            80,
            usize::MAX,
        );
        assert_eq!(
            all.concat().replace(' ', ""),
            "マイナンバー利用事務系基幹系サーバセグメント(mn-servers)"
        );
        assert!(all.iter().all(|l| measure(l) <= 80), "{all:?}");
    }

    #[test]
    fn names_become_one_line_of_text() {
        assert_eq!(display("mn", Some("番号\n系")), "番号 系 (mn)");
        assert_eq!(display("mn", Some("mn")), "mn");
        assert_eq!(display("mn", None), "mn");
    }
}
