from django import forms
from django.template.loader import render_to_string


class LeaveForm(forms.Form):
    reason = forms.CharField(label="事由", help_text="写明去向。")
    notify = forms.BooleanField(label="通知部门", required=False)


def test_a_field_in_error_points_to_its_help_and_errors():
    form = LeaveForm(data={"reason": ""})

    html = render_to_string("includes/form_fields.html", {"form": form})

    assert 'aria-describedby="id_reason_helptext id_reason_error"' in html
    assert 'aria-invalid="true"' in html
    assert '<div class="xt-field__help" id="id_reason_helptext">写明去向。</div>' in html
    assert '<div id="id_reason_error"><p class="xt-field__error" role="alert">' in html
    assert '<label for="id_reason">事由 <span class="xt-required">*</span></label>' in html


def test_a_valid_field_points_only_to_its_help():
    form = LeaveForm(data={"reason": "出差"})

    html = render_to_string("includes/form_fields.html", {"form": form})

    assert 'aria-describedby="id_reason_helptext"' in html
    assert "aria-invalid" not in html
    assert 'id="id_reason_error"' not in html


def test_a_checkbox_is_labelled_around_its_input():
    html = render_to_string("includes/form_field.html", {"field": LeaveForm()["notify"]})

    assert '<label><input type="checkbox" name="notify" id="id_notify"> 通知部门</label>' in html
