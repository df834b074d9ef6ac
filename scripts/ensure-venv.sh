# Sourced by quickstart.sh and runtests.sh: make .venv with Loket installed.
#   LOKET_VENV_EXTRAS=test  also the test tools (pytest, Playwright, schemathesis ...): runtests.sh sets it;
#                           quickstart.sh does not, so a first try installs only what Loket runs on.
# Installs again only when pyproject.toml changed since the last install (or the test tools are
# wanted and not there yet). pip's output goes to .venv/loket-install.log and is shown only when
# the install fails.
set -euo pipefail

pick_python() {
  for py in python3 python3.13 python3.12 python3.11 python; do
    if command -v "$py" >/dev/null 2>&1 &&
       "$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      echo "$py"; return 0
    fi
  done
  echo "Loket memerlukan Python 3.11 atau lebih baru (Loket needs Python >= 3.11)." >&2
  return 1
}

if [ ! -x .venv/bin/python ]; then
  PY=$(pick_python)
  if ! "$PY" -m venv .venv 2>/dev/null; then
    rm -rf .venv
    echo "Tidak dapat membuat virtualenv. Di Debian/Ubuntu pasang dulu: sudo apt-get install python3-venv" >&2
    echo "(Cannot create a virtual environment; on Debian/Ubuntu: sudo apt-get install python3-venv)" >&2
    exit 1
  fi
fi

loket_extras="${LOKET_VENV_EXTRAS:-}"
case "$loket_extras" in
  ""|test) ;;
  *) echo "LOKET_VENV_EXTRAS: '' atau 'test', bukan '$loket_extras'" >&2; exit 2 ;;
esac
loket_want=$(sha256sum < pyproject.toml | cut -d' ' -f1)
# One stamp per kind of install; the test install includes the plain one.
loket_stamp_base=.venv/.loket-installed
loket_stamp_test=.venv/.loket-installed-test
loket_stamp_ok() { [ -f "$1" ] && [ "$(cat "$1")" = "$loket_want" ]; }

if [ -n "$loket_extras" ]; then
  loket_stamp_ok "$loket_stamp_test" && loket_need= || loket_need=1
  loket_target=".[test]"
  loket_what="Loket dan alat tesnya"
else
  { loket_stamp_ok "$loket_stamp_base" || loket_stamp_ok "$loket_stamp_test"; } && loket_need= || loket_need=1
  loket_target="."
  loket_what="Loket"
fi

if [ -n "$loket_need" ]; then
  loket_log=.venv/loket-install.log
  echo "Memasang $loket_what ke .venv (sekali saja, 1-3 menit; catatan pip: $loket_log) ..."
  if ! { .venv/bin/python -m pip install --upgrade pip &&
         .venv/bin/python -m pip install -e "$loket_target"; } >"$loket_log" 2>&1; then
    echo "Pemasangan gagal (installation failed). Akhir catatan pip, lengkapnya di $loket_log:" >&2
    tail -n 40 "$loket_log" >&2
    exit 1
  fi
  echo "$loket_want" > "$loket_stamp_base"
  if [ -n "$loket_extras" ]; then echo "$loket_want" > "$loket_stamp_test"; fi
fi
unset loket_extras loket_want loket_stamp_base loket_stamp_test loket_need loket_target loket_what loket_log
unset -f loket_stamp_ok
