//! Rules of the internet-tier families: IN (インターネット接続系), BT (β/β' conditions) and AP
//! (α' local breakout). Shared helpers live in `super::lg::facts`.

pub mod ap_001;
pub mod ap_002;
pub mod bt_001;
pub mod bt_002;
pub mod bt_003;
pub mod in_001;
pub mod in_002;
pub mod in_003;
pub mod in_004;
pub mod in_005;

use super::Rule;

/// The family's rules, in code order.
pub fn all() -> Vec<&'static dyn Rule> {
    vec![
        &in_001::Rule,
        &in_002::Rule,
        &in_003::Rule,
        &in_004::Rule,
        &in_005::Rule,
        &bt_001::Rule,
        &bt_002::Rule,
        &bt_003::Rule,
        &ap_001::Rule,
        &ap_002::Rule,
    ]
}
