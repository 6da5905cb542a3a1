//! CSV for spreadsheets (`check --format csv`): UTF-8 with a byte-order mark, so that Excel
//! opens the Japanese text as UTF-8 and not in the system code page; CRLF line ends and every
//! field quoted (RFC 4180).

use super::sheets::Sheet;

/// The byte-order mark Excel looks for.
pub const BOM: &str = "\u{feff}";

pub fn write(sheet: &Sheet) -> String {
    let mut out = String::from(BOM);
    line(&mut out, sheet.header.iter().copied());
    for row in &sheet.rows {
        line(&mut out, row.iter().map(String::as_str));
    }
    out
}

fn line<'a>(out: &mut String, fields: impl Iterator<Item = &'a str>) {
    let quoted: Vec<String> = fields
        .map(|f| format!("\"{}\"", f.replace('"', "\"\"")))
        .collect();
    out.push_str(&quoted.join(","));
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    #[test]
    fn fields_are_quoted_and_quotes_doubled() {
        let sheet = super::Sheet {
            name: "t",
            header: vec!["a", "b"],
            rows: vec![vec!["say \"hi\"".into(), "x,\ny".into()]],
        };
        assert_eq!(
            super::write(&sheet),
            "\u{feff}\"a\",\"b\"\r\n\"say \"\"hi\"\"\",\"x,\ny\"\r\n"
        );
    }
}
