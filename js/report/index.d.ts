// segmetry/report: the embeddable report component (framework-agnostic; theme with --segmetry-* CSS variables).
import type { AnalysisOptions, AnalysisReport, GroupLabels } from '../index.js';

/** Anything whose analyze(options) returns a report or a promise of one: a Dataset or a worker-client dataset. */
export interface AnalysisSource {
  analyze(options: AnalysisOptions): AnalysisReport | Promise<AnalysisReport>;
}

/** Message overrides per language. */
export type Messages = Partial<Record<'en' | 'fi', Record<string, string>>>;

export interface MountOptions {
  /** Runs `dataset.analyze(options)`; re-runs when `dataset` or `options` change through update(). */
  dataset?: AnalysisSource;
  options?: AnalysisOptions;
  /** Show a report computed elsewhere (instead of dataset + options). */
  report?: AnalysisReport | null;
  /** 'en' | 'fi' | any BCP 47 tag (numbers and dates are formatted for it). Default: the browser's language. */
  locale?: string;
  /** The Observable Plot namespace (`import * as Plot from '@observablehq/plot'`). Without it only tables render. */
  Plot?: unknown;
  /** Draw charts (default true). */
  charts?: boolean;
  /** The named metric whose full results table is shown under each segment (default: the first; the report's
   * metric picker changes it). */
  metric?: string;
  messages?: Messages;
}

export interface ReportView {
  /** The current report, null before the first analysis or after an error. */
  readonly report: AnalysisReport | null;
  readonly error: unknown;
  /** Resolves when the current analysis has rendered (to the report, or null after an error). */
  readonly ready: Promise<AnalysisReport | null>;
  update(next: MountOptions): Promise<AnalysisReport | null>;
  render(): void;
  toCsv(): string;
  toJson(): string;
  /** The named metrics as CSV: one row per segment × variant × metric (`metricsToCsv`). */
  toMetricsCsv(): string;
  downloadCsv(fileName?: string): void;
  downloadMetricsCsv(fileName?: string): void;
  downloadJson(fileName?: string): void;
  destroy(): void;
}

/**
 * Mount the report in `element`. `element.dataset.state` is 'running' | 'ready' | 'error' | 'idle'; the element
 * receives `segmetry-report` ({ report }) and `segmetry-error` ({ error }) events.
 */
export function mount(element: HTMLElement, options?: MountOptions): ReportView;

/** Render a report into `container` once, without state. */
export function renderReport(
  container: HTMLElement,
  report: AnalysisReport,
  options?: Omit<MountOptions, 'dataset' | 'options' | 'report'>,
): void;

/** `<segmetry-report locale="fi">` with properties `source`, `options`, `report`, `Plot`. */
export class SegmetryReportElement extends HTMLElement {
  source: AnalysisSource | undefined;
  options: AnalysisOptions | undefined;
  report: AnalysisReport | null;
  Plot: unknown;
  readonly view: ReportView | null;
}
/** Define the custom element (default tag `segmetry-report`); returns its constructor. */
export function defineReportElement(tagName?: string): typeof SegmetryReportElement | null;

/** One row per segment × variant, header row first; numbers in full precision with a dot. */
export function reportToCsv(report: AnalysisReport): string;
/** The named metrics (analyze's `metrics`) as CSV, one row per segment × variant × metric: counts of the metric's
 * type, estimate and interval, lift against control with its interval, p, adjusted p, chance to win. */
export function metricsToCsv(report: AnalysisReport): string;
export function reportToJson(report: AnalysisReport): string;
/** A one-column CSV of member ids (from Dataset.segmentMembers). */
export function membersToCsv(
  ids: ArrayLike<number | bigint | string> | Iterable<number | bigint | string>,
  column?: string,
): string;
/** Save text as a file via a Blob URL (nothing is sent anywhere). */
export function download(text: string, fileName: string, type?: string): void;

export const messages: Record<'en' | 'fi', Record<string, string>>;
export function languageOf(locale: string | undefined): 'en' | 'fi';
/** A segment's name in the language of `locale`: a built-in group's label from the engine, else its own name. */
export function segmentName(segment: { name: string; labels?: GroupLabels | null }, locale: string | undefined): string;
/** A built-in group's description in the language of `locale` (its `descriptions`), else its `description`. */
export function segmentDescription(
  segment: { description?: string | null; descriptions?: GroupLabels | null },
  locale: string | undefined,
): string | null;
export function translator(locale: string | undefined, extra?: Messages): (key: string) => string;
export function formatters(locale: string | undefined): {
  locale: string;
  integer(x: number | null | undefined): string;
  decimal(x: number | null | undefined): string;
  percent(x: number | null | undefined): string;
  signedPercent(x: number | null | undefined): string;
  probability(x: number | null | undefined): string;
  pValue(x: number | null | undefined): string;
  interval(lower: number | null | undefined, upper: number | null | undefined, format?: (x: number) => string): string;
  date(d: Date): string;
  dateTime(d: Date): string;
};
/** The component's stylesheet (adopted automatically by mount()). */
export const reportCss: string;
