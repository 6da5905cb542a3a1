//! The sections of the working paper other than findings and attack paths: heading, scope,
//! inputs, criteria, summary, diagram, zone matrix, per-rule results, exceptions, rule-list
//! warnings, sign-off.

use super::escape::text as esc;
use super::{Report, badge, thead};
use crate::analysis::matrix::Area;
use crate::lang::Lang;
use crate::report::{diagram, names, svg};
use crate::rules::Verdict;
use std::fmt::Write;

pub(super) fn open(out: &mut String, id: &str, n: usize, title: &str) {
    let _ = writeln!(out, "<section id=\"{id}\">\n<h2>{n}. {title}</h2>");
}

pub(super) fn close(out: &mut String) {
    out.push_str("</section>\n");
}

/// A two-column row of a definition table.
fn row(out: &mut String, label: &str, value_html: &str) {
    let _ = writeln!(out, "<tr><th>{label}</th><td>{value_html}</td></tr>");
}

/// The paper's heading block: what it is, of what, when, by which tool.
pub fn head(out: &mut String, r: &Report<'_, '_>, name: &str) {
    let lang = r.lang;
    out.push_str("<header class=\"paper-head\" id=\"paper-head\">\n");
    let _ = writeln!(
        out,
        "<div class=\"doc-kind\">{}</div>",
        lang.pick(
            "監査調書 — 三層分離 (ネットワーク分離) の検証",
            "Audit working paper — three-tier network separation"
        )
    );
    let _ = writeln!(out, "<h1>{}</h1>", esc(name));
    out.push_str("<table>\n");
    row(
        out,
        lang.pick("調書番号", "Reference no."),
        "<span class=\"blank\"></span>",
    );
    row(
        out,
        lang.pick("作成日 (基準日)", "Date (reference date)"),
        &esc(&r.result.today),
    );
    row(
        out,
        lang.pick("作成ツール", "Prepared with"),
        &format!("sansou {}", env!("CARGO_PKG_VERSION")),
    );
    row(
        out,
        lang.pick("対象", "Subject"),
        &format!("<code>{}</code>", esc(r.topology_path)),
    );
    out.push_str("</table>\n</header>\n");
}

pub fn scope(out: &mut String, r: &Report<'_, '_>, n: usize) {
    let lang = r.lang;
    let topo = r.reach.topo;
    open(out, "scope", n, lang.pick("監査の範囲", "Scope"));
    out.push_str("<table>\n");
    row(
        out,
        lang.pick("対象ネットワーク", "Network"),
        &esc(topo.meta.name.as_deref().unwrap_or("-")),
    );
    if let Some(d) = &topo.meta.description {
        row(out, lang.pick("説明", "Description"), &esc(d));
    }
    let rules: usize = topo.firewalls.iter().map(|f| f.rules.len()).sum();
    let counts = match lang {
        Lang::Ja => format!(
            "ゾーン {} / 外部ネットワーク {} / セグメント {} / ホスト {} 件 (計 {} 台) / データ保管場所 {} / ファイアウォール {} (ルール {}) / ゲートウェイ {} / アカウント {} / データフロー {}",
            topo.zones.len(),
            topo.externals.len(),
            topo.segments.len(),
            topo.hosts.len(),
            topo.host_count(),
            topo.stores.len(),
            topo.firewalls.len(),
            rules,
            topo.gateways.len(),
            topo.accounts.len(),
            topo.flows.len()
        ),
        Lang::En => format!(
            "{} zones / {} external networks / {} segments / {} host entries ({} units) / {} data stores / {} firewalls ({} rules) / {} gateways / {} accounts / {} data flows",
            topo.zones.len(),
            topo.externals.len(),
            topo.segments.len(),
            topo.hosts.len(),
            topo.host_count(),
            topo.stores.len(),
            topo.firewalls.len(),
            rules,
            topo.gateways.len(),
            topo.accounts.len(),
            topo.flows.len()
        ),
    };
    row(out, lang.pick("構成要素", "Elements"), &counts);
    row(
        out,
        lang.pick("手法", "Method"),
        lang.pick(
            "入力された設計 (ゾーン・セグメント・ファイアウォールの順序付きルール・ゲートウェイ・アカウント・データフロー) から、全アドレス・全プロトコル・全ポートにわたる到達性を厳密に計算し (標本抽出ではない)、規則ごとに合格・不合格・判定不能を判定した。各経路の指摘には具体的なパケット例と、各ホップで許可したルール (ファイル:行) を示す。",
            "Reachability was computed exactly over every address, protocol and port (not sampled) from the design as given (zones, segments, ordered firewall rules, gateways, accounts, data flows); each rule was judged pass, fail or unknown. Every path finding shows a concrete packet and the rule (file:line) that allowed each hop.",
        ),
    );
    row(
        out,
        lang.pick("前提と限界", "Assumptions and limits"),
        lang.pick(
            "ルーティング表は入力に含まれないため、パケットはファイアウォールが許可する任意の経路を通り得るものとして評価した (安全側の過大近似)。ただし各ファイアウォールの直結経路は考慮する。ホストとゲートウェイはパケットを転送しない。入力に記載のない機器・経路・運用 (紙・口頭など) は対象外であり、宣言された [[flow]] の範囲でのみ評価した。判定不能は合格とみなさない。",
            "Without routing tables a packet may take any path the firewalls allow (a conservative over-approximation); each firewall's connected routes are kept. Hosts and gateways never forward packets. Devices, paths and practices absent from the inputs are out of scope; non-network flows are judged only as declared in [[flow]]. Unknown is never counted as pass.",
        ),
    );
    out.push_str("</table>\n");
    close(out);
}

