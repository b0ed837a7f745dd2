from lsoplan.lib.goalchain import PerformanceGoalNode, RiskNode, SafetyGoalNode, check_chain, is_high


def test_complete_chain_has_no_gaps() -> None:
    report = check_chain(
        [RiskNode(1, "Brand i bostad", 5, 5)],
        [SafetyGoalNode(10, "S1", ("lso-1-3a",), (1,), indicators=1)],
        [PerformanceGoalNode(20, "P1", (10,), indicators=1, measures=2)],
    )
    assert report.gaps == ()


def test_each_kind_of_gap_is_found() -> None:
    report = check_chain(
        [RiskNode(1, "Brand i bostad", 5, 5), RiskNode(2, "Drunkning", 1, 2)],
        [SafetyGoalNode(10, "S1")],
        [PerformanceGoalNode(20, "P1")],
    )
    codes = {(g.code, g.object_id) for g in report.gaps}
    assert ("SG-NATIONELLT", 10) in codes
    assert ("SG-RISK", 10) in codes
    assert ("SG-PRESTATION", 10) in codes
    assert ("PM-SAKERHET", 20) in codes
    assert ("MAL-INDIKATOR", 10) in codes and ("MAL-INDIKATOR", 20) in codes
    assert ("RISK-MAL", 1) in codes
    assert ("RISK-MAL", 2) not in codes  # a low risk needs no goal of its own
    assert [g.severity for g in report.for_object("prestationsmal", 20) if g.code == "PM-ATGARD"] == [
        "notering"
    ]
    assert report.count == len(report.gaps) - 1


def test_high_threshold_scales_with_the_matrix() -> None:
    # 9 of 25 is below 48 %, 9 of 16 (a 4×4 matrix) is above it; 12 of 25 is exactly on it.
    assert not is_high(RiskNode(1, "", 3, 3), (5, 5), 0.48)
    assert is_high(RiskNode(1, "", 3, 3), (4, 4), 0.48)
    assert is_high(RiskNode(1, "", 3, 4), (5, 5), 0.48)
