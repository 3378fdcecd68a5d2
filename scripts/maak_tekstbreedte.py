"""Print the character widths of Arial (regular and bold) for wizard/textwidth.py.

Liberation Sans has the same metrics as Arial (that is its purpose), so its
TrueType files give the widths Word and LibreOffice use. The writer needs them to
make each table column at least as wide as its longest word. Run it again only
when the set of characters should change:

    python scripts/maak_tekstbreedte.py /usr/share/fonts/truetype/liberation2
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

# Latin-1 plus the typographic characters the templates and answers use.
CHARS = [chr(c) for c in range(32, 127)] + [chr(c) for c in range(160, 256)] + list("€‘’“”–—•…")


def widths(font: Path) -> dict[str, int]:
    """Advance width of each character in thousandths of an em."""
    data = font.read_bytes()
    tables = {}
    (count,) = struct.unpack(">H", data[4:6])
    for i in range(count):
        tag, _, offset, length = struct.unpack(">4sIII", data[12 + 16 * i : 28 + 16 * i])
        tables[tag.decode()] = (offset, length)
    head = tables["head"][0]
    (units,) = struct.unpack(">H", data[head + 18 : head + 20])
    hhea = tables["hhea"][0]
    (metrics,) = struct.unpack(">H", data[hhea + 34 : hhea + 36])
    hmtx = tables["hmtx"][0]
    cmap = _cmap(data, tables["cmap"][0])
    out = {}
    for char in CHARS:
        glyph = cmap.get(ord(char), 0)
        index = min(glyph, metrics - 1)
        (advance,) = struct.unpack(">H", data[hmtx + 4 * index : hmtx + 4 * index + 2])
        out[char] = -(-advance * 1000 // units)  # rounded up: a word must never be too wide
    return out


def _cmap(data: bytes, cmap: int) -> dict[int, int]:
    """The Unicode BMP subtable (format 4): code point → glyph index."""
    (count,) = struct.unpack(">H", data[cmap + 2 : cmap + 4])
    for i in range(count):
        platform, encoding, offset = struct.unpack(">HHI", data[cmap + 4 + 8 * i : cmap + 12 + 8 * i])
        start = cmap + offset
        if (platform, encoding) in ((3, 1), (0, 3)) and struct.unpack(">H", data[start : start + 2])[0] == 4:
            break
    else:
        raise SystemExit("geen Unicode-tabel (formaat 4) in het lettertype")
    (segments,) = struct.unpack(">H", data[start + 6 : start + 8])
    segments //= 2
    ends = struct.unpack(f">{segments}H", data[start + 14 : start + 14 + 2 * segments])
    at = start + 16 + 2 * segments
    starts = struct.unpack(f">{segments}H", data[at : at + 2 * segments])
    deltas = struct.unpack(f">{segments}h", data[at + 2 * segments : at + 4 * segments])
    range_at = at + 4 * segments
    offsets = struct.unpack(f">{segments}H", data[range_at : range_at + 2 * segments])
    mapping = {}
    for seg in range(segments):
        for code in range(starts[seg], ends[seg] + 1):
            if code == 0xFFFF:
                continue
            if offsets[seg] == 0:
                glyph = (code + deltas[seg]) & 0xFFFF
            else:
                where = range_at + 2 * seg + offsets[seg] + 2 * (code - starts[seg])
                (glyph,) = struct.unpack(">H", data[where : where + 2])
                glyph = (glyph + deltas[seg]) & 0xFFFF if glyph else 0
            mapping[code] = glyph
    return mapping


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/truetype/liberation2")
    chars = "".join(CHARS)
    print(f"_WIDTH_CHARS = {chars!r}")
    for name, file in (("_REGULAR", "LiberationSans-Regular.ttf"), ("_BOLD", "LiberationSans-Bold.ttf")):
        table = widths(folder / file)
        fifths = bytes(-(-table[c] // 5) for c in CHARS)  # in fifths of a thousandth of an em, rounded up
        print(f'{name} = bytes.fromhex("{fifths.hex()}")')


if __name__ == "__main__":
    main()
