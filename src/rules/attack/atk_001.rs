//! ATK-001: personal data is within the reach of an attacker from outside: the internet, a
//! Wi-Fi or a remote-access line (the same stores and verdicts as `sansou attack`).

use super::{entered, path_steps};
use crate::model::Tier;
use crate::model::policy::Level;
use crate::rules::{Context, Doc, Evidence, Levels, Meta, Outcome, Text};

pub static META: Meta = Meta {
    code: "ATK-001",
    name: "personal-data-within-attackers-reach",
    levels: Levels::all(Level::Deny),
    guideline: "GL(R6.10) 対策基準 3; S27, S28",
    confidence: "I",
    ja: Doc {
        title: "外部の攻撃者が個人情報に届く",
        what: "個人情報の保存先 (store) を、どの層にあっても、インターネットから入った攻撃者が読めないこと。インターネット接続系に置かれた個人情報も対象 (β モデルでは BT-001 の条件の下で置かれうるが、読めるなら指摘する)。入口 (internet_use を持つホスト、インターネットから届く公開サービス、電波の届く所から誰でも接続できる無線LAN (auth が open / psk / 未記載)、多要素認証の無いリモート接続 (mfa が true でない)) から、届くパケット、奪える認証情報 (logs_on_to、共通のローカル管理者パスワード)、管理者権限 (admin_on) と横移動用サービス、脆弱なサービス、無害化を迂回するゲートウェイをたどる多段の攻撃経路を計算する (sansou attack と同じ解析)。",
        why: "2015 年の日本年金機構の事案では、標的型メールで端末が感染し、奪われた管理者の認証情報で他の端末とファイルサーバへ広がり、125 万件の個人情報が流出した。個々の設定がそれぞれ規則を満たしていても、組み合わせると入口から個人情報まで道がつながることがある。",
        example: "インターネットメールを開く端末にサーバ管理者がログオンし、その端末から LGWAN 接続系のファイルサーバへ SMB が通る。",
        fix: "sansou attack で経路と最小の修正を確認し、入口 (internet_use) を分離環境へ移す、リモート接続に多要素認証を必須にする、無線LANを利用者ごとの認証 (802.1X) にするか専用のセグメントに分ける、層をまたぐ許可ルールを絞る、管理者をその端末にログオンさせない、のいずれかで経路を断つ。",
    },
    en: Doc {
        title: "Personal data within an outside attacker's reach",
        what: "No store of personal data, in whatever tier, can be read by an attacker who gets in from the internet; stores on the internet side are included (β may keep some there under BT-001, but readable is still a finding). The multi-step attack path is computed as `sansou attack` does: from entry points (hosts with internet_use, services reachable from the internet, Wi-Fi a stranger in radio range can join (auth open, psk or not stated), remote-access lines without MFA) over reachable packets, harvested credentials (logs_on_to, shared local admin passwords), admin rights (admin_on) with lateral-movement services, vulnerable services, and gateways that pass content unsanitized.",
        why: "In the 2015 Japan Pension Service breach a phishing mail infected a terminal, stolen administrator credentials spread the attack to other terminals and a file server, and 1.25 million records were lost. Settings that each pass their own rule can still join into a road from the entry to the data.",
        example: "A server admin logs on to a terminal that opens internet mail, and SMB gets from that terminal to an LGWAN file server.",
        fix: "Run `sansou attack` for the path and the smallest fix, then cut it: move the entry (internet_use) to an isolated environment, require MFA on the remote-access line, give the Wi-Fi per-user authentication (802.1X) or a segment of its own, narrow the rule that crosses tiers, or stop the admin logging on there.",
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
        let topo = cx.topo;
        // Every store `sansou attack` reports, whatever its tier: a rule named "personal data
        // within an internet attacker's reach" must not pass where the attack analysis shows
        // the data read (the 2015 pension data sat on the internet-connected side).
        let internet_tier: Vec<bool> = topo
            .stores
            .iter()
            .map(|s| cx.store_tiers(s).contains(&Tier::Internet))
            .collect();
        let (topo, attack) = cx.attack();
        let mut out = Vec::new();
        for e in &attack.stores {
            let store = &topo.stores[e.store];
            let subject = format!("store:{}", store.id);
            if !e.readable() {
                out.push(Outcome::pass(subject, Some(store.loc)));
                continue;
            }
            let mut o = Outcome::fail(
                subject,
                Some(store.loc),
                Text::new(
                    format!(
                        "{}入った攻撃者が {} 段で個人情報 store:{} を読める{}",
                        entered(topo, e).ja,
                        e.steps.len(),
                        store.id,
                        if internet_tier[e.store.0] {
                            " (インターネット接続系に置かれた個人情報)"
                        } else {
                            ""
                        }
                    ),
                    format!(
                        "an attacker {} reads the personal data of store:{} in {} steps{}",
                        entered(topo, e).en,
                        store.id,
                        e.steps.len(),
                        if internet_tier[e.store.0] {
                            " (personal data kept on the internet side)"
                        } else {
                            ""
                        }
                    ),
                ),
            );
            o.evidence = Some(Box::new(Evidence::Steps(path_steps(topo, attack, e))));
            out.push(o);
        }
        out
    }
}
