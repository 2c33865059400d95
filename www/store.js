// The dashboard's one store: the settings (persisted in localStorage, exported and imported as JSON; never data),
// the loaded dataset (a RemoteDataset in the package's worker, its columns with kinds and profiles) and the saved
// segments' sizes. Panels read it and subscribe to the keys they draw; only the store writes settings to storage.
import { languageOf } from 'segmetry/report';

const STORAGE_KEY = 'segmetry.dashboard.settings.v1';

export const defaultSettings = () => ({
  format: 'segmetry-dashboard-settings',
  version: 1,
  locale: languageOf(navigator.language),
  referenceDate: '',
  segments: [
    { name: 'Nordic', rule: "country IN ('FI', 'SE')" },
    { name: 'Loyal', rule: 'orders_count >= 5' },
    { name: 'Newsletter', rule: 'newsletter' },
  ],
  workspace: workspaceOf(null),
  experiment: {
    variant: 'variant',
    control: 'A',
    conversion: 'converted',
    revenue: 'revenue',
    covariate: '',
    confidence: 0.95,
    correction: 'holm',
    alternative: 'two-sided',
    engine: 'frequentist',
  },
});

/**
 * The workspace's recipe (panels/workspace.js): `{ tables: { name: { types } }, customers, active }`, plain JSON
 * about files and choices, never data.
 */
export function workspaceOf(w) {
  const ok = (x) => x !== null && typeof x === 'object' && !Array.isArray(x);
  if (!ok(w)) return { tables: {}, customers: null, active: null };
  return {
    tables: ok(w.tables) ? w.tables : {},
    customers: ok(w.customers) ? w.customers : null,
    active: typeof w.active === 'string' ? w.active : null,
  };
}

/** Check an imported or stored settings object; throws with a readable message. */
export function validateSettings(input) {
  if (!input || typeof input !== 'object' || input.format !== 'segmetry-dashboard-settings') {
    throw new Error('format must be "segmetry-dashboard-settings"');
  }
  const base = defaultSettings();
  const segments = Array.isArray(input.segments) ? input.segments : [];
  for (const s of segments) {
    if (
      typeof s?.name !== 'string' ||
      !(typeof s.rule === 'string' || ['rfm', 'lifecycle', 'clusters', 'spendTier'].includes(s.builtin))
    ) {
      throw new Error('every segment needs a name and a rule (or builtin)');
    }
  }
  return {
    ...base,
    locale: ['en', 'fi'].includes(input.locale) ? input.locale : base.locale,
    referenceDate: typeof input.referenceDate === 'string' ? input.referenceDate : '',
    segments: segments.map((s) =>
      s.builtin ? { name: s.name, builtin: s.builtin, options: s.options ?? {} } : { name: s.name, rule: s.rule },
    ),
    experiment: { ...base.experiment, ...(typeof input.experiment === 'object' ? input.experiment : {}) },
    workspace: workspaceOf(input.workspace),
  };
}

function loadSettings() {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
    if (saved) return validateSettings(saved);
  } catch {
    /* fall through to defaults */
  }
  return defaultSettings();
}

/**
 * State: `settings`; `dataset` (RemoteDataset or null); `data` ({ label, source, numRows, columns, ms } with each
 * column's `profile`, or null); `sizes` (Map: segment name → { size } | { error } | { groups }).
 */
export function createStore() {
  let state = { settings: loadSettings(), dataset: null, data: null, sizes: new Map() };
  const listeners = new Set();
  return {
    get state() {
      return state;
    },
    /** Merge `patch` into the state and tell subscribers which keys changed. */
    set(patch) {
      state = { ...state, ...patch };
      if (patch.settings) localStorage.setItem(STORAGE_KEY, JSON.stringify(state.settings));
      for (const listener of listeners) listener(state, Object.keys(patch));
    },
    /** Replace parts of the settings (persisted). */
    setSettings(patch) {
      this.set({ settings: { ...state.settings, ...patch } });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** `{ referenceDate }` when one is set: the options every rule call passes. */
export const ruleOptions = (settings) => (settings.referenceDate ? { referenceDate: settings.referenceDate } : {});

/** Columns of the loaded data that have one of `kinds`. */
export const columnsOfKind = (data, ...kinds) => (data?.columns ?? []).filter((c) => kinds.includes(c.kind));

/** Options of a built-in segmentation; k-means gets numeric columns (never ids) when none were saved. */
export function builtinOptions(settings, data, segment) {
  const ref = ruleOptions(settings);
  if (segment.builtin !== 'clusters' || segment.options?.columns) return { ...ref, ...(segment.options ?? {}) };
  const numeric = columnsOfKind(data, 'number').filter((c) => !/id$/i.test(c.name));
  const preferred = ['orders_count', 'total_spent', 'last_order_days'].filter((n) => numeric.some((c) => c.name === n));
  return { columns: preferred.length >= 2 ? preferred : numeric.slice(0, 3).map((c) => c.name), seed: 42 };
}
