// What one 837P export holds: a constant of its own, so the extension's pages use it without the schemas.

/**
 * The most claims one export holds. The file is stored whole in the export's row (the same bytes on
 * every download) and a D1 row holds at most 2 MB: a claim takes from ≈ 280 B of the file (one line,
 * one diagnosis: bench/claim-export.mjs) to about 1 KB (12 diagnoses, a subscriber who is not the
 * patient, long names), so 1,000 stay under the limit at the longest.
 */
export const MAX_CLAIMS_PER_EXPORT = 1000;
