language-name = Deutsch
test-count = { $count ->
    [one] { $count } Prüfung
   *[other] { $count } Prüfungen
}
