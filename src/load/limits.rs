//! Resource limits: inputs that would need unreasonable memory or time are refused, or their
//! cost bounded, with a clear message instead of an out-of-memory kill or a run that never ends.
//!
//! Every limit sansou puts on its inputs is defined here, so the numbers TESTING.md documents
//! ("Limits") are the numbers the code uses:
//!
//! - [`MAX_FILE_BYTES`]: no input file may be 4 GiB or more (locations are 32-bit byte offsets).
//! - The memory guard ([`check_inputs`]): before a byte is read, the memory that loading would
//!   take is estimated from the files' sizes ([`TOML_BYTES_PER_INPUT_BYTE`],
//!   [`JSON_BYTES_PER_INPUT_BYTE`]) and compared with what the machine can give: `MemAvailable`
//!   in `/proc/meminfo`, or the cgroup's memory limit when that is smaller. The environment
//!   variable [`MAX_MEMORY_ENV`] overrides the budget (`SANSOU_MAX_MEMORY=8G`, or `none`).
//!   Reading stops at what the budget could load ([`read_cap`]), for inputs whose size is not
//!   known beforehand (devices, pipes).
//! - [`SUGGESTION_WORK`] and [`MAX_SUGGESTED_WORD`]: "did you mean" hints cost an edit distance
//!   per known word, which is quadratic on big inputs full of mistakes; past the budget the
//!   messages stay, without the hint.
//! - [`MAX_FIREWALL_INTERFACES`]: interfaces per firewall the analysis can tell apart (256).
//! - [`MAX_SYNTAX_ERRORS`]: TOML syntax errors shown per file; the rest are counted.
//! - [`MAX_OVERLAP_PEERS`]: how many segments one overlap message names per prefix, so a file
//!   with thousands of copies of one prefix gives a message per segment, not one per pair.
//!
//! Nesting is bounded by the parsers themselves (JSON: 128 levels in `json_doc`; TOML: the
//! `toml` crate's recursion limit), so deep documents are syntax errors, not stack overflows.

use super::Syntax;
use std::path::{Path, PathBuf};

/// Locations are `u32` byte offsets ([`crate::source::Loc`]): a file longer than `u32::MAX` bytes
/// could not be pointed into, so it is refused whatever the memory.
pub const MAX_FILE_BYTES: u64 = u32::MAX as u64;

/// Peak memory per byte of TOML input, measured on the generated tier-L topology (20 MB of TOML:
/// 880 MB peak for `sansou validate` and `check`, about 44 bytes per byte), rounded up.
pub const TOML_BYTES_PER_INPUT_BYTE: u64 = 45;

/// Peak memory per byte of JSON input, measured the same way (31 MB of JSON: 900 MB peak).
pub const JSON_BYTES_PER_INPUT_BYTE: u64 = 30;

/// The environment variable that sets the memory budget instead of the machine's free memory:
/// a size (`512M`, `8G`, `1T`, or bytes) or `none` to turn the guard off.
pub const MAX_MEMORY_ENV: &str = "SANSOU_MAX_MEMORY";

/// Work all "did you mean" suggestions of one run may cost together: one unit per candidate
/// word and per edit-distance cell, about 40 ms in a release build. That is enough for a hint
/// on a typo among 100,000 ids; a run with more mistakes than that still reports every one.
pub const SUGGESTION_WORK: u64 = 10_000_000;

/// Words longer than this (in characters) get no suggestion: a typo is a short slip, and the
/// edit distance of a long word is expensive.
pub const MAX_SUGGESTED_WORD: usize = 64;

/// Interfaces of one firewall: the packet-set encoding gives each interface of a firewall a
/// number in a fixed number of bits (`analysis::space`), so a firewall with more is an error at
/// load time rather than a failure in the analysis.
pub const MAX_FIREWALL_INTERFACES: usize = crate::model::firewall::MAX_INTERFACES;

/// TOML syntax errors shown per file; the rest are counted in one last message. A binary or
/// UTF-16 file read as TOML otherwise gives an error for nearly every byte.
pub const MAX_SYNTAX_ERRORS: usize = 20;

