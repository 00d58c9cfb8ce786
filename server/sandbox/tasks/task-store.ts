import type { CrmObjectType } from '../contracts.ts';
import type { PortalStore } from '../store.ts';

/**
 * The portal's tasks (CRM activities): kept beside the portal store rather than in it, since tasks
 * are not among the four record types the fixture, the sync and the webhooks deal in. Tasks are not
 * exported with the fixture. Ids come from their own counter (HubSpot's engagement ids are an id space
 * of their own; the starting number is arbitrary).
 */
export type TaskAssociation = { toType: CrmObjectType; toId: string; typeId: number };

export type StoredTask = {
  id: string;
  createdAt: number;
  updatedAt: number;
  properties: Map<string, string>;
  associations: TaskAssociation[];
};

const FIRST_TASK_ID = 90_000_000_001;

export class TaskStore {
  readonly byId = new Map<string, StoredTask>();
  private nextId = FIRST_TASK_ID;

  create(values: Record<string, string>, associations: TaskAssociation[], at: number): StoredTask {
    const id = String(this.nextId++);
    const properties = new Map(Object.entries(values).filter(([, v]) => v !== ''));
    properties.set('hs_object_id', id);
    properties.set('hs_createdate', new Date(at).toISOString());
    properties.set('hs_lastmodifieddate', new Date(at).toISOString());
    const task: StoredTask = { id, createdAt: at, updatedAt: at, properties, associations };
    this.byId.set(id, task);
    return task;
  }

  /** Up to `limit` tasks with id ≥ `from`, in id order; `next` is the following page's cursor. */
  page(from: number, limit: number): { items: StoredTask[]; next?: string } {
    const ids = [...this.byId.keys()].map(Number).filter((id) => id >= from);
    ids.sort((a, b) => a - b);
    const items = ids.slice(0, limit).map((id) => this.byId.get(String(id))!);
    return ids.length > limit ? { items, next: String(ids[limit]!) } : { items };
  }

  all(): StoredTask[] {
    return [...this.byId.values()].sort((a, b) => Number(a.id) - Number(b.id));
  }
}

const stores = new WeakMap<PortalStore, TaskStore>();

/** The tasks of a portal (created empty on first use). */
export function tasksOf(store: PortalStore): TaskStore {
  let tasks = stores.get(store);
  if (!tasks) {
    tasks = new TaskStore();
    stores.set(store, tasks);
  }
  return tasks;
}
