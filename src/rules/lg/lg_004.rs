//! LG-004: LGWAN terminals use the internet only by screen transfer: no packets of theirs reach
//! the internet side, and screen-transfer gateways carry pixels, not files.

use crate::analysis::bdd::TRUE;
use crate::model::policy::Level;
use crate::model::{Clipboard, GatewayKind, HostKind, NetworkModel, Tier};
use crate::rules::support::{Ends, Facts, crossing_pairs, pair_fail};
use crate::rules::{Context, Doc, Levels, Meta, Outcome, Text};

pub static META: Meta = Meta {
    code: "LG-004",
    name: "lgwan-terminal-internet-path",
    levels: Levels::all(Level::Deny),
    guideline: "GL(R6.10) 対策基準 3.(2)①(イ)",
    confidence: "V",
    ja: Doc {
        title: "LGWAN接続系の端末からインターネットへの経路",
        what: "LGWAN接続系 (tier lgwan) の端末 (kind terminal と vdi) から、インターネット側 (tier internet のホストと kind internet / security-cloud の外部網) へパケットが届かないこと。α'モデルでは、インターネット外部網への直接の経路 (ローカルブレイクアウト) は AP-001 が検査するため、ここでは対象外とする。あわせて、LGWAN接続系とインターネット接続系をつなぐ画面転送ゲートウェイが、drive_redirection = false、file_transfer = false、clipboard = \"disabled\" または \"text-in\" であることを確認する (記載が無ければ判定不能)。",
        why: "LGWAN接続系の端末から Web やインターネット側のシステムを使うときは、仮想ブラウザなどの画面転送で画面 (画素) だけを受け取るのが原則である。端末が直接インターネット側と通信できれば、閲覧したページやダウンロードしたファイルからマルウェアが LGWAN接続系に入り込む。画面転送でも、ドライブのリダイレクトやファイル転送、双方向のクリップボードを許せばファイルが渡ってしまう。",
        example: "LGWAN 系端末からプロキシ経由でセキュリティクラウドへ tcp/443 が許可されている。あるいは画面転送装置で drive_redirection = true になっている。",
        fix: "LGWAN 系端末からインターネット側への許可を削除し、Web 閲覧・インターネットメールの閲覧は画面転送 (仮想ブラウザ等) で行う。画面転送装置はドライブのリダイレクトとファイル転送を無効にし、クリップボードは無効またはインターネット側から LGWAN 側へのテキストのみとする。",
    },
    en: Doc {
        title: "Path from LGWAN terminals to the internet",
        what: "No packets get from an LGWAN-tier terminal (kind terminal or vdi) to the internet side (internet-tier hosts and externals of kind internet or security-cloud). In the α' model, direct paths to internet externals (local breakout) are checked by AP-001 and left out here. Screen-transfer gateways joining the LGWAN and internet tiers have drive_redirection = false, file_transfer = false and clipboard = \"disabled\" or \"text-in\" (a missing field is unknown).",
        why: "LGWAN terminals use the web and internet-side systems by screen transfer (a virtual browser, for example): they receive pixels only. A terminal that talks to the internet side directly brings malware from pages and downloads into the LGWAN tier. Even with screen transfer, drive redirection, file transfer or a two-way clipboard lets files across.",
        example: "LGWAN terminals may reach the security cloud on tcp/443 through a proxy; or the screen-transfer gateway has drive_redirection = true.",
        fix: "Remove the rules that let LGWAN terminals reach the internet side; browse the web and read internet mail through screen transfer. Turn off drive redirection and file transfer on the screen-transfer gateway, and set the clipboard to disabled or to text from the internet side into the LGWAN side only.",
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
        let terminals = Ends::hosts(facts.hosts_in(Tier::Lgwan, Tier::Internet, |h| {
            matches!(h.kind, HostKind::Terminal | HostKind::Vdi)
        }));
        let mut internet = Ends::internet_side(&facts, Tier::Lgwan);
        if cx.model == NetworkModel::AlphaPrime {
            internet.externals.clear();
        }
        for p in crossing_pairs(cx, &terminals, &internet, &|_| TRUE) {
            out.push(pair_fail(
                cx,
                &p,
                "LGWAN接続系の端末からインターネット側への経路",
                "path from an LGWAN terminal to the internet side",
            ));
        }
        for g in &topo.gateways {
            if g.kind != GatewayKind::ScreenTransfer {
                continue;
            }
            let (a, b) = (facts.zone_tier(&g.from), facts.zone_tier(&g.to));
            let joins = (a == Some(Tier::Lgwan) && b == Some(Tier::Internet))
                || (a == Some(Tier::Internet) && b == Some(Tier::Lgwan));
            if !joins {
                continue;
            }
            let mut bad_ja = Vec::new();
            let mut bad_en = Vec::new();
            let mut missing = Vec::new();
            match g.drive_redirection {
                Some(true) => {
                    bad_ja.push("ドライブのリダイレクトが有効 (drive_redirection = true)");
                    bad_en.push("drive redirection is on (drive_redirection = true)");
                }
                Some(false) => {}
                None => missing.push("drive_redirection"),
            }
            match g.file_transfer {
                Some(true) => {
                    bad_ja.push("ファイル転送が有効 (file_transfer = true)");
                    bad_en.push("file transfer is on (file_transfer = true)");
                }
                Some(false) => {}
                None => missing.push("file_transfer"),
            }
            match g.clipboard {
                Some(Clipboard::Both) => {
                    bad_ja.push("クリップボードが双方向 (clipboard = \"both\")");
                    bad_en.push("the clipboard works both ways (clipboard = \"both\")");
                }
                Some(Clipboard::Disabled | Clipboard::TextIn) => {}
                None => missing.push("clipboard"),
            }
            let subject = g.id.clone();
            if !bad_ja.is_empty() {
                out.push(Outcome::fail(
                    subject,
                    Some(g.loc),
                    Text::new(
                        format!(
                            "画面転送装置 {} が画面以外も渡す: {}",
                            g.id,
                            bad_ja.join("、")
                        ),
                        format!(
                            "screen-transfer gateway {} carries more than pixels: {}",
                            g.id,
                            bad_en.join("; ")
                        ),
                    ),
                ));
            } else if !missing.is_empty() {
                let list = missing.join(", ");
                out.push(Outcome::unknown(
                    subject,
                    Some(g.loc),
                    Text::new(
                        format!("画面転送装置 {} に {list} の記載が無い", g.id),
                        format!("screen-transfer gateway {} does not state {list}", g.id),
                    ),
                ));
            } else {
                out.push(Outcome::pass(subject, Some(g.loc)));
            }
        }
        if out.is_empty() {
            out.push(Outcome::pass("tier:lgwan->tier:internet", None));
        }
        out
    }
}
