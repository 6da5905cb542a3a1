//! BT-001 (β, β'): personal data on the internet side: never My Number data; otherwise
//! encrypted at rest and not readable by everyone.

use crate::model::policy::Level;
use crate::model::{DataClass, Reader, Tier};
use crate::rules::support::Facts;
use crate::rules::{Context, Doc, Levels, Meta, Outcome, Text};

pub static META: Meta = Meta {
    code: "BT-001",
    name: "beta-personal-data-on-internet-side",
    levels: Levels {
        alpha: Level::Allow,
        alpha_prime: Level::Allow,
        beta: Level::Deny,
        beta_prime: Level::Deny,
    },
    guideline: "GL(R6.10) 対策基準 3 (β・β'モデルの解説)",
    confidence: "G",
    ja: Doc {
        title: "βモデルでインターネット接続系に置かれた個人情報",
        what: "β・β'モデルで、インターネット接続系 (tier internet) のホストにある個人情報を含むデータストア (data に personal、basic-4、tax など個人情報の区分を含むもの) について、(1) my-number を含まないこと、(2) encrypted = true であること、(3) readers に everyone を含まないこと、を確認する。(1) か (3) に反する、または encrypted = false なら不合格、encrypted の記載が無ければ判定不能。",
        why: "βモデルでは業務端末がインターネット接続系に置かれ、侵害される可能性を前提に設計する。住民の個人情報など重要な情報資産は LGWAN接続系やマイナンバー利用事務系に置くのが原則であり、やむを得ずインターネット側に置く個人情報は、暗号化とアクセス制御で守る必要がある。2015 年の年金機構の事案では、インターネットにつながる共有フォルダの、パスワードの無いファイルから大量の年金情報が流出した。",
        example: "βモデルで、インターネット系ファイルサーバに申請書類の共有フォルダ (data = [\"personal\"]) があり、encrypted = false、readers = [\"everyone\"] になっている。",
        fix: "個人情報は LGWAN接続系のファイルサーバや業務システムに置き、インターネット側からは画面転送で扱う。インターネット側に残すものは暗号化し (encrypted = true)、読める者を業務上必要なグループに限る。特定個人情報 (my-number) はインターネット側に置かない。",
    },
    en: Doc {
        title: "β: personal data placed on the internet side",
        what: "In the β and β' models, every store holding personal data (a personal class such as personal, basic-4 or tax) on an internet-tier host: (1) holds no my-number data, (2) has encrypted = true, (3) does not list everyone among its readers. Breaking (1) or (3), or encrypted = false, fails; no `encrypted` is unknown.",
        why: "In β, staff terminals sit on the internet side and the design must assume they can be compromised. Important assets such as residents' personal data belong in the LGWAN or My Number tier; personal data that must stay on the internet side needs encryption and access control. In the 2015 Japan Pension Service breach, large amounts of pension data leaked from unprotected files in a shared folder on an internet-connected network.",
        example: "In a β design, an internet-side file server holds a share of application forms (data = [\"personal\"]) with encrypted = false and readers = [\"everyone\"].",
        fix: "Keep personal data on LGWAN-tier file servers and business systems, used from the internet side by screen transfer. Encrypt what must stay on the internet side (encrypted = true) and limit readers to the groups that need it. Never place My Number data on the internet side.",
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
        for s in &topo.stores {
            if !s.holds_personal_data() || !facts.store_tiers(s).contains(&Tier::Internet) {
                continue;
            }
            let mut ja = Vec::new();
            let mut en = Vec::new();
            if s.data.contains(&DataClass::MyNumber) {
                ja.push("特定個人情報 (my-number) を含む");
                en.push("it holds My Number data");
            }
            if s.encrypted == Some(false) {
                ja.push("暗号化されていない (encrypted = false)");
                en.push("it is not encrypted (encrypted = false)");
            }
            if s.readers.iter().any(|r| r.value == Reader::Everyone) {
                ja.push("全員が読める (readers に everyone)");
                en.push("everyone may read it (readers include everyone)");
            }
            let subject = s.id.clone();
            if !ja.is_empty() {
                out.push(Outcome::fail(
                    subject,
                    Some(s.loc),
                    Text::new(
                        format!(
                            "インターネット接続系 ({}) の個人情報 {}: {}",
                            s.host.value,
                            s.id,
                            ja.join("、")
                        ),
                        format!(
                            "personal data store {} on the internet side (host {}): {}",
                            s.id,
                            s.host.value,
                            en.join("; ")
                        ),
                    ),
                ));
            } else if s.encrypted.is_none() {
                out.push(Outcome::unknown(
                    subject,
                    Some(s.loc),
                    Text::new(
                        format!(
                            "インターネット接続系の個人情報 {} に encrypted の記載が無い",
                            s.id
                        ),
                        format!(
                            "personal data store {} on the internet side does not state `encrypted`",
                            s.id
                        ),
                    ),
                ));
            } else {
                out.push(Outcome::pass(subject, Some(s.loc)));
            }
        }
        if out.is_empty() {
            out.push(Outcome::pass("tier:internet", None));
        }
        out
    }
}
