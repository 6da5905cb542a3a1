//! Property tests of TESTING.md's promise: bad input of any kind never panics and always gives
//! a located error. Every loader (topology TOML and JSON, policy, the importers' mapping file)
//! and every importer is fed
//!
//! - arbitrary text (any Unicode, and arbitrary bytes read lossily, as the loader reads files),
//! - structured documents built from the format's own sections, keys and typical values, made
//!   certainly invalid by one ingredient (an unknown key, a wrong format number, a missing
//!   `format`, a section of the wrong type), and
//! - the same documents cut at an arbitrary byte (truncated files).
//!
//! The checks are the fuzz targets' own (`fuzz/src/lib.rs`), so what the fuzzers promise is
//! what `cargo test` keeps.

#[path = "../../fuzz/src/lib.rs"]
mod harness;

use harness::Vendor;
use proptest::prelude::*;
use sansou::load::Syntax;

/// A value of a document: what TOML and JSON have in common.
#[derive(Clone, Debug)]
enum Val {
    Str(String),
    Int(i64),
    Bool(bool),
    Arr(Vec<Val>),
    Table(Vec<(String, Val)>),
}

/// The one ingredient that makes a generated document certainly invalid.
#[derive(Clone, Copy, Debug)]
enum Poison {
    UnknownTopLevelKey,
    WrongFormat,
    NoFormat,
    SectionNotATable,
}

#[derive(Clone, Debug)]
struct Document {
    sections: Vec<(&'static str, Vec<(String, Val)>)>,
    poison: Poison,
}

const TOPOLOGY_SECTIONS: &[&str] = &[
    "zone", "external", "segment", "host", "store", "firewall", "gateway", "account", "flow",
];
const POLICY_SECTIONS: &[&str] = &["matrix", "assert", "exception"];

/// Keys of format 1 (and near misses), so tables get past "unknown key" often enough to reach
/// the decoders and whole-topology checks.
const KEYS: &[&str] = &[
    "id",
    "tier",
    "kind",
    "zone",
    "cidr",
    "cidrs",
    "segment",
    "ip",
    "count",
    "services",
    "from",
    "to",
    "action",
    "interfaces",
    "default",
    "rule",
    "filter",
    "name",
    "external",
    "host",
    "service",
    "data",
    "readers",
    "privilege",
    "admin_on",
    "logs_on_to",
    "groups",
    "method",
    "in",
    "out",
    "interface",
    "direction",
    "stateful",
    "rule",
    "expect",
    "via",
    "allow",
    "subject",
    "reason",
    "approved_by",
    "expires",
    "except_from",
    "copied_from",
    "segmnet",
];

/// Values that mean something somewhere in the format, and values that break things.
const WORDS: &[&str] = &[
    "mn",
    "lg",
    "inet",
    "mn-office",
    "lg-office",
    "mn-pc",
    "mn-db",
    "fw",
    "internet",
    "lgwan",
    "mynumber",
    "terminal",
    "server",
    "database",
    "allow",
    "deny",
    "in",
    "out",
    "port1",
    "10.1.0.0/24",
    "10.1.0.5",
    "10.1.0.0/25",
    "10.1.0.10-10.1.0.40",
    "0.0.0.0/0",
    "10.1.0.5/24",
    "::1",
    "tcp/445",
    "udp/500-510",
    "tcp/70000",
    "icmp",
    "any",
    "ip/300",
    "host:mn-pc",
    "zone:nowhere",
    "segment:mn-office",
    "tier:lgwan",
    "external:internet",
    "channel:screen",
    "kind:terminal",
    "data:my-number",
    "store:juki-db",
    "everyone",
    "group:",
    "account:x",
    "my-number",
    "basic-4",
    "no-path",
    "only-via",
    "MN-001",
    "NET-007",
    "2027-03-31",
    "alpha",
    "",
    " ",
    "名前\"引用\"",
    "back\\slash",
    "line\nbreak",
    "\u{0}",
    "\u{feff}",
    "a:b/c",
];

fn val(depth: u32) -> BoxedStrategy<Val> {
    let leaf = prop_oneof![
        4 => prop::sample::select(WORDS).prop_map(|w| Val::Str(w.to_string())),
        1 => any::<String>().prop_map(Val::Str),
        2 => prop_oneof![Just(0i64), Just(1), Just(-1), Just(i64::MAX), Just(i64::MIN), any::<i64>()]
            .prop_map(Val::Int),
        1 => any::<bool>().prop_map(Val::Bool),
    ];
    if depth == 0 {
        return leaf.boxed();
    }
    prop_oneof![
        6 => leaf,
        2 => prop::collection::vec(val(depth - 1), 0..4).prop_map(Val::Arr),
        1 => table(depth - 1).prop_map(Val::Table),
    ]
    .boxed()
}

fn table(depth: u32) -> impl Strategy<Value = Vec<(String, Val)>> {
    prop::collection::vec(
        (
            prop::sample::select(KEYS).prop_map(str::to_string),
            val(depth),
        ),
        0..6,
    )
}

fn document(sections: &'static [&'static str]) -> impl Strategy<Value = Document> {
    let poison = prop_oneof![
        Just(Poison::UnknownTopLevelKey),
        Just(Poison::WrongFormat),
        Just(Poison::NoFormat),
        Just(Poison::SectionNotATable),
    ];
    (
        prop::collection::vec((prop::sample::select(sections), table(2)), 0..8),
        poison,
    )
        .prop_map(|(sections, poison)| Document { sections, poison })
}

