//! MN-009: every rule that allows traffic between the My Number tier and the LGWAN side says
//! why (`reason`).

use crate::model::policy::Level;
use crate::model::ranges::intersects;
use crate::rules::support::BoundaryRule;
use crate::rules::{ByFirewall, Context, Doc, Levels, Meta, Outcome, Text};

pub static META: Meta = Meta {
    code: "MN-009",
    name: "mynumber-lgwan-rule-without-reason",
    levels: Levels::all(Level::Deny),
    guideline: "GL(R6.10) 対策基準 3.(1)①; S5, S6, S24",
    confidence: "V",
    ja: Doc {
        title: "マイナンバー利用事務系と LGWAN 側の間の許可ルールの理由",
        what: "マイナンバー利用事務系と LGWAN 側 (tier lgwan のゾーン、kind lgwan の外部網) の間の通信を許可するファイアウォールのルールに、業務上の理由 (reason) が書かれていること。reason が無い、または空のルールは不合格。対象のルールの選び方は MN-002 と同じ。",
        why: "マイナンバー利用事務系と LGWAN接続系の通信は原則として遮断し、中間サーバーとの情報連携など業務上やむを得ないものに限って許可する。理由の書かれていない許可は、なぜ開いているのか誰も説明できず、見直しでも閉じられないまま残る。監査でも、個々の許可が特定通信として認められたものかを確かめられない。",
        example: "マイナンバー系境界ファイアウォールに host:atena から 172.20.1.10 への tcp/443 を許可するルールがあるが、reason が書かれていない。",
        fix: "ルールに reason = \"特定通信: 団体内統合宛名 → 自治体中間サーバー (情報連携)\" のように、連携の名称・相手先・根拠を書く。説明できないルールは削除する。",
    },
    en: Doc {
        title: "Reason for rules between the My Number tier and the LGWAN side",
        what: "Every firewall rule that allows traffic between the My Number tier and the LGWAN side (lgwan-tier zones and externals of kind lgwan) has a `reason`. A rule without one, or with an empty one, fails. Rules are chosen as for MN-002.",
        why: "Traffic between the My Number tier and the LGWAN-connected systems is blocked in principle and allowed only for unavoidable business exchanges such as the intermediate-server link. An allow rule with no stated purpose cannot be defended or reviewed, tends to stay open forever, and gives an auditor no way to tell whether it is an approved 特定通信.",
        example: "The My Number boundary firewall allows host:atena to 172.20.1.10 on tcp/443, with no `reason`.",
        fix: "Write the exchange, the peer and its basis in the rule's reason, e.g. reason = \"特定通信: 団体内統合宛名 → 自治体中間サーバー (情報連携)\". Delete rules nobody can explain.",
    },
};

pub struct Rule;

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    /// It reads the rule lists themselves, firewall by firewall.
    fn by_firewall(&self) -> Option<&dyn ByFirewall> {
        Some(self)
    }
}

impl ByFirewall for Rule {
    fn part(&self, cx: &mut Context<'_>, f: usize) -> Vec<Outcome> {
        let boundary = cx.mynumber_boundary(f);
        if boundary.is_empty() {
            return Vec::new();
        }
        let index = cx.mynumber_index();
        let mn = &index.addresses;
        let lgwan = cx.lgwan_side();
        let lgwan = lgwan.as_slice();
        let mut out = Vec::new();
        for BoundaryRule {
            subject,
            rule,
            from,
            to,
        } in boundary.iter()
        {
            let crosses = (intersects(from, mn) && intersects(to, lgwan))
                || (intersects(from, lgwan) && intersects(to, mn));
            if !crosses {
                continue;
            }
            let stated = rule.reason.as_deref().is_some_and(|r| !r.trim().is_empty());
            if stated {
                out.push(Outcome::pass(subject, Some(rule.loc)));
            } else {
                out.push(Outcome::fail(
                    subject.clone(),
                    Some(rule.loc),
                    Text::new(
                        format!(
                            "ルール {subject} はマイナンバー利用事務系と LGWAN 側の間の通信を許可しているが、理由 (reason) が書かれていない"
                        ),
                        format!(
                            "rule {subject} allows traffic between the My Number tier and the LGWAN side but states no `reason`"
                        ),
                    ),
                ));
            }
        }
        out
    }

    fn rest(&self, _cx: &mut Context<'_>, any: bool) -> Vec<Outcome> {
        if any {
            Vec::new()
        } else {
            vec![Outcome::pass("tier:mynumber", None)]
        }
    }
}
