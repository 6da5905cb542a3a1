//! Output: everything that turns models and results into text for people or programs.

pub mod attack;
pub mod attack_json;
pub mod causes;
pub mod check;
pub mod check_json;
pub mod checklist;
pub mod csv;
pub mod diagram;
pub mod diff;
pub mod diff_json;
pub mod dot;
pub mod html;
pub mod inventory;
pub mod json;
pub mod lint;
pub mod matrix;
pub mod mermaid;
/// Names live below the rules (`analysis::names`): exceptions and fingerprints match on them.
pub use crate::analysis::names;
pub mod paths;
pub mod paths_json;
pub mod replies;
pub mod rules;
pub mod sarif;
pub mod sheets;
pub mod svg;
pub mod text;
pub mod topology;
pub mod xlsx;
