//! Where personal data rests (stores) and how it moves outside the network (declared flows).

use super::At;
use super::selector::Selector;
use super::service::Service;
use super::vocab::{DataClass, FlowMethod};
use crate::source::Loc;

/// Who may read a store.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reader {
    Everyone,
    Account(String),
    Group(String),
}

impl std::fmt::Display for Reader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reader::Everyone => f.write_str("everyone"),
            Reader::Account(id) => write!(f, "account:{id}"),
            Reader::Group(g) => write!(f, "group:{g}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Store {
    pub id: String,
    pub host: At<String>,
    /// How it is read over the network.
    pub service: Option<At<Service>>,
    pub data: Vec<DataClass>,
    pub records: Option<u64>,
    pub encrypted: Option<bool>,
    pub readers: Vec<At<Reader>>,
    /// The store it was extracted from.
    pub copied_from: Option<At<String>>,
    /// Confidentiality class 1 to 3 (機密性) (DATA-002).
    pub confidentiality: Option<u8>,
    /// Who answers for it, why it exists and when it is deleted (DATA-006).
    pub owner: Option<String>,
    pub purpose: Option<String>,
    pub retain_until: Option<At<String>>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub loc: Loc,
}

impl Store {
    pub fn holds_personal_data(&self) -> bool {
        self.data.iter().any(|d| d.is_personal())
    }
}

/// A declared business data flow, including non-network ones (media, paper).
#[derive(Clone, Debug, PartialEq)]
pub struct Flow {
    pub id: String,
    pub from: At<Selector>,
    pub to: At<Selector>,
    pub method: FlowMethod,
    pub data: Vec<DataClass>,
    pub purpose: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub loc: Loc,
}
