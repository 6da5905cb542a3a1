//! MN-008: My Number data rests only in the My Number tier.

use crate::model::policy::Level;
use crate::model::{DataClass, Tier};
use crate::rules::support::tiers_label;
use crate::rules::{Context, Doc, Levels, Meta, Outcome, Text};

pub static META: Meta = Meta {
    code: "MN-008",
    name: "mynumber-data-outside-mynumber-tier",
    levels: Levels::all(Level::Deny),
    guideline: "S4; S32",
    confidence: "I",
    ja: Doc {
        title: "特定個人情報の保存場所",
        what: "マイナンバー (data に my-number) を含むデータストアが、マイナンバー利用事務系だけに属するホストに置かれていること。ホストが他の層にあるもの、他の層にもインターフェースを持つものは不合格。",
        why: "特定個人情報は、外部と遮断されたマイナンバー利用事務系の中で扱うことが前提である。LGWAN接続系やインターネット接続系のファイルサーバに置けば、三層分離で守っているはずのデータが、標的型攻撃で侵入された端末から読める場所に出てしまう。2015 年の年金機構事案では、基幹システムから抽出した年金情報がインターネットにつながる情報系の共有フォルダに置かれ、流出した。",
        example: "[[store]] id = \"kojin-list\", host = \"lg-fs\" (LGWAN接続系のファイルサーバ), data = [\"my-number\", \"basic-4\"]",
        fix: "データをマイナンバー利用事務系のサーバへ移し、系外の複製は削除する。系外で必要なのがマイナンバーを含まない情報だけなら、番号を除いた形で作成し、data から my-number を外す。",
    },
    en: Doc {
        title: "Where My Number data rests",
        what: "Every store whose `data` includes my-number sits on a host that belongs to the My Number tier only. A host in another tier, or with an interface in another tier as well, fails.",
        why: "Specific personal information is meant to be handled inside the isolated My Number tier. On a file server of the LGWAN or internet tier it sits where a phished terminal can read it, outside the separation that was built to protect it. In the 2015 Japan Pension Service breach, pension data extracted from the core system was put on a shared folder of the internet-connected network and leaked from there.",
        example: "[[store]] id = \"kojin-list\", host = \"lg-fs\" (an LGWAN-tier file server), data = [\"my-number\", \"basic-4\"]",
        fix: "Move the data to a server in the My Number tier and delete the copies outside it. If the work outside needs no My Number, produce the extract without it and drop my-number from `data`.",
    },
};

pub struct Rule;

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) -> Vec<Outcome> {
        let mut out = Vec::new();
        for s in &cx.topo.stores {
            if !s.data.contains(&DataClass::MyNumber) {
                continue;
            }
            let subject = format!("store:{}", s.id);
            let tiers = cx.store_tiers(s);
            if tiers == [Tier::MyNumber] {
                out.push(Outcome::pass(subject, Some(s.loc)));
                continue;
            }
            let others: Vec<Tier> = tiers
                .iter()
                .copied()
                .filter(|t| *t != Tier::MyNumber)
                .collect();
            let (oja, oen) = tiers_label(&others);
            let (ja, en) = if tiers.contains(&Tier::MyNumber) {
                (
                    format!(
                        "マイナンバーを含むデータストア {} のホスト {} は、マイナンバー利用事務系のほかに{}にもインターフェースを持つ",
                        s.id, *s.host, oja
                    ),
                    format!(
                        "store {} holds My Number data on host {}, which also has an interface in the {} tier",
                        s.id, *s.host, oen
                    ),
                )
            } else {
                (
                    format!(
                        "マイナンバーを含むデータストア {} が{}のホスト {} に置かれている",
                        s.id, oja, *s.host
                    ),
                    format!(
                        "store {} holds My Number data on host {} in the {} tier",
                        s.id, *s.host, oen
                    ),
                )
            };
            out.push(Outcome::fail(subject, Some(s.loc), Text::new(ja, en)));
        }
        if out.is_empty() {
            out.push(Outcome::pass("data:my-number", None));
        }
        out
    }
}
