//! Escaping for HTML and SVG (which is XML): every name that comes from an input goes through
//! [`text`] before it reaches the page, so a zone called `<script>` is shown, never run.

/// Escapes text for element content and for double- or single-quoted attribute values.
///
/// Quotes are escaped too, so one function serves both places and a caller cannot pick the
/// wrong one. Control characters other than tab and newline are not allowed in XML (a
/// standalone SVG with one would not open), so they become U+FFFD.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' => out.push(c),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::text;

    #[test]
    fn markup_and_quotes_are_neutralised() {
        assert_eq!(
            text("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(
            text("\"><img src=x onerror='a'>"),
            "&quot;&gt;&lt;img src=x onerror=&#39;a&#39;&gt;"
        );
        assert_eq!(text("A&B"), "A&amp;B");
        assert_eq!(text("住民\u{0}記録"), "住民\u{FFFD}記録");
        assert_eq!(text("マイナンバー利用事務系"), "マイナンバー利用事務系");
    }
}
