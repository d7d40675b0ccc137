"""Writes core/src/test/resources/golden/eth15m-features.csv: the features of real ETH/USD bars.

The bars are BinanceUS ETH/USD 5-minute bars of 2023-03-13..15 that the Maven artifact
org.ta4j:ta4j-examples:0.18 ships (read from ~/.m2, never copied into barcast), aggregated 3:1 onto
the 15-minute grid exactly as core's RealBars.eth15m() does: only complete groups of three.
FeatureGoldenTest asserts that core's FeatureCalculator reproduces every value within 1e-6.

    /usr/bin/python3 models/training/golden.py
"""

import argparse
import json
import os
import zipfile

import numpy as np

import features

JAR = "~/.m2/repository/org/ta4j/ta4j-examples/0.18/ta4j-examples-0.18.jar"
ENTRY = "ETH-USD-PT5M-2023-3-13_2023-3-15.json"
FIVE_MINUTES = 300_000
FIFTEEN_MINUTES = 900_000


def eth_15m(jar):
    with zipfile.ZipFile(os.path.expanduser(jar)) as z:
        ohlc = json.loads(z.read(ENTRY))["ohlc"]
    groups = {}
    for bar in ohlc:
        start = bar["endTime"] + 1 - FIVE_MINUTES
        groups.setdefault(start // FIFTEEN_MINUTES * FIFTEEN_MINUTES, []).append((start, bar))
    bars = []
    for slot in sorted(groups):
        group = sorted(groups[slot], key=lambda g: g[0])
        if [g[0] for g in group] != [slot, slot + FIVE_MINUTES, slot + 2 * FIVE_MINUTES]:
            continue
        parts = [g[1] for g in group]
        volume = 0.0
        for p in parts:
            volume += p["volume"]
        bars.append(
            (
                slot,
                parts[0]["openPrice"],
                max(p["highPrice"] for p in parts),
                min(p["lowPrice"] for p in parts),
                parts[-1]["closePrice"],
                volume,
            )
        )
    return bars


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_out = os.path.join(
        here, "..", "..", "core", "src", "test", "resources", "golden", "eth15m-features.csv"
    )
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jar", default=JAR, help="the ta4j-examples jar")
    parser.add_argument("--out", default=default_out)
    args = parser.parse_args()

    bars = eth_15m(args.jar)
    t, o, h, l, c, v = (np.array(col) for col in zip(*bars))
    values = features.compute(o, h, l, c, v)
    first = features.lookback() - 1
    with open(args.out, "w") as out:
        out.write("t," + ",".join(features.FEATURES) + "\n")
        for i in range(first, len(bars)):
            out.write(str(int(t[i])) + "," + ",".join(repr(float(x)) for x in values[i]) + "\n")
    print(f"{len(bars) - first} rows of {len(bars)} bars -> {os.path.normpath(args.out)}")


if __name__ == "__main__":
    main()
