//! IN-002: the internet tier is watched for illicit communication, and the firewalls between
//! it and the LGWAN tier send their logs to a SOC.

use crate::model::policy::Level;
use crate::model::{Selector, Tier};
use crate::rules::net::logging::{firewall_tiers, sinks_of};
use crate::rules::required::{Need, judge};
use crate::rules::{Context, Doc, Levels, Meta, Outcome};

pub static META: Meta = Meta {
    code: "IN-002",
    name: "internet-tier-unmonitored",
    levels: Levels::all(Level::Deny),
    guideline: "GL(R6.10) 対策基準 3.(3)①; S2",
    confidence: "V/G",
    ja: Doc {
        title: "インターネット接続系の不正通信が監視されていない",
        what: "インターネット接続系 (tier internet) の各セグメントを [[monitor]] (ids、ndr、soc-feed) の covers が含み (segment:、zone:、tier:internet、any)、インターネット接続系と LGWAN 接続系の両方に面するファイアウォールが soc = true の [[log_sink]] にログを送ること。監視の無いセグメント、SOC に届かないログは不合格、[[monitor]] や [[log_sink]] が一つも無い、または soc の記載が無ければ判定不能。",
        why: "ガイドラインは、インターネット接続系での不正な通信の監視と、LGWAN 接続系への不適切なアクセスの監視を求め、自治体情報セキュリティクラウドの SOC がそれを担う。監視の無い区画では、侵入も外部への通信も気づかれない。",
        example: "インターネット接続系の職員用セグメント inet-office を覆う監視が無い。",
        fix: "インターネット接続系を IDS/NDR やセキュリティクラウドの SOC 監視の対象にして [[monitor]] に記載し、層の間のファイアウォールのログを SOC に送る。",
    },
    en: Doc {
        title: "Internet tier not monitored for illicit communication",
        what: "Every segment of the internet tier is covered by a [[monitor]] (ids, ndr, soc-feed) through segment:, zone:, tier:internet or any, and every firewall facing both the internet and the LGWAN tier sends its logs to a [[log_sink]] with soc = true. An uncovered segment or logs that reach no SOC fail; no [[monitor]] or [[log_sink]] at all, or an unstated soc, is unknown.",
        why: "The guideline requires monitoring of illicit communication in the internet tier and of improper access toward the LGWAN tier, which the security cloud's SOC provides. Where nothing watches, intrusion and outbound traffic go unnoticed.",
        example: "No monitor covers the internet tier's staff segment inet-office.",
        fix: "Bring the internet tier under IDS/NDR or the security cloud's SOC and declare it in [[monitor]]; send the logs of the firewalls between the tiers to the SOC.",
    },
};

pub struct Rule;

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) -> Vec<Outcome> {
        let topo = cx.topo;
        let rule = ("不正通信の監視の要件", "the monitoring requirement");
        let mut out = Vec::new();
        for s in &topo.segments {
            if cx.zone_tier(&s.zone) != Some(Tier::Internet) {
                continue;
            }
            let covered = topo.monitors.iter().any(|m| {
                m.covers.iter().any(|c| match &c.value {
                    Selector::Any => true,
                    Selector::Tier(t) => *t == Tier::Internet,
                    Selector::Zone(z) => *z == s.zone.value,
                    Selector::Segment(x) => *x == s.id,
                    _ => false,
                })
            });
            let met = (covered || !topo.monitors.is_empty()).then_some(covered);
            out.push(judge(
                format!("segment:{}", s.id),
                Some(s.loc),
                (
                    &format!("セグメント {}", s.id),
                    &format!("segment {}", s.id),
                ),
                rule,
                &[Need::new("monitor", met, "no [[monitor]] covers it")],
            ));
        }
        for fw in &topo.firewalls {
            let tiers = firewall_tiers(cx, fw);
            if !(tiers.contains(&Tier::Internet) && tiers.contains(&Tier::Lgwan)) {
                continue;
            }
            let sinks = sinks_of(cx, &fw.id);
            let soc = if sinks.iter().any(|l| l.soc == Some(true)) {
                Some(true)
            } else if sinks.iter().any(|l| l.soc.is_none())
                || (sinks.is_empty() && topo.log_sinks.is_empty())
            {
                None
            } else {
                Some(false)
            };
            out.push(judge(
                fw.id.clone(),
                Some(fw.loc),
                (
                    &format!("ファイアウォール {}", fw.id),
                    &format!("firewall {}", fw.id),
                ),
                rule,
                &[Need::new("log_sink (soc)", soc, "its logs reach no SOC")],
            ));
        }
        out
    }
}
