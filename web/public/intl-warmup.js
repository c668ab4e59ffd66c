// Loads the browser's number and date data for the page's language while the app's modules still download
// (index.html runs it async, before the app; src/server/web-app.ts serves it). In Chromium the first Intl
// formatter of a page costs 25–100 ms: paid here, in time the page otherwise waits on the network, not in the
// first render. Picks the language as web/src/i18n/languages.ts does (this browser's choice, else its languages).
(() => {
  try {
    let stored = null;
    try {
      stored = localStorage.getItem('tierline.language');
    } catch {
      // storage disabled: use the browser's languages
    }
    const tags = stored ? [stored] : navigator.languages || [navigator.language];
    let locale = 'zh-CN';
    for (const tag of tags) {
      const lower = String(tag).toLowerCase();
      if (lower.startsWith('zh')) break;
      if (lower.startsWith('en')) {
        locale = 'en-US';
        break;
      }
    }
    new Intl.NumberFormat(locale).format(1234.5);
    new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(0);
    new Intl.PluralRules(locale).select(2);
  } catch {
    // only a head start: the app formats without it
  }
})();
