## Die Wörter der Seiten selbst (app/src/pages). Eine Nachricht mit
## `$time` setzt die Zeit in ein <time>-Element, dort, wo das Argument steht.

## Alle Seiten.
pages-loading = Wird geladen…
pages-back-to-status = ← Dienststatus
pages-go-to-overview = Zur Übersicht

## Die Statusseite (/status).
status-title = Status
status-heading = Dienststatus
status-count = { $up } / { $total } in Betrieb
status-updated = Zuletzt aktualisiert am { $time } · aktualisiert sich jede Minute
status-incidents = Vorfälle
status-no-incidents = Keine Vorfälle in den letzten { $days } Tagen.
status-history-link = Vorfallverlauf

## Die Karte eines Dienstes, auf der Statusseite und seiner eigenen Seite.
# Eine Verfügbarkeit; $percent ist schon mit den Trennzeichen der Sprache geschrieben.
service-percent = { $percent }%
service-no-data = keine Daten
service-never = nie
service-days-ago = { $days ->
    [one] vor { $days } Tag
   *[other] vor { $days } Tagen
}
service-today = Heute
# Die Zeiträume der Verfügbarkeit, nach ihrer Schreibweise in URLs.
service-uptime-24h = 24 Std.
service-uptime-7d = 7 Tage
service-uptime-30d = 30 Tage
service-uptime-90d = 90 Tage
service-latency = Latenz
service-last-check = Letzte Prüfung
service-certificate = Zertifikat
service-certificate-expired = { $days ->
    [0] vor weniger als einem Tag abgelaufen
    [one] vor { $days } Tag abgelaufen
   *[other] vor { $days } Tagen abgelaufen
}
service-certificate-expires = { $days ->
    [0] läuft innerhalb eines Tages ab
    [one] läuft in { $days } Tag ab
   *[other] läuft in { $days } Tagen ab
}

## Die eigene Seite eines Dienstes (/status/{service}).
service-title = { $service } · Status
service-not-found = Dienst nicht gefunden
service-locations = Von jedem Standort aus
service-location = Standort
service-state = Zustand
service-response-time = Antwortzeit
service-location-up = In Betrieb
service-location-down = Ausgefallen
service-incidents = Vorfälle und Wartungen
service-no-incidents = Keine Vorfälle oder Wartungen in den letzten { $days } Tagen.
service-badges = Badges
service-badge-status = Status
service-badge-uptime = Verfügbarkeit, 30 Tage
service-badge-latency = Antwortzeit

## Der Vorfallverlauf (/status/history).
history-title = Vorfallverlauf · Status
history-heading = Vorfallverlauf
history-bad-page = page muss eine ganze Zahl von 1 bis { $max } sein
history-empty = Bisher ist nichts geschehen: keine Vorfälle und keine Wartungen.
history-pages = Seiten des Verlaufs
history-newer = ← Neuere
history-older = Ältere →
history-page = Seite { $page }

## Ein Vorfall oder eine Wartung (/status/incidents/{id}).
incident-title = { $title } · Status
incident-unknown-id = kein Vorfall mit dieser ID
incident-not-found = Vorfall nicht gefunden
incident-not-found-text = Diesen Vorfall gibt es nicht.
# Was ein Link auf die Seite als Vorschau zeigt: Zustand und Text der letzten Meldung.
incident-summary = { $state }: { $message }
incident-resolved = Behoben nach { $duration }
incident-opened = Gemeldet am { $time }

## Ein Dashboard (/ und /d/{dashboard}).
dashboard-not-found-title = Nicht gefunden
dashboard-not-found = Dashboard nicht gefunden

## Ein Snapshot (/s/{id}).
snapshot-title = Snapshot: { $title }
snapshot-taken = Snapshot vom { $time }.
snapshot-shown-until = Er ist bis { $time } abrufbar.
snapshot-live = Zum Live-Dashboard
snapshot-unavailable-title = Snapshot nicht verfügbar
snapshot-gone = Dieser Snapshot ist nicht mehr verfügbar
snapshot-not-found = Snapshot nicht gefunden

## Ein Panel im Rahmen einer anderen Website (/embed/{dashboard}/{panel}).
embed-zone = Zeitzone: { $zone }

## Jede andere Adresse.
not-found-title = Nicht gefunden
not-found-heading = Seite nicht gefunden
not-found-text = Unter dieser Adresse ist nichts zu finden.
not-found-home = Zum Dashboard
