from django.apps import AppConfig


class FlowTestConfig(AppConfig):
    name = "tests.workflow.flowtest"
    label = "flowtest"
