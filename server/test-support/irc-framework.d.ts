/** The part of irc-framework (The Lounge's and Kiwi IRC's client library) the tests use; it ships no types. */
declare module 'irc-framework' {
  import { EventEmitter } from 'node:events';

  export interface ClientOptions {
    nick?: string;
    username?: string;
    gecos?: string;
    auto_reconnect?: boolean;
    enable_echomessage?: boolean;
    ping_interval?: number;
    ping_timeout?: number;
  }

  export interface IrcEvent {
    nick: string;
    ident?: string;
    hostname?: string;
    channel?: string;
    target?: string;
    message?: string;
    type?: string;
    time?: number;
    new_nick?: string;
    topic?: string;
    tags?: Record<string, string>;
  }

  export class Client extends EventEmitter {
    constructor(options?: ClientOptions);
    /** `account`: SASL PLAIN with it (irc-framework then asks for the `sasl` capability). */
    connect(options: { host: string; port: number; nick?: string; account?: { account: string; password: string } }): void;
    join(channel: string): void;
    part(channel: string, message?: string): void;
    say(target: string, message: string): void;
    action(target: string, message: string): void;
    changeNick(nick: string): void;
    setTopic(channel: string, topic: string): void;
    quit(message?: string): void;
    readonly user: { nick: string };
    readonly network: { cap: { enabled: string[] }; options: Record<string, string | string[] | boolean> };
  }
}
