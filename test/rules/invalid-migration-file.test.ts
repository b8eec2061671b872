import { check } from '../../src/check/engine';
import { DEFAULT_CONFIG } from '../../src/config';
import rule from '../../src/rules/invalid-migration-file';

// Reported by the engine from parser diagnostics, so tested through `check` with the real file.
describe('invalid-migration-file', () => {
  const run = (content: string | Uint8Array) =>
    check([{ path: 'migrations/0002.sql', content }], { config: DEFAULT_CONFIG, rules: [rule] });

  test('syntax error: high at the exact position; the rest is still analyzed', async () => {
    const r = await run(
      'ALTER TABLE orders ADD COLUMN a int;\nALTER TABLE orders ADD COLUMN b int,;\nSELECT 1;',
    );
    expect(r.findings.map((f) => [f.ruleId, f.severity, f.line, f.column, f.messageId])).toEqual([
      ['invalid-migration-file', 'high', 2, 37, 'syntax-error'],
    ]);
    expect(r.analysis.files[0].statements).toHaveLength(2);
  });

  test('psql meta-command: warning', async () => {
    const r = await run('\\set ON_ERROR_STOP on\nSELECT 1;');
    expect(r.findings.map((f) => [f.severity, f.line, f.messageId])).toEqual([
      ['warning', 1, 'psql-meta-command'],
    ]);
  });

  test('binary file: high, not analyzed', async () => {
    const r = await run(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 1]));
    expect(r.findings.map((f) => [f.severity, f.messageId])).toEqual([['high', 'binary-file']]);
  });

  test('valid file: nothing', async () => {
    expect((await run('SELECT 1;')).findings).toEqual([]);
  });
});
