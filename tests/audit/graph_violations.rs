//! `graph --format svg` draws violating paths when given a policy, and its legend says so when
//! it was not: a legend never promises red lines the picture cannot have.

use crate::common;

use common::sansou;

const TOPO: &str = "tests/fixtures/report/escaping/topology.toml";
const POLICY: &str = "tests/fixtures/report/escaping/policy.toml";

fn red_edges(svg: &str) -> usize {
    svg.matches("data-violation=\"true\"").count()
}

#[test]
fn without_a_policy_the_legend_says_violations_are_not_drawn() {
    let o = sansou(&["graph", TOPO, "--format", "svg"]);
    assert_eq!(o.status.code(), Some(0));
    let svg = String::from_utf8(o.stdout).unwrap();
    assert_eq!(red_edges(&svg), 0);
    assert!(svg.contains("violations not drawn (--policy)"));
    let o = sansou(&["graph", TOPO, "--format", "svg", "--lang", "ja"]);
    let svg = String::from_utf8(o.stdout).unwrap();
    assert!(svg.contains("違反経路: 未描画 (--policy)"));
}

#[test]
fn with_a_policy_the_violating_path_is_red_as_in_the_report() {
    let o = sansou(&["graph", TOPO, "--format", "svg", "--policy", POLICY]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let svg = String::from_utf8(o.stdout).unwrap();
    // The standing IN-001 path of the fixture: lg-servers → fw-lg-maint → isp.
    assert_eq!(red_edges(&svg), 2, "{svg}");
    assert!(svg.contains("violating path (deny finding;"));
    assert!(!svg.contains("not drawn"));
}

#[test]
fn a_policy_with_another_format_is_a_usage_error() {
    let o = sansou(&["graph", TOPO, "--format", "dot", "--policy", POLICY]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--format svg only"));
}
