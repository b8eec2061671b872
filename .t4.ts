import { loadParser, parseFile } from './src/analysis/parse';
(async () => {
  await loadParser();
  const sql = "\uFEFF-- +goose Up\r\n-- héllo 😀\r\nCREATE TABLE é (a int);\r\n\\set x 1\r\nALTER TABLE ${schema}.é ADD b text DEFAULT '😀ü' NOT NULL; -- trailing\r\nSELEC 1;\r\n-- +goose Down\r\nDROP TABLE é;\r\nCOPY t FROM stdin;\n1\t2\n\\.\nSELECT 2";
  const r = parseFile({ path: 'x.sql', content: Buffer.from(sql) });
  for (const s of r.statements) console.log(s.kind, s.line, s.column, s.endLine, s.endColumn, s.section, JSON.stringify(s.text));
  console.log(r.diagnostics, r.directives);
  console.log(parseFile({ path: 'b', content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1]) }).diagnostics);
  console.log(parseFile({ path: 'e', content: '' }).statements.length, parseFile({ path: 'e', content: '-- x\n' }).statements.length);
})();
