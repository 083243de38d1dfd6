// Texts for every error code the server sends, in German and English: the
// problem codes and reasons of the REST API (openapi.yaml, Problem) and the
// codes of the websocket's error frames (docs/protocol.md, "Error codes").
// The server's German message is more specific and is shown on a German
// page; these texts stand in for it on an English page, and on a German one
// when a message is missing. tests/unit/errorcodes.test.ts fails when the
// documents name a code that has no text here.

/** A text in both interface languages. */
export type Both = { de: string; en: string };

/** Texts for the problem `code` of a failed request. */
export const problemCodes: Record<string, Both> = {
  invalid: { de: 'Die Eingabe ist ungültig.', en: 'The input is not valid.' },
  not_found: { de: 'Nicht gefunden.', en: 'Not found.' },
  conflict: {
    de: 'Das passt nicht zum aktuellen Stand. Bitte laden Sie neu und versuchen Sie es noch einmal.',
    en: 'This conflicts with the current state. Please reload and try again.',
  },
  unauthorized: { de: 'Bitte melden Sie sich an.', en: 'Please sign in.' },
  forbidden: { de: 'Das dürfen Sie nicht.', en: 'You are not allowed to do this.' },
  too_large: { de: 'Die Eingabe ist zu groß.', en: 'The input is too large.' },
  rate_limited: { de: 'Zu viele Anfragen. Bitte versuchen Sie es gleich noch einmal.', en: 'Too many requests. Please try again shortly.' },
  locked: { de: 'Das kann nicht mehr geändert werden.', en: 'This can no longer be changed.' },
  internal: { de: 'Interner Fehler.', en: 'Internal error.' },
  unavailable: {
    de: 'Der Dienst ist vorübergehend nicht erreichbar. Bitte versuchen Sie es in einer Minute noch einmal.',
    en: 'The service is temporarily unavailable. Please try again in a minute.',
  },
  method_not_allowed: { de: 'Diese Aktion ist hier nicht möglich.', en: 'This action is not possible here.' },
  unsupported_media_type: { de: 'Das Format der Anfrage wird nicht unterstützt.', en: 'The request format is not supported.' },
};

