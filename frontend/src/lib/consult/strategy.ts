// The strategy the consultation pages refer to: the one named by the query
// parameter "strategie", else the first one.
import { api, call, type Strategy } from '../api/client';

/** Loads the strategy for a consultation page, or null when there is none. */
export async function currentStrategy(search: string): Promise<Strategy | null> {
  const want = Number(new URLSearchParams(search).get('strategie'));
  if (want > 0) return call(api.GET('/api/strategies/{id}', { params: { path: { id: want } } }));
  const list = await call(api.GET('/api/strategies'));
  if (!list.length) return null;
  return call(api.GET('/api/strategies/{id}', { params: { path: { id: list[0].id } } }));
}
