/**
 * An in-memory LRU cache of Git blob contents keyed by blob SHA, bounded in bytes.
 *
 * A blob's SHA is the hash of its content, so an entry never goes stale: the base branch's
 * migration history, fetched again on every pull-request event, costs one request per blob only
 * the first time the process sees it. One cache is shared by all events of the process
 * (`sharedBlobCache`); concurrent requests for the same SHA share one fetch. The SHA is global
 * across repositories (same bytes, same SHA), so sharing between installations reveals nothing:
 * an entry is only returned for a SHA the caller's own tree listed.
 */

export interface BlobCacheStats {
  entries: number;
  bytes: number;
  hits: number;
  misses: number;
}

/** Default bound: 64 MiB, overridable with MIGRATION_GUARD_BLOB_CACHE_MB. */
export const DEFAULT_BLOB_CACHE_BYTES = 64 * 1024 * 1024;

export class BlobCache {
  private readonly entries = new Map<string, Uint8Array>();
  private readonly pending = new Map<string, Promise<Uint8Array>>();
  private size = 0;
  private hitCount = 0;
  private missCount = 0;

  constructor(readonly maxBytes: number = DEFAULT_BLOB_CACHE_BYTES) {}

  /** The cached content (and marks it most recently used), or undefined. */
  get(sha: string): Uint8Array | undefined {
    const value = this.entries.get(sha);
    if (value === undefined) return undefined;
    this.entries.delete(sha);
    this.entries.set(sha, value);
    return value;
  }

  has(sha: string): boolean {
    return this.entries.has(sha);
  }

  /** Stores `content`, evicting the least recently used entries beyond the byte bound. */
  set(sha: string, content: Uint8Array): void {
    const old = this.entries.get(sha);
    if (old !== undefined) {
      this.entries.delete(sha);
      this.size -= old.byteLength;
    }
    // A blob larger than the whole cache is not kept (it would evict everything for nothing).
    if (content.byteLength > this.maxBytes) return;
    this.entries.set(sha, content);
    this.size += content.byteLength;
    for (const [key, value] of this.entries) {
      if (this.size <= this.maxBytes) break;
      this.entries.delete(key);
      this.size -= value.byteLength;
    }
  }

  /**
   * The content of `sha`: from the cache, from a fetch already under way for it, or from `load`
   * (then cached). `fetched` tells whether this call made the request.
   */
  async fetch(
    sha: string,
    load: () => Promise<Uint8Array>,
  ): Promise<{ content: Uint8Array; fetched: boolean }> {
    const cached = this.get(sha);
    if (cached !== undefined) {
      this.hitCount++;
      return { content: cached, fetched: false };
    }
    const running = this.pending.get(sha);
    if (running) {
      this.hitCount++;
      return { content: await running, fetched: false };
    }
    this.missCount++;
    const promise = load().then((content) => {
      this.set(sha, content);
      return content;
    });
    this.pending.set(sha, promise);
    try {
      return { content: await promise, fetched: true };
    } finally {
      this.pending.delete(sha);
    }
  }

  clear(): void {
    this.entries.clear();
    this.size = 0;
    this.hitCount = 0;
    this.missCount = 0;
  }

  stats(): BlobCacheStats {
    return { entries: this.entries.size, bytes: this.size, hits: this.hitCount, misses: this.missCount };
  }
}

function configuredBytes(): number {
  const mb = Number(process.env.MIGRATION_GUARD_BLOB_CACHE_MB);
  return Number.isFinite(mb) && mb > 0 ? Math.floor(mb * 1024 * 1024) : DEFAULT_BLOB_CACHE_BYTES;
}

/** The process-wide cache used by the app's event handlers. */
export const sharedBlobCache = new BlobCache(configuredBytes());
