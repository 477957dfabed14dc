// Timestamps on the wire: ISO 8601, or null. Raw SQL rows may carry them as strings, entities as Dates.
export const isoOrNull = (d: Date | string | null | undefined): string | null => (d ? new Date(d).toISOString() : null);
