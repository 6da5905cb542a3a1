//! ZN-003: the declared network model matches where the business terminals are.

use crate::model::policy::{Level, Profile};
use crate::model::{HostKind, NetworkModel, Tier};
use crate::rules::support::thousands;
use crate::rules::{Context, Doc, Evidence, Levels, Meta, Outcome, Text};

pub static META: Meta = Meta {
    code: "ZN-003",
    name: "model-terminal-placement-mismatch",
    levels: Levels::all(Level::Deny),
    guideline: "S10, S11, S1",
    confidence: "V",
    ja: Doc {
        title: "宣言したモデルと業務端末の配置",
        what: "宣言したネットワークモデル (トポロジの meta.model、無ければポリシーの profile) と、職員の業務端末 (kind = \"terminal\") が実際に置かれている層が合っていること。LGWAN接続系とインターネット接続系の端末の台数を count で数え、α・α' モデルなら LGWAN接続系に、β・β' モデルならインターネット接続系に過半数があれば合格。モデルの宣言が無い場合と、どちらの層にも端末が無い場合は判定不能。マイナンバー利用事務系と運用管理系の端末は数えない。",
        why: "どのモデルを採るかで、適用される規則が変わる。β・β' モデルでは業務端末をインターネット接続系に置く代わりに、EDR の導入や組織的な対策などの追加の条件が求められる。業務端末の大半がインターネット接続系にあるのに α モデルを宣言していると、その条件が確認されないまま準拠とされてしまう。2015 年の年金機構事案でも、職員の端末でインターネットメールと Web 閲覧を行い、そこが侵入の入口となった。",
        example: "meta.model = \"alpha\" なのに、職員端末 1,800 台がインターネット接続系のセグメントにあり、LGWAN接続系には端末が無い。",
        fix: "実際の配置に合わせて meta.model (とポリシーの profile) を正しいモデルに直し、そのモデルの条件を満たす。α モデルを維持するなら、業務端末を LGWAN接続系へ移し、インターネットの利用は画面転送 (仮想ブラウザ) に切り替える。",
    },
    en: Doc {
        title: "Declared model and where the business terminals are",
        what: "The declared network model (the topology's meta.model, else the policy's profile) matches the tier the staff's business terminals (kind = \"terminal\") are in. Terminals of the LGWAN and internet tiers are counted by `count`: α and α' pass when most are in the LGWAN tier, β and β' when most are in the internet tier. No declared model, or no terminal in either tier, is unknown. My Number and management terminals are not counted.",
        why: "The model decides which rules apply. β and β' put the business terminals on the internet side in exchange for extra conditions (EDR, organisational measures). A design that declares α while most terminals sit in the internet tier claims compliance without meeting those conditions. In the 2015 Japan Pension Service breach, staff terminals read internet mail and browsed the web, and that is where the attacker got in.",
        example: "meta.model = \"alpha\", yet 1,800 staff terminals are on internet-tier segments and the LGWAN tier has none.",
        fix: "Declare the model the design really follows (meta.model and the policy's profile) and meet its conditions. To stay with α, move the business terminals to the LGWAN tier and give them the web through screen transfer (a virtual browser).",
    },
};