pub fn inputs(out: &mut String, r: &Report<'_, '_>, n: usize) {
    let lang = r.lang;
    open(out, "inputs", n, lang.pick("入力ファイル", "Inputs"));
    let head = thead(&[
        lang.pick("ファイル", "File"),
        lang.pick("種別", "Role"),
        lang.pick("バイト数", "Bytes"),
        "SHA-256",
    ]);
    let _ = writeln!(out, "<table id=\"input-files\">\n{head}\n<tbody>");
    for (_, f) in r.sources.files() {
        let role = if r.policy_path == Some(f.name.as_str()) {
            lang.pick("ポリシー", "policy")
        } else {
            lang.pick("トポロジ", "topology")
        };
        let _ = writeln!(
            out,
            "<tr data-path=\"{}\"><td><code>{}</code></td><td>{role}</td><td>{}</td><td><code class=\"sha256\">{}</code></td></tr>",
            esc(&f.name),
            esc(&f.name),
            f.text.len(),
            f.sha256()
        );
    }
    out.push_str("</tbody></table>\n");
    let _ = writeln!(
        out,
        "<p class=\"note\">{}</p>",
        lang.pick(
            "ハッシュは読み込んだ内容 (UTF-8) に対するもので、sha256sum コマンドなどで照合できる。",
            "Hashes are of the content as read (UTF-8); check them with `sha256sum`."
        )
    );
    close(out);
}

