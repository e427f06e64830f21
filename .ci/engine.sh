#!/usr/bin/env bash
# The engine step of CI: builds and tests engine/ (DataFusion 55 and Ballista 55, a workspace
# of its own) after the main step has built target/debug/pacta.
#
# Cold, this build takes 40 to 65 minutes on two cores, so it uses a target directory outside
# the clone (PACTA_ENGINE_TARGET, default ~/.cache/pacta-engine-target) and later runs on the
# same machine are incremental. It also runs only when it could give a different answer:
# the key below is the git tree of engine/ and of every crate and file the lowered SQL, the
# data it reads or the conformance test depend on; when the last run that passed on this
# machine had the same key, the step says so and skips. PACTA_ENGINE_CI=always runs it
# anyway; PACTA_ENGINE_CI=never skips it (said just as loudly).
set -euo pipefail
cd "$(dirname "$0")/.."
target="${PACTA_ENGINE_TARGET:-$HOME/.cache/pacta-engine-target}"
stamp="$target/.pacta-engine-ci-passed"
inputs=(engine Cargo.lock examples crates/pacta-core crates/pacta-contract crates/pacta-data
    crates/pacta-kpi crates/pacta-terms crates/pacta-settle crates/pacta-gen crates/pacta-ops
    crates/pacta-cli)
key=$(for p in "${inputs[@]}"; do printf '%s %s\n' "$p" "$(git rev-parse "HEAD:$p")"; done | sha256sum | cut -c1-16)
mode="${PACTA_ENGINE_CI:-changed}"
if [ "$mode" = never ]; then
    echo "== engine step SKIPPED: PACTA_ENGINE_CI=never"
    exit 0
fi
if [ "$mode" != always ] && [ -f "$stamp" ] && [ "$(cut -d' ' -f1 "$stamp")" = "$key" ]; then
    echo "== engine step SKIPPED: engine/ and the KPI crates are unchanged (key $key) since commit $(cut -d' ' -f2 "$stamp") passed it on this machine; PACTA_ENGINE_CI=always runs it"
    exit 0
fi
echo "== engine step: key $key, target $target"
start=$(date +%s)
export CARGO_TARGET_DIR="$target"
# Unlike the main step's, this target directory outlives the run, so incremental state pays.
unset CARGO_INCREMENTAL
cargo fmt --manifest-path engine/Cargo.toml -- --check
cargo build --manifest-path engine/Cargo.toml --all-targets
built=$(date +%s)
echo "== engine build: $((built - start)) s"
PACTA_BIN="$PWD/target/debug/pacta" cargo test --manifest-path engine/Cargo.toml
echo "== engine tests: $(( $(date +%s) - built )) s"
mkdir -p "$target"
echo "$key $(git rev-parse --short HEAD)" > "$stamp"
