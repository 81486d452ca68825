"""Arabic date order for the admin: "1 ديسمبر 2026، 6:35 ص" (day, month name, year, time).

Django's own Arabic locale leaves DATETIME_FORMAT unset, so the admin fell back to the
English order ("ديسمبر 1, 2026, 6:35 ص"). Readers' pages format dates with their own filters.
"""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "g:i A"
DATETIME_FORMAT = "j F Y، g:i A"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j F Y"
SHORT_DATETIME_FORMAT = "j F Y، g:i A"
FIRST_DAY_OF_WEEK = 6  # Saturday, as in most Arab countries' calendars
# The first input format is the one the admin's date fields show (and its calendar writes):
# ISO order reads the same in every locale and cannot be confused the way 01/12 can.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S", "%H:%M:%S.%f"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
