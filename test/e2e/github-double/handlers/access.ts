/** Who may do what: collaborator permission levels and organization team memberships. */
import { HttpError, notFound, repoFor, type Handler } from '../context';

export const accessHandlers: Record<string, Handler> = {
  'repos/get-collaborator-permission-level': (ctx) => {
    const repo = repoFor(ctx);
    const login = String(ctx.params.username);
    const user = ctx.state.findUser(login);
    if (!user || user.type === 'Organization') throw new HttpError(404, `${login} is not a user`);
    const role = repo.permissions.get(user.login) ?? 'none';
    return { status: 200, body: ctx.shapes.collaboratorPermission(user.login, role) };
  },

  'repos/check-collaborator': (ctx) => {
    const repo = repoFor(ctx);
    const role = repo.permissions.get(String(ctx.params.username));
    if (!role || role === 'none') throw notFound();
    return { status: 204 };
  },

  'teams/get-membership-for-user-in-org': (ctx) => {
    const org = String(ctx.params.org);
    const team = ctx.state.teams.get(`${org}/${String(ctx.params.team_slug)}`.toLowerCase());
    const login = String(ctx.params.username);
    if (!team || ![...team.members].some((m) => m.toLowerCase() === login.toLowerCase())) throw notFound();
    return {
      status: 200,
      body: {
        url: `${ctx.shapes.api}/organizations/${ctx.state.user(org).id}/team/${team.id}/memberships/${encodeURIComponent(login)}`,
        role: 'member',
        state: 'active',
      },
    };
  },

  'orgs/check-membership-for-user': (ctx) => {
    // Members of any of the org's teams are members of the org.
    const org = String(ctx.params.org).toLowerCase();
    const login = String(ctx.params.username).toLowerCase();
    const member = [...ctx.state.teams.values()].some(
      (t) => t.org.toLowerCase() === org && [...t.members].some((m) => m.toLowerCase() === login),
    );
    if (!member) throw notFound();
    return { status: 204 };
  },
};
