// Types for demo-tax-id.mjs (the demo seed's sealed tax id; checked by the Worker tests).
export const DEMO_PROVIDER_ID: string;
export const DEMO_EIN: string;
export function sealTaxId(notesKey: string, providerId: string, digits: string): Promise<string>;
export function demoTaxIdSql(notesKey: string): Promise<string>;
