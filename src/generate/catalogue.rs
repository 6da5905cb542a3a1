//! What every site has: departments, fixed servers, stores, business systems and where the
//! gateways and terminals sit, as tables the layout and the rule bases read.

use crate::model::*;

pub(super) const LGWAN: &str = "lgwan";
pub(super) const CLOUD: &str = "pref-cloud";

/// What a domain controller listens on (DNS, Kerberos, RPC, LDAP, SMB, NTP, GC, dynamic RPC).
pub(super) const AD: &str = "tcp/53 udp/53 tcp/88 udp/88 tcp/135 tcp/389 udp/389 tcp/445 tcp/464 udp/123 \
                  tcp/636 tcp/3268-3269 tcp/49152-65535";
/// Remote administration and file sharing: what terminals must not open on servers.
pub(super) const ADMIN_PORTS: &str = "tcp/22 tcp/135 tcp/139 tcp/445 tcp/3389 tcp/5985-5986";
/// What the boundary firewall's deny lists name, one port at a time, after each advisory.
pub(super) const DANGEROUS: &[&str] = &[
    "tcp/135",
    "tcp/137-139",
    "tcp/445",
    "tcp/3389",
    "tcp/22",
    "tcp/23",
    "tcp/5985-5986",
    "udp/161",
];
/// Application ports that turn up in old rule bases for systems long since moved.
pub(super) const STALE_PORTS: &[u16] = &[80, 1433, 3306, 5432, 8000, 8080, 8443, 9080, 9443, 10080];

/// A department: id part and display name.
pub(super) type Dept = (&'static str, &'static str);

pub(super) const MN_DEPTS: &[Dept] = &[
    ("shimin", "市民課"),
    ("zeimu", "税務課"),
    ("fukushi", "福祉課"),
    ("kokuho", "国保年金課"),
    ("kaigo", "介護保険課"),
    ("shisan", "資産税課"),
    ("nouzei", "納税課"),
    ("kodomo", "こども家庭課"),
];

pub(super) const LG_DEPTS: &[Dept] = &[
    ("somu", "総務課"),
    ("zaisei", "財政課"),
    ("kosodate", "子育て支援課"),
    ("kikaku", "企画課"),
    ("jinji", "人事課"),
    ("kenchiku", "建築課"),
    ("doboku", "土木課"),
    ("kankyo", "環境課"),
    ("kyoiku", "教育総務課"),
    ("gikai", "議会事務局"),
    ("suido", "水道課"),
    ("kaikei", "会計課"),
];

/// Virtual-browser pools are groups too, numbered.
pub(super) const VDI_POOLS: &[Dept] = &[("pool", "仮想ブラウザ")];

#[rustfmt::skip]
pub(super) const PLACES: &[&str] = &[
    "あおば", "さくら", "みなと", "ひばり", "かえで", "つばき", "もみじ", "すずらん",
    "なぎさ", "いずみ", "ひかり", "やまと", "あさひ", "こだま", "みずほ", "わかば",
];

/// The segments of a site that hold servers and business systems.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
    MnServers = 0,
    LgServers = 1,
    InetDmz = 2,
}

impl Place {
    pub(super) const ALL: [Place; 3] = [Place::MnServers, Place::LgServers, Place::InetDmz];

    pub(super) fn systems(self) -> &'static [SystemSpec] {
        match self {
            Place::MnServers => MN_SYSTEMS,
            Place::LgServers => LG_SYSTEMS,
            Place::InetDmz => INET_SYSTEMS,
        }
    }
}

/// A fixed server: id part, kind, segment, address offset in it, services, display name.
pub(super) type ServerSpec = (
    &'static str,
    HostKind,
    Place,
    u32,
    &'static str,
    &'static str,
);

#[rustfmt::skip]
pub(super) const SERVERS: &[ServerSpec] = &[
    ("mn-dc",      HostKind::DomainController, Place::MnServers,  5, AD,                  "MN系 ドメインコントローラ"),
    ("kikan-ap",   HostKind::Server,           Place::MnServers, 10, "tcp/443",           "基幹系業務"),
    ("kikan-db",   HostKind::Database,         Place::MnServers, 20, "tcp/1521",          "基幹系 DB"),
    ("atena",      HostKind::Server,           Place::MnServers, 30, "tcp/443 tcp/5432",  "団体内統合宛名"),
    ("lg-dc",      HostKind::DomainController, Place::LgServers,  5, AD,                  "LGWAN系 ドメインコントローラ"),
    ("lg-fs",      HostKind::FileServer,       Place::LgServers, 10, "tcp/445",           "ファイルサーバ"),
    ("zaimu",      HostKind::Server,           Place::LgServers, 21, "tcp/443",           "財務会計"),
    ("bunsho",     HostKind::Server,           Place::LgServers, 23, "tcp/443",           "文書管理"),
    ("lg-mail",    HostKind::Server,           Place::LgServers, 30, "tcp/25 tcp/443 tcp/587 tcp/993", "LGWAN メール"),
    ("lg-wsus",    HostKind::Server,           Place::LgServers, 40, "tcp/443 tcp/8530",  "パッチ配信"),
    ("inet-proxy", HostKind::Proxy,            Place::InetDmz,   10, "tcp/8080",          "プロキシ"),
    ("inet-mail",  HostKind::MailRelay,        Place::InetDmz,   25, "tcp/25 tcp/443",    "メールリレー・Web メール"),
];

/// The internet-tier file server of the sites that copied My Number data out (a violation).
pub(super) const INET_FS: ServerSpec = (
    "inet-fs",
    HostKind::FileServer,
    Place::InetDmz,
    50,
    "tcp/445",
    "インターネット系 共有フォルダ",
);

