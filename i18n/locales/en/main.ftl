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

## What a link's view got wrong, and what the page shows instead. The
## English is the server's own (porthole_model::view_state::ViewProblem).
view-problem = { $problem }; { $instead } instead.
view-unknown-range = unknown range { $given }: expected one of 15m, 1h, 6h, 24h, 7d, 30d, 90d, 1y
view-unknown-theme = unknown theme { $given }: expected light, dark or system
view-unknown-zone = unknown time zone { $given }: use an IANA name such as Europe/Berlin or UTC
view-unknown-lang = unknown language { $given }: expected one of { $known }
view-unknown-refresh = unknown refresh { $given }: expected off, 10s, 30s, 1m or 5m
view-window-incomplete = a fixed window needs both from and to
view-window-too-short = from must be at least a minute before to
view-window-too-long = from and to may be at most 400 days apart
view-window-not-a-time = { $key } { $given } is not a time: use a date and time such as 2026-11-01T09:30 ({ $zone }) or unix seconds
view-instead-range = showing the { $range }
view-instead-theme = following the device's setting
view-instead-zone = showing times in { $zone }
view-instead-lang = showing English
view-instead-refresh-off = not updating
view-instead-refresh = updating every { $every }
