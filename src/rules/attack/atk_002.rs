//! ATK-002: personal data can be carried out to the internet by an attacker.

use super::path_steps;
use crate::model::policy::Level;
use crate::rules::{Context, Doc, Evidence, Levels, Meta, Outcome, Text};

pub static META: Meta = Meta {
    code: "ATK-002",
    name: "personal-data-can-leave",
    // In β the internet tier holds mail and groupware by design, guarded by other measures.
    levels: Levels {
        alpha: Level::Deny,
        alpha_prime: Level::Deny,
        beta: Level::Warn,
        beta_prime: Level::Warn,
    },
    guideline: "GL(R6.10) 対策基準 3; S28, S33",
    confidence: "I",
    ja: Doc {
        title: "攻撃者が個人情報をインターネットへ持ち出せる",
        what: "攻撃者が読める個人情報の保存先について、そのデータがインターネットへ出られないこと: 読んだホスト (または攻撃者が握る別のホスト) から、インターネットへ直接、公開サービスへの接続の応答として、あるいはプロキシやメールリレーを経由して送れる経路を探す。インターネット接続系の保存先 (β モデルのメールボックス等) も対象。",
        why: "読まれることと持ち出されることは別の段階で、出口を絞れば被害を止められる。年金機構の事案でも、情報は感染端末からインターネットへ送り出された。",
        example: "ファイルサーバを読んだ攻撃者が、同じく乗っ取った端末経由で Web (tcp/443) に送り出す。",
        fix: "sansou attack で出口を確認し、サーバ・端末からインターネットへの直接通信を止め、プロキシは認証と宛先制限を行う。",
    },
    en: Doc {
        title: "An attacker can carry personal data out to the internet",
        what: "For a store of personal data an attacker can read, the data has no way out: from the host that read it (or another host the attacker holds) straight to the internet, in the replies to a connection from the internet, or through a proxy or mail relay. Internet-tier stores (β mailboxes) are included.",
        why: "Reading and carrying out are separate steps; a tight exit stops the loss. In the pension breach the data went out from the infected terminals to the internet.",
        example: "An attacker who read a file server sends it out over the web (tcp/443) from a terminal it also holds.",
        fix: "Check the exit with `sansou attack`; stop direct internet traffic from servers and terminals, and make the proxy authenticate and restrict destinations.",
    },
};

pub struct Rule;

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    /// It reads the attack analysis, which the lane of the attack rules makes.
    fn lane(&self) -> crate::rules::Lane {
        crate::rules::Lane::Attack
    }

    fn check(&self, cx: &mut Context<'_>) -> Vec<Outcome> {
        let (topo, attack) = cx.attack();
        let mut out = Vec::new();
        for e in attack.stores.iter().filter(|e| e.readable()) {
            let store = &topo.stores[e.store];
            let subject = format!("store:{}", store.id);
            if !e.exfiltrable() {
                out.push(Outcome::pass(subject, Some(store.loc)));
                continue;
            }
            let mut o = Outcome::fail(
                subject,
                Some(store.loc),
                Text::new(
                    format!(
                        "攻撃者が store:{} の個人情報をインターネットへ持ち出せる",
                        store.id
                    ),
                    format!(
                        "an attacker can carry the personal data of store:{} out to the internet",
                        store.id
                    ),
                ),
            );
            o.evidence = Some(Box::new(Evidence::Steps(path_steps(topo, attack, e))));
            out.push(o);
        }
        out
    }
}
