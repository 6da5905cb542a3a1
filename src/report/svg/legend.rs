//! The legend under the picture: one sample of every kind of box and line, whether violating
//! paths were computed at all, and the list of declared data flows by their tags.

use super::geometry::{MARGIN, WIDTH};
use super::labels::{measure, room_for, wrap};
use crate::lang::Lang;
use crate::report::html::escape::text as esc;
use std::fmt::Write;

/// Height of a row of the legend.
const ROW: i64 = 22;

/// Writes the legend from `y` down, in as many rows as it needs, then one line per flow;
/// returns its height.
pub(super) fn legend(
    out: &mut String,
    y: i64,
    lang: Lang,
    checked: bool,
    flows: &[String],
    id: &str,
) -> i64 {
    let items: [(&str, &str); 9] = [
        ("seg", lang.pick("セグメント", "segment")),
        ("fw", lang.pick("ファイアウォール", "firewall")),
        (
            "gw",
            lang.pick(
                "ゲートウェイ (無害化・画面転送)",
                "gateway (sanitizer, screen transfer)",
            ),
        ),
        ("ext", lang.pick("外部ネットワーク", "external network")),
        ("edge", lang.pick("接続", "attachment")),
        if checked {
            (
                "violation",
                lang.pick(
                    "違反経路 (不適合レベルの指摘の経路; #n は指摘事項の番号)",
                    "violating path (deny finding; #n is the finding's number)",
                ),
            )
        } else {
            (
                "no-violation",
                lang.pick(
                    "違反経路: 未描画 (--policy)",
                    "violations not drawn (--policy)",
                ),
            )
        },
        (
            "bridge",
            lang.pick("複数セグメントに接続するホスト", "host in several segments"),
        ),
        (
            "store",
            lang.pick(
                "▣ データストア: データ分類 · 件数",
                "▣ data store: data classes · records",
            ),
        ),
        (
            "flow",
            lang.pick(
                "宣言されたデータの流れ (F番号)",
                "declared data flow (F number)",
            ),
        ),
    ];
    let _ = writeln!(out, "<g class=\"sv-legend legend\" id=\"{id}-legend\">");
    let mut x = MARGIN;
    let mut y = y;
    let top = y;
    for (kind, label) in items {
        // At the legend's 11px font.
        let w = 28 + measure(label) as i64 * 11 / 10;
        if x > MARGIN && x + w > MARGIN + WIDTH {
            x = MARGIN;
            y += ROW;
        }
        let ty = y + 16;
        let sample = match kind {
            "seg" => format!(
                "<rect class=\"sv-seg\" x=\"{x}\" y=\"{}\" width=\"22\" height=\"14\" rx=\"3\"/>",
                y + 5
            ),
            "fw" => format!(
                "<rect class=\"sv-fw\" x=\"{x}\" y=\"{}\" width=\"22\" height=\"14\"/>",
                y + 5
            ),
            "gw" => format!(
                "<rect class=\"sv-gw\" x=\"{x}\" y=\"{}\" width=\"22\" height=\"14\" rx=\"6\"/>",
                y + 5
            ),
            "ext" => format!(
                "<rect class=\"sv-ext\" x=\"{x}\" y=\"{}\" width=\"22\" height=\"14\" rx=\"7\"/>",
                y + 5
            ),
            "violation" => format!(
                "<line class=\"sv-violation\" x1=\"{x}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
                y + 12,
                x + 22,
                y + 12
            ),
            "bridge" => format!(
                "<line class=\"sv-bridge\" x1=\"{x}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
                y + 12,
                x + 22,
                y + 12
            ),
            "no-violation" | "store" => String::new(),
            "flow" => format!(
                "<line class=\"sv-flow\" x1=\"{x}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
                y + 12,
                x + 22,
                y + 12
            ),
            _ => format!(
                "<line class=\"sv-edge\" x1=\"{x}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
                y + 12,
                x + 22,
                y + 12
            ),
        };
        let _ = writeln!(
            out,
            "{sample}<text x=\"{}\" y=\"{ty}\">{label}</text>",
            x + 28
        );
        x += w + 22;
    }
    y += ROW;
    // Flows, wrapped in full.
    for f in flows {
        for line in wrap(f, room_for(WIDTH, 11), usize::MAX) {
            let _ = writeln!(
                out,
                "<text x=\"{MARGIN}\" y=\"{}\">{}</text>",
                y + 14,
                esc(&line)
            );
            y += 16;
        }
    }
    out.push_str("</g>\n");
    y - top
}
