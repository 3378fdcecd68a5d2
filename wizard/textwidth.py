"""How wide a word is on paper, so a table column can always hold its longest word.

The widths are Arial's (regular and bold), read from Liberation Sans, which has the
same metrics, by scripts/maak_tekstbreedte.py. Another font is measured as Arial
times a factor; an unknown font gets a generous factor, so a column is rather a
little too wide than a word broken in two.
"""

from __future__ import annotations

from functools import lru_cache

_WIDTH_CHARS = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\xa0¡¢£¤¥¦§¨©ª«¬\xad®¯°±²³´µ¶·¸¹º»¼½¾¿ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõö÷øùúûüýþÿ€‘’“”–—•…"
_REGULAR = bytes.fromhex(
    "3838477070b2862743434e753843383870707070707070707070383875757570cc86869191867b9c9138648670a7919c869c91867b9186bd86867b3838385e704370706470703870702d2d642da77070707043643870649164646443344375384370707070347043944b707543946f506e434343746c4343434a70a7a7a77b868686868686c891868686863838383891919c9c9c9c9c759c9191919186867b707070707070b2647070707038383838707070707070706e7b70707070647064702d2d434370c847c8"
)
_BOLD = bytes.fromhex(
    "38435f7070b2913043434e75384338387070707070707070707043437575757bc491919191867b9c913870917ba7919c869c91867b9186bd86867b433843757043707b707b70437b7b38387038b27b7b7b7b4e70437b709c7070644e384e75384370707070387043944b707543946f506e43434374704343434a70a7a7a77b919191919191c891868686863838383891919c9c9c9c9c759c9191919186867b707070707070b27070707070383838387b7b7b7b7b7b7b6e7b7b7b7b7b707b70703838646470c847c8"
)
_INDEX = {char: index for index, char in enumerate(_WIDTH_CHARS)}
_UNKNOWN = 120  # fifths of a thousandth of an em: a wide letter, for characters not in the table

# Width of a font's text compared with Arial's, roughly (measured on Dutch text).
FONT_FACTORS = {
    "arial": 1.0,
    "liberation sans": 1.0,
    "helvetica": 1.0,
    "calibri": 0.9,
    "carlito": 0.9,
    "aptos": 0.97,
    "segoe ui": 1.02,
    "tahoma": 1.02,
    "verdana": 1.2,
    "dejavu sans": 1.12,
    "open sans": 1.08,
    "times new roman": 0.9,
    "cambria": 0.95,
    "georgia": 1.05,
}
UNKNOWN_FONT_FACTOR = 1.2


def font_factor(font: str) -> float:
    return FONT_FACTORS.get(font.strip().lower(), UNKNOWN_FONT_FACTOR)


@lru_cache(maxsize=8192)  # the same words come back in every table and every document
def twips(text: str, half_points: int, bold: bool = False, factor: float = 1.0) -> int:
    """The width of `text` at a font size in half-points (22 is 11 pt), in twips (1/20 pt)."""
    table = _BOLD if bold else _REGULAR
    fifths = sum(table[_INDEX[char]] if char in _INDEX else _UNKNOWN for char in text)
    # fifths/200 em × half_points/2 pt × 20 twips/pt
    return -(-int(fifths * half_points * factor) // 20)
