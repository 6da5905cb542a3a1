//! IN-004: internet-tier terminals and servers run anti-malware (EPP) and EDR.

use crate::model::policy::Level;
use crate::model::{HostKind, Tier};
use crate::rules::support::Facts;
use crate::rules::{Context, Doc, Levels, Meta, Outcome, Text};

pub static META: Meta = Meta {
    code: "IN-004",
    name: "internet-host-without-epp-edr",
    levels: Levels {
        alpha: Level::Warn,
        alpha_prime: Level::Warn,
        beta: Level::Deny,
        beta_prime: Level::Deny,
    },
    guideline: "GL(R6.10) 対策基準 3 (β・β'モデルの条件)",
    confidence: "V",
    ja: Doc {
        title: "インターネット接続系の端末・サーバに EPP と EDR が無い",
        what: "インターネット接続系 (tier internet) の端末とサーバ (kind appliance 以外のすべて: terminal、server、file-server、database、domain-controller、vdi、mail-relay、proxy) が antivirus = true (EPP) かつ edr = true であること。どちらかが false なら不合格、記載が無ければ判定不能。β・β'モデルでは必須、α・α'モデルでは警告。",
        why: "インターネット接続系の機器は標的型メールや Web 閲覧で最初に攻撃を受ける。βモデルでは職員の業務端末そのものがこの層に置かれるため、ガイドラインは EPP (ウイルス対策) に加えて EDR による振る舞いの検知と対応を条件としている。2015 年の年金機構の事案では、ウイルス対策ソフトが新種のマルウェアを検知できないまま、感染が端末からサーバへ広がった。",
        example: "βモデルのインターネット系業務端末 inet-pc に edr = false と書かれている。あるいはインターネット系ファイルサーバに antivirus の記載が無い。",
        fix: "インターネット接続系のすべての端末・サーバに EPP と EDR を導入し、EDR の監視体制 (SOC との連携等) を整えたうえで antivirus = true、edr = true と記載する。",
    },
    en: Doc {
        title: "Internet-tier terminal or server without EPP and EDR",
        what: "Every terminal and server in the internet tier (every kind but appliance: terminal, server, file-server, database, domain-controller, vdi, mail-relay, proxy) has antivirus = true (EPP) and edr = true. false fails; a missing field is unknown. Required in β and β'; a warning in α and α'.",
        why: "Internet-tier devices are the first to meet targeted mail and malicious web pages. In β, staff terminals themselves sit in this tier, so the guideline makes EDR (behaviour detection and response) a condition on top of EPP. In the 2015 Japan Pension Service breach, antivirus missed new malware while the infection spread from terminals to servers.",
        example: "The β model's internet-side staff terminal inet-pc has edr = false; or an internet-tier file server does not state `antivirus`.",
        fix: "Install EPP and EDR on every internet-tier terminal and server, with monitoring in place (a SOC, for example), and declare antivirus = true and edr = true.",
    },
};

pub struct Rule;

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) -> Vec<Outcome> {
        let topo = cx.topo;
        let facts = Facts::new(cx);
        let mut out = Vec::new();
        for h in &topo.hosts {
            if h.kind == HostKind::Appliance || !facts.host_in(h, Tier::Internet) {
                continue;
            }
            let mut off = Vec::new();
            let mut missing = Vec::new();
            for (field, value) in [("antivirus", h.antivirus), ("edr", h.edr)] {
                match value {
                    Some(true) => {}
                    Some(false) => off.push(field),
                    None => missing.push(field),
                }
            }
            let subject = h.id.clone();
            if !off.is_empty() {
                let list = off
                    .iter()
                    .map(|f| format!("{f} = false"))
                    .collect::<Vec<_>>()
                    .join(", ");
                out.push(Outcome::fail(
                    subject,
                    Some(h.loc),
                    Text::new(
                        format!(
                            "インターネット接続系の {} ({}) に EPP と EDR がそろっていない ({list})",
                            h.id, h.kind
                        ),
                        format!(
                            "internet-tier {} {} lacks EPP or EDR ({list})",
                            h.kind, h.id
                        ),
                    ),
                ));
            } else if !missing.is_empty() {
                let list = missing.join(", ");
                out.push(Outcome::unknown(
                    subject,
                    Some(h.loc),
                    Text::new(
                        format!("{} ({}) に {list} の記載が無い", h.id, h.kind),
                        format!("{} {} does not state {list}", h.kind, h.id),
                    ),
                ));
            } else {
                out.push(Outcome::pass(subject, Some(h.loc)));
            }
        }
        if out.is_empty() {
            out.push(Outcome::pass("tier:internet", None));
        }
        out
    }
}
