// Names a browser and system from a User-Agent string for people ("Firefox
// 128 auf Windows"), for the list of one's sessions. Deliberately small: the
// order of the checks matters, because Edge and Opera also say "Chrome" and
// every Chromium also says "Safari".

/** Browser and system found in a User-Agent string; either may be ''. */
export function describeAgent(ua: string): { browser: string; system: string } {
  return { browser: browser(ua), system: system(ua) };
}

const browsers: [RegExp, string][] = [
  [/Edg(?:e|A|iOS)?\/(\d+)/, 'Edge'],
  [/OPR\/(\d+)/, 'Opera'],
  [/Firefox\/(\d+)/, 'Firefox'],
  [/FxiOS\/(\d+)/, 'Firefox'],
  [/Chromium\/(\d+)/, 'Chromium'],
  [/HeadlessChrome\/(\d+)/, 'Chromium'],
  [/CriOS\/(\d+)/, 'Chrome'],
  [/Chrome\/(\d+)/, 'Chrome'],
  [/Version\/(\d+)[.\d]* (?:Mobile\/\S+ )?Safari\//, 'Safari'],
  [/curl\/(\d+)/, 'curl'],
];

function browser(ua: string): string {
  for (const [re, name] of browsers) {
    const m = re.exec(ua);
    if (m) return `${name} ${m[1]}`;
  }
  return '';
}

function system(ua: string): string {
  if (/Windows NT/.test(ua)) return 'Windows';
  if (/iPhone|iPad|iPod/.test(ua)) return 'iOS';
  if (/Mac OS X|Macintosh/.test(ua)) return 'macOS';
  if (/Android/.test(ua)) return 'Android';
  if (/CrOS/.test(ua)) return 'ChromeOS';
  if (/Linux|X11/.test(ua)) return 'Linux';
  return '';
}
