// Plural forms in messages, in a small subset of ICU MessageFormat:
// "{n, plural, one {# neue Benachrichtigung} other {# neue Benachrichtigungen}}".
// The form is chosen by Intl.PluralRules for the language; "=0" picks an
// exact number; "#" stands for the number. Other {placeholders} inside a
// form are filled afterwards like everywhere else.

const START = /\{(\w+), plural,/g;

/** Chooses the plural forms in s for the numbers in params. */
export function plurals(s: string, params: Record<string, string | number>, lang: string): string {
  let out = '';
  let last = 0;
  START.lastIndex = 0;
  for (let m = START.exec(s); m; m = START.exec(s)) {
    const end = closing(s, m.index);
    if (end < 0) break;
    const forms = parseForms(s.slice(m.index + m[0].length, end));
    const n = Number(params[m[1]]);
    const form = forms[`=${n}`] ?? forms[new Intl.PluralRules(lang).select(n)] ?? forms.other ?? '';
    out += s.slice(last, m.index) + form.replace(/#/g, new Intl.NumberFormat(lang).format(n));
    last = end + 1;
    START.lastIndex = end + 1;
  }
  return out + s.slice(last);
}

/** The index of the brace closing the one at open, or -1. */
function closing(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === '{') depth++;
    else if (s[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

function parseForms(body: string): Record<string, string> {
  const forms: Record<string, string> = {};
  const re = /\s*(=\d+|zero|one|two|few|many|other)\s*\{/g;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    const open = m.index + m[0].length - 1;
    const end = closing(body, open);
    if (end < 0) break;
    forms[m[1]] = body.slice(open + 1, end);
    re.lastIndex = end + 1;
  }
  return forms;
}
