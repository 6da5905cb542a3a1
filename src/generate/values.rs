//! Small constructors of model values: located values, networks and services, all at
//! `Loc::default()` (a generated topology was never written anywhere).

use crate::model::*;
use crate::source::Loc;
use ipnet::Ipv4Net;
use std::net::Ipv4Addr;

pub(super) fn net(addr: u32, prefix_len: u8) -> Ipv4Net {
    Ipv4Net::new(Ipv4Addr::from(addr), prefix_len).expect("prefix length is at most 32")
}

pub(super) fn at<T>(value: T) -> At<T> {
    At::new(value, Loc::default())
}

/// Services as the format writes them, space-separated: `"tcp/53 udp/53"`, `"any"`.
pub(super) fn services(text: &str) -> Vec<Service> {
    text.split_whitespace()
        .map(|s| Service::parse(s).expect("a built-in service"))
        .collect()
}

pub(super) fn tcp(port: u16) -> Service {
    Service::Proto {
        proto: service::TCP,
        ports: service::PortRange {
            first: port,
            last: port,
        },
    }
}

pub(super) fn single(addr: u32) -> AddrRange {
    AddrRange {
        first: addr,
        last: addr,
    }
}
