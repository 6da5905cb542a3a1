//! MN-003: the external networks the My Number tier exchanges packets with are not connected
//! to the internet.

use crate::analysis::bdd::TRUE;
use crate::analysis::reach::Endpoint;
use crate::model::policy::Level;
use crate::model::{ExternalId, Tier};
use crate::rules::support::{
    EndpointIndex, TierIndex, delivered_to_tier, endpoint_index, pairs_from_into_tier, pairs_into,
    reaches_tier, show_list, tier_addresses, witnessed,
};
use crate::rules::{Context, Doc, Levels, Meta, Outcome, Text};

pub static META: Meta = Meta {
    code: "MN-003",
    name: "mynumber-internet-connected-external",
    levels: Levels::all(Level::Deny),
    guideline: "GL(R6.10) 対策基準 3.(1)①; S1",
    confidence: "V",
    ja: Doc {
        title: "マイナンバー利用事務系が通信する外部網はインターネットに接続していないこと",
        what: "マイナンバー利用事務系のホストとパケットをやり取りする (どちら向きでも) 外部網 (external) の種別を確かめる。internet と security-cloud (セキュリティクラウド経由のインターネット) は不合格。lgwan、juki-net、gov-cloud、closed (閉域網) は合格。",
        why: "マイナンバー利用事務系が外部とデータをやり取りしてよいのは、それ自体がインターネットにつながっていない外部システムに限られる。eLTAX やマイナポータルのように安全性が確認された国のシステムとの連携も、LGWAN を経由する特定通信として行う。インターネットにつながる網と直接パケットをやり取りすれば、マイナンバー系が外部からの攻撃と情報の持ち出しに直接さらされる。",
        example: "マイナンバー系のサーバがセキュリティクラウド (kind security-cloud) 上の更新サーバへ tcp/443 で直接通信できる。",
        fix: "インターネットにつながる網との通信を許可しているルールを削除する。国のシステムとの連携が必要な場合は、LGWAN 経由の特定通信 (MN-002, EXT-003) として、宛先とポートを限定して設定する。",
    },
    en: Doc {
        title: "Networks the My Number tier exchanges packets with are not internet-connected",
        what: "For every external network that exchanges packets with a My Number host (in either direction), its kind: internet and security-cloud (the internet through the prefecture's security cloud) fail; lgwan, juki-net, gov-cloud and closed pass.",
        why: "The My Number tier may exchange data only with external systems that are not themselves on the internet. Even national systems judged safe, such as eLTAX or Mynaportal, are reached through LGWAN as a pinned 特定通信. Direct packets to an internet-connected network expose the tier to attack from outside and give data a way out.",
        example: "A My Number server reaches an update server on the security cloud (kind security-cloud) directly on tcp/443.",
        fix: "Remove the rules that let packets between the tier and the internet-connected network through. An exchange with a national system goes via LGWAN as a 特定通信 pinned to its destination and port (MN-002, EXT-003).",
    },
};

pub struct Rule;

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) -> Vec<Outcome> {
        let topo = cx.topo;
        let mn = tier_addresses(topo, Tier::MyNumber);
        let mn_src = cx.reach.space.src(&mn);
        let tier = TierIndex::new(cx.places(), Tier::MyNumber);
        let mut index: Option<EndpointIndex> = None;
        let mut out = Vec::new();
        for (x, ext) in topo.externals.iter().enumerate() {
            let subject = format!("external:{}", ext.id);
            let external = Endpoint::External(ExternalId(x));
            let delivered = cx.reach.delivered_to(external);
            let outward = cx.reach.space.meets(delivered, mn_src);
            let home = cx.reach.endpoint_sources(external);
            let inward = reaches_tier(cx, &tier, home);
            if !outward && !inward {
                continue;
            }
            if !ext.kind.is_internet() {
                out.push(Outcome::pass(subject, Some(ext.loc)));
                continue;
            }
            let index = index.get_or_insert_with(|| endpoint_index(cx));
            let into_mn = delivered_to_tier(cx, Tier::MyNumber);
            let mut pairs = pairs_into(cx, index, external, mn_src);
            pairs.extend(pairs_from_into_tier(
                cx,
                index,
                external,
                Tier::MyNumber,
                into_mn,
                TRUE,
            ));
            let mut hosts: Vec<String> = pairs
                .iter()
                .flat_map(|(p, _)| [p.from, p.to])
                .filter(|e| !matches!(e, Endpoint::External(_)))
                .map(|e| cx.endpoint_name(e))
                .collect();
            hosts.sort();
            hosts.dedup();
            let (ja, en) = show_list(&hosts, 5);
            let n = hosts.len();
            let mut outcome = Outcome::fail(
                subject,
                Some(ext.loc),
                Text::new(
                    format!(
                        "外部網 {} ({}) はインターネットにつながっているが、マイナンバー利用事務系の {n} 箇所 (ホスト・ゲートウェイ・未登録アドレス) とパケットをやり取りする: {ja}",
                        ext.id, ext.kind
                    ),
                    format!(
                        "external {} ({}) is internet-connected, yet it exchanges packets with {n} My Number endpoint(s) (hosts, gateways, undeclared addresses): {en}",
                        ext.id, ext.kind
                    ),
                ),
            );
            if let Some(first) = pairs.into_iter().next() {
                let p = witnessed(cx, first);
                outcome = outcome.with_evidence(Context::packet_evidence(&p));
            }
            out.push(outcome);
        }
        if out.is_empty() {
            out.push(Outcome::pass("tier:mynumber", None));
        }
        out
    }
}
