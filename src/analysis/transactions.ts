/**
 * The transaction model of one file: which statements run in the same transaction (so that every
 * lock taken is held until that transaction ends), whether the migration tool or the file's own
 * BEGIN/COMMIT made it, and whether a lock_timeout is in effect when each statement runs.
 *
 * PostgreSQL facts used: a lock is released only at COMMIT/ROLLBACK; BEGIN inside a transaction
 * only warns; COMMIT ends whatever transaction is open, including one a tool opened; a
 * multi-statement query string runs as one implicit transaction; `SET` lasts for the session,
 * `SET LOCAL` until the end of the transaction.
 */
import type { AnyNode } from './ast';
import type { ParsedStatement } from './parse';

/** How the runner wraps the file (from the migration tool preset); undefined: as written. */
export interface WrapMode {
  wrapped: boolean;
  implicit?: boolean;
  reason: string;
}

export interface TransactionFacts {
  /** The statement runs inside a transaction (the file's own or the tool's). */
  inTransaction: boolean;
  /** Statements with the same group share one transaction; undefined when autocommitted. */
  group?: number;
  wrappedByTool: boolean;
  /** A lock_timeout (non-zero) is in effect for this statement. */
  lockTimeout: boolean;
  /** A statement_timeout (non-zero) is in effect. */
  statementTimeout: boolean;
}

export class TransactionTracker {
  private explicit = false;
  private toolOpen: boolean;
  private group = 0;
  private openGroup: number | undefined;
  private sessionLockTimeout = false;
  private localLockTimeout = false;
  private sessionStatementTimeout = false;
  private localStatementTimeout = false;

  constructor(wrap: WrapMode | undefined, statementCount: number) {
    // An implicit transaction covers a multi-statement script; one statement alone runs outside.
    this.toolOpen = !!wrap?.wrapped && (!wrap.implicit || statementCount > 1);
    if (this.toolOpen) this.openGroup = ++this.group;
  }

  /** Facts for the next statement, then advance the state past it. */
  next(s: ParsedStatement): TransactionFacts {
    const node = s.node as AnyNode;
    if (s.kind === 'TransactionStmt') return this.control(node.TransactionStmt.kind);
    const facts = this.facts();
    if (s.kind === 'VariableSetStmt') this.setting(node.VariableSetStmt);
    return facts;
  }

  private facts(): TransactionFacts {
    const inTransaction = this.explicit || this.toolOpen;
    const wrappedByTool = this.toolOpen && !this.explicit;
    const lockTimeout = this.sessionLockTimeout || (inTransaction && this.localLockTimeout);
    const statementTimeout = this.sessionStatementTimeout || (inTransaction && this.localStatementTimeout);
    // Two literals rather than a conditional spread (this runs for every statement).
    return inTransaction
      ? { inTransaction, group: this.openGroup, wrappedByTool, lockTimeout, statementTimeout }
      : { inTransaction, wrappedByTool, lockTimeout, statementTimeout };
  }

  private control(kind: string): TransactionFacts {
    switch (kind) {
      case 'TRANS_STMT_BEGIN':
      case 'TRANS_STMT_START': {
        // BEGIN inside an open transaction only warns: the same transaction goes on.
        if (!this.explicit && !this.toolOpen) this.openGroup = ++this.group;
        this.explicit = true;
        return this.facts();
      }
      case 'TRANS_STMT_COMMIT':
      case 'TRANS_STMT_ROLLBACK':
      case 'TRANS_STMT_COMMIT_PREPARED':
      case 'TRANS_STMT_ROLLBACK_PREPARED': {
        const facts = this.facts();
        // COMMIT ends whichever transaction is open, the tool's included.
        this.explicit = false;
        this.toolOpen = false;
        this.openGroup = undefined;
        this.localLockTimeout = false;
        this.localStatementTimeout = false;
        return facts;
      }
      default:
        return this.facts();
    }
  }

  private setting(set: AnyNode): void {
    const name = String(set.name ?? '').toLowerCase();
    if (name !== 'lock_timeout' && name !== 'statement_timeout') return;
    const arg = set.args?.[0]?.A_Const;
    // libpg-query writes the integer 0 as `ival: {}`.
    const value = arg?.ival !== undefined ? (arg.ival.ival ?? 0) : arg?.sval?.sval;
    const on =
      set.kind === 'VAR_SET_VALUE' &&
      value !== undefined &&
      !/^0+(\.0+)?\s*(ms|s|min|h|d)?$/i.test(String(value));
    const local = !!set.is_local;
    if (name === 'lock_timeout') {
      if (local) this.localLockTimeout = on;
      else this.sessionLockTimeout = on;
    } else if (local) this.localStatementTimeout = on;
    else this.sessionStatementTimeout = on;
  }
}
