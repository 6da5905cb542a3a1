//! JSON Schema of the topology and policy formats (`sansou schema topology|policy`), derived
//! from the loader itself rather than written by hand: each table is decoded with probe values,
//! and the loader's own answers give the schema. An unknown key lists the keys a table accepts;
//! an empty table names the required ones; a boolean where something else belongs is refused
//! with what was expected; an unknown word is refused with the words accepted. A key added to
//! the loader therefore appears in the schema without anyone editing it.
//!
//! [`Schema`] is the part of JSON Schema (draft 2020-12) these documents use, typed: `type`,
//! `enum`, `const`, `minimum`, `format`, `items`, `anyOf`, `oneOf`, `properties`,
//! `additionalProperties` (`false`, or the schema of every value), `required`, and at the top
//! `$schema`, `title`, `description`. Its fields are declared in the sorted order of their
//! keys, the order `sansou schema` has always written them in (a test holds it to that).

use super::Syntax;
use crate::diag::Diagnostics;
use crate::source::SourceMap;
use serde::Serialize;
use std::collections::BTreeMap;

/// A JSON Schema, or a part of one; only the members set are written.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Schema {
    /// The dialect, at the top only.
    #[serde(rename = "$schema", skip_serializing_if = "Option::is_none")]
    pub dialect: Option<&'static str>,
    /// `false` for a table (no other keys), or the schema every value of a map follows.
    #[serde(
        rename = "additionalProperties",
        skip_serializing_if = "Option::is_none"
    )]
    pub additional_properties: Option<Additional>,
    #[serde(rename = "anyOf", skip_serializing_if = "Option::is_none")]
    pub any_of: Option<Vec<Schema>>,
    /// The one value allowed (`format = 1`).
    #[serde(rename = "const", skip_serializing_if = "Option::is_none")]
    pub constant: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'static str>,
    /// The words accepted.
    #[serde(rename = "enum", skip_serializing_if = "Option::is_none")]
    pub words: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Box<Schema>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum: Option<u32>,
    #[serde(rename = "oneOf", skip_serializing_if = "Option::is_none")]
    pub one_of: Option<Vec<Schema>>,
    /// A table's keys (sorted, as a map writes them).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub properties: Option<BTreeMap<String, Schema>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<&'static str>,
    /// `object`, `array`, `string`, `integer`, `boolean`.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<&'static str>,
}

/// What `additionalProperties` says: whether other keys are allowed, or their schema.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Additional {
    Allowed(bool),
    Each(Box<Schema>),
}

impl Schema {
    fn of(kind: &'static str) -> Schema {
        Schema {
            kind: Some(kind),
            ..Schema::default()
        }
    }

    fn array(items: Schema) -> Schema {
        Schema {
            items: Some(Box::new(items)),
            ..Schema::of("array")
        }
    }

    /// A string, one of `words` when the loader names them.
    fn string(words: Option<Vec<String>>) -> Schema {
        Schema {
            words,
            ..Schema::of("string")
        }
    }

    /// Only `required` (an alternative of `oneOf`).
    fn requiring(keys: Vec<String>) -> Schema {
        Schema {
            required: Some(keys),
            ..Schema::default()
        }
    }
}

/// Which file a table belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum File {
    Topology,
    Policy,
}

/// A table of the formats: the document that holds it, and how a probe is written into it.
struct Table {
    /// Written before the probe (the parents the table needs).
    prefix: String,
    /// For entries of an inline array (`interfaces = [{ ... }]`): the key of the array.
    inline: Option<&'static str>,
    /// Keys whose value is itself a table or an array of tables, and that table.
    children: &'static [(&'static str, &'static str)],
}

