"""English as the network writes it: day first, months in words ("5 September 2025").

Django's own `en` formats are American ("Sept. 5, 2025"); the names here win over them
(settings.FORMAT_MODULE_PATH), the rest (numbers) stay Django's.
"""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y H:i"
