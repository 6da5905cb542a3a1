//! Output of `sansou attack`: text for people, DOT for a picture; its JSON is
//! `attack_json.rs` (the wire format), which callers know as `attack::json`.

pub use super::attack_json::json;
use super::paths::witness_text;
use crate::analysis::attack::entry;
use crate::analysis::attack::narrow::Kept;
use crate::analysis::attack::why::{account, host, kind_label, why};
use crate::analysis::attack::{
    Attack, Change, HostCause, Options, Step, StoreExposure, fix::Alternative, fix::ListRef,
};
use crate::analysis::reach::Reachability;
use crate::lang::Lang;
use crate::model::policy::{Entry, Policy};
use crate::model::{FirewallId, Topology};
use crate::source::SourceMap;
use std::fmt::Write;

/// The copies of a narrowed rule or default: `host:pc → host:db (tcp/5432); …`.
fn copies_text(keep: &[Kept]) -> String {
    let words = |list: &[crate::model::Selector]| {
        list.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let copies: Vec<String> = keep
        .iter()
        .map(|k| {
            let services = if k.services.is_empty() {
                "any".to_string()
            } else {
                k.services
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            format!("{} → {} ({services})", words(&k.from), words(&k.to))
        })
        .collect();
    copies.join("; ")
}

/// A change in words, and the thing it changes.
pub fn change_text(topo: &Topology, c: &Change, lang: Lang) -> (String, String) {
    let list_name = |f: FirewallId, list: ListRef| match list {
        ListRef::Policy => "policy".to_string(),
        ListRef::Filter(k) => {
            let filter = &topo.firewalls[f].filters[k];
            format!("{} filter on {}", filter.direction, filter.interface.value)
        }
    };
    // The same thing named in Japanese prose: ポリシー ルール 3, port2 の入力フィルタ.
    let list_ja = |f: FirewallId, list: ListRef| match list {
        ListRef::Policy => "ポリシー".to_string(),
        ListRef::Filter(k) => super::names::filter_ja(&topo.firewalls[f].filters[k]),
    };
    // A rule of a list: `firewall:fw policy rule 3`, and ` (fgt.conf:12)` when imported.
    let rule_named = |firewall: FirewallId, list: ListRef, rule: usize| {
        let fw = &topo.firewalls[firewall];
        let origin = match list {
            ListRef::Policy => fw.rules.get(rule),
            ListRef::Filter(k) => fw.filters.get(k).and_then(|f| f.rules.get(rule)),
        }
        .and_then(|r| r.origin.as_deref())
        .map(|o| format!(" ({o})"))
        .unwrap_or_default();
        let subject = format!(
            "firewall:{} {} rule {}",
            fw.id,
            list_name(firewall, list),
            rule + 1
        );
        (subject, origin)
    };
    match *c {
        Change::RemoveRule {
            firewall,
            list,
            rule,
        } => {
            let fw = &topo.firewalls[firewall];
            let (subject, origin) = rule_named(firewall, list, rule);
            let text = match lang {
                Lang::Ja => format!(
                    "firewall:{} {} ルール {}{origin} を削除するか、必要な通信だけに絞る",
                    fw.id,
                    list_ja(firewall, list),
                    rule + 1
                ),
                Lang::En => format!("remove {subject}{origin}, or narrow it to what is needed"),
            };
            (subject, text)
        }
        Change::NarrowRule {
            firewall,
            list,
            rule,
            ref keep,
        } => {
            let fw = &topo.firewalls[firewall];
            let (subject, origin) = rule_named(firewall, list, rule);
            let copies = copies_text(keep);
            let text = match lang {
                Lang::Ja => format!(
                    "firewall:{} {} ルール {}{origin} を業務に必要な通信だけに絞る: {copies}",
                    fw.id,
                    list_ja(firewall, list),
                    rule + 1,
                ),
                Lang::En => {
                    format!("narrow {subject}{origin} to the required traffic it carries: {copies}")
                }
            };
            (subject, text)
        }
        Change::NarrowDefault {
            firewall,
            list,
            ref keep,
        } => {
            let subject = format!(
                "firewall:{} {}",
                topo.firewalls[firewall].id,
                list_name(firewall, list)
            );
            let copies = copies_text(keep);
            let text = match lang {
                Lang::Ja => format!(
                    "firewall:{} {} の既定動作を拒否にし、業務に必要な通信だけを許可する: {copies}",
                    topo.firewalls[firewall].id,
                    list_ja(firewall, list)
                ),
                Lang::En => format!(
                    "make the default of {subject} deny, allowing after its last rule only the required traffic it carried: {copies}"
                ),
            };
            (subject, text)
        }
        Change::DefaultDeny { firewall, list } => {
            let subject = format!(
                "firewall:{} {}",
                topo.firewalls[firewall].id,
                list_name(firewall, list)
            );
            let text = match lang {
                Lang::Ja => format!(
                    "firewall:{} {} の既定動作を拒否にする",
                    topo.firewalls[firewall].id,
                    list_ja(firewall, list)
                ),
                Lang::En => format!("make the default of {subject} deny"),
            };
            (subject, text)
        }
        Change::RemoveAdminOn {
            account: a,
            host: h,
        } => {
            let subject = account(topo, a);
            let text = match lang {
                Lang::Ja => format!(
                    "{subject} から {} の管理者権限を外す (admin_on)",
                    host(topo, h)
                ),
                Lang::En => format!(
                    "take {subject}'s administrator right on {} away (admin_on)",
                    host(topo, h)
                ),
            };
            (subject, text)
        }
        Change::RemoveLogsOn {
            account: a,
            host: h,
        } => {
            let subject = account(topo, a);
            let text = match lang {
                Lang::Ja => format!(
                    "{subject} で {} にログオンしない (logs_on_to)",
                    host(topo, h)
                ),
                Lang::En => format!(
                    "stop logging on to {} as {subject} (logs_on_to)",
                    host(topo, h)
                ),
            };
            (subject, text)
        }
        Change::UniquePassword { account: a } => {
            let subject = account(topo, a);
            let text = match lang {
                Lang::Ja => format!(
                    "{subject} のパスワードをホストごとに変える (LAPS 等; unique_per_host = true)"
                ),
                Lang::En => format!(
                    "give {subject} a different password on every host (LAPS; unique_per_host = true)"
                ),
            };
            (subject, text)
        }
        Change::Patch { host: h } => {
            let subject = host(topo, h);
            let text = match lang {
                Lang::Ja => format!("{subject} の脆弱なサービスを修正するか閉じる (vulnerable)"),
                Lang::En => {
                    format!("patch or close the vulnerable services of {subject} (vulnerable)")
                }
            };
            (subject, text)
        }
        Change::CloseBypass { gateway } => {
            let subject = format!("gateway:{}", topo.gateways[gateway].id);
            let text = match lang {
                Lang::Ja => format!(
                    "{subject} の無害化を迂回する経路を閉じる (bypass / file_transfer / drive_redirection)"
                ),
                Lang::En => format!(
                    "close the unsanitized path through {subject} (bypass / file_transfer / drive_redirection)"
                ),
            };
            (subject, text)
        }
        Change::RestrictReaders { store } => {
            let subject = format!("store:{}", topo.stores[store].id);
            let text = match lang {
                Lang::Ja => format!(
                    "{subject} の readers = everyone をやめ、必要なアカウント・グループに限る"
                ),
                Lang::En => format!(
                    "replace readers = everyone on {subject} by the accounts and groups that need it"
                ),
            };
            (subject, text)
        }
        Change::RequireMfa { line } => {
            let subject = format!("remote_access:{}", topo.remote_access[line].id);
            let text = match lang {
                Lang::Ja => format!("{subject} に多要素認証を必須にする (mfa = true)"),
                Lang::En => format!("require a second factor on {subject} (mfa = true)"),
            };
            (subject, text)
        }
        Change::RequireWifiAuth { wifi } => {
            let subject = format!("wifi:{}", topo.wifis[wifi].id);
            let text = match lang {
                Lang::Ja => format!(
                    "{subject} を利用者ごとの認証 (802.1X、証明書など) にする (auth = \"enterprise\")"
                ),
                Lang::En => format!(
                    "make {subject} authenticate each user or device (802.1X; auth = \"enterprise\")"
                ),
            };
            (subject, text)
        }
        Change::SeparateWifi { wifi } => {
            let w = &topo.wifis[wifi];
            let subject = format!("wifi:{}", w.id);
            let seg = &w.segment.value;
            let text = match lang {
                Lang::Ja => format!(
                    "{subject} の接続先を segment:{seg} から分け、専用のセグメント (SSID と VLAN を分離し、必要な通信だけ許可) に収容する"
                ),
                Lang::En => format!(
                    "move {subject} off segment:{seg} to a segment of its own (a separate SSID and VLAN allowed only what its clients need)"
                ),
            };
            (subject, text)
        }
        Change::RemoveInternetUse { host: h } => {
            let subject = host(topo, h);
            let text = match lang {
                Lang::Ja => format!(
                    "{subject} でインターネットのメール・Web を開かない (internet_use を外し、インターネット接続系の別環境へ分離)"
                ),
                Lang::En => format!(
                    "stop opening internet mail and web on {subject} (drop internet_use; move it to a separate internet-tier environment)"
                ),
            };
            (subject, text)
        }
    }
}

pub(super) fn data_names(topo: &Topology, e: &StoreExposure) -> Vec<String> {
    topo.stores[e.store]
        .data
        .iter()
        .map(|d| d.to_string())
        .collect()
}

/// The Wi-Fi and remote-access lines the attacker joined (`wifi:ID`, `remote_access:ID`), in
/// way order: where it started besides the internet.
pub fn joined_ways(topo: &Topology, attack: &Attack) -> Vec<String> {
    attack
        .spread
        .hosts
        .iter()
        .flatten()
        .filter_map(|t| match t.cause {
            HostCause::Joined { way } => Some(way),
            _ => None,
        })
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .map(|w| entry::name(topo, w))
        .collect()
}

/// Japanese pieces joined as the other texts write them: a space between Japanese and an
/// ASCII id (`インターネットと wifi:guest から`), none next to `、`.
fn ja_concat(pieces: &[&str]) -> String {
    let mut out = String::new();
    for p in pieces {
        let ascii_edge = out.chars().last().is_some_and(|c| c.is_ascii_graphic())
            || p.chars().next().is_some_and(|c| c.is_ascii_graphic());
        if !out.is_empty() && ascii_edge && !p.starts_with('、') && !out.ends_with('、') {
            out.push(' ');
        }
        out.push_str(p);
    }
    out
}

/// The text report.
pub fn text(
    reach: &Reachability<'_>,
    sources: &SourceMap,
    attack: &Attack,
    policy: &Policy,
    opts: &Options,
    lang: Lang,
) -> String {
    let topo = reach.topo;
    let mut out = String::new();
    let readable = attack.stores.iter().filter(|e| e.readable()).count();
    let exfil = attack.stores.iter().filter(|e| e.exfiltrable()).count();
    let rogues: Vec<String> = topo
        .hosts
        .iter()
        .filter(|h| {
            h.id.starts_with(crate::analysis::attack::rogue::ROGUE_PREFIX)
        })
        .map(|h| format!("host:{}", h.id))
        .collect();
    let start = if opts.assume_compromised.is_empty() {
        // Where the attacker starts: the internet when an internet entry kind is on, the ways
        // it joined, the rogue devices; in that order, as one phrase.
        let internet = policy
            .attacker
            .entry
            .iter()
            .any(|e| matches!(e, Entry::InternetUse | Entry::ExposedServices));
        let mut parts: Vec<String> = Vec::new();
        if internet {
            parts.push(lang.pick("インターネット", "the internet").to_string());
        }
        parts.extend(joined_ways(topo, attack));
        if !rogues.is_empty() {
            parts.push(match lang {
                Lang::Ja => format!("未登録の機器 ({})", rogues.join(", ")),
                Lang::En => format!("rogue devices ({})", rogues.join(", ")),
            });
        }
        match (parts.split_last(), lang) {
            (None, _) => lang
                .pick("入口なし (entry が空)", "nowhere (no entry kind)")
                .to_string(),
            (Some((last, rest)), Lang::Ja) => {
                let mut pieces: Vec<&str> = Vec::new();
                for (k, p) in rest.iter().enumerate() {
                    if k > 0 {
                        pieces.push("、");
                    }
                    pieces.push(p);
                }
                if !rest.is_empty() {
                    pieces.push("と");
                }
                pieces.extend([last.as_str(), "から"]);
                ja_concat(&pieces)
            }
            (Some((last, [])), Lang::En) => format!("from {last}"),
            (Some((last, rest)), Lang::En) => format!("from {} and {last}", rest.join(", ")),
        }
    } else {
        let names: Vec<String> = opts
            .assume_compromised
            .iter()
            .map(|&h| host(topo, h))
            .collect();
        match lang {
            Lang::Ja => format!("{} を乗っ取ったと仮定して", names.join(", ")),
            Lang::En => format!("assuming {} compromised", names.join(", ")),
        }
    };
    let taken = attack.compromised().count();
    let _ = match lang {
        Lang::Ja => writeln!(
            out,
            "攻撃経路 ({start}): 乗っ取られ得るホスト {taken} 件。個人情報の保存先 {} 件のうち {readable} 件が読まれ、{exfil} 件が外部へ持ち出され得る。",
            attack.stores.len()
        ),
        Lang::En => writeln!(
            out,
            "Attack paths ({start}): {taken} host(s) can be taken. Of {} store(s) with personal data, {readable} can be read and {exfil} can leave for the internet.",
            attack.stores.len()
        ),
    };
    let _ = writeln!(
        out,
        "{}",
        lang.pick(
            "(経路はルーティング表を使わない保守的な近似: ファイアウォールが許す経路はすべて通り得るものとする)",
            "(a conservative over-approximation without routing tables: any path the firewalls allow may be taken)"
        )
    );
    if attack.fixes_skipped > 0 {
        let _ = match lang {
            Lang::Ja => writeln!(
                out,
                "(読まれ得る保存先のうち {} 件は修正案を探していない: 再解析の上限 --fix-budget {} に達した)",
                attack.fixes_skipped, opts.fix_budget
            ),
            Lang::En => writeln!(
                out,
                "({} readable store(s) got no fix search: the budget of --fix-budget {} re-analyses was used up)",
                attack.fixes_skipped, opts.fix_budget
            ),
        };
    }
    for e in &attack.stores {
        let s = &topo.stores[e.store];
        let verdict = match (e.readable(), e.exfiltrable(), lang) {
            (false, _, Lang::Ja) => "読めない",
            (false, _, Lang::En) => "not readable",
            (true, false, Lang::Ja) => "読める (持ち出しは不可)",
            (true, false, Lang::En) => "READABLE (cannot leave)",
            (true, true, Lang::Ja) => "読める・持ち出せる",
            (true, true, Lang::En) => "READABLE and EXFILTRABLE",
        };
        let _ = writeln!(
            out,
            "\n■ store:{} [{}] on host:{} — {verdict}",
            s.id,
            data_names(topo, e).join(", "),
            s.host.value
        );
        for (i, step) in e.steps.iter().enumerate() {
            let _ = writeln!(
                out,
                "  {}. [{}] {} — {}",
                i + 1,
                kind_label(step.kind(), lang),
                host(topo, step.host()),
                why(topo, attack, step, lang)
            );
            if let Some(w) = step.witness() {
                let mut block = String::new();
                witness_text(reach, sources, w, lang, &mut block);
                for line in block.lines() {
                    let _ = writeln!(out, "     {line}");
                }
            }
        }
        if let Some(fix) = &e.fix {
            let head = match (fix.minimum, fix.verified, lang) {
                (true, _, Lang::Ja) => format!(
                    "最小の修正 (最小であることを確認済み、再解析 {} 回):",
                    fix.reanalyses
                ),
                (true, _, Lang::En) => format!(
                    "Smallest fix (proven minimum; {} re-analyses):",
                    fix.reanalyses
                ),
                (false, true, Lang::Ja) => format!(
                    "修正案 (再解析で効果を確認済み、最小とは限らない; 再解析 {} 回):",
                    fix.reanalyses
                ),
                (false, true, Lang::En) => format!(
                    "A fix (verified by re-analysis, not proven minimum; {} re-analyses):",
                    fix.reanalyses
                ),
                (false, false, Lang::Ja) => {
                    "修正案を見つけられなかった (探索の上限に達した)".to_string()
                }
                (false, false, Lang::En) => "No fix found within the search bounds".to_string(),
            };
            let _ = writeln!(out, "  {head}");
            for c in &fix.changes {
                let _ = writeln!(out, "   - {}", change_text(topo, c, lang).1);
            }
            if !fix.breaks.is_empty() {
                let _ = writeln!(out, "   ! {} {}", breaks_note(lang), fix.breaks.join(", "));
            }
            for a in &fix.alternatives {
                let _ = writeln!(out, "   {}", alternative_text(topo, a, lang));
            }
        }
    }
    out
}

/// Another candidate of a fix that breaks required traffic, with what it breaks.
pub fn alternative_text(topo: &Topology, a: &Alternative, lang: Lang) -> String {
    let changes: Vec<String> = a
        .changes
        .iter()
        .map(|c| change_text(topo, c, lang).1)
        .collect();
    match lang {
        Lang::Ja => format!(
            "別案: {} (止めるもの: {})",
            changes.join("; "),
            a.breaks.join(", ")
        ),
        Lang::En => format!(
            "or: {} (breaks {})",
            changes.join("; "),
            a.breaks.join(", ")
        ),
    }
}

/// Said of a fix that breaks required traffic (no business-safe fix was found).
pub fn breaks_note(lang: Lang) -> &'static str {
    lang.pick(
        "業務に必要な通信を止めない修正は見つからなかった。この修正が止めるもの:",
        "No fix keeps the required traffic; this one breaks:",
    )
}

/// A Graphviz picture of the attack paths: hosts taken, stores read, the internet.
pub fn dot(topo: &Topology, attack: &Attack) -> String {
    use super::dot::escape;
    let mut out = String::from(
        "digraph attack {\n  rankdir=LR;\n  node [fontname=\"Noto Sans CJK JP\"];\n  internet [label=\"internet\", shape=cloud, color=red];\n",
    );
    let mut nodes = std::collections::BTreeSet::new();
    let mut edges = std::collections::BTreeSet::new();
    for e in attack.stores.iter().filter(|e| e.readable()) {
        let store_node = format!("store:{}", topo.stores[e.store].id);
        nodes.insert((store_node.clone(), "cylinder"));
        for step in &e.steps {
            let h = host(topo, step.host());
            nodes.insert((h.clone(), "box"));
            let label = match step.account() {
                Some(a) => format!("{} ({})", step.kind().word(), topo.accounts[a].id),
                None => step.kind().word().to_string(),
            };
            let (from, to) = match *step {
                Step::Joined { way, .. } => {
                    let way = entry::name(topo, way);
                    nodes.insert((way.clone(), "hexagon"));
                    (way, h)
                }
                Step::InternetUse { .. }
                | Step::Exposed { .. }
                | Step::Channel { from: None, .. } => ("internet".to_string(), h),
                Step::Read { .. } => (h, store_node.clone()),
                Step::Exfiltrate { .. } => (h, "internet".to_string()),
                Step::Harvest { .. } | Step::Assumed { .. } => continue,
                Step::Channel { from: Some(f), .. }
                | Step::Lateral { from: f, .. }
                | Step::Exploit { from: f, .. }
                | Step::Relay { from: f, .. } => (host(topo, f), h),
            };
            if from != "internet" && !nodes.iter().any(|(n, _)| *n == from) {
                nodes.insert((from.clone(), "box"));
            }
            edges.insert((from, to, label));
        }
    }
    for (n, shape) in &nodes {
        let _ = writeln!(out, "  \"{}\" [shape={shape}];", escape(n));
    }
    for (from, to, label) in &edges {
        let q = |s: &str| {
            if s == "internet" {
                s.to_string()
            } else {
                format!("\"{}\"", escape(s))
            }
        };
        let _ = writeln!(
            out,
            "  {} -> {} [label=\"{}\", color=red];",
            q(from),
            q(to),
            escape(label)
        );
    }
    out.push_str("}\n");
    out
}
