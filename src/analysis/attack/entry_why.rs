//! Why the attacker gets in through a Wi-Fi or a remote-access line, in one sentence per
//! language (a part of `why.rs`). Every fact the design leaves unstated is said to be assumed,
//! so a reader sees which of the path's premises is the design's and which is sansou's.

use super::entry::Way;
use crate::lang::Lang;
use crate::model::{RemoteKind, Topology, WifiAuth};

/// The entry through `way`; `uses_clients`: the attacker's machine also sends from declared
/// clients' addresses (`entry::uses_clients`).
pub fn joined(topo: &Topology, way: Way, uses_clients: bool, lang: Lang) -> String {
    let text = match way {
        Way::Wifi(w) => wifi(topo, w, lang),
        Way::Remote(r) => remote(topo, r, lang),
    };
    match (uses_clients, way, lang) {
        (false, _, _) => text,
        (true, Way::Wifi(_), Lang::Ja) => format!(
            "{text} (登録済みの端末のアドレスも使えると仮定: なりすましを防ぐ仕組み (DHCP スヌーピング、IP ソースガード) は書かれていない)"
        ),
        (true, Way::Wifi(_), Lang::En) => format!(
            "{text} (declared clients' addresses are assumed usable too: nothing stated, such as DHCP snooping or IP source guard, stops a client choosing its address)"
        ),
        (true, Way::Remote(_), Lang::Ja) => format!(
            "{text} (このセグメントには未宣言のアドレスが無いため、登録済みの端末のアドレスがセッションに割り当てられると仮定)"
        ),
        (true, Way::Remote(_), Lang::En) => format!(
            "{text} (the segment has no undeclared address, so sessions are assumed to get declared clients' addresses)"
        ),
    }
}

fn wifi(topo: &Topology, w: usize, lang: Lang) -> String {
    let wifi = &topo.wifis[w];
    let ssid = wifi
        .ssid
        .as_ref()
        .map(|s| format!(" (SSID {s})"))
        .unwrap_or_default();
    let name = format!("wifi:{}{ssid}", wifi.id);
    let seg = &wifi.segment.value;
    match (wifi.auth, lang) {
        (Some(WifiAuth::Open), Lang::Ja) => format!(
            "{name} は認証なし (auth = open): 電波の届く所にいる誰でも接続し、segment:{seg} のアドレスを得る"
        ),
        (Some(WifiAuth::Open), Lang::En) => format!(
            "{name} needs no key (auth = open): anyone in radio range joins and gets an address in segment:{seg}"
        ),
        (Some(_), Lang::Ja) => format!(
            "{name} は共有鍵 (auth = psk): 鍵は配った全員が知っていて漏れうる。電波の届く所から接続し、segment:{seg} のアドレスを得る"
        ),
        (Some(_), Lang::En) => format!(
            "{name} uses one shared key (auth = psk), known to everyone ever given it: from radio range the attacker joins and gets an address in segment:{seg}"
        ),
        (None, Lang::Ja) => format!(
            "{name} の認証方式が書かれていない (auth): 弱い方の共有鍵 (psk) と仮定する。電波の届く所から接続し、segment:{seg} のアドレスを得る"
        ),
        (None, Lang::En) => format!(
            "{name} states no auth: a shared key (psk, the weaker) is assumed; from radio range the attacker joins and gets an address in segment:{seg}"
        ),
    }
}

fn remote(topo: &Topology, r: usize, lang: Lang) -> String {
    let line = &topo.remote_access[r];
    let name = format!("remote_access:{} ({})", line.id, line.kind);
    let seg = &line.segment.value;
    let from = line
        .external
        .as_ref()
        .map(|x| format!("external:{}", x.value))
        .unwrap_or_else(|| lang.pick("インターネット", "the internet").to_string());
    let mfa = match (line.mfa, lang) {
        (Some(false), Lang::Ja) => "多要素認証なし (mfa = false)",
        (Some(false), Lang::En) => "has no second factor (mfa = false)",
        (_, Lang::Ja) => "多要素認証が書かれていない (mfa): 無いと仮定する",
        (_, Lang::En) => "states no mfa: none is assumed",
    };
    let source = match (line.source_restricted, line.kind, lang) {
        (Some(true), RemoteKind::VendorMaintenance, Lang::Ja) => {
            "接続元は限定されている (source_restricted = true) ので、許可された接続元 (ベンダーの保守拠点) が乗っ取られたと仮定する".to_string()
        }
        (Some(true), RemoteKind::VendorMaintenance, Lang::En) => {
            "connections come only from permitted sources (source_restricted = true), so the vendor's maintenance site is assumed compromised".to_string()
        }
        (Some(true), RemoteKind::Telework, Lang::Ja) => {
            "接続元は限定されている (source_restricted = true) ので、許可された接続元 (テレワーク端末) が乗っ取られたと仮定する".to_string()
        }
        (Some(true), RemoteKind::Telework, Lang::En) => {
            "connections come only from permitted sources (source_restricted = true), so a teleworker's machine is assumed compromised".to_string()
        }
        (Some(false), _, Lang::Ja) => format!(
            "接続元は限定されていない (source_restricted = false): {from} のどこからでも接続できる"
        ),
        (Some(false), _, Lang::En) => format!(
            "connections are not restricted by source (source_restricted = false): anywhere in {from} will do"
        ),
        (None, _, Lang::Ja) => format!(
            "接続元の限定が書かれていない (source_restricted): 限定なし、{from} のどこからでもと仮定する"
        ),
        (None, _, Lang::En) => format!(
            "states no source restriction: connections from anywhere in {from} are assumed"
        ),
    };
    match lang {
        Lang::Ja => format!(
            "{name} は{mfa}。奪った・推測したパスワードで接続し、セッションは segment:{seg} に着く。{source}"
        ),
        Lang::En => format!(
            "{name} {mfa}: a stolen or guessed password connects, and the session lands in segment:{seg}; {source}"
        ),
    }
}
