//! Output: everything that turns models and results into text for people or programs.

pub mod check;
pub mod diagram;
pub mod dot;
pub mod inventory;
pub mod json;
pub mod matrix;
pub mod mermaid;
pub mod names;
pub mod paths;
pub mod rules;
pub mod text;
pub mod topology;
