# British date style for the English pages of a German event: "22 September 2016",
# not Django's American default "Sept. 22, 2016".
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
