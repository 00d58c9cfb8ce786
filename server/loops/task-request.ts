import type { DigestTaskPlan } from '../domain/metrics/index.ts';
import type { CrmObject } from '../domain/policy/index.ts';

/**
 * A digest task as HubSpot's create request (`POST /crm/v3/objects/tasks`): the task's properties and
 * its associations to the records with the oldest findings.
 */

/**
 * HubSpot's default (HUBSPOT_DEFINED) association types from a task, as the SDK's `AssociationTypes`
 * enum lists them (taskToContact 204, taskToCompany 192, taskToDeal 216, taskToTicket 230) and the
 * tasks guide uses them.
 */
export const TASK_ASSOCIATION_TYPE: Readonly<Record<CrmObject, number>> = {
  contact: 204,
  company: 192,
  deal: 216,
  ticket: 230,
};

/** HubSpot's object type ids, for links to a record's page. */
const OBJECT_TYPE_ID: Readonly<Record<CrmObject, string>> = {
  contact: '0-1',
  company: '0-2',
  deal: '0-3',
  ticket: '0-5',
};

export type TaskCreateRequest = {
  properties: Record<string, string>;
  associations: {
    to: { id: string };
    types: { associationCategory: 'HUBSPOT_DEFINED'; associationTypeId: number }[];
  }[];
};

/**
 * The task's title. Unique per owner and week, since the week is in it: a run that lost HubSpot's
 * answer finds its task again by owner and subject.
 */
export function taskSubject(week: string, plan: Pick<DigestTaskPlan, 'findings'>): string {
  return `Closed Loop digest ${week}: ${plan.findings} data issue${plan.findings === 1 ? '' : 's'} older than a week on your records`;
}

export function taskCreateRequest(portalId: number, week: string, plan: DigestTaskPlan): TaskCreateRequest {
  return {
    properties: {
      hs_task_subject: taskSubject(week, plan),
      hs_task_body: taskBody(portalId, plan),
      hs_timestamp: new Date(plan.dueAt).toISOString(),
      hubspot_owner_id: plan.ownerId,
      hs_task_status: 'NOT_STARTED',
      hs_task_priority: plan.priority,
      hs_task_type: 'TODO',
    },
    associations: plan.records.map((r) => ({
      to: { id: String(r.objectId) },
      types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: TASK_ASSOCIATION_TYPE[r.objectType] }],
    })),
  };
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The task's notes (HubSpot renders them as rich text): the old findings by code, then the records. */
function taskBody(portalId: number, plan: DigestTaskPlan): string {
  const codes = plan.byCode.map((c) => `<li>${escapeHtml(c.code)}: ${c.findings}</li>`).join('');
  const records = plan.records
    .map((r) => {
      const url = `https://app.hubspot.com/contacts/${portalId}/record/${OBJECT_TYPE_ID[r.objectType]}/${r.objectId}`;
      return `<li><a href="${url}">${r.objectType} ${r.objectId}</a>: ${escapeHtml(r.codes.join(', '))} (${r.ageDays} days)</li>`;
    })
    .join('');
  const more = plan.findings > plan.records.reduce((n, r) => n + r.codes.length, 0);
  return [
    `<p>${plan.findings} open data issue${plan.findings === 1 ? ' has' : 's have'} been on your records for a week or more.</p>`,
    `<p>By check:</p><ul>${codes}</ul>`,
    `<p>Oldest first:</p><ul>${records}</ul>`,
    more ? '<p>The rest are in the Closed Loop issue log, filtered by owner.</p>' : '',
  ].join('');
}
