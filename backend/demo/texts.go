package demo

// The section texts below are demo drafts written for this project. They
// use only the structure and milestones of the Föderale Digitalstrategie and
// are not the wording adopted by the IT-Planungsrat.

const textZukunftsbild = `Die Verwaltung der Zukunft ist für Bürgerinnen, Bürger und Unternehmen einfach erreichbar, verlässlich und verständlich. Wer ein Anliegen hat, muss nicht wissen, welche Ebene zuständig ist: Bund, Länder und Kommunen treten gemeinsam auf und bieten ihre Leistungen digital, barrierefrei und aus einem Guss an.

Dieses Zukunftsbild beschreibt, wohin sich die öffentliche Verwaltung gemeinsam entwickeln will. Es ist kein Maßnahmenplan, sondern ein gemeinsamer Bezugspunkt, an dem sich die Schwerpunktthemen und die Umsetzungsvorhaben ausrichten.

Im Mittelpunkt stehen folgende Merkmale:

- Leistungen sind von Anfang bis Ende digital nutzbar, ohne Medienbrüche.
- Daten, die der Verwaltung bereits vorliegen, werden mit Einverständnis der Betroffenen wiederverwendet, statt erneut erfragt zu werden.
- Beschäftigte arbeiten mit zeitgemäßen Werkzeugen und bringen ihre Erfahrung in die Gestaltung ein.
- Sicherheit und Datenschutz sind von Beginn an Teil jeder Lösung.

Der Weg dorthin ist föderal: Jede Ebene behält ihre Zuständigkeiten, doch Lösungen werden gemeinsam entwickelt, geteilt und nachgenutzt. So entsteht eine Verwaltung, die als Ganzes leistungsfähiger ist als die Summe ihrer Teile.`

const textLeitlinien = `Die Leitlinien beschreiben, wie Bund, Länder und Kommunen bei der Digitalisierung der Verwaltung zusammenarbeiten. Sie gelten für alle Teile dieser Strategie und für die Arbeit in den Schwerpunktthemen.

Die Zusammenarbeit folgt diesen Grundsätzen:

1. **Gemeinsam statt nebeneinander:** Vorhaben werden frühzeitig abgestimmt, damit nicht mehrere Stellen dieselbe Lösung parallel entwickeln.
2. **Einer für alle:** Was ein Land oder der Bund entwickelt, soll von anderen nachgenutzt werden können.
3. **Offen und nachvollziehbar:** Entwürfe, Beteiligung und Entscheidungen werden so dokumentiert, dass alle Beteiligten sie nachvollziehen können.
4. **Verbindlich, wo es nötig ist:** Gemeinsame Standards werden dort festgelegt, wo sie für das Zusammenspiel der Ebenen unverzichtbar sind.

Die Kommunen erbringen einen großen Teil der Verwaltungsleistungen und werden deshalb von Anfang an einbezogen. Die kommunalen Spitzenverbände bringen ihre Sicht in die Erarbeitung ein.

Die FITKO koordiniert die Arbeit an der Strategie und unterstützt die Themenpaten bei der Organisation der Beteiligungsformate. Beschlüsse fasst der IT-Planungsrat nach seinen Regeln.`

const textTransformation = `Digitale Transformation bedeutet mehr, als bestehende Abläufe in digitale Formulare zu übertragen. Sie verändert, wie Verwaltung arbeitet, wie sie Entscheidungen vorbereitet und wie sie mit den Menschen in Kontakt tritt. Dieses Zielbild beschreibt, wie sich die Organisation der Verwaltung dafür wandeln soll.

Im Zielzustand werden Verwaltungsabläufe von der Nutzung her gedacht und regelmäßig überprüft. Regelungen werden schon bei ihrer Entstehung darauf geprüft, ob sie sich digital umsetzen lassen. Führungskräfte verstehen Digitalisierung als Gestaltungsaufgabe und nicht als reines Technikthema.

Als strategische Leitplanken werden vorgeschlagen:

- Beschäftigte werden befähigt und an der Gestaltung neuer Abläufe beteiligt.
- Veränderungen werden in kleinen Schritten erprobt, ausgewertet und dann übertragen.
- Erfolgreiche Ansätze einer Verwaltung werden für andere aufbereitet und geteilt.

Diesen Entwurf hat der Themenpate Sachsen-Anhalt erarbeitet; er wird in der laufenden Beteiligung zur Diskussion gestellt. Hinweise auf fehlende Aspekte und Anmerkungen zu den Leitplanken sind ausdrücklich erwünscht.`

const textInfrastruktur = `Eine leistungsfähige, sichere und gemeinsam nutzbare Infrastruktur ist die Grundlage jeder digitalen Verwaltungsleistung. Dazu gehören Netze und Rechenzentren, Basisdienste wie Identifizierung und Bezahlen sowie die Schnittstellen, über die Systeme miteinander kommunizieren.

Im Zielzustand greifen Bund, Länder und Kommunen auf eine Infrastruktur zurück, die auf offenen Standards beruht und Abhängigkeiten von einzelnen Anbietern begrenzt. Basisdienste werden einmal entwickelt und von vielen genutzt. Betrieb und Weiterentwicklung sind dauerhaft gesichert und nicht an die Laufzeit einzelner Projekte gebunden.

Als strategische Leitplanken werden vorgeschlagen:

- Offene Standards und Schnittstellen haben Vorrang vor herstellergebundenen Lösungen.
- Bevor eigene Lösungen entstehen, wird die Nutzung gemeinsamer Basisdienste geprüft.
- Digitale Souveränität wird bei Beschaffung und Architektur von Anfang an berücksichtigt.

Den Entwurf hat der Themenpate Hessen vorgelegt. In der Beteiligung bitten wir besonders um Rückmeldungen dazu, welche Basisdienste aus Sicht der Länder und Kommunen vorrangig gemeinsam bereitgestellt werden sollten.`

