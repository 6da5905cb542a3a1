//! The sources rules cite, so that a report can resolve every key it prints (`S5`, `GL`) in a
//! bibliography (参考文献) a reader can look up. A rule's `guideline` field is written as
//! `GL(R6.10) 対策基準 3.(1)①; S5 (要件シート No.2)`: `GL(EDITION)` is the MIC guideline at the
//! edition in force, `S` followed by digits a key of [`SOURCES`].

use crate::lang::Lang;
use crate::model::edition::{self, Edition};

/// One source: its key, its citation in Japanese and in English, and where to find it.
pub struct Source {
    pub key: &'static str,
    pub ja: &'static str,
    pub en: &'static str,
    pub url: &'static str,
}

/// Every source a rule of the registry or a sample design cites, by key order.
pub static SOURCES: &[Source] = &[
    Source {
        key: "S1",
        ja: "総務省 報道資料「自治体情報セキュリティ対策の見直しについて」(2020年5月22日)",
        en: "MIC press release on the review of municipal information security measures (2020-05-22)",
        url: "https://www.soumu.go.jp/menu_news/s-news/01gyosei07_02000098.html",
    },
    Source {
        key: "S2",
        ja: "総務省「次期自治体情報セキュリティクラウドの標準要件」(2020年8月18日)",
        en: "MIC standard requirements of the next municipal security cloud (2020-08-18)",
        url: "https://www.soumu.go.jp/main_sosiki/kenkyu/chiho_security/index_00001.html",
    },
    Source {
        key: "S3",
        ja: "総務大臣通知 総行情第77号「新たな自治体情報セキュリティ対策の抜本的強化について」(2015年12月25日)",
        en: "Minister's notice 総行情第77号 on the fundamental strengthening of municipal information security (2015-12-25)",
        url: "https://paperzz.com/doc/6104853/",
    },
    Source {
        key: "S4",
        ja: "自治体情報セキュリティ対策検討チーム報告「新たな自治体情報セキュリティ対策の抜本的強化に向けて」(2015年11月24日) 概要版 (富士通による引用)",
        en: "Report of the MIC study team on municipal information security (2015-11-24), summary as quoted by Fujitsu",
        url: "https://www.fujitsu.com/jp/group/bsc/services/fence/solution04.html",
    },
    Source {
        key: "S5",
        ja: "総務省「自治体情報システム強靭性向上モデル要件シート」(参考5) No.2 特定通信 (解説記事による)",
        en: "MIC requirement sheet of the resilience model (参考5) No.2, specific communication (as explained in an article)",
        url: "https://ittrip.xyz/security/kyoujinka/tokuteitsuushin",
    },
    Source {
        key: "S6",
        ja: "徳島県「ネットワークの分離」(県の情報セキュリティ対策の説明)",
        en: "Tokushima Prefecture, network separation (the prefecture's description of its measures)",
        url: "https://www.pref.tokushima.lg.jp/ict/security/network/",
    },
    Source {
        key: "S10",
        ja: "サイエンスパーク株式会社「α・β・β'モデルの解説」(2024年4月)",
        en: "Science Park Corp., explanation of the α, β and β' models (2024-04)",
        url: "https://sciencepark.co.jp/topics/202404-02/",
    },
    Source {
        key: "S11",
        ja: "日経BP・トレンドマイクロ「βモデルにおける端末対策 (EPP と EDR)」",
        en: "Nikkei BP and Trend Micro on the β model's endpoint measures (EPP and EDR)",
        url: "https://special.nikkeibp.co.jp/atclh/NXT/20/trendmicro0915/",
    },
    Source {
        key: "S12",
        ja: "東日本電信電話「α'モデルとローカルブレイクアウト」(コラム)",
        en: "NTT East column on the α' model and local breakout",
        url: "https://business.ntt-east.co.jp/content/cloudsolution/municipality/column-47.html",
    },
    Source {
        key: "S13",
        ja: "インターネットイニシアティブ「α'モデルにおけるクラウドサービスの利用」(解説記事)",
        en: "IIJ on cloud services in the α' model",
        url: "https://ent.iij.ad.jp/?p=8552",
    },
    Source {
        key: "S14",
        ja: "ファイナルコード「ガイドライン令和6年10月版の改定の要点」(2024年12月)",
        en: "FinalCode summary of the guideline's 2024-10 revision (2024-12)",
        url: "https://www.finalcode.com/jp/news/blog/2024/122601/",
    },
    Source {
        key: "S22",
        ja: "総務省告示第334号 (住民基本台帳ネットワークシステムの技術的基準)",
        en: "MIC notice No. 334 (technical standard of the resident registry network)",
        url: "https://happylibus.com/doc/302360/",
    },
    Source {
        key: "S23",
        ja: "滋賀県・奈良県「住基ネットの安全対策」(県の説明ページ)",
        en: "Shiga and Nara prefectures on the protection of the resident registry network",
        url: "https://www.pref.nara.jp/2140.htm",
    },
    Source {
        key: "S24",
        ja: "富士通 技術誌「中間サーバーへの接続と基幹系ネットワーク」",
        en: "Fujitsu technical journal on connecting to the intermediate server",
        url: "https://pdfslide.tips/documents/approaches-to-comprehensive-optimization-of-ict-governments-to-connect-their.html",
    },
    Source {
        key: "S27",
        ja: "日経 ITpro「日本年金機構 内部調査の結果」(2015年8月20日)",
        en: "ITpro on the Japan Pension Service internal investigation (2015-08-20)",
        url: "http://itpro.nikkeibp.co.jp/atcl/news/15/082002693/",
    },
    Source {
        key: "S28",
        ja: "日本経済新聞「厚生労働省 検証委員会報告の要旨 (日本年金機構の情報流出)」(2015年8月)",
        en: "Nikkei on the report of the MHLW verification committee on the Japan Pension Service leak (2015-08)",
        url: "https://www.nikkei.com/article/DGXLASFS21H68_R20C15A8EE8000/",
    },
    Source {
        key: "S29",
        ja: "ナレッジステート「日本年金機構 情報流出から 1 か月のまとめ」(約 950 ファイル、パスワード設定は約 1%)",
        en: "Knowledge-S: one month after the Japan Pension Service leak (about 950 files, about 1% password-protected)",
        url: "http://www.knowledge-s.com/news/%E5%80%8B%E4%BA%BA%E6%83%85%E5%A0%B1%E6%BC%8F%E3%81%88%E3%81%84/1807/",
    },
    Source {
        key: "S30",
        ja: "会計検査院「日本年金機構における個人情報流出事案について」(平成28年 随時報告)",
        en: "Board of Audit report on the Japan Pension Service personal data leak (2016)",
        url: "https://report.jbaudit.go.jp/org/h28/ZUIJI2/2016-h28-Z2000-0.htm",
    },
    Source {
        key: "S31",
        ja: "国会会議録 (塩崎厚生労働大臣の答弁: 基幹システムと情報系の二系統、共有サーバへの複製)",
        en: "Diet record: the minister on the two lines (core and information system) and the copy to the shared server",
        url: "https://kokalog.net/search.html?speech=%22%E5%A4%96%E9%83%A8%E5%AA%92%E4%BD%93%22",
    },
    Source {
        key: "S32",
        ja: "日経 ITpro「日本年金機構 業務改善計画 (基幹系から情報系への複製)」(2015年12月)",
        en: "ITpro on the Japan Pension Service improvement plan: data copied from the core to the information system (2015-12)",
        url: "https://b.hatena.ne.jp/takojima/%E6%97%A5%E6%9C%AC%E5%B9%B4%E9%87%91%E6%A9%9F%E6%A7%8B",
    },
    Source {
        key: "S33",
        ja: "リスク対策.com「日本年金機構への攻撃 (Emdivi と段階的な持ち出し)」",
        en: "Risk-taisaku on the attack on the Japan Pension Service (Emdivi, staged exfiltration)",
        url: "https://www.risktaisaku.com/articles/-/1784",
    },
    Source {
        key: "S34",
        ja: "産経新聞 (iza)「約 55 万件はパスワードなし、全拠点のネット遮断は 5 月 29 日」(2015年6月1日)",
        en: "Sankei (iza): about 550,000 records without a password; all sites cut off on 29 May (2015-06-01)",
        url: "https://megalodon.jp/ref/2015-0602-0450-30/www.iza.ne.jp/kiji/events/news/150601/evt15060122480055-n2.html",
    },
    Source {
        key: "S35",
        ja: "毎日新聞「年金機構 端末に個人情報が残存」(2016年12月17日)",
        en: "Mainichi: personal data still on Japan Pension Service PCs (2016-12-17)",
        url: "https://mainichi.jp/articles/20161217/k00/00e/040/191000c",
    },
    Source {
        key: "S41",
        ja: "A10ネットワークス 用語集「三層の対策」",
        en: "A10 Networks glossary: the three-layer measures",
        url: "http://www.a10networks.co.jp/glossary/what-is-three-layer-measures.html",
    },
];