pub struct Rule;

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) -> Vec<Outcome> {
        let topo = cx.topo;
        let (model, loc) = match (&topo.meta.model, cx.policy.profile) {
            (Some(m), _) => (m.value, Some(m.loc)),
            (None, Some(Profile::Model(m))) => (m, None),
            _ => {
                return vec![Outcome::unknown(
                    "meta.model",
                    topo.meta.loc,
                    Text::new(
                        "ネットワークモデルが宣言されていない (meta.model もポリシーの profile も無い)",
                        "no network model is declared (neither meta.model nor a policy profile)",
                    ),
                )];
            }
        };
        let subject = format!("model:{model}");
        // Terminals per tier (host groups counted by `count`), with the largest groups.
        let mut groups: [Vec<(u64, &str)>; 2] = [Vec::new(), Vec::new()];
        for h in &topo.hosts {
            if h.kind != HostKind::Terminal {
                continue;
            }
            match cx.host_tiers(h).as_slice() {
                [Tier::Lgwan] => groups[0].push((h.count, &h.id)),
                [Tier::Internet] => groups[1].push((h.count, &h.id)),
                _ => {}
            }
        }
        let totals = [
            groups[0].iter().map(|g| g.0).sum::<u64>(),
            groups[1].iter().map(|g| g.0).sum::<u64>(),
        ];
        let steps: Vec<Text> = [
            ("LGWAN接続系", "LGWAN tier"),
            ("インターネット接続系", "internet tier"),
        ]
        .iter()
        .zip(groups.iter_mut())
        .zip(totals)
        .map(|((name, g), total)| {
            g.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
            let list = |unit: &str| {
                let top: Vec<String> = g
                    .iter()
                    .take(3)
                    .map(|(n, id)| format!("host:{id} {}{unit}", thousands(*n)))
                    .collect();
                let more = if g.len() > 3 { ", ..." } else { "" };
                if top.is_empty() {
                    String::new()
                } else {
                    format!(" ({}{more})", top.join(", "))
                }
            };
            Text::new(
                format!("{}: 端末 {} 台{}", name.0, thousands(total), list(" 台")),
                format!("{}: {} terminal(s){}", name.1, thousands(total), list("")),
            )
        })
        .collect();
        let [lg, inet] = totals;
        let (lgs, inets) = (thousands(lg), thousands(inet));
        if lg == 0 && inet == 0 {
            return vec![Outcome::unknown(
                subject,
                loc,
                Text::new(
                    "LGWAN接続系にもインターネット接続系にも業務端末 (kind = \"terminal\") が無く、モデルと配置を比べられない",
                    "there are no business terminals (kind = \"terminal\") in the LGWAN or internet tier to compare the model with",
                ),
            )];
        }
        let (expected, ok) = match model {
            NetworkModel::Alpha | NetworkModel::AlphaPrime => {
                (("LGWAN接続系", "LGWAN tier"), lg > inet)
            }
            NetworkModel::Beta | NetworkModel::BetaPrime => {
                (("インターネット接続系", "internet tier"), inet > lg)
            }
        };
        if ok {
            return vec![Outcome::pass(subject, loc)];
        }
        vec![
            Outcome::fail(
                subject,
                loc,
                Text::new(
                    format!(
                        "{model} モデルを宣言しているが、業務端末の過半数が{}にない (LGWAN接続系 {lgs} 台、インターネット接続系 {inets} 台)",
                        expected.0
                    ),
                    format!(
                        "the design declares the {model} model, but most business terminals are not in the {} (LGWAN tier {lgs}, internet tier {inets})",
                        expected.1
                    ),
                ),
            )
            .with_evidence(Evidence::Steps(steps)),
        ]
    }
}

#[cfg(test)]
mod tests {
    use crate::load::{Syntax, decode_topology};
    use crate::model::Topology;
    use crate::model::policy::{Policy, Profile};
    use crate::rules::{Context, Rule as _, Verdict};
    use crate::source::SourceMap;

    fn topo(text: &str) -> Topology {
        let mut sources = SourceMap::default();
        let file = sources.add("t.toml", text);
        let mut diags = crate::diag::Diagnostics::default();
        let t = decode_topology(&[(file, Syntax::Toml)], &sources, &mut diags);
        assert!(!diags.has_errors(), "{diags:?}");
        t
    }

    fn verdicts(t: &Topology, policy: &Policy) -> Vec<(Verdict, String)> {
        let mut cx = Context::new(crate::load::validate(t).unwrap(), policy);
        super::Rule
            .check(&mut cx)
            .into_iter()
            .map(|o| (o.verdict, o.subject))
            .collect()
    }

    const TERMINALS: &str = r#"format = 1
[[zone]]
id = "lg"
tier = "lgwan"
[[segment]]
id = "lg-office"
zone = "lg"
cidr = "10.2.0.0/24"
[[host]]
id = "lg-pc"
kind = "terminal"
segment = "lg-office"
ip = "10.2.0.10-10.2.0.19"
count = 10
"#;

    #[test]
    fn no_declared_model_is_unknown() {
        let t = topo(TERMINALS);
        assert_eq!(
            verdicts(&t, &Policy::default()),
            [(Verdict::Unknown, "meta.model".to_string())]
        );
    }

    #[test]
    fn the_policy_profile_stands_in_for_a_missing_model() {
        let t = topo(TERMINALS);
        let alpha = Policy {
            profile: Profile::parse("alpha"),
            ..Policy::default()
        };
        assert_eq!(
            verdicts(&t, &alpha),
            [(Verdict::Pass, "model:alpha".into())]
        );
        let beta = Policy {
            profile: Profile::parse("beta"),
            ..Policy::default()
        };
        assert_eq!(verdicts(&t, &beta), [(Verdict::Fail, "model:beta".into())]);
    }

    #[test]
    fn no_business_terminals_is_unknown() {
        let t = topo(
            r#"format = 1
[meta]
model = "beta"
[[zone]]
id = "mn"
tier = "mynumber"
[[segment]]
id = "mn-office"
zone = "mn"
cidr = "10.1.0.0/24"
[[host]]
id = "mn-pc"
kind = "terminal"
segment = "mn-office"
ip = "10.1.0.10"
"#,
        );
        assert_eq!(
            verdicts(&t, &Policy::default()),
            [(Verdict::Unknown, "model:beta".to_string())]
        );
    }
}