/** Texts for the problem `reason`, which refines the code. */
export const problemReasons: Record<string, Both> = {
  stale_revision: {
    de: 'Jemand anderes hat inzwischen gespeichert. Ihre Änderungen sind nicht gespeichert: Laden Sie die aktuelle Fassung und übertragen Sie Ihre Änderungen.',
    en: 'Someone else saved this in the meantime. Your changes are not saved: load the current version and carry your changes over.',
  },
  deadline_passed: { de: 'Die Frist der Beteiligung ist abgelaufen.', en: 'The consultation deadline has passed.' },
  not_yet_open: { de: 'Die Beteiligung hat noch nicht begonnen.', en: 'The consultation has not started yet.' },
  phase_closed: { de: 'Das ist nur während einer Beteiligung möglich.', en: 'This is only possible while a consultation is running.' },
  adopted: {
    de: 'Die Strategie ist beschlossen; Beiträge sind nicht mehr möglich.',
    en: 'The strategy has been adopted; contributions are no longer possible.',
  },
  section_locked: {
    de: 'Der Abschnitt ist endgültig und kann nicht mehr geändert werden.',
    en: 'The section is final and can no longer be changed.',
  },
  section_archived: {
    de: 'Der Abschnitt ist archiviert und kann nur noch gelesen werden.',
    en: 'The section is archived and can only be read.',
  },
  admin_only: { de: 'Das ist der Administration vorbehalten.', en: 'This is reserved for administrators.' },
  read_only: { de: 'Ihre Rolle darf nur lesen.', en: 'Your role can only read.' },
  not_sponsor: { de: 'Das dürfen nur die Themenpaten dieses Schwerpunktthemas.', en: 'Only the Themenpaten of this topic may do this.' },
  staff_only: { de: 'Das ist der Moderation und der Administration vorbehalten.', en: 'This is reserved for moderators or administrators.' },
  other_org: { de: 'Sie können nur für Ihre eigene Organisation handeln.', en: 'You can only act for your own organisation.' },
  own_contribution: {
    de: 'Beiträge der eigenen Organisation können nicht mitgezeichnet werden.',
    en: "Contributions of your own organisation cannot be co-signed.",
  },
  not_participant: {
    de: 'Stellungnahmen schreiben die Beteiligten für ihre Organisation.',
    en: 'Statements are written by participants for their organisation.',
  },
  round_closed: {
    de: 'Die Frist der Beteiligung ist abgelaufen; die Beiträge dieser Runde sind abgeschlossen.',
    en: 'The consultation deadline has passed; the contributions of this round are closed.',
  },
  not_in_round: {
    de: 'Dieser Abschnitt gehört nicht zur laufenden Beteiligungsrunde.',
    en: 'This section is not part of the current consultation round.',
  },
  contribution_limit: {
    de: 'Sie haben in kurzer Zeit viele Beiträge verfasst. Bitte warten Sie einen Moment und versuchen Sie es dann noch einmal.',
    en: 'You have contributed a lot in a short time. Please wait a moment and try again.',
  },
  second_factor_required: {
    de: 'Bitte richten Sie zuerst die Zwei-Faktor-Anmeldung ein.',
    en: 'Please set up two-factor sign-in first.',
  },
  bad_second_factor: { de: 'Der Code ist falsch oder abgelaufen.', en: 'The code is wrong or has expired.' },
  code_reused: {
    de: 'Dieser Code wurde schon verwendet. Bitte warten Sie auf den nächsten Code Ihrer App.',
    en: 'This code has been used already. Please wait for the next code from your app.',
  },
  login_expired: {
    de: 'Die Anmeldung ist abgelaufen. Bitte geben Sie Ihr Passwort erneut ein.',
    en: 'The sign-in has expired. Please enter your password again.',
  },
  sso_account: {
    de: 'Ihr Konto meldet sich über Single Sign-on an; den zweiten Faktor prüft Ihr Identitätsanbieter.',
    en: 'Your account signs in through single sign-on; your identity provider checks the second factor.',
  },
  required_for_role: {
    de: 'Ihre Rolle verlangt die Zwei-Faktor-Anmeldung. Die Administration kann sie zurücksetzen.',
    en: 'Your role requires two-factor sign-in. The administration can reset it.',
  },
  login_throttled: {
    de: 'Zu viele Anmeldeversuche. Bitte warten Sie einen Moment und versuchen Sie es dann noch einmal.',
    en: 'Too many sign-in attempts. Please wait a moment and try again.',
  },
  bad_credentials: { de: 'E-Mail-Adresse oder Passwort ist falsch.', en: 'E-mail address or password is wrong.' },
  login_required: { de: 'Bitte melden Sie sich an.', en: 'Please sign in.' },
  account_disabled: {
    de: 'Ihr Konto ist deaktiviert. Bitte wenden Sie sich an die Administration.',
    en: 'Your account is disabled. Please contact the administration.',
  },
};

/** Texts for the `code` of a websocket error frame. */
export const liveCodes: Record<string, Both> = {
  bad_request: {
    de: 'Die Nachricht an den Server war fehlerhaft. Bitte laden Sie die Seite neu.',
    en: 'The message to the server was malformed. Please reload the page.',
  },
  unauthorized: { de: 'Ihre Sitzung ist beendet. Bitte melden Sie sich erneut an.', en: 'Your session has ended. Please sign in again.' },
  forbidden: { de: 'Sie dürfen diesen Abschnitt nicht bearbeiten.', en: 'You may not edit this section.' },
  not_found: { de: 'Diesen Abschnitt gibt es nicht.', en: 'This section does not exist.' },
  version_ahead: {
    de: 'Die Fassung im Browser ist neuer als auf dem Server; der Abschnitt wird neu geladen.',
    en: 'The version in the browser is newer than on the server; the section is reloaded.',
  },
  invalid_op: {
    de: 'Die Änderung ist ungültig und wurde verworfen.',
    en: 'The change is not valid and was discarded.',
  },
  section_locked: problemReasons.section_locked,
  too_large: {
    de: 'Die Änderung ist zu groß, oder der Abschnitt würde zu lang; sie wurde verworfen.',
    en: 'The change is too large, or the section would become too long; it was discarded.',
  },
  rate_limited: { de: 'Zu viele Nachrichten – es wird gleich erneut gesendet.', en: 'Too many messages – sending again shortly.' },
  resync: { de: 'Die Verbindung kam nicht nach; der Abschnitt wird neu abgeglichen.', en: 'The connection fell behind; the section is brought up to date.' },
  unavailable: {
    de: 'Der Server erreicht seine Datenbank nicht; Ihre Änderungen werden gespeichert, sobald er wieder kann.',
    en: 'The server cannot reach its database; your changes are saved as soon as it can.',
  },
};
