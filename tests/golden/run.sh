#!/usr/bin/env bash
# Golden outputs: every user-visible output of the examples and of a generated 1M-row month,
# recorded by one `pacta` binary and compared with another (or with the hashes recorded before
# a refactoring, in tests/golden/outputs.sha256).
#
#   tests/golden/run.sh record PACTA_BIN OUT_DIR     record every output into OUT_DIR
#   tests/golden/run.sh compare DIR_A DIR_B          byte-compare two recordings (diff -r)
#   tests/golden/run.sh hashes DIR                   print the hash list of a recording
#   tests/golden/run.sh check [PACTA_BIN]            record with PACTA_BIN (default: a fresh
#                                                    release build) and compare with
#                                                    tests/golden/outputs.sha256
#
# Each command's standard output, standard error and exit code are kept as NAME.out, NAME.err
# and NAME.code; files it writes are kept under their own names. The only normalisations are
# the recording directory's absolute path (printed by `pacta demo`), the demo users' random
# passwords and the import time stamp of `store info`. Environment: GOLDEN_ROWS (default
# 1000000) sets the size of the big month.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

run() { # run NAME CMD... : keeps stdout, stderr and exit code
  local name="$1"
  shift
  local code=0
  "$@" >"$OUT/$name.out" 2>"$OUT/$name.err" || code=$?
  echo "$code" >"$OUT/$name.code"
}

record() {
  local bin out
  bin="$(realpath "$1")"
  out="$2"
  rm -rf "$out"
  mkdir -p "$out"
  OUT="$(realpath "$out")"
  local work
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' RETURN
  cp -r "$repo/examples" "$work/examples"
  cp -r "$repo/testdata" "$work/testdata"
  cd "$work"
  local p="$bin"
  local bank=examples/bank-inbound-manila.toml
  local rows="${GOLDEN_ROWS:-1000000}"
  # A fixed pseudonym key, so customer pseudonyms in exports are the same in every recording.
  local st
  for st in st st2 st3 st4 demo-store; do
    mkdir -p $st
    printf 'pacta-golden-outputs-fixed-key!!' >$st/pseudonym.key
    chmod 600 $st/pseudonym.key
  done

  # Contracts: check, review, render, schema, init.
  run check-all "$p" check examples/bank-inbound-manila.toml examples/omnicanal-bogota.toml \
    examples/telecom-outbound-sales.toml examples/weak-draft.toml
  run schema "$p" schema -o "$OUT/schema.json"
  for c in bank-inbound-manila omnicanal-bogota telecom-outbound-sales weak-draft; do
    for l in en es; do
      run "review-$c-$l" "$p" --lang $l review --format json "examples/$c.toml"
      run "review-text-$c-$l" "$p" --lang $l review "examples/$c.toml"
      run "render-$c-$l" "$p" --lang $l render --format html -o "$OUT/render-$c.$l.html" "examples/$c.toml"
      run "render-md-$c-$l" "$p" --lang $l render --format markdown -o "$OUT/render-$c.$l.md" "examples/$c.toml"
    done
  done
  for t in inbound outbound omnichannel; do
    for l in en es; do
      run "init-$t-$l" "$p" --lang $l init --template $t -o "$OUT/init-$t.$l.toml"
    done
  done

