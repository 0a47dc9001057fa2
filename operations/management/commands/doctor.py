from django.core.management.base import BaseCommand, CommandError

from operations.doctor import problems


class Command(BaseCommand):
    help = (
        "Check this deployment's configuration (fonts, OCR languages, cache, storage, "
        "Elasticsearch alias, CA files); one line per problem, exit status 1 if any."
    )

    def handle(self, *args, **options):
        found = problems()
        for problem in found:
            self.stderr.write(problem)
        if found:
            raise CommandError(f"{len(found)} problem(s)", returncode=1)
        self.stdout.write("No problems found.")
