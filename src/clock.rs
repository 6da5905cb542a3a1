//! The run's date, read here in the binary because the library reads neither the clock nor
//! the environment (ARCHITECTURE.md, Invariants): the rules get it through
//! `sansou::pipeline` as a plain `YYYY-MM-DD` string.

/// Today's date as `YYYY-MM-DD` (UTC): from `SOURCE_DATE_EPOCH` when set, so reports can be
/// reproduced byte for byte, else the clock.
pub fn today() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0)
        });
    sansou::rules::engine::civil_date(secs.div_euclid(86_400))
}
