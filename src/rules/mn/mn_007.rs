//! MN-007: only registered devices connect to the My Number tier.

use crate::model::policy::Level;
use crate::model::{Nac, Tier};
use crate::rules::required::{Need, judge};
use crate::rules::{Context, Doc, Levels, Meta, Outcome};

pub static META: Meta = Meta {
    code: "MN-007",
    name: "mynumber-unregistered-device",
    levels: Levels::all(Level::Deny),
    guideline: "GL(R6.10) 対策基準 6.1; S5",
    confidence: "V/G",
    ja: Doc {
        title: "マイナンバー利用事務系に登録外の機器がつながりうる",
        what: "マイナンバー利用事務系 (tier mynumber) の各セグメントが接続制御 (nac = port-security、mac-auth、802.1x のいずれか) を持ち、そこに置かれた各ホストが registered = true であること。nac = none、registered = false は不合格、記載が無ければ判定不能。",
        why: "マイナンバー利用事務系には、許可された機器だけを接続させる必要がある。スイッチの空きポートに持ち込まれた機器は、ファイアウォールの特定通信の固定 (IP と MAC) をすり抜け、住民情報に直接届く。",
        example: "窓口端末のセグメント mn-office に nac = \"none\" と書かれている。あるいは端末 mn-pc に registered = false と書かれている。",
        fix: "マイナンバー利用事務系のスイッチに 802.1X 認証、MAC 認証またはポートセキュリティを設定して nac に記載し、端末を資産台帳に登録して registered = true とする。",
    },
    en: Doc {
        title: "Unregistered devices can join the My Number tier",
        what: "Every segment of the My Number tier has network access control (nac = port-security, mac-auth or 802.1x), and every host there has registered = true. nac = none or registered = false fails; a missing field is unknown.",
        why: "Only authorised devices may connect to the My Number network. A device plugged into a free switch port bypasses the firewall's pinning (IP and MAC) and reaches resident data directly.",
        example: "The counter terminals' segment mn-office has nac = \"none\"; or the terminal group mn-pc has registered = false.",
        fix: "Configure 802.1X, MAC authentication or port security on the My Number tier's switches and declare it in nac; register the devices in the asset register and declare registered = true.",
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
        for s in &topo.segments {
            if cx.zone_tier(&s.zone) != Some(Tier::MyNumber) {
                continue;
            }
            let nac = Need::new(
                "nac",
                s.nac.map(|n| n != Nac::None),
                format!("nac = {}", s.nac.unwrap_or(Nac::None)),
            );
            out.push(judge(
                format!("segment:{}", s.id),
                Some(s.loc),
                (
                    &format!("セグメント {}", s.id),
                    &format!("segment {}", s.id),
                ),
                ("接続制御の要件", "the access-control requirement"),
                &[nac],
            ));
        }
        for (_, h) in cx.hosts_in_tier(Tier::MyNumber) {
            out.push(judge(
                h.id.clone(),
                Some(h.loc),
                (
                    &format!("{} ({})", h.id, h.kind),
                    &format!("{} {}", h.kind, h.id),
                ),
                ("機器登録の要件", "the registration requirement"),
                &[Need::flag("registered", h.facts.registered, true)],
            ));
        }
        out
    }
}