/// A string literal both TOML and JSON read back as `s`.
fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04X}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn toml_value(v: &Val) -> String {
    match v {
        Val::Str(s) => quote(s),
        Val::Int(n) => n.to_string(),
        Val::Bool(b) => b.to_string(),
        Val::Arr(items) => {
            let items: Vec<String> = items.iter().map(toml_value).collect();
            format!("[{}]", items.join(", "))
        }
        Val::Table(entries) => {
            let entries: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("{} = {}", quote(k), toml_value(v)))
                .collect();
            format!("{{ {} }}", entries.join(", "))
        }
    }
}

fn json_value(v: &Val) -> String {
    match v {
        Val::Str(s) => quote(s),
        Val::Int(n) => n.to_string(),
        Val::Bool(b) => b.to_string(),
        Val::Arr(items) => {
            let items: Vec<String> = items.iter().map(json_value).collect();
            format!("[{}]", items.join(", "))
        }
        Val::Table(entries) => {
            let entries: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("{}: {}", quote(k), json_value(v)))
                .collect();
            format!("{{{}}}", entries.join(", "))
        }
    }
}

/// The top-level keys a poison adds before the sections.
fn poison_keys(poison: Poison) -> Vec<(&'static str, Val)> {
    match poison {
        Poison::UnknownTopLevelKey => {
            vec![("format", Val::Int(1)), ("zz_unknown", Val::Bool(true))]
        }
        Poison::WrongFormat => vec![("format", Val::Int(2))],
        Poison::NoFormat => vec![],
        // `format = 1` is right; a top-level section given as a string is not.
        Poison::SectionNotATable => vec![("format", Val::Int(1)), ("zone", Val::Str("mn".into()))],
    }
}

fn to_toml(doc: &Document) -> String {
    let mut out = String::new();
    for (k, v) in poison_keys(doc.poison) {
        out.push_str(&format!("{k} = {}\n", toml_value(&v)));
    }
    for (name, entries) in &doc.sections {
        out.push_str(&format!("\n[[{name}]]\n"));
        for (k, v) in entries {
            out.push_str(&format!("{} = {}\n", quote(k), toml_value(v)));
        }
    }
    out
}

fn to_json(doc: &Document) -> String {
    let mut top: Vec<(String, Val)> = poison_keys(doc.poison)
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    // Sections of one name become one array, in order of first appearance.
    for (name, entries) in &doc.sections {
        let table = Val::Table(entries.clone());
        match top.iter_mut().find(|(k, _)| k == name) {
            Some((_, Val::Arr(items))) => items.push(table),
            _ => top.push((name.to_string(), Val::Arr(vec![table]))),
        }
    }
    json_value(&Val::Table(top))
}

/// Cuts `text` at about `fraction` of its length, on a character boundary.
fn truncate(text: &str, fraction: f64) -> &str {
    let mut at = ((text.len() as f64) * fraction) as usize;
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    &text[..at]
}

