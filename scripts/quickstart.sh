#!/usr/bin/env bash
# The README's first command: install what is missing, build, and run the
# main job on an SQLite file with a demo provider.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
make -j"$(nproc)" >/dev/null
exec build/soporte --db "${SOPORTE_DB:-demo.db}" demo --pack "${1:-intecnia}"
