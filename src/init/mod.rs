//! `sansou init`: a commented starter design for one network model, and its policy.
//!
//! The starter is a topology directory (`topology/`: the design, placeholder terminals to be
//! replaced by a ledger import, one file per firewall to be replaced by a vendor import) and a
//! policy beside it. It validates as written; what it leaves out on purpose (MFA, removable
//! media, EDR, encryption...) is what `check` reports as unknown, and [`checklist`] is that
//! list, so the checklist `init` prints and `check`'s unknown findings are one list.
//!
//! The templates are files under `templates/` with `{{key}}` holes filled by [`fill`]; the
//! library only renders text, the CLI writes it (and refuses to overwrite).

use crate::model::NetworkModel;
use crate::rules::Verdict;
use crate::rules::engine::{CheckResult, Finding};

const DESIGN: &str = include_str!("templates/design.toml");
const TERMINALS_ALPHA: &str = include_str!("templates/terminals-alpha.toml");
const TERMINALS_BETA: &str = include_str!("templates/terminals-beta.toml");
const FW_MN: &str = include_str!("templates/fw-mn.toml");
const FW_LG: &str = include_str!("templates/fw-lg.toml");
const FW_JUKI: &str = include_str!("templates/fw-juki.toml");
const FW_INET: &str = include_str!("templates/fw-inet.toml");
const POLICY: &str = include_str!("templates/policy.toml");

/// The topology directory inside the output directory, and the policy file beside it (a
/// policy inside the topology directory would be read as a topology file).
pub const TOPOLOGY_DIR: &str = "topology";
pub const POLICY_FILE: &str = "policy.toml";

/// One file of the starter: its path relative to the output directory, and its text.
#[derive(Clone, Debug)]
pub struct File {
    pub path: String,
    pub text: String,
}

/// The starter design and policy for `model`, named `name` (default: a placeholder).
pub fn starter(model: NetworkModel, name: Option<&str>) -> Vec<File> {
    let name = name.unwrap_or("○○市");
    let beta = matches!(model, NetworkModel::Beta | NetworkModel::BetaPrime);
    let (model_ja, model_en) = match model {
        NetworkModel::Alpha => ("αモデル", "α model"),
        NetworkModel::AlphaPrime => ("α'モデル", "α' model"),
        NetworkModel::Beta => ("βモデル", "β model"),
        NetworkModel::BetaPrime => ("β'モデル", "β' model"),
    };
    // The name goes into comments too: a newline there would end the comment.
    let name_line = name.replace(['\n', '\r'], " ");
    let alpha_prime = model == NetworkModel::AlphaPrime;
    let vars: Vec<(&str, String)> = vec![
        ("name", name_line),
        ("name_toml", toml_string(name)),
        ("model", model.as_str().to_string()),
        ("model_ja", model_ja.to_string()),
        ("model_en", model_en.to_string()),
        (
            "inet_office_name",
            if beta {
                "インターネット接続系 業務端末".to_string()
            } else {
                "Web閲覧用 仮想ブラウザ".to_string()
            },
        ),
        ("screen_from", if beta { "lg" } else { "inet" }.to_string()),
        ("screen_to", if beta { "inet" } else { "lg" }.to_string()),
        (
            "externals",
            if alpha_prime {
                ALPHA_PRIME_EXTERNAL.to_string()
            } else {
                String::new()
            },
        ),
        (
            "matrix",
            if beta { MATRIX_BETA } else { MATRIX_ALPHA }.to_string(),
        ),
    ];
    let terminals = if beta {
        TERMINALS_BETA
    } else {
        TERMINALS_ALPHA
    };
    let topo = |file: &str| format!("{TOPOLOGY_DIR}/{file}");
    [
        (topo("design.toml"), DESIGN),
        (topo("terminals.toml"), terminals),
        (topo("fw-mn.toml"), FW_MN),
        (topo("fw-lg.toml"), FW_LG),
        (topo("fw-juki.toml"), FW_JUKI),
        (topo("fw-inet.toml"), FW_INET),
        (POLICY_FILE.to_string(), POLICY),
    ]
    .into_iter()
    .map(|(path, template)| File {
        path,
        text: fill(template, &vars),
    })
    .collect()
}

