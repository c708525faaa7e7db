"""What members announces to the apps that know it (members imports none of them).

- `account_deleting(sender=User, user=...)`: sent inside `delete_account`'s transaction,
  before the account goes; receivers drop or anonymise what they hold about the user.

A person's own-data export is put together from the parts apps add in `members.own_data`.
"""

from django.dispatch import Signal

account_deleting = Signal()
