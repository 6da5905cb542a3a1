//! The guideline rule catalogue: all 62 items, whether sansou implements them or not, so that a
//! report can say honestly what it evaluated, what it did not, and what needs evidence that no
//! network design holds. The registry implements many of the items; the policy loader accepts
//! levels for every catalogue code (one the registry does not implement gets a warning) and for
//! the registry's own policy codes.

use crate::lang::Lang;

/// How binding an item is, as the catalogue grades it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// The guideline says しなければならない, or a national system's connection rule requires it.
    Must,
    /// The guideline says 望ましい, or the item is an option.
    Should,
    /// A lesson or a best practice.
    Advisory,
    /// Applies, but the exact guideline condition is not settled.
    Verify,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Must => "MUST",
            Severity::Should => "SHOULD",
            Severity::Advisory => "ADVISORY",
            Severity::Verify => "VERIFY",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Severity::Must => lang.pick("必須", "must"),
            Severity::Should => lang.pick("推奨", "should"),
            Severity::Advisory => lang.pick("助言", "advisory"),
            Severity::Verify => lang.pick("要確認", "to verify"),
        }
    }
}

/// One catalogue item.
#[derive(Debug)]
pub struct Item {
    pub code: &'static str,
    pub title_ja: &'static str,
    pub title_en: &'static str,
    pub severity: Severity,
    /// The catalogue's confidence tag: `V` confirmed by a source, `G` from the guideline's
    /// example text, `I` an engineering interpretation; `V-lesson` a lesson of the 2015
    /// Japan Pension Service breach. Combined with `/`.
    pub tag: &'static str,
    /// For items no design file can settle: the evidence an auditor must see instead
    /// (Japanese, English).
    pub manual: Option<(&'static str, &'static str)>,
}

impl Item {
    pub fn title(&self, lang: Lang) -> &'static str {
        lang.pick(self.title_ja, self.title_en)
    }

    /// Whether the item is an interpretation rather than the guideline's words.
    pub fn interpretive(&self) -> bool {
        is_interpretive_tag(self.tag)
    }
}

/// Whether a confidence tag (`I`, `V-lesson/I`, `G/I`) marks an interpretation.
pub fn is_interpretive_tag(tag: &str) -> bool {
    tag.split('/').any(|t| t == "I")
}

/// The confidence tag in words.
pub fn tag_label(tag: &str, lang: Lang) -> String {
    let words: Vec<&str> = tag
        .split('/')
        .map(|t| match t {
            "V" => lang.pick("出典で確認", "confirmed by a source"),
            "G" => lang.pick("ガイドライン例文による", "from the guideline text"),
            "I" => lang.pick("解釈", "interpretation"),
            "V-lesson" => lang.pick("事案の教訓 (出典で確認)", "lesson (confirmed)"),
            "V-structure" => lang.pick("構成を出典で確認", "structure confirmed"),
            other => other,
        })
        .collect();
    words.join(" / ")
}

const fn item(
    code: &'static str,
    title_ja: &'static str,
    title_en: &'static str,
    severity: Severity,
    tag: &'static str,
) -> Item {
    Item {
        code,
        title_ja,
        title_en,
        severity,
        tag,
        manual: None,
    }
}

use Severity::{Advisory, Must, Should, Verify};

