# Sourced by .ci/run (or by hand: `. scripts/harness/test-mlflow.sh && mlflow_start`):
# starts a throwaway MLflow tracking server (SQLite backend store, served
# artifacts) for the registry tests on a loopback port, in a temporary
# folder, in its own process group, and exports EVALGATE_TEST_MLFLOW;
# `mlflow_stop` stops the whole group and removes the folder. MLflow comes
# from PyPI into a virtual environment outside the clone, reused when present.

mlflow_start() {
  local venv=${EVALGATE_CI_CACHE:-$HOME/.cache/evalgate-ci}/mlflow
  if [ ! -x "$venv/bin/mlflow" ]; then
    echo "installing: mlflow (PyPI, into $venv)"
    python3 -m venv "$venv" && "$venv/bin/pip" install -q mlflow || return 1
  fi
  MLFLOW_DIR=$(mktemp -d /tmp/evalgate-mlflow.XXXXXX)
  local port=${EVALGATE_MLFLOW_PORT:-55055}
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  setsid "$venv/bin/mlflow" server --backend-store-uri "sqlite:///$MLFLOW_DIR/mlflow.db" \
    --artifacts-destination "$MLFLOW_DIR/artifacts" --serve-artifacts --host 127.0.0.1 --port "$port" \
    --workers 1 >"$MLFLOW_DIR/server.log" 2>&1 &
  MLFLOW_PID=$!
  local i
  for i in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
    kill -0 "$MLFLOW_PID" 2>/dev/null || { cat "$MLFLOW_DIR/server.log"; return 1; }
    sleep 1
  done
  curl -sf "http://127.0.0.1:$port/health" >/dev/null || { cat "$MLFLOW_DIR/server.log"; return 1; }
  export EVALGATE_TEST_MLFLOW="http://127.0.0.1:$port"
  export EVALGATE_REQUIRE_MLFLOW=1
  echo "MLflow $("$venv/bin/mlflow" --version | awk '{print $3}') on 127.0.0.1:$port (store in $MLFLOW_DIR)"
}

mlflow_stop() {
  [ -n "${MLFLOW_PID:-}" ] || return 0
  # The server forks workers: stop the whole process group it leads.
  kill -TERM -- "-$MLFLOW_PID" 2>/dev/null || true
  local i
  for i in $(seq 1 20); do kill -0 -- "-$MLFLOW_PID" 2>/dev/null || break; sleep 0.5; done
  kill -KILL -- "-$MLFLOW_PID" 2>/dev/null || true
  rm -rf "$MLFLOW_DIR"
  MLFLOW_PID=
}
