#!/usr/bin/env python3
"""Builds crates/rrm-app/data/breached-passwords.txt.gz, the list of common and breached
passwords that staff passwords are checked against (crates/rrm-app/src/passwords.rs).

Sources, both usable offline:
- zxcvbn's "passwords" frequency list: the 30,000 most frequent passwords of Mark Burnett's
  corpus of 10 million passwords leaked in breaches (released into the public domain), as
  shipped inside the `zxcvbn` crate 3.1.1 on crates.io (MIT licence), src/frequency_lists.rs.
  Fetch it with `cargo info zxcvbn@3.1.1` (which downloads the crate into ~/.cargo/registry).
- Openwall's password.lst (Solar Designer, "assumed to be in the public domain"), the
  1,000 entries of crates/rrm-app/data/common-passwords.txt.

Every entry is NFKC-normalized and lower-cased, as passwords are before they are checked;
duplicates are dropped; the result is sorted and gzipped (mtime 0, so the output is stable).

Usage: python3 scripts/breached-passwords.py [path/to/zxcvbn/src/frequency_lists.rs]
"""
import glob
import gzip
import os
import re
import sys
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "crates", "rrm-app", "data")


def zxcvbn_list(path):
    text = open(path, encoding="utf-8").read()
    match = re.search(r'const PASSWORDS: &str = "(.*?)";', text, re.S)
    if not match:
        sys.exit(f"{path}: no PASSWORDS list")
    return match.group(1).split(",")


def openwall_list():
    path = os.path.join(DATA, "common-passwords.txt")
    with open(path, encoding="utf-8") as f:
        return [l.rstrip("\n") for l in f if l.strip() and not l.startswith("#")]


def main():
    if len(sys.argv) > 1:
        source = sys.argv[1]
    else:
        home = os.path.expanduser("~/.cargo/registry/src")
        found = glob.glob(f"{home}/*/zxcvbn-3.1.1/src/frequency_lists.rs")
        if not found:
            sys.exit("zxcvbn-3.1.1 is not in ~/.cargo/registry: run `cargo info zxcvbn@3.1.1`"
                     " or pass the path of its src/frequency_lists.rs")
        source = found[0]
    words = zxcvbn_list(source) + openwall_list()
    clean = sorted({unicodedata.normalize("NFKC", w).lower() for w in words if w})
    out = os.path.join(DATA, "breached-passwords.txt.gz")
    with open(out, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
            gz.write(("\n".join(clean) + "\n").encode("utf-8"))
    print(f"{out}: {len(clean)} passwords, {os.path.getsize(out)} bytes")


if __name__ == "__main__":
    main()
