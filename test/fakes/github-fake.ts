import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './http-body';

/**
 * A loopback GitHub REST API speaking GitHub's wire format (JSON bodies, Link pagination, the error
 * bodies GitHub sends), so tests drive the REAL Octokit over real HTTP. It serves only the endpoints
 * Architect calls: repositories, contents, git refs (get, list matching, create, delete), pull requests
 * (and their changed files) and issue comments. State lives in memory: repositories hold branches, each
 * branch a commit sha and a flat map of file path → text.
 */

export interface FakeComment {
  id: number;
  body: string;
  user: string;
  issueNumber: number;
  createdAt: string;
  updatedAt: string;
}

export interface FakePullRequest {
  number: number;
  title: string;
  body: string | null;
  head: string;
  base: string;
  draft: boolean;
  state: 'open' | 'closed';
  /** What `GET /pulls/{n}/files` lists: each changed file and how (added, modified, removed, renamed). */
  files: { filename: string; status: string }[];
}

/** A request as a test hook sees it, before the fake answers it. */
export interface IncomingGitHubRequest {
  method: string;
  path: string;
  body: Record<string, unknown>;
}

export interface RecordedGitHubRequest {
  method: string;
  /** The path as sent, query string excluded. */
  path: string;
  query: URLSearchParams;
  status?: number;
  /** The token the request was made with, once it authenticated. */
  token?: string;
}

interface Branch {
  sha: string;
  files: Map<string, string>;
}

interface FakeRepo {
  id: number;
  owner: string;
  name: string;
  defaultBranch: string;
  branches: Map<string, Branch>;
  pulls: FakePullRequest[];
  comments: FakeComment[];
  /** Issues and pull requests share one sequence of numbers, as on GitHub. */
  nextIssueNumber: number;
}

type Json = Record<string, unknown> | unknown[];

interface Answer {
  status: number;
  body?: Json;
  headers?: Record<string, string>;
}

/** GitHub's per_page default and ceiling for list endpoints. */
const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;
/** GitHub rejects comment bodies longer than this. */
export const COMMENT_BODY_LIMIT = 65_536;
const DOCS = 'https://docs.github.com/rest';
const WEB = 'https://github.com';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The sha git itself gives a blob, so a file's sha only changes when its text does. */
function blobSha(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(`blob ${bytes.length}\0`), bytes]))
    .digest('hex');
}

const randomSha = (): string => randomBytes(20).toString('hex');

/** GitHub wraps base64 file content at 60 characters, which clients must tolerate. */
function wrappedBase64(text: string): string {
  return (
    Buffer.from(text, 'utf8')
      .toString('base64')
      .match(/.{1,60}/g) ?? []
  )
    .join('\n')
    .concat('\n');
}

function error(status: number, message: string, docPath: string, errors?: unknown[]): Answer {
  const body: Record<string, unknown> = { message };
  if (errors) body.errors = errors;
  body.documentation_url = docPath === '' ? DOCS : `${DOCS}/${docPath}`;
  body.status = String(status);
  return { status, body };
}

const notFound = (docPath: string): Answer => error(404, 'Not Found', docPath);

function validationFailed(docPath: string, errors: Record<string, unknown>[]): Answer {
  return error(422, 'Validation Failed', docPath, errors);
}