pub fn criteria(out: &mut String, r: &Report<'_, '_>, n: usize) {
    let lang = r.lang;
    let topo = r.reach.topo;
    let res = r.result;
    open(out, "criteria", n, lang.pick("評価基準", "Criteria"));
    out.push_str("<table>\n");
    let undeclared = lang.pick("宣言なし", "not declared");
    row(
        out,
        lang.pick("宣言されたモデル", "Declared model"),
        &topo
            .meta
            .model
            .as_ref()
            .map_or(undeclared.to_string(), |m| m.value.to_string()),
    );
    let source = match res.model_source {
        "policy" => lang.pick("ポリシーの指定による", "set by the policy"),
        "topology" => lang.pick("トポロジの宣言による", "declared by the topology"),
        _ => lang.pick("宣言がないため既定 (α)", "none declared: default (alpha)"),
    };
    row(
        out,
        lang.pick("適用したモデル", "Model applied"),
        &format!("{} ({source})", res.model),
    );
    let edition = res.edition;
    let claimed = match topo.meta.guideline {
        Some(_) => lang.pick("トポロジの宣言による", "declared by the topology"),
        None => lang.pick(
            "宣言がないため sansou が知る最新版",
            "none declared: the newest edition sansou knows",
        ),
    };
    let _ = undeclared;
    row(
        out,
        lang.pick("ガイドラインの版", "Guideline edition"),
        &format!(
            "<span id=\"guideline-edition\" data-edition=\"{}\">{}</span> ({claimed})",
            edition.code,
            match lang {
                Lang::Ja => crate::model::edition::citation_ja(edition),
                Lang::En => format!(
                    "MIC guideline on information security policies of local governments, edition {}",
                    edition.code
                ),
            }
        ),
    );
    let policy = match (r.policy, r.policy_path) {
        (Some(p), path) => format!(
            "{}{}",
            esc(p.name.as_deref().unwrap_or("-")),
            path.map(|p| format!(" (<code>{}</code>)", esc(p)))
                .unwrap_or_default()
        ),
        (None, _) => lang
            .pick(
                "指定なし: モデルの組み込みプロファイルを適用",
                "none given: the model's built-in profile applies",
            )
            .to_string(),
    };
    row(out, lang.pick("ポリシー", "Policy"), &policy);
    row(
        out,
        lang.pick("規則セット (プロファイル)", "Rule set (profile)"),
        &esc(&res.profile),
    );
    if let Some(p) = r.policy {
        let details = match lang {
            Lang::Ja => format!(
                "レベル上書き {} / ゾーン間マトリクス定義 {} / 独自アサーション {} / 例外 {}",
                p.levels.len(),
                p.matrix.len(),
                p.asserts.len(),
                p.exceptions.len()
            ),
            Lang::En => format!(
                "{} level overrides / {} matrix entries / {} assertions / {} exceptions",
                p.levels.len(),
                p.matrix.len(),
                p.asserts.len(),
                p.exceptions.len()
            ),
        };
        row(
            out,
            lang.pick("ポリシーの内容", "Policy contents"),
            &details,
        );
    }
    row(
        out,
        lang.pick("判定の基準", "Decision rule"),
        lang.pick(
            "不適合レベルの指摘が (受容されずに) 1 件でも残れば不適合。警告レベルの指摘は要確認、判定不能は入力に規則が必要とする情報がないことを示す。解釈と記した規則はガイドラインの文言ではなく、その要求や事案の教訓から導いた検査である (理由を規則ごとに示す)。",
            "Any standing (not accepted) finding at deny level means non-conformity. warn needs review; unknown means the inputs lack what a rule needs. Rules marked interpretation follow from the guideline's requirements or from lessons, not from its words (each gives its reasoning).",
        ),
    );
    out.push_str("</table>\n");
    close(out);
}

