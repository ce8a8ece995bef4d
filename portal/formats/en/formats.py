# One way of writing a date in each language (see portal.formats); every other format
# stays Django's.
DATE_FORMAT = "j E Y"
DATETIME_FORMAT = "j E Y, H:i"
