"""barcast's model input features, the numpy twin of core's FeatureCalculator.

Every definition here must match io.barcast.core.features.Feature exactly (double precision,
within 1e-6); FeatureGoldenTest checks the Java side against golden/eth15m-features.csv, which
golden.py writes with these functions.

Let c_k be the close k bars back and r_k = ln(c_k / c_{k+1}):
  log_return      r_0
  range           ln(high / low)
  body            ln(close / open)
  close_sma10     c_0 / mean(c_0..c_9) - 1
  close_sma20     c_0 / mean(c_0..c_19) - 1
  rsi14           Cutler RSI over d_k = c_k - c_{k+1}, k = 0..13, as rsi / 100 - 0.5
                  (G = mean(max(d, 0)), L = mean(max(-d, 0)); L == 0 gives 100 if G > 0 else 50)
  volume_z20      z-score of x_0 in x_0..x_19, x = ln(1 + volume), population std; 0 if std < 1e-12
  realized_vol20  sqrt(mean(r_0^2..r_19^2))
  upper_wick      (high - max(open, close)) / (high - low), 0 if high == low
  lower_wick      (min(open, close) - low) / (high - low), 0 if high == low
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

FEATURES = [
    "log_return",
    "range",
    "body",
    "close_sma10",
    "close_sma20",
    "rsi14",
    "volume_z20",
    "realized_vol20",
    "upper_wick",
    "lower_wick",
]

# Bars each feature needs, the current one included.
LOOKBACK = {
    "log_return": 2,
    "range": 1,
    "body": 1,
    "close_sma10": 10,
    "close_sma20": 20,
    "rsi14": 15,
    "volume_z20": 20,
    "realized_vol20": 21,
    "upper_wick": 1,
    "lower_wick": 1,
}


def lookback(names=FEATURES):
    return max(LOOKBACK[n] for n in names)


def _trailing(x, n):
    """out[i] = window x[i-n+1 .. i]; rows before the first full window are NaN."""
    out = np.full((len(x), n), np.nan)
    if len(x) >= n:
        out[n - 1 :] = sliding_window_view(x, n)
    return out


def _log_returns(c):
    r = np.full(len(c), np.nan)
    r[1:] = np.log(c[1:] / c[:-1])
    return r


def compute(o, h, l, c, v, names=FEATURES):
    """Features of every bar of one symbol's bar sequence (oldest first).

    Returns an array [len(c), len(names)]; rows whose lookback reaches before the first bar are NaN.
    """
    o, h, l, c, v = (np.asarray(a, dtype=np.float64) for a in (o, h, l, c, v))
    span = h - l
    with np.errstate(divide="ignore", invalid="ignore"):
        columns = {}
        r = _log_returns(c)
        for name in names:
            if name == "log_return":
                columns[name] = r
            elif name == "range":
                columns[name] = np.log(h / l)
            elif name == "body":
                columns[name] = np.log(c / o)
            elif name in ("close_sma10", "close_sma20"):
                n = 10 if name == "close_sma10" else 20
                columns[name] = c / (_trailing(c, n).sum(axis=1) / n) - 1
            elif name == "rsi14":
                d = np.full(len(c), np.nan)
                d[1:] = c[1:] - c[:-1]
                window = _trailing(d, 14)
                gain = np.maximum(window, 0).sum(axis=1) / 14
                loss = np.maximum(-window, 0).sum(axis=1) / 14
                rsi = np.where(
                    loss == 0,
                    np.where(gain > 0, 100.0, 50.0),
                    100 - 100 / (1 + gain / loss),
                )
                rsi[np.isnan(gain)] = np.nan
                columns[name] = rsi / 100 - 0.5
            elif name == "volume_z20":
                window = _trailing(np.log1p(v), 20)
                mean = window.sum(axis=1) / 20
                std = np.sqrt(((window - mean[:, None]) ** 2).sum(axis=1) / 20)
                z = np.where(std < 1e-12, 0.0, (window[:, -1] - mean) / std)
                z[np.isnan(std)] = np.nan
                columns[name] = z
            elif name == "realized_vol20":
                columns[name] = np.sqrt((_trailing(r, 20) ** 2).sum(axis=1) / 20)
            elif name == "upper_wick":
                columns[name] = np.where(span == 0, 0.0, (h - np.maximum(o, c)) / span)
            elif name == "lower_wick":
                columns[name] = np.where(span == 0, 0.0, (np.minimum(o, c) - l) / span)
            else:
                raise ValueError(f"unknown feature {name}; known features: {FEATURES}")
    out = np.stack([columns[n] for n in names], axis=1)
    out[: lookback(names) - 1] = np.nan
    return out
