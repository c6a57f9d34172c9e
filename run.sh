#!/usr/bin/env bash
# FieldOps demo server: builds the distribution if needed, unpacks it under run/fieldops, installs the
# demo feature (demo accounts and data: never do this in production), starts Karaf in the background
# and waits until the API is healthy.
#
#   ./run.sh            build if needed, start, print the URLs and credentials
#   ./run.sh stop       stop the server (data stays in run/fieldops/data)
#   ./run.sh status     is it running and healthy?
#   ./run.sh console    start in the foreground with the Karaf console
#   ./run.sh --fresh    delete run/fieldops (database included) and start from scratch
#   ./run.sh --rebuild  rebuild the distribution, keep run/fieldops/data and etc
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
HOME_DIR=$ROOT/run/fieldops
PORT=${FIELDOPS_HTTP_PORT:-8181}
API=http://localhost:$PORT/api/v1

if [ -d /usr/lib/jvm/java-17-openjdk-amd64 ] && [ -z "${JAVA_HOME:-}" ]; then
  export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
fi

tarball() { ls "$ROOT"/karaf-distribution/target/fieldops-distribution-*.tar.gz 2>/dev/null | head -n 1; }

build() {
  echo "Building FieldOps (mvn install -DskipTests)..."
  mvn -B -q install -DskipTests
}

unpack() {
  local keep=$1 tmp
  tmp=$(mktemp -d)
  tar xzf "$(tarball)" -C "$tmp"
  mkdir -p "$HOME_DIR"
  if [ "$keep" = keep ] && [ -d "$HOME_DIR/data" ]; then
    for d in "$tmp"/fieldops-distribution-*/*; do
      case "$(basename "$d")" in data|etc) continue ;; esac
      rm -rf "$HOME_DIR/$(basename "$d")"
      cp -a "$d" "$HOME_DIR/"
    done
  else
    rm -rf "$HOME_DIR"
    mv "$tmp"/fieldops-distribution-* "$HOME_DIR"
  fi
  rm -rf "$tmp"
  # demo only: the fieldops-demo feature, installed through deploy/
  cat > "$HOME_DIR/deploy/fieldops-demo.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<features name="fieldops-demo-autoinstall" xmlns="http://karaf.apache.org/xmlns/features/v1.6.0">
  <feature name="fieldops-demo-autoinstall" version="1.0.0" install="auto">
    <feature>fieldops-demo</feature>
  </feature>
</features>
XML
  sed -i "s/^org.osgi.service.http.port = .*/org.osgi.service.http.port = $PORT/" "$HOME_DIR/etc/org.ops4j.pax.web.cfg"
}

running() { [ -x "$HOME_DIR/bin/status" ] && "$HOME_DIR/bin/status" >/dev/null 2>&1; }
# the JVM outlives "not running" by a few seconds while it shuts down: wait for the process itself
jvm_alive() { pgrep -f "karaf.home=$HOME_DIR( |$)" >/dev/null 2>&1; }

wait_healthy() {
  for _ in $(seq 1 120); do
    if curl -fsS -m 2 "$API/health" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  echo "FieldOps did not become healthy in 120 s; see $HOME_DIR/data/log/karaf.log" >&2
  return 1
}

case "${1:-start}" in
  stop)
    if running; then
      "$HOME_DIR/bin/stop"
      for _ in $(seq 1 60); do running || jvm_alive || break; sleep 1; done
      echo "FieldOps stopped."
    else
      echo "FieldOps is not running."
    fi
    exit 0 ;;
  status)
    if running; then echo "running"; curl -sS "$API/health"; echo; else echo "not running"; fi
    exit 0 ;;
  --fresh)
    running && "$0" stop
    rm -rf "$HOME_DIR" ;;
  --rebuild)
    running && "$0" stop
    build; unpack keep ;;
esac

[ -n "$(tarball)" ] || build
[ -d "$HOME_DIR" ] || unpack fresh

if [ "${1:-}" = console ]; then
  exec "$HOME_DIR/bin/karaf"
fi

if running; then
  echo "FieldOps is already running."
else
  for _ in $(seq 1 30); do jvm_alive || break; sleep 1; done  # a previous JVM still shutting down
  started=$(date +%s)
  "$HOME_DIR/bin/start"
  wait_healthy
  echo "FieldOps is up after $(( $(date +%s) - started )) s."
fi

admin_password="(set by FIELDOPS_ADMIN_PASSWORD at first start)"
[ -r "$HOME_DIR/data/fieldops/initial-admin-password" ] && admin_password=$(cat "$HOME_DIR/data/fieldops/initial-admin-password")
cat <<TXT

  API        $API   (health: $API/health, description: $API/openapi.json)
  Board      http://localhost:$PORT/board/   (dispatch board: log in as dispatcher)
  Reports    http://localhost:$PORT/reports/   (charts and CSV: log in as dispatcher or finance)
  Logs       $HOME_DIR/data/log/karaf.log
  Data       $HOME_DIR/data/fieldops   (embedded Derby)
  Stop       ./run.sh stop

  admin      password: $admin_password
  DEMO ONLY  dispatcher, finance, anna, ben, carla   password: fieldops-demo

  Try:  curl -u admin:$admin_password $API/customers
TXT
