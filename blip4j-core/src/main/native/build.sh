#!/usr/bin/env bash
# Compiles the native parameter updates (host_updates.c) into blip4j-core's classes, so that the jar carries them.
# Run by blip4j-core's pom at process-classes, on Linux; -Dblip4j.native.skip=true leaves them out (the Java loops run).
# usage: build.sh OUT_DIR JDK_HOME
set -euo pipefail
out="$1" jdk="$2"
src="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/host_updates.c"
if ! command -v gcc >/dev/null; then
  echo "blip4j-core: gcc is needed to build the native parameter updates (src/main/native/host_updates.c);" \
    "install gcc, or build with -Dblip4j.native.skip=true to leave them out (training then runs the Java loops)" >&2
  exit 1
fi
if [[ ! -f "$jdk/include/jni.h" ]]; then
  echo "blip4j-core: no JNI headers in $jdk/include (a JDK, not a JRE, is needed to build the native updates)" >&2
  exit 1
fi
mkdir -p "$out"
# -ffp-contract=off and no -ffast-math: the same bits as the Java loops (see host_updates.c)
gcc -shared -fPIC -O3 -Wall -Wextra -fno-math-errno -ffp-contract=off -I"$jdk/include" -I"$jdk/include/linux" \
  -o "$out/libblip4j-updates.so.tmp" "$src"
mv -f "$out/libblip4j-updates.so.tmp" "$out/libblip4j-updates.so"
