"""pywork.py — a CPython workload for bench/run: dicts, lists and strings.

What: builds a word-frequency index over generated text, sorts and slices
lists of tuples, formats and joins strings, and churns small dicts and lists,
the object traffic that makes CPython's allocator (and the malloc under it,
for everything above 512 bytes and for pymalloc's arenas) matter.

How: all data comes from random.Random(seed), so the printed digest is the
same under every allocator; bench/run compares it across allocators.

Usage: python3 pywork.py [ROUNDS]   (default 20)
"""
import hashlib
import random
import sys


def one_round(rng, digest):
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9)))
             for _ in range(4000)]
    text = " ".join(rng.choice(words) for _ in range(60000))
    freq = {}
    for w in text.split():
        freq[w] = freq.get(w, 0) + 1
    top = sorted(freq.items(), key=lambda kv: (-kv[1], kv[0]))[:200]
    records = [{"id": i, "name": w, "tags": [w[:2], w[-2:]], "n": n} for i, (w, n) in enumerate(top)]
    lines = ["%05d:%s:%s:%d" % (r["id"], r["name"], ",".join(r["tags"]), r["n"]) for r in records]
    blob = "\n".join(lines)
    digest.update(blob.encode())
    # churn: many short-lived containers of mixed sizes
    acc = 0
    for i in range(30000):
        lst = list(range(i % 50))
        d = {j: str(j) for j in range(i % 17)}
        s = "x" * (i % 300)
        acc += len(lst) + len(d) + len(s)
    digest.update(str(acc).encode())


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    if rounds <= 0:
        sys.exit("pywork.py: ROUNDS must be positive")
    rng = random.Random(8000)
    digest = hashlib.sha256()
    for _ in range(rounds):
        one_round(rng, digest)
    print("RESULT workload=python3 ops=%d checksum=%s" % (rounds, digest.hexdigest()[:16]))


if __name__ == "__main__":
    main()
