#!/usr/bin/env bash
# Maintainers only (needs Maven): re-resolves the broker's dependencies from stack/kafka/pom.xml and
# rewrites jars.lock.json with each jar's sha1. Users never need Maven: the stack downloads the pinned jars.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
list=$(mktemp)
mvn -q -B -f "$here/pom.xml" dependency:list -DincludeScope=runtime -DoutputFile="$list" >/dev/null
repo=${MAVEN_REPO:-$HOME/.m2/repository}
python3 - "$list" "$repo" "$here/jars.lock.json" <<'PY'
import hashlib, json, re, sys
listing, repo, out = sys.argv[1:]
jars = []
for line in open(listing):
    m = re.match(r'\s+([^:\s]+):([^:]+):jar:([^:]+):', line)
    if not m:
        continue
    g, a, v = m.groups()
    path = f"{repo}/{g.replace('.', '/')}/{a}/{v}/{a}-{v}.jar"
    jars.append({"coordinates": f"{g}:{a}:{v}", "sha1": hashlib.sha1(open(path, 'rb').read()).hexdigest()})
lock = json.load(open(out))
lock["jars"] = sorted(jars, key=lambda j: j["coordinates"])
json.dump(lock, open(out, 'w'), indent=2)
print(f"{len(jars)} jars pinned in {out}")
PY
rm -f "$list"
