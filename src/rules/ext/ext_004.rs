//! EXT-004: eLTAX and マイナポータル data reach the My Number tier only over the national path
//! (LGWAN), never from the internet side.

use crate::model::policy::Level;
use crate::model::{Selector, Tier};
use crate::rules::support::pair_fail;
use crate::rules::{Context, Doc, Levels, Meta, Outcome, Text};

pub static META: Meta = Meta {
    code: "EXT-004",
    name: "national-data-from-internet-side",
    levels: Levels::all(Level::Deny),
    guideline: "GL(R6.10) 対策基準 3.(1)①; S1",
    confidence: "V",
    ja: Doc {
        title: "eLTAX・マイナポータルのデータがインターネット側からマイナンバー利用事務系に入る",
        what: "マイナンバー利用事務系 (tier mynumber) に届く [[flow]] のうち、外部網 (external) やインターネット接続系から来るものについて、from がインターネット接続系やインターネットの外部網でないこと。LGWAN や閉域の外部網から来るもの (eLTAX、マイナポータル等の全国的なシステムの特定通信) は合格。インターネット側から来るものは不合格で、パケットが実際に届けば経路を証跡に示す。",
        why: "eLTAX やマイナポータル (ぴったりサービス) のデータは、安全性が確認された国の特定通信として LGWAN 経由でマイナンバー利用事務系に取り込むことが認められている。インターネット接続系で受けたファイルを持ち込めば、その例外の前提が崩れる。",
        example: "ぴったりサービスの申請データを、インターネット接続系の端末でダウンロードしてマイナンバー利用事務系の基幹サーバへ送る flow がある。",
        fix: "申請データは LGWAN 経由の特定通信 (from = \"external:lgwan\") で取り込み、インターネット側からの経路を閉じる。",
    },
    en: Doc {
        title: "eLTAX or マイナポータル data enters the My Number tier from the internet side",
        what: "Every [[flow]] into the My Number tier that comes from an external network or the internet tier does not come from the internet tier or an internet external. Flows from LGWAN or closed externals (the national systems' specific communication, such as eLTAX and マイナポータル) pass. A flow from the internet side fails, with a witness when its packets get through.",
        why: "eLTAX and マイナポータル (ぴったりサービス) data may enter the My Number tier as the nation's vetted specific communication over LGWAN. Taking the files in through the internet tier breaks that exception's premise.",
        example: "A flow carries ぴったりサービス applications, downloaded on an internet-tier terminal, to the My Number tier's core server.",
        fix: "Take the data in over LGWAN as specific communication (from = \"external:lgwan\") and close the internet-side path.",
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
        for f in &topo.flows {
            if !cx.selector_tiers(&f.to).contains(&Tier::MyNumber) {
                continue;
            }
            let internet = cx.selector_tiers(&f.from).contains(&Tier::Internet);
            let external = matches!(f.from.value, Selector::External(_));
            if !internet && !external {
                continue;
            }
            if !internet {
                out.push(Outcome::pass(f.id.clone(), Some(f.loc)));
                continue;
            }
            let what = (
                format!(
                    "flow {} がインターネット側からマイナンバー利用事務系へ入る",
                    f.id
                ),
                format!(
                    "flow {} enters the My Number tier from the internet side",
                    f.id
                ),
            );
            let mut o = match cx.first_pair(&f.from, &f.to, &[]) {
                Some(p) => pair_fail(cx, &p, &what.0, &what.1),
                None => Outcome::fail(f.id.clone(), None, Text::new(&what.0, &what.1)),
            };
            o.subject = f.id.clone();
            o.loc = Some(f.loc);
            out.push(o);
        }
        out
    }
}
