// Typed access to the REST API under /api, generated from
// backend/httpapi/openapi.yaml (`npm run gen:api`). Every failed request
// becomes an ApiError carrying the server's German problem detail.
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type User = components['schemas']['User'];
export type Me = components['schemas']['Me'];
export type Session = components['schemas']['Session'];
export type Strategy = components['schemas']['Strategy'];
export type Topic = components['schemas']['Topic'];
export type Phase = components['schemas']['Phase'];
export type Organisation = components['schemas']['Organisation'];
export type SectionSummary = components['schemas']['SectionSummary'];
export type Section = components['schemas']['Section'];
export type Revision = components['schemas']['Revision'];
export type Problem = components['schemas']['Problem'];
export type Thread = components['schemas']['Thread'];
export type ThreadKind = components['schemas']['ThreadKind'];
export type ThreadStatus = components['schemas']['ThreadStatus'];
export type Comment = components['schemas']['Comment'];
export type CommentReport = components['schemas']['CommentReport'];
export type Statement = components['schemas']['Statement'];
export type Receipt = components['schemas']['Receipt'];
export type StatementStatus = components['schemas']['StatementStatus'];
export type Position = components['schemas']['Position'];
export type Notification = components['schemas']['Notification'];
export type Report = components['schemas']['Report'];
export type AuditEvent = components['schemas']['AuditEvent'];
export type LegalPage = components['schemas']['LegalPage'];
export type AuditActor = components['schemas']['AuditActor'];

/** A failed API request: status, problem code and the German detail for users. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly problem: Partial<Problem> | null,
  ) {
    super(detail);
  }
}

const listeners = new Set<(e: ApiError) => void>();

/** Calls fn for every 401, so the app can send the user to the login page. */
export function onUnauthorized(fn: (e: ApiError) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

const json: Middleware = {
  onRequest({ request }) {
    request.headers.set('Accept', 'application/json, application/problem+json');
    return request;
  },
};

/** The generated client; prefer the call helpers below in components. */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(json);

type Result<T> = { data?: T; error?: unknown; response: Response };

/** Unwraps an openapi-fetch result: data, or throws ApiError. */
export async function call<T>(p: Promise<Result<T>>): Promise<T> {
  let r: Result<T>;
  try {
    r = await p;
  } catch {
    throw new ApiError(0, 'network', '', null);
  }
  if (r.response.ok) return r.data as T;
  const prob = (r.error && typeof r.error === 'object' ? r.error : null) as Partial<Problem> | null;
  const err = new ApiError(r.response.status, prob?.code ?? String(r.response.status), prob?.detail ?? '', prob);
  if (r.response.status === 401) for (const fn of listeners) fn(err);
  throw err;
}
