#!/usr/bin/env bash
# Start a private PostgreSQL for the history-store tests; print its URL as the last line of stdout.
# Usage: export REPORTER_TEST_PG_URL="$(bash scripts/ci-postgres.sh | tail -n 1)"
# Installs postgresql with apt when missing (root or sudo -n), then runs its own cluster in /tmp, listening on
# 127.0.0.1 only, so it never touches the machine's own clusters. Safe to run again: a running cluster is reused.
# Settings: REPORTER_PG_PORT (5433), REPORTER_PG_DATA (/tmp/reporter-pg-PORT). Progress goes to stderr.
set -euo pipefail
PORT=${REPORTER_PG_PORT:-5433}
DATA=${REPORTER_PG_DATA:-/tmp/reporter-pg-$PORT}
ROLE=reporter
URL="postgresql+psycopg://$ROLE:$ROLE@127.0.0.1:$PORT/$ROLE"

say() { echo "$*" >&2; }
die() { say "错误：$*"; exit 1; }

# The newest installed server's bin folder (Debian keeps initdb/pg_ctl out of PATH).
find_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then echo "$dir"; return; fi
  if command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/initdb" ]; then pg_config --bindir; return; fi
  if command -v initdb >/dev/null; then dirname "$(command -v initdb)"; fi
}

install_postgres() {
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    sudo -n true 2>/dev/null || die "未安装 PostgreSQL，且没有管理员权限安装（请运行 sudo apt-get install postgresql）。"
    sudo="sudo -n"
  fi
  command -v apt-get >/dev/null || die "未安装 PostgreSQL，本机也没有 apt-get。"
  say "正在安装 PostgreSQL……"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >&2 || true
  $sudo apt-get install -y -qq postgresql >&2 || die "PostgreSQL 安装失败。"
}

# initdb and pg_ctl refuse to run as root: as root, run them as the postgres user.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

BIN=$(find_bin)
if [ -z "$BIN" ]; then
  install_postgres
  BIN=$(find_bin)
  [ -n "$BIN" ] || die "安装后仍找不到 initdb。"
fi

# One run at a time: two CI jobs on one machine must not initdb the same folder together.
if command -v flock >/dev/null; then
  exec 9>"/tmp/reporter-pg-$PORT.lock"
  flock 9
fi

if [ ! -f "$DATA/PG_VERSION" ]; then
  say "正在初始化 PostgreSQL 数据目录 $DATA（端口 $PORT）……"
  mkdir -p "$DATA"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$DATA"
  chmod 700 "$DATA"
  as_owner "$BIN/initdb" -D "$DATA" -U postgres -E UTF8 --no-locale \
    --auth-local=trust --auth-host=scram-sha-256 >&2
  # Loopback only; the superuser's socket lives in the private data folder.
  printf "listen_addresses = '127.0.0.1'\nport = %s\nunix_socket_directories = '%s'\n" "$PORT" "$DATA" \
    >>"$DATA/postgresql.conf"
fi

if ! "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
  say "正在启动 PostgreSQL（127.0.0.1:$PORT）……"
  # 9>&-: the server must not inherit the lock, or it would hold it for as long as it runs.
  as_owner "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 start >&2 9>&- \
    || { tail -n 20 "$DATA/server.log" >&2 || true; die "PostgreSQL 启动失败，日志见 $DATA/server.log。"; }
fi

admin() { "$BIN/psql" -X -q -h "$DATA" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -At "$@"; }
admin -c "DO \$\$ BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN ALTER ROLE $ROLE LOGIN PASSWORD '$ROLE';
  ELSE CREATE ROLE $ROLE LOGIN PASSWORD '$ROLE'; END IF; END \$\$;" >&2 \
  || die "无法连接 $DATA 中的 PostgreSQL（端口 $PORT 是否被其他服务占用？）。"
if [ -z "$(admin -c "SELECT 1 FROM pg_database WHERE datname = '$ROLE'")" ]; then
  admin -c "CREATE DATABASE $ROLE OWNER $ROLE ENCODING 'UTF8' TEMPLATE template0" >&2
fi

# Prove the URL works the way the tests will use it: password login over TCP.
PGPASSWORD=$ROLE "$BIN/psql" -X -q -h 127.0.0.1 -p "$PORT" -U "$ROLE" -d "$ROLE" -Atc "SELECT 1" >/dev/null \
  || die "无法以 $ROLE 身份登录 127.0.0.1:$PORT。"
say "PostgreSQL 已就绪：127.0.0.1:$PORT"
echo "$URL"
