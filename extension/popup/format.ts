// Names as the popup writes them. Dates and times are formatted by shared/time/zones.ts, for the
// popup and the Worker alike.

export const fullName = (c: { firstName: string; lastName: string }) => `${c.firstName} ${c.lastName}`;
