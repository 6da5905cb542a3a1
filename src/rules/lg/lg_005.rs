//! LG-005: the LGWAN itself is reached only from the LGWAN side: nothing on the internet side
//! gets packets into an `lgwan` external, and the LGWAN-facing firewall has no internet leg.

use crate::analysis::bdd::TRUE;
use crate::model::policy::Level;
use crate::model::{Attachment, ExternalId, ExternalKind, Tier};
use crate::rules::support::{Ends, Facts, crossing_pairs, pair_fail};
use crate::rules::{Context, Doc, Levels, Meta, Outcome, Text};

pub static META: Meta = Meta {
    code: "LG-005",
    name: "internet-path-to-lgwan-network",
    levels: Levels::all(Level::Deny),
    guideline: "GL(R6.10) 対策基準 3; S3",
    confidence: "I",
    ja: Doc {
        title: "インターネット側から LGWAN (外部網) への経路",
        what: "インターネット側 (tier internet のホストと kind internet / security-cloud の外部網) から、kind lgwan の外部網へパケットが届かないこと。また、LGWAN に面したインターフェースを持つファイアウォールが、インターネット接続系 (tier internet) のセグメントやインターネット側の外部網にもインターフェースを持っていないことを確認する。",
        why: "LGWAN は全国の地方公共団体と国の機関を結ぶ閉域網であり、その安全性は各団体がインターネットとの接点を持ち込まないことに支えられている。インターネット側から LGWAN へ直接届く経路があれば、自団体が侵害されたときに LGWAN 上の他団体や国のシステムまで攻撃が及ぶ。LGWAN 接続用の機器にインターネット側の足があると、ルール 1 行の誤りでその経路ができてしまう。",
        example: "インターネット接続系とLGWAN の両方にインターフェースを持つ fw-edge があり、インターネット系の端末から LGWAN へ tcp/443 が通る。",
        fix: "LGWAN への接続はLGWAN接続系にある専用のファイアウォール (LGWAN 接続ルータ) だけから行い、そこにインターネット接続系へのインターフェースを持たせない。インターネット側からLGWAN-ASP 等を使う必要があれば、画面転送など LGWAN接続系で終端する方法にする。",
    },
    en: Doc {
        title: "Path from the internet side to the LGWAN network",
        what: "No packets get from the internet side (internet-tier hosts and externals of kind internet or security-cloud) into an external of kind lgwan, and no firewall facing an lgwan external also has an interface on an internet-tier segment or facing an internet external.",
        why: "LGWAN is the closed network joining every municipality and national agencies; its safety rests on no member bringing an internet link into it. A path from the internet side straight into LGWAN lets an attack on one municipality reach others and national systems. A device that connects to LGWAN and also has an internet-side leg is one wrong rule away from such a path.",
        example: "fw-edge has interfaces both in the internet tier and facing LGWAN, and internet-side terminals reach LGWAN on tcp/443.",
        fix: "Connect to LGWAN only through a dedicated firewall (the LGWAN connection router) in the LGWAN tier, with no interface in the internet tier. If LGWAN-ASP services are needed from the internet side, reach them by a crossing that ends in the LGWAN tier, such as screen transfer.",
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
        let lgwan: Vec<ExternalId> = (0..topo.externals.len())
            .filter(|&x| topo.externals[x].kind == ExternalKind::Lgwan)
            .map(ExternalId)
            .collect();
        if lgwan.is_empty() {
            return vec![Outcome::pass("external:lgwan", None)];
        }
        let internet = Ends::internet_side(&facts, Tier::Lgwan);
        let targets = Ends {
            externals: lgwan.clone(),
            ..Ends::default()
        };
        for p in crossing_pairs(cx, &internet, &targets, &|_| TRUE) {
            out.push(pair_fail(
                cx,
                &p,
                "インターネット側から LGWAN への経路",
                "path from the internet side into LGWAN",
            ));
        }
        for fw in &topo.firewalls {
            let faces = |pred: &dyn Fn(&Attachment) -> bool| -> Vec<String> {
                fw.interfaces
                    .iter()
                    .enumerate()
                    .filter(|(_, i)| pred(&i.attachment.value))
                    .map(|(k, _)| crate::rules::support::interface_name(fw, k))
                    .collect()
            };
            let lgwan_side = faces(&|a| match a {
                Attachment::External(x) => topo
                    .external(x)
                    .is_some_and(|e| e.kind == ExternalKind::Lgwan),
                Attachment::Segment(_) => false,
            });
            if lgwan_side.is_empty() {
                continue;
            }
            let internet_side = faces(&|a| match a {
                Attachment::External(x) => topo.external(x).is_some_and(|e| e.kind.is_internet()),
                Attachment::Segment(s) => facts
                    .segment(s)
                    .and_then(|i| facts.segment_tier(i))
                    .is_some_and(|t| t == Tier::Internet),
            });
            if internet_side.is_empty() {
                out.push(Outcome::pass(fw.id.clone(), Some(fw.loc)));
                continue;
            }
            out.push(Outcome::fail(
                fw.id.clone(),
                Some(fw.loc),
                Text::new(
                    format!(
                        "LGWAN に面したファイアウォール {} がインターネット側にもインターフェースを持つ (LGWAN 側: {}、インターネット側: {})",
                        fw.id,
                        lgwan_side.join(", "),
                        internet_side.join(", ")
                    ),
                    format!(
                        "firewall {} faces LGWAN ({}) and also has interfaces on the internet side ({})",
                        fw.id,
                        lgwan_side.join(", "),
                        internet_side.join(", ")
                    ),
                ),
            ));
        }
        if out.is_empty() {
            out.push(Outcome::pass("external:lgwan", None));
        }
        out
    }
}
