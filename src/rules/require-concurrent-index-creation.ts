/**
 * CREATE INDEX without CONCURRENTLY holds SHARE on the table for the whole build: every INSERT,
 * UPDATE and DELETE waits until the index is built, which on a large table is minutes.
 */
import { defineRule } from './rule';
import { alternative, lockPhrase, outsideTransactionNote, qualified } from './support';

export default defineRule({
  id: 'require-concurrent-index-creation',
  meta: {
    title: 'Index built without CONCURRENTLY on an existing table',
    defaultSeverity: 'high',
    scalesWithTable: true,
    docs: {
      why: 'CREATE INDEX takes a SHARE lock on the table (DefineIndex) and keeps it while it reads the whole table and sorts it: writes are blocked for the entire build. CREATE INDEX CONCURRENTLY takes SHARE UPDATE EXCLUSIVE instead, which lets reads and writes continue; it scans the table twice and waits for older transactions, and it cannot run inside a transaction block.',
      bad: 'CREATE INDEX orders_customer_id_idx ON orders (customer_id);',
      good: '-- in a migration that runs outside a transaction\nCREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);',
      versions:
        'All versions. Partitioned tables do not support CONCURRENTLY: build each partition’s index concurrently, create the parent index ON ONLY the parent and attach them.',
      reference: 'https://www.postgresql.org/docs/current/sql-createindex.html#SQL-CREATEINDEX-CONCURRENTLY',
    },
    messages: {
      blocking: 'CREATE INDEX holds {lock} while it reads every row of {table}',
      partitioned:
        'CREATE INDEX on partitioned table {table} holds {lock} on every partition while they are indexed',
    },
  },
  check(ctx) {
    if (ctx.kind !== 'IndexStmt' || ctx.node.concurrent) return;
    // The table is the relation locked SHARE; no scan means IF NOT EXISTS found the index already.
    const locked = ctx.statement.locks.find((l) => l.mode === 'ShareLock');
    if (!locked || !ctx.isExisting(locked.relation) || ctx.statement.scans.length === 0) return;
    const name = locked.relation;
    const state = ctx.relation(name).state;
    if (state?.kind === 'partitioned table') {
      const parts = ctx.catalog.partitionsOf(state.key).map((p) => p.name);
      const index = ctx.node.idxname ?? `${state.name}_idx`;
      const columns = ctx.statement.text.slice(ctx.statement.text.indexOf('(')).trim();
      const sql = [
        ...parts.map(
          (p) =>
            `CREATE INDEX CONCURRENTLY ${qualified(`${p}_${index.replace(`${state.name}_`, '')}`)} ON ${qualified(p)} ${columns};`,
        ),
        `CREATE INDEX ${qualified(index)} ON ONLY ${qualified(name)} ${columns};`,
        ...parts.map(
          (p) =>
            `ALTER INDEX ${qualified(index)} ATTACH PARTITION ${qualified(`${p}_${index.replace(`${state.name}_`, '')}`)};`,
        ),
      ].join('\n');
      ctx.report({
        messageId: 'partitioned',
        data: { table: name, lock: lockPhrase(name, 'ShareLock') },
        relation: name,
        lock: 'ShareLock',
        safeAlternative: alternative(
          'Index each partition concurrently, then create the parent index ON ONLY the parent and attach the partitions’ indexes (quick catalog changes).',
          sql,
          [outsideTransactionNote(ctx)],
        ),
      });
      return;
    }
    const fix = ctx.statement.text.replace(/^(\s*CREATE\s+(?:UNIQUE\s+)?INDEX)\b/i, '$1 CONCURRENTLY');
    ctx.report({
      messageId: 'blocking',
      data: { table: name, lock: lockPhrase(name, 'ShareLock') },
      relation: name,
      lock: 'ShareLock',
      fix,
      safeAlternative: alternative(
        'Build the index with CONCURRENTLY: reads and writes continue during the build.',
        `${fix};`,
        [
          outsideTransactionNote(ctx),
          'If the build fails it leaves an INVALID index: drop it (DROP INDEX CONCURRENTLY) and run the migration again.',
        ],
      ),
    });
  },
});
