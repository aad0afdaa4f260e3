/**
 * `mercari-chat-support/testing`: tools for backend teams and for this package's own tests.
 * Not part of the widget bundle. msw wiring lives in `src/testing/msw.ts` (it needs msw installed).
 */
export { runConformance, protocolDouble, ConformanceError } from './conformance.js';
export type { Bdd, ConformanceOptions, ServerDouble } from './conformance.js';
export { createProtocolServer } from './protocol-server.js';
export type { Faults, HttpReply, HttpRequest, Peer, ProtocolServer, ProtocolServerOptions, RequestKind, ServerStats, SocketHandler } from './protocol-server.js';
export { createBackend } from './backend/index.js';
export type { Backend, BackendOptions } from './backend/types.js';
export { decodeClientFrame, decodeFrame, MAX_FRAME, PROTOCOL_VERSION } from '../transport/protocol.js';
export type * from '../transport/protocol.js';
