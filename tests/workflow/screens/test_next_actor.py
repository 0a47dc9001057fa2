"""Choosing the next actor: the office review list leaves out whoever checked the document, the
countersign list leaves out the drafting department, sign-off offers the unit's leaders (its
department heads only where the unit's flow rules allow), and after a return the earlier
choices are offered again. The services refuse what the lists would not offer."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories.documents import act, advance, open_task
from workflow import permissions, selectors, services
from workflow.models import Delegation, UnitFlowRules

pytestmark = pytest.mark.django_db


def options(response, field: str) -> set[int]:
    form = response.context["form"]
    return {int(str(value)) for value, _label in form.fields[field].choices if value}


def rules_url(office):
    return reverse("gongwen:flow_rules", args=[office.unit.pk])


def test_the_office_review_list_leaves_out_the_department_head_who_checked_it(
    office, document, client_for
):
    act(document, office)
    task = open_task(document, "check")
    response = client_for(office.production_head).get(selectors.task_url(task))
    offered = options(response, "verifier")
    assert office.verifier.pk in offered and office.leader.pk in offered
    assert office.production_head.pk not in offered


def test_choosing_the_checker_as_verifier_is_refused_and_changes_nothing(
    office, document, client_for
):
    act(document, office)
    task = open_task(document, "check")
    with pytest.raises(ValidationError, match="核稿人不能同时担任审核人"):
        services.check_approve(
            task=task, user=office.production_head, verifier=office.production_head
        )
    response = client_for(office.production_head).post(
        selectors.task_url(task), {"decision": "approve", "verifier": office.production_head.pk}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["verifier"]
    assert open_task(document).pk == task.pk
    document.process.refresh_from_db()
    assert document.process.verifier is None


def test_a_deputy_checking_for_the_head_may_choose_neither_of_them(office, document):
    deputy = office.finance_head
    Delegation.objects.create(
        leader=office.production_head,
        deputy=deputy,
        starts_on="2000-01-01",
        ends_on="2999-12-31",
        created_by=office.process_admin,
    )
    act(document, office)
    task = open_task(document, "check")
    for chosen in (deputy, office.production_head):
        with pytest.raises(ValidationError):
            services.check_approve(task=task, user=deputy, verifier=chosen)
    services.check_approve(task=task, user=deputy, verifier=office.verifier)
    assert open_task(document).owner == office.verifier


def test_countersign_does_not_offer_the_drafting_department(office, document, client_for):
    advance(document, office, until="verify")
    task = open_task(document, "verify")
    response = client_for(office.verifier).get(selectors.task_url(task))
    offered = options(response, "countersign_departments")
    assert office.finance.pk in offered and office.safety.pk in offered
    assert office.production.pk not in offered  # the drafter's department
    with pytest.raises(ValidationError, match="拟稿部门不参加"):
        services.verify_approve(
            task=task,
            user=office.verifier,
            signers=[office.leader],
            countersign_departments=[office.production],
        )
    response = client_for(office.verifier).post(
        selectors.task_url(task),
        {
            "decision": "approve",
            "first_signer": office.leader.pk,
            "countersign_departments": [office.production.pk],
        },
    )
    assert response.status_code == 400
    assert open_task(document).pk == task.pk


def test_sign_off_offers_the_units_leaders_and_heads_only_where_its_rules_say_so(
    office, document, client_for
):
    heads = {office.production_head.pk, office.finance_head.pk, office.safety_head.pk}
    leaders = {office.leader.pk, office.second_leader.pk}
    # No rules yet: every leader of the unit.
    assert set(permissions.leader_candidates(office.unit).values_list("pk", flat=True)) == (
        leaders | heads
    )
    rules = UnitFlowRules.objects.create(
        unit=office.unit, leaders_department=office.office, updated_by=office.process_admin
    )
    advance(document, office, until="verify")
    task = open_task(document, "verify")
    response = client_for(office.verifier).get(selectors.task_url(task))
    assert options(response, "first_signer") == leaders
    with pytest.raises(ValidationError):
        services.verify_approve(task=task, user=office.verifier, signers=[office.finance_head])
    rules.department_heads_sign_off = True
    rules.save()
    response = client_for(office.verifier).get(selectors.task_url(task))
    assert options(response, "first_signer") == leaders | heads
    services.verify_approve(task=task, user=office.verifier, signers=[office.finance_head])
    assert open_task(document).owner == office.finance_head


def test_after_a_return_the_earlier_choices_are_offered_again(office, document, client_for):
    advance(document, office, until="verify")
    act(
        document,
        office,
        countersign=[office.finance],
        signers=[office.second_leader, office.leader],
    )
    act(document, office)  # the finance head countersigns
    sign_off = open_task(document, "sign_off")
    services.task_return(task=sign_off, user=sign_off.owner, to_step="verify", reason="请复核")
    verify = open_task(document, "verify")
    form = client_for(office.verifier).get(selectors.task_url(verify)).context["form"]
    assert form["first_signer"].initial == office.second_leader.pk
    assert form["second_signer"].initial == office.leader.pk
    assert form["third_signer"].initial is None
    assert form["countersign_departments"].initial == [office.finance.pk]

    services.task_return(task=verify, user=office.verifier, to_step="draft", reason="重写")
    draft = open_task(document, "draft")
    form = client_for(office.drafter).get(selectors.task_url(draft)).context["form"]
    assert form["department_head"].initial == office.production_head.pk
    act(document, office)
    check = open_task(document, "check")
    form = client_for(office.production_head).get(selectors.task_url(check)).context["form"]
    assert form["verifier"].initial == office.verifier.pk


def test_the_process_administrator_sets_the_units_sign_off_rules(office, client_for):
    admin = client_for(office.process_admin)
    page = admin.get(rules_url(office))
    assert page.status_code == 200
    assert office.office.pk in options(page, "leaders_department")
    response = admin.post(rules_url(office), {"leaders_department": office.office.pk})
    assert response.status_code == 302
    rules = UnitFlowRules.objects.get(unit=office.unit)
    assert (rules.leaders_department, rules.department_heads_sign_off) == (office.office, False)
    assert rules.updated_by == office.process_admin
    admin.post(
        rules_url(office),
        {"leaders_department": office.office.pk, "department_heads_sign_off": "on"},
    )
    rules.refresh_from_db()
    assert rules.department_heads_sign_off


def test_a_department_of_another_unit_is_refused_with_a_message(office, other_office, client_for):
    response = client_for(office.process_admin).post(
        rules_url(office), {"leaders_department": other_office.office.pk}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["leaders_department"]
    assert not UnitFlowRules.objects.exists()
    with pytest.raises(ValidationError, match="请选择本单位的部门"):
        services.flow_rules_update(
            unit=office.unit,
            user=office.process_admin,
            leaders_department=other_office.office,
            department_heads_sign_off=False,
        )


@pytest.mark.parametrize("who", ["clerk", "verifier", "leader", "drafter"])
def test_nobody_else_sets_the_rules(office, client_for, who):
    person = client_for(getattr(office, who))
    assert person.get(rules_url(office)).status_code == 403
    assert person.post(rules_url(office), {"department_heads_sign_off": "on"}).status_code == 403
    assert not UnitFlowRules.objects.exists()


def test_another_units_administrator_is_refused(office, other_office, client_for):
    stranger = client_for(other_office.process_admin)
    assert stranger.get(rules_url(office)).status_code == 403
    assert stranger.post(rules_url(office), {"department_heads_sign_off": "on"}).status_code == 403
    assert not UnitFlowRules.objects.exists()


def test_unknown_or_malformed_units_are_not_found(office, client_for):
    admin = client_for(office.process_admin)
    assert admin.get(reverse("gongwen:flow_rules", args=[999999])).status_code == 404
    assert admin.get("/workflow/outgoing/admin/x/rules/").status_code == 404
    assert admin.get(reverse("gongwen:flow_rules", args=[office.office.pk])).status_code == 404


def test_the_rules_screen_reads_a_bounded_number_of_queries(
    office, client_for, django_assert_max_num_queries
):
    admin = client_for(office.process_admin)
    with django_assert_max_num_queries(15):
        assert admin.get(rules_url(office)).status_code == 200
