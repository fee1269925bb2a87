# Sourced by scripts/start and scripts/test: make .venv match uv.lock, installing uv if needed.
# uv lives in its own .tools/ venv so that `uv sync` never removes itself from .venv.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3)}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "Checkpoint needs Python 3.11 or newer; found $("$PYTHON" --version)." >&2
  exit 1
fi
if [ ! -x .tools/bin/uv ]; then
  "$PYTHON" -m venv .tools
  .tools/bin/pip install --quiet "uv>=0.9,<1"
fi
export UV_PYTHON_DOWNLOADS=never
# UV_SYNC_ARGS: extra arguments for uv sync, e.g. "--extra dev"
.tools/bin/uv sync --quiet --locked --inexact --python "$PYTHON" ${UV_SYNC_ARGS:-}
export PATH="$PWD/.venv/bin:$PATH"
