import type { AdminPageData } from '../admin-page-data.ts';
import { filtersOf } from '../page-query.ts';
import { barChart } from './charts.ts';
import { dollars, html, numberOrDash, percent, type Html } from './html.ts';

/**
 * The dashboards: the filters, when the data was refreshed, the KPIs, and one panel per report with a
 * chart, its table, CSV links, and its records behind every count that has them (links into HubSpot).
 */
export function dashboardsSection(data: AdminPageData): Html {
  const { query, refresh } = data;
  return html`<section id="dashboards">
    <h2>Dashboards</h2>
    ${filtersForm(data)}
    <p class="refreshed" id="last-refreshed">
      ${
        refresh
          ? html`Last refreshed
              <time datetime="${refresh.refreshedAt.toISOString()}">${formatTime(refresh.refreshedAt)}</time>
              (definitions version ${refresh.definitionsVersion}, ${refresh.records} records).`
          : 'Not refreshed yet: the reports fill in after the first full sync and evaluation.'
      }
    </p>
    ${kpiPanel(data)} ${funnelPanel(data, query.funnel)} ${winRatePanel(data)} ${spendPanel(data)}
    ${deliveryPanel(data)}
  </section>`;
}

function filtersForm(data: AdminPageData): Html {
  const { query, definitions, owners } = data;
  const picklist = (name: string) => definitions.document.picklists.find((p) => p.name === name)?.options ?? [];
  const select = (name: string, label: string, options: { value: string; label: string }[], current?: string) =>
    html`<label
      >${label}
      <select name="${name}">
        <option value="">All</option>
        ${options.map(
          (o) => html`<option value="${o.value}" ${o.value === current ? html` selected` : ''}>${o.label}</option>`,
        )}
      </select></label
    >`;
  return html`<form class="filters" method="get" action="#dashboards" id="report-filters">
    <label>From <input type="date" name="from" value="${query.from ?? ''}" /></label>
    <label>To <input type="date" name="to" value="${query.to ?? ''}" /></label>
    ${select('channel', 'Channel', picklist('channel'), query.channel)}
    ${select('icpTier', 'ICP tier', picklist('icp_tier'), query.icpTier)}
    ${select('productLine', 'Product line', picklist('product_line'), query.productLine)}
    ${select(
      'ownerId',
      'Owner',
      owners.map((o) => ({ value: o.id, label: `${o.name ?? o.email ?? o.id}${o.archived ? ' (archived)' : ''}` })),
      query.ownerId,
    )}
    ${select(
      'model',
      'Attribution model',
      definitions.document.attribution.models.map((m) => ({ value: m.id, label: m.label })),
      query.model,
    )}
    ${select(
      'funnel',
      'Funnel of',
      [
        { value: 'deals', label: 'Deals' },
        { value: 'contacts', label: 'Contacts' },
        { value: 'tickets', label: 'Tickets' },
      ],
      query.funnel,
    )}
    <button type="submit">Apply</button> <a href="?#dashboards">Reset</a>
  </form>`;
}

function csvLinks(
  data: AdminPageData,
  report: string,
  tables: string[],
  extra: Record<string, string> = {},
  filtered = true,
): Html {
  const params = new URLSearchParams({
    ...(filtered ? (filtersOf(data.query) as Record<string, string>) : {}),
    ...extra,
  });
  return html`<p class="csv">
    CSV:
    ${tables.map((table, i) => {
      const q = new URLSearchParams(params);
      q.set('format', 'csv');
      q.set('table', table);
      return html`${i > 0 ? ' · ' : ''}<a
          href="/api/portals/${String(data.portal.portalId)}/reports/${report}?${q.toString()}"
          download
          >${table}</a
        >`;
    })}
  </p>`;
}

