/**
 * `check --format markdown`: a pull-request comment (GitHub-flavoured Markdown).
 *
 * A headline with counts, a table of findings (most severe first), and for each high or warning
 * finding (or one that context lowered to info) a collapsible <details> with the safe alternative's SQL and notes. The whole comment
 * stays under `maxLength` (default 60,000 characters; GitHub refuses comments over 65,536): rows
 * and details that do not fit are dropped with an "and N more" line saying so.
 */
import type { CheckResult } from '../check/engine';
import type { Finding } from '../check/finding';
import { severityRank } from '../rules/rule';
import { countBySeverity } from './json';
import { productionLine } from '../context/severity';

export interface MarkdownOptions {
  /** Largest output, in characters (default 60,000). */
  maxLength?: number;
}

export const MARKDOWN_MAX_LENGTH = 60_000;
/** Hidden marker so a bot can find and update its own comment. */
export const MARKDOWN_MARKER = '<!-- migration-guard -->';
/** Largest single <details> block; longer SQL is cut. */
const DETAILS_MAX_LENGTH = 6_000;
/** Room kept for the closing lines ("and N more", suppressed summary). */
const RESERVE = 400;

export function renderMarkdown(result: CheckResult, options: MarkdownOptions = {}): string {
  const max = options.maxLength ?? MARKDOWN_MAX_LENGTH;
  const c = countBySeverity(result.findings);
  const n = result.files.length;
  const files = `${n} migration ${n === 1 ? 'file' : 'files'}`;
  const head: string[] = [MARKDOWN_MARKER];
  if (result.findings.length === 0) {
    head.push(`### Migration Guard: no findings`, '', `Checked ${files} for PostgreSQL ${result.pgVersion}.`);
  } else {
    head.push(
      `### Migration Guard: ${c.high} high, ${c.warning} warning, ${c.info} info`,
      '',
      `Checked ${files} for PostgreSQL ${result.pgVersion}.`,
    );
  }
  if (result.suppressed.length) {
    head[head.length - 1] += ` ${result.suppressed.length} suppressed with \`migration-guard:ignore\`.`;
  }

  const parts: string[] = [head.join('\n')];
  let length = parts[0].length;
  const fits = (block: string) => length + block.length + 2 + RESERVE <= max;
  const add = (block: string) => {
    parts.push(block);
    length += block.length + 2;
  };

  const ordered = [...result.findings].sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column,
  );

  if (ordered.length) {
    const header = '| severity | location | rule | message |\n| --- | --- | --- | --- |';
    let table = header;
    let shown = 0;
    for (const f of ordered) {
      const row = `\n| ${f.severity} | ${code(`${f.file}:${f.line}`)} | ${code(f.ruleId)} | ${inline(f.message)} |`;
      if (!fits(table + row)) break;
      table += row;
      shown++;
    }
    add(table);
    if (shown < ordered.length) add(`_…and ${ordered.length - shown} more findings not shown._`);

    // Info findings too when context lowered them: the reader sees why (e.g. a small table).
    const detailed = ordered.filter((f) => f.severity !== 'info' || f.defaultSeverity !== 'info');
    let done = 0;
    for (const f of detailed) {
      const block = details(f);
      if (!fits(block)) break;
      add(block);
      done++;
    }
    if (done < detailed.length) {
      add(`_…and ${detailed.length - done} more details not shown: run \`migration-guard check\` for all._`);
    }
  }

  if (result.suppressed.length) {
    const items = result.suppressed.map(
      (f) =>
        `- ${code(`${f.file}:${f.line}`)} ${code(f.ruleId)}: ${inline(f.suppressed?.reason || 'no reason given')}`,
    );
    const summary = `<details>\n<summary>${result.suppressed.length} suppressed</summary>\n\n`;
    let block = summary;
    let listed = 0;
    for (const item of items) {
      if (!fits(`${block}${item}\n\n</details>`)) break;
      block += `${item}\n`;
      listed++;
    }
    if (listed < items.length) block += `- …and ${items.length - listed} more\n`;
    block += '\n</details>';
    add(block);
  }

  const out = parts.join('\n\n') + '\n';
  return out.length <= max ? out : out.slice(0, Math.max(0, max - 2)) + '…\n';
}

function details(f: Finding): string {
  const lines: string[] = [
    '<details>',
    `<summary><b>${f.severity}</b> <code>${html(`${f.file}:${f.line}`)}</code> ${html(f.ruleId)}: ${html(f.message)}</summary>`,
    '',
  ];
  const alt = f.safeAlternative;
  const production = productionLine(f);
  if (alt) {
    lines.push(`**Instead:** ${inline(alt.summary)}`, '');
    if (alt.sql) lines.push(...fenced(alt.sql, DETAILS_MAX_LENGTH / 2), '');
  }
  const bullets = [
    ...(alt?.notes ?? []).map(inline),
    ...f.severityReasons.map((r) => `Severity: ${inline(r)}`),
    ...f.assumptions.map((a) => `Assumed: ${inline(a)}`),
    ...(production ? [`**Production:** ${inline(production)}`] : []),
    ...(f.note ? [`**Team note:** ${inline(f.note)}`] : []),
  ];
  for (const b of bullets) lines.push(`- ${b}`);
  if (bullets.length) lines.push('');
  lines.push('</details>');
  let block = lines.join('\n');
  if (block.length > DETAILS_MAX_LENGTH) {
    block = `${block.slice(0, DETAILS_MAX_LENGTH - 40)}\n\n_(cut)_\n\n</details>`;
  }
  return block;
}

/** A ```sql block with a fence longer than any backtick run inside; long SQL is cut by lines. */
function fenced(sql: string, maxLength: number): string[] {
  const all = sql.split(/\r?\n/);
  const kept: string[] = [];
  let size = 0;
  for (const l of all) {
    if (size + l.length + 1 > maxLength) break;
    kept.push(l);
    size += l.length + 1;
  }
  if (kept.length < all.length) kept.push(`-- … ${all.length - kept.length} more lines`);
  const longest = Math.max(0, ...(sql.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}sql`, ...kept, fence];
}

/** Inline code with a fence longer than any backtick run inside. */
function code(text: string): string {
  const t = text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(t.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  const pad = t.startsWith('`') || t.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}

/** Markdown text on one line, with Markdown and HTML syntax characters escaped. */
export function inline(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/[\\`*_[\]<>|~#]/g, (ch) => `\\${ch}`);
}

function html(text: string): string {
  return text
    .replace(/\r?\n/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
