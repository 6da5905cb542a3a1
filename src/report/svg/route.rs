//! Lines that go around boxes. A line drawn through a box it does not connect reads as an
//! attachment that does not exist (a firewall seeming to reach into a My Number segment), so
//! every line is checked against every box: a line whose straight course is clear stays
//! straight; any other one is routed orthogonally, on a sparse grid made of the lanes beside
//! every box, by a shortest-path search that charges for bends.
//!
//! The grid holds, for every box, a lane on each side (in the gap between neighbouring boxes)
//! and its centre lines, plus the two end points' coordinates. A grid point inside a box is
//! blocked; since every box has its centre lines in the grid, a step between two neighbouring
//! free points cannot cross a box, so every route found is clear.

use super::geometry::Rect;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Distance of a lane from the box beside it: half of the narrowest gap between boxes.
const LANE: i64 = 5;
/// How close a line may pass a box it does not connect.
const CLEARANCE: i64 = 2;
/// What a bend costs, in pixels of length: few bends read better than a slightly shorter line.
const BEND: i64 = 40;

pub(super) type Point = (i64, i64);

/// Whether a point is inside a box grown by the clearance.
fn inside(r: &Rect, (x, y): Point) -> bool {
    r.x - CLEARANCE <= x
        && x <= r.x + r.w + CLEARANCE
        && r.y - CLEARANCE <= y
        && y <= r.y + r.h + CLEARANCE
}

/// Whether the segment from `a` to `b` passes through the box grown by the clearance
/// (Liang–Barsky clipping, in exact rational arithmetic on integers).
pub fn crosses(r: &Rect, a: Point, b: Point) -> bool {
    let (x0, y0, x1, y1) = (
        r.x - CLEARANCE,
        r.y - CLEARANCE,
        r.x + r.w + CLEARANCE,
        r.y + r.h + CLEARANCE,
    );
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    // The parameter interval [lo, hi] (as fractions num/den, den > 0) inside the box.
    let (mut lo_n, mut lo_d, mut hi_n, mut hi_d) = (0i128, 1i128, 1i128, 1i128);
    for (p, q) in [
        (-dx, a.0 - x0),
        (dx, x1 - a.0),
        (-dy, a.1 - y0),
        (dy, y1 - a.1),
    ] {
        let (p, q) = (p as i128, q as i128);
        if p == 0 {
            if q < 0 {
                return false;
            }
            continue;
        }
        // t = q / p; entering when p < 0, leaving when p > 0.
        let (n, d) = if p < 0 { (-q, -p) } else { (q, p) };
        if p < 0 {
            if n * lo_d > lo_n * d {
                (lo_n, lo_d) = (n, d);
            }
        } else if n * hi_d < hi_n * d {
            (hi_n, hi_d) = (n, d);
        }
    }
    // Touching in a single point is not crossing.
    lo_n * hi_d < hi_n * lo_d
}

/// The course of a line from `from` to `to` that passes through none of `obstacles`: the
/// straight line when it is clear, else an orthogonal route. The points include both ends;
/// `vertical` says whether the ends are on the top or bottom borders of their boxes (else on
/// the sides).
pub(super) fn route(from: Point, to: Point, vertical: bool, obstacles: &[Rect]) -> Vec<Point> {
    if !obstacles.iter().any(|r| crosses(r, from, to)) {
        return vec![from, to];
    }
    // Leave and enter the boxes square to their borders: a short stub out of each end, so no
    // route runs along the border of its own box.
    let stub = |p: Point, q: Point| -> Point {
        if vertical {
            (p.0, p.1 + LANE * (q.1 - p.1).signum())
        } else {
            (p.0 + LANE * (q.0 - p.0).signum(), p.1)
        }
    };
    let (out_from, into_to) = (stub(from, to), stub(to, from));
    let mut path = vec![from];
    path.extend(detour(out_from, into_to, obstacles));
    path.push(to);
    simplify(path)
}

/// An orthogonal course between two points outside every obstacle.
fn detour(from: Point, to: Point, obstacles: &[Rect]) -> Vec<Point> {
    // Search near the two ends first (the common case, and cheap on a large picture); then
    // everywhere.
    let near = |margin: i64| Rect {
        x: from.0.min(to.0) - margin,
        y: from.1.min(to.1) - margin,
        w: (from.0 - to.0).abs() + 2 * margin,
        h: (from.1 - to.1).abs() + 2 * margin,
    };
    for window in [Some(near(240)), None] {
        let local: Vec<Rect> = match window {
            Some(w) => obstacles
                .iter()
                .filter(|r| overlaps(r, &w))
                .copied()
                .collect(),
            None => obstacles.to_vec(),
        };
        if let Some(path) = search(from, to, &local) {
            return path;
        }
    }
    // Boxed in on every side (cannot happen with the layout's gaps): a straight line rather
    // than nothing.
    vec![from, to]
}

