//! MON-001: devices between tiers (firewalls, sanitizers, screen transfer) log their permits
//! and keep the logs for at least a year.

use super::logging::{firewall_tiers, sinks_of};
use crate::model::Action;
use crate::model::policy::Level;
use crate::rules::required::{Need, judge};
use crate::rules::{ByFirewall, Context, Doc, Levels, Meta, Outcome};

/// Days logs of cross-tier devices are kept at least.
pub const MIN_RETENTION_DAYS: u64 = 365;

pub static META: Meta = Meta {
    code: "MON-001",
    name: "cross-tier-device-not-logged",
    levels: Levels::all(Level::Deny),
    guideline: "GL(R6.10) 対策基準 7.1; S2",
    confidence: "G",
    ja: Doc {
        title: "層をまたぐ機器がログを取らない、または保存期間が短い",
        what: "二つ以上の層 (または外部網) に面するファイアウォールと各ゲートウェイ (無害化、メール無害化、画面転送、プロキシ) が [[log_sink]] の sources にあって、保存期間 retention_days が 365 日以上であり、そのファイアウォールの許可 (allow) ルールが log = true であること。短い保存期間は不合格。ログの送り先が書かれていない機器、log = true の無い許可ルールは判定不能 (log は既定で false で、取り込んだ設定がログ設定を表さないことがあるため)。",
        why: "層をまたぐ通信と無害化・画面転送の記録は、侵入の経路と持ち出しを後から確かめる唯一の手がかりである。記録していない、あるいは短期間で消える設定では、発覚までに時間のかかる標的型攻撃を調べられない。",
        example: "LGWAN 接続系とインターネット接続系の間のファイアウォール fw-core の許可ルールが log を持たない。あるいはログ管理サーバの retention_days = 90。",
        fix: "層をまたぐ許可ルールのログを有効にし、ファイアウォールとゲートウェイのログをログ管理サーバに送って 1 年以上保存する。",
    },
    en: Doc {
        title: "Cross-tier device not logged, or logs kept too briefly",
        what: "Firewalls facing two or more tiers (or externals) and every gateway (sanitizers, mail sanitizers, screen transfer, proxies) are sources of a [[log_sink]] whose retention_days is at least 365, and those firewalls' allow rules have log = true. A shorter retention fails. A device whose logs go nowhere stated, and an allow rule without log = true, are unknown (log defaults to false, and imported rules may not carry the device's logging setting).",
        why: "Logs of cross-tier traffic, sanitizing and screen transfer are the only way to trace an intrusion and an exfiltration afterwards. Unlogged, or deleted within weeks, they cannot serve a targeted attack found months later.",
        example: "The allow rules of fw-core between the LGWAN and internet tiers have no log; or the log server's retention_days = 90.",
        fix: "Log cross-tier allow rules, send firewall and gateway logs to a log server and keep them for a year or more.",
    },
};

pub struct Rule;

/// Whether the device's logs are kept long enough: `None` when they go nowhere stated.
fn retention(cx: &Context<'_>, id: &str) -> Need {
    let kept = sinks_of(cx, id)
        .iter()
        .filter_map(|s| s.retention_days.as_ref().map(|d| d.value))
        .max();
    Need::new(
        "log_sink",
        kept.map(|d| d >= MIN_RETENTION_DAYS),
        format!("retention_days = {}", kept.unwrap_or(0)),
    )
}

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    /// It reads the rule lists themselves, firewall by firewall.
    fn by_firewall(&self) -> Option<&dyn ByFirewall> {
        Some(self)
    }
}

/// What the rule asks of every firewall and gateway between tiers.
const REQUIREMENT: (&str, &str) = (
    "ログ取得と 1 年以上の保存の要件",
    "the logging and one-year retention requirement",
);

impl ByFirewall for Rule {
    fn part(&self, cx: &mut Context<'_>, f: usize) -> Vec<Outcome> {
        let fw = &cx.topo.firewalls[f];
        if firewall_tiers(cx, fw).len() < 2 {
            return Vec::new();
        }
        let unlogged_list = fw
            .rules
            .iter()
            .enumerate()
            .filter(|(_, r)| r.action == Action::Allow && !r.log)
            .map(|(i, _)| fw.rule_subject(i));
        let unlogged_filters = fw.filters.iter().flat_map(|f| {
            f.rules
                .iter()
                .enumerate()
                .filter(|(_, r)| r.action == Action::Allow && !r.log)
                .map(move |(i, _)| fw.filter_rule_subject(f, i))
        });
        let unlogged: Vec<String> = unlogged_list.chain(unlogged_filters).collect();
        let mut needs = vec![retention(cx, &fw.id)];
        // `log` defaults to false, and importers do not read every device's logging
        // setting: a rule without `log = true` is not stated to log (unknown), not proof
        // that it does not.
        if !unlogged.is_empty() {
            let shown = if unlogged.len() > 5 {
                format!("{} … (+{})", unlogged[..5].join(", "), unlogged.len() - 5)
            } else {
                unlogged.join(", ")
            };
            needs.push(Need::new(format!("log = true ({shown})"), None, ""));
        }
        vec![judge(
            fw.id.clone(),
            Some(fw.loc),
            (
                &format!("ファイアウォール {}", fw.id),
                &format!("firewall {}", fw.id),
            ),
            REQUIREMENT,
            &needs,
        )]
    }

    /// The gateways between tiers, which have no rule lists.
    fn rest(&self, cx: &mut Context<'_>, _any: bool) -> Vec<Outcome> {
        cx.topo
            .gateways
            .iter()
            .map(|g| {
                judge(
                    g.id.clone(),
                    Some(g.loc),
                    (
                        &format!("ゲートウェイ {} ({})", g.id, g.kind),
                        &format!("{} {}", g.kind, g.id),
                    ),
                    REQUIREMENT,
                    &[retention(cx, &g.id)],
                )
            })
            .collect()
    }
}
