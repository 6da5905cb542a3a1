//! IN-005: remote access and devices the organisation did not issue need MFA. The finding
//! shows, by the reachability analysis, what a remote session reaches inside.

use crate::model::policy::Level;
use crate::model::{Selector, Tier};
use crate::rules::required::{Need, judge};
use crate::rules::support::pair_fail;
use crate::rules::{Context, Doc, Levels, Meta, Outcome, Text};

pub static META: Meta = Meta {
    code: "IN-005",
    name: "remote-access-without-mfa",
    levels: Levels::all(Level::Deny),
    guideline: "GL(R6.10) 対策基準 6.2",
    confidence: "V",
    ja: Doc {
        title: "リモートアクセスや組織が支給しない端末に多要素認証が無い",
        what: "[[remote_access]] (テレワーク、ベンダー保守) ごとに mfa = true であること。mfa = false は不合格で、接続が着くセグメントからマイナンバー利用事務系・LGWAN 接続系へ届くパケットがあればその経路を証跡に示す。また issued_by_org = false (私物・ベンダー持込み) のホストが mfa = true であること。記載が無ければ判定不能。",
        why: "ガイドライン (令和5年3月版以降) は、リモートアクセスと組織が支給しない端末の接続に多要素認証を求めている。パスワードだけのリモート接続は、漏れた一組の ID とパスワードで庁内に入られる。",
        example: "ベンダー保守回線 vendor-hoshu に mfa = false とあり、着信セグメントから LGWAN 接続系のサーバに tcp/3389 で届く。",
        fix: "リモートアクセス装置で多要素認証を必須にし (mfa = true)、私物・持込み端末にも多要素認証を求める。",
    },
    en: Doc {
        title: "Remote access or non-issued device without MFA",
        what: "Every [[remote_access]] (telework, vendor maintenance) has mfa = true. mfa = false fails, with the path by which packets from the segment where sessions land reach the My Number or LGWAN tier, when they do. Hosts with issued_by_org = false (personal or vendor devices) have mfa = true. A missing field is unknown.",
        why: "The guideline (from R5.3) requires MFA for remote access and for devices the organisation did not issue. Remote access behind a password alone lets one leaked ID and password inside.",
        example: "The vendor maintenance line vendor-hoshu has mfa = false, and its landing segment reaches an LGWAN server on tcp/3389.",
        fix: "Require MFA on the remote-access gateway (mfa = true), and for personal or vendor devices.",
    },
};

pub struct Rule;

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) -> Vec<Outcome> {
        let topo = cx.topo;
        let mut out = Vec::new();
        for r in &topo.remote_access {
            let what = (
                format!("リモート接続 {} ({})", r.id, r.kind),
                format!("{} line {}", r.kind, r.id),
            );
            let rule = ("多要素認証の要件", "the MFA requirement");
            let mut o = judge(
                r.id.clone(),
                Some(r.loc),
                (&what.0, &what.1),
                rule,
                &[Need::flag("mfa", r.mfa, true)],
            );
            if r.mfa == Some(false) {
                // What a session reaches inside, as proof of what a stolen password opens.
                let from = Selector::Segment(r.segment.value.clone());
                let inside = [Tier::MyNumber, Tier::Lgwan]
                    .into_iter()
                    .find_map(|t| cx.first_pair(&from, &Selector::Tier(t), &[]));
                if let Some(p) = inside {
                    let reach = pair_fail(cx, &p, "着信したセッションから", "its sessions");
                    o.message = Text::new(
                        format!(
                            "{} は多要素認証が無い (mfa = false)。{}",
                            what.0, reach.message.ja
                        ),
                        format!("{} has no MFA (mfa = false). {}", what.1, reach.message.en),
                    );
                    o.evidence = reach.evidence;
                }
            }
            out.push(o);
        }
        for h in &topo.hosts {
            if h.facts.issued_by_org != Some(false) {
                continue;
            }
            out.push(judge(
                h.id.clone(),
                Some(h.loc),
                (
                    &format!("組織が支給しない {}", h.id),
                    &format!("non-issued device {}", h.id),
                ),
                ("多要素認証の要件", "the MFA requirement"),
                &[Need::flag("mfa", h.mfa, true)],
            ));
        }
        out
    }
}
