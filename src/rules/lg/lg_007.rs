//! LG-007 (β, β'): the internet side reaches the LGWAN tier only by screen transfer to VDI
//! hosts.

use crate::analysis::reach::Endpoint;
use crate::model::HostKind;
use crate::model::policy::Level;
use crate::rules::support::{Facts, internet_to_lgwan, pair_fail};
use crate::rules::{Context, Doc, Levels, Meta, Outcome};

pub static META: Meta = Meta {
    code: "LG-007",
    name: "beta-internet-to-lgwan-not-screen-transfer",
    levels: Levels {
        alpha: Level::Allow,
        alpha_prime: Level::Allow,
        beta: Level::Deny,
        beta_prime: Level::Deny,
    },
    guideline: "GL(R6.10) 対策基準 3 (β・β'モデル)",
    confidence: "G",
    ja: Doc {
        title: "βモデルでインターネット側から LGWAN接続系へ画面転送以外で届く",
        what: "β・β'モデルで、インターネット側から LGWAN接続系 (tier lgwan) のホストへ届くパケットが、インターネット接続系 (tier internet) のホストから kind = \"vdi\" のホスト宛ての画面転送プロトコル (RDP tcp/udp 3389、ICA tcp/1494・2598、PCoIP tcp/udp 4172、Blast tcp/udp 22443) だけであることを確認する。それ以外のサービス、vdi 以外のホストへ届く組合せ、インターネットそのもの (kind internet / security-cloud の外部網) から届く経路を指摘する。",
        why: "βモデルでは職員の業務端末をインターネット接続系に置き、LGWAN接続系に残した業務システムは LGWAN 側の仮想デスクトップ (VDI・RDS) への画面転送でだけ使う。インターネット側の端末は侵害されうる前提なので、業務サーバへの直接の通信や、画面転送以外のプロトコルを許せば、侵害された端末から LGWAN接続系へ攻撃が届く。",
        example: "βモデルで、インターネット系の業務端末から LGWAN 系の財務会計サーバへ tcp/443 が直接許可されている。あるいは RDP の宛先が VDI ではなくファイルサーバになっている。",
        fix: "インターネット側から LGWAN接続系への許可は、画面転送装置または LGWAN 側の VDI・RDS への画面転送プロトコルだけに絞る。業務システムは VDI 上のブラウザやクライアントから使い、ファイルの受け渡しはファイル無害化装置を通す。",
    },
    en: Doc {
        title: "β: the internet side reaches the LGWAN tier other than by screen transfer",
        what: "In the β and β' models, the only packets from the internet side that reach LGWAN-tier hosts are screen-transfer protocols (RDP tcp/udp 3389, ICA tcp/1494 and 2598, PCoIP tcp/udp 4172, Blast tcp/udp 22443) from internet-tier hosts to hosts of kind \"vdi\". Any other service, any target that is not a VDI, and any path from the internet itself (externals of kind internet or security-cloud) is flagged.",
        why: "In β, staff terminals sit on the internet side and the business systems left in the LGWAN tier are used only by screen transfer to LGWAN-side virtual desktops (VDI, RDS). Internet-side terminals are assumed to be compromisable: direct traffic to business servers, or protocols other than screen transfer, lets a compromised terminal attack the LGWAN tier.",
        example: "In a β design, internet-side staff terminals may reach the LGWAN accounting server directly on tcp/443; or RDP goes to the file server instead of a VDI host.",
        fix: "Limit what the internet side may send into the LGWAN tier to screen-transfer protocols towards the screen-transfer gateway or the LGWAN-side VDI/RDS hosts. Use business systems from a browser or client on the VDI, and pass files through the file sanitizer.",
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
        let mut out: Vec<Outcome> = internet_to_lgwan(cx, &facts, true)
            .iter()
            .map(|p| {
                let what = match (p.from, p.to) {
                    (Endpoint::External(_), _) => (
                        "インターネットから LGWAN接続系へ直接届く",
                        "packets from the internet reach the LGWAN tier directly",
                    ),
                    (_, Endpoint::Host(h)) if topo.hosts[h].kind == HostKind::Vdi => (
                        "VDI へ画面転送以外のプロトコルが届く",
                        "protocols other than screen transfer reach a VDI host",
                    ),
                    _ => (
                        "VDI 以外の LGWAN接続系ホストへ直接届く",
                        "packets reach an LGWAN host that is not a VDI",
                    ),
                };
                pair_fail(cx, p, what.0, what.1)
            })
            .collect();
        if out.is_empty() {
            out.push(Outcome::pass("tier:internet->tier:lgwan", None));
        }
        out
    }
}
