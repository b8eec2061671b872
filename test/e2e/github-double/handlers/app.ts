/** App authentication endpoints: the app itself, installations, installation access tokens. */
import { HttpError, notFound, repoFor, type Handler, type HandlerContext } from '../context';
import type { Authenticator } from '../auth';

export function appHandlers(auth: Authenticator): Record<string, Handler> {
  const installationFor = (ctx: HandlerContext) => {
    if (Number(ctx.params.installation_id) !== ctx.shapes.app.installationId) throw notFound();
    const firstOwner = [...ctx.state.repos.values()][0]?.owner ?? ctx.shapes.app.owner;
    return ctx.shapes.installation(firstOwner);
  };
  return {
    'apps/get-authenticated': (ctx) => ({ status: 200, body: ctx.shapes.integration() }),

    'apps/get-installation': (ctx) => ({ status: 200, body: installationFor(ctx) }),

    'apps/list-installations': (ctx) => {
      const firstOwner = [...ctx.state.repos.values()][0]?.owner ?? ctx.shapes.app.owner;
      return { status: 200, body: [ctx.shapes.installation(firstOwner)] };
    },

    'apps/get-repo-installation': (ctx) => ({
      status: 200,
      body: ctx.shapes.installation(repoFor(ctx).owner),
    }),

    'apps/create-installation-access-token': (ctx) => {
      installationFor(ctx);
      const body = (ctx.body ?? {}) as {
        repositories?: string[];
        repository_ids?: number[];
        permissions?: Record<string, string>;
      };
      const all = [...ctx.state.repos.values()];
      let names: string[] | undefined;
      if (body.repositories || body.repository_ids) {
        const byName = (body.repositories ?? []).map((n) =>
          all.find((r) => r.name.toLowerCase() === n.toLowerCase()),
        );
        const byId = (body.repository_ids ?? []).map((id) => all.find((r) => r.id === id));
        if ([...byName, ...byId].some((r) => !r)) {
          throw new HttpError(
            422,
            'There is at least one repository that does not exist or is not accessible to the parent installation.',
          );
        }
        names = [...new Set([...byName, ...byId].map((r) => r?.name as string))];
      }
      const granted = ctx.shapes.app.permissions;
      const levels = ['read', 'write', 'admin'];
      for (const [name, level] of Object.entries(body.permissions ?? {})) {
        if (!granted[name] || levels.indexOf(level) > levels.indexOf(granted[name])) {
          throw new HttpError(422, 'The permissions requested are not granted to this installation.');
        }
      }
      const permissions = body.permissions ?? granted;
      const token = auth.issueToken(ctx.shapes.app.installationId, names, permissions);
      return {
        status: 201,
        body: {
          token: token.token,
          expires_at: new Date(token.expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          permissions,
          repository_selection: names ? 'selected' : 'all',
          ...(names
            ? {
                repositories: all.filter((r) => names?.includes(r.name)).map((r) => ctx.shapes.repository(r)),
              }
            : {}),
        },
      };
    },

    'rate-limit/get': () => {
      const reset = Math.floor(Date.now() / 1000) + 3600;
      const core = { limit: 5000, used: 0, remaining: 5000, reset };
      return { status: 200, body: { resources: { core, search: core, graphql: core }, rate: core } };
    },
  };
}
