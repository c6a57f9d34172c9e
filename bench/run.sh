#!/usr/bin/env bash
# FieldOps sync benchmark (on demand; never part of `mvn verify`). See docs/benchmarks.md.
#
#   bench/run.sh [all|ingest|ceiling|packet|board|build] [--no-build]
#
#   all      (default) build, then parts 1, 2 and 3
#   ingest   part 1: events/s over HTTP, 50 devices sending 100-event batches to POST /me/events
#   ceiling  part 2: the same rows by raw batched JDBC (needs a part 1 run before it)
#   packet   part 3: GET /me/packet (full and delta) with 10k and 1M jobs in the database
#   reports  GET /reports/{name}: 9 reports x 2 groupings x a day, a month, a year of data
#            (200 technicians), on its own server (bench/target/server-reports)
#   board    board freshness: upload response -> event on GET /board/changes (board-freshness/),
#            once per BENCH_BOARD_DEVICES value, each on a fresh server
#   build    only build the distribution and the bench client
#
# Settings (environment):
#   BENCH_PORT=8287                HTTP port of the bench server (never 8181)
#   BENCH_DEVICES=50               simulated devices (one technician user each)
#   BENCH_JOBS_PER_DEVICE=4        dispatched jobs per technician
#   BENCH_BATCH=100                events per batch
#   BENCH_WARMUP_BATCHES=2         warm-up batches per device (not measured)
#   BENCH_BATCHES=6                measured batches per device
#   BENCH_CEILING_PER_EVENT=1      part 2 also with one transaction per event (diagnostic)
#   BENCH_INGEST_SQL=              part 1: SQL run on the new database between a first start and
#                                  the measured one ("VALUES 1" for the same restart without change)
#   BENCH_HAYSTACKS="10000 1000000" part 3: jobs in the database
#   BENCH_PACKET_JOBS=30           part 3: the needle technician's jobs today
#   BENCH_PACKET_REQUESTS=200      part 3: measured requests per kind
#   BENCH_HAYSTACK_CACHE=1         keep/reuse generated haystack databases (0: always generate)
#   BENCH_REPORTS_PORT=8288        reports: the reports server's HTTP port
#   BENCH_REPORT_TECHNICIANS=200, BENCH_REPORT_DAYS=365  reports: the generated year
#   BENCH_REPORT_WARMUP=2, BENCH_REPORT_RUNS=20  reports: requests per case (untimed, timed)
#   BENCH_REPORT_CASE_SECONDS=240  reports: stop a case's timed runs after this (at least 5; 3
#                                  after twice that)
#   BENCH_REPORTS=                 reports: only these (comma-separated names)
#   BENCH_REPORT_RANGES=day,month,year  reports: the ranges measured
#   BENCH_REPORT_TIMEOUT=120       reports: seconds before a request counts as timed out (the case
#                                  ends there and the server is restarted)
#   BENCH_REPORT_SQL=              reports: SQL run on the copy of the data first (to try an index)
#   BENCH_REPORT_ROLLUPS=true      reports: keep and read daily/monthly roll-ups (false: the facts
#                                  only); true waits for the first roll-up of the year before timing
#   BENCH_REPORT_ROLLUP_WAIT=3600  reports: seconds to wait for that
#   BENCH_PROFILE=1                record the server with Java Flight Recorder during part 1 (and board)
#   BENCH_BOARD_DEVICES="10 50"    board: uploading devices (one run per value)
#   BENCH_BOARD_STREAMS=20         board: open GET /board/changes streams
#   BENCH_BOARD_SECONDS=30         board: seconds of uploads per run
#   BENCH_BOARD_INTERVAL=500       board: milliseconds between two uploads of one device
#   BENCH_BOARD_WARMUP=true        board: every device logs in once before the uploads
#   BENCH_BOARD_WARMUP_SECONDS=10  board: seconds of uploads before the measured phase (not measured)
#   JAVA_MAX_MEM / JAVA_MIN_MEM    the server's heap (bin/setenv: 1024M / 256M)
#   BENCH_CLIENT_HEAP=2g           the bench client's heap
#   BENCH_REV=<git revision>       build the server from that commit (git archive into
#                                  bench/target/src-REV) instead of the working tree
#   BENCH_DIST=<path.tar.gz>       use this distribution as it is (no server build)
#   BENCH_MVN_FLAGS=-o             extra Maven flags (offline by default)
set -euo pipefail
cd "$(dirname "$0")"
BENCH=$PWD
ROOT=$(cd .. && pwd)
TARGET=$BENCH/target
SERVER=$TARGET/server
RESULTS=$TARGET/results

