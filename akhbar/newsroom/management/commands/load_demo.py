from django.core.management.base import BaseCommand

from akhbar.newsroom.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo newsroom (idempotent: existing items are left as they are)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--create-admin",
            action="store_true",
            help="Create a first superuser 'admin' with a random password if none exists.",
        )

    def handle(self, *args, create_admin: bool = False, **options):
        report = load_demo(create_admin=create_admin)
        if report.created:
            summary = ", ".join(f"{n} {kind}" for kind, n in report.created.items())
            self.stdout.write(self.style.SUCCESS(f"Demo newsroom loaded: {summary}."))
        else:
            self.stdout.write("Demo newsroom already loaded; nothing to add.")
        if report.admin_password:
            self.stdout.write(
                self.style.WARNING(
                    "Created administrator 'admin' with password "
                    f"{report.admin_password} (shown once; change it with `make admin-password`)."
                )
            )