fn table(file: File, name: &str) -> Table {
    let (prefix, inline, children): (&str, Option<&str>, &[(&str, &str)]) = match (file, name) {
        // No `format = 1` in front: the probe of `format` itself must be the only one.
        (File::Topology, "topology") => (
            "",
            None,
            &[
                ("meta", "[meta]"),
                ("zone", "[[zone]]"),
                ("external", "[[external]]"),
                ("segment", "[[segment]]"),
                ("host", "[[host]]"),
                ("store", "[[store]]"),
                ("firewall", "[[firewall]]"),
                ("gateway", "[[gateway]]"),
                ("account", "[[account]]"),
                ("flow", "[[flow]]"),
                ("org", "[org]"),
                ("site", "[[site]]"),
                ("service", "[[service]]"),
                ("wifi", "[[wifi]]"),
                ("remote_access", "[[remote_access]]"),
                ("log_sink", "[[log_sink]]"),
                ("monitor", "[[monitor]]"),
            ],
        ),
        (File::Topology, "[meta]") => ("format = 1\n[meta]\n", None, &[]),
        (File::Topology, "[[host]]") => (
            "format = 1\n[[host]]\n",
            None,
            &[("interfaces", "[[host]] interfaces")],
        ),
        (File::Topology, "[[host]] interfaces") => (
            "format = 1\n[[host]]\nid = \"h\"\nkind = \"server\"\n",
            Some("interfaces"),
            &[],
        ),
        (File::Topology, "[[firewall]]") => (
            "format = 1\n[[firewall]]\n",
            None,
            &[
                ("interfaces", "[[firewall]] interfaces"),
                ("rule", "[[firewall.rule]]"),
                ("filter", "[[firewall.filter]]"),
                ("route", "[[firewall.route]]"),
                ("nat", "[[firewall.nat]]"),
            ],
        ),
        (File::Topology, "[[firewall.route]]") => (
            "format = 1\n[[firewall]]\nid = \"f\"\ndefault = \"deny\"\n[[firewall.route]]\n",
            None,
            &[],
        ),
        (File::Topology, "[[firewall.nat]]") => (
            "format = 1\n[[firewall]]\nid = \"f\"\ndefault = \"deny\"\n[[firewall.nat]]\n",
            None,
            &[],
        ),
        (File::Topology, "[[firewall]] interfaces") => (
            "format = 1\n[[firewall]]\nid = \"f\"\ndefault = \"deny\"\n",
            Some("interfaces"),
            &[],
        ),
        (File::Topology, "[[firewall.rule]]") => (
            "format = 1\n[[firewall]]\nid = \"f\"\ndefault = \"deny\"\n[[firewall.rule]]\n",
            None,
            &[],
        ),
        (File::Topology, "[[firewall.filter]]") => (
            "format = 1\n[[firewall]]\nid = \"f\"\ndefault = \"deny\"\n[[firewall.filter]]\n",
            None,
            &[("rule", "[[firewall.filter.rule]]")],
        ),
        (File::Topology, "[[firewall.filter.rule]]") => (
            "format = 1\n[[firewall]]\nid = \"f\"\ndefault = \"deny\"\n[[firewall.filter]]\ninterface = \"a\"\n[[firewall.filter.rule]]\n",
            None,
            &[],
        ),
        (File::Topology, "[[gateway]]") => (
            "format = 1\n[[gateway]]\n",
            None,
            &[("interfaces", "[[gateway]] interfaces")],
        ),
        (File::Topology, "[[gateway]] interfaces") => (
            "format = 1\n[[gateway]]\nid = \"g\"\nkind = \"proxy\"\n",
            Some("interfaces"),
            &[],
        ),
        (File::Policy, "policy") => (
            "",
            None,
            &[
                ("policy", "[policy]"),
                ("attacker", "[attacker]"),
                ("matrix", "[[matrix]]"),
                ("assert", "[[assert]]"),
                ("exception", "[[exception]]"),
            ],
        ),
        (File::Policy, "[policy]") => ("format = 1\n[policy]\n", None, &[]),
        (File::Policy, "[attacker]") => ("format = 1\n[attacker]\n", None, &[]),
        // The other arrays of tables of either file: `[[zone]]`, `[[matrix]]`, ...
        (_, other) => {
            return Table {
                prefix: format!("format = 1\n{other}\n"),
                inline: None,
                children: &[],
            };
        }
    };
    Table {
        prefix: prefix.to_string(),
        inline,
        children,
    }
}

