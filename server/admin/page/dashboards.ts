import { channelParam } from '../../reporting/drill.ts';
import type { AdminPageData } from '../admin-page-data.ts';
import { filtersOf } from '../page-query.ts';
import { barChart } from './charts.ts';
import { drillHref, drillLink } from './drill-links.ts';
import { dollars, html, numberOrDash, percent, type Html } from './html.ts';

/**
 * The dashboards: the filters, when the data was refreshed, the KPIs, and one panel per report with a
 * chart, its table and CSV links. Every figure is a link to the records behind it (the records page,
 * each record linked into HubSpot); a bar links to the records of its row.
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
    ${kpiPanel(data)} ${funnelPanel(data, query.funnel)} ${velocityPanel(data, query.funnel)} ${winRatePanel(data)}
    ${spendPanel(data)} ${cacPanel(data)} ${deliveryPanel(data)}
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
  const kpiLink = (kpi: string, key: string | undefined, measure: 'base' | 'counted', text: string) =>
    drillLink(data, 'kpis', { kpi, key, measure }, text, { filtered: false });
  const shares: { label: string; kpi: string; key?: string; value: number | null }[] = [
    ...Object.entries(k.completeness).map(([object, v]) => ({
      label: `Completeness: ${object}`,
      kpi: 'completeness',
      key: object,
      value: v,
    })),
    { label: 'Duplicate rate', kpi: 'duplicate_rate', value: k.duplicateRate },
    { label: 'Trackable touches', kpi: 'trackable_touch_share', value: k.trackableTouchShare },
    ...Object.entries(k.stageConversionIntegrity).map(([object, v]) => ({
      label: `Stage integrity: ${object}`,
      kpi: 'stage_conversion_integrity',
      key: object,
      value: v,
    })),
    ...Object.entries(k.slaCompliance).map(([sla, v]) => ({
      label: `SLA compliance: ${sla}`,
      kpi: 'sla_compliance',
      key: sla,
      value: v,
    })),
  ];
  return html`<article class="panel" id="kpis">
    <h3>Maturity KPIs</h3>
    <p class="note">
      Portal-wide (the filters do not narrow them), from the reporting model and the issue log's open findings; SLA
      compliance as of now.
    </p>
    ${barChart({
      id: 'chart-kpis',
      title: 'Maturity KPIs',
      max: 1,
      bars: shares.map((s) => ({
        label: s.label,
        value: s.value,
        text: percent(s.value),
        href: drillHref(data, 'kpis', { kpi: s.kpi, key: s.key, measure: 'base' }, { filtered: false }),
      })),
    })}
    <details>
      <summary>What each share counts</summary>
      <table id="kpi-table">
        <thead>
          <tr>
            <th>KPI</th>
            <th>Share</th>
            <th>Counted</th>
            <th>Of</th>
          </tr>
        </thead>
        <tbody>
          ${shares.map(
            (s) =>
              html`<tr>
                <td>${s.label}</td>
                <td>${percent(s.value)}</td>
                <td>${kpiLink(s.kpi, s.key, 'counted', 'records')}</td>
                <td>${kpiLink(s.kpi, s.key, 'base', 'records')}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </details>
    <details>
      <summary>Open findings by code (${String(Object.keys(k.findingsByCode).length)} codes)</summary>
      <table>
        <thead>
          <tr>
            <th>Code</th>
            <th>Open findings</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          ${Object.entries(k.findingsByCode).map(
            ([code, n]) =>
              html`<tr>
                <td>${code}</td>
                <td>
                  ${drillLink(data, 'kpis', { kpi: 'findings_by_code', key: code }, String(n), { filtered: false })}
                </td>
                <td><a href="?issueCode=${encodeURIComponent(code)}#issues">in the issue log</a></td>
              </tr>`,
          )}
        </tbody>
      </table>
    </details>
    <details>
      <summary>Open findings by record owner (${String(Object.keys(k.findingsByOwner).length)})</summary>
      <table>
        <thead>
          <tr>
            <th>Owner</th>
            <th>Open findings</th>
          </tr>
        </thead>
        <tbody>
          ${Object.entries(k.findingsByOwner).map(
            ([owner, n]) =>
              html`<tr>
                <td>${ownerName(data, owner)}</td>
                <td>
                  ${drillLink(data, 'kpis', { kpi: 'findings_by_owner', key: owner }, String(n), { filtered: false })}
                </td>
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

function ownerName(data: AdminPageData, id: string): string {
  if (id === 'unowned') return '(no owner)';
  const owner = data.owners.find((o) => o.id === id);
  return owner ? (owner.name ?? owner.email ?? id) : id;
}

function funnelPanel(data: AdminPageData, object: string): Html {
  const { overall, cohorts } = data.reports.funnel;
  const entered = (s: (typeof overall)[number], cohort?: string) =>
    drillLink(data, 'funnel', { stage: s.stage, cohort }, String(s.entered), { params: { object } });
  const row = (s: (typeof overall)[number], cohort?: string) =>
    html`<td>${s.stage}</td>
      <td>${entered(s, cohort)}</td>
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
        href: drillHref(data, 'funnel', { stage: s.stage }, { params: { object } }),
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
                  ${row(s, c.month)}
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
  const deals = (leadChannel: string | undefined, outcome: 'won' | 'lost', n: number) =>
    drillLink(data, 'win-rate', { leadChannel, outcome }, String(n));
  return html`<article class="panel" id="win-rate">
    <h3>Win rate</h3>
    <p class="headline">
      Overall ${percent(overall.winRate)}: ${deals(undefined, 'won', overall.won)} won,
      ${deals(undefined, 'lost', overall.lost)} lost.
    </p>
    ${barChart({
      id: 'chart-win-rate',
      title: 'Win rate by lead channel',
      max: 1,
      bars: byChannel.map((r) => ({
        label: r.leadChannel ?? '(no channel)',
        value: r.winRate,
        text: `${percent(r.winRate)} (${r.won}/${r.won + r.lost})`,
        href: drillHref(data, 'win-rate', { leadChannel: channelParam(r.leadChannel) }),
      })),
    })}
    <table id="win-rate-table">
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
          (r) =>
            html`<tr>
              <td>${r.leadChannel ?? '(no channel)'}</td>
              <td>${deals(channelParam(r.leadChannel), 'won', r.won)}</td>
              <td>${deals(channelParam(r.leadChannel), 'lost', r.lost)}</td>
              <td>${percent(r.winRate)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
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
  const label = data.definitions.document.attribution.models.find((m) => m.id === spend.model)?.label;
  const model = { model: spend.model };
  const coverage = spend.coverage;
  const credit = (measure: 'pipeline' | 'revenue' | 'won_deals', channel: string, figure: number) =>
    drillLink(
      data,
      'spend-efficiency',
      { measure, creditChannel: channel },
      measure === 'won_deals' ? String(figure) : dollars(figure),
      { params: model },
    );
  const covered = (kind: 'pipeline' | 'revenue', measure: 'credited' | 'covered', n: number) =>
    drillLink(data, 'spend-efficiency', { measure, kind }, String(n), { params: model });
  return html`<article class="panel" id="spend">
    <h3>Pipeline and revenue per $ of spend: ${label ?? spend.model}</h3>
    <p class="coverage" id="coverage">
      Coverage: ${percent(coverage.pipeline.share)} of credited deals
      (${covered('pipeline', 'covered', coverage.pipeline.covered)} of
      ${covered('pipeline', 'credited', coverage.pipeline.deals)}; ${percent(coverage.pipeline.amountShare)} of their
      amount) had a touch behind their pipeline credit; revenue: ${percent(coverage.revenue.share)}
      (${covered('revenue', 'covered', coverage.revenue.covered)} of
      ${covered('revenue', 'credited', coverage.revenue.deals)}; ${percent(coverage.revenue.amountShare)} of amount).
      The rest is credited to the unattributed channel, so read every ratio with this share in mind.
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
          href: drillHref(
            data,
            'spend-efficiency',
            { measure: 'pipeline', creditChannel: c.channel },
            { params: model },
          ),
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
          href: drillHref(
            data,
            'spend-efficiency',
            { measure: 'revenue', creditChannel: c.channel },
            { params: model },
          ),
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
              <td>${credit('pipeline', c.channel, c.pipelineCents)}</td>
              <td>${credit('revenue', c.channel, c.revenueCents)}</td>
              <td>${numberOrDash(c.pipelinePerDollar, 2)}</td>
              <td>${numberOrDash(c.revenuePerDollar, 2)}</td>
              <td>${credit('won_deals', c.channel, c.wonDeals)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${csvLinks(data, 'spend-efficiency', ['channels', 'coverage'], { model: spend.model })}
  </article>`;
}

function deliveryPanel(data: AdminPageData): Html {
  const rows = data.reports.delivery;
  const tickets = (channel: string | null, measure: string, n: number | string, reason?: string) =>
    drillLink(data, 'delivery-by-channel', { leadChannel: channelParam(channel), measure, reason }, String(n));
  return html`<article class="panel" id="delivery">
    <h3>Delivery outcomes by lead channel</h3>
    ${barChart({
      id: 'chart-delivery',
      title: 'Change-request rate by lead channel',
      max: 1,
      bars: rows.map((r) => ({
        label: r.leadChannel ?? '(no channel)',
        value: r.changeRequestRate,
        text: `${percent(r.changeRequestRate)} (${r.changeRequests}/${r.tickets})`,
        href: drillHref(data, 'delivery-by-channel', {
          leadChannel: channelParam(r.leadChannel),
          measure: 'change_requests',
        }),
      })),
    })}
    <table id="delivery-table">
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
          (r) =>
            html`<tr>
              <td>${r.leadChannel ?? '(no channel)'}</td>
              <td>${tickets(r.leadChannel, 'tickets', r.tickets)}</td>
              <td>${tickets(r.leadChannel, 'change_requests', r.changeRequests)}</td>
              <td>${percent(r.changeRequestRate)}</td>
              <td>
                ${
                  Object.keys(r.reasons).length === 0
                    ? '–'
                    : Object.entries(r.reasons).map(
                        ([reason, n], i) =>
                          html`${i > 0 ? ', ' : ''}${reason} (${tickets(r.leadChannel, 'change_requests', n, reason)})`,
                      )
                }
              </td>
              <td>
                ${
                  r.medianOnboardingDays === null
                    ? '–'
                    : tickets(r.leadChannel, 'onboarded', numberOrDash(r.medianOnboardingDays))
                }
              </td>
              <td>${tickets(r.leadChannel, 'sla_breaches', r.slaBreaches)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${csvLinks(data, 'delivery-by-channel', ['channels', 'reasons', 'tickets'])}
  </article>`;
}

function velocityPanel(data: AdminPageData, object: string): Html {
  const stages = data.reports.velocity.stages.filter((s, i, all) => i < all.length - 1);
  return html`<article class="panel" id="velocity">
    <h3>Velocity: ${object}</h3>
    <p class="note">
      Days from entering a stage to entering the next stage reached, over the records that moved on (same records as the
      funnel). Median and 75th percentile are moves one can find in the list behind each count.
    </p>
    ${barChart({
      id: 'chart-velocity',
      title: `Median days per stage, ${object}`,
      bars: stages.map((s) => ({
        label: s.stage,
        value: s.medianDays,
        text: `${numberOrDash(s.medianDays)} d · p75 ${numberOrDash(s.p75Days)} d`,
        href: drillHref(data, 'velocity', { stage: s.stage }, { params: { object } }),
      })),
    })}
    <table id="velocity-table">
      <thead>
        <tr>
          <th>Stage</th>
          <th>Moves</th>
          <th>Median days</th>
          <th>p75 days</th>
        </tr>
      </thead>
      <tbody>
        ${stages.map(
          (s) =>
            html`<tr>
              <td>${s.stage}</td>
              <td>${drillLink(data, 'velocity', { stage: s.stage }, String(s.moves), { params: { object } })}</td>
              <td>${numberOrDash(s.medianDays)}</td>
              <td>${numberOrDash(s.p75Days)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${csvLinks(data, 'velocity', ['stages'], { object })}
  </article>`;
}

function cacPanel(data: AdminPageData): Html {
  const { channels, months } = data.reports.cac;
  const deals = (
    channel: string | null,
    measure: 'won_deals' | 'new_customers',
    text: string | number,
    month?: string,
  ) => drillLink(data, 'cac-payback', { leadChannel: channelParam(channel), measure, month }, String(text));
  const paid = channels.filter((c) => c.spendCents > 0);
  return html`<article class="panel" id="cac">
    <h3>CAC payback inputs</h3>
    <p class="note">
      Per channel: ad spend, deals won and their amount, and new customers won (a customer's first won deal; a customer
      is the deal's company, or its contacts'). CAC = spend ÷ new customers; payback also needs your gross margin per
      customer. ICP tier, product line and owner narrow the deals, not the spend.
    </p>
    ${barChart({
      id: 'chart-cac',
      title: 'CAC by channel',
      bars: paid.map((c) => ({
        label: c.channel ?? '(no channel)',
        value: c.cacCents === null ? null : c.cacCents / 100,
        text:
          c.cacCents === null ? `no new customer for ${dollars(c.spendCents)}` : `${dollars(c.cacCents)} per customer`,
        href: drillHref(data, 'cac-payback', { leadChannel: channelParam(c.channel), measure: 'new_customers' }),
      })),
    })}
    <table id="cac-table">
      <thead>
        <tr>
          <th>Channel</th>
          <th>Spend</th>
          <th>Deals won</th>
          <th>Won amount</th>
          <th>Average won</th>
          <th>New customers</th>
          <th>CAC</th>
        </tr>
      </thead>
      <tbody>
        ${channels.map(
          (c) =>
            html`<tr>
              <td>${c.channel ?? '(no channel)'}</td>
              <td>${dollars(c.spendCents)}</td>
              <td>${deals(c.channel, 'won_deals', c.wonDeals)}</td>
              <td>${deals(c.channel, 'won_deals', dollars(c.wonAmountCents))}</td>
              <td>${c.averageWonAmountCents === null ? '–' : dollars(c.averageWonAmountCents)}</td>
              <td>${deals(c.channel, 'new_customers', c.newCustomers)}</td>
              <td>${c.cacCents === null ? '–' : dollars(c.cacCents)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    <details>
      <summary>By month (${String(new Set(months.map((m) => m.month)).size)} months)</summary>
      <table id="cac-months">
        <thead>
          <tr>
            <th>Month</th>
            <th>Channel</th>
            <th>Spend</th>
            <th>Deals won</th>
            <th>Won amount</th>
            <th>New customers</th>
          </tr>
        </thead>
        <tbody>
          ${months.map(
            (m) =>
              html`<tr>
                <td>${m.month}</td>
                <td>${m.channel ?? '(no channel)'}</td>
                <td>${dollars(m.spendCents)}</td>
                <td>${deals(m.channel, 'won_deals', m.wonDeals, m.month)}</td>
                <td>${dollars(m.wonAmountCents)}</td>
                <td>${deals(m.channel, 'new_customers', m.newCustomers, m.month)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </details>
    ${csvLinks(data, 'cac-payback', ['channels', 'months'])}
  </article>`;
}

export function formatTime(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
