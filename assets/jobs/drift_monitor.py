"""Drift and data quality check of one online deployment's collected production data.

Run by the secure-azureml "job" monitoring engine: an Azure ML schedule submits this script as a
command job on a cluster inside the workspace's managed network (built-in model monitoring does
not support AllowOnlyApprovedOutbound managed networks). Standard library only, so any image
with Python 3.8+ runs it.

Inputs are the folders the deployment's data collector writes (model_inputs, model_outputs):
<folder>/YYYY/MM/DD/HH/*.jsonl, one event per line whose "data" holds the rows. The production
window is the last --lookback-days before the run; the baseline is the window before it, or the
--reference folder (CSV or JSON Lines rows).

Signals: data drift of the inputs, prediction drift of the outputs (Jensen-Shannon distance or
population stability index, per feature, numerical and categorical thresholds apart), and data
quality of the inputs (null value, data type error and out-of-bounds rates).

Writes outputs/drift_report.json and exits 1 when a threshold is crossed or no production data
was collected, so the run fails and the workspace's "Failed Runs" metric alert notifies the
action group; exits 0 otherwise.
"""

import argparse
import csv
import datetime as dt
import json
import math
import os
import sys

BINS = 10
EPSILON = 1e-6
NUMERIC_SHARE = 0.95
METRICS = ("JensenShannonDistance", "PopulationStabilityIndex")


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", required=True, help="folder of collected model inputs")
    parser.add_argument("--outputs", required=True, help="folder of collected model outputs")
    parser.add_argument("--reference", help="optional baseline folder for the inputs (CSV or JSON Lines)")
    parser.add_argument("--lookback-days", type=int, required=True)
    parser.add_argument("--now", help="end of the production window, ISO 8601 UTC (default: now)")
    for signal in ("data-drift", "prediction-drift"):
        for kind in ("numerical", "categorical"):
            parser.add_argument(f"--{signal}-{kind}-metric", choices=METRICS, required=True)
            parser.add_argument(f"--{signal}-{kind}-threshold", type=float, required=True)
    parser.add_argument("--null-value-rate", type=float, required=True)
    parser.add_argument("--data-type-error-rate", type=float, required=True)
    parser.add_argument("--out-of-bounds-rate", type=float, required=True)
    parser.add_argument("--report", default=os.path.join("outputs", "drift_report.json"))
    return parser.parse_args(argv)


# ------------------------------------------------------------------------------------------------
# Reading collected data
# ------------------------------------------------------------------------------------------------


def hour_of(folder, root):
    """The UTC hour a collector folder <root>/YYYY/MM/DD/HH stands for, or None."""
    parts = os.path.relpath(folder, root).split(os.sep)
    if len(parts) != 4 or not all(p.isdigit() for p in parts):
        return None
    try:
        return dt.datetime(int(parts[0]), int(parts[1]), int(parts[2]), int(parts[3]), tzinfo=dt.timezone.utc)
    except ValueError:
        return None


def collected_rows(root, start, end, skipped):
    """Rows of the events collected in [start, end); events without inline data are counted in skipped."""
    rows = []
    for folder, _, files in os.walk(root):
        hour = hour_of(folder, root)
        if hour is None or not (start <= hour < end):
            continue
        for name in sorted(files):
            if not name.endswith(".jsonl"):
                continue
            with open(os.path.join(folder, name), encoding="utf-8") as handle:
                for line in handle:
                    if not line.strip():
                        continue
                    data = json.loads(line).get("data")
                    if isinstance(data, dict):
                        rows.append(data)
                    elif isinstance(data, list):
                        rows.extend(row for row in data if isinstance(row, dict))
                    else:
                        skipped["events"] += 1
    return rows


def reference_rows(root):
    """Rows of every CSV or JSON Lines file under root (collector events are unwrapped)."""
    rows = []
    for folder, _, files in os.walk(root):
        for name in sorted(files):
            path = os.path.join(folder, name)
            if name.endswith(".csv"):
                with open(path, encoding="utf-8", newline="") as handle:
                    rows.extend({k: (v if v != "" else None) for k, v in row.items()} for row in csv.DictReader(handle))
            elif name.endswith(".jsonl"):
                with open(path, encoding="utf-8") as handle:
                    for line in handle:
                        if line.strip():
                            record = json.loads(line)
                            data = record.get("data", record) if isinstance(record, dict) else None
                            rows.extend(data if isinstance(data, list) else [data] if isinstance(data, dict) else [])
    return rows


# ------------------------------------------------------------------------------------------------
# Values and column types
# ------------------------------------------------------------------------------------------------


def is_null(value):
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


def as_number(value):
    """The value as a float when it is a number (or a numeric string, as CSV gives), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None


def column_types(rows):
    """numerical or categorical per column, from the non-null values."""
    columns = {}
    for row in rows:
        for column in row:
            columns.setdefault(column, [])
    for column, values in columns.items():
        present = [row.get(column) for row in rows if not is_null(row.get(column))]
        numeric = sum(1 for v in present if as_number(v) is not None)
        columns[column] = "numerical" if present and numeric / len(present) >= NUMERIC_SHARE else "categorical"
    return columns


# ------------------------------------------------------------------------------------------------
# Distances
# ------------------------------------------------------------------------------------------------


def shares(counts):
    total = sum(counts)
    return [max(c / total, EPSILON) if total else EPSILON for c in counts]


def psi(expected, actual):
    return sum((a - e) * math.log(a / e) for e, a in zip(expected, actual))


def jensen_shannon_distance(p, q):
    mean = [(a + b) / 2 for a, b in zip(p, q)]
    divergence = sum(a * math.log2(a / m) for a, m in zip(p, mean)) / 2 + sum(b * math.log2(b / m) for b, m in zip(q, mean)) / 2
    return math.sqrt(max(divergence, 0.0))


def distance(metric, baseline_counts, production_counts):
    baseline, production = shares(baseline_counts), shares(production_counts)
    return psi(baseline, production) if metric == "PopulationStabilityIndex" else jensen_shannon_distance(baseline, production)


def quantile_edges(values):
    """Inner bin edges at the baseline's deciles (duplicates removed)."""
    ordered = sorted(values)
    edges = sorted({ordered[min(len(ordered) - 1, int(len(ordered) * i / BINS))] for i in range(1, BINS)})
    return edges


def bin_counts(values, edges):
    counts = [0] * (len(edges) + 1)
    for value in values:
        counts[sum(1 for edge in edges if value >= edge)] += 1
    return counts


def feature_distance(kind, metric, baseline, production):
    if kind == "numerical":
        base = [n for n in map(as_number, baseline) if n is not None]
        prod = [n for n in map(as_number, production) if n is not None]
        if not base or not prod:
            return None
        edges = quantile_edges(base)
        return distance(metric, bin_counts(base, edges), bin_counts(prod, edges))
    base = [str(v) for v in baseline if not is_null(v)]
    prod = [str(v) for v in production if not is_null(v)]
    if not base or not prod:
        return None
    categories = sorted(set(base) | set(prod))
    return distance(metric, [base.count(c) for c in categories], [prod.count(c) for c in categories])


def drift_signal(name, baseline_rows, production_rows, thresholds):
    """Per-feature distances and the breaches of one drift signal."""
    types = column_types(baseline_rows)
    features, breaches = {}, []
    for column, kind in sorted(types.items()):
        metric, threshold = thresholds[kind]
        value = feature_distance(kind, metric, [r.get(column) for r in baseline_rows], [r.get(column) for r in production_rows])
        features[column] = {"type": kind, "metric": metric, "value": value, "threshold": threshold}
        if value is not None and value > threshold:
            breaches.append(f"{name}: {column} {metric} {value:.4f} > {threshold}")
    return {"features": features}, breaches


