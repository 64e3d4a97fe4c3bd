/** How dates read on cards: "November 2026", "Monday 30 November". */
const monthFormat = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const dayFormat = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' });

export const monthLabel = (month: string): string => monthFormat.format(new Date(`${month}-01T12:00:00Z`));
export const dayLabel = (date: string): string => dayFormat.format(new Date(`${date}T12:00:00Z`));

/** The name a card greets someone by: the first word of their name. */
export const firstNameOf = (name: string): string => name.trim().split(/\s+/)[0] ?? name;
