//! The Excel workbook of the working paper (`report --format xlsx`): one sheet per table of
//! [`super::sheets`], header row bold and frozen, with an autofilter. Strings are written as
//! strings, never as formulas. The document's creation time is the report's reference date,
//! so the same inputs give the same workbook.

use super::sheets::Sheet;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

/// The workbook's bytes; `date` (`YYYY-MM-DD`) is its creation date.
pub fn write(sheets: &[Sheet], title: &str, date: &str) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let created =
        ExcelDateTime::parse_from_str(date).or_else(|_| ExcelDateTime::from_ymd(2000, 1, 1))?;
    book.set_properties(
        &DocProperties::new()
            .set_title(title)
            .set_creation_datetime(&created),
    );
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    for sheet in sheets {
        let ws = book.add_worksheet();
        ws.set_name(sheet.name)?;
        for (c, h) in sheet.header.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &bold)?;
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                ws.write_string_with_format(r as u32 + 1, c as u16, v, &wrap)?;
            }
        }
        for c in 0..sheet.header.len() {
            let widest = std::iter::once(sheet.header[c].chars().count())
                .chain(sheet.rows.iter().map(|r| r[c].chars().count()))
                .max()
                .unwrap_or(8);
            ws.set_column_width(c as u16, (widest.clamp(6, 60) + 2) as f64)?;
        }
        ws.set_freeze_panes(1, 0)?;
        if !sheet.header.is_empty() {
            ws.autofilter(0, 0, sheet.rows.len() as u32, sheet.header.len() as u16 - 1)?;
        }
    }
    book.save_to_buffer()
}
