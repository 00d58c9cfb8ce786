/**
 * HubSpot record ids are numeric strings; "lowest numeric id" (duplicate survivors, primary contacts,
 * a ticket's deal) compares them as numbers, so "999" comes before "1000". Ids that are not numeric
 * (never sent by HubSpot) sort after numeric ones, in plain string order, so the order stays total.
 */
const NUMERIC = /^\d+$/;

export function compareNumericIds(a: string, b: string): number {
  const aNumeric = NUMERIC.test(a);
  const bNumeric = NUMERIC.test(b);
  if (aNumeric && bNumeric) {
    const x = BigInt(a);
    const y = BigInt(b);
    if (x !== y) return x < y ? -1 : 1;
  } else if (aNumeric !== bNumeric) return aNumeric ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The lowest of some ids, or undefined when there are none. */
export function lowestNumericId(ids: Iterable<string>): string | undefined {
  let lowest: string | undefined;
  for (const id of ids) if (lowest === undefined || compareNumericIds(id, lowest) < 0) lowest = id;
  return lowest;
}
