//! The closed vocabularies of the formats: tiers, models, kinds, data classes.
//!
//! Each is an enum with the exact spelling users write in TOML (`mynumber`, `alpha-prime`,
//! `file-sanitizer`, ...). The loader reports anything else together with the accepted words.

/// Defines a string-backed enum with `parse`, `as_str` and the list of accepted words.
macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every accepted spelling, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub const WORDS: &'static [&'static str] = &[$($text),+];

            pub fn parse(s: &str) -> Option<$name> {
                match s {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary! {
    /// The security domain a zone belongs to.
    Tier {
        MyNumber = "mynumber",
        Lgwan = "lgwan",
        Internet = "internet",
        Dmz = "dmz",
        Management = "management",
        Other = "other",
    }
}

vocabulary! {
    /// The network model a municipality declares (α, α', β, β').
    NetworkModel {
        Alpha = "alpha",
        AlphaPrime = "alpha-prime",
        Beta = "beta",
        BetaPrime = "beta-prime",
    }
}

vocabulary! {
    /// What kind of network lies outside the organisation.
    ExternalKind {
        Internet = "internet",
        Lgwan = "lgwan",
        JukiNet = "juki-net",
        GovCloud = "gov-cloud",
        SecurityCloud = "security-cloud",
        Closed = "closed",
    }
}

impl ExternalKind {
    /// Internet and the prefecture's security cloud (the internet as reached through it) stand
    /// for every address by default; other externals must list their `cidrs`.
    pub fn is_internet(self) -> bool {
        matches!(self, ExternalKind::Internet | ExternalKind::SecurityCloud)
    }
}

vocabulary! {
    HostKind {
        Terminal = "terminal",
        Server = "server",
        FileServer = "file-server",
        Database = "database",
        DomainController = "domain-controller",
        Vdi = "vdi",
        MailRelay = "mail-relay",
        Proxy = "proxy",
        Appliance = "appliance",
    }
}

vocabulary! {
    /// Classes of data a store holds.
    DataClass {
        MyNumber = "my-number",
        Basic4 = "basic-4",
        PensionNumber = "pension-number",
        Tax = "tax",
        Welfare = "welfare",
        Health = "health",
        Personal = "personal",
        Confidential = "confidential",
        Public = "public",
    }
}

impl DataClass {
    /// Personal data in the sense of the guideline: everything but `confidential` and `public`.
    pub fn is_personal(self) -> bool {
        !matches!(self, DataClass::Confidential | DataClass::Public)
    }
}

vocabulary! {
    /// Sanctioned crossings; also the kinds of channel they create.
    GatewayKind {
        FileSanitizer = "file-sanitizer",
        MailSanitizer = "mail-sanitizer",
        ScreenTransfer = "screen-transfer",
        Proxy = "proxy",
    }
}

vocabulary! {
    SanitizeMethod {
        Cdr = "cdr",
        Image = "image",
        Text = "text",
        Verify = "verify",
    }
}

vocabulary! {
    Clipboard {
        Disabled = "disabled",
        TextIn = "text-in",
        Both = "both",
    }
}

vocabulary! {
    Privilege {
        User = "user",
        LocalAdmin = "local-admin",
        ServerAdmin = "server-admin",
        DomainAdmin = "domain-admin",
    }
}

vocabulary! {
    FlowMethod {
        Network = "network",
        SanitizedFile = "sanitized-file",
        MailText = "mail-text",
        Screen = "screen",
        Media = "media",
        Paper = "paper",
    }
}

vocabulary! {
    RemovableMedia {
        Blocked = "blocked",
        Allowlist = "allowlist",
        Allowed = "allowed",
    }
}

vocabulary! {
    /// What a host opens from the internet directly (an entry point for phishing or drive-by).
    InternetUse {
        Mail = "mail",
        Web = "web",
    }
}

vocabulary! {
    Action {
        Allow = "allow",
        Deny = "deny",
    }
}

vocabulary! {
    /// Which way an interface filter applies.
    Direction {
        In = "in",
        Out = "out",
    }
}

vocabulary! {
    /// What a site is: 本庁, 支所, 出先機関.
    SiteKind {
        MainOffice = "main-office",
        Branch = "branch",
        Outpost = "outpost",
    }
}

vocabulary! {
    /// What an outside service is.
    ServiceKind {
        LgwanAsp = "lgwan-asp",
        Cloud = "cloud",
    }
}

vocabulary! {
    /// The third-party assurance of a cloud service.
    Assurance {
        Ismap = "ismap",
        IsmapLiu = "ismap-liu",
        None = "none",
    }
}

vocabulary! {
    /// How a wireless network lets a client join: `open` (no key), `psk` (one shared key, known
    /// to everyone who was ever given it), `enterprise` (802.1X: each user's or device's own
    /// credential or certificate).
    WifiAuth {
        Open = "open",
        Psk = "psk",
        Enterprise = "enterprise",
    }
}

vocabulary! {
    /// What a remote-access line is for.
    RemoteKind {
        Telework = "telework",
        VendorMaintenance = "vendor-maintenance",
    }
}

vocabulary! {
    MonitorKind {
        Ids = "ids",
        Ndr = "ndr",
        SocFeed = "soc-feed",
    }
}

vocabulary! {
    /// What a host does, where a rule asks (administrator workstation, 住基ネット terminal...).
    HostRole {
        AdminWorkstation = "admin-workstation",
        JukiTerminal = "juki-terminal",
        UpdateServer = "update-server",
        PublicWeb = "public-web",
        NtpServer = "ntp-server",
        Hypervisor = "hypervisor",
    }
}

vocabulary! {
    /// How a connection line to an external network is built.
    LineKind {
        Dedicated = "dedicated",
        Closed = "closed",
        InternetVpn = "internet-vpn",
        Internet = "internet",
    }
}

impl LineKind {
    /// Dedicated and closed lines do not cross the internet.
    pub fn is_closed(self) -> bool {
        matches!(self, LineKind::Dedicated | LineKind::Closed)
    }
}

vocabulary! {
    /// Network access control on a segment's ports.
    Nac {
        None = "none",
        PortSecurity = "port-security",
        MacAuth = "mac-auth",
        Dot1x = "802.1x",
    }
}
