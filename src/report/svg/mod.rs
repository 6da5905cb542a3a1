//! The topology diagram as SVG, laid out by sansou itself (`sansou graph --format svg`, and the
//! picture in the HTML report).
//!
//! The layout follows how municipal network diagrams are drawn: horizontal bands from top to
//! bottom for the internet side, the LGWAN tier, the My Number tier and the rest (management,
//! other), each holding its zones and their segments in a grid, so tens of segments stay
//! readable. Firewalls, gateways and external networks sit in the rows between the bands they
//! join; the prefecture's security cloud and the internet go on top. Hosts are not drawn one by
//! one (there can be hundreds): each segment box counts them, and a host with interfaces in
//! several segments is a dashed line between them, because such a host is a bridge.
//!
//! Everything is computed in integers and in input order, so the same topology gives the same
//! bytes. Every name from the input is escaped.
//!
//! One idea per file: [`bands`] places zones and segments in their tier bands, [`connectors`]
//! places firewalls, gateways and externals in the rows between them, [`layout`] stacks both
//! into one picture, [`route`] takes lines around the boxes they do not connect, [`edges`],
//! [`nodes`] and [`legend`] draw it, [`labels`] and [`texts`] fit names into boxes in full,
//! [`tags`] numbers the lines, [`views`] cuts a large design into zones, [`pages`] a tall picture into
//! A4 pages, and [`render`] writes the document.

mod bands;
mod connectors;
mod edges;
mod geometry;
mod labels;
mod layout;
mod legend;
mod marks;
mod nodes;
mod pages;
mod render;
mod route;
mod style;
mod tags;
mod texts;
mod views;

pub use marks::Marks;
pub use pages::{PAGE_H, render_pages};
pub use render::{Embedding, render};
pub use views::{LARGE, is_large, overview, zone_view};
