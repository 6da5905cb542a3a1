//! EXT-005: the line to ガバメントクラウド is dedicated or closed, never the internet.

use crate::model::ExternalKind;
use crate::model::policy::Level;
use crate::rules::required::{Need, judge};
use crate::rules::{Context, Doc, Levels, Meta, Outcome};

pub static META: Meta = Meta {
    code: "EXT-005",
    name: "gov-cloud-line-not-closed",
    levels: Levels::all(Level::Deny),
    guideline: "GL(R6.10) 対策基準 3.(1)①",
    confidence: "V/G",
    ja: Doc {
        title: "ガバメントクラウドへの回線が専用線・閉域網でない",
        what: "kind = \"gov-cloud\" の [[external]] の line が dedicated (専用線) または closed (閉域網) であること。internet-vpn や internet は不合格、line が無ければ判定不能。パケットの経路は MN-011 が検査する。",
        why: "標準準拠システムを載せたガバメントクラウドはマイナンバー利用事務系の延長であり、インターネットを経由しない専用線や閉域網で接続することとされている。インターネット VPN では、経路の一部をインターネットに委ねることになる。",
        example: "ガバメントクラウドの接続 gov-cloud に line = \"internet-vpn\" と書かれている。",
        fix: "ガバメントクラウドへは専用線または閉域網 (ガバメントクラウド接続サービス等) で接続し、line に記載する。",
    },
    en: Doc {
        title: "Line to the Government Cloud is not dedicated or closed",
        what: "Every [[external]] of kind gov-cloud has line = dedicated or closed. internet-vpn or internet fails; a missing line is unknown. MN-011 checks the packets.",
        why: "The Government Cloud that hosts the standardised systems extends the My Number tier and is connected over dedicated or closed lines that do not cross the internet. An internet VPN leaves part of the path to the internet.",
        example: "The external gov-cloud has line = \"internet-vpn\".",
        fix: "Connect to the Government Cloud over a dedicated line or closed network and state it in line.",
    },
};

pub struct Rule;

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) -> Vec<Outcome> {
        cx.topo
            .externals
            .iter()
            .filter(|e| e.kind == ExternalKind::GovCloud)
            .map(|e| {
                let line = Need::new(
                    "line",
                    e.line.map(|l| l.is_closed()),
                    format!("line = {}", e.line.map_or("", |l| l.as_str())),
                );
                judge(
                    format!("external:{}", e.id),
                    Some(e.loc),
                    (&format!("外部網 {}", e.id), &format!("external {}", e.id)),
                    (
                        "専用線・閉域網の要件",
                        "the dedicated or closed line requirement",
                    ),
                    &[line],
                )
            })
            .collect()
    }
}
