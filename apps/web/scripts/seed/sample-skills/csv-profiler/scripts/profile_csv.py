#!/usr/bin/env python3
"""Profile a CSV file: per-column type, missing values, distinct counts and ranges (JSON on stdout)."""
import argparse
import csv
import json
import re
import sys
from datetime import datetime

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%Y-%m-%dT%H:%M:%S")
INTEGER = re.compile(r"^[+-]?\d+$")
DECIMAL = re.compile(r"^[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?$")
BOOLEAN = {"true", "false", "yes", "no", "0", "1"}


def classify(value):
    if INTEGER.match(value):
        return "integer"
    if DECIMAL.match(value):
        return "decimal"
    if value.lower() in BOOLEAN:
        return "boolean"
    for fmt in DATE_FORMATS:
        try:
            datetime.strptime(value, fmt)
            return "date"
        except ValueError:
            pass
    return "text"


def profile(path, delimiter, sample):
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        header = next(reader, None)
        if header is None:
            return {"rows": 0, "columns": []}
        stats = [{"name": name, "missing": 0, "types": {}, "values": set(), "min": None, "max": None} for name in header]
        rows = 0
        for row in reader:
            rows += 1
            if sample and rows > sample:
                rows -= 1
                break
            for index, column in enumerate(stats):
                value = row[index].strip() if index < len(row) else ""
                if value == "":
                    column["missing"] += 1
                    continue
                kind = classify(value)
                column["types"][kind] = column["types"].get(kind, 0) + 1
                if len(column["values"]) <= 10000:
                    column["values"].add(value)
                if kind in ("integer", "decimal"):
                    number = float(value)
                    column["min"] = number if column["min"] is None else min(column["min"], number)
                    column["max"] = number if column["max"] is None else max(column["max"], number)
    columns = []
    for column in stats:
        types = column["types"]
        dominant = max(types, key=types.get) if types else "empty"
        columns.append({
            "name": column["name"],
            "type": dominant,
            "missing": column["missing"],
            "distinct": len(column["values"]),
            "min": column["min"],
            "max": column["max"],
            "mixed_types": sorted(types) if len(types) > 1 else [],
            "examples": sorted(column["values"])[:3],
        })
    return {"rows": rows, "columns": columns}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path")
    parser.add_argument("--delimiter", default=",")
    parser.add_argument("--sample", type=int, default=0, help="profile only the first N rows")
    args = parser.parse_args()
    json.dump(profile(args.path, args.delimiter, args.sample), sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
