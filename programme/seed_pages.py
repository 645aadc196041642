"""Default texts of the legal and service pages, German and English.

Organisers edit these texts in the admin (Textseiten). Seeding is idempotent and never
overwrites an edit: a page is created when it is missing, and an existing text is only
replaced when it is still, word for word, a default that an earlier version of this
file shipped (SUPERSEDED_DEFAULTS). Everything else is the organiser's.

Conventions in the texts:
- [Square brackets: bitte eintragen] mark the operator's details that this project
  cannot know (legal entity, address, data protection officer). They must be filled in
  before the site goes live; the admin's page list shows which pages still have them.
- {placeholders} are filled in when the page is shown (programme/pages.py): the
  retention period comes from the RETENTION_DAYS_AFTER_EVENT setting, the contact
  address and the date from the event.
- Facts about the event and the venue come from ../shared/EVENT.md only. What is not on
  record (for example step-free access to the building) is not claimed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db import transaction

from programme.models import Page


@dataclass(frozen=True)
class PageText:
    title_de: str
    title_en: str
    body_de: str
    body_en: str


IMPRINT = PageText(
    title_de="Impressum",
    title_en="Legal notice",
    body_de="""\
## Angaben gemäß § 5 Digitale-Dienste-Gesetz (DDG)

Diese Website informiert über die Abschlussveranstaltung des Pilotvorhabens „Modellkommune E-Government“ und nimmt Anmeldungen entgegen.

**Anbieter dieser Website:**
[Anbieter: Name der Behörde oder Organisation – bitte eintragen]
[Anschrift: Straße, Hausnummer, Postleitzahl, Ort – bitte eintragen]

**Vertreten durch:**
[Vertretungsberechtigte Person und Funktion – bitte eintragen]

## Kontakt

E-Mail: [{contact_email}](mailto:{contact_email})
Telefon: [Telefonnummer – bitte eintragen]

## Aufsicht und Register

[Zuständige Aufsichtsbehörde oder Registereintrag mit Registergericht und Nummer, soweit vorhanden – bitte eintragen oder diesen Abschnitt löschen]

[Umsatzsteuer-Identifikationsnummer nach § 27a Umsatzsteuergesetz, soweit vorhanden – bitte eintragen oder diese Zeile löschen]

## Verantwortlich für den Inhalt

[Name und Anschrift der verantwortlichen Person – bitte eintragen]

## Veranstalter

Die Veranstaltung richten das Bundesministerium des Innern (BMI) und die Hochschule Harz (Fachbereich Verwaltungswissenschaften) aus.

## Haftung für Links

Diese Website verlinkt auf Seiten anderer Anbieter, zum Beispiel auf die Karte von OpenStreetMap. Für deren Inhalte sind allein deren Anbieter verantwortlich. Wenn uns rechtswidrige Inhalte auf verlinkten Seiten bekannt werden, entfernen wir den Link.
""",
    body_en="""\
## Information according to § 5 of the German Digital Services Act (DDG)

This website informs about the closing event of the pilot project “Modellkommune E-Government” and takes registrations for it.

**Provider of this website:**
[Provider: name of the authority or organisation – please fill in]
[Address: street, number, postcode, city – please fill in]

**Represented by:**
[Authorised representative and their role – please fill in]

## Contact

Email: [{contact_email}](mailto:{contact_email})
Phone: [phone number – please fill in]

## Supervision and register

[Competent supervisory authority or register entry with court and number, where applicable – please fill in or delete this section]

[VAT identification number under § 27a of the German VAT Act, where applicable – please fill in or delete this line]

## Responsible for the content

[Name and address of the responsible person – please fill in]

## Hosts

The event is hosted by the Federal Ministry of the Interior (BMI) together with Harz University of Applied Sciences (Department of Public Administration).

## Links to other websites

This website links to pages of other providers, for example the map on OpenStreetMap. Their providers alone are responsible for their content. If we learn of unlawful content on a linked page, we remove the link.
""",
)

PRIVACY = PageText(
    title_de="Datenschutzerklärung",
    title_en="Privacy notice",
    body_de="""\
Hier erfahren Sie, welche personenbezogenen Daten wir verarbeiten, wenn Sie diese Website besuchen und sich zur Veranstaltung anmelden, wozu wir sie brauchen, wie lange wir sie aufbewahren und welche Rechte Sie haben (Artikel 13 Datenschutz-Grundverordnung, DSGVO).

