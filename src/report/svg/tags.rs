//! Small labels on lines: the numbers of the findings whose path runs along a red line (the
//! numbers of the report's findings section) and the numbers of declared data flows. A tag
//! goes at the first spot along its line, from the middle outwards, where it covers no box, no
//! label and no other tag; so a tag never hides what it labels.

use super::geometry::Rect;
use super::labels::measure;
use super::route::Point;
use crate::report::html::escape::text as esc;
use std::fmt::Write;

/// Font size of a tag's text, in pixels.
const FONT: i64 = 11;
const HEIGHT: i64 = 16;

pub(super) struct Tags {
    /// Everything a tag must not cover: boxes, labels, tags placed so far.
    taken: Vec<Rect>,
    pub(super) out: String,
}

impl Tags {
    pub(super) fn new(taken: Vec<Rect>) -> Tags {
        Tags {
            taken,
            out: String::new(),
        }
    }

    /// Everything taken so far: the boxes and labels given, and the tags placed.
    pub(super) fn taken(&self) -> &[Rect] {
        &self.taken
    }

    /// Places a tag saying `text` on a line; `class` styles it (`sv-tag-finding`,
    /// `sv-tag-flow`) and `data` is written into its group as attributes.
    pub(super) fn place(&mut self, course: &[Point], text: &str, class: &str, data: &str) {
        let w = measure(text) as i64 * FONT / 10 + 8;
        let free = |r: &Rect| !self.taken.iter().any(|t| overlaps(t, r));
        let at = |(x, y): Point| Rect {
            x: x - w / 2,
            y: y - HEIGHT / 2,
            w,
            h: HEIGHT,
        };
        // On the line first, then nudged off it (a line in a narrow gap between boxes leaves
        // no room on it), the corners of the course last.
        let mut spots = spots(course);
        spots.extend(course.iter().copied());
        let (dx, dy) = (w / 2 + 4, HEIGHT / 2 + 2);
        // Nearest nudges first.
        let mut nudges: Vec<(i64, i64)> = Vec::new();
        for ky in [0, -1, 1, -2, 2, -3, 3, -4, 4] {
            for kx in [0, 1, -1, 2, -2] {
                nudges.push((kx * dx, ky * dy));
            }
        }
        let r = nudges
            .iter()
            .flat_map(|&(ox, oy)| spots.iter().map(move |&(x, y)| (x + ox, y + oy)))
            .map(at)
            .find(|r| free(r))
            // Nowhere free (cannot happen with the layout's gaps): at the middle, visible.
            .unwrap_or_else(|| at(spots[0]));
        self.taken.push(r);
        let _ = writeln!(
            self.out,
            "<g class=\"tag {class}\"{data}><rect class=\"sv-tag-box\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\"/><text class=\"sv-tag\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text></g>",
            r.x,
            r.y,
            r.w,
            r.h,
            r.cx(),
            r.y + 12,
            esc(text)
        );
    }
}

fn overlaps(a: &Rect, b: &Rect) -> bool {
    a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

/// Points along a course, from its middle outwards, in sixteenths of its length.
fn spots(course: &[Point]) -> Vec<Point> {
    let lengths: Vec<i64> = course
        .windows(2)
        .map(|w| (((w[1].0 - w[0].0).pow(2) + (w[1].1 - w[0].1).pow(2)) as f64).sqrt() as i64)
        .collect();
    let total: i64 = lengths.iter().sum();
    let point_at = |mut d: i64| -> Point {
        for (w, len) in course.windows(2).zip(&lengths) {
            if d <= *len && *len > 0 {
                return (
                    w[0].0 + (w[1].0 - w[0].0) * d / len,
                    w[0].1 + (w[1].1 - w[0].1) * d / len,
                );
            }
            d -= len;
        }
        course[course.len() - 1]
    };
    [8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14]
        .iter()
        .map(|k| point_at(total * k / 16))
        .collect()
}

/// Finding numbers as a short text: `#1–3 #7`.
pub(super) fn numbers(ns: &[usize]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < ns.len() {
        let mut j = i;
        while j + 1 < ns.len() && ns[j + 1] == ns[j] + 1 {
            j += 1;
        }
        parts.push(if j > i {
            format!("#{}–{}", ns[i], ns[j])
        } else {
            format!("#{}", ns[i])
        });
        i = j + 1;
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_of_numbers_are_shortened() {
        assert_eq!(numbers(&[1, 2, 3, 7]), "#1–3 #7");
        assert_eq!(numbers(&[4]), "#4");
        assert_eq!(numbers(&[2, 4, 5]), "#2 #4–5");
    }

    #[test]
    fn a_tag_avoids_what_is_taken() {
        let taken = vec![Rect {
            x: 40,
            y: 40,
            w: 40,
            h: 40,
        }];
        let mut tags = Tags::new(taken);
        tags.place(&[(0, 60), (200, 60)], "#1", "sv-tag-finding", "");
        tags.place(&[(0, 60), (200, 60)], "#2", "sv-tag-finding", "");
        assert_eq!(tags.taken.len(), 3);
        for (i, a) in tags.taken.iter().enumerate() {
            for b in &tags.taken[i + 1..] {
                assert!(!overlaps(a, b), "{a:?} {b:?}");
            }
        }
    }
}