pub fn summary(out: &mut String, r: &Report<'_, '_>, n: usize) {
    let lang = r.lang;
    let res = r.result;
    let s = res.summary();
    open(out, "summary", n, lang.pick("結果の要約", "Summary"));
    let count = |v: Verdict, accepted: bool| {
        res.results
            .iter()
            .filter(|x| x.verdict == v && (x.accepted > 0) == accepted)
            .count()
    };
    let (pass, accepted) = (count(Verdict::Pass, false), count(Verdict::Pass, true));
    let fail = res
        .results
        .iter()
        .filter(|x| x.verdict == Verdict::Fail)
        .count();
    let unknown = res
        .results
        .iter()
        .filter(|x| x.verdict == Verdict::Unknown)
        .count();
    let (class, text) = if res.fails() {
        (
            "fail",
            lang.pick(
                "不適合 (不適合レベルの指摘あり)",
                "NOT CONFORMING (deny-level findings stand)",
            ),
        )
    } else {
        (
            "pass",
            lang.pick(
                "適合 (不適合レベルの指摘なし)",
                "CONFORMING (no deny-level finding stands)",
            ),
        )
    };
    let _ = writeln!(
        out,
        "<p class=\"overall {class}\" id=\"overall\" data-result=\"{class}\">{text}</p>"
    );
    let _ = writeln!(
        out,
        "<table class=\"counts\" id=\"summary-counts\" data-deny=\"{}\" data-warn=\"{}\" data-accepted=\"{}\" data-unknown=\"{}\">",
        s.deny, s.warn, s.accepted, s.unknown
    );
    let _ = writeln!(
        out,
        "<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>",
        lang.pick("指摘", "Findings"),
        lang.pick("不適合", "deny"),
        lang.pick("警告", "warn"),
        lang.pick("受容済み", "accepted"),
        lang.pick("判定不能", "unknown")
    );
    let _ = writeln!(
        out,
        "<tbody><tr><th>{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr></tbody></table>",
        lang.pick("件数", "count"),
        s.deny,
        s.warn,
        s.accepted,
        s.unknown
    );
    let head = thead(&[
        lang.pick("評価した規則", "Rules evaluated"),
        &badge("pass", lang),
        &badge("fail", lang),
        &badge("unknown", lang),
        &badge("accepted", lang),
        lang.pick("計", "total"),
    ]);
    let _ = writeln!(out, "<table class=\"counts\" id=\"rule-counts\">{head}");
    let _ = writeln!(
        out,
        "<tbody><tr><th>{}</th><td>{pass}</td><td>{fail}</td><td>{unknown}</td><td>{accepted}</td><td>{}</td></tr></tbody></table>",
        lang.pick("規則数", "rules"),
        res.results.len()
    );
    close(out);
}

pub fn diagram(out: &mut String, r: &Report<'_, '_>, marks: &svg::Marks, n: usize) {
    let lang = r.lang;
    let topo = r.reach.topo;
    open(
        out,
        "diagram-section",
        n,
        lang.pick("ネットワーク構成図", "Network diagram"),
    );
    let d = diagram::build(topo);
    if svg::is_large(&d) {
        zone_diagrams(out, r, &d, marks);
        close(out);
        return;
    }
    // Cut into A4 pages where no box is crossed.
    out.push_str("<figure class=\"paged\">\n");
    for page in svg::render_pages(topo, &d, marks, lang, "diagram") {
        out.push_str(&page);
    }
    let _ = writeln!(
        out,
        "<figcaption>{}</figcaption>",
        if marks.is_empty() {
            lang.pick(
                "上からインターネット側、LGWAN接続系、マイナンバー利用事務系の順。ファイアウォール・ゲートウェイ・外部ネットワークはその接続先の間に置く。不適合レベルの経路の指摘はない。",
                "Top to bottom: internet side, LGWAN tier, My Number tier; firewalls, gateways and external networks sit between what they join. No deny-level finding has a packet path.",
            )
        } else {
            lang.pick(
                "上からインターネット側、LGWAN接続系、マイナンバー利用事務系の順。赤線は不適合レベルの指摘 (受容されていないもの) の経路上にある接続で、#番号は「指摘事項と証跡」の番号。",
                "Top to bottom: internet side, LGWAN tier, My Number tier. Red lines are attachments on the path of a standing deny-level finding; #numbers are those of the findings section.",
            )
        }
    );
    out.push_str("</figure>\n");
    close(out);
}

