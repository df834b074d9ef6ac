#!/usr/bin/env bash
# Siapkan dan jalankan Loket di http://127.0.0.1:8000 (SQLite bawaan di ./data).
# Set up and run Loket at http://127.0.0.1:8000 on the embedded SQLite database in ./data.
# Installs only what Loket runs on; the test tools come with ./runtests.sh.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/ensure-venv.sh
mkdir -p data
echo "Menyiapkan basis data, standar pelayanan dan akun demo ..."
if ! .venv/bin/loket setup --demo >data/setup.log 2>&1; then
  cat data/setup.log >&2
  exit 1
fi
# compressed copies in data/static for WhiteNoise
.venv/bin/loket collectstatic --noinput --verbosity 0

# A local trial over plain HTTP: cookies may not be marked Secure here (see docs/operations.md).
export LOKET_INSECURE_COOKIES=1
export DJANGO_RUNSERVER_HIDE_WARNING=true  # the frame below says what this server is for
.venv/bin/loket runserver --noreload --skip-checks 127.0.0.1:8000 >data/runserver.log 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' INT TERM EXIT
for _ in $(seq 1 100); do  # up to 20 s for the server to listen
  if ! kill -0 "$server" 2>/dev/null; then
    echo "Server tidak dapat berjalan (port 8000 sudah dipakai?):" >&2
    cat data/runserver.log >&2
    exit 1
  fi
  if .venv/bin/python -c 'import socket; socket.create_connection(("127.0.0.1", 8000), 0.2).close()' 2>/dev/null; then
    break
  fi
  sleep 0.2
done

# The demo accounts, last password per user (the file keeps every account setup ever made).
line='=============================================================================='
echo
echo "$line"
echo "  Loket berjalan di  http://127.0.0.1:8000"
echo "  Staf masuk di      http://127.0.0.1:8000/masuk/      (admin: /admin/)"
echo
echo "  AKUN DEMO (nama pengguna / sandi awal / jabatan):"
if [ -s data/demo-accounts.txt ]; then
  # lines "user<TAB>passphrase TTE demo<TAB>…" are the demo signing certificates' passphrases
  awk -F'\t' '$2 == "passphrase TTE demo" { pp[$1] = $3; if (!($1 in ppseen)) { ppseen[$1] = 1; pporder[++m] = $1 }; next }
              { pw[$1] = $2; pos[$1] = $3; if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 } }
              END { for (i = 1; i <= n; i++) printf "    %-24s %-14s %s\n", order[i], pw[order[i]], pos[order[i]]
                    if (m) { print ""; print "  TANDA TANGAN ELEKTRONIK DEMO (nama pengguna / passphrase sertifikat DEMO):" }
                    for (i = 1; i <= m; i++) printf "    %-24s %s\n", pporder[i], pp[pporder[i]] }' \
    data/demo-accounts.txt
  echo "  (tersimpan juga di data/demo-accounts.txt, hanya dapat dibaca pemilik)"
else
  echo "    (tidak ada: basis data ini sudah punya akun sebelum --demo)"
fi
echo
echo "  Hentikan dengan Ctrl+C. Catatan server: data/runserver.log"
echo "$line"
wait "$server"
