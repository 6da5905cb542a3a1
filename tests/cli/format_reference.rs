//! docs/FORMAT.md is the complete format reference: for every table it documents, the keys it
//! lists are exactly the keys the loader accepts. A key the loader accepts but the page does
//! not list, or one the page lists but the loader refuses, fails this test; so does a table of
//! the page this test has no probe for (add one below).
//!
//! The loader names the keys a table accepts when it meets an unknown one; each probe is a
//! small document with one unknown key `zz_probe` in the table under test.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

/// For each table heading of the reference: whether it is a policy, and the probe document.
fn probes() -> BTreeMap<&'static str, (bool, &'static str)> {
    BTreeMap::from([
        ("topology", (false, "format = 1\nzz_probe = 1\n")),
        ("[meta]", (false, "format = 1\n[meta]\nzz_probe = 1\n")),
        ("[[zone]]", (false, "format = 1\n[[zone]]\nzz_probe = 1\n")),
        ("[org]", (false, "format = 1\n[org]\nzz_probe = 1\n")),
        ("[[site]]", (false, "format = 1\n[[site]]\nzz_probe = 1\n")),
        (
            "[[service]]",
            (false, "format = 1\n[[service]]\nzz_probe = 1\n"),
        ),
        ("[[wifi]]", (false, "format = 1\n[[wifi]]\nzz_probe = 1\n")),
        (
            "[[remote_access]]",
            (false, "format = 1\n[[remote_access]]\nzz_probe = 1\n"),
        ),
        (
            "[[log_sink]]",
            (false, "format = 1\n[[log_sink]]\nzz_probe = 1\n"),
        ),
        (
            "[[monitor]]",
            (false, "format = 1\n[[monitor]]\nzz_probe = 1\n"),
        ),
        (
            "[[external]]",
            (false, "format = 1\n[[external]]\nzz_probe = 1\n"),
        ),
        (
            "[[segment]]",
            (false, "format = 1\n[[segment]]\nzz_probe = 1\n"),
        ),
        ("[[host]]", (false, "format = 1\n[[host]]\nzz_probe = 1\n")),
        (
            "[[host]] interfaces",
            (
                false,
                "format = 1\n[[host]]\nid = \"h\"\nkind = \"server\"\ninterfaces = [{ zz_probe = 1 }]\n",
            ),
        ),
        (
            "[[store]]",
            (false, "format = 1\n[[store]]\nzz_probe = 1\n"),
        ),
        (
            "[[firewall]]",
            (false, "format = 1\n[[firewall]]\nzz_probe = 1\n"),
        ),
        (
            "[[firewall]] interfaces",
            (
                false,
                "format = 1\n[[firewall]]\nid = \"f\"\ndefault = \"deny\"\ninterfaces = [{ zz_probe = 1 }]\n",
            ),
        ),
        (
            "[[firewall.rule]]",
            (
                false,
                "format = 1\n[[firewall]]\nid = \"f\"\ndefault = \"deny\"\n[[firewall.rule]]\nzz_probe = 1\n",
            ),
        ),
        (
            "[[firewall.nat]]",
            (
                false,
                "format = 1\n[[firewall]]\nid = \"f\"\ndefault = \"deny\"\n[[firewall.nat]]\nzz_probe = 1\n",
            ),
        ),
        (
            "[[firewall.route]]",
            (
                false,
                "format = 1\n[[firewall]]\nid = \"f\"\ndefault = \"deny\"\n[[firewall.route]]\nzz_probe = 1\n",
            ),
        ),
        (
            "[[firewall.filter]]",
            (
                false,
                "format = 1\n[[firewall]]\nid = \"f\"\ndefault = \"deny\"\n[[firewall.filter]]\nzz_probe = 1\n",
            ),
        ),
        (
            "[[firewall.filter.rule]]",
            (
                false,
                "format = 1\n[[firewall]]\nid = \"f\"\ndefault = \"deny\"\n[[firewall.filter]]\ninterface = \"a\"\n[[firewall.filter.rule]]\nzz_probe = 1\n",
            ),
        ),
        (
            "[[gateway]]",
            (false, "format = 1\n[[gateway]]\nzz_probe = 1\n"),
        ),
        (
            "[[gateway]] interfaces",
            (
                false,
                "format = 1\n[[gateway]]\nid = \"g\"\nkind = \"proxy\"\ninterfaces = [{ zz_probe = 1 }]\n",
            ),
        ),
        (
            "[[account]]",
            (false, "format = 1\n[[account]]\nzz_probe = 1\n"),
        ),
        ("[[flow]]", (false, "format = 1\n[[flow]]\nzz_probe = 1\n")),
        ("policy", (true, "format = 1\nzz_probe = 1\n")),
        ("[policy]", (true, "format = 1\n[policy]\nzz_probe = 1\n")),
        (
            "[attacker]",
            (true, "format = 1\n[attacker]\nzz_probe = 1\n"),
        ),
        (
            "[[matrix]]",
            (true, "format = 1\n[[matrix]]\nzz_probe = 1\n"),
        ),
        (
            "[[assert]]",
            (true, "format = 1\n[[assert]]\nzz_probe = 1\n"),
        ),
        (
            "[[exception]]",
            (true, "format = 1\n[[exception]]\nzz_probe = 1\n"),
        ),
    ])
}

