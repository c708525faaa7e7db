"""What members announces to the apps that know it (members imports none of them).

- `account_deleting(sender=User, user=...)`: sent inside `delete_account`'s transaction,
  before the account goes; receivers drop or anonymise what they hold about the user.
- `own_data_requested(sender=User, user=...)`: receivers return a dict of plain data
  merged into the member's own-data export.
"""

from django.dispatch import Signal

account_deleting = Signal()
own_data_requested = Signal()
