//! Ledger rows → hosts of the model: each row's cells read through the column mapping, its
//! address placed in the design's segment that holds it, every problem collected with its row
//! and column (all of them in one run).

use super::columns::{Columns, Field};
use super::table::{CellError, Row};
use crate::model::address::parse_addr;
use crate::model::vocab::{HostKind, InternetUse, RemovableMedia};
use crate::model::{AddrRange, At, Host, HostInterface, Service, Topology};
use crate::source::Loc;
use std::collections::BTreeMap;

/// One ledger row read into a host of one address, with the row it came from.
#[derive(Clone, Debug)]
pub struct Entry {
    pub row: usize,
    pub host: Host,
    pub address: u32,
}

/// Where each field's column is: 1-based, from the header row.
type Layout = BTreeMap<Field, usize>;

/// Reads every data row (after the header; empty and comment rows skipped) into an entry.
pub fn read(
    rows: &[Row],
    columns: &Columns,
    design: &Topology,
) -> Result<Vec<Entry>, Vec<CellError>> {
    let (header, layout) = header(rows, columns).map_err(|e| vec![e])?;
    let missing: Vec<CellError> = columns
        .columns
        .iter()
        .filter(|(f, _)| !layout.contains_key(f))
        .map(|(f, h)| {
            CellError::new(
                header.number,
                0,
                format!(
                    "no column `{h}` (the mapping's `{}`) in the header row; headers: {}",
                    f.key(),
                    quoted(&header.cells)
                ),
            )
        })
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    let taken = Taken::of(design);
    let mut errors = Vec::new();
    let mut entries: Vec<Entry> = Vec::new();
    let mut ids: BTreeMap<String, usize> = BTreeMap::new();
    let mut addresses: BTreeMap<u32, usize> = BTreeMap::new();
    for row in rows.iter().filter(|r| r.number > header.number) {
        if row.is_empty() || row.is_comment() {
            continue;
        }
        let reader = RowReader {
            row,
            columns,
            layout: &layout,
        };
        let before = errors.len();
        let Some(entry) = reader.entry(design, &mut errors) else {
            continue;
        };
        let id_col = layout.get(&Field::Id).copied().unwrap_or(0);
        let ip_col = layout.get(&Field::Ip).copied().unwrap_or(0);
        if let Some(first) = ids.get(&entry.host.id) {
            errors.push(CellError::new(
                row.number,
                id_col,
                format!("duplicate host `{}`: row {first} has it too", entry.host.id),
            ));
        } else if let Some(what) = taken.ids.get(&entry.host.id) {
            errors.push(CellError::new(
                row.number,
                id_col,
                format!(
                    "`{}` is already the id of {what} in the design",
                    entry.host.id
                ),
            ));
        }
        if let Some(first) = addresses.get(&entry.address) {
            errors.push(CellError::new(
                row.number,
                ip_col,
                format!(
                    "duplicate address {}: row {first} has it too",
                    std::net::Ipv4Addr::from(entry.address)
                ),
            ));
        } else if let Some(what) = taken.owner(entry.address) {
            errors.push(CellError::new(
                row.number,
                ip_col,
                format!(
                    "address {} is already {what} in the design",
                    std::net::Ipv4Addr::from(entry.address)
                ),
            ));
        }
        ids.entry(entry.host.id.clone()).or_insert(row.number);
        addresses.entry(entry.address).or_insert(row.number);
        if errors.len() == before {
            entries.push(entry);
        }
    }
    if errors.is_empty() {
        return Ok(entries);
    }
    // Name the column as the ledger heads it: users look for the header, not the number.
    for e in &mut errors {
        let head = header.cell(e.column);
        if !head.is_empty() {
            e.message = format!("「{head}」: {}", e.message);
        }
    }
    errors.sort();
    Err(errors)
}

/// The header row and the column of each mapped field.
fn header<'r>(rows: &'r [Row], columns: &Columns) -> Result<(&'r Row, Layout), CellError> {
    let ip_header = columns.columns.get(&Field::Ip).map_or("", String::as_str);
    let row = match columns.header_row {
        Some(n) => rows.iter().find(|r| r.number == n).ok_or_else(|| {
            CellError::new(0, 0, format!("the ledger has no row {n} (`header_row`)"))
        })?,
        None => rows
            .iter()
            .find(|r| !r.is_comment() && r.cells.iter().any(|c| c == ip_header))
            .ok_or_else(|| {
                CellError::new(
                    0,
                    0,
                    format!(
                        "no row holds the header `{ip_header}` (the mapping's `ip`); set `header_row` or correct `[columns]`"
                    ),
                )
            })?,
    };
    let layout = columns
        .columns
        .iter()
        .filter_map(|(f, h)| row.cells.iter().position(|c| c == h).map(|i| (*f, i + 1)))
        .collect();
    Ok((row, layout))
}

/// Reads the cells of one row.
struct RowReader<'a> {
    row: &'a Row,
    columns: &'a Columns,
    layout: &'a Layout,
}

