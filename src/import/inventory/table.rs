//! A ledger as read from a file, before any meaning is given to it: rows of cells, each
//! with the row and column a user sees in a spreadsheet (both 1-based), so every message can
//! point at the cell.

/// One row of the ledger.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// 1-based: the line of a CSV file where the record starts, or the sheet's row number.
    pub number: usize,
    /// The cells in column order; `cells[i]` is column `i + 1`. Text is trimmed.
    pub cells: Vec<String>,
}

impl Row {
    /// The text of 1-based `column`, empty when the row is shorter.
    pub fn cell(&self, column: usize) -> &str {
        column
            .checked_sub(1)
            .and_then(|i| self.cells.get(i))
            .map_or("", String::as_str)
    }

    /// No cell holds anything.
    pub fn is_empty(&self) -> bool {
        self.cells.iter().all(|c| c.is_empty())
    }

    /// The first non-empty cell starts with `#`: a comment row, as ledgers use for notes
    /// between the entries.
    pub fn is_comment(&self) -> bool {
        self.cells
            .iter()
            .find(|c| !c.is_empty())
            .is_some_and(|c| c.starts_with('#'))
    }
}

/// A problem the ledger reader found at one cell (or, with column 0, a whole row; with row 0,
/// the whole file).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct CellError {
    pub row: usize,
    pub column: usize,
    pub message: String,
}

impl CellError {
    pub fn new(row: usize, column: usize, message: impl Into<String>) -> CellError {
        CellError {
            row,
            column,
            message: message.into(),
        }
    }

    /// `FILE:ROW:COLUMN: message`, as every located message of sansou reads.
    pub fn located(&self, file: &str) -> String {
        match (self.row, self.column) {
            (0, _) => format!("{file}: {}", self.message),
            (r, 0) => format!("{file}:{r}: {}", self.message),
            (r, c) => format!("{file}:{r}:{c}: {}", self.message),
        }
    }
}

/// Spreadsheet column letters: 1 → A, 27 → AA.
pub fn column_letters(mut column: usize) -> String {
    let mut letters = Vec::new();
    while column > 0 {
        let rem = (column - 1) % 26;
        letters.push(b'A' + rem as u8);
        column = (column - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_lettered_as_spreadsheets_do() {
        assert_eq!(column_letters(1), "A");
        assert_eq!(column_letters(26), "Z");
        assert_eq!(column_letters(27), "AA");
        assert_eq!(column_letters(703), "AAA");
    }

    #[test]
    fn rows_know_empty_and_comment() {
        let row = |cells: &[&str]| Row {
            number: 1,
            cells: cells.iter().map(|s| s.to_string()).collect(),
        };
        assert!(row(&["", ""]).is_empty());
        assert!(row(&["", "# 廃棄予定"]).is_comment());
        assert!(!row(&["pc-1", "#"]).is_comment());
        assert_eq!(row(&["a"]).cell(2), "");
        assert_eq!(row(&["a"]).cell(0), "");
    }
}
