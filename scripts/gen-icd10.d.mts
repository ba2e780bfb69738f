// Types for gen-icd10.mjs (used by vitest.config.ts and test/shared/icd10.test.ts).

export interface Icd10Row {
  code: string;
  billable: boolean;
  description: string;
}

export interface Icd10VersionRow {
  id: number;
  code: string;
  first_fy: number;
  last_fy: number;
  billable: boolean;
  manifestation: boolean;
  description: string;
}

export const DATA_DIR: string;
export const FTS_PREFIX: string;
export const MIGRATIONS: { file: string; years: number[]; ftsPrefix: string | undefined }[];
export const MANIFESTATION: RegExp;
export function fiscalYears(): number[];
export function readYear(fy: number): Icd10Row[];
export function manifestations(rows: Icd10Row[]): Set<string>;
export function versions(years: number[]): Icd10VersionRow[];
export function yearDigest(fy: number): {
  fy: number;
  rows: number;
  billable: number;
  manifestations: number;
  sha256: string;
};
export function render(years: number[], ftsPrefix?: string): string;
