//! The JSON Schema of `sansou schema topology|policy` accepts every sample and every fixture the
//! loader accepts, and refuses what the loader refuses for its shape (an unknown key, a word
//! outside a vocabulary, a missing required key). The schema comes from the loader; this test
//! checks it against files, with a small validator for the keywords the schema uses.

use sansou::diag::Diagnostics;
use sansou::load::{self, Syntax};
use sansou::source::SourceMap;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// The keywords `sansou schema` writes: type, const, enum, properties, required,
/// additionalProperties, items, anyOf, oneOf (and format, which is not checked).
fn valid(schema: &Value, v: &Value) -> bool {
    let s = schema.as_object().unwrap();
    if let Some(t) = s.get("type").and_then(Value::as_str) {
        let ok = match t {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" => v.is_string(),
            "boolean" => v.is_boolean(),
            "integer" => v.is_i64() || v.is_u64(),
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    if s.get("const").is_some_and(|c| c != v) {
        return false;
    }
    if let Some(list) = s.get("enum").and_then(Value::as_array)
        && !list.contains(v)
    {
        return false;
    }
    if let Some(min) = s.get("minimum").and_then(Value::as_i64)
        && v.as_i64().is_some_and(|n| n < min)
    {
        return false;
    }
    if let Some(any) = s.get("anyOf").and_then(Value::as_array)
        && !any.iter().any(|x| valid(x, v))
    {
        return false;
    }
    if let Some(one) = s.get("oneOf").and_then(Value::as_array)
        && one.iter().filter(|x| valid(x, v)).count() != 1
    {
        return false;
    }
    if let Some(items) = s.get("items")
        && let Some(a) = v.as_array()
        && !a.iter().all(|x| valid(items, x))
    {
        return false;
    }
    if let Some(o) = v.as_object() {
        if let Some(req) = s.get("required").and_then(Value::as_array)
            && !req.iter().all(|k| o.contains_key(k.as_str().unwrap()))
        {
            return false;
        }
        let props = s.get("properties").and_then(Value::as_object);
        for (k, x) in o {
            let rule = props
                .and_then(|p| p.get(k))
                .or_else(|| s.get("additionalProperties"));
            let ok = match rule {
                Some(Value::Bool(allowed)) => *allowed,
                Some(r) => valid(r, x),
                None => true,
            };
            if !ok {
                return false;
            }
        }
    }
    true
}

/// A TOML document as the JSON an editor's schema check sees (dates as strings).
fn to_json(v: &toml::Value) -> Value {
    match v {
        toml::Value::String(s) => json!(s),
        toml::Value::Integer(i) => json!(i),
        toml::Value::Float(f) => json!(f),
        toml::Value::Boolean(b) => json!(b),
        toml::Value::Datetime(d) => json!(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.iter().map(to_json).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.iter().map(|(k, x)| (k.clone(), to_json(x))).collect())
        }
    }
}

fn read(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    if path.extension().is_some_and(|e| e == "json") {
        serde_json::from_str(&text).unwrap()
    } else {
        to_json(&text.parse::<toml::Table>().map(toml::Value::Table).unwrap())
    }
}

fn files(dir: &str, out: &mut Vec<PathBuf>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            let rel = p.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap();
            files(rel.to_str().unwrap(), out);
        } else if p.extension().is_some_and(|e| e == "toml" || e == "json") {
            out.push(p);
        }
    }
}

fn schema(which: &str) -> Value {
    let schema = match which {
        "topology" => load::schema::topology(),
        _ => load::schema::policy(),
    };
    serde_json::to_value(schema).unwrap()
}

/// Whether the loader accepts a file as a policy (checked alone, as an editor would).
fn policy_loads(path: &Path) -> bool {
    let mut sources = SourceMap::default();
    let mut diags = Diagnostics::default();
    let file = sources.add("p.toml", std::fs::read_to_string(path).unwrap());
    let Some(root) = load::parse_document(file, Syntax::Toml, &sources, &mut diags) else {
        return false;
    };
    let _ = load::policy::decode(&root, &mut diags);
    !diags.has_errors()
}

#[test]
fn every_topology_the_loader_accepts_is_valid() {
    let topology = schema("topology");
    let mut all = Vec::new();
    for dir in ["topologies", "tests/fixtures"] {
        files(dir, &mut all);
    }
    let mut checked = 0;
    for path in all {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        if !text.contains("format = 1") && !text.contains("\"format\": 1") {
            continue;
        }
        let is_policy =
            text.contains("[policy]") || text.contains("[[exception]]") || text.contains("[rules]");
        let ok = if is_policy {
            policy_loads(&path)
        } else {
            load::load_topology(&path).is_ok_and(|l| !l.diagnostics.has_errors())
        };
        if !ok {
            continue;
        }
        let s = if is_policy {
            schema("policy")
        } else {
            topology.clone()
        };
        assert!(
            valid(&s, &read(&path)),
            "{} is refused by the schema",
            path.display()
        );
        checked += 1;
    }
    assert!(checked >= 80, "only {checked} files checked");
}

#[test]
fn the_sample_policies_are_valid() {
    let policy = schema("policy");
    let mut all = Vec::new();
    files("policies", &mut all);
    assert!(all.len() >= 4);
    for path in all {
        assert!(valid(&policy, &read(&path)), "{}", path.display());
    }
}

#[test]
fn what_the_loader_refuses_for_its_shape_the_schema_refuses() {
    let topology = schema("topology");
    let ok = json!({"format": 1, "zone": [{"id": "a", "tier": "lgwan"}]});
    assert!(valid(&topology, &ok));
    for bad in [
        json!({"format": 1, "zone": [{"id": "a", "tier": "lgwn"}]}),
        json!({"format": 1, "zone": [{"id": "a", "tier": "lgwan", "colour": "red"}]}),
        json!({"format": 1, "zone": [{"id": "a"}]}),
        json!({"format": 2}),
        json!({"zone": []}),
        json!({"format": 1, "host": [{"id": "h", "kind": "server"}]}),
        json!({"format": 1, "meta": {"guideline": "R9.99"}}),
    ] {
        assert!(!valid(&topology, &bad), "{bad}");
    }
    let policy = schema("policy");
    assert!(!valid(
        &policy,
        &json!({"format": 1, "rules": {"MN-001": "fatal"}})
    ));
}

#[test]
fn the_command_prints_the_same_schema() {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_sansou"))
        .args(["schema", "topology"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let printed: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(printed, schema("topology"));
    assert_eq!(
        printed["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
}
