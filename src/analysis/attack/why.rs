//! Why an attack step happened, in one sentence per language: the text that `attack`, the ATK
//! findings and `diff` show for a step. It lives below `rules` because ATK findings and `diff`
//! key on it, and only `report` may format output of its own.

use super::{Attack, CredCause, Egress, Step, StepKind};
use crate::lang::Lang;
use crate::model::{AccountId, ExternalId, HostId, Topology};

pub fn host(topo: &Topology, h: HostId) -> String {
    format!("host:{}", topo.hosts[h].id)
}

pub fn account(topo: &Topology, a: AccountId) -> String {
    format!("account:{}", topo.accounts[a].id)
}

pub fn external(topo: &Topology, x: ExternalId) -> String {
    format!("external:{}", topo.externals[x].id)
}

pub fn services(step: &Step) -> String {
    step.services()
        .map(|s| s.names().join(", "))
        .unwrap_or_default()
}

/// Why a step happened, in one sentence.
pub fn why(topo: &Topology, attack: &Attack, step: &Step, lang: Lang) -> String {
    let h = &topo.hosts[step.host()];
    match *step {
        Step::Assumed { .. }
            if h.id
                .starts_with(crate::analysis::attack::rogue::ROGUE_PREFIX) =>
        {
            let at = crate::analysis::names::ranges(
                &h.interfaces.iter().map(|i| i.ip.value).collect::<Vec<_>>(),
            );
            let segment = h
                .interfaces
                .first()
                .map(|i| i.segment.value.as_str())
                .unwrap_or_default();
            match lang {
                Lang::Ja => format!(
                    "未登録の機器 (不正接続端末) が {segment} の {at} にあると仮定 (どの [[host]] にも無いアドレス)"
                ),
                Lang::En => format!(
                    "a rogue device assumed at {at} in {segment} (addresses no [[host]] declares)"
                ),
            }
        }
        Step::Assumed { .. } => lang
            .pick(
                "乗っ取られたと仮定 (--assume-compromised)",
                "assumed compromised (--assume-compromised)",
            )
            .to_string(),
        Step::Joined { host, way } => super::entry_why::joined(
            topo,
            way,
            super::entry::uses_clients(topo, way, host.0),
            lang,
        ),
        Step::InternetUse { .. } => {
            let uses: Vec<String> = h.internet_use.iter().map(|u| u.to_string()).collect();
            let uses = uses.join(", ");
            match lang {
                Lang::Ja => format!(
                    "インターネットのコンテンツを直接開く (internet_use = {uses}): 標的型メールの添付や Web からのマルウェアで乗っ取られる"
                ),
                Lang::En => format!(
                    "opens internet content directly (internet_use = {uses}): a phishing attachment or a drive-by download takes it over"
                ),
            }
        }
        Step::Exposed { external: x, .. } => match lang {
            Lang::Ja => format!(
                "{} から {} が届く: 公開サービスを攻撃される",
                external(topo, x),
                services(step)
            ),
            Lang::En => format!(
                "{} reaches {} on it: an exposed service is attacked",
                external(topo, x),
                services(step)
            ),
        },
        Step::Channel { gateway, from, .. } => {
            let g = &topo.gateways[gateway];
            let from = from
                .map(|f| host(topo, f))
                .unwrap_or_else(|| lang.pick("インターネット", "the internet").to_string());
            match lang {
                Lang::Ja => format!(
                    "gateway:{} ({}) は無害化せずに通す (bypass): {from} からのコンテンツがゾーン {} に入る",
                    g.id, g.kind, g.to.value
                ),
                Lang::En => format!(
                    "gateway:{} ({}) passes content unsanitized (bypass): content from {from} enters zone {}",
                    g.id, g.kind, g.to.value
                ),
            }
        }
        Step::Harvest { account: a, .. } => {
            let how = attack.spread.accounts[a.0].as_ref().map(|c| c.cause);
            match (how, lang) {
                (Some(CredCause::SharedLocalAdmin { .. }), Lang::Ja) => format!(
                    "{} はホストごとに同じパスワードのローカル管理者 (unique_per_host が true でない): このホストから取った認証情報が他のホストでも通る",
                    account(topo, a)
                ),
                (Some(CredCause::SharedLocalAdmin { .. }), Lang::En) => format!(
                    "{} is a local administrator with the same password on every host (unique_per_host is not true): what is taken here opens the others",
                    account(topo, a)
                ),
                (_, Lang::Ja) => format!(
                    "{} がこのホストにログオンする (logs_on_to): キャッシュされた認証情報を奪われる",
                    account(topo, a)
                ),
                (_, Lang::En) => format!(
                    "{} logs on to this host (logs_on_to): its cached credentials are taken",
                    account(topo, a)
                ),
            }
        }
        Step::Lateral {
            account: a, from, ..
        } => {
            let from = host(topo, from);
            match lang {
                Lang::Ja => format!(
                    "{from} から {} で届き、奪った {} がこのホストの管理者 (admin_on)",
                    services(step),
                    account(topo, a)
                ),
                Lang::En => format!(
                    "{from} reaches it on {}, and the stolen {} is admin here (admin_on)",
                    services(step),
                    account(topo, a)
                ),
            }
        }
        Step::Exploit { from, .. } => {
            let from = host(topo, from);
            match lang {
                Lang::Ja => format!(
                    "{from} から脆弱なサービス {} に届く (vulnerable)",
                    services(step)
                ),
                Lang::En => format!(
                    "{from} reaches its vulnerable service {} (vulnerable)",
                    services(step)
                ),
            }
        }
        Step::Read {
            store,
            account: a,
            services: ref over,
            ref witness,
            ..
        } => {
            let s = &topo.stores[store];
            let target = format!("store:{}", s.id);
            match (a, witness.is_some() || over.is_some(), lang) {
                (_, false, Lang::Ja) => {
                    format!("{target} のあるホストそのものを乗っ取った: データを直接読める")
                }
                (_, false, Lang::En) => {
                    format!("the host of {target} itself is taken: the data is read directly")
                }
                (Some(a), true, Lang::Ja) => format!(
                    "{target} に {} で届き、奪った {} が読み取り権限を持つ (readers)",
                    services(step),
                    account(topo, a)
                ),
                (Some(a), true, Lang::En) => format!(
                    "reaches {target} on {}, and the stolen {} is among its readers",
                    services(step),
                    account(topo, a)
                ),
                (None, true, Lang::Ja) => format!(
                    "{target} に {} で届き、readers = everyone なので誰でも読める",
                    services(step)
                ),
                (None, true, Lang::En) => format!(
                    "reaches {target} on {}, and its readers include everyone",
                    services(step)
                ),
            }
        }
        Step::Relay { from, .. } => {
            let from = host(topo, from);
            match lang {
                Lang::Ja => format!(
                    "攻撃者が握る {from} からこのホストへデータを移す (どちら向きでも通信できれば運べる)"
                ),
                Lang::En => format!(
                    "the data moves from {from}, also held by the attacker (packets in either direction carry it)"
                ),
            }
        }
        Step::Exfiltrate { ref egress, .. } => {
            let (x, inbound, via) = match *egress {
                Egress::Direct { external } => (external, false, None),
                Egress::Inbound { external } => (external, true, None),
                Egress::Relay { via, external } => (external, false, Some(via)),
            };
            let x = external(topo, x);
            match (via, lang) {
                (None, Lang::Ja) if inbound => format!(
                    "{x} から {} で届く接続の応答にデータを載せて持ち出せる",
                    services(step)
                ),
                (None, Lang::En) if inbound => format!(
                    "{x} connects to it on {}: the data leaves in the replies",
                    services(step)
                ),
                (None, Lang::Ja) => {
                    format!("このホストから {x} へ {} で直接出られる", services(step))
                }
                (None, Lang::En) => {
                    format!("this host sends to {x} directly on {}", services(step))
                }
                (Some(v), Lang::Ja) => format!(
                    "{} ({}) に {} で届き、そこから {x} へ出られる",
                    host(topo, v),
                    topo.hosts[v].kind,
                    services(step)
                ),
                (Some(v), Lang::En) => format!(
                    "reaches {} ({}) on {}, which sends on to {x}",
                    host(topo, v),
                    topo.hosts[v].kind,
                    services(step)
                ),
            }
        }
    }
}

/// A step's kind in the reader's language (the JSON's `kind` stays the English word).
pub fn kind_label(k: StepKind, lang: Lang) -> &'static str {
    match k {
        StepKind::Assumed => lang.pick("仮定", "assumed"),
        StepKind::Entry => lang.pick("侵入", "entry"),
        StepKind::Channel => lang.pick("チャネル通過", "channel"),
        StepKind::Harvest => lang.pick("認証情報の窃取", "credential harvest"),
        StepKind::Lateral => lang.pick("横展開", "lateral movement"),
        StepKind::Exploit => lang.pick("脆弱性の悪用", "exploit"),
        StepKind::Read => lang.pick("読み取り", "read"),
        StepKind::Relay => lang.pick("中継", "relay"),
        StepKind::Exfiltrate => lang.pick("外部への持ち出し", "exfiltration"),
    }
}
