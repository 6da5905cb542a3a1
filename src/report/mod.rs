//! Output: everything that turns models and results into text for people or programs.

pub mod diagram;
pub mod dot;
pub mod inventory;
pub mod mermaid;
pub mod text;
