//! The report's stylesheet, inline in the page (the Content-Security-Policy allows inline
//! styles and nothing else). Screen and A4 print: tables repeat their header on each page,
//! findings and table rows are not split across pages, and colours survive printing because
//! a red path on a grey printout would lose its meaning.

pub const STYLE: &str = r#"
:root { --ink: #1b2631; --muted: #566573; --line: #aab7b8; --fail: #c62828; --warn: #b9770e;
  --pass: #2e7d32; --unknown: #6a1b9a; --accepted: #1565c0; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1240px; padding: 24px; color: var(--ink);
  font-family: "Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic", "Meiryo", sans-serif;
  font-size: 10.5pt; line-height: 1.55; background: #fff; }
h1 { font-size: 18pt; margin: 4px 0 8px; }
h2 { font-size: 13pt; border-bottom: 2px solid var(--ink); padding-bottom: 2px; margin: 28px 0 10px; }
h3 { font-size: 11pt; margin: 16px 0 6px; }
p { margin: 6px 0; }
code, .mono { font-family: "Noto Sans Mono CJK JP", "DejaVu Sans Mono", monospace; font-size: 9pt; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; }
th, td { border: 1px solid var(--line); padding: 3px 6px; vertical-align: top; text-align: left; }
th { background: #eef2f4; font-weight: bold; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
.doc-kind { font-size: 10pt; letter-spacing: 0.2em; color: var(--muted); }
.paper-head { border: 2px solid var(--ink); padding: 10px 14px; }
.paper-head table { margin-bottom: 0; }
.paper-head th { width: 14em; }
.note { color: var(--muted); font-size: 9.5pt; }
.interpretive { border: 1px solid var(--muted); border-radius: 3px; padding: 0 .3em; font-size: 8.5pt; }
.url { overflow-wrap: anywhere; font-size: 8.5pt; color: var(--muted); }
.verdict { display: inline-block; min-width: 4.5em; text-align: center; font-weight: bold;
  border-radius: 3px; padding: 0 4px; color: #fff; }
.v-pass { background: var(--pass); } .v-fail { background: var(--fail); }
.v-unknown { background: var(--unknown); } .v-accepted { background: var(--accepted); }
.v-warn { background: var(--warn); } .v-expired { background: var(--fail); }
.v-unused { background: var(--muted); }
.overall { font-size: 12pt; font-weight: bold; padding: 6px 10px; border: 2px solid; display: inline-block; }
.overall.fail { color: var(--fail); border-color: var(--fail); }
.overall.pass { color: var(--pass); border-color: var(--pass); }
.counts td, .counts th { text-align: center; }
figure { margin: 8px 0; }
figure svg { max-width: 100%; height: auto; border: 1px solid var(--line); }
figure.paged svg { display: block; }
figure.paged svg + svg { border-top-style: dashed; }
figcaption { font-size: 9.5pt; color: var(--muted); }
.matrix { font-size: 9pt; }
.matrix th.corner { background: #fff; }
.matrix td.empty { color: var(--line); text-align: center; }
.matrix td.crossing { background: #fff8e1; }
.matrix td.self { background: #f4f6f6; }
.matrix td.bypass { background: #fde0dc; }
.finding { border: 1px solid var(--line); border-left: 5px solid var(--line); padding: 6px 10px;
  margin: 8px 0; break-inside: avoid; }
.finding.deny { border-left-color: var(--fail); }
.finding.warn { border-left-color: var(--warn); }
.finding.unknown { border-left-color: var(--unknown); }
.finding.accepted { border-left-color: var(--accepted); }
.finding.pass { border-left-color: var(--pass); }
.finding h4 { margin: 0 0 4px; font-size: 10.5pt; }
.hops { font-size: 9pt; }
.hops td:first-child { text-align: right; width: 2.5em; }
.rule-group { margin-top: 14px; }
.cause-group { border-left: 3px solid var(--line); padding-left: 8px; margin: 10px 0; }
.cause-rules { font-size: 9pt; }
.signoff td { height: 3.2em; }
.signoff .seal { width: 5em; }
.blank { background: #fff; }
.remarks { border: 1px solid var(--line); min-height: 7em; padding: 6px; }
footer { margin-top: 28px; border-top: 1px solid var(--line); font-size: 9pt; color: var(--muted); }
@page { size: A4; margin: 14mm 12mm 16mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 9.5pt; }
  h2 { break-after: avoid; }
  section { break-inside: auto; }
  figure { break-inside: avoid; }
  figure.paged { break-inside: auto; }
  figure.paged svg { break-inside: avoid; }
  .finding, .paper-head, .signoff { break-inside: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;