/// The keys each table heading of the reference lists (tables without key rows left out).
fn documented() -> BTreeMap<String, BTreeSet<String>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let page = std::fs::read_to_string(root.join("docs/FORMAT.md")).unwrap();
    let start = page.find("## Reference").expect("a Reference section");
    let end = page.find("## Decisions").expect("a Decisions section");
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in page[start..end].lines() {
        if let Some(h) = line.strip_prefix("### ") {
            // "### `[[host]]` interfaces" → "[[host]] interfaces"
            current = Some(h.replace('`', "").trim().to_string());
        } else if let (Some(h), Some(row)) = (&current, line.strip_prefix("| `")) {
            let key = &row[..row.find('`').unwrap()];
            out.entry(h.clone()).or_default().insert(key.to_string());
        }
    }
    out
}

/// The keys the loader accepts in the probed table.
fn accepted(policy: bool, doc: &str, name: &str) -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("format_reference");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{}.toml", name.replace(['[', ']', ' ', '.'], "_")));
    std::fs::write(&file, doc).unwrap();
    let file = file.to_str().unwrap();
    let base = "tests/fixtures/valid/base.toml";
    let args: Vec<&str> = if policy {
        vec!["validate", base, "--policy", file]
    } else {
        vec!["validate", file]
    };
    let o = Command::new(env!("CARGO_BIN_EXE_sansou"))
        .args(&args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("LANG", "C")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    let at = err
        .find("unknown key `zz_probe`")
        .unwrap_or_else(|| panic!("{name}: the probe was not reported\n{err}"));
    let rest = &err[at..];
    let list = rest
        .find("accepted keys: ")
        .map(|i| &rest[i + "accepted keys: ".len()..])
        .unwrap_or_else(|| panic!("{name}: no accepted keys\n{err}"));
    let list = &list[..list.find('\n').unwrap_or(list.len())];
    list.split(", ").map(str::to_string).collect()
}

#[test]
fn the_reference_lists_exactly_the_keys_the_loader_accepts() {
    let documented = documented();
    let probes = probes();
    let headings: BTreeSet<&str> = documented.keys().map(String::as_str).collect();
    let probed: BTreeSet<&str> = probes.keys().copied().collect();
    assert_eq!(
        headings, probed,
        "tables of docs/FORMAT.md and probes of this test"
    );
    for (name, (policy, doc)) in probes {
        let loader = accepted(policy, doc, name);
        let page = &documented[name];
        let undocumented: Vec<&String> = loader.difference(page).collect();
        let refused: Vec<&String> = page.difference(&loader).collect();
        assert!(
            undocumented.is_empty() && refused.is_empty(),
            "{name}: accepted but not documented {undocumented:?}; documented but refused {refused:?}"
        );
    }
}
