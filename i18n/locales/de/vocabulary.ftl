## Wörter, die mehrere Seiten teilen.

state-up = In Betrieb
state-slow = Beeinträchtigt
state-down = Ausgefallen
state-maintenance = In Wartung
state-no_data = Keine Daten

level-major_outage = Großer Ausfall
level-partial_outage = Teilweiser Ausfall
level-degraded = Eingeschränkte Leistung
level-operational = Alle Systeme in Betrieb
level-no_data = Noch keine Daten

range-15m = letzte 15 Minuten
range-1h = letzte Stunde
range-6h = letzte 6 Stunden
range-24h = letzte 24 Stunden
range-7d = letzte 7 Tage
range-30d = letzte 30 Tage
range-90d = letzte 90 Tage
range-1y = letztes Jahr

theme-light = Hell
theme-dark = Dunkel
theme-system = System

refresh-off = Nicht aktualisieren
refresh-10s = Alle 10 Sekunden aktualisieren
refresh-30s = Alle 30 Sekunden aktualisieren
refresh-1m = Jede Minute aktualisieren
refresh-5m = Alle 5 Minuten aktualisieren

impact-none = Keine Auswirkung
impact-minor = Geringe Auswirkung
impact-major = Große Auswirkung
impact-critical = Kritische Auswirkung

incident-state-investigating = Wird untersucht
incident-state-identified = Ursache erkannt
incident-state-monitoring = Wird beobachtet
incident-state-resolved = Behoben

maintenance-state-scheduled = Geplant
maintenance-state-in_progress = In Wartung
maintenance-state-completed = Abgeschlossen
