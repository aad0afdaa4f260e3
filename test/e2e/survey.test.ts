/**
 * The satisfaction survey across reloads and tabs, end to end: the real element in Chromium,
 * real IndexedDB, Web Locks and BroadcastChannel, against the real local server (tabs are frames
 * with windows of their own, which only a real server reaches). A "reload" removes the element
 * and mounts a new one with the same user id: only IndexedDB carries over.
 */
import { expect } from '@open-wc/testing';
import type { ChatHarness } from '../helpers/harness.js';
import { remoteServer, type RemoteServer } from '../server/remote.js';
import { click, closeTabs, deleteOwnDatabases, eventually, mount, newUser, openTab, phaseText, rows, spyWire, unmount, unmountAll } from './helpers.js';

/** What the user sees of the survey: none, its form, or the thanks (with the way to start over). */
const survey = (chat: ChatHarness) => {
  const form = chat.$<HTMLFormElement>('form.survey');
  return !form ? 'none' : !form.hidden ? 'form' : phaseText(chat).startsWith('Thank you for your feedback.') ? 'thanks' : 'hidden';
};
const seen = (chat: ChatHarness) => () => `survey ${survey(chat)}; phase "${phaseText(chat)}"; rows ${JSON.stringify(rows(chat).map((r) => `${r.role}: ${r.text.slice(0, 40)}`))}`;
/** Records every survey state the user saw from now on (a MutationObserver sees each render). */
function surveysSeen(chat: ChatHarness) {
  const states = [survey(chat)];
  const look = () => states.at(-1) !== survey(chat) && states.push(survey(chat));
  new MutationObserver(look).observe(chat.el.shadowRoot!, { subtree: true, childList: true, attributes: true, characterData: true });
  return states;
}
const waitSurvey = (chat: ChatHarness, state: 'form' | 'thanks') => eventually(() => survey(chat) === state, seen(chat));

/** Picks a score and sends the survey. */
async function rate(chat: ChatHarness, score: number) {
  chat.$<HTMLInputElement>(`form.survey input[name="score"][value="${score}"]`)!.click();
  await click(chat, 'Send feedback');
}

