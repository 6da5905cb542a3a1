//! A format-neutral document tree with a location on every key and value.
//!
//! TOML and JSON inputs are both parsed into this tree first; one decoder (`decode.rs`) then turns
//! it into the model. That way both formats accept exactly the same schema and give the same
//! messages, and every message can point at the offending key or value.
//!
//! Keys and strings borrow from the text when they are written without escapes (nearly all
//! are): a large topology has millions of them, and allocating and freeing each was a good part
//! of the time spent loading it.

use crate::source::Loc;
use std::borrow::Cow;

/// A value and its place; `'t` is the text it was parsed from.
#[derive(Clone, Debug, PartialEq)]
pub struct Node<'t> {
    pub value: Value<'t>,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value<'t> {
    String(Cow<'t, str>),
    Integer(i64),
    Float(f64),
    Bool(bool),
    /// A TOML date or date-time, kept as written (`2027-03-31`).
    Datetime(String),
    Array(Vec<Node<'t>>),
    /// Entries in the order the parser gives them; keys are unique (parsers report duplicates).
    Table(Vec<Entry<'t>>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry<'t> {
    pub key: Cow<'t, str>,
    pub key_loc: Loc,
    pub value: Node<'t>,
}

impl Value<'_> {
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