## Verantwortlicher

[Verantwortlicher: Name der Behörde oder Organisation, Anschrift – bitte eintragen]
E-Mail: [{contact_email}](mailto:{contact_email})

**Datenschutzbeauftragte oder Datenschutzbeauftragter:**
[Name oder Funktion und Kontakt der oder des Datenschutzbeauftragten – bitte eintragen]

## Besuch der Website

Beim Aufruf einer Seite verarbeitet der Server technisch notwendige Angaben: Ihre IP-Adresse, Datum und Uhrzeit, die aufgerufene Adresse, die Antwort des Servers und die Kennung Ihres Browsers. Ohne sie kann die Seite nicht ausgeliefert werden. Die Angaben stehen im Protokoll des Servers, das wir zur Fehlersuche und zur Abwehr von Angriffen brauchen. [Speicherdauer der Server-Protokolle, zum Beispiel 7 Tage – bitte eintragen]

Wir setzen **keine Analyse- oder Werbe-Werkzeuge** ein, binden **keine Inhalte anderer Anbieter** ein (keine externen Schriften, Karten oder Videos) und verwenden **keine Cookies zur Nachverfolgung**. Nur wenn Sie ein Formular absenden oder sich anmelden, setzt die Website technisch notwendige Cookies: ein Sicherheits-Cookie gegen gefälschte Formulare (csrftoken) und ein Sitzungs-Cookie (sessionid), das eine Anmeldung am Benutzerkonto oder eine Rückmeldung nach dem Absenden eines Formulars festhält. Dafür brauchen wir keine Einwilligung (§ 25 Absatz 2 Telekommunikation-Digitale-Dienste-Datenschutz-Gesetz, TDDDG).

## Anmeldung zur Veranstaltung

Wenn Sie sich anmelden, speichern wir:

- Anrede und akademischen Titel (freiwillig), Vorname und Nachname,
- E-Mail-Adresse,
- Organisation und Funktion (Funktion freiwillig),
- die Gruppe, zu der Sie gehören (zum Beispiel Bund, Land, Kommune, Wissenschaft, Presse),
- Ihre Angaben zu Unterstützungsbedarf und Barrierefreiheit (freiwillig),
- Ihre Einwilligung in diese Datenschutzerklärung mit Zeitpunkt und Fassung,
- ob Sie auf der Teilnehmendenliste erscheinen möchten (freiwillig, voreingestellt: nein),
- den Stand Ihrer Anmeldung (vorgemerkt, bestätigt, Warteliste, storniert) mit Zeitpunkten, die gewählte Sprache, Ihren Einlass-Code und Ihren persönlichen Link zur Anmeldung,
- die E-Mails, die wir Ihnen zu Ihrer Anmeldung schicken, und ob sie zugestellt wurden.

**Wozu:** Wir brauchen diese Angaben, um die Veranstaltung durchzuführen: um Ihre E-Mail-Adresse zu bestätigen, Plätze fair zu vergeben und die Warteliste zu führen, um Ihnen Bestätigung, Änderungen und Hinweise zu schicken und um Sie am Einlass zu erkennen. Angaben zum Unterstützungsbedarf nutzen wir nur, um Ihnen die Teilnahme zu erleichtern.

Nach der Veranstaltung schreiben wir Ihnen nur noch aus diesen Anlässen: einmal, wenn wir die Dokumentation (Vorträge, Bericht, Leitfaden) veröffentlichen, und, wenn Sie am Einlass erfasst wurden, mit dem Link zu Ihrer Teilnahmebescheinigung und mit der Bitte um eine Rückmeldung. Die Rückmeldung ist freiwillig und anonym: Wir speichern Ihre Antworten ohne Namen, E-Mail-Adresse oder einen anderen Bezug zu Ihrer Anmeldung, nur mit dem Tag des Eingangs.

**Rechtsgrundlage:** Artikel 6 Absatz 1 Buchstabe b DSGVO (Ihre Anmeldung zur Veranstaltung). Für die Teilnehmendenliste: Ihre Einwilligung, Artikel 6 Absatz 1 Buchstabe a DSGVO. Angaben zum Unterstützungsbedarf können Gesundheitsdaten sein; wir verarbeiten sie nur mit Ihrer ausdrücklichen Einwilligung, Artikel 9 Absatz 2 Buchstabe a DSGVO. [Hinweis für Behörden als Betreiber: bitte prüfen, ob statt Buchstabe b Artikel 6 Absatz 1 Buchstabe e DSGVO in Verbindung mit § 3 Bundesdatenschutzgesetz gilt, und eintragen]

