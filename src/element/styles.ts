import { css } from 'lit';

/**
 * Every color, size and font comes from a `--mcs-*` token so hosts can theme without piercing the
 * shadow root. Light values are the defaults; dark ones apply by `theme="dark"` or, with
 * `theme="auto"`, by the user's color-scheme preference.
 */
export const styles = css`
  :host {
    --_accent: var(--mcs-accent, #c8102e);
    --_on-accent: var(--mcs-on-accent, #fff);
    --_bg: var(--mcs-bg, #fff);
    --_fg: var(--mcs-fg, #1a1a1a);
    --_muted: var(--mcs-muted, #595959);
    --_surface: var(--mcs-surface, #f2f2f2);
    --_border: var(--mcs-border, #8a8a8a);
    --_user-bg: var(--mcs-user-bg, #c8102e);
    --_user-fg: var(--mcs-user-fg, #fff);
    --_operator-bg: var(--mcs-operator-bg, #e6f0fb);
    --_error: var(--mcs-error, #b00020);
    --_focus: var(--mcs-focus, #005fcc);
    --_radius: var(--mcs-radius, 16px);
    --_font: var(--mcs-font, system-ui, -apple-system, 'Hiragino Sans', 'Noto Sans JP', 'Segoe UI', sans-serif);
    --_z: var(--mcs-z-index, 2147483000);
    --_launcher: var(--mcs-launcher-size, 56px);
    --_width: var(--mcs-panel-width, 380px);
    --_height: var(--mcs-panel-height, 600px);
    --_gap: var(--mcs-spacing, 12px);
    --_inset: var(--mcs-offset, 20px);
    all: initial;
    display: contents;
    font: 15px/1.5 var(--_font);
    color: var(--_fg);
  }
  :host([theme='dark']) {
    --_accent: var(--mcs-accent, #ff6b74);
    --_on-accent: var(--mcs-on-accent, #1a1a1a);
    --_bg: var(--mcs-bg, #1c1c1e);
    --_fg: var(--mcs-fg, #f2f2f2);
    --_muted: var(--mcs-muted, #b3b3b3);
    --_surface: var(--mcs-surface, #2c2c2e);
    --_border: var(--mcs-border, #8e8e93);
    --_user-bg: var(--mcs-user-bg, #ff6b74);
    --_user-fg: var(--mcs-user-fg, #1a1a1a);
    --_operator-bg: var(--mcs-operator-bg, #1f3a5a);
    --_error: var(--mcs-error, #ff8a80);
    --_focus: var(--mcs-focus, #8ab4f8);
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      --_accent: var(--mcs-accent, #ff6b74);
      --_on-accent: var(--mcs-on-accent, #1a1a1a);
      --_bg: var(--mcs-bg, #1c1c1e);
      --_fg: var(--mcs-fg, #f2f2f2);
      --_muted: var(--mcs-muted, #b3b3b3);
      --_surface: var(--mcs-surface, #2c2c2e);
      --_border: var(--mcs-border, #8e8e93);
      --_user-bg: var(--mcs-user-bg, #ff6b74);
      --_user-fg: var(--mcs-user-fg, #1a1a1a);
      --_operator-bg: var(--mcs-operator-bg, #1f3a5a);
      --_error: var(--mcs-error, #ff8a80);
      --_focus: var(--mcs-focus, #8ab4f8);
    }
  }
  * {
    box-sizing: border-box;
  }
  [hidden] {
    display: none !important;
  }
  button,
  textarea {
    font: inherit;
    color: inherit;
  }
  :focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  .sr {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  .launcher {
    position: fixed;
    inset-block-end: var(--_inset);
    inset-inline-end: var(--_inset);
    z-index: var(--_z);
    inline-size: var(--_launcher);
    block-size: var(--_launcher);
    border: 0;
    border-radius: 50%;
    background: var(--_accent);
    color: var(--_on-accent);
    box-shadow: 0 4px 16px rgb(0 0 0 / 0.25);
    cursor: pointer;
    display: grid;
    place-items: center;
  }
  :host([position='bottom-left']) .launcher,
  :host([position='bottom-left']) .panel {
    inset-inline: var(--_inset) auto;
  }
  .launcher svg {
    inline-size: 28px;
    block-size: 28px;
    fill: currentColor;
  }
  .badge {
    position: absolute;
    inset-block-start: -2px;
    inset-inline-end: -2px;
    min-inline-size: 22px;
    padding: 0 6px;
    border-radius: 11px;
    background: var(--_bg);
    color: var(--_fg);
    border: 2px solid var(--_accent);
    font-size: 12px;
    line-height: 18px;
  }
  .panel {
    position: fixed;
    inset-block-end: calc(var(--_inset) * 2 + var(--_launcher));
    inset-inline-end: var(--_inset);
    z-index: var(--_z);
    inline-size: min(var(--_width), calc(100vw - 2 * var(--_inset)));
    block-size: min(var(--_height), calc(100dvh - 3 * var(--_inset) - var(--_launcher)));
    display: flex;
    flex-direction: column;
    background: var(--_bg);
    color: var(--_fg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    box-shadow: 0 8px 32px rgb(0 0 0 / 0.25);
    overflow: hidden;
  }
  :host([position='inline']) .panel {
    position: relative;
    inset: auto;
    inline-size: 100%;
    block-size: var(--_height);
    box-shadow: none;
  }
  @media (max-width: 480px) {
    :host(:not([position='inline'])) .panel {
      inset: 0;
      inline-size: 100%;
      block-size: 100%;
      border-radius: 0;
      border: 0;
    }
  }
  header {
    display: flex;
    align-items: center;
    gap: var(--_gap);
    padding: var(--_gap) calc(var(--_gap) * 1.33);
    background: var(--_accent);
    color: var(--_on-accent);
  }
  header div {
    flex: 1;
    min-inline-size: 0;
  }
  h2 {
    margin: 0;
    font-size: 1.05em;
  }
  header p {
    margin: 0;
    font-size: 0.85em;
  }
  .icon {
    inline-size: 40px;
    block-size: 40px;
    border: 0;
    border-radius: 50%;
    background: transparent;
    cursor: pointer;
    display: grid;
    place-items: center;
  }
  .icon svg {
    inline-size: 22px;
    block-size: 22px;
    fill: currentColor;
  }
  .notice {
    display: flex;
    align-items: center;
    gap: 8px;
    margin: 0;
    padding: 8px calc(var(--_gap) * 1.33);
    background: var(--_surface);
    border-block-end: 1px solid var(--_border);
    font-size: 0.9em;
  }
  .notice.error {
    color: var(--_error);
  }
  .notice span {
    flex: 1;
  }
  .log {
    flex: 1;
    overflow-y: auto;
    overscroll-behavior: contain;
    padding: var(--_gap);
  }
  .log ol {
    margin: 0;
    padding: 0;
    list-style: none;
    display: flex;
    flex-direction: column;
    gap: 8px;
  }
  .msg {
    max-inline-size: 85%;
    display: flex;
    flex-direction: column;
    gap: 4px;
  }
  .msg.user {
    align-self: flex-end;
    align-items: flex-end;
  }
  .bubble {
    padding: 8px 12px;
    border-radius: var(--_radius);
    background: var(--_surface);
    overflow-wrap: anywhere;
    white-space: pre-wrap;
  }
  .user .bubble {
    background: var(--_user-bg);
    color: var(--_user-fg);
  }
  .operator .bubble {
    background: var(--_operator-bg);
  }
  .system {
    align-self: center;
    max-inline-size: 100%;
    color: var(--_muted);
    font-size: 0.85em;
    text-align: center;
  }
  .system .bubble {
    background: transparent;
    padding: 0;
  }
  .meta {
    font-size: 0.8em;
    color: var(--_muted);
  }
  .failed .meta {
    color: var(--_error);
  }
  .chips {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
  }
  .chip,
  .text-button {
    min-block-size: 32px;
    padding: 4px 12px;
    border: 1px solid var(--_accent);
    border-radius: 16px;
    background: var(--_bg);
    color: var(--_fg);
    cursor: pointer;
  }
  .text-button {
    min-block-size: 24px;
    padding: 0 8px;
    border-color: var(--_border);
  }
  .typing:not(:empty) {
    padding: 0 calc(var(--_gap) * 1.33) 4px;
    color: var(--_muted);
    font-size: 0.85em;
  }
  .phase {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
    margin: 0;
    padding: 8px calc(var(--_gap) * 1.33);
    border-block-start: 1px solid var(--_border);
    background: var(--_surface);
    font-size: 0.9em;
  }
  .phase p {
    flex: 1 1 12em;
    margin: 0;
  }
  .survey {
    flex-direction: column;
    align-items: stretch;
  }
  fieldset {
    border: 0;
    margin: 0;
    padding: 0;
  }
  .scores {
    display: flex;
    gap: 6px;
  }
  .score {
    position: relative;
  }
  .score input {
    position: absolute;
    opacity: 0;
    inset: 0;
  }
  .score span[aria-hidden] {
    display: grid;
    place-items: center;
    inline-size: 40px;
    block-size: 40px;
    border: 1px solid var(--_border);
    border-radius: 50%;
    background: var(--_bg);
    cursor: pointer;
  }
  .score input:checked + span {
    background: var(--_accent);
    color: var(--_on-accent);
    border-color: var(--_accent);
  }
  .score input:focus-visible + span {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  .comment {
    display: flex;
    flex-direction: column;
    gap: 4px;
  }
  .comment textarea {
    min-block-size: 3em;
  }
  .primary {
    background: var(--_accent);
    color: var(--_on-accent);
    border-color: var(--_accent);
  }
  .card {
    display: flex;
    flex-direction: column;
    gap: 2px;
    padding: 8px 12px;
    border: 1px solid var(--_border);
    border-radius: 12px;
    font-size: 0.9em;
  }
  a {
    color: inherit;
  }
  .bubble p {
    margin: 0 0 0.5em;
  }
  .bubble p:last-child {
    margin: 0;
  }
  .bubble ul,
  .bubble ol {
    margin: 0.25em 0;
    padding-inline-start: 1.25em;
  }
  .bubble code {
    font-family: ui-monospace, monospace;
    font-size: 0.9em;
  }
  form {
    display: flex;
    flex-direction: column;
    gap: 6px;
    padding: var(--_gap);
    border-block-start: 1px solid var(--_border);
  }
  .row {
    display: flex;
    align-items: flex-end;
    gap: 8px;
  }
  .attach {
    color: var(--_muted);
    position: relative;
  }
  .attach:focus-within {
    outline: 3px solid var(--_focus);
  }
  .files {
    display: flex;
    gap: 6px;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .files li {
    display: flex;
    align-items: flex-start;
  }
  .files img {
    inline-size: 48px;
    block-size: 48px;
    object-fit: cover;
    border-radius: 8px;
  }
  .photo {
    max-inline-size: 200px;
    max-block-size: 200px;
    border-radius: 12px;
  }
  .jump {
    align-self: center;
    margin-block-start: -36px;
    position: relative;
    background: var(--_bg);
    box-shadow: 0 2px 8px rgb(0 0 0 / 0.2);
  }
  .ask {
    align-self: flex-start;
  }
  textarea {
    flex: 1;
    min-block-size: 44px;
    max-block-size: 8em;
    padding: 10px 12px;
    border: 1px solid var(--_border);
    border-radius: 12px;
    background: var(--_bg);
    resize: none;
    field-sizing: content;
  }
  .send {
    inline-size: 44px;
    block-size: 44px;
    border: 0;
    border-radius: 50%;
    background: var(--_accent);
    color: var(--_on-accent);
    cursor: pointer;
    display: grid;
    place-items: center;
  }
  .send svg {
    inline-size: 22px;
    block-size: 22px;
    fill: currentColor;
  }
  @media (prefers-reduced-motion: no-preference) {
    .panel {
      animation: rise 160ms ease-out;
    }
    @keyframes rise {
      from {
        opacity: 0;
        transform: translateY(8px);
      }
    }
  }
  @media (forced-colors: active) {
    .launcher,
    .send,
    .chip,
    .bubble {
      border: 1px solid CanvasText;
    }
  }
`;
