// Messages and number formatting of the report component, in English and Finnish. The dashboard uses the same
// dictionaries for the results panel, so both speak the same words.

export const messages = {
  en: {
    results: 'Results',
    running: 'Analysing…',
    noReport: 'Run an analysis to see results.',
    segment: 'Segment',
    variant: 'Variant',
    users: 'Users',
    conversions: 'Conversions',
    conversionRate: 'Conversion rate',
    interval: 'Confidence interval',
    credibleInterval: 'Credible interval',
    lift: 'Lift vs control',
    revenueMean: 'Revenue per user',
    revenueLift: 'Revenue lift',
    pValue: 'p',
    adjustedPValue: 'Adjusted p',
    chanceToWin: 'Chance to win',
    control: 'Control',
    controlShort: 'control',
    srm: 'Sample ratio mismatch',
    srmShort: 'SRM',
    srmOk: 'Traffic split OK',
    size: 'customers',
    warnings: 'Warnings',
    suppressed: 'suppressed',
    conversionBySegment: 'Conversion by segment',
    conversionBySegmentNote: 'Dots are conversion rates, bars their intervals.',
    forest: 'Lift across segments',
    forestNote: 'Relative lift of each treatment over control, with its interval. Bars that cross 0 are inconclusive.',
    posterior: 'Posterior of the lift',
    posteriorNote:
      'How likely each lift is, given the data (normal approximation). The shaded area is the chance to win.',
    posteriorFrequentist: 'Choose the Bayesian engine to see the posterior of the lift.',
    heterogeneity: 'Does the effect differ between segments?',
    heterogeneityTest: 'Cochran’s Q',
    metric: 'Metric',
    metricConversion: 'conversion',
    metricRevenue: 'revenue',
    chartsUnavailable: 'Charts need Observable Plot: pass it as the Plot option.',
    significant: 'significant',
    notSignificant: 'not significant',
    error: 'The analysis failed',
    generated: 'Generated',
    cuped: 'CUPED variance reduction',
    unassigned: 'without a variant',
    metricsOverview: 'All metrics',
    metricsOverviewNote: 'Each cell: the metric in that variant, and for a treatment its change against control.',
    role_goal: 'goal',
    role_secondary: 'secondary',
    role_guardrail: 'guardrail',
    metricPicker: 'Results table of the metric',
    estimate: 'Value',
    sum: 'Sum',
    numeratorSum: 'Numerator sum',
    denominatorSum: 'Denominator sum',
    promoters: 'Promoters',
    detractors: 'Detractors',
    type_proportion: 'proportion',
    type_mean: 'mean',
    type_ratio: 'ratio',
    type_nps: 'NPS',
  },
  fi: {
    results: 'Tulokset',
    running: 'Analysoidaan…',
    noReport: 'Aja analyysi nähdäksesi tulokset.',
    segment: 'Segmentti',
    variant: 'Variantti',
    users: 'Käyttäjät',
    conversions: 'Konversiot',
    conversionRate: 'Konversioaste',
    interval: 'Luottamusväli',
    credibleInterval: 'Uskottavuusväli',
    lift: 'Muutos kontrolliin',
    revenueMean: 'Tulot per käyttäjä',
    revenueLift: 'Tulojen muutos',
    pValue: 'p',
    adjustedPValue: 'Korjattu p',
    chanceToWin: 'Todennäköisyys voittaa',
    control: 'Kontrolliryhmä',
    controlShort: 'kontrolli',
    srm: 'Otossuhteen vinouma (SRM)',
    srmShort: 'SRM',
    srmOk: 'Liikenteen jako kunnossa',
    size: 'asiakasta',
    warnings: 'Varoitukset',
    suppressed: 'piilotettu',
    conversionBySegment: 'Konversio segmenteittäin',
    conversionBySegmentNote: 'Pisteet ovat konversioasteita, janat niiden välejä.',
    forest: 'Muutos segmenteittäin',
    forestNote:
      'Kunkin testiversion suhteellinen muutos kontrolliin välinsä kanssa. Nollan ylittävät janat eivät ole ratkaisevia.',
    posterior: 'Muutoksen posteriorijakauma',
    posteriorNote:
      'Kuinka todennäköinen kukin muutos on aineiston perusteella (normaaliapproksimaatio). Varjostettu alue on todennäköisyys voittaa.',
    posteriorFrequentist: 'Valitse bayesiläinen menetelmä nähdäksesi muutoksen posteriorijakauman.',
    heterogeneity: 'Eroaako vaikutus segmenttien välillä?',
    heterogeneityTest: 'Cochranin Q',
    metric: 'Mittari',
    metricConversion: 'konversio',
    metricRevenue: 'tulot',
    chartsUnavailable: 'Kaaviot tarvitsevat Observable Plotin: anna se Plot-asetuksena.',
    significant: 'merkitsevä',
    notSignificant: 'ei merkitsevä',
    error: 'Analyysi epäonnistui',
    generated: 'Luotu',
    cuped: 'CUPED-varianssin pienennys',
    unassigned: 'ilman varianttia',
    metricsOverview: 'Kaikki mittarit',
    metricsOverviewNote: 'Kussakin solussa mittari kyseisessä variantissa ja käsittelyryhmälle sen muutos kontrolliin.',
    role_goal: 'tavoite',
    role_secondary: 'toissijainen',
    role_guardrail: 'suojamittari',
    metricPicker: 'Mittarin tulostaulukko',
    estimate: 'Arvo',
    sum: 'Summa',
    numeratorSum: 'Osoittajan summa',
    denominatorSum: 'Nimittäjän summa',
    promoters: 'Suosittelijat',
    detractors: 'Arvostelijat',
    type_proportion: 'osuus',
    type_mean: 'keskiarvo',
    type_ratio: 'suhde',
    type_nps: 'NPS',
  },
};

