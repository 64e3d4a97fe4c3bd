/**
 * The rota's rules. Every tier manager does one QA activity in each active month,
 * alternating practice review → practice observation → thematic review. A manager's
 * place in that rotation is an offset: kind = (offset + active month index) mod 3, so
 * the alternation carries on across paused months and across years.
 */
export const QA_KINDS = ['practice_review', 'practice_observation', 'thematic_review'] as const;
export type QaKind = (typeof QA_KINDS)[number];

export const kindLabels: Record<QaKind, string> = {
  practice_review: 'Practice review',
  practice_observation: 'Practice observation',
  thematic_review: 'Thematic review',
};

/** Short names people type in a CSV or a command. */
const kindAliases: Record<string, QaKind> = {
  practice_review: 'practice_review',
  review: 'practice_review',
  'practice review': 'practice_review',
  practice_observation: 'practice_observation',
  observation: 'practice_observation',
  'practice observation': 'practice_observation',
  thematic_review: 'thematic_review',
  thematic: 'thematic_review',
  'thematic review': 'thematic_review',
};

export function parseKind(text: string): QaKind | undefined {
  return kindAliases[text.trim().toLowerCase().replace(/-/g, '_')] ?? kindAliases[text.trim().toLowerCase()];
}

/** Tiers whose holders are on the rota. Independent Chairs observe and oversee but have no monthly activity. */
export const MANAGER_TIERS = ['director', 'head_of_service', 'service_manager', 'team_manager'] as const;
export const ALL_TIERS = [...MANAGER_TIERS, 'independent_chair', 'practitioner', 'qa_service'] as const;
export type Tier = (typeof ALL_TIERS)[number];

export const isTier = (value: string): value is Tier => (ALL_TIERS as readonly string[]).includes(value);
export const isManagerTier = (value: string): boolean => (MANAGER_TIERS as readonly string[]).includes(value);

const mod3 = (n: number): number => ((n % 3) + 3) % 3;

export const kindAt = (offset: number, activeIndex: number): QaKind => QA_KINDS[mod3(offset + activeIndex)] as QaKind;

export const offsetFor = (kind: QaKind, activeIndex: number): number => mod3(QA_KINDS.indexOf(kind) - activeIndex);

export interface Newcomer {
  staffId: string;
  service: string;
  email: string;
  /** The kind they must start with, if the pre-agreed rota says so. */
  startKind?: QaKind | undefined;
}

/**
 * Places newcomers in the rotation so that, in their service, the month's kinds stay
 * as even as they can be. People already on the rota keep their place. Because
 * everyone moves on one kind each active month, a month that is even stays even.
 */
export function placeNewcomers(
  newcomers: readonly Newcomer[],
  existing: readonly { service: string; offset: number }[],
  activeIndex: number,
): Map<string, number> {
  const counts = new Map<string, number[]>();
  const countsFor = (service: string): number[] => {
    let found = counts.get(service);
    if (found === undefined) {
      found = [0, 0, 0];
      counts.set(service, found);
    }
    return found;
  };
  for (const member of existing) countsFor(member.service)[mod3(member.offset + activeIndex)]! += 1;
  const placed = new Map<string, number>();
  for (const person of newcomers) {
    if (person.startKind === undefined) continue;
    placed.set(person.staffId, offsetFor(person.startKind, activeIndex));
    countsFor(person.service)[QA_KINDS.indexOf(person.startKind)]! += 1;
  }
  const rest = newcomers.filter((person) => person.startKind === undefined).sort((a, b) => a.email.localeCompare(b.email));
  for (const person of rest) {
    const serviceCounts = countsFor(person.service);
    const fewest = serviceCounts.indexOf(Math.min(...serviceCounts));
    serviceCounts[fewest]! += 1;
    placed.set(person.staffId, mod3(fewest - activeIndex));
  }
  return placed;
}