/// Every item of the catalogue, in catalogue order.
pub static ITEMS: &[Item] = &[
    item(
        "ZN-001",
        "すべての資産がいずれかの層に分類されている",
        "Every asset belongs to one tier",
        Must,
        "I",
    ),
    item(
        "ZN-002",
        "ホスト・セグメントが層をまたがない",
        "No host or segment spans two tiers",
        Must,
        "I",
    ),
    item(
        "ZN-003",
        "宣言したモデルと端末・業務システムの配置が一致する",
        "Declared model matches where terminals and systems sit",
        Must,
        "V/G",
    ),
    item(
        "ZN-004",
        "層をまたぐ共用基盤 (仮想化基盤・ストレージ・バックアップ等) の申告と承認",
        "Shared infrastructure across tiers is declared and approved",
        Advisory,
        "I",
    ),
    item(
        "MN-001",
        "マイナンバー利用事務系とインターネットの間に経路がない",
        "No path between the My Number tier and the internet",
        Must,
        "V",
    ),
    item(
        "MN-002",
        "マイナンバー利用事務系の境界を越える通信は特定通信として固定されている",
        "Traffic across the My Number boundary is pinned 特定通信",
        Must,
        "V",
    ),
    item(
        "MN-003",
        "マイナンバー利用事務系の通信先はインターネットに接続されていない",
        "The My Number tier talks only to networks not connected to the internet",
        Must,
        "V/G",
    ),
    item(
        "MN-004",
        "マイナンバー利用事務系の端末に多要素認証",
        "Multi-factor authentication on My Number terminals",
        Must,
        "V",
    ),
    item(
        "MN-005",
        "マイナンバー利用事務系の端末から電磁的記録媒体への持ち出し不可",
        "No export to removable media from My Number terminals",
        Must,
        "V",
    ),
    item(
        "MN-006",
        "業務ごとの専用端末",
        "A dedicated terminal per business",
        Should,
        "G",
    ),
    item(
        "MN-007",
        "マイナンバー利用事務系には登録された機器だけが接続できる",
        "Only registered devices connect to the My Number network",
        Must,
        "V/G",
    ),
    item(
        "MN-008",
        "マイナンバーを含むデータはマイナンバー利用事務系にだけ置く",
        "My Number data rests only in the My Number tier",
        Must,
        "I",
    ),
    item(
        "MN-009",
        "マイナンバー利用事務系と LGWAN 接続系の通信は業務上必要なものに限り理由がある",
        "Traffic between the My Number and LGWAN tiers is necessary and has a reason",
        Must,
        "V",
    ),
    item(
        "MN-010",
        "マイナンバー利用事務系への画面転送・リモートデスクトップがない",
        "No remote desktop or screen transfer into the My Number tier",
        Must,
        "I",
    ),
    item(
        "MN-011",
        "ガバメントクラウドへは専用回線・閉域網で接続する",
        "Government cloud is reached over dedicated or closed lines",
        Must,
        "V/G",
    ),
    item(
        "LG-001",
        "LGWAN 接続系とインターネット接続系の間は既定拒否で必要な通信だけを許可する",
        "Between the LGWAN and internet tiers: default deny, only necessary traffic",
        Must,
        "V",
    ),
    item(
        "LG-002",
        "インターネット側から LGWAN 接続系へのファイルは無害化を経る",
        "Files from the internet side into LGWAN pass a sanitizer",
        Must,
        "V/G",
    ),
    item(
        "LG-003",
        "インターネットメールはテキスト化して LGWAN 接続系へ届ける",
        "Internet mail reaches LGWAN only as text",
        Must,
        "V/G",
    ),
    item(
        "LG-004",
        "LGWAN 接続系の端末は画面転送でのみインターネットを利用する",
        "LGWAN terminals use the internet only by screen transfer",
        Must,
        "V/G",
    ),
    item(
        "LG-005",
        "インターネット側から LGWAN (外部網) へ直接届かない",
        "The internet side does not reach the LGWAN directly",
        Must,
        "I",
    ),
    item(
        "LG-006",
        "外部の LGWAN 側サービスは LGWAN-ASP として登録されている",
        "Outside services on the LGWAN side are registered LGWAN-ASP",
        Must,
        "V",
    ),
    item(
        "LG-007",
        "β・β'モデル: インターネット側から LGWAN 接続系の業務システムへは画面転送のみ",
        "β/β': the internet side reaches LGWAN systems only by screen transfer",
        Must,
        "G",
    ),
    item(
        "LG-008",
        "インターネット用のメールサーバ・公開 Web・プロキシを LGWAN 接続系やマイナンバー利用事務系に置かない",
        "Internet mail, public web and proxies are not in the LGWAN or My Number tier",
        Must,
        "I",
    ),
    item(
        "LG-009",
        "パッチ・定義ファイルの配信は承認された経路で行う",
        "Updates reach LGWAN through an approved channel",
        Should,
        "V/I",
    ),
    item(
        "IN-001",
        "インターネットへの通信は自治体情報セキュリティクラウドを経由する",
        "Internet traffic leaves through the security cloud",
        Must,
        "V",
    ),
    item(
        "IN-002",
        "インターネット接続系の不正通信の監視",
        "Monitoring of illicit traffic on the internet side",
        Must,
        "V/G",
    ),
    item(
        "IN-003",
        "公開 Web サーバはセキュリティクラウドに集約するか DMZ に置く",
        "Public web servers sit in the security cloud or a DMZ",
        Should,
        "V",
    ),
    item(
        "IN-004",
        "インターネット接続系の端末・サーバに EPP と EDR",
        "EPP and EDR on internet-tier terminals and servers",
        Must,
        "V",
    ),
    item(
        "IN-005",
        "リモートアクセスと組織が支給しない端末に多要素認証",
        "MFA for remote access and devices not issued by the organisation",
        Must,
        "V",
    ),
    item(
        "BT-001",
        "β・β'モデル: 重要な個人情報をインターネット側に置かない",
        "β/β': important personal data stays off the internet side",
        Must,
        "G",
    ),
    item(
        "BT-002",
        "β・β'モデル: 組織的・人的対策 (CSIRT・訓練・自己点検・外部監査)",
        "β/β': organisational and human measures (CSIRT, training, self-check, external audit)",
        Must,
        "V/G",
    ),
    item(
        "BT-003",
        "β・β'モデル: インターネット側の端末のパッチ適用と資産管理",
        "β/β': internet-side terminals are patched and inventoried",
        Must,
        "G",
    ),
    item(
        "AP-001",
        "α'モデル: ローカルブレイクアウトは指定のクラウドサービスだけに限る",
        "α': local breakout only to named cloud services",
        Must,
        "V/G",
    ),
    item(
        "AP-002",
        "α'モデル: ローカルブレイクアウト利用端末の EDR・多要素認証と承認済みクラウドサービス",
        "α': EDR and MFA on breakout terminals, approved cloud services",
        Verify,
        "G/I",
    ),
    item(
        "DATA-001",
        "基幹系から抽出した個人情報を信頼度の低い層へ複製しない",
        "Personal data from core systems is not copied to a lower tier",
        Must,
        "V-lesson/I",
    ),
    item(
        "DATA-002",
        "情報資産の分類と件数の台帳",
        "Every store is classified and counted",
        Must,
        "G",
    ),
    item(
        "DATA-003",
        "機密性 2 以上の情報の暗号化",
        "Data of confidentiality 2 and above is encrypted at rest",
        Must,
        "G/V-lesson",
    ),
    item(
        "DATA-004",
        "個人情報を置く共有フォルダは必要な者だけが読める",
        "Shared folders with personal data are need-to-know",
        Must,
        "G/I",
    ),
    item(
        "DATA-005",
        "個人情報を端末のローカルディスクに残さない",
        "Personal data does not persist on terminals",
        Should,
        "V-lesson",
    ),
    item(
        "DATA-006",
        "抽出した個人情報の所管・目的・保存期限",
        "Extracted personal data has an owner, a purpose and a retention date",
        Advisory,
        "I",
    ),
    item(
        "CRED-001",
        "ドメイン管理者の認証情報を端末やインターネット側で使わない",
        "Domain admin credentials are not used on terminals or the internet side",
        Must,
        "V-lesson/I",
    ),
    item(
        "CRED-002",
        "ローカル管理者パスワードを端末間で共有しない",
        "Local admin passwords are not shared between hosts",
        Must,
        "I",
    ),
    item(
        "CRED-003",
        "特権 ID は少数・個人別・多要素認証・利用記録あり",
        "Privileged IDs are few, personal, MFA-protected and logged",
        Must,
        "G",
    ),
    item(
        "CRED-004",
        "アカウントが層をまたがない (層ごとに別の ID)",
        "Accounts do not span tiers",
        Should,
        "I",
    ),
    item(
        "NET-001",
        "ファイアウォールは既定拒否で、許可には理由がある",
        "Firewalls deny by default and every allow has a reason",
        Must,
        "G",
    ),
    item(
        "NET-002",
        "サーバは宣言したサービスだけを公開する",
        "Servers expose only declared services",
        Must,
        "G",
    ),
    item(
        "NET-003",
        "無線 LAN は一つの層にだけ属し、マイナンバー利用事務系にはない",
        "Wireless networks belong to one tier, none in My Number",
        Should,
        "I",
    ),
    item(
        "NET-004",
        "機器の管理用セグメントが層の間の経路にならない",
        "The management segment joins no two tiers",
        Advisory,
        "I",
    ),
    item(
        "NET-005",
        "外部との接続点は最小限で、それぞれ承認されている",
        "External connection points are few and approved",
        Must,
        "G",
    ),
    item(
        "NET-006",
        "ログを出す機器が共通の時刻源に同期している",
        "Logging devices share a time source",
        Must,
        "G",
    ),
    item(
        "NET-007",
        "同じ層の端末同士が管理用・ファイル共有のポートに届かない",
        "Terminals do not reach each other's admin and file-sharing ports",
        Advisory,
        "I",
    ),
    item(
        "EP-001",
        "すべてのサーバ・端末にウイルス対策 (EPP)",
        "Anti-malware (EPP) on every server and terminal",
        Must,
        "G",
    ),
    item(
        "MON-001",
        "層をまたぐ通信と無害化・画面転送装置のログを取得し保存する",
        "Cross-tier rules and crossings log, and logs are kept",
        Must,
        "G",
    ),
    item(
        "IR-001",
        "拠点ごとにインターネットから素早く切り離せる",
        "Each site can be cut off from the internet quickly",
        Must,
        "V-lesson/G",
    ),
    item(
        "IR-002",
        "端末からインターネットへの直接の通信がない (遮断できる中継を経る)",
        "No direct internet egress from terminals",
        Must,
        "V-lesson/I",
    ),
    item(
        "IR-003",
        "すべてのインターネット回線が切り離しの対象に入っている",
        "Every internet line is in the isolation scope",
        Must,
        "V-lesson",
    ),
    item(
        "EXT-001",
        "住基ネットは専用回線とファイアウォールで隔てる",
        "住基ネット is isolated by its dedicated line and firewalls",
        Must,
        "V",
    ),
    item(
        "EXT-002",
        "住基ネットの操作者を個人ごとに識別する",
        "住基ネット operators are individually identified",
        Must,
        "V",
    ),
    item(
        "EXT-003",
        "団体内統合宛名システムから中間サーバーへの通信は特定通信として固定",
        "The My Number tier reaches only the intermediate server over LGWAN, pinned",
        Must,
        "V",
    ),
    item(
        "EXT-004",
        "eLTAX・マイナポータルのデータは LGWAN 経由でのみマイナンバー利用事務系に入る",
        "eLTAX and マイナポータル data enter the My Number tier only via LGWAN",
        Must,
        "V",
    ),
    item(
        "EXT-005",
        "ガバメントクラウドの接続 (MN-011 と同じ)",
        "Government cloud connection (as MN-011)",
        Must,
        "V/G",
    ),
    item(
        "EXT-006",
        "機密性 2 以上の情報を扱う外部サービスの契約と接続先",
        "External services handling confidential data: contract and attachment",
        Must,
        "V-structure/G",
    ),
];