/// Lines of each vendor's configuration language, to be shuffled and mutated: enough structure
/// to get the importers past their first line, and the corner cases they must survive.
fn vendor_lines(vendor: Vendor) -> &'static [&'static str] {
    match vendor {
        Vendor::FortiGate => &[
            "config system interface",
            "config router static",
            "    edit 1",
            "        set dst 10.9.0.0 255.255.0.0",
            "        set gateway 10.1.0.254",
            "        set device \"port1\"",
            "        set blackhole enable",
            "        set distance 300",
            "        set dst 10.0.0.0 255.0.255.0",
            "config router ospf",
            "        edit 0.0.0.0",
            "    edit \"port1\"",
            "        set ip 10.1.0.1 255.255.255.0",
            "    next",
            "end",
            "config firewall address",
            "    edit \"pc\"",
            "        set subnet 10.1.0.0 255.255.255.0",
            "        set type iprange",
            "        set start-ip 10.1.0.10",
            "        set end-ip 10.1.0.5",
            "config firewall addrgrp",
            "    edit \"grp\"",
            "        set member \"pc\" \"grp\"",
            "config firewall service custom",
            "    edit \"svc\"",
            "        set tcp-portrange 445 70000-1 1:2:3",
            "config firewall policy",
            "    edit 1",
            "    edit 99999999999999999999",
            "        set srcintf \"port1\"",
            "        set dstintf \"wan1\" \"nowhere\"",
            "        set srcaddr \"all\"",
            "        set dstaddr \"pc\"",
            "        set service \"ALL\" \"svc\"",
            "        set action accept",
            "        set status disable",
            "        set schedule \"always\"",
            "        set schedule \"office-hours\"",
            "        set groups \"staff\"",
            "        set type fqdn",
            "        set fqdn \"x.example\"",
            "        set type dynamic",
            "        unset icmptype",
            "        unset",
            "config firewall vip",
            "    edit \"web\"",
            "        set extip 203.0.113.10-203.0.113.17",
            "        set mappedip \"10.1.0.5\" \"10.1.0.8-10.1.0.1\"",
            "        set extintf \"port1\"",
            "        set portforward enable",
            "        set extport 8443-8000",
            "        set mappedport 0",
            "        set protocol sctp",
            "        set type load-balance",
            "config firewall ippool",
            "    edit \"pool\"",
            "        set startip 203.0.113.64",
            "        set endip 203.0.113.1",
            "        set nat enable",
            "        set ippool enable",
            "        set poolname \"pool\" \"none\"",
            "config firewall policy6",
            "        set password ENC secret",
            "config vdom",
            "edit root",
            "\"",
            "set",
            "",
        ],
        Vendor::Iptables => &[
            "*filter",
            "*nat",
            ":INPUT ACCEPT [0:0]",
            ":FORWARD DROP [0:0]",
            ":USER - [0:0]",
            "-A FORWARD -i eth0 -o eth1 -s 10.1.0.0/24 -d 10.2.0.5 -p tcp --dport 445 -j ACCEPT",
            "-A FORWARD -m state --state ESTABLISHED,RELATED -j ACCEPT",
            "-A FORWARD -m conntrack --ctstate ESTABLISHED -j ACCEPT",
            "-A FORWARD -j USER",
            "-A USER -j USER",
            "-A USER -p udp --dport 70000:1 -j DROP",
            "-A FORWARD ! -s 10.0.0.0/8 -p tcp -m multiport --dports 1,2,3:4 -j REJECT",
            "-A FORWARD -s 300.1.1.1 -j ACCEPT",
            "-A FORWARD -p icmp -j RETURN",
            "-A NOPE -j ACCEPT",
            "*raw",
            "*mangle",
            ":PREROUTING ACCEPT [0:0]",
            "-A PREROUTING -d 172.17.0.2/32 ! -i docker0 -j DROP",
            "-A PREROUTING -j MARK --set-xmark 0x1/0xffffffff",
            "-A PREROUTING -j ACCEPT",
            "-A DOCKER -p tcp --dport 8443 -j DNAT --to-destination 172.17.0.2:443",
            ":POSTROUTING ACCEPT [0:0]",
            "-A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 10.0.0.5:99999",
            "-A PREROUTING -d 0.0.0.1-255.255.255.254 -j DNAT --to-destination 10.0.0.9-10.0.0.1:1-2",
            "-A PREROUTING -p tcp -j REDIRECT --to-ports 3128",
            "-A POSTROUTING -o eth0 -j SNAT --to-source 1.2.3.9-1.2.3.1",
            "-A POSTROUTING -o eth0 -j MASQUERADE",
            "-A POSTROUTING -j SNAT",
            "-A PREROUTING -j NETMAP --to 10.0.0.0/8",
            "-A FORWARD -m mark --mark 0x1 -j DROP",
            "-A FORWARD -m set --match-set blocklist src -j DROP",
            "-A FORWARD -m set ! --match-set allow dst,dst -j ACCEPT",
            "-A FORWARD -j CT --notrack",
            "-P FORWARD ACCEPT",
            "-N NEW",
            "COMMIT",
            "# comment",
            "-A",
            "\"",
            "",
        ],
        Vendor::CiscoIos => &[
            "hostname r1",
            "ip route 0.0.0.0 0.0.0.0 10.1.0.254",
            "ip route 10.9.0.0 255.255.0.0 Null0",
            "ip route vrf X 0.0.0.0 0.0.0.0 10.1.0.1",
            "ip route 10.0.0.0 255.0.255.0 GigabitEthernet0/0 250 name n",
            "router ospf 1",
            "interface GigabitEthernet0/0",
            " ip address 10.1.0.1 255.255.255.0",
            " ip access-group 101 in",
            " ip access-group NAMED out",
            " shutdown",
            "!",
            "interface GigabitEthernet0/1",
            " ip address 10.2.0.1 255.0.255.0",
            "access-list 101 permit tcp any host 10.2.0.5 eq 445",
            "access-list 101 deny ip 10.1.0.0 0.0.0.255 any log",
            "access-list 101 permit udp any range 70000 1 any",
            "access-list 1 permit 10.1.0.0",
            "ip access-list extended NAMED",
            " 10 permit tcp any any eq www established",
            " permit icmp any any echo",
            " deny ip any any",
            " remark note",
            "object-group network G",
            " network-object host 10.1.0.5",
            " group-object G",
            "object-group service S",
            " service-object tcp destination eq 443",
            "ip inspect name FW tcp",
            " ip inspect FW in",
            " zone-member security IN",
            "zone security IN",
            "zone-pair security P source IN destination OUT",
            " service-policy type inspect PM",
            "zone-pair security Q source self destination IN",
            "class-map type inspect match-any CM",
            " match access-group name NAMED",
            " match protocol http",
            " match class-map CM",
            " match user-group x",
            "policy-map type inspect PM",
            " class type inspect CM",
            "  inspect",
            "  drop log",
            " class class-default",
            "  pass",
            "ip port-map http port tcp 8080 list 1",
            " ip nat inside",
            " ip nat outside",
            " ip nat enable",
            "ip nat pool P 203.0.113.9 203.0.113.1 netmask 255.0.255.0",
            "ip nat inside source list 1 pool P overload",
            "ip nat inside source list NAMED interface GigabitEthernet0/0 overload",
            "ip nat inside source static tcp 10.1.0.5 99999 interface GigabitEthernet0/0 80",
            "ip nat inside source static network 10.0.0.0 198.51.100.0 /33",
            "ip nat inside source static 10.1.0.5 203.0.113.5 route-map RM vrf",
            "ip nat outside source static 1.1.1.1 2.2.2.2",
            "ip nat",
            "enable secret 5 xyz",
            "snmp-server community public RO",
            "end",
            "\"",
            "",
        ],
        Vendor::CiscoAsa => &[
            "ASA Version 9.8(4)",
            "route outside 0.0.0.0 0.0.0.0 203.0.113.1 1",
            "route null0 10.0.0.0 255.0.0.0",
            "route inside 10.0.0.0 255.0.0.0 gw tunneled track 1",
            "hostname asa",
            "enable password 8Ry2YjIyt7RRXU24 encrypted",
            "names",
            "name 10.9.0.10 websrv",
            "interface GigabitEthernet0/0",
            " nameif outside",
            " security-level 0",
            " ip address 203.0.113.2 255.255.255.0",
            "interface GigabitEthernet0/1",
            " nameif inside",
            " security-level 200",
            " ip address 10.1.0.1 255.0.255.0",
            " management-only",
            "same-security-traffic permit inter-interface",
            "object network WEB",
            " host 10.9.0.10",
            " subnet 10.9.0.0 255.255.255.0",
            " range 10.9.0.20 10.9.0.1",
            " fqdn v4 www.example.com",
            " nat (dmz,outside) static 203.0.113.10",
            "object service HTTPS",
            " service tcp destination eq https",
            " service tcp source range 70000 1",
            "object-group network SERVERS",
            " network-object object WEB",
            " network-object host websrv",
            " group-object SERVERS",
            "object-group service PORTS tcp",
            " port-object eq www",
            " port-object range 8000 8080",
            "object-group service MIXED",
            " service-object object HTTPS",
            " service-object icmp echo",
            "object-group protocol PROTOS",
            " protocol-object udp",
            "access-list IN extended permit tcp any object WEB eq https",
            "access-list IN extended permit tcp any object-group SERVERS object-group PORTS",
            "access-list IN extended permit object-group MIXED any any log",
            "access-list IN extended deny ip any any time-range NIGHT",
            "access-list IN extended permit tcp host 10.1.1.1 any eq 99999",
            "access-list IN line 1 extended permit icmp any any echo-reply inactive",
            "access-list IN remark note",
            "access-group IN in interface outside",
            "access-group IN out interface inside",
            "access-group IN global",
            "nat (inside,outside) source dynamic any interface",
            " nat (inside,outside) static 203.0.113.10 service tcp www 99999",
            " nat (inside,outside) dynamic interface",
            " nat inside",
            "nat (inside,outside) after-auto source dynamic WEB pat-pool SERVERS",
            "nat (any,outside) source static WEB WEB destination static SERVERS any service HTTPS HTTPS",
            "nat (inside,outside) line",
            "nat (inside,outside) source static any",
            "route outside 0.0.0.0 0.0.0.0 203.0.113.1",
            "tunnel-group 198.51.100.1 ipsec-attributes",
            " ikev1 pre-shared-key secretkey",
            ": end",
            "\"",
            "",
        ],
        Vendor::YamahaRtx => &[
            "ip lan1 address 10.1.0.1/24",
            "ip route default gateway pp 1",
            "ip route 10.0.0.0/8 gateway 10.1.0.254 gateway null filter 1",
            "ip route 10.9.0.0/33 gateway",
            "ip route 10.8.0.0/255.255.0.0 gateway tunnel 1 hide",
            "ospf use on",
            "ip lan2 address 10.2.0.1/33",
            "ip filter 100 pass * * tcp * 445",
            "ip filter 101 reject 10.1.0.0/24 * * * *",
            "ip filter 102 pass-log 10.1.0.5-10.1.0.1 10.2.0.0/24 udp 1024-70000 53",
            "ip filter 103 restrict * * established",
            "ip filter dynamic 200 * * ftp",
            "ip lan1 secure filter in 100 101 dynamic 200",
            "ip lan2 secure filter out 999",
            "ip filter 100 pass * *",
            "login password secret",
            "administrator password secret",
            "ip route default gateway 10.1.0.254",
            "ip lan2 nat descriptor 1 2 reverse 3",
            "nat descriptor type 1 masquerade",
            "nat descriptor type 2 nat-masquerade",
            "nat descriptor address outer 1 primary",
            "nat descriptor address outer 2 10.2.0.9-10.2.0.1",
            "nat descriptor address inner 1 auto 10.1.0.0/33",
            "nat descriptor static 2 1 10.2.0.4=10.1.0.4 0",
            "nat descriptor masquerade static 1 1 10.1.0.5 tcp 99999=www",
            "nat descriptor masquerade static 1 2 10.1.0.6 esp",
            "nat descriptor masquerade incoming 1 forward 10.1.0.7",
            "nat descriptor masquerade incoming 2 through",
            "nat descriptor timer 1 60",
            "embedded file 1 <<EOF",
            "EOF",
            "ip filter 104 pass * host.example tcp * www",
            "ip lan1 secure filter in 100 101 102 103 104 100 101 102 103 104 100 101 102 10",
            "3 dynamic 200",
            "#",
            "\"",
            "",
        ],
        Vendor::PaloAlto => &[
            "<?xml version=\"1.0\"?>",
            "<config version=\"10.2.0\"><devices><entry name=\"localhost.localdomain\">",
            "</entry></devices></config>",
            "<network><interface><ethernet>",
            "</ethernet></interface>",
            "<entry name=\"ethernet1/1\"><layer3><ip><entry name=\"10.1.0.1/24\"/></ip></layer3></entry>",
            "<entry name=\"ethernet1/2\"><layer3><units><entry name=\"ethernet1/2.5\"><ip><entry name=\"10.2.0.1/33\"/></ip></entry></units><dhcp-client/></layer3></entry>",
            "<virtual-router><entry name=\"default\"><interface><member>ethernet1/1</member><member>ethernet1/2</member></interface>",
            "<routing-table><ip><static-route><entry name=\"r\"><nexthop><ip-address>10.1.0.254</ip-address></nexthop><destination>0.0.0.0/0</destination></entry></static-route></ip></routing-table>",
            "<protocol><ospf><enable>yes</enable></ospf></protocol></entry></virtual-router></network>",
            "<vsys><entry name=\"vsys1\">",
            "</entry></vsys>",
            "<zone><entry name=\"trust\"><network><layer3><member>ethernet1/1</member></layer3></network></entry><entry name=\"untrust\"><network><layer3><member>ethernet1/2</member></layer3></network></entry></zone>",
            "<address><entry name=\"a\"><ip-netmask>10.1.0.5</ip-netmask></entry><entry name=\"f\"><fqdn>x.example</fqdn></entry><entry name=\"r\"><ip-range>10.1.0.9-10.1.0.1</ip-range></entry><entry name=\"w\"><ip-wildcard>10.0.0.1/0.0.255.0</ip-wildcard></entry></address>",
            "<address-group><entry name=\"g\"><static><member>a</member><member>g</member></static></entry><entry name=\"d\"><dynamic><filter>'t'</filter></dynamic></entry></address-group>",
            "<service><entry name=\"s\"><protocol><tcp><port>80,70000-1</port><source-port>1</source-port></tcp></protocol></entry></service>",
            "<service-group><entry name=\"sg\"><members><member>s</member><member>sg</member></members></entry></service-group>",
            "<rulebase><security><rules>",
            "</rules></security></rulebase>",
            "<entry name=\"r1\" uuid=\"u\"><from><member>trust</member></from><to><member>any</member></to><source><member>g</member></source><destination><member>f</member></destination><application><member>web-browsing</member></application><service><member>application-default</member></service><action>allow</action></entry>",
            "<entry name=\"r2\"><from><member>any</member></from><to><member>nowhere</member></to><source><member>d</member></source><destination><member>10.9.0.0/16</member></destination><negate-destination>yes</negate-destination><service><member>sg</member></service><action>reset-both</action><rule-type>interzone</rule-type></entry>",
            "<entry name=\"r3\"><action>bogus</action><disabled>yes</disabled></entry>",
            "<nat><rules><entry name=\"n\"><destination-translation><translated-address>a</translated-address><translated-port>99999</translated-port></destination-translation><from><member>any</member></from><destination><member>10.9.9.9</member></destination></entry></rules></nat>",
            "<mgt-config><users><entry name=\"admin\"><phash>secret</phash></entry></users></mgt-config>",
            "&amp; &#99999999; &bogus; <![CDATA[x]]> <!-- c -->",
            "set deviceconfig system hostname fw",
            "</a>",
            "\"",
            "",
        ],
    }
}

