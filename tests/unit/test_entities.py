"""The pieces of a transliterated name: Han characters only, from 一 (U+4E00) to U+9FFF."""

import pytest

from corpus.entities import _is_han


@pytest.mark.parametrize(
    ("word", "han"),
    [("吐尼亚孜", True), ("一", True), ("\u9fff", True), ("", False), ("Ali", False), ("阿里2", False),
     ("\u4dff", False), ("\ua000", False), ("·", False)],
)
def test_a_name_piece_is_han_characters_only(word: str, han: bool) -> None:
    assert _is_han(word) is han
