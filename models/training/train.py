"""Trains barcast's default forecaster and writes a model folder (model.onnx + model.json).

Reads 15-minute bar CSVs (symbol,t,o,h,l,c,v; t = bar start, epoch ms), computes the features of
features.py, and fits a 2-layer LSTM whose direct linear head predicts the cumulative log return
ln(c[t+k] / c[t]) at every horizon step k (bars on the symbol's own bar sequence) from a window of
the last 64 bars' features.

Held out from training, and measured against the naive "no change" forecast (0 cumulative return):
  - whole symbols (a fifth of the stock-like and of the crypto symbols), over their full period;
  - the last 20% of every other symbol's bars (the 10% before them pick the best epoch).
A target is used only when t + k falls inside the sample's own segment, so no target of a held-out
segment is trained on.

    /usr/bin/python3 models/training/train.py --data bars.csv --out models/default
    /usr/bin/python3 models/training/train.py --tiny core/src/test/resources/models/tiny
"""

import os

# One BLAS thread: torch's own threads do the parallel work; two pools oversubscribe 2 cores.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import csv  # noqa: E402
import datetime  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import random  # noqa: E402
import shlex  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402

import features  # noqa: E402

SEQUENCE_LENGTH = 64
HORIZON_STEPS = [1, 2, 4, 8, 16, 26, 52, 78, 104, 130, 260, 390, 520, 672]
HIDDEN = 64
LAYERS = 2
OPSET = 17
INPUT_NAME = "window"
OUTPUT_NAME = "log_returns"
TRAIN_SHARE = 0.7
VALIDATION_SHARE = 0.1
HELD_OUT_SYMBOL_SHARE = 0.2


class Forecaster(torch.nn.Module):
    """LSTM over the window, a linear head on its last state, scaled back to log returns."""

    def __init__(self, feature_count, steps, hidden=HIDDEN, layers=LAYERS, dropout=0.1):
        super().__init__()
        self.lstm = torch.nn.LSTM(
            feature_count, hidden, num_layers=layers, batch_first=True, dropout=dropout
        )
        self.head = torch.nn.Linear(hidden, steps)
        # Targets are trained standardised per step; the exported graph multiplies back.
        self.register_buffer("target_scale", torch.ones(steps))

    def standardised(self, window):
        out, _ = self.lstm(window)
        return self.head(out[:, -1, :])

    def forward(self, window):
        return self.standardised(window) * self.target_scale


def calendar_of(symbol):
    return "24x7" if symbol.startswith("X:") else "XNYS"


def read_bars(paths):
    """{symbol: dict of numpy arrays t, o, h, l, c, v}, each symbol's bars in time order."""
    rows = {}
    for path in paths:
        with open(path, newline="") as f:
            reader = csv.reader(f)
            header = next(reader)
            if header[:7] != ["symbol", "t", "o", "h", "l", "c", "v"]:
                raise SystemExit(f"{path}: expected header symbol,t,o,h,l,c,v, got {header}")
            for r in reader:
                rows.setdefault(r[0], []).append(
                    (int(r[1]), float(r[2]), float(r[3]), float(r[4]), float(r[5]), float(r[6]))
                )
    bars = {}
    for symbol, values in sorted(rows.items()):
        values.sort()
        a = np.array(values, dtype=np.float64)
        bars[symbol] = {
            "t": a[:, 0].astype(np.int64),
            "o": a[:, 1],
            "h": a[:, 2],
            "l": a[:, 3],
            "c": a[:, 4],
            "v": a[:, 5],
        }
    return bars


def pick_held_out(symbols, seed):
    rng = random.Random(seed)
    held_out = []
    for kind in ("XNYS", "24x7"):
        group = [s for s in symbols if calendar_of(s) == kind]
        count = max(1, round(len(group) * HELD_OUT_SYMBOL_SHARE)) if len(group) > 1 else 0
        held_out += rng.sample(group, count)
    return sorted(held_out)


