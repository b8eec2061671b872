import type { TruthCase } from './case';
import { CUSTOMERS, MEASUREMENTS, ORDERS, setup } from './schemas';

/**
 * Facts found while writing rules and reviewing the corpus: each case once disagreed with the model
 * or had no case at all. A partitioned index is reindexed one partition at a time from 14 (and is an
 * error before); a foreign key to the table being created locks nothing else; PostgreSQL names an
 * expression index after the function it calls (FigureIndexColname); a second primary key fails.
 */
export const REGRESSION_CASES: TruthCase[] = [
  {
    id: 'regression-reindex-partitioned-index',
    title:
      'REINDEX INDEX of a partitioned index: error before 14, per-partition outside a transaction from 14',
    setup: setup(MEASUREMENTS, 'CREATE INDEX measurements_sensor_id_idx ON measurements (sensor_id);'),
    sql: 'REINDEX INDEX measurements_sensor_id_idx',
  },
  {
    id: 'regression-create-table-self-reference',
    title: 'CREATE TABLE with a foreign key to itself locks no other relation',
    setup: CUSTOMERS,
    sql: 'CREATE TABLE categories (id int PRIMARY KEY, parent_id int REFERENCES categories (id))',
  },
  {
    id: 'regression-expression-index-name',
    title: 'an unnamed expression index is named after its function: customers_lower_idx',
    setup: setup(CUSTOMERS, 'CREATE INDEX ON customers (lower(email));'),
    sql: 'DROP INDEX customers_lower_idx',
  },
  {
    id: 'regression-second-primary-key',
    title: 'a second primary key fails',
    setup: ORDERS,
    sql: 'ALTER TABLE orders ADD PRIMARY KEY (status)',
  },
];