def quality_signal(baseline_rows, production_rows, thresholds):
    """Null value, data type error and out-of-bounds rates of the production inputs."""
    types = column_types(baseline_rows)
    features, breaches = {}, []
    for column, kind in sorted(types.items()):
        values = [r.get(column) for r in production_rows]
        present = [v for v in values if not is_null(v)]
        base = [r.get(column) for r in baseline_rows if not is_null(r.get(column))]
        if kind == "numerical":
            wrong = [v for v in present if as_number(v) is None]
            numbers = [n for n in map(as_number, base) if n is not None]
            low, high = min(numbers), max(numbers)
            outside = [v for v in present if as_number(v) is not None and not (low <= as_number(v) <= high)]
        else:
            wrong = [v for v in present if isinstance(v, (dict, list))]
            known = {str(v) for v in base}
            outside = [v for v in present if str(v) not in known]
        rates = {
            "nullValueRate": (len(values) - len(present)) / len(values) if values else 0.0,
            "dataTypeErrorRate": len(wrong) / len(present) if present else 0.0,
            "outOfBoundsRate": len(outside) / len(present) if present else 0.0,
        }
        features[column] = {"type": kind, **{k: {"value": v, "threshold": thresholds[k]} for k, v in rates.items()}}
        breaches.extend(f"data quality: {column} {k} {v:.4f} > {thresholds[k]}" for k, v in rates.items() if v > thresholds[k])
    return {"features": features}, breaches


# ------------------------------------------------------------------------------------------------
# Run
# ------------------------------------------------------------------------------------------------


def run(args):
    now = dt.datetime.fromisoformat(args.now.replace("Z", "+00:00")) if args.now else dt.datetime.now(dt.timezone.utc)
    now = now.replace(minute=0, second=0, microsecond=0)
    window = dt.timedelta(days=args.lookback_days)
    production_window, baseline_window = (now - window, now), (now - 2 * window, now - window)
    skipped = {"events": 0}
    production = {name: collected_rows(folder, *production_window, skipped) for name, folder in (("inputs", args.inputs), ("outputs", args.outputs))}
    previous = {name: collected_rows(folder, *baseline_window, skipped) for name, folder in (("inputs", args.inputs), ("outputs", args.outputs))}
    baseline_inputs = reference_rows(args.reference) if args.reference else previous["inputs"]

    def thresholds(signal):
        return {kind: (getattr(args, f"{signal}_{kind}_metric"), getattr(args, f"{signal}_{kind}_threshold")) for kind in ("numerical", "categorical")}

    report = {
        "productionWindow": [t.isoformat() for t in production_window],
        "baseline": "reference" if args.reference else [t.isoformat() for t in baseline_window],
        "rows": {"productionInputs": len(production["inputs"]), "productionOutputs": len(production["outputs"]), "baselineInputs": len(baseline_inputs), "baselineOutputs": len(previous["outputs"])},
        "skippedEvents": skipped["events"],
        "signals": {},
        "notes": [],
    }
    breaches = []
    if not production["inputs"]:
        breaches.append("no production inputs were collected in the window: check the deployment's traffic and its data collector")
    if baseline_inputs and production["inputs"]:
        report["signals"]["dataDrift"], found = drift_signal("data drift", baseline_inputs, production["inputs"], thresholds("data_drift"))
        breaches += found
        quality = {"nullValueRate": args.null_value_rate, "dataTypeErrorRate": args.data_type_error_rate, "outOfBoundsRate": args.out_of_bounds_rate}
        report["signals"]["dataQuality"], found = quality_signal(baseline_inputs, production["inputs"], quality)
        breaches += found
    elif production["inputs"]:
        report["notes"].append("no baseline inputs: data drift and data quality are computed from the next window on")
    if previous["outputs"] and production["outputs"]:
        report["signals"]["predictionDrift"], found = drift_signal("prediction drift", previous["outputs"], production["outputs"], thresholds("prediction_drift"))
        breaches += found
    else:
        report["notes"].append("no outputs in one of the windows: prediction drift not computed")
    report["breaches"] = breaches
    os.makedirs(os.path.dirname(args.report) or ".", exist_ok=True)
    with open(args.report, "w", encoding="utf-8") as handle:
        json.dump(report, handle, indent=2, sort_keys=True)
    print(json.dumps({"rows": report["rows"], "breaches": breaches, "notes": report["notes"]}, indent=2))
    return 1 if breaches else 0


if __name__ == "__main__":
    sys.exit(run(parse_args(sys.argv[1:])))
