//! LG-002: content from the internet side reaches the LGWAN tier only through a sanctioned
//! crossing (file sanitization, mail text conversion, screen transfer), never as raw packets.

use crate::model::policy::Level;
use crate::model::{FlowMethod, GatewayKind, NetworkModel, Tier};
use crate::rules::support::{Facts, internet_to_lgwan, pair_fail};
use crate::rules::{Context, Doc, Evidence, Levels, Meta, Outcome, Text};

pub static META: Meta = Meta {
    code: "LG-002",
    name: "unsanitized-internet-to-lgwan",
    levels: Levels::all(Level::Deny),
    guideline: "GL(R6.10) 対策基準 3.(2)①(ウ)",
    confidence: "V",
    ja: Doc {
        title: "インターネット接続系から LGWAN接続系への無害化されない経路",
        what: "インターネット側 (tier internet のホストと、kind internet / security-cloud の外部網) から LGWAN接続系 (tier lgwan) のホストへ、パケットが届く経路が無いこと。β・β'モデルに限り、インターネット接続系のホストから kind = \"vdi\" のホストへの画面転送プロトコル (RDP tcp/udp 3389、ICA tcp/1494・2598、PCoIP tcp/udp 4172、Blast tcp/udp 22443) は除く。あわせて、LGWAN接続系へ入るファイル無害化ゲートウェイが bypass = true でないこと (method が無ければ判定不能)、インターネット側から LGWAN接続系への宣言済みデータフローが sanitized-file・mail-text・screen (または paper) の方法で、対応するゲートウェイが実在することを確認する。",
        why: "インターネットから取り込むファイルには、マクロやスクリプトなど攻撃の起点となる要素が含まれうる。ガイドラインは、LGWAN接続系へ持ち込むファイルを無害化 (危険因子の除去、画像・テキストへの変換、または安全の確認) してから渡すことを求めている。パケットが直接届く経路や、無害化を省略できる管理者用の経路が一本でもあれば、無害化装置を置いた意味がなくなる。",
        example: "インターネット系の端末から LGWAN 系ファイルサーバへ tcp/445 が許可されている。または無害化装置が bypass = true で、管理者が無害化せずにファイルを渡せる。",
        fix: "インターネット側から LGWAN接続系へのパケットの許可を削除し、ファイルは無害化装置、メールはメール無害化装置、画面は画面転送装置を通す。無害化装置の省略経路は廃止し bypass = false とする。宣言済みのデータフローは実際に通るゲートウェイの方式 (sanitized-file など) で記載する。",
    },
    en: Doc {
        title: "Unsanitized path from the internet side into the LGWAN tier",
        what: "No packets get from the internet side (internet-tier hosts and externals of kind internet or security-cloud) to an LGWAN-tier host. In the β and β' models only, screen-transfer protocols (RDP tcp/udp 3389, ICA tcp/1494 and 2598, PCoIP tcp/udp 4172, Blast tcp/udp 22443) from internet-tier hosts to hosts of kind \"vdi\" are left out. Also: file-sanitizer gateways into the LGWAN tier do not have bypass = true (no `method` is unknown), and declared data flows from the internet side into the LGWAN tier use sanitized-file, mail-text or screen (or paper), through a gateway of that kind that exists.",
        why: "Files from the internet can carry macros, scripts and other active content that start an attack. The guideline requires files entering the LGWAN tier to be sanitized first: risky parts removed, converted to image or text, or verified to have none. A single direct packet path, or an administrator path that skips sanitization, makes the sanitizer pointless.",
        example: "An internet-side terminal may reach the LGWAN file server on tcp/445; or the file sanitizer has bypass = true, so an administrator can pass files unsanitized.",
        fix: "Remove the firewall rules that let packets from the internet side into the LGWAN tier; send files through the file sanitizer, mail through the mail sanitizer and screens through screen transfer. Remove the bypass path and set bypass = false. Declare each data flow with the method of the gateway it really passes (sanitized-file and so on).",
    },
};