/// A configuration: some of the vendor's lines in any order, with some numbers made huge or
/// negative and some lines cut short.
fn vendor_config(vendor: Vendor) -> impl Strategy<Value = String> {
    let lines = vendor_lines(vendor);
    prop::collection::vec((prop::sample::select(lines), 0u8..8, any::<u16>()), 0..40).prop_map(
        |picked| {
            let mut out = String::new();
            for (line, mutation, n) in picked {
                let line = match mutation {
                    0 => line.replace('1', "18446744073709551616"),
                    1 => line.replace(' ', "  "),
                    2 => truncate(line, f64::from(n) / 65536.0).to_string(),
                    3 => line.replace("10.", &format!("{n}.")),
                    _ => line.to_string(),
                };
                out.push_str(&line);
                out.push_str(if n % 7 == 0 { "\r\n" } else { "\n" });
            }
            out
        },
    )
}

/// `ip route` dumps made of realistic and broken lines (`import iptables --routes`).
fn route_dump() -> impl Strategy<Value = String> {
    const LINES: &[&str] = &[
        "default via 203.0.113.1 dev eth0 proto static metric 100",
        "10.1.0.0/24 dev eth1 proto kernel scope link src 10.1.0.1",
        "10.20.0.0/16 proto static",
        "\tnexthop via 10.8.0.2 dev eth2 weight 1",
        "\tnexthop",
        "blackhole 10.99.0.0/16",
        "throw 10.98.0.0/16",
        "local 10.1.0.1 dev eth1 table local proto kernel scope host src 10.1.0.1",
        "10.0.0.0/8 via 10.1.0.9 dev eth1 table 100",
        "10.0.0.0/33 via dev",
        "fe80::/64 dev eth0 proto kernel metric 256",
        "unreachable",
        "10.30.0.0/16 via 10.8.0.4 metric",
    ];
    prop::collection::vec(prop::sample::select(LINES), 0..20).prop_map(|l| l.join("\n"))
}

