/**
 * A fictional trust for trying QA Loop out. Every person and service here is made up;
 * every service name says so, so that no screenshot of the demo can be taken for real
 * casework. Emails are under example.com / example.org, which can never reach anyone.
 *
 * The Microsoft 365 Agents Playground's default people (Alex Wilber, Megan Bowen, ...)
 * are here by their emails, so whoever the Playground says is talking is found on file.
 * They have no Entra ids here on purpose: the Playground's ids are not real GUIDs, and
 * the bot links a person by email the first time it sees them.
 */
import type { AssignedRole } from '../services/roles';
import type { Tier } from '../services/rota';

export interface DemoPerson {
  email: string;
  name: string;
  tier: Tier;
  service: string;
  team: string;
  lineManagerEmail: string | null;
  roles: readonly AssignedRole[];
  /** As the rota file's start_kind column: the activity a newcomer starts with. */
  startKind?: 'review' | 'observation' | 'thematic';
}

export const DEMO_TRUST_NAME = "Northbrook Children's Trust (fictional demo)";

/** The demo's QA manager, who is also the person the Playground talks as by default. */
export const DEMO_QA_MANAGER_EMAIL = 'alexw@example.com';

const LEADERSHIP = 'Fictional Northbrook Trust Leadership';
const QUALITY = 'Fictional Quality Assurance and Safeguarding';
const ASSESSMENT = 'Fictional Assessment and Intervention';
const PROTECTION = 'Fictional Child Protection';
const IN_CARE = 'Fictional Children in Care';
const LEAVING_CARE = 'Fictional Care Leavers';

type Row = [email: string, name: string, tier: Tier, service: string, team: string, lineManagerEmail: string | null, roles?: AssignedRole[], startKind?: DemoPerson['startKind']];

const DIRECTOR = 'ruth.okafor@example.org';

/**
 * The director; the QA service; then four services, each with a Head of Service, two
 * Service Managers, four Team Managers and a practitioner: 29 managers on the rota.
 */
