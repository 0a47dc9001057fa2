import pytest

from home.models import BodyBlock as NewsBody
from knowledge.models import BodyBlock as ArticleBody

TABLE = {"data": [["部门", "人数"], ["办公室", "12"]], "first_row_is_table_header": True}


@pytest.mark.parametrize("body", [NewsBody, ArticleBody])
def test_both_bodies_render_a_table_through_the_shared_template(body):
    stream = body().to_python([{"type": "table", "value": TABLE, "id": "t1"}])

    html = stream.render_as_block()

    assert '<table class="xt-table">' in html
    assert "<th>部门</th>" in html
    assert "<td>办公室</td>" in html


@pytest.mark.parametrize("body", [NewsBody, ArticleBody])
def test_stored_values_keep_their_shape(body):
    stored = [
        {"type": "paragraph", "value": "<p>正文</p>", "id": "p1"},
        {"type": "table", "value": TABLE, "id": "t1"},
    ]

    assert list(body().get_prep_value(body().to_python(stored))) == stored
