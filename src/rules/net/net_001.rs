//! NET-001: firewalls between zones deny by default, and every allow rule says why.

use super::{selectors, services};
use crate::model::policy::Level;
use crate::model::{Action, Attachment, Direction, Firewall, Rule as FwRule};
use crate::rules::{ByFirewall, Context, Doc, Levels, Meta, Outcome, Text};

pub static META: Meta = Meta {
    code: "NET-001",
    name: "firewall-not-deny-by-default-or-rule-without-reason",
    levels: Levels::all(Level::Deny),
    guideline: "GL(R6.10) 対策基準 6.1",
    confidence: "G",
    ja: Doc {
        title: "既定で拒否しないファイアウォール・理由のない許可ルール",
        what: "異なるゾーン (または外部網) の間にあるファイアウォール・ルータについて、(1) どのルールにも当たらない通信を拒否すること: default = \"deny\"、または default = \"allow\" でも異なるゾーンを結ぶインターフェースの組ごとに入力側か出力側のフィルタが既定で拒否していること、(2) 許可 (allow) ルールごとに reason (目的・根拠) が書かれていること、(3) ルールに審査記録があれば、承認期限 (expires) が過ぎておらず、最終審査 (reviewed_at) から 1 年以内であること。ポリシーのルールは「FW-ID/番号」、フィルタのルールは「FW-ID/インターフェース-方向/番号」で示す (id のあるルールは番号の代わりに id)。1 つのゾーンの中だけをつなぐルータは対象外。",
        why: "通信回線装置では、業務に必要な通信だけを許可し、それ以外はすべて遮断するのが原則である。既定で許可する機器では、ルールの書き漏れがそのまま穴になる。理由の書かれていない許可ルールは、見直しの際に要否を判断できず、不要な許可が残り続ける (2015 年の日本年金機構では、外向き通信が無制限に許可されていた)。",
        example: "[[firewall]] default = \"allow\" で LGWAN 接続系とインターネット接続系を結んでいる。または [[firewall.rule]] action = \"allow\", from = \"any\", to = \"external:internet\" に reason が無い。",
        fix: "default = \"deny\" にし、必要な通信だけを個別に許可する。各許可ルールに、業務上の目的と根拠 (承認番号など) を reason として記載する。不要になったルールは削除する。",
    },
    en: Doc {
        title: "Firewall not denying by default, or allow rule without a reason",
        what: "For every firewall or router between different zones (or facing an external network): (1) what no rule matches is denied: default = \"deny\", or, with default = \"allow\", a deny-by-default filter on the way in or the way out for every pair of interfaces in different zones; (2) every allow rule carries a `reason` (its purpose and authority); (3) a rule with a review record has not passed its `expires` date and was reviewed (`reviewed_at`) within the last year. Policy rules are named FW-ID/N, filter rules FW-ID/INTERFACE-DIRECTION/N (a rule's `id` replaces N). Routers that only join segments of one zone are out of scope.",
        why: "Communication devices allow only the traffic the work needs and block everything else. On a device that allows by default, every forgotten rule is a hole. An allow rule with no stated reason cannot be judged at review time, so unneeded openings stay forever (the Japan Pension Service let all outbound traffic through in 2015).",
        example: "A [[firewall]] with default = \"allow\" joining the LGWAN and internet tiers; or a [[firewall.rule]] action = \"allow\", from = \"any\", to = \"external:internet\" without a `reason`.",
        fix: "Set default = \"deny\" and allow only what is needed, rule by rule. Give each allow rule a `reason` with its business purpose and authority (an approval number). Remove rules that are no longer needed.",
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
        let topo = cx.topo;
        let fw = &topo.firewalls[f];
        // What each interface is on: `zone:ID` or `external:ID`.
        let areas: Vec<Option<String>> = fw
            .interfaces
            .iter()
            .map(|i| match &i.attachment.value {
                Attachment::Segment(s) => topo.segment(s).map(|s| format!("zone:{}", s.zone.value)),
                Attachment::External(x) => Some(format!("external:{x}")),
            })
            .collect();
        let mut distinct: Vec<&String> = areas.iter().flatten().collect();
        distinct.sort();
        distinct.dedup();
        if distinct.len() < 2 {
            return Vec::new();
        }
        let mut out = vec![default_outcome(fw, &areas)];
        for (n, r) in fw.rules.iter().enumerate() {
            out.push(reason_outcome(
                fw,
                r,
                || fw.rule_subject(n),
                None,
                &cx.today,
            ));
        }
        for filter in &fw.filters {
            for (n, r) in filter.rules.iter().enumerate() {
                out.push(reason_outcome(
                    fw,
                    r,
                    || fw.filter_rule_subject(filter, n),
                    Some((&filter.interface.value, filter.direction)),
                    &cx.today,
                ));
            }
        }
        out
    }

    fn rest(&self, _cx: &mut Context<'_>, any: bool) -> Vec<Outcome> {
        if any {
            Vec::new()
        } else {
            vec![Outcome::pass("firewalls", None)]
        }
    }
}

