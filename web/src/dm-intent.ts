import type { ClientEvent } from '../../shared/events.js';

/**
 * What a line typed in a direct-message view sends. Plain text and `/me` go to the peer as a `msg`
 * (`/me waves` as an action); `//text` sends "/text" to the peer, as `//` does in a room. Any other
 * command (`/join`, `/nick`, `/rooms`, `/help`, a bare `/me`…) is about the server, not the peer, so it goes as
 * typed, in the default room's context.
 */
export function dmIntent(peer: string, text: string): ClientEvent {
  if (text.startsWith('//')) return { type: 'msg', to: peer, text: text.slice(1) };
  const action = /^\/me\s+(\S[\s\S]*)$/u.exec(text);
  if (action !== null) return { type: 'msg', to: peer, text: action[1]!, kind: 'action' };
  if (text.startsWith('/')) return { type: 'send', text };
  return { type: 'msg', to: peer, text };
}
