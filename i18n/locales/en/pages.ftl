## Words of the pages themselves (app/src/pages). A message with a
## `$time` puts it in a <time> element, cut out where the argument stands.

## Every page.
pages-loading = Loading…
pages-back-to-status = ← Service status
pages-go-to-overview = Go to the overview

## The status page (/status).
status-title = Status
status-heading = Service status
status-count = { $up } / { $total } up
status-updated = Last updated { $time } · refreshes every minute
status-incidents = Incidents
status-no-incidents = No incidents in the last { $days } days.
status-history-link = Incident history

## A service's card, on the status page and its own page.
# An uptime; $percent is already written with the language's separators.
service-percent = { $percent }%
service-no-data = no data
service-never = never
service-days-ago = { $days ->
    [one] { $days } day ago
   *[other] { $days } days ago
}
service-today = Today
# The spans uptime is shown over, by their spelling in URLs.
service-uptime-24h = 24h
service-uptime-7d = 7d
service-uptime-30d = 30d
service-uptime-90d = 90d
service-latency = Latency
service-last-check = Last check
service-certificate = Certificate
service-certificate-expired = { $days ->
    [0] expired less than a day ago
    [one] expired { $days } day ago
   *[other] expired { $days } days ago
}
service-certificate-expires = { $days ->
    [0] expires within a day
    [one] expires in { $days } day
   *[other] expires in { $days } days
}

## A service's own page (/status/{service}).
service-title = { $service } · Status
service-not-found = No such service
service-locations = From each location
service-location = Location
service-state = State
service-response-time = Response time
service-location-up = Up
service-location-down = Down
service-incidents = Incidents and maintenance
service-no-incidents = No incidents or maintenance in the last { $days } days.
service-badges = Badges
service-badge-status = Status
service-badge-uptime = Uptime, 30 days
service-badge-latency = Response time

## The incident history (/status/history).
history-title = Incident history · Status
history-heading = Incident history
history-bad-page = page must be a whole number from 1 to { $max }
history-empty = Nothing has happened yet: no incidents and no maintenance.
history-pages = History pages
history-newer = ← Newer
history-older = Older →
history-page = Page { $page }

## One incident or maintenance window (/status/incidents/{id}).
incident-title = { $title } · Status
incident-unknown-id = no incident has this id
incident-not-found = No such incident
incident-not-found-text = No such incident.
# What a link to the page unfurls as: the latest update's state and text.
incident-summary = { $state }: { $message }
incident-resolved = Resolved · lasted { $duration }
incident-opened = Opened { $time }

## A dashboard (/ and /d/{dashboard}).
dashboard-not-found-title = Not found
dashboard-not-found = Dashboard not found

## A snapshot (/s/{id}).
snapshot-title = Snapshot: { $title }
snapshot-taken = Snapshot taken at { $time }.
snapshot-shown-until = It is shown until { $time }.
snapshot-live = See the live dashboard
snapshot-unavailable-title = Snapshot unavailable
snapshot-gone = This snapshot is no longer available
snapshot-not-found = Snapshot not found

## One panel in another site's frame (/embed/{dashboard}/{panel}).
embed-zone = Times in { $zone }

## Any other address.
not-found-title = Not found
not-found-heading = Page not found
not-found-text = There is nothing at this address.
not-found-home = Go to the dashboard
