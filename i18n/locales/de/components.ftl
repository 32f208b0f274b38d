## Die Leiste oben auf jeder Seite.
top-bar-pages = Seiten
top-bar-links = Links
top-bar-dashboard = Dashboard
top-bar-status = Status

## Die Sprachauswahl in der Leiste.
language-picker-label = Sprache

## Die Zeitzonenauswahl in der Leiste.
zone-picker-times-in = Zeitzone: { $zone }
zone-picker-show-utc = In UTC anzeigen
zone-picker-show-in = In { $zone } anzeigen

## Die Ansichtssteuerung eines Dashboards.
range-picker-label = Zeitraum
range-picker-custom = Benutzerdefiniert
range-picker-from = Von ({ $zone })
range-picker-to = Bis ({ $zone })
range-picker-show = Anzeigen
range-picker-refresh-label = Automatisch aktualisieren
range-picker-refresh-off = aus
range-picker-theme-label = Design
range-picker-theme-light = Helles Design
range-picker-theme-dark = Dunkles Design
range-picker-theme-system = Design des Geräts

## Der Teilen-Dialog eines Dashboards.
share-summary = Teilen
share-link = Link zu dieser Ansicht
share-pinned = Link mit genau diesem Zeitraum
share-embed = Einbetten (iframe)
share-image = Bild (img)
share-png = PNG-Bild
share-svg = SVG-Bild
share-keep = Snapshot aufbewahren:
share-keep-days = { $count ->
    [one] { $count } Tag
   *[other] { $count } Tage
}
share-keep-forever = unbegrenzt
share-create-snapshot = Snapshot erstellen
share-copy = Kopieren
share-copied = Kopiert

## Ein Panel eines Dashboards.
panel-loading = Wird geladen…
panel-demo = Demodaten
panel-stale-since = veraltet seit { $time }
panel-no-data-in-range = Keine Daten in diesem Zeitraum.
panel-no-data = keine Daten
panel-summary = { $title }, { $window }, aktuell { $latest }
panel-view-as-table = Als Tabelle anzeigen
panel-download-csv = CSV herunterladen
panel-newest-rows = Die neuesten { $count } Zeilen; die CSV-Datei enthält alle.
panel-time = Zeit

## Anzeige und Legende eines Diagramms.
chart-hover-label = Werte im Zeitverlauf: Zeiger bewegen oder Pfeiltasten verwenden
chart-legend-label = Datenreihen

## Die Tabelle eines Panels.
data-table-empty = Noch nichts anzuzeigen.

## Die Kennzahlen eines Panels: was eine Änderung bedeutet.
stat-cards-better = eine Verbesserung
stat-cards-worse = eine Verschlechterung
stat-cards-neutral = weder besser noch schlechter

## Die Tagesbalken der Verfügbarkeit eines Dienstes.
uptime-bars-label = { $count ->
    [one] { $name }: Verfügbarkeit pro Tag, letzter Tag
   *[other] { $name }: Verfügbarkeit pro Tag, letzte { $count } Tage
}
uptime-bars-day = { $day }: { $uptime }, { $incidents }
uptime-bars-up = { $percent }% verfügbar
uptime-bars-no-data = keine Daten
uptime-bars-incidents = { $count ->
    [0] keine Vorfälle
    [one] { $count } Vorfall
   *[other] { $count } Vorfälle
}

## Vorfälle und Wartungen auf den Statusseiten.
notices-active-label = Aktuelle Vorfälle
notices-maintenance-heading = Geplante Wartungen
notices-scheduled-for = Geplant für
notices-in-progress-since = In Wartung seit
notices-took-place = Durchgeführt:
notices-window-note = Prüfungen dieser Dienste während des Wartungsfensters werden bei der Verfügbarkeit nicht berücksichtigt.
notices-reported = Gemeldet
notices-reported-by-alert = Durch einen Alarm gemeldet
notices-resolved-after = behoben nach { $duration }
notices-lasted = Dauer: { $duration }
notices-ongoing-for = andauernd seit { $duration }
notices-failing = Störung bei { $services }
notices-detected = Durch Prüfungen erkannt
notices-duration-seconds = { $seconds } Sek.
notices-duration-minutes = { $minutes } Min.
notices-duration-hours = { $hours } Std. { $minutes } Min.
notices-duration-days = { $days } Tg. { $hours } Std.

## Die Status-Feeds, wie Browser und Feedreader sie anzeigen.
feeds-atom = Statusmeldungen (Atom)
feeds-rss = Statusmeldungen (RSS)
feeds-json = Statusmeldungen (JSON Feed)

## Eine Statusseite, deren Daten abgelehnt wurden.
refused-title = Nicht gefunden · Status
