# Sourced by quickstart.sh and runtests.sh: make .venv with Loket and its test tools installed.
# Installs again only when pyproject.toml changed since the last install.
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

stamp=.venv/.loket-installed
want=$(cat pyproject.toml | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "Memasang Loket dan dependensinya ke .venv ..."
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e '.[test]'
  echo "$want" > "$stamp"
fi
