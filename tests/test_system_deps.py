"""scripts/system-deps.sh against a stand-in apt: it waits for locks and names exactly what is still missing."""
import os
import stat
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).parents[1] / "scripts" / "system-deps.sh"
RUNTIME = ["fonts-noto-cjk", "fonts-arphic-gkai00mp", "fonts-arphic-uming", "fonts-dejavu-core",
           "libharfbuzz-subset0", "libpango-1.0-0", "libpangoft2-1.0-0", "fontconfig"]

# dpkg-query answers from a folder of installed package names; apt-get installs into it, except a package
# named in $BROKEN; `update` finds the lists locked the first $LOCKED times it runs.
DPKG_QUERY = """#!/bin/sh
for last; do :; done
[ -e "$STATE/$last" ] && printf 'install ok installed' || exit 1
"""
APT_GET = """#!/bin/sh
echo "$*" >>"$STATE/.calls"
case " $* " in
  *" update "*)
    n=$(cat "$STATE/.updates" 2>/dev/null || echo 0); echo $((n + 1)) >"$STATE/.updates"
    if [ "$n" -lt "${LOCKED:-0}" ]; then
      echo "E: Could not get lock /var/lib/apt/lists/lock. It is held by process 2770 (apt-get)"; exit 100
    fi
    exit 0 ;;
esac
status=0
for arg; do
  case "$arg" in -*|*=*|install) ;;
    *) if [ "$arg" = "$BROKEN" ]; then echo "E: Unable to locate package $arg"; status=100;
       else touch "$STATE/$arg"; fi ;;
  esac
done
# apt installs nothing when one package of the list is broken
if [ $status -ne 0 ]; then for arg; do [ "$arg" = "$BROKEN" ] || rm -f "$STATE/$arg" 2>/dev/null; done; fi
exit $status
"""


def stand_in(tmp_path, installed, broken="", locked=0):
    bin_ = tmp_path / "bin"
    state = tmp_path / "state"
    bin_.mkdir()
    state.mkdir()
    for name in installed:
        (state / name).touch()
    for name, text in {"dpkg-query": DPKG_QUERY, "apt-get": APT_GET, "id": "#!/bin/sh\necho 0\n",
                       "sleep": "#!/bin/sh\nexit 0\n"}.items():
        (bin_ / name).write_text(text)
        (bin_ / name).chmod(stat.S_IRWXU)
    env = {**os.environ, "PATH": f"{bin_}:{os.environ['PATH']}", "STATE": str(state), "BROKEN": broken,
           "LOCKED": str(locked), "TMPDIR": str(tmp_path)}
    return env, state


def run(env, *args):
    return subprocess.run(["bash", str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=60)


def test_names_only_the_package_that_could_not_be_installed(tmp_path):
    env, state = stand_in(tmp_path, set(RUNTIME) - {"fonts-noto-cjk", "libpango-1.0-0", "fontconfig"},
                          broken="fontconfig")
    result = run(env)
    assert result.returncode == 0
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("提示：以下系统软件包未能安装：fontconfig（详见 ")
    assert "fonts-noto-cjk" not in last and "libpango" not in last
    assert (state / "fonts-noto-cjk").exists() and (state / "libpango-1.0-0").exists()
    calls = (state / ".calls").read_text().splitlines()
    assert all("DPkg::Lock::Timeout=" in call for call in calls)


def test_waits_for_the_lists_lock_and_reports_success(tmp_path):
    env, state = stand_in(tmp_path, set(RUNTIME) - {"fonts-noto-cjk"}, locked=3)
    result = run(env)
    assert result.stdout.strip().splitlines()[-1] == "已安装系统软件包：fonts-noto-cjk"
    assert (state / ".updates").read_text().strip() == "4"


def test_nothing_missing_means_nothing_said(tmp_path):
    env, state = stand_in(tmp_path, RUNTIME)
    result = run(env)
    assert result.returncode == 0 and result.stdout == "" and not (state / ".calls").exists()


def test_the_test_list_adds_the_document_checkers(tmp_path):
    env, state = stand_in(tmp_path, RUNTIME)
    result = run(env, "test")
    assert result.stdout.strip().splitlines()[-1].startswith("已安装系统软件包：poppler-utils libreoffice-writer-nogui")
