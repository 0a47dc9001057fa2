import pytest
from django.urls import reverse
from tests.workflow.test_processing_forms import handled, other_office  # noqa
from tests.factories.circulation import dispatched_document
pytestmark = pytest.mark.django_db
def test_render(client, office, handled):
    client.force_login(office.clerk)
    open("/tmp/forms_in.pdf","wb").write(client.get(reverse("gongwen:incoming_form_pdf", args=[handled.pk])).content)
    open("/tmp/forms_in.html","wb").write(client.get(reverse("gongwen:incoming_form", args=[handled.pk])).content)
    d = dispatched_document(office)
    open("/tmp/forms_out.pdf","wb").write(client.get(reverse("gongwen:outgoing_form_pdf", args=[d.pk])).content)
