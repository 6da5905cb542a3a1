//! A format-neutral document tree with a location on every key and value.
//!
//! TOML and JSON inputs are both parsed into this tree first; one decoder (`decode.rs`) then turns
//! it into the model. That way both formats accept exactly the same schema and give the same
//! messages, and every message can point at the offending key or value.

use crate::source::Loc;

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    String(String),
    Integer(i64),
    Float(f64),
    Bool(bool),
    /// A TOML date or date-time, kept as written (`2027-03-31`).
    Datetime(String),
    Array(Vec<Node>),
    /// Entries in the order the parser gives them; keys are unique (parsers report duplicates).
    Table(Vec<Entry>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_loc: Loc,
    pub value: Node,
}

impl Value {
    /// The name of the value's type, as used in "expected a string, found an integer".
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::String(_) => "a string",
            Value::Integer(_) => "an integer",
            Value::Float(_) => "a float",
            Value::Bool(_) => "a boolean",
            Value::Datetime(_) => "a date",
            Value::Array(_) => "an array",
            Value::Table(_) => "a table",
        }
    }
}