pub fn source(key: &str) -> Option<&'static Source> {
    SOURCES.iter().find(|s| s.key == key)
}

/// The source keys a guideline reference cites, in order of first appearance.
pub fn keys_in(guideline: &str) -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = Vec::new();
    let bytes = guideline.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let starts_word = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        if bytes[i] == b'S' && starts_word {
            let end = (i + 1..bytes.len())
                .find(|&j| !bytes[j].is_ascii_digit())
                .unwrap_or(bytes.len());
            if end > i + 1
                && let Some(s) = source(&guideline[i..end])
                && !keys.contains(&s.key)
            {
                keys.push(s.key);
            }
            i = end;
        } else {
            i += 1;
        }
    }
    keys
}

/// A rule's reference with the guideline edition in force: `GL(R6.10)` becomes `GL(R4.3)` when
/// the design claims 令和4年3月版.
pub fn with_edition(guideline: &str, e: &Edition) -> String {
    guideline.replace("GL(R6.10)", &format!("GL({})", e.code))
}

/// A reference as a Japanese reader sees it: `GL(R6.10)` written out as ガイドライン(令和6年10月版).
pub fn localised(guideline: &str, lang: Lang) -> String {
    match lang {
        Lang::En => guideline.to_string(),
        Lang::Ja if guideline == "policy" => "ポリシーの独自規定".to_string(),
        Lang::Ja => {
            let mut out = guideline.to_string();
            for e in edition::EDITIONS {
                out = out.replace(
                    &format!("GL({})", e.code),
                    &format!("ガイドライン({})", e.ja),
                );
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_a_rule_cites_resolves() {
        for r in crate::rules::registry() {
            let g = r.meta().guideline;
            for word in g.split(|c: char| !c.is_ascii_alphanumeric()) {
                let is_key = word.len() > 1
                    && word.starts_with('S')
                    && word[1..].bytes().all(|b| b.is_ascii_digit());
                if is_key {
                    assert!(
                        source(word).is_some(),
                        "{}: {word} has no source",
                        r.meta().code
                    );
                }
            }
        }
    }

    #[test]
    fn keys_and_editions() {
        assert_eq!(keys_in("GL(R6.10) 対策基準 3; S5, S24 (x)"), ["S5", "S24"]);
        assert!(keys_in("SS5 S99").is_empty());
        let r43 = edition::parse("R4.3").unwrap();
        assert_eq!(
            with_edition("GL(R6.10) 対策基準 3", r43),
            "GL(R4.3) 対策基準 3"
        );
        assert_eq!(
            localised("GL(R4.3) 対策基準 3", Lang::Ja),
            "ガイドライン(令和4年3月版) 対策基準 3"
        );
    }
}
