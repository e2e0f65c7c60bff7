#!/usr/bin/env bash
# Checks tools/side-by-side.sh against stand-in sides that print known figures in each side's format: the rounds'
# order, the parsing, the table's ratios and goals, and the errors. Seconds; run by .ci/run.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
fail() { echo "test-side-by-side: $*" >&2; exit 1; }

# the official harness's format: one JSON line per figure; the round number comes from a counter file
cat > "$WORK/official" <<'EOF'
#!/usr/bin/env bash
echo "official $1" >> "$LOG"
n=$(grep -c "^official $1\$" "$LOG")
case "$1" in
  train) echo "{\"bench\": \"train\", \"figure\": \"samples_per_s\", \"value\": 0.5$n, \"unit\": \"samples/s\"}"
         echo '{"bench": "train", "figure": "peak_rss_mib", "value": 8000.5, "unit": "MiB"}' ;;
  model) echo '{"bench": "model", "figure": "vision_images_per_s", "value": 1.25, "unit": "images/s"}'
         echo '{"bench": "model", "figure": "itm_pairs_per_s", "value": 6.0, "unit": "pairs/s"}'
         echo '{"bench": "model", "figure": "peak_rss_mib", "value": 1600, "unit": "MiB"}' ;;
  caption) echo '{"bench": "caption", "figure": "captions_per_s", "value": 0.2, "unit": "captions/s"}' ;;
esac
echo "a progress line on stderr" >&2
EOF
# ./blip bench's format: a header line, then "  name value" lines (and log noise)
cat > "$WORK/blip" <<'EOF'
#!/usr/bin/env bash
echo "blip $3" >> "$LOG"
echo "[main] WARN ai.djl.util - a warning"
echo "$3: model base @224, batch 8, threads 2, device cpu()"
case "$3" in
  train) printf '  samples_per_s          0.75\n  seconds_per_step       10.67\n  peak_rss_mib           7000.0\n' ;;
  model) printf '  vision_images_per_s    2.5\n  itm_pairs_per_s        12.0\n  peak_rss_mib           7100.0\n' ;;
  caption) printf '  captions_per_s         0.9\n  peak_rss_mib           5600.0\n' ;;
esac
EOF
chmod +x "$WORK/official" "$WORK/blip"
export LOG="$WORK/log"

OFFICIAL="$WORK/official" BLIP="$WORK/blip" OFFICIAL_PRELOAD="" "$HERE/side-by-side.sh" --out "$WORK/out" \
  > "$WORK/table" 2> "$WORK/stderr" || fail "a run with working sides failed: $(cat "$WORK/stderr")"
expected_order="official train
blip train
official model
blip model
official caption
blip caption
blip train
official train
blip model
official model
blip caption
official caption"
[[ "$(cat "$LOG")" == "$expected_order" ]] || fail "rounds not in alternating order: $(tr '\n' ',' < "$LOG")"
row() { grep -F "| \`$1\` |" "$WORK/table" || fail "no row for $1 in: $(cat "$WORK/table")"; }
# official 0.51 then 0.52 (mean 0.515), blip4j 0.75 twice: 1.456×, per round 1.47 / 1.44
want='| `samples_per_s` | 0.51 / 0.52 | 0.75 / 0.75 | 1.456× (1.47 / 1.44) | ≥ 1.5×: not met |'
[[ "$(row samples_per_s)" == "$want" ]] || fail "samples_per_s row: $(row samples_per_s)"
[[ "$(row peak_rss_mib_train)" == *"| 8000.5 / 8000.5 | 7000.0 / 7000.0 | 0.875× "*"| ≤ official: met |" ]] \
  || fail "peak RSS row: $(row peak_rss_mib_train)"
[[ "$(row vision_images_per_s)" == *"| 2.000× (2.00 / 2.00) | ≥ 4×: not met; ≥ 2 images/s: met |" ]] \
  || fail "vision row: $(row vision_images_per_s)"
[[ "$(row itm_pairs_per_s)" == *"| 2.000× (2.00 / 2.00) | ≥ 2×: met |" ]] || fail "ITM row: $(row itm_pairs_per_s)"
[[ "$(row captions_per_s)" == *"| 4.500× (4.50 / 4.50) | ≥ 5×: not met |" ]] \
  || fail "captions row: $(row captions_per_s)"
! grep -q "seconds_per_step" "$WORK/table" || fail "a figure outside the table's list was printed"
cmp -s "$WORK/table" "$WORK/out/table.md" || fail "table.md differs from what was printed"
[[ -s "$WORK/out/round2-official-model.txt" && -s "$WORK/out/round1-blip4j-caption.txt" ]] \
  || fail "raw outputs missing from $WORK/out"

# errors: exit 2 for bad arguments, 1 naming the raw output when a side fails
expect_exit() {
  local want="$1" message="$2"; shift 2
  local got=0
  "$@" > /dev/null 2> "$WORK/err" || got=$?
  [[ "$got" == "$want" ]] || fail "exit $got, not $want, for: $*"
  grep -q -- "$message" "$WORK/err" || fail "no '$message' in: $(cat "$WORK/err")"
}
expect_exit 2 "set OFFICIAL" env -u OFFICIAL "$HERE/side-by-side.sh" --out "$WORK/o2"
expect_exit 2 "--rounds must be" env OFFICIAL="$WORK/official" "$HERE/side-by-side.sh" --rounds 0 --out "$WORK/o3"
expect_exit 2 "unknown argument '--fast'" env OFFICIAL="$WORK/official" "$HERE/side-by-side.sh" --fast
expect_exit 1 "the official train run failed; see" env OFFICIAL=false BLIP="$WORK/blip" OFFICIAL_PRELOAD="" \
  "$HERE/side-by-side.sh" --out "$WORK/o4"
echo "test-side-by-side: ok"
