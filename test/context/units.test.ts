/** Sizes, counts and durations as the reports print them, and sizes as the configuration reads them. */
import {
  formatBytes,
  formatCount,
  formatSeconds,
  formatSecondsRange,
  parseBytes,
} from '../../src/context/units';

test.each([
  [0, '0 B'],
  [1023, '1023 B'],
  [1024, '1 kB'],
  [1536, '1.5 kB'],
  [10 * 1024 ** 2, '10 MB'],
  [3.14 * 1024 ** 3, '3.14 GB'],
  [150 * 1024 ** 3, '150 GB'],
])('formatBytes(%d) = %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));

test.each([
  ['10 MB', 10 * 1024 ** 2],
  ['1.5GB', 1.5 * 1024 ** 3],
  ['512 kB', 512 * 1024],
  ['2 GiB', 2 * 1024 ** 3],
  [4096, 4096],
  ['100', 100],
])('parseBytes(%p) = %d', (text, bytes) => expect(parseBytes(text)).toBe(bytes));

test.each([['lots'], ['-1 MB'], ['10 XB'], [-5], [null], [true]])('parseBytes(%p) is not a size', (v) =>
  expect(parseBytes(v)).toBeUndefined(),
);

test('counts and durations', () => {
  expect(formatCount(5_200_000)).toBe('5.2 M');
  expect(formatCount(1800)).toBe('1,800');
  expect(formatSeconds(0.12)).toBe('120 ms');
  expect(formatSeconds(4.25)).toBe('4.3 s');
  expect(formatSeconds(45)).toBe('45 s');
  expect(formatSeconds(180)).toBe('3 min');
  expect(formatSeconds(5400)).toBe('1.5 h');
  expect(formatSecondsRange(40, 90)).toBe('40 s – 2 min');
  expect(formatSecondsRange(40, 85)).toBe('40–85 s');
  expect(formatSecondsRange(0.2, 0.2)).toBe('200 ms');
});