/// A large design zone by zone: one figure per zone, so each reads on a page.
fn zone_diagrams(out: &mut String, r: &Report<'_, '_>, d: &diagram::Diagram, marks: &svg::Marks) {
    let lang = r.lang;
    let topo = r.reach.topo;
    let _ = writeln!(
        out,
        "<p class=\"note\" id=\"diagram-by-zone\">{}</p>",
        match lang {
            Lang::Ja => format!(
                "セグメントが {} を超えるため、ゾーンごとに描く。各図はそのゾーンのセグメントと、そこに接続するファイアウォール・ゲートウェイ・外部ネットワークを示す。他ゾーンへの接続はそのゾーンの図にある。赤線と #番号は不適合レベルの指摘 (受容されていないもの) の経路。",
                svg::LARGE
            ),
            Lang::En => format!(
                "More than {} segments: drawn zone by zone. Each figure shows the zone's segments and the firewalls, gateways and external networks attached to them; attachments to other zones are in those zones' figures. Red lines and #numbers are the paths of standing deny-level findings.",
                svg::LARGE
            ),
        }
    );
    // The overview: a box per zone, what attaches to it.
    let (view, view_marks) = svg::overview(d, marks);
    out.push_str("<figure class=\"overview paged\">\n");
    for page in svg::render_pages(topo, &view, &view_marks, lang, "diagram-overview") {
        out.push_str(&page);
    }
    let _ = writeln!(
        out,
        "<figcaption>{}</figcaption>",
        lang.pick(
            "全体図: ゾーンごとに 1 つの箱 (セグメント数・ホスト数・データストア)。",
            "Overview: one box per zone (segments, hosts, data stores).",
        )
    );
    out.push_str("</figure>\n");
    for (i, c) in d.clusters.iter().enumerate() {
        let Some(view) = svg::zone_view(d, &c.key) else {
            continue;
        };
        out.push_str("<figure class=\"zone-diagram paged\">\n");
        let id = format!("diagram-zone-{}", i + 1);
        for page in svg::render_pages(topo, &view, marks, lang, &id) {
            out.push_str(&page);
        }
        let _ = writeln!(out, "<figcaption>{}</figcaption>", esc(&c.label));
        out.push_str("</figure>\n");
    }
}