describe('the satisfaction survey across reloads and tabs', () => {
  let server: RemoteServer;
  let wire: ReturnType<typeof spyWire>;
  const errors: unknown[] = [];
  const listen = (chat: ChatHarness) => chat.el.addEventListener('mcs-error', (e) => errors.push(e.detail));

  beforeEach(async () => {
    server = await remoteServer();
    wire = spyWire();
    errors.length = 0;
  });

  afterEach(async () => {
    unmountAll();
    closeTabs();
    wire.stop();
    await server.stop();
    await deleteOwnDatabases();
  });

  /** A user whose conversation the operator ended, on a page that shows its survey. */
  async function ended() {
    const userId = newUser();
    const chat = await mount({ endpoint: server.wsUrl, userId });
    listen(chat);
    await eventually(() => rows(chat).some((r) => r.role === 'bot'), seen(chat));
    const conversation = wire.last;
    await server.call('backend.control.operator.end', conversation);
    await waitSurvey(chat, 'form');
    return { userId, chat, conversation };
  }

  const rating = async (conversation: string) => (await server.call<{ rating?: unknown }>('backend.control.inspect', conversation)).rating;
  const rateCommands = async () => (await server.stats()).requests.filter((r) => r.kind === 'command').length;

  it('a rated conversation shows the thanks after a reload, never the survey again; an unrated one still asks', async () => {
    const { userId, chat: first, conversation } = await ended();
    unmount(first);
    let chat = await mount({ endpoint: server.wsUrl, userId });
    listen(chat);
    await waitSurvey(chat, 'form');

    await rate(chat, 5);
    await waitSurvey(chat, 'thanks');
    await eventually(async () => (await rating(conversation)) !== undefined, () => 'the rating never reached the server');
    const commands = await rateCommands();
    unmount(chat);

    chat = await mount({ endpoint: server.wsUrl, userId });
    listen(chat);
    const states = surveysSeen(chat);
    await waitSurvey(chat, 'thanks');
    expect(states, 'thanked at once: no form that turns into the thanks later').to.deep.equal(['none', 'thanks']);
    expect(chat.$$('button').map((b) => b.textContent?.trim())).to.include('Start a new conversation');
    await eventually(() => wire.ids.length >= 3, () => `connections ${JSON.stringify(wire.ids)}`);
    expect(wire.last, 'the same conversation').to.equal(conversation);
    expect(survey(chat)).to.equal('thanks');
    expect(await rateCommands(), 'nothing sent again').to.equal(commands);
    expect(await rating(conversation)).to.deep.equal({ score: 5 });

    // The thanks' next step works as right after rating.
    await click(chat, 'Start a new conversation');
    await eventually(() => wire.last !== conversation && survey(chat) === 'none', seen(chat));
    expect(errors).to.deep.equal([]);
  });

  it('a reload shows the survey of a conversation whose rating never reached the server', async () => {
    const { userId, chat, conversation } = await ended();
    // The link is gone: the rating waits for it, and the page goes away before it returns.
    wire.latency.cut = true;
    await server.faults.drop();
    await rate(chat, 3);
    await waitSurvey(chat, 'thanks');
    unmount(chat);
    wire.latency.cut = false;

    const again = await mount({ endpoint: server.wsUrl, userId });
    await waitSurvey(again, 'form');
    expect(await rating(conversation)).to.equal(undefined);
    await rate(again, 2);
    await waitSurvey(again, 'thanks');
    await eventually(async () => (await rating(conversation)) !== undefined, () => 'the rating never reached the server');
    expect(await rating(conversation)).to.deep.equal({ score: 2 });
  });

  it('another tab of the user shows the thanks: one open while the user rates, and one opened after', async () => {
    const { userId, chat } = await ended();
    const before = await openTab();
    const other = await mount({ endpoint: server.wsUrl, userId, parent: before.body });
    await waitSurvey(other, 'form');

    await rate(chat, 4);
    await waitSurvey(chat, 'thanks');
    await waitSurvey(other, 'thanks');

    const after = await openTab();
    const third = await mount({ endpoint: server.wsUrl, userId, parent: after.body });
    await waitSurvey(third, 'thanks');
    expect(errors).to.deep.equal([]);
  });

  it('another tab follows "Start a new conversation": it leaves the survey, and what it types goes to the new conversation', async () => {
    const { userId, chat, conversation } = await ended();
    const tab = await openTab();
    const otherWire = spyWire(tab.win);
    const other = await mount({ endpoint: server.wsUrl, userId, parent: tab.body });
    await waitSurvey(other, 'form');

    await click(chat, 'Start a new conversation');
    await eventually(() => wire.last !== conversation, () => 'no new conversation');
    const next = wire.last;
    await eventually(() => survey(other) === 'none' && rows(other).length === 1 && rows(other)[0].role === 'bot', seen(other));

    await other.type('Asked in the other tab');
    await eventually(async () => (await server.received(next)).length === 1, () => `received: ${JSON.stringify(wire.sent)}`);
    expect((await server.received(next)).map((m) => m.text)).to.deep.equal(['Asked in the other tab']);
    expect(await server.received(conversation), 'nothing for the ended one').to.deep.equal([]);
    await eventually(() => rows(other).some((r) => r.role === 'user' && r.status === 'sent'), seen(other));
    expect([otherWire.ids, otherWire.sent], 'the other tab never connects nor sends').to.deep.equal([[], []]);
    expect(errors).to.deep.equal([]);
  });

  it('a new conversation asks again when it ends, also after a reload', async () => {
    const { userId, chat, conversation } = await ended();
    await rate(chat, 5);
    await waitSurvey(chat, 'thanks');
    await eventually(async () => (await rating(conversation)) !== undefined, () => 'the rating never reached the server');
    await click(chat, 'Start a new conversation');
    await eventually(() => wire.ids.length >= 2 && wire.last !== conversation, () => `connections ${JSON.stringify(wire.ids)}`);
    const next = wire.last;
    await eventually(() => rows(chat).some((r) => r.role === 'bot'), seen(chat));
    await server.call('backend.control.operator.end', next);
    await waitSurvey(chat, 'form');
    unmount(chat);

    const again = await mount({ endpoint: server.wsUrl, userId });
    await eventually(() => wire.ids.filter((id) => id === next).length === 2, () => `connections ${JSON.stringify(wire.ids)}`);
    await waitSurvey(again, 'form');
    // Given time to settle after resuming, it still asks.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(survey(again)).to.equal('form');
    expect(errors).to.deep.equal([]);
  });
});
