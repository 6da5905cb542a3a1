//! MN-002: every firewall rule that lets traffic cross the My Number boundary is a pinned
//! 特定通信: one source host, one destination host, explicit single ports.

use crate::model::Service;
use crate::model::policy::Level;
use crate::model::ranges::intersects;
use crate::rules::support::{BoundaryRule, covered, selector_unpinned, service_unpinned};
use crate::rules::{ByFirewall, Context, Doc, Levels, Meta, Outcome, Text};

pub static META: Meta = Meta {
    code: "MN-002",
    name: "mynumber-rule-not-pinned",
    levels: Levels::all(Level::Deny),
    guideline: "GL(R6.10) 対策基準 3.(1)①; S5 (要件シート No.2)",
    confidence: "V",
    ja: Doc {
        title: "マイナンバー利用事務系の境界を越える許可ルールの特定",
        what: "マイナンバー利用事務系と他の領域・外部網の間の通信を許可するファイアウォールのルール (ポリシーとインターフェースのフィルタの両方) が、送信元・宛先ともに 1 台のホスト (count = 1 で IP アドレスが 1 つの host:、または単一アドレス) に限られ、サービスが個別のポート (tcp/443 など) で指定されていること。any、プロトコル全体 (tcp)、ポート範囲 (udp/500-510)、セグメント・ゾーン・外部網全体の指定は不合格。対象は、マイナンバー系のセグメントとそれ以外の両方にインターフェースを持つファイアウォールのルールと、マイナンバー系のホスト・セグメント・アドレスを名指しするルールである。",
        why: "マイナンバー利用事務系と外部との通信は、業務上やむを得ないものを特定通信として、端末・サーバ (IP アドレス) とアプリケーション (ポート) の両方で限定することが求められている。セグメント単位や any の許可は、意図しない端末やサービスにまで経路を開き、侵入された機器からマイナンバー系へ到達する入口になる。",
        example: "マイナンバー系境界ファイアウォールに from = \"segment:mn-servers\", to = \"external:lgwan\", service = \"tcp\" の許可ルールがあり、基幹系サーバ全台から LGWAN 全体へ TCP の全ポートが通る。",
        fix: "ルールを、連携を行う 1 台のサーバから相手先 1 台 (中間サーバーなど) への、必要なポートだけの許可に書き換える。複数のサーバや宛先が必要なら、1 対 1 のルールに分ける。不要になったルールは削除する。",
    },
    en: Doc {
        title: "Rules crossing the My Number boundary are pinned",
        what: "Every firewall rule (policy list and interface filters) that allows traffic between the My Number tier and anything else names one source host and one destination host (a `host:` with count 1 and a single address, or a single address) and explicit single ports (`tcp/443`). `any`, a whole protocol (`tcp`), a port range (`udp/500-510`), or a segment, zone or external network as a whole fail. Checked: rules of firewalls with interfaces both on a My Number segment and elsewhere, and rules that name My Number hosts, segments or addresses.",
        why: "Traffic between the My Number tier and the outside is limited to unavoidable 特定通信, pinned both by address (which server talks to which) and by application protocol (port). A rule for a whole segment or for `any` opens paths to terminals and services nobody meant to expose, and gives a compromised device a way into the tier.",
        example: "The My Number boundary firewall allows from = \"segment:mn-servers\" to = \"external:lgwan\" with service = \"tcp\": every core server reaches the whole LGWAN on every TCP port.",
        fix: "Rewrite the rule to allow only the one server that does the exchange, to the one peer (e.g. the intermediate server), on the port it needs. Split several servers or peers into one-to-one rules; delete rules no longer needed.",
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
        let index = cx.mynumber_index();
        let mn = &index.addresses;
        let mut out = Vec::new();
        for BoundaryRule {
            subject,
            rule,
            from,
            to,
        } in boundary.iter()
        {
            let (subject, rule) = (subject.clone(), *rule);
            let crosses = (intersects(from, mn) && !covered(to, mn))
                || (intersects(to, mn) && !covered(from, mn));
            if !crosses {
                continue;
            }
            let mut problems: Vec<Text> = Vec::new();
            for (side, sels) in [
                (("送信元", "source"), &rule.from),
                (("宛先", "destination"), &rule.to),
            ] {
                for s in sels {
                    if let Some(why) = selector_unpinned(cx, &s.value) {
                        problems.push(Text::new(
                            format!("{} {} は 1 台のホストではない", side.0, why.ja),
                            format!("{} {} is not a single host", side.1, why.en),
                        ));
                    }
                }
            }
            let services: Vec<Service> = if rule.services.is_empty() {
                vec![Service::Any]
            } else {
                rule.services.iter().map(|s| s.value).collect()
            };
            for s in &services {
                if let Some(why) = service_unpinned(s) {
                    problems.push(Text::new(
                        format!("サービス {} は個別のポートではない", why.ja),
                        format!("service {} is not one explicit port", why.en),
                    ));
                }
            }
            if problems.is_empty() {
                out.push(Outcome::pass(subject, Some(rule.loc)));
                continue;
            }
            let ja: Vec<&str> = problems.iter().map(|t| t.ja.as_str()).collect();
            let en: Vec<&str> = problems.iter().map(|t| t.en.as_str()).collect();
            let message = Text::new(
                format!(
                    "ルール {subject} はマイナンバー利用事務系の境界を越える通信を許可しているが、特定されていない: {}",
                    ja.join("、")
                ),
                format!(
                    "rule {subject} allows traffic across the My Number boundary but is not pinned: {}",
                    en.join("; ")
                ),
            );
            out.push(Outcome::fail(subject, Some(rule.loc), message));
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
