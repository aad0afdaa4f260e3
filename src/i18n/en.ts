/** English UI text. The source catalog: its keys define every string the widget shows. */
export const en = {
  'launcher.open': 'Open chat support',
  'launcher.openUnread': 'Open chat support, {count} unread',
  'panel.title': 'Chat support',
  'panel.close': 'Close chat',
  'panel.subtitle': 'Ask us anything, 24 hours a day',
  'hours.statusOpen': 'Operators are available',
  'hours.statusClosed': 'Outside operator hours. The bot can still help.',
  'hours.available': 'Operators are available {hours} ({zone}).',
  'hours.backRelative': 'Operators will be back {day} at {time}.',
  'hours.backOn': 'Operators will be back on {day} at {time}.',
  'hours.closingSoon': 'Operators are available until {time}. If you need one, please ask soon.',
  'hours.bothZones': '{local} ({zone})',
  'hours.range': '{start}–{end}',
  'hours.japanTime': 'Japan time',
  'composer.label': 'Message',
  'composer.placeholder': 'Type your question…',
  'composer.send': 'Send',
  'transcript.label': 'Conversation',
  'message.you': 'You',
  'message.bot': 'Support bot',
  'message.operator': 'Operator',
  'message.system': 'Notice',
  'status.queued': 'Will send when online',
  'status.sending': 'Sending…',
  'status.sent': 'Sent',
  'status.failed': 'Not sent',
  'action.retry': 'Retry',
  'action.delete': 'Delete',
  'connection.connecting': 'Connecting…',
  'connection.reconnecting': 'Reconnecting…',
  'connection.offline': 'You are offline. Messages will be sent when you are back online.',
  'error.transport': 'We could not reach support. Your message is kept and will be sent again.',
  'error.timeout': 'Support is taking too long to answer. Your message is kept and will be sent again.',
  'error.config': 'Chat support is not set up correctly on this page.',
  'error.rejected': 'This message could not be sent.',
  'error.dismiss': 'Dismiss',
} as const;

/** A key of the UI catalog. */
export type MessageKey = keyof typeof en;
/** A complete catalog for one language. */
export type Catalog = Record<MessageKey, string>;