/// Whether what no rule matches is denied between every two interfaces in different areas.
fn default_outcome(fw: &Firewall, areas: &[Option<String>]) -> Outcome {
    let subject = fw.id.clone();
    if fw.default == Action::Deny {
        return Outcome::pass(subject, Some(fw.loc));
    }
    let n = fw.interfaces.len();
    let mut in_deny = vec![false; n];
    let mut out_deny = vec![false; n];
    for f in &fw.filters {
        if let Some(i) = fw.interface_index(&f.interface)
            && f.default == Action::Deny
        {
            match f.direction {
                Direction::In => in_deny[i] = true,
                Direction::Out => out_deny[i] = true,
            }
        }
    }
    for a in 0..n {
        for b in 0..n {
            let (Some(x), Some(y)) = (&areas[a], &areas[b]) else {
                continue;
            };
            if a == b || x == y || in_deny[a] || out_deny[b] {
                continue;
            }
            let name = |i: usize| {
                fw.interfaces[i]
                    .name
                    .clone()
                    .unwrap_or_else(|| format!("#{}", i + 1))
            };
            let (ia, ib) = (name(a), name(b));
            return Outcome::fail(
                subject,
                Some(fw.loc),
                Text::new(
                    format!(
                        "ファイアウォール {} は {x} と {y} を結ぶが、どのルールにも当たらない通信を通す (default = \"allow\" で、インターフェース {ia} の入力・{ib} の出力にも既定で拒否するフィルタが無い)",
                        fw.id
                    ),
                    format!(
                        "firewall {} joins {x} and {y} but lets through what no rule matches (default = \"allow\", and no deny-by-default filter on interface {ia} inbound or interface {ib} outbound)",
                        fw.id
                    ),
                ),
            );
        }
    }
    Outcome::pass(subject, Some(fw.loc))
}

/// How long a rule review holds: a rule reviewed more than a year ago is due again.
fn review_due(reviewed_at: &str, today: &str) -> bool {
    // One year before today, as a date string; dates compare as strings.
    let year: i32 = today.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0);
    let year_ago = format!("{:04}{}", year - 1, today.get(4..).unwrap_or(""));
    reviewed_at < year_ago.as_str()
}

/// Why a rule's recorded review no longer holds: its approval expired, or its last review is
/// more than a year old. Rules without review fields are not judged here.
fn stale_review(r: &FwRule, today: &str) -> Option<Text> {
    let id = &r.identity;
    if let Some(exp) = id.expires.as_ref().filter(|e| e.value.as_str() < today) {
        return Some(Text::new(
            format!(
                "ルールの承認期限 (expires = {}) が過ぎている: 再審査して更新するか削除する",
                exp.value
            ),
            format!(
                "the rule's approval expired on {} (`expires`): recertify it or remove it",
                exp.value
            ),
        ));
    }
    let reviewed = id.reviewed_at.as_ref()?;
    review_due(&reviewed.value, today).then(|| {
        Text::new(
            format!(
                "ルールの最終審査 (reviewed_at = {}) から 1 年以上が過ぎている",
                reviewed.value
            ),
            format!(
                "the rule was last reviewed on {} (`reviewed_at`), more than a year ago",
                reviewed.value
            ),
        )
    })
}

/// An allow rule passes when it says why it exists (deny rules need no reason) and its review,
/// when recorded, is current.
/// One outcome per firewall rule. A pass leaves its subject empty (`subject` is not called):
/// passes are only counted, and a design of 10⁶ rules would hold 10⁶ subjects for nothing.
fn reason_outcome(
    fw: &Firewall,
    r: &FwRule,
    subject: impl FnOnce() -> String,
    filter: Option<(&str, Direction)>,
    today: &str,
) -> Outcome {
    let stated = r.reason.as_deref().is_some_and(|s| !s.trim().is_empty());
    if r.action == Action::Deny || stated {
        return match stale_review(r, today) {
            Some(why) => Outcome::fail(subject(), Some(r.loc), why),
            None => Outcome::pass(String::new(), Some(r.loc)),
        };
    }
    let subject = subject();
    let n = subject.rsplit('/').next().unwrap_or_default().to_string();
    // A rule with an id is named by it, one without by its position.
    let ja_rule = match r.identity.id {
        Some(_) => format!("ルール {n}"),
        None => format!("{n} 番目のルール"),
    };
    let (from, to, svc) = (selectors(&r.from), selectors(&r.to), services(&r.services));
    let (ja_list, en_list) = match filter {
        Some((iface, dir)) => (
            format!(
                "{iface} の{}フィルタ",
                match dir {
                    Direction::In => "入力",
                    Direction::Out => "出力",
                }
            ),
            format!("the {dir} filter on {iface}"),
        ),
        None => ("ポリシー".to_string(), "the policy list".to_string()),
    };
    Outcome::fail(
        subject,
        Some(r.loc),
        Text::new(
            format!(
                "ファイアウォール {} の{ja_list}の {ja_rule}が {from} → {to} ({svc}) を許可しているが、理由 (reason) が無い",
                fw.id
            ),
            format!(
                "rule {n} of {en_list} of firewall {} allows {from} → {to} ({svc}) without a `reason`",
                fw.id
            ),
        ),
    )
}