/// Every file of a fixture folder, read lossily as the loader reads files.
fn fixture_files(folder: &str) -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(folder);
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let text = String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned();
            (name, text)
        })
        .collect();
    files.sort();
    files
}

/// The malformed corpus and the loader fixtures go through the fuzz targets' checks too, so an
/// input a fuzzer once crashed on (kept in the corpus, TESTING.md) stays checked exactly as the
/// fuzzer checked it, beyond the exit code and message `tests/input/malformed.rs` pins.
#[test]
fn the_corpus_passes_the_fuzz_checks() {
    let syntax = |name: &str| {
        if name.ends_with(".json") {
            Syntax::Json
        } else {
            Syntax::Toml
        }
    };
    for folder in ["malformed/topology", "invalid", "valid"] {
        for (name, text) in fixture_files(folder) {
            harness::topology(&name, &text, syntax(&name));
        }
    }
    for folder in ["malformed/policy", "invalid-policy"] {
        for (name, text) in fixture_files(folder) {
            harness::policy(&name, &text, syntax(&name));
        }
    }
    for (name, text) in fixture_files("inventory") {
        if name.ends_with(".toml") {
            let _ = harness::ledger_columns(&name, &text);
        }
    }
    // The structured ledgers of the property test reach hosts, not only errors.
    let good = format!(
        "{}\npc-1,10.1.0.130,端末,1,市民課,,,,有,無\npc-2,10.1.0.131,端末,1,市民課,,,,有,無\n",
        harness::LEDGER_HEADER
    );
    let read = harness::ledger(good.as_bytes()).expect("a good ledger reads");
    assert_eq!(read.hosts.len(), 1, "two identical terminals group");
    let ledgers = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/inventory");
    for name in [
        "daicho.csv",
        "daicho-bom.csv",
        "daicho-sjis.csv",
        "daicho.xlsx",
        "errors.csv",
    ] {
        let _ = harness::ledger(&std::fs::read(ledgers.join(name)).unwrap());
    }
    for vendor in Vendor::ALL {
        for (name, text) in fixture_files(&format!("malformed/import/{}", vendor.name())) {
            if name.ends_with(".toml") {
                harness::mapping_file(&name, &text).expect("the corpus mappings are valid");
            } else {
                let _ = harness::import(vendor, &text);
            }
        }
    }
}

