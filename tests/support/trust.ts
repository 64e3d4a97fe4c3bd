import type { TeamsMember } from './connector-stand-in';
import { TENANT_ID } from './teams-client';

/**
 * A small fictional trust for tests: a director, a QA manager, and two services each
 * with a head of service, two service managers and three team managers. Every person
 * has a Teams identity so the bot can reach and recognise them.
 */
export interface TrustPerson extends TeamsMember {
  tier: string;
  service: string;
  team: string;
  lineManager: string | null;
  roles: string;
}

const guid = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function person(n: number, name: string, tier: string, service: string, team: string, lineManager: string | null, roles = ''): TrustPerson {
  const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@trust.example.org`;
  const aadObjectId = guid(n);
  return { id: `29:${aadObjectId}`, aadObjectId, name, email, userPrincipalName: email, tenantId: TENANT_ID, tier, service, team, lineManager, roles };
}

/**
 * The trust, optionally with one practitioner in each team-managed team (line-managed by
 * that team's manager): the people whose work practice reviews look at; and then an
 * Independent Chair too.
 */
export function smallTrust(options: { practitioners?: boolean } = {}): TrustPerson[] {
  const people = smallTrustManagers();
  if (options.practitioners !== true) return people;
  let n = 100;
  const director = people.find((p) => p.tier === 'director')!;
  people.push(person(n++, 'Iris Chair', 'independent_chair', 'Safeguarding', 'Safeguarding Unit', director.email, 'independent_chair'));
  for (const manager of people.filter((p) => p.tier === 'team_manager')) {
    people.push(person(n++, `${manager.service} Practitioner ${manager.team.replace('Team ', '')}`, 'practitioner', manager.service, manager.team, manager.email));
  }
  return people;
}

function smallTrustManagers(): TrustPerson[] {
  const director = person(1, 'Dana Director', 'director', 'Children and Families', 'Leadership', null);
  const qa = person(2, 'Quinn Assurance', 'qa_service', 'Quality Assurance', 'QA Service', director.email, 'qa_manager;moderator');
  const people = [director, qa];
  let n = 10;
  for (const service of ['Safeguarding', 'Children in Care']) {
    const head = person(n++, `${service} Head`, 'head_of_service', service, 'Leadership', director.email);
    people.push(head);
    for (const sm of [1, 2]) {
      const serviceManager = person(n++, `${service} Service Manager ${sm}`, 'service_manager', service, `Area ${sm}`, head.email);
      people.push(serviceManager);
      if (sm === 1) for (const tm of [1, 2, 3]) people.push(person(n++, `${service} Team Manager ${tm}`, 'team_manager', service, `Team ${tm}`, serviceManager.email));
    }
  }
  return people;
}

export function rotaCsv(people: readonly TrustPerson[]): string {
  const lines = ['email,name,tier,service,team,line_manager_email,roles,aad_object_id'];
  for (const p of people) lines.push([p.email, p.name, p.tier, p.service, p.team, p.lineManager ?? '', p.roles, p.aadObjectId].join(','));
  return `${lines.join('\n')}\n`;
}
