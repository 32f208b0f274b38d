language-name = Deutsch
test-count = { $count ->
    [one] { $count } Prüfung
   *[other] { $count } Prüfungen
}

## Wie die Sprache Daten schreibt (Muster: YYYY, MM, DD, D, MMM, hh, mm).
style-months = Jan. Feb. März Apr. Mai Juni Juli Aug. Sept. Okt. Nov. Dez.
style-timestamp = DD.MM.YYYY hh:mm
style-day-month = D. MMM
style-month-year = MMM YYYY

## Was der Link an der Ansicht falsch angibt, und was die Seite stattdessen zeigt.
view-problem = { $problem }. Stattdessen: { $instead }.
view-unknown-range = unbekannter Zeitraum { $given }: erwartet wird einer von 15m, 1h, 6h, 24h, 7d, 30d, 90d, 1y
view-unknown-theme = unbekanntes Design { $given }: erwartet wird light, dark oder system
view-unknown-zone = unbekannte Zeitzone { $given }: bitte einen IANA-Namen wie Europe/Berlin oder UTC angeben
view-unknown-lang = unbekannte Sprache { $given }: erwartet wird eine von { $known }
view-unknown-refresh = unbekannte Aktualisierung { $given }: erwartet wird off, 10s, 30s, 1m oder 5m
view-window-incomplete = ein festes Zeitfenster braucht sowohl from als auch to
view-window-too-short = from muss mindestens eine Minute vor to liegen
view-window-too-long = from und to dürfen höchstens 400 Tage auseinanderliegen
view-window-not-a-time = { $key } { $given } ist keine Zeitangabe: bitte Datum und Uhrzeit wie 2026-11-01T09:30 ({ $zone }) oder Unix-Sekunden angeben
view-instead-range = { $range }
view-instead-theme = das Design des Geräts
view-instead-zone = Zeiten in { $zone }
view-instead-lang = Englisch
view-instead-refresh-off = keine Aktualisierung
view-instead-refresh = Aktualisierung alle { $every }
