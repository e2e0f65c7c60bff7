#!/usr/bin/env bash
# Builds the example projects against the blip4j artefacts in the local Maven repository (run `mvn -B install
# -DskipTests` at the root first) and runs them on examples/images, checking what they print.
# Extra arguments go to Maven, e.g. -Dmaven.repo.local=DIR.
set -euo pipefail
cd "$(dirname "$0")"
IMAGES=(images/*.png)

echo "examples: caption-app" >&2
(cd caption-app && mvn -B -q package "$@")
captions="$(java -jar caption-app/target/caption-app.jar "${IMAGES[@]}")"
echo "$captions"
# one "IMAGE<TAB>caption" line per image, each caption at least two words
lines="$(grep -cP '^images/[^\t]+\.png\t\S+ \S+' <<<"$captions" || true)"
if [[ "$lines" -ne "${#IMAGES[@]}" ]]; then
  echo "caption-app: expected ${#IMAGES[@]} captions, got $lines" >&2
  exit 1
fi

echo "examples: search-app" >&2
(cd search-app && mvn -B -q package "$@")
hits="$(java -jar search-app/target/search-app.jar images "a red star")"
echo "$hits"
# the red star ranks first
if ! grep -qP '^1\t.*images/red-star\.png$' <<<"$hits"; then
  echo "search-app: images/red-star.png is not the first hit for 'a red star'" >&2
  exit 1
fi
echo "examples: ok" >&2