  # The big month: generated, imported (every kind), measured, planned and settled.
  run gen-bank "$p" gen --contract $bank --month 2026-10 --rows "$rows" --out gen --force
  run gen-bank-prev "$p" gen --contract $bank --month 2026-09 --rows 50000 --seed 7 --out gen-prev --force
  for f in gen/*.csv gen-prev/*.csv; do cp "$f" "$OUT/$(dirname "$f")-$(basename "$f")"; done
  for k in interactions surveys qa roster training agent-days incidents; do
    local file="${k//-/_}.csv"
    run "import-prev-$k" "$p" import --contract $bank --store st --format csv --kind "$k" "gen-prev/$file"
    run "import-$k" "$p" import --contract $bank --store st --format csv --kind "$k" --quarantine "$OUT/quarantine-$k.csv" "gen/$file"
  done
  run import-again "$p" import --contract $bank --store st --format csv gen/interactions.csv
  run import-es "$p" --lang es import --contract $bank --store st --format csv --kind surveys gen/surveys.csv
  run store-info "$p" store info --store st
  sed -i -E 's/(last import|última importación): [^ ]+/\1: <time>/' "$OUT/store-info.out"
  run store-info-json "$p" store info --store st --json
  sed -i -E 's/"last_import": "[^"]*"/"last_import": "<time>"/' "$OUT/store-info-json.out"
  for l in en es; do
    run "kpi-json-$l" "$p" --lang $l kpi --contract $bank --store st --month 2026-10 --format json
    run "kpi-table-$l" "$p" --lang $l kpi --contract $bank --store st --month 2026-10
  done
  run kpi-by-queue-csv "$p" kpi --contract $bank --store st --month 2026-10 --by queue --interval 30 --format csv
  run kpi-by-channel-json "$p" kpi --contract $bank --store st --month 2026-10 --by channel,site --format json
  run kpi-metrics "$p" kpi --contract $bank --store st --month 2026-10 --metric wait_p90 \
    --metric service_level:offered --param threshold_s=30 --format json
  run kpi-metrics-table "$p" kpi --contract $bank --store st --month 2026-10 --sla SL-VOICE \
    --metric asa --metric abandonment_rate:after_seconds --param after_seconds=20
  for l in en es; do
    run "settle-prev-$l" "$p" --lang $l settle --contract $bank --store st --month 2026-09 --format json --no-save
  done
  run settle-prev-save "$p" settle --contract $bank --store st --month 2026-09
  for l in en es; do
    run "settle-json-$l" "$p" --lang $l settle --contract $bank --store st --month 2026-10 --format json --no-save --html "$OUT/settle-$l.html"
    run "settle-table-$l" "$p" --lang $l settle --contract $bank --store st --month 2026-10 --no-save
    run "settle-md-$l" "$p" --lang $l settle --contract $bank --store st --month 2026-10 --format markdown --no-save
    run "explain-$l" "$p" --lang $l explain --contract $bank --store st --month 2026-10 SL-VOICE
    run "explain-credits-$l" "$p" --lang $l explain --contract $bank --store st --month 2026-10
  done
  printf 'item,quantity,rate,amount\nvoice-productive-hours,1000,10.5,10500\nplatform-fee,1,2500,2500\n' >vendor.csv
  run settle-vendor "$p" settle --contract $bank --store st --month 2026-10 --vendor-invoice vendor.csv --format json --no-save
  for l in en es; do
    run "plan-from-store-$l" "$p" --lang $l plan --contract $bank --from-store --store st --month 2026-10 \
      --write-forecast forecast.csv --html "$OUT/plan-$l.html"
  done
  cp forecast.csv "$OUT/forecast.csv"
  run plan-csv "$p" plan --contract $bank --forecast forecast.csv --format csv
  run plan-json "$p" plan --contract $bank --forecast forecast.csv --format json --patience-s 90
  awk -F, 'NR==1{print "interval_start,queue,agents"; next} {print $1","$2","(NR%7==0?3:40)}' \
    forecast.csv >staffing.csv
  run plan-staffing "$p" plan --contract $bank --forecast forecast.csv --staffing staffing.csv \
    --html "$OUT/plan-staffing.html"
  run store-export "$p" store export --store st --format csv -o export
  for f in $(cd export && find . -type f | sort); do
    cp "export/$f" "$OUT/export-$(echo "$f" | tr '/' '_' | sed 's/^\._//')"
  done

  # The other examples, smaller months.
  printf '[mapping]\n' >canonical.toml
  local c
  for c in omnicanal-bogota telecom-outbound-sales; do
    run "gen-$c" "$p" gen --contract "examples/$c.toml" --month 2026-10 --rows 40000 --out "gen-$c" --force
    for k in interactions surveys qa roster training agent-days incidents; do
      local file="${k//-/_}.csv"
      [ -f "gen-$c/$file" ] || continue
      # The generator writes canonical headers; a mapping file overrides the contract's
      # dialer mapping.
      run "import-$c-$k" "$p" import --contract "examples/$c.toml" --store st2 --format csv --kind "$k" \
        --mapping canonical.toml "gen-$c/$file"
    done
    run "kpi-$c" "$p" kpi --contract "examples/$c.toml" --store st2 --month 2026-10 --format json
    for l in en es; do
      run "settle-$c-$l" "$p" --lang $l settle --contract "examples/$c.toml" --store st2 --month 2026-10 \
        --format json --no-save --html "$OUT/settle-$c.$l.html"
    done
  done

  # Real exports.
  run import-anonbank "$p" import --contract testdata/anonbank-contract.toml --store st3 --format anonbank \
    --quarantine "$OUT/quarantine-anonbank.csv" testdata/anonbank-august.csv
  run kpi-anonbank "$p" kpi --contract testdata/anonbank-contract.toml --store st3 --month 2010-08 --by queue --format json
  run import-asterisk "$p" import --contract $bank --store st4 --format asterisk \
    --quarantine "$OUT/quarantine-asterisk.csv" testdata/asterisk-queue-log-mirta.csv

  # Selection.
  for s in bank-cards-2027 ahp-nearshore; do
    for l in en es; do
      run "select-$s-$l" "$p" --lang $l select "examples/selection/$s.toml" --pilot examples/selection/pilot-2026-q4.csv \
        --format json --html "$OUT/select-$s.$l.html"
      run "select-table-$s-$l" "$p" --lang $l select "examples/selection/$s.toml"
    done
  done

  # A few refusals (their English text must not change).
  run err-month "$p" settle --contract $bank --store st --month 2026-13
  run err-contract "$p" check examples/missing.toml
  run err-kpi-metric "$p" kpi --contract $bank --store st --month 2026-10 --metric nope
  run err-kpi-variant "$p" kpi --contract $bank --store st --month 2026-10 --metric asa:nope

  # The demo on a small month (its own store).
  run demo "$p" demo --out demo --store demo-store --rows 30000
  sed -i "s#$work#<work>#g" "$OUT/demo.out"
  # The demo users' passwords are random on every run (only their argon2id hashes are kept).
  sed -i -E 's/(password \(shown once\)|contraseña \(se muestra una vez\)): [0-9a-f]{24}/\1: <password>/' "$OUT/demo.out"
  cp demo/report-2026-10.en.html "$OUT/demo-report.en.html"
  cp demo/vendor-invoice-2026-10.csv "$OUT/demo-vendor-invoice.csv"

  # Absolute paths of this recording are not outputs.
  find "$OUT" -type f \( -name '*.out' -o -name '*.err' \) -exec sed -i -e "s#$OUT#<out>#g" -e "s#$work#<work>#g" {} +
  cd "$repo"
}

hashes() {
  (cd "$1" && find . -type f | sort | xargs sha256sum)
}

case "${1:-}" in
record) record "$2" "$3" ;;
compare) diff -r "$2" "$3" && echo "identical: $(find "$2" -type f | wc -l) outputs" ;;
hashes) hashes "$2" ;;
check)
  bin="${2:-}"
  if [ -z "$bin" ]; then
    cargo build --release -q -p pacta-cli --manifest-path "$repo/Cargo.toml"
    bin="$repo/target/release/pacta"
  fi
  tmp="$(mktemp -d)"
  record "$bin" "$tmp/out"
  hashes "$tmp/out" >"$tmp/now.sha256"
  if diff -u "$here/outputs.sha256" "$tmp/now.sha256"; then
    echo "golden: all $(wc -l <"$tmp/now.sha256") outputs byte-identical"
  else
    echo "golden: outputs differ (recording kept in $tmp/out)" >&2
    exit 1
  fi
  ;;
*)
  sed -n '2,16p' "$0"
  exit 2
  ;;
esac
