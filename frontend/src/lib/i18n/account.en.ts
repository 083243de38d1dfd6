// English texts of the password screens; keys mirror account.de.ts.
import type accountDe from './account.de';

const accountEn: Record<keyof typeof accountDe, string> = {
  'password.changeTitle': 'Change password',
  'password.changeIntro': 'At least 12 characters; a sentence of several words works well. Very common passwords and your e-mail address are refused. All other sessions end afterwards.',
  'password.current': 'Current password',
  'password.new': 'New password',
  'password.repeat': 'Repeat new password',
  'password.mismatch': 'The two new passwords do not match.',
  'password.change': 'Change password',
  'password.changed': 'Your password has been changed. All other sessions have ended.',
  'password.reset': 'Reset password',
  'password.resetFor': 'Reset password: {name}',
  'password.resetIssued': 'One-time link for {name}, valid until {date} (shown only now, please pass it on securely). All sessions of the account have ended:',
  'password.redeemTitle': 'Set a new password',
  'password.redeemIntro': 'With the one-time link from the administration you set a new password here. The link is valid for 30 minutes and once only.',
  'password.code': 'One-time code',
  'password.redeem': 'Set password',
  'password.redeemed': 'Your new password is set. Please sign in.',
  'mailprefs.title': 'E-mail notifications',
  'mailprefs.intro': 'Notifications (new discussions on your topics, replies, decisions on your proposals, changed deadlines) by e-mail; deadline reminders come at once unless you choose “Off”. Acknowledgements of receipt and password reset links are always sent.',
  'mailprefs.legend': 'Notifications by e-mail',
  'mailprefs.sofort': 'Immediately – one e-mail per notification',
  'mailprefs.daily': 'Daily – one summary in the morning (around 7 am)',
  'mailprefs.aus': 'Off – only in the bell',
  'mailprefs.save': 'Save setting',
  'mailprefs.saved': 'Your setting has been saved.',
  'mailprefs.noDelivery': 'This server has no e-mail delivery set up; your setting applies once it is.',
  'password.toLogin': 'Go to sign-in',
};

export default accountEn;