/// Decodes one probe document and returns the diagnostics with the line each starts on.
fn decode(file: File, text: &str) -> Vec<(usize, crate::diag::Diagnostic)> {
    let mut sources = SourceMap::default();
    let mut diags = Diagnostics::default();
    let id = sources.add("probe.toml", text.to_string());
    match file {
        File::Topology => {
            super::decode_topology(&[(id, Syntax::Toml)], &sources, &mut diags);
        }
        File::Policy => {
            if let Some(root) = super::parse_document(id, Syntax::Toml, &sources, &mut diags) {
                super::policy::decode(&root, &mut diags);
            }
        }
    }
    diags
        .items
        .into_iter()
        .map(|d| (sources.position(d.loc).line, d))
        .collect()
}

/// The probe document with `body` (one `key = value`, or nothing) in the table.
fn probe(t: &Table, body: &str) -> (String, usize) {
    let line = t.prefix.lines().count() + 1;
    let text = match t.inline {
        Some(key) if body.is_empty() => format!("{}{key} = [{{ }}]\n", t.prefix),
        Some(key) => format!("{}{key} = [{{ {body} }}]\n", t.prefix),
        None => format!("{}{body}\n", t.prefix),
    };
    (text, line)
}

/// The keys a table accepts, in the loader's order.
fn keys(file: File, t: &Table) -> Vec<String> {
    let (text, _) = probe(t, "zz_probe = 1");
    decode(file, &text)
        .into_iter()
        .filter(|(_, d)| d.message.starts_with("unknown key `zz_probe`"))
        .flat_map(|(_, d)| d.notes)
        .find_map(|n| n.strip_prefix("accepted keys: ").map(str::to_string))
        .map(|l| l.split(", ").map(str::to_string).collect())
        .unwrap_or_default()
}

/// The keys a table requires.
fn required(file: File, t: &Table, keys: &[String]) -> Vec<String> {
    let (text, _) = probe(t, "");
    let messages: Vec<String> = decode(file, &text)
        .into_iter()
        .map(|(_, d)| d.message)
        .collect();
    keys.iter()
        .filter(|k| {
            messages.iter().any(|m| {
                m.contains(&format!("missing `{k}`")) || m.contains(&format!("missing `{k} ="))
            })
        })
        .cloned()
        .collect()
}

/// The loader's answers about one value of `key`, on the probe's line.
fn answers(file: File, t: &Table, key: &str, value: &str) -> Vec<crate::diag::Diagnostic> {
    let (text, line) = probe(t, &format!("{key} = {value}"));
    decode(file, &text)
        .into_iter()
        .filter(|(l, d)| *l == line && !d.message.contains(" is missing `"))
        .map(|(_, d)| d)
        .collect()
}

/// What a refusal says was expected: `expected a string, found a boolean` → `a string`.
fn expected(d: &crate::diag::Diagnostic) -> Option<String> {
    let rest = d.message.strip_prefix("expected ")?;
    let end = rest.rfind(", found ")?;
    Some(rest[..end].to_string())
}

/// The words accepted where an unknown word was refused.
fn words(ds: &[crate::diag::Diagnostic]) -> Option<Vec<String>> {
    ds.iter()
        .flat_map(|d| d.notes.iter())
        .find_map(|n| n.strip_prefix("expected one of: "))
        .map(|l| l.split(", ").map(str::to_string).collect())
}

/// The schema of a string value: an enum when the loader names its words.
fn string_schema(file: File, t: &Table, key: &str) -> Schema {
    Schema::string(words(&answers(file, t, key, "\"zz_word\"")))
}