function kpiPanel(data: AdminPageData): Html {
  const k = data.reports.kpis;
  const shares = [
    ...Object.entries(k.completeness).map(([object, v]) => ({ label: `Completeness: ${object}`, value: v })),
    { label: 'Duplicate rate', value: k.duplicateRate },
    { label: 'Trackable touches', value: k.trackableTouchShare },
    ...Object.entries(k.stageConversionIntegrity).map(([object, v]) => ({
      label: `Stage integrity: ${object}`,
      value: v,
    })),
    ...Object.entries(k.slaCompliance).map(([sla, v]) => ({ label: `SLA compliance: ${sla}`, value: v })),
  ];
  return html`<article class="panel" id="kpis">
    <h3>Maturity KPIs</h3>
    <p class="note">Portal-wide (the filters do not narrow them), from the issue log's open findings.</p>
    ${barChart({
      id: 'chart-kpis',
      title: 'Maturity KPIs',
      max: 1,
      bars: shares.map((s) => ({ label: s.label, value: s.value, text: percent(s.value), href: undefined })),
    })}
    <details>
      <summary>Open findings by code (${String(Object.keys(k.findingsByCode).length)} codes)</summary>
      <table>
        <thead>
          <tr>
            <th>Code</th>
            <th>Open findings</th>
          </tr>
        </thead>
        <tbody>
          ${Object.entries(k.findingsByCode).map(
            ([code, n]) =>
              html`<tr>
                <td>${code}</td>
                <td><a href="?issueCode=${encodeURIComponent(code)}#issues">${String(n)}</a></td>
              </tr>`,
          )}
        </tbody>
      </table>
    </details>
    <p class="note">
      Action Rate and Decision SLA: <a href="#decision-kpis">${percent(data.decisions.kpis.actionRate.rate)}</a> and
      <a href="#decision-kpis">${percent(data.decisions.kpis.decisionSla.rate)}</a> (decision log).
    </p>
    ${csvLinks(data, 'kpis', ['kpis'], {}, false)}
  </article>`;
}

function funnelPanel(data: AdminPageData, object: string): Html {
  const { overall, cohorts } = data.reports.funnel;
  const row = (s: (typeof overall)[number]) =>
    html`<td>${s.stage}</td>
      <td>${String(s.entered)}</td>
      <td>${percent(s.nextStepConversion)}</td>
      <td>${percent(s.cumulativeConversion)}</td>
      <td>${numberOrDash(s.medianDays)}</td>
      <td>${numberOrDash(s.p75Days)}</td>`;
  const head = html`<th>Stage</th>
    <th>Entered</th>
    <th>Next step</th>
    <th>Cumulative</th>
    <th>Median days</th>
    <th>p75 days</th>`;
  return html`<article class="panel" id="funnel">
    <h3>Funnel and velocity: ${object}</h3>
    ${barChart({
      id: 'chart-funnel',
      title: `Funnel of ${object}`,
      bars: overall.map((s) => ({
        label: s.stage,
        value: s.entered,
        text: `${s.entered} · ${percent(s.cumulativeConversion)} of first`,
      })),
    })}
    <table>
      <thead>
        <tr>
          ${head}
        </tr>
      </thead>
      <tbody>
        ${overall.map(
          (s) =>
            html`<tr>
              ${row(s)}
            </tr>`,
        )}
      </tbody>
    </table>
    <details>
      <summary>Cohorts by month of entry (${String(cohorts.length)})</summary>
      <table>
        <thead>
          <tr>
            <th>Cohort</th>
            ${head}
          </tr>
        </thead>
        <tbody>
          ${cohorts.flatMap((c) =>
            c.stages.map(
              (s) =>
                html`<tr>
                  <td>${c.month}</td>
                  ${row(s)}
                </tr>`,
            ),
          )}
        </tbody>
      </table>
    </details>
    ${csvLinks(data, 'funnel', ['stages', 'cohorts'], { object })}
  </article>`;
}

