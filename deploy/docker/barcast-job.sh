#!/usr/bin/env bash
# Starts barcast in application mode through the Flink image's entrypoint (standalone-job), resuming
# from the newest complete checkpoint or savepoint under the state folder, as `barcast run` does: a
# restarted container, or a new image after `flink stop --savepointPath ...`, goes on where the job
# stopped. A snapshot is complete once its _metadata exists (Flink writes it last). Arguments are
# the job's (--config FILE, --set key=value).
#   BARCAST_STATE_DIR   the state folder (default /opt/barcast/state: checkpoints/, savepoints/)
#   BARCAST_FRESH=true  starts without the saved state (it is left in place)
set -euo pipefail

state_dir="${BARCAST_STATE_DIR:-/opt/barcast/state}"
entrypoint="${FLINK_ENTRYPOINT:-/docker-entrypoint.sh}"

newest=""
if [[ "${BARCAST_FRESH:-false}" != "true" ]]; then
    newest="$(ls -1t "$state_dir"/checkpoints/*/chk-*/_metadata "$state_dir"/savepoints/*/_metadata \
        2>/dev/null | head -n 1 || true)"
fi

restore=()
if [[ -n "$newest" ]]; then
    snapshot="$(dirname "$newest")"
    echo "Resuming from $snapshot"
    restore=(--fromSavepoint "file://$snapshot")
else
    echo "Starting without saved state"
fi

exec "$entrypoint" standalone-job --job-classname io.barcast.jobs.PredictionJob "${restore[@]}" "$@"
