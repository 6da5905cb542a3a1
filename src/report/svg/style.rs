//! The diagram's stylesheet: colours and font sizes by class, so the elements carry classes
//! only.

pub(super) const STYLE: &str = "
.sv-band{fill:#f7f9fc;stroke:#9aa7b8;stroke-width:1}
.sv-band-internet{fill:#fff7ec}
.sv-band-lgwan{fill:#f1f7ff}
.sv-band-mynumber{fill:#f3fbf3}
.sv-band-label{font-size:13px;font-weight:bold;fill:#34495e}
.sv-row-label{font-size:12px;fill:#5d6d7e}
.sv-zone{fill:#ffffff;stroke:#7f8c9d;stroke-width:1;stroke-dasharray:4 3}
.sv-zone-label{font-size:11px;fill:#34495e}
.sv-seg{fill:#eef3fb;stroke:#4a6fa5;stroke-width:1}
.sv-fw{fill:#fde2c8;stroke:#b9770e;stroke-width:1}
.sv-gw{fill:#d8f0d8;stroke:#2e7d32;stroke-width:1}
.sv-ext{fill:#eeeeee;stroke:#616161;stroke-width:1}
.sv-on-path{stroke:#d32f2f;stroke-width:2.5}
.sv-name{font-size:11px;font-weight:bold;fill:#1b2631}
.sv-store{font-size:11px;fill:#6c3483}
.sv-detail{font-size:11px;fill:#4d5656}
.sv-edge{fill:none;stroke:#7f8c8d;stroke-width:1.2}
.sv-violation{fill:none;stroke:#d32f2f;stroke-width:3.5}
.sv-bridge{fill:none;stroke:#8e44ad;stroke-width:1.5;stroke-dasharray:6 4}
.sv-legend{font-size:11px;fill:#1b2631}
.sv-flow{fill:none;stroke:#00838f;stroke-width:2;stroke-dasharray:10 3 2 3}
.sv-tag-box{fill:#ffffff;stroke:#5d6d7e;stroke-width:1}
.sv-tag-finding .sv-tag-box{stroke:#d32f2f;stroke-width:1.5}
.sv-tag-flow .sv-tag-box{stroke:#00838f}
.sv-tag{font-size:11px;font-weight:bold;fill:#1b2631}
";
