from allauth.account.models import EmailAddress
from django.contrib.auth.management.commands import createsuperuser

from members.models import User


class Command(createsuperuser.Command):
    help = (
        "createsuperuser, and the email address counts as confirmed: whoever runs this on "
        "the server vouches for it, and sign-in requires a confirmed address."
    )

    def handle(self, *args, **options):
        super().handle(*args, **options)
        database = options["database"]
        unconfirmed = (
            User.objects.using(database)
            .filter(is_superuser=True)
            .exclude(emailaddress__verified=True)
        )
        for user in unconfirmed:
            EmailAddress.objects.using(database).update_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )
