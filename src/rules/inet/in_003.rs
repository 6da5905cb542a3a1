//! IN-003: public web servers sit in a DMZ (or are aggregated in the security cloud), never
//! inside the organisation's tiers.

use crate::model::policy::Level;
use crate::model::{HostRole, Tier};
use crate::rules::{Context, Doc, Levels, Meta, Outcome, Text};

pub static META: Meta = Meta {
    code: "IN-003",
    name: "public-web-outside-dmz",
    levels: Levels::all(Level::Warn),
    guideline: "GL(R6.10) 対策基準 3.(3); S2",
    confidence: "V",
    ja: Doc {
        title: "公開 Web サーバが DMZ に置かれていない",
        what: "role に public-web を持つホストが DMZ (tier dmz) だけに置かれていること。それ以外の層に脚があれば不合格。自治体情報セキュリティクラウドに集約した公開 Web はこの設計に現れないため対象外。",
        why: "公開 Web サーバはインターネットから誰でも接続できる。庁内の層に置けば、その脆弱性がそのまま庁内への入口になる。ガイドラインはセキュリティクラウドへの集約を推奨し、少なくとも庁内の層の外の DMZ に置くことを求める。",
        example: "公開 Web サーバ www がインターネット接続系の職員用セグメントに置かれている。",
        fix: "公開 Web をセキュリティクラウドに集約するか、庁内の層と分けた DMZ (tier dmz) に移す。",
    },
    en: Doc {
        title: "Public web server outside a DMZ",
        what: "Hosts with role public-web sit only in the DMZ (tier dmz). A leg in any other tier fails. Public web aggregated in the prefecture's security cloud does not appear in the design and is out of scope.",
        why: "Anyone on the internet connects to a public web server; inside an organisational tier, its weaknesses become the way in. The guideline recommends aggregating it in the security cloud and at least requires a DMZ outside the internal tiers.",
        example: "The public web server www sits in the internet tier's staff segment.",
        fix: "Aggregate the public web in the security cloud, or move it to a DMZ (tier dmz) separate from the internal tiers.",
    },
};

pub struct Rule;

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) -> Vec<Outcome> {
        let mut out = Vec::new();
        for h in &cx.topo.hosts {
            if !h.facts.roles.contains(&HostRole::PublicWeb) {
                continue;
            }
            let outside: Vec<String> = cx
                .host_tiers(h)
                .into_iter()
                .filter(|t| *t != Tier::Dmz)
                .map(|t| t.to_string())
                .collect();
            if outside.is_empty() {
                out.push(Outcome::pass(h.id.clone(), Some(h.loc)));
            } else {
                let list = outside.join(", ");
                out.push(Outcome::fail(
                    h.id.clone(),
                    Some(h.loc),
                    Text::new(
                        format!(
                            "公開 Web サーバ {} が DMZ の外 ({list}) に置かれている",
                            h.id
                        ),
                        format!("public web server {} sits outside the DMZ ({list})", h.id),
                    ),
                ));
            }
        }
        out
    }
}
