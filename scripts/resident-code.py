#!/usr/bin/env python3
"""Which of a running binary's code is resident, by language, for
`make bench`'s breakdown of idle memory. It reads the process's page map
for the binary's executable mapping and shares each resident page among
the symbols it holds. The C++ in Porthole's binary is DuckDB's (its bundled
library); Rust's symbols carry a hash; what is left is C (DuckDB's C API
among it).

The kernel maps the pages around one that is touched (fault-around, 64 KB),
so code touched here and there across the binary is resident in blocks.

usage: resident-code.py PID BINARY  ->  "total rust cxx c", in MB"""
import bisect, re, struct, subprocess, sys

PAGE = 4096
RUST = re.compile(r'^(_R|_ZN.*17h[0-9a-f]{16}E$)')

def language(symbol):
    if RUST.match(symbol):
        return 'rust'
    return 'cxx' if symbol.startswith('_Z') else 'c'

def main(pid, binary):
    mapping = next(line.split() for line in open(f'/proc/{pid}/maps')
                   if line.split()[1:2] == ['r-xp'] and line.split()[5:6] == [binary])
    start, end = (int(part, 16) for part in mapping[0].split('-'))
    file_offset = int(mapping[2], 16)
    segments = subprocess.run(['readelf', '-lW', binary], capture_output=True, text=True,
                              check=True).stdout
    text = next(fields for fields in map(str.split, segments.splitlines())
                if fields[:1] == ['LOAD'] and 'E' in ''.join(fields[6:-1]))
    # Where the segment's addresses begin in this process.
    bias = start - file_offset - (int(text[2], 16) - int(text[1], 16))
    symbols = sorted(
        (int(address, 16), name)
        for address, kind, name in (line.split(' ', 2) for line in subprocess.run(
            ['nm', '--defined-only', binary], capture_output=True, text=True,
            check=True).stdout.splitlines() if line.count(' ') >= 2)
        if kind in 'tTwW')
    addresses = [address for address, _ in symbols]
    sizes = {'rust': 0.0, 'cxx': 0.0, 'c': 0.0}
    with open(f'/proc/{pid}/pagemap', 'rb') as pagemap:
        for page in range(start, end, PAGE):
            pagemap.seek(page // PAGE * 8)
            if not struct.unpack('<Q', pagemap.read(8))[0] >> 63:
                continue
            first = max(bisect.bisect_right(addresses, page - bias) - 1, 0)
            last = max(bisect.bisect_left(addresses, page - bias + PAGE), first + 1)
            held = [language(name) for _, name in symbols[first:last]]
            for kind in held:
                sizes[kind] += PAGE / len(held)
    mb = {kind: size / 2**20 for kind, size in sizes.items()}
    print(f"{sum(mb.values()):.1f} {mb['rust']:.1f} {mb['cxx']:.1f} {mb['c']:.1f}")

if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
