//! Spreadsheet ledgers (.xlsx, and .xls / .ods, which the reader crate also opens): one sheet
//! read into rows of text, keeping the sheet's own row and column numbers.

use super::table::{CellError, Row};
use calamine::{Data, Reader};

/// The rows of `sheet` (default: the first sheet) of the workbook in `bytes`.
pub fn read(bytes: Vec<u8>, sheet: Option<&str>) -> Result<Vec<Row>, CellError> {
    let file_error = |what: String| CellError::new(0, 0, what);
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| file_error(format!("cannot read the spreadsheet: {e}")))?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(s) if names.iter().any(|n| n == s) => s.to_string(),
        Some(s) => {
            return Err(file_error(format!(
                "the workbook has no sheet `{s}` (sheets: {})",
                names.join(", ")
            )));
        }
        None => names
            .first()
            .cloned()
            .ok_or_else(|| file_error("the workbook has no sheet".to_string()))?,
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|e| file_error(format!("cannot read sheet `{name}`: {e}")))?;
    // A sheet's used range may start below row 1 or right of column A.
    let (top, left) = range.start().unwrap_or((0, 0));
    Ok(range
        .rows()
        .enumerate()
        .map(|(i, cells)| {
            let mut row: Vec<String> = vec![String::new(); left as usize];
            row.extend(cells.iter().map(text));
            Row {
                number: top as usize + i + 1,
                cells: row,
            }
        })
        .collect())
}

/// A cell as the text a user sees: whole numbers without `.0` (a VLAN number or a count
/// typed into a number cell), booleans as `true`/`false`.
fn text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_typed() {
        assert_eq!(text(&Data::Float(10.0)), "10");
        assert_eq!(text(&Data::Float(1.5)), "1.5");
        assert_eq!(text(&Data::String(" 端末 ".into())), "端末");
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        let e = read(b"not a workbook".to_vec(), None).unwrap_err();
        assert!(
            e.message.starts_with("cannot read the spreadsheet"),
            "{e:?}"
        );
    }
}
