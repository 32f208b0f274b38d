language-name = English
test-count = { $count ->
    [one] { $count } check
   *[other] { $count } checks
}

## How the language writes dates, for pages and charts. Patterns use YYYY,
## MM, DD, D, MMM (a short month name), hh and mm; anything else is kept.
style-months = Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec
style-timestamp = YYYY-MM-DD hh:mm
style-day-month = MMM D
style-month-year = MMM YYYY
