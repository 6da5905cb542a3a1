//! Gateways: sanctioned crossings that do not forward packets but create one-way channels.

use super::At;
use super::network::HostInterface;
use super::vocab::{Clipboard, GatewayKind, SanitizeMethod};
use crate::source::Loc;

#[derive(Clone, Debug, PartialEq)]
pub struct Gateway {
    pub id: String,
    pub kind: GatewayKind,
    /// Zone whose content it takes.
    pub from: At<String>,
    /// Zone that receives the result.
    pub to: At<String>,
    pub interfaces: Vec<HostInterface>,
    pub method: Option<SanitizeMethod>,
    /// An administrator path that passes content unsanitized.
    pub bypass: bool,
    /// Screen transfer only.
    pub clipboard: Option<Clipboard>,
    pub file_transfer: Option<bool>,
    pub drive_redirection: Option<bool>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub loc: Loc,
}
