/**
 * Offline-first delivery, end to end (issue 5 acceptance): the real element in Chromium, real
 * IndexedDB, Web Locks and BroadcastChannel, against the real local WebSocket/HTTP server.
 *
 * "Offline" is what a page sees when the network is gone: `navigator.onLine` false with the
 * window's `offline` event, and a backend that cannot be reached — the element's endpoint points
 * at a closed loopback port, so every connection attempt fails at once. A "reload" removes the
 * element and creates a new one with the same user id: only IndexedDB carries over. A "tab" is a
 * same-origin frame with its own window; closing it destroys its document without running any of
 * its code, as a closed or crashed tab.
 */
import { expect } from '@open-wc/testing';
import type { ChatHarness } from '../helpers/harness.js';
import { remoteServer, type RemoteServer } from '../server/remote.js';
import {
  allRows,
  click,
  closeTabs,
  deleteOwnDatabases,
  eventually,
  mount,
  network,
  newUser,
  openTab,
  phaseText,
  rows,
  spyWire,
  unmount,
  unmountAll,
  type MountOptions,
  type Tab,
} from './helpers.js';

/** A closed port on this machine: connecting fails at once, as without a network. */
const UNREACHABLE = 'ws://127.0.0.1:9/';

const userRows = (chat: ChatHarness) => rows(chat).filter((r) => r.role === 'user');
const texts = (chat: ChatHarness) => () => JSON.stringify(rows(chat).map((r) => `${r.role}/${r.status ?? '-'}: ${r.text.slice(0, 30)}`));
const received = async (server: RemoteServer, conversation: string) => (await server.received(conversation)).map((m) => ({ clientId: m.clientId, text: m.text }));
const messageRequests = async (server: RemoteServer) => (await server.stats()).requests.filter((r) => r.kind === 'message').length;

/** Types each text and waits until the transcript shows it (stored in the outbox, so it survives what follows). */
async function typeAll(chat: ChatHarness, list: readonly string[]) {
  for (const text of list) await chat.type(text);
  await eventually(async () => {
    const all = await allRows(chat);
    return list.every((t) => all.some((r) => r.role === 'user' && r.text === t));
  }, texts(chat));
}