/// A store: id part, host part, service, data, records per 1000 residents, reader groups (site
/// departments, or `lg-staff`), display name.
pub(super) type StoreSpec = (
    &'static str,
    &'static str,
    &'static str,
    &'static [DataClass],
    u64,
    &'static [&'static str],
    &'static str,
);

#[rustfmt::skip]
pub(super) const STORES: &[StoreSpec] = {
    use DataClass::*;
    &[
        ("juki-db",           "kikan-db", "tcp/1521", &[MyNumber, Basic4],          1000, &["shimin"], "住民記録 DB"),
        ("zeimu-db",          "kikan-db", "tcp/1521", &[MyNumber, Tax],              800, &["zeimu", "shisan", "nouzei"], "税務 DB"),
        ("fukushi-db",        "kikan-db", "tcp/1521", &[MyNumber, Welfare, Health],  330, &["fukushi", "kaigo", "kokuho", "kodomo"], "福祉 DB"),
        ("atena-db",          "atena",    "tcp/5432", &[MyNumber, Basic4],          1000, &["shimin", "zeimu", "fukushi"], "団体内統合宛名 DB"),
        ("lg-share",          "lg-fs",    "tcp/445",  &[Confidential],                 0, &["lg-staff"], "全庁共有フォルダ"),
        ("lg-share-kosodate", "lg-fs",    "tcp/445",  &[Personal],                    50, &["kosodate"], "子育て支援課 共有フォルダ"),
        ("zaimu-db",          "zaimu",    "tcp/443",  &[Personal, Confidential],     100, &["zaisei", "kaikei"], "財務会計 DB"),
        ("bunsho-db",         "bunsho",   "tcp/443",  &[Confidential],              2000, &["lg-staff"], "文書管理"),
    ]
};

/// A business system (業務システム): id part, display name, TCP ports, the department that
/// uses it (`""`: every department of the tier), and the data of its store (none: no store) with
/// records per 1000 residents. Each site runs most, not all, of its tier's systems.
pub(super) type SystemSpec = (
    &'static str,
    &'static str,
    &'static [u16],
    &'static str,
    &'static [DataClass],
    u64,
);

#[rustfmt::skip]
pub(super) const MN_SYSTEMS: &[SystemSpec] = {
    use DataClass::*;
    &[
        ("koseki", "戸籍",           &[443, 8443], "shimin",  &[Basic4, Personal],           1000),
        ("kokuho", "国民健康保険",   &[443],       "kokuho",  &[MyNumber, Health],            250),
        ("kaigo",  "介護保険",       &[443, 9443], "kaigo",   &[MyNumber, Welfare, Health],   200),
        ("shogai", "障害福祉",       &[443],       "fukushi", &[MyNumber, Welfare],            50),
        ("jidou",  "児童手当",       &[8080],      "kodomo",  &[MyNumber, Welfare],           150),
        ("kouki",  "後期高齢者医療", &[443],       "kokuho",  &[MyNumber, Health],            150),
        ("kenkou", "健康管理",       &[443, 5432], "fukushi", &[Health],                      600),
        ("senkyo", "選挙",           &[8443],      "shimin",  &[Basic4],                      800),
        ("shuno",  "収納",           &[443, 1521], "nouzei",  &[MyNumber, Tax],               700),
        ("kazei",  "固定資産税",     &[443],       "shisan",  &[MyNumber, Tax],               400),
    ]
};

#[rustfmt::skip]
pub(super) const LG_SYSTEMS: &[SystemSpec] = {
    use DataClass::*;
    &[
        ("groupware", "グループウェア", &[443],       "",         &[],                  0),
        ("shisetsu",  "施設予約",       &[443],       "somu",     &[Personal],         30),
        ("gis",       "統合型 GIS",     &[443, 8080], "kenchiku", &[Public],            0),
        ("reiki",     "例規集",         &[443],       "somu",     &[],                  0),
        ("keiyaku",   "契約管理",       &[443],       "zaisei",   &[Confidential],      0),
        ("sekisan",   "工事積算",       &[8443],      "doboku",   &[],                  0),
        ("shomu",     "庶務事務",       &[443],       "jinji",    &[Personal],          8),
        ("denshi",    "電子申請 受付",  &[443],       "kikaku",   &[Personal],        100),
        ("ryokin",    "上下水道料金",   &[443, 1521], "suido",    &[Personal],        450),
        ("gakurei",   "学齢簿",         &[8443],      "kyoiku",   &[Basic4, Personal], 120),
        ("kaigiroku", "会議録検索",     &[443],       "gikai",    &[Public],            0),
        ("sokutei",   "環境測定",       &[8080],      "kankyo",   &[],                  0),
    ]
};

#[rustfmt::skip]
pub(super) const INET_SYSTEMS: &[SystemSpec] = &[
    ("cms",     "公式 Web CMS",   &[443, 8443], "", &[DataClass::Public], 0),
    ("sns",     "SNS 配信",       &[443],       "", &[],                  0),
    ("kaigi",   "Web 会議 中継",  &[443, 8801], "", &[],                  0),
    ("uketori", "ファイル受渡し", &[443],       "", &[],                  0),
];

/// Business systems sit from this offset of their tier's server segment (the internet DMZ for
/// the internet tier), in table order.
pub(super) const FIRST_SYSTEM: u32 = 100;

/// Where the gateways sit: offsets in `lg-dmz` and `inet-dmz` (and the first VDI segment for
/// the screen transfer's internet side).
pub(super) const GW_FILE: u32 = 20;
pub(super) const GW_MAIL: u32 = 30;
pub(super) const GW_SCREEN_LG: u32 = 40;
pub(super) const GW_SCREEN_VDI: u32 = 6;
/// Terminal ranges start here, after the firewalls' and the screen transfer's addresses.
pub(super) const FIRST_TERMINAL: u32 = 10;
