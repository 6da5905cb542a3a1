//! The HTML report in a real browser: headless Chromium loads the page (with its
//! Content-Security-Policy in force), takes a screenshot, and dumps the DOM it built, in which
//! the matrix, the findings and the diagram must be present, and no element from an input's
//! markup may exist.
//!
//! Without Chromium the tests are skipped with a `SKIPPED` line in `cargo test`'s output (not
//! only with `--nocapture`), except in CI (`CI` set), where a missing browser is a failure:
//! `.ci/run` installs it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

fn find_chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser"] {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// The browser, or `None` when the test `name` may be skipped.
///
/// libtest has no way for a test to skip itself at run time: a skipped test reads `ok`. So the
/// skip is said on the real stderr, past the test harness's capture (which takes only
/// `eprintln!`), where `cargo test` shows it next to the results without `--nocapture`.
fn chromium(name: &str) -> Option<PathBuf> {
    match find_chromium() {
        Some(p) => Some(p),
        None if std::env::var_os("CI").is_some() => {
            panic!("CI is set but chromium is not installed (.ci/run installs it with apt-get)")
        }
        None => {
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED {name}: chromium not found on PATH (apt-get install chromium fonts-noto-cjk to run it; in CI it is required)"
            );
            None
        }
    }
}

fn work_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("browser")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write_report(args: &[&str], out: &Path) {
    let mut all = vec!["report"];
    all.extend_from_slice(args);
    let o = Command::new(env!("CARGO_BIN_EXE_sansou"))
        .args(&all)
        .arg("--output")
        .arg(out)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .expect("sansou runs");
    assert!(
        out.is_file(),
        "no report: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Runs headless Chromium on a page with a fresh profile; returns its standard output.
fn run_chromium(browser: &Path, dir: &Path, extra: &[String], page: &Path) -> String {
    // A fresh profile for every run, so no state carries over between runs.
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let profile = dir.join(format!("profile-{}", RUNS.fetch_add(1, Ordering::Relaxed)));
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    // A hung browser must not hang the test suite.
    let deadline = Instant::now() + Duration::from_secs(120);
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let mut stdout = stdout;
        let _ = std::io::Read::read_to_string(&mut stdout, &mut s);
        s
    });
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "chromium failed: {status}");
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium did not finish within 120 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    reader.join().unwrap()
}

/// Width and height from a PNG's IHDR chunk.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(
        bytes.len() > 24 && bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        "not a PNG"
    );
    let w = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let h = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    (w, h)
}

/// The elements of serialized HTML: each start tag's name and attribute names, lower-case.
/// Quoted attribute values are skipped, so markup shown as text inside them is not mistaken
/// for an element.
fn elements(html: &str) -> Vec<(String, Vec<String>)> {
    let chars: Vec<char> = html.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '<' || !chars.get(i + 1).is_some_and(|c| c.is_ascii_alphabetic()) {
            i += 1;
            continue;
        }
        i += 1;
        let mut name = String::new();
        while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '-') {
            name.push(chars[i].to_ascii_lowercase());
            i += 1;
        }
        let mut attrs = Vec::new();
        let mut word = String::new();
        while i < chars.len() && chars[i] != '>' {
            let c = chars[i];
            if c == '"' || c == '\'' {
                i += 1;
                while i < chars.len() && chars[i] != c {
                    i += 1;
                }
            } else if c.is_whitespace() || c == '=' || c == '/' {
                if !word.is_empty() {
                    attrs.push(std::mem::take(&mut word));
                }
                if c == '=' {
                    // Skip an unquoted value.
                    while chars
                        .get(i + 1)
                        .is_some_and(|n| !n.is_whitespace() && *n != '>' && *n != '"' && *n != '\'')
                    {
                        i += 1;
                    }
                }
            } else {
                word.push(c.to_ascii_lowercase());
            }
            i += 1;
        }
        if !word.is_empty() {
            attrs.push(word);
        }
        out.push((name, attrs));
    }
    out
}

fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

#[test]
fn the_report_renders_in_chromium() {
    let Some(browser) = chromium("the_report_renders_in_chromium") else {
        return;
    };
    let dir = work_dir("sample");
    let page = dir.join("report.html");
    write_report(&["topologies/jps-2015.toml"], &page);

    let shot = dir.join("report.png");
    run_chromium(
        &browser,
        &dir,
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1280,3000".to_string(),
        ],
        &page,
    );
    let png = std::fs::read(&shot).expect("a screenshot");
    assert_eq!(png_size(&png), (1280, 3000));
    // A blank page compresses to almost nothing; a rendered report does not.
    assert!(png.len() > 50_000, "screenshot is {} bytes", png.len());

    let dom = run_chromium(&browser, &dir, &["--dump-dom".to_string()], &page);
    assert!(
        dom.contains("<table class=\"matrix\" id=\"zone-matrix\">"),
        "no matrix"
    );
    // The matrix has a cell for every pair of areas (3 here: a zone, a zone, the internet).
    let matrix = &dom[dom.find("id=\"zone-matrix\"").unwrap()..];
    let matrix = &matrix[..matrix.find("</table>").unwrap()];
    let areas = count(matrix, "<th data-area=") / 2;
    assert!(areas >= 3, "{areas}");
    assert_eq!(count(matrix, "data-from="), areas * areas);
    // Findings, with the path of IN-001 through the WAN router and the internet firewall.
    assert!(
        dom.contains("<section id=\"findings\""),
        "no findings section"
    );
    assert!(count(&dom, "<article class=\"finding deny\"") >= 10);
    assert!(dom.contains("data-code=\"IN-001\""));
    assert!(dom.contains("data-firewall=\"fw-internet\""));
    // The diagram, with its segments and the violating paths in red.
    assert!(dom.contains("<svg id=\"diagram\""), "no diagram");
    assert!(count(&dom, "<g class=\"node segment\"") >= 7);
    assert!(count(&dom, "data-violation=\"true\"") >= 2);
    assert!(dom.contains("id=\"attack-paths\""));

    // Printing gives A4 pages (the page's @page rule), not the browser's default Letter.
    let pdf_path = dir.join("report.pdf");
    run_chromium(
        &browser,
        &dir,
        &[
            "--no-pdf-header-footer".to_string(),
            format!("--print-to-pdf={}", pdf_path.display()),
        ],
        &page,
    );
    let pdf = std::fs::read(&pdf_path).expect("a PDF");
    assert!(pdf.starts_with(b"%PDF"), "not a PDF");
    let text = String::from_utf8_lossy(&pdf);
    let boxes: Vec<&str> = text.matches("/MediaBox [0 0 594.").collect();
    assert!(boxes.len() >= 2, "expected several A4 pages");
    assert!(!text.contains("/MediaBox [0 0 612"), "a Letter page");
}

#[test]
fn markup_in_names_stays_text_in_the_browser() {
    let Some(browser) = chromium("markup_in_names_stays_text_in_the_browser") else {
        return;
    };
    let dir = work_dir("escaping");
    let page = dir.join("report.html");
    write_report(
        &[
            "tests/fixtures/report/escaping/topology.toml",
            "--policy",
            "tests/fixtures/report/escaping/policy.toml",
        ],
        &page,
    );
    let dom = run_chromium(&browser, &dir, &["--dump-dom".to_string()], &page);
    assert!(dom.contains("<h1>"), "page did not load");
    // The browser built no element and no event handler from the names: they stayed text.
    for (name, attrs) in elements(&dom) {
        assert!(
            name != "script" && name != "img",
            "a <{name}> element exists"
        );
        for a in attrs {
            assert!(!a.starts_with("on"), "<{name}> has an event handler {a}");
        }
    }
    assert!(
        dom.contains("&lt;script&gt;alert(1)&lt;/script&gt; 市 &amp; \"町\""),
        "the name is not shown literally"
    );
}
