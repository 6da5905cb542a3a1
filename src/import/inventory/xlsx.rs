//! Spreadsheet ledgers (.xlsx, and .xls / .ods, which the reader crate also opens): one sheet
//! read into rows of text, keeping the sheet's own row and column numbers.

use super::table::{CellError, Row};
use calamine::{Data, Reader};

/// The rows of `sheet` (default: the first sheet) of the workbook in `bytes`.
pub fn read(bytes: Vec<u8>, sheet: Option<&str>) -> Result<Vec<Row>, CellError> {
    let file_error = |what: String| CellError::new(0, 0, what);
    let cap = crate::load::limits::read_cap(crate::load::Syntax::Toml)
        .map_err(|e| file_error(e.to_string()))?;
    check_expansion(&bytes, cap)?;
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

/// Refuses a workbook whose parts unpack to more than `cap` bytes (the memory guard's limit
/// for a text input), before the reader unpacks them: a few kilobytes of zip can stand for
/// gigabytes of XML. Archives that do not declare their sizes are left to the reader.
fn check_expansion(bytes: &[u8], cap: u64) -> Result<(), CellError> {
    let Ok(archive) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return Ok(());
    };
    match archive.decompressed_size() {
        Some(size) if size > u128::from(cap) => Err(CellError::new(
            0,
            0,
            format!(
                "the workbook unpacks to {size} bytes, more than the {cap} this run may read (SANSOU_MAX_MEMORY sets the budget; TESTING.md \"Limits\")"
            ),
        )),
        _ => Ok(()),
    }
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
    fn a_workbook_that_unpacks_too_far_is_refused() {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/inventory/daicho.xlsx"
        ))
        .unwrap();
        assert!(check_expansion(&bytes, 1 << 20).is_ok());
        let e = check_expansion(&bytes, 100).unwrap_err();
        assert!(e.message.starts_with("the workbook unpacks to"), "{e:?}");
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
