"""A weight row's code misread by OCR ("SPS" for SP5) goes back to its card, as a finding."""

from __future__ import annotations

from extract.ir import Document, PageInfo
from normalize.misread_codes import repair_misread_codes
from normalize.records import Objective, Plan, Weight


def _plan(codes_read: list[str], cards: list[str], read_mode: str = "ocr") -> tuple[Plan, Document]:
    plan = Plan(
        objectives=[Objective(f"servizi/{n}", "SERVIZI", "servizi", n, False, f"Obiettivo {n}")
                    for n in cards],
        weights=[Weight("area", "SERVIZI", "servizi", "", code, "", "20", 20.0, "100", 100.0,
                        page=2) for code in codes_read],
    )
    return plan, Document("x.pdf", "pdf", pages=[PageInfo(1), PageInfo(2, read_mode=read_mode)])


def test_a_code_read_with_a_look_alike_glyph_names_its_card_and_says_so() -> None:
    plan, doc = _plan(["SP2", "SPS", "SP7"], ["SP2", "SP5", "SP7"])
    repair_misread_codes(plan, doc)
    assert [w.number for w in plan.weights] == ["SP2", "SP5", "SP7"]
    [note] = plan.notes
    assert note.check == "parser.ocr_code_read_as" and "'SPS'" in note.message
    assert note.objective_key == "servizi/SP5" and note.page == 2


def test_zero_and_one_read_as_letters() -> None:
    plan, doc = _plan(["O1.O2", "0l.03"], ["01.02", "01.03"])
    repair_misread_codes(plan, doc)
    assert [w.number for w in plan.weights] == ["01.02", "01.03"]


def test_a_code_whose_point_ocr_lost() -> None:
    plan, doc = _plan(["1.1", "12", "21"], ["1.1", "1.2", "2.1"])
    repair_misread_codes(plan, doc)
    assert [w.number for w in plan.weights] == ["1.1", "1.2", "2.1"]
    plan, doc = _plan(["12"], ["1.2", "12"])  # the plan's own card 12: no guess
    repair_misread_codes(plan, doc)
    assert plan.weights[0].number == "12" and not plan.notes


def test_an_s_read_for_a_three_or_a_five() -> None:
    plan, doc = _plan(["1T", "ST", "S2"], ["1T", "3T", "52"])
    repair_misread_codes(plan, doc)
    assert [w.number for w in plan.weights] == ["1T", "3T", "52"]
    plan, doc = _plan(["ST"], ["3T", "5T"])  # two cards it may be: no guess
    repair_misread_codes(plan, doc)
    assert plan.weights[0].number == "ST" and not plan.notes


def test_nothing_is_guessed_on_a_text_layer_or_when_the_match_is_not_one() -> None:
    plan, doc = _plan(["SPS"], ["SP5"], read_mode="text")
    repair_misread_codes(plan, doc)
    assert plan.weights[0].number == "SPS" and not plan.notes  # the plan's own code
    plan, doc = _plan(["SP5", "SPS"], ["SP5"])  # SP5 has its row already
    repair_misread_codes(plan, doc)
    assert [w.number for w in plan.weights] == ["SP5", "SPS"] and not plan.notes
    plan, doc = _plan(["X9"], ["SP5"])  # reads like no card
    repair_misread_codes(plan, doc)
    assert plan.weights[0].number == "X9" and not plan.notes