if [ -z "${JAVA_HOME:-}" ] && [ -d /usr/lib/jvm/java-17-openjdk-amd64 ]; then
  export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
fi
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java

PORT=${BENCH_PORT:-8287}
[ "$PORT" = 8181 ] && { echo "BENCH_PORT must not be 8181 (the demo server's port)" >&2; exit 2; }
API=http://localhost:$PORT/api/v1
DEVICES=${BENCH_DEVICES:-50}
JOBS=${BENCH_JOBS_PER_DEVICE:-4}
BATCH=${BENCH_BATCH:-100}
WARMUP=${BENCH_WARMUP_BATCHES:-2}
BATCHES=${BENCH_BATCHES:-6}
HAYSTACKS=${BENCH_HAYSTACKS:-10000 1000000}
PACKET_JOBS=${BENCH_PACKET_JOBS:-30}
PACKET_REQUESTS=${BENCH_PACKET_REQUESTS:-200}
export JAVA_MIN_MEM=${JAVA_MIN_MEM:-256M}
export JAVA_MAX_MEM=${JAVA_MAX_MEM:-1024M}
export FIELDOPS_ADMIN_PASSWORD=${FIELDOPS_ADMIN_PASSWORD:-bench-admin-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')}
MVN_FLAGS=${BENCH_MVN_FLAGS--o}

what=${1:-all}
build=yes
for a in "$@"; do [ "$a" = --no-build ] && build=no; done

REV=${BENCH_REV:-}
if [ -n "$REV" ]; then
  REV=$(cd "$ROOT" && git rev-parse --short "$REV")
  SRC=$TARGET/src-$REV
else
  SRC=$ROOT
fi

tarball() {
  if [ -n "${BENCH_DIST:-}" ]; then echo "$BENCH_DIST"; return; fi
  ls "$SRC"/karaf-distribution/target/fieldops-distribution-*.tar.gz 2>/dev/null | head -n 1
}

do_build() {
  # one Maven build at a time on this machine: /tmp/fieldops-mvn.lock
  if [ -n "${BENCH_DIST:-}" ]; then
    echo "== Using the distribution $BENCH_DIST"
  elif [ -n "$REV" ]; then
    if [ -z "$(tarball)" ]; then
      echo "== Building the distribution of commit $REV in $SRC"
      rm -rf "$SRC" && mkdir -p "$SRC"
      (cd "$ROOT" && git archive "$REV") | tar -x -C "$SRC"
      # the whole reactor, installed: the distribution takes the bundles from the local Maven
      # repository (its features name them by mvn: URL), so this replaces the FieldOps snapshots
      # there with that commit's; build the working tree again afterwards
      (cd "$SRC" && flock /tmp/fieldops-mvn.lock mvn -B -q $MVN_FLAGS install -DskipTests)
    fi
  else
    echo "== Building the distribution from the working tree"
    # the whole reactor: the distribution takes the bundles from the local Maven repository (its
    # features name them by mvn: URL), so "-pl karaf-distribution -am" would pack stale bundles
    (cd "$ROOT" && flock /tmp/fieldops-mvn.lock mvn -B -q $MVN_FLAGS install -DskipTests)
  fi
  echo "== Building the bench client"
  (cd "$ROOT" && flock /tmp/fieldops-mvn.lock mvn -B -q $MVN_FLAGS -Pbench package -pl bench)
}

client() {
  "$JAVA" -Xmx"${BENCH_CLIENT_HEAP:-2g}" -Duser.timezone=UTC -Dderby.stream.error.file="$TARGET/derby.log" \
    -cp "$TARGET/classes:$TARGET/lib/*" org.fieldops.bench.Bench "$@"
}

server_pid() { pgrep -f "karaf.home=$SERVER( |$)" | head -n 1 || true; }

unpack() {
  [ -n "$(server_pid)" ] && stop_server
  rm -rf "$SERVER"
  local tmp
  tmp=$(mktemp -d -p "$TARGET")
  tar xzf "$(tarball)" -C "$tmp"
  mv "$tmp"/fieldops-distribution-* "$SERVER"
  rmdir "$tmp"
  sed -i "s/^org.osgi.service.http.port = .*/org.osgi.service.http.port = $PORT/" \
    "$SERVER/etc/org.ops4j.pax.web.cfg"
}

start_server() {
  if curl -fsS -m 2 "http://localhost:$PORT/" >/dev/null 2>&1 || [ -n "$(server_pid)" ]; then
    echo "port $PORT is busy or a bench server is running; stop it first" >&2
    exit 1
  fi
  local started attempt
  for attempt in 1 2; do
    started=$(date +%s)
    "$SERVER/bin/start"
    for _ in $(seq 1 180); do
      if curl -fsS -m 2 "$API/health" >/dev/null 2>&1; then
        echo "server up after $(( $(date +%s) - started )) s (pid $(server_pid), port $PORT)"
        return 0
      fi
      sleep 1
    done
    # Karaf's boot-feature provisioning was seen to deadlock now and then (a bundle stop waiting
    # for a bundle lock): keep a thread dump, kill that JVM and boot once more
    echo "the bench server did not become healthy in 180 s (attempt $attempt); thread dump in" \
      "$RESULTS/boot-hang-$attempt.txt" >&2
    "${JAVA_HOME:+$JAVA_HOME/bin/}jstack" "$(server_pid)" > "$RESULTS/boot-hang-$attempt.txt" 2>&1 || true
    stop_server
  done
  echo "the bench server did not start; see $SERVER/data/log/karaf.log" >&2
  exit 1
}

stop_server() {
  local pid
  pid=$(server_pid)
  [ -z "$pid" ] && return 0
  timeout 30 "$SERVER/bin/stop" >/dev/null 2>&1 || true
  for _ in $(seq 1 90); do
    kill -0 "$pid" 2>/dev/null || { echo "server stopped"; return 0; }
    sleep 1
  done
  echo "server (pid $pid) did not stop in 90 s; killing it" >&2
  kill "$pid" 2>/dev/null || true
  sleep 10
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
  sleep 2
}

trap stop_server EXIT

settings() {
  echo "== Settings"
  if [ -n "${BENCH_DIST:-}" ]; then
    echo "date:      $(date -u +%Y-%m-%dT%H:%M:%SZ)   server: $BENCH_DIST"
  elif [ -n "$REV" ]; then
    echo "date:      $(date -u +%Y-%m-%dT%H:%M:%SZ)   server built from commit $REV"
  else
    echo "date:      $(date -u +%Y-%m-%dT%H:%M:%SZ)   server built from the working tree at $(cd "$ROOT" && git rev-parse --short HEAD)$(cd "$ROOT" && git diff --quiet HEAD -- bundles || echo ' + uncommitted changes in bundles/')"
  fi
  echo "machine:   $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -g | awk '/Mem:/ {print $2}') GiB RAM, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "disk:      $(df -h "$TARGET" | awk 'NR==2 {print $1, $2" ("$5" used)"}') for bench/target"
  echo "java:      $("$JAVA" -version 2>&1 | head -n 1)"
  echo "server:    Karaf distribution $(basename "$(tarball)"), heap -Xms$JAVA_MIN_MEM -Xmx$JAVA_MAX_MEM (bin/setenv), port $PORT"
  echo "database:  embedded Derby under $SERVER/data/fieldops/db, default durability (derby.system.durability unset: the log is synced at every commit), HikariCP pool $(grep -h '^hikari.maximumPoolSize' "$ROOT"/karaf-distribution/src/main/resources/assembly/etc/org.ops4j.datasource-fieldops.cfg | cut -d= -f2 | tr -d ' ')"
  echo "part 1:    $DEVICES devices x $JOBS jobs, batches of $BATCH events, $WARMUP warm-up + $BATCHES measured batches per device"
  echo "part 3:    haystacks of $HAYSTACKS jobs, needle technician with $PACKET_JOBS jobs today, $PACKET_REQUESTS requests per kind"
  client settings
  echo
}

part_ingest() {
  unpack
  start_server
  if [ -n "${BENCH_INGEST_SQL:-}" ]; then
    # a change to try by hand (e.g. without the report triggers), on the fresh database: the
    # server made the schema; it is stopped for the statements and started again
    stop_server
    "$JAVA" -Dderby.stream.error.file="$TARGET/derby.log" -cp "$TARGET/classes:$TARGET/lib/*" \
      org.fieldops.bench.ReportBench sql --db="$SERVER/data/fieldops/db" --sql="$BENCH_INGEST_SQL"
    start_server
  fi
  local jfr=()
  [ "${BENCH_PROFILE:-0}" = 1 ] && jfr=(--jfr="$RESULTS/ingest.jfr")
  client ingest --api="$API" --admin-password="$FIELDOPS_ADMIN_PASSWORD" --server-pid="$(server_pid)" \
    --devices="$DEVICES" --jobs-per-device="$JOBS" --batch="$BATCH" \
    --warmup-batches="$WARMUP" --batches="$BATCHES" --out="$RESULTS/ingest.json" "${jfr[@]}"
  stop_server
  echo
}

part_board() {
  echo "== Board freshness (bench/board-freshness): upload response -> event on GET /board/changes"
  local n jfr
  for n in ${BENCH_BOARD_DEVICES:-10 50}; do
    echo "-- $n devices, ${BENCH_BOARD_STREAMS:-20} streams, ${BENCH_BOARD_SECONDS:-30} s, an upload every ${BENCH_BOARD_INTERVAL:-500} ms per device"
    unpack
    # the server logs "freshness timing: ..." percentiles every 10 s (ChangeSequencer, BoardFeed)
    EXTRA_JAVA_OPTS="${EXTRA_JAVA_OPTS:-} -Dfieldops.timing=true" start_server
    if [ "${BENCH_PROFILE:-0}" = 1 ]; then
      jfr=$RESULTS/board-$n.jfr
      "${JAVA_HOME:+$JAVA_HOME/bin/}jcmd" "$(server_pid)" JFR.start name=board settings=profile \
        filename="$jfr" >/dev/null
    fi
    "$JAVA" -Dapi="$API" -DadminPassword="$FIELDOPS_ADMIN_PASSWORD" -Ddevices="$n" \
      -Dstreams="${BENCH_BOARD_STREAMS:-20}" -Dseconds="${BENCH_BOARD_SECONDS:-30}" \
      -DintervalMillis="${BENCH_BOARD_INTERVAL:-500}" -Dwarmup="${BENCH_BOARD_WARMUP:-true}" \
      -DwarmupSeconds="${BENCH_BOARD_WARMUP_SECONDS:-10}" \
      -DserverPid="$(server_pid)" "$BENCH/board-freshness/BoardFreshness.java" \
      | tee "$RESULTS/board-$n.txt"
    echo "server-side timing (10-s windows; change = the change row's time, in the writing transaction):" \
      | tee -a "$RESULTS/board-$n.txt"
    grep -h 'freshness timing' "$SERVER"/data/log/karaf.log* 2>/dev/null \
      | sed 's/.*freshness timing: //' | tee -a "$RESULTS/board-$n.txt" || true
    if [ "${BENCH_PROFILE:-0}" = 1 ]; then
      "${JAVA_HOME:+$JAVA_HOME/bin/}jcmd" "$(server_pid)" JFR.stop name=board >/dev/null || true
      client profile "$jfr" || true
    fi
    stop_server
  done
  echo
}

# the reports bench (issue 9): a year of data generated straight into the database (ReportHaystack),
# kept in bench/target/report-cache per generator version, store schema and generator classes; its
# own server folder and port, so it never disturbs the other parts' server
report_key() {
  { cat "$SERVER"/system/org/fieldops/fieldops-store/*/fieldops-store-*.jar \
      "$TARGET"/classes/org/fieldops/bench/ReportHaystack*.class
    echo "${BENCH_REPORT_TECHNICIANS:-200} ${BENCH_REPORT_DAYS:-365}"; } | md5sum | cut -c1-12
}

part_reports() {
  SERVER=$TARGET/server-reports
  PORT=${BENCH_REPORTS_PORT:-8288}
  [ "$PORT" = 8181 ] && { echo "BENCH_REPORTS_PORT must not be 8181" >&2; exit 2; }
  API=http://localhost:$PORT/api/v1
  echo "== Reports: GET /reports/{name} with a year of data (server on port $PORT)"
  local cache admin version
  unpack
  version=$("$JAVA" -cp "$TARGET/classes:$TARGET/lib/*" org.fieldops.bench.ReportBench version)
  : > "$RESULTS/reports.txt"
  cache=$TARGET/report-cache/$version-$(report_key)
  if [ -f "$cache/marker" ] && [ "$(cat "$cache/marker")" = "$version" ]; then
    echo "a year of data from $cache (generated earlier: $(grep -o '"rows" : [0-9]*' "$cache/haystack.json" | grep -o '[0-9]*$') rows; delete that folder to regenerate)"
    mkdir -p "$SERVER/data"
    cp -a "$cache/fieldops" "$SERVER/data/"
    admin=$(cat "$cache/admin-password")
  else
    start_server  # creates the schema and the admin user
    stop_server
    # bulk load: the log is not synced at each commit (a clean shutdown ends the generation)
    "$JAVA" -Xmx"${BENCH_CLIENT_HEAP:-2g}" -Duser.timezone=UTC -Dderby.system.durability=test \
      -Dderby.storage.pageCacheSize=20000 -Dderby.stream.error.file="$TARGET/derby.log" \
      -cp "$TARGET/classes:$TARGET/lib/*" org.fieldops.bench.ReportBench generate \
      --db="$SERVER/data/fieldops/db" --technicians="${BENCH_REPORT_TECHNICIANS:-200}" \
      --days="${BENCH_REPORT_DAYS:-365}" --out="$RESULTS/report-haystack.json"
    admin=$FIELDOPS_ADMIN_PASSWORD
    rm -rf "$cache" && mkdir -p "$cache"
    cp -a "$SERVER/data/fieldops" "$cache/"
    cp "$RESULTS/report-haystack.json" "$cache/haystack.json"
    printf '%s' "$admin" > "$cache/admin-password"
    printf '%s' "$version" > "$cache/marker"
  fi
  if [ -n "${BENCH_REPORT_SQL:-}" ]; then
    # a change to try by hand (an index), on this run's copy of the data only
    "$JAVA" -Dderby.stream.error.file="$TARGET/derby.log" -cp "$TARGET/classes:$TARGET/lib/*" \
      org.fieldops.bench.ReportBench sql --db="$SERVER/data/fieldops/db" --sql="$BENCH_REPORT_SQL"
  fi
  rm -f "$RESULTS/reports-cases.jsonl"
  local rollups=${BENCH_REPORT_ROLLUPS:-true}
  printf 'rollupsEnabled=%s\nrollupPeriodSeconds=10\n' "$rollups" > "$SERVER/etc/org.fieldops.reports.cfg"
  local attempt rc
  for attempt in $(seq 1 40); do
    start_server
    [ "$rollups" = true ] && wait_rollups
    rc=0
    "$JAVA" -Xmx512m -cp "$TARGET/classes:$TARGET/lib/*" org.fieldops.bench.ReportBench run \
      --api="$API" --admin-password="$admin" --haystack="$cache/haystack.json" \
      --server-pid="$(server_pid)" --warmup="${BENCH_REPORT_WARMUP:-2}" \
      --runs="${BENCH_REPORT_RUNS:-20}" --case-seconds="${BENCH_REPORT_CASE_SECONDS:-240}" \
      --timeout-seconds="${BENCH_REPORT_TIMEOUT:-120}" --reports="${BENCH_REPORTS:-}" \
      --ranges="${BENCH_REPORT_RANGES:-day,month,year}" \
      --cases="$RESULTS/reports-cases.jsonl" --out="$RESULTS/reports.json" \
      | tee -a "$RESULTS/reports.txt" || rc=$?
    # 3: a request timed out and the server is still computing it; restart it and go on
    [ "$rc" = 3 ] || break
    stop_server
  done
  stop_server
  echo
}

# waits until the server logs that its report roll-ups are current (after an upgrade the completed
# jobs are filled in first, then every closed day of the year is rolled up)
wait_rollups() {
  local started=$(date +%s) limit=${BENCH_REPORT_ROLLUP_WAIT:-3600}
  echo "waiting for the report roll-ups (up to $limit s)..."
  until grep -q "Report roll-ups are current" "$SERVER/data/log/karaf.log" 2>/dev/null; do
    if [ $(( $(date +%s) - started )) -ge "$limit" ]; then
      echo "roll-ups not current after $limit s; timing anyway" >&2
      return 0
    fi
    sleep 5
  done
  echo "roll-ups current after $(( $(date +%s) - started )) s:" \
    "$(grep -c "Report roll-ups:" "$SERVER/data/log/karaf.log") passes," \
    "$(grep "Report facts:" "$SERVER/data/log/karaf.log" | tail -1 | sed 's/.*Report facts: //')"
}

part_ceiling() {
  [ -f "$RESULTS/ingest.json" ] && [ -d "$SERVER/data/fieldops/db" ] || {
    echo "part 2 needs a part 1 run first (bench/run.sh ingest)" >&2; exit 1; }
  stop_server
  local devices cores
  devices=$(grep -o '"devices" : [0-9]*' "$RESULTS/ingest.json" | grep -o '[0-9]*$')
  cores=$(nproc)
  ceiling() {
    client ceiling --source="$SERVER/data/fieldops/db" --target="$TARGET/ceiling-db" \
      --ingest="$RESULTS/ingest.json" "$@"
    echo
  }
  echo "-- $devices threads (one per device, as in part 1), one transaction per batch"
  ceiling --commit=batch --threads="$devices"
  echo "-- $cores threads (one per core), one transaction per batch"
  ceiling --commit=batch --threads="$cores"
  if [ "${BENCH_CEILING_PER_EVENT:-1}" = 1 ]; then
    echo "-- diagnostic: $cores threads, one transaction per event (as the server commits)"
    ceiling --commit=event --threads="$cores"
  fi
  rm -rf "$TARGET/ceiling-db"
}

# the haystack databases are kept (bench/target/haystack-cache) per size, schema and generator,
# so a second run does not spend half an hour generating 1M jobs again
haystack_key() {
  cat "$SERVER"/system/org/fieldops/fieldops-store/*/fieldops-store-*.jar \
    "$TARGET"/classes/org/fieldops/bench/Haystack*.class | md5sum | cut -c1-12
}

part_packet() {
  echo "== Part 3: packet build time (GET /me/packet)"
  local files=() n cache admin
  for n in $HAYSTACKS; do
    echo "-- $n jobs"
    unpack
    # no overnight priming during the bench: packets are built on request
    printf 'primeEnabled = false\n' > "$SERVER/etc/org.fieldops.sync.cfg"
    cache=$TARGET/haystack-cache/$n-$(haystack_key)
    if [ -d "$cache/fieldops" ] && [ "${BENCH_HAYSTACK_CACHE:-1}" = 1 ]; then
      echo "haystack of $n jobs from $cache (generated earlier; BENCH_HAYSTACK_CACHE=0 regenerates)"
      mkdir -p "$SERVER/data"
      cp -a "$cache/fieldops" "$SERVER/data/"
      cp "$cache/haystack.json" "$RESULTS/haystack-$n.json"
      admin=$(cat "$cache/admin-password")
    else
      start_server  # creates the schema
      stop_server
      client generate --db="$SERVER/data/fieldops/db" --jobs="$n" --out="$RESULTS/haystack-$n.json"
      admin=$FIELDOPS_ADMIN_PASSWORD
      if [ "${BENCH_HAYSTACK_CACHE:-1}" = 1 ]; then
        rm -rf "$cache" && mkdir -p "$cache"
        cp -a "$SERVER/data/fieldops" "$cache/"
        cp "$RESULTS/haystack-$n.json" "$cache/haystack.json"
        printf '%s' "$admin" > "$cache/admin-password"
      fi
    fi
    start_server
    client packet --api="$API" --admin-password="$admin" \
      --haystack="$RESULTS/haystack-$n.json" --jobs="$PACKET_JOBS" --requests="$PACKET_REQUESTS" \
      --server-pid="$(server_pid)" --label="$n jobs" --out="$RESULTS/packet-$n.json"
    stop_server
    files+=("$RESULTS/packet-$n.json")
  done
  client packet-report "${files[@]}"
  echo
}

mkdir -p "$TARGET" "$RESULTS"
if [ "$build" = yes ] && [ "$what" != ceiling ]; then do_build; fi
[ -n "$(tarball)" ] || { echo "no distribution tar.gz; run without --no-build" >&2; exit 1; }
[ -d "$TARGET/classes" ] || { echo "bench client not built; run without --no-build" >&2; exit 1; }

case "$what" in
  build) ;;
  all) settings; part_ingest; part_ceiling; part_packet ;;
  ingest) settings; part_ingest ;;
  ceiling) part_ceiling ;;
  packet) settings; part_packet ;;
  reports) settings; part_reports ;;
  board) settings; part_board ;;
  *) echo "usage: bench/run.sh [all|ingest|ceiling|packet|board|build] [--no-build]" >&2; exit 2 ;;
esac
