"""A second damage channel for evaluation: what an English-model OCR does to Swedish letters.

Written from how such a reader behaves, not estimated from any page and independent of
``confusions.tsv`` (the channel the corrector uses as its model), so that the errors the repair
cuts on it are not a matched-channel best case. Rules:

- a line is read either by the Swedish model or by the English one (`english_share` of the
  lines, drawn per line): the English model has no å, ä, ö in its alphabet;
- on an English line each å/ä/ö is read as its base letter (a, a, o) most of the time, else as a
  look-alike the English model has (``à``, ``d`` for å/ä; ``6``, ``ó`` for ö; ``0`` for Ö),
  or kept when the line's other letters pulled the reader back;
- on a Swedish line a diacritic is lost now and then (`swedish_loss`), read as its base letter.

Only letters change: no space, line or other character is touched.

>>> english_ocr("Målet är att höja nivån", seed=1, english_share=0.0, swedish_loss=0.0)
'Målet är att höja nivån'
>>> english_ocr("Målet är att höja nivån", seed=1, english_share=1.0, swedish_loss=0.0)
'Màlet ar att hoja nivan'
"""

from __future__ import annotations

import random
import unicodedata

#: What the English model reads for each Swedish letter: (reading, weight); the base letter
#: first, then look-alikes in its alphabet, then the letter itself (read right after all).
READINGS: dict[str, tuple[tuple[str, float], ...]] = {
    "å": (("a", 0.80), ("à", 0.05), ("d", 0.05), ("å", 0.10)),
    "ä": (("a", 0.80), ("à", 0.05), ("d", 0.05), ("ä", 0.10)),
    "ö": (("o", 0.80), ("6", 0.05), ("ó", 0.05), ("ö", 0.10)),
    "Å": (("A", 0.90), ("Å", 0.10)),
    "Ä": (("A", 0.90), ("Ä", 0.10)),
    "Ö": (("O", 0.85), ("0", 0.05), ("Ö", 0.10)),
}
_BASE = {k: v[0][0] for k, v in READINGS.items()}


def english_ocr(
    text: str, *, seed: int, english_share: float = 0.3, swedish_loss: float = 0.02
) -> str:
    """`text` as an OCR with a Swedish and an English model might read it; the same seed gives
    the same output. The number of lines and of characters never changes."""
    rng = random.Random(seed)
    out = []
    for line in unicodedata.normalize("NFC", text).split("\n"):
        english = rng.random() < english_share
        chars = []
        for ch in line:
            readings = READINGS.get(ch)
            if readings is None:
                chars.append(ch)
            elif english:
                chars.append(rng.choices([r for r, _ in readings], [w for _, w in readings])[0])
            else:
                chars.append(_BASE[ch] if rng.random() < swedish_loss else ch)
        out.append("".join(chars))
    return "\n".join(out)
