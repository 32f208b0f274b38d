language-name = English
test-count = { $count ->
    [one] { $count } check
   *[other] { $count } checks
}