fn value_schema(file: File, t: &Table, key: &str) -> Schema {
    if let Some(child) = t.children.iter().find(|(k, _)| *k == key).map(|(_, c)| *c) {
        let inner = table_schema(file, child);
        return if child.starts_with("[[") {
            Schema::array(inner)
        } else {
            inner
        };
    }
    let refusal = answers(file, t, key, "true");
    let Some(what) = refusal.iter().find_map(expected) else {
        return Schema::of("boolean");
    };
    match what.as_str() {
        "the integer 1" => Schema {
            constant: Some(1),
            ..Schema::default()
        },
        "an integer" => Schema::of("integer"),
        "a non-negative integer" => Schema {
            minimum: Some(0),
            ..Schema::of("integer")
        },
        w if w.starts_with("a date") => Schema {
            format: Some("date"),
            ..Schema::of("string")
        },
        "a table of CODE = level" => Schema {
            additional_properties: Some(Additional::Each(Box::new(Schema {
                words: Some(["deny", "warn", "allow"].map(String::from).to_vec()),
                ..Schema::default()
            }))),
            ..Schema::of("object")
        },
        w if w.starts_with("a string or an array") => {
            let one = string_schema(file, t, key);
            Schema {
                any_of: Some(vec![one.clone(), Schema::array(one)]),
                ..Schema::default()
            }
        }
        w if w.starts_with("an array") => {
            let words = words(&answers(file, t, key, "[\"zz_word\"]"));
            Schema::array(Schema::string(words))
        }
        w if w.starts_with("a string") => string_schema(file, t, key),
        _ => Schema::default(),
    }
}

fn table_schema(file: File, name: &str) -> Schema {
    let t = table(file, name);
    let keys = keys(file, &t);
    let properties = keys
        .iter()
        .map(|k| (k.clone(), value_schema(file, &t, k)))
        .collect();
    let mut required = required(file, &t, &keys);
    let mut schema = Schema {
        properties: Some(properties),
        additional_properties: Some(Additional::Allowed(false)),
        ..Schema::of("object")
    };
    // A device written with `interfaces` needs no `segment` and `ip`: when the loader stops
    // asking for them once `interfaces` is there, they are alternatives.
    let pair = ["segment".to_string(), "ip".to_string()];
    if keys.iter().any(|k| k == "interfaces") && pair.iter().all(|k| required.contains(k)) {
        let (text, _) = probe(&t, "interfaces = [{ segment = \"a\", ip = \"10.0.0.1\" }]");
        let still: Vec<String> = decode(file, &text)
            .into_iter()
            .map(|(_, d)| d.message)
            .collect();
        let asked = |k: &str| {
            still
                .iter()
                .any(|m| m.ends_with(&format!("is missing `{k}`")))
        };
        if !asked("segment") && !asked("ip") {
            required.retain(|k| !pair.contains(k));
            schema.one_of = Some(vec![
                Schema::requiring(pair.to_vec()),
                Schema::requiring(vec!["interfaces".to_string()]),
            ]);
        }
    }
    schema.required = Some(required);
    schema
}

fn document(file: File, root: &str, title: &'static str) -> Schema {
    Schema {
        dialect: Some("https://json-schema.org/draft/2020-12/schema"),
        title: Some(title),
        description: Some(
            "Generated by sansou from its loader (sansou schema); docs/FORMAT.md explains every key.",
        ),
        ..table_schema(file, root)
    }
}

/// The schema of a topology file (TOML, or JSON with the same structure).
pub fn topology() -> Schema {
    document(File::Topology, "topology", "sansou topology, format 1")
}

/// The schema of a policy file.
pub fn policy() -> Schema {
    document(File::Policy, "policy", "sansou policy, format 1")
}

#[cfg(test)]
mod tests {
    /// The fields of `Schema` are declared in the sorted order of their keys, so the schema
    /// is written as it always was (through `serde_json::Value`, whose maps are sorted).
    #[test]
    fn keys_are_written_in_sorted_order() {
        for schema in [super::topology(), super::policy()] {
            let direct = serde_json::to_string_pretty(&schema).unwrap();
            let value = serde_json::to_value(&schema).unwrap();
            assert_eq!(direct, serde_json::to_string_pretty(&value).unwrap());
        }
    }
}
