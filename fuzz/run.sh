#!/usr/bin/env bash
# Runs every fuzz target (or the ones named) one after the other, each for SECONDS (default 300),
# one job at a time at low priority, seeding each corpus from the repository's own fixtures.
# Needs cargo-fuzz (`cargo install cargo-fuzz`); works on the stable toolchain with
# `--sanitizer none` (sansou has no unsafe code, so AddressSanitizer would add little).
#
#   fuzz/run.sh                 # all targets, 300 s each
#   SECONDS_EACH=60 fuzz/run.sh topology_json policy
#
# A crash is saved under fuzz/artifacts/TARGET/; minimize it with
# `cargo fuzz tmin -s none TARGET fuzz/artifacts/TARGET/crash-...` and keep it as a regression
# case in the malformed corpus, tests/fixtures/malformed/ (see TESTING.md).
set -euo pipefail
cd "$(dirname "$0")"
root=..
each=${SECONDS_EACH:-300}
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(topology_toml topology_json policy mapping import_fortigate import_iptables import_cisco_ios import_yamaha_rtx import_inventory inventory_columns import_cisco_asa import_paloalto)
fi

seed() {
  local target=$1; shift
  mkdir -p "corpus/$target"
  for f in "$@"; do
    [ -f "$f" ] && cp "$f" "corpus/$target/" || true
  done
}

seed topology_toml $root/topologies/*.toml $root/tests/fixtures/invalid/*.toml $root/tests/fixtures/valid/*.toml $root/tests/fixtures/malformed/topology/*.toml
seed topology_json $root/topologies/*.json $root/tests/fixtures/invalid/*.json $root/tests/fixtures/malformed/topology/*.json
seed policy $root/policies/*.toml $root/tests/fixtures/invalid-policy/*.toml $root/tests/fixtures/malformed/policy/*.toml
seed mapping $root/tests/fixtures/import/*/*.toml
seed import_fortigate $root/tests/fixtures/import/fortigate/*.conf $root/tests/fixtures/import/e2e/*.conf $root/tests/fixtures/malformed/import/fortigate/*
seed import_iptables $root/tests/fixtures/import/iptables/*.rules $root/tests/fixtures/import/e2e/*.rules $root/tests/fixtures/malformed/import/iptables/*
seed import_cisco_ios $root/tests/fixtures/import/cisco-ios/*.conf $root/tests/fixtures/import/e2e/*.ios $root/tests/fixtures/malformed/import/cisco-ios/*
seed import_yamaha_rtx $root/tests/fixtures/import/yamaha-rtx/*.conf $root/tests/fixtures/malformed/import/yamaha-rtx/*
seed import_inventory $root/tests/fixtures/inventory/*.csv $root/tests/fixtures/inventory/*.xlsx $root/examples/tutorial/*.csv
seed inventory_columns $root/tests/fixtures/inventory/*.toml $root/examples/tutorial/columns.toml
seed import_cisco_asa $root/tests/fixtures/import/asa/*.conf $root/tests/fixtures/malformed/import/asa/*
seed import_paloalto $root/tests/fixtures/import/paloalto/*.xml $root/tests/fixtures/malformed/import/paloalto/*

# Build once, then run the binaries themselves: `cargo fuzz run` rebuilds whenever a source file
# changed, which on a busy tree costs minutes before every target.
cargo fuzz build -s none
bin=target/x86_64-unknown-linux-gnu/release
for target in "${targets[@]}"; do
  mkdir -p "artifacts/$target"
  echo "== $target: ${each}s"
  # -timeout: an input that takes over 10 s is reported as a hang; -rss_limit_mb: one that
  # needs over 4 GiB as a memory blow-up. Both count as findings, like a panic.
  nice -n 10 "$bin/$target" "corpus/$target" \
    -max_total_time="$each" -timeout=10 -rss_limit_mb=4096 -max_len=65536 \
    -artifact_prefix="artifacts/$target/" -print_final_stats=1 > "artifacts/$target.log" 2>&1 || true
  grep -E "^Done|stat::number_of_executed_units|stat::peak_rss_mb|ERROR|panicked|SUMMARY|Test unit written" \
    "artifacts/$target.log" || true
done
