#!/usr/bin/env bash
# Install the Debian packages reporter's outputs need, when missing and when we may (root or sudo).
# Usage: scripts/system-deps.sh [runtime|test]
# A package that cannot be installed is named in one line with the reason; the run goes on.
set -u
want=(fonts-noto-cjk fonts-arphic-gkai00mp fonts-arphic-uming fonts-dejavu-core libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 fontconfig)
if [ "${1:-runtime}" = "test" ]; then
  want+=(poppler-utils libreoffice-writer-nogui dovecot-imapd)  # dovecot: the mailbox tests' IMAP server
fi
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "提示：缺少系统软件包 ${missing[*]}：本机没有 apt-get，无法自动安装；PDF 中文字体可能缺失。"
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
  echo "提示：缺少系统软件包 ${missing[*]}：需要管理员权限才能安装（请运行 sudo apt-get install ${missing[*]}）；PDF 中文字体可能缺失。"
  exit 0
fi
echo "正在安装系统软件包：${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null 2>&1 || true
if ! $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/reporter-apt.log 2>&1; then
  for pkg in "${missing[@]}"; do
    $sudo apt-get install -y -qq --no-install-recommends "$pkg" >>/tmp/reporter-apt.log 2>&1 \
      || echo "提示：系统软件包 $pkg 安装失败（详见 /tmp/reporter-apt.log）；相关输出可能受影响。"
  done
fi
exit 0
