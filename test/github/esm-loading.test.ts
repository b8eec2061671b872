/** The app's dependencies are ES modules: this checks jest's github project can load and use them. */
import { Probot, ProbotOctokit } from 'probot';
import { Octokit } from '@octokit/rest';
import nock from 'nock';

test('probot and @octokit/rest load, and nock intercepts their HTTP', async () => {
  expect(typeof Probot).toBe('function');
  expect(typeof ProbotOctokit).toBe('function');
  nock.disableNetConnect();
  const scope = nock('https://api.github.com').get('/repos/acme/shop').reply(200, { id: 7 });
  const r = await new Octokit().repos.get({ owner: 'acme', repo: 'shop' });
  expect(r.data.id).toBe(7);
  expect(scope.isDone()).toBe(true);
  nock.enableNetConnect();
});