pub struct Rule;

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    /// It follows every packet from the internet side into the LGWAN tier: one of the longest.
    fn lane(&self) -> crate::rules::Lane {
        crate::rules::Lane::Second
    }

    fn check(&self, cx: &mut Context<'_>) -> Vec<Outcome> {
        let topo = cx.topo;
        let facts = Facts::new(cx);
        let mut out = Vec::new();
        // Packets from the internet side into LGWAN-tier hosts.
        let beta = matches!(cx.model, NetworkModel::Beta | NetworkModel::BetaPrime);
        for p in internet_to_lgwan(cx, &facts, beta) {
            out.push(pair_fail(
                cx,
                &p,
                "インターネット側から LGWAN接続系へ無害化されない経路",
                "unsanitized path from the internet side into the LGWAN tier",
            ));
        }
        // File sanitizers into the LGWAN tier.
        for g in &topo.gateways {
            if g.kind != GatewayKind::FileSanitizer || facts.zone_tier(&g.to) != Some(Tier::Lgwan) {
                continue;
            }
            let subject = format!("gateway:{}", g.id);
            if g.bypass {
                out.push(Outcome::fail(
                    subject,
                    Some(g.loc),
                    Text::new(
                        format!(
                            "ファイル無害化装置 {} に無害化を省略する経路がある (bypass = true)",
                            g.id
                        ),
                        format!(
                            "file sanitizer {} has a path that passes files unsanitized (bypass = true)",
                            g.id
                        ),
                    ),
                ));
            } else if g.method.is_none() {
                out.push(Outcome::unknown(
                    subject,
                    Some(g.loc),
                    Text::new(
                        format!(
                            "ファイル無害化装置 {} の無害化方式 (method) が記載されていない",
                            g.id
                        ),
                        format!("file sanitizer {} does not state its `method`", g.id),
                    ),
                ));
            } else {
                out.push(Outcome::pass(subject, Some(g.loc)));
            }
        }
        // Declared flows from the internet side into the LGWAN tier.
        for f in &topo.flows {
            let (a, b) = (cx.selector_tiers(&f.from), cx.selector_tiers(&f.to));
            if !a.contains(&Tier::Internet) || !b.contains(&Tier::Lgwan) {
                continue;
            }
            let subject = format!("flow:{}", f.id);
            let needed = match f.method {
                FlowMethod::SanitizedFile => Some(GatewayKind::FileSanitizer),
                FlowMethod::MailText => Some(GatewayKind::MailSanitizer),
                FlowMethod::Screen => Some(GatewayKind::ScreenTransfer),
                FlowMethod::Paper => None,
                FlowMethod::Network | FlowMethod::Media => {
                    out.push(
                        Outcome::fail(
                            subject,
                            Some(f.loc),
                            Text::new(
                                format!(
                                    "データフロー {} はインターネット側から LGWAN接続系へ無害化せずに運ぶ (method = {})",
                                    f.id, f.method
                                ),
                                format!(
                                    "data flow {} carries content from the internet side into the LGWAN tier without sanitization (method = {})",
                                    f.id, f.method
                                ),
                            ),
                        )
                        .with_evidence(Evidence::Steps(vec![Text::new(
                            format!("{} → {} ({})", *f.from, *f.to, f.method),
                            format!("{} → {} by {}", *f.from, *f.to, f.method),
                        )])),
                    );
                    continue;
                }
            };
            let Some(kind) = needed else {
                out.push(Outcome::pass(subject, Some(f.loc)));
                continue;
            };
            let (za, zb) = (facts.selector_zones(&f.from), facts.selector_zones(&f.to));
            let through = topo.gateways.iter().find(|g| {
                g.kind == kind
                    && za.contains(&g.from.value.as_str())
                    && zb.contains(&g.to.value.as_str())
            });
            match through {
                Some(_) => out.push(Outcome::pass(subject, Some(f.loc))),
                None => out.push(Outcome::fail(
                    subject,
                    Some(f.loc),
                    Text::new(
                        format!(
                            "データフロー {} は {} と宣言されているが、{} から {} への {kind} ゲートウェイが無い",
                            f.id, f.method, *f.from, *f.to
                        ),
                        format!(
                            "data flow {} is declared as {} but no {kind} gateway goes from {} to {}",
                            f.id, f.method, *f.from, *f.to
                        ),
                    ),
                )),
            }
        }
        if out.is_empty() {
            out.push(Outcome::pass("tier:internet->tier:lgwan", None));
        }
        out
    }
}
