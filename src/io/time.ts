/** Milliseconds in a UTC calendar day (every timestamp in retail-intel is a UTC instant or a naive local time stored as UTC). */
export const MS_PER_DAY = 86_400_000;
