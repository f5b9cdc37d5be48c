#!/usr/bin/env bash
# Install the Debian packages reporter's outputs need, when missing and when we may (root or sudo).
# Usage: scripts/system-deps.sh [runtime|test]
# apt waits for another apt (unattended-upgrades, a second terminal) to release its lock instead of failing.
# After installing, every package is checked again: the report names exactly those still missing; the run
# goes on either way (exit 0), since most of reporter works without them.
set -u
want=(fonts-noto-cjk fonts-arphic-gkai00mp fonts-arphic-uming fonts-dejavu-core libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 fontconfig)
if [ "${1:-runtime}" = "test" ]; then
  want+=(poppler-utils libreoffice-writer-nogui dovecot-imapd chromium chromium-driver)  # dovecot: the mailbox tests' IMAP server; chromium: the web page's browser tests
fi
LOCK_WAIT=${REPORTER_APT_LOCK_WAIT:-900}  # seconds apt waits for another apt's lock

# apt-get update takes the lists lock, which DPkg::Lock::Timeout does not cover: retry while it is held
update_lists() {
  local waited=0 out
  until out=$("${apt[@]}" update 2>&1); do
    echo "$out" >>"$log"
    echo "$out" | grep -q "Could not get lock\|Unable to lock" && [ "$waited" -lt "$LOCK_WAIT" ] || return 1
    sleep 5; waited=$((waited + 5))
  done
  echo "$out" >>"$log"
}
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
missing_of() { local pkg; for pkg in "$@"; do installed "$pkg" || echo "$pkg"; done; }

mapfile -t missing < <(missing_of "${want[@]}")
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "提示：缺少系统软件包 ${missing[*]}：本机没有 apt-get，无法自动安装；PDF 中文字体可能缺失。"
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
  echo "提示：缺少系统软件包 ${missing[*]}：需要管理员权限才能安装（请运行 sudo apt-get install ${missing[*]}）；PDF 中文字体可能缺失。"
  exit 0
fi
log=$(mktemp "${TMPDIR:-/tmp}/reporter-apt.XXXXXX.log")
apt=($sudo env LC_ALL=C apt-get -o "DPkg::Lock::Timeout=$LOCK_WAIT" -y -qq)
echo "正在安装系统软件包：${missing[*]}（如另有程序正在安装软件，最多等待 $LOCK_WAIT 秒）"
export DEBIAN_FRONTEND=noninteractive
update_lists || echo "提示：apt-get update 未成功（详见 $log），按现有软件源继续安装。"
if ! "${apt[@]}" install --no-install-recommends "${missing[@]}" >>"$log" 2>&1; then
  # one bad package must not keep the others out: try them one by one
  for pkg in "${missing[@]}"; do
    installed "$pkg" || "${apt[@]}" install --no-install-recommends "$pkg" >>"$log" 2>&1
  done
fi
mapfile -t still < <(missing_of "${missing[@]}")
if [ ${#still[@]} -eq 0 ]; then
  echo "已安装系统软件包：${missing[*]}"
else
  echo "提示：以下系统软件包未能安装：${still[*]}（详见 $log）；相关输出可能受影响。可稍后运行 sudo apt-get install ${still[*]}。"
fi
exit 0