class Dataset:
    """All symbols' features in one array; a sample is the global row index of its newest bar."""

    def __init__(self, bars, held_out):
        first = features.lookback() - 1 + SEQUENCE_LENGTH - 1
        feature_rows, target_rows = [], []
        self.segments = {"train": [], "validation": [], "test_period": [], "test_symbols": []}
        self.calendar = []
        offset = 0
        for symbol, b in bars.items():
            n = len(b["c"])
            x = features.compute(b["o"], b["h"], b["l"], b["c"], b["v"])
            feature_rows.append(x)
            if symbol in held_out:
                bounds = {"test_symbols": (0, n)}
            else:
                train_end = int(n * TRAIN_SHARE)
                validation_end = int(n * (TRAIN_SHARE + VALIDATION_SHARE))
                bounds = {
                    "train": (0, train_end),
                    "validation": (train_end, validation_end),
                    "test_period": (validation_end, n),
                }
            y = np.full((n, len(HORIZON_STEPS)), np.nan)
            for name, (start, end) in bounds.items():
                # A target counts only inside its own segment: nothing crosses a split.
                for j, k in enumerate(HORIZON_STEPS):
                    idx = np.arange(start, max(start, end - k))
                    y[idx, j] = np.log(b["c"][idx + k] / b["c"][idx])
                rows = np.arange(max(start, first), end)
                rows = rows[~np.isnan(y[rows, 0])]
                self.segments[name].append(rows + offset)
            target_rows.append(y)
            self.calendar += [calendar_of(symbol)] * n
            offset += n
        self.features = np.concatenate(feature_rows)
        self.targets = np.concatenate(target_rows)
        self.calendar = np.array(self.calendar)
        self.segments = {
            k: np.concatenate(v) if v else np.zeros(0, dtype=np.int64)
            for k, v in self.segments.items()
        }

    def training_rows(self):
        """Rows whose features are in a training window (the scaler is fitted on these)."""
        rows = self.segments["train"]
        starts = rows - (SEQUENCE_LENGTH - 1)
        covered = np.zeros(len(self.features), dtype=bool)
        for s in range(SEQUENCE_LENGTH):
            covered[starts + s] = True
        return np.flatnonzero(covered)


class Windows:
    """Batches of [batch, 64, features] windows, gathered from one scaled array without copies."""

    def __init__(self, scaled):
        tensor = torch.from_numpy(np.ascontiguousarray(scaled, dtype=np.float32))
        self.unfolded = tensor.unfold(0, SEQUENCE_LENGTH, 1)  # [rows - 63, features, 64]

    def __call__(self, rows):
        starts = torch.from_numpy(np.asarray(rows) - (SEQUENCE_LENGTH - 1))
        return self.unfolded[starts].permute(0, 2, 1).contiguous()


def predict(model, windows, rows, batch=1024):
    model.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(rows), batch):
            out.append(model(windows(rows[i : i + batch])).numpy())
    return np.concatenate(out) if out else np.zeros((0, len(HORIZON_STEPS)))


def metrics(predicted, actual):
    """Per horizon step: MAE and RMSE of the model and of the naive 0, directional accuracy."""
    result = []
    for j, k in enumerate(HORIZON_STEPS):
        mask = ~np.isnan(actual[:, j])
        a = actual[mask, j]
        p = predicted[mask, j].astype(np.float64)
        if len(a) == 0:
            continue
        moved = a != 0
        result.append(
            {
                "step": k,
                "samples": int(len(a)),
                "mae": float(np.mean(np.abs(p - a))),
                "rmse": float(np.sqrt(np.mean((p - a) ** 2))),
                "naive_mae": float(np.mean(np.abs(a))),
                "naive_rmse": float(np.sqrt(np.mean(a**2))),
                "directional_accuracy": float(np.mean(np.sign(p[moved]) == np.sign(a[moved])))
                if moved.any()
                else None,
            }
        )
    return result


def masked_mse(predicted, target):
    mask = ~torch.isnan(target)
    diff = torch.where(mask, predicted - torch.nan_to_num(target), torch.zeros_like(predicted))
    return (diff**2).sum() / mask.sum().clamp(min=1)


