## The top bar atop every page.
top-bar-pages = Pages
top-bar-links = Links
top-bar-dashboard = Dashboard
top-bar-status = Status

## The language picker in the top bar. Each language is named in its own
## words (`language-name`).
language-picker-label = Language

## The zone picker in the top bar; $zone is a zone's name (Europe/Berlin).
zone-picker-times-in = Times in { $zone }
zone-picker-show-utc = Show in UTC
zone-picker-show-in = Show in { $zone }

## The view controls of a dashboard: time range, fixed window, auto
## refresh and theme. The ranges' short names (15m, 7d) stay as in links.
range-picker-label = Time range
range-picker-custom = Custom
range-picker-from = From ({ $zone })
range-picker-to = To ({ $zone })
range-picker-show = Show
range-picker-refresh-label = Auto refresh
range-picker-refresh-off = off
range-picker-theme-label = Theme
range-picker-theme-light = Light theme
range-picker-theme-dark = Dark theme
range-picker-theme-system = The device's theme

## The Share dialog of a dashboard.
share-summary = Share
share-link = Link to this view
share-pinned = Link with these exact times
share-embed = Embed (iframe)
share-image = Image (img)
share-png = PNG image
share-svg = SVG image
# Followed by a choice of how long, one of share-keep-days or
# share-keep-forever.
share-keep = Keep the snapshot
share-keep-days = { $count ->
    [one] for { $count } day
   *[other] for { $count } days
}
share-keep-forever = forever
share-create-snapshot = Create snapshot
share-copy = Copy
share-copied = Copied

## A dashboard panel.
panel-loading = Loading…
panel-demo = Demo data
# $time is a time of day with its zone (12:05 CEST).
panel-stale-since = stale since { $time }
panel-no-data-in-range = No data in this range.
panel-no-data = no data
# A chart's description for screen readers: the panel's title, the window
# shown ("last 7 days") and the latest value ("22/s").
panel-summary = { $title }, { $window }, now { $latest }
panel-view-as-table = View as table
panel-download-csv = Download CSV
panel-newest-rows = The newest { $count } rows; the CSV has all.
# The heading of the table view's first column.
panel-time = Time

## A chart's hover readout and legend.
chart-hover-label = Values over time: move the pointer or use the arrow keys
chart-legend-label = Series

## A panel's table.
data-table-empty = Nothing to show yet.

## A stats panel's cards: what a change means, for screen readers.
stat-cards-better = an improvement
stat-cards-worse = a worsening
stat-cards-neutral = no better or worse

## A service's daily uptime bars on the status page.
uptime-bars-label = { $count ->
    [one] { $name }: uptime per day, last { $count } day
   *[other] { $name }: uptime per day, last { $count } days
}
# A day's bar: its date, its uptime (uptime-bars-up or
# uptime-bars-no-data) and its incidents (uptime-bars-incidents).
uptime-bars-day = { $day }: { $uptime }, { $incidents }
# $percent is already written with two decimals (99.95).
uptime-bars-up = { $percent }% up
uptime-bars-no-data = no data
uptime-bars-incidents = { $count ->
    [0] no incidents
    [one] { $count } incident
   *[other] { $count } incidents
}

## Incidents and maintenance on the status pages.
notices-active-label = Active incidents
notices-maintenance-heading = Scheduled maintenance
# Each is followed by the window's start and end.
notices-scheduled-for = Scheduled for
notices-in-progress-since = Under maintenance since
notices-took-place = Took place
notices-window-note = Checks of these services during the window do not count against uptime.
notices-reported = Reported
notices-reported-by-alert = Reported by an alert
# $duration is one of the notices-duration-* messages.
notices-resolved-after = resolved after { $duration }
notices-lasted = lasted { $duration }
notices-ongoing-for = ongoing for { $duration }
# A problem found by checks; $services are the names of the services.
notices-failing = { $services } failing
notices-detected = Detected by checks
# How long something took, briefly.
notices-duration-seconds = { $seconds }s
notices-duration-minutes = { $minutes }m
notices-duration-hours = { $hours }h { $minutes }m
notices-duration-days = { $days }d { $hours }h

## The status feeds, as browsers and feed readers list them.
feeds-atom = Status updates (Atom)
feeds-rss = Status updates (RSS)
feeds-json = Status updates (JSON Feed)

## A status page whose data was refused.
refused-title = Not found · Status