function parseJson(raw: string): Record<string, unknown> | undefined {
  if (raw === '') return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

const str = (body: Record<string, unknown>, key: string): string | undefined =>
  typeof body[key] === 'string' ? (body[key] as string) : undefined;

export class GitHubFake {
  /** What Octokit's `baseUrl` takes (GitHub Enterprise style: the API's root). */
  readonly apiUrl: string;
  readonly token: string;
  /** The login that comments and pull requests made with the token are attributed to. */
  readonly login: string;
  readonly requests: RecordedGitHubRequest[] = [];

  private readonly repos = new Map<string, FakeRepo>();
  private readonly refusedTokens = new Set<string>();
  /** Fine-grained tokens: each reaches only the repositories it was granted (`owner/name`). */
  private readonly grants = new Map<string, Set<string>>();
  private readonly faults: (Answer | 'hang')[] = [];
  private readonly interceptions: {
    matches: (request: IncomingGitHubRequest) => boolean;
    run: (request: IncomingGitHubRequest) => void;
  }[] = [];
  private nextRepoId = 1000;
  private nextCommentId = 5_000_000;
  private clock = Date.parse('2026-01-05T09:00:00Z');

  private constructor(
    private readonly server: Server,
    port: number,
    token: string,
    login: string,
  ) {
    this.apiUrl = `http://127.0.0.1:${port}`;
    this.token = token;
    this.login = login;
  }

  static async start(opts: { token?: string; login?: string } = {}): Promise<GitHubFake> {
    let fake: GitHubFake | undefined;
    const server = createServer((req, res) => {
      // Requests only arrive after listen() resolved, so `fake` is set by then.
      fake?.handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(e));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    fake = new GitHubFake(
      server,
      port,
      opts.token ?? 'ghp_fakeToken0123456789',
      opts.login ?? 'architect-bot',
    );
    return fake;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // ---- helpers for tests ----

  /** Creates a repository whose default branch holds `files` (path → text). */
  seedRepo(opts: {
    owner: string;
    repo: string;
    defaultBranch?: string;
    files?: Record<string, string>;
  }): void {
    const defaultBranch = opts.defaultBranch ?? 'main';
    const files = new Map(Object.entries(opts.files ?? {}));
    this.repos.set(this.key(opts.owner, opts.repo), {
      id: this.nextRepoId++,
      owner: opts.owner,
      name: opts.repo,
      defaultBranch,
      branches: new Map([[defaultBranch, { sha: randomSha(), files }]]),
      pulls: [],
      comments: [],
      nextIssueNumber: 1,
    });
  }

  /** Adds a branch pointing at a copy of `from` (the default branch unless named). */
  seedBranch(owner: string, repo: string, branch: string, from?: string): void {
    const r = this.mustRepo(owner, repo);
    const source = r.branches.get(from ?? r.defaultBranch);
    if (!source) throw new Error(`no branch ${from} in ${owner}/${repo}`);
    r.branches.set(branch, { sha: source.sha, files: new Map(source.files) });
  }

  /** Opens a pull request without needing branches, for tests about its comments and changed files. */
  seedPullRequest(
    owner: string,
    repo: string,
    opts: { title?: string; files?: { filename: string; status?: string }[] } = {},
  ): number {
    const r = this.mustRepo(owner, repo);
    const number = r.nextIssueNumber++;
    r.pulls.push({
      number,
      title: opts.title ?? 'Seeded pull request',
      body: null,
      head: `feature-${number}`,
      base: r.defaultBranch,
      draft: false,
      state: 'open',
      files: (opts.files ?? []).map((f) => ({ filename: f.filename, status: f.status ?? 'modified' })),
    });
    return number;
  }

  /** Adds comments to an issue or pull request, by the token's login unless another user is named. */
  seedComments(
    owner: string,
    repo: string,
    issueNumber: number,
    comments: { body: string; user?: string }[],
  ): void {
    const r = this.mustRepo(owner, repo);
    for (const c of comments) r.comments.push(this.newComment(issueNumber, c.body, c.user ?? this.login));
  }

  /** The text of a file on a branch, as committed; undefined when absent. */
  fileAt(owner: string, repo: string, branch: string, path: string): string | undefined {
    return this.mustRepo(owner, repo).branches.get(branch)?.files.get(path);
  }

  branches(owner: string, repo: string): string[] {
    return [...this.mustRepo(owner, repo).branches.keys()];
  }

  pullRequests(owner: string, repo: string): FakePullRequest[] {
    return this.mustRepo(owner, repo).pulls.map((p) => ({ ...p }));
  }

  comments(owner: string, repo: string, issueNumber: number): FakeComment[] {
    return this.mustRepo(owner, repo)
      .comments.filter((c) => c.issueNumber === issueNumber)
      .map((c) => ({ ...c }));
  }

  /**
   * A fine-grained token besides the fake's own, granted to `repos` (`owner/name`) only: as on GitHub,
   * any other repository answers 404 to it, as if it did not exist.
   */
  grantToken(token: string, repos: string[]): void {
    this.grants.set(token, new Set(repos.map((r) => r.toLowerCase())));
  }

  /** Makes the fake answer 401 Bad credentials to this token (the fake's own token included). */
  refuseToken(token: string = this.token): void {
    this.refusedTokens.add(token);
  }

  /** The next request gets this status and message instead of its answer (e.g. 500, 502, 403). */
  failNext(status: number, message: string): void {
    this.faults.push(error(status, message, 'overview/resources-in-the-rest-api'));
  }

  /** The next request is never answered, as when GitHub or a proxy in front of it stalls. */
  hangNext(): void {
    this.faults.push('hang');
  }

  /**
   * Runs `run` once, just before answering the first request that `matches`: how a test makes another
   * client act at an exact moment between two of Architect's requests (a branch appearing mid-save).
   */
  interceptNext(
    matches: (request: IncomingGitHubRequest) => boolean,
    run: (request: IncomingGitHubRequest) => void,
  ): void {
    this.interceptions.push({ matches, run });
  }

  // ---- HTTP ----

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.apiUrl);
    const record: RecordedGitHubRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
    };
    this.requests.push(record);
    const raw = await readBody(req);
    const answer = this.answer(req, url, raw);
    if (answer === 'hang') return;
    record.status = answer.status;
    const headers: Record<string, string> = {
      'x-github-media-type': 'github.v3; format=json',
      'x-github-request-id': randomBytes(8).toString('hex').toUpperCase(),
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4999',
      ...answer.headers,
    };
    if (answer.body === undefined) {
      res.writeHead(answer.status, headers);
      res.end();
      return;
    }
    res.writeHead(answer.status, { ...headers, 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(answer.body));
  }

  private answer(req: IncomingMessage, url: URL, raw: string): Answer | 'hang' {
    const auth = this.authProblem(req.headers.authorization);
    if (auth) return auth;
    const token = tokenOf(req.headers.authorization);
    const record = this.requests.at(-1);
    if (record && token) record.token = token;
    const fault = this.faults.shift();
    if (fault) return fault;
    const body = parseJson(raw);
    if (body === undefined) return error(400, 'Problems parsing JSON', 'overview/resources-in-the-rest-api');
    this.runInterception({ method: req.method ?? 'GET', path: url.pathname, body });

    // Octokit escapes "/" inside {path} as %2F, so split first and decode each segment after.
    const segments = url.pathname.split('/').slice(1).map(decodeURIComponent);
    const located = this.locateRepo(segments);
    if (!located) return notFound('');
    const { repo, rest } = located;
    if (!repo) return notFound('repos/repos#get-a-repository');
    const granted = token ? this.grants.get(token) : undefined;
    if (granted && !granted.has(this.key(repo.owner, repo.name)))
      return notFound('repos/repos#get-a-repository');
    const method = req.method ?? 'GET';
    const [head, ...tail] = rest;

    if (head === undefined && method === 'GET') return { status: 200, body: this.repoJson(repo) };
    if (head === 'contents' && method === 'GET')
      return this.getContents(repo, tail.join('/'), url.searchParams);
    if (head === 'contents' && method === 'PUT') return this.putContents(repo, tail.join('/'), body);
    // Octokit sends the ref as one escaped segment (heads%2Fmain); other clients send it unescaped.
    const refPath = tail.slice(1).join('/');
    if (head === 'git' && tail[0] === 'ref' && refPath.startsWith('heads/') && method === 'GET') {
      return this.getRef(repo, refPath.slice('heads/'.length));
    }
    if (head === 'git' && tail[0] === 'matching-refs' && method === 'GET')
      return this.matchingRefs(repo, refPath);
    if (head === 'git' && tail[0] === 'refs' && tail.length === 1 && method === 'POST') {
      return this.createRef(repo, body);
    }
    if (head === 'git' && tail[0] === 'refs' && tail.length > 1 && method === 'DELETE') {
      return this.deleteRef(repo, refPath);
    }
    if (head === 'pulls' && tail.length === 0 && method === 'POST') return this.createPull(repo, body);
    if (head === 'pulls' && tail[1] === 'files' && tail.length === 2 && method === 'GET') {
      return this.listPullFiles(repo, Number(tail[0]), url.searchParams);
    }
    if (head === 'issues' && tail[0] === 'comments' && tail.length === 2 && method === 'PATCH') {
      return this.updateComment(repo, Number(tail[1]), body);
    }
    if (head === 'issues' && tail[1] === 'comments' && tail.length === 2) {
      const issueNumber = Number(tail[0]);
      if (method === 'GET') return this.listComments(repo, issueNumber, url.searchParams);
      if (method === 'POST') return this.createComment(repo, issueNumber, body);
    }
    return notFound('');
  }

  private runInterception(request: IncomingGitHubRequest): void {
    const index = this.interceptions.findIndex((i) => i.matches(request));
    const interception = this.interceptions[index];
    if (!interception) return;
    this.interceptions.splice(index, 1);
    interception.run(request);
  }

  /** 401 for a missing, unknown or refused token, with the body GitHub sends; undefined when fine. */
  private authProblem(header: string | undefined): Answer | undefined {
    if (header === undefined)
      return error(401, 'Requires authentication', 'overview/authenticating-to-the-rest-api');
    const token = tokenOf(header);
    const known = token === this.token || (token !== undefined && this.grants.has(token));
    if (token === undefined || !known || this.refusedTokens.has(token)) {
      return error(401, 'Bad credentials', '');
    }
    return undefined;
  }

  /**
   * Routes both /repos/{owner}/{repo}/… and /repositories/{id}/… (the form GitHub's Link headers use).
   * `repo` is undefined for a well-formed path naming no repository.
   */
  private locateRepo(segments: string[]): { repo: FakeRepo | undefined; rest: string[] } | undefined {
    if (segments[0] === 'repos' && segments.length >= 3) {
      return {
        repo: this.repos.get(this.key(segments[1] ?? '', segments[2] ?? '')),
        rest: segments.slice(3),
      };
    }
    if (segments[0] === 'repositories' && segments.length >= 2) {
      const id = Number(segments[1]);
      return { repo: [...this.repos.values()].find((r) => r.id === id), rest: segments.slice(2) };
    }
    return undefined;
  }

  private repoJson(r: FakeRepo): Record<string, unknown> {
    return {
      id: r.id,
      node_id: `R_${r.id}`,
      name: r.name,
      full_name: `${r.owner}/${r.name}`,
      private: true,
      owner: { login: r.owner, id: r.id + 1, type: 'Organization' },
      html_url: `${WEB}/${r.owner}/${r.name}`,
      url: `${this.apiUrl}/repos/${r.owner}/${r.name}`,
      default_branch: r.defaultBranch,
      visibility: 'private',
      permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
    };
  }

  // ---- contents ----

  private branchFor(r: FakeRepo, ref: string | null): Branch | undefined {
    return r.branches.get(ref ?? r.defaultBranch);
  }

  private contentJson(r: FakeRepo, branch: string, path: string, type: 'file' | 'dir', text?: string) {
    const sha = text === undefined ? blobSha(`tree:${path}`) : blobSha(text);
    const api = `${this.apiUrl}/repos/${r.owner}/${r.name}/contents/${path}?ref=${branch}`;
    const html = `${WEB}/${r.owner}/${r.name}/${type === 'file' ? 'blob' : 'tree'}/${branch}/${path}`;
    return {
      type,
      name: path.split('/').pop() ?? path,
      path,
      sha,
      size: text === undefined ? 0 : Buffer.byteLength(text, 'utf8'),
      url: api,
      html_url: html,
      git_url: `${this.apiUrl}/repos/${r.owner}/${r.name}/git/${type === 'file' ? 'blobs' : 'trees'}/${sha}`,
      download_url:
        type === 'file' ? `https://raw.githubusercontent.com/${r.owner}/${r.name}/${branch}/${path}` : null,
      _links: { self: api, git: null, html },
    };
  }

  private getContents(r: FakeRepo, path: string, query: URLSearchParams): Answer {
    const ref = query.get('ref');
    const branchName = ref ?? r.defaultBranch;
    const branch = this.branchFor(r, ref);
    if (!branch)
      return error(404, `No commit found for the ref ${ref}`, 'repos/contents#get-repository-content');
    const clean = path.replace(/\/+$/, '');
    const text = branch.files.get(clean);
    if (text !== undefined) {
      return {
        status: 200,
        body: {
          ...this.contentJson(r, branchName, clean, 'file', text),
          encoding: 'base64',
          content: wrappedBase64(text),
        },
      };
    }
    // A directory exists when some file lies beneath it; the root always exists.
    const prefix = clean === '' ? '' : `${clean}/`;
    const entries = new Map<string, 'file' | 'dir'>();
    for (const filePath of branch.files.keys()) {
      if (!filePath.startsWith(prefix)) continue;
      const [first, ...deeper] = filePath.slice(prefix.length).split('/');
      if (first) entries.set(first, deeper.length > 0 ? 'dir' : 'file');
    }
    if (entries.size === 0 && clean !== '') return notFound('repos/contents#get-repository-content');
    const listing = [...entries.entries()]
      // Git orders tree entries bytewise, so upper case sorts before lower case.
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, type]) =>
        this.contentJson(r, branchName, `${prefix}${name}`, type, branch.files.get(`${prefix}${name}`)),
      );
    return { status: 200, body: listing };
  }

  private putContents(r: FakeRepo, path: string, body: Record<string, unknown>): Answer {
    const doc = 'repos/contents#create-or-update-file-contents';
    const message = str(body, 'message');
    const content = str(body, 'content');
    if (message === undefined) return error(422, 'Invalid request.\n\n"message" wasn\'t supplied.', doc);
    if (content === undefined) return error(422, 'Invalid request.\n\n"content" wasn\'t supplied.', doc);
    if (!/^[A-Za-z0-9+/=\s]*$/.test(content)) return error(422, 'content is not valid Base64', doc);
    const branchName = str(body, 'branch') ?? r.defaultBranch;
    const branch = r.branches.get(branchName);
    if (!branch) return error(404, `Branch ${branchName} not found`, doc);
    const existing = branch.files.get(path);
    const sha = str(body, 'sha');
    if (existing !== undefined && sha === undefined) {
      return error(422, 'Invalid request.\n\n"sha" wasn\'t supplied.', doc);
    }
    if (existing !== undefined && sha !== blobSha(existing))
      return error(409, `${path} does not match ${sha}`, doc);
    const text = Buffer.from(content, 'base64').toString('utf8');
    branch.files.set(path, text);
    branch.sha = randomSha();
    return {
      status: existing === undefined ? 201 : 200,
      body: {
        content: this.contentJson(r, branchName, path, 'file', text),
        commit: {
          sha: branch.sha,
          node_id: `C_${branch.sha.slice(0, 12)}`,
          url: `${this.apiUrl}/repos/${r.owner}/${r.name}/git/commits/${branch.sha}`,
          html_url: `${WEB}/${r.owner}/${r.name}/commit/${branch.sha}`,
          message,
        },
      },
    };
  }

  // ---- refs ----

  private refJson(r: FakeRepo, name: string, sha: string): Record<string, unknown> {
    return {
      ref: `refs/heads/${name}`,
      node_id: `REF_${sha.slice(0, 12)}`,
      url: `${this.apiUrl}/repos/${r.owner}/${r.name}/git/refs/heads/${name}`,
      object: { sha, type: 'commit', url: `${this.apiUrl}/repos/${r.owner}/${r.name}/git/commits/${sha}` },
    };
  }

  private getRef(r: FakeRepo, branchName: string): Answer {
    const branch = r.branches.get(branchName);
    if (!branch) return notFound('git/refs#get-a-reference');
    return { status: 200, body: this.refJson(r, branchName, branch.sha) };
  }

  /**
   * Every ref whose name starts with `refs/{prefix}`, sorted by name as git sorts them, in one array:
   * GitHub ignores per_page here and sends no Link header. No match is an empty array, not a 404.
   */
  private matchingRefs(r: FakeRepo, prefix: string): Answer {
    const matching = [...r.branches.entries()]
      .filter(([name]) => `refs/heads/${name}`.startsWith(`refs/${prefix}`))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return { status: 200, body: matching.map(([name, branch]) => this.refJson(r, name, branch.sha)) };
  }

  private createRef(r: FakeRepo, body: Record<string, unknown>): Answer {
    const doc = 'git/refs#create-a-reference';
    const ref = str(body, 'ref');
    const sha = str(body, 'sha');
    if (ref === undefined) return error(422, 'Invalid request.\n\n"ref" wasn\'t supplied.', doc);
    if (sha === undefined) return error(422, 'Invalid request.\n\n"sha" wasn\'t supplied.', doc);
    if (!ref.startsWith('refs/') || ref.split('/').length < 3) {
      return error(422, "Reference name must start with 'refs/' and have at least two slashes.", doc);
    }
    if (!ref.startsWith('refs/heads/')) return error(422, 'Reference update failed', doc);
    const name = ref.slice('refs/heads/'.length);
    if (r.branches.has(name)) return error(422, 'Reference already exists', doc);
    const source = [...r.branches.values()].find((b) => b.sha === sha);
    if (!source) return error(422, 'Object does not exist', doc);
    r.branches.set(name, { sha, files: new Map(source.files) });
    return {
      status: 201,
      body: this.refJson(r, name, sha),
      headers: { location: `${this.apiUrl}/repos/${r.owner}/${r.name}/git/refs/heads/${name}` },
    };
  }

  /** 204 with no body; a ref that is not there is 422, as GitHub answers it. */
  private deleteRef(r: FakeRepo, refPath: string): Answer {
    const name = refPath.startsWith('heads/') ? refPath.slice('heads/'.length) : undefined;
    if (name === undefined || !r.branches.has(name)) {
      return error(422, 'Reference does not exist', 'git/refs#delete-a-reference');
    }
    r.branches.delete(name);
    // GitHub closes the open pull requests whose head branch is deleted.
    for (const pull of r.pulls) if (pull.head === name) pull.state = 'closed';
    return { status: 204 };
  }

  // ---- pull requests ----

  private createPull(r: FakeRepo, body: Record<string, unknown>): Answer {
    const doc = 'pulls/pulls#create-a-pull-request';
    const title = str(body, 'title');
    const headName = str(body, 'head');
    const baseName = str(body, 'base');
    if (headName === undefined) return error(422, 'Invalid request.\n\n"head" wasn\'t supplied.', doc);
    if (baseName === undefined) return error(422, 'Invalid request.\n\n"base" wasn\'t supplied.', doc);
    if (!title)
      return validationFailed(doc, [{ resource: 'PullRequest', code: 'missing_field', field: 'title' }]);
    // A head may be written owner:branch; the fake has no forks, so only this repository's owner.
    const head = headName.startsWith(`${r.owner}:`) ? headName.slice(r.owner.length + 1) : headName;
    const headBranch = r.branches.get(head);
    const baseBranch = r.branches.get(baseName);
    if (!headBranch)
      return validationFailed(doc, [{ resource: 'PullRequest', field: 'head', code: 'invalid' }]);
    if (!baseBranch)
      return validationFailed(doc, [{ resource: 'PullRequest', field: 'base', code: 'invalid' }]);
    if (headBranch.sha === baseBranch.sha) {
      return validationFailed(doc, [
        { resource: 'PullRequest', code: 'custom', message: `No commits between ${baseName} and ${head}` },
      ]);
    }
    if (r.pulls.some((p) => p.state === 'open' && p.head === head && p.base === baseName)) {
      return validationFailed(doc, [
        {
          resource: 'PullRequest',
          code: 'custom',
          message: `A pull request already exists for ${r.owner}:${head}.`,
        },
      ]);
    }
    const pull: FakePullRequest = {
      number: r.nextIssueNumber++,
      title,
      body: str(body, 'body') ?? null,
      head,
      base: baseName,
      draft: body.draft === true,
      state: 'open',
      files: [],
    };
    r.pulls.push(pull);
    const api = `${this.apiUrl}/repos/${r.owner}/${r.name}`;
    return {
      status: 201,
      headers: { location: `${api}/pulls/${pull.number}` },
      body: {
        id: 900_000 + pull.number,
        node_id: `PR_${pull.number}`,
        number: pull.number,
        state: 'open',
        locked: false,
        title: pull.title,
        body: pull.body,
        draft: pull.draft,
        merged: false,
        user: { login: this.login, id: 42, type: 'Bot' },
        url: `${api}/pulls/${pull.number}`,
        html_url: `${WEB}/${r.owner}/${r.name}/pull/${pull.number}`,
        issue_url: `${api}/issues/${pull.number}`,
        head: { ref: head, sha: headBranch.sha, label: `${r.owner}:${head}` },
        base: { ref: baseName, sha: baseBranch.sha, label: `${r.owner}:${baseName}` },
        created_at: this.now(),
        updated_at: this.now(),
      },
    };
  }

  // ---- issue comments ----

  private newComment(issueNumber: number, body: string, user: string): FakeComment {
    const at = this.now();
    return { id: this.nextCommentId++, body, user, issueNumber, createdAt: at, updatedAt: at };
  }

  private commentJson(r: FakeRepo, c: FakeComment): Record<string, unknown> {
    const api = `${this.apiUrl}/repos/${r.owner}/${r.name}`;
    return {
      id: c.id,
      node_id: `IC_${c.id}`,
      url: `${api}/issues/comments/${c.id}`,
      html_url: `${WEB}/${r.owner}/${r.name}/pull/${c.issueNumber}#issuecomment-${c.id}`,
      issue_url: `${api}/issues/${c.issueNumber}`,
      body: c.body,
      user: {
        login: c.user,
        id: c.user === this.login ? 42 : 7,
        type: c.user.endsWith('[bot]') ? 'Bot' : 'User',
      },
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      author_association: 'NONE',
    };
  }

  private issueExists(r: FakeRepo, issueNumber: number): boolean {
    return r.pulls.some((p) => p.number === issueNumber);
  }

  /** 422 for a comment body GitHub would refuse; undefined when fine. */
  private commentBodyProblem(body: unknown, doc: string): Answer | undefined {
    if (typeof body !== 'string' || body === '') {
      return validationFailed(doc, [{ resource: 'IssueComment', code: 'missing_field', field: 'body' }]);
    }
    if (body.length > COMMENT_BODY_LIMIT) {
      return validationFailed(doc, [
        {
          resource: 'IssueComment',
          code: 'custom',
          field: 'body',
          message: `body is too long (maximum is ${COMMENT_BODY_LIMIT} characters)`,
        },
      ]);
    }
    return undefined;
  }

  private listComments(r: FakeRepo, issueNumber: number, query: URLSearchParams): Answer {
    if (!this.issueExists(r, issueNumber)) return notFound('issues/comments#list-issue-comments');
    const all = r.comments.filter((c) => c.issueNumber === issueNumber);
    return this.paged(
      all.map((c) => this.commentJson(r, c)),
      query,
      `/repositories/${r.id}/issues/${issueNumber}/comments`,
    );
  }

  private listPullFiles(r: FakeRepo, pullNumber: number, query: URLSearchParams): Answer {
    const pull = r.pulls.find((p) => p.number === pullNumber);
    if (!pull) return notFound('pulls/pulls#list-pull-requests-files');
    const files = pull.files.map((f) => ({
      sha: blobSha(f.filename),
      filename: f.filename,
      status: f.status,
      additions: f.status === 'removed' ? 0 : 10,
      deletions: f.status === 'added' ? 0 : 2,
      changes: 12,
      blob_url: `${WEB}/${r.owner}/${r.name}/blob/${pull.head}/${f.filename}`,
    }));
    return this.paged(files, query, `/repositories/${r.id}/pulls/${pullNumber}/files`);
  }

  /**
   * One page of a list as GitHub pages it: `per_page` (default 30, at most 100) and `page`, with Link
   * headers that name the repository by id and only appear when there is more than one page.
   */
  private paged(items: Record<string, unknown>[], query: URLSearchParams, linkPath: string): Answer {
    const perPage = Math.min(
      MAX_PER_PAGE,
      Math.max(1, Number(query.get('per_page') ?? DEFAULT_PER_PAGE) || 1),
    );
    const page = Math.max(1, Number(query.get('page') ?? 1) || 1);
    const lastPage = Math.max(1, Math.ceil(items.length / perPage));
    const link = (p: number, rel: string) =>
      `<${this.apiUrl}${linkPath}?per_page=${perPage}&page=${p}>; rel="${rel}"`;
    const links: string[] = [];
    if (page > 1) links.push(link(page - 1, 'prev'));
    if (page < lastPage) links.push(link(page + 1, 'next'), link(lastPage, 'last'));
    if (page > 1) links.push(link(1, 'first'));
    return {
      status: 200,
      body: items.slice((page - 1) * perPage, page * perPage),
      headers: links.length > 0 ? { link: links.join(', ') } : {},
    };
  }

  private createComment(r: FakeRepo, issueNumber: number, body: Record<string, unknown>): Answer {
    const doc = 'issues/comments#create-an-issue-comment';
    if (!this.issueExists(r, issueNumber)) return notFound(doc);
    const problem = this.commentBodyProblem(body.body, doc);
    if (problem) return problem;
    const comment = this.newComment(issueNumber, String(body.body), this.login);
    r.comments.push(comment);
    const json = this.commentJson(r, comment);
    return { status: 201, body: json, headers: { location: String(json.url) } };
  }

  private updateComment(r: FakeRepo, id: number, body: Record<string, unknown>): Answer {
    const doc = 'issues/comments#update-an-issue-comment';
    const comment = r.comments.find((c) => c.id === id);
    if (!comment) return notFound(doc);
    const problem = this.commentBodyProblem(body.body, doc);
    if (problem) return problem;
    comment.body = String(body.body);
    comment.updatedAt = this.now();
    return { status: 200, body: this.commentJson(r, comment) };
  }

  // ---- plumbing ----

  private key(owner: string, repo: string): string {
    // GitHub matches owner and repository names without regard to case.
    return `${owner.toLowerCase()}/${repo.toLowerCase()}`;
  }

  private mustRepo(owner: string, repo: string): FakeRepo {
    const r = this.repos.get(this.key(owner, repo));
    if (!r) throw new Error(`the fake has no repository ${owner}/${repo}; seed it first`);
    return r;
  }

  /** A timestamp that moves a second per event, so created and updated times differ without a real clock. */
  private now(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
}

/** The token of an Authorization header (`token …` or `Bearer …`). */
function tokenOf(header: string | undefined): string | undefined {
  return header ? /^(?:token|bearer)\s+(\S+)$/i.exec(header)?.[1] : undefined;
}
