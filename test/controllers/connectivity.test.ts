import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import { createConnectivityController } from '../../src/controllers/connectivity.js';

describe('controllers/connectivity', () => {
  let online = true;
  const make = () => {
    const host = { addController: sinon.spy(), removeController() {}, requestUpdate: sinon.spy(), updateComplete: Promise.resolve(true) };
    const onOnline = sinon.spy();
    const c = createConnectivityController(host, onOnline);
    return { host, onOnline, c };
  };
  const go = (value: boolean) => {
    online = value;
    window.dispatchEvent(new Event(value ? 'online' : 'offline'));
  };

  beforeEach(() => {
    online = true;
    sinon.stub(navigator, 'onLine').get(() => online);
  });
  afterEach(() => sinon.restore());

  it('adds itself to the host and starts from navigator.onLine', () => {
    online = false;
    const { host, c } = make();
    expect(host.addController.calledOnceWith(c)).to.be.true;
    expect(c.online).to.be.false;
  });

  it('updates the host on every change and calls back when the network returns', () => {
    const { host, onOnline, c } = make();
    c.hostConnected!();
    expect(host.requestUpdate.callCount, 'nothing changed yet').to.equal(0);
    go(false);
    expect(c.online).to.be.false;
    expect(host.requestUpdate.callCount).to.equal(1);
    expect(onOnline.callCount).to.equal(0);
    go(true);
    expect(c.online).to.be.true;
    expect(host.requestUpdate.callCount).to.equal(2);
    expect(onOnline.callCount).to.equal(1);
    window.dispatchEvent(new Event('online'));
    expect(host.requestUpdate.callCount, 'a repeated event is not a change').to.equal(2);
    c.hostDisconnected!();
  });

  it('catches up on connect with a change missed while disconnected, and stops listening', () => {
    const { host, onOnline, c } = make();
    c.hostConnected!();
    c.hostDisconnected!();
    go(false);
    expect(c.online, 'not listening').to.be.true;
    c.hostConnected!();
    expect(c.online).to.be.false;
    expect(host.requestUpdate.callCount).to.equal(1);
    expect(onOnline.callCount).to.equal(0);
    c.hostDisconnected!();
  });
});
