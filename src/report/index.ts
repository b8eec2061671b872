/** Rendering a `check` result in each output format. */
import type { CheckResult } from '../check/engine';
import { renderGithub } from './github';
import { renderJson } from './json';
import { renderMarkdown } from './markdown';
import { renderSarif } from './sarif';
import { renderText } from './text';

export const REPORT_FORMATS = ['text', 'json', 'sarif', 'markdown', 'github'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportOptions {
  /** text: ANSI colour. */
  color?: boolean;
  /** sarif, github: the directory file paths are made relative to (default: current directory). */
  baseDir?: string;
  /** markdown: largest output in characters (default 60,000). */
  maxLength?: number;
}

export function renderReport(format: ReportFormat, result: CheckResult, options: ReportOptions = {}): string {
  switch (format) {
    case 'text':
      return renderText(result, { color: options.color });
    case 'json':
      return renderJson(result);
    case 'sarif':
      return renderSarif(result, { baseDir: options.baseDir });
    case 'markdown':
      return renderMarkdown(result, { maxLength: options.maxLength });
    case 'github':
      return renderGithub(result, { baseDir: options.baseDir });
    default: {
      const unknown: never = format;
      throw new RangeError(`unknown report format "${String(unknown)}"`);
    }
  }
}
