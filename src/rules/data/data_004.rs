//! DATA-004: shared folders holding personal data are not readable by everyone.

use super::{classes, personal};
use crate::model::policy::Level;
use crate::model::{HostKind, Reader};
use crate::rules::{Context, Doc, Levels, Meta, Outcome, Text};

pub static META: Meta = Meta {
    code: "DATA-004",
    name: "personal-share-readable-by-everyone",
    levels: Levels::all(Level::Deny),
    guideline: "GL(R6.10) 対策基準 6.2",
    confidence: "G",
    ja: Doc {
        title: "個人情報を置く共有フォルダの全員読取り",
        what: "ファイルサーバ (kind = \"file-server\") 上の、個人情報を含むデータストアの readers に everyone が無いこと。readers が空なら、誰が読めるかが分からないため判定不能。",
        why: "共有フォルダのアクセス権は業務上必要な所属・担当に限る。全職員が読める共有フォルダは、どの 1 台の端末が乗っ取られても丸ごと読み出される。2015 年の日本年金機構の事案では、職員が広く使う共有フォルダに置かれた年金情報が、感染した端末から持ち出された。",
        example: "[[store]] id = \"kyoyu\", host = \"fs1\" (kind = \"file-server\"), data = [\"basic-4\"], readers = [\"everyone\"]",
        fix: "フォルダのアクセス権を担当課のグループに限定し、readers = [\"group:担当課\"] のように記載する。全職員向けのフォルダには個人情報を置かない。",
    },
    en: Doc {
        title: "Shared folders with personal data readable by everyone",
        what: "No store holding personal data on a file server (kind = \"file-server\") has `everyone` among its readers. With no readers listed, who can read it is unknown.",
        why: "Access to shared folders is limited to the sections that need it. A folder every employee can read is read in full from whichever terminal is taken over first. In the 2015 Japan Pension Service breach, pension records in widely shared folders were carried off from infected terminals.",
        example: "[[store]] id = \"kyoyu\", host = \"fs1\" (kind = \"file-server\"), data = [\"basic-4\"], readers = [\"everyone\"]",
        fix: "Restrict the folder to the section's group and write readers = [\"group:SECTION\"]. Keep personal data out of folders meant for all staff.",
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
            let personal = personal(&s.data);
            let on_file_server = cx
                .reach
                .addrs
                .host(&s.host)
                .is_some_and(|h| h.kind == HostKind::FileServer);
            if personal.is_empty() || !on_file_server {
                continue;
            }
            let subject = format!("store:{}", s.id);
            let what = classes(&personal);
            if s.readers.is_empty() {
                out.push(Outcome::unknown(
                    subject,
                    Some(s.loc),
                    Text::new(
                        format!(
                            "ファイルサーバ {} の共有 {} ({what}) の readers が記載されていない",
                            s.host.value, s.id
                        ),
                        format!(
                            "share {} ({what}) on file server {} lists no `readers`",
                            s.id, s.host.value
                        ),
                    ),
                ));
                continue;
            }
            if !s.readers.iter().any(|r| r.value == Reader::Everyone) {
                out.push(Outcome::pass(subject, Some(s.loc)));
                continue;
            }
            let records = s
                .records
                .map(|n| (format!("、{n} 件"), format!(", {n} records")))
                .unwrap_or_default();
            out.push(Outcome::fail(
                subject,
                Some(s.loc),
                Text::new(
                    format!(
                        "ファイルサーバ {} の共有 {} ({what}{}) を全員 (everyone) が読める",
                        s.host.value, s.id, records.0
                    ),
                    format!(
                        "share {} ({what}{}) on file server {} is readable by everyone",
                        s.id, records.1, s.host.value
                    ),
                ),
            ));
        }
        if out.is_empty() {
            out.push(Outcome::pass("stores", None));
        }
        out
    }
}
