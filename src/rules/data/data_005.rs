//! DATA-005: personal data does not rest on end-user terminals.

use super::{classes, count_note, personal};
use crate::model::HostKind;
use crate::model::policy::Level;
use crate::rules::{Context, Doc, Levels, Meta, Outcome, Text};

pub static META: Meta = Meta {
    code: "DATA-005",
    name: "personal-data-on-terminal",
    levels: Levels::all(Level::Warn),
    guideline: "S35",
    confidence: "V",
    ja: Doc {
        title: "端末に保存された個人情報",
        what: "個人情報を含むデータストアが、端末 (kind = \"terminal\") 上に無いこと。個人情報はサーバ・ファイルサーバ・データベースに置き、端末のローカルディスクには保存しない。",
        why: "端末のローカルディスクに置かれたデータは、アクセス権の管理・暗号化・バックアップ・棚卸しの外にあり、端末が乗っ取られたり持ち出されたりすればそのまま失われる。日本年金機構では、事案の後もローカル保存禁止の内規に反して端末に個人情報が残っていたことが報じられた。",
        example: "[[store]] id = \"local-list\", host = \"zeimu-pc\" (kind = \"terminal\"), data = [\"tax\"]",
        fix: "データをアクセス権を管理したサーバへ移し、端末への保存をグループポリシーや仮想デスクトップ (シンクライアント) で禁止する。移した後は store の host をサーバに書き換える。",
    },
    en: Doc {
        title: "Personal data stored on terminals",
        what: "No store holding personal data sits on a terminal (kind = \"terminal\"). Personal data belongs on servers, file servers and databases, not on the local disks of end-user machines.",
        why: "Data on a terminal's local disk escapes access control, encryption, backup and inventory, and is lost with the terminal when it is taken over or carried away. After the 2015 breach, the Japan Pension Service was reported to still have personal data on PCs' local disks despite its rule against local saving.",
        example: "[[store]] id = \"local-list\", host = \"zeimu-pc\" (kind = \"terminal\"), data = [\"tax\"]",
        fix: "Move the data to a server with managed access and block local saving (group policy, or thin clients / virtual desktops). Then point the store's `host` at the server.",
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
            if personal.is_empty() {
                continue;
            }
            let subject = format!("store:{}", s.id);
            let Some(h) = cx
                .reach
                .addrs
                .host(&s.host)
                .filter(|h| h.kind == HostKind::Terminal)
            else {
                out.push(Outcome::pass(subject, Some(s.loc)));
                continue;
            };
            let what = classes(&personal);
            let n = count_note(h);
            out.push(Outcome::fail(
                subject,
                Some(s.loc),
                Text::new(
                    format!(
                        "個人情報 ({what}) を含むデータストア {} が端末 {}{} に保存されている",
                        s.id, h.id, n.ja
                    ),
                    format!(
                        "store {} with personal data ({what}) rests on terminal {}{}",
                        s.id, h.id, n.en
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