## Empfänger

Ihre Angaben sehen nur die Personen, die die Veranstaltung organisieren, und nur soweit sie sie für ihre Aufgabe brauchen. Auf der Teilnehmendenliste stehen nur Personen, die dem zugestimmt haben, und nur mit Name und Organisation. Diese Liste erhalten die Gäste der Veranstaltung. Für den Betrieb der Website und den Versand der E-Mails setzen wir Dienstleister ein, die in unserem Auftrag und nach unseren Weisungen handeln (Artikel 28 DSGVO):
[Hosting- und E-Mail-Dienstleister mit Sitz – bitte eintragen]
Wir übermitteln keine Daten in Länder außerhalb der Europäischen Union.

## Wie lange wir Ihre Daten speichern

Wir löschen die Angaben zu Ihrer Anmeldung **{retention_days} Tage nach der Veranstaltung** (melden Sie sich erst nach der Veranstaltung an: {retention_days} Tage nach Ihrer Anmeldung), für eine Anmeldung von heute also am **{deletion_date}**. Wenn Sie Ihre Anmeldung stornieren oder eine Vormerkung nicht rechtzeitig bestätigen, löschen wir Ihre Angaben schon **{inactive_data_hours} Stunden danach**, sobald die letzte E-Mail dazu an Sie versandt ist. Die E-Mails, die wir Ihnen schicken, löschen wir {email_retention_days} Tage nach dem Versand, spätestens aber mit Ihren übrigen Angaben. Wenn Sie eine Einwilligung widerrufen, löschen wir die betroffenen Angaben sofort. Übrig bleiben nur Zahlen ohne Bezug zu Ihrer Person (zum Beispiel, wie viele Personen aus welchem Bereich angemeldet waren).

## Ihre Rechte

Sie haben das Recht auf Auskunft über Ihre Daten (Artikel 15 DSGVO), auf Berichtigung (Artikel 16), auf Löschung (Artikel 17), auf Einschränkung der Verarbeitung (Artikel 18), auf Datenübertragbarkeit (Artikel 20) und auf Widerspruch (Artikel 21). Eine Einwilligung können Sie jederzeit für die Zukunft widerrufen (Artikel 7 Absatz 3); die Verarbeitung bis dahin bleibt rechtmäßig. Ihre Angaben können Sie über den persönlichen Link in der Bestätigungs-E-Mail selbst ändern, und dort können Sie auch stornieren.

Sie können sich außerdem bei einer Datenschutz-Aufsichtsbehörde beschweren (Artikel 77 DSGVO). Zuständig ist: [Aufsichtsbehörde mit Anschrift – bitte eintragen; bei Bundesbehörden ist das die oder der Bundesbeauftragte für den Datenschutz und die Informationsfreiheit (BfDI)]

## Kontakt

Fragen zum Datenschutz und Anträge zu Ihren Rechten richten Sie bitte an [{contact_email}](mailto:{contact_email}) oder an die oder den Datenschutzbeauftragten (siehe oben).

Es besteht keine Pflicht, uns Daten zu geben. Ohne Name und E-Mail-Adresse können wir Sie aber nicht anmelden.
""",
    body_en="""\
This notice explains which personal data we process when you visit this website and register for the event, why we need it, how long we keep it and what rights you have (Article 13 General Data Protection Regulation, GDPR).

## Controller

[Controller: name and address of the authority or organisation – please fill in]
Email: [{contact_email}](mailto:{contact_email})

**Data protection officer:**
[Name or role and contact of the data protection officer – please fill in]

## Visiting the website

When you open a page, the server processes technically necessary data: your IP address, date and time, the address requested, the server's answer and your browser's identification. Without them the page cannot be delivered. They are kept in the server's log, which we need to find errors and fend off attacks.
[Retention of the server logs, for example 7 days – please fill in]

We use **no analytics or advertising tools**, embed **no content of other providers** (no external fonts, maps or videos) and use **no tracking cookies**. Only when you submit a form or log in does the website set technically necessary cookies: a security cookie against forged forms (csrftoken) and a session cookie (sessionid) that keeps a login or a message after a form was sent. These need no consent (§ 25 (2) of the German Telecommunications Digital Services Data Protection Act, TDDDG).

## Registering for the event

When you register, we store:

