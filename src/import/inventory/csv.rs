//! CSV ledgers: the text decoded (UTF-8 with or without a byte-order mark, or Shift_JIS as
//! Japanese office software saves it), then split into records (RFC 4180: quoted fields with
//! doubled quotes, commas and line breaks inside quotes, CRLF or LF).

use super::table::{CellError, Row};

/// The text of a CSV file: UTF-8 (a leading BOM dropped), else Shift_JIS (Windows-31J, the
/// encoding Excel uses for "CSV" on a Japanese system). `Err` when it is neither, or UTF-16.
pub fn decode(bytes: &[u8]) -> Result<String, CellError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(CellError::new(
            0,
            0,
            "the file is UTF-16 (Excel's \"Unicode text\"); save it as \"CSV UTF-8\" or CSV (Shift_JIS)",
        ));
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_string());
    }
    let (text, had_errors) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(bytes);
    if had_errors {
        // Point at the first line that is not Shift_JIS (a line break is never inside a
        // Shift_JIS character, so lines decode on their own).
        let line = bytes
            .split(|&b| b == b'\n')
            .position(|l| {
                encoding_rs::SHIFT_JIS
                    .decode_without_bom_handling_and_without_replacement(l)
                    .is_none()
            })
            .map_or(0, |i| i + 1);
        return Err(CellError::new(
            line,
            0,
            "the file is neither UTF-8 nor Shift_JIS; save it as \"CSV UTF-8\"",
        ));
    }
    Ok(text.into_owned())
}

/// Splits CSV text into rows. Every row keeps the line it starts on; an unterminated quote is
/// an error at the line where it opened.
pub fn parse(text: &str) -> Result<Vec<Row>, CellError> {
    let mut rows = Vec::new();
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut line = 1;
    let mut row_line = 1;
    let mut quoted_since: Option<(usize, usize)> = None;
    let mut chars = text.chars().peekable();
    let mut at_cell_start = true;
    while let Some(c) = chars.next() {
        if quoted_since.is_some() {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                '"' => quoted_since = None,
                '\n' => {
                    line += 1;
                    cell.push('\n');
                }
                _ => cell.push(c),
            }
            continue;
        }
        match c {
            '"' if at_cell_start => {
                quoted_since = Some((line, cells.len() + 1));
                at_cell_start = false;
            }
            ',' => {
                cells.push(std::mem::take(&mut cell).trim().to_string());
                at_cell_start = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                cells.push(std::mem::take(&mut cell).trim().to_string());
                rows.push(Row {
                    number: row_line,
                    cells: std::mem::take(&mut cells),
                });
                line += 1;
                row_line = line;
                at_cell_start = true;
            }
            ' ' | '\t' if at_cell_start => {}
            _ => {
                cell.push(c);
                at_cell_start = false;
            }
        }
    }
    if let Some((l, column)) = quoted_since {
        return Err(CellError::new(
            l,
            column,
            "a quoted field is never closed (a `\"` is missing)",
        ));
    }
    if !cell.is_empty() || !cells.is_empty() {
        cells.push(cell.trim().to_string());
        rows.push(Row {
            number: row_line,
            cells,
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(rows: &[Row]) -> Vec<Vec<&str>> {
        rows.iter()
            .map(|r| r.cells.iter().map(String::as_str).collect())
            .collect()
    }

    #[test]
    fn quotes_commas_and_line_breaks() {
        let rows = parse("a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"multi\nline\",x\nlast").unwrap();
        assert_eq!(
            cells(&rows),
            vec![
                vec!["a", "b,c", "say \"hi\""],
                vec!["multi\nline", "x"],
                vec!["last"]
            ]
        );
        assert_eq!(rows.iter().map(|r| r.number).collect::<Vec<_>>(), [1, 2, 4]);
    }

    #[test]
    fn an_open_quote_is_located() {
        let e = parse("a,b\nc,\"d\ne").unwrap_err();
        assert_eq!((e.row, e.column), (2, 2));
    }

    #[test]
    fn encodings() {
        assert_eq!(decode(b"\xEF\xBB\xBFa,b").unwrap(), "a,b");
        // 端末 in Shift_JIS.
        assert_eq!(decode(b"\x92\x5B\x96\x96,x").unwrap(), "端末,x");
        assert!(
            decode(b"\xFF\xFEa\0")
                .unwrap_err()
                .message
                .contains("UTF-16")
        );
        assert!(decode(b"ok\n\x82").is_err());
    }
}
