"""What Django's `ar` formats leave out: without these, Arabic date-times fall back to the
global American defaults (month first, "m/d/Y"). Django's `ar` module still gives the rest."""

DATETIME_FORMAT = "j F، Y، g:i A"
SHORT_DATETIME_FORMAT = "d‏/m‏/Y g:i A"