/// How many segments with the same prefix an overlap message is checked against (the first of
/// each zone, up to this many): enough to show an error between zones, bounded when a prefix is
/// repeated thousands of times.
pub const MAX_OVERLAP_PEERS: usize = 8;

/// Why an input was refused before it was read.
#[derive(Debug)]
pub enum LimitError {
    /// One file is too large to be located into.
    FileTooLarge { path: PathBuf, bytes: u64 },
    /// Loading the files would need more memory than the budget.
    OverBudget {
        /// The largest file: the place the message points at.
        path: PathBuf,
        files: usize,
        bytes: u64,
        estimate: u64,
        budget: Budget,
    },
    /// The input did not end within what may be read of it (a device or a pipe, whose size
    /// is not known beforehand).
    Unending { path: PathBuf, cap: u64 },
    /// [`MAX_MEMORY_ENV`] is set to something that is not a size.
    BadSetting { value: String },
}

impl std::fmt::Display for LimitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            // A whole-file problem points at the start of the file, as compilers do.
            LimitError::FileTooLarge { path, bytes } => write!(
                f,
                "{}:1:1: input too large: the file is {} ({bytes} bytes); sansou reads files of \
                 at most {MAX_FILE_BYTES} bytes (4 GiB less one byte)",
                path.display(),
                size(*bytes),
            ),
            LimitError::OverBudget {
                path,
                files,
                bytes,
                estimate,
                budget,
            } => write!(
                f,
                "{}:1:1: input too large: {} in {files} file(s) would need about {} of memory to \
                 load, more than the {} {}; split the design, free memory, or set {MAX_MEMORY_ENV} \
                 (a size such as 32G, or `none`) to try anyway",
                path.display(),
                size(*bytes),
                size(*estimate),
                size(budget.bytes),
                budget.source.describe(),
            ),
            LimitError::Unending { path, cap } => write!(
                f,
                "{}:1:1: input too large: {} read and the input has not ended; sansou reads at \
                 most that much of it here (set {MAX_MEMORY_ENV} to change the budget)",
                path.display(),
                size(*cap),
            ),
            LimitError::BadSetting { value } => write!(
                f,
                "{MAX_MEMORY_ENV}={value:?} is not a size: write bytes or a number with K, M, G \
                 or T (such as 8G), or `none` to turn the memory guard off"
            ),
        }
    }
}

impl std::error::Error for LimitError {}

/// How much memory loading may use, and who said so.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    pub bytes: u64,
    pub source: BudgetSource,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BudgetSource {
    /// [`MAX_MEMORY_ENV`].
    Setting,
    /// `MemAvailable` in `/proc/meminfo`.
    Available,
    /// The cgroup v2 `memory.max` less `memory.current`, when smaller than `MemAvailable`.
    Cgroup,
}

impl BudgetSource {
    fn describe(self) -> String {
        match self {
            BudgetSource::Setting => format!("limit set by {MAX_MEMORY_ENV}"),
            BudgetSource::Available => "memory available (MemAvailable in /proc/meminfo)".into(),
            BudgetSource::Cgroup => "memory left under this cgroup's memory.max".into(),
        }
    }
}

/// Memory that loading `bytes` of text in `syntax` is expected to take at its peak.
pub fn estimate(bytes: u64, syntax: Syntax) -> u64 {
    let factor = match syntax {
        Syntax::Toml => TOML_BYTES_PER_INPUT_BYTE,
        Syntax::Json => JSON_BYTES_PER_INPUT_BYTE,
    };
    bytes.saturating_mul(factor)
}

/// The memory budget of this run: the setting when there is one, else what the machine can
/// give; `None` when there is no limit (`none`, or a system that does not say).
pub fn budget() -> Result<Option<Budget>, LimitError> {
    match std::env::var(MAX_MEMORY_ENV) {
        Ok(value) => parse_setting(&value),
        Err(_) => Ok(machine_budget(
            std::fs::read_to_string("/proc/meminfo").ok().as_deref(),
            std::fs::read_to_string("/sys/fs/cgroup/memory.max")
                .ok()
                .as_deref(),
            std::fs::read_to_string("/sys/fs/cgroup/memory.current")
                .ok()
                .as_deref(),
        )),
    }
}

/// Reads a [`MAX_MEMORY_ENV`] value.
fn parse_setting(value: &str) -> Result<Option<Budget>, LimitError> {
    let trimmed = value.trim();
    if trimmed.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    parse_size(trimmed)
        .map(|bytes| {
            Some(Budget {
                bytes,
                source: BudgetSource::Setting,
            })
        })
        .ok_or_else(|| LimitError::BadSetting {
            value: value.to_string(),
        })
}

/// `123`, `512K`, `64M`, `8G`, `1T` (binary multiples; `KB`, `KiB`, `g` are read alike).
pub fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let number: u64 = text[..digits].parse().ok()?;
    let unit = text[digits..].trim().to_ascii_uppercase();
    let shift = match unit.trim_end_matches("IB").trim_end_matches('B') {
        "" => 0,
        "K" => 10,
        "M" => 20,
        "G" => 30,
        "T" => 40,
        _ => return None,
    };
    number.checked_mul(1 << shift)
}

/// What the machine can give: `MemAvailable`, lowered to the room left under a cgroup v2 limit.
fn machine_budget(
    meminfo: Option<&str>,
    cgroup_max: Option<&str>,
    cgroup_current: Option<&str>,
) -> Option<Budget> {
    let available = meminfo.and_then(|text| {
        let line = text.lines().find(|l| l.starts_with("MemAvailable:"))?;
        let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(Budget {
            bytes: kib.saturating_mul(1024),
            source: BudgetSource::Available,
        })
    });
    // `memory.max` is "max" when the cgroup has no limit; then only MemAvailable counts.
    let cgroup = cgroup_max
        .and_then(|m| m.trim().parse::<u64>().ok())
        .map(|max| {
            let used = cgroup_current
                .and_then(|c| c.trim().parse::<u64>().ok())
                .unwrap_or(0);
            Budget {
                bytes: max.saturating_sub(used),
                source: BudgetSource::Cgroup,
            }
        });
    match (available, cgroup) {
        (Some(a), Some(c)) => Some(if c.bytes < a.bytes { c } else { a }),
        (a, c) => a.or(c),
    }
}

/// The most bytes of one input in `syntax` that may be read: what the budget could load, and
/// never more than [`MAX_FILE_BYTES`].
pub fn read_cap(syntax: Syntax) -> Result<u64, LimitError> {
    let by_budget = budget()?.map_or(u64::MAX, |b| b.bytes / estimate(1, syntax));
    Ok(by_budget.min(MAX_FILE_BYTES))
}

/// Refuses inputs that cannot be loaded within the limits, before any is read: a file of
/// more than [`MAX_FILE_BYTES`], or files whose estimated memory exceeds the [`budget`].
/// Files whose size cannot be read are left for the reader to report.
pub fn check_inputs(files: &[PathBuf]) -> Result<(), LimitError> {
    let sized: Vec<(&Path, u64, Syntax)> = files
        .iter()
        .filter_map(|p| {
            let len = std::fs::metadata(p).ok()?.len();
            Some((p.as_path(), len, Syntax::of(p)))
        })
        .collect();
    check_sizes(&sized, budget()?)
}

/// [`check_inputs`] on known sizes and budget (what the tests drive).
pub fn check_sizes(
    files: &[(&Path, u64, Syntax)],
    budget: Option<Budget>,
) -> Result<(), LimitError> {
    if let Some(&(path, bytes, _)) = files.iter().find(|f| f.1 > MAX_FILE_BYTES) {
        return Err(LimitError::FileTooLarge {
            path: path.to_path_buf(),
            bytes,
        });
    }
    let Some(budget) = budget else {
        return Ok(());
    };
    let estimate = files
        .iter()
        .fold(0u64, |sum, f| sum.saturating_add(self::estimate(f.1, f.2)));
    if estimate <= budget.bytes {
        return Ok(());
    }
    let largest = files
        .iter()
        .max_by_key(|f| f.1)
        .expect("a non-zero estimate comes from some file");
    Err(LimitError::OverBudget {
        path: largest.0.to_path_buf(),
        files: files.len(),
        bytes: files.iter().map(|f| f.1).sum(),
        estimate,
        budget,
    })
}

