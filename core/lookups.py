"""`<field>__lower_exact`: text compared as the unique constraints compare it.

The constraints on addresses are `UniqueConstraint(Lower("email"))`; Django's `iexact` compares
`UPPER()`, which differs for a few letters (the Kelvin sign "K" lower-cases to "k" but
upper-cases to itself), so a duplicate check with `iexact` could pass and the insert then
fail. `email__lower_exact=address` is `lower(email) = lower(address)`.
"""

from django.db.models import CharField, Lookup


@CharField.register_lookup
class LowerExact(Lookup):
    lookup_name = "lower_exact"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"lower({lhs}) = lower({rhs})", [*lhs_params, *rhs_params]