const textAnwendungen = `Digitale Anwendungen sind der Teil der Verwaltung, den Bürgerinnen, Bürger und Unternehmen unmittelbar erleben: Antragsverfahren, Portale und die Fachverfahren, mit denen Beschäftigte Vorgänge bearbeiten. Dieses Zielbild beschreibt, wie diese Anwendungen künftig entstehen und zusammenwirken sollen.

Im Zielzustand sind Verwaltungsleistungen vom Antrag bis zum Bescheid vollständig digital nutzbar. Anwendungen sind barrierefrei, leicht verständlich und auf mobilen Geräten ebenso gut bedienbar wie am Arbeitsplatz. Fachverfahren tauschen Daten über standardisierte Schnittstellen aus, sodass Anträge ohne erneute Eingabe weiterbearbeitet werden können.

Als strategische Leitplanken werden vorgeschlagen:

- Anwendungen werden gemeinsam mit ihren künftigen Nutzerinnen und Nutzern entwickelt und erprobt.
- Wo eine Lösung bereits besteht, wird sie nachgenutzt und weiterentwickelt.
- Barrierefreiheit wird von Beginn an eingeplant und nicht nachträglich ergänzt.

Der Entwurf stammt vom Themenpaten Bremen. Rückmeldungen zu Hindernissen bei der Nachnutzung von Anwendungen sind in dieser Beteiligung besonders willkommen.`

const textDatennutzung = `Die Verwaltung verfügt über umfangreiche Daten, die bisher oft nur für den Zweck genutzt werden, für den sie erhoben wurden. Dieses Zielbild beschreibt, wie Daten verantwortungsvoll, rechtssicher und über die Ebenen hinweg genutzt werden können, um Leistungen zu verbessern und Entscheidungen besser vorzubereiten.

Im Zielzustand sind Daten auffindbar, in ihrer Qualität beschrieben und über gemeinsame Standards austauschbar. Nachweise, die einer Behörde bereits vorliegen, kann eine andere mit Zustimmung der Betroffenen abrufen. Offene Daten werden bereitgestellt, wo keine rechtlichen Gründe entgegenstehen.

Als strategische Leitplanken werden vorgeschlagen:

- Datenschutz und Informationssicherheit sind Voraussetzung jeder Datennutzung.
- Für jeden Datenbestand ist klar benannt, wer für ihn verantwortlich ist.
- Daten werden nach gemeinsamen Standards beschrieben, damit sie über die Ebenen hinweg nutzbar sind.

Den Entwurf hat der Themenpate Hamburg erarbeitet. Wir bitten um Hinweise, wo rechtliche oder organisatorische Hürden einer gemeinsamen Datennutzung heute im Weg stehen.`

const textSicherheit = `*Hinweis: Die Zuordnung dieses Schwerpunktthemas zum Bund als Themenpate ist eine Annahme für diese Demonstration und nicht bestätigt.*

Informationssicherheit ist Voraussetzung für das Vertrauen in eine digitale Verwaltung. Je enger Bund, Länder und Kommunen ihre Systeme verbinden, desto stärker hängt die Sicherheit jeder einzelnen Stelle von der Sicherheit aller ab. Dieses Zielbild beschreibt, wie die Ebenen gemeinsam ein angemessenes Sicherheitsniveau erreichen und halten.

Im Zielzustand verfügen alle Verwaltungen über ein Informationssicherheitsmanagement, das sich an anerkannten Standards orientiert. Sicherheitsvorfälle werden schnell erkannt, gemeldet und ebenenübergreifend bearbeitet. Gemeinsam genutzte Dienste erfüllen abgestimmte Sicherheitsanforderungen.

Als strategische Leitplanken werden vorgeschlagen:

- Sicherheit wird bei jeder neuen Lösung von Anfang an mitgedacht.
- Informationen über Bedrohungen und Vorfälle werden zügig zwischen den Ebenen geteilt.
- Kleinere Verwaltungen werden beim Aufbau ihrer Sicherheitsorganisation unterstützt.

In der Beteiligung bitten wir um Rückmeldungen, welche gemeinsamen Angebote den Ländern und Kommunen beim Erreichen dieser Ziele am meisten helfen würden.`

const textPortfolio = `Der dritte Teil der Strategie verbindet die Zielbilder mit konkreten Vorhaben. Umsetzungsvorhaben sind abgegrenzte Projekte, die einen erkennbaren Beitrag zu mindestens einem Schwerpunktthema leisten und deren Ergebnisse andere Verwaltungen nachnutzen können.

Im Juni 2025 wurden aus mehr als 60 Bewerbungen 29 Vorhaben für das Portfolio ausgewählt. Dieser Abschnitt soll beschreiben, nach welchen Gesichtspunkten ausgewählt wurde und wie das Portfolio künftig gesteuert wird.

Für Auswahl und Steuerung werden folgende Gesichtspunkte vorgeschlagen:

- Beitrag zu den Zielbildern der Schwerpunktthemen
- Nachnutzbarkeit der Ergebnisse durch andere Länder und Kommunen
- eine realistische Planung von Personal, Mitteln und Zeit
- die Bereitschaft, Fortschritte und Erfahrungen offen zu teilen

Dieser Abschnitt ist ein Arbeitsentwurf und noch nicht Gegenstand der Beteiligung. Er wird nach der Auswertung der Rückmeldungen zu den Zielbildern weiter ausgearbeitet.`
