import { expectValidCard } from '../support/card-check';
import { startHarness, type Harness } from '../support/harness';
import { cardText, people, personalChat } from '../support/teams-client';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

interface InvokeBody {
  statusCode: number;
  type: string;
  value: unknown;
}

describe('Action.Execute (adaptiveCard/action invokes)', () => {
  test('"About the QA cycle" answers in the invoke response with the updated card', async () => {
    const response = await h.teams.press(people.alex, 'help.about');
    expect(response.status).toBe(200);
    const body = response.body as InvokeBody;
    expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expectValidCard(body.value);
    expect(cardText(body.value)).toContain('The QA cycle');
    expect(cardText(body.value)).toContain('August and December are paused');
    // Answered in place: nothing is posted to the chat.
    expect(h.connector.posted(personalChat(people.alex).conversationId)).toHaveLength(0);
  });

  test('"Back to help" returns the help card', async () => {
    const body = (await h.teams.press(people.alex, 'help.show')).body as InvokeBody;
    expectValidCard(body.value);
    expect(cardText(body.value)).toContain('What QA Loop can do for you');
  });

  test.each([
    ['an unknown verb', { action: { type: 'Action.Execute', verb: 'review.delete-everything', data: {} } }, 'not one QA Loop knows'],
    ['no action at all', {}, 'could not read'],
    ['a value that is not an object', 'help.about', 'could not read'],
    ['a verb that is not text', { action: { type: 'Action.Execute', verb: 42 } }, 'could not read'],
    ['data that is not an object', { action: { type: 'Action.Execute', verb: 'help.about', data: [1, 2] } }, 'could not read'],
    ['an Action.Submit dressed as an invoke', { action: { type: 'Action.Submit', verb: 'help.about' } }, 'could not read'],
  ])('%s gets an error card, never a 500', async (_name, value, expected) => {
    const response = await h.teams.post(h.teams.activity(people.alex, personalChat(people.alex), { type: 'invoke', name: 'adaptiveCard/action', value }));
    expect(response.status).toBe(200);
    const body = response.body as InvokeBody;
    expect(body.statusCode).toBe(200);
    expectValidCard(body.value);
    expect(cardText(body.value)).toContain(expected);
  });

  test('an Action.Submit message (value, no text) is told the card is out of date', async () => {
    const activity = h.teams.activity(people.alex, personalChat(people.alex), { type: 'message', value: { verb: 'x' } });
    expect((await h.teams.post(activity)).status).toBe(200);
    const replies = h.connector.calls.filter((call) => call.activityId === activity.id);
    expect(replies[0]?.activity?.text).toContain('out of date');
  });
});