/** 'fi' for any Finnish locale, else 'en'. */
export function languageOf(locale) {
  return String(locale ?? '')
    .toLowerCase()
    .startsWith('fi')
    ? 'fi'
    : 'en';
}

/** A segment's name in the language of `locale`: a built-in group's label from the engine, else its own name. */
export function segmentName(segment, locale) {
  return segment.labels?.[languageOf(locale)] ?? segment.name;
}

/** A built-in group's description in the language of `locale` (the engine's `descriptions`), else `description`. */
export function segmentDescription(segment, locale) {
  return segment.descriptions?.[languageOf(locale)] ?? segment.description ?? null;
}

/** The full locale used for Intl formatting: a full tag ('fi-FI', 'en-GB') is kept; 'fi' → 'fi-FI', else 'en-US'. */
export function intlLocale(locale) {
  const lang = languageOf(locale);
  if (typeof locale === 'string' && locale.includes('-')) return locale;
  return lang === 'fi' ? 'fi-FI' : 'en-US';
}

/** Formatters for one locale. Every function accepts null/NaN and returns '–'. */
export function formatters(locale) {
  const loc = intlLocale(locale);
  const dash = '–';
  const ok = (x) => typeof x === 'number' && Number.isFinite(x);
  const integer = new Intl.NumberFormat(loc, { maximumFractionDigits: 0 });
  const decimal = new Intl.NumberFormat(loc, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const percent = new Intl.NumberFormat(loc, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 2 });
  const signedPercent = new Intl.NumberFormat(loc, {
    style: 'percent',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
    signDisplay: 'exceptZero',
  });
  const p3 = new Intl.NumberFormat(loc, { minimumFractionDigits: 3, maximumFractionDigits: 3 });
  const date = new Intl.DateTimeFormat(loc, { year: 'numeric', month: 'numeric', day: 'numeric' });
  const dateTime = new Intl.DateTimeFormat(loc, { dateStyle: 'short', timeStyle: 'short' });
  return {
    locale: loc,
    integer: (x) => (ok(x) ? integer.format(x) : dash),
    decimal: (x) => (ok(x) ? decimal.format(x) : dash),
    percent: (x) => (ok(x) ? percent.format(x) : dash),
    signedPercent: (x) => (ok(x) ? signedPercent.format(x) : dash),
    /** A probability as a percentage that never rounds to a certain 0 % or 100 %. */
    probability: (x) =>
      !ok(x)
        ? dash
        : x > 0.999
          ? `> ${percent.format(0.999)}`
          : x < 0.001
            ? `< ${percent.format(0.001)}`
            : percent.format(x),
    pValue: (x) => (!ok(x) ? dash : x < 0.001 ? `< ${p3.format(0.001)}` : p3.format(x)),
    interval: (lo, hi, fmt = (v) => percent.format(v)) => (ok(lo) && ok(hi) ? `${fmt(lo)} … ${fmt(hi)}` : dash),
    date: (d) => date.format(d),
    dateTime: (d) => dateTime.format(d),
  };
}

/** A translator for one locale: t('conversionRate'). Unknown keys fall back to English, then the key. */
export function translator(locale, extra = {}) {
  const lang = languageOf(locale);
  const table = { ...messages.en, ...(extra.en ?? {}), ...messages[lang], ...(extra[lang] ?? {}) };
  return (key) => table[key] ?? key;
}
