/**
 * mercari-chat-support: importing this module registers `<mercari-chat-support>`.
 * Every public export is listed here; everything else is internal.
 */
import './element/define.js';

export { MercariChatSupport } from './element/mercari-chat-support.js';
export type { ChatEventMap, ChatErrorCode, ChatErrorDetail, MessageSentDetail } from './element/events.js';
export type { Catalog, MessageKey } from './i18n/index.js';
export { parseSchedule, type ParsedSchedule, type ScheduleInput } from './hours/index.js';
export type { ChatMessage, DeliveryStatus } from './session/messages.js';
export { createTransport } from './transport/index.js';
export { TransportError } from './transport/types.js';
export type {
  Ack,
  ArticleCard,
  Attachment,
  CallOptions,
  ChatTransport,
  ClientCommand,
  ConnectOptions,
  ConnectionStatus,
  HoursOverride,
  OutgoingMessage,
  QuickReply,
  Role,
  ServerEvent,
  ServerMessage,
  Session,
  TransportErrorCode,
} from './transport/types.js';
