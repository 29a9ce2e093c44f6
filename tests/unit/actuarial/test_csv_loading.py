"""Loading a regulator's table from CSV: good files load exactly, bad ones are refused with a
message that names the line or age to fix."""
import pytest

from paas.actuarial import CL_2010_2013, LifeTable
from paas.errors import InvalidInput

GOOD = "age,qx\n60,0.01\n61,0.02\n62,1\n"


def _write(tmp_path, text, name="table.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _refusal(tmp_path, text, **kwargs):
    with pytest.raises(InvalidInput) as caught:
        LifeTable.from_csv(_write(tmp_path, text), **kwargs)
    return caught.value


def test_a_one_rate_table_loads_and_reads_back_exactly(tmp_path):
    table = LifeTable.from_csv(_write(tmp_path, "# my reinsurer's table\n\nAge , QX\n" + GOOD[7:]))
    assert (table.min_age, table.max_age) == (60, 62)
    assert [table.q(age) for age in (60, 61, 62)] == [0.01, 0.02, 1.0]
    assert table.l(61) == pytest.approx(table.l(60) * 0.99)
    assert table.name == "table"


def test_the_bundled_china_table_has_both_sexes():
    male = LifeTable.from_csv(CL_2010_2013, sex="male")
    female = LifeTable.from_csv(CL_2010_2013, sex="female")
    assert (male.min_age, male.max_age) == (0, 105)
    assert (male.q(0), female.q(0), male.q(60), female.q(60)) == (0.000867, 0.000620, 0.009161, 0.004414)
    assert male.q(105) == female.q(105) == 1.0
    # Women outlive men at every age, so a life annuity costs more for a woman.
    assert female.at(0.025).annuity_due(60) > male.at(0.025).annuity_due(60)


def test_columns_may_come_in_any_order_and_excel_bom_is_fine(tmp_path):
    text = "\ufeffqx_female,age,qx_male\n0.1,30,0.2\n1,31,1\n"
    table = LifeTable.from_csv(_write(tmp_path, text), sex="female")
    assert table.q(30) == 0.1


@pytest.mark.parametrize(
    ("text", "kwargs", "says"),
    [
        ("", {}, "empty"),
        ("# only a note\n\n", {}, "empty"),
        ("60,0.01\n61,1\n", {}, "line 1 reads 60,0.01"),
        ("age,rate\n60,0.01\n61,1\n", {}, "header line age,qx"),
        ("age,qx,qx\n60,0.01,0.01\n61,1,1\n", {}, "header line age,qx"),
        ("age,qx\n60,0.01\n61,abc\n62,1\n", {}, "line 3: the rate abc is not a probability"),
        ("age,qx\n60,-0.01\n61,1\n", {}, "line 2: the rate -0.01"),
        ("age,qx\n60,1.5\n61,1\n", {}, "line 2: the rate 1.5"),
        ("age,qx\n60,nan\n61,1\n", {}, "line 2: the rate nan"),
        ("age,qx\nsixty,0.01\n61,1\n", {}, "line 2: the age sixty is not a whole number"),
        ("age,qx\n60.5,0.01\n61,1\n", {}, "the age 60.5"),
        ("age,qx\n-1,0.01\n0,1\n", {}, "the age -1"),
        ("age,qx\n60,0.01\n60,0.02\n61,1\n", {}, "line 3: age 60 appears twice"),
        ("age,qx\n60,0.01\n62,0.02\n63,1\n", {}, "line 3: age 62 follows age 60"),
        ("age,qx\n61,0.01\n60,1\n", {}, "age 60 follows age 61"),
        ("age,qx\n60,0.01\n61\n", {}, "line 3 has 1 values; the header names 2"),
        ("age,qx\n60,0.01,0.02\n61,1\n", {}, "line 2 has 3 values"),
        ("age,qx\n60,0.01\n61,0.5\n", {}, "ends at age 61 with q = 0.5"),
        ("age,qx\n60,1\n", {}, "has 1 ages; it needs at least 2"),
        ("age,qx\n60,0.1\n61,1\n62,1\n", {}, "line 3: q = 1 at age 61, before the last age 62"),
        ("age,qx_male,qx_female\n60,0.01,0.02\n61,1,0.9\n", {"sex": "male"}, "ends at age 61 with q = 0.9"),
        ("age,qx_male,qx_female\n60,0.01,0.02\n61,1,1\n", {}, "Choose male or female"),
        ("age,qx_male,qx_female\n60,0.01,0.02\n61,1,1\n", {"sex": "M"}, "Choose male or female"),
        ("age,qx\n60,0.01\n61,1\n", {"sex": "male"}, "one rate per age"),
    ],
)
def test_malformed_tables_are_refused_with_the_line_or_age(tmp_path, text, kwargs, says):
    error = _refusal(tmp_path, text, **kwargs)
    assert says in str(error)


def test_text_that_is_not_utf8_is_refused(tmp_path):
    path = _write(tmp_path, "age,qx\n60,0.01\n61,1\n# 中国\n", encoding="gb18030")
    with pytest.raises(InvalidInput, match="not UTF-8"):
        LifeTable.from_csv(path)


def test_messages_are_ids_with_named_placeholders_for_translation(tmp_path):
    error = _refusal(tmp_path, "age,qx\n60,0.01\n60,0.02\n61,1\n")
    assert error.message == "Mortality table line %(line)s: age %(age)s appears twice."
    assert error.params == {"line": 3, "age": 60}
