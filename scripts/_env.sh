# Shared by scripts/generate and scripts/test: one virtual environment in .venv,
# (re)installed when the project's install inputs change. Every distribution is installed at the
# exact version pinned in constraints.txt (refresh with `bash scripts/lock`), the build backends
# of the local projects' isolated builds included (pip applies PIP_CONSTRAINT there too).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="${PYTHON:-python3.11}"
command -v "$PY" >/dev/null 2>&1 || PY=python3
LOCAL_PROJECTS=(frontend runtime sandbox generated)
stamp_inputs() {
    local f
    for f in pyproject.toml frontend/pyproject.toml runtime/pyproject.toml sandbox/pyproject.toml \
        generated/pyproject.toml constraints.txt scripts/_env.sh; do
        if [ -f "$ROOT/$f" ]; then cat "$ROOT/$f"; fi
    done | sha256sum | cut -d' ' -f1
}
ensure_env() {
    local want have=""
    want="$(stamp_inputs)"
    [ -f "$VENV/.installed" ] && have="$(cat "$VENV/.installed")"
    if [ ! -x "$VENV/bin/python" ] || [ "$want" != "$have" ]; then
        echo "==> installing into $VENV (pinned by constraints.txt)" >&2
        "$PY" -m venv "$VENV"
        export PIP_CONSTRAINT="$ROOT/constraints.txt"
        "$VENV/bin/python" -m pip install --quiet --upgrade pip setuptools wheel
        local args=(-e "$ROOT[dev]") project
        for project in "${LOCAL_PROJECTS[@]}"; do
            [ -f "$ROOT/$project/pyproject.toml" ] && args+=(-e "$ROOT/$project")
        done
        "$VENV/bin/python" -m pip install --quiet "${args[@]}"
        unset PIP_CONSTRAINT
        echo "$want" > "$VENV/.installed"
    fi
}
# The pins are for this repo's CI, never forced on users: the local projects' own requirement
# ranges must still resolve together without constraints.txt (a dry run, nothing installed).
check_ranges_resolve() {
    local args=("$ROOT") project
    for project in "${LOCAL_PROJECTS[@]}"; do
        [ -f "$ROOT/$project/pyproject.toml" ] && args+=("$ROOT/$project")
    done
    PIP_CONSTRAINT="" "$VENV/bin/python" -m pip install --quiet --dry-run --ignore-installed \
        "${args[@]}"
}
