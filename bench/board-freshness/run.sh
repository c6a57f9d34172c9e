#!/usr/bin/env bash
# Board freshness benchmark: upload response -> event on GET /board/changes, p50/p90/p99.
# Needs a running server (./run.sh) and its admin password; JDK 17 only, nothing to build.
#   FIELDOPS_ADMIN_PASSWORD=... bench/board-freshness/run.sh [-Ddevices=50 -Dstreams=20 -Dseconds=30 -DintervalMillis=500]
set -euo pipefail
cd "$(dirname "$0")"
JAVA=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}/bin/java
PW=${FIELDOPS_ADMIN_PASSWORD:-$(cat ../../run/fieldops/data/fieldops/initial-admin-password 2>/dev/null || true)}
exec "$JAVA" -Dapi="${FIELDOPS_API:-http://localhost:8181/api/v1}" -DadminPassword="$PW" "$@" BoardFreshness.java