def export(model, out_dir, feature_count):
    """Writes model.onnx and returns the torch outputs of a fixed input, to check the export."""
    model.eval()
    path = os.path.join(out_dir, "model.onnx")
    example = torch.zeros(1, SEQUENCE_LENGTH, feature_count)
    torch.onnx.export(
        model,
        example,
        path,
        opset_version=OPSET,
        input_names=[INPUT_NAME],
        output_names=[OUTPUT_NAME],
        dynamic_axes={INPUT_NAME: {0: "batch"}, OUTPUT_NAME: {0: "batch"}},
    )
    import onnx

    graph = onnx.load(path)
    onnx.checker.check_model(graph)
    shape = [d.dim_param or d.dim_value for d in graph.graph.input[0].type.tensor_type.shape.dim]
    out_shape = [
        d.dim_param or d.dim_value for d in graph.graph.output[0].type.tensor_type.shape.dim
    ]
    assert graph.graph.input[0].name == INPUT_NAME and shape == [
        "batch",
        SEQUENCE_LENGTH,
        feature_count,
    ], shape
    assert graph.graph.output[0].name == OUTPUT_NAME and out_shape == [
        "batch",
        len(HORIZON_STEPS),
    ], out_shape

    # window[b][t][f] = sin(0.37 (t + 1) (f + 1) + b): a reader of model.onnx can rebuild it.
    b, t, f = np.meshgrid(
        np.arange(2), np.arange(SEQUENCE_LENGTH), np.arange(feature_count), indexing="ij"
    )
    check = np.sin(0.37 * (t + 1) * (f + 1) + b).astype(np.float32)
    with torch.no_grad():
        expected = model(torch.from_numpy(check)).numpy()
    return {
        "input": "window[b][t][f] = sin(0.37 * (t + 1) * (f + 1) + b) for b in 0..1",
        "log_returns": [[float(x) for x in row] for row in expected],
    }


def write_spec(out_dir, name, version, scaler_mean, scaler_scale, calendars, training):
    spec = {
        "name": name,
        "version": version,
        "interval": "PT15M",
        "calendars": calendars,
        "input": {
            "name": INPUT_NAME,
            "sequence_length": SEQUENCE_LENGTH,
            "features": features.FEATURES,
            "scaler": {
                "kind": "standard",
                "mean": [float(x) for x in scaler_mean],
                "scale": [float(x) for x in scaler_scale],
            },
        },
        "output": {
            "name": OUTPUT_NAME,
            "kind": "direct",
            "target": "cumulative_log_return",
            "horizon_steps": HORIZON_STEPS,
        },
        "training": training,
    }
    with open(os.path.join(out_dir, "model.json"), "w") as f:
        f.write(to_json(spec) + "\n")


def to_json(value, indent=0):
    """JSON with lists of numbers and flat records on one line, so model.json reads as a table."""
    flat = not isinstance(value, (dict, list)) or (
        isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value)
    )
    if isinstance(value, dict) and all(not isinstance(v, (dict, list)) for v in value.values()):
        flat = len(value) <= 8
    if flat:
        return json.dumps(value, separators=(", ", ": "))
    pad = "  " * (indent + 1)
    if isinstance(value, dict):
        items = [f"{pad}{json.dumps(k)}: {to_json(v, indent + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + "  " * indent + "}"
    items = [pad + to_json(v, indent + 1) for v in value]
    return "[\n" + ",\n".join(items) + "\n" + "  " * indent + "]"


def seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def tiny(out_dir, seed):
    """A small untrained model with the default contract, for fast tests of serving code."""
    seed_everything(seed)
    os.makedirs(out_dir, exist_ok=True)
    model = Forecaster(len(features.FEATURES), len(HORIZON_STEPS), hidden=8, layers=1, dropout=0)
    model.target_scale.fill_(0.01)
    check = export(model, out_dir, len(features.FEATURES))
    write_spec(
        out_dir,
        "tiny-untrained",
        "0",
        np.zeros(len(features.FEATURES)),
        np.ones(len(features.FEATURES)),
        ["XNYS", "24x7"],
        {
            "description": "untrained 1-layer LSTM (hidden 8) with random weights, for tests"
            " of serving code only: its forecasts mean nothing",
            "command": "models/training/train.py --tiny " + out_dir,
            "torch": torch.__version__,
            "seed": seed,
            "export_check": check,
        },
    )
    print(f"wrote {out_dir}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", action="append", help="bar CSV (symbol,t,o,h,l,c,v); repeatable")
    parser.add_argument("--data-source", default="unspecified", help="how the data was made")
    parser.add_argument("--out", default="models/default")
    parser.add_argument("--name", default="barcast-lstm")
    parser.add_argument("--version", default=None, help="default: today's date, yyyy.mm.dd")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--samples-per-epoch", type=int, default=32768)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--learning-rate", type=float, default=1e-3)
    # One thread: on 2 shared cores torch's OpenMP pool ran up to 10x slower than a single thread.
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--tiny", metavar="DIR", help="write an untrained small model and stop")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    if args.tiny:
        tiny(args.tiny, args.seed)
        return
    if not args.data:
        parser.error("--data is required")
    seed_everything(args.seed)
    started = time.time()

    bars = read_bars(args.data)
    symbols = list(bars)
    held_out = pick_held_out(symbols, args.seed)
    data = Dataset(bars, held_out)
    fit_rows = data.training_rows()
    mean = data.features[fit_rows].mean(axis=0)
    scale = data.features[fit_rows].std(axis=0)
    scale[scale < 1e-12] = 1.0
    windows = Windows((data.features - mean) / scale)
    # Only rows inside some window are ever read; the rest (the first bars) may hold NaN.
    train_rows = data.segments["train"]
    target_scale = np.nanstd(data.targets[train_rows], axis=0)
    # A step no training window reaches (too few bars per symbol) would export a NaN output, which
    # barcast's model registry refuses: say so here, with what it takes.
    unreached = [k for k, sd in zip(HORIZON_STEPS, target_scale) if not np.isfinite(sd) or sd == 0]
    if unreached:
        parser.error(
            f"no training targets for horizon steps {unreached}: each symbol needs more than"
            f" {max(unreached)} bars after its first window in the training part (70%) of its bars"
        )
    validation_rows = data.segments["validation"][::4]
    print(
        f"{len(symbols)} symbols ({len(held_out)} held out: {', '.join(held_out)}), "
        f"{sum(len(b['c']) for b in bars.values())} bars; samples: "
        + ", ".join(f"{k} {len(v)}" for k, v in data.segments.items()),
        flush=True,
    )

    model = Forecaster(len(features.FEATURES), len(HORIZON_STEPS))
    model.target_scale.copy_(torch.from_numpy(target_scale.astype(np.float32)))
    optimizer = torch.optim.Adam(model.parameters(), lr=args.learning_rate)
    targets = torch.from_numpy((data.targets / target_scale).astype(np.float32))
    generator = np.random.default_rng(args.seed)
    best = (math.inf, None, 0)
    history = []
    train_started = time.time()
    for epoch in range(1, args.epochs + 1):
        model.train()
        epoch_rows = generator.choice(
            train_rows, size=min(args.samples_per_epoch, len(train_rows)), replace=False
        )
        losses = []
        for i in range(0, len(epoch_rows), args.batch):
            rows = epoch_rows[i : i + args.batch]
            loss = masked_mse(model.standardised(windows(rows)), targets[rows])
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            losses.append(loss.item())
        predicted = predict(model, windows, validation_rows) / target_scale
        actual = data.targets[validation_rows] / target_scale
        validation = float(np.nanmean((predicted - actual) ** 2))
        history.append(
            {"epoch": epoch, "train_loss": float(np.mean(losses)), "validation_loss": validation}
        )
        if validation < best[0]:
            best = (validation, {k: v.clone() for k, v in model.state_dict().items()}, epoch)
        print(
            f"epoch {epoch}: train {np.mean(losses):.4f} validation {validation:.4f} "
            f"({time.time() - train_started:.0f} s)",
            flush=True,
        )
    training_seconds = time.time() - train_started
    model.load_state_dict(best[1])

    held_out_metrics = {}
    for segment in ("test_symbols", "test_period"):
        rows = data.segments[segment]
        predicted = predict(model, windows, rows)
        held_out_metrics[segment] = {
            calendar: metrics(predicted[data.calendar[rows] == calendar],
                              data.targets[rows][data.calendar[rows] == calendar])
            for calendar in ("XNYS", "24x7")
            if (data.calendar[rows] == calendar).any()
        }

    os.makedirs(args.out, exist_ok=True)
    check = export(model, args.out, len(features.FEATURES))
    digest = hashlib.sha256()
    for path in args.data:
        with open(path, "rb") as f:
            digest.update(f.read())
    first = min(int(b["t"][0]) for b in bars.values())
    last = max(int(b["t"][-1]) for b in bars.values())
    iso = lambda ms: datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc).isoformat()
    today = datetime.date.today()
    calendars = sorted({calendar_of(s) for s in symbols}, key=lambda c: c != "XNYS")
    training = {
        "date": today.isoformat(),
        "command": " ".join(shlex.quote(a) for a in [sys.argv[0]] + sys.argv[1:]),
        "torch": torch.__version__,
        "data": {
            "source": args.data_source,
            "files": [os.path.basename(p) for p in args.data],
            "sha256": digest.hexdigest(),
            "first_bar": iso(first),
            "last_bar": iso(last),
            "symbols": symbols,
            "bars": {s: int(len(b["c"])) for s, b in bars.items()},
        },
        "split": {
            "held_out_symbols": held_out,
            "per_symbol_chronological": {
                "train": TRAIN_SHARE,
                "validation": VALIDATION_SHARE,
                "test": round(1 - TRAIN_SHARE - VALIDATION_SHARE, 6),
            },
            "samples": {k: int(len(v)) for k, v in data.segments.items()},
            "rule": "a target counts only when t + step lies in the sample's own segment",
        },
        "model": {
            "architecture": f"LSTM {LAYERS} layers, hidden {HIDDEN}, dropout 0.1;"
            f" linear head to {len(HORIZON_STEPS)} steps",
            "loss": "MSE on per-step standardised targets (scale folded into the graph)",
            "optimizer": f"Adam lr {args.learning_rate}, batch {args.batch}, grad clip 1.0",
            "seed": args.seed,
            "epochs": args.epochs,
            "samples_per_epoch": args.samples_per_epoch,
            "best_epoch": best[2],
            "threads": args.threads,
            "training_seconds": round(training_seconds, 1),
            "history": history,
        },
        "metrics": {
            "description": "cumulative log return at each step; naive = no change (0);"
            " directional accuracy over samples whose actual return is not 0;"
            " test_symbols: symbols never trained on, whole period;"
            " test_period: the last 20% of the other symbols' bars",
            **held_out_metrics,
        },
        "export_check": check,
    }
    write_spec(
        args.out,
        args.name,
        args.version or today.strftime("%Y.%m.%d"),
        mean,
        scale,
        calendars,
        training,
    )
    print(f"wrote {args.out} in {time.time() - started:.0f} s")
    for segment, by_calendar in held_out_metrics.items():
        for calendar, rows in by_calendar.items():
            print(f"{segment} {calendar}: step  model_rmse  naive_rmse  model_mae  naive_mae  dir")
            for m in rows:
                print(
                    f"  {m['step']:4d}  {m['rmse']:.6f}  {m['naive_rmse']:.6f}  "
                    f"{m['mae']:.6f}  {m['naive_mae']:.6f}  {m['directional_accuracy']:.3f}"
                )


if __name__ == "__main__":
    main()