impl<'a> RowReader<'a> {
    /// The text for `field` and its column (0 when it came from `[defaults]`): the cell, else
    /// the default; `None` when neither says anything.
    fn get(&self, field: Field) -> Option<(&'a str, usize)> {
        let column = self.layout.get(&field).copied().unwrap_or(0);
        let cell = self.row.cell(column);
        if !cell.is_empty() {
            return Some((cell, column));
        }
        self.columns.defaults.get(&field).map(|d| (d.as_str(), 0))
    }

    fn error(&self, column: usize, message: String) -> CellError {
        CellError::new(self.row.number, column, message)
    }

    /// `field` through `[values]`, then `parse`; an unknown word is an error listing the
    /// accepted ones.
    fn word<T>(
        &self,
        field: Field,
        parse: impl Fn(&str) -> Option<T>,
        accepted: &[&str],
        errors: &mut Vec<CellError>,
    ) -> Option<T> {
        let (text, column) = self.get(field)?;
        let word = self.columns.word(field, text);
        let value = parse(word);
        if value.is_none() {
            errors.push(self.unknown(field, column, text, accepted));
        }
        value
    }

    fn unknown(&self, field: Field, column: usize, text: &str, accepted: &[&str]) -> CellError {
        self.error(
            column,
            format!(
                "unknown {} `{text}`: expected {} (or map it in `[values.{}]`)",
                field.key(),
                accepted.join(", "),
                field.key()
            ),
        )
    }

    /// A list cell (`mail、web`, `tcp/443 tcp/8443`): each item through `[values]` (an item
    /// mapped to "" is dropped, so `"なし" = ""` reads as none), then `parse`.
    fn list<T>(
        &self,
        field: Field,
        parse: impl Fn(&str) -> Result<T, String>,
        errors: &mut Vec<CellError>,
    ) -> Vec<T> {
        let Some((text, column)) = self.get(field) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in text
            .split([',', '、', '，', ';', '；', ' ', '\u{3000}', '\n'])
            .filter(|s| !s.is_empty())
        {
            let word = self.columns.word(field, item);
            if word.is_empty() {
                continue;
            }
            match parse(word) {
                Ok(v) => out.push(v),
                Err(e) => errors.push(self.error(
                    column,
                    format!(
                        "{} `{item}`: {e} (or map it in `[values.{}]`)",
                        field.key(),
                        field.key()
                    ),
                )),
            }
        }
        out
    }

    fn flag(&self, field: Field, errors: &mut Vec<CellError>) -> Option<bool> {
        self.word(field, yes_no, YES_NO, errors)
    }

    /// The whole row as a host; `None` (with the errors pushed) when it cannot be one.
    fn entry(&self, design: &Topology, errors: &mut Vec<CellError>) -> Option<Entry> {
        let before = errors.len();
        let id = match self.get(Field::Id) {
            Some((id, column)) => {
                // The loader's own spelling check; its message is replaced by one for a cell.
                let mut scratch = crate::diag::Diagnostics::default();
                let at = At::new(id.to_string(), Loc::default());
                if !crate::load::values::check_id(&at, &mut scratch) {
                    errors.push(self.error(
                        column,
                        format!("invalid host id `{id}`: ids use ASCII letters, digits, `-`, `_` and `.` (put a Japanese name in the `name` column)"),
                    ));
                }
                id.to_string()
            }
            None => {
                errors.push(self.missing(Field::Id));
                String::new()
            }
        };
        let address = match self.get(Field::Ip) {
            Some((text, column)) => match parse_addr(text) {
                Ok(a) => Some((u32::from(a), column)),
                Err(e) => {
                    errors.push(self.error(
                        column,
                        format!("malformed address `{text}`: {e} (one IPv4 address per row)"),
                    ));
                    None
                }
            },
            None => {
                errors.push(self.missing(Field::Ip));
                None
            }
        };
        let kind = match self.get(Field::Kind) {
            Some(_) => self.word(Field::Kind, HostKind::parse, HostKind::WORDS, errors),
            None => {
                errors.push(self.missing(Field::Kind));
                None
            }
        };
        let named_segment = self.get(Field::Segment).and_then(|(text, column)| {
            let word = self.columns.word(Field::Segment, text);
            match design.segment(word) {
                Some(s) => Some(s.id.clone()),
                None => {
                    errors.push(self.error(
                        column,
                        format!("unknown segment `{text}`: the design has no segment `{word}` (or map it in `[values.segment]`)"),
                    ));
                    None
                }
            }
        });
        let segment = address.and_then(|(a, column)| {
            let found = segment_of(design, a);
            match (&found, &named_segment) {
                (None, _) => errors.push(self.error(
                    column,
                    format!(
                        "address {} is in no segment of the design",
                        std::net::Ipv4Addr::from(a)
                    ),
                )),
                (Some(f), Some(n)) if f != n => errors.push(self.error(
                    column,
                    format!(
                        "address {} is in segment `{f}`, not in `{n}` as the row's {} says",
                        std::net::Ipv4Addr::from(a),
                        Field::Segment.key()
                    ),
                )),
                _ => {}
            }
            found
        });
        let services = self.list(Field::Services, Service::parse, errors);
        let internet_use = self.list(
            Field::InternetUse,
            |w| {
                InternetUse::parse(w).ok_or_else(|| {
                    format!("unknown word: expected {}", InternetUse::WORDS.join(", "))
                })
            },
            errors,
        );
        let removable_media = self.word(
            Field::RemovableMedia,
            RemovableMedia::parse,
            RemovableMedia::WORDS,
            errors,
        );
        let mfa = self.flag(Field::Mfa, errors);
        let edr = self.flag(Field::Edr, errors);
        let antivirus = self.flag(Field::Antivirus, errors);
        let disk_encryption = self.flag(Field::DiskEncryption, errors);
        let client_isolation = self.flag(Field::ClientIsolation, errors);
        let text = |f| self.get(f).map(|(t, _)| t.to_string());
        if errors.len() > before {
            return None;
        }
        let (address, _) = address?;
        let loc = Loc::default();
        Some(Entry {
            row: self.row.number,
            address,
            host: Host {
                id,
                kind: kind?,
                interfaces: vec![HostInterface {
                    segment: At::new(segment?, loc),
                    ip: At::new(
                        AddrRange {
                            first: address,
                            last: address,
                        },
                        loc,
                    ),
                }],
                count: 1,
                services: services.into_iter().map(|s| At::new(s, loc)).collect(),
                vulnerable: Vec::new(),
                internet_use,
                mfa,
                removable_media,
                edr,
                antivirus,
                disk_encryption,
                facts: Default::default(),
                client_isolation,
                name: text(Field::Name),
                description: text(Field::Description),
                loc,
            },
        })
    }

