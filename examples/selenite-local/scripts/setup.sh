#!/usr/bin/env bash
# Prepares the stand-in production host (not a step of the seed): free ports chosen now, a .env
# naming them, a self-signed CA + server certificate for 127.0.0.1, and — the first time only —
# the v1.0.0 database with some jobs and tags, the storage folder, a model file and a log, and a
# git repository with the v1.0.0 tag and the release commit (for `notes` and `git/tag`).
# Prints the ports as step outputs (https-port, http-port).
set -euo pipefail
cd "$(dirname "$0")/.."
top=$(git rev-parse --show-toplevel 2>/dev/null || true)
if [ -n "$top" ] && [ "$top" != "$PWD" ]; then
  echo "refusing to run inside another git work tree ($top): copy this example first, e.g." >&2
  echo "  cp -r examples/selenite-local /tmp/selenite-local && cd /tmp/selenite-local && shipgate run --env production --release v1.1.0" >&2
  exit 1
fi
mkdir -p run logs certs storage/media storage/exports storage/backups backend/models docs

# Ports: ask the kernel for two free ones (they are free now; the app binds them at start).
read -r https_port http_port < <(node -e '
  const net = require("node:net");
  const free = () => new Promise((ok) => { const s = net.createServer().listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => ok(p)); }); });
  (async () => { const a = await free(); let b = await free(); while (b === a) b = await free(); console.log(a, b); })();')
cat > .env <<ENV
PORT=$https_port
HTTP_PORT=$http_port
FRONTEND_URL=https://127.0.0.1:$https_port
ADMIN_USER=admin
ENV
echo "https-port=$https_port" >> "${SHIPGATE_OUTPUT:-/dev/null}"
echo "http-port=$http_port" >> "${SHIPGATE_OUTPUT:-/dev/null}"

if [ ! -f certs/server.pem ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=Selenite local CA" -keyout certs/ca.key -out certs/ca.pem 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout certs/server.key -out certs/server.csr 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' > certs/server.ext
  openssl x509 -req -in certs/server.csr -CA certs/ca.pem -CAkey certs/ca.key -CAcreateserial -days 30 -extfile certs/server.ext -out certs/server.pem 2>/dev/null
fi

if [ ! -f backend/selenite.db ]; then
  bash scripts/migrate.sh 0001_init >/dev/null
  sqlite3 -bail backend/selenite.db <<'SQL'
INSERT INTO jobs (id, title, media_path) VALUES (1, 'Board meeting 2026-10-02', 'storage/media/job-1.txt'),
  (2, 'Customer interview', 'storage/media/job-2.txt'), (3, 'Podcast episode 12', 'storage/media/job-3.txt');
INSERT INTO tags (id, name) VALUES (1, 'meetings'), (2, 'interviews');
INSERT INTO job_tags VALUES (1, 1), (2, 2);
SQL
  for i in 1 2 3; do echo "transcript of job $i" > "storage/media/job-$i.txt"; done
  echo "job,title" > storage/exports/jobs-2026-10.csv
  echo "an old manual archive (excluded from backups)" > storage/backups/manual-archive.txt
  head -c 65536 /dev/urandom > backend/models/whisper-tiny.bin
  echo "$(date -u +%FT%TZ) model loaded: whisper-tiny" > logs/selenite.log
  echo v1.0.0 > app/DEPLOYED
  git init -q -b main . && git add -A -- . ':!backend/migrations/0002_job_duration.sql' ':!docs/release'
  git -c user.name=selenite -c user.email=dev@selenite.example commit -qm "chore: Selenite v1.0.0"
  git -c user.name=selenite -c user.email=dev@selenite.example tag -a v1.0.0 -m "Release v1.0.0"
  git add -A && git -c user.name=selenite -c user.email=dev@selenite.example commit -qm "feat: record each job's media duration (migration 0002)"
fi
echo "host ready: https://127.0.0.1:$https_port (http :$http_port redirects)"
