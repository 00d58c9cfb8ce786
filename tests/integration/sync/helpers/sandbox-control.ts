import type { Sandbox } from '../../../../server/sandbox/server.ts';

type Type = 'contacts' | 'companies' | 'deals' | 'tickets';

/**
 * People's changes in the sandbox portal through its control API (`/__sandbox`, attributed to a user
 * in HubSpot's UI): what the sync has to notice.
 */
export function sandboxControl(sandbox: Sandbox) {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${sandbox.url}/__sandbox${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (response.status === 204 ? undefined : await response.json()) as T;
  };
  return {
    edit: (type: Type, id: string, properties: Record<string, string>) =>
      call<{ changed: string[] }>('POST', `/objects/${type}/${id}`, { properties }),
    /** Many edits in one request; with the sandbox clock frozen they share one last-modified instant. */
    editMany: (type: Type, inputs: { id: string; properties: Record<string, string> }[]) =>
      call<{ inputs: number; changed: number }>('POST', `/objects/${type}/batch`, { inputs }),
    remove: (type: Type, id: string) => call<void>('DELETE', `/objects/${type}/${id}`),
    /** A user's restore from the recycle bin. */
    restore: (type: Type, id: string) =>
      call<{ id: string; restored: boolean }>('POST', `/objects/${type}/${id}/restore`, {}),
    merge: (type: Type, primaryObjectId: string, objectIdToMerge: string) =>
      call<{ id: string; mergedObjectIds: string[] }>('POST', `/objects/${type}/merge`, {
        primaryObjectId,
        objectIdToMerge,
      }),
    addEvents: (events: unknown[]) => call<{ added: number }>('POST', '/events', { events }),
    /** A user added or changed in the portal's settings; `archived: true` is a deactivated user. */
    putOwner: (owner: { id: string; email: string; firstName?: string; lastName?: string; archived?: boolean }) =>
      call<unknown>('PUT', `/owners/${owner.id}`, owner),
    putPipeline: (type: 'deals' | 'tickets', pipeline: { id: string; [key: string]: unknown }) =>
      call<unknown>('PUT', `/pipelines/${type}/${pipeline.id}`, pipeline),
    clock: (body: { freeze?: boolean; advanceMs?: number }) => call<{ nowMs: number }>('POST', '/clock', body),
  };
}