- salutation and academic title (optional), first name and last name,
- email address,
- organisation and position (position optional),
- the group you belong to (for example federal, state, municipal, science, press),
- what you tell us about support and accessibility needs (optional),
- your consent to this privacy notice with its time and version,
- whether you want to appear on the participant list (optional, off by default),
- the state of your registration (held, confirmed, waiting list, cancelled) with times, your language, your entry code and your personal link to the registration,
- the emails we send you about your registration and whether they were delivered.

**Why:** we need this data to run the event: to confirm your email address, to give out seats fairly and keep the waiting list, to send you the confirmation, changes and notes, and to recognise you at the entrance. We use what you tell us about support needs only to make it easier for you to take part.

After the event we write to you only for these reasons: once when we publish the documentation (talks, report, guide) and, if you were checked in at the entrance, with the link to your certificate of attendance and to ask for your feedback. Feedback is voluntary and anonymous: we store your answers without your name, email address or any other link to your registration, only with the day they arrived.

**Legal basis:** Article 6(1)(b) GDPR (your registration for the event). For the participant list: your consent, Article 6(1)(a) GDPR. Support needs can be health data; we process them only with your explicit consent, Article 9(2)(a) GDPR. [Note for public authorities as operators: please check whether Article 6(1)(e) GDPR with § 3 of the Federal Data Protection Act applies instead of (b), and fill in]

## Recipients

Only the people who organise the event see your data, and only as far as their task needs it. The participant list shows only people who agreed to it, and only with name and organisation. The guests of the event receive this list. To run the website and send emails we use service providers who act on our behalf and on our instructions (Article 28 GDPR):
[Hosting and email providers with their location – please fill in]
We transfer no data to countries outside the European Union.

## How long we keep your data

We delete the data of your registration **{retention_days} days after the event** (if you register only after the event: {retention_days} days after your registration), so for a registration made today on **{deletion_date}**. If you cancel your registration or do not confirm a held seat in time, we delete your data already **{inactive_data_hours} hours later**, as soon as the last email about it has been sent to you. We delete the emails we send you {email_retention_days} days after sending them, and at the latest together with the rest of your data. If you withdraw a consent, we delete the data concerned at once. All that remains are figures that cannot be traced back to you (for example how many people from which sector had registered).

## Your rights

You have the right of access to your data (Article 15 GDPR), to rectification (Article 16), to erasure (Article 17), to restriction of processing (Article 18), to data portability (Article 20) and to object (Article 21). You can withdraw a consent at any time for the future (Article 7(3)); processing until then remains lawful. You can change your details yourself through the personal link in the confirmation email, and cancel there too.

You also have the right to lodge a complaint with a data protection supervisory authority (Article 77 GDPR). The competent authority is: [Supervisory authority with address – please fill in; for federal authorities this is the Federal Commissioner for Data Protection and Freedom of Information (BfDI)]

## Contact

Please send questions about data protection and requests concerning your rights to [{contact_email}](mailto:{contact_email}) or to the data protection officer (see above).

You are not obliged to give us any data. Without your name and email address, however, we cannot register you.
""",
)

ACCESSIBILITY = PageText(
    title_de="Erklärung zur Barrierefreiheit",
    title_en="Accessibility statement",
    body_de="""\
Wir möchten, dass alle Menschen diese Website ohne Hürden nutzen können. Diese Erklärung gilt für die Website {site_url}. Sie folgt der Barrierefreie-Informationstechnik-Verordnung (BITV 2.0), die auf den Web Content Accessibility Guidelines (WCAG) 2.1, Stufe AA, und der Europäischen Norm EN 301 549 beruht.

## Stand der Vereinbarkeit

Diese Website ist mit der BITV 2.0 **teilweise vereinbar**. Die Gründe stehen im nächsten Abschnitt.

## Was noch nicht barrierefrei ist

- **Gebärdensprache:** Es gibt noch keine Videos in Deutscher Gebärdensprache. Die Veranstalter können sie später auf dieser Website ergänzen. Bis dahin beantworten wir Ihre Fragen gerne schriftlich.
- **Prüfung:** Die Website wurde noch nicht von einer unabhängigen Prüfstelle getestet (zum Beispiel mit einem BITV-Test). Unsere Bewertung beruht auf eigenen Prüfungen (siehe unten). Wir können deshalb nicht ausschließen, dass es weitere Barrieren gibt.
- **Dokumente anderer Anbieter:** Dokumente, auf die wir verweisen, zum Beispiel der Projektbericht, stammen nicht von dieser Website. Für ihre Barrierefreiheit sind ihre Herausgeber verantwortlich.
- **Verwaltungsbereich:** Der Bereich für das Organisationsteam ist nicht öffentlich und wurde nicht vollständig geprüft.

