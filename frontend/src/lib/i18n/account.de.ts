// German texts of the password screens (change, reset, redeem); merged into de.ts.
const accountDe = {
  'password.changeTitle': 'Passwort ändern',
  'password.changeIntro': 'Mindestens 12 Zeichen, gern ein Satz aus mehreren Wörtern. Sehr verbreitete Passwörter und Ihre E-Mail-Adresse werden abgelehnt. Alle anderen Sitzungen enden danach.',
  'password.current': 'Bisheriges Passwort',
  'password.new': 'Neues Passwort',
  'password.repeat': 'Neues Passwort wiederholen',
  'password.mismatch': 'Die beiden neuen Passwörter stimmen nicht überein.',
  'password.change': 'Passwort ändern',
  'password.changed': 'Ihr Passwort wurde geändert. Alle anderen Sitzungen sind beendet.',
  'password.reset': 'Passwort zurücksetzen',
  'password.resetFor': 'Passwort zurücksetzen: {name}',
  'password.resetIssued': 'Einmal-Link für {name}, gültig bis {date} (nur jetzt sichtbar, bitte sicher weitergeben). Alle Sitzungen des Kontos sind beendet:',
  'password.redeemTitle': 'Neues Passwort festlegen',
  'password.redeemIntro': 'Mit dem Einmal-Link der Administration legen Sie hier ein neues Passwort fest. Der Link gilt 30 Minuten und nur einmal.',
  'password.code': 'Einmal-Code',
  'password.redeem': 'Passwort festlegen',
  'password.redeemed': 'Ihr neues Passwort gilt. Bitte melden Sie sich an.',
  'password.toLogin': 'Zur Anmeldung',
};

export default accountDe;
