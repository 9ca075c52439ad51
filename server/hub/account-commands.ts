import type { Intent } from './intents.js';
import type { CommandSpec } from './moderation-commands.js';

/**
 * `/register NAME PASSWORD` and `/login NAME PASSWORD` (`--accounts`). The password is the rest
 * of the line after the name, without the spaces at its ends (a line's ends cannot carry them
 * anyway), so it may hold spaces inside.
 */
function withPassword(type: 'register' | 'login'): CommandSpec['parse'] {
  return (argument) => {
    const match = /^(\S+)\s+(\S[\s\S]*)$/.exec(argument);
    if (match === null) return { type: 'usage', text: `usage: /${type} NAME PASSWORD` } satisfies Intent;
    return { type, name: match[1]!, password: match[2]!.trim() };
  };
}

/** The account commands, merged into slash-commands.ts's table. */
export function accountCommands(): [string, CommandSpec][] {
  return [
    ['register', { usage: '/register NAME PASSWORD', describe: 'make an account: NAME becomes your nickname, only yours (--accounts)', parse: withPassword('register') }],
    ['login', { usage: '/login NAME PASSWORD', describe: "log in to your account and take its nickname (--accounts)", parse: withPassword('login') }],
  ];
}
