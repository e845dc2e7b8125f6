#!/usr/bin/python3
"""forge-ckpt.py IN OUT EDIT... -- a copy of a leap checkpoint with bytes
changed and both CRC-32s made again, as someone altering the file on
purpose would: what leap's load must still refuse (the checksums alone
cannot).  An EDIT is
  REGION:INDEX=HEX     the bytes HEX at element INDEX of a region (bws, res,
                       thr_d, thr_f, size, flags, labour, need, stock, link,
                       comm, cty, prov; INDEX 'alive' is the first person alive,
                       '*' every element)
  random:SEED:N        N bytes anywhere in the contents set at random (seeded)
The layout is checkpoint.c's format 2: a 176-byte header, then the person
columns, the household columns, the pool links, the communes, counties and
provinces (their sizes from the header), the scalars and the output rows."""
import random
import struct
import sys
import zlib

HDR = struct.Struct('<8s64s6Id I ii iii QQQQ Q I I')


def main():
    src, dst, edits = sys.argv[1], sys.argv[2], sys.argv[3:]
    b = bytearray(open(src, 'rb').read())
    h = HDR.unpack_from(b, 0)
    sizes, ncomm, ncty, nprov = h[2:8], h[12], h[13], h[14]
    pp_cap, hh_n, nlink = h[15], h[17], h[18]
    widths = [('bws', 2, pp_cap), ('res', 2, pp_cap), ('thr_d', 4, pp_cap), ('thr_f', 4, pp_cap),
              ('size', 1, hh_n), ('flags', 1, hh_n), ('labour', 1, hh_n), ('need', 2, hh_n), ('stock', 4, hh_n),
              ('link', 2, nlink), ('comm', sizes[0], ncomm), ('cty', sizes[1], ncty), ('prov', sizes[2], nprov)]
    region, at = {}, HDR.size
    for name, w, n in widths:
        region[name] = (at, w, n)
        at += w * n
    for edit in edits:
        if edit.startswith('random:'):
            _, seed, n = edit.split(':')
            rng = random.Random(int(seed))
            for _ in range(int(n)):
                b[rng.randrange(HDR.size, len(b))] = rng.randrange(256)
            continue
        where, value = edit.split('=')
        name, index = where.split(':')
        start, w, n = region[name]
        if index == 'alive':   # the first slot whose bws has the alive bit
            index = next(i for i in range(pp_cap) if struct.unpack_from('<H', b, HDR.size + 2 * i)[0] & 0x8000)
        data = bytes.fromhex(value)
        for i in range(n) if index == '*' else [int(index)]:
            b[start + w * i:start + w * i + len(data)] = data
    struct.pack_into('<I', b, 168, zlib.crc32(bytes(b[HDR.size:])) & 0xffffffff)
    struct.pack_into('<I', b, 172, zlib.crc32(bytes(b[:172])) & 0xffffffff)
    open(dst, 'wb').write(b)


main()
