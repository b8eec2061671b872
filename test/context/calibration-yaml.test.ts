import { loadConfig } from '../../src/config';
import { renderCalibrationYaml, updateConfigText } from '../../src/context/calibration-yaml';
import type { Calibration } from '../../src/context/types';

const CAL: Calibration = {
  scanBytesPerSecond: 1_000_000_000,
  rewriteBytesPerSecond: 100_000_000,
  indexBuildBytesPerSecond: 200_000_000,
  walBytesPerWrittenByte: 1.12,
  source: 'calibrated',
  measuredAt: '2026-11-25T10:00:00Z',
  serverVersion: '17.10',
};

test('the printed section loads as the configuration it describes', () => {
  const text = renderCalibrationYaml(CAL);
  expect(text).toMatch(
    /^calibration:\n {2}# measured by migration-guard calibrate on PostgreSQL 17\.10: scan 954 MB\/s/,
  );
  // "17.10" stays text (not the number 17.1).
  expect(text).toContain('serverVersion: "17.10"');
  expect(loadConfig(text, 'x.yml', []).calibration).toEqual(CAL);
});

test('an empty or missing file gets the section', () => {
  expect(loadConfig(updateConfigText('', CAL), 'x.yml', []).calibration).toEqual(CAL);
  expect(loadConfig(updateConfigText('# only a comment\n', CAL), 'x.yml', []).calibration).toEqual(CAL);
});

test('a second run replaces its own summary and values, keeping people’s comments', () => {
  const first = updateConfigText('calibration:\n  # from staging\n  scanBytesPerSecond: 5\n', CAL);
  const second = updateConfigText(first, { ...CAL, scanBytesPerSecond: 7_000_000 });
  expect(second.match(/measured by migration-guard calibrate/g)).toHaveLength(1);
  expect(second).toContain('# from staging');
  expect(loadConfig(second, 'x.yml', []).calibration.scanBytesPerSecond).toBe(7_000_000);
});

test('YAML that is not a mapping is refused', () => {
  expect(() => updateConfigText('- a\n- b\n', CAL)).toThrow(/not a mapping/);
  expect(() => updateConfigText('a: [\n', CAL)).toThrow(/not valid YAML/);
});
