//! Interpretive rules (catalogue tag `I`, and the attack rules): checks that follow from the
//! guideline's requirements or from the 2015 Japan Pension Service lessons but are not in the
//! guideline's words. Reports label them 解釈 and give the reasoning here, so a reader can weigh
//! a finding that the guideline does not state literally.

use super::catalogue;
use crate::lang::Lang;

/// Whether a rule code is an interpretation.
pub fn is_interpretive(code: &str) -> bool {
    catalogue::item_of(code).is_some_and(|i| i.interpretive()) || code.starts_with("ATK-")
}

/// Why sansou checks an interpretive rule, in the reader's language.
pub fn reasoning(code: &str, lang: Lang) -> Option<&'static str> {
    let (ja, en) = match code {
        "ZN-001" => (
            "ガイドラインは三つの領域への分離を求めるが、すべての資産を分類せよとは書いていない。分類されない資産は分離の検査から漏れるため、分類を前提条件として検査する。",
            "The guideline requires separation into three domains but does not say every asset must be classified; an unclassified asset escapes every separation check, so classification is checked as a precondition.",
        ),
        "ZN-002" => (
            "一台の機器が二つの領域に接続していれば分離は成り立たない、という分離の要求からの帰結。機器単位の明文はガイドラインにない。",
            "Follows from the separation requirement: one device attached to two domains defeats it. The guideline has no device-level wording.",
        ),
        "ZN-004" => (
            "層をまたぐ共用基盤は経路の一種になりうる、という分離の要求からの帰結。",
            "Shared infrastructure can join tiers, which follows from the separation requirement.",
        ),
        "MN-008" => (
            "マイナンバー利用事務系の分離は、特定個人情報がその外に置かれれば意味を失う (2015 年の年金機構事案では基幹系のデータが情報系に複製されていた)。分離の要求からの帰結として保存場所を検査する。",
            "Separating the My Number tier means nothing once its data rests outside it (in the 2015 Japan Pension Service breach core data had been copied to the information system); where the data rests is checked as a consequence.",
        ),
        "MN-010" => (
            "画面転送は LGWAN 接続系とインターネット接続系の間の無害化通信として定められたもの。マイナンバー利用事務系への画面転送は、宛先とポートを固定する特定通信の要件を満たさない経路になる、という解釈。",
            "Screen transfer is defined as a sanctioned crossing between the LGWAN and internet tiers; into the My Number tier it is a path that is not pinned specific communication.",
        ),
        "LG-005" => (
            "LGWAN には LGWAN 接続系からのみ接続するという分割の要求から、インターネット側から LGWAN へ直接届く経路を違反とみなす。",
            "From the split of the LGWAN and internet tiers: only the LGWAN tier connects to the LGWAN, so a direct path from the internet side is a violation.",
        ),
        "LG-008" => (
            "インターネット用のメール中継やプロキシを LGWAN 接続系に置けば分割が崩れる、という要求からの帰結。",
            "An internet mail relay or proxy inside the LGWAN tier undoes the split; this follows from the requirement.",
        ),
        "LG-009" => (
            "更新の配信経路もインターネット側と LGWAN 接続系をつなぐ通信であり、特定通信と同様に固定すべきという解釈。",
            "Update distribution is traffic between the internet side and the LGWAN tier, so it should be pinned like specific communication.",
        ),
        "DATA-001" => (
            "年金機構事案の教訓 (基幹系から抽出したデータが情報系に置かれ流出した) とマイナンバー利用事務系の分離の要求から、抽出データの複製先を検査する。",
            "From the Japan Pension Service lesson (data extracted from the core system sat on the information system and leaked) and the separation of the My Number tier.",
        ),
        "DATA-004" => (
            "ガイドラインのアクセス制御 (対策基準 6.2) を、個人情報を置く共有フォルダを全員が読めないこととして具体化した。",
            "Makes the guideline's access control (対策基準 6.2) concrete: a shared folder with personal data is not readable by everyone.",
        ),
        "DATA-006" => (
            "年金機構事案で、どのサーバに何があるか把握できなかった教訓から。",
            "From the Japan Pension Service lesson that nobody knew which server held what.",
        ),
        "CRED-001" => (
            "特権 ID の管理 (対策基準 6.2) と、年金機構事案で端末とサーバの管理者権限が奪われた教訓から、ドメイン管理者の認証情報が端末やインターネット側に残らないことを求める。",
            "From privileged ID management (対策基準 6.2) and the Japan Pension Service lesson that admin rights of terminals and servers were taken.",
        ),
        "CRED-002" => (
            "年金機構事案で一台の端末から 26 台へ感染が広がった教訓から。ローカル管理者パスワードについての明文はガイドラインにない。",
            "From the Japan Pension Service lesson that one terminal seeded 26 infections; the guideline says nothing of local admin passwords.",
        ),
        "CRED-004" => (
            "同じアカウントが二つの層で有効なら、認証情報を通じて層がつながる。分離の要求からの帰結。",
            "An account valid in two tiers joins them through its credentials; this follows from the separation requirement.",
        ),
        "NET-003" => (
            "無線 LAN も層に属する経路であり、分離の要求からの帰結。",
            "Wireless networks are paths that belong to a tier; this follows from the separation requirement.",
        ),
        "NET-004" => (
            "管理用セグメントが二つの層に届けば層の間の経路になる、という分離の要求からの帰結。",
            "A management segment that reaches two tiers joins them; this follows from the separation requirement.",
        ),
        "NET-007" => (
            "不正アクセス対策 (対策基準 6.5: 内部からの攻撃) と年金機構事案の横展開の教訓から、端末間で管理用・ファイル共有のポートが届くことを指摘する。",
            "From the measures against internal attacks (対策基準 6.5) and the lateral movement of the Japan Pension Service breach.",
        ),
        "IR-002" => (
            "年金機構事案で、攻撃者のドメインを組織全体で遮断できれば後の通信を止められたという検証委員会の指摘から、端末からインターネットへの直接の通信を指摘する。",
            "The verification committee found that blocking the attacker's domain organisation-wide would have stopped later traffic in the Japan Pension Service breach.",
        ),
        "AP-002" => (
            "α'モデルで求められる追加の端末対策とクラウドサービスの条件は、ガイドラインの該当版で条件の一覧を確認する必要がある。",
            "The α' model's extra endpoint and cloud-service conditions must be checked against the edition's own list.",
        ),
        "ATK-001" | "ATK-002" => (
            "規則を一つずつ満たしていても、組み合わせると入口から個人情報まで道がつながることがある。sansou の攻撃経路分析による判定であり、ガイドラインの一項目ではない。",
            "Settings that each pass their own rule can still join into a road from the entry to the data. This is sansou's attack-path analysis, not an item of the guideline.",
        ),
        _ => return None,
    };
    Some(lang.pick(ja, en))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_interpretive_rule_has_its_reasoning() {
        for r in crate::rules::registry() {
            let code = r.meta().code;
            if is_interpretive(code) {
                assert!(reasoning(code, Lang::Ja).is_some(), "{code}");
                assert!(reasoning(code, Lang::En).is_some(), "{code}");
            }
        }
        for i in catalogue::ITEMS.iter().filter(|i| i.interpretive()) {
            assert!(reasoning(i.code, Lang::Ja).is_some(), "{}", i.code);
        }
    }
}
