//! IN-001: every way to the internet goes through the prefecture's security cloud; nothing
//! reaches an external of kind `internet` directly (α' LBO from the LGWAN tier excepted).

use crate::analysis::bdd::TRUE;
use crate::analysis::reach::Endpoint;
use crate::model::policy::Level;
use crate::model::{ExternalId, ExternalKind, GatewayId, NetworkModel, SegmentId, Tier};
use crate::rules::support::{Ends, Facts, crossing_pairs, pair_fail};
use crate::rules::{Context, Doc, Levels, Meta, Outcome};

pub static META: Meta = Meta {
    code: "IN-001",
    name: "internet-breakout-outside-security-cloud",
    levels: Levels::all(Level::Deny),
    guideline: "GL(R6.10) 対策基準 3.(3)②",
    confidence: "V",
    ja: Doc {
        title: "自治体情報セキュリティクラウドを経由しないインターネット接続",
        what: "どのゾーンのホストからも、kind = \"internet\" の外部網 (セキュリティクラウドを経由しない直接のインターネット) へパケットが届かないこと。インターネットへの出口として認められるのは kind = \"security-cloud\" の外部網 (都道府県の自治体情報セキュリティクラウド) だけである。α'モデルでの LGWAN接続系からのローカルブレイクアウトは AP-001 が検査するため、ここでは対象外とする。",
        why: "三層の対策では、インターネットとの接続点を都道府県単位の自治体情報セキュリティクラウドに集約し、高度な監視とログ分析を一元的に行う。団体が独自にインターネットへ出る回線を持つと、その通信は監視の外に置かれ、侵害時の検知や遮断が遅れる。2015 年の年金機構の事案でも、外向きの通信を止められなかったことが被害を広げた。",
        example: "インターネット系のファイアウォールが kind = \"internet\" の外部網 (プロバイダ回線) に直接つながり、端末から tcp/443 で外へ出られる。",
        fix: "インターネットへの出口をセキュリティクラウドに一本化し、外部網を kind = \"security-cloud\" として記載する。直接の回線 (保守用回線、メール専用回線を含む) は廃止するか、セキュリティクラウド経由に切り替える。",
    },
    en: Doc {
        title: "Internet connection that bypasses the security cloud",
        what: "No host of any zone gets packets into an external of kind \"internet\" (a direct internet link). The only sanctioned way out is an external of kind \"security-cloud\", the prefecture's 自治体情報セキュリティクラウド. In the α' model, local breakout from the LGWAN tier is checked by AP-001 and left out here.",
        why: "The three-tier model concentrates internet connections in each prefecture's security cloud, where traffic is monitored and logs are analysed in one place. A municipality's own internet line sits outside that monitoring, so detection and blocking come late. In the 2015 Japan Pension Service breach, not being able to stop outbound traffic widened the damage.",
        example: "The internet-tier firewall faces an external of kind \"internet\" (an ISP line) directly, and terminals get out on tcp/443.",
        fix: "Route every way out through the security cloud and declare that external as kind = \"security-cloud\". Close direct lines (including maintenance and mail-only lines) or move them behind the security cloud.",
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
        let direct: Vec<ExternalId> = (0..topo.externals.len())
            .filter(|&x| topo.externals[x].kind == ExternalKind::Internet)
            .map(ExternalId)
            .collect();
        if direct.is_empty() {
            return vec![Outcome::pass("kind:internet", None)];
        }
        let lbo = cx.model == NetworkModel::AlphaPrime;
        // Every address inside: declared hosts, gateways and undeclared addresses of every
        // segment (under α', the LGWAN tier's local breakout is allowed).
        let others = (0..topo.gateways.len())
            .map(|g| Endpoint::Gateway(GatewayId(g)))
            .chain((0..topo.segments.len()).map(|s| Endpoint::Undeclared(SegmentId(s))))
            .filter(|&e| !(lbo && cx.endpoint_in_tier(e, Tier::Lgwan)))
            .filter(|&e| !cx.reach.endpoint_addresses(e).is_empty())
            .collect();
        let sources = Ends {
            hosts: (0..topo.hosts.len())
                .filter(|&h| !(lbo && facts.host_in(&topo.hosts[h], Tier::Lgwan)))
                .collect(),
            externals: Vec::new(),
            others,
        };
        let targets = Ends {
            externals: direct,
            ..Ends::default()
        };
        let mut out: Vec<Outcome> = crossing_pairs(cx, &sources, &targets, &|_| TRUE)
            .iter()
            .map(|p| {
                pair_fail(
                    cx,
                    p,
                    "セキュリティクラウドを経由しないインターネット接続",
                    "internet access that bypasses the security cloud",
                )
            })
            .collect();
        if out.is_empty() {
            out.push(Outcome::pass("kind:internet", None));
        }
        out
    }
}