const rows: readonly Row[] = [
  [DIRECTOR, 'Ruth Okafor', 'director', LEADERSHIP, 'Directorate', null, ['approver']],

  // The QA service: its lead and the Independent Chairs, who oversee but have no monthly activity.
  ['grace.tan@example.org', 'Grace Tan', 'qa_service', QUALITY, 'QA Service', DIRECTOR, ['moderator']],
  ['samuel.adeyemi@example.org', 'Samuel Adeyemi', 'independent_chair', QUALITY, 'Independent Chairs', 'grace.tan@example.org', ['independent_chair']],
  ['hannah.lister@example.org', 'Hannah Lister', 'independent_chair', QUALITY, 'Independent Chairs', 'grace.tan@example.org', ['independent_chair']],
  ['farid.haddad@example.org', 'Farid Haddad', 'independent_chair', QUALITY, 'Independent Chairs', 'grace.tan@example.org', ['independent_chair']],

  // The Playground's people work here. Alex starts with a practice review, so the demo opens on the fullest card.
  ['pattif@example.com', 'Patti Fernandez', 'head_of_service', ASSESSMENT, 'Service Leadership', DIRECTOR, ['approver']],
  ['meganb@example.com', 'Megan Bowen', 'service_manager', ASSESSMENT, 'Assessment Teams', 'pattif@example.com'],
  ['tom.ashworth@example.org', 'Tom Ashworth', 'service_manager', ASSESSMENT, 'Intervention Teams', 'pattif@example.com'],
  [DEMO_QA_MANAGER_EMAIL, 'Alex Wilber', 'team_manager', ASSESSMENT, 'Assessment Team 1', 'meganb@example.com', ['qa_manager', 'moderator', 'approver'], 'review'],
  ['adelev@example.com', 'Adele Vance', 'team_manager', ASSESSMENT, 'Assessment Team 2', 'meganb@example.com'],
  ['priya.raman@example.org', 'Priya Raman', 'team_manager', ASSESSMENT, 'Intervention Team 1', 'tom.ashworth@example.org'],
  ['owen.price@example.org', 'Owen Price', 'team_manager', ASSESSMENT, 'Intervention Team 2', 'tom.ashworth@example.org'],
  ['lynner@example.com', 'Lynne Robbins', 'practitioner', ASSESSMENT, 'Assessment Team 1', DEMO_QA_MANAGER_EMAIL, ['practitioner']],

  ['marcus.bell@example.org', 'Marcus Bell', 'head_of_service', PROTECTION, 'Service Leadership', DIRECTOR],
  ['isaiahl@example.com', 'Isaiah Langer', 'service_manager', PROTECTION, 'Child Protection North', 'marcus.bell@example.org'],
  ['fiona.mcleod@example.org', 'Fiona McLeod', 'service_manager', PROTECTION, 'Child Protection South', 'marcus.bell@example.org'],
  ['chloe.danvers@example.org', 'Chloe Danvers', 'team_manager', PROTECTION, 'North Team 1', 'isaiahl@example.com'],
  ['ravi.kapoor@example.org', 'Ravi Kapoor', 'team_manager', PROTECTION, 'North Team 2', 'isaiahl@example.com'],
  ['ellen.hughes@example.org', 'Ellen Hughes', 'team_manager', PROTECTION, 'South Team 1', 'fiona.mcleod@example.org'],
  ['daniel.osei@example.org', 'Daniel Osei', 'team_manager', PROTECTION, 'South Team 2', 'fiona.mcleod@example.org'],
  ['nadia.hussain@example.org', 'Nadia Hussain', 'practitioner', PROTECTION, 'North Team 1', 'chloe.danvers@example.org', ['practitioner']],

  ['helen.carter@example.org', 'Helen Carter', 'head_of_service', IN_CARE, 'Service Leadership', DIRECTOR],
  ['ben.thornton@example.org', 'Ben Thornton', 'service_manager', IN_CARE, 'Children in Care Teams', 'helen.carter@example.org'],
  ['aisha.begum@example.org', 'Aisha Begum', 'service_manager', IN_CARE, 'Fostering and Permanence', 'helen.carter@example.org'],
  ['lucy.walsh@example.org', 'Lucy Walsh', 'team_manager', IN_CARE, 'Children in Care Team 1', 'ben.thornton@example.org'],
  ['george.mensah@example.org', 'George Mensah', 'team_manager', IN_CARE, 'Children in Care Team 2', 'ben.thornton@example.org'],
  ['katie.roberts@example.org', 'Katie Roberts', 'team_manager', IN_CARE, 'Fostering Team', 'aisha.begum@example.org'],
  ['imran.qureshi@example.org', 'Imran Qureshi', 'team_manager', IN_CARE, 'Permanence Team', 'aisha.begum@example.org'],
  ['sophie.clarke@example.org', 'Sophie Clarke', 'practitioner', IN_CARE, 'Children in Care Team 1', 'lucy.walsh@example.org', ['practitioner']],

  ['victoria.lane@example.org', 'Victoria Lane', 'head_of_service', LEAVING_CARE, 'Service Leadership', DIRECTOR],
  ['paul.whitaker@example.org', 'Paul Whitaker', 'service_manager', LEAVING_CARE, 'Leaving Care 16-21', 'victoria.lane@example.org'],
  ['joanna.nowak@example.org', 'Joanna Nowak', 'service_manager', LEAVING_CARE, 'Leaving Care 21-25', 'victoria.lane@example.org'],
  ['ellie.marsh@example.org', 'Ellie Marsh', 'team_manager', LEAVING_CARE, 'Personal Advisers East', 'paul.whitaker@example.org'],
  ['kwame.boateng@example.org', 'Kwame Boateng', 'team_manager', LEAVING_CARE, 'Personal Advisers West', 'paul.whitaker@example.org'],
  ['rachel.stone@example.org', 'Rachel Stone', 'team_manager', LEAVING_CARE, 'Staying Close', 'joanna.nowak@example.org'],
  ['liam.oconnor@example.org', "Liam O'Connor", 'team_manager', LEAVING_CARE, 'Housing and Transitions', 'joanna.nowak@example.org'],
  ['tariq.ahmed@example.org', 'Tariq Ahmed', 'practitioner', LEAVING_CARE, 'Personal Advisers East', 'ellie.marsh@example.org', ['practitioner']],
];

export const demoPeople: readonly DemoPerson[] = rows.map(([email, name, tier, service, team, lineManagerEmail, roles = [], startKind]) => ({
  email,
  name,
  tier,
  service,
  team,
  lineManagerEmail,
  roles,
  ...(startKind === undefined ? {} : { startKind }),
}));
