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