fn overlaps(a: &Rect, b: &Rect) -> bool {
    a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

/// A* over the sparse grid; the state is a grid point and the direction it was entered from.
fn search(from: Point, to: Point, obstacles: &[Rect]) -> Option<Vec<Point>> {
    let mut xs = vec![from.0, to.0];
    let mut ys = vec![from.1, to.1];
    for r in obstacles {
        xs.extend([r.x - LANE, r.cx(), r.x + r.w + LANE]);
        ys.extend([r.y - LANE, r.cy(), r.y + r.h + LANE]);
    }
    xs.sort_unstable();
    xs.dedup();
    ys.sort_unstable();
    ys.dedup();
    let (nx, ny) = (xs.len(), ys.len());
    let mut blocked = vec![false; nx * ny];
    for r in obstacles {
        let (x0, x1) = (
            xs.partition_point(|&x| x < r.x - CLEARANCE),
            xs.partition_point(|&x| x <= r.x + r.w + CLEARANCE),
        );
        let (y0, y1) = (
            ys.partition_point(|&y| y < r.y - CLEARANCE),
            ys.partition_point(|&y| y <= r.y + r.h + CLEARANCE),
        );
        for j in y0..y1 {
            for i in x0..x1 {
                blocked[j * nx + i] = true;
            }
        }
    }
    let at = |p: Point| -> usize {
        let i = xs.binary_search(&p.0).expect("an end is on the grid");
        let j = ys.binary_search(&p.1).expect("an end is on the grid");
        j * nx + i
    };
    let (start, goal) = (at(from), at(to));
    // The ends sit on their own boxes' borders, which are not obstacles; never block them.
    blocked[start] = false;
    blocked[goal] = false;
    debug_assert!(!obstacles.iter().any(|r| inside(r, from) || inside(r, to)));

    let point = |n: usize| (xs[n % nx], ys[n / nx]);
    let h = |n: usize| {
        let (x, y) = point(n);
        (x - to.0).abs() + (y - to.1).abs()
    };
    // Directions: 0 right, 1 left, 2 down, 3 up; 4 for the start.
    let mut best = vec![i64::MAX; nx * ny * 5];
    let mut prev: Vec<usize> = vec![usize::MAX; nx * ny * 5];
    let mut heap = BinaryHeap::new();
    best[start * 5 + 4] = 0;
    heap.push(Reverse((h(start), 0i64, start, 4usize)));
    while let Some(Reverse((_, g, n, dir))) = heap.pop() {
        if g > best[n * 5 + dir] {
            continue;
        }
        if n == goal {
            let mut path = vec![point(n)];
            let mut state = n * 5 + dir;
            while prev[state] != usize::MAX {
                state = prev[state];
                path.push(point(state / 5));
            }
            path.reverse();
            return Some(simplify(path));
        }
        let (i, j) = (n % nx, n / nx);
        let steps = [
            (i + 1 < nx).then(|| n + 1),
            (i > 0).then(|| n - 1),
            (j + 1 < ny).then(|| n + nx),
            (j > 0).then(|| n - nx),
        ];
        for (d, next) in steps.into_iter().enumerate() {
            let Some(m) = next else { continue };
            if blocked[m] {
                continue;
            }
            let (a, b) = (point(n), point(m));
            let step = (a.0 - b.0).abs() + (a.1 - b.1).abs();
            let bend = if dir != 4 && dir != d { BEND } else { 0 };
            let cost = g + step + bend;
            if cost < best[m * 5 + d] {
                best[m * 5 + d] = cost;
                prev[m * 5 + d] = n * 5 + dir;
                heap.push(Reverse((cost + h(m), cost, m, d)));
            }
        }
    }
    None
}

/// Drops the points in the middle of straight runs, keeping the corners.
fn simplify(path: Vec<Point>) -> Vec<Point> {
    let mut out: Vec<Point> = Vec::with_capacity(path.len());
    for p in path {
        if out.len() >= 2 {
            let (a, b) = (out[out.len() - 2], out[out.len() - 1]);
            let collinear = (a.0 == b.0 && b.0 == p.0) || (a.1 == b.1 && b.1 == p.1);
            if collinear {
                out.pop();
            }
        }
        if out.last() != Some(&p) {
            out.push(p);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(x: i64, y: i64, w: i64, h: i64) -> Rect {
        Rect { x, y, w, h }
    }

    #[test]
    fn a_clear_line_stays_straight() {
        let wall = rect(100, 0, 20, 20);
        assert_eq!(
            route((0, 50), (200, 50), false, &[wall]),
            vec![(0, 50), (200, 50)]
        );
    }

    #[test]
    fn a_blocked_line_goes_around_the_box() {
        let wall = rect(80, 20, 40, 60);
        let path = route((0, 50), (200, 50), false, &[wall]);
        assert!(path.len() > 2, "{path:?}");
        assert_eq!((path[0], *path.last().unwrap()), ((0, 50), (200, 50)));
        for w in path.windows(2) {
            assert!(!crosses(&wall, w[0], w[1]), "{path:?}");
            assert!(w[0].0 == w[1].0 || w[0].1 == w[1].1, "orthogonal: {path:?}");
        }
    }

    #[test]
    fn crossing_is_exact() {
        let r = rect(10, 10, 10, 10);
        assert!(crosses(&r, (0, 0), (30, 30)));
        assert!(crosses(&r, (15, 0), (15, 30)));
        assert!(!crosses(&r, (0, 30), (30, 30)));
        assert!(!crosses(&r, (0, 0), (5, 5)));
        // Passing a corner diagonally, outside the clearance.
        assert!(!crosses(&r, (0, 20), (10, 40)));
    }
}
