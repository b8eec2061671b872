/**
 * The repository's configuration for the app: `.github/migration-guard.yml`.
 *
 * Where it is read from, in order (the first that exists wins; none: the defaults):
 *  1. the repository, at the pull request's **base** commit: a pull request cannot loosen the
 *     rules it is judged by (a change to the file applies from the moment it is merged);
 *  2. the owner's `.github` repository, `.github/migration-guard.yml` on its default branch (the
 *     organization-wide default, as Probot's `context.config` does).
 *
 * Why not `context.config()`: Probot's loader returns the parsed object, without positions, so a
 * mistake could not be reported with its line; this reads the raw YAML text (one contents
 * request with the `raw` media type) and validates it with `loadConfig`, which names every bad
 * key with its line. Probot's `_extends:` (inheriting another repository's file) is not
 * supported: it is reported as a configuration problem rather than silently ignored.
 */
import { ConfigError, DEFAULT_CONFIG, loadConfig, type Config } from '../config';
import { RULE_IDS } from '../rules';
import { statusOf, type GitHubClient, type RepoRef, type RequestCounter } from './types';

export const CONFIG_PATH = '.github/migration-guard.yml';

export interface LoadedConfig {
  config: Config;
  /** Where it came from, e.g. `acme/shop:.github/migration-guard.yml`; undefined: defaults. */
  source?: string;
}

export async function loadRepoConfig(
  octokit: GitHubClient,
  repo: RepoRef,
  ref: string,
  requests: RequestCounter,
): Promise<LoadedConfig> {
  const places: { repo: RepoRef; ref?: string }[] = [{ repo, ref }];
  if (repo.repo !== '.github') places.push({ repo: { owner: repo.owner, repo: '.github' } });
  for (const place of places) {
    const text = await readRaw(octokit, place.repo, CONFIG_PATH, place.ref, requests);
    if (text === undefined) continue;
    const source = `${place.repo.owner}/${place.repo.repo}:${CONFIG_PATH}`;
    return { config: parseConfig(text, source), source };
  }
  return { config: structuredClone(DEFAULT_CONFIG) as Config };
}

/** Validates the YAML text; `_extends` gets a problem of its own (see the module comment). */
export function parseConfig(text: string, source: string): Config {
  const extendsLine = text.split(/\r?\n/).findIndex((l) => /^_extends\s*:/.test(l));
  if (extendsLine >= 0) {
    throw new ConfigError(source, [
      {
        path: '_extends',
        line: extendsLine + 1,
        message: 'is not supported by Migration Guard: copy the settings into this file',
      },
    ]);
  }
  return loadConfig(text, source, RULE_IDS);
}

/** The file's text, or undefined when it (or the repository) does not exist. */
async function readRaw(
  octokit: GitHubClient,
  repo: RepoRef,
  path: string,
  ref: string | undefined,
  requests: RequestCounter,
): Promise<string | undefined> {
  try {
    const { data } = await requests.track('GET /repos/{owner}/{repo}/contents/{path}', () =>
      octokit.rest.repos.getContent({
        owner: repo.owner,
        repo: repo.repo,
        path,
        ...(ref ? { ref } : {}),
        mediaType: { format: 'raw' },
      }),
    );
    const raw: unknown = data;
    if (typeof raw === 'string') return raw;
    // Without a charset in the response's content type, Octokit hands over the bytes.
    if (Object.prototype.toString.call(raw) === '[object ArrayBuffer]') {
      return new TextDecoder().decode(raw as ArrayBuffer);
    }
    // A directory listing (JSON array) at that path: no configuration there.
    return undefined;
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}
