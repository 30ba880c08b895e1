"""Work split between forked processes gives what one process gives, in the same order."""

from __future__ import annotations

import os
import sys

import pytest

from unmask.narratives.language import FastText
from unmask.parallel import map_chunks


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked only on Linux")
def test_chunks_come_back_in_order_from_several_processes() -> None:
    offset = 1000  # a closure's state reaches the workers without pickling

    def task(items: list[int]) -> list[tuple[int, int]]:
        return [(item + offset, os.getpid()) for item in items]

    found = map_chunks(task, list(range(500)), workers=2, min_items=1)
    assert [value for value, _ in found] == list(range(1000, 1500))
    assert os.getpid() not in {pid for _, pid in found}


def test_few_items_stay_in_the_calling_process() -> None:
    found = map_chunks(lambda items: [os.getpid() for _ in items], list(range(10)), workers=2)
    assert set(found) == {os.getpid()}


def test_fasttext_in_workers_answers_as_in_one_process() -> None:
    model = FastText()
    texts = ["The stories about the camps are lies.", "Le prétendu génocide est un mensonge.", "新疆所谓种族灭绝是谎言",
             "THIS IS ALL CAPS SHOUTING ABOUT THE WEST", "", "Das ist eine Lüge des Westens."] * 20
    assert map_chunks(model.detect_pairs, texts, workers=2, min_items=1) == model.detect_pairs(texts)
