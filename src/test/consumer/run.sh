#!/usr/bin/env bash
# Uses ntk4j as a library from a separate Maven project that depends only on the coordinates
# io.github.ntk4j:ntk4j (docs/LIBRARY.md quotes its output):
#   1. mvn install of the ntk4j checkout this script is in (skip with NO_INSTALL=1),
#   2. builds this project (a copy in a temp folder) and lists its dependencies: jar count, MB,
#      and a check that none of Symja, picocli, XChart, pdfbox, JUnit, JavaCPP/OpenBLAS is there,
#   3. runs the same program on the class path and on the module path,
#   4. adds Symja (profile symbolic) and derives a kernel symbolically (class and module path),
#   5. adds the OpenBLAS natives (profile natives) and checks that learn/ finds them.
# Usage: bash src/test/consumer/run.sh   (from anywhere; needs Maven and network or a filled ~/.m2)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
if [ "${NO_INSTALL:-0}" != 1 ]; then
  (cd "$repo" && mvn -q install -DskipTests)
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$here/pom.xml" "$here/src" "$work/"
cd "$work"
mvn -q package dependency:copy-dependencies -DincludeScope=runtime
deps=target/dependency
echo "== dependencies of a project that depends on io.github.ntk4j:ntk4j"
ls "$deps"
count=$(ls "$deps" | wc -l)
mb=$(du -cb "$deps"/*.jar | tail -1 | awk '{printf "%.2f", $1 / 1048576}')
echo "jars: $count, MB: $mb"
if ls "$deps" | grep -Ei 'matheclipse|picocli|xchart|pdfbox|fontbox|junit|javacpp|openblas|slf4j|log4j'; then
  echo "FAIL: a dependency a library user should not get (above)"; exit 1
fi
echo "== class path"
java -cp "target/classes:$deps/*" demo.GramDemo
echo "== module path"
java --module-path "target/classes:$deps" -m demo/demo.GramDemo
echo "== with Symja (profile symbolic), class path"
mvn -q -Psymbolic dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/symja-deps
echo "jars with Symja: $(ls target/symja-deps | wc -l)"
java -cp "target/classes:target/symja-deps/*" demo.GramDemo derive
echo "== with Symja, module path (Symja's jars are automatic modules; ALL-MODULE-PATH resolves them all)"
java --module-path "target/classes:target/symja-deps" --add-modules ALL-MODULE-PATH -m demo/demo.GramDemo derive
echo "== with the OpenBLAS natives (profile natives, linux-x86_64 only), class path and module path"
mvn -q -Pnatives -Djavacpp.platform=linux-x86_64 dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/native-deps
echo "jars with natives: $(ls target/native-deps | wc -l), MB: $(du -cb target/native-deps/*.jar | tail -1 | awk '{printf "%.1f", $1 / 1048576}')"
java -cp "target/classes:target/native-deps/*" demo.GramDemo | tail -1
java --module-path "target/classes:target/native-deps" --add-modules ALL-MODULE-PATH -m demo/demo.GramDemo | tail -1
echo "OK"
