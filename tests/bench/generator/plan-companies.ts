import { domainVariant } from './field-values.ts';
import type { CompanyPlan } from './plan.ts';
import { DAY, HOUR } from './plan.ts';
import { COMPANIES_PER_CONTACT, COMPANIES_PER_FULL_BLOCK, floorToDay } from './plan-context.ts';
import type { BlockIds, PlanContext } from './plan-context.ts';
import type { Rng } from './random.ts';
import { COMPANY_BRANDS } from './vocabulary.ts';

/** Companies of one block; about one in twenty is a second record of an earlier company of the block. */
export function planCompanies(
  rng: Rng,
  ctx: PlanContext,
  b: number,
  contactsInBlock: number,
  ids: BlockIds,
): CompanyPlan[] {
  const count = Math.max(1, Math.round(contactsInBlock * COMPANIES_PER_CONTACT));
  const companies: CompanyPlan[] = [];
  for (let j = 0; j < count; j++) {
    const createdAt = floorToDay(ctx.now - rng.int(30, 700) * DAY);
    const updatedAt = Math.min(ctx.now - HOUR, createdAt + rng.int(0, 90) * DAY);
    const original = j > 0 && rng.chance(0.05) ? rng.pick(companies) : undefined;
    if (original) {
      companies.push({
        id: ids.company(j),
        createdAt,
        updatedAt,
        name: original.name,
        domain: domainVariant(rng, original.domain),
      });
      continue;
    }
    const n = b * COMPANIES_PER_FULL_BLOCK + j;
    const brand = COMPANY_BRANDS[n % COMPANY_BRANDS.length] ?? 'acme';
    companies.push({
      id: ids.company(j),
      createdAt,
      updatedAt,
      name: `${brand.charAt(0).toUpperCase()}${brand.slice(1)}${n} Ltd`,
      domain: `${brand}${n}.example.com`,
    });
  }
  return companies;
}