pub fn matrix(out: &mut String, r: &Report<'_, '_>, n: usize) {
    let lang = r.lang;
    let topo = r.reach.topo;
    let m = r.matrix;
    open(
        out,
        "matrix-section",
        n,
        lang.pick("ゾーン間マトリクス", "Zone-to-zone matrix"),
    );
    let _ = writeln!(
        out,
        "<p class=\"note\">{}</p>",
        lang.pick(
            "行が送信元、列が宛先。セルは通過するサービスとチャネル (無害化・メールテキスト化・画面転送)。「·」は何も通過しない。",
            "Rows are sources, columns destinations. A cell lists the services and channels (sanitizers, screen transfer) that cross; “·” means nothing crosses."
        )
    );
    out.push_str("<table class=\"matrix\" id=\"zone-matrix\">\n<thead><tr>");
    let _ = write!(
        out,
        "<th class=\"corner\">{}</th>",
        lang.pick("送信元 \\ 宛先", "from \\ to")
    );
    for a in &m.areas {
        let _ = write!(
            out,
            "<th data-area=\"{}\" title=\"{}\">{}</th>",
            esc(&names::area_id(topo, *a)),
            esc(&area_label(topo, *a, lang)),
            esc(&names::area_id(topo, *a))
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for from in &m.areas {
        let _ = write!(
            out,
            "<tr><th data-area=\"{}\">{}</th>",
            esc(&names::area_id(topo, *from)),
            esc(&area_label(topo, *from, lang))
        );
        for to in &m.areas {
            let attrs = format!(
                "data-from=\"{}\" data-to=\"{}\"",
                esc(&names::area_id(topo, *from)),
                esc(&names::area_id(topo, *to))
            );
            match m.cell(*from, *to) {
                None => {
                    let _ = write!(out, "<td class=\"empty\" {attrs}>·</td>");
                }
                Some(cell) => {
                    let class = if cell.channels.iter().any(|c| c.bypass) {
                        "bypass"
                    } else if from == to {
                        "self"
                    } else {
                        "crossing"
                    };
                    let names = cell.services.names();
                    let mut parts: Vec<String> = names.iter().take(4).map(|s| esc(s)).collect();
                    if names.len() > 4 {
                        parts.push(match lang {
                            Lang::Ja => format!("他 {} 件", names.len() - 4),
                            Lang::En => format!("+{} more", names.len() - 4),
                        });
                    }
                    for ch in &cell.channels {
                        parts.push(format!(
                            "<em>{}</em>{}",
                            ch.kind,
                            if ch.bypass { " !" } else { "" }
                        ));
                    }
                    let _ = write!(
                        out,
                        "<td class=\"{class}\" {attrs} data-services=\"{}\">{}</td>",
                        esc(&names.join(",")),
                        parts.join("<br>")
                    );
                }
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>\n");
    // Every cell between different areas in full: the grid abbreviates long service lists.
    let _ = writeln!(
        out,
        "<h3>{}</h3>\n<table id=\"matrix-details\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        lang.pick(
            "ゾーン間の通過内容 (全件)",
            "What crosses between areas (all)"
        ),
        lang.pick("送信元", "From"),
        lang.pick("宛先", "To"),
        lang.pick("サービス", "Services"),
        lang.pick("チャネル", "Channels")
    );
    let mut any = false;
    for c in m.cells.iter().filter(|c| c.from != c.to) {
        any = true;
        let channels: Vec<String> = c
            .channels
            .iter()
            .map(|ch| {
                let g = &topo.gateways[ch.gateway];
                format!(
                    "{} ({}){}",
                    ch.kind,
                    esc(g.name.as_deref().unwrap_or(&g.id)),
                    if ch.bypass {
                        lang.pick(
                            " — バイパスあり: 無害化されない経路",
                            " — bypass: content can cross unsanitized",
                        )
                    } else {
                        ""
                    }
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td></tr>",
            esc(&area_text(topo, c.from, lang)),
            esc(&area_text(topo, c.to, lang)),
            if c.services.is_empty() {
                "—".to_string()
            } else {
                esc(&c.services.to_string())
            },
            channels.join("<br>")
        );
    }
    if !any {
        let _ = writeln!(
            out,
            "<tr><td colspan=\"4\">{}</td></tr>",
            lang.pick(
                "異なるエリア間を通過するものはない",
                "nothing crosses between areas"
            )
        );
    }
    out.push_str("</tbody></table>\n");
    close(out);
}

/// An area's label in the reader's language: external networks are 外部網 in Japanese.
fn area_label(topo: &crate::model::Topology, a: Area, lang: Lang) -> String {
    match (a, lang) {
        (Area::External(x), Lang::Ja) => {
            let e = &topo.externals[x];
            format!("{} [外部網 {}]", e.name.as_deref().unwrap_or(&e.id), e.kind)
        }
        _ => names::area_label(topo, a),
    }
}

fn area_text(topo: &crate::model::Topology, a: Area, lang: Lang) -> String {
    format!(
        "{} — {}",
        names::area_id(topo, a),
        area_label(topo, a, lang)
    )
}

/// [`rule_verdict`] of a rule's result.
pub(super) fn rule_verdict_of(x: &crate::rules::engine::RuleResult) -> &'static str {
    rule_verdict(x.verdict, x.accepted)
}

/// The verdict of a rule as the report shows it: `accepted` when it passes only because of
/// accepted exceptions.
fn rule_verdict(v: Verdict, accepted: usize) -> &'static str {
    match v {
        Verdict::Pass if accepted > 0 => "accepted",
        v => v.as_str(),
    }
}

pub fn rules(out: &mut String, r: &Report<'_, '_>, n: usize) {
    let lang = r.lang;
    open(
        out,
        "rules-section",
        n,
        lang.pick("規則ごとの評価結果", "Result per rule"),
    );
    let head = thead(&[
        lang.pick("コード", "Code"),
        lang.pick("規則", "Rule"),
        lang.pick("レベル", "Level"),
        lang.pick("判定", "Verdict"),
        lang.pick("ガイドライン参照", "Guideline reference"),
        lang.pick("対象", "Checked"),
        lang.pick("不合格 / 判定不能 / 受容", "Failed / unknown / accepted"),
    ]);
    let _ = writeln!(out, "<table id=\"rule-results\">{head}<tbody>");
    for x in &r.result.results {
        let verdict = rule_verdict(x.verdict, x.accepted);
        let title = crate::rules::find(&x.code)
            .map(|rule| {
                let meta = rule.meta();
                match lang {
                    Lang::Ja => meta.ja.title,
                    Lang::En => meta.en.title,
                }
            })
            .unwrap_or("");
        let code = if x.failed + x.unknown > 0 {
            format!(
                "<a href=\"#rule-{}\">{}</a>",
                esc(&anchor(&x.code)),
                esc(&x.code)
            )
        } else {
            esc(&x.code)
        };
        let _ = writeln!(
            out,
            "<tr data-code=\"{}\" data-verdict=\"{verdict}\" data-level=\"{}\"><td><code>{code}</code></td><td>{}{}<br><code class=\"note\">{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} / {} / {}</td></tr>",
            esc(&x.code),
            x.level.as_str(),
            esc(title),
            super::interpretive_badge(&x.code, lang),
            esc(&x.name),
            crate::report::names::level_label(x.level, lang),
            badge(verdict, lang),
            esc(&crate::rules::sources::localised(&x.guideline, lang)),
            x.checked,
            x.failed,
            x.unknown,
            x.accepted
        );
    }
    out.push_str("</tbody></table>\n");
    close(out);
}

/// An id fragment for a rule code (codes are user-chosen for `[[assert]]` entries).
pub fn anchor(code: &str) -> String {
    code.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

pub fn exceptions(out: &mut String, r: &Report<'_, '_>, n: usize) {
    let lang = r.lang;
    open(
        out,
        "exceptions",
        n,
        lang.pick("例外 (受容された指摘)", "Exceptions (accepted findings)"),
    );
    let list = r.policy.map(|p| p.exceptions.as_slice()).unwrap_or(&[]);
    if list.is_empty() {
        let _ = writeln!(
            out,
            "<p>{}</p>",
            lang.pick(
                "ポリシーに例外の定義はない。",
                "The policy defines no exception."
            )
        );
        close(out);
        return;
    }
    let head = thead(&[
        lang.pick("規則", "Rule"),
        lang.pick("対象", "Subject"),
        lang.pick("理由", "Reason"),
        lang.pick("承認者", "Approved by"),
        lang.pick("期限", "Expires"),
        lang.pick("状態", "Status"),
        lang.pick("記載場所", "Written at"),
    ]);
    let _ = writeln!(out, "<table id=\"exception-list\">{head}<tbody>");
    for e in list {
        let (expired, applied) = r.result.exception_state(e);
        let (status, note) = if expired {
            (
                "expired",
                lang.pick(
                    "期限切れ: 指摘は再び有効",
                    "expired: the finding stands again",
                )
                .to_string(),
            )
        } else if applied == 0 {
            (
                "unused",
                lang.pick("該当する指摘がない", "matches no finding")
                    .to_string(),
            )
        } else {
            (
                "accepted",
                match lang {
                    Lang::Ja => format!("有効: 指摘 {applied} 件を受容"),
                    Lang::En => format!("in force: {applied} finding(s) accepted"),
                },
            )
        };
        let _ = writeln!(
            out,
            "<tr data-status=\"{status}\" data-rule=\"{}\"><td><code>{}</code></td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{} {}</td><td><code>{}</code></td></tr>",
            esc(&e.rule.value),
            esc(&e.rule.value),
            esc(&e.subject),
            esc(&e.reason),
            esc(&e.approved_by),
            esc(e.expires.as_ref().map_or("-", |x| x.value.as_str())),
            badge(status, lang),
            esc(&note),
            esc(&r.sources.position(e.loc).to_string())
        );
    }
    out.push_str("</tbody></table>\n");
    close(out);
}

/// How many rule-list warnings the report lists; the count is always given.
pub const LINT_SHOWN: usize = 200;

/// The rule-list warnings of `validate` (shadowed and redundant rules) with their count: the
/// first [`LINT_SHOWN`] listed, each at the rule's place and the rule it collides with.
pub fn lint(out: &mut String, r: &Report<'_, '_>, n: usize) {
    let lang = r.lang;
    open(
        out,
        "lint",
        n,
        lang.pick("ルールリストの警告", "Rule-list warnings"),
    );
    let count = r.lint.len();
    let _ = writeln!(
        out,
        "<p id=\"lint-count\" data-count=\"{count}\">{}</p>",
        match lang {
            Lang::Ja => format!(
                "ルールリストの警告 (隠れて効かないルール・重複するルール): {count} 件。設計の判定には影響しないが、リストが意図どおりに書かれているかの確認を要する。"
            ),
            Lang::En => format!(
                "Rule-list warnings (shadowed and redundant rules): {count}. They change no verdict, but say where a list may not be written as meant."
            ),
        }
    );
    if count == 0 {
        close(out);
        return;
    }
    let head = thead(&[
        lang.pick("警告", "Warning"),
        lang.pick("記載場所", "Written at"),
        lang.pick("関連", "Related"),
    ]);
    let _ = writeln!(out, "<table id=\"lint-list\">{head}<tbody>");
    for d in r.lint.iter().take(LINT_SHOWN) {
        // The warnings are written in English (as `validate` prints them); the Japanese paper
        // says which kind each is and gives the places.
        let message = match lang {
            Lang::En if d.label.is_empty() => d.message.clone(),
            Lang::En => format!("{}: {}", d.message, d.label),
            Lang::Ja if d.message.contains("can never match") => {
                "前のルールに隠れて一致しないルール".to_string()
            }
            Lang::Ja if d.message.contains("redundant") => {
                "取り除いても結果が変わらない冗長なルール".to_string()
            }
            Lang::Ja => "ルールリストの警告".to_string(),
        };
        let related: Vec<String> = d
            .related
            .iter()
            .map(|x| {
                let at = esc(&r.sources.position(x.loc).to_string());
                match lang {
                    Lang::En => format!("{} <code>{at}</code>", esc(&x.message)),
                    Lang::Ja => format!("<code>{at}</code>"),
                }
            })
            .collect();
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td><code>{}</code></td><td>{}</td></tr>",
            esc(&message),
            esc(&r.sources.position(d.loc).to_string()),
            related.join("<br>")
        );
    }
    out.push_str("</tbody></table>\n");
    if count > LINT_SHOWN {
        let _ = writeln!(
            out,
            "<p>{}</p>",
            match lang {
                Lang::Ja => format!(
                    "ほか {} 件: <code>sansou validate --all</code> ですべて表示する。",
                    count - LINT_SHOWN
                ),
                Lang::En => format!(
                    "… and {} more: <code>sansou validate --all</code> lists every one.",
                    count - LINT_SHOWN
                ),
            }
        );
    }
    close(out);
}

pub fn signoff(out: &mut String, r: &Report<'_, '_>, n: usize) {
    let lang = r.lang;
    open(
        out,
        "signoff",
        n,
        lang.pick("確認・承認", "Review and approval"),
    );
    let _ = writeln!(
        out,
        "<table class=\"signoff\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th class=\"seal\">{}</th></tr></thead><tbody>",
        lang.pick("役割", "Role"),
        lang.pick("氏名・所属", "Name, unit"),
        lang.pick("日付", "Date"),
        lang.pick("所見", "Remarks"),
        lang.pick("印", "Seal / sign")
    );
    for (role, field) in [
        (lang.pick("作成者", "Prepared by"), "preparer"),
        (lang.pick("レビュー者", "Reviewer"), "reviewer"),
        (lang.pick("承認者", "Approver"), "approver"),
    ] {
        let _ = writeln!(
            out,
            "<tr data-field=\"{field}\"><th>{role}</th><td class=\"blank\"></td><td class=\"blank\"></td><td class=\"blank\"></td><td class=\"blank seal\"></td></tr>"
        );
    }
    out.push_str("</tbody></table>\n");
    let _ = writeln!(
        out,
        "<h3>{}</h3>\n<div class=\"remarks blank\" data-field=\"conclusion\"></div>",
        lang.pick("監査意見・是正指示", "Audit opinion and required actions")
    );
    close(out);
}