/// α': the local breakout, written as a commented example: a breakout is pinned to the named
/// cloud service and logged (AP-001), and only the municipality knows its addresses. Left
/// commented, the α' starter checks like the α one.
const ALPHA_PRIME_EXTERNAL: &str = r#"
# α' ローカルブレイクアウト (LBO): 認められたクラウドサービスへ LGWAN系端末から直接接続する
# 場合は、接続先を固定し、ログを取る専用のルータとして書きます (AP-001)。アドレスは例示。
# α' local breakout: a router of its own, pinned to the approved service and logged (AP-001).
# Uncomment and replace the illustrative addresses:
#
# [[external]]
# id = "saas"
# kind = "internet"
# name = "業務クラウドサービス / approved cloud service"
# cidrs = ["203.0.113.0/24"]
#
# [[firewall]]
# id = "rt-lbo"
# name = "LBO ルータ"
# interfaces = [
#   { name = "lan", segment = "lg-office", ip = "10.2.1.254" },
#   { name = "wan", external = "saas" },
# ]
# default = "deny"
#
# [[firewall.rule]]
# action = "allow"
# from = "segment:lg-office"
# to = "203.0.113.0/24"
# service = ["tcp/443"]
# log = true
# reason = "承認済みクラウドサービスのみ / approved cloud service only"
"#;

const MATRIX_ALPHA: &str = r#"# インターネット接続系 → LGWAN接続系: 無害化通信だけ / sanctioned crossings only
[[matrix]]
from = "tier:internet"
to = "tier:lgwan"
allow = ["channel:file-sanitizer", "channel:mail-sanitizer", "channel:screen-transfer"]

[[matrix]]
from = "tier:lgwan"
to = "tier:internet"
allow = []
"#;

const MATRIX_BETA: &str = r#"# インターネット接続系 → LGWAN接続系: 無害化通信だけ / sanctioned crossings only
[[matrix]]
from = "tier:internet"
to = "tier:lgwan"
allow = ["channel:file-sanitizer", "channel:mail-sanitizer"]

# LGWAN接続系 → インターネット接続系: 画面転送 (画素) だけ / screen transfer (pixels) only
[[matrix]]
from = "tier:lgwan"
to = "tier:internet"
allow = ["channel:screen-transfer"]
"#;

/// Replaces every `{{key}}` of `template` with its value, in one pass: a value is never
/// scanned again, so a name containing `{{` stays as written.
pub fn fill(template: &str, vars: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len() + 256);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("}}").and_then(|end| {
            let key = &after[..end];
            vars.iter().find(|(k, _)| *k == key).map(|(_, v)| (v, end))
        }) {
            Some((value, end)) => {
                out.push_str(value);
                rest = &after[end + 2..];
            }
            None => {
                out.push_str("{{");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `text` as a TOML basic string, escaped.
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// The facts still to fill in: the unknown findings of a check, in the check's order.
pub fn checklist(result: &CheckResult) -> Vec<&Finding> {
    result
        .findings
        .iter()
        .filter(|f| f.verdict == Verdict::Unknown)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_known_keys_once() {
        let vars = [("a", "{{b}}".to_string()), ("b", "x".to_string())];
        assert_eq!(
            fill("1 {{a}} 2 {{b}} {{c}} {{", &vars),
            "1 {{b}} 2 x {{c}} {{"
        );
    }

    #[test]
    fn every_hole_is_filled_for_every_model() {
        for &model in NetworkModel::ALL {
            for f in starter(model, Some("テスト\n\"町\"")) {
                assert!(!f.text.contains("{{"), "{} {model}: {}", f.path, f.text);
            }
        }
    }
}
