## Words several pages share. Ids end in the value's own spelling in URLs
## and JSON (`state-up`, `range-7d`), so pages look them up from it.

## A service's state.
state-up = Operational
state-slow = Degraded
state-down = Down
state-maintenance = Under maintenance
state-no_data = No data

## The status banner: the state of all services together.
level-major_outage = Major outage
level-partial_outage = Partial outage
level-degraded = Degraded performance
level-operational = All systems operational
level-no_data = No data yet

## Time ranges, as in "the last 7 days".
range-15m = last 15 minutes
range-1h = last hour
range-6h = last 6 hours
range-24h = last 24 hours
range-7d = last 7 days
range-30d = last 30 days
range-90d = last 90 days
range-1y = last year

## Themes, in the picker.
theme-light = Light
theme-dark = Dark
theme-system = System

## How often a dashboard updates itself, in the picker's tooltip.
refresh-off = Do not update
refresh-10s = Update every 10 seconds
refresh-30s = Update every 30 seconds
refresh-1m = Update every minute
refresh-5m = Update every 5 minutes

## An incident's impact.
impact-none = No impact
impact-minor = Minor impact
impact-major = Major impact
impact-critical = Critical impact

## An incident's state.
incident-state-investigating = Investigating
incident-state-identified = Identified
incident-state-monitoring = Monitoring
incident-state-resolved = Resolved

## A maintenance window's state.
maintenance-state-scheduled = Scheduled
maintenance-state-in_progress = Under maintenance
maintenance-state-completed = Completed