describe('offline delivery against the real local server', () => {
  let server: RemoteServer;
  let wire: ReturnType<typeof spyWire>;

  beforeEach(async () => {
    server = await remoteServer();
    wire = spyWire();
  });

  afterEach(async () => {
    network().online();
    unmountAll();
    closeTabs();
    wire.stop();
    await server.stop();
    await deleteOwnDatabases();
  });

  it('delivers 50 messages typed offline across 3 reloads exactly once, in typed order, each with its own client id', async () => {
    const userId = newUser();
    const typed = Array.from({ length: 50 }, (_, i) => `offline message ${i + 1}`);
    const lives = [typed.slice(0, 17), typed.slice(17, 34), typed.slice(34)];
    network().offline();

    let shown: string[] = [];
    for (const [life, batch] of lives.entries()) {
      const chat = await mount({ endpoint: UNREACHABLE, userId });
      // After a reload the queue is back at once, in order, still waiting for the network.
      await eventually(() => userRows(chat).length === Math.min(shown.length, 30), texts(chat));
      expect((await allRows(chat)).map((r) => r.text), `life ${life + 1} restored`).to.deep.equal(shown);
      await typeAll(chat, batch);
      shown = [...shown, ...batch];
      const all = (await allRows(chat)).filter((r) => r.role === 'user');
      expect(all.map((r) => r.text), `life ${life + 1}: in typed order`).to.deep.equal(shown);
      expect(new Set(all.map((r) => r.status)), 'all waiting').to.deep.equal(new Set(['queued']));
      expect(new Set(all.map((r) => r.label))).to.deep.equal(new Set(['Will send when online']));
      expect(chat.notice).to.equal('You are offline. Messages will be sent when you are back online.');
      unmount(chat);
    }
    expect(await server.stats().then((s) => s.hellos), 'nothing reached the server while offline').to.deep.equal([]);

    // Back online: the next page load reaches the real server.
    network().online();
    const chat = await mount({ endpoint: server.wsUrl, userId });
    await eventually(async () => wire.ids.length === 1 && (await server.received(wire.last)).length === 50, () => `received so far: ${wire.sent.length}`, 10000);
    const got = await received(server, wire.last);
    expect(got.map((m) => m.text), 'in typed order').to.deep.equal(typed);
    expect(new Set(got.map((m) => m.clientId)).size, 'distinct client ids').to.equal(50);
    expect(await messageRequests(server), 'each sent once').to.equal(50);
    expect(wire.sent.map((m) => m.text)).to.deep.equal(typed);

    await eventually(() => userRows(chat).length > 0 && userRows(chat).every((r) => r.status === 'sent'), texts(chat), 10000);
    const all = (await allRows(chat)).filter((r) => r.role === 'user');
    expect(all.map((r) => r.text)).to.deep.equal(typed);
    expect(all.map((r) => r.key)).to.deep.equal(got.map((m) => m.clientId));
    expect(new Set(all.map((r) => r.status))).to.deep.equal(new Set(['sent']));
    expect(all.filter((r) => r.label), 'no status labels').to.deep.equal([]);
    expect(chat.notice).to.equal('');
  });

  it('queued messages keep their typed order on screen across reloads and tabs', async () => {
    const userId = newUser();
    const order = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth'];
    network().offline();
    let chat = await mount({ endpoint: UNREACHABLE, userId });
    await typeAll(chat, order.slice(0, 3));
    unmount(chat);
    chat = await mount({ endpoint: UNREACHABLE, userId });
    await eventually(() => userRows(chat).length === 3, texts(chat));
    await typeAll(chat, order.slice(3, 5));
    expect(userRows(chat).map((r) => r.text)).to.deep.equal(order.slice(0, 5));

    const tab = await openTab();
    network(tab.win).offline();
    const other = await mount({ endpoint: UNREACHABLE, userId, parent: tab.body });
    await eventually(() => userRows(other).length === 5, texts(other));
    await typeAll(other, order.slice(5));
    await eventually(() => userRows(chat).length === 6, texts(chat));
    for (const c of [chat, other]) expect(userRows(c).map((r) => r.text)).to.deep.equal(order);
  });

  it('a queued message stays below the messages it was typed after, across a reload', async () => {
    const userId = newUser();
    let chat = await mount({ endpoint: server.wsUrl, userId });
    await chat.type('Delivered');
    await eventually(() => rows(chat).length === 3 && userRows(chat)[0]?.status === 'sent', texts(chat));
    unmount(chat);
    network().offline();
    chat = await mount({ endpoint: UNREACHABLE, userId });
    await typeAll(chat, ['Queued']);
    const shown = texts(chat)();
    expect(rows(chat).map((r) => (r.role === 'user' ? r.text : r.role)), shown).to.deep.equal(['bot', 'Delivered', 'bot', 'Queued']);
    unmount(chat);
    chat = await mount({ endpoint: UNREACHABLE, userId });
    await eventually(() => rows(chat).length === 4, texts(chat));
    expect(texts(chat)()).to.equal(shown);
  });

  for (const scheme of ['WebSocket', 'HTTP+SSE'] as const) {
    it(`over ${scheme}: an ack lost after the server committed the message is retried with the same client id; one copy on the server and on screen`, async () => {
      const chat = await mount({ endpoint: scheme === 'WebSocket' ? server.wsUrl : server.httpUrl, userId: newUser() });
      await eventually(() => rows(chat).some((r) => r.role === 'bot'), texts(chat));
      const conversation = wire.last;

      await server.faults.loseAcks(1);
      await chat.type('Where is my refund?');
      await eventually(async () => (await server.received(conversation)).length === 1, () => 'never reached the server');
      // Over WebSocket a lost ack just never comes: the socket dying is what makes the client retry.
      if (scheme === 'WebSocket') await server.faults.drop();

      // The retry may be the page's (a resend after reconnecting) or the browser's own (a POST
      // replayed on a fresh connection); either way the server sees the message twice...
      await eventually(async () => (await messageRequests(server)) === 2, () => `server saw ${JSON.stringify(wire.sent)}`, 5000);
      // ...with the same client id, and keeps one copy.
      const [{ clientId }] = wire.sent;
      expect(wire.sent.every((m) => m.clientId === clientId && m.text === 'Where is my refund?'), JSON.stringify(wire.sent)).to.be.true;
      expect(await received(server, conversation)).to.deep.equal([{ clientId, text: 'Where is my refund?' }]);
      await eventually(() => userRows(chat)[0]?.status === 'sent', texts(chat));
      await eventually(() => rows(chat).some((r) => r.role === 'bot' && r.text.includes('To return an item')), texts(chat));
      expect(userRows(chat).map((r) => [r.key, r.text, r.label])).to.deep.equal([[clientId, 'Where is my refund?', '']]);
      expect(rows(chat).filter((r) => r.role === 'bot' && r.text.includes('To return an item')), 'one answer').to.have.length(1);
      expect(chat.notice).to.equal('');
    });
  }

  it('back online after a while, the queued message goes out within 1 s', async () => {
    const chat = await mount({ endpoint: server.wsUrl, userId: newUser() });
    await eventually(() => rows(chat).some((r) => r.role === 'bot'), texts(chat));
    const conversation = wire.last;
    // Worst-case jitter, so the reconnect backoff is what it can be after a longer outage.
    const random = Math.random;
    Math.random = () => 0.999;
    try {
      network().offline();
      wire.latency.cut = true;
      await server.faults.drop();
      await chat.type('Sent when I am back online');
      // The outage itself is the point: long enough for a few failed reconnects.
      await new Promise((resolve) => setTimeout(resolve, 3500));
      expect(await server.received(conversation)).to.deep.equal([]);
      wire.latency.cut = false;
      network().online();
      const back = performance.now();
      await eventually(async () => (await server.received(conversation)).length === 1, () => 'not delivered', 10000);
      expect(performance.now() - back, 'delivered soon after the network returned').to.be.below(1000);
    } finally {
      Math.random = random;
    }
    await eventually(() => userRows(chat)[0]?.status === 'sent', texts(chat));
  });

  it('a page closed between send and ack delivers the message exactly once after it is opened again', async () => {
    const userId = newUser();
    // HTTP: the server's answer to the POST is held back (slow downlink), and its event stream
    // goes silent, so the page sees neither the ack nor the echo of a message the server committed.
    let chat = await mount({ endpoint: server.httpUrl, userId });
    await eventually(() => rows(chat).some((r) => r.role === 'bot'), texts(chat));
    const conversation = wire.last;
    wire.latency.ackLatencyMs = 60_000;
    await server.faults.stall(true);
    await chat.type('Please cancel order m77');
    await eventually(async () => (await server.received(conversation)).length === 1, () => 'never reached the server');
    expect(userRows(chat).map((r) => r.status), 'no ack yet').to.deep.equal(['sending']);
    unmount(chat);

    wire.latency.ackLatencyMs = 0;
    await server.faults.stall(false);
    chat = await mount({ endpoint: server.httpUrl, userId });
    await eventually(() => userRows(chat)[0]?.status === 'sent', texts(chat));
    expect(wire.ids, 'the same conversation, resumed').to.deep.equal([conversation, conversation]);
    // The resumed stream's echo of the committed message acknowledges it; a resend, if any, reuses the client id.
    const [{ clientId }] = wire.sent;
    expect(wire.sent.every((m) => m.clientId === clientId), JSON.stringify(wire.sent)).to.be.true;
    expect(await received(server, conversation)).to.deep.equal([{ clientId, text: 'Please cancel order m77' }]);
    await eventually(() => rows(chat).some((r) => r.role === 'bot' && r.text.includes('Cancelling')), texts(chat));
    expect(userRows(chat).map((r) => [r.key, r.text, r.label])).to.deep.equal([[clientId, 'Please cancel order m77', '']]);
    // Reopened again: still one copy, nothing left to send.
    const sends = wire.sent.length;
    unmount(chat);
    chat = await mount({ endpoint: server.httpUrl, userId });
    await eventually(() => userRows(chat).length === 1 && userRows(chat)[0].status === 'sent', texts(chat));
    await eventually(() => wire.ids.length === 3, () => 'not reconnected');
    expect(wire.sent.length).to.equal(sends);
    expect(await received(server, conversation)).to.have.length(1);
  });

  for (const scheme of ['http', 'ws'] as const) {
    it(`over ${scheme}: a message queued for a conversation the server lost since goes to the new one, once, in a transcript of the new one`, async () => {
      const userId = newUser();
      const url = (s: RemoteServer) => (scheme === 'ws' ? s.wsUrl : s.httpUrl);
      let chat = await mount({ endpoint: url(server), userId });
      for (const [i, text] of ['Before the restart', 'Still before it'].entries()) {
        await chat.type(text);
        await eventually(() => rows(chat).length === 2 * i + 3 && userRows(chat).every((r) => r.status === 'sent'), texts(chat));
      }
      unmount(chat);
      network().offline();
      chat = await mount({ endpoint: UNREACHABLE, userId });
      await typeAll(chat, ['Typed while away']);
      unmount(chat);
      network().online();

      // The backend restarted without its conversations: the stored one is unknown to it.
      const restarted = await remoteServer();
      try {
        chat = await mount({ endpoint: url(restarted), userId });
        await eventually(() => wire.ids.length === 2, () => 'not reconnected');
        const fresh = wire.last;
        await eventually(async () => (await restarted.received(fresh)).length === 1, texts(chat));
        await eventually(() => rows(chat).at(-1)?.role === 'bot' && userRows(chat).every((r) => r.status === 'sent'), texts(chat));
        // Its sequence and ids start over: the old conversation's messages are not mixed into it.
        expect(rows(chat).map((r) => (r.role === 'user' ? r.text : r.role)), texts(chat)()).to.deep.equal(['bot', 'Typed while away', 'bot']);
      } finally {
        await restarted.stop();
      }
    });
  }

  describe('when the server lost the conversation', () => {
    /** Noon on a Monday in Japan, running at real speed: operators work, whenever the tests run. */
    const noon = () => {
      const t0 = Date.now();
      return () => Date.UTC(2026, 10, 23, 3) + (Date.now() - t0);
    };
    const asked = (chat: ChatHarness) => eventually(() => phaseText(chat).includes('number 3 in line'), () => phaseText(chat));
    const join = async (chat: ChatHarness) => {
      await click(chat, 'Talk to an operator');
      await asked(chat);
      await server.call('backend.control.operator.join', wire.last, 'Sato');
    };
    const cases: { phase: string; as: string; reach: (chat: ChatHarness) => Promise<unknown>; bar: string }[] = [
      { phase: 'queued', as: 'queued', reach: (chat) => click(chat, 'Talk to an operator'), bar: 'You are number 3 in line.' },
      { phase: 'operator', as: 'chatting with Sato', reach: join, bar: 'You are chatting with Sato.' },
      {
        phase: 'ended',
        as: 'at the survey of a chat that ended',
        reach: async (chat) => (await join(chat), await server.call('backend.control.operator.end', wire.last)),
        bar: 'This conversation has ended.',
      },
    ];

    for (const { phase, as, reach, bar } of cases) {
      it(`${as}: after a reload, the flow starts over with the conversation the server opened, and the host is told`, async () => {
        const userId = newUser();
        const now = noon();
        let chat = await mount({ endpoint: server.wsUrl, userId, now });
        await eventually(() => wire.ids.length === 1, () => 'not connected');
        await reach(chat);
        await eventually(() => phaseText(chat).startsWith(bar.slice(0, -1)), () => phaseText(chat));
        unmount(chat);

        const restarted = await remoteServer();
        const phases: unknown[] = [];
        const listen = (e: Event) => phases.push((e as CustomEvent).detail);
        document.addEventListener('mcs-phase', listen);
        try {
          chat = await mount({ endpoint: restarted.wsUrl, userId, now });
          await eventually(() => wire.ids.length === 2, () => 'not reconnected');
          await eventually(() => !phaseText(chat) && chat.$('[part~="ask-operator"]'), () => `phase bar: "${phaseText(chat)}"`);
          expect(phases).to.deep.equal([{ phase: 'bot', previous: phase }]);
          // The new conversation has no queue entry: asking for an operator queues the user there.
          await click(chat, 'Talk to an operator');
          await asked(chat);
          expect(await restarted.call<{ mode: string }>('backend.control.inspect', wire.last)).to.deep.include({ mode: 'queued' });
        } finally {
          document.removeEventListener('mcs-phase', listen);
          await restarted.stop();
        }
      });
    }

    it('in the other tab too: it starts over with the conversation the leader was given, and what it types there reaches that one once', async () => {
      const userId = newUser();
      const now = noon();
      const [a, b] = [await openTab(), await openTab()];
      const leaderWire = spyWire(a.win);
      const A = await mount({ endpoint: server.wsUrl, userId, now, parent: a.body });
      await eventually(() => rows(A).some((r) => r.role === 'bot'), texts(A));
      const followerWire = spyWire(b.win);
      const B = await mount({ endpoint: server.wsUrl, userId, now, parent: b.body });
      await A.type('Before the restart');
      await click(A, 'Talk to an operator');
      for (const chat of [A, B]) {
        await eventually(() => userRows(chat)[0]?.status === 'sent', texts(chat));
        await eventually(() => phaseText(chat).includes('number 3 in line'), () => phaseText(chat));
      }
      const old = leaderWire.last;

      // The backend restarts without its conversations, at the same address: the leader's link
      // comes back to it and is given a new conversation.
      const restarted = await remoteServer();
      const { WebSocket: Socket } = a.win;
      a.win.WebSocket = class extends Socket {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(String(url).replace(server.wsUrl, restarted.wsUrl), protocols);
        }
      };
      try {
        await server.faults.drop();
        await eventually(() => leaderWire.ids.length === 2 && leaderWire.last !== old, () => `welcomed to ${JSON.stringify(leaderWire.ids)}`);
        const fresh = leaderWire.last;
        await eventually(() => !phaseText(A) && rows(A).length === 1, texts(A));

        // The follower shows the new conversation only, in the bot phase, as the leader does.
        await eventually(() => !phaseText(B) && B.$('[part~="ask-operator"]'), () => `phase bar: "${phaseText(B)}"`);
        await eventually(() => rows(B).length === 1 && rows(B)[0].role === 'bot', texts(B));

        await B.type('Typed in the other tab');
        await eventually(async () => (await restarted.received(fresh)).length === 1, () => 'not received');
        for (const chat of [A, B])
          await eventually(() => userRows(chat).length === 1 && userRows(chat)[0].status === 'sent' && rows(chat).at(-1)?.role === 'bot', texts(chat));
        expect((await received(restarted, fresh)).map((m) => m.text)).to.deep.equal(['Typed in the other tab']);
        expect(await server.received(old).then((m) => m.map((x) => x.text)), 'nothing more for the lost one').to.deep.equal(['Before the restart']);
        expect(leaderWire.sent.map((m) => m.text), 'sent once, by the leader').to.deep.equal(['Before the restart', 'Typed in the other tab']);
        expect([followerWire.ids, followerWire.sent], 'the follower never connects nor sends').to.deep.equal([[], []]);
        expect(rows(B).map((r) => r.text), 'the same transcript in both tabs').to.deep.equal(rows(A).map((r) => r.text));
      } finally {
        await restarted.stop();
      }
    });
  });

  describe('in two tabs', () => {
    /** Mounts the widget in a tab, with a wire spy on that tab's own window. */
    async function inTab(tab: Tab, options: Omit<MountOptions, 'parent'>) {
      const spy = spyWire(tab.win);
      const chat = await mount({ ...options, parent: tab.body });
      return { chat, spy };
    }

    it('each queues 10 messages offline: all 20 are delivered once, by one tab only', async () => {
      const userId = newUser();
      const [a, b] = [await openTab(), await openTab()];
      network(a.win).offline();
      network(b.win).offline();
      const A = await inTab(a, { endpoint: UNREACHABLE, userId });
      const B = await inTab(b, { endpoint: UNREACHABLE, userId });
      const fromA = Array.from({ length: 10 }, (_, i) => `tab A says ${i + 1}`);
      const fromB = Array.from({ length: 10 }, (_, i) => `tab B says ${i + 1}`);
      for (let i = 0; i < 10; i++) {
        await A.chat.type(fromA[i]);
        await B.chat.type(fromB[i]);
      }
      // Each tab shows the other's queued messages too.
      for (const { chat } of [A, B]) {
        await eventually(() => userRows(chat).length === 20, texts(chat));
        expect(new Set(userRows(chat).map((r) => r.status))).to.deep.equal(new Set(['queued']));
      }

      // The network is back: each tab reaches the real server.
      network(a.win).online();
      network(b.win).online();
      A.chat.el.endpoint = server.wsUrl;
      B.chat.el.endpoint = server.wsUrl;
      const sent = () => [...A.spy.sent, ...B.spy.sent];
      await eventually(() => sent().length >= 20, () => `sent ${sent().length}`, 10000);
      const senders = [A, B].filter((t) => t.spy.sent.length);
      expect(senders, 'only one tab sends').to.have.length(1);
      const conversation = senders[0].spy.last;
      await eventually(async () => (await server.received(conversation)).length === 20, () => 'not all received', 5000);
      const got = await received(server, conversation);
      expect(got.map((m) => m.text).filter((t) => t.startsWith('tab A')), 'tab A in order').to.deep.equal(fromA);
      expect(got.map((m) => m.text).filter((t) => t.startsWith('tab B')), 'tab B in order').to.deep.equal(fromB);
      expect(new Set(got.map((m) => m.clientId)).size).to.equal(20);
      expect(await messageRequests(server), 'each sent once').to.equal(20);
      for (const { chat } of [A, B]) {
        // With the bot's answers the transcript outgrows the window: read it all, as a person scrolling.
        await eventually(async () => {
          const mine = (await allRows(chat)).filter((r) => r.role === 'user');
          return mine.length === 20 && mine.every((r) => r.status === 'sent');
        }, texts(chat), 5000);
      }
    });

    it('closing the leader tab with 5 messages pending: the other tab sends them, once, within 1 s', async () => {
      const userId = newUser();
      const [a, b] = [await openTab(), await openTab()];
      const A = await inTab(a, { endpoint: server.wsUrl, userId });
      await eventually(() => rows(A.chat).some((r) => r.role === 'bot'), texts(A.chat));
      const B = await inTab(b, { endpoint: server.wsUrl, userId });
      await eventually(() => rows(B.chat).some((r) => r.role === 'bot'), texts(B.chat));
      expect(B.spy.ids, 'the follower does not connect').to.deep.equal([]);
      const conversation = A.spy.last;

      // The server stops answering: the leader's sends hang without an ack.
      await server.faults.stall(true);
      const pending = ['one', 'two', 'three', 'four', 'five'].map((n) => `pending ${n}`);
      await typeAll(A.chat, pending);
      await eventually(() => userRows(B.chat).length === 5, texts(B.chat));
      expect(await server.received(conversation)).to.deep.equal([]);

      await server.faults.stall(false);
      const closed = performance.now();
      a.close();
      await eventually(async () => (await server.received(conversation)).length === 5, () => `received by the server after ${Math.round(performance.now() - closed)} ms`, 5000);
      const took = performance.now() - closed;
      expect(took, 'taken over and flushed within 1 s').to.be.below(1000);
      expect((await received(server, conversation)).map((m) => m.text)).to.deep.equal(pending);
      expect(await messageRequests(server), 'each sent once').to.equal(5);
      expect(B.spy.sent.map((m) => m.text)).to.deep.equal(pending);
      await eventually(() => userRows(B.chat).every((r) => r.status === 'sent'), texts(B.chat));
    });

    /** One user in two tabs: A greeted by the bot and its first message sent and shown in both. */
    async function signedInTwice() {
      const userId = newUser();
      const [a, b] = [await openTab(), await openTab()];
      const A = await inTab(a, { endpoint: server.wsUrl, userId });
      await eventually(() => rows(A.chat).some((r) => r.role === 'bot'), texts(A.chat));
      const B = await inTab(b, { endpoint: server.wsUrl, userId });
      await A.chat.type('My address is 1-2-3 Roppongi');
      for (const { chat } of [A, B]) await eventually(() => userRows(chat)[0]?.status === 'sent' && rows(chat).length === 3, texts(chat));
      return { userId, a, A, B };
    }

    it('logging out in one tab wipes the transcript in the other', async () => {
      const { userId, a, A, B } = await signedInTwice();

      await B.chat.el.clearUserData();
      for (const { chat } of [A, B]) await eventually(() => rows(chat).length === 0, texts(chat));
      const name = `mercari-chat-support:${encodeURIComponent(userId)}`;
      await eventually(async () => !(await indexedDB.databases()).some((d) => d.name === name), () => 'the database is still there', 5000);

      // Nothing comes back after a reload either.
      unmount(A.chat);
      const again = await mount({ endpoint: UNREACHABLE, userId, parent: a.body });
      await again.el.updateComplete;
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(rows(again)).to.deep.equal([]);
    });

    it('after a logout in the other tab, this one starts over once opened again: a new conversation, stored, nothing lost', async () => {
      const { A, B } = await signedInTwice();
      const old = A.spy.last;

      await B.chat.el.clearUserData();
      await eventually(() => !A.chat.el.open, () => 'the panel stayed open after the logout');
      A.chat.el.show();
      await A.chat.type('A new question');
      await eventually(() => userRows(A.chat).length === 1 && userRows(A.chat)[0].status === 'sent', texts(A.chat));
      expect(userRows(A.chat).map((r) => r.text)).to.deep.equal(['A new question']);
      expect(A.spy.last, 'a new conversation').to.not.equal(old);
      // Stored, not in memory: the new database was opened after the old one was deleted.
      expect(A.chat.notice).to.equal('');
    });

    it('an inline widget in the other tab starts over at once after the logout, and stores again: no storage notice', async () => {
      const { A, B } = await signedInTwice();
      // Inline, the panel cannot close: the new, empty conversation opens storage while the logout is still deleting it.
      A.chat.el.position = 'inline';
      const errors: string[] = [];
      A.chat.el.addEventListener('mcs-error', (e) => errors.push(e.detail.code));

      await B.chat.el.clearUserData();
      await eventually(() => rows(A.chat).length === 0, texts(A.chat));
      await A.chat.type('A new question');
      await eventually(() => userRows(A.chat)[0]?.status === 'sent', texts(A.chat));
      expect(A.chat.notice, 'the storage notice').to.equal('');
      expect(errors).to.deep.equal([]);
    });
  });

  it("user B never sees or sends user A's queued message; A's is delivered when A is back", async () => {
    const [alice, bob] = [newUser(), newUser()];
    network().offline();
    let chat = await mount({ endpoint: UNREACHABLE, userId: alice });
    await typeAll(chat, ["Alice's private question"]);
    unmount(chat);

    // Bob signs in on the same device, online.
    network().online();
    chat = await mount({ endpoint: server.wsUrl, userId: bob });
    await chat.type("Bob's question about fees");
    await eventually(() => userRows(chat)[0]?.status === 'sent', texts(chat));
    expect(rows(chat).map((r) => r.text).join('\n')).to.not.include('Alice');
    expect(wire.sent.map((m) => m.text)).to.deep.equal(["Bob's question about fees"]);
    expect((await received(server, wire.last)).map((m) => m.text)).to.deep.equal(["Bob's question about fees"]);
    const bobs = wire.last;
    unmount(chat);

    chat = await mount({ endpoint: server.wsUrl, userId: alice });
    await eventually(() => userRows(chat)[0]?.status === 'sent', texts(chat));
    expect(wire.last, "Alice's own conversation").to.not.equal(bobs);
    expect((await received(server, wire.last)).map((m) => m.text)).to.deep.equal(["Alice's private question"]);
    expect(rows(chat).map((r) => r.text).join('\n')).to.not.include('Bob');
  });
});
