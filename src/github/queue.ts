/**
 * Per-key serialization: tasks with the same key (a pull request, `owner/repo#number`) run one
 * after another, in arrival order; tasks with different keys run concurrently. Two deliveries for
 * one pull request (a push right after opening it, a redelivery, a re-run) therefore never
 * interleave their reads of existing comments with their writes of new ones.
 *
 * In-process only: a deployment with several instances behind a load balancer needs a single
 * instance for webhooks, or a shared lock (e.g. Redis) around `run` instead of this queue.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `task` after every earlier task of `key` has settled; resolves or rejects with it. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    // Forget the key once its last task is done, so the map does not grow with every PR seen.
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with a task running or waiting. */
  get size(): number {
    return this.tails.size;
  }
}

export function pullRequestKey(owner: string, repo: string, number: number): string {
  return `${owner}/${repo}#${number}`.toLowerCase();
}