function winRatePanel(data: AdminPageData): Html {
  const { overall, byChannel } = data.reports.winRate;
  return html`<article class="panel" id="win-rate">
    <h3>Win rate</h3>
    <p class="headline">
      Overall ${percent(overall.winRate)}: ${String(overall.won)} won, ${String(overall.lost)} lost.
    </p>
    ${barChart({
      id: 'chart-win-rate',
      title: 'Win rate by lead channel',
      max: 1,
      bars: byChannel.map((r, i) => ({
        label: r.leadChannel ?? '(no channel)',
        value: r.winRate,
        text: `${percent(r.winRate)} (${r.won}/${r.won + r.lost})`,
        href: `#drill-win-${i}`,
      })),
    })}
    <table>
      <thead>
        <tr>
          <th>Lead channel</th>
          <th>Won</th>
          <th>Lost</th>
          <th>Win rate</th>
        </tr>
      </thead>
      <tbody>
        ${byChannel.map(
          (r, i) =>
            html`<tr>
              <td>${r.leadChannel ?? '(no channel)'}</td>
              <td><a href="#drill-win-${String(i)}">${String(r.won)}</a></td>
              <td><a href="#drill-win-${String(i)}">${String(r.lost)}</a></td>
              <td>${percent(r.winRate)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${byChannel.map(
      (r, i) =>
        html`<details class="drill" id="drill-win-${String(i)}">
          <summary>Deals closed, ${r.leadChannel ?? '(no channel)'}</summary>
          <ul>
            ${r.deals.map((d) => html`<li><a href="${d.url}" target="_blank" rel="noopener">Deal ${String(d.id)}</a> ${d.stage}</li>`)}
          </ul>
        </details>`,
    )}
    ${csvLinks(data, 'win-rate', ['channels', 'deals'])}
  </article>`;
}

function spendPanel(data: AdminPageData): Html {
  const spend = data.reports.spend;
  if ('error' in spend)
    return html`<article class="panel" id="spend">
      <h3>Pipeline per $ of spend</h3>
      <p class="error">${spend.error}</p>
    </article>`;
  const model = data.definitions.document.attribution.models.find((m) => m.id === spend.model);
  const coverage = spend.coverage;
  return html`<article class="panel" id="spend">
    <h3>Pipeline and revenue per $ of spend: ${model?.label ?? spend.model}</h3>
    <p class="coverage" id="coverage">
      Coverage: ${percent(coverage.pipeline.share)} of credited deals (${percent(coverage.pipeline.amountShare)} of
      their amount) had a touch behind their pipeline credit; revenue: ${percent(coverage.revenue.share)}
      (${percent(coverage.revenue.amountShare)} of amount). The rest is credited to the unattributed channel, so read
      every ratio with this share in mind.
    </p>
    ${barChart({
      id: 'chart-pipeline-per-dollar',
      title: 'Pipeline per $ of spend',
      bars: spend.channels
        .filter((c) => c.spendCents > 0)
        .map((c) => ({
          label: c.channel,
          value: c.pipelinePerDollar,
          text: `${numberOrDash(c.pipelinePerDollar, 2)} per $`,
        })),
    })}
    ${barChart({
      id: 'chart-revenue-per-dollar',
      title: 'Revenue per $ of spend',
      bars: spend.channels
        .filter((c) => c.spendCents > 0)
        .map((c) => ({
          label: c.channel,
          value: c.revenuePerDollar,
          text: `${numberOrDash(c.revenuePerDollar, 2)} per $`,
        })),
    })}
    <table>
      <thead>
        <tr>
          <th>Channel</th>
          <th>Spend</th>
          <th>Pipeline credit</th>
          <th>Revenue credit</th>
          <th>Pipeline per $</th>
          <th>Revenue per $</th>
          <th>Won deals</th>
        </tr>
      </thead>
      <tbody>
        ${spend.channels.map(
          (c) =>
            html`<tr>
              <td>${c.channel}</td>
              <td>${dollars(c.spendCents)}</td>
              <td>${dollars(c.pipelineCents)}</td>
              <td>${dollars(c.revenueCents)}</td>
              <td>${numberOrDash(c.pipelinePerDollar, 2)}</td>
              <td>${numberOrDash(c.revenuePerDollar, 2)}</td>
              <td>${String(c.wonDeals)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${csvLinks(data, 'spend-efficiency', ['channels', 'coverage'], { model: spend.model })}
  </article>`;
}

function deliveryPanel(data: AdminPageData): Html {
  const rows = data.reports.delivery;
  return html`<article class="panel" id="delivery">
    <h3>Delivery outcomes by lead channel</h3>
    ${barChart({
      id: 'chart-delivery',
      title: 'Change-request rate by lead channel',
      max: 1,
      bars: rows.map((r, i) => ({
        label: r.leadChannel ?? '(no channel)',
        value: r.changeRequestRate,
        text: `${percent(r.changeRequestRate)} (${r.changeRequests}/${r.tickets})`,
        href: `#drill-delivery-${i}`,
      })),
    })}
    <table>
      <thead>
        <tr>
          <th>Lead channel</th>
          <th>Tickets</th>
          <th>Change requests</th>
          <th>Rate</th>
          <th>Reasons</th>
          <th>Median onboarding days</th>
          <th>SLA breaches</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (r, i) =>
            html`<tr>
              <td>${r.leadChannel ?? '(no channel)'}</td>
              <td><a href="#drill-delivery-${String(i)}">${String(r.tickets)}</a></td>
              <td>${String(r.changeRequests)}</td>
              <td>${percent(r.changeRequestRate)}</td>
              <td>
                ${
                  Object.entries(r.reasons)
                    .map(([reason, n]) => `${reason} (${n})`)
                    .join(', ') || '–'
                }
              </td>
              <td>${numberOrDash(r.medianOnboardingDays)}</td>
              <td>${String(r.slaBreaches)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${rows.map(
      (r, i) =>
        html`<details class="drill" id="drill-delivery-${String(i)}">
          <summary>Tickets, ${r.leadChannel ?? '(no channel)'}</summary>
          <ul>
            ${r.records.map((t) => html`<li><a href="${t.url}" target="_blank" rel="noopener">Ticket ${String(t.id)}</a></li>`)}
          </ul>
        </details>`,
    )}
    ${csvLinks(data, 'delivery-by-channel', ['channels', 'reasons', 'tickets'])}
  </article>`;
}

export function formatTime(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
