/**
 * The modules `npm run mutation` mutates, in groups that each name the few compiled test files
 * that pin them. Stryker's command runner has no per-test coverage, so every mutant runs its
 * group's whole command: focused commands are what keep the run under 20 minutes on two cores.
 * Paths are the compiled ones (tests are node:test files run from dist/).
 */
export const MUTATION_GROUPS = [
  {
    name: 'shared-codec',
    mutate: ['frame-decoder', 'frame-encoder', 'line-decoder', 'input-buffer', 'input-budget', 'errors'].map((m) => `dist/shared/${m}.js`),
    tests: ['frame-decoder', 'line-decoder', 'input-budget', 'codec-contract'].map((m) => `dist/shared/${m}.test.js`),
  },
  {
    name: 'shared-text',
    mutate: ['payload', 'text', 'client-event', 'events', 'utf8-split', 'irc-message', 'irc-nick'].map((m) => `dist/shared/${m}.js`),
    tests: ['payload', 'text', 'client-event', 'client-event-fields', 'irc-message', 'irc-nick', 'utf8-split'].map((m) => `dist/shared/${m}.test.js`),
  },
  {
    name: 'shared-names',
    mutate: ['nick', 'nick-scripts', 'bot-name', 'room-name'].map((m) => `dist/shared/${m}.js`),
    tests: ['nick', 'nick-rules', 'nick-scripts', 'room-name'].map((m) => `dist/shared/${m}.test.js`),
  },
  {
    name: 'shared-pacing',
    mutate: ['token-bucket', 'send-pacer'].map((m) => `dist/shared/${m}.js`),
    tests: ['token-bucket', 'send-pacer'].map((m) => `dist/shared/${m}.test.js`),
  },
  {
    name: 'room-layer',
    mutate: ['presence-batch', 'presence-announcer', 'channel-history', 'remote-members', 'room-moderation'].map((m) => `dist/server/channel/${m}.js`),
    tests: ['presence-notices', 'presence-announcer', 'channel-history', 'replay-cursor', 'remote-members', 'room-moderation'].map((m) => `dist/server/channel/${m}.test.js`),
  },
  {
    // The hub and the channel model, pinned by socket-free model tests (recording connections, an
    // injected clock): the tests over real sockets pin the same behaviour but are too slow to run
    // once per mutant.
    name: 'hub',
    mutate: [
      ...['hub', 'input-flow', 'nick-registry', 'room-registry', 'slash-commands', 'intent-runner', 'password-gate', 'session'].map((m) => `dist/server/hub/${m}.js`),
      'dist/server/channel/channel.js',
    ],
    tests: [
      ...['hub', 'hub-lifecycle', 'hub-input', 'hub-delivery', 'input-flow', 'password-gate', 'nick-registry', 'room-registry', 'slash-commands', 'session', 'intent-runner', 'intent-replies'].map(
        (m) => `dist/server/hub/${m}.test.js`,
      ),
      'dist/server/channel/channel.test.js',
    ],
  },
  {
    name: 'connection-gate',
    mutate: ['dist/server/connection-gate.js'],
    tests: ['dist/server/connection-gate.test.js'],
  },
];

/** The group named by MUTATION_GROUP, or an error listing the names. */
export function mutationGroup(name) {
  const group = MUTATION_GROUPS.find((candidate) => candidate.name === name);
  if (group === undefined) throw new Error(`MUTATION_GROUP must be one of ${MUTATION_GROUPS.map((g) => g.name).join(', ')}; got ${name}`);
  return group;
}
