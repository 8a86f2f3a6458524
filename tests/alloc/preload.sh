#!/bin/bash
# tests/alloc/preload.sh — real programs from Debian packages under ferrum.
#
# Runs python3, sqlite3, perl, git, sort (GNU coreutils), gcc (and php
# when installed) once
# plainly (glibc malloc) and once with LD_PRELOAD=libferrum-malloc.so, and
# compares their output and exit status.  A program that is not installed
# is skipped (and reported); if none is installed the test is skipped
# (exit 77).  Usage: preload.sh /path/to/libferrum-malloc.so
set -u
lib=$(realpath "$1")
[ -f "$lib" ] || { echo "no library at $lib"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ran=0 failed=0

# compare NAME CMD...: run CMD plainly and under ferrum (stdin from $work/in)
compare() {
    local name="$1"; shift
    : > "$work/in.$name"
    [ -f "$work/in" ] && cp "$work/in" "$work/in.$name"
    "$@" < "$work/in.$name" > "$work/plain.$name" 2>&1; local rc1=$?
    LD_PRELOAD="$lib" "$@" < "$work/in.$name" > "$work/ferrum.$name" 2>&1; local rc2=$?
    rm -f "$work/in"
    ran=$((ran + 1))
    if [ $rc1 -ne $rc2 ] || ! cmp -s "$work/plain.$name" "$work/ferrum.$name"; then
        echo "FAIL $name: exit $rc1 (glibc) vs $rc2 (ferrum)"
        diff "$work/plain.$name" "$work/ferrum.$name" | head -20
        failed=$((failed + 1))
    else
        echo "ok   $name ($(wc -c < "$work/plain.$name") bytes of output identical)"
    fi
}
have() { command -v "$1" >/dev/null 2>&1 || { echo "skip $1: not installed"; return 1; }; }

# python3: the system interpreter (a pyenv shim would be a shell script)
py=/usr/bin/python3
[ -x "$py" ] || py=$(command -v python3 || true)
if [ -n "$py" ] && [ -x "$py" ]; then
    compare python3 "$py" -c '
import json, threading, re, collections, hashlib
d = {str(i): [i] * (i % 50) for i in range(50000)}
s = json.dumps(d)
out = collections.Counter(re.findall(r"\d+", s[:200000]))
res = []
def work(k):
    x = [bytes(range(k % 256)) * (k % 7) for _ in range(3000)]
    res.append(sum(len(b) for b in x))
ts = [threading.Thread(target=work, args=(k,)) for k in range(8)]
[t.start() for t in ts]; [t.join() for t in ts]
print(len(s), out.most_common(3), sorted(res), hashlib.sha256(s.encode()).hexdigest())
'
else
    echo "skip python3: not installed"
fi

if have sqlite3; then
    cat > "$work/in" <<'SQL'
create table t(id integer primary key, name text, v real);
with recursive c(x) as (select 1 union all select x + 1 from c where x < 50000)
insert into t select x, printf('name-%d', x * 7919 % 100003), x * 0.5 from c;
create index t_name on t(name);
select count(*), sum(v), min(name), max(name) from t;
select name from t where name like 'name-99%' order by name limit 5;
select group_concat(id) from (select id from t order by v desc limit 20);
SQL
    compare sqlite3 sqlite3 :memory:
fi

if have perl; then
    compare perl perl -e '
my %h; for my $i (1..200000) { $h{"k$i"} = "v" x ($i % 40); }
my @k = sort { length($h{$a}) <=> length($h{$b}) or $a cmp $b } keys %h;
my $s = join(",", @k[0..20]); my @w = split /,/, $s;
print scalar(@k), " ", $s, " ", scalar(@w), "\n";'
fi

if have git; then
    repo="$work/repo"
    export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.org GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.org
    export GIT_AUTHOR_DATE="2024-01-01T00:00:00Z" GIT_COMMITTER_DATE="2024-01-01T00:00:00Z"
    git init -q "$repo" && (cd "$repo" &&
        for i in $(seq 1 30); do seq $i 3 4000 > "f$((i % 7)).txt"; git add -A; git commit -q -m "commit $i"; done)
    compare git-log git -C "$repo" log -p --stat
    compare git-fsck git -C "$repo" fsck --full --strict
    compare git-grep git -C "$repo" grep -c 99
fi

if have sort; then
    awk 'BEGIN { srand(7); for (i = 0; i < 300000; i++) printf "%d %s\n", int(rand() * 1e9), substr("abcdefghij", 1 + i % 10) }' > "$work/numbers"
    cp "$work/numbers" "$work/in"
    compare sort sort -k1,1n -S 4M --parallel=2
fi

if have gcc; then
    cat > "$work/prog.c" <<'C'
#include <stdio.h>
struct node { struct node *next; int v; };
static int sum(struct node *n) { int s = 0; for (; n; n = n->next) s += n->v; return s; }
int main(void) { struct node b = {0, 2}, a = {&b, 1}; printf("%d\n", sum(&a)); return 0; }
C
    compare gcc gcc -O2 -S -o - "$work/prog.c"
fi

# php (optional: not in the README's packages) opens its extensions with
# RTLD_DEEPBIND, which crashed every preloaded malloc (alloc/deepbind.c)
if command -v php >/dev/null 2>&1; then
    cat > "$work/prog.php" <<'PHP'
<?php
$a = [];
for ($i = 0; $i < 100000; $i++) { $a["k$i"] = str_repeat(chr(65 + $i % 26), $i % 40); }
ksort($a);
$j = json_encode(array_slice($a, 0, 5000));
echo strlen($j), " ", md5($j), " ", count(array_unique($a)), " ", preg_replace('/(\w)\1+/', '$1', "aaabbbccc"), "\n";
PHP
    compare php php "$work/prog.php"
fi

echo "$ran compared, $failed failed"
[ $ran -eq 0 ] && exit 77
[ $failed -eq 0 ]
