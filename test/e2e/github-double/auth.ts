/**
 * GitHub App authentication as GitHub checks it: app JWTs (RS256, signed with the app's private key,
 * `iss` = app id, at most 10 minutes long) for `/app` endpoints and installation lookups, and
 * installation tokens (`token …` or `Bearer …`, issued by POST /app/installations/{id}/access_tokens,
 * valid one hour) for everything else.
 */
import { createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';
import { HttpError, type Auth } from './context';
import type { DoubleState, TokenRecord } from './state';

/** Operations GitHub answers only with the app's JWT. */
export function needsAppJwt(template: string): boolean {
  return (
    template === '/app' ||
    template.startsWith('/app/') ||
    /^\/(repos\/\{owner\}\/\{repo\}|orgs\/\{org\}|users\/\{username\})\/installation$/.test(template)
  );
}

export class Authenticator {
  private readonly publicKey: KeyObject;

  constructor(
    private readonly state: DoubleState,
    private readonly appId: number,
    publicKeyPem: string,
  ) {
    this.publicKey = createPublicKey(publicKeyPem);
  }

  authenticate(header: string | undefined, template: string): Auth {
    const m = /^(token|bearer)\s+(\S+)$/i.exec(header ?? '');
    if (!m) throw new HttpError(401, 'Requires authentication');
    const credential = m[2];
    const isJwt = credential.split('.').length === 3;
    if (needsAppJwt(template)) {
      if (!isJwt) {
        throw new HttpError(
          401,
          'A JSON web token could not be decoded (this endpoint needs the app JWT, not an installation token)',
        );
      }
      if (m[1].toLowerCase() !== 'bearer') {
        throw new HttpError(401, 'A JSON web token must be sent as "Authorization: Bearer <jwt>"');
      }
      this.verifyJwt(credential);
      return { kind: 'app' };
    }
    if (isJwt) {
      throw new HttpError(
        403,
        'Resource not accessible by integration (an app JWT only authenticates /app endpoints; use an installation token)',
      );
    }
    const token = this.state.tokens.get(credential);
    if (!token || token.expiresAt <= Date.now()) throw new HttpError(401, 'Bad credentials');
    return { kind: 'installation', token };
  }

  issueToken(
    installationId: number,
    repositories: string[] | undefined,
    permissions: Record<string, string>,
  ): TokenRecord {
    const token: TokenRecord = {
      token: `ghs_${randomBytes(27).toString('base64url').slice(0, 36)}`,
      installationId,
      expiresAt: Date.now() + 3600_000,
      repositories,
      permissions,
    };
    this.state.tokens.set(token.token, token);
    return token;
  }

  private verifyJwt(jwt: string): void {
    const [h, p, s] = jwt.split('.');
    let header: { alg?: string };
    let payload: { iss?: string | number; iat?: number; exp?: number };
    try {
      header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
      payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
    } catch {
      throw new HttpError(401, 'A JSON web token could not be decoded');
    }
    if (header.alg !== 'RS256') throw new HttpError(401, `'alg' must be RS256, got ${String(header.alg)}`);
    const ok = verify('RSA-SHA256', Buffer.from(`${h}.${p}`), this.publicKey, Buffer.from(s, 'base64url'));
    if (!ok) throw new HttpError(401, 'A JSON web token could not be decoded (signature does not verify)');
    if (String(payload.iss) !== String(this.appId)) {
      throw new HttpError(
        401,
        `'Issuer' claim ('iss') must be the app id ${this.appId}, got ${String(payload.iss)}`,
      );
    }
    const now = Math.floor(Date.now() / 1000);
    if (typeof payload.exp !== 'number' || typeof payload.iat !== 'number') {
      throw new HttpError(401, "'Expiration time' ('exp') and 'Issued at' ('iat') claims are required");
    }
    if (payload.exp <= now)
      throw new HttpError(
        401,
        "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
      );
    if (payload.exp > now + 600 + 30)
      throw new HttpError(401, "'Expiration time' claim ('exp') is too far in the future");
    if (payload.iat > now + 60)
      throw new HttpError(
        401,
        "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued",
      );
  }
}