## Wie wir geprüft haben

Diese Erklärung beruht auf einer Selbstbewertung. Jede öffentliche Seite wird bei jeder Änderung automatisch in einem echten Browser mit dem Prüfwerkzeug axe-core gegen die Regeln der WCAG 2.1 (Stufen A und AA) geprüft, auf Deutsch und auf Englisch. Außerdem prüfen wir die Bedienung nur mit der Tastatur, die Anzeige bei 320 Pixeln Breite und bei 200 Prozent Vergrößerung sowie die Nutzung ohne JavaScript.
[Datum der Erstellung und der letzten Überprüfung dieser Erklärung – bitte eintragen]

## Leichte Sprache

Die wichtigsten Informationen gibt es auch in [Leichter Sprache](/leichte-sprache/).

## Barrieren melden: Kontakt

Ist Ihnen auf dieser Website eine Barriere aufgefallen? Oder brauchen Sie eine Information in einer anderen Form? Dann schreiben Sie uns bitte:

E-Mail: [{contact_email}](mailto:{contact_email})
[Telefon und Postanschrift für Rückmeldungen – bitte eintragen]

Wir antworten Ihnen so schnell wie möglich.

## Schlichtungsverfahren

Wenn Sie mit unserer Antwort nicht zufrieden sind, können Sie einen Antrag auf ein Schlichtungsverfahren stellen. Zuständig ist die Schlichtungsstelle nach § 16 des Behindertengleichstellungsgesetzes (BGG) beim Beauftragten der Bundesregierung für die Belange von Menschen mit Behinderungen. Die Schlichtungsstelle hilft, einen Konflikt ohne Gericht zu lösen. Das Verfahren kostet nichts, und Sie brauchen keinen Rechtsbeistand.

