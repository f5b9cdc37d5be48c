"""汇总依据 as offices write it: the two parts of a rate, or the weight of a weighted mean."""
import pytest

from reporter.intake.annual import _basis


@pytest.mark.parametrize("text, expected", [
    ("分子:新增学位;分母:适龄儿童", ("新增学位", "适龄儿童", None)),
    ("分子：在园幼儿数；分母：3—5周岁适龄儿童数", ("在园幼儿数", "3—5周岁适龄儿童数", None)),
    ("分子为监测合格样品数，分母为监测样品总数", ("监测合格样品数", "监测样品总数", None)),
    ("入学人数/适龄儿童数", ("入学人数", "适龄儿童数", None)),
    ("常住人口", (None, None, "常住人口")),
    ("权重：常住人口", (None, None, "常住人口")),
    ("按常住人口加权", (None, None, "常住人口")),
    ("以户籍人口为权重", (None, None, "户籍人口")),
    ("", (None, None, None)),
])
def test_basis_as_offices_write_it(text, expected):
    assert _basis(text) == expected
