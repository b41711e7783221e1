"""testpace --cpu-profile: the cProfile dumps (*.prof) in a directory, merged with pstats, as JSON rows on stdout."""

import glob
import json
import os
import pstats
import sys

files = sorted(glob.glob(os.path.join(sys.argv[1], "*.prof")))
rows = []
if files:
    stats = pstats.Stats(*files)
    for (file, line, name), (_cc, nc, tt, ct, _callers) in stats.stats.items():
        rows.append({"name": name, "file": file, "line": line, "calls": nc, "selfMs": tt * 1000.0, "cumulativeMs": ct * 1000.0})
json.dump(rows, sys.stdout)
