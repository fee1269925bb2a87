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
# Both Quick start commands install the dev extra too, so neither removes the other's tools.
.tools/bin/uv sync --quiet --locked --extra dev --python "$PYTHON"
export PATH="$PWD/.venv/bin:$PATH"
# The Welsh translations (locale/cy/LC_MESSAGES/django.po) compiled to .mo (never committed).
python manage.py compile_translations

# Participant documents are made into PDFs by WeasyPrint, which needs Pango (Debian's libraries).
if ! ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so.0"; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing Pango for the PDF documents (WeasyPrint)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 \
      libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-liberation >/dev/null) \
      || echo "Pango could not be installed: documents will not download as PDF"
  else
    echo "Pango is missing (install Debian's libpango-1.0-0 libpangoft2-1.0-0): no PDF documents"
  fi
fi

# Front-end: GOV.UK Frontend, MoJ Frontend and accessible-autocomplete from the npm registry
# (versions pinned in package-lock.json), then the stylesheet compiled by sass.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
npm run --silent build
