//! CRED-003: privileged accounts are personal, MFA-protected and audited.

use crate::model::Privilege;
use crate::model::policy::Level;
use crate::rules::required::{Need, judge};
use crate::rules::{Context, Doc, Levels, Meta, Outcome};

pub static META: Meta = Meta {
    code: "CRED-003",
    name: "privileged-account-shared-or-unaudited",
    levels: Levels::all(Level::Deny),
    guideline: "GL(R6.10) 対策基準 6.2",
    confidence: "G",
    ja: Doc {
        title: "特権 ID が共用、多要素認証なし、または操作記録なし",
        what: "特権のアカウント (privilege が server-admin または domain-admin) が shared = false (一人に割り当て)、mfa = true、logon_audit = true (ログオンを記録) であること。どれかが逆なら不合格、記載が無ければ判定不能。",
        why: "ガイドラインは特権 ID を必要最小限にし、個人に割り当て、利用を記録することを求めている。共用の管理者 ID は誰が操作したか追えず、パスワードだけの特権 ID は一度盗まれれば全サーバが奪われる。",
        example: "ドメイン管理者 domain-admin に shared = true と書かれている。",
        fix: "管理者ごとに個人の特権 ID を発行し (shared = false)、多要素認証を設定して (mfa = true)、ログオンを記録する (logon_audit = true)。",
    },
    en: Doc {
        title: "Privileged account shared, without MFA or unaudited",
        what: "Privileged accounts (privilege server-admin or domain-admin) have shared = false (one person), mfa = true and logon_audit = true (log-ons recorded). The opposite fails; a missing field is unknown.",
        why: "The guideline asks for few privileged IDs, each assigned to one person, with their use recorded. A shared admin ID hides who did what; a privileged ID behind a password alone hands over every server once stolen.",
        example: "The account domain-admin has shared = true.",
        fix: "Give each administrator a personal privileged ID (shared = false), require MFA (mfa = true) and record log-ons (logon_audit = true).",
    },
};

pub struct Rule;

impl crate::rules::Rule for Rule {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) -> Vec<Outcome> {
        cx.topo
            .accounts
            .iter()
            .filter(|a| matches!(a.privilege, Privilege::ServerAdmin | Privilege::DomainAdmin))
            .map(|a| {
                judge(
                    a.id.clone(),
                    Some(a.loc),
                    (
                        &format!("特権アカウント {} ({})", a.id, a.privilege),
                        &format!("{} account {}", a.privilege, a.id),
                    ),
                    ("特権 ID の管理の要件", "the privileged-ID requirements"),
                    &[
                        Need::flag("shared", a.shared, false),
                        Need::flag("mfa", a.mfa, true),
                        Need::flag("logon_audit", a.logon_audit, true),
                    ],
                )
            })
            .collect()
    }
}
