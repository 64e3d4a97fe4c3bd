import type { ServiceContext } from '../context';
import { loadObservation, type ObservationSnapshot } from './observation-snapshot';

/** Observation steps waiting for one person, for "my tasks". */
export interface ObservationTasks {
  /** Observations this person is recording, not yet submitted. */
  recording: ObservationSnapshot[];
  /** Submitted observations of this person's practice, waiting for their reflection. */
  reflections: ObservationSnapshot[];
}

export async function observationTasksFor(context: Pick<ServiceContext, 'repos'>, staffId: string): Promise<ObservationTasks> {
  const involving = await context.repos.observations.listInvolving(staffId);
  const load = (ids: string[]) => Promise.all(ids.map((id) => loadObservation(context, id)));
  const recording = await load(involving.filter((o) => o.observerId === staffId && o.status === 'draft').map((o) => o.id));
  const submittedOfMine = await load(involving.filter((o) => o.practitionerId === staffId && o.status === 'submitted').map((o) => o.id));
  return { recording, reflections: submittedOfMine.filter((snapshot) => snapshot.parts.reflection.response.status === 'draft') };
}