/// A size for people: `820 MiB`, `1.5 GiB`.
pub fn size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else if value < 10.0 {
        format!("{value:.1} {}", UNITS[unit])
    } else {
        format!("{value:.0} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_binary_units() {
        assert_eq!(parse_size("4096"), Some(4096));
        assert_eq!(parse_size("512K"), Some(512 << 10));
        assert_eq!(parse_size("64 MiB"), Some(64 << 20));
        assert_eq!(parse_size("8g"), Some(8 << 30));
        assert_eq!(parse_size("1TB"), Some(1 << 40));
        for bad in [
            "",
            "G",
            "8X",
            "-1G",
            "1.5G",
            "99999999999999999999",
            "16777216T",
        ] {
            assert_eq!(parse_size(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_setting_wins_and_none_turns_the_guard_off() {
        assert_eq!(parse_setting("none").unwrap(), None);
        let b = parse_setting("2G").unwrap().unwrap();
        assert_eq!((b.bytes, b.source), (2 << 30, BudgetSource::Setting));
        let e = parse_setting("lots").unwrap_err().to_string();
        assert!(
            e.starts_with("SANSOU_MAX_MEMORY=\"lots\" is not a size"),
            "{e}"
        );
    }

    #[test]
    fn the_machine_budget_is_mem_available_or_the_smaller_cgroup_room() {
        let meminfo = "MemTotal:       24684092 kB\nMemAvailable:   1000 kB\n";
        let a = machine_budget(Some(meminfo), None, None).unwrap();
        assert_eq!((a.bytes, a.source), (1_024_000, BudgetSource::Available));
        let c = machine_budget(Some(meminfo), Some("600000\n"), Some("100000\n")).unwrap();
        assert_eq!((c.bytes, c.source), (500_000, BudgetSource::Cgroup));
        let unlimited = machine_budget(Some(meminfo), Some("max\n"), Some("5\n")).unwrap();
        assert_eq!(unlimited.source, BudgetSource::Available);
        assert_eq!(machine_budget(None, None, None), None);
        assert_eq!(machine_budget(Some("garbage"), Some("max"), None), None);
    }

    #[test]
    fn over_budget_names_the_largest_file_and_the_numbers() {
        let budget = Budget {
            bytes: 1 << 30,
            source: BudgetSource::Available,
        };
        let files = [
            (Path::new("city/a.toml"), 1_000, Syntax::Toml),
            (Path::new("city/b.json"), 40 << 20, Syntax::Json),
        ];
        let e = check_sizes(&files, Some(budget)).unwrap_err().to_string();
        assert!(
            e.starts_with("city/b.json:1:1: input too large: 40 MiB in 2 file(s) would need about 1.2 GiB of memory to load, more than the 1.0 GiB memory available (MemAvailable in /proc/meminfo)"),
            "{e}"
        );
        assert!(check_sizes(&files[..1], Some(budget)).is_ok());
        assert!(check_sizes(&files, None).is_ok());
    }

    #[test]
    fn a_file_of_four_gibibytes_is_refused_whatever_the_budget() {
        let files = [(Path::new("huge.toml"), MAX_FILE_BYTES + 1, Syntax::Toml)];
        let e = check_sizes(&files, None).unwrap_err().to_string();
        assert_eq!(
            e,
            "huge.toml:1:1: input too large: the file is 4.0 GiB (4294967296 bytes); sansou reads \
             files of at most 4294967295 bytes (4 GiB less one byte)"
        );
        let largest = [(Path::new("ok.toml"), MAX_FILE_BYTES, Syntax::Toml)];
        assert!(check_sizes(&largest, None).is_ok());
    }

    #[test]
    fn sizes_print_for_people() {
        assert_eq!(size(100), "100 B");
        assert_eq!(size(1536), "1.5 KiB");
        assert_eq!(size(820 << 20), "820 MiB");
    }
}