Schlichtungsstelle nach dem Behindertengleichstellungsgesetz
bei dem Beauftragten der Bundesregierung für die Belange von Menschen mit Behinderungen
Mauerstraße 53, 10117 Berlin
E-Mail: [info@schlichtungsstelle-bgg.de](mailto:info@schlichtungsstelle-bgg.de)
Internet: [www.schlichtungsstelle-bgg.de](https://www.schlichtungsstelle-bgg.de)
""",
    body_en="""\
We want everyone to be able to use this website without barriers. This statement applies to the website {site_url}. It follows the German Barrier-Free Information Technology Ordinance (BITV 2.0), which is based on the Web Content Accessibility Guidelines (WCAG) 2.1, level AA, and the European standard EN 301 549.

## Compliance status

This website is **partially compliant** with BITV 2.0. The reasons are listed in the next section.

## What is not accessible yet

- **Sign language:** there are no videos in German Sign Language yet. The organisers can add them to this website later. Until then we are glad to answer your questions in writing.
- **Audit:** the website has not yet been tested by an independent body (for example with a BITV test). Our assessment rests on our own checks (see below), so we cannot rule out further barriers.
- **Documents of other publishers:** documents we refer to, such as the project report, are not part of this website. Their publishers are responsible for their accessibility.
- **Administration area:** the area for the organising team is not public and has not been fully checked.

## How we checked

This statement is based on a self-assessment. On every change, each public page is checked automatically in a real browser with the axe-core tool against the rules of WCAG 2.1 (levels A and AA), in German and in English. We also check keyboard-only use, the display at 320 pixels width and at 200 percent zoom, and use without JavaScript.
[Date this statement was prepared and last reviewed – please fill in]

## Easy-to-read German

The most important information is also available in [Leichte Sprache](/leichte-sprache/) (easy-to-read German).

## Report a barrier: contact

Have you found a barrier on this website? Or do you need information in another format? Please write to us:

Email: [{contact_email}](mailto:{contact_email})
[Phone and postal address for feedback – please fill in]

We will answer as soon as we can.

## Enforcement procedure

If you are not satisfied with our answer, you can apply for a conciliation procedure with the conciliation body under § 16 of the German Disability Equality Act (BGG) at the Federal Government Commissioner for Matters relating to Persons with Disabilities. The conciliation body helps to settle a dispute without going to court. The procedure is free of charge and you do not need a lawyer.

Schlichtungsstelle nach dem Behindertengleichstellungsgesetz
bei dem Beauftragten der Bundesregierung für die Belange von Menschen mit Behinderungen
Mauerstraße 53, 10117 Berlin, Germany
Email: [info@schlichtungsstelle-bgg.de](mailto:info@schlichtungsstelle-bgg.de)
Web: [www.schlichtungsstelle-bgg.de](https://www.schlichtungsstelle-bgg.de)
""",
)

EASY_LANGUAGE = PageText(
    title_de="Leichte Sprache",
    title_en="Easy-to-read information",
    body_de="""\
## Worum geht es?

Es gibt eine Veranstaltung in Berlin.
Eine Veranstaltung ist ein Treffen mit vielen Menschen.
Bei dem Treffen hören die Menschen Vorträge.
Und sie reden miteinander.

Das Treffen heißt:
Abschluss-Veranstaltung Modell-Kommune E-Government.

**E-Government** ist ein englisches Wort.
Es bedeutet:
Ämter arbeiten mit dem Computer und mit dem Internet.
Dann können Menschen viele Dinge im Internet erledigen.
Sie müssen dafür nicht zum Amt gehen.

**Kommunen** sind Städte, Gemeinden und Land-Kreise.

8 Kommunen haben 2 Jahre lang ausprobiert:
Wie geht E-Government in einer Kommune?
Diese 8 Kommunen heißen **Modell-Kommunen**.
Ein Modell ist ein Beispiel für andere.

Die 8 Modell-Kommunen sind:

- Düren
- Gütersloh
- Halle an der Saale
- Norderstedt
- Ibbenbüren mit Nachbar-Gemeinden
- Land-Kreis Cochem-Zell
- Heide-Kreis
- Ortenau-Kreis

Bei dem Treffen erzählen die Modell-Kommunen:
Das haben wir gelernt.
Das können andere Kommunen auch machen.

## Wann ist das Treffen?

Am Donnerstag, 22. September 2016.
Das Treffen beginnt um {start_time} Uhr.
Das Treffen endet um {end_time} Uhr.

## Wo ist das Treffen?

Das Treffen ist in Berlin.
Das Haus heißt: Presse- und Besucher-Zentrum.
Die Adresse ist:
Reichstagufer 14
10117 Berlin

Der nächste Bahnhof heißt: Friedrichstraße.
Von dort gehen Sie nur ein paar Minuten.

Das Haus gehört dem Staat.
Am Eingang gibt es eine Kontrolle.
Bitte bringen Sie einen Ausweis mit einem Foto von Ihnen mit.
Zum Beispiel Ihren Personal-Ausweis.

## Wer lädt ein?

Das **Bundes-Ministerium des Innern** lädt ein.
Ein Ministerium ist ein wichtiges Amt.
Es arbeitet für die Regierung von Deutschland.

Die **Hochschule Harz** lädt auch ein.
Eine Hochschule ist so ähnlich wie eine Universität.

## Wie melde ich mich an?

Sie müssen sich vorher anmelden.
Das heißt: Sie sagen vorher Bescheid.
Sie sagen: Ich komme zu dem Treffen.

Es gibt nur {capacity} Plätze.
Wer sich zuerst anmeldet, bekommt zuerst einen Platz.

So melden Sie sich an:

1. Gehen Sie auf die Seite [Anmeldung](/anmeldung/).
2. Schreiben Sie Ihren Namen in das Formular.
   Ein Formular ist ein Blatt mit Kästchen zum Ausfüllen.
3. Schreiben Sie Ihre E-Mail-Adresse in das Formular.
4. Klicken Sie auf den Knopf zum Absenden.
5. Sie bekommen eine E-Mail.
   In der E-Mail ist ein Link.
   Ein Link ist eine Verbindung zu einer Internet-Seite.
6. Klicken Sie auf den Link.
   Dann ist Ihre Anmeldung fertig.

Sind schon alle Plätze weg?
Dann kommen Sie auf die Warte-Liste.
Sagt jemand anderes ab?
Dann bekommen Sie den Platz.
Wir schreiben Ihnen dann eine E-Mail.

Brauchen Sie Hilfe bei dem Treffen?
Zum Beispiel: Sie haben einen Roll-Stuhl.
Dann schreiben Sie das bitte in das Formular.

## So finden Sie sich auf der Internet-Seite zurecht

Oben auf jeder Seite ist ein Menü.
Im Menü sind Links zu den wichtigen Seiten.
Zum Beispiel:

- **Start**: Hier steht alles über das Treffen.
- **Anfahrt**: Hier steht der Weg zu dem Treffen.
- **Anmelden**: Hier melden Sie sich an.

Oben auf jeder Seite können Sie die Sprache wählen:
Deutsch oder Englisch.

Ganz unten auf jeder Seite sind noch mehr Links.
Zum Beispiel zur Seite Barriere-Freiheit.

## Barriere-Freiheit

Barriere-Freiheit bedeutet:
Alle Menschen können die Internet-Seite gut benutzen.
Auch Menschen mit Behinderung.

Wir haben viel für die Barriere-Freiheit getan.
Aber es ist noch nicht alles barriere-frei.
Es gibt zum Beispiel noch keine Filme in Gebärden-Sprache.

Haben Sie ein Problem mit der Internet-Seite?
Dann schreiben Sie uns bitte eine E-Mail.
Die Adresse ist: [{contact_email}](mailto:{contact_email})

Wir antworten Ihnen.
Sind Sie mit der Antwort nicht zufrieden?
Dann können Sie sich an die **Schlichtungs-Stelle** wenden.
Die Schlichtungs-Stelle hilft bei Streit.
Das kostet nichts.
Mehr dazu steht in der [Erklärung zur Barriere-Freiheit](/barrierefreiheit/).
""",
    body_en="""\
## What is this about?

There is an event in Berlin.
An event is a meeting of many people.
At the meeting, people listen to talks.
And they talk with each other.

The meeting is called:
Closing event of the pilot project Model Municipality E-Government.

**E-Government** means:
Public offices work with computers and the internet.
Then people can do many things on the internet.
They do not have to go to the office.

**Municipalities** are cities, towns and districts.

8 municipalities tried out e-government for 2 years.
They are called **model municipalities**.
A model is an example for others.

The 8 model municipalities are:

- Düren
- Gütersloh
- Halle (Saale)
- Norderstedt
- Ibbenbüren with neighbouring towns
- the district of Cochem-Zell
- the district of Heidekreis
- the district of Ortenaukreis

At the meeting, the model municipalities tell what they learned.
Other municipalities can do the same.

## When is the meeting?

On Thursday, 22 September 2016.
The meeting starts at {start_time}.
The meeting ends at {end_time}.

## Where is the meeting?

The meeting is in Berlin.
The building is called: Press and Visitor Centre.
The address is:
Reichstagufer 14
10117 Berlin

The nearest station is called: Friedrichstraße.
From there, it is a short walk.

The building belongs to the state.
There is a check at the entrance.
Please bring an ID card with a photo of you.
For example, your identity card or your passport.

## Who invites?

The **Federal Ministry of the Interior** invites you.
A ministry is an important office.
It works for the government of Germany.

**Harz University of Applied Sciences** invites you too.
It is like a university.

## How do I register?

You must register before the meeting.
That means: you tell us before that you will come.

There are only {capacity} seats.
People who register first get a seat first.

This is how you register:

1. Go to the page [Registration](/en/anmeldung/).
2. Write your name in the form.
   A form is a page with boxes to fill in.
3. Write your email address in the form.
4. Click the button to send the form.
5. You get an email.
   The email has a link.
   A link takes you to a page on the internet.
6. Click on the link.
   Then your registration is done.

Are all seats gone?
Then you go on the waiting list.
Does somebody else cancel?
Then you get the seat.
We will send you an email.

Do you need help at the meeting?
For example, do you use a wheelchair?
Then please write this in the form.

## How to find your way on this website

At the top of every page there is a menu.
The menu has links to the important pages.
For example:

- **Home**: everything about the meeting.
- **Directions**: how to get to the meeting.
- **Register**: here you register.

At the top you can choose the language:
German or English.

At the very bottom of every page there are more links.
For example to the accessibility statement.

## Accessibility

Accessibility means:
All people can use the website well.
People with disabilities too.

We did a lot to make the website accessible.
But not everything is accessible yet.
For example, there are no videos in sign language yet.

Do you have a problem with the website?
Then please send us an email.
The address is: [{contact_email}](mailto:{contact_email})

We will answer you.
Are you not happy with the answer?
Then you can turn to the **conciliation body**.
The conciliation body helps when people disagree.
It costs nothing.
You can read more in the [accessibility statement](/en/barrierefreiheit/).
""",
)

DIRECTIONS = PageText(
    title_de="Anfahrt und Einlass",
    title_en="Getting there and entry",
    body_de="""\
## Fragen zur Anreise

Wenn Sie Fragen zur Anreise oder zum Einlass haben, schreiben Sie uns: [{contact_email}](mailto:{contact_email}).
""",
    body_en="""\
## Questions about getting there

If you have questions about getting there or about the entry check, write to us: [{contact_email}](mailto:{contact_email}).
""",
)

PAGES: dict[str, PageText] = {
    Page.Slug.IMPRINT: IMPRINT,
    Page.Slug.PRIVACY: PRIVACY,
    Page.Slug.ACCESSIBILITY: ACCESSIBILITY,
    Page.Slug.EASY_LANGUAGE: EASY_LANGUAGE,
    Page.Slug.DIRECTIONS: DIRECTIONS,
}

# Fingerprints of texts that earlier versions seeded. A field that still holds one of them,
# unedited, gets the current default; any other content is an organiser's edit and stays.
# When you change a default text, add the fingerprint of the old one here:
#   python -c "from programme.seed_pages import fingerprint, PAGES; print(fingerprint(...))"
SUPERSEDED_DEFAULTS: frozenset[str] = frozenset(
    {
        "b86dc19209459a09e55cc380b2e7e655d5152a33d7d78e62b489489a00e5eb3e",  # skeleton: 'Angaben gemäß § 5 DDG: [PLATZHALTER: vom'
        "ce53d5afe4980a5f4e174b16ee084e68deaa523c78823373a3a330b50b96f085",  # skeleton: 'Information according to § 5 DDG: [PLACE'
        "b7e37382572ebf5f803124e5a452a1844fad4ea7f805ba0dd07cfde9d1a149d0",  # skeleton: '[PLACEHOLDER: to be completed by the ope'
        "2a1098a0cd6e6c2ee843522eeba6813fcf3e38e268d288264895c8ce78ca9a29",  # skeleton: '[PLATZHALTER: vom Betreiber zu ergänzen]'
        "aa7fc8d63f495ce8bdd6afea5ef89a98eb13eb6c128bacca8cf7a99c08318e04",  # privacy, German, before the email retention period
        "e1b3eeacafdc7b09a7cb58195c1a60f5bcc83ca082de9bc30b22e11d45421e80",  # privacy, English, before the email retention period
        "466754898dd4e6a5edc03fa68e0235a7d770a3374cb8a672aa404eb383bb3fe6",  # privacy, German, before naming who receives the participant list
        "ea22daa4cec0b77b3f9e43f3540a39c5f4c243335a7822d443f3ecbc4d106b2e",  # privacy, English, before naming who receives the participant list
        "0d3a01e2ff2371ade659635af69de615b301dd6495dcae8c88dbd14e1dfd087c",  # privacy, German, before the true deletion day and prompt deletion
        "47ba42699e283f4df61c603a54ca2b828c4d95ac53c05befb9b5b061baa3e23a",  # privacy, English, before the true deletion day and prompt deletion
        "5d53220a40cf1bb1f59676f95ac312203f16352bd50742ac9f904e9e755a7f1d",  # privacy, German, before the emails after the event and anonymous feedback
        "be60bfd660fb024e63af59d707dd53fefb55b9e6ca0fbd73031df8a64d4d9271",  # privacy, English, before the emails after the event and anonymous feedback
    }
)

TEXT_FIELDS = ("title_de", "title_en", "body_de", "body_en")


def fingerprint(text: str) -> str:
    """Identifies a text regardless of line endings (browsers send CRLF) and outer spaces."""
    return hashlib.sha256((text or "").replace("\r\n", "\n").strip().encode()).hexdigest()


@transaction.atomic
def seed_pages() -> list[Page]:
    """Create missing pages and refresh untouched defaults. Returns the pages changed."""
    changed = []
    for slug, text in PAGES.items():
        page = Page.objects.filter(slug=slug).first()
        if page is None:
            changed.append(Page.objects.create(slug=slug, **vars(text)))
            continue
        stale = [
            field
            for field in TEXT_FIELDS
            if fingerprint(getattr(page, field)) in SUPERSEDED_DEFAULTS
            and getattr(page, field) != getattr(text, field)
        ]
        if stale:
            for field in stale:
                setattr(page, field, getattr(text, field))
            page.save(update_fields=[*stale, "updated_at"])
            changed.append(page)
    return changed