/// Every code of the guideline rule catalogue, in catalogue order.
pub fn codes() -> impl Iterator<Item = &'static str> {
    ITEMS.iter().map(|i| i.code)
}

pub fn is_catalogue_code(code: &str) -> bool {
    ITEMS.iter().any(|i| i.code == code)
}

pub fn item_of(code: &str) -> Option<&'static Item> {
    ITEMS.iter().find(|i| i.code == code)
}

/// What became of an item in one run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// A rule of the registry evaluated it.
    Evaluated,
    /// A rule exists but did not run: it does not apply to the model, or the policy turned it off.
    NotApplied,
    /// No rule yet, though the design could settle it.
    NotImplemented,
    /// No design file settles it: it needs documents an auditor must see.
    Manual,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Evaluated => "evaluated",
            Status::NotApplied => "not-applied",
            Status::NotImplemented => "not-implemented",
            Status::Manual => "manual-evidence",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Status::Evaluated => lang.pick("自動評価", "evaluated"),
            Status::NotApplied => lang.pick("適用外", "not applied"),
            Status::NotImplemented => lang.pick("未実装", "not implemented yet"),
            Status::Manual => lang.pick("証跡の確認が必要", "needs manual evidence"),
        }
    }
}

/// The status of an item, given the codes a run evaluated.
pub fn status(item: &Item, evaluated: &dyn Fn(&str) -> bool) -> Status {
    if evaluated(item.code) {
        Status::Evaluated
    } else if super::find(item.code).is_some() {
        Status::NotApplied
    } else if item.manual.is_some() {
        Status::Manual
    } else {
        Status::NotImplemented
    }
}

