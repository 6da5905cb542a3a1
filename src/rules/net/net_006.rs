//! NET-006: hosts that produce security logs take their time from a common source in their
//! own tier, and packets get there.

use crate::model::policy::Level;
use crate::model::{Host, Selector, Service};
use crate::rules::{Context, Doc, Levels, Meta, Outcome, Text};

pub static META: Meta = Meta {
    code: "NET-006",
    name: "log-source-without-time-source",
    levels: Levels::all(Level::Deny),
    guideline: "GL(R6.10) 対策基準 7.1",
    confidence: "G",
    ja: Doc {
        title: "ログを出す機器の時刻源が共通でない、または届かない",
        what: "ログを出すホスト (log_source = true、または [[log_sink]] の sources にあるもの) が ntp_server を持ち、その NTP サーバが同じ層にあり、ホストから udp/123 のパケットが NTP サーバに届くこと (到達性解析で確かめる)。別の層の NTP サーバや届かない NTP サーバは不合格、ntp_server が無ければ判定不能。",
        why: "インシデントの調査では、複数の機器のログを時刻で突き合わせる。時刻源がばらばらだと順序が分からない。ほかの層の NTP サーバを参照すれば、そのための通信が層をまたぐ。",
        example: "LGWAN 接続系のファイルサーバ lg-fs が、インターネット接続系の NTP サーバ ntp-inet を参照している。",
        fix: "層ごとに共通の NTP サーバを置き、ログを出す機器に ntp_server として記載して、udp/123 を許可する。",
    },
    en: Doc {
        title: "Log source without a common, reachable time source",
        what: "Hosts that produce logs (log_source = true, or listed in a [[log_sink]]'s sources) have an ntp_server in their own tier, and udp/123 packets from the host reach it (checked by the reachability analysis). A server in another tier or out of reach fails; a missing ntp_server is unknown.",
        why: "Investigations line up logs of many devices by time; without a common source their order is lost. A time server in another tier makes its traffic cross tiers.",
        example: "The LGWAN file server lg-fs takes its time from ntp-inet in the internet tier.",
        fix: "Run a common NTP server in each tier, state it as ntp_server of every log source and allow udp/123 to it.",
    },
};

pub struct Rule;

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) -> Vec<Outcome> {
        let topo = cx.topo;
        let listed = |h: &Host| {
            topo.log_sinks
                .iter()
                .any(|l| l.sources.iter().any(|s| s.value == h.id))
        };
        let ntp = Service::parse("udp/123").expect("a valid service");
        let mut out = Vec::new();
        for h in &topo.hosts {
            if h.facts.log_source != Some(true) && !listed(h) {
                continue;
            }
            let Some(server) = h.facts.ntp_server.as_ref().and_then(|n| topo.host(n)) else {
                out.push(Outcome::unknown(
                    h.id.clone(),
                    Some(h.loc),
                    Text::new(
                        format!("ログを出す {} に ntp_server の記載が無い", h.id),
                        format!("log source {} does not state ntp_server", h.id),
                    ),
                ));
                continue;
            };
            let own = cx.host_tiers(h);
            let theirs = cx.host_tiers(server);
            let fail = |ja: String, en: String| {
                Outcome::fail(h.id.clone(), Some(h.loc), Text::new(ja, en))
            };
            if !own.iter().all(|t| theirs.contains(t)) {
                out.push(fail(
                    format!("{} の NTP サーバ {} は別の層にある", h.id, server.id),
                    format!("{} takes its time from {} in another tier", h.id, server.id),
                ));
                continue;
            }
            let pairs = cx.pairs(
                &Selector::Host(h.id.clone()),
                &Selector::Host(server.id.clone()),
                &[ntp],
            );
            if pairs.is_empty() {
                out.push(fail(
                    format!(
                        "{} から NTP サーバ {} へ udp/123 が届かない",
                        h.id, server.id
                    ),
                    format!(
                        "udp/123 from {} does not reach its NTP server {}",
                        h.id, server.id
                    ),
                ));
            } else {
                out.push(Outcome::pass(h.id.clone(), Some(h.loc)));
            }
        }
        out
    }
}
