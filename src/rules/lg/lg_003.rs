//! LG-003: internet mail reaches the LGWAN tier only as text, through a mail sanitizer.

use crate::model::policy::Level;
use crate::model::{GatewayKind, SanitizeMethod, Tier};
use crate::rules::support::{Ends, Facts, MAIL, crossing_pairs, pair_fail, services};
use crate::rules::{Context, Doc, Levels, Meta, Outcome, Text};

pub static META: Meta = Meta {
    code: "LG-003",
    name: "internet-mail-into-lgwan",
    levels: Levels::all(Level::Deny),
    guideline: "GL(R6.10) 対策基準 3.(2)①(ア)",
    confidence: "V",
    ja: Doc {
        title: "インターネットメールがテキスト化されずに LGWAN接続系へ届く",
        what: "メールのプロトコル (tcp/25・110・143・465・587・993・995) について、インターネット側 (tier internet のホストと kind internet / security-cloud の外部網) から LGWAN接続系 (tier lgwan) のホストへパケットが届かないこと、また LGWAN接続系のホストからインターネット側のメールサーバへ接続できないことを確認する。あわせて、LGWAN接続系へ入るメール無害化ゲートウェイ (kind mail-sanitizer) が method = \"text\" で、bypass = true でないこと (method が無ければ判定不能) を確認する。",
        why: "標的型攻撃の多くはメールの添付ファイルや HTML 本文から始まる。ガイドラインは、インターネットメールを LGWAN接続系へ渡す際は本文をテキスト化し、添付ファイルを削除または無害化することを求めている。メールサーバ同士が直接つながっていたり、LGWAN 側の端末が外部のメールボックスを直接読めたりすると、その処理を経ないメールが届いてしまう。",
        example: "インターネット系のメールリレーから LGWAN メールサーバへ tcp/25 が許可されている。あるいは LGWAN 系端末からインターネット系のメールサーバへ IMAP (tcp/993) で接続できる。",
        fix: "メールはメール無害化装置 (テキスト化、添付ファイル除去) を通してだけ LGWAN 側へ渡し、両側のメールサーバ・端末の間のメール用ポートの許可を削除する。原本の確認が必要な場合は画面転送 (仮想ブラウザの Web メール) で見る。メール無害化装置は method = \"text\"、bypass = false とする。",
    },
    en: Doc {
        title: "Internet mail reaches the LGWAN tier without text conversion",
        what: "On the mail protocols (tcp/25, 110, 143, 465, 587, 993, 995), no packets get from the internet side (internet-tier hosts and externals of kind internet or security-cloud) to an LGWAN-tier host, and no LGWAN-tier host can connect to a mail server on the internet side. Mail-sanitizer gateways into the LGWAN tier have method = \"text\" and not bypass = true (no `method` is unknown).",
        why: "Most targeted attacks start with a mail attachment or an HTML body. The guideline requires internet mail to reach the LGWAN tier as text only, with attachments removed or sanitized. A direct link between mail servers, or an LGWAN terminal that reads an internet mailbox directly, delivers mail that skipped that treatment.",
        example: "The internet-side mail relay may send tcp/25 to the LGWAN mail server; or LGWAN terminals may read the internet-side mail server over IMAP (tcp/993).",
        fix: "Pass mail to the LGWAN side only through the mail sanitizer (text conversion, attachments removed) and remove the rules that open mail ports between the two sides. Where staff must see the original, they view it by screen transfer (web mail in the virtual browser). Set the mail sanitizer to method = \"text\" and bypass = false.",
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
        let mail = services(MAIL);
        let mail = cx.reach.space.services(&mail);
        let mask = |_| mail;
        let internet = Ends::internet_side(&facts, Tier::Lgwan);
        let lgwan = Ends::tier(&facts, Tier::Lgwan, Tier::Internet);
        for p in crossing_pairs(cx, &internet, &lgwan, &mask) {
            out.push(pair_fail(
                cx,
                &p,
                "インターネット側から LGWAN接続系へメールが直接届く",
                "internet mail reaches the LGWAN tier directly",
            ));
        }
        for p in crossing_pairs(cx, &lgwan, &internet, &mask) {
            out.push(pair_fail(
                cx,
                &p,
                "LGWAN接続系からインターネット側のメールサーバへ直接接続できる",
                "the LGWAN tier connects to a mail server on the internet side directly",
            ));
        }
        for g in &topo.gateways {
            if g.kind != GatewayKind::MailSanitizer || facts.zone_tier(&g.to) != Some(Tier::Lgwan) {
                continue;
            }
            let mut ja = Vec::new();
            let mut en = Vec::new();
            if g.bypass {
                ja.push("無害化を省略する経路がある (bypass = true)".to_string());
                en.push("it has a path that passes mail unconverted (bypass = true)".to_string());
            }
            match g.method {
                Some(SanitizeMethod::Text) | None => {}
                Some(m) => {
                    ja.push(format!("方式がテキスト化ではない (method = {m})"));
                    en.push(format!("its method is not text conversion (method = {m})"));
                }
            }
            if !ja.is_empty() {
                out.push(Outcome::fail(
                    g.id.clone(),
                    Some(g.loc),
                    Text::new(
                        format!("メール無害化装置 {}: {}", g.id, ja.join("、")),
                        format!("mail sanitizer {}: {}", g.id, en.join("; ")),
                    ),
                ));
            } else if g.method.is_none() {
                out.push(Outcome::unknown(
                    g.id.clone(),
                    Some(g.loc),
                    Text::new(
                        format!(
                            "メール無害化装置 {} の方式 (method) が記載されていない",
                            g.id
                        ),
                        format!("mail sanitizer {} does not state its `method`", g.id),
                    ),
                ));
            } else {
                out.push(Outcome::pass(g.id.clone(), Some(g.loc)));
            }
        }
        if out.is_empty() {
            out.push(Outcome::pass("tier:internet->tier:lgwan", None));
        }
        out
    }
}