/// How many items have each status, in [`Status`] order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub evaluated: usize,
    pub not_applied: usize,
    pub not_implemented: usize,
    pub manual: usize,
}

pub fn counts(evaluated: &dyn Fn(&str) -> bool) -> Counts {
    let mut c = Counts::default();
    for i in ITEMS {
        match status(i, evaluated) {
            Status::Evaluated => c.evaluated += 1,
            Status::NotApplied => c.not_applied += 1,
            Status::NotImplemented => c.not_implemented += 1,
            Status::Manual => c.manual += 1,
        }
    }
    c
}

impl Counts {
    /// The one-line summary `check` prints.
    pub fn line(&self, lang: Lang) -> String {
        match lang {
            Lang::Ja => format!(
                "ガイドライン項目 {} 件: 自動評価 {}, 適用外 {}, 未実装 {}, 証跡の確認が必要 {}",
                ITEMS.len(),
                self.evaluated,
                self.not_applied,
                self.not_implemented,
                self.manual
            ),
            Lang::En => format!(
                "guideline catalogue: {} items: {} evaluated, {} not applied, {} not implemented yet, {} need manual evidence",
                ITEMS.len(),
                self.evaluated,
                self.not_applied,
                self.not_implemented,
                self.manual
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sixty_two_unique_items() {
        assert_eq!(ITEMS.len(), 62);
        let mut codes: Vec<&str> = codes().collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 62);
    }

    #[test]
    fn every_registry_rule_of_the_catalogue_is_an_item_without_manual_evidence() {
        for r in crate::rules::registry() {
            let code = r.meta().code;
            if let Some(i) = item_of(code) {
                assert!(i.manual.is_none(), "{code} is implemented");
            }
        }
    }

    #[test]
    fn interpretive_tags() {
        assert!(is_interpretive_tag("I"));
        assert!(is_interpretive_tag("V-lesson/I"));
        assert!(!is_interpretive_tag("V/G"));
        assert!(!is_interpretive_tag("V-lesson"));
    }
}
