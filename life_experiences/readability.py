"""Reading grade of English text (Flesch-Kincaid), for the plain-language checks.

Syllables are estimated from vowel groups with a few English spelling rules; that is what
readability tools do, and it is accurate enough to flag hard sentences.
"""

from __future__ import annotations

import re

WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)|[:;]\s|\n+")
VOWELS = re.compile(r"[aeiouy]+")


def syllables(word: str) -> int:
    """Estimated syllables in one English word (at least one)."""
    word = word.lower().replace("’", "'").split("'")[0]
    if len(word) <= 3:
        return 1
    count = len(VOWELS.findall(word))
    # A silent final "e" ("make"), but not "-le" after a consonant ("table").
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")):
        count -= 1
    # "-ed" is usually silent ("asked"), except after t or d ("needed").
    if word.endswith("ed") and len(word) > 4 and word[-3] not in "td":
        count -= 1
    # "-es" is silent after most letters ("makes"), not after s, x, z, ch, sh ("taxes").
    if word.endswith("es") and len(word) > 4 and not word.endswith(("ses", "xes", "zes", "ches", "shes")):
        count -= 1
    return max(count, 1)


def counts(text: str) -> tuple[int, int, int]:
    """Sentences, words and syllables in a text."""
    words = WORD.findall(text)
    sentences = [s for s in SENTENCE_END.split(text) if WORD.search(s)]
    return max(len(sentences), 1), len(words), sum(syllables(w) for w in words)


def grade(text: str) -> float:
    """The Flesch-Kincaid grade level of English text (0 for text without words)."""
    sentence_count, word_count, syllable_count = counts(text)
    if word_count == 0:
        return 0.0
    value = 0.39 * word_count / sentence_count + 11.8 * syllable_count / word_count - 15.59
    return round(max(value, 0.0), 1)


SPANISH_WORD = re.compile(r"[A-Za-zÁÉÍÓÚÜÑáéíóúüñ]+")
# Vowel groups: two weak vowels (i, u, ü), or a weak with a strong one, form one syllable
# (a diphthong) unless an accent on the weak vowel splits them ("día", "baúl").
SPANISH_NUCLEUS = re.compile(r"[iuü]?[aeoáéó][iuy]?(?![aeoáéó])|[iuü][iu]|[íú]|[iuü]|[aeoáéó]", re.IGNORECASE)


def spanish_syllables(word: str) -> int:
    """Estimated syllables in one Spanish word (at least one)."""
    word = word.lower()
    if word == "y":
        return 1
    # A final "y" after a vowel ("hay", "muy") belongs to the vowel before it.
    return max(len(SPANISH_NUCLEUS.findall(word.rstrip("y") if word.endswith("y") else word)), 1)


def fernandez_huerta(text: str) -> float:
    """Fernández-Huerta reading ease of Spanish text: 100 is very easy, 60-70 plain, below 50 hard.

    L = 206.84 - 0.60 P - 1.02 F, with P syllables per 100 words and F sentences per 100 words
    (the formula as corrected for Spanish by Fernández Huerta, 1959).
    """
    words = SPANISH_WORD.findall(text)
    if not words:
        return 100.0
    sentences = max(len([s for s in SENTENCE_END.split(text) if SPANISH_WORD.search(s)]), 1)
    per_hundred = 100.0 / len(words)
    syllable_rate = sum(spanish_syllables(w) for w in words) * per_hundred
    sentence_rate = sentences * per_hundred
    return round(min(max(206.84 - 0.60 * syllable_rate - 1.02 * sentence_rate, 0.0), 100.0), 1)
