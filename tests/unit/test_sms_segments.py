"""SMS segment arithmetic: 160 GSM characters a segment (an extension character counts two),
70 as soon as one character is outside the GSM alphabet; replies are cut to two."""
from __future__ import annotations

from saas.sms.segments import fit, is_gsm, length, segments


def test_gsm_text_takes_160_characters_a_segment():
    assert segments("a" * 160) == 1 and segments("a" * 161) == 2 and segments("a" * 320) == 2
    assert is_gsm("[Pinghe Life] ¥1,000.00 @ 95500")


def test_an_extension_character_counts_twice():
    assert length("€") == 2 and segments("€" * 80) == 1 and segments("€" * 81) == 2


def test_one_chinese_character_makes_it_70_a_segment():
    assert segments("保" * 70) == 1 and segments("保" * 71) == 2 and segments("a" * 100 + "保") == 2


def test_a_long_reply_is_cut_at_a_word_within_two_segments():
    english = ("word " * 100).strip()
    cut = fit(english)
    assert segments(cut) == 2 and cut.endswith("...") and cut[:-3].endswith("word")
    chinese = "【平和人寿】" + "保单" * 100
    cut = fit(chinese)
    assert segments(cut) == 2 and len(cut) == 140 and cut.endswith("…")


def test_a_reply_that_fits_is_left_alone():
    assert fit("【平和人寿】您目前没有应缴保费。") == "【平和人寿】您目前没有应缴保费。"
