#!/usr/bin/env bash
# Siapkan dan jalankan Loket di http://127.0.0.1:8000 (SQLite bawaan di ./data).
# Set up and run Loket at http://127.0.0.1:8000 on the embedded SQLite database in ./data.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/ensure-venv.sh
.venv/bin/loket setup --demo
.venv/bin/loket collectstatic --noinput --verbosity 0  # compressed copies in data/static for WhiteNoise
echo
echo "Loket berjalan di http://127.0.0.1:8000  (staf masuk di http://127.0.0.1:8000/masuk/, admin di /admin/)"
echo "Hentikan dengan Ctrl+C. Akun demo juga tersimpan di data/demo-accounts.txt."
# A local trial over plain HTTP: cookies may not be marked Secure here (see docs/operations.md).
export LOKET_INSECURE_COOKIES=1
exec .venv/bin/loket runserver --noreload 127.0.0.1:8000