    fn missing(&self, field: Field) -> CellError {
        let column = self.layout.get(&field).copied().unwrap_or(0);
        self.error(
            column,
            format!(
                "no {} (the cell is empty and `[defaults]` has no `{}`)",
                field.key(),
                field.key()
            ),
        )
    }
}

/// The most specific segment of the design whose prefix holds `address`.
fn segment_of(design: &Topology, address: u32) -> Option<String> {
    design
        .segments
        .iter()
        .filter(|s| AddrRange::from_net(s.cidr.value).contains_addr(address))
        .max_by_key(|s| s.cidr.value.prefix_len())
        .map(|s| s.id.clone())
}

/// Words for yes and no as ledgers write them (ASCII ones in any case).
const YES_NO: &[&str] = &[
    "true",
    "false",
    "yes",
    "no",
    "y",
    "n",
    "1",
    "0",
    "○",
    "×",
    "有",
    "無",
    "あり",
    "なし",
    "はい",
    "いいえ",
    "済",
    "未",
];

fn yes_no(word: &str) -> Option<bool> {
    match word.to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" | "1" | "○" | "〇" | "◯" | "有" | "あり" | "有り" | "はい" | "済" => {
            Some(true)
        }
        "false" | "no" | "n" | "0" | "×" | "x" | "無" | "なし" | "無し" | "いいえ" | "未" | "-" => {
            Some(false)
        }
        _ => None,
    }
}

fn quoted(cells: &[String]) -> String {
    cells
        .iter()
        .filter(|c| !c.is_empty())
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Ids and addresses the design already uses.
struct Taken {
    /// Id → what it names (`host lg-fs`).
    ids: BTreeMap<String, String>,
    /// Address ranges → whose they are.
    ranges: Vec<(AddrRange, String)>,
}

impl Taken {
    fn of(design: &Topology) -> Taken {
        let mut ids = BTreeMap::new();
        let mut ranges = Vec::new();
        for h in &design.hosts {
            ids.insert(h.id.clone(), format!("host `{}`", h.id));
            for i in &h.interfaces {
                ranges.push((i.ip.value, format!("host `{}`", h.id)));
            }
        }
        for g in &design.gateways {
            ids.insert(g.id.clone(), format!("gateway `{}`", g.id));
            for i in &g.interfaces {
                ranges.push((i.ip.value, format!("gateway `{}`", g.id)));
            }
        }
        for f in &design.firewalls {
            ids.insert(f.id.clone(), format!("firewall `{}`", f.id));
            for ip in f.interfaces.iter().filter_map(|i| i.ip.as_ref()) {
                ranges.push((
                    AddrRange::single(ip.value),
                    format!("an interface of firewall `{}`", f.id),
                ));
            }
        }
        Taken { ids, ranges }
    }

    fn owner(&self, address: u32) -> Option<&str> {
        self.ranges
            .iter()
            .find(|(r, _)| r.contains_addr(address))
            .map(|(_, who)| who.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yes_and_no_in_the_words_ledgers_use() {
        assert_eq!(yes_no("有"), Some(true));
        assert_eq!(yes_no("YES"), Some(true));
        assert_eq!(yes_no("×"), Some(false));
        assert_eq!(yes_no("たぶん"), None);
        for w in YES_NO {
            assert!(yes_no(w).is_some(), "{w}");
        }
    }
}
