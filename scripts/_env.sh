# Shared by scripts/generate and scripts/test: one virtual environment in .venv,
# (re)installed when the project's install inputs change.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="${PYTHON:-python3.11}"
command -v "$PY" >/dev/null 2>&1 || PY=python3
stamp_inputs() {
    local f
    for f in pyproject.toml frontend/pyproject.toml runtime/pyproject.toml sandbox/pyproject.toml generated/pyproject.toml scripts/_env.sh; do
        if [ -f "$ROOT/$f" ]; then cat "$ROOT/$f"; fi
    done | sha256sum | cut -d' ' -f1
}
ensure_env() {
    local want have=""
    want="$(stamp_inputs)"
    [ -f "$VENV/.installed" ] && have="$(cat "$VENV/.installed")"
    if [ ! -x "$VENV/bin/python" ] || [ "$want" != "$have" ]; then
        echo "==> installing into $VENV" >&2
        "$PY" -m venv "$VENV"
        "$VENV/bin/python" -m pip install --quiet --upgrade pip
        local args=(-e "$ROOT/frontend" -e "$ROOT[dev]" -e "$ROOT/runtime")
        [ -f "$ROOT/sandbox/pyproject.toml" ] && args+=(-e "$ROOT/sandbox")
        [ -f "$ROOT/generated/pyproject.toml" ] && args+=(-e "$ROOT/generated")
        "$VENV/bin/python" -m pip install --quiet "${args[@]}"
        echo "$want" > "$VENV/.installed"
    fi
}