/// A ledger for [`harness::LEDGER_COLUMNS`]: its header (sometimes after a title row), then
/// rows of cells drawn from good and bad values (addresses in, out of and between segments,
/// duplicates, unknown words, quotes, commas and line breaks inside cells, Japanese), saved as
/// UTF-8, UTF-8 with a BOM, or Shift_JIS, with CRLF or LF.
fn ledger() -> impl Strategy<Value = Vec<u8>> {
    const CELLS: &[&str] = &[
        "pc-1",
        "pc-2",
        "pc-10",
        "mn-db",
        "fw1",
        "端末1",
        "",
        "10.1.0.130",
        "10.1.0.131",
        "10.1.0.132",
        "10.2.0.7",
        "10.2.0.8",
        "10.1.0.1",
        "10.1.0.200",
        "10.9.9.9",
        "999.1.1.1",
        "10.1.0.0/24",
        "端末",
        "terminal",
        "server",
        "プリンタ",
        "1",
        "2",
        "3",
        "市民課",
        "tcp/443",
        "tcp/99999",
        "tcp/443、udp/53",
        "mail",
        "web、mail",
        "SNS",
        "blocked",
        "allowed",
        "有",
        "無",
        "○",
        "たぶん",
        "# comment",
        "\"quoted, \"\"comma\"\"\"",
        "\"line\nbreak\"",
        "\"open",
        "18446744073709551616",
    ];
    // Most rows follow the columns (so whole ledgers read and group); some are any cells.
    const COLUMNS: [&[&str]; 10] = [
        &["pc-1", "pc-2", "pc-3", "pc-4", "mn-db", "fw1", "端末1", ""],
        &[
            "10.1.0.130",
            "10.1.0.131",
            "10.1.0.132",
            "10.2.0.7",
            "10.2.0.8",
            "10.1.0.200",
            "10.9.9.9",
            "999.1.1.1",
        ],
        &["端末", "terminal", "server", "プリンタ", ""],
        &["1", "2", "", "3"],
        &["市民課", "総務課", ""],
        &["", "tcp/443", "tcp/99999", "tcp/443、udp/53"],
        &["", "mail", "web、mail", "SNS"],
        &["", "blocked", "allowed", "たぶん"],
        &["", "有", "無", "○", "たぶん"],
        &["", "有", "無"],
    ];
    let structured = COLUMNS
        .map(|pool| prop::sample::select(pool).boxed())
        .to_vec()
        .prop_map(|cells| cells.to_vec());
    let any_cells = prop::collection::vec(prop::sample::select(CELLS), 0..12);
    let row = prop_oneof![4 => structured, 1 => any_cells];
    (
        any::<bool>(),
        prop::collection::vec(row, 0..20),
        0u8..3,
        any::<bool>(),
    )
        .prop_map(|(title, rows, encoding, crlf)| {
            let eol = if crlf { "\r\n" } else { "\n" };
            let mut text = String::new();
            if title {
                text.push_str("IPアドレス管理台帳,,");
                text.push_str(eol);
            }
            text.push_str(harness::LEDGER_HEADER);
            text.push_str(eol);
            for cells in rows {
                text.push_str(&cells.join(","));
                text.push_str(eol);
            }
            match encoding {
                0 => text.into_bytes(),
                1 => [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat(),
                _ => encoding_rs::SHIFT_JIS.encode(&text).0.into_owned(),
            }
        })
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 128,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        harness::topology("t.toml", &text, Syntax::Toml);
        harness::topology("t.json", &text, Syntax::Json);
        harness::policy("p.toml", &text, Syntax::Toml);
        harness::policy("p.json", &text, Syntax::Json);
        let _ = harness::mapping_file("map.toml", &text);
        for vendor in Vendor::ALL {
            let _ = harness::import(vendor, &text);
        }
        let _ = sansou::import::ip_route::parse("routes.txt", &text);
    }

    #[test]
    fn route_dumps_never_panic(text in route_dump()) {
        let _ = sansou::import::ip_route::parse("routes.txt", &text);
    }

    #[test]
    fn ledgers_never_panic(bytes in ledger()) {
        let _ = harness::ledger(&bytes);
    }

    #[test]
    fn arbitrary_ledgers_and_column_mappings_never_panic(
        bytes in prop::collection::vec(any::<u8>(), 0..512),
        text in any::<String>(),
    ) {
        let _ = harness::ledger(&bytes);
        // A zip header, so the workbook reader gets the bytes too.
        let _ = harness::ledger(&[&b"PK\x03\x04"[..], &bytes].concat());
        let _ = harness::ledger_columns("columns.toml", &text);
    }

    #[test]
    fn arbitrary_bytes_read_lossily_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let text = String::from_utf8_lossy(&bytes);
        harness::topology("t.toml", &text, Syntax::Toml);
        harness::topology("t.json", &text, Syntax::Json);
        harness::policy("p.toml", &text, Syntax::Toml);
        let _ = harness::mapping_file("map.toml", &text);
        for vendor in Vendor::ALL {
            let _ = harness::import(vendor, &text);
        }
    }

    #[test]
    fn invalid_topologies_always_give_a_located_error(
        doc in document(TOPOLOGY_SECTIONS),
        cut in 0.0f64..1.0,
    ) {
        for (name, text, syntax) in [
            ("t.toml", to_toml(&doc), Syntax::Toml),
            ("t.json", to_json(&doc), Syntax::Json),
        ] {
            let (sources, diags) = harness::topology(name, &text, syntax);
            prop_assert!(
                diags.has_errors(),
                "{:?} was accepted:\n{}\n{}",
                doc.poison,
                text,
                sansou::diag::render_all(&sources, &diags)
            );
            harness::topology(name, truncate(&text, cut), syntax);
        }
    }

    #[test]
    fn invalid_policies_always_give_a_located_error(
        doc in document(POLICY_SECTIONS),
        cut in 0.0f64..1.0,
    ) {
        for (name, text, syntax) in [
            ("p.toml", to_toml(&doc), Syntax::Toml),
            ("p.json", to_json(&doc), Syntax::Json),
        ] {
            let (_, diags) = harness::policy(name, &text, syntax);
            prop_assert!(diags.has_errors(), "{:?} was accepted:\n{}", doc.poison, text);
            harness::policy(name, truncate(&text, cut), syntax);
        }
    }

    #[test]
    fn fortigate_configs_never_panic(text in vendor_config(Vendor::FortiGate)) {
        let _ = harness::import(Vendor::FortiGate, &text);
    }

    #[test]
    fn iptables_configs_never_panic(text in vendor_config(Vendor::Iptables)) {
        let _ = harness::import(Vendor::Iptables, &text);
    }

    #[test]
    fn cisco_ios_configs_never_panic(text in vendor_config(Vendor::CiscoIos)) {
        let _ = harness::import(Vendor::CiscoIos, &text);
    }

    #[test]
    fn yamaha_rtx_configs_never_panic(text in vendor_config(Vendor::YamahaRtx)) {
        let _ = harness::import(Vendor::YamahaRtx, &text);
    }

    #[test]
    fn cisco_asa_configs_never_panic(text in vendor_config(Vendor::CiscoAsa)) {
        let _ = harness::import(Vendor::CiscoAsa, &text);
    }

    #[test]
    fn paloalto_configs_never_panic(text in vendor_config(Vendor::PaloAlto)) {
        let _ = harness::import(Vendor::PaloAlto, &text);
    }
}
