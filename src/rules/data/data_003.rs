//! DATA-003: personal and confidential data is encrypted at rest; terminals encrypt their disks.

use super::{classes, count_note};
use crate::model::policy::Level;
use crate::model::{DataClass, HostKind};
use crate::rules::{Context, Doc, Levels, Meta, Outcome, Text};

pub static META: Meta = Meta {
    code: "DATA-003",
    name: "unencrypted-data-at-rest",
    levels: Levels::all(Level::Deny),
    guideline: "GL(R6.10) 対策基準 4.4",
    confidence: "G",
    ja: Doc {
        title: "暗号化されていない保存データ",
        what: "個人情報または機密情報 (data に public 以外の区分) を持つデータストアが encrypted = true であること、端末 (kind = \"terminal\") が disk_encryption = true であること。false は不合格、記載がなければ判定不能。端末はホスト定義ごと (count で表した同一構成の端末群は 1 件) に判定する。",
        why: "機密性 2 以上の情報は、暗号化やパスワード設定で保存時にも保護することが求められる。2015 年の日本年金機構の事案では、流出した約 950 ファイルのうちパスワードが設定されていたのは約 1% で、約 55 万件は内規に反して無保護のまま置かれていた。端末の盗難・紛失でも、暗号化されていないディスクからはデータがそのまま読める。",
        example: "[[store]] id = \"share-kojin\", data = [\"personal\"], encrypted = false。または [[host]] kind = \"terminal\", disk_encryption = false。",
        fix: "データベースの透過的暗号化やファイル暗号化を導入して encrypted = true と記載する。端末は BitLocker 等でディスクを暗号化し disk_encryption = true と記載する。暗号化の有無が分からないものは調査して記載する (判定不能は合格ではない)。",
    },
    en: Doc {
        title: "Unencrypted data at rest",
        what: "Every store holding personal or confidential data (any class but `public`) has encrypted = true, and every terminal (kind = \"terminal\") has disk_encryption = true. false fails; a missing value is unknown. Terminals are judged per host entry (a group written with `count` is one subject).",
        why: "The guideline requires information of confidentiality class 2 or higher to be protected at rest, by encryption or passwords. In the 2015 Japan Pension Service breach only about 1% of some 950 leaked files had a password, and about 550,000 records lay unprotected against the internal rule. A lost or stolen terminal with an unencrypted disk gives its data away as is.",
        example: "[[store]] id = \"share-kojin\", data = [\"personal\"], encrypted = false; or a [[host]] with kind = \"terminal\" and disk_encryption = false.",
        fix: "Turn on database (transparent) or file encryption and write encrypted = true; encrypt terminal disks (e.g. BitLocker) and write disk_encryption = true. Find out and write down what is not stated: unknown is not a pass.",
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
        for s in &topo.stores {
            let sensitive: Vec<DataClass> = s
                .data
                .iter()
                .copied()
                .filter(|d| *d != DataClass::Public)
                .collect();
            if sensitive.is_empty() {
                continue;
            }
            let what = classes(&sensitive);
            let records = s
                .records
                .map(|n| (format!("、{n} 件"), format!(", {n} records")))
                .unwrap_or_default();
            out.push(Outcome::from_property(
                s.encrypted,
                format!("store:{}", s.id),
                Some(s.loc),
                Text::new(
                    format!(
                        "データストア {} ({what}{}) が暗号化されていない (encrypted = false)",
                        s.id, records.0
                    ),
                    format!(
                        "store {} ({what}{}) is not encrypted at rest (encrypted = false)",
                        s.id, records.1
                    ),
                ),
                Text::new(
                    format!(
                        "データストア {} ({what}) の暗号化の有無 (encrypted) が記載されていない",
                        s.id
                    ),
                    format!(
                        "store {} ({what}) does not state whether it is encrypted (`encrypted`)",
                        s.id
                    ),
                ),
            ));
        }
        for h in topo.hosts.iter().filter(|h| h.kind == HostKind::Terminal) {
            let n = count_note(h);
            out.push(Outcome::from_property(
                h.disk_encryption,
                format!("host:{}", h.id),
                Some(h.loc),
                Text::new(
                    format!(
                        "端末 {}{} のディスクが暗号化されていない (disk_encryption = false)",
                        h.id, n.ja
                    ),
                    format!(
                        "terminal {}{} has no disk encryption (disk_encryption = false)",
                        h.id, n.en
                    ),
                ),
                Text::new(
                    format!(
                        "端末 {}{} の disk_encryption が記載されていない",
                        h.id, n.ja
                    ),
                    format!("terminal {}{} does not state `disk_encryption`", h.id, n.en),
                ),
            ));
        }
        if out.is_empty() {
            out.push(Outcome::pass("stores", None));
        }
        out
    }
}
