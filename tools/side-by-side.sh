#!/usr/bin/env bash
# Side-by-side speed comparison of blip4j against the official BLIP code on this machine (issue 15).
#
# Runs the three workloads of `./blip bench` (pre-training step, model, captioning) on both sides, base size,
# 2 threads, in rounds of alternating order (odd rounds: official first; even rounds: blip4j first), keeps every
# raw output, and prints a Markdown table of the figures, the ratio of the means and the issue's goals.
#
# The official side is an external harness that mirrors `./blip bench` workload for workload and prints one JSON
# line per figure ({"figure": ..., "value": ...}); docs/BENCHMARKS.md says how it was set up. Neither the harness
# nor the official code is part of this repository: pass the command that runs it.
#
#   OFFICIAL="python3 /path/to/bench_official.py" tools/side-by-side.sh [--rounds N] [--out DIR]
#
# OFFICIAL_PRELOAD (default: Debian's TCMalloc when installed, the official code's faster setup here; empty: none)
# is preloaded into the official side only; ./blip applies its own allocator and MKL settings.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS=2
OUT=""
BLIP="${BLIP:-./blip}" # the blip4j side's launcher, run from the repository root
while (($#)); do
  case "$1" in
    --rounds) ROUNDS="${2:?--rounds needs a number}"; shift 2 ;;
    --out) OUT="${2:?--out needs a directory}"; shift 2 ;;
    -h|--help) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "side-by-side: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$ROUNDS" =~ ^[1-9][0-9]?$ ]] || { echo "side-by-side: --rounds must be 1-99, got '$ROUNDS'" >&2; exit 2; }
if [[ -z "${OFFICIAL:-}" ]]; then
  echo "side-by-side: set OFFICIAL to the command that runs the official harness" >&2
  exit 2
fi
if [[ -z "${OFFICIAL_PRELOAD+set}" ]]; then
  OFFICIAL_PRELOAD=""
  tc="/usr/lib/$(uname -m)-linux-gnu/libtcmalloc_minimal.so.4"
  [[ -f "$tc" ]] && OFFICIAL_PRELOAD="$tc"
fi
OUT="${OUT:-$ROOT/target/side-by-side-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$OUT"
FIGURES="$OUT/figures.tsv"
: > "$FIGURES"

# workload → the arguments of each side (the commands of docs/BENCHMARKS.md)
declare -A OFFICIAL_ARGS=(
  [train]="train --threads 2 --batch 8 --runs 5 --size base --image-size 224 --dropout 0"
  [model]="model --threads 2 --batch 8 --runs 3 --size base --image-size 384"
  [caption]="caption --threads 2 --batch 4 --beams 3 --new-tokens 16 --runs 2 --size base --image-size 384 --no-greedy"
)
declare -A BLIP_ARGS=(
  [train]="bench --what train --size base --image-size 224 --threads 2 --batch 8 --steps 5"
  [model]="bench --what model --threads 2 --batch 8 --runs 3"
  [caption]="bench --what caption --threads 2 --batch 4 --beams 3 --new-tokens 16 --runs 2"
)

# one side's run of one workload: raw output to a file, "round side figure value" rows to figures.tsv
run_side() {
  local round="$1" side="$2" what="$3" raw="$OUT/round$1-$2-$3.txt"
  echo "side-by-side: round $round, $side $what ($(date -u +%T) UTC)" >&2
  if [[ "$side" == official ]]; then
    # shellcheck disable=SC2086 # the command and its arguments are word lists on purpose
    LD_PRELOAD="$OFFICIAL_PRELOAD" $OFFICIAL ${OFFICIAL_ARGS[$what]} > "$raw" 2> "$raw.err" \
      || { echo "side-by-side: the official $what run failed; see $raw.err" >&2; exit 1; }
    sed -n 's/.*"figure": "\([a-z_]*\)", "value": \([0-9.eE+-]*\).*/\1 \2/p' "$raw"
  else
    # shellcheck disable=SC2086
    (cd "$ROOT" && $BLIP ${BLIP_ARGS[$what]}) > "$raw" 2>&1 \
      || { echo "side-by-side: the blip4j $what run failed; see $raw" >&2; exit 1; }
    awk 'NF == 2 && $1 ~ /^[a-z_]+$/ && $2 ~ /^[0-9.]+$/ { print $1, $2 }' "$raw"
  fi | while read -r figure value; do
    # every workload reports its process's peak RSS; keep them apart
    [[ "$figure" == peak_rss_mib ]] && figure="peak_rss_mib_$what"
    printf '%s\t%s\t%s\t%s\n' "$round" "$side" "$figure" "$value"
  done >> "$FIGURES"
}

for ((r = 1; r <= ROUNDS; r++)); do
  if ((r % 2)); then order=(official blip4j); else order=(blip4j official); fi
  for what in train model caption; do
    for side in "${order[@]}"; do run_side "$r" "$side" "$what"; done
  done
done

# the table: per figure both sides' values by round, the ratio of the means (and per round), the goal
awk -F'\t' -v rounds="$ROUNDS" '
  function join(side, f,    s, r) {
    for (r = 1; r <= rounds; r++) s = s (r > 1 ? " / " : "") v[side, f, r]
    return s
  }
  function mean(side, f,    s, n, r) {
    for (r = 1; r <= rounds; r++) if ((side, f, r) in v) { s += v[side, f, r]; n++ }
    return n ? s / n : 0
  }
  function perRound(f,    s, r, o) {
    for (r = 1; r <= rounds; r++) {
      o = (("official", f, r) in v) ? v["official", f, r] : 0
      s = s (r > 1 ? " / " : "") (o > 0 ? sprintf("%.2f", v["blip4j", f, r] / o) : "—")
    }
    return s
  }
  { v[$2, $3, $1] = $4; if ($2 == "blip4j") seen[$3] = 1 }
  END {
    split("samples_per_s peak_rss_mib_train vision_images_per_s itm_pairs_per_s " \
          "itm_pairs_per_s_one_image_many_texts captions_per_s", order, " ")
    # the issue goals: ratios against the official code, and 2 images/s for the image encoder
    goal["samples_per_s"] = 1.5; goal["vision_images_per_s"] = 4; goal["itm_pairs_per_s"] = 2
    goal["captions_per_s"] = 5
    print "| figure | official (by round) | blip4j (by round) | blip4j ÷ official: means (by round) | goal |"
    print "|---|---|---|---|---|"
    for (i = 1; i in order; i++) {
      f = order[i]; if (!(f in seen)) continue
      o = mean("official", f); b = mean("blip4j", f)
      ratio = o > 0 ? sprintf("%.3f×", b / o) : "—"
      g = "—"
      if ((f in goal) && o > 0) g = sprintf("≥ %g×: %s", goal[f], b / o >= goal[f] ? "met" : "not met")
      if (f == "vision_images_per_s") g = g sprintf("; ≥ 2 images/s: %s", b >= 2 ? "met" : "not met")
      if (f == "peak_rss_mib_train" && o > 0) g = sprintf("≤ official: %s", b <= o ? "met" : "not met")
      printf "| `%s` | %s | %s | %s (%s) | %s |\n", f, join("official", f), join("blip4j", f), ratio, perRound(f), g
    }
  }' "$FIGURES" | tee "$OUT/table.md"
echo "side-by-side: raw outputs and figures.tsv in $OUT" >&2
