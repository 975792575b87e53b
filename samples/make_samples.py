"""Regenerate the illustrative sample files in this folder (示例数据，纯属虚构，并非真实名单).

    python samples/make_samples.py            # writes beside this script
    python samples/make_samples.py OUT_DIR    # writes into OUT_DIR instead

The output is deterministic: the same files, byte for byte, on every run (for one openpyxl version).
"""

from __future__ import annotations

import sys
from pathlib import Path

from ingest.synthetic import NAMING_LIST_HEADERS, Roster, generate, naming_list, write_csv, write_xlsx

HERE = Path(__file__).resolve().parent
ROSTER_FILE = "shanghai-roster-illustrative.xlsx"
NAMING_LIST_FILE = "naming-list-2024-illustrative.csv"
N_STUDIOS, SEED = 320, 2019
NAMING_COUNT, NAMING_SEED = 40, 2024


def sample_roster() -> Roster:
    """The roster behind ``shanghai-roster-illustrative.xlsx``."""
    return generate(N_STUDIOS, seed=SEED)


def main(out: Path = HERE) -> list[Path]:
    """Write the sample files into ``out``; return their paths."""
    roster = sample_roster()
    roster_path = out / ROSTER_FILE
    write_xlsx(
        roster,
        roster_path,
        note=f"ingest.synthetic.generate({N_STUDIOS}, seed={SEED})；重新生成：python samples/make_samples.py",
    )
    naming_path = out / NAMING_LIST_FILE
    rows = naming_list(NAMING_COUNT, seed=NAMING_SEED, exclude=roster)
    write_csv(rows, naming_path, encoding="gb18030", headers=NAMING_LIST_HEADERS)
    return [roster_path, naming_path]


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    for path in main(target):
        print(path)
