//! The organisation around the network: its sites, its security organisation, the outside
//! services it uses, how people get in (Wi-Fi, remote access) and where logs go. Rules read
//! these facts; none of them forwards packets (Wi-Fi and remote access name the segment their
//! clients land on, and the analysis follows packets from there).

use super::At;
use super::selector::Selector;
use super::vocab::{Assurance, MonitorKind, RemoteKind, ServiceKind, SiteKind, WifiAuth};
use crate::source::Loc;

/// `[org]`: the organisational measures β and β' require (BT-002).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Org {
    /// A CSIRT is established.
    pub csirt: Option<bool>,
    /// Dates (`YYYY-MM-DD`) of the last staff training (with targeted-attack drills), the last
    /// self-inspection and the last external audit.
    pub last_training: Option<At<String>>,
    pub last_self_check: Option<At<String>>,
    pub last_external_audit: Option<At<String>>,
    pub loc: Option<Loc>,
}

/// A site of the municipality: the main office (本庁), a branch (支所) or an outpost (出先機関).
#[derive(Clone, Debug, PartialEq)]
pub struct Site {
    pub id: String,
    pub kind: SiteKind,
    /// Where the procedure that cuts the site off the internet is written (IR-001).
    pub isolation_playbook: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub loc: Loc,
}

/// An outside service the municipality uses: an LGWAN-ASP service or a cloud (SaaS) service.
#[derive(Clone, Debug, PartialEq)]
pub struct ExternalService {
    pub id: String,
    pub kind: ServiceKind,
    /// The zone it is used from.
    pub zone: Option<At<String>>,
    /// The external network it is reached in.
    pub external: Option<At<String>>,
    /// The J-LIS registration of an LGWAN-ASP service.
    pub registration: Option<String>,
    pub assurance: Option<Assurance>,
    /// It handles information of confidentiality class 2 or higher (機密性2以上).
    pub handles_conf2: Option<bool>,
    pub contract_reviewed: Option<bool>,
    pub tenant_restriction: Option<bool>,
    pub mfa: Option<bool>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub loc: Loc,
}

/// A wireless network (SSID) and the segment its clients land on.
#[derive(Clone, Debug, PartialEq)]
pub struct Wifi {
    pub id: String,
    pub ssid: Option<String>,
    pub segment: At<String>,
    /// How a client joins; not stated, the attack analysis assumes a shared key (the weaker).
    pub auth: Option<WifiAuth>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub loc: Loc,
}

/// A way in from outside: a telework VPN or a vendor's remote-maintenance line. Sessions land
/// on `segment` and come from `external`.
#[derive(Clone, Debug, PartialEq)]
pub struct RemoteAccess {
    pub id: String,
    pub kind: RemoteKind,
    pub segment: At<String>,
    pub external: Option<At<String>>,
    pub mfa: Option<bool>,
    /// Only known source addresses may connect.
    pub source_restricted: Option<bool>,
    /// Sessions are recorded.
    pub session_recording: Option<bool>,
    /// The connection point is approved (NET-005).
    pub approved: Option<bool>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub loc: Loc,
}

/// Where logs are kept, for how long, and from which devices.
#[derive(Clone, Debug, PartialEq)]
pub struct LogSink {
    pub id: String,
    pub host: Option<At<String>>,
    pub retention_days: Option<At<u64>>,
    /// The logs feed a security operations centre.
    pub soc: Option<bool>,
    /// Ids of the hosts, firewalls and gateways that send their logs here.
    pub sources: Vec<At<String>>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub loc: Loc,
}

/// Monitoring of illicit communication (IDS, NDR, a SOC feed) over a part of the network.
#[derive(Clone, Debug, PartialEq)]
pub struct Monitor {
    pub id: String,
    pub kind: MonitorKind,
    pub covers: Vec<At<Selector>>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub loc: Loc,
}
