#!/usr/bin/env bash
# ddlc against Alembic on the same generated project.
#
#   bench/compare.sh [N]        (default N = 10000)
#
# Generates one N-revision linear history twice, with the same revision ids and
# graph: as a ddlc project (.mig files) and as an Alembic project (one .py per
# revision, a minimal offline env.py). Each revision creates a table of three
# columns (one with a server default), adds a column and creates an index.
# Then it runs `ddlc upgrade base:head` and `alembic upgrade head --sql` in
# alternation, RUNS times each (default 5), both writing to /dev/null, and
# prints medians. The last line is machine-readable:
#
#   revisions=N ddlc_ms=<median> alembic_ms=<median> ratio=<alembic/ddlc> ddlc_peak_rss_kb=<n> cat_ms=<median>
#
# cat_ms is the time `cat` takes to read the same .mig files: the floor for any
# tool that reads them.
#
# Environment:
#   RUNS=5              runs of each command (alternating)
#   DIALECT=postgresql  ddlc dialect / SQLAlchemy URL scheme (postgresql, mysql, sqlite, mssql, oracle)
#   ALEMBIC=1           set to 0 to time ddlc only (alembic_ms and ratio are then 0)
#   KEEP=DIR            generate into DIR and keep it (default: a temporary folder)
#
# Alembic 1.20.1 and SQLAlchemy 2.1.9 (the versions of ../shared/alembic-corpus)
# are installed into target/bench-venv on first use.
set -euo pipefail
N="${1:-10000}"
RUNS="${RUNS:-5}"
DIALECT="${DIALECT:-postgresql}"
ALEMBIC="${ALEMBIC:-1}"
cd "$(dirname "$0")/.."
root=$(pwd)

cargo build --release -q
ddlc="$root/target/release/ddlc"

venv="$root/target/bench-venv"
if [ "$ALEMBIC" = 1 ] && [ ! -x "$venv/bin/alembic" ]; then
    echo "compare: installing Alembic 1.20.1 into $venv" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "alembic==1.20.1" "sqlalchemy==2.1.9"
fi

if [ -n "${KEEP:-}" ]; then
    dir="$KEEP"
    mkdir -p "$dir"
else
    dir=$(mktemp -d)
    trap 'rm -rf "$dir"' EXIT
fi

python3 - "$dir" "$N" <<'PY'
import os, sys
dir, n = sys.argv[1], int(sys.argv[2])
mig = os.path.join(dir, "ddlc", "migrations", "versions")
ale = os.path.join(dir, "alembic")
os.makedirs(mig, exist_ok=True)
os.makedirs(os.path.join(ale, "versions"), exist_ok=True)
with open(os.path.join(dir, "ddlc", "ddlc.toml"), "w") as f:
    f.write('[project]\nmigrations = "migrations"\n')
with open(os.path.join(ale, "alembic.ini"), "w") as f:
    f.write("[alembic]\nscript_location = %(here)s\nsqlalchemy.url = placeholder://\n")
with open(os.path.join(ale, "env.py"), "w") as f:
    f.write('''from alembic import context

config = context.config
context.configure(
    url=config.get_main_option("sqlalchemy.url"),
    target_metadata=None,
    literal_binds=True,
    dialect_opts={"paramstyle": "named"},
)
with context.begin_transaction():
    context.run_migrations()
''')
with open(os.path.join(ale, "script.py.mako"), "w") as f:
    f.write("")
def rid(i):
    return f"{i:012x}"
for i in range(1, n + 1):
    parent = None if i == 1 else rid(i - 1)
    with open(os.path.join(mig, f"{rid(i)}_step_{i}.mig"), "w") as f:
        f.write(f'''revision "{rid(i)}"
revises  {'base' if parent is None else '"' + parent + '"'}
message  "step {i}"

upgrade {{
    create_table t{i} {{
        id     : integer primary_key autoincrement
        name   : string(100) not_null
        status : string(20) not_null default 'new'
    }}
    add_column t{i}.note : text
    create_index ix_t{i}_name on t{i} (name)
}}

downgrade auto
''')
    with open(os.path.join(ale, "versions", f"{rid(i)}_step_{i}.py"), "w") as f:
        f.write(f'''"""step {i}"""
from alembic import op
import sqlalchemy as sa

revision = {rid(i)!r}
down_revision = {parent!r}
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "t{i}",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("status", sa.String(20), nullable=False, server_default="new"),
    )
    op.add_column("t{i}", sa.Column("note", sa.Text))
    op.create_index("ix_t{i}_name", "t{i}", ["name"])


def downgrade():
    op.drop_index("ix_t{i}_name", table_name="t{i}")
    op.drop_column("t{i}", "note")
    op.drop_table("t{i}")
''')
PY
sed -i "s|placeholder://|$DIALECT://|" "$dir/alembic/alembic.ini"

python3 - "$dir" "$N" "$RUNS" "$ALEMBIC" "$ddlc" "$DIALECT" "$venv/bin/alembic" <<'PY'
import os, statistics, subprocess, sys, time
dir, n, runs, with_alembic, ddlc, dialect, alembic = sys.argv[1:8]
n, runs = int(n), int(runs)
devnull = subprocess.DEVNULL
ddlc_cmd = [ddlc, "--project", os.path.join(dir, "ddlc"), "upgrade", "base:head", "-d", dialect]
alembic_cmd = [alembic, "-c", os.path.join(dir, "alembic", "alembic.ini"), "upgrade", "head", "--sql"]
cat_cmd = ["bash", "-c", f"find {os.path.join(dir, 'ddlc', 'migrations', 'versions')} -name '*.mig' -print0 | xargs -0 cat > /dev/null"]

def timed(cmd):
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=devnull, stderr=subprocess.PIPE)
    ms = (time.perf_counter() - start) * 1000
    if done.returncode != 0:
        sys.exit(f"compare: {' '.join(cmd)} failed:\n{done.stderr.decode(errors='replace')}")
    return ms

def peak_rss_kb(cmd):
    done = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdout=devnull, stderr=subprocess.PIPE)
    return int(done.stderr.decode().strip().splitlines()[-1])

# One warm-up of each so that the page cache holds the files for every timed run.
timed(ddlc_cmd)
if with_alembic == "1":
    timed(alembic_cmd)
d, a, c = [], [], []
for i in range(runs):
    d.append(timed(ddlc_cmd))
    if with_alembic == "1":
        a.append(timed(alembic_cmd))
    c.append(timed(cat_cmd))
    print(f"run {i + 1}/{runs}: ddlc {d[-1]:.0f} ms" + (f", alembic {a[-1]:.0f} ms" if a else "") + f", cat {c[-1]:.0f} ms", file=sys.stderr)
dm = statistics.median(d)
am = statistics.median(a) if a else 0
cm = statistics.median(c)
rss = peak_rss_kb(ddlc_cmd)
ratio = am / dm if a else 0
print(f"revisions={n} ddlc_ms={dm:.0f} alembic_ms={am:.0f} ratio={ratio:.1f} ddlc_peak_rss_kb={rss} cat_ms={cm:.0f}")
PY
